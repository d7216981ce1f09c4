# Screen-test helpers: drive the real TUI in a detached tmux server of our
# own (-L socket), send keys, read the screen back (text and attributes).
# Source from a test; every function fails loudly; cleanup runs on exit.
#
#   scr_start W H CMD...      run CMD in a W x H pane (TERM=$SCR_TERM, tmux-256color)
#   scr_keys KEY...           tmux send-keys (names like Enter, Up, C-c; -l for literal),
#                             then waits until the console has drawn the frame after
#                             handling them (or has exited)
#   scr_keys_nowait KEY...    send-keys without waiting (keys that must arrive together)
#   scr_wait_frame N          until a frame after frame N was drawn (scr_frame: the last)
#   scr_text                  the screen as text;  scr_ansi: with SGR attributes
#   scr_wait_for TEXT [SECS]  until TEXT is on screen (fixed string), else fail
#   scr_wait_gone TEXT [SECS] until TEXT is not on screen
#   scr_resize W H            resize the window (SIGWINCH to the app)
#   scr_wait_exit [SECS]      until the command has exited; sets SCR_RC
#   scr_fail MSG              print the screen and exit 1

set -u
: "${CXM_BIN:?CXM_BIN is not set (run through ctest)}"
: "${CXM_SRC:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
command -v tmux >/dev/null || { echo "tmux not installed"; exit 77; }

SCR_TMP=$(mktemp -d "${TMPDIR:-/tmp}/cxm-screen.XXXXXX")
SCR_SOCK="cxm-screen-$$-0"
SCR_SOCKS=()
SCR_RC=
export XDG_CONFIG_HOME="$SCR_TMP/config" XDG_STATE_HOME="$SCR_TMP/state"
export XDG_DATA_HOME="$SCR_TMP/data" XDG_RUNTIME_DIR="$SCR_TMP/run"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_STATE_HOME" "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
export CXM_THEMES_DIR="$CXM_SRC/themes"
# The tests read English labels unless they ask for Russian.
export LC_ALL=C.UTF-8 LANG=C.UTF-8
# What tmux sends for Home, F1 ... matches its own terminfo entry, not xterm's.
: "${SCR_TERM=tmux-256color}"
unset NO_COLOR ESCDELAY

scr_tmux() { tmux -L "$SCR_SOCK" -f /dev/null "$@"; }

scr_cleanup() {
    local s
    for s in "${SCR_SOCKS[@]}"; do tmux -L "$s" kill-server 2>/dev/null; done
    rm -rf "$SCR_TMP"
}
trap scr_cleanup EXIT

scr_fail() {
    echo "FAIL: $*" >&2
    echo "---- screen ----" >&2
    scr_text >&2 2>/dev/null
    echo "----------------" >&2
    if [ -s "$XDG_STATE_HOME/cxm-console/console.log" ]; then
        echo "---- console.log (tail) ----" >&2
        tail -n 30 "$XDG_STATE_HOME/cxm-console/console.log" >&2
    fi
    exit 1
}

# The pane runs a small shell that records the exit status and the tty
# state after the console, then stays so the screen can be inspected.
scr_start() {
    local w=$1 h=$2
    shift 2
    local q=
    for a in "$@"; do q+=" $(printf '%q' "$a")"; done
    # The console reports "frame N" on fd 9 after drawing the frame that
    # follows all the input it has read (CXM_TEST_FRAME_FD): the helpers wait
    # for that instead of for time.
    cat >"$SCR_TMP/run.sh" <<RUN
stty sane
exec 9>>"$SCR_TMP/frames"
export CXM_TEST_FRAME_FD=9
$q
echo \$? >"$SCR_TMP/rc.tmp" && mv "$SCR_TMP/rc.tmp" "$SCR_TMP/rc"
stty -a >"$SCR_TMP/stty.after" 2>&1
exec sleep 3600 9>&-
RUN
    rm -f "$SCR_TMP/rc"
    : >"$SCR_TMP/frames"
    # A server of its own for each start: a killed server may still be
    # going away, and a client that finds its socket fails ("server exited
    # unexpectedly").
    SCR_SOCK="cxm-screen-$$-${#SCR_SOCKS[@]}"
    SCR_SOCKS+=("$SCR_SOCK")
    # SCR_TERM picks the pane's TERM; set but empty means no TERM at all.
    local termenv="TERM=${SCR_TERM-tmux-256color}"
    [ -n "${SCR_TERM-x}" ] || termenv="-u TERM"
    scr_tmux new-session -d -s main -x "$w" -y "$h" "env $termenv bash $SCR_TMP/run.sh" ||
        { echo "tmux new-session failed"; exit 1; }
    scr_tmux set-option -t main remain-on-exit on >/dev/null
}

# The number of the last frame the console drew after its input (0: none yet).
scr_frame() {
    local l
    l=$(tail -n 1 "$SCR_TMP/frames" 2>/dev/null)
    echo "${l#frame }" | grep -E '^[0-9]+$' || echo 0
}

scr_wait_frame() {
    local after=$1 i
    for ((i = 0; i < 3000; i++)); do
        [ "$(scr_frame)" -gt "$after" ] && return 0
        [ -f "$SCR_TMP/rc" ] && return 0
        sleep 0.01
    done
    scr_fail "no frame after frame $after within 30s"
}

scr_keys_nowait() { scr_tmux send-keys -t main "$@"; }

scr_keys() {
    local before
    before=$(scr_frame)
    # Keys sent before the first frame could be read before the console is
    # ready for them: wait for it to say it is.
    if [ "$before" = 0 ]; then
        scr_wait_frame 0
        before=$(scr_frame)
    fi
    scr_tmux send-keys -t main "$@" || scr_fail "send-keys $*"
    scr_wait_frame "$before"
}
scr_text() { scr_tmux capture-pane -t main -p; }
scr_ansi() { scr_tmux capture-pane -t main -p -e; }
scr_resize() { scr_tmux resize-window -t main -x "$1" -y "$2"; }
scr_alternate_on() { scr_tmux display-message -t main -p '#{alternate_on}'; }

scr_wait_for() {
    local text=$1 secs=${2:-20} i
    for ((i = 0; i < secs * 10; i++)); do
        scr_text | grep -qF -- "$text" && return 0
        sleep 0.1
    done
    scr_fail "timed out after ${secs}s waiting for: $text"
}

scr_wait_gone() {
    local text=$1 secs=${2:-20} i
    for ((i = 0; i < secs * 10; i++)); do
        scr_text | grep -qF -- "$text" || return 0
        sleep 0.1
    done
    scr_fail "timed out after ${secs}s waiting for '$text' to go away"
}

scr_wait_exit() {
    local secs=${1:-20} i
    for ((i = 0; i < secs * 10; i++)); do
        if [ -f "$SCR_TMP/rc" ]; then
            SCR_RC=$(cat "$SCR_TMP/rc")
            return 0
        fi
        sleep 0.1
    done
    scr_fail "the console did not exit within ${secs}s"
}

# The console's pid (the child of the pane's shell).
scr_app_pid() {
    local shpid
    shpid=$(scr_tmux display-message -t main -p '#{pane_pid}')
    pgrep -P "$shpid" -f "$(basename "$CXM_BIN")" | head -n1
}

# The tty after the console exited: echo and canonical mode back on.
scr_assert_tty_sane() {
    local s="$SCR_TMP/stty.after" i
    for ((i = 0; i < 50; i++)); do [ -s "$s" ] && break; sleep 0.1; done
    [ -s "$s" ] || scr_fail "no stty output after exit"
    grep -qE '(^| )-echo( |$)' "$s" && scr_fail "echo is still off after exit: $(cat "$s")"
    grep -qE '(^| )-icanon( |$)' "$s" && scr_fail "icanon is still off after exit"
    grep -qE '(^| )echo( |$)' "$s" || scr_fail "no echo flag in stty output"
    [ "$(scr_alternate_on)" = 0 ] || scr_fail "the alternate screen is still on"
    return 0
}
