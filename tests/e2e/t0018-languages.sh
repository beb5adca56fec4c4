#!/bin/sh
# Every page in every site language (doc/handbook.md, "Languages and
# translations"): a site with languages [fi, sv], a bilingual and a
# monolingual municipality, a record with a Swedish translation and one
# without. Pages are read with Python's HTML parser (langpages.py below):
# the counterparts under /sv/, lang attributes, hreflang alternates, the
# language switcher, the notice on an untranslated text, the parity report;
# then the errors a translation can have, with file and line.
. "$(dirname "$0")/lib.sh"

# A site: Alfa bilingual (fi, sv), Beta Finnish only; an agreement for Alfa
# translated into Swedish, minutes for Alfa not translated.
lang_site() {
	new_site "$1" &&
	cat >"$1/content/testi/kunnat/alfa.md" <<-'MD' &&
	---
	type: municipality
	title: Alfa
	name: Alfa
	name_sv: Alfaby
	languages: [fi, sv]
	---
	Alfa on kaksikielinen kunta.
	MD
	cat >"$1/content/testi/kunnat/alfa.sv.md" <<-'MD' &&
	---
	title: Alfaby
	---
	Alfaby är en tvåspråkig kommun.
	MD
	mkdir -p "$1/content/testi/sopimukset" "$1/content/testi/poytakirjat" &&
	cat >"$1/content/testi/sopimukset/yhteistyo.md" <<-'MD' &&
	---
	type: agreement
	title: Yhteistyösopimus
	status: signed
	signed: 2025-03-01
	parties: [testi, alfa]
	municipalities: [alfa]
	---
	Sopimus yhteistyöstä. Katso [pöytäkirja](../poytakirjat/kokous.md).
	MD
	cat >"$1/content/testi/sopimukset/yhteistyo.sv.md" <<-'MD' &&
	---
	title: Samarbetsavtal
	---
	Avtal om samarbete. Se [protokollet](../poytakirjat/kokous.md).
	MD
	cat >"$1/content/testi/tiedote.md" <<-'MD' &&
	---
	type: page
	title: Meddelande
	lang: sv
	---
	Ett meddelande på svenska.
	MD
	cat >"$1/content/testi/poytakirjat/kokous.md" <<-'MD'
	---
	type: minutes
	title: Sopimuksen hyväksyminen
	date: 2025-02-20
	body: Kunnanhallitus
	municipalities: [alfa]
	---
	Kunnanhallitus hyväksyi sopimuksen.
	MD
}

cat >langpages.py <<'PY'
"""langpages.py SITE CHECK: one check of the site's pages in two languages."""
import os, re, sys
from html.parser import HTMLParser

site, check = sys.argv[1], sys.argv[2]

class Page(HTMLParser):
    def __init__(s):
        super().__init__(); s.lang = None; s.alts = {}; s.switch = {}; s.in_switch = False
        s.langs = []; s.notice = ""; s.in_notice = False; s.text = []
    def handle_starttag(s, tag, a):
        a = dict(a)
        if tag == "html": s.lang = a.get("lang")
        if tag == "link" and a.get("rel") == "alternate" and "hreflang" in a:
            s.alts[a["hreflang"]] = a["href"]
        if tag == "nav" and a.get("class") == "lang-switch": s.in_switch = True
        if tag == "a" and s.in_switch: s.switch[a.get("hreflang")] = a.get("href")
        if "lang" in a and tag != "html": s.langs.append((tag, a.get("class"), a["lang"]))
        if tag == "p" and "untranslated" in (a.get("class") or ""): s.in_notice = True
    def handle_endtag(s, tag):
        if tag == "nav": s.in_switch = False
        if tag == "p": s.in_notice = False
    def handle_data(s, d):
        if s.in_notice: s.notice += d
        s.text.append(d)

def read(rel):
    p = Page(); p.feed(open(os.path.join(site, rel), encoding="utf-8").read()); return p

def pages(top):
    out = set()
    for d, dirs, fs in os.walk(os.path.join(site, top)):
        rel = os.path.relpath(d, site)
        if top == "" and rel.split("/")[0] in ("sv", "static"):
            dirs[:] = []
            continue
        for f in fs:
            if f.endswith(".html"):
                out.add(os.path.normpath(os.path.relpath(os.path.join(d, f), os.path.join(site, top))))
    return out

def target(page, href):
    """The file a relative or absolute href leads to, from page (relative to the site)."""
    href = re.sub(r"^https://testi\.example/", "/", href).split("#")[0]
    path = href[1:] if href.startswith("/") else os.path.normpath(os.path.join(os.path.dirname(page), href))
    if path in (".", ""): path = ""
    full = os.path.join(site, path)
    return os.path.join(path, "index.html") if os.path.isdir(full) else path

fi, sv = pages(""), pages("sv")
# history and version pages trace one file: they are in its language only
one_language = {p for p in fi | sv if "/historia/" in "/" + p}
if check == "counterparts":
    missing = sorted(p for p in fi - one_language if p not in sv)
    assert not missing, missing
    assert len(sv - one_language) == len(fi - one_language), (len(sv), len(fi))
elif check == "lang":
    for p in sorted(sv - one_language):
        pg = read("sv/" + p)
        assert pg.lang == "sv", (p, pg.lang)
    for p in sorted(fi - one_language):
        assert read(p).lang == "fi", p
elif check == "alternates":
    n = 0
    for top, ps in (("", fi), ("sv/", sv)):
        for p in sorted(ps - one_language):
            pg = read(top + p)
            assert set(pg.alts) == {"fi", "sv", "x-default"}, (top + p, pg.alts)
            for l, href in pg.alts.items():
                t = target(top + p, href)
                assert os.path.isfile(os.path.join(site, t)), (top + p, l, href, t)
                n += 1
            assert target(top + p, pg.alts["x-default"]) == target(top + p, pg.alts["fi"])
    print(n, "alternates lead to pages")
elif check == "switcher":
    for top, ps, other in (("", fi, "sv"), ("sv/", sv, "fi")):
        for p in sorted(ps - one_language):
            pg = read(top + p)
            assert set(pg.switch) == {other}, (top + p, pg.switch)
            t = target(top + p, pg.switch[other])
            want = ("sv/" + p) if other == "sv" else p
            if p == "404.html":  # served from anywhere: its links are absolute
                want = t
            assert os.path.normpath(t) == os.path.normpath(want), (top + p, t, want)
elif check == "history-one-language":
    for p in sorted(one_language):
        pg = read(("sv/" + p) if p in sv else p)
        assert not pg.alts and not pg.switch, p
else:
    raise SystemExit("unknown check " + check)
PY

test_expect_success 'a site in Finnish and Swedish builds' '
	lang_site site && commit_all site "Sivusto" "2025-04-01T10:00:00+03:00" &&
	(cd site && "$AVOIN" build -q) && test -f site/public/sv/index.html
'
s=site/public

test_expect_success 'every page but histories exists under /sv/ with the same path' '
	python3 langpages.py $s counterparts
'

test_expect_success 'every page has lang="fi" at the root and lang="sv" under /sv/' '
	python3 langpages.py $s lang
'

test_expect_success 'Swedish labels, names and dates on a Swedish page' '
	p=$s/sv/testi/sopimukset/yhteistyo/index.html &&
	assert_contains $p "<dt>Status</dt>" && assert_contains $p "<dt>Undertecknat</dt>" &&
	assert_contains $p "<dt>Parter</dt>" && assert_contains $p ">Test</a>" &&
	assert_contains $p ">Alfaby</a>" && assert_contains $p "Hoppa till innehållet" &&
	assert_contains $p "<time datetime=\"2025-03-01\">1.3.2025</time>"
'

test_expect_success 'a translated record: its own title and text in Swedish, no notice' '
	p=$s/sv/testi/sopimukset/yhteistyo/index.html &&
	assert_contains $p "<h1>Samarbetsavtal</h1>" && assert_contains $p "Avtal om samarbete." &&
	assert_not_contains $p "untranslated" && assert_not_contains $p "Sopimus yhteistyöstä"
'

test_expect_success 'its links to records stay in Swedish' '
	assert_contains $s/sv/testi/sopimukset/yhteistyo/index.html \
		"<a href=\"../../../testi/poytakirjat/kokous/\">protokollet</a>"
'

test_expect_success 'an untranslated record: the notice in Swedish, its text marked lang="fi"' '
	p=$s/sv/testi/poytakirjat/kokous/index.html &&
	assert_contains $p "<p class=\"notice untranslated\">Den här texten finns inte på svenska. Nedan finns originaltexten på finska.</p>" &&
	assert_contains $p "<h1 lang=\"fi\">Sopimuksen hyväksyminen</h1>" &&
	assert_contains $p "<div class=\"body\" lang=\"fi\">" &&
	assert_contains $p "Kunnanhallitus hyväksyi sopimuksen." &&
	assert_contains $p "<html lang=\"sv\">"
'

test_expect_success 'in a Swedish list, an untranslated title is marked lang="fi"' '
	assert_contains $s/sv/testi/kunnat/alfa/index.html "lang=\"fi\">Sopimuksen hyväksyminen</a>" &&
	assert_contains $s/sv/testi/kunnat/alfa/index.html ">Samarbetsavtal</a>"
'

test_expect_success 'a bilingual municipality: its Swedish name first on the Swedish page' '
	p=$s/sv/testi/kunnat/alfa/index.html &&
	assert_contains $p "<h1>Alfaby</h1>" && assert_contains $p "<p class=\"alt-name\" lang=\"fi\">Alfa</p>" &&
	assert_contains $s/testi/kunnat/alfa/index.html "<p class=\"alt-name\" lang=\"sv\">Alfaby</p>"
'

test_expect_success 'hreflang alternates (fi, sv, x-default) on every page lead to pages that exist' '
	python3 langpages.py $s alternates
'

test_expect_success 'the language switcher on every page leads to the same page in the other language' '
	python3 langpages.py $s switcher
'

test_expect_success 'history pages are in their file'"'"'s language, without alternates' '
	test -f $s/testi/sopimukset/yhteistyo/historia/index.html &&
	test -f $s/sv/testi/sopimukset/yhteistyo/historia/index.html &&
	test ! -e $s/sv/testi/poytakirjat/kokous/historia &&
	assert_contains $s/sv/testi/sopimukset/yhteistyo/historia/index.html "<html lang=\"sv\">" &&
	python3 langpages.py $s history-one-language
'

test_expect_success 'a record written in Swedish: its history under /sv/, a Finnish notice at the root' '
	test -f $s/sv/testi/tiedote/historia/index.html && test ! -e $s/testi/tiedote/historia &&
	assert_contains $s/testi/tiedote/index.html "Tätä tekstiä ei ole suomeksi. Alla on sen ruotsinkielinen alkuperäisteksti." &&
	assert_contains $s/testi/tiedote/index.html "<div class=\"body\" lang=\"sv\">" &&
	assert_contains $s/testi/tiedote/index.html "href=\"../../sv/testi/tiedote/historia/\"" &&
	assert_not_contains $s/sv/testi/tiedote/index.html "untranslated"
'

test_expect_success 'a page links to the history of the text it shows' '
	assert_contains $s/sv/testi/sopimukset/yhteistyo/index.html "href=\"../../../../sv/testi/sopimukset/yhteistyo/historia/\"" &&
	assert_contains $s/sv/testi/poytakirjat/kokous/index.html "href=\"../../../../testi/poytakirjat/kokous/historia/\""
'

test_expect_success 'the parity report lists exactly the records without a translation, with how long' '
	python3 - $s/kieliversiot/index.html <<-PY
	import sys, re
	from html.parser import HTMLParser
	class P(HTMLParser):
	    def __init__(s):
	        super().__init__(); s.rows = []; s.cell = None; s.row = None
	    def handle_starttag(s, tag, a):
	        if tag == "tr": s.row = []
	        if tag == "td": s.cell = ""
	    def handle_endtag(s, tag):
	        if tag == "td" and s.row is not None: s.row.append(" ".join(s.cell.split())); s.cell = None
	        if tag == "tr" and s.row: s.rows.append(s.row); s.row = None
	    def handle_data(s, d):
	        if s.cell is not None: s.cell += d
	p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
	# the minutes lack Swedish; the Swedish page for the whole region lacks Finnish
	assert [(r[0], r[1]) for r in p.rows] == [("Sopimuksen hyväksyminen Pöytäkirja", "ruotsi"),
	                                         ("Meddelande Sivu", "suomi")], p.rows
	for r in p.rows:
	    assert re.match(r"1\.4\.2025 \(\d+ päivää\)", r[2]), r
	PY
'

test_expect_success 'the report is in Swedish too, and the municipality pages sum it up' '
	assert_contains $s/sv/kieliversiot/index.html "Språkversionernas täckning" &&
	assert_contains $s/sv/kieliversiot/index.html "<td data-label=\"Språk som saknas\">svenska</td>" &&
	assert_contains $s/testi/kunnat/alfa/index.html "Kieliversiot: Käännetty kaikille kielille 2/4 (50 %)" &&
	assert_not_contains $s/testi/kunnat/beta/index.html "parity-summary"
'

test_expect_success 'the sitemap lists each page in each language with its alternates' '
	python3 - $s/sitemap.xml <<-PY
	import sys
	import xml.etree.ElementTree as ET
	ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
	urls = ET.parse(sys.argv[1]).getroot().findall("s:url", ns)
	locs = {u.find("s:loc", ns).text: u for u in urls}
	u = locs["https://testi.example/sv/testi/sopimukset/yhteistyo/"]
	alts = {l.get("hreflang"): l.get("href") for l in u.findall("x:link", ns)}
	assert alts == {"fi": "https://testi.example/testi/sopimukset/yhteistyo/",
	                "sv": "https://testi.example/sv/testi/sopimukset/yhteistyo/",
	                "x-default": "https://testi.example/testi/sopimukset/yhteistyo/"}, alts
	assert len(locs) == len(urls) and len(urls) % 2 == 0
	PY
'

test_expect_success 'a feed per language' '
	python3 - $s/muutokset/atom.xml $s/sv/muutokset/atom.xml <<-PY
	import sys
	import xml.etree.ElementTree as ET
	a = "{http://www.w3.org/2005/Atom}"
	for f, lang, prefix in ((sys.argv[1], "fi", "https://testi.example/testi/"),
	                        (sys.argv[2], "sv", "https://testi.example/sv/testi/")):
	    root = ET.parse(f).getroot()
	    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang, f
	    links = [e.find(a + "link").get("href") for e in root.findall(a + "entry")]
	    assert links and all(l.startswith(prefix) for l in links), (f, links)
	PY
'

test_expect_success 'the same site for --jobs 1 and --jobs 4, and a rebuild equals a clean build' '
	(cd site && "$AVOIN" build -q --jobs 1 --out ../j1 && "$AVOIN" build -q --jobs 4 --out ../j4) &&
	diff -r j1 j4 &&
	printf "\nLisätty kappale.\n" >>site/content/testi/poytakirjat/kokous.md &&
	printf "\nEtt nytt stycke.\n" >>site/content/testi/sopimukset/yhteistyo.sv.md &&
	commit_all site "Muutos" "2025-05-01T10:00:00+03:00" &&
	(cd site && "$AVOIN" build -q --out ../j1 && rm -rf ../clean ../clean.cache && "$AVOIN" build -q --out ../clean) &&
	diff -r j1 clean && assert_contains clean/sv/testi/sopimukset/yhteistyo/index.html "Ett nytt stycke."
'

test_expect_success 'a removed translation: the page falls back to the original, its history stays' '
	git -C site rm -q content/testi/sopimukset/yhteistyo.sv.md &&
	commit_all site "Käännös poistettu" "2025-06-01T10:00:00+03:00" &&
	(cd site && "$AVOIN" build -q --out ../j1 && rm -rf ../clean ../clean.cache &&
		"$AVOIN" build -q --out ../clean) && diff -r j1 clean &&
	p=clean/sv/testi/sopimukset/yhteistyo/index.html &&
	assert_contains $p "<p class=\"notice untranslated\">" &&
	assert_contains $p "<h1 lang=\"fi\">Yhteistyösopimus</h1>" &&
	h=clean/sv/testi/sopimukset/yhteistyo/historia/index.html &&
	assert_contains $h "<html lang=\"sv\">" && assert_contains $h "Samarbetsavtal" &&
	test $(ls clean/sv/testi/sopimukset/yhteistyo/historia/*.html | wc -l) = 3 &&
	assert_contains clean/sv/muutokset/index.html "sv/testi/sopimukset/yhteistyo/historia/"
'

bad_translation() { # bad_translation NAME FILE "front matter" "expected error"
	new_site "$1" && mkdir -p "$(dirname "$1/content/$2")" &&
	printf -- "---\n%b---\nTeksti.\n" "$3" >"$1/content/$2" && commit_all "$1" "x" &&
	! (cd "$1" && "$AVOIN" build -q) 2>err.txt && cat err.txt && grep -q -- "$4" err.txt
}

test_expect_success 'a translation with a key of the wrong type is an error at its line' '
	bad_translation e1 testi/kunnat/alfa.sv.md "title: Alfaby\nlanguages: yes\n" \
		"content/testi/kunnat/alfa.sv.md:3: .*languages"
'

test_expect_success 'a translation of another type than its original is an error at its line' '
	bad_translation e2 testi/kunnat/alfa.sv.md "title: Alfaby\ntype: agreement\n" \
		"content/testi/kunnat/alfa.sv.md:3: .*type.*the original.s type .municipality."
'

test_expect_success 'a translation without an original is an error naming the file' '
	bad_translation e3 testi/kunnat/gamma.sv.md "title: Gamma\n" \
		"content/testi/kunnat/gamma.sv.md:1: a translation without an original: no .testi/kunnat/gamma.md."
'

test_expect_success 'a language site.yaml does not list is an error naming the file' '
	bad_translation e4 testi/kunnat/alfa.de.md "title: Alfa\n" \
		"content/testi/kunnat/alfa.de.md:1: .de. is not a language of this site (site.yaml lists fi, sv"
'

test_expect_success 'a translation into the original'"'"'s own language is an error' '
	bad_translation e5 testi/kunnat/alfa.fi.md "title: Alfa\n" \
		"content/testi/kunnat/alfa.fi.md:1: a translation into .fi., the language of its original"
'

test_done
