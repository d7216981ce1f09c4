#!/usr/bin/env bash
# `cxm-console review` and `review show` as the issue's contract words them:
# the last line, every exit code (0, 5 stale with who and when, 2 usage /
# unknown cause / --done without a cause / a checklist that does not apply,
# 1 unknown event), every JSON key, history oldest first, two processes
# saving against the same revision (exactly one wins), the user's checklist
# directory, and the man page documenting the JSON keys.
source "$(dirname "$0")/lib_cli.sh"
export CXM_CHECKLISTS_DIR="$CXM_SRC/data/checklists"
DB="$T/r.db"
run "$T/out" "$T/err" "$CXM_BIN" import --db "$DB" "$CXM_SRC/tests/fixtures/checklists/causes_events.jsonl"
expect_rc 0 "fixture imported"
ME=$(id -un)
review() { "$CXM_BIN" review --db "$DB" "$@"; }

# --- saving ---
run "$T/out" "$T/err" review i1 --cause staff.rude --cause process.queue --primary staff.rude \
    --comment "Грубо ответила клиенту"
expect_rc 0 "first save"
expect_last "$T/out" "saved i1 revision 1 draft" "draft saved"
run "$T/out" "$T/err" review i1 --cause staff.rude --done --expect-revision 1
expect_rc 0 "save against the current revision"
expect_last "$T/out" "saved i1 revision 2 done" "done saved"
run "$T/out" "$T/err" review i1 --cause staff.slow --expect-revision 1
expect_rc 5 "stale --expect-revision"
expect_grep "$T/err" "revision 2 .*saved by $ME at 20[0-9-]+T[0-9:.]+[+-][0-9:]+" "stale names who and when"
run "$T/out" "$T/err" review show i1 --format json
check "stale save changed nothing" python3 -c '
import json,sys; d=json.load(open(sys.argv[1])); assert d["revision"]==2 and d["causes"]==["staff.rude"], d' "$T/out"
run "$T/out" "$T/err" review i2 --expect-revision 3
expect_rc 5 "stale: nothing saved yet"
expect_grep "$T/err" "nothing is saved yet" "stale on a new entry says so"

# --- exit 2 ---
run "$T/out" "$T/err" review i1 --cause staff.nosuch
expect_rc 2 "unknown cause"
expect_grep "$T/err" "staff\.nosuch" "the unknown cause is named"
run "$T/out" "$T/err" review i1 --done
expect_rc 2 "--done without a cause"
run "$T/out" "$T/err" review i1 --no-cause --done
expect_rc 0 "--done --no-cause"
expect_last "$T/out" "saved i1 revision 3 done" "no-cause saved"
run "$T/out" "$T/err" review i4 --checklist delight --cause staff.friendly
expect_rc 2 "a checklist that does not apply"
expect_grep "$T/err" "does not apply" "says it does not apply"
run "$T/out" "$T/err" review i4 --checklist nosuch
expect_rc 2 "unknown checklist"
run "$T/out" "$T/err" review i4 --primary staff.rude --cause process.queue
expect_rc 2 "--primary not among the causes"
run "$T/out" "$T/err" review i4 --cause staff.rude --no-cause
expect_rc 2 "--no-cause with a cause"
run "$T/out" "$T/err" review
expect_rc 2 "no event id"
run "$T/out" "$T/err" review i4 --expect-revision x
expect_rc 2 "bad --expect-revision"
run "$T/out" "$T/err" review i4 --bogus
expect_rc 2 "unknown option"
run "$T/out" "$T/err" review i4 --comment "$(printf 'a\033[2Jb')"
expect_rc 2 "a comment with an escape sequence is refused"
run "$T/out" "$T/err" review show i4 --format csv
expect_rc 2 "review show has no csv"

# --- exit 1 ---
run "$T/out" "$T/err" review nosuch --cause staff.rude
expect_rc 1 "unknown event"
run "$T/out" "$T/err" "$CXM_BIN" review --db "$T/absent.db" i1
expect_rc 1 "absent database"
check "absent database not created" test ! -e "$T/absent.db"

# --- the automatic checklist: a positive rating gets delight ---
run "$T/out" "$T/err" review p1 --cause staff.friendly --done
expect_rc 0 "positive rating: delight applies"

# --- show ---
review i3 --cause process.queue --needs-info >/dev/null
run "$T/out" "$T/err" review show i1 --format json
expect_rc 0 "review show --format json"
check "show json: every key, history oldest first" python3 - "$T/out" "$ME" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
me = sys.argv[2]
keys = {"event", "checklist", "revision", "status", "reviewer", "saved_at", "causes", "primary",
        "comment", "needs_info", "no_cause", "history"}
assert keys <= set(d), sorted(keys - set(d))
assert d["event"] == "i1" and d["checklist"] == "dissatisfaction"
assert d["revision"] == 3 and d["status"] == "done" and d["reviewer"] == me
assert d["causes"] == [] and d["primary"] is None and d["no_cause"] is True
assert d["needs_info"] is False
assert d["comment"] == "Грубо ответила клиенту", d["comment"]   # kept without --comment
h = d["history"]
assert [r["revision"] for r in h] == [1, 2, 3], h
for r in h:
    assert keys - {"history"} <= set(r), sorted(keys - {"history"} - set(r))
assert h[0]["status"] == "draft" and h[0]["causes"] == ["staff.rude", "process.queue"]
assert h[0]["primary"] == "staff.rude"
assert h[1]["causes"] == ["staff.rude"] and h[1]["primary"] is None
assert h[0]["saved_at"] <= h[1]["saved_at"] <= h[2]["saved_at"]
PY
run "$T/out" "$T/err" review show i3 --format json
check "needs_info shown" python3 -c '
import json,sys; d=json.load(open(sys.argv[1])); assert d["needs_info"] is True and d["status"]=="draft", d' "$T/out"
run "$T/out" "$T/err" review show i9 --format json
expect_rc 0 "show an incident nobody reviewed"
check "nothing saved: revision 0, status new, empty history" python3 -c '
import json,sys; d=json.load(open(sys.argv[1]))
assert d["revision"]==0 and d["status"]=="new" and d["history"]==[] and d["causes"]==[], d' "$T/out"
run "$T/out" "$T/err" review show i1
expect_rc 0 "review show (table)"
expect_grep "$T/out" "Грубо ответила клиенту" "table shows the comment"
expect_grep "$T/out" "^ +1 +draft" "table lists the history"

# --- two processes saving against the same revision: exactly one wins ---
for k in 1 2 3 4 5 6; do
    ev=j$(( (k - 1) % 4 + 1 ))
    cur=$(review show "$ev" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["revision"])')
    review "$ev" --cause staff.rude --done --expect-revision "$cur" >"$T/a.out" 2>"$T/a.err" &
    pa=$!
    review "$ev" --cause process.queue --done --expect-revision "$cur" >"$T/b.out" 2>"$T/b.err" &
    pb=$!
    wait $pa; ra=$?
    wait $pb; rb=$?
    if { [ $ra -eq 0 ] && [ $rb -eq 5 ]; } || { [ $ra -eq 5 ] && [ $rb -eq 0 ]; }; then
        ok "race $k on $ev: one saved, one stale ($ra/$rb)"
    else
        bad "race $k on $ev: exits $ra/$rb"; cat "$T/a.err" "$T/b.err"
    fi
    now=$(review show "$ev" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["revision"])')
    check "race $k: exactly one new revision" test "$now" -eq $((cur + 1))
done

# --- the user's checklist directory overrides and adds; a bad file is named, the rest load ---
mkdir -p "$XDG_CONFIG_HOME/cxm-console/checklists"
cat >"$XDG_CONFIG_HOME/cxm-console/checklists/mine.json" <<'EOF'
{"id": "mine", "purpose": "dissatisfaction", "title": {"ru": "Мой", "en": "Mine"},
 "applies_to": ["red_button"],
 "sections": [{"id": "s", "staff_related": true, "title": {"ru": "С", "en": "S"},
               "items": [{"id": "s.x", "title": {"ru": "Икс", "en": "X"}}]}]}
EOF
cat >"$XDG_CONFIG_HOME/cxm-console/checklists/broken.json" <<'EOF'
{"id": "broken", "purpose": "dissatisfaction", "title": {"ru": "Б", "en": "B"},
 "applies_to": ["red_button"],
 "sections": [{"id": "s", "title": {"ru": "С", "en": "S"}, "items": [{"id": "", "title": {"ru": "И", "en": "I"}}]}]}
EOF
run "$T/out" "$T/err" review i9 --checklist mine --cause s.x --done
expect_rc 0 "a user's own checklist"
expect_grep "$T/err" 'broken\.json: \$\.sections\[0\]\.items\[0\]\.id: ' "a bad file is named with its JSON path"

# --- an installed console reads PREFIX/share/cxm-console/checklists (found from
# the executable, so a DESTDIR or relocated install works too), before the
# source tree's ---
mkdir -p "$T/prefix/bin" "$T/prefix/share/cxm-console/checklists"
cp "$CXM_BIN" "$T/prefix/bin/cxm-console"
sed 's/"id": "mine"/"id": "installed-only"/' "$XDG_CONFIG_HOME/cxm-console/checklists/mine.json" \
    >"$T/prefix/share/cxm-console/checklists/x.json"
rm -rf "$XDG_CONFIG_HOME/cxm-console/checklists"
run "$T/out" "$T/err" env -u CXM_CHECKLISTS_DIR "$T/prefix/bin/cxm-console" review --db "$DB" i9 \
    --checklist installed-only --cause s.x
expect_rc 0 "the installed layout's checklists are found"
run "$T/out" "$T/err" env -u CXM_CHECKLISTS_DIR "$CXM_BIN" review --db "$DB" i9 --checklist installed-only
expect_rc 2 "the build tree's console reads the source tree's, not that one"
run "$T/out" "$T/err" env -u CXM_CHECKLISTS_DIR "$CXM_BIN" review --db "$DB" i9 --cause staff.rude
expect_rc 0 "the build tree's console finds the source tree's definitions"

# --- the man page documents the JSON keys ---
# each key in bold (.B / .BR) inside its own section: `review show` the
# entry's keys, `causes` the report's (a word elsewhere in the page does not
# count)
man_keys() { # man_keys SECTION-START SECTION-END KEY...
    local from=$1 to=$2
    shift 2
    sed -n "/^\.SS $from/,/^\.SS $to/p" "$CXM_SRC/data/cxm-console.1" >"$T/man.sec"
    for k in "$@"; do
        if grep -Eq "^\.BR? \"?$k\"?([ ,.;:)(]|$)" "$T/man.sec"; then :; else
            bad "man page: section $from lacks the key '$k'"
        fi
    done
}
man_keys '"review show EVENT_ID"' causes event checklist revision status reviewer saved_at \
    causes primary comment needs_info no_cause positions history
man_keys causes '"In the console"' key name incidents reviewed no_cause staff_related \
    not_staff_related causes id title section count share cumulative bottleneck primary
check "man page: review and causes sections" grep -q '^\.SS .*review' "$CXM_SRC/data/cxm-console.1"
finish
