#!/bin/sh
# The golden tests of tests/regress/ (whole sites compared with diff -ru, and
# the exact errors of refused content), with the binary under test.
: "${AVOIN_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
exec sh "$AVOIN_TOP/tests/regress/run.sh"
