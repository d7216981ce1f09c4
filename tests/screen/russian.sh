#!/bin/bash
# Keys typed on the Russian layout act as the Latin key in the same place
# (й is q, о is j) wherever the input is not text; [ui] russian_layout_keys
# = no turns that off. Text prompts keep Cyrillic (filter.sh types "анна").
. "$(dirname "$0")/lib_screen.sh"

scr_start 100 30 "$CXM_BIN" --demo
scr_wait_for "Dashboard"
scr_keys '?'
scr_wait_for "Everywhere"
scr_keys -l 'й' # q: closes help
scr_wait_gone "Everywhere"
scr_text | grep -qF "Unbound key" && scr_fail "й said it is unbound"
scr_keys -l 'Е' # T: next theme
scr_wait_for "Theme:"
scr_keys -l 'й' # q on a main view: quit
scr_wait_exit
[ "$SCR_RC" = 0 ] || scr_fail "exit status $SCR_RC"
scr_tmux kill-server

printf '[ui]\nrussian_layout_keys = no\n' >"$SCR_TMP/ru-off.ini"
scr_start 100 30 "$CXM_BIN" --demo --config "$SCR_TMP/ru-off.ini"
scr_wait_for "Dashboard"
scr_keys '?'
scr_wait_for "Everywhere"
scr_keys -l 'й'
scr_wait_for "Unbound key: й"
scr_text | grep -qF "Everywhere" || scr_fail "й closed help with the option off"
scr_keys q q
scr_wait_exit
[ "$SCR_RC" = 0 ] || scr_fail "exit status $SCR_RC"
echo "russian: й acts as q, Е as T; off with [ui] russian_layout_keys = no"
