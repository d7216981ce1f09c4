#!/bin/bash
# An alert as two supervisors live it: console A subscribes to a
# cxm-agent-sim, console B watches the same database. Three bad ratings from
# the sim open the negative-streak alert: the banner and the bell come up in
# both. A acknowledges and closes it from the keyboard: A shows each at once
# (the write is applied in the key's own frame, no waiting for a clock
# tick); B, which gets no key at all, shows each within its next once-a-second
# poll of the database.
#
# Nothing here waits for a fixed time. The waits are generous (a loaded
# 2-core machine must not fail the test) and measured: the milliseconds
# printed at the end are the figures; the checks that carry the promise are
# the ones that do not depend on the machine's speed (A's key frame, B's
# untouched input, B's own clock).
. "$(dirname "$0")/lib_screen.sh"
. "$(dirname "$0")/lib_views.sh"
[ -n "${CXM_SIM:-}" ] && [ -x "$CXM_SIM" ] || { echo "cxm-agent-sim not built"; exit 77; }

DB="$SCR_TMP/live.db"
SOCK="$SCR_TMP/agent.sock"
me=$(id -un)
{
    vw_event bad1 3 rating clinic-1 "Clinic on Lenin St" reg-1 e1 "Anna Petrova" ',"rating":"bad"'
    vw_event bad2 2 rating clinic-1 "Clinic on Lenin St" reg-2 e2 "Boris Ivanov" ',"rating":"bad"'
    vw_event bad3 1 rating clinic-1 "Clinic on Lenin St" reg-1 e1 "Anna Petrova" ',"rating":"bad"'
} >"$SCR_TMP/bad.jsonl"

SIM_PID=
STOPPED= # A while it is stopped (a failing wait must not leave it so)
stop_sim() { [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null; wait "$SIM_PID" 2>/dev/null; SIM_PID=; }
trap 'stop_sim; [ -n "$STOPPED" ] && kill -CONT "$STOPPED"; scr_cleanup' EXIT

# The console's status-bar clock (HH:MM:SS) as seconds of the day.
clock_s() {
    local c
    c=$(scr_text | grep -oE '[0-9]{2}:[0-9]{2}:[0-9]{2} *$' | tail -n 1 | tr -d ' ')
    [ -n "$c" ] || scr_fail "no clock on the status bar"
    echo $((10#${c:0:2} * 3600 + 10#${c:3:2} * 60 + 10#${c:6:2}))
}

# A (console 0) subscribes; its source retries until the sim is there.
scr_start 120 30 "$CXM_BIN" --db "$DB" --agent "$SOCK" --lang en
scr_keys 4
scr_wait_for "No alerts yet."
# B (console 1): the same database, no feed of its own, on its Alerts view.
scr_start 120 30 "$CXM_BIN" --db "$DB" --lang en
scr_keys 4
scr_wait_for "No alerts yet."
[ "$(scr_bells)" = 0 ] || scr_fail "B rang before any alert"
b_frames=$(scr_frame)
# The banner has a line of its own, blank until an alert opens: the body
# must not move when it appears (row numbers are 1-based).
row_of() { scr_text | grep -nF "$1" | head -n 1 | cut -d: -f1; }
body_row=$(row_of "Open 0, acknowledged 0, all 0")
[ -n "$body_row" ] || scr_fail "B: no summary line"

"$CXM_SIM" --unix "$SOCK" --events "$SCR_TMP/bad.jsonl" --rate 5 2>"$SCR_TMP/sim.err" &
SIM_PID=$!

# The banner and the bell, in A (which stored the events) and in B.
scr_use 0
scr_wait_for "1 open alert(s)" 30
scr_wait_bells 1
scr_wait_for "Open 1, acknowledged 0, all 1"
scr_text | grep -qE "open +[0-9.]+ [0-9:]+ +negative-streak +Clinic on Lenin St +3 +3 bad" ||
    scr_fail "A: the alert's row"
scr_use 1
scr_wait_for "1 open alert(s)" 10
scr_wait_bells 1
scr_wait_for "Open 1, acknowledged 0, all 1"
[ "$(scr_bells)" = 1 ] || scr_fail "B rang $(scr_bells) times for one alert"
[ "$(row_of "1 open alert(s)")" = 2 ] || scr_fail "B: the banner is not on its own line under the title"
[ "$(row_of "Open 1, acknowledged 0, all 1")" = "$body_row" ] ||
    scr_fail "B: the body moved from row $body_row to $(row_of "Open 1, acknowledged 0, all 1") when the banner came"

# B's clock when it first shows TEXT, minus the second the write was made
# (the database's own time of it, FIELD of `alerts --format json`): B polls
# at every whole second, so the first poll after the write lands shows it:
# the write's second + 1, or + 2 when the commit lands just after a tick.
# Seconds of B's own clock, so the test's polling adds nothing to it.
b_sees() {
    local text=$1 field=$2 what=$3 at seen lag
    scr_use 1
    scr_wait_for_ms "$text" 10
    seen=$(clock_s)
    at=$(sqlite3 -cmd '.timeout 5000' "$DB" "SELECT ${field}_us / 1000000 FROM alerts WHERE id = 1") ||
        scr_fail "cannot read ${field}_us"
    [ -n "$at" ] || scr_fail "no ${field}_us in the database"
    at=$(date -d "@$at" +%H:%M:%S)
    at=$((10#${at:0:2} * 3600 + 10#${at:3:2} * 60 + 10#${at:6:2}))
    lag=$(((seen - at + 86400) % 86400))
    [ "$lag" -le 2 ] || scr_fail "B showed the $what at its clock +${lag}s after the write"
    [ "$(scr_frame)" = "$b_frames" ] || scr_fail "B handled input: it must see the $what on its own"
    echo "B shows the $what ${SCR_WAITED_MS} ms after A did (its clock: +${lag}s after the write)"
}

# A acknowledges: its banner goes and the list says so in the key's frame.
scr_use 0
scr_wait_for "negative-streak"
a_key() { # a_key KEY TEXT: TEXT is in the frame A drew after the key
    local pid
    pid=$(scr_app_pid)
    [ -n "$pid" ] || scr_fail "A's pid"
    scr_keys "$1"
    # Stopped, A draws nothing more (no clock tick, no poll): what tmux
    # shows from now on is what A drew up to the key's frame.
    kill -STOP "$pid" && STOPPED=$pid
    scr_wait_for_ms "$2" 10
    kill -CONT "$pid" && STOPPED=
}
a_key a "Open 0, acknowledged 1, all 1"
a_ms=$SCR_WAITED_MS
scr_wait_for "Alert 1 acknowledged"
scr_text | grep -qF "open alert(s)" && scr_fail "A: the banner stays after the acknowledgement"
scr_text | grep -qE "acknowledged +[0-9.]+ [0-9:]+ +negative-streak +Clinic on Lenin St +3 +3 bad" ||
    scr_fail "A: the acknowledged row"
echo "A shows the acknowledgement ${a_ms} ms after the key's frame"
b_sees "Open 0, acknowledged 1, all 1" acked acknowledgement
scr_text | grep -qF "open alert(s)" && scr_fail "B: the banner stays after the acknowledgement"

# A closes it with a comment.
scr_use 0
scr_keys c
scr_wait_for "Close alert 1, comment:"
scr_keys -l "second desk opened"
a_key Enter "Open 0, acknowledged 0, all 1"
echo "A shows the close ${SCR_WAITED_MS} ms after the key's frame"
scr_wait_for "Alert 1 closed"
scr_text | grep -qE "closed +[0-9.]+ [0-9:]+ +negative-streak" || scr_fail "A: the closed row"
b_sees "Open 0, acknowledged 0, all 1" closed close
scr_text | grep -qE "closed +[0-9.]+ [0-9:]+ +negative-streak" || scr_fail "B: the closed row"
sqlite3 -cmd '.timeout 5000' "$DB" "SELECT acked_by, closed_by, comment FROM alerts" >"$SCR_TMP/who" ||
    scr_fail "cannot read the alert back"
[ "$(cat "$SCR_TMP/who")" = "$me|$me|second desk opened" ] || scr_fail "stored: $(cat "$SCR_TMP/who")"
[ "$(scr_bells)" = 1 ] || scr_fail "B rang again ($(scr_bells)) though nothing new opened"

for c in 0 1; do
    scr_use $c
    scr_keys q
    scr_wait_exit
    [ "$SCR_RC" = 0 ] || scr_fail "console $c: exit status $SCR_RC"
done
stop_sim
echo "ok"
