#!/bin/bash
# The checklist from the keyboard (issue 12): the incident queue (`5`), Enter
# claims the incident (the CLI's other console sees "claimed") and opens the
# form; number keys and Space toggle causes, `*` marks the primary, Tab
# reaches the comment, Enter opens the line editor, a Cyrillic comment,
# Ctrl-S saves; Esc leaves; the queue shows the draft; Enter reopens it with
# everything; `D` marks done. Then two supervisors: `review` from another
# process saves meanwhile, Ctrl-S in the form is refused with that
# supervisor's name, `o` overwrites deliberately. The causes view (`6`)
# shows the Pareto table with the 80 % line.
. "$(dirname "$0")/lib_screen.sh"

DB="$SCR_TMP/c.db"
export TZ=UTC-3 CXM_CHECKLISTS_DIR="$CXM_SRC/data/checklists"
me=$(id -un)
"$CXM_BIN" import --db "$DB" "$CXM_SRC/tests/fixtures/checklists/causes_events.jsonl" >/dev/null ||
    { echo "import failed"; exit 1; }
show() { "$CXM_BIN" review show --db "$DB" "$1" --format json; }
pyq() { # pyq EVENT PYTHON-EXPR-ON-d
    show "$1" | python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if ($2) else 1)"
}

scr_start 120 44 "$CXM_BIN" --db "$DB" --lang en
scr_wait_for "Dashboard"
scr_keys 5
scr_wait_for "Causes of dissatisfaction: 15 incidents, 15 new"
# newest first: i11 (2026-11-24 00:00) on top
scr_text | grep -qE "^11-24 00:00 +Клиника на Ленина / r.* +Анна Петрова +☹ bad +- +- +- +new" || scr_fail "the newest incident on top"
scr_keys Enter
scr_wait_for "Causes of dissatisfaction — revision 0, new"
scr_wait_for "Rude, disrespectful"
# the claim is in the shared database for every other console
"$CXM_BIN" review show --db "$DB" i11 --format json >/dev/null
sqlite3 "$DB" "SELECT claimed_by FROM checklist_claims WHERE event_id = 'i11'" | grep -qx "$me" ||
    scr_fail "no claim in the database"

# 1 = the first item of the current section (staff): rude; then down to
# "inattentive" with j and Space; `*` on it makes it the primary cause
scr_keys 1
scr_wait_for "[x] Rude, disrespectful"
scr_keys j Space
scr_wait_for "[x] Inattentive, indifferent"
scr_keys '*'
scr_wait_for "Inattentive, indifferent  * primary"
# Tab to the next section (process): 1 = queue and waiting
scr_keys Tab 1
scr_wait_for "[x] Queue and waiting"
# Tab through the sections to the comment field, Enter opens the editor
scr_keys Tab Tab Tab Tab
scr_wait_for "> Comment: (Enter to write)"
scr_keys Enter
scr_wait_for "Comment:"
scr_keys -l "Грубо ответила, очередь до двери"
scr_keys Enter
scr_wait_for "Comment: Грубо ответила, очередь до двери"
scr_keys C-s
scr_wait_for "Saved revision"
pyq i11 'd["status"] == "draft" and sorted(d["causes"]) == ["process.queue", "staff.inattentive", "staff.rude"] and d["primary"] == "staff.inattentive" and d["comment"] == "Грубо ответила, очередь до двери" and d["reviewer"] == "'"$me"'"' ||
    scr_fail "the saved draft in the database"

# leave, the queue shows the draft; reopen and see everything
scr_keys Escape
scr_wait_for "Causes of dissatisfaction: 15 incidents, 14 new"
scr_text | grep -qE "^11-24 00:00 .*draft \($me\)|^11-24 00:00 .*claimed by $me" || scr_fail "the queue shows the draft"
scr_keys Enter
scr_wait_for "Comment: Грубо ответила, очередь до двери"
scr_text | grep -qF "[x] Rude, disrespectful" || scr_fail "reopened: rude"
scr_text | grep -qF "[x] Queue and waiting" || scr_fail "reopened: queue"
scr_text | grep -qF "Inattentive, indifferent  * primary" || scr_fail "reopened: primary"
scr_keys D
scr_wait_for "(done)"
pyq i11 'd["status"] == "done"' || scr_fail "done in the database"

# two supervisors: the form holds revision N; another process saves N+1
rev=$(show i11 | python3 -c 'import json,sys; print(json.load(sys.stdin)["revision"])')
"$CXM_BIN" review --db "$DB" i11 --cause staff.slow --done --expect-revision "$rev" >/dev/null ||
    scr_fail "the other supervisor's save"
scr_keys 4 # toggle "slow" in the staff section here too
scr_keys C-s
scr_wait_for "$me saved revision $((rev + 1)) at"
scr_wait_for "r reload, o overwrite:"
scr_keys o Enter
scr_wait_for "Saved revision $((rev + 2))"
pyq i11 'd["revision"] == '"$((rev + 2))"' and "staff.rude" in d["causes"]' || scr_fail "the overwrite"
scr_keys H
scr_wait_for "Revision history"
scr_keys H Escape
scr_wait_for "incidents,"

# the causes report
scr_keys 6
scr_wait_for "Causes of dissatisfaction — period: all time, by all"
scr_wait_for "All: incidents 15, reviewed 1"
scr_text | grep -qF "Rude, disrespectful" || scr_fail "the causes view lists the causes"
scr_keys Q
scr_wait_exit
echo "ok"
