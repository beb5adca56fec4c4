#!/bin/sh
# Builds use every core and rebuild only when something changed: on a
# synthetic corpus, --jobs 1 and --jobs 4 write identical sites; a rebuild
# with nothing changed writes nothing; a rebuild after a commit, or after a
# theme change, equals a clean build of the same inputs.
. "$(dirname "$0")/lib.sh"

if ! command -v python3 >/dev/null 2>&1; then
	test_skip "parallel and rebuild" "python3 is missing"
	test_done
	exit 0
fi

test_expect_success 'a synthetic corpus of every record type' '
	python3 "$AVOIN_TOP/scripts/gen-corpus.py" --out corpus --records 200 --commits 30 --seed 3 >/dev/null &&
	git -C corpus rev-parse -q --verify HEAD >/dev/null
'

test_expect_success '--jobs 1 and --jobs 4 write identical sites' '
	(cd "$AVOIN_TOP" && "$AVOIN" build -q --repo "$TMP/corpus" --jobs 1 --out "$TMP/j1") &&
	(cd "$AVOIN_TOP" && "$AVOIN" build -q --repo "$TMP/corpus" --jobs 4 --out "$TMP/j4") &&
	diff -r j1 j4
'

test_expect_success 'a rebuild with nothing changed writes nothing' '
	(cd "$AVOIN_TOP" && "$AVOIN" build --repo "$TMP/corpus" --out "$TMP/j1") >out &&
	grep -q "up to date" out &&
	diff -r j1 j4
'

test_expect_success 'a rebuild after a commit equals a clean build of it' '
	f=$(cd corpus && git ls-files "content/*/sivut/*.md" | head -1) &&
	printf "\nLisätty kappale.\n" >>"corpus/$f" &&
	git -C corpus add -A && GIT_AUTHOR_DATE=2025-11-03T10:00:00+02:00 \
		GIT_COMMITTER_DATE=2025-11-03T10:00:00+02:00 git -C corpus commit -q -m muutos &&
	(cd "$AVOIN_TOP" && "$AVOIN" build --repo "$TMP/corpus" --out "$TMP/j1") >out &&
	grep -q "files written" out &&
	(cd "$AVOIN_TOP" && "$AVOIN" build -q --repo "$TMP/corpus" --out "$TMP/clean") &&
	diff -r j1 clean
'

test_expect_success 'a theme change is rebuilt, equal to a clean build with that theme' '
	cp -R "$AVOIN_TOP/themes/default" mytheme &&
	"$AVOIN" build -q --repo corpus --theme mytheme --out t1 &&
	sed -i "s/<main id=\"main\"/<main data-oma=\"1\" id=\"main\"/" mytheme/templates/layout.mustache &&
	"$AVOIN" build --repo corpus --theme mytheme --out t1 >out &&
	grep -q "files written" out &&
	grep -q "data-oma" t1/index.html &&
	"$AVOIN" build -q --repo corpus --theme mytheme --out t2 &&
	diff -r t1 t2
'

test_expect_success 'deleting the output forces a full build' '
	rm -rf t1 &&
	"$AVOIN" build --repo corpus --theme mytheme --out t1 >out &&
	grep -q "files written" out && diff -r t1 t2
'

test_done
