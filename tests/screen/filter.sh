#!/bin/bash
# Stream filters on the real TUI: by type (e), rating (r), employee emotion
# (m), the selected row's employee (E) and location (o), free text with /
# (names case-folded, Cyrillic too; ids; desks), and x to clear.
. "$(dirname "$0")/lib_screen.sh"
. "$(dirname "$0")/lib_views.sh"

DB="$SCR_TMP/v.db"
vw_fixture "$SCR_TMP/ev.jsonl"
vw_import "$DB" "$SCR_TMP/ev.jsonl"

scr_start 120 30 "$CXM_BIN" --db "$DB" --lang en
scr_wait_for "Анна Петрова"
scr_keys 2
scr_wait_for "Filter: none"
rows() { scr_text | grep -cE '^[0-9]{2}\.[0-9]{2} [0-9]{2}:'; }
has() { scr_text | grep -qF -- "$1"; }
expect_rows() {
    local want=$1 what=$2 i
    for ((i = 0; i < 50; i++)); do
        [ "$(rows)" = "$want" ] && return 0
        sleep 0.1
    done
    scr_fail "$what: expected $want rows, saw $(rows)"
}
expect_rows 12 "no filter"

scr_keys e                      # type = rating
scr_wait_for "type=rating"
expect_rows 5 "type=rating"
has "emotion " && scr_fail "type=rating still shows emotion events"
scr_keys e                      # type = silent
scr_wait_for "type=silent"
expect_rows 1 "type=silent"
scr_keys x
scr_wait_for "Filter: none"
expect_rows 12 "cleared"

scr_keys r                      # rating = super
scr_wait_for "rating=super"
expect_rows 2 "rating=super"
scr_keys r                      # so_so
scr_wait_for "rating=so-so"
expect_rows 1 "rating=so-so"
scr_keys r                      # bad
expect_rows 2 "rating=bad"
scr_keys x

scr_keys m                      # employee emotion positive: em1, r1, r4
scr_wait_for "emotion=positive"
expect_rows 3 "emotion=positive"
scr_keys m                      # negative: r2, em4, r5
scr_wait_for "emotion=negative"
expect_rows 3 "emotion=negative"
scr_keys x

# free text: lower-case Cyrillic matches the capitalised name
scr_keys /
scr_wait_for "Search"
scr_keys -l "анна"
scr_keys Enter
scr_wait_for "/анна"
expect_rows 5 "text=анна"
has "Boris" && scr_fail "text=анна shows Boris"
scr_keys x
scr_keys /
scr_keys -l "ёлкин"
scr_keys Enter
expect_rows 2 "text=ёлкин"
scr_keys x
scr_keys /
scr_keys -l "r3"
scr_keys Enter
expect_rows 1 "text=r3 (an event id)"
scr_keys x
scr_keys /
scr_keys -l "nobody-at-all"
scr_keys Enter
scr_wait_for "No events match the filter"
# Esc on the prompt restores the previous text
scr_keys /
scr_keys -l "zzz"
scr_keys Escape
scr_wait_for "/nobody-at-all"
scr_keys x
expect_rows 12 "cleared again"
# Esc and x in one write (within the escape delay, as over a slow link): the
# open prompt still gets the Esc first (cancel), then x clears the filter.
scr_keys /
scr_keys -l "nobody-at-all"
scr_keys Enter
scr_wait_for "No events match the filter"
scr_keys /
scr_keys -l "zzz"
scr_keys Escape x
scr_wait_gone "/nobody-at-all"
scr_wait_for "Filter: none"
expect_rows 12 "Esc+x together: cancelled, then cleared"

# E: only the selected row's employee (the newest row: Александра), named
scr_keys Home E
scr_wait_for "employee=Александра Константинопольская"
expect_rows 2 "employee=Александра"
scr_keys E
scr_wait_for "Filter: none"
# o: only the selected row's location (petrol-7: e3 and e4, 4 events)
scr_keys Home o
scr_wait_for "location=petrol-7"
expect_rows 4 "location=petrol-7"
# filters combine
scr_keys e
scr_wait_for "type=rating"
expect_rows 2 "location=petrol-7 + type=rating"
scr_keys x
expect_rows 12 "cleared at the end"
scr_keys q
scr_wait_exit
[ "$SCR_RC" = 0 ] || scr_fail "exit status $SCR_RC"
echo "filter: type, rating, emotion, employee, location, free text and clear work"
