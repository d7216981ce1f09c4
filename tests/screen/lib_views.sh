# Fixtures for the dashboard/stream/detail/KPI screen tests: JSON-lines
# events stamped relative to now (so they are "today"), imported with the
# real `cxm-console import` into a database of the test's own.
#   vw_ts SECONDS_AGO            RFC 3339 UTC timestamp
#   vw_event ID AGO TYPE LOC LOCNAME DESK EMP EMPNAME [EXTRA_JSON]
#   vw_fixture FILE              the standard set of employees and events
#   vw_import DB FILE            import, failing the test on any rejection

vw_ts() { date -u -d "@$(($(date +%s) - $1))" +%Y-%m-%dT%H:%M:%S.000Z; }

vw_event() {
    local id=$1 ago=$2 type=$3 loc=$4 locname=$5 desk=$6 emp=$7 empname=$8 extra=${9:-}
    printf '{"id":"%s","ts":"%s","type":"%s","location":{"id":"%s","name":"%s"},"desk":"%s","employee":{"id":"%s","name":"%s"}%s}\n' \
        "$id" "$(vw_ts "$ago")" "$type" "$loc" "$locname" "$desk" "$emp" "$empname" "$extra"
}

vw_emo() { printf ',"emotion":{"employee":{"label":"%s"}}' "$1"; }

# Three locations/desks, four employees; two Cyrillic names of different
# byte lengths but equal or different widths, one Latin, one long.
vw_fixture() {
    local f=$1 C=clinic-1 CN="Клиника на Ленина" P=petrol-7 PN="АЗС №7"
    # Stamped (now - 20 min, or midnight when that is later) + N seconds: a
    # bigger N is later, and "today" holds them whatever the time of day.
    local m=$(( $(date +%s) - $(date -d "$(date +%F)" +%s) ))
    [ "$m" -gt 1200 ] && m=1200
    # Just after midnight the set would not fit in today: wait until it does.
    if [ "$m" -lt 150 ]; then
        sleep $((150 - m))
        m=150
    fi
    {
        vw_event em1 $((m - 10)) emotion $C "$CN" reg-1 e1 "Анна Петрова" "$(vw_emo positive)"
        vw_event ar1 $((m - 20)) arrival $C "$CN" reg-1 e1 "Анна Петрова" ',"visit":"v-1"'
        vw_event r1 $((m - 30)) rating $C "$CN" reg-1 e1 "Анна Петрова" \
            ',"visit":"v-1","rating":"super","camera":"cam-3"'"$(vw_emo positive)"
        vw_event r2 $((m - 40)) rating $C "$CN" reg-1 e1 "Анна Петрова" ',"rating":"bad"'"$(vw_emo negative)"
        vw_event rb1 $((m - 50)) red_button $C "$CN" reg-1 e1 "Анна Петрова"
        vw_event em2 $((m - 60)) emotion $C "$CN" reg-2 e2 "Boris Ivanov" "$(vw_emo mixed)"
        vw_event r3 $((m - 70)) rating $C "$CN" reg-2 e2 "Boris Ivanov" ',"rating":"so_so"'"$(vw_emo mixed)"
        vw_event s1 $((m - 80)) silent $C "$CN" reg-2 e2 "Boris Ivanov" "$(vw_emo poker)"
        vw_event em3 $((m - 90)) emotion $P "$PN" till-1 e3 "Ёлкин Пётр" "$(vw_emo poker)"
        vw_event r4 $((m - 100)) rating $P "$PN" till-1 e3 "Ёлкин Пётр" ',"rating":"super"'"$(vw_emo positive)"
        vw_event em4 $((m - 110)) emotion $P "$PN" till-1 e4 "Александра Константинопольская" "$(vw_emo negative)"
        vw_event r5 $((m - 120)) rating $P "$PN" till-1 e4 "Александра Константинопольская" ',"rating":"bad"'"$(vw_emo negative)"
    } >"$f"
}

vw_import() {
    local out
    out=$("$CXM_BIN" import --db "$1" "$2" 2>&1) || { echo "import failed: $out"; exit 1; }
    echo "$out" | grep -q "rejected 0" || { echo "import rejected lines: $out"; exit 1; }
}

# Display column (0-based) where the first occurrence of MARK starts in a
# screen line: the width of what precedes it.
vw_col_of() {
    local line=$1 mark=$2
    case "$line" in *"$mark"*) ;; *) echo -1; return ;; esac
    printf '%s' "${line%%"$mark"*}" | wc -L
}
