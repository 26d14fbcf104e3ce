#!/bin/bash
# integration.fixture: checks the fixture itself, without precall.
#  1. a topology built and torn down in a child shell leaves nothing behind
#     (no namespace, no coturn, no /etc/netns entry);
#  2. both coturn servers answer from the client ns; the mapped address is
#     198.18.0.2, and 198.18.1.1 behind the router's masquerade;
#  3. numgen inc mod 4 drops exactly every 4th request; the UDP block drops all;
#  4. the impair relay: a Python STUN client (kernel receive timestamps)
#     measures each round trip through it; measured minus injected must be
#     small (median under 1 ms), and the relay's report must agree with
#     the client's own median and mean |dRTT| (within 1 ms: the margin of
#     the product's own accuracy tests, which holds on a busy shared machine).
#  5. hostile_stun sends what it says it sends.
. "$(dirname "$0")/netns.sh"
nt_require_root
nt_require_cmd nft turnserver
[ -n "${IMPAIR_BIN:-}" ] && [ -x "$IMPAIR_BIN" ] || nt_fail "impair fixture not built"
[ -n "${HOSTILE_STUN_BIN:-}" ] && [ -x "$HOSTILE_STUN_BIN" ] || nt_fail "hostile_stun fixture not built"

# 1. teardown leaves nothing (the child's EXIT trap cleans up)
child_out=$(bash -c '. "$1"; nt_setup >/dev/null 2>&1; nt_start_stun >/dev/null 2>&1
    echo "$NT_ID $(ip netns pids "$NT_NS_SERVER" | tr "\n" " ")"' _ "$(dirname "$0")/netns.sh")
child_id=${child_out%% *}
child_pids=${child_out#* }
[ -n "$child_id" ] || nt_fail "child topology did not come up"
if ip netns list | grep -q "^pct${child_id}"; then
    nt_fail "namespaces of pid $child_id left behind: $(ip netns list | grep "^pct${child_id}")"
fi
[ -e "/etc/netns/pct${child_id}c" ] && nt_fail "/etc/netns/pct${child_id}c left behind"
for p in $child_pids; do
    kill -0 "$p" 2>/dev/null && nt_fail "process $p of the child topology still running"
done
nt_pass "child topology (pid $child_id, coturn pids $child_pids) removed without leftovers"

nt_setup
nt_start_stun

# 2. mapped addresses
a=$(nt_stun_probe "$NT_NS_CLIENT" "$NT_STUN1" 3478) || nt_fail "no answer from $NT_STUN1"
b=$(nt_stun_probe "$NT_NS_CLIENT" "$NT_STUN2" 3478) || nt_fail "no answer from $NT_STUN2"
[ "${a% *}" = 198.18.0.2 ] && [ "${b% *}" = 198.18.0.2 ] || nt_fail "mapped addresses '$a' '$b'"
nt_pass "both coturn servers map to 198.18.0.2"
nt_nat_masquerade
a=$(nt_stun_probe "$NT_NS_CLIENT" "$NT_STUN1" 3478) || nt_fail "no answer behind NAT"
[ "${a% *}" = 198.18.1.1 ] || nt_fail "mapped address behind NAT '$a'"
nt_pass "behind masquerade the mapped address is 198.18.1.1"
nt_impair_clear

# 3. loss and block
nt_loss_every 4
lost=0
for i in $(seq 1 20); do
    nt_stun_probe "$NT_NS_CLIENT" "$NT_STUN1" 3478 0.3 >/dev/null 2>&1 || lost=$((lost + 1))
done
[ "$lost" -eq 5 ] || nt_fail "numgen inc mod 4: $lost of 20 lost, expected 5"
nt_pass "numgen inc mod 4 dropped exactly 5 of 20"
nt_impair_clear
nt_block_udp
nt_stun_probe "$NT_NS_CLIENT" "$NT_STUN1" 3478 0.3 >/dev/null 2>&1 && nt_fail "UDP block let a request through"
nt_pass "UDP block drops requests"
nt_impair_clear

# 4. impair accuracy
F=$NT_TMP/impair.truth.json
nt_start_impair 40000 40 10 5 "$F" --pairs "$NT_TMP/pairs.txt"
nt_client "$NT_PY" - 198.18.0.1 40000 200 100 "$NT_TMP/client.txt" <<'PY' || nt_fail "probe client"
import os, select, socket, struct, sys, time
addr, port, n, rate, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
SO_TIMESTAMPNS = 35
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
s.setblocking(False)
off = time.clock_gettime_ns(time.CLOCK_REALTIME) - time.monotonic_ns()
sent, rtt, order = {}, {}, []
t0 = time.monotonic_ns()
i, end = 0, None
while True:
    now = time.monotonic_ns()
    if i < n and now >= t0 + int(i * 1e9 / rate):
        tid = os.urandom(12)
        sent[tid] = time.monotonic_ns()
        s.sendto(struct.pack("!HHI", 1, 0, 0x2112A442) + tid, (addr, port))
        order.append(tid)
        i += 1
        if i == n:
            end = time.monotonic_ns() + 1_500_000_000
        continue
    if end is not None and now > end:
        break
    nxt = t0 + int(i * 1e9 / rate) if i < n else end
    select.select([s], [], [], max(0, (nxt - now) / 1e9))
    while True:
        try:
            data, anc, _, _ = s.recvmsg(2048, 64)
        except BlockingIOError:
            break
        st = time.monotonic_ns()
        for lvl, typ, d in anc:
            if lvl == socket.SOL_SOCKET and typ == SO_TIMESTAMPNS:
                sec, nsec = struct.unpack("qq", d[:16])
                st = sec * 10**9 + nsec - off
        tid = data[8:20]
        if tid in sent and tid not in rtt:
            rtt[tid] = (st - sent[tid]) / 1e6
with open(out, "w") as f:
    for tid in order:
        f.write("%s %s\n" % (tid.hex(), "%.4f" % rtt[tid] if tid in rtt else "lost"))
PY
nt_stop_fixture "$NT_IMPAIR_PID" "$F"
"$NT_PY" - "$NT_TMP/pairs.txt" "$NT_TMP/client.txt" "$F" <<'PY' || nt_fail "impair accuracy"
import json, statistics as st, sys
inj = {}
for line in open(sys.argv[1]):
    if not line.startswith("#"):
        p = line.split()
        inj[p[0]] = float(p[1])
cli = [l.split() for l in open(sys.argv[2])]
rep = json.load(open(sys.argv[3]))
rt = [float(r) for t, r in cli if r != "lost"]
d = sorted(float(r) - inj[t] for t, r in cli if r != "lost" and t in inj)
mad = st.mean(abs(a - b) for a, b in zip(rt, rt[1:]))
print("  client: %d answered, median %.3f ms, mean |dRTT| %.3f ms" % (len(rt), st.median(rt), mad), file=sys.stderr)
print("  relay:  %d pairs, median %.3f ms, mean |dRTT| %.3f ms, send late mean %.1f us p99 %.1f us" % (
    rep["pairs"], rep["rtt_median_ms"], rep["jitter_ms"], rep["send_late_mean_us"], rep["send_late_p99_us"]), file=sys.stderr)
print("  measured - injected: median %.3f ms, p95 %.3f ms, min %.3f ms" % (
    st.median(d), d[int(0.95 * (len(d) - 1))], d[0]), file=sys.stderr)
ok = (len(rt) == 200 and rep["pairs"] == 200 and len(d) == 200
      and -0.1 <= st.median(d) <= 1.0
      and abs(st.median(rt) - rep["rtt_median_ms"]) <= 1.0
      and abs(mad - rep["jitter_ms"]) <= 1.0
      and 40 <= rep["rtt_min_ms"] and rep["rtt_max_ms"] <= 62)
sys.exit(0 if ok else 1)
PY
nt_pass "impair: measured RTTs match the relay's ground truth"

# 5. hostile_stun counts
nt_isolated ISO
H=$NT_TMP/hostile.json
nt_bg "$ISO" "$H.log" "$HOSTILE_STUN_BIN" --listen 127.0.0.1:3478 --wrong-port 3479 --flood 4 \
    --report "$H" --ready "$H.ready"
HPID=$NT_LAST_PID
nt_wait_file "$H.ready" || nt_fail "hostile_stun did not start"
got=$(ip netns exec "$ISO" "$NT_PY" - <<'PY'
import os, socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(0.5)
s.bind(("127.0.0.1", 0))
tid = os.urandom(12)
s.sendto(struct.pack("!HHI", 1, 0, 0x2112A442) + tid, ("127.0.0.1", 3478))
n = 0
try:
    while True:
        s.recvfrom(2048)
        n += 1
except socket.timeout:
    pass
print(n)
PY
)
nt_stop_fixture "$HPID" "$H"
NT_FIXTURE=$H nt_check "$H" 'f["requests"] == 1 and f["sent"]["total"] == '"$got"' and f["sent"]["genuine"] == 1 and f["sent"]["wrong_source"] == 1 and f["sent"]["unknown_tid"] == 4' \
    "hostile_stun sent $got datagrams for one request, as counted"
nt_done
