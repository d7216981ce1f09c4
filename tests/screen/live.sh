#!/bin/bash
# The live path: the console subscribes to a cxm-agent-sim on a Unix socket
# (--agent) and a rating the sim sends shows up while the user watches: the
# dashboard's counts change, a new employee gets a row, the row is
# highlighted for a few seconds, and the stream (following) shows it on top.
. "$(dirname "$0")/lib_screen.sh"
. "$(dirname "$0")/lib_views.sh"
[ -n "${CXM_SIM:-}" ] && [ -x "$CXM_SIM" ] || { echo "cxm-agent-sim not built"; exit 77; }

DB="$SCR_TMP/v.db"
SOCK="$SCR_TMP/agent.sock"
vw_fixture "$SCR_TMP/ev.jsonl"
vw_import "$DB" "$SCR_TMP/ev.jsonl"
{
    vw_event live1 1 rating clinic-1 "Клиника на Ленина" reg-1 e1 "Анна Петрова" \
        ',"rating":"bad"'"$(vw_emo negative)"
    vw_event live2 0 rating clinic-1 "Клиника на Ленина" reg-3 e9 "Живой Тестов" \
        ',"rating":"super"'"$(vw_emo positive)"
} >"$SCR_TMP/live.jsonl"

SIM_PID=
stop_sim() { [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null; wait "$SIM_PID" 2>/dev/null; SIM_PID=; }
trap 'stop_sim; scr_cleanup' EXIT

# The console first: its source retries until the sim is there.
scr_start 120 30 "$CXM_BIN" --db "$DB" --agent "$SOCK" --lang en
scr_wait_for "Анна Петрова"
scr_text | grep -qF "Живой Тестов" && scr_fail "the live employee is there before the sim sent anything"
scr_text | grep -E "^Анна Петрова +● [a-z. ]+ +1 +0 +1 " >/dev/null || scr_fail "Анна's counts before: not 1/0/1"

"$CXM_SIM" --unix "$SOCK" --events "$SCR_TMP/live.jsonl" --rate 2 2>"$SCR_TMP/sim.err" &
SIM_PID=$!

scr_wait_for "Живой Тестов" 30
# Анна's bad count went from 1 to 2
for ((i = 0; i < 50; i++)); do
    scr_text | grep -E "^Анна Петрова +● [a-z. ]+ +1 +0 +2 " >/dev/null && break
    sleep 0.1
done
scr_text | grep -E "^Анна Петрова +● [a-z. ]+ +1 +0 +2 " >/dev/null || scr_fail "Анна's bad count did not become 2"
# The new row is highlighted now and not after the highlight has faded.
lit=$(scr_ansi | grep -F "Живой Тестов")
plain_ref=$(scr_ansi | grep -F "Boris Ivanov")
sleep 4
faded=$(scr_ansi | grep -F "Живой Тестов")
[ "$lit" != "$faded" ] || scr_fail "the new rating's row was not highlighted (or never faded)"
echo "$faded" | grep -qF "Живой Тестов" || scr_fail "the row went away"
[ -n "$plain_ref" ] || scr_fail "Boris's row is gone"

# The stream follows: the newest event is on top.
scr_keys 2
scr_wait_for "[LIVE]"
# (an alert banner may push the body down a line: look below the header)
scr_text | grep -A1 -E '^Time ' | sed -n 2p | grep -qF "Живой Тестов" ||
    scr_fail "the stream's first row is not the live rating"
scr_keys q
scr_wait_exit
[ "$SCR_RC" = 0 ] || scr_fail "exit status $SCR_RC"
stop_sim
echo "live: a rating from the agent appears on the dashboard (highlighted) and on top of the stream"
