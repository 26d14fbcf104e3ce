#!/bin/bash
# integration.scopes: each STUN server is a scope of its own. Two coturn
# servers, the first behind the delay/jitter relay and the second direct:
# each server's scope shows its own RTT within 1 ms + 5 % of its injected
# round trip (the relay's recorded median; about 0 for the direct one), and
# the run's figures are those of the first server that answered.
. "$(dirname "$0")/netns.sh"
nt_setup_stun_test

F=$NT_TMP/relay.truth.json
J=$NT_TMP/scopes.json
nt_start_impair 40100 60 8 21 "$F"
nt_precall "$NT_NS_CLIENT" "$J" check --only dns,udp --stun 198.18.0.1:40100 \
    --stun "$NT_STUN2:$NT_STUN_PORT" --json --no-progress
nt_stop_fixture "$NT_IMPAIR_PID" "$F"
nt_validate_report "$J"
NT_FIXTURE=$F
S='{s["id"]: s for s in r["scopes"] if s["kind"] == "server"}'
nt_log "relay median $(nt_json "$J" 'f["rtt_median_ms"]') ms; scopes:" \
    "$(nt_json "$J" "[(k, v['metrics']['rtt_median_ms']) for k, v in $S.items()]")"
nt_check "$J" "sorted($S) == ['198.18.0.1:40100', '198.18.1.3:3478']" "one scope per server"
nt_check "$J" "abs($S['198.18.0.1:40100']['metrics']['rtt_median_ms'] - f['rtt_median_ms']) <= 1.0 + 0.05 * f['rtt_median_ms']" \
    "the relayed server's scope: its own RTT within 1 ms + 5 %"
nt_check "$J" "$S['198.18.1.3:3478']['metrics']['rtt_median_ms'] <= 1.0" \
    "the direct server's scope: its own RTT (within 1 ms of 0)"
nt_check "$J" "$S['198.18.1.3:3478']['metrics']['probes_sent'] >= 20" "the compared server got a stream too"
nt_check "$J" "len($S['198.18.0.1:40100']['series']['rtt_ms']['values']) == $S['198.18.0.1:40100']['metrics']['probes_answered']" \
    "a series point per answered probe"
nt_check "$J" "m['rtt_median_ms'] == $S['198.18.0.1:40100']['metrics']['rtt_median_ms']" \
    "the run's figures are the first server's"
nt_check "$J" "not $S['198.18.1.3:3478']['gates'] and $S['198.18.1.3:3478']['tier'] == 'hd'" \
    "a compared server is scored but does not gate"
nt_check "$J" "len(r['series']['rtt_ms']['t_ms']) == m['probes_answered']" "the run's RTT series"
nt_done
