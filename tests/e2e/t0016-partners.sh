#!/bin/sh
# The partnership directory: every group on one page and on a static page per
# theme, sector and area, each page listing exactly the groups of its filter,
# with links to every other filter; a group's card has what an organisation
# needs (contact, next meeting after the build date, how to join); members by
# their real sector (a regional council is not a municipality). Read with
# Python's HTML parser.
. "$(dirname "$0")/lib.sh"

# groups PAGE: the titles of the groups a directory page lists, sorted
groups() {
	python3 - "$1" <<'PY'
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(s):
        super().__init__(); s.inlist = 0; s.inh3 = False; s.t = []
    def handle_starttag(s, tag, a):
        if tag == "ul" and dict(a).get("class") == "group-list": s.inlist = 1
        if tag == "h3" and s.inlist: s.inh3 = True; s.t.append("")
    def handle_endtag(s, tag):
        if tag == "h3": s.inh3 = False
    def handle_data(s, d):
        if s.inh3: s.t[-1] += d
P_ = P(); P_.feed(open(sys.argv[1], encoding="utf-8").read())
print("\n".join(sorted(P_.t)))
PY
}

# links PAGE: the filter links (href, relative to the site root) a directory page offers
links() {
	python3 - "$1" "$2" <<'PY'
import sys, os
from html.parser import HTMLParser
page, root = sys.argv[1], sys.argv[2]
class P(HTMLParser):
    def __init__(s):
        super().__init__(); s.nav = False; s.h = []
    def handle_starttag(s, tag, a):
        a = dict(a)
        if tag == "nav" and a.get("class") == "facets": s.nav = True
        if tag == "a" and s.nav: s.h.append(a["href"])
    def handle_endtag(s, tag):
        if tag == "nav": s.nav = False
p = P(); p.feed(open(page, encoding="utf-8").read())
for h in p.h:
    print(os.path.relpath(os.path.normpath(os.path.join(os.path.dirname(page), h)), root))
PY
}

test_expect_success 'a site with groups in two areas and two regions' '
	new_site site &&
	mkdir -p site/content/testi/ryhmat site/content/toinen/ryhmat &&
	cat >site/content/testi/ryhmat/keskinen.md <<-MD &&
	---
	type: partnership
	title: Keskisen ryhmä
	area: keskinen
	themes: [osallisuus]
	members:
	  - {organisation: Alfan kunta, sector: kunta, role: koordinaattori}
	  - {organisation: Testin maakuntaliitto, sector: kunta}
	  - {organisation: Urheiluseura, sector: järjestö}
	meets: kahdesti vuodessa
	next_meetings: [2024-01-10, 2024-09-15, 2024-05-20]
	contact: {name: Kumppanuuspäällikkö, email: kumppanuus@testi.example}
	join: Kirjoita kumppanuuspäällikölle.
	---
	Ryhmä.
	MD
	cat >site/content/toinen/region.md <<-MD &&
	---
	type: region
	title: Toinen alue
	name: Toinen
	areas:
	  - {slug: pohjoinen, name: Pohjoinen, municipalities: [gamma]}
	---
	Toinen.
	MD
	mkdir -p site/content/toinen/kunnat &&
	printf -- "---\ntype: municipality\ntitle: gamma\nname: Gamma\n---\nKunta.\n" >site/content/toinen/kunnat/gamma.md &&
	cat >site/content/toinen/ryhmat/pohjoinen.md <<-MD &&
	---
	type: partnership
	title: Pohjoisen ryhmä
	area: pohjoinen
	members:
	  - {organisation: Gamman seurakunta, sector: seurakunta}
	  - {organisation: Gamma, sector: kunta}
	---
	Ryhmä.
	MD
	commit_all site "Ryhmät" "2024-03-01T10:00:00+02:00" &&
	(cd site && "$AVOIN" build -q) && ls -R site/public/kumppanuus
'

test_expect_success 'the directory lists every group' '
	[ "$(groups site/public/kumppanuus/index.html)" = "Keskisen ryhmä
Pohjoisen ryhmä" ]
'

test_expect_success 'each filter page lists exactly its groups' '
	[ "$(groups site/public/kumppanuus/teema/osallisuus/index.html)" = "Keskisen ryhmä" ] &&
	[ "$(groups site/public/kumppanuus/sektori/seurakunta/index.html)" = "Pohjoisen ryhmä" ] &&
	[ "$(groups site/public/kumppanuus/sektori/jarjesto/index.html)" = "Keskisen ryhmä" ] &&
	[ "$(groups site/public/kumppanuus/alue/toinen-pohjoinen/index.html)" = "Pohjoisen ryhmä" ] &&
	[ "$(groups site/public/kumppanuus/sektori/kunta/index.html)" = "Keskisen ryhmä
Pohjoisen ryhmä" ]
'

test_expect_success 'every filter link leads to a page that exists, from every directory page' '
	for p in $(find site/public/kumppanuus -name index.html); do
		for l in $(links "$p" site/public); do
			[ -f "site/public/$l/index.html" ] || { echo "$p links to missing $l"; return 1; }
		done
	done &&
	links site/public/kumppanuus/index.html site/public | grep -qx "kumppanuus/alue/testi-keskinen"
'

test_expect_success 'a regional council is not listed among the municipalities' '
	grep -q "<li>Muut kunta-alan toimijat (1)</li>" site/public/kumppanuus/index.html &&
	[ "$(groups site/public/kumppanuus/sektori/kunta-muu/index.html)" = "Keskisen ryhmä" ]
'

test_expect_success 'the group page lists its members by their real sector' '
	python3 - site/public/testi/ryhmat/keskinen/index.html <<-PY
	import sys, re
	s = open(sys.argv[1], encoding="utf-8").read()
	k = s.index("<h3>Kunnat</h3>"); m = s.index("<h3>Muut kunta-alan toimijat</h3>")
	assert "Alfan kunta" in s[k:m] and "Testin maakuntaliitto" in s[m:], "wrong groups"
	PY
'

test_expect_success 'a card has the contact, the next meeting after the build date and how to join' '
	f=site/public/kumppanuus/index.html &&
	assert_contains $f "<a href=\"mailto:kumppanuus@testi.example\">kumppanuus@testi.example</a>" &&
	assert_contains $f "<time datetime=\"2024-05-20\">20.5.2024</time>" &&
	assert_not_contains $f "datetime=\"2024-01-10\"" &&
	assert_contains $f "Kirjoita kumppanuuspäällikölle."
'

test_done
