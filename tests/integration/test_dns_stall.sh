#!/bin/bash
# integration.dns_stall: a resolver that never answers (its queries are
# dropped by the router; resolv.conf lets one lookup wait 30 s). Every lookup
# must stay bounded: by its own 2 s limit, by --timeout, and by Ctrl-C.
. "$(dirname "$0")/netns.sh"
nt_setup_stun_test
nt_block_udp
printf 'nameserver %s\noptions timeout:30 attempts:3\n' "$NT_STUN1" \
    >"/etc/netns/$NT_NS_CLIENT/resolv.conf"
NAME=stalled.precall.test

within() { # LIMIT_S WHAT: NT_WALL_S must be under LIMIT_S
    if awk -v w="$NT_WALL_S" -v l="$1" 'BEGIN { exit !(w < l) }'; then
        nt_pass "$2 ended in $NT_WALL_S s (< $1 s)"
    else
        nt_fail "$2 took $NT_WALL_S s (limit $1 s)"
    fi
}

# The lookups' own limit: 2 s in the dns probe, 2 s in the udp probe.
J=$NT_TMP/stall.json
nt_precall "$NT_NS_CLIENT" "$J" check --only dns,udp --stun "$NAME" --json --no-progress
nt_validate_report "$J"
nt_expect_rc 2
within 6 "a check whose resolver never answers"
nt_check "$J" 'r["probes"]["dns"]["status"] == "failed"' "dns probe failed"
nt_check "$J" '"timed out" in r["probes"]["dns"]["reason"]' "dns probe says the lookup timed out"
nt_check "$J" '"dns-failed" in ids or "offline" in ids' "advice explains the failed lookup"

# --timeout cuts the wait short.
J=$NT_TMP/stall-timeout.json
nt_precall "$NT_NS_CLIENT" "$J" check --only dns,udp --stun "$NAME" --timeout 1 --json \
    --no-progress
nt_validate_report "$J"
within 1.6 "--timeout 1"
nt_check "$J" 'r["complete"] is False' "report marked incomplete"

# Ctrl-C during the lookup: exit 130 at once with the partial report.
J=$NT_TMP/stall-sigint.json
t0=$(date +%s%N)
ip netns exec "$NT_NS_CLIENT" "$PRECALL_BIN" --only dns,udp --stun "$NAME" --json \
    --no-progress >"$J" 2>"$J.stderr" </dev/null &
pid=$!
sleep 0.5
kill -INT "$pid"
wait "$pid"
NT_RC=$?
NT_WALL_S=$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
nt_expect_rc 130
within 1.2 "Ctrl-C during a lookup"
nt_validate_report "$J"
nt_check "$J" 'r["interrupted"] is True and r["complete"] is False' "report marked interrupted"
nt_done
