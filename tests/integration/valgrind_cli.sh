#!/usr/bin/env bash
# The CLI front end under valgrind (memcheck): import with good, duplicate and
# rejected lines, kpi in every format, alerts, sample-size, demo-day. Any
# invalid read/write, use of uninitialised memory or definite leak fails.
# The sanitizer tree cannot run under valgrind, so it skips there (77).
. "$(dirname "$0")/lib_cli.sh"
command -v valgrind >/dev/null || { echo "valgrind not installed"; exit 1; }
if nm -an "$CXM_BIN" 2>/dev/null | grep -q '__asan_init'; then
    echo "sanitizer build: valgrind runs in the plain tree"; exit 77
fi
vg() { # vg NAME CMD... : runs CMD under memcheck, log in $T/NAME.vg
    local n=$1; shift
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        --log-file="$T/$n.vg" "$@" >"$T/$n.out" 2>"$T/$n.err"
    rc=$?
    if [ "$rc" -eq 99 ] || [ -s "$T/$n.vg" ]; then
        bad "$n: valgrind reported errors"; sed 's/^/    | /' "$T/$n.vg" | head -40
    else
        ok "$n: clean under valgrind (exit $rc)"
    fi
}
db="$T/vg.db"
vg import "$CXM_BIN" import --db "$db" "$FIX/import_mixed.jsonl" "$CXM_SRC/tests/fixtures/events_good.jsonl"
expect_rc 3 "import of a mixed file"
vg import_again "$CXM_BIN" import --db "$db" "$CXM_SRC/tests/fixtures/events_good.jsonl"
expect_grep "$T/import_again.out" "duplicates [1-9]" "re-import counts duplicates"
for f in table json csv; do
    for by in employee day all; do
        vg "kpi_${by}_$f" "$CXM_BIN" kpi --db "$db" --by "$by" --format "$f"
        expect_rc 0 "kpi --by $by --format $f"
    done
done
vg alerts "$CXM_BIN" alerts --db "$db" --state all --format json
expect_rc 0 "alerts"
vg sample "$CXM_BIN" sample-size --population 1500
expect_grep "$T/sample.out" "306" "sample size"
vg demo "$CXM_BIN" demo-day --seed 3 --date 2026-11-23
expect_rc 0 "demo-day"
vg badopt "$CXM_BIN" kpi --db "$db" --by nonsense
expect_rc 2 "usage error"
finish
