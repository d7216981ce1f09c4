# Forwarding alerts to Telegram (issue 9) against a local stub of the Bot API
# (tg_stub.py, http on 127.0.0.1): two ingest processes on one database post
# each alert exactly once; alerts older than max_age are held back; names with
# < > & " and control characters arrive escaped; 429 waits retry_after; 5xx is
# retried; migrate_to_chat_id is followed; 401 stops forwarding, said once; a
# token file others can read is refused and the token never printed.
. "$(dirname "$0")/lib_feed.sh"
feed_deadline 120
STUB="$CXM_SRC/tests/integration/tg_stub.py"
TOKEN="123456:test-token-DO-NOT-PRINT"
printf '%s\n' "$TOKEN" >"$T/token"
chmod 600 "$T/token"
: >"$T/empty.log"

# start_stub NAME REPLY... : the stub; its port in $PORT, its log $T/NAME.jsonl
start_stub() {
    local name=$1; shift
    python3 "$STUB" "$T/$name.port" "$T/$name.jsonl" "$TOKEN" "$@" 2>"$T/$name-stub.err" &
    CHILDREN+=($!)
    wait_for_file "$T/$name.port" 10 || bad "stub $name did not start"
    PORT=$(cat "$T/$name.port")
    : >>"$T/$name.jsonl"
}
config() { # config NAME PORT [max_age]
    cat >"$T/$1.ini" <<INI
[telegram]
token_file = $T/token
chat_id = -1001234567890
api_base = http://127.0.0.1:$2
max_age = ${3:-1h}
[alert.negative-streak]
title_en = Negative streak
title_ru = Серия негатива
INI
}
# events NAME LOC_ID LOC_NAME MINUTES_AGO : three bad ratings (one alert)
events() {
    python3 - "$@" >>"$T/$1.jsonl.in" <<'PY'
import json, sys, time, datetime
name, loc, lname, ago = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
t0 = time.time() - ago * 60
for i in range(3):
    ts = datetime.datetime.fromtimestamp(t0 + i * 30, datetime.timezone.utc).isoformat(timespec="milliseconds")
    print(json.dumps({"id": "%s-%s-%d" % (name, loc, i), "ts": ts, "type": "rating",
                      "location": {"id": loc, "name": lname}, "desk": "reg-1",
                      "employee": {"id": "e1", "name": "Anna"}, "rating": "bad"}, ensure_ascii=False))
PY
}
posts() { # posts LOG [STATUS] : requests logged (with that status)
    python3 -c "import json,sys; print(sum(1 for l in open(sys.argv[1]) if l.strip() and (len(sys.argv) < 3 or json.loads(l)['status'] == int(sys.argv[2]))))" "$@"
}
wait_posts() { # wait_posts LOG N SECS [STATUS]
    local end=$((SECONDS + $3))
    while [ "$SECONDS" -lt "$end" ]; do
        [ "$(posts "$1" ${4:-})" -ge "$2" ] && return 0
        sleep 0.1
    done
    return 1
}

# ---- exactly once across two ingest processes; max_age; escaping ----
start_stub once
config once "$PORT"
events once clinic-1 'Clinic <b>&"Co"'$'\a' 5
events once station-7 'АЗС №7' 4
events once old-1 'Old place' 180
DB="$T/once.db"
"$CXM_BIN" import --db "$DB" --config "$T/once.ini" "$T/once.jsonl.in" >/dev/null 2>"$T/import.err" || bad "import"
start_ingest ing1 "$DB" --config "$T/once.ini" --agent-log "$T/empty.log" --status-interval 0.3
P1=$INGEST_PID
start_ingest ing2 "$DB" --config "$T/once.ini" --agent-log "$T/empty.log" --status-interval 0.3
P2=$INGEST_PID
wait_posts "$T/once.jsonl" 2 20 && ok "the two recent alerts reach the chat" || bad "posts: $(posts "$T/once.jsonl")"
# both forwarders idle with nothing left to claim: the count is final
idle_both() { grep -q 'telegram state="idle"' "$T/ing1.out" && grep -q 'telegram state="idle"' "$T/ing2.out"; }
end=$((SECONDS + 10)); while [ "$SECONDS" -lt "$end" ] && ! idle_both; do sleep 0.1; done
# one more import while both run: a new alert, posted once too
events once depot-3 'Depot' 1
"$CXM_BIN" import --db "$DB" --config "$T/once.ini" "$T/once.jsonl.in" >/dev/null 2>>"$T/import.err"
wait_posts "$T/once.jsonl" 3 20 || bad "the alert raised while both run was not posted"
n_pending() { sqlite3 -cmd '.timeout 5000' "$DB" "SELECT count(*) FROM alerts WHERE tg_state < 2"; }
end=$((SECONDS + 10)); while [ "$SECONDS" -lt "$end" ] && [ "$(n_pending)" != 0 ]; do sleep 0.1; done
kill -USR1 "$P1" "$P2"
wait_grep "$T/ing1.out" 'sent=' 5
if [ "$(posts "$T/once.jsonl")" = 3 ]; then ok "three alerts, three posts (no alert twice across two processes)"; else
    bad "$(posts "$T/once.jsonl") posts for 3 alerts"; cat "$T/once.jsonl" | cut -c1-300; fi
check "each alert's text is posted once" python3 - "$T/once.jsonl" <<'PY'
import json, sys
texts = [json.loads(l)['body']['text'] for l in open(sys.argv[1]) if l.strip()]
sys.exit(0 if len(texts) == len(set(texts)) == 3 else 1)
PY
check "sent in the database: all three, and the 3-hour-old alert held back by max_age" \
    test "$(sqlite3 -cmd '.timeout 5000' "$DB" "SELECT group_concat(scope_key || '=' || tg_state, ' ') FROM (SELECT scope_key, tg_state FROM alerts ORDER BY scope_key)")" = "clinic-1=2 depot-3=2 old-1=3 station-7=2"
check "HTML mode, chat id, rule title; < > & \" escaped and the BEL made visible" python3 - "$T/once.jsonl" <<'PY'
import json, sys
b = [json.loads(l)['body'] for l in open(sys.argv[1]) if l.strip()]
c = [x for x in b if 'Clinic' in x['text']][0]
t = c['text']
ok = (c['parse_mode'] == 'HTML' and c['chat_id'] == -1001234567890 and '<b>Negative streak</b>' in t
      and 'Clinic &lt;b&gt;&amp;&quot;Co&quot;^G' in t and '\a' not in t and len(t) <= 4096
      and 'Old place' not in ''.join(x['text'] for x in b))
if not ok: print('    |', t)
sys.exit(0 if ok else 1)
PY
check "the token is in the request path, never in what the processes printed" \
    sh -c "python3 -c \"import json,sys; sys.exit(0 if all(json.loads(l)['path_ok'] for l in open(sys.argv[1])) else 1)\" '$T/once.jsonl' && ! grep -q 'DO-NOT-PRINT' '$T/ing1.out' '$T/ing2.out' '$T/ing1.err' '$T/ing2.err'"

# ---- 429 retry_after, then 5xx twice, then ok: one message ----
start_stub retry 429:1 500 502
config retry "$PORT"
events retry clinic-1 'Clinic' 2
"$CXM_BIN" import --db "$T/retry.db" --config "$T/retry.ini" "$T/retry.jsonl.in" >/dev/null 2>&1
start_ingest ingr "$T/retry.db" --config "$T/retry.ini" --agent-log "$T/empty.log"
wait_posts "$T/retry.jsonl" 1 30 200 && ok "delivered after 429 and two 5xx" || bad "not delivered after retries"
check "four requests: 429, 500, 502, 200, the second at least retry_after (1 s) after the first" python3 - "$T/retry.jsonl" <<'PY'
import json, sys
r = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ok = [x['status'] for x in r] == [429, 500, 502, 200] and r[1]['t'] - r[0]['t'] >= 0.95
if not ok: print('    |', [(x['status'], round(x['t'] - r[0]['t'], 2)) for x in r])
sys.exit(0 if ok else 1)
PY
wait_grep "$T/ingr.err" "too many requests; waiting 1 s" 5 && ok "the 429 wait is logged" || bad "no 429 log line"

# ---- migrate_to_chat_id ----
start_stub mig 400migrate:-1009999
config mig "$PORT"
events mig clinic-1 'Clinic' 2
"$CXM_BIN" import --db "$T/mig.db" --config "$T/mig.ini" "$T/mig.jsonl.in" >/dev/null 2>&1
start_ingest ingm "$T/mig.db" --config "$T/mig.ini" --agent-log "$T/empty.log"
wait_posts "$T/mig.jsonl" 1 20 200 || bad "not delivered after the migration"
check "the retry goes to the new chat id" python3 -c "import json,sys; r=[json.loads(l) for l in open(sys.argv[1]) if l.strip()]; sys.exit(0 if [x['body']['chat_id'] for x in r] == [-1001234567890, -1009999] else 1)" "$T/mig.jsonl"

# ---- send_clip: the first event's clip as a voice message, once across two
# processes, after a 429 on the upload; a rate Opus cannot carry goes as the
# exact WAV document ----
clip_case() { # clip_case NAME REC_RATE REPLY... : events and recordings, two ingests
    local name=$1 rate=$2; shift 2
    start_stub "$name" "$@"
    config "$name" "$PORT"
    printf 'send_clip = yes\n[recordings]\nroot = %s\n' "$T/$name-rec" >>"$T/$name.ini"
    # the [telegram] keys must stay in their section: move send_clip up
    python3 - "$T/$name.ini" <<'PY'
import sys
p = sys.argv[1]
l = open(p).read().split("\n")
l.remove("send_clip = yes")
l.insert(1, "send_clip = yes")
open(p, "w").write("\n".join(l))
PY
    events "$name" clinic-1 'Clinic' 3
    timeout 30 "$CXM_SIM" --events "$T/$name.jsonl.in" --log "$T/$name-sim.log" --recordings "$T/$name-rec" \
        --rec-minutes 1 --rec-rate "$rate" --rate 0 --exit-when-done 2>"$T/$name-sim.err" || bad "sim recordings ($name)"
    "$CXM_BIN" import --db "$T/$name.db" --config "$T/$name.ini" "$T/$name.jsonl.in" >/dev/null 2>&1 || bad "import ($name)"
    start_ingest "${name}1" "$T/$name.db" --config "$T/$name.ini" --agent-log "$T/empty.log" --status-interval 0.3
    start_ingest "${name}2" "$T/$name.db" --config "$T/$name.ini" --agent-log "$T/empty.log" --status-interval 0.3
}
# The rating's main clip is after_rating: 20 s from the first rating.
clip_case voice 8000 ok 429:1
wait_posts "$T/voice.jsonl" 2 30 200 && ok "message and voice delivered" || bad "voice: $(posts "$T/voice.jsonl" 200) delivered"
end=$((SECONDS + 10))
while [ "$SECONDS" -lt "$end" ] && [ "$(sqlite3 -cmd '.timeout 5000' "$T/voice.db" "SELECT tg_state FROM alerts")" != 2 ]; do sleep 0.1; done
idle2() { grep -q 'telegram state="idle"' "$T/voice1.out" && grep -q 'telegram state="idle"' "$T/voice2.out"; }
end=$((SECONDS + 10)); while [ "$SECONDS" -lt "$end" ] && ! idle2; do sleep 0.1; done
check "sendMessage once, then sendVoice (429, retried after retry_after, then 200): nothing twice across two processes" python3 - "$T/voice.jsonl" <<'PY'
import json, sys
r = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
got = [(x['method'], x['status']) for x in r]
ok = got == [('sendMessage', 200), ('sendVoice', 429), ('sendVoice', 200)] and r[2]['t'] - r[1]['t'] >= 0.95
if not ok: print('    |', got)
sys.exit(0 if ok else 1)
PY
check "the voice: multipart with chat_id, caption, duration 20, clip.ogg as audio/ogg that decodes as Ogg/Opus, 8 kHz mono, 20 s" python3 - "$T/voice.jsonl" <<'PY'
import json, sys
b = [json.loads(l) for l in open(sys.argv[1]) if l.strip()][-1]['body']
v = b.get('voice', {})
d = v.get('decoded', {})
ok = (b.get('chat_id') == '-1001234567890' and b.get('parse_mode') == 'HTML' and b.get('duration') == '20'
      and b.get('caption', '').startswith('<b>#1</b> after_rating reg-1, ')
      and v.get('filename') == 'clip.ogg' and v.get('content_type') == 'audio/ogg'
      and d.get('major') == 0x200000 and d.get('subtype') == 0x64   # SF_FORMAT_OGG | SF_FORMAT_OPUS
      and d.get('rate') == 8000 and d.get('channels') == 1
      and abs(d.get('frames', 0) - 20 * 8000) <= 8000 * 0.02)      # within one Opus frame
if not ok: print('    |', b)
sys.exit(0 if ok else 1)
PY
clip_case doc 11025
wait_posts "$T/doc.jsonl" 2 30 200 && ok "message and document delivered" || bad "doc: $(posts "$T/doc.jsonl" 200) delivered"
check "11025 Hz (Opus cannot): sendDocument with the exact WAV, 20 s" python3 - "$T/doc.jsonl" <<'PY'
import json, sys
r = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
b = r[-1]['body']
v = b.get('document', {})
d = v.get('decoded', {})
ok = ([x['method'] for x in r] == ['sendMessage', 'sendDocument'] and v.get('filename') == 'clip.wav'
      and v.get('content_type') == 'audio/wav' and d.get('major') == 0x010000 and d.get('subtype') == 2
      and d.get('rate') == 11025 and d.get('frames') == 20 * 11025)
if not ok: print('    |', [x['method'] for x in r], b)
sys.exit(0 if ok else 1)
PY

# ---- 401 stops, said once ----
start_stub unauth 401
config unauth "$PORT"
events unauth clinic-1 'Clinic' 2
events unauth station-7 'Station' 2
"$CXM_BIN" import --db "$T/u.db" --config "$T/unauth.ini" "$T/unauth.jsonl.in" >/dev/null 2>&1
start_ingest ingu "$T/u.db" --config "$T/unauth.ini" --agent-log "$T/empty.log" --status-interval 0.3
wait_grep "$T/ingu.err" "HTTP 401: Unauthorized; forwarding stopped" 20 && ok "401: stopped, with the reason" || bad "no stop on 401"
wait_grep "$T/ingu.out" 'telegram state="stopped: HTTP 401' 5 && ok "the status says stopped" || bad "status"
n1=$(posts "$T/unauth.jsonl")
wait_grep "$T/ingu.out" 'loop wakeups' 5; : >"$T/ingu.out"; wait_grep "$T/ingu.out" 'loop wakeups' 5
check "one request only: the second alert is not tried after 401" test "$n1" = 1 -a "$(posts "$T/unauth.jsonl")" = 1
check "the stop is said once" test "$(grep -c 'forwarding stopped' "$T/ingu.err")" = 1

# ---- a token file others can read is refused ----
chmod 644 "$T/token"
run_out=$("$CXM_BIN" ingest --db "$T/u.db" --config "$T/unauth.ini" --agent-log "$T/empty.log" 2>&1)
rc=$?
check "token file readable by others: refused (exit 1), the token not printed" \
    sh -c "[ $rc = 1 ] && printf '%s' \"\$1\" | grep -q 'accessible by group/others' && ! printf '%s' \"\$1\" | grep -q DO-NOT-PRINT" _ "$run_out"
finish
