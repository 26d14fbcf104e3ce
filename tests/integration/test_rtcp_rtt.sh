#!/bin/bash
# integration.rtcp_rtt: 'precall analyze' reads the round trip of a call from
# its RTCP (RFC 3550 6.4.1) within 1 ms of the delay the network adds. The
# sender (rtcp_peer send, client namespace) streams PCMU with a sender report
# every 500 ms through the delay relay (impair, router namespace: RTT/2 each
# way, no jitter) to the answerer (rtcp_peer answer, server namespace), which
# holds each sender report 50 ms and answers with a receiver report naming it
# (LSR) and the time it held it (DLSR). tcpdump captures at the sender. Twice,
# at two delays, so that a constant cannot pass.
. "$(dirname "$0")/netns.sh"
nt_require_root
nt_require_cmd tcpdump
nt_require_precall
[ -x "${IMPAIR_BIN:-}" ] || nt_fail "impair fixture '${IMPAIR_BIN:-}' not built"
[ -x "${RTCP_PEER_BIN:-}" ] || nt_fail "rtcp_peer fixture '${RTCP_PEER_BIN:-}' not built"
nt_setup

call() { # RTT_MS PORT
    local rtt=$1 port=$2 cap=$NT_TMP/call$1.pcap pids=()
    nt_bg "$NT_NS_CLIENT" "$NT_TMP/tcpdump$rtt.log" tcpdump -i "pc${NT_ID}ca" -n -U -Z root \
        -w "$cap" udp port "$port"
    local tcpdump=$NT_LAST_PID
    for i in $(seq 1 100); do
        grep -q "listening on" "$NT_TMP/tcpdump$rtt.log" && break
        sleep 0.05
    done
    grep -q "listening on" "$NT_TMP/tcpdump$rtt.log" || nt_fail "tcpdump did not start"
    nt_bg "$NT_NS_SERVER" "$NT_TMP/answer$rtt.log" "$RTCP_PEER_BIN" answer \
        --listen "198.18.1.2:$port" --hold-ms 50 --ready "$NT_TMP/answer$rtt.ready"
    pids+=("$NT_LAST_PID")
    nt_wait_file "$NT_TMP/answer$rtt.ready" || nt_fail "rtcp_peer answer did not start"
    nt_bg "$NT_NS_ROUTER" "$NT_TMP/relay$rtt.log" "$IMPAIR_BIN" --listen "198.18.0.1:$port" \
        --to "198.18.1.2:$port" --rtt-ms "$rtt" --jitter-ms 0 --seed 1 \
        --report "$NT_TMP/relay$rtt.json" --ready "$NT_TMP/relay$rtt.ready"
    pids+=("$NT_LAST_PID")
    nt_wait_file "$NT_TMP/relay$rtt.ready" || nt_fail "relay on port $port did not start"
    timeout 30 ip netns exec "$NT_NS_CLIENT" "$RTCP_PEER_BIN" send --to "198.18.0.1:$port" \
        --seconds 5 || nt_fail "rtcp_peer send failed"
    sleep $(((rtt + 50) / 1000 + 1))
    nt_stop "$tcpdump"
    for p in "${pids[@]}"; do nt_stop "$p"; done
    [ -s "$cap" ] || nt_fail "tcpdump wrote no capture"
    nt_precall - "$NT_TMP/call$rtt.json" analyze --json "$cap"
    nt_expect_rc 0 1 2
    nt_validate_report "$NT_TMP/call$rtt.json"
    local sel='[s["metrics"] for s in r["scopes"] if s["kind"] == "stream" and s["metrics"]["stream_ssrc"] == "0x5e4d0001"][0]'
    nt_check "$NT_TMP/call$rtt.json" "$sel[\"stream_rtt_reports\"] >= 8" \
        "$rtt ms: at least 8 round trips from RTCP"
    nt_check "$NT_TMP/call$rtt.json" "abs($sel[\"stream_rtt_ms\"] - $rtt) <= 1.0" \
        "$rtt ms: the round trip from RTCP is within 1 ms of the injected $rtt ms"
    nt_log "$rtt ms injected: $("$NT_PY" -c "import json,sys; r=json.load(open(sys.argv[1])); print($sel['stream_rtt_ms'])" "$NT_TMP/call$rtt.json") ms from RTCP"
}
call 40 5010
call 160 5012
nt_done
