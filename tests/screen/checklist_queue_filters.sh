#!/bin/bash
# The incident queue's filters and the form's guards (issue 12), from the
# keyboard: `f` cycles the status filter (new, claimed, draft, done, needs
# info: an entry flagged "needs more information" is its own status until the
# flag is cleared), `o`/`E` keep only the selected row's location/employee,
# `m` only mine, `t` the period, `x` clears them; Esc on a form with unsaved
# changes asks first (a done entry does not autosave): `d` discards, `s`
# saves; `H` lists every revision.
. "$(dirname "$0")/lib_screen.sh"

DB="$SCR_TMP/q.db"
export TZ=UTC-3 CXM_CHECKLISTS_DIR="$CXM_SRC/data/checklists"
me=$(id -un)
"$CXM_BIN" import --db "$DB" "$CXM_SRC/tests/fixtures/checklists/causes_events.jsonl" >/dev/null ||
    { echo "import failed"; exit 1; }
rv() { "$CXM_BIN" review --db "$DB" "$@" >/dev/null || scr_fail "review $*"; }
show() { "$CXM_BIN" review show --db "$DB" "$1" --format json; }
pyq() { # pyq EVENT PYTHON-EXPR-ON-d
    show "$1" | python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if ($2) else 1)"
}
rv i1 --cause staff.rude
rv i1 --cause staff.rude --done
rv i2 --cause process.queue --needs-info
rv j1 --cause staff.slow

scr_start 140 44 "$CXM_BIN" --db "$DB" --lang en
scr_wait_for "Dashboard"
scr_keys 5
H="Causes of dissatisfaction:"
scr_wait_for "$H 15 incidents, 12 new. Status: all; period: all time"
scr_text | grep -qE "^11-23 09:10 .* needs info *$" || scr_fail "needs info is its own status"
scr_text | grep -qF "f: status; t: period; o/E: this location/employee; m: mine; a: in alerts; x: no filters" ||
    scr_fail "the queue does not show its filter keys"

# the status filter, one status after the other
scr_keys f
scr_wait_for "$H 12 incidents, 12 new. Status: new;"
scr_keys f
scr_wait_for "$H 0 incidents, 0 new. Status: claimed;"
scr_keys f
scr_wait_for "$H 1 incidents, 0 new. Status: draft;"
scr_text | grep -qE "^11-23 12:00 .* draft \($me\)" || scr_fail "the draft"
scr_keys f
scr_wait_for "$H 1 incidents, 0 new. Status: done;"
scr_keys f
scr_wait_for "$H 1 incidents, 0 new. Status: needs info;"
scr_text | grep -qE "^11-23 09:10 " || scr_fail "the needs-info incident"
# the supervisor clears the flag (here from another process): a draft again
rv i2 --cause process.queue
scr_wait_for "$H 0 incidents, 0 new. Status: needs info;"
scr_keys f
scr_wait_for "$H 15 incidents, 12 new. Status: all;"
scr_text | grep -qE "^11-23 09:10 .* draft \($me\)" || scr_fail "the flag cleared: a draft"

# location and employee of the selected row (j1: clinic-2, Вера Сидорова)
scr_keys Home j j j j
scr_keys o
scr_wait_for "$H 4 incidents, 3 new. Status: all; period: all time; location clinic-2"
scr_text | grep -q "Клиника на Ленина" && scr_fail "another location left in"
scr_keys o
scr_wait_for "$H 15 incidents, 12 new. Status: all; period: all time"
scr_keys Home E
scr_wait_for "$H 7 incidents, 5 new. Status: all; period: all time; employee e17"
scr_text | grep -qE "Вера Сидорова|Борис Иванов" && scr_fail "another employee left in"
scr_keys x
scr_wait_for "$H 15 incidents, 12 new. Status: all; period: all time"
scr_keys m
scr_wait_for "$H 3 incidents, 0 new. Status: all; period: all time; mine"
scr_keys m t
scr_wait_for "$H 0 incidents, 0 new. Status: all; period: today"
scr_keys x
scr_wait_for "$H 15 incidents, 12 new. Status: all; period: all time"

# Esc with unsaved changes asks; d discards
scr_keys f f f f
scr_wait_for "$H 1 incidents, 0 new. Status: done;"
scr_keys Enter
scr_wait_for "Causes of dissatisfaction — revision 2, done"
scr_keys 2
scr_wait_for "[x] Inattentive, indifferent"
scr_wait_for "revision 2, done, unsaved changes"
scr_keys Escape
scr_wait_for "Unsaved changes. s: save and leave, d: discard and leave:"
scr_keys d Enter
scr_wait_for "$H 1 incidents, 0 new. Status: done;"
pyq i1 'd["revision"] == 2 and d["causes"] == ["staff.rude"]' || scr_fail "discard saved something"
# again; s saves and leaves
scr_keys Enter
scr_wait_for "Causes of dissatisfaction — revision 2, done"
scr_text | grep -qF "[ ] Inattentive, indifferent" || scr_fail "the discarded change came back"
scr_keys 2
scr_wait_for "revision 2, done, unsaved changes"
scr_keys Escape
scr_wait_for "Unsaved changes. s: save and leave, d: discard and leave:"
scr_keys s Enter
scr_wait_for "$H 1 incidents, 0 new. Status: done;"
pyq i1 'd["revision"] == 3 and d["status"] == "done" and d["causes"] == ["staff.rude", "staff.inattentive"]' ||
    scr_fail "save and leave"

# the history: every revision, newest first, who and status
scr_keys Enter
scr_wait_for "Causes of dissatisfaction — revision 3, done"
scr_keys H
scr_wait_for "Revision history"
scr_wait_for "  3  done     $me"
scr_text | grep -qE "^ +2  done +$me .*Rude, disrespectful *$" || scr_fail "history: revision 2"
scr_text | grep -qE "^ +1  draft +$me " || scr_fail "history: revision 1"
scr_text | grep -qE "^ +3  done +$me .*Rude, disrespectful, Inattentive, indifferent" || scr_fail "history: revision 3"
scr_keys H Escape
scr_wait_for "$H 1 incidents, 0 new. Status: done;"
scr_keys Q
scr_wait_exit
echo "ok"
