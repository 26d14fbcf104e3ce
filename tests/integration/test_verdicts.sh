#!/bin/bash
# integration.verdicts: a verdict is never made of what the run did to
# itself. A short --timeout is a budget the probe measures within (or a plain
# "the time was too short"), never a network fault; Ctrl-C is an
# interruption, never "the server stopped answering" nor "Restart your
# router", and an interrupted report is never ready.
#
# Before the rework: --timeout 1 measured nothing in 0.05 s and said "Not
# ready" (the server stopped answering); --timeout 1.1 measured 0.1 s and
# said "Ready for HD video"; Ctrl-C in the first 50 ms gave "the server
# stopped answering", during a stalled lookup dns-failed ("Restart your
# router"), and after that an interrupted report with verdict.ready true.
#
# A clean path: client - router - two coturn servers, no impairment.
. "$(dirname "$0")/netns.sh"
. "$(dirname "$0")/checks.sh"
nt_setup_stun_test
nt_udp_checks
STUN=(--stun "$NT_STUN1:$NT_STUN_PORT" --stun "$NT_STUN2:$NT_STUN_PORT" "${NT_UDP_ONLY[@]}")
FAULTS='["udp-blocked", "server-stopped", "dns-failed", "offline", "name-not-found"]'
INTERRUPTED="No verdict: the check was interrupted before it finished"
# The probes the time limit ended are named: "the udp check", "the dns and udp checks".
SHORT="No verdict: the time limit ended the "

# 1. --timeout 1 and 1.1 on a clean path: the probe spends most of the time
# measuring (>= 20 probes at 100/s; ~80 when the machine is idle) and the
# link is ready -- or, if too little time was left, the report says exactly
# that. Never a fault of the network.
for t in 1 1.1; do
    J=$NT_TMP/timeout-$t.json
    nt_precall "$NT_NS_CLIENT" "$J" check "${STUN[@]}" --timeout "$t" --json --no-progress
    nt_validate_report "$J"
    awk -v w="$NT_WALL_S" 'BEGIN { exit !(w < 3) }' || tc_fail "--timeout $t: the run took $NT_WALL_S s"
    tc_py "$J" "--timeout $t: measured for most of the time and ready, or 'time too short'" <<PY
v = r["verdict"]
udp = r["probes"]["udp"]
faults = $FAULTS
assert "stopped answering" not in (udp["reason"] or ""), udp
assert not set(ids) & set(faults), ("advice about a fault nobody saw", ids)
assert v.get("cause") not in faults and udp.get("cause") not in faults, (v, udp)
if v.get("cause") == "time-too-short":
    assert v["label"].startswith("$SHORT") and v["label"].endswith(" too early to measure"), v
    assert v["ready"] is False and v["exit_code"] == $NT_RC, v
    assert "time-too-short" in ids, ids
    print("  (the machine was too busy: '$SHORT')")
else:
    assert m["probes_sent"] is not None and m["probes_sent"] >= 20, ("measured too little", m["probes_sent"], udp)
    assert m["udp_reachable"] is True and m["rtt_median_ms"] is not None, m
    assert v["label"] == "Ready for HD video" and v["ready"] is True, v
    assert $NT_RC == 0, $NT_RC
PY
done

# 2. Ctrl-C in the first ~50 ms of the udp probe: as soon as its socket is
# open (before the first answer, or during discovery), and 30 ms later.
has_socket() { # PID: the process has a socket open
    local f
    for f in "/proc/$1/fd/"*; do
        [[ $(readlink "$f" 2>/dev/null) == socket:* ]] && return 0
    done
    return 1
}
sigint_early() { # DELAY OUT ARGS...: run precall in the client ns, SIGINT it
    local delay=$1 o=$2 pid n=0 # DELAY seconds after it opened its socket
    shift 2
    ip netns exec "$NT_NS_CLIENT" "$PRECALL_BIN" "$@" >"$o" 2>"$o.stderr" </dev/null &
    pid=$!
    while ! has_socket "$pid" && [ $((n += 1)) -le 400 ]; do # up to ~2 s to open it
        sleep 0.005
    done
    sleep "$delay"
    kill -INT "$pid"
    wait "$pid"
    NT_RC=$?
}

for delay in 0 0.03; do
    J=$NT_TMP/sigint-early-$delay.json
    sigint_early "$delay" "$J" "${STUN[@]}" --json --no-progress
    nt_expect_rc 130
    nt_validate_report "$J"
    tc_py "$J" "Ctrl-C $delay s after the socket opened: interrupted, not ready, no advice about faults" <<PY
v = r["verdict"]
udp = r["probes"]["udp"]
faults = $FAULTS
assert r["interrupted"] is True and r["complete"] is False, r["interrupted"]
assert v["ready"] is False and v["tier"] == "none" and v["exit_code"] == 130, v
assert v["label"] == "$INTERRUPTED", v
assert not set(ids) & set(faults), ids
assert v.get("cause") not in faults, v
assert udp["status"] == "interrupted" or any(w in (udp["reason"] or "") for w in
       ("interrupt", "signal", "Ctrl-C")), udp
assert udp["status"] != "failed", udp
assert "stopped answering" not in (udp["reason"] or ""), udp
print("  udp probe: %s, %s" % (udp["status"], udp["reason"]))
PY
done

T=$NT_TMP/sigint-early.txt
sigint_early 0.01 "$T" "${STUN[@]}" --no-progress --color never
nt_expect_rc 130
tc_line "$T" 1 "INCOMPLETE: interrupted (SIGINT); these results are partial." "text: marked interrupted"
tc_line "$T" 2 "$INTERRUPTED" "text: no verdict after Ctrl-C"
tc_lacks "$T" 'stopped answering|Restart your router|UDP is blocked|Ready for|Not ready' \
    "text: no fault named, no tier claimed"

# 3. Ctrl-C after a second of good measurements: still no verdict.
J=$NT_TMP/sigint-late.json
ip netns exec "$NT_NS_CLIENT" "$PRECALL_BIN" "${STUN[@]}" --json --no-progress >"$J" \
    2>"$J.stderr" </dev/null &
pid=$!
sleep 1
kill -INT "$pid"
wait "$pid"
NT_RC=$?
nt_expect_rc 130
nt_validate_report "$J"
tc_py "$J" "Ctrl-C after good measurements: measured, but never ready" <<PY
v = r["verdict"]
assert m["probes_answered"] and m["probes_answered"] > 0, m
assert v["ready"] is False and v["tier"] == "none" and v["label"] == "$INTERRUPTED", v
assert not set(ids) & set($FAULTS), ids
assert "time-too-short" not in ids, ids
PY
# Its text: every sentence about time is true (the user stopped it, the time limit did not).
T=$NT_TMP/sigint-late.txt
ip netns exec "$NT_NS_CLIENT" "$PRECALL_BIN" "${STUN[@]}" --no-progress --color never >"$T" \
    2>"$T.stderr" </dev/null &
pid=$!
sleep 1
kill -INT "$pid"
wait "$pid"
NT_RC=$?
nt_expect_rc 130
tc_line "$T" 2 "$INTERRUPTED" "text: no verdict after Ctrl-C with measurements"
tc_lacks "$T" 'enough time|time limit|too short' "text: no sentence blames the time limit"

# 4. Ctrl-C while a name lookup stalls: the resolver (198.18.1.2:53, behind
# the UDP block) never answers, and resolv.conf lets a lookup wait 30 s.
nt_block_udp
printf 'nameserver %s\noptions timeout:30 attempts:3\n' "$NT_STUN1" \
    >"/etc/netns/$NT_NS_CLIENT/resolv.conf"
for fmt in json text; do
    J=$NT_TMP/sigint-dns.$fmt
    ip netns exec "$NT_NS_CLIENT" "$PRECALL_BIN" --stun stalled.precall.test "${NT_UDP_ONLY[@]}" -f "$fmt" \
        --no-progress --color never >"$J" 2>"$J.stderr" </dev/null &
    pid=$!
    sleep 0.5
    kill -INT "$pid"
    wait "$pid"
    NT_RC=$?
    nt_expect_rc 130
done
J=$NT_TMP/sigint-dns.json
nt_validate_report "$J"
tc_py "$J" "Ctrl-C during a stalled lookup: interrupted, no dns-failed advice, not ready" <<PY
v = r["verdict"]
dns = r["probes"]["dns"]
assert v["ready"] is False and v["tier"] == "none" and v["label"] == "$INTERRUPTED", v
assert not set(ids) & set($FAULTS), ids
assert v.get("cause") not in $FAULTS, v
assert dns["status"] == "interrupted" or any(w in (dns["reason"] or "") for w in
       ("interrupt", "signal", "Ctrl-C")), dns
assert dns.get("cause") != "dns-failed", dns
PY
T=$NT_TMP/sigint-dns.text
tc_line "$T" 2 "$INTERRUPTED" "text: no verdict after Ctrl-C during a lookup"
tc_lacks "$T" 'Restart your router|could not be looked up|no internet|Not ready' \
    "text: no advice about a DNS fault nobody saw"
nt_done
