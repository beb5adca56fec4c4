#!/bin/sh
# The rules the generator's source keeps (tests/lint/source.py): site paths only in the
# URL module, no include cycle, stages in order, files and functions within their limits.
: "${AVOIN_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
exec python3 "$AVOIN_TOP/tests/lint/source.py"
