#!/bin/bash
# The README's set-up commands work as written both as root without sudo
# (a fresh container) and as a user with sudo; and the README says what the
# check does today. The commands themselves install packages, so the test
# runs each command's privilege prefix in front of a harmless command.
. "$(dirname "$0")/lib.sh"
README=$SRC/README.md

sed -n '/^## Set-up/,/^## /p' "$README" | sed -n '/^```sh$/,/^```$/p' | grep -v '^```' >"$WORK/cmds"
[ "$(wc -l <"$WORK/cmds")" -eq 2 ] && ok || not_ok "expected two set-up commands: $(cat "$WORK/cmds")"
grep -nE '(^|[;&|] *)sudo ' "$WORK/cmds" && not_ok "a set-up command runs a bare sudo (fails as root without sudo)" || ok

# No sudo on the PATH as root; a stub sudo that records its use for a user.
mkdir "$WORK/bin" "$WORK/nosudo" "$WORK/log"
printf '#!/bin/sh\necho "sudo $*" >>"%s/log/sudo"\nexec "$@"\n' "$WORK" >"$WORK/bin/sudo"
chmod 755 "$WORK/bin/sudo" "$WORK" "$WORK/bin"
chmod 777 "$WORK/log"
while read -r cmd; do
    # The prefix: everything before the privileged command (sh -c, bash).
    prefix=${cmd%% sh -c *}
    [ "$prefix" = "$cmd" ] && prefix=${cmd%% bash *}
    [ "$prefix" != "$cmd" ] && ok || { not_ok "no privilege prefix in: $cmd"; continue; }
    if [ "$(id -u)" -eq 0 ]; then
        got=$(PATH=$WORK/nosudo:/usr/bin:/bin bash -c "$prefix echo ran" 2>&1)
        [ "$got" = ran ] && ok || not_ok "as root without sudo: '$prefix echo ran' gave '$got'"
        if command -v setpriv >/dev/null; then
            rm -f "$WORK/log/sudo"
            got=$(PATH=$WORK/bin:/usr/bin:/bin setpriv --reuid=65534 --regid=65534 --clear-groups \
                bash -c "$prefix echo ran" 2>&1)
            [ "$got" = ran ] && grep -q "^sudo echo ran$" "$WORK/log/sudo" 2>/dev/null && ok ||
                not_ok "as a user: '$prefix echo ran' did not go through sudo: '$got'"
        fi
    else
        got=$(PATH=$WORK/bin:/usr/bin:/bin bash -c "$prefix echo ran" 2>&1)
        [ "$got" = ran ] && grep -q "^sudo echo ran$" "$WORK/log/sudo" && ok ||
            not_ok "as a user: '$prefix echo ran' did not go through sudo: '$got'"
    fi
done <"$WORK/cmds"

# What the check does today: a 10 s budget, DNS then UDP probing; not "about ten seconds".
grep -qi "in about ten seconds" "$README" && not_ok "the README promises a check 'in about ten seconds'" || ok
grep -q "time budget of 10 seconds" "$README" && ok || not_ok "the README does not give the 10 s budget"
finish
