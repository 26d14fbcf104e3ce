#!/bin/bash
# The relay options: --turn needs credentials (both of PRECALL_TURN_USER and
# PRECALL_TURN_PASSWORD, a --turn-credentials file of two lines, or a
# --turn-secret-file); bad URIs and files are refused before any traffic,
# never quoting what a file holds; without --turn the probe is left out; a
# relay that refuses the connection (loopback, a closed port) is
# relay-unreachable, and the password is never printed.
. "$(dirname "$0")/lib.sh"
unset PRECALL_TURN_USER PRECALL_TURN_PASSWORD

usage_error() {
    run "$@"
    expect_rc 64 "$*"
    expect_err_lines 1
    expect_err "(try 'precall "
    expect_empty_out
}

# No credentials, or half of them.
usage_error --turn turn:127.0.0.1:9
expect_err "--turn: no credentials for the relay"
PRECALL_TURN_USER=u usage_error --turn turn:127.0.0.1:9
expect_err "--turn: no credentials for the relay"
PRECALL_TURN_PASSWORD=p usage_error --turn turn:127.0.0.1:9
expect_err "--turn: no credentials for the relay"
PRECALL_TURN_USER= PRECALL_TURN_PASSWORD=p usage_error --turn turn:127.0.0.1:9
# Bad URIs, too many relays.
export PRECALL_TURN_USER=alice PRECALL_TURN_PASSWORD='pa55 w0rd'
usage_error --turn stun:127.0.0.1
expect_err "--turn: 'stun:127.0.0.1': expected turn:HOST[:PORT] or turns:HOST[:PORT]"
usage_error --turn 'turns:127.0.0.1?transport=udp'
usage_error --turn turn:127.0.0.1:70000
usage_error --turn turn:a --turn turn:b --turn turn:c --turn turn:d --turn turn:e
expect_err "--turn: at most 4 relays"

# Credential files: two lines, never quoted back.
printf 'alice\n' >"$WORK/one-line"
run --turn turn:127.0.0.1:9 --turn-credentials "$WORK/one-line"
expect_rc 65 "a credentials file without a password line"
expect_err "must hold the user name on its first line and the password on its second"
grep -q alice "$err" && not_ok "the user name is quoted on stderr" || ok
printf 'alice\n\n' >"$WORK/empty-pass"
run --turn turn:127.0.0.1:9 --turn-credentials "$WORK/empty-pass"
expect_rc 65 "an empty password line"
run --turn turn:127.0.0.1:9 --turn-credentials "$WORK/nosuch"
expect_rc 66 "a missing credentials file"
run --turn turn:127.0.0.1:9 --turn-secret-file "$WORK/nosuch"
expect_rc 66 "a missing secret file"
: >"$WORK/empty"
run --turn turn:127.0.0.1:9 --turn-secret-file "$WORK/empty"
expect_rc 65 "an empty secret file"

# Without --turn the relay check is left out, and takes no time of the plan.
run check --only dns --stun 127.0.0.1:9 --json --duration 1
validate "$out"
"$PY" -c 'import json,sys; p=json.load(open(sys.argv[1]))["probes"]["turn"]; sys.exit(0 if p["status"]=="skipped" else 1)' "$out" &&
    ok || not_ok "turn not skipped without --turn"
# Selected (not left out by --only/--skip) but no relay given: skipped with its own reason,
# in JSON and in the -v text; --skip turn still reads as the user's choice.
others=dns,http,udp,bandwidth,system,devices,traffic
turn_probe() { # turn_probe EXPECTED-STATUS EXPECTED-CAUSE EXPECTED-REASON
    "$PY" -c 'import json,sys; p=json.load(open(sys.argv[1]))["probes"]["turn"]
sys.exit(0 if [p["status"], p["cause"], p["reason"]] == sys.argv[2:5] else 1)' "$out" "$@" &&
        ok || not_ok "turn probe: $(cat "$out" | head -c 600), expected $*"
}
run check --skip "${others#dns,}" --stun 127.0.0.1:9 --json --duration 1 --no-progress
expect_rc 3 "no relay given, only dns with no names"
validate "$out"
turn_probe skipped no-relay "no relay given: --turn URI"
run check --skip "${others#dns,}" --stun 127.0.0.1:9 --duration 1 --no-progress -v
expect_out "  turn: skipped - no relay given: --turn URI ("
run check --skip "${others#dns,},turn" --stun 127.0.0.1:9 --json --duration 1 --no-progress
turn_probe skipped not-selected "not selected (--only/--skip)"
run check --skip "${others#dns,},turn" --stun 127.0.0.1:9 --duration 1 --no-progress -v
expect_out "  turn: skipped - not selected (--only/--skip) ("
# --only turn without a relay: nothing to run, a usage error.
usage_error check --only turn
expect_err "--only/--skip: nothing left to run"

# A relay on a closed port of loopback: refused at once, relay-unreachable.
printf 'alice\npa55 w0rd\n' >"$WORK/creds"
unset PRECALL_TURN_USER PRECALL_TURN_PASSWORD
for t in turn:127.0.0.1:9 'turn:127.0.0.1:9?transport=tcp' turns:127.0.0.1:9; do
    run check --only turn --turn "$t" --turn-credentials "$WORK/creds" --json --duration 2
    expect_rc 3 "$t"
    validate "$out"
    "$PY" - "$out" "$t" <<'PY' && ok || not_ok "$t: not relay-unreachable: $(head -c 600 "$out")"
import json, sys
r = json.load(open(sys.argv[1]))
p = r["probes"]["turn"]
s = next(x["metrics"] for x in r["scopes"] if x["id"] == sys.argv[2])
ok = (p["status"] == "failed" and p["cause"] == "relay-unreachable" and
      s["relay_reachable"] is False and s["relay_error"] == "relay-unreachable" and
      r["duration_ms"] < 2000)
sys.exit(0 if ok else 1)
PY
    grep -q 'pa55' "$out" "$err" && not_ok "$t: the password is printed" || ok
done
finish
