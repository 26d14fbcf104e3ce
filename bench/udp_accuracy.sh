#!/bin/bash
# udp_accuracy.sh - how close precall's UDP figures come to what was injected.
#
# Builds the integration topology (tests/integration/netns.sh: client ns --
# router ns -- server ns with two coturn STUN servers), then for each setting
# runs precall through the impair relay (delay + uniform jitter, ground truth
# per STUN transaction) with random loss from an nftables numgen rule on the
# relay's upstream leg, and prints injected against measured: median RTT,
# jitter (mean |dRTT|) and loss with precall's 95 % interval. Then the wall
# time of 'precall check --only dns,udp' against the two coturn servers on a
# clean path (median of 5 runs), and the footprint (wall, peak RSS, CPU) of a
# default check and of a 60 s one with its RTT series. Prints figures only;
# asserts nothing.
#
# Needs root. Run through the build:  cmake --build build --target bench
# or by hand:  PRECALL_BIN=build/precall IMPAIR_BIN=build/tests/integration/impair \
#              bash bench/udp_accuracy.sh
# BENCH_SETTINGS="RTT_MS:JITTER_MS:LOSS_PCT ..." overrides the settings;
# BENCH_RUNS (default 5) the number of timed runs.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${PRECALL_SRC:=$ROOT}"
: "${PRECALL_BIN:=$ROOT/build/precall}"
: "${IMPAIR_BIN:=$ROOT/build/tests/integration/impair}"
: "${PYTHON3_SYSTEM:=/usr/bin/python3}"
export PRECALL_SRC PRECALL_BIN IMPAIR_BIN PYTHON3_SYSTEM
SETTINGS=${BENCH_SETTINGS:-"20:0:0 20:5:2 20:15:5 80:0:2 80:5:5 80:15:0 200:0:5 200:5:0 200:15:2"}
RUNS=${BENCH_RUNS:-5}

. "$ROOT/tests/integration/netns.sh"
# A benchmark never skips silently: say why it cannot run.
nt_skip() { nt_log "cannot run: $*"; exit 1; }
nt_require_root
nt_require_cmd nft turnserver
nt_require_precall
[ -x "$IMPAIR_BIN" ] || nt_fail "impair fixture '$IMPAIR_BIN' not built"
nt_setup
nt_start_stun

row() { printf '%-13s | %8s %8s | %7s %7s | %6s %6s %-15s | %6s\n' "$@"; }
echo
echo "precall UDP accuracy ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, kernel $(uname -r))"
echo "setting: RTT ms / jitter ms (uniform 0..J each way) / random loss % on the request leg"
echo
row "rtt/jit/loss" "inj med" "meas med" "inj jit" "meas jit" "inj %" "meas %" "[95 % interval]" "wall s"
row "-------------" "--------" "--------" "-------" "-------" "------" "------" "---------------" "------"
PORT=41000
seed=100
for s in $SETTINGS; do
    IFS=: read -r rtt jit loss <<<"$s"
    PORT=$((PORT + 1))
    seed=$((seed + 1))
    F=$NT_TMP/b-$rtt-$jit-$loss.truth.json
    J=$NT_TMP/b-$rtt-$jit-$loss.json
    nt_impair_clear
    [ "$loss" != 0 ] && nt_loss_random "$loss"
    nt_start_impair "$PORT" "$rtt" "$jit" "$seed" "$F"
    nt_precall "$NT_NS_CLIENT" "$J" check --only dns,udp --stun "198.18.0.1:$PORT" \
        --json --no-progress 2>/dev/null
    nt_stop_fixture "$NT_IMPAIR_PID" "$F"
    NT_FIXTURE=$F
    v() { nt_json "$J" "$1"; }
    row "$rtt/$jit/$loss" \
        "$(v '"%.2f" % f["rtt_median_ms"]')" "$(v '"%.2f" % m["rtt_median_ms"]')" \
        "$(v '"%.2f" % f["jitter_ms"]')" "$(v '"%.2f" % m["jitter_ms"]')" \
        "$(v '"%.2f" % (100.0 * f["unanswered"] / f["transactions"])')" \
        "$(v '"%.2f" % m["loss_pct"]')" \
        "$(v '"[%.2f, %.2f]" % (m["loss_low_pct"], m["loss_high_pct"])')" \
        "$NT_WALL_S"
    NT_FIXTURE=
done
nt_impair_clear

echo
echo "wall time: precall check --only dns,udp --stun $NT_STUN1:$NT_STUN_PORT --stun $NT_STUN2:$NT_STUN_PORT (clean path)"
walls=()
for i in $(seq 1 "$RUNS"); do
    nt_precall "$NT_NS_CLIENT" "$NT_TMP/wall-$i.json" check --only dns,udp \
        --stun "$NT_STUN1:$NT_STUN_PORT" --stun "$NT_STUN2:$NT_STUN_PORT" --json --no-progress 2>/dev/null
    walls+=("$NT_WALL_S")
done
printf '%s\n' "${walls[@]}" | sort -n | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "  runs %d: min %.3f s, median %.3f s, max %.3f s\n", NR, v[1], m, v[NR] }'
# Footprint: wall time, peak resident memory and CPU time of one check, from
# the kernel's rusage of the child (python3's resource module; no GNU time
# needed), with the number of RTT series points and the size of the report.
footprint() { # LABEL ARGS...
    local label=$1
    shift
    ip netns exec "$NT_NS_CLIENT" "$NT_PY" - "$label" "$PRECALL_BIN" "$@" <<'PY'
import json, resource, subprocess, sys, time
t0 = time.monotonic()
out = subprocess.run(sys.argv[2:] + ["--json", "--no-progress"], capture_output=True).stdout
wall = time.monotonic() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
r = json.loads(out)
pts = len(r["series"].get("rtt_ms", {}).get("values", [])) + sum(
    len(s["series"].get("rtt_ms", {}).get("values", [])) for s in r["scopes"])
print(f"{sys.argv[1]}: wall {wall:.2f} s, peak RSS {ru.ru_maxrss / 1024:.1f} MiB, "
      f"CPU {ru.ru_utime + ru.ru_stime:.3f} s (user {ru.ru_utime:.3f}, system {ru.ru_stime:.3f}), "
      f"{r['metrics']['probes_sent']} probes, {pts} RTT series points, JSON {len(out) / 1024:.0f} KiB")
PY
}
echo
footprint "footprint, default budget (10 s)" check --only dns,udp --stun "$NT_STUN1:$NT_STUN_PORT" \
    --stun "$NT_STUN2:$NT_STUN_PORT"
footprint "footprint, --duration 60 (series of every answer)" check --only udp --duration 60 \
    --stun "$NT_STUN1:$NT_STUN_PORT" --stun "$NT_STUN2:$NT_STUN_PORT"
echo
echo "inj = ground truth from the impair relay (actual hold times per transaction; loss = its"
echo "unanswered transactions); meas = precall's metrics (rtt_median_ms, jitter_ms, loss_pct,"
echo "loss_low_pct/loss_high_pct). Random loss and jitter: figures vary run to run."
exit 0
