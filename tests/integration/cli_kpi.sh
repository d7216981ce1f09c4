#!/usr/bin/env bash
# `cxm-console kpi` on a small hand-computed fixture (tests/fixtures/cli/
# kpi_small.jsonl, the numbers are worked out in the comments below): JSON
# values and nulls, CSV, table alignment with Cyrillic, every --by, periods,
# --silent-k and option errors.
source "$(dirname "$0")/lib_cli.sh"
DB="$T/k.db"
run "$T/out" "$T/err" "$CXM_BIN" import --db "$DB" "$FIX/kpi_small.jsonl"
expect_rc 0 "fixture imported"
expect_last "$T/out" "imported 30, duplicates 0, rejected 0" "fixture summary"

kpi() { "$CXM_BIN" kpi --db "$DB" "$@"; }

# pycheck NAME JSON_FILE PYTHON: runs assertions over the parsed rows (dict by key).
pycheck() {
    local d=$1 f=$2 code=$3
    if python3 - "$f" <<PY; then ok "$d"; else bad "$d"; fi
import json, math, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
rows = {r["key"]: r for r in doc["rows"]}
def near(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
def row(key, **want):
    r = rows[key]
    for k, v in want.items():
        if isinstance(v, float) or v is None:
            assert near(r[k], v), (key, k, r[k], v)
        else:
            assert r[k] == v, (key, k, r[k], v)
$code
PY
}

# --- by employee over all time ---
# e1: day 1: 5 arrivals, ratings super(emp+,cust+) super(emp+,cust poker) so_so(emp poker)
#     bad(emp-,cust-), silent(emp+), red button; day 2: arrival, super(emp+,cust+).
#     R=5 P=3 N=1 S=1 C=arrivals=6 L=2; CSAT 60, support 50, criticality 2/6, response 5/6,
#     EmoNPS (2-2-0.5*1)/6*100 = -8.33, passive (3-2)+0.5*1 = 1.5, smile 4/6.
#     The periodic `emotion` event (negative) is not a contact and does not count.
# e2: 2 arrivals, so_so (no emotion), 2 silent: R=1 P=0 S=2 C=2;
#     EmoNPS (0-1-1)/3*100, smile null (no labels: unknown 3).
# e3: 3 arrivals, served 10+6, super+, super+, bad(mixed): C=16 (served wins),
#     CSAT 200/3, support 12.5, criticality 6.25, response 18.75, EmoNPS -100/3, smile 2/3.
# e4: one arrival, nothing else: every ratio null except... all null (R=0, R+S=0, no labels);
#     support/criticality/response have C=1 -> 0.
kpi --by employee --format json >"$T/emp.json" 2>"$T/err"; rc=$?
expect_rc 0 "kpi --by employee --format json"
pycheck "employee values" "$T/emp.json" '
assert list(rows) == sorted(rows), "rows sorted by key"
assert set(rows) == {"e1", "e2", "e3", "e4"}, rows.keys()
row("e1", name="Анна Петрова", ratings={"super": 3, "so_so": 1, "bad": 1}, ratings_total=5,
    positive=3, negative=1, silent=1, arrivals=6, served=0, red_buttons=1,
    csat=60.0, support_index=50.0, criticality_index=2/6*100, response_rate=5/6*100,
    emonps=(2-2-0.5*1)/6*100, loyal=2, critics=2, passive=1.5,
    employee_emotion={"positive": 4, "negative": 1, "mixed": 0, "poker": 1, "unknown": 0},
    smile_share=4/6)
row("e2", name="Bob Smith", ratings={"super": 0, "so_so": 1, "bad": 0}, ratings_total=1,
    positive=0, negative=0, silent=2, arrivals=2, csat=0.0, support_index=0.0,
    criticality_index=50.0, response_rate=50.0, emonps=(0-1-0.5*2)/3*100, loyal=0, critics=1,
    passive=1.0, employee_emotion={"positive": 0, "negative": 0, "mixed": 0, "poker": 0, "unknown": 3},
    smile_share=None)
row("e3", name="Дмитрий Волков", ratings_total=3, positive=2, negative=1, arrivals=3, served=16,
    csat=2/3*100, support_index=12.5, criticality_index=6.25, response_rate=18.75,
    emonps=(0-1-0)/3*100, loyal=0, critics=1, passive=2.0, smile_share=2/3)
row("e4", ratings_total=0, arrivals=1, csat=None, emonps=None, smile_share=None,
    support_index=0.0, criticality_index=0.0, response_rate=0.0)
assert rows["e4"]["name"] == "Evil\x1b[31mName", "JSON keeps the name exactly (escaped)"
for r in rows.values():
    for k in ("key","name","ratings","ratings_total","positive","negative","silent","arrivals",
              "served","red_buttons","csat","support_index","criticality_index","response_rate",
              "emonps","loyal","critics","passive","employee_emotion","smile_share"):
        assert k in r, (r["key"], k)
'
check "JSON has no raw ESC" bash -c "! LC_ALL=C grep -q \$'\\033' '$T/emp.json'"
check "ratios are not rounded" grep -q '"response_rate": 83.33333333333' "$T/emp.json"
check "null, never NaN" bash -c "grep -q '\"smile_share\": null' '$T/emp.json' && ! grep -qi nan '$T/emp.json'"

# --- --silent-k ---
kpi --by employee --format json --silent-k 1 >"$T/k1.json"
pycheck "--silent-k 1" "$T/k1.json" '
row("e1", emonps=(2-2-1.0)/6*100, passive=1.0)
row("e2", emonps=(0-1-2.0)/3*100, passive=0.0)'
kpi --by employee --format json --silent-k 0.2 >"$T/k2.json"
pycheck "--silent-k 0.2" "$T/k2.json" 'row("e1", emonps=(2-2-0.2)/6*100, passive=1+0.8)'

# --- periods: [from, to), dates are local midnight (TZ=UTC-3 here) ---
kpi --by employee --format json --from 2026-11-23 --to 2026-11-24 >"$T/d1.json"
pycheck "day 1 only" "$T/d1.json" '
row("e1", ratings_total=4, positive=2, arrivals=5, csat=50.0, support_index=40.0,
    emonps=(1-2-0.5)/5*100, smile_share=3/5)'
kpi --by employee --format json --from 2026-11-24T00:00:00+03:00 >"$T/d2.json"
pycheck "from day 2 (RFC 3339)" "$T/d2.json" '
assert set(rows) == {"e1"}, rows.keys()
row("e1", ratings_total=1, positive=1, arrivals=1, csat=100.0, emonps=100.0)'
kpi --by employee --format json --from 2026-11-23T09:10:00+03:00 --to 2026-11-23T09:12:00+03:00 >"$T/w.json"
pycheck "unaligned window" "$T/w.json" 'row("e1", ratings_total=2, positive=2, arrivals=0, support_index=None)'
kpi --format json --from 2030-01-01 >"$T/none.json"
pycheck "empty period" "$T/none.json" 'assert rows == {}'

# --- other groupings ---
kpi --by location --format json >"$T/loc.json"
pycheck "--by location" "$T/loc.json" '
assert set(rows) == {"clinic-1", "station-7"}, rows.keys()
row("clinic-1", name="Клиника на Ленина", ratings_total=6, positive=3, silent=3, arrivals=8,
    csat=50.0, response_rate=75.0, emonps=(2-3-0.5*3)/9*100)
# station-7: C per cell: till-1/e3 has till counts (16), till-2/e4 only an arrival (1): 17.
row("station-7", name="АЗС №7", ratings_total=3, arrivals=4, served=16, customers=17,
    customers_from="mixed", response_rate=3/17*100)
row("clinic-1", customers=8, customers_from="arrivals")'
check "numbers without exponents (50, not 5e+01)" bash -c "! grep -q 'e[+-]' '$T/emp.json' '$T/loc.json'"
kpi --by desk --format json >"$T/desk.json"
pycheck "--by desk" "$T/desk.json" '
assert set(rows) == {"clinic-1/reg-1", "clinic-1/reg-2", "station-7/till-1", "station-7/till-2"}, rows.keys()
row("clinic-1/reg-1", ratings_total=5, arrivals=6, red_buttons=1)
row("station-7/till-1", served=16, customers=16, customers_from="served", response_rate=18.75)
row("station-7/till-2", served=0, customers=1, customers_from="arrivals")'
kpi --by day --format json >"$T/day.json"
pycheck "--by day" "$T/day.json" '
assert set(rows) == {"2026-11-23", "2026-11-24"}, rows.keys()
row("2026-11-23", ratings_total=8, positive=4, negative=2, silent=3, red_buttons=1, csat=50.0,
    emonps=(1-4-0.5*3)/11*100)
row("2026-11-24", ratings_total=1, positive=1, arrivals=1, csat=100.0)'
kpi --by all --format json >"$T/all.json"
pycheck "--by all" "$T/all.json" '
assert list(rows) == ["all"], rows.keys()
row("all", ratings_total=9, positive=5, negative=2, silent=3, arrivals=12, served=16,
    customers=25, customers_from="mixed", support_index=5/25*100, red_buttons=1, csat=500/9, emonps=(2-4-1.5)/12*100,
    employee_emotion={"positive": 6, "negative": 1, "mixed": 1, "poker": 1, "unknown": 3})'

# --- CSV: header, RFC 4180, empty for null ---
kpi --by employee --format csv >"$T/emp.csv"
if python3 - "$T/emp.csv" <<'PY'; then ok "CSV"; else bad "CSV"; fi
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
h = rows[0]
assert h[:2] == ["key", "name"], h
for col in ("ratings_super", "ratings_so_so", "ratings_bad", "csat", "emonps", "smile_share",
            "employee_emotion_unknown", "response_rate"):
    assert col in h, col
body = {r[0]: dict(zip(h, r)) for r in rows[1:]}
assert body["e1"]["name"] == "Анна Петрова"
assert body["e2"]["smile_share"] == "", "null is empty"
assert body["e4"]["csat"] == ""
assert float(body["e1"]["csat"]) == 60.0
assert abs(float(body["e1"]["emonps"]) - (2-2-0.5)/6*100) < 1e-9
assert body["e1"]["ratings_super"] == "3"
assert all(len(r) == len(h) for r in rows)
PY
check "CSV has no raw ESC" bash -c "! LC_ALL=C grep -q \$'\\033' '$T/emp.csv'"

# --- table: columns line up by display width, Cyrillic included; names sanitized ---
kpi --by employee --lang en >"$T/emp.txt"
if python3 - "$T/emp.txt" <<'PY'; then ok "table aligned by display width"; else bad "table aligned"; cat "$T/emp.txt"; fi
import sys, unicodedata
lines = open(sys.argv[1], encoding="utf-8").read().rstrip("\n").split("\n")
def width(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
assert len(lines) == 5, lines
assert lines[0].startswith("KEY"), lines[0]
ws = {width(l) for l in lines}
assert len(ws) == 1, [width(l) for l in lines]
# the column after NAME starts at the same display column on every line
name_col = lines[0].index("NAME")
for l, name in zip(lines[1:], ["Анна Петрова", "Bob Smith", "Дмитрий Волков"]):
    assert l[name_col:name_col + len(name)] == name, (l, name)
assert "^[" in lines[4] and "\x1b" not in lines[4], lines[4]
assert "—" in lines[2], "null shown as a dash"
assert " 60.0 " in lines[1], "ratios to one decimal"
PY
kpi --by employee --lang ru >"$T/emp_ru.txt"
check "Russian headers with --lang ru" grep -q "ИМЯ" "$T/emp_ru.txt"
LC_ALL=C kpi --by employee --lang en >"$T/emp_c.txt"
check "ASCII fallback outside UTF-8: no multibyte output" bash -c "! LC_ALL=C grep -qP '[\\x80-\\xff]' '$T/emp_c.txt'"

# --- option errors -> 2 with a message ---
for args in "--by week" "--silent-k 0.1" "--silent-k 1.5" "--silent-k abc" "--from yesterday" \
            "--to 2026-13-01" "--format xml" "--from 2026-11-24 --to 2026-11-23" "--bogus" "extra"; do
    # shellcheck disable=SC2086
    "$CXM_BIN" kpi --db "$DB" $args >"$T/out" 2>"$T/err"; rc=$?
    expect_rc 2 "kpi $args"
    check "kpi $args: message on stderr" test -s "$T/err"
done
"$CXM_BIN" kpi --db "$T/missing.db" >"$T/out" 2>"$T/err"; rc=$?
expect_rc 1 "missing database"
check "missing database not created" test ! -e "$T/missing.db"

finish
