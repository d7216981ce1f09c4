#!/usr/bin/env bash
# cxm-console clip (DESIGN §6, §10; a contract): recordings written at test
# time by cxm-agent-sim (1-minute files, 8 kHz, samples that encode their own
# absolute frame number), events imported, clips exported and compared sample
# by sample with the window: sample index = round((t - file start) * rate).
# Exit 0 written, 4 not wholly recorded (missing seconds named, nothing
# written), 1 other failure, 2 usage.
source "$(dirname "$0")/lib_cli.sh"
: "${CXM_SIM:?CXM_SIM must point at cxm-agent-sim}"
B=$CXM_BIN
R=$T/rec
cd "$T" || exit 1

L='"location": {"id": "clinic-1"}, "employee": {"id": "e1"}'
cat >ev.jsonl <<JSON
{"id": "c.arr", "ts": "2026-11-23T09:58:30+03:00", "type": "arrival", $L, "desk": "reg-2", "visit": "v-1"}
{"id": "c.rating", "ts": "2026-11-23T07:00:55.5Z", "type": "rating", $L, "desk": "reg-2", "visit": "v-1", "rating": "bad"}
{"id": "c.red", "ts": "2026-11-23T12:05:10.25+05:00", "type": "red_button", $L, "desk": "reg-2"}
{"id": "c.fm", "ts": "2026-11-23T10:03:00+03:00", "type": "force_majeure", $L, "desk": "reg-2"}
{"id": "g.fm", "ts": "2026-11-23T11:00:00+03:00", "type": "force_majeure", $L, "desk": "reg-9"}
{"id": "x.fm", "ts": "2026-11-23T11:30:00+03:00", "type": "force_majeure", $L, "desk": "reg-8"}
{"id": "n.served", "ts": "2026-11-23T11:40:00+03:00", "type": "served", "count": 3, "location": {"id": "clinic-1"}}
JSON
timeout 60 "$CXM_SIM" --events ev.jsonl --log sim.log --recordings "$R" --rec-minutes 1 \
    --rec-rate 8000 --rate 0 --exit-when-done 2>sim.err
check "the sim wrote the recordings" test -f "$R/reg-2/2026-11-23T10-00-00+0300.wav"
run out err "$B" import --db t.db ev.jsonl
expect_rc 0 "import"

# verify FILE FROM_ISO TO_ISO : the WAV holds exactly the ramp of [from, to)
verify() {
    python3 - "$@" <<'PY'
import sys, wave, struct, datetime
path, a, b = sys.argv[1:4]
rate = 8000
def us(s):
    d = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    return round(d.timestamp() * 1000000)
def frame(t):                       # absolute frame number round(t * rate)
    return (2 * t * rate + 1000000) // 2000000
first, last = frame(us(a)), frame(us(b))
w = wave.open(path)
assert w.getframerate() == rate and w.getnchannels() == 1 and w.getsampwidth() == 2, "format"
n = w.getnframes()
got = struct.unpack("<%dh" % n, w.readframes(n))
want = [((first + k) & 0xffff) - (65536 if ((first + k) & 0xffff) >= 32768 else 0) for k in range(last - first)]
if list(got) != want:
    bad = next((i for i in range(min(len(got), len(want))) if got[i] != want[i]), min(len(got), len(want)))
    print("frames %d, want %d; first difference at %d" % (n, len(want), bad))
    sys.exit(1)
PY
}

# ---- after_rating across a file boundary, the event's ts in UTC
run out err "$B" clip --db t.db --recordings "$R" c.rating --out a.wav
expect_rc 0 "rating: the main clip (after_rating) is written"
check "after_rating = [10:00:55.5, 10:01:15.5] exactly, across two files, ts in UTC" \
    verify a.wav 2026-11-23T07:00:55.5Z 2026-11-23T07:01:15.5Z
expect_grep out '^a\.wav: after_rating clip, 160000 frames, 8000 Hz, 1 channel, from 2 files$' "summary line"

# ---- before_red_button, the event's ts in +05:00 (files named in +03:00)
run out err "$B" clip --db t.db --recordings "$R" c.red --out r.wav
expect_rc 0 "red button: the main clip (before_red_button)"
check "before_red_button = [10:04:10.25, 10:05:10.25] exactly, ts in +05:00" \
    verify r.wav 2026-11-23T10:04:10.25+03:00 2026-11-23T10:05:10.25+03:00

# ---- around (the default for other types), and --kind
run out err "$B" clip --db t.db --recordings "$R" c.fm --out f.wav
expect_rc 0 "force majeure: around"
check "around = [t-30, t+30]" verify f.wav 2026-11-23T10:02:30+03:00 2026-11-23T10:03:30+03:00
run out err "$B" clip --db t.db --recordings "$R" c.rating --kind visit --out v.wav
expect_rc 0 "--kind visit"
check "visit = [arrival, rating]" verify v.wav 2026-11-23T09:58:30+03:00 2026-11-23T07:00:55.5Z
run out err "$B" clip --db t.db --recordings "$R" c.rating --kind=around --out v2.wav
expect_rc 0 "--kind=around"
check "around of a rating" verify v2.wav 2026-11-23T10:00:25.5+03:00 2026-11-23T10:01:25.5+03:00

# the recordings root from the config
printf '[recordings]\nroot = %s\n[clips]\nafter_rating = 5s\n' "$R" >cfg.ini
run out err "$B" clip --db t.db --config cfg.ini c.rating --out c5.wav
expect_rc 0 "[recordings] root and [clips] after_rating from --config"
check "after_rating of 5 s from the config" verify c5.wav 2026-11-23T07:00:55.5Z 2026-11-23T07:01:00.5Z

# ---- a gap: exit 4, the missing seconds in local time, nothing written
rm "$R/reg-9/2026-11-23T10-59-00+0300.wav"
run out err "$B" clip --db t.db --recordings "$R" g.fm --out g.wav
expect_rc 4 "a missing recording"
expect_grep err 'not recorded: 23\.11\.2026 10:59:30 - 11:00:00 \+03:00 \(30\.000 s missing' "the message names the missing interval in local time"
check "no file written on exit 4" test ! -e g.wav
ls g.wav.* >/dev/null 2>&1
check "no temporary file left" test $? -ne 0
TZ=UTC run out err "$B" clip --db t.db --recordings "$R" g.fm --out g.wav
expect_grep err 'not recorded: 23\.11\.2026 07:59:30 - 08:00:00 \+00:00' "local time follows TZ"

# ---- a corrupt recording: exit 1 naming it
printf 'RIFF\x10\x00\x00\x00WAVEjunk' >"$R/reg-8/2026-11-23T11-30-00+0300.wav"
run out err "$B" clip --db t.db --recordings "$R" x.fm --out x.wav
expect_rc 1 "a corrupt recording"
expect_grep err 'reg-8/2026-11-23T11-30-00\+0300\.wav: cannot read the recording' "the message names the file"
check "nothing written" test ! -e x.wav

# ---- other failures
run out err "$B" clip --db t.db --recordings "$R" no.such --out n.wav
expect_rc 1 "an unknown event"
expect_grep err "no event 'no.such'" "says which"
run out err "$B" clip --db t.db --recordings "$R" n.served --out n.wav
expect_rc 1 "an event without audio (served, no desk)"
expect_grep err 'a served event has no around clip' "says why"
run out err "$B" clip --db t.db --recordings "$R" c.fm --kind after_rating --out n.wav
expect_rc 1 "a kind the event does not have"
expect_grep err 'a force_majeure event has no after_rating clip' "says why"
run out err "$B" clip --db t.db c.rating --out n.wav
expect_rc 1 "no recordings root"
expect_grep err '\[recordings\] root' "says how to set one"
run out err "$B" clip --db nodb.db --recordings "$R" c.rating --out n.wav
expect_rc 1 "no database"
check "no database created" test ! -e nodb.db
run out err "$B" clip --db t.db --recordings "$R" c.rating --out "$T/no/dir/o.wav"
expect_rc 1 "an unwritable output path"

# ---- usage
run out err "$B" clip --db t.db --recordings "$R" c.rating
expect_rc 2 "no --out"
run out err "$B" clip --db t.db --recordings "$R" --out o.wav
expect_rc 2 "no event id"
run out err "$B" clip --db t.db --recordings "$R" c.rating --kind before --out o.wav
expect_rc 2 "an unknown --kind"
run out err "$B" clip --db t.db --recordings "$R" c.rating --bogus --out o.wav
expect_rc 2 "an unknown option"
run out err "$B" clip --help
expect_rc 0 "--help"
expect_grep out 'Exit status: 0 written' "--help explains the exit codes"

# ---- the index: a second export reads no header again (checked in the db)
check "headers kept in the recordings table" \
    test "$(sqlite3 t.db "SELECT count(*) FROM recordings WHERE path LIKE 'reg-2/%' AND rate = 8000 AND frames = 480000")" -ge 2
# ---- errors follow the language; libsndfile/system text and paths as given.
# A recording replaced after it was indexed (same size and mtime, so the index
# keeps its old header) with a different sample rate: the export names it.
F="$R/reg-2/2026-11-23T10-03-00+0300.wav"
python3 - "$F" <<'PY'
import os, struct, sys
p = sys.argv[1]
st = os.stat(p)
with open(p, "r+b") as f:          # canonical 44-byte header: rate at 24, byte rate at 28
    f.seek(24); f.write(struct.pack("<II", 16000, 32000))
os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
PY
LC_ALL=ru_RU.UTF-8 run out err "$B" clip --db t.db --recordings "$R" c.fm --out ch.wav
expect_rc 1 "ru: a recording changed since it was indexed"
expect_grep err "^cxm-console clip: $R/reg-2/2026-11-23T10-03-00\\+0300\\.wav: файл изменился после индексации \\(16000 Гц, каналов: 1, кадров: 480000\\)\$" \
    "ru: the export error in Russian, naming the file"
check "ru: no English words besides the program name and the path" \
    bash -c "sed 's|^cxm-console clip: $R/[^:]*:||' '$T/err' | grep -Eq '[A-Za-z]{2,}' && exit 1 || exit 0"
check "ru: nothing written" test ! -e ch.wav
LC_ALL=en_US.UTF-8 run out err "$B" clip --db t.db --recordings "$R" c.fm --out ch.wav
expect_rc 1 "en: a recording changed since it was indexed"
expect_grep err 'reg-2/2026-11-23T10-03-00\+0300\.wav: changed since it was indexed \(16000 Hz, 1 ch, 480000 frames\)$' \
    "en: the same error in English"
# the store's own errors too: a file that is no database, an unknown alert
printf 'not a database, just text\n%.0s' $(seq 1 200) >junk.db
LC_ALL=ru_RU.UTF-8 run out err "$B" clip --db junk.db --recordings "$R" c.fm --out j.wav
expect_rc 1 "ru: not a database"
expect_grep err ': junk\.db: это не база SQLite$' "ru: the store says it in Russian"
LC_ALL=ru_RU.UTF-8 run out err "$B" alerts --db t.db ack 999
expect_rc 1 "ru: ack of an unknown alert"
expect_grep err '^cxm-console alerts: тревога 999 не найдена$' "ru: the alert error in Russian"
finish
