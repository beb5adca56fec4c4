#!/bin/sh
# The generator end to end: a repository is read at a revision, and the
# pages of every region, municipality, record and theme are written.
. "$(dirname "$0")/lib.sh"

test_expect_success 'help and version' '
	"$AVOIN" --help | grep -q "usage: avoin" &&
	"$AVOIN" --version | grep -q "^avoin [0-9]"
'

test_expect_success 'usage errors exit 2' '
	"$AVOIN" frobnicate 2>err; test $? = 2 && grep -q "unknown command" err &&
	"$AVOIN" build --nope 2>err; test $? = 2 && grep -q "unknown option" err &&
	"$AVOIN" build --jobs x 2>err; test $? = 2
'

test_expect_success 'a small site builds from HEAD' '
	new_site repo &&
	cat >repo/content/testi/neuvottelu.md <<-MD &&
	---
	type: negotiation
	title: HYTE-neuvottelu 2023
	date: 2023-11-20
	kind: hyte
	municipalities: [alfa]
	themes: [osallisuus]
	outcomes:
	  - {action: Yhteinen kysely, owner: Alfa, due: 2024-03-31, status: planned}
	---
	Neuvottelun kuvaus ja [alue](region.md).
	MD
	commit_all repo "ensimmäinen" "2023-11-21T10:00:00+02:00" &&
	(cd repo && "$AVOIN" build >../out.txt) &&
	grep -q "files written" out.txt &&
	assert_file repo/public/index.html &&
	assert_file repo/public/testi/index.html &&
	assert_file repo/public/testi/kunnat/alfa/index.html &&
	assert_file repo/public/testi/kunnat/beta/index.html &&
	assert_file repo/public/testi/neuvottelu/index.html &&
	assert_file repo/public/teemat/osallisuus/index.html &&
	assert_file repo/public/teemat/index.html &&
	assert_file repo/public/sitemap.xml &&
	assert_file repo/public/404.html &&
	assert_file repo/public/static/style.css
'

test_expect_success 'record page shows typed fields, lang, landmarks and the commit' '
	p=repo/public/testi/neuvottelu/index.html &&
	id=$(git -C repo rev-parse --short=7 HEAD) &&
	assert_contains $p "<html lang=\"fi\">" &&
	assert_contains $p "<main id=\"main\"" &&
	assert_contains $p "class=\"skip-link\"" &&
	assert_contains $p "HYTE-neuvottelu 2023" &&
	assert_contains $p "612/2021 7 § 4 mom." &&
	assert_contains $p "Yhteinen kysely" &&
	assert_contains $p "31.3.2024" &&
	assert_contains $p "<code>$id</code>" &&
	assert_contains $p "21.11.2023" &&
	assert_contains $p "href=\"../../testi/\"" &&
	assert_contains $p "href=\"../../testi/kunnat/alfa/\""
'

test_expect_success 'municipality page lists the records that concern it' '
	assert_contains repo/public/testi/kunnat/alfa/index.html "HYTE-neuvottelu 2023" &&
	assert_not_contains repo/public/testi/kunnat/beta/index.html "HYTE-neuvottelu 2023"
'

test_expect_success 'breadcrumbs go region, area, municipality' '
	p=repo/public/testi/kunnat/alfa/index.html &&
	assert_contains $p "aria-label=\"Murupolku\"" &&
	sed -n "/Murupolku/,/<\/ol>/p" $p >crumbs &&
	assert_contains crumbs "Testi" && assert_contains crumbs "Keskinen" && assert_contains crumbs "alfa"
'

test_expect_success 'an older revision builds the site as it was' '
	sed -i "s/HYTE-neuvottelu 2023/HYTE-neuvottelu syksy 2023/" repo/content/testi/neuvottelu.md &&
	commit_all repo "toinen" "2023-12-01T10:00:00+02:00" &&
	(cd repo && "$AVOIN" build -q --rev HEAD~1 --out ../old) &&
	assert_contains old/testi/neuvottelu/index.html "HYTE-neuvottelu 2023" &&
	assert_not_contains old/testi/neuvottelu/index.html "syksy"
'

test_expect_success '--worktree previews an uncommitted edit; HEAD does not see it' '
	sed -i "s/Neuvottelun kuvaus/Luonnosteltu kuvaus/" repo/content/testi/neuvottelu.md &&
	"$AVOIN" build -q --repo repo --worktree --out wt &&
	assert_contains wt/testi/neuvottelu/index.html "Luonnosteltu kuvaus" &&
	"$AVOIN" build -q --repo repo --out head &&
	assert_not_contains head/testi/neuvottelu/index.html "Luonnosteltu kuvaus" &&
	git -C repo checkout -q -- content
'

test_expect_success 'check validates without writing' '
	"$AVOIN" check --repo repo --out nothing >out.txt &&
	grep -q "records valid" out.txt &&
	assert_no_file nothing
'

test_expect_success 'repository errors are one line and exit 2' '
	mkdir notrepo &&
	"$AVOIN" build --repo notrepo 2>err; test $? = 2 && test $(wc -l <err) = 1 &&
	"$AVOIN" build --repo repo --rev nope 2>err; test $? = 2 && grep -q "nope" err &&
	"$AVOIN" build --repo repo --content nothere 2>err; test $? = 2 && grep -q "nothere" err
'

test_expect_success 'two builds of the same commit are byte-identical' '
	"$AVOIN" build -q --repo repo --out b1 &&
	"$AVOIN" build -q --repo repo --out b2 &&
	diff -r b1 b2
'

test_expect_success '--jobs 1 and --jobs 4 write identical sites' '
	"$AVOIN" build -q --repo repo --jobs 1 --out j1 &&
	"$AVOIN" build -q --repo repo --jobs 4 --out j4 &&
	diff -r j1 j4
'

test_expect_success 'a content template overrides the theme template' '
	mkdir -p repo/content/templates &&
	cp "$AVOIN_TOP/themes/default/templates/record-footer.mustache" repo/content/templates/ &&
	echo "<p class=\"custom-footer\">oma alatunniste</p>" >>repo/content/templates/record-footer.mustache &&
	commit_all repo "oma pohja" &&
	"$AVOIN" build -q --repo repo --out custom &&
	assert_contains custom/testi/neuvottelu/index.html "oma alatunniste"
'

test_expect_success 'a region page shows the latest ten of a kind and links to all of them' '
	new_site many &&
	mkdir -p many/content/testi/poytakirjat &&
	for i in 01 02 03 04 05 06 07 08 09 10 11 12; do
		printf -- "---\ntype: minutes\ntitle: Kokous %s\ndate: 2023-05-%s\nbody: Hallitus\n---\nTeksti.\n" \
			"$i" "$i" >many/content/testi/poytakirjat/2023-05-$i-hallitus.md || return 1
	done &&
	commit_all many "pöytäkirjat" "2023-06-01T10:00:00+03:00" &&
	"$AVOIN" build -q --repo many --out many-site &&
	p=many-site/testi/index.html &&
	assert_contains $p "Kokous 12" && assert_contains $p "Kokous 03" &&
	assert_not_contains $p "Kokous 02" &&
	assert_contains $p "<a href=\"../testi/asiakirjat/#h-minutes\">Kaikki asiakirjat: Pöytäkirjat (12)</a>" &&
	a=many-site/testi/asiakirjat/index.html &&
	assert_contains $a "<p class=\"record-type\">Hyvinvointialue</p>" &&
	assert_contains $a "<h2 id=\"h-minutes\">Pöytäkirjat</h2>" &&
	assert_contains $a "Kokous 01" && assert_contains $a "Kokous 12" &&
	assert_contains many-site/sitemap.xml "https://testi.example/testi/asiakirjat/"
'

test_done
