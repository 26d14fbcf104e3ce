#!/bin/bash
# cli.no_audio: a build that cannot check the microphone (configured with
# -DPRECALL_WITH_ALSA=OFF) says so: the microphone's checks are "not
# checked" in the text and in the JSON (verdict.not_checked), the verdict is
# partial and claims no tier (never "Audio only"), and the exit status is
# not 0. Before, such a build said "Audio only" (exit 1) with
# "partial": false and nothing about the microphone, where the build with
# ALSA said "Not ready: no microphone was found". In a build with ALSA, the
# same machine (no sound card) gives exactly that: not ready, not partial.
. "$(dirname "$0")/lib.sh"
[ "${PRECALL_HOST_LINUX:-1}" = 1 ] || skip "no device readers on this system"

mkdir -p "$WORK/bare/dev"
echo "# no sound devices" >"$WORK/none.conf"
export ALSA_CONFIG_PATH=$WORK/none.conf

PRECALL_SYSROOT=$WORK/bare run devices --json --no-progress
validate "$out"
if [ "${PRECALL_WITH_ALSA:-1}" = 0 ]; then
    [ "$rc" -ne 0 ] && ok || not_ok "a build without ALSA exits 0"
    "$PY" - "$out" "$rc" <<'PY' && ok || not_ok "JSON of a build without ALSA: partial, the microphone not checked"
import json, sys
r = json.load(open(sys.argv[1]))
v = r["verdict"]
assert v["partial"] is True, v
assert "mic_present" in v["not_checked"] and "mic_hears_sound" in v["not_checked"], v["not_checked"]
assert v["tier"] == "none" and v["ready"] is False, v
assert "audio only" not in v["label"].lower(), v["label"]
assert v["exit_code"] == int(sys.argv[2]), (v["exit_code"], sys.argv[2])
PY
    PRECALL_SYSROOT=$WORK/bare run devices --no-progress --color never
    head -3 "$out" | grep -q "not checked: .*Microphone.* (this build or system cannot check them)$" && ok ||
        not_ok "text names the microphone as not checked by this build: $(head -3 "$out")"
    head -3 "$out" | grep -q "left out with --only or --skip" &&
        not_ok "text blames --only/--skip for what the build cannot check: $(head -3 "$out")" || ok
    # (A scope's own line may say what that device allows; the verdict claims nothing.)
    head -1 "$out" | grep -qiE "audio only|ready for" && not_ok "text verdict claims a tier: $(head -1 "$out")" || ok
else
    [ "$rc" -eq 2 ] && ok || not_ok "no microphone with ALSA: exit $rc, expected 2"
    "$PY" - "$out" <<'PY' && ok || not_ok "JSON of a build with ALSA and no sound card: not ready, whole"
import json, sys
r = json.load(open(sys.argv[1]))
v = r["verdict"]
assert v["partial"] is False and v["not_checked"] == [], v
assert v["label"] == "Devices: not ready: no microphone was found", v["label"]
PY
fi
finish
