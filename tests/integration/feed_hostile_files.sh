#!/usr/bin/env bash
# Issue 11: files handed to `ingest` that are not what they claim.
#  - a FIFO as --token-file or --config is refused at once (it used to block
#    in open() with SIGINT/SIGTERM blocked: only SIGKILL stopped ingest);
#  - a token file owned by another user, or reached through a symbolic link
#    someone else owns, is refused (as ssh does), even when run as root;
#  - a two-line token file: the token is the first line (the man page's word);
#  - SIGTERM still ends ingest promptly while start-up is refusing files.
source "$(dirname "$0")/lib_feed.sh"
feed_deadline 120
# Nothing listens here: these checks happen before any connection.
URL="https://127.0.0.1:9/events"

# ---- a FIFO as the token file ----
mkfifo "$T/token.fifo"
start_ingest fifo "$T/fifo.db" --cloud "$URL" --token-file "$T/token.fifo"
check "FIFO token: refused, saying it is not a regular file" \
    wait_grep "$T/fifo.err" "token\.fifo: not a regular file \(a FIFO\)" 10
kill -TERM "$INGEST_PID" 2>/dev/null
check "FIFO token: SIGTERM ends ingest" wait_exit "$INGEST_PID" 10

# ---- a FIFO as the config ----
mkfifo "$T/config.fifo"
start_ingest cfifo "$T/cfifo.db" --config "$T/config.fifo" --cloud "$URL" --token-file "$T/token.fifo"
check "FIFO config: ingest exits by itself" wait_exit "$INGEST_PID" 10
check "FIFO config: exit 1 (rc $EXIT_RC)" test "$EXIT_RC" -eq 1
check "FIFO config: the reason is given" grep -q "config\.fifo: not a regular file (a FIFO)" "$T/cfifo.err"
check "FIFO config: /dev/zero as the config is refused too" \
    bash -c "timeout 10 '$CXM_BIN' ingest --config /dev/zero --db '$T/z.db' 2>&1 | grep -q 'not a regular file'"

# ---- owners: the token must be yours or root's ----
printf 'sekret-1\n' >"$T/token"
chmod 600 "$T/token"
if [ "$(id -u)" -eq 0 ]; then
    cp "$T/token" "$T/token.nobody"
    chown 65534 "$T/token.nobody"
    start_ingest owner "$T/owner.db" --cloud "$URL" --token-file "$T/token.nobody"
    check "token owned by another user: refused" wait_grep "$T/owner.err" "token\.nobody is owned by uid 65534" 10
    kill -TERM "$INGEST_PID" 2>/dev/null
    wait_exit "$INGEST_PID" 10
    ln -s "$T/token.nobody" "$T/token.link"
    start_ingest link "$T/link.db" --cloud "$URL" --token-file "$T/token.link"
    check "symlink to another user's token: refused" wait_grep "$T/link.err" "token\.link is owned by uid 65534" 10
    kill -TERM "$INGEST_PID" 2>/dev/null
    wait_exit "$INGEST_PID" 10
    ln -s "$T/token" "$T/token.planted"
    chown -h 65534 "$T/token.planted"
    start_ingest planted "$T/planted.db" --cloud "$URL" --token-file "$T/token.planted"
    check "a link another user owns, to our own token: refused" \
        wait_grep "$T/planted.err" "token\.planted is a symbolic link owned by uid 65534" 10
    kill -TERM "$INGEST_PID" 2>/dev/null
    wait_exit "$INGEST_PID" 10
else
    echo "ok   - (not root: the other-owner cases need chown; skipped)"
fi

# ---- a two-line token: the first line is the token ----
printf 'sekret-2\n# rotated 2026-11-01\n' >"$T/token2"
chmod 600 "$T/token2"
start_ingest two "$T/two.db" --cloud "$URL" --token-file "$T/token2"
# the token is fine: the source goes on to connect (and fails to: nobody listens)
check "two-line token: accepted, the source tries to connect" \
    wait_grep "$T/two.out" "state=(connecting|retrying)" 15
check "two-line token: not refused" bash -c "! grep -q 'token file' '$T/two.err'"
check "two-line token: never printed" bash -c "! grep -q sekret-2 '$T/two.out' '$T/two.err'"
kill -TERM "$INGEST_PID" 2>/dev/null
check "two-line token: SIGTERM ends ingest" wait_exit "$INGEST_PID" 10
finish
