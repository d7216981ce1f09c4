#!/usr/bin/env bash
# Issue 11: one hostile-input corpus through every way in and out.
#   in:  import (a file, an endless /dev/zero, a FIFO that never ends) and
#        ingest from a local SSE server over a real socket (hostile_sse.py);
#   out: kpi / alerts / alerts events / causes as table, json, csv and
#        --excel, and the TUI's four views (tmux pane capture).
# The corpus: NUL (escaped and raw), bidi controls U+202A-202E/U+2066-2069,
# zero-width U+200B-200D/U+FEFF, C0 and C1 controls, ESC sequences (colour,
# a window title, clear screen), CSV formulas (= + - @ and a leading tab),
# a 60 KB name and lines over 64 KiB.
# Asserted: nothing raw reaches stdout or the pane, every CSV cell is inert,
# and every accepted event is stored exactly as received (sqlite3 reads the
# database and the values are compared with what was sent).
source "$(dirname "$0")/lib_feed.sh"
HAVE_TMUX=1
command -v tmux >/dev/null || HAVE_TMUX=0
if [ "$HAVE_TMUX" = 1 ]; then
    source "$(dirname "$0")/../screen/lib_screen.sh"
    trap 'scr_cleanup; feed_cleanup' EXIT
fi
feed_deadline 300
PY="$CXM_SRC/tests/integration/hostile_sse.py"
DB="$T/imp.db"

# ---- the corpus -------------------------------------------------------------
python3 - "$T" <<'PY'
import json, os, sys
T = sys.argv[1]
H = {
    "bidi": "A\u202aB\u202bC\u202cD\u202dE\u202eF\u2066G\u2067H\u2068I\u2069J",
    "zw": "Z\u200bY\u200cX\u200dW\ufeffV",
    "c0": "".join(chr(c) for c in range(1, 32)) + "\x7f",
    "c1": "".join(chr(c) for c in range(0x80, 0xa0)),
    "esc": "\x1b[31mRED\x1b[0m\x1b]0;PWNED\x07\x1b[2J\x1b[H",
    "feq": "=HYPERLINK(\"http://evil.example/\",\"x\")",
    "fplus": "+cmd|' /C calc'!A0",
    "fminus": "-2+3",
    "fat": "@SUM(1+1)",
    "ftab": "\t=1+1",
    "huge": "H" * 60000,
}
good, n = [], 0
for k, v in H.items():
    for t in ("arrival", "rating", "rating", "rating"):
        n += 1
        e = {"id": "c.%03d" % n, "ts": "2026-11-23T10:%02d:00+03:00" % n, "type": t,
             "location": {"id": "loc-" + k + v[:40], "name": k + ":" + v[:200]},
             "desk": "desk-" + k + v[:30],
             "employee": {"id": "emp-" + k + v[:20], "name": v + "|" + k},
             "visit": "v" + v[:10] + str(n)}
        if t == "rating":
            e["rating"] = "bad"
        # half with the characters raw in the JSON, half escaped (\uXXXX)
        good.append(json.dumps(e, ensure_ascii=(n % 2 == 0)))
bad = [
    '{"id": "c.nul1", "ts": "2026-11-23T11:00:00+03:00", "type": "arrival", "location": {"id": "l\\u0000x"}}',
    '{"id": "c.nul2", "ts": "2026-11-23T11:00:00+03:00", "type": "arrival", "location": {"id": "l"}, "desk": "d\x00x"}',
    '{"id": "c.nul3", "ts": "2026-11-23T11:00:00+03:00", "type": "arrival\\u0000x", "location": {"id": "l"}}',
    '{"id": "c.long", "ts": "2026-11-23T11:00:00+03:00", "type": "arrival", "location": {"id": "l", "name": "%s"}}' % ("L" * 70000),
]
with open(os.path.join(T, "corpus.jsonl"), "w", encoding="utf-8", newline="") as f:
    for i, l in enumerate(good):
        f.write(l + "\n")
        if i % 9 == 4:
            f.write(bad[(i // 9) % len(bad)] + "\n")
    for b in bad:
        f.write(b + "\n")
with open(os.path.join(T, "good.jsonl"), "w", encoding="utf-8", newline="") as f:
    f.write("\n".join(good) + "\n")
# the same events as an SSE stream, the rejected ones among them
with open(os.path.join(T, "corpus.sse"), "wb") as f:
    for i, l in enumerate(good):
        f.write(("id: %s\ndata: %s\n\n" % (json.loads(l)["id"], l)).encode("utf-8"))
        if i % 9 == 4:
            f.write(("id: x.%d\ndata: %s\n\n" % (i, bad[(i // 9) % len(bad)])).encode("utf-8"))
open(os.path.join(T, "ngood"), "w").write(str(len(good)))
PY
NGOOD=$(cat "$T/ngood")

# stored_exactly DB DESC : every event of good.jsonl is in DB with exactly the
# values sent (sqlite3 -json reads them back), nothing else is.
stored_exactly() {
    sqlite3 -json "$1" "SELECT e.id, e.location_id, e.desk, e.employee_id, e.visit, e.rating,
        l.name AS location_name, m.name AS employee_name
        FROM events e LEFT JOIN locations l ON l.id = e.location_id
        LEFT JOIN employees m ON m.id = e.employee_id" >"$T/stored.json"
    if python3 - "$T/good.jsonl" "$T/stored.json" <<'PY'; then ok "$2"; else bad "$2"; fi
import json, sys
sent = {}
for l in open(sys.argv[1], encoding="utf-8"):
    e = json.loads(l)
    sent[e["id"]] = (e["location"]["id"], e["desk"], e["employee"]["id"], e["visit"],
                     e.get("rating"), e["location"]["name"], e["employee"]["name"])
got = {r["id"]: (r["location_id"], r["desk"], r["employee_id"], r["visit"], r["rating"],
                 r["location_name"], r["employee_name"]) for r in json.load(open(sys.argv[2]))}
assert set(got) == set(sent), ("ids differ", sorted(set(got) ^ set(sent))[:5])
for k, v in sent.items():
    assert got[k] == v, (k, [a for a, b in zip(v, got[k]) if a != b][:1])
PY
}

# clean FILE DESC : no raw control, C1, bidi or zero-width character and no
# invalid UTF-8 in the output (tab, CR and LF are the only controls allowed).
clean() {
    if python3 - "$1" <<'PY'; then ok "$2"; else bad "$2"; fi
import sys
s = open(sys.argv[1], "rb").read().decode("utf-8")  # invalid UTF-8 raises
if s[:1] == "\ufeff":
    s = s[1:]  # the BOM --excel puts first, on purpose
bad = sorted({"U+%04X" % ord(c) for c in s
              if (ord(c) < 32 and c not in "\t\r\n") or 0x7f <= ord(c) <= 0x9f
              or 0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069
              or 0x200b <= ord(c) <= 0x200f or ord(c) == 0xfeff})
assert not bad, bad
PY
}

# inert_csv FILE DELIM DESC : every cell of the CSV is inert in a spreadsheet.
inert_csv() {
    if python3 - "$1" "$2" <<'PY'; then ok "$3"; else bad "$3"; fi
import csv, sys
raw = open(sys.argv[1], "rb").read().decode("utf-8-sig")
rows = list(csv.reader(raw.splitlines(), delimiter=sys.argv[2]))
assert len(rows) > 1, "no rows"
for r in rows:
    for c in r:
        assert c[:1] not in ("=", "+", "@", "\t", "\r"), ("formula", c[:40])
        if c[:1] == "-":
            float(c.replace(",", "."))  # only numbers may start with '-'
PY
}

# ---- import -------------------------------------------------------------------
"$CXM_BIN" import --db "$DB" "$T/corpus.jsonl" >"$T/imp.out" 2>"$T/imp.err"
rc=$?
check "import: some lines rejected, exit 3 ($rc)" test "$rc" -eq 3
nbad=$(grep -c '"id": "c\.\(nul\|long\)' "$T/corpus.jsonl")
check "import: $NGOOD imported, $nbad rejected" \
    grep -qx "imported $NGOOD, duplicates 0, rejected $nbad" "$T/imp.out"
check "import: NUL rejections name the field" grep -q "location.id: contains U+0000 (NUL)" "$T/imp.err"
check "import: the over-long line is named" grep -q "line: longer than 65536 bytes" "$T/imp.err"
clean "$T/imp.err" "import: the messages carry nothing raw"
stored_exactly "$DB" "import: every accepted event stored exactly as sent"

# ---- endless inputs end on SIGTERM, with the summary ------------------------------
"$CXM_BIN" import --db "$T/zero.db" /dev/zero >"$T/zero.out" 2>"$T/zero.err" &
zp=$!
CHILDREN+=("$zp")
# it is reading once the database exists (the inputs are checked first)
check "import /dev/zero: started" wait_for_file "$T/zero.db" 10
kill -TERM "$zp"
check "import /dev/zero: SIGTERM ends it" wait_exit "$zp" 10
check "import /dev/zero: exit 1 ($EXIT_RC)" test "$EXIT_RC" -eq 1
check "import /dev/zero: says it was interrupted" grep -q "interrupted" "$T/zero.err"
check "import /dev/zero: prints the summary" grep -qE "^imported 0, duplicates 0, rejected [0-9]+$" "$T/zero.out"
mkfifo "$T/endless.fifo"
"$CXM_BIN" import --db "$T/fifo.db" "$T/endless.fifo" >"$T/fifo.out" 2>"$T/fifo.err" &
fp=$!
CHILDREN+=("$fp")
(while :; do cat "$T/good.jsonl"; done >"$T/endless.fifo") 2>/dev/null &
wp=$!
CHILDREN+=("$wp")
check "import from an endless FIFO: events go in" wait_count "$T/fifo.db" "$NGOOD" 20
kill -TERM "$fp"
check "import from an endless FIFO: SIGTERM ends it" wait_exit "$fp" 10
check "import from an endless FIFO: summary with the repeats as duplicates" \
    grep -qE "^imported $NGOOD, duplicates [1-9][0-9]*, rejected 0$" "$T/fifo.out"
kill -TERM "$wp" 2>/dev/null
stored_exactly "$T/fifo.db" "import from a FIFO: stored exactly as sent"

# ---- ingest over a real socket -------------------------------------------------------
python3 "$PY" --port-file "$T/port" --conn-log "$T/conn" --body "$T/corpus.sse" 2>"$T/srv.err" &
CHILDREN+=($!)
check "SSE server listens" wait_for_file "$T/port" 10
start_ingest ingest "$T/ing.db" --agent "http://127.0.0.1:$(cat "$T/port")/events"
check "ingest: the $NGOOD good events arrive" wait_count "$T/ing.db" "$NGOOD" 30
wait_stable "$T/ing.db" 10
kill -TERM "$INGEST_PID"
wait_exit "$INGEST_PID" 10
check "ingest: exit 0 on SIGTERM ($EXIT_RC)" test "$EXIT_RC" -eq 0
stored_exactly "$T/ing.db" "ingest: every accepted event stored exactly as sent"
check "ingest: NUL rejections named" grep -q "contains U+0000 (NUL)" "$T/ingest.err"
clean "$T/ingest.err" "ingest: the log carries nothing raw"
clean "$T/ingest.out" "ingest: the status lines carry nothing raw"

# ---- alerts with hostile scopes and comments ---------------------------------------------
"$CXM_BIN" alerts check --db "$DB" >/dev/null 2>&1
nal=$(sqlite3 "$DB" "SELECT count(*) FROM alerts")
check "the corpus opened alerts ($nal)" test "${nal:-0}" -ge 3
first=$(sqlite3 "$DB" "SELECT min(id) FROM alerts")
comment=$(printf '=HYPERLINK("http://evil.example/") \e[31mred\e[0m \e]0;PWNED\a rtl\u202Eevil zw\u200Bx c1\u009bx')
"$CXM_BIN" alerts close "$first" --db "$DB" --comment "$comment" >/dev/null 2>"$T/close.err"
check "close with a hostile comment" test "$?" -eq 0
check "the comment is stored exactly" \
    test "$(sqlite3 "$DB" "SELECT comment FROM alerts WHERE id = $first")" = "$comment"

# ---- every CLI format -------------------------------------------------------------------------
for cmd in "kpi" "kpi --by location" "kpi --by desk" "kpi --by day" "alerts --state all" \
    "alerts events $first" "causes"; do
    for fmt in table json csv excel; do
        tag="$(echo "$cmd" | tr ' ' '_').$fmt"
        args="--format $fmt"
        [ "$fmt" = excel ] && args="--format csv --excel"
        [ "$fmt" = table ] && args=""
        # shellcheck disable=SC2086
        "$CXM_BIN" $cmd --db "$DB" $args >"$T/o.$tag" 2>"$T/e.$tag"
        rc=$?
        check "$cmd $args: exit 0 ($rc)" test "$rc" -eq 0
        clean "$T/o.$tag" "$cmd $args: nothing raw on stdout"
        case $fmt in
        json) check "$cmd --format json: valid JSON" python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$T/o.$tag" ;;
        csv) [ "$cmd" != causes ] && inert_csv "$T/o.$tag" , "$cmd --format csv: every cell inert" ;;
        excel) [ "$cmd" != causes ] && inert_csv "$T/o.$tag" ";" "$cmd --excel: every cell inert" ;;
        esac
    done
done
check "kpi table: the escapes are shown, made visible" grep -qF '^[[31mRED' "$T/o.kpi.table"
check "kpi table: bidi shown as <202A>" grep -qF '<202A>' "$T/o.kpi.table"
check "kpi json: the names round-trip exactly" python3 - "$T/o.kpi.json" "$T/good.jsonl" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
rows = rows.get("rows", rows) if isinstance(rows, dict) else rows
names = {r.get("name") for r in rows}
# (KPI rows hold names up to 255 bytes: the 60 KB name is left out here)
sent = {json.loads(l)["employee"]["name"] for l in open(sys.argv[2], encoding="utf-8")}
sent = {n for n in sent if len(n.encode()) < 200}
assert sent <= names, sorted(sent - names)[:2]
PY
check "alerts json: the comment round-trips exactly" python3 - "$T/o.alerts_--state_all.json" "$comment" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))["alerts"]
assert sys.argv[2] in [x.get("comment") for x in a]
PY

# ---- the TUI --------------------------------------------------------------------------------------
if [ "$HAVE_TMUX" = 1 ]; then
    scr_start 160 45 "$CXM_BIN" --db "$DB" --lang en
    scr_wait_for "Dashboard"
    title0=$(scr_tmux display-message -t main -p '#{pane_title}')
    for view in 1 2 3 4; do
        scr_keys "$view"
        case $view in
        1) scr_wait_for "|esc" ;;
        2) scr_wait_for "Filter: none" ;;
        3) scr_wait_for "CSAT" ;;
        4) scr_wait_for "closed" ;;
        esac
        scr_text >"$T/pane.$view"
        clean "$T/pane.$view" "TUI view $view: nothing raw in the pane"
    done
    # the alert with the hostile comment: its events view shows the comment made visible
    scr_keys End Enter
    scr_wait_for "events."
    scr_text >"$T/pane.5"
    clean "$T/pane.5" "TUI alert events view: nothing raw in the pane"
    check "TUI: the comment's escapes are made visible" grep -qF '^[[31mred' "$T/pane.5"
    check "TUI: the comment's bidi control is shown as <202E>" grep -qF 'rtl<202E>evil' "$T/pane.5"
    check "TUI dashboard: ESC sequences made visible" grep -qF '^[[31mRED' "$T/pane.1"
    check "TUI dashboard: bidi shown as <202A>" grep -qF '<202A>' "$T/pane.1"
    check "TUI: no escape sequence set the window title ($(scr_tmux display-message -t main -p '#{pane_title}'))" \
        test "$(scr_tmux display-message -t main -p '#{pane_title}')" = "$title0"
    scr_keys q
    scr_keys q
    scr_wait_exit 10
    check "TUI: exit 0 ($SCR_RC)" test "$SCR_RC" = 0
else
    echo "ok   - (tmux not installed: the TUI part skipped)"
fi
finish
