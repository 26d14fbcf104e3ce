#!/bin/bash
# integration.turn_ipv6: a relay reached over IPv6 (coturn on 2001:2:0:1::6 in
# the server namespace, NT_IPV6=1) is asked for an IPv6 relayed address
# (REQUESTED-ADDRESS-FAMILY, RFC 8656 18.8 / RFC 6156) and gives one on its
# own IPv6 address; the two allocations carry media to each other over IPv6
# peers (XOR-PEER-ADDRESS of 16 bytes) without loss, over UDP and TCP. The
# same relay reached over IPv4 still gives an IPv4 relayed address.
. "$(dirname "$0")/netns.sh"
. "$(dirname "$0")/turn.sh"
NT_IPV6=1
nt_setup_stun_test
TURN_V6=2001:2:0:1::6
ip -n "$NT_NS_SERVER" -6 addr add "$TURN_V6/64" dev "pc${NT_ID}sb" nodad || nt_fail "address $TURN_V6"
nt_start_turn --listening-ip "$TURN_V6" --relay-ip "$TURN_V6"
export PRECALL_TURN_USER=$NT_TURN_USER PRECALL_TURN_PASSWORD=$NT_TURN_PASS
T6_UDP="turn:[$TURN_V6]"
T6_TCP="turn:[$TURN_V6]?transport=tcp"
T4_UDP="turn:$NT_TURN_ADDR"
relay() { # relay JSON ID EXPR: EXPR about the metrics s of the scope ID
    nt_check "$1" "(lambda s: $3)(next(x['metrics'] for x in r['scopes'] if x['id'] == '$2'))" "$2: $3"
}

J=$NT_TMP/v6.json
nt_precall "$NT_NS_CLIENT" "$J" check --only turn --turn "$T6_UDP" --turn "$T6_TCP" --turn "$T4_UDP" \
    --duration 8 --json --no-progress
nt_validate_report "$J"
nt_check "$J" 'r["probes"]["turn"]["status"] == "ok"' "turn probe ok"
for id in "$T6_UDP" "$T6_TCP"; do
    relay "$J" "$id" 's["relay_reachable"] is True'
    relay "$J" "$id" 's["relay_address"].startswith("['"$TURN_V6"']:")'
    relay "$J" "$id" 's["relay_loss_pct"] == 0 and 0 < s["relay_rtt_ms"] < 20'
done
relay "$J" "$T4_UDP" 's["relay_reachable"] is True and s["relay_address"].startswith("'"$NT_TURN_ADDR"':")'
nt_check "$J" '[t["address"] for t in r["probes"]["turn"]["targets"]] == ["'"$TURN_V6"'", "'"$TURN_V6"'", "'"$NT_TURN_ADDR"'"]' \
    "the targets: the relay's IPv6 address twice, its IPv4 address"
nt_done
