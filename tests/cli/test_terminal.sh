#!/bin/bash
# On a terminal: the progress line appears on stderr and colour follows
# --color and NO_COLOR; off a terminal neither appears. script(1) gives the
# program a pseudo-terminal. No packet is sent: the only probe is dns, with a
# numeric server.
. "$(dirname "$0")/lib.sh"

command -v script >/dev/null || skip "script(1) is not installed"
args="--only dns --stun 127.0.0.1"

on_tty() { # ENV... : run precall on a pty with the given environment, capture everything
    env "$@" TERM=xterm script -qec "$PRECALL $args" /dev/null >"$WORK/tty" 2>&1 </dev/null
}

on_tty
grep -q "Looking up the test servers" "$WORK/tty" && ok || not_ok "no progress line on a terminal"
grep -q $'\033\\[1m' "$WORK/tty" && ok || not_ok "no colour on a terminal with --color auto"
on_tty NO_COLOR=1
grep -q $'\033\\[3[12]m' "$WORK/tty" && not_ok "colour despite NO_COLOR" || ok
grep -q "No verdict" "$WORK/tty" && ok || not_ok "verdict missing with NO_COLOR"
args="$args --no-progress"
on_tty
grep -q "Looking up the test servers" "$WORK/tty" && not_ok "progress despite --no-progress" || ok

# Off a terminal: nothing on stderr, no colour on stdout.
run --only dns --stun 127.0.0.1
[ ! -s "$err" ] && ok || not_ok "stderr not empty off a terminal: $(cat "$err")"
grep -q $'\033' "$out" && not_ok "colour off a terminal" || ok
run --only dns --stun 127.0.0.1 --color always
grep -q $'\033\\[' "$out" && ok || not_ok "--color always gave no colour"
finish
