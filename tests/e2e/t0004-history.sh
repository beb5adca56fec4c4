#!/bin/sh
# The history pages (issue 4): a record edited over several commits by two
# authors shows every version with its date, author and field changes; a
# rename keeps the history and the old URL leads to the new page; a deleted
# record leaves a removal page; a merge does not duplicate entries; no e-mail
# address from the repository reaches the site; .mailmap rewrites a name; the
# "Muutokset" pages and Atom feeds of the site, a region and a municipality.
. "$(dirname "$0")/lib.sh"

# commit_as NAME EMAIL REPO MESSAGE DATE
commit_as() {
	(GIT_AUTHOR_NAME="$1" GIT_AUTHOR_EMAIL="$2" && export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL &&
		commit_all "$3" "$4" "$5")
}
ANNA="Anna Alku" ANNA_MAIL=anna@fixture.invalid
BERTTA="Bertta Kirjoitusvirhe" BERTTA_MAIL=bertta@fixture.invalid

# short id of a revision, as the permalinks use it
short() { git -C repo rev-parse "$1" | cut -c1-7; }
entries() { grep -c 'class="history-entry' "$1"; }
# expect_eq GOT WANT WHAT: says what it counted when it fails
expect_eq() { [ "$1" = "$2" ] || { echo "expected $2 $3, got $1"; return 1; }; }

test_expect_success 'a repository with edits, a rename, a deletion and a merge' '
	new_site repo &&
	mkdir -p repo/content/testi/sopimukset repo/content/testi/neuvottelut repo/content/testi/raportit &&
	echo "Bertta Oikea <$BERTTA_MAIL>" >repo/content/.mailmap &&
	cat >repo/content/testi/sopimukset/puitesopimus.md <<-MD &&
	---
	type: agreement
	title: Puitesopimus
	parties: [testi, alfa]
	municipalities: [alfa]
	status: draft
	---
	Sopimuksen ensimmäinen versio koskee yhteistyötä.

	Toinen kappale pysyy ennallaan.
	MD
	cat >repo/content/testi/sopimukset/luonnos.md <<-MD &&
	---
	type: agreement
	title: Salainen luonnos
	parties: [testi]
	status: draft
	draft: true
	---
	Ei julkaista.
	MD
	cat >repo/content/testi/neuvottelut/hyte-2023.md <<-MD &&
	---
	type: negotiation
	title: HYTE-neuvottelu 2023
	date: 2023-01-05
	kind: hyte
	municipalities: [alfa]
	outcomes:
	  - {action: Yhteinen kysely, owner: Alfa, due: 2023-06-30, status: planned}
	---
	Neuvottelussa sovittiin kyselystä.
	MD
	cat >repo/content/testi/raportit/vanha-nimi.md <<-MD &&
	---
	type: report
	title: Hyvinvointikertomus
	kind: wellbeing-report
	period: 2023-2025
	---
	Kertomuksen teksti, joka on riittävän pitkä, jotta git tunnistaa siirron
	samaksi tiedostoksi eikä uudeksi asiakirjaksi.

	Toinen kappale kertomuksesta.
	MD
	cat >repo/content/testi/muistio.md <<-MD &&
	---
	type: page
	title: Muistio yhteistyöstä
	---
	Muistion teksti viittaa [kertomukseen](raportit/vanha-nimi.md).
	MD
	commit_as "$ANNA" $ANNA_MAIL repo "Lisää puitesopimus, neuvottelu ja kertomus" \
		"2023-01-10T10:00:00+02:00" &&
	git -C repo rev-parse HEAD >c1 &&

	sed -i "s/^status: draft$/status: signed\nsigned: 2023-02-01/" \
		repo/content/testi/sopimukset/puitesopimus.md &&
	commit_as "$BERTTA" $BERTTA_MAIL repo "Merkitse puitesopimus allekirjoitetuksi" \
		"2023-02-01T12:00:00+02:00" &&
	git -C repo rev-parse HEAD >c2 &&

	sed -i -e "s/status: planned/status: done/" \
		-e "s/sovittiin kyselystä\./sovittiin kyselystä ja sen aikataulusta./" \
		repo/content/testi/neuvottelut/hyte-2023.md &&
	commit_as "$ANNA" $ANNA_MAIL repo "Kysely tehty

Neuvottelun toimenpide on valmis.

Co-authored-by: Cecilia <cecilia@fixture.invalid>" "2023-03-01T09:30:00+02:00" &&
	git -C repo rev-parse HEAD >c3 &&

	git -C repo mv content/testi/raportit/vanha-nimi.md content/testi/raportit/uusi-nimi.md &&
	commit_as "$BERTTA" $BERTTA_MAIL repo "Nimeä kertomus uudelleen" "2023-04-01T08:00:00+03:00" &&
	git -C repo rev-parse HEAD >c4 &&

	git -C repo rm -q content/testi/muistio.md &&
	commit_as "$ANNA" $ANNA_MAIL repo "Poista vanhentunut muistio" "2023-05-01T15:00:00+03:00" &&
	git -C repo rev-parse HEAD >c5 &&

	git -C repo checkout -q -b sivu &&
	sed -i "s/ensimmäinen versio/tarkistettu versio/" repo/content/testi/sopimukset/puitesopimus.md &&
	commit_as "$BERTTA" $BERTTA_MAIL repo "Tarkista sopimuksen sanamuoto" "2023-06-01T10:00:00+03:00" &&
	git -C repo rev-parse HEAD >side &&
	git -C repo checkout -q main &&
	echo "Kolmas kappale lisättiin." >>repo/content/testi/raportit/uusi-nimi.md &&
	commit_as "$ANNA" $ANNA_MAIL repo "Täydennä kertomusta" "2023-06-02T10:00:00+03:00" &&
	git -C repo rev-parse HEAD >c7 &&
	(cd repo && GIT_AUTHOR_NAME="$ANNA" GIT_AUTHOR_EMAIL=$ANNA_MAIL \
		GIT_AUTHOR_DATE="2023-06-03T10:00:00+03:00" GIT_COMMITTER_DATE="2023-06-03T10:00:00+03:00" \
		git merge -q --no-ff -m "Yhdistä sivuhaara" sivu) &&
	git -C repo rev-parse HEAD >merge &&
	(cd repo && "$AVOIN" build -q --out ../site) &&
	assert_file site/testi/sopimukset/puitesopimus/historia/index.html
'

test_expect_success 'a record page shows created, changed, the versions and a history link' '
	p=site/testi/sopimukset/puitesopimus/index.html &&
	sed -n "/<dl class=\"facts\">/,/<\/dl>/p" $p >facts &&
	assert_contains facts "<dt>Luotu</dt><dd><time datetime=\"2023-01-10\">10.1.2023</time>" &&
	assert_contains facts "<dt>Muutettu</dt><dd><time datetime=\"2023-06-03\">3.6.2023</time>" &&
	assert_contains facts "href=\"../../../testi/sopimukset/puitesopimus/historia/\">3 versiota</a>"
'

test_expect_success 'the history lists every version newest first with dates and authors' '
	h=site/testi/sopimukset/puitesopimus/historia/index.html &&
	expect_eq "$(entries $h)" 3 "history entries" &&
	sed -n "/history-list/,/<\/ol>/p" $h | grep -o "datetime=\"[^\"]*\"" >dates &&
	printf "%s\n" "datetime=\"2023-06-03T10:00:00+03:00\"" "datetime=\"2023-02-01T12:00:00+02:00\"" \
		"datetime=\"2023-01-10T10:00:00+02:00\"" >want &&
	diff -u want dates &&
	assert_contains $h "<dd>Anna Alku</dd>" &&
	assert_contains $h "<dd>Bertta Oikea</dd>" &&
	assert_contains $h "Merkitse puitesopimus allekirjoitetuksi" &&
	assert_contains $h "<code>$(short $(cat c2))</code>" &&
	assert_contains $h "<code>$(short $(cat merge))</code>"
'

test_expect_success 'field changes read "label: old → new" in words, with the arrow announced' '
	h=site/testi/sopimukset/puitesopimus/historia/index.html &&
	assert_contains $h "<li><span class=\"field-label\">Tila</span>: <span class=\"old\">Luonnos</span> <span aria-hidden=\"true\">→</span><span class=\"visually-hidden\">muuttui arvoksi</span> <span class=\"new\">Allekirjoitettu</span></li>" &&
	assert_contains $h "<li><span class=\"field-label\">Allekirjoitettu</span>: <span class=\"none\">(ei arvoa)</span>" &&
	assert_contains $h "Teksti ei muuttunut." &&
	n=site/testi/neuvottelut/hyte-2023/historia/index.html &&
	assert_contains $n "Sovitut toimenpiteet: " &&
	assert_contains $n " – Tila</span>: <span class=\"old\">Suunniteltu</span>" &&
	assert_contains $n "<span class=\"new\">Valmis</span>"
'

test_expect_success 'the body diff marks insertions and deletions for screen readers' '
	n=site/testi/neuvottelut/hyte-2023/historia/index.html &&
	assert_contains $n "<ins><span class=\"visually-hidden\">Lisätty: </span>" &&
	assert_contains $n "aikataulusta" &&
	h=site/testi/sopimukset/puitesopimus/historia/index.html &&
	assert_contains $h "<del><span class=\"visually-hidden\">Poistettu: </span>ensimmäinen</del>" &&
	assert_contains $h "<ins><span class=\"visually-hidden\">Lisätty: </span>tarkistettu</ins>"
'

test_expect_success 'commit messages are shown without e-mail addresses' '
	n=site/testi/neuvottelut/hyte-2023/historia/index.html &&
	assert_contains $n "Kysely tehty" &&
	assert_contains $n "Neuvottelun toimenpide on valmis." &&
	assert_contains $n "Co-authored-by: Cecilia" &&
	assert_not_contains $n "cecilia@"
'

test_expect_success 'each version has a permalink marked as an old version' '
	v=site/testi/sopimukset/puitesopimus/historia/$(short $(cat c1)).html &&
	assert_file $v &&
	assert_contains $v "Tämä on asiakirjan vanha versio." &&
	assert_contains $v "href=\"../../../../testi/sopimukset/puitesopimus/\">Siirry asiakirjan nykyiseen versioon" &&
	assert_contains $v "<dt>Tila</dt><dd>draft</dd>" &&
	assert_contains $v "Sopimuksen ensimmäinen versio koskee yhteistyötä." &&
	assert_contains $v "<meta name=\"robots\" content=\"noindex\">" &&
	assert_contains site/testi/sopimukset/puitesopimus/historia/index.html \
		"href=\"../../../../testi/sopimukset/puitesopimus/historia/$(short $(cat c1)).html\"" &&
	cur=site/testi/sopimukset/puitesopimus/historia/$(short $(cat merge)).html &&
	assert_contains $cur "Tämä on asiakirjan nykyinen versio." &&
	assert_contains $cur "tarkistettu versio" &&
	expect_eq "$(grep -c "aria-current=\"page\"" $cur)" 2 "lines marking the current page (its region, its crumb)" &&
	assert_contains $cur "<a href=\"../../../../testi/\" aria-current=\"page\">"
'

test_expect_success 'a merge does not duplicate entries; the side commit is listed once, as the merge' '
	assert_no_file site/testi/sopimukset/puitesopimus/historia/$(short $(cat side)).html &&
	! grep -rqF "$(short $(cat side))" site &&
	c=site/muutokset/index.html &&
	expect_eq "$(grep -c "<li class=\"commit\">" $c)" 7 commits &&
	expect_eq "$(grep -c "Yhdistä sivuhaara" $c)" 1 "merge summaries" &&
	expect_eq "$(grep -c "Tarkista sopimuksen sanamuoto" $c)" 0 "side commits"
'

test_expect_success 'a rename keeps the history and the old URL leads to the new page' '
	h=site/testi/raportit/uusi-nimi/historia/index.html &&
	expect_eq "$(entries $h)" 3 "history entries" &&
	assert_contains $h "<code>testi/raportit/vanha-nimi.md</code> <span aria-hidden=\"true\">→</span>" &&
	assert_contains $h "<code>$(short $(cat c1))</code>" &&
	assert_file site/testi/raportit/uusi-nimi/historia/$(short $(cat c1)).html &&
	r=site/testi/raportit/vanha-nimi/index.html &&
	assert_contains $r "<link rel=\"canonical\" href=\"https://testi.example/testi/raportit/uusi-nimi/\">" &&
	assert_contains $r "<meta http-equiv=\"refresh\" content=\"0; url=../../../testi/raportit/uusi-nimi/\">" &&
	assert_contains $r "<meta name=\"robots\" content=\"noindex\">" &&
	assert_contains $r "<a href=\"../../../testi/raportit/uusi-nimi/\">Hyvinvointikertomus</a>"
'

test_expect_success 'a deleted record leaves a removal page with its last version and history' '
	p=site/testi/muistio/index.html &&
	assert_contains $p "Tämä asiakirja poistettiin" &&
	assert_contains $p "<time datetime=\"2023-05-01T15:00:00+03:00\">1.5.2023</time>" &&
	assert_contains $p "<code>$(short $(cat c5))</code>" &&
	assert_contains $p "Poista vanhentunut muistio" &&
	assert_contains $p "Muistion teksti viittaa kertomukseen." &&
	assert_not_contains $p "vanha-nimi/" &&
	assert_contains $p "href=\"../../testi/muistio/historia/\"" &&
	h=site/testi/muistio/historia/index.html &&
	expect_eq "$(entries $h)" 2 "history entries" &&
	assert_contains $h "change-deleted" &&
	assert_file site/testi/muistio/historia/$(short $(cat c1)).html
'

test_expect_success 'no e-mail address from a commit appears anywhere in the site' '
	! grep -rlF -e "$ANNA_MAIL" -e "$BERTTA_MAIL" -e "$GIT_COMMITTER_EMAIL" -e "@fixture.invalid" site
'

test_expect_success '.mailmap rewrites a name everywhere' '
	grep -rqF "Bertta Oikea" site &&
	! grep -rqF "$BERTTA" site
'

test_expect_success 'drafts have no history and are not listed as changes' '
	assert_no_file site/testi/sopimukset/luonnos/historia/index.html &&
	! grep -rqF "Salainen luonnos" site
'

test_expect_success 'changes pages for the site, the region and each municipality' '
	c=site/muutokset/index.html &&
	assert_contains $c "<span class=\"change-kind\">Poistettu</span>: <a href=\"../testi/muistio/\">Muistio yhteistyöstä</a>" &&
	assert_contains $c "<span class=\"change-kind\">Siirretty</span>: <a href=\"../testi/raportit/uusi-nimi/\">Hyvinvointikertomus</a>" &&
	assert_contains $c "<span class=\"change-kind\">Luotu</span>: <a href=\"../testi/sopimukset/puitesopimus/\">Puitesopimus</a>" &&
	assert_contains $c "href=\"../muutokset/atom.xml\"" &&
	g=site/testi/muutokset/index.html &&
	assert_contains $g "Puitesopimus" && assert_contains $g "Muistio yhteistyöstä" &&
	a=site/testi/kunnat/alfa/muutokset/index.html &&
	assert_contains $a "Puitesopimus" && assert_contains $a "HYTE-neuvottelu 2023" &&
	b=site/testi/kunnat/beta/muutokset/index.html &&
	assert_not_contains $b "Puitesopimus" && assert_not_contains $b "HYTE-neuvottelu 2023" &&
	assert_contains $b "<h1>Muutokset: beta</h1>" &&
	# the report and the memo are for the whole region: on both municipalities'"'"' pages
	for m in $a $b; do
		assert_contains $m "Hyvinvointikertomus" && assert_contains $m "Muistio yhteistyöstä" ||
			return 1
	done
'

test_expect_success 'pages link their feeds and changes pages' '
	assert_contains site/index.html "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Muutokset – Testisivusto\" href=\"./muutokset/atom.xml\">" &&
	assert_contains site/index.html "<a href=\"./muutokset/\">Viimeisimmät muutokset</a>" &&
	assert_contains site/testi/index.html "href=\"../testi/muutokset/atom.xml\"" &&
	assert_contains site/testi/kunnat/alfa/index.html "href=\"../../../testi/kunnat/alfa/muutokset/atom.xml\"" &&
	assert_contains site/testi/kunnat/alfa/index.html "<a href=\"../../../testi/kunnat/alfa/muutokset/\">Viimeisimmät muutokset</a>"
'

test_expect_success 'the Atom feeds are valid and carry the expected entries' '
	cat >check_feed.py <<-\PY &&
	import sys, xml.etree.ElementTree as ET
	A = "{http://www.w3.org/2005/Atom}"
	path, feed_id, updated = sys.argv[1:4]
	want = sys.argv[4:]
	root = ET.parse(path).getroot()
	assert root.tag == A + "feed", root.tag
	assert root.find(A + "id").text == feed_id, root.find(A + "id").text
	assert root.find(A + "updated").text == updated, root.find(A + "updated").text
	assert root.find(A + "title").text
	rels = sorted(l.get("rel") for l in root.findall(A + "link"))
	assert rels == ["alternate", "self"], rels
	entries = root.findall(A + "entry")
	ids = [e.find(A + "id").text for e in entries]
	assert len(ids) == len(set(ids)), ids
	for e in entries:
	    assert e.find(A + "id").text.startswith("tag:avoin,2021:")
	    assert e.find(A + "updated").text and e.find(A + "title").text
	    assert e.find(A + "link").get("href").startswith("https://testi.example/")
	titles = [e.find(A + "title").text for e in entries]
	for w in want:
	    assert w in titles, (w, titles)
	print(len(entries))
	PY
	m=$(cat merge) &&
	n=$(python3 check_feed.py site/muutokset/atom.xml https://testi.example/muutokset/atom.xml \
		2023-06-03T10:00:00+03:00 "Muutettu: Puitesopimus" "Poistettu: Muistio yhteistyöstä" \
		"Siirretty: Hyvinvointikertomus" "Uusi: HYTE-neuvottelu 2023") &&
	# the first commit created 7 records (region, 2 municipalities, 4 records; the draft is
	# left out), then one record change per commit in the 6 commits that followed
	expect_eq "$n" 13 "feed entries" &&
	assert_contains site/muutokset/atom.xml "<id>tag:avoin,2021:$m/testi/sopimukset/puitesopimus.md</id>" &&
	assert_contains site/muutokset/atom.xml "<author><name>Bertta Oikea</name></author>" &&
	python3 check_feed.py site/testi/muutokset/atom.xml https://testi.example/testi/muutokset/atom.xml \
		2023-06-03T10:00:00+03:00 "Muutettu: Puitesopimus" >/dev/null &&
	n=$(python3 check_feed.py site/testi/kunnat/alfa/muutokset/atom.xml \
		https://testi.example/testi/kunnat/alfa/muutokset/atom.xml 2023-06-03T10:00:00+03:00 \
		"Muutettu: HYTE-neuvottelu 2023" "Uusi: Puitesopimus") &&
	# alfa itself, the agreement (created, signed, merged), the negotiation (created, edited),
	# and for the whole region the report (created, renamed, completed) and the memo (created,
	# removed)
	expect_eq "$n" 11 "feed entries" &&
	n=$(python3 check_feed.py site/testi/kunnat/beta/muutokset/atom.xml \
		https://testi.example/testi/kunnat/beta/muutokset/atom.xml 2023-06-02T10:00:00+03:00 \
		"Siirretty: Hyvinvointikertomus" "Poistettu: Muistio yhteistyöstä") &&
	# beta itself, the report and the memo
	expect_eq "$n" 6 "feed entries"
'

test_expect_success 'a rebuild gives byte-identical history pages and feeds' '
	(cd repo && "$AVOIN" build -q --out ../site2) &&
	diff -r site site2
'

test_expect_success 'an older --rev gives the site and its history as they were' '
	(cd repo && "$AVOIN" build -q --rev $(cat ../c3) --out ../old) &&
	h=old/testi/sopimukset/puitesopimus/historia/index.html &&
	expect_eq "$(entries $h)" 2 "history entries" &&
	assert_not_contains $h "merge summaries" &&
	assert_contains old/testi/muistio/index.html "Muistion teksti viittaa" &&
	assert_contains old/testi/muistio/index.html "href=\"../../testi/raportit/vanha-nimi/\"" &&
	assert_no_file old/testi/raportit/uusi-nimi/index.html &&
	expect_eq "$(grep -c "<li class=\"commit\">" old/muutokset/index.html)" 3 commits &&
	assert_contains old/muutokset/atom.xml "<updated>2023-03-01T09:30:00+02:00</updated>"
'

test_expect_success 'site.yaml can hide the authors' '
	printf "history:\n  authors: false\n" >>repo/content/site.yaml &&
	commit_as "$ANNA" $ANNA_MAIL repo "Piilota tekijät" "2023-07-01T10:00:00+03:00" &&
	(cd repo && "$AVOIN" build -q --out ../hidden) &&
	! grep -rqF -e "$ANNA" -e "Bertta" hidden &&
	python3 -c "import xml.etree.ElementTree as ET; ET.parse(\"hidden/muutokset/atom.xml\")" &&
	assert_contains hidden/muutokset/index.html "tiedosto <code>site.yaml</code>"
'

test_expect_success 'changes are paginated with accessible navigation; no base_url gives relative links' '
	new_site many &&
	sed -i "/^base_url:/d" many/content/site.yaml &&
	cat >many/content/testi/sivu.md <<-MD &&
	---
	type: page
	title: Muuttuva sivu
	---
	Versio 0.
	MD
	commit_all many "versio 0" "2023-01-01T10:00:00Z" &&
	i=1 && while [ $i -le 31 ]; do
		sed -i "s/^Versio .*/Versio $i./" many/content/testi/sivu.md &&
		commit_all many "versio $i" "2023-02-01T10:$(printf %02d $i):00Z" || exit 1
		i=$((i + 1))
	done &&
	git -C many mv content/testi/sivu.md content/testi/siirretty.md &&
	commit_all many "siirto" "2023-03-01T10:00:00Z" &&
	(cd many && "$AVOIN" build -q --out ../manysite) &&
	p1=manysite/muutokset/index.html && p2=manysite/muutokset/1/index.html &&
	assert_file $p2 && assert_no_file manysite/muutokset/2/index.html &&
	expect_eq "$(grep -c "<li class=\"commit\">" $p1)" 30 commits &&
	expect_eq "$(grep -c "<li class=\"commit\">" $p2)" 3 commits &&
	assert_contains $p1 "<nav class=\"pager\" aria-label=\"Muutosten sivut\">" &&
	assert_contains $p1 "<a href=\"../muutokset/1/\" rel=\"next\">Vanhemmat muutokset</a>" &&
	assert_contains $p1 "<li aria-current=\"page\">Uusimmat muutokset</li>" &&
	assert_contains $p2 "<a href=\"../../muutokset/\" rel=\"prev\">Uudemmat muutokset</a>" &&
	assert_contains $p2 "Sivu 1 / 1" && assert_contains $p2 "versio 1</h2>" &&
	! grep -q "rel=\"next\"" $p2 &&
	expect_eq "$(entries manysite/testi/siirretty/historia/index.html)" 33 "history entries" &&
	assert_contains manysite/testi/sivu/index.html "<link rel=\"canonical\" href=\"../../testi/siirretty/\">" &&
	assert_contains manysite/muutokset/atom.xml "<id>tag:avoin,2021:muutokset/atom.xml</id>" &&
	assert_contains manysite/muutokset/atom.xml "<link rel=\"alternate\" type=\"text/html\" href=\"../testi/siirretty/\"/>" &&
	# 4 records created, 31 edits, the move
	expect_eq "$(grep -c "<entry>" manysite/muutokset/atom.xml)" 36 "feed entries"
'

test_expect_success 'a record at a URL of the history is an error, not silently overwritten' '
	new_site clash &&
	cat >clash/content/testi/muutokset.md <<-MD &&
	---
	type: page
	title: Muutokset-niminen sivu
	---
	Teksti.
	MD
	commit_all clash "lisää" "2023-01-01T10:00:00Z" &&
	(cd clash && "$AVOIN" build -q --out ../clashsite 2>../err; test $? = 1) &&
	assert_contains err "content/testi/muutokset.md" &&
	assert_contains err "/testi/muutokset/" &&
	assert_contains err "is kept for a list of changes (expected another file or folder name)" &&
	assert_no_file clashsite/index.html
'

test_expect_success 'a rebuild whose history cannot be read fails and leaves the site as it was' '
	new_site broken &&
	commit_all broken "alku" "2023-01-01T10:00:00Z" &&
	(cd broken && "$AVOIN" build -q --out ../brokensite) &&
	(cd brokensite && find . -type f | sort | xargs md5sum) >broken-before.sum &&
	printf "\nLisäys.\n" >>broken/content/testi/region.md &&
	commit_all broken "keskellä" "2023-01-02T10:00:00Z" &&
	middle=$(git -C broken rev-parse HEAD) &&
	printf "\nToinen lisäys.\n" >>broken/content/testi/region.md &&
	commit_all broken "loppu" "2023-01-03T10:00:00Z" &&
	rm "broken/.git/objects/$(echo $middle | cut -c1-2)/$(echo $middle | cut -c3-)" &&
	(cd broken && "$AVOIN" build -q --out ../brokensite 2>../err; test $? = 2) &&
	assert_contains err "cannot read the parent of commit" &&
	(cd brokensite && find . -type f | sort | xargs md5sum) >broken-after.sum &&
	diff broken-before.sum broken-after.sum &&
	assert_no_file brokensite.staging
'

test_done
