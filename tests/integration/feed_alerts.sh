# Alerts on the live path: `cxm-console ingest` tails an agent log while the
# fixture day is appended to it a few lines at a time; the hub checks the
# rules in each pass's transaction, so the alerts appear while it runs and
# another process (a supervisor's `alerts`) sees them. A second ingest over
# the same log and database (restart) opens nothing twice.
. "$(dirname "$0")/lib_feed.sh"
feed_deadline 120
FIX="$CXM_SRC/tests/fixtures/alerts/day.jsonl"
DB="$T/live.db"
LOG="$T/agent.log"
: >"$LOG"

alerts_json() { "$CXM_BIN" alerts --db "$DB" --state all --format json 2>"$T/alerts.err"; }
n_alerts() { alerts_json | python3 -c "import json,sys; print(len(json.load(sys.stdin)['alerts']))" 2>/dev/null || echo -1; }

start_ingest ingest "$DB" --agent-log "$LOG"
# the morning: up to the second bad event there is nothing
head -n 6 "$FIX" >>"$LOG"
check "ingest stored the first 6 events" wait_count "$DB" 6 20
[ "$(n_alerts)" = 0 ] && ok "two matching events: no alert" || bad "an alert before the third event"

# the third (10:20 bad) in its own pass
sed -n 7p "$FIX" >>"$LOG"
end=$((SECONDS + 20))
while [ "$SECONDS" -lt "$end" ] && [ "$(n_alerts)" != 1 ]; do sleep 0.2; done
[ "$(n_alerts)" = 1 ] && ok "the third event opens the streak alert while ingest runs" || bad "no alert after the third event"

# the rest of the day: the 4th joins, the afternoon share alert opens
tail -n +8 "$FIX" >>"$LOG"
check "all 14 stored" wait_count "$DB" 14 20
end=$((SECONDS + 20))
while [ "$SECONDS" -lt "$end" ] && [ "$(n_alerts)" != 2 ]; do sleep 0.2; done
alerts_json >"$T/a.json"
if python3 - "$T/a.json" <<'PY'; then ok "live: the two alerts of the day with their events"; else bad "live alerts"; cat "$T/a.json"; fi
import json, sys
a = {x["rule"]: x for x in json.load(open(sys.argv[1]))["alerts"]}
sys.exit(not (set(a) == {"negative-streak", "unhappy-share"}
              and a["negative-streak"]["events"] == ["a.010", "a.011", "a.012", "a.013"]
              and a["negative-streak"]["opened"] == "2026-11-23T10:20:00.000+03:00"
              and a["unhappy-share"]["events"] == ["s.011", "s.013"]))
PY

kill -TERM "$INGEST_PID"
wait_exit "$INGEST_PID" 10
[ "$EXIT_RC" = 0 ] && ok "ingest exits 0 on SIGTERM" || bad "ingest exit $EXIT_RC"

# restart over the same log: it resumes, nothing new, no twin alerts. Wait
# until ingest says it has read the replayed day (all 14 as duplicates), so
# the checks below cannot pass on events that were never read.
start_ingest ingest2 "$DB" --agent-log "$LOG" --status-interval 0.2
cat "$FIX" >>"$LOG" # the same events again: duplicates by id
end=$((SECONDS + 30))
while [ "$SECONDS" -lt "$end" ] && ! grep -qE 'received=14 duplicates=14 ' "$T/ingest2.out"; do
    sleep 0.1
done
grep -qE 'received=14 duplicates=14 ' "$T/ingest2.out" && ok "restart: the replayed day was read, all duplicates" ||
    { bad "restart: ingest never read the replayed events"; tail -n 3 "$T/ingest2.out"; }
kill -TERM "$INGEST_PID"
wait_exit "$INGEST_PID" 10
[ "$(db_count "$DB")" = 14 ] && ok "restart: still 14 events" || bad "restart: $(db_count "$DB") events"
[ "$(n_alerts)" = 2 ] && ok "restart and replayed events: still 2 alerts" || bad "restart: $(n_alerts) alerts"

finish
