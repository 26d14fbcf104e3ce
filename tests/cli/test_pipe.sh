#!/bin/bash
# A reader that went away, and a stdout the caller closed. 'precall | true':
# the write fails with EPIPE and the exit is 74 with one line naming it (the
# man page's promise), never death by SIGPIPE (141). The read end of the
# pipe is closed before precall starts, so that the write fails every time
# (a real 'true' may or may not have gone when the report comes). With
# '>&-' and -o FILE, nothing needed stdout: the file is written and the
# exit is the verdict's; without -o the report is lost, exit 74. No packet
# is sent: the only probe is dns, with a numeric server.
. "$(dirname "$0")/lib.sh"

offline="--only dns --stun 127.0.0.1 --no-progress"
# A capture for 'analyze': a pcap file (the classic libpcap format) with
# one Ethernet/IPv4/UDP packet; what it holds does not matter here, only
# that analyze writes a report.
capture=$WORK/one.pcap
"$PY" - "$capture" <<'PY'
import struct, sys
udp = struct.pack("!HHHH", 40000, 40002, 8 + 12, 0) + bytes([0x80, 0, 0, 1]) + bytes(8)
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                 bytes([198, 18, 0, 1]), bytes([198, 18, 0, 2])) + udp
frame = bytes(6) + bytes(6) + b"\x08\x00" + ip
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    f.write(struct.pack("<IIII", 1700000000, 0, len(frame), len(frame)) + frame)
PY

# gone ARGS...: run precall with stdout a pipe nobody reads; sets rc, err.
gone() {
    "$PY" - "$PRECALL" "$@" >"$WORK/gone.rc" 2>"$WORK/err" <<'PY'
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
# subprocess gives the child SIGPIPE's default action, as a shell does.
p = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=w)
print(p.returncode if p.returncode >= 0 else 128 - p.returncode)
PY
    rc=$(cat "$WORK/gone.rc")
    err=$WORK/err
}
msg="precall: cannot write to standard output: Broken pipe"

for args in "$offline -v" "$offline --json" "$offline -f ndjson" "$offline -q" "profiles --json" \
    "--help" "--version" "analyze --json $capture" "analyze $capture" "analyze -f ndjson $capture"; do
    # shellcheck disable=SC2086
    gone $args
    expect_rc 74 "$args | (gone)"
    [ "$(cat "$err")" = "$msg" ] && ok || not_ok "$args | (gone): stderr '$(cat "$err")'"
done
# analyze's report to a file, stdout closed: nothing needed stdout.
"$PRECALL" analyze --json -o "$WORK/a.json" "$capture" >&- 2>"$WORK/err"
rc=$?
[ "$rc" -ne 74 ] && [ "$rc" -lt 64 ] && ok || not_ok "analyze -o with stdout closed: exit $rc: $(cat "$WORK/err")"
[ ! -s "$WORK/err" ] && ok || not_ok "analyze -o with stdout closed: stderr $(cat "$WORK/err")"
validate "$WORK/a.json"

# A real pipeline, for the record: 141 was the bug, 74 (or, if 'true' had
# not gone yet, the verdict's 3, nothing checked) is right.
# shellcheck disable=SC2086
"$PRECALL" $offline -v 2>/dev/null | true
st=${PIPESTATUS[0]}
[ "$st" -eq 74 ] || [ "$st" -eq 3 ] && ok || not_ok "precall -v | true: exit $st"

# stdout closed by the caller, the report in a file: nothing needed stdout.
# shellcheck disable=SC2086
"$PRECALL" $offline --json -o "$WORK/r.json" >&- 2>"$WORK/err" </dev/null
rc=$?
err=$WORK/err
expect_rc 3 "-o FILE with stdout closed"
[ ! -s "$err" ] && ok || not_ok "stderr not empty: $(cat "$err")"
validate "$WORK/r.json"
# The file was written in full, and nothing meant for stdout went into it.
"$PY" -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/r.json" && ok || not_ok "r.json is not JSON"

# stdout closed and the report meant for it: lost, so 74.
# shellcheck disable=SC2086
"$PRECALL" $offline --json >&- 2>"$WORK/err" </dev/null
rc=$?
expect_rc 74 "report to a closed stdout"
[ "$(cat "$err")" = "precall: cannot write to standard output: Bad file descriptor" ] && ok ||
    not_ok "closed stdout: stderr '$(cat "$err")'"

# stdin and stderr closed too: the report still goes to its file.
# shellcheck disable=SC2086
"$PRECALL" $offline --json -o "$WORK/r2.json" >&- 2>&- <&-
rc=$?
expect_rc 3 "-o FILE with every standard stream closed"
validate "$WORK/r2.json"
finish
