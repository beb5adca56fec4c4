#!/bin/sh
# Golden tests after lowdown's regress/: each tests/regress/<case>/ makes a
# content repository with make-repo.sh, and the site Avoin builds from it must
# equal <case>/expected/ byte for byte (diff -ru); a case with refused.sh also
# adds a commit that must be refused, with exactly the errors of errors.txt.
#
#   tests/regress/run.sh            compare (prints TAP-like lines and a summary)
#   tests/regress/run.sh --update   write the expected files anew, to review in the diff
#
# $AVOIN is the binary under test (default: ./avoin).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
AVOIN=${AVOIN:-$top/avoin}
update=0
[ "${1:-}" = --update ] && update=1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/avoin-regress.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
result() { # result OK NAME [DETAILS-FILE]
	if [ "$1" = 0 ]; then
		pass=$((pass + 1)); echo "ok - $2"
	else
		fail=$((fail + 1)); echo "not ok - $2"
		[ -n "${3:-}" ] && sed 's/^/#   /' "$3" | head -n 40
	fi
}
for dir in "$top"/tests/regress/*/; do
	case=$(basename "$dir")
	repo=$tmp/$case-repo out=$tmp/$case-site
	sh "$dir/make-repo.sh" "$repo" >/dev/null 2>&1 || { result 1 "$case: make-repo.sh"; continue; }
	# from the source tree with the theme named relatively, so that messages name the
	# theme's files as themes/default/... wherever the tree is
	(cd "$top" && "$AVOIN" build -q --repo "$repo" --out "$out" --theme themes/default) \
		>"$tmp/log" 2>&1
	rc=$?
	if [ $update = 1 ] && [ $rc = 0 ]; then
		rm -rf "$dir/expected" && cp -R "$out" "$dir/expected"
	fi
	[ $rc = 0 ] || { result 1 "$case: builds" "$tmp/log"; continue; }
	diff -ru "$dir/expected" "$out" >"$tmp/diff" 2>&1
	result $? "$case: the site equals expected/" "$tmp/diff"
	[ -f "$dir/refused.sh" ] || continue
	sh "$dir/refused.sh" "$repo" >/dev/null 2>&1 || { result 1 "$case: refused.sh"; continue; }
	(cd "$top" && "$AVOIN" build --repo "$repo" --out "$out" --theme themes/default) \
		>/dev/null 2>"$tmp/errors"
	rc=$?
	[ $update = 1 ] && cp "$tmp/errors" "$dir/errors.txt"
	{ [ $rc = 1 ] && diff -u "$dir/errors.txt" "$tmp/errors"; } >"$tmp/diff" 2>&1
	result $? "$case: the refused commit gives exactly errors.txt (exit 1)" "$tmp/diff"
	diff -ru "$dir/expected" "$out" >"$tmp/diff" 2>&1
	result $? "$case: the refused commit leaves the site as it was" "$tmp/diff"
done
echo "$pass passed, $fail failed, 0 skipped"
[ $fail = 0 ]
