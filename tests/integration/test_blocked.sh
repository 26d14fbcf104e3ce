#!/bin/bash
# integration.blocked: the router drops every forwarded UDP datagram. precall
# must say UDP is unreachable: exit 2 (or 1), advice "udp-blocked".
. "$(dirname "$0")/netns.sh"
nt_require_root
nt_require_cmd nft turnserver
nt_require_precall
nt_setup
nt_start_stun
nt_block_udp

J=$NT_TMP/blocked.json
nt_precall "$NT_NS_CLIENT" "$J" check --only dns,udp --stun "$NT_STUN1:$NT_STUN_PORT" \
    --stun "$NT_STUN2:$NT_STUN_PORT" --json --no-progress
nt_validate_report "$J"
nt_expect_rc 2 1
nt_check "$J" 'm["udp_reachable"] is False' "udp_reachable is false"
nt_check "$J" '"udp-blocked" in ids' "advice contains udp-blocked"
nt_check "$J" 'r["verdict"]["exit_code"] == '"$NT_RC" "verdict.exit_code matches the exit status"
nt_done
