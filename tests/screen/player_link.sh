#!/bin/bash
# Clip links in the console (issue 8): no recordings folder here, so an event
# whose feed carried an http clip URL plays that URL (a local server,
# tests/http_range.py, serves a WAV of samples that encode their own index);
# the played samples equal the served file. The detail's player panel fetches
# the link whole (slowly served here, so "loading the level strip…" shows),
# then draws its level strip and `w` exports it: the exported WAV holds
# exactly the served samples. A link that answers 404 gives a message in the
# UI language (Russian here) naming the host, not the path.
. "$(dirname "$0")/lib_screen.sh"
export TZ=UTC-3
export HOME="$SCR_TMP/home" # the export key writes ~/cxm-clip-ID-KIND.wav
mkdir -p "$HOME"
DB="$SCR_TMP/l.db"
mkdir -p "$SCR_TMP/www"
python3 - "$SCR_TMP/www/clip.wav" <<'PY'
import sys, wave, struct
w = wave.open(sys.argv[1], "wb")
w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
w.writeframes(b"".join(struct.pack("<H", k & 0xffff) for k in range(20 * 8000)))
w.close()
PY
python3 "$CXM_SRC/tests/http_range.py" --dir "$SCR_TMP/www" --log "$SCR_TMP/srv.log" \
    --port-file "$SCR_TMP/port" --rate 40000 &
SRV=$!
trap 'kill $SRV 2>/dev/null; scr_cleanup' EXIT
for ((i = 0; i < 100; i++)); do [ -s "$SCR_TMP/port" ] && break; sleep 0.1; done
[ -s "$SCR_TMP/port" ] || scr_fail "the HTTP server did not start"
P=$(cat "$SCR_TMP/port")
L='"location": {"id": "clinic-1", "name": "Клиника"}, "employee": {"id": "e1", "name": "Анна"}'
cat >"$SCR_TMP/ev.jsonl" <<JSON
{"id": "l.ok", "ts": "2026-11-23T10:00:50+03:00", "type": "rating", $L, "desk": "reg-2", "rating": "bad", "clip": {"kind": "after_rating", "url": "http://127.0.0.1:$P/clip.wav"}}
{"id": "l.gone", "ts": "2026-11-23T10:05:00+03:00", "type": "rating", $L, "desk": "reg-2", "rating": "bad", "clip": {"kind": "after_rating", "url": "http://127.0.0.1:$P/gone.wav?sig=s3cr3t"}}
JSON
"$CXM_BIN" import --db "$DB" "$SCR_TMP/ev.jsonl" >/dev/null || scr_fail "import"
export CXM_AUDIO_LOG="$SCR_TMP/audio.log"
unset SSH_CONNECTION PULSE_SERVER

play_row() { # play_row ID READY : the stream (READY: its status word) filtered to one event, P on it
    scr_stream_row "$1" P "$2"
}

export CXM_AUDIO_OUTPUT="pcm:$SCR_TMP/played.wav"
scr_start 120 40 "$CXM_BIN" --db "$DB" --lang en
play_row l.ok "[LIVE]"
scr_wait_for "Playing the after_rating clip of l.ok"
scr_wait_size "$SCR_TMP/played.wav" $((20 * 8000 * 2 - 8192)) ||
    scr_fail "the link played nothing (pcm file stays short)"
# the detail's panel: the link (320 kB at 40 kB/s) is fetched for the strip
scr_keys Enter
scr_wait_for "Clip windows"
scr_wait_for "loading the level strip…"
scr_wait_for "████████████████████" 60 # the ramp is loud: full blocks
scr_text | grep -qF "(no level strip" && scr_fail "the link's panel says it has no level strip"
scr_keys w
scr_wait_for "Exported to $HOME/cxm-clip-l.ok-after_rating.wav" 10
scr_keys Q
scr_wait_exit
ls "$XDG_CACHE_HOME"/cxm-console/links/*.clip >/dev/null 2>&1 ||
    scr_fail "the fetched link is not in the cache directory"
python3 - "$HOME/cxm-clip-l.ok-after_rating.wav" <<'PY' || scr_fail "the exported link is not the served samples"
import sys, struct
b = open(sys.argv[1], "rb").read()
assert b[:4] == b"RIFF" and b[8:12] == b"WAVE"
i = b.find(b"fmt ")
ch, rate = struct.unpack("<HI", b[i + 10:i + 16])
assert (ch, rate) == (1, 8000), (ch, rate)
i = b.find(b"data")
n = struct.unpack("<I", b[i + 4:i + 8])[0]
v = struct.unpack("<%dH" % (n // 2), b[i + 8:i + 8 + n])
assert len(v) == 20 * 8000, len(v)
assert all(v[k] == k & 0xffff for k in range(len(v)))
PY
python3 - "$SCR_TMP/played.wav" <<'PY' || scr_fail "the link's samples were not played exactly"
import sys, struct
b = open(sys.argv[1], "rb").read()
i = b.find(b"data")
n = struct.unpack("<I", b[i + 4:i + 8])[0]
v = struct.unpack("<%dH" % (n // 2), b[i + 8:i + 8 + n])
assert len(v) == 20 * 8000, len(v)
assert all(v[k] == k & 0xffff for k in range(len(v)))
PY
grep -q '"path": "/clip.wav"' "$SCR_TMP/srv.log" || scr_fail "the server saw no request for the link"

export CXM_AUDIO_OUTPUT=null
scr_start 120 40 "$CXM_BIN" --db "$DB" --lang ru
play_row l.gone "[ОНЛАЙН]"
scr_wait_for "Ссылка на фрагмент ответила HTTP 404 (http://127.0.0.1:$P)"
scr_text | grep -q 's3cr3t' && scr_fail "the link's query reached the screen"
scr_keys Q
scr_wait_exit
echo "ok"
