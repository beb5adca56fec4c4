/*
 * Unit tests of scoped sites (site/scope.c): what a region's and a
 * municipality's site holds, where its pages are placed, where links out of
 * it lead, the names it takes, and the part of the model it is made of
 * (model.c, site_part).
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "model.h"
#include "scope.h"
#include "test.h"
#include "util.h"
#include "banned.h"

static const char site_yaml[] = "title: Avoin – yhteistyö\nbase_url: https://avoin.example/\n"
	"languages: [fi, sv]\n";

#define MD(type, rest) "---\ntype: " type "\ntitle: T\n" rest "---\nTeksti.\n"

static const model_file files[] = {
	{ "site.yaml", site_yaml, sizeof site_yaml - 1, "" },
	{ "testi/region.md", MD("region", "name: Testi\nareas:\n  - slug: k\n    name: K\n"
		"    municipalities: [alfa, beta]\n"), 0, "" },
	{ "testi/kunnat/alfa.md", MD("municipality", "name: Alfa\nbase_url: https://alfa.example/hyte\n"), 0, "" },
	{ "testi/kunnat/beta.md", MD("municipality", "name: Beta\n"), 0, "" },
	{ "testi/poytakirjat/koko.md", MD("minutes", "date: 2024-01-01\n"), 0, "" },
	{ "testi/poytakirjat/alfa.md", MD("minutes", "date: 2024-01-02\nmunicipalities: [alfa]\n"), 0, "" },
	{ "testi/poytakirjat/beta.md", MD("minutes", "date: 2024-01-03\nmunicipalities: [beta]\n"), 0, "" },
	{ "testi/sopimukset/s.md", MD("agreement", "status: signed\nmunicipalities: [beta]\n"
		"parties: [testi, beta, alfa]\n"), 0, "" },
	{ "toinen/region.md", MD("region", "name: Toinen\nbase_url: https://toinen.example/\n"
		"areas:\n  - slug: k\n    name: K\n    municipalities: [gamma]\n"), 0, "" },
	{ "toinen/kunnat/gamma.md", MD("municipality", "name: Gamma\n"), 0, "" },
	{ "toinen/raportit/r.md", MD("report", "kind: wellbeing-report\nperiod: 2023-2026\n"), 0, "" },
	{ "tietoa.md", MD("page", ""), 0, "" },
};

static site *load(diag_list *d)
{
	size_t n = sizeof files / sizeof *files;
	model_file *fs = xcalloc(n, sizeof(*fs));
	for (size_t i = 0; i < n; i++) {
		fs[i] = files[i];
		fs[i].len = strlen(fs[i].data);
	}
	model_opts o = { "content/", 0, 1, NULL, 0 };
	site *s = site_load(fs, n, &o, d);
	free(fs);
	return s;
}

/* The paths of the records sc holds, one per line. */
static char *held(const site_scope *sc)
{
	buf b = BUF_INIT;
	const site *p = scope_site(sc);
	for (size_t i = 0; i < p->n_records; i++)
		buf_printf(&b, "%s\n", p->records[i]->path);
	return buf_detach(&b, NULL);
}

static void a_municipality_holds_what_concerns_it(void)
{
	diag_list d = DIAG_LIST_INIT;
	site *s = load(&d);
	CHECK(s && d.errors == 0);
	site_scope *alfa = scope_new(s, "testi/alfa", &d);
	CHECK(alfa != NULL);
	char *h = held(alfa);
	CHECK_STR(h, "testi/kunnat/alfa.md\ntesti/poytakirjat/alfa.md\ntesti/poytakirjat/koko.md\n"
		"testi/sopimukset/s.md\n");
	free(h);
	CHECK_STR(scope_folder(alfa), "alfa");
	CHECK_STR(scope_home(alfa)->path, "testi/kunnat/alfa.md");
	CHECK_STR(scope_site(alfa)->base_url, "https://alfa.example/hyte/");
	CHECK_STR(scope_site(alfa)->title, "Alfa – Avoin");
	CHECK(scope_site(alfa)->n_regions == 0);
	/* lookups on the part find only what it holds */
	CHECK(site_find_record(scope_site(alfa), "testi/poytakirjat/beta.md") == NULL);
	CHECK(site_find_url(scope_site(alfa), "/testi/poytakirjat/koko/") != NULL);
	CHECK(site_find_municipality(scope_site(alfa), "beta") == NULL);
	scope_free(alfa);
	site_free(s);
	diag_release(&d);
}

static void a_region_holds_its_folder(void)
{
	diag_list d = DIAG_LIST_INIT;
	site *s = load(&d);
	site_scope *t = scope_new(s, "testi", &d);
	CHECK(t != NULL);
	char *h = held(t);
	CHECK_STR(h, "testi/kunnat/alfa.md\ntesti/kunnat/beta.md\ntesti/poytakirjat/alfa.md\n"
		"testi/poytakirjat/beta.md\ntesti/poytakirjat/koko.md\ntesti/region.md\n"
		"testi/sopimukset/s.md\n");
	free(h);
	CHECK_STR(scope_folder(t), "testi");
	CHECK(scope_site(t)->n_regions == 1);
	CHECK_STR(scope_site(t)->base_url, "");
	scope_free(t);
	site_free(s);
	diag_release(&d);
}

#define PLACE(sc, lang, url, want) do { \
	char *p_ = scope_place(sc, lang, url); \
	if (want) \
		CHECK_STR(p_ ? p_ : "(null)", (const char *)(want)); \
	else \
		CHECK(p_ == NULL); \
	free(p_); \
} while (0)

static void pages_are_placed_and_links_out_lead_to_the_site_that_holds_them(void)
{
	diag_list d = DIAG_LIST_INIT;
	site *s = load(&d);
	site_scope *alfa = scope_new(s, "testi/alfa", &d), *t = scope_new(s, "testi", &d);
	PLACE(alfa, "fi", "/testi/kunnat/alfa/", "/");
	PLACE(alfa, "sv", "/testi/kunnat/alfa/historia/", "/sv/historia/");
	PLACE(alfa, "fi", "/testi/poytakirjat/koko/", "/poytakirjat/koko/");
	PLACE(alfa, "fi", "/testi/poytakirjat/koko/historia/abc1234.html",
		"/poytakirjat/koko/historia/abc1234.html");
	PLACE(alfa, "fi", "/teemat/", "/teemat/");
	PLACE(alfa, "fi", "/testi/poytakirjat/beta/", NULL);
	PLACE(alfa, "fi", "/testi/", NULL);
	PLACE(alfa, "fi", "/testi/muutokset/", NULL);
	PLACE(alfa, "fi", "/toinen/raportit/r/", NULL);
	PLACE(alfa, "fi", "/tietoa/", NULL);
	/* a page of no current record (a removed one's): placed; the history decides */
	PLACE(alfa, "sv", "/testi/poistettu/historia/", "/sv/poistettu/historia/");
	PLACE(alfa, "fi", "/testi/kunnat/beta/historia/", NULL);
	PLACE(t, "fi", "/testi/", "/");
	PLACE(t, "fi", "/testi/kunnat/beta/", "/kunnat/beta/");
	PLACE(t, "sv", "/testi/poytakirjat/beta/", "/sv/poytakirjat/beta/");
	char *o = scope_outside(alfa, "sv", "/testi/poytakirjat/beta/");
	CHECK_STR(o, "https://avoin.example/sv/testi/poytakirjat/beta/");
	free(o);
	/* another region with an address of its own: there */
	o = scope_outside(alfa, "fi", "/toinen/raportit/r/");
	CHECK_STR(o, "https://toinen.example/raportit/r/");
	free(o);
	o = scope_outside(t, "fi", "/");
	CHECK_STR(o, "https://avoin.example/");
	free(o);
	scope_free(alfa);
	scope_free(t);
	site_free(s);
	diag_release(&d);
}

static void every_scope_and_the_errors(void)
{
	diag_list d = DIAG_LIST_INIT;
	site *s = load(&d);
	size_t n = 0;
	char **names = scope_list(s, &n);
	buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		buf_printf(&b, "%s\n", names[i]);
		free(names[i]);
	}
	free(names);
	CHECK_STR(b.ptr, "testi\ntesti/alfa\ntesti/beta\ntoinen\ntoinen/gamma\n");
	buf_release(&b);
	site_scope **all = scope_open(s, NULL, &n, &d);
	CHECK(all && n == 5 && d.errors == 0);
	for (size_t i = 0; all && i < n; i++)
		scope_free(all[i]);
	free(all);
	CHECK(scope_new(s, "ei-ole", &d) == NULL);
	CHECK(scope_new(s, "testi/gamma", &d) == NULL);
	CHECK(scope_new(s, "testi/ei-ole", &d) == NULL);
	CHECK(d.errors == 3);
	CHECK_CONTAINS(d.items[0].msg, "--scope 'ei-ole' names no region");
	CHECK_CONTAINS(d.items[1].msg, "names no municipality of that region");
	site_free(s);
	diag_release(&d);
}

int main(void)
{
	RUN(a_municipality_holds_what_concerns_it);
	RUN(a_region_holds_its_folder);
	RUN(pages_are_placed_and_links_out_lead_to_the_site_that_holds_them);
	RUN(every_scope_and_the_errors);
	return test_summary();
}
