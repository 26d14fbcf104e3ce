#!/bin/bash
# integration.impair: RTT and jitter measured by precall against the ground
# truth of the impair relay (which records, per STUN transaction, how long it
# actually held the request and its answer). precall's median RTT must lie
# within 1 ms + 5 % of the injected median; its jitter (mean |dRTT|) within
# 2 ms of the relay's mean |d injected RTT| over the same consecutive pairs.
. "$(dirname "$0")/netns.sh"
nt_require_root
nt_require_cmd turnserver
nt_require_precall
nt_setup
nt_start_stun

PORT=40000
for setting in "40 0 11" "80 10 12" "150 20 13"; do
    set -- $setting
    rtt=$1 jit=$2 seed=$3
    F=$NT_TMP/impair-$rtt-$jit.truth.json
    J=$NT_TMP/impair-$rtt-$jit.json
    PORT=$((PORT + 1))
    nt_start_impair "$PORT" "$rtt" "$jit" "$seed" "$F"
    nt_precall "$NT_NS_CLIENT" "$J" check --only dns,udp --stun "198.18.0.1:$PORT" \
        --json --no-progress
    nt_stop_fixture "$NT_IMPAIR_PID" "$F"
    nt_validate_report "$J"
    nt_expect_rc 0 1 2
    NT_FIXTURE=$F
    nt_log "rtt $rtt jitter $jit: injected median $(nt_json "$J" 'f["rtt_median_ms"]') ms" \
        "jitter $(nt_json "$J" 'f["jitter_ms"]') ms ($(nt_json "$J" 'f["pairs"]') pairs);" \
        "measured median $(nt_json "$J" 'm["rtt_median_ms"]') ms jitter $(nt_json "$J" 'm["jitter_ms"]') ms"
    nt_check "$J" 'f["pairs"] >= 100' "relay saw at least 100 answered transactions"
    nt_check "$J" 'm["udp_reachable"] is True' "udp reachable through the relay (rtt $rtt)"
    nt_check "$J" 'abs(m["rtt_median_ms"] - f["rtt_median_ms"]) <= 1.0 + 0.05 * f["rtt_median_ms"]' \
        "rtt_median_ms within 1 ms + 5 % of injected (rtt $rtt, jitter $jit)"
    nt_check "$J" 'abs(m["jitter_ms"] - f["jitter_ms"]) <= 2.0' \
        "jitter_ms within 2 ms of injected mean |dRTT| (rtt $rtt, jitter $jit)"
    NT_FIXTURE=
done
nt_done
