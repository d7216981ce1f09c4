#!/usr/bin/env bash
# Alert evaluation cost per event in order and fully shuffled (issue 9): demo
# days imported by `cxm-console import` with the default rules and with the
# rules switched off, each in time order and shuffled. Prints events/s and the
# CPU time (user+sys) per event the rules add. CPU figures hold on a busy
# machine better than wall-clock ones; both are printed.
#   usage: bench_alerts_order.sh [BUILD_DIR]   (CXM_BENCH_DAYS=N, default 60)
set -eu
DAYS=${CXM_BENCH_DAYS:-60}
BIN=${CXM_BIN:-${1:-build}/cxm-console}
[ -x "$BIN" ] || { echo "bench_alerts_order: no binary at $BIN" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/cxm-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
export XDG_CONFIG_HOME="$W/config" XDG_DATA_HOME="$W/data" LC_ALL=C.UTF-8

"$BIN" demo-day --days "$DAYS" --date 2026-01-05 --seed 7 >"$W/sorted.jsonl"
python3 - "$W/sorted.jsonl" "$W/shuffled.jsonl" <<'PY'
import random, sys
lines = open(sys.argv[1], encoding="utf-8").readlines()
random.Random(1).shuffle(lines)
open(sys.argv[2], "w", encoding="utf-8").writelines(lines)
PY
N=$(wc -l <"$W/sorted.jsonl")
printf '[alert.negative-streak]\nenabled = no\n[alert.unhappy-share]\nenabled = no\n' >"$W/norules.ini"
: >"$W/defaults.ini"

measure() { # measure ORDER RULES -> "wall_s cpu_s alerts"
    local db="$W/$1-$2.db"
    rm -f "$db"*
    local t0 t1
    t0=$(date +%s.%N)
    /usr/bin/time -f '%U %S' -o "$W/time" "$BIN" import --db "$db" --config "$W/$2.ini" "$W/$1.jsonl" >/dev/null
    t1=$(date +%s.%N)
    local a
    a=$("$BIN" alerts --db "$db" --state all --format csv | tail -n +2 | wc -l)
    python3 -c "import sys; u,s=open(sys.argv[1]).read().split(); print(float(sys.argv[3])-float(sys.argv[2]), float(u)+float(s), sys.argv[4])" \
        "$W/time" "$t0" "$t1" "$a"
}
echo "bench_alerts_order: $N events ($DAYS demo days), import with and without the default rules"
for order in sorted shuffled; do
    read -r w0 c0 a0 < <(measure "$order" norules)
    read -r w1 c1 a1 < <(measure "$order" defaults)
    python3 - "$order" "$N" "$w0" "$c0" "$w1" "$c1" "$a1" <<'PY'
import sys
order, n = sys.argv[1], int(sys.argv[2])
w0, c0, w1, c1 = map(float, sys.argv[3:7])
print(f"  {order:8s}: no rules {n/w0:9.0f} ev/s ({c0:.2f} s CPU); default rules {n/w1:9.0f} ev/s "
      f"({c1:.2f} s CPU, {sys.argv[7]} alerts); rules cost {(c1-c0)/n*1e6:.2f} us CPU per event")
PY
done
