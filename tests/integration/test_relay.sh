#!/bin/bash
# integration.relay: UDP dropped by nftables while TCP/443 works: calls fall
# back to a relay over 443, so the verdict is SD at best (not "Not ready")
# and the advice says calls will use a relay. Then everything dropped: "Not
# ready", offline.
. "$(dirname "$0")/netns.sh"
. "$(dirname "$0")/nginx.sh"
nt_setup_stun_test
nt_start_speedserver
nt_udp_checks

check() {
    nt_precall "$NT_NS_CLIENT" "$1" check --server "$NT_SPEED_URL" --cacert "$NT_CA" \
        --stun "$NT_STUN1:$NT_STUN_PORT" --stun "$NT_STUN2:$NT_STUN_PORT" "${NT_NET_ONLY[@]}" \
        --json --no-progress
    nt_validate_report "$1"
}

nt_block_udp
J=$NT_TMP/udp-blocked.json
check "$J"
nt_expect_rc 0 1
nt_check "$J" 'm["udp_reachable"] is False and m["https_reachable"] is True' "UDP blocked, HTTPS works"
nt_check "$J" 'm["online"] is True' "online: HTTPS answered"
nt_check "$J" 'r["verdict"]["tier"] == "sd"' "SD at best"
nt_check "$J" '"udp_reachable" in r["verdict"]["limited_by"]' "limited by UDP reachability"
nt_check "$J" '"calls will use a relay" in next(a["text"] for a in r["advice"] if a["id"] == "udp-blocked")' \
    "the advice says calls will use a relay"
nt_check "$J" 'r["probes"]["bandwidth"]["status"] == "ok" and m["download_mbps"] > 0' "the speed is still measured"
nt_check "$J" 'not r["verdict"]["label"].startswith("Not ready")' "not 'Not ready'"

# Everything dropped on the way (UDP and TCP).
nt_router nft add rule inet pctest forward drop || nt_fail "nft drop all"
J=$NT_TMP/all-blocked.json
check "$J"
nt_expect_rc 2
nt_check "$J" 'm["online"] is False' "offline"
nt_check "$J" 'r["verdict"]["label"] == "Not ready: no internet connection"' "Not ready: no internet connection"
nt_check "$J" '"offline" in ids' "advice: offline"
nt_done
