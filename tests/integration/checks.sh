# checks.sh - assertions on precall's text output and on whole JSON reports,
# for integration tests (bash; source after netns.sh). Like nt_check, a
# failed assertion is logged and remembered; nt_done exits 1 at the end.
#
#   tc_line FILE N EXACT DESC       line N of FILE is exactly EXACT
#   tc_has FILE STRING DESC         FILE contains the fixed STRING
#   tc_lacks FILE REGEX DESC        no line of FILE matches the extended REGEX
#   tc_py FILE DESC <<'PY' ... PY   a python block over the report in FILE
#                                   (r = report, m = r["metrics"], ids =
#                                   advice ids); it fails by raising (assert)

tc_fail() {
    NT_FAILED=1
    nt_log "FAIL: $*"
}

tc_line() {
    local got
    got=$(sed -n "$2p" "$1")
    if [ "$got" = "$3" ]; then
        nt_pass "$4"
    else
        tc_fail "$4: line $2 is '$got', expected '$3'"
    fi
}

tc_has() {
    if grep -qF -- "$2" "$1"; then
        nt_pass "$3"
    else
        tc_fail "$3: '$2' not in $1: $(head -c 1500 "$1")"
    fi
}

tc_lacks() {
    if grep -qE -- "$2" "$1"; then
        tc_fail "$3: /$2/ matches: $(grep -E -- "$2" "$1" | head -3)"
    else
        nt_pass "$3"
    fi
}

tc_py() {
    local file=$1 desc=$2 code
    code=$(cat)
    if "$NT_PY" -c '
import json, sys
r = json.load(open(sys.argv[1]))
m = r.get("metrics", {})
ids = [a.get("id") for a in r.get("advice", [])]
exec(sys.argv[2])
' "$file" "$code"; then
        nt_pass "$desc"
    else
        tc_fail "$desc"
    fi
}
