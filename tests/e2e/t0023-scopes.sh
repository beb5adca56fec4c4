#!/bin/sh
# Scoped sites (avoin build --scope, --all-scopes): a region's and a
# municipality's own site holds exactly what concerns it, has no broken link,
# sends links out of its scope to the site that holds them, uses its own
# base_url, and is the same bytes whether built alone or with every other
# scope, with any number of threads. The feeds and the sitemap are read with
# an XML parser; the open data with opendata_check.py.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] && "$PY" -c 'import icalendar' 2>/dev/null || PY=python3
LINKS="python3 $AVOIN_TOP/tests/e2e/linkcheck.py"

# record_pages DIR: the records a site publishes, as the folders of their index.json
record_pages() {
	(cd "$1" && find . -name index.json | sed 's#^\./##; s#/\{0,1\}index\.json$##' | sort)
}

md() { # md FILE FRONT-MATTER BODY
	mkdir -p "$(dirname "$1")" && printf -- "---\n%b---\n%b\n" "$2" "$3" >"$1"
}

test_expect_success 'a site of two regions: records for all of one, for one municipality, with one as a party' '
	new_site site &&
	c=site/content &&
	sed -i "s|^name: alfa|name: alfa\nbase_url: https://alfa.example/hyte/|" $c/testi/kunnat/alfa.md &&
	md $c/testi/poytakirjat/koko-alue.md "type: minutes\ntitle: Koko alueen lautakunta\ndate: 2024-01-10\n" "Koko alue." &&
	md $c/testi/neuvottelut/alfa.md "type: negotiation\ntitle: Alfan neuvottelu\nkind: hyte\ndate: 2024-01-11\nmunicipalities: [alfa]\n" "Alfa." &&
	md $c/testi/sopimukset/beta-alfa.md "type: agreement\ntitle: Betan sopimus\nstatus: signed\nmunicipalities: [beta]\nparties: [testi, beta, alfa]\n" "Sopimus." &&
	md $c/testi/poytakirjat/vain-beta.md "type: minutes\ntitle: Vain Betan kokous\ndate: 2024-01-12\nmunicipalities: [beta]\n" "Beta." &&
	md $c/toinen/region.md "type: region\ntitle: Toisen hyvinvointialue\nname: Toinen\nbase_url: https://toinen.example/\nareas:\n  - slug: kaikki\n    name: Kaikki\n    municipalities: [gamma]\n" "Toinen alue." &&
	md $c/toinen/kunnat/gamma.md "type: municipality\ntitle: gamma\nname: gamma\n" "Kunta gamma." &&
	md $c/toinen/raportit/gamman-raportti.md "type: report\ntitle: Gamman raportti\nkind: wellbeing-report\nperiod: 2023-2026\nmunicipalities: [gamma]\n" "Raportti." &&
	md $c/testi/sopimukset/linkit.md "type: agreement\ntitle: Linkkejä muualle\nstatus: approved\nmunicipalities: [alfa]\n" \
		"Katso [Betan kokous](../poytakirjat/vain-beta.md), [Gamman raportti](/toinen/raportit/gamman-raportti/) ja [koko alue](../poytakirjat/koko-alue.md)." &&
	commit_all site "Sivusto" "2024-01-15T10:00:00+02:00" &&
	(cd site && "$AVOIN" build -q && "$AVOIN" build -q --scope testi --out testi-site &&
		"$AVOIN" build -q --scope testi/alfa --out alfa-site &&
		"$AVOIN" build -q --scope toinen --out toinen-site)
'

test_expect_success 'the municipality'"'"'s site holds its page, the region-wide record, its own and its party'"'"'s records, nothing else' '
	record_pages site/alfa-site >alfa.txt &&
	printf "%s\n" "" neuvottelut/alfa poytakirjat/koko-alue sopimukset/beta-alfa sopimukset/linkit |
		sort >want.txt &&
	diff -u want.txt alfa.txt &&
	assert_contains site/alfa-site/index.html "<h1>alfa</h1>" &&
	assert_no_file site/alfa-site/poytakirjat/vain-beta &&
	assert_no_file site/alfa-site/testi &&
	assert_no_file site/alfa-site/kunnat
'

test_expect_success 'the region'"'"'s site holds every record of the region and none of the other' '
	record_pages site/testi-site >testi.txt &&
	printf "%s\n" "" kunnat/alfa kunnat/beta neuvottelut/alfa poytakirjat/koko-alue \
		poytakirjat/vain-beta sopimukset/beta-alfa sopimukset/linkit | sort >want.txt &&
	diff -u want.txt testi.txt &&
	assert_no_file site/testi-site/raportit && assert_no_file site/testi-site/toinen
'

test_expect_success 'no scoped site has a broken link, and its links out go to pages that exist' '
	for s in alfa-site testi-site toinen-site; do
		$LINKS site/$s --site https://testi.example/=site/public \
			--site https://toinen.example/=site/toinen-site >links-$s.txt ||
			{ cat links-$s.txt; return 1; }
	done &&
	tail -1 links-alfa-site.txt &&
	grep -q "leaving ([1-9][0-9]* checked)" links-alfa-site.txt
'

test_expect_success 'a link out of the scope goes to the whole site, or to the region'"'"'s own address, marked as leaving' '
	p=site/alfa-site/sopimukset/linkit/index.html &&
	assert_contains $p "href=\"https://testi.example/testi/poytakirjat/vain-beta/\"" &&
	assert_contains $p "href=\"https://toinen.example/raportit/gamman-raportti/\"" &&
	assert_contains $p "href=\"../../poytakirjat/koko-alue/\"" &&
	assert_contains site/alfa-site/sopimukset/beta-alfa/index.html \
		"href=\"https://testi.example/testi/kunnat/beta/\">beta<span class=\"leaves\">"
'

test_expect_success 'the way up: a municipality'"'"'s site to its region, a region'"'"'s to the whole site; no menu of regions' '
	assert_contains site/alfa-site/index.html "class=\"scope-up\" href=\"https://testi.example/testi/\"" &&
	assert_contains site/testi-site/index.html "class=\"scope-up\" href=\"https://testi.example/\"" &&
	assert_not_contains site/alfa-site/index.html "href=\"https://testi.example/toinen/\"" &&
	assert_contains site/alfa-site/neuvottelut/alfa/index.html "<a href=\"../../\">alfa</a>"
'

test_expect_success 'the municipality'"'"'s base_url in canonical links, the sitemap and the feeds' '
	assert_contains site/alfa-site/index.html "<link rel=\"canonical\" href=\"https://alfa.example/hyte/\">" &&
	assert_contains site/alfa-site/sv/neuvottelut/alfa/index.html \
		"<link rel=\"canonical\" href=\"https://alfa.example/hyte/sv/neuvottelut/alfa/\">" &&
	python3 - site/alfa-site <<-'"'"'PY'"'"'
	import sys, xml.etree.ElementTree as ET
	site = sys.argv[1]
	sm = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
	locs = [l.text for l in ET.parse(site + "/sitemap.xml").getroot().findall("s:url/s:loc", sm)]
	assert locs and all(l.startswith("https://alfa.example/hyte/") for l in locs), locs
	assert "https://alfa.example/hyte/neuvottelut/alfa/" in locs, locs
	assert not any("vain-beta" in l for l in locs), locs
	a = {"a": "http://www.w3.org/2005/Atom"}
	feed = ET.parse(site + "/muutokset/atom.xml").getroot()
	assert feed.find("a:id", a).text.startswith("https://alfa.example/hyte/"), feed.find("a:id", a).text
	titles = [e.find("a:title", a).text for e in feed.findall("a:entry", a)]
	links = [e.find("a:link", a).get("href") for e in feed.findall("a:entry", a)]
	assert all(l.startswith("https://alfa.example/hyte/") for l in links), links
	assert not any("Vain Betan" in t for t in titles), titles
	print(len(locs), "sitemap entries,", len(titles), "feed entries")
	PY
'

test_expect_success 'the scoped sites'"'"' open data and calendars read with real parsers, every reference resolving' '
	for s in alfa-site testi-site toinen-site; do
		$PY "$AVOIN_TOP/tests/e2e/opendata_check.py" site/$s || return 1
	done
'

test_expect_success '--all-scopes writes each region and municipality into its own folder' '
	(cd site && "$AVOIN" build -q --all-scopes --out all && ls all >../all.txt) &&
	printf "%s\n" alfa beta gamma testi toinen >want.txt &&
	diff -u want.txt all.txt
'

test_expect_success 'a scoped site is the same bytes alone and among all, with one thread or four' '
	diff -r site/alfa-site site/all/alfa &&
	diff -r site/testi-site site/all/testi &&
	diff -r site/toinen-site site/all/toinen &&
	(cd site && "$AVOIN" build -q --all-scopes --jobs 1 --out all-1 &&
		"$AVOIN" build -q --all-scopes --jobs 4 --out all-4) &&
	diff -r site/all-1 site/all-4 && diff -r site/all site/all-1
'

# What shows a status "as of the built commit's date" changes with any commit:
# the obligations on region and municipality pages and the upcoming deadlines.
test_expect_success 'a commit to one municipality'"'"'s record rewrites its scopes; the others keep all but their dated pages' '
	touch -d "2024-01-01 00:00" mark &&
	find site/all -type f -exec touch -d "2023-12-31 00:00" {} + &&
	printf "\nLisäys.\n" >>site/content/testi/poytakirjat/vain-beta.md &&
	commit_all site "Betan kokous" "2024-01-20T10:00:00+02:00" &&
	(cd site && "$AVOIN" build -q --all-scopes --out all) &&
	find site/all -newer mark -type f | sort >changed.txt &&
	grep -c "^site/all/beta/" changed.txt && grep -c "^site/all/testi/" changed.txt &&
	grep -q "^site/all/beta/poytakirjat/vain-beta/index.html$" changed.txt &&
	grep -q "^site/all/testi/poytakirjat/vain-beta/index.html$" changed.txt &&
	grep -v "^site/all/beta/\|^site/all/testi/" changed.txt >others.txt &&
	cat others.txt &&
	! grep -Ev "^site/all/[a-z]+/(sv/)?((kunnat/[a-z]+/|maaraajat/)?index\.html)$" others.txt
'

test_expect_success 'a renamed and a removed record: the redirect and the removal page in the scopes that held them' '
	git -C site mv content/testi/neuvottelut/alfa.md content/testi/neuvottelut/alfa-2024.md &&
	md site/content/testi/poytakirjat/alfan-oma.md "type: minutes\ntitle: Alfan oma kokous\ndate: 2024-01-21\nmunicipalities: [alfa]\n" "Alfa." &&
	commit_all site "Alfan kokous" "2024-01-21T10:00:00+02:00" &&
	git -C site rm -q content/testi/poytakirjat/alfan-oma.md &&
	commit_all site "Rename and removal" "2024-01-22T10:00:00+02:00" &&
	(cd site && "$AVOIN" build -q --all-scopes --out all) &&
	assert_contains site/all/alfa/neuvottelut/alfa/index.html "neuvottelut/alfa-2024/" &&
	assert_contains site/all/alfa/sv/neuvottelut/alfa/index.html "alfa-2024/" &&
	assert_file site/all/alfa/poytakirjat/alfan-oma/index.html &&
	assert_file site/all/testi/poytakirjat/alfan-oma/index.html &&
	assert_no_file site/all/beta/poytakirjat/alfan-oma &&
	assert_no_file site/all/beta/neuvottelut &&
	for s in alfa beta testi; do
		$LINKS site/all/$s >links-$s.txt || { cat links-$s.txt; return 1; }
	done &&
	python3 - site/all/alfa <<-'"'"'PY'"'"'
	import os, sys, xml.etree.ElementTree as ET
	site, a = sys.argv[1], {"a": "http://www.w3.org/2005/Atom"}
	base = "https://alfa.example/hyte/"
	for feed in ("muutokset/atom.xml", "sv/muutokset/atom.xml"):
	    for e in ET.parse(os.path.join(site, feed)).getroot().findall("a:entry", a):
	        href = e.find("a:link", a).get("href")
	        assert href.startswith(base), href
	        path = os.path.join(site, href[len(base):], "index.html")
	        assert os.path.isfile(path), (feed, href)
	print("every feed entry links a page of the site")
	PY
'

test_expect_success 'errors: a scope that names nothing, a municipality of another region, both options, serve' '
	(cd site && "$AVOIN" build -q --scope nowhere --out x >../out1.txt 2>&1; echo $? >../rc1) &&
	[ "$(cat rc1)" = 2 ] && assert_contains out1.txt "--scope '"'"'nowhere'"'"' names no region" &&
	(cd site && "$AVOIN" build -q --scope testi/gamma --out x >../out2.txt 2>&1; echo $? >../rc2) &&
	[ "$(cat rc2)" = 2 ] && assert_contains out2.txt "names no municipality of that region" &&
	(cd site && "$AVOIN" build --scope testi --all-scopes >../out3.txt 2>&1; echo $? >../rc3) &&
	[ "$(cat rc3)" = 2 ] && assert_contains out3.txt "exclude each other" &&
	(cd site && "$AVOIN" serve --scope testi >../out4.txt 2>&1; echo $? >../rc4) &&
	[ "$(cat rc4)" = 2 ] && assert_contains out4.txt "is an option of" &&
	assert_no_file site/x
'

test_expect_success 'a scoped site needs the whole site'"'"'s base_url, and says so at site.yaml' '
	sed -i "/^base_url:/d" site/content/site.yaml &&
	commit_all site "Ei osoitetta" &&
	(cd site && "$AVOIN" build -q --scope testi --out testi-site >../out5.txt 2>&1; echo $? >../rc5) &&
	[ "$(cat rc5)" = 2 ] && assert_contains out5.txt "site.yaml:1: a scoped site needs the whole site'"'"'s base_url" &&
	assert_file site/testi-site/index.html
'

test_done
