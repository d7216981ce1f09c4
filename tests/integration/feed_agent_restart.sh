#!/usr/bin/env bash
# The agent restarts (listener and every connection closed, reopened 300 ms
# later) and stalls longer than ingest's heartbeat timeout: ingest must
# reconnect each time, declare the silent stream dead, resume by
# Last-Event-ID, and store every event exactly once.
source "$(dirname "$0")/lib_feed.sh"
feed_deadline 300
N=12000
DB="$T/restart.db"
SOCK="$T/agent.sock"

# a restart every 3000 events handed out; one 4 s stall after 10000
# events, against a 2 s heartbeat timeout (no pings: a stall is silence).
start_sim sim --unix "$SOCK" --count $N --rate 8000 --seed 13 --sent "$T/sent.txt" \
    --fault-restart 3000 --fault-stall 4@10000 --retry 100 --exit-when-done -v
sim=$SIM_PID
check "sim listens" wait_for_file "$SOCK" 10
start_ingest ingest "$DB" --agent "$SOCK" --heartbeat-timeout 2
ing=$INGEST_PID

wait_exit "$sim" 200
check "sim handed out everything and exited 0 (rc $EXIT_RC)" test "$EXIT_RC" -eq 0
check "3 or more restarts (resends count too)" test "$(sim_stat "$T/sim.err" restarts)" -ge 3
check "1 stall" test "$(sim_stat "$T/sim.err" stalls)" -eq 1
check "ingest stored $N" wait_count "$DB" $N 30
wait_stable "$DB" 5
check "exactly $N events stored" test "$(db_count "$DB")" -eq $N
sent_ids "$T/sent.txt" >"$T/sent.ids"
same_ids "$DB" "$T/sent.ids" "stored == sent"
# the stall: the request after it is the reconnect made by the watchdog
check "ingest reconnected during the stall (watchdog), not after it" \
    test "$(grep -c 'GET /events' "$T/sim.err")" -ge 5
check "ingest says why it reconnected" grep -qiE 'silent|heartbeat|timeout|idle' "$T/ingest.err" "$T/ingest.out"
kill -TERM "$ing"
wait_exit "$ing" 20
check "ingest exits 0 on SIGTERM (rc $EXIT_RC)" test "$EXIT_RC" -eq 0
check "integrity_check ok" integrity_ok "$DB"
finish
