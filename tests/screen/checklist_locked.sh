#!/bin/bash
# The checklist form while ANOTHER PROCESS holds the database's write lock
# (another supervisor's import, issue 12: "never a frozen key because another
# supervisor is writing"): Ctrl-S and the draft autosave are queued, the form
# keeps taking keys, nothing fails after the store's busy timeout (the lock
# is held past it), and once the lock is released the save lands with every
# change made meanwhile.
. "$(dirname "$0")/lib_screen.sh"
command -v python3 >/dev/null || { echo "python3 not installed"; exit 77; }

DB="$SCR_TMP/l.db"
export TZ=UTC-3 CXM_CHECKLISTS_DIR="$CXM_SRC/data/checklists"
"$CXM_BIN" import --db "$DB" "$CXM_SRC/tests/fixtures/checklists/causes_events.jsonl" >/dev/null ||
    { echo "import failed"; exit 1; }
show() { "$CXM_BIN" review show --db "$DB" "$1" --format json; }

scr_start 120 44 "$CXM_BIN" --db "$DB" --lang en
scr_wait_for "Dashboard"
scr_keys 5
scr_wait_for "Causes of dissatisfaction: 15 incidents, 15 new"
scr_keys Enter
scr_wait_for "Causes of dissatisfaction — revision 0, new"
scr_wait_for "Rude, disrespectful"
# the claim landed before the other process takes the lock
for ((i = 0; i < 200; i++)); do
    [ "$(sqlite3 "$DB" "SELECT count(*) FROM checklist_claims WHERE event_id = 'i11'")" = 1 ] && break
    sleep 0.05
done

# The other process: BEGIN IMMEDIATE, says "locked", later says "held"
# (past the store's 5 s busy timeout), commits when told.
mkfifo "$SCR_TMP/release"
python3 - "$DB" "$SCR_TMP/release" >"$SCR_TMP/holder.out" 2>&1 <<'PY' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(6)
print("held", flush=True)
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

# toggles, an explicit save, more toggles: every key is answered
scr_keys 1
scr_wait_for "[x] Rude, disrespectful"
scr_keys C-s
scr_keys 2
scr_wait_for "[x] Inattentive, indifferent"
scr_keys 4
scr_wait_for "[x] Slow service"
# past the busy timeout: still no failure, still answering
for ((i = 0; i < 400; i++)); do
    grep -q held "$SCR_TMP/holder.out" && break
    sleep 0.05
done
grep -q held "$SCR_TMP/holder.out" || scr_fail "the lock holder did not hold: $(cat "$SCR_TMP/holder.out")"
scr_keys 4
scr_wait_for "[ ] Slow service"
scr_keys 3
scr_wait_for "[x] Incompetent, could not help"
scr_text | grep -q "Not saved" && scr_fail "a save failed while the lock was held: $(scr_text | grep 'Not saved')"
[ "$(show i11 | python3 -c 'import json,sys; print(json.load(sys.stdin)["revision"])')" = 0 ] ||
    scr_fail "something was written while the lock was held"

echo go >"$SCR_TMP/release"
wait "$HOLDER"
# the queued save lands, then the autosave brings the later changes
for ((i = 0; i < 200; i++)); do
    show i11 | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if sorted(d["causes"]) == ["staff.inattentive", "staff.incompetent", "staff.rude"] and d["status"] == "draft" else 1)' && break
    sleep 0.1
done
show i11 | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if sorted(d["causes"]) == ["staff.inattentive", "staff.incompetent", "staff.rude"] and d["status"] == "draft" else 1)' ||
    scr_fail "the changes did not land after the lock: $(show i11)"
scr_text | grep -q "Not saved" && scr_fail "Not saved after the release"
scr_keys Escape
scr_wait_for "incidents,"
scr_keys Q
scr_wait_exit
echo "ok"
