#!/bin/bash
# The checklist form beside the player (issue 12): the incident's main clip
# starts when the form opens (headless audio: CXM_AUDIO_OUTPUT=null plays in
# real time, nowhere); the whole checklist is filled from the keyboard while it
# plays, with a Cyrillic comment and a playback stamp on a cause; Tab reaches
# the player pane, where the player keys work (pause, seek), and `t` there
# stamps the paused position ("at −00:55", relative to the red button). Saved,
# reopened, seen again (the form, `review show` table and json); another
# supervisor's `review` from a second process meanwhile makes the form's save
# stale: refused with their name, `r` reloads theirs (the stamp of a cause they
# kept survives). `N` opens the next new incident, whose recordings are
# missing: the panel says why nothing plays. The causes report's incident list
# shows the stamp.
. "$(dirname "$0")/lib_screen.sh"
: "${CXM_SIM:?CXM_SIM must point at cxm-agent-sim}"
export TZ=UTC-3 CXM_CHECKLISTS_DIR="$CXM_SRC/data/checklists"
DB="$SCR_TMP/cp.db"
R="$SCR_TMP/rec"
me=$(id -un)
L='"location": {"id": "clinic-1", "name": "Клиника"}, "employee": {"id": "e1", "name": "Анна"}'
cat >"$SCR_TMP/ev.jsonl" <<JSON
{"id": "cp.norec", "ts": "2026-11-23T10:30:10+03:00", "type": "rating", $L, "desk": "reg-7", "rating": "bad"}
{"id": "cp.red", "ts": "2026-11-23T11:00:40+03:00", "type": "red_button", $L, "desk": "reg-2"}
{"id": "cp.good", "ts": "2026-11-23T09:00:10+03:00", "type": "rating", $L, "desk": "reg-2", "rating": "super"}
{"id": "cp.good2", "ts": "2026-11-23T09:10:10+03:00", "type": "rating", $L, "desk": "reg-2", "rating": "super"}
JSON
timeout 60 "$CXM_SIM" --events "$SCR_TMP/ev.jsonl" --log "$SCR_TMP/sim.log" --recordings "$R" \
    --rec-minutes 1 --rec-rate 8000 --rate 0 --exit-when-done 2>/dev/null ||
    scr_fail "the sim could not write the recordings"
rm -rf "$R/reg-7" # the second incident's desk recorded nothing
"$CXM_BIN" import --db "$DB" "$SCR_TMP/ev.jsonl" >/dev/null || scr_fail "import"
mkdir -p "$XDG_CONFIG_HOME/cxm-console"
printf '[recordings]\nroot = %s\n' "$R" >"$XDG_CONFIG_HOME/cxm-console/config.ini"
export CXM_AUDIO_LOG="$SCR_TMP/audio.log" CXM_AUDIO_OUTPUT=null CXM_EXPORT_DIR="$SCR_TMP/out"
mkdir -p "$CXM_EXPORT_DIR"
# growth points: what customers praised (the delight checklist)
for e in cp.good cp.good2; do
    "$CXM_BIN" review --db "$DB" "$e" --checklist delight --cause staff.friendly --done >/dev/null ||
        scr_fail "delight review of $e"
done
"$CXM_BIN" review --db "$DB" cp.good --checklist delight --cause staff.friendly \
    --cause process.no_queue --done >/dev/null || scr_fail "delight review"
unset SSH_CONNECTION PULSE_SERVER

show() { "$CXM_BIN" review show --db "$DB" "$1" --format json; }
pyq() { # pyq EVENT PYTHON-EXPR-ON-d
    show "$1" | python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if ($2) else 1)"
}
player_line() { scr_text | grep -E '^(▶|=) before_red_button ' | head -1; }

scr_start 120 50 "$CXM_BIN" --db "$DB" --lang en
scr_wait_for "Dashboard"
scr_keys 5
scr_wait_for "Causes of dissatisfaction: 2 incidents, 2 new"
scr_keys Home Enter
scr_wait_for "Causes of dissatisfaction — revision 0, new"
# the red button's main clip (the minute before it: −01:00 … +00:00) plays at once
scr_wait_for "playing"
player_line | grep -q '^▶ before_red_button  −01:00 [−+]0[01]:[0-9][0-9] +00:00  playing' ||
    scr_fail "the player panel does not show the clip before the red button playing: $(player_line)"
scr_text | grep -q '^▶ Checklist' || scr_fail "the checklist does not have the keys first"

# the checklist, wholly from the keyboard, while the clip plays
scr_keys 1
scr_wait_for "[x] Rude, disrespectful"
scr_keys j Space
scr_wait_for "[x] Inattentive, indifferent"
scr_keys '*'
scr_wait_for "Inattentive, indifferent  * primary"
scr_keys Tab 1
scr_wait_for "[x] Queue and waiting"
# `t` stamps where the clip is now on the cause under the cursor
scr_keys t
scr_wait_for "Queue and waiting  at "
scr_text | grep -qE 'Queue and waiting  at [−+]0[01]:[0-9]{2}' || scr_fail "the stamp is not shown as at ±MM:SS"
scr_keys Tab Tab Tab Tab
scr_wait_for "> Comment: (Enter to write)"
scr_keys Enter
scr_wait_for "Comment:"
scr_keys -l "Грубо ответила, очередь до двери"
scr_keys Enter
scr_wait_for "Comment: Грубо ответила, очередь до двери"
scr_keys Tab
scr_wait_for ">    [ ] Needs more information from the employee"
scr_keys Space
scr_wait_for ">    [x] Needs more information from the employee"
player_line | grep -q 'playing' || scr_fail "the clip stopped while the checklist was filled: $(player_line)"

# past the last field, Tab reaches the player: its keys work there
scr_keys Tab Tab
scr_wait_for "▶ Player"
scr_keys Space
scr_wait_for "paused"
scr_keys Down Down # back 30 s twice: the clip's start
scr_wait_for "before_red_button  −01:00 −01:00 +00:00  paused"
scr_keys Right # forward 5 s
scr_wait_for "before_red_button  −01:00 −00:55 +00:00  paused"
# Tab goes back into the checklist (its first section); `t` stamps the
# paused position on "rude"
scr_keys Tab
scr_wait_for "▶ Checklist"
scr_keys t
scr_wait_for "Rude, disrespectful  at −00:55"
# and t again removes the stamp, a third time sets it again
scr_keys t
scr_wait_gone "Rude, disrespectful  at −00:55"
scr_keys t
scr_wait_for "Rude, disrespectful  at −00:55"
# from the player pane, keys the player does not use still act on the list
scr_keys BTab # before the first section: the player
scr_wait_for "▶ Player"
scr_keys C-s
scr_wait_for "Saved revision"
pyq cp.red 'd["status"] == "draft" and sorted(d["causes"]) == ["process.queue", "staff.inattentive", "staff.rude"] and d["primary"] == "staff.inattentive" and d["comment"] == "Грубо ответила, очередь до двери" and d["needs_info"] and d["reviewer"] == "'"$me"'" and abs(d["positions"]["staff.rude"] + 55) < 0.6 and -60.5 <= d["positions"]["process.queue"] <= 0.5 and "staff.inattentive" not in d["positions"]' ||
    scr_fail "the saved entry: $(show cp.red)"
"$CXM_BIN" review show --db "$DB" cp.red | grep -qE 'Rude, disrespectful \(staff\.rude, at [−-]00:55\)' ||
    scr_fail "review show (table) does not show the stamp: $("$CXM_BIN" review show --db "$DB" cp.red)"

# leave and reopen: everything is there, and the clip plays again
scr_keys Escape
scr_wait_for "Causes of dissatisfaction: 2 incidents, 1 new"
scr_keys Home Enter
scr_wait_for "Comment: Грубо ответила, очередь до двери"
scr_wait_for "Rude, disrespectful  at −00:55"
scr_wait_for "playing"
s=$(scr_text)
echo "$s" | grep -qF "[x] Queue and waiting  at " || scr_fail "reopened: the queue cause and its stamp"
echo "$s" | grep -qF "Inattentive, indifferent  * primary" || scr_fail "reopened: primary"
echo "$s" | grep -qF "[x] Needs more information from the employee" || scr_fail "reopened: needs info"

# another supervisor saves from a second process: they keep rude (and its
# stamp) and add slow
rev=$(show cp.red | python3 -c 'import json,sys; print(json.load(sys.stdin)["revision"])')
"$CXM_BIN" review --db "$DB" cp.red --cause staff.rude --cause staff.slow --expect-revision "$rev" \
    >/dev/null || scr_fail "the other supervisor's save"
pyq cp.red 'abs(d["positions"]["staff.rude"] + 55) < 0.6' || scr_fail "review dropped the stamp of a kept cause"
scr_keys 3 # incompetent, here
scr_wait_for "[x] Incompetent, could not help"
scr_keys C-s
scr_wait_for "$me saved revision $((rev + 1)) at"
scr_wait_for "r reload, o overwrite:"
pyq cp.red 'd["revision"] == '"$((rev + 1))"' and "staff.incompetent" not in d["causes"]' ||
    scr_fail "the stale save changed the entry"
scr_keys r Enter
scr_wait_for "Reloaded the other supervisor's revision"
scr_wait_for "[x] Slow service"
s=$(scr_text)
echo "$s" | grep -qF "[ ] Incompetent, could not help" || scr_fail "reload kept our change"
echo "$s" | grep -qF "[ ] Queue and waiting" || scr_fail "reload kept our cause"
echo "$s" | grep -qF "Rude, disrespectful  at −00:55" || scr_fail "reload lost the kept stamp"
scr_keys D
scr_wait_for "(done)"

# the next new incident: its desk recorded nothing, the panel says why
scr_keys N
scr_wait_for "cp.norec"
scr_wait_for "Player: "
scr_text | grep -E '^Player: ' | grep -qiE 'record|no .*file|missing' ||
    scr_fail "the panel does not say why nothing plays: $(scr_text | grep -E '^Player: ')"
scr_keys t
scr_wait_for "No clip is playing: nothing to stamp"
scr_keys Escape
scr_wait_for "incidents,"

# the causes report: growth points from the delight checklist; rude's
# incidents list the time, place, employee and the stamp; P plays the clip
scr_keys 6
scr_wait_for "All: incidents 2, reviewed 1"
scr_text | grep -qF "Growth points: Friendly, smiling (2), No queue, on time (1)" ||
    scr_fail "no growth points from the delight checklist"
# rude and slow once each: a tie, in the definition's order (rude first)
scr_keys Home j Enter
scr_wait_for "Rude, disrespectful: 1 incidents"
scr_text | grep -qE '2026-11-23 11:00 +Клиника / reg-2 +Анна +−00:55 +cp\.red' ||
    scr_fail "the incident list does not show time, place, employee and stamp"
scr_keys P
scr_wait_for "Playing the before_red_button clip of cp.red"
# the list exports like every table
scr_keys w
scr_wait_for "rows written to $CXM_EXPORT_DIR/cxm-cause-incidents-"
grep -q "cp.red" "$CXM_EXPORT_DIR"/cxm-cause-incidents-*.csv || scr_fail "the incident list export"
scr_keys Escape
scr_wait_for "All: incidents 2, reviewed 1"
# the report to CSV and to Excel, from the view, where the tables export
scr_keys e
scr_wait_for "Export CSV to file: $CXM_EXPORT_DIR/causes-"
scr_keys Enter
scr_wait_for "Saved $CXM_EXPORT_DIR/causes-"
f=$(ls "$CXM_EXPORT_DIR"/causes-*.csv | grep -v excel)
head -n 1 "$f" | grep -q '^key,name,incidents,reviewed,no_cause,cause,title,section,staff_related,count,share,cumulative,bottleneck,primary' ||
    scr_fail "CSV header: $(head -n 1 "$f")"
grep -q '^all,All,2,1,0,staff.rude,"Rude, disrespectful",staff,true,1,0.5,0.5,true,0' "$f" ||
    scr_fail "CSV row of rude: $(cat "$f")"
scr_keys X
scr_wait_for "Export for Excel to file: $CXM_EXPORT_DIR/causes-"
scr_keys Enter
scr_wait_for "Saved $CXM_EXPORT_DIR/causes-"
f=$(ls "$CXM_EXPORT_DIR"/causes-*-excel.csv)
head -c 3 "$f" | od -An -tx1 | grep -q "ef bb bf" || scr_fail "Excel file without a BOM"
grep -q '^all;All;2;1;0;staff.rude;' "$f" || scr_fail "Excel file not ';'-separated: $(cat "$f")"
scr_keys Q
scr_wait_exit
[ "$SCR_RC" = 0 ] || scr_fail "exit status $SCR_RC"
echo "ok"
