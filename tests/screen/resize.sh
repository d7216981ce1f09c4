#!/bin/bash
# Resizing in the middle of a session: 80x24 -> 200x50 -> 80x24, down to a
# "too small" message and back; the layout is right at every size.
. "$(dirname "$0")/lib_screen.sh"

# Title on the first line with Help flush right, status bar with the clock
# at the right end of the second-last line, the key hint on the last line.
check_layout() {
    local w=$1 h=$2 help=${3:-} i ok=0 t tw
    for ((i = 0; i < 50; i++)); do
        t=$(scr_text)
        local lines first status last
        lines=$(printf '%s\n' "$t" | wc -l)
        first=$(printf '%s\n' "$t" | sed -n 1p)
        status=$(printf '%s\n' "$t" | sed -n "$((h - 1))p")
        last=$(printf '%s\n' "$t" | sed -n "${h}p")
        tw=$(printf '%s' "$first" | wc -L)
        # With help open at 80 columns the sub-view title takes the room of
        # the right-hand hint; otherwise "? F1 Help" ends the line.
        if [ -n "$help" ] && [ "$w" -lt 100 ]; then
            [[ $first == *"› Help" ]] && tw=$((w - 1))
        fi
        if [ "$lines" = "$h" ] && [[ $first == " cxm-console "* ]] && [[ $first == *"Help" ]] &&
            [ "$tw" = $((w - 1)) ] &&
            [[ $status =~ [0-9]{2}:[0-9]{2}:[0-9]{2}$ ]] &&
            [ "$(printf '%s' "$status" | wc -L)" = $((w - 1)) ] && [[ $last == *"back/quit"* ]]; then
            ok=1
            break
        fi
        sleep 0.1
    done
    [ $ok = 1 ] || scr_fail "layout wrong at ${w}x$h (lines=$lines title=$(printf "%s" "$first" | wc -L) status=$(printf "%s" "$status" | wc -L))"
}

scr_start 80 24 "$CXM_BIN" --demo
scr_wait_for "Dashboard"
check_layout 80 24
scr_resize 200 50
check_layout 200 50
scr_keys '?'
scr_wait_for "Everywhere"
scr_resize 80 24
check_layout 80 24 help
scr_text | grep -qF "Everywhere" || scr_fail "help lost across the resize"
scr_resize 70 20
scr_wait_for "Terminal too small: 70x20, need at least 80x24"
scr_resize 120 40
check_layout 120 40 help
scr_text | grep -qF "Everywhere" || scr_fail "help lost after too-small"
scr_resize 200 50
check_layout 200 50 help
scr_keys q
scr_wait_gone "Everywhere"
scr_keys q
scr_wait_exit
[ "$SCR_RC" = 0 ] || scr_fail "exit status $SCR_RC"
echo "resize: layout right at 80x24, 200x50, 120x40; too-small message at 70x20"
