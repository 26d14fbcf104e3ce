#!/bin/bash
# Rewrite tests/golden/expected from the current program, on purpose:
#   tests/golden/regen.sh [BUILD_DIR]      (default: build)
# Review the diff before committing it.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "${1:-$HERE/../../build}" && pwd)
mkdir -p "$HERE/expected"
REGEN=1 PRECALL=$BUILD/precall SRC=$HERE/../.. PY=${PY:-/usr/bin/python3} \
    bash "$HERE/run.sh" "$BUILD/tests/gen_captures"
