#!/bin/sh
# The rules the generator's source keeps (tests/lint/source.py): site paths only in the
# URL module, no include cycle, stages in order, files and functions within their limits;
# and every message it can print has its Finnish and Swedish text (tests/lint/messages.py).
: "${AVOIN_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
out=$(mktemp)
python3 "$AVOIN_TOP/tests/lint/source.py" >"$out"
python3 "$AVOIN_TOP/tests/lint/messages.py" >>"$out"
grep -vE '^[0-9]+ passed, [0-9]+ failed' "$out"
grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | awk '{ p += $1; f += $3 }
	END { printf "%d passed, %d failed\n", p, f; exit f > 0 }'
rc=$?
rm -f "$out"
exit $rc
