/*
 * Lua hooks in a sandbox (the contract is in hooks.h).
 *
 * One lua_State per hooks object. The state's own allocator counts every
 * byte (Lua reports the old size of each block, so the count is exact) and
 * refuses to grow past the cap; a count hook stops a call after its
 * instruction budget. Hooks never see the real global table: each call gets
 * a fresh environment copied from an allow list, and the hook's chunk is
 * run again in it, so nothing a hook stores in a global or an upvalue
 * survives into the next call (with several worker threads, anything that
 * did would make the output depend on which thread built which page).
 *
 * What is shared between calls is read-only: the standard library tables,
 * the `avoin` helper table and the site model are proxies (empty tables
 * whose metatable reads from a hidden data table, refuses writes and is
 * locked), and rawset refuses them. The record, the block and the page are
 * converted afresh for every call, so a hook may scribble on them freely.
 *
 * Builds must be byte-identical, and Lua has three sources of chance that
 * a hook could leak into its output: table traversal order (string hashes
 * are seeded from the clock and addresses), addresses in tostring() and
 * string.format("%p"), and table.sort's randomised pivot. So `next` is not
 * offered, `pairs` walks keys in a fixed order (numbers ascending, then
 * strings bytewise, then false, true), tostring() of a table or function is
 * just its type name, and table.sort is a stable merge sort. math.random,
 * finalizers (__gc) and weak tables (__mode) are not available either:
 * their results depend on time or on when the collector runs.
 *
 * HTML that a block hook returns goes through one checker: an element tree
 * (avoin.el) is serialised with every text and attribute value escaped, a
 * string is parsed and written out again; both allow only the tags and
 * attributes listed below and drop link targets whose scheme is not http,
 * https or mailto. A hook cannot put a script, an event handler or a
 * javascript: link on a page, however it builds its HTML.
 */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "hooks_impl.h"
#include "urlcheck.h"
#include "util.h"

#include "banned.h"

enum call_kind { CALL_CHECK, CALL_BLOCK, CALL_SUMMARY, CALL_PAGE };

typedef struct call {
	hooks *h;
	const hook_ent *hk;
	enum call_kind kind;
	const char *text;
	const value *attrs;
	int line;
	int nth;             /* block: its place among the body's hook blocks (1, 2, ...), 0: unknown */
	const char *body;
	const value *page;
	const hook_ctx *cx;
	char where[300];     /* the hook function: "file:line" */
} call;

/* Pushes a new environment: the allow list, with _G pointing at itself. */
static void push_env(lua_State *L, hooks *h)
{
	lua_createtable(L, 0, 24);
	int env = lua_gettop(L);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->env_ref);
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, env);
	}
	lua_pop(L, 1);
	lua_pushvalue(L, env);
	lua_setfield(L, env, "_G");
}

static void push_site(lua_State *L, hooks *h, const value *site)
{
	if (!site) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, h->empty_ref);
		return;
	}
	if (h->site_src != site) {
		if (h->site_ref != LUA_NOREF) {
			luaL_unref(L, LUA_REGISTRYINDEX, h->site_ref);
			h->site_ref = LUA_NOREF;
			h->site_ptr = NULL;
			h->base -= h->site_bytes;
			h->site_bytes = 0;
		}
		value_free(h->site_src);
		h->site_src = NULL;
		int was = h->limited;
		h->limited = 0;
		if (h->site_loaded)
			lua_gc(L, LUA_GCCOLLECT);
		/* the root proxy, of an empty table until load_site() */
		lua_newtable(L);
		hk_make_ro(L, h);
		h->site_ptr = lua_topointer(L, -1);
		h->site_ref = luaL_ref(L, LUA_REGISTRYINDEX);
		h->site_loaded = 0;
		h->site_tables = 0;
		/* Held, so that its address cannot be reused by another tree while it is cached. */
		h->site_src = value_ref((value *)site);
		h->limited = was;
	}
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->site_ref);
}

static void push_record(lua_State *L, hooks *h, const hook_ctx *cx)
{
	if (cx && cx->record && cx->record->kind == VAL_MAP)
		hk_push_value(L, h, cx->record, 0);
	else
		lua_newtable(L);
}

/*
 * Runs in a protected call: runs the hook's chunk in a fresh environment,
 * checks it returned a function, calls that with the arguments of the call
 * kind and, for a block hook, turns the result into HTML in h->scratch.
 * Leaves the result on the stack.
 */
static int runner(lua_State *L)
{
	call *c = lua_touserdata(L, 1);
	hooks *h = c->h;
	lua_settop(L, 0);
	lua_rawgeti(L, LUA_REGISTRYINDEX, c->hk->ref);
	push_env(L, h);
	if (!lua_setupvalue(L, 1, 1))
		lua_pop(L, 1);
	lua_call(L, 0, 1);
	if (lua_type(L, 1) != LUA_TFUNCTION)
		return hk_raise_plain(L, "%s: the hook file must return a function (got %s)",
			c->hk->file, luaL_typename(L, 1));
	lua_Debug ar;
	lua_pushvalue(L, 1);
	lua_getinfo(L, ">S", &ar);
	snprintf(c->where, sizeof c->where, "%s:%d", ar.short_src, ar.linedefined);
	if (c->kind == CALL_CHECK)
		return 0;
	lua_pushvalue(L, 1);
	int nargs = 2;
	switch (c->kind) {
	case CALL_BLOCK:
		lua_createtable(L, 0, 3);
		lua_pushstring(L, c->text ? c->text : "");
		lua_setfield(L, -2, "text");
		if (c->attrs && c->attrs->kind == VAL_MAP)
			hk_push_value(L, h, c->attrs, 0);
		else
			lua_newtable(L);
		lua_setfield(L, -2, "attrs");
		lua_pushinteger(L, c->line);
		lua_setfield(L, -2, "line");
		if (c->nth > 0) {
			lua_pushinteger(L, c->nth);
			lua_setfield(L, -2, "index");
		}
		if (h->tracking)
			hk_make_tracked(L, h, 'b');
		push_record(L, h, c->cx);
		if (h->tracking)
			hk_make_tracked(L, h, 'r');
		nargs = 3;
		break;
	case CALL_SUMMARY:
		push_record(L, h, c->cx);
		lua_pushstring(L, c->body ? c->body : "");
		lua_setfield(L, -2, "body");
		break;
	case CALL_PAGE:
		if (c->page && c->page->kind == VAL_MAP)
			hk_push_value(L, h, c->page, 0);
		else
			lua_newtable(L);
		break;
	case CALL_CHECK:
		break;
	}
	push_site(L, h, c->cx ? c->cx->site : NULL);
	lua_call(L, nargs, 1);
	int t = lua_type(L, 2);
	if (c->kind == CALL_BLOCK) {
		const char *what = t == LUA_TSTRING ? "HTML" : "element tree";
		ser s = { h, &h->scratch, h->cap, c->where, what };
		if (t == LUA_TSTRING) {
			size_t n;
			const char *p = lua_tolstring(L, 2, &n);
			if (!utf8_valid(p, n))
				return hk_raise_plain(L, "%s: the hook returned HTML that is not "
					"valid UTF-8 text", c->where);
			hk_html_string(L, &s, p, n);
		} else if (t == LUA_TTABLE || hk_is_element(L, 2)) {
			hk_ser_node(L, &s, 2, 0, 0);
			if (!utf8_valid(h->scratch.ptr, h->scratch.len))
				return hk_ser_fail(L, &s, "holds text that is not valid UTF-8");
		} else {
			return hk_raise_plain(L, "%s: the hook returned %s%s, expected a string or an "
				"element tree (avoin.el)", c->where, t == LUA_TNIL ? "" : "a ",
				t == LUA_TNIL ? "nothing" : luaL_typename(L, 2));
		}
		/* whatever built it, no control character reaches a page (a NUL would end it early) */
		size_t at = text_control_at(h->scratch.ptr, h->scratch.len);
		if (at != (size_t)-1) {
			char cp[8];
			snprintf(cp, sizeof cp, "%04X", (unsigned)(unsigned char)h->scratch.ptr[at]);
			return hk_ser_fail(L, &s, "holds the control character U+%s (from a string, "
				"an attribute or a data file; expected text)", cp);
		}
	} else if (c->kind == CALL_SUMMARY) {
		if (t == LUA_TSTRING) {
			size_t n;
			const char *p = lua_tolstring(L, 2, &n);
			if (!utf8_valid(p, n) || text_control_at(p, n) != (size_t)-1)
				return hk_raise_plain(L, "%s: the summary is not valid UTF-8 text "
					"(or holds a control character)", c->where);
		} else if (t != LUA_TNIL) {
			return hk_raise_plain(L, "%s: the hook returned a %s, expected a string or "
				"nil", c->where, luaL_typename(L, 2));
		}
	} else if (t != LUA_TNIL && t != LUA_TTABLE) {
		return hk_raise_plain(L, "%s: the hook returned a %s, expected a table or nil",
			c->where, luaL_typename(L, 2));
	}
	return 2;
}

/* "file:12: rest" -> 12 and rest, when the first line of msg starts with a file and line. */
static int split_position(const char *msg, const char **rest)
{
	const char *nl = strchr(msg, '\n');
	const char *end = nl ? nl : msg + strlen(msg);
	for (const char *p = msg; p < end; p++) {
		if (*p != ':' || !isdigit((unsigned char)p[1]))
			continue;
		const char *q = p + 1;
		int line = 0;
		while (isdigit((unsigned char)*q) && line < 10000000)
			line = line * 10 + (*q++ - '0');
		if (q[0] == ':' && q[1] == ' ') {
			*rest = q + 2;
			return line;
		}
	}
	*rest = msg;
	return 0;
}

/*
 * Turns the error on top of the stack into a diagnostic. dfile/dline say
 * what is being built (the record and the block's line); with dfile NULL
 * the error is reported against the hook file itself.
 */
static void report(hooks *h, const hook_ent *hk, int status, const char *dfile, int dline,
	diag_list *d)
{
	lua_State *L = h->L;
	buf msg = BUF_INIT;
	int is_data = 0;
	if (status == LUA_ERRMEM && !h->mem_hit) {
		buf_puts(&msg, "out of memory");
	} else if (h->mem_hit) {
		char capstr[64];
		if (h->cap % ((size_t)1 << 20) == 0)
			snprintf(capstr, sizeof capstr, "%zu MiB", h->cap >> 20);
		else
			snprintf(capstr, sizeof capstr, "%zu bytes", h->cap);
		if (h->mem_pos[0])
			buf_printf(&msg, "%s: ", h->mem_pos);
		buf_printf(&msg, "memory limit of %s exceeded (raise hooks.memory_mb in site.yaml "
			"if the hook needs more)", capstr);
		if (h->mem_trace[0])
			buf_printf(&msg, "\nstack traceback:\n\t%s", h->mem_trace);
	} else if (hk_is_err_obj(L, -1)) {
		lua_rawgeti(L, -1, 2);
		is_data = lua_toboolean(L, -1);
		lua_pop(L, 1);
		lua_rawgeti(L, -1, 1);
		const char *m = lua_tostring(L, -1);
		buf_puts(&msg, m ? m : "(no message)");
		lua_pop(L, 1);
	} else {
		const char *m = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
		buf_puts(&msg, m ? m : "(error object is not a string)");
		/* The last frames are the sandbox's own C functions: of no use to a hook author. */
		static const char tail[] = "\n\t[C]: in ?";
		size_t tl = sizeof tail - 1;
		while (msg.len >= tl && !memcmp(msg.ptr + msg.len - tl, tail, tl))
			buf_truncate(&msg, msg.len - tl);
	}
	const char *text = msg.ptr;
	if (!dfile) {
		/* Reported against the hook file itself: its name need not be repeated. */
		dfile = hk->file;
		size_t fl = strlen(hk->file);
		const char *rest;
		int line = split_position(text, &rest);
		if (line && !strncmp(text, hk->file, fl)) {
			dline = line;
			text = rest;
		} else if (!strncmp(text, hk->file, fl) && !strncmp(text + fl, ": ", 2)) {
			text += fl + 2;
		}
	}
	if (is_data)
		diag_error(d, dfile, dline, "hook '%s': %s", hk->name, text);
	else
		diag_error(d, dfile, dline, "hook '%s' failed: %s", hk->name, text);
	buf_release(&msg);
}

/* Runs c; on success the hook's result is on top of the stack (the caller pops it). */
static int run(hooks *h, call *c, const char *dfile, int dline, diag_list *d)
{
	lua_State *L = h->L;
	lua_settop(L, 0);
	h->steps = 0;
	h->budget_hit = 0;
	h->time_hit = 0;
	h->call_file = dfile;
	h->call_line = dline;
	h->call_hook = c->hk ? c->hk->name : NULL;
	atomic_store(&h->deadline_ns, hk_now_ns() + (long long)h->seconds * 1000000000LL);
	atomic_fetch_add(&h->call_seq, 1);
	h->mem_hit = 0;
	h->mem_pos[0] = h->mem_trace[0] = '\0';
	h->limited = 1;
	h->cx = c->cx;
	h->in_call = 1;
	h->site_used = 0;
	buf_reset(&h->scratch);
	lua_sethook(L, hk_count_hook, LUA_MASKCOUNT, COUNT_STEP);
	lua_pushcfunction(L, hk_msg_handler);
	lua_pushcfunction(L, runner);
	lua_pushlightuserdata(L, c);
	int status = lua_pcall(L, 1, 2, 1);
	atomic_fetch_add(&h->call_seq, 1);
	h->site_calls += h->site_used != 0;
	h->in_call = 0;
	h->cx = NULL;
	h->limited = 1;
	h->counting = 0;    /* an error may have left a conversion half done */
	lua_sethook(L, NULL, 0, 0);
	if (status != LUA_OK) {
		report(h, c->hk, status, dfile, dline, d);
		lua_settop(L, 0);
		return -1;
	}
	return 0;
}

static hook_ent *find_hook(const hooks *h, const char *name)
{
	for (size_t i = 0; h && name && i < h->n; i++)
		if (!strcmp(h->ents[i].name, name))
			return &h->ents[i];
	return NULL;
}

int hooks_has(const hooks *h, const char *name)
{
	return find_hook(h, name) != NULL;
}

void hooks_mark_not_block(hooks *h, const char *name)
{
	hook_ent *hk = find_hook(h, name);
	if (hk)
		hk->not_block = 1;
}

int hooks_is_block(const hooks *h, const char *name)
{
	const hook_ent *hk = find_hook(h, name);
	return hk && !hk->not_block && strcmp(name, "summary") != 0;
}

static int key_str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names a call read, sorted, each once (NULL when it read something unnamable: not kept). */
static char *read_names(hooks *h)
{
	if (h->untrackable)
		return NULL;
	buf all = BUF_INIT;
	buf_put(&all, h->reads.ptr, h->reads.len);
	if (h->site_used)
		buf_puts(&all, "s:\n");
	size_t n = 0, cap = 0;
	char **lines = NULL;
	for (char *p = all.ptr; *p;) {
		char *nl = strchr(p, '\n');
		*nl = '\0';
		lines = xgrow(lines, sizeof *lines, n + 1, &cap);
		lines[n++] = p;
		p = nl + 1;
	}
	if (n > 1)
		qsort(lines, n, sizeof *lines, key_str_cmp);
	buf out = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		if (!i || strcmp(lines[i], lines[i - 1]))
			buf_printf(&out, "%s\n", lines[i]);
	free(lines);
	buf_release(&all);
	return buf_detach(&out, NULL);
}

/*
 * The values the names have for this call, one line each: a record key as
 * JSON, the block's line, a file as avoin.read would find it (its path and a
 * digest of its bytes, or why it is not there), the site model's hash. -1 when
 * a name cannot be valued here (the memo is then not used).
 */
static int read_values(hooks *h, const char *names, int line, int nth, const hook_ctx *cx,
	buf *out)
{
	for (const char *p = names; *p;) {
		const char *nl = strchr(p, '\n');
		char *name = xstrndup(p + 2, (size_t)(nl - p - 2));
		int ok = 1;
		if (p[0] == 'r') {
			const value *v = cx && cx->record ? (strcmp(name, "*") ? value_map_get(cx->record,
				name) : cx->record) : NULL;
			if (v)
				value_put_json(out, v);
			else
				buf_puts(out, "null");
		} else if (p[0] == 'b') {
			if (!strcmp(name, "*"))
				buf_printf(out, "%d %d", line, nth);
			else
				buf_printf(out, "%d", !strcmp(name, "line") ? line :
					!strcmp(name, "index") ? nth : 0);
		} else if (p[0] == 'f') {
			size_t len = 0;
			const char *path = NULL;
			buf why = BUF_INIT;
			const char *data = cx && cx->read_file ? cx->read_file(cx->opaque, name, &len,
				&path, &why) : NULL;
			if (data) {
				cache_key k;
				buf b = BUF_INIT;
				buf_put(&b, data, len);
				cache_key_of(&b, &k);
				char hex[41];
				cache_key_hex(&k, hex);
				buf_printf(out, "%s %s", path, hex);
				buf_release(&b);
			} else {
				buf_printf(out, "! %s", why.ptr);
			}
			buf_release(&why);
		} else if (p[0] == 's') {
			ok = h->model_hash && h->model_hash[0];
			buf_puts(out, h->model_hash ? h->model_hash : "");
		} else {
			ok = 0;
		}
		free(name);
		if (!ok)
			return -1;
		buf_putc(out, '\n');
		p = nl + 1;
	}
	return 0;
}

/* A result of an earlier call with the same block, record reads and files: 1 and out, else 0. */
static int memo_lookup(hooks *h, const cache_key *k1, int line, int nth, const hook_ctx *cx,
	buf *out)
{
	char **lists;
	size_t n = blockmemo_variants(h->memo, k1, h->memo_worker, &lists);
	int hit = 0;
	for (size_t i = 0; i < n; i++) {
		buf values = BUF_INIT;
		if (!hit && read_values(h, lists[i], line, nth, cx, &values) == 0) {
			cache_key k2;
			blockmemo_second_key(k1, lists[i], values.ptr, &k2);
			hit = blockmemo_get(h->memo, &k2, h->memo_worker, out);
		}
		buf_release(&values);
		free(lists[i]);
	}
	free(lists);
	return hit;
}

static void memo_keep(hooks *h, const cache_key *k1, int line, int nth, const hook_ctx *cx)
{
	char *names = read_names(h);
	buf values = BUF_INIT;
	if (names && read_values(h, names, line, nth, cx, &values) == 0) {
		cache_key k2;
		blockmemo_second_key(k1, names, values.ptr, &k2);
		blockmemo_put(h->memo, k1, names, &k2, h->scratch.ptr, h->scratch.len, h->memo_worker);
	}
	buf_release(&values);
	free(names);
}

void hooks_set_memo(hooks *h, blockmemo *memo, size_t worker, const char *model_hash)
{
	h->memo = memo;
	h->memo_worker = worker;
	h->model_hash = model_hash;
}

int hooks_block(hooks *h, const char *name, const char *text, const value *attrs, int line,
	const hook_ctx *cx, buf *out, diag_list *d)
{
	return hooks_block_nth(h, name, text, attrs, line, 0, cx, out, d);
}

int hooks_block_nth(hooks *h, const char *name, const char *text, const value *attrs, int line,
	int nth, const hook_ctx *cx, buf *out, diag_list *d)
{
	const char *dfile = cx && cx->record_file ? cx->record_file : NULL;
	hook_ent *hk = find_hook(h, name);
	if (!hk) {
		diag_error(d, dfile, line, "no hook named '%s'", name);
		return -1;
	}
	cache_key k1;
	if (h->memo) {
		buf aj = BUF_INIT;
		if (attrs)
			value_put_json(&aj, attrs);
		blockmemo_first_key(h->memo, name, aj.ptr, text ? text : "", &k1);
		buf_release(&aj);
		if (memo_lookup(h, &k1, line, nth, cx, out))
			return 0;
		blockmemo_count_ran(h->memo);
	}
	call c = { .h = h, .hk = hk, .kind = CALL_BLOCK, .text = text, .attrs = attrs, .line = line,
		.nth = nth, .cx = cx };
	h->tracking = h->memo != NULL;
	h->untrackable = 0;
	buf_reset(&h->reads);
	int rc = run(h, &c, dfile ? dfile : hk->file, line, d);
	h->tracking = 0;
	if (rc < 0)
		return -1;
	if (h->memo)
		memo_keep(h, &k1, line, nth, cx);
	buf_put(out, h->scratch.ptr, h->scratch.len);
	buf_reset(&h->scratch);
	lua_settop(h->L, 0);
	return 0;
}

int hooks_summary(hooks *h, const char *body, const hook_ctx *cx, buf *out, diag_list *d)
{
	hook_ent *hk = find_hook(h, "summary");
	if (!hk)
		return 0;
	const char *dfile = cx && cx->record_file ? cx->record_file : hk->file;
	call c = { .h = h, .hk = hk, .kind = CALL_SUMMARY, .body = body, .cx = cx };
	if (run(h, &c, dfile, 0, d) < 0)
		return -1;
	int r = 0;
	if (lua_type(h->L, -1) == LUA_TSTRING) {
		size_t n;
		const char *s = lua_tolstring(h->L, -1, &n);
		buf_put(out, s, n);
		r = n > 0;
	}
	lua_settop(h->L, 0);
	return r;
}

int hooks_page_data(hooks *h, const char *hook_name, const value *page, const hook_ctx *cx,
	value **out, diag_list *d)
{
	*out = NULL;
	hook_ent *hk = find_hook(h, hook_name);
	if (!hk)
		return 0;
	const char *dfile = cx && cx->record_file ? cx->record_file : hk->file;
	call c = { .h = h, .hk = hk, .kind = CALL_PAGE, .page = page, .cx = cx };
	if (run(h, &c, dfile, 0, d) < 0)
		return -1;
	int r = 0;
	if (lua_type(h->L, -1) == LUA_TTABLE) {
		buf err = BUF_INIT;
		size_t left = MAX_PAGE_VALUES;
		value *v = hk_to_value(h->L, h, -1, 0, "", &err, &left);
		if (!v) {
			diag_error(d, dfile, 0, "hook '%s' failed: %s: the returned table: %s",
				hk->name, c.where, err.ptr);
			r = -1;
		} else if (v->kind != VAL_MAP) {
			if (value_len(v) == 0) {
				value_free(v);
				v = value_map(0);
			} else {
				diag_error(d, dfile, 0, "hook '%s' failed: %s: the hook returned a "
					"list, expected a table with named keys", hk->name,
					c.where);
				value_free(v);
				v = NULL;
				r = -1;
			}
		}
		*out = v;
		buf_release(&err);
	}
	lua_settop(h->L, 0);
	return r;
}

static int valid_name(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-' &&
			*s != '_')
			return 0;
	return 1;
}

static int load_one(hooks *h, const hook_source *src, diag_list *d)
{
	lua_State *L = h->L;
	const char *file = src->file ? src->file : src->name;
	if (!valid_name(src->name)) {
		diag_error(d, file, 0, "hook name '%s' must be lower-case letters, digits, '-' "
			"and '_'", src->name ? src->name : "");
		return -1;
	}
	if (src->len > 0 && src->code[0] == LUA_SIGNATURE[0]) {
		diag_error(d, file, 0, "hook '%s' is precompiled Lua bytecode; hooks are loaded as "
			"source text only", src->name);
		return -1;
	}
	char *chunkname = xasprintf("@%s", file);
	h->limited = 0;
	int status = luaL_loadbufferx(L, src->code, src->len, chunkname, "t");
	free(chunkname);
	if (status != LUA_OK) {
		const char *msg = lua_tostring(L, -1);
		const char *rest;
		int line = split_position(msg ? msg : "", &rest);
		diag_error(d, file, line, "syntax error in hook '%s': %s", src->name, rest);
		lua_settop(L, 0);
		return -1;
	}
	hook_ent *e = find_hook(h, src->name);
	if (!e) {
		h->ents = xgrow(h->ents, sizeof *h->ents, h->n + 1, &h->cap_ents);
		e = &h->ents[h->n++];
		e->name = xstrdup(src->name);
		e->file = NULL;
		e->ref = LUA_NOREF;
		e->not_block = 0;
	}
	free(e->file);
	e->file = xstrdup(file);
	luaL_unref(L, LUA_REGISTRYINDEX, e->ref);
	e->ref = luaL_ref(L, LUA_REGISTRYINDEX);
	return 0;
}

int hooks_open(hooks **out, const hook_source *theme, size_t n_theme,
	const hook_source *content, size_t n_content, const hooks_limits *lim, diag_list *d)
{
	*out = NULL;
	hooks *h = xcalloc(1, sizeof *h);
	h->cap = lim && lim->memory ? lim->memory : DEFAULT_MEMORY;
	h->instr_limit = lim && lim->instructions > 0 ? lim->instructions : DEFAULT_INSTRUCTIONS;
	h->seconds = lim && lim->seconds > 0 ? lim->seconds : DEFAULT_SECONDS;
	hk_watch(h);
	h->site_ref = LUA_NOREF;
	buf_init(&h->scratch);
	buf_init(&h->path);
	buf_init(&h->value_buf);
	buf_init(&h->reads);
	h->L = lua_newstate(hk_sandbox_alloc, h);
	if (!h->L) {
		fprintf(stderr, "avoin: out of memory creating a Lua state\n");
		abort();
	}
	*(hooks **)lua_getextraspace(h->L) = h;
	lua_atpanic(h->L, hk_on_panic);
	hk_build_sandbox(h);

	/* Content hooks replace theme hooks of the same name; only the winners are compiled. */
	int errors = 0;
	for (size_t i = 0; i < n_theme; i++) {
		size_t k;
		for (k = 0; k < n_content; k++)
			if (theme[i].name && content[k].name &&
				!strcmp(theme[i].name, content[k].name))
				break;
		if (k == n_content && load_one(h, &theme[i], d) < 0)
			errors++;
	}
	for (size_t i = 0; i < n_content; i++)
		if (load_one(h, &content[i], d) < 0)
			errors++;
	lua_gc(h->L, LUA_GCCOLLECT);
	h->base = h->used;
	h->limited = 1;
	/* Run each chunk once now: one that does not return a function fails before any page. */
	for (size_t i = 0; !errors && i < h->n; i++) {
		call c = { .h = h, .hk = &h->ents[i], .kind = CALL_CHECK };
		if (run(h, &c, NULL, 0, d) < 0)
			errors++;
		lua_settop(h->L, 0);
	}
	if (errors) {
		hooks_free(h);
		return -1;
	}
	lua_gc(h->L, LUA_GCCOLLECT);
	h->base = h->used;
	*out = h;
	return 0;
}

void hooks_free(hooks *h)
{
	if (!h)
		return;
	hk_unwatch(h);
	if (h->L)
		lua_close(h->L);
	value_free(h->site_src);
	for (size_t i = 0; i < h->n; i++) {
		free(h->ents[i].name);
		free(h->ents[i].file);
	}
	free(h->ents);
	buf_release(&h->scratch);
	buf_release(&h->reads);
	buf_release(&h->path);
	buf_release(&h->value_buf);
	free(h);
}

/*
 * 1 when a body may call a hook: some fence (``` or ~~~, anywhere, so also
 * in lists and quotes) is followed by the name of a hook. Errs on the side
 * of yes: a yes only makes the cache key stricter.
 */
int hooks_body_calls(const hooks *h, const char *body, size_t len)
{
	if (!h)
		return 0;
	for (size_t i = 0; i + 3 <= len; i++) {
		if (!((body[i] == '`' || body[i] == '~') && body[i + 1] == body[i] &&
		      body[i + 2] == body[i]))
			continue;
		size_t a = i + 3;
		while (a < len && (body[a] == body[i] || body[a] == ' ' || body[a] == '\t'))
			a++;
		size_t z = a;
		while (z < len && z - a < 64 && body[z] != ' ' && body[z] != '\t' && body[z] != '\n' &&
		       body[z] != '{' && body[z] != '`' && body[z] != '~')
			z++;
		if (z > a) {
			char name[65];
			memcpy(name, body + a, z - a);
			name[z - a] = '\0';
			if (hooks_has(h, name))
				return 1;
		}
		i = z > i + 2 ? z - 1 : i + 2;
	}
	return 0;
}

unsigned long hooks_site_reads(const hooks *h)
{
	return h ? h->site_calls : 0;
}

void hooks_count_site_read(hooks *h)
{
	if (h)
		h->site_calls++;
}

unsigned long hooks_site_converted(const hooks *h)
{
	return h ? h->site_tables : 0;
}
