#!/usr/bin/env bash
# Issue 3: 100,000 events over the agent's Unix socket with a fault about
# every 1,000 events (dropped connections mid-message, malformed messages,
# repeated events, a stall, 503 answers) -> exactly 100,000 distinct events
# stored, none twice; malformed ones counted as rejected, the stream goes on.
source "$(dirname "$0")/lib_feed.sh"
feed_deadline 520
N=100000
DB="$T/faults.db"
SOCK="$T/agent.sock"

# Faults per 1,000 events: 1/3.0 drops + 1/2.9 malformed + 1/3.2 repeats
# ~= 1, plus two 1 s stalls and the first two requests answered 503.
# retry: 100 keeps ~33 reconnects quick.
start_sim sim --unix "$SOCK" --count $N --rate 40000 --seed 3 --sent "$T/sent.txt" \
    --fault-drop 3001 --fault-malformed 2897 --fault-repeat 3203 --fault-stall 1@45000 \
    --fault-status 503:2 --retry 100 --ping 1 --exit-when-done -v
sim=$SIM_PID
check "sim listens" wait_for_file "$SOCK" 10

start_ingest ingest "$DB" --agent "$SOCK"
ing=$INGEST_PID

wait_exit "$sim" 400
check "sim handed out all $N events and exited 0 (rc $EXIT_RC)" test "$EXIT_RC" -eq 0
check "ingest stored $N events" wait_count "$DB" $N 30
wait_stable "$DB" 10
check "ingest still running after the faults" kill -0 "$ing"

drops=$(sim_stat "$T/sim.err" drops)
malformed=$(sim_stat "$T/sim.err" malformed)
repeats=$(sim_stat "$T/sim.err" repeats)
refused=$(sim_stat "$T/sim.err" refused)
stalls=$(sim_stat "$T/sim.err" stalls)
echo "# sim: drops $drops, malformed $malformed, repeats $repeats, 503s $refused, stalls $stalls"
check "faults were injected (>= 90 in all)" test $((drops + malformed + repeats + refused + stalls)) -ge 90

check "exactly $N events stored" test "$(db_count "$DB")" -eq $N
check "no id stored twice" test "$(sqlite3 "$DB" 'SELECT count(*) - count(DISTINCT id) FROM events')" -eq 0
sent_ids "$T/sent.txt" >"$T/sent.ids"
check "sim sent $N distinct ids" test "$(wc -l <"$T/sent.ids")" -eq $N
same_ids "$DB" "$T/sent.ids" "stored == sent"

if ingest_status "$ing" "$T/ingest.out"; then
    sed 's/^/# status: /' "$T/status.txt"
    rej=$(status_field agent rejected)
    dup=$(status_field agent duplicates)
    check "rejected counter = malformed messages sent ($rej = $malformed)" test "${rej:--1}" -eq "$malformed"
    check "duplicates counter >= repeats sent ($dup >= $repeats)" test "${dup:--1}" -ge "$repeats"
else
    bad "ingest printed no status line on SIGUSR1"
fi
check "malformed messages were logged" grep -qiE 'reject|invalid|malformed' "$T/ingest.err" "$T/ingest.out"

kill -TERM "$ing"
wait_exit "$ing" 20
check "ingest exits 0 on SIGTERM (rc $EXIT_RC)" test "$EXIT_RC" -eq 0
check "integrity_check ok" integrity_ok "$DB"
finish
