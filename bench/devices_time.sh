#!/bin/bash
# Wall time of 'precall devices' and of the default check with and without
# the device probes. Prints figures only (never asserts). Needs no root and
# no network: the check probes a STUN echo server on loopback.
#
#   PRECALL_BIN=build/precall PRECALL_SRC=. bash bench/devices_time.sh [RUNS]
#
# Rows: devices on this machine as it is; devices with a microphone read by
# ALSA's file plugin (1 s of samples; the plugin does not pace in real time,
# so this is the probe's own cost: a real microphone adds its ~1.0 s
# sample, taken in parallel with the camera); a 10 s check of dns and udp
# with and without the device probes. The speed probes are left out: they
# would look up the public speed-test server, and no benchmark sends a
# packet off this machine.
set -u
BIN=${PRECALL_BIN:?PRECALL_BIN must name the precall binary}
SRC=${PRECALL_SRC:-.}
PY=${PYTHON3_SYSTEM:-/usr/bin/python3}
RUNS=${1:-5}
WORK=$(mktemp -d)
trap 'kill "$stun" 2>/dev/null; rm -rf "$WORK"' EXIT

ms() { echo $((($(date +%s%N) - $1) / 1000000)); }

# time_runs LABEL CMD...: RUNS runs, prints min / median / max wall ms.
time_runs() {
    local label=$1 t all=()
    shift
    for _ in $(seq "$RUNS"); do
        t=$(date +%s%N)
        "$@" >/dev/null 2>&1 </dev/null
        all+=("$(ms "$t")")
    done
    printf '%-58s %s\n' "$label" "$(printf '%s\n' "${all[@]}" | sort -n |
        awk '{a[NR]=$1} END {printf "min %d  median %d  max %d ms (%d runs)", a[1], a[int((NR+1)/2)], a[NR], NR}')"
}

"$PY" "$SRC/tests/cli/mic_sample.py" "$WORK" # WORK/voice.raw and WORK/mic.conf

"$PY" "$SRC/tests/cli/stun_echo.py" >"$WORK/port" &
stun=$!
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
port=$(cat "$WORK/port")

echo "precall devices / check wall time on $(nproc) cores, $(uname -r)"
time_runs "devices (this machine as it is)" "$BIN" devices --no-progress
time_runs "devices, microphone via ALSA file plugin (1 s sample)" \
    env ALSA_CONFIG_PATH="$WORK/mic.conf" "$BIN" devices --no-progress
time_runs "check (dns, udp, devices, system)" \
    "$BIN" --stun "127.0.0.1:$port" --skip http,bandwidth --no-progress
time_runs "check --skip devices,system" \
    "$BIN" --stun "127.0.0.1:$port" --skip http,bandwidth,devices,system --no-progress
time_runs "check + ALSA file-plugin microphone" \
    env ALSA_CONFIG_PATH="$WORK/mic.conf" "$BIN" --stun "127.0.0.1:$port" --skip http,bandwidth \
    --no-progress
