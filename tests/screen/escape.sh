#!/bin/bash
# Hostile text from a feed: an employee name and a location name carrying an
# OSC title sequence (ESC ] 0 ; x BEL), CSI sequences (clear screen, colours,
# cursor moves) and other control characters. On the dashboard, the stream
# and the event detail they show visibly; the terminal title is unchanged and
# the screen is intact (title bar, status bar, other rows in place).
. "$(dirname "$0")/lib_screen.sh"
. "$(dirname "$0")/lib_views.sh"

DB="$SCR_TMP/v.db"
vw_fixture "$SCR_TMP/ev.jsonl"
# JSON escapes: \u001b ESC, \u0007 BEL, \u009b CSI (C1), \b, \r, \t
EVIL='Evil\u001b]0;x\u0007Name\u001b[2J\u001b[31mRed\u001b[1;1HHome\b\r\tX\u009b5mC1'
EVIL_LOC='Loc\u001b]2;y\u001b\\Z'
printf '{"id":"evil1","ts":"%s","type":"rating","location":{"id":"bad-loc","name":"%s"},"desk":"d1","employee":{"id":"e666","name":"%s"},"rating":"bad","emotion":{"employee":{"label":"negative"}}}\n' \
    "$(vw_ts 5)" "$EVIL_LOC" "$EVIL" >>"$SCR_TMP/ev.jsonl"
vw_import "$DB" "$SCR_TMP/ev.jsonl"

scr_start 120 30 "$CXM_BIN" --db "$DB" --lang en
scr_tmux select-pane -t main -T "title-before"
title() { scr_tmux display-message -t main -p '#{pane_title}'; }
[ "$(title)" = "title-before" ] || scr_fail "could not set the pane title"

intact() {
    local where=$1 s
    s=$(scr_text)
    [ "$(title)" = "title-before" ] || scr_fail "$where: the terminal title changed to '$(title)'"
    echo "$s" | head -n1 | grep -qF "cxm-console" || scr_fail "$where: the title bar is gone"
    echo "$s" | grep -qF "DB " || scr_fail "$where: the status bar is gone"
    # the escape sequences are shown as text, with ^[ for ESC, ^G for BEL
    echo "$s" | grep -qF 'Evil^[]0;x^GName' || scr_fail "$where: the OSC sequence is not shown visibly"
    # a CSI that would clear the screen or recolour shows as text
    echo "$s" | grep -qF '^[[2J' || scr_fail "$where: the CSI clear-screen is not shown visibly"
    # no raw ESC or BEL ever reached the terminal's text
    scr_ansi | sed 's/\x1b\[[0-9;:]*m//g' | grep -q $'[\x07]' && scr_fail "$where: a raw BEL on screen"
    return 0
}

scr_wait_for "Evil^[]0;x^G"
scr_wait_for "Анна Петрова"
intact dashboard
# the rows of the other employees are still where they belong
scr_text | grep -qF "Boris Ivanov" || scr_fail "dashboard: Boris's row is gone"

scr_keys 2
scr_wait_for "Type"
scr_wait_for "Evil^[]0;x^G"
intact stream
scr_text | grep -qF 'Loc^[]2;y^[\Z' || scr_fail "stream: the location's OSC is not shown visibly"

scr_keys Home Enter
scr_wait_for "Clip windows"
intact detail
scr_text | grep -qF "e666" || scr_fail "detail: no employee id"

scr_keys q q
scr_wait_exit
[ "$SCR_RC" = 0 ] || scr_fail "exit status $SCR_RC"
[ "$(title)" = "title-before" ] || scr_fail "the title changed by exit: '$(title)'"
echo "escape: control characters and escape sequences shown visibly; title and screen intact"
