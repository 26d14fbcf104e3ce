#!/bin/bash
# integration.tshark: precall analyze agrees with Wireshark's tshark on a
# capture made with real tools. ffmpeg in the client namespace sends three
# RTP streams to the server namespace for 6 s:
#   - G.711 mu-law audio (PT 0, 8 kHz, 20 ms packets) to port 5004 through the
#     delay/jitter relay (impair, 1 ms + U[0, 8] ms each way), the router
#     dropping every 17th datagram after the relay;
#   - Motion JPEG video (PT 26, 90 kHz, several packets per frame) to port
#     5006 through a relay with 1 ms + U[0, 4] ms (the packets of a frame
#     overtake each other), 3 % random loss;
#   - H.264 video (dynamic PT 96) to port 5008 straight through the router,
#     every 11th datagram dropped.
# tcpdump captures in the server namespace; then tshark -z rtp,streams and
# precall analyze --json must agree per stream: packets, lost and sequence
# errors exactly, max delta and max jitter within 0.01 ms where tshark
# computes them (tests/integration/tshark_compare.py).
. "$(dirname "$0")/netns.sh"
nt_require_root
nt_require_cmd nft ffmpeg tshark tcpdump
nt_require_precall
for enc in pcm_mulaw mjpeg libx264; do
    ffmpeg -hide_banner -encoders 2>/dev/null | grep -q " $enc " ||
        nt_skip "ffmpeg has no $enc encoder"
done
nt_setup

CAP=$NT_TMP/rtp.pcap
# Nothing listens at the receiver: drop the streams on input there, so that
# no ICMP "port unreachable" goes back (tcpdump sees the packets before).
nt_server nft -f - <<'EOF' || nt_fail "nft in the server namespace"
table inet pcsink {
    chain input {
        type filter hook input priority 0; policy accept;
        udp dport 5000-5100 drop
    }
}
EOF

nt_bg "$NT_NS_SERVER" "$NT_TMP/tcpdump.log" tcpdump -i "pc${NT_ID}sb" -n -U -Z root \
    -w "$CAP" udp and dst host 198.18.1.2
TCPDUMP_PID=$NT_LAST_PID
for i in $(seq 1 100); do
    grep -q "listening on" "$NT_TMP/tcpdump.log" && break
    sleep 0.05
done
grep -q "listening on" "$NT_TMP/tcpdump.log" || nt_fail "tcpdump did not start"

relay() { # PORT JITTER_MS SEED
    rm -f "$NT_TMP/relay$1.ready"
    nt_bg "$NT_NS_ROUTER" "$NT_TMP/relay$1.log" "$IMPAIR_BIN" --listen "198.18.0.1:$1" \
        --to "198.18.1.2:$1" --rtt-ms 2 --jitter-ms "$2" --seed "$3" \
        --report "$NT_TMP/relay$1.json" --ready "$NT_TMP/relay$1.ready"
    nt_wait_file "$NT_TMP/relay$1.ready" || nt_fail "relay on port $1 did not start"
}
[ -x "${IMPAIR_BIN:-}" ] || nt_fail "impair fixture '${IMPAIR_BIN:-}' not built"
relay 5004 8 11
relay 5006 4 12
nt_loss_every 17 5004
nt_loss_random 3 5006
nt_loss_every 11 5008

nt_log "ffmpeg: 6 s of PCMU, MJPEG and H.264 over RTP"
timeout 60 ip netns exec "$NT_NS_CLIENT" ffmpeg -hide_banner -loglevel error -nostdin -re \
    -f lavfi -i "sine=frequency=440:sample_rate=8000:samples_per_frame=160" \
    -f lavfi -i "testsrc=size=320x240:rate=25" \
    -map 0:a -t 6 -c:a pcm_mulaw -f rtp rtp://198.18.0.1:5004 \
    -map 1:v -t 6 -c:v mjpeg -huffman default -pix_fmt yuvj420p -q:v 4 -f rtp rtp://198.18.0.1:5006 \
    -map 1:v -t 6 -c:v libx264 -preset ultrafast -tune zerolatency -f rtp rtp://198.18.1.2:5008 \
    >"$NT_TMP/ffmpeg.sdp" 2>"$NT_TMP/ffmpeg.log" || {
    cat "$NT_TMP/ffmpeg.log" >&2
    nt_fail "ffmpeg failed"
}
sleep 0.5
nt_stop "$TCPDUMP_PID"
nt_router nft list chain inet pctest impair >&2
[ -s "$CAP" ] || nt_fail "tcpdump wrote no capture"

nt_precall - "$NT_TMP/precall.json" analyze --json "$CAP"
nt_expect_rc 0 1 2
tshark -q -o rtp.heuristic_rtp:TRUE -z rtp,streams -r "$CAP" >"$NT_TMP/tshark.txt" 2>/dev/null ||
    nt_fail "tshark -z rtp,streams failed"
tshark -o rtp.heuristic_rtp:TRUE -Y rtp -T fields -e ip.src -e udp.srcport -e ip.dst \
    -e udp.dstport -e rtp.ssrc -e rtp.seq -e rtp.timestamp -e rtp.marker -e frame.time_epoch \
    -r "$CAP" >"$NT_TMP/tshark.tsv" 2>/dev/null ||
    nt_fail "tshark -T fields failed"
cat "$NT_TMP/tshark.txt" >&2
if "$NT_PY" "$PC_IT_DIR/tshark_compare.py" "$NT_TMP/tshark.txt" "$NT_TMP/tshark.tsv" \
    "$NT_TMP/precall.json" >&2; then
    nt_pass "precall and tshark agree on every stream"
else
    NT_FAILED=1
    nt_log "FAIL: precall and tshark disagree"
fi
# The capture must have exercised what is compared: three streams, loss on each.
nt_check "$NT_TMP/precall.json" \
    'len([s for s in r["scopes"] if s["kind"] == "stream"]) == 3' "three RTP streams"
nt_check "$NT_TMP/precall.json" \
    'all(s["metrics"]["stream_lost"] > 0 for s in r["scopes"] if s["kind"] == "stream")' \
    "loss on every stream"
nt_check "$NT_TMP/precall.json" \
    'any(s["metrics"]["stream_reordered"] > 0 for s in r["scopes"] if s["kind"] == "stream")' \
    "reordering through the jitter relay"
nt_done
