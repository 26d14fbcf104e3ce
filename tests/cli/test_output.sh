#!/bin/bash
# -o writes atomically: a whole report or nothing, never a half-written file.
# The runs use a numeric STUN address with only the dns probe: no packet is sent.
. "$(dirname "$0")/lib.sh"

run --only dns --stun 127.0.0.1 --json -o "$WORK/report.json" --no-progress
expect_rc 3 "nothing checked is no verdict"
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

# New files get the usual permissions (0666 less the umask), not 0600;
# a replaced file keeps its mode.
json_ok() { "$PY" -c 'import json,sys; assert json.load(open(sys.argv[1]))["schema"] == "precall.report/1"' "$1"; }
offline="--only dns --stun 127.0.0.1 --json --no-progress"
mode() { stat -c %a "$1"; }
(umask 022 && "$PRECALL" $offline -o "$WORK/new.json" >/dev/null 2>&1)
[ "$(mode "$WORK/new.json")" = 644 ] && ok || not_ok "umask 022 gave mode $(mode "$WORK/new.json"), expected 644"
(umask 077 && "$PRECALL" $offline -o "$WORK/private.json" >/dev/null 2>&1)
[ "$(mode "$WORK/private.json")" = 600 ] && ok || not_ok "umask 077 gave mode $(mode "$WORK/private.json"), expected 600"
echo old >"$WORK/shared.json" && chmod 664 "$WORK/shared.json"
(umask 077 && "$PRECALL" $offline -o "$WORK/shared.json" >/dev/null 2>&1)
[ "$(mode "$WORK/shared.json")" = 664 ] && ok || not_ok "replaced file has mode $(mode "$WORK/shared.json"), expected 664 kept"
json_ok "$WORK/shared.json" && ok || not_ok "replaced file is not the report"

# A replaced file keeps its owner and group, not only its mode: as root
# both (a report that another user, or support, reads); as a user who may
# not give a file away, the group when a member of it (a report in a team's
# folder stays the team's). Numeric ids, no accounts needed.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
    meta() { stat -c %u:%g:%a "$1"; }
    echo old >"$WORK/theirs.json" && chown 65534:4242 "$WORK/theirs.json" && chmod 640 "$WORK/theirs.json"
    "$PRECALL" $offline -o "$WORK/theirs.json" >/dev/null 2>&1
    [ "$(meta "$WORK/theirs.json")" = 65534:4242:640 ] && ok ||
        not_ok "root replaced 65534:4242:640 with $(meta "$WORK/theirs.json")"
    json_ok "$WORK/theirs.json" && ok || not_ok "theirs.json is not the report"
    echo old >"$WORK/group.json" && chown 0:4243 "$WORK/group.json" && chmod 660 "$WORK/group.json"
    "$PRECALL" $offline -o "$WORK/group.json" >/dev/null 2>&1
    [ "$(meta "$WORK/group.json")" = 0:4243:660 ] && ok ||
        not_ok "root replaced 0:4243:660 with $(meta "$WORK/group.json")"
    chmod 711 "$WORK"
    mkdir "$WORK/team" && chown 0:4242 "$WORK/team" && chmod 770 "$WORK/team"
    echo old >"$WORK/team/r.json" && chown 0:4242 "$WORK/team/r.json" && chmod 664 "$WORK/team/r.json"
    setpriv --reuid=65533 --regid=65533 --groups=4242 -- "$PRECALL" $offline -o "$WORK/team/r.json" \
        >/dev/null 2>"$WORK/team.err"
    [ "$(meta "$WORK/team/r.json")" = 65533:4242:664 ] && ok ||
        not_ok "a member of 4242 replaced 0:4242:664 with $(meta "$WORK/team/r.json"): $(cat "$WORK/team.err")"
    json_ok "$WORK/team/r.json" && ok || not_ok "team/r.json is not the report"
    [ -z "$(find "$WORK/team" -name '*.tmp.*')" ] && ok || not_ok "temporary file left in team/"
    chmod 700 "$WORK"
else
    echo "note: not root (or no setpriv): owner and group not tested"
fi

# A FIFO is written through, and stays a FIFO.
mkfifo "$WORK/fifo"
timeout 20 cat "$WORK/fifo" >"$WORK/from-fifo" &
reader=$!
run $offline -o "$WORK/fifo"
expect_rc 3 "-o FIFO"
expect_empty_out
wait $reader
[ -p "$WORK/fifo" ] && ok || not_ok "the FIFO was replaced by $(stat -c %F "$WORK/fifo")"
json_ok "$WORK/from-fifo" && ok || not_ok "the report did not come out of the FIFO"

# A symbolic link: the file it points to is replaced atomically (keeping its
# mode) and the link stays a link; relative links and chains of links too.
mkdir "$WORK/real"
echo old >"$WORK/real/target.json" && chmod 640 "$WORK/real/target.json"
ln -s real/target.json "$WORK/link1"
ln -s "$WORK/link1" "$WORK/link2"
run $offline -o "$WORK/link2"
expect_rc 3 "-o symlink"
expect_empty_out
[ -L "$WORK/link2" ] && [ -L "$WORK/link1" ] && ok || not_ok "a symlink was replaced"
[ "$(readlink "$WORK/link1")" = real/target.json ] && ok || not_ok "link1 changed"
json_ok "$WORK/real/target.json" && ok || not_ok "the link's target does not hold the report"
[ "$(mode "$WORK/real/target.json")" = 640 ] && ok || not_ok "target mode $(mode "$WORK/real/target.json"), expected 640"
[ -z "$(find "$WORK" -name '*.tmp.*')" ] && ok || not_ok "temporary file left behind: $(find "$WORK" -name '*.tmp.*')"
# A dangling link: the file it names is created.
ln -s real/created.json "$WORK/dangling"
run $offline -o "$WORK/dangling"
expect_rc 3 "-o dangling symlink"
[ -L "$WORK/dangling" ] && json_ok "$WORK/real/created.json" && ok || not_ok "dangling link: target not created"
# A loop of links: an error, and the report goes to stdout.
ln -s loop-b "$WORK/loop-a" && ln -s loop-a "$WORK/loop-b"
run $offline -o "$WORK/loop-a"
expect_rc 74 "-o symlink loop"
json_ok "$out" && ok || not_ok "symlink loop: the report did not reach stdout"
# A folder: an error, nothing changes.
mkdir "$WORK/adir"
run $offline -o "$WORK/adir"
expect_rc 74 "-o folder"
expect_err "cannot write $WORK/adir: Is a directory"
[ -d "$WORK/adir" ] && [ -z "$(ls -A "$WORK/adir")" ] && ok || not_ok "the folder changed"

# A character device is written through and stays a device: /dev/null.
# As root precall could replace it, so root works on a device node of its own
# (mknod) and on /dev/null made a mount point in a private mount namespace,
# where a rename onto it fails instead of replacing the system's node.
if [ "$(id -u)" -ne 0 ]; then
    run $offline -o /dev/null
    expect_rc 3 "-o /dev/null"
    expect_empty_out
else
    mknod "$WORK/null" c 1 3
    run $offline -o "$WORK/null"
    expect_rc 3 "-o device node"
    expect_empty_out
    [ -c "$WORK/null" ] && ok || not_ok "the device node was replaced by a $(stat -c %F "$WORK/null")"
    if unshare -m true 2>/dev/null; then
        unshare -m bash -c 'mount --bind /dev/null /dev/null && exec "$0" "$@"' \
            "$PRECALL" $offline -o /dev/null >"$WORK/out" 2>"$WORK/err"
        rc=$?
        expect_rc 3 "-o /dev/null"
        expect_empty_out
    elif [ "${CI:-}" = true ]; then
        not_ok "unshare -m is not permitted: cannot test -o /dev/null as root"
    else
        echo "note: unshare -m not permitted; -o /dev/null tested on a node of its own only"
    fi
fi
[ -c /dev/null ] && ok || not_ok "/dev/null is no longer a character device"
finish
