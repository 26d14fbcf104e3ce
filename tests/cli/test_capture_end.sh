#!/bin/bash
# 'precall capture' ends by its deadline or one stop signal, whether packets
# arrive or not, and every way out writes the report; its files are the
# invoking user's (-w created as that user, -o of root's capture kept as
# root's); a failed write of -w is exit 74 with the analysis still reported.
# On the test namespace's loopback, as root (CI); skips otherwise.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || skip "capturing needs root"
[ -n "${PC_NETNS_ISOLATED:-}" ] || skip "needs a network namespace of its own (unshare)"

now() { date +%s%N; }
ms_since() { echo $((($(now) - $1) / 1000000)); }
report_ok() { "$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["command"] == "capture", r' "$1" 2>/dev/null; }
# capturing FILE: wait (up to 10 s) until precall says on stderr, in FILE,
# that its capture is open, so that a sender started next is seen from its
# first packet, however slowly precall starts (ThreadSanitizer, a busy machine).
capturing() {
    local i
    for i in $(seq 1 200); do
        grep -q "capturing on" "$1" 2>/dev/null && return 0
        sleep 0.05
    done
    echo "precall did not say it was capturing: $(cat "$1")" >&2
    return 1
}
streams() { "$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); print(" ".join(str(s["metrics"]["stream_packets"]) for s in r["scopes"] if s["kind"]=="stream"))' "$1"; }

# 1. A silent interface: --duration 2 ends within 3 s, with the report.
t=$(now)
run capture -i lo --duration 2 --json
took=$(ms_since "$t")
[ "$took" -ge 1900 ] && [ "$took" -le 3000 ] && ok || not_ok "silent --duration 2 took $took ms"
expect_rc 3 "silent interface: no RTP, no verdict"
report_ok "$out" && ok || not_ok "silent interface: no report"

# 2. One SIGTERM, one SIGINT: the capture ends at once and reports.
for sig in TERM INT; do
    "$PRECALL" capture -i lo --duration 60 --json >"$WORK/sig.json" 2>"$WORK/sig.err" </dev/null &
    pid=$!
    sleep 1
    t=$(now)
    kill -"$sig" "$pid"
    wait "$pid"
    rc=$?
    took=$(ms_since "$t")
    [ "$took" -le 1000 ] && ok || not_ok "SIG$sig: ended $took ms after the signal"
    [ "$rc" -eq 3 ] && ok || not_ok "SIG$sig: exit $rc, expected 3 ($(cat "$WORK/sig.err"))"
    report_ok "$WORK/sig.json" && ok || not_ok "SIG$sig: no report"
done

# 3. RTP for 3 s, then silence: --duration 5 ends at 5 s with what was captured.
# (3 s: 150 packets, well above the 100 a stream needs to be judged; 2 s held
# exactly 100, and a busy machine's capture starting late left the stream too
# short to judge.)
t=$(now)
"$PRECALL" capture -i lo --duration 5 --json >"$WORK/out" 2>"$WORK/err" </dev/null &
pid=$!
capturing "$WORK/err"
"$PY" "$SRC/tests/cli/rtp_send.py" 127.0.0.1 5004 3
wait "$pid"
rc=$?
out=$WORK/out err=$WORK/err
took=$(ms_since "$t")
[ "$took" -ge 4900 ] && [ "$took" -le 6000 ] && ok || not_ok "RTP then silence: took $took ms"
expect_rc 0 "RTP then silence"
n=$(streams "$out")
[ -n "$n" ] && [ "$n" -ge 140 ] && [ "$n" -le 150 ] && ok || not_ok "RTP then silence: stream packets '$n', expected ~150"

# 4. -w onto a full disk: exit 74 naming the file once, the analysis still reported.
run capture -i lo --duration 1 --json -w /dev/full
expect_rc 74 "-w /dev/full"
expect_err_lines 2 # the capture line and the error
[ "$(grep -o /dev/full "$err" | wc -l)" -eq 1 ] && grep -q "cannot write /dev/full: No space left on device" "$err" && ok ||
    not_ok "-w /dev/full: $(cat "$err")"
report_ok "$out" && ok || not_ok "-w /dev/full: no report"
# a disk that fills part-way: every packet is still analysed
mkdir "$WORK/small"
unshare -m sh -c 'mount -t tmpfs -o size=16k tmpfs "$1/small" && exec "$2" capture -i lo --duration 3 --json -w "$1/small/x.pcap"' \
    sh "$WORK" "$PRECALL" >"$WORK/full.json" 2>"$WORK/full.err" </dev/null &
pid=$!
capturing "$WORK/full.err"
"$PY" "$SRC/tests/cli/rtp_send.py" 127.0.0.1 5004 2 1000
wait "$pid"
rc=$?
[ "$rc" -eq 74 ] && grep -q "cannot write $WORK/small/x.pcap: No space left on device" "$WORK/full.err" && ok ||
    not_ok "-w onto a full tmpfs: exit $rc, $(cat "$WORK/full.err")"
n=$(streams "$WORK/full.json")
[ -n "$n" ] && [ "$n" -ge 95 ] && ok || not_ok "-w onto a full tmpfs: stream packets '$n', expected ~100"

# 5. -w where it cannot be created: exit 74, one line naming the path once.
run capture -i lo --duration 1 -q -w /missing/dir/x.pcap
expect_rc 74 "-w /missing/dir/x.pcap"
expect_err_lines 1
[ "$(grep -o /missing/dir/x.pcap "$err" | wc -l)" -eq 1 ] && expect_err "cannot create /missing/dir/x.pcap: No such file or directory" ||
    not_ok "-w /missing: $(cat "$err")"
expect_empty_out

# 6. setuid root (real user nobody, effective root): -w is created as nobody,
# so nothing is created where nobody may not write.
if command -v setpriv >/dev/null && setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$PRECALL"; then
    suid=(setpriv --ruid=nobody --rgid=nogroup --clear-groups)
    mkdir -m 700 "$WORK/rootonly"
    "${suid[@]}" "$PRECALL" capture -i lo --duration 1 -q -w "$WORK/rootonly/x.pcap" >"$WORK/o" 2>"$WORK/e" </dev/null
    rc=$?
    [ "$rc" -eq 74 ] && ok || not_ok "setuid -w into root's folder: exit $rc ($(cat "$WORK/e"))"
    [ ! -e "$WORK/rootonly/x.pcap" ] && ok || not_ok "setuid -w created $(stat -c %U "$WORK/rootonly/x.pcap") x.pcap in root's folder"
    [ "$(wc -l <"$WORK/e")" -eq 1 ] && grep -q "cannot create $WORK/rootonly/x.pcap: Permission denied" "$WORK/e" && ok ||
        not_ok "setuid -w: $(cat "$WORK/e")"
    chmod 711 "$WORK" && mkdir -m 1777 "$WORK/open"
    "${suid[@]}" "$PRECALL" capture -i lo --duration 1 -q -w "$WORK/open/x.pcap" >"$WORK/o" 2>"$WORK/e" </dev/null
    [ "$(stat -c %U "$WORK/open/x.pcap" 2>/dev/null)" = nobody ] && ok ||
        not_ok "setuid -w: x.pcap not created by nobody ($(cat "$WORK/e"))"
    # under sudo (here a sudo of nobody): the files are the user's behind sudo
    nobody_ids=(SUDO_UID=$(id -u nobody) SUDO_GID=$(id -g nobody))
    env "${nobody_ids[@]}" "$PRECALL" capture -i lo --duration 1 -q -w "$WORK/rootonly/s.pcap" >"$WORK/o" 2>"$WORK/e" </dev/null
    rc=$?
    [ "$rc" -eq 74 ] && [ ! -e "$WORK/rootonly/s.pcap" ] && ok || not_ok "sudo -w into root's folder: exit $rc ($(cat "$WORK/e"))"
    env "${nobody_ids[@]}" "$PRECALL" capture -i lo --duration 1 -q -w "$WORK/open/s.pcap" -o "$WORK/open/s.txt" >"$WORK/o" 2>"$WORK/e" </dev/null
    [ "$(stat -c %U "$WORK/open/s.pcap" "$WORK/open/s.txt" 2>/dev/null | sort -u)" = nobody ] && ok ||
        not_ok "sudo -w/-o: not created by the user behind sudo ($(cat "$WORK/e"))"
else
    skip "nobody cannot run $PRECALL (its folders are not open to others), or no setpriv"
fi

# 7. -o of root's own capture (which runs as nobody): written as root, where root asked.
run capture -i lo --duration 1 --json -o "$WORK/rootonly/r.json"
expect_rc 3 "-o into root's folder"
expect_empty_out
report_ok "$WORK/rootonly/r.json" && [ "$(stat -c %u "$WORK/rootonly/r.json")" -eq 0 ] && ok ||
    not_ok "-o: no report owned by root in $WORK/rootonly ($(cat "$err"))"
# and where it cannot be written: exit 74, the report on stdout
run capture -i lo --duration 1 --json -o /missing/dir/r.json
expect_rc 74 "-o /missing/dir/r.json"
report_ok "$out" && ok || not_ok "-o /missing: the report is not on stdout"
expect_err "cannot write /missing/dir/r.json"
finish
