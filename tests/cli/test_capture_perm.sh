#!/bin/bash
# 'precall capture' without the permission to capture: one line saying what
# to do, and exit 77; an interface that does not exist is "no network
# interface named ...", exit 66, not a lack of permission. As root the test
# drops to nobody with setpriv.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -eq 0 ]; then
    command -v setpriv >/dev/null || skip "setpriv is not installed"
    as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all)
    setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$PRECALL" ||
        skip "nobody cannot run $PRECALL (its folders are not open to others)"
else
    as_user=()
fi
"${as_user[@]}" "$PRECALL" capture -i lo --duration 1 >"$WORK/out" 2>"$WORK/err"
rc=$?
[ "$rc" -eq 77 ] && ok || not_ok "exit $rc, expected 77 ($(cat "$WORK/err"))"
[ "$(wc -l <"$WORK/err")" -eq 1 ] && ok || not_ok "stderr is not one line: $(cat "$WORK/err")"
grep -q "run as root, or grant CAP_NET_RAW and CAP_NET_ADMIN" "$WORK/err" && ok ||
    not_ok "the hint is missing: $(cat "$WORK/err")"
[ ! -s "$WORK/out" ] && ok || not_ok "stdout is not empty"

# An interface that does not exist is named as such, with or without permission.
"${as_user[@]}" "$PRECALL" capture -i nosuch --duration 1 >"$WORK/out" 2>"$WORK/err"
rc=$?
[ "$rc" -eq 66 ] && ok || not_ok "-i nosuch: exit $rc, expected 66 ($(cat "$WORK/err"))"
[ "$(cat "$WORK/err")" = "precall: no network interface named nosuch" ] && ok ||
    not_ok "-i nosuch: $(cat "$WORK/err")"
finish
