#!/bin/bash
# Themes: --theme NAME, the user's dir first, the cycle key, and a broken
# file: a message naming FILE:LINE while the default theme stays.
. "$(dirname "$0")/lib_screen.sh"

udir="$XDG_CONFIG_HOME/cxm-console/themes"
mkdir -p "$udir"
printf '# broken on purpose\nheader = red default\nrow = chartreuse default\n' >"$udir/broken.theme"

# The default title is white on colour 24 (themes/default.theme).
title_sgr() { scr_ansi | head -n1 | grep -oE $'\e\\[[0-9;]*m' | head -n3 | tr -d '\n'; }

scr_start 200 50 "$CXM_BIN" --demo --theme broken
scr_wait_for "Dashboard"
scr_wait_for "broken.theme:3: row: bad foreground colour 'chartreuse'"
title_sgr | grep -qE '48;5;24' || scr_fail "default theme not in use after a broken one: $(title_sgr | cat -v)"
scr_keys q
scr_wait_exit
scr_tmux kill-server

scr_start 200 50 "$CXM_BIN" --demo --theme light
scr_wait_for "Dashboard"
title_sgr | grep -qE '48;5;25' || scr_fail "light theme not applied: $(title_sgr | cat -v)"
# The cycle key walks the themes in name order: broken is reported, then skipped.
scr_keys T
scr_wait_for "Theme: mono"
scr_keys T
scr_wait_for "Theme: sixteen"
scr_keys T
scr_wait_for "broken.theme:3:"
scr_keys T
scr_wait_for "Theme: default"
scr_keys q
scr_wait_exit
scr_tmux kill-server

scr_start 200 50 "$CXM_BIN" --demo --theme no-such-theme
scr_wait_for "no-such-theme: theme not found"
scr_keys q
scr_wait_exit
scr_tmux kill-server

# A user theme of the same name wins over the shipped one.
printf 'title = 231 88 bold\n' >"$udir/default.theme"
scr_start 80 24 "$CXM_BIN" --demo
scr_wait_for "Dashboard"
title_sgr | grep -qE '48;5;88' || scr_fail "user default.theme not used: $(title_sgr | cat -v)"
scr_keys q
scr_wait_exit
echo "theme: broken file reported with its line, default kept; --theme, user dir, cycle work"
