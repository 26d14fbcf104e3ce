#!/bin/bash
# bandwidth_accuracy.sh - precall's download and upload figures against the
# shaped rate and against iperf3 on the same link, and what a check costs.
#
# Builds the integration topology with nginx (the shipped configuration,
# TLS with a test CA) and coturn, shapes the client link with tbf at
# RATE Mbit/s each way (50 ms queues), and for each rate prints: precall's
# download and upload, iperf3's (1 TCP stream, 3 s, each direction), each
# one's error against the shaped TCP goodput (1448/1514 of the line rate),
# precall's time to verdict, bytes used, CPU time (user + system) and peak
# memory (max RSS). Then the loopback ceiling: precall's download from an
# nginx on the client namespace's loopback beside iperf3 over loopback.
# Prints figures only; asserts nothing. Needs root.
#
#   PRECALL_BIN=build/precall bash bench/bandwidth_accuracy.sh
# BENCH_RATES (default "2 20 100") overrides the rates.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${PRECALL_SRC:=$ROOT}"
: "${PRECALL_BIN:=$ROOT/build/precall}"
: "${PYTHON3_SYSTEM:=/usr/bin/python3}"
export PRECALL_SRC PRECALL_BIN PYTHON3_SYSTEM
RATES=${BENCH_RATES:-"2 20 100"}

. "$ROOT/tests/integration/netns.sh"
. "$ROOT/tests/integration/nginx.sh"
nt_skip() { nt_log "cannot run: $*"; exit 1; }
nt_setup_stun_test
nt_require_cmd iperf3 nginx tc /usr/bin/time
nt_start_speedserver
nt_bg "$NT_NS_SERVER" "$NT_TMP/iperf3.log" iperf3 -s -B "$NT_SPEED_ADDR"
sleep 0.5

# precall_run JSON ARGS...: the check under /usr/bin/time; prints "wall cpu_s maxrss_kb"
precall_run() {
    local j=$1
    shift
    ip netns exec "$NT_NS_CLIENT" /usr/bin/time -f '%e %U %S %M' -o "$j.time" \
        "$PRECALL_BIN" check --json --no-progress "$@" >"$j" 2>/dev/null
    tail -n 1 "$j.time" | awk '{ printf "%s %.2f %d", $1, $2 + $3, $4 }'
}
iperf() { # DIR(-R or ""): Mbit/s received
    ip netns exec "$NT_NS_CLIENT" iperf3 -c "$NT_SPEED_ADDR" -t 3 -J $1 2>/dev/null |
        "$NT_PY" -c 'import json,sys; print("%.2f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6))'
}
err() { awk -v m="$1" -v r="$2" 'BEGIN { g = r * 1448 / 1514; printf "%+.1f %%", (m - g) / g * 100 }'; }

printf '%-6s | %-28s | %-28s | %-8s %-12s %-7s %-8s\n' "rate" "download: precall / iperf3" \
    "upload: precall / iperf3" "time s" "bytes" "cpu s" "rss KiB"
for rate in $RATES; do
    nt_shape_link "$rate" "$rate" 50 2>/dev/null
    J=$NT_TMP/bench-$rate.json
    read -r wall cpu rss < <(precall_run "$J" --server "$NT_SPEED_URL" --cacert "$NT_CA" \
        --stun "$NT_STUN1:$NT_STUN_PORT" --stun "$NT_STUN2:$NT_STUN_PORT")
    pd=$(nt_json "$J" 'm["download_mbps"]')
    pu=$(nt_json "$J" 'm["upload_mbps"]')
    by=$(nt_json "$J" 'm["bandwidth_bytes"]')
    id=$(iperf -R)
    iu=$(iperf "")
    printf '%-6s | %6.2f (%s) / %6.2f (%s) | %6.2f (%s) / %6.2f (%s) | %-8s %-12s %-7s %-8s\n' \
        "$rate" "$pd" "$(err "$pd" "$rate")" "$id" "$(err "$id" "$rate")" \
        "$pu" "$(err "$pu" "$rate")" "$iu" "$(err "$iu" "$rate")" "$wall" "$by" "$cpu" "$rss"
done
nt_unshape_link

# Loopback ceiling: nginx and iperf3 on the client namespace's own loopback.
nt_start_nginx "$NT_NS_CLIENT" "$NT_TMP/nginx-lo" 127.0.0.1:443 127.0.0.1:8080
nt_wait_speedserver "$NT_NS_CLIENT" https://127.0.0.1 --cacert "$NT_CA" ||
    nt_skip "the loopback nginx did not answer"
nt_bg "$NT_NS_CLIENT" "$NT_TMP/iperf3-lo.log" iperf3 -s -B 127.0.0.1 -p 5202
sleep 0.5
J=$NT_TMP/bench-lo.json
read -r wall cpu rss < <(precall_run "$J" --only bandwidth --server https://127.0.0.1 \
    --cacert "$NT_CA")
LO=$(nt_json "$J" 'm["download_mbps"]')
ILO=$(ip netns exec "$NT_NS_CLIENT" iperf3 -c 127.0.0.1 -p 5202 -t 3 -R -J 2>/dev/null |
    "$NT_PY" -c 'import json,sys; print("%.0f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6))')
echo "loopback ceiling: precall download $LO Mbit/s (TLS, $(nt_json "$J" 'r["probes"]["bandwidth"]["targets"][0]["detail"]'); cpu ${cpu} s, rss ${rss} KiB) beside iperf3 $ILO Mbit/s (1 stream, plain TCP)"
nt_done
