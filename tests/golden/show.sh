#!/bin/bash
# golden.show: 'precall show' of every golden JSON report (expected/*.json,
# input/expected/*.json) gives back what 'precall analyze' printed:
#   - JSON: the same bytes as the file;
#   - NDJSON: one line, the same JSON value as the file;
#   - text (-v): the golden text exactly, less its "stderr:" lines (analyze's
#     messages about the input, which are not part of the report): the report
#     keeps its series at the precision the JSON writes (pc_report_series_add),
#     so nothing the text shows is lost in the file;
#   - the exit status: the report's verdict.exit_code.
#   show.sh   (PRECALL, PY from the environment)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
PY=${PY:-python3}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail=0
n=0
norm() { sed -e 's/^precall [^,]*, profile/precall X, profile/'; }
for golden in "$HERE"/expected/*.json "$HERE"/input/expected/*.json; do
    name=$(basename "$golden" .json)
    txt=${golden%.json}.txt
    [ "$(head -c 1 "$golden")" = "{" ] || continue # analyze printed only an error
    # The report as analyze wrote it, without its messages on stderr that the file appends.
    json=$WORK/$name.json
    grep -v '^stderr: ' "$golden" >"$json"
    n=$((n + 1))
    want=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"]["exit_code"])' "$json")

    "$PRECALL" show -f json "$json" >"$WORK/json" 2>"$WORK/err"
    rc=$?
    if ! cmp -s "$json" "$WORK/json"; then
        echo "FAIL $name: show -f json differs from the file"; diff -u "$json" "$WORK/json" | head -20; fail=1
    fi
    [ "$rc" = "$want" ] || { echo "FAIL $name: show exit $rc, the report's is $want"; fail=1; }
    [ -s "$WORK/err" ] && { echo "FAIL $name: show wrote to stderr: $(cat "$WORK/err")"; fail=1; }

    "$PRECALL" show --format ndjson "$json" >"$WORK/ndjson"
    "$PY" - "$json" "$WORK/ndjson" <<'PYEOF' || { echo "FAIL $name: show -f ndjson"; fail=1; }
import json, sys
lines = open(sys.argv[2]).read().splitlines()
assert len(lines) == 1, len(lines)
assert json.loads(lines[0]) == json.load(open(sys.argv[1]))
PYEOF

    "$PRECALL" show -v --color never "$json" | norm >"$WORK/txt"
    grep -v '^stderr: ' "$txt" >"$WORK/golden"
    if ! diff "$WORK/golden" "$WORK/txt" >"$WORK/diff"; then
        echo "FAIL $name: show -v differs from $name.txt"; head -20 "$WORK/diff"; fail=1
    fi
    echo "ok $name"
done
# All of them were there: a glob that found nothing would pass.
[ "$n" -ge 25 ] || { echo "FAIL only $n golden JSON reports found"; fail=1; }
exit $fail
