#!/bin/bash
# Leaving the console restores the terminal: q, Ctrl-C, SIGTERM, SIGHUP and
# a crash (SIGSEGV handler); SIGUSR1 is ignored (issue 11: it ended the TUI).
# Checked at tty level: echo and canonical mode back, the alternate screen left. The demo's temporary database goes too.
. "$(dirname "$0")/lib_screen.sh"

export TMPDIR="$SCR_TMP/tmp"
mkdir -p "$TMPDIR"

run_and_leave() {
    local how=$1 want_rc=$2
    scr_start 80 24 "$CXM_BIN" --demo
    scr_wait_for "Dashboard"
    [ "$(scr_alternate_on)" = 1 ] || scr_fail "$how: the console did not use the alternate screen"
    ls "$TMPDIR" | grep -q '^cxm-demo-' || scr_fail "$how: no demo database directory"
    local pid
    pid=$(scr_app_pid)
    [ -n "$pid" ] || scr_fail "$how: cannot find the console's pid"
    case $how in
    q) scr_keys q ;;
    USR1)
        # ignored (documented): the console goes on and quits with q
        kill -s USR1 "$pid"
        scr_keys 2
        scr_wait_for "Filter: none"
        kill -0 "$pid" 2>/dev/null || scr_fail "USR1: the console ended"
        scr_keys q
        ;;
    ctrl-c) scr_keys C-c ;;
    TERM | HUP | SEGV) kill -s "$how" "$pid" ;;
    esac
    scr_wait_exit
    [ "$SCR_RC" = "$want_rc" ] || scr_fail "$how: exit status $SCR_RC, want $want_rc"
    scr_assert_tty_sane
    if [ "$how" != SEGV ]; then
        ls "$TMPDIR" | grep -q '^cxm-demo-' && scr_fail "$how: demo database left behind"
    fi
    scr_text | grep -qF "cxm-console  1 Dashboard" && scr_fail "$how: the console's screen is still shown"
    rm -rf "${TMPDIR:?}"/*
    scr_tmux kill-server
    echo "quit: $how -> exit $SCR_RC, terminal restored"
}

run_and_leave q 0
run_and_leave USR1 0
run_and_leave ctrl-c 0
run_and_leave TERM 0
run_and_leave HUP 0
run_and_leave SEGV 139
