#!/bin/bash
# `cmake --install` into a DESTDIR with a prefix under a temp dir: the
# binary, man page, themes and sample config land in the GNU places; the
# installed binary runs (--help, --version) and, with no CXM_THEMES_DIR,
# finds a theme that exists ONLY in the installation's share directory
# (so it cannot have come from the source tree) and applies it.
. "$CXM_SRC/tests/screen/lib_screen.sh"
unset CXM_THEMES_DIR
: "${CXM_BUILD:?CXM_BUILD is not set (run through ctest)}"

prefix="$SCR_TMP/prefix"
dest="$SCR_TMP/dest"
root="$dest$prefix"
DESTDIR="$dest" cmake --install "$CXM_BUILD" --prefix "$prefix" >"$SCR_TMP/install.log" 2>&1 ||
    { cat "$SCR_TMP/install.log"; echo "FAIL: cmake --install failed"; exit 1; }
# Nothing outside DESTDIR.
[ ! -e "$prefix" ] || { echo "FAIL: installed outside DESTDIR"; exit 1; }

check() { [ -e "$root/$1" ] || { echo "FAIL: $1 not installed"; ls -R "$root"; exit 1; }; }
check bin/cxm-console
[ -x "$root/bin/cxm-console" ] || { echo "FAIL: the binary is not executable"; exit 1; }
check share/man/man1/cxm-console.1
check share/doc/cxm-console/config.sample.ini
for t in default light sixteen mono high-contrast; do check "share/cxm-console/themes/$t.theme"; done
for f in "$CXM_SRC"/data/checklists/*.json; do
    [ -e "$f" ] && check "share/cxm-console/checklists/$(basename "$f")"
done
grep -q '^\.TH ' "$root/share/man/man1/cxm-console.1" ||
    { echo "FAIL: the man page has no .TH"; exit 1; }
# It renders in an 80-column terminal (man's line of 78) without a warning:
# a table wider than the line is cut on screen.
warn=$(groff -k -t -man -Tutf8 -ww -z -rLL=78n "$root/share/man/man1/cxm-console.1" 2>&1)
[ -z "$warn" ] || { echo "FAIL: the man page does not render cleanly:"; echo "$warn"; exit 1; }

BIN="$root/bin/cxm-console"
"$BIN" --version >"$SCR_TMP/version" 2>&1 || { echo "FAIL: --version exits $?"; exit 1; }
grep -qE '^cxm-console [0-9]+\.[0-9]+' "$SCR_TMP/version" || { echo "FAIL: --version: $(cat "$SCR_TMP/version")"; exit 1; }
"$BIN" --help >"$SCR_TMP/help" 2>&1 || { echo "FAIL: --help exits $?"; exit 1; }
grep -q '^usage: cxm-console' "$SCR_TMP/help" || { echo "FAIL: --help: $(head -3 "$SCR_TMP/help")"; exit 1; }
# The CLI works from the installation too.
"$BIN" demo-day --seed 3 | "$BIN" import --db "$SCR_TMP/i.db" - >/dev/null || { echo "FAIL: import"; exit 1; }

# A theme only the installation has: the light theme with a title on colour 201.
sed 's/^title .*/title = 231\/bright-white\/white 201\/magenta\/magenta bold/' \
    "$root/share/cxm-console/themes/light.theme" >"$root/share/cxm-console/themes/installcheck.theme"
[ ! -e "$CXM_SRC/themes/installcheck.theme" ] || { echo "FAIL: the source tree has installcheck"; exit 1; }
title_sgr() { scr_ansi | head -n1 | grep -oE $'\e\\[[0-9;]*m' | head -n3 | tr -d '\n'; }
scr_start 160 40 "$BIN" --db "$SCR_TMP/i.db" --theme installcheck --lang en
scr_wait_for "Dashboard"
scr_text | grep -q "theme not found" && scr_fail "the installed theme was not found"
title_sgr | grep -qE '48;5;201' || scr_fail "the installed theme is not applied: $(title_sgr | cat -v)"
# The cycle lists the installation's themes (name order: light follows installcheck).
scr_keys T
scr_wait_for "Theme: light"
scr_keys q
scr_wait_exit
[ "$SCR_RC" = 0 ] || scr_fail "exit status $SCR_RC"
echo "ok"
