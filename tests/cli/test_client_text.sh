#!/bin/bash
# What a client sees on the terminal, through the real binary against a
# coturn on loopback:
#  - TERM=dumb: the progress line shows, with no escape sequence at all
#  - the progress line speaks a client's words ("Looking up the test
#    servers", "Measuring delay and packet loss"), not "checking udp"
#  - -q prints exactly one line: ready, degraded, not ready, interrupted,
#    nothing checked -- on a pipe and on a terminal
#  - -v: the udp target line's counts are the report's probes_sent/answered
#  - the text report ends with "precall VERSION, profile NAME, started
#    TIME, servers LIST"
#  - -o FILE on a terminal shows the text report and writes the chosen
#    format to FILE; off a terminal stdout stays empty
# script(1) gives the program a pseudo-terminal. Degraded and not-ready
# verdicts come from profiles whose latency limits loopback cannot meet.
. "$(dirname "$0")/lib.sh"

command -v script >/dev/null || skip "script(1) is not installed"
start_coturn
# The verdicts of this test are about UDP: a copy of the therapy profile
# without the device, host and speed limits, and those probes left out (CI's
# machine has no camera or microphone, and no test reaches the internet).
"$PY" "$SRC/tests/cli/profile_without.py" "$SRC/data/profiles/therapy.json" "$WORK/network.json" \
    system devices bandwidth
S="--stun 127.0.0.1:$port --skip devices,system,http,bandwidth -p $WORK/network.json"

# on_tty FILE ENV... -- ARGS...: precall ARGS on a pty, everything it prints to FILE
on_tty() {
    local f=$1 envs=() cmd
    shift
    while [ "$1" != "--" ]; do envs+=("$1"); shift; done
    shift
    printf -v cmd '%q ' "$PRECALL" "$@"
    env "${envs[@]}" script -qec "$cmd" /dev/null >"$f" 2>&1 </dev/null
    rc=$?
}

# 1. TERM=dumb: the progress line, in a client's words, without escapes.
on_tty "$WORK/dumb" TERM=dumb -- $S --duration 2
grep -qa "Looking up the test servers" "$WORK/dumb" && ok || not_ok "dumb: no 'Looking up the test servers'"
grep -qa "Measuring delay and packet loss" "$WORK/dumb" && ok ||
    not_ok "dumb: no 'Measuring delay and packet loss': $(head -c 300 "$WORK/dumb")"
grep -qa $'\033\\[' "$WORK/dumb" && not_ok "dumb: escape sequence on a dumb terminal: $(od -c "$WORK/dumb" | head -4)" || ok
grep -qa "Ready for HD video" "$WORK/dumb" && ok || not_ok "dumb: no verdict"
on_tty "$WORK/xterm" TERM=xterm -- $S --duration 2
grep -qa "Measuring delay and packet loss" "$WORK/xterm" && ok || not_ok "xterm: no 'Measuring delay and packet loss'"
grep -qaiE "checking (udp|dns)" "$WORK/dumb" "$WORK/xterm" && not_ok "progress speaks of probes: 'checking udp'" || ok

# 2. -q: exactly one line, whatever happened.
"$PY" - "$WORK/network.json" "$WORK" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p["name"] = "strict-hd"
p["thresholds"]["rtt_median_ms"] = {"hd": 0.001, "sd": 250, "audio": 400}
json.dump(p, open(sys.argv[2] + "/degraded.json", "w"))
p["name"] = "strict-all"
p["thresholds"]["rtt_median_ms"] = {"hd": 0.001, "sd": 0.001, "audio": 0.001}
json.dump(p, open(sys.argv[2] + "/notready.json", "w"))
PY
quiet() { # WANT_RC WANT_LINE ARGS...
    local want_rc=$1 want=$2
    shift 2
    run -q "$@"
    [ "$rc" -eq "$want_rc" ] && ok || not_ok "-q $*: exit $rc, expected $want_rc"
    [ "$(wc -l <"$out")" -eq 1 ] && ok || not_ok "-q $*: $(wc -l <"$out") lines: $(cat "$out")"
    [ "$(cat "$out")" = "$want" ] && ok || not_ok "-q $*: '$(cat "$out")', expected '$want'"
    [ ! -s "$err" ] && ok || not_ok "-q $*: stderr: $(cat "$err")"
}
quiet 0 "Ready for HD video" $S --duration 2
quiet 1 "Video will work at reduced quality" $S --duration 2 -p "$WORK/degraded.json" --require hd
quiet 2 "Not ready" $S --duration 2 -p "$WORK/notready.json"
quiet 3 "No verdict: nothing was checked" --only dns --stun 127.0.0.1
"$PRECALL" -q $S --duration 30 >"$WORK/qint" 2>"$WORK/qint.err" </dev/null &
pid=$!
sleep 1
kill -INT "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 130 ] && ok || not_ok "-q interrupted: exit $rc"
[ "$(wc -l <"$WORK/qint")" -eq 1 ] && ok || not_ok "-q interrupted: $(wc -l <"$WORK/qint") lines: $(cat "$WORK/qint")"
[ "$(cat "$WORK/qint")" = "No verdict: the check was interrupted before it finished" ] && ok ||
    not_ok "-q interrupted: '$(cat "$WORK/qint")'"
# On a terminal: the one line and nothing else (no progress).
on_tty "$WORK/qtty" TERM=xterm -- -q $S --duration 2 -p "$WORK/degraded.json" --require hd
[ "$(tr -d '\r' <"$WORK/qtty")" = "Video will work at reduced quality" ] && ok ||
    not_ok "-q on a terminal: $(od -c "$WORK/qtty" | head -5)"

# 3. -v: the target line counts what the report counts.
run -v --color never $S --duration 2
expect_rc 0 "-v"
"$PY" - "$out" <<'PY' && ok || not_ok "-v: target counts disagree with Probes sent/answered: $(grep -aE 'target|Probes' "$out")"
import re, sys
t = open(sys.argv[1]).read()
sent = int(re.search(r"^  \S+ +Probes sent +(\d+)$", t, re.M).group(1))
answered = int(re.search(r"^  \S+ +Probes answered +(\d+)$", t, re.M).group(1))
line = [l for l in t.splitlines() if " target 127.0.0.1 " in l and "probed" in l]
assert len(line) == 1, line
a, s = map(int, re.search(r"(\d+) of (\d+)", line[0]).groups())
assert (a, s) == (answered, sent), (line[0], sent, answered)
assert sent > 20, sent
PY
run -v $S --duration 2 --json
validate "$out"
"$PY" - "$out" <<'PY' && ok || not_ok "-v json: udp target detail disagrees with metrics"
import json, re, sys
r = json.load(open(sys.argv[1]))
d = [t["detail"] for t in r["probes"]["udp"]["targets"] if "probed" in t["detail"]]
a, s = map(int, re.search(r"(\d+) of (\d+)", d[0]).groups())
assert (a, s) == (r["metrics"]["probes_answered"], r["metrics"]["probes_sent"]), (d, r["metrics"])
PY

# 4. The support line ends the text report.
run --color never $S --duration 2
last=$(tail -n 1 "$out")
[[ "$last" =~ ^precall\ [0-9]+\.[0-9]+\.[0-9]+[^,]*,\ profile\ therapy,\ started\ [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z,\ servers\ 127\.0\.0\.1:$port$ ]] &&
    ok || not_ok "support line: '$last'"
version=$("$PRECALL" --version | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -1)
[[ "$last" == "precall $version,"* ]] && ok || not_ok "support line version: '$last' vs '$version'"

# 5. -o FILE: on a terminal the text report shows too; the file gets JSON.
rm -f "$WORK/r.json"
on_tty "$WORK/otty" TERM=dumb -- $S --duration 2 --json -o "$WORK/r.json"
[ "$rc" -eq 0 ] && ok || not_ok "-o on a terminal: exit $rc"
validate "$WORK/r.json"
grep -qa "Ready for HD video" "$WORK/otty" && ok || not_ok "-o on a terminal: no text report: $(head -c 400 "$WORK/otty")"
grep -qa "^precall .*, servers 127.0.0.1:$port" "$WORK/otty" && ok || not_ok "-o on a terminal: no support line"
grep -qa '"schema"' "$WORK/otty" && not_ok "-o on a terminal: JSON on the screen" || ok
rm -f "$WORK/r.json"
run $S --duration 2 --json -o "$WORK/r.json"
expect_rc 0 "-o off a terminal"
expect_empty_out
validate "$WORK/r.json"
finish
