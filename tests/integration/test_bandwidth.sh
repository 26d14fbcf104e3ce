#!/bin/bash
# integration.bandwidth: the full default check (dns + http, idle udp,
# download then upload with loaded latency) against namespace servers: nginx
# with the shipped configuration (TLS, test CA) and two coturn STUN servers,
# the link shaped with tbf.
#  a. 20 Mbit/s down, 5 up, 50 ms queues: download and upload within 10 % of
#     the shaped TCP goodput (1448/1514 of the line rate); loaded latency per
#     phase (idle, download, upload scopes with RTT median/p90, jitter,
#     loss); bufferbloat and its grade, derived from the phase scopes after
#     the run (the larger increase of a loaded phase's RTT median over the
#     idle one, 0 at least); the speed-test server's address and port as the
#     targets; bytes used; the whole check ends within 11 s of wall time (the
#     budget is 10 s)
#  b. 2 down, 1 up: within 10 %
#  c. a deep queue (500 ms) against a shallow one (20 ms): the upload phase's
#     RTT is 200 ms or more above the idle one, the grade is worse, and the
#     deep queue is a stated risk beside an HD verdict (issue 14: a call that
#     does not fill the line builds no queue)
#  d. a CA that did not sign the server's certificate: the http probe fails
#     with a reason that says so, verification stays on
#  e. --skip bandwidth: no data-heavy part, no bytes used
#  f. a share too short to fill the link (--duration 4.5: about a second a
#     direction, less than the ramp-up needs): each direction a lower bound
#     ("at least N Mbit/s; the link could not be filled in the time"), no
#     run-level speed, bufferbloat not measured (no loaded latency from a
#     link not filled), no advice resting on either, a partial verdict
. "$(dirname "$0")/netns.sh"
. "$(dirname "$0")/nginx.sh"
nt_setup_stun_test
nt_require_cmd nginx tc
nt_start_speedserver
nt_udp_checks

GOODPUT=$(awk 'BEGIN { printf "%.6f", 1448 / 1514 }')

check() { # JSON [ARGS...]: the default check against the namespace servers
    local j=$1
    shift
    nt_precall "$NT_NS_CLIENT" "$j" check --server "$NT_SPEED_URL" --cacert "$NT_CA" \
        --stun "$NT_STUN1:$NT_STUN_PORT" --stun "$NT_STUN2:$NT_STUN_PORT" "${NT_NET_ONLY[@]}" \
        --json --no-progress "$@"
    nt_validate_report "$j"
}

within10() { # KEY RATE_MBIT: the metric within 10 % of the shaped goodput
    echo 'm["'"$1"'"] is not None and abs(m["'"$1"'"] - '"$2"' * '"$GOODPUT"') <= 0.10 * '"$2"' * '"$GOODPUT"
}

phase() { echo 'next(s for s in r["scopes"] if s["kind"] == "phase" and s["id"] == "'"$1"'")'; }
rtt() { echo '('"$(phase "$1")"')["metrics"]["rtt_median_ms"]'; }
# bufferbloat_ms as the derive step computes it from the phase scopes (the
# report rounds each figure to 0.001, so the three may differ by 0.0015)
BLOAT='max(0, max('"$(rtt download)"', '"$(rtt upload)"') - '"$(rtt idle)"')'

# a. 20/5
nt_shape_link 20 5 50
J=$NT_TMP/20-5.json
check "$J"
nt_log "20/5: down $(nt_json "$J" 'm["download_mbps"]') up $(nt_json "$J" 'm["upload_mbps"]') Mbit/s," \
    "bufferbloat $(nt_json "$J" 'm["bufferbloat_ms"]') ms ($(nt_json "$J" 'm["bufferbloat_grade"]')), $(nt_json "$J" 'm["bandwidth_bytes"]') bytes, ${NT_WALL_S} s"
nt_accuracy_check "$J" "$(within10 download_mbps 20)" "20/5: download within 10 % of the goodput of 20 Mbit/s"
nt_accuracy_check "$J" "$(within10 upload_mbps 5)" "20/5: upload within 10 % of the goodput of 5 Mbit/s"
nt_check "$J" 'r["probes"]["http"]["status"] == "ok" and m["https_reachable"] is True' "20/5: https reachable"
nt_check "$J" 'all(isinstance(m[k], (int, float)) and m[k] >= 0 for k in ("http_connect_ms", "tls_ms", "ttfb_ms"))' \
    "20/5: connect, TLS and first-byte times"
for p in idle download upload; do
    nt_check "$J" 'all(isinstance(('"$(phase $p)"')["metrics"][k], (int, float)) for k in ("rtt_median_ms", "rtt_p90_ms", "jitter_ms", "loss_pct"))' \
        "20/5: phase $p has RTT median, p90, jitter and loss"
    nt_check "$J" 'not ('"$(phase $p)"')["gates"]' "20/5: phase $p is shown for comparison"
done
nt_check "$J" '('"$(phase download)"')["metrics"]["probes_sent"] >= 40' "20/5: STUN probed under load while downloading"
nt_check "$J" 'len(('"$(phase download)"')["series"]["throughput_mbps"]["values"]) >= 10' "20/5: a throughput series per 100 ms"
nt_check "$J" '('"$(phase upload)"')["metrics"]["rtt_median_ms"] > m["rtt_median_ms"]' "20/5: the upload adds delay"
nt_check "$J" 'm["bufferbloat_ms"] is not None and m["bufferbloat_grade"] in ("A+", "A", "B", "C", "D", "F")' \
    "20/5: bufferbloat and its grade"
nt_check "$J" 'm["bufferbloat_ms"] is not None and abs(m["bufferbloat_ms"] - '"$BLOAT"') <= 0.0015' \
    "20/5: bufferbloat is the larger loaded RTT median less the idle one"
nt_check "$J" '[(t["role"], t["address"], t["port"]) for t in r["probes"]["bandwidth"]["targets"]] == [("download", "'"$NT_SPEED_ADDR"'", 443), ("upload", "'"$NT_SPEED_ADDR"'", 443)]' \
    "20/5: the speed-test server's address and port for each direction"
nt_check "$J" 'm["bandwidth_bytes"] > 1000000 and m["streams"] >= 4' "20/5: bytes used and streams reported"
nt_check "$J" 'r["probes"]["bandwidth"]["status"] == "ok"' "20/5: bandwidth ok"
nt_check "$J" 'r["verdict"]["tier"] == "hd"' "20/5: HD"
awk -v w="$NT_WALL_S" 'BEGIN { exit !(w < 11) }' ||
    nt_check "$J" 'False' "20/5: the default check ended within 11 s (${NT_WALL_S} s)"

# b. 2/1
nt_shape_link 2 1 50
J=$NT_TMP/2-1.json
check "$J"
nt_log "2/1: down $(nt_json "$J" 'm["download_mbps"]') up $(nt_json "$J" 'm["upload_mbps"]') Mbit/s, ${NT_WALL_S} s"
nt_accuracy_check "$J" "$(within10 download_mbps 2)" "2/1: download within 10 % of the goodput of 2 Mbit/s"
nt_accuracy_check "$J" "$(within10 upload_mbps 1)" "2/1: upload within 10 % of the goodput of 1 Mbit/s"
nt_check "$J" 'r["verdict"]["tier"] in ("audio", "sd") and "upload-low" in ids' "2/1: below HD, with advice on the upload"

# c. queue depth: shallow against deep, both shaped in the router as a home
# router's queue is (a shaper on the client's own veth sits under its TCP
# stack's small-queue limit, and the client's upload did not always fill it:
# 82-94 ms on a 500 ms queue in the prediction bench, and a CI run under
# ASan read less than 200 ms)
nt_unshape_link
nt_shape_router 20 5 20
JS=$NT_TMP/shallow.json
check "$JS"
nt_shape_router 20 5 500
JD=$NT_TMP/deep.json
check "$JD"
nt_router tc qdisc del dev "pc${NT_ID}rb" root 2>/dev/null
GS=$(nt_json "$JS" 'm["bufferbloat_grade"]')
GD=$(nt_json "$JD" 'm["bufferbloat_grade"]')
nt_log "queues: 20 ms -> $(nt_json "$JS" 'm["bufferbloat_ms"]') ms ($GS), 500 ms -> $(nt_json "$JD" 'm["bufferbloat_ms"]') ms ($GD)"
ORDER='["A+", "A", "B", "C", "D", "F"]'
nt_check "$JD" "$ORDER.index(m[\"bufferbloat_grade\"]) > $ORDER.index(\"$GS\")" "deep queue: a worse grade than the shallow one ($GD vs $GS)"
nt_check "$JD" "$(rtt upload) - $(rtt idle) >= 200" "deep queue: the upload phase's RTT 200 ms or more above the idle one"
nt_check "$JS" "$(rtt upload) - $(rtt idle) < 200" "shallow queue: the upload phase's RTT less than 200 ms above the idle one"
nt_check "$JD" 'm["bufferbloat_ms"] >= 200' "deep queue: bufferbloat of 200 ms or more"
nt_check "$JD" 'r["verdict"]["tier"] == "hd" and "bufferbloat_ms" not in r["verdict"]["limited_by"]' \
    "deep queue: the verdict stays HD, not capped by bufferbloat"
nt_check "$JD" '[k["id"] for k in r["risks"]] == ["bufferbloat"] and "fq_codel" in r["risks"][0]["advice"]' \
    "deep queue: bufferbloat is the one risk, with the router hint"
nt_unshape_link

# d. the wrong CA
J=$NT_TMP/wrong-ca.json
nt_precall "$NT_NS_CLIENT" "$J" check --server "$NT_SPEED_URL" --cacert "$NT_OTHER_CA" \
    --stun "$NT_STUN1:$NT_STUN_PORT" "${NT_NET_ONLY[@]}" --json --no-progress --duration 6
nt_validate_report "$J"
nt_check "$J" 'r["probes"]["http"]["status"] == "failed" and r["probes"]["http"]["cause"] == "tls-failed"' \
    "wrong CA: http failed, tls-failed"
nt_check "$J" '"certificate could not be verified" in r["probes"]["http"]["reason"]' "wrong CA: the reason says so"
nt_check "$J" 'r["probes"]["bandwidth"]["cause"] == "tls-failed" and m["download_mbps"] is None' \
    "wrong CA: nothing was sent to the server"
nt_check "$J" 'r["verdict"]["label"].startswith("No verdict")' "wrong CA: no verdict"

# e. --skip bandwidth
J=$NT_TMP/skip.json
check "$J" --skip bandwidth
nt_check "$J" 'r["probes"]["bandwidth"]["status"] == "skipped" and m["bandwidth_bytes"] is None' \
    "--skip bandwidth: left out, no bytes used"
nt_check "$J" 'r["probes"]["http"]["status"] == "ok" and r["verdict"]["partial"]' "--skip bandwidth: a partial check"

# f. not filled in the time
nt_shape_link 20 20 200
J=$NT_TMP/short.json
check "$J" --duration 4.5
nt_log "short share: $(nt_json "$J" 'r["probes"]["bandwidth"]["reason"]')"
nt_check "$J" 'r["probes"]["bandwidth"]["status"] == "ok" and r["probes"]["bandwidth"]["cause"] == "time-too-short"' \
    "short share: the speed test ran, its time too short for the link"
nt_check "$J" 'r["probes"]["bandwidth"]["reason"].startswith("download: at least ") and ", upload: at least " in r["probes"]["bandwidth"]["reason"] and r["probes"]["bandwidth"]["reason"].endswith(" Mbit/s; the link could not be filled in the time")' \
    "short share: both figures are lower bounds and say so"
nt_check "$J" 'all("not filled: at least" in t["detail"] for t in r["probes"]["bandwidth"]["targets"])' \
    "short share: the targets say so"
nt_check "$J" 'm["download_mbps"] is None and m["upload_mbps"] is None' "short share: no run-level speed"
nt_check "$J" 'm["bufferbloat_ms"] is None and m["bufferbloat_grade"] is None' "short share: bufferbloat not measured"
nt_check "$J" '('"$(phase download)"')["metrics"].get("rtt_median_ms") is None and ('"$(phase upload)"')["metrics"].get("rtt_median_ms") is None' \
    "short share: no loaded latency from a link not filled"
nt_check "$J" 'not ({"download-low", "upload-low", "bufferbloat", "full-hd-possible"} & set(ids))' \
    "short share: no advice resting on the lower bounds"
nt_check "$J" 'r["verdict"]["partial"] and {"download_mbps", "upload_mbps"} <= set(r["verdict"]["not_checked"]) and m["bufferbloat_ms"] is None' \
    "short share: a partial verdict, speed not checked, bufferbloat not measured"
nt_unshape_link
nt_done
