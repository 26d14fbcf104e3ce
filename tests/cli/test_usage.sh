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

# Exact messages (issue items 14): each names the option and the reason.
usage_msg() { # MESSAGE ARGS...: a usage error whose message is exactly MESSAGE
    local msg=$1
    shift
    usage_error "$@"
    grep -qxF -- "precall: $msg (try 'precall --help')" "$err" && ok || not_ok "$*: stderr '$(cat "$err")', expected '$msg'"
}
usage_msg "--duration: '0' is out of range (1 to 3600 seconds)" --duration 0
usage_msg "--timeout: '4001' is out of range (1 to 4000 seconds)" --timeout 4001
usage_msg "--duration: '0x10' is not a number of seconds" --duration 0x10
usage_msg "--duration: 'inf' is not a number of seconds" --duration inf
usage_msg "--duration: 'nan' is not a number of seconds" --duration nan
usage_msg "--duration: ' 5' is not a number of seconds" --duration ' 5'
usage_msg "--duration: '1e3' is not a number of seconds" --duration 1e3
usage_msg "--duration: '+5' is not a number of seconds" --duration +5
usage_msg "--duration: '10h': unknown unit (use s, ms or m)" --duration 10h
usage_msg "--output: the file name is empty" -o ''
usage_msg "--output: the file name is empty" --output=
usage_msg "-q and -v exclude each other" -q -v
usage_msg "-q and -v exclude each other" -v --quiet
usage_msg "-4 and -6 exclude each other" -4 -6
usage_msg "-4 and -6 exclude each other" -6 -4 -4
usage_msg "--only/--skip: nothing left to run" --skip dns,http,udp,bandwidth,system,devices,traffic
usage_msg "--only/--skip: nothing left to run" --skip dns,http --skip udp --skip bandwidth --skip system --skip devices --skip traffic
usage_msg "--server: expected an https:// URL, not 'ftp://speed.example'" --server ftp://speed.example
usage_msg "--cacert: expected a file name" --cacert ""
usage_msg "--only/--skip: nothing left to run" --only udp --skip udp
usage_msg "--stun: 'host: 80': white space in a host or port" --stun 'host: 80'
usage_msg "--stun: ' host': white space in a host or port" --stun ' host'
usage_msg "--stun: 'host:+80': port must be 1 to 65535" --stun 'host:+80'
# A control character in a host name is refused, and the message shows it as '?':
# nothing the user typed can drive the terminal through an error message.
usage_msg "--stun: 'a?[31mb': a control character in a host name" --stun $'a\e[31mb'
grep -q $'\e' "$err" && not_ok "an escape character reached stderr" || ok

# A long argument is shortened in the message; the reason survives.
long=$(printf 'x%.0s' $(seq 300))
usage_msg "--require: expected hd, sd or audio, not '$(printf 'x%.0s' $(seq 57))...'" --require "$long"
usage_msg "--duration: '$(printf 'x%.0s' $(seq 57))...' is not a number of seconds" --duration "$long"
usage_msg "--duration: '1$(printf 'x%.0s' $(seq 56))...': unknown unit (use s, ms or m)" --duration "1$long"
usage_msg "--stun: 'h:$(printf 'x%.0s' $(seq 55))...': port must be 1 to 65535" --stun "h:$long"
usage_msg "--duration: '$(printf '1%.0s' $(seq 57))...' is out of range (1 to 3600 seconds)" --duration "$(printf '1%.0s' $(seq 400))"

# Accepted: a repeated flag, plain decimals with units, repeated --only that add up.
# (Numeric server, dns only: no packet is sent; exit 3 is "no verdict: nothing checked".)
offline="--stun 127.0.0.1 --no-progress --json"
run -4 -4 --only dns $offline
expect_rc 3 "-4 -4"
run -q -q --only dns $offline
expect_rc 3 "-q -q"
run --duration 1.5s --timeout 2000ms --only dns $offline
expect_rc 3 "--duration 1.5s"
run --only dns --only udp --skip udp $offline
expect_rc 3 "--only dns --only udp --skip udp"
"$PY" - "$out" <<'PY' && ok || not_ok "repeated --only did not add up"
import json, sys
p = json.load(open(sys.argv[1]))["probes"]
assert "not selected" not in p["dns"]["reason"], p
assert "not selected" in p["udp"]["reason"], p
PY
run --only udp --only dns --skip udp $offline
expect_rc 3 "--only udp --only dns --skip udp"
finish
