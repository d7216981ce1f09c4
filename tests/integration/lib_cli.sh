# Shared helpers for the CLI integration tests (sourced; not a test itself).
set -u
: "${CXM_BIN:?CXM_BIN must point at the cxm-console binary}"
: "${CXM_SRC:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
[ -x "$CXM_BIN" ] || { echo "CXM_BIN=$CXM_BIN is not an executable"; exit 1; }
FIX="$CXM_SRC/tests/fixtures/cli"
T=$(mktemp -d "${TMPDIR:-/tmp}/cxm-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
# No user config or data directory may leak into a test.
export XDG_CONFIG_HOME="$T/config" XDG_DATA_HOME="$T/data" XDG_RUNTIME_DIR="$T"
export LC_ALL=C.UTF-8 TZ=UTC-3
unset NO_COLOR
fails=0
name=""

ok()   { echo "ok   - $*"; }
bad()  { echo "FAIL - $*"; fails=$((fails + 1)); }
check() { # check DESC COMMAND...  (passes when the command succeeds)
    local d=$1; shift
    if "$@"; then ok "$d"; else bad "$d"; fi
}
# run OUT ERR CMD... : runs CMD, stores stdout/stderr in files, sets $rc
run() {
    local o=$1 e=$2; shift 2
    "$@" >"$o" 2>"$e"
    rc=$?
}
expect_rc() { # expect_rc WANT DESC
    if [ "$rc" -eq "$1" ]; then ok "$2 (exit $rc)"; else bad "$2: exit $rc, want $1"; fi
}
last_line() { tail -n 1 "$1"; }
expect_last() { # expect_last FILE WANT DESC
    local got
    got=$(last_line "$1")
    if [ "$got" = "$2" ]; then ok "$3: '$got'"; else bad "$3: last line '$got', want '$2'"; fi
}
expect_grep() { # expect_grep FILE REGEX DESC
    if grep -Eq -- "$2" "$1"; then ok "$3"; else bad "$3: /$2/ not in $(basename "$1"):"; sed 's/^/    | /' "$1" | head -20; fi
}
finish() {
    if [ "$fails" -ne 0 ]; then
        echo "$fails check(s) failed"
        exit 1
    fi
    echo "all checks passed"
    exit 0
}
