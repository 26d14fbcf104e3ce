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

# a2. check --redact itself: its streamed events and its report, in NDJSON, JSON and text
for f in ndjson json text; do
    ip netns exec "$NT_NS_CLIENT" "$PRECALL_BIN" check --redact --only dns,udp -p "$NT_TMP/udp-profile.json" \
        -f $f -v --color never --no-progress --stun rd1.precall.test --stun rd2.precall.test \
        >"$NT_TMP/direct.$f" 2>"$NT_TMP/direct.$f.err" </dev/null
    rc=$?
    [ "$rc" -eq 0 ] || nt_fail "check --redact -f $f: exit $rc ($(head -c 300 "$NT_TMP/direct.$f.err"))"
    if grep -nE '198\.18\.|2001:2:|precall\.test' "$NT_TMP/direct.$f" >&2; then
        nt_fail "check --redact -f $f: an address or name of the test network is left (above)"
    fi
    nt_pass "check --redact -f $f: no address or name of the test network"
done
"$NT_PY" - "$NT_TMP/direct.ndjson" <<'PYEOF' || nt_fail "check --redact -f ndjson: the events and the report disagree"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
report = lines[-1]
figures = [l for l in lines[:-1] if l.get("event") == "figure" and l["scope"]["id"] != "run"]
assert report["metrics"]["public_address"] == "ipv6-1", report["metrics"]["public_address"]
scopes = {s["id"] for s in report["scopes"]}
for f in figures:  # a server's figures stream under the pseudonym its scope has in the report
    assert f["scope"]["id"] in scopes, (f["scope"]["id"], sorted(scopes))
PYEOF
nt_pass "check --redact -f ndjson: the streamed figures name their scopes with the report's pseudonyms"
# a probe's reason in its streamed event: a STUN server name that does not resolve
ip netns exec "$NT_NS_CLIENT" "$PRECALL_BIN" check --redact --only dns,udp -p "$NT_TMP/udp-profile.json" \
    -f ndjson --no-progress --duration 3 --stun nosuch.precall.test >"$NT_TMP/nosuch.ndjson" \
    2>"$NT_TMP/nosuch.err" </dev/null
"$NT_PY" - "$NT_TMP/nosuch.ndjson" <<'PYEOF' || nt_fail "check --redact: a streamed reason keeps the server's name"
import json, sys
text = open(sys.argv[1]).read()
lines = [json.loads(l) for l in text.splitlines()]
reasons = [l["reason"] for l in lines if l.get("event") == "probe_done" and l.get("reason")]
assert any("host-1" in r for r in reasons), reasons
assert "nosuch" not in text and "precall.test" not in text, text
PYEOF
nt_pass "check --redact -f ndjson: a probe's streamed reason names the server by its pseudonym"

# b. an analysis of a real capture with its own addresses
CAP=$PRECALL_SRC/../../shared/captures-real/lekensteyn__webrtc-freeswitch.pcapng
[ -f "$CAP" ] || CAP=/work/shared/captures-real/lekensteyn__webrtc-freeswitch.pcapng
[ -f "$CAP" ] || nt_skip "no real capture at $CAP"
A=$NT_TMP/plain-analyze.json
"$PRECALL_BIN" analyze --json "$CAP" >"$A" 2>"$A.stderr"
nt_validate_report "$A"
redacted "$A" analyze
nt_done
