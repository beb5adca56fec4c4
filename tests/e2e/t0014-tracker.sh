#!/bin/sh
# The statutory-obligation tracker (themes/default/hooks/obligations.lua): every
# state of every rule, on a site built at a known date (the commit's, 15.6.2026:
# the year 2026, the council term 2025-2029 from 1.6.2025). The pages are read
# with Python's HTML parser: each cell's rule (data-key) and state (its class).
. "$(dirname "$0")/lib.sh"

# cells PAGE: "table rule municipality state" per cell of a region page's tables,
# "list rule - state" per item of a municipality page's lists.
cells() {
	python3 - "$1" <<'PY'
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(s):
        super().__init__(); s.table = None; s.row = None; s.in_row_th = False; s.depth = 0
    def handle_starttag(s, tag, a):
        a = dict(a)
        if tag == "caption" and a.get("id", "").startswith("c-"):
            s.table = a["id"][2:]
        if tag == "ul" and "obligations-list" in (a.get("class") or ""):
            s.table = "list"
        if tag == "th" and a.get("scope") == "row":
            s.in_row_th = True; s.row = ""
        cls = (a.get("class") or "").split()
        if "obligation" in cls:
            state = [c[len("obligation-"):] for c in cls if c.startswith("obligation-")][0]
            print(s.table, a.get("data-key"), s.row if s.table != "list" else "-", state)
    def handle_endtag(s, tag):
        if tag == "th": s.in_row_th = False
    def handle_data(s, d):
        if s.in_row_th: s.row += d.strip()
P().feed(open(sys.argv[1], encoding="utf-8").read())
PY
}

md() { # md FILE: writes stdin as FILE, making its folder
	mkdir -p "$(dirname "$1")" && cat >"$1"
}

test_expect_success 'a site with evidence for every state' '
	new_site site && c=site/content/testi &&
	rm -f $c/kunnat/*.md &&
	md $c/region.md <<-MD &&
	---
	type: region
	title: Testin hyvinvointialue
	name: Testi
	areas:
	  - {slug: keskinen, name: Keskinen, municipalities: [alfa, beta, gamma]}
	  - {slug: pohjoinen, name: Pohjoinen, municipalities: [delta, epsilon]}
	---
	Alue.
	MD
	for m in alfa beta gamma delta epsilon; do
		printf -- "---\ntype: municipality\ntitle: %s\nname: %s\n---\nKunta.\n" $m $m >$c/kunnat/$m.md || return 1
	done &&
	md site/content/toinen/region.md <<-MD &&
	---
	type: region
	title: Toinen hyvinvointialue
	name: Toinen
	---
	Toinen alue.
	MD
	printf -- "---\ntype: municipality\ntitle: zeta\nname: zeta\n---\nKunta.\n" | md site/content/toinen/kunnat/zeta.md &&
	n() { printf -- "---\ntype: negotiation\ntitle: %s\nkind: %s\ndate: %s\n%b---\nNeuvottelu.\n" "$1" "$2" "$3" "$4" | md "$5"; } &&
	n "Alfan hyte 2026" hyte 2026-03-01 "municipalities: [alfa]\n" $c/neuvottelut/alfa-hyte.md &&
	n "Betan hyte 2025" hyte 2025-11-01 "municipalities: [beta]\nnext: 2026-09-01\n" $c/neuvottelut/beta-hyte.md &&
	n "Gamman hyte 2025" hyte 2025-02-01 "municipalities: [gamma]\n" $c/neuvottelut/gamma-hyte-1.md &&
	n "Gamman hyte syksyllä" hyte 2026-10-01 "municipalities: [gamma]\n" $c/neuvottelut/gamma-hyte-2.md &&
	n "Deltan hyte 2025" hyte 2025-02-01 "municipalities: [delta]\n" $c/neuvottelut/delta-hyte.md &&
	n "Toisen alueen hyte" hyte 2026-02-01 "" site/content/toinen/neuvottelut/hyte.md &&
	n "Alfan yhteistyöneuvottelu" cooperation 2025-09-01 "municipalities: [alfa]\n" $c/neuvottelut/alfa-yht.md &&
	n "Deltan yhteistyöneuvottelu" cooperation 2026-11-01 "municipalities: [delta]\n" $c/neuvottelut/delta-yht.md &&
	n "Epsilonin vanha neuvottelu" cooperation 2024-05-01 "municipalities: [epsilon]\n" $c/neuvottelut/eps-yht.md &&
	n "Toisen alueen yhteistyö" cooperation 2025-10-01 "" site/content/toinen/neuvottelut/yht.md &&
	a() { printf -- "---\ntype: agreement\ntitle: %s\nparties: [testi, %s]\nmunicipalities: [%s]\n%b---\nSopimus.\n" "$1" "$2" "$2" "$3" | md "$4"; } &&
	a "Betan sopimus" beta "status: signed\nsigned: 2024-01-01\nvalid_until: 2027-12-31\n" $c/sopimukset/beta.md &&
	a "Gamman sopimusluonnos" gamma "status: approved\n" $c/sopimukset/gamma.md &&
	a "Epsilonin päättynyt sopimus" epsilon "status: signed\nsigned: 2022-01-01\nvalid_until: 2025-12-31\n" $c/sopimukset/eps.md &&
	r() { printf -- "---\ntype: report\ntitle: %s\nkind: %s\nperiod: %s\n%b---\nKertomus.\n" "$1" "$2" "$3" "$4" | md "$5"; } &&
	r "Alfan suunnitelma" wellbeing-plan 2025-2028 "municipalities: [alfa]\napproved: {by: Kunnanvaltuusto, date: 2025-12-01}\n" $c/raportit/alfa.md &&
	r "Betan kertomus" wellbeing-report 2025-2028 "municipalities: [beta]\n" $c/raportit/beta.md &&
	r "Gamman vanha kertomus" wellbeing-report 2021-2024 "municipalities: [gamma]\napproved: {by: Kunnanvaltuusto, date: 2021-12-01}\n" $c/raportit/gamma.md &&
	r "Deltan suunnitelma" wellbeing-plan 2025-2028 "municipalities: [delta]\napproved: {by: Kunnanvaltuusto, date: 2026-12-01}\n" $c/raportit/delta.md &&
	r "Alueellinen kertomus" wellbeing-report 2025-2028 "approved: {by: Aluevaltuusto, date: 2025-11-01}\n" $c/raportit/alue.md &&
	r "Zetan luonnos" wellbeing-plan 2025-2028 "municipalities: [zeta]\napproved: {by: Kunnanvaltuusto, date: 2026-01-01}\ndraft: true\n" site/content/toinen/raportit/zeta.md &&
	md $c/kumppanuus/keskinen.md <<-MD &&
	---
	type: partnership
	title: Keskisen kumppanuuspöytä
	area: keskinen
	members:
	  - {organisation: Alfan kunta, sector: kunta}
	  - {organisation: Betan edustaja, sector: kunta, municipality: beta}
	  - {organisation: Gamman seurakunta, sector: seurakunta}
	---
	Pöytä.
	MD
	commit_all site "Sivusto" "2026-06-15T10:00:00+03:00" &&
	(cd site && "$AVOIN" build -q) &&
	cells site/public/testi/index.html >region.txt && cat region.txt &&
	cells site/public/toinen/index.html >toinen.txt && cat toinen.txt
'

# state_is FILE TABLE RULE MUNICIPALITY STATE
state_is() {
	grep -qx "$2 $3 $4 $5" "$1" || { echo "expected $3 of $4 in $2 to be $5:"; grep " $3 $4 " "$1"; return 1; }
}

test_expect_success 'hyte (612/2021 7 §): held this year, set by next, set by a later date, last year, never' '
	state_is region.txt obligations hyte alfa ok &&
	state_is region.txt obligations hyte beta preparing &&
	state_is region.txt obligations hyte gamma preparing &&
	state_is region.txt obligations hyte delta missing &&
	state_is region.txt obligations hyte epsilon missing &&
	grep -A3 "data-key=\"hyte\"" site/public/testi/index.html | grep -q "ei neuvottelua vuonna 2026; edellinen 1.2.2025" &&
	grep -q "ei yhtään hyte-neuvottelua" site/public/testi/index.html
'

test_expect_success 'a negotiation for the whole region counts for its municipalities, and says so' '
	state_is toinen.txt obligations hyte zeta ok &&
	state_is toinen.txt obligations cooperation zeta ok &&
	grep -q "obligation-note\">(koko alueen yhteinen)" site/public/toinen/index.html
'

test_expect_success 'cooperation (611/2021 14 §): negotiation in the term, agreement in force, draft, set later, expired' '
	state_is region.txt obligations cooperation alfa ok &&
	state_is region.txt obligations cooperation beta ok &&
	state_is region.txt obligations cooperation gamma preparing &&
	state_is region.txt obligations cooperation delta preparing &&
	state_is region.txt obligations cooperation epsilon missing &&
	grep -q "ei neuvottelua eikä voimassa olevaa sopimusta valtuustokauden alun 1.6.2025 jälkeen" site/public/testi/index.html
'

test_expect_success 'report (612/2021 6 §): approved, not approved, approved later, last term; a regional one does not count' '
	state_is region.txt obligations report alfa ok &&
	state_is region.txt obligations report beta preparing &&
	state_is region.txt obligations report delta preparing &&
	state_is region.txt obligations report gamma missing &&
	state_is region.txt obligations report epsilon missing &&
	grep -q "alueen oma kertomus ei täytä kunnan velvoitetta" site/public/testi/index.html
'

test_expect_success 'a draft is not evidence' '
	state_is toinen.txt obligations report zeta missing
'

test_expect_success 'partnership representation is in its own table, not among the statutory ones' '
	state_is region.txt cooperation-structure partnership alfa ok &&
	state_is region.txt cooperation-structure partnership beta ok &&
	state_is region.txt cooperation-structure partnership gamma missing &&
	state_is region.txt cooperation-structure partnership delta missing &&
	state_is toinen.txt cooperation-structure partnership zeta missing &&
	! grep -q "^obligations partnership" region.txt &&
	grep -q "Nämä eivät ole lakisääteisiä velvoitteita" site/public/testi/index.html
'

test_expect_success 'each rule is stated on the page with its legal basis' '
	for law in "612/2021 7 § 4 mom." "611/2021 14 §" "612/2021 6 §"; do
		python3 -c "
import sys, re
s = open(sys.argv[1], encoding=\"utf-8\").read()
rules = s[s.index(\"obligation-rules\"):]
sys.exit(0 if \"(\" + sys.argv[2] + \")</dt>\" in rules else 1)" site/public/testi/index.html "$law" || { echo "no rule for $law"; return 1; }
	done
'

test_expect_success 'a municipality page lists its own states, statutory first' '
	cells site/public/testi/kunnat/beta/index.html >beta.txt && cat beta.txt &&
	[ "$(cat beta.txt)" = "list hyte - preparing
list cooperation - ok
list report - preparing
list partnership - ok" ]
'

test_expect_success 'every cell links to its evidence' '
	grep -q "<a href=\"../testi/neuvottelut/alfa-hyte/\">neuvottelu käyty 1.3.2026</a>" site/public/testi/index.html &&
	grep -q "<a href=\"../testi/sopimukset/gamma/\">sopimus valmisteilla: Gamman sopimusluonnos</a>" site/public/testi/index.html
'

test_done
