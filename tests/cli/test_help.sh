#!/bin/bash
# --help, --version, and help generated from the option table.
. "$(dirname "$0")/lib.sh"

run --help
expect_rc 0 "--help"
expect_out "Usage: precall [check] [OPTIONS]"
expect_out "--stun HOST[:PORT]"
expect_out "Exit status:"
expect_out "udp        UDP reachability"
expect_out "65   bad input data: a malformed profile"
expect_out "precall analyze [OPTIONS] FILE..."
expect_out "precall capture -i IF"
for code in 74 77 129 130 143; do
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

run analyze --help
expect_rc 0 "analyze --help"
expect_out "--clock-rate PT=HZ"
run capture --help
expect_rc 0 "capture --help"
expect_out "--interface IF"
expect_out "77   capture: no permission"
run analyze
expect_rc 64 "analyze without a file"
run analyze --clock-rate 96 x.pcap
expect_rc 64 "--clock-rate without HZ"
run analyze --clock-rate 128=90000 x.pcap
expect_rc 64 "--clock-rate payload type out of range"
run capture
expect_rc 64 "capture without -i"
finish
