#!/bin/bash
# NO_COLOR (non-empty) gives monochrome: no colour SGR on the screen, while
# attributes (reverse, bold) still mark the bars. Without it there is colour.
. "$(dirname "$0")/lib_screen.sh"

has_colour_sgr() {
    # SGR parameters 30-38, 40-48, 90-97, 100-107 (39/49 only reset to the
    # default colours, which tmux writes around every attribute change).
    grep -qE $'\e\\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m'
}

scr_start 80 24 "$CXM_BIN" --demo
scr_wait_for "Dashboard"
scr_ansi | has_colour_sgr || scr_fail "expected colour without NO_COLOR"
scr_keys q
scr_wait_exit
scr_tmux kill-server

NO_COLOR=1 scr_start 80 24 env NO_COLOR=1 "$CXM_BIN" --demo
scr_wait_for "Dashboard"
scr_keys '?'
scr_wait_for "Everywhere"
if scr_ansi | has_colour_sgr; then
    scr_ansi | grep -oE $'\e\\[[0-9;]*m' | sort | uniq -c >&2
    scr_fail "colour SGR on screen with NO_COLOR=1"
fi
scr_ansi | grep -qE $'\e\\[([0-9;]*;)?7(;[0-9;]*)?m' || scr_fail "no reverse video bars in monochrome"
# Every theme stays monochrome under NO_COLOR.
for i in 1 2 3 4 5; do
    scr_keys T # returns once the frame with the new theme is drawn
    scr_wait_for "Theme:"
    scr_ansi | has_colour_sgr && scr_fail "colour after theme cycle $i with NO_COLOR"
done
scr_keys Q 2>/dev/null
scr_keys q q
scr_wait_exit
scr_tmux kill-server

# An empty NO_COLOR does not count (no-color.org).
scr_start 80 24 env NO_COLOR= "$CXM_BIN" --demo
scr_wait_for "Dashboard"
scr_ansi | has_colour_sgr || scr_fail "empty NO_COLOR should leave colour on"
scr_keys q
scr_wait_exit
echo "nocolor: no colour SGR with NO_COLOR=1, colour otherwise"
