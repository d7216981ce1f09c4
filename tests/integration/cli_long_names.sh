#!/usr/bin/env bash
# Names longer than a KPI row keeps (255 bytes, include/cxm/kpi.h): JSON and
# CSV print them whole, a table cell marks the cut, and no output ever holds
# half a UTF-8 character (issue 11: "shown cut, with no mark").
source "$(dirname "$0")/lib_cli.sh"

now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
emp=$(python3 -c 'print("Ж" * 200 + "END")')        # 603 bytes, cut mid-character at 255
loc=$(python3 -c 'print("L" * 300 + "LOCEND")')
cat > "$T/ev.jsonl" <<J
{"id":"ln.1","ts":"$now","type":"rating","rating":"bad","location":{"id":"c","name":"$loc"},"desk":"d1","employee":{"id":"e1","name":"$emp"}}
{"id":"ln.2","ts":"$now","type":"rating","rating":"super","location":{"id":"c"},"desk":"d1","employee":{"id":"e2","name":"short"}}
J
run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/db" "$T/ev.jsonl"
expect_last "$T/out" "imported 2, duplicates 0, rejected 0" "long names imported"

valid_utf8() { python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$1"; }

run "$T/j" "$T/err" "$CXM_BIN" kpi --db "$T/db" --by employee --format json
expect_rc 0 "kpi json"
check "json: the long employee name whole" \
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["rows"]; assert [x["name"] for x in r if x["key"]=="e1"]==[sys.argv[2]]' "$T/j" "$emp"
check "json: a short name unchanged" grep -q '"name": "short"' "$T/j"

run "$T/c" "$T/err" "$CXM_BIN" kpi --db "$T/db" --by employee --format csv
expect_rc 0 "kpi csv"
check "csv: the long employee name whole" \
    python3 -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1], encoding="utf-8"))); assert [x[1] for x in r if x[0]=="e1"]==[sys.argv[2]]' "$T/c" "$emp"
check "csv: valid UTF-8" valid_utf8 "$T/c"

for by in location desk; do
    run "$T/c" "$T/err" "$CXM_BIN" kpi --db "$T/db" --by $by --format csv
    check "csv --by $by: the long location name whole" grep -q "LOCEND" "$T/c"
    run "$T/j" "$T/err" "$CXM_BIN" kpi --db "$T/db" --by $by --format json
    check "json --by $by: the long location name whole" grep -q "LOCEND" "$T/j"
done

run "$T/t" "$T/err" "$CXM_BIN" kpi --db "$T/db" --by employee
expect_rc 0 "kpi table"
check "table: the cut name is marked" grep -q "^e1  *Ж*…" "$T/t"
check "table: valid UTF-8" valid_utf8 "$T/t"

# ---- causes: the same names whole in JSON and CSV ----
run "$T/out" "$T/err" "$CXM_BIN" review ln.1 --db "$T/db" --cause staff.rude --done
expect_rc 0 "review of the event with the long names"
for by in employee location desk; do
    want=$emp; [ $by = employee ] || want=LOCEND
    run "$T/cj" "$T/err" "$CXM_BIN" causes --db "$T/db" --by $by --format json
    check "causes json --by $by: the name whole" grep -q "$want" "$T/cj"
    run "$T/cc" "$T/err" "$CXM_BIN" causes --db "$T/db" --by $by --format csv
    check "causes csv --by $by: the name whole" grep -q "$want" "$T/cc"
    check "causes csv --by $by: valid UTF-8" valid_utf8 "$T/cc"
done

# ---- alerts: a long scope name in the summary is cut at a character, marked ----
# "x" first so a cut at a fixed byte count falls inside a 2-byte character.
aloc=$(python3 -c 'print("x" + "Ж" * 200 + "LEND")')
t0=$(date -u +%s)
for i in 1 2 3 4; do
    printf '{"id":"al.%d","ts":"%s","type":"rating","rating":"bad","location":{"id":"c2","name":"%s"},"desk":"d1"}\n' \
        $i "$(date -u -d @$((t0 - 600 + i)) +%Y-%m-%dT%H:%M:%SZ)" "$aloc"
done > "$T/al.jsonl"
run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/adb" "$T/al.jsonl"
expect_last "$T/out" "imported 4, duplicates 0, rejected 0" "alert events imported"
run "$T/aj" "$T/err" "$CXM_BIN" alerts --db "$T/adb" --state all --format json
check "alerts json: summaries carry the name cut with a mark, no half character" \
    python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))["alerts"]; assert a and all(x["summary"].endswith("Ж\u2026") and "\ufffd" not in x["summary"] for x in a), [x["summary"][-5:] for x in a]' "$T/aj"
check "the stored scope name is marked where cut" \
    test "$(sqlite3 "$T/adb" "SELECT count(*) FROM alerts WHERE scope_name LIKE '%Ж…'")" -ge 1
run "$T/ac" "$T/err" "$CXM_BIN" alerts --db "$T/adb" --state all --format csv
check "alerts csv: valid UTF-8" valid_utf8 "$T/ac"
finish
