#!/usr/bin/env bash
# The mpv command-line player on the same window as bench_audio (figures, not
# a test): wall time of `mpv --start --end` from exec to exit for the 60 s
# window in the middle of the 12-hour FLAC, audio to ao=null untimed (so it
# measures start-up + open + seek + decode, an upper bound of its first audio).
# mpv(1) is installed here for the benchmark only.
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
