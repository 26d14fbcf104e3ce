#!/bin/bash
# Ctrl-C: exit 130 at once, with the partial report printed and marked
# incomplete. --timeout: the run ends by its hard deadline with what it
# measured, marked incomplete. A real coturn on loopback answers the probes.
. "$(dirname "$0")/lib.sh"

start_coturn

interrupt() { # FORMAT: start a long check, Ctrl-C it after 2.5 s
    local start end
    start=$(date +%s%N)
    "$PRECALL" --stun "127.0.0.1:$port" --skip http,bandwidth --duration 60 --no-progress -f "$1" >"$WORK/out" 2>"$WORK/err" &
    local pid=$!
    sleep 2.5
    kill -INT "$pid"
    wait "$pid"
    rc=$?
    end=$(date +%s%N)
    elapsed_ms=$(((end - start) / 1000000))
}

interrupt json
[ "$rc" -eq 130 ] && ok || not_ok "json: exit $rc, expected 130: $(cat "$WORK/err")"
[ "$elapsed_ms" -lt 5000 ] && ok || not_ok "took ${elapsed_ms} ms to stop after Ctrl-C"
validate "$WORK/out"
"$PY" - "$WORK/out" <<'PY' && ok || not_ok "partial JSON report content"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["complete"] is False and r["interrupted"] is True, r
assert r["verdict"]["exit_code"] == 130
m = r["metrics"]
assert m["udp_reachable"] is True, m
assert m["rtt_median_ms"] is not None and m["probes_sent"] > 50, m
PY

interrupt text
[ "$rc" -eq 130 ] && ok || not_ok "text: exit $rc, expected 130"
grep -q "^INCOMPLETE: interrupted" "$WORK/out" && ok || not_ok "text report not marked incomplete: $(head -3 "$WORK/out")"

# The hard deadline: --timeout 3 ends a 60-second check in time. The check
# is planned within it (2.7 s, a tenth kept) and says so, so it ends
# complete rather than cut. (A deadline that cuts a probe: test_dns_stall.)
# The test machine has no microphone (not ready on its own): the devices are
# left out.
"$PY" "$SRC/tests/cli/profile_without.py" "$SRC/data/profiles/therapy.json" "$WORK/net.json" \
    devices bandwidth
start=$(date +%s%N)
run --stun "127.0.0.1:$port" --skip devices,http,bandwidth -p "$WORK/net.json" --duration 60 --timeout 3 --json --no-progress
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
[ "$elapsed_ms" -lt 3500 ] && ok || not_ok "--timeout 3 ran ${elapsed_ms} ms"
expect_rc 0 "--timeout with a clean loopback server"
validate "$out"
expect_err "precall: --duration 60 does not fit before --timeout 3: the check takes 2.7 seconds"
"$PY" - "$out" <<'PY' && ok || not_ok "report planned within the deadline"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["complete"] is True and r["deadline_hit"] is False and r["interrupted"] is False, r
assert r["probes"]["udp"]["status"] == "ok", r["probes"]["udp"]
assert r["duration_ms"] < 3000, r["duration_ms"]
# 2.7 s of budget, three quarters of it for udp's stream at 100 a second.
assert 50 <= r["metrics"]["probes_sent"] < 300, r["metrics"]
PY
finish
