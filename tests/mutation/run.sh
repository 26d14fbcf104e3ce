#!/bin/bash
# run.sh - the mutation check: put each deliberate bug of mutants.txt into a
# scratch copy of the tree, one at a time, build it and run the fast suite;
# report which mutants the suite catches and which it misses (a miss is a
# missing test). The real tree is never modified: the files (tracked and
# untracked, not ignored) are copied to a temporary directory, which is
# removed on exit or interrupt.
#
# usage: tests/mutation/run.sh [options] [--only ID...]
#   --list            list the mutants (id, file, bug) and exit
#   --only ID...      run only these mutants (the rest of the arguments)
#   --all-tests       run every fast test for every mutant (default: the unit
#                     and fuzz tests first, the cli tests only if they all pass)
#   --integration     also run `ctest -L integration` on mutants the fast suite
#                     missed (needs root and network namespaces)
#   --strict          exit 1 when a mutant is missed (default: always 0, it is
#                     a report, not a gate)
#   --results FILE    also write the table as TSV (id, file, result, tests)
#   --ctest-jobs N    ctest -j N within one mutant (default 2); mutants run
#                     one after the other
#   --keep            keep the scratch directory (its path is printed)
#
# A mutant is "caught" when a test that passes on the unmutated tree fails,
# "missed" when none does, "stale" when its from: text no longer occurs
# exactly once (update mutants.txt), "no-compile" when the mutated tree does
# not build (reported apart: a compiler is not a test). Tests that already
# fail on the unmutated tree are listed and left out of the judgement.
# The build is Debug without sanitizers and without -Werror, for speed.
set -u
set -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
MUTANTS=$HERE/mutants.txt
PY=${PYTHON3:-python3}
MUTATE=("$PY" "$HERE/mutate.py" "$MUTANTS")

only=() all_tests=0 integration=0 strict=0 results="" jobs=2 keep=0
while [ $# -gt 0 ]; do
    case $1 in
    --list)
        "${MUTATE[@]}" list
        exit $?
        ;;
    --only)
        shift
        only=("$@")
        break
        ;;
    --all-tests) all_tests=1 ;;
    --integration) integration=1 ;;
    --strict) strict=1 ;;
    --results)
        results=$2
        shift
        ;;
    --ctest-jobs)
        jobs=$2
        shift
        ;;
    --keep) keep=1 ;;
    -h | --help)
        sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "run.sh: unknown option $1 (try --help)" >&2
        exit 2
        ;;
    esac
    shift
done

ids=$("${MUTATE[@]}" list | cut -f1) || exit 2
if [ ${#only[@]} -gt 0 ]; then
    for id in "${only[@]}"; do
        grep -qx -- "$id" <<<"$ids" || {
            echo "run.sh: no mutant '$id' (try --list)" >&2
            exit 2
        }
    done
    ids=$(printf '%s\n' "${only[@]}")
fi

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/precall-mutation.XXXXXX") || exit 2
# The capture tests run precall as nobody (setpriv), who must reach the build in here.
chmod 755 "$SCRATCH"
cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    if [ $keep -eq 1 ]; then
        echo "scratch kept: $SCRATCH" >&2
    else
        rm -rf "$SCRATCH"
    fi
    exit $rc
}
trap cleanup EXIT
trap 'echo "run.sh: interrupted" >&2; exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

PRISTINE=$SCRATCH/pristine WORK=$SCRATCH/tree BUILD=$SCRATCH/build LOG=$SCRATCH/log
mkdir -p "$PRISTINE" "$WORK" "$LOG"
# The tree as it is now, uncommitted changes included (not the build dirs).
(cd "$ROOT" && git ls-files -z -co --exclude-standard |
    while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
    tar --null -T - -cf -) | tar -xf - -C "$PRISTINE" || exit 2
cp -a "$PRISTINE/." "$WORK/"

CC_ARGS=()
command -v clang >/dev/null && CC_ARGS=(-DCMAKE_C_COMPILER=clang)
echo "configuring a Debug build in $BUILD" >&2
cmake -S "$WORK" -B "$BUILD" -DCMAKE_BUILD_TYPE=Debug -DPRECALL_WERROR=OFF \
    -DPRECALL_SANITIZE=OFF "${CC_ARGS[@]}" >"$LOG/configure" 2>&1 || {
    cat "$LOG/configure" >&2
    exit 2
}

build() { timeout 600 cmake --build "$BUILD" -j2 </dev/null >"$1" 2>&1; }

# ctest LOGFILE ARGS...: run, print the names of the failed tests (one a line).
FAST_EXCLUDE='integration|style|mutation'
run_ctest() {
    local logf=$1
    shift
    (cd "$BUILD" && timeout 900 ctest -j"$jobs" --timeout 120 --output-on-failure "$@") \
        </dev/null >"$logf" 2>&1
    sed -n 's/^[[:space:]]*[0-9]\{1,\} - \([^ ]*\) (.*$/\1/p' "$logf"
}

# confirm LOGFILE NAMES...: rerun the failed tests one at a time; print those
# that fail again (a test that fails once under load and then passes is flaky,
# not a catch).
confirm() {
    local logf=$1 t
    shift
    for t in "$@"; do
        run_ctest "$logf.$t" -j1 -R "^${t//./\\.}\$"
    done
}

echo "baseline: building and testing the unmutated tree" >&2
build "$LOG/build.baseline" || {
    echo "run.sh: the unmutated tree does not build:" >&2
    tail -20 "$LOG/build.baseline" >&2
    exit 2
}
broken=$(run_ctest "$LOG/ctest.baseline" -LE "$FAST_EXCLUDE")
if [ -z "$(sed -n '/tests passed/p' "$LOG/ctest.baseline")" ]; then
    echo "run.sh: ctest did not run:" >&2
    tail -20 "$LOG/ctest.baseline" >&2
    exit 2
fi
exclude_args=()
if [ -n "$broken" ]; then
    echo "baseline: these tests fail on the unmutated tree and are left out:" $broken >&2
    exclude_args=(-E "^($(echo $broken | sed 's/ /|/g; s/\./\\./g'))\$")
fi

n=0 caught=0 missed=0 stale=0 nocomp=0
missed_ids=()
[ -n "$results" ] && : >"$results"
printf '%-30s %-26s %-10s %s\n' "mutant" "file" "result" "caught by"
while IFS= read -r id; do
    [ -n "$id" ] || continue
    n=$((n + 1))
    file=$("${MUTATE[@]}" list | awk -F'\t' -v id="$id" '$1 == id {print $2}')
    by="" result=""
    if ! why=$("${MUTATE[@]}" apply "$id" "$WORK"); then
        result=stale by=$why
        stale=$((stale + 1))
    elif ! build "$LOG/build.$id"; then
        result=no-compile by=$(grep -m1 'error:' "$LOG/build.$id" | sed 's|.*/tree/||')
        nocomp=$((nocomp + 1))
    else
        if [ $all_tests -eq 1 ]; then
            by=$(run_ctest "$LOG/ctest.$id" -LE "$FAST_EXCLUDE" "${exclude_args[@]}")
            [ -n "$by" ] && by=$(confirm "$LOG/confirm.$id" $by)
        else
            by=$(run_ctest "$LOG/ctest.$id.unit" -L 'unit|fuzz' -LE "$FAST_EXCLUDE" \
                "${exclude_args[@]}")
            [ -n "$by" ] && by=$(confirm "$LOG/confirm.$id" $by)
            if [ -z "$by" ]; then
                by=$(run_ctest "$LOG/ctest.$id.rest" -LE "unit|fuzz|$FAST_EXCLUDE" \
                    "${exclude_args[@]}")
                [ -n "$by" ] && by=$(confirm "$LOG/confirm.$id" $by)
            fi
        fi
        if [ -z "$by" ] && [ $integration -eq 1 ]; then
            by=$(CI=true run_ctest "$LOG/ctest.$id.integration" -L integration \
                "${exclude_args[@]}")
            [ -n "$by" ] && by=$(CI=true confirm "$LOG/confirm.$id" $by)
        fi
        if [ -n "$by" ]; then
            result=caught
            caught=$((caught + 1))
        else
            result=MISSED
            missed=$((missed + 1))
            missed_ids+=("$id")
        fi
        by=$(echo $by)
    fi
    # Back to the pristine file, with a new time stamp so the next build recompiles it.
    rm -f "$WORK/$file"
    cp "$PRISTINE/$file" "$WORK/$file"
    printf '%-30s %-26s %-10s %s\n' "$id" "$file" "$result" "$by"
    [ -n "$results" ] && printf '%s\t%s\t%s\t%s\n' "$id" "$file" "$result" "$by" >>"$results"
done <<<"$ids"

[ ${#missed_ids[@]} -gt 0 ] && echo "missed: ${missed_ids[*]}"
[ -n "$broken" ] && echo "left out (failing on the unmutated tree):" $broken
echo "mutation score: $caught caught of $n ($missed missed, $stale stale, $nocomp did not compile)"
[ $strict -eq 1 ] && [ $missed -gt 0 ] && exit 1
exit 0
