#!/bin/bash
# Acknowledging alerts while ANOTHER PROCESS holds the database's write lock
# (another supervisor's import): the key is answered at once with "the
# database is busy" instead of freezing the console for the busy timeout,
# the console keeps taking keys, and both acks land, in order, once the
# lock is released.
. "$(dirname "$0")/lib_screen.sh"
command -v python3 >/dev/null || { echo "python3 not installed"; exit 77; }

DB="$SCR_TMP/alerts.db"
export TZ=UTC-3
me=$(id -un)
printf '[alert.negative-streak]\nenabled = no\n[alert.unhappy-share]\nenabled = no\n' >"$SCR_TMP/norules.ini"
"$CXM_BIN" import --db "$DB" --config "$SCR_TMP/norules.ini" "$CXM_SRC/tests/fixtures/alerts/day.jsonl" >/dev/null ||
    { echo "import failed"; exit 1; }
"$CXM_BIN" alerts check --db "$DB" >/dev/null || { echo "alerts check failed"; exit 1; }
"$CXM_BIN" alerts --db "$DB" --state open --format json |
    python3 -c 'import json,sys; sys.exit(len(json.load(sys.stdin)["alerts"]) != 2)' ||
    { echo "alerts check did not open 2"; exit 1; }

scr_start 120 30 "$CXM_BIN" --db "$DB" --lang en
scr_wait_for "2 open alert(s)"
scr_keys 4
scr_wait_for "Open 2, acknowledged 0, all 2"

# The other process: BEGIN IMMEDIATE, says "locked", commits when told.
mkfifo "$SCR_TMP/release"
python3 - "$DB" "$SCR_TMP/release" >"$SCR_TMP/holder.out" 2>&1 <<'PY' &
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
open(sys.argv[2]).read()
db.execute("COMMIT")
print("released", flush=True)
PY
HOLDER=$!
for ((i = 0; i < 200; i++)); do
    grep -q locked "$SCR_TMP/holder.out" && break
    kill -0 "$HOLDER" 2>/dev/null || break
    sleep 0.05
done
grep -q locked "$SCR_TMP/holder.out" || scr_fail "the lock holder did not start: $(cat "$SCR_TMP/holder.out")"

# Newest first: alert 2 on top, then alert 1.
scr_keys a
scr_wait_for "Alert 2: the database is busy (another writer); saved as soon as it is free"
scr_keys Down a
scr_wait_for "Alert 1: the database is busy"
# Still taking keys while the lock is held: help opens and closes.
scr_keys '?'
scr_wait_for "Help"
scr_keys q
scr_wait_for "Open 2, acknowledged 0, all 2"
# Nothing reached the database yet (readers are not blocked in WAL mode).
[ "$("$CXM_BIN" alerts --db "$DB" --state open --format csv | grep -c ',acknowledged,')" = 0 ] ||
    scr_fail "an ack was written while the lock was held"

echo go >"$SCR_TMP/release"
wait "$HOLDER"
scr_wait_for "Alert 1 acknowledged"
scr_wait_for "Open 0, acknowledged 2, all 2"
"$CXM_BIN" alerts --db "$DB" --state all --format json >"$SCR_TMP/all.json"
python3 - "$SCR_TMP/all.json" "$me" <<'PY' || scr_fail "the acks did not reach the database in order"
import json, sys
a = sorted(json.load(open(sys.argv[1]))["alerts"], key=lambda x: x["id"])
ok = len(a) == 2 and all(x["state"] == "acknowledged" and x["acked_by"] == sys.argv[2] for x in a)
# applied in the order of the keys: alert 2 first (same-format ISO times sort as text)
ok = ok and a[1]["acked_at"] <= a[0]["acked_at"]
sys.exit(not ok)
PY
scr_keys q
scr_wait_exit
[ "$SCR_RC" = 0 ] || scr_fail "exit status $SCR_RC"
echo "ok"
