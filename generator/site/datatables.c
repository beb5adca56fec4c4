/*
 * The tables of the open data and what each column holds, in Finnish,
 * Swedish and English: one definition for the CSV files, the Table Schemas
 * of datapackage.json and the data page that explains them.
 */
#include "opendata_impl.h"

#include "buf.h"

#include <string.h>

#include "banned.h"

#define N(a) (sizeof(a) / sizeof *(a))

/* Every record table starts with these. */
#define HEAD \
	{ "id", T_STRING, G_ID, NULL, 0, \
	  "Tunniste: kunnan lyhyt nimi (esim. kokkola), muilla asiakirjan osoite sivustolla " \
	  "ilman alun ja lopun vinoviivaa", \
	  "Identifierare: kommunens korta namn (t.ex. kokkola), för andra handlingens adress " \
	  "på webbplatsen utan snedstreck i början och slutet", \
	  "Identifier: a municipality's short name (e.g. kokkola), for others the record's " \
	  "address on the site without its first and last slash" }, \
	{ "url", T_URI, G_URL, NULL, 0, "Asiakirjan sivu", "Handlingens sida", "The record's page" }, \
	{ "title", T_STRING, G_TITLE, NULL, 1, \
	  "Otsikko kielellä {lang}; tyhjä, jos asiakirjaa ei ole kirjoitettu tai käännetty sille", \
	  "Rubrik på språket {lang}; tom om handlingen inte är skriven eller översatt till det", \
	  "Title in {lang}; empty when the record is not written or translated in it" }, \
	{ "summary", T_STRING, G_SUMMARY, NULL, 1, \
	  "Tiivistelmä kielellä {lang}; tyhjä, jos käännöstä ei ole", \
	  "Sammandrag på språket {lang}; tomt om översättning saknas", \
	  "Summary in {lang}; empty when there is no translation" }, \
	{ "lang", T_STRING, G_LANG, NULL, 0, "Alkuperäisen tekstin kieli", \
	  "Originaltextens språk", "Language of the original text" }

#define DATE_COL \
	{ "date", T_DATE, G_DATE, NULL, 0, \
	  "Päivämäärä: kokouksen tai neuvottelun, muuten allekirjoituksen tai hyväksymisen", \
	  "Datum: mötets eller förhandlingens, annars undertecknandets eller godkännandets", \
	  "Date: of the meeting or negotiation, else of signing or approval" }

#define REGION_COL \
	{ "region", T_STRING, G_REGION, NULL, 0, "Hyvinvointialue (regions.id)", \
	  "Välfärdsområde (regions.id)", "Wellbeing services county (regions.id)" }

#define SCOPE_COLS \
	REGION_COL, \
	{ "municipalities", T_LIST, G_MUNIS, NULL, 0, \
	  "Kunnat, joita asiakirja koskee (municipalities.id); tyhjä: koko hyvinvointialue", \
	  "Kommuner som handlingen gäller (municipalities.id); tom: hela välfärdsområdet", \
	  "Municipalities the record concerns (municipalities.id); empty: the whole county" }, \
	{ "themes", T_LIST, G_THEMES, NULL, 0, "Hyvinvointiteemat (sivuston teemojen tunnisteet)", \
	  "Välfärdsteman (webbplatsens temans identifierare)", "Wellbeing themes (the site's theme slugs)" }

/* ... and ends with these. */
#define TAIL \
	{ "created_at", T_DATETIME, G_CREATED, NULL, 0, \
	  "Ensimmäisen version aika versiohistoriassa", "Tidpunkten för den första versionen i historiken", \
	  "Time of the first version in the history" }, \
	{ "updated_at", T_DATETIME, G_UPDATED, NULL, 0, "Viimeisimmän muutoksen aika", \
	  "Tidpunkten för den senaste ändringen", "Time of the latest change" }, \
	{ "commit", T_STRING, G_COMMIT, NULL, 0, "Viimeisimmän muutoksen versio (git-tunniste)", \
	  "Den senaste ändringens version (git-identifierare)", "Commit of the latest change (git id)" }, \
	{ "source", T_STRING, G_SOURCE, NULL, 0, "Lähdetiedosto sisältövarastossa", \
	  "Källfilen i innehållsförrådet", "Source file in the content repository" }

static const column regions[] = {
	HEAD,
	{ "name", T_STRING, G_META, "name", 0, "Nimi suomeksi", "Namn på finska", "Name in Finnish" },
	{ "name_sv", T_STRING, G_META, "name_sv", 0, "Nimi ruotsiksi", "Namn på svenska",
	  "Name in Swedish" },
	{ "organisation", T_STRING, G_META, "organisation", 0, "Organisaation nimi (esim. Siun sote)",
	  "Organisationens namn (t.ex. Siun sote)", "The organisation's name (e.g. Siun sote)" },
	{ "areas", T_LIST, G_AREAS, NULL, 0, "Alueet (tunnisteet)", "Områden (identifierare)",
	  "Areas (slugs)" },
	TAIL,
};

static const column municipalities[] = {
	HEAD,
	REGION_COL,
	{ "name", T_STRING, G_META, "name", 0, "Nimi suomeksi", "Namn på finska", "Name in Finnish" },
	{ "name_sv", T_STRING, G_META, "name_sv", 0, "Nimi ruotsiksi", "Namn på svenska",
	  "Name in Swedish" },
	{ "languages", T_LIST, G_META, "languages", 0, "Kunnan kielet (kaksikielisellä kaksi)",
	  "Kommunens språk (två för en tvåspråkig)", "The municipality's languages (two if bilingual)" },
	{ "website", T_URI, G_META, "website", 0, "Kunnan verkkosivusto", "Kommunens webbplats",
	  "The municipality's website" },
	TAIL,
};

static const column agreements[] = {
	HEAD, DATE_COL, SCOPE_COLS,
	{ "status", T_STRING, G_META, "status", 0,
	  "Tila: draft (luonnos), approved (hyväksytty), signed (allekirjoitettu), expired (päättynyt)",
	  "Status: draft (utkast), approved (godkänt), signed (undertecknat), expired (upphört)",
	  "Status: draft, approved, signed or expired" },
	{ "signed", T_DATE, G_META, "signed", 0, "Allekirjoituspäivä", "Undertecknat", "Date signed" },
	{ "valid_from", T_DATE, G_META, "valid_from", 0, "Voimassa alkaen", "Gäller från", "Valid from" },
	{ "valid_until", T_DATE, G_META, "valid_until", 0, "Voimassa asti", "Gäller till",
	  "Valid until" },
	{ "legal_basis", T_STRING, G_META, "legal_basis", 0, "Säädösperusta (esim. 611/2021 14 §)",
	  "Rättslig grund (t.ex. 611/2021 14 §)", "Legal basis (e.g. 611/2021 14 §)" },
	{ "parties", T_LIST, G_META, "parties", 0,
	  "Osapuolet: hyvinvointialueiden ja kuntien tunnisteet sekä muiden organisaatioiden nimet",
	  "Parter: välfärdsområdenas och kommunernas identifierare och andra organisationers namn",
	  "Parties: counties' and municipalities' ids and other organisations' names" },
	{ "annexes", T_LIST, G_FILES, "annexes", 0, "Liitteiden osoitteet", "Bilagornas adresser",
	  "The annexes' addresses" },
	TAIL,
};

static const column minutes[] = {
	HEAD, DATE_COL, SCOPE_COLS,
	{ "body", T_STRING, G_META, "body", 0, "Toimielin (esim. Kaupunginhallitus)",
	  "Organ (t.ex. Stadsstyrelsen)", "The body that met (e.g. the city board)" },
	{ "section", T_STRING, G_META, "section", 0, "Pykälä (§)", "Paragraf (§)", "Section (§)" },
	{ "diary", T_STRING, G_META, "diary", 0, "Diaarinumero", "Diarienummer", "Register number" },
	{ "preparers", T_LIST, G_META, "preparers", 0, "Valmistelijat", "Beredare", "Preparers" },
	TAIL,
};

static const column negotiations[] = {
	HEAD, DATE_COL, SCOPE_COLS,
	{ "kind", T_STRING, G_META, "kind", 0,
	  "Laji: hyte (612/2021 7 §) tai cooperation (611/2021 14 §)",
	  "Typ: hyte (612/2021 7 §) eller cooperation (611/2021 14 §)",
	  "Kind: hyte (612/2021 7 §) or cooperation (611/2021 14 §)" },
	{ "participants", T_LIST, G_META, "participants", 0, "Osallistujat", "Deltagare",
	  "Participants" },
	{ "next", T_DATE, G_META, "next", 0, "Seuraavan neuvottelun päivä", "Nästa förhandlings datum",
	  "Date of the next negotiation" },
	{ "outcomes", T_INTEGER, G_COUNT, "outcomes", 0,
	  "Sovittujen toimien määrä (negotiation-outcomes)", "Antal överenskomna åtgärder "
	  "(negotiation-outcomes)", "Number of agreed actions (negotiation-outcomes)" },
	TAIL,
};

static const column reports[] = {
	HEAD, DATE_COL, SCOPE_COLS,
	{ "kind", T_STRING, G_META, "kind", 0,
	  "Laji: wellbeing-report (hyvinvointikertomus), wellbeing-plan (-suunnitelma), annual-report",
	  "Typ: wellbeing-report (välfärdsberättelse), wellbeing-plan (-plan), annual-report",
	  "Kind: wellbeing-report, wellbeing-plan or annual-report" },
	{ "period", T_STRING, G_META, "period", 0, "Kausi (esim. 2025-2028)", "Period (t.ex. 2025-2028)",
	  "Period (e.g. 2025-2028)" },
	{ "priorities", T_LIST, G_META, "priorities", 0, "Painopisteet", "Prioriteringar", "Priorities" },
	{ "approved_by", T_STRING, G_META, "approved.by", 0, "Hyväksyjä", "Godkänt av", "Approved by" },
	{ "approved_date", T_DATE, G_META, "approved.date", 0, "Hyväksymispäivä", "Godkänt den",
	  "Date approved" },
	{ "indicators", T_LIST, G_FILES, "indicators", 0, "Indikaattoritiedostojen osoitteet",
	  "Indikatorfilernas adresser", "The indicator data files' addresses" },
	TAIL,
};

static const column partnerships[] = {
	HEAD, SCOPE_COLS,
	{ "area", T_STRING, G_META, "area", 0, "Alue (hyvinvointialueen alueen tunniste)",
	  "Område (välfärdsområdets områdes identifierare)", "Area (a slug of the county's areas)" },
	{ "meets", T_STRING, G_META, "meets", 0, "Kuinka usein ryhmä kokoontuu", "Hur ofta gruppen möts",
	  "How often the group meets" },
	{ "next_meetings", T_LIST, G_META, "next_meetings", 0,
	  "Seuraavat kokoukset (päivä, kellonaika, jos annettu)",
	  "Nästa möten (datum, klockslag om det är angivet)", "Next meetings (date, time when given)" },
	{ "contact_name", T_STRING, G_META, "contact.name", 0, "Yhteyshenkilö", "Kontaktperson",
	  "Contact person" },
	{ "contact_email", T_STRING, G_META, "contact.email", 0, "Yhteyshenkilön sähköposti",
	  "Kontaktpersonens e-post", "Contact's e-mail" },
	{ "join", T_STRING, G_META, "join", 0, "Miten ryhmään voi liittyä", "Hur man går med i gruppen",
	  "How to join the group" },
	{ "members", T_INTEGER, G_COUNT, "members", 0, "Jäsenten määrä (partnership-members)",
	  "Antal medlemmar (partnership-members)", "Number of members (partnership-members)" },
	TAIL,
};

static const column pages[] = {
	HEAD, TAIL,
};

static const column outcomes[] = {
	{ "negotiation", T_STRING, G_PARENT, NULL, 0, "Neuvottelu (negotiations.id)",
	  "Förhandling (negotiations.id)", "Negotiation (negotiations.id)" },
	{ "number", T_INTEGER, G_NUMBER, NULL, 0, "Järjestysnumero neuvottelussa",
	  "Ordningsnummer i förhandlingen", "Number within the negotiation" },
	{ "action", T_STRING, G_ITEM, "action", 0, "Sovittu toimi", "Överenskommen åtgärd",
	  "Agreed action" },
	{ "owner", T_STRING, G_ITEM, "owner", 0, "Vastuutaho", "Ansvarig", "Responsible" },
	{ "due", T_DATE, G_ITEM, "due", 0, "Määräaika", "Tidsfrist", "Due date" },
	{ "status", T_STRING, G_ITEM, "status", 0,
	  "Tila: planned (suunniteltu), in-progress (käynnissä), done (valmis), cancelled (peruttu)",
	  "Status: planned (planerad), in-progress (pågår), done (klar), cancelled (inställd)",
	  "Status: planned, in-progress, done or cancelled" },
};

static const column members[] = {
	{ "partnership", T_STRING, G_PARENT, NULL, 0, "Kumppanuusryhmä (partnerships.id)",
	  "Partnerskapsgrupp (partnerships.id)", "Partnership group (partnerships.id)" },
	{ "number", T_INTEGER, G_NUMBER, NULL, 0, "Järjestysnumero ryhmässä",
	  "Ordningsnummer i gruppen", "Number within the group" },
	{ "organisation", T_STRING, G_ITEM, "organisation", 0, "Organisaatio", "Organisation",
	  "Organisation" },
	{ "sector", T_STRING, G_ITEM, "sector", 0,
	  "Sektori: kunta, hyvinvointialue, järjestö, seurakunta, yritys, oppilaitos tai valtio",
	  "Sektor: kunta (kommun), hyvinvointialue (välfärdsområde), järjestö (organisation), "
	  "seurakunta (församling), yritys (företag), oppilaitos (läroanstalt), valtio (staten)",
	  "Sector: kunta (municipality), hyvinvointialue (county), järjestö (NGO), seurakunta "
	  "(parish), yritys (company), oppilaitos (school), valtio (state)" },
	{ "role", T_STRING, G_ITEM, "role", 0, "Rooli ryhmässä", "Roll i gruppen", "Role in the group" },
	{ "municipality", T_STRING, G_ITEM, "municipality", 0,
	  "Kunta, jota jäsen edustaa (municipalities.id)", "Kommun som medlemmen företräder "
	  "(municipalities.id)", "Municipality the member represents (municipalities.id)" },
};

static const column munis[] = {
	{ "record", T_STRING, G_PARENT, NULL, 0, "Asiakirja (sen taulukon id)", "Handling (id i dess tabell)",
	  "Record (the id in its table)" },
	{ "type", T_STRING, G_ITEM_TYPE, NULL, 0, "Asiakirjan laji (taulukko)", "Handlingens typ (tabell)",
	  "The record's type (its table)" },
	{ "municipality", T_STRING, G_ITEM_MUNI, NULL, 0, "Kunta (municipalities.id)",
	  "Kommun (municipalities.id)", "Municipality (municipalities.id)" },
};

#define TABLE(nm, ty, rows, cols, fi, sv, en) nm, ty, rows, cols, N(cols), fi, sv, en

const data_table data_tables[] = {
	{ TABLE("regions", REC_REGION, ROWS_RECORDS, regions, "Hyvinvointialue", "Välfärdsområde",
	  "Wellbeing services county"), { "id" }, { { NULL, NULL } } },
	{ TABLE("municipalities", REC_MUNICIPALITY, ROWS_RECORDS, municipalities, "Kunta", "Kommun",
	  "Municipality"), { "id" }, { { "region", "regions" } } },
	{ TABLE("agreements", REC_AGREEMENT, ROWS_RECORDS, agreements, "Yhteistyösopimus",
	  "Samarbetsavtal", "Cooperation agreement"), { "id" }, { { "region", "regions" } } },
	{ TABLE("minutes", REC_MINUTES, ROWS_RECORDS, minutes, "Pöytäkirjan pykälä",
	  "Protokollsparagraf", "Section of minutes"), { "id" }, { { "region", "regions" } } },
	{ TABLE("negotiations", REC_NEGOTIATION, ROWS_RECORDS, negotiations, "Neuvottelu",
	  "Förhandling", "Negotiation"), { "id" }, { { "region", "regions" } } },
	{ TABLE("reports", REC_REPORT, ROWS_RECORDS, reports,
	  "Hyvinvointikertomus, -suunnitelma tai vuosiraportti",
	  "Välfärdsberättelse, -plan eller årsrapport", "Wellbeing report, plan or annual report"),
	  { "id" }, { { "region", "regions" } } },
	{ TABLE("partnerships", REC_PARTNERSHIP, ROWS_RECORDS, partnerships, "Kumppanuusryhmä",
	  "Partnerskapsgrupp", "Partnership group"), { "id" }, { { "region", "regions" } } },
	{ TABLE("pages", REC_PAGE, ROWS_RECORDS, pages, "Muu sivu", "Annan sida", "Other page"),
	  { "id" }, { { NULL, NULL } } },
	{ TABLE("negotiation-outcomes", REC_NEGOTIATION, ROWS_OUTCOMES, outcomes,
	  "Neuvottelussa sovittu toimi", "Åtgärd som överenskommits i en förhandling",
	  "Action agreed in a negotiation"), { "negotiation", "number" },
	  { { "negotiation", "negotiations" } } },
	{ TABLE("partnership-members", REC_PARTNERSHIP, ROWS_MEMBERS, members,
	  "Kumppanuusryhmän jäsen", "Medlem i en partnerskapsgrupp", "Member of a partnership group"),
	  { "partnership", "number" }, { { "partnership", "partnerships" },
	  { "municipality", "municipalities" } } },
	{ TABLE("record-municipalities", REC_TYPE_COUNT, ROWS_MUNIS, munis,
	  "Asiakirjan ja kunnan pari: asiakirja koskee kuntaa",
	  "Ett par av handling och kommun: handlingen gäller kommunen",
	  "A record and a municipality it concerns"), { "record", "municipality" },
	  { { "municipality", "municipalities" } } },
};
const size_t n_data_tables = N(data_tables);
_Static_assert(N(data_tables) <= OD_MAX_TABLES, "OD_MAX_TABLES holds every table");

/* The columns several record tables share, once, for the data page. */
static const column common[] = {
	HEAD, DATE_COL, SCOPE_COLS, TAIL,
};
const column *const data_common_cols = common;
const size_t n_data_common_cols = N(common);

int data_col_common(const column *c)
{
	for (size_t i = 0; i < N(common); i++)
		if (strcmp(common[i].name, c->name) == 0)
			return 1;
	return 0;
}

void data_col_put(buf *out, const column *c, const char *lang, const char *col_lang)
{
	const char *text = strcmp(lang, "fi") == 0 ? c->fi : strcmp(lang, "sv") == 0 ? c->sv : c->en;
	const char *at = col_lang ? strstr(text, "{lang}") : NULL;
	if (!at) {
		buf_puts(out, text);
		return;
	}
	buf_put(out, text, (size_t)(at - text));
	buf_puts(out, col_lang);
	buf_puts(out, at + 6);
}

size_t data_col_count(const column *c, const site *s)
{
	return c->per_lang ? s->n_languages : 1;
}

const char *data_col_lang(const column *c, const site *s, size_t l)
{
	return c->per_lang ? s->languages[l] : NULL;
}

void data_col_name(buf *out, const column *c, const char *col_lang)
{
	buf_puts(out, c->name);
	if (col_lang)
		buf_printf(out, "_%s", col_lang);
}

const char *data_type_name(col_type t)
{
	static const char *const names[] = { "string", "date", "datetime", "integer", "list",
		"string" };
	return names[t];
}

const char *data_table_text(const data_table *t, const char *lang)
{
	return strcmp(lang, "fi") == 0 ? t->fi : strcmp(lang, "sv") == 0 ? t->sv : t->en;
}
