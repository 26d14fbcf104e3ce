#!/bin/bash
# golden.streams: 'precall analyze' reads any stream once (never reopens
# it): standard input as '-', /dev/stdin from a pipe, process substitution,
# FIFOs; a FIFO nobody writes to, or whose writer stalls, ends after the
# time limit (--timeout, default 20 s) with what arrived; the same file given
# twice is read once, and the report and stderr say so.
#   streams.sh GEN_CAPTURES   (PRECALL, PY from the environment)
set -u
GEN=$1
PY=${PY:-/usr/bin/python3}
WORK=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$WORK"' EXIT
fail=0
ok() { echo "ok $*"; }
not_ok() { echo "FAIL $*"; fail=1; }
"$GEN" "$WORK" || { echo "gen_captures failed"; exit 1; }
cd "$WORK" || exit 1

# The figures of the streams and files of a JSON report, for comparing two reads.
figures() {
    "$PY" - "$1" <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[1]))
keys = ("stream_packets", "stream_expected", "stream_lost", "stream_jitter_ms", "stream_gap_max_ms")
print(r["verdict"]["tier"], [[s["metrics"][k] for k in keys] for s in r["scopes"] if s["kind"] == "stream"],
      [(s["id"], s["metrics"]["capture_packets"], s["metrics"]["capture_format"], s["metrics"]["capture_error"])
       for s in r["scopes"] if s["kind"] == "file"])
PYEOF
}

"$PRECALL" analyze --json loss.pcap >file.json 2>file.err
[ $? -eq 1 ] || not_ok "loss.pcap: exit not 1"
want=$(figures file.json | sed 's/loss.pcap/INPUT/')

# 1. '-' is standard input (a file).
"$PRECALL" analyze --json - <loss.pcap >a.json 2>a.err
rc=$?
[ $rc -eq 1 ] && [ ! -s a.err ] && ok "analyze - <file" || not_ok "analyze - <file: exit $rc, $(cat a.err)"
[ "$(figures a.json | sed 's/standard input/INPUT/')" = "$want" ] && ok "stdin: same figures" ||
    not_ok "stdin figures: $(figures a.json) vs $want"

# 2. A pipe through /dev/stdin; pcapng through a pipe keeps its format.
cat loss.pcap | "$PRECALL" analyze --json /dev/stdin >b.json 2>b.err
rc=$?
[ $rc -eq 1 ] && [ "$(figures b.json | sed 's#/dev/stdin#INPUT#')" = "$want" ] && ok "cat | analyze /dev/stdin" ||
    not_ok "cat | analyze /dev/stdin: exit $rc, $(cat b.err)"
cat steady.pcapng | "$PRECALL" analyze --json - >c.json 2>c.err
figures c.json | grep -q "'pcapng', None" && ok "pcapng from a pipe" || not_ok "pcapng from a pipe: $(figures c.json) $(cat c.err)"

# 3. Process substitution.
"$PRECALL" analyze --json <(cat loss.pcap) >d.json 2>d.err
rc=$?
[ $rc -eq 1 ] && [ "$(figures d.json | sed 's#/dev/fd/[0-9]*#INPUT#')" = "$want" ] && ok "process substitution" ||
    not_ok "process substitution: exit $rc, $(cat d.err)"

# 4. A FIFO with a writer; one with none; one whose writer stalls half-way.
mkfifo f1 f2 f3
cat loss.pcap >f1 &
pids+=($!)
"$PRECALL" analyze --json f1 >e.json 2>e.err
rc=$?
[ $rc -eq 1 ] && [ "$(figures e.json | sed 's#f1#INPUT#')" = "$want" ] && ok "FIFO" || not_ok "FIFO: exit $rc, $(cat e.err)"
start=$(date +%s)
timeout 60 "$PRECALL" analyze --json f2 >g.json 2>g.err &
p2=$!
sh -c 'head -c 3000 loss.pcap; exec sleep 50' >f3 2>/dev/null &
pids+=($!)
timeout 60 "$PRECALL" analyze --json f3 >h.json 2>h.err
rc3=$?
wait $p2
rc2=$?
took=$(($(date +%s) - start))
[ $rc2 -eq 66 ] && [ "$(wc -l <g.err)" -eq 1 ] && grep -q "f2: nothing arrived within 20 s" g.err && [ ! -s g.json ] &&
    ok "FIFO without a writer: exit 66 by the time limit" || not_ok "FIFO without a writer: exit $rc2, $(cat g.err)"
[ $rc3 -eq 3 ] && grep -q "f3: packet 13: nothing more arrived within the time limit (the 12 packets before it were analysed)" h.err &&
    "$PY" -c 'import json,sys; r=json.load(open("h.json")); assert [s["metrics"]["stream_packets"] for s in r["scopes"] if s["kind"]=="stream"] == [12]' &&
    ok "a stalled FIFO: exit 3 (no verdict, as its report says), the 12 packets before reported" || not_ok "stalled FIFO: exit $rc3, $(cat h.err)"
[ "$took" -ge 19 ] && [ "$took" -le 30 ] && ok "both ended by the time limit (${took} s)" || not_ok "took ${took} s, expected 20"

# 5. The same file twice: read once, said on stderr (one line) and in the report.
"$PRECALL" analyze --json loss.pcap loss.pcap >i.json 2>i.err
rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <i.err)" -eq 1 ] && grep -q "loss.pcap is the same file as loss.pcap: read once" i.err &&
    ok "the same file twice: one line" || not_ok "same file twice: exit $rc, $(cat i.err)"
[ "$(figures i.json)" = "$(figures file.json | sed "s/, None)]/, 'given again: read once')]/")" ] &&
    ok "the same file twice: counted once, the report says so" || not_ok "same file twice: $(figures i.json)"
ln -s loss.pcap other.pcap
"$PRECALL" analyze --json loss.pcap other.pcap >j.json 2>j.err
figures j.json | grep -q "('other.pcap', 0, 'unknown', 'the same file as loss.pcap: read once, not again')" &&
    [ "$(figures j.json | cut -d']' -f1)" = "$(figures file.json | cut -d']' -f1)" ] &&
    ok "the same file by another name: read once" || not_ok "another name: $(figures j.json) $(cat j.err)"
"$PRECALL" analyze --json - /dev/stdin <loss.pcap >k.json 2>k.err
grep -q "/dev/stdin is the same file as standard input: read once" k.err &&
    [ "$(figures k.json | cut -d']' -f1)" = "$(figures file.json | cut -d']' -f1)" ] &&
    ok "standard input twice: read once" || not_ok "stdin twice: $(cat k.err)"

# 6. Real captures whose clock jumps (public samples; CI has them): no 1970
# start where the clock was set part-way, no gap or jitter across a jump.
REAL=${CAPTURES_REAL:-$(cd "$(dirname "$0")/../.." && pwd)/../shared/captures-real}
if [ -f "$REAL/ndpi__discord.pcap" ]; then
    for f in ndpi__discord.pcap ndpi__line.pcap wsamples__sip-tls-1.3-and-rtcp__sip.pcap ndpi__stun.pcap; do
        "$PRECALL" analyze --json "$REAL/$f" >real.json 2>/dev/null
        "$PY" - real.json <<'PYEOF' && ok "$f: the clock jumps named, nothing absurd" || not_ok "$f: $(head -c 300 real.json)"
import json, sys
r = json.load(open(sys.argv[1]))
files = [s["metrics"]["capture_error"] or "" for s in r["scopes"] if s["kind"] == "file"]
streams = [s["metrics"] for s in r["scopes"] if s["kind"] == "stream"]
assert r["started_at"] >= "2000", r["started_at"]
assert "the capture's clock jumped" in files[0], files
assert all((m["stream_gap_max_ms"] or 0) < 3600e3 and (m["stream_jitter_max_ms"] or 0) < 60e3 for m in streams), streams
assert r["duration_ms"] < 86400e3, r["duration_ms"]
PYEOF
    done
elif [ "${CI:-}" = true ]; then
    not_ok "the real captures are missing ($REAL)"
else
    echo "skipped: the real captures ($REAL) are not here"
fi
exit $fail
