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
#   scr_use N                 the helpers act on console N (0: the first scr_start,
#                             1: the second ...); a scr_start makes its console current
#   scr_bells                 how many times the current console rang the bell (tmux's
#                             alert-bell hook counts them; wait with scr_wait_bells)
#   scr_wait_for_ms TEXT SECS like scr_wait_for; the wait in milliseconds in SCR_WAITED_MS

set -u
: "${CXM_BIN:?CXM_BIN is not set (run through ctest)}"
: "${CXM_SRC:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
command -v tmux >/dev/null || { echo "tmux not installed"; exit 77; }

SCR_TMP=$(mktemp -d "${TMPDIR:-/tmp}/cxm-screen.XXXXXX")
SCR_SOCK="cxm-screen-$$-0"
SCR_SOCKS=()
SCR_RC=
# The current console's own files (frames, exit status, tty state, bells).
SCR_D="$SCR_TMP/con0"
export XDG_CONFIG_HOME="$SCR_TMP/config" XDG_STATE_HOME="$SCR_TMP/state"
export XDG_DATA_HOME="$SCR_TMP/data" XDG_RUNTIME_DIR="$SCR_TMP/run"
export XDG_CACHE_HOME="$SCR_TMP/cache" # fetched clip links
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
    SCR_D="$SCR_TMP/con${#SCR_SOCKS[@]}"
    mkdir -p "$SCR_D"
    rm -f "$SCR_D/rc"
    : >"$SCR_D/frames"
    : >"$SCR_D/bells"
    cat >"$SCR_D/run.sh" <<RUN
stty sane
exec 9>>"$SCR_D/frames"
export CXM_TEST_FRAME_FD=9
$q
echo \$? >"$SCR_D/rc.tmp" && mv "$SCR_D/rc.tmp" "$SCR_D/rc"
stty -a >"$SCR_D/stty.after" 2>&1
exec sleep 3600 9>&-
RUN
    # A server of its own for each start: a killed server may still be
    # going away, and a client that finds its socket fails ("server exited
    # unexpectedly").
    SCR_SOCK="cxm-screen-$$-${#SCR_SOCKS[@]}"
    SCR_SOCKS+=("$SCR_SOCK")
    # SCR_TERM picks the pane's TERM; set but empty means no TERM at all.
    local termenv="TERM=${SCR_TERM-tmux-256color}"
    [ -n "${SCR_TERM-x}" ] || termenv="-u TERM"
    # Every bell the console rings (BEL to its terminal) is a line in
    # bells; the hook is set in the same command as the session, before the
    # server reads anything from the pane.
    scr_tmux new-session -d -s main -x "$w" -y "$h" "env $termenv bash $SCR_D/run.sh" \; \
        set-hook -t main alert-bell "run-shell 'echo bell >>$SCR_D/bells'" ||
        { echo "tmux new-session failed"; exit 1; }
    scr_tmux set-option -t main remain-on-exit on >/dev/null
}

scr_use() {
    [ "$1" -lt "${#SCR_SOCKS[@]}" ] || scr_fail "no console $1"
    SCR_SOCK=${SCR_SOCKS[$1]}
    SCR_D="$SCR_TMP/con$1"
}

scr_bells() { wc -l <"$SCR_D/bells"; }

# scr_wait_bells N [SECS]: until the console has rung at least N bells.
scr_wait_bells() {
    local n=$1 secs=${2:-20} i
    for ((i = 0; i < secs * 10; i++)); do
        [ "$(scr_bells)" -ge "$n" ] && return 0
        sleep 0.1
    done
    scr_fail "timed out after ${secs}s waiting for bell number $n (rang $(scr_bells))"
}

# The number of the last frame the console drew after its input (0: none yet).
scr_frame() {
    local l
    l=$(tail -n 1 "$SCR_D/frames" 2>/dev/null)
    echo "${l#frame }" | grep -E '^[0-9]+$' || echo 0
}

scr_wait_frame() {
    local after=$1 i
    for ((i = 0; i < 3000; i++)); do
        [ "$(scr_frame)" -gt "$after" ] && return 0
        [ -f "$SCR_D/rc" ] && return 0
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

scr_now_ms() { echo $(($(date +%s%N) / 1000000)); }

scr_wait_for_ms() {
    local text=$1 secs=${2:-20} t0
    t0=$(scr_now_ms)
    while ! scr_text | grep -qF -- "$text"; do
        [ $(($(scr_now_ms) - t0)) -ge $((secs * 1000)) ] &&
            scr_fail "timed out after ${secs}s waiting for: $text"
        sleep 0.02
    done
    SCR_WAITED_MS=$(($(scr_now_ms) - t0))
}

scr_wait_gone() {
    local text=$1 secs=${2:-20} i
    for ((i = 0; i < secs * 10; i++)); do
        scr_text | grep -qF -- "$text" || return 0
        sleep 0.1
    done
    scr_fail "timed out after ${secs}s waiting for '$text' to go away"
}

# scr_stream_row ID KEY [READY]: the stream view (READY: the text that says
# it is up, "Filter: none" by default) filtered to the event ID, KEY on its
# row (Enter: the detail, P: play its main clip).
scr_stream_row() {
    scr_keys 2
    scr_wait_for "${3:-Filter: none}"
    scr_keys /
    scr_keys -l "$1"
    scr_keys Enter
    scr_keys Home "$2"
}

# scr_wait_size FILE BYTES [SECS]: until FILE holds BYTES or more (an
# untimed audio output writing it); 1 when it did not in time.
scr_wait_size() {
    local i
    for ((i = 0; i < ${3:-30} * 20; i++)); do
        [ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -ge "$2" ] && return 0
        sleep 0.05
    done
    return 1
}

scr_wait_exit() {
    local secs=${1:-20} i
    for ((i = 0; i < secs * 10; i++)); do
        if [ -f "$SCR_D/rc" ]; then
            SCR_RC=$(cat "$SCR_D/rc")
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
    local s="$SCR_D/stty.after" i
    for ((i = 0; i < 50; i++)); do [ -s "$s" ] && break; sleep 0.1; done
    [ -s "$s" ] || scr_fail "no stty output after exit"
    grep -qE '(^| )-echo( |$)' "$s" && scr_fail "echo is still off after exit: $(cat "$s")"
    grep -qE '(^| )-icanon( |$)' "$s" && scr_fail "icanon is still off after exit"
    grep -qE '(^| )echo( |$)' "$s" || scr_fail "no echo flag in stty output"
    [ "$(scr_alternate_on)" = 0 ] || scr_fail "the alternate screen is still on"
    return 0
}
