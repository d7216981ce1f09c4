#!/usr/bin/env bash
# cxm-console clip on speech (issue 8): espeak-ng says a complaint, sox pads
# it into 30-second desk recordings (WAV, FLAC, Ogg/Vorbis) that start at
# 10:00:00+03:00; a rating at 10:00:04 has the after_rating window [4 s, 24 s].
# Measured with sox: the export holds 20 s at 22050 Hz, the speech is in it
# (RMS well above silence), and for WAV and FLAC it is sample-identical to
# `sox SRC trim 4 20` (the difference's maximum amplitude is 0); the Ogg
# export (decoded) has the same length and an RMS within 5 % of the source's.
source "$(dirname "$0")/lib_cli.sh"
for t in espeak-ng sox; do
    command -v $t >/dev/null || { bad "$t is not installed (scripts/deps.sh installs it)"; finish; }
done
B=$CXM_BIN
R=$T/rec
cd "$T" || exit 1
check "espeak-ng speaks" espeak-ng -v ru -s 160 -w speech.wav "Здравствуйте, я хочу пожаловаться на обслуживание"
mkdir -p "$R/reg-1" "$R/reg-2" "$R/reg-3"
check "sox pads the speech into a 30 s recording" \
    sox speech.wav "$R/reg-1/2026-11-23T10-00-00+0300.wav" pad 5 25 trim 0 30
sox "$R/reg-1/2026-11-23T10-00-00+0300.wav" "$R/reg-2/2026-11-23T10-00-00+0300.flac"
sox "$R/reg-1/2026-11-23T10-00-00+0300.wav" "$R/reg-3/2026-11-23T10-00-00+0300.ogg"
L='"location": {"id": "clinic-1"}, "employee": {"id": "e1"}'
for d in 1 2 3; do
    echo "{\"id\": \"s.$d\", \"ts\": \"2026-11-23T10:00:04+03:00\", \"type\": \"rating\", $L, \"desk\": \"reg-$d\", \"rating\": \"bad\"}"
done >ev.jsonl
run out err "$B" import --db t.db ev.jsonl
expect_rc 0 "import"
sox "$R/reg-1/2026-11-23T10-00-00+0300.wav" ref.wav trim 4 20
stat_of() { sox "$1" -n stat 2>&1 | awk -v k="$2" -F: '$1 ~ k {gsub(/ /, "", $2); print $2}'; }
ref_rms=$(stat_of ref.wav 'RMS +amplitude')
check "the reference window holds the speech (RMS $ref_rms)" awk -v r="$ref_rms" 'BEGIN{exit !(r > 0.01)}'
for d in 1 2 3; do
    run out err "$B" clip --db t.db --recordings "$R" "s.$d" --out "s$d.wav"
    expect_rc 0 "clip s.$d (reg-$d)"
    n=$(stat_of "s$d.wav" 'Samples read')
    rate=$(soxi -r "s$d.wav" 2>/dev/null)
    rms=$(stat_of "s$d.wav" 'RMS +amplitude')
    echo "# s.$d: $n samples at $rate Hz, RMS $rms (source window $ref_rms)"
    check "s.$d: 20 s at 22050 Hz ($n samples)" test "$n" = 441000 -a "$rate" = 22050
    if [ $d = 3 ]; then
        check "s.$d (Ogg, decoded): RMS within 5 % of the source's" \
            awk -v a="$rms" -v b="$ref_rms" 'BEGIN{d = a - b; if (d < 0) d = -d; exit !(d < 0.05 * b)}'
    else
        diffmax=$(sox -m -v 1 "s$d.wav" -v -1 ref.wav -n stat 2>&1 | awk -F: '/Maximum amplitude/ {gsub(/ /, "", $2); print $2}')
        check "s.$d: sample-identical to sox trim 4 20 (difference peak $diffmax)" \
            awk -v m="$diffmax" 'BEGIN{exit !(m == 0)}'
    fi
done
finish
