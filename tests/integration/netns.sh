# netns.sh - network namespace fixture for precall's integration tests (bash).
#
# Source this file; it defines functions and changes nothing until called.
#
# Topology built by nt_setup (names unique per run: they carry the shell's PID):
#
#   client ns                 router ns                      server ns
#   198.18.0.2/24 --veth-- 198.18.0.1/24 | 198.18.1.1/24 --veth-- 198.18.1.2/24
#                           ip_forward=1                      198.18.1.3/24
#
# The namespaces are joined only to each other, never to the host's network,
# so nothing sent inside them can leave the machine. nt_start_stun runs two
# coturn STUN-only servers in the server ns (198.18.1.2:3478, 198.18.1.3:3478).
#
# IPv6 (opt-in: NT_IPV6=1 before nt_setup) adds, on the same links:
#
#   2001:2::2/64 --veth-- 2001:2::1/64 | 2001:2:0:1::1/64 --veth-- 2001:2:0:1::2/64
#                          forwarding=1                       2001:2:0:1::3/64
#
# (2001:2::/48, RFC 5180 benchmarking space; addresses are added 'nodad' and
# usable at once, no router advertisements, no default route.) nt_start_stun
# then also has the two coturn instances listen on [2001:2:0:1::2]:3478 and
# [2001:2:0:1::3]:3478. Without NT_IPV6=1, IPv6 is disabled in the namespaces.
#
# Names without a DNS server: 'ip netns exec' bind-mounts /etc/netns/NAME/hosts
# over /etc/hosts. The client's hosts file maps stun1.precall.test to
# 198.18.1.2 and stun2.precall.test to 198.18.1.3 (and, with NT_IPV6=1,
# stun6.precall.test to 2001:2:0:1::2 only); nt_hosts_add adds more.
#
# Everything created is recorded and removed by nt_cleanup, which nt_setup
# installs as an EXIT trap (INT/TERM/HUP exit through it as well): processes
# started with nt_bg or nt_start_stun are killed, namespaces deleted, the
# per-namespace resolv.conf directories removed, the temp dir deleted.
#
# A run killed outright (SIGKILL) cannot clean up; the next run removes such
# leftovers (nt_sweep_stale). NT_WATCHDOG_S=N makes a test stop itself after
# N seconds, before ctest's TIMEOUT would SIGKILL it.
#
# Skipping: nt_require_root exits 77 with a reason when the fixture cannot
# run here, except when CI=true, where it exits 1 (tests never skip in CI).
#
# Functions:
#   nt_require_root                 skip (77) or fail (CI) unless root + ip netns
#   nt_setup                        create the three namespaces and the links
#                                   (NT_IPV6=1: with IPv6 addresses and routes)
#   nt_start_stun                   two coturn instances, waits until they answer
#   nt_isolated NAME_VAR            a namespace with only loopback (up); name
#                                   stored in the variable NAME_VAR
#   nt_client|nt_router|nt_server CMD...   run CMD in that namespace
#   nt_bg NS LOGFILE CMD...         start CMD in NS in the background, tracked;
#                                   its pid is left in NT_LAST_PID
#   nt_stop PID                     SIGTERM one tracked process and wait for it
#   nt_stun_probe NS ADDR PORT [TIMEOUT_S]  one STUN Binding Request, prints
#                                   the XOR-MAPPED-ADDRESS "ip port"; rc 0 if
#                                   answered (ADDR IPv4 or IPv6)
#   nt_hosts_add NS ADDR NAME...    add a line to namespace NS's hosts file
#   nt_nat_masquerade               masquerade client traffic leaving the router
#                                   towards the server (mapped address 198.18.1.1)
#   nt_nat_masquerade_random        the same with 'fully-random': every new
#                                   mapping gets a random source port, so two
#                                   servers see two ports (address-dependent)
#   nt_block_udp                    drop all UDP forwarded through the router
#   nt_client_drop_every N          in the CLIENT's output hook, drop every Nth
#                                   UDP datagram to port 3478: the drop makes
#                                   sendto() itself fail (EPERM), so exactly
#                                   100/N % of the requests are never sent
#   nt_loss_every N [PORT]          drop every Nth UDP datagram to PORT (default
#                                   3478; forwarded or sent by the router
#                                   itself): exactly 100/N % injected loss
#   nt_loss_random P [PORT]         drop UDP to PORT (default 3478) with
#                                   probability P %
#   nt_impair_clear                 remove the block/loss rules
#   nt_require_precall              fail unless $PRECALL_BIN is executable
#   nt_setup_stun_test              the start of a precall test against the two
#                                   coturn servers: nt_require_root, nft and
#                                   turnserver, nt_require_precall, nt_setup,
#                                   nt_start_stun
#   nt_precall NS JSON CMD...       run "$PRECALL_BIN CMD..." in namespace NS
#                                   (NS "-" = here), stdout to JSON, stderr to
#                                   JSON.stderr; sets NT_RC and NT_WALL_S;
#                                   fails on exit 70, a signal, a sanitizer
#                                   report, or a report that is not JSON
#   nt_udp_checks                   sets NT_UDP_ONLY: the arguments of a check
#                                   about UDP alone (host, device and speed
#                                   probes left out, a profile without their
#                                   limits: a whole verdict, not a partial one),
#                                   and NT_NET_ONLY (host and devices left out)
#   nt_precall_both JSON            nt_precall in the client ns: check --only
#                                   dns,udp with the UDP profile of nt_udp_checks --stun (both coturn servers)
#                                   --json --no-progress
#   nt_expect_rc ALLOWED...         fail unless NT_RC is one of ALLOWED
#   nt_check FILE PYEXPR [DESC]     check that the python expression is true
#                                   (a failure is logged, nt_done exits 1);
#                                   r = whole report, m = r["metrics"],
#                                   ids = advice ids, f = fixture report (NT_FIXTURE)
#   nt_json FILE PYEXPR             print the value of an expression (same names)
#   nt_wait_file FILE [TRIES]       wait (0.05 s steps, default 100) for FILE
#   nt_start_impair PORT RTT JIT SEED REPORT [ARGS]  delay/jitter relay
#                                   198.18.0.1:PORT -> 198.18.1.2:3478 in the
#                                   router ns ($IMPAIR_BIN); pid NT_IMPAIR_PID
#   nt_stop_fixture PID REPORT      SIGTERM a fixture, wait for its report
#   nt_hostile_setup                the STUN fixture hostile_stun's tests: root,
#                                   precall and the fixture built, an isolated
#                                   namespace ISO (only lo), PORT 3478
#   nt_hostile_serve MODE NAME ARGS...  precall --only udp against hostile_stun
#                                   --mode MODE in ISO; report in $J (validated),
#                                   the fixture's counts in $F and NT_FIXTURE
#   nt_validate_report FILE         run the project's schema validator
#   nt_fail MSG / nt_pass MSG       test outcome helpers (nt_fail exits now)
#   nt_done                         exit 1 if any nt_check failed, else 0
#
# Variables read: PRECALL_BIN, PRECALL_SRC (for tests/schema/validate.py),
# IMPAIR_BIN, PYTHON3_SYSTEM (default /usr/bin/python3), CI, NT_WATCHDOG_S,
# NT_KEEP_LOGS=1 (keep the temp dir; daemon logs are printed on any failure).
#
# Each namespace gets /etc/netns/NAME/resolv.conf and /etc/netns/NAME/hosts
# (removed at cleanup), which 'ip netns exec' mounts over /etc/resolv.conf and
# /etc/hosts: lookups inside go to the hosts file, then to an address of the
# topology (or loopback), never to the host's resolver.

NT_PY=${PYTHON3_SYSTEM:-/usr/bin/python3}
NT_ID=$$
NT_NS_CLIENT="pct${NT_ID}c"
NT_NS_ROUTER="pct${NT_ID}r"
NT_NS_SERVER="pct${NT_ID}s"
NT_NAMESPACES=()      # every namespace we created, deleted by nt_cleanup
NT_PIDS=()            # every background process we started
NT_TMP=""
NT_LAST_PID=""
NT_STUN1=198.18.1.2
NT_STUN2=198.18.1.3
NT_STUN_PORT=3478
NT_IPV6=${NT_IPV6:-0}   # 1: nt_setup adds the IPv6 addresses and routes
NT_CLIENT_V6=2001:2::2  # the text inet_ntop gives for 2001:2:0:0::2
NT_STUN1_V6=2001:2:0:1::2
NT_STUN2_V6=2001:2:0:1::3
NT_STUN1_NAME=stun1.precall.test
NT_STUN2_NAME=stun2.precall.test
NT_STUN6_NAME=stun6.precall.test
NT_FAILED=0
NT_CLEANED=0
NT_ETC_NETNS_CREATED=0
NT_TRAPS=0
NT_WATCHDOG_PID=""

nt_log() { printf '[%s] %s\n' "${0##*/}" "$*" >&2; }

nt_skip() {
    if [ "${CI:-}" = "true" ]; then
        nt_log "FAIL (CI=true, skipping not allowed): $*"
        exit 1
    fi
    nt_log "SKIP: $*"
    exit 77
}

nt_fail() {
    NT_FAILED=1
    nt_log "FAIL: $*"
    exit 1
}

nt_pass() { nt_log "ok: $*"; }

nt_require_root() {
    command -v ip >/dev/null 2>&1 || nt_skip "iproute2 'ip' not found"
    [ "$(id -u)" -eq 0 ] || nt_skip "needs root for network namespaces (uid $(id -u))"
    local probe="pct${NT_ID}p"
    if ! ip netns add "$probe" 2>/dev/null; then
        nt_skip "'ip netns add' does not work here"
    fi
    if ! ip netns exec "$probe" true 2>/dev/null; then
        ip netns del "$probe" 2>/dev/null
        nt_skip "'ip netns exec' does not work here"
    fi
    ip netns del "$probe"
}

nt_require_cmd() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 || nt_skip "'$c' not installed"
    done
}

# Watchdog: ctest kills a test that overruns its TIMEOUT with SIGKILL, which
# no trap sees. NT_WATCHDOG_S (set by CMakeLists.txt below the TIMEOUT) makes
# the test stop itself first: SIGTERM to the script and to every process in
# its namespaces, so the EXIT trap still cleans up.
nt_start_watchdog() {
    local secs=${NT_WATCHDOG_S:-0} main=$$ id=$NT_ID
    [ "$secs" -gt 0 ] 2>/dev/null || return 0
    [ -n "$NT_WATCHDOG_PID" ] && return 0
    (
        trap 'kill "$sp" 2>/dev/null; exit 0' TERM
        sleep "$secs" &
        sp=$!
        wait "$sp"
        nt_log "watchdog: $secs s elapsed, stopping the test"
        kill -TERM "$main" 2>/dev/null
        for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }' | grep -E "^pct${id}[a-z]"); do
            for pid in $(ip netns pids "$ns" 2>/dev/null); do
                kill -TERM "$pid" 2>/dev/null
            done
        done
    ) </dev/null &
    NT_WATCHDOG_PID=$!
}

# Namespaces named by this fixture (pct<PID><role>) whose creating shell is
# gone were left by a run that was killed outright: remove them and anything
# still running inside them.
nt_sweep_stale() {
    local ns pid owner
    for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }' | grep -E '^pct[0-9]+[crsip][0-9]*$'); do
        owner=${ns#pct}
        owner=${owner%%[a-z]*}
        [ "$owner" = "$NT_ID" ] && continue
        kill -0 "$owner" 2>/dev/null && continue
        nt_log "removing stale namespace $ns (its test, pid $owner, is gone)"
        for pid in $(ip netns pids "$ns" 2>/dev/null); do
            kill -KILL "$pid" 2>/dev/null
        done
        ip netns del "$ns" 2>/dev/null
        rm -rf "/etc/netns/$ns"
    done
}

nt_tmpdir() {
    if [ -z "$NT_TMP" ]; then
        NT_TMP=$(mktemp -d "${TMPDIR:-/tmp}/precall-it.XXXXXX") || nt_fail "mktemp"
    fi
    # A check's history (and its "worse than usual" advice) stays in this test's folder.
    export XDG_STATE_HOME="$NT_TMP/state"
}

nt_install_traps() {
    [ "$NT_TRAPS" = 1 ] && return 0
    NT_TRAPS=1
    nt_sweep_stale
    nt_start_watchdog
    trap nt_cleanup EXIT
    trap 'nt_log "interrupted"; exit 130' INT
    trap 'nt_log "terminated"; exit 143' TERM
    trap 'exit 129' HUP
    trap 'exit 141' PIPE
}

# Create namespace $1 (recorded for cleanup) with loopback up and a
# resolv.conf of its own: ip netns exec bind-mounts /etc/netns/NAME/resolv.conf
# over /etc/resolv.conf, so lookups inside go to $2 (default: 127.0.0.1,
# nothing listening) and never to the host's resolver.
nt_ns_add() {
    local ns=$1 dns=${2:-127.0.0.1}
    ip netns add "$ns" || nt_fail "ip netns add $ns"
    NT_NAMESPACES+=("$ns")
    if [ ! -d /etc/netns ]; then
        mkdir -p /etc/netns && NT_ETC_NETNS_CREATED=1
    fi
    mkdir -p "/etc/netns/$ns"
    printf 'nameserver %s\noptions timeout:1 attempts:1\n' "$dns" >"/etc/netns/$ns/resolv.conf"
    printf '127.0.0.1 localhost\n::1 localhost\n' >"/etc/netns/$ns/hosts"
    ip -n "$ns" link set lo up || nt_fail "lo up in $ns"
}

nt_setup() {
    nt_tmpdir
    nt_install_traps
    local c=$NT_NS_CLIENT r=$NT_NS_ROUTER s=$NT_NS_SERVER
    # Interface names carry the PID as well (<= 15 chars: 'pc' + 7 digits + 2).
    local ca="pc${NT_ID}ca" ra="pc${NT_ID}ra" rb="pc${NT_ID}rb" sb="pc${NT_ID}sb"
    nt_ns_add "$c" 198.18.1.2
    nt_ns_add "$r"
    nt_ns_add "$s"
    nt_hosts_add "$c" "$NT_STUN1" "$NT_STUN1_NAME"
    nt_hosts_add "$c" "$NT_STUN2" "$NT_STUN2_NAME"
    local ns
    if [ "$NT_IPV6" = 1 ]; then
        # Before the links exist, so that they inherit the defaults: no DAD,
        # no router solicitations, no autoconfiguration from advertisements.
        for ns in "$c" "$r" "$s"; do
            nt_ipv6_quiet "$ns" || nt_fail "IPv6 sysctls in $ns"
        done
        nt_hosts_add "$c" "$NT_STUN1_V6" "$NT_STUN6_NAME"
    fi
    # Create the veth pairs directly inside the namespaces: they never exist
    # in the host namespace, not even for a moment.
    ip -n "$c" link add "$ca" type veth peer name "$ra" netns "$r" || nt_fail "veth client-router"
    ip -n "$r" link add "$rb" type veth peer name "$sb" netns "$s" || nt_fail "veth router-server"
    ip -n "$c" addr add 198.18.0.2/24 dev "$ca"
    ip -n "$r" addr add 198.18.0.1/24 dev "$ra"
    ip -n "$r" addr add 198.18.1.1/24 dev "$rb"
    ip -n "$s" addr add 198.18.1.2/24 dev "$sb"
    ip -n "$s" addr add 198.18.1.3/24 dev "$sb"
    ip -n "$c" link set "$ca" up
    ip -n "$r" link set "$ra" up
    ip -n "$r" link set "$rb" up
    ip -n "$s" link set "$sb" up
    # Only the test prefixes are routed; there is deliberately no default
    # route anywhere, so a stray packet to a public address fails locally.
    ip -n "$c" route add 198.18.1.0/24 via 198.18.0.1 || nt_fail "client route"
    ip -n "$s" route add 198.18.0.0/24 via 198.18.1.1 || nt_fail "server route"
    ip netns exec "$r" sysctl -qw net.ipv4.ip_forward=1 || nt_fail "ip_forward"
    if [ "$NT_IPV6" = 1 ]; then
        nt_setup_ipv6 "$ca" "$ra" "$rb" "$sb"
    else
        # No IPv6 in this fixture: keep DAD and router solicitations quiet.
        for ns in "$c" "$r" "$s"; do
            ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 2>/dev/null
            ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 2>/dev/null
        done
    fi
    # The router keeps one nftables table of ours; rules are added on demand.
    nt_router nft -f - <<'EOF' || nt_fail "nft base table"
table inet pctest {
    chain impair {
    }
    chain forward {
        type filter hook forward priority 0; policy accept;
        jump impair
    }
    chain output {
        type filter hook output priority 0; policy accept;
        jump impair
    }
}
table ip pcnat {
    chain postrouting {
        type nat hook postrouting priority srcnat; policy accept;
    }
}
EOF
    if [ "$NT_IPV6" = 1 ]; then
        nt_log "topology up: $c (198.18.0.2, $NT_CLIENT_V6) - $r - $s (198.18.1.2, 198.18.1.3," \
            "$NT_STUN1_V6, $NT_STUN2_V6); tmp $NT_TMP"
    else
        nt_log "topology up: $c (198.18.0.2) - $r - $s (198.18.1.2, 198.18.1.3); tmp $NT_TMP"
    fi
}

# nt_hosts_add NS ADDR NAME...: one more line in NS's hosts file (mounted
# over /etc/hosts by 'ip netns exec'; removed with the namespace).
nt_hosts_add() {
    local ns=$1 addr=$2
    shift 2
    [ -f "/etc/netns/$ns/hosts" ] || nt_fail "nt_hosts_add: $ns is not a namespace of this test"
    printf '%s %s\n' "$addr" "$*" >>"/etc/netns/$ns/hosts" || nt_fail "hosts file of $ns"
}

# IPv6 on, but quiet, for the links created after this in NS: no duplicate
# address detection, no router solicitations, no SLAAC, no privacy addresses.
nt_ipv6_quiet() {
    local ns=$1 scope k
    for scope in all default; do
        for k in disable_ipv6=0 accept_dad=0 dad_transmits=0 accept_ra=0 autoconf=0 \
            router_solicitations=0 use_tempaddr=0; do
            ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$scope.$k" || return 1
        done
    done
}

# The IPv6 half of nt_setup: addresses (nodad: usable at once), forwarding in
# the router, a route each way; then wait until no address is tentative.
nt_setup_ipv6() {
    local ca=$1 ra=$2 rb=$3 sb=$4 c=$NT_NS_CLIENT r=$NT_NS_ROUTER s=$NT_NS_SERVER ns i
    ip -n "$c" -6 addr add 2001:2:0:0::2/64 dev "$ca" nodad || nt_fail "client IPv6 address"
    ip -n "$r" -6 addr add 2001:2:0:0::1/64 dev "$ra" nodad || nt_fail "router IPv6 address (a)"
    ip -n "$r" -6 addr add 2001:2:0:1::1/64 dev "$rb" nodad || nt_fail "router IPv6 address (b)"
    ip -n "$s" -6 addr add "$NT_STUN1_V6/64" dev "$sb" nodad || nt_fail "server IPv6 address 1"
    ip -n "$s" -6 addr add "$NT_STUN2_V6/64" dev "$sb" nodad || nt_fail "server IPv6 address 2"
    ip netns exec "$r" sysctl -qw net.ipv6.conf.all.forwarding=1 || nt_fail "IPv6 forwarding"
    ip -n "$c" -6 route add 2001:2:0:1::/64 via 2001:2:0:0::1 || nt_fail "client IPv6 route"
    ip -n "$s" -6 route add 2001:2:0:0::/64 via 2001:2:0:1::1 || nt_fail "server IPv6 route"
    for ns in "$c" "$r" "$s"; do
        for i in $(seq 1 100); do
            [ -z "$(ip -n "$ns" -6 addr show tentative 2>/dev/null)" ] && break
            sleep 0.05
        done
        [ -z "$(ip -n "$ns" -6 addr show tentative 2>/dev/null)" ] ||
            nt_fail "IPv6 addresses in $ns still tentative after 5 s"
    done
}

nt_isolated() {
    local __var=$1 ns="pct${NT_ID}i${#NT_NAMESPACES[@]}"
    nt_tmpdir
    nt_install_traps
    nt_ns_add "$ns"
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 2>/dev/null
    printf -v "$__var" '%s' "$ns"
}

nt_client() { ip netns exec "$NT_NS_CLIENT" "$@"; }
nt_router() { ip netns exec "$NT_NS_ROUTER" "$@"; }
nt_server() { ip netns exec "$NT_NS_SERVER" "$@"; }

nt_bg() {
    local ns=$1 log=$2
    shift 2
    # 'ip netns exec' execs the command, so $! is the command's own pid.
    # The subshell execs ip, which execs the command: one pid throughout.
    (cd "${NT_BG_CWD:-.}" && exec ip netns exec "$ns" "$@") >"$log" 2>&1 </dev/null &
    NT_LAST_PID=$!
    NT_PIDS+=("$NT_LAST_PID")
}

nt_stop() {
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    return 0
}

# Send one STUN Binding Request from namespace NS and print the mapped address.
nt_stun_probe() {
    local ns=$1 addr=$2 port=$3 timeout=${4:-1}
    ip netns exec "$ns" "$NT_PY" - "$addr" "$port" "$timeout" <<'EOF'
import os, socket, struct, sys
addr, port, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
tid = os.urandom(12)
req = struct.pack("!HHI", 0x0001, 0, 0x2112A442) + tid
s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(timeout)
try:
    s.sendto(req, (addr, port))
    while True:
        data, src = s.recvfrom(2048)
        if len(data) >= 20 and data[8:20] == tid and data[0:2] == b"\x01\x01":
            break
except OSError as e:
    print("no answer: %s" % e, file=sys.stderr)
    sys.exit(1)
n = struct.unpack("!H", data[2:4])[0]
i = 20
while i + 4 <= 20 + n and i + 4 <= len(data):
    t, l = struct.unpack("!HH", data[i:i + 4])
    v = data[i + 4:i + 4 + l]
    if t == 0x0020 and l >= 8 and v[1] == 1:
        p = struct.unpack("!H", v[2:4])[0] ^ 0x2112
        a = bytes(x ^ y for x, y in zip(v[4:8], b"\x21\x12\xa4\x42"))
        print(socket.inet_ntoa(a), p)
        sys.exit(0)
    if t == 0x0020 and l >= 20 and v[1] == 2:
        p = struct.unpack("!H", v[2:4])[0] ^ 0x2112
        a = bytes(x ^ y for x, y in zip(v[4:20], b"\x21\x12\xa4\x42" + tid))
        print(socket.inet_ntop(socket.AF_INET6, a), p)
        sys.exit(0)
    i += 4 + ((l + 3) & ~3)
print("answer without XOR-MAPPED-ADDRESS", file=sys.stderr)
sys.exit(2)
EOF
}

nt_start_stun() {
    nt_tmpdir
    command -v turnserver >/dev/null 2>&1 || nt_skip "coturn 'turnserver' not installed"
    local ip n=0 v6=() all=("$NT_STUN1" "$NT_STUN2")
    [ "$NT_IPV6" = 1 ] && all+=("$NT_STUN1_V6" "$NT_STUN2_V6")
    for ip in "$NT_STUN1" "$NT_STUN2"; do
        n=$((n + 1))
        local dir="$NT_TMP/coturn$n"
        mkdir -p "$dir"
        # NT_IPV6=1: instance n also listens on the nth server IPv6 address.
        v6=()
        if [ "$NT_IPV6" = 1 ]; then
            [ "$n" = 1 ] && v6=(--listening-ip "$NT_STUN1_V6")
            [ "$n" = 2 ] && v6=(--listening-ip "$NT_STUN2_V6")
        fi
        # -n: no config file; STUN only, UDP only, no CLI, no TLS/DTLS,
        # no RFC 5780 alternate port; logs to stdout (into our temp dir),
        # user database and pid file in the temp dir, nothing in /var.
        NT_BG_CWD=$dir nt_bg "$NT_NS_SERVER" "$dir/log" turnserver -n \
            --stun-only --listening-ip "$ip" "${v6[@]}" --listening-port "$NT_STUN_PORT" \
            --no-tcp --no-tls --no-dtls --no-cli --no-rfc5780 \
            --no-software-attribute --relay-threads 1 \
            --log-file stdout --simple-log \
            --userdb "$dir/turndb" --pidfile "$dir/pid"
    done
    local i ok
    for ip in "${all[@]}"; do
        ok=0
        for i in $(seq 1 50); do
            if nt_stun_probe "$NT_NS_CLIENT" "$ip" "$NT_STUN_PORT" 0.2 >/dev/null 2>&1; then
                ok=1
                break
            fi
            sleep 0.1
        done
        [ "$ok" = 1 ] || { nt_dump_logs; nt_fail "coturn on $ip port $NT_STUN_PORT did not answer within ~15 s"; }
    done
    if [ "$NT_IPV6" = 1 ]; then
        nt_log "coturn answering on port $NT_STUN_PORT of ${all[*]}"
    else
        nt_log "coturn answering on $NT_STUN1:$NT_STUN_PORT and $NT_STUN2:$NT_STUN_PORT"
    fi
}

nt_dump_logs() {
    local f
    [ -n "$NT_TMP" ] || return 0
    for f in "$NT_TMP"/*/log "$NT_TMP"/*.log; do
        [ -s "$f" ] || continue
        echo "----- $f (last 30 lines)" >&2
        tail -n 30 "$f" >&2
    done
}

nt_nat_masquerade() {
    nt_router nft add rule ip pcnat postrouting ip saddr 198.18.0.0/24 oifname "pc${NT_ID}rb" \
        masquerade || nt_fail "nft masquerade"
}

nt_nat_masquerade_random() {
    nt_router nft add rule ip pcnat postrouting ip saddr 198.18.0.0/24 oifname "pc${NT_ID}rb" \
        masquerade fully-random || nt_fail "nft masquerade fully-random"
}

nt_client_drop_every() {
    local n=$1
    nt_client nft -f - <<EOF || nt_fail "nft client output drop"
table inet pcclient {
    chain output {
        type filter hook output priority 0; policy accept;
        udp dport $NT_STUN_PORT numgen inc mod $n 0 counter drop
    }
}
EOF
}

nt_block_udp() {
    nt_router nft add rule inet pctest forward meta l4proto udp drop || nt_fail "nft block udp"
}

nt_loss_every() {
    local n=$1 port=${2:-$NT_STUN_PORT}
    nt_router nft add rule inet pctest impair udp dport "$port" \
        numgen inc mod "$n" 0 counter drop || nt_fail "nft numgen inc"
}

nt_loss_random() {
    local p=$1 port=${2:-$NT_STUN_PORT}
    nt_router nft add rule inet pctest impair udp dport "$port" \
        numgen random mod 100 "<" "$p" counter drop || nt_fail "nft numgen random"
}

nt_impair_clear() {
    nt_router nft flush chain inet pctest impair
    nt_router nft flush chain ip pcnat postrouting
    # Rebuild the forward chain without the block rule.
    nt_router nft flush chain inet pctest forward
    nt_router nft add rule inet pctest forward jump impair
}

# Evaluate PYEXPR over a precall report. Prints the value (mode "value") or
# exits 0/1 on its truth (mode "check"), printing the metrics when false.
nt_py_eval() {
    "$NT_PY" - "$@" <<'EOF'
import json, math, sys
mode, path, expr = sys.argv[1], sys.argv[2], sys.argv[3]
fixture = sys.argv[4] if len(sys.argv) > 4 else ""
with open(path) as fh:
    doc = json.load(fh)
fix = {}
if fixture:
    with open(fixture) as fh:
        fix = json.load(fh)
names = {
    "r": doc,
    "m": doc.get("metrics", {}) if isinstance(doc, dict) else {},
    "ids": [a.get("id") for a in doc.get("advice", []) if isinstance(a, dict)]
    if isinstance(doc, dict) else [],
    "f": fix,
}
safe = {"len": len, "any": any, "all": all, "abs": abs, "min": min, "max": max,
        "isinstance": isinstance, "int": int, "float": float, "bool": bool,
        "sorted": sorted, "set": set, "next": next, "str": str, "math": math, "None": None, "True": True, "False": False}
try:
    # One namespace, so generator expressions see r, m, ids and f too.
    v = eval(expr, dict(names, __builtins__=safe))
except Exception as e:  # a missing key or a null where a number belongs
    v = None
    print("  error evaluating %s: %s: %s" % (expr, type(e).__name__, e), file=sys.stderr)
if mode == "value":
    print(v if isinstance(v, str) else json.dumps(v))
    sys.exit(0)
if v:
    sys.exit(0)
print("  metrics: " + json.dumps(names["m"], sort_keys=True), file=sys.stderr)
print("  advice ids: " + json.dumps(names["ids"]), file=sys.stderr)
if fix:
    print("  fixture: " + json.dumps(fix, sort_keys=True), file=sys.stderr)
sys.exit(1)
EOF
}

nt_json() { nt_py_eval value "$1" "$2" "${NT_FIXTURE:-}"; }

# A failed check is reported and remembered; the test goes on to its other
# checks and nt_done exits 1 at the end.
nt_check() {
    local file=$1 expr=$2 desc=${3:-$2}
    if nt_py_eval check "$file" "$expr" "${NT_FIXTURE:-}"; then
        nt_pass "$desc"
    else
        NT_FAILED=1
        nt_log "FAIL: $desc (expression: $expr)"
    fi
}

# nt_accuracy_check FILE EXPR DESC: nt_check for a figure that rests on the
# client keeping pace with the link. In a sanitizer build (NT_SANITIZED=1),
# which runs about three times slower, it is evaluated and logged, not
# asserted: such tests carry the ctest label 'accuracy', which CI runs in its
# build without sanitizers as well.
nt_accuracy_check() {
    local file=$1 expr=$2 desc=$3
    if [ "${NT_SANITIZED:-0}" != 1 ]; then
        nt_check "$file" "$expr" "$desc"
    elif nt_py_eval check "$file" "$expr" "${NT_FIXTURE:-}"; then
        nt_log "ok (not asserted in a sanitizer build): $desc"
    else
        nt_log "missed (not asserted in a sanitizer build): $desc"
    fi
}

nt_done() {
    if [ "$NT_FAILED" = 1 ]; then
        nt_log "some checks failed"
        exit 1
    fi
    nt_log "all checks passed"
    exit 0
}

nt_wait_file() {
    local f=$1 tries=${2:-100} i
    for i in $(seq 1 "$tries"); do
        [ -s "$f" ] && return 0
        sleep 0.05
    done
    return 1
}

nt_require_precall() {
    [ -n "${PRECALL_BIN:-}" ] || nt_fail "PRECALL_BIN is not set (run through ctest)"
    [ -x "$PRECALL_BIN" ] || nt_fail "precall binary '$PRECALL_BIN' is not built"
    nt_tmpdir
}

nt_setup_stun_test() {
    nt_require_root
    nt_require_cmd nft turnserver
    nt_require_precall
    nt_setup
    nt_start_stun
}

# nt_udp_checks: sets NT_UDP_ONLY, the arguments of a check about UDP alone
# (the host, device and speed probes left out, and a copy of the therapy
# profile without their limits, so that the verdict is whole, not partial),
# and NT_NET_ONLY, those of a check about the network (host and devices out).
nt_udp_checks() {
    local prof=$PRECALL_SRC/data/profiles/therapy.json
    nt_tmpdir
    "$NT_PY" "$PRECALL_SRC/tests/cli/profile_without.py" "$prof" "$NT_TMP/udp-profile.json" \
        system devices bandwidth || nt_fail "profile_without.py"
    "$NT_PY" "$PRECALL_SRC/tests/cli/profile_without.py" "$prof" "$NT_TMP/net-profile.json" \
        system devices || nt_fail "profile_without.py"
    NT_UDP_ONLY=(--skip http,bandwidth,devices,system -p "$NT_TMP/udp-profile.json")
    NT_NET_ONLY=(--skip devices,system -p "$NT_TMP/net-profile.json")
}

nt_precall_both() {
    [ -n "${NT_UDP_ONLY+x}" ] || nt_udp_checks
    nt_precall "$NT_NS_CLIENT" "$1" check --only dns,udp -p "$NT_TMP/udp-profile.json" --stun "$NT_STUN1:$NT_STUN_PORT" \
        --stun "$NT_STUN2:$NT_STUN_PORT" --json --no-progress
}

nt_precall() {
    local ns=$1 json=$2 t0 t1
    shift 2
    NT_LAST_JSON=$json
    t0=$(date +%s.%N)
    if [ "$ns" = "-" ]; then
        "$PRECALL_BIN" "$@" >"$json" 2>"$json.stderr" </dev/null
    else
        ip netns exec "$ns" "$PRECALL_BIN" "$@" >"$json" 2>"$json.stderr" </dev/null
    fi
    NT_RC=$?
    t1=$(date +%s.%N)
    NT_WALL_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    nt_log "precall $* -> exit $NT_RC in ${NT_WALL_S} s"
    if grep -qE 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:' "$json.stderr"; then
        cat "$json.stderr" >&2
        nt_fail "sanitizer report on precall's stderr"
    fi
    if [ "$NT_RC" -eq 70 ] || [ "$NT_RC" -ge 128 ]; then
        cat "$json.stderr" >&2
        nt_fail "precall crashed or failed internally (exit $NT_RC)"
    fi
    if ! "$NT_PY" -c 'import json,sys; json.load(open(sys.argv[1]))' "$json" 2>/dev/null; then
        head -c 2000 "$json" >&2
        cat "$json.stderr" >&2
        nt_fail "precall's stdout is not a JSON document (exit $NT_RC)"
    fi
}

nt_expect_rc() {
    local want
    for want in "$@"; do
        if [ "$NT_RC" -eq "$want" ]; then
            nt_pass "exit code $NT_RC"
            return 0
        fi
    done
    [ -n "${NT_LAST_JSON:-}" ] && tail -n 20 "$NT_LAST_JSON.stderr" >&2
    nt_fail "exit code $NT_RC, expected one of: $*"
}

# nt_start_impair PORT RTT_MS JITTER_MS SEED REPORT [EXTRA ARGS...]: start the
# delay/jitter relay in the router ns on 198.18.0.1:PORT towards coturn
# 198.18.1.2:3478 and wait until it is bound. Pid in NT_IMPAIR_PID.
nt_start_impair() {
    local port=$1 rtt=$2 jit=$3 seed=$4 report=$5
    shift 5
    [ -n "${IMPAIR_BIN:-}" ] && [ -x "$IMPAIR_BIN" ] || nt_fail "impair fixture '$IMPAIR_BIN' not built"
    rm -f "$report" "$report.ready"
    nt_bg "$NT_NS_ROUTER" "$report.log" "$IMPAIR_BIN" --listen "198.18.0.1:$port" \
        --to "$NT_STUN1:$NT_STUN_PORT" --rtt-ms "$rtt" --jitter-ms "$jit" --seed "$seed" \
        --report "$report" --ready "$report.ready" "$@"
    NT_IMPAIR_PID=$NT_LAST_PID
    nt_wait_file "$report.ready" || { cat "$report.log" >&2; nt_fail "impair did not start"; }
}

# nt_stop_fixture PID REPORT: SIGTERM a fixture and wait for its report.
nt_stop_fixture() {
    local pid=$1 report=$2
    nt_stop "$pid"
    [ -s "$report" ] || { cat "$report.log" >&2 2>/dev/null; nt_fail "fixture wrote no report $report"; }
}

nt_hostile_setup() {
    nt_require_root
    nt_require_precall
    [ -n "${HOSTILE_STUN_BIN:-}" ] && [ -x "$HOSTILE_STUN_BIN" ] || nt_fail "hostile_stun fixture not built"
    nt_isolated ISO
    PORT=3478
}

nt_hostile_serve() {
    local mode=$1 name=$2 pid
    shift 2
    F=$NT_TMP/$name.counts.json
    J=$NT_TMP/$name.json
    nt_bg "$ISO" "$F.log" "$HOSTILE_STUN_BIN" --listen "127.0.0.1:$PORT" --mode "$mode" \
        --report "$F" --ready "$F.ready" "$@"
    pid=$NT_LAST_PID
    nt_wait_file "$F.ready" || { cat "$F.log" >&2; nt_fail "hostile_stun --mode $mode did not start"; }
    nt_precall "$ISO" "$J" check --only udp --stun "127.0.0.1:$PORT" --json --no-progress
    nt_stop_fixture "$pid" "$F"
    NT_FIXTURE=$F
    nt_validate_report "$J"
}

nt_validate_report() {
    local f=$1 v="${PRECALL_SRC:-}/tests/schema/validate.py"
    [ -f "$v" ] || nt_fail "schema validator $v missing"
    "$NT_PY" "$v" "$f" || nt_fail "report $f does not validate against the schema"
    nt_pass "report validates against the schema"
}

nt_cleanup() {
    local rc=$?
    [ "$NT_CLEANED" = 1 ] && return
    NT_CLEANED=1
    trap - EXIT INT TERM HUP PIPE
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; then
        nt_dump_logs
    fi
    local pid ns
    if [ -n "$NT_WATCHDOG_PID" ]; then
        kill -TERM "$NT_WATCHDOG_PID" 2>/dev/null
        wait "$NT_WATCHDOG_PID" 2>/dev/null
    fi
    for pid in "${NT_PIDS[@]}"; do
        [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null
    done
    # Anything still running inside our namespaces was started by this
    # test (directly or as a child): give it a moment, then kill it.
    for ns in "${NT_NAMESPACES[@]}"; do
        for pid in $(ip netns pids "$ns" 2>/dev/null); do
            kill -TERM "$pid" 2>/dev/null
        done
    done
    sleep 0.2
    for ns in "${NT_NAMESPACES[@]}"; do
        for pid in $(ip netns pids "$ns" 2>/dev/null); do
            kill -KILL "$pid" 2>/dev/null
        done
    done
    for pid in "${NT_PIDS[@]}"; do
        [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
    done
    wait 2>/dev/null
    for ns in "${NT_NAMESPACES[@]}"; do
        ip netns del "$ns" 2>/dev/null
        rm -rf "/etc/netns/$ns"
    done
    [ "$NT_ETC_NETNS_CREATED" = 1 ] && rmdir /etc/netns 2>/dev/null
    if [ -n "$NT_TMP" ] && [ "${NT_KEEP_LOGS:-0}" != 1 ]; then
        rm -rf "$NT_TMP"
    fi
    exit "$rc"
}

# ---- STUN etiquette and dual stack (issue 15 sections 3, 4)
#
#   nt_stun_fixture NAME ADDR PORT [ARGS]  a plain hostile_stun (--mode copies
#                                   --copies 0: one genuine answer per request,
#                                   with its request recorder) on ADDR:PORT in
#                                   the server ns; counts go to $NT_TMP/NAME.json
#                                   at nt_stop_fixture; pid in NT_LAST_PID
#   nt_blackhole_ipv6               the router drops every IPv6 packet it would
#                                   forward: the path goes nowhere, no ICMP
#   nt_fixture_value FILE PYEXPR    a value of a fixture's counts (f = FILE)
nt_stun_fixture() {
    local name=$1 addr=$2 port=$3 f
    shift 3
    [ -n "${HOSTILE_STUN_BIN:-}" ] && [ -x "$HOSTILE_STUN_BIN" ] || nt_fail "hostile_stun fixture not built"
    f=$NT_TMP/$name.json
    rm -f "$f" "$f.ready"
    case $addr in *:*) addr="[$addr]" ;; esac
    nt_bg "$NT_NS_SERVER" "$f.log" "$HOSTILE_STUN_BIN" --listen "$addr:$port" --mode copies \
        --copies 0 --report "$f" --ready "$f.ready" "$@"
    nt_wait_file "$f.ready" || { cat "$f.log" >&2; nt_fail "hostile_stun $name did not start"; }
}

nt_blackhole_ipv6() {
    nt_router nft add rule inet pctest forward meta nfproto ipv6 counter drop ||
        nt_fail "nft blackhole ipv6"
}

nt_fixture_value() {
    "$NT_PY" -c 'import json,sys; f=json.load(open(sys.argv[1])); print(json.dumps(eval(sys.argv[2], {"f": f, "len": len})))' "$1" "$2"
}

# ---------------------------------------------------------------- linkem
# nt_link DIR [LINKEM ARGS...]: delay, jitter and loss on EVERY packet (TCP,
# UDP, ICMP) of one direction of the router, by tests/integration/linkem.c
# ($LINKEM_BIN) on a tun device in the router ns. DIR is "up" (client ->
# server: what arrives on the router's client-side veth) or "down" (server ->
# client). Policy routing sends that veth's packets into the tun (ip rule iif
# VETH lookup TABLE; default dev TUN in TABLE); linkem writes each back after
# its delay and the kernel forwards it on by the main table (rp_filter off).
# ARGS are linkem's: --delay-ms D --jitter-ms J [--reorder] --loss-pct L
# [--burst N] [--loss-udp] --seed S [--queue-cap N]. The ground-truth report
# is $NT_TMP/linkem-DIR.json, written when nt_link_stop DIR (or nt_cleanup)
# stops it; the pid is left in NT_LINK_PID_UP or NT_LINK_PID_DOWN. Tbf
# (nt_shape_link) still shapes the veths: up is shaped on the client's veth
# before linkem, down on the router's client-side veth after it.
nt_link() {
    local dir=$1 veth table dev report
    shift
    case $dir in
    up) veth="pc${NT_ID}ra" table=201 dev="pc${NT_ID}lu" ;;
    down) veth="pc${NT_ID}rb" table=202 dev="pc${NT_ID}ld" ;;
    *) nt_fail "nt_link: direction '$dir' is not up or down" ;;
    esac
    [ -n "${LINKEM_BIN:-}" ] && [ -x "$LINKEM_BIN" ] || nt_fail "linkem fixture '${LINKEM_BIN:-}' not built"
    nt_tmpdir
    report=$NT_TMP/linkem-$dir.json
    rm -f "$report" "$report.ready"
    nt_bg "$NT_NS_ROUTER" "$report.log" "$LINKEM_BIN" --dev "$dev" --report "$report" \
        --ready "$report.ready" "$@"
    if [ "$dir" = up ]; then NT_LINK_PID_UP=$NT_LAST_PID; else NT_LINK_PID_DOWN=$NT_LAST_PID; fi
    nt_wait_file "$report.ready" || { cat "$report.log" >&2; nt_fail "linkem ($dir) did not start"; }
    nt_router sysctl -qw net.ipv4.conf.all.rp_filter=0 "net.ipv4.conf.$dev.rp_filter=0" ||
        nt_fail "rp_filter off for $dev"
    nt_router ip link set "$dev" up || nt_fail "$dev up"
    nt_router ip route replace default dev "$dev" table "$table" || nt_fail "route table $table"
    nt_router ip rule add iif "$veth" lookup "$table" || nt_fail "ip rule iif $veth"
    nt_log "linkem $dir on $dev: $*"
}

# nt_link_stop DIR: remove the rule, stop linkem, wait for its report.
nt_link_stop() {
    local dir=$1 veth table pid
    case $dir in
    up) veth="pc${NT_ID}ra" table=201 pid=${NT_LINK_PID_UP:-} ;;
    down) veth="pc${NT_ID}rb" table=202 pid=${NT_LINK_PID_DOWN:-} ;;
    *) nt_fail "nt_link_stop: direction '$dir' is not up or down" ;;
    esac
    nt_router ip rule del iif "$veth" lookup "$table" 2>/dev/null
    [ -n "$pid" ] && nt_stop_fixture "$pid" "$NT_TMP/linkem-$dir.json"
    return 0
}

# nt_shape_router DOWN_MBIT UP_MBIT QUEUE_MS: tbf as nt_shape_link (nginx.sh,
# for nt_tbf_burst), but both directions shaped in the ROUTER ns: down on its
# client-side veth, up on its server-side veth (after linkem). A shaper on
# the client's own veth (nt_shape_link's upload) sits under the sender's TCP
# stack, whose small-queue limit (TSQ) keeps a TCP flow from filling it, so
# an upload cannot build the queue a home router's would; here it can.
nt_shape_router() {
    local down=$1 up=$2 q=$3
    local ra="pc${NT_ID}ra" rb="pc${NT_ID}rb" bd bu
    bd=$(nt_tbf_burst "$down")
    bu=$(nt_tbf_burst "$up")
    nt_router tc qdisc replace dev "$ra" root tbf rate "${down}mbit" burst "$bd" latency "${q}ms" ||
        nt_fail "tbf down on $ra"
    nt_router tc qdisc replace dev "$rb" root tbf rate "${up}mbit" burst "$bu" latency "${q}ms" ||
        nt_fail "tbf up on $rb"
    nt_log "router shaped: down ${down} Mbit/s, up ${up} Mbit/s, queues ${q} ms"
}
