#!/bin/bash
# integration.old_servers: answers precall must take although they are not
# RFC 8489 answers, and answers it must not take.
#  - An RFC 3489-era server (hostile_stun --mode rfc3489): MAPPED-ADDRESS
#    only, SOURCE-ADDRESS and CHANGED-ADDRESS (comprehension-required,
#    unknown to RFC 8489), no FINGERPRINT. Every request is answered, so UDP
#    works: udp_reachable true, an RTT, public address from MAPPED-ADDRESS.
#  - A responder that answers every request with 7 bytes of garbage: the
#    udp probe fails, and its reason says answers arrived but none was
#    usable, not that UDP is blocked.
# Both on loopback inside a namespace of their own.
. "$(dirname "$0")/netns.sh"
nt_require_root
nt_require_precall
[ -n "${HOSTILE_STUN_BIN:-}" ] && [ -x "$HOSTILE_STUN_BIN" ] || nt_fail "hostile_stun fixture not built"
nt_isolated ISO

PORT=3478
# serve MODE NAME: run precall against hostile_stun --mode MODE; report in $J, counts in $F.
serve() {
    local mode=$1 name=$2 pid
    F=$NT_TMP/$name.counts.json
    J=$NT_TMP/$name.json
    nt_bg "$ISO" "$F.log" "$HOSTILE_STUN_BIN" --listen "127.0.0.1:$PORT" --mode "$mode" \
        --report "$F" --ready "$F.ready"
    pid=$NT_LAST_PID
    nt_wait_file "$F.ready" || { cat "$F.log" >&2; nt_fail "hostile_stun --mode $mode did not start"; }
    nt_precall "$ISO" "$J" check --only udp --stun "127.0.0.1:$PORT" --json --no-progress
    nt_stop_fixture "$pid" "$F"
    NT_FIXTURE=$F
    nt_validate_report "$J"
    nt_log "$mode: fixture $(nt_json "$J" 'f["sent"]'), udp $(nt_json "$J" 'r["probes"]["udp"]["status"]'):" \
        "$(nt_json "$J" 'r["probes"]["udp"]["reason"]')"
}

serve rfc3489 rfc3489
nt_expect_rc 0 1 2
nt_check "$J" 'f["requests"] > 0 and f["sent"]["genuine"] == f["requests"]' "the fixture answered every request"
nt_check "$J" 'm["udp_reachable"] is True' "RFC 3489 server: udp_reachable is true"
nt_check "$J" 'm["rtt_median_ms"] is not None' "RFC 3489 server: an RTT (rtt_median_ms not null)"
nt_check "$J" 'm["public_address"] == "127.0.0.1"' "RFC 3489 server: public_address from MAPPED-ADDRESS"
nt_check "$J" 'm["probes_sent"] > 0 and m["probes_lost"] <= max(1, 0.01 * m["probes_sent"])' \
    "RFC 3489 server: (almost) nothing lost"

serve garbage garbage
nt_expect_rc 3 # no verdict: a broken server says nothing about the network
nt_check "$J" 'f["requests"] > 0 and f["sent"]["garbage"] == f["requests"]' "the fixture answered every request with garbage"
nt_check "$J" 'r["probes"]["udp"]["status"] == "failed"' "garbage: udp probe failed"
nt_check "$J" '"arrived from the STUN servers but none was usable" in r["probes"]["udp"]["reason"]' \
    "garbage: reason says answers arrived but were unusable"
nt_check "$J" '"not a STUN message" in r["probes"]["udp"]["reason"]' "garbage: reason says why"
nt_check "$J" 'm["ignored"] == f["sent"]["garbage"]' "garbage: every datagram counted as ignored"
nt_done
