#!/bin/bash
# integration.port_closed: --stun names a server address where nothing
# listens on the port. The server host answers with ICMP port unreachable;
# precall must say the port is closed, not that UDP is blocked.
. "$(dirname "$0")/netns.sh"
nt_setup_stun_test

J=$NT_TMP/port_closed.json
nt_precall "$NT_NS_CLIENT" "$J" check --only udp --stun "$NT_STUN1:$((NT_STUN_PORT + 1))" --json \
    --no-progress
nt_validate_report "$J"
nt_expect_rc 2 1
nt_log "udp reason: $(nt_json "$J" 'r["probes"]["udp"]["reason"]')"
nt_check "$J" 'r["probes"]["udp"]["status"] == "failed"' "udp probe failed"
nt_check "$J" '"port is closed (ICMP port unreachable)" in r["probes"]["udp"]["reason"]' \
    "reason says the port is closed"
nt_check "$J" '"blocked" not in r["probes"]["udp"]["reason"]' "reason does not say UDP is blocked"

# The same address on the right port still works: it was the port.
J2=$NT_TMP/port_open.json
nt_precall "$NT_NS_CLIENT" "$J2" check --only udp --stun "$NT_STUN1:$NT_STUN_PORT" --json --no-progress
nt_check "$J2" 'm["udp_reachable"] is True' "the same server on port $NT_STUN_PORT answers"
nt_done
