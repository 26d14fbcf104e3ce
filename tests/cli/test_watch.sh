#!/bin/bash
# precall watch: --count 3 --every 1s against local servers (stun_echo.py,
# speed_echo.py) makes three NDJSON lines, each a whole report: the first a
# full check (the speed test ran), the next two light (no speed test, no
# devices); each is in the history; stderr ends with the worst and the
# typical check, and on a terminal has one line per check. SIGINT during the second check stops it, prints its partial
# line and the summary, and exits 130. Bad values are usage errors.
. "$(dirname "$0")/lib.sh"

"$PY" "$SRC/tests/cli/stun_echo.py" >"$WORK/stun_port" &
stun=$!
"$PY" "$SRC/tests/cli/speed_echo.py" >"$WORK/speed_port" &
speedsrv=$!
trap 'kill $stun $speedsrv 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do [ -s "$WORK/stun_port" ] && [ -s "$WORK/speed_port" ] && break; sleep 0.1; done
servers=(--stun "127.0.0.1:$(cat "$WORK/stun_port")" --server "http://127.0.0.1:$(cat "$WORK/speed_port")")
export XDG_STATE_HOME=$WORK/state
H=$XDG_STATE_HOME/precall/history.ndjson

# Usage errors, before anything runs.
for bad in "--count 0" "--count x" "--count 1000000" "--every 0.5" "--every 2d" "--until 24:00" \
    "--until 9:30" "--until 12:60" "-o $WORK/x" "-f json" "-f ndjson" "--json" "--push http://x" \
    "-v" "--csv-header"; do
    # shellcheck disable=SC2086
    run watch $bad
    expect_rc 64 "watch $bad"
done
[ ! -e "$H" ] && ok || not_ok "a usage error wrote history"
# Its help lists what it accepts: check's probe options and its own, none
# about the report's format or file (it writes NDJSON lines on stdout).
run watch --help
expect_rc 0 "watch --help"
for o in --every --until --count --stun --server --only --skip --redact --no-history --quiet; do
    grep -qE -- "^ +(-[a-zA-Z0-9], )?$o( |\$)" "$out" && ok || not_ok "watch --help lacks $o"
done
for o in --format --output --json --csv-header --push --verbose --color --no-progress; do
    grep -qE -- "^ +(-[a-zA-Z0-9], )?$o( |\$)" "$out" && not_ok "watch --help lists $o, which watch refuses" || ok
done
grep -q '^Probes (for --only and --skip):' "$out" && grep -q '^Exit status:' "$out" && ok ||
    not_ok "watch --help: no probe list or exit statuses"
run check --count 3
expect_rc 64 "check --count"

# Three checks a second apart.
t0=$(date +%s)
run watch --count 3 --every 1s "${servers[@]}" --skip devices --duration 5
t1=$(date +%s)
[ "$(wc -l <"$out")" -eq 3 ] && ok || not_ok "watch --count 3: $(wc -l <"$out") lines on stdout"
"$PY" - "$out" "$rc" <<'PY' && ok || not_ok "watch --count 3: the lines"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len(lines) == 3, len(lines)
for r in lines:
    assert r["command"] == "check" and r["complete"] is True, r["complete"]
    assert r["probes"]["devices"]["status"] == "skipped", r["probes"]["devices"]
    assert r["probes"]["udp"]["status"] == "ok", r["probes"]["udp"]
# The first is full: the speed test ran; the others are light.
assert lines[0]["probes"]["bandwidth"]["status"] == "ok", lines[0]["probes"]["bandwidth"]
for r in lines[1:]:
    assert r["probes"]["bandwidth"]["status"] == "skipped", r["probes"]["bandwidth"]
    assert r["probes"]["http"]["status"] == "ok", r["probes"]["http"]
    assert r["probes"]["system"]["status"] == "ok", r["probes"]["system"]
# The exit status is the worst check's.
assert int(sys.argv[2]) == max(r["verdict"]["exit_code"] for r in lines), sys.argv[2]
PY
for i in 1 2 3; do
    sed -n "${i}p" "$out" >"$WORK/line$i.json"
    validate "$WORK/line$i.json"
done
grep -q '^precall watch: 3 checks (1 full, 2 light), 20[0-9-]*T[0-9:]* to 20[0-9-]*T[0-9:]*$' "$err" && ok ||
    not_ok "watch summary: $(cat "$err")"
grep -qE '^  worst:   (hd|sd|audio|none) +20[0-9-]+T[0-9:]+  RTT [0-9.]+ ms  jitter [0-9.]+ ms  loss [0-9.]+ %  down .*  up .*$' "$err" && ok ||
    not_ok "watch worst: $(cat "$err")"
grep -qE '^  typical: (hd|sd|audio|none) +\(median\)  RTT [0-9.]+ ms  jitter [0-9.]+ ms  loss [0-9.]+ %  down .*  up .*$' "$err" && ok ||
    not_ok "watch typical: $(cat "$err")"
[ "$(wc -l <"$err")" -eq 3 ] && ok || not_ok "watch stderr (not a terminal): $(cat "$err")"
[ "$((t1 - t0))" -lt 40 ] && ok || not_ok "watch --count 3 took $((t1 - t0)) s"
[ "$(wc -l <"$H")" -eq 3 ] && ok || not_ok "watch history: $(wc -l <"$H") lines"

# --no-history: nothing appended.
run watch --count 1 --every 1s "${servers[@]}" --only udp --duration 2 --no-history
expect_rc "$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"]["exit_code"])' "$out")" "watch --count 1"
[ "$(wc -l <"$H")" -eq 3 ] && ok || not_ok "watch --no-history: $(wc -l <"$H") lines"
grep -q '^precall watch: 1 check (1 full, 0 light)' "$err" && ok || not_ok "watch --count 1: $(cat "$err")"

# --redact: one pseudonym for the STUN server in every line, no address.
run watch --count 2 --every 1s "${servers[@]}" --only udp --duration 2 --no-history --redact
[ "$(wc -l <"$out")" -eq 2 ] && ok || not_ok "watch --redact: $(wc -l <"$out") lines"
grep -q '127\.0\.0\.1' "$out" && not_ok "watch --redact left an address: $(grep -o '.\{40\}127\.0\.0\.1.\{20\}' "$out" | head -2)" || ok
[ "$(sed -n 1p "$out" | grep -o 'ipv4-[0-9]*' | sort -u)" = ipv4-1 ] &&
    [ "$(sed -n 2p "$out" | grep -o 'ipv4-[0-9]*' | sort -u)" = ipv4-1 ] && ok ||
    not_ok "watch --redact: not one pseudonym in both lines: $(grep -o 'ipv4-[0-9]*' "$out" | sort | uniq -c)"

# --until HH:MM: no check starts at or after it. The next minute on the
# clock (waiting for a new minute when less than 15 s are left), checks 5 s
# apart: every line started before it, the last within 5 s of it, and the
# watch ended by then plus one check.
s_now=$(date +%-S)
[ "$s_now" -ge 45 ] && sleep $((61 - s_now))
until_hm=$(date -d "$(date +%H:%M) today + 1 minute" +%H:%M)
until_t=$(date -d "$until_hm" +%s)
run watch --until "$until_hm" --every 5s "${servers[@]}" --only udp --duration 2 --no-history
end_t=$(date +%s)
"$PY" - "$out" "$until_t" <<'PY' && ok || not_ok "watch --until $until_hm: $(cut -c1-120 "$out")"
import datetime, json, sys
until = int(sys.argv[2])
starts = [datetime.datetime.fromisoformat(json.loads(l)["started_at"].replace("Z", "+00:00")).timestamp()
          for l in open(sys.argv[1])]
assert len(starts) >= 2, starts
assert all(t < until for t in starts), (starts, until)
assert until - starts[-1] <= 5.5, (starts[-1], until)
PY
[ "$end_t" -le $((until_t + 4)) ] && ok || not_ok "watch --until ended at $end_t, $((end_t - until_t)) s after $until_hm"
grep -q '^precall watch: [0-9]* checks' "$err" && ok || not_ok "watch --until: no summary: $(cat "$err")"

# On a terminal, one line per check on stderr (script(1) gives the terminal).
if command -v script >/dev/null; then
    script -qec "$PRECALL watch --count 2 --every 1s ${servers[*]} --only udp,system --duration 2 --no-history 2>&1 >/dev/null" \
        /dev/null >"$WORK/tty" 2>&1 </dev/null
    tr -d '\r' <"$WORK/tty" >"$WORK/tty.txt"
    grep -qE '^20[0-9-]+T[0-9:]+  full   (hd|sd|audio|none) +RTT [0-9.]+ ms  jitter' "$WORK/tty.txt" &&
        grep -qE '^20[0-9-]+T[0-9:]+  light  (hd|sd|audio|none) +RTT [0-9.]+ ms  jitter' "$WORK/tty.txt" &&
        ok || not_ok "watch on a terminal: $(cat "$WORK/tty.txt")"
    grep -q '^precall watch: 2 checks (1 full, 1 light)' "$WORK/tty.txt" && ok || not_ok "watch on a terminal: no summary"
elif [ "${CI:-}" = true ]; then
    not_ok "script(1) is not installed"
fi

# SIGINT during the second check: its partial line, the summary, exit 130.
"$PRECALL" watch --count 3 --every 1s "${servers[@]}" --only udp --duration 4 >"$WORK/out" 2>"$WORK/err" </dev/null &
pid=$!
for _ in $(seq 200); do [ "$(wc -l <"$WORK/out")" -ge 1 ] && break; sleep 0.05; done
sleep 2 # the second check starts a second after the first did, and takes 4
kill -INT "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 130 ] && ok || not_ok "watch SIGINT: exit $rc, expected 130: $(cat "$WORK/err")"
"$PY" - "$WORK/out" <<'PY' && ok || not_ok "watch SIGINT: the lines $(cut -c1-200 "$WORK/out")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len(lines) == 2, len(lines)
assert lines[0]["complete"] is True and lines[0]["interrupted"] is False, lines[0]["complete"]
assert lines[1]["complete"] is False and lines[1]["interrupted"] is True, lines[1]["complete"]
assert lines[1]["signal"] == "SIGINT", lines[1]["signal"]
PY
grep -q '^precall watch: 1 check (1 full, 0 light), the last one stopped, ' "$WORK/err" && ok ||
    not_ok "watch SIGINT summary: $(cat "$WORK/err")"
grep -q '^  worst: ' "$WORK/err" && grep -q '^  typical: ' "$WORK/err" && ok ||
    not_ok "watch SIGINT: no worst and typical: $(cat "$WORK/err")"
finish
