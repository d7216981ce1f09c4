#!/usr/bin/env bash
# TUI benchmark (issue 4): with a 5,000,000-event database, the time to the
# first full frame, key-to-frame latency while scrolling the stream
# (p50/p99), RSS, CPU while idle and while cxm-agent-sim sends 1,000
# events/s. Targets: first frame < 300 ms, p99 < 20 ms, RSS < 64 MB, idle
# CPU < 0.5 %, < 15 % of a core at 1,000 events/s. Prints figures only.
#   usage: bench_tui.sh [BUILD_DIR]
# The database is built once (bench_views build: a year of a 60-employee
# site) and kept: $CXM_BENCH_TUI_DB, default BUILD_DIR/bench-tui-5m.db.
set -u
build=$(cd "${1:-${CXM_BUILD:-build}}" && pwd) || exit 1
BIN=$build/cxm-console
SIM=$build/cxm-agent-sim
VIEWS=$build/tests/bench_views
PTY=$build/tests/bench_tui_pty
for b in "$BIN" "$SIM" "$VIEWS" "$PTY"; do
    [ -x "$b" ] || { echo "bench_tui: $b not built"; exit 1; }
done
DB=${CXM_BENCH_TUI_DB:-$build/bench-tui-5m.db}
N=${CXM_BENCH_TUI_EVENTS:-5000000}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cxm-bench-tui.XXXXXX")
SIM_PID=
cleanup() {
    [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
export XDG_CONFIG_HOME="$tmp/config" XDG_STATE_HOME="$tmp/state" XDG_DATA_HOME="$tmp/data"
export XDG_RUNTIME_DIR="$tmp/run" LANG=C.UTF-8 LC_ALL=C.UTF-8
mkdir -p "$XDG_CONFIG_HOME" "$XDG_STATE_HOME" "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
unset NO_COLOR

count() { command -v sqlite3 >/dev/null && sqlite3 "$DB" "SELECT count(*) FROM events" || echo "?"; }

if [ ! -s "$DB" ]; then
    echo "building a $N-event database at $DB (once; minutes)"
    "$VIEWS" build "$DB.tmp" "$N" 365 || exit 1
    mv "$DB.tmp" "$DB"
    rm -f "$DB.tmp-wal" "$DB.tmp-shm"
fi
echo "database: $DB, $(count) events, $(du -m "$DB" | cut -f1) MB"
# Warm the page cache the way a console that has been running would have it.
cat "$DB" >/dev/null

echo "--- view queries (bench_views query)"
"$VIEWS" query "$DB"

echo "--- the console on a 200x50 pty: first frame, idle CPU, scrolling, RSS"
"$PTY" --cols 200 --rows 50 --idle 10 --keys 400 -- "$BIN" --db "$DB" --lang en
echo "--- the same at 80x24"
"$PTY" --cols 80 --rows 24 --idle 0 --keys 200 -- "$BIN" --db "$DB" --lang en

echo "--- 1,000 events/s from cxm-agent-sim over --agent (Unix socket)"
before=$(count)
# A new seed each run: the sim's ids carry it, so nothing is a duplicate of
# what an earlier run stored.
"$SIM" --unix "$tmp/agent.sock" --rate 1000 --live-only --seed "$(date +%s)" 2>"$tmp/sim.err" &
SIM_PID=$!
for ((i = 0; i < 50; i++)); do [ -S "$tmp/agent.sock" ] && break; sleep 0.1; done
"$PTY" --cols 200 --rows 50 --idle 0 --keys 0 --busy 10 -- "$BIN" --db "$DB" --agent "$tmp/agent.sock" --lang en
after=$(count)
echo "events stored by the console meanwhile: $before -> $after"
# The floor: the same feed into the same database with no screen at all.
"$BIN" ingest --db "$DB" --agent "$tmp/agent.sock" >"$tmp/ingest.out" 2>&1 &
IPID=$!
sleep 3
t0=$(awk '{print $14 + $15}' "/proc/$IPID/stat")
sleep 10
t1=$(awk '{print $14 + $15}' "/proc/$IPID/stat")
kill "$IPID" 2>/dev/null
wait "$IPID" 2>/dev/null
hz=$(getconf CLK_TCK)
echo "for comparison, headless 'cxm-console ingest' of the same feed: $(awk -v a="$t0" -v b="$t1" -v hz="$hz" 'BEGIN{printf "%.2f", (b - a) / hz / 10 * 100}') % of a core"
kill "$SIM_PID" 2>/dev/null
wait "$SIM_PID" 2>/dev/null
SIM_PID=
echo "load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
