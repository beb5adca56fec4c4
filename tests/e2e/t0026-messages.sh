#!/bin/sh
# Errors and warnings in the publisher's language (issue 26): Finnish, Swedish
# or English by --lang, else LC_ALL, LC_MESSAGES or LANG, else the site's first
# language; the form stays file:line: message, allowed values are named with
# their words, near misses get a suggestion, and the source is named as the
# revision or as the working tree.
. "$(dirname "$0")/lib.sh"

# no language from the environment: what each test sets is what chooses
unset LC_ALL LC_MESSAGES
export LANG=C.UTF-8

new_site repo
mkdir -p repo/content/testi/sopimukset
cat >repo/content/testi/sopimukset/s.md <<'MD'
---
type: agreement
title: Sopimus
parties: [testi, alfa]
status: valmis
---
Teksti.
MD
commit_all repo "first"
STATUS_AT="content/testi/sopimukset/s.md:5:"

test_expect_success 'a status error is written in each language by --lang' '
	(cd repo && ! "$AVOIN" build --lang fi 2>../fi.txt; ! "$AVOIN" check --lang sv 2>../sv.txt;
	 ! "$AVOIN" check --lang en 2>../en.txt) &&
	cat fi.txt sv.txt en.txt &&
	assert_contains fi.txt "$STATUS_AT '"'"'status'"'"' pitää olla draft (luonnos), approved (hyväksytty), signed (allekirjoitettu) tai expired (päättynyt); nyt '"'"'valmis'"'"'" &&
	assert_contains sv.txt "$STATUS_AT '"'"'status'"'"' ska vara draft (utkast), approved (godkänt), signed (undertecknat) eller expired (upphört); nu '"'"'valmis'"'"'" &&
	assert_contains en.txt "$STATUS_AT '"'"'status'"'"' must be one of draft, approved, signed, expired (got '"'"'valmis'"'"')" &&
	assert_contains fi.txt "avoin: virheitä versiossa HEAD (" &&
	assert_contains fi.txt "avoin: virheitä 1, varoituksia 0; edellinen sivusto jäi ennalleen" &&
	assert_contains sv.txt "avoin: fel: 1, varningar: 0" &&
	assert_contains en.txt "avoin: 1 error, 0 warnings"
'

test_expect_success 'a near miss gets its suggestion in the language' '
	sed -i "s/^status: valmis/status: allekirjoitettu/" repo/content/testi/sopimukset/s.md &&
	(cd repo && ! "$AVOIN" check --worktree --lang fi 2>../fi.txt;
	 ! "$AVOIN" check --worktree --lang sv 2>../sv.txt) &&
	assert_contains fi.txt "nyt '"'"'allekirjoitettu'"'"' – tarkoititko '"'"'signed'"'"'?" &&
	assert_contains sv.txt "nu '"'"'allekirjoitettu'"'"' – menade du '"'"'signed'"'"'?" &&
	git -C repo checkout -q -- content
'

test_expect_success 'the environment chooses as setlocale does: LC_ALL, then LC_MESSAGES, then LANG' '
	(cd repo && ! LC_MESSAGES=sv_FI.UTF-8 "$AVOIN" check 2>../a.txt;
	 ! LC_ALL=fi_FI.UTF-8 LC_MESSAGES=sv_FI.UTF-8 "$AVOIN" check 2>../b.txt;
	 ! LANG=en_GB.UTF-8 "$AVOIN" check 2>../c.txt;
	 ! LANG=fi_FI.UTF-8 "$AVOIN" check --lang sv 2>../d.txt) &&
	assert_contains a.txt "ska vara" && assert_contains b.txt "pitää olla" &&
	assert_contains c.txt "must be one of" && assert_contains d.txt "ska vara"
'

test_expect_success 'with no choice (C or nothing), the site'"'"'s first language speaks' '
	(cd repo && ! "$AVOIN" check 2>../c.txt; ! env -u LANG "$AVOIN" check 2>../none.txt) &&
	assert_contains c.txt "pitää olla" && assert_contains none.txt "pitää olla" &&
	sed -i "s/^languages: .*/languages: [sv, fi]/" repo/content/site.yaml &&
	(cd repo && ! "$AVOIN" check --worktree 2>../wt.txt; ! "$AVOIN" check 2>../head.txt) &&
	assert_contains wt.txt "ska vara" && assert_contains head.txt "pitää olla" &&
	commit_all repo "svenska först" &&
	(cd repo && ! "$AVOIN" check 2>../sv.txt) && assert_contains sv.txt "ska vara"
'

test_expect_success 'the source is named: the revision, or the working tree (työkopio, arbetskopian)' '
	(cd repo && ! "$AVOIN" check --lang fi --worktree 2>../fi.txt;
	 ! "$AVOIN" check --lang sv --worktree 2>../sv.txt;
	 ! "$AVOIN" check --lang en --rev HEAD 2>../en.txt) &&
	assert_contains fi.txt "avoin: virheitä työkopiossa (tiedostot tallennettuina; HEAD on " &&
	assert_contains sv.txt "avoin: fel i arbetskopian (filerna som de sparats; HEAD är " &&
	assert_contains en.txt "avoin: errors in HEAD ("
'

test_expect_success 'a link to nothing is named as missing in the working tree, or at the revision' '
	printf -- "---\ntype: page\ntitle: Sivu\n---\nKatso [liite](liitteet/puuttuu.pdf) ja [sivu](puuttuu.md).\n" \
		>repo/content/testi/sivu.md &&
	(cd repo && ! "$AVOIN" check --worktree --lang fi 2>../fi.txt; ! "$AVOIN" check --worktree --lang en 2>../en.txt) &&
	cat fi.txt &&
	assert_contains fi.txt "content/testi/sivu.md:5: linkki '"'"'puuttuu.md'"'"' ei vie mihinkään asiakirjaan tai tiedostoon työkopiossa" &&
	assert_contains fi.txt "linkki: tiedostoa '"'"'liitteet/puuttuu.pdf'"'"' ei ole työkopiossa (etsittiin: '"'"'testi/liitteet/puuttuu.pdf'"'"')" &&
	assert_contains en.txt "link to '"'"'puuttuu.md'"'"' does not resolve to a record or file in the working tree" &&
	commit_all repo "sivu" &&
	(cd repo && ! "$AVOIN" check --lang en 2>../rev.txt) &&
	assert_contains rev.txt "link to '"'"'puuttuu.md'"'"' does not resolve to a record or file at this revision" &&
	assert_contains rev.txt "'"'"'liitteet/puuttuu.pdf'"'"' does not exist at this revision" &&
	git -C repo rm -q content/testi/sivu.md && commit_all repo "pois"
'

test_expect_success 'a missing key, a wrong kind and broken YAML, in Finnish and Swedish' '
	mkdir -p repo/content/testi/sivut &&
	printf -- "---\ntype: page\ndraft: joo\n---\n" >repo/content/testi/sivut/a.md &&
	printf -- "---\ntype: page\ntitle: [x\n---\n" >repo/content/testi/sivut/b.md &&
	(cd repo && ! "$AVOIN" check --worktree --lang fi 2>../fi.txt;
	 ! "$AVOIN" check --worktree --lang sv 2>../sv.txt) &&
	cat fi.txt &&
	assert_contains fi.txt "content/testi/sivut/a.md:2: '"'"'title'"'"' puuttuu (odotettiin: asiakirjan otsikko)" &&
	assert_contains fi.txt "content/testi/sivut/a.md:3: '"'"'draft'"'"' pitää olla true (kyllä) tai false (ei); nyt '"'"'joo'"'"'" &&
	assert_contains fi.txt "content/testi/sivut/b.md:4: virheellinen YAML: " &&
	assert_contains sv.txt "content/testi/sivut/a.md:2: '"'"'title'"'"' saknas (väntat: handlingens rubrik)" &&
	assert_contains sv.txt "content/testi/sivut/a.md:3: '"'"'draft'"'"' ska vara true (ja) eller false (nej); nu '"'"'joo'"'"'" &&
	rm -r repo/content/testi/sivut
'

test_expect_success 'usage errors are in the language too, and --lang takes only fi, sv or en' '
	! "$AVOIN" build --lang sv --jobs 0 2>sv.txt && cat sv.txt &&
	assert_contains sv.txt "avoin: '"'"'--jobs'"'"' ska vara ett tal 1–256; nu '"'"'0'"'"'" &&
	assert_contains sv.txt "(se '"'"'avoin --help'"'"')" &&
	! "$AVOIN" build --lang fi --bogus 2>fi.txt && assert_contains fi.txt "tuntematon valitsin '"'"'--bogus'"'"'" &&
	! "$AVOIN" build --lang de 2>de.txt && assert_contains de.txt "'"'"'--lang'"'"' must be fi, sv or en (got '"'"'de'"'"')" &&
	"$AVOIN" --lang sv --help >help-sv.txt && assert_contains help-sv.txt "användning: avoin <kommando>" &&
	LC_MESSAGES=fi_FI.UTF-8 "$AVOIN" --help >help-fi.txt && assert_contains help-fi.txt "  --lang fi|sv|en virheiden ja varoitusten kieli"
'

test_done
