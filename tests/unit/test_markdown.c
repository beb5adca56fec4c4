/* Unit tests of markdown: safety, record links, heading ids, hook blocks, summaries. */
#include <cmark.h>
#include <stdlib.h>

#include "buf.h"
#include "diag.h"
#include "hooks.h"
#include "markdown.h"
#include "model.h"
#include "test.h"
#include "util.h"
#include "value.h"

#define MINUTES "pohjois-karjala/poytakirjat/2023-10-12-lautakunta.md"
#define MINUTES_FILE "content/" MINUTES
#define ROOT "../../../"

static const char site_yaml[] =
	"title: Yhteistyö\n"
	"languages: [fi, sv]\n"
	"themes:\n"
	"  - slug: elintavat\n"
	"    name: {fi: Elintavat, sv: Levnadsvanor, en: Lifestyle}\n";

static const char region_md[] =
	"---\n"
	"type: region\n"
	"title: Pohjois-Karjalan hyvinvointialue\n"
	"name: Pohjois-Karjala\n"
	"name_sv: Norra Karelen\n"
	"organisation: Siun sote\n"
	"areas:\n"
	"  - slug: keskinen\n"
	"    name: Keskinen\n"
	"    municipalities: [joensuu, kontiolahti]\n"
	"---\n"
	"Alueen esittely.\n";

static const char joensuu_md[] =
	"---\n"
	"type: municipality\n"
	"title: Joensuu\n"
	"name: Joensuu\n"
	"---\n"
	"Kaupunki.\n";

static const char kontiolahti_md[] =
	"---\n"
	"type: municipality\n"
	"title: Kontiolahti\n"
	"name: Kontiolahti\n"
	"---\n"
	"Kunta.\n";

static const char agreement_md[] =
	"---\n"
	"type: agreement\n"
	"title: Puitesopimus 2023\n"
	"parties: [pohjois-karjala, joensuu]\n"
	"status: signed\n"
	"signed: 2023-05-02\n"
	"---\n"
	"Sopimuksen teksti.\n";

static const char draft_md[] =
	"---\n"
	"type: agreement\n"
	"title: Luonnos 2024\n"
	"parties: [pohjois-karjala, kontiolahti]\n"
	"status: draft\n"
	"draft: true\n"
	"---\n"
	"Kesken.\n";

/* Line 8 is the body's first line: the error test relies on it. */
static const char minutes_md[] =
	"---\n"
	"type: minutes\n"
	"title: Lautakunta 12.10.2023\n"
	"date: 2023-10-12\n"
	"body: Hyvinvointilautakunta\n"
	"municipalities: [joensuu]\n"
	"---\n"
	"# Päätös\n"                                                  /* 8 */
	"\n"
	"Katso [puitesopimus](../sopimukset/2023-puitesopimus.md) ja\n" /* 10 */
	"[puuttuva](../sopimukset/puuttuu.md).\n"                     /* 11 */
	"\n"
	"![kaavio](puuttuu.png)\n";                                    /* 13 */

static const char tsv[] = "Alue\t2023\nKeskinen\t55\n";
static const char png[] = "\x89PNG";

static site *the_site;
static record the_rec; /* a copy of the minutes record, its body replaced per test */

static int load_site(void)
{
	model_file files[] = {
		{ "site.yaml", site_yaml, sizeof(site_yaml) - 1, "" },
		{ "pohjois-karjala/region.md", region_md, sizeof(region_md) - 1, "" },
		{ "pohjois-karjala/kunnat/joensuu.md", joensuu_md, sizeof(joensuu_md) - 1, "" },
		{ "pohjois-karjala/kunnat/kontiolahti.md", kontiolahti_md,
			sizeof(kontiolahti_md) - 1, "" },
		{ "pohjois-karjala/sopimukset/2023-puitesopimus.md", agreement_md,
			sizeof(agreement_md) - 1, "" },
		{ "pohjois-karjala/sopimukset/2024-luonnos.md", draft_md,
			sizeof(draft_md) - 1, "" },
		{ MINUTES, minutes_md, sizeof(minutes_md) - 1, "" },
		{ "pohjois-karjala/data/ktt-2023.tsv", tsv, sizeof(tsv) - 1, "" },
		{ "pohjois-karjala/poytakirjat/kuva.png", png, sizeof(png) - 1, "" },
	};
	model_opts mo = { "content/", 0, 1, NULL, 0 };
	diag_list d = DIAG_LIST_INIT;
	the_site = site_load(files, sizeof(files) / sizeof(files[0]), &mo, &d);
	for (size_t i = 0; i < d.n; i++) {
		buf b = BUF_INIT;
		diag_format(&b, &d.items[i]);
		printf("  site_load: %s\n", b.ptr);
		buf_release(&b);
	}
	int ok = the_site && d.errors == 0;
	diag_release(&d);
	record *r = ok ? site_find_record(the_site, MINUTES) : NULL;
	if (!r)
		return -1;
	the_rec = *r;
	return 0;
}

/* Renders body as the minutes record's body, its first line at file line 20. */
static int render(const char *body, int strict, hooks *h, const hook_ctx *cx, buf *out,
	diag_list *d)
{
	record r = the_rec;
	r.body = (char *)body;
	r.body_len = strlen(body);
	r.body_line = 20;
	markdown_opts o = { the_site, h, cx, ROOT, strict, 0, NULL, NULL };
	return markdown_render(&r, &o, out, d);
}

static void raw_html_and_bad_urls_are_dropped(void)
{
	buf out = BUF_INIT;
	diag_list d = DIAG_LIST_INIT;
	int rc = render("<script>alert(1)</script>\n\n"
		"Teksti <b onclick=\"x()\">lihava</b> <img src=x onerror=alert(1)>\n",
		0, NULL, NULL, &out, &d);
	CHECK(rc == 0);
	CHECK(d.n == 0);
	CHECK_NOT_CONTAINS(out.ptr, "<script");
	CHECK_NOT_CONTAINS(out.ptr, "<b ");
	CHECK_NOT_CONTAINS(out.ptr, "onclick");
	CHECK_NOT_CONTAINS(out.ptr, "onerror");
	CHECK_CONTAINS(out.ptr, "<!-- raw HTML omitted -->");
	buf_release(&out);
	/* unsafe link targets are errors at their line, however they are spelled */
	static const char *const bad[] = {
		"[x](javascript:alert(1))", "[y](VBScript:msgbox)", "[y]( JaVaScRiPt:x)",
		"![z](data:text/html;base64,PHNjcmlwdD4=)", "<javascript:alert(1)>",
		"[r]: javascript:x\n\n[r]", "[f](file:///etc/passwd)", "[p](//evil.example/)",
		"[u](https://user:pass@host.fi/)", "![m](mailto:a@b.fi)",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		buf_reset(&out);
		char *text = xasprintf("Teksti.\n\n%s\n", bad[i]);
		CHECK(render(text, 0, NULL, NULL, &out, &d) == -1);
		CHECK(diag_contains(&d, i == 5 ? ":24: a link" : ":22: a"));
		if (!diag_contains(&d, "is not allowed (expected"))
			printf("  not refused: %s\n", bad[i]);
		diag_release(&d);
		free(text);
	}
	buf_release(&out);
	diag_release(&d);
}

static void record_links_are_rewritten(void)
{
	buf out = BUF_INIT;
	diag_list d = DIAG_LIST_INIT;
	int rc = render("[a](../sopimukset/2023-puitesopimus.md) "
		"[b](../sopimukset/2023-puitesopimus.md#voimassaolo) "
		"[c](/pohjois-karjala/kunnat/joensuu/) "
		"[d](./../kunnat/kontiolahti.md) "
		"[e](/) "
		"[f][ref]\n\n"
		"[ref]: ../../pohjois-karjala/kunnat/joensuu.md\n",
		0, NULL, NULL, &out, &d);
	CHECK(rc == 0);
	CHECK(d.n == 0);
	CHECK_CONTAINS(out.ptr,
		"<a href=\"" ROOT "pohjois-karjala/sopimukset/2023-puitesopimus/\">a</a>");
	CHECK_CONTAINS(out.ptr,
		"<a href=\"" ROOT
		"pohjois-karjala/sopimukset/2023-puitesopimus/#voimassaolo\">b</a>");
	CHECK_CONTAINS(out.ptr, "<a href=\"" ROOT "pohjois-karjala/kunnat/joensuu/\">c</a>");
	CHECK_CONTAINS(out.ptr, "<a href=\"" ROOT "pohjois-karjala/kunnat/kontiolahti/\">d</a>");
	CHECK_CONTAINS(out.ptr, "<a href=\"" ROOT "\">e</a>");
	CHECK_CONTAINS(out.ptr, "<a href=\"" ROOT "pohjois-karjala/kunnat/joensuu/\">f</a>");
	buf_release(&out);
	diag_release(&d);
}

static void file_links_are_rewritten(void)
{
	buf out = BUF_INIT;
	diag_list d = DIAG_LIST_INIT;
	int rc = render("[data](../data/ktt-2023.tsv) ![kuva](kuva.png \"Kuva\") "
		"[sama](/pohjois-karjala/data/ktt-2023.tsv) [kohta](../data/ktt-2023.tsv#rivi)\n",
		0, NULL, NULL, &out, &d);
	CHECK(rc == 0);
	CHECK(d.n == 0);
	CHECK_CONTAINS(out.ptr, "<a href=\"" ROOT "pohjois-karjala/data/ktt-2023.tsv\">data</a>");
	CHECK_CONTAINS(out.ptr,
		"<img src=\"" ROOT
		"pohjois-karjala/poytakirjat/kuva.png\" alt=\"kuva\" title=\"Kuva\" />");
	CHECK_CONTAINS(out.ptr, "<a href=\"" ROOT "pohjois-karjala/data/ktt-2023.tsv\">sama</a>");
	CHECK_CONTAINS(out.ptr,
		"<a href=\"" ROOT "pohjois-karjala/data/ktt-2023.tsv#rivi\">kohta</a>");
	buf_release(&out);
	diag_release(&d);
}

static void external_links_are_left_alone(void)
{
	buf out = BUF_INIT;
	diag_list d = DIAG_LIST_INIT;
	int rc = render("[w](https://siunsote.fi/a?b=1) [m](mailto:kirjaamo@siunsote.fi) "
		"[t](tel:+358131234) [h](#paatos) <https://example.org/x>\n",
		0, NULL, NULL, &out, &d);
	CHECK(rc == 0);
	CHECK(d.n == 0);
	CHECK_CONTAINS(out.ptr, "href=\"https://siunsote.fi/a?b=1\"");
	CHECK_CONTAINS(out.ptr, "href=\"mailto:kirjaamo@siunsote.fi\"");
	CHECK_CONTAINS(out.ptr, "href=\"tel:+358131234\"");
	CHECK_CONTAINS(out.ptr, "href=\"#paatos\"");
	CHECK_CONTAINS(out.ptr, "href=\"https://example.org/x\"");
	buf_release(&out);
	diag_release(&d);
}

/* The record as loaded: errors name the file line, body_line counted in. */
static void missing_targets_are_errors_with_file_lines(void)
{
	record *r = site_find_record(the_site, MINUTES);
	CHECK(r->body_line == 8);
	markdown_opts o = { the_site, NULL, NULL, ROOT, 0, 0, NULL, NULL };
	buf out = BUF_INIT;
	buf_puts(&out, "ennen");
	diag_list d = DIAG_LIST_INIT;
	CHECK(markdown_render(r, &o, &out, &d) == -1);
	CHECK(d.errors == 2);
	CHECK(diag_contains(&d, MINUTES_FILE ":11: link to '../sopimukset/puuttuu.md' does not "
		"resolve to a record or file at this revision"));
	CHECK(diag_contains(&d, MINUTES_FILE ":13: link to 'puuttuu.png' does not exist at this "
		"revision (looked for 'pohjois-karjala/poytakirjat/puuttuu.png' and "
		"'pohjois-karjala/puuttuu.png')"));
	CHECK_STR(out.ptr, "ennen"); /* nothing appended on failure */
	diag_release(&d);

	/* site paths, files outside the content root and "%00" too */
	CHECK(render("a\n\n[x](/pohjois-karjala/ei-ole/) [y](../../../../etc/passwd)\n"
		"[z](%00.md) [w](../data/)\n", 0, NULL, NULL, &out, &d) == -1);
	CHECK(d.errors == 4);
	CHECK(diag_contains(&d, MINUTES_FILE ":22: link to '/pohjois-karjala/ei-ole/' does not"));
	CHECK(diag_contains(&d, MINUTES_FILE ":22: link to '../../../../etc/passwd' leaves the "
		"content folder"));
	CHECK(diag_contains(&d, MINUTES_FILE ":23: link to '%00.md' does not"));
	CHECK(diag_contains(&d, MINUTES_FILE ":23: link to '../data/' does not"));
	buf_release(&out);
	diag_release(&d);
}

static void draft_links_become_text(void)
{
	const char *body = "Alku\n\n[luonnos *2024*](../sopimukset/2024-luonnos.md) loppu\n";
	buf out = BUF_INIT;
	diag_list d = DIAG_LIST_INIT;
	CHECK(render(body, 0, NULL, NULL, &out, &d) == 0);
	CHECK(d.errors == 0 && d.n == 1);
	CHECK(diag_contains(&d, MINUTES_FILE ":22: warning: link to draft record "
		"'../sopimukset/2024-luonnos.md' published as plain text"));
	CHECK_CONTAINS(out.ptr, "<p>luonnos <em>2024</em> loppu</p>");
	CHECK_NOT_CONTAINS(out.ptr, "<a ");
	CHECK_NOT_CONTAINS(out.ptr, "luonnos/");
	diag_release(&d);
	buf_reset(&out);

	CHECK(render(body, 1, NULL, NULL, &out, &d) == -1);
	CHECK(d.errors == 1);
	CHECK(diag_contains(&d, MINUTES_FILE ":22: link to draft record "
		"'../sopimukset/2024-luonnos.md' published as plain text"));
	buf_release(&out);
	diag_release(&d);
}

static void headings_get_ids_and_move_down(void)
{
	buf out = BUF_INIT;
	diag_list d = DIAG_LIST_INIT;
	int rc = render("# Päätösesitys\n\n"
		"## Päätös\n\n"
		"## Päätös\n\n"
		"### Päätös-2\n\n"
		"###### Åland ja *Öljy* `café`\n\n"
		"Alaotsikko\n---\n\n"
		"# !!!\n\n"
		"> #### Päätös\n",
		0, NULL, NULL, &out, &d);
	CHECK(rc == 0);
	CHECK(d.n == 0);
	CHECK_STR(out.ptr,
		"<h2 id=\"paatosesitys\">Päätösesitys</h2>\n"
		"<h3 id=\"paatos\">Päätös</h3>\n"
		"<h3 id=\"paatos-2\">Päätös</h3>\n"
		"<h4 id=\"paatos-2-2\">Päätös-2</h4>\n"
		"<h6 id=\"aland-ja-oljy-cafe\">Åland ja <em>Öljy</em> <code>café</code></h6>\n"
		"<h3 id=\"alaotsikko\">Alaotsikko</h3>\n"
		"<h2 id=\"otsikko\">!!!</h2>\n"
		"<blockquote>\n<h5 id=\"paatos-3\">Päätös</h5>\n</blockquote>\n");
	buf_release(&out);
	diag_release(&d);
}

/* A body that starts at ## keeps it as h2: levels under the title never skip. */
static void headings_normalised_to_h2(void)
{
	buf out = BUF_INIT;
	diag_list d = DIAG_LIST_INIT;
	CHECK(render("## Päätösesitys\n\n### Perustelut\n\n## Päätös\n", 0, NULL, NULL, &out, &d) == 0);
	CHECK_STR(out.ptr, "<h2 id=\"paatosesitys\">Päätösesitys</h2>\n"
		"<h3 id=\"perustelut\">Perustelut</h3>\n<h2 id=\"paatos\">Päätös</h2>\n");
	buf_reset(&out);
	CHECK(render("### Kolmas\n\n#### Neljäs\n", 0, NULL, NULL, &out, &d) == 0);
	CHECK_STR(out.ptr, "<h2 id=\"kolmas\">Kolmas</h2>\n<h3 id=\"neljas\">Neljäs</h3>\n");
	buf_release(&out);
	diag_release(&d);
}

/* Many repeats stay linear: each base remembers its next suffix. */
static void many_repeated_headings(void)
{
	buf body = BUF_INIT, out = BUF_INIT;
	diag_list d = DIAG_LIST_INIT;
	for (int i = 0; i < 5000; i++)
		buf_puts(&body, "# Sama\n");
	CHECK(render(body.ptr, 0, NULL, NULL, &out, &d) == 0);
	CHECK(str_has_prefix(out.ptr, "<h2 id=\"sama\">Sama</h2>\n<h2 id=\"sama-2\">"));
	CHECK(str_has_suffix(out.ptr, "<h2 id=\"sama-5000\">Sama</h2>\n"));
	buf_release(&body);
	buf_release(&out);
	diag_release(&d);
}

/* Emphasis nested as deep as the input is long must not exhaust the stack. */
static void deep_nesting(void)
{
	buf body = BUF_INIT, out = BUF_INIT;
	diag_list d = DIAG_LIST_INIT;
	buf_puts(&body, "# ");
	for (int i = 0; i < 100000; i++)
		buf_putc(&body, '*');
	buf_puts(&body, "syva");
	for (int i = 0; i < 100000; i++)
		buf_putc(&body, '*');
	buf_putc(&body, '\n');
	CHECK(render(body.ptr + 2, 0, NULL, NULL, &out, &d) == 0);
	CHECK(render(body.ptr, 0, NULL, NULL, &out, &d) == 0);
	CHECK_CONTAINS(out.ptr, "<h2 id=\"syva\">");
	buf_reset(&out);
	markdown_first_paragraph(body.ptr + 2, body.len - 2, 0, &out);
	CHECK_STR(out.ptr, "syva");
	buf_release(&body);
	buf_release(&out);
	diag_release(&d);
}

static void slugs(void)
{
	static const char *const cases[][2] = {
		{ "Päätösesitys", "paatosesitys" },
		{ "ÅLAND ja Öljy", "aland-ja-oljy" },
		{ "  Café -- Crème brûlée!  ", "cafe-creme-brulee" },
		{ "Hyvinvointi 2023–2025", "hyvinvointi-2023-2025" },
		{ "Šakki ja Žanr", "sakki-ja-zanr" },
		{ "Straße", "strasse" },
		{ "€ — ✓", "otsikko" },
		{ "", "otsikko" },
		{ "a\xff" "b", "a-b" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf b = BUF_INIT;
		markdown_slugify(cases[i][0], &b);
		CHECK_STR(b.ptr, cases[i][1]);
		buf_release(&b);
	}
}

/* The assumption the hook blocks rest on: cmark writes a custom block's text as it is. */
static void cmark_writes_custom_blocks_verbatim(void)
{
	cmark_node *doc = cmark_parse_document("a", 1, CMARK_OPT_VALIDATE_UTF8);
	cmark_node *cb = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
	CHECK(cmark_node_set_on_enter(cb, "<figure class=\"x\"><svg></svg></figure>"));
	CHECK(cmark_node_append_child(doc, cb));
	char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT);
	CHECK_STR(html, "<p>a</p>\n<figure class=\"x\"><svg></svg></figure>\n");
	free(html);
	cmark_node_free(doc);
}

static const char kuvio_lua[] =
	"return function(b)\n"
	"  return '<p>hook:' .. b.attrs.title .. '|' .. (b.attrs.unit or '') .. '|' .. b.text ..\n"
	"    '</p><h3>sisäinen</h3>'\n"
	"end\n";
static const char rikki_lua[] =
	"return function(b)\n"
	"  error('boom')\n"
	"end\n";

static hooks *open_hooks(void)
{
	hook_source src[] = {
		{ "kuvio", "content/hooks/kuvio.lua", kuvio_lua, sizeof(kuvio_lua) - 1 },
		{ "rikki", "content/hooks/rikki.lua", rikki_lua, sizeof(rikki_lua) - 1 },
	};
	hooks *h = NULL;
	diag_list d = DIAG_LIST_INIT;
	int rc = hooks_open(&h, NULL, 0, src, 2, NULL, &d);
	CHECK(rc == 0 && d.n == 0);
	diag_release(&d);
	return h;
}

typedef struct ctx_values {
	hook_ctx cx;
	value *rec, *site;
} ctx_values;

static void ctx_open(ctx_values *c)
{
	c->rec = record_value(&the_rec);
	c->site = site_model_value(the_site, "2024-01-01");
	c->cx.record_file = the_rec.file;
	c->cx.record = c->rec;
	c->cx.site = c->site;
	c->cx.read_file = NULL;
	c->cx.opaque = NULL;
}

static void ctx_close(ctx_values *c)
{
	value_free(c->rec);
	value_free(c->site);
}

/*
 * A body rendered for one page, moved to another's root, equals the body
 * rendered for that page; a URL of the same shape that the render did not
 * make (a hook's HTML) means a new render instead.
 */
static void reroot_equals_a_render_at_the_other_root(void)
{
	static const char body[] = "[a](../sopimukset/2023-puitesopimus.md) "
		"[b](/pohjois-karjala/kunnat/joensuu/#x) [c](https://example.fi/) [d](#alku) "
		"![e](../data/ktt-2023.tsv)\n\nTeksti: href=\"../../../x\" `src=\"../../../\"`\n";
	record r = the_rec;
	r.body = (char *)body;
	r.body_len = strlen(body);
	r.body_line = 20;
	diag_list d = DIAG_LIST_INIT;
	buf here = BUF_INIT, there = BUF_INIT, moved = BUF_INIT;
	size_t rooted = 99, rooted2 = 0;
	markdown_opts o = { the_site, NULL, NULL, "../../../", 0, 0, NULL, NULL };
	CHECK(markdown_render_counted(&r, &o, &here, &rooted, &d) == 0);
	CHECK(rooted == 3);
	markdown_opts o2 = { the_site, NULL, NULL, "../../../../", 0, 1, NULL, NULL };
	CHECK(markdown_render_counted(&r, &o2, &there, &rooted2, &d) == 0);
	CHECK(rooted2 == 3);
	CHECK(markdown_reroot(here.ptr, here.len, "../../../", "../../../../", rooted, &moved) == 0);
	CHECK_STR(moved.ptr, there.ptr);
	CHECK_CONTAINS(moved.ptr, "href=\"https://example.fi/\"");
	CHECK_CONTAINS(moved.ptr, "href=\"#alku\"");
	/* one more such URL than the render made: not moved, out untouched */
	buf_reset(&moved);
	buf_puts(&here, "<figure><a href=\"../../../hook/\">x</a></figure>");
	CHECK(markdown_reroot(here.ptr, here.len, "../../../", "../../../../", rooted, &moved) == -1);
	CHECK(moved.len == 0);
	/* the site root: every href starts with "", so only a body with rooted URLs alone moves */
	static const char one[] = "<a href=\"x/\">x</a>";
	static const char two[] = "<a href=\"x/\">x</a><a href=\"https://a.fi/\">y</a>";
	CHECK(markdown_reroot(one, strlen(one), "", "../", 1, &moved) == 0);
	CHECK_STR(moved.ptr, "<a href=\"../x/\">x</a>");
	buf_reset(&moved);
	CHECK(markdown_reroot(two, strlen(two), "", "../", 1, &moved) == -1);
	/* a page in another language: pages under its folder, the image file at the site's root */
	buf_reset(&moved);
	buf_reset(&here);
	buf_reset(&there);
	o.root = "../../../";
	CHECK(markdown_render_counted(&r, &o, &here, &rooted, &d) == 0);
	markdown_opts o3 = { the_site, NULL, NULL, "../../../", 0, 0, NULL, "../../../../" };
	CHECK(markdown_render_counted(&r, &o3, &there, &rooted2, &d) == 0);
	CHECK(markdown_reroot_split(here.ptr, here.len, "../../../", "../../../", "../../../../",
		rooted, &moved) == 0);
	CHECK_STR(moved.ptr, there.ptr);
	CHECK_CONTAINS(moved.ptr, "href=\"../../../pohjois-karjala/sopimukset/2023-puitesopimus/\"");
	CHECK_CONTAINS(moved.ptr, "href=\"../../../pohjois-karjala/kunnat/joensuu/#x\"");
	CHECK_CONTAINS(moved.ptr, "src=\"../../../../pohjois-karjala/data/ktt-2023.tsv\"");
	CHECK(d.n == 0);
	buf_release(&here);
	buf_release(&there);
	buf_release(&moved);
	diag_release(&d);
}

/* A scoped site's map: what it is handed, and what it writes in place of each rooted URL. */
static void scope_map(void *ud, const char *rest, size_t len, int page, buf *out)
{
	buf *seen = ud;
	buf_printf(seen, "%s:%.*s\n", page ? "page" : "file", (int)len, rest);
	buf_printf(out, "%s%.*s", page ? "https://x.fi/" : "../", (int)len, rest);
}

static void reroot_map_places_each_link(void)
{
	static const char body[] = "[a](../sopimukset/2023-puitesopimus.md) "
		"[b](/pohjois-karjala/kunnat/joensuu/#x) [c](https://example.fi/) "
		"![e](../data/ktt-2023.tsv)\n";
	record r = the_rec;
	r.body = (char *)body;
	r.body_len = strlen(body);
	r.body_line = 20;
	diag_list d = DIAG_LIST_INIT;
	buf here = BUF_INIT, moved = BUF_INIT, seen = BUF_INIT;
	size_t rooted = 0;
	markdown_opts o = { the_site, NULL, NULL, "../../", 0, 0, NULL, NULL };
	CHECK(markdown_render_counted(&r, &o, &here, &rooted, &d) == 0);
	CHECK(rooted == 3);
	CHECK(markdown_reroot_map(here.ptr, here.len, "../../", rooted, scope_map, &seen, &moved) == 0);
	CHECK_STR(seen.ptr, "page:pohjois-karjala/sopimukset/2023-puitesopimus/\n"
		"page:pohjois-karjala/kunnat/joensuu/#x\n"
		"file:pohjois-karjala/data/ktt-2023.tsv\n");
	CHECK_CONTAINS(moved.ptr, "href=\"https://x.fi/pohjois-karjala/sopimukset/2023-puitesopimus/\"");
	CHECK_CONTAINS(moved.ptr, "href=\"https://x.fi/pohjois-karjala/kunnat/joensuu/#x\"");
	CHECK_CONTAINS(moved.ptr, "src=\"../pohjois-karjala/data/ktt-2023.tsv\"");
	CHECK_CONTAINS(moved.ptr, "href=\"https://example.fi/\"");
	/* a count that does not match: nothing is handed to the map, out untouched */
	buf_reset(&moved);
	buf_reset(&seen);
	CHECK(markdown_reroot_map(here.ptr, here.len, "../../", rooted + 1, scope_map, &seen,
		&moved) == -1);
	CHECK(moved.len == 0 && seen.len == 0);
	buf_release(&here);
	buf_release(&moved);
	buf_release(&seen);
	diag_release(&d);
}

static void hook_blocks_are_replaced(void)
{
	hooks *h = open_hooks();
	if (!h)
		return;
	ctx_values c;
	ctx_open(&c);
	buf out = BUF_INIT;
	diag_list d = DIAG_LIST_INIT;
	int rc = render("# Luvut\n\n"
		"```kuvio title=\"Kaksi \\\"sanaa\\\" ja \\\\ viiva\" unit=asiakasta\n"
		"rivi\n"
		"```\n\n"
		"> ~~~ kuvio   title=lainaus\n"
		"> sisältö\n"
		"> ~~~\n\n"
		"```python\nprint(1)\n```\n\n"
		"```kuviox title=\"ei\"\nx\n```\n\n"
		"## Loppu\n",
		0, h, &c.cx, &out, &d);
	CHECK(rc == 0);
	CHECK(d.n == 0);
	CHECK_CONTAINS(out.ptr, "<h2 id=\"luvut\">Luvut</h2>\n"
		"<p>hook:Kaksi \"sanaa\" ja \\ viiva|asiakasta|rivi\n</p><h3>sisäinen</h3>\n");
	CHECK_CONTAINS(out.ptr, "<blockquote>\n<p>hook:lainaus||sisältö\n</p><h3>sisäinen</h3>\n"
		"</blockquote>\n");
	/* the hook's own heading gets no id and takes none from the body's */
	CHECK_NOT_CONTAINS(out.ptr, "sisainen");
	CHECK_CONTAINS(out.ptr, "<h3 id=\"loppu\">Loppu</h3>");
	CHECK_CONTAINS(out.ptr, "<pre><code class=\"language-python\">print(1)\n</code></pre>");
	CHECK_CONTAINS(out.ptr, "<pre><code class=\"language-kuviox\">x\n</code></pre>");
	CHECK_NOT_CONTAINS(out.ptr, "avoin-hook");
	buf_release(&out);

	/* any line ends; the attributes still come from the right fence line */
	CHECK(render("a\r\rb\r\n\r\n```kuvio title=\"\\\"cr\\\"\"\r\nx\r\n```\r\n"
		"\n```kuvio title=lf\ny\n```\n", 0, h, &c.cx, &out, &d) == 0);
	CHECK(d.n == 0);
	CHECK_CONTAINS(out.ptr, "<p>hook:\"cr\"||x\n</p>");
	CHECK_CONTAINS(out.ptr, "<p>hook:lf||y\n</p>");
	buf_release(&out);

	/* without hooks, the same block stays code */
	CHECK(render("```kuvio title=x\nrivi\n```\n", 0, NULL, NULL, &out, &d) == 0);
	CHECK_STR(out.ptr, "<pre><code class=\"language-kuvio\">rivi\n</code></pre>\n");
	buf_release(&out);
	diag_release(&d);
	ctx_close(&c);
	hooks_free(h);
}

static void hook_attribute_errors_name_the_line(void)
{
	hooks *h = open_hooks();
	if (!h)
		return;
	ctx_values c;
	ctx_open(&c);
	buf out = BUF_INIT;
	diag_list d = DIAG_LIST_INIT;
	int rc = render("```kuvio title=\"auki\n"           /* 20 */
		"x\n```\n\n"
		"```kuvio =x\n"                                 /* 24 */
		"x\n```\n\n"
		"```kuvio a=1 a=2\n"                            /* 28 */
		"x\n```\n\n"
		"```kuvio title=\"x\"y\n"                       /* 32 */
		"x\n```\n\n"
		"```kuvio pelkka\n"                             /* 36 */
		"x\n```\n\n"
		"```rikki\n"                                    /* 40 */
		"x\n```\n\n"
		"```kuvio title=\"\xff\"\n"                      /* 44 */
		"x\n```\n",
		0, h, &c.cx, &out, &d);
	CHECK(rc == -1);
	CHECK(d.errors == 7);
	CHECK(diag_contains(&d, MINUTES_FILE ":20: unterminated value of attribute 'title' of "
		"block 'kuvio': expected a closing '\"'"));
	CHECK(diag_contains(&d, MINUTES_FILE ":24: cannot parse the attributes of block 'kuvio' "
		"at '=x': expected key=\"value\" or key=value"));
	CHECK(diag_contains(&d, MINUTES_FILE ":28: attribute 'a' of block 'kuvio' is given twice"));
	CHECK(diag_contains(&d, MINUTES_FILE ":32: cannot parse the attributes of block 'kuvio' "
		"at 'title=\"x\"y'"));
	CHECK(diag_contains(&d, MINUTES_FILE ":36: cannot parse the attributes of block 'kuvio' "
		"at 'pelkka'"));
	CHECK(diag_contains(&d, "boom")); /* the hook's own diagnostic */
	CHECK(diag_contains(&d, MINUTES_FILE ":44: attribute 'title' of block 'kuvio' is not "
		"valid UTF-8"));
	CHECK_STR(out.ptr, "");
	buf_release(&out);
	diag_release(&d);
	ctx_close(&c);
	hooks_free(h);
}

static void inline_markdown(void)
{
	buf out = BUF_INIT;
	markdown_render_inline("Ota yhteyttä **heti**: <em>x</em> [s](javascript:x())", &out);
	CHECK_STR(out.ptr, "Ota yhteyttä <strong>heti</strong>: <!-- raw HTML omitted -->x"
		"<!-- raw HTML omitted --> <a href=\"\">s</a>");
	buf_reset(&out);
	markdown_render_inline("Yksi.\n\nKaksi.", &out);
	CHECK_STR(out.ptr, "<p>Yksi.</p>\n<p>Kaksi.</p>\n");
	buf_reset(&out);
	markdown_render_inline("", &out);
	CHECK_STR(out.ptr, "");
	buf_release(&out);
}

static void first_paragraph(const char *body, size_t max, const char *want)
{
	buf out = BUF_INIT;
	markdown_first_paragraph(body, strlen(body), max, &out);
	CHECK_STR(out.ptr, want);
	buf_release(&out);
}

static void first_paragraph_plain_text(void)
{
	const char *body = "# Otsikko\n\n```\nkoodi\n```\n\n"
		"Ensimmäinen  kappale [linkki](x.md) ja `koodi`\n"
		"ja ![kuvan alt](k.png) <b>x</b> rivi.\n\n"
		"Toinen.\n";
	first_paragraph(body, 0, "Ensimmäinen kappale linkki ja koodi ja kuvan alt x rivi.");
	first_paragraph(body, 500, "Ensimmäinen kappale linkki ja koodi ja kuvan alt x rivi.");
	/* 21 bytes: "Ensimmäinen kappale" is 20, the ellipsis 3: only the first word fits */
	first_paragraph(body, 21, "Ensimmäinen…");
	first_paragraph(body, 23, "Ensimmäinen kappale…");
	/* one long word: cut, never inside "ä" (bytes 5-6 of "Ensimmäinen") */
	first_paragraph("Ensimmäinen", 9, "Ensimm…");
	first_paragraph("Ensimmäinen", 10, "Ensimm…");
	first_paragraph("Ensimmäinen", 11, "Ensimmä…");
	first_paragraph("Yksi, kaksi kolme", 12, "Yksi…");
	first_paragraph("- kohta yksi\n- kohta kaksi\n", 0, "kohta yksi");
	first_paragraph("# Vain otsikko\n", 10, "");
	first_paragraph("", 10, "");
}

/* The blocks of body as "kind:text" lines. */
static void blocks_of(const char *body, buf *out, size_t *n)
{
	buf raw = BUF_INIT;
	markdown_blocks(body, strlen(body), &raw, n);
	for (size_t i = 0; i < raw.len;) {
		size_t len = strlen(raw.ptr + i);
		buf_printf(out, "%c:%s\n", raw.ptr[i], raw.ptr + i + 1);
		i += len + 1;
	}
	buf_release(&raw);
}

static void blocks_as_read(void)
{
	buf out = BUF_INIT;
	size_t n;
	blocks_of("## Päätös\n\nKatso [sopimus](../sopimukset/x.md) ja **tärkeä** `koodi`.\n"
		"Toinen rivi.\n\n- yksi\n- kaksi\n  jatkuu\n\n> lainaus\n\n"
		"<div>raaka</div>\n\n| Kunta | 2024 |\n|---|---:|\n| Alfa | 12 |\n\n"
		"```\nkoodi\n```\n", &out, &n);
	CHECK_STR(out.ptr, "h:Päätös\n"
		"p:Katso sopimus ja tärkeä koodi. Toinen rivi.\n"
		"l:yksi\nl:kaksi jatkuu\nq:lainaus\n"
		"r:Kunta · 2024\nr:Alfa · 12\n"
		"c:koodi\n");
	CHECK(n == 8);
	buf_release(&out);
}

int main(void)
{
	if (load_site() < 0) {
		printf("not ok load_site\n");
		test_failed++;
		return test_summary();
	}
	RUN(raw_html_and_bad_urls_are_dropped);
	RUN(record_links_are_rewritten);
	RUN(file_links_are_rewritten);
	RUN(external_links_are_left_alone);
	RUN(missing_targets_are_errors_with_file_lines);
	RUN(draft_links_become_text);
	RUN(headings_get_ids_and_move_down);
	RUN(headings_normalised_to_h2);
	RUN(many_repeated_headings);
	RUN(deep_nesting);
	RUN(slugs);
	RUN(cmark_writes_custom_blocks_verbatim);
	RUN(hook_blocks_are_replaced);
	RUN(reroot_equals_a_render_at_the_other_root);
	RUN(reroot_map_places_each_link);
	RUN(hook_attribute_errors_name_the_line);
	RUN(inline_markdown);
	RUN(first_paragraph_plain_text);
	RUN(blocks_as_read);
	site_free(the_site);
	return test_summary();
}
