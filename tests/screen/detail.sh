#!/bin/bash
# Event detail: every field, the other events of the visit, the clip windows
# with the config's lengths, the camera link from the config's template, and
# `y` putting the link on the user's clipboard through OSC 52 (tmux with
# set-clipboard on keeps what the application sent in its paste buffer).
. "$(dirname "$0")/lib_screen.sh"
. "$(dirname "$0")/lib_views.sh"

DB="$SCR_TMP/v.db"
vw_fixture "$SCR_TMP/ev.jsonl"
vw_import "$DB" "$SCR_TMP/ev.jsonl"
mkdir -p "$XDG_CONFIG_HOME/cxm-console"
cat >"$XDG_CONFIG_HOME/cxm-console/config.ini" <<'INI'
[clips]
after_rating = 25s
around = 10s
[ui]
camera_url = https://cams.example.com/view?camera={camera}&desk={desk}&id={id}
INI

scr_start 120 40 "$CXM_BIN" --db "$DB" --lang en
scr_tmux set-option -s set-clipboard on
scr_wait_for "Анна Петрова"
scr_keys 2
scr_wait_for "Filter: none"
scr_keys /
scr_keys -l "r1"
scr_keys Enter
scr_wait_for "/r1"
scr_keys Home Enter
scr_wait_for "Clip windows"
s=$(scr_text)
field() { echo "$s" | grep -E "^ $1 +" | head -n1 | sed -E "s/^ $1 +//"; }
[ "$(field Id)" = "r1" ] || scr_fail "Id: '$(field Id)'"
[ "$(field Type)" = "rating" ] || scr_fail "Type: '$(field Type)'"
[ "$(field Desk)" = "reg-1" ] || scr_fail "Desk: '$(field Desk)'"
[ "$(field Visit)" = "v-1" ] || scr_fail "Visit: '$(field Visit)'"
field Location | grep -qF "Клиника на Ленина (clinic-1)" || scr_fail "Location: '$(field Location)'"
field Employee | grep -qF "Анна Петрова (e1)" || scr_fail "Employee: '$(field Employee)'"
field Rating | grep -qF "super" || scr_fail "Rating: '$(field Rating)'"
echo "$s" | grep -E "^ Employee emotion +positive" >/dev/null || scr_fail "no employee emotion"
link="https://cams.example.com/view?camera=cam-3&desk=reg-1&id=r1"
[ "$(field 'Camera link')" = "$link" ] || scr_fail "Camera link: '$(field 'Camera link')'"
# clip windows: after_rating 25 s (config), visit from the arrival (10 s), around 2 x 10 s
echo "$s" | grep -E "^ after_rating .*\(25 s\)" >/dev/null || scr_fail "no 25 s after_rating window"
echo "$s" | grep -E "^ visit .*\(10 s\)" >/dev/null || scr_fail "no visit window from the arrival"
echo "$s" | grep -E "^ around .*\(20 s\)" >/dev/null || scr_fail "no 20 s around window"
# the visit: arrival and this rating, this one marked
echo "$s" | grep -E "arrival +ar1" >/dev/null || scr_fail "the visit's arrival is not listed"
echo "$s" | grep -E "> rating .*r1" >/dev/null || scr_fail "the event itself is not marked in its visit"

scr_keys y
scr_wait_for "Copied $link"
buf=$(scr_tmux show-buffer 2>/dev/null)
[ "$buf" = "$link" ] || scr_fail "the clipboard (tmux buffer) holds '$buf', not the link"
# the screen survived the OSC 52 write
scr_text | grep -qF "Clip windows" || scr_fail "the detail screen is damaged after the copy"
scr_keys q
scr_wait_for "Filter:"
scr_keys q
scr_wait_exit
[ "$SCR_RC" = 0 ] || scr_fail "exit status $SCR_RC"
echo "detail: fields, visit, clip windows, camera link and OSC 52 copy work"
