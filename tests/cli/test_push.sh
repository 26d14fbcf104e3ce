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

# Refused when the options are read.
run analyze --push ftp://x "$F"
expect_rc 64 "--push ftp://"
expect_err "precall: --push: expected an http:// or https:// URL"
run analyze --push "$GW" --push-instance "" "$F"
expect_rc 64 "--push-instance ''"
finish
