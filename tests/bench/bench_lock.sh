#!/usr/bin/env bash
# Key-to-frame while ANOTHER PROCESS holds a write transaction (issue 7): the
# console follows a live feed (cxm-agent-sim, 100 events/s, so the hub wants
# to commit on every pass) and is scrolled on a pty by bench_tui_pty, first
# with the database free, then while a second process holds BEGIN IMMEDIATE
# for the whole run (as another supervisor's import does). Before the fix
# every pass waited the 5 s busy timeout for the lock. Prints figures only.
#   usage: bench_lock.sh [BUILD_DIR]
# CXM_BENCH_BASE_BIN=/path/to/an/older/cxm-console measures that one too.
set -u
build=$(cd "${1:-${CXM_BUILD:-build}}" && pwd) || exit 1
src=${CXM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=$build/cxm-console
SIM=$build/cxm-agent-sim
PTY=$build/tests/bench_tui_pty
for b in "$BIN" "$SIM" "$PTY"; do
    [ -x "$b" ] || { echo "bench_lock: $b not built"; exit 1; }
done
command -v python3 >/dev/null || { echo "bench_lock: python3 needed for the lock holder"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cxm-bench-lock.XXXXXX")
SIM_PID= HOLDER=
cleanup() {
    [ -n "$HOLDER" ] && { echo go >"$tmp/release" & } && wait "$HOLDER" 2>/dev/null
    [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
export XDG_CONFIG_HOME="$tmp/config" XDG_STATE_HOME="$tmp/state" XDG_DATA_HOME="$tmp/data"
export XDG_RUNTIME_DIR="$tmp/run" LANG=C.UTF-8 LC_ALL=C.UTF-8 CXM_THEMES_DIR="$src/themes"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_STATE_HOME" "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
unset NO_COLOR

DB=$tmp/lock.db
"$BIN" import --db "$DB" "$src/tests/fixtures/alerts/day.jsonl" >/dev/null || exit 1

"$SIM" --unix "$tmp/agent.sock" --rate 100 --live-only --seed "$(date +%s)" 2>"$tmp/sim.err" &
SIM_PID=$!
for ((i = 0; i < 50; i++)); do [ -S "$tmp/agent.sock" ] && break; sleep 0.1; done

hold() {
    mkfifo "$tmp/release"
    python3 - "$DB" "$tmp/release" >"$tmp/holder.out" 2>&1 <<'PY' &
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
open(sys.argv[2]).read()
db.execute("COMMIT")
PY
    HOLDER=$!
    for ((i = 0; i < 200; i++)); do grep -q locked "$tmp/holder.out" && return 0; sleep 0.05; done
    echo "bench_lock: the lock holder did not start"; exit 1
}
release() {
    echo go >"$tmp/release"
    wait "$HOLDER"
    HOLDER=
    rm -f "$tmp/release"
}

run() { # label binary
    echo "--- $1"
    "$PTY" --cols 120 --rows 40 --idle 0 --keys 30 --key-timeout 15000 -- \
        "$2" --db "$DB" --agent "$tmp/agent.sock" --lang en | grep -E "key-to-frame|without a frame|first"
}

echo "measured on a shared, busy machine: load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
run "this build, database free" "$BIN"
hold
run "this build, another process holds BEGIN IMMEDIATE" "$BIN"
release
if [ -n "${CXM_BENCH_BASE_BIN:-}" ] && [ -x "$CXM_BENCH_BASE_BIN" ]; then
    run "baseline $CXM_BENCH_BASE_BIN, database free" "$CXM_BENCH_BASE_BIN"
    hold
    run "baseline, another process holds BEGIN IMMEDIATE" "$CXM_BENCH_BASE_BIN"
    release
fi
exit 0
