#!/usr/bin/env bash
# `cxm-console import` end to end (DESIGN §10): summary line, exit codes,
# rejected lines on stderr with their line numbers and reasons, duplicates,
# stdin, failures that keep what was already accepted.
source "$(dirname "$0")/lib_cli.sh"
DB="$T/a.db"

# The mixed fixture: line 9 becomes a 3 MB line that would otherwise be a
# valid event (so only the length can reject it).
python3 - "$FIX/import_mixed.jsonl" "$T/mixed.jsonl" <<'PY'
import sys, json
src, dst = sys.argv[1], sys.argv[2]
lines = open(src, encoding="utf-8").read().split("\n")
ev = json.loads(lines[1]); ev["id"] = "imp.long"; ev["padding"] = "x" * (3 << 20)
lines[8] = json.dumps(ev)
open(dst, "w", encoding="utf-8").write("\n".join(lines))
PY

run "$T/out" "$T/err" "$CXM_BIN" import --db "$DB" "$T/mixed.jsonl"
expect_rc 3 "mixed file: some rejected"
expect_last "$T/out" "imported 4, duplicates 1, rejected 5" "mixed summary"
expect_grep "$T/err" "mixed\.jsonl: line 5: ts: " "bad ts reported on line 5"
expect_grep "$T/err" "mixed\.jsonl: line 6: id: " "bad id reported on line 6"
expect_grep "$T/err" "mixed\.jsonl: line 7: type: " "unknown type reported on line 7"
expect_grep "$T/err" "mixed\.jsonl: line 8: [a-z_]+: " "invalid JSON reported on line 8"
expect_grep "$T/err" "mixed\.jsonl: line 9: line: longer than 65536 bytes" "over-long line reported on line 9"
check "exactly 5 stderr lines" test "$(wc -l <"$T/err")" -eq 5
check "no line 3/11 (blank) or good lines on stderr" bash -c "! grep -Eq 'line (1|2|3|4|10|11|12):' '$T/err'"
check "stdout is only the summary" test "$(wc -l <"$T/out")" -eq 1

# Importing again: everything valid is now a duplicate.
run "$T/out" "$T/err" "$CXM_BIN" import --db "$DB" "$T/mixed.jsonl"
expect_rc 3 "re-import"
expect_last "$T/out" "imported 0, duplicates 5, rejected 5" "re-import summary"

# All good -> 0; the same ids through stdin -> duplicates.
run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/b.db" "$FIX/import_good.jsonl"
expect_rc 0 "all good"
expect_last "$T/out" "imported 4, duplicates 0, rejected 0" "all-good summary"
check "all good: nothing on stderr" test ! -s "$T/err"
run "$T/out" "$T/err" bash -c "cat '$FIX/import_good.jsonl' | '$CXM_BIN' import --db '$T/b.db' -"
expect_rc 0 "stdin"
expect_last "$T/out" "imported 0, duplicates 4, rejected 0" "stdin summary"
run "$T/out" "$T/err" bash -c "printf '%s\n' '{\"id\":\"s.1\",\"ts\":\"2026-11-23T10:00:00Z\",\"type\":\"arrival\",\"location\":{\"id\":\"x\"},\"desk\":\"d\"}' 'nonsense' | '$CXM_BIN' import --db '$T/b.db' -"
expect_rc 3 "stdin with a bad line"
expect_last "$T/out" "imported 1, duplicates 0, rejected 1" "stdin partial summary"
expect_grep "$T/err" "^<stdin>: line 2: " "stdin rejection names <stdin> and line 2"

# CRLF line ends and a final line without a newline are accepted.
python3 -c "import sys; sys.stdout.write(open(sys.argv[1]).read().replace('\n','\r\n').rstrip('\r\n'))" \
    "$FIX/import_good.jsonl" >"$T/crlf.jsonl"
run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/c.db" "$T/crlf.jsonl"
expect_rc 0 "CRLF file"
expect_last "$T/out" "imported 4, duplicates 0, rejected 0" "CRLF summary"

# Exactly 64 KiB is allowed, one byte more is not.
python3 - "$T/edge.jsonl" <<'PY'
import sys, json
base = {"id": "edge.1", "ts": "2026-11-23T10:00:00Z", "type": "arrival",
        "location": {"id": "x"}, "desk": "d", "pad": ""}
def line(i, size):
    ev = dict(base, id="edge.%d" % i)
    n = len(json.dumps(ev))
    ev["pad"] = "p" * (size - n)
    s = json.dumps(ev); assert len(s) == size
    return s
open(sys.argv[1], "w").write(line(1, 65536) + "\n" + line(2, 65537) + "\n")
PY
run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/c.db" "$T/edge.jsonl"
expect_rc 3 "64 KiB edge"
expect_last "$T/out" "imported 1, duplicates 0, rejected 1" "65536 accepted, 65537 rejected"
expect_grep "$T/err" "edge\.jsonl: line 2: line: longer than 65536 bytes" "65537-byte line reported"

# Usage errors -> 2, nothing created.
run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/u.db"
expect_rc 2 "no files"
run "$T/out" "$T/err" "$CXM_BIN" import --bogus "$FIX/import_good.jsonl"
expect_rc 2 "unknown option"
expect_grep "$T/err" "unknown option '--bogus'" "unknown option named"
run "$T/out" "$T/err" "$CXM_BIN" import "$FIX/import_good.jsonl" --db
expect_rc 2 "--db without a value"
check "usage errors created no database" test ! -e "$T/u.db"

# Failures -> 1, naming the file or DB and the reason.
run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/d.db" "$T/does-not-exist.jsonl"
expect_rc 1 "missing file"
expect_grep "$T/err" "does-not-exist\.jsonl: No such file or directory" "missing file named with reason"
expect_last "$T/out" "imported 0, duplicates 0, rejected 0" "missing file summary"
mkdir "$T/adir"
run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/d.db" "$T/adir"
expect_rc 1 "a directory"
expect_grep "$T/err" "adir: .*(Is a directory)" "directory named with reason"
# Every input is checked before anything is stored (issue 11): a missing one
# among good ones stops the import before the database is touched.
run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/d.db" "$FIX/import_good.jsonl" "$T/does-not-exist.jsonl"
expect_rc 1 "good file then a missing one"
expect_last "$T/out" "imported 0, duplicates 0, rejected 0" "nothing imported when an input is missing"
run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/d.db" "$FIX/import_good.jsonl"
expect_last "$T/out" "imported 4, duplicates 0, rejected 0" "the good file alone imports"

# A database that is not ours is refused and left untouched.
sqlite3 "$T/foreign.db" "CREATE TABLE people(name TEXT); INSERT INTO people VALUES('x');"
sum_before=$(sha256sum <"$T/foreign.db")
run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/foreign.db" "$FIX/import_good.jsonl"
expect_rc 1 "foreign database"
expect_grep "$T/err" "foreign\.db: " "foreign DB named"
check "foreign DB untouched" test "$sum_before" = "$(sha256sum <"$T/foreign.db")"
check "no WAL left next to the foreign DB" test ! -s "$T/foreign.db-wal"
head -c 4096 /dev/urandom >"$T/garbage.db"
run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/garbage.db" "$FIX/import_good.jsonl"
expect_rc 1 "not a database at all"
run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/no/such/dir/x.db" "$FIX/import_good.jsonl"
expect_rc 1 "DB in a missing directory"
expect_grep "$T/err" "no/such/dir/x\.db" "unopenable DB named"

# The default database path follows XDG_DATA_HOME.
run "$T/out" "$T/err" "$CXM_BIN" import "$FIX/import_good.jsonl"
expect_rc 0 "default DB path"
check "default DB at \$XDG_DATA_HOME/cxm-console/cxm.db" test -s "$XDG_DATA_HOME/cxm-console/cxm.db"

# Hostile bytes in a rejected line never reach stderr raw.
printf '{"id":"h.1","ts":"2026-11-23T10:00:00Z","type":"\033]0;pwned\007","location":{"id":"x"},"desk":"d"}\n' >"$T/hostile.jsonl"
run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/e.db" "$T/hostile.jsonl"
expect_rc 3 "hostile type value"
check "no ESC or BEL on stderr" bash -c "! LC_ALL=C grep -q \$'[\\033\\007]' '$T/err'"

# An imported day raises the alerts it would have raised live: three bad
# ratings within 30 minutes at one location open one alert (default rules).
for i in 1 2 3; do
    printf '{"id":"al.%d","ts":"2026-11-23T10:0%d:00+03:00","type":"rating","location":{"id":"clinic-1"},"desk":"reg-1","rating":"bad"}\n' "$i" "$i"
done >"$T/alert.jsonl"
run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/al.db" "$T/alert.jsonl"
expect_rc 0 "three bad ratings"
check "one negative-streak alert opened" \
    test "$(sqlite3 "$T/al.db" "SELECT count(*) FROM alerts WHERE rule = 'negative-streak'")" = 1
run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/al.db" "$T/alert.jsonl"
check "re-import opens no second alert" test "$(sqlite3 "$T/al.db" "SELECT count(*) FROM alerts")" = 1

finish
