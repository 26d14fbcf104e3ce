#!/bin/bash
# integration.long_path: a long fat path (issue 15, section 5). linkem holds
# every packet of both directions of the router 150 ms (300 ms of round
# trip), the router shapes 20/20 Mbit/s with a 200 ms queue, and the check
# runs with its default time budget:
#  a. 300 ms: each speed figure is within 10 % of the shaped goodput, or it is
#     reported as a lower bound with its reason ("could not be filled") and
#     then left out (not checked) with no advice resting on it; bufferbloat is
#     never graded from a link that was not filled;
#  b. 500 ms: the HTTPS timing request is not cut by a fixed limit: never
#     "the test server stopped answering" or any other server or network
#     fault, and the http probe measures its connect and TLS times.
. "$(dirname "$0")/netns.sh"
. "$(dirname "$0")/nginx.sh"
nt_setup_stun_test
nt_require_cmd nginx tc
[ -x "${LINKEM_BIN:-}" ] || nt_fail "LINKEM_BIN is not set to the linkem fixture"
nt_make_test_ca
nt_start_speedserver
nt_udp_checks

GOODPUT=$(awk 'BEGIN { printf "%.6f", 20 * 1448 / 1514 }')
FAULTS='{"server-stopped", "server-unreachable", "server-faulty", "offline", "udp-blocked", "dns-failed"}'

check() { # JSON: the default check against the namespace servers
    nt_precall "$NT_NS_CLIENT" "$1" check --server "$NT_SPEED_URL" --cacert "$NT_CA" \
        --stun "$NT_STUN1:$NT_STUN_PORT" --stun "$NT_STUN2:$NT_STUN_PORT" "${NT_NET_ONLY[@]}" \
        --json --no-progress
    nt_validate_report "$1"
}

nt_shape_router 20 20 200

# a. 300 ms of round trip
nt_link up --delay-ms 150 --seed 301
nt_link down --delay-ms 150 --seed 302
J=$NT_TMP/rtt300.json
check "$J"
nt_log "300 ms: rtt $(nt_json "$J" 'm["rtt_median_ms"]') ms, down $(nt_json "$J" 'm["download_mbps"]')" \
    "up $(nt_json "$J" 'm["upload_mbps"]') Mbit/s, bandwidth: $(nt_json "$J" 'r["probes"]["bandwidth"]["reason"]')"
nt_check "$J" 'm["rtt_median_ms"] is not None and 299 <= m["rtt_median_ms"] <= 310' "300 ms: the round trip is 300 ms"
for d in download upload; do
    nt_check "$J" '((m["'$d'_mbps"] is not None and abs(m["'$d'_mbps"] - '"$GOODPUT"') <= 0.10 * '"$GOODPUT"') or
        (m["'$d'_mbps"] is None and "'$d': at least " in r["probes"]["bandwidth"]["reason"]
         and "could not be filled" in r["probes"]["bandwidth"]["reason"]
         and "'$d'_mbps" in r["verdict"]["not_checked"]))' \
        "300 ms: $d within 10 % of the goodput, or a lower bound said as such"
done
nt_check "$J" '(m["download_mbps"] is not None and m["upload_mbps"] is not None) or m["bufferbloat_ms"] is None' \
    "300 ms: no bufferbloat figure from a link that was not filled"
nt_check "$J" 'not ({a["id"] for a in r["advice"]} & ({"download-low", "upload-low"} | '"$FAULTS"'))' \
    "300 ms: no speed or fault advice"
nt_link_stop up
nt_link_stop down

# b. 500 ms of round trip
nt_link up --delay-ms 250 --seed 501
nt_link down --delay-ms 250 --seed 502
J=$NT_TMP/rtt500.json
check "$J"
nt_log "500 ms: http $(nt_json "$J" 'r["probes"]["http"]["status"]') ($(nt_json "$J" 'r["probes"]["http"]["reason"]')), bandwidth: $(nt_json "$J" 'r["probes"]["bandwidth"]["reason"]')"
nt_check "$J" 'r["probes"]["http"]["status"] == "ok" and m["tls_ms"] is not None and m["tls_ms"] >= 500' \
    "500 ms: the http probe measured its TLS time (two round trips or more)"
nt_check "$J" 'not ({r["probes"][p]["cause"] for p in ("http", "bandwidth")} & '"$FAULTS"')' \
    "500 ms: no server or network fault"
nt_check "$J" 'not ({a["id"] for a in r["advice"]} & '"$FAULTS"')' "500 ms: no fault advice"
nt_done
