#!/bin/bash
# -o on a full file system: the write fails, exit 74, and the previous report
# is still there, byte for byte, with no temporary file left; the new report
# goes to stdout. A report written in place (not to a temporary file that is
# renamed) would be destroyed here. Needs root for a private mount namespace
# with a 16 KiB tmpfs (CI runs as root).
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root for a private mount namespace"
unshare -m true 2>/dev/null || skip "unshare -m is not permitted here"

mkdir "$WORK/fs"
# In a private mount namespace: the tmpfs goes away with it.
unshare -m bash -s "$PRECALL" "$WORK/fs" "$WORK" <<'SH'
precall=$1 fs=$2 work=$3
mount -t tmpfs -o size=16k,mode=0755 precall-test "$fs" || exit 90
printf '{"old": "report"}\n' >"$fs/report.json"
cp "$fs/report.json" "$work/old.json"
dd if=/dev/zero of="$fs/filler" bs=1k count=64 2>/dev/null # fills it: ENOSPC
"$precall" --only dns --stun 127.0.0.1 --json --no-progress -o "$fs/report.json" \
    >"$work/out" 2>"$work/err" </dev/null
echo $? >"$work/rc"
cp "$fs/report.json" "$work/after.json"
ls -A "$fs" >"$work/ls"
SH
[ $? -eq 90 ] && skip "cannot mount a tmpfs here"
rc=$(cat "$WORK/rc") err=$WORK/err out=$WORK/out
expect_rc 74 "-o on a full file system"
expect_err "No space left on device"
cmp -s "$WORK/old.json" "$WORK/after.json" && ok || not_ok "the old report was changed: $(head -c 200 "$WORK/after.json")"
[ "$(cat "$WORK/ls")" = "$(printf 'filler\nreport.json')" ] && ok || not_ok "files left: $(cat "$WORK/ls")"
validate "$out"
finish
