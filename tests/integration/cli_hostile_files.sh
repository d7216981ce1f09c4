#!/usr/bin/env bash
# Files as a careless operator or a hostile feed hands them over (issue 11):
# a missing input, a 65536-byte line with CRLF, the file-size limit hit
# during import, NUL and implausible timestamps in lines, a read-only
# database, endless and blocking "files" for --config/--token-file/--theme.
source "$(dirname "$0")/lib_cli.sh"
HFX="$CXM_SRC/tests/fixtures/hostile"

# ---- import of a missing file: nothing is created ----
run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/m.db" "$T/nope.jsonl"
expect_rc 1 "missing input"
expect_grep "$T/err" "nope\.jsonl: No such file or directory" "missing input named"
expect_last "$T/out" "imported 0, duplicates 0, rejected 0" "summary still printed"
check "no database created for a missing input" test ! -e "$T/m.db"
run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/m.db" "$HFX/formulas.jsonl" "$T/nope.jsonl"
expect_rc 1 "a good and a missing input"
check "inputs are checked before the database is created" test ! -e "$T/m.db"

# ---- a line of exactly 65536 bytes is accepted with LF and with CRLF ----
python3 - "$T/long_lf.jsonl" "$T/long_crlf.jsonl" <<'PY'
import sys
head = '{"id":"long.1","ts":"2026-11-23T10:00:00Z","type":"heartbeat","location":{"id":"c"},"pad":"'
line = head + "a" * (65536 - len(head) - 2) + '"}'
assert len(line) == 65536
open(sys.argv[1], "w", newline="").write(line + "\n")
open(sys.argv[2], "w", newline="").write(line + "\r\n")
PY
run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/l.db" "$T/long_lf.jsonl"
expect_last "$T/out" "imported 1, duplicates 0, rejected 0" "65536-byte line with LF"
run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/l.db" "$T/long_crlf.jsonl"
expect_last "$T/out" "imported 1, duplicates 0, rejected 0" "65536-byte line with CRLF"

# ---- NUL in strings and implausible timestamps are rejected, counted ----
printf '%s\n' \
  '{"id":"coll.1\u0000A","ts":"2026-11-23T10:00:00Z","type":"arrival","location":{"id":"c"},"desk":"d"}' \
  '{"id":"coll.1\u0000B","ts":"2026-11-23T10:00:01Z","type":"arrival","location":{"id":"c"},"desk":"d"}' \
  '{"id":"t.1","ts":"2026-11-23T10:00:02Z","type":"arrival\u0000x","location":{"id":"c"},"desk":"d"}' \
  '{"id":"t.2","ts":"2026-11-23T10:00:03Z","type":"arrival","location":{"id":"c"},"desk":"d1\u0000evil"}' \
  '{"id":"t.3","ts":"9999-12-31T23:59:59-23:59","type":"rating","location":{"id":"c"},"desk":"d","rating":"bad"}' \
  '{"id":"t.4","ts":"1970-01-01T00:00:00Z","type":"rating","location":{"id":"c"},"desk":"d","rating":"bad"}' \
  '{"id":"t.5","ts":"2026-11-23T10:00:05Z","type":"arrival","location":{"id":"c"},"desk":"d"}' >"$T/nul.jsonl"
printf '{"id":"raw.1","ts":"2026-11-23T10:00:06Z","type":"arrival","location":{"id":"c"},"desk":"d1\0evil"}\n' >>"$T/nul.jsonl"
run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/n.db" "$T/nul.jsonl"
expect_rc 3 "NUL and bad timestamps: some lines rejected"
expect_last "$T/out" "imported 1, duplicates 0, rejected 7" "only the clean event imported"
expect_grep "$T/err" "line 1: id: contains U\+0000 \(NUL\)" "escaped NUL in an id, named"
expect_grep "$T/err" "line 2: id: contains U\+0000" "the second id is not a duplicate of the first"
expect_grep "$T/err" "line 3: type: contains U\+0000" "NUL in the type"
expect_grep "$T/err" "line 4: desk: contains U\+0000" "NUL in the desk"
expect_grep "$T/err" "line 5: ts: more than 24h in the future" "year 9999 rejected"
expect_grep "$T/err" "line 6: ts: before 2000-01-01" "1970 rejected"
expect_grep "$T/err" "line 8: desk: contains U\+0000" "raw NUL byte in the desk"
check "nothing stored cut at a NUL" test "$(sqlite3 "$T/n.db" "SELECT group_concat(id) FROM events")" = "t.5"
check "no alert from forged timestamps" test "$(sqlite3 "$T/n.db" "SELECT count(*) FROM alerts")" = "0"
# the margin is configurable
printf '[feeds]\nfuture_margin = 720h\n' >"$T/margin.ini"
future=$(date -u -d '+3 days' +%Y-%m-%dT%H:%M:%SZ)
printf '{"id":"f.1","ts":"%s","type":"arrival","location":{"id":"c"},"desk":"d"}\n' "$future" >"$T/future.jsonl"
run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/n.db" "$T/future.jsonl"
expect_last "$T/out" "imported 0, duplicates 0, rejected 1" "3 days ahead: rejected by default"
run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/n.db" --config "$T/margin.ini" "$T/future.jsonl"
expect_last "$T/out" "imported 1, duplicates 0, rejected 0" "accepted with future_margin = 720h"

# ---- ulimit -f: a write error, not a silent death ----
"$CXM_BIN" demo-day --seed 5 --date 2026-11-20 --days 3 >"$T/big.jsonl"
run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/x.db" "$HFX/formulas.jsonl"
before=$(sqlite3 "$T/x.db" "SELECT count(*) FROM events")
run "$T/out" "$T/err" bash -c "ulimit -f 200; exec \"\$0\" import --db '$T/x.db' '$T/big.jsonl'" "$CXM_BIN"
expect_rc 1 "import over the file-size limit fails with exit 1 (not killed by SIGXFSZ)"
expect_grep "$T/err" "(File too large|file size limit|disk is full|too large)" "the write error is named"
expect_grep "$T/out" "^imported [0-9]+, duplicates [0-9]+, rejected [0-9]+$" "the summary line is printed"
check "what was committed before stays" test "$(sqlite3 "$T/x.db" "SELECT count(*) FROM events")" -ge "$before"
check "the database is intact" test "$(sqlite3 "$T/x.db" "PRAGMA integrity_check")" = "ok"

# ---- configs that are not files, never end, or hide a NUL ----
mkfifo "$T/cfg.fifo"
mkdir "$T/cfgdir"
python3 -c "import sys; open(sys.argv[1],'w').write('[' + 'a' * 300000 + ']\n')" "$T/huge.ini"
printf '[ui]\ntheme = dark\0evil\n' >"$T/nul.ini"
for c in /dev/zero "$T/cfg.fifo" "$T/cfgdir" "$T/huge.ini" "$T/nul.ini"; do
    # (no `ulimit -v` here: the sanitizer build reserves terabytes of address space)
    run "$T/out" "$T/err" timeout 10 "$CXM_BIN" kpi --db "$T/n.db" --config "$c"
    expect_rc 1 "kpi --config $(basename "$c") fails"
done
run "$T/out" "$T/err" timeout 10 "$CXM_BIN" kpi --db "$T/n.db" --config /dev/zero
expect_grep "$T/err" "/dev/zero: not a regular file \(a character device\)" "/dev/zero refused at once"
run "$T/out" "$T/err" timeout 10 "$CXM_BIN" kpi --db "$T/n.db" --config "$T/cfg.fifo"
expect_grep "$T/err" "cfg\.fifo: not a regular file \(a FIFO\)" "a FIFO config refused without blocking"
run "$T/out" "$T/err" "$CXM_BIN" kpi --db "$T/n.db" --config "$T/cfgdir"
expect_grep "$T/err" "cfgdir: not a regular file \(a directory\)" "a directory config named as such"
run "$T/out" "$T/err" "$CXM_BIN" kpi --db "$T/n.db" --config "$T/huge.ini"
expect_grep "$T/err" "huge\.ini:1: (the file is larger than 65536 bytes|line longer)" "a 300 KB one-line config: bounded"
run "$T/out" "$T/err" "$CXM_BIN" kpi --db "$T/n.db" --config "$T/nul.ini"
expect_grep "$T/err" "nul\.ini:2: NUL byte in the line" "a NUL in a config line is an error, not a cut value"

# ---- a theme name is a name; a path must say it is a .theme file ----
printf '[ui]\ntheme = ../../../../etc/passwd\n' >"$T/theme.ini"
run "$T/out" "$T/err" "$CXM_BIN" kpi --db "$T/n.db" --config "$T/theme.ini"
expect_rc 1 "config theme = ../../etc/passwd refused"
expect_grep "$T/err" "theme: '../../../../etc/passwd' is neither a name" "the theme error says what a theme is"
run "$T/out" "$T/err" "$CXM_BIN" --theme ../../../../etc/passwd
expect_rc 2 "--theme ../../etc/passwd is a usage error"
expect_grep "$T/err" "is neither a theme name" "--theme error names the rule"
printf '[ui]\ntheme = ./mine.theme\n' >"$T/theme2.ini"
run "$T/out" "$T/err" "$CXM_BIN" kpi --db "$T/n.db" --config "$T/theme2.ini"
expect_rc 0 "a path ending in .theme with a / is accepted"

# ---- read-only databases: reports work, side files never lock the owner out ----
mkdir "$T/ro"
"$CXM_BIN" import --db "$T/ro/r.db" "$HFX/formulas.jsonl" >/dev/null 2>&1
chmod 444 "$T/ro/r.db"
run "$T/out" "$T/err" "$CXM_BIN" kpi --db "$T/ro/r.db" --format csv
expect_rc 0 "kpi on a 0444 database"
expect_grep "$T/out" "^'-2\+3," "kpi on a 0444 database: the rows"
expect_grep "$T/err" "read-only and its -wal/-shm files cannot be created" "says plainly that the side files cannot be used"
run "$T/out" "$T/err" "$CXM_BIN" alerts --db "$T/ro/r.db" --state all --format json
expect_rc 0 "alerts on a 0444 database"
check "no side files created next to a 0444 database" test ! -e "$T/ro/r.db-wal" -a ! -e "$T/ro/r.db-shm"
chmod 644 "$T/ro/r.db"
run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/ro/r.db" "$CXM_SRC/tests/fixtures/cli/kpi_small.jsonl"
expect_rc 0 "import after chmod 644 works"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
    # a read-only directory, as an ordinary user (root ignores permissions)
    mkdir "$T/rodir"
    cp "$T/ro/r.db" "$T/rodir/r.db"
    sqlite3 "$T/rodir/r.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
    rm -f "$T/rodir/r.db-wal" "$T/rodir/r.db-shm"
    chmod 755 "$T" "$T/rodir"; chmod 644 "$T/rodir/r.db"; chmod 555 "$T/rodir"
    as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
    run "$T/out" "$T/err" as_nobody "$CXM_BIN" kpi --db "$T/rodir/r.db" --by all --format json
    expect_rc 0 "kpi in a read-only directory (another user)"
    expect_grep "$T/out" '"ratings_total": [1-9]' "kpi in a read-only directory: the numbers"
    run "$T/out" "$T/err" as_nobody "$CXM_BIN" alerts --db "$T/rodir/r.db" --state all
    expect_rc 0 "alerts in a read-only directory (another user)"
    chmod 755 "$T/rodir"
    # the owner's own 0444 database: a report must not leave 0444 side files
    # that make the owner's next import fail once they chmod it back
    mkdir "$T/own"
    cp "$T/rodir/r.db" "$T/own/o.db"
    chown -R 65534:65534 "$T/own"
    chmod 444 "$T/own/o.db"
    run "$T/out" "$T/err" as_nobody "$CXM_BIN" kpi --db "$T/own/o.db"
    expect_rc 0 "owner's kpi on their 0444 database"
    check "no side files left behind" test ! -e "$T/own/o.db-wal" -a ! -e "$T/own/o.db-shm"
    chmod 644 "$T/own/o.db"
    run "$T/out" "$T/err" as_nobody "$CXM_BIN" import --db "$T/own/o.db" "$CXM_SRC/tests/fixtures/cli/kpi_small.jsonl"
    expect_rc 0 "the owner's import after chmod 644"
    # side files left 0444 by an older version get the owner's write bit back
    as_nobody sqlite3 "$T/own/o.db" "PRAGMA journal_mode=WAL;" >/dev/null
    as_nobody bash -c ": >'$T/own/o.db-wal'; : >'$T/own/o.db-shm'; chmod 444 '$T/own/o.db-wal' '$T/own/o.db-shm'"
    run "$T/out" "$T/err" as_nobody "$CXM_BIN" import --db "$T/own/o.db" "$HFX/formulas.jsonl"
    expect_rc 0 "import with 0444 side files left behind"
else
    echo "ok   - (read-only directory as another user: needs root and setpriv; skipped)"
fi

finish
