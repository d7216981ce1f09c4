#!/bin/bash
# Issue 11: the alert's events view shows the closing comment whole,
# wrapped over as many rows as it needs (it was one row cut at the pane's
# width, with no mark); a comment too long even for that ends in "…". A bidi
# control in it is shown as <202E>, never raw.
. "$(dirname "$0")/lib_screen.sh"

DB="$SCR_TMP/alerts.db"
export TZ=UTC-3
printf '[alert.negative-streak]\nenabled = no\n[alert.unhappy-share]\nenabled = no\n' >"$SCR_TMP/norules.ini"
"$CXM_BIN" import --db "$DB" --config "$SCR_TMP/norules.ini" "$CXM_SRC/tests/fixtures/alerts/day.jsonl" >/dev/null ||
    { echo "import failed"; exit 1; }
"$CXM_BIN" alerts check --db "$DB" >/dev/null || { echo "alerts check failed"; exit 1; }
# 60 words (about 600 bytes) with a right-to-left override in the middle
long=$(for i in $(seq -w 1 60); do
    [ "$i" = 30 ] && printf 'rtl\u202Eevil '
    printf 'word%s ' "$i"
done)
long="${long}END-OF-COMMENT"
"$CXM_BIN" alerts close 1 --db "$DB" --comment "$long" >/dev/null || { echo "close 1 failed"; exit 1; }
huge=$(for i in $(seq 1 390); do printf 'filler%03d ' "$i"; done)
"$CXM_BIN" alerts close 2 --db "$DB" --comment "${huge}HUGE-END" >/dev/null || { echo "close 2 failed"; exit 1; }

scr_start 80 24 "$CXM_BIN" --db "$DB" --lang en
scr_wait_for "Dashboard"
scr_keys 4
scr_wait_for "Клиника на Ленина"
# the list shows closed alerts too; open the streak alert (#1)
scr_keys End Enter
scr_wait_for "#1  closed  negative-streak"
scr_wait_for "events."
scr_text >"$SCR_TMP/pane1"
python3 - "$SCR_TMP/pane1" "$long" <<'PY' || scr_fail "the comment is not shown whole"
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
want = sys.argv[2].replace("\u202e", "<202E>")
start = next(i for i, l in enumerate(lines) if l.startswith(" Closed by "))
end = next(i for i, l in enumerate(lines) if i > start and " events. " in l)
text = " ".join(l.strip() for l in lines[start:end])
assert end - start > 1, "one row only"
assert text.endswith(": " + want), text
assert "\u202e" not in "".join(lines), "raw bidi control on screen"
assert "…" not in text, "marked as cut though it fits"
PY
scr_keys q
scr_wait_for "Клиника на Ленина"
scr_keys Home Enter
scr_wait_for "#2  closed  unhappy-share"
scr_wait_for "events."
scr_text >"$SCR_TMP/pane2"
python3 - "$SCR_TMP/pane2" <<'PY' || scr_fail "a comment too long for the pane is not marked as cut"
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
start = next(i for i, l in enumerate(lines) if l.startswith(" Closed by "))
end = next(i for i, l in enumerate(lines) if i > start and " events. " in l)
assert end - start >= 10, "the comment did not get the rows it could"
assert lines[end - 1].rstrip().endswith("…"), lines[end - 1]
assert "HUGE-END" not in "".join(lines)
assert sum(1 for l in lines[end + 1:] if l.strip()) >= 2, "no room left for the events"
PY
scr_keys q
scr_keys q
scr_wait_exit
echo "alert comment: shown whole, wrapped; cut only with a mark"
