#!/bin/bash
# The Alerts screen: the banner with the bell, the list, Enter -> the events
# that triggered an alert with their clips -> an event's detail, `a`
# acknowledges, `c` closes with a comment typed on the prompt (Cyrillic), and
# another supervisor closing an alert from another process shows up here;
# acting on it then says who closed it. Russian labels; 80x24 and 120x30.
. "$(dirname "$0")/lib_screen.sh"

DB="$SCR_TMP/alerts.db"
export TZ=UTC-3
me=$(id -un)
# Store the fixture day without rules, then raise its alerts with `alerts
# check`, so this screen test does not depend on how the events got in.
printf '[alert.negative-streak]\nenabled = no\n[alert.unhappy-share]\nenabled = no\n' >"$SCR_TMP/norules.ini"
"$CXM_BIN" import --db "$DB" --config "$SCR_TMP/norules.ini" "$CXM_SRC/tests/fixtures/alerts/day.jsonl" >/dev/null ||
    { echo "import failed"; exit 1; }
[ "$("$CXM_BIN" alerts check --db "$DB" | tail -n 1)" = "opened 2 alerts, 0 disappeared, 0 kept (0 moved)" ] || { echo "alerts check did not open 2"; exit 1; }

scr_start 120 30 "$CXM_BIN" --db "$DB" --lang en
scr_wait_for "2 open alert(s)"
scr_keys 4
scr_wait_for "Open 2, acknowledged 0, all 2"
scr_wait_for "negative-streak"
scr_text | grep -qE "open +23.11 10:20 +negative-streak +Клиника на Ленина +4 +3 bad/red button in 30 min" ||
    scr_fail "streak row"
scr_text | grep -qE "open +23.11 15:06 +unhappy-share +АЗС №7 +2 +2 of 4 ratings bad \(50 %\) in 15 min" ||
    scr_fail "share row"

# newest first: the share alert is on top; go to the streak alert
scr_keys Down Enter
scr_wait_for "#1  open  negative-streak  Клиника на Ленина"
scr_wait_for "4 events."
scr_text | grep -qE "^10:00:00 +rating +☹ bad +reg-1, Клиника на Ленина +Анна Петрова +clip +a\.010" ||
    scr_fail "the first event with its clip"
scr_text | grep -qE "^10:10:00 +red button +reg-2, Клиника на Ленина +Борис Иванов +- +a\.011" ||
    scr_fail "the red button without a clip"
# Enter on an event: its detail with the clip link
scr_keys Enter
scr_wait_for "https://cxm.example/clips/a.010.ogg"
scr_keys q
scr_wait_for "4 events."

scr_keys a
scr_wait_for "Alert 1 acknowledged"
scr_wait_for "Acknowledged by $me at"
scr_wait_for "1 open alert(s)"
scr_keys a
scr_wait_for "Alert 1 is already acknowledged (by $me at"
scr_keys c
scr_wait_for "Close alert 1, comment:"
scr_keys -l "Очередь: открыли вторую стойку"
scr_keys Enter
scr_wait_for "Alert 1 closed"
scr_wait_for "Closed by $me at"
scr_wait_for ": Очередь: открыли вторую стойку"
"$CXM_BIN" alerts --db "$DB" --state closed --format json >"$SCR_TMP/closed.json"
python3 - "$SCR_TMP/closed.json" "$me" <<'PY' || scr_fail "the close did not reach the database"
import json, sys
a = json.load(open(sys.argv[1]))["alerts"]
sys.exit(not (len(a) == 1 and a[0]["id"] == 1 and a[0]["closed_by"] == sys.argv[2]
              and a[0]["acked_by"] == sys.argv[2] and a[0]["comment"] == "Очередь: открыли вторую стойку"))
PY
scr_keys q
scr_wait_for "Open 1, acknowledged 0, all 2"

# Another supervisor closes the share alert from their own console.
"$CXM_BIN" alerts close 2 --db "$DB" --comment "elsewhere" >/dev/null || scr_fail "close from the CLI"
scr_wait_for "Open 0, acknowledged 0, all 2" 5
scr_wait_gone "open alert(s)" 5
scr_keys g a
scr_wait_for "Alert 2 is already closed (by $me at"

# Russian, and a narrow terminal keeps the columns that matter.
scr_keys L
scr_wait_for "Открыто 0, принято 0, всего 2"
scr_wait_for "закрыта"
scr_resize 80 24
scr_wait_for "Что случилось"
scr_text | grep -qE "закрыта +23.11 10:20 +Клиника на Ленина +4 +3: плохо/красная" || scr_fail "Russian row at 80x24"
scr_keys q
scr_wait_exit
[ "$SCR_RC" = 0 ] || scr_fail "exit status $SCR_RC"
scr_assert_tty_sane
echo "ok"
