#!/bin/bash
# The alert workflow of issue 9 on the Alerts screen: rule titles from the
# config (title_en / title_ru) instead of ids; three alerts of one place
# within one minute told apart (rule, scope, count, seconds); an acknowledged
# alert that keeps absorbing events says how many arrived since, and the bell
# rings again after [alerts] rering_after more; `c` on an alert another
# supervisor closed says so instead of asking for a comment; [alerts]
# auto_close closes a quiet alert as "system". The events come in through
# `import` (another process), as a backfill or a second console would.
. "$(dirname "$0")/lib_screen.sh"
. "$(dirname "$0")/lib_views.sh"

DB="$SCR_TMP/w.db"
CFG="$SCR_TMP/w.ini"
me=$(id -un)
cat >"$CFG" <<'INI'
[alerts]
rering_after = 2
[alert.negative-streak]
title_en = Negative streak
title_ru = Серия негатива
[alert.unhappy-share]
enabled = no
[alert.desk-pair]
events = negative
count = 2
window = 30m
scope = desk
cooldown = 30m
title_en = Desk pair
title_ru = Пара у стойки
INI

# Every event in one minute, ten minutes ago (M: that minute's start).
now=$(date +%s)
M=$(((now - 600) / 60 * 60))
ev() { # ev ID SECOND DESK
    printf '{"id":"%s","ts":"%s","type":"rating","location":{"id":"clinic-1","name":"Clinic"},"desk":"%s","employee":{"id":"e1","name":"Anna"},"rating":"bad"}\n' \
        "$1" "$(date -u -d "@$((M + $2))" +%Y-%m-%dT%H:%M:%S.000Z)" "$3"
}
imp() { # imp FILE
    "$CXM_BIN" import --db "$DB" --config "$CFG" "$1" >"$SCR_TMP/imp.out" 2>&1 ||
        scr_fail "import $1: $(cat "$SCR_TMP/imp.out")"
}
{
    ev r1 5 reg-1
    ev r2 10 reg-2
    ev r3 20 reg-1 # desk pair at reg-1 and the streak of the place, the same second
    ev r4 40 reg-2 # desk pair at reg-2
} >"$SCR_TMP/a.jsonl"
imp "$SCR_TMP/a.jsonl"
alert_id() { # alert_id RULE SCOPE_KEY
    "$CXM_BIN" alerts --db "$DB" --state all --format json |
        python3 -c 'import json,sys
for a in json.load(sys.stdin)["alerts"]:
    if a["rule"] == sys.argv[1] and a["scope_key"] == sys.argv[2]: print(a["id"])' "$1" "$2"
}
STREAK=$(alert_id negative-streak clinic-1)
PAIR1=$(alert_id desk-pair clinic-1/reg-1)
PAIR2=$(alert_id desk-pair clinic-1/reg-2)
[ -n "$STREAK" ] && [ -n "$PAIR1" ] && [ -n "$PAIR2" ] || { echo "the three alerts did not open"; exit 1; }
hm=$(date -d "@$M" +%H:%M)

scr_start 140 30 "$CXM_BIN" --db "$DB" --config "$CFG" --lang en
scr_wait_for "3 open alert(s)"
scr_keys 4
scr_wait_for "Open 3, acknowledged 0, all 3"
# Titles, not ids; one minute, one place, three rows that differ in rule,
# scope, count and second.
scr_text | grep -qF "negative-streak" && scr_fail "a rule id is shown instead of its title"
scr_text | grep -qF "desk-pair" && scr_fail "a rule id is shown instead of its title"
scr_text | grep -qE "open +[0-9.]+ $hm:40 +Desk pair +reg-2, Clinic +2 +2 bad" || scr_fail "the reg-2 row"
scr_text | grep -qE "open +[0-9.]+ $hm:20 +Desk pair +reg-1, Clinic +2 +2 bad" || scr_fail "the reg-1 row"
scr_text | grep -qE "open +[0-9.]+ $hm:20 +Negative streak +Clinic +4 +3 bad/red" || scr_fail "the streak row"
[ "$(scr_text | grep -cE "open +[0-9.]+ $hm:")" = 3 ] || scr_fail "not three rows in minute $hm"

# Another supervisor closes the reg-2 pair; `c` on it here says so and asks
# for no comment (whether or not this screen has caught up yet).
"$CXM_BIN" alerts close "$PAIR2" --db "$DB" --comment "elsewhere" >/dev/null || scr_fail "close from the CLI"
scr_keys g c
scr_wait_for "Alert $PAIR2 is already closed (by $me at"
scr_text | grep -qF "comment:" && scr_fail "a comment was asked for a closed alert"

# The streak, acknowledged elsewhere, keeps absorbing events: +1 says so
# without a bell, +2 (rering_after) rings again.
"$CXM_BIN" alerts ack "$STREAK" --db "$DB" >/dev/null || scr_fail "ack from the CLI"
scr_wait_for "Open 1, acknowledged 1, all 3"
bells=$(scr_bells)
ev r5 50 reg-1 >"$SCR_TMP/b.jsonl"
imp "$SCR_TMP/b.jsonl"
scr_wait_for "3 bad/red button in 30 min / +1 since acknowledged"
ev r6 55 reg-1 >"$SCR_TMP/c.jsonl"
imp "$SCR_TMP/c.jsonl"
scr_wait_for "3 bad/red button in 30 min / +2 since acknowledged"
scr_wait_bells $((bells + 1))
[ "$(scr_bells)" = $((bells + 1)) ] || scr_fail "rang $(($(scr_bells) - bells)) times for one re-ring"

# Russian titles.
scr_keys L
scr_wait_for "Серия негатива"
scr_wait_for "Пара у стойки"
scr_keys q
scr_wait_exit
[ "$SCR_RC" = 0 ] || scr_fail "exit status $SCR_RC"

# auto_close: a console with a quiet period of 1 s closes the alerts nobody
# touched, as "system", with a comment saying why.
printf '[alerts]\nauto_close = 1s\n' >>"$CFG"
scr_start 140 30 "$CXM_BIN" --db "$DB" --config "$CFG" --lang en
scr_keys 4
scr_wait_for "Open 0, acknowledged 0, all 3" 30
scr_text | grep -qE "closed +[0-9.]+ $hm:20 +Negative streak +Clinic +[0-9]+ +system " || scr_fail "the streak closed by system"
"$CXM_BIN" alerts --db "$DB" --state closed --format json >"$SCR_TMP/closed.json"
python3 - "$SCR_TMP/closed.json" "$STREAK" "$PAIR1" "$PAIR2" "$me" <<'PY' || scr_fail "auto-close in the database"
import json, sys
a = {x["id"]: x for x in json.load(open(sys.argv[1]))["alerts"]}
s, p1, p2, me = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
ok = (a[s]["closed_by"] == "system" and a[s]["acked_by"] == me and a[p1]["closed_by"] == "system"
      and a[s]["comment"].startswith("closed automatically") and a[p2]["closed_by"] == me)
if not ok: print(a)
sys.exit(0 if ok else 1)
PY
scr_keys q
scr_wait_exit
echo "ok"
