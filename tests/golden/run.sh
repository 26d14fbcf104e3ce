#!/bin/bash
# Golden tests in the style of tcpdump's tests/TESTLIST: write the captures
# with gen_captures, run 'precall analyze' on each line of TESTLIST and
# compare text (-v) and JSON output with tests/golden/expected exactly.
# With REGEN=1 (tests/golden/regen.sh) the expected files are rewritten.
set -u
GEN=$1
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail=0
"$GEN" "$WORK" || { echo "gen_captures failed"; exit 1; }
# Damaged inputs: cut in the middle of packet 13, empty, and not a capture.
head -c 3000 "$WORK/loss.pcap" >"$WORK/truncated.pcap"
: >"$WORK/empty.pcap"
printf 'this is not a capture\n' >"$WORK/notcap.pcap"

# Time-independent already (the captures carry fixed times); only the version moves.
norm() { sed -e 's/"precall_version": "[^"]*"/"precall_version": "X"/' \
             -e 's/^precall [0-9][^,]*, profile/precall X, profile/' -e "s#$WORK/##g"; }

while read -r name file want formats opts; do
    case $name in '#'* | '') continue ;; esac
    extra=()
    for o in $opts; do case $o in *.pcap*) extra+=("$WORK/$o") ;; *) extra+=("$o") ;; esac; done
    for fmt in ${formats//,/ }; do
        case $fmt in
        txt) args=(-v --color never) ;;
        *) args=(--format "$fmt") ;;
        esac
        (cd "$WORK" && "$PRECALL" analyze "${args[@]}" "$file" "${extra[@]}") >"$WORK/out" 2>"$WORK/err"
        rc=$?
        { cat "$WORK/out"; sed 's/^/stderr: /' "$WORK/err"; } | norm >"$WORK/got"
        exp=$HERE/expected/$name.$fmt
        if [ "${REGEN:-0}" = 1 ]; then
            cp "$WORK/got" "$exp"
        elif ! diff -u "$exp" "$WORK/got" >"$WORK/diff"; then
            echo "FAIL $name.$fmt: output differs"; head -40 "$WORK/diff"; fail=1
        fi
        if [ "$rc" != "$want" ]; then
            echo "FAIL $name.$fmt: exit $rc, expected $want"; fail=1
        fi
        # JSON: the report; NDJSON: one JSON object a line, the report last
        if [ $fmt != txt ] && [ -s "$WORK/out" ] && [ -n "${PY:-}" ]; then
            "$PY" - "$SRC/data/schema/report.schema.json" "$WORK/out" $fmt <<'PYEOF' || { echo "FAIL $name.$fmt: schema"; fail=1; }
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
if sys.argv[3] == "ndjson":
    docs = [json.loads(line) for line in text.splitlines()]
    report = docs[-1]
else:
    report = json.loads(text)
jsonschema.validate(report, schema)
PYEOF
        fi
    done
    echo "ok $name"
done <"$HERE/TESTLIST"
exit $fail
