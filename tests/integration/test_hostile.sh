#!/bin/bash
# integration.hostile: precall against a STUN server that surrounds every
# genuine answer with truncated messages, a bad cookie, an attribute running
# past the end, 20 responses to unknown transactions, a duplicate, and an
# answer from the wrong port carrying the right transaction ID and a wrong
# address. Runs on loopback inside a namespace of its own (only lo).
# precall must not crash, must lose (almost) no probe, must count ignored
# datagrams, and must report the genuine mapped address. Every malformed
# message carries the right transaction ID and a wrong address, so taking
# one of them for the answer shows as a wrong or missing public_address and
# as more duplicates than the one genuine copy per request.
# HOSTILE_KINDS=kind,kind,... sends only those kinds (see hostile_stun --help),
# to narrow down a failure.
. "$(dirname "$0")/netns.sh"
nt_require_root
nt_require_precall
[ -n "${HOSTILE_STUN_BIN:-}" ] && [ -x "$HOSTILE_STUN_BIN" ] || nt_fail "hostile_stun fixture not built"
nt_isolated ISO

PORT=3478
F=$NT_TMP/hostile.counts.json
nt_bg "$ISO" "$F.log" "$HOSTILE_STUN_BIN" --listen "127.0.0.1:$PORT" --wrong-port $((PORT + 1)) \
    --wrong-addr 192.0.2.66:4242 --flood 20 --report "$F" --ready "$F.ready" \
    ${HOSTILE_KINDS:+--kinds "$HOSTILE_KINDS"}
HPID=$NT_LAST_PID
nt_wait_file "$F.ready" || { cat "$F.log" >&2; nt_fail "hostile_stun did not start"; }

J=$NT_TMP/hostile.json
nt_precall "$ISO" "$J" check --only udp --stun "127.0.0.1:$PORT" --json --no-progress
nt_stop_fixture "$HPID" "$F"
NT_FIXTURE=$F
nt_log "fixture sent: $(nt_json "$J" 'f["sent"]')"
nt_log "precall: sent $(nt_json "$J" 'm["probes_sent"]') answered $(nt_json "$J" 'm["probes_answered"]')" \
    "lost $(nt_json "$J" 'm["probes_lost"]') ignored $(nt_json "$J" 'm["ignored"]')" \
    "duplicates $(nt_json "$J" 'm["duplicates"]') late $(nt_json "$J" 'm["late"]')"
nt_validate_report "$J"
nt_expect_rc 0 1 2
nt_check "$J" 'f["requests"] > 0 and f["sent"]["genuine"] == f["requests"]' "fixture answered every request"
nt_check "$J" 'm["udp_reachable"] is True' "udp_reachable is true"
nt_check "$J" 'm["probes_sent"] > 0 and m["probes_lost"] <= max(1, 0.01 * m["probes_sent"])' \
    "probes_lost is 0 or close (<= 1 %)"
nt_check "$J" 'm["ignored"] > 0' "ignored > 0"
nt_check "$J" 'm["public_address"] == "127.0.0.1"' "public_address is the genuine one, not the wrong source's"
nt_check "$J" 'm["public_port"] != 4242' "public_port is not the wrong source's"
nt_check "$J" 'm["duplicates"] <= f["requests"]' \
    "duplicates <= requests (only the genuine copy is a duplicate; malformed ones are ignored)"
if [ "$(nt_json "$J" 'm["duplicates"]')" = "0" ]; then
    nt_log "note: duplicates == 0 although every answer was sent twice (counted as ignored?)"
fi
nt_done
