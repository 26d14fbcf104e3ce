#!/bin/bash
# Usage errors: exit 64, one line on stderr with a hint, nothing on stdout.
. "$(dirname "$0")/lib.sh"

usage_error() {
    run "$@"
    expect_rc 64 "$*"
    expect_err_lines 1
    expect_err "precall: "
    expect_err "(try 'precall "
    expect_empty_out
}

usage_error --bogus
usage_error -Z
usage_error frobnicate
usage_error check extra-operand
usage_error --require ultra
usage_error --require
usage_error --duration abc
usage_error --duration 0
usage_error --duration 10h
usage_error --timeout -5
usage_error --only dns,nosuch
usage_error --skip ''
usage_error --format xml
usage_error --color sometimes
usage_error -4 -6
usage_error --stun '[2001:2::1'
usage_error --stun host:99999
usage_error --stun a --stun b --stun c --stun d --stun e
usage_error --profile nosuchprofile
usage_error -4 --stun 2001:2::1
usage_error -6 --stun '198.18.1.2:3478'
run -4 --stun '[2001:2::1]:3478'
expect_err "an IPv6 address cannot be used with -4"
usage_error profiles --stun 198.18.0.1
run --require ultra
expect_err "--require: expected hd, sd or audio, not 'ultra'"
finish
