#!/usr/bin/env bash
# Runs every benchmark: the scripts here (bench_*.sh) and the programs built
# from bench_*.c. They print figures; none of them is a pass/fail test.
#   usage: tests/bench/run.sh [BUILD_DIR]   (default: build)
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-build}" && pwd) || { echo "run.sh: no build directory ${1:-build}" >&2; exit 1; }
export CXM_BIN="$build/cxm-console" CXM_BUILD="$build" CXM_SRC=$(cd "$here/../.." && pwd)
status=0
for s in "$here"/bench_*.sh; do
    [ -e "$s" ] || continue
    echo "=== $(basename "$s")"
    bash "$s" "$build" || { echo "=== $(basename "$s") FAILED"; status=1; }
done
for c in "$here"/bench_*.c; do
    [ -e "$c" ] || continue
    b="$build/tests/$(basename "$c" .c)"
    [ -x "$b" ] || b="$build/$(basename "$c" .c)"
    echo "=== $(basename "$b")"
    if [ -x "$b" ]; then "$b" || { echo "=== $(basename "$b") FAILED"; status=1; }; else echo "(not built)"; fi
done
exit $status
