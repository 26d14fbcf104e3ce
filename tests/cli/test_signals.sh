#!/bin/bash
# SIGINT, SIGTERM and SIGHUP stop the check, not the program: the partial
# report is printed, marked incomplete, and the exit status is 128 + the
# signal (130, 143, 129). A signal ignored by whoever started precall
# (nohup) stays ignored. A local STUN server (stun_echo.py) on loopback
# keeps the check running.
. "$(dirname "$0")/lib.sh"

start_stun_echo
"$PY" "$SRC/tests/cli/stun_ping.py" 127.0.0.1 "$port" 2 && ok || not_ok "the local STUN server does not answer"
check="--stun 127.0.0.1:$port --skip http,bandwidth,devices,system --duration 60 --no-progress"

stop_with() { # SIGNAL FORMAT [PRE]: start a long check, send SIGNAL after 1.5 s
    local start pid
    start=$(date +%s%N)
    # shellcheck disable=SC2086
    ${3:-} "$PRECALL" $check -f "$2" >"$WORK/out" 2>"$WORK/err" </dev/null &
    pid=$!
    sleep 1.5
    kill -s "$1" "$pid"
    wait "$pid"
    rc=$?
    elapsed_ms=$((($(date +%s%N) - start) / 1000000))
}

report_is() { # FILE EXIT: a whole JSON report, incomplete, interrupted, with that exit code
    validate "$1"
    "$PY" - "$1" "$2" <<'PY' && ok || not_ok "partial JSON report ($2)"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["complete"] is False and r["interrupted"] is True, r
assert r["verdict"]["exit_code"] == int(sys.argv[2]), r["verdict"]
assert r["metrics"]["udp_reachable"] is True and r["metrics"]["probes_sent"] > 20, r["metrics"]
PY
}

for s in TERM:143 HUP:129 INT:130; do
    sig=${s%:*} code=${s#*:}
    stop_with "$sig" json
    [ "$rc" -eq "$code" ] && ok || not_ok "SIG$sig: exit $rc, expected $code: $(cat "$WORK/err")"
    [ "$elapsed_ms" -lt 5000 ] && ok || not_ok "SIG$sig: took ${elapsed_ms} ms to stop"
    [ ! -s "$WORK/err" ] && ok || not_ok "SIG$sig: stderr: $(cat "$WORK/err")"
    report_is "$WORK/out" "$code"
    stop_with "$sig" text
    [ "$rc" -eq "$code" ] && ok || not_ok "SIG$sig text: exit $rc, expected $code"
    grep -qx "INCOMPLETE: interrupted (SIG$sig); these results are partial." "$WORK/out" && ok ||
        not_ok "SIG$sig: text report not marked: $(head -2 "$WORK/out")"
done

# timeout(1) ends a check with SIGTERM: the whole report still comes out.
# (2 s, not 1: on a busy shared machine the first second may measure too
# little for report_is, which wants more than 20 probes.)
timeout --preserve-status -s TERM 2 "$PRECALL" $check --json >"$WORK/out" 2>"$WORK/err"
rc=$?
[ "$rc" -eq 143 ] && ok || not_ok "timeout -s TERM 2: exit $rc, expected 143"
report_is "$WORK/out" 143

# -o FILE: the partial report is written there, as a whole.
"$PRECALL" $check --json -o "$WORK/r.json" >"$WORK/out" 2>"$WORK/err" &
pid=$!
sleep 1.5
kill -TERM $pid
wait $pid
rc=$?
[ "$rc" -eq 143 ] && ok || not_ok "-o and SIGTERM: exit $rc"
report_is "$WORK/r.json" 143

# Under nohup SIGHUP is ignored and stays so: the check runs on.
"$PRECALL" $check --json >"$WORK/out" 2>"$WORK/err" &
pid=$!
sleep 1
kill -HUP $pid 2>/dev/null # (bash's background job: SIGHUP is not ignored here)
wait $pid
[ $? -eq 129 ] && ok || not_ok "SIGHUP to a plain background job"
nohup "$PRECALL" $check --json >"$WORK/out" 2>"$WORK/err" &
pid=$!
sleep 1
kill -HUP $pid
sleep 0.5
kill -0 $pid 2>/dev/null && ok || not_ok "SIGHUP stopped precall under nohup"
kill -TERM $pid
wait $pid
rc=$?
[ "$rc" -eq 143 ] && ok || not_ok "nohup, then SIGTERM: exit $rc, expected 143"
report_is "$WORK/out" 143
finish
