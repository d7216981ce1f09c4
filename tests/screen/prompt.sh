#!/bin/bash
# The prompt is the line editor (include/cxm/lineedit.h): whole UTF-8
# strings, cursor by character and word (C-a C-e M-b M-f), kills (C-w C-u
# C-k M-Backspace), and a history per prompt (Up). Meta keys arrive as Esc +
# key, the way a terminal sends Alt.
. "$(dirname "$0")/lib_screen.sh"

scr_start 120 30 "$CXM_BIN" --demo
scr_wait_for "Dashboard"
scr_keys 2
scr_wait_for "Filter:"
line() { scr_text | tail -n 1 | sed -e 's/^Search (name, id, desk, visit): *//' -e 's/ *$//'; }
expect_line() {
    [ "$(line)" = "$1" ] || scr_fail "$2: prompt shows '$(line)', want '$1'"
}

scr_keys /
scr_wait_for "Search"
scr_keys -l "alpha beta gamma"
expect_line "alpha beta gamma" "typed"
scr_keys C-w
expect_line "alpha beta" "C-w kills the last word"
scr_keys M-b
scr_keys -l "X"
expect_line "alpha Xbeta" "M-b moves a word back"
scr_keys C-a
scr_keys -l "<"
scr_keys C-e
scr_keys -l ">"
expect_line "<alpha Xbeta >" "C-a / C-e"
scr_keys C-a M-f
scr_keys C-k
expect_line "<alpha" "M-f then C-k"
scr_keys M-BSpace
expect_line "<" "M-Backspace kills the word"
scr_keys -l "ab"
scr_keys Left C-u
expect_line "b" "C-u kills to the start"
scr_keys C-u Right C-u
expect_line "" "C-u at the end empties the line"

# 70 Cyrillic letters (140 bytes): all of them, nothing cut inside a letter.
long=$(printf 'ж%.0s' $(seq 1 70))
scr_keys -l "$long"
[ "$(line)" = "$long" ] || scr_fail "the long Cyrillic text is not whole: '$(line)'"
scr_keys Enter
scr_wait_for "No events match the filter"
scr_text | grep -qF $'\xef\xbf\xbd' && scr_fail "a cut letter (U+FFFD) on screen"
# history: Up brings the last search back
scr_keys x
scr_wait_for "Filter: none"
scr_keys /
scr_wait_for "Search"
expect_line "" "a new search starts empty"
scr_keys Up
[ "$(line)" = "$long" ] || scr_fail "Up did not bring back the last search: '$(line)'"
scr_keys Escape
scr_wait_for "Filter: none"
scr_keys q
scr_wait_exit
[ "$SCR_RC" = 0 ] || scr_fail "exit status $SCR_RC"
echo "prompt: line editor keys, whole Cyrillic text, history"
