#!/bin/sh
# The rebuild cache (<out>.cache/parts): whatever was cached, a rebuild
# equals a clean build (no output, no cache) of the same inputs: after a
# commit that edits one record, after a template change and after a change
# of a content hook, and page hooks' results follow what they are handed.
# And the number of jobs never changes the output.
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

test_expect_success 'the navigation marks only the page'"'"'s own region, on version pages too' '
	f=$(cd corpus && git ls-files "content/*.md" | grep -v -e region.md -e kunnat/ | head -1) &&
	p=${f#content/} && p=${p%.md} && region=${p%%/*} &&
	v="j1/$p/historia/$(git -C corpus rev-parse HEAD | cut -c1-7).html" &&
	assert_contains "$v" "Tämä on asiakirjan nykyinen versio." &&
	for page in "$v" "j1/$p/index.html" "j1/$p/historia/index.html"; do
		test "$(grep -c "<li><a href=[^>]* aria-current=\"page\">" "$page")" = 1 &&
		assert_contains "$page" "/$region/\" aria-current=\"page\">" || return 1
	done
'

test_expect_success 'no page gives one id twice; a theme lists its partnership groups once' '
	for page in $(find j1 -name "*.html"); do
		d=$(grep -o " id=\"[^\"]*\"" "$page" | sort | uniq -d)
		test -z "$d" || { echo "$page: $d"; return 1; }
	done &&
	t=$(grep -l "h-partnerships" j1/teemat/*/index.html | head -1) && test -n "$t" &&
	g=$(sed -n "/<section aria-labelledby=\"h-partnerships\">/,/<\/section>/p" "$t" |
		grep -o "href=\"[^\"]*kumppanuuspoydat/[^\"]*\"" | head -1) && test -n "$g" &&
	test "$(grep -c "$g" "$t")" = 1
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

test_expect_success 'a damaged blob cache is read from the repository instead' '
	assert_file j1.cache/blobs &&
	head -c 5000 j1.cache/blobs >b && mv b j1.cache/blobs && rm j1.cache/stamp &&
	build j1 && diff -r j1 clean &&
	printf "avoin-blobs 1\nroskaa" >j1.cache/blobs && rm j1.cache/stamp &&
	build j1 && diff -r j1 clean &&
	test "$(head -c 14 j1.cache/blobs)" = "avoin-blobs 1" &&
	test "$(wc -c <j1.cache/blobs)" -gt 5000
'

test_expect_success 'front matter comes parsed from the cache; a damaged cache is parsed again' '
	assert_file j1.cache/frontmatter &&
	rm j1.cache/stamp &&
	(cd "$AVOIN_TOP" && "$AVOIN" build --timings --repo "$TMP/corpus" --out "$TMP/j1") 2>err &&
	grep "front matters from the cache" err >hits &&
	! grep -q " 0 of " hits && diff -r j1 clean &&
	head -c 3000 j1.cache/frontmatter >f && mv f j1.cache/frontmatter && rm j1.cache/stamp &&
	build j1 && diff -r j1 clean &&
	printf "avoin-frontmatter 1 roskaa\nroskaa" >j1.cache/frontmatter && rm j1.cache/stamp &&
	build j1 && diff -r j1 clean &&
	test "$(wc -c <j1.cache/frontmatter)" -gt 3000
'

# The incremental output (<out>.cache/manifest): a rebuild writes only what
# changed and still equals a clean build, whatever the commit did.
inode() { stat -c %i "$1"; }
changed_count() { sed -n "s/.*(\([0-9]*\) new or changed.*/\1/p" "$1"; }
build_v() {
	o=$1
	shift
	(cd "$AVOIN_TOP" && "$AVOIN" build --repo "$TMP/corpus" --out "$TMP/$o" "$@")
}

test_expect_success 'a body edit rewrites that record'"'"'s pages, not the others' '
	build_v inc >out.txt && assert_file inc.cache/manifest &&
	f=$(cd corpus && git ls-files "content/*/poytakirjat/*.md" | sed -n 3p) &&
	g=$(cd corpus && git ls-files "content/*/poytakirjat/*.md" | sed -n 4p) &&
	p=${f#content/} && q=${g#content/} &&
	other=$(inode "inc/${q%.md}/index.html") &&
	printf "\nToinen lisätty kappale.\n" >>"corpus/$f" &&
	commit_all corpus "Muokkaa tekstiä" 2025-11-05T10:00:00+02:00 &&
	build_v inc >out.txt && clean_build clean && diff -r inc clean &&
	assert_contains "inc/${p%.md}/index.html" "Toinen lisätty kappale" &&
	test "$(inode "inc/${q%.md}/index.html")" = "$other" &&
	total=$(find inc -type f | wc -l) && n=$(changed_count out.txt) &&
	test -n "$n" && test "$n" -gt 0 && test $((n * 2)) -lt "$total"
'

# wait_gone PATH: the background deletion of replaced files has finished (30 s at most)
wait_gone() {
	i=0
	while test -e "$1" && test $i -lt 300; do
		sleep 0.1
		i=$((i + 1))
	done
	test ! -e "$1"
}

test_expect_success 'the files a rebuild replaced are deleted after it, in the background' '
	f=$(cd corpus && git ls-files "content/*/poytakirjat/*.md" | sed -n 5p) &&
	p=${f#content/} &&
	printf "\nKolmas lisätty kappale.\n" >>"corpus/$f" &&
	commit_all corpus "Muokkaa taas" 2025-11-05T10:30:00+02:00 &&
	build_v inc >out.txt && assert_contains "inc/${p%.md}/index.html" "Kolmas lisätty" &&
	test ! -e inc.staging && wait_gone inc.cache/trash &&
	clean_build clean && diff -r inc clean &&
	build inc && wait_gone inc.cache/trash && wait_gone clean.cache/trash &&
	rm -r clean.cache && build clean && test ! -e clean.staging &&
	wait_gone clean.cache/trash && diff -r inc clean
'

test_expect_success 'a title change reaches the pages that name the record' '
	f=$(cd corpus && git ls-files "content/*/sopimukset/*.md" | head -1) &&
	sed -i "s/^title: .*/title: Uusi otsikko sopimukselle/" "corpus/$f" &&
	commit_all corpus "Vaihda otsikko" 2025-11-05T11:00:00+02:00 &&
	build inc && clean_build clean && diff -r inc clean &&
	grep -rlq "Uusi otsikko sopimukselle" inc
'

test_expect_success 'a rename and a deletion: redirect and removal pages, nothing stale' '
	f=$(cd corpus && git ls-files "content/*/poytakirjat/*.md" | sed -n 5p) &&
	g=$(cd corpus && git ls-files "content/*/poytakirjat/*.md" | sed -n 6p) &&
	(cd corpus && git mv "$f" "${f%.md}-siirretty.md" && git rm -q "$g") &&
	commit_all corpus "Siirrä ja poista" 2025-11-06T10:00:00+02:00 &&
	build inc && clean_build clean && diff -r inc clean &&
	p=${f#content/} && assert_file "inc/${p%.md}-siirretty/index.html"
'

test_expect_success 'a data file change reaches the indicator table that reads it' '
	r=$(cd corpus && ls content | grep -v -e site.yaml -e hooks | head -1) &&
	mkdir -p "corpus/content/$r/data" &&
	printf "Alue\t2024\t2025\nKeskinen\t11\t12\n" >"corpus/content/$r/data/luvut.tsv" &&
	f=$(cd corpus && git ls-files "content/$r/poytakirjat/*.md" | head -1) &&
	printf "\n\140\140\140indicator title=\"Luvut\" unit=\"kpl\" src=\"data/luvut.tsv\"\n\140\140\140\n" >>"corpus/$f" &&
	commit_all corpus "Luvut" 2025-11-07T10:00:00+02:00 &&
	build inc && clean_build clean && diff -r inc clean &&
	printf "Alue\t2024\t2025\nKeskinen\t11\t987\n" >"corpus/content/$r/data/luvut.tsv" &&
	commit_all corpus "Päivitä luvut" 2025-11-07T10:30:00+02:00 &&
	build inc && clean_build clean && diff -r inc clean &&
	p=${f#content/} && assert_contains "inc/${p%.md}/index.html" 987
'

test_expect_success 'history pages of a body whose hook reads the site model follow the model' '
	mkdir -p corpus/content/hooks &&
	printf "return function(block, record, site)\n\treturn \"<p>Koottu \" .. site.build_date .. \"</p>\"\nend\n" \
		>corpus/content/hooks/paiva.lua &&
	f=$(cd corpus && git ls-files "content/*/poytakirjat/*.md" | sed -n 7p) &&
	printf "\n\140\140\140paiva\n\140\140\140\n" >>"corpus/$f" &&
	commit_all corpus "Päiväkoukku" 2025-11-08T10:00:00+02:00 &&
	printf "\nUusi kappale.\n" >>"corpus/$f" &&
	commit_all corpus "Muokkaa" 2025-11-09T10:00:00+02:00 &&
	build inc && clean_build clean && diff -r inc clean &&
	g=$(cd corpus && git ls-files "content/*/poytakirjat/*.md" | sed -n 8p) &&
	printf "\nMuualla.\n" >>"corpus/$g" &&
	commit_all corpus "Muokkaa toista" 2025-11-10T10:00:00+02:00 &&
	build inc && clean_build clean && diff -r inc clean &&
	p=${f#content/} && grep -rq "Koottu 2025-11-10" "inc/${p%.md}/historia"
'

test_expect_success 'summaries made by a hook are cached, and follow the model when it reads it' '
	printf "return function(record, site)\n\treturn \"Tiivistelmä \" .. record.title\nend\n" \
		>corpus/content/hooks/summary.lua &&
	commit_all corpus "Oma tiivistelmä" 2025-11-11T10:00:00+02:00 &&
	build inc && clean_build clean && diff -r inc clean && grep -rq "Tiivistelmä " inc &&
	printf "return function(record, site)\n\treturn \"Päivä \" .. site.build_date\nend\n" \
		>corpus/content/hooks/summary.lua &&
	commit_all corpus "Päivätiivistelmä" 2025-11-12T10:00:00+02:00 &&
	build inc && grep -rq "Päivä 2025-11-12" inc &&
	g=$(cd corpus && git ls-files "content/*/poytakirjat/*.md" | sed -n 9p) &&
	printf "\nMuualla taas.\n" >>"corpus/$g" &&
	commit_all corpus "Muokkaa kolmatta" 2025-11-13T10:00:00+02:00 &&
	build inc && clean_build clean && diff -r inc clean && grep -rq "Päivä 2025-11-13" inc &&
	! grep -rq "Päivä 2025-11-12" inc/*/poytakirjat &&
	git -C corpus rm -q content/hooks/summary.lua &&
	commit_all corpus "Pois" 2025-11-14T10:00:00+02:00 &&
	build inc && clean_build clean && diff -r inc clean
'

test_expect_success 'a .mailmap change renames the author on the pages that name them' '
	email=$(git -C corpus log -1 --format=%ae) && name=$(git -C corpus log -1 --format=%an) &&
	printf "Uusi Nimimerkki <%s>\n" "$email" >corpus/.mailmap &&
	commit_all corpus "Mailmap" 2025-11-15T10:00:00+02:00 &&
	build inc && clean_build clean && diff -r inc clean &&
	grep -rlq "Uusi Nimimerkki" inc/muutokset && test -n "$name"
'

# Page hooks (the theme's obligations tracker on region and municipality
# pages) are cached: their key must cover what they are handed. The commits
# below are on one day, so that the model's build_date stays the same.
hook_hits() { sed -n "s/^avoin:   \([0-9]*\) of \([0-9]*\) page-hook results from the cache$/\1 \2/p" "$1"; }
build_t() {
	o=$1
	shift
	(cd "$AVOIN_TOP" && "$AVOIN" build --timings --repo "$TMP/corpus" --out "$TMP/$o" "$@") 2>&1
}

test_expect_success 'after a body-only commit the page hooks'"'"' results come from the cache' '
	build inc &&
	f=$(cd corpus && git ls-files "content/*/poytakirjat/*.md" | sed -n 11p) &&
	printf "\nVain tekstiä.\n" >>"corpus/$f" &&
	commit_all corpus "Vain tekstiä" 2025-11-15T11:00:00+02:00 &&
	build_t inc >timings.txt && clean_build clean && diff -r inc clean &&
	set -- $(hook_hits timings.txt) && test $# = 2 &&
	echo "$1 of $2 from the cache" && test "$2" -gt 0 && test "$1" = "$2" &&
	grep -Eq "^avoin: write pages +[0-9]+\.[0-9]{3} s  \(CPU [0-9]+\.[0-9]{3} s, memory [0-9]+ MB, peak so far [0-9]+ MB\)$" timings.txt
'

test_expect_success 'a municipality'"'"'s front matter read by the obligations hook reaches it' '
	f=$(cd corpus && git ls-files "content/*/kunnat/*.md" | head -1) &&
	region=${f#content/} && region=${region%%/*} &&
	grep -q "^name: " "corpus/$f" &&
	sed -i "s/^name: .*/name: \"Uusinimelä\"/" "corpus/$f" &&
	commit_all corpus "Uusi nimi" 2025-11-15T12:00:00+02:00 &&
	build_t inc >timings.txt && clean_build clean && diff -r inc clean &&
	sed -n "/obligations-table/,/<\/table>/p" "inc/$region/index.html" >table.html &&
	assert_contains table.html "Uusinimelä" &&
	set -- $(hook_hits timings.txt) && test "$1" -lt "$2"
'

test_expect_success 'a content page hook replacing the theme'"'"'s reaches the pages, and back' '
	sed "s/heading = \"Lakisääteiset velvoitteet\"/heading = \"Omat velvoitteet\"/" \
		"$AVOIN_TOP/themes/default/hooks/obligations.lua" >corpus/content/hooks/obligations.lua &&
	commit_all corpus "Oma velvoitekoukku" 2025-11-15T13:00:00+02:00 &&
	build inc && clean_build clean && diff -r inc clean &&
	r=$(cd corpus && git ls-files "content/*/region.md" | head -1) && r=${r#content/} &&
	assert_contains "inc/${r%/region.md}/index.html" "Omat velvoitteet" &&
	git -C corpus rm -q content/hooks/obligations.lua &&
	commit_all corpus "Pois taas" 2025-11-15T14:00:00+02:00 &&
	build inc && clean_build clean && diff -r inc clean &&
	assert_not_contains "inc/${r%/region.md}/index.html" "Omat velvoitteet"
'

test_expect_success 'without the manifest the rebuild is full, and the same' '
	rm inc.cache/manifest inc.cache/stamp && build_v inc >out.txt &&
	diff -r inc clean && total=$(find inc -type f | wc -l) &&
	test "$(changed_count out.txt)" = "$total"
'

test_expect_success 'a file edited by hand in the output is put right' '
	rm inc.cache/stamp && p=$(cd inc && find . -name index.html | sed -n 10p) &&
	printf "käsin" >"inc/$p" && build inc && diff -r inc clean
'

test_done
