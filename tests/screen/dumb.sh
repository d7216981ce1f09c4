#!/bin/bash
# TERM=dumb, an unknown TERM or a missing TERM get a clear refusal and exit 1,
# before curses touches the terminal; so does output that is not a tty.
. "$(dirname "$0")/lib_screen.sh"

for term in dumb no-such-terminal-xyz ""; do
    SCR_TERM="$term" scr_start 80 24 "$CXM_BIN" --demo
    scr_wait_exit
    [ "$SCR_RC" = 1 ] || scr_fail "TERM='$term': exit status $SCR_RC, want 1"
    case "$term" in
    dumb) scr_wait_for "TERM=dumb cannot show the console" 5 ;;
    "") scr_wait_for "TERM=(unset) cannot show the console" 5 ;;
    *) scr_wait_for "unknown terminal type TERM=$term" 5 ;;
    esac
    scr_assert_tty_sane
    scr_tmux kill-server
done

out=$("$CXM_BIN" --demo </dev/null 2>&1 >/dev/null)
rc=$?
[ $rc = 1 ] || { echo "FAIL: not a tty: exit $rc"; exit 1; }
[[ $out == *"needs a terminal"* ]] || { echo "FAIL: not a tty: message '$out'"; exit 1; }
echo "dumb: refused TERM=dumb, unknown and unset TERM, and a non-tty, with exit 1"
