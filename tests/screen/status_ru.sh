#!/bin/bash
# In Russian: a source that goes down says why on the message line in
# Russian (the feed's reason, not the English one), the status bar says
# "переподключение" (a different word from "дублей"); when the source comes
# back the error leaves the message line. The sim goes up, down and up.
. "$(dirname "$0")/lib_screen.sh"
[ -n "${CXM_SIM:-}" ] && [ -x "$CXM_SIM" ] || { echo "cxm-agent-sim not built"; exit 77; }
SIM_PID=
stop_sim() { [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null; wait "$SIM_PID" 2>/dev/null; SIM_PID=; }
trap 'stop_sim; scr_cleanup' EXIT
SOCK="$SCR_TMP/run/agent.sock"
"$CXM_BIN" demo-day --date 2026-11-23 | head -n 30 >"$SCR_TMP/day.jsonl"
start_sim() {
    "$CXM_SIM" --unix "$SOCK" --events "$SCR_TMP/day.jsonl" --rate 0 2>>"$SCR_TMP/sim.err" &
    SIM_PID=$!
}
msgline() { scr_text | tail -n 1; }
wait_msg() { # until the message line matches the regex
    local i
    for ((i = 0; i < 200; i++)); do msgline | grep -qE "$1" && return 0; sleep 0.1; done
    scr_fail "the message line never matched: $1"
}

# Down from the start: the reason in Russian, the state a word apart from
# the duplicates'.
scr_start 100 24 "$CXM_BIN" --db "$SCR_TMP/s.db" --agent "$SOCK" --lang ru
wait_msg "^agent .*: не удаётся подключиться к Unix-сокету"
scr_wait_for "переподключение через"
scr_text | grep -qF "повтор" && scr_fail "'повтор' (also read as a duplicate) for the retry"
# Up: the error leaves the message line.
start_sim
scr_wait_for "подключён получено 30 дублей 0 отклонено 0" 40
wait_gone_msg() {
    local i
    for ((i = 0; i < 200; i++)); do msgline | grep -qE "$1" || return 0; sleep 0.1; done
    scr_fail "the message line still says: $1"
}
wait_gone_msg "не удаётся подключиться"
# Down again while connected, then up: the same in Russian each time.
stop_sim
wait_msg "^agent .*: (поток прервался: переподключение|не удаётся подключиться к Unix-сокету)"
msgline | grep -qE "stream ended|cannot connect" && scr_fail "an English reason on the Russian message line"
scr_wait_for "переподключение через"
start_sim    # resumes after the last id: nothing new, connected again
scr_wait_for "подключён получено 30 дублей 0 отклонено 0" 40
wait_gone_msg "поток прервался|не удаётся подключиться"
scr_keys q
scr_wait_exit
echo "status_ru: a source's reason in Russian on the message line, gone after recovery; retry != duplicates"
