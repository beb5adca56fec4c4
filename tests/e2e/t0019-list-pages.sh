#!/bin/sh
# Pages that list records: a municipality page shows the newest of each kind and
# leads to the municipality's list of all its records; a list of records (a theme,
# a region's or a municipality's list of all records) names the newest change among
# what it lists, so that a commit to a record it does not list leaves it as it was,
# and a rebuild after commits equals a clean build. Pages are read with Python's
# HTML parser.
. "$(dirname "$0")/lib.sh"

# items PAGE SECTION_ID: the titles of the record list under the heading SECTION_ID
items() {
	python3 - "$1" "$2" <<'PY'
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.sec = None; self.depth = 0; self.inlink = False; self.out = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'section':
            self.depth += 1
            if a.get('aria-labelledby') == sys.argv[2]:
                self.sec = self.depth
        if self.sec and tag == 'a' and tag and 'href' in a:
            self.inlink = True; self.out.append('')
    def handle_endtag(self, tag):
        if tag == 'section':
            if self.sec == self.depth:
                self.sec = None
            self.depth -= 1
        if tag == 'a':
            self.inlink = False
    def handle_data(self, data):
        if self.inlink and self.sec:
            self.out[-1] += data
p = P(); p.feed(open(sys.argv[1], encoding='utf-8').read())
for t in p.out: print(t.strip())
PY
}

# footer PAGE: the text of the footer's first paragraph
footer() {
	python3 - "$1" <<'PY'
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.inf = False; self.p = 0; self.text = ''
    def handle_starttag(self, tag, attrs):
        if tag == 'footer': self.inf = True
        if self.inf and tag == 'p': self.p += 1
    def handle_endtag(self, tag):
        if tag == 'footer': self.inf = False
    def handle_data(self, data):
        if self.inf and self.p == 1: self.text += data
p = P(); p.feed(open(sys.argv[1], encoding='utf-8').read())
print(' '.join(p.text.split()))
PY
}

short() { git -C site rev-parse --short=7 "$1"; }

test_expect_success 'a municipality with 12 minutes and 7 negotiations, another with one record' '
	new_site site &&
	mkdir -p site/content/testi/poytakirjat site/content/testi/neuvottelut &&
	for i in 01 02 03 04 05 06 07 08 09 10 11 12; do
		printf -- "---\ntype: minutes\ntitle: Alfan kokous $i\ndate: 2024-01-$i\nmunicipalities: [alfa]\nthemes: [osallisuus]\n---\nKokous.\n" \
			>site/content/testi/poytakirjat/alfa-$i.md || return 1
	done &&
	for i in 1 2 3 4 5 6 7; do
		printf -- "---\ntype: negotiation\ntitle: Alfan neuvottelu $i\nkind: hyte\ndate: 2023-0$i-15\nmunicipalities: [alfa]\n---\nNeuvottelu.\n" \
			>site/content/testi/neuvottelut/alfa-$i.md || return 1
	done &&
	printf -- "---\ntype: minutes\ntitle: Betan kokous\ndate: 2024-02-01\nmunicipalities: [beta]\n---\nBeta.\n" \
		>site/content/testi/poytakirjat/beta.md &&
	commit_all site "Sivusto" "2024-03-01T10:00:00+02:00" &&
	(cd site && "$AVOIN" build -q)
'

test_expect_success 'the municipality page shows the 10 newest minutes and leads to all 12' '
	items site/public/testi/kunnat/alfa/index.html h-minutes >m.txt &&
	cat m.txt &&
	test "$(grep -c "^Alfan kokous" m.txt)" = 10 &&
	grep -qx "Alfan kokous 12" m.txt &&
	! grep -qx "Alfan kokous 02" m.txt &&
	grep -qx "Kaikki asiakirjat: Pöytäkirjat (12)" m.txt &&
	assert_contains site/public/testi/kunnat/alfa/index.html "href=\"../../../testi/kunnat/alfa/asiakirjat/#h-minutes\""
'

test_expect_success 'it shows the 5 newest negotiations with their outcomes and leads to all 7' '
	test "$(grep -c "class=\"negotiation-summary\"" site/public/testi/kunnat/alfa/index.html)" = 5 &&
	assert_contains site/public/testi/kunnat/alfa/index.html "Alfan neuvottelu 7" &&
	assert_not_contains site/public/testi/kunnat/alfa/index.html "Alfan neuvottelu 2<" &&
	assert_contains site/public/testi/kunnat/alfa/index.html "Kaikki asiakirjat: Neuvottelut (7)"
'

test_expect_success 'the list of all records has every record that concerns the municipality, and only those' '
	all=site/public/testi/kunnat/alfa/asiakirjat/index.html &&
	items $all h-minutes >am.txt &&
	items $all h-negotiations >an.txt &&
	test "$(grep -c "^Alfan kokous" am.txt)" = 12 &&
	test "$(grep -c "^Alfan neuvottelu" an.txt)" = 7 &&
	assert_not_contains $all "Betan kokous" &&
	assert_file site/public/sv/testi/kunnat/alfa/asiakirjat/index.html &&
	assert_contains site/public/sitemap.xml "testi/kunnat/alfa/asiakirjat/"
'

test_expect_success 'a list names the newest change among its records' '
	c=$(short HEAD) &&
	footer site/public/testi/kunnat/alfa/asiakirjat/index.html >f.txt &&
	cat f.txt &&
	grep -q "^Uusin muutos sivun asiakirjoissa: versio $c (1.3.2024)" f.txt &&
	footer site/public/teemat/osallisuus/index.html | grep -q "versio $c" &&
	footer site/public/sv/teemat/osallisuus/index.html | grep -q "^Den senaste ändringen i sidans handlingar: version $c"
'

test_expect_success 'a commit to a record none of them lists leaves them as they were' '
	for f in testi/kunnat/alfa/asiakirjat/index.html teemat/osallisuus/index.html \
		sv/teemat/osallisuus/index.html; do
		cp site/public/$f "before-$(echo $f | tr / -)" || return 1
	done &&
	stat -c %Y site/public/teemat/osallisuus/index.html >mtime-before &&
	sleep 1 &&
	printf "\nLisäys.\n" >>site/content/testi/poytakirjat/beta.md &&
	commit_all site "Betan lisäys" "2024-03-02T10:00:00+02:00" &&
	(cd site && "$AVOIN" build -q) &&
	for f in testi/kunnat/alfa/asiakirjat/index.html teemat/osallisuus/index.html \
		sv/teemat/osallisuus/index.html; do
		cmp site/public/$f "before-$(echo $f | tr / -)" || return 1
	done &&
	stat -c %Y site/public/teemat/osallisuus/index.html | cmp - mtime-before &&
	footer site/public/testi/asiakirjat/index.html | grep -q "versio $(short HEAD)"
'

test_expect_success 'a commit to a listed record names it, and changes nothing else on the list' '
	printf "\nLisäys.\n" >>site/content/testi/poytakirjat/alfa-03.md &&
	commit_all site "Alfan lisäys" "2024-03-03T10:00:00+02:00" &&
	(cd site && "$AVOIN" build -q) &&
	footer site/public/teemat/osallisuus/index.html | grep -q "versio $(short HEAD) (3.3.2024)" &&
	sed "/<footer/,\$d" site/public/teemat/osallisuus/index.html >after.txt &&
	sed "/<footer/,\$d" before-teemat-osallisuus-index.html >before.txt &&
	cmp before.txt after.txt
'

test_expect_success 'the rebuilt site equals a clean build of the same commit' '
	git clone -q site clean &&
	(cd clean && "$AVOIN" build -q) &&
	diff -r site/public clean/public
'

test_expect_success 'a worktree build names no version on a list' '
	(cd site && "$AVOIN" build -q --worktree --out ../wt) &&
	footer wt/teemat/osallisuus/index.html >wf.txt &&
	cat wf.txt &&
	! grep -q "Uusin muutos" wf.txt
'

test_done
