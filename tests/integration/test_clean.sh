#!/bin/bash
# integration.clean: precall against two coturn servers over a clean path.
# Without NAT the mapped address is the client's own (198.18.0.2); with the
# router masquerading it is the router's (198.18.1.1). Both servers see the
# same mapping, so the NAT mapping is endpoint-independent either way.
. "$(dirname "$0")/netns.sh"
nt_setup_stun_test

# clean_run NAME ADDRESS ADDRESS_DESC WHERE: one run against both servers, with
# the checks the runs share; the public address must be ADDRESS.
clean_run() {
    local name=$1 addr=$2 addr_desc=$3 where=$4
    J=$NT_TMP/$name.json
    nt_precall_both "$J"
    nt_expect_rc 0
    nt_validate_report "$J"
    nt_check "$J" 'm["udp_reachable"] is True' "udp_reachable is true$where"
    nt_check "$J" 'm["public_address"] == "'"$addr"'"' "public_address is $addr_desc"
    nt_check "$J" 'm["nat_mapping"] == "endpoint-independent"' "nat_mapping endpoint-independent$where"
}

clean_run clean 198.18.0.2 "the client's own (no NAT)" ""
nt_check "$J" 'm["probes_answered"] > 0 and m["probes_lost"] == 0' "all probes answered"

nt_nat_masquerade
clean_run nat 198.18.1.1 "the router's (masquerade)" " behind NAT"
nt_done
