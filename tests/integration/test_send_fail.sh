#!/bin/bash
# integration.send_fail: requests that sendto() refuses are sent AND lost.
# An nftables drop in the client's own output hook makes sendto() fail with
# EPERM for every 10th UDP datagram to port 3478, so exactly 10 % of the
# requests never leave. precall must count them as sent and lost (a loss
# near 10 %, inside its interval) and name the send error, not report a
# clean path (it did: the refused requests vanished from the figures).
. "$(dirname "$0")/netns.sh"
nt_setup_stun_test
nt_client_drop_every 10

# The drop must make sendto() itself fail (not vanish silently).
err=$(nt_client "$NT_PY" -c '
import socket, errno
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
fails = []
for i in range(10):
    try:
        s.sendto(b"\0" * 20, ("'"$NT_STUN1"'", '"$NT_STUN_PORT"'))
    except OSError as e:
        fails.append(errno.errorcode[e.errno])
print(",".join(fails))')
nt_log "sendto() through the client drop rule: failures $err"
[ "$err" = "EPERM" ] || nt_fail "expected exactly one EPERM from 10 sendto() calls, got '$err'"

J=$NT_TMP/send_fail.json
nt_precall "$NT_NS_CLIENT" "$J" check --only udp --stun "$NT_STUN1:$NT_STUN_PORT" --json --no-progress
nt_client nft list table inet pcclient >&2
nt_validate_report "$J"
nt_expect_rc 0 1 2
nt_log "precall: sent $(nt_json "$J" 'm["probes_sent"]') answered $(nt_json "$J" 'm["probes_answered"]')" \
    "lost $(nt_json "$J" 'm["probes_lost"]'), loss $(nt_json "$J" 'm["loss_pct"]') %" \
    "in [$(nt_json "$J" 'm["loss_low_pct"]'), $(nt_json "$J" 'm["loss_high_pct"]')];" \
    "target: $(nt_json "$J" 'r["probes"]["udp"]["targets"][0]["detail"]')"
nt_check "$J" 'm["udp_reachable"] is True' "udp reachable"
nt_check "$J" 'm["probes_sent"] >= 100' "at least 100 probes sent"
nt_check "$J" 'm["probes_sent"] == m["probes_answered"] + m["probes_lost"]' "sent = answered + lost"
nt_check "$J" 'abs(m["probes_lost"] - m["probes_sent"] / 10) <= 1' \
    "every 10th request refused by sendto() is counted as lost (lost = sent/10 +- 1)"
nt_check "$J" 'm["loss_low_pct"] <= 10.0 <= m["loss_high_pct"]' "10.0 % within [loss_low_pct, loss_high_pct]"
nt_check "$J" '"send error: Operation not permitted" in r["probes"]["udp"]["targets"][0]["detail"]' \
    "the target names the send error (EPERM)"
nt_done
