#!/bin/bash
# KPI view: `/` narrows the table to the groups whose name holds the text,
# case-folded (Cyrillic upper case finds lower), live as you type; Esc puts
# back what was there, x clears; the search holds across the grouping key.
. "$(dirname "$0")/lib_screen.sh"
export TZ=UTC-3
DB="$SCR_TMP/k.db"
"$CXM_BIN" demo-day >"$SCR_TMP/today.jsonl"
"$CXM_BIN" import --db "$DB" "$SCR_TMP/today.jsonl" >/dev/null || { echo "import failed"; exit 1; }

scr_start 120 40 "$CXM_BIN" --db "$DB" --lang en
scr_wait_for "Анна Петрова"
scr_keys 3
scr_wait_for "by employee"
scr_wait_for "Анна Петрова ("
scr_wait_for "Дмитрий Волков ("
scr_keys /
scr_wait_for "Search (employee, desk, location, day)"
scr_keys -l "АННА"
scr_wait_gone "Дмитрий Волков ("
scr_text | grep -qE "^Анна Петрова \(" || scr_fail "the search hid Анна (upper case did not fold)"
scr_text | grep -qF "search: АННА | Period: today" || scr_fail "the active search is not shown first"
scr_keys Enter
# Kept after Enter; Esc on a new prompt puts it back as it was.
scr_keys /
scr_keys C-u
scr_keys -l "волк"
scr_wait_for "Дмитрий Волков ("
scr_wait_gone "Анна Петрова ("
scr_keys Escape
scr_wait_for "Анна Петрова ("
scr_wait_gone "Дмитрий Волков ("
# Nothing matches: said so, with the key that clears it.
scr_keys /
scr_keys C-u
scr_keys -l "zzzz"
scr_wait_for "No row matches the search (x clears it)."
scr_keys Enter
scr_keys x
scr_wait_for "Анна Петрова ("
scr_wait_for "Дмитрий Волков ("
scr_text | grep -qF "search:" && scr_fail "x left the search on"
# By location: the station's name, lower case against its "АЗС".
scr_keys b b
scr_wait_for "by location"
scr_keys /
scr_keys -l "азс"
scr_keys Enter
scr_wait_for "search: азс"
scr_text | sed -n '3,12p' | grep -qE "^АЗС" || scr_fail "the station's row is not shown"
scr_text | sed -n '3,12p' | grep -qE "^Клиника" && scr_fail "the clinic's row is still shown"
scr_keys q
scr_wait_exit
[ "$SCR_RC" = 0 ] || scr_fail "exit status $SCR_RC"
echo "kpisearch: / narrows KPI rows (case-folded Cyrillic), Esc restores, x clears, holds by location"
