#!/bin/bash
# Alerts view: `/` narrows the list to the alerts whose scope (employee,
# desk, location) or rule holds the text, case-folded, live; the counts
# above stay those of every alert; Esc puts back, x clears.
. "$(dirname "$0")/lib_screen.sh"

DB="$SCR_TMP/alerts.db"
export TZ=UTC-3
printf '[alert.negative-streak]\nenabled = no\n[alert.unhappy-share]\nenabled = no\n' >"$SCR_TMP/norules.ini"
"$CXM_BIN" import --db "$DB" --config "$SCR_TMP/norules.ini" "$CXM_SRC/tests/fixtures/alerts/day.jsonl" >/dev/null ||
    { echo "import failed"; exit 1; }
"$CXM_BIN" alerts check --db "$DB" >/dev/null || { echo "alerts check failed"; exit 1; }

scr_start 120 30 "$CXM_BIN" --db "$DB" --lang en
scr_keys 4
scr_wait_for "Open 2, acknowledged 0, all 2"
scr_wait_for "Клиника на Ленина"
scr_wait_for "АЗС №7"
scr_keys /
scr_wait_for "Search alerts"
scr_keys -l "азс"    # lower case against "АЗС"
scr_wait_gone "Клиника на Ленина"
scr_wait_for "АЗС №7"
scr_text | grep -qF "search: азс | Open 2, acknowledged 0, all 2" ||
    scr_fail "the search is not said first, or the counts changed with it"
scr_keys Enter
# The rule's name matches too; Esc puts back the search that was there.
scr_keys /
scr_keys C-u
scr_keys -l "STREAK"
scr_wait_for "Клиника на Ленина"
scr_wait_gone "АЗС №7"
scr_keys Escape
scr_wait_for "АЗС №7"
scr_wait_gone "Клиника на Ленина"
# Enter opens the alert that is shown, not the first of the whole list.
scr_keys Enter
scr_wait_for "unhappy-share  АЗС №7"
scr_keys q
scr_wait_for "search: азс"
scr_keys /
scr_keys C-u
scr_keys -l "nothing-like-this"
scr_wait_for "No alert matches the search (x clears it)."
scr_keys Enter
scr_keys x
scr_wait_for "Клиника на Ленина"
scr_wait_for "АЗС №7"
scr_text | grep -qF "search:" && scr_fail "x left the search on"
scr_keys q
scr_wait_exit
[ "$SCR_RC" = 0 ] || scr_fail "exit status $SCR_RC"
echo "alertsearch: / narrows alerts by scope and rule (case-folded), counts kept, Esc restores, x clears"
