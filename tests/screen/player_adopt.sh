#!/bin/bash
# The lists' play key (issue 8): P on an employee of the dashboard plays the
# main clip of their latest rating at once; Enter on that event afterwards
# opens the detail, whose player panel takes over the clip already playing
# (shown playing, its position running on) instead of showing it stopped or
# starting it again. With untimed pcm output, the file holds the window
# exactly once: opening the detail did not play it a second time.
. "$(dirname "$0")/lib_screen.sh"
: "${CXM_SIM:?CXM_SIM must point at cxm-agent-sim}"
export TZ=UTC-3
DB="$SCR_TMP/p.db"
R="$SCR_TMP/rec"
L='"location": {"id": "clinic-1", "name": "Клиника"}, "employee": {"id": "e1", "name": "Анна"}'
cat >"$SCR_TMP/ev.jsonl" <<JSON
{"id": "p.old", "ts": "2026-11-23T09:30:00+03:00", "type": "rating", $L, "desk": "reg-2", "rating": "super"}
{"id": "p.rating", "ts": "2026-11-23T10:00:50+03:00", "type": "rating", $L, "desk": "reg-2", "visit": "v-1", "rating": "bad"}
JSON
timeout 60 "$CXM_SIM" --events "$SCR_TMP/ev.jsonl" --log "$SCR_TMP/sim.log" --recordings "$R" \
    --rec-minutes 1 --rec-rate 8000 --rate 0 --exit-when-done 2>/dev/null ||
    scr_fail "the sim could not write the recordings"
"$CXM_BIN" import --db "$DB" "$SCR_TMP/ev.jsonl" >/dev/null || scr_fail "import"
mkdir -p "$XDG_CONFIG_HOME/cxm-console"
printf '[recordings]\nroot = %s\n' "$R" >"$XDG_CONFIG_HOME/cxm-console/config.ini"
export CXM_AUDIO_LOG="$SCR_TMP/audio.log"
unset SSH_CONNECTION PULSE_SERVER

to_detail() { # the stream, filtered to p.rating, Enter on it
    scr_stream_row p.rating Enter
    scr_wait_for "Clip windows"
}

# ---- timed output: the clip plays on while the detail opens
export CXM_AUDIO_OUTPUT=null
scr_start 120 40 "$CXM_BIN" --db "$DB" --lang en
scr_keys 1
scr_wait_for "Анна"
for ((i = 0; i < 5; i++)); do # from a group heading down to the employee's row
    scr_keys P
    scr_text | grep -qF "Playing the after_rating clip of p.rating" && break
    scr_keys Down
done
scr_wait_for "Playing the after_rating clip of p.rating"
to_detail
# no key pressed in the detail: the panel shows the clip the dashboard started
scr_wait_for "▶ after_rating  +00:00 +00:0"
scr_text | grep -qF "stopped" && scr_fail "the panel shows the playing clip as stopped"
scr_wait_for "playing"
# its position runs on from where it was (a restart would show +00:00 again)
scr_wait_for "+00:00 +00:03 +00:20" 20
scr_keys Space
scr_wait_for "paused"
scr_keys Q
scr_wait_exit
[ "$SCR_RC" = 0 ] || scr_fail "exit status $SCR_RC"

# ---- untimed pcm output: the window is played once, and the panel adopts
# the finished clip (at its end) rather than starting it again
export CXM_AUDIO_OUTPUT="pcm:$SCR_TMP/played.wav"
scr_start 120 40 "$CXM_BIN" --db "$DB" --lang en
scr_stream_row p.rating P
scr_wait_for "Playing the after_rating clip of p.rating"
scr_wait_size "$SCR_TMP/played.wav" $((20 * 8000 * 2 - 8192)) ||
    scr_fail "the play key played nothing (pcm file stays short)"
scr_keys Enter
scr_wait_for "Clip windows"
scr_wait_for "+00:20 +00:20  at the end"
scr_keys Q
scr_wait_exit
python3 - "$SCR_TMP/played.wav" <<'PY' || scr_fail "the window was not played exactly once"
import sys, struct
b = open(sys.argv[1], "rb").read()
i = b.find(b"data")
n = struct.unpack("<I", b[i + 4:i + 8])[0]
v = struct.unpack("<%dh" % (n // 2), b[i + 8:i + 8 + n])
first = (1795417250 * 8000) & 0xffff            # 2026-11-23T07:00:50Z
assert len(v) == 20 * 8000, len(v)
assert all((v[k] & 0xffff) == (first + k) & 0xffff for k in range(len(v)))
PY
echo "ok"
