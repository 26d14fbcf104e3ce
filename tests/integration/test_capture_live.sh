#!/bin/bash
# integration.capture_live: 'precall capture' on the veth end of the server
# namespace, as root, while ffmpeg in the client namespace sends G.711
# mu-law audio (PT 0, 20 ms packets: 50 a second) and H.264 video (PT 96) over
# RTP through the router. Capturing 3 s must find both streams, the audio
# one with about 150 packets (the capture starts and ends between packets
# and its device opens in the first moments: 120..160), none lost. With
# -w FILE the packets written must analyse to the same figures.
. "$(dirname "$0")/netns.sh"
nt_require_root
nt_require_cmd nft ffmpeg
nt_require_precall
ffmpeg -hide_banner -encoders 2>/dev/null | grep -q " libx264 " || nt_skip "ffmpeg has no libx264"
nt_setup

# Nothing listens at the receiver: drop the streams on input (no ICMP back).
nt_server nft -f - <<'EOF' || nt_fail "nft in the server namespace"
table inet pcsink {
    chain input {
        type filter hook input priority 0; policy accept;
        udp dport 5000-5100 drop
    }
}
EOF

nt_bg "$NT_NS_CLIENT" "$NT_TMP/ffmpeg.log" timeout 60 ffmpeg -hide_banner -loglevel error \
    -nostdin -re \
    -f lavfi -i "sine=frequency=440:sample_rate=8000:samples_per_frame=160" \
    -f lavfi -i "testsrc=size=320x240:rate=25" \
    -map 0:a -t 8 -c:a pcm_mulaw -f rtp rtp://198.18.1.2:5004 \
    -map 1:v -t 8 -c:v libx264 -preset ultrafast -tune zerolatency -f rtp rtp://198.18.1.2:5008
FFMPEG_PID=$NT_LAST_PID
sleep 1
kill -0 "$FFMPEG_PID" 2>/dev/null || { cat "$NT_TMP/ffmpeg.log" >&2; nt_fail "ffmpeg did not start"; }

J=$NT_TMP/live.json
nt_precall "$NT_NS_SERVER" "$J" capture -i "pc${NT_ID}sb" --duration 3 --json \
    -w "$NT_TMP/live.pcap"
nt_expect_rc 0 1 2
nt_validate_report "$J"
wait "$FFMPEG_PID" 2>/dev/null

audio='[s["metrics"] for s in r["scopes"] if s["kind"] == "stream" and s["metrics"]["stream_destination"] == "198.18.1.2:5004"]'
video='[s["metrics"] for s in r["scopes"] if s["kind"] == "stream" and s["metrics"]["stream_destination"] == "198.18.1.2:5008"]'
nt_log "audio: $(nt_json "$J" "$audio")"
nt_check "$J" "len($audio) == 1 and len($video) == 1" "both RTP streams found on the live interface"
nt_check "$J" "120 <= $audio[0][\"stream_packets\"] <= 160" "about 150 audio packets in 3 s"
nt_check "$J" "$audio[0][\"stream_payload_type\"] == 0 and $audio[0][\"stream_clock_hz\"] == 8000" \
    "audio is PCMU at 8 kHz"
nt_check "$J" "$audio[0][\"stream_lost\"] == 0 and $video[0][\"stream_lost\"] == 0" "nothing lost"
nt_check "$J" "$video[0][\"stream_clock_hz\"] == 90000" "video clock learned from its timestamps"
nt_check "$J" '[s["metrics"]["capture_format"] for s in r["scopes"] if s["kind"] == "file"] == ["live"]' \
    "the input is the live interface"

[ -s "$NT_TMP/live.pcap" ] || nt_fail "-w wrote no capture"
W=$NT_TMP/written.json
nt_precall - "$W" analyze --json "$NT_TMP/live.pcap"
nt_expect_rc 0 1 2
"$NT_PY" - "$J" "$W" <<'EOF' && nt_pass "the -w capture analyses to the same streams and counts" ||
import json, sys
live, written = (json.load(open(p)) for p in sys.argv[1:3])
keys = ("stream_packets", "stream_expected", "stream_lost", "stream_duplicates",
        "stream_reordered", "stream_seq_errors", "stream_payload_type", "stream_clock_hz")
def streams(r):
    return {s["id"]: {k: s["metrics"][k] for k in keys} for s in r["scopes"] if s["kind"] == "stream"}
def frames(r):
    return [s["metrics"]["capture_packets"] for s in r["scopes"] if s["kind"] == "file"]
a, b = streams(live), streams(written)
print("live:    %s %s" % (frames(live), a), file=sys.stderr)
print("written: %s %s" % (frames(written), b), file=sys.stderr)
sys.exit(0 if a == b and a and frames(live) == frames(written) else 1)
EOF
    {
        NT_FAILED=1
        nt_log "FAIL: the capture written with -w does not analyse to the live figures"
    }
nt_done
