#!/bin/bash
# precall completions bash|zsh|fish: made from the command and option tables.
# bash sources the script and completes simulated command lines (COMP_WORDS);
# zsh and fish read it without error (-n), and fish completes a line itself;
# 'cmake --install' puts the three scripts where the shells look.
. "$(dirname "$0")/lib.sh"

run completions bash
expect_rc 0 "completions bash"
cp "$out" "$WORK/precall.bash"
run completions
expect_rc 64 "completions without a shell"
expect_err "precall: completions: name one shell: bash, zsh or fish"
run completions tcsh
expect_rc 64 "completions tcsh"
expect_err "precall: completions: unknown shell 'tcsh': expected bash, zsh or fish"
run completions bash zsh
expect_rc 64 "two shells"

# What the program itself says: its formats (the refusal lists the renderers),
# each command's options (--help) and its probes.
formats=$("$PRECALL" -f none 2>&1 | sed -n "s/.*expected \(.*\), not 'none'.*/\1/p" | sed 's/,//g; s/ or / /')
[ "$formats" = "text json ndjson csv openmetrics html" ] && ok || not_ok "formats: '$formats'"
probes=$("$PRECALL" --help | sed -n '/^Probes/,/^$/p' | grep -oE '^  [a-z]+' | tr -d ' ' | sort | tr '\n' ' ')
opts() { "$PRECALL" "$@" --help | sed -n '/^Options:/,/^$/p' | grep -oE -- '(^  -[a-zA-Z0-9]|--[a-z0-9-]+)' | tr -d ' ' | sort -u | tr '\n' ' '; }

# complete LINE...: the words bash offers for the last (possibly empty) word.
complete_line() {
    bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _precall; [ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}"' \
        sh "$WORK/precall.bash" "$@" | sort | tr '\n' ' '
}
expect_words() { # what LINE...
    local what=$1 got
    shift
    got=$(complete_line "$@")
    [ "$got" = "$what" ] && ok || not_ok "complete '$*': '$got', expected '$what'"
}
bash -c '. "$1"; complete -p precall' sh "$WORK/precall.bash" | grep -qx 'complete -o filenames -F _precall precall' &&
    ok || not_ok "bash: complete -p precall"
expect_words "$(echo "$formats" | tr ' ' '\n' | sort | tr '\n' ' ')" precall --format ""
expect_words "csv " precall -f c
expect_words "$(echo "$formats" | tr ' ' '\n' | sort | tr '\n' ' ')" precall analyze -f ""
expect_words "always auto never " precall --color ""
expect_words "audio hd sd " precall check --require ""
expect_words "$probes" precall --only ""
expect_words "analyze capture check completions devices history profiles show watch " precall ""
expect_words "bash fish zsh " precall completions ""
expect_words "$(opts)" precall -
expect_words "$(opts analyze)" precall analyze -
expect_words "$(opts profiles)" precall profiles -
expect_words "$(opts capture)" precall capture -
expect_words "--push --push-instance " precall devices --pu
expect_words "" precall --push ""
# A file name where the option takes a file, and for analyze's operands.
touch "$WORK/cap1.pcap"
expect_words "$WORK/cap1.pcap " precall analyze "$WORK/cap"
expect_words "$WORK/cap1.pcap " precall -o "$WORK/cap"

if command -v zsh >/dev/null; then
    run completions zsh
    head -1 "$out" | grep -qx '#compdef precall' && ok || not_ok "zsh: no #compdef line"
    zsh -n "$out" 2>"$WORK/zsh.err" && ok || not_ok "zsh -n: $(cat "$WORK/zsh.err")"
    grep -qF ':(text json ndjson csv openmetrics html)' "$out" && ok || not_ok "zsh: no --format values"
elif [ "${CI:-}" = true ]; then
    not_ok "zsh is not installed"
fi
if command -v fish >/dev/null; then
    run completions fish
    cp "$out" "$WORK/precall.fish"
    fish -n "$WORK/precall.fish" 2>"$WORK/fish.err" && ok || not_ok "fish -n: $(cat "$WORK/fish.err")"
    got=$(HOME=$WORK fish -c "source $WORK/precall.fish; complete -C 'precall --format '" | cut -f1 | sort | tr '\n' ' ')
    [ "$got" = "$(echo "$formats" | tr ' ' '\n' | sort | tr '\n' ' ')" ] && ok || not_ok "fish --format: '$got'"
    got=$(HOME=$WORK fish -c "source $WORK/precall.fish; complete -C 'precall analyze --pu'" | cut -f1 | sort | tr '\n' ' ')
    [ "$got" = "--push --push-instance " ] && ok || not_ok "fish analyze --pu: '$got'"
    got=$(HOME=$WORK fish -c "source $WORK/precall.fish; complete -C 'precall profiles --pu'" | cut -f1 | tr '\n' ' ')
    [ "$got" = "" ] && ok || not_ok "fish profiles --pu: '$got' (profiles writes no report)"
elif [ "${CI:-}" = true ]; then
    not_ok "fish is not installed"
fi

# cmake --install: the three scripts where bash-completion, zsh and fish look.
build=$(dirname "$PRECALL")
if command -v cmake >/dev/null && [ -f "$build/cmake_install.cmake" ]; then
    cmake --install "$build" --prefix "$WORK/inst" >"$WORK/install.log" 2>&1 && ok ||
        not_ok "cmake --install: $(tail -3 "$WORK/install.log")"
    for f in "bash bash-completion/completions/precall" "zsh zsh/site-functions/_precall" \
        "fish fish/vendor_completions.d/precall.fish"; do
        set -- $f
        "$PRECALL" completions "$1" | cmp -s - "$WORK/inst/share/$2" && ok ||
            not_ok "installed share/$2 is not 'precall completions $1'"
    done
else
    not_ok "no build tree beside $PRECALL to install from"
fi
finish
