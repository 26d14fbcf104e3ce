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
nt_hostile_setup

# serve MODE NAME: nt_hostile_serve, and what the fixture sent and how the udp probe ended.
serve() {
    nt_hostile_serve "$1" "$2"
    nt_log "$1: fixture $(nt_json "$J" 'f["sent"]'), udp $(nt_json "$J" 'r["probes"]["udp"]["status"]'):" \
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
