#!/bin/bash
# docs/examples.sh OUTDIR - make the README's example outputs by running the
# built precall: a check of a "home connection" in the test network of
# tests/integration (root, network namespaces: see docs/testing.md), and
# 'devices' and 'analyze' on fixtures that need no network. Each output goes
# to OUTDIR/NAME.txt with its exit status in OUTDIR/NAME.rc; paste them into
# README.md (lightly shortened) when the program's wording changes.
#
# The home connection: 50 Mbit/s down and 10 up (tbf, 30 ms queues), about
# 25 ms of round trip and a few ms of jitter to the STUN server (the delay
# relay tests/integration/impair.c), a wired laptop on its charger
# (tests/fixtures/sysroot/wired-laptop), a microphone that hears a quiet room
# and a voice (ALSA's file plugin reading a generated sample), no camera (the
# machines this runs on have none).
#
# Environment: PRECALL_BIN (default build/precall), IMPAIR_BIN and
# GEN_CAPTURES (default beside it, under tests/ and tests/integration/).
set -u
OUT=${1:?usage: docs/examples.sh OUTDIR}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
HERE=$(cd "$(dirname "$0")/.." && pwd)
export PRECALL_SRC=$HERE
export PRECALL_BIN=${PRECALL_BIN:-$HERE/build/precall}
BUILD=$(dirname "$PRECALL_BIN")
export IMPAIR_BIN=${IMPAIR_BIN:-$BUILD/tests/integration/impair}
GEN_CAPTURES=${GEN_CAPTURES:-$BUILD/tests/gen_captures}
. "$HERE/tests/integration/netns.sh"
. "$HERE/tests/integration/nginx.sh"

# A microphone for a machine without one (tests/cli/mic_sample.py).
mic_sample() { # DIR: DIR/voice.raw and DIR/mic.conf
    "$NT_PY" "$HERE/tests/cli/mic_sample.py" "$1"
}

# run NAME CMD...: run precall, output to OUT/NAME.txt, status to OUT/NAME.rc
run() {
    local name=$1
    shift
    "$@" >"$OUT/$name.txt" 2>"$OUT/$name.err" </dev/null
    echo $? >"$OUT/$name.rc"
    echo "$name: exit $(cat "$OUT/$name.rc")"
}

# 1. Without a network: devices on a fixture laptop, analyze on a capture.
TMP=$(mktemp -d)
mic_sample "$TMP"
ALSA_CONFIG_PATH=$TMP/mic.conf PRECALL_SYSROOT=$HERE/tests/fixtures/sysroot/wifi-weak-battery-low \
    run devices "$PRECALL_BIN" devices --no-progress
"$GEN_CAPTURES" "$TMP" >/dev/null
cp "$TMP/loss.pcap" "$TMP/call.pcap"
(cd "$TMP" && run analyze "$PRECALL_BIN" analyze --color never call.pcap)
(cd "$TMP" && run analyze-json "$PRECALL_BIN" analyze --json call.pcap)
rm -rf "$TMP"

# 2. The home connection in the test network.
nt_setup_stun_test
nt_require_cmd nginx tc
nt_start_speedserver
nt_nat_masquerade
nt_hosts_add "$NT_NS_CLIENT" 198.18.0.1 stun.precall.test
nt_start_impair 40001 22 3 7 "$NT_TMP/impair.json"
nt_shape_link 50 10 30
mic_sample "$NT_TMP"
export ALSA_CONFIG_PATH=$NT_TMP/mic.conf
export PRECALL_SYSROOT=$HERE/tests/fixtures/sysroot/wired-laptop
LAB=(--server "$NT_SPEED_URL" --cacert "$NT_CA" --stun stun.precall.test:40001)
C=(ip netns exec "$NT_NS_CLIENT" "$PRECALL_BIN")
run check "${C[@]}" "${LAB[@]}" --no-progress --color never
run check-json "${C[@]}" "${LAB[@]}" --json
run check-ndjson "${C[@]}" "${LAB[@]}" --format ndjson
run check-v "${C[@]}" "${LAB[@]}" -v --no-progress --color never
run check-q-hd "${C[@]}" "${LAB[@]}" -q --require hd
run check-q-audio "${C[@]}" "${LAB[@]}" -q --require audio
# 3. The lab example of tests/README.md: UDP alone through a relay with 40 ms
# of round trip and up to 60 ms of random delay each way, and a second server.
nt_start_impair 40002 40 60 1 "$NT_TMP/impair-lab.json"
run lab "${C[@]}" --only dns,udp --stun 198.18.0.1:40002 --stun "$NT_STUN2" --no-progress --color never
jq .verdict "$OUT/check-json.txt" >"$OUT/check-json-verdict.txt"
jq -c 'select(.event != null)' "$OUT/check-ndjson.txt" >"$OUT/check-ndjson-events.txt"
echo "outputs in $OUT"
