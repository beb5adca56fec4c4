#!/bin/sh
# History in words: a record's field changes under their labels with values as
# the site shows them (names for slugs, status words, Finnish dates, list items
# added and removed, an outcome matched by its action), and its text compared
# block by block as readers read it: link text, never Markdown source. The
# history page is read with Python's HTML parser.
. "$(dirname "$0")/lib.sh"

# text_of PAGE CLASS: the text of each child of every element of that class, one per line
text_of() {
	python3 - "$1" "$2" <<'PY'
import sys
from html.parser import HTMLParser
want = sys.argv[2]
class P(HTMLParser):
    # one line per child element of each element of that class; items of a list
    # inside a line are separated by a space, as a reader hears them
    def __init__(s):
        super().__init__(); s.depth = 0; s.buf = []
    def handle_starttag(s, tag, a):
        cls = (dict(a).get("class") or "").split()
        if s.depth or want in cls:
            s.depth += 1
            if tag == "li" and s.depth > 2: s.buf.append(" ")
    def handle_endtag(s, tag):
        if s.depth:
            s.depth -= 1
            if s.depth == 1:
                print(" ".join("".join(s.buf).split())); s.buf = []
    def handle_data(s, d):
        if s.depth > 1: s.buf.append(d)
P().feed(open(sys.argv[1], encoding="utf-8").read())
PY
}

test_expect_success 'a record changed in its fields and its text' '
	new_site site &&
	mkdir -p site/content/testi/sopimukset site/content/testi/poytakirjat &&
	printf -- "---\ntype: minutes\ntitle: Kokous\ndate: 2024-01-10\n---\nPöytäkirja.\n" >site/content/testi/poytakirjat/kokous.md &&
	printf -- "---\ntype: minutes\ntitle: Toinen kokous\ndate: 2024-02-10\n---\nToinen.\n" >site/content/testi/poytakirjat/toinen.md &&
	cat >site/content/testi/sopimukset/s.md <<-MD &&
	---
	type: agreement
	title: Yhteistyösopimus
	status: draft
	parties: [alfa]
	valid_from: 2024-03-01
	outcomes_note: x
	---
	## Tausta

	Sopimus perustuu [kokoukseen](../poytakirjat/kokous.md) ja on **luonnos**.

	- ensimmäinen kohta
	- toinen kohta
	MD
	commit_all site "Luonnos" "2024-03-01T10:00:00+02:00" &&
	cat >site/content/testi/sopimukset/s.md <<-MD &&
	---
	type: agreement
	title: Yhteistyösopimus
	status: signed
	parties: [testi, alfa, beta]
	valid_from: 2024-04-01
	signed: 2024-03-20
	---
	## Tausta

	Sopimus perustuu [toiseen kokoukseen](../poytakirjat/toinen.md) ja on **allekirjoitettu**.

	- ensimmäinen kohta
	- toinen kohta
	- kolmas kohta
	MD
	commit_all site "Allekirjoitettu" "2024-03-21T10:00:00+02:00" &&
	(cd site && "$AVOIN" build -q) &&
	text_of site/public/testi/sopimukset/s/historia/index.html field-changes >fields.txt && cat fields.txt >&2 &&
	text_of site/public/testi/sopimukset/s/historia/index.html diff >diff.txt && cat diff.txt
'

test_expect_success 'a field change reads with its label and the words the site uses' '
	grep -q "Tila: Luonnos →muuttui arvoksi Allekirjoitettu" fields.txt
'

test_expect_success 'a list shows the items added, by their names (the region Testi for testi), not as a list literal' '
	grep -q "Osapuolet: Lisätty: Testi beta" fields.txt &&
	! grep -q "\\[" fields.txt
'

test_expect_success 'dates are in the Finnish form, and a new field has no old value' '
	grep -q "1.3.2024 →muuttui arvoksi 1.4.2024" fields.txt &&
	grep -q "(ei arvoa) →muuttui arvoksi 20.3.2024" fields.txt &&
	! grep -q "2024-0" fields.txt
'

test_expect_success 'a removed field shows what it was' '
	grep -q "outcomes_note: x →muuttui arvoksi (ei arvoa)" fields.txt
'

test_expect_success 'the text diff shows link text and no Markdown' '
	grep -q "kokoukseen" diff.txt &&
	grep -q "toiseen kokoukseen" diff.txt &&
	! grep -q "](" diff.txt && ! grep -qF "**" diff.txt && ! grep -q "\\.md" diff.txt &&
	! grep -q "^## " diff.txt
'

test_expect_success 'list items stay items: the new one is its own block' '
	grep -q "class=\"diff-para diff-item\"><ins><span class=\"visually-hidden\">Lisätty: </span>kolmas kohta</ins>" site/public/testi/sopimukset/s/historia/index.html
'

test_expect_success 'an outcome is matched by its action and its status changes in words' '
	mkdir -p site/content/testi/neuvottelut &&
	printf -- "---\ntype: negotiation\ntitle: Neuvottelu\nkind: hyte\ndate: 2024-05-01\noutcomes:\n  - {action: Kertomus valmiiksi, owner: Alfa, status: planned}\n---\nN.\n" >site/content/testi/neuvottelut/n.md &&
	commit_all site "Neuvottelu" "2024-05-02T10:00:00+03:00" &&
	sed -i "s/status: planned/status: done/" site/content/testi/neuvottelut/n.md &&
	commit_all site "Tehty" "2024-06-02T10:00:00+03:00" &&
	(cd site && "$AVOIN" build -q) &&
	text_of site/public/testi/neuvottelut/n/historia/index.html field-changes >n.txt && cat n.txt &&
	grep -q "Sovitut toimenpiteet: Kertomus valmiiksi – Tila: Suunniteltu →muuttui arvoksi Valmis" n.txt
'

test_done
