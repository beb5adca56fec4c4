#!/usr/bin/env python3
"""Writes a synthetic Avoin content repository, for benchmarks.

    gen-corpus.py --out DIR --records N --commits C --seed S

DIR must not exist (or be empty). The result is a git repository on branch
`main` whose HEAD holds exactly N records (`.md` files, the regions and
municipalities included) under `content/`, in the format of doc/handbook.md:
nine wellbeing services counties with their real municipalities, and records
of every type with Finnish-looking bodies (headings, lists, links, indicator
blocks). The history has C commits between 2021-06-01 and 2025-10-31 by a pool
of authors: the first creates the site, the regions, the municipalities and a
first batch of records; the others add, edit, rename (delete + add of the same
blob, as `git mv`), move to `arkisto/` and delete records.

The same arguments give the same repository, commit ids included: all choices
come from random.Random(seed), and nothing depends on the clock, the machine or
hash order. The stream goes to `git fast-import`, each version of a file sent
once as a blob, each commit naming only the files it changes; then the objects
are repacked as git lays out a repository (see main; --pack gc and --pack
fast-import give the layouts an import leaves).

Shape knobs (the default shape is unchanged by them): --indicator-blocks X adds
X indicator blocks per record on average, --region-files puts data files and
annexes in each region's data/ and liitteet/ folders, named by reports,
agreements and src= blocks.

Every commit's tree is a valid site. Regions, municipalities, themes and areas
never change after the first commit, and links only point at regions,
municipalities and "anchor" records, which are never renamed, deleted or held
back as drafts; so checking every file a commit writes (front matter, links,
indicator blocks), and that no removed file is linked to, checks the whole
tree. The generator runs these checks and fails on any violation; at the end it
checks every file of HEAD again.
"""
import argparse
import datetime
import os
import random
import re
import shutil
import subprocess
import sys
import time

# ----------------------------------------------------------------------------
# Fixed data: the counties, their municipalities (name, Swedish name or None)
# and a plausible division into cooperation areas.

REGIONS = [
    ("pohjois-karjala", "Pohjois-Karjala", "Pohjois-Karjalan hyvinvointialue",
     "Norra Karelens välfärdsområde", "Siun sote", [
         ("Keskinen", [("Joensuu", None), ("Kontiolahti", "Kontiolax"), ("Ilomantsi", "Ilomants")]),
         ("Pohjoinen", [("Juuka", "Juga"), ("Lieksa", None), ("Nurmes", None)]),
         ("Läntinen", [("Heinävesi", None), ("Liperi", "Libelits"), ("Outokumpu", None),
                       ("Polvijärvi", None)]),
         ("Eteläinen", [("Kitee", "Kides"), ("Rääkkylä", None), ("Tohmajärvi", None)]),
     ]),
    ("keski-suomi", "Keski-Suomi", "Keski-Suomen hyvinvointialue",
     "Mellersta Finlands välfärdsområde", "Hyvaks", [
         ("Keskinen", [("Jyväskylä", None), ("Laukaa", None), ("Muurame", None),
                       ("Uurainen", None), ("Toivakka", None), ("Petäjävesi", None)]),
         ("Pohjoinen", [("Äänekoski", None), ("Viitasaari", None), ("Pihtipudas", None),
                        ("Kinnula", None), ("Kivijärvi", None), ("Konnevesi", None)]),
         ("Läntinen", [("Saarijärvi", None), ("Karstula", None), ("Kannonkoski", None),
                       ("Kyyjärvi", None), ("Multia", None), ("Keuruu", None)]),
         ("Eteläinen", [("Jämsä", None), ("Joutsa", None), ("Luhanka", None),
                        ("Hankasalmi", None)]),
     ]),
    ("pirkanmaa", "Pirkanmaa", "Pirkanmaan hyvinvointialue",
     "Birkalands välfärdsområde", "Pirha", [
         ("Keskinen", [("Tampere", "Tammerfors"), ("Kangasala", None), ("Lempäälä", None),
                       ("Nokia", None), ("Pirkkala", "Birkala"), ("Ylöjärvi", None),
                       ("Vesilahti", None), ("Orivesi", None)]),
         ("Pohjoinen", [("Ikaalinen", "Ikalis"), ("Kihniö", None), ("Parkano", None),
                        ("Ruovesi", None), ("Virrat", "Virdois"), ("Mänttä-Vilppula", None),
                        ("Juupajoki", None), ("Hämeenkyrö", "Tavastkyro")]),
         ("Eteläinen", [("Akaa", None), ("Valkeakoski", None), ("Urjala", None),
                        ("Pälkäne", None), ("Kuhmoinen", None)]),
         ("Läntinen", [("Sastamala", None), ("Punkalaidun", None)]),
     ]),
    ("varsinais-suomi", "Varsinais-Suomi", "Varsinais-Suomen hyvinvointialue",
     "Egentliga Finlands välfärdsområde", "Varha", [
         ("Turun seutu", [("Turku", "Åbo"), ("Kaarina", "S:t Karins"), ("Raisio", "Reso"),
                          ("Naantali", "Nådendal"), ("Lieto", "Lundo"), ("Masku", "Masko"),
                          ("Rusko", None), ("Nousiainen", "Nousis"), ("Mynämäki", "Virmo"),
                          ("Aura", None), ("Paimio", "Pemar"), ("Sauvo", "Sagu")]),
         ("Vakka-Suomi", [("Uusikaupunki", "Nystad"), ("Laitila", "Letala"),
                          ("Pyhäranta", None), ("Vehmaa", "Vehmå"), ("Taivassalo", "Tövsala"),
                          ("Kustavi", "Gustavs")]),
         ("Loimaan seutu", [("Loimaa", None), ("Oripää", None), ("Pöytyä", None),
                            ("Marttila", "S:t Mårtens"), ("Koski Tl", "Koskis")]),
         ("Salon seutu", [("Salo", None), ("Somero", None)]),
         ("Turunmaa", [("Parainen", "Pargas"), ("Kemiönsaari", "Kimitoön")]),
     ]),
    ("pohjois-savo", "Pohjois-Savo", "Pohjois-Savon hyvinvointialue",
     "Norra Savolax välfärdsområde", "Pohjois-Savon hyvinvointialue", [
         ("Keskinen", [("Kuopio", None), ("Siilinjärvi", None), ("Tuusniemi", None),
                       ("Kaavi", None)]),
         ("Pohjoinen", [("Iisalmi", "Idensalmi"), ("Kiuruvesi", None), ("Lapinlahti", None),
                        ("Sonkajärvi", None), ("Vieremä", None), ("Rautavaara", None),
                        ("Keitele", None), ("Pielavesi", None), ("Vesanto", None),
                        ("Tervo", None)]),
         ("Eteläinen", [("Varkaus", None), ("Joroinen", "Jorois"), ("Leppävirta", None),
                        ("Suonenjoki", None), ("Rautalampi", None)]),
     ]),
    ("lappi", "Lappi", "Lapin hyvinvointialue", "Lapplands välfärdsområde", "Lapha", [
        ("Länsi-Pohja", [("Kemi", None), ("Tornio", "Torneå"), ("Keminmaa", None),
                         ("Simo", None), ("Tervola", None), ("Ylitornio", "Övertorneå")]),
        ("Itä-Lappi", [("Kemijärvi", None), ("Pelkosenniemi", None), ("Posio", None),
                       ("Salla", None), ("Savukoski", None)]),
        ("Tunturi-Lappi", [("Enontekiö", "Enontekis"), ("Kittilä", None), ("Kolari", None),
                           ("Muonio", None)]),
        ("Pohjois-Lappi", [("Inari", "Enare"), ("Sodankylä", None), ("Utsjoki", None)]),
        ("Rovaniemen seutu", [("Rovaniemi", None), ("Ranua", None), ("Pello", None)]),
    ]),
    ("keski-pohjanmaa", "Keski-Pohjanmaa", "Keski-Pohjanmaan hyvinvointialue",
     "Mellersta Österbottens välfärdsområde", "Soite", [
         ("Keskinen", [("Kokkola", "Karleby")]),
         ("Eteläinen", [("Kaustinen", "Kaustby"), ("Halsua", None), ("Perho", None),
                        ("Veteli", "Vetil")]),
         ("Pohjoinen", [("Kannus", None), ("Toholampi", None), ("Lestijärvi", None)]),
     ]),
    ("kainuu", "Kainuu", "Kainuun hyvinvointialue", "Kajanalands välfärdsområde",
     "Kainuun hyvinvointialue", [
         ("Keskinen", [("Kajaani", "Kajana"), ("Paltamo", None), ("Ristijärvi", None),
                       ("Sotkamo", None)]),
         ("Pohjoinen", [("Suomussalmi", None), ("Hyrynsalmi", None), ("Puolanka", None)]),
         ("Itäinen", [("Kuhmo", None)]),
     ]),
    ("etela-karjala", "Etelä-Karjala", "Etelä-Karjalan hyvinvointialue",
     "Södra Karelens välfärdsområde", "Eksote", [
         ("Keskinen", [("Lappeenranta", "Villmanstrand"), ("Lemi", None),
                       ("Taipalsaari", None), ("Luumäki", None), ("Savitaipale", None)]),
         ("Itäinen", [("Imatra", None), ("Ruokolahti", None), ("Rautjärvi", None),
                      ("Parikkala", None)]),
     ]),
]

BILINGUAL = {"turku", "parainen", "kemionsaari", "kokkola"}

THEMES = [
    ("elintavat", "Elintavat", "Levnadsvanor", "Lifestyles"),
    ("mielen-hyvinvointi", "Mielen hyvinvointi", "Psykiskt välbefinnande", "Mental wellbeing"),
    ("ehkaiseva-paihdetyo", "Ehkäisevä päihdetyö", "Förebyggande missbruksarbete",
     "Substance abuse prevention"),
    ("arjen-turvallisuus", "Arjen turvallisuus", "Trygghet i vardagen", "Everyday safety"),
    ("osallisuus", "Osallisuus", "Delaktighet", "Participation"),
    ("liikunta", "Liikunnallinen elämäntapa", "Fysiskt aktiv livsstil",
     "Physically active lifestyle"),
]
THEME_SLUGS = [t[0] for t in THEMES]

AUTHORS = [
    "Aino Virtanen", "Mikko Korhonen", "Liisa Mäkinen", "Juha Nieminen", "Sanna Heikkinen",
    "Timo Koskinen", "Päivi Järvinen", "Jari Lehtonen", "Tiina Hämäläinen", "Kari Laine",
    "Minna Salminen", "Pekka Heinonen", "Riikka Kinnunen", "Antti Turunen", "Heli Aalto",
    "Ville Saarinen", "Anne Lindholm", "Markku Räsänen", "Eeva Karjalainen", "Olli Pitkänen",
]

FOLDERS = {
    "agreement": "sopimukset", "minutes": "poytakirjat", "negotiation": "neuvottelut",
    "report": "raportit", "partnership": "kumppanuuspoydat", "page": "sivut",
}
TYPE_WEIGHTS = [("minutes", 40), ("agreement", 14), ("negotiation", 14), ("report", 10),
                ("partnership", 8), ("page", 14)]

AGREEMENT_STATUS = ["draft", "approved", "signed", "expired"]
NEGOTIATION_KINDS = ["hyte", "cooperation"]
OUTCOME_STATUS = ["planned", "in-progress", "done", "cancelled"]
REPORT_KINDS = ["wellbeing-report", "wellbeing-plan", "annual-report"]
SECTORS = ["kunta", "hyvinvointialue", "järjestö", "seurakunta", "yritys", "oppilaitos", "valtio"]

MUNI_ORGANS = ["Kunnanhallitus", "Kaupunginhallitus", "Hyvinvointilautakunta",
               "Sivistyslautakunta", "Vapaa-aikalautakunta", "Kunnanvaltuusto"]
REGION_ORGANS = ["Aluehallitus", "Aluevaltuusto",
                 "Hyvinvoinnin ja terveyden edistämisen lautakunta", "Yhteistyötyöryhmä"]
TOPICS = [
    "hyvinvointikertomuksen hyväksyminen", "edustajien nimeäminen kumppanuusryhmään",
    "ehkäisevän päihdetyön toimintasuunnitelma", "yhteistyösopimuksen hyväksyminen",
    "liikuntaolosuhteiden kehittäminen", "nuorten osallisuusryhmän perustaminen",
    "järjestöavustusten periaatteet", "kotoutumisohjelman päivitys",
    "perhekeskustoiminnan yhteistyö", "arjen turvallisuuden suunnitelma",
    "yksinäisyyden vähentäminen", "mielen hyvinvoinnin toimenpiteet",
    "hyte-koordinaattorin nimeäminen", "ikääntyneiden palveluiden yhdyspinnat",
    "lasten ja nuorten hyvinvointisuunnitelma", "työllisyyspalveluiden yhteistyö",
    "valmius- ja varautumissuunnitelma", "hyvinvointikyselyn tulokset",
]
ROLES = ["Hyvinvointikoordinaattori", "Kunnanjohtaja", "Kaupunginjohtaja", "Sivistysjohtaja",
         "Kehittämisjohtaja", "Hyte-päällikkö", "Kumppanuuspäällikkö", "Vapaa-aikajohtaja"]
ORGS = ["Maakuntaliitto", "ELY-keskus", "Kela", "Poliisi", "Seurakuntayhtymä", "MLL:n piiri",
        "Liikuntaseura", "Ammattiopisto", "Yrittäjäyhdistys", "Kylätoimikunta", "Nuorisoseura",
        "Eläkeläisyhdistys"]
ORG_SECTOR = {"Maakuntaliitto": "kunta", "ELY-keskus": "valtio", "Kela": "valtio",
              "Poliisi": "valtio", "Seurakuntayhtymä": "seurakunta", "MLL:n piiri": "järjestö",
              "Liikuntaseura": "järjestö", "Ammattiopisto": "oppilaitos",
              "Yrittäjäyhdistys": "yritys", "Kylätoimikunta": "järjestö",
              "Nuorisoseura": "järjestö", "Eläkeläisyhdistys": "järjestö"}
INDICATORS = [("Asiakkaat", "asiakasta"), ("Kuntouttava työtoiminta, asiakkaat", "asiakasta"),
              ("Liikuntaryhmien osallistujat", "henkilöä"), ("Nuorisotyön kontaktit", "kontaktia"),
              ("Perhekeskuksen käynnit", "käyntiä"), ("Päihdetyön tapahtumat", "tapahtumaa")]
HEADINGS = ["Tausta", "Nykytilanne", "Tavoitteet", "Toimenpiteet", "Seuranta", "Vastuut",
            "Aikataulu", "Resurssit", "Yhteistyö", "Jatkotoimet", "Havainnot"]

WORDS = """hyvinvointi yhteistyö kunta alue toiminta palvelut asukkaat lapset nuoret ikääntyneet
järjestöt seuranta tavoitteet toimenpiteet kehittäminen osallisuus terveys edistäminen verkosto
suunnitelma kertomus arviointi tieto johtaminen yhdyspinta työnjako sopimus neuvottelu valmistelu
ehdotus lautakunta valtuusto vuosi kausi tilanne haaste mahdollisuus resurssit rahoitus hanke
koordinaattori vastuuhenkilö kumppanuus yhteisö liikunta elintavat mielenterveys päihteet
yksinäisyys turvallisuus kotoutuminen työllisyys perhekeskus oppilashuolto koulu varhaiskasvatus
ehkäisevä yhteinen alueellinen paikallinen keskeinen tärkeä uusi nykyinen jatkuva säännöllinen
vuosittainen sovittiin todettiin käsiteltiin esitettiin valmisteltiin hyväksyttiin seurataan
vahvistetaan tuetaan kehitetään arvioidaan tarkennetaan toteutetaan jatketaan käynnistetään
huomioidaan myös lisäksi sekä ja että kanssa osalta mukaan aikana jälkeen kautta yhdessä
erityisesti edelleen tarvittaessa kuntalaiset työryhmä asiantuntijat indikaattorit kyselyn
tulokset painopisteet kokous esittely tiedonkulku toimintamalli rakenne yhdyshenkilö
vastuunjako liite taulukko aikataulu kevät syksy kuukausi viikko""".split()


def slugify(name):
    s = name.lower()
    for a, b in (("ä", "a"), ("ö", "o"), ("å", "a"), (" ", "-"), (":", "")):
        s = s.replace(a, b)
    s = re.sub(r"[^a-z0-9-]", "", s)
    return s


SLUG_RE = re.compile(r"^[a-z0-9-]+$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LINK_RE = re.compile(r"\]\(([^)\s]+)\)")

START = datetime.datetime(2021, 6, 1, 8, 0, 0, tzinfo=datetime.timezone.utc)
END = datetime.datetime(2025, 10, 31, 15, 0, 0, tzinfo=datetime.timezone.utc)


class Fail(Exception):
    pass


# ----------------------------------------------------------------------------
# YAML emission for the subset written here. Strings are quoted unless they are
# wrapped in Bare (slugs, dates, e-mail-free plain words known to be safe).

class Bare(str):
    pass


def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, Bare):
        return str(v)
    return q(v)


def emit(out, key, v, ind):
    pad = " " * ind
    if isinstance(v, list):
        if all(not isinstance(x, (dict, list)) for x in v):
            out.append("%s%s: [%s]" % (pad, key, ", ".join(scalar(x) for x in v)))
            return
        out.append("%s%s:" % (pad, key))
        for item in v:
            first = True
            for k, x in item.items():
                if first:
                    sub = []
                    emit(sub, k, x, ind + 4)
                    sub[0] = pad + "  - " + sub[0][ind + 4:]
                    out.extend(sub)
                    first = False
                else:
                    emit(out, k, x, ind + 4)
        return
    if isinstance(v, dict):
        out.append("%s%s:" % (pad, key))
        for k, x in v.items():
            emit(out, k, x, ind + 2)
        return
    out.append("%s%s: %s" % (pad, key, scalar(v)))


def render(meta, blocks):
    out = ["---"]
    for k, v in meta.items():
        emit(out, k, v, 0)
    out.append("---")
    return ("\n".join(out) + "\n" + "\n\n".join(blocks) + "\n").encode("utf-8")


# ----------------------------------------------------------------------------

class Record:
    __slots__ = ("rid", "region", "folder", "slug", "type", "meta", "blocks", "anchor",
                 "links", "data")

    def __init__(self, rid, region, folder, slug, rtype):
        self.rid = rid
        self.region = region
        self.folder = folder        # None for region.md
        self.slug = slug
        self.type = rtype
        self.meta = {}
        self.blocks = []
        self.anchor = False
        self.links = []             # content paths this record links to
        self.data = b""

    @property
    def path(self):
        if self.type == "region":
            return "%s/region.md" % self.region.slug
        return "%s/%s/%s.md" % (self.region.slug, self.folder, self.slug)


class Region:
    def __init__(self, spec):
        self.slug, self.title, self.name, self.name_sv, self.org, areas = spec
        self.areas = []             # [(slug, name, [muni slugs])]
        self.munis = []             # [(slug, name, name_sv)]
        for aname, ms in areas:
            slugs = []
            for mname, msv in ms:
                slugs.append(slugify(mname))
                self.munis.append((slugify(mname), mname, msv))
            self.areas.append((slugify(aname), aname, slugs))
        self.muni_slugs = [m[0] for m in self.munis]
        self.muni_names = {m[0]: m[1] for m in self.munis}
        self.muni_set = set(self.muni_slugs)
        self.area_set = {a[0] for a in self.areas}
        self.anchors = []           # paths of records that are never renamed, deleted or drafts
        self.weight = len(self.munis) + 5
        self.data_files = []        # --region-files: data/<name> and liitteet/<name> of the region
        self.annex_files = []


def helsinki_offset(dt):
    """+0300 in EU summer time (last Sunday of March to last Sunday of October, 01:00 UTC)."""
    y = dt.year

    def last_sunday(month):
        d = datetime.datetime(y, month, 31 if month in (3, 10) else 30, 1, 0,
                              tzinfo=datetime.timezone.utc)
        return d - datetime.timedelta(days=(d.weekday() + 1) % 7)
    return 3 if last_sunday(3) <= dt < last_sunday(10) else 2


class Gen:
    def __init__(self, args):
        self.rng = random.Random(args.seed)
        # The shape knobs draw from a stream of their own, so that the default shape
        # (no knob given) is the same repository, commit ids included, as before them.
        self.rng2 = random.Random(args.seed * 1000003 + 17)
        self.ind_mean = args.indicator_blocks
        # "fi": the same corpus for a site in Finnish only: no lang: sv, no bilingual municipalities
        self.swedish = args.languages == "fi,sv"
        self.region_files = args.region_files
        self.n = args.records
        self.c = args.commits
        self.regions = [Region(s) for s in REGIONS]
        self.by_slug = {r.slug: r for r in self.regions}
        self.all_munis = set()
        for r in self.regions:
            for m in r.muni_slugs:
                if m in self.all_munis:
                    raise Fail("municipality %r is in two regions" % m)
                self.all_munis.add(m)
        self.live = {}              # path -> Record
        self.live_list = []         # records other than region/municipality, for sampling
        self.live_index = {}        # rid -> index in live_list
        self.used_paths = set()
        self.linked_by = {}         # path -> count of live records linking to it
        self.next_rid = 0
        self.next_mark = 0
        self.blob_marks = {}        # bytes -> mark
        self.out = None
        self.now = START
        self.stats = {"add": 0, "edit": 0, "rename": 0, "move": 0, "delete": 0}
        self.authors = [(a, "%s@example.invalid" % slugify(a).replace("-", ".")) for a in AUTHORS]

    # --- text ------------------------------------------------------------

    def sentence(self, lo=6, hi=14):
        w = self.rng.choices(WORDS, k=self.rng.randint(lo, hi))
        return w[0].capitalize() + " " + " ".join(w[1:]) + "."

    def paragraph(self):
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))

    def bullet_list(self):
        return "\n".join("- " + self.sentence(3, 8) for _ in range(self.rng.randint(2, 6)))

    def indicator_rows(self, region, rng):
        y0 = rng.randint(2019, 2022)
        cols = [str(y0 + i) for i in range(rng.randint(3, 5))]
        rows = ["Alue\t" + "\t".join(cols)]
        for _, aname, _ in region.areas:
            v = rng.randint(10, 200)
            cells = []
            for _ in cols:
                v = max(0, v + rng.randint(-15, 30))
                cells.append(str(v))
            rows.append(aname + "\t" + "\t".join(cells))
        return rows

    def indicator(self, region, rng=None):
        rng = rng or self.rng
        title, unit = rng.choice(INDICATORS)
        rows = self.indicator_rows(region, rng)
        return '```indicator title="%s" unit="%s"\n%s\n```' % (title, unit, "\n".join(rows))

    def extra_indicators(self, rec):
        """--indicator-blocks: blocks added to a record (a mean of X per record), some of them
        naming a data file of the region with src= (--region-files)."""
        x = self.ind_mean or 0
        k = int(x) + (1 if self.rng2.random() < x - int(x) else 0)
        out = []
        for _ in range(k):
            if self.region_files and self.rng2.random() < 0.3:
                title, unit = self.rng2.choice(INDICATORS)
                out.append('```indicator title="%s" unit="%s" src="data/%s"\n```'
                           % (title, unit, self.rng2.choice(rec.region.data_files)))
            else:
                out.append(self.indicator(rec.region, self.rng2))
        return out

    def region_file_keys(self, rec, m):
        """--region-files: reports name data files of the region, agreements annexes."""
        g = rec.region
        if rec.type == "report":
            m["indicators"] = self.rng2.sample(g.data_files, self.rng2.randint(1, 2))
            m["indicators"] = ["data/" + f for f in m["indicators"]]
        elif rec.type == "agreement" and self.rng2.random() < 0.7:
            m["annexes"] = [{"title": "Liite %d" % (i + 1), "file": "liitteet/" + f}
                            for i, f in enumerate(self.rng2.sample(g.annex_files,
                                                                    self.rng2.randint(1, 2)))]

    def link_para(self, rec):
        """A paragraph with 1-3 links, to targets that exist and never go away."""
        g = rec.region
        cands = [("../region.md", g.name)]
        ms = rec.meta.get("municipalities") or []
        m = self.rng.choice(ms) if ms else self.rng.choice(g.muni_slugs)
        cands.append(("../kunnat/%s.md" % m, g.muni_names[m]))
        m = self.rng.choice(g.muni_slugs)
        cands.append(("/%s/kunnat/%s/" % (g.slug, m), g.muni_names[m]))
        if g.anchors:
            a = self.rng.choice(g.anchors)
            if a != rec.path:
                cands.append(("../" + a.split("/", 1)[1], self.rng.choice(
                    ["aiempi käsittely", "taustamateriaali", "liittyvä asiakirja"])))
        k = self.rng.randint(1, min(3, len(cands)))
        picked = self.rng.sample(cands, k)
        links = ", ".join("[%s](%s)" % (text, dst) for dst, text in picked)
        return "Katso myös: %s. %s" % (links, self.sentence(4, 8))

    def body(self, rec):
        blocks = [self.paragraph()]
        if rec.type == "minutes":
            blocks.append("## Asian valmistelu")
            for _ in range(self.rng.randint(1, 4)):
                blocks.append(self.paragraph())
            if self.rng.random() < 0.5:
                blocks.append(self.bullet_list())
            blocks.append(self.link_para(rec))
            if self.rng.random() < 0.1:
                blocks.append(self.indicator(rec.region))
            blocks.append("## Päätösesitys")
            blocks.append(self.paragraph())
            blocks.append("## Päätös")
            blocks.append("Ehdotus hyväksyttiin. " + self.sentence())
        else:
            n_sec = self.rng.randint(1, 4)
            heads = self.rng.sample(HEADINGS, n_sec)
            link_at = self.rng.randrange(n_sec)
            ind_at = self.rng.randrange(n_sec) if self.rng.random() < 0.1 else -1
            for i, h in enumerate(heads):
                blocks.append("## " + h)
                for _ in range(self.rng.randint(1, 3)):
                    blocks.append(self.paragraph())
                if self.rng.random() < 0.4:
                    blocks.append(self.bullet_list())
                if i == link_at:
                    blocks.append(self.link_para(rec))
                if i == ind_at:
                    blocks.append(self.indicator(rec.region))
        return blocks

    # --- dates -----------------------------------------------------------

    def day(self, lo, hi):
        """A date (YYYY-MM-DD) lo..hi days from now."""
        d = (self.now + datetime.timedelta(days=self.rng.randint(lo, hi))).date()
        return Bare(d.isoformat())

    # --- records ---------------------------------------------------------

    def new_slug(self, region, folder, base):
        slug = base
        i = 2
        while "%s/%s/%s.md" % (region.slug, folder, slug) in self.used_paths:
            slug = "%s-%d" % (base, i)
            i += 1
        return slug

    def pick_munis(self, g, lo, hi):
        k = self.rng.randint(lo, hi)
        if k == 0:
            return []
        return [Bare(m) for m in self.rng.sample(g.muni_slugs, min(k, len(g.muni_slugs)))]

    def pick_themes(self, lo=1, hi=3):
        return [Bare(t) for t in self.rng.sample(THEME_SLUGS, self.rng.randint(lo, hi))]

    def person(self):
        first = self.rng.choice(["Anna", "Jukka", "Maria", "Tuomas", "Katja", "Harri", "Satu",
                                 "Janne", "Elina", "Petri", "Hanna", "Matti"])
        last = self.rng.choice(["Mononen", "Hyvönen", "Tolvanen", "Rantanen", "Leinonen",
                                "Savolainen", "Manninen", "Kettunen", "Ahonen", "Jokinen"])
        return first, last

    def make_record(self, g, rtype):
        rid = self.next_rid
        self.next_rid += 1
        m = {"type": Bare(rtype)}
        topic = self.rng.choice(TOPICS)
        if rtype == "minutes":
            munis = self.pick_munis(g, 0, 1) if self.rng.random() < 0.7 else []
            organ = self.rng.choice(MUNI_ORGANS if munis else REGION_ORGANS)
            date = self.day(-25, -1)
            sec = self.rng.randint(1, 400)
            where = g.muni_names[munis[0]] if munis else g.title
            m["title"] = "%s, %s %s § %d: %s" % (where, organ, date, sec, topic.capitalize())
            m["date"] = date
            m["body"] = organ
            m["section"] = sec
            m["diary"] = Bare("%d/00.04.01/%s" % (self.rng.randint(10, 999), date[:4]))
            m["preparers"] = ["%s %s %s" % ((self.rng.choice(ROLES),) + self.person())]
            if munis:
                m["municipalities"] = munis
            slug = self.new_slug(g, "poytakirjat", "%s-%s-%d" % (date, slugify(organ)[:30].strip("-"), sec))
        elif rtype == "agreement":
            munis = self.pick_munis(g, 1, 4)
            m["title"] = "Yhteistyösopimus: %s" % topic
            status = self.rng.choice(["draft", "draft", "approved", "signed", "signed"])
            m["status"] = Bare(status)
            m["parties"] = [Bare(g.slug)] + munis + [self.rng.choice(ORGS)]
            if status == "signed":
                m["signed"] = self.day(-60, -1)
                m["valid_from"] = m["signed"]
                m["valid_until"] = Bare("%d-12-31" % (int(m["signed"][:4]) + self.rng.randint(1, 4)))
            m["legal_basis"] = self.rng.choice(["611/2021 14 §", "612/2021 7 §", "612/2021 6 §"])
            m["municipalities"] = munis
            slug = self.new_slug(g, "sopimukset", "%d-%s" % (self.now.year, slugify(topic)[:40].strip("-")))
        elif rtype == "negotiation":
            kind = self.rng.choice(NEGOTIATION_KINDS)
            date = self.day(-30, -1)
            m["title"] = "%s %s: %s" % ("Hyte-neuvottelu" if kind == "hyte" else "Yhteistyöneuvottelu",
                                        date[:4], topic)
            m["kind"] = Bare(kind)
            m["date"] = date
            m["participants"] = [g.org] + self.rng.sample(ORGS, self.rng.randint(1, 3))
            m["municipalities"] = self.pick_munis(g, 0, 5)
            m["outcomes"] = [self.outcome(g) for _ in range(self.rng.randint(1, 4))]
            m["next"] = Bare("%d-%s" % (int(date[:4]) + 1, date[5:] if date[5:] != "02-29" else "02-28"))
            slug = self.new_slug(g, "neuvottelut", "%s-%s" % (date, kind))
        elif rtype == "report":
            kind = self.rng.choice(REPORT_KINDS)
            y = self.now.year
            m["title"] = {"wellbeing-report": "Hyvinvointikertomus", "wellbeing-plan":
                          "Hyvinvointisuunnitelma", "annual-report": "Vuosiraportti"}[kind] + " " + \
                ("%d-%d" % (y, y + 3) if kind != "annual-report" else str(y - 1))
            m["kind"] = Bare(kind)
            m["period"] = "%d-%d" % (y, y + 3) if kind != "annual-report" else str(y - 1)
            m["priorities"] = [self.sentence(2, 4)[:-1] for _ in range(self.rng.randint(1, 4))]
            if self.rng.random() < 0.6:
                m["approved"] = {"by": self.rng.choice(REGION_ORGANS), "date": self.day(-40, -1)}
            m["municipalities"] = self.pick_munis(g, 0, 2)
            slug = self.new_slug(g, "raportit", slugify(m["title"]))
        elif rtype == "partnership":
            area = self.rng.choice(g.areas)
            m["title"] = "Kumppanuuspöytä %s: %s" % (area[1], topic)
            m["area"] = Bare(area[0])
            members = [{"organisation": g.org, "sector": Bare("hyvinvointialue"),
                        "role": "koordinointi"}]
            for ms in area[2][:self.rng.randint(1, 4)]:
                members.append({"organisation": g.muni_names[ms],
                                "sector": Bare("kunta"), "role": "jäsen"})
            for o in self.rng.sample(ORGS, self.rng.randint(1, 3)):
                members.append({"organisation": o, "sector": Bare(ORG_SECTOR[o]), "role": "jäsen"})
            m["members"] = members
            m["meets"] = self.rng.choice(["1-3 kertaa vuodessa", "kerran kuukaudessa",
                                          "neljännesvuosittain"])
            m["next_meetings"] = sorted(self.day(10, 200) for _ in range(self.rng.randint(1, 3)))
            f, l = self.person()
            m["contact"] = {"name": "%s %s" % (f, l),
                            "email": "%s.%s@example.invalid" % (slugify(f), slugify(l))}
            m["join"] = self.sentence(5, 10)
            slug = self.new_slug(g, "kumppanuuspoydat", "%s-%s" % (area[0], slugify(topic)[:30].strip("-")))
        else:
            m["title"] = topic.capitalize()
            m["municipalities"] = self.pick_munis(g, 0, 2)
            slug = self.new_slug(g, "sivut", slugify(topic))
        if "themes" not in m:
            m["themes"] = self.pick_themes()
        if self.rng.random() < 0.3:
            m["summary"] = self.sentence(8, 20)
        if self.rng.random() < 0.03 and self.swedish:
            m["lang"] = Bare("sv")
        rec = Record(rid, g, FOLDERS[rtype], slug, rtype)
        if self.rng.random() < 0.02:
            m["draft"] = True
        elif self.rng.random() < 0.15:
            rec.anchor = True
        rec.meta = m
        rec.blocks = self.body(rec)
        if self.ind_mean:
            rec.blocks += self.extra_indicators(rec)
        if self.region_files:
            self.region_file_keys(rec, m)
        return rec

    def outcome(self, g):
        o = {"action": self.sentence(4, 9)[:-1], "owner": self.rng.choice([g.org] + ORGS)}
        if self.rng.random() < 0.7:
            o["due"] = self.day(20, 300)
        o["status"] = Bare(self.rng.choice(["planned", "planned", "in-progress"]))
        return o

    # --- validation ------------------------------------------------------

    def check_date(self, path, key, v):
        if not isinstance(v, str) or not DATE_RE.match(v):
            raise Fail("%s: %r is not an ISO date (got %r)" % (path, key, v))
        try:
            datetime.date.fromisoformat(v)
        except ValueError:
            raise Fail("%s: %r is not a valid date (got %r)" % (path, key, v))

    def check_slug_list(self, path, key, v, allowed):
        if not isinstance(v, list):
            raise Fail("%s: %r is not a list" % (path, key))
        for x in v:
            if x not in allowed:
                raise Fail("%s: %r names %r, which is not allowed" % (path, key, x))

    def validate(self, rec):
        """Every content-model rule that can apply to this record, links included."""
        p = rec.path
        for seg in p[:-3].split("/"):
            if not SLUG_RE.match(seg):
                raise Fail("%s: %r is not a valid slug" % (p, seg))
        m = rec.meta
        g = rec.region
        t = m.get("type")
        if t != rec.type or t not in ("region", "municipality") + tuple(FOLDERS):
            raise Fail("%s: bad type %r" % (p, t))
        if not isinstance(m.get("title"), str) or not m["title"]:
            raise Fail("%s: missing title" % p)
        if t in ("minutes", "negotiation") or "date" in m:
            self.check_date(p, "date", m.get("date"))
        if "municipalities" in m:
            self.check_slug_list(p, "municipalities", m["municipalities"], g.muni_set)
        if "themes" in m:
            self.check_slug_list(p, "themes", m["themes"], THEME_SLUGS)
        if "lang" in m and m["lang"] not in ("fi", "sv"):
            raise Fail("%s: bad lang" % p)
        if "draft" in m and not isinstance(m["draft"], bool):
            raise Fail("%s: bad draft" % p)
        if "draft" in m and rec.anchor:
            raise Fail("%s: an anchor is a draft" % p)
        if t == "region":
            covered = []
            for a in m["areas"]:
                if not SLUG_RE.match(a["slug"]) or not a["name"]:
                    raise Fail("%s: bad area" % p)
                covered += a["municipalities"]
            if sorted(covered) != sorted(g.muni_slugs) or len(set(covered)) != len(covered):
                raise Fail("%s: areas do not cover each municipality once" % p)
            if not m.get("name"):
                raise Fail("%s: region without name" % p)
        elif t == "municipality":
            if not m.get("name"):
                raise Fail("%s: municipality without name" % p)
            if rec.folder != "kunnat" or rec.slug not in g.muni_set:
                raise Fail("%s: municipality out of place" % p)
        elif t == "agreement":
            if m.get("status") not in AGREEMENT_STATUS:
                raise Fail("%s: bad status" % p)
            for k in ("signed", "valid_from", "valid_until"):
                if k in m:
                    self.check_date(p, k, m[k])
            if "valid_from" in m and "valid_until" in m and m["valid_until"] < m["valid_from"]:
                raise Fail("%s: valid_until before valid_from" % p)
            for x in m.get("parties", []):
                if SLUG_RE.match(x) and x not in self.by_slug and x not in self.all_munis:
                    raise Fail("%s: party %r is neither region nor municipality" % (p, x))
        elif t == "negotiation":
            if m.get("kind") not in NEGOTIATION_KINDS:
                raise Fail("%s: bad kind" % p)
            for o in m.get("outcomes", []):
                if not o.get("action") or o.get("status") not in OUTCOME_STATUS:
                    raise Fail("%s: bad outcome %r" % (p, o))
                if "due" in o:
                    self.check_date(p, "outcomes.due", o["due"])
            if "next" in m:
                self.check_date(p, "next", m["next"])
        elif t == "report":
            if m.get("kind") not in REPORT_KINDS:
                raise Fail("%s: bad kind" % p)
            per = m.get("period", "")
            if not re.match(r"^\d{4}(-\d{4})?$", per) or (len(per) == 9 and per[5:] < per[:4]):
                raise Fail("%s: bad period %r" % (p, per))
            if "approved" in m:
                self.check_date(p, "approved.date", m["approved"]["date"])
        elif t == "partnership":
            if m.get("area") not in g.area_set:
                raise Fail("%s: area %r is not an area of %s" % (p, m.get("area"), g.slug))
            for mb in m.get("members", []):
                if not mb.get("organisation") or mb.get("sector") not in SECTORS:
                    raise Fail("%s: bad member %r" % (p, mb))
            for d in m.get("next_meetings", []):
                self.check_date(p, "next_meetings", d)
        text = rec.data.decode("utf-8")
        if not text.startswith("---\n") or "\n---\n" not in text:
            raise Fail("%s: no front matter" % p)
        body = text.split("\n---\n", 1)[1]
        rec.links = []
        for dst in LINK_RE.findall(body):
            target = self.resolve(rec, dst)
            if target not in self.live:
                raise Fail("%s: link %r: %r does not exist" % (p, dst, target))
            tr = self.live[target]
            if "draft" in tr.meta:
                raise Fail("%s: link %r points at a draft" % (p, dst))
            if tr.type not in ("region", "municipality") and not tr.anchor:
                raise Fail("%s: link %r points at a record that may go away" % (p, dst))
            rec.links.append(target)
        self.check_indicators(p, body, g)
        for f in m.get("indicators", []):
            if f[len("data/"):] not in g.data_files:
                raise Fail("%s: indicators names %r, not a data file of the region" % (p, f))
        for a in m.get("annexes", []):
            if a["file"][len("liitteet/"):] not in g.annex_files:
                raise Fail("%s: annex %r is not a file of the region" % (p, a["file"]))

    def resolve(self, rec, dst):
        if dst.startswith("/"):
            parts = [x for x in dst.split("/") if x]
            if len(parts) == 1:
                return parts[0] + "/region.md"
            return "/".join(parts) + ".md"
        parts = rec.path.split("/")[:-1]
        for seg in dst.split("/"):
            if seg == "..":
                parts.pop()
            elif seg != ".":
                parts.append(seg)
        return "/".join(parts)

    def check_indicators(self, p, body, g):
        lines = body.split("\n")
        i = 0
        while i < len(lines):
            m = re.search(r'src="data/([^"]+)"', lines[i]) if lines[i].startswith("```indicator") else None
            if m:
                if m.group(1) not in g.data_files or lines[i + 1] != "```":
                    raise Fail("%s: indicator src %r is not a data file of the region" % (p, m.group(1)))
                i += 2
                continue
            if lines[i].startswith("```indicator"):
                rows = []
                i += 1
                while lines[i] != "```":
                    rows.append(lines[i].split("\t"))
                    i += 1
                if len(rows) < 2 or any(len(r) != len(rows[0]) for r in rows):
                    raise Fail("%s: ragged indicator block" % p)
                for r in rows[1:]:
                    for c in r[1:]:
                        if not c.isdigit():
                            raise Fail("%s: indicator cell %r is not a number" % (p, c))
            i += 1

    # --- the stream ------------------------------------------------------

    def blob(self, data):
        mk = self.blob_marks.get(data)
        if mk is None:
            self.next_mark += 1
            mk = self.next_mark
            self.blob_marks[data] = mk
            self.out.write(b"blob\nmark :%d\ndata %d\n" % (mk, len(data)))
            self.out.write(data)
            self.out.write(b"\n")
        return mk

    def commit(self, msg, changes, when, author):
        """changes: list of ('M', path, data) / ('D', path, None), content-relative."""
        self.next_mark += 1
        mk = self.next_mark
        lines = []
        for op, path, data in sorted(changes, key=lambda c: (c[1], c[0])):
            if op == "D":
                lines.append(b"D content/%s\n" % path.encode())
            else:
                lines.append(b"M 100644 :%d content/%s\n" % (self.blob(data), path.encode()))
        ts = int(when.timestamp())
        off = helsinki_offset(when)
        ident = ("%s <%s> %d +0%d00" % (author[0], author[1], ts, off)).encode("utf-8")
        m = msg.encode("utf-8") + b"\n"
        self.out.write(b"commit refs/heads/main\nmark :%d\n" % mk)
        self.out.write(b"author " + ident + b"\ncommitter " + ident + b"\n")
        self.out.write(b"data %d\n" % len(m) + m)
        if self.prev_commit:
            self.out.write(b"from :%d\n" % self.prev_commit)
        self.out.writelines(lines)
        self.out.write(b"\n")
        self.prev_commit = mk

    # --- operations on the tree -------------------------------------------

    def put(self, rec, changes):
        rec.data = render(rec.meta, rec.blocks)
        old = self.live.get(rec.path)
        if old is not None and old is not rec:
            raise Fail("%s: path taken" % rec.path)
        if old is rec:
            for t in rec.links:
                self.linked_by[t] -= 1
        self.live[rec.path] = rec
        self.used_paths.add(rec.path)
        self.validate(rec)
        for t in rec.links:
            self.linked_by[t] = self.linked_by.get(t, 0) + 1
        changes.append(("M", rec.path, rec.data))

    def remove(self, rec, changes):
        p = rec.path
        if self.linked_by.get(p, 0):
            raise Fail("%s: removed while %d records link to it" % (p, self.linked_by[p]))
        for t in rec.links:
            self.linked_by[t] -= 1
        del self.live[p]
        changes.append(("D", p, None))

    def track(self, rec):
        self.live_index[rec.rid] = len(self.live_list)
        self.live_list.append(rec)

    def untrack(self, rec):
        i = self.live_index.pop(rec.rid)
        last = self.live_list.pop()
        if last is not rec:
            self.live_list[i] = last
            self.live_index[last.rid] = i

    def pick_region(self):
        return self.rng.choices(self.regions, weights=[g.weight for g in self.regions])[0]

    def add(self, changes):
        g = self.pick_region()
        rtype = self.rng.choices([t for t, _ in TYPE_WEIGHTS], weights=[w for _, w in TYPE_WEIGHTS])[0]
        rec = self.make_record(g, rtype)
        self.put(rec, changes)
        self.track(rec)
        if rec.anchor:
            g.anchors.append(rec.path)
        self.stats["add"] += 1
        return "Lisää %s" % rec.path

    def pick_live(self, touched, movable):
        for _ in range(50):
            rec = self.rng.choice(self.live_list)
            if rec.rid in touched or (movable and rec.anchor):
                continue
            return rec
        return None

    def edit(self, rec, changes):
        m = rec.meta
        r = self.rng.random()
        what = "tekstiä"
        if r < 0.55 or rec.type in ("region", "municipality"):
            paras = [i for i, b in enumerate(rec.blocks) if not b.startswith(("#", "-", "`", "Katso"))]
            i = self.rng.choice(paras)
            rec.blocks[i] = self.paragraph()
        elif r < 0.65:
            rec.blocks.insert(len(rec.blocks) - 1 if rec.type == "minutes" else len(rec.blocks),
                              self.paragraph())
        elif "draft" in m:
            del m["draft"]
            what = "julkaisu"
        elif rec.type == "agreement" and m["status"] != "expired":
            st = AGREEMENT_STATUS[AGREEMENT_STATUS.index(m["status"]) + 1]
            m["status"] = Bare(st)
            if st == "signed":
                m["signed"] = self.day(-10, 0)
                m["valid_from"] = m["signed"]
                m["valid_until"] = Bare("%d-12-31" % (int(m["signed"][:4]) + self.rng.randint(1, 4)))
            what = "sopimuksen tila: %s" % st
        elif rec.type == "negotiation":
            open_ = [o for o in m["outcomes"] if o["status"] in ("planned", "in-progress")]
            if open_:
                o = self.rng.choice(open_)
                o["status"] = Bare("in-progress" if o["status"] == "planned" else
                                   self.rng.choice(["done", "done", "cancelled"]))
                what = "toimenpiteen tila"
            else:
                m["outcomes"].append(self.outcome(rec.region))
                what = "uusi toimenpide"
        elif rec.type == "partnership":
            m["next_meetings"] = sorted(self.day(10, 200) for _ in range(self.rng.randint(1, 3)))
            what = "seuraavat tapaamiset"
        elif rec.type == "report" and "approved" not in m:
            m["approved"] = {"by": self.rng.choice(REGION_ORGANS), "date": self.day(-5, 0)}
            what = "hyväksyntä"
        else:
            m["themes"] = self.pick_themes()
            what = "teemat"
        self.put(rec, changes)
        self.stats["edit"] += 1
        return "Päivitä %s (%s)" % (rec.path, what)

    def rename(self, rec, changes):
        old = rec.path
        self.remove(rec, changes)
        if self.rng.random() < 0.4 and rec.folder != "arkisto":
            rec.folder = "arkisto"
            rec.slug = self.new_slug(rec.region, "arkisto", rec.slug)
            verb = "Siirrä arkistoon"
            self.stats["move"] += 1
        else:
            suffix = self.rng.choice(["korjattu", "paivitetty", "uusi"])
            base = re.sub(r"-(korjattu|paivitetty|uusi)(-\d+)?$", "", rec.slug)
            rec.slug = self.new_slug(rec.region, rec.folder, "%s-%s" % (base, suffix))
            verb = "Nimeä uudelleen"
            self.stats["rename"] += 1
        # same content, so git sees a rename; the links were checked where they are
        self.put(rec, changes)
        return "%s %s -> %s" % (verb, old, rec.path)

    def delete(self, rec, changes):
        self.remove(rec, changes)
        self.untrack(rec)
        self.stats["delete"] += 1
        return "Poista %s" % rec.path

    # --- the history -------------------------------------------------------

    def base_records(self):
        """The regions and municipalities, which every revision has."""
        return sum(len(g.munis) + 1 for g in self.regions)

    def first_commit(self, n_first):
        changes = []
        themes = "\n".join("  - slug: %s\n    name: {fi: %s, sv: %s, en: %s}" % t for t in THEMES)
        site = ('title: "Hyvinvointialueiden ja kuntien yhteistyö (synteettinen aineisto)"\n'
                "base_url: https://bench.example.invalid/\n"
                "languages: [%s]\n"
                "themes:\n%s\n"
                "accessibility:\n  contact: saavutettavuus@example.invalid\n  date: 2021-06-01\n"
                % ("fi, sv" if self.swedish else "fi", themes)).encode("utf-8")
        changes.append(("M", "site.yaml", site))
        for g in self.regions:
            # municipalities first: the region's checks look them up
            for ms, name, sv in g.munis:
                rec = Record(self.next_rid, g, "kunnat", ms, "municipality")
                self.next_rid += 1
                m = {"type": Bare("municipality"), "title": name, "name": name}
                if sv:
                    m["name_sv"] = sv
                if ms in BILINGUAL and self.swedish:
                    m["languages"] = [Bare("fi"), Bare("sv")]
                m["website"] = Bare("https://www.%s.fi/" % ms)
                rec.meta = m
                area = [a for a in g.areas if ms in a[2]][0]
                rec.blocks = ["%s kuuluu alueen %s (%s) yhteistyöalueeseen %s. [%s](../region.md)"
                              % (name, g.title, g.org, area[1], g.name), self.paragraph()]
                self.live[rec.path] = rec   # so that the region's link check finds its peers
            rg = Record(self.next_rid, g, None, g.slug, "region")
            self.next_rid += 1
            rg.meta = {"type": Bare("region"), "title": g.title, "name": g.name,
                       "name_sv": g.name_sv, "organisation": g.org,
                       "areas": [{"slug": Bare(a[0]), "name": a[1],
                                  "municipalities": [Bare(x) for x in a[2]]} for a in g.areas]}
            rg.blocks = ["%s (%s) ja alueen %d kunnan yhteistyö hyvinvoinnin edistämisessä."
                         % (g.name, g.org, len(g.munis))]
            rg.blocks.append("\n".join("- **%s**: %s" % (a[1], ", ".join(
                "[%s](kunnat/%s.md)" % (g.muni_names[x], x) for x in a[2]))
                for a in g.areas))
            rg.blocks.append(self.paragraph())
            self.live[rg.path] = rg
        if self.region_files:
            for g in self.regions:
                for i, (title, unit) in enumerate(INDICATORS):
                    name = "%s-%d.tsv" % (slugify(title)[:24].strip("-"), i + 1)
                    g.data_files.append(name)
                    rows = self.indicator_rows(g, self.rng2)
                    changes.append(("M", "%s/data/%s" % (g.slug, name),
                                    ("\n".join(rows) + "\n").encode("utf-8")))
                for i in range(10):
                    name = "liite-%02d.pdf" % (i + 1)
                    g.annex_files.append(name)
                    pdf = b"%%PDF-1.4\n%% %s, liite %d\n" % (g.slug.encode(), i + 1)
                    pdf += bytes(self.rng2.randrange(256) for _ in range(self.rng2.randint(2000, 20000)))
                    changes.append(("M", "%s/liitteet/%s" % (g.slug, name), pdf + b"\n%%EOF\n"))
        for g in self.regions:
            self.put(self.live["%s/region.md" % g.slug], changes)
            for ms in g.muni_slugs:
                self.put(self.live["%s/kunnat/%s.md" % (g.slug, ms)], changes)
        self.base = len(self.live)
        for _ in range(n_first):
            self.add(changes)
        return changes

    def run(self, out):
        self.out = out
        self.prev_commit = 0
        rng = self.rng
        n_other = self.n - self.base_records()
        c = self.c
        # Commits on working days' office hours (07-17 UTC), in order.
        days = (END - START).days
        times = sorted((rng.randrange(1, days + 1), rng.randrange(5 * 3600, 15 * 3600))
                       for _ in range(c - 1))
        start_day = START.replace(hour=0, minute=0, second=0)
        when = [START]
        for d, s in times:
            t = start_day + datetime.timedelta(days=d, seconds=s)
            if t.weekday() >= 5:    # no weekend work: Saturday's is Friday's, Sunday's Monday's
                t += datetime.timedelta(days=-1 if t.weekday() == 5 else 1)
            when.append(t)
        when[1:] = sorted(when[1:])
        for i in range(1, c):
            if when[i] <= when[i - 1]:
                when[i] = when[i - 1] + datetime.timedelta(seconds=1)
        n_first = n_other if c == 1 else max(1, n_other // 5)
        # Operations spread over commits 2..C; the last commit reconciles the count.
        k = c - 1
        plan = [[0, 0, 0, 0] for _ in range(c)]    # add, edit, rename, delete
        if k:
            n_del = round(0.03 * n_other)
            n_ren = round(0.03 * n_other)
            n_add = n_other - n_first + n_del
            n_edit = round(1.5 * k)
            for col, cnt in ((0, n_add), (1, n_edit), (2, n_ren), (3, n_del)):
                for _ in range(cnt):
                    plan[1 + rng.randrange(k)][col] += 1
        self.now = when[0]
        changes = self.first_commit(n_first)
        self.commit("Perusta sivusto: alueet, kunnat ja ensimmäiset asiakirjat", changes,
                    when[0], self.authors[0])
        carry_del = 0
        for i in range(1, c):
            self.now = when[i]
            adds, edits, rens, dels = plan[i]
            dels += carry_del
            carry_del = 0
            if not (adds or edits or rens or dels):
                edits = 1
            changes = []
            msgs = []
            touched = set()
            for _ in range(adds):
                msgs.append(self.add(changes))
                touched.add(self.live_list[-1].rid)
            for _ in range(edits):
                rec = self.pick_live(touched, False)
                if rec:
                    touched.add(rec.rid)
                    msgs.append(self.edit(rec, changes))
            for _ in range(rens):
                rec = self.pick_live(touched, True)
                if rec:
                    touched.add(rec.rid)
                    msgs.append(self.rename(rec, changes))
            for _ in range(dels):
                rec = self.pick_live(touched, True)
                if rec:
                    touched.add(rec.rid)
                    msgs.append(self.delete(rec, changes))
                else:
                    carry_del += 1
            if i == c - 1:
                while len(self.live_list) < n_other:
                    msgs.append(self.add(changes))
                    touched.add(self.live_list[-1].rid)
                while len(self.live_list) > n_other:
                    rec = self.pick_live(touched, True)
                    if rec is None:
                        raise Fail("cannot reach %d records at HEAD" % self.n)
                    touched.add(rec.rid)
                    msgs.append(self.delete(rec, changes))
            if not msgs:
                msgs.append(self.edit(self.live["%s/region.md" % self.pick_region().slug], changes))
            msg = msgs[0] if len(msgs) == 1 else "%s ja %d muuta muutosta\n\n%s" % (
                msgs[0], len(msgs) - 1, "\n".join("- " + x for x in msgs))
            self.commit(msg, changes, when[i], rng.choice(self.authors))
        out.write(b"done\n")
        # The whole of HEAD, once more.
        if len(self.live) != self.n:
            raise Fail("HEAD has %d records, expected %d" % (len(self.live), self.n))
        for rec in list(self.live.values()):
            self.validate(rec)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="the new repository's folder")
    ap.add_argument("--records", type=int, default=10000, help="records (.md files) at HEAD")
    ap.add_argument("--commits", type=int, default=2000, help="commits in the history")
    ap.add_argument("--seed", type=int, default=1, help="random seed")
    ap.add_argument("--no-checkout", action="store_true", help="leave the working tree empty")
    ap.add_argument("--pack", choices=["repack", "gc", "fast-import"], default="repack",
                    help="how the objects are packed: repack -a -d -f (as after git gc --aggressive "
                    "or a forge's repack; the default), gc (git gc: fast-import's deltas kept, as an "
                    "import of years of documents leaves a repository), fast-import (its pack as it "
                    "wrote it)")
    ap.add_argument("--fast-import-pack", action="store_const", dest="pack", const="fast-import",
                    help="the same as --pack fast-import")
    ap.add_argument("--indicator-blocks", type=float, default=0.0, metavar="X",
                    help="add indicator blocks to records, X per record on average (0 to 3); "
                    "with --region-files some name a data file with src=")
    ap.add_argument("--region-files", action="store_true",
                    help="data files in each region's data/ and annexes in its liitteet/: reports "
                    "name them in indicators, agreements in annexes")
    ap.add_argument("--languages", choices=["fi,sv", "fi"], default="fi,sv",
                    help="the site's languages; 'fi' makes the same records, commits and ids "
                    "of everything else without Swedish (no lang: sv, no bilingual municipality)")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args()
    if args.commits < 1:
        ap.error("--commits must be at least 1")
    if args.indicator_blocks < 0 or args.indicator_blocks > 3:
        ap.error("--indicator-blocks must be from 0 to 3")
    if os.path.exists(args.out) and (not os.path.isdir(args.out) or os.listdir(args.out)):
        ap.error("%s exists and is not an empty folder" % args.out)
    gen = Gen(args)
    if args.records <= gen.base_records():
        ap.error("--records must be at least %d (the regions and municipalities are %d)"
                 % (gen.base_records() + 1, gen.base_records()))
    t0 = time.monotonic()
    created = not os.path.exists(args.out)
    subprocess.run(["git", "init", "-q", "-b", "main", args.out], check=True)
    # fast-import's allocations of tree deltas make glibc grow and trim the heap
    # some 150,000 times for the default size: 17 s of page faults instead of 3 s.
    env = dict(os.environ)
    env["GLIBC_TUNABLES"] = ("glibc.malloc.trim_threshold=1073741824:"
                             "glibc.malloc.top_pad=67108864:glibc.malloc.mmap_threshold=1073741824")
    proc = subprocess.Popen(["git", "-C", args.out, "fast-import", "--quiet", "--done"],
                            stdin=subprocess.PIPE, env=env)
    try:
        with proc.stdin as pipe:
            gen.run(pipe)
    except (Fail, BrokenPipeError) as e:
        proc.kill()
        proc.wait()
        if created:
            shutil.rmtree(args.out, ignore_errors=True)
        sys.exit("gen-corpus: %s" % (e if isinstance(e, Fail) else "git fast-import failed"))
    if proc.wait() != 0:
        sys.exit("gen-corpus: git fast-import failed")
    if args.pack == "gc":
        # what `git gc` does to an imported repository: objects into one pack, deltas kept
        subprocess.run(["git", "-C", args.out, "-c", "pack.threads=1", "gc", "-q"], check=True)
    elif args.pack == "repack":
        # fast-import deltifies each blob against the last one written and keeps the
        # objects in the order they came, so git-fast-import(1) ("Packfile
        # optimization") strongly recommends repacking after it. -f computes the
        # deltas afresh, newest versions whole, as `git gc --aggressive` or a forge's
        # repack leave a repository; one thread, so the same seed gives the same pack.
        subprocess.run(["git", "-C", args.out, "-c", "pack.threads=1", "repack", "-a", "-d",
                        "-f", "-q"], check=True)
    # No automatic gc during benchmarks.
    subprocess.run(["git", "-C", args.out, "config", "gc.auto", "0"], check=True)
    if not args.no_checkout:
        subprocess.run(["git", "-C", args.out, "reset", "-q", "--hard", "main"], check=True)
    head = subprocess.run(["git", "-C", args.out, "rev-parse", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()
    if not args.quiet:
        s = gen.stats
        print("gen-corpus: %s: %d records at HEAD %s, %d commits (%d adds, %d edits, %d renames, "
              "%d moves to arkisto/, %d deletes), seed %d, %.1f s"
              % (args.out, len(gen.live), head[:12], args.commits, s["add"], s["edit"],
                 s["rename"], s["move"], s["delete"], args.seed, time.monotonic() - t0))


if __name__ == "__main__":
    main()
