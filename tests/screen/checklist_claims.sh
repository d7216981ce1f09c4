#!/bin/bash
# Claims between consoles (issue 12): opening an incident claims it for
# `[checklists] claim_expiry` (here 1m) in the shared database; another
# supervisor's claim shows in the queue ("claimed by olga since HH:MM") and,
# once it expires, the queue on screen shows the incident new again by itself
# (nothing is written when a claim lapses: the queue rereads when the first
# claim it lists expires). A claim of another console that is still live
# does not stop this one from opening the form: it is shown there. Each save
# in the form renews its own claim.
. "$(dirname "$0")/lib_screen.sh"
export TZ=UTC-3 CXM_CHECKLISTS_DIR="$CXM_SRC/data/checklists"
DB="$SCR_TMP/cl.db"
me=$(id -un)
L='"location": {"id": "clinic-1", "name": "Клиника"}, "employee": {"id": "e1", "name": "Анна"}'
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
cat >"$SCR_TMP/ev.jsonl" <<JSON
{"id": "cl.a", "ts": "$now", "type": "rating", $L, "desk": "reg-1", "rating": "bad"}
{"id": "cl.b", "ts": "2026-11-23T10:00:00+03:00", "type": "red_button", $L, "desk": "reg-1"}
JSON
"$CXM_BIN" import --db "$DB" "$SCR_TMP/ev.jsonl" >/dev/null || scr_fail "import"
mkdir -p "$XDG_CONFIG_HOME/cxm-console"
printf '[checklists]\nclaim_expiry = 1m\n' >"$XDG_CONFIG_HOME/cxm-console/config.ini"

scr_start 120 40 "$CXM_BIN" --db "$DB" --lang en
scr_wait_for "Dashboard"
scr_keys 5
scr_wait_for "Causes of dissatisfaction: 2 incidents, 2 new"
# the newest (cl.a) on top: Enter claims it for the configured minute
scr_keys Home Enter
scr_wait_for "Causes of dissatisfaction — revision 0, new"
# the claim goes through the deferred write queue: poll until it landed
for ((i = 0; i < 400; i++)); do
    ttl=$(sqlite3 "$DB" "SELECT claimed_by || ' ' || (expires_us - claimed_us) FROM checklist_claims WHERE event_id = 'cl.a'" 2>/dev/null)
    [ -n "$ttl" ] && break
    sleep 0.05
done
[ "$ttl" = "$me 60000000" ] || scr_fail "the claim is not $me's for 1m: '$ttl'"
scr_keys Escape
scr_wait_for "incidents,"

# another supervisor's claim, 3 s from expiry, written by another process
t0=$(($(date +%s%N) / 1000))
sqlite3 "$DB" "INSERT OR REPLACE INTO checklist_claims VALUES ('cl.b', 'olga', $t0, $((t0 + 3000000)))" ||
    scr_fail "sqlite3"
scr_wait_for "claimed by olga"
# nothing else happens; the claim lapses and the queue says so by itself
scr_wait_gone "claimed by olga"
scr_text | grep -E "^11-23 10:00 " | grep -qE " new *$" || scr_fail "the lapsed claim did not free the incident"
scr_wait_for "2 incidents, 2 new"

# a live claim of someone else is shown in the form, which opens anyway
t0=$(($(date +%s%N) / 1000))
sqlite3 "$DB" "INSERT OR REPLACE INTO checklist_claims VALUES ('cl.b', 'olga', $t0, $((t0 + 600000000)))" ||
    scr_fail "sqlite3"
scr_wait_for "claimed by olga"
scr_keys End Enter
scr_wait_for "Claimed by olga since"
scr_keys Escape
scr_wait_for "incidents,"
[ "$(sqlite3 "$DB" "SELECT claimed_by FROM checklist_claims WHERE event_id = 'cl.b'")" = olga ] ||
    scr_fail "olga's live claim was taken over"
# filling the form keeps the claim: the autosave renews it (a form open for
# longer than claim_expiry while the supervisor works must not free it)
scr_keys Home Enter
scr_wait_for "Causes of dissatisfaction — revision 0, new"
# the release on leaving it earlier, then this claim: both through the queue
for ((i = 0; i < 400; i++)); do
    exp0=$(sqlite3 "$DB" "SELECT expires_us FROM checklist_claims WHERE event_id = 'cl.a'" 2>/dev/null)
    [ -n "$exp0" ] && break
    sleep 0.05
done
[ -n "$exp0" ] || scr_fail "opening the form again did not claim cl.a"
scr_keys 1
scr_wait_for "[x] "
for ((i = 0; i < 400; i++)); do
    exp1=$(sqlite3 "$DB" "SELECT c.expires_us FROM checklist_claims c JOIN checklist_entries e
        ON e.event_id = c.event_id WHERE c.event_id = 'cl.a'" 2>/dev/null)
    [ -n "$exp1" ] && [ "$exp1" -gt "$exp0" ] && break
    sleep 0.05
done
[ -n "$exp1" ] && [ "$exp1" -gt "$exp0" ] || scr_fail "the autosave did not renew the claim ($exp0 -> '$exp1')"
scr_keys Escape
scr_wait_for "incidents,"
scr_keys Q
scr_wait_exit
echo "ok"
