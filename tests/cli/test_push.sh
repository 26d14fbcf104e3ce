#!/bin/bash
# --push: the report's OpenMetrics reach a real Prometheus Pushgateway
# (Debian's prometheus-pushgateway, started here on loopback), whose /metrics
# then shows them with job="precall" and the instance; a push that fails is
# one line on stderr and exit 74, and the report is still written.
. "$(dirname "$0")/lib.sh"
CAP=/work/shared/captures-real
[ -d "$CAP" ] || CAP=${PRECALL_CAPTURES:-$CAP}
[ -d "$CAP" ] || skip "no real captures in $CAP"
command -v prometheus-pushgateway >/dev/null || skip "prometheus-pushgateway is not installed"
command -v curl >/dev/null || skip "curl is not installed"
F=$CAP/ndpi__rtp.pcapng

gwport=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
prometheus-pushgateway --web.listen-address="127.0.0.1:$gwport" \
    --persistence.file="$WORK/gw.data" >"$WORK/gw.log" 2>&1 &
gw=$!
trap 'kill $gw 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$gwport/-/ready" >/dev/null && break; sleep 0.1; done
GW=http://127.0.0.1:$gwport

"$PRECALL" analyze --json "$F" >"$WORK/plain.json" 2>/dev/null
jrc=$?

# A push of an analysis: the same exit status and report as without it.
run analyze --json --push "$GW" --push-instance room-1 "$F"
expect_rc "$jrc" "analyze --push"
[ ! -s "$err" ] && ok || not_ok "stderr after a good push: $(cat "$err")"
"$PY" - "$out" "$WORK/plain.json" <<'PY' && ok || not_ok "the report with --push differs"
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
for r in (a, b):
    r.pop("started_at"); r.pop("duration_ms")
assert a == b
PY
curl -sf "$GW/metrics" >"$WORK/gw.metrics" && ok || not_ok "GET /metrics"
grep -qx 'precall_tier{instance="room-1",job="precall"} -1' "$WORK/gw.metrics" && ok ||
    not_ok "no precall_tier of room-1: $(grep precall_tier "$WORK/gw.metrics")"
grep -qx 'precall_capture_packets{file="'"$F"'",instance="room-1",job="precall"} 112' "$WORK/gw.metrics" && ok ||
    not_ok "no capture_packets: $(grep capture_packets "$WORK/gw.metrics")"
grep -q '^precall_stream_jitter_seconds{instance="room-1",job="precall",stream="10.204.220.71:6000>10.204.220.171:6000/0x00001646"} 0.000913$' "$WORK/gw.metrics" && ok ||
    not_ok "no stream jitter: $(grep stream_jitter_seconds "$WORK/gw.metrics" | head -3)"

# The default instance is the host name; an instance with a '/' goes base64-encoded.
run analyze -q --push "$GW" "$F"
expect_rc "$jrc" "analyze --push, default instance"
grep -qx "precall_tier{instance=\"$(hostname)\",job=\"precall\"} -1" <(curl -sf "$GW/metrics") && ok ||
    not_ok "no metrics of instance $(hostname)"
run analyze -q --push "$GW/" --push-instance "clinic/room 2" "$F"
expect_rc "$jrc" "analyze --push, instance with a slash"
grep -qx 'precall_ready{instance="clinic/room 2",job="precall"} 0' <(curl -sf "$GW/metrics") && ok ||
    not_ok "no metrics of instance 'clinic/room 2'"

# A check pushes too: the system probe of a fixture host.
PRECALL_SYSROOT=$SRC/tests/fixtures/sysroot/wired-laptop run --only system --no-progress -q \
    --push "$GW" --push-instance desk-7
curl -sf "$GW/metrics" >"$WORK/gw.metrics"
grep -q '^precall_exit_code{instance="desk-7",job="precall"} '"$rc"'$' "$WORK/gw.metrics" && ok ||
    not_ok "check: no exit code $rc of desk-7: $(grep 'precall_exit_code' "$WORK/gw.metrics")"
grep -q '^precall_cpus{instance="desk-7",job="precall"} [0-9]' "$WORK/gw.metrics" && ok ||
    not_ok "check: no cpus of desk-7"

# A closed port: exit 74, one line on stderr, the report still on stdout.
closed=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run analyze --json --push "http://127.0.0.1:$closed" "$F"
expect_rc 74 "push to a closed port"
expect_err_lines 1
expect_err "precall: --push: cannot reach the Pushgateway at 127.0.0.1:$closed: "
"$PY" -c 'import json, sys; json.load(open(sys.argv[1]))' "$out" && ok || not_ok "no report on stdout"
# ... and with -o the file is written all the same.
run analyze --json -o "$WORK/r.json" --push "http://127.0.0.1:$closed" "$F"
expect_rc 74 "push to a closed port, -o"
"$PY" -c 'import json, sys; json.load(open(sys.argv[1]))' "$WORK/r.json" && ok || not_ok "no report in -o"
# An answer that is not 2xx (the gateway refuses a job path it does not know) is a failure too.
run analyze -q --push "$GW/nothing-here" "$F"
expect_rc 74 "push to a wrong path"
expect_err "precall: --push: the Pushgateway at 127.0.0.1:$gwport answered HTTP 404"
# https to a plain-HTTP port: TLS fails, exit 74.
run analyze -q --push "https://127.0.0.1:$gwport" "$F"
expect_rc 74 "https push to plain http"
expect_err_lines 1

# A redirect is not a delivery (it is never followed): exit 74.
"$PY" - >"$WORK/redir.port" <<'PY' &
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_PUT(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(307)
        self.send_header("Location", "http://127.0.0.1:9/")
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY
redir=$!
# A gateway that accepts the connection and never answers: the push gives up.
"$PY" - >"$WORK/mute.port" <<'PY' &
import socket, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
print(s.getsockname()[1], flush=True)
time.sleep(120)
PY
mute=$!
trap 'kill $gw $redir $mute 2>/dev/null; [ -n "${tlsgw:-}" ] && kill $tlsgw 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do [ -s "$WORK/redir.port" ] && [ -s "$WORK/mute.port" ] && break; sleep 0.1; done
run analyze -q --push "http://127.0.0.1:$(cat "$WORK/redir.port")" "$F"
expect_rc 74 "push answered by a redirect"
expect_err "answered HTTP 307"
t0=$(date +%s)
out=$WORK/out err=$WORK/err
timeout 40 "$PRECALL" analyze -q --push "http://127.0.0.1:$(cat "$WORK/mute.port")" "$F" >"$out" 2>"$err"
rc=$?
t=$(($(date +%s) - t0))
expect_rc 74 "push to a gateway that never answers"
[ "$t" -ge 9 ] && [ "$t" -le 20 ] && ok || not_ok "the silent gateway held the push $t s (10 s expected)"

# PUT replaces the instance's figures: a check's host figures do not outlive
# the next report pushed for the same instance.
PRECALL_SYSROOT=$SRC/tests/fixtures/sysroot/wired-laptop run --only system --no-progress -q \
    --push "$GW" --push-instance desk-8
grep -q '^precall_cpus{instance="desk-8",job="precall"} ' <(curl -sf "$GW/metrics") && ok ||
    not_ok "desk-8: no cpus after the check"
run analyze -q --push "$GW" --push-instance desk-8 "$F"
curl -sf "$GW/metrics" >"$WORK/gw.metrics"
grep -q '^precall_cpus{instance="desk-8"' "$WORK/gw.metrics" && not_ok "desk-8: the check's cpus stayed" || ok
grep -q '^precall_capture_packets{file=.*instance="desk-8"' "$WORK/gw.metrics" && ok ||
    not_ok "desk-8: no figures of the analysis"

# --push-instance: up to 253 bytes (a host name's longest), both sides of it.
long=$(printf 'r%.0s' $(seq 253))
run analyze -q --push "$GW" --push-instance "$long" "$F"
expect_rc "$jrc" "--push-instance of 253 bytes"
grep -q "^precall_ready{instance=\"$long\",job=\"precall\"} " <(curl -sf "$GW/metrics") && ok ||
    not_ok "no metrics of the 253-byte instance"
run analyze -q --push "$GW" --push-instance "${long}r" "$F"
expect_rc 64 "--push-instance of 254 bytes"
expect_err "precall: --push-instance: expected 1 to 253 bytes"

# TLS as the speed test: a gateway with a certificate of a private authority
# is refused without --cacert (exit 74) and reached with it.
if command -v openssl >/dev/null; then
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" \
        -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1
    printf 'tls_server_config:\n  cert_file: %s\n  key_file: %s\n' "$WORK/cert.pem" "$WORK/key.pem" >"$WORK/web.yml"
    tlsport=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    prometheus-pushgateway --web.listen-address="127.0.0.1:$tlsport" --web.config.file="$WORK/web.yml" \
        --persistence.file="$WORK/tlsgw.data" >"$WORK/tlsgw.log" 2>&1 &
    tlsgw=$!
    for _ in $(seq 100); do curl -sf --cacert "$WORK/cert.pem" "https://127.0.0.1:$tlsport/-/ready" >/dev/null && break; sleep 0.1; done
    run analyze -q --push "https://127.0.0.1:$tlsport" --push-instance tls-1 "$F"
    expect_rc 74 "https push, private authority, no --cacert"
    expect_err_lines 1
    run analyze -q --push "https://127.0.0.1:$tlsport" --push-instance tls-1 --cacert "$WORK/cert.pem" "$F"
    expect_rc "$jrc" "https push with --cacert"
    grep -q '^precall_ready{instance="tls-1",job="precall"} ' <(curl -sf --cacert "$WORK/cert.pem" "https://127.0.0.1:$tlsport/metrics") &&
        ok || not_ok "the TLS gateway has no metrics of tls-1: $(tail -3 "$WORK/tlsgw.log")"
else
    not_ok "openssl is not installed"
fi

# Refused when the options are read.
run analyze --push ftp://x "$F"
expect_rc 64 "--push ftp://"
expect_err "precall: --push: expected an http:// or https:// URL"
run analyze --push "$GW" --push-instance "" "$F"
expect_rc 64 "--push-instance ''"
finish
