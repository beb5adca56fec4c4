#!/bin/sh
# A municipality's list of changes and its feed carry every change to every record
# its page shows: its own page, a record for the whole region, a record that names it
# in `municipalities`, an agreement that names it among its `parties`; and nothing
# of a record that concerns only another municipality. The feeds are read with a
# real XML parser.
. "$(dirname "$0")/lib.sh"

entries() { # entries FEED: the entries' titles, one per line
	python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {'a': 'http://www.w3.org/2005/Atom'}
for e in ET.parse(sys.argv[1]).getroot().findall('a:entry', ns):
    print(e.find('a:title', ns).text)
PY
}

test_expect_success 'a site with a record of every kind of concern' '
	new_site site &&
	mkdir -p site/content/testi/poytakirjat site/content/testi/neuvottelut site/content/testi/sopimukset &&
	printf -- "---\ntype: minutes\ntitle: Koko alueen lautakunta\ndate: 2024-01-10\n---\nKoko alue.\n" \
		>site/content/testi/poytakirjat/koko-alue.md &&
	printf -- "---\ntype: negotiation\ntitle: Alfan neuvottelu\nkind: hyte\ndate: 2024-01-11\nmunicipalities: [alfa]\n---\nAlfa.\n" \
		>site/content/testi/neuvottelut/alfa.md &&
	printf -- "---\ntype: agreement\ntitle: Betan sopimus, Alfa osapuolena\nstatus: signed\nmunicipalities: [beta]\nparties: [testi, beta, alfa]\n---\nSopimus.\n" \
		>site/content/testi/sopimukset/beta-alfa.md &&
	printf -- "---\ntype: minutes\ntitle: Vain Betan kokous\ndate: 2024-01-12\nmunicipalities: [beta]\n---\nBeta.\n" \
		>site/content/testi/poytakirjat/vain-beta.md &&
	commit_all site "Sivusto" "2024-01-15T10:00:00+02:00" &&
	printf "\nLisäys.\n" >>site/content/testi/kunnat/alfa.md &&
	commit_all site "Alfan sivu" "2024-01-16T10:00:00+02:00" &&
	(cd site && "$AVOIN" build -q)
'

test_expect_success 'the municipality feed has its own page, the whole region, its negotiation and the agreement it is a party to' '
	entries site/public/testi/kunnat/alfa/muutokset/atom.xml >alfa.txt &&
	cat alfa.txt &&
	grep -q "alfa" alfa.txt &&
	grep -q "Koko alueen lautakunta" alfa.txt &&
	grep -q "Alfan neuvottelu" alfa.txt &&
	grep -q "Betan sopimus, Alfa osapuolena" alfa.txt &&
	! grep -q "Vain Betan kokous" alfa.txt
'

test_expect_success 'the other municipality has what concerns it and not the first one'"'"'s negotiation' '
	entries site/public/testi/kunnat/beta/muutokset/atom.xml >beta.txt &&
	grep -q "Vain Betan kokous" beta.txt &&
	grep -q "Koko alueen lautakunta" beta.txt &&
	grep -q "Betan sopimus" beta.txt &&
	! grep -q "Alfan neuvottelu" beta.txt
'

test_expect_success 'the list of changes shows the same records as the feed' '
	for t in "Koko alueen lautakunta" "Alfan neuvottelu" "Betan sopimus, Alfa osapuolena"; do
		assert_contains site/public/testi/kunnat/alfa/muutokset/index.html "$t" || return 1
	done &&
	assert_not_contains site/public/testi/kunnat/alfa/muutokset/index.html "Vain Betan kokous"
'

test_expect_success 'the municipality page lists the agreement it is a party to' '
	assert_contains site/public/testi/kunnat/alfa/index.html "Betan sopimus, Alfa osapuolena" &&
	assert_not_contains site/public/testi/kunnat/alfa/index.html "Vain Betan kokous"
'

test_done
