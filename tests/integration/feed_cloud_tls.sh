#!/usr/bin/env bash
# Issue 3: the cloud feed over HTTPS with a CA made at test time.
#  - without --ca-file: TLS verification fails -> state failed, the reason
#    in the status, and no retry;
#  - with --ca-file: every event arrives;
#  - a token file with mode 0644 is refused, saying why, before any request;
#  - a wrong token -> 401 -> failed, no retry.
source "$(dirname "$0")/lib_feed.sh"
feed_deadline 150
N=500
check "CA and server certificate made by openssl" make_ca "$T/pki"
printf 'cloud-secret-7f3a\n' >"$T/token"
chmod 600 "$T/token"

start_sim cloud --tcp 127.0.0.1:0 --port-file "$T/port" --tls-cert "$T/pki/server.pem" \
    --tls-key "$T/pki/server.key" --token "$T/token" --count $N --rate 0 --seed 11 \
    --sent "$T/sent.txt" --ping 1 -v
check "sim listens on an ephemeral port" wait_for_file "$T/port" 10
URL="https://127.0.0.1:$(cat "$T/port")/events"
handshakes() { grep -c 'TLS handshake failed' "$T/cloud.err"; }
requests() { grep -c 'GET /events' "$T/cloud.err"; }
unauthorized() { grep -c -- '-> 401' "$T/cloud.err"; }

# ---- 1. no --ca-file: the test CA is unknown, verification must fail
start_ingest noca "$T/noca.db" --cloud "$URL" --token-file "$T/token"
check "no CA: the handshake is refused" wait_grep "$T/cloud.err" 'TLS handshake failed' 30
sleep 4 # several backoff periods: a retry would show as a second handshake
check "no CA: exactly one TLS handshake attempt (no retry): $(handshakes)" test "$(handshakes)" -eq 1
check "no CA: nothing stored" test "$(db_count "$T/noca.db")" -le 0
if status_now "$INGEST_PID" noca; then
    sed 's/^/# status: /' "$T/status.txt"
    check "no CA: state failed" grep -q 'state=failed' "$T/status.txt"
    check "no CA: the status names the TLS verification error" \
        grep -qiE 'error="[^"]*(certificate|verif|SSL|TLS)' "$T/status.txt"
else
    bad "no CA: ingest printed no status line"
fi
check "no CA: state failed, not retrying" bash -c "! grep -q 'state=retrying' '$T/status.txt'"
check "no CA: the token never appears in the output" \
    bash -c "! grep -q cloud-secret-7f3a '$T/noca.out' '$T/noca.err'"
kill -TERM "$INGEST_PID" 2>/dev/null
wait_exit "$INGEST_PID" 20

# ---- 2. with --ca-file: works
start_ingest ca "$T/ca.db" --cloud "$URL" --token-file "$T/token" --ca-file "$T/pki/ca.pem"
ing=$INGEST_PID
check "with the CA: $N events stored" wait_count "$T/ca.db" $N 30
wait_stable "$T/ca.db" 5
check "with the CA: exactly $N" test "$(db_count "$T/ca.db")" -eq $N
sent_ids "$T/sent.txt" >"$T/sent.ids"
same_ids "$T/ca.db" "$T/sent.ids" "with the CA: stored == sent"
if ingest_status "$ing" "$T/ca.out"; then
    sed 's/^/# status: /' "$T/status.txt"
    check "with the CA: state connected" grep -q 'state=connected' "$T/status.txt"
    check "with the CA: received $N" test "$(status_field cloud received)" = $N
else
    bad "with the CA: no status line on SIGUSR1"
fi
check "the token never appears in the output" \
    bash -c "! grep -q cloud-secret-7f3a '$T/ca.out' '$T/ca.err'"
kill -TERM "$ing"
wait_exit "$ing" 20
check "with the CA: exit 0 on SIGTERM (rc $EXIT_RC)" test "$EXIT_RC" -eq 0

# ---- 3. a token file readable by others is refused, saying why
cp "$T/token" "$T/token644"
chmod 644 "$T/token644"
before=$(requests)
start_ingest perm "$T/perm.db" --cloud "$URL" --token-file "$T/token644" --ca-file "$T/pki/ca.pem"
# it stops (every source failed) or stays up with the source failed: either
# way it must say why and never connect
wait_exit "$INGEST_PID" 10
status_now "$INGEST_PID" perm
sed 's/^/# status: /' "$T/status.txt"
check "token 0644: the message says why" \
    grep -qiE 'group|world|readable|permission|mode|0644|0600' "$T/perm.out" "$T/perm.err"
check "token 0644: no request made with it" test "$(requests)" -eq "$before"
check "token 0644: nothing stored" test "$(db_count "$T/perm.db")" -le 0
kill -TERM "$INGEST_PID" 2>/dev/null
wait_exit "$INGEST_PID" 20

# ---- 4. a wrong token: 401, failed, not retried
printf 'wrong-token\n' >"$T/badtoken"
chmod 600 "$T/badtoken"
before=$(unauthorized)
start_ingest badtok "$T/badtok.db" --cloud "$URL" --token-file "$T/badtoken" --ca-file "$T/pki/ca.pem"
check "wrong token: answered 401" wait_grep "$T/cloud.err" "^cxm-agent-sim: -> 401" 30
sleep 4 # a retry would show as a second 401
check "wrong token: exactly one 401 (no retry): $(( $(unauthorized) - before ))" \
    test "$(( $(unauthorized) - before ))" -eq 1
if status_now "$INGEST_PID" badtok; then
    sed 's/^/# status: /' "$T/status.txt"
    check "wrong token: state failed" grep -q 'state=failed' "$T/status.txt"
    check "wrong token: the status says 401" grep -qE '401|[Uu]nauthori' "$T/status.txt"
else
    bad "wrong token: no status line on SIGUSR1"
fi
check "wrong token: nothing stored" test "$(db_count "$T/badtok.db")" -le 0
finish
