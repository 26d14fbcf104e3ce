#!/bin/bash
# integration.clean: precall against two coturn servers over a clean path.
# Without NAT the mapped address is the client's own (198.18.0.2); with the
# router masquerading it is the router's (198.18.1.1). Both servers see the
# same mapping, so the NAT mapping is endpoint-independent either way.
. "$(dirname "$0")/netns.sh"
nt_require_root
nt_require_cmd nft turnserver
nt_require_precall
nt_setup
nt_start_stun

STUN=(--stun "$NT_STUN1:$NT_STUN_PORT" --stun "$NT_STUN2:$NT_STUN_PORT")

J=$NT_TMP/clean.json
nt_precall "$NT_NS_CLIENT" "$J" check --only dns,udp "${STUN[@]}" --json --no-progress
nt_expect_rc 0
nt_validate_report "$J"
nt_check "$J" 'm["udp_reachable"] is True' "udp_reachable is true"
nt_check "$J" 'm["public_address"] == "198.18.0.2"' "public_address is the client's own (no NAT)"
nt_check "$J" 'm["nat_mapping"] == "endpoint-independent"' "nat_mapping endpoint-independent"
nt_check "$J" 'm["probes_answered"] > 0 and m["probes_lost"] == 0' "all probes answered"

nt_nat_masquerade
J=$NT_TMP/nat.json
nt_precall "$NT_NS_CLIENT" "$J" check --only dns,udp "${STUN[@]}" --json --no-progress
nt_expect_rc 0
nt_validate_report "$J"
nt_check "$J" 'm["udp_reachable"] is True' "udp_reachable is true behind NAT"
nt_check "$J" 'm["public_address"] == "198.18.1.1"' "public_address is the router's (masquerade)"
nt_check "$J" 'm["nat_mapping"] == "endpoint-independent"' "nat_mapping endpoint-independent behind masquerade"
nt_done
