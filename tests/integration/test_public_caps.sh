#!/bin/bash
# integration.public_caps: --duration 3600 against the public default speed
# server does not make precall a load generator (issue 15, section 2). In the
# client's namespace the default server's own name (speed.cloudflare.com)
# resolves to hostile_http.py 'public' with a certificate for that name from
# the test CA, so precall runs its real default-server path, with no
# --server.
#  a. Shaped to 100 Mbit/s, the server moving bytes only half of every 1.6 s,
#     so the download's rate seldom settles and it would run to the end of its
#     share of the hour without the caps: each direction's phase holds at most
#     15 s of 100 ms windows, and the check ends within 2 x 15 s and its
#     set-up. (--only bandwidth: the STUN probe to a server of the test
#     network is not capped, as a server of one's own is not.)
#  b. Not shaped (gigabits a second through the namespaces): each direction
#     stops by 0.4 GB (plus at most one 100 ms window), the check's total at
#     most 1 GB.
#  c. The same server named by its address (--server https://198.18.1.4) is
#     one's own: not capped (said in the method).
. "$(dirname "$0")/netns.sh"
. "$(dirname "$0")/nginx.sh"
nt_setup_stun_test
PUBLIC_NAME=speed.cloudflare.com
NT_SPEED_NAME=$PUBLIC_NAME nt_make_test_ca
nt_udp_checks
ip -n "$NT_NS_SERVER" addr add "$NT_SPEED_ADDR/24" dev "pc${NT_ID}sb" || nt_fail "address $NT_SPEED_ADDR"
nt_hosts_add "$NT_NS_CLIENT" "$NT_SPEED_ADDR" "$PUBLIC_NAME"
REC=$NT_TMP/public.rec
nt_bg "$NT_NS_SERVER" "$NT_TMP/hostile.log" env HOSTILE_SAWTOOTH=1.6 HOSTILE_RECORD="$REC" \
    "$NT_PY" "$(dirname "$0")/hostile_http.py" public "$NT_SPEED_ADDR" 443 "$NT_SERVER_CERT" "$NT_SERVER_KEY"
for _ in $(seq 1 100); do grep -q ready "$NT_TMP/hostile.log" 2>/dev/null && break; sleep 0.05; done

nt_shape_router 100 100 50


J=$NT_TMP/hour.json
nt_precall "$NT_NS_CLIENT" "$J" check --duration 3600 --cacert "$NT_CA" \
    --stun "$NT_STUN1:$NT_STUN_PORT" --only bandwidth --json --no-progress
nt_validate_report "$J"
nt_log "--duration 3600: ended in ${NT_WALL_S} s, $(nt_json "$J" 'm["bandwidth_bytes"]') bytes"
nt_check "$J" '"the public server: at most 15 s and 0.4 GB a direction" in r["probes"]["bandwidth"]["method"]' \
    "the default server's host gets the public caps (said in the method)"
nt_check "$J" 'r["probes"]["bandwidth"]["status"] == "ok"' "the speed test measured"
# (the download never settles: the server's pauses empty the link; an upload may, as the
# server's kernel takes the bytes while the server does not read)
nt_check "$J" 'len(next(s for s in r["scopes"] if s["kind"] == "phase" and s["id"] == "download")["series"]["throughput_mbps"]["values"]) <= 151' \
    "the download within 15 s of windows (it usually runs to the cap: the rate does not settle)"
nt_check "$J" 'all(len(s["series"]["throughput_mbps"]["values"]) <= 151 for s in r["scopes"] if s["kind"] == "phase" and s["id"] == "upload")' \
    "the upload within 15 s of windows"
nt_check "$J" "$NT_WALL_S < 35" "the check ended within its two capped directions (${NT_WALL_S} s), not the hour"

# b. at the namespaces' own speed: the byte cap
nt_router tc qdisc del dev "pc${NT_ID}ra" root 2>/dev/null
nt_router tc qdisc del dev "pc${NT_ID}rb" root 2>/dev/null
: >"$REC"
J=$NT_TMP/fast.json
nt_precall "$NT_NS_CLIENT" "$J" check --duration 3600 --cacert "$NT_CA" \
    --stun "$NT_STUN1:$NT_STUN_PORT" --only bandwidth --json --no-progress
nt_log "unshaped: $(nt_json "$J" 'm["bandwidth_bytes"]') bytes, down $(nt_json "$J" 'm["download_mbps"]') up $(nt_json "$J" 'm["upload_mbps"]') Mbit/s in ${NT_WALL_S} s"
nt_check "$J" 'm["bandwidth_bytes"] is not None and 0 < m["bandwidth_bytes"] <= 1e9' "unshaped: at most 1 GB a check"
nt_check "$J" 'all(s["metrics"].get("bandwidth_bytes") is None or s["metrics"]["bandwidth_bytes"] <= 5e8 for s in r["scopes"] if s["kind"] == "phase")' \
    "unshaped: no phase past 0.5 GB"
nt_check "$J" 'm["download_mbps"] is not None and m["upload_mbps"] is not None' "unshaped: both directions measured"
nt_shape_router 100 100 50

# The same server under another name is the user's own: not capped.
: >"$REC"
J=$NT_TMP/own.json
nt_precall "$NT_NS_CLIENT" "$J" check --duration 50 --server "https://$NT_SPEED_ADDR" --cacert "$NT_CA" \
    --stun "$NT_STUN1:$NT_STUN_PORT" --only bandwidth --json --no-progress
nt_log "--server https://$NT_SPEED_ADDR --duration 50: ended in ${NT_WALL_S} s"
nt_check "$J" '"the public server" not in r["probes"]["bandwidth"]["method"]' "a server of one's own: no caps"
nt_done
