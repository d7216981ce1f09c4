#!/usr/bin/env bash
# Issue 3: the agent (Unix socket) and the cloud (HTTPS) deliver overlapping
# events at the same time -> merged, no duplicates stored, and each source's
# counters (received, duplicates, rejected) add up.
source "$(dirname "$0")/lib_feed.sh"
feed_deadline 300
DB="$T/merge.db"
SOCK="$T/agent.sock"

# 2,000 events of a demo day, written by the sim itself; the agent serves
# lines 1-1400, the cloud lines 601-2000 (800 overlap) plus 5 bad lines.
"$CXM_SIM" --log "$T/all.jsonl" --count 2000 --rate 0 --seed 21 --date 2026-11-23 \
    --exit-when-done 2>"$T/gen.err"
check "2000 events generated" test "$(wc -l <"$T/all.jsonl")" -eq 2000
head -n 1400 "$T/all.jsonl" >"$T/agent.jsonl"
tail -n +601 "$T/all.jsonl" | awk '
    NR % 280 == 0 { print "{\"id\": \"cut-" NR "\", \"ts\": " }   # broken JSON
    { print }' >"$T/cloud.jsonl"
check "cloud file: 1400 events + 5 bad lines" test "$(wc -l <"$T/cloud.jsonl")" -eq 1405
python3 -c 'import json,sys
for l in open(sys.argv[1]): print(json.loads(l)["id"])' "$T/all.jsonl" | sort -u >"$T/all.ids"

check "CA made by openssl" make_ca "$T/pki"
printf 'merge-token\n' >"$T/token"
chmod 600 "$T/token"

start_sim agent --unix "$SOCK" --events "$T/agent.jsonl" --rate 700 --sent "$T/sent_agent.txt" \
    --exit-when-done
agent=$SIM_PID
start_sim cloud --tcp 127.0.0.1:0 --port-file "$T/port" --tls-cert "$T/pki/server.pem" \
    --tls-key "$T/pki/server.key" --token "$T/token" --events "$T/cloud.jsonl" --rate 700 \
    --sent "$T/sent_cloud.txt" --exit-when-done
cloud=$SIM_PID
check "agent sim listens" wait_for_file "$SOCK" 10
check "cloud sim listens" wait_for_file "$T/port" 10

start_ingest ingest "$DB" --agent "$SOCK" --cloud "https://127.0.0.1:$(cat "$T/port")/events" \
    --token-file "$T/token" --ca-file "$T/pki/ca.pem"
ing=$INGEST_PID

wait_exit "$agent" 120
check "agent sim served its 1400 and exited 0 (rc $EXIT_RC)" test "$EXIT_RC" -eq 0
wait_exit "$cloud" 120
check "cloud sim served its 1400 and exited 0 (rc $EXIT_RC)" test "$EXIT_RC" -eq 0
check "2000 events stored" wait_count "$DB" 2000 30
wait_stable "$DB" 5
check "exactly 2000 (800 overlapping delivered twice, stored once)" test "$(db_count "$DB")" -eq 2000
same_ids "$DB" "$T/all.ids" "stored == the union of both sources"

if ingest_status "$ing" "$T/ingest.out"; then
    sed 's/^/# status: /' "$T/status.txt"
    ra=$(status_field agent received); da=$(status_field agent duplicates); ja=$(status_field agent rejected)
    rc=$(status_field cloud received); dc=$(status_field cloud duplicates); jc=$(status_field cloud rejected)
    echo "# agent: received $ra, duplicates $da, rejected $ja; cloud: received $rc, duplicates $dc, rejected $jc"
    check "agent: received 1400" test "${ra:--1}" -eq 1400
    check "cloud: received 1400" test "${rc:--1}" -eq 1400
    check "duplicates across both sources = the 800 overlapping" test $((${da:-0} + ${dc:-0})) -eq 800
    check "agent: rejected 0" test "${ja:--1}" -eq 0
    check "cloud: rejected 5 (the bad lines)" test "${jc:--1}" -eq 5
else
    bad "ingest printed no status line on SIGUSR1"
fi
kill -TERM "$ing"
wait_exit "$ing" 20
check "ingest exits 0 on SIGTERM (rc $EXIT_RC)" test "$EXIT_RC" -eq 0
check "integrity_check ok" integrity_ok "$DB"
finish
