#!/usr/bin/env bash
# Ingest benchmark (issue 2): 1,000,000 events as JSON lines imported by
# `cxm-console import` into a fresh database, against the sqlite3 shell's
# `.import` of the same rows as CSV into a table with the same columns and
# indexes (taken from the database cxm-console just wrote, so they match).
# Prints events/s of both and the ratio; targets: >= 250,000 events/s, ratio >= 0.5.
# Wall-clock figures depend on what else runs; CPU (user+sys) figures are
# printed too so a busy machine can still be compared.
#   usage: bench_ingest.sh [BUILD_DIR]    (or CXM_BIN=... bench_ingest.sh)
set -eu
N=${CXM_BENCH_EVENTS:-1000000}
BIN=${CXM_BIN:-${1:-build}/cxm-console}
[ -x "$BIN" ] || { echo "bench_ingest: no binary at $BIN" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "bench_ingest: the sqlite3 shell is missing" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/cxm-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
export XDG_CONFIG_HOME="$W/config" XDG_DATA_HOME="$W/data" LC_ALL=C.UTF-8

# ~1,800 events per demo day: enough days for N lines.
days=$(( N / 1500 + 1 ))
"$BIN" demo-day --seed 2026 --date 2024-01-01 --days "$days" | head -n "$N" >"$W/events.jsonl"
have=$(wc -l <"$W/events.jsonl")
[ "$have" -eq "$N" ] || { echo "bench_ingest: generated only $have lines" >&2; exit 1; }
echo "bench_ingest: $N events, $(( $(stat -c %s "$W/events.jsonl") / 1048576 )) MiB of JSON lines"

calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }

# timed NAME CMD...: runs CMD, sets ${NAME}_wall and ${NAME}_cpu (seconds).
timed() {
    local name=$1; shift
    local t0 t1 c0 c1
    t0=$(date +%s.%N)
    c0=$(awk '{print $14 + $15 + $16 + $17}' /proc/$$/stat) # our children's user+sys ticks so far
    "$@"
    t1=$(date +%s.%N)
    c1=$(awk '{print $14 + $15 + $16 + $17}' /proc/$$/stat)
    printf -v "${name}_wall" '%s' "$(calc "$t1 - $t0")"
    printf -v "${name}_cpu" '%s' "$(calc "($c1 - $c0) / $(getconf CLK_TCK)")"
}

sync
timed cxm "$BIN" import --db "$W/cxm.db" "$W/events.jsonl" >"$W/import.out"
tail -n 1 "$W/import.out"
grep -q "^imported $N, duplicates 0, rejected 0$" "$W/import.out" || { echo "bench_ingest: import did not store every event" >&2; exit 1; }

# The same rows, as CSV, into the same table definition and indexes.
sqlite3 -csv "$W/cxm.db" "SELECT * FROM events" >"$W/events.csv"
sqlite3 "$W/cxm.db" ".schema events" >"$W/schema.sql"
sqlite3 "$W/sh.db" "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;" >/dev/null
sqlite3 "$W/sh.db" <"$W/schema.sql"
sync
timed shell sqlite3 "$W/sh.db" ".import --csv $W/events.csv events"
rows=$(sqlite3 "$W/sh.db" "SELECT count(*) FROM events")
[ "$rows" -eq "$N" ] || { echo "bench_ingest: sqlite3 .import stored $rows rows" >&2; exit 1; }

rate() { awk "BEGIN { printf \"%.0f\", $N / $1 }"; }
echo "indexes on events: $(grep -c '^CREATE INDEX' "$W/schema.sql") (+ primary key)"
printf '%-28s %10s events/s wall (%6.2f s)   %10s events/s CPU (%6.2f s)\n' \
    "cxm-console import:" "$(rate "$cxm_wall")" "$cxm_wall" "$(rate "$cxm_cpu")" "$cxm_cpu"
printf '%-28s %10s events/s wall (%6.2f s)   %10s events/s CPU (%6.2f s)\n' \
    "sqlite3 .import (CSV):" "$(rate "$shell_wall")" "$shell_wall" "$(rate "$shell_cpu")" "$shell_cpu"
printf 'ratio cxm/sqlite3: %.2f wall, %.2f CPU   (targets: >= 250000 events/s, ratio >= 0.5)\n' \
    "$(calc "$shell_wall / $cxm_wall")" "$(calc "$shell_cpu / $cxm_cpu")"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
