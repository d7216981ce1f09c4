#!/usr/bin/env bash
# cxm-agent-sim on its own, checked with curl(1) and python: the SSE framing,
# Last-Event-ID resume, bearer token, TLS, the faults, the log rotation, the
# recordings layout and their self-describing samples, determinism.
# (The feed_*.sh tests check ingest against the sim; this one checks the sim.)
CXM_BIN=${CXM_BIN:-unused}
source "$(dirname "$0")/lib_feed.sh"
feed_deadline 120
S=$CXM_SIM

# count_sse FILE : "<complete messages with data> <distinct ids> <valid JSON events>"
count_sse() {
    python3 - "$1" <<'PY'
import json, sys
raw = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
msgs = raw.split("\n\n")
complete = msgs[:-1]  # the last piece has no blank line after it
n = ids = ok = 0
seen = set()
for m in complete:
    data = [l[6:] for l in m.split("\n") if l.startswith("data: ")]
    mid = [l[4:] for l in m.split("\n") if l.startswith("id: ")]
    if not data:
        continue
    n += 1
    if mid:
        seen.add(mid[0])
    try:
        ev = json.loads(data[0])
        if mid and ev["id"] == mid[0] and ev["type"] and ev["ts"]:
            ok += 1
    except Exception:
        pass
print(n, len(seen), ok)
PY
}

check "--help lists the flags" bash -c "'$S' --help | grep -q -- '--fault-restart'"
"$S" --no-such-flag >/dev/null 2>&1
check "an unknown flag is a usage error (exit 2)" test $? -eq 2
"$S" --count 5 >/dev/null 2>&1
check "nothing to serve is a usage error (exit 2)" test $? -eq 2

# ---- SSE on a Unix socket, backlog and resume
start_sim u --unix "$T/u.sock" --count 30 --rate 0 --seed 4 --sent "$T/u.sent" -v
check "Unix socket appears" wait_for_file "$T/u.sock" 10
curl -sN --max-time 2 --unix-socket "$T/u.sock" -D "$T/u.hdr" http://x/events >"$T/u.body"
check "200 text/event-stream" grep -qi '^content-type: text/event-stream' "$T/u.hdr"
check "chunked by default" grep -qi '^transfer-encoding: chunked' "$T/u.hdr"
check "no Last-Event-ID: the whole backlog, 30 events, ids = data ids" \
    test "$(count_sse "$T/u.body")" = "30 30 30"
third=$(grep '^id: ' "$T/u.body" | sed -n 3p | cut -c5-)
curl -sN --max-time 2 --unix-socket "$T/u.sock" -H "Last-Event-ID: $third" http://x/events >"$T/u2.body"
check "Last-Event-ID: resumes right after it (27 events)" test "$(count_sse "$T/u2.body")" = "27 27 27"
check "the resumed stream starts with the 4th event" \
    test "$(grep '^id: ' "$T/u2.body" | head -n 1)" = "$(grep '^id: ' "$T/u.body" | sed -n 4p)"
curl -s --max-time 2 --unix-socket "$T/u.sock" -o /dev/null -w '%{http_code}' http://x/other >"$T/u.code"
check "another path: 404" test "$(cat "$T/u.code")" = 404
check "--sent: one line per event handed out (30 + 27)" test "$(wc -l <"$T/u.sent")" -eq 57
check "--sent lines are '<id> <µs>'" bash -c "! grep -vqE '^[A-Za-z0-9._:-]+ [0-9]{16}$' '$T/u.sent'"
kill -TERM "$SIM_PID"; wait_exit "$SIM_PID" 5
check "SIGTERM: exit 0 (rc $EXIT_RC)" test "$EXIT_RC" -eq 0
check "SIGTERM: summary line" grep -q 'cxm-agent-sim: generated 30, sent 57' "$T/u.err"

# ---- token, 503s, close-delimited, retry
printf 'tok-1\n' >"$T/tok"
start_sim t --unix "$T/t.sock" --count 3 --rate 0 --token "$T/tok" --fault-status 503:1 \
    --no-chunked --retry 1234
wait_for_file "$T/t.sock" 10
code() { curl -s --max-time 2 --unix-socket "$T/t.sock" -o "$T/t.body" -D "$T/t.hdr" -w '%{http_code}' "$@" http://x/events; }
check "first request: 503 (--fault-status)" test "$(code -H 'Authorization: Bearer tok-1')" = 503
check "no token: 401" test "$(code)" = 401
check "wrong token: 401" test "$(code -H 'Authorization: Bearer tok-2')" = 401
check "right token: 200" test "$(code -H 'Authorization: Bearer tok-1')" = 200
check "--no-chunked: close-delimited" bash -c "! grep -qi '^transfer-encoding' '$T/t.hdr'"
check "retry: at the start of the stream" test "$(head -n 1 "$T/t.body")" = "retry: 1234"
check "3 events" test "$(count_sse "$T/t.body")" = "3 3 3"

# ---- drop mid-message, malformed, repeat (one client, no reconnect)
start_sim f --unix "$T/f.sock" --count 20 --rate 0 --fault-drop 10 --fault-malformed 3 --fault-repeat 4
wait_for_file "$T/f.sock" 10
curl -sN --max-time 3 --unix-socket "$T/f.sock" http://x/events >"$T/f.body"
# 10 events, 3 malformed (after 3, 6, 9), 2 repeats (after 4, 8), then half of the 11th
read -r nmsg nids nok <<<"$(count_sse "$T/f.body")"
check "drop: 10 events then the connection closes mid-message" test "$nok" -eq 12
check "malformed: 3 extra messages that are not valid events" test $((nmsg - nok)) -eq 3
check "repeat: 2 events sent twice (12 valid, 10 distinct)" test "$nids" -eq 10
check "drop: the stream ends inside a message" bash -c "tail -c 200 '$T/f.body' | tail -n 1 | grep -q ."

# ---- TLS on TCP, ephemeral port
check "CA made by openssl" make_ca "$T/pki"
start_sim tls --tcp 127.0.0.1:0 --port-file "$T/port" --tls-cert "$T/pki/server.pem" \
    --tls-key "$T/pki/server.key" --count 5 --rate 0
check "port file written" wait_for_file "$T/port" 10
P=$(cat "$T/port")
curl -sN --max-time 2 "https://127.0.0.1:$P/events" >/dev/null 2>&1
check "TLS: an unknown CA fails verification (curl 60)" test $? -eq 60
curl -sN --max-time 2 --cacert "$T/pki/ca.pem" "https://localhost:$P/events" >"$T/tls.body"
check "TLS: with the CA, 5 events" test "$(count_sse "$T/tls.body")" = "5 5 5"

# ---- log: rotation and copytruncate
"$S" --log "$T/a.log" --count 35 --rate 0 --rotate-every 10 --truncate-every 16 --log-grace 0 \
    --exit-when-done 2>"$T/log.err"
check "log: exit 0 when done" test $? -eq 0
check "log: 3 rotations, 2 truncations" grep -q 'rotations 3, truncations 2' "$T/log.err"
# 30: rotated (FILE.1 = lines 21-30); 32: copytruncate copies 31-32 over it; 33-35 stay
check "log: FILE.1 holds the last copytruncate (2 lines)" test "$(wc -l <"$T/a.log.1")" -eq 2
check "log: FILE holds the 3 lines after it" test "$(wc -l <"$T/a.log")" -eq 3

# ---- determinism and recordings
"$S" --log "$T/d1.log" --count 200 --rate 0 --seed 8 --date 2026-11-23 --recordings "$T/rec" \
    --rec-minutes 5 --rec-rate 1000 --exit-when-done 2>/dev/null
"$S" --log "$T/d2.log" --count 200 --rate 0 --seed 8 --date 2026-11-23 --rec-minutes 5 --exit-when-done 2>/dev/null
"$S" --log "$T/d3.log" --count 200 --rate 0 --seed 9 --date 2026-11-23 --exit-when-done 2>/dev/null
check "same seed and date: the same 200 lines" cmp -s "$T/d1.log" "$T/d2.log"
check "another seed: other ids" bash -c "! cmp -s '$T/d1.log' '$T/d3.log'"
check "every line parses as JSON with id/ts/type" python3 -c '
import json, sys
n = sum(1 for l in open(sys.argv[1]) if all(k in json.loads(l) for k in ("id", "ts", "type")))
sys.exit(n != 200)' "$T/d1.log"
python3 - "$T/d1.log" "$T/rec" >"$T/rec.txt" 2>&1 <<'PY'
import json, os, sys, wave, struct, datetime
log, root = sys.argv[1], sys.argv[2]
bad = []
files = 0
for d in sorted(os.listdir(root)):
    for f in sorted(os.listdir(os.path.join(root, d))):
        files += 1
        # name = local start time; TZ=UTC-3 in the tests
        t = datetime.datetime.strptime(f[:-4], "%Y-%m-%dT%H-%M-%S%z").timestamp()
        w = wave.open(os.path.join(root, d, f))
        if (w.getnchannels(), w.getsampwidth(), w.getframerate()) != (1, 2, 1000):
            bad.append(f + ": format")
        if w.getnframes() != 5 * 60 * 1000:
            bad.append(f + ": length")
        first = struct.unpack("<1000h", w.readframes(1000))
        w.setpos(w.getnframes() - 1)
        last = struct.unpack("<h", w.readframes(1))[0]
        k0 = int(t) * 1000
        want = [((k0 + i) & 0xFFFF) - (0x10000 if (k0 + i) & 0x8000 else 0) for i in range(1000)]
        if list(first) != want:
            bad.append(f + ": samples do not encode their index")
        kl = k0 + w.getnframes() - 1
        if last != (kl & 0xFFFF) - (0x10000 if kl & 0x8000 else 0):
            bad.append(f + ": last sample")
clips = 0
for l in open(log):
    e = json.loads(l)
    if e["type"] == "clip":
        clips += 1
        if not os.path.exists(os.path.join(root, e["clip"]["url"])):
            bad.append("clip url missing: " + e["clip"]["url"])
    if e.get("desk"):
        ts = datetime.datetime.fromisoformat(e["ts"]).timestamp()
        start = int(ts) // 300 * 300  # UTC-3: 5-minute slots align in UTC too
        name = datetime.datetime.fromtimestamp(start).astimezone().strftime("%Y-%m-%dT%H-%M-%S%z")
        if not os.path.exists(os.path.join(root, e["desk"], name + ".wav")):
            bad.append("no recording for " + e["id"])
print(files, clips, len(bad))
for b in bad[:10]:
    print(b)
PY
read -r nfiles nclips nbad <"$T/rec.txt"
echo "# recordings: $nfiles files, $nclips clip events"
check "recordings: written, every event covered, clip urls exist, samples = their index" \
    test "${nfiles:-0}" -gt 0 -a "${nclips:-0}" -gt 0 -a "${nbad:-1}" -eq 0
[ "${nbad:-1}" -eq 0 ] || sed 's/^/    /' "$T/rec.txt"

# ---- --exit-when-done waits for a client
start_sim w --unix "$T/w.sock" --count 10 --rate 100 --exit-when-done
wait_for_file "$T/w.sock" 10
sleep 0.5
check "exit-when-done: still running with no client" kill -0 "$SIM_PID"
curl -sN --max-time 5 --unix-socket "$T/w.sock" http://x/events >"$T/w.body"
wait_exit "$SIM_PID" 5
check "exit-when-done: exit 0 once the client has everything (rc $EXIT_RC)" test "$EXIT_RC" -eq 0
check "exit-when-done: the client got all 10" test "$(count_sse "$T/w.body")" = "10 10 10"
finish
