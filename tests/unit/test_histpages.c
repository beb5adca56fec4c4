/*
 * Unit tests of the history pages: the record summary and feed links that
 * record pages get, the pages written for a small repository made with the
 * git command line (a version whose front matter does not parse, a removed
 * record, a draft), a failing template, and Markdown's lenient mode that old
 * versions are rendered with.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "histpages.h"
#include "history.h"
#include "markdown.h"
#include "model.h"
#include "output.h"
#include "pages.h"
#include "repo.h"
#include "test.h"
#include "theme.h"
#include "util.h"
#include "value.h"

static char top[] = "/tmp/avoin-test-histpages-XXXXXX";

#include "shell_fixture.h"

static int commit(const char *date, const char *msg)
{
	return sh("repo", "git add -A && GIT_AUTHOR_NAME='Tekijä' GIT_AUTHOR_EMAIL='t@example.invalid' "
		"GIT_AUTHOR_DATE='%s' GIT_COMMITTER_DATE='%s' git -c user.name=C "
		"-c user.email=c@example.invalid commit -q -m '%s'", date, date, msg);
}

static char *read_out(const char *path)
{
	char *full = xasprintf("%s/out/%s", top, path);
	char *data = NULL;
	size_t len;
	if (read_file(full, &data, &len) != 0)
		data = NULL;
	free(full);
	return data;
}

static const char agreement_v1[] =
	"---\ntype: agreement\ntitle: Sopimus\nparties: [testi, alfa]\nmunicipalities: [alfa]\n"
	"status: draft\n---\nEnsimmäinen teksti.\n";
static const char agreement_v2[] =
	"---\ntype: agreement\ntitle: Sopimus\nstatus: [auki\n---\nRikki <b>.\n";
static const char agreement_v3[] =
	"---\ntype: agreement\ntitle: Sopimus\nparties: [testi, alfa]\nmunicipalities: [alfa]\n"
	"status: signed\n---\nToinen teksti.\n";

static int make_repo(void)
{
	if (!mkdtemp(top))
		return -1;
	char *dir = xasprintf("%s/repo", top);
	mkdir(dir, 0755);
	free(dir);
	if (sh("repo", "git init -q ."))
		return -1;
	write_at("repo", "content/site.yaml",
		"title: Testi\nbase_url: https://t.example/\nlanguages: [fi]\n");
	write_at("repo", "content/testi/region.md", "---\ntype: region\ntitle: Testialue\nname: Testi\n"
		"areas:\n  - slug: a\n    name: A\n    municipalities: [alfa]\n---\nAlue.\n");
	write_at("repo", "content/testi/kunnat/alfa.md",
		"---\ntype: municipality\ntitle: Alfa\nname: Alfa\n---\nKunta.\n");
	write_at("repo", "content/testi/sopimus.md", agreement_v1);
	write_at("repo", "content/testi/luonnos.md",
		"---\ntype: page\ntitle: Luonnos\ndraft: true\n---\nKesken.\n");
	write_at("repo", "content/testi/poistuva.md", "---\ntype: page\ntitle: Poistuva sivu\n---\n"
		"Linkki [sopimukseen](sopimus.md) ja [kadonneeseen](kadonnut.md).\n");
	if (commit("2023-01-01T10:00:00+02:00", "Ensimmäinen"))
		return -1;
	write_at("repo", "content/testi/sopimus.md", agreement_v2);
	if (commit("2023-02-01T10:00:00+02:00", "Rikottu"))
		return -1;
	write_at("repo", "content/testi/sopimus.md", agreement_v3);
	if (sh("repo", "git rm -q content/testi/poistuva.md") ||
	    commit("2023-03-01T10:00:00+02:00", "Korjattu"))
		return -1;
	return 0;
}

/* Everything a build has up to writing pages. */
typedef struct fixture {
	repo *r;
	history *h;
	site *s;
	theme *th;
	value *model;
	model_file *files;
	output *out;
	pages_env e;
	diag_list d;
} fixture;

static int fixture_open(fixture *f)
{
	memset(f, 0, sizeof(*f));
	char *path = xasprintf("%s/repo", top);
	repo_opts ro = { path, NULL, NULL, 0 };
	int rc = repo_open(&f->r, &ro, &f->d);
	free(path);
	if (rc != 0 || history_build(&f->h, f->r, NULL, &f->d) != 0)
		return -1;
	size_t n = repo_file_count(f->r);
	f->files = xcalloc(n, sizeof(model_file));
	for (size_t i = 0; i < n; i++) {
		const repo_file *rf = repo_file_at(f->r, i);
		f->files[i] = (model_file){ rf->path, rf->data, rf->len, rf->oid };
	}
	model_opts mo = { repo_content_prefix(f->r), 0, 1, NULL, 0 };
	f->s = site_load(f->files, n, &mo, &f->d);
	const char *src = getenv("AVOIN_TOP");
	char *tdir = xasprintf("%s/themes/default", src ? src : ".");
	f->th = f->s ? theme_load(tdir, f->s, NULL, &f->d) : NULL;
	free(tdir);
	if (!f->th || f->d.errors)
		return -1;
	f->model = site_model_value(f->s, repo_commit_date(f->r));
	pages_env e = { f->s, f->th, NULL, f->model, repo_commit_id(f->r), repo_commit_date(f->r),
		0, NULL, f->h, f->r, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
		NULL };
	f->e = e;
	return 0;
}

static void fixture_close(fixture *f)
{
	if (f->out)
		output_abort(f->out);
	value_free(f->model);
	theme_free(f->th);
	site_free(f->s);
	free(f->files);
	history_free(f->h);
	repo_free(f->r);
	diag_release(&f->d);
}

static void summary_of_a_record(void)
{
	fixture f;
	CHECK(fixture_open(&f) == 0);
	if (f.d.errors) {
		fixture_close(&f);
		return;
	}
	value *v = histpages_record_summary(&f.e, site_find_record(f.s, "testi/sopimus.md"));
	CHECK_STR(value_map_str(v, "created"), "2023-01-01");
	CHECK_STR(value_map_str(v, "created_fi"), "1.1.2023");
	CHECK_STR(value_map_str(v, "changed"), "2023-03-01");
	CHECK_STR(value_map_str(v, "changed_fi"), "1.3.2023");
	CHECK_STR(value_map_str(v, "href"), "testi/sopimus/historia/");
	value *n = value_map_get(v, "versions");
	CHECK(n && n->kind == VAL_NUMBER && n->u.number == 3);
	value_free(v);
	/* a draft has no history page, so no summary either */
	CHECK(histpages_record_summary(&f.e, site_find_record(f.s, "testi/luonnos.md")) == NULL);
	f.e.hist = NULL;
	CHECK(histpages_record_summary(&f.e, site_find_record(f.s, "testi/sopimus.md")) == NULL);
	CHECK(histpages_feeds(&f.e, "fi", NULL, NULL) == NULL);
	fixture_close(&f);
}

static void feeds_of_a_page(void)
{
	fixture f;
	CHECK(fixture_open(&f) == 0);
	if (f.d.errors) {
		fixture_close(&f);
		return;
	}
	value *l = histpages_feeds(&f.e, "fi", NULL, NULL);
	CHECK(value_len(l) == 1);
	CHECK_STR(value_map_str(value_at(l, 0), "href"), "muutokset/atom.xml");
	CHECK_STR(value_map_str(value_at(l, 0), "changes_href"), "muutokset/");
	CHECK_STR(value_map_str(value_at(l, 0), "title"), "Muutokset – Testi");
	CHECK(value_truthy(value_map_get(value_at(l, 0), "own")));
	value_free(l);
	const record *alfa = site_find_municipality(f.s, "alfa");
	l = histpages_feeds(&f.e, "fi", site_find_region(f.s, "testi"), alfa);
	CHECK(value_len(l) == 3);
	CHECK_STR(value_map_str(value_at(l, 1), "href"), "testi/muutokset/atom.xml");
	CHECK_STR(value_map_str(value_at(l, 1), "title"), "Muutokset: Testi");
	CHECK_STR(value_map_str(value_at(l, 2), "href"), "testi/kunnat/alfa/muutokset/atom.xml");
	CHECK(!value_truthy(value_map_get(value_at(l, 1), "own")));
	CHECK(value_truthy(value_map_get(value_at(l, 2), "own")));
	value_free(l);
	fixture_close(&f);
}

static void pages_are_written(void)
{
	fixture f;
	CHECK(fixture_open(&f) == 0);
	char *out = xasprintf("%s/out", top);
	if (f.d.errors || output_begin(&f.out, out, &f.d) != 0) {
		free(out);
		fixture_close(&f);
		return;
	}
	free(out);
	f.e.out = f.out;
	CHECK(histpages_write_all(&f.e, &f.d) == 0);
	CHECK(f.d.errors == 0);
	CHECK(output_commit(f.out, &f.d) == 0);
	f.out = NULL;

	char *hist = read_out("testi/sopimus/historia/index.html");
	/* next to a version that does not parse, the whole texts are compared, not fields */
	CHECK_CONTAINS(hist, "<ins><span class=\"visually-hidden\">Lisätty: </span>auki\n</ins>");
	CHECK_CONTAINS(hist, "status: signed\n</ins>");
	CHECK_NOT_CONTAINS(hist, "field-changes");
	CHECK(strstr(hist ? hist : "", "Korjattu") < strstr(hist ? hist : "", "Ensimmäinen"));
	CHECK_NOT_CONTAINS(hist, "t@example.invalid");
	free(hist);

	/* a version whose front matter does not parse is shown as its text, escaped */
	buf p = BUF_INIT;
	char id[41] = "";
	for (size_t i = 0; i < history_commit_count(f.h); i++)
		if (strcmp(history_commit_at(f.h, i)->summary, "Rikottu") == 0)
			memcpy(id, history_commit_at(f.h, i)->short_id, 8);
	buf_printf(&p, "testi/sopimus/historia/%s.html", id);
	char *v2 = read_out(p.ptr);
	CHECK_CONTAINS(v2, "<pre class=\"raw-version\">");
	CHECK_CONTAINS(v2, "status: [auki");
	CHECK_CONTAINS(v2, "Rikki &lt;b&gt;.");
	CHECK_CONTAINS(v2, "Tämä on asiakirjan vanha versio.");
	free(v2);
	buf_release(&p);

	/* the removed page renders its last version leniently: a lost link is text */
	char *rm = read_out("testi/poistuva/index.html");
	CHECK_CONTAINS(rm, "Tämä asiakirja poistettiin");
	CHECK_CONTAINS(rm, "ja kadonneeseen.");
	CHECK_CONTAINS(rm, "href=\"../../testi/sopimus/\"");
	free(rm);

	char *none = read_out("testi/luonnos/historia/index.html");
	CHECK(none == NULL);
	free(none);
	char *feed = read_out("testi/kunnat/alfa/muutokset/atom.xml");
	CHECK_CONTAINS(feed, "<feed xmlns=\"http://www.w3.org/2005/Atom\"");
	CHECK_CONTAINS(feed, "<title>Muutettu: Sopimus</title>");
	CHECK_CONTAINS(feed, "<updated>2023-03-01T10:00:00+02:00</updated>");
	/* a page for the whole region is on every municipality's page: its removal too */
	CHECK_CONTAINS(feed, "<title>Poistettu: Poistuva sivu</title>");
	free(feed);
	fixture_close(&f);
}

static void a_failing_template_is_an_error(void)
{
	fixture f;
	CHECK(fixture_open(&f) == 0);
	char *out = xasprintf("%s/out-broken", top);
	if (f.d.errors || output_begin(&f.out, out, &f.d) != 0) {
		free(out);
		fixture_close(&f);
		return;
	}
	free(out);
	f.e.out = f.out;
	/* a template that includes itself fails past the nesting cap */
	static const char loop[] = "{{> history}}";
	CHECK(tmpl_set_add(f.th->templates, "history", loop, sizeof(loop) - 1, "history.mustache",
		&f.d) == 0);
	CHECK(histpages_write_all(&f.e, &f.d) == -1);
	CHECK(f.d.errors > 0);
	fixture_close(&f);
}

static void lenient_links_become_text(void)
{
	static const model_file files[] = {
		{ "site.yaml", "title: T\n", 9, "" },
		{ "a.md", "---\ntype: page\ntitle: A\n---\n"
			"[pois](gone.md), [luonnos](b.md), [tiedosto](x.csv).\n", 0, "" },
		{ "b.md", "---\ntype: page\ntitle: B\ndraft: true\n---\nB.\n", 0, "" },
	};
	model_file fs[3];
	memcpy(fs, files, sizeof(fs));
	for (size_t i = 1; i < 3; i++)
		fs[i].len = strlen(fs[i].data);
	diag_list d = DIAG_LIST_INIT;
	model_opts mo = { "content/", 0, 1, NULL, 0 };
	site *s = site_load(fs, 3, &mo, &d);
	CHECK(s && d.errors == 0);
	record *a = s ? site_find_record(s, "a.md") : NULL;
	CHECK(a != NULL);
	if (!a) {
		site_free(s);
		diag_release(&d);
		return;
	}
	size_t before = d.n;
	buf html = BUF_INIT;
	markdown_opts lenient = { s, NULL, NULL, "../", 1, 1, NULL, NULL };
	CHECK(markdown_render(a, &lenient, &html, &d) == 0);
	CHECK(d.n == before);
	CHECK_STR(html.ptr, "<p>pois, luonnos, tiedosto.</p>\n");
	/* without it, the same links are errors and warnings, as before */
	buf_reset(&html);
	markdown_opts strict = { s, NULL, NULL, "../", 0, 0, NULL, NULL };
	CHECK(markdown_render(a, &strict, &html, &d) == -1);
	CHECK(diag_contains(&d, "link to 'gone.md' does not resolve"));
	CHECK(diag_contains(&d, "link to draft record 'b.md' published as plain text"));
	buf_release(&html);
	site_free(s);
	diag_release(&d);
}

/* Counts read as the language says them, "1 asiakirja" and "8 asiakirjaa", from the theme's strings. */
static void counts_take_the_language_s_forms(void)
{
	value *t = value_map(0);
	value_map_set_str(t, "count_records_one", "{n} asiakirja");
	value_map_set_str(t, "count_records_other", "{n} asiakirjaa");
	value_map_set_str(t, "count_municipalities_other", "kuntia: {n}");
	char *a = pages_count(t, "count_records", 1), *b = pages_count(t, "count_records", 8);
	char *c = pages_count(t, "count_records", 0), *m = pages_count(t, "count_municipalities", 22);
	char *missing = pages_count(t, "count_themes", 3);
	CHECK_STR(a, "1 asiakirja");
	CHECK_STR(b, "8 asiakirjaa");
	CHECK_STR(c, "0 asiakirjaa");
	CHECK_STR(m, "kuntia: 22");
	CHECK_STR(missing, "count_themes_other");   /* a missing string shows up */
	free(a);
	free(b);
	free(c);
	free(m);
	free(missing);
	value_free(t);
}

int main(void)
{
	if (make_repo() != 0) {
		printf("cannot make the fixture repository in %s\n", top);
		printf("0 passed, 1 failed, 0 skipped\n");
		return 1;
	}
	RUN(counts_take_the_language_s_forms);
	RUN(summary_of_a_record);
	RUN(feeds_of_a_page);
	RUN(pages_are_written);
	RUN(a_failing_template_is_an_error);
	RUN(lenient_links_become_text);
	remove_tree(top);
	return test_summary();
}
