#!/bin/bash
# Signals at the edges. The report goes to a FIFO that nobody reads yet, so
# after the first signal precall waits there with its partial report, and
# the next signal arrives at a known moment (two signals sent together may
# be delivered in either order, and two of a kind merge into one):
#  - a second signal of the same kind (Ctrl-C twice) ends it at once, by
#    that signal, with no report;
#  - a different second signal does not: the wait for a reader goes on
#    (before, the interrupted open sent the report to stdout, exit 74), and
#    the report, the text and the exit status name the first one.
# (Two different signals during the run, in an order that is certain:
# tests/unit/test_signals.c.)
# A local STUN server (stun_echo.py) on loopback keeps the check running.
. "$(dirname "$0")/lib.sh"

start_stun_echo

# edge FIRST SECOND FORMAT: prints "EXIT SIGNAL-NAMED" and leaves the report in $WORK/report
edge() {
    rm -f "$WORK/fifo" "$WORK/report"
    mkfifo "$WORK/fifo"
    "$PY" - "$PRECALL" "$port" "$WORK" "$@" <<'PY'
import json, os, signal, subprocess, sys, time
precall, port, work, first, second, fmt = sys.argv[1:]
fifo = os.path.join(work, "fifo")
p = subprocess.Popen([precall, "--stun", "127.0.0.1:" + port, "--skip", "http,bandwidth,devices,system",
                      "--duration", "60", "--no-progress", "-f", fmt, "-o", fifo],
                     stdin=subprocess.DEVNULL, stdout=open(os.path.join(work, "stdout"), "wb"),
                     stderr=open(os.path.join(work, "stderr"), "wb"))
time.sleep(1.0)
p.send_signal(getattr(signal, first))
time.sleep(1.0)  # the check stopped; precall waits for a reader of the FIFO
assert p.poll() is None, ("gone after the first signal", p.returncode)
p.send_signal(getattr(signal, second))
time.sleep(0.5)
rc = p.poll()
if rc is None:  # still waiting: read the report, it ends
    data = open(fifo, "rb").read()
    rc = p.wait(timeout=10)
    open(os.path.join(work, "report"), "wb").write(data)
else:  # ended: make sure nobody waits on the FIFO
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    os.close(fd)
print(rc if rc >= 0 else "killed-by-" + signal.Signals(-rc).name)
PY
}

# Ctrl-C twice: the second ends it at once, by SIGINT, no report.
got=$(edge SIGINT SIGINT json)
[ "$got" = killed-by-SIGINT ] && ok || not_ok "Ctrl-C twice: $got, expected killed-by-SIGINT"
[ ! -s "$WORK/stdout" ] && ok || not_ok "Ctrl-C twice: a report reached stdout"
got=$(edge SIGTERM SIGTERM json)
[ "$got" = killed-by-SIGTERM ] && ok || not_ok "SIGTERM twice: $got, expected killed-by-SIGTERM"

# Two different signals: the first names the stop.
for pair in SIGTERM:SIGINT:143 SIGINT:SIGHUP:130 SIGHUP:SIGTERM:129 SIGINT:SIGTERM:130; do
    IFS=: read -r first second code <<<"$pair"
    got=$(edge "$first" "$second" json)
    [ "$got" = "$code" ] && ok || not_ok "$first then $second: $got, expected $code: $(cat "$WORK/stderr")"
    [ ! -s "$WORK/stdout" ] && ok || not_ok "$first then $second: the report went to stdout"
    [ ! -s "$WORK/stderr" ] && ok || not_ok "$first then $second: stderr $(cat "$WORK/stderr")"
    "$PY" - "$WORK/report" "$first" "$code" <<'PY' && ok || not_ok "$first then $second: report"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["interrupted"] is True and r["complete"] is False, r
assert r["signal"] == sys.argv[2], (r["signal"], sys.argv[2])
assert r["verdict"]["exit_code"] == int(sys.argv[3]), r["verdict"]
PY
done
got=$(edge SIGTERM SIGHUP text)
[ "$got" = 143 ] && ok || not_ok "SIGTERM then SIGHUP (text): $got"
[ "$(head -1 "$WORK/report")" = "INCOMPLETE: interrupted (SIGTERM); these results are partial." ] && ok ||
    not_ok "SIGTERM then SIGHUP (text): $(head -1 "$WORK/report")"
finish
