#!/usr/bin/env bash
# The mpv command-line player on the same window as bench_audio (figures, not
# a test): wall time of `mpv --start --end` from exec to exit for the 60 s
# window in the middle of the 12-hour FLAC, audio to ao=null untimed (so it
# measures start-up + open + seek + decode, an upper bound of its first audio).
# mpv(1) is installed here for the benchmark only. Then the console on a pty:
# key-to-frame latency while a clip plays (bench_tui_pty --play).
set -u
build=${1:-build}
b="$build/tests/bench_audio"
[ -x "$b" ] || b="$build/bench_audio"
if ! command -v mpv >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends mpv >/dev/null 2>&1 ||
        { echo "mpv CLI not installable: skipped"; exit 0; }
fi
dir=${CXM_BENCH_DIR:-/tmp/cxm-bench-audio}
# make sure the recording exists (bench_audio writes it once)
out=$(CXM_BENCH_DIR=$dir "$b" 2>/dev/null) || { echo "bench_audio failed"; exit 1; }
echo "$out"
line=$(echo "$out" | grep '^BENCH_WINDOW')
set -- $line
file=$2 start=$3 end=$4
for i in 1 2 3; do
    t0=$(date +%s%N)
    mpv --no-config --really-quiet --no-video --ao=null --ao-null-untimed=yes \
        --start="$start" --end="$(echo "$start + 0.1" | bc)" "$file" >/dev/null 2>&1
    t1=$(date +%s%N)
    echo "mpv CLI --start --end (0.1 s of the window, exec to exit): $(( (t1 - t0) / 1000000 )) ms"
done

# Key-to-frame while a clip plays: the console on a pty (bench_tui_pty
# --play), a red button at 14:01 whose before_red_button window is the same
# minute of the 12-hour FLAC, played to the timed null output (as a sound card
# would pace it) while the stream scrolls through 1,000 older events.
con="$build/cxm-console"
pty="$build/tests/bench_tui_pty"
[ -x "$pty" ] || pty="$build/bench_tui_pty"
if [ -x "$con" ] && [ -x "$pty" ]; then
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/cxm-bench-audio-tui.XXXXXX")
    export XDG_CONFIG_HOME="$tmp/config" XDG_STATE_HOME="$tmp/state" XDG_DATA_HOME="$tmp/data"
    export XDG_RUNTIME_DIR="$tmp/run" LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC-3
    mkdir -p "$XDG_CONFIG_HOME/cxm-console" "$XDG_STATE_HOME" "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
    printf '[recordings]\nroot = %s\n' "$dir" >"$XDG_CONFIG_HOME/cxm-console/config.ini"
    python3 - "$tmp/ev.jsonl" <<'PY'
import sys
L = '"location": {"id": "c1", "name": "Clinic"}, "employee": {"id": "e1", "name": "Anna"}, "desk": "reg-1"'
with open(sys.argv[1], "w") as f:
    for k in range(1000):
        m, s = divmod(k * 3, 60)
        f.write('{"id": "b.%d", "ts": "2026-11-23T13:%02d:%02d+03:00", "type": "rating", %s, "rating": "super"}\n' % (k, m % 60, s, L))
    f.write('{"id": "b.red", "ts": "2026-11-23T14:01:00+03:00", "type": "red_button", %s}\n' % L)
PY
    "$con" import --db "$tmp/b.db" "$tmp/ev.jsonl" >/dev/null
    CXM_AUDIO_OUTPUT=null CXM_AUDIO_LOG="$tmp/audio.log" \
        "$pty" --cols 200 --rows 50 --idle 0 --keys 300 --play -- "$con" --db "$tmp/b.db" --lang en |
        grep -E 'key-to-frame|without a frame'
    rm -rf "$tmp"
else
    echo "key-to-frame while a clip plays: $con or $pty not built"
fi
