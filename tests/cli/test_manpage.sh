#!/bin/bash
# The man page and the option table cannot drift: every long option, command
# and exit status of --help is in man/precall.1 and the other way round; the
# page is clean under mandoc -Tlint; its examples that need no network run.
. "$(dirname "$0")/lib.sh"
MAN=$SRC/man/precall.1

if command -v mandoc >/dev/null; then
    mandoc -Tlint -W style "$MAN" >"$WORK/lint" 2>&1 && ok || not_ok "mandoc -Tlint: $(cat "$WORK/lint")"
elif [ "${CI:-}" = true ]; then
    not_ok "mandoc is not installed"
fi

# Quoting renders as meant: the report's schema line, with its quotes.
if command -v mandoc >/dev/null; then
    mandoc -Tascii "$MAN" | sed 's/.\x08//g' >"$WORK/page"
    grep -qF '"schema": "precall.report/1"' "$WORK/page" && ok ||
        not_ok "man page renders: $(grep -F 'precall.report/1' "$WORK/page")"
fi

{ "$PRECALL" --help; "$PRECALL" profiles --help; "$PRECALL" analyze --help; "$PRECALL" capture --help; "$PRECALL" history --help; "$PRECALL" watch --help; } | awk '/^Exit status:/ && seen++ { skip = 1 } /^$/ { skip = 0 } !skip' >"$WORK/help"

# Long options.
grep -oE -- '--[a-z0-9][a-z0-9-]*' "$WORK/help" | sort -u >"$WORK/help.opts"
grep -oE 'Fl -[a-z0-9][a-z0-9-]*' "$MAN" | sed 's/^Fl -/--/' | sort -u >"$WORK/man.opts"
diff "$WORK/help.opts" "$WORK/man.opts" >"$WORK/d" && ok || not_ok "options differ (< help, > man): $(cat "$WORK/d")"

# Exit statuses.
sed -n '/^Exit status:/,$p' "$WORK/help" | grep -oE '^  [0-9]+' | tr -d ' ' | sort -n >"$WORK/help.exit"
sed -n '/^\.Sh EXIT STATUS/,/^\.Sh /p' "$MAN" | grep -oE '^\.It [0-9]+' | cut -d' ' -f2 | sort -n >"$WORK/man.exit"
[ -s "$WORK/help.exit" ] && diff "$WORK/help.exit" "$WORK/man.exit" >"$WORK/d" && ok || not_ok "exit codes differ (< help, > man): $(cat "$WORK/d")"

# Commands.
grep -oE '^(Usage:| ) +precall \[?[a-z]+' "$WORK/help" | grep -oE '[a-z]+$' | sort -u >"$WORK/help.cmds"
sed -n '/^The commands are:/,/^\.El/p' "$MAN" | grep -oE '^\.It Cm [a-z]+' | cut -d' ' -f3 | sort -u >"$WORK/man.cmds"
[ -s "$WORK/help.cmds" ] && diff "$WORK/help.cmds" "$WORK/man.cmds" >"$WORK/d" && ok || not_ok "commands differ (< help, > man): $(cat "$WORK/d")"

# Probes named in --help appear in the page.
for p in $(sed -n '/^Probes/,/^$/p' "$WORK/help" | grep -oE '^  [a-z]+'); do
    grep -q "^\.Cm $p\$" "$MAN" && ok || not_ok "probe $p is not in the man page"
done

# Examples that need no network: run them.
n=0
while read -r cmd; do
    n=$((n + 1))
    # shellcheck disable=SC2086
    run ${cmd#precall }
    expect_rc 0 "example '$cmd'"
done < <(grep -E '^\.Dl \$ precall profiles' "$MAN" | sed 's/^\.Dl \$ //')
[ "$n" -ge 1 ] && ok || not_ok "no offline example found in the man page"
finish
