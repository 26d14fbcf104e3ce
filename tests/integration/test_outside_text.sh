#!/bin/bash
# integration.outside_text: text from outside -- --stun values, a profile's
# name, a profile's file name -- reaches every output as valid UTF-8 with
# its control characters neutralised ('?'): JSON and NDJSON parse as strict
# UTF-8 and carry no control character in any string; the text report
# (stdout and stderr, --color never) has no ESC byte and no other control
# character. Before the rework, --stun $'\xff\xfe' or a profile name with
# byte 0xff made the JSON invalid UTF-8, and control characters reached the
# terminal as they were.
#
# The runs look names up, so they run in a namespace with only loopback
# (its resolver, 127.0.0.1, has nothing listening): every lookup fails at
# once and nothing leaves the namespace.
. "$(dirname "$0")/netns.sh"
. "$(dirname "$0")/checks.sh"
nt_require_root
nt_require_precall
nt_isolated NS
CHECK=$PC_IT_DIR/outside_text.py

outputs_clean() { # DESC JSONFILE NDJSONFILE TEXTFILE: all four outputs clean
    local desc=$1 j=$2 nd=$3 t=$4
    "$NT_PY" "$CHECK" json "$j" && "$NT_PY" "$CHECK" ndjson "$nd" &&
        "$NT_PY" "$CHECK" text "$t" "$j.stderr" "$nd.stderr" "$t.stderr" &&
        nt_pass "$desc: JSON, NDJSON and text clean" || tc_fail "$desc: outside text leaked"
}

run_three() { # PREFIX ARGS...: json, ndjson and text -v runs in the namespace
    local p=$1
    shift
    nt_precall "$NS" "$p.json" check "$@" --json --no-progress
    nt_validate_report "$p.json"
    ip netns exec "$NS" "$PRECALL_BIN" "$@" -f ndjson >"$p.ndjson" 2>"$p.ndjson.stderr" </dev/null
    ip netns exec "$NS" "$PRECALL_BIN" "$@" -v --color never --no-progress >"$p.txt" \
        2>"$p.txt.stderr" </dev/null
}

# 1. --stun values: invalid UTF-8, a C1 control (U+009B, the one-byte CSI)
# in valid UTF-8, a cut sequence, an encoded surrogate: accepted, and
# neutralised wherever they show. A C0 control (ESC, BEL) or DEL cannot be in
# a host name: a usage error (64) whose one line is itself neutralised.
i=0
for v in $'\xff\xfe' $'c1\xc2\x9b2J' $'cut\xe2\x80' $'\xed\xa0\x80sur' $'bad\x1b[31mname' \
    $'\x07bell\x7f' $'[\x1b]:3478' $'x\x1b]0;title\x07y:3478'; do
    i=$((i + 1))
    P=$NT_TMP/stun$i
    shown=$(printf '%q' "$v")
    if printf '%s' "$v" | LC_ALL=C grep -q '[[:cntrl:]]'; then
        ip netns exec "$NS" "$PRECALL_BIN" --stun "$v" --json --no-progress >"$P.out" \
            2>"$P.err" </dev/null
        rc=$?
        [ "$rc" -eq 64 ] && [ ! -s "$P.out" ] && [ "$(wc -l <"$P.err")" -eq 1 ] &&
            nt_pass "--stun $shown: a usage error, one line" ||
            tc_fail "--stun $shown: exit $rc, stdout $(wc -c <"$P.out") bytes, stderr $(cat -v "$P.err")"
        "$NT_PY" "$CHECK" text "$P.err" && nt_pass "--stun $shown: the error line is clean" ||
            tc_fail "--stun $shown: outside text leaked into the error line"
        continue
    fi
    run_three "$P" --stun "$v"
    outputs_clean "--stun $shown" "$P.json" "$P.ndjson" "$P.txt"
    # The value still shows, neutralised: the report names what was given.
    tc_py "$P.json" "--stun $shown: named in the report with '?' for what was unsafe" <<'PY'
hosts = [t["host"] for p in r["probes"].values() for t in p["targets"] if t["role"] == "stun"]
assert hosts and all("?" in h for h in hosts), hosts
PY
done

# 2. A profile whose name has ESC (\u001b), BEL, a C1 control and a raw
# byte 0xff, in a file whose name has 0xff and ESC.
PROF=$NT_TMP/$'ev\xff\x1b[31mil.json'
"$NT_PY" - "$PC_IT_DIR/../../data/profiles/therapy.json" "$PROF" <<'EOF'
import sys
p = open(sys.argv[1], "rb").read()
old = b'"name": "therapy"'
assert old in p
p = p.replace(old, b'"name": "th\\u001b[31mer\xffapy\\u0007\\u009b"')
open(sys.argv[2], "wb").write(p)
EOF
P=$NT_TMP/profile
run_three "$P" -p "$PROF" --only dns --stun 127.0.0.1
outputs_clean "profile name" "$P.json" "$P.ndjson" "$P.txt"
tc_py "$P.json" "profile name reported, neutralised" <<'PY'
import re
assert re.fullmatch(r"th\?\[31mer\?apy\?+", r["profile"]), r["profile"]
PY
grep -qaE '^precall .*, profile th\?\[31mer\?apy\?+, ' "$P.txt" &&
    nt_pass "text support line names the neutralised profile" ||
    tc_fail "text support line: $(grep -a '^precall ' "$P.txt")"
nt_done
