#!/bin/bash
# A report that cannot be written to stdout is an error, in every command
# and format: one line on stderr naming the reason, exit 74. /dev/full
# fails every write with ENOSPC. No packet is sent: the only probe is dns,
# with a numeric server.
. "$(dirname "$0")/lib.sh"

[ -w /dev/full ] || skip "no writable /dev/full"
offline="--only dns --stun 127.0.0.1 --no-progress"
msg="precall: cannot write to standard output: No space left on device"

full() { # ARGS...: run precall with stdout on /dev/full
    "$PRECALL" "$@" >/dev/full 2>"$WORK/err" </dev/null
    rc=$?
    err=$WORK/err
}

for args in "$offline" "$offline --json" "$offline -f text -v" "$offline -o -" "check $offline -q" \
    "profiles" "profiles --json" "profiles -v" \
    "--help" "check --help" "profiles --help" "--version" "profiles --version"; do
    # shellcheck disable=SC2086
    full $args
    expect_rc 74 "$args > /dev/full"
    [ "$(cat "$err")" = "$msg" ] && ok || not_ok "$args > /dev/full: stderr '$(cat "$err")'"
done

# A report larger than stdio's buffer (4 KiB on /dev/full) fails inside
# fwrite, not at the final flush. Four silent loopback servers, one second.
big="--only udp --duration 1 --no-progress --json"
for a in 1 2 3 4; do big="$big --stun 127.0.0.$a:9"; done
big="$big --skip http,bandwidth"
# shellcheck disable=SC2086
"$PRECALL" $big >"$WORK/big.json" 2>/dev/null
[ "$(wc -c <"$WORK/big.json")" -gt 4096 ] || echo "note: the report is only $(wc -c <"$WORK/big.json") bytes"
# shellcheck disable=SC2086
full $big
expect_rc 74 "a large report > /dev/full"
[ "$(cat "$err")" = "$msg" ] && ok || not_ok "large report > /dev/full: stderr '$(cat "$err")'"

# -o that fails and a stdout that fails: both are said, exit 74.
full $offline --json -o "$WORK/nosuchdir/r.json"
expect_rc 74 "-o and stdout both fail"
expect_err "cannot write $WORK/nosuchdir/r.json"
expect_err "$msg"
expect_err_lines 2

# With -o FILE nothing goes to stdout, so a full stdout does not matter.
full $offline --json -o "$WORK/r.json"
expect_rc 3 "-o FILE with stdout on /dev/full"
[ ! -s "$err" ] && ok || not_ok "stderr not empty: $(cat "$err")"
validate "$WORK/r.json"

# A usage error writes nothing to stdout: still 64, with its own message only.
full --bogus
expect_rc 64 "usage error with stdout on /dev/full"
expect_err_lines 1
finish
