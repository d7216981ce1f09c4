#!/bin/bash
# Dashboard at 80x24 and 200x50: one row per employee under its location and
# desk, today's counts, and Cyrillic names of any byte length padded by
# columns so the next column starts at the same screen column on every row.
. "$(dirname "$0")/lib_screen.sh"
. "$(dirname "$0")/lib_views.sh"

DB="$SCR_TMP/v.db"
vw_fixture "$SCR_TMP/ev.jsonl"
vw_import "$DB" "$SCR_TMP/ev.jsonl"

check_size() {
    local w=$1 h=$2
    scr_start "$w" "$h" "$CXM_BIN" --db "$DB" --lang en
    scr_wait_for "Анна Петрова"
    scr_wait_for "Boris Ivanov"
    scr_wait_for "Ёлкин Пётр"
    scr_wait_for "Александра"
    local s
    s=$(scr_text)
    echo "$s" | grep -qF "Клиника на Ленина / reg-1" || scr_fail "$w: no group line for clinic-1/reg-1"
    echo "$s" | grep -qF "Клиника на Ленина / reg-2" || scr_fail "$w: no group line for reg-2"
    echo "$s" | grep -qF "АЗС №7 / till-1" || scr_fail "$w: no group line for petrol-7/till-1"
    # groups in order, each employee under its own group
    local prev=0 ln pat
    for pat in "АЗС №7 / till-1" "Ёлкин Пётр" "Клиника на Ленина / reg-1" "Анна Петрова" \
        "Клиника на Ленина / reg-2" "Boris Ivanov"; do
        ln=$(echo "$s" | grep -nF "$pat" | head -n1 | cut -d: -f1)
        [ -n "$ln" ] && [ "$ln" -gt "$prev" ] || scr_fail "$w: '$pat' out of order (line $ln after $prev)"
        prev=$ln
    done
    # Анна: 1 super, 0 so-so, 1 bad, CSAT 50; her latest label (the bad
    # rating's) is negative. Boris: 0/1/0, latest label poker (the silent one).
    echo "$s" | grep -E "^Анна Петрова +● neg[a-z.]* +1 +0 +1 +([^ ]+ +)?50 " >/dev/null ||
        scr_fail "$w: Анна's row does not read negative 1/0/1 CSAT 50"
    echo "$s" | grep -E "^Boris Ivanov +● poker[a-z ]* +0 +1 +0 " >/dev/null ||
        scr_fail "$w: Boris's row does not read poker 0/1/0"
    # Alignment: the emotion column starts at the same screen column on
    # every employee row, whatever the bytes of the name before it.
    local want col line n=0
    want=$(vw_col_of "$(echo "$s" | grep -F "Employee" | head -n1)" "Emotion")
    [ "$want" -gt 0 ] || scr_fail "$w: no Emotion header"
    while IFS= read -r line; do
        case "$line" in *●*) ;; *) continue ;; esac
        col=$(vw_col_of "$line" "●")
        [ "$col" = "$want" ] || scr_fail "$w: emotion column at $col, header at $want: '$line'"
        n=$((n + 1))
    done <<<"$s"
    [ "$n" = 4 ] || scr_fail "$w: expected 4 employee rows with a label, saw $n"
    # The long name is cut with an ellipsis, not wrapped or overflowing.
    if [ "$w" = 80 ]; then
        echo "$s" | grep -qF "Александра Константинопольская" && scr_fail "80: long name not cut"
        echo "$s" | grep -qF "…" || scr_fail "80: no ellipsis on the long name"
    fi
    # Sorting: s moves the sort mark to a column, S reverses; rows stay in groups
    scr_keys s
    scr_wait_for "Employee▲"
    scr_keys s
    scr_wait_for "Emotion▲"
    scr_keys S
    scr_wait_for "Emotion▼"
    # Enter on an employee opens their card (tests/screen/card.sh checks
    # it); E there: the stream with only their events, named
    scr_keys s s s s s s s s s s s  # back to the default order (by name)
    scr_keys g j j j j Enter        # group, Ёлкин, Александра, group, Анна
    scr_wait_for "Анна Петрова  |"
    scr_keys E
    scr_wait_for "employee=Анна Петрова"
    scr_text | grep -qF "Boris" && scr_fail "$w: the focused stream shows another employee"
    scr_keys q
    scr_wait_exit
    [ "$SCR_RC" = 0 ] || scr_fail "$w: exit status $SCR_RC"
    scr_tmux kill-server
    echo "dashboard ${w}x${h}: rows, groups, counts and Cyrillic alignment ok"
}

check_size 80 24
check_size 200 50
