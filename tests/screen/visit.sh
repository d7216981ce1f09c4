#!/bin/bash
# Event detail: v lists the events of the same visit (same location and
# visit id, not another location's visit of that id), the event we came from
# selected; Enter opens another one's detail; q goes back step by step.
. "$(dirname "$0")/lib_screen.sh"
export TZ=UTC-3
DB="$SCR_TMP/v.db"
python3 - >"$SCR_TMP/ev.jsonl" <<'PY'
import json
def ev(i, hm, typ, loc, visit, extra=None):
    e = {"id": i, "ts": "2026-11-20T%s:00+03:00" % hm, "type": typ,
         "location": {"id": loc, "name": {"c1": "Клиника", "p7": "АЗС №7"}[loc]},
         "desk": "reg-1", "employee": {"id": "e1", "name": "Анна Петрова"}, "visit": visit}
    e.update(extra or {})
    print(json.dumps(e, ensure_ascii=False))
ev("v7-arr", "10:00", "arrival", "c1", "v-7")
ev("v7-rate", "10:05", "rating", "c1", "v-7", {"rating": "bad"})
ev("other-loc", "10:06", "arrival", "p7", "v-7")        # same id, another location
ev("v8-arr", "10:07", "arrival", "c1", "v-8")
ev("v7-red", "10:08", "red_button", "c1", "v-7")
ev("novisit", "10:09", "red_button", "c1", "")
PY
"$CXM_BIN" import --db "$DB" "$SCR_TMP/ev.jsonl" | grep -q "rejected 0" || { echo "import failed"; exit 1; }

scr_start 110 50 "$CXM_BIN" --db "$DB" --lang en
scr_keys 2
scr_wait_for "20.11 10:09:00"
# An event without a visit id says so.
scr_keys Enter
scr_wait_for "Id                 novisit"
scr_keys v
scr_wait_for "This event has no visit id"
scr_keys q
scr_wait_for "20.11 10:09:00"
scr_keys Down Enter         # the red button of visit v-7
scr_wait_for "v7-red"
scr_wait_for "v: list them, Enter opens one"
scr_keys v
scr_wait_for "Visit v-7 at Клиника: 3 events."
scr_text | grep -qE "^10:00:00 +arrival .*v7-arr" || scr_fail "the arrival is not listed"
scr_text | grep -qE "^10:05:00 +rating .*v7-rate" || scr_fail "the rating is not listed"
scr_text | grep -qE "^10:08:00 +red button .*v7-red" || scr_fail "the red button is not listed"
scr_text | grep -qF "other-loc" && scr_fail "another location's visit with the same id is listed"
scr_text | grep -qF "v8-arr" && scr_fail "another visit is listed"
# The one we came from is selected: Up is the rating, Enter opens it.
scr_keys Up Enter
scr_wait_for "Id                 v7-rate"
scr_keys q
scr_wait_for "Visit v-7 at Клиника: 3 events."
scr_keys q
scr_wait_for "Id                 v7-red"
scr_keys q
scr_wait_for "20.11 10:08:00"
scr_keys q
scr_wait_exit
echo "visit: v lists the visit's events (same location), Enter opens one, q goes back"
