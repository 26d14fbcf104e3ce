#!/bin/bash
# --format ndjson: one JSON object per line, written as events happen, the
# full report last; every line validates against the schema; a live figure
# arrives while the check still runs. With -o the file is whole at the end.
. "$(dirname "$0")/lib.sh"
start_coturn
# The checks here are about the stream, not the verdict: a copy of the therapy
# profile without the limits of the probes left out, so the check is whole.
"$PY" "$SRC/tests/cli/profile_without.py" "$SRC/data/profiles/therapy.json" "$WORK/udp.json" \
    system devices bandwidth

"$PY" - "$PRECALL" "$port" "$SRC/data/schema/report.schema.json" "$WORK/udp.json" <<'PY' && ok || not_ok "ndjson stream"
import json, subprocess, sys, time
import jsonschema
precall, port, schema = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
v = jsonschema.Draft202012Validator(schema)
p = subprocess.Popen([precall, "-f", "ndjson", "--stun", "127.0.0.1:" + port, "--only", "udp", "-p", sys.argv[4],
                      "--duration", "4"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
lines = []
for raw in p.stdout:           # read as the lines come, not at the end
    lines.append((time.monotonic(), json.loads(raw)))
p.wait()
assert p.returncode == 0, (p.returncode, p.stderr.read())
for _, o in lines:
    errs = list(v.iter_errors(o))
    assert not errs, (o, errs[0].message)
kinds = [o.get("event") for _, o in lines]
assert kinds[0] == "run_start" and kinds[-2] == "run_done" and kinds[-1] is None, kinds
assert lines[-1][1]["schema"] == "precall.report/1" and lines[-1][1]["complete"] is True
figs = [(t, o) for t, o in lines if o.get("event") == "figure"]
assert figs, kinds
assert figs[0][1]["metric"] == "rtt_ms" and figs[0][1]["scope"] == {"kind": "run", "id": "run"}, figs[0]
# Live: the first figure came well before the report (the stream runs for seconds).
assert lines[-1][0] - figs[0][0] > 1.0, (lines[-1][0] - figs[0][0])
phases = [o["phase"] for _, o in lines if o.get("event") == "phase"]
assert phases == ["discovery", "idle"], phases
done = [o for _, o in lines if o.get("event") == "probe_done"]
assert [(o["probe"], o["status"]) for o in done] == [("udp", "ok")], done
print("figures:", len(figs), "lines:", len(lines))
PY

# A figure's value in the stream is the report's value: the dns probe's
# lookup time (a name from /etc/hosts) is the report's dns_ms, and every
# live round trip is a point of the report's rtt_ms series, to the digit.
run -f ndjson -4 --stun "localhost:$port" --only dns,udp -p "$WORK/udp.json" --duration 1 --no-progress
expect_rc 0 "ndjson with a name to look up"
"$PY" - "$out" <<'PY' && ok || not_ok "figures in the stream differ from the report"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
report = lines[-1]
figs = [o for o in lines if o.get("event") == "figure"]
dns = [o["value"] for o in figs if o["metric"] == "dns_ms"]
assert dns == [report["metrics"]["dns_ms"]], (dns, report["metrics"]["dns_ms"])
rtts = [o["value"] for o in figs if o["metric"] == "rtt_ms"]
assert rtts, [o["metric"] for o in figs]
series = report["series"]["rtt_ms"]["values"]
assert all(v in series for v in rtts), (rtts, series[:10])
print("dns_ms", dns, "rtt figures", len(rtts), "of", len(series))
PY

# -o: the file holds the whole stream, every line valid; stdout (not a terminal) stays empty.
run -f ndjson --stun "127.0.0.1:$port" --only udp -p "$WORK/udp.json" --duration 1 -o "$WORK/run.ndjson"
expect_rc 0 "ndjson to a file"
expect_empty_out
n=0
while IFS= read -r line; do
    printf '%s\n' "$line" >"$WORK/line.json"
    validate "$WORK/line.json"
    n=$((n + 1))
done <"$WORK/run.ndjson"
[ "$n" -ge 6 ] && ok || not_ok "only $n lines in the file"
tail -n 1 "$WORK/run.ndjson" | grep -q '"schema":"precall.report/1"' && ok || not_ok "the report is not the last line"
finish
