#!/bin/bash
# integration.causes: under every "Not ready" the cause comes first, named
# for what is really wrong, and what follows from it is said once.
#
#   a. UDP blocked by the router: "Not ready: UDP is blocked on this
#      network" (verdict.cause udp-blocked); the checks the udp probe could
#      not measure share one "not measured (UDP is blocked ...)" line
#      instead of a FAIL line each.
#   b. a mistyped server name that the resolver says does not exist
#      (NXDOMAIN): "Not ready: the server name X does not exist"
#      (name-not-found), not udp-blocked, dns-failed or offline.
#   c. one good server and one unknown name: the good one measures, the
#      verdict is its tier; name-not-found is a warning, and no dns-failed
#      ("Restart your router").
#   d. -6 on a network with IPv4 only: "Not ready: this network has no IPv6
#      connection" (no-ipv6), not "no internet connection".
#   e. 5 % loss on a wired link (the client's veth, which the system probe
#      tells as wired): loss advice without a word about Wi-Fi, and no
#      "pause downloads" from high idle latency alone.
#
# Before the rework: a. said "Not ready" with five FAIL lines and no cause;
# b. called a typo udp-blocked or offline; c. added dns-failed; d. said
# "no internet connection".
#
# The NXDOMAIN answers come from tests/integration/nxdomain.py, listening on
# the client's resolv.conf address (198.18.1.2:53, in the server ns). Names
# in the client's hosts file (stun1.precall.test) still resolve: glibc reads
# the hosts file first.
. "$(dirname "$0")/netns.sh"
. "$(dirname "$0")/checks.sh"
nt_setup_stun_test
nt_udp_checks
TYPO=nosuch.precall.test
FAULTS='["udp-blocked", "dns-failed", "offline", "server-stopped"]'

nt_bg "$NT_NS_SERVER" "$NT_TMP/nxdomain.log" "$NT_PY" "$PC_IT_DIR/nxdomain.py" "$NT_STUN1" 53 \
    "$NT_TMP/nxdomain.ready"
NXD_PID=$NT_LAST_PID
nt_wait_file "$NT_TMP/nxdomain.ready" || { cat "$NT_TMP/nxdomain.log" >&2; nt_fail "nxdomain.py did not start"; }
# The fixture must really answer NXDOMAIN in the client ns, or b. and c.
# would test a timeout instead.
nt_client "$NT_PY" -c '
import socket, sys
try:
    socket.getaddrinfo(sys.argv[1], 3478)
except socket.gaierror as e:
    sys.exit(0 if e.errno == socket.EAI_NONAME else 1)
sys.exit(1)' "$TYPO" || nt_fail "the resolver in the client ns does not answer NXDOMAIN for $TYPO"
nt_pass "the client's resolver answers NXDOMAIN for $TYPO"

# b. A mistyped name, --only udp: the udp probe looks it up itself.
J=$NT_TMP/typo.json
nt_precall "$NT_NS_CLIENT" "$J" check --only udp --stun "$TYPO" --json --no-progress
nt_validate_report "$J"
nt_expect_rc 2
tc_py "$J" "typo: the headline names the missing name, advice name-not-found only" <<PY
v = r["verdict"]
assert not set(ids) & set($FAULTS), ids
assert "name-not-found" in ids, ids
assert v["label"] == "Not ready: the server name $TYPO does not exist", v
assert v.get("cause") == "name-not-found", v
assert m["online"] is not False, ("a typo is not offline", m["online"])
a = [a for a in r["advice"] if a["id"] == "name-not-found"][0]
assert "$TYPO" in a["text"], a
PY
T=$NT_TMP/typo.txt
ip netns exec "$NT_NS_CLIENT" "$PRECALL_BIN" --only udp --stun "$TYPO" --no-progress \
    --color never >"$T" 2>"$T.stderr" </dev/null
tc_line "$T" 1 "Not ready: the server name $TYPO does not exist" "typo text: the cause first"
tc_lacks "$T" 'Restart your router|blocks the kind of traffic|not connected to the internet' \
    "typo text: no advice about the network"

# The same with the dns probe too (the default probes).
J=$NT_TMP/typo-all.json
nt_precall "$NT_NS_CLIENT" "$J" check --stun "$TYPO" --json "${NT_UDP_ONLY[@]}" --no-progress
nt_validate_report "$J"
nt_expect_rc 2
tc_py "$J" "typo, dns and udp: name-not-found, no dns-failed" <<PY
v = r["verdict"]
assert not set(ids) & set($FAULTS), ids
assert v["label"] == "Not ready: the server name $TYPO does not exist", v
assert r["probes"]["dns"]["cause"] == "name-not-found", r["probes"]["dns"]
PY

# c. One good server, one unknown name.
J=$NT_TMP/one-good.json
nt_precall "$NT_NS_CLIENT" "$J" check --stun "$NT_STUN1_NAME" --stun "$TYPO" --json "${NT_UDP_ONLY[@]}" --no-progress
nt_validate_report "$J"
nt_expect_rc 0
tc_py "$J" "one good, one unknown: the good one's tier, name-not-found as a warning, no dns-failed" <<PY
v = r["verdict"]
assert "dns-failed" not in ids and not set(ids) & set($FAULTS), ids
assert v["label"] == "Ready for HD video" and v["ready"] is True, v
assert m["udp_reachable"] is True and m["probes_answered"] > 0, m
a = [a for a in r["advice"] if a["id"] == "name-not-found"]
assert len(a) == 1 and a[0]["severity"] == "warning" and "$TYPO" in a[0]["text"], r["advice"]
PY
T=$NT_TMP/one-good.txt
ip netns exec "$NT_NS_CLIENT" "$PRECALL_BIN" --stun "$NT_STUN1_NAME" --stun "$TYPO" "${NT_UDP_ONLY[@]}" --no-progress \
    --color never >"$T" 2>"$T.stderr" </dev/null
tc_line "$T" 1 "Ready for HD video" "one good text: the verdict of the good server"
tc_has "$T" "The server name $TYPO does not exist." "one good text: says which name does not exist"
tc_lacks "$T" 'Restart your router' "one good text: no 'Restart your router'"
nt_stop "$NXD_PID"
[ "$(cat "$NT_TMP/nxdomain.ready.count" 2>/dev/null || echo 0)" -gt 0 ] &&
    nt_pass "nxdomain.py answered $(cat "$NT_TMP/nxdomain.ready.count") queries" ||
    tc_fail "nxdomain.py answered no query"

# d. -6 on an IPv4-only network: a namespace with a veth pair of its own
# (both ends inside: nothing leaves it), an IPv4 address and an IPv4 default
# route, IPv6 disabled. The STUN server is an IPv6 literal (no lookup).
nt_isolated V4ONLY
ip -n "$V4ONLY" link add "pc${NT_ID}v0" type veth peer name "pc${NT_ID}v1" || nt_fail "veth"
ip -n "$V4ONLY" addr add 198.18.200.2/24 dev "pc${NT_ID}v0"
ip -n "$V4ONLY" link set "pc${NT_ID}v0" up
ip -n "$V4ONLY" link set "pc${NT_ID}v1" up
ip -n "$V4ONLY" route add default via 198.18.200.1 || nt_fail "IPv4 default route"
J=$NT_TMP/v6-on-v4.json
nt_precall "$V4ONLY" "$J" check -6 --stun "[$NT_STUN1_V6]:3478" --json "${NT_UDP_ONLY[@]}" --no-progress
nt_validate_report "$J"
nt_expect_rc 2
tc_py "$J" "-6 on IPv4 only: no-ipv6, not offline" <<PY
v = r["verdict"]
assert "offline" not in ids and v.get("cause") != "offline", (ids, v)
assert v["label"] == "Not ready: this network has no IPv6 connection", v
assert v.get("cause") == "no-ipv6" and "no-ipv6" in ids, (v, ids)
assert not set(ids) & set($FAULTS), ids
PY
T=$NT_TMP/v6-on-v4.txt
ip netns exec "$V4ONLY" "$PRECALL_BIN" -6 --stun "[$NT_STUN1_V6]:3478" "${NT_UDP_ONLY[@]}" --no-progress --color never \
    >"$T" 2>"$T.stderr" </dev/null
tc_line "$T" 1 "Not ready: this network has no IPv6 connection" "-6 text: the cause first"

# a. UDP blocked: the cause first, its consequences on one line.
nt_block_udp
J=$NT_TMP/blocked.json
nt_precall_both "$J"
nt_validate_report "$J"
nt_expect_rc 2
tc_py "$J" "UDP blocked: verdict.cause udp-blocked, headline names it" <<PY
v = r["verdict"]
assert v["label"] == "Not ready: UDP is blocked on this network", v
assert v.get("cause") == "udp-blocked", v
assert ids[0] == "udp-blocked", ids
assert m["udp_reachable"] is False, m
PY
T=$NT_TMP/blocked.txt
ip netns exec "$NT_NS_CLIENT" "$PRECALL_BIN" --only dns,udp --stun "$NT_STUN1:$NT_STUN_PORT" \
    --stun "$NT_STUN2:$NT_STUN_PORT" --no-progress --color never >"$T" 2>"$T.stderr" </dev/null
tc_line "$T" 1 "Not ready: UDP is blocked on this network" "blocked text: the cause first"
# (With numeric servers nothing shows whether the internet is reachable:
# "Internet connection" may lead that line.)
tc_has "$T" "Latency (round trip), Jitter (round trip), Packet loss, Burst loss (worst 200 ms), Call quality (E-model R): not measured (UDP is blocked on this network)" \
    "blocked text: the unmeasured checks share one line naming the cause"
n=$(grep -c 'not measured' "$T")
[ "$n" -eq 1 ] && nt_pass "blocked text: 'not measured' said once" ||
    tc_fail "blocked text: $n lines say 'not measured'"
tc_lacks "$T" '^  [a-zA-Z-]+ +(Latency|Jitter|Packet loss|Burst loss|Call quality)' \
    "blocked text: no line of its own for an unmeasured check"
# Alone, a UDP block caps at SD (calls can go through a relay over 443):
# the line warns; the verdict is "not ready" because nothing else got through.
tc_has "$T" "  warn  UDP to media servers no               HD video needs yes" \
    "blocked text: the UDP line"
Q=$NT_TMP/blocked.quiet
ip netns exec "$NT_NS_CLIENT" "$PRECALL_BIN" -q --stun "$NT_STUN1:$NT_STUN_PORT" "${NT_UDP_ONLY[@]}" >"$Q" 2>"$Q.stderr" </dev/null
[ "$(cat "$Q")" = "Not ready: UDP is blocked on this network" ] && nt_pass "blocked -q: the one line names the cause" ||
    tc_fail "blocked -q: '$(cat "$Q")'"
n=$(grep -c '^  FAIL' "$T")
[ "$n" -eq 0 ] && nt_pass "blocked text: no wall of FAIL lines" ||
    tc_fail "blocked text: $n FAIL lines, expected none: $(grep '^  FAIL' "$T")"

# e. A wired link that loses 5 %: the advice knows the link (the system probe runs; the
# profile copy has no host or device limits).
# The topology's client has routes to the test networks only: a default route through the
# router makes its veth the link the system probe describes (it leads nowhere further).
nt_impair_clear
nt_loss_every 20
ip -n "$NT_NS_CLIENT" route add default via 198.18.0.1 || nt_fail "client default route"
J=$NT_TMP/wired-loss.json
nt_precall "$NT_NS_CLIENT" "$J" check --stun "$NT_STUN1:$NT_STUN_PORT" --stun "$NT_STUN2:$NT_STUN_PORT" \
    --skip http,bandwidth,devices -p "$NT_TMP/net-profile.json" --json --no-progress
nt_validate_report "$J"
nt_check "$J" 'm["link_kind"] == "wired"' "wired loss: the system probe tells the veth as wired"
tc_py "$J" "wired loss: loss advice for a cable, no Wi-Fi advice" <<PY
assert "loss-high" in ids, ids
texts = {a["id"]: a["text"] for a in r["advice"]}
assert "network cable is plugged in firmly" in texts["loss-high"], texts["loss-high"]
for i, t in texts.items():
    assert "Wi-Fi" not in t, (i, t)
PY
nt_done
