#!/bin/bash
# golden.input_real: the input side on real captures of public projects in
# shared/captures-real (beside the tree; never copied into it). Skips (77)
# with a reason when they, or mergecap, are not here.
#  1. A pcapng merged from an Ethernet and a Linux-cooked capture (interfaces
#     of different link types) is analysed whole: tshark's two streams.
#  2. The same capture gzip-compressed gives the same report.
#  3. A capture cut short: the process's exit status is the JSON's
#     verdict.exit_code.
#  4. Video relayed by TURN over TCP is found.
#   input_real.sh SRC   (PRECALL, PY from the environment; CAPTURES_REAL overrides)
set -u
SRC=$1
PY=${PY:-python3}
REAL=${CAPTURES_REAL:-$SRC/../shared/captures-real}
if [ ! -d "$REAL" ]; then
    [ "${CI:-}" = true ] && { echo "FAIL no real captures at $REAL in CI"; exit 1; }
    echo "SKIP no real captures at $REAL"; exit 77
fi
command -v mergecap >/dev/null || { echo "SKIP mergecap (wireshark-common) is not installed"; exit 77; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail=0
ok() { echo "ok $1"; }
not_ok() { echo "FAIL $1"; fail=1; }

mergecap -F pcapng -w "$WORK/two.pcapng" "$REAL/sipp__g711a.pcap" \
    "$REAL/wsamples__sip-tls-1.3-and-rtcp__sip.pcap" || { echo "FAIL mergecap"; exit 1; }
"$PRECALL" analyze --json "$WORK/two.pcapng" >"$WORK/two.json" 2>"$WORK/two.err"
rc=$?
# tshark -o rtp.heuristic_rtp:TRUE -z rtp,streams: 0xDEE0EE8F 236 packets, 0x5D931534 4414, none lost
"$PY" - "$WORK/two.json" "$rc" <<'PYEOF' && ok "mixed link types: both streams, tshark's counts" || not_ok "mixed link types: $(cat "$WORK/two.err")"
import json, sys
r = json.load(open(sys.argv[1]))
got = sorted((s["metrics"]["stream_ssrc"], s["metrics"]["stream_packets"], s["metrics"]["stream_lost"])
             for s in r["scopes"] if s["kind"] == "stream")
assert got == [("0x5d931534", 4414, 0), ("0xdee0ee8f", 236, 0)], got
files = [s["metrics"] for s in r["scopes"] if s["kind"] == "file"]
assert files[0]["capture_packets"] == 4794 and files[0]["capture_link"] == "EN10MB,LINUX_SLL", files
assert r["verdict"]["exit_code"] == int(sys.argv[2])
PYEOF

gzip -c "$WORK/two.pcapng" >"$WORK/two.pcapng.gz"
"$PRECALL" analyze --json "$WORK/two.pcapng.gz" >"$WORK/gz.json" 2>&1
sed -e 's/two.pcapng.gz/two.pcapng/' -e 's/"pcapng.gz"/"pcapng"/' "$WORK/gz.json" | cmp -s - "$WORK/two.json" &&
    ok "gzip: the same report" || not_ok "gzip: $(diff "$WORK/two.json" "$WORK/gz.json" | head -5)"

head -c 150000 "$REAL/wsamples__sip-rtp-g711.pcap" >"$WORK/cut.pcap"
"$PRECALL" analyze --json "$WORK/cut.pcap" >"$WORK/cut.json" 2>"$WORK/cut.err"
rc=$?
"$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["verdict"]["exit_code"] == int(sys.argv[2]) == 3' \
    "$WORK/cut.json" "$rc" && grep -q "packet 640: truncated dump file" "$WORK/cut.err" &&
    ok "cut short: exit $rc as the JSON says" || not_ok "cut short: exit $rc, $(cat "$WORK/cut.err")"
# 4. ndpi__stun_dtls_rtp.pcapng: video relayed by TURN over TCP port 3478 in Data indications.
# tshark (-z rtp,streams) finds 0x2F696C70 with 2 packets and 0x321D28BB with 9, the first of
# them a padding probe with timestamp 0, which precall does not take as the start of the stream.
"$PRECALL" analyze --json "$REAL/ndpi__stun_dtls_rtp.pcapng" >"$WORK/turn.json" 2>"$WORK/turn.err"
"$PY" - "$WORK/turn.json" <<'PYEOF' && ok "TURN over TCP: both video streams" || not_ok "TURN over TCP: $(cat "$WORK/turn.err")"
import json, sys
r = json.load(open(sys.argv[1]))
got = sorted((s["metrics"]["stream_ssrc"], s["metrics"]["stream_packets"], s["metrics"]["stream_lost"],
              s["metrics"]["stream_relay"])
             for s in r["scopes"] if s["kind"] == "stream" and "via" in s["id"])
relay = "TURN indications, peer 10.13.0.50:1259"
assert got == [("0x2f696c70", 2, 0, relay), ("0x321d28bb", 8, 0, relay)], got
PYEOF
exit $fail
