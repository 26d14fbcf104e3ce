#!/bin/bash
# integration.partial: a check run with --only (or --skip) says which checks
# it left out, never claims a tier the missing checks could deny, and lets a
# script tell a partial report from a full one (verdict.partial,
# verdict.not_checked). Before the rework, '--only dns' against a name that
# resolves printed "Ready for HD video" with nothing to say it was partial.
#
# Two networks: a namespace with only loopback (its resolver, 127.0.0.1, has
# nothing listening), and the client of the topology, whose hosts file
# resolves stun1.precall.test, with its coturn. The checks run dns and udp
# only: the host, device and speed checks the profile also limits are left out.
. "$(dirname "$0")/netns.sh"
. "$(dirname "$0")/checks.sh"
nt_require_root
nt_require_precall
nt_setup
nt_start_stun
nt_isolated ISO

# The metrics the therapy profile limits that the probes left out measure.
LEFT_OUT='["cpu_count", "memory_total_mib", "camera_video_height_px", "mic_present", "mic_hears_sound", "download_mbps", "upload_mbps"]'
LEFT_OUT_TEXT='  not checked: Processor cores, Memory, Camera video (height), Microphone, Microphone picks up sound, Download speed, Upload speed (left out with --only or --skip)'

partial_json_checks() { # FILE: what every partial --only dns report must say
    local j=$1
    nt_check "$j" 'r["verdict"]["partial"] is True' "verdict.partial is true"
    nt_check "$j" 'r["verdict"]["not_checked"] == '"$LEFT_OUT" \
        "verdict.not_checked lists exactly the metrics of the probes left out"
    nt_check "$j" '"Ready" not in r["verdict"]["label"]' "the headline does not say Ready"
    nt_check "$j" 'all(r["probes"][p]["status"] == "skipped" for p in ("http", "bandwidth", "devices", "system"))' \
        "the probes left out are skipped"
    tc_py "$j" "left-out metrics have no value, and their checks are neither passed nor failed" <<PY
for k in $LEFT_OUT:
    assert m.get(k) is None, (k, m.get(k))
for c in r["checks"]:
    if c["metric"] in $LEFT_OUT:
        assert c["mark"] == "--" and c["measured"] is False, c
PY
}

# 1. A working network, --only dns,udp: all it checked is fine.
J=$NT_TMP/dns-only.json
nt_precall "$NT_NS_CLIENT" "$J" check --only dns,udp --stun "$NT_STUN1_NAME" --json --no-progress
nt_validate_report "$J"
# The microphone and the download speed, left out, have limits down to audio: no tier is
# claimed, to a script either (never exit 0).
nt_expect_rc 1 2
partial_json_checks "$J"
nt_check "$J" 'r["verdict"]["tier"] == "none" and r["verdict"]["ready"] is False' \
    "no tier claimed: tier none, not ready"
nt_check "$J" 'r["verdict"]["exit_code"] == '"$NT_RC" "verdict.exit_code is the exit status"
nt_check "$J" 'r["probes"]["dns"]["status"] == "ok" and m["rtt_median_ms"] is not None' \
    "dns and udp measured"
nt_check "$J" 'r["verdict"]["label"] == "Partial check: no problem found in what was checked"' \
    "headline: Partial check: no problem found in what was checked"
nt_check "$J" 'r["verdict"]["cause"] is None' "no cause: nothing wrong was found"
nt_check "$J" 'r["advice"] == []' "no advice"

T=$NT_TMP/dns-only.txt
ip netns exec "$NT_NS_CLIENT" "$PRECALL_BIN" --only dns,udp --stun "$NT_STUN1_NAME" --no-progress \
    --color never >"$T" 2>"$T.stderr" </dev/null
tc_line "$T" 1 "Partial check: no problem found in what was checked" "text: partial headline first"
tc_line "$T" 2 "$LEFT_OUT_TEXT" "text: the left-out checks are named under the headline"
tc_lacks "$T" 'Ready for|^  (ok|FAIL|warn|--) +(Processor|Memory|Download|Upload|Delay added)' \
    "text: no tier claimed, no left-out check marked"

# --skip of the others is the same partial check, reached the other way.
J=$NT_TMP/skip-udp.json
nt_precall "$NT_NS_CLIENT" "$J" check --skip http,bandwidth,devices,system --stun "$NT_STUN1_NAME" \
    --json --no-progress
nt_validate_report "$J"
partial_json_checks "$J"

# --skip bandwidth --require hd, with a profile that limits only what the network
# probes measure: the speed left out could deny HD (its limits go down to audio;
# bufferbloat is a risk, not a limit, since issue 14): not ready, never exit 0.
"$NT_PY" "$PRECALL_SRC/tests/cli/profile_without.py" "$PRECALL_SRC/data/profiles/therapy.json" \
    "$NT_TMP/net.json" system devices || nt_fail "profile_without.py"
J=$NT_TMP/skip-bandwidth.json
nt_precall "$NT_NS_CLIENT" "$J" check --skip http,bandwidth,devices,system --stun "$NT_STUN1_NAME" \
    -p "$NT_TMP/net.json" --require hd --json --no-progress
nt_validate_report "$J"
nt_expect_rc 1 2
nt_check "$J" 'r["verdict"]["partial"] is True and "download_mbps" in r["verdict"]["not_checked"]' \
    "--skip bandwidth: partial, download not checked"
nt_check "$J" 'r["verdict"]["tier"] != "hd" and r["verdict"]["ready"] is False' \
    "--skip bandwidth --require hd: HD not claimed, not ready"

# 2. No network at all (loopback only), --only dns,udp with the default servers.
J=$NT_TMP/iso.json
nt_precall "$ISO" "$J" check --only dns,udp --json --no-progress
nt_validate_report "$J"
nt_expect_rc 2
partial_json_checks "$J"
nt_check "$J" 'r["verdict"]["ready"] is False and r["verdict"]["tier"] == "none"' "not ready"
nt_check "$J" 'r["verdict"]["label"] == "Not ready: no internet connection"' \
    "headline names the cause: no internet connection"
nt_check "$J" 'r["verdict"]["cause"] == "offline"' "verdict.cause is offline"

T=$NT_TMP/iso.txt
ip netns exec "$ISO" "$PRECALL_BIN" --only dns,udp --no-progress --color never >"$T" 2>"$T.stderr" </dev/null
tc_lacks "$T" 'Restart your router' "text: no router advice when there is no network at all"
tc_line "$T" 1 "Not ready: no internet connection" "text: the cause first"
tc_line "$T" 2 "$LEFT_OUT_TEXT" "text: the left-out checks are named under the headline"
tc_lacks "$T" 'Ready for' "text: no tier claimed"
nt_done
