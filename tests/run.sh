#!/bin/sh
# Runs the whole suite for each build folder given (e.g. build build-asan):
# the unit tests, the fuzz corpora replayed, and the end-to-end tests with
# that folder's binary; then the browser stage (tests/browser/run.sh) once,
# with the first folder's binary. Prints one closing line: "total: N passed, M failed, K skipped".
# The folders' passes run at the same time, each into a log of its own that is
# printed in order when all have ended: a pass is mostly one process at a time
# (git, Python, the shell), so two keep both cores busy where one leaves one idle.
set -u
# The tests read the generator's messages in English: the language the
# environment asks for (issue 26) is English here, whatever the machine's.
# t0026-messages.sh sets others where it tests them.
unset LC_ALL
export LC_MESSAGES=en
cd "$(dirname "$0")/.."
top=$(pwd)
pass=0 fail=0 skip=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log=$work/log
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
# suite_pass B N: the suite with build folder B, printed; its counts into $work/N.counts
suite_pass() {
	b=$1 log=$work/$2.log
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
	echo "$pass $fail $skip" >"$work/$2.counts"
}
n=0
for b in "$@"; do
	n=$((n + 1))
	suite_pass "$b" "$n" >"$work/$n.out" 2>&1 &
done
wait
n=0
for b in "$@"; do
	n=$((n + 1))
	cat "$work/$n.out"
	if read -r p f s <"$work/$n.counts"; then
		pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
	else
		echo "  (the pass with $b ended without its counts: counted as one failure)"
		fail=$((fail + 1))
	fi
done
log=$work/log
# the browser stage looks at the pages, which do not depend on the sanitizers: once
echo "== browser stage with $1"
sh tests/browser/run.sh "$1" >"$log" 2>&1
grep -E '^(not ok|skip |#|browser )' "$log" | head -n 80
tail -n 1 "$log" | sed "s|^|browser: |"
add_counts
echo "total: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
