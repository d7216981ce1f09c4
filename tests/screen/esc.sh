#!/bin/bash
# Esc and escape sequences: a lone Esc closes a pushed view but never ends
# the session; a sequence the terminfo entry does not know (or Alt+key) is
# swallowed whole instead of running as Esc + random keys.
. "$(dirname "$0")/lib_screen.sh"

scr_start 80 24 "$CXM_BIN" --demo
scr_wait_for "Dashboard"
scr_keys '?'
scr_wait_for "Everywhere"
scr_keys Escape
scr_wait_gone "Everywhere"
scr_keys Escape
scr_wait_for "Esc closes views; press q to quit"
# ESC [ 9 9 ~ (no such key) and Alt+q: nothing may happen but a hint.
scr_keys -l $'\e[99~'
scr_wait_for "Unknown key sequence ignored"
scr_keys -l $'\eq'
sleep 0.5
[ -f "$SCR_TMP/rc" ] && scr_fail "an escape sequence ended the console"
scr_text | grep -qF "Dashboard" || scr_fail "the dashboard went away"
scr_keys q
scr_wait_exit
[ "$SCR_RC" = 0 ] || scr_fail "exit status $SCR_RC"
echo "esc: lone Esc closes views only; unknown sequences and Alt+key are swallowed"
