# nginx.sh - speed-test server and link shaping for precall's integration
# tests (bash). Source it after netns.sh; it defines functions and changes
# nothing until called.
#
# nt_start_speedserver runs a stock nginx with the shipped configuration
# (contrib/nginx/precall-speedtest.conf, rendered by contrib/nginx/setup.sh)
# in the server namespace, on an address of its own:
#
#   client ns 198.18.0.2 -- router -- server ns 198.18.1.4 :443 (TLS), :8080 (plain)
#
# and the client's hosts file maps speed.precall.test to 198.18.1.4. The
# certificate is issued by a test CA made for the run (make_test_ca.sh);
# every file (configuration, random data, pid, logs, temp paths, internal
# socket) lives in the test's temp dir. nginx runs in the foreground under
# nt_bg, so nt_cleanup stops it with the rest.
#
# Functions:
#   nt_make_test_ca                 make the test CAs once per run (in
#                                   $NT_TMP/ca): sets NT_CA (trust this),
#                                   NT_OTHER_CA (an unrelated CA),
#                                   NT_SERVER_CERT, NT_SERVER_KEY
#   nt_start_speedserver            add $NT_SPEED_ADDR to the server ns, start
#                                   nginx there, wait until /__down answers
#                                   over TLS from the client ns; sets
#                                   NT_SPEED_PID, NT_SPEED_URL, NT_SPEED_HTTP_URL
#   nt_start_nginx NS DIR HTTPS_LISTEN HTTP_LISTEN
#                                   the same nginx (certificate of the test CA)
#                                   in any namespace, files under DIR, without
#                                   waiting; pid in NT_LAST_PID (used for a
#                                   second instance on a namespace's loopback)
#   nt_wait_speedserver NS URL [CURL ARGS...]
#                                   wait (~10 s) until URL/__down?bytes=0
#                                   answers 200 from NS
#   nt_speed_curl ARGS...           curl in the client ns trusting NT_CA
#   nt_shape_link DOWN_MBIT UP_MBIT QUEUE_MS
#                                   tbf on the client<->router link: DOWN on
#                                   the router's veth towards the client, UP on
#                                   the client's veth; each queue holds
#                                   QUEUE_MS of traffic at its rate (tbf
#                                   'latency'); sets NT_SHAPE_BURST_DOWN and
#                                   NT_SHAPE_BURST_UP (bytes)
#   nt_unshape_link                 remove both qdiscs
#   nt_shape_show                   print both qdiscs with their statistics
#
# Variables: NT_SPEED_ADDR (198.18.1.4), NT_SPEED_NAME (speed.precall.test),
# NT_SPEED_DIGITS (8: /__down serves up to NT_SPEED_MAX = 99999999 bytes, and
# random.bin is that large), PRECALL_SRC or PC_IT_DIR (to find contrib/).

NT_SPEED_ADDR=198.18.1.4
NT_SPEED_NAME=speed.precall.test
NT_SPEED_DIGITS=${NT_SPEED_DIGITS:-8}
NT_SPEED_MAX=$(printf '%0*d' "$NT_SPEED_DIGITS" 0 | tr 0 9)
NT_SPEED_HTTPS_PORT=443
NT_SPEED_HTTP_PORT=8080
NT_SPEED_URL="https://$NT_SPEED_NAME"
NT_SPEED_HTTP_URL="http://$NT_SPEED_ADDR:$NT_SPEED_HTTP_PORT"
NT_SPEED_PID=""
NT_CA=""
NT_OTHER_CA=""
NT_SERVER_CERT=""
NT_SERVER_KEY=""
NT_SHAPE_BURST_DOWN=""
NT_SHAPE_BURST_UP=""

nt_speed_srcdir() {
    local d
    for d in "${PRECALL_SRC:-}" "${PC_IT_DIR:+$PC_IT_DIR/../..}" "$(dirname "${BASH_SOURCE[0]}")/../.."; do
        [ -n "$d" ] && [ -f "$d/contrib/nginx/precall-speedtest.conf" ] && { (cd "$d" && pwd); return 0; }
    done
    nt_fail "contrib/nginx/precall-speedtest.conf not found (set PRECALL_SRC)"
}

nt_make_test_ca() {
    [ -n "$NT_CA" ] && return 0
    nt_tmpdir
    local dir="$NT_TMP/ca" it
    it=$(dirname "${BASH_SOURCE[0]}")
    bash "$it/make_test_ca.sh" "$dir" "$NT_SPEED_NAME" "$NT_SPEED_ADDR" || nt_fail "make_test_ca.sh"
    NT_CA=$dir/ca.pem
    NT_OTHER_CA=$dir/other-ca.pem
    NT_SERVER_CERT=$dir/server.pem
    NT_SERVER_KEY=$dir/server.key
}

# nt_start_nginx NS DIR HTTPS_LISTEN HTTP_LISTEN: render the shipped
# configuration into DIR, wrap it in a main configuration whose every path
# is under DIR, and start nginx in the foreground in NS (tracked by nt_bg).
nt_start_nginx() {
    local ns=$1 dir=$2 https=$3 http=$4 src conf
    command -v nginx >/dev/null 2>&1 || nt_skip "nginx not installed (Debian: nginx-light)"
    src=$(nt_speed_srcdir)
    nt_make_test_ca
    mkdir -p "$dir/state" "$dir/temp" || nt_fail "mkdir $dir"
    # The workers run as nobody: they need to pass through the temp dirs to
    # read random.bin (0644) and reach the internal socket.
    chmod 0711 "$NT_TMP" "$dir" "$dir/state"
    sh "$src/contrib/nginx/setup.sh" -c "$NT_SERVER_CERT" -k "$NT_SERVER_KEY" \
        -s "$dir/state" -n "$NT_SPEED_NAME" -d "$NT_SPEED_DIGITS" \
        -t "$https" -p "$http" -o "$dir/precall-speedtest.conf" || nt_fail "contrib/nginx/setup.sh"
    conf=$dir/nginx.conf
    cat >"$conf" <<CONF
# Test wrapper around the shipped configuration: nothing outside $dir.
daemon off;
master_process on;
worker_processes 2;
user nobody nogroup;
pid $dir/nginx.pid;
error_log $dir/log warn;
events {
    worker_connections 1024;
}
http {
    access_log $dir/access.log;
    client_body_temp_path $dir/temp/body;
    proxy_temp_path $dir/temp/proxy;
    fastcgi_temp_path $dir/temp/fastcgi;
    uwsgi_temp_path $dir/temp/uwsgi;
    scgi_temp_path $dir/temp/scgi;
    include $dir/precall-speedtest.conf;
}
CONF
    ip netns exec "$ns" nginx -q -t -p "$dir" -c "$conf" 2>"$dir/check.log" ||
        { cat "$dir/check.log" >&2; nt_fail "nginx rejects the configuration"; }
    # A unix socket left by an nginx killed outright would block the bind.
    rm -f "$dir/state/data.sock"
    nt_bg "$ns" "$dir/stderr.log" nginx -p "$dir" -c "$conf"
}

nt_wait_speedserver() {
    local ns=$1 url=$2 i code
    shift 2
    for i in $(seq 1 100); do
        code=$(ip netns exec "$ns" curl -s -o /dev/null -w '%{http_code}' --max-time 1 \
            "$@" "$url/__down?bytes=0" 2>/dev/null)
        [ "$code" = 200 ] && return 0
        sleep 0.1
    done
    return 1
}

nt_start_speedserver() {
    command -v nginx >/dev/null 2>&1 || nt_skip "nginx not installed (Debian: nginx-light)"
    command -v curl >/dev/null 2>&1 || nt_skip "curl not installed"
    local sb="pc${NT_ID}sb" dir="$NT_TMP/nginx"
    if ! ip -n "$NT_NS_SERVER" -4 addr show dev "$sb" | grep -q "inet $NT_SPEED_ADDR/"; then
        ip -n "$NT_NS_SERVER" addr add "$NT_SPEED_ADDR/24" dev "$sb" || nt_fail "address $NT_SPEED_ADDR"
    fi
    grep -q " $NT_SPEED_NAME\$" "/etc/netns/$NT_NS_CLIENT/hosts" ||
        nt_hosts_add "$NT_NS_CLIENT" "$NT_SPEED_ADDR" "$NT_SPEED_NAME"
    nt_start_nginx "$NT_NS_SERVER" "$dir" "$NT_SPEED_ADDR:$NT_SPEED_HTTPS_PORT" \
        "$NT_SPEED_ADDR:$NT_SPEED_HTTP_PORT"
    NT_SPEED_PID=$NT_LAST_PID
    if ! nt_wait_speedserver "$NT_NS_CLIENT" "$NT_SPEED_URL" --cacert "$NT_CA"; then
        cat "$dir/stderr.log" "$dir/log" >&2 2>/dev/null
        nt_fail "nginx on $NT_SPEED_ADDR did not answer $NT_SPEED_URL within ~10 s"
    fi
    nt_log "speed-test server answering on $NT_SPEED_URL ($NT_SPEED_ADDR:443) and $NT_SPEED_HTTP_URL"
}

nt_speed_curl() { ip netns exec "$NT_NS_CLIENT" curl --cacert "$NT_CA" "$@"; }

# tbf burst for RATE_MBIT: what the rate sends in 2 ms, at least 16 KiB (a
# burst smaller than a few MTUs costs throughput to timer granularity; a
# larger one lets more than the rate through at the start of a transfer).
nt_tbf_burst() {
    awk -v r="$1" 'BEGIN { b = r * 1e6 / 8 * 0.002; if (b < 16384) b = 16384; printf "%d", b }'
}

# nt_shape_link DOWN_MBIT UP_MBIT QUEUE_MS
nt_shape_link() {
    local down=$1 up=$2 q=$3
    local ca="pc${NT_ID}ca" ra="pc${NT_ID}ra"
    NT_SHAPE_BURST_DOWN=$(nt_tbf_burst "$down")
    NT_SHAPE_BURST_UP=$(nt_tbf_burst "$up")
    # 'latency' sets the queue limit to what the rate drains in QUEUE_MS
    # (plus the burst): the depth of a home router's buffer, in time.
    ip netns exec "$NT_NS_ROUTER" tc qdisc replace dev "$ra" root tbf rate "${down}mbit" \
        burst "$NT_SHAPE_BURST_DOWN" latency "${q}ms" || nt_fail "tbf down on $ra"
    ip netns exec "$NT_NS_CLIENT" tc qdisc replace dev "$ca" root tbf rate "${up}mbit" \
        burst "$NT_SHAPE_BURST_UP" latency "${q}ms" || nt_fail "tbf up on $ca"
    nt_log "link shaped: down ${down} Mbit/s (burst $NT_SHAPE_BURST_DOWN B), up ${up} Mbit/s" \
        "(burst $NT_SHAPE_BURST_UP B), queues ${q} ms"
}

nt_unshape_link() {
    ip netns exec "$NT_NS_ROUTER" tc qdisc del dev "pc${NT_ID}ra" root 2>/dev/null
    ip netns exec "$NT_NS_CLIENT" tc qdisc del dev "pc${NT_ID}ca" root 2>/dev/null
    return 0
}

nt_shape_show() {
    ip netns exec "$NT_NS_ROUTER" tc -s qdisc show dev "pc${NT_ID}ra" root
    ip netns exec "$NT_NS_CLIENT" tc -s qdisc show dev "pc${NT_ID}ca" root
}
