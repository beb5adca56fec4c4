#!/bin/sh
# Open data and calendars: every .ics read by Python's icalendar, every JSON by the
# json module, every CSV by the csv module and held to the Table Schemas of its
# datapackage.json (opendata_check.py); a hostile record round-trips through CSV,
# JSON and iCal intact and inert; a meeting added to one group changes exactly the
# calendars that hold it; a one-record commit rewrites that record's JSON and not
# another's; feeds of themes, groups and deadlines.
. "$(dirname "$0")/lib.sh"

# icalendar is Debian's python3-icalendar: Debian's own Python, where there is one
PY=/usr/bin/python3
[ -x "$PY" ] && "$PY" -c 'import icalendar' 2>/dev/null || PY=python3
CHECK="$AVOIN_TOP/tests/e2e/opendata_check.py"

HOSTILE_TITLE=$(printf '%s\n%s' '=HYPERLINK("http://evil.example/";"klikkaa"), "lainaus";' \
	'pilkku, toinen rivi, Åland ja 北京')
# as YAML: a JSON string is a YAML double-quoted scalar
yaml_str() { python3 -c 'import json, sys; print(json.dumps(sys.argv[1], ensure_ascii=False))' "$1"; }

test_expect_success 'a site with a group, a negotiation, an agreement, a translation and a hostile record' '
	new_site site &&
	printf "license: CC-BY-4.0\n" >>site/content/site.yaml &&
	mkdir -p site/content/testi/ryhmat site/content/testi/neuvottelut site/content/testi/sopimukset \
		site/content/testi/poytakirjat site/content/testi/liitteet &&
	printf "liite\n" >site/content/testi/liitteet/liite.txt &&
	cat >site/content/testi/ryhmat/liikkuva.md <<-EOF &&
	---
	type: partnership
	title: Liikkuva arki
	area: keskinen
	themes: [osallisuus]
	meets: 4 kertaa vuodessa
	next_meetings: ["2030-02-01", "2030-03-01 14:00-16:00"]
	members:
	  - {organisation: Alfan kunta, sector: kunta, municipality: alfa}
	  - {organisation: "=SUM(A1)", sector: "järjestö"}
	contact: {name: Liisa, email: liisa@example.invalid}
	---
	Ryhmä.
	EOF
	cat >site/content/testi/ryhmat/toinen.md <<-EOF &&
	---
	type: partnership
	title: Toinen ryhmä
	area: keskinen
	next_meetings: ["2030-05-01"]
	---
	Toinen.
	EOF
	cat >site/content/testi/neuvottelut/hyte.md <<-EOF &&
	---
	type: negotiation
	title: HYTE-neuvottelu
	kind: hyte
	date: 2024-01-10
	municipalities: [beta]
	next: 2031-01-10
	outcomes:
	  - {action: Tehdään suunnitelma, owner: Beta, due: 2030-06-30, status: planned}
	  - {action: Jo tehty, owner: Beta, due: 2030-07-31, status: done}
	---
	Neuvoteltiin.
	EOF
	cat >site/content/testi/sopimukset/sopimus.md <<-EOF &&
	---
	type: agreement
	title: Yhteistyösopimus
	status: signed
	signed: 2024-02-01
	parties: [testi, alfa, Yhdistys ry]
	annexes: [{title: Liite, file: liitteet/liite.txt}]
	---
	Sopimus.
	EOF
	cat >site/content/testi/sopimukset/sopimus.sv.md <<-EOF &&
	---
	title: Samarbetsavtal
	---
	Avtal.
	EOF
	long=$(python3 -c "print((\"pitkä tiivistelmä; \" * 600)[:10000])") &&
	cat >site/content/testi/neuvottelut/vihamielinen.md <<-EOF &&
	---
	type: negotiation
	title: $(yaml_str "$HOSTILE_TITLE")
	kind: cooperation
	date: 2024-03-01
	next: 2024-03-15
	municipalities: [alfa]
	summary: |
	  @ensimmäinen rivi "lainaus"
	  toinen rivi, =1+2; $long
	---
	Pöytäkirja.
	EOF
	mkdir -p site/content/toinen/kunnat &&
	printf -- "---\ntype: region\ntitle: Toinen alue\nname: Toinen\n---\nToinen.\n" \
		>site/content/toinen/region.md &&
	printf -- "---\ntype: municipality\ntitle: gamma\nname: gamma\n---\nGamma.\n" \
		>site/content/toinen/kunnat/gamma.md &&
	printf -- "---\ntype: minutes\ntitle: Toisen kokous\ndate: 2024-02-02\n---\nKokous.\n" \
		>site/content/toinen/kokous.md &&
	for d in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21; do
		printf -- "---\ntype: minutes\ntitle: Vanha kokous $d\ndate: 2020-01-$d\nmunicipalities: [alfa]\n---\nVanha.\n" \
			>site/content/testi/poytakirjat/vanha-$d.md || return 1
	done &&
	commit_all site "Sisältö" "2024-04-01T10:00:00+02:00" &&
	(cd site && "$AVOIN" build -q)
'

test_expect_success 'every calendar, JSON file, CSV table and feed passes the parsers and the schemas' '
	"$PY" "$CHECK" site/public >check.out || { cat check.out; return 1; } &&
	cat check.out &&
	grep -q "packages=3" check.out &&
	assert_file site/public/kalenteri.ics &&
	assert_file site/public/sv/testi/kalenteri.ics &&
	assert_file site/public/testi/kunnat/alfa/kalenteri.ics &&
	assert_file site/public/teemat/osallisuus/kalenteri.ics &&
	assert_file site/public/testi/ryhmat/liikkuva/kalenteri.ics &&
	assert_file site/public/teemat/osallisuus/atom.xml &&
	assert_file site/public/testi/ryhmat/liikkuva/atom.xml &&
	assert_file site/public/avoindata/testi/datapackage.json
'

test_expect_success 'the hostile record round-trips through CSV, JSON and iCal intact and inert' '
	"$PY" - "$HOSTILE_TITLE" <<-PY
	import csv, json, sys, icalendar
	title = sys.argv[1]
	pub = "site/public/"
	rec = json.load(open(pub + "testi/neuvottelut/vihamielinen/index.json", encoding="utf-8"))
	assert rec["title"] == title, rec["title"]
	summary = rec["summary"]
	assert summary.startswith("@ensimmäinen rivi \"lainaus\"\ntoinen rivi, =1+2; pitkä"), summary[:80]
	assert len(summary) > 10000, len(summary)
	rows = {r["id"]: r for r in csv.DictReader(open(pub + "avoindata/negotiations.csv", newline="", encoding="utf-8"))}
	row = rows["testi/neuvottelut/vihamielinen"]
	# a formula is shown as text: the apostrophe in front, the rest as written
	assert row["title_fi"] == "\x27" + title, row["title_fi"]
	assert row["summary_fi"] == "\x27" + summary, row["summary_fi"][:40]
	assert row["title_sv"] == "", row["title_sv"]
	members = list(csv.DictReader(open(pub + "avoindata/partnership-members.csv", newline="", encoding="utf-8")))
	assert [m["organisation"] for m in members] == ["Alfan kunta", "\x27=SUM(A1)"], members
	assert [m["sector"] for m in members] == ["kunta", "järjestö"], members
	cal = icalendar.Calendar.from_ical(open(pub + "testi/kunnat/alfa/kalenteri.ics", "rb").read())
	ev = [e for e in cal.walk("VEVENT") if "vihamielinen" in str(e["UID"])]
	assert len(ev) == 1, ev
	assert str(ev[0]["SUMMARY"]) == "Seuraava neuvottelu: " + title, str(ev[0]["SUMMARY"])
	assert str(ev[0]["DESCRIPTION"]) == summary
	assert str(ev[0]["URL"]) == "https://testi.example/testi/neuvottelut/vihamielinen/"
	# a meeting that minutes record: its organ and title, no description
	old = [e for e in cal.walk("VEVENT") if "vanha-21" in str(e["UID"])]
	assert len(old) == 1 and "DESCRIPTION" not in old[0] and str(old[0]["SUMMARY"]) == "Kokous: Vanha kokous 21", old
	PY
'

test_expect_success 'a record JSON resolves its references and lists its versions' '
	"$PY" - <<-PY
	import json
	rec = json.load(open("site/public/testi/sopimukset/sopimus/index.json", encoding="utf-8"))
	assert rec["type"] == "agreement" and rec["id"] == "testi/sopimukset/sopimus"
	assert [p.get("classification") for p in rec["parties"]] == ["region", "municipality", None], rec["parties"]
	assert rec["parties"][1]["url"] == "https://testi.example/testi/kunnat/alfa/"
	assert rec["attachments"] == [{"name": "Liite", "file": "testi/liitteet/liite.txt",
		"url": "https://testi.example/testi/liitteet/liite.txt"}], rec["attachments"]
	assert rec["translations"][0]["lang"] == "sv" and rec["translations"][0]["title"] == "Samarbetsavtal"
	assert rec["pages"]["sv"] == "https://testi.example/sv/testi/sopimukset/sopimus/"
	assert rec["front_matter"]["status"] == "signed"
	v = rec["versions"]
	assert len(v) == 1 and v[0]["change"] == "added" and v[0]["url"].endswith("/historia/" + v[0]["commit"][:7] + ".html"), v
	assert rec["created_at"] == rec["updated_at"] == "2024-04-01T10:00:00+02:00", rec["created_at"]
	PY
'

test_expect_success 'calendars: UIDs from path and date, DTSTAMP from the commit, all-day and timed events' '
	"$PY" - <<-PY
	import icalendar, datetime
	cal = icalendar.Calendar.from_ical(open("site/public/testi/ryhmat/liikkuva/kalenteri.ics", "rb").read())
	evs = {str(e["UID"]): e for e in cal.walk("VEVENT")}
	assert set(evs) == {"meeting-2030-02-01-1-testi/ryhmat/liikkuva@testi.example",
		"meeting-2030-03-01-2-testi/ryhmat/liikkuva@testi.example"}, set(evs)
	allday = evs["meeting-2030-02-01-1-testi/ryhmat/liikkuva@testi.example"]
	assert allday["DTSTART"].dt == datetime.date(2030, 2, 1) and allday["DTEND"].dt == datetime.date(2030, 2, 2)
	timed = evs["meeting-2030-03-01-2-testi/ryhmat/liikkuva@testi.example"]
	assert timed["DTSTART"].dt.hour == 14 and str(timed["DTSTART"].dt.tzinfo) == "Europe/Helsinki", timed["DTSTART"].dt
	assert timed["DTEND"].dt.hour == 16
	assert allday["DTSTAMP"].dt == datetime.datetime(2024, 4, 1, 8, 0, tzinfo=datetime.timezone.utc), allday["DTSTAMP"].dt
	sv = icalendar.Calendar.from_ical(open("site/public/sv/testi/ryhmat/liikkuva/kalenteri.ics", "rb").read())
	assert [str(e["SUMMARY"]) for e in sv.walk("VEVENT")][0].startswith("Partnerskapsgruppens möte")
	beta = icalendar.Calendar.from_ical(open("site/public/testi/kunnat/beta/kalenteri.ics", "rb").read())
	kinds = sorted(str(e["UID"]).split("-")[0] for e in beta.walk("VEVENT"))
	assert kinds == ["due", "due", "meeting", "meeting", "meeting", "negotiation"], kinds
	PY
'

test_expect_success 'calendars hold the past year, the 20 events before it and what is to come; the tables everything' '
	! grep -rl "minutes-2020-01-01-" site/public --include="*.ics" &&
	grep -q "minutes-2020-01-02-testi/poytakirjat/vanha-02" site/public/kalenteri.ics &&
	grep -q "minutes-2020-01-02-testi/poytakirjat/vanha-02" site/public/testi/kunnat/alfa/kalenteri.ics &&
	grep -q "negotiation-2024-03-15-testi/neuvottelut/vihamielinen" site/public/kalenteri.ics &&
	grep -q "^testi/poytakirjat/vanha-01," site/public/avoindata/minutes.csv
'

test_expect_success 'pages link their calendar (webcal: and plain) and the data page explains every column' '
	assert_contains site/public/testi/ryhmat/liikkuva/index.html "href=\"webcal://testi.example/testi/ryhmat/liikkuva/kalenteri.ics\"" &&
	assert_contains site/public/sv/teemat/osallisuus/index.html "href=\"webcal://testi.example/sv/teemat/osallisuus/kalenteri.ics\"" &&
	assert_contains site/public/sv/teemat/osallisuus/index.html "href=\"../../teemat/osallisuus/atom.xml\"" &&
	assert_contains site/public/index.html "href=\"webcal://testi.example/kalenteri.ics\"" &&
	"$PY" - <<-PY
	import json
	pkg = json.load(open("site/public/avoindata/datapackage.json", encoding="utf-8"))
	assert pkg["licenses"][0]["name"] == "CC-BY-4.0" and pkg["licenses"][0]["path"].startswith("https://creativecommons.org/")
	for lang, prefix in (("fi", ""), ("sv", "sv/")):
	    page = open("site/public/" + prefix + "avoindata/index.html", encoding="utf-8").read()
	    for res in pkg["resources"]:
	        for f in res.get("schema", {}).get("fields", []):
	            assert "<code>" + f["name"] + "</code>" in page, (lang, res["name"], f["name"])
	PY
'

test_expect_success 'the deadlines: what is still to come, soonest first, as a page and a feed' '
	"$PY" - <<-PY
	import xml.etree.ElementTree as ET
	A = "{http://www.w3.org/2005/Atom}"
	feed = ET.parse("site/public/maaraajat/atom.xml").getroot()
	titles = [e.find(A + "title").text for e in feed.findall(A + "entry")]
	assert titles == ["30.6.2030 – Määräaika: Tehdään suunnitelma", "10.1.2031 – Seuraava neuvottelu: HYTE-neuvottelu"], titles
	page = open("site/public/maaraajat/index.html", encoding="utf-8").read()
	assert "Tehdään suunnitelma" in page and "Jo tehty" not in page
	PY
'

# md5 of every calendar, by path
ics_sums() { (cd site/public && find . -name "*.ics" | sort | xargs md5sum); }

test_expect_success 'a meeting added to one group changes exactly the calendars that hold it' '
	ics_sums >before &&
	(cd site/public/avoindata/toinen && md5sum *) >toinen.before &&
	sed -i "s/next_meetings: \[\"2030-02-01\", /next_meetings: [\"2030-01-15\", \"2030-02-01\", /" \
		site/content/testi/ryhmat/liikkuva.md &&
	commit_all site "Uusi kokous" "2024-05-01T10:00:00+03:00" &&
	(cd site && "$AVOIN" build -q) &&
	ics_sums >after &&
	diff before after | sed -n "s/^> [0-9a-f]*  \.\///p" | sort >changed &&
	for l in "" sv/; do
		for p in kalenteri.ics testi/kalenteri.ics testi/kunnat/alfa/kalenteri.ics \
			testi/kunnat/beta/kalenteri.ics teemat/osallisuus/kalenteri.ics \
			testi/ryhmat/liikkuva/kalenteri.ics; do echo "$l$p"; done
	done | sort >expected &&
	diff expected changed &&
	(cd site/public/avoindata/toinen && md5sum *) | diff toinen.before - &&
	! cmp -s site/public/avoindata/testi/partnerships.csv /dev/null
'

test_expect_success 'that commit rewrote the group JSON and the tables, not another record JSON' '
	"$PY" - <<-PY &&
	import json
	rec = json.load(open("site/public/testi/ryhmat/liikkuva/index.json", encoding="utf-8"))
	assert rec["front_matter"]["next_meetings"][0] == "2030-01-15"
	assert [v["change"] for v in rec["versions"]] == ["modified", "added"], rec["versions"]
	PY
	[ site/public/testi/ryhmat/toinen/index.json -ot site/public/testi/ryhmat/liikkuva/index.json ] &&
	assert_contains site/public/avoindata/partnerships.csv "2030-01-15;2030-02-01" &&
	"$PY" "$CHECK" site/public >/dev/null &&
	"$PY" - <<-PY
	import xml.etree.ElementTree as ET
	A = "{http://www.w3.org/2005/Atom}"
	feed = ET.parse("site/public/testi/ryhmat/liikkuva/atom.xml").getroot()
	assert len(feed.findall(A + "entry")) == 2, len(feed.findall(A + "entry"))
	other = ET.parse("site/public/testi/ryhmat/toinen/atom.xml").getroot()
	assert len(other.findall(A + "entry")) == 1
	PY
'

test_expect_success 'the rebuild equals a clean build, and --jobs 1 equals --jobs 4' '
	(cd site && "$AVOIN" build -q --out ../clean1 --jobs 1 && "$AVOIN" build -q --out ../clean4 --jobs 4) &&
	diff -r clean1 clean4 && diff -r clean1 site/public
'

test_expect_success 'a licence that is not an SPDX identifier is an error with file and line' '
	sed -i "s/^license: CC-BY-4.0$/license: \"CC BY 4.0\"/" site/content/site.yaml &&
	commit_all site "Lisenssi" "2024-06-01T10:00:00+03:00" &&
	! (cd site && "$AVOIN" build -q) 2>err &&
	cat err && grep -q "content/site.yaml:[0-9]*:.*license.*SPDX" err
'

test_done
