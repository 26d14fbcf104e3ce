#!/bin/bash
# predict.sh - does the check's verdict predict the call? (issue 14)
#
# For each condition of data/bench/conditions.tsv (bandwidth and queue with
# tbf; delay, jitter and loss on every packet of each direction with linkem;
# a bulk upload during the check and/or the calls), REPS times, on a fresh
# test network each time (bench/predict_run.sh):
#   - 'precall check' against the namespaces' nginx speed server and coturn,
#   - then the call ladder of data/bench/calls.json (HD, SD, audio only, as an
#     application steps down): two-way ffmpeg RTP calls through
#     bench/rtpcall.py, scored by 'precall analyze' on what each receiving
#     program got, plus the one-way delay on the shared clock and the frozen
#     frames (bench/predict_lib.py);
# then prints each run, the confusion matrix (the check's tier against the
# tier the call reached), the agreement and each disagreement with its
# figures. The media are encoded once (ffmpeg lavfi sources) into a cache.
#
#   predict.sh [--conditions FILE] [--calls FILE] [--reps N] [--call-s S]
#              [--only ID,ID...] [--out DIR] [--cache DIR]
#
# Defaults: data/bench/conditions.tsv, data/bench/calls.json, 2 repetitions,
# 20 s calls, output in /tmp/precall-predict.TIMESTAMP (each run's check
# report, analyze reports, call logs and linkem's ground truth; the summary
# in DIR/summary.txt), cache /var/tmp/precall-bench-media.
#
# Needs root, coturn, nginx, tc, nft, ffmpeg (libx264), curl, iperf3. Run through the
# build:  cmake --build build --target bench-predict
# or by hand: PRECALL_BIN=build/precall LINKEM_BIN=build/tests/integration/linkem \
#             bash bench/predict.sh
ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${PRECALL_SRC:=$ROOT}"
: "${PRECALL_BIN:=$ROOT/build/precall}"
: "${LINKEM_BIN:=$ROOT/build/tests/integration/linkem}"
: "${PYTHON3_SYSTEM:=/usr/bin/python3}"
export PRECALL_SRC PRECALL_BIN LINKEM_BIN PYTHON3_SYSTEM
COND=$ROOT/data/bench/conditions.tsv
CALLS=$ROOT/data/bench/calls.json
REPS=2
CALL_S=20
ONLY=""
OUT=/tmp/precall-predict.$(date -u +%Y%m%dT%H%M%S)
CACHE=/var/tmp/precall-bench-media
while [ $# -gt 0 ]; do
    case $1 in
    --conditions) COND=$2; shift 2 ;;
    --calls) CALLS=$2; shift 2 ;;
    --reps) REPS=$2; shift 2 ;;
    --call-s) CALL_S=$2; shift 2 ;;
    --only) ONLY=,$2,; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --cache) CACHE=$2; shift 2 ;;
    *) echo "usage: predict.sh [--conditions FILE] [--calls FILE] [--reps N] [--call-s S] [--only IDS] [--out DIR] [--cache DIR]" >&2
       exit 64 ;;
    esac
done
[ "$(id -u)" = 0 ] || { echo "predict.sh: needs root (network namespaces)" >&2; exit 1; }
for c in ip nft tc turnserver nginx ffmpeg curl chrt iperf3; do
    command -v "$c" >/dev/null || { echo "predict.sh: '$c' not installed" >&2; exit 1; }
done
[ -x "$PRECALL_BIN" ] || { echo "predict.sh: precall '$PRECALL_BIN' not built" >&2; exit 1; }
[ -x "$LINKEM_BIN" ] || { echo "predict.sh: linkem '$LINKEM_BIN' not built" >&2; exit 1; }
mkdir -p "$OUT" || exit 1
export CALLS_FILE=$CALLS

T0=$(date +%s)
MEDIA=$OUT/media.list
"$PYTHON3_SYSTEM" "$ROOT/bench/predict_lib.py" media "$CALLS" "$CACHE" "$CALL_S" >"$MEDIA" ||
    { echo "predict.sh: encoding the media failed" >&2; exit 1; }
{
    echo "precall predict benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, kernel $(uname -r))"
    echo "precall: $PRECALL_BIN ($("$PRECALL_BIN" --version 2>/dev/null | head -n1))"
    echo "conditions: $COND; calls: $CALLS; $REPS repetitions; calls of $CALL_S s"
    echo
} | tee "$OUT/summary.head"

n=0
while read -r id down up queue delay jitter loss burst udp load; do
    case $id in '' | '#'*) continue ;; esac
    [ -n "$ONLY" ] && [[ $ONLY != *",$id,"* ]] && continue
    for rep in $(seq 1 "$REPS"); do
        n=$((n + 1))
        t=$(date +%s)
        bash "$ROOT/bench/predict_run.sh" "$OUT/$id-$rep" "$rep" "$CALL_S" "$MEDIA" \
            "$id" "$down" "$up" "$queue" "$delay" "$jitter" "$loss" "$burst" "$udp" "$load" \
            >"$OUT/$id-$rep.log" 2>&1
        rc=$?
        if [ -s "$OUT/$id-$rep/run.json" ]; then
            "$PYTHON3_SYSTEM" -c 'import json,sys; r=json.load(open(sys.argv[1])); print("%-17s rep %d: check %-5s call %-5s (%d s)" % (r["condition"], r["rep"], r["check_tier"], r["call_tier"], int(sys.argv[2])))' \
                "$OUT/$id-$rep/run.json" "$(($(date +%s) - t))"
        else
            echo "$id rep $rep: FAILED (exit $rc), see $OUT/$id-$rep.log"
            tail -n 5 "$OUT/$id-$rep.log"
        fi
    done
done <"$COND"
echo
{
    cat "$OUT/summary.head"
    "$PYTHON3_SYSTEM" "$ROOT/bench/predict_lib.py" report "$OUT"
    echo
    echo "Wall time: $(($(date +%s) - T0)) s for $n runs; output in $OUT"
} | tee "$OUT/summary.txt"
