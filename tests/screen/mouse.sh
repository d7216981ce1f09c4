#!/bin/bash
# The mouse (xterm X10 reports, as tmux passes them on): a click on a stream
# row selects that row and the live stream stops following instead of
# jumping back to the newest row; the wheel moves the selection; a click on a
# title tab switches to that view. NO_COLOR makes the selection plain reverse
# video, so the test reads it from the attributes.
. "$(dirname "$0")/lib_screen.sh"
. "$(dirname "$0")/lib_views.sh"

DB="$SCR_TMP/v.db"
vw_fixture "$SCR_TMP/ev.jsonl"
vw_import "$DB" "$SCR_TMP/ev.jsonl"

# mouse Cb X Y: an X10 report, button code Cb, 0-based column X and row Y
mouse() {
    local s
    printf -v s '\e[M\\x%x\\x%x\\x%x' $((32 + $1)) $((33 + $2)) $((33 + $3))
    printf -v s '%b' "$s"
    scr_keys -l "$s"
}
# click X Y: button 1 pressed and released there, as a terminal reports it.
# scr_keys waits for the frame after each report, so a release that froze
# the loop (curses reading on, blocking, after an event outside its mask)
# fails here.
click() { mouse 0 "$1" "$2"; mouse 3 "$1" "$2"; }
row_y() { # 0-based screen row of the Nth stream row
    echo $(($(scr_text | grep -nE '^[0-9]{2}\.[0-9]{2} [0-9]{2}:' | sed -n "$1p" | cut -d: -f1) - 1))
}
reverse_at() { # is screen row Y drawn in reverse video?
    scr_ansi | sed -n "$(($1 + 1))p" | grep -q $'\e\\[7m'
}

scr_start 120 30 env NO_COLOR=1 "$CXM_BIN" --db "$DB" --lang en
scr_wait_for "Анна Петрова"
scr_keys 2
scr_wait_for "[LIVE]"
y1=$(row_y 1)
y3=$(row_y 3)
reverse_at "$y1" || scr_fail "the newest row is not selected at the start"
want=$(scr_text | sed -n "$((y3 + 1))p" | cut -c1-14)

click 5 "$y3" # on the third row
scr_wait_for "[scrolled]"
reverse_at "$y3" || scr_fail "the clicked row is not selected"
reverse_at "$y1" && scr_fail "the newest row is still selected"
scr_keys Enter
scr_wait_for "Clip windows"
scr_text | grep -q "Rating" || scr_fail "the detail of the clicked row did not open"
t=$(scr_text | grep -E '^ Time ' | head -n1)
[ -n "$t" ] || scr_fail "no time line in the detail"
scr_keys q
scr_wait_for "[scrolled]"
reverse_at "$y3" || scr_fail "the selection did not stay on the clicked row"
[ "$(scr_text | sed -n "$((y3 + 1))p" | cut -c1-14)" = "$want" ] || scr_fail "the clicked row moved"

mouse 65 5 "$y3" # wheel down: three rows
y6=$(row_y 6)
for ((i = 0; i < 50; i++)); do reverse_at "$y6" && break; scr_keys_nowait ''; sleep 0.1; done
reverse_at "$y6" || scr_fail "the wheel did not move the selection three rows down"

# A click on a title tab switches views (the title is ASCII in English, so
# the byte offset of a tab's name is its column).
tab_x() { scr_text | head -n1 | grep -bo "$1" | head -n1 | cut -d: -f1; }
click "$(tab_x KPIs)" 0
scr_wait_for "EmoNPS K ="
click "$(tab_x Alerts)" 0
scr_text | grep -q "EmoNPS K =" && scr_fail "a click on the Alerts tab left the KPI view"
click "$(tab_x Stream)" 0
scr_wait_for "[scrolled]"
reverse_at "$y6" || scr_fail "back on the stream by a tab click, the selection moved"

scr_keys Q
scr_wait_exit
[ "$SCR_RC" = 0 ] || scr_fail "exit status $SCR_RC"
echo "ok"
