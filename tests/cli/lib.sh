# lib.sh - shared helpers of the black-box CLI tests (sourced).
# Each test runs the real program; $PRECALL is its path, $SRC the source root.
set -u
PRECALL=${PRECALL:?PRECALL must name the precall binary}
SRC=${SRC:?SRC must name the source root}
PY=${PY:-/usr/bin/python3}
# As root (CI), every CLI test runs in a network namespace of its own with
# only loopback: a default server name or the public speed-test server can
# never send a packet, not even a DNS query, off this machine.
if [ -z "${PC_NETNS_ISOLATED:-}" ] && [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null; then
    export PC_NETNS_ISOLATED=1
    exec unshare -n sh -c 'ip link set lo up && exec bash "$@"' sh "$0" "$@"
fi
WORK=$(mktemp -d)
# A check's history (and its "worse than usual" advice) stays in this test's folder.
export XDG_STATE_HOME=$WORK/state
trap 'rm -rf "$WORK"' EXIT
passed=0
failed=0

# skip REASON: exit 77, which ctest counts as skipped (SKIP_RETURN_CODE);
# with CI=true a test never skips: it fails instead.
skip() {
    if [ "${CI:-}" = true ]; then
        echo "FAIL (CI=true, skipping not allowed): $*" >&2
        exit 1
    fi
    echo "skipped: $*"
    exit 77
}

ok() { passed=$((passed + 1)); }
not_ok() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

# run ARGS...: runs precall, sets $rc, $out (stdout file), $err (stderr file)
run() {
    out=$WORK/out
    err=$WORK/err
    "$PRECALL" "$@" >"$out" 2>"$err" </dev/null
    rc=$?
}

expect_rc() { [ "$rc" -eq "$1" ] && ok || not_ok "${2:-}: exit $rc, expected $1 ($(head -c 300 "$err"))"; }
expect_out() { grep -qF -- "$1" "$out" && ok || not_ok "stdout lacks '$1'"; }
expect_err() { grep -qF -- "$1" "$err" && ok || not_ok "stderr lacks '$1': $(cat "$err")"; }
expect_err_lines() { [ "$(wc -l <"$err")" -eq "$1" ] && ok || not_ok "stderr has $(wc -l <"$err") lines, expected $1: $(cat "$err")"; }
expect_empty_out() { [ ! -s "$out" ] && ok || not_ok "stdout not empty: $(head -c 200 "$out")"; }
validate() { "$PY" "$SRC/tests/schema/validate.py" "$1" && ok || not_ok "$1 fails the schema"; }

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}

# start_coturn: a STUN-only coturn on 127.0.0.1:$port (port picked from the
# PID), stopped at exit; skips without coturn (fails under CI=true).
# start_stun_echo: a STUN server on loopback that answers every request
# (stun_echo.py), stopped at exit; sets $port.
start_stun_echo() {
    "$PY" "$SRC/tests/cli/stun_echo.py" >"$WORK/port" &
    stun_echo=$!
    trap 'kill $stun_echo 2>/dev/null; wait $stun_echo 2>/dev/null; rm -rf "$WORK"' EXIT
    for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
    port=$(cat "$WORK/port")
}

start_coturn() {
    command -v turnserver >/dev/null || skip "coturn (turnserver) is not installed"
    port=$((20000 + $$ % 20000))
    mkdir -p "$WORK/coturn"
    (cd "$WORK/coturn" && exec turnserver -n --stun-only --listening-ip 127.0.0.1 \
        --listening-port "$port" --no-tcp --no-tls --no-dtls --no-cli --no-rfc5780 \
        --relay-threads 1 --log-file stdout --simple-log --userdb "$WORK/coturn/db" \
        --pidfile "$WORK/coturn/pid") >"$WORK/coturn/log" 2>&1 &
    coturn=$!
    trap 'kill $coturn 2>/dev/null; wait $coturn 2>/dev/null; rm -rf "$WORK"' EXIT
    for _ in $(seq 50); do
        "$PY" "$SRC/tests/cli/stun_ping.py" 127.0.0.1 "$port" 0.2 && break
    done
}
