#!/bin/bash
# Symbols beyond text: on the Linux console (TERM=linux, whose font has no
# emoji or block elements) and in a non-UTF-8 locale the console sends ASCII
# stand-ins for the bell, smileys, bars and sparklines; in a UTF-8 terminal it
# sends the symbols. With NO_COLOR the alert banner still stands out
# (reverse or bold).
. "$(dirname "$0")/lib_screen.sh"

DB="$SCR_TMP/g.db"
export TZ=UTC-3
"$CXM_BIN" demo-day >"$SCR_TMP/today.jsonl" || { echo "demo-day failed"; exit 1; }
"$CXM_BIN" import --db "$DB" "$SCR_TMP/today.jsonl" "$CXM_SRC/tests/fixtures/alerts/day.jsonl" >/dev/null ||
    { echo "import failed"; exit 1; }
LC_ALL=C "$CXM_BIN" alerts check --db "$DB" >/dev/null || { echo "alerts check failed"; exit 1; }

SYMBOLS='🔔|😐|☺|☹|[▁▂▃▄▅▆▇█░▒▓]|●|▸|▼|▲|♪'

# A UTF-8 terminal gets the symbols (so the checks below can fail).
scr_start 120 30 "$CXM_BIN" --db "$DB" --lang en
scr_wait_for "open alert(s)"
scr_text | grep -qE "$SYMBOLS" || scr_fail "no symbols in a UTF-8 terminal"
scr_text | grep -q "🔔" || scr_fail "no bell in a UTF-8 terminal"
scr_keys q
scr_wait_exit
scr_tmux kill-server

check_ascii() { # DESC
    scr_wait_for "open alert(s)"
    if scr_text | grep -qE "$SYMBOLS"; then
        scr_text | grep -oE "$SYMBOLS" | sort | uniq -c >&2
        scr_fail "$1: symbols sent"
    fi
    scr_text | grep -qF "(!)" || scr_fail "$1: no ASCII bell"
    scr_keys 3
    scr_wait_for "KPI"
    if scr_text | grep -qE "$SYMBOLS"; then scr_fail "$1: symbols on the KPI view"; fi
    scr_keys 2
    scr_wait_for "Filter:"
    if scr_text | grep -qE "$SYMBOLS"; then scr_fail "$1: symbols on the stream"; fi
    scr_keys q
    scr_wait_exit
    scr_tmux kill-server
}

SCR_TERM=linux scr_start 120 30 "$CXM_BIN" --db "$DB" --lang en
check_ascii "TERM=linux"

scr_start 120 30 env LC_ALL=C "$CXM_BIN" --db "$DB" --lang en
check_ascii "LC_ALL=C"

# NO_COLOR: the banner line carries reverse or bold.
scr_start 120 30 env NO_COLOR=1 "$CXM_BIN" --db "$DB" --lang en
scr_wait_for "open alert(s)"
# capture-pane -e carries attributes over from the line before, so the
# state at the banner's text is worked out from every SGR before it.
scr_ansi >"$SCR_TMP/nc.ansi"
python3 - "$SCR_TMP/nc.ansi" <<'PY' || scr_fail "NO_COLOR: the alert banner is plain"
import re, sys
s = open(sys.argv[1], encoding="utf-8", errors="replace").read()
at = s.index("open alert(s)")
bold = rev = False
for m in re.finditer(r"\x1b\[([0-9;]*)m", s[:at]):
    for p in (m.group(1) or "0").split(";"):
        p = int(p or 0)
        if p == 0: bold = rev = False
        elif p == 1: bold = True
        elif p == 7: rev = True
        elif p == 22: bold = False
        elif p == 27: rev = False
sys.exit(0 if (bold or rev) else 1)
PY
scr_keys q
scr_wait_exit
echo "glyphs: ASCII stand-ins on TERM=linux and LC_ALL=C, symbols in UTF-8; NO_COLOR banner stands out"
