#!/bin/bash
# Dashboard at 80x24: with grouping off (b), sorting by bad ratings gives
# one order across every location and desk ("most bad ratings today" is a
# few keys away), and the sorted narrow column keeps its whole title beside
# the sort mark ("Bad▼", "Пл.▲", not "Ba▼", "Пл▲").
. "$(dirname "$0")/lib_screen.sh"
export TZ=UTC-3
DB="$SCR_TMP/d.db"
"$CXM_BIN" demo-day >"$SCR_TMP/today.jsonl"
"$CXM_BIN" import --db "$DB" "$SCR_TMP/today.jsonl" >/dev/null || { echo "import failed"; exit 1; }
nemp=$("$CXM_BIN" kpi --db "$DB" --by employee --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["rows"]))') ||
    { echo "kpi --by employee failed"; exit 1; }

# The Bad column's values, top to bottom, read under its title.
bad_column() {
    scr_text | python3 -c '
import sys
lines = sys.stdin.read().split("\n")
head = next(i for i, l in enumerate(lines) if "Bad▼" in l)
end = lines[head].index("Bad▼") + 4
for l in lines[head + 1:]:
    cell = l[end - 4:end].strip()
    if not cell.isdigit():
        break
    print(cell)'
}

scr_start 80 24 "$CXM_BIN" --db "$DB" --lang en
scr_wait_for "Анна Петрова"
scr_text | grep -qE "^(▸|>) " || scr_fail "expected group lines first"
scr_keys b
scr_wait_for "Grouping off"
scr_keys s s s s s   # Employee, Emotion, Sup, So, Bad
scr_wait_for "Bad▲"
scr_keys S
scr_wait_for "Bad▼"
scr_text | grep -qE "^(▸|>) " && scr_fail "group lines remain with grouping off"
vals=$(bad_column)
[ "$(printf '%s\n' "$vals" | grep -c .)" = "$nemp" ] || scr_fail "expected all $nemp employees in one list, got: $vals"
printf '%s\n' "$vals" | sort -c -n -r || scr_fail "bad ratings not in one descending order across locations: $vals"
scr_keys q
scr_wait_exit

# Russian: the three-column "Пл." keeps its dot beside the mark.
scr_start 80 24 "$CXM_BIN" --db "$DB" --lang ru
scr_wait_for "Анна Петрова"
scr_keys s s s s s
scr_wait_for "Пл.▲"
scr_keys q
scr_wait_exit
echo "dashsort: grouping off + sort by bad gives one global order; narrow sorted titles whole"
