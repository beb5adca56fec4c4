/*
 * Tests of the Mustache engine: the official spec (../shared/mustache-spec,
 * one recorded case per spec test) and our own cases for escaping, errors,
 * caps, overrides and determinism. Also tests json.h, the reader the spec
 * runner uses.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>

#include "buf.h"
#include "diag.h"
#include "json.h"
#include "mustache.h"
#include "test.h"
#include "util.h"
#include "value.h"

/* ---- helpers ---- */

/* Renders src (as template "t") with the JSON context; NULL and the diagnostics in err on error. */
static char *render_json(const char *src, const char *ctx_json, buf *err)
{
	tmpl_set *ts = tmpl_set_new();
	diag_list d = DIAG_LIST_INIT;
	buf jerr = BUF_INIT, out = BUF_INIT;
	value *ctx = json_parse(ctx_json, strlen(ctx_json), &jerr);
	char *res = NULL;
	if (!ctx) {
		buf_printf(err, "bad test JSON: %s", jerr.ptr);
	} else if (tmpl_set_add(ts, "t", src, strlen(src), "t.mustache", &d) == 0 &&
		tmpl_render(ts, "t", ctx, &out, &d) == 0) {
		res = buf_detach(&out, NULL);
	}
	for (size_t i = 0; i < d.n; i++) {
		diag_format(err, &d.items[i]);
		buf_putc(err, '\n');
	}
	value_free(ctx);
	diag_release(&d);
	buf_release(&jerr);
	buf_release(&out);
	tmpl_set_free(ts);
	return res;
}

/* Compiles src and expects failure; returns the first diagnostic formatted (malloc'd). */
static char *compile_error(const char *src)
{
	tmpl_set *ts = tmpl_set_new();
	diag_list d = DIAG_LIST_INIT;
	buf msg = BUF_INIT;
	int r = tmpl_set_add(ts, "t", src, strlen(src), "themes/x/t.mustache", &d);
	if (r == -1 && d.n == 1 && d.errors == 1)
		diag_format(&msg, &d.items[0]);
	else
		buf_printf(&msg, "(no single error: returned %d with %zu diagnostics)", r, d.n);
	CHECK(!tmpl_set_has(ts, "t"));
	diag_release(&d);
	tmpl_set_free(ts);
	return buf_detach(&msg, NULL);
}

static int add(tmpl_set *ts, const char *name, const char *src, const char *file, diag_list *d)
{
	return tmpl_set_add(ts, name, src, strlen(src), file, d);
}

/* Shows a string with its control characters visible, for failure messages. */
static void put_visible(buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			buf_puts(b, "\\n\n        ");
		else if (*s == '\r')
			buf_puts(b, "\\r");
		else if (*s == '\t')
			buf_puts(b, "\\t");
		else
			buf_putc(b, *s);
	}
}

/* ---- the spec ---- */

static const char *spec_files[] = {
	"comments.json", "delimiters.json", "interpolation.json", "inverted.json",
	"partials.json", "sections.json", "~dynamic-names.json", "~inheritance.json",
	"~lambdas.json",
};

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs one spec test; returns 1 when the output matches byte for byte. */
static int spec_case(const char *file, const value *t)
{
	const char *name = value_map_str(t, "name");
	const value *tpl = value_map_get(t, "template");
	const value *want = value_map_get(t, "expected");
	const value *partials = value_map_get(t, "partials");
	tmpl_set *ts = tmpl_set_new();
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT, msg = BUF_INIT;
	int ok = 0;

	if (!name || !tpl || tpl->kind != VAL_STRING || !want || want->kind != VAL_STRING) {
		printf("  spec/%s: malformed test\n", file);
		goto done;
	}
	for (size_t i = 0; partials && i < value_len(partials); i++) {
		const value *p = partials->u.map.vals[i];
		if (p->kind == VAL_STRING)
			tmpl_set_add(ts, partials->u.map.keys[i], p->u.str.ptr, p->u.str.len,
				partials->u.map.keys[i], &d);
	}
	if (tmpl_set_add(ts, "(spec template)", tpl->u.str.ptr, tpl->u.str.len, "template",
			&d) == 0 &&
		tmpl_render(ts, "(spec template)", value_map_get(t, "data"), &out, &d) == 0)
		ok = out.len == want->u.str.len && memcmp(out.ptr, want->u.str.ptr, out.len) == 0;
	if (!ok) {
		buf_printf(&msg, "  spec/%s/%s:\n    template: ", file, name);
		put_visible(&msg, tpl->u.str.ptr);
		buf_puts(&msg, "\n    want:     ");
		put_visible(&msg, want->u.str.ptr);
		buf_puts(&msg, "\n    got:      ");
		put_visible(&msg, out.ptr);
		for (size_t i = 0; i < d.n; i++) {
			buf_puts(&msg, "\n    diag:     ");
			diag_format(&msg, &d.items[i]);
		}
		printf("%s\n", msg.ptr);
	}
done:
	buf_release(&out);
	buf_release(&msg);
	diag_release(&d);
	tmpl_set_free(ts);
	return ok;
}

static void spec_file(const char *dir, const char *file)
{
	char *path = xasprintf("%s/%s", dir, file);
	char *text;
	size_t len;
	buf err = BUF_INIT;
	int lambdas = strcmp(file, "~lambdas.json") == 0;
	int passed = 0, failed = 0, skipped = 0;

	if (read_file(path, &text, &len) != 0) {
		printf("  spec/%s: cannot read %s\n", file, path);
		test_record(path, 0, 0);
		free(path);
		return;
	}
	value *spec = json_parse(text, len, &err);
	value *tests = value_map_get(spec, "tests");
	if (!spec || !tests || tests->kind != VAL_LIST) {
		printf("  spec/%s: not a spec file: %s\n", file,
			err.len ? err.ptr : "no 'tests' list");
		test_record(path, 0, 0);
	}
	for (size_t i = 0; tests && i < value_len(tests); i++) {
		const value *t = value_at(tests, i);
		const char *name = value_map_str(t, "name");
		char *rec = xasprintf("spec/%s/%s", file, name ? name : "?");
		if (lambdas) {
			/* the lambdas are given as Ruby, JavaScript and Python code only */
			printf("skip %s: lambdas are code in Ruby, JavaScript or Python, which a C "
				"engine cannot run\n", rec);
			test_record(rec, 0, 1);
			skipped++;
		} else {
			int ok = spec_case(file, t);
			test_record(rec, ok, 0);
			ok ? passed++ : failed++;
		}
		free(rec);
	}
	printf("spec %s: %d passed, %d failed, %d skipped\n", file, passed, failed, skipped);
	value_free(spec);
	buf_release(&err);
	free(text);
	free(path);
}

static void run_spec(void)
{
	const char *top = getenv("AVOIN_TOP");
	char *dir = xasprintf("%s/../shared/mustache-spec", top ? top : ".");
	DIR *dh = opendir(dir);
	if (!dh) {
		for (size_t i = 0; i < sizeof(spec_files) / sizeof(spec_files[0]); i++) {
			char *rec = xasprintf("spec/%s", spec_files[i]);
			printf("skip %s: no spec folder %s\n", rec, dir);
			test_record(rec, 0, 1);
			free(rec);
		}
		free(dir);
		return;
	}
	/* every *.json file, in a fixed order */
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(dh))) {
		if (e->d_name[0] != '.' && str_has_suffix(e->d_name, ".json")) {
			names = xgrow(names, sizeof(char *), n + 1, &cap);
			names[n++] = xstrdup(e->d_name);
		}
	}
	closedir(dh);
	if (n)
		qsort(names, n, sizeof(char *), str_cmp);
	for (size_t i = 0; i < n; i++) {
		spec_file(dir, names[i]);
		free(names[i]);
	}
	free(names);
	free(dir);
}

/* ---- our own cases ---- */

#define CHECK_RENDER(src, json, want) do { \
	buf e_ = BUF_INIT; \
	char *got_ = render_json((src), (json), &e_); \
	CHECK_STR(got_, (want)); \
	if (!got_) \
		printf("  %s", e_.ptr); \
	free(got_); \
	buf_release(&e_); \
} while (0)

static void escapes_values(void)
{
	const char *ctx = "{\"x\": \"<script>alert('x' & \\\"y\\\")</script>\"}";
	CHECK_RENDER("<p>{{x}}</p>", ctx,
		"<p>&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;</p>");
	CHECK_RENDER("{{#x}}{{.}}{{/x}}", ctx,
		"&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;");
	/* the dotted path and partials escape too */
	CHECK_RENDER("{{a.b}}", "{\"a\": {\"b\": \"<b>\"}}", "&lt;b&gt;");
}

static void raw_with_triple_and_ampersand(void)
{
	const char *ctx = "{\"html\": \"<em>a & b</em>\"}";
	CHECK_RENDER("{{{html}}}|{{& html}}|{{html}}", ctx,
		"<em>a & b</em>|<em>a & b</em>|&lt;em&gt;a &amp; b&lt;/em&gt;");
	CHECK_RENDER("{{=<% %>=}}<%{html}%><%&html%>", ctx, "<em>a & b</em><em>a & b</em>");
}

static void scalars_print_as_text(void)
{
	CHECK_RENDER("{{n}} {{i}} {{t}} {{f}} [{{z}}] [{{l}}] [{{m}}]",
		"{\"n\": 1.210, \"i\": -3, \"t\": true, \"f\": false, \"z\": null, \"l\": [1], "
		"\"m\": {\"a\": 1}}", "1.21 -3 true false [] [] []");
	/* falsy: null, false, "", []; truthy: 0, "0", {} */
	CHECK_RENDER("{{#a}}A{{/a}}{{#b}}B{{/b}}{{#c}}C{{/c}}{{#d}}D{{/d}}"
		"{{#e}}E{{/e}}{{#f}}F{{/f}}{{#g}}G{{/g}}",
		"{\"a\": null, \"b\": false, \"c\": \"\", \"d\": [], \"e\": 0, \"f\": \"0\", "
		"\"g\": {}}",
		"EFG");
	CHECK_RENDER("{{#n}}({{.}}){{/n}}", "{\"n\": 0.5}", "(0.5)");
}

static void sections_and_context(void)
{
	CHECK_RENDER("{{#items}}{{name}}:{{site}};{{/items}}",
		"{\"site\": \"S\", \"items\": [{\"name\": \"a\"}, "
		"{\"name\": \"b\", \"site\": \"T\"}]}",
		"a:S;b:T;");
	CHECK_RENDER("{{^items}}none{{/items}}", "{\"items\": []}", "none");
	CHECK_RENDER("{{#a}}\n  {{#b}}\n  x\n  {{/b}}\n{{/a}}\n", "{\"a\": 1, \"b\": true}",
		"  x\n");
	/* a NULL context renders like an empty one */
	tmpl_set *ts = tmpl_set_new();
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	const char *src = "[{{x}}{{.}}{{#x}}y{{/x}}{{^x}}n{{/x}}]";
	CHECK(tmpl_set_add(ts, "t", src, strlen(src), NULL, &d) == 0);
	CHECK(tmpl_render(ts, "t", NULL, &out, &d) == 0);
	CHECK_STR(out.ptr, "[n]");
	buf_release(&out);
	diag_release(&d);
	tmpl_set_free(ts);
}

static void partial_indentation_nests(void)
{
	tmpl_set *ts = tmpl_set_new();
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	const char *page = "<ul>\n  {{>list}}\n</ul>\n";
	const char *list = "{{#items}}\n<li>\n  {{>item}}\n</li>\n{{/items}}\n";
	const char *item = "{{name}}\n{{{raw}}}\n";
	CHECK(tmpl_set_add(ts, "page", page, strlen(page), "page.mustache", &d) == 0);
	CHECK(tmpl_set_add(ts, "list", list, strlen(list), "list.mustache", &d) == 0);
	CHECK(tmpl_set_add(ts, "item", item, strlen(item), "item.mustache", &d) == 0);
	buf err = BUF_INIT;
	const char *js = "{\"items\": [{\"name\": \"a\", \"raw\": \"x\\ny\"}, {\"name\": \"b\"}]}";
	value *ctx = json_parse(js, strlen(js), &err);
	CHECK(ctx != NULL);
	CHECK(tmpl_render(ts, "page", ctx, &out, &d) == 0);
	/* template lines are indented, lines inside values are not, empty lines stay empty */
	CHECK_STR(out.ptr, "<ul>\n  <li>\n    a\n    x\ny\n  </li>\n"
		"  <li>\n    b\n    \n  </li>\n</ul>\n");
	CHECK(d.n == 0);
	/* an inline partial is not indented, even inside an indented one */
	CHECK(add(ts, "outer", "<div>\n  {{>a}}\n</div>\n", "outer", &d) == 0);
	CHECK(add(ts, "a", "x{{>b}}\n  {{>b}}\n", "a", &d) == 0);
	CHECK(add(ts, "b", "1\n2\n", "b", &d) == 0);
	buf_reset(&out);
	CHECK(tmpl_render(ts, "outer", ctx, &out, &d) == 0);
	CHECK_STR(out.ptr, "<div>\n  x1\n2\n\n    1\n    2\n</div>\n");
	value_free(ctx);
	buf_release(&err);
	buf_release(&out);
	diag_release(&d);
	tmpl_set_free(ts);
}

static void inheritance_layout(void)
{
	tmpl_set *ts = tmpl_set_new();
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	const char *base = "<html>\n<title>{{$title}}Avoin{{/title}}</title>\n<body>\n"
		"  {{$body}}\n  <p>empty</p>\n  {{/body}}\n</body>\n";
	const char *page = "{{<base}}\n{{$title}}{{name}} - Avoin{{/title}}\n{{$body}}\n"
		"<h1>{{name}}</h1>\n{{/body}}\n{{/base}}\n";
	CHECK(tmpl_set_add(ts, "base", base, strlen(base), "base.mustache", &d) == 0);
	CHECK(tmpl_set_add(ts, "page", page, strlen(page), "page.mustache", &d) == 0);
	value *ctx = value_map(0);
	value_map_set_str(ctx, "name", "Joensuu & Outokumpu");
	CHECK(tmpl_render(ts, "page", ctx, &out, &d) == 0);
	CHECK_STR(out.ptr, "<html>\n<title>Joensuu &amp; Outokumpu - Avoin</title>\n<body>\n"
		"  <h1>Joensuu &amp; Outokumpu</h1>\n</body>\n");
	buf_reset(&out);
	CHECK(tmpl_render(ts, "base", ctx, &out, &d) == 0);
	CHECK_STR(out.ptr, "<html>\n<title>Avoin</title>\n<body>\n  <p>empty</p>\n</body>\n");
	value_free(ctx);
	buf_release(&out);
	diag_release(&d);
	tmpl_set_free(ts);
}

static void dynamic_partials(void)
{
	tmpl_set *ts = tmpl_set_new();
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT, err = BUF_INIT;
	const char *page = "{{#blocks}}{{>*kind}}{{/blocks}}";
	CHECK(tmpl_set_add(ts, "page", page, strlen(page), "page.mustache", &d) == 0);
	CHECK(add(ts, "text", "<p>{{body}}</p>", "text.mustache", &d) == 0);
	CHECK(add(ts, "7", "seven", "7.mustache", &d) == 0);
	const char *js = "{\"blocks\": [{\"kind\": \"text\", \"body\": \"x\"}, "
		"{\"kind\": \"nope\"}, "
		"{\"kind\": 7}, {\"kind\": null}, {}]}";
	value *ctx = json_parse(js, strlen(js), &err);
	CHECK(tmpl_render(ts, "page", ctx, &out, &d) == 0);
	CHECK_STR(out.ptr, "<p>x</p>seven");
	value_free(ctx);
	buf_release(&out);
	buf_release(&err);
	diag_release(&d);
	tmpl_set_free(ts);
}

static void errors_name_the_line(void)
{
	char *m;
	m = compile_error("a\nb\n{{#a}}\nx\n");
	CHECK_STR(m, "themes/x/t.mustache:3: unclosed section 'a' (expected '{{/a}}' before "
		"the end)");
	free(m);
	m = compile_error("{{#a}}\n{{#b}}\n{{/a}}\n");
	CHECK_STR(m, "themes/x/t.mustache:3: closing tag '{{/a}}' does not match section 'b' "
		"opened on line 2 (expected '{{/b}}')");
	free(m);
	m = compile_error("{{#a}}\n{{/b}}\n");
	CHECK_CONTAINS(m, "t.mustache:2: closing tag '{{/b}}' does not match section 'a'");
	free(m);
	m = compile_error("x\n\n{{/b}}");
	CHECK_STR(m, "themes/x/t.mustache:3: closing tag '{{/b}}' without an open section");
	free(m);
	m = compile_error("ok {{x}}\n{{! a\ncomment }}\nthen {{y\n\n");
	CHECK_STR(m, "themes/x/t.mustache:4: unclosed tag '{{' (expected '}}')");
	free(m);
	m = compile_error("{{{x}}");
	CHECK_STR(m, "themes/x/t.mustache:1: unclosed tag '{{{' (expected '}}}')");
	free(m);
	m = compile_error("\n{{=<% %>=}}\n<%#a%>\n<%/b%>");
	CHECK_STR(m, "themes/x/t.mustache:4: closing tag '<%/b%>' does not match section 'a' "
		"opened on line 3 (expected '<%/a%>')");
	free(m);
	m = compile_error("{{<base}}\n{{$title}}x\n{{/base}}\n");
	CHECK_CONTAINS(m, "t.mustache:3: closing tag '{{/base}}' does not match block 'title'");
	free(m);
	m = compile_error("{{<*layout}}");
	CHECK_STR(m, "themes/x/t.mustache:1: unclosed parent 'layout' (expected '{{/*layout}}' "
		"before the end)");
	free(m);
	m = compile_error("\n{{# }}");
	CHECK_STR(m, "themes/x/t.mustache:2: tag '{{# }}' has no name (expected a name or '.')");
	free(m);
	const char *bad_delims[] = {
		"{{=<%=}}", "{{=<% %> x=}}", "{{= =}}", "{{=a= b=}}", "{{=<% %>}}",
	};
	for (size_t i = 0; i < sizeof(bad_delims) / sizeof(bad_delims[0]); i++) {
		m = compile_error(bad_delims[i]);
		CHECK(str_has_prefix(m, "themes/x/t.mustache:1: ") &&
			(strstr(m, "bad delimiters") || strstr(m, "unclosed tag")));
		free(m);
	}
	m = compile_error("x\n{{=<% %>=}}\n\n<%=[ ] ]=%>\n");
	CHECK_CONTAINS(m, "t.mustache:4: bad delimiters in '<%=[ ] ]=%>'");
	free(m);
}

static void section_nesting_is_capped(void)
{
	buf src = BUF_INIT;
	for (int i = 0; i < 100; i++)
		buf_puts(&src, "{{#a}}\n");
	buf_puts(&src, "{{.}}");
	for (int i = 0; i < 100; i++)
		buf_puts(&src, "{{/a}}");
	CHECK_RENDER(src.ptr, "{\"a\": 5}", "5");
	buf_reset(&src);
	for (int i = 0; i < 101; i++)
		buf_puts(&src, "{{#a}}\n");
	char *m = compile_error(src.ptr);
	CHECK_STR(m, "themes/x/t.mustache:101: section 'a' nested too deeply (expected at most "
		"100 levels)");
	free(m);
	buf_release(&src);
}

/* A failed render adds one error, returns -1 and leaves out as it was. */
static void render_fails(tmpl_set *ts, const char *name, const char *want)
{
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	value *ctx = value_map(0);
	value *l = value_list(0);
	value_list_push(l, value_number(1, 0));
	value_list_push(l, value_number(2, 0));
	value_map_set(ctx, "two", l);
	buf_puts(&out, "before");
	CHECK(tmpl_render(ts, name, ctx, &out, &d) == -1);
	CHECK_STR(out.ptr, "before");
	CHECK(d.errors == 1);
	if (d.n) {
		buf m = BUF_INIT;
		diag_format(&m, &d.items[0]);
		CHECK_CONTAINS(m.ptr, want);
		buf_release(&m);
	}
	value_free(ctx);
	buf_release(&out);
	diag_release(&d);
}

static void recursion_is_capped(void)
{
	tmpl_set *ts = tmpl_set_new();
	diag_list d = DIAG_LIST_INIT;
	CHECK(add(ts, "self", "x\n{{>self}}", "self.mustache", &d) == 0);
	CHECK(add(ts, "ping", "{{>pong}}", "ping.mustache", &d) == 0);
	CHECK(add(ts, "pong", "\n{{#two}}{{>ping}}{{/two}}", "pong.mustache", &d) == 0);
	CHECK(add(ts, "parent", "{{<parent}}{{/parent}}", "parent.mustache", &d) == 0);
	CHECK(add(ts, "dyn", "{{>*me}}", "dyn.mustache", &d) == 0);
	CHECK(add(ts, "base", "{{$b}}x{{/b}}", "base.mustache", &d) == 0);
	CHECK(add(ts, "block", "{{<base}}{{$b}}{{$b}}{{/b}}{{/b}}{{/base}}", "block.mustache",
		&d) == 0);
	/* 2^40 calls, never deeper than 40 partials: the step budget stops it */
	for (int i = 0; i < 40; i++) {
		char *name = xasprintf("fan%d", i);
		char *src = xasprintf("{{>fan%d}}{{>fan%d}}", i + 1, i + 1);
		CHECK(add(ts, name, src, name, &d) == 0);
		free(name);
		free(src);
	}
	CHECK(d.n == 0);
	render_fails(ts, "self", "self.mustache:2: partial 'self' nested more than 64 levels deep "
		"while rendering 'self' (expected a recursion that ends)");
	render_fails(ts, "ping", "partial 'pong' nested more than 64 levels deep");
	render_fails(ts, "parent", "parent.mustache:1: parent 'parent' nested more than 64");
	/* a block that fills itself: not a partial, caught by the depth cap */
	render_fails(ts, "block", "block.mustache:1: 'b' nested more than 1000 levels deep");
	render_fails(ts, "fan0", "rendering 'fan0' takes more than 16000000 steps");

	value *ctx = value_map(0);
	value_map_set_str(ctx, "me", "dyn");
	buf out = BUF_INIT;
	CHECK(tmpl_render(ts, "dyn", ctx, &out, &d) == -1);
	CHECK(diag_contains(&d, "dyn.mustache:1: partial 'dyn' nested more than 64 levels deep"));
	value_free(ctx);
	buf_release(&out);
	diag_release(&d);
	tmpl_set_free(ts);
}

static void output_is_capped(void)
{
	tmpl_set *ts = tmpl_set_new();
	diag_list d = DIAG_LIST_INIT;
	buf src = BUF_INIT;
	/* 10 levels of 8 copies of 4 KiB: 4 GiB if nothing stopped it */
	for (int i = 0; i < 10; i++) {
		char *name = xasprintf("l%d", i);
		buf_reset(&src);
		for (int j = 0; j < 8; j++)
			buf_printf(&src, "{{>l%d}}", i + 1);
		CHECK(tmpl_set_add(ts, name, src.ptr, src.len, name, &d) == 0);
		free(name);
	}
	buf_reset(&src);
	for (int j = 0; j < 4096; j++)
		buf_putc(&src, 'x');
	CHECK(tmpl_set_add(ts, "l10", src.ptr, src.len, "l10", &d) == 0);
	render_fails(ts, "l0", "rendering 'l0' writes more than 64 MiB");
	buf_release(&src);
	diag_release(&d);
	tmpl_set_free(ts);
}

static void missing_templates(void)
{
	tmpl_set *ts = tmpl_set_new();
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	CHECK(add(ts, "t", "[{{>nope}}{{<nope}}{{$a}}A{{/a}}{{/nope}}]", "t", &d) == 0);
	CHECK(!tmpl_set_has(ts, "nope"));
	CHECK(tmpl_render(ts, "t", NULL, &out, &d) == 0);
	CHECK_STR(out.ptr, "[]");
	CHECK(tmpl_render(ts, "page", NULL, &out, &d) == -1);
	CHECK(diag_contains(&d, "no template named 'page'"));
	CHECK_STR(out.ptr, "[]");
	buf_release(&out);
	diag_release(&d);
	tmpl_set_free(ts);
}

static void later_add_overrides(void)
{
	tmpl_set *ts = tmpl_set_new();
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	CHECK(add(ts, "page", "theme {{>footer}}", "themes/t/page.mustache", &d) == 0);
	CHECK(add(ts, "footer", "theme footer", "themes/t/footer.mustache", &d) == 0);
	CHECK(add(ts, "footer", "our footer", "templates/footer.mustache", &d) == 0);
	CHECK(tmpl_render(ts, "page", NULL, &out, &d) == 0);
	CHECK_STR(out.ptr, "theme our footer");
	/* a broken replacement is refused and the working template stays */
	CHECK(add(ts, "footer", "{{#x}}", "templates/footer.mustache", &d) == -1);
	CHECK(diag_contains(&d, "templates/footer.mustache:1: unclosed section 'x'"));
	CHECK(tmpl_set_has(ts, "footer"));
	buf_reset(&out);
	CHECK(tmpl_render(ts, "page", NULL, &out, &d) == 0);
	CHECK_STR(out.ptr, "theme our footer");
	/* names sort, lookups stay right */
	const char *names[] = { "m", "a", "z", "b", "y" };
	for (size_t i = 0; i < 5; i++)
		CHECK(tmpl_set_add(ts, names[i], names[i], 1, NULL, &d) == 0);
	for (size_t i = 0; i < 5; i++) {
		buf_reset(&out);
		CHECK(tmpl_render(ts, names[i], NULL, &out, &d) == 0);
		CHECK_STR(out.ptr, names[i]);
	}
	CHECK(d.errors == 1);
	buf_release(&out);
	diag_release(&d);
	tmpl_set_free(ts);
}

static void empty_and_odd_input(void)
{
	tmpl_set *ts = tmpl_set_new();
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	CHECK(tmpl_set_add(ts, "empty", NULL, 0, NULL, &d) == 0);
	CHECK(tmpl_render(ts, "empty", NULL, &out, &d) == 0);
	CHECK(out.len == 0);
	/* NUL bytes in the source are text like any other */
	CHECK(tmpl_set_add(ts, "nul", "a\0b{{x}}\0", 9, NULL, &d) == 0);
	CHECK(tmpl_render(ts, "nul", NULL, &out, &d) == 0);
	CHECK(out.len == 4 && memcmp(out.ptr, "a\0b\0", 4) == 0);
	CHECK(d.n == 0);
	buf_release(&out);
	diag_release(&d);
	tmpl_set_free(ts);
	CHECK_RENDER("{ {{x}} }{{!}}", "{\"x\": 1}", "{ 1 }");
}

typedef struct job {
	const tmpl_set *ts;
	const value *ctx;
	char *out;
} job;

static void *render_job(void *arg)
{
	job *j = arg;
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	for (int i = 0; i < 50; i++) {
		buf_reset(&out);
		if (tmpl_render(j->ts, "page", j->ctx, &out, &d) != 0)
			break;
	}
	j->out = buf_detach(&out, NULL);
	diag_release(&d);
	return NULL;
}

static void renders_are_deterministic_and_shareable(void)
{
	tmpl_set *ts = tmpl_set_new();
	diag_list d = DIAG_LIST_INIT;
	buf err = BUF_INIT;
	const char *page = "{{<base}}{{$body}}\n{{#rows}}\n  {{>row}}\n{{/rows}}\n"
		"{{/body}}{{/base}}";
	const char *base = "<main>\n  {{$body}}\n  {{/body}}\n</main>\n";
	const char *row = "<tr><td>{{name}}</td><td>{{n}}</td></tr>\n";
	CHECK(tmpl_set_add(ts, "page", page, strlen(page), "page", &d) == 0);
	CHECK(tmpl_set_add(ts, "base", base, strlen(base), "base", &d) == 0);
	CHECK(tmpl_set_add(ts, "row", row, strlen(row), "row", &d) == 0);
	const char *js = "{\"rows\": [{\"name\": \"Ilomantsi\", \"n\": 4.5}, "
		"{\"name\": \"Liperi\", "
		"\"n\": 12}, {\"name\": \"<Polvijärvi>\", \"n\": 0.25}]}";
	value *ctx = json_parse(js, strlen(js), &err);
	CHECK(ctx != NULL);
	job jobs[4];
	pthread_t th[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (job){ ts, ctx, NULL };
		CHECK(pthread_create(&th[i], NULL, render_job, &jobs[i]) == 0);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	CHECK_STR(jobs[0].out, "<main>\n    <tr><td>Ilomantsi</td><td>4.5</td></tr>\n"
		"    <tr><td>Liperi</td><td>12</td></tr>\n"
		"    <tr><td>&lt;Polvijärvi&gt;</td><td>0.25</td></tr>\n</main>\n");
	for (int i = 1; i < 4; i++)
		CHECK_STR(jobs[i].out, jobs[0].out);
	for (int i = 0; i < 4; i++)
		free(jobs[i].out);
	value_free(ctx);
	buf_release(&err);
	diag_release(&d);
	tmpl_set_free(ts);
}

/* ---- json.h ---- */

static void json_reads_everything(void)
{
	buf err = BUF_INIT, out = BUF_INIT;
	const char *js = " {\"s\": \"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e4\\u20AC\\ud83d\\ude00\", "
		"\"n\": [0, -1.5e2, 3E-1, 12], \"t\": true, \"f\": false, \"z\": null, "
		"\"o\": {}, \"l\": [], \"u\": \"ä\", \"s\": \"again\"}\n";
	value *v = json_parse(js, strlen(js), &err);
	CHECK(v != NULL);
	CHECK(v && v->kind == VAL_MAP && value_len(v) == 8);
	value_put_json(&out, v);
	CHECK_STR(out.ptr, "{\"s\":\"again\",\"n\":[0,-150,0.3,12],\"t\":true,\"f\":false,"
		"\"z\":null,\"o\":{},\"l\":[],\"u\":\"ä\"}");
	value_free(v);
	const char *esc = "\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e4\\u20AC\\ud83d\\ude00\\u0000\"";
	v = json_parse(esc, strlen(esc), &err);
	CHECK(v && v->kind == VAL_STRING && v->u.str.len == 19);
	CHECK(v && memcmp(v->u.str.ptr,
		"a\"\\/\b\f\n\r\t\xc3\xa4\xe2\x82\xac\xf0\x9f\x98\x80\0", 19) == 0);
	value_free(v);

	const char *bad[] = {
		"", "{", "[1,]", "{\"a\":1,}", "{a:1}", "01", "1.", "-", ".5", "1e", "+1",
		"\"\\ud83d\"", "\"\\ude00\"", "\"\\ud83dx\"", "\"\\u12g4\"", "\"\\x\"", "\"a\nb\"",
		"\"\xff\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "tru", "nul", "[1] 2", "[1 2]",
		"{\"a\" 1}", "\"abc",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = json_parse(bad[i], strlen(bad[i]), &err);
		if (v || !str_has_prefix(err.ptr, "line "))
			printf("  json accepted or gave no message: '%s'\n", bad[i]);
		CHECK(v == NULL && str_has_prefix(err.ptr, "line "));
		value_free(v);
	}
	v = json_parse("[\n1,\n2 x]", 9, &err);
	CHECK(v == NULL);
	CHECK_STR(err.ptr, "line 3: expected ',' or ']' in array");
	/* deep nesting is refused, not a stack overflow */
	buf deep = BUF_INIT;
	for (int i = 0; i < 100000; i++)
		buf_putc(&deep, '[');
	v = json_parse(deep.ptr, deep.len, &err);
	CHECK(v == NULL);
	CHECK_CONTAINS(err.ptr, "nested too deeply");
	buf_release(&deep);
	buf_release(&err);
	buf_release(&out);
}

/* Templates from the content may not write script, whatever way they try. */
static void content_templates_are_checked(void)
{
	static const struct { const char *src, *want; } bad[] = {
		{ "<p>{{{record.title}}}</p>", "x.mustache:1: a template from the content writes a "
			"value unescaped" },
		{ "{{&title}}", "writes a value unescaped" },
		{ "<p>\n<script>alert(1)</script>", "x.mustache:2: a template from the content holds "
			"'<script'" },
		{ "<SCRIPT src=x></SCRIPT>", "holds '<script'" },
		{ "<scr{{! split }}ipt>alert(1)</script>", "holds '<script'" },
		{ "<a href=\"javascript:alert(1)\">x</a>", "holds 'javascript:'" },
		{ "<a href=\"JaVaScRiPt:x\">x</a>", "holds 'javascript:'" },
		{ "<img src=x onerror=\"alert(1)\">", "has an event-handler attribute" },
		{ "<body ONLOAD=x>", "has an event-handler attribute" },
		{ "<{{tag}}>x</{{tag}}>", "puts a value inside a tag, outside an attribute's quotes" },
		{ "<p {{attr}}=\"x\">", "puts a value inside a tag, outside an attribute's quotes" },
		{ "<p title={{t}}>", "puts a value inside a tag, outside an attribute's quotes" },
		{ "<p onclick=\"{{x}}\">", "has an event-handler attribute" },
		{ "<p style=\"{{x}}\">", "puts a value in an attribute that runs script or styles" },
		{ "<iframe srcdoc=\"x\">", "holds '<iframe'" },
		{ "<meta http-equiv=\"refresh\" content=\"0;url=x\">", "holds 'http-equiv'" },
		{ "{{#a}}<a href=\"java{{/a}}script:x\">", "holds 'javascript:'" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		tmpl_set *ts = tmpl_set_new();
		diag_list d = DIAG_LIST_INIT;
		CHECK(tmpl_set_add_untrusted(ts, "x", bad[i].src, strlen(bad[i].src),
			"content/templates/x.mustache", &d) == -1);
		CHECK(!tmpl_set_has(ts, "x"));
		if (!diag_contains(&d, bad[i].want)) {
			printf("  template %s: want '%s'\n", bad[i].src, bad[i].want);
			for (size_t k = 0; k < d.n; k++)
				printf("    got: %s\n", d.items[k].msg);
		}
		CHECK(diag_contains(&d, bad[i].want));
		diag_release(&d);
		tmpl_set_free(ts);
	}
	/* what a content template may do: escaped values in text and quoted attributes, the
	 * generator's HTML unescaped, sections, partials */
	static const char good[] = "<section class=\"{{kind}}\"><h1 title='{{title}}'>{{title}}</h1>"
		"{{#items}}<a href=\"{{root}}{{href}}\">{{name}}</a>{{/items}}{{{record.html}}}"
		"{{>record-footer}}<p>Onko 5 > 3? {{answer}}</p></section>";
	tmpl_set *ts = tmpl_set_new();
	diag_list d = DIAG_LIST_INIT;
	CHECK(tmpl_set_add_untrusted(ts, "x", good, strlen(good), "x.mustache", &d) == 0);
	CHECK(d.n == 0 && tmpl_set_has(ts, "x"));
	diag_release(&d);
	tmpl_set_free(ts);
}

/* A value written where a link starts passes the URL check, whoever wrote the template. */
static void link_values_are_checked(void)
{
	tmpl_set *ts = tmpl_set_new();
	diag_list d = DIAG_LIST_INIT;
	static const char src[] = "<a href=\"{{u}}\">x</a><img src='{{e}}{{u}}'>";
	CHECK(tmpl_set_add(ts, "t", src, strlen(src), "t.mustache", &d) == 0);
	value *ctx = value_map(0);
	value_map_set_str(ctx, "u", "https://x.fi/?a=1&b=2");
	value_map_set_str(ctx, "e", "");
	buf out = BUF_INIT;
	CHECK(tmpl_render(ts, "t", ctx, &out, &d) == 0);
	CHECK_STR(out.ptr, "<a href=\"https://x.fi/?a=1&amp;b=2\">x</a><img "
		"src='https://x.fi/?a=1&amp;b=2'>");
	static const char *const bad[] = { "javascript:alert(1)", " JavaScript:x", "data:text/html,x",
		"//evil.example/" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		buf_reset(&out);
		value_map_set_str(ctx, "u", bad[i]);
		CHECK(tmpl_render(ts, "t", ctx, &out, &d) == -1);
		CHECK(diag_contains(&d, "t.mustache:1: 'u' gives '") &&
			diag_contains(&d, "where 't' writes a link"));
		CHECK(out.len == 0);
		diag_release(&d);
	}
	buf_release(&out);
	value_free(ctx);
	tmpl_set_free(ts);
}

int main(void)
{
	RUN(content_templates_are_checked);
	RUN(link_values_are_checked);
	RUN(json_reads_everything);
	run_spec();
	RUN(escapes_values);
	RUN(raw_with_triple_and_ampersand);
	RUN(scalars_print_as_text);
	RUN(sections_and_context);
	RUN(partial_indentation_nests);
	RUN(inheritance_layout);
	RUN(dynamic_partials);
	RUN(errors_name_the_line);
	RUN(section_nesting_is_capped);
	RUN(recursion_is_capped);
	RUN(output_is_capped);
	RUN(missing_templates);
	RUN(later_add_overrides);
	RUN(empty_and_odd_input);
	RUN(renders_are_deterministic_and_shareable);
	return test_summary();
}
