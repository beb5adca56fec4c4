/*
 * Unit tests of the content model: a minimal valid site built in memory, then
 * one variation per validation rule, each checked for its file, line and text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "diag.h"
#include "frontmatter.h"
#include "model.h"
#include "test.h"
#include "util.h"
#include "value.h"
#include "banned.h"

#define MAX_FILES 40

typedef struct fixture {
	model_file f[MAX_FILES];
	size_t n;
} fixture;

static const char site_yaml[] =
	"title: Hyvinvointiyhteistyö\n"
	"base_url: https://example.org/avoin\n"
	"languages: [fi, sv]\n"
	"themes:\n"
	"  - slug: elintavat\n"
	"    name: {fi: Elintavat, sv: Levnadsvanor, en: Lifestyles}\n"
	"  - slug: osallisuus\n"
	"    name: {fi: Osallisuus}\n"
	"accessibility:\n"
	"  contact: saavutettavuus@example.org\n"
	"hooks: {memory_mb: 32, instructions: 1000000}\n"
	"page_hooks: [obligations]\n"
	"footer: Yhteystiedot\n";

static const char region_md[] =
	"---\n"
	"type: region\n"
	"title: Pohjois-Karjala\n"
	"name: Pohjois-Karjalan hyvinvointialue\n"
	"name_sv: Norra Karelens välfärdsområde\n"
	"organisation: Siun sote\n"
	"areas:\n"
	"  - slug: keskinen\n"
	"    name: Keskinen\n"
	"    municipalities: [kontiolahti, joensuu]\n"
	"---\n"
	"Alueen esittely.\n";

static const char joensuu_md[] =
	"---\n"
	"type: municipality\n"
	"title: Joensuun kaupunki\n"
	"name: Joensuu\n"
	"website: https://www.joensuu.fi\n"
	"---\n";

static const char kontiolahti_md[] =
	"---\n"
	"type: municipality\n"
	"title: Kontiolahden kunta\n"
	"name: Kontiolahti\n"
	"languages: [fi]\n"
	"---\n";

static void fx_set(fixture *x, const char *path, const char *data)
{
	for (size_t i = 0; i < x->n; i++) {
		if (strcmp(x->f[i].path, path) == 0) {
			x->f[i].data = data;
			x->f[i].len = strlen(data);
			return;
		}
	}
	if (x->n == MAX_FILES)
		abort();
	x->f[x->n++] = (model_file){ path, data, strlen(data), "" };
}

static void fx_del(fixture *x, const char *path)
{
	for (size_t i = 0; i < x->n; i++) {
		if (strcmp(x->f[i].path, path) == 0) {
			x->f[i] = x->f[--x->n];
			return;
		}
	}
}

/* The valid minimal site: one region, two municipalities in one area, themes. */
static void fx_base(fixture *x)
{
	x->n = 0;
	fx_set(x, "site.yaml", site_yaml);
	fx_set(x, "pohjois-karjala/region.md", region_md);
	fx_set(x, "pohjois-karjala/kunnat/joensuu.md", joensuu_md);
	fx_set(x, "pohjois-karjala/kunnat/kontiolahti.md", kontiolahti_md);
}

static site *fx_load_jobs(fixture *x, diag_list *d, int strict, size_t jobs)
{
	model_opts o = { "content/", strict, jobs, NULL, 0 };
	return site_load(x->f, x->n, &o, d);
}

static site *fx_load(fixture *x, diag_list *d, int strict)
{
	return fx_load_jobs(x, d, strict, 3);
}

static void print_diags(const diag_list *d)
{
	for (size_t i = 0; i < d->n; i++) {
		buf b = BUF_INIT;
		diag_format(&b, &d->items[i]);
		printf("    | %s\n", b.ptr);
		buf_release(&b);
	}
}

/*
 * Loads the base site with one more file and checks that it gives exactly
 * one error, "content/<path>:<line>: <msg>".
 */
static int one_error(const char *path, const char *data, int line, const char *msg)
{
	char want[1024];
	snprintf(want, sizeof(want), "content/%s:%d: %s", path, line, msg);
	fixture x;
	fx_base(&x);
	fx_set(&x, path, data);
	diag_list d = DIAG_LIST_INIT;
	site *s = fx_load(&x, &d, 0);
	int ok = s != NULL && d.errors == 1 && d.n == 1;
	if (ok) {
		buf b = BUF_INIT;
		diag_format(&b, &d.items[0]);
		ok = strcmp(b.ptr, want) == 0;
		buf_release(&b);
	}
	if (!ok) {
		printf("  want exactly: %s\n", want);
		print_diags(&d);
	}
	site_free(s);
	diag_release(&d);
	return ok;
}

/* A record file: "---\n<front>---\nBody\n" (front ends with a newline). */
#define REC(front) "---\n" front "---\nTeksti.\n"

/* Records are parsed on several threads; the site and every message are the same. */
static void threads_do_not_change_the_result(void)
{
	static const char *const bad[] = {
		REC("type: page\ntitle: [\n"),
		REC("type: minutes\ntitle: X\n"),
		REC("title: Ei tyyppiä\n"),
		REC("type: page\ntitle: Hyvä\n"),
		"ei front matteria\n",
	};
	fixture x;
	fx_base(&x);
	char paths[20][64];
	for (size_t i = 0; i < 20; i++) {
		snprintf(paths[i], sizeof(paths[i]), "pohjois-karjala/sivut/s-%02zu.md", i);
		fx_set(&x, paths[i], bad[i % 5]);
	}
	buf want = BUF_INIT;
	for (size_t jobs = 1; jobs <= 5; jobs += 2) {
		diag_list d = DIAG_LIST_INIT;
		site *s = fx_load_jobs(&x, &d, 0, jobs);
		buf got = BUF_INIT;
		for (size_t i = 0; i < d.n; i++) {
			diag_format(&got, &d.items[i]);
			buf_putc(&got, '\n');
		}
		for (size_t i = 0; s && i < s->n_records; i++)
			buf_printf(&got, "%s %s\n", s->records[i]->path, s->records[i]->title);
		if (jobs == 1) {
			CHECK(d.errors >= 12);
			buf_put(&want, got.ptr, got.len);
		} else {
			CHECK_STR(got.ptr, want.ptr);
		}
		buf_release(&got);
		site_free(s);
		diag_release(&d);
	}
	buf_release(&want);
}

/* Diagnostics, records and the model of a load, as text. */
static void load_text(fixture *x, fm_cache *fm, int strict, buf *out)
{
	diag_list d = DIAG_LIST_INIT;
	model_opts o = { "content/", strict, 2, fm, 0 };
	site *s = site_load(x->f, x->n, &o, &d);
	for (size_t i = 0; i < d.n; i++) {
		diag_format(out, &d.items[i]);
		buf_putc(out, '\n');
	}
	if (s) {
		value *v = site_model_value(s, "2024-05-01");
		value_put_json(out, v);
		value_free(v);
		for (size_t i = 0; i < s->n_records; i++)
			buf_printf(out, "\n%s %d %zu", s->records[i]->path, s->records[i]->body_line,
				s->records[i]->body_len);
	}
	site_free(s);
	diag_release(&d);
}

/* Parsed front matter from the cache loads exactly as parsing it again: lines in messages too. */
static void front_matter_cache_changes_nothing(void)
{
	fixture x;
	fx_base(&x);
	fx_set(&x, "pohjois-karjala/sivut/outo.md", REC("type: page\ntitle: Outo\nvari: sininen\n"));
	fx_set(&x, "pohjois-karjala/sivut/huono.md", REC("type: kokous\ntitle: Huono\n"));
	fx_set(&x, "pohjois-karjala/sivut/rikki.md", REC("type: page\ntitle: [\n"));
	/* blob ids: any 40 hex digits that differ by content */
	static char oids[MAX_FILES][41];
	for (size_t i = 0; i < x.n; i++) {
		uint64_t h = str_hash(x.f[i].data);
		snprintf(oids[i], sizeof oids[i], "%016llx%016llx%08x", (unsigned long long)h,
			(unsigned long long)~h, (unsigned)i);
		x.f[i].oid = oids[i];
	}
	char dir[] = "/tmp/avoin-test-model-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *path = xasprintf("%s/frontmatter", dir);
	for (int strict = 0; strict <= 1; strict++) {
		buf plain = BUF_INIT, first = BUF_INIT, second = BUF_INIT;
		load_text(&x, NULL, strict, &plain);
		fm_cache *c = fm_cache_open(path, "test");
		load_text(&x, c, strict, &first);
		CHECK(fm_cache_save(c) == 0);
		fm_cache_free(c);
		c = fm_cache_open(path, "test");
		load_text(&x, c, strict, &second);
		/* every file but the one that does not parse came from the cache */
		CHECK(fm_cache_hits(c) == x.n - 2);
		fm_cache_free(c);
		CHECK_STR(first.ptr, plain.ptr);
		CHECK_STR(second.ptr, plain.ptr);
		CHECK(strstr(plain.ptr, "content/pohjois-karjala/sivut/huono.md:2:") != NULL);
		CHECK(!strict || strstr(plain.ptr, "content/pohjois-karjala/sivut/outo.md:4:") != NULL);
		buf_release(&plain);
		buf_release(&first);
		buf_release(&second);
	}
	char *rm = xasprintf("rm -rf '%s'", dir);
	CHECK(system(rm) == 0);
	free(rm);
	free(path);
}

static void minimal_site_loads_clean(void)
{
	fixture x;
	fx_base(&x);
	fx_set(&x, "pohjois-karjala/data/ktt.tsv", "Alue\t1/2023\nKeskinen\t55\n");
	fx_set(&x, "hooks/summary.lua", "return function(r, s) return nil end\n");
	fx_set(&x, "tietoa.md", REC("type: page\ntitle: Tietoa palvelusta\n"));
	diag_list d = DIAG_LIST_INIT;
	site *s = fx_load(&x, &d, 1);
	print_diags(&d);
	CHECK(d.n == 0);
	CHECK_STR(s->title, "Hyvinvointiyhteistyö");
	CHECK_STR(s->base_url, "https://example.org/avoin/");
	CHECK(s->n_languages == 2);
	CHECK_STR(s->languages[0], "fi");
	CHECK_STR(s->languages[1], "sv");
	CHECK_STR(s->content_prefix, "content/");
	CHECK(s->n_themes == 2);
	CHECK_STR(theme_name(site_find_theme(s, "elintavat"), "sv"), "Levnadsvanor");
	CHECK_STR(theme_name(site_find_theme(s, "osallisuus"), "en"), "Osallisuus");
	CHECK(site_find_theme(s, "liikunta") == NULL);
	/* Unknown site keys are kept. */
	CHECK_STR(value_map_str(s->config, "footer"), "Yhteystiedot");
	CHECK(s->n_records == 4);
	CHECK_STR(s->records[0]->path, "pohjois-karjala/kunnat/joensuu.md");
	CHECK_STR(s->records[1]->path, "pohjois-karjala/kunnat/kontiolahti.md");
	CHECK_STR(s->records[2]->path, "pohjois-karjala/region.md");
	CHECK_STR(s->records[3]->path, "tietoa.md");
	CHECK(s->n_regions == 1);
	region *g = site_find_region(s, "pohjois-karjala");
	CHECK(g && g->rec == s->records[2]);
	CHECK(g->n_areas == 1);
	CHECK_STR(g->areas[0].slug, "keskinen");
	CHECK_STR(g->areas[0].name, "Keskinen");
	CHECK(g->areas[0].n_municipalities == 2);
	CHECK_STR(g->areas[0].municipalities[0]->slug, "kontiolahti");
	CHECK(g->n_municipalities == 2);
	CHECK_STR(g->municipalities[0]->slug, "joensuu");
	CHECK_STR(g->municipalities[1]->slug, "kontiolahti");
	record *j = site_find_municipality(s, "joensuu");
	CHECK(j && j->type == REC_MUNICIPALITY && j->region == g);
	CHECK(j->n_municipalities == 1 && j->municipalities[0] == j);
	CHECK_STR(j->title, "Joensuun kaupunki");
	CHECK_STR(j->lang, "fi");
	CHECK_STR(j->file, "content/pohjois-karjala/kunnat/joensuu.md");
	CHECK(j->date == NULL && j->draft == 0);
	CHECK(s->n_files == 2);
	CHECK_STR(s->files[0].path, "hooks/summary.lua");
	const model_file *f = site_find_file(s, "pohjois-karjala/data/ktt.tsv");
	CHECK(f && f->len == strlen("Alue\t1/2023\nKeskinen\t55\n"));
	CHECK(f && f->data != x.f[4].data && strcmp(f->data, x.f[4].data) == 0);
	CHECK(site_find_record(s, "tietoa.md")->region == NULL);
	site_free(s);
	diag_release(&d);
}

static void record_urls_and_bodies(void)
{
	fixture x;
	fx_base(&x);
	fx_set(&x, "pohjois-karjala/poytakirjat/2023-10-12-lautakunta.md",
		"---\ntype: minutes\ntitle: Lautakunta\ndate: 2023-10-12\nsection: 285\n---\n"
		"# Päätös\n\nHyväksyttiin.\n");
	fx_set(&x, "tietoa.md", REC("type: page\ntitle: Tietoa\n"));
	diag_list d = DIAG_LIST_INIT;
	site *s = fx_load(&x, &d, 0);
	CHECK(d.n == 0);
	record *m = site_find_record(s, "pohjois-karjala/poytakirjat/2023-10-12-lautakunta.md");
	CHECK(m != NULL);
	CHECK_STR(m->url, "/pohjois-karjala/poytakirjat/2023-10-12-lautakunta/");
	CHECK_STR(m->slug, "2023-10-12-lautakunta");
	CHECK(m->type == REC_MINUTES);
	CHECK_STR(m->date, "2023-10-12");
	CHECK(m->body_line == 7);
	CHECK_STR(m->body, "# Päätös\n\nHyväksyttiin.\n");
	CHECK(m->body_len == strlen(m->body));
	CHECK(value_map_get(m->meta, "section")->kind == VAL_NUMBER);
	CHECK_STR(site_find_record(s, "pohjois-karjala/region.md")->url, "/pohjois-karjala/");
	CHECK_STR(site_find_record(s, "tietoa.md")->url, "/tietoa/");
	CHECK(site_find_url(s, "/pohjois-karjala/")
		== site_find_record(s, "pohjois-karjala/region.md"));
	CHECK(site_find_url(s, "/tietoa/") == site_find_record(s, "tietoa.md"));
	CHECK(site_find_url(s, "/tietoa") == NULL);
	CHECK(site_find_url(s, "/") == NULL);
	site_free(s);
	diag_release(&d);
}

static void record_types_round_trip(void)
{
	record_type t;
	CHECK(record_type_parse("negotiation", &t) == 0 && t == REC_NEGOTIATION);
	CHECK(record_type_parse("Page", &t) < 0);
	CHECK_STR(record_type_name(REC_PARTNERSHIP), "partnership");
	CHECK(record_type_name(REC_TYPE_COUNT) == NULL);
	for (int i = 0; i < REC_TYPE_COUNT; i++)
		CHECK(record_type_parse(record_type_name((record_type)i), &t) == 0 && (int)t == i);
}

static void every_type_validates_clean(void)
{
	fixture x;
	fx_base(&x);
	fx_set(&x, "pohjois-karjala/sopimukset/liite-a.pdf", "%PDF-1.4");
	fx_set(&x, "pohjois-karjala/data/ktt.tsv", "Alue\tx\n");
	fx_set(&x, "pohjois-karjala/sopimukset/2023-puitesopimus.md", REC(
		"type: agreement\ntitle: Puitesopimus\nstatus: signed\nsigned: 2023-06-01\n"
		"valid_from: 2023-07-01\nvalid_until: 2025-12-31\n"
		"parties: [pohjois-karjala, joensuu, Pohjois-Karjalan liitto]\n"
		"legal_basis: 611/2021 14 §\nannexes:\n  - {title: Liite A, file: liite-a.pdf}\n"
		"municipalities: [joensuu]\nthemes: [elintavat]\nlang: sv\nsummary: Lyhyesti.\n"));
	fx_set(&x, "pohjois-karjala/poytakirjat/khall.md", REC(
		"type: minutes\ntitle: Kaupunginhallitus\ndate: 2023-11-20\n"
		"body: Kaupunginhallitus\n"
		"section: 285\ndiary: 384/00.04.01/2023\npreparers: [A, B]\n"));
	fx_set(&x, "pohjois-karjala/poytakirjat/lauta.md", REC(
		"type: minutes\ntitle: Lautakunta\ndate: 2023-10-12\nsection: '§ 15'\n"
		"preparers: C\n"));
	fx_set(&x, "pohjois-karjala/neuvottelut/2023-hyte.md", REC(
		"type: negotiation\ntitle: HYTE-neuvottelu\ndate: 2023-09-01\nkind: hyte\n"
		"participants: [Joensuu, Siun sote]\noutcomes:\n"
		"  - {action: Tee, owner: Joensuu, due: 2024-01-31, status: in-progress}\n"
		"  - action: Toinen\nnext: 2024-09-01\n"));
	fx_set(&x, "pohjois-karjala/raportit/hyvinvointisuunnitelma.md", REC(
		"type: report\ntitle: Suunnitelma\nkind: wellbeing-plan\nperiod: 2025-2028\n"
		"priorities: [Mielen hyvinvointi]\n"
		"approved: {by: Aluevaltuusto, date: 2024-12-16}\n"
		"indicators: [../data/ktt.tsv]\n"));
	fx_set(&x, "pohjois-karjala/raportit/vuosi.md", REC(
		"type: report\ntitle: Vuosi\nperiod: 2024\n"));
	fx_set(&x, "pohjois-karjala/kumppanuus/keskinen.md", REC(
		"type: partnership\ntitle: Keskisen kumppanuuspöytä\narea: keskinen\n"
		"themes: [osallisuus]\nmembers:\n"
		"  - {organisation: Joensuun kaupunki, sector: kunta, role: pj,\n"
		"     municipality: joensuu}\n"
		"  - {organisation: Järjestö ry, sector: järjestö}\n"
		"meets: 1-3 kertaa vuodessa\nnext_meetings: [2024-02-01, 2024-05-01]\n"
		"contact: {name: Koordinaattori, email: k@example.org}\njoin: Ota yhteyttä.\n"));
	fx_set(&x, "pohjois-karjala/sivut/info.md", REC(
		"type: page\ntitle: Info\ndate: 2023-01-02\ndraft: true\n"));
	diag_list d = DIAG_LIST_INIT;
	site *s = fx_load(&x, &d, 1);
	print_diags(&d);
	CHECK(d.n == 0);
	record *a = site_find_record(s, "pohjois-karjala/sopimukset/2023-puitesopimus.md");
	CHECK_STR(a->date, "2023-06-01");
	CHECK_STR(a->lang, "sv");
	CHECK(a->n_municipalities == 1 && strcmp(a->municipalities[0]->slug, "joensuu") == 0);
	CHECK_STR(site_find_record(s, "pohjois-karjala/raportit/hyvinvointisuunnitelma.md")->date,
		"2024-12-16");
	CHECK(site_find_record(s, "pohjois-karjala/raportit/vuosi.md")->date == NULL);
	CHECK_STR(site_find_record(s, "pohjois-karjala/neuvottelut/2023-hyte.md")->date,
		"2023-09-01");
	record *p = site_find_record(s, "pohjois-karjala/kumppanuus/keskinen.md");
	/* A partnership concerns its area's municipalities, in the area's order. */
	CHECK(p->n_municipalities == 2);
	CHECK_STR(p->municipalities[0]->slug, "kontiolahti");
	CHECK_STR(p->municipalities[1]->slug, "joensuu");
	record *info = site_find_record(s, "pohjois-karjala/sivut/info.md");
	CHECK(info->draft == 1);
	CHECK_STR(info->date, "2023-01-02");
	CHECK(info->region == site_find_region(s, "pohjois-karjala"));
	site_free(s);
	diag_release(&d);
}

static void agreement_date_falls_back_to_valid_from(void)
{
	fixture x;
	fx_base(&x);
	fx_set(&x, "pohjois-karjala/s.md", REC(
		"type: agreement\ntitle: S\nstatus: approved\nvalid_from: 2024-01-01\n"));
	diag_list d = DIAG_LIST_INIT;
	site *s = fx_load(&x, &d, 0);
	CHECK(d.n == 0);
	CHECK_STR(site_find_record(s, "pohjois-karjala/s.md")->date, "2024-01-01");
	site_free(s);
	diag_release(&d);
}

/* ---- site.yaml ---- */

static void site_yaml_missing(void)
{
	fixture x;
	fx_base(&x);
	fx_del(&x, "site.yaml");
	diag_list d = DIAG_LIST_INIT;
	site *s = fx_load(&x, &d, 0);
	CHECK(s != NULL && d.errors == 1);
	CHECK(diag_contains(&d, "content/site.yaml: missing site settings (expected a file "
		"'site.yaml' at the content root)"));
	/* The records are still loaded and checked, with the default language. */
	CHECK(s->n_records == 3 && s->n_languages == 1);
	CHECK_STR(s->languages[0], "fi");
	CHECK_STR(s->title, "");
	site_free(s);
	diag_release(&d);
}

static int site_error(const char *yaml, const char *want)
{
	fixture x;
	fx_base(&x);
	fx_set(&x, "site.yaml", yaml);
	diag_list d = DIAG_LIST_INIT;
	site *s = fx_load(&x, &d, 0);
	int ok = d.errors == 1 && d.n == 1 && diag_contains(&d, want);
	if (!ok) {
		printf("  want: %s\n", want);
		print_diags(&d);
	}
	site_free(s);
	diag_release(&d);
	return ok;
}

static void site_yaml_errors(void)
{
	CHECK(site_error("title: [x\n",
		"content/site.yaml:2: invalid YAML: did not find expected ',' or ']'"));
	CHECK(site_error("- a\n",
		"content/site.yaml:1: site settings must be a map of keys (got a list)"));
	CHECK(site_error("base_url: https://x.fi/\n",
		"content/site.yaml:1: 'title' is required (expected the site's title)"));
	/* every URL from content passes one check; a refused one names file and line */
	CHECK(site_error("title: T\nbase_url: \"javascript:alert(1)//\"\n",
		"content/site.yaml:2: 'base_url' must be an http or https address "
		"(got 'javascript:alert(1)//')"));
	CHECK(site_error("title: T\nbase_url: /\n",
		"content/site.yaml:2: 'base_url' must be an http or https address (got '/')"));
	CHECK(site_error("title: T\nbase_url: https://x.fi/?a#b\n",
		"content/site.yaml:2: 'base_url' must be the site's address without '?' or '#'"));
	CHECK(site_error("title: T\naccessibility:\n  contact: \"javascript:x\"\n",
		"content/site.yaml:3: 'accessibility.contact' must be an e-mail address or an "
		"http or https address (got 'javascript:x')"));
	CHECK(site_error("title: T\naccessibility:\n  authority: {name: A, url: \"data:x\"}\n",
		"content/site.yaml:3: 'accessibility.authority.url' must be an http or https "
		"address (got 'data:x')"));
	CHECK(site_error("title: \"Sivu\\0<script>\"\n",
		"content/site.yaml:1: a value holds the control character U+0000"));
	CHECK(site_error("title: 5\n",
		"content/site.yaml:1: 'title' must be a non-empty string (got a number)"));
	CHECK(site_error("title: T\nlanguages: fi\n",
		"content/site.yaml:2: 'languages' must be a list (got a string)"));
	CHECK(site_error("title: T\nlanguages: [fi, suomi]\n",
		"content/site.yaml:2: 'languages' must be a list of two-letter language codes "
		"(fi, sv, en) (got 'suomi')"));
	CHECK(site_error("title: T\nlanguages: [fi, fi]\n",
		"content/site.yaml:2: 'languages' names 'fi' twice"));
	CHECK(site_error("title: T\nbase_url: [x]\n",
		"content/site.yaml:2: 'base_url' must be a string (got a list)"));
	CHECK(site_error("title: T\nthemes:\n  - slug: Elintavat\n    name: {fi: E}\n",
		"content/site.yaml:3: 'Elintavat' is not a valid slug (expected lower-case letters "
		"a-z, digits and '-')"));
	CHECK(site_error("title: T\nthemes:\n  - {slug: a, name: {fi: A}}\n"
		"  - {slug: a, name: {fi: B}}\n",
		"content/site.yaml:4: theme 'a' is defined twice"));
	CHECK(site_error("title: T\nthemes:\n  - {name: {fi: A}}\n",
		"content/site.yaml:3: 'themes.slug' is required (expected a string)"));
	CHECK(site_error("title: T\nthemes:\n  - {slug: a}\n",
		"content/site.yaml:3: 'themes.name' is required (expected a map)"));
	CHECK(site_error("title: T\nthemes:\n  - elintavat\n",
		"content/site.yaml:3: 'themes' must be a list of maps (got a string)"));
	CHECK(site_error("title: T\naccessibility: yes\n",
		"content/site.yaml:2: 'accessibility' must be a map (got a string)"));
	CHECK(site_error("title: T\nhooks: {memory_mb: lots}\n",
		"content/site.yaml:2: 'hooks.memory_mb' must be a whole number of MiB from 1 to 4096 "
		"(got 'lots')"));
	CHECK(site_error("title: T\nhooks: {instructions: -1}\n",
		"content/site.yaml:2: 'hooks.instructions' must be a whole number from 1000 to "
		"1000000000000 (got a number)"));
	CHECK(site_error("title: T\npage_hooks: [obligations, 3]\n",
		"content/site.yaml:2: 'page_hooks' must be a list of strings (got a number)"));
}

static void base_url_keeps_its_slash_and_defaults(void)
{
	fixture x;
	fx_base(&x);
	fx_set(&x, "site.yaml", "title: T\nbase_url: https://x.fi/\n");
	diag_list d = DIAG_LIST_INIT;
	site *s = fx_load(&x, &d, 0);
	CHECK(d.n == 0);
	CHECK_STR(s->base_url, "https://x.fi/");
	CHECK(s->n_languages == 1 && strcmp(s->languages[0], "fi") == 0 && s->n_themes == 0);
	site_free(s);
	fx_set(&x, "site.yaml", "title: T\n");
	s = fx_load(&x, &d, 0);
	CHECK_STR(s->base_url, "");
	site_free(s);
	diag_release(&d);
}

/* ---- paths and folders ---- */

static void bad_slug_in_path(void)
{
	CHECK(one_error("pohjois-karjala/Foo_Bar/x.md", REC("type: page\ntitle: X\n"),
		1, "'Foo_Bar' is not a valid slug (expected lower-case letters a-z, digits and "
		"'-')"));
	CHECK(one_error("pohjois-karjala/sivut/Tietoa.md", REC("type: page\ntitle: X\n"),
		1, "'Tietoa' is not a valid slug (expected lower-case letters a-z, digits and "
		"'-')"));
	CHECK(one_error("pohjois-karjala/sivut/rääkkylä.md", REC("type: page\ntitle: X\n"),
		1, "'rääkkylä' is not a valid slug (expected lower-case letters a-z, digits and "
		"'-')"));
}

static void root_index_is_refused(void)
{
	CHECK(one_error("index.md", REC("type: page\ntitle: Etusivu\n"),
		1, "'index.md' is not allowed at the content root (the front page is generated; "
		"expected another file name)"));
}

static void root_records_must_be_pages(void)
{
	CHECK(one_error("sopimus.md", REC("title: S\ntype: agreement\nstatus: draft\n"),
		3, "a record at the content root must be of type 'page' (got 'agreement')"));
}

static void folder_without_region_md(void)
{
	fixture x;
	fx_base(&x);
	fx_set(&x, "keski-suomi/sopimukset/b.md", REC("type: page\ntitle: B\n"));
	fx_set(&x, "keski-suomi/a.md", REC("type: page\ntitle: A\n"));
	diag_list d = DIAG_LIST_INIT;
	site *s = fx_load(&x, &d, 0);
	/* One error for the folder, naming one of its files. */
	CHECK(d.errors == 1);
	CHECK(diag_contains(&d, "content/keski-suomi/a.md:1: 'keski-suomi/a.md' is not in a region "
		"folder (expected keski-suomi/region.md)"));
	CHECK(site_find_record(s, "keski-suomi/a.md")->region == NULL);
	site_free(s);
	diag_release(&d);
}

static void region_md_must_be_a_region(void)
{
	CHECK(one_error("keski-suomi/region.md", REC("type: page\ntitle: Keski-Suomi\n"),
		2, "'type' must be 'region' in a region's region.md (got 'page')"));
	CHECK(one_error("pohjois-karjala/sivut/alue.md", REC("type: region\ntitle: A\nname: A\n"),
		2, "type 'region' is only allowed in a region folder's region.md (expected "
		"pohjois-karjala/region.md)"));
}

static void front_matter_errors_are_reported(void)
{
	CHECK(one_error("pohjois-karjala/x.md", "# Otsikko\n",
		1, "missing front matter (expected '---' on the first line)"));
	CHECK(one_error("pohjois-karjala/x.md", "---\ntype: page\ntitle: x\n",
		3, "front matter is not closed (expected a line '---')"));
	CHECK(one_error("pohjois-karjala/x.md", "---\n- type\n---\n",
		2, "front matter must be a map of keys (got a list)"));
	CHECK(one_error("pohjois-karjala/x.md", REC("type: page\ntitle: x\ntitle: y\n"),
		4, "duplicate key 'title' (first given on line 3)"));
}

static void duplicate_urls(void)
{
	fixture x;
	fx_base(&x);
	fx_set(&x, "pohjois-karjala.md", REC("type: page\ntitle: PK\n"));
	diag_list d = DIAG_LIST_INIT;
	site *s = fx_load(&x, &d, 0);
	/* Reported on the later path, naming the earlier one. */
	CHECK(d.errors == 1);
	CHECK(diag_contains(&d, "content/pohjois-karjala/region.md:1: url '/pohjois-karjala/' is "
		"also the url of content/pohjois-karjala.md (expected one record per url)"));
	site_free(s);
	diag_release(&d);
}

static void duplicate_municipality(void)
{
	CHECK(one_error("pohjois-karjala/muut/joensuu.md",
		REC("type: municipality\ntitle: Joensuu\nname: Joensuu\n"),
		1, "municipality 'joensuu' is defined twice: in "
		"content/pohjois-karjala/kunnat/joensuu.md and in "
		"content/pohjois-karjala/muut/joensuu.md (expected one file per municipality)"));
}

/* ---- common keys ---- */

static void type_errors(void)
{
	CHECK(one_error("pohjois-karjala/x.md", REC("title: X\n"),
		2, "'type' is required (expected one of region, municipality, agreement, "
		"minutes, negotiation, report, partnership, page)"));
	CHECK(one_error("pohjois-karjala/x.md", REC("title: X\ntype: kokous\n"),
		3, "'type' must be one of region, municipality, agreement, minutes, "
		"negotiation, report, partnership, page (got 'kokous')"));
}

static void title_errors(void)
{
	CHECK(one_error("pohjois-karjala/x.md", REC("type: page\n"),
		2, "'title' is required (expected the record's title)"));
	CHECK(one_error("pohjois-karjala/x.md", REC("type: page\ntitle: ''\n"),
		3, "'title' must be a non-empty string (got '')"));
	CHECK(one_error("pohjois-karjala/x.md", REC("type: page\ntitle: [a]\n"),
		3, "'title' must be a non-empty string (got a list)"));
}

static void date_errors(void)
{
	CHECK(one_error("pohjois-karjala/x.md", REC("type: page\ntitle: X\ndate: 20.11.2023\n"),
		4, "'date' must be an ISO date YYYY-MM-DD (got '20.11.2023')"));
	CHECK(one_error("pohjois-karjala/x.md", REC("type: minutes\ntitle: X\n"),
		2, "'date' is required (expected an ISO date YYYY-MM-DD)"));
	CHECK(one_error("pohjois-karjala/x.md", REC("title: X\ntype: negotiation\n"),
		3, "'date' is required (expected an ISO date YYYY-MM-DD)"));
	CHECK(one_error("pohjois-karjala/x.md", REC("type: minutes\ntitle: X\ndate: 2023-02-29\n"),
		4, "'date' must be an ISO date YYYY-MM-DD (got '2023-02-29')"));
	CHECK(one_error("pohjois-karjala/x.md", REC("type: minutes\ntitle: X\ndate: 2023\n"),
		4, "'date' must be an ISO date YYYY-MM-DD (got a number)"));
}

static void municipalities_errors(void)
{
	CHECK(one_error("pohjois-karjala/x.md",
		REC("type: page\ntitle: X\nmunicipalities: joensuu\n"),
		4, "'municipalities' must be a list (got a string)"));
	CHECK(one_error("pohjois-karjala/x.md",
		REC("type: page\ntitle: X\nmunicipalities:\n  - joensuu\n  - kuopio\n"),
		6, "'municipalities' names 'kuopio', which is not a municipality of region "
		"'pohjois-karjala'"));
}

static void municipality_of_another_region(void)
{
	fixture x;
	fx_base(&x);
	fx_set(&x, "keski-suomi/region.md", REC("type: region\ntitle: Keski-Suomi\nname: K-S\n"));
	fx_set(&x, "keski-suomi/kunnat/jyvaskyla.md",
		REC("type: municipality\ntitle: Jyväskylä\nname: Jyväskylä\n"));
	fx_set(&x, "pohjois-karjala/x.md",
		REC("type: page\ntitle: X\nmunicipalities: [jyvaskyla]\n"));
	diag_list d = DIAG_LIST_INIT;
	site *s = fx_load(&x, &d, 0);
	CHECK(d.errors == 1);
	CHECK(diag_contains(&d, "content/pohjois-karjala/x.md:4: 'municipalities' names "
		"'jyvaskyla', "
		"which is not a municipality of region 'pohjois-karjala'"));
	CHECK(s->n_regions == 2);
	CHECK_STR(s->regions[0].slug, "keski-suomi");
	CHECK_STR(s->regions[1].slug, "pohjois-karjala");
	site_free(s);
	diag_release(&d);
}

/* A Finnish word for an allowed value, or a typo of one, gets what was meant. */
static void near_misses_are_suggested(void)
{
	const char *p = "pohjois-karjala/sopimukset/s.md";
	CHECK(one_error(p, REC("type: agreement\ntitle: S\nstatus: allekirjoitettu\n"), 4,
		"'status' must be one of draft, approved, signed, expired (got 'allekirjoitettu'; "
		"did you mean 'signed'?)"));
	CHECK(one_error(p, REC("type: agreement\ntitle: S\nstatus: signd\n"), 4,
		"'status' must be one of draft, approved, signed, expired (got 'signd'; did you "
		"mean 'signed'?)"));
	/* the Swedish words too */
	CHECK(one_error(p, REC("type: agreement\ntitle: S\nstatus: undertecknat\n"), 4,
		"'status' must be one of draft, approved, signed, expired (got 'undertecknat'; "
		"did you mean 'signed'?)"));
	CHECK(one_error(p, REC("type: protokoll\ntitle: S\ndate: 2024-01-01\n"), 2,
		"'type' must be one of region, municipality, agreement, minutes, negotiation, "
		"report, partnership, page (got 'protokoll'; did you mean 'minutes'?)"));
	CHECK(one_error(p, REC("type: agreement\ntitle: S\nstatus: kokous\n"), 4,
		"'status' must be one of draft, approved, signed, expired (got 'kokous')"));
	CHECK(one_error(p, REC("type: pöytäkirja\ntitle: S\ndate: 2024-01-01\n"), 2,
		"'type' must be one of region, municipality, agreement, minutes, negotiation, "
		"report, partnership, page (got 'pöytäkirja'; did you mean 'minutes'?)"));
	CHECK(one_error(p, REC("type: minute\ntitle: S\ndate: 2024-01-01\n"), 2,
		"'type' must be one of region, municipality, agreement, minutes, negotiation, "
		"report, partnership, page (got 'minute'; did you mean 'minutes'?)"));
	const char *g = "pohjois-karjala/kumppanuus/k.md";
	CHECK(one_error(g, REC("type: partnership\ntitle: K\nmembers:\n  - organisation: X\n"
		"    sector: jarjesto\n"), 6, "'members.sector' must be one of kunta (municipality), "
		"hyvinvointialue (wellbeing services county), järjestö (association), seurakunta "
		"(parish), yritys (company), oppilaitos (educational institution), valtio (central "
		"government) (got 'jarjesto'; did you mean 'järjestö'?)"));
	CHECK(one_error(g, REC("type: partnership\ntitle: K\nmembers:\n  - organisation: X\n"
		"    sector: yhdistys\n"), 6, "'members.sector' must be one of kunta (municipality), "
		"hyvinvointialue (wellbeing services county), järjestö (association), seurakunta "
		"(parish), yritys (company), oppilaitos (educational institution), valtio (central "
		"government) (got 'yhdistys'; did you mean 'järjestö'?)"));
	CHECK(one_error("pohjois-karjala/x.md", REC("type: page\ntitle: X\nthemes: [osalisuus]\n"),
		4, "'themes' names 'osalisuus', which is not a theme of site.yaml (expected one "
		"of elintavat, osallisuus; did you mean 'osallisuus'?)"));
	CHECK(one_error("pohjois-karjala/n.md", REC("type: report\ntitle: R\nkind: vuosikertomus\n"),
		4, "'kind' must be one of wellbeing-report, wellbeing-plan, annual-report (got "
		"'vuosikertomus'; did you mean 'annual-report'?)"));
}

static void themes_errors(void)
{
	CHECK(one_error("pohjois-karjala/x.md",
		REC("type: page\ntitle: X\nthemes: [elintavat, liikunta]\n"),
		4, "'themes' names 'liikunta', which is not a theme of site.yaml (expected one "
		"of elintavat, osallisuus)"));
	CHECK(one_error("pohjois-karjala/x.md", REC("type: page\ntitle: X\nthemes: elintavat\n"),
		4, "'themes' must be a list (got a string)"));
}

static void lang_summary_draft_errors(void)
{
	CHECK(one_error("pohjois-karjala/x.md", REC("type: page\ntitle: X\nlang: en\n"),
		4, "'lang' must be one of the site's languages fi, sv (got 'en')"));
	CHECK(one_error("pohjois-karjala/x.md", REC("type: page\ntitle: X\nsummary: [a]\n"),
		4, "'summary' must be a string (got a list)"));
	CHECK(one_error("pohjois-karjala/x.md", REC("type: page\ntitle: X\ndraft: yes\n"),
		4, "'draft' must be true or false (got 'yes')"));
}

/* ---- translations ---- */

static void translation_name_is_parsed(void)
{
	char *orig = NULL, lang[4];
	CHECK(site_translation_name("r/sopimukset/2023-x.sv.md", &orig, lang) == 1);
	CHECK_STR(orig, "r/sopimukset/2023-x.md");
	CHECK_STR(lang, "sv");
	free(orig);
	CHECK(site_translation_name("r/x.md", NULL, lang) == 0);
	CHECK(site_translation_name("r/x.v2.md", NULL, lang) == 0);     /* a digit: no language */
	CHECK(site_translation_name("r/x.swe1.md", NULL, lang) == 0);
	CHECK(site_translation_name("r/.sv.md", NULL, lang) == 0);      /* no slug before it */
	CHECK(site_translation_name("r/x.sv.txt", NULL, lang) == 0);
}

static void translation_takes_the_originals_keys(void)
{
	fixture x;
	fx_base(&x);
	fx_set(&x, "pohjois-karjala/kunnat/joensuu.sv.md",
		REC("title: Joensuu stad\nsummary: Staden.\n"));
	diag_list d = DIAG_LIST_INIT;
	site *s = fx_load(&x, &d, 1);
	print_diags(&d);
	CHECK(d.n == 0);
	CHECK(s->n_translations == 1);
	record *j = site_find_record(s, "pohjois-karjala/kunnat/joensuu.md");
	record *t = site_find_translation(s, "pohjois-karjala/kunnat/joensuu.sv.md");
	CHECK(j && t && t->original == j && j->n_translations == 1 && j->translations[0] == t);
	CHECK_STR(t->lang, "sv");
	CHECK_STR(t->title, "Joensuu stad");
	CHECK(t->type == REC_MUNICIPALITY);
	CHECK_STR(t->url, j->url);
	/* a key it does not give comes from the original */
	CHECK_STR(value_map_str(t->meta, "website"), "https://www.joensuu.fi");
	CHECK(record_in_lang(j, "sv") == t && record_in_lang(j, "fi") == j &&
		record_in_lang(j, "en") == NULL);
	/* not a record of its own: lists and lookups by URL find the original */
	CHECK(site_find_url(s, j->url) == j);
	for (size_t i = 0; i < s->n_records; i++)
		CHECK(s->records[i] != t);
	CHECK(site_n_texts(s) == s->n_records + 1 && site_text_at(s, s->n_records) == t);
	value *v = record_value(j);
	CHECK_STR(value_map_str(value_map_get(v, "titles"), "sv"), "Joensuu stad");
	value_free(v);
	site_free(s);
	diag_release(&d);
}

static void translation_errors(void)
{
	/* a key of the wrong type: at the translation's line, once */
	CHECK(one_error("pohjois-karjala/kunnat/joensuu.sv.md",
		REC("title: Joensuu\nwebsite: [a]\n"), 3,
		"'website' must be a string (got a list)"));
	CHECK(one_error("pohjois-karjala/kunnat/joensuu.sv.md", REC("title: J\ntype: page\n"), 3,
		"'type' must be the original's type 'municipality' (or no 'type': a translation "
		"takes it from content/pohjois-karjala/kunnat/joensuu.md) (got 'page')"));
	CHECK(one_error("pohjois-karjala/kunnat/joensuu.sv.md", REC("title: J\nlang: fi\n"), 3,
		"'lang' must be 'sv', the language its file name gives (or no 'lang') (got 'fi')"));
	CHECK(one_error("pohjois-karjala/kunnat/liperi.sv.md", REC("title: Liperi\n"), 1,
		"a translation without an original: no 'pohjois-karjala/kunnat/liperi.md' beside it "
		"(expected <slug>.<lang>.md next to <slug>.md)"));
	CHECK(one_error("pohjois-karjala/kunnat/joensuu.de.md", REC("title: Joensuu\n"), 1,
		"'de' is not a language of this site (site.yaml lists fi, sv; expected one of them "
		"in the file name, or the language added to site.yaml)"));
	CHECK(one_error("pohjois-karjala/kunnat/joensuu.fi.md", REC("title: Joensuu\n"), 1,
		"a translation into 'fi', the language of its original "
		"content/pohjois-karjala/kunnat/joensuu.md (expected another of the site's "
		"languages)"));
}

static void an_originals_error_is_not_repeated_by_its_translation(void)
{
	fixture x;
	fx_base(&x);
	fx_set(&x, "pohjois-karjala/x.md", REC("type: page\ntitle: X\nsummary: [a]\n"));
	fx_set(&x, "pohjois-karjala/x.sv.md", REC("title: X på svenska\n"));
	diag_list d = DIAG_LIST_INIT;
	site *s = fx_load(&x, &d, 0);
	print_diags(&d);
	CHECK(d.errors == 1);
	CHECK(diag_contains(&d, "content/pohjois-karjala/x.md:4: 'summary' must be a string"));
	site_free(s);
	diag_release(&d);
}

/* ---- region ---- */

static void region_errors(void)
{
	CHECK(one_error("keski-suomi/region.md", REC("type: region\ntitle: KS\n"),
		2, "'name' is required (expected a string)"));
	CHECK(one_error("keski-suomi/region.md",
		REC("type: region\ntitle: KS\nname: K\nname_sv: 1\n"),
		5, "'name_sv' must be a string (got a number)"));
	CHECK(one_error("keski-suomi/region.md",
		REC("type: region\ntitle: KS\nname: K\norganisation: [x]\n"),
		5, "'organisation' must be a string (got a list)"));
	CHECK(one_error("keski-suomi/region.md",
		REC("type: region\ntitle: KS\nname: K\nareas: x\n"),
		5, "'areas' must be a list (got a string)"));
	CHECK(one_error("keski-suomi/region.md",
		REC("type: region\ntitle: KS\nname: K\nareas:\n  - {name: Pohjoinen}\n"),
		6, "'areas.slug' is required (expected a string)"));
	CHECK(one_error("keski-suomi/region.md",
		REC("type: region\ntitle: KS\nname: K\nareas:\n  - {slug: Pohjoinen, name: P}\n"),
		6, "'Pohjoinen' is not a valid slug (expected lower-case letters a-z, digits "
		"and '-')"));
	CHECK(one_error("keski-suomi/region.md",
		REC("type: region\ntitle: KS\nname: K\nareas:\n  - {slug: a, name: A}\n"
		"  - {slug: a, name: B}\n"),
		7, "area 'a' is defined twice in region 'keski-suomi'"));
}

static void area_names_foreign_municipality(void)
{
	fixture x;
	fx_base(&x);
	fx_set(&x, "pohjois-karjala/region.md", REC("type: region\ntitle: PK\nname: PK\n"
		"areas:\n  - slug: keskinen\n    name: Keskinen\n"
		"    municipalities: [joensuu, kuopio]\n"));
	diag_list d = DIAG_LIST_INIT;
	site *s = fx_load(&x, &d, 0);
	CHECK(d.errors == 1);
	CHECK(diag_contains(&d, "content/pohjois-karjala/region.md:8: 'areas.municipalities' names "
		"'kuopio', which is not a municipality of region 'pohjois-karjala'"));
	CHECK(s->regions[0].n_areas == 1 && s->regions[0].areas[0].n_municipalities == 1);
	site_free(s);
	diag_release(&d);
}

static void municipality_in_two_areas(void)
{
	fixture x;
	fx_base(&x);
	fx_set(&x, "pohjois-karjala/region.md", REC("type: region\ntitle: PK\nname: PK\n"
		"areas:\n  - {slug: keskinen, name: K, municipalities: [joensuu]}\n"
		"  - {slug: pohjoinen, name: P, municipalities: [kontiolahti, joensuu]}\n"));
	diag_list d = DIAG_LIST_INIT;
	site *s = fx_load(&x, &d, 0);
	CHECK(d.errors == 1);
	CHECK(diag_contains(&d, "content/pohjois-karjala/region.md:7: municipality 'joensuu' is in "
		"two areas, 'keskinen' and 'pohjoinen' (expected at most one area)"));
	site_free(s);
	diag_release(&d);
}

/* ---- municipality ---- */

static void municipality_errors(void)
{
	CHECK(one_error("pohjois-karjala/kunnat/ilomantsi.md",
		REC("type: municipality\ntitle: I\n"),
		2, "'name' is required (expected a string)"));
	CHECK(one_error("pohjois-karjala/kunnat/ilomantsi.md",
		REC("type: municipality\ntitle: I\nname: I\nlanguages: fi\n"),
		5, "'languages' must be a list (got a string)"));
	CHECK(one_error("pohjois-karjala/kunnat/ilomantsi.md",
		REC("type: municipality\ntitle: I\nname: I\nlanguages: [fi, finnish]\n"),
		5, "'languages' must be a list of two-letter language codes (fi, sv, en) (got "
		"'finnish')"));
	CHECK(one_error("pohjois-karjala/kunnat/ilomantsi.md",
		REC("type: municipality\ntitle: I\nname: I\nwebsite: {url: x}\n"),
		5, "'website' must be a string (got a map)"));
}

/* ---- agreement ---- */

#define AGR "type: agreement\ntitle: Sopimus\n"

static void agreement_errors(void)
{
	const char *p = "pohjois-karjala/sopimukset/s.md";
	CHECK(one_error(p, REC(AGR "status: valmis\n"),
		4, "'status' must be one of draft, approved, signed, expired (got 'valmis')"));
	CHECK(one_error(p, REC(AGR),
		2, "'status' is required (expected one of draft, approved, signed, expired)"));
	CHECK(one_error(p, REC(AGR "status: signed\nsigned: 1.6.2023\n"),
		5, "'signed' must be an ISO date YYYY-MM-DD (got '1.6.2023')"));
	CHECK(one_error(p, REC(AGR "status: signed\nvalid_from: 2023-13-01\n"),
		5, "'valid_from' must be an ISO date YYYY-MM-DD (got '2023-13-01')"));
	CHECK(one_error(p, REC(AGR "status: signed\nvalid_until: huomenna\n"),
		5, "'valid_until' must be an ISO date YYYY-MM-DD (got 'huomenna')"));
	CHECK(one_error(p,
		REC(AGR "status: signed\nvalid_from: 2024-01-01\nvalid_until: 2023-12-31\n"),
		6, "'valid_until' (2023-12-31) is before 'valid_from' (2024-01-01)"));
	CHECK(one_error(p, REC(AGR "status: signed\nparties: [joensuu, siun-sote]\n"),
		5, "'parties' names 'siun-sote', which is neither a region nor a municipality "
		"(expected a region or municipality slug, or an organisation's name)"));
	CHECK(one_error(p, REC(AGR "status: signed\nparties: joensuu\n"),
		5, "'parties' must be a list (got a string)"));
	CHECK(one_error(p, REC(AGR "status: signed\nparties: [joensuu, 5]\n"),
		5, "'parties' must be a list of strings (got a number)"));
	CHECK(one_error(p, REC(AGR "status: signed\nlegal_basis: [611/2021]\n"),
		5, "'legal_basis' must be a string (got a list)"));
	CHECK(one_error(p, REC(AGR "status: signed\nannexes:\n  - title: Liite\n    file: x.pdf\n"),
		7, "annex 'x.pdf' does not exist at this revision (looked for "
		"'pohjois-karjala/sopimukset/x.pdf' and 'pohjois-karjala/x.pdf')"));
	CHECK(one_error(p, REC(AGR "status: signed\nannexes:\n  - title: Liite\n"),
		6, "'annexes.file' is required (expected a string)"));
	CHECK(one_error(p, REC(AGR "status: signed\nannexes: [x.pdf]\n"),
		5, "'annexes' must be a list of maps (got a string)"));
	/* An annex path that climbs out of the content root is refused as such. */
	CHECK(one_error(p, REC(AGR "status: signed\nannexes: [{file: ../../../x.pdf}]\n"),
		5, "annex '../../../x.pdf' leaves the content folder"));
	/* nor may it name the site's machinery */
	CHECK(one_error(p, REC(AGR "status: signed\nannexes: [{file: /site.yaml}]\n"),
		5, "annex '/site.yaml' is one of the site's own files (site.yaml, hooks, templates, "
		"hidden files), which are not published"));
}

static void annex_resolves_relative_to_the_record(void)
{
	fixture x;
	fx_base(&x);
	fx_set(&x, "pohjois-karjala/liitteet/a.pdf", "%PDF");
	fx_set(&x, "pohjois-karjala/sopimukset/s.md",
		REC(AGR "status: draft\nannexes: [{title: A, file: ../liitteet/a.pdf}]\n"));
	diag_list d = DIAG_LIST_INIT;
	site *s = fx_load(&x, &d, 0);
	print_diags(&d);
	CHECK(d.n == 0);
	site_free(s);
	diag_release(&d);
}

/* ---- minutes ---- */

#define MIN "type: minutes\ntitle: Kokous\ndate: 2023-11-20\n"

static void minutes_errors(void)
{
	const char *p = "pohjois-karjala/poytakirjat/k.md";
	CHECK(one_error(p, REC(MIN "body: 5\n"),
		5, "'body' must be a string (got a number)"));
	CHECK(one_error(p, REC(MIN "section: [285]\n"),
		5, "'section' must be a number or a string (got a list)"));
	CHECK(one_error(p, REC(MIN "diary: 384\n"),
		5, "'diary' must be a string (got a number)"));
	CHECK(one_error(p, REC(MIN "preparers: {a: b}\n"),
		5, "'preparers' must be a list (got a map)"));
	CHECK(one_error(p, REC(MIN "preparers: [A, 2]\n"),
		5, "'preparers' must be a list of strings (got a number)"));
}

/* ---- negotiation ---- */

#define NEG "type: negotiation\ntitle: Neuvottelu\ndate: 2023-09-01\n"

static void negotiation_errors(void)
{
	const char *p = "pohjois-karjala/n.md";
	CHECK(one_error(p, REC(NEG "kind: yearly\n"),
		5, "'kind' must be one of hyte, cooperation (got 'yearly')"));
	CHECK(one_error(p, REC(NEG "participants: Joensuu\n"),
		5, "'participants' must be a list (got a string)"));
	CHECK(one_error(p, REC(NEG "outcomes: tehdään\n"),
		5, "'outcomes' must be a list (got a string)"));
	CHECK(one_error(p, REC(NEG "outcomes:\n  - owner: Joensuu\n"),
		6, "'outcomes.action' is required (expected a string)"));
	CHECK(one_error(p, REC(NEG "outcomes:\n  - action: A\n    due: ensi vuonna\n"),
		7, "'outcomes.due' must be an ISO date YYYY-MM-DD (got 'ensi vuonna')"));
	CHECK(one_error(p, REC(NEG "outcomes:\n  - action: A\n    status: valmis\n"),
		7, "'outcomes.status' must be one of planned, in-progress, done, cancelled (got "
		"'valmis'; did you mean 'done'?)"));
	CHECK(one_error(p, REC(NEG "outcomes:\n  - action: A\n    owner: [x]\n"),
		7, "'outcomes.owner' must be a string (got a list)"));
	CHECK(one_error(p, REC(NEG "next: syksyllä\n"),
		5, "'next' must be an ISO date YYYY-MM-DD (got 'syksyllä')"));
}

/* ---- report ---- */

#define REP "type: report\ntitle: Raportti\n"

static void report_errors(void)
{
	const char *p = "pohjois-karjala/raportit/r.md";
	CHECK(one_error(p, REC(REP "kind: plan\n"),
		4, "'kind' must be one of wellbeing-report, wellbeing-plan, annual-report (got "
		"'plan')"));
	CHECK(one_error(p, REC(REP "period: 2025–2028\n"),
		4, "'period' must be a year YYYY or a span YYYY-YYYY (got '2025–2028')"));
	CHECK(one_error(p, REC(REP "period: 2028-2025\n"),
		4, "'period' must be a year YYYY or a span YYYY-YYYY (got '2028-2025')"));
	CHECK(one_error(p, REC(REP "priorities: mieli\n"),
		4, "'priorities' must be a list (got a string)"));
	CHECK(one_error(p, REC(REP "approved: 2024-12-16\n"),
		4, "'approved' must be a map (got a string)"));
	CHECK(one_error(p, REC(REP "approved:\n  by: Valtuusto\n  date: 16.12.2024\n"),
		6, "'approved.date' must be an ISO date YYYY-MM-DD (got '16.12.2024')"));
	CHECK(one_error(p, REC(REP "indicators: [data/puuttuu.tsv]\n"),
		4, "indicator 'data/puuttuu.tsv' does not exist at this revision (looked for "
		"'pohjois-karjala/raportit/data/puuttuu.tsv' and 'pohjois-karjala/data/puuttuu.tsv')"));
}

/* ---- partnership ---- */

#define PART "type: partnership\ntitle: Kumppanuuspöytä\n"

static void partnership_errors(void)
{
	const char *p = "pohjois-karjala/kumppanuus/k.md";
	/* no area: a region-wide partnership group */
	CHECK(one_error(p, REC(PART "area: [keskinen]\n"),
		4, "'area' must be a string (got a list)"));
	CHECK(one_error(p, REC(PART "area: pohjoinen\n"),
		4, "'area' names 'pohjoinen', which is not an area of region 'pohjois-karjala' "
		"(expected one of keskinen)"));
	CHECK(one_error(p, REC(PART "area: keskinen\nmembers:\n  - sector: kunta\n"),
		6, "'members.organisation' is required (expected a string)"));
	CHECK(one_error(p,
		REC(PART "area: keskinen\nmembers:\n  - organisation: X\n    sector: firma\n"),
		7, "'members.sector' must be one of kunta (municipality), hyvinvointialue "
		"(wellbeing services county), järjestö (association), seurakunta (parish), yritys "
		"(company), oppilaitos (educational institution), valtio (central government) "
		"(got 'firma')"));
	CHECK(one_error(p, REC(PART "area: keskinen\nmembers:\n  - {organisation: X, municipality: "
		"kuopio}\n"),
		6, "'members.municipality' names 'kuopio', which is not a municipality of "
		"region 'pohjois-karjala'"));
	CHECK(one_error(p, REC(PART "area: keskinen\nmeets: 3\n"),
		5, "'meets' must be a string (got a number)"));
	CHECK(one_error(p, REC(PART "area: keskinen\nnext_meetings: [2024-02-01, helmikuussa]\n"),
		5, "'next_meetings' must be a list of dates YYYY-MM-DD, each with its time where known: "
		"YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM-HH:MM (Finnish time) (got 'helmikuussa')"));
	/* a time is fine, an end before the start is not */
	CHECK(one_error(p, REC(PART "area: keskinen\nnext_meetings: [\"2024-02-01 14:00\", "
		"\"2024-02-02 16:00-15:00\"]\n"), 5, "'next_meetings' must be a list of dates YYYY-MM-DD, "
		"each with its time where known: YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM-HH:MM (Finnish "
		"time) (got '2024-02-02 16:00-15:00')"));
	CHECK(one_error(p, REC(PART "area: keskinen\ncontact: k@example.org\n"),
		5, "'contact' must be a map (got a string)"));
	CHECK(one_error(p, REC(PART "area: keskinen\ncontact: {name: [a]}\n"),
		5, "'contact.name' must be a string (got a list)"));
	CHECK(one_error(p, REC(PART "area: keskinen\njoin: [a]\n"),
		5, "'join' must be a string (got a list)"));
	CHECK(one_error(p, REC(PART "area: keskinen\nthemes: [liikunta]\n"),
		5, "'themes' names 'liikunta', which is not a theme of site.yaml (expected one "
		"of elintavat, osallisuus)"));
}

static void partnership_explicit_municipalities(void)
{
	fixture x;
	fx_base(&x);
	fx_set(&x, "pohjois-karjala/kumppanuus/k.md",
		REC(PART "area: keskinen\nmunicipalities: [joensuu]\n"));
	diag_list d = DIAG_LIST_INIT;
	site *s = fx_load(&x, &d, 0);
	CHECK(d.n == 0);
	record *r = site_find_record(s, "pohjois-karjala/kumppanuus/k.md");
	CHECK(r->n_municipalities == 1 && strcmp(r->municipalities[0]->slug, "joensuu") == 0);
	site_free(s);
	diag_release(&d);
}

/* ---- strict, unknown keys, all errors ---- */

static void unknown_keys_warn_only_when_strict(void)
{
	fixture x;
	fx_base(&x);
	fx_set(&x, "pohjois-karjala/x.md", REC("type: page\ntitle: X\nvarjo: 1\nstatus: draft\n"));
	diag_list d = DIAG_LIST_INIT;
	site *s = fx_load(&x, &d, 0);
	CHECK(d.n == 0);
	CHECK(value_map_get(site_find_record(s, "pohjois-karjala/x.md")->meta, "varjo") != NULL);
	site_free(s);
	s = fx_load(&x, &d, 1);
	CHECK(d.errors == 0 && d.n == 2);
	CHECK(diag_contains(&d, "content/pohjois-karjala/x.md:4: warning: unknown key 'varjo' for "
		"type 'page' (kept for templates and hooks)"));
	CHECK(diag_contains(&d, "content/pohjois-karjala/x.md:5: warning: unknown key 'status'"));
	site_free(s);
	diag_release(&d);
}

static void every_error_is_collected(void)
{
	fixture x;
	fx_base(&x);
	fx_set(&x, "pohjois-karjala/a.md", REC("type: agreement\ntitle: A\nstatus: valmis\n"));
	fx_set(&x, "pohjois-karjala/b.md", REC("type: minutes\ntitle: B\ndate: 20.11.2023\n"
		"themes: [x]\n"));
	fx_set(&x, "pohjois-karjala/c.md", "no front matter\n");
	diag_list d = DIAG_LIST_INIT;
	site *s = fx_load(&x, &d, 0);
	CHECK(d.errors == 4);
	CHECK(diag_contains(&d, "a.md:4: 'status' must be one of"));
	CHECK(diag_contains(&d, "b.md:4: 'date' must be an ISO date"));
	CHECK(diag_contains(&d, "b.md:5: 'themes' names 'x'"));
	CHECK(diag_contains(&d, "c.md:1: missing front matter"));
	/* The site is returned with what could be read. */
	CHECK(s && s->n_records == 5);
	site_free(s);
	diag_release(&d);
}

/* ---- ordering ---- */

static void municipalities_sort_in_finnish_order(void)
{
	static const char *names[][2] = {
		{ "ahtari", "Ähtäri" }, { "alavus", "Alavus" }, { "oja", "Öja" },
		{ "zeta", "Zeta" }, { "aaland", "Åland" }, { "vaasa", "vaasa" },
		{ "orivesi", "Orivesi" },
	};
	static char texts[7][128];
	static char paths[7][64];
	fixture x;
	fx_base(&x);
	for (size_t i = 0; i < 7; i++) {
		snprintf(texts[i], sizeof(texts[i]),
			"---\ntype: municipality\ntitle: T\nname: %s\n---\n", names[i][1]);
		snprintf(paths[i], sizeof(paths[i]), "pohjois-karjala/kunnat/%s.md", names[i][0]);
		fx_set(&x, paths[i], texts[i]);
	}
	diag_list d = DIAG_LIST_INIT;
	site *s = fx_load(&x, &d, 0);
	CHECK(d.n == 0);
	const char *want[] = {
		"Alavus", "Joensuu", "Kontiolahti", "Orivesi", "vaasa", "Zeta", "Åland", "Ähtäri",
		"Öja",
	};
	region *g = site_find_region(s, "pohjois-karjala");
	CHECK(g->n_municipalities == 9);
	for (size_t i = 0; i < 9 && i < g->n_municipalities; i++)
		CHECK_STR(value_map_str(g->municipalities[i]->meta, "name"), want[i]);
	site_free(s);
	diag_release(&d);
}

/* ---- links ---- */

static void paths_normalize(void)
{
	char *p = path_join_normalize("a/b", "../c/d.md");
	CHECK_STR(p, "a/c/d.md");
	free(p);
	p = path_join_normalize("a/b", "./x/./y.md");
	CHECK_STR(p, "a/b/x/y.md");
	free(p);
	p = path_join_normalize("", "y.md");
	CHECK_STR(p, "y.md");
	free(p);
	p = path_join_normalize("a/b", "/c//d.md");
	CHECK_STR(p, "c/d.md");
	free(p);
	p = path_join_normalize("a", "../b.md");
	CHECK_STR(p, "b.md");
	free(p);
	CHECK(path_join_normalize("a", "../../b.md") == NULL);
	CHECK(path_join_normalize("", "..") == NULL);
	CHECK(path_join_normalize("a/b", "c/../../../../d") == NULL);
	p = path_join_normalize("a/b", "c/../../../d");
	CHECK_STR(p, "d");
	free(p);
}

static void links_resolve_to_records(void)
{
	fixture x;
	fx_base(&x);
	fx_set(&x, "pohjois-karjala/sopimukset/2023-puitesopimus.md", REC(AGR "status: signed\n"));
	fx_set(&x, "pohjois-karjala/poytakirjat/k.md", REC(MIN));
	fx_set(&x, "tietoa.md", REC("type: page\ntitle: Tietoa\n"));
	fx_set(&x, "pohjois-karjala/data/x.tsv", "a\tb\n");
	diag_list d = DIAG_LIST_INIT;
	site *s = fx_load(&x, &d, 0);
	CHECK(d.n == 0);
	record *from = site_find_record(s, "pohjois-karjala/poytakirjat/k.md");
	record *agr = site_find_record(s, "pohjois-karjala/sopimukset/2023-puitesopimus.md");
	const char *frag = "unset";
	CHECK(site_resolve_link(s, from, "../sopimukset/2023-puitesopimus.md", &frag) == agr);
	CHECK(frag == NULL);
	const char *t = "../sopimukset/2023-puitesopimus.md#liite-a";
	CHECK(site_resolve_link(s, from, t, &frag) == agr);
	CHECK_STR(frag, "liite-a");
	CHECK(frag == t + strlen("../sopimukset/2023-puitesopimus.md#"));
	CHECK(site_resolve_link(s, from, "k.md", NULL) == from);
	CHECK(site_resolve_link(s, from, "./k.md#x", NULL) == from);
	const char *site_paths[] = {
		"/pohjois-karjala/sopimukset/2023-puitesopimus/",
		"/pohjois-karjala/sopimukset/2023-puitesopimus",
		"/pohjois-karjala/sopimukset/2023-puitesopimus.md",
		"/pohjois-karjala/./sopimukset/../sopimukset/2023-puitesopimus/#x",
	};
	for (size_t i = 0; i < 4; i++)
		CHECK(site_resolve_link(s, from, site_paths[i], NULL) == agr);
	CHECK(site_resolve_link(s, from, "/pohjois-karjala/", NULL)
		== site_find_record(s, "pohjois-karjala/region.md"));
	CHECK(site_resolve_link(s, from, "../region.md", NULL)
		== site_find_record(s, "pohjois-karjala/region.md"));
	record *tietoa = site_find_record(s, "tietoa.md");
	CHECK(site_resolve_link(s, from, "../../tietoa.md", NULL) == tietoa);
	CHECK(site_resolve_link(s, from, "/tietoa/#osa", &frag) == tietoa);
	CHECK_STR(frag, "osa");
	CHECK(site_resolve_link(s, tietoa, "pohjois-karjala/region.md", NULL)
		== site_find_record(s, "pohjois-karjala/region.md"));
	/* Not records: the caller decides what is an error. */
	CHECK(site_resolve_link(s, from, "../sopimukset/puuttuu.md", NULL) == NULL);
	CHECK(site_resolve_link(s, from, "../../../ulos.md", NULL) == NULL);
	CHECK(site_resolve_link(s, from, "/pohjois-karjala/puuttuu/", NULL) == NULL);
	CHECK(site_resolve_link(s, from, "../data/x.tsv", NULL) == NULL);
	CHECK(site_resolve_link(s, from, "https://example.org/a.md", NULL) == NULL);
	CHECK(site_resolve_link(s, from, "mailto:a@example.org", NULL) == NULL);
	CHECK(site_resolve_link(s, from, "//example.org/x/", NULL) == NULL);
	CHECK(site_resolve_link(s, from, "#paatos", &frag) == NULL);
	CHECK_STR(frag, "paatos");
	CHECK(site_resolve_link(s, from, "/", NULL) == NULL);
	CHECK(site_resolve_link(s, from, "", NULL) == NULL);
	site_free(s);
	diag_release(&d);
}

/* ---- the model as a value ---- */

/* s with every ' turned into " (static storage: one use per expression). */
static const char *q(const char *s)
{
	static char out[2048];
	size_t i = 0;
	for (; s[i] && i + 1 < sizeof(out); i++)
		out[i] = s[i] == '\'' ? '"' : s[i];
	out[i] = '\0';
	return out;
}

static void model_value_has_the_documented_shape(void)
{
	fixture x;
	fx_base(&x);
	fx_set(&x, "pohjois-karjala/poytakirjat/k.md", REC(MIN "section: 285\n"
		"municipalities: [joensuu]\nthemes: [elintavat]\nmuu: pidetään\n"));
	fx_set(&x, "pohjois-karjala/luonnos.md", REC("type: page\ntitle: L\ndraft: true\n"));
	fx_set(&x, "tietoa.md", REC("type: page\ntitle: Tietoa\n"));
	diag_list d = DIAG_LIST_INIT;
	site *s = fx_load(&x, &d, 0);
	CHECK(d.n == 0);
	value *v = site_model_value(s, "2024-05-01");
	buf j = BUF_INIT;
	value_put_json(&j, v);
	/* The JSON with ' for " (so that it reads) */
	CHECK_CONTAINS(j.ptr, q("{'title':'Hyvinvointiyhteistyö',"
		"'base_url':'https://example.org/avoin/','languages':['fi','sv'],"
		"'build_date':'2024-05-01','themes':[{'slug':'elintavat','name':{'fi':'Elintavat',"
		"'sv':'Levnadsvanor','en':'Lifestyles'}},{'slug':'osallisuus',"
		"'name':{'fi':'Osallisuus'}}],"));
	CHECK_CONTAINS(j.ptr, q("'regions':[{'slug':'pohjois-karjala','title':'Pohjois-Karjala',"
		"'name':'Pohjois-Karjalan hyvinvointialue',"
		"'name_sv':'Norra Karelens välfärdsområde','organisation':'Siun sote',"
		"'url':'/pohjois-karjala/','areas':[{'slug':'keskinen','name':'Keskinen',"
		"'municipalities':['kontiolahti','joensuu']}],"
		"'municipalities':['joensuu','kontiolahti']}],"));
	CHECK_CONTAINS(j.ptr, q("'municipalities':[{'slug':'joensuu','name':'Joensuu',"
		"'name_sv':null,'title':'Joensuun kaupunki',"
		"'url':'/pohjois-karjala/kunnat/joensuu/',"
		"'region':'pohjois-karjala','area':'keskinen','languages':['fi']},"
		"{'slug':'kontiolahti'"));
	value *recs = value_map_get(v, "records");
	/* Every non-draft record, by path. */
	CHECK(value_len(recs) == 5);
	CHECK_STR(value_map_str(value_at(recs, 0), "path"), "pohjois-karjala/kunnat/joensuu.md");
	CHECK_STR(value_map_str(value_at(recs, 2), "path"), "pohjois-karjala/poytakirjat/k.md");
	CHECK_STR(value_map_str(value_at(recs, 4), "path"), "tietoa.md");
	value *k = value_at(recs, 2);
	buf_reset(&j);
	value_put_json(&j, k);
	CHECK_STR(j.ptr, q("{'type':'minutes','title':'Kokous','date':'2023-11-20','section':285,"
		"'municipalities':['joensuu'],'themes':['elintavat'],'muu':'pidetään',"
		"'path':'pohjois-karjala/poytakirjat/k.md',"
		"'file':'content/pohjois-karjala/poytakirjat/k.md',"
		"'url':'/pohjois-karjala/poytakirjat/k/','slug':'k','region':'pohjois-karjala',"
		"'lang':'fi'}"));
	value *page = value_at(recs, 4);
	CHECK(value_map_get(page, "region")->kind == VAL_NULL);
	CHECK(value_map_get(page, "date")->kind == VAL_NULL);
	CHECK(value_map_get(page, "municipalities")->kind == VAL_LIST);
	CHECK(value_len(value_map_get(page, "municipalities")) == 0);
	value *joensuu = value_at(recs, 0);
	CHECK_STR(value_at(value_map_get(joensuu, "municipalities"), 0)->u.str.ptr, "joensuu");
	CHECK_STR(value_map_str(value_at(recs, 3), "slug"), "pohjois-karjala");
	buf_release(&j);
	value_free(v);
	site_free(s);
	diag_release(&d);
}

static void model_value_is_deterministic(void)
{
	fixture x;
	fx_base(&x);
	diag_list d = DIAG_LIST_INIT;
	site *a = fx_load(&x, &d, 0);
	/* Files handed over in another order give the same model. */
	model_file t = x.f[0];
	x.f[0] = x.f[3];
	x.f[3] = t;
	t = x.f[1];
	x.f[1] = x.f[2];
	x.f[2] = t;
	site *b = fx_load(&x, &d, 0);
	value *va = site_model_value(a, "2024-01-01"), *vb = site_model_value(b, "2024-01-01");
	buf ja = BUF_INIT, jb = BUF_INIT;
	value_put_json(&ja, va);
	value_put_json(&jb, vb);
	CHECK_STR(ja.ptr, jb.ptr);
	CHECK(d.n == 0);
	buf_release(&ja);
	buf_release(&jb);
	value_free(va);
	value_free(vb);
	site_free(a);
	site_free(b);
	diag_release(&d);
}

int main(void)
{
	RUN(minimal_site_loads_clean);
	RUN(threads_do_not_change_the_result);
	RUN(front_matter_cache_changes_nothing);
	RUN(record_urls_and_bodies);
	RUN(record_types_round_trip);
	RUN(every_type_validates_clean);
	RUN(agreement_date_falls_back_to_valid_from);
	RUN(site_yaml_missing);
	RUN(site_yaml_errors);
	RUN(base_url_keeps_its_slash_and_defaults);
	RUN(bad_slug_in_path);
	RUN(root_index_is_refused);
	RUN(root_records_must_be_pages);
	RUN(folder_without_region_md);
	RUN(region_md_must_be_a_region);
	RUN(front_matter_errors_are_reported);
	RUN(duplicate_urls);
	RUN(duplicate_municipality);
	RUN(translation_name_is_parsed);
	RUN(translation_takes_the_originals_keys);
	RUN(translation_errors);
	RUN(an_originals_error_is_not_repeated_by_its_translation);
	RUN(type_errors);
	RUN(title_errors);
	RUN(date_errors);
	RUN(municipalities_errors);
	RUN(municipality_of_another_region);
	RUN(themes_errors);
	RUN(lang_summary_draft_errors);
	RUN(region_errors);
	RUN(area_names_foreign_municipality);
	RUN(municipality_in_two_areas);
	RUN(municipality_errors);
	RUN(agreement_errors);
	RUN(annex_resolves_relative_to_the_record);
	RUN(minutes_errors);
	RUN(negotiation_errors);
	RUN(report_errors);
	RUN(partnership_errors);
	RUN(partnership_explicit_municipalities);
	RUN(unknown_keys_warn_only_when_strict);
	RUN(every_error_is_collected);
	RUN(municipalities_sort_in_finnish_order);
	RUN(paths_normalize);
	RUN(links_resolve_to_records);
	RUN(near_misses_are_suggested);
	RUN(model_value_has_the_documented_shape);
	RUN(model_value_is_deterministic);
	return test_summary();
}
