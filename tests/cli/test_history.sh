#!/bin/bash
# The history of checks: each 'precall check' appends one line to
# $XDG_STATE_HOME/precall/history.ndjson (folders 0700, file 0600, the public
# address only as its /24), bounded to 1,000 lines; --no-history skips it; a
# history that cannot be written is a warning, never a failed check; 'precall
# history' lists it as text, JSON or NDJSON. "Worse than your usual on this
# network": a fixture history (written here) where the latest check's round
# trip is far above the usual says so; one where it is within does not; one
# on another network does not compare. A STUN server on loopback that answers
# 30 ms late (stun_delay.py) gives the check its round trip.
. "$(dirname "$0")/lib.sh"

"$PY" "$SRC/tests/cli/stun_delay.py" 30 >"$WORK/port" &
stun=$!
trap 'kill $stun 2>/dev/null; wait $stun 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
check=(--only udp --stun "127.0.0.1:$(cat "$WORK/port")" --duration 2 --no-progress)
export XDG_STATE_HOME=$WORK/state
H=$XDG_STATE_HOME/precall/history.ndjson

# fixture FILE PREFIX RTT...: a history of complete checks on the network
# with that public prefix (nothing else known, as this check knows), one per RTT
# (the round trip alone: jitter and loss on a busy machine vary too much to compare).
fixture() {
    "$PY" - "$@" <<'PY'
import json, sys
path, prefix, rtts = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(path, "w") as f:
    for i, rtt in enumerate(rtts):
        f.write(json.dumps({
            "schema": "precall.history/1", "started_at": "2026-12-01T10:%02d:00Z" % i,
            "command": "check", "tier": "sd", "status": "ready", "exit_code": 0,
            "complete": True,
            "network": {"interface": None, "link_kind": None, "wifi_ssid": None,
                        "public_prefix": prefix},
            "metrics": {"rtt_median_ms": float(rtt), "jitter_ms": None, "loss_pct": None,
                        "download_mbps": None, "upload_mbps": None, "dns_ms": None}},
            separators=(",", ":")) + "\n")
PY
}

# notes FILE: the worse-than-usual advice of a JSON report, "metric value threshold" per line.
notes() {
    "$PY" - "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for a in r["advice"]:
    if a["id"] == "worse-than-usual":
        print(a["metric"], a["value"], a["threshold"])
PY
}

# A first check: the folders and the file are made, private, with one line.
umask 022
run "${check[@]}" --json
[ "$rc" -le 3 ] && ok || not_ok "first check: exit $rc: $(cat "$err")"
[ ! -s "$err" ] && ok || not_ok "first check: stderr: $(cat "$err")"
validate "$out"
[ "$(wc -l <"$H")" -eq 1 ] && ok || not_ok "history after one check: $(wc -l <"$H") lines"
[ "$(stat -c %a "$H")" = 600 ] && ok || not_ok "history file mode $(stat -c %a "$H")"
[ "$(stat -c %a "$XDG_STATE_HOME/precall")" = 700 ] && ok || not_ok "history folder mode $(stat -c %a "$XDG_STATE_HOME/precall")"
[ "$(stat -c %a "$XDG_STATE_HOME")" = 700 ] && ok || not_ok "state folder mode $(stat -c %a "$XDG_STATE_HOME")"
"$PY" - "$H" "$out" <<'PY' && ok || not_ok "the history line: $(cat "$H")"
import json, sys
line = json.loads(open(sys.argv[1]).read())
r = json.load(open(sys.argv[2]))
assert line["schema"] == "precall.history/1", line
assert line["started_at"] == r["started_at"] and line["command"] == "check", line
assert line["tier"] == r["verdict"]["tier"] and line["exit_code"] == r["verdict"]["exit_code"], line
assert line["network"]["public_prefix"] == "127.0.0.0/24", line["network"]
assert line["metrics"]["rtt_median_ms"] == r["metrics"]["rtt_median_ms"], line["metrics"]
assert 25 <= line["metrics"]["rtt_median_ms"] <= 60, line["metrics"]
assert line["metrics"]["download_mbps"] is None, line["metrics"]
PY
grep -q '127\.0\.0\.1' "$H" && not_ok "the history holds the whole public address: $(cat "$H")" || ok

# Worse than usual: six earlier checks here at 1.0 to 1.5 ms; this one is about 30.
fixture "$H" 127.0.0.0/24 1.0 1.1 1.2 1.3 1.4 1.5
run "${check[@]}" --json
validate "$out"
notes "$out" >"$WORK/notes"
[ "$(wc -l <"$WORK/notes")" -eq 1 ] && grep -q '^rtt_median_ms [0-9.]* 1\.45$' "$WORK/notes" && ok ||
    not_ok "worse than usual: notes '$(cat "$WORK/notes")'"
[ "$(wc -l <"$H")" -eq 7 ] && ok || not_ok "history after the fixture's check: $(wc -l <"$H") lines"
fixture "$H" 127.0.0.0/24 1.0 1.1 1.2 1.3 1.4 1.5
run "${check[@]}" --color never
grep -qE '^  [0-9]+\. Latency \(round trip\) [0-9.]+ ms is worse than your usual on this network: at most 1\.4 ms over your last 6 checks here\. \[worse-than-usual\]$' "$out" && ok ||
    not_ok "text report: $(grep -i usual "$out" || tail -12 "$out")"

# Five earlier checks are enough, four are not.
fixture "$H" 127.0.0.0/24 1.0 1.1 1.2 1.3 1.4
run "${check[@]}" --json
[ "$(notes "$out" | wc -l)" -eq 1 ] && ok || not_ok "five earlier checks: no note"
fixture "$H" 127.0.0.0/24 1.0 1.1 1.2 1.3
run "${check[@]}" --json
[ "$(notes "$out" | wc -l)" -eq 0 ] && ok || not_ok "four earlier checks: $(notes "$out")"

# Within usual: earlier checks here took 25 to 80 ms.
fixture "$H" 127.0.0.0/24 25 30 40 50 60 80
run "${check[@]}" --json
[ "$(notes "$out" | wc -l)" -eq 0 ] && ok || not_ok "within usual: $(notes "$out")"

# Another network (another public prefix) does not compare.
fixture "$H" 198.51.100.0/24 1.0 1.1 1.2 1.3 1.4 1.5
run "${check[@]}" --json
[ "$(notes "$out" | wc -l)" -eq 0 ] && ok || not_ok "another network: $(notes "$out")"

# --no-history: no note, the file untouched.
fixture "$H" 127.0.0.0/24 1.0 1.1 1.2 1.3 1.4 1.5
cp "$H" "$WORK/before"
run "${check[@]}" --json --no-history
[ "$(notes "$out" | wc -l)" -eq 0 ] && ok || not_ok "--no-history: $(notes "$out")"
cmp -s "$H" "$WORK/before" && ok || not_ok "--no-history changed the history"

# 'precall history': one row per readable line; a damaged line is left out with a warning.
printf 'not a check\n' >>"$H"
run history
expect_rc 0 "history"
[ "$(wc -l <"$out")" -eq 7 ] && ok || not_ok "history text: $(wc -l <"$out") lines: $(cat "$out")"
head -1 "$out" | grep -q '^When (UTC) ' && ok || not_ok "history text header: $(head -1 "$out")"
grep -q '^2026-12-01 10:05:00  sd     ready .* 127\.0\.0\.0/24 .* 1\.5 ' "$out" && ok ||
    not_ok "history text row: $(sed -n 7p "$out")"
expect_err "1 line could not be read and is left out"
run history -f ndjson
expect_rc 0 "history -f ndjson"
"$PY" - "$H" "$out" <<'PY' && ok || not_ok "history -f ndjson is not the stored lines: $(head -2 "$out")"
import json, sys
stored = [json.loads(l) for l in open(sys.argv[1]).read().splitlines()[:6]]
listed = [json.loads(l) for l in open(sys.argv[2]).read().splitlines()]
assert listed == stored, (listed, stored)
PY
run history --json
expect_rc 0 "history --json"
"$PY" -c 'import json,sys; a = json.load(open(sys.argv[1])); assert len(a) == 6 and a[5]["metrics"]["rtt_median_ms"] == 1.5, a' "$out" &&
    ok || not_ok "history --json: $(head -c 300 "$out")"
for csv in "--csv" "-f csv"; do
    # shellcheck disable=SC2086
    run history $csv
    expect_rc 0 "history $csv"
    "$PY" - "$H" "$out" <<'PY' && ok || not_ok "history $csv is not the stored lines: $(head -3 "$out")"
import csv, json, math, sys
stored = [json.loads(l) for l in open(sys.argv[1]).read().splitlines()[:6]]
raw = open(sys.argv[2], newline="").read()
assert raw.endswith("\r\n") and raw.count("\r\n") == 7, repr(raw[:200])
rows = list(csv.reader(raw.splitlines()))
head, rows = rows[0], rows[1:]
assert head[:10] == ["started_at", "command", "tier", "status", "exit_code", "complete",
                     "interface", "link_kind", "wifi_ssid", "public_prefix"], head
assert "rtt_median_ms (ms)" in head and "download_mbps (Mbit/s)" in head, head
assert len(rows) == 6, rows
for row, line in zip(rows, stored):
    cell = dict(zip(head, row))
    assert cell["started_at"] == line["started_at"] and cell["tier"] == line["tier"], (cell, line)
    assert cell["exit_code"] == str(line["exit_code"]), (cell, line)
    assert cell["public_prefix"] == (line.get("network") or {}).get("public_prefix") or "", (cell, line)
    for name, value in cell.items():
        key = name.split(" ")[0]
        if key in line.get("metrics", {}):
            want = line["metrics"][key]
            assert (value == "" if want is None else float(value) == want), (name, value, want)
assert float(dict(zip(head, rows[5]))["rtt_median_ms (ms)"]) == 1.5, rows[5]
PY
done
run history -f text --stun 127.0.0.1
expect_rc 64 "history --stun"
rm "$H"
run history
expect_rc 0 "history without a file"
grep -qx '(no checks yet)' "$out" && ok || not_ok "empty history: $(cat "$out")"

# The bound: 1,000 lines; the next check pushes out the oldest.
"$PY" - "$H" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(1000):
        f.write('{"schema":"precall.history/1","started_at":"old-%d","command":"check","tier":"hd",'
                '"status":"ready","exit_code":0,"complete":true}\n' % i)
PY
run "${check[@]}" --json
[ "$(wc -l <"$H")" -eq 1000 ] && ok || not_ok "bound: $(wc -l <"$H") lines"
head -1 "$H" | grep -q '"old-1"' && ok || not_ok "bound: first line $(head -1 "$H")"
tail -1 "$H" | grep -q '"public_prefix":"127.0.0.0/24"' && ok || not_ok "bound: last line $(tail -1 "$H")"
[ "$(stat -c %a "$H")" = 600 ] && ok || not_ok "bound: mode $(stat -c %a "$H") after the rewrite"

# A history that cannot be written: a warning, the report, the check's own exit status.
export XDG_STATE_HOME=$WORK/afile
: >"$XDG_STATE_HOME"
run "${check[@]}" --json
validate "$out"
code=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"]["exit_code"])' "$out")
[ "$rc" -eq "$code" ] && ok || not_ok "unwritable history: exit $rc, the verdict says $code"
grep -q '^precall: warning: no history written: cannot create .*afile/precall: Not a directory$' "$err" && ok ||
    not_ok "unwritable history: stderr '$(cat "$err")'"
finish
