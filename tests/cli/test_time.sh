#!/bin/bash
# Time: what cannot work is refused before anything runs, the budget is
# planned within the deadline, and every sentence about time is true.
#  - A budget too short for a selected probe to measure anything (the speed
#    test needs 2.5 s of the check, 4.5 s of a whole one) is a usage error,
#    exit 64, one line naming the smallest --duration or --timeout that
#    works; each limit is tried on both sides. (Before: '--duration 1' ran
#    and ended in 0.07 s with "No verdict: the time limit was too short".)
#  - '--duration 20 --timeout 5': the check plans 4.5 s (a tenth of the
#    deadline is kept for what runs past the plan), says so on stderr, and
#    ends complete before the deadline with every probe run. (Before: the
#    udp probe's 6.7 s window ran into the deadline and the speed test never
#    ran: "No verdict" after 4 s.)
#  - The footer says how long the check took, and only after the network
#    answered.
# Servers: stun_echo.py and speed_echo.py on loopback; nothing leaves it.
. "$(dirname "$0")/lib.sh"

closed="--stun 127.0.0.1:9 --server http://127.0.0.1:9 --skip devices,system --no-progress"
hint="(try 'precall --help')"

refused() { # MESSAGE ARGS...: exit 64 with exactly this one line, nothing run
    local want=$1
    shift
    run "$@" $closed
    expect_rc 64 "$*"
    [ "$(cat "$err")" = "precall: $want $hint" ] && ok || not_ok "$*: stderr '$(cat "$err")', expected '$want'"
    expect_empty_out
}
accepted() { # ARGS...: not a usage error (the closed servers end it at once: exit 2 when
    # the closed STUN port says UDP is blocked, 3 when only the speed server's closed
    # port was tried, which is the server's fault and measures nothing)
    run "$@" $closed --json
    [ "$rc" -eq 2 ] || [ "$rc" -eq 3 ] && ok || not_ok "$*: exit $rc, expected 2 or 3"
    [ ! -s "$err" ] && ok || not_ok "$*: stderr '$(cat "$err")'"
}

speed="the speed test (bandwidth probe)"
refused "--duration 1 is too short for $speed: use --duration 4.5 or more, or leave it out with --skip bandwidth" --duration 1
refused "--duration 4.4 is too short for $speed: use --duration 4.5 or more, or leave it out with --skip bandwidth" --duration 4.4
accepted --duration 4.5
# Without the udp probe the speed test has a larger share of the budget (the traffic probe
# rides along with the phases it watches and takes no share of its own).
refused "--duration 2.9 is too short for $speed: use --duration 3 or more, or leave it out with --skip bandwidth" --skip udp --duration 2.9
accepted --skip udp --duration 3
# With --only there is nothing to leave out.
refused "--duration 2.4 is too short for $speed: use --duration 2.5 or more" --only bandwidth --duration 2.4
accepted --only bandwidth --duration 2.5
# The default duration (10 s) within a --timeout: 5 s keeps 4.5 s for the check.
refused "--timeout 4.9 leaves too little time for $speed: use --timeout 5 or more, or leave it out with --skip bandwidth" --timeout 4.9
accepted --timeout 5
refused "--timeout 2.7 leaves too little time for $speed: use --timeout 2.8 or more" --only bandwidth --timeout 2.7
accepted --only bandwidth --timeout 2.8
# The udp stream alone needs less than the smallest --duration.
accepted --skip bandwidth --duration 1
accepted --only udp --duration 1

# A long --duration keeps the default deadline's 10 s; a --timeout close to
# it shortens the check, and says so (not with -q).
run --duration 100 --timeout 105 $closed --json
expect_rc 2 "--duration 100 --timeout 105"
[ "$(cat "$err")" = "precall: --duration 100 does not fit before --timeout 105: the check takes 95 seconds" ] &&
    ok || not_ok "--duration 100 --timeout 105: stderr '$(cat "$err")'"
run --duration 100 --timeout 105 $closed --json -q
[ ! -s "$err" ] && ok || not_ok "-q: stderr '$(cat "$err")'"
accepted --duration 3600

# The plan within the deadline, end to end.
"$PY" "$SRC/tests/cli/stun_echo.py" >"$WORK/stun_port" &
stun=$!
"$PY" "$SRC/tests/cli/speed_echo.py" >"$WORK/speed_port" &
speedsrv=$!
trap 'kill $stun $speedsrv 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do [ -s "$WORK/stun_port" ] && [ -s "$WORK/speed_port" ] && break; sleep 0.1; done
servers="--stun 127.0.0.1:$(cat "$WORK/stun_port") --server http://127.0.0.1:$(cat "$WORK/speed_port") --skip devices --no-progress"

t0=$(date +%s%N)
run --duration 20 --timeout 5 $servers --json
wall_ms=$((($(date +%s%N) - t0) / 1000000))
[ "$wall_ms" -lt 5000 ] && ok || not_ok "--duration 20 --timeout 5 took $wall_ms ms"
[ "$(cat "$err")" = "precall: --duration 20 does not fit before --timeout 5: the check takes 4.5 seconds" ] &&
    ok || not_ok "--duration 20 --timeout 5: stderr '$(cat "$err")'"
"$PY" - "$out" <<'PY' && ok || not_ok "--duration 20 --timeout 5: not a complete check"
import json, sys
r = json.load(open(sys.argv[1]))
p = r["probes"]
assert r["complete"] is True and r["deadline_hit"] is False, (r["complete"], r["deadline_hit"])
assert r["duration_ms"] < 4500 + 500, r["duration_ms"]
assert p["udp"]["status"] == "ok", p["udp"]
assert p["http"]["status"] == "ok", p["http"]
# The speed test ran in its window: not "not run", not cut by the time limit.
# (Its own ramp-up may outlast a 1-second share on a busy machine: that is
# time-too-short too, said as the ramp-up or as a lower bound, and nothing
# was cut.)
b = p["bandwidth"]
assert not (b["reason"] or "").startswith("not run"), b
assert b["cut_short"] is False and b["cause"] != "did-not-stop", b
assert b["cause"] != "time-too-short" or "ramp-up" in b["reason"] \
    or "could not be filled" in b["reason"], b
PY

# The footer: the time the check took, to a tenth below 10 s, never more
# than the wall clock saw.
t0=$(date +%s%N)
run --timeout 5 $servers --color never
wall_ms=$((($(date +%s%N) - t0) / 1000000))
took=$(sed -n 's/^This check took \([0-9.]*\) seconds: one sample of your connection; if problems come and go, run .precall --duration 60.\.$/\1/p' "$out")
[ -n "$took" ] && ok || not_ok "no footer: $(tail -5 "$out")"
awk -v t="${took:-99}" -v w="$wall_ms" 'BEGIN { exit !(t * 1000 <= w + 50 && t * 1000 > w - 1500) }' &&
    ok || not_ok "footer says $took s, the wall clock $wall_ms ms"
grep -q "This was one" "$out" && not_ok "the old footer is back" || ok

# A speed test whose share of the time ends during TCP's ramp-up (a link still
# speeding up) ran out of time: the cause is the time, not the server.
"$PY" "$SRC/tests/cli/speed_echo.py" --grow >"$WORK/grow_port" &
grow=$!
trap 'kill $stun $speedsrv $grow 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do [ -s "$WORK/grow_port" ] && break; sleep 0.1; done
run --only bandwidth --duration 2.5 --server "http://127.0.0.1:$(cat "$WORK/grow_port")" --json --no-progress
"$PY" - "$out" <<'PY' && ok || not_ok "a speed test cut in its ramp-up is not a server error"
import json, sys
r = json.load(open(sys.argv[1]))
b = r["probes"]["bandwidth"]
# (a rate still rising when the time ends is a lower bound, said as such)
assert b["status"] == "ok" and b["cause"] == "time-too-short", b
assert "download: at least " in b["reason"] and "could not be filled in the time" in b["reason"], b
assert r["metrics"]["download_mbps"] is None, r["metrics"]
assert "download_mbps" in r["verdict"]["not_checked"], r["verdict"]
PY

# The text says why the speed was not checked: the lower bound, not --only/--skip.
run --only bandwidth --duration 2.5 --server "http://127.0.0.1:$(cat "$WORK/grow_port")" --no-progress --color never
grep -q "^  not checked: Download speed, Upload speed (download: at least [0-9.]* Mbit/s, upload: at least [0-9.]* Mbit/s; the link could not be filled in the time)$" "$out" &&
    ok || not_ok "lower bound: the not-checked line gives the reason: $(grep 'not checked' "$out")"
grep -q "Download speed.*left out with --only" "$out" && not_ok "lower bound called left out" || ok

# Nothing reached (no server answers, 0.0x s): no footer about a sample.
run $closed --color never
expect_rc 2 "closed servers"
grep -q "sample" "$out" && not_ok "footer after a run that reached nothing: $(tail -3 "$out")" || ok
finish
