#!/bin/bash
# First run: no config, no sources. Without the local agent's socket the
# dashboard says how to add a source (the flags and the config path); with
# $XDG_RUNTIME_DIR/cxm-agent.sock there (as the man page says) the console
# connects to it by itself.
. "$(dirname "$0")/lib_screen.sh"
[ -n "${CXM_SIM:-}" ] && [ -x "$CXM_SIM" ] || { echo "cxm-agent-sim not built"; exit 77; }
SIM_PID=
stop_sim() { [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null; wait "$SIM_PID" 2>/dev/null; SIM_PID=; }
trap 'stop_sim; scr_cleanup' EXIT

# Nothing at all: the how-to, in English and in Russian.
scr_start 100 24 "$CXM_BIN" --lang en
scr_wait_for "No sources: nothing to show yet"
scr_wait_for "cxm-console --agent PATH|URL"
scr_wait_for "$XDG_CONFIG_HOME/cxm-console/config.ini"
scr_text | grep -qF "no sources" || scr_fail "the status bar should say there are no sources"
scr_keys q
scr_wait_exit
scr_tmux kill-server
scr_start 100 24 "$CXM_BIN" --lang ru
scr_wait_for "Источников нет"
scr_keys q
scr_wait_exit
scr_tmux kill-server

# The agent's socket where the man page says: used without being asked.
"$CXM_BIN" demo-day --date 2026-11-23 | head -n 300 >"$SCR_TMP/day.jsonl"
"$CXM_SIM" --unix "$XDG_RUNTIME_DIR/cxm-agent.sock" --events "$SCR_TMP/day.jsonl" --rate 0 \
    2>"$SCR_TMP/sim.err" &
SIM_PID=$!
for ((i = 0; i < 100; i++)); do [ -S "$XDG_RUNTIME_DIR/cxm-agent.sock" ] && break; sleep 0.1; done
[ -S "$XDG_RUNTIME_DIR/cxm-agent.sock" ] || scr_fail "the sim did not listen"
scr_start 160 24 "$CXM_BIN" --lang en
scr_wait_for "cxm-agent.sock"
scr_wait_for "connected recv 300"
scr_text | grep -qF "No sources" && scr_fail "the how-to is shown while the agent is connected"
scr_wait_for "Анна Петрова"
scr_keys q
scr_wait_exit
echo "firstrun: how to add a source without one; the agent's socket used when it is there"
