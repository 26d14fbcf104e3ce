#!/bin/bash
# 'profiles' (a table with straight columns; JSON that its published schema
# describes), and bad profile files: 65 naming the line, 66 when missing or
# unreadable; a profile that never arrives (a FIFO) is bounded by --timeout.
. "$(dirname "$0")/lib.sh"

run profiles
expect_rc 0 "profiles"
expect_out "therapy - "
expect_out "rtt_median_ms"
# The table: every row's limits end in the columns of the header (sized from
# the data), also the row of the longest key.
"$PY" - "$out" <<'PY' && ok || not_ok "profiles: columns not aligned"
import sys
lines = open(sys.argv[1]).read().splitlines()
head = next(i for i, l in enumerate(lines) if l.lstrip().startswith("metric "))
h = lines[head]
ends = [h.index(t) + len(t) for t in (" hd", " sd", " audio")]
rows = lines[head + 1:]
assert any(r.split()[0] == "stream_worst_second_loss_pct" for r in rows), rows
key_end = max(len(r.split()[0]) for r in rows) + 2
for r in rows:
    assert len(r) == len(h), (r, h)
    assert r[key_end] == " " and r[2:key_end].rstrip() == r.split()[0], r
    for e in ends:
        assert r[e - 1] != " " and (e == len(r) or r[e] == " "), (r, e)
PY
run profiles --json
expect_rc 0 "profiles --json"
"$PY" - "$out" "$SRC/data/profiles/therapy.json" <<'PY' && ok || not_ok "profiles --json differs from data/profiles/therapy.json"
import json, sys
printed = json.load(open(sys.argv[1]))
shipped = json.load(open(sys.argv[2]))
assert isinstance(printed, list) and printed[0]["name"] == "therapy", printed
assert printed[0]["thresholds"] == shipped["thresholds"], (printed[0]["thresholds"], shipped["thresholds"])
PY
# ... and validates against the published schema; a yes/no limit is a JSON
# boolean, as in the profile file. The schema can fail: a number for a
# yes/no limit and a key no profile may limit are refused.
"$PY" - "$out" "$SRC/data/schema/profiles.schema.json" <<'PY' && ok || not_ok "profiles --json fails data/schema/profiles.schema.json"
import copy, json, sys
import jsonschema
printed = json.load(open(sys.argv[1]))
v = jsonschema.Draft202012Validator(json.load(open(sys.argv[2])))
v.validate(printed)
assert printed[0]["thresholds"]["online"]["hd"] is True, printed[0]["thresholds"]["online"]
bad = copy.deepcopy(printed)
bad[0]["thresholds"]["online"]["hd"] = 1
assert not v.is_valid(bad), "a number for a yes/no limit passed"
bad = copy.deepcopy(printed)
bad[0]["thresholds"]["stream_media"] = {"hd": 1}
assert not v.is_valid(bad), "a text metric's limit passed"
PY

# -f ndjson: a profile a line, the same object as -f json's entry; -f csv: a
# limit a row under a fixed header, every limit of the shipped profile, empty
# where a tier has none; a format that means nothing here is a usage error.
run profiles -f ndjson
expect_rc 0 "profiles -f ndjson"
"$PY" - "$out" "$SRC/data/profiles/therapy.json" <<'PY' && ok || not_ok "profiles -f ndjson"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
shipped = json.load(open(sys.argv[2]))
objs = [json.loads(l) for l in lines]
assert objs[0]["name"] == "therapy" and objs[0]["thresholds"] == shipped["thresholds"], objs[0]
PY
run profiles -f csv
expect_rc 0 "profiles -f csv"
"$PY" - "$out" "$SRC/data/profiles/therapy.json" <<'PY' && ok || not_ok "profiles -f csv"
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert rows[0] == ["profile", "metric", "unit", "hd", "sd", "audio"], rows[0]
shipped = json.load(open(sys.argv[2]))["thresholds"]
got = {}
for r in rows[1:]:
    if r[0] != "therapy":
        continue
    got[r[1]] = {t: float(v) for t, v in zip(("hd", "sd", "audio"), r[3:]) if v != ""}
want = {k: {t: float(v) for t, v in lim.items()} for k, lim in shipped.items()}
assert got == want, (got, want)
units = {r[1]: r[2] for r in rows[1:] if r[0] == "therapy"}
assert units["jitter_ms"] == "ms" and units["online"] == "", units
PY
for f in openmetrics html; do
    run profiles -f $f
    expect_rc 64 "profiles -f $f"
    expect_err "profiles: --format $f is not available here (text, json, ndjson or csv)"
    expect_err_lines 1
done

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

# Profiles that would make a verdict lie: each is refused with exit 65 and
# one line "FILE:LINE: key: why" naming the line of the offending key.
bad_profile() { # NAME EXPECTED-MESSAGE (the profile is in $WORK/NAME)
    run profiles -p "$WORK/$1"
    expect_rc 65 "$1"
    expect_err "$1:$2"
    expect_err_lines 1
}
therapy_with() { # the shipped profile with its line $1 replaced by $2
    sed "$1c\\$2" "$SRC/data/profiles/therapy.json"
}
{ cat "$SRC/data/profiles/therapy.json"; echo '{"name": "second"}'; } >"$WORK/trailing.json"
bad_profile trailing.json "$(($(wc -l <"$SRC/data/profiles/therapy.json") + 1)): text after the JSON object"
therapy_with 7 '    "rtt_median_ms":  { "hd": 100, "sd": 250, "audio": 400, "hd": 90 },' >"$WORK/dup.json"
bad_profile dup.json '7: rtt_median_ms.hd: duplicate key (first on line 7)'
therapy_with 10 '    "online":         { "hd": true, "sd": true, "audio": true },' >"$WORK/dupmetric.json"
bad_profile dupmetric.json '10: online: duplicate key (first on line 5)'
printf '{\n  "name": "empty",\n  "thresholds": {}\n}\n' >"$WORK/empty.json"
bad_profile empty.json '3: thresholds: missing "online" (every profile must limit it)'
therapy_with 9 '    "loss_pct":       { "hd": 1, "sd": 3, "audio": 150 },' >"$WORK/loss.json"
bad_profile loss.json '9: loss_pct.audio: 150 is out of range (0 to 100 %)'
therapy_with 5 '    "online":         { "hd": false, "sd": false, "audio": false },' >"$WORK/online.json"
bad_profile online.json '5: online.hd: false would let a failed check pass'
therapy_with 6 '    "udp_reachable":  { "hd": false },' >"$WORK/udp.json"
bad_profile udp.json '6: udp_reachable.hd: false would let a failed check pass'
therapy_with 5 '    "online":         { "hd": true },' >"$WORK/onlinehd.json"
bad_profile onlinehd.json '5: online: missing "sd" (every profile must limit it at hd, sd and audio)'
therapy_with 6 '    "udp_reachable":  { "sd": true },' >"$WORK/udpsd.json"
bad_profile udpsd.json '6: udp_reachable: missing "hd" (every profile must limit it at hd)'
therapy_with 7 '    "rtt_median_ms":  { "hd": 100, "sd": 250, "audio": 1.7976931348623157e308 },' >"$WORK/huge.json"
bad_profile huge.json '7: rtt_median_ms.audio: 1.7976931348623157e308 is out of range (0 to 600000 ms)'
run check --profile "$WORK/online.json" --only dns --stun 127.0.0.1
expect_rc 65 "check with a profile that lets offline pass"
expect_err "online.json:5: online.hd: false would let a failed check pass"

run --profile "$WORK/missing.json" --only dns --stun 127.0.0.1
expect_rc 66 "missing profile"
expect_err "missing.json: No such file or directory"
expect_err_lines 1

cp "$SRC/data/profiles/therapy.json" "$WORK/mine.json"
sed -i 's/"therapy"/"mine"/; s/"rtt_median_ms":  { "audio": 800 }/"rtt_median_ms":  { "hd": 50, "audio": 800 }/' "$WORK/mine.json"
run profiles -p "$WORK/mine.json"
expect_rc 0 "custom profile"
expect_out "mine - "
expect_out "<= 50"
run profiles -p "$WORK/mine.json" --json
expect_rc 0 "custom profile as JSON"
"$PY" - "$out" "$SRC/data/schema/profiles.schema.json" <<'PY' && ok || not_ok "profiles -p FILE --json fails the schema"
import json, sys
import jsonschema
printed = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator(json.load(open(sys.argv[2]))).validate(printed)
assert [p["name"] for p in printed] == ["mine"], printed
assert printed[0]["thresholds"]["rtt_median_ms"]["hd"] == 50, printed[0]["thresholds"]
PY
# The example of the man page's profile format is a valid profile.
sed -n '/^\.Ss Profile format/,/^\.Ss \|^\.Sh /p' "$SRC/man/precall.1" |
    sed -n '/^\.Bd -literal/,/^\.Ed/p' | sed '1d;$d' >"$WORK/man.json"
run profiles -p "$WORK/man.json"
expect_rc 0 "the profile of the man page"
expect_out "mine - "

# A directory where a file is expected opens but cannot be read: 66, and says so.
mkdir -p "$WORK/dir/x.json"
run profiles -p "$WORK/dir/x.json"
expect_rc 66 "a directory as the profile"
expect_err "x.json: read error: Is a directory"
expect_err_lines 1

# A FIFO nobody writes to: loading the profile is bounded by --timeout.
mkfifo "$WORK/p.json"
start=$(date +%s%N)
(cd "$WORK" && timeout 10 "$PRECALL" -p ./p.json --timeout 2 --only dns --stun 127.0.0.1 \
    >"$WORK/out" 2>"$WORK/err" </dev/null)
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
expect_rc 66 "a profile FIFO without a writer"
expect_err "p.json: no data within the time limit"
expect_err_lines 1
[ "$ms" -ge 1900 ] && [ "$ms" -le 2500 ] && ok || not_ok "FIFO profile took $ms ms, expected about 2000"
# ... and one that is written to is read like a file.
cat "$SRC/data/profiles/therapy.json" >"$WORK/p.json" &
writer=$!
run profiles -p "$WORK/p.json"
wait "$writer"
expect_rc 0 "a profile read from a FIFO"
expect_out "therapy - "
finish
