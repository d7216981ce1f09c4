# Shared helpers for the live-feed integration tests (sourced; not a test).
# Real processes on real sockets: cxm-agent-sim ($CXM_SIM) plays the agent or
# the cloud, `cxm-console ingest` ($CXM_BIN) subscribes. Every wait is
# bounded, and the EXIT trap kills every child we started, so a failing test
# never hangs and never leaves processes behind.
set -u
: "${CXM_BIN:?CXM_BIN must point at the cxm-console binary}"
: "${CXM_SIM:?CXM_SIM must point at the cxm-agent-sim binary}"
: "${CXM_SRC:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
T=$(mktemp -d "${TMPDIR:-/tmp}/cxm-feed.XXXXXX")
export XDG_CONFIG_HOME="$T/config" XDG_DATA_HOME="$T/data" XDG_RUNTIME_DIR="$T"
export LC_ALL=C.UTF-8 TZ=UTC-3
unset NO_COLOR
CHILDREN=()
fails=0

feed_cleanup() {
    local p
    for p in "${CHILDREN[@]}"; do
        kill -TERM "$p" 2>/dev/null
    done
    for p in "${CHILDREN[@]}"; do
        # up to 3 s to exit cleanly, then no more asking
        for _ in $(seq 30); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    if [ "$fails" -ne 0 ] || [ "${FEED_KEEP:-0}" = 1 ]; then
        # what the processes said is the first thing to read on a failure
        for f in "$T"/*.err "$T"/*.out; do
            [ -s "$f" ] || continue
            echo "---- $(basename "$f") (last 15 lines)"
            tail -n 15 "$f"
        done
    fi
    rm -rf "$T"
}
trap feed_cleanup EXIT
trap 'echo "FAIL - interrupted or over the time limit"; fails=$((fails + 1)); exit 1' TERM INT

# The whole test is killed (cleanly, through the trap) after SECS seconds.
feed_deadline() {
    local self=$$
    (
        trap 'kill "$sp" 2>/dev/null; exit 0' TERM
        sleep "$1" &
        sp=$!
        wait "$sp" && kill -TERM "$self" 2>/dev/null
    ) >/dev/null 2>&1 &
    CHILDREN+=($!)
}

ok()  { echo "ok   - $*"; }
bad() { echo "FAIL - $*"; fails=$((fails + 1)); }
check() { # check DESC COMMAND...
    local d=$1; shift
    if "$@"; then ok "$d"; else bad "$d"; fi
}
finish() {
    if [ "$fails" -ne 0 ]; then
        echo "$fails check(s) failed"
        exit 1
    fi
    echo "all checks passed"
    exit 0
}

# start_sim NAME ARGS... : the sim in the background, stderr to $T/NAME.err;
# its pid in $SIM_PID.
start_sim() {
    local name=$1; shift
    "$CXM_SIM" "$@" 2>"$T/$name.err" &
    SIM_PID=$!
    CHILDREN+=("$SIM_PID")
}

# start_ingest NAME DB ARGS... : `cxm-console ingest --db DB ARGS`, stdout to
# $T/NAME.out, stderr to $T/NAME.err; its pid in $INGEST_PID.
start_ingest() {
    local name=$1 db=$2; shift 2
    "$CXM_BIN" ingest --db "$db" "$@" >"$T/$name.out" 2>"$T/$name.err" &
    INGEST_PID=$!
    CHILDREN+=("$INGEST_PID")
}

# wait_for_file FILE SECS : a file (or socket) exists and is not empty.
wait_for_file() {
    local end=$((SECONDS + $2))
    while [ "$SECONDS" -lt "$end" ]; do
        if [ -S "$1" ] || [ -s "$1" ]; then return 0; fi
        sleep 0.05
    done
    return 1
}

# wait_exit PID SECS : waits for a child to exit; its status in $EXIT_RC
# (124 = still running after SECS).
wait_exit() {
    local end=$((SECONDS + $2))
    while kill -0 "$1" 2>/dev/null; do
        if [ "$SECONDS" -ge "$end" ]; then EXIT_RC=124; return 1; fi
        sleep 0.1
    done
    wait "$1" 2>/dev/null
    EXIT_RC=$?
    return 0
}

# wait_grep FILE REGEX SECS : until FILE has a line matching REGEX.
wait_grep() {
    local end=$((SECONDS + $3))
    while [ "$SECONDS" -lt "$end" ]; do
        if grep -qE -- "$2" "$1" 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    return 1
}

db_count() { # db_count DB [WHERE]
    sqlite3 -cmd '.timeout 5000' "$1" "SELECT count(*) FROM events ${2:-}" 2>/dev/null || echo -1
}

# wait_count DB N SECS : until the database holds at least N events.
wait_count() {
    local end=$((SECONDS + $3)) n
    while [ "$SECONDS" -lt "$end" ]; do
        n=$(db_count "$1")
        if [ "${n:-0}" -ge "$2" ]; then return 0; fi
        sleep 0.2
    done
    return 1
}

# wait_stable DB SECS : until the event count stops changing for 1 s.
wait_stable() {
    local end=$((SECONDS + $2)) a b
    a=$(db_count "$1")
    while [ "$SECONDS" -lt "$end" ]; do
        sleep 1
        b=$(db_count "$1")
        if [ "$a" = "$b" ]; then return 0; fi
        a=$b
    done
    return 1
}

sent_ids() { cut -d' ' -f1 "$1" | sort -u; }       # sent_ids SENTFILE
stored_ids() { sqlite3 -cmd '.timeout 5000' "$1" "SELECT id FROM events" | sort; }

# same_ids DB EXPECTED_IDS_FILE DESC : the stored ids are exactly these.
same_ids() {
    stored_ids "$1" >"$T/stored.ids"
    local missing extra
    missing=$(comm -23 "$2" "$T/stored.ids" | wc -l)
    extra=$(comm -13 "$2" "$T/stored.ids" | wc -l)
    if [ "$missing" -eq 0 ] && [ "$extra" -eq 0 ]; then
        ok "$3: all $(wc -l <"$2") ids stored, none extra"
    else
        bad "$3: $missing sent but not stored, $extra stored but never sent"
        comm -23 "$2" "$T/stored.ids" | head -5 | sed 's/^/    missing: /'
    fi
}

# sim_stat ERRFILE KEY : a number from the sim's last summary line
# ("generated N, sent N (repeats N, malformed N), ...").
sim_stat() {
    grep 'cxm-agent-sim: generated' "$1" | tail -n 1 | grep -oE "$2 [0-9]+" | head -n 1 | cut -d' ' -f2
}

# ingest_status PID OUTFILE : asks ingest for its status lines (SIGUSR1) and
# waits until they arrive; the lines printed are then in $T/status.txt.
ingest_status() {
    local before after end=$((SECONDS + 5))
    before=$(wc -l <"$2" 2>/dev/null || echo 0)
    kill -USR1 "$1" 2>/dev/null || return 1
    while [ "$SECONDS" -lt "$end" ]; do
        sleep 0.3
        after=$(wc -l <"$2" 2>/dev/null || echo 0)
        if [ "$after" -gt "$before" ]; then
            sleep 0.2
            tail -n +$((before + 1)) "$2" >"$T/status.txt"
            return 0
        fi
    done
    return 1
}

# status_field KIND FIELD : FIELD's number in the last status line of the
# source of that kind in $T/status.txt; ingest prints
#   source="KIND TARGET" state=S received=N duplicates=N rejected=N [retry_in=S] [error="..."]
# (KIND: agent, agent-log, cloud).
status_field() {
    grep -- "source=\"$1 " "$T/status.txt" | tail -n 1 | grep -oE " $2=[0-9]+" | grep -oE '[0-9]+$'
}

# status_now PID NAME : the status lines of a running ingest (SIGUSR1), or,
# when it has exited (ingest stops once every source failed for good), the
# lines it printed last; in $T/status.txt. Fails when there are none.
status_now() {
    if kill -0 "$1" 2>/dev/null && ingest_status "$1" "$T/$2.out"; then
        return 0
    fi
    wait_exit "$1" 5
    grep 'source=' "$T/$2.out" >"$T/status.txt" 2>/dev/null
    [ -s "$T/status.txt" ]
}

# make_ca DIR : a CA and a server certificate for 127.0.0.1 and localhost,
# made now by openssl (nothing secret is committed).
make_ca() {
    local d=$1
    mkdir -p "$d"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/ca.key" -out "$d/ca.pem" -days 2 \
        -subj "/CN=cxm test CA" >/dev/null 2>&1 || return 1
    openssl req -newkey rsa:2048 -nodes -keyout "$d/server.key" -out "$d/server.csr" \
        -subj "/CN=localhost" >/dev/null 2>&1 || return 1
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' >"$d/ext.cnf"
    openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
        -out "$d/server.pem" -days 2 -extfile "$d/ext.cnf" >/dev/null 2>&1
}

integrity_ok() {
    [ "$(sqlite3 -cmd '.timeout 5000' "$1" 'PRAGMA integrity_check')" = ok ]
}
