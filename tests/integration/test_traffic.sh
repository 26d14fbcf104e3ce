#!/bin/bash
# integration.traffic: the traffic probe names what else uses the connection.
#
# A bulk TCP transfer from the server namespace (iperf3 -s on 198.18.1.2:5201)
# to an iperf3 -R client in the client namespace runs through the router,
# whose client-side veth is shaped by tbf to RATE Mbit/s, while precall
# checks with its udp and traffic probes: the traffic probe must report the
# rate within 10 % (frames as the tbf counts them), the flow's far end
# 198.18.1.2:5201 and the process iperf3. A paced UDP stream to an address
# of no one here, which the client's interface sees as on a shared medium, is
# another device's: its rate within 10 %, no process, the other-device
# advice. With nothing else running, no other traffic (precall's own STUN
# stream is left out). As nobody, the
# probe is skipped with the one-line hint and the check's exit status is
# that of a check without it.
. "$(dirname "$0")/netns.sh"
. "$(dirname "$0")/nginx.sh" # nt_tbf_burst
nt_setup_stun_test
nt_require_cmd iperf3 setpriv
nt_udp_checks
RATE=8

# The probe watches the interface of the default route: give the client one.
nt_client ip route add default via 198.18.0.1 || nt_fail "client default route"
NT_COMMON=(-p "$NT_TMP/udp-profile.json" --stun "$NT_STUN1:$NT_STUN_PORT"
    --stun "$NT_STUN2:$NT_STUN_PORT" --duration 6 --json --no-progress)
NT_ARGS=(check --only udp,traffic "${NT_COMMON[@]}")
F='{s["id"]: s["metrics"] for s in r["scopes"] if s["kind"] == "other-flow"}'
P='r["probes"]["traffic"]'

# 1. Nothing else running: no other traffic, precall's own left out.
J=$NT_TMP/quiet.json
nt_precall "$NT_NS_CLIENT" "$J" "${NT_ARGS[@]}"
nt_expect_rc 0
nt_validate_report "$J"
nt_check "$J" "$P"'["status"] == "ok"' "traffic probe ok"
nt_check "$J" 'm["other_traffic_flows"] == 0' "no other flow (precall's own STUN left out)"
nt_check "$J" 'm["other_traffic_down_mbps"] == 0 and m["other_traffic_up_mbps"] == 0' \
    "no other traffic, either way"
nt_check "$J" 'm["other_traffic_source"] == "none"' "source none"
nt_check "$J" 'len('"$F"') == 0' "no other-flow scope"
nt_check "$J" "$P"'["reason"].startswith("no other traffic on this connection")' "says no other traffic"
nt_check "$J" 'not any(i.startswith("other-traffic") for i in ids)' "no other-traffic advice"

# 2. A bulk download through a RATE Mbit/s shaper.
nt_shape_router "$RATE" 100 50
nt_bg "$NT_NS_SERVER" "$NT_TMP/iperf3-server.log" iperf3 -s -B 198.18.1.2 -p 5201
sleep 0.5
nt_bg "$NT_NS_CLIENT" "$NT_TMP/iperf3-client.log" iperf3 -c 198.18.1.2 -p 5201 -R -t 40 -i 0
IPERF_CLIENT=$NT_LAST_PID
sleep 3 # past TCP's slow start: the shaper is full
J=$NT_TMP/bulk.json
nt_precall "$NT_NS_CLIENT" "$J" "${NT_ARGS[@]}"
nt_expect_rc 0 2 3
nt_validate_report "$J"
nt_log "other traffic: $(nt_json "$J" 'm["other_traffic_down_mbps"]') Mbit/s down, flows: $(nt_json "$J" "$F")"
nt_check "$J" "abs(m[\"other_traffic_down_mbps\"] - $RATE) <= 0.1 * $RATE" \
    "other traffic down within 10 % of $RATE Mbit/s"
nt_check "$J" 'm["other_traffic_source"] == "this-computer"' "source: this computer"
TOP='sorted('"$F"'.values(), key=lambda s: -s["other_traffic_down_mbps"])[0]'
nt_check "$J" "$TOP"'["other_flow_far_end"] == "198.18.1.2:5201"' "top flow from 198.18.1.2:5201"
nt_check "$J" "$TOP"'["other_flow_process"] == "iperf3"' "top flow's process iperf3"
nt_check "$J" "$TOP"'["other_flow_protocol"] == "tcp"' "top flow tcp"
nt_check "$J" "abs($TOP[\"other_traffic_down_mbps\"] - $RATE) <= 0.1 * $RATE" \
    "top flow's rate within 10 % of $RATE Mbit/s"
nt_check "$J" "$P"'["reason"].startswith("other traffic on this connection: ")' "reason names it"
nt_check "$J" '"from 198.18.1.2:5201 (process: iperf3)" in '"$P"'["reason"]' \
    "reason: from 198.18.1.2:5201 (process: iperf3)"
nt_check "$J" '"other-traffic-this-computer" in ids' "advice: something on this computer"
nt_check "$J" 'not any(s["kind"] == "other-flow" and s["metrics"].get("other_flow_far_end", "").endswith(":3478") for s in r["scopes"])' \
    "precall's own STUN flows are not among them"

# 2b. Another device's traffic on a shared medium: the router sends a paced UDP
# stream to 198.18.0.99, an address of no one here, whose link address it is
# told is the client's: the client's interface sees the frames (as on a hub or
# a shared Wi-Fi), no socket of this computer holds them.
nt_stop "$IPERF_CLIENT"
ca_mac=$(nt_client cat "/sys/class/net/pc${NT_ID}ca/address")
nt_router ip neigh replace 198.18.0.99 lladdr "$ca_mac" dev "pc${NT_ID}ra" nud permanent ||
    nt_fail "static neighbour"
# 400 datagrams a second of 1200 bytes: frames of 1242 bytes (UDP 8, IPv4 20, Ethernet 14)
SHARED_MBPS=3.9744
cat >"$NT_TMP/pace.py" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("198.18.1.2", 9000))
payload, t, step = bytes(1200), time.monotonic(), 1 / 400
while True:
    s.sendto(payload, ("198.18.0.99", 9001))
    t += step
    time.sleep(max(0, t - time.monotonic()))
PY
nt_bg "$NT_NS_SERVER" "$NT_TMP/pace.log" "$NT_PY" "$NT_TMP/pace.py"
sleep 1
J=$NT_TMP/shared.json
nt_precall "$NT_NS_CLIENT" "$J" "${NT_ARGS[@]}"
nt_validate_report "$J"
nt_log "shared medium: $(nt_json "$J" 'm["other_traffic_down_mbps"]') Mbit/s down, flows: $(nt_json "$J" "$F")"
nt_check "$J" "abs(m[\"other_traffic_down_mbps\"] - $SHARED_MBPS) <= 0.1 * $SHARED_MBPS" \
    "another device's traffic within 10 % of $SHARED_MBPS Mbit/s"
nt_check "$J" 'm["other_traffic_source"] == "other-device"' "source: another device"
nt_check "$J" "$TOP"'["other_flow_far_end"] == "198.18.1.2:9000"' "its flow from 198.18.1.2:9000"
nt_check "$J" "$TOP"'["other_flow_where"] == "other-device" and '"$TOP"'["other_flow_process"] is None' \
    "on another device, no process"
nt_check "$J" '"other-traffic-other-device" in ids and "other-traffic-this-computer" not in ids' \
    "advice: another device is busy"
nt_check "$J" '"(another device: no socket of this computer)" in '"$P"'["reason"]' "reason says another device"

# 3. Without permission to capture: skipped with the hint, exit status unaffected.
nt_stop "$NT_LAST_PID"
# precall run as nobody, with no capability at all (nt_precall runs $PRECALL_BIN).
REAL_BIN=$PRECALL_BIN
cat >"$NT_TMP/as-nobody" <<SH
#!/bin/sh
exec setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all --bounding-set=-all \\
    -- "$REAL_BIN" "\$@"
SH
chmod 755 "$NT_TMP/as-nobody"
chmod o+x "$NT_TMP"
PRECALL_BIN=$NT_TMP/as-nobody
J=$NT_TMP/nobody.json
nt_precall "$NT_NS_CLIENT" "$J" "${NT_ARGS[@]}"
J2=$NT_TMP/nobody-bare.json
nt_validate_report "$J"
nt_check "$J" "$P"'["status"] == "skipped"' "skipped as nobody"
nt_check "$J" "$P"'["reason"] == "skipped: needs capture permission (run as root or grant CAP_NET_RAW)"' \
    "the one-line hint"
nt_check "$J" "$P"'["cause"] == "capture-not-permitted"' "cause capture-not-permitted"
nt_check "$J" 'm["other_traffic_down_mbps"] is None and m["other_traffic_source"] is None' "no figure"
RC_NOBODY=$NT_RC
nt_precall "$NT_NS_CLIENT" "$J2" check --only udp "${NT_COMMON[@]}"
PRECALL_BIN=$REAL_BIN
nt_check "$J2" 'r["probes"]["udp"]["status"] == "ok"' "udp alone ran as nobody"
if [ "$RC_NOBODY" = "$NT_RC" ]; then
    nt_pass "exit status $RC_NOBODY, as without the traffic probe"
else
    NT_FAILED=1
    nt_log "FAIL: exit status $RC_NOBODY with the skipped traffic probe, $NT_RC without it"
fi
nt_done
