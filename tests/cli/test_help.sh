#!/bin/bash
# --help, --version, and help generated from the option table.
. "$(dirname "$0")/lib.sh"

run --help
expect_rc 0 "--help"
expect_out "Usage: precall [check] [OPTIONS]"
expect_out "--stun HOST[:PORT]"
expect_out "Exit status:"
expect_out "udp      UDP reachability"
expect_out "65   bad input data: a malformed profile"
grep -q capture "$out" && not_ok "--help mentions captures, which nothing reads yet" || ok
for code in 74 129 130 143; do
    grep -qE "^  $code " "$out" && ok || not_ok "--help lacks exit status $code"
done
run -h
expect_rc 0 "-h"
run check --help
expect_rc 0 "check --help"
expect_out "--require hd|sd|audio"
run profiles --help
expect_rc 0 "profiles --help"
expect_out "Usage: precall profiles"
run --version
expect_rc 0 "--version"
grep -Eq '^precall [0-9]+\.[0-9]+\.[0-9]+$' "$out" && ok || not_ok "--version: $(cat "$out")"
finish
