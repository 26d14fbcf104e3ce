#!/bin/bash
# 'precall devices' on a machine like CI's (no camera, no sound card): it
# says so with reasons, quickly, scores them as the profile says (no
# microphone: not ready, exit 2), and its JSON passes the schema. With a
# fixture tree (PRECALL_SYSROOT) and an ALSA configuration whose default
# device reads a file, it reports those instead. 'check' leaves them out
# with --skip, and names them in --help. A build without libasound
# (PRECALL_WITH_ALSA=0) says that microphones were skipped and why.
. "$(dirname "$0")/lib.sh"

# A machine without cameras or sound devices: an empty /dev and an ALSA
# configuration without a default device.
mkdir -p "$WORK/bare/dev"
echo "# no sound devices" >"$WORK/none.conf"
export ALSA_CONFIG_PATH=$WORK/none.conf

# A system without the Linux readers: both probes say so, and nothing is scored.
if [ "${PRECALL_HOST_LINUX:-1}" = 0 ]; then
    run devices --json --no-progress
    validate "$out"
    "$PY" - "$out" <<'PY' && ok || not_ok "devices JSON where there is no reader for the system"
import json, sys
r = json.load(open(sys.argv[1]))
for name in ("devices", "system"):
    p = r["probes"][name]
    assert p["status"] == "skipped" and p["reason"] == "skipped: not supported on this system", p
assert r["verdict"]["label"] == "Devices: no verdict: nothing was checked", r["verdict"]
PY
    finish
fi

if [ "${PRECALL_WITH_ALSA:-1}" = 0 ]; then
    PRECALL_SYSROOT=$WORK/bare run devices --json --no-progress
    validate "$out"
    "$PY" - "$out" <<'PY' && ok || not_ok "devices JSON of a build without libasound"
import json, sys
r = json.load(open(sys.argv[1]))
p = r["probes"]["devices"]
assert p["status"] == "ok", p
assert "microphone: skipped: built without libasound (ALSA)" in p["reason"], p["reason"]
assert "microphones skipped: built without libasound (ALSA)" in p["method"], p["method"]
ids = [s["id"] for s in r["scopes"]]
assert "microphone" not in ids and "speaker" not in ids, ids
assert [s for s in r["scopes"] if s["id"] == "camera"][0]["metrics"]["camera_state"] == "missing"
assert r["metrics"]["mic_count"] is None, r["metrics"]["mic_count"]
PY
    PRECALL_SYSROOT=$WORK/bare run devices --no-progress -v
    expect_out "microphone: skipped: built without libasound (ALSA)"
    expect_out "Camera state: missing"
    finish
fi

start=$(date +%s%N)
PRECALL_SYSROOT=$WORK/bare run devices --json --no-progress
ms=$((($(date +%s%N) - start) / 1000000))
echo "precall devices (nothing found): ${ms} ms"
expect_rc 2 "devices without a microphone"
validate "$out"
"$PY" - "$out" <<'PY' && ok || not_ok "devices JSON: no camera and no microphone, with reasons"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["command"] == "devices", r["command"]
sc = {s["id"]: s for s in r["scopes"]}
cam, mic = sc["camera"], sc["microphone"]
assert cam["metrics"]["camera_state"] == "missing" and cam["metrics"]["camera_video_height_px"] == 0
assert cam["tier"] == "audio", cam["tier"]
assert mic["metrics"]["mic_state"] == "missing" and mic["metrics"]["mic_present"] is False
assert mic["tier"] == "none"
assert sc["speaker"]["metrics"]["speaker_present"] is False
assert r["verdict"]["tier"] == "none" and r["verdict"]["label"] == "Devices: not ready: no microphone was found"
ids = [a["id"] for a in r["advice"]]
assert ids[:2] == ["mic-missing", "camera-missing"], ids
assert "no microphone" in r["probes"]["devices"]["reason"], r["probes"]["devices"]
assert "no camera found" in r["probes"]["devices"]["reason"], r["probes"]["devices"]
assert set(r["probes"]) == {"devices", "system"}, list(r["probes"])
PY

# Text: the verdict first, each device with its state, no network lines.
PRECALL_SYSROOT=$WORK/bare run devices --no-progress
expect_rc 2 "devices, text"
head -1 "$out" | grep -qx "Devices: not ready: no microphone was found" && ok || not_ok "text verdict: $(head -1 "$out")"
expect_out "Camera (none found)"
expect_out "Camera state: missing"
expect_out "Microphone state: missing"
expect_out "[camera-missing]"
grep -q "Latency" "$out" && not_ok "devices shows network lines" || ok

# A fixture machine with a microphone that hears a tone, through ALSA's file plugin.
"$PY" -c "
import math, struct, sys
sys.stdout.buffer.write(b''.join(struct.pack('<h', int(8000 * math.sin(2 * math.pi * 440 * i / 48000))) for i in range(60000)))
" >"$WORK/tone.raw"
cat >"$WORK/tone.conf" <<CONF
pcm.!default {
  type file
  slave.pcm "nullpcm"
  file "/dev/null"
  infile "$WORK/tone.raw"
  format "raw"
}
pcm.nullpcm { type null }
CONF
ALSA_CONFIG_PATH=$WORK/tone.conf PRECALL_SYSROOT=$SRC/tests/fixtures/sysroot/wifi-weak-battery-low \
    run devices --json --no-progress
validate "$out"
"$PY" - "$out" <<'PY' && ok || not_ok "devices JSON on the fixture machine"
import json, sys
r = json.load(open(sys.argv[1]))
m = r["metrics"]
assert m["link_kind"] == "wifi" and m["wifi_signal_dbm"] == -79 and m["battery_pct"] == 12, m
mic = [s for s in r["scopes"] if s["id"] == "microphone"][0]["metrics"]
assert mic["mic_state"] == "ok" and mic["mic_hears_sound"] is True, mic
assert abs(mic["mic_peak_dbfs"] - 20 * __import__("math").log10(8000 / 32768)) < 0.1, mic
ids = [a["id"] for a in r["advice"]]
assert "wifi-very-weak" in ids and "battery-low" in ids and "mic-missing" not in ids, ids
# /dev/video0 of the tree is a plain file, not a camera: the camera is missing.
cam = [s for s in r["scopes"] if s["id"] == "camera"][0]["metrics"]
assert cam["camera_state"] == "missing", cam
PY

# check: --skip devices,system leaves them out; --help lists them.
"$PRECALL" --help >"$WORK/help"
grep -qE '^  devices ' "$WORK/help" && grep -qE '^  system ' "$WORK/help" && ok || not_ok "--help lacks the probes"
grep -q 'precall devices' "$WORK/help" && ok || not_ok "--help lacks the devices command"
run --only dns --skip devices,system --stun 127.0.0.1 --json --no-progress
"$PY" -c "
import json, sys
r = json.load(open('$out'))
p = r['probes']
assert p['devices']['status'] == 'skipped' and p['system']['status'] == 'skipped', p
assert not any(s['id'] in ('camera', 'microphone') for s in r['scopes'])
" && ok || not_ok "--skip devices,system"
# Without --skip, check scores the devices as the profile says: no microphone, not ready.
run --only dns,devices --stun 127.0.0.1 --json --no-progress
expect_rc 2 "check without a microphone"
"$PY" -c "
import json
r = json.load(open('$out'))
assert [a['id'] for a in r['advice']][0] in ('offline', 'mic-missing'), r['advice']
assert any(a['id'] == 'mic-missing' for a in r['advice'])
" && ok || not_ok "check names the missing microphone"
finish
