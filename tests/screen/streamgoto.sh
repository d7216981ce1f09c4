#!/bin/bash
# Stream: J asks for a date and time (the line editor) and shows the last
# event at or before it, selected, with newer events above; ДД.ММ.ГГГГ ЧЧ:ММ,
# ISO and a bare time (today) are accepted, a bare date means its last event,
# nonsense is refused with the forms it takes.
. "$(dirname "$0")/lib_screen.sh"
export TZ=UTC-3
DB="$SCR_TMP/s.db"
# 20.11.2026 08:00 ... 20:00 local every 10 minutes, and three on 21.11.
python3 - >"$SCR_TMP/ev.jsonl" <<'PY'
import datetime as d, json
tz = d.timezone(d.timedelta(hours=3))
def ev(t, n):
    return json.dumps({"id": "ev-" + t.strftime("%d%H%M"), "ts": t.isoformat(), "type": "rating",
                       "rating": "super", "location": {"id": "c1", "name": "Клиника"},
                       "desk": "reg-1", "employee": {"id": "e1", "name": "Анна Петрова"}})
t = d.datetime(2026, 11, 20, 8, 0, tzinfo=tz)
while t <= d.datetime(2026, 11, 20, 20, 0, tzinfo=tz):
    print(ev(t, 0)); t += d.timedelta(minutes=10)
for h in (9, 10, 11):
    print(ev(d.datetime(2026, 11, 21, h, 0, tzinfo=tz), 0))
PY
"$CXM_BIN" import --db "$DB" "$SCR_TMP/ev.jsonl" | grep -q "rejected 0" || { echo "import failed"; exit 1; }

# The selected event's id: Enter opens its detail, q comes back.
selected_is() {
    scr_keys Enter
    scr_wait_for "$1"
    scr_keys q
    scr_wait_for "Filter:"
}

scr_start 100 30 "$CXM_BIN" --db "$DB" --lang en
scr_keys 2
scr_wait_for "21.11 11:00:00"
scr_keys J
scr_wait_for "Go to (DD.MM.YYYY HH:MM"
scr_keys C-u
scr_keys -l "20.11.2026 13:05"
scr_keys Enter
scr_wait_for "At 20.11 13:00: the last event at or before 20.11.2026 13:05"
scr_wait_for "20.11 13:10:00"    # newer events above it
scr_wait_for "20.11 12:50:00"
scr_text | grep -qF "21.11 11:00:00" && scr_fail "still at the top"
selected_is "ev-201300"
# Up goes to the newer ones.
scr_keys Up
selected_is "ev-201310"
# ISO, with seconds.
scr_keys J
scr_keys C-u
scr_keys -l "2026-11-20 09:00:00"
scr_keys Enter
scr_wait_for "At 20.11 09:00"
selected_is "ev-200900"
# A bare date: the last event of that day.
scr_keys J
scr_keys C-u
scr_keys -l "20.11.2026"
scr_keys Enter
scr_wait_for "At 20.11 20:00"
selected_is "ev-202000"
# Before every event: the oldest are shown, said so.
scr_keys J
scr_keys C-u
scr_keys -l "01.01.2020 10:00"
scr_keys Enter
scr_wait_for "No events at or before 01.01.2020 10:00: the oldest are shown"
scr_wait_for "20.11 08:00:00"
# Nonsense: refused, with the forms.
scr_keys J
scr_keys C-u
scr_keys -l "вчера"
scr_keys Enter
scr_wait_for "Not a date and time: 'вчера' (DD.MM.YYYY HH:MM"
scr_keys q
scr_wait_exit

# Russian labels and messages.
scr_start 100 30 "$CXM_BIN" --db "$DB" --lang ru
scr_keys 2
scr_wait_for "21.11 11:00:00"
scr_keys J
scr_wait_for "Перейти к (ДД.ММ.ГГГГ ЧЧ:ММ"
scr_keys C-u
scr_keys -l "20.11.2026 10:30"
scr_keys Enter
scr_wait_for "20.11 10:30: последнее событие не позже 20.11.2026 10:30"
scr_keys q
scr_wait_exit
echo "streamgoto: J goes to a date and time (ДД.ММ.ГГГГ ЧЧ:ММ, ISO, bare date), errors named, Russian"
