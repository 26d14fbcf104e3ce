#!/bin/bash
# integration.loss: the router drops exactly every 20th UDP datagram to port
# 3478 (nftables numgen inc mod 20), an injected loss of exactly 5 %. The
# reported loss interval [loss_low_pct, loss_high_pct] must contain 5.0.
. "$(dirname "$0")/netns.sh"
nt_setup_stun_test
nt_loss_every 20

J=$NT_TMP/loss.json
nt_precall_both "$J"
nt_router nft list chain inet pctest impair >&2
nt_validate_report "$J"
nt_expect_rc 0 1 2
nt_log "measured loss $(nt_json "$J" 'm["loss_pct"]') % in [$(nt_json "$J" 'm["loss_low_pct"]'), $(nt_json "$J" 'm["loss_high_pct"]')]," \
    "$(nt_json "$J" 'm["probes_lost"]') of $(nt_json "$J" 'm["probes_sent"]') probes lost"
nt_check "$J" 'm["udp_reachable"] is True' "udp reachable with 5 % loss"
nt_check "$J" 'm["probes_sent"] >= 100' "at least 100 probes sent"
nt_check "$J" 'm["loss_low_pct"] <= 5.0 <= m["loss_high_pct"]' "5.0 % within [loss_low_pct, loss_high_pct]"
nt_check "$J" 'm["loss_low_pct"] <= m["loss_pct"] <= m["loss_high_pct"]' "loss_pct inside its own interval"
nt_done
