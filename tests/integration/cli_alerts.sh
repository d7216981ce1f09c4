# cxm-console alerts: a day imported through the real binary raises the
# default rules' alerts (DESIGN §9); list/json/csv/table, the triggering
# events with their clips, ack/close with the OS user and their errors, two
# supervisors racing to close one alert, `alerts check` over a database
# filled without rules, and a config rule with desk scope.
. "$(dirname "$0")/lib_cli.sh"
AFX="$CXM_SRC/tests/fixtures/alerts"
DB="$T/day.db"
me=$(id -un)

json() { # json FILE PYTHON-EXPR-ON-d  -> exit status of the assertion
    python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ok = eval(sys.argv[2])
if not ok:
    print("    | " + json.dumps(d, ensure_ascii=False)[:1500])
sys.exit(0 if ok else 1)
PY
}

# ---- import evaluates the rules ----
run "$T/imp.out" "$T/imp.err" "$CXM_BIN" import --db "$DB" "$AFX/day.jsonl"
expect_rc 0 "import the day"
expect_last "$T/imp.out" "imported 14, duplicates 0, rejected 0" "import counts"

run "$T/imported.json" "$T/all.err" "$CXM_BIN" alerts --db "$DB" --state all --format json
expect_rc 0 "alerts --format json"
check "import raised exactly the two alerts of the day (negative streak at clinic-1, unhappy share at station-7)" \
    json "$T/imported.json" "sorted((a['rule'], a['scope_key']) for a in d['alerts']) == [('negative-streak', 'clinic-1'), ('unhappy-share', 'station-7')]"
# What follows tests the engine and the commands on those alerts; should
# import not evaluate the rules, `alerts check` raises them so the rest of
# the checks still say something (the check above has already failed).
run "$T/chk.out" "$T/chk.err" "$CXM_BIN" alerts check --db "$DB"
expect_rc 0 "alerts check"
if python3 -c "import json,sys; sys.exit(len(json.load(open(sys.argv[1]))['alerts']) != 2)" "$T/imported.json"; then
    expect_last "$T/chk.out" "opened 0 alerts, 0 disappeared, 2 kept (0 moved)" "check after import opens nothing new"
fi
run "$T/all.json" "$T/all.err" "$CXM_BIN" alerts --db "$DB" --state all --format json
check "the two alerts of the day" \
    json "$T/all.json" "sorted((a['rule'], a['scope_key']) for a in d['alerts']) == [('negative-streak', 'clinic-1'), ('unhappy-share', 'station-7')]"
check "streak alert: opened at the third event, holds the pile-up incl. the one in the cooldown" \
    json "$T/all.json" "[(a['opened'], a['state'], a['events'], a['acked_by']) for a in d['alerts'] if a['rule'] == 'negative-streak'] == [('2026-11-23T10:20:00.000+03:00', 'open', ['a.010', 'a.011', 'a.012', 'a.013'], None)]"
check "streak alert: window and summary" \
    json "$T/all.json" "[(a['window_from'], a['summary']) for a in d['alerts'] if a['rule'] == 'negative-streak'] == [('2026-11-23T09:50:00.000+03:00', '3 bad/red_button in 30 min at Клиника на Ленина')]"
check "share alert: the two unhappy ratings of 4" \
    json "$T/all.json" "[(a['events'], a['summary']) for a in d['alerts'] if a['rule'] == 'unhappy-share'] == [(['s.011', 's.013'], '2 of 4 ratings bad (50 %) in 15 min at АЗС №7')]"

# the same file again: all duplicates, no new alert
run "$T/imp2.out" "$T/imp2.err" "$CXM_BIN" import --db "$DB" "$AFX/day.jsonl"
expect_last "$T/imp2.out" "imported 0, duplicates 14, rejected 0" "re-import is all duplicates"
run "$T/all2.json" "$T/e" "$CXM_BIN" alerts --db "$DB" --state all --format json
check "re-import opens nothing" json "$T/all2.json" "len(d['alerts']) == 2"
run "$T/chk.out" "$T/chk.err" "$CXM_BIN" alerts check --db "$DB"
expect_last "$T/chk.out" "opened 0 alerts, 0 disappeared, 2 kept (0 moved)" "a second check opens nothing"

id_of() { python3 -c "import json,sys; print([a['id'] for a in json.load(open(sys.argv[1]))['alerts'] if a['rule'] == sys.argv[2]][0])" "$T/all.json" "$1"; }
S=$(id_of negative-streak)
U=$(id_of unhappy-share)

# ---- the events of an alert, with their clips ----
run "$T/ev.json" "$T/ev.err" "$CXM_BIN" alerts events "$S" --db "$DB" --format json
expect_rc 0 "alerts events ID --format json"
check "events in time order, the clip of a.010 known, names kept" \
    json "$T/ev.json" "[(e['id'], e['type'], e['rating'], e['clip']) for e in d['events']] == [('a.010', 'rating', 'bad', True), ('a.011', 'red_button', None, False), ('a.012', 'rating', 'bad', False), ('a.013', 'rating', 'bad', False)] and d['events'][0]['employee_name'] == 'Анна Петрова'"
run "$T/ev.txt" "$T/ev.err" "$CXM_BIN" alerts events "$S" --db "$DB"
expect_grep "$T/ev.txt" "^23.11.2026 10:10:00  red_button +.*Борис Иванов" "events table"

# ---- table output through the text module ----
run "$T/tab.txt" "$T/tab.err" "$CXM_BIN" alerts --db "$DB"
expect_rc 0 "alerts (table)"
expect_grep "$T/tab.txt" "^ *ID +STATE +RULE +SCOPE +OPENED +EVENTS" "table header"
expect_grep "$T/tab.txt" "negative-streak +clinic-1 +23.11.2026 10:20 +4 " "streak row"
if python3 - "$T/tab.txt" <<'PY'; then ok "table columns line up by display width"; else bad "table alignment"; cat "$T/tab.txt"; fi
import sys, unicodedata
rows = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")]
def width(s): return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
def col(line, word):
    i = line.find(word)
    return width(line[:i]) if i >= 0 else -1
hdr = rows[0]
want = col(hdr, "SUMMARY")
sys.exit(0 if want > 0 and all(col(r, r.split("  ")[-1].strip()) == want for r in rows[1:] if r.strip()) else 1)
PY

# ---- ack / close, as the OS user, with clear errors ----
run "$T/ack.out" "$T/ack.err" "$CXM_BIN" alerts ack "$S" --db "$DB"
expect_rc 0 "ack"
expect_last "$T/ack.out" "alert $S acknowledged by $me" "ack names the OS user"
run "$T/o" "$T/ack2.err" "$CXM_BIN" alerts ack "$S" --db "$DB"
expect_rc 1 "ack twice"
expect_grep "$T/ack2.err" "alert $S is already acknowledged \(by $me at [0-9]{2}\.[0-9]{2}\.20[0-9]{2} [0-9]{2}:[0-9]{2}\)" "second ack says who and when"
run "$T/cl.out" "$T/cl.err" "$CXM_BIN" alerts close "$S" --comment "Спросили Анну: очередь, открыли вторую стойку" --db "$DB"
expect_rc 0 "close with a comment"
run "$T/o" "$T/cl2.err" "$CXM_BIN" alerts close "$S" --db "$DB"
expect_rc 1 "close an already closed alert"
expect_grep "$T/cl2.err" "alert $S is already closed \(by $me at" "the error says who closed it"
run "$T/o" "$T/ack3.err" "$CXM_BIN" alerts ack "$S" --db "$DB"
expect_rc 1 "ack a closed alert"
expect_grep "$T/ack3.err" "already closed" "ack of a closed alert is refused"
run "$T/o" "$T/nf.err" "$CXM_BIN" alerts close 999 --db "$DB"
expect_rc 1 "close a missing alert"
expect_grep "$T/nf.err" "alert 999 not found" "not found"

run "$T/open.json" "$T/e" "$CXM_BIN" alerts --db "$DB" --format json
check "--state open (default) hides the closed alert" json "$T/open.json" "[a['id'] for a in d['alerts']] == [$U]"
run "$T/closed.json" "$T/e" "$CXM_BIN" alerts --db "$DB" --state closed --format json
check "the closed one keeps who, when and the comment" \
    json "$T/closed.json" "[(a['id'], a['state'], a['acked_by'], a['closed_by'], a['comment']) for a in d['alerts']] == [($S, 'closed', '$me', '$me', 'Спросили Анну: очередь, открыли вторую стойку')] and d['alerts'][0]['closed_at'] is not None"
run "$T/all.csv" "$T/e" "$CXM_BIN" alerts --db "$DB" --state all --format csv
expect_grep "$T/all.csv" "^id,rule,scope,scope_key,state,opened,window_from,window_to,acked_at,acked_by,closed_at,closed_by,comment,events,summary" "CSV header"
expect_grep "$T/all.csv" "^$S,negative-streak,location,clinic-1,closed,.*,4,3 bad/red_button in 30 min at Клиника на Ленина" "CSV row"

# ---- two supervisors close the same alert at once: exactly one wins ----
for i in 1 2 3 4; do
    "$CXM_BIN" alerts close "$U" --db "$DB" --comment "console $i" >"$T/race$i.out" 2>"$T/race$i.err" &
done
wins=0
for j in 1 2 3 4; do wait -n && wins=$((wins + 1)); done
if [ "$wins" -eq 1 ]; then ok "one of four racing closes wins"; else bad "racing closes: $wins won"; cat "$T"/race*.err; fi
losers=$(grep -l "already closed" "$T"/race*.err | wc -l)
if [ "$losers" -eq 3 ]; then ok "the other three are told it is already closed"; else bad "losers told: $losers"; fi

# ---- a database filled with no rules; then `alerts check` ----
printf '[alert.negative-streak]\nenabled = no\n[alert.unhappy-share]\nenabled = no\n' >"$T/norules.ini"
DB2="$T/norules.db"
run "$T/o" "$T/e" "$CXM_BIN" import --db "$DB2" --config "$T/norules.ini" "$AFX/day.jsonl"
expect_rc 0 "import with the rules switched off"
run "$T/n.json" "$T/e" "$CXM_BIN" alerts --db "$DB2" --state all --format json
check "no rules, no alerts" json "$T/n.json" "d['alerts'] == []"
run "$T/c.out" "$T/c.err" "$CXM_BIN" alerts check --db "$DB2" --from 2026-11-23T10:00:00+03:00 --to 2026-11-23T13:00:00+03:00
expect_last "$T/c.out" "opened 1 alert, 0 disappeared, 0 kept (0 moved)" "check --from/--to sees only the morning"
run "$T/c.out" "$T/c.err" "$CXM_BIN" alerts check --db "$DB2"
expect_last "$T/c.out" "opened 1 alert, 0 disappeared, 1 kept (0 moved)" "check over everything adds the afternoon's share alert"
run "$T/c.out" "$T/c.err" "$CXM_BIN" alerts check --db "$DB2"
expect_last "$T/c.out" "opened 0 alerts, 0 disappeared, 2 kept (0 moved)" "check is idempotent"

# ---- a rule from the config: desk scope ----
cat >"$T/desk.ini" <<'INI'
[alert.negative-streak]
enabled = no
[alert.unhappy-share]
enabled = no
[alert.desk-trouble]
events = negative, red_button
count = 2
window = 30m
scope = desk
cooldown = 1h
INI
DB3="$T/desk.db"
run "$T/o" "$T/e" "$CXM_BIN" import --db "$DB3" --config "$T/norules.ini" "$AFX/day.jsonl"
run "$T/o" "$T/e" "$CXM_BIN" alerts check --db "$DB3" --config "$T/desk.ini"
expect_last "$T/o" "opened 3 alerts, 0 disappeared, 0 kept (0 moved)" "check with a desk-scoped rule from the config"
run "$T/d.json" "$T/e" "$CXM_BIN" alerts --db "$DB3" --state all --format json
check "desk rule: reg-1 (10:00 + 10:20), reg-2 (10:10 red + 10:25) and till-2 (15:02 + 15:06); not till-1 (40 min apart)" \
    json "$T/d.json" "sorted((a['scope'], a['scope_key'], a['events']) for a in d['alerts']) == [('desk', 'clinic-1/reg-1', ['a.010', 'a.012']), ('desk', 'clinic-1/reg-2', ['a.011', 'a.013']), ('desk', 'station-7/till-2', ['s.011', 's.013'])]"

# ---- usage ----
run "$T/o" "$T/e" "$CXM_BIN" alerts ack --db "$DB"
expect_rc 2 "ack without an id"
run "$T/o" "$T/e" "$CXM_BIN" alerts --state bogus --db "$DB"
expect_rc 2 "unknown state"
run "$T/o" "$T/e" "$CXM_BIN" alerts close x1 --db "$DB"
expect_rc 2 "id that is not a number"
run "$T/o" "$T/e" "$CXM_BIN" alerts --db "$T/missing.db"
expect_rc 1 "missing database"
if [ ! -e "$T/missing.db" ]; then ok "a missing database is not created"; else bad "alerts created $T/missing.db"; fi

finish
