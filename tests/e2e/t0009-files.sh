#!/bin/sh
# Files that records name: one rule for annexes, report indicators, src= and
# Markdown links (the record's folder, then its region's, "/" from the content
# root); each file published once at its own path and linked there from every
# record that names it; nothing else under content/ published; types that can
# carry script refused unless site.yaml allows raw files.
. "$(dirname "$0")/lib.sh"
CHECK_HTML="python3 $AVOIN_TOP/tests/e2e/htmlcheck.py"

new_site repo
mkdir -p repo/content/testi/data repo/content/testi/liitteet repo/content/testi/sopimukset \
	repo/content/testi/raportit repo/content/testi/kunnat/alfa
printf 'Alue\t2022\t2023\nKeskinen\t10\t12\n' >repo/content/testi/data/asiakkaat.tsv
printf '%%PDF-1.4 liite\n' >repo/content/testi/liitteet/sopimus.pdf
printf '<script>alert(1)</script>\n' >repo/content/testi/hyokkays.html
printf 'alert(1)\n' >repo/content/testi/skripti.js
printf '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\n' >repo/content/testi/kuva.svg
printf '<p>korvaa</p>\n' >repo/content/testi/kunnat/alfa/index.html
cat >repo/content/testi/sopimukset/sopimus.md <<'MD'
---
type: agreement
title: Yhteistyösopimus
status: signed
parties: [testi, alfa]
annexes:
  - {title: Sopimusteksti, file: liitteet/sopimus.pdf}
---
Sopimus on [liitteenä](liitteet/sopimus.pdf).
MD
cat >repo/content/testi/raportit/raportti.md <<'MD'
---
type: report
title: Hyvinvointikertomus
kind: wellbeing-report
indicators: [data/asiakkaat.tsv]
---
Sama liite: [sopimus](/testi/liitteet/sopimus.pdf).

```indicator title="Asiakkaat" src="data/asiakkaat.tsv"
```
MD
commit_all repo "tiedostot"

test_expect_success 'files in the region folder are found from records in subfolders' '
	"$AVOIN" build -q --repo repo --out site &&
	assert_file site/testi/liitteet/sopimus.pdf &&
	assert_file site/testi/data/asiakkaat.tsv &&
	assert_no_file site/testi/sopimukset/liitteet/sopimus.pdf &&
	assert_no_file site/testi/raportit/data/asiakkaat.tsv
'

test_expect_success 'every record that names the annex links to its one path' '
	assert_contains site/testi/sopimukset/sopimus/index.html "href=\"../../../testi/liitteet/sopimus.pdf\"" &&
	assert_contains site/testi/raportit/raportti/index.html "href=\"../../../testi/liitteet/sopimus.pdf\"" &&
	assert_contains site/testi/raportit/raportti/index.html "href=\"../../../testi/data/asiakkaat.tsv\"" &&
	assert_contains site/testi/raportit/raportti/index.html "<caption>Asiakkaat"
'

test_expect_success 'files no record names are not published, whatever their type' '
	assert_no_file site/testi/hyokkays.html && assert_no_file site/testi/skripti.js &&
	assert_no_file site/testi/kuva.svg && $CHECK_HTML site &&
	assert_contains site/testi/kunnat/alfa/index.html "<h1" &&
	assert_not_contains site/testi/kunnat/alfa/index.html "korvaa"
'

test_expect_success 'check names the files that no record names as unused' '
	"$AVOIN" check --repo repo 2>check.txt &&
	assert_contains check.txt "warning: content/testi/hyokkays.html is named by no published record" &&
	assert_contains check.txt "warning: content/testi/skripti.js is named by no published record" &&
	assert_contains check.txt "warning: content/testi/kunnat/alfa/index.html is named by no published record" &&
	assert_not_contains check.txt "sopimus.pdf" && assert_not_contains check.txt "asiakkaat.tsv"
'

(cd site && find . -type f | sort | xargs md5sum) >before.sum
site_unchanged() { (cd site && find . -type f | sort | xargs md5sum) | cmp -s - before.sum; }
refused() {
	"$AVOIN" build -q --repo repo --out site 2>err.txt; rc=$?
	(cd repo && git reset -q --hard HEAD~1)
	[ $rc = 1 ] || { echo "exit status $rc, expected 1"; cat err.txt; return 1; }
	assert_contains err.txt "$1" && site_unchanged
}

test_expect_success 'a missing annex is an error with file and line, the site untouched' '
	sed -i "s|file: liitteet/sopimus.pdf|file: liitteet/puuttuu.pdf|" repo/content/testi/sopimukset/sopimus.md &&
	commit_all repo "puuttuu" &&
	refused "content/testi/sopimukset/sopimus.md:7: annex '"'"'liitteet/puuttuu.pdf'"'"' does not exist at this revision (looked for '"'"'testi/sopimukset/liitteet/puuttuu.pdf'"'"' and '"'"'testi/liitteet/puuttuu.pdf'"'"')"
'

test_expect_success 'a path that leaves the content folder is an error with file and line' '
	sed -i "s|indicators: \[data/asiakkaat.tsv\]|indicators: [../../../x.tsv]|" repo/content/testi/raportit/raportti.md &&
	sed -i "s|\[liitteenä\](liitteet/sopimus.pdf)|[salasanat](../../../../etc/passwd)|" repo/content/testi/sopimukset/sopimus.md &&
	commit_all repo "ulos" &&
	refused "content/testi/raportit/raportti.md:5: indicator '"'"'../../../x.tsv'"'"' leaves the content folder" &&
	assert_contains err.txt "content/testi/sopimukset/sopimus.md:9: link to '"'"'../../../../etc/passwd'"'"' leaves the content folder"
'

test_expect_success 'links to hooks, templates and site.yaml are errors, not 404s' '
	mkdir -p repo/content/hooks repo/content/templates &&
	printf "return function() return nil end\n" >repo/content/hooks/oma.lua &&
	printf "[koukku](/hooks/oma.lua) [asetukset](/site.yaml)\n" >>repo/content/testi/sopimukset/sopimus.md &&
	commit_all repo "koneisto" &&
	refused "content/testi/sopimukset/sopimus.md:10: link to '"'"'/hooks/oma.lua'"'"' is one of the site'"'"'s own files" &&
	assert_contains err.txt "link to '"'"'/site.yaml'"'"' is one of the site'"'"'s own files"
'

test_expect_success 'an SVG or HTML file named by a record is an error' '
	printf "![kuva](../kuva.svg) [sivu](../hyokkays.html)\n" >>repo/content/testi/sopimukset/sopimus.md &&
	commit_all repo "svg" &&
	refused "content/testi/sopimukset/sopimus.md:10: link to '"'"'../kuva.svg'"'"' is of a type that is not published" &&
	assert_contains err.txt "link to '"'"'../hyokkays.html'"'"' is of a type that is not published"
'

test_expect_success 'raw_files: true in site.yaml lets records name them' '
	printf "raw_files: true\n" >>repo/content/site.yaml &&
	printf "![kuva](../kuva.svg)\n" >>repo/content/testi/sopimukset/sopimus.md &&
	commit_all repo "raaka" &&
	"$AVOIN" build -q --repo repo --out site && assert_file site/testi/kuva.svg &&
	assert_no_file site/testi/hyokkays.html
'

test_expect_success 'a file no longer named is removed from the site by the next build' '
	(cd repo && git reset -q --hard HEAD~1) &&
	"$AVOIN" build -q --repo repo --out site && assert_no_file site/testi/kuva.svg && site_unchanged
'

test_done
