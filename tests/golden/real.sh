#!/bin/bash
# golden.real: 'precall analyze' on every real capture of public projects in
# shared/captures-real (beside the source tree; their origins in its
# SOURCES.md; never copied into the repository). None may crash, hang or
# lose its report: each ends in time with an exit status of the table (0-3,
# 65 for a damaged file), a report that validates against the schema, a
# verdict that agrees with the exit status, and figures a person can believe
# (no start before 2000, no gap longer than the capture, no jitter of hours).
#   real.sh SRC   (PRECALL, PY from the environment; CAPTURES_REAL overrides the folder)
set -u
SRC=$1
PY=${PY:-/usr/bin/python3}
REAL=${CAPTURES_REAL:-$SRC/../shared/captures-real}
if [ ! -d "$REAL" ]; then
    [ "${CI:-}" = true ] && { echo "FAIL no real captures at $REAL in CI"; exit 1; }
    echo "SKIP no real captures at $REAL"
    exit 77
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail=0 n=0
for f in "$REAL"/*.pcap "$REAL"/*.pcapng "$REAL"/*.cap "$REAL"/*.raw; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    name=$(basename "$f")
    timeout 60 "$PRECALL" analyze --json --timeout 10 "$f" >"$WORK/r.json" 2>"$WORK/err"
    rc=$?
    case $rc in
    0 | 1 | 2 | 3 | 65) ;;
    *) echo "FAIL $name: exit $rc: $(head -c 300 "$WORK/err")"; fail=1; continue ;;
    esac
    "$PY" - "$WORK/r.json" "$rc" "$SRC/data/schema/report.schema.json" "$name" <<'PYEOF' || { echo "FAIL $name"; fail=1; continue; }
import json, sys
import jsonschema
r = json.load(open(sys.argv[1]))
rc = int(sys.argv[2])
jsonschema.validate(r, json.load(open(sys.argv[3])))
v = r["verdict"]
if rc != 65:
    assert v["exit_code"] == rc, (v["exit_code"], rc)
# tcpdump's crash reproducers were written with every timestamp in 1970: their
# start is the file's truth, not a clock that jumped.
if not sys.argv[4].startswith("tcpdump__rtp-seg-fault"):
    assert r["started_at"] >= "2000", r["started_at"]
span_ms = r["duration_ms"]
for s in r["scopes"]:
    m = s["metrics"]
    if s["kind"] != "stream":
        continue
    gap, jit = m.get("stream_gap_max_ms"), m.get("stream_jitter_ms")
    assert gap is None or gap <= span_ms + 1, ("gap", gap, "over a capture of", span_ms, s["id"])
    assert jit is None or jit < 60000, ("jitter", jit, s["id"])
    assert m.get("stream_loss_pct") is None or 0 <= m["stream_loss_pct"] <= 100, s["id"]
PYEOF
done
echo "$n real captures analysed"
[ "$n" -ge 60 ] || { echo "FAIL only $n real captures found in $REAL"; fail=1; }
if [ "$fail" = 0 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; fi
exit "$fail"
