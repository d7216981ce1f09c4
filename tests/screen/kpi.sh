#!/bin/bash
# KPI view: the numbers of DESIGN §8 for the fixture (by employee, today),
# grouping (b), periods (t), EmoNPS K (+/-, clamped to [0.2, 1]), the
# calibration table and the sample-size helper.
. "$(dirname "$0")/lib_screen.sh"
. "$(dirname "$0")/lib_views.sh"

DB="$SCR_TMP/v.db"
vw_fixture "$SCR_TMP/ev.jsonl"
vw_import "$DB" "$SCR_TMP/ev.jsonl"

scr_start 120 30 "$CXM_BIN" --db "$DB" --lang en
scr_wait_for "Анна Петрова"
scr_keys 3
scr_wait_for "Period: today"
scr_wait_for "by employee"
# Анна: R=2, P=1 -> CSAT 50.0; C = arrivals = 1 -> support 100, criticality 100,
# response 200; S = 0, L = 1 (r1's customer emotion is not given -> L = 0):
# EmoNPS = (L - (R-P) - K*S)/(R+S)*100 = (0 - 1 - 0)/2*100 = -50.0
row() { scr_text | grep -F "$1"; }
row "Анна Петрова (e1)" | grep -E "Анна Петрова \(e1\) +2 +50\.0 +100\.0 +100\.0 +200\.0 +-50\.0 " >/dev/null ||
    scr_fail "Анна's KPI row is wrong: $(row 'Анна Петрова (e1)')"
# Boris: R=1, P=0, S=1, no arrivals -> C unknown: support/criticality/response "-";
# EmoNPS = (0 - 1 - 0.5*1)/(1+1)*100 = -75.0
row "Boris Ivanov (e2)" | grep -E "Boris Ivanov \(e2\) +1 +0\.0 +- +- +- +-75\.0 " >/dev/null ||
    scr_fail "Boris's KPI row is wrong: $(row 'Boris Ivanov (e2)')"
# K up: Boris's EmoNPS = (0 - 1 - 0.6)/2*100 = -80.0
scr_keys +
scr_wait_for "K = 0.6"
for ((i = 0; i < 30; i++)); do row "Boris Ivanov (e2)" | grep -qF -- "-80.0" && break; sleep 0.1; done
row "Boris Ivanov (e2)" | grep -qF -- "-80.0" || scr_fail "K=0.6 did not change EmoNPS: $(row 'Boris Ivanov (e2)')"
# K is clamped to [0.2, 1]
scr_keys + + + + + + + +
scr_wait_for "K = 1.0"
scr_keys - - - - - - - - - - - -
scr_wait_for "K = 0.2"
# Calibration: under a positive employee background, 2 ratings, both super
scr_wait_for "Calibration"
scr_text | grep -E "^ positive +2 \(100%\) +- +- +100\.0" >/dev/null &&
    scr_fail "calibration shows dashes for zero counts"
scr_text | grep -E "^ positive +2 \(100%\) +0 \(0%\) +0 \(0%\) +100\.0" >/dev/null ||
    scr_fail "calibration row for positive is wrong: $(scr_text | grep -E '^ positive')"
scr_text | grep -E "^ negative +0 \(0%\) +0 \(0%\) +2 \(100%\) +0\.0" >/dev/null ||
    scr_fail "calibration row for negative is wrong"
# Sample size: population from the prompt (1500 -> 306, DESIGN §8)
scr_keys n
scr_wait_for "Population"
scr_keys -l 1500
scr_keys Enter
scr_wait_for "306 ratings needed for 1500 customers"
# Grouping and periods
scr_keys b
scr_wait_for "by desk"
scr_wait_for "Клиника на Ленина / reg-1"
scr_keys b
scr_wait_for "by location"
scr_keys b
scr_wait_for "by day"
scr_wait_for "$(date +%F)"
scr_keys t
scr_wait_for "Period: 7 days"
scr_keys t
scr_wait_for "Period: 30 days"
# custom range through the prompt
scr_keys R
scr_wait_for "Range FROM TO"
scr_keys C-u
scr_keys -l "2020-01-01 2020-01-02"
scr_keys Enter
scr_wait_for "Period: custom (01.01.2020 - 02.01.2020)"
scr_wait_for "No data for this period."
scr_keys q
scr_wait_exit
[ "$SCR_RC" = 0 ] || scr_fail "exit status $SCR_RC"
echo "kpi: formulas, K, calibration, sample size, grouping and periods on screen"
