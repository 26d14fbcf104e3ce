#!/bin/bash
# The README's set-up commands work as written both as root without sudo
# (a fresh container) and as a user with sudo, and the first installs every
# library the full build uses (a build without libasound never checks the
# microphone); the README says what the check does today; its exit-code
# table is the program's; and its examples that need no network are what
# the program prints: 'precall devices' on a fixture laptop and 'precall
# analyze' on a capture written by gen_captures (docs/examples.sh makes the
# same). Lines of an example are compared in order, trailing blanks and
# '...' lines (cuts) aside. The examples made in the test network (check,
# JSON, NDJSON, -v) are checked for the labels they quote: each must still
# be one the program prints.
. "$(dirname "$0")/lib.sh"
README=$SRC/README.md

sed -n '/^## Set-up/,/^## /p' "$README" | sed -n '/^```sh$/,/^```$/p' | grep -v '^```' >"$WORK/cmds"
[ "$(wc -l <"$WORK/cmds")" -eq 2 ] && ok || not_ok "expected two set-up commands: $(cat "$WORK/cmds")"
grep -nE '(^|[;&|] *)sudo ' "$WORK/cmds" && not_ok "a set-up command runs a bare sudo (fails as root without sudo)" || ok

# The first command installs the build dependencies, the optional ones too.
first=$(head -1 "$WORK/cmds")
for pkg in build-essential cmake pkg-config libcurl4-openssl-dev libcjson-dev libpcap-dev \
    libasound2-dev libjpeg-dev; do
    [[ " ${first//\'/ } " == *" $pkg "* ]] && ok || not_ok "the first set-up command does not install $pkg"
done
[[ $first == *"./build/precall" ]] && ok || not_ok "the first set-up command does not run precall"
grep -q 'bash \.ci/run$' <(sed -n 2p "$WORK/cmds") && ok || not_ok "the second set-up command does not run .ci/run"

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

# The exit-code table holds exactly the codes of 'precall --help' (a row may
# group several: "129, 130, 143").
"$PRECALL" --help | sed -n '/^Exit status:/,/^$/p' | awk '/^  [0-9]+ /{ print $1 }' | sort -n >"$WORK/codes.help"
sed -n '/^<!-- exit codes/,/^$/p' "$README" | grep -E '^\| [0-9]' | cut -d'|' -f2 | tr ',' '\n' |
    tr -d ' ' | grep . | sort -n >"$WORK/codes.readme"
[ -s "$WORK/codes.help" ] && ok || not_ok "no exit codes in --help"
diff "$WORK/codes.help" "$WORK/codes.readme" >"$WORK/codes.diff" && ok ||
    not_ok "the README's exit codes differ from --help (< help, > README): $(cat "$WORK/codes.diff")"

# example NAME: the code block after '<!-- example: NAME' in the README, the '$ ' line left out.
example() {
    awk -v name="$1" '
        index($0, "<!-- example: " name " ") == 1 { found = 1; next }
        found == 1 && /^```/ { found = 2; next }
        found == 2 && /^```/ { exit }
        found == 2 && !/^\$ / { print }' "$README"
}
# same_lines NAME OUTPUT: the example's lines appear in OUTPUT in that order.
same_lines() {
    local name=$1 got=$2
    example "$name" >"$WORK/ex.$name"
    [ -s "$WORK/ex.$name" ] || { not_ok "the README has no example '$name'"; return; }
    "$PY" - "$WORK/ex.$name" "$got" <<'PY' && ok || not_ok "the README's example '$name' is not what precall prints"
import re, sys
norm = lambda l: re.sub(r"^precall [0-9][^,]*,", "precall X,", l.rstrip())
want = [norm(l) for l in open(sys.argv[1]) if l.strip() != "..."]
got = [norm(l) for l in open(sys.argv[2])]
i = 0
for w in want:
    while i < len(got) and got[i] != w:
        i += 1
    if i == len(got):
        print("  README line not printed (in this order): %r" % w, file=sys.stderr)
        sys.exit(1)
    i += 1
PY
}

# 'precall devices' on the fixture laptop, with a microphone sample read
# through ALSA's file plugin (tests/cli/mic_sample.py, as docs/examples.sh does).
"$PY" "$SRC/tests/cli/mic_sample.py" "$WORK" # WORK/voice.raw and WORK/mic.conf
if [ "${PRECALL_WITH_ALSA:-1}" = 0 ] || [ "${PRECALL_HOST_LINUX:-1}" = 0 ]; then
    echo "devices example not compared: this build has no microphones or no Linux readers"
else
    ALSA_CONFIG_PATH=$WORK/mic.conf PRECALL_SYSROOT=$SRC/tests/fixtures/sysroot/wifi-weak-battery-low \
        run devices --no-progress --color never
    expect_rc 1 "the README's devices example"
    same_lines devices "$out"
fi

# 'precall analyze call.pcap' on the capture with a burst of loss.
GEN=${GEN_CAPTURES:-$(dirname "$PRECALL")/tests/gen_captures}
if [ -x "$GEN" ]; then
    mkdir "$WORK/caps"
    "$GEN" "$WORK/caps" >/dev/null && cp "$WORK/caps/loss.pcap" "$WORK/caps/call.pcap"
    (cd "$WORK/caps" && "$PRECALL" analyze --color never call.pcap >"$WORK/analyze.out" 2>&1)
    rc=$?
    [ "$rc" -eq 1 ] && ok || not_ok "analyze call.pcap: exit $rc, the README says 1 (Audio only)"
    same_lines analyze "$WORK/analyze.out"
else
    not_ok "gen_captures not found at $GEN (set GEN_CAPTURES)"
fi

# The check example's call quality is the E-model of its own latency, jitter
# and loss (docs/thresholds.md), as precall computes it: no figure in it was
# edited by hand.
example check >"$WORK/ex.check"
"$PY" - "$WORK/ex.check" <<'PY' && ok || not_ok "the README's check example: R or MOS is not the E-model of its figures"
import re, sys
t = open(sys.argv[1]).read()
fig = lambda label: float(re.search(r"^\s+\S+\s+" + re.escape(label) + r"\s+([0-9.]+)", t, re.M).group(1))
rtt, jit, loss, r = fig("Latency (round trip)"), fig("Jitter (round trip)"), fig("Packet loss"), fig("Call quality (E-model R)")
mos = float(re.search(r"Predicted voice quality \(MOS\): ([0-9.]+)", t).group(1))
el = rtt + 2 * jit + 10
want = 93.2 - el / 40 if el < 160 else 93.2 - (el - 120) / 10
want = min(100, max(0, want - 2.5 * loss))
# the figures are rounded to 0.1: allow for it
assert abs(want - r) <= 0.2, ("R", r, want)
m = 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r)
assert abs(m - mos) <= 0.02, ("MOS", mos, m)
PY

# The examples from the test network: each check line's label, the verdict
# labels and the advice ids are ones the program still has.
for name in check verbose devices analyze; do example "$name"; done >"$WORK/all-examples"
"$PY" - "$WORK/all-examples" "$README" "$SRC/src" <<'PY' && ok || not_ok "the README quotes words the program no longer prints"
import os, re, sys
src = ""
for root, _, files in os.walk(sys.argv[3]):
    for f in files:
        if f.endswith(".c"):
            src += open(os.path.join(root, f), encoding="utf-8").read()
bad = []
for line in open(sys.argv[1]):
    m = re.match(r"^\s+(ok|warn|FAIL|--)\s+(.*?)\s{2,}\S", line)
    if m:
        label = m.group(2)
        # a known label the line starts with (a long label runs into its value)
        cuts = [label] + [label[:i] for i in range(len(label))
                          if label[i] == " " and re.match(r" (-?[0-9]|yes|no)", label[i:])]
        if not any('"%s"' % c in src for c in cuts):
            bad.append("check label %r" % label)
    for aid in re.findall(r"\[([a-z0-9-]+)\]$", line.strip()):
        if '"%s"' % aid not in src:
            bad.append("advice id %r" % aid)
readme = open(sys.argv[2]).read()
verdicts = re.search(r"### Reading the verdict\n\n(.*?)\n\n", readme, re.S).group(1)
for label in re.findall(r"^\| `([^`]+?)(?: \.\.\.)?`", verdicts, re.M):
    if label.rstrip(":") not in src:
        bad.append("verdict %r" % label)
for b in bad:
    print("  not in src/: " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
finish
