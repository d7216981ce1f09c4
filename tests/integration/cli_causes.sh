#!/usr/bin/env bash
# `cxm-console causes` against hand-computed numbers (tests/fixtures/
# checklists/causes_events.jsonl; the reviews are made below with `review`).
# Covers: ties broken by definition order (not by id, not by marking order),
# the 80 % boundary (a cause whose cumulative share before it is exactly 0.8
# is NOT a bottleneck), drafts never counting (also a done entry later saved
# as draft), only the current revision counting, the period by the incident's
# time ([from, to)), every --by, every JSON key, CSV, the table, errors.
source "$(dirname "$0")/lib_cli.sh"
export CXM_CHECKLISTS_DIR="$CXM_SRC/data/checklists"
DB="$T/c.db"
run "$T/out" "$T/err" "$CXM_BIN" import --db "$DB" "$CXM_SRC/tests/fixtures/checklists/causes_events.jsonl"
expect_rc 0 "fixture imported"

rv() { "$CXM_BIN" review --db "$DB" "$@" >/dev/null 2>"$T/rv.err" || { bad "review $*: $(cat "$T/rv.err")"; }; }
# clinic-1 (9 incidents in the period: i1..i9)
rv i1 --cause process.queue --cause staff.rude --primary staff.rude --done
rv i2 --cause staff.standard --done
rv i2 --cause staff.rude --primary staff.rude --done          # revision 2 replaces 1
rv i3 --cause process.queue --cause process.it_failure --primary process.queue --done
rv i4 --cause process.queue --cause staff.rude --primary staff.rude --done
rv i5 --cause staff.slow --done
rv i6 --cause process.it_failure --primary process.it_failure --done
rv i7 --no-cause --done
rv i8 --cause staff.incompetent --done
rv i8 --cause staff.incompetent                                # back to draft: never counts
# outside [2026-11-23, 2026-11-24): the day before, and exactly at --to
rv i10 --cause staff.incompetent --done
rv i11 --cause staff.incompetent --done
# a positive rating: the delight checklist
rv p1 --cause staff.friendly --done
# clinic-2: 4 + 4 + 2 = 10 marks, the third cause sits exactly on the 80 % line
rv j1 --cause staff.rude --cause process.queue --cause product.price --primary staff.rude --done
rv j2 --cause staff.rude --cause process.queue --cause product.price --primary process.queue --done
rv j3 --cause staff.rude --cause process.queue --primary staff.rude --done
rv j4 --cause process.queue --cause staff.rude --done

causes() { "$CXM_BIN" causes --db "$DB" "$@"; }

pycheck() { # pycheck DESC JSON_FILE PYTHON
    local d=$1 f=$2 code=$3
    if python3 - "$f" <<PY; then ok "$d"; else bad "$d"; fi
import json, math, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
rows = {r["key"]: r for r in doc["rows"]}
ROW_KEYS = {"key", "name", "incidents", "reviewed", "no_cause", "staff_related",
            "not_staff_related", "causes"}
CAUSE_KEYS = {"id", "title", "section", "staff_related", "count", "share", "cumulative",
              "bottleneck", "primary"}
for r in doc["rows"]:
    assert ROW_KEYS <= set(r), ("row keys", sorted(ROW_KEYS - set(r)))
    for c in r["causes"]:
        assert CAUSE_KEYS <= set(c), ("cause keys", sorted(CAUSE_KEYS - set(c)))
def near(a, b):
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
def pareto(key, want):
    """want: [(id, count, primary, bottleneck)], in order; share/cumulative computed here."""
    got = rows[key]["causes"]
    assert [c["id"] for c in got] == [w[0] for w in want], (key, [c["id"] for c in got])
    total = sum(w[1] for w in want)
    cum = 0
    for c, (i, n, p, b) in zip(got, want):
        cum += n
        assert c["count"] == n, (key, i, "count", c["count"], n)
        assert c["primary"] == p, (key, i, "primary", c["primary"], p)
        assert c["bottleneck"] is b, (key, i, "bottleneck", c["bottleneck"], b)
        assert near(c["share"], n / total), (key, i, "share", c["share"])
        assert near(c["cumulative"], cum / total), (key, i, "cumulative", c["cumulative"])
def row(key, **want):
    r = rows[key]
    for k, v in want.items():
        assert r[k] == v, (key, k, r[k], v)
$code
PY
}

P=(--from 2026-11-23 --to 2026-11-24)

# --- --by all over the day ---
causes "${P[@]}" --format json >"$T/all.json" 2>"$T/err"; rc=$?
expect_rc 0 "causes --by all (default) --format json"
pycheck "all: counts, ties by definition order, bottlenecks" "$T/all.json" '
assert doc["checklist"] == "dissatisfaction", doc["checklist"]
assert list(rows) == ["all"], list(rows)
row("all", incidents=13, reviewed=11, no_cause=1, staff_related=8, not_staff_related=11)
# 7 7 2 2 1 of 19: before = 0, 7, 14 (0.737 < 0.8), 16 (0.842), 18
pareto("all", [("staff.rude", 7, 5, True), ("process.queue", 7, 2, True),
               ("process.it_failure", 2, 1, True), ("product.price", 2, 0, False),
               ("staff.slow", 1, 0, False)])
c = rows["all"]["causes"][0]
assert c["section"] == "staff" and c["staff_related"] is True and c["title"], c
c = rows["all"]["causes"][1]
assert c["section"] == "process" and c["staff_related"] is False, c
'

# --- --by location: clinic-2 has the exact 80 % boundary ---
causes "${P[@]}" --by location --format json >"$T/loc.json" 2>"$T/err"; rc=$?
expect_rc 0 "causes --by location"
pycheck "location: the 80 % boundary and per-row sums" "$T/loc.json" '
assert list(rows) == ["clinic-1", "clinic-2"], list(rows)
row("clinic-1", name="Клиника на Ленина", incidents=9, reviewed=7, no_cause=1, staff_related=4,
    not_staff_related=5)
pareto("clinic-1", [("staff.rude", 3, 3, True), ("process.queue", 3, 1, True),
                    ("process.it_failure", 2, 1, True), ("staff.slow", 1, 0, False)])
row("clinic-2", name="Клиника на Мира", incidents=4, reviewed=4, no_cause=0, staff_related=4,
    not_staff_related=6)
# 4 4 2 of 10: the third has exactly 0.8 before it: not a bottleneck
pareto("clinic-2", [("staff.rude", 4, 2, True), ("process.queue", 4, 1, True),
                    ("product.price", 2, 0, False)])
'

# --- --by employee and desk: keys and names ---
causes "${P[@]}" --by employee --format json >"$T/emp.json" 2>"$T/err"; rc=$?
expect_rc 0 "causes --by employee"
pycheck "employee rows" "$T/emp.json" '
assert list(rows) == ["e17", "e18", "e19"], list(rows)
row("e17", name="Анна Петрова", incidents=5, reviewed=4, no_cause=1)
row("e18", name="Борис Иванов", incidents=4, reviewed=3, no_cause=0)
pareto("e18", [("process.queue", 2, 1, True), ("staff.rude", 1, 1, True),
               ("staff.slow", 1, 0, True), ("process.it_failure", 1, 0, False)])
'
causes "${P[@]}" --by desk --format json >"$T/desk.json" 2>"$T/err"; rc=$?
expect_rc 0 "causes --by desk"
pycheck "desk rows" "$T/desk.json" '
assert list(rows) == ["clinic-1/reg-1", "clinic-1/reg-2", "clinic-2/reg-1"], list(rows)
row("clinic-1/reg-1", name="Клиника на Ленина / reg-1", incidents=5, reviewed=4)
'

# --- the whole history: the ties at 2 are ordered by the definition ---
causes --format json >"$T/hist.json" 2>"$T/err"; rc=$?
expect_rc 0 "causes over everything stored"
pycheck "history: incompetent (item 3) before it_failure and price on a tie" "$T/hist.json" '
row("all", incidents=15, reviewed=13, no_cause=1)
pareto("all", [("staff.rude", 7, 5, True), ("process.queue", 7, 2, True),
               ("staff.incompetent", 2, 0, True), ("process.it_failure", 2, 1, True),
               ("product.price", 2, 0, False), ("staff.slow", 1, 0, False)])
'

# --- delight: growth points ---
causes --checklist delight --format json >"$T/del.json" 2>"$T/err"; rc=$?
expect_rc 0 "causes --checklist delight"
pycheck "delight counts positive ratings" "$T/del.json" '
assert doc["checklist"] == "delight"
row("all", incidents=1, reviewed=1)
pareto("all", [("staff.friendly", 1, 0, True)])
'

# --- an empty period still gives the one "all" row ---
causes --from 2030-01-01 --format json >"$T/empty.json" 2>"$T/err"; rc=$?
expect_rc 0 "empty period"
pycheck "empty period: one zero row" "$T/empty.json" '
row("all", incidents=0, reviewed=0, no_cause=0, staff_related=0, not_staff_related=0, causes=[])
'

# --- table and CSV ---
run "$T/tab" "$T/err" "$CXM_BIN" causes --db "$DB" "${P[@]}" --by location
expect_rc 0 "table"
expect_grep "$T/tab" '^\* 1 Rude, disrespectful +Staff +4 +40\.0% +40\.0% +2 ' "table: clinic-2 first cause"
expect_grep "$T/tab" '80 %' "table: the 80 % line"
expect_grep "$T/tab" '^  3 Price too high' "table: price below the line, not marked"
LC_ALL=ru_RU.UTF-8 LANG=ru_RU.UTF-8 "$CXM_BIN" causes --db "$DB" "${P[@]}" --lang ru >"$T/tabru" 2>&1
expect_grep "$T/tabru" 'Грубость, неуважение' "table in Russian"
run "$T/csv" "$T/err" "$CXM_BIN" causes --db "$DB" "${P[@]}" --format csv
expect_rc 0 "csv"
expect_grep "$T/csv" '^key,name,incidents,reviewed,no_cause,' "csv header"
expect_grep "$T/csv" '^all,All,13,11,1,8,11,staff.rude,"Rude, disrespectful",staff,true,7,' "csv first line"
check "csv: a line per cause" test "$(wc -l <"$T/csv")" -eq 6

# --- Excel dialect: BOM, ';', decimal comma in Russian; feed text never starts a formula ---
run "$T/xl" "$T/err" "$CXM_BIN" causes --db "$DB" "${P[@]}" --excel --lang ru
expect_rc 0 "--excel"
check "--excel starts with a BOM" test "$(head -c 3 "$T/xl" | od -An -tx1 | tr -d ' ')" = "efbbbf"
expect_grep "$T/xl" '^all;Все;13;11;1;8;11;staff\.rude;Грубость, неуважение;staff;true;7;0,368421' "--excel: ';' and a decimal comma"
run "$T/out" "$T/err" "$CXM_BIN" causes --db "$DB" --excel --format json
expect_rc 2 "--excel with --format json"
DB2="$T/hostile.db"
printf '%s\n' '{"id":"h1","ts":"2026-11-23T09:00:00+03:00","type":"red_button","location":{"id":"x","name":"=HYPERLINK(\"http://evil\")"},"desk":"d","employee":{"id":"e","name":"@SUM(1)"}}' \
    | "$CXM_BIN" import --db "$DB2" - >/dev/null 2>&1
"$CXM_BIN" review --db "$DB2" h1 --cause staff.rude --done >/dev/null 2>&1
run "$T/hx" "$T/err" "$CXM_BIN" causes --db "$DB2" --by location --format csv
expect_rc 0 "csv with hostile names"
expect_grep "$T/hx" "^x,\"'=HYPERLINK" "a location name never starts a formula"
run "$T/hx" "$T/err" "$CXM_BIN" causes --db "$DB2" --by employee --format csv
expect_grep "$T/hx" "^e,'@SUM" "an employee name never starts a formula"

# --- errors ---
run "$T/out" "$T/err" "$CXM_BIN" causes --db "$DB" --by week
expect_rc 2 "--by week"
run "$T/out" "$T/err" "$CXM_BIN" causes --db "$DB" --checklist nope
expect_rc 2 "unknown checklist"
run "$T/out" "$T/err" "$CXM_BIN" causes --db "$DB" --from 2026-11-24 --to 2026-11-23
expect_rc 2 "empty period"
run "$T/out" "$T/err" "$CXM_BIN" causes --db "$DB" --bogus
expect_rc 2 "an unknown option as the last word"
expect_grep "$T/err" "unknown option '--bogus'" "named as unknown, not as missing its value"
run "$T/out" "$T/err" "$CXM_BIN" causes --db "$DB" --from
expect_rc 2 "--from without its value"
expect_grep "$T/err" "option --from needs a value" "a known option without its value"
run "$T/out" "$T/err" "$CXM_BIN" causes --db "$T/absent.db"
expect_rc 1 "absent database"
check "absent database not created" test ! -e "$T/absent.db"
finish
