#!/bin/bash
# cli.show: 'precall show FILE.json' on what is not a report it reads: a newer
# schema major version (one line, exit 65), malformed JSON or a key of the
# wrong type (the file and why, 65), a file that cannot be read (66), and
# usage errors (64); and on a report: its own exit status, -q, -o.
. "$(dirname "$0")/lib.sh"
golden=$SRC/tests/golden/expected/loss.json # exit 1: audio only
rep=$WORK/r.json
cp "$golden" "$rep"

# The version: /1 is read, /1.7 (a newer minor version) too; /2 is refused.
run show "$rep"
expect_rc 1 "show of a degraded report"
expect_out "Audio only"
sed 's#"precall.report/1"#"precall.report/1.7"#' "$golden" >"$WORK/minor.json"
run show -q "$WORK/minor.json"
expect_rc 1 "a newer minor version"
[ "$(cat "$out")" = "Audio only" ] && ok || not_ok "show -q: '$(cat "$out")'"
for v in 2 10 12345678; do
    sed "s#\"precall.report/1\"#\"precall.report/$v\"#" "$golden" >"$WORK/new.json"
    run show "$WORK/new.json"
    expect_rc 65 "schema precall.report/$v"
    expect_err_lines 1
    expect_err "precall: $WORK/new.json: the report's schema precall.report/$v is newer than this precall reads (precall.report/1): use a newer precall"
    expect_empty_out
done
sed 's#"precall.report/1"#"other.report/1"#' "$golden" >"$WORK/other.json"
run show "$WORK/other.json"
expect_rc 65 "another schema"
expect_err "schema: not a precall report"

# Malformed: cut short, not JSON, a key of the wrong type, a key missing.
head -c 300 "$golden" >"$WORK/cut.json"
run show "$WORK/cut.json"
expect_rc 65 "cut JSON"
expect_err "precall: $WORK/cut.json: not valid JSON (line "
expect_err_lines 1
printf '{\n  "schema": "precall.report/1", x}\n' >"$WORK/text.json"
run show "$WORK/text.json"
expect_rc 65 "not JSON"
expect_err "precall: $WORK/text.json: not valid JSON (line 2, column 33)"
printf '[1, 2]\n' >"$WORK/array.json"
run show "$WORK/array.json"
expect_rc 65 "a JSON array"
expect_err "report: not a JSON object"
sed 's#"complete":\t*true#"complete": "yes"#' "$golden" >"$WORK/type.json"
run show "$WORK/type.json"
expect_rc 65 "complete as a string"
expect_err "$WORK/type.json: complete: not true or false"
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); d["scopes"][1]["metrics"]["stream_loss_pct"]="x"; print(json.dumps(d))' "$golden" >"$WORK/metric.json"
run show "$WORK/metric.json"
expect_rc 65 "a figure as a string"
expect_err "stream_loss_pct: not a finite number"
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); del d["verdict"]; print(json.dumps(d))' "$golden" >"$WORK/noverdict.json"
run show "$WORK/noverdict.json"
expect_rc 65 "no verdict"
expect_err "verdict: missing or not an object"

# Text after the report is refused; an NDJSON file (events, then the report) is read from its last line.
{ cat "$golden"; echo 'stderr: something'; } >"$WORK/after.json"
run show "$WORK/after.json"
expect_rc 65 "text after the report"
expect_err "precall: $WORK/after.json: text after the report (line $(($(wc -l <"$golden") + 1)), column 1)"
{ echo '{"event":"run_start","t_ms":0}'; "$PRECALL" show -f ndjson "$golden"; } >"$WORK/events.ndjson"
run show -q "$WORK/events.ndjson"
expect_rc 1 "an NDJSON file"
[ "$(cat "$out")" = "Audio only" ] && ok || not_ok "show -q of NDJSON: '$(cat "$out")'"
{ echo '{"event":"run_start","t_ms":0}'; echo '{"event":'; } >"$WORK/badlast.ndjson"
run show "$WORK/badlast.ndjson"
expect_rc 65 "an NDJSON file whose last line is cut"
expect_err "not valid JSON (line 2, column"

# Cannot be read: missing, a directory.
run show "$WORK/missing.json"
expect_rc 66 "a missing file"
expect_err "cannot open $WORK/missing.json: No such file or directory"
mkdir "$WORK/dir.json"
run show "$WORK/dir.json"
expect_rc 66 "a directory"
expect_err "cannot read $WORK/dir.json"

# Usage: no file, two files, an option show does not take.
run show
expect_rc 64 "no file"
run show "$rep" "$rep"
expect_rc 64 "two files"
expect_err "show: name one report file"
run show --profile therapy "$rep"
expect_rc 64 "--profile"

# -o: the file gets the report, atomically, as for the other commands.
run show -f json -o "$WORK/again.json" "$rep"
expect_rc 1 "show -o"
cmp -s "$rep" "$WORK/again.json" && ok || not_ok "show -o: the file differs"
finish
