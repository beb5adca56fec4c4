#!/bin/sh
# The rebuild cache (<out>.cache/parts): whatever was cached, a rebuild
# equals a clean build (no output, no cache) of the same inputs: after a
# commit that edits one record, after a template change and after a change
# of a content hook. And the number of jobs never changes the output.
. "$(dirname "$0")/lib.sh"

if ! command -v python3 >/dev/null 2>&1; then
	test_skip "rebuild cache" "python3 is missing"
	test_done
	exit 0
fi

# build OUT [args]: a build from the source tree (for themes/default)
build() {
	o=$1
	shift
	(cd "$AVOIN_TOP" && "$AVOIN" build -q --repo "$TMP/corpus" --out "$TMP/$o" "$@")
}
clean_build() {
	rm -rf "$TMP/$1" "$TMP/$1.cache" && build "$@"
}

test_expect_success 'a synthetic corpus' '
	python3 "$AVOIN_TOP/scripts/gen-corpus.py" --out corpus --records 300 --commits 60 --seed 7 >/dev/null
'

test_expect_success '--jobs 1 and --jobs 4 are identical, cached or not' '
	build j1 --jobs 1 && build j4 --jobs 4 && diff -r j1 j4 &&
	assert_file j1.cache/parts &&
	rm j4.cache/stamp && build j4 --jobs 4 && diff -r j1 j4
'

test_expect_success 'a cached rebuild after a one-record commit equals a clean build' '
	f=$(cd corpus && git ls-files "content/*.md" | grep -v -e region.md -e kunnat/ | head -1) &&
	printf "\nLisätty kappale.\n" >>"corpus/$f" &&
	commit_all corpus "Muokkaa yhtä" 2025-11-03T10:00:00+02:00 &&
	build j1 --jobs 2 && clean_build clean --jobs 1 &&
	diff -r j1 clean && p=${f#content/} && assert_contains "j1/${p%.md}/index.html" "Lisätty kappale"
'

test_expect_success 'a template change: the cached rebuild equals a clean build' '
	cp -R "$AVOIN_TOP/themes/default" mytheme &&
	build t1 --theme "$TMP/mytheme" &&
	sed -i "s/<main id=\"main\"/<main data-oma=\"1\" id=\"main\"/" mytheme/templates/layout.mustache &&
	build t1 --theme "$TMP/mytheme" && clean_build t2 --theme "$TMP/mytheme" &&
	assert_contains t1/index.html data-oma && diff -r t1 t2
'

test_expect_success 'a content hook change: the cached rebuild equals a clean build' '
	mkdir -p corpus/content/hooks &&
	sed "s/class = \"num\" }, s)/class = \"num oma\" }, s)/" \
		"$AVOIN_TOP/themes/default/hooks/indicator.lua" >corpus/content/hooks/indicator.lua &&
	commit_all corpus "Oma indikaattorikoukku" 2025-11-04T10:00:00+02:00 &&
	build j1 && clean_build clean && diff -r j1 clean &&
	grep -rlq "num oma" j1
'

test_expect_success 'a garbled cache is ignored' '
	printf "roskaa" >j1.cache/parts && rm j1.cache/stamp &&
	build j1 && diff -r j1 clean
'

test_done
