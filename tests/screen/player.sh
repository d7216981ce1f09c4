#!/bin/bash
# The player panel in the event detail (DESIGN §6): times relative to the
# event, the level strip from the recordings (written at test time by
# cxm-agent-sim), the player keys, missing seconds marked, the SSH notice,
# the play key of the stream, and no audio-library output on the screen.
# The sound goes where CXM_AUDIO_OUTPUT says: "null" (timed, nowhere) for the
# keys, "pcm:FILE" to check what was played.
. "$(dirname "$0")/lib_screen.sh"
: "${CXM_SIM:?CXM_SIM must point at cxm-agent-sim}"
export TZ=UTC-3
DB="$SCR_TMP/p.db"
R="$SCR_TMP/rec"
L='"location": {"id": "clinic-1", "name": "Клиника"}, "employee": {"id": "e1", "name": "Анна"}'
cat >"$SCR_TMP/ev.jsonl" <<JSON
{"id": "p.rating", "ts": "2026-11-23T10:00:50+03:00", "type": "rating", $L, "desk": "reg-2", "visit": "v-1", "rating": "bad"}
{"id": "p.gap", "ts": "2026-11-23T11:00:10+03:00", "type": "force_majeure", $L, "desk": "reg-3"}
{"id": "p.quiet", "ts": "2026-11-23T10:00:50+03:00", "type": "rating", $L, "desk": "reg-9", "rating": "so_so"}
JSON
timeout 60 "$CXM_SIM" --events "$SCR_TMP/ev.jsonl" --log "$SCR_TMP/sim.log" --recordings "$R" \
    --rec-minutes 1 --rec-rate 8000 --rate 0 --exit-when-done 2>/dev/null ||
    scr_fail "the sim could not write the recordings"
# reg-3 loses the minute before 11:00: its around window [10:59:40, 11:00:40] has a gap
rm -f "$R/reg-3/2026-11-23T10-59-00+0300.wav"
# reg-9: silence with two raised voices (a 440 Hz tone at half scale) at
# 10:00:58-10:01:02 and 10:01:05-10:01:07, i.e. +00:08 and +00:15 after p.quiet
rm -rf "$R/reg-9" && mkdir -p "$R/reg-9"
python3 - "$R/reg-9/2026-11-23T10-00-00+0300.wav" <<'PY' || scr_fail "cannot write reg-9"
import math, struct, sys, wave
rate = 8000
def loud(t):
    return 58 <= t < 62 or 65 <= t < 67
v = [int(16000 * math.sin(2 * math.pi * 440 * k / rate)) if loud(k / rate) else 0
     for k in range(120 * rate)]
w = wave.open(sys.argv[1], "wb")
w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate)
w.writeframes(struct.pack("<%dh" % len(v), *v))
w.close()
PY
"$CXM_BIN" import --db "$DB" "$SCR_TMP/ev.jsonl" >/dev/null || scr_fail "import"
mkdir -p "$XDG_CONFIG_HOME/cxm-console"
printf '[recordings]\nroot = %s\n' "$R" >"$XDG_CONFIG_HOME/cxm-console/config.ini"
export CXM_AUDIO_LOG="$SCR_TMP/audio.log"
export HOME="$SCR_TMP/home"   # the export key writes ~/cxm-clip-ID-KIND.wav
mkdir -p "$HOME"

open_event() { # open_event ID : the stream, filtered to one event, its detail
    scr_stream_row "$1" Enter
    scr_wait_for "Clip windows"
}

check_ramp() { # check_ramp WAV : it holds exactly the after_rating window of p.rating
    python3 - "$1" <<'PY'
import sys, struct
b = open(sys.argv[1], "rb").read()
i = b.find(b"data")
n = struct.unpack("<I", b[i + 4:i + 8])[0]
v = struct.unpack("<%dh" % (n // 2), b[i + 8:i + 8 + n])
first = (1795417250 * 8000) & 0xffff            # 2026-11-23T07:00:50Z
assert len(v) == 20 * 8000, len(v)
assert all((v[k] & 0xffff) == (first + k) & 0xffff for k in range(len(v)))
PY
}

# ---- keys, times relative to the event, level strip
export CXM_AUDIO_OUTPUT=null
unset SSH_CONNECTION PULSE_SERVER
scr_start 120 40 "$CXM_BIN" --db "$DB" --lang en
open_event p.rating
scr_wait_for "after_rating  +00:00 +00:00 +00:20"
s=$(scr_text)
echo "$s" | grep -q '█\{20,\}' || scr_fail "no level strip of full blocks (the ramp is loud)"
echo "$s" | grep -q '^ \^' || scr_fail "the event's moment (^) is not under the strip's start"
scr_keys Space
scr_wait_for "playing"
scr_keys Space
scr_wait_for "paused"
scr_keys Right
scr_wait_for "+00:05 +00:20"
scr_keys Left
scr_wait_for "+00:00 +00:00 +00:20"
scr_keys Up
scr_wait_for "+00:20 +00:20"
scr_keys Down
scr_wait_for "+00:00 +00:00 +00:20"
scr_keys ']'
scr_wait_for "x1.10"
scr_keys BSpace
scr_wait_for "x1.00"
scr_keys '['
scr_wait_for "x0.90"
scr_keys 9
scr_wait_for "vol 95%"
scr_keys 0
scr_wait_for "vol 100%"
scr_keys Right l Right l
s=$(scr_text)
echo "$s" | grep -q 'A' || scr_fail "no A mark"
echo "$s" | grep -Eq '^ *\^? *A +B' || echo "$s" | grep -q 'B' || scr_fail "no B mark"
# no arrival in this visit, so no visit window: the next clip is `around`
scr_keys '>'
scr_wait_for "Clip: around"
scr_wait_for "around  −00:30"
scr_keys w
scr_wait_for "Exported to $HOME/cxm-clip-p.rating-around.wav" 10
[ -s "$HOME/cxm-clip-p.rating-around.wav" ] || scr_fail "the exported file is not there"
# help lists the player keys from the action table
scr_keys '?'
scr_wait_for "Everywhere"
for ((pg = 0; pg < 40; pg++)); do
    scr_text | grep -qF "A-B loop" && break
    scr_keys PageDown
done
scr_text | grep -qF "A-B loop" || scr_fail "help does not list the player's A-B loop"
scr_keys q
scr_keys q
scr_keys Q
scr_wait_exit
[ "$SCR_RC" = 0 ] || scr_fail "exit status $SCR_RC"

# ---- the level strip's jumps: `s` skips the silence, `n` goes to the next
# loud stretch (from the strip: the recording's samples)
scr_start 120 40 "$CXM_BIN" --db "$DB" --lang en
open_event p.quiet
scr_wait_for "after_rating  +00:00 +00:00 +00:20"
scr_keys Space # the first key starts the clip: paused, the position stays put
scr_wait_for "playing"
scr_keys Space
scr_wait_for "paused"
scr_keys s
scr_wait_for "+00:00 +00:08 +00:20"
scr_keys Right
scr_wait_for "+00:00 +00:13 +00:20"
scr_keys n
scr_wait_for "+00:00 +00:15 +00:20"
scr_keys n
scr_wait_for "No louder stretch after this point"
scr_keys Q
scr_wait_exit

# ---- missing seconds: named and marked
scr_start 120 40 "$CXM_BIN" --db "$DB" --lang en
open_event p.gap
scr_wait_for "Not recorded: 23.11.2026 10:59:40 - 11:00:00 +03:00"
scr_text | grep -q '××××' || scr_fail "missing seconds are not marked on the strip"
scr_keys Q
scr_wait_exit

# ---- over SSH: the notice; the stream's play key; what was played
export SSH_CONNECTION="10.0.0.1 5000 10.0.0.2 22" CXM_AUDIO_OUTPUT="pcm:$SCR_TMP/played.wav"
scr_start 120 40 "$CXM_BIN" --db "$DB" --lang en
scr_stream_row p.rating P
scr_wait_for "Sound plays on the host the console runs on"
scr_keys Enter
scr_wait_for "Over SSH: sound plays on the host the console runs on"
# Wait until the window has been played (untimed pcm output: 20 s of 8 kHz
# s16 mono) before quitting finalises the file: mpv writes it through stdio,
# so all but the last buffer (at most 8 KiB) is on disk by then.
scr_wait_size "$SCR_TMP/played.wav" $((20 * 8000 * 2 - 8192)) ||
    scr_fail "the stream's play key played nothing (pcm file stays short)"
scr_keys Q
scr_wait_exit
check_ramp "$SCR_TMP/played.wav" || scr_fail "the stream's play key did not play the after_rating window exactly"

# ---- the vlc backend: the same play key plays the same samples exactly
# (it plays a stream of the window decoded by libsndfile, not VLC's seek)
export CXM_AUDIO_OUTPUT="pcm:$SCR_TMP/vlc.wav"
unset SSH_CONNECTION
scr_start 120 40 "$CXM_BIN" --db "$DB" --lang en --audio-backend vlc
scr_stream_row p.rating P
scr_wait_for "Playing"
scr_keys Enter
scr_wait_for "at the end" 60
scr_keys Q
scr_wait_exit
check_ramp "$SCR_TMP/vlc.wav" || scr_fail "vlc did not play the after_rating window exactly"

# ---- no library output on the screen: an audio output that fails loudly
export CXM_AUDIO_OUTPUT=alsa
unset SSH_CONNECTION
scr_start 120 40 "$CXM_BIN" --db "$DB" --lang en
open_event p.rating
scr_keys Space
scr_wait_for "Audio output failed"
scr_text | grep -Eiq 'ALSA lib|\[ao\]|pcm_|Failed to' && scr_fail "audio library output reached the screen"
scr_keys Q
scr_wait_exit
# the same with vlc, which would otherwise play on in silence
scr_start 120 40 "$CXM_BIN" --db "$DB" --lang en --audio-backend vlc
open_event p.rating
scr_keys Space
scr_wait_for "Audio output failed"
scr_text | grep -Eiq 'ALSA lib|\[ao\]|pcm_|Failed to|vlc|main audio' && scr_fail "audio library output reached the screen (vlc)"
scr_keys Q
scr_wait_exit
echo "ok"
