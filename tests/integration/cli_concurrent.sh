#!/usr/bin/env bash
# Two processes import the same 200,000-line file into one database at the
# same moment: both succeed, every id is stored exactly once, and the file is
# sound afterwards (DESIGN §5: BEGIN IMMEDIATE + busy_timeout, ON CONFLICT).
source "$(dirname "$0")/lib_cli.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 shell missing (scripts/deps.sh installs it)"; exit 1; }
N=200000
DB="$T/shared.db"

# Enough demo days for N lines; the ids carry the day, so all are distinct.
"$CXM_BIN" demo-day --seed 42 --date 2026-01-01 --days 120 | head -n "$N" >"$T/events.jsonl"
check "fixture has $N lines" test "$(wc -l <"$T/events.jsonl")" -eq "$N"
distinct=$(python3 -c "import json,sys; print(len({json.loads(l)['id'] for l in open(sys.argv[1])}))" "$T/events.jsonl")
check "fixture ids are distinct" test "$distinct" -eq "$N"

# Start both, then release them together so their transactions interleave.
mkfifo "$T/go"
for p in 1 2; do
    ( read -r _ <"$T/go"; exec "$CXM_BIN" import --db "$DB" "$T/events.jsonl" >"$T/out$p" 2>"$T/err$p" ) &
    pids[$p]=$!
done
sleep 0.2
echo go go >"$T/go" 2>/dev/null || true
# (both readers of the fifo see the line or EOF; either releases them)
for p in 1 2; do
    wait "${pids[$p]}"; rcs[$p]=$?
done
for p in 1 2; do
    rc=${rcs[$p]}
    expect_rc 0 "importer $p"
    if [ -s "$T/err$p" ]; then bad "importer $p: stderr not empty:"; sed 's/^/    | /' "$T/err$p" | head; else ok "importer $p: nothing on stderr"; fi
    expect_grep "$T/out$p" "^imported [0-9]+, duplicates [0-9]+, rejected 0$" "importer $p summary"
done
# Together they stored each event once: imported1 + imported2 == N, and each
# saw the rest as duplicates.
sum=$(python3 - "$T/out1" "$T/out2" "$N" <<'PY'
import re, sys
n = int(sys.argv[3]); tot = 0
for f in sys.argv[1:3]:
    i, d, r = map(int, re.findall(r"\d+", open(f).read().strip().split("\n")[-1]))
    assert i + d == n, (f, i, d)
    tot += i
print(tot)
PY
)
check "imported counts add up to $N (got $sum)" test "$sum" = "$N"
check "events table holds each id exactly once" \
    test "$(sqlite3 "$DB" 'SELECT count(*) = count(DISTINCT id) AND count(*) = '"$N"' FROM events')" = 1
check "integrity_check ok" test "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok

# The rollups agree with the raw events (nothing double counted by the race).
"$CXM_BIN" kpi --db "$DB" --by all --format json >"$T/kpi.json"; rc=$?
expect_rc 0 "kpi after the race"
raw=$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE type = 1")
check "kpi ratings_total equals the stored ratings ($raw)" \
    python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['rows'][0]; sys.exit(r['ratings_total'] != int(sys.argv[2]))" "$T/kpi.json" "$raw"

finish
