#!/bin/bash
# The status bar at 80 columns keeps a source's state and counters visible,
# its long path shortened from the left (the end names it); the source's
# error on the message line goes away when the source recovers.
. "$(dirname "$0")/lib_screen.sh"
[ -n "${CXM_SIM:-}" ] && [ -x "$CXM_SIM" ] || { echo "cxm-agent-sim not built"; exit 77; }
SIM_PID=
stop_sim() { [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null; wait "$SIM_PID" 2>/dev/null; SIM_PID=; }
trap 'stop_sim; scr_cleanup' EXIT

dir="$SCR_TMP/a-rather-long-directory-name-for-the-site/agent-sockets"
mkdir -p "$dir"
SOCK="$dir/front-desk.sock"
"$CXM_BIN" demo-day --date 2026-11-23 | head -n 40 >"$SCR_TMP/day.jsonl"

scr_start 80 24 "$CXM_BIN" --db "$SCR_TMP/s.db" --agent "$SOCK" --lang en
scr_wait_for "retrying in"
# the error is spelled out on the message line (the last one)
for ((i = 0; i < 100; i++)); do scr_text | tail -n 1 | grep -qE "^agent " && break; sleep 0.1; done
scr_text | tail -n 1 | grep -qE "^agent " || scr_fail "no error on the message line"
errline=$(scr_text | tail -n 1)
status=$(scr_text | sed -n 23p)
printf '%s' "$status" | grep -qE "front-desk\.sock retrying in [0-9]+ s" ||
    scr_fail "80 columns: the source's end and state are not both visible"

"$CXM_SIM" --unix "$SOCK" --events "$SCR_TMP/day.jsonl" --rate 0 2>"$SCR_TMP/sim.err" &
SIM_PID=$!
scr_wait_for "connected recv 40 dup 0 rej 0" 40
status=$(scr_text | sed -n 23p)
printf '%s' "$status" | grep -qE "(…|\.\.\.)[^ ]*front-desk\.sock connected recv 40 dup 0 rej 0" ||
    scr_fail "80 columns: path not shortened from the left, or counters cut"
[ "$(printf '%s' "$status" | wc -L)" -le 80 ] || scr_fail "status bar wider than the screen"
# (an error stays until replaced; the recovery replaces it with a short note
# that fades, or the idle hint)
for ((i = 0; i < 100; i++)); do [ "$(scr_text | tail -n 1)" != "$errline" ] && break; sleep 0.1; done
[ "$(scr_text | tail -n 1)" != "$errline" ] || scr_fail "the recovered source's error is still on the message line"
scr_keys q
scr_wait_exit
scr_tmux kill-server

# Russian: "retry" and "duplicates" are different words.
scr_start 100 24 "$CXM_BIN" --db "$SCR_TMP/s.db" --agent "$SOCK" --lang ru
scr_wait_for "подключ"
scr_wait_for "дублей"
scr_keys q
scr_wait_exit
echo "status80: state and counters at 80 columns, path cut from the left, recovery clears the error"
