#!/bin/bash
# integration.offline: a namespace with nothing but loopback. precall with its
# default (named) servers: every lookup fails, nothing leaves the namespace.
# Expect exit 2, advice "offline", and the run over well within its budget.
. "$(dirname "$0")/netns.sh"
nt_require_root
nt_require_precall
nt_isolated ISO

J=$NT_TMP/offline.json
nt_precall "$ISO" "$J" check --only dns,udp --json --no-progress
nt_validate_report "$J"
nt_expect_rc 2
nt_check "$J" '"offline" in ids' "advice contains offline"
nt_check "$J" 'm["udp_reachable"] is not True' "udp_reachable is not true"
nt_check "$J" 'r["verdict"]["exit_code"] == 2' "verdict.exit_code is 2"
nt_check "$J" 'r["verdict"]["label"] == "Not ready: no internet connection"' "verdict says offline"
if awk -v w="$NT_WALL_S" 'BEGIN { exit !(w < 15) }'; then
    nt_pass "finished in $NT_WALL_S s (< 15 s)"
else
    nt_fail "took $NT_WALL_S s (limit 15 s)"
fi

# Plain 'precall', as a client would run it: the text verdict comes first.
T=$NT_TMP/offline.txt
ip netns exec "$ISO" "$PRECALL_BIN" >"$T" 2>"$T.stderr" </dev/null
rc=$?
[ "$rc" -eq 2 ] && nt_pass "plain precall exits 2" || nt_fail "plain precall exit $rc"
if [ "$(head -n 1 "$T")" = "Not ready: no internet connection" ]; then
    nt_pass "text report starts with the offline verdict"
else
    nt_fail "text report starts with: $(head -n 1 "$T")"
fi
grep -q '\[offline\]' "$T" && nt_pass "text advice names offline" || nt_fail "no [offline] advice in the text"
nt_done
