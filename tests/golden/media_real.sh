#!/bin/bash
# golden.media_real: the media semantics of 'precall analyze' on the named
# real captures of issues 14 and 16 (shared/captures-real, beside the source
# tree; never copied into the repository). Each case is also reproduced by a
# golden capture of gen_captures (allmarker, rtcprtt, silence, judge).
#   media_real.sh SRC   (PRECALL, PY from the environment; CAPTURES_REAL overrides the folder)
set -u
SRC=$1
PY=${PY:-/usr/bin/python3}
REAL=${CAPTURES_REAL:-$SRC/../shared/captures-real}
if [ ! -d "$REAL" ]; then
    [ "${CI:-}" = true ] && { echo "FAIL no real captures at $REAL in CI"; exit 1; }
    echo "SKIP no real captures at $REAL (set CAPTURES_REAL to the folder of shared/captures-real)"
    exit 77
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail=0

# check NAME FILE WANT_EXIT PYTHON: analyse FILE (JSON), then PYTHON asserts on r (the report)
# with s(id) the metrics of the stream with that id.
check() {
    local name=$1 file=$2 want=$3 expr=$4
    "$PRECALL" analyze --json "$REAL/$file" >"$WORK/r.json" 2>"$WORK/err"
    local rc=$?
    if [ "$rc" != "$want" ]; then
        echo "FAIL $name: $file: exit $rc, expected $want"; fail=1; return
    fi
    if "$PY" - "$WORK/r.json" "$expr" <<'PYEOF'; then echo "ok $name"; else echo "FAIL $name: $file"; fail=1; fi
import json, sys
r = json.load(open(sys.argv[1]))
streams = {x["id"]: x["metrics"] for x in r["scopes"] if x["kind"] == "stream"}
def s(i):
    return streams[i]
try:
    exec(sys.argv[2])
except AssertionError as e:
    print("  assertion:", e)
    sys.exit(1)
PYEOF
}

# 1. Every packet marked (issue 16 item 5): the gaps are measured (278.4 ms, as tshark measures the arrival gaps), and the jitter. (Exit 1: another stream of the capture has no known clock rate, so the verdict is partial.)
check all-marker ndpi__whatsapp_login_call.pcap 1 '
m = s("91.253.176.65:9665>192.168.2.4:52794/0x207633fe")
assert abs(m["stream_gap_max_ms"] - 278.41) < 0.01, m["stream_gap_max_ms"]
assert m["stream_jitter_ms"] is not None and m["stream_jitter_ms"] > 0, m["stream_jitter_ms"]
'

# 2. Round trip from RTCP (issue 14 item 5): 17 receiver reports answer sender reports of
# 0x5d931534; A - LSR - DLSR on the capture's clock averages 8.093 ms (recomputed from
# tshark's rtcp fields; tshark's own rtcp.roundtrip-delay, in whole ms, shows 8-10).
check rtcp-rtt wsamples__sip-tls-1.3-and-rtcp__sip.pcap 0 '
m = s("217.12.244.34:25962>217.12.247.98:31600/0x5d931534")
assert m["stream_rtt_reports"] == 17, m["stream_rtt_reports"]
assert abs(m["stream_rtt_ms"] - 8.093) < 0.001, m["stream_rtt_ms"]
assert m["stream_delay"] is None
'
# ... and where the capture has no RTCP, delay is "not measured".
check no-rtcp ndpi__whatsapp_login_call.pcap 1 '
for i, m in streams.items():
    assert m["stream_rtt_ms"] is None and m["stream_rtt_reports"] == 0, i
    assert m["stream_delay"].startswith("not measured"), (i, m["stream_delay"])
'

# 3. Silence is not a dropout (issue 16 item 1): WhatsApp's audio stops sending for 459 and
# 438 ms in silence; beyond its timestamps (16 kHz) only 84.0 and 79.1 ms are gaps.
check silence ndpi__stun_wa_call.pcapng 0 '
for i, gap, drop in (("192.168.12.156:46652>93.57.123.227:3478/0x1b9f01ee", 459.54, 83.99),
                     ("93.57.123.227:3478>192.168.12.156:46652/0xe17231aa", 438.44, 79.07)):
    m = s(i)
    assert abs(m["stream_gap_max_ms"] - gap) < 0.01, (i, m["stream_gap_max_ms"])
    assert abs(m["stream_gap_excess_ms"] - drop) < 0.01, (i, m["stream_gap_excess_ms"])
    assert "stream_gap_excess_ms" not in r["verdict"]["limited_by"], i
'
# The WhatsApp video call: a 204.7 ms gap of its video is 34.0 ms beyond the timestamps,
# and the call is no longer "Audio only" for its silence.
check silence-video ndpi__wa_video.pcap 0 '
m = s("192.168.2.12:53688>31.13.86.48:3478/0xc3965a59")
assert abs(m["stream_gap_max_ms"] - 204.65) < 0.01 and abs(m["stream_gap_excess_ms"] - 34.02) < 0.01, m
assert r["verdict"]["label"] == "Ready for HD video", r["verdict"]["label"]
'

# 4. Other payloads and restarts (issue 16 item 3): the DTMF call's jitter is the audio's
# (0.009/0.015 ms; its 35 telephone-event packets counted apart), and the FAX call's
# timestamp restart after the re-INVITE starts a second segment instead of a 2.7 s jitter.
check dtmf wsamples__SIP_DTMF2.cap 0 '
m = s("192.168.105.172:4376>192.168.105.110:4376/0x5711bf84")
assert m["stream_other_pt_packets"] == 35, m["stream_other_pt_packets"]
assert abs(m["stream_jitter_ms"] - 0.009) < 0.001 and abs(m["stream_jitter_max_ms"] - 0.015) < 0.001, m
'
check fax-restart ndpi__FAX-Call-t38-CA-TDM-SIP-FB-1.pcap 2 '
m = s("10.23.1.52:16756>10.35.60.100:15580/0x17d90134")
assert m["stream_segments"] == 2, m["stream_segments"]
assert abs(m["stream_jitter_ms"] - 0.276) < 0.001 and abs(m["stream_jitter_max_ms"] - 1.527) < 0.001, m
'

# 5. Too short to judge (issue 16 item 8): listed with their figures, no verdict from them.
for f in ndpi__discord.pcap peafowl__rtp.pcap ndpi__stun.pcap ndpi__stun_signal.pcapng; do
    check too-short-$f $f 3 '
assert r["verdict"]["label"] == "No verdict: every stream in the capture is too short to judge", r["verdict"]["label"]
assert streams, "no stream listed"
for i, m in streams.items():
    assert m["stream_not_judged"].startswith("too short to judge (%d packet" % m["stream_packets"]), (i, m["stream_not_judged"])
    assert m["stream_packets"] < 100 or m["stream_duration_s"] < 1, i
'
done

# 6. Bandwidth probes (issue 16 item 2): Google Meet's padding on SSRC 0 is not media.
check probes ndpi__stun_google_meet.pcapng 3 '
probes = [i for i in streams if i.endswith("/0x00000000")]
assert len(probes) == 2, probes
for i in probes:
    m = s(i)
    assert m["stream_not_judged"] == "bandwidth probes (%d padding packets), not media" % m["stream_packets"], (i, m["stream_not_judged"])
    assert m["stream_padding_packets"] == m["stream_packets"], i
assert not r["verdict"]["label"].startswith("Not ready"), r["verdict"]["label"]
'
if [ "$fail" = 0 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; fi
exit "$fail"
