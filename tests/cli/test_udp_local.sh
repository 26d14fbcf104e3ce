#!/bin/bash
# The udp probe end to end against two local STUN servers (stun_echo.py on
# loopback, answering every request): the server figures reach the report
# through the stats->metrics map (nothing lost, the loss interval the right
# way round), and the NAT mapping compares address and port: a second server
# that sees another port (a NAT that maps per destination) is
# "address-dependent"; the same address and port, "endpoint-independent".
. "$(dirname "$0")/lib.sh"

n_servers=0
start_echo() { # SHIFT: start a server, set $port
    n_servers=$((n_servers + 1))
    "$PY" "$SRC/tests/cli/stun_echo.py" "$1" >"$WORK/port.$n_servers" &
    servers="${servers:-} $!"
    for _ in $(seq 50); do [ -s "$WORK/port.$n_servers" ] && break; sleep 0.1; done
    port=$(cat "$WORK/port.$n_servers")
    "$PY" "$SRC/tests/cli/stun_ping.py" 127.0.0.1 "$port" 2 && ok || not_ok "the local STUN server does not answer"
}
trap 'kill $servers 2>/dev/null; wait $servers 2>/dev/null; rm -rf "$WORK"' EXIT
start_echo 0
p0=$port
start_echo 7
p7=$port

# field FILE KEY: the run scope's value of KEY in a JSON report.
field() { "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["metrics"][sys.argv[2]])' "$1" "$2"; }

run --only udp --stun "127.0.0.1:$p0" --stun "127.0.0.1:$p7" --duration 4 --json --no-progress
validate "$out"
cp "$out" "$WORK/shifted.json"
[ "$(field "$WORK/shifted.json" nat_mapping)" = address-dependent ] && ok ||
    not_ok "a port that changes per server is not address-dependent: $(field "$WORK/shifted.json" nat_mapping)"
"$PY" - "$WORK/shifted.json" <<'PY' && ok || not_ok "server figures wrong in the report"
import json, sys
m = json.load(open(sys.argv[1]))["metrics"]
sent, answered, lost = m["probes_sent"], m["probes_answered"], m["probes_lost"]
assert sent > 0 and answered + lost == sent, (sent, answered, lost)
assert lost == 0 and m["loss_pct"] == 0, (lost, m["loss_pct"])  # loopback, nothing dropped
assert m["loss_low_pct"] == 0 < m["loss_high_pct"] < 100, (m["loss_low_pct"], m["loss_high_pct"])
assert m["rtt_min_ms"] <= m["rtt_median_ms"] <= m["rtt_p90_ms"] <= m["rtt_p99_ms"] <= m["rtt_max_ms"]
PY

# Two servers that see the same address and port.
start_echo 0
[ "$port" != "$p0" ] && ok || not_ok "the third server reuses a port"
run --only udp --stun "127.0.0.1:$p0" --stun "127.0.0.1:$port" --duration 4 --json --no-progress
[ "$(field "$out" nat_mapping)" = endpoint-independent ] && ok ||
    not_ok "the same mapping is not endpoint-independent: $(field "$out" nat_mapping)"
finish
