/* Unit tests of the front matter module: YAML typing, lines, every error it reports, its cache. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "frontmatter.h"
#include "test.h"
#include "util.h"
#include "value.h"
#include "banned.h"

/* Parses text as YAML starting at file line 1; NULL on error (diagnostics in *d). */
static value *parse(const char *text, diag_list *d)
{
	return yaml_parse(text, strlen(text), "f.yaml", 1, d);
}

/* The only diagnostic of d as a line, or "" (static storage, for CHECK_STR). */
static const char *only_diag(const diag_list *d)
{
	static char line[512];
	line[0] = '\0';
	if (d->n != 1) {
		snprintf(line, sizeof(line), "(%zu diagnostics)", d->n);
		for (size_t i = 0; i < d->n; i++) {
			buf b = BUF_INIT;
			diag_format(&b, &d->items[i]);
			printf("    %s\n", b.ptr);
			buf_release(&b);
		}
		return line;
	}
	buf b = BUF_INIT;
	diag_format(&b, &d->items[0]);
	snprintf(line, sizeof(line), "%s", b.ptr);
	buf_release(&b);
	return line;
}

/* The YAML error for text, as a formatted line. */
static const char *yaml_error(const char *text)
{
	diag_list d = DIAG_LIST_INIT;
	value *v = parse(text, &d);
	const char *got = v ? "(parsed)" : only_diag(&d);
	value_free(v);
	diag_release(&d);
	return got;
}

static void scalars_follow_the_core_schema(void)
{
	diag_list d = DIAG_LIST_INIT;
	value *v = parse("date: 2023-11-20\n"
		"answer: no\n"
		"on: on\n"
		"section: 285\n"
		"quoted: \"285\"\n"
		"single: '285'\n"
		"neg: -1.5e3\n"
		"octal: 0755\n"
		"time: 1:20\n"
		"yes: true\n"
		"big: FALSE\n"
		"cap: True\n"
		"nothing:\n"
		"tilde: ~\n"
		"null_word: Null\n"
		"qnull: \"null\"\n"
		"qtrue: 'true'\n"
		"block: |\n  285\n"
		"tagged: !!str 285\n"
		"leading_dot: .5\n"
		"plus: +1\n"
		"zero: 0\n"
		"float: 1.21\n", &d);
	CHECK(v && v->kind == VAL_MAP && d.n == 0);
	CHECK(value_get_path(v, "date")->kind == VAL_STRING);
	CHECK_STR(value_map_str(v, "date"), "2023-11-20");
	CHECK_STR(value_map_str(v, "answer"), "no");
	CHECK_STR(value_map_str(v, "on"), "on");
	CHECK(value_map_get(v, "section")->kind == VAL_NUMBER);
	CHECK(value_map_get(v, "section")->u.number == 285);
	CHECK_STR(value_map_str(v, "quoted"), "285");
	CHECK_STR(value_map_str(v, "single"), "285");
	value *neg = value_map_get(v, "neg"), *zero = value_map_get(v, "zero");
	CHECK(neg->kind == VAL_NUMBER && neg->u.number == -1500);
	CHECK_STR(value_map_str(v, "octal"), "0755");
	CHECK_STR(value_map_str(v, "time"), "1:20");
	CHECK(value_map_get(v, "yes")->kind == VAL_BOOL && value_map_get(v, "yes")->u.boolean == 1);
	CHECK(value_map_get(v, "big")->kind == VAL_BOOL && value_map_get(v, "big")->u.boolean == 0);
	CHECK(value_map_get(v, "cap")->kind == VAL_BOOL && value_map_get(v, "cap")->u.boolean == 1);
	CHECK(value_map_get(v, "nothing")->kind == VAL_NULL);
	CHECK(value_map_get(v, "tilde")->kind == VAL_NULL);
	CHECK(value_map_get(v, "null_word")->kind == VAL_NULL);
	CHECK_STR(value_map_str(v, "qnull"), "null");
	CHECK_STR(value_map_str(v, "qtrue"), "true");
	CHECK_STR(value_map_str(v, "block"), "285\n");
	CHECK_STR(value_map_str(v, "tagged"), "285");
	CHECK_STR(value_map_str(v, "leading_dot"), ".5");
	CHECK_STR(value_map_str(v, "plus"), "+1");
	CHECK(zero->kind == VAL_NUMBER && zero->u.number == 0);
	CHECK(value_map_get(v, "float")->u.number == 1.21);
	value_free(v);
	diag_release(&d);
}

static void keys_stay_text(void)
{
	diag_list d = DIAG_LIST_INIT;
	value *v = parse("2023: a\ntrue: b\nnull: c\n1.50: d\n", &d);
	CHECK(v && d.n == 0);
	CHECK_STR(value_map_str(v, "2023"), "a");
	CHECK_STR(value_map_str(v, "true"), "b");
	CHECK_STR(value_map_str(v, "null"), "c");
	CHECK_STR(value_map_str(v, "1.50"), "d");
	value_free(v);
	diag_release(&d);
}

static void values_carry_their_lines(void)
{
	diag_list d = DIAG_LIST_INIT;
	const char *text = "---\n"
		"type: minutes\n"         /* 2 */
		"title: Kokous\n"         /* 3 */
		"outcomes:\n"             /* 4 */
		"  - action: A\n"         /* 5 */
		"    due: 2024-01-01\n"   /* 6 */
		"  - action: B\n"         /* 7 */
		"tags: [a,\n"             /* 8 */
		"  b]\n"                  /* 9 */
		"---\n"                   /* 10 */
		"Body line\n";            /* 11 */
	value *m;
	const char *body;
	size_t body_len;
	int body_line;
	int rc = frontmatter_split(text, strlen(text), "x.md", &m, &body, &body_len, &body_line,
		&d);
	CHECK(rc == 0);
	CHECK(d.n == 0);
	CHECK(m->line == 2);
	CHECK(value_map_get(m, "type")->line == 2);
	CHECK(value_map_get(m, "title")->line == 3);
	value *o = value_map_get(m, "outcomes");
	CHECK(o->kind == VAL_LIST && o->line == 5);
	CHECK(value_at(o, 0)->line == 5);
	CHECK(value_map_get(value_at(o, 0), "due")->line == 6);
	CHECK(value_map_get(value_at(o, 1), "action")->line == 7);
	CHECK(value_at(value_map_get(m, "tags"), 1)->line == 9);
	CHECK(body_line == 11);
	CHECK(body_len == strlen("Body line\n"));
	CHECK(strncmp(body, "Body line\n", body_len) == 0);
	value_free(m);
	diag_release(&d);
}

static void first_line_offsets_lines(void)
{
	diag_list d = DIAG_LIST_INIT;
	value *v = yaml_parse("a: 1\nb: [\n", 10, "f.yaml", 40, &d);
	CHECK(v == NULL);
	CHECK(d.n == 1 && d.items[0].line == 42);
	CHECK_STR(d.items[0].file, "f.yaml");
	diag_release(&d);
}

static void empty_documents_are_empty_maps(void)
{
	const char *texts[] = { "", "# only a comment\n", "~\n", "---\n" };
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		diag_list d = DIAG_LIST_INIT;
		value *v = parse(texts[i], &d);
		CHECK(v && v->kind == VAL_MAP && value_len(v) == 0 && d.n == 0);
		value_free(v);
		diag_release(&d);
	}
}

static void duplicate_keys_are_errors(void)
{
	CHECK_STR(yaml_error("title: a\ndate: 2023-01-01\ntitle: b\n"),
		"f.yaml:3: duplicate key 'title' (first given on line 1)");
	CHECK_STR(yaml_error("approved:\n  by: x\n  by: y\n"),
		"f.yaml:3: duplicate key 'by' (first given on line 2)");
}

static void non_scalar_keys_are_errors(void)
{
	CHECK_STR(yaml_error("a: 1\n[x, y]: 2\n"),
		"f.yaml:2: invalid YAML: a key must be plain text (got a list)");
	CHECK_STR(yaml_error("? {x: 1}\n: 2\n"),
		"f.yaml:1: invalid YAML: a key must be plain text (got a map)");
}

static void anchors_and_aliases_are_refused(void)
{
	CHECK_STR(yaml_error("a: &x 1\nb: *x\n"),
		"f.yaml:1: invalid YAML: anchors are not allowed (got '&x'; write the value out)");
	CHECK_STR(yaml_error("a: &l [1, 2]\n"),
		"f.yaml:1: invalid YAML: anchors are not allowed (got '&l'; write the value out)");
	CHECK_STR(yaml_error("a: 1\n&k b: 2\n"),
		"f.yaml:2: invalid YAML: anchors are not allowed (got '&k'; write the value out)");
	/* An alias to an undefined anchor is still an alias: refused, not resolved. */
	CHECK_STR(yaml_error("a: 1\nb:\n  - *nowhere\n"),
		"f.yaml:3: invalid YAML: aliases are not allowed (got '*nowhere'; write the value "
		"out)");
	CHECK_STR(yaml_error("*k : 1\n"),
		"f.yaml:1: invalid YAML: aliases are not allowed (got '*k'; write the value out)");
}

static void deep_nesting_is_refused(void)
{
	buf b = BUF_INIT;
	for (int i = 0; i < 64; i++)
		buf_putc(&b, '[');
	for (int i = 0; i < 64; i++)
		buf_putc(&b, ']');
	diag_list d = DIAG_LIST_INIT;
	value *v = parse(b.ptr, &d);
	CHECK(v != NULL && d.n == 0); /* 64 levels are allowed */
	value_free(v);
	buf_reset(&b);
	for (int i = 0; i < 100000; i++)
		buf_putc(&b, '[');
	v = parse(b.ptr, &d);
	CHECK(v == NULL);
	CHECK(diag_contains(&d, "f.yaml:1: invalid YAML: nesting deeper than 64 levels"));
	buf_release(&b);
	diag_release(&d);
}

static void syntax_errors_name_problem_context_and_line(void)
{
	CHECK_STR(yaml_error("title: x\ntags: [a, b\nnext: 1\n"),
		"f.yaml:3: invalid YAML: did not find expected ',' or ']' while parsing a flow "
		"sequence that started on line 2");
	CHECK_STR(yaml_error("a: b: c\n"),
		"f.yaml:1: invalid YAML: mapping values are not allowed in this context");
	CHECK_STR(yaml_error("a:\n  b: 1\n c: 2\n"),
		"f.yaml:3: invalid YAML: did not find expected key while parsing a block mapping "
		"that started on line 1");
	CHECK_STR(yaml_error("a: 1\n---\nb: 2\n"),
		"f.yaml:2: invalid YAML: more than one document (expected a single map of keys)");
	CHECK_CONTAINS(yaml_error("a: \"x\x01y\"\n"), "f.yaml:1: invalid YAML: control characters");
	CHECK_CONTAINS(yaml_error("a: \xff\xfe\n"), "invalid YAML: invalid");
}

/* Runs frontmatter_split and returns its only diagnostic (or "(ok)"). */
static const char *split_error(const char *text)
{
	diag_list d = DIAG_LIST_INIT;
	value *m = NULL;
	const char *body;
	size_t body_len;
	int body_line;
	int rc = frontmatter_split(text, strlen(text), "content/x.md", &m, &body, &body_len,
		&body_line, &d);
	const char *got = rc == 0 ? "(ok)" : only_diag(&d);
	CHECK((rc == 0) == (m != NULL));
	value_free(m);
	diag_release(&d);
	return got;
}

static void split_errors(void)
{
	CHECK_STR(split_error("title: x\n"),
		"content/x.md:1: missing front matter (expected '---' on the first line)");
	CHECK_STR(split_error(""),
		"content/x.md:1: missing front matter (expected '---' on the first line)");
	CHECK_STR(split_error("\n---\ntitle: x\n---\n"),
		"content/x.md:1: missing front matter (expected '---' on the first line)");
	CHECK_STR(split_error("----\ntitle: x\n---\n"),
		"content/x.md:1: missing front matter (expected '---' on the first line)");
	CHECK_STR(split_error("---\ntitle: x\ntype: page\n\nBody\n"),
		"content/x.md:5: front matter is not closed (expected a line '---')");
	CHECK_STR(split_error("---"),
		"content/x.md:1: front matter is not closed (expected a line '---')");
	CHECK_STR(split_error("---\n- a\n- b\n---\n"),
		"content/x.md:2: front matter must be a map of keys (got a list)");
	CHECK_STR(split_error("---\njust text\n---\n"),
		"content/x.md:2: front matter must be a map of keys (got a string)");
	CHECK_STR(split_error("---\ntitle: x\ntitle: y\n---\n"),
		"content/x.md:3: duplicate key 'title' (first given on line 2)");
	CHECK_STR(split_error("---\ntitle: x\ntags: [a\n---\nbody\n"),
		"content/x.md:4: invalid YAML: did not find expected ',' or ']' while parsing a "
		"flow sequence that started on line 3");
}

static void split_accepts_bom_crlf_and_dots(void)
{
	diag_list d = DIAG_LIST_INIT;
	value *m;
	const char *body;
	size_t body_len;
	int body_line;
	const char *t = "\xEF\xBB\xBF---\r\ntitle: Otsikko\r\ndate: 2023-11-20\r\n---\r\n"
		"Teksti\r\n";
	CHECK(frontmatter_split(t, strlen(t), "a.md", &m, &body, &body_len, &body_line, &d) == 0);
	CHECK_STR(value_map_str(m, "title"), "Otsikko");
	CHECK_STR(value_map_str(m, "date"), "2023-11-20");
	CHECK(value_map_get(m, "date")->line == 3);
	CHECK(body_line == 5);
	CHECK(body_len == 8 && strncmp(body, "Teksti\r\n", 8) == 0);
	value_free(m);

	t = "---\ntype: page\n...\nBody";
	CHECK(frontmatter_split(t, strlen(t), "a.md", &m, &body, &body_len, &body_line, &d) == 0);
	CHECK_STR(value_map_str(m, "type"), "page");
	CHECK(body_line == 4 && body_len == 4);
	value_free(m);

	/* An empty front matter is an empty map; a body may be empty; a later '---' is body. */
	t = "---\n---\n";
	CHECK(frontmatter_split(t, strlen(t), "a.md", &m, &body, &body_len, &body_line, &d) == 0);
	CHECK(m->kind == VAL_MAP && value_len(m) == 0 && body_len == 0 && body_line == 3);
	value_free(m);
	t = "---\na: 1\n--- \nx\n---\ny\n";
	CHECK(frontmatter_split(t, strlen(t), "a.md", &m, &body, &body_len, &body_line, &d) == 0);
	CHECK(value_len(m) == 1 && strcmp(body, "x\n---\ny\n") == 0);
	value_free(m);
	CHECK(d.n == 0);
	diag_release(&d);
}

/* frontmatter_body() finds the body exactly where frontmatter_split() does, without the YAML. */
static void body_without_parsing(void)
{
	const char *texts[] = {
		"\xEF\xBB\xBF---\r\ntitle: Otsikko\r\n---\r\nTeksti\r\n",
		"---\ntype: page\n...\nBody",
		"---\n---\n",
		"---\na: 1\n--- \nx\n---\ny\n",
		"---\ntitle: [not closed\n---\nbody\n", /* bad YAML: split fails, the body is found */
	};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		diag_list d = DIAG_LIST_INIT;
		value *m;
		const char *b1 = NULL, *b2 = NULL;
		size_t n1 = 0, n2 = 0;
		int l1 = 0, l2 = 0;
		int rc = frontmatter_split(texts[i], strlen(texts[i]), "a.md", &m, &b1, &n1, &l1, &d);
		CHECK(frontmatter_body(texts[i], strlen(texts[i]), &b2, &n2, &l2) == 0);
		if (rc == 0)
			CHECK(b1 == b2 && n1 == n2 && l1 == l2);
		else
			CHECK(i == 4 && l2 == 4 && strcmp(b2, "body\n") == 0);
		value_free(m);
		diag_release(&d);
	}
	const char *bad[] = { "", "no front matter\n", "---\ntitle: x\n", "\xEF\xBB\xBF" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		const char *b;
		size_t n;
		int l;
		CHECK(frontmatter_body(bad[i], strlen(bad[i]), &b, &n, &l) == -1);
	}
}

/* One split through cache c; the tree as JSON with every value's line, or "error". */
static char *split_via(fm_cache *c, const char *oid, const char *text, int *body_line,
	size_t *body_off, size_t *n_diags)
{
	diag_list d = DIAG_LIST_INIT;
	value *m = NULL;
	const char *body = NULL;
	size_t body_len = 0;
	int rc = frontmatter_split_cached(c, oid, text, strlen(text), "x.md", &m, &body, &body_len,
		body_line, &d);
	*n_diags = d.n;
	diag_release(&d);
	if (rc != 0)
		return xstrdup("error");
	*body_off = (size_t)(body - text);
	CHECK(*body_off + body_len == strlen(text));
	buf b = BUF_INIT;
	value_put_json(&b, m);
	const value *title = value_map_get(m, "title");
	const value *list = value_map_get(m, "list");
	buf_printf(&b, " lines %d %d %d", m->line, title ? title->line : -1,
		list && value_len(list) > 1 ? value_at(list, 1)->line : -1);
	value_free(m);
	return buf_detach(&b, NULL);
}

/* One build that splits n texts (each its own blob) through the cache at path; its hits. */
static size_t build_with(const char *path, const char *gen, const char *const *texts,
	const char *const *oids, size_t n, int save)
{
	fm_cache *c = fm_cache_open(path, gen);
	for (size_t i = 0; i < n; i++) {
		int line;
		size_t off, k;
		free(split_via(c, oids[i], texts[i], &line, &off, &k));
	}
	size_t hits = fm_cache_hits(c);
	if (save)
		CHECK(fm_cache_save(c) == 0);
	fm_cache_free(c);
	return hits;
}

static size_t build_once(const char *path, const char *gen, const char *oid, const char *text,
	int save)
{
	return build_with(path, gen, &text, &oid, 1, save);
}

/* The tree alone by blob id (no text): what a split gives, counted and kept as used. */
static void front_matter_alone_by_blob_id(void)
{
	char dir[] = "/tmp/avoin-test-fm-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *path = xasprintf("%s/frontmatter", dir);
	const char *oids[] = { "1111111111111111111111111111111111111111",
		"2222222222222222222222222222222222222222" };
	const char *texts[] = { "---\ntitle: Otsikko\nlist: [1, kaksi]\n---\nTeksti\n",
		"---\ntitle: [\n---\nx\n" };
	CHECK(build_with(path, "gen 1", texts, oids, 2, 1) == 0);
	fm_cache *c = fm_cache_open(path, "gen 1");
	value *m = NULL;
	CHECK(fm_cache_meta(c, oids[0], &m) == 0 && m);
	diag_list d = DIAG_LIST_INIT;
	value *want = NULL;
	const char *body;
	size_t body_len;
	int body_line;
	CHECK(frontmatter_split(texts[0], strlen(texts[0]), "x.md", &want, &body, &body_len,
		&body_line, &d) == 0);
	buf x = BUF_INIT, y = BUF_INIT;
	value_put_json(&x, m);
	value_put_json(&y, want);
	CHECK_STR(x.ptr, y.ptr);
	const value *t = value_map_get(m, "title");
	CHECK(t && t->line == 2 && value_at(value_map_get(m, "list"), 1)->line == 3);
	CHECK(fm_cache_hits(c) == 1);
	value_free(m);
	/* a parse that failed was not kept; nor is anything under an unknown or odd id */
	CHECK(fm_cache_meta(c, oids[1], &m) == -1 && !m);
	CHECK(fm_cache_meta(c, "3333333333333333333333333333333333333333", &m) == -1 && !m);
	CHECK(fm_cache_meta(c, "zz", &m) == -1 && fm_cache_meta(NULL, oids[0], &m) == -1);
	CHECK(fm_cache_hits(c) == 1);
	/* the entry counts as used: the file holds nothing else, so it is not written again */
	struct stat st1, st2;
	CHECK(stat(path, &st1) == 0);
	CHECK(fm_cache_save(c) == 0);
	CHECK(stat(path, &st2) == 0 && st1.st_ino == st2.st_ino);
	fm_cache_free(c);
	value_free(want);
	buf_release(&x);
	buf_release(&y);
	diag_release(&d);
	unlink(path);
	rmdir(dir);
	free(path);
}

static void cache_gives_what_parsing_gives(void)
{
	char dir[] = "/tmp/avoin-test-fm-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *path = xasprintf("%s/sub/frontmatter", dir);
	const char *oid_a = "1111111111111111111111111111111111111111";
	const char *oid_b = "2222222222222222222222222222222222222222";
	const char *oid_w = "3333333333333333333333333333333333333333";
	const char *a = "\xEF\xBB\xBF---\r\ntitle: Otsikko\r\nlist:\r\n  - 1\r\n  - kaksi\r\n"
		"---\r\nTeksti\r\n";
	const char *b = "---\ntype: page\n...\nBody";
	/* a text that does not parse is never kept: its error is reported every time */
	const char *bad = "---\ntitle: [\n---\nx\n";
	int l1, l2;
	size_t o1, o2, n1, n2;

	/* first build: nothing cached, everything parsed; the file is written */
	fm_cache *c = fm_cache_open(path, "gen 1");
	char *pa = split_via(c, oid_a, a, &l1, &o1, &n1);
	char *pb = split_via(c, oid_b, b, &l2, &o2, &n2);
	char *pbad = split_via(c, oid_w, bad, &l2, &o2, &n2);
	CHECK_STR(pbad, "error");
	CHECK(n2 == 1);
	CHECK(fm_cache_hits(c) == 0);
	CHECK(fm_cache_save(c) == 0);
	fm_cache_free(c);

	/* second build: the same trees, lines and bodies from the cache; the failed one again */
	c = fm_cache_open(path, "gen 1");
	int m1, m2;
	size_t p1, p2, k;
	char *qa = split_via(c, oid_a, a, &m1, &p1, &k);
	CHECK_STR(qa, pa);
	CHECK(m1 == l1 && p1 == o1 && k == 0);
	CHECK(strstr(qa, " lines 2 2 5") != NULL);
	char *qb = split_via(c, oid_b, b, &m2, &p2, &k);
	CHECK_STR(qb, pb);
	char *qbad = split_via(c, oid_w, bad, &m2, &p2, &k);
	CHECK_STR(qbad, "error");
	CHECK(k == 1);
	CHECK(fm_cache_hits(c) == 2);
	/* no id, or not a blob id: parsed, not cached */
	free(split_via(c, NULL, b, &m2, &p2, &k));
	free(split_via(c, "zz", b, &m2, &p2, &k));
	CHECK(fm_cache_hits(c) == 2);
	struct stat st1, st2;
	CHECK(stat(path, &st1) == 0);
	CHECK(fm_cache_save(c) == 0);  /* nothing new, nothing unused: not written */
	CHECK(stat(path, &st2) == 0 && st1.st_mtim.tv_nsec == st2.st_mtim.tv_nsec &&
		st1.st_ino == st2.st_ino);
	fm_cache_free(c);

	/* only a used entry is kept: b's goes when only a is read */
	CHECK(build_once(path, "gen 1", oid_a, a, 1) == 1);
	CHECK(build_once(path, "gen 1", oid_b, b, 0) == 0);

	/* another generator's file is not read; nor a damaged one, which the next save replaces */
	CHECK(build_once(path, "gen 2", oid_a, a, 0) == 0);
	char *text = NULL;
	size_t len = 0;
	CHECK(read_file(path, &text, &len) == 0);
	for (size_t cut = 0; cut < len; cut += 5) {
		FILE *f = fopen(path, "wb");
		CHECK(f && fwrite(text, 1, cut, f) == cut);
		fclose(f);
		c = fm_cache_open(path, "gen 1");
		char *r = split_via(c, oid_a, a, &m1, &p1, &k);
		CHECK_STR(r, pa);
		/* a cut entry is never used; the whole file is, cut or not, never read past */
		CHECK(fm_cache_hits(c) == 0);
		free(r);
		CHECK(fm_cache_save(c) == 0);
		fm_cache_free(c);
	}
	/* the rewrite is whole again */
	CHECK(build_once(path, "gen 1", oid_a, a, 0) == 1);
	/* an entry whose body would lie past the text is not used */
	c = fm_cache_open(path, "gen 1");
	char *shortened = split_via(c, oid_a, "---\n---\n", &m1, &p1, &k);
	CHECK_STR(shortened, "{} lines 2 -1 -1");
	CHECK(fm_cache_hits(c) == 0);
	free(shortened);
	fm_cache_free(c);

	free(text);
	free(pa);
	free(pb);
	free(pbad);
	free(qa);
	free(qb);
	free(qbad);
	char *rm = xasprintf("rm -rf '%s'", dir);
	CHECK(system(rm) == 0);
	free(rm);
	free(path);
}

/* One saving build of n texts whose buffers are written in place. */
static size_t load_many(const char *path, char texts[][64], char oids[][41], size_t n)
{
	const char *t[64], *o[64];
	for (size_t i = 0; i < n && i < 64; i++) {
		t[i] = texts[i];
		o[i] = oids[i];
	}
	return build_with(path, "gen 1", t, o, n < 64 ? n : 64, 1);
}

/* A commit's worth of changes does not rewrite the file; a sixteenth of them does. */
static void cache_is_rewritten_only_when_much_changed(void)
{
	char dir[] = "/tmp/avoin-test-fm-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *path = xasprintf("%s/frontmatter", dir);
	enum { N = 40 };
	static char texts[N][64], oids[N][41];
	for (size_t i = 0; i < N; i++) {
		snprintf(texts[i], sizeof texts[i], "---\ntitle: Sivu %zu\n---\nTeksti.\n", i);
		snprintf(oids[i], sizeof oids[i], "%040zx", i + 1);
	}
	CHECK(load_many(path, texts, oids, N) == 0);
	CHECK(load_many(path, texts, oids, N) == N);
	struct stat st1, st2;
	CHECK(stat(path, &st1) == 0);
	/* one record edited: parsed, not written; the next build parses it again */
	snprintf(texts[3], sizeof texts[3], "---\ntitle: Muutettu\n---\nTeksti.\n");
	snprintf(oids[3], sizeof oids[3], "%040x", 1000);
	CHECK(load_many(path, texts, oids, N) == N - 1);
	CHECK(stat(path, &st2) == 0 && st2.st_ino == st1.st_ino);
	CHECK(load_many(path, texts, oids, N) == N - 1);
	/* three more: four of forty is more than a sixteenth, so the file is written again */
	for (size_t i = 10; i < 13; i++)
		snprintf(oids[i], sizeof oids[i], "%040zx", 2000 + i);
	CHECK(load_many(path, texts, oids, N) == N - 4);
	CHECK(stat(path, &st2) == 0 && st2.st_ino != st1.st_ino);
	CHECK(load_many(path, texts, oids, N) == N);
	char *rm = xasprintf("rm -rf '%s'", dir);
	CHECK(system(rm) == 0);
	free(rm);
	free(path);
}

static void parses_utf8_text(void)
{
	diag_list d = DIAG_LIST_INIT;
	value *v = parse("name: Rääkkylä\nsector: järjestö\n", &d);
	CHECK(v && d.n == 0);
	CHECK_STR(value_map_str(v, "name"), "Rääkkylä");
	CHECK_STR(value_map_str(v, "sector"), "järjestö");
	value_free(v);
	diag_release(&d);
}

int main(void)
{
	RUN(scalars_follow_the_core_schema);
	RUN(keys_stay_text);
	RUN(values_carry_their_lines);
	RUN(first_line_offsets_lines);
	RUN(empty_documents_are_empty_maps);
	RUN(duplicate_keys_are_errors);
	RUN(non_scalar_keys_are_errors);
	RUN(anchors_and_aliases_are_refused);
	RUN(deep_nesting_is_refused);
	RUN(syntax_errors_name_problem_context_and_line);
	RUN(split_errors);
	RUN(split_accepts_bom_crlf_and_dots);
	RUN(body_without_parsing);
	RUN(cache_gives_what_parsing_gives);
	RUN(front_matter_alone_by_blob_id);
	RUN(cache_is_rewritten_only_when_much_changed);
	RUN(parses_utf8_text);
	return test_summary();
}
