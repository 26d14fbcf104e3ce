#!/bin/bash
# -o writes atomically: a whole report or nothing, never a half-written file.
# The runs use a numeric STUN address with only the dns probe: no packet is sent.
. "$(dirname "$0")/lib.sh"

run --only dns --stun 127.0.0.1 --json -o "$WORK/report.json" --no-progress
expect_rc 2 "nothing checked is not ready"
expect_empty_out
validate "$WORK/report.json"
[ -z "$(find "$WORK" -name '*.tmp.*')" ] && ok || not_ok "temporary file left behind"

# Replacing an existing report is atomic too: the old one stays until the new one is whole.
echo "old" >"$WORK/keep.json"
run --only dns --stun 127.0.0.1 --json -o "$WORK/keep.json"
"$PY" -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/keep.json" && ok || not_ok "replaced report is not whole JSON"

# A folder that does not exist: error, exit 74, no file, and the report still reaches stdout.
run --only dns --stun 127.0.0.1 --json -o "$WORK/nosuchdir/r.json"
expect_rc 74 "unwritable -o"
expect_err "cannot write $WORK/nosuchdir/r.json"
[ ! -e "$WORK/nosuchdir" ] && ok || not_ok "something was created"
"$PY" -c 'import json,sys; assert json.load(open(sys.argv[1]))["schema"] == "precall.report/1"' "$out" && ok || not_ok "the report did not reach stdout"

# A read-only folder (skipped for root, who may write anyway).
if [ "$(id -u)" -ne 0 ]; then
    mkdir "$WORK/ro" && chmod 500 "$WORK/ro"
    run --only dns --stun 127.0.0.1 --json -o "$WORK/ro/r.json"
    expect_rc 74 "read-only folder"
    [ -z "$(ls -A "$WORK/ro")" ] && ok || not_ok "files left in the read-only folder"
fi

# Text report to a file: no colour codes even with --color auto.
run --only dns --stun 127.0.0.1 -o "$WORK/r.txt"
grep -q $'\033' "$WORK/r.txt" && not_ok "colour codes in a file" || ok
grep -q "No verdict: nothing was checked" "$WORK/r.txt" && ok || not_ok "text report content"
finish
