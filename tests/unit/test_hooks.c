/*
 * Unit tests of the Lua hook sandbox and the default theme's hooks: every
 * escape route and limit must end in a clear build error (not a crash, not
 * success), shared data must stay as it was, and the indicator, summary and
 * obligations hooks must give the expected cells, totals and statuses.
 */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <math.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "blockmemo.h"
#include "buf.h"
#include "diag.h"
#include "hooks.h"
#include "model.h"
#include "mustache.h"
#include "test.h"
#include "util.h"
#include "value.h"

#include "banned.h"

#define NBSP "\xc2\xa0"
#define MINUS "\xe2\x88\x92"

static const char *top(void)
{
	const char *t = getenv("AVOIN_TOP");
	return t && *t ? t : ".";
}

/* Prints the diagnostics when a check on them fails, so a failure says why. */
static void dump_diags(const diag_list *d)
{
	buf b = BUF_INIT;
	for (size_t i = 0; i < d->n; i++) {
		buf_reset(&b);
		diag_format(&b, &d->items[i]);
		printf("    diag: %s\n", b.ptr);
	}
	buf_release(&b);
}

#define CHECK_DIAG(d, needle) do { \
	if (!diag_contains((d), (needle))) { \
		CHECK(diag_contains((d), (needle))); \
		printf("    wanted: %s\n", (needle)); \
		dump_diags(d); \
	} \
} while (0)

/* ---- fixtures ---------------------------------------------------------------- */

static value *str_list(const char *const *items)
{
	value *l = value_list(0);
	for (; *items; items++)
		value_list_push(l, value_string(*items, 0));
	return l;
}

static value *muni(const char *slug, const char *name, const char *ar)
{
	value *m = value_map(0);
	value_map_set_str(m, "slug", slug);
	value_map_set_str(m, "name", name);
	value_map_set_str(m, "title", name);
	char *url = xasprintf("/pohjois-karjala/kunnat/%s/", slug);
	value_map_set_str(m, "url", url);
	free(url);
	value_map_set_str(m, "region", "pohjois-karjala");
	value_map_set_str(m, "area", ar);
	return m;
}

static value *rec(const char *type, const char *path, const char *title)
{
	value *r = value_map(0);
	value_map_set_str(r, "type", type);
	value_map_set_str(r, "title", title);
	value_map_set_str(r, "path", path);
	char *file = xasprintf("content/%s", path);
	value_map_set_str(r, "file", file);
	free(file);
	buf url = BUF_INIT;
	buf_putc(&url, '/');
	buf_put(&url, path, strlen(path) - 3);
	buf_putc(&url, '/');
	value_map_set_str(r, "url", url.ptr);
	buf_release(&url);
	value_map_set_str(r, "region", "pohjois-karjala");
	value_map_set_str(r, "lang", "fi");
	return r;
}

static void set_munis(value *r, const char *const *slugs)
{
	value_map_set(r, "municipalities", str_list(slugs));
}

/*
 * One region with three municipalities in two areas, and the records the
 * obligations tests expect (build date 2025-11-20: calendar year 2025,
 * council term 2025-2029 from 2025-06-01).
 */
static value *fixture_site(const char *build_date)
{
	value *s = value_map(0);
	value_map_set_str(s, "title", "Avoin testi");
	value_map_set_str(s, "build_date", build_date);
	static const char *const langs[] = { "fi", "sv", NULL };
	value_map_set(s, "languages", str_list(langs));

	value *regions = value_list(0);
	value *rg = value_map(0);
	value_map_set_str(rg, "slug", "pohjois-karjala");
	value_map_set_str(rg, "title", "Pohjois-Karjala");
	value_map_set_str(rg, "url", "/pohjois-karjala/");
	static const char *const all[] = { "joensuu", "juuka", "outokumpu", NULL };
	value_map_set(rg, "municipalities", str_list(all));
	value *areas = value_list(0);
	value *a1 = value_map(0);
	value_map_set_str(a1, "slug", "keskinen");
	value_map_set_str(a1, "name", "Keskinen");
	static const char *const a1m[] = { "joensuu", "outokumpu", NULL };
	value_map_set(a1, "municipalities", str_list(a1m));
	value_list_push(areas, a1);
	value *a2 = value_map(0);
	value_map_set_str(a2, "slug", "pohjoinen");
	value_map_set_str(a2, "name", "Pohjoinen");
	static const char *const a2m[] = { "juuka", NULL };
	value_map_set(a2, "municipalities", str_list(a2m));
	value_list_push(areas, a2);
	value_map_set(rg, "areas", areas);
	value_list_push(regions, rg);
	value_map_set(s, "regions", regions);

	value *ms = value_list(0);
	value_list_push(ms, muni("joensuu", "Joensuu", "keskinen"));
	value_list_push(ms, muni("juuka", "Juuka", "pohjoinen"));
	value_list_push(ms, muni("outokumpu", "Outokumpu", "keskinen"));
	value_map_set(s, "municipalities", ms);

	value *rs = value_list(0);
	static const char *const joensuu[] = { "joensuu", NULL };
	static const char *const outokumpu[] = { "outokumpu", NULL };
	static const char *const juuka[] = { "juuka", NULL };
	/* hyte: Joensuu this year, Outokumpu only last year, Juuka never (a draft and a future
	 * one do not count) */
	value *r = rec("negotiation", "pohjois-karjala/neuvottelut/2025-03-10-hyte.md",
		"Hyte-neuvottelu 2025");
	value_map_set_str(r, "kind", "hyte");
	value_map_set_str(r, "date", "2025-03-10");
	set_munis(r, joensuu);
	value_list_push(rs, r);
	r = rec("negotiation", "pohjois-karjala/neuvottelut/2024-10-12-hyte.md",
		"Hyte-neuvottelu 2024");
	value_map_set_str(r, "kind", "hyte");
	value_map_set_str(r, "date", "2024-10-12");
	set_munis(r, outokumpu);
	value_list_push(rs, r);
	r = rec("negotiation", "pohjois-karjala/neuvottelut/2025-05-01-luonnos.md", "Luonnos");
	value_map_set_str(r, "kind", "hyte");
	value_map_set_str(r, "date", "2025-05-01");
	value_map_set_bool(r, "draft", 1);
	set_munis(r, juuka);
	value_list_push(rs, r);
	r = rec("negotiation", "pohjois-karjala/neuvottelut/2025-12-01-tuleva.md", "Tuleva");
	value_map_set_str(r, "kind", "hyte");
	value_map_set_str(r, "date", "2025-12-01");
	set_munis(r, juuka);
	value_list_push(rs, r);
	/* cooperation: a signed agreement in this term for Joensuu (through its parties), a
	 * negotiation of the previous term for Outokumpu */
	r = rec("agreement", "pohjois-karjala/sopimukset/2025-puitesopimus.md", "Puitesopimus");
	value_map_set_str(r, "status", "signed");
	value_map_set_str(r, "signed", "2025-09-01");
	static const char *const parties[] = { "pohjois-karjala", "joensuu",
		"Pohjois-Karjalan liitto", NULL };
	value_map_set(r, "parties", str_list(parties));
	value_list_push(rs, r);
	r = rec("negotiation", "pohjois-karjala/neuvottelut/2024-05-20-yhteistyo.md",
		"Yhteistyöneuvottelu 2024");
	value_map_set_str(r, "kind", "cooperation");
	value_map_set_str(r, "date", "2024-05-20");
	set_munis(r, outokumpu);
	value_list_push(rs, r);
	/* partnership: Keskinen's group has Joensuu by name and Outokumpu by slug; Pohjoinen
	 * has none */
	r = rec("partnership", "pohjois-karjala/kumppanuus/keskinen.md",
		"Kumppanuuspöytä Keskinen");
	value_map_set_str(r, "area", "keskinen");
	value *members = value_list(0);
	value *mb = value_map(0);
	value_map_set_str(mb, "organisation", "Joensuun kaupunki");
	value_map_set_str(mb, "sector", "kunta");
	value_list_push(members, mb);
	mb = value_map(0);
	value_map_set_str(mb, "organisation", "Kaupungin nuorisopalvelut");
	value_map_set_str(mb, "sector", "kunta");
	value_map_set_str(mb, "municipality", "outokumpu");
	value_list_push(members, mb);
	mb = value_map(0);
	value_map_set_str(mb, "organisation", "Juuan Yrittäjät");
	value_map_set_str(mb, "sector", "yritys");
	value_list_push(members, mb);
	value_map_set(r, "members", members);
	value_list_push(rs, r);
	/* report: the region's own plan 2025-2028, which is not a municipality's */
	r = rec("report", "pohjois-karjala/raportit/hyte-suunnitelma-2025-2028.md",
		"Hyvinvointisuunnitelma 2025-2028");
	value_map_set_str(r, "kind", "wellbeing-plan");
	value_map_set_str(r, "period", "2025-2028");
	value *appr = value_map(0);
	value_map_set_str(appr, "date", "2025-10-01");
	value_map_set(r, "approved", appr);
	value_map_set(r, "municipalities", value_list(0));
	value_list_push(rs, r);
	/* Joensuu's own plan, approved; Outokumpu's, not yet */
	r = rec("report", "pohjois-karjala/raportit/joensuu-2025-2028.md",
		"Joensuun hyvinvointisuunnitelma");
	value_map_set_str(r, "kind", "wellbeing-plan");
	value_map_set_str(r, "period", "2025-2028");
	appr = value_map(0);
	value_map_set_str(appr, "date", "2025-10-01");
	value_map_set(r, "approved", appr);
	set_munis(r, joensuu);
	value_list_push(rs, r);
	r = rec("report", "pohjois-karjala/raportit/outokumpu-2025-2028.md",
		"Outokummun hyvinvointikertomus");
	value_map_set_str(r, "kind", "wellbeing-report");
	value_map_set_str(r, "period", "2025-2028");
	set_munis(r, outokumpu);
	value_list_push(rs, r);
	value_map_set(s, "records", rs);
	return s;
}

static value *fixture_record(void)
{
	value *r = rec("minutes", "pohjois-karjala/poytakirjat/2023-10-12-lautakunta.md",
		"Lautakunta");
	value_map_set_str(r, "date", "2023-10-12");
	return r;
}

/*
 * Data files for src=, found by the model's one rule (site_resolve_file) in a
 * small real site: a region's data file, another region's, a record.
 */
static site *files_site;

static void count_read(void *ud, const model_file *f)
{
	(void)f;
	(*(int *)ud)++;
}

static struct site *the_files_site(void)
{
	static const char data[] = "Alue\t2022\t2023\nKeskinen\t10\t12\nPohjoinen\t5\t4\n";
	static const char rg[] = "---\ntype: region\ntitle: PK\nname: PK\n---\n";
	static const char page[] = "---\ntype: page\ntitle: Toinen\n---\nRunko.\n";
	if (files_site)
		return files_site;
	model_file files[] = {
		{ "site.yaml", "title: T\n", 9, "" },
		{ "pohjois-karjala/region.md", rg, sizeof rg - 1, "" },
		{ "pohjois-karjala/poytakirjat/toinen.md", page, sizeof page - 1, "" },
		{ "pohjois-karjala/data/ktt.tsv", data, sizeof data - 1, "" },
		{ "toinen/region.md", rg, sizeof rg - 1, "" },
		{ "toinen/data/ktt.tsv", data, sizeof data - 1, "" },
		{ "hooks/x.lua", "return 1", 8, "" },
	};
	diag_list d = DIAG_LIST_INIT;
	model_opts o = { "content/", 0, 1, NULL, 0 };
	files_site = site_load(files, sizeof files / sizeof *files, &o, &d);
	diag_release(&d);
	return files_site;
}

typedef struct fixture {
	value *smodel;
	value *record;
	hook_ctx cx;
	site_reader rd;
	int reads;
} fixture;

static void fixture_init(fixture *f)
{
	f->smodel = fixture_site("2025-11-20");
	f->record = fixture_record();
	f->reads = 0;
	f->cx.record_file = "content/pohjois-karjala/poytakirjat/2023-10-12-lautakunta.md";
	f->cx.record = f->record;
	f->cx.site = f->smodel;
	f->rd = (site_reader){ the_files_site(), "pohjois-karjala/poytakirjat/2023-10-12-lautakunta.md",
		count_read, &f->reads, NULL };
	f->cx.read_file = site_reader_read;
	f->cx.opaque = &f->rd;
}

static void fixture_release(fixture *f)
{
	value_free(f->smodel);
	value_free(f->record);
}

static value *page_value(const char *kind, const char *municipality, const char *lang)
{
	value *p = value_map(0);
	value_map_set_str(p, "kind", kind);
	value_map_set_str(p, "region", "pohjois-karjala");
	if (municipality)
		value_map_set_str(p, "municipality", municipality);
	value_map_set_str(p, "lang", lang);
	value_map_set_str(p, "root", "../../");
	return p;
}

static hooks *open_content(const char *name, const char *code, const hooks_limits *lim,
	diag_list *d)
{
	char file[200];
	snprintf(file, sizeof file, "content/hooks/%s.lua", name);
	hook_source s = { name, file, code, strlen(code) };
	hooks *h = NULL;
	if (hooks_open(&h, NULL, 0, &s, 1, lim, d) < 0)
		return NULL;
	return h;
}

static char *theme_code(const char *name, size_t *len)
{
	char *path = xasprintf("%s/themes/default/hooks/%s.lua", top(), name);
	char *code = NULL;
	if (read_file(path, &code, len) < 0)
		code = NULL;
	free(path);
	return code;
}

/* The default theme's hooks, plus optional content hooks. */
static hooks *open_theme(const hook_source *content, size_t n_content, diag_list *d)
{
	static const char *const names[] = { "indicator", "summary", "obligations" };
	static const char *const files[] = { "themes/default/hooks/indicator.lua",
		"themes/default/hooks/summary.lua", "themes/default/hooks/obligations.lua" };
	hook_source src[3];
	char *codes[3];
	for (int i = 0; i < 3; i++) {
		size_t len = 0;
		codes[i] = theme_code(names[i], &len);
		src[i].name = names[i];
		src[i].file = files[i];
		src[i].code = codes[i] ? codes[i] : "";
		src[i].len = codes[i] ? len : 0;
	}
	hooks *h = NULL;
	int r = hooks_open(&h, src, 3, content, n_content, NULL, d);
	for (int i = 0; i < 3; i++)
		free(codes[i]);
	return r < 0 ? NULL : h;
}

/* Calls block hook name with text and attrs "k", "v", ..., NULL; returns 0 or -1. */
static int run_block(hooks *h, const char *name, const char *text, const char *const *kv, int line,
	const hook_ctx *cx, buf *out, diag_list *d)
{
	value *attrs = value_map(0);
	for (; kv && kv[0]; kv += 2)
		value_map_set_str(attrs, kv[0], kv[1]);
	int r = hooks_block(h, name, text, attrs, line, cx, out, d);
	value_free(attrs);
	return r;
}

/* One content hook "x" run once as a block hook; returns its status, output in out. */
static int run_snippet(const char *code, const hooks_limits *lim, buf *out, diag_list *d)
{
	fixture f;
	fixture_init(&f);
	hooks *h = open_content("x", code, lim, d);
	int r = -2;
	if (h) {
		r = run_block(h, "x", "", NULL, 12, &f.cx, out, d);
		hooks_free(h);
	}
	fixture_release(&f);
	return r;
}

/* ---- escapes -------------------------------------------------------------------- */

static void sandbox_has_no_io_or_os(void)
{
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	CHECK(run_snippet("return function() return io.open('/etc/passwd'):read('a') end", NULL,
		&out, &d) == -1);
	CHECK_DIAG(&d,
		"content/pohjois-karjala/poytakirjat/2023-10-12-lautakunta.md:12: hook 'x' failed: "
		"content/hooks/x.lua:1: attempt to index a nil value (global 'io')");
	CHECK_DIAG(&d, "stack traceback:");
	CHECK(out.len == 0);
	diag_release(&d);
	CHECK(run_snippet("return function() os.execute('touch /tmp/avoin-pwned') return '' end",
		NULL, &out, &d) == -1);
	CHECK_DIAG(&d, "(global 'os')");
	diag_release(&d);
	buf_release(&out);
}

static void sandbox_has_no_require_or_load(void)
{
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	CHECK(run_snippet("return function() return require('io') end", NULL, &out, &d) == -1);
	CHECK_DIAG(&d, "attempt to call a nil value (global 'require')");
	diag_release(&d);
	CHECK(run_snippet("return function() return load('return 1')() end", NULL, &out, &d) == -1);
	CHECK_DIAG(&d, "attempt to call a nil value (global 'load')");
	diag_release(&d);
	/* Everything else that reaches outside the sandbox or the clock is absent too. */
	CHECK(run_snippet("return function() local t = {} "
		"for _, v in ipairs({ 'loadfile', 'dofile', 'collectgarbage', 'print', 'next', "
		"'debug', "
		"'package', 'coroutine', 'io', 'os', 'warn' }) do t[#t + 1] = tostring(_G[v]) end "
		"t[#t + 1] = tostring(math.random) t[#t + 1] = tostring(math.randomseed) "
		"t[#t + 1] = tostring(string.dump) t[#t + 1] = tostring(('').dump) "
		"return table.concat(t, ',') end", NULL, &out, &d) == 0);
	CHECK_STR(out.ptr, "nil,nil,nil,nil,nil,nil,nil,nil,nil,nil,nil,nil,nil,nil,nil");
	diag_release(&d);
	/* each library is its allow list, nothing more (pairs walks names in order) */
	buf_reset(&out);
	CHECK(run_snippet("return function() local t = {} "
		"for _, lib in ipairs({ string, table, math, utf8 }) do local names = {} "
		"for k in pairs(lib) do names[#names + 1] = k end "
		"t[#t + 1] = table.concat(names, ' ') end return table.concat(t, '|') end",
		NULL, &out, &d) == 0);
	CHECK_STR(out.ptr, "byte char find format gmatch gsub len lower match pack packsize rep "
		"reverse sub unpack upper|concat insert move pack remove sort unpack|abs acos asin "
		"atan ceil cos deg exp floor fmod huge log max maxinteger min mininteger modf pi rad "
		"sin sqrt tan tointeger type ult|char charpattern codepoint codes len offset");
	diag_release(&d);
	buf_release(&out);
}

static int dump_writer(lua_State *L, const void *p, size_t sz, void *ud)
{
	(void)L;
	buf_put(ud, p, sz);
	return 0;
}

static void bytecode_is_refused(void)
{
	/* Real bytecode, as luac would write it. */
	lua_State *L = luaL_newstate();
	CHECK(luaL_loadstring(L, "return function() return 'bytecode' end") == LUA_OK);
	buf bc = BUF_INIT;
	CHECK(lua_dump(L, dump_writer, &bc, 0) == 0);
	lua_close(L);
	CHECK(bc.len > 4 && bc.ptr[0] == '\x1b');
	diag_list d = DIAG_LIST_INIT;
	hook_source s = { "x", "content/hooks/x.lua", bc.ptr, bc.len };
	hooks *h = NULL;
	CHECK(hooks_open(&h, NULL, 0, &s, 1, NULL, &d) == -1);
	CHECK(h == NULL);
	CHECK_DIAG(&d,
		"content/hooks/x.lua: hook 'x' is precompiled Lua bytecode; hooks are loaded as "
		"source text only");
	diag_release(&d);
	buf_release(&bc);
}

static void memory_bomb_is_stopped(void)
{
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	CHECK(run_snippet("return function()\n  return string.rep('x', 1 << 30)\nend", NULL, &out,
		&d) == -1);
	CHECK_DIAG(&d,
		"2023-10-12-lautakunta.md:12: hook 'x' failed: content/hooks/x.lua:2: memory limit "
		"of 64 MiB exceeded (raise hooks.memory_mb in site.yaml if the hook needs more)");
	diag_release(&d);
	/* Doubling a string, and catching the error to try again, ends the same way. */
	hooks_limits lim = { 4u << 20, 0, 0 };
	CHECK(run_snippet("return function()\n  local s = 'x'\n  while true do\n    "
		"pcall(function() s = s .. s end)\n  end\nend", &lim, &out, &d) == -1);
	CHECK_DIAG(&d, "memory limit of 4 MiB exceeded");
	diag_release(&d);
	/* A table that grows without end. */
	CHECK(run_snippet("return function() local t = {} for i = 1, 1e9 do t[i] = {i} end end",
		&lim, &out, &d) == -1);
	CHECK_DIAG(&d, "memory limit of 4 MiB exceeded");
	CHECK(out.len == 0);
	diag_release(&d);
	buf_release(&out);
}

static void endless_loop_is_stopped(void)
{
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	hooks_limits lim = { 0, 1000000, 0 };
	CHECK(run_snippet("return function()\n  while true do end\nend", &lim, &out, &d) == -1);
	CHECK_DIAG(&d,
		"hook 'x' failed: content/hooks/x.lua:2: instruction budget of 1000000 exceeded");
	diag_release(&d);
	/* pcall does not help: the budget error passes through it. */
	CHECK(run_snippet("return function()\n  while true do\n    pcall(function() while true do "
		"end end)\n  end\nend", &lim, &out, &d) == -1);
	CHECK_DIAG(&d, "instruction budget of 1000000 exceeded");
	diag_release(&d);
	CHECK(run_snippet("return function()\n  while true do\n    xpcall(function() while true do "
		"end end, function(e) while true do end end)\n  end\nend", &lim, &out, &d) == -1);
	CHECK_DIAG(&d, "instruction budget of 1000000 exceeded");
	diag_release(&d);
	/* ... nor does an error object whose __tostring loops, run by the message handler. */
	CHECK(run_snippet("return function()\n  error(setmetatable({}, { __tostring = function()\n"
		"    while true do end\n  end }))\nend", &lim, &out, &d) == -1);
	CHECK_DIAG(&d, "content/hooks/x.lua:3: instruction budget of 1000000 exceeded");
	diag_release(&d);
	/* A loop in the chunk itself is stopped when the hooks are opened. */
	CHECK(open_content("x", "while true do end", &lim, &d) == NULL);
	CHECK_DIAG(&d,
		"content/hooks/x.lua:1: hook 'x' failed: instruction budget of 1000000 exceeded");
	diag_release(&d);
	buf_release(&out);
}

static void slow_hooks_run_out_of_time(void)
{
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	/* Lua code: the count hook sees the clock, whatever the instruction budget */
	hooks_limits lim = { 0, 1000000000000L, 1 };
	CHECK(run_snippet("return function()\n  while true do end\nend", &lim, &out, &d) == -1);
	CHECK_DIAG(&d, "hook 'x' failed: content/hooks/x.lua:2: time limit of 1 s exceeded "
		"(raise hooks.seconds in site.yaml if the hook needs more)");
	diag_release(&d);
	/* one long library call runs no instruction: the watchdog stops the process */
	fflush(stdout);
	int fds[2];
	CHECK(pipe(fds) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		run_snippet("return function()\n  return (('a'):rep(5000):find('.-.-.-.-.-.-b'))"
			"\nend", &lim, &out, &d);
		_exit(0);
	}
	close(fds[1]);
	char msg[2048];
	ssize_t n, got = 0;
	while (got < (ssize_t)sizeof msg - 1 && (n = read(fds[0], msg + got,
			sizeof msg - 1 - (size_t)got)) > 0)
		got += n;
	msg[got > 0 ? got : 0] = '\0';
	close(fds[0]);
	int status = 0;
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
	CHECK_CONTAINS(msg, "content/pohjois-karjala/poytakirjat/2023-10-12-lautakunta.md:12: hook "
		"'x' failed: time limit of 1 s exceeded inside a library function");
	CHECK_CONTAINS(msg, "the previous output was left untouched");
	buf_release(&out);
}

static void budget_is_reset_per_call(void)
{
	fixture f;
	fixture_init(&f);
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	hooks_limits lim = { 0, 200000, 0 };
	hooks *h = open_content("x",
		"return function(b) if b.text == 'loop' then while true do end end "
		"local n = 0 for i = 1, 30000 do n = n + i end return tostring(n) end", &lim, &d);
	CHECK(h != NULL);
	if (h) {
		/* Each call may use most of the budget: the total over calls does not count. */
		for (int i = 0; i < 5; i++) {
			buf_reset(&out);
			CHECK(run_block(h, "x", "", NULL, 1, &f.cx, &out, &d) == 0);
		}
		CHECK_STR(out.ptr, "450015000");
		CHECK(run_block(h, "x", "loop", NULL, 1, &f.cx, &out, &d) == -1);
		buf_reset(&out);
		CHECK(run_block(h, "x", "", NULL, 1, &f.cx, &out, &d) == 0);
		CHECK_STR(out.ptr, "450015000");
		hooks_free(h);
	}
	CHECK(d.errors == 1);
	diag_release(&d);
	buf_release(&out);
	fixture_release(&f);
}

static void deep_recursion_is_an_error(void)
{
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	CHECK(run_snippet("local function f(n) return 1 + f(n + 1) end\nreturn function() return "
		"f(1) end",
		NULL, &out, &d) == -1);
	CHECK_DIAG(&d, "content/hooks/x.lua:1: stack overflow");
	diag_release(&d);
	/* Through C functions the C stack limit stops it first. */
	CHECK(run_snippet("local function f() return ('x'):gsub('x', f) end\nreturn function() "
		"return f() end",
		NULL, &out, &d) == -1);
	CHECK_DIAG(&d, "C stack overflow");
	diag_release(&d);
	buf_release(&out);
}

static void shared_data_cannot_be_changed(void)
{
	fixture f;
	fixture_init(&f);
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	const char *evil =
		"return function(block, record, site)\n  if block.text == 'check' then\n"
		"    return table.concat({ site.title, site.regions[1].slug, record.title, "
		"tostring(leaked),\n"
		"      string.upper('a'), avoin.escape('<'), tostring(getmetatable(site)),\n"
		"      tostring(#site.regions), tostring(rawget(site, 'title')) }, '|')\n  end\n"
		"  local tries = {\n"
		"    function() setmetatable(site, { __index = function() return 'evil' end }) "
		"end,\n    function() site.title = 'evil' end,\n"
		"    function() rawset(site, 'title', 'evil') end,\n"
		"    function() site.regions[1].slug = 'evil' end,\n"
		"    function() table.insert(site.regions, 'evil') end,\n"
		"    function() table.remove(site.regions) end,\n"
		"    function() setmetatable(site.regions[1], {}) end,\n"
		"    function() getmetatable('').__index.upper = function() return 'evil' end "
		"end,\n    function() string.upper = function() return 'evil' end end,\n"
		"    function() avoin.escape = function() return 'evil' end end,\n"
		"    function() math.floor = nil end,\n  }\n  local failed = 0\n"
		"  for _, f in ipairs(tries) do if not pcall(f) then failed = failed + 1 end end\n"
		"  record.title = 'evil'\n  leaked = 'evil'\n"
		"  string = { upper = function() return 'evil' end }\n  return tostring(failed)\n"
		"end\n";
	hooks *h = open_content("x", evil, NULL, &d);
	CHECK(h != NULL);
	if (h) {
		CHECK(run_block(h, "x", "", NULL, 1, &f.cx, &out, &d) == 0);
		CHECK_STR(out.ptr, "11");
		buf_reset(&out);
		CHECK(run_block(h, "x", "check", NULL, 1, &f.cx, &out, &d) == 0);
		CHECK_STR(out.ptr, "Avoin testi|pohjois-karjala|Lautakunta|nil|A|&lt;|false|1|nil");
		hooks_free(h);
	}
	CHECK(d.n == 0);
	/* Without pcall the attempt is a build error that says what happened. */
	CHECK(run_snippet("return function(b, r, site) setmetatable(site, {}) return '' end", NULL,
		&out, &d) == -1);
	CHECK_DIAG(&d, "cannot change a protected metatable");
	diag_release(&d);
	CHECK(run_snippet("return function(b, r, site) site.regions[1].title = 'x' return '' end",
		NULL, &out, &d) == -1);
	CHECK_DIAG(&d, "attempt to change read-only data");
	diag_release(&d);
	/* The value trees themselves are untouched. */
	CHECK_STR(value_map_str(f.record, "title"), "Lautakunta");
	CHECK_STR(value_map_str(f.smodel, "title"), "Avoin testi");
	buf_release(&out);
	fixture_release(&f);
}

static void wrong_return_types_are_errors(void)
{
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	CHECK(run_snippet("return function()\n  return 42\nend", NULL, &out, &d) == -1);
	CHECK_DIAG(&d,
		"lautakunta.md:12: hook 'x' failed: content/hooks/x.lua:1: the hook returned a "
		"number, expected a string or an element tree (avoin.el)");
	diag_release(&d);
	CHECK(run_snippet("return function() end", NULL, &out, &d) == -1);
	CHECK_DIAG(&d, "the hook returned nothing");
	diag_release(&d);
	CHECK(run_snippet("return function() return { foo = 1 } end", NULL, &out, &d) == -1);
	CHECK_DIAG(&d, "neither an element (avoin.el) nor a list of nodes");
	diag_release(&d);
	CHECK(open_content("x", "return 42", NULL, &d) == NULL);
	CHECK_DIAG(&d,
		"content/hooks/x.lua: hook 'x' failed: the hook file must return a function (got "
		"number)");
	diag_release(&d);
	CHECK(out.len == 0);
	buf_release(&out);
}

static void errors_name_record_line_and_traceback(void)
{
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	CHECK(run_snippet("local function inner()\n  error('boom')\nend\nreturn function() inner() "
		"end", NULL, &out, &d) == -1);
	CHECK_DIAG(&d,
		"content/pohjois-karjala/poytakirjat/2023-10-12-lautakunta.md:12: hook 'x' failed: "
		"content/hooks/x.lua:2: boom\nstack traceback:");
	CHECK_DIAG(&d, "content/hooks/x.lua:2: in ");
	CHECK_DIAG(&d, "content/hooks/x.lua:4: in function <content/hooks/x.lua:4>");
	CHECK(d.n == 1 && !strstr(d.items[0].msg, "[C]: in ?"));
	diag_release(&d);
	/* Data errors (avoin.error) name the record and the block, without a traceback. */
	CHECK(run_snippet("return function() avoin.error(\"row 3 ('Keskinen'): bad\") end", NULL,
		&out, &d) == -1);
	CHECK_DIAG(&d, "2023-10-12-lautakunta.md:12: hook 'x': row 3 ('Keskinen'): bad");
	CHECK(d.n == 1 && !strstr(d.items[0].msg, "traceback"));
	diag_release(&d);
	buf_release(&out);
}

static void content_hook_overrides_theme(void)
{
	fixture f;
	fixture_init(&f);
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	hook_source mine = { "indicator", "content/hooks/indicator.lua",
		"return function(block) return avoin.el('p', { class = 'mine' }, block.text) end",
		0 };
	mine.len = strlen(mine.code);
	hooks *h = open_theme(&mine, 1, &d);
	CHECK(h != NULL);
	if (h) {
		CHECK(hooks_has(h, "indicator") && hooks_has(h, "summary") && hooks_has(h,
			"obligations"));
		CHECK(!hooks_has(h, "nope"));
		CHECK(run_block(h, "indicator", "a\t1", NULL, 3, &f.cx, &out, &d) == 0);
		CHECK_STR(out.ptr, "<p class=\"mine\">a\t1</p>");
		CHECK(run_block(h, "nope", "", NULL, 3, &f.cx, &out, &d) == -1);
		CHECK_DIAG(&d, "lautakunta.md:3: no hook named 'nope'");
		hooks_free(h);
	}
	diag_release(&d);
	buf_release(&out);
	fixture_release(&f);
}

static void content_hook_syntax_error_names_file_and_line(void)
{
	diag_list d = DIAG_LIST_INIT;
	hook_source bad = { "indicator", "content/hooks/indicator.lua",
		"return function(block)\n  local x = \nend\n", 0 };
	bad.len = strlen(bad.code);
	CHECK(open_theme(&bad, 1, &d) == NULL);
	CHECK_DIAG(&d,
		"content/hooks/indicator.lua:3: syntax error in hook 'indicator': unexpected "
		"symbol near 'end'");
	diag_release(&d);
	CHECK(open_content("Bad Name", "return function() end", NULL, &d) == NULL);
	CHECK_DIAG(&d, "hook name 'Bad Name' must be lower-case letters");
	diag_release(&d);
}

/* ---- what hooks may return ------------------------------------------------------ */

static void element_trees_are_escaped_and_checked(void)
{
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	CHECK(run_snippet("local el = avoin.el\nreturn function() return el('p', { class = 'a\"b' "
		"}, '<script>&', el('a', { href = "
		"'https://x.fi/?a=1&b=2' }, 'y'), "
		"el('a', { href = '../z/' }, 'z'), 3.5, 7, nil, false, { el('br'), 'tail' }) end",
		NULL, &out, &d) == 0);
	CHECK_STR(out.ptr,
		"<p class=\"a&quot;b\">&lt;script&gt;&amp;<a "
		"href=\"https://x.fi/?a=1&amp;b=2\">y</a><a href=\"../z/\">z</a>3.57<br>tail</p>");
	diag_release(&d);
	/* A refused link is an error that names the hook, not a link silently dropped. */
	buf_reset(&out);
	CHECK(run_snippet("return function() return avoin.el('a', { href = 'javascript:alert(1)' }, "
		"'x') end", NULL, &out, &d) == -1);
	CHECK_DIAG(&d, "content/hooks/x.lua:1: el: 'href' has an address that is not allowed "
		"(got 'javascript:alert(1)'");
	diag_release(&d);
	/* A NUL in an attribute would end the HTML early and leave the attribute open. */
	CHECK(run_snippet("return function() return { avoin.el('p', { title = 'a\\0' }, 'x'), "
		"avoin.el('a', { href = '/x/' }, ' onfocus=alert(1) ') } end", NULL, &out, &d) == -1);
	CHECK_DIAG(&d, "holds the control character U+0000");
	diag_release(&d);
	CHECK(run_snippet("return function() return avoin.el('p', nil, 'a\\27[31m') end", NULL,
		&out, &d) == -1);
	CHECK_DIAG(&d, "holds the control character U+001B");
	diag_release(&d);
	buf_reset(&out);
	CHECK(run_snippet("return function() return avoin.el('script', nil, 'x') end", NULL, &out,
		&d) == -1);
	CHECK_DIAG(&d, "content/hooks/x.lua:1: el: tag 'script' is not allowed in hook output");
	diag_release(&d);
	CHECK(run_snippet("return function() return avoin.el('p', { onclick = 'x' }) end", NULL,
		&out, &d) == -1);
	CHECK_DIAG(&d, "el: attribute 'onclick' is not allowed in hook output");
	diag_release(&d);
	/* tabindex makes a scroll box reachable by keyboard; it may not reorder the page */
	buf_reset(&out);
	CHECK(run_snippet("return function() return avoin.el('section', { tabindex = '0', "
		"['aria-label'] = 'T' }, 'x') end", NULL, &out, &d) == 0);
	CHECK_STR(out.ptr, "<section aria-label=\"T\" tabindex=\"0\">x</section>");
	buf_reset(&out);
	CHECK(run_snippet("return function() return avoin.el('div', { tabindex = 3 }) end", NULL,
		&out, &d) == -1);
	CHECK_DIAG(&d, "el: 'tabindex' may only be 0 or -1 (got '3')");
	diag_release(&d);
	CHECK(run_snippet("return function() return '<div tabindex=\"5\">x</div>' end", NULL,
		&out, &d) == -1);
	CHECK_DIAG(&d, "has 'tabindex' other than 0 or -1 (got '5')");
	diag_release(&d);
	/* An element is checked when it is made, and cannot be changed afterwards. */
	CHECK(run_snippet("return function() local e = avoin.el('p') e.tag = 'script' return e end",
		NULL, &out, &d) == -1);
	CHECK_DIAG(&d, "x.lua:1: an element cannot be read or changed after avoin.el made it");
	diag_release(&d);
	CHECK(run_snippet("return function() local e = avoin.el('p') return e.tag end",
		NULL, &out, &d) == -1);
	CHECK_DIAG(&d, "an element cannot be read or changed");
	diag_release(&d);
	/* a list that holds itself, as a child and as the result */
	CHECK(run_snippet("return function() local t = {} t[1] = t return avoin.el('div', nil, t) "
		"end", NULL, &out, &d) == -1);
	CHECK_DIAG(&d, "el: the children of 'div' are nested deeper than 200 levels");
	diag_release(&d);
	CHECK(run_snippet("return function() local t = {} t[1] = t return t end", NULL,
		&out, &d) == -1);
	CHECK_DIAG(&d, "nested deeper than 200 levels");
	diag_release(&d);
	/* an element 201 levels deep */
	CHECK(run_snippet("return function() local e = 'x' for i = 1, 201 do "
		"e = avoin.el('span', nil, e) end return e end", NULL, &out, &d) == -1);
	CHECK_DIAG(&d, "el: the element tree is nested deeper than 200 levels");
	diag_release(&d);
	/* svg elements outside an svg, and the other way round, at any depth */
	CHECK(run_snippet("return function() return avoin.el('svg', nil, avoin.el('g', nil, "
		"avoin.el('p'))) end", NULL, &out, &d) == -1);
	CHECK_DIAG(&d, "el: 'p' inside an svg element");
	diag_release(&d);
	CHECK(run_snippet("return function() return avoin.el('div', nil, { avoin.el('g', nil, "
		"avoin.el('circle')) }) end", NULL, &out, &d) == -1);
	CHECK_DIAG(&d, "el: 'g' outside an svg element");
	diag_release(&d);
	CHECK(run_snippet("return function() return { avoin.el('g') } end", NULL, &out, &d) == -1);
	CHECK_DIAG(&d, "the returned element tree has 'g' outside an svg element");
	diag_release(&d);
	buf_reset(&out);
	CHECK(run_snippet("return function() local g = avoin.el('g', nil, avoin.el('circle', "
		"{ r = 2.5 })) return avoin.el('figure', nil, avoin.el('svg', nil, g, g)) end", NULL,
		&out, &d) == 0);
	CHECK_STR(out.ptr, "<figure><svg><g><circle r=\"2.5\"></circle></g><g><circle "
		"r=\"2.5\"></circle></g></svg></figure>");
	diag_release(&d);
	CHECK(run_snippet("return function() return avoin.el('div', nil, avoin.el('circle')) end",
		NULL, &out, &d) == -1);
	CHECK_DIAG(&d, "'circle' outside an svg element");
	diag_release(&d);
	/* A small tree used many times over cannot blow up the output. */
	hooks_limits lim = { 1u << 20, 0, 0 };
	CHECK(run_snippet("return function() local e = avoin.el('span', nil, string.rep('x', "
		"1000)) "
		"for i = 1, 40 do e = avoin.el('span', nil, e, e) end return e end", &lim, &out,
		&d) == -1);
	CHECK_DIAG(&d, "larger than the memory cap");
	diag_release(&d);
	buf_release(&out);
}

static void allow_lists_are_sorted_and_case_blind(void)
{
	CHECK(hooks_allow_lists_sorted());
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	/* the first, last and a middle entry of each list, in other cases */
	CHECK(run_snippet("return function() return '<A HREF=\"/x/\">a</A><WBR>"
		"<Table><TR><TD ColSpan=\"2\" ABBR=\"t\">1</TD></TR></Table>"
		"<SVG VIEWBOX=\"0 0 1 1\"><Text Y2=\"1\" Y=\"0\">t</Text></SVG>' end",
		NULL, &out, &d) == 0);
	CHECK_STR(out.ptr, "<a href=\"/x/\">a</a><wbr><table><tr><td colspan=\"2\" abbr=\"t\">1"
		"</td></tr></table><svg viewBox=\"0 0 1 1\"><text y2=\"1\" y=\"0\">t</text></svg>");
	diag_release(&d);
	buf_reset(&out);
	CHECK(run_snippet("return function() return avoin.el('TSPAN') end", NULL, &out, &d) == -1);
	CHECK_DIAG(&d, "'tspan' outside an svg element");
	diag_release(&d);
	CHECK(run_snippet("return function() return avoin.el('ab') end", NULL, &out, &d) == -1);
	CHECK_DIAG(&d, "tag 'ab' is not allowed");
	diag_release(&d);
	CHECK(run_snippet("return function() return avoin.el('p', { ydata = 1 }) end", NULL, &out,
		&d) == -1);
	CHECK_DIAG(&d, "attribute 'ydata' is not allowed");
	diag_release(&d);
	buf_reset(&out);
	CHECK(run_snippet("return function() return avoin.el('details', { OPEN = true, "
		"Opacity = 1 }) end", NULL, &out, &d) == 0);
	CHECK_STR(out.ptr, "<details opacity=\"1\" open=\"\"></details>");
	diag_release(&d);
	buf_release(&out);
}

static void html_strings_are_checked(void)
{
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	CHECK(run_snippet("return function() return '<p class=x>a &amp; b & c < d</p><svg "
		"viewbox=\"0 0 1 1\">"
		"<line x1=\"0\" y1=\"0\" x2=\"1\" y2=\"1\"/></svg>' end", NULL, &out, &d) == 0);
	CHECK_STR(out.ptr, "<p class=\"x\">a &amp; b &amp; c &lt; d</p><svg viewBox=\"0 0 1 1\">"
		"<line x1=\"0\" y1=\"0\" x2=\"1\" y2=\"1\"></line></svg>");
	diag_release(&d);
	static const struct { const char *html, *want; } bad[] = {
		{ "<script>alert(1)</script>", "tag 'script', which is not allowed" },
		{ "<p onclick=\"x()\">a</p>", "attribute 'onclick' on 'p', which is not allowed" },
		{ "<p style=\"x\">a</p>", "attribute 'style'" },
		{ "<iframe src=x></iframe>", "tag 'iframe'" },
		{ "<p>a", "leaves 'p' open" },
		{ "<p>a</div>", "closes 'div' but 'p' is open" },
		{ "<div/>", "does not close it in HTML" },
		{ "<!-- x --><p></p>", "comment, doctype or processing instruction" },
		{ "<p\"onclick=x>", "no space before an attribute of '<p'" },
		{ "<p/onclick=x>", "no space before an attribute of '<p'" },
		{ "<p =x>", "'=' where an attribute name of '<p' was expected" },
		{ "<p class=a class=b></p>", "gives attribute 'class' twice" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		buf code = BUF_INIT;
		buf_printf(&code, "return function() return [==[%s]==] end", bad[i].html);
		CHECK(run_snippet(code.ptr, NULL, &out, &d) == -1);
		CHECK_DIAG(&d, bad[i].want);
		diag_release(&d);
		buf_release(&code);
	}
	/* Unsafe link targets are errors, however they are spelled. */
	static const char *const unsafe[] = {
		"javascript:alert(1)", " JaVaScRiPt:x", "jav&#x61;script:x", "java&#9;script:x",
		"javascript&colon;x", "data:text/html,x", "//evil.example/", "https://u:p@x.fi/",
		"vbscript:x", "file:///etc/passwd",
	};
	for (size_t i = 0; i < sizeof unsafe / sizeof *unsafe; i++) {
		char *code = xasprintf("return function() return [[<a href=\"%s\">1</a>]] end",
			unsafe[i]);
		buf_reset(&out);
		CHECK(run_snippet(code, NULL, &out, &d) == -1);
		CHECK_DIAG(&d, "has 'href' with an address that is not allowed");
		diag_release(&d);
		free(code);
	}
	buf_reset(&out);
	CHECK(run_snippet("return function() return [[<a href=\"mailto:a@b.fi\">7</a><a "
		"href=\"/x/?a=1&amp;b\">8</a>]] end",
		NULL, &out, &d) == 0);
	CHECK_STR(out.ptr, "<a href=\"mailto:a@b.fi\">7</a><a href=\"/x/?a=1&amp;b\">8</a>");
	diag_release(&d);
	buf_release(&out);
}

static void other_bad_output_is_refused(void)
{
	static const struct { const char *code, *want; } bad[] = {
		{ "return '\\255'", "the hook returned HTML that is not valid UTF-8 text" },
		{ "return 'a\\0b'", "the returned HTML holds the control character U+0000" },
		{ "return avoin.el('p', nil, 'a\\255')",
			"the returned element tree holds text that is not valid UTF-8" },
		{ "local e = avoin.el('p') e.attrs = 5 return e",
			"an element cannot be read or changed after avoin.el made it" },
		{ "return avoin.el('p', nil, {}, { 1, x = 2 })",
			"el: a child of 'p' is a table that is neither an element nor a list" },
		{ "return avoin.el('p', nil, true)", "el: child 1 of 'p' is a boolean" },
		{ "return avoin.el('br', nil, 'x')", "el: 'br' cannot have children" },
		{ "return { true }", "holds true; nodes are strings, numbers and elements" },
		{ "return { tostring }", "the returned element tree holds a function" },
		{ "return avoin.el('p', nil, tostring)", "el: child 1 of 'p' is a function" },
		{ "return avoin.el('p', { class = {} })",
			"el: attribute 'class' must be a string, a number "
			"or a boolean (got a table)" },
		{ "return avoin.el('p', { [1.5] = 'x', class = 'y' })",
			"el: attribute names must be strings (got a number)" },
		{ "return avoin.el('svg', { viewBox = '0 0 1 1', viewbox = '0 0 2 2' })",
			"attribute 'viewBox' is given twice" },
		{ "return '<p class=\"a>x</p>'", "unterminated value of attribute 'class'" },
		{ "return '<p class=>x</p>'", "empty unquoted value of attribute 'class'" },
		{ "return '<p>x</p x>'", "end tag 'p' that does not end in '>'" },
		{ "return '<p class=\"a\"'", "'<p' tag that is never closed with '>'" },
		{ "return string.rep('<span>', 300)", "nested deeper than 256 elements" },
		{ "return '<svg><p></p></svg>'", "has 'p' inside an svg element" },
		{ "return avoin.format_number(1/0)",
			"bad argument #1 to 'format_number' (expected a finite number)" },
		{ "return avoin.format_number(1, 11)", "decimals must be between 0 and 10" },
		{ "return avoin.format_number(1e300)", "number too large to format" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		diag_list d = DIAG_LIST_INIT;
		buf out = BUF_INIT;
		char *code = xasprintf("return function()\n%s\nend", bad[i].code);
		CHECK(run_snippet(code, NULL, &out, &d) == -1);
		CHECK_DIAG(&d, bad[i].want);
		CHECK(out.len == 0);
		free(code);
		diag_release(&d);
		buf_release(&out);
	}
	/* a summary that is not UTF-8, page data with a key that is not a string, or not UTF-8 */
	fixture f;
	fixture_init(&f);
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	hooks *h = open_content("summary", "return function() return '\\255' end", NULL, &d);
	CHECK(h && hooks_summary(h, "x", &f.cx, &out, &d) == -1);
	CHECK_DIAG(&d, "content/hooks/summary.lua:1: the summary is not valid UTF-8");
	hooks_free(h);
	value *page = page_value("region", NULL, "fi");
	value *v = NULL;
	h = open_content("p", "return function() return { [true] = 1 } end", NULL, &d);
	CHECK(h && hooks_page_data(h, "p", page, &f.cx, &v, &d) == -1 && !v);
	CHECK_DIAG(&d,
		"the returned table: '' has a key of type boolean; page data keys are strings");
	hooks_free(h);
	h = open_content("p", "return function() return { a = { s = '\\255' } } end", NULL, &d);
	CHECK(h && hooks_page_data(h, "p", page, &f.cx, &v, &d) == -1 && !v);
	CHECK_DIAG(&d, "the returned table: 'a.s' is not valid UTF-8");
	hooks_free(h);
	/* page hooks have no data files to read: avoin.read says so with nil */
	f.cx.read_file = NULL;
	h = open_content("p", "return function() local t, p = avoin.read('data/ktt.tsv') "
		"return { t = tostring(t), p = p } end", NULL, &d);
	CHECK(h && hooks_page_data(h, "p", page, &f.cx, &v, &d) == 0);
	CHECK_STR(value_map_str(v, "t"), "nil");
	CHECK_STR(value_map_str(v, "p"), "'data/ktt.tsv': no files can be read here");
	value_free(v);
	hooks_free(h);
	value_free(page);
	diag_release(&d);
	buf_release(&out);
	fixture_release(&f);
}

/* avoin.read gives files a record may name: a record (.md) or a hook file is nil, with why. */
static void read_refuses_records(void)
{
	fixture f;
	fixture_init(&f);
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	hooks *h = open_content("x", "return function(b) local t, p = avoin.read(b.text) "
		"return tostring(t ~= nil) .. ' ' .. p end", NULL, &d);
	CHECK(h && run_block(h, "x", "toinen.md", NULL, 1, &f.cx, &out, &d) == 0);
	CHECK_STR(out.ptr, "false 'toinen.md' does not exist at this revision (looked for "
		"'pohjois-karjala/poytakirjat/toinen.md' and 'pohjois-karjala/toinen.md')");
	buf_reset(&out);
	CHECK(h && run_block(h, "x", "/hooks/x.lua", NULL, 1, &f.cx, &out, &d) == 0);
	CHECK_STR(out.ptr, "false '/hooks/x.lua' is one of the site's own files (site.yaml, "
		"hooks, templates, hidden files), which are not published");
	buf_reset(&out);
	CHECK(h && run_block(h, "x", "../../../x.tsv", NULL, 1, &f.cx, &out, &d) == 0);
	CHECK_STR(out.ptr, "false '../../../x.tsv' leaves the content folder");
	buf_reset(&out);
	CHECK(h && run_block(h, "x", "data/ktt.tsv", NULL, 1, &f.cx, &out, &d) == 0);
	CHECK_STR(out.ptr, "true pohjois-karjala/data/ktt.tsv");
	buf_reset(&out);
	CHECK(h && run_block(h, "x", "/toinen/data/ktt.tsv", NULL, 1, &f.cx, &out, &d) == 0);
	CHECK_STR(out.ptr, "true toinen/data/ktt.tsv");
	CHECK(d.n == 0);
	hooks_free(h);
	diag_release(&d);
	buf_release(&out);
	fixture_release(&f);
}

/* ---- helpers for hook authors ---------------------------------------------------- */

/* avoin.where over shared data goes through an index: same results as a scan, fresh tables. */
static void where_index_matches_a_scan(void)
{
	value *smodel = value_map(0);
	value *recs = value_list(0);
	for (int i = 0; i < 50; i++) {
		value *r = value_map(0);
		value_map_set_str(r, "region", i % 3 == 0 ? "a" : (i % 3 == 1 ? "b" : "c"));
		value_map_set_num(r, "n", (double)(i % 4));
		value_map_set_bool(r, "flag", i % 5 == 0);
		if (i % 7)
			value_map_set_str(r, "maybe", "x");
		value_map_set_num(r, "i", (double)i);
		value_list_push(recs, r);
	}
	value_map_set(smodel, "records", recs);
	fixture f;
	fixture_init(&f);
	f.cx.site = smodel;
	const char *code =
		"local function scan(l, k, v) local o = {} for _, x in ipairs(l) do "
		"if x[k] == v then o[#o + 1] = x end end return o end\n"
		"local function ids(l) local o = {} for _, x in ipairs(l) do o[#o + 1] = x.i end "
		"return table.concat(o, ',') end\n"
		"return function(record, site)\n"
		"  local out = {}\n"
		"  for _, q in ipairs({ {'region', 'a'}, {'region', 'c'}, {'region', 'z'}, {'n', 2}, "
		"{'n', 2.0}, {'flag', true}, {'flag', false}, {'maybe', 'x'}, {'nokey', 1} }) do\n"
		"    local w = avoin.where(site.records, q[1], q[2])\n"
		"    if ids(w) ~= ids(scan(site.records, q[1], q[2])) then return 'ero ' .. q[1] end\n"
		"    out[#out + 1] = #w\n"
		"    w[1] = 'muutettu'\n"
		"  end\n"
		"  if ids(avoin.where(site.records, 'region', 'a')) ~= ids(scan(site.records, 'region', 'a')) "
		"then return 'jaettu' end\n"
		"  return table.concat(out, ' ')\n"
		"end\n";
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	hooks *h = open_content("summary", code, NULL, &d);
	CHECK(h && hooks_summary(h, "x", &f.cx, &out, &d) == 1);
	dump_diags(&d);
	/* a: 17, c: 16, z: 0, n=2: 12 (twice), flag: 10 and 40, maybe: 42, a missing key: 0 */
	CHECK_STR(out.ptr, "17 16 0 12 12 10 40 42 0");
	/* a second call uses the index built by the first */
	buf_reset(&out);
	CHECK(h && hooks_summary(h, "x", &f.cx, &out, &d) == 1);
	CHECK_STR(out.ptr, "17 16 0 12 12 10 40 42 0");
	hooks_free(h);
	buf_release(&out);
	diag_release(&d);
	f.cx.site = f.smodel;
	fixture_release(&f);
	value_free(smodel);
}

/* hooks_site_reads counts the calls that read the site model, and only those. */
static void reads_of_the_site_model_are_counted(void)
{
	static const struct {
		const char *code;
		int reads;
	} cases[] = {
		{ "return function(r, site) return r.title end", 0 },
		{ "return function(r, site) local s = site; return type(s) end", 0 },
		{ "return function(r, site) return site.title end", 1 },
		{ "return function(r, site) return tostring(#site) end", 1 },
		{ "return function(r, site) for k in pairs(site) do return k end end", 1 },
		{ "return function(r, site) local x = site.records; return r.title end", 1 },
		{ "return function(r, site) return r.lang or site.title end", 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		fixture f;
		fixture_init(&f);
		diag_list d = DIAG_LIST_INIT;
		buf out = BUF_INIT;
		hooks *h = open_content("summary", cases[i].code, NULL, &d);
		CHECK(h != NULL);
		unsigned long before = hooks_site_reads(h);
		CHECK(h && hooks_summary(h, "x", &f.cx, &out, &d) >= 0);
		CHECK(hooks_site_reads(h) - before == (unsigned long)cases[i].reads);
		/* a second call starts afresh */
		CHECK(h && hooks_summary(h, "x", &f.cx, &out, &d) >= 0);
		CHECK(hooks_site_reads(h) - before == 2 * (unsigned long)cases[i].reads);
		dump_diags(&d);
		hooks_free(h);
		buf_release(&out);
		diag_release(&d);
		fixture_release(&f);
	}
	CHECK(hooks_site_reads(NULL) == 0);
}

static void helpers_format_and_parse(void)
{
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	CHECK(run_snippet("local f = avoin.format_number\nreturn function() return table.concat({\n"
		"f(1234.5, 1, 'fi'), f(1234567, 0), f(-1234.25, 2, 'sv'), f(1234.5, 1, 'en'), "
		"f(-0.04, 1),\nf(0.1 + 0.2), f(12), f(999.96, 1), f(-5, nil, 'en'),\n"
		"avoin.format_date('2023-11-20', 'fi'), avoin.format_date('2024-02-01', 'sv'),\n"
		"avoin.format_date('2023-11-20', 'en'), avoin.escape([[<a href=\"x\">'&']])}, '|') "
		"end",
		NULL, &out, &d) == 0);
	CHECK_STR(out.ptr,
		"1" NBSP "234,5|1" NBSP "234" NBSP "567|" MINUS "1" NBSP "234,25|1,234.5|0,0|0,3|12"
		"|1" NBSP "000,0|-5|20.11.2023|1.2.2024|20 November 2023|&lt;a "
		"href=&quot;x&quot;&gt;&#39;&amp;&#39;");
	diag_release(&d);
	buf_reset(&out);
	CHECK(run_snippet("local p = avoin.parse_number\nreturn function() local t = {}\n"
		"for _, s in ipairs({ '1 234,5', '1" NBSP "234', '−7', '-3.25', '+12', ' 42 ', "
		"'0,05', '12,', 'abc', '1.2.3', '1e5', '', '1,234.5' }) do\n"
		"  local v, dec = p(s) t[#t + 1] = v and (tostring(v) .. '/' .. dec) or 'nil' end\n"
		"return table.concat(t, ' ') end", NULL, &out, &d) == 0);
	CHECK_STR(out.ptr, "1234.5/1 1234/0 -7/0 -3.25/2 12/0 42/0 0.05/2 nil nil nil nil nil nil");
	diag_release(&d);
	/* the hand-written fast paths agree with printf's rounding, ties included */
	buf_reset(&out);
	CHECK(run_snippet("local f = avoin.format_number\nreturn function() return table.concat({\n"
		"f(0.125, 2), f(2.675, 2), f(0.1, 1), f(-0.1, 3), f(1e20, 0), f(-0.0, 0), f(7, 3), "
		"f(123456789012, 2), f(4503599627370497, 0) }, '|') end", NULL, &out, &d) == 0);
	CHECK_STR(out.ptr, "0,12|2,67|0,1|" MINUS "0,100|100" NBSP "000" NBSP "000" NBSP "000"
		NBSP "000" NBSP "000" NBSP "000|0|7,000|123" NBSP "456" NBSP "789" NBSP "012,00|4"
		NBSP "503" NBSP "599" NBSP "627" NBSP "370" NBSP "497");
	diag_release(&d);
	/* svg points rounded to tenths as Lua's tostring of the rounded number writes them;
	 * element attributes likewise */
	buf_reset(&out);
	CHECK(run_snippet("return function() return avoin.el('svg', nil, avoin.el('polyline', "
		"{ points = avoin.points({ 1, 2.04, 3.25, -0.06, 1e6 + 0.45, -12.95 }), x = 92.3, "
		"y = -0.5, width = 1 / 3, height = -0.0 })) end", NULL, &out, &d) == 0);
	CHECK_STR(out.ptr, "<svg><polyline height=\"0\" points=\"1,2 3.3,-0.1 1000000.5,-12.9\" "
		"width=\"0.33333333333333\" x=\"92.3\" y=\"-0.5\"></polyline></svg>");
	diag_release(&d);
	CHECK(run_snippet("return function() return avoin.points({ 1, 2, 3 }) end", NULL,
		&out, &d) == -1);
	CHECK_DIAG(&d, "points: expected x and y pairs (got 3 numbers)");
	diag_release(&d);
	CHECK(run_snippet("return function() return avoin.points({ 1, 0/0 }) end", NULL,
		&out, &d) == -1);
	CHECK_DIAG(&d, "points: item 2 is not a finite number below 10^12");
	diag_release(&d);
	CHECK(run_snippet("return function() return avoin.format_date('20.11.2023') end", NULL,
		&out, &d) == -1);
	CHECK_DIAG(&d, "format_date: '20.11.2023' is not a date (expected YYYY-MM-DD)");
	diag_release(&d);
	buf_release(&out);
}

static void output_is_deterministic(void)
{
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	/* pairs walks keys in a fixed order, tostring shows no addresses, sort is stable. */
	CHECK(run_snippet("return function(b, r, site)\n"
		"  local t = { zeta = 1, alpha = 2, [3] = 'c', [1] = 'a', mid = 3, [true] = 0 }\n"
		"  local keys = {}\n  for k in pairs(t) do keys[#keys + 1] = tostring(k) end\n"
		"  for k in pairs(site.regions[1]) do keys[#keys + 1] = k end\n  local items = {}\n"
		"  for i = 1, 300 do items[i] = { k = i % 3, i = i } end\n"
		"  table.sort(items, function(a, b) return a.k < b.k end)\n  local stable = true\n"
		"  for i = 2, 300 do if items[i - 1].k == items[i].k and items[i - 1].i > "
		"items[i].i then stable = false end end\n"
		"  return table.concat(keys, ',') .. '|' .. tostring({}) .. '|' .. tostring(print) "
		".. '|' ..\n    string.format('%s %s', {}, 1) .. '|' .. tostring(stable)\n"
		"end", NULL, &out, &d) == 0);
	CHECK_STR(out.ptr,
		"1,3,alpha,mid,zeta,true,areas,municipalities,slug,title,url|table|nil|table "
		"1|true");
	diag_release(&d);
	CHECK(run_snippet("return function() return string.format('%p', {}) end", NULL, &out,
		&d) == -1);
	CHECK_DIAG(&d, "'%p' is not available in hooks");
	diag_release(&d);
	CHECK(run_snippet("return function() for k in pairs({ [{}] = 1 }) do end end", NULL, &out,
		&d) == -1);
	CHECK_DIAG(&d, "keys of type 'table' have no fixed order");
	diag_release(&d);
	CHECK(run_snippet("return function() setmetatable({}, { __gc = function() end }) end", NULL,
		&out, &d) == -1);
	CHECK_DIAG(&d, "'__gc' is not available in hooks");
	diag_release(&d);
	CHECK(run_snippet("return function() setmetatable({}, { __mode = 'k' }) end", NULL, &out,
		&d) == -1);
	CHECK_DIAG(&d, "'__mode' is not available in hooks");
	diag_release(&d);
	buf_release(&out);
}

/* ---- the indicator hook --------------------------------------------------------- */

static int indicator(const char *text, const char *const *kv, buf *out, diag_list *d)
{
	fixture f;
	fixture_init(&f);
	hooks *h = open_theme(NULL, 0, d);
	int r = -2;
	if (h) {
		r = run_block(h, "indicator", text, kv, 7, &f.cx, out, d);
		hooks_free(h);
	}
	fixture_release(&f);
	return r;
}

/* The table of 002 (wellbeing board 12.10.2023) as in the example content. */
static const char seed_table[] =
	"Alue\t1/2023\t3/2023\t5/2023\t7/2023\t8/2023\nKeskinen\t55\t80\t97\t107\t123\n"
	"Läntinen\t62\t64\t62\t61\t59\nEteläinen\t0\t7\t7\t6\t8\nPohjoinen\t7\t7\t12\t9\t21\n"
	"osto\t0\t0\t19\t45\t62\n";

static void indicator_renders_the_seed_table(void)
{
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	static const char *const kv[] = { "title", "Kuntouttava työtoiminta, asiakkaat", "unit",
		"asiakasta", NULL };
	CHECK(indicator(seed_table, kv, &out, &d) == 0);
	CHECK(d.n == 0);
	const char *o = out.ptr;
	CHECK_CONTAINS(o,
		"<figure class=\"indicator\"><section aria-label=\"Kuntouttava työtoiminta, "
		"asiakkaat\" class=\"indicator-scroll\" tabindex=\"0\"><table "
		"class=\"indicator-table\"><caption>Kuntouttava työtoiminta, asiakkaat <span "
		"class=\"indicator-unit\">(asiakasta)</span></caption>");
	CHECK_CONTAINS(o,
		"<thead><tr><th scope=\"col\">Alue</th><th class=\"num\" "
		"scope=\"col\">1/2023</th>");
	CHECK_CONTAINS(o,
		"<th class=\"num\" scope=\"col\">8/2023</th><th class=\"num\" "
		"scope=\"col\">Muutos</th>"
		"<th class=\"num\" scope=\"col\">Muutos, %</th></tr></thead>");
	/* numbers right-aligned (class num), change absolute and in per cent */
	CHECK_CONTAINS(o,
		"<tr><th scope=\"row\">Keskinen</th><td class=\"num\">55</td><td "
		"class=\"num\">80</td>"
		"<td class=\"num\">97</td><td class=\"num\">107</td><td class=\"num\">123</td><td "
		"class=\"num\">+68</td><td class=\"num\">+123,6</td></tr>");
	CHECK_CONTAINS(o,
		"<th scope=\"row\">Läntinen</th><td class=\"num\">62</td><td class=\"num\">64</td>"
		"<td class=\"num\">62</td><td class=\"num\">61</td><td class=\"num\">59</td><td "
		"class=\"num\">" MINUS "3</td><td class=\"num\">" MINUS "4,8</td>");
	/* from 0 the change in per cent is missing, said in words */
	CHECK_CONTAINS(o,
		"<td class=\"num\">+8</td><td class=\"num missing\"><span "
		"aria-hidden=\"true\">–</span>"
		"<span class=\"visually-hidden\">ei tietoa</span></td>");
	/* a totals row over time (no totals column: the columns are months) */
	CHECK_CONTAINS(o,
		"<tfoot><tr><th scope=\"row\">Yhteensä</th><td class=\"num\">124</td><td "
		"class=\"num\">158</td>"
		"<td class=\"num\">197</td><td class=\"num\">228</td><td class=\"num\">273</td><td "
		"class=\"num\">+149</td><td class=\"num\">+120,2</td></tr></tfoot>");
	/* a line chart with a title and a description */
	CHECK_CONTAINS(o,
		"<svg aria-labelledby=\"indicator-7-title indicator-7-desc\" "
		"class=\"indicator-chart\" "
		"focusable=\"false\" height=\"376\" role=\"img\" viewBox=\"0 0 640 376\" "
		"width=\"640\"><title id=\"indicator-7-title\">Kuntouttava työtoiminta, asiakkaat "
		"(asiakasta)</title>"
		"<desc id=\"indicator-7-desc\">Viivakaavio: Kuntouttava työtoiminta, asiakkaat "
		"(asiakasta), 1/2023–8/2023. Keskinen: 55 → 123. Läntinen: 62 → 59.");
	CHECK_CONTAINS(o, "Luvut ovat myös taulukossa.</desc>");
	CHECK_CONTAINS(o,
		"<polyline fill=\"none\" points=\"92,139.2 218,95.2 344,65.3 470,47.7 596,19.5\" "
		"stroke=\"#0b2545\" stroke-linejoin=\"round\" stroke-width=\"2.5\"></polyline>");
	CHECK_NOT_CONTAINS(o, "<polyline points");
	buf_reset(&out);

	/* The same with the document's own totals row: kept, in the footer, nothing added. */
	buf t = BUF_INIT;
	buf_puts(&t, seed_table);
	buf_puts(&t, "yhteensä\t124\t158\t197\t228\t273\n");
	CHECK(indicator(t.ptr, kv, &out, &d) == 0);
	CHECK_CONTAINS(out.ptr,
		"<tfoot><tr><th scope=\"row\">yhteensä</th><td class=\"num\">124</td>");
	CHECK_NOT_CONTAINS(out.ptr, "Yhteensä");
	CHECK_NOT_CONTAINS(out.ptr, "<desc id=\"indicator-7-desc\">yhteensä");
	buf_release(&t);
	diag_release(&d);
	buf_release(&out);
}

static void indicator_reads_messy_pasted_data(void)
{
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	/* semicolons, decimal commas, thousands spaces, blanks, a quoted label, CRLF, a
	 * trailing ';' */
	static const char messy[] =
		"\r\nAlue;2021;2022;2023\r\nKeskinen;1 234,5;1 300,25;\r\nLäntinen;10,5;;12;\r\n"
		"\"Etelä; osa\";1;2;-\r\n\r\n";
	static const char *const kv[] = { "title", "Käynnit", "unit", "käyntiä", NULL };
	CHECK(indicator(messy, kv, &out, &d) == 0);
	CHECK(d.n == 0);
	dump_diags(&d);
	const char *o = out.ptr;
	CHECK_CONTAINS(o,
		"<tr><th scope=\"row\">Keskinen</th><td class=\"num\">1" NBSP "234,50</td>"
		"<td class=\"num\">1" NBSP "300,25</td><td class=\"num missing\">");
	CHECK_CONTAINS(o,
		"<th scope=\"row\">Läntinen</th><td class=\"num\">10,50</td><td class=\"num "
		"missing\"><span aria-hidden=\"true\">–</span><span class=\"visually-hidden\">ei "
		"tietoa</span></td><td class=\"num\">12,00</td>"
		"<td class=\"num\">+1,50</td><td class=\"num\">+14,3</td>");
	CHECK_CONTAINS(o, "<th scope=\"row\">Etelä; osa</th><td class=\"num\">1,00</td>");
	/* totals leave blanks out, as SUM does */
	CHECK_CONTAINS(o,
		"<tfoot><tr><th scope=\"row\">Yhteensä</th><td class=\"num\">1" NBSP "246,00</td>"
		"<td class=\"num\">1" NBSP "302,25</td><td class=\"num\">12,00</td><td class=\"num "
		"missing\">");
	/* ... but the change of the totals is not given: they do not sum the same rows */
	CHECK_NOT_CONTAINS(o, MINUS "1" NBSP "234,00");
	/* the missing point breaks the line: Läntinen is drawn only as markers */
	CHECK_CONTAINS(o, "Läntinen: 10,50 → 12,00.");
	diag_release(&d);
	buf_reset(&out);

	/* Categories, not time: bars and a totals column; a unit in % is not added up. */
	static const char cats[] = "Ikäryhmä,Miehet,Naiset\n0-17,10,12\n18-64,20,25\n";
	static const char *const kv2[] = { "title", "Osallistujat", "unit", "henkilöä", NULL };
	CHECK(indicator(cats, kv2, &out, &d) == 0);
	CHECK_CONTAINS(out.ptr,
		"<th class=\"num\" scope=\"col\">Naiset</th><th class=\"num\" "
		"scope=\"col\">Yhteensä</th></tr>");
	CHECK_CONTAINS(out.ptr,
		"<th scope=\"row\">0-17</th><td class=\"num\">10</td><td class=\"num\">12</td><td "
		"class=\"num\">22</td>");
	CHECK_CONTAINS(out.ptr,
		"<th scope=\"row\">Yhteensä</th><td class=\"num\">30</td><td "
		"class=\"num\">37</td><td class=\"num\">67</td>");
	CHECK_CONTAINS(out.ptr,
		"<desc id=\"indicator-7-desc\">Pylväskaavio: Osallistujat (henkilöä). 0-17: Miehet "
		"10, Naiset 12.");
	CHECK_CONTAINS(out.ptr, "<rect fill=\"#0b2545\"");
	CHECK_NOT_CONTAINS(out.ptr, "Muutos");
	buf_reset(&out);
	static const char *const kv3[] = { "title", "Osuus", "unit", "%", NULL };
	CHECK(indicator(cats, kv3, &out, &d) == 0);
	CHECK_NOT_CONTAINS(out.ptr, "Yhteensä");
	buf_reset(&out);
	static const char *const kv4[] = { "title", "Ei yksikköä", "chart", "none", NULL };
	CHECK(indicator(cats, kv4, &out, &d) == 0);
	CHECK_NOT_CONTAINS(out.ptr, "Yhteensä");
	CHECK_NOT_CONTAINS(out.ptr, "<svg");
	CHECK(d.n == 0);
	diag_release(&d);
	buf_release(&out);
}

static void indicator_reports_malformed_data(void)
{
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	CHECK(indicator("Alue\t2022\t2023\nKeskinen\t1\t2\nLäntinen\t3\n", NULL, &out, &d) == -1);
	CHECK_DIAG(&d,
		"content/pohjois-karjala/poytakirjat/2023-10-12-lautakunta.md:7: hook 'indicator': "
		"row 3 ('Läntinen') has 2 cells, expected 3 as in the header");
	diag_release(&d);
	CHECK(indicator("Alue\t2022\t2023\nKeskinen\t1\tabc\n", NULL, &out, &d) == -1);
	CHECK_DIAG(&d,
		"lautakunta.md:7: hook 'indicator': row 2 ('Keskinen'), column '2023': 'abc' is "
		"not a number");
	diag_release(&d);
	CHECK(indicator("Alue\t2022\nKeskinen\t1\t2\t3\n", NULL, &out, &d) == -1);
	CHECK_DIAG(&d, "row 2 ('Keskinen') has 4 cells, expected 2 as in the header");
	diag_release(&d);
	CHECK(indicator("just one column\nno separators\n", NULL, &out, &d) == -1);
	CHECK_DIAG(&d, "the header row has one column");
	diag_release(&d);
	CHECK(indicator("Alue;2022\n", NULL, &out, &d) == -1);
	CHECK_DIAG(&d, "there is a header but no rows of figures");
	diag_release(&d);
	CHECK(indicator("  \n", NULL, &out, &d) == -1);
	CHECK_DIAG(&d, "no data: expected a header row");
	diag_release(&d);
	CHECK(indicator("Alue,2022\n\"Keskinen,1\n", NULL, &out, &d) == -1);
	CHECK_DIAG(&d, "row 2: a quoted cell is not closed");
	diag_release(&d);
	static const char *const kv[] = { "chart", "pie", NULL };
	CHECK(indicator("Alue\t2022\nA\t1\n", kv, &out, &d) == -1);
	CHECK_DIAG(&d, "chart must be line, bar or none (got 'pie')");
	diag_release(&d);
	CHECK(out.len == 0);
	buf_release(&out);
}

static void indicator_reads_src_files_of_the_region(void)
{
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	static const char *const kv[] = { "title", "Tiedostosta", "unit", "asiakasta", "src",
		"../data/ktt.tsv", NULL };
	CHECK(indicator("", kv, &out, &d) == 0);
	CHECK_CONTAINS(out.ptr,
		"<th scope=\"row\">Pohjoinen</th><td class=\"num\">5</td><td class=\"num\">4</td>");
	CHECK_CONTAINS(out.ptr,
		"<th scope=\"row\">Yhteensä</th><td class=\"num\">15</td><td "
		"class=\"num\">16</td>");
	diag_release(&d);
	/* relative to the region's folder too */
	static const char *const kv2[] = { "src", "data/ktt.tsv", NULL };
	buf_reset(&out);
	CHECK(indicator("", kv2, &out, &d) == 0);
	CHECK_CONTAINS(out.ptr, "Pohjoinen");
	diag_release(&d);
	static const char *const kv3[] = { "src", "data/nope.tsv", NULL };
	CHECK(indicator("", kv3, &out, &d) == -1);
	CHECK_DIAG(&d,
		"hook 'indicator': src: 'data/nope.tsv' does not exist at this revision (looked for "
		"'pohjois-karjala/poytakirjat/data/nope.tsv' and 'pohjois-karjala/data/nope.tsv')");
	diag_release(&d);
	/* never outside the content folder */
	static const char *const kv4[] = { "src", "../../../ktt.tsv", NULL };
	CHECK(indicator("", kv4, &out, &d) == -1);
	CHECK_DIAG(&d, "src: '../../../ktt.tsv' leaves the content folder");
	diag_release(&d);
	CHECK(indicator("A\t1\nB\t2\n", kv, &out, &d) == -1);
	CHECK_DIAG(&d, "either in the block or in src=, not both");
	diag_release(&d);
	buf_release(&out);
}

/* CIE L* of "#rrggbb". */
static double lightness(const char *hex)
{
	double c[3];
	for (int i = 0; i < 3; i++) {
		char part[3] = { hex[1 + 2 * i], hex[2 + 2 * i], 0 };
		double v = strtol(part, NULL, 16) / 255.0;
		c[i] = v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
	}
	double y = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
	return y > 0.008856 ? 116 * cbrt(y) - 16 : 903.3 * y;
}

static void indicator_colours_differ_in_grey_scale(void)
{
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	static const char data[] = "Alue\t2020\t2021\t2022\nA\t1\t2\t3\nB\t2\t3\t4\nC\t3\t4\t5\nD\t"
		"4\t5\t6\n";
	CHECK(indicator(data, NULL, &out, &d) == 0);
	/* the stroke colour of each series' line */
	char colours[4][8];
	int n = 0;
	for (const char *p = out.ptr; n < 4 && (p = strstr(p, "<polyline ")) != NULL; p++) {
		const char *s = strstr(p, "stroke=\"#");
		CHECK(s != NULL);
		if (!s)
			break;
		memcpy(colours[n], s + 8, 7);
		colours[n++][7] = '\0';
	}
	CHECK(n == 4);
	for (int i = 0; i < n; i++) {
		for (int j = i + 1; j < n; j++) {
			double diff = fabs(lightness(colours[i]) - lightness(colours[j]));
			if (diff < 12)
				printf("    %s and %s differ by L* %.1f\n", colours[i], colours[j],
					diff);
			CHECK(diff >= 12);
		}
		/* and each keeps 3:1 contrast against white: L* at most about 62 */
		CHECK(lightness(colours[i]) < 62);
	}
	/* lines differ also in dash pattern and marker shape */
	CHECK_CONTAINS(out.ptr, "stroke-dasharray=\"7 4\"");
	CHECK_CONTAINS(out.ptr, "<rect fill=\"#8c2d04\" height=\"7\"");
	CHECK_CONTAINS(out.ptr, "<polygon fill=\"#117a65\" points=");
	diag_release(&d);
	buf_release(&out);
}

/* ---- summary ------------------------------------------------------------------------ */

static void summary_is_the_first_paragraph(void)
{
	fixture f;
	fixture_init(&f);
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	hooks *h = open_theme(NULL, 0, &d);
	CHECK(h != NULL);
	if (h) {
		CHECK(hooks_summary(h,
			"# Otsikko\n\n```indicator\nA\t1\n```\n\n- lista\n\nEnsimmäinen "
			"[kappale](../x.md) "
			"jossa on **lihavoitua**\nja `koodia`.\n\nToinen kappale.\n", &f.cx, &out,
			&d) == 1);
		CHECK_STR(out.ptr, "Ensimmäinen kappale jossa on lihavoitua ja koodia.");
		buf_reset(&out);
		buf body = BUF_INIT;
		for (int i = 0; i < 60; i++)
			buf_puts(&body, "sanaöö ");
		CHECK(hooks_summary(h, body.ptr, &f.cx, &out, &d) == 1);
		CHECK(str_has_suffix(out.ptr, "sanaöö…"));
		CHECK(strlen(out.ptr) <= 200 * 2 + 3);
		buf_reset(&out);
		CHECK(hooks_summary(h,
			"Otsikko\n=======\n\n> lainaus\n\n*Kappale*, jossa on &amp; ja\n"
			"<https://x.fi/>.\n", &f.cx, &out, &d) == 1);
		CHECK_STR(out.ptr, "Kappale, jossa on & ja https://x.fi/.");
		buf_reset(&out);
		CHECK(hooks_summary(h, "# Vain otsikko\n", &f.cx, &out, &d) == 0);
		CHECK(out.len == 0);
		/* Windows and old Mac line endings */
		CHECK(hooks_summary(h, "Rivi\r\njatkuu\r\n\r\nToinen\r\n", &f.cx, &out, &d) == 1);
		CHECK_STR(out.ptr, "Rivi jatkuu");
		buf_reset(&out);
		CHECK(hooks_summary(h, "Yksi\rkaksi\r\rkolme", &f.cx, &out, &d) == 1);
		CHECK_STR(out.ptr, "Yksi kaksi");
		buf_reset(&out);
		CHECK(hooks_summary(h, "__Lihava__ ja _kursiivi_ sekä \\#1 ja ![kuva](k.png) "
			"ja [viite][r] ja a_b_c.", &f.cx, &out, &d) == 1);
		CHECK_STR(out.ptr, "Lihava ja kursiivi sekä #1 ja kuva ja viite ja a_b_c.");
		buf_reset(&out);
		CHECK(hooks_summary(h, "Viimeinen rivi ilman rivinvaihtoa", &f.cx, &out, &d) == 1);
		CHECK_STR(out.ptr, "Viimeinen rivi ilman rivinvaihtoa");
		buf_reset(&out);
		buf_release(&body);
		hooks_free(h);
	}
	CHECK(d.n == 0);
	/* no summary hook: nothing, no error */
	h = open_content("x", "return function() return 'x' end", NULL, &d);
	CHECK(h && hooks_summary(h, "text", &f.cx, &out, &d) == 0);
	hooks_free(h);
	/* a summary hook that returns a table is an error */
	h = open_content("summary", "return function() return {} end", NULL, &d);
	CHECK(h && hooks_summary(h, "text", &f.cx, &out, &d) == -1);
	CHECK_DIAG(&d,
		"hook 'summary' failed: content/hooks/summary.lua:1: the hook returned a table, "
		"expected a string or nil");
	hooks_free(h);
	diag_release(&d);
	buf_release(&out);
	fixture_release(&f);
}

/* ---- obligations -------------------------------------------------------------------- */

/* A cell of table tbl (0: statutory, 1: the region's cooperation structure). */
static const char *cell_of(const value *data, size_t tbl, size_t row, size_t col, const char *key)
{
	value *t = value_at(value_map_get(data, "tables"), tbl);
	value *r = value_at(value_map_get(t, "rows"), row);
	value *c = value_at(value_map_get(r, "cells"), col);
	value *v = value_map_get(c, key);
	static char tmp[16];
	if (v && v->kind == VAL_BOOL) {
		snprintf(tmp, sizeof tmp, "%s", v->u.boolean ? "true" : "false");
		return tmp;
	}
	return v && v->kind == VAL_STRING ? v->u.str.ptr : NULL;
}

static const char *table_str(const value *data, size_t tbl, const char *key)
{
	return value_map_str(value_at(value_map_get(data, "tables"), tbl), key);
}

/* Build date 2025-11-20: rows joensuu (0), juuka (1), outokumpu (2). */
static void check_region_2025(const value *data)
{
	CHECK_STR(table_str(data, 0, "caption"), "Kuntien lakisääteiset velvoitteet, tilanne 20.11.2025");
	CHECK_STR(value_map_str(data, "term"), "2025–2029");
	value *cols = value_map_get(value_at(value_map_get(data, "tables"), 0), "columns");
	CHECK(value_len(cols) == 3);
	CHECK_STR(value_map_str(value_at(cols, 0), "label"), "Hyte-neuvottelu vuonna 2025");
	CHECK_STR(value_map_str(value_at(cols, 0), "law"), "612/2021 7 § 4 mom.");
	CHECK_STR(value_map_str(value_at(cols, 2), "law"), "612/2021 6 §");
	CHECK(value_len(value_map_get(data, "rules")) == 4);
	/* hyte: held this year; set for December (a draft does not count); last year only */
	CHECK_STR(cell_of(data, 0, 0, 0, "state"), "ok");
	CHECK_STR(cell_of(data, 0, 0, 0, "symbol"), "✓");
	CHECK_STR(cell_of(data, 0, 0, 0, "status"), "Kunnossa");
	CHECK_STR(cell_of(data, 0, 0, 0, "text"), "neuvottelu käyty 10.3.2025");
	CHECK_STR(cell_of(data, 0, 0, 0, "href"), "pohjois-karjala/neuvottelut/2025-03-10-hyte/");
	CHECK_STR(cell_of(data, 0, 0, 0, "note"), "false");
	CHECK_STR(cell_of(data, 0, 1, 0, "state"), "preparing");
	CHECK_STR(cell_of(data, 0, 1, 0, "status"), "Valmisteilla");
	CHECK_STR(cell_of(data, 0, 1, 0, "text"), "neuvottelu sovittu 1.12.2025");
	CHECK_STR(cell_of(data, 0, 2, 0, "state"), "missing");
	CHECK_STR(cell_of(data, 0, 2, 0, "symbol"), "✗");
	CHECK_STR(cell_of(data, 0, 2, 0, "text"), "ei neuvottelua vuonna 2025; edellinen 12.10.2024");
	CHECK_STR(cell_of(data, 0, 2, 0, "href"), "pohjois-karjala/neuvottelut/2024-10-12-hyte/");
	/* cooperation: the agreement in force names Joensuu; a negotiation of the last term
	 * does not count */
	CHECK_STR(cell_of(data, 0, 0, 1, "state"), "ok");
	CHECK_STR(cell_of(data, 0, 0, 1, "text"), "sopimus allekirjoitettu 1.9.2025");
	CHECK_STR(cell_of(data, 0, 0, 1, "href"), "pohjois-karjala/sopimukset/2025-puitesopimus/");
	CHECK_STR(cell_of(data, 0, 2, 1, "state"), "missing");
	CHECK_STR(cell_of(data, 0, 2, 1, "text"), "ei neuvottelua eikä voimassa olevaa sopimusta "
		"valtuustokauden alun 1.6.2025 jälkeen");
	CHECK_STR(cell_of(data, 0, 2, 1, "href"), "false");
	/* report: the municipality's own, approved or not; the region's does not count */
	CHECK_STR(cell_of(data, 0, 0, 2, "state"), "ok");
	CHECK_STR(cell_of(data, 0, 0, 2, "text"),
		"Joensuun hyvinvointisuunnitelma, valtuusto hyväksyi 1.10.2025");
	CHECK_STR(cell_of(data, 0, 2, 2, "state"), "preparing");
	CHECK_STR(cell_of(data, 0, 2, 2, "text"), "Outokummun hyvinvointikertomus, ei vielä hyväksytty");
	CHECK_STR(cell_of(data, 0, 1, 2, "state"), "missing");
	CHECK_STR(cell_of(data, 0, 1, 2, "note"),
		"alueen oma kertomus ei täytä kunnan velvoitetta");
	CHECK_STR(cell_of(data, 0, 1, 2, "href"),
		"pohjois-karjala/raportit/hyte-suunnitelma-2025-2028/");
	/* partnership, in its own table: by name, by slug; an area without a group */
	CHECK_STR(table_str(data, 1, "heading"), "Alueen yhteistyörakenne");
	CHECK_STR(cell_of(data, 1, 0, 0, "state"), "ok");
	CHECK_STR(cell_of(data, 1, 0, 0, "href"), "pohjois-karjala/kumppanuus/keskinen/");
	CHECK_STR(cell_of(data, 1, 2, 0, "state"), "ok");
	CHECK_STR(cell_of(data, 1, 1, 0, "state"), "missing");
	CHECK_STR(cell_of(data, 1, 1, 0, "text"), "alueella Pohjoinen ei ole kumppanuuspöytää");
}

static void obligations_status_per_municipality(void)
{
	fixture f;
	fixture_init(&f);
	diag_list d = DIAG_LIST_INIT;
	hooks *h = open_theme(NULL, 0, &d);
	CHECK(h != NULL);
	if (!h) {
		fixture_release(&f);
		return;
	}
	value *page = page_value("region", NULL, "fi");
	value *data = NULL;
	CHECK(hooks_page_data(h, "obligations", page, &f.cx, &data, &d) == 0);
	CHECK(data && data->kind == VAL_MAP);
	if (data) {
		/* rows in the region's order: joensuu, juuka, outokumpu */
		value *rows = value_map_get(value_at(value_map_get(data, "tables"), 0), "rows");
		CHECK_STR(value_map_str(value_at(rows, 0), "name"), "Joensuu");
		CHECK_STR(value_map_str(value_at(rows, 0), "href"), "pohjois-karjala/kunnat/joensuu/");
		check_region_2025(data);
	}
	value_free(data);
	value_free(page);

	/* The same as lists on a municipality page, in Swedish. */
	page = page_value("municipality", "outokumpu", "sv");
	data = NULL;
	CHECK(hooks_page_data(h, "obligations", page, &f.cx, &data, &d) == 0);
	if (data) {
		value *items = value_map_get(value_at(value_map_get(data, "tables"), 0), "items");
		CHECK(value_len(items) == 3);
		CHECK_STR(value_map_str(data, "heading"), "Lagstadgade skyldigheter");
		CHECK_STR(value_map_str(value_at(items, 0), "label"), "Välfärdsförhandling år 2025");
		CHECK_STR(value_map_str(value_at(items, 0), "status"), "Saknas");
		CHECK_STR(value_map_str(value_at(items, 0), "text"),
			"ingen förhandling år 2025; den senaste 12.10.2024");
		CHECK_STR(value_map_str(value_at(items, 2), "status"), "Under beredning");
		value *other = value_map_get(value_at(value_map_get(data, "tables"), 1), "items");
		CHECK_STR(value_map_str(value_at(other, 0), "status"), "I ordning");
		CHECK(value_map_get(data, "root") == NULL && value_map_get(data, "hooks") == NULL);
	}
	value_free(data);
	value_free(page);

	/* A year later the 2025 negotiations are last year's. */
	value_free(f.smodel);
	f.cx.site = f.smodel = fixture_site("2026-01-15");
	page = page_value("region", NULL, "fi");
	data = NULL;
	CHECK(hooks_page_data(h, "obligations", page, &f.cx, &data, &d) == 0);
	if (data) {
		CHECK_STR(cell_of(data, 0, 0, 0, "state"), "missing");
		CHECK_STR(cell_of(data, 0, 0, 0, "text"), "ei neuvottelua vuonna 2026; edellinen 10.3.2025");
		CHECK_STR(cell_of(data, 0, 1, 0, "text"), "ei neuvottelua vuonna 2026; edellinen 1.12.2025");
		CHECK_STR(cell_of(data, 0, 0, 1, "state"), "ok");
	}
	value_free(data);
	/* Before June 2025 the term was 2021-2025: the 2024 cooperation negotiation counts,
	 * the agreement signed in September is not yet in force, and Joensuu's 2025-2028
	 * plan is not approved until October. */
	value_free(f.smodel);
	f.cx.site = f.smodel = fixture_site("2025-05-31");
	data = NULL;
	CHECK(hooks_page_data(h, "obligations", page, &f.cx, &data, &d) == 0);
	if (data) {
		CHECK_STR(value_map_str(data, "term"), "2021–2025");
		CHECK_STR(cell_of(data, 0, 2, 1, "state"), "ok");
		CHECK_STR(cell_of(data, 0, 2, 1, "text"), "neuvottelu käyty 20.5.2024");
		CHECK_STR(cell_of(data, 0, 0, 1, "state"), "missing");
		CHECK_STR(cell_of(data, 0, 0, 2, "state"), "preparing");  /* approved only in October */
	}
	value_free(data);
	value_free(page);
	/* front pages get nothing from this hook */
	page = page_value("front", NULL, "fi");
	data = NULL;
	CHECK(hooks_page_data(h, "obligations", page, &f.cx, &data, &d) == 0);
	CHECK(data == NULL);
	value_free(page);
	CHECK(d.n == 0);
	dump_diags(&d);
	hooks_free(h);
	diag_release(&d);
	fixture_release(&f);
}

/* The two partials with the hook's data, as the region and municipality pages include them. */
static int add_partial(tmpl_set *ts, const char *name, diag_list *d)
{
	char *path = xasprintf("%s/themes/default/templates/%s.mustache", top(), name);
	char *src = NULL;
	size_t len = 0;
	int r = read_file(path, &src, &len) == 0 ? tmpl_set_add(ts, name, src, len, path, d) : -1;
	free(src);
	free(path);
	return r;
}

static void obligations_partials_render(void)
{
	fixture f;
	fixture_init(&f);
	diag_list d = DIAG_LIST_INIT;
	hooks *h = open_theme(NULL, 0, &d);
	tmpl_set *ts = tmpl_set_new();
	CHECK(add_partial(ts, "obligations-region", &d) == 0);
	CHECK(add_partial(ts, "obligations-municipality", &d) == 0);
	CHECK(add_partial(ts, "obligations-rules", &d) == 0);
	static const char rg[] = "{{#hooks.obligations}}{{> "
		"obligations-region}}{{/hooks.obligations}}";
	static const char muni[] = "{{#hooks.obligations}}{{> "
		"obligations-municipality}}{{/hooks.obligations}}";
	CHECK(tmpl_set_add(ts, "region", rg, sizeof rg - 1, "region.mustache", &d) == 0);
	CHECK(tmpl_set_add(ts, "municipality", muni, sizeof muni - 1, "municipality.mustache",
		&d) == 0);
	const char *kinds[] = { "region", "municipality" };
	buf out = BUF_INIT;
	for (int i = 0; h && i < 2; i++) {
		value *pv = page_value(kinds[i], i ? "juuka" : NULL, "fi");
		value *data = NULL;
		CHECK(hooks_page_data(h, "obligations", pv, &f.cx, &data, &d) == 0);
		value *ctx = value_map(0);
		value_map_set_str(ctx, "root", "../../");
		value *hk = value_map(0);
		value_map_set(hk, "obligations", data);
		value_map_set(ctx, "hooks", hk);
		buf_reset(&out);
		CHECK(tmpl_render(ts, kinds[i], ctx, &out, &d) == 0);
		if (i == 0) {
			CHECK_CONTAINS(out.ptr, "<section class=\"obligations-scroll\" tabindex=\"0\" "
				"aria-labelledby=\"c-obligations\">\n<table class=\"obligations-table\">\n"
				"<caption id=\"c-obligations\">Kuntien lakisääteiset velvoitteet, tilanne "
				"20.11.2025</caption>");
			CHECK_CONTAINS(out.ptr,
				"<tr><th scope=\"col\">Kunta</th><th scope=\"col\">Hyte-neuvottelu "
				"vuonna 2025 <span class=\"obligation-law\">(612/2021 7 § 4 "
				"mom.)</span></th>");
			CHECK_CONTAINS(out.ptr, "<h3 id=\"h-cooperation-structure\">Alueen "
				"yhteistyörakenne</h3>");
			CHECK_CONTAINS(out.ptr,
				"<th scope=\"col\">Edustus alueen kumppanuuspöydässä</th>");
			CHECK_CONTAINS(out.ptr,
				"<tr><th scope=\"row\"><a "
				"href=\"../../pohjois-karjala/kunnat/joensuu/\">"
				"Joensuu</a></th><td class=\"obligation obligation-ok\" data-key=\"hyte\">"
				"<span class=\"obligation-symbol\" aria-hidden=\"true\">✓</span> <strong "
				"class=\"obligation-status\">Kunnossa</strong>: <a "
				"href=\"../../pohjois-karjala/neuvottelut/2025-03-10-hyte/\">neuvottelu "
				"käyty 10.3.2025</a></td>");
			/* missing evidence: said in words, no link (not the row's link either) */
			CHECK_CONTAINS(out.ptr,
				"<td class=\"obligation obligation-missing\" data-key=\"cooperation\">"
				"<span class=\"obligation-symbol\" aria-hidden=\"true\">✗</span> <strong "
				"class=\"obligation-status\">Puuttuu</strong>: ei neuvottelua eikä voimassa "
				"olevaa sopimusta valtuustokauden alun 1.6.2025 jälkeen</td>");
			/* the rules, with their legal basis */
			CHECK_CONTAINS(out.ptr, "<dt>Kunnan hyvinvointikertomus tai -suunnitelma "
				"valtuustokaudelle 2025–2029 (612/2021 6 §)</dt>");
		} else {
			CHECK_CONTAINS(out.ptr,
				"<ul class=\"obligations-list\">\n<li class=\"obligation "
				"obligation-preparing\" data-key=\"hyte\">"
				"<span class=\"obligation-symbol\" aria-hidden=\"true\">◐</span> "
				"<strong>Hyte-neuvottelu vuonna "
				"2025</strong> <span class=\"obligation-law\">(612/2021 7 § 4 "
				"mom.)</span>: <span class=\""
				"obligation-status\">Valmisteilla</span> – <a href=\"../../pohjois-karjala/"
				"neuvottelut/2025-12-01-tuleva/\">neuvottelu sovittu 1.12.2025</a></li>");
			CHECK_CONTAINS(out.ptr,
				"<strong>Edustus alueen kumppanuuspöydässä</strong>: <span class=\""
				"obligation-status\">Puuttuu</span> – alueella Pohjoinen ei ole "
				"kumppanuuspöytää</li>");
			/* the region's own plan, linked, with why it does not count */
			CHECK_CONTAINS(out.ptr,
				"<a href=\"../../pohjois-karjala/raportit/hyte-suunnitelma-2025-2028/\">"
				"ei kunnan omaa kertomusta eikä suunnitelmaa valtuustokauden alun 1.6.2025 "
				"jälkeen</a> <span class=\"obligation-note\">(alueen oma kertomus ei täytä "
				"kunnan velvoitetta)</span></li>");
			CHECK_NOT_CONTAINS(out.ptr, "<table");
		}
		value_free(ctx);
		value_free(pv);
	}
	CHECK(d.n == 0);
	dump_diags(&d);
	tmpl_set_free(ts);
	hooks_free(h);
	buf_release(&out);
	diag_release(&d);
	fixture_release(&f);
}

static void page_data_comes_back_as_values(void)
{
	fixture f;
	fixture_init(&f);
	diag_list d = DIAG_LIST_INIT;
	value *page = page_value("region", NULL, "fi");
	value *out = NULL;
	hooks *h = open_content("p",
		"return function(page, site) return { z = 1, a = { 'x', 'y' }, m = { k = true }, "
		"e = {}, kind = page.kind, title = site.title, r = site.regions[1].areas[2] } end",
		NULL, &d);
	CHECK(h && hooks_page_data(h, "p", page, &f.cx, &out, &d) == 0);
	buf j = BUF_INIT;
	value_put_json(&j, out);
	CHECK_STR(j.ptr, "{\"a\":[\"x\",\"y\"],\"e\":[],\"kind\":\"region\",\"m\":{\"k\":true},"
		"\"r\":{\"municipalities\":[\"juuka\"],\"name\":\"Pohjoinen\",\"slug\":\"pohjoine"
		"n\"},\"title\":\"Avoin testi\",\"z\":1}");
	value_free(out);
	hooks_free(h);
	/* a missing hook gives nothing */
	out = (value *)1;
	CHECK(hooks_page_data(NULL, "nope", page, &f.cx, &out, &d) == 0 && out == NULL);
	static const struct { const char *code, *want; } bad[] = {
		{ "return function() return 1 end",
			"the hook returned a number, expected a table or nil" },
		{ "return function() return { f = print or tostring } end",
			"the returned table: 'f' is a function" },
		{ "return function() return { 1, 2, x = 3 } end",
			"mixes list items and named keys" },
		{ "return function() return { [1] = 1, [3] = 3 } end", "is a list with holes" },
		{ "return function() return { 1, 2 } end", "the hook returned a list" },
		{ "return function() return { e = avoin.el('p') } end", "'e' is an element" },
		{ "return function() return { n = 0/0 } end", "'n' is not a finite number" },
		{ "return function() local t = {} t.t = t return t end",
			"nested deeper than 200 levels" },
		{ "return function() local t = {} for i = 1, 40 do t = { a = t, b = t } end "
			"return t end", "the data has more than 1000000 values" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		h = open_content("p", bad[i].code, NULL, &d);
		out = NULL;
		CHECK(h && hooks_page_data(h, "p", page, &f.cx, &out, &d) == -1);
		CHECK(out == NULL);
		CHECK_DIAG(&d, bad[i].want);
		hooks_free(h);
		diag_release(&d);
	}
	buf_release(&j);
	value_free(page);
	fixture_release(&f);
}

/* summary and page-data hooks are not block hooks: a fenced block never calls them */
static void block_hooks_exclude_summary_and_page_hooks(void)
{
	diag_list d = DIAG_LIST_INIT;
	hooks *h = open_content("obligations", "return function() return {} end", NULL, &d);
	CHECK(h != NULL);
	if (!h)
		return;
	CHECK(hooks_is_block(h, "obligations"));
	hooks_mark_not_block(h, "obligations");
	CHECK(hooks_has(h, "obligations"));
	CHECK(!hooks_is_block(h, "obligations"));
	CHECK(!hooks_is_block(h, "nothing"));
	hooks_free(h);
	h = open_content("summary", "return function() return nil end", NULL, &d);
	CHECK(h && hooks_has(h, "summary") && !hooks_is_block(h, "summary"));
	hooks_free(h);
	diag_release(&d);
}

/* ---- the site model, converted level by level ------------------------------------- */

/* Maps, lists, nulls, numbers of every kind, keys whose sorted order is not their order. */
static value *mixed_tree(void)
{
	value *t = value_map(0);
	value_map_set_str(t, "title", "Åland ja Käsivarsi");
	value_map_set(t, "gone", value_null(0));
	value_map_set_num(t, "int", 42);
	value_map_set_num(t, "neg_zero", -0.0);
	value_map_set_num(t, "half", 0.5);
	value_map_set_num(t, "big", 1e20);
	value_map_set_bool(t, "yes", 1);
	value_map_set_bool(t, "no", 0);
	value_map_set(t, "empty_map", value_map(0));
	value_map_set(t, "empty_list", value_list(0));
	value *nulls = value_map(0);
	value_map_set(nulls, "a", value_null(0));
	value_map_set(t, "only_nulls", nulls);
	value *l = value_list(0);
	value_list_push(l, value_string("a", 0));
	value_list_push(l, value_null(0));
	value_list_push(l, value_number(3, 0));
	value *inner = value_list(0);
	value_list_push(inner, value_string("x", 0));
	value *im = value_map(0);
	value_map_set_str(im, "k", "v");
	value_map_set(im, "n", value_null(0));
	value_list_push(inner, im);
	value_list_push(l, inner);
	value_list_push(l, value_bool(1, 0));
	value_map_set(t, "list", l);
	value *m = value_map(0);
	static const char *const keys[] = { "zeta", "Alpha", "beta", "10", "9", "ä", NULL };
	for (int i = 0; keys[i]; i++)
		value_map_set_num(m, keys[i], i);
	value *deep = value_map(0);
	value *more = value_list(0);
	value *leaf = value_map(0);
	value_map_set_str(leaf, "leaf", "end");
	value_list_push(more, leaf);
	value_map_set(deep, "more", more);
	value_map_set(m, "deep", deep);
	value_map_set(t, "map", m);
	return t;
}

/* A page hook run once on a fresh hooks object; its result as JSON, or NULL with d set. */
static char *page_json(const char *code, const value *smodel, const value *page,
	const hooks_limits *lim, unsigned long *converted, diag_list *d)
{
	hook_ctx cx = { "content/x.md", NULL, smodel, NULL, NULL };
	hooks *h = open_content("p", code, lim, d);
	if (!h)
		return NULL;
	value *out = NULL;
	char *json = NULL;
	if (hooks_page_data(h, "p", page, &cx, &out, d) == 0 && out) {
		buf j = BUF_INIT;
		value_put_json(&j, out);
		json = buf_detach(&j, NULL);
	}
	if (converted)
		*converted = hooks_site_converted(h);
	value_free(out);
	hooks_free(h);
	return json;
}

/* The JSON of m[key], for comparing two parts of a page hook's result. */
static char *json_of(const value *m, const char *key)
{
	buf j = BUF_INIT;
	const value *v = value_map_get(m, key);
	if (v)
		value_put_json(&j, v);
	return buf_detach(&j, NULL);
}

static const char dump_lua[] =
	"local function dump(x, out)\n"
	"  local t = type(x)\n"
	"  if t ~= 'table' then\n"
	"    out[#out + 1] = (t == 'number' and math.type(x) or t) .. ':' .. tostring(x)\n"
	"    return\n"
	"  end\n"
	"  out[#out + 1] = '{#' .. #x .. ' '\n"
	"  for k, v in pairs(x) do\n"
	"    out[#out + 1] = tostring(k) .. '='\n"
	"    dump(v, out)\n"
	"    out[#out + 1] = ','\n"
	"  end\n"
	"  out[#out + 1] = ' ipairs'\n"
	"  for i, v in ipairs(x) do out[#out + 1] = ' ' .. i .. ':' .. type(v) end\n"
	"  out[#out + 1] = '}'\n"
	"end\n"
	"local function s(x) local o = {} dump(x, o) return table.concat(o) end\n";

/*
 * The site model is converted one level at a time; the page is converted at
 * once, as the site was before. Both must read the same: values, pairs
 * order, #, ipairs, and the page data a hook returns from them.
 */
static void lazy_site_reads_as_the_eager_tables(void)
{
	value *tree = mixed_tree();
	diag_list d = DIAG_LIST_INIT;
	buf code = BUF_INIT;
	buf_puts(&code, dump_lua);
	buf_puts(&code, "return function(page, site)\n"
		"  local a, b = s(page), s(site)\n"
		"  local again = s(site)\n"
		"  return { dp = a, ds = b, again = again, p = page.map, s = site.map,\n"
		"    pl = page.list, sl = site.list, x = site.list[4][2].k, n = site.list[2],\n"
		"    len = #site.list .. ' ' .. #site.map .. ' ' .. #site.only_nulls }\n"
		"end\n");
	char *json = page_json(code.ptr, tree, tree, NULL, NULL, &d);
	dump_diags(&d);
	CHECK(json != NULL);
	value *got = NULL;
	if (json) {
		/* read back through the page hook's own path: the JSON of the parts */
		hook_ctx cx = { "content/x.md", NULL, tree, NULL, NULL };
		hooks *h = open_content("p", code.ptr, NULL, &d);
		CHECK(h && hooks_page_data(h, "p", tree, &cx, &got, &d) == 0 && got);
		hooks_free(h);
	}
	if (got) {
		const char *dp = value_map_str(got, "dp"), *ds = value_map_str(got, "ds");
		CHECK_STR(ds, dp);
		CHECK_STR(value_map_str(got, "again"), dp);
		/* null left out of maps, false in lists; keys numbers first, then bytewise */
		CHECK_NOT_CONTAINS(ds, "gone=");
		CHECK_CONTAINS(ds, "list={#5 1=string:a,2=boolean:false,3=integer:3,4={#2 "
			"1=string:x,2={#0 k=string:v, ipairs}, ipairs 1:string 2:table},"
			"5=boolean:true, ipairs 1:string 2:boolean 3:number 4:table 5:boolean}");
		CHECK_CONTAINS(ds, "map={#0 10=integer:3,9=integer:4,Alpha=integer:1,"
			"beta=integer:2,deep={#0 more={#1 1={#0 leaf=string:end, ipairs}, "
			"ipairs 1:table}, ipairs},zeta=integer:0,ä=integer:5, ipairs}");
		CHECK_CONTAINS(ds, "big=float:1e+20,");
		CHECK_CONTAINS(ds, "neg_zero=integer:0,");
		CHECK_CONTAINS(ds, "half=float:0.5,");
		CHECK_CONTAINS(ds, "only_nulls={#0  ipairs}");
		CHECK_STR(value_map_str(got, "x"), "v");
		CHECK(value_map_get(got, "n") && value_map_get(got, "n")->kind == VAL_BOOL);
		CHECK_STR(value_map_str(got, "len"), "5 0 0");
		char *p = json_of(got, "p"), *sv = json_of(got, "s");
		CHECK_STR(sv, p);
		free(p);
		free(sv);
		p = json_of(got, "pl");
		sv = json_of(got, "sl");
		CHECK_STR(sv, p);
		CHECK_STR(sv, "[\"a\",false,3,[\"x\",{\"k\":\"v\"}],true]");
		free(p);
		free(sv);
	}
	value_free(got);
	free(json);
	/* Levels returned before any hook read them come back the same as the page's. */
	unsigned long converted = 0;
	json = page_json("return function(page, site)\n"
		"  return { p = page.map, s = site.map, pl = page.list, sl = site.list,\n"
		"    pe = page.empty_map, se = site.empty_map, pn = page.only_nulls,\n"
		"    sn = site.only_nulls }\n"
		"end\n", tree, tree, NULL, &converted, &d);
	dump_diags(&d);
	CHECK_STR(json, "{\"p\":{\"10\":3,\"9\":4,\"Alpha\":1,\"beta\":2,\"deep\":"
		"{\"more\":[{\"leaf\":\"end\"}]},\"zeta\":0,\"ä\":5},\"pe\":[],\"pl\":[\"a\","
		"false,3,[\"x\",{\"k\":\"v\"}],true],\"pn\":[],\"s\":{\"10\":3,\"9\":4,"
		"\"Alpha\":1,\"beta\":2,\"deep\":{\"more\":[{\"leaf\":\"end\"}]},\"zeta\":0,"
		"\"ä\":5},\"se\":[],\"sl\":[\"a\",false,3,[\"x\",{\"k\":\"v\"}],true],"
		"\"sn\":[]}");
	CHECK(converted == 1);   /* only the root: the rest came back without Lua tables */
	free(json);
	/* The root itself, never read: an empty table, as before. */
	json = page_json("return function(page, site) return { s = site } end", tree, tree, NULL,
		NULL, &d);
	CHECK_STR(json, "{\"s\":[]}");
	free(json);
	/* Bad values in model data not converted yet give the page's messages. */
	value *bad = value_map(0);
	value_map_set_num(bad, "x", INFINITY);
	value_map_set(tree, "bad", bad);
	value *badstr = value_list(0);
	value_list_push(badstr, value_string("\xff", 0));
	value_map_set(tree, "badstr", badstr);
	static const struct { const char *code, *want; } errs[] = {
		{ "return function(page, site) return { s = page.bad } end",
			"'s.x' is not a finite number" },
		{ "return function(page, site) return { s = site.bad } end",
			"'s.x' is not a finite number" },
		{ "return function(page, site) return { s = page.badstr } end",
			"'s[1]' is not valid UTF-8" },
		{ "return function(page, site) return { s = site.badstr } end",
			"'s[1]' is not valid UTF-8" },
	};
	for (size_t i = 0; i < sizeof errs / sizeof *errs; i++) {
		json = page_json(errs[i].code, tree, tree, NULL, NULL, &d);
		CHECK(json == NULL);
		CHECK_DIAG(&d, errs[i].want);
		diag_release(&d);
	}
	buf_release(&code);
	diag_release(&d);
	value_free(tree);
}

/* n records {i, region, tags = {...}, note} and languages fi, sv. */
static value *records_site(int n, size_t note_len)
{
	value *smodel = value_map(0);
	static const char *const langs[] = { "fi", "sv", NULL };
	value_map_set(smodel, "languages", str_list(langs));
	value *recs = value_list(0);
	char *note = xmalloc(note_len + 1);
	memset(note, 'n', note_len);
	note[note_len] = '\0';
	for (int i = 0; i < n; i++) {
		value *r = value_map(0);
		value_map_set_num(r, "i", i);
		value_map_set_str(r, "region", i % 2 ? "b" : "a");
		static const char *const tags[] = { "t1", "t2", NULL };
		value_map_set(r, "tags", str_list(tags));
		note[0] = (char)('a' + i % 26);   /* a string of its own */
		value_map_set_str(r, "note", note);
		value_list_push(recs, r);
	}
	free(note);
	value_map_set(smodel, "records", recs);
	return smodel;
}

/*
 * A hook converts the levels it needs, and only those: to reach a map or a
 * list inside, to iterate, or to read a string the state does not hold yet.
 * Numbers, booleans, nil and strings already held are read from the model.
 * The cap does not count what is converted.
 */
static void lazy_site_converts_only_what_is_read(void)
{
	value *smodel = records_site(200, 10);
	value *page = value_map(0);
	static const struct {
		const char *code, *want;
		unsigned long converted;
	} cases[] = {
		/* the root, and the list for its new string "sv" */
		{ "return function(p, site) return { l = site.languages[2] } end",
			"{\"l\":\"sv\"}", 2 },
		{ "return function(p, site) return { n = #site.records } end", "{\"n\":200}", 1 },
		/* the list's own level, for the proxies of its items, not the items */
		{ "return function(p, site) return { n = #avoin.where(site.records, 'region', "
			"'b') } end", "{\"n\":100}", 2 },
		{ "return function(p, site) local w = avoin.where(site.records, 'region', 'b')\n"
			"  return { i = w[3].i, same = w[3] == site.records[6] } end",
			"{\"i\":5,\"same\":true}", 2 },
		{ "return function(p, site) local n = 0\n"
			"  for _, r in ipairs(site.records) do n = n + r.i end\n"
			"  return { n = n } end",
			"{\"n\":19900}", 2 },
		{ "return function(p, site) local n = 0\n"
			"  for _, r in ipairs(site.records) do\n"
			"    if r.nokey == nil then n = n + 1 end end\n"
			"  return { n = n } end", "{\"n\":200}", 2 },
		/* each record for its list of tags */
		{ "return function(p, site) local n = 0\n"
			"  for _, r in ipairs(site.records) do n = n + #r.tags end\n"
			"  return { n = n } end",
			"{\"n\":400}", 202 },
		/* one list of tags for the new string "t1"; the others find it held */
		{ "return function(p, site) local n = 0\n"
			"  for _, r in ipairs(site.records) do n = n + #r.tags[1] end\n"
			"  return { n = n } end", "{\"n\":400}", 203 },
		/* 26 different notes: the first record of each is converted */
		{ "return function(p, site) local n = 0\n"
			"  for _, r in ipairs(site.records) do n = n + #r.note end\n"
			"  return { n = n } end", "{\"n\":2000}", 28 },
	};
	diag_list d = DIAG_LIST_INIT;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		unsigned long converted = 0;
		char *json = page_json(cases[i].code, smodel, page, NULL, &converted, &d);
		dump_diags(&d);
		CHECK_STR(json, cases[i].want);
		CHECK(converted == cases[i].converted);
		if (converted != cases[i].converted)
			printf("    case %zu converted %lu\n", i, converted);
		free(json);
	}
	value_free(smodel);

	/* Calls after the first reuse what it converted; a new model starts again. */
	smodel = records_site(50, 10);
	hook_ctx cx = { "content/x.md", NULL, smodel, NULL, NULL };
	hooks *h = open_content("p", "return function(p, site) return { i = site.records[7].i, "
		"t = site.records[7].tags[2] } end", NULL, &d);
	value *out = NULL;
	CHECK(h && hooks_page_data(h, "p", page, &cx, &out, &d) == 0);
	value_free(out);
	CHECK(hooks_site_converted(h) == 4);
	CHECK(h && hooks_page_data(h, "p", page, &cx, &out, &d) == 0);
	value_free(out);
	CHECK(hooks_site_converted(h) == 4);
	value *site2 = records_site(50, 10);
	cx.site = site2;
	CHECK(h && hooks_page_data(h, "p", page, &cx, &out, &d) == 0);
	CHECK(out && value_map_get(out, "i") && value_map_get(out, "i")->u.number == 6);
	CHECK(out && value_map_str(out, "t") && !strcmp(value_map_str(out, "t"), "t2"));
	value_free(out);
	CHECK(hooks_site_converted(h) == 4);
	CHECK(hooks_site_converted(NULL) == 0);
	hooks_free(h);
	value_free(site2);
	value_free(smodel);

	/* A model far larger than the cap, read whole and kept: not the hook's memory. Long
	 * strings (copied on every read) and short ones (interned) alike. */
	hooks_limits lim = { 1u << 20, 0, 0 };
	smodel = records_site(3000, 400);
	unsigned long converted = 0;
	char *json = page_json("return function(p, site) local t, n = {}, 0\n"
		"  for _, r in ipairs(site.records) do t[#t + 1] = r.note n = n + #r.tags end\n"
		"  return { n = n, t = #t, l = #t[#t] } end", smodel, page, &lim, &converted, &d);
	dump_diags(&d);
	CHECK_STR(json, "{\"l\":400,\"n\":6000,\"t\":3000}");
	CHECK(converted == 3002);
	free(json);
	value_free(smodel);
	smodel = value_map(0);
	value *recs = value_list(0);
	for (int i = 0; i < 60000; i++) {
		value *r = value_map(0);
		char *slug = xasprintf("a-slug-of-forty-bytes-at-most-no-%06d.", i);
		value_map_set_str(r, "slug", slug);
		free(slug);
		value_list_push(recs, r);
	}
	value_map_set(smodel, "records", recs);
	lim.memory = 2u << 20;
	json = page_json("return function(p, site) local t = {}\n"
		"  for _, r in ipairs(site.records) do t[#t + 1] = r.slug end\n"
		"  return { n = #t, last = t[#t] } end", smodel, page, &lim, &converted, &d);
	dump_diags(&d);
	CHECK_STR(json, "{\"last\":\"a-slug-of-forty-bytes-at-most-no-059999.\",\"n\":60000}");
	CHECK(converted == 60002);
	free(json);
	value_free(smodel);
	lim.memory = 1u << 20;
	smodel = records_site(3000, 400);
	/* while what the hook itself allocates still is */
	json = page_json("return function(p, site) local n = 0\n"
		"  for _, r in ipairs(site.records) do n = n + #r.note + #r.tags end\n"
		"  local t = {} for i = 1, 1e9 do t[i] = { i } end end", smodel, page, &lim, NULL,
		&d);
	CHECK(json == NULL);
	CHECK_DIAG(&d, "memory limit of 1 MiB exceeded");
	free(json);
	diag_release(&d);
	value_free(smodel);
	value_free(page);
}

/* Shared data not converted yet is as read-only as the rest. */
static void lazy_site_is_read_only(void)
{
	value *smodel = records_site(10, 10);
	fixture f;
	fixture_init(&f);
	f.cx.site = smodel;
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	const char *code =
		"return function(b, r, site)\n"
		"  local recs = site.records\n"
		"  local tries = {\n"
		"    function() recs[1] = 'x' end,\n"
		"    function() rawset(recs, 1, 'x') end,\n"
		"    function() local x = recs[2] rawset(x, 'i', 1) end,\n"
		"    function() recs[3].tags[1] = 'x' end,\n"
		"    function() setmetatable(recs[4], {}) end,\n"
		"    function() recs[5].i = 0 end,\n"
		"    function() table.insert(recs[6].tags, 'x') end,\n"
		"    function() site.languages[1] = 'x' end,\n"
		"  }\n"
		"  local msgs = {}\n"
		"  for _, f in ipairs(tries) do\n"
		"    local ok, e = pcall(f)\n"
		"    e = tostring(e)\n"
		"    msgs[#msgs + 1] = ok and 'ok' or\n"
		"      e:find('attempt to change read-only data', 1, true) and 'ro' or\n"
		"      e:find('cannot change a protected metatable', 1, true) and 'mt' or e\n"
		"  end\n"
		"  return table.concat(msgs, ' ') .. '|' .. tostring(rawget(recs[7], 'i')) ..\n"
		"    '|' .. rawlen(recs) .. '|' .. tostring(getmetatable(recs[8])) .. '|' ..\n"
		"    recs[2].i .. '|' .. recs[3].tags[1] .. '|' .. #recs[6].tags .. '|' ..\n"
		"    site.languages[1]\n"
		"end\n";
	hooks *h = open_content("x", code, NULL, &d);
	CHECK(h && run_block(h, "x", "", NULL, 1, &f.cx, &out, &d) == 0);
	dump_diags(&d);
	CHECK_STR(out.ptr, "ro ro ro ro mt ro ro ro|nil|0|false|1|t1|2|fi");
	hooks_free(h);
	/* without pcall: a build error */
	CHECK(run_snippet("return function(b, r, site) site.regions[1].areas[1].slug = 'x' "
		"return '' end", NULL, &out, &d) == -1);
	CHECK_DIAG(&d, "attempt to change read-only data");
	diag_release(&d);
	buf_release(&out);
	f.cx.site = f.smodel;
	fixture_release(&f);
	value_free(smodel);
}

/* avoin.where with several keys gives what a scan checking every pair gives, indexed or not. */
static void where_by_several_keys_equals_a_scan(void)
{
	value *smodel = value_map(0);
	value *big = value_list(0), *small = value_list(0);
	for (int i = 0; i < 90; i++) {
		value *r = value_map(0);
		value_map_set_num(r, "i", i);
		value_map_set_str(r, "region", i % 3 == 0 ? "a" : (i % 3 == 1 ? "b" : "c"));
		value_map_set_str(r, "type", i % 4 == 0 ? "minutes" : "agreement");
		value_map_set_num(r, "n", (double)(i % 5));
		if (i % 7)
			value_map_set_bool(r, "draft", i % 2 == 0);
		value_list_push(i < 20 ? small : big, r);
	}
	value_map_set(smodel, "big", big);
	value_map_set(smodel, "small", small);
	fixture f;
	fixture_init(&f);
	f.cx.site = smodel;
	const char *code =
		"local NIL = {}\n"
		"local Q = { {'region', 'a', 'type', 'agreement'}, {'type', 'minutes', 'region', 'c'},\n"
		"  {'region', 'b', 'type', 'agreement', 'n', 3}, {'region', 'b', 'n', 3.0},\n"
		"  {'region', 'a', 'draft', NIL}, {'region', 'a', 'draft', false},\n"
		"  {'region', 'z', 'type', 'agreement'}, {'region', 'a', 'type', 'none'},\n"
		"  {'region', 'a', 'n', 0/0} }\n"
		"local function ids(l) local o = {}\n"
		"  for _, x in ipairs(l) do o[#o + 1] = x.i end return table.concat(o, ',') end\n"
		"local function scan(l, ...) local q, o = { ... }, {}\n"
		"  for _, x in ipairs(l) do local ok = true\n"
		"    for k = 1, #q, 2 do if not rawequal(x[q[k]], q[k + 1]) then ok = false end end\n"
		"    if ok then o[#o + 1] = x end end\n"
		"  return o end\n"
		"local function run(list, f)\n"
		"  local o = {}\n"
		"  for _, q in ipairs(Q) do local a = {}\n"
		"    for k = 1, #q do if q[k] == NIL then a[k] = nil else a[k] = q[k] end end\n"
		"    o[#o + 1] = ids(f(list, table.unpack(a, 1, #q))) end\n"
		"  return table.concat(o, ';')\n"
		"end\n"
		"return function(b, r, site)\n"
		"  local plain = {} for i, x in ipairs(site.big) do plain[i] = x end\n"
		"  for _, l in ipairs({ site.big, site.small, plain }) do\n"
		"    local w, sc = run(l, avoin.where), run(l, scan)\n"
		"    if w ~= sc or run(l, avoin.where) ~= sc then return w .. ' / ' .. sc end\n"
		"  end\n"
		"  local w = avoin.where(site.big, 'region', 'a', 'type', 'agreement')\n"
		"  w[1] = 'changed'\n"
		"  return run(site.big, avoin.where)\n"
		"end\n";
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	hooks *h = open_content("x", code, NULL, &d);
	CHECK(h && run_block(h, "x", "", NULL, 1, &f.cx, &out, &d) == 0);
	dump_diags(&d);
	/* region a and agreement: i % 3 == 0 and i % 4 != 0, from 20 */
	CHECK(str_has_prefix(out.ptr, "21,27,30,33,39,42,45,51,54,57,63,66,69,75,78,81,87;"));
	/* a nil value: the items without the key (i % 7 == 0); NaN matches nothing */
	CHECK_CONTAINS(out.ptr, ";21,42,63,84;");
	CHECK(str_has_suffix(out.ptr, ";;;"));
	buf_reset(&out);
	CHECK(run_block(h, "x", "", NULL, 1, &f.cx, &out, &d) == 0);
	CHECK(str_has_prefix(out.ptr, "21,27,30,"));
	diag_release(&d);
	hooks_free(h);
	/* a key without its value is an error, as with one key */
	h = open_content("x", "return function(b, r, site) "
		"return tostring(#avoin.where(site.big, 'region', 'a', 'type')) end", NULL, &d);
	CHECK(h && run_block(h, "x", "", NULL, 1, &f.cx, &out, &d) == -1);
	CHECK_DIAG(&d, "bad argument #5 to 'where' (value expected)");
	hooks_free(h);
	buf_release(&out);
	diag_release(&d);
	f.cx.site = f.smodel;
	fixture_release(&f);
	value_free(smodel);
}

/* avoin.where over lists whose items are not converted gives what a scan gives. */
static void where_over_lazy_lists_equals_a_scan(void)
{
	value *smodel = value_map(0);
	value *big = value_list(0), *small = value_list(0);
	for (int i = 0; i < 60; i++) {
		value *r = value_map(0);
		value_map_set_num(r, "i", i);
		value_map_set_str(r, "region", i % 3 == 0 ? "a" : (i % 3 == 1 ? "b" : "c"));
		value_map_set_num(r, "n", (double)(i % 4));
		value_map_set_num(r, "f", (double)(i % 4) + 0.5);
		value_map_set_bool(r, "flag", i % 5 == 0);
		value_map_set(r, "maybe", i % 7 ? value_string("x", 0) : value_null(0));
		static const char *const tags[] = { "t", NULL };
		value_map_set(r, "tags", str_list(tags));
		value_list_push(i < 10 ? small : big, value_ref(r));
		if (i < 10)
			value_list_push(big, r);
		else
			value_free(r);
		if (i % 11 == 0) {
			/* items that are not maps: a scalar (skipped) and a list */
			value_list_push(big, value_string("skip", 0));
			value *l = value_list(0);
			value_list_push(l, value_number(1000 + i, 0));
			value_list_push(l, value_null(0));
			value_list_push(big, l);
		}
	}
	value_map_set(smodel, "big", big);
	value_map_set(smodel, "small", small);
	fixture f;
	fixture_init(&f);
	f.cx.site = smodel;
	const char *code =
		"local NIL = {}\n"
		"local Q = { {'region', 'a'}, {'region', 'c'}, {'region', 'z'}, {'n', 2},\n"
		"  {'n', 2.0},\n"
		"  {'f', 1.5}, {'flag', true}, {'flag', false}, {'maybe', 'x'}, {'maybe', NIL},\n"
		"  {'nokey', 1}, {'nokey', NIL}, {1, 1022}, {1.0, 1033}, {2, false}, {'i', 0/0},\n"
		"  {'i', 7}, {'i', 7.5}, {'region', 1} }\n"
		"local function id(x) return x.i or ('l' .. tostring(x[1])) end\n"
		"local function ids(l) local o = {}\n"
		"  for _, x in ipairs(l) do o[#o + 1] = id(x) end return table.concat(o, ',') end\n"
		"local function scan(l, k, v) local o = {} for _, x in ipairs(l) do\n"
		"  if type(x) == 'table' and rawequal(x[k], v) then o[#o + 1] = x end end\n"
		"  return o end\n"
		"local function run(list, f)\n"
		"  local o = {}\n"
		"  for _, q in ipairs(Q) do local v = q[2] if v == NIL then v = nil end\n"
		"    o[#o + 1] = ids(f(list, q[1], v)) end\n"
		"  return table.concat(o, ';')\n"
		"end\n"
		"return function(b, r, site)\n"
		"  local _ = site.big[3].i, site.big[12].region   -- a few items converted first\n"
		"  local lazy_big = run(site.big, avoin.where)\n"
		"  local lazy_small = run(site.small, avoin.where)\n"
		"  local scan_big, scan_small = run(site.big, scan), run(site.small, scan)\n"
		"  local again = run(site.big, avoin.where) .. run(site.small, avoin.where)\n"
		"  if lazy_big ~= scan_big then return 'big: ' .. lazy_big .. '/' .. scan_big end\n"
		"  if lazy_small ~= scan_small then\n"
		"    return 'small: ' .. lazy_small .. '/' .. scan_small end\n"
		"  if again ~= scan_big .. scan_small then return 'again' end\n"
		"  local tg = site.big[5].tags\n"
		"  local w = avoin.where(site.big, 'tags', tg)\n"
		"  local same = #w == 1 and w[1] == site.big[5] and\n"
		"    avoin.where(site.big, 'i', 7)[1] == site.big[10] and\n"
		"    avoin.where(site.small, 'i', 7)[1] == site.small[8]\n"
		"  return tostring(same) .. ' ' .. scan_big\n"
		"end\n";
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	hooks *h = open_content("x", code, NULL, &d);
	CHECK(h && run_block(h, "x", "", NULL, 1, &f.cx, &out, &d) == 0);
	dump_diags(&d);
	CHECK_CONTAINS(out.ptr, "true ");
	/* a: 0,3,..; a nil value matches the items without the key (the lists too); a list
	 * item by number (1.0 is 1), its null is false; NaN matches nothing, 7.5 nothing */
	CHECK_CONTAINS(out.ptr, "true 0,3,6,9,12,15,18,21,24,27,30,33,36,39,42,45,48,51,54,57;");
	CHECK_CONTAINS(out.ptr, ";0,l1000,7,l1011,14,21,l1022,28,l1033,35,42,l1044,49,l1055,56;");
	CHECK_CONTAINS(out.ptr, ";l1022;l1033;l1000,l1011,l1022,l1033,l1044,l1055;;7;;");
	hooks_free(h);
	buf_release(&out);
	diag_release(&d);
	f.cx.site = f.smodel;
	fixture_release(&f);
	value_free(smodel);
}

/* A model deeper than the limit fails on the first read of the site, as when it was
 * converted at once; one just within it can be read to the bottom. */
static void deep_site_model_is_an_error(void)
{
	for (int depth = 200; depth <= 201; depth++) {
		value *v = value_string("leaf", 0);
		for (int k = depth - 1; k >= 1; k--) {
			value *l = value_list(0);
			value_list_push(l, v);
			v = l;
		}
		value *smodel = value_map(0);
		value_map_set_str(smodel, "title", "t");
		value_map_set(smodel, "d", v);
		value *page = value_map(0);
		diag_list d = DIAG_LIST_INIT;
		char *json = page_json("return function(p, site)\n"
			"  local t = site.title\n"
			"  local x = site.d while type(x) == 'table' do x = x[1] end\n"
			"  return { t = t, x = x } end", smodel, page, NULL, NULL, &d);
		if (depth == 200) {
			dump_diags(&d);
			CHECK_STR(json, "{\"t\":\"t\",\"x\":\"leaf\"}");
		} else {
			CHECK(json == NULL);
			CHECK_DIAG(&d, "data nested deeper than 200 levels");
		}
		free(json);
		diag_release(&d);
		value_free(page);
		value_free(smodel);
	}
}

/*
 * The memo of block-hook results: a call is not run again when its block and
 * everything it read are as before, and is run again when anything it read
 * differs. Counted by blockmemo_counts(); the HTML is always the hook's own.
 */
static size_t memo_ran(blockmemo *m)
{
	size_t ran, memo, cached;
	blockmemo_counts(m, &ran, &memo, &cached);
	return ran;
}

static void memo_call(hooks *h, fixture *f, value *rv, const char *text, int line,
	const char *want)
{
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	f->cx.record = rv;
	CHECK(run_block(h, "x", text, NULL, line, &f->cx, &out, &d) == 0);
	CHECK_STR(out.ptr, want);
	if (d.n)
		printf("  %s\n", d.items[0].msg);
	diag_release(&d);
	buf_release(&out);
}

static void block_results_are_remembered_by_what_they_read(void)
{
	fixture f;
	fixture_init(&f);
	diag_list d = DIAG_LIST_INIT;
	value *a = rec("page", "pohjois-karjala/poytakirjat/a.md", "Eka");
	value *b = rec("page", "pohjois-karjala/poytakirjat/b.md", "Toka");
	value *c = rec("page", "toinen/c.md", "Eka");
	value_map_set_str(c, "region", "toinen");
	/* reads only its text: one run for every record and line */
	blockmemo *m = blockmemo_new("test", NULL);
	hooks *h = open_content("x", "return function(b) return b.text end", NULL, &d);
	hooks_set_memo(h, m, 0, "");
	memo_call(h, &f, a, "sama", 3, "sama");
	memo_call(h, &f, b, "sama", 9, "sama");
	memo_call(h, &f, a, "toinen", 3, "toinen");
	CHECK(memo_ran(m) == 2);
	hooks_free(h);
	blockmemo_free(m);
	/* reads the title and the line: run again when either differs */
	m = blockmemo_new("test", NULL);
	h = open_content("x", "return function(b, r) return r.title .. b.line end", NULL, &d);
	hooks_set_memo(h, m, 0, "");
	memo_call(h, &f, a, "x", 3, "Eka3");
	memo_call(h, &f, c, "x", 3, "Eka3");   /* another record, the same title */
	memo_call(h, &f, b, "x", 3, "Toka3");
	memo_call(h, &f, a, "x", 4, "Eka4");
	CHECK(memo_ran(m) == 3);
	hooks_free(h);
	blockmemo_free(m);
	/* a file through avoin.read: by what it resolves to, so another region's file runs again */
	m = blockmemo_new("test", NULL);
	h = open_content("x", "return function(b) local t, p = avoin.read('data/ktt.tsv') "
		"return p .. ' ' .. #(t or '') end", NULL, &d);
	hooks_set_memo(h, m, 0, "");
	f.rd.from = "pohjois-karjala/poytakirjat/a.md";
	memo_call(h, &f, a, "x", 3, "pohjois-karjala/data/ktt.tsv 44");
	f.rd.from = "pohjois-karjala/poytakirjat/b.md";
	memo_call(h, &f, b, "x", 3, "pohjois-karjala/data/ktt.tsv 44");
	f.rd.from = "toinen/c.md";
	memo_call(h, &f, c, "x", 3, "toinen/data/ktt.tsv 44");
	CHECK(memo_ran(m) == 2);
	hooks_free(h);
	blockmemo_free(m);
	/* pairs over the record reads all of it; rawget still sees the record's keys */
	m = blockmemo_new("test", NULL);
	h = open_content("x", "return function(b, r) local n = 0 for k in pairs(r) do n = n + 1 end "
		"return n .. rawget(r, 'title') .. tostring(getmetatable(r)) end", NULL, &d);
	hooks_set_memo(h, m, 0, "");
	memo_call(h, &f, a, "x", 3, "7Ekafalse");
	memo_call(h, &f, c, "x", 3, "7Ekafalse");
	memo_call(h, &f, a, "x", 8, "7Ekafalse");
	CHECK(memo_ran(m) == 2);
	hooks_free(h);
	blockmemo_free(m);
	/* the site model: remembered only when its hash can stand for it */
	h = open_content("x", "return function(b, r, s) return s.build_date end", NULL, &d);
	m = blockmemo_new("test", NULL);
	hooks_set_memo(h, m, 0, "");
	memo_call(h, &f, a, "x", 3, "2025-11-20");
	memo_call(h, &f, a, "x", 3, "2025-11-20");
	CHECK(memo_ran(m) == 2);
	blockmemo_free(m);
	m = blockmemo_new("test", NULL);
	hooks_set_memo(h, m, 0, "mallin-tiiviste");
	memo_call(h, &f, a, "x", 3, "2025-11-20");
	memo_call(h, &f, b, "x", 5, "2025-11-20");
	CHECK(memo_ran(m) == 1);
	hooks_free(h);
	blockmemo_free(m);
	f.cx.record = f.record;
	value_free(a);
	value_free(b);
	value_free(c);
	CHECK(d.n == 0);
	diag_release(&d);
	fixture_release(&f);
}

int main(void)
{
	RUN(block_hooks_exclude_summary_and_page_hooks);
	RUN(allow_lists_are_sorted_and_case_blind);
	RUN(sandbox_has_no_io_or_os);
	RUN(sandbox_has_no_require_or_load);
	RUN(bytecode_is_refused);
	RUN(read_refuses_records);
	RUN(memory_bomb_is_stopped);
	RUN(endless_loop_is_stopped);
	RUN(budget_is_reset_per_call);
	RUN(slow_hooks_run_out_of_time);
	RUN(block_results_are_remembered_by_what_they_read);
	RUN(deep_recursion_is_an_error);
	RUN(shared_data_cannot_be_changed);
	RUN(wrong_return_types_are_errors);
	RUN(errors_name_record_line_and_traceback);
	RUN(content_hook_overrides_theme);
	RUN(content_hook_syntax_error_names_file_and_line);
	RUN(element_trees_are_escaped_and_checked);
	RUN(html_strings_are_checked);
	RUN(other_bad_output_is_refused);
	RUN(helpers_format_and_parse);
	RUN(output_is_deterministic);
	RUN(indicator_renders_the_seed_table);
	RUN(indicator_reads_messy_pasted_data);
	RUN(indicator_reports_malformed_data);
	RUN(indicator_reads_src_files_of_the_region);
	RUN(indicator_colours_differ_in_grey_scale);
	RUN(summary_is_the_first_paragraph);
	RUN(obligations_status_per_municipality);
	RUN(obligations_partials_render);
	RUN(page_data_comes_back_as_values);
	RUN(reads_of_the_site_model_are_counted);
	RUN(where_index_matches_a_scan);
	RUN(lazy_site_reads_as_the_eager_tables);
	RUN(lazy_site_converts_only_what_is_read);
	RUN(lazy_site_is_read_only);
	RUN(where_over_lazy_lists_equals_a_scan);
	RUN(where_by_several_keys_equals_a_scan);
	RUN(deep_site_model_is_an_error);
	site_free(files_site);
	return test_summary();
}
