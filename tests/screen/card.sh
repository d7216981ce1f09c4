#!/bin/bash
# The employee card (issue 10) at 120x40 and 80x24: Enter on a dashboard
# row opens it; it shows the name, location, desk and live emotion, the KPIs
# of today (as the KPI screen computes them), the calibration table against
# the site, the incidents with their clips and the alert that holds their
# events; Enter on an incident opens its detail; E goes to the stream
# filtered on them, naming them (not their id); C on a stream row opens the
# card again.
. "$(dirname "$0")/lib_screen.sh"
. "$(dirname "$0")/lib_views.sh"

DB="$SCR_TMP/v.db"
vw_fixture "$SCR_TMP/ev.jsonl"
# vw_fixture has waited until its set fits in today: these do too.
m=$(($(date +%s) - $(date -d "$(date +%F)" +%s)))
[ "$m" -gt 1200 ] && m=1200
C=clinic-1 CN="Клиника на Ленина"
{
    # a third negative for Анна: with r2 and rb1 the built-in
    # negative-streak rule opens an alert at the clinic holding her events,
    # and 2 negatives of the clinic's 4 ratings the unhappy-share one
    vw_event r6 $((m - 130)) rating $C "$CN" reg-1 e1 "Анна Петрова" ',"rating":"bad"'"$(vw_emo negative)"
    # a clip for her bad rating r2
    vw_event c2 $((m - 45)) clip $C "$CN" reg-1 e1 "Анна Петрова" \
        ',"ref":"r2","clip":{"kind":"after_rating","url":"https://cloud.example.com/r2.ogg"}'
} >>"$SCR_TMP/ev.jsonl"
vw_import "$DB" "$SCR_TMP/ev.jsonl"

# Every page of the card, from the top (PgDn until the alerts' table shows).
card_pages() {
    local out=$1 i
    scr_keys g
    : >"$out"
    for i in $(seq 1 12); do
        scr_text >>"$out"
        grep -qF "negative-streak" "$out" && return 0
        scr_keys PageDown
    done
    scr_fail "never reached the card's alerts"
}

check_card() {
    local w=$1 where=$2 pages="$SCR_TMP/pages.$1.$2" s
    scr_wait_for "Анна Петрова  |"
    s=$(scr_text)
    # who: name | location / desk | live emotion (her bad rating's label)
    echo "$s" | grep -E "Анна Петрова +\| +Клиника на Ленина / reg-1 +\| +. negative" >/dev/null ||
        scr_fail "$w $where: the card's header does not name Анна, her desk and emotion"
    card_pages "$pages"
    # today: 3 ratings (super, bad, bad): CSAT 33; C = 1 arrival: support
    # 100.0, critical 200.0; EmoNPS (0 - 2) / 3 = -67; smile 1/3; 1 red button
    grep -E "^ +today \([0-9.]+\) +3 +33 +100\.0 +200\.0 +-67 +33% +1 *$" "$pages" >/dev/null ||
        scr_fail "$w $where: today's KPI row is not 3 / 33 / 100.0 / 200.0 / -67 / 33% / 1"
    # calibration: super bad so-so counts, ratings, CSAT, then the site's
    # (clinic: her 3 and Boris's so-so under mixed)
    grep -E "^ positive +1 +0 +0 +1 +100 +1 +100 *$" "$pages" >/dev/null ||
        scr_fail "$w $where: calibration row 'positive' wrong"
    grep -E "^ negative +0 +0 +2 +2 +0 +2 +0 *$" "$pages" >/dev/null ||
        scr_fail "$w $where: calibration row 'negative' wrong"
    grep -E "^ mixed +0 +0 +0 +0 +- +1 +0 *$" "$pages" >/dev/null ||
        scr_fail "$w $where: calibration row 'mixed' (the site's so-so) wrong"
    grep -qF "Incidents: 3 " "$pages" || scr_fail "$w $where: not 3 incidents"
    grep -E "red button .*reg-1" "$pages" >/dev/null || scr_fail "$w $where: the red button is not an incident"
    # r2 has its clip, r6 none
    # (the pages overlap: count distinct lines)
    [ "$(grep -E ":[0-9]{2} +rating +☹ bad +neg.* +reg-1 +♪" "$pages" | sort -u | wc -l)" = 1 ] ||
        scr_fail "$w $where: exactly one bad rating should show a clip"
    grep -qF "Alerts: 2 " "$pages" || scr_fail "$w $where: not the clinic's 2 alerts"
    grep -E "negative-streak +Клиника на Ленина +open +3" "$pages" >/dev/null ||
        scr_fail "$w $where: the negative-streak alert (3 events) is not listed"
    grep -E "unhappy-share +Клиника на Ленина +open +2" "$pages" >/dev/null ||
        scr_fail "$w $where: the unhappy-share alert is not listed"
}

run_size() {
    local w=$1 h=$2
    scr_start "$w" "$h" "$CXM_BIN" --db "$DB" --lang en
    scr_wait_for "Анна Петрова"
    # From the dashboard: group, Ёлкин, Александра, group, Анна
    scr_keys g j j j j Enter
    check_card "$w" dashboard
    # The first incident is selected (the newest: r6), then the red button,
    # then r2, the bad rating with the clip: Enter opens its detail.
    scr_keys g
    scr_keys Down Down
    scr_keys Enter
    scr_wait_for "Анна Петрова (e1)"
    scr_text | grep -E "^ Id +r2 *$" >/dev/null || scr_fail "$w: Enter did not open the incident r2"
    scr_keys q
    scr_wait_for "Анна Петрова  |"
    # E: the stream of her events only, named in the filter
    scr_keys E
    scr_wait_for "employee=Анна Петрова"
    scr_text | grep -qF "employee=e1" && scr_fail "$w: the filter shows the id"
    scr_text | grep -qF "Boris" && scr_fail "$w: the filtered stream shows another employee"
    # From the stream: C opens the selected row's employee's card
    scr_keys Home C
    check_card "$w" stream
    scr_keys q
    scr_wait_for "employee=Анна Петрова"
    scr_keys q
    scr_wait_exit
    [ "$SCR_RC" = 0 ] || scr_fail "$w: exit status $SCR_RC"
    scr_tmux kill-server
    echo "card ${w}x$h: header, KPIs, calibration, incidents, alert, detail, stream by name ok"
}

run_size 120 40
run_size 80 24
