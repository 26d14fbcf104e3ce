#!/bin/bash
# integration.names_v6: --stun takes host names, IPv4 literals and IPv6
# literals, end to end. The topology carries IPv6 as well (NT_IPV6=1); names
# come from the client namespace's hosts file (no DNS server anywhere):
# stun1/stun2.precall.test -> 198.18.1.2/.3, stun6.precall.test ->
# 2001:2:0:1::2 only.
#   a. two names (one with a port) over IPv4: both resolved, used, compared
#   b. -6 with two IPv6 literals ([addr]:port and bare): mapped address is the
#      client's own IPv6 address, mapping endpoint-independent
#   c. -6 with a name that has only an IPv6 address
#   d. -4 with that same name: no IPv4 address, so the lookup fails and
#      nothing is probed
. "$(dirname "$0")/netns.sh"
NT_IPV6=1
nt_setup_stun_test
nt_udp_checks # the verdicts here are about UDP: a profile without the other limits

# udp_target ADDR: the udp probe's targets include one resolved to ADDR.
udp_target() {
    echo 'any(t["address"] == "'"$1"'" for t in r["probes"]["udp"]["targets"])'
}

# a. host names, IPv4 (the names have IPv4 addresses only)
J=$NT_TMP/names.json
nt_precall "$NT_NS_CLIENT" "$J" check --only dns,udp -p "$NT_TMP/udp-profile.json" --stun "$NT_STUN1_NAME" \
    --stun "$NT_STUN2_NAME:$NT_STUN_PORT" --json --no-progress
nt_expect_rc 0
nt_validate_report "$J"
nt_check "$J" 'r["probes"]["dns"]["status"] == "ok"' "names: dns probe ok"
nt_check "$J" 'isinstance(m["dns_ms"], (int, float)) and not isinstance(m["dns_ms"], bool) and m["dns_ms"] >= 0' \
    "names: dns_ms is a number >= 0"
for pair in "$NT_STUN1_NAME $NT_STUN1" "$NT_STUN2_NAME $NT_STUN2"; do
    read -r name addr <<<"$pair"
    nt_check "$J" 'any((t["host"], t["address"], t["port"]) == ("'"$name"'", "'"$addr"'", 3478) for t in r["probes"]["dns"]["targets"])' \
        "names: dns looked up $name -> $addr (port 3478)"
done
nt_check "$J" 'len(r["probes"]["dns"]["targets"]) == 2' "names: dns looked up two names"
nt_check "$J" 'm["online"] is True' "names: online is true"
nt_check "$J" 'm["udp_reachable"] is True' "names: udp_reachable is true"
nt_check "$J" 'm["public_address"] == "198.18.0.2"' "names: public_address is the client's"
nt_check "$J" 'm["nat_mapping"] == "endpoint-independent"' "names: nat_mapping endpoint-independent"
nt_check "$J" "$(udp_target "$NT_STUN1")" "names: a udp target resolved to $NT_STUN1"
nt_check "$J" "$(udp_target "$NT_STUN2")" "names: a udp target resolved to $NT_STUN2"

# b. IPv6 literals, one bracketed with a port, one bare
J=$NT_TMP/literals6.json
nt_precall "$NT_NS_CLIENT" "$J" check --only dns,udp -p "$NT_TMP/udp-profile.json" -6 --stun "[$NT_STUN1_V6]:$NT_STUN_PORT" \
    --stun "$NT_STUN2_V6" --json --no-progress
nt_expect_rc 0
nt_validate_report "$J"
nt_check "$J" 'm["public_address"] == "'"$NT_CLIENT_V6"'"' "v6 literals: public_address is $NT_CLIENT_V6"
nt_check "$J" 'm["udp_reachable"] is True' "v6 literals: udp_reachable is true"
nt_check "$J" 'm["nat_mapping"] == "endpoint-independent"' "v6 literals: nat_mapping endpoint-independent"
nt_check "$J" "$(udp_target "$NT_STUN1_V6")" "v6 literals: a udp target is $NT_STUN1_V6"
nt_check "$J" "$(udp_target "$NT_STUN2_V6")" "v6 literals: a udp target is $NT_STUN2_V6"

# c. a name with an IPv6 address only, -6
J=$NT_TMP/name6.json
nt_precall "$NT_NS_CLIENT" "$J" check --only dns,udp -p "$NT_TMP/udp-profile.json" -6 --stun "$NT_STUN6_NAME" --json --no-progress
nt_expect_rc 0
nt_validate_report "$J"
nt_check "$J" 'r["probes"]["dns"]["status"] == "ok"' "v6 name: dns probe ok"
nt_check "$J" 'm["udp_reachable"] is True' "v6 name: udp_reachable is true"
nt_check "$J" 'm["public_address"] == "'"$NT_CLIENT_V6"'"' "v6 name: public_address is $NT_CLIENT_V6"
nt_check "$J" "$(udp_target "$NT_STUN1_V6")" "v6 name: the udp target resolved to $NT_STUN1_V6"

# d. the same name with -4: it has no IPv4 address
J=$NT_TMP/name6-as-v4.json
nt_precall "$NT_NS_CLIENT" "$J" check --only dns,udp -p "$NT_TMP/udp-profile.json" -4 --stun "$NT_STUN6_NAME" --json --no-progress
nt_validate_report "$J"
nt_expect_rc 2
nt_check "$J" 'r["verdict"]["exit_code"] == 2' "-4 v6 name: verdict.exit_code is 2"
nt_check "$J" 'r["probes"]["dns"]["status"] == "failed"' "-4 v6 name: dns probe failed"
nt_check "$J" '"'"$NT_STUN6_NAME"'" in r["probes"]["dns"]["reason"]' "-4 v6 name: dns reason names the host"
nt_check "$J" 'r["probes"]["udp"]["status"] == "failed"' "-4 v6 name: udp probe failed"
nt_check "$J" 'r["probes"]["udp"]["reason"] == "no STUN server could be looked up"' \
    "-4 v6 name: udp says no STUN server could be looked up"
nt_check "$J" 'all(t["address"] is None for t in r["probes"]["udp"]["targets"])' \
    "-4 v6 name: no udp target has an address"
nt_check "$J" 'm["udp_reachable"] is not True' "-4 v6 name: udp_reachable is not true"
nt_check "$J" 'm["public_address"] is None' "-4 v6 name: no public address"
# No name resolved and the namespace has no default route, so precall counts
# the machine as offline (advice "offline", which outranks "dns-failed"); with
# a default route it would advise "dns-failed". Either says what to fix.
nt_check "$J" '"dns-failed" in ids or "offline" in ids' "-4 v6 name: advice dns-failed or offline"
nt_done
