#include "starter.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "buf.h"
#include "repo.h"
#include "util.h"
#include "banned.h"

/*
 * The records, one per type, with every key of the content model present:
 * given a value where one is needed or there is an obvious one, else written
 * as a comment to fill in. @REGION@, @MUNIS@ ("[alfa]" or "[]"), @PARTIES@,
 * @DATE@, @NEXT@ (a year on), @YEAR@, @DRAFT@ and @INDICATORS@ ("# " where
 * there is no data file yet) are filled in by fill().
 */
static const char *const templates[REC_TYPE_COUNT] = {
[REC_REGION] =
"---\n"
"# Hyvinvointialue. Tiedosto on alueen kansiossa nimellä region.md; kansion nimi on\n"
"# alueen tunnus (vain pieniä kirjaimia a-z, numeroita ja viivoja).\n"
"type: region\n"
"title: \"Esimerkkialue\"\n"
"# Alueen nimi suomeksi ja ruotsiksi.\n"
"name: \"Esimerkkialueen hyvinvointialue\"\n"
"name_sv: \"Exempelområdets välfärdsområde\"\n"
"# Organisaation nimi, jolla alue tunnetaan (esim. Siun sote).\n"
"organisation: \"Esimerkin sote\"\n"
"# Yhteistyöalueet: tunnus, nimi ja kuntien tunnukset (kuntatiedostojen nimet).\n"
"areas:\n"
"  - slug: keskinen\n"
"    name: Keskinen\n"
"    municipalities: @MUNIS@\n"
"# Alueen oman sivuston osoite (avoin build --scope <alue>):\n"
"# base_url: https://hyte.esimerkki.fi/\n"
"---\n"
"Kirjoita tähän lyhyt esittely alueen ja kuntien yhteistyöstä.\n",

[REC_MUNICIPALITY] =
"---\n"
"# Kunta. Tiedosto on alueen kansiossa (esim. kunnat/); tiedoston nimi on kunnan tunnus,\n"
"# jolla kuntaan viitataan muissa tiedostoissa (municipalities, parties).\n"
"type: municipality\n"
"title: \"Esimerkkikunta\"\n"
"name: \"Esimerkkikunta\"\n"
"# Ruotsinkielinen nimi, jos kunnalla on sellainen:\n"
"# name_sv: \"Exempelkommun\"\n"
"# Kaksikielisen kunnan kielet (kielilaki 423/2003), esim. [fi, sv]:\n"
"# languages: [fi, sv]\n"
"website: https://www.esimerkki.fi/\n"
"# Kunnan oman sivuston osoite (avoin build --scope <alue>/<kunta>):\n"
"# base_url: https://hyte.esimerkkikunta.fi/\n"
"---\n"
"Kirjoita tähän, mihin yhteistyöalueeseen kunta kuuluu ja keitä yhteistyö koskee.\n",

[REC_AGREEMENT] =
"---\n"
"# Yhteistyösopimus.\n"
"type: agreement\n"
"title: \"Hyvinvointialueen ja kuntien yhteistyösopimus\"\n"
"# Tila: draft (luonnos), approved (hyväksytty), signed (allekirjoitettu) tai expired (päättynyt).\n"
"status: signed\n"
"# Osapuolet: alueen ja kuntien tunnukset sekä muut organisaatiot tekstinä.\n"
"parties: @PARTIES@\n"
"# Päivämäärät muodossa VVVV-KK-PP.\n"
"signed: @DATE@\n"
"valid_from: @DATE@\n"
"# valid_until: 2029-05-31\n"
"legal_basis: \"611/2021 14 §\"\n"
"# Liitteet: otsikko ja tiedosto, joka haetaan ensin tämän tiedoston kansiosta, sitten\n"
"# alueen kansiosta (/alkuinen polku sisältökansion juuresta):\n"
"# annexes:\n"
"#   - title: \"Liite 1: Vastuunjakotaulukko\"\n"
"#     file: liitteet/vastuunjako.pdf\n"
"# Kunnat, joita sopimus koskee; tyhjä lista = koko hyvinvointialue.\n"
"municipalities: @MUNIS@\n"
"# Teemat sivuston site.yaml-tiedoston themes-listasta, esim. [osallisuus].\n"
"themes: []\n"
"# Yhden kappaleen tiivistelmä; ilman sitä se johdetaan tekstistä.\n"
"# summary: \"\"\n"
"# true = tarkistetaan mutta ei julkaista. Poista, kun sopimus on valmis julkaistavaksi.\n"
"draft: @DRAFT@\n"
"---\n"
"Kirjoita sopimuksen sisältö tähän. Linkki toiseen asiakirjaan kirjoitetaan sen tiedoston\n"
"polkuna, esim. `[pöytäkirja](../poytakirjat/2025-01-15-kunnanhallitus.md)`.\n",

[REC_MINUTES] =
"---\n"
"# Pöytäkirjan pykälä.\n"
"type: minutes\n"
"title: \"Hyvinvointikertomuksen hyväksyminen\"\n"
"# Kokouksen päivä (pakollinen), VVVV-KK-PP.\n"
"date: @DATE@\n"
"# Toimielin, pykälä ja diaarinumero.\n"
"body: \"Kunnanhallitus\"\n"
"section: 1\n"
"diary: \"1/00.04.01/@YEAR@\"\n"
"# Valmistelijat.\n"
"preparers: [\"Hyvinvointikoordinaattori\"]\n"
"municipalities: @MUNIS@\n"
"themes: []\n"
"# summary: \"\"\n"
"draft: @DRAFT@\n"
"---\n"
"## Päätösesitys\n"
"\n"
"Kirjoita tähän päätösesitys.\n"
"\n"
"## Päätös\n"
"\n"
"Kirjoita tähän päätös.\n",

[REC_NEGOTIATION] =
"---\n"
"# Neuvottelu hyvinvointialueen ja kuntien kesken.\n"
"type: negotiation\n"
"title: \"Hyte-neuvottelu @YEAR@\"\n"
"# Neuvottelupäivä (pakollinen).\n"
"date: @DATE@\n"
"# Laji: hyte (612/2021 7 § 4 mom., vähintään kerran vuodessa) tai\n"
"# cooperation (611/2021 14 §, vähintään kerran valtuustokaudessa).\n"
"kind: hyte\n"
"participants: [\"Hyvinvointialue\", \"Esimerkkikunta\"]\n"
"# Sovitut toimet: tila planned (suunniteltu), in-progress (käynnissä), done (tehty) tai\n"
"# cancelled (peruttu).\n"
"outcomes:\n"
"  - action: \"Sovitaan yhteiset hyvinvointi-indikaattorit\"\n"
"    owner: \"Hyvinvointikoordinaattori\"\n"
"    due: @NEXT@\n"
"    status: planned\n"
"# Seuraavan neuvottelun päivä.\n"
"next: @NEXT@\n"
"municipalities: @MUNIS@\n"
"themes: []\n"
"draft: @DRAFT@\n"
"---\n"
"Kirjoita tähän neuvottelun sisältö ja mitä sovittiin.\n",

[REC_REPORT] =
"---\n"
"# Hyvinvointikertomus, -suunnitelma tai vuosiraportti.\n"
"type: report\n"
"title: \"Laaja hyvinvointikertomus\"\n"
"# Laji: wellbeing-report (hyvinvointikertomus), wellbeing-plan (hyvinvointisuunnitelma)\n"
"# tai annual-report (vuosiraportti).\n"
"kind: wellbeing-report\n"
"# Kausi: vuosi VVVV tai väli VVVV-VVVV.\n"
"period: \"2025-2028\"\n"
"priorities: [\"Lasten ja nuorten osallisuus\"]\n"
"approved: {by: \"Kunnanvaltuusto\", date: @DATE@}\n"
"# Indikaattoriaineistot (.tsv tai .csv), haetaan kuten liitteet:\n"
"@INDICATORS@indicators: [data/indikaattorit.tsv]\n"
"municipalities: @MUNIS@\n"
"themes: []\n"
"draft: @DRAFT@\n"
"---\n"
"Kirjoita tähän kertomuksen tiivistelmä. Indikaattoritaulukko kirjoitetaan näin\n"
"(sarakkeet sarkaimella tai pilkulla erotettuina, kuten taulukkolaskennasta liitettynä):\n"
"\n"
"```indicator title=\"Esimerkki-indikaattori\" unit=\"%\"\n"
"Alue\t2023\t2024\n"
"Keskinen\t12\t14\n"
"```\n",

[REC_PARTNERSHIP] =
"---\n"
"# Kumppanuusryhmä (kumppanuuspöytä).\n"
"type: partnership\n"
"title: \"Keskisen alueen kumppanuuspöytä\"\n"
"# Yhteistyöalueen tunnus region.md:n areas-listasta:\n"
"# area: keskinen\n"
"themes: []\n"
"# Jäsenet: organisaatio, sektori (kunta, hyvinvointialue, järjestö, seurakunta, yritys,\n"
"# oppilaitos tai valtio) ja rooli.\n"
"members:\n"
"  - organisation: \"Esimerkkiyhdistys ry\"\n"
"    sector: järjestö\n"
"    role: \"jäsen\"\n"
"meets: \"2–4 kertaa vuodessa\"\n"
"# Seuraavat kokoukset: päivä, tai päivä ja kellonaika (\"@NEXT@ 14:00-16:00\").\n"
"next_meetings: [@NEXT@]\n"
"contact: {name: \"Hyvinvointikoordinaattori\", email: \"kumppanuus@esimerkki.fi\"}\n"
"join: \"Ota yhteyttä yhteyshenkilöön.\"\n"
"municipalities: @MUNIS@\n"
"draft: @DRAFT@\n"
"---\n"
"Kirjoita tähän, mitä ryhmä tekee ja keitä se kokoaa yhteen.\n",

[REC_PAGE] =
"---\n"
"# Sivu: muu julkaistava teksti, esim. yhteistyörakenteen kuvaus.\n"
"type: page\n"
"title: \"Yhteistyörakenne\"\n"
"# Kieli, jos muu kuin sivuston ensimmäinen: lang: sv\n"
"# Käännös kirjoitetaan viereiseen tiedostoon <nimi>.<kieli>.md, esim. yhteistyorakenne.sv.md.\n"
"municipalities: @MUNIS@\n"
"themes: []\n"
"draft: @DRAFT@\n"
"---\n"
"Kirjoita sivun teksti tähän.\n",
};

static const char site_yaml[] =
"# Sivuston asetukset. Kielistä ensimmäinen on oletuskieli.\n"
"title: \"Hyvinvointialueen ja kuntien yhteistyö\"\n"
"# Osoite, josta sivusto julkaistaan (syötteet, sivukartta, kanoniset linkit).\n"
"base_url: https://avoin.esimerkki.fi/\n"
"languages: [fi, sv]\n"
"# Hyvinvoinnin teema-alueet: tunnus ja nimi kullakin kielellä.\n"
"themes:\n"
"  - slug: osallisuus\n"
"    name: {fi: Osallisuus, sv: Delaktighet, en: Participation}\n"
"  - slug: elintavat\n"
"    name: {fi: Elintavat, sv: Levnadsvanor, en: Lifestyles}\n"
"# Saavutettavuusseloste (laki 306/2019, 9 §).\n"
"accessibility:\n"
"  contact: palaute@esimerkki.fi\n"
"  status: partial\n"
"  assessment: self\n";

static const char data_tsv[] = "Alue\t2023\t2024\nKeskinen\t12\t14\n";

/* Today, and a year on, as YYYY-MM-DD. */
static void dates(char today[11], char next[11], char year[5])
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(today, 11, "%Y-%m-%d", &tm);
	strftime(year, 5, "%Y", &tm);
	tm.tm_year++;
	if (tm.tm_mon == 1 && tm.tm_mday == 29)
		tm.tm_mday = 28;
	strftime(next, 11, "%Y-%m-%d", &tm);
}

/* templates[t] with its tokens filled in; a new string. */
static char *fill(record_type t, const char *folder, const char *muni, int draft)
{
	char today[11], next[11], year[5];
	dates(today, next, year);
	char *munis = muni ? xasprintf("[%s]", muni) : xstrdup("[]");
	char *parties = muni ? xasprintf("[%s, %s]", folder, muni) : xasprintf("[%s]", folder);
	const struct { const char *token, *with; } subs[] = {
		{ "@REGION@", folder }, { "@MUNIS@", munis }, { "@PARTIES@", parties },
		{ "@DATE@", today }, { "@NEXT@", next }, { "@YEAR@", year },
		{ "@DRAFT@", draft ? "true" : "false" },
		{ "@INDICATORS@", muni ? "" : "# " },
	};
	buf b = BUF_INIT;
	for (const char *p = templates[t]; *p;) {
		size_t k = 0;
		while (k < sizeof subs / sizeof *subs && !str_has_prefix(p, subs[k].token))
			k++;
		if (k < sizeof subs / sizeof *subs) {
			buf_puts(&b, subs[k].with);
			p += strlen(subs[k].token);
		} else {
			buf_putc(&b, *p++);
		}
	}
	free(munis);
	free(parties);
	return buf_detach(&b, NULL);
}

/* Writes text at dir/rel, making its folders; refuses to replace a file. 0 or -1. */
static int put_file(const char *dir, const char *rel, const char *text, diag_list *d)
{
	char *path = xasprintf("%s/%s", dir, rel);
	int ret = -1;
	struct stat st;
	if (lstat(path, &st) == 0) {
		diag_error(d, path, 0, "already exists (expected a new file: avoin does not write over one)");
	} else if (mkdir_parents(path) != 0) {
		diag_error(d, path, 0, "cannot make its folder: %s", strerror(errno));
	} else {
		FILE *f = fopen(path, "wx");
		if (!f || fputs(text, f) < 0 || fclose(f) != 0)
			diag_error(d, path, 0, "cannot write: %s", strerror(errno));
		else
			ret = 0;
	}
	free(path);
	return ret;
}

int starter_init(const char *dir, diag_list *d)
{
	struct stat st;
	if (lstat(dir, &st) == 0 && (!S_ISDIR(st.st_mode) || !dir_is_empty(dir))) {
		diag_error(d, dir, 0, "exists and is not an empty folder (expected a new folder for "
			"the content repository)");
		return -1;
	}
	static const struct { const char *path; record_type t; } records[] = {
		{ "content/esimerkkialue/region.md", REC_REGION },
		{ "content/esimerkkialue/kunnat/esimerkkikunta.md", REC_MUNICIPALITY },
		{ "content/esimerkkialue/sopimukset/yhteistyosopimus.md", REC_AGREEMENT },
		{ "content/esimerkkialue/poytakirjat/hyvinvointikertomus-kunnanhallitus.md", REC_MINUTES },
		{ "content/esimerkkialue/neuvottelut/hyte-neuvottelu.md", REC_NEGOTIATION },
		{ "content/esimerkkialue/raportit/hyvinvointikertomus.md", REC_REPORT },
		{ "content/esimerkkialue/kumppanuusryhmat/keskinen.md", REC_PARTNERSHIP },
		{ "content/esimerkkialue/yhteistyorakenne.md", REC_PAGE },
	};
	int ret = 0;
	ret |= put_file(dir, ".gitignore", "/public/\n/public.*\n/public-sites/\n/public-sites.*\n", d);
	ret |= put_file(dir, "content/site.yaml", site_yaml, d);
	ret |= put_file(dir, "content/esimerkkialue/data/indikaattorit.tsv", data_tsv, d);
	for (size_t i = 0; i < sizeof records / sizeof *records && ret == 0; i++) {
		char *text = fill(records[i].t, "esimerkkialue", "esimerkkikunta", 0);
		ret |= put_file(dir, records[i].path, text, d);
		free(text);
	}
	if (ret == 0)
		ret = repo_create(dir, "Uusi sisältövarasto (avoin init)", d);
	return ret ? -1 : 0;
}

/* 1 when every folder and the file name of path are slugs (a-z, 0-9, '-'), ".md" at the end. */
static int slug_path(const char *path)
{
	size_t n = strlen(path);
	if (n < 4 || strcmp(path + n - 3, ".md") != 0 || path[0] == '/')
		return 0;
	for (size_t i = 0, seg = 0; i < n - 3; i++) {
		char c = path[i];
		if (c == '/') {
			if (seg == 0)
				return 0;
			seg = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return 0;
		seg++;
	}
	return path[n - 4] != '/';
}

int starter_new(const char *content_dir, const char *type, const char *path, diag_list *d)
{
	record_type t;
	if (record_type_guess(type, &t) != 0) {
		diag_error(d, NULL, 0, "'%s' is no record type (expected region, municipality, agreement, "
			"minutes, negotiation, report, partnership or page)", type);
		return -1;
	}
	char *rel = str_has_suffix(path, ".md") ? xstrdup(path) : xasprintf("%s.md", path);
	int ret = -1;
	char *top = path_top_folder(rel);
	if (!slug_path(rel)) {
		diag_error(d, NULL, 0, "'%s' is no record's path (expected folders and a file name of "
			"lower-case letters a-z, digits and '-', under the content folder, e.g. "
			"pohjois-karjala/poytakirjat/2025-01-15-kunnanhallitus)", path);
	} else if (t != REC_PAGE && !top) {
		diag_error(d, NULL, 0, "'%s' is at the top of the content folder (expected it in its "
			"region's folder, e.g. kainuu/%s)", path, rel);
	} else if (t == REC_REGION && !str_has_suffix(rel, "/region.md")) {
		diag_error(d, NULL, 0, "a region's record is its folder's region.md (expected "
			"'%s/region.md')", top);
	} else {
		char *text = fill(t, top ? top : "", NULL, t != REC_REGION && t != REC_MUNICIPALITY);
		ret = put_file(content_dir, rel, text, d);
		free(text);
	}
	free(top);
	free(rel);
	return ret;
}
