#!/bin/bash
# 'profiles', and bad profile files: 65 naming the line, 66 when missing.
. "$(dirname "$0")/lib.sh"

run profiles
expect_rc 0 "profiles"
expect_out "therapy - "
expect_out "rtt_median_ms"
run profiles --json
expect_rc 0 "profiles --json"
"$PY" - "$out" "$SRC/data/profiles/therapy.json" <<'PY' && ok || not_ok "profiles --json differs from data/profiles/therapy.json"
import json, sys
printed = json.load(open(sys.argv[1]))
shipped = json.load(open(sys.argv[2]))
assert isinstance(printed, list) and printed[0]["name"] == "therapy", printed
assert printed[0]["thresholds"] == shipped["thresholds"], (printed[0]["thresholds"], shipped["thresholds"])
PY

cat >"$WORK/bad.json" <<'JSON'
{
  "name": "bad",
  "thresholds": {
    "jitter_ms": { "hd": 20, "sd": "thirty" }
  }
}
JSON
run profiles --profile "$WORK/bad.json"
expect_rc 65 "malformed profile"
expect_err "bad.json:4: jitter_ms.sd: expected a number"
expect_err_lines 1
run check --profile "$WORK/bad.json" --only dns --stun 127.0.0.1
expect_rc 65 "check with a malformed profile"
expect_err "bad.json:4:"
printf '{\n  "name": "x",\n  "thresholds": {\n' >"$WORK/cut.json"
run --profile "$WORK/cut.json"
expect_rc 65 "truncated profile"
expect_err "cut.json:3: invalid JSON"

run --profile "$WORK/missing.json" --only dns --stun 127.0.0.1
expect_rc 66 "missing profile"
expect_err "missing.json: No such file or directory"
expect_err_lines 1

cp "$SRC/data/profiles/therapy.json" "$WORK/mine.json"
sed -i 's/"therapy"/"mine"/; s/"hd": 100/"hd": 50/' "$WORK/mine.json"
run profiles -p "$WORK/mine.json"
expect_rc 0 "custom profile"
expect_out "mine - "
expect_out "<= 50"
finish
