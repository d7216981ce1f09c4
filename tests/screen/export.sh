#!/bin/bash
# Export from any table: `w` writes what the table shows to a CSV file
# (UTF-8, RFC 4180) and says where on the message line; `W` writes the Excel
# dialect (BOM, ';', decimal comma in Russian). Dashboard, KPIs, stream and
# alerts; a name that looks like a formula is neutralised.
. "$(dirname "$0")/lib_screen.sh"
export CXM_EXPORT_DIR="$SCR_TMP/out" TZ=UTC-3
mkdir -p "$CXM_EXPORT_DIR"
DB="$SCR_TMP/e.db"
"$CXM_BIN" demo-day >"$SCR_TMP/today.jsonl"
# an employee whose name a spreadsheet would run as a formula
printf '%s\n' '{"id": "evil.1", "ts": "'"$(date -u +%Y-%m-%dT%H:%M:%SZ)"'", "type": "rating", "location": {"id": "clinic-1", "name": "Клиника на Ленина"}, "desk": "reg-9", "employee": {"id": "e99", "name": "=HYPERLINK(\"http://x\")"}, "rating": "super"}' >>"$SCR_TMP/today.jsonl"
"$CXM_BIN" import --db "$DB" "$SCR_TMP/today.jsonl" "$CXM_SRC/tests/fixtures/alerts/day.jsonl" >/dev/null ||
    { echo "import failed"; exit 1; }

newest() { ls -t "$CXM_EXPORT_DIR"/*.csv 2>/dev/null | head -n 1; }

scr_start 120 30 "$CXM_BIN" --db "$DB" --lang en
scr_wait_for "Анна Петрова"
scr_keys w
scr_wait_for "rows written to $CXM_EXPORT_DIR/cxm-dashboard-"
f=$(newest)
[ -s "$f" ] || scr_fail "no dashboard file"
head -n 1 "$f" | grep -q "^Employee,Emotion," || scr_fail "dashboard header: $(head -n 1 "$f")"
grep -q "Анна Петрова" "$f" || scr_fail "dashboard rows missing"
grep -qF "'=HYPERLINK" "$f" || scr_fail "a formula name was not neutralised"
grep -q $'\r$' "$f" || scr_fail "rows do not end with CRLF"

scr_keys 3
scr_wait_for "CSAT"
scr_keys W
scr_wait_for "rows written for Excel to $CXM_EXPORT_DIR/cxm-kpi-"
f=$(newest)
head -c 3 "$f" | od -An -tx1 | grep -q "ef bb bf" || scr_fail "Excel file without a BOM"
sed -n 1p "$f" | grep -q ";" || scr_fail "Excel file not ';'-separated"

scr_keys 4
scr_wait_for "Open 2"
scr_keys w
scr_wait_for "cxm-alerts-"
f=$(newest)
grep -q "negative-streak" "$f" || scr_fail "alerts rows missing"
scr_keys q
scr_wait_exit
scr_tmux kill-server

# Russian: the Excel dialect writes a decimal comma.
scr_start 120 30 "$CXM_BIN" --db "$DB" --lang ru
scr_wait_for "Анна Петрова"
scr_keys 3
scr_wait_for "CSAT"
scr_keys W
scr_wait_for "для Excel"
f=$(newest)
grep -qE ';[0-9]+,[0-9]+(;|\r$)' "$f" || scr_fail "no decimal comma in the Russian Excel file"
grep -qE ';[0-9]+\.[0-9]+(;|\r$)' "$f" && scr_fail "a decimal point in the Russian Excel file"
scr_keys q
scr_wait_exit
echo "export: CSV and Excel CSV from the dashboard, KPIs and alerts, and where they went"
