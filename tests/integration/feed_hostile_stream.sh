#!/usr/bin/env bash
# Issue 11, a hostile SSE server over a real local socket (hostile_sse.py):
#  - a message over the 64 KiB cap is named by its own id (it used to be
#    named by the id of whatever message followed it in the same read), or
#    said to have no id / an unknown one; the good messages around it stay;
#  - a body error after a good header (bad chunked encoding) is logged, not
#    only shown in the status line;
#  - such a server is reconnected to with a growing backoff: the backoff is
#    reset only by a good event, not by every good header (it used to be, and
#    a garbage-body server got ~2.7 reconnects a second).
source "$(dirname "$0")/lib_feed.sh"
feed_deadline 120
PY="$CXM_SRC/tests/integration/hostile_sse.py"

ev() { # ev ID : one valid event's JSON
    printf '{"id": "%s", "ts": "2026-11-23T10:00:00+03:00", "type": "arrival", "location": {"id": "l1"}, "desk": "d1"}' "$1"
}
big=$(head -c 70000 /dev/zero | tr '\0' 'x')

# ---- oversized messages are named by their own id ----
{
    printf 'id: big.1\ndata: {"id": "big.1", "pad": "%s"}\n\n' "$big"
    printf 'id: ok.1\ndata: %s\n\n' "$(ev ok.1)"
    printf 'data: {"pad": "%s"}\n\n' "$big"
    printf 'id: ok.2\ndata: %s\n\n' "$(ev ok.2)"
    printf 'id: %s\ndata: {}\n\n' "$big"
    printf 'id: ok.3\ndata: %s\n\n' "$(ev ok.3)"
} >"$T/body.sse"
python3 "$PY" --port-file "$T/port1" --conn-log "$T/conn1" --body "$T/body.sse" 2>"$T/srv1.err" &
CHILDREN+=($!)
check "server 1 listens" wait_for_file "$T/port1" 10
start_ingest big "$T/big.db" --agent "http://127.0.0.1:$(cat "$T/port1")/events"
check "the three good events are stored" wait_count "$T/big.db" 3 20
check "the oversized message with an id is named by it" \
    wait_grep "$T/big.err" "rejected message id 'big\.1': message over the 64 KiB limit" 10
check "the oversized message without an id says so, and where it was" \
    grep -q "rejected message without an id (after id 'ok\.1'): message over the 64 KiB limit" "$T/big.err"
check "the message whose id line is over the limit: its id is unknown" \
    grep -q "rejected message of unknown id (its id line is over the limit too; after id 'ok\.2')" "$T/big.err"
check "no rejection is named after the next event's id" \
    bash -c "! grep -qE \"rejected message (id|after id) 'ok\\.\" '$T/big.err'"
check "exactly ok.1 ok.2 ok.3 stored" \
    test "$(sqlite3 "$T/big.db" 'SELECT group_concat(id, " ") FROM (SELECT id FROM events ORDER BY id)')" = "ok.1 ok.2 ok.3"
kill -TERM "$INGEST_PID"
wait_exit "$INGEST_PID" 10

# ---- garbage bodies: logged, and backed off ----
python3 "$PY" --port-file "$T/port2" --conn-log "$T/conn2" --garbage-chunks 2>"$T/srv2.err" &
CHILDREN+=($!)
check "server 2 listens" wait_for_file "$T/port2" 10
start_ingest garbage "$T/garbage.db" --agent "http://127.0.0.1:$(cat "$T/port2")/events"
n_conn() { [ "$(wc -l <"$T/conn2")" -ge "$1" ]; }
end=$((SECONDS + 40))
while ! n_conn 5 && [ "$SECONDS" -lt "$end" ]; do sleep 0.1; done
check "five connections were made" n_conn 5
# Equal jitter: attempt k waits at least half of 500 ms * 2^k. With the
# backoff reset by every good header each wait was 250-500 ms.
gaps=$(awk 'NR > 1 && NR <= 5 { printf "%.3f ", $2 - prev } { prev = $2 }' "$T/conn2")
echo "# gaps between connections (s): $gaps"
read -r g1 g2 g3 g4 <<<"$gaps"
check "the backoff grows: 2nd wait >= 0.45 s ($g2)" awk -v g="$g2" 'BEGIN { exit !(g >= 0.45) }'
check "the backoff grows: 3rd wait >= 0.95 s ($g3)" awk -v g="$g3" 'BEGIN { exit !(g >= 0.95) }'
check "the backoff grows: 4th wait >= 1.9 s ($g4)" awk -v g="$g4" 'BEGIN { exit !(g >= 1.9) }'
check "the body error is in the log, not only the status line" \
    grep -qiE "events: .*chunked.*: reconnecting" "$T/garbage.err"
check "nothing was stored from garbage" test "$(db_count "$T/garbage.db")" -eq 0
kill -TERM "$INGEST_PID"
check "ingest exits on SIGTERM" wait_exit "$INGEST_PID" 10
finish
