#!/bin/bash
# integration.blocked: the router drops every forwarded UDP datagram. precall
# must say UDP is unreachable: exit 2 (or 1), advice "udp-blocked".
. "$(dirname "$0")/netns.sh"
nt_setup_stun_test
nt_block_udp

J=$NT_TMP/blocked.json
nt_precall_both "$J"
nt_validate_report "$J"
nt_expect_rc 2 1
nt_check "$J" 'm["udp_reachable"] is False' "udp_reachable is false"
nt_check "$J" '"udp-blocked" in ids' "advice contains udp-blocked"
nt_check "$J" 'r["verdict"]["exit_code"] == '"$NT_RC" "verdict.exit_code matches the exit status"
nt_done
