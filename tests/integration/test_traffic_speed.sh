#!/bin/bash
# integration.traffic_speed: the traffic probe during the speed test, apart
# from the idle phase, with the speed test's own connections left out.
#
# The network check (dns, http, idle udp, download then upload) against the
# namespace servers (nginx speed-test server, coturn STUN), the router
# shaped to DOWN/UP Mbit/s:
#  1. Nothing else running: the speed test moves megabits, the traffic
#     probe counts none of it (other_traffic_speed_down_mbps and _up_mbps
#     ~0, no other-flow scope, no other-traffic advice), nor of the idle
#     phase's STUN stream.
#  2. A paced UDP bulk stream from the server namespace (a third party:
#     neither precall nor its servers' sockets) to a receiver in the client
#     namespace, running through both phases: its rate within 10 % in the
#     idle phase's figure and, apart, in the speed test's, its flow named
#     (far end 198.18.1.2:9000, the receiver's process), and the advice that
#     the speed figure is under the line's (other-traffic-speed-test).
#     Started only once the speed test runs, the idle phase's figures (flows,
#     source) have none of it and only the speed-test advice is given.
#  3. --skip udp: the traffic probe takes no time of its own (the run ends
#     within 0.5 s of the speed test's end) and reports the speed test's
#     figure alone.
. "$(dirname "$0")/netns.sh"
. "$(dirname "$0")/nginx.sh"
nt_setup_stun_test
nt_require_cmd nginx tc
nt_start_speedserver
nt_udp_checks
DOWN=40
UP=20

nt_client ip route add default via 198.18.0.1 || nt_fail "client default route"
nt_shape_router "$DOWN" "$UP" 50
check() { # JSON [ARGS...]: the network check against the namespace servers
    local j=$1
    shift
    nt_precall "$NT_NS_CLIENT" "$j" check --server "$NT_SPEED_URL" --cacert "$NT_CA" \
        --stun "$NT_STUN1:$NT_STUN_PORT" --stun "$NT_STUN2:$NT_STUN_PORT" "${NT_NET_ONLY[@]}" \
        --duration 8 --json --no-progress "$@"
    nt_validate_report "$j"
}
F='{s["id"]: s["metrics"] for s in r["scopes"] if s["kind"] == "other-flow"}'
P='r["probes"]["traffic"]'

# 1. Quiet: precall's own speed test is not other traffic.
J=$NT_TMP/quiet.json
check "$J"
nt_log "quiet: download $(nt_json "$J" 'm["download_mbps"]'), upload $(nt_json "$J" 'm["upload_mbps"]')" \
    "Mbit/s; other during the speed test $(nt_json "$J" 'm["other_traffic_speed_down_mbps"]') down," \
    "$(nt_json "$J" 'm["other_traffic_speed_up_mbps"]') up; flows $(nt_json "$J" "$F")"
nt_check "$J" "$P"'["status"] == "ok"' "quiet: traffic probe ok"
nt_check "$J" 'r["probes"]["bandwidth"]["status"] == "ok" and m["download_mbps"] >= 0.5 * '"$DOWN"' and m["upload_mbps"] >= 0.5 * '"$UP" \
    "quiet: the speed test moved megabits"
nt_check "$J" 'm["bandwidth_bytes"] > 5000000' "quiet: over 5 MB of its own"
nt_check "$J" 'm["other_traffic_speed_down_mbps"] is not None and m["other_traffic_speed_down_mbps"] <= 0.05' \
    "quiet: no other traffic down during the speed test"
nt_check "$J" 'm["other_traffic_speed_up_mbps"] is not None and m["other_traffic_speed_up_mbps"] <= 0.05' \
    "quiet: no other traffic up during the speed test"
nt_check "$J" 'm["other_traffic_down_mbps"] <= 0.05 and m["other_traffic_flows"] == 0' \
    "quiet: none in the idle phase either"
nt_check "$J" 'len('"$F"') == 0' "quiet: no other-flow scope"
nt_check "$J" 'not any(i.startswith("other-traffic") for i in ids)' "quiet: no other-traffic advice"
nt_check "$J" "$P"'["reason"].startswith("no other traffic on this connection during the check") and "; no other traffic on this connection during the speed test" in '"$P"'["reason"]' \
    "quiet: the reason says none, in both"

# 2. A paced UDP stream of a third party through both phases.
# 400 datagrams a second of 1200 bytes: frames of 1242 bytes (UDP 8, IPv4 20, Ethernet 14)
OTHER_MBPS=3.9744
cat >"$NT_TMP/pace.py" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("198.18.1.2", 9000))
payload, t, step = bytes(1200), time.monotonic(), 1 / 400
while True:
    s.sendto(payload, ("198.18.0.2", 9001))
    t += step
    time.sleep(max(0, t - time.monotonic()))
PY
cat >"$NT_TMP/sink.py" <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("198.18.0.2", 9001))
while True:
    s.recv(2048)
PY
nt_bg "$NT_NS_CLIENT" "$NT_TMP/sink.log" "$NT_PY" "$NT_TMP/sink.py"
SINK_PID=$NT_LAST_PID
nt_bg "$NT_NS_SERVER" "$NT_TMP/pace.log" "$NT_PY" "$NT_TMP/pace.py"
PACE_PID=$NT_LAST_PID
sleep 1
J=$NT_TMP/bulk.json
check "$J"
nt_log "bulk: other $(nt_json "$J" 'm["other_traffic_down_mbps"]') Mbit/s down idle," \
    "$(nt_json "$J" 'm["other_traffic_speed_down_mbps"]') during the speed test; flows $(nt_json "$J" "$F")"
TOP='sorted('"$F"'.values(), key=lambda s: -s["other_traffic_speed_down_mbps"])[0]'
nt_check "$J" "abs(m[\"other_traffic_speed_down_mbps\"] - $OTHER_MBPS) <= 0.1 * $OTHER_MBPS" \
    "bulk: during the speed test, other traffic down within 10 % of $OTHER_MBPS Mbit/s"
nt_check "$J" "abs(m[\"other_traffic_down_mbps\"] - $OTHER_MBPS) <= 0.1 * $OTHER_MBPS" \
    "bulk: in the idle phase, apart, within 10 % too"
nt_check "$J" 'm["other_traffic_speed_up_mbps"] <= 0.05' "bulk: nothing up (the speed test's upload left out)"
nt_check "$J" "$TOP"'["other_flow_far_end"] == "198.18.1.2:9000" and '"$TOP"'["other_flow_protocol"] == "udp"' \
    "bulk: its flow named, 198.18.1.2:9000 over UDP"
nt_check "$J" "$TOP"'["other_flow_local_port"] == 9001 and '"$TOP"'["other_flow_where"] == "this-computer"' \
    "bulk: to local port 9001 on this computer"
nt_check "$J" "$TOP"'["other_flow_process"] in ("python3", "'"$(basename "$(readlink -f "$NT_PY")")"'")' \
    "bulk: the receiving process named"
nt_check "$J" "abs($TOP[\"other_traffic_speed_down_mbps\"] - $OTHER_MBPS) <= 0.1 * $OTHER_MBPS" \
    "bulk: the flow's own rate during the speed test within 10 %"
nt_check "$J" 'len('"$F"') == 1' "bulk: the one flow, none of precall's"
nt_check "$J" '"other-traffic-speed-test" in ids' "bulk: advice: the speed figure is under the line's"
nt_check "$J" '"during the speed test, other traffic came in at" in " ".join(a["text"] for a in r["advice"]).lower()' \
    "bulk: the advice says the speed test shared the line"
nt_check "$J" '"other traffic on this connection: " in '"$P"'["reason"] and "during the speed test, mostly one flow from 198.18.1.2:9000" in '"$P"'["reason"]' \
    "bulk: the reason names the flow during the speed test"

# 2b. The same stream started only once the speed test runs (4 s into the check: the idle
# phase ends at about 2.9 s, the speed test at about 6.6 s): the idle phase saw nothing.
nt_stop "$PACE_PID"
nt_bg "$NT_NS_SERVER" "$NT_TMP/pace-late.log" bash -c "sleep 4; exec \"\$0\" \"\$1\"" "$NT_PY" "$NT_TMP/pace.py"
PACE_PID=$NT_LAST_PID
J=$NT_TMP/late.json
check "$J"
nt_log "late: other $(nt_json "$J" 'm["other_traffic_down_mbps"]') Mbit/s down idle," \
    "$(nt_json "$J" 'm["other_traffic_speed_down_mbps"]') during the speed test; flows $(nt_json "$J" "$F")"
nt_check "$J" 'm["other_traffic_down_mbps"] <= 0.05 and m["other_traffic_flows"] == 0' \
    "late: no other traffic, and no flow, in the idle phase"
nt_check "$J" 'm["other_traffic_source"] == "none"' "late: the idle phase's source: none"
nt_check "$J" 'm["other_traffic_speed_down_mbps"] >= 1' "late: the speed test's figure has it"
nt_check "$J" '"other-traffic-speed-test" in ids and "other-traffic-this-computer" not in ids' \
    "late: the speed-test advice alone"

# 3. --skip udp: no idle window, no time of its own.
nt_stop "$PACE_PID"
nt_stop "$SINK_PID"
J=$NT_TMP/skip-udp.json
check "$J" --skip udp
PH='r["probes"]'
HELD='r["duration_ms"] - max('"$PH"'["dns"]["duration_ms"], '"$PH"'["http"]["duration_ms"]) - '"$PH"'["bandwidth"]["duration_ms"]'
nt_log "--skip udp: the run $(nt_json "$J" 'r["duration_ms"]') ms, past the dns/http and speed phases: $(nt_json "$J" "$HELD") ms"
nt_check "$J" "$P"'["status"] == "ok" and m["other_traffic_down_mbps"] is None' \
    "skip udp: no idle figure"
nt_check "$J" 'm["other_traffic_speed_down_mbps"] is not None and m["other_traffic_speed_down_mbps"] <= 0.05' \
    "skip udp: the speed test's figure alone, ~0"
nt_check "$J" "$P"'["reason"].startswith("no other traffic on this connection during the speed test")' \
    "skip udp: the reason speaks of the speed test"
nt_check "$J" "$HELD"' <= 500 and '"$PH"'["traffic"]["duration_ms"] <= r["duration_ms"]' \
    "skip udp: the run ends with the speed test (within 0.5 s), the traffic probe holds no time of its own"
nt_done
