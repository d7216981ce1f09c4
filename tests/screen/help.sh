#!/bin/bash
# The help screen lists every action of ui/actions.def, with the keys as
# bound after the user's keymap file, at 80x24 (scrolling) and 200x50.
. "$(dirname "$0")/lib_screen.sh"

mapfile -t names < <(grep -oE '^ACTION\(ACT_[A-Z0-9_]+, "[a-z0-9-]+"' "$CXM_SRC/ui/actions.def" |
    sed -E 's/.*"([^"]+)"/\1/')
[ "${#names[@]}" -gt 30 ] || scr_fail "could not read the actions table (${#names[@]} names)"

# The man page's KEYS table is generated from the same table: keep it so.
for n in "${names[@]}"; do
    grep -qF $'\t'"${n//-/\\-}"$'\t' "$CXM_SRC/data/cxm-console.1" ||
        scr_fail "data/cxm-console.1 KEYS does not list action '$n'"
done

mkdir -p "$XDG_CONFIG_HOME/cxm-console"
printf '# test keymap\nbind w help\nunbind Q\n' >"$XDG_CONFIG_HOME/cxm-console/keys"

check_help() {
    local w=$1 h=$2
    local seen="$SCR_TMP/seen.$w"
    scr_start "$w" "$h" "$CXM_BIN" --demo
    scr_wait_for "Dashboard"
    scr_keys '?'
    scr_wait_for "Everywhere"
    : >"$seen"
    local page
    for page in $(seq 1 60); do
        scr_text >>"$seen"
        grep -qF "Press q or Esc to close" "$seen" && break
        scr_keys PageDown
    done
    grep -qF "Press q or Esc to close" "$seen" || scr_fail "never reached the end of help at ${w}x$h"
    local missing=0 n
    for n in "${names[@]}"; do
        if ! grep -qE "(^| )$n( |$)" "$seen"; then
            echo "help at ${w}x$h does not list action '$n'" >&2
            missing=1
        fi
    done
    [ $missing = 0 ] || scr_fail "actions missing from help"
    # Keys as bound: the keymap file added w to help and took Q from quit.
    grep -E '(^| )help( |$)' "$seen" | grep -qE '\? F1 w ' || scr_fail "help line lacks the rebound key w"
    grep -E ' quit +Quit the console' "$seen" | grep -qF '(unbound)' ||
        scr_fail "quit should show as unbound after 'unbind Q'"
    # w (rebound) closes help again; q leaves.
    scr_keys w
    scr_wait_gone "Everywhere"
    scr_keys q
    scr_wait_exit
    [ "$SCR_RC" = 0 ] || scr_fail "exit status $SCR_RC"
    scr_tmux kill-server
}

check_help 80 24
check_help 200 50

# A broken keymap file: the message names FILE:LINE, the lines before it
# stay applied and the rest of the defaults still work.
printf 'bind w help\nbind z nonsense\n' >"$XDG_CONFIG_HOME/cxm-console/keys"
scr_start 200 50 "$CXM_BIN" --demo
scr_wait_for "Keymap: $XDG_CONFIG_HOME/cxm-console/keys:2: unknown action 'nonsense'"
scr_keys w
scr_wait_for "Everywhere"
scr_keys q
scr_wait_gone "Everywhere"
scr_keys q
scr_wait_exit
echo "help: all ${#names[@]} actions listed at 80x24 and 200x50"
