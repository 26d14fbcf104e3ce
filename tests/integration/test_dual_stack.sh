#!/bin/bash
# integration.dual_stack: STUN server names with an IPv6 and an IPv4 address
# (the client namespace's hosts file; NT_IPV6=1; coturn on both families).
#   a. both paths work: UDP reachable over each family, no IPv6 finding
#   b. a name whose IPv6 address has no route (the request never leaves the
#      computer): that is no IPv6 path to judge, so no IPv6 finding
#   c. the router drops all IPv6 (a blackhole: no ICMP, nothing): the IPv4
#      addresses are still tried and answer; UDP reachable, reachable over
#      IPv4 and not over IPv6, the ipv6-broken advice, the verdict not lowered
#      (exit 0, HD, no headline cause); -v text shows both families
. "$(dirname "$0")/netns.sh"
NT_IPV6=1
nt_setup_stun_test
nt_udp_checks
for n in 1 2; do
    v6=NT_STUN${n}_V6 v4=NT_STUN$n
    nt_hosts_add "$NT_NS_CLIENT" "${!v6}" "ds$n.precall.test"
    nt_hosts_add "$NT_NS_CLIENT" "${!v4}" "ds$n.precall.test"
done
nt_hosts_add "$NT_NS_CLIENT" 2001:2:0:9::1 dsx.precall.test
nt_hosts_add "$NT_NS_CLIENT" "$NT_STUN1" dsx.precall.test
ARGS=(check --only dns,udp -p "$NT_TMP/udp-profile.json" --json --no-progress)

# a. both families work
J=$NT_TMP/both.json
nt_precall "$NT_NS_CLIENT" "$J" "${ARGS[@]}" --stun ds1.precall.test --stun ds2.precall.test
nt_validate_report "$J"
nt_expect_rc 0
nt_log "targets: $(nt_json "$J" '[t["address"] for t in r["probes"]["udp"]["targets"]]')"
nt_check "$J" 'sorted(t["address"] for t in r["probes"]["udp"]["targets"]) == sorted(["'"$NT_STUN1"'", "'"$NT_STUN2"'", "'"$NT_STUN1_V6"'", "'"$NT_STUN2_V6"'"])' \
    "both: each name used in both families (4 targets)"
nt_check "$J" 'm["udp_reachable"] is True and m["udp_reachable_ipv4"] is True and m["udp_reachable_ipv6"] is True' \
    "both: reachable over IPv4 and IPv6"
nt_check "$J" '"ipv6-broken" not in ids' "both: no ipv6-broken advice"

# b. an IPv6 address without a route: nothing went out, nothing to judge
J=$NT_TMP/noroute.json
nt_precall "$NT_NS_CLIENT" "$J" "${ARGS[@]}" --stun dsx.precall.test
nt_validate_report "$J"
nt_expect_rc 0
nt_check "$J" 'm["udp_reachable"] is True and m["udp_reachable_ipv4"] is True' "no route: reachable over IPv4"
nt_check "$J" 'm["udp_reachable_ipv6"] is None' "no route: no IPv6 reachability figure"
nt_check "$J" '"ipv6-broken" not in ids' "no route: no ipv6-broken advice"
nt_check "$J" 'any(t["address"] == "2001:2:0:9::1" for t in r["probes"]["udp"]["targets"])' \
    "no route: the IPv6 address was a target"

# c. IPv6 blackholed on the router
nt_blackhole_ipv6
J=$NT_TMP/blackhole.json
nt_precall "$NT_NS_CLIENT" "$J" "${ARGS[@]}" --stun ds1.precall.test --stun ds2.precall.test
nt_validate_report "$J"
nt_expect_rc 0
nt_log "udp: $(nt_json "$J" 'r["probes"]["udp"]["reason"]'); advice $(nt_json "$J" 'ids')"
nt_check "$J" 'm["udp_reachable"] is True' "blackhole: UDP reachable"
nt_check "$J" 'm["udp_reachable_ipv4"] is True and m["udp_reachable_ipv6"] is False' \
    "blackhole: reachable over IPv4, not over IPv6"
nt_check "$J" '"ipv6-broken" in ids' "blackhole: ipv6-broken advice"
nt_check "$J" 'next(a for a in r["advice"] if a["id"] == "ipv6-broken")["severity"] == "info"' \
    "blackhole: the advice is information, not a warning"
nt_check "$J" 'r["verdict"]["tier"] == "hd" and r["verdict"]["cause"] in ("", None)' \
    "blackhole: verdict HD, no headline cause"
nt_check "$J" 'm["public_address"] == "198.18.0.2"' "blackhole: the public address is the IPv4 one"
nt_check "$J" 'm["probes_lost"] == 0' "blackhole: the run's stream (IPv4) lost nothing"
T=$NT_TMP/blackhole.txt
ip netns exec "$NT_NS_CLIENT" "$PRECALL_BIN" "${ARGS[@]:0:5}" --no-progress -v \
    --stun ds1.precall.test --stun ds2.precall.test >"$T" 2>"$T.stderr"
nt_log "text: $(grep -E 'UDP over' "$T" | tr -s ' ' | tr '\n' ';')"
if grep -Eq 'UDP over IPv4 +yes' "$T" && grep -Eq 'UDP over IPv6 +no' "$T" && grep -q 'ipv6-broken' "$T"; then
    nt_pass "blackhole -v text: UDP over IPv4 yes, over IPv6 no, [ipv6-broken]"
else
    cat "$T" >&2
    NT_FAILED=1
    nt_log "FAIL: -v text lacks the per-family lines or the advice"
fi
nt_done
