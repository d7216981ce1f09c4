#!/usr/bin/env bash
# Issue 3: kill -9 of ingest in the middle of a burst, restart -> every event
# the sim sent is stored exactly once (the Last-Event-ID stored with the
# events resumes the stream), and the database passes integrity_check.
# Done twice in one burst, the second time right after a restart.
source "$(dirname "$0")/lib_feed.sh"
feed_deadline 420
N=30000
DB="$T/kill9.db"
SOCK="$T/agent.sock"

start_sim sim --unix "$SOCK" --count $N --rate 5000 --seed 9 --sent "$T/sent.txt" \
    --retry 100 --exit-when-done
sim=$SIM_PID
check "sim listens" wait_for_file "$SOCK" 10

start_ingest ingest1 "$DB" --agent "$SOCK"
check "first ingest stores events" wait_count "$DB" 8000 60
kill -KILL "$INGEST_PID"
wait_exit "$INGEST_PID" 10
at1=$(db_count "$DB")
echo "# killed -9 at $at1 events"

start_ingest ingest2 "$DB" --agent "$SOCK"
check "second ingest stores more" wait_count "$DB" $((at1 + 5000)) 60
kill -KILL "$INGEST_PID"
wait_exit "$INGEST_PID" 10
at2=$(db_count "$DB")
echo "# killed -9 again at $at2 events"
check "the sim is still running (its burst not handed out)" kill -0 "$sim"
check "integrity_check ok after kill -9" integrity_ok "$DB"

start_ingest ingest3 "$DB" --agent "$SOCK"
ing=$INGEST_PID
wait_exit "$sim" 300
check "sim handed out everything and exited 0 (rc $EXIT_RC)" test "$EXIT_RC" -eq 0
sent_ids "$T/sent.txt" >"$T/sent.ids"
want=$(wc -l <"$T/sent.ids")
check "sim sent all $N ids" test "$want" -eq $N
check "ingest stored them" wait_count "$DB" "$want" 30
wait_stable "$DB" 5
check "exactly $want events stored" test "$(db_count "$DB")" -eq "$want"
same_ids "$DB" "$T/sent.ids" "stored == sent"
kill -TERM "$ing"
wait_exit "$ing" 20
check "ingest exits 0 on SIGTERM (rc $EXIT_RC)" test "$EXIT_RC" -eq 0
check "integrity_check ok" integrity_ok "$DB"
finish
