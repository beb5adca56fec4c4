#!/bin/sh
# The example site in content/ builds from the project's own repository:
# an index page for every region and municipality, a page for every record
# and a page per theme.
. "$(dirname "$0")/lib.sh"

if ! git -C "$AVOIN_TOP" rev-parse -q --verify HEAD >/dev/null 2>&1; then
	test_skip "example site" "the source tree is not a git checkout"
	test_done
	exit 0
fi

test_expect_success 'the example content builds at HEAD' '
	(cd "$AVOIN_TOP" && "$AVOIN" build -q --out "$TMP/site")
'

# icalendar is Debian's python3-icalendar: Debian's own Python, where there is one
PY=/usr/bin/python3
[ -x "$PY" ] && "$PY" -c 'import icalendar' 2>/dev/null || PY=python3

test_expect_success 'its calendars, JSON, CSV tables and feeds pass the parsers and the schemas' '
	"$PY" "$AVOIN_TOP/tests/e2e/opendata_check.py" "$TMP/site" >check.out || { cat check.out; return 1; }
'

test_expect_success 'every record has an index page, and a translation one under its language' '
	for f in $(git -C "$AVOIN_TOP" ls-tree -r --name-only HEAD content | grep "\.md$"); do
		t=$(git -C "$AVOIN_TOP" show "HEAD:$f" | sed -n "2,/^---/p" | grep -E "^type:" | head -1 | sed "s/type: *//")
		p=${f#content/}; p=${p%.md}
		# a translation x.sv.md is the page of x.md under /sv/
		case "$p" in
		*.sv|*.en) l=${p##*.}; p=$l/${p%.*}
			[ -z "$t" ] && t=$(git -C "$AVOIN_TOP" show "HEAD:${f%.*.md}.md" | sed -n "2,/^---/p" |
				grep -E "^type:" | head -1 | sed "s/type: *//") ;;
		esac
		case "$t" in
		region) p=${p%/region} ;;
		esac
		if git -C "$AVOIN_TOP" show "HEAD:$f" | sed -n "2,/^---/p" | grep -q "^draft: *true"; then continue; fi
		test -f "$TMP/site/$p/index.html" || { echo "missing page for $f ($t): $p/index.html"; exit 1; }
	done
'

test_expect_success 'a page per theme in site.yaml' '
	for s in $(git -C "$AVOIN_TOP" show HEAD:content/site.yaml | sed -n "s/^  - slug: *//p"); do
		assert_file "$TMP/site/teemat/$s/index.html" || exit 1
	done
'

test_expect_success 'the three regions are on the front page' '
	assert_contains "$TMP/site/index.html" "pohjois-karjala/" &&
	assert_contains "$TMP/site/index.html" "keski-suomi/" &&
	assert_contains "$TMP/site/index.html" "keski-pohjanmaa/"
'

test_expect_success 'the indicator table of the 12.10.2023 board meeting is rendered' '
	f=$(grep -rl "Kuntouttava työtoiminta" "$TMP/site/pohjois-karjala/poytakirjat" | head -1) &&
	test -n "$f" && grep -q "<table" "$f" && grep -q "<svg" "$f"
'

test_expect_success 'the obligation tracker is on every region page' '
	for r in pohjois-karjala keski-suomi keski-pohjanmaa; do
		grep -q "612/2021" "$TMP/site/$r/index.html" || { echo "no tracker on $r"; exit 1; }
	done
'

test_expect_success 'Kokkola is bilingual: its Swedish name is shown with lang=sv' '
	assert_contains "$TMP/site/keski-pohjanmaa/kunnat/kokkola/index.html" "lang=\"sv\">Karleby"
'

test_expect_success 'no breadcrumb repeats an item (Kokkola is an area and a municipality)' '
	python3 - "$TMP/site" <<-\PY
	import html.parser, pathlib, sys
	class Crumbs(html.parser.HTMLParser):
	    def __init__(self):
	        super().__init__()
	        self.depth, self.items, self.cur = 0, [], None
	    def handle_starttag(self, tag, attrs):
	        if tag == "nav" and "breadcrumbs" in (dict(attrs).get("class") or ""):
	            self.depth = 1
	        elif self.depth and tag == "li":
	            self.cur = ""
	    def handle_endtag(self, tag):
	        if tag == "nav":
	            self.depth = 0
	        elif self.depth and tag == "li" and self.cur is not None:
	            self.items.append(self.cur.strip())
	            self.cur = None
	    def handle_data(self, data):
	        if self.cur is not None:
	            self.cur += data
	bad = []
	for f in pathlib.Path(sys.argv[1]).rglob("*.html"):
	    p = Crumbs()
	    p.feed(f.read_text())
	    if any(a == b for a, b in zip(p.items, p.items[1:])):
	        bad.append((str(f), p.items))
	assert not bad, bad[:3]
	PY
'

test_expect_success 'no commit e-mail address is published' '
	for e in $(git -C "$AVOIN_TOP" log --format="%ae%n%ce" | sort -u); do
		! grep -rqF "$e" "$TMP/site" || { echo "found $e"; exit 1; }
	done
'

test_expect_success 'the front page lists every municipality A–Ö with its region, Swedish names too' '
	python3 - "$TMP/site" <<-PY
	import sys, os, re
	from html.parser import HTMLParser
	root = sys.argv[1]
	class P(HTMLParser):
	    def __init__(s):
	        super().__init__(); s.inlist = False; s.links = []
	    def handle_starttag(s, tag, a):
	        a = dict(a)
	        if tag == "ul" and a.get("class") == "az-list": s.inlist = True
	        elif tag == "a" and s.inlist: s.links.append((a["href"].removeprefix("./"), a.get("lang")))
	    def handle_endtag(s, tag):
	        if tag == "ul": s.inlist = False
	p = P(); p.feed(open(os.path.join(root, "index.html"), encoding="utf-8").read())
	munis = set()
	for d, _, fs in os.walk(root):
	    rel = os.path.relpath(d, root)
	    # the site in the default language: the others are under /sv/ and /en/
	    if "index.html" in fs and re.search(r"/kunnat/[^/]+$", d) and not re.match(r"(sv|en)/", rel):
	        munis.add(rel + "/")
	fi = [h for h, l in p.links if l is None]
	sv = [h for h, l in p.links if l == "sv"]
	assert sorted(fi) == sorted(munis), (len(fi), len(munis))
	assert "keski-pohjanmaa/kunnat/kokkola/" in sv, sv
	PY
'

test_done
