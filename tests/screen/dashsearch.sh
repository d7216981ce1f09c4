#!/bin/bash
# Dashboard: `/` searches employees by name (Cyrillic case-folded) live as
# you type, Esc shows everyone again; `b` turns the location/desk grouping
# off so a sort crosses the groups.
. "$(dirname "$0")/lib_screen.sh"
export TZ=UTC-3
DB="$SCR_TMP/d.db"
"$CXM_BIN" demo-day >"$SCR_TMP/today.jsonl"
"$CXM_BIN" import --db "$DB" "$SCR_TMP/today.jsonl" >/dev/null || { echo "import failed"; exit 1; }

scr_start 120 30 "$CXM_BIN" --db "$DB" --lang en
scr_wait_for "Анна Петрова"
scr_wait_for "Дмитрий Волков"
scr_keys /
scr_wait_for "Search employees"
scr_keys -l "АННА"
scr_wait_gone "Дмитрий Волков"
scr_text | grep -q "^Анна Петрова" || scr_fail "the search hid Анна (upper case did not fold)"
scr_text | grep -qF "search: АННА" || scr_fail "the active search is not shown"
scr_keys Escape
scr_wait_for "Дмитрий Волков"
scr_keys /
scr_keys -l "азс"
scr_wait_gone "Анна Петрова"   # a location name matches too
scr_wait_for "Дмитрий Волков"
scr_keys Enter
scr_keys x
scr_wait_for "Анна Петрова"

# Grouping off: no group lines, names in one order across both sites.
scr_text | grep -qE "^(▸|>) " || scr_fail "expected group lines first"
scr_keys b
scr_wait_for "Grouping off"
for ((i = 0; i < 50; i++)); do scr_text | grep -qE "^(▸|>) " || break; sleep 0.1; done
scr_text | grep -qE "^(▸|>) " && scr_fail "group lines remain with grouping off"
names=$(scr_text | sed -n '4,20p' | grep -vE "^(▸|>) |^ *$" | awk '{print $1" "$2}')
[ "$(printf '%s\n' "$names" | wc -l)" -ge 4 ] || scr_fail "too few employees listed"
printf '%s\n' "$names" | LC_ALL=C.UTF-8 sort -c || scr_fail "names not in one order across locations"
scr_keys b
scr_wait_for "Grouped by location"
scr_keys q
scr_wait_exit
echo "dashsearch: search by name (case-folded), location; grouping off sorts across groups"
