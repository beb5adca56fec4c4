#!/bin/sh
# The accessibility statement of Act 306/2019 § 9 from site.yaml's accessibility
# keys: a test per part it must hold, and the errors for keys that are wrong.
# The page's text is read with Python's HTML parser, by section.
. "$(dirname "$0")/lib.sh"

# section PAGE ID: the text of the section labelled by heading ID
section() {
	python3 - "$1" "$2" <<'PY'
import sys
from html.parser import HTMLParser
want = sys.argv[2]
class P(HTMLParser):
    def __init__(s):
        super().__init__(); s.depth = 0; s.out = []
    def handle_starttag(s, tag, a):
        if tag in ("br", "wbr", "img", "hr"):  # void: no end tag; a line break reads as a space
            if s.depth: s.out.append(" ")
            return
        if s.depth: s.depth += 1
        elif tag == "section" and dict(a).get("aria-labelledby") == want: s.depth = 1
    def handle_endtag(s, tag):
        if s.depth: s.depth -= 1
    def handle_data(s, d):
        if s.depth: s.out.append(d)
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
print(" ".join("".join(p.out).split()))
PY
}

statement_site() { # statement_site DIR: a site whose site.yaml has every accessibility key
	new_site "$1" &&
	cat >>"$1/content/site.yaml" <<-Y
	accessibility:
	  contact: palaute@testi.example
	  date: 2025-01-15
	  reviewed: 2026-02-01
	  status: partial
	  assessment: external
	  assessor: Saavutettavuus Oy
	  known_issues:
	    - fi: Kartat eivät ole saavutettavia.
	      sv: Kartorna är inte tillgängliga.
	      reason: {fi: Kartat tulevat toiselta palvelulta., sv: Kartorna kommer från en annan tjänst.}
	      alternative: {fi: Osoitteet ovat myös tekstinä.}
	  authority: {name: Valvova virasto, url: "https://valvonta.example/"}
	Y
}

test_expect_success 'a site with every part of the statement' '
	statement_site site && commit_all site "Sivusto" && (cd site && "$AVOIN" build -q) &&
	test -f site/public/saavutettavuus/index.html
'
p=site/public/saavutettavuus/index.html

test_expect_success 'it says which site and under which law' '
	grep -q "Tämä saavutettavuusseloste koskee sivustoa Testisivusto" $p &&
	grep -q "(306/2019) 9 §" $p
'

test_expect_success 'the compliance status' '
	section $p h-acc-status | grep -q "täyttää saavutettavuusvaatimukset osittain"
'

test_expect_success 'the content that is not accessible, and why' '
	section $p h-acc-issues >issues.txt && cat issues.txt &&
	grep -q "Kartat eivät ole saavutettavia. Syy: Kartat tulevat toiselta palvelulta." issues.txt
'

test_expect_success 'how to get the content another way' '
	section $p h-acc-other | grep -q "pyydä sitä palautekanavan kautta" &&
	section $p h-acc-issues | grep -q "Näin saat sen muulla tavoin: Osoitteet ovat myös tekstinä."
'

test_expect_success 'the dates it was prepared and last reviewed' '
	section $p h-acc-made | grep -q "Seloste on laadittu 15.1.2025. Se on tarkistettu viimeksi 1.2.2026."
'

test_expect_success 'whether the assessment was its own or external, and by whom' '
	section $p h-acc-made | grep -q "ulkopuolinen arvioija: Saavutettavuus Oy"
'

test_expect_success 'the feedback channel and the 14-day answer' '
	section $p h-acc-feedback >fb.txt &&
	grep -q "Vastaamme 14 päivän kuluessa." fb.txt && grep -q "Palautekanava: palaute@testi.example" fb.txt &&
	grep -q "href=\"mailto:palaute@testi.example\"" $p
'

test_expect_success 'how to reach the supervisory authority, named once in site.yaml' '
	section $p h-acc-authority | grep -q "valvontaviranomaiselle. Valvova virasto: https://valvonta.example/" &&
	grep -q "<a href=\"https://valvonta.example/\">" $p
'

test_expect_success 'every page links to it from its footer' '
	grep -q "<a href=\"../saavutettavuus/\">Saavutettavuusseloste</a>" site/public/testi/index.html
'

# The same parts in Swedish, at /sv/saavutettavuus/ (the site's languages are fi and sv).
q=site/public/sv/saavutettavuus/index.html

test_expect_success 'in Swedish: which site and under which law' '
	grep -q "<html lang=\"sv\">" $q &&
	grep -q "Detta tillgänglighetsutlåtande gäller webbplatsen Testisivusto" $q &&
	grep -q "9 § i lagen om tillhandahållande av digitala tjänster (306/2019)" $q
'

test_expect_success 'in Swedish: the compliance status' '
	section $q h-acc-status | grep -q "uppfyller tillgänglighetskraven delvis"
'

test_expect_success 'in Swedish: the content that is not accessible, and why' '
	section $q h-acc-issues | grep -q "Kartorna är inte tillgängliga. Orsak: Kartorna kommer från en annan tjänst."
'

test_expect_success 'in Swedish: another way, a text given only in Finnish marked as Finnish' '
	section $q h-acc-other | grep -q "be om det via responskanalen" &&
	grep -q "<span lang=\"fi\">Osoitteet ovat myös tekstinä.</span>" $q
'

test_expect_success 'in Swedish: the dates it was prepared and last reviewed' '
	section $q h-acc-made | grep -q "Utlåtandet har utarbetats 15.1.2025. Det har senast granskats 1.2.2026."
'

test_expect_success 'in Swedish: whether the assessment was its own or external, and by whom' '
	section $q h-acc-made | grep -q "extern bedömare: Saavutettavuus Oy"
'

test_expect_success 'in Swedish: the feedback channel and the 14-day answer' '
	section $q h-acc-feedback >fbsv.txt &&
	grep -q "Vi svarar inom 14 dagar." fbsv.txt && grep -q "Responskanal: palaute@testi.example" fbsv.txt
'

test_expect_success 'in Swedish: how to reach the supervisory authority' '
	section $q h-acc-authority | grep -q "tillsynsmyndigheten. Valvova virasto: https://valvonta.example/"
'

test_expect_success 'in Swedish: every page links to it from its footer' '
	grep -q "<a href=\"../saavutettavuus/\">Tillgänglighetsutlåtande</a>" site/public/sv/testi/index.html
'

test_expect_success 'without the keys, the statement says what is missing instead of inventing it' '
	new_site bare && commit_all bare "Sivusto" && (cd bare && "$AVOIN" build -q) &&
	b=bare/public/saavutettavuus/index.html &&
	section $b h-acc-status | grep -q "ei ole vielä arvioitu" &&
	section $b h-acc-authority | grep -q "Valvontaviranomaisen tietoja ei ole kerrottu"
'

bad() { # bad NAME "yaml lines" "expected error": the build fails naming site.yaml and the line
	new_site "$1" && printf "%b" "$2" >>"$1/content/site.yaml" && commit_all "$1" "x" &&
	! (cd "$1" && "$AVOIN" build -q) 2>err.txt && cat err.txt &&
	grep -q "content/site.yaml:[0-9]*: .*$3" err.txt
}

test_expect_success 'a status that is not one of full, partial, none is an error at its line' '
	bad b1 "accessibility:\n  status: mostly\n" "accessibility.status"
'

test_expect_success 'an external assessment without the assessor is an error' '
	bad b2 "accessibility:\n  assessment: external\n" "accessibility.assessor"
'

test_expect_success 'a known issue that is not texts is an error' '
	bad b3 "accessibility:\n  known_issues:\n    - fi: [a, b]\n" "accessibility.known_issues"
'

test_expect_success 'a date that is not a date is an error' '
	bad b4 "accessibility:\n  reviewed: eilen\n" "accessibility.reviewed"
'

test_done
