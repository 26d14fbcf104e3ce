#!/bin/bash
# bandwidth_cold.sh - precall's speed figures from a cold start, beside
# iperf3's, against the shaped goodput.
#
# Every run builds a fresh namespace pair of its own (client - router -
# server, netns.sh) with a just-started nginx (the shipped configuration,
# TLS with a test CA) and iperf3 server: no TCP metrics cached, no
# connection ever made to the server before. The client link is shaped with
# tbf at RATE Mbit/s each way with a queue of QUEUE ms, and optionally 1 %
# of TCP packets through the router are dropped (nftables numgen random).
# Then, cold: 'precall check --only bandwidth', and iperf3 with 6 streams
# down (-R) and 4 up, 5 s each (the TCP metrics of both namespaces are
# flushed before each tool, so neither learns from the other).
#
# For each rate, queue and loss it prints precall's and iperf3's error
# against the shaped TCP goodput (1448/1514 of the line rate), per
# direction, as min / median / max over the runs, and the median time each
# took (precall's wall time; iperf3's two runs). Prints figures only;
# asserts nothing. Needs root, nginx, iperf3, tc and nft.
#
#   PRECALL_BIN=build/precall bash bench/bandwidth_cold.sh
#
# BENCH_RATES (default "2 20 100"), BENCH_QUEUES ("20 50 200"), BENCH_LOSS
# ("0 1", in %), BENCH_REPS (2) choose the conditions; BENCH_KEEP=DIR keeps
# each run's JSON report there (cold-RATE-QUEUE-LOSS-REP.json: the phases'
# throughput series are the recorded window series of the unit tests);
# BENCH_IPERF=0 leaves iperf3 out. --summary RAW prints the summary of the
# run lines of an earlier bench (its stderr lines "  run: ...", or RAW lines).
ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${PRECALL_SRC:=$ROOT}"
: "${PRECALL_BIN:=$ROOT/build/precall}"
: "${PYTHON3_SYSTEM:=/usr/bin/python3}"
export PRECALL_SRC PRECALL_BIN PYTHON3_SYSTEM

# One run, in a process (and so namespaces) of its own: prints
# "pd pu pwall id iu iwall" (Mbit/s and s; "nan" where a figure is missing).
if [ "${1:-}" = "--one" ]; then
    rate=$2 queue=$3 loss=$4 keep=$5
    . "$ROOT/tests/integration/netns.sh"
    . "$ROOT/tests/integration/nginx.sh"
    nt_skip() { nt_log "cannot run: $*"; exit 1; }
    nt_log() { :; }
    nt_require_root
    nt_require_cmd iperf3 nginx tc nft curl
    nt_setup
    nt_start_speedserver
    nt_bg "$NT_NS_SERVER" "$NT_TMP/iperf3.log" iperf3 -s -B "$NT_SPEED_ADDR"
    nt_shape_link "$rate" "$rate" "$queue"
    if [ "$loss" != 0 ]; then
        nt_router nft add rule inet pctest impair meta l4proto tcp numgen random mod 1000 \
            "<" "$((loss * 10))" drop || nt_fail "nft loss rule"
    fi
    for i in $(seq 1 50); do # iperf3 listening
        nt_server ss -ltn 2>/dev/null | grep -q ':5201 ' && break
        sleep 0.1
    done
    cold() { nt_client ip tcp_metrics flush all 2>/dev/null; nt_server ip tcp_metrics flush all 2>/dev/null; }
    cold
    J=$NT_TMP/run.json
    t0=$(date +%s.%N)
    nt_client "$PRECALL_BIN" check --only bandwidth --server "$NT_SPEED_URL" --cacert "$NT_CA" \
        --json --no-progress >"$J" 2>/dev/null </dev/null
    t1=$(date +%s.%N)
    [ -n "$keep" ] && cp "$J" "$keep"
    pd=$(nt_json "$J" 'm["download_mbps"]')
    pu=$(nt_json "$J" 'm["upload_mbps"]')
    iperf() { # ARGS...: Mbit/s received
        nt_client iperf3 -c "$NT_SPEED_ADDR" -t 5 -J "$@" 2>/dev/null |
            "$NT_PY" -c 'import json,sys
try: print("%.3f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6))
except Exception: print("nan")'
    }
    t2=$(date +%s.%N)
    id=nan iu=nan
    if [ "${BENCH_IPERF:-1}" = 1 ]; then
        cold
        id=$(iperf -R -P 6)
        cold
        iu=$(iperf -P 4)
    fi
    t3=$(date +%s.%N)
    awk -v pd="$pd" -v pu="$pu" -v id="$id" -v iu="$iu" -v t0="$t0" -v t1="$t1" -v t2="$t2" \
        -v t3="$t3" 'function f(x) { return x == "None" || x == "" ? "nan" : x }
        BEGIN { printf "%s %s %.2f %s %s %.2f\n", f(pd), f(pu), t1 - t0, f(id), f(iu), t3 - t2 }'
    nt_done >/dev/null
    exit 0
fi

# summary RAW: errors in % of the shaped goodput, min / median / max, from
# the lines "loss rate queue rep pd pu pwall id iu iwall" of RAW.
summary() {
    "$PYTHON3_SYSTEM" - "$1" <<'PY'
import math, re, statistics, sys
rows = {}
run = re.compile(r"run: loss (\S+) %, (\S+) Mbit/s, queue (\S+) ms, #(\S+): precall down/up "
                 r"(\S+) / (\S+) \((\S+) s\); iperf3 (\S+) / (\S+) \((\S+) s\)")
for line in open(sys.argv[1]):
    m = run.search(line)
    f = m.groups() if m else line.split()
    if len(f) != 10 or not re.fullmatch(r"[0-9.]+", f[0]):
        continue
    loss, rate, queue, rep, pd, pu, pw, idn, iu, iw = f
    rows.setdefault((int(loss), float(rate), int(queue)), []).append(
        tuple(float(x) for x in (pd, pu, pw, idn, iu, iw)))

def err(v, rate):
    g = rate * 1448 / 1514
    return (v - g) / g * 100

def mmm(xs):
    xs = [x for x in xs if not math.isnan(x)]
    if not xs:
        return "%-22s" % "no figure"
    return "%+6.1f %+6.1f %+6.1f    " % (min(xs), statistics.median(xs), max(xs))

print("%-5s %-5s %-5s | %-22s %-22s | %-22s %-22s | %-7s %-7s" % (
    "%", "/s", "ms", "precall down %", "precall up %", "iperf3 down %", "iperf3 up %", "precall s", "iperf3 s"))
worst = {}
for (loss, rate, queue), rs in sorted(rows.items()):
    pd = [err(r[0], rate) for r in rs]; pu = [err(r[1], rate) for r in rs]
    idn = [err(r[3], rate) for r in rs]; iu = [err(r[4], rate) for r in rs]
    print("%-5d %-5g %-5d | %s %s | %s %s | %5.1f s %5.1f s" % (
        loss, rate, queue, mmm(pd), mmm(pu), mmm(idn), mmm(iu),
        statistics.median(r[2] for r in rs), statistics.median(r[5] for r in rs)))
    for name, xs in (("precall", pd + pu), ("iperf3", idn + iu)):
        w = worst.setdefault((loss, name), [])
        w.extend(xs)
for (loss, name), xs in sorted(worst.items()):
    ok = [x for x in xs if not math.isnan(x)]
    print("loss %d %%, %s: %d of %d figures, worst %+.1f %%, best %+.1f %%, within +-5 %%: %d" % (
        loss, name, len(ok), len(xs), min(ok) if ok else float("nan"),
        max(ok) if ok else float("nan"), sum(1 for x in ok if abs(x) <= 5)))
PY
}

if [ "${1:-}" = "--summary" ]; then
    summary "$2"
    exit 0
fi

RATES=${BENCH_RATES:-"2 20 100"}
QUEUES=${BENCH_QUEUES:-"20 50 200"}
LOSSES=${BENCH_LOSS:-"0 1"}
REPS=${BENCH_REPS:-2}
KEEP=${BENCH_KEEP:-}
[ -n "$KEEP" ] && mkdir -p "$KEEP"
[ -x "$PRECALL_BIN" ] || { echo "bandwidth_cold.sh: $PRECALL_BIN is not built" >&2; exit 1; }
RAW=$(mktemp "${TMPDIR:-/tmp}/bandwidth_cold.XXXXXX")
trap 'rm -f "$RAW"' EXIT
start=$(date +%s)

echo "precall $("$PRECALL_BIN" --version 2>/dev/null | head -n 1), cold runs: rates $RATES Mbit/s," \
    "queues $QUEUES ms, TCP loss $LOSSES %, $REPS runs each"
for loss in $LOSSES; do
    for rate in $RATES; do
        for queue in $QUEUES; do
            for rep in $(seq 1 "$REPS"); do
                k=""
                [ -n "$KEEP" ] && k="$KEEP/cold-$rate-$queue-$loss-$rep.json"
                line=$(bash "$0" --one "$rate" "$queue" "$loss" "$k" 2>/dev/null | tail -n 1)
                [ -n "$line" ] || line="nan nan nan nan nan nan"
                echo "$loss $rate $queue $rep $line" >>"$RAW"
                echo "  run: loss $loss %, $rate Mbit/s, queue $queue ms, #$rep: precall down/up" \
                    "$(echo "$line" | awk '{ print $1 " / " $2 " (" $3 " s); iperf3 " $4 " / " $5 " (" $6 " s)" }')" >&2
            done
        done
    done
done

summary "$RAW"
echo "bench time: $(($(date +%s) - start)) s"
