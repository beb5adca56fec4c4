#!/bin/sh
# Runs the whole suite for each build folder given (e.g. build build-asan):
# the unit tests, the fuzz corpora replayed, and the end-to-end tests with
# that folder's binary; then the browser stage (tests/browser/run.sh) once,
# with the first folder's binary. Prints one closing line: "total: N passed, M failed, K skipped".
set -u
# The tests read the generator's messages in English: the language the
# environment asks for (issue 26) is English here, whatever the machine's.
# t0026-languages.sh sets others where it tests them.
unset LC_ALL
export LC_MESSAGES=en
cd "$(dirname "$0")/.."
top=$(pwd)
pass=0 fail=0 skip=0
log=$(mktemp)
add_counts() {
	# reads the last "N passed, M failed[, K skipped]" line of $log
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "  (no summary line: counted as one failure)"
		fail=$((fail + 1))
		return
	fi
	p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
	s=$(echo "$line" | sed -nE 's/.* ([0-9]+) skipped.*/\1/p')
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + ${s:-0}))
}
for b in "$@"; do
	echo "== suite with $b"
	for t in "$b"/tests/test_*; do
		[ -x "$t" ] || continue
		name=$(basename "$t")
		AVOIN_TOP="$top" "$t" >"$log" 2>&1
		rc=$?
		grep -E '^(not ok|skip |  )' "$log" | head -n 40
		tail -n 1 "$log" | sed "s|^|$b/$name: |"
		add_counts
		[ $rc -ne 0 ] && [ "$(grep -cE '^not ok' "$log")" = 0 ] && { echo "  $name exited $rc"; tail -n 20 "$log"; fail=$((fail + 1)); }
	done
	for fz in "$b"/fuzz/fuzz_*; do
		[ -x "$fz" ] || continue
		name=$(basename "$fz")
		corpus="tests/fuzz/corpus/${name#fuzz_}"
		"$fz" "$corpus" >"$log" 2>&1
		tail -n 1 "$log" | sed "s|^|$b/$name: |"
		add_counts
	done
	for e in tests/e2e/t[0-9]*.sh; do
		[ -f "$e" ] || continue
		AVOIN="$top/$b/avoin" AVOIN_TOP="$top" sh "$e" >"$log" 2>&1
		grep -E '^(not ok|skip )' "$log" | head -n 40
		grep -A15 '^not ok' "$log" | grep -E '^#' | head -n 40
		tail -n 1 "$log" | sed "s|^|$b/$(basename "$e"): |"
		add_counts
	done
done
# the browser stage looks at the pages, which do not depend on the sanitizers: once
echo "== browser stage with $1"
sh tests/browser/run.sh "$1" >"$log" 2>&1
grep -E '^(not ok|skip |#|browser )' "$log" | head -n 80
tail -n 1 "$log" | sed "s|^|browser: |"
add_counts
rm -f "$log"
echo "total: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
