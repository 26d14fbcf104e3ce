# turn.sh - a TURN relay for the relay check's integration tests (bash; source
# after netns.sh, once nt_setup has run).
#
#   nt_start_turn [ARGS...]   coturn as a TURN server in the server ns on
#                             198.18.1.6 (NT_TURN_ADDR), name turn.precall.test
#                             in the client's hosts file: long-term credentials
#                             (user NT_TURN_USER, password NT_TURN_PASS, realm
#                             precall.test) and, with NT_TURN_REST=1, the REST
#                             scheme with the secret NT_TURN_SECRET instead;
#                             UDP and TCP on 3478, TLS on 5349 with a
#                             certificate of a test CA made for the run
#                             (NT_TURN_CA). Relayed ports 49152-49407 on the
#                             same address. Extra ARGS go to turnserver.
#                             Waits until the TLS port accepts.
#
# Variables: NT_TURN_ADDR, NT_TURN_NAME, NT_TURN_USER, NT_TURN_PASS,
# NT_TURN_SECRET, NT_TURN_CA, NT_TURN_PID.
NT_TURN_ADDR=198.18.1.6
NT_TURN_NAME=turn.precall.test
NT_TURN_USER=clinic
NT_TURN_PASS='c0rrect horse'
NT_TURN_SECRET=northwind-shared-secret
NT_TURN_CA=""
NT_TURN_PID=""

nt_start_turn() {
    local dir auth i
    command -v turnserver >/dev/null 2>&1 || nt_skip "coturn 'turnserver' not installed"
    nt_tmpdir
    dir=$NT_TMP/turn
    mkdir -p "$dir"
    bash "$(dirname "${BASH_SOURCE[0]}")/make_test_ca.sh" "$dir/ca" "$NT_TURN_NAME" "$NT_TURN_ADDR" \
        >/dev/null || nt_fail "make_test_ca.sh for the relay"
    NT_TURN_CA=$dir/ca/ca.pem
    if ! ip -n "$NT_NS_SERVER" -4 addr show dev "pc${NT_ID}sb" | grep -q "inet $NT_TURN_ADDR/"; then
        ip -n "$NT_NS_SERVER" addr add "$NT_TURN_ADDR/24" dev "pc${NT_ID}sb" || nt_fail "address $NT_TURN_ADDR"
    fi
    nt_hosts_add "$NT_NS_CLIENT" "$NT_TURN_ADDR" "$NT_TURN_NAME"
    if [ "${NT_TURN_REST:-0}" = 1 ]; then
        auth=(--use-auth-secret --static-auth-secret "$NT_TURN_SECRET")
    else
        auth=(--lt-cred-mech --user "$NT_TURN_USER:$NT_TURN_PASS")
    fi
    NT_BG_CWD=$dir nt_bg "$NT_NS_SERVER" "$dir/log" turnserver -n \
        --listening-ip "$NT_TURN_ADDR" --relay-ip "$NT_TURN_ADDR" --listening-port 3478 \
        --tls-listening-port 5349 --cert "$dir/ca/server.pem" --pkey "$dir/ca/server.key" \
        --realm precall.test "${auth[@]}" --no-dtls --no-cli --no-rfc5780 \
        --min-port 49152 --max-port 49407 --relay-threads 1 \
        --log-file stdout --simple-log --userdb "$dir/turndb" --pidfile "$dir/pid" "$@"
    NT_TURN_PID=$NT_LAST_PID
    for i in $(seq 1 100); do
        if ip netns exec "$NT_NS_CLIENT" bash -c "exec 3<>/dev/tcp/$NT_TURN_ADDR/5349" 2>/dev/null; then
            nt_log "coturn relay on $NT_TURN_ADDR (3478 udp/tcp, 5349 tls)"
            return 0
        fi
        sleep 0.1
    done
    nt_dump_logs
    nt_fail "coturn relay on $NT_TURN_ADDR did not accept on 5349 within ~10 s"
}
