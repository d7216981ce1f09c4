#!/bin/bash
# The Telegram forwarder's state in the status bar follows the UI language
# ("TG: ожидание" in Russian, "TG: idle" in English); the ingest status line
# keeps the English words (feed_telegram.sh). Nothing is sent: no alerts.
. "$(dirname "$0")/lib_screen.sh"
printf '123456:test-token\n' >"$SCR_TMP/token"
chmod 600 "$SCR_TMP/token"
cat >"$SCR_TMP/tg.ini" <<INI
[telegram]
token_file = $SCR_TMP/token
chat_id = -1001234567890
api_base = http://127.0.0.1:9
INI
scr_start 100 24 "$CXM_BIN" --db "$SCR_TMP/s.db" --config "$SCR_TMP/tg.ini" --lang ru
scr_wait_for "TG: ожидание"
scr_text | grep -qF "TG: idle" && scr_fail "English state word in a Russian session"
scr_keys q
scr_wait_exit
scr_start 100 24 "$CXM_BIN" --db "$SCR_TMP/s2.db" --config "$SCR_TMP/tg.ini" --lang en
scr_wait_for "TG: idle"
scr_keys q
scr_wait_exit
echo "tg_status_ru: the Telegram state in the status bar in the UI language"
