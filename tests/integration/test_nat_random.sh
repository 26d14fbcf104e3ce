#!/bin/bash
# integration.nat_random: NAT mapping behind a NAT that keeps the source port
# (plain masquerade: both servers see the same mapped address and port,
# endpoint-independent) and behind one that randomises it per destination
# (masquerade fully-random: each server sees another port, so the mapping
# depends on the destination: address-dependent). Every other test NAT keeps
# the port, so a comparison that ignored the port would pass them all.
. "$(dirname "$0")/netns.sh"
nt_setup_stun_test

mapping_run() {
    local name=$1 want=$2 where=$3
    J=$NT_TMP/$name.json
    nt_precall_both "$J"
    nt_expect_rc 0 1
    nt_validate_report "$J"
    nt_log "$where: public $(nt_json "$J" 'm["public_address"]'):$(nt_json "$J" 'm["public_port"]')," \
        "targets: $(nt_json "$J" '[t["detail"] for t in r["probes"]["udp"]["targets"]]')"
    nt_check "$J" 'm["udp_reachable"] is True' "udp_reachable is true $where"
    nt_check "$J" 'm["public_address"] == "198.18.1.1"' "public_address is the router's $where"
    nt_check "$J" 'm["nat_mapping"] == "'"$want"'"' "nat_mapping $want $where"
}

nt_nat_masquerade
mapping_run nat_plain endpoint-independent "behind plain masquerade"

nt_impair_clear
nt_nat_masquerade_random
nt_router nft list chain ip pcnat postrouting >&2
mapping_run nat_random address-dependent "behind masquerade fully-random"
nt_done
