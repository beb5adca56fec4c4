/*
 * The search index writer (site/search.c) on a small site loaded from memory:
 * the files it writes and what they hold, read back with the tests' JSON
 * reader; shards split by the third letter when large; postings as distances;
 * a compound found under its last part; a translation in its language; the
 * same site gives the same files.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "json.h"
#include "model.h"
#include "output.h"
#include "page.h"
#include "search.h"
#include "terms.h"
#include "test.h"
#include "theme.h"
#include "util.h"

static char top[] = "/tmp/avoin-test-search-XXXXXX";

/* The site's files: a region, a municipality, records with the words the tests look for. */
static buf many;

static void add_file(model_file *fs, size_t *n, const char *path, const char *data)
{
	fs[*n] = (model_file){ path, data, strlen(data), "" };
	(*n)++;
}

static size_t site_files(model_file *fs)
{
	size_t n = 0;
	add_file(fs, &n, "site.yaml", "title: T\nbase_url: https://t.example/\nlanguages: [fi, sv]\n");
	add_file(fs, &n, "testi/region.md", "---\ntype: region\ntitle: Testialue\nname: Testi\n---\n"
		"Alue.\n");
	add_file(fs, &n, "testi/kunnat/alfa.md", "---\ntype: municipality\ntitle: Alfa\nname: Alfa\n"
		"name_sv: Alfas\n---\nKunta.\n");
	add_file(fs, &n, "testi/sopimus.md", "---\ntype: agreement\ntitle: Yhteistyösopimus\n"
		"status: signed\nparties: [testi, alfa]\n---\nSopimus allekirjoitettiin.\n");
	add_file(fs, &n, "testi/sopimus.sv.md", "---\ntitle: Samarbetsavtal\n---\nAvtalet "
		"undertecknades, ett avtal.\n");
	add_file(fs, &n, "testi/muistio.md", "---\ntype: page\ntitle: Muistio\n---\nSopimus ja "
		"sopimukset.\n");
	add_file(fs, &n, "testi/luonnos.md", "---\ntype: page\ntitle: Luonnos\ndraft: true\n---\n"
		"Salainen.\n");
	/* a page with many words of one two letters ("ka..."): their shard is split */
	buf_reset(&many);
	buf_puts(&many, "---\ntype: page\ntitle: Sanoja\n---\n");
	for (int i = 0; i < 3000; i++)
		buf_printf(&many, "ka%c%cx%d ", 'a' + i % 26, 'a' + i / 26 % 26, i);
	buf_puts(&many, "\n");
	add_file(fs, &n, "testi/sanoja.md", many.ptr);
	return n;
}

/* What build.c does while rendering: each text's words. */
static void read_words(site *s)
{
	terms_stemmers *st = terms_stemmers_new();
	for (size_t i = 0; i < site_n_texts(s); i++) {
		record *r = site_text_at(s, i);
		terms_doc *d = terms_doc_new();
		terms_add_text(d, st, r->lang, r->title, strlen(r->title), 4);
		if (r->body)
			terms_add_markdown(d, st, r->lang, r->body, r->body_len, 1);
		size_t n;
		r->search_terms = terms_doc_finish(d, &r->search_terms_len, &n, &r->search_length);
	}
	terms_stemmers_free(st);
}

static value *read_json(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s/%s", top, dir, name ? name : "-"), *data = NULL;
	size_t len;
	buf err = BUF_INIT;
	value *j = read_file(path, &data, &len) == 0 ? json_parse(data, len, &err) : NULL;
	if (err.len)
		printf("  %s: %s\n", path, err.ptr);
	buf_release(&err);
	free(data);
	free(path);
	return j;
}

static const char *str_of(const value *v)
{
	return v && v->kind == VAL_STRING ? v->u.str.ptr : NULL;
}

static long num_of(const value *v)
{
	return v && v->kind == VAL_NUMBER ? (long)v->u.number : -1;
}

/* Builds the index of lang into top/out (a full build); 0 or -1. */
static int write_index(const char *out_name, const char *lang)
{
	model_file fs[16];
	size_t n = site_files(fs);
	diag_list d = DIAG_LIST_INIT;
	model_opts mo = { "content/", 0, 1, NULL, 0 };
	site *s = site_load(fs, n, &mo, &d);
	const char *src = getenv("AVOIN_TOP");
	char *tdir = xasprintf("%s/themes/default", src ? src : ".");
	theme *th = s ? theme_load(tdir, s, NULL, &d) : NULL;
	free(tdir);
	int ret = -1;
	char *out_dir = xasprintf("%s/%s", top, out_name);
	output *out = NULL;
	if (th && !d.errors && output_begin(&out, out_dir, &d) == 0) {
		read_words(s);
		value *model = site_model_value(s, "2024-01-01");
		pages_env e = { .s = s, .th = th, .site_model = model, .commit_id = "",
			.commit_date = "2024-01-01", .out = out };
		ret = search_write(&e, lang, &d) == 0 && output_commit(out, &d) == 0 ? 0 : -1;
		value_free(model);
	}
	for (size_t i = 0; i < d.n; i++) {
		buf m = BUF_INIT;
		diag_format(&m, &d.items[i]);
		printf("  %s\n", m.ptr);
		buf_release(&m);
	}
	free(out_dir);
	theme_free(th);
	site_free(s);
	diag_release(&d);
	return ret;
}

/* The documents' hrefs by their place, from meta's document table. */
static const char *doc_href(const char *dir, const value *meta, long id)
{
	static char href[256];
	long chunk = num_of(value_map_get(meta, "chunk"));
	const value *docs = value_map_get(meta, "docs");
	value *part = chunk > 0 ? read_json(dir, str_of(value_at(docs, (size_t)(id / chunk)))) : NULL;
	const char *h = part ? str_of(value_at(value_at(part, (size_t)(id % chunk)), 1)) : NULL;
	snprintf(href, sizeof href, "%s", h ? h : "");
	value_free(part);
	return href;
}

/* The documents of term in its shard (distances summed), as hrefs joined by spaces. */
static char *postings(const char *dir, const value *meta, const char *key, const char *term)
{
	value *shard = read_json(dir, str_of(value_map_get(value_map_get(meta, "shards"), key)));
	const value *p = shard ? value_map_get(shard, term) : NULL;
	buf out = BUF_INIT;
	long doc = 0;
	for (size_t i = 0; p && i < value_len(p); i += 2) {
		doc += num_of(value_at(p, i));
		buf_printf(&out, "%s%s", i ? " " : "", doc_href(dir, meta, doc));
	}
	value_free(shard);
	if (!out.ptr)
		buf_puts(&out, "");
	return buf_detach(&out, NULL);
}

static void the_index_holds_every_published_text_once(void)
{
	CHECK(write_index("a", "fi") == 0);
	value *meta = read_json("a/haku/fi", "meta.json");
	CHECK(meta != NULL);
	if (!meta)
		return;
	/* the region, the municipality, the agreement, two pages; not the draft */
	CHECK(num_of(value_map_get(meta, "n")) == 5);
	char *p = postings("a/haku/fi", meta, "so", "sopimus");
	/* the memo by its own word, the agreement by its compound title's last part */
	CHECK_STR(p, "testi/muistio/ testi/sopimus/");
	free(p);
	p = postings("a/haku/fi", meta, "sa", "salainen");
	CHECK_STR(p, "");
	free(p);
	value_free(meta);
}

static void a_translated_text_is_indexed_in_its_language(void)
{
	CHECK(write_index("b", "sv") == 0);
	value *meta = read_json("b/haku/sv", "meta.json");
	char *p = meta ? postings("b/haku/sv", meta, "av", "avtal") : NULL;
	CHECK_STR(p, "testi/sopimus/");
	free(p);
	value_free(meta);
}

static void a_large_shard_is_split_by_the_third_letter(void)
{
	value *meta = read_json("a/haku/fi", "meta.json");
	const value *shards = meta ? value_map_get(meta, "shards") : NULL;
	CHECK(shards && !value_map_get(shards, "ka"));
	CHECK(shards && value_map_get(shards, "kaa") && value_map_get(shards, "kaz"));
	const char *name = shards ? str_of(value_map_get(shards, "kaa")) : NULL;
	CHECK(name && strncmp(name, "t-6b6161-", 9) == 0);
	char *p = meta ? postings("a/haku/fi", meta, "kaa", "kaaax0") : NULL;
	CHECK_STR(p, "testi/sanoja/");
	free(p);
	value_free(meta);
}

static void the_same_site_gives_the_same_files(void)
{
	CHECK(write_index("c", "fi") == 0);
	char *a = xasprintf("cd %s && diff -r a/haku/fi c/haku/fi >/dev/null", top);
	CHECK(system(a) == 0);
	free(a);
}

int main(void)
{
	if (!mkdtemp(top)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(the_index_holds_every_published_text_once);
	RUN(a_translated_text_is_indexed_in_its_language);
	RUN(a_large_shard_is_split_by_the_third_letter);
	RUN(the_same_site_gives_the_same_files);
	char *rm = xasprintf("rm -rf %s", top);
	if (system(rm) != 0)
		fprintf(stderr, "could not remove %s\n", top);
	free(rm);
	buf_release(&many);
	return test_summary();
}
