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
if awk -v w="$NT_WALL_S" 'BEGIN { exit !(w < 15) }'; then
    nt_pass "finished in $NT_WALL_S s (< 15 s)"
else
    nt_fail "took $NT_WALL_S s (limit 15 s)"
fi
nt_done
