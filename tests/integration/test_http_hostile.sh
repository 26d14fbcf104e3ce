#!/bin/bash
# integration.http_hostile: a speed-test server that misbehaves (the fixture
# hostile_http.py on 198.18.1.4:443 with a certificate of the test CA). For
# each way of failing, the http and bandwidth probes end within their budget
# with a reason a person can read and a cause id of the server's side, and the
# rest of the report stands (the udp probe's figures, a valid JSON report):
#   status    503 on every request
#   redirect  a redirect loop
#   plain     plain HTTP on the TLS port
#   silent    accepts, never answers
#   stall     the download stops in the middle
#   close     the connection closes after half of what it announced
#   short     sends less than asked (a smaller Content-Length)
. "$(dirname "$0")/netns.sh"
. "$(dirname "$0")/nginx.sh"
nt_setup_stun_test
nt_make_test_ca
ip -n "$NT_NS_SERVER" addr add "$NT_SPEED_ADDR/24" dev "pc${NT_ID}sb" || nt_fail "address $NT_SPEED_ADDR"
nt_hosts_add "$NT_NS_CLIENT" "$NT_SPEED_ADDR" "$NT_SPEED_NAME"

DURATION=6
# mode | probe that names it | its status | cause | words of the reason. The server's
# refusal or fault leaves the speed checks out (skipped); a refusal after an answer leaves
# the http probe's timings standing (ok, the refusal in its reason).
CASES=(
    "status|http|ok||refused the test: HTTP 503"
    "status|bandwidth|*|server-refused|refused the test: HTTP 503"
    "redirect|http|skipped|server-faulty|redirects in a loop"
    "plain|http|skipped|server-faulty|does not speak TLS"
    "silent|http|skipped|server-faulty|never answered"
    "stall|bandwidth|*|server-faulty|stopped sending"
    "close|bandwidth|*|server-faulty|closed the connection early"
    "short|bandwidth|*|server-faulty|sent 1000 bytes where"
)
for c in "${CASES[@]}"; do
    IFS='|' read -r mode probe status cause words <<<"$c"
    nt_bg "$NT_NS_SERVER" "$NT_TMP/hostile-$mode.log" "$NT_PY" "$(dirname "$0")/hostile_http.py" \
        "$mode" "$NT_SPEED_ADDR" 443 "$NT_SERVER_CERT" "$NT_SERVER_KEY"
    pid=$NT_LAST_PID
    nt_wait_file "$NT_TMP/hostile-$mode.log" 100
    for i in $(seq 1 100); do grep -q ready "$NT_TMP/hostile-$mode.log" && break; sleep 0.05; done
    J=$NT_TMP/$mode.json
    nt_precall "$NT_NS_CLIENT" "$J" check --server "$NT_SPEED_URL" --cacert "$NT_CA" \
        --stun "$NT_STUN1:$NT_STUN_PORT" --duration "$DURATION" --json --no-progress
    nt_validate_report "$J"
    # (the bandwidth probe's status, skipped or failed, is bandwidth.c's: '*' leaves it open)
    [ "$status" = "*" ] ||
        nt_check "$J" 'r["probes"]["'"$probe"'"]["status"] == "'"$status"'"' "$mode: the $probe probe $status"
    nt_check "$J" '(r["probes"]["'"$probe"'"]["cause"] or "") == "'"$cause"'"' "$mode: cause '$cause'"
    nt_check "$J" '"'"$words"'" in r["probes"]["'"$probe"'"]["reason"]' "$mode: the reason says '$words'"
    nt_check "$J" 'r["probes"]["bandwidth"]["status"] in ("failed", "skipped")' "$mode: no speed without a working server"
    nt_check "$J" 'm["download_mbps"] is None or r["probes"]["bandwidth"]["status"] != "ok"' \
        "$mode: no figure claimed"
    nt_check "$J" 'r["probes"]["udp"]["status"] == "ok" and m["rtt_median_ms"] is not None' \
        "$mode: the rest of the report stands"
    nt_check "$J" 'r["probes"]["bandwidth"]["duration_ms"] <= 0.6 * '"$DURATION"' * 1000 + 1500' \
        "$mode: the bandwidth probe ended within its budget"
    awk -v w="$NT_WALL_S" -v d="$DURATION" 'BEGIN { exit !(w < d + 3) }' ||
        nt_check "$J" 'False' "$mode: the check ended within its budget (${NT_WALL_S} s)"
    nt_stop "$pid"
done
nt_done
