#!/bin/bash
# golden.input: the input side of 'precall analyze' (pcapng with interfaces
# of different link types, gzip, TURN over TCP, SIP/SDP) on captures that
# gen_input.py crafts, compared with tests/golden/input/expected exactly, as
# run.sh does for ../TESTLIST. REGEN=1 rewrites the expected files.
#   input.sh   (PRECALL, PY, SRC from the environment)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
PY=${PY:-python3}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail=0
"$PY" "$HERE/gen_input.py" "$WORK" || { echo "FAIL gen_input.py"; exit 1; }
norm() { sed -e 's/"precall_version": "[^"]*"/"precall_version": "X"/' \
             -e 's/^precall [0-9][^,]*, profile/precall X, profile/' -e "s#$WORK/##g"; }
while read -r name file want formats opts; do
    case $name in '#'* | '') continue ;; esac
    for fmt in ${formats//,/ }; do
        case $fmt in
        txt) args=(-v --color never) ;;
        *) args=(--format "$fmt") ;;
        esac
        # shellcheck disable=SC2086 # the options are words
        (cd "$WORK" && "$PRECALL" analyze "${args[@]}" "$file" $opts) >"$WORK/out" 2>"$WORK/err"
        rc=$?
        { cat "$WORK/out"; sed 's/^/stderr: /' "$WORK/err"; } | norm >"$WORK/got"
        exp=$HERE/input/expected/$name.$fmt
        if [ "${REGEN:-0}" = 1 ]; then
            cp "$WORK/got" "$exp"
        elif ! diff -u "$exp" "$WORK/got" >"$WORK/diff"; then
            echo "FAIL $name.$fmt: output differs"; head -40 "$WORK/diff"; fail=1
        fi
        if [ "$rc" != "$want" ]; then
            echo "FAIL $name.$fmt: exit $rc, expected $want"; fail=1
        fi
        if [ "$fmt" = json ] && [ -s "$WORK/out" ]; then
            # the report validates, and its verdict.exit_code is the process's exit status
            "$PY" - "$SRC/data/schema/report.schema.json" "$WORK/out" "$rc" <<'PYEOF' || { echo "FAIL $name.$fmt: schema or exit_code"; fail=1; }
import json, sys
import jsonschema
report = json.load(open(sys.argv[2]))
jsonschema.validate(report, json.load(open(sys.argv[1])))
assert report["verdict"]["exit_code"] == int(sys.argv[3]), (report["verdict"]["exit_code"], sys.argv[3])
PYEOF
        fi
    done
    echo "ok $name"
done <"$HERE/input/TESTLIST"
exit $fail
