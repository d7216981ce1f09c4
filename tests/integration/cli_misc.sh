#!/usr/bin/env bash
# --help, --version, sample-size, and the demo day: deterministic from its
# seed, realistic in shape, and importable without a single rejection.
source "$(dirname "$0")/lib_cli.sh"

run "$T/out" "$T/err" "$CXM_BIN" --help
expect_rc 0 "--help"
for c in import kpi sample-size demo-day; do expect_grep "$T/out" "cxm-console $c" "--help lists $c"; done
run "$T/out" "$T/err" "$CXM_BIN" --version
expect_rc 0 "--version"
expect_grep "$T/out" "^cxm-console [0-9]+\.[0-9]+\.[0-9]+" "--version prints a version"
for c in import kpi sample-size demo-day; do
    run "$T/out" "$T/err" "$CXM_BIN" "$c" --help
    expect_rc 0 "$c --help"
done

# --- sample-size (Cochran with finite-population correction) ---
ss() { run "$T/out" "$T/err" "$CXM_BIN" sample-size "$@"; }
ss --population 1500
expect_rc 0 "sample-size 1500"
check "1500 / 95 % / 5 % -> 306" test "$(head -n 1 "$T/out")" = "306"
check "an explanation line follows" test "$(wc -l <"$T/out")" -eq 2
ss --population 1500 --confidence 0.95 --error 0.05
check "explicit defaults -> 306" test "$(head -n 1 "$T/out")" = "306"
ss --population 1000000 --confidence 0.95 --error 0.05
check "1e6 -> 384" test "$(head -n 1 "$T/out")" = "384"
ss --population 1500 --confidence 0.99 --error 0.05
check "1500 / 99 % -> 461" test "$(head -n 1 "$T/out")" = "461"
ss --population 10
check "a tiny population -> 10" test "$(head -n 1 "$T/out")" = "10"
ss --population 1500 --confidence 95% --error 5%
check "percent forms -> 306" test "$(head -n 1 "$T/out")" = "306"
for args in "" "--population 0" "--population -5" "--population x" "--population 1500 --confidence 1" \
            "--population 1500 --confidence 0" "--population 1500 --error 0" "--population 1500 --error 1.5" \
            "--population 1500 --confidence abc" "--population" "--population 1500 --bogus 1" "1500"; do
    # shellcheck disable=SC2086
    ss $args
    expect_rc 2 "sample-size $args"
    check "sample-size $args: message" test -s "$T/err"
done

# --- demo-day ---
"$CXM_BIN" demo-day --seed 7 --date 2026-11-23 >"$T/d1.jsonl"; rc=$?
expect_rc 0 "demo-day"
"$CXM_BIN" demo-day --seed 7 --date 2026-11-23 >"$T/d2.jsonl"
"$CXM_BIN" demo-day --seed 8 --date 2026-11-23 >"$T/d3.jsonl"
check "same seed and date -> identical output" cmp -s "$T/d1.jsonl" "$T/d2.jsonl"
check "another seed -> different output" bash -c "! cmp -s '$T/d1.jsonl' '$T/d3.jsonl'"
TZ=UTC "$CXM_BIN" demo-day --seed 7 --date 2026-11-23 --days 3 >"$T/d4.jsonl"
for args in "--seed x" "--date 2026-11-32" "--date today" "--days 0" "--bogus" "extra"; do
    # shellcheck disable=SC2086
    run "$T/out" "$T/err" "$CXM_BIN" demo-day $args
    expect_rc 2 "demo-day $args"
done

if python3 - "$T/d1.jsonl" "$T/d4.jsonl" <<'PY'; then ok "demo day is realistic"; else bad "demo day shape"; fi
import json, sys, collections, re
from datetime import datetime
evs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert 1000 < len(evs) < 20000, len(evs)
ts = [datetime.fromisoformat(e["ts"]) for e in evs]
assert ts == sorted(ts), "events in time order"
assert all(e["ts"].endswith("+03:00") for e in evs), "local offset of the process (TZ=UTC-3)"
assert all(t.date().isoformat() == "2026-11-23" for t in ts), "all on the requested day"
ids = [e["id"] for e in evs]
assert len(set(ids)) == len(ids), "unique ids"
assert all(re.fullmatch(r"[A-Za-z0-9._:-]{1,128}", i) for i in ids)
types = collections.Counter(e["type"] for e in evs)
for t in ("arrival", "rating", "silent", "emotion", "served", "clip"):
    assert types[t] > 0, (t, types)
emps = {e["employee"]["id"]: e["employee"]["name"] for e in evs if "employee" in e}
assert 6 <= len(emps) <= 8, emps
assert all(re.search("[А-Яа-яЁё]", n) for n in emps.values()), "Cyrillic names"
locs = {e["location"]["id"]: e["location"]["name"] for e in evs}
assert locs == {"clinic-1": "Клиника на Ленина", "station-7": "АЗС №7"}, locs
desks = {(e["location"]["id"], e["desk"]) for e in evs if "desk" in e}
assert desks == {("clinic-1", "reg-1"), ("clinic-1", "reg-2"), ("clinic-1", "reg-3"),
                 ("station-7", "till-1"), ("station-7", "till-2")} or len(desks) == 4, desks
# response rate per location: ratings / customers (served counts at the station, arrivals at the clinic)
for loc in locs:
    r = sum(1 for e in evs if e["type"] == "rating" and e["location"]["id"] == loc)
    served = sum(e["count"] for e in evs if e["type"] == "served" and e["location"]["id"] == loc)
    arr = sum(1 for e in evs if e["type"] == "arrival" and e["location"]["id"] == loc)
    c = served or arr
    assert 0.10 <= r / c <= 0.30, (loc, r, c)
# morning and evening peaks: busier at 9-10 and 17-19 than at 13-14
by_h = collections.Counter(datetime.fromisoformat(e["ts"]).hour for e in evs if e["type"] == "arrival")
assert by_h[9] > by_h[13] and by_h[18] > by_h[13], by_h
# visits link arrival -> rating/silent
arrivals = {e["visit"] for e in evs if e["type"] == "arrival"}
outcomes = [e for e in evs if e["type"] in ("rating", "silent")]
assert outcomes and all(e.get("visit") in arrivals for e in outcomes)
# bad ratings come with a negative employee or customer emotion more often than super ones
def neg_share(v):
    rs = [e for e in evs if e.get("rating") == v]
    return sum(1 for e in rs if "negative" in (e["emotion"]["employee"].get("label"),
                                             e["emotion"].get("customer", {}).get("label"))) / len(rs)
assert neg_share("bad") > neg_share("super") + 0.2, (neg_share("bad"), neg_share("super"))
# clips point at earlier events of the day, with the right kinds
byid = {e["id"]: e for e in evs}
for e in evs:
    if e["type"] == "clip":
        ref = byid[e["ref"]]
        assert ref["ts"] <= e["ts"]
        assert e["clip"]["kind"] == {"rating": "after_rating", "red_button": "before_red_button"}[ref["type"]]
        assert re.fullmatch(r"(reg|till)-\d/2026-11-2[23]T\d\d-00-00\+0300\.wav", e["clip"]["url"]), e["clip"]["url"]
# several days in UTC: ids never collide across days, offset Z or +00:00
evs4 = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
assert len({e["id"] for e in evs4}) == len(evs4)
assert {datetime.fromisoformat(e["ts"].replace("Z", "+00:00")).date().isoformat() for e in evs4} == \
    {"2026-11-23", "2026-11-24", "2026-11-25"}
PY

# The demo day imports cleanly, and its KPIs are plausible.
run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/demo.db" "$T/d4.jsonl"
expect_rc 0 "demo days import without rejections"
check "import summary counts every line" test "$(last_line "$T/out")" = "imported $(wc -l <"$T/d4.jsonl"), duplicates 0, rejected 0"
"$CXM_BIN" kpi --db "$T/demo.db" --by location --format json >"$T/demo_kpi.json"; rc=$?
expect_rc 0 "kpi over the demo"
if python3 - "$T/demo_kpi.json" <<'PY'; then ok "demo KPIs plausible"; else bad "demo KPIs"; fi
import json, sys
rows = json.load(open(sys.argv[1]))["rows"]
assert {r["key"] for r in rows} == {"clinic-1", "station-7"}
for r in rows:
    assert 10 <= r["response_rate"] <= 30, r["response_rate"]
    assert 30 <= r["csat"] <= 90, r["csat"]
    assert r["red_buttons"] >= 0 and r["silent"] > 0
PY

finish
