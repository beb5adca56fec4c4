/* Unit tests of theme loading: templates, UI strings, statics, hooks, overrides. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "model.h"
#include "mustache.h"
#include "test.h"
#include "theme.h"
#include "util.h"

static char *theme_dir(void)
{
	const char *top = getenv("AVOIN_TOP");
	return xasprintf("%s/themes/default", top ? top : ".");
}

static site *small_site(const char *tmpl_override, diag_list *d)
{
	static const char site_yaml[] = "title: Testi\nlanguages: [fi, sv]\n";
	static const char region_md[] = "---\ntype: region\ntitle: Alue\nname: Alue\n---\nAlue.\n";
	model_file files[4] = {
		{ "site.yaml", site_yaml, sizeof(site_yaml) - 1, "" },
		{ "testi/region.md", region_md, sizeof(region_md) - 1, "" },
	};
	size_t n = 2;
	if (tmpl_override)
		files[n++] = (model_file){ "templates/record-footer.mustache", tmpl_override,
			strlen(tmpl_override), "" };
	model_opts o = { "content/", 0, 1, NULL, 0 };
	return site_load(files, n, &o, d);
}

static void default_theme_loads(void)
{
	diag_list d = DIAG_LIST_INIT;
	char *dir = theme_dir();
	theme *t = theme_load(dir, NULL, NULL, &d);
	CHECK(t != NULL);
	CHECK(d.errors == 0);
	if (t) {
		const char *needed[] = { "layout", "index", "region", "municipality", "record",
			"theme", "themes", "404", "accessibility", "record-list" };
		for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++)
			CHECK(tmpl_set_has(t->templates, needed[i]));
		CHECK_STR(value_map_str(theme_strings(t, "fi"), "home"), "Etusivu");
		CHECK_STR(value_map_str(theme_strings(t, "sv"), "home"), "Startsida");
		CHECK_STR(value_map_str(theme_strings(t, "en"), "home"), "Home");
		/* an unknown language falls back to Finnish */
		CHECK_STR(value_map_str(theme_strings(t, "se"), "home"), "Etusivu");
		CHECK(t->n_statics >= 2);
		CHECK(t->n_hooks >= 3);
		CHECK(strlen(t->fingerprint) == 16);
		/* statics and hooks come sorted, so the build is deterministic */
		for (size_t i = 1; i < t->n_statics; i++)
			CHECK(strcmp(t->statics[i - 1].path, t->statics[i].path) < 0);
		for (size_t i = 1; i < t->n_hooks; i++)
			CHECK(strcmp(t->hooks[i - 1].name, t->hooks[i].name) < 0);
	}
	theme *t2 = theme_load(dir, NULL, NULL, &d);
	CHECK(t && t2 && strcmp(t->fingerprint, t2->fingerprint) == 0);
	theme_free(t);
	theme_free(t2);
	free(dir);
	diag_release(&d);
}

static void every_language_has_every_key(void)
{
	diag_list d = DIAG_LIST_INIT;
	char *dir = theme_dir();
	theme *t = theme_load(dir, NULL, NULL, &d);
	CHECK(t != NULL);
	if (t) {
		/* every key of fi.yaml is in sv.yaml and en.yaml: no fill-in, no warning */
		const value *fi = theme_strings(t, "fi");
		CHECK(value_len(theme_strings(t, "sv")) == value_len(fi));
		CHECK(value_len(theme_strings(t, "en")) == value_len(fi));
		CHECK(d.n == 0);
		for (size_t i = 0; i < d.n; i++)
			printf("  %s: %s\n", d.items[i].file, d.items[i].msg);
	}
	theme_free(t);
	free(dir);
	diag_release(&d);
}

static void content_overrides_a_template(void)
{
	diag_list d = DIAG_LIST_INIT;
	site *s = small_site("<p>oma {{record.title}}</p>", &d);
	CHECK(s && d.errors == 0);
	char *dir = theme_dir();
	theme *t = theme_load(dir, s, NULL, &d);
	CHECK(t != NULL);
	if (t) {
		value *ctx = value_map(0);
		value *rec = value_map(0);
		value_map_set_str(rec, "title", "<A>");
		value_map_set(ctx, "record", rec);
		buf out = BUF_INIT;
		CHECK(tmpl_render(t->templates, "record-footer", ctx, &out, &d) == 0);
		CHECK_STR(out.ptr, "<p>oma &lt;A&gt;</p>");
		buf_release(&out);
		value_free(ctx);
	}
	theme_free(t);
	site_free(s);
	free(dir);
	diag_release(&d);
}

static void broken_override_is_an_error_with_file_and_line(void)
{
	diag_list d = DIAG_LIST_INIT;
	site *s = small_site("<p>\n{{#record}}auki\n", &d);
	char *dir = theme_dir();
	theme *t = theme_load(dir, s, NULL, &d);
	/* an error of the content: the theme's own template stays, the build reports it and more */
	CHECK(t != NULL && d.errors == 1);
	CHECK(diag_contains(&d, "content/templates/record-footer.mustache:2"));
	theme_free(t);
	site_free(s);
	free(dir);
	diag_release(&d);
}

static void missing_theme_is_an_error(void)
{
	diag_list d = DIAG_LIST_INIT;
	theme *t = theme_load("/nonexistent/theme", NULL, NULL, &d);
	CHECK(t == NULL);
	CHECK(diag_contains(&d, "theme folder does not exist"));
	diag_release(&d);
}

static void put(const char *dir, const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", dir, name);
	mkdir_parent(p);
	FILE *f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	free(p);
}

/* A key missing from sv.yaml is a warning naming the file and the key; Finnish fills in. */
static void a_missing_string_is_named(void)
{
	char tmpl[] = "/tmp/avoin-theme-XXXXXX";
	char *dir = mkdtemp(tmpl);
	CHECK(dir != NULL);
	if (!dir)
		return;
	put(dir, "i18n/fi.yaml", "home: Etusivu\nskip: Siirry\n");
	put(dir, "i18n/sv.yaml", "home: Startsida\n");
	put(dir, "templates/layout.mustache", "{{{content}}}");
	diag_list d = DIAG_LIST_INIT;
	theme *t = theme_load(dir, NULL, NULL, &d);
	CHECK(t != NULL);
	char *want = xasprintf("%s/i18n/sv.yaml", dir);
	int found = 0;
	for (size_t i = 0; i < d.n; i++)
		found |= d.items[i].file && !strcmp(d.items[i].file, want) &&
			strstr(d.items[i].msg, "UI string 'skip' is missing") != NULL;
	CHECK(found);
	for (size_t i = 0; !found && i < d.n; i++)
		printf("  %s: %s\n", d.items[i].file ? d.items[i].file : "-", d.items[i].msg);
	if (t)
		CHECK_STR(value_map_str(theme_strings(t, "sv"), "skip"), "Siirry");
	free(want);
	theme_free(t);
	diag_release(&d);
	char *cmd = xasprintf("rm -rf %s", dir);
	CHECK(system(cmd) == 0);
	free(cmd);
}

int main(void)
{
	RUN(default_theme_loads);
	RUN(every_language_has_every_key);
	RUN(a_missing_string_is_named);
	RUN(content_overrides_a_template);
	RUN(broken_override_is_an_error_with_file_and_line);
	RUN(missing_theme_is_an_error);
	return test_summary();
}
