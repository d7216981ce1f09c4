#!/bin/bash
# The status bar: each source's state (retrying in N s with its error,
# connected) and counters, the database path and a ticking clock; a source
# failure is also spelled out once on the message line.
. "$(dirname "$0")/lib_screen.sh"

feed="$SCR_TMP/feed.jsonl"
"$CXM_BIN" demo-day | head -n 5 >"$feed"
db="$SCR_TMP/status.db"

scr_start 200 30 "$CXM_BIN" --db "$db" --agent "$SCR_TMP/no-such.sock" --agent-log "$feed"
scr_wait_for "Dashboard"
scr_wait_for "retrying in"
scr_text | grep -qE "agent (/tmp/|…|\.\.\.).*no-such\.sock retrying in [0-9]+ s" || scr_fail "no retrying state for the agent (its name keeps the end)"
scr_wait_for "agent $SCR_TMP/no-such.sock: cannot connect"
scr_wait_for "DB $db"
scr_wait_for "connected recv 5 dup 0 rej 0"
"$CXM_BIN" demo-day | sed -n 6,8p >>"$feed"
scr_wait_for "recv 8 dup 0 rej 0"
# A malformed line counts as rejected.
echo '{"id": "x", "ts": "not a time", "type": "rating"}' >>"$feed"
scr_wait_for "recv 8 dup 0 rej 1"

# The clock ticks (once a second, nothing faster is needed).
c1=$(scr_text | sed -n 29p | grep -oE '[0-9]{2}:[0-9]{2}:[0-9]{2}$')
[ -n "$c1" ] || scr_fail "no clock at the end of the status bar"
for i in $(seq 1 30); do
    c2=$(scr_text | sed -n 29p | grep -oE '[0-9]{2}:[0-9]{2}:[0-9]{2}$')
    [ "$c2" != "$c1" ] && break
    sleep 0.1
done
[ "$c2" != "$c1" ] || scr_fail "the clock did not move in 3 s"
scr_keys q
scr_wait_exit
[ "$SCR_RC" = 0 ] || scr_fail "exit status $SCR_RC"
echo "status: retrying source with its error, log source counters (recv/dup/rej), DB path, clock"
