#!/bin/bash
# Esc, Meta keys and escape sequences (the key decoder, include/cxm/keydec.h):
# a lone Esc closes a pushed view but never ends the session; a sequence
# the terminfo entry does not know is swallowed whole; Esc followed by a key
# within the escape delay is a Meta key: bindable (keymap file) and shown in
# help, and when nothing binds it, it is Esc and then the key (as if typed
# one after the other: keys that arrived together over a slow link).
. "$(dirname "$0")/lib_screen.sh"

mkdir -p "$XDG_CONFIG_HOME/cxm-console"
printf 'bind M-t theme-cycle\n' >"$XDG_CONFIG_HOME/cxm-console/keys"

scr_start 100 30 "$CXM_BIN" --demo
scr_wait_for "Dashboard"
scr_keys '?'
scr_wait_for "Everywhere"
scr_text | grep -E ' theme-cycle ' | grep -qE '(^| )T M-t ' || scr_fail "help does not show M-t"
scr_keys Escape
scr_wait_gone "Everywhere"
scr_keys Escape
scr_wait_for "Esc closes views; press q to quit"
# ESC [ 9 9 ~ (no such key): nothing may happen but a hint.
scr_keys -l $'\e[99~'
scr_wait_for "Unknown key sequence ignored"
scr_text | grep -qF "Dashboard" || scr_fail "the dashboard went away"
# A bound Meta key runs its action.
scr_keys -l $'\et'
scr_wait_for "Theme:"
# On help, Esc and 2 arriving together: M-2 is bound to nothing, so it is
# Esc (closes help) and 2 (the stream).
scr_keys '?'
scr_wait_for "Everywhere"
scr_keys -l $'\e2'
scr_wait_gone "Everywhere"
scr_wait_for "Filter: none"
# The same with q on a main view: Esc (a hint), then q quits.
scr_keys -l $'\eq'
scr_wait_exit
[ "$SCR_RC" = 0 ] || scr_fail "exit status $SCR_RC"
echo "esc: lone Esc closes views only; unknown sequences are swallowed; M-keys bind, else Esc + key"
