#!/bin/bash
# integration.redact: --redact leaves no address or name of the test network
# in any format (issue 18, item 8).
#   a. a check in the test network (IPv4 and IPv6 STUN servers named in the
#      client's hosts file, NAT on the router): saved as JSON, then
#      'precall show --redact' in text (-v), json and ndjson
#   b. an analysis of a real capture (shared/captures-real) the same way
# Each output is grepped for 198.18., 2001:2:, the host names and every
# address of the plain report; the same address has the same pseudonym
# everywhere and two never share one (redact_check.py).
. "$(dirname "$0")/netns.sh"
NT_IPV6=1
nt_setup_stun_test
nt_udp_checks
nt_nat_masquerade
for n in 1 2; do
    v6=NT_STUN${n}_V6 v4=NT_STUN$n
    nt_hosts_add "$NT_NS_CLIENT" "${!v6}" "rd$n.precall.test"
    nt_hosts_add "$NT_NS_CLIENT" "${!v4}" "rd$n.precall.test"
done
CHECK=$PC_IT_DIR/redact_check.py

# redacted PLAIN NAME FORBIDDEN...: show --redact of PLAIN in every format, then the checks
redacted() {
    local plain=$1 name=$2 f
    shift 2
    for f in json ndjson; do
        "$PRECALL_BIN" show --redact -f $f "$plain" >"$NT_TMP/$name.$f" 2>"$NT_TMP/$name.$f.err"
    done
    "$PRECALL_BIN" show --redact -v --color never "$plain" >"$NT_TMP/$name.txt" 2>"$NT_TMP/$name.txt.err"
    "$PRECALL_BIN" show --redact -q "$plain" >"$NT_TMP/$name.q" 2>&1
    nt_log "$name, redacted: $(head -c 600 "$NT_TMP/$name.txt")"
    if "$NT_PY" "$CHECK" "$plain" "$NT_TMP/$name.json" "$NT_TMP/$name.ndjson" "$NT_TMP/$name.txt" \
        "$NT_TMP/$name.q" -- "$@" >&2; then
        nt_pass "$name: no address or name left, pseudonyms stable"
    else
        nt_fail "$name: redact_check.py"
    fi
    nt_validate_report "$NT_TMP/$name.json"
}

# a. a check: the plain report holds the test network's addresses and names
J=$NT_TMP/plain-check.json
nt_precall "$NT_NS_CLIENT" "$J" check --only dns,udp -p "$NT_TMP/udp-profile.json" --json \
    --no-progress --stun rd1.precall.test --stun rd2.precall.test
nt_validate_report "$J"
nt_expect_rc 0
grep -q '198\.18\.' "$J" && grep -q '2001:2:' "$J" && grep -q 'rd1\.precall\.test' "$J" ||
    nt_fail "the plain check report lacks the addresses and names it should hold"
# The IPv6 path is tried first and has no NAT: the public address is the client's own.
nt_check "$J" 'm["public_address"] == "2001:2::2"' "plain: the public address is the client's IPv6 address"
nt_check "$J" 'any("mapped address 198.18.1.1:" in t["detail"] for t in r["probes"]["udp"]["targets"])' \
    "plain: the IPv4 path is mapped to the router's address"
redacted "$J" check 198.18. 2001:2: precall.test
nt_check "$NT_TMP/check.json" 'm["public_address"] == "ipv6-1"' \
    "redacted: the public address is the first IPv6 pseudonym"
nt_check "$NT_TMP/check.json" 'len([t for t in r["probes"]["udp"]["targets"] if "mapped address [ipv6-1]:" in t["detail"]]) == 2' \
    "redacted: the mapped IPv6 address of both servers is the public address's pseudonym"

# b. an analysis of a real capture with its own addresses
CAP=$PRECALL_SRC/../../shared/captures-real/lekensteyn__webrtc-freeswitch.pcapng
[ -f "$CAP" ] || CAP=/work/shared/captures-real/lekensteyn__webrtc-freeswitch.pcapng
[ -f "$CAP" ] || nt_skip "no real capture at $CAP"
A=$NT_TMP/plain-analyze.json
"$PRECALL_BIN" analyze --json "$CAP" >"$A" 2>"$A.stderr"
nt_validate_report "$A"
redacted "$A" analyze
nt_done
