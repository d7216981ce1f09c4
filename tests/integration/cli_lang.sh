#!/usr/bin/env bash
# The CLI speaks the locale's language like the console: kpi headers use the
# scale's labels and name the `all` row, alerts tables and error messages are
# translated, system text is not glued into the other language; one date
# format (DD.MM.YYYY) in both languages; --from/--to take DD.MM.YYYY too.
source "$(dirname "$0")/lib_cli.sh"
DB="$T/l.db"
run "$T/out" "$T/err" "$CXM_BIN" import --db "$DB" "$FIX/kpi_small.jsonl" "$CXM_SRC/tests/fixtures/alerts/day.jsonl"
expect_rc 0 "fixtures imported"

ru() { LC_ALL=ru_RU.UTF-8 "$CXM_BIN" "$@"; }
en() { LC_ALL=en_US.UTF-8 "$CXM_BIN" "$@"; }

# --- kpi table ---
ru kpi --db "$DB" --by all >"$T/kpi_ru.txt"
expect_grep "$T/kpi_ru.txt" '^КЛЮЧ +ИМЯ +Супер +Так себе +Плохо +ОЦЕНОК' "ru: kpi headers are the scale's labels"
expect_grep "$T/kpi_ru.txt" '^все +все ' "ru: the all row is named in Russian"
check "ru: no English rating values in the header" bash -c "! grep -q 'so_so' '$T/kpi_ru.txt'"
en kpi --db "$DB" --by all >"$T/kpi_en.txt"
expect_grep "$T/kpi_en.txt" '^KEY +NAME +Super +So-so +Bad +RATINGS' "en: kpi headers are the scale's labels"
expect_grep "$T/kpi_en.txt" '^all +all ' "en: the all row"
ru kpi --db "$DB" --by all --lang en >"$T/kpi_lang.txt"
expect_grep "$T/kpi_lang.txt" '^KEY +NAME +Super' "--lang en overrides a Russian locale"
ru kpi --db "$DB" --by all --format json >"$T/kpi_ru.json"
expect_grep "$T/kpi_ru.json" '"key": "all", "name": "all"' "JSON keeps the key 'all' in any language"

# --- dates: DD.MM.YYYY is the same local midnight as YYYY-MM-DD ---
en kpi --db "$DB" --by day --from 2026-11-23 --to 2026-11-24 --format json >"$T/iso.json"
en kpi --db "$DB" --by day --from 23.11.2026 --to 24.11.2026 --format json >"$T/dot.json"
check "--from/--to accept DD.MM.YYYY" cmp -s "$T/iso.json" "$T/dot.json"
expect_grep "$T/dot.json" '"key": "2026-11-23"' "the dotted period holds the day"

# --- alerts table ---
ru alerts --db "$DB" --state all >"$T/al_ru.txt"
expect_grep "$T/al_ru.txt" '^№ +СОСТОЯНИЕ +ПРАВИЛО +ГДЕ +ОТКРЫТА' "ru: alerts headers"
expect_grep "$T/al_ru.txt" 'открыта +[a-z-]+ +[a-z0-9-]+ +23\.11\.2026 [0-9]{2}:[0-9]{2}' "ru: alerts state word and DD.MM.YYYY date"
en alerts --db "$DB" --state all >"$T/al_en.txt"
expect_grep "$T/al_en.txt" '^ID +STATE +RULE +SCOPE +OPENED' "en: alerts headers"
expect_grep "$T/al_en.txt" 'open +[a-z-]+ +[a-z0-9-]+ +23\.11\.2026 [0-9]{2}:[0-9]{2}' "en: the same date format"
check "no month-first dates (12-01 11:10)" bash -c "! grep -Eq ' [0-9]{2}-[0-9]{2} [0-9]{2}:' '$T/al_ru.txt' '$T/al_en.txt'"
ru alerts --db "$DB" events 1 >"$T/ev_ru.txt"
expect_grep "$T/ev_ru.txt" '^ВРЕМЯ +ТИП' "ru: alert events headers"
expect_grep "$T/ev_ru.txt" '^23\.11\.2026 ' "ru: alert events dated DD.MM.YYYY"

# --- alerts replay: each change and the totals in the language ---
printf '[alert.negative-streak]\nenabled = no\n[alert.unhappy-share]\nenabled = no\n' >"$T/norules.ini"
for l in ru en; do
    run "$T/out" "$T/err" "$CXM_BIN" import --db "$T/replay_$l.db" --config "$T/norules.ini" \
        "$CXM_SRC/tests/fixtures/alerts/day.jsonl"
    expect_rc 0 "replay fixture imported without rules ($l)"
done
ru alerts replay --db "$T/replay_ru.db" >"$T/replay_ru.txt"
expect_grep "$T/replay_ru.txt" '^открыта +#1 negative-streak .* в 2026-11-23T' "ru: replay names an opened alert in Russian"
expect_grep "$T/replay_ru.txt" '^открыто тревог: 2, исчезло: 0, осталось: 0 \(перенесено: 0\)$' "ru: replay totals in Russian"
check "ru: no English in the replay" bash -c "! grep -Eq 'opened|disappeared|kept' '$T/replay_ru.txt'"
ru alerts replay --db "$T/replay_ru.db" >"$T/replay_ru2.txt"
expect_grep "$T/replay_ru2.txt" '^открыто тревог: 0, исчезло: 0, осталось: 2 \(перенесено: 0\)$' "ru: a second replay keeps both"
en alerts replay --db "$T/replay_en.db" >"$T/replay_en.txt"
expect_grep "$T/replay_en.txt" '^opened +#1 negative-streak .* at 2026-11-23T' "en: replay names an opened alert"
expect_grep "$T/replay_en.txt" '^opened 2 alerts, 0 disappeared, 0 kept \(0 moved\)$' "en: replay totals"

# --- errors ---
run "$T/out" "$T/err" ru kpi --db "$DB" --by bogus
expect_rc 2 "ru: bad --by"
expect_grep "$T/err" "^cxm-console kpi: --by: 'bogus' — не employee" "ru: usage error in Russian"
expect_grep "$T/err" "^Справка: " "ru: the help hint in Russian"
run "$T/out" "$T/err" en kpi --db "$DB" --by bogus
expect_grep "$T/err" "^cxm-console kpi: --by: 'bogus' is not one of" "en: usage error in English"
run "$T/out" "$T/err" ru kpi --db "$T/nope.db"
expect_rc 1 "ru: missing database"
expect_grep "$T/err" "nope.db: базы нет \(сначала импортируйте события\)" "ru: missing database in Russian"
run "$T/out" "$T/err" ru kpi --db "$DB" --from 31.02.2026
expect_grep "$T/err" "не RFC 3339" "ru: a bad date in Russian"
# System text stays as the system gives it, after the sentence, not inside it.
printf 'not a database, just text\n%.0s' $(seq 1 200) >"$T/junk.db"
run "$T/out" "$T/err" ru kpi --db "$T/junk.db"
expect_rc 1 "ru: not a database"
expect_grep "$T/err" "^cxm-console kpi: не удалось открыть базу: .*junk.db: " "ru: the store's text ends the Russian sentence"
run "$T/out" "$T/err" ru sample-size --population 1500
expect_grep "$T/out" "^оценок нужно из 1500 контактов" "ru: sample-size sentence"
run "$T/out" "$T/err" ru alerts --db "$DB" bogus
expect_grep "$T/err" "неизвестное действие 'bogus'" "ru: alerts usage error"
# Error texts from the core (config file) and a feed (cloud URL): Russian
# through the whole sentence; only the path, URL, key and section names (and
# the protocol names https, TLS) stay Latin.
printf '[feeds]\nbogus = 1\n' >"$T/badkey.ini"
run "$T/out" "$T/err" ru kpi --db "$DB" --config "$T/badkey.ini"
expect_grep "$T/err" "^cxm-console kpi: .*badkey.ini:2: неизвестный ключ 'bogus' в \[feeds\]$" "ru: unknown config key in Russian"
check "ru: no English words in the config error" bash -c \
    "sed -e 's|$T/badkey.ini||; s|cxm-console kpi||; s|bogus||; s|feeds||' '$T/err' | { ! grep -Eq '[A-Za-z]{2,}'; }"
run "$T/out" "$T/err" en kpi --db "$DB" --config "$T/badkey.ini"
expect_grep "$T/err" "badkey.ini:2: unknown key 'bogus' in \[feeds\]$" "en: unknown config key in English"
run "$T/out" "$T/err" ru ingest --db "$T/ing.db" --cloud http://x.invalid/y
expect_rc 1 "ru: plain-http cloud feed refused"
expect_grep "$T/err" "облачный поток http://x.invalid/y: нужен https://" "ru: the cloud feed error in Russian"
check "ru: no English words in the cloud feed error" bash -c \
    "sed -e 's|http://x.invalid/y||; s|cxm-console ingest||; s|https://||; s|TLS||' '$T/err' | { ! grep -Eq '[A-Za-z]{2,}'; }"
run "$T/out" "$T/err" en ingest --db "$T/ing.db" --cloud http://x.invalid/y
expect_grep "$T/err" "cloud feed http://x.invalid/y: must be https://" "en: the cloud feed error in English"
printf '{"id":"a1","type":"rating","desk":"d1","rating":"super"}\n' >"$T/nots.jsonl"
run "$T/out" "$T/err" ru import --db "$T/nots.db" "$T/nots.jsonl"
expect_grep "$T/err" 'nots.jsonl: line 1: ts: отсутствует$' "ru: an import rejection reason in Russian"
run "$T/out" "$T/err" en import --db "$T/nots.db" "$T/nots.jsonl"
expect_grep "$T/err" 'nots.jsonl: line 1: ts: missing$' "en: an import rejection reason in English"
finish
