#!/bin/bash
# predict_run.sh - one run of bench/predict.sh (its own process, so its own
# namespaces: a fresh test network for every run). Both shapers are in the
# router (nt_shape_router), as a home router's queue is, not on the client.
#
#   predict_run.sh DIR REP CALL_S MEDIA_LIST ID DOWN UP QUEUE DELAY JITTER LOSS BURST UDP LOAD
#
# Builds the integration topology (tests/integration/netns.sh) with coturn and
# nginx, shapes the client's link with tbf (DOWN/UP Mbit/s, QUEUE ms), starts
# linkem in each direction (DELAY +- JITTER ms, LOSS % with mean burst BURST,
# UDP only if UDP = udp), then:
#  1. precall check (network probes, the therapy profile without the host and
#     device limits) against the namespace servers -> DIR/check.json
#  2. the call ladder of MEDIA_LIST ("id tier video audio" lines): each call
#     runs CALL_S seconds both ways at once (ffmpeg -re -c copy -f rtp in each
#     namespace, through bench/rtpcall.py), scored by precall analyze and
#     predict_lib.py score; the first call that reaches its tier ends the
#     ladder -> DIR/call-ID/
#  3. DIR/run.json: the check's tier and figures, each call's score, the
#     call's tier, linkem's ground truth.
# LOAD: "call" runs a bulk TCP upload (iperf3, one stream) during the calls,
# "both" during the check and the calls.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=$1 REP=$2 CALL_S=$3 MEDIA_LIST=$4
shift 4
ID=$1 DOWN=$2 UP=$3 QUEUE=$4 DELAY=$5 JITTER=$6 LOSS=$7 BURST=$8 UDP=$9 LOAD=${10}
. "$ROOT/tests/integration/netns.sh"
. "$ROOT/tests/integration/nginx.sh"
nt_skip() { nt_log "cannot run: $*"; exit 1; }
mkdir -p "$DIR"
nt_setup_stun_test
nt_make_test_ca
nt_start_speedserver
nt_udp_checks
nt_bg "$NT_NS_SERVER" "$DIR/iperf3-server.log" iperf3 -s -B 198.18.1.3 -p 5201
PY=$NT_PY
LIB=$ROOT/bench/predict_lib.py
CALLS=${CALLS_FILE:?}
SEED=$(($(printf '%s' "$ID" | cksum | cut -d' ' -f1) % 100000 + REP * 1000))

[ "$DOWN" != - ] && nt_shape_router "$DOWN" "$UP" "$QUEUE"
largs=(--delay-ms "$DELAY" --jitter-ms "$JITTER")
[ "$LOSS" != - ] && [ "$LOSS" != 0 ] && largs+=(--loss-pct "$LOSS" --burst "$BURST")
[ "$UDP" = udp ] && largs+=(--loss-udp)
nt_link up "${largs[@]}" --seed "$SEED"
nt_link down "${largs[@]}" --seed "$((SEED + 1))"

LOAD_PID=""
start_load() {
    [ -n "$LOAD_PID" ] && return 0
    # A bulk TCP upload, as a backup or a file upload would be: iperf3 from
    # the client to the server ns, one stream, as fast as the link takes it.
    nt_bg "$NT_NS_CLIENT" "$DIR/load.log" iperf3 -c 198.18.1.3 -p 5201 -t 900 -i 0 --connect-timeout 3000
    LOAD_PID=$NT_LAST_PID
    sleep 3 # long enough for the queue to fill
}
stop_load() {
    [ -n "$LOAD_PID" ] && nt_stop "$LOAD_PID"
    LOAD_PID=""
}

# 1. the check
[ "$LOAD" = both ] && start_load
nt_precall "$NT_NS_CLIENT" "$DIR/check.json" check --server "$NT_SPEED_URL" --cacert "$NT_CA" \
    --stun "$NT_STUN1:$NT_STUN_PORT" --stun "$NT_STUN2:$NT_STUN_PORT" "${NT_NET_ONLY[@]}" \
    --json --no-progress
CHECK_WALL=$NT_WALL_S
[ "$LOAD" = call ] && start_load

# 2. the ladder
ffsend() { # NS VIDEO AUDIO LOG: both streams of one side for CALL_S seconds
    local ns=$1 v=$2 a=$3 log=$4 args=()
    if [ "$v" != - ]; then
        args=(-re -i "$v" -re -i "$a" -t "$CALL_S" -map 0:v -c copy -f rtp "rtp://127.0.0.1:15004?pkt_size=1200"
            -map 1:a -c copy -f rtp "rtp://127.0.0.1:15006")
    else
        args=(-re -i "$a" -t "$CALL_S" -map 0:a -c copy -f rtp "rtp://127.0.0.1:15006")
    fi
    ip netns exec "$ns" timeout $((CALL_S + 20)) ffmpeg -hide_banner -loglevel error -nostdin "${args[@]}" \
        >"$log" 2>&1
}
CALL_TIER=none
CALL_IDS=()
while read -r cid tier video audio; do
    [ -n "$cid" ] || continue
    C=$DIR/call-$cid
    mkdir -p "$C"
    CALL_IDS+=("$cid")
    nt_bg "$NT_NS_SERVER" "$C/rs.log" chrt -f 30 "$PY" "$ROOT/bench/rtpcall.py" --self 198.18.1.2 \
        --peer 198.18.0.2 --ports 5004,5005,5006,5007 --sent "$C/s.sent" --recv "$C/s.recv" \
        --pcap "$C/s.pcap" --ready "$C/s.ready"
    RS=$NT_LAST_PID
    nt_bg "$NT_NS_CLIENT" "$C/rc.log" chrt -f 30 "$PY" "$ROOT/bench/rtpcall.py" --self 198.18.0.2 \
        --peer 198.18.1.2 --ports 5004,5005,5006,5007 --sent "$C/c.sent" --recv "$C/c.recv" \
        --pcap "$C/c.pcap" --ready "$C/c.ready"
    RC=$NT_LAST_PID
    nt_wait_file "$C/s.ready" && nt_wait_file "$C/c.ready" || { cat "$C"/r?.log >&2; nt_fail "rtpcall did not start"; }
    ffsend "$NT_NS_CLIENT" "$video" "$audio" "$C/ff-client.log" &
    F1=$!
    ffsend "$NT_NS_SERVER" "$video" "$audio" "$C/ff-server.log" &
    F2=$!
    wait "$F1" "$F2"
    sleep 2 # what is still in the queues and in linkem arrives
    nt_stop "$RS"
    nt_stop "$RC"
    for side in s c; do
        "$PRECALL_BIN" analyze --json --clock-rate 96=90000 "$C/$side.pcap" \
            >"$C/$side.analyze.json" 2>"$C/$side.analyze.err"
    done
    verdict=$("$PY" "$LIB" score "$CALLS" "$cid" "$C")
    nt_log "$ID rep $REP: call $cid: $verdict"
    if [ "$verdict" = reached ]; then
        CALL_TIER=$tier
        break
    fi
done <"$MEDIA_LIST"
stop_load
nt_link_stop up
nt_link_stop down
cp "$NT_TMP/linkem-up.json" "$DIR/linkem-up.json"
cp "$NT_TMP/linkem-down.json" "$DIR/linkem-down.json"

# 3. the record of the run
"$PY" - "$DIR" "$ID" "$REP" "$CALL_TIER" "$CHECK_WALL" "${CALL_IDS[@]}" <<'EOF'
import json, os, sys
d, cid, rep, call_tier, wall = sys.argv[1:6]
chk = json.load(open(os.path.join(d, "check.json")))
v = chk.get("verdict", {})
m = chk.get("metrics", {})
keys = ("download_mbps", "upload_mbps", "rtt_median_ms", "jitter_ms", "loss_pct", "burst_loss_pct",
        "bufferbloat_ms", "bufferbloat_grade", "r_factor", "mos")
run = {"condition": cid, "rep": int(rep), "check_tier": v.get("tier"), "check_label": v.get("label"),
       "check_limited_by": v.get("limited_by", []), "check_wall_s": float(wall),
       "check": {k: m.get(k) for k in keys},
       "check_risks": chk.get("risks", v.get("risks")),
       "call_tier": call_tier, "calls": [],
       "linkem": {x: json.load(open(os.path.join(d, "linkem-%s.json" % x))) for x in ("up", "down")}}
for c in sys.argv[6:]:
    p = os.path.join(d, "call-%s" % c, "score.json")
    if os.path.exists(p):
        run["calls"].append(json.load(open(p)))
json.dump(run, open(os.path.join(d, "run.json"), "w"), indent=1)
EOF
# The captures are large; the logs (sent, recv) and the analyze reports stay.
rm -f "$DIR"/call-*/*.pcap
exit 0
