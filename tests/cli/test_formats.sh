#!/bin/bash
# -f csv and -f openmetrics on real runs: analyses of real captures, a check
# of this machine's fixture host (deterministic figures), and a check against
# the loopback STUN and speed-test servers. CSV is read with Python's csv
# module: its header is the metric table's (read from src/core/metrics.c, not
# from the program) and its values are the JSON report's. OpenMetrics passes
# 'promtool check metrics' and its values are the JSON report's in base units.
. "$(dirname "$0")/lib.sh"
CAP=/work/shared/captures-real
[ -d "$CAP" ] || CAP=${PRECALL_CAPTURES:-$CAP}
[ -d "$CAP" ] || skip "no real captures in $CAP"
command -v promtool >/dev/null || skip "promtool (Debian package prometheus) is not installed"
FIX=$SRC/tests/fixtures/sysroot

# The comparisons, in one place: csv_vs_json CSV JSON, om_vs_json OM JSON.
cat >"$WORK/compare.py" <<'PY'
import csv, json, re, sys

def table():
    """The metric table's run-scope columns, in order, from metrics.c itself."""
    src = open(sys.argv[2] + "/src/core/metrics.c").read()
    cols = []
    for m in re.finditer(r"ROW\(PC_M_\w+,(.*?)\),\n", src, re.S):
        body = m.group(1)
        key = re.search(r'\.key = "([^"]*)"', body).group(1)
        unit = re.search(r'\.unit = "([^"]*)"', body).group(1)
        scopes = re.search(r"\.scopes = ([^,\n]*)", body).group(1)
        level = re.search(r"\.level = (\w+)", body).group(1)
        if level == "PC_LEVEL_SERIES" or not re.search(r"\b(RUN|PATH)\b", scopes):
            continue
        cols.append((key, key + " (" + unit + ")" if unit else key))
    return cols

LEAD = ["started_at", "command", "profile", "tier", "ready", "exit_code", "status"]

def cell(v):
    if v is None:
        return ""
    if v is True or v is False:
        return "true" if v else "false"
    return v

def csv_vs_json(csvfile, jsonfile):
    raw = open(csvfile, newline="").read()
    assert raw.endswith("\r\n"), "RFC 4180 lines end in CRLF"
    rows = list(csv.reader(open(csvfile, newline="")))
    assert len(rows) == 2, len(rows)
    cols = table()
    assert rows[0] == LEAD + [h for _, h in cols], (rows[0], cols)
    rep = json.load(open(jsonfile))
    got = dict(zip(rows[0], rows[1]))
    v = rep["verdict"]
    want = {"started_at": rep["started_at"], "command": rep["command"], "profile": rep["profile"],
            "tier": v["tier"], "ready": cell(v["ready"]), "exit_code": str(v["exit_code"]),
            "status": v["status"]}
    for k, w in want.items():
        assert got[k] == w or k == "started_at", (k, got[k], w)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", got["started_at"]), got["started_at"]
    n = 0
    for key, head in cols:
        j = rep["metrics"].get(key)
        c = got[head]
        if isinstance(j, (int, float)) and not isinstance(j, bool):
            assert c != "" and float(c) == j, (key, c, j)
            n += 1
        else:
            assert c == cell(j), (key, c, j)
            n += j is not None
    return got, n

# The base unit and factor of each display unit, as the man page states them.
BASE = {"ms": ("seconds", 1e-3), "s": ("seconds", 1), "%": ("ratio", 1e-2),
        "Mbit/s": ("bytes_per_second", 1e6 / 8), "kbit/s": ("bytes_per_second", 1e3 / 8),
        "MiB": ("bytes", 1048576), "bytes": ("bytes", 1), "Hz": ("hertz", 1),
        "px": ("pixels", 1), "dBm": ("dbm", 1), "dBFS": ("dbfs", 1)}
SUFFIX = {"ms": "_ms", "s": "_s", "%": "_pct", "Mbit/s": "_mbps", "kbit/s": "_kbps", "MiB": "_mib",
          "bytes": "_bytes", "Hz": "_hz", "px": "_px", "dBm": "_dbm", "dBFS": "_dbfs"}

def om_name(key, unit):
    if unit in BASE:
        stem = key[: -len(SUFFIX[unit])] if key.endswith(SUFFIX[unit]) else key
        return "precall_" + stem + "_" + BASE[unit][0], BASE[unit][1]
    if key.endswith("_count"):
        return "precall_" + key[:-6] + "s", 1
    return "precall_" + key, 1

def om_vs_json(omfile, jsonfile):
    text = open(omfile).read()
    assert text.endswith("# EOF\n") and text.count("# EOF") == 1, text[-100:]
    samples = {}
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        name, val = line.rsplit(" ", 1)
        samples[name] = val
    rep = json.load(open(jsonfile))
    src = open(sys.argv[2] + "/src/core/metrics.c").read()
    units = {m.group(1): m.group(2) for m in re.finditer(r'\.key = "([^"]*)".*?\.unit = "([^"]*)"', src, re.S)}
    scopes = [(None, rep["metrics"])] + [((s["kind"], s["id"]), s["metrics"]) for s in rep["scopes"]]
    n = 0
    for where, ms in scopes:
        for key, j in ms.items():
            if j is None or isinstance(j, str):
                continue
            name, scale = om_name(key, units[key])
            if where is not None:
                esc = where[1].replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                name += '{%s="%s"}' % (where[0], esc)
            assert name in samples, (name, sorted(samples)[:20])
            want = float(j) if not isinstance(j, bool) else float(j)
            assert samples[name] == "%.15g" % (want * scale), (name, samples[name], want * scale)
            n += 1
    v = rep["verdict"]
    tiers = {"none": 0, "audio": 1, "sd": 2, "hd": 3}
    assert samples["precall_ready"] == ("1" if v["ready"] else "0")
    assert samples["precall_exit_code"] == str(v["exit_code"])
    assert samples["precall_tier"] == str(-1 if v["status"] == "no-verdict" else tiers[v["tier"]]), (samples["precall_tier"], v)
    return samples, n

what = sys.argv[1]
if what == "csv":
    got, n = csv_vs_json(sys.argv[3], sys.argv[4])
    for kv in sys.argv[5:]:
        k, w = kv.split("=", 1)
        assert got[k] == w, (k, got[k], w)
    print("csv: %d values compared" % n)
else:
    samples, n = om_vs_json(sys.argv[3], sys.argv[4])
    for kv in sys.argv[5:]:
        k, w = kv.split("=", 1)
        assert samples.get(k) == w, (k, samples.get(k), w)
    print("openmetrics: %d values compared" % n)
PY
compare() { "$PY" "$WORK/compare.py" "$1" "$SRC" "${@:2}"; }

# --csv-header: the header alone, exit 0, the same as -f csv's first line.
run --csv-header
expect_rc 0 "--csv-header"
[ "$(wc -l <"$out")" -eq 1 ] && ok || not_ok "--csv-header: $(wc -l <"$out") lines"
run analyze --csv-header
expect_rc 0 "analyze --csv-header"
cp "$out" "$WORK/h.analyze"
run --csv-header
diff -q "$out" "$WORK/h.analyze" >/dev/null && ok ||
    not_ok "the header differs between commands"

# --format names the formats of the renderer table when refused.
run -f xml
expect_rc 64 "-f xml"
expect_err "--format: expected text, json, ndjson, csv, openmetrics or html, not 'xml'"

# Analyses of real captures: every capture, both formats, against the JSON report.
for f in "$CAP"/ndpi__rtp.pcapng "$CAP"/lekensteyn__webrtc-freeswitch.pcapng "$CAP"/ndpi__discord.pcap \
    "$CAP"/ndpi__stun_wa_call.pcapng "$CAP"/ndpi__skype-conference-call.pcap; do
    b=$(basename "$f")
    "$PRECALL" analyze --json "$f" >"$WORK/$b.json" 2>/dev/null
    jrc=$?
    run analyze -f csv "$f"
    [ "$rc" -eq "$jrc" ] && ok || not_ok "$b: -f csv exit $rc, --json $jrc"
    compare csv "$out" "$WORK/$b.json" command=analyze >"$WORK/log" 2>&1 && ok || not_ok "$b csv: $(tail -3 "$WORK/log")"
    run analyze -f openmetrics "$f"
    [ "$rc" -eq "$jrc" ] && ok || not_ok "$b: -f openmetrics exit $rc, --json $jrc"
    promtool check metrics <"$out" >"$WORK/lint" 2>&1 && ok || not_ok "$b: promtool: $(cat "$WORK/lint")"
    compare om "$out" "$WORK/$b.json" >"$WORK/log" 2>&1 && ok || not_ok "$b openmetrics: $(tail -3 "$WORK/log")"
done
# Exact values of one stream of ndpi__rtp.pcapng: 0.913 ms of jitter is 0.000913 s,
# a 77.061 ms gap 0.077061 s.
run analyze -f openmetrics "$CAP/ndpi__rtp.pcapng"
expect_out 'precall_stream_jitter_seconds{stream="10.204.220.71:6000>10.204.220.171:6000/0x00001646"} 0.000913'
expect_out 'precall_stream_gap_max_seconds{stream="10.204.220.71:6000>10.204.220.171:6000/0x00001646"} 0.077061'
expect_out 'precall_capture_packets{file="'"$CAP"'/ndpi__rtp.pcapng"} 112'

# A check of the fixture host (the system probe reads a fixture tree): known figures.
export PRECALL_SYSROOT=$FIX/wifi-weak-battery-low
run --only system --no-progress -f csv
expect_rc 1 "system check, csv"
cp "$out" "$WORK/sys.csv"
run --only system --no-progress --json
cp "$out" "$WORK/sys.json"
compare csv "$WORK/sys.csv" "$WORK/sys.json" command=check tier=none ready=false exit_code=1 \
    status=degraded link_kind=wifi "wifi_signal_dbm (dBm)=-79" "battery_pct (%)=12" \
    on_battery=true cpu_count=4 "memory_total_mib (MiB)=7762" "mtu_bytes (bytes)=1500" \
    "dns_ms (ms)=" >"$WORK/log" 2>&1 && ok || not_ok "system csv: $(tail -3 "$WORK/log")"
run --only system --no-progress -f openmetrics
expect_rc 1 "system check, openmetrics"
promtool check metrics <"$out" >"$WORK/lint" 2>&1 && ok || not_ok "system: promtool: $(cat "$WORK/lint")"
compare om "$out" "$WORK/sys.json" precall_wifi_signal_dbm=-79 precall_battery_ratio=0.12 \
    precall_on_battery=1 precall_cpus=4 precall_memory_total_bytes=8139046912 \
    precall_mtu_bytes=1500 precall_tier=0 precall_ready=0 precall_exit_code=1 \
    >"$WORK/log" 2>&1 && ok || not_ok "system openmetrics: $(tail -3 "$WORK/log")"
# The devices of a fixture host: device scopes as labels, promtool-clean.
run devices --no-progress -f openmetrics
promtool check metrics <"$out" >"$WORK/lint" 2>&1 && ok || not_ok "devices: promtool: $(cat "$WORK/lint")"
grep -q '^precall_[a-z_]*{device="[^"]*"} ' "$out" && ok || not_ok "devices: no device label"
unset PRECALL_SYSROOT

# A check against the loopback servers: the same columns filled as the JSON
# report of a like run, and promtool takes it with its phase and server labels.
"$PY" "$SRC/tests/cli/stun_echo.py" >"$WORK/stun_port" &
stun=$!
"$PY" "$SRC/tests/cli/speed_echo.py" >"$WORK/speed_port" &
speedsrv=$!
trap 'kill $stun $speedsrv 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do [ -s "$WORK/stun_port" ] && [ -s "$WORK/speed_port" ] && break; sleep 0.1; done
servers="--stun 127.0.0.1:$(cat "$WORK/stun_port") --server http://127.0.0.1:$(cat "$WORK/speed_port") --skip devices,system --no-progress --duration 5"
# The udp probe alone measures the same set of figures each time.
# shellcheck disable=SC2086
run $servers --only udp -f csv
cp "$out" "$WORK/net.csv"
# shellcheck disable=SC2086
run $servers --only udp --json
cp "$out" "$WORK/net.json"
"$PY" - "$WORK/net.csv" "$WORK/net.json" <<'PY' && ok || not_ok "loopback check csv"
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
rep = json.load(open(sys.argv[2]))
got = dict(zip(rows[0], rows[1]))
head = {h.split(" (")[0]: h for h in rows[0]}
filled = sorted(k for k, v in rep["metrics"].items() if v is not None and k in head)
assert filled == sorted(k for k in head if got[head[k]] != "" and k in rep["metrics"]), (filled, got)
for k in ("online", "udp_reachable"):
    assert got[k] == "true", (k, got[k])
assert got["public_address"] == "127.0.0.1", got["public_address"]
assert int(got["probes_sent"]) > 0 and float(got["rtt_median_ms (ms)"]) >= 0
print(len(filled), "columns filled")
PY
# shellcheck disable=SC2086
run $servers -f openmetrics
promtool check metrics <"$out" >"$WORK/lint" 2>&1 && ok || not_ok "loopback: promtool: $(cat "$WORK/lint")"
grep -q '^precall_rtt_median_seconds{server="127.0.0.1:'"$(cat "$WORK/stun_port")"'"} ' "$out" && ok ||
    not_ok "no server label: $(grep rtt_median "$out")"
grep -q '^precall_bandwidth_bytes{phase="download"} [0-9]' "$out" && ok ||
    not_ok "no phase label: $(grep bandwidth_bytes "$out")"
finish
