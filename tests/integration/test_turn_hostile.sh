#!/bin/bash
# integration.turn_hostile: broken and hostile relays end within the time of
# the check, each with its reason (tests/integration/hostile_turn.py over UDP
# on loopback of an isolated namespace):
#   silent      an allocation that never answers: relay-unreachable
#   endless401  401 whatever the credentials: relay-credentials
#   stale       438 with a new nonce every time: relay-faulty, "nonce"
#   badmi       a success with a wrong MESSAGE-INTEGRITY: relay-faulty
#   noperm      allocations work, permissions refused (403): relay-refused,
#               the relay allocated but carried no media
#   sha256      a relay that offers SHA-256 (RFC 8489 9.2): precall allocates
#               with the SHA-256 key and MESSAGE-INTEGRITY-SHA256 (the fixture
#               takes nothing else) and verifies the answers' (then as noperm)
#   sha256bad   the same, answers with a wrong MESSAGE-INTEGRITY-SHA256:
#               relay-faulty
#   md5cookie   SHA-256 listed but no nonce cookie: the MD5 way (as noperm)
. "$(dirname "$0")/netns.sh"
nt_require_root
nt_require_precall
nt_isolated ISO
nt_tmpdir
export PRECALL_TURN_USER=alice PRECALL_TURN_PASSWORD=wonderland
PORT=3478

serve() { # serve MODE: start the fixture, run precall against it, stop the fixture
    local mode=$1 pid
    F=$NT_TMP/$mode
    J=$NT_TMP/$mode.json
    nt_bg "$ISO" "$F.log" "$NT_PY" "$PRECALL_SRC/tests/integration/hostile_turn.py" \
        --listen "127.0.0.1:$PORT" --mode "$mode" --ready "$F.ready" \
        --user "$PRECALL_TURN_USER" --password "$PRECALL_TURN_PASSWORD"
    pid=$NT_LAST_PID
    nt_wait_file "$F.ready" || { cat "$F.log" >&2; nt_fail "hostile_turn --mode $mode did not start"; }
    nt_precall "$ISO" "$J" check --only turn --turn "turn:127.0.0.1:$PORT" --duration 3 --timeout 8 \
        --json --no-progress
    nt_stop "$pid"
    nt_validate_report "$J"
    nt_expect_rc 3
    nt_check "$J" 'r["duration_ms"] < 3500' "$mode: ends within the check's time"
    nt_check "$J" 'r["probes"]["turn"]["status"] == "failed"' "$mode: the relay check failed"
}
scope='next(x["metrics"] for x in r["scopes"] if x["id"] == "turn:127.0.0.1:3478")'

serve silent
nt_check "$J" 'r["probes"]["turn"]["cause"] == "relay-unreachable"' "silent: relay-unreachable"
nt_check "$J" '"did not answer in time" in r["probes"]["turn"]["reason"]' "silent: did not answer in time"
nt_log "silent: $(cat "$F.ready.count") requests (retransmitted)"
[ "$(cat "$F.ready.count")" -ge 3 ] && nt_pass "silent: the request was retransmitted" ||
    nt_fail "silent: only $(cat "$F.ready.count") requests"

serve endless401
nt_check "$J" 'r["probes"]["turn"]["cause"] == "relay-credentials"' "endless401: relay-credentials"
[ "$(cat "$F.ready.count")" -eq 2 ] && nt_pass "endless401: two requests, no loop" ||
    nt_fail "endless401: $(cat "$F.ready.count") requests"

serve stale
nt_check "$J" 'r["probes"]["turn"]["cause"] == "relay-faulty"' "stale: relay-faulty"
nt_check "$J" '"nonce kept changing" in r["probes"]["turn"]["reason"]' "stale: the nonce kept changing"
[ "$(cat "$F.ready.count")" -eq 5 ] && nt_pass "stale: 1 + 4 requests" ||
    nt_fail "stale: $(cat "$F.ready.count") requests"

serve badmi
nt_check "$J" 'r["probes"]["turn"]["cause"] == "relay-faulty"' "badmi: relay-faulty"
nt_check "$J" '"MESSAGE-INTEGRITY" in r["probes"]["turn"]["reason"]' "badmi: the reason names the integrity"
nt_check "$J" "$scope[\"relay_reachable\"] is False" "badmi: not counted as allocated"

serve noperm
nt_check "$J" 'r["probes"]["turn"]["cause"] == "relay-refused"' "noperm: relay-refused"
nt_check "$J" '"permission" in r["probes"]["turn"]["reason"]' "noperm: the reason names the permission"
nt_check "$J" "$scope[\"relay_reachable\"] is True and $scope[\"relay_error\"] == \"relay-refused\"" \
    "noperm: allocated, with the error"
nt_check "$J" 'r["metrics"]["relay_reachable"] is False' "noperm: no usable relay in the run"

serve sha256
nt_check "$J" 'r["probes"]["turn"]["cause"] == "relay-refused"' "sha256: allocated, then the permission refused"
nt_check "$J" "$scope[\"relay_reachable\"] is True" "sha256: allocated with MESSAGE-INTEGRITY-SHA256"
[ "$(cat "$F.ready.sha256" 2>/dev/null)" = ok ] && nt_pass "sha256: the relay verified a SHA-256 request" ||
    nt_fail "sha256: no request with a right MESSAGE-INTEGRITY-SHA256"

serve sha256bad
nt_check "$J" 'r["probes"]["turn"]["cause"] == "relay-faulty"' "sha256bad: relay-faulty"
nt_check "$J" "$scope[\"relay_reachable\"] is False" "sha256bad: not counted as allocated"

serve md5cookie
nt_check "$J" 'r["probes"]["turn"]["cause"] == "relay-refused"' "md5cookie: allocated the MD5 way"
nt_check "$J" "$scope[\"relay_reachable\"] is True" "md5cookie: allocated"
nt_done
