#!/bin/bash
# Error messages quote what the user gave -- a --stun value, a probe name, a
# profile name, a file name -- and must neutralise it like every other text
# from outside: no ESC (or other control character) and no invalid UTF-8
# reaches the terminal through stderr. No packet is sent: every case stops
# at its usage or input error before the run, or probes only a numeric
# address with --only dns.
. "$(dirname "$0")/lib.sh"

clean_stderr() { # DESC WANT_RC ARGS...
    local desc=$1 want=$2
    shift 2
    run "$@"
    [ "$rc" -eq "$want" ] && ok || not_ok "$desc: exit $rc, expected $want"
    [ -s "$err" ] && ok || not_ok "$desc: no message on stderr"
    "$PY" "$SRC/tests/integration/outside_text.py" text "$err" "$out" && ok ||
        not_ok "$desc: outside text reached stderr raw: $(od -c "$err" | head -3)"
}

clean_stderr "--stun with a bad port" 64 --stun $'\xff\x1b[31m:99999'
clean_stderr "--stun with white space" 64 --stun $'a b\x1b'
clean_stderr "--only with an unknown probe" 64 --only $'dns\x1b[2J'
clean_stderr "--skip with an unknown probe" 64 --skip $'\xff\x07'
clean_stderr "--profile with an unknown name" 64 --profile $'x\x1b\xff' --only dns --stun 127.0.0.1
clean_stderr "--require with a bad tier" 64 --require $'h\x1bd'

# A malformed profile, and a missing one, in files whose names carry ESC and 0xff.
bad=$WORK/$'br\xff\x1b[31moken.json'
printf '{"name": \n' >"$bad"
clean_stderr "a malformed profile file" 65 -p "$bad" --only dns --stun 127.0.0.1
missing=$WORK/$'no\x1bsuch\xff.json'
clean_stderr "a missing profile file" 66 -p "$missing" --only dns --stun 127.0.0.1

# Bidirectional controls in a profile's name (a right-to-left override makes
# "Ready" read backwards, and what follows it): neutralised like ESC, in the
# text report (its support line names the profile) and in the JSON.
"$PY" - "$SRC/data/profiles/therapy.json" "$WORK/bidi.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p["name"] = "ther\u202eapy \u2066x\u2069 \u061c\u200f"
json.dump(p, open(sys.argv[2], "w"))
PY
for fmt in text json; do
    run -p "$WORK/bidi.json" --only dns --stun 127.0.0.1 --no-progress -f "$fmt"
    expect_rc 3 "profile name with bidi controls ($fmt)"
    "$PY" - "$out" "$fmt" <<'PY' && ok || not_ok "bidi controls reached the $fmt report raw"
import json, sys
data = open(sys.argv[1], "rb").read().decode("utf-8")
bidi = {0x061C, 0x200E, 0x200F} | set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
assert not [c for c in data if ord(c) in bidi], [hex(ord(c)) for c in data if ord(c) in bidi]
name = json.loads(data)["profile"] if sys.argv[2] == "json" else \
    [l for l in data.splitlines() if l.startswith("precall ")][0].split("profile ")[1].split(", started")[0]
assert name == "ther???apy ???x??? ?????", name
PY
done
finish
