#!/bin/bash
# integration.stun_throttle: a STUN server that drops the requests above 50 a
# second (hostile_stun --rate-limit 50) is the primary, a plain one the
# comparison server. The primary's stream of 100 a second loses about half
# its answers while the comparison server, over the same seconds, loses none:
# the loss is the server's (cause stun-server-loss, its own advice), the
# run's figures are the comparison server's, and there is no loss, cabling or
# router advice. Both servers record the requests: every one carries the
# SOFTWARE attribute precall/VERSION (RFC 8489 14.14).
# The other side: a server whose limit (200 a second) the stream stays under
# loses nothing and is blamed for nothing.
. "$(dirname "$0")/netns.sh"
nt_require_root
nt_require_cmd nft
nt_require_precall
nt_setup
nt_udp_checks

nt_stun_fixture throttled "$NT_STUN1" "$NT_STUN_PORT" --rate-limit 50
TPID=$NT_LAST_PID
nt_stun_fixture plain "$NT_STUN2" "$NT_STUN_PORT"
PPID_=$NT_LAST_PID

J=$NT_TMP/throttle.json
nt_precall "$NT_NS_CLIENT" "$J" check --only dns,udp -p "$NT_TMP/udp-profile.json" \
    --stun "$NT_STUN1:$NT_STUN_PORT" --stun "$NT_STUN2:$NT_STUN_PORT" --duration 20 --json --no-progress
nt_stop_fixture "$TPID" "$NT_TMP/throttled.json"
nt_stop_fixture "$PPID_" "$NT_TMP/plain.json"
nt_validate_report "$J"
nt_expect_rc 0
T=$NT_TMP/throttled.json P=$NT_TMP/plain.json
nt_log "throttled server: $(nt_fixture_value "$T" 'f["requests"]') requests, $(nt_fixture_value "$T" 'f["dropped"]') dropped;" \
    "plain server: $(nt_fixture_value "$P" 'f["requests"]') requests"
nt_log "udp: $(nt_json "$J" 'r["probes"]["udp"]["reason"]')"

P1='next(s for s in r["scopes"] if s["id"] == "'"$NT_STUN1:$NT_STUN_PORT"'")'
nt_check "$J" 'r["probes"]["udp"]["status"] == "ok"' "udp probe ok"
nt_check "$J" 'r["probes"]["udp"]["cause"] == "stun-server-loss"' "udp cause: stun-server-loss"
nt_check "$J" '"stun-server-loss" in ids' "advice stun-server-loss"
nt_check "$J" '"'"$NT_STUN1"' port '"$NT_STUN_PORT"'" in next(a["text"] for a in r["advice"] if a["id"] == "stun-server-loss")' \
    "the advice names the throttling server"
nt_check "$J" 'not any(i in ids for i in ("loss-high", "burst-loss", "offline", "udp-blocked"))' \
    "no loss, cabling or router advice"
nt_check "$J" 'not any("router" in a["text"] or "cable" in a["text"] for a in r["advice"])' \
    "no advice text mentions the router or a cable"
nt_check "$J" 'r["verdict"]["tier"] == "hd"' "the verdict stays HD"
nt_check "$J" 'm["probes_lost"] == 0 and m["loss_pct"] == 0' "the run's loss is the comparison server's: 0"
nt_check "$J" "$P1"'["metrics"]["loss_pct"] >= 40' "the throttling server's own scope keeps its loss (>= 40 %)"
nt_check "$J" 'm["probes_sent"] >= 20' "the comparison server had at least 20 requests decided"
NT_FIXTURE=$T nt_check "$J" 'f["dropped"] > 0 and f["max_per_s"] > 50' "the fixture throttled (dropped requests above 50/s)"
VER=$(nt_json "$J" 'r["precall_version"]')
for f in "$T" "$P"; do
    NT_FIXTURE=$f nt_check "$J" 'f["requests"] > 0 and f["with_software"] == f["requests"]' \
        "every request to ${f##*/} carried SOFTWARE"
    NT_FIXTURE=$f nt_check "$J" 'f["software"] == "precall/'"$VER"'"' "SOFTWARE is precall/$VER"
done

# The other side: a limit above the stream's rate
nt_stun_fixture roomy "$NT_STUN1" "$NT_STUN_PORT" --rate-limit 200
RPID=$NT_LAST_PID
nt_stun_fixture plain2 "$NT_STUN2" "$NT_STUN_PORT"
P2PID=$NT_LAST_PID
J=$NT_TMP/roomy-report.json
nt_precall "$NT_NS_CLIENT" "$J" check --only dns,udp -p "$NT_TMP/udp-profile.json" \
    --stun "$NT_STUN1:$NT_STUN_PORT" --stun "$NT_STUN2:$NT_STUN_PORT" --json --no-progress
nt_stop_fixture "$RPID" "$NT_TMP/roomy.json"
nt_stop_fixture "$P2PID" "$NT_TMP/plain2.json"
nt_validate_report "$J"
nt_expect_rc 0
nt_check "$J" 'r["probes"]["udp"]["cause"] in ("", None) and "stun-server-loss" not in ids' \
    "under the limit: no stun-server-loss"
nt_check "$J" 'm["probes_lost"] == 0 and m["probes_sent"] >= 100' "under the limit: the primary's stream, nothing lost"
NT_FIXTURE=$NT_TMP/roomy.json nt_check "$J" 'f["dropped"] == 0 and f["requests"] >= 100' "under the limit: the fixture dropped nothing"
nt_done
