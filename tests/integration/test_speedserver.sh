#!/bin/bash
# integration.speedserver: the shipped nginx configuration
# (contrib/nginx/precall-speedtest.conf) on a stock nginx, checked with curl
# from the client namespace, without precall:
#  1. GET /__down?bytes=N: 200 and exactly N bytes (0, 1, 10, 1000000, the
#     maximum), Content-Length, Cache-Control: no-store, never compressed,
#     the bytes of the random file; malformed or too large N: 400;
#  2. POST /__up of 10 MB: 200, the whole body sent, the connection kept;
#     nothing spooled to disk; plain HTTP port answers; HTTP/1.1 only;
#  3. TLS: the test CA verifies the server, an unrelated CA does not;
#  4. link shaped to 20 Mbit/s down, 5 up (tbf, 50 ms queues): curl's rates
#     within 10 % of the shaped rates; iperf3's figures printed beside them;
#  5. unshaped, a second instance on a namespace's loopback: >= 1 Gbit/s
#     download over TLS.
. "$(dirname "$0")/netns.sh"
. "$(dirname "$0")/nginx.sh"
nt_require_root
nt_require_cmd nginx openssl curl iperf3 tc
nt_setup
nt_start_speedserver

SRV=$NT_TMP/nginx
U=$NT_SPEED_URL

# speed_get N: GET /__down?bytes=N into $NT_TMP/body; prints "CODE SIZE".
speed_get() {
    nt_speed_curl -s -o "$NT_TMP/body" -D "$NT_TMP/headers" -H 'Accept-Encoding: gzip, br' \
        -w '%{http_code} %{size_download}' "$U/__down?bytes=$1"
}
header() { tr -d '\r' <"$NT_TMP/headers" | awk -v h="$1" 'tolower($1) == tolower(h) ":" { print $2 }'; }

# 1. /__down
for n in 0 1 9 10 1000000 "$NT_SPEED_MAX"; do
    got=$(speed_get "$n")
    [ "$got" = "200 $n" ] || nt_fail "/__down?bytes=$n: got '$got', expected '200 $n'"
    [ "$(header Content-Length)" = "$n" ] || nt_fail "/__down?bytes=$n: Content-Length '$(header Content-Length)'"
    [ "$(header Cache-Control)" = "no-store" ] || nt_fail "/__down?bytes=$n: Cache-Control '$(header Cache-Control)'"
    [ -z "$(header Content-Encoding)" ] || nt_fail "/__down?bytes=$n: Content-Encoding '$(header Content-Encoding)'"
    cmp -s "$NT_TMP/body" <(head -c "$n" "$SRV/state/random.bin") ||
        nt_fail "/__down?bytes=$n: not the first $n bytes of random.bin"
done
nt_pass "/__down?bytes=N: 200, exactly N bytes, Content-Length N, no-store, not compressed (N = 0, 1, 9, 10, 10^6, $NT_SPEED_MAX)"
# Incompressible: gzip gains nothing on a megabyte of it.
speed_get 1000000 >/dev/null
z=$(gzip -c "$NT_TMP/body" | wc -c)
[ "$z" -ge 1000000 ] || nt_fail "/__down body compresses to $z bytes"
nt_pass "/__down body is incompressible (gzip: 1000000 -> $z bytes)"
for n in -1 abc 01 1e6 "1%200" "" "$((NT_SPEED_MAX + 1))"; do
    got=$(speed_get "$n")
    [ "${got%% *}" = 400 ] || nt_fail "/__down?bytes=$n: got '$got', expected 400"
done
got=$(nt_speed_curl -s -o /dev/null -w '%{http_code}' "$U/__down")
[ "$got" = 400 ] || nt_fail "/__down without bytes: $got, expected 400"
nt_pass "/__down: bytes missing, empty, negative, not a number, leading zero, over $NT_SPEED_MAX -> 400"

# 2. /__up, keep-alive after it, no spooling, plain port, HTTP/1.1 only
head -c 10000000 /dev/urandom >"$NT_TMP/up10m"
out=$(nt_speed_curl -s --data-binary @"$NT_TMP/up10m" -o /dev/null \
    -w '%{http_code} %{size_upload} %{num_connects}\n' "$U/__up" \
    --next --cacert "$NT_CA" -s -o /dev/null -w '%{http_code} %{num_connects}\n' "$U/__down?bytes=0")
[ "$out" = "200 10000000 1
200 0" ] || nt_fail "POST /__up of 10 MB, then GET on the same connection: '$out'"
nt_pass "POST /__up of 10 MB: 200, all 10000000 bytes sent, connection reused afterwards"
got=$(nt_speed_curl -s -o /dev/null -w '%{http_code}' -X PUT --data-binary x "$U/__up")
[ "$got" = 405 ] || nt_fail "PUT /__up: $got, expected 405"
spooled=$(find "$SRV/temp" -type f | wc -l)
[ "$spooled" = 0 ] || nt_fail "nginx wrote $spooled temp files: $(find "$SRV/temp" -type f)"
nt_pass "nothing spooled to nginx's temp paths"
got=$(nt_client curl -s -o /dev/null -w '%{http_code} %{size_download}' "$NT_SPEED_HTTP_URL/__down?bytes=1000")
[ "$got" = "200 1000" ] || nt_fail "plain HTTP /__down: '$got'"
nt_pass "plain HTTP on $NT_SPEED_HTTP_URL answers"
got=$(nt_speed_curl -s --http2 -o /dev/null -w '%{http_version}' "$U/__down?bytes=10")
[ "$got" = 1.1 ] || nt_fail "server negotiated HTTP/$got, expected 1.1 only"
nt_pass "TLS port speaks HTTP/1.1 only (ALPN)"

# 3. certificates
nt_client curl -s -o /dev/null --cacert "$NT_OTHER_CA" "$U/__down?bytes=10"
rc=$?
[ "$rc" = 60 ] || nt_fail "curl trusting the unrelated CA: exit $rc, expected 60 (certificate problem)"
nt_client curl -s -o /dev/null --capath /nonexistent --cacert /dev/null "$U/__down?bytes=10"
rc=$?
[ "$rc" = 60 ] || [ "$rc" = 77 ] || nt_fail "curl trusting nothing: exit $rc, expected 60 or 77"
nt_pass "certificate verifies only against the test CA (unrelated CA: curl exit 60)"

# 4. shaped link
DOWN=20 UP=5 Q=50
nt_shape_link "$DOWN" "$UP" "$Q"
# About 3 s each way at the shaped rate.
dn_bytes=$((DOWN * 1000000 / 8 * 3))
up_bytes=$((UP * 1000000 / 8 * 3))
head -c "$up_bytes" /dev/urandom >"$NT_TMP/up3s"
out=$(nt_speed_curl -s -o /dev/null -w '%{http_code} %{size_download} %{speed_download} %{time_total}' \
    "$U/__down?bytes=$dn_bytes")
read -r code size spd t <<<"$out"
[ "$code $size" = "200 $dn_bytes" ] || nt_fail "shaped download: '$out'"
dn_mbit=$(awk -v s="$spd" 'BEGIN { printf "%.2f", s * 8 / 1e6 }')
# The upload is answered before the server has read the whole body (see
# contrib/nginx/README.md), so curl's own rate counts what still sits in
# socket buffers. A request on the same connection after it is answered
# only once the server has read all of the body: the upload's true
# duration is the sum of both times.
out=$(nt_speed_curl -s --data-binary @"$NT_TMP/up3s" -o /dev/null \
    -w '%{http_code} %{size_upload} %{speed_upload} %{time_total}\n' "$U/__up" \
    --next --cacert "$NT_CA" -s -o /dev/null -w '%{http_code} %{time_total} %{num_connects}\n' "$U/__down?bytes=0")
read -r -d '' code size uspd ut code2 t2 nc2 <<<"$out"  # both lines
[ "$code $size $code2 $nc2" = "200 $up_bytes 200 0" ] || nt_fail "shaped upload: '$out'"
up_raw=$(awk -v s="$uspd" 'BEGIN { printf "%.2f", s * 8 / 1e6 }')
up_mbit=$(awk -v b="$up_bytes" -v a="$ut" -v c="$t2" 'BEGIN { printf "%.2f", b * 8 / (a + c) / 1e6 }')

# iperf3 over the same link, one TCP stream each way, 3 s.
nt_bg "$NT_NS_SERVER" "$NT_TMP/iperf3.log" iperf3 -s -B "$NT_SPEED_ADDR" -p 5201
for i in $(seq 1 50); do
    nt_server ss -ltn 2>/dev/null | grep -q "$NT_SPEED_ADDR:5201" && break
    sleep 0.1
done
iperf() {
    nt_client iperf3 -c "$NT_SPEED_ADDR" -p 5201 -t 3 -J "$@" >"$NT_TMP/iperf.json" 2>&1 ||
        { cat "$NT_TMP/iperf.json" >&2; nt_fail "iperf3 $*"; }
    "$NT_PY" -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"] / 1e6))' \
        "$NT_TMP/iperf.json"
}
ip_dn=$(iperf -R)
ip_up=$(iperf)
nt_shape_show >&2
nt_log "shaped ${DOWN}/${UP} Mbit/s, tbf burst $NT_SHAPE_BURST_DOWN/$NT_SHAPE_BURST_UP B, latency ${Q} ms:"
nt_log "  download: curl $dn_mbit Mbit/s ($dn_bytes B in ${t} s, TLS goodput), iperf3 $ip_dn Mbit/s"
nt_log "  upload:   curl $up_mbit Mbit/s until the server had it all ($up_bytes B in ${ut}+${t2} s;" \
    "curl's speed_upload alone $up_raw), iperf3 $ip_up Mbit/s"
within() { awk -v v="$1" -v r="$2" 'BEGIN { exit !(v >= 0.9 * r && v <= 1.1 * r) }'; }
within "$dn_mbit" "$DOWN" || nt_fail "download $dn_mbit Mbit/s not within 10 % of $DOWN"
within "$up_mbit" "$UP" || nt_fail "upload $up_mbit Mbit/s not within 10 % of $UP"
nt_pass "shaped: curl download $dn_mbit of $DOWN Mbit/s, upload $up_mbit of $UP Mbit/s (within 10 %)"
nt_unshape_link

# 5. loopback: a second instance on 127.0.0.1 of an isolated namespace.
nt_isolated LO
LOD=$NT_TMP/nginx-lo
nt_start_nginx "$LO" "$LOD" 127.0.0.1:443 127.0.0.1:8080
RES=(--cacert "$NT_CA" --resolve "$NT_SPEED_NAME:443:127.0.0.1")
nt_wait_speedserver "$LO" "$U" "${RES[@]}" || { cat "$LOD/stderr.log" "$LOD/log" >&2; nt_fail "loopback nginx did not answer"; }
best=0
for i in 1 2 3; do
    s=$(ip netns exec "$LO" curl -s "${RES[@]}" -o /dev/null -w '%{speed_download}' "$U/__down?bytes=$NT_SPEED_MAX")
    best=$(awk -v a="$best" -v b="$s" 'BEGIN { print (b > a) ? b : a }')
done
head -c 100000000 /dev/urandom >"$NT_TMP/up100m"
ubest=0
for i in 1 2 3; do
    s=$(ip netns exec "$LO" curl -s "${RES[@]}" --data-binary @"$NT_TMP/up100m" -o /dev/null -w '%{speed_upload}' "$U/__up")
    ubest=$(awk -v a="$ubest" -v b="$s" 'BEGIN { print (b > a) ? b : a }')
done
lo_dn=$(awk -v s="$best" 'BEGIN { printf "%.0f", s * 8 / 1e6 }')
lo_up=$(awk -v s="$ubest" 'BEGIN { printf "%.0f", s * 8 / 1e6 }')
nt_log "loopback over TLS (best of 3): download $lo_dn Mbit/s ($NT_SPEED_MAX B), upload $lo_up Mbit/s (100 MB)"
[ "$lo_dn" -ge 1000 ] || nt_fail "loopback download $lo_dn Mbit/s, below 1 Gbit/s"
nt_pass "loopback download $lo_dn Mbit/s >= 1000"

# nginx logged no errors in either instance.
for f in "$SRV/log" "$LOD/log"; do
    if grep -E '\[(error|crit|alert|emerg)\]' "$f" >&2; then
        nt_fail "nginx logged errors in $f"
    fi
done
nt_pass "no errors in nginx's logs"
nt_done
