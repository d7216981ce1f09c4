#!/usr/bin/env bash
# Feed benchmark (issue 3): cxm-agent-sim sends 5,000 events/s for 60 s over
# the agent's Unix socket into `cxm-console ingest`. Prints:
#   - CPU of the ingest process during the traffic (% of one core, from
#     utime+stime in /proc/PID/stat);
#   - latency from the sim's send to ingest's commit, p50/p99/max (the sim's
#     --sent "id send_us" joined with ingest's --commit-log "id commit_us");
#   - idle: loop wakeups and voluntary context switches over 30 s with the
#     stream open and no traffic (the sim pings every 10 s).
# Targets: < 25 % of a core, p99 < 100 ms, at most 1 wakeup/s idle.
#   usage: tests/bench/bench_feed.sh [BUILD_DIR]   (RATE, SECS, IDLE_SECS override)
set -u
build=${1:-build}
BIN=${CXM_BIN:-$build/cxm-console}
SIM=${CXM_SIM:-$build/cxm-agent-sim}
RATE=${RATE:-5000}
SECS=${SECS:-60}
IDLE_SECS=${IDLE_SECS:-30}
N=$((RATE * SECS))
for b in "$BIN" "$SIM"; do
    [ -x "$b" ] || { echo "bench_feed: $b not built" >&2; exit 1; }
done
command -v python3 >/dev/null || { echo "bench_feed: needs python3" >&2; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/cxm-bench-feed.XXXXXX")
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT

ticks() { # utime + stime of PID, in clock ticks
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}
vcsw() {
    awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$1/status"
}
now() { date +%s.%N; }
# The status ingest prints on SIGUSR1 ends with "loop wakeups=N".
wakeups() {
    local before
    before=$(grep -c '^loop wakeups=' "$T/ingest.out")
    kill -USR1 "$1"
    for _ in $(seq 50); do
        [ "$(grep -c '^loop wakeups=' "$T/ingest.out")" -gt "$before" ] && break
        sleep 0.1
    done
    grep '^loop wakeups=' "$T/ingest.out" | tail -n 1 | cut -d= -f2
}

"$SIM" --unix "$T/agent.sock" --count "$N" --rate "$RATE" --seed 5 --sent "$T/sent.txt" \
    --ping 10 2>"$T/sim.err" &
pids+=($!)
sim=$!
for _ in $(seq 100); do [ -S "$T/agent.sock" ] && break; sleep 0.05; done

"$BIN" ingest --db "$T/bench.db" --agent "$T/agent.sock" --commit-log "$T/commit.txt" \
    --status-interval 3600 >"$T/ingest.out" 2>"$T/ingest.err" &
pids+=($!)
ing=$!

echo "sending $N events at $RATE/s for $SECS s over a Unix socket (load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores)..."
t0=$(now)
c0=$(ticks "$ing")
# until the sim has handed out everything (its --sent file is complete)
for _ in $(seq $((SECS * 20 + 600))); do
    [ -f "$T/sent.txt" ] && [ "$(wc -l <"$T/sent.txt")" -ge "$N" ] && break
    sleep 0.05
done
# and ingest committed the last of it
for _ in $(seq 200); do
    [ -f "$T/commit.txt" ] && [ "$(wc -l <"$T/commit.txt")" -ge "$N" ] && break
    sleep 0.05
done
t1=$(now)
c1=$(ticks "$ing")
hz=$(getconf CLK_TCK)
stored=$(wc -l <"$T/commit.txt")
python3 - "$t0" "$t1" "$c0" "$c1" "$hz" "$N" "$stored" <<'EOF'
import sys
t0, t1, c0, c1, hz = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
n, stored = int(sys.argv[6]), int(sys.argv[7])
cpu = (c1 - c0) / hz
print(f"events: sent {n}, stored {stored} in {t1 - t0:.1f} s")
print(f"CPU of ingest: {cpu:.2f} s over {t1 - t0:.1f} s = {100 * cpu / (t1 - t0):.1f} % of one core (target < 25 %)")
EOF
python3 - "$T/sent.txt" "$T/commit.txt" <<'EOF'
import sys
sent = {}
for line in open(sys.argv[1]):
    p = line.split()
    if len(p) == 2 and p[0] not in sent:
        sent[p[0]] = int(p[1])
lat = []
for line in open(sys.argv[2]):
    p = line.split()
    if len(p) == 2 and p[0] in sent:
        lat.append((int(p[1]) - sent[p[0]]) / 1000.0)
lat.sort()
if not lat:
    print("latency: no matching ids"); sys.exit(0)
q = lambda f: lat[min(len(lat) - 1, int(f * len(lat)))]
print(f"latency send -> commit over {len(lat)} events: p50 {q(0.50):.2f} ms, p99 {q(0.99):.2f} ms, "
      f"max {lat[-1]:.2f} ms (target p99 < 100 ms)")
EOF

echo "idle for $IDLE_SECS s (stream open, no events, a ping every 10 s)..."
sleep 1
w0=$(wakeups "$ing")
v0=$(vcsw "$ing")
c0=$(ticks "$ing")
sleep "$IDLE_SECS"
w1=$(wakeups "$ing")
v1=$(vcsw "$ing")
c1=$(ticks "$ing")
# the SIGUSR1 that reads the counter is itself one wakeup
w=$((w1 - w0 - 1))
python3 - "$w" "$((v1 - v0))" "$IDLE_SECS" "$((c1 - c0))" "$hz" <<'EOF'
import sys
w, v, s, c, hz = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print(f"idle: {w} loop wakeups in {s:.0f} s = {w / s:.2f}/s (target <= 1/s); "
      f"{v} voluntary context switches; CPU {c / hz:.2f} s")
EOF
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (latency is wall time: a busy machine inflates it)"
