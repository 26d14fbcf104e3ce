#!/bin/bash
# integration.hostile: precall against a STUN server that surrounds every
# genuine answer with truncated messages, a bad cookie, an attribute running
# past the end, 20 responses to unknown transactions, a duplicate, and an
# answer from the wrong port carrying the right transaction ID and a wrong
# address. Runs on loopback inside a namespace of its own (only lo).
# precall must not crash, must lose no probe, must count each duplicate once
# and every other datagram as ignored (exactly), and must report the genuine
# mapped address. Every malformed
# message carries the right transaction ID and a wrong address, so taking
# one of them for the answer shows as a wrong or missing public_address and
# as more duplicates than the one genuine copy per request.
# Then two servers that are no verdict on the network, or a finding of their
# own: one that answers every request with garbage ("No verdict", never "Not
# ready" beside "this does not show a problem with your network"), and one
# whose every answer arrives 51 times, as through a looping network: one line
# of advice ("duplicates") says so.
# HOSTILE_KINDS=kind,kind,... sends only those kinds (see hostile_stun --help),
# to narrow down a failure.
. "$(dirname "$0")/netns.sh"
nt_hostile_setup

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
nt_check "$J" 'm["probes_sent"] > 0' "probes sent"
nt_check "$J" 'm["ignored"] > 0' "ignored > 0"
nt_check "$J" 'm["public_address"] == "127.0.0.1"' "public_address is the genuine one, not the wrong source's"
nt_check "$J" 'm["public_port"] != 4242' "public_port is not the wrong source's"
# Exact counts. Every request reached the fixture and got one genuine answer
# and one duplicate; the stream requests are probes_sent (the rest were
# discovery). A duplicate counted as an answer shows as answered > sent.
# They hold when the kernel dropped nothing (the namespace's own UDP
# RcvbufErrors counter); after a drop only the bounds can hold.
T='r["probes"]["udp"]["targets"][0]["detail"]'
DROPS=$(ip netns exec "$ISO" awk '/^Udp:/ { if (!h) { for (i = 2; i <= NF; i++) col[$i] = i; h = 1 }
    else print $col["RcvbufErrors"] + $col["InErrors"] }' /proc/net/snmp)
nt_log "target: $(nt_json "$J" "$T"); UDP datagrams the kernel dropped in the namespace: $DROPS"
# The detail reads "probed at 100/s: N of M stream probes answered, D discovery; ...".
N='int('"$T"'.split(": ")[1].split(" of ")[0])'
M='int('"$T"'.split(" of ")[1].split(" ")[0])'
D='int('"$T"'.split("answered, ")[1].split(" discovery")[0])'
nt_check "$J" "$N + $D"' <= f["requests"]' "the server's answered count is at most the requests it saw"
nt_check "$J" 'm["probes_answered"] <= m["probes_sent"] and m["duplicates"] <= m["probes_sent"]' \
    "probes_answered <= probes_sent, duplicates <= probes_sent"
if [ "$DROPS" = 0 ]; then
    nt_check "$J" "$N == $M == m['probes_sent'] and $N + $D"' == f["requests"]' \
        "the server answered every request exactly once (N of N stream, N + discovery = requests the fixture saw)"
    nt_check "$J" 'm["probes_answered"] == m["probes_sent"] and m["probes_lost"] == 0' \
        "probes_answered == probes_sent, none lost"
    nt_check "$J" 'm["duplicates"] == m["probes_sent"]' \
        "duplicates == probes_sent (one genuine duplicate per stream request, nothing else)"
    nt_check "$J" 'm["ignored"] == f["sent"]["total"] - f["sent"]["genuine"] - f["sent"]["duplicate"]' \
        "ignored == every datagram but the genuine answers and their duplicates"
else
    nt_log "note: the kernel dropped $DROPS datagrams (receive buffer full): only bounds checked"
    nt_check "$J" 'm["probes_lost"] <= max(1, 0.01 * m["probes_sent"])' "probes_lost <= 1 %"
    nt_check "$J" 'm["ignored"] <= f["sent"]["total"] - f["sent"]["genuine"] - f["sent"]["duplicate"]' \
        "ignored <= every datagram but the genuine answers and their duplicates"
fi

# Garbage only: no verdict about the network.
nt_hostile_serve garbage garbage
nt_check "$J" 'r["probes"]["udp"]["cause"] == "answers-unusable"' "garbage: cause answers-unusable"
nt_check "$J" 'r["verdict"]["label"].startswith("No verdict: the answers of the test server")' \
    "garbage: 'No verdict', the server named"
nt_check "$J" 'not r["verdict"]["label"].startswith("Not ready")' "garbage: never 'Not ready'"
nt_check "$J" 'r["verdict"]["cause"] == "answers-unusable" and r["verdict"]["ready"] is False' \
    "garbage: verdict.cause answers-unusable, not ready"
nt_check "$J" 'r["verdict"]["exit_code"] == 3 and r["verdict"]["status"] == "no-verdict"' \
    "garbage: exit 3, no verdict (not 2, 'not ready')"

# 50 copies of every answer: the copies counted, and one line of advice about them.
nt_hostile_serve copies copies --copies 50
nt_check "$J" 'f["sent"]["duplicate"] == 50 * f["sent"]["genuine"]' "copies: the fixture sent 50 copies of each"
nt_check "$J" 'm["duplicates"] > 10 * m["probes_answered"]' "copies: duplicates counted"
nt_check "$J" 'ids.count("duplicates") == 1' "copies: one line of advice about the duplicates"
nt_check "$J" '"loop" in [a for a in r["advice"] if a["id"] == "duplicates"][0]["text"]' \
    "copies: the advice names a looping network"
nt_check "$J" 'r["verdict"]["label"] != "Partial check: no problem found in what was checked" or ids' \
    "copies: never 'no problem found' without a word"
nt_done
