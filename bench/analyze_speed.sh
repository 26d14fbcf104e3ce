#!/bin/bash
# bench/analyze_speed.sh - throughput and peak memory of 'precall analyze' on
# large captures, beside tshark's time on the same files. Prints figures,
# asserts nothing (see the style guide).
#
#   cmake --build build --target bench-analyze
#
# Captures (bench/gen_bench.c: PCMU-sized RTP, 10 interleaved streams, 1 %
# loss, +-2 ms arrival jitter), written to $BENCH_DIR (default: a temp dir,
# removed at the end; ~230 MB for the largest):
#   100k  100 000 packets over 100 s
#   1M    1 000 000 packets over the same 100 s (10x the packets, same length
#         in seconds: peak memory should not move)
#   1M-long 1 000 000 packets over 2 000 s (the per-second timeline of each
#         stream and the series in the report grow with the seconds)
# precall: best wall time of 3 runs of 'precall analyze --json F >/dev/null',
# peak RSS (getrusage ru_maxrss of the child). tshark: one run of
# 'tshark -q -z rtp,streams -o rtp.heuristic_rtp:TRUE -r F', same figures.
# Measure a Release build without sanitizers: an ASan build is several
# times slower and bigger (the build type is printed).
set -u
PRECALL=${PRECALL_BIN:?set PRECALL_BIN}
GEN=${GEN_BENCH_BIN:?set GEN_BENCH_BIN}
PY=${PYTHON3_SYSTEM:-/usr/bin/python3}
RUNS=${BENCH_RUNS:-3}
if [ -n "${BENCH_DIR:-}" ]; then
    DIR=$BENCH_DIR
    mkdir -p "$DIR"
else
    DIR=$(mktemp -d "${TMPDIR:-/tmp}/precall-bench.XXXXXX")
    trap 'rm -rf "$DIR"' EXIT
fi

# measure CMD...: prints "wall_s maxrss_kib exit" of one run of CMD
measure() {
    "$PY" - "$@" <<'PYEOF'
import resource, subprocess, sys, time
t = time.monotonic()
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
wall = time.monotonic() - t
print("%.3f %d %d" % (wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc))
PYEOF
}

echo "precall analyze speed and memory ($("$PRECALL" --version 2>/dev/null | head -1); build: ${PRECALL_BUILD:-unknown})"
echo "host: $(nproc) CPUs, $(uname -r); tshark: $(tshark --version 2>/dev/null | head -1 || echo 'not installed')"
printf '%-8s %9s %10s | %9s %11s %9s | %9s %11s %9s | %7s\n' case packets "file MB" \
    "precall s" "packets/s" "peak MiB" "tshark s" "packets/s" "peak MiB" speedup
for c in "100k 100000 100" "1M 1000000 100" "1M-long 1000000 2000"; do
    set -- $c
    name=$1 n=$2 secs=$3 f=$DIR/$1.pcap
    [ -s "$f" ] || "$GEN" "$f" "$n" 10 "$secs" || { echo "gen_bench failed for $name"; continue; }
    mb=$(awk -v b="$(stat -c %s "$f")" 'BEGIN { printf "%.1f", b / 1048576 }')
    best="" rss=0
    for i in $(seq 1 "$RUNS"); do
        read -r w m rc < <(measure "$PRECALL" analyze --json "$f")
        [ "$rc" -le 2 ] || echo "  (precall exited $rc on $name)"
        if [ -z "$best" ] || awk -v a="$w" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$w; fi
        [ "$m" -gt "$rss" ] && rss=$m
    done
    if command -v tshark >/dev/null 2>&1; then
        read -r tw tm trc < <(measure tshark -q -z rtp,streams -o rtp.heuristic_rtp:TRUE -r "$f")
        [ "$trc" = 0 ] || echo "  (tshark exited $trc on $name)"
    else
        tw=nan tm=0
    fi
    awk -v name="$name" -v n="$n" -v mb="$mb" -v w="$best" -v m="$rss" -v tw="$tw" -v tm="$tm" 'BEGIN {
        printf "%-8s %9d %10s | %9.3f %11.0f %9.1f | %9s %11s %9.1f | %6.1fx\n", name, n, mb, w, n / w,
            m / 1024, tw, (tw == "nan" ? "-" : sprintf("%.0f", n / tw)), tm / 1024,
            (tw == "nan" ? 0 : tw / w) }'
done
