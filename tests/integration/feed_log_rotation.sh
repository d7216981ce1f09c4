#!/usr/bin/env bash
# Issue 3: the agent's log tailed across 20 rename rotations and 5
# copytruncates while it is being written -> every event stored once.
source "$(dirname "$0")/lib_feed.sh"
feed_deadline 180
N=1025
DB="$T/log.db"
LOG="$T/agent.log"

# ingest first: the tailer must also cope with a log that does not exist yet
start_ingest ingest "$DB" --agent-log "$LOG"
ing=$INGEST_PID
sleep 0.5

# rotations after every 50 lines (20 of them), copytruncate after every
# 205 (5; never on the same line as a rotation), 100 lines/s otherwise.
# The log goes quiet for 800 ms before each truncation and after each
# rotation or truncation (see src/sim/README.md): copytruncate is racy for
# any reader, and like tail -F a reader that falls two renames behind cannot
# find the file in between; a sanitizer build on a busy machine can take
# most of a second to get round to the file.
start_sim sim --log "$LOG" --count $N --rate 100 --seed 5 --rotate-every 50 \
    --truncate-every 205 --log-grace 800 --sent "$T/sent.txt" --exit-when-done
sim=$SIM_PID
wait_exit "$sim" 90
check "sim wrote $N lines and exited 0 (rc $EXIT_RC)" test "$EXIT_RC" -eq 0
check "20 rotations" test "$(sim_stat "$T/sim.err" rotations)" -eq 20
check "5 truncations" test "$(sim_stat "$T/sim.err" truncations)" -eq 5

check "ingest stored $N events" wait_count "$DB" $N 30
wait_stable "$DB" 5
check "exactly $N events stored" test "$(db_count "$DB")" -eq $N
sent_ids "$T/sent.txt" >"$T/sent.ids"
check "sim wrote $N distinct ids" test "$(wc -l <"$T/sent.ids")" -eq $N
same_ids "$DB" "$T/sent.ids" "stored == written"
if ingest_status "$ing" "$T/ingest.out"; then
    sed 's/^/# status: /' "$T/status.txt"
    check "log source: no rejected lines" test "$(status_field agent-log rejected)" = 0
else
    bad "ingest printed no status line on SIGUSR1"
fi

# A restart resumes from the stored file identity and offset: the lines
# written while ingest is down are read once, none again.
kill -TERM "$ing"
wait_exit "$ing" 20
check "ingest exits 0 on SIGTERM (rc $EXIT_RC)" test "$EXIT_RC" -eq 0
start_sim sim2 --log "$LOG" --count 300 --rate 0 --seed 6 --sent "$T/sent2.txt" --exit-when-done
wait_exit "$SIM_PID" 20
start_ingest ingest2 "$DB" --agent-log "$LOG"
ing=$INGEST_PID
check "after a restart: the 300 new lines stored" wait_count "$DB" $((N + 300)) 30
wait_stable "$DB" 5
check "after a restart: exactly $((N + 300)) events" test "$(db_count "$DB")" -eq $((N + 300))
cat "$T/sent.ids" <(sent_ids "$T/sent2.txt") | sort -u >"$T/all.ids"
same_ids "$DB" "$T/all.ids" "stored == written, across the restart"
kill -TERM "$ing"
wait_exit "$ing" 20
check "integrity_check ok" integrity_ok "$DB"
finish
