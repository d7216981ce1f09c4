# Event-time alerts through the real binary (issue 9): a generated three-day
# file imported in time order and shuffled (a log backfill, a lagging cloud
# feed) raises the same alerts with the same events; `alerts replay` after a
# rule change reports what disappeared and what opened, keeps the workflow
# state of alerts that are still the same alert, and changes nothing when run
# again; `alerts check` is its alias.
. "$(dirname "$0")/lib_cli.sh"

run "$T/d.jsonl" "$T/e" "$CXM_BIN" demo-day --days 3 --date 2026-11-20 --seed 1
expect_rc 0 "demo-day --days 3"
python3 - "$T/d.jsonl" "$T/s.jsonl" <<'PY'
import random, sys
lines = open(sys.argv[1], encoding="utf-8").readlines()
random.Random(9).shuffle(lines)
open(sys.argv[2], "w", encoding="utf-8").writelines(lines)
PY
# the shuffled file also in three parts (three imports: three batches of history)
split -n l/3 "$T/s.jsonl" "$T/part."

run "$T/o" "$T/e" "$CXM_BIN" import --db "$T/sorted.db" "$T/d.jsonl"
expect_rc 0 "import in time order"
run "$T/o" "$T/e" "$CXM_BIN" import --db "$T/shuf.db" "$T/s.jsonl"
expect_rc 0 "import shuffled"
for p in "$T"/part.*; do "$CXM_BIN" import --db "$T/parts.db" "$p" >/dev/null 2>&1; done

norm() { # norm DB OUT: the alerts as (rule, scope, opened, events), sorted
    "$CXM_BIN" alerts --db "$1" --state all --format json >"$T/a.json" &&
        python3 - "$T/a.json" >"$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for a in sorted((a['rule'], a['scope_key'], a['opened'], ','.join(a['events'])) for a in d['alerts']):
    print(' '.join(a))
PY
}
norm "$T/sorted.db" "$T/sorted.txt"
norm "$T/shuf.db" "$T/shuf.txt"
norm "$T/parts.db" "$T/parts.txt"
n=$(wc -l <"$T/sorted.txt")
if [ "$n" -ge 4 ]; then ok "time order raises $n alerts"; else bad "only $n alerts in three demo days"; fi
if cmp -s "$T/sorted.txt" "$T/shuf.txt"; then ok "shuffled import: the same alerts and events"; else
    bad "shuffled import differs"; diff "$T/sorted.txt" "$T/shuf.txt" | head -20 | sed 's/^/    | /'; fi
if cmp -s "$T/sorted.txt" "$T/parts.txt"; then ok "shuffled in three imports: the same alerts"; else
    bad "three imports differ"; diff "$T/sorted.txt" "$T/parts.txt" | head -20 | sed 's/^/    | /'; fi

# ---- replay keeps the workflow of the same alert ----
DB="$T/sorted.db"
"$CXM_BIN" alerts --db "$DB" --state all --format json >"$T/all.json"
first() { python3 -c "import json,sys; a=[a for a in json.load(open(sys.argv[1]))['alerts'] if a['rule']==sys.argv[2]]; print(a[-1]['id'] if a else '')" "$T/all.json" "$1"; }
S=$(first negative-streak)
U=$(first unhappy-share)
[ -n "$S" ] && [ -n "$U" ] || bad "demo days lack an alert of each default rule"
run "$T/o" "$T/e" "$CXM_BIN" alerts ack "$S" --db "$DB"
run "$T/o" "$T/e" "$CXM_BIN" alerts close "$S" --db "$DB" --comment "queue at reg-1"
run "$T/o" "$T/e" "$CXM_BIN" alerts ack "$U" --db "$DB"

run "$T/r.out" "$T/r.err" "$CXM_BIN" alerts replay --db "$DB"
expect_rc 0 "alerts replay with unchanged rules"
expect_last "$T/r.out" "opened 0 alerts, 0 disappeared, $n kept (0 moved)" "unchanged rules: nothing changes"

# a longer cooldown merges pile-ups; a stricter share rule drops its alerts
cat >"$T/strict.ini" <<'INI'
[alert.negative-streak]
cooldown = 3h
[alert.unhappy-share]
share = 0.95
min_ratings = 6
INI
run "$T/r.out" "$T/r.err" "$CXM_BIN" alerts replay --db "$DB" --config "$T/strict.ini"
expect_rc 0 "alerts replay after a rule change"
expect_grep "$T/r.out" "^disappeared #$U unhappy-share .* \(was acknowledged\)$" "the share alert that no longer holds is reported gone, with its state"
expect_grep "$T/r.out" "^opened [0-9]+ alerts?, [1-9][0-9]* disappeared" "the totals say how many disappeared"
"$CXM_BIN" alerts --db "$DB" --state all --format json >"$T/after.json"
check() { local d="$1"; shift; if "$@"; then ok "$d"; else bad "$d"; fi; }
check "the closed streak alert keeps its acknowledgement, closing and comment" python3 - "$T/after.json" "$S" "$(id -un)" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
a = [a for a in d['alerts'] if str(a['id']) == sys.argv[2]]
sys.exit(0 if a and a[0]['state'] == 'closed' and a[0]['comment'] == 'queue at reg-1' and a[0]['acked_by'] == sys.argv[3] else 1)
PY
run "$T/r2.out" "$T/r2.err" "$CXM_BIN" alerts check --db "$DB" --config "$T/strict.ini"
expect_grep "$T/r2.out" "^opened 0 alerts, 0 disappeared, [0-9]+ kept \(0 moved\)$" "check (the alias) again: nothing changes"

# back to the default rules: the share alerts come back as new alerts
run "$T/r3.out" "$T/r3.err" "$CXM_BIN" alerts replay --db "$DB"
expect_grep "$T/r3.out" "^opened +#[0-9]+ unhappy-share " "default rules again: the share alerts open anew"
norm "$DB" "$T/back.txt"
if cmp -s "$T/sorted.txt" "$T/back.txt"; then ok "the alerts are those of the import again"; else
    bad "after replaying the defaults"; diff "$T/sorted.txt" "$T/back.txt" | head | sed 's/^/    | /'; fi

# a period: nothing outside it moves
run "$T/r4.out" "$T/r4.err" "$CXM_BIN" alerts replay --db "$DB" --config "$T/strict.ini" \
    --from 2026-11-21T00:00:00+03:00 --to 2026-11-21T23:59:59+03:00
expect_rc 0 "replay of one day"
if grep -E "^(disappeared|opened|moved) +#" "$T/r4.out" | grep -v " at 2026-11-21T" | grep -qv " to 2026-11-21T"; then
    bad "replay of one day touched another day"; sed 's/^/    | /' "$T/r4.out" | head; else ok "replay of one day touches only that day"; fi
run "$T/o" "$T/e" "$CXM_BIN" alerts replay --db "$DB" --from 2026-13-45
expect_rc 2 "a bad --from is a usage error"
finish
