/*
 * The site model, records and pages as read-only or read-tracked Lua tables, and Lua values back to value trees (see hooks_impl.h).
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

void hk_shared_begin(hooks *h, shared_mark *m)
{
	m->limited = h->limited;
	m->counting = h->counting;
	m->counted = h->counted;
	h->limited = 0;
	h->counting = 1;
	h->counted = 0;
}

void hk_shared_end(hooks *h, const shared_mark *m)
{
	h->base += h->counted;
	h->site_bytes += h->counted;
	h->limited = m->limited;
	h->counting = m->counting;
	h->counted = m->counted;
}

/* A scalar of the model as push_value() pushes it (null is false: only lists hold one). */
void hk_push_scalar(lua_State *L, const value *v)
{
	switch (v->kind) {
	case VAL_BOOL:
		lua_pushboolean(L, v->u.boolean);
		break;
	case VAL_NUMBER:
		hk_push_number(L, v->u.number);
		break;
	case VAL_STRING:
		lua_pushlstring(L, v->u.str.ptr, v->u.str.len);
		break;
	default:
		lua_pushboolean(L, 0);
		break;
	}
}

int hk_is_container(const value *v)
{
	return v->kind == VAL_LIST || v->kind == VAL_MAP;
}

/*
 * item[key] (key at index key) of model data not converted yet (v, a map or
 * a list), as a rawget on its converted table would find it: NULL for nil;
 * VAL_NULL only from a list, where it is false.
 */
const value *hk_model_get(lua_State *L, const value *v, int key)
{
	if (v->kind == VAL_MAP) {
		if (lua_type(L, key) != LUA_TSTRING)
			return NULL;
		size_t len;
		const char *s = lua_tolstring(L, key, &len);
		if (strlen(s) != len)
			return NULL;   /* the model's keys are C strings */
		const value *c = value_map_get(v, s);
		return c && c->kind != VAL_NULL ? c : NULL;
	}
	if (v->kind != VAL_LIST || lua_type(L, key) != LUA_TNUMBER)
		return NULL;
	int exact;
	lua_Integer i = lua_tointegerx(L, key, &exact);  /* 2.0 is the key 2, as in a table */
	return exact && i >= 1 && (lua_Unsigned)i <= v->u.list.n ? v->u.list.items[i - 1] : NULL;
}

/*
 * The site model reaches Lua level by level. A proxy whose data no hook has
 * needed yet maps in p2d to the model's own value, as a light userdata (the
 * model outlives every call: push_site() holds a reference, and a proxy of
 * an older model is unreachable from any later call). The first read
 * through the proxy that needs its table (see ro_index) converts that one
 * level: scalars as push_value() does, YAML null left out of maps and false
 * in lists, and each map or list becomes a new proxy of its value; then
 * p2d[proxy] is the converted table. A page hook that filters the records
 * of one region and reads a few fields of each converts a fraction of the
 * model, not all of it.
 *
 * Converts the level of v for the proxy at index proxy (p2d at index p2d)
 * and pushes the data table.
 */
static void convert_level(lua_State *L, hooks *h, int p2d, int proxy, const value *v)
{
	luaL_checkstack(L, 8, "data nested too deeply");
	shared_mark m;
	hk_shared_begin(h, &m);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->ro_mt_ref);
	int mt = lua_gettop(L);
	int list = v->kind == VAL_LIST;
	size_t n = list ? v->u.list.n : v->u.map.n;
	if (list)
		lua_createtable(L, (int)n, 0);
	else
		lua_createtable(L, 0, (int)n);
	for (size_t i = 0; i < n; i++) {
		const value *c = list ? v->u.list.items[i] : v->u.map.vals[i];
		if (!list) {
			if (c->kind == VAL_NULL)
				continue;
			lua_pushstring(L, v->u.map.keys[i]);
		}
		if (hk_is_container(c)) {
			lua_createtable(L, 0, 0);
			lua_pushvalue(L, mt);
			lua_setmetatable(L, -2);
			lua_pushvalue(L, -1);
			lua_pushlightuserdata(L, (void *)c);
			lua_rawset(L, p2d);
		} else {
			hk_push_scalar(L, c);
		}
		if (list)
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		else
			lua_rawset(L, -3);
	}
	lua_pushvalue(L, proxy);
	lua_pushvalue(L, -2);
	lua_rawset(L, p2d);
	lua_remove(L, mt);
	h->site_tables++;
	hk_shared_end(h, &m);
}

/* Pushes the data table behind the proxy at idx (converting its level first), or nil. */
void hk_proxy_data(lua_State *L, int p2d, int idx)
{
	p2d = lua_absindex(L, p2d);
	idx = lua_absindex(L, idx);
	lua_pushvalue(L, idx);
	if (lua_rawget(L, p2d) == LUA_TLIGHTUSERDATA) {
		const value *v = lua_touserdata(L, -1);
		lua_pop(L, 1);
		convert_level(L, self(L), p2d, idx, v);
	}
}

/*
 * Whether push_value() of v would go deeper than MAX_DEPTH (null map values
 * do not count: they are left out). Checked over the whole model on its
 * first read, so that a model too deep fails there, as when it was converted
 * all at once, and not later at whichever level a hook happens to reach.
 */
static int too_deep(const value *v, int depth)
{
	if (depth > MAX_DEPTH)
		return 1;
	int list = v->kind == VAL_LIST;
	size_t n = list ? v->u.list.n : v->kind == VAL_MAP ? v->u.map.n : 0;
	for (size_t i = 0; i < n; i++) {
		const value *c = list ? v->u.list.items[i] : v->u.map.vals[i];
		if (!list && c->kind == VAL_NULL)
			continue;
		if (depth + 1 > MAX_DEPTH || (hk_is_container(c) && too_deep(c, depth + 1)))
			return 1;
	}
	return 0;
}

/*
 * The site model is handed to Lua on the first read of its root, not
 * before: most calls (indicator tables, summaries) never read it. Until
 * then the root proxy stands for an empty table; from then on it maps to
 * the model, whose levels are converted as hooks read them.
 */
static void load_site(lua_State *L, hooks *h)
{
	if (too_deep(h->site_src, 0))
		luaL_error(L, "data nested deeper than %d levels", MAX_DEPTH);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->p2d_ref);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->site_ref);
	if (hk_is_container(h->site_src))
		lua_pushlightuserdata(L, (void *)h->site_src);
	else
		lua_pushnil(L);   /* a scalar has no table: the root reads as empty */
	lua_rawset(L, -3);    /* replaces the empty table: allocates nothing */
	lua_pop(L, 1);
	h->site_loaded = 1;
}

/*
 * Notes a read of the site model's root. Every call starts from a fresh
 * environment and the model is reached only through its root (the third
 * argument), so a call that never reads the root depends on the model in no way.
 */
static void note_site_read(lua_State *L)
{
	hooks *h = self(L);
	if ((h->site_used && h->site_loaded) || h->site_ref == LUA_NOREF)
		return;
	/* the registry keeps the root alive, so its address names it (no lookup per read) */
	if (lua_type(L, 1) != LUA_TTABLE || lua_topointer(L, 1) != h->site_ptr)
		return;
	h->site_used = 1;
	if (!h->site_loaded)
		load_site(L, h);
}

/*
 * A read through a proxy whose level is not converted yet is answered from
 * the model itself when that allocates nothing: nil, a number, a boolean, a
 * short string the state already holds (Lua interns those: type names,
 * slugs, dates seen before). The records a page hook only filters by type
 * so stay unconverted. Anything else converts the level: a map or a list
 * must be the same proxy on every read, and a new string belongs with the
 * model's data in base (the cap does not count it), held by the converted
 * table (a long string is copied on every push: it goes there directly).
 */
int hk_ro_index(lua_State *L)
{
	hooks *h = self(L);
	note_site_read(L);
	lua_pushvalue(L, 1);
	if (lua_rawget(L, lua_upvalueindex(1)) == LUA_TLIGHTUSERDATA) {
		const value *v = lua_touserdata(L, -1);
		const value *c = hk_model_get(L, v, 2);
		if (!c)
			return 0;
		if (!hk_is_container(c) && !(c->kind == VAL_STRING && c->u.str.len > SHORT_STRING)) {
			shared_mark m;
			hk_shared_begin(h, &m);
			hk_push_scalar(L, c);
			int fresh = h->counted != 0;
			hk_shared_end(h, &m);
			if (!fresh)
				return 1;
			/* kept on the stack until the level holds it */
		}
		convert_level(L, h, lua_upvalueindex(1), 1, v);
	}
	if (!lua_istable(L, -1))
		return 0;
	lua_pushvalue(L, 2);
	lua_rawget(L, -2);
	return 1;
}

int hk_ro_newindex(lua_State *L)
{
	return luaL_error(L, "attempt to change read-only data (the site model and the "
		"libraries are shared by every hook call)");
}

/* The length of a level not converted yet needs no conversion: a map's table has no
 * integer keys, a list's has every one (null is false). */
int hk_ro_len(lua_State *L)
{
	note_site_read(L);
	lua_pushvalue(L, 1);
	int t = lua_rawget(L, lua_upvalueindex(1));
	lua_Integer n = 0;
	if (t == LUA_TTABLE) {
		n = (lua_Integer)lua_rawlen(L, -1);
	} else if (t == LUA_TLIGHTUSERDATA) {
		const value *v = lua_touserdata(L, -1);
		n = v->kind == VAL_LIST ? (lua_Integer)v->u.list.n : 0;
	}
	lua_pushinteger(L, n);
	return 1;
}

int hk_ro_pairs(lua_State *L)
{
	note_site_read(L);
	hk_proxy_data(L, lua_upvalueindex(1), 1);
	if (!lua_istable(L, -1))
		lua_newtable(L);
	return hk_push_sorted_pairs(L, lua_gettop(L));
}

int hk_is_ro(lua_State *L, int idx)
{
	hooks *h = self(L);
	if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx))
		return 0;
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->ro_mt_ref);
	int r = lua_rawequal(L, -1, -2);
	lua_pop(L, 2);
	return r;
}

/* Replaces the table on top of the stack by a read-only proxy of it. */
void hk_make_ro(lua_State *L, hooks *h)
{
	lua_newtable(L);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->p2d_ref);
	lua_pushvalue(L, -2);
	lua_pushvalue(L, -4);
	lua_rawset(L, -3);
	lua_pop(L, 1);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->ro_mt_ref);
	lua_setmetatable(L, -2);
	lua_remove(L, -2);
}

void hk_note_read(hooks *h, char role, const char *k, size_t n)
{
	if (!h->tracking)
		return;
	if (memchr(k, '\n', n) || memchr(k, '\0', n)) {
		h->untrackable = 1;
		return;
	}
	buf_putc(&h->reads, role);
	buf_putc(&h->reads, ':');
	buf_put(&h->reads, k, n);
	buf_putc(&h->reads, '\n');
}

/* The data table behind tracked proxy idx (pushed), and its role ('r' or 'b'); 0 when idx is none. */
char hk_tracked_data(lua_State *L, int idx)
{
	hooks *h = self(L);
	idx = lua_absindex(L, idx);
	if (lua_type(L, idx) != LUA_TTABLE || h->trk_ref == LUA_NOREF)
		return 0;
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->trk_ref);
	lua_pushvalue(L, idx);
	lua_rawget(L, -2);
	lua_remove(L, -2);
	if (!lua_istable(L, -1)) {
		lua_pop(L, 1);
		return 0;
	}
	lua_getfield(L, -1, "\1role");   /* a key no front matter can have */
	char role = (char)lua_tointeger(L, -1);
	lua_pop(L, 1);
	return role;
}

int hk_trk_index(lua_State *L)
{
	hooks *h = self(L);
	char role = hk_tracked_data(L, 1);
	if (!role)
		return 0;
	if (lua_type(L, 2) == LUA_TSTRING) {
		size_t n;
		const char *k = lua_tolstring(L, 2, &n);
		/* a block's text and attributes are in the memo's first key */
		if (!(role == 'b' && ((n == 4 && !memcmp(k, "text", 4)) ||
				(n == 5 && !memcmp(k, "attrs", 5)))))
			hk_note_read(h, role, k, n);
	} else if (h->tracking) {
		h->untrackable = 1;
	}
	lua_pushvalue(L, 2);
	lua_rawget(L, -2);
	return 1;
}

int hk_trk_newindex(lua_State *L)
{
	lua_settop(L, 3);
	lua_rawset(L, 1);
	return 0;
}

int hk_trk_len(lua_State *L)
{
	char role = hk_tracked_data(L, 1);
	if (!role)
		return 0;
	hk_note_read(self(L), role, "*", 1);
	lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
	return 1;
}

int hk_trk_pairs(lua_State *L)
{
	char role = hk_tracked_data(L, 1);
	if (!role)
		return 0;
	hk_note_read(self(L), role, "*", 1);
	/* the data, with what the hook wrote into the proxy on top, in the sandbox's fixed order */
	int srcs[2] = { lua_gettop(L), 1 };
	lua_newtable(L);
	int merged = lua_gettop(L);
	for (int i = 0; i < 2; i++) {
		lua_pushnil(L);
		while (lua_next(L, srcs[i])) {
			if (lua_type(L, -2) == LUA_TSTRING && !strcmp(lua_tostring(L, -2), "\1role")) {
				lua_pop(L, 1);
				continue;
			}
			lua_pushvalue(L, -2);
			lua_insert(L, -2);
			lua_rawset(L, merged);
		}
	}
	return hk_push_sorted_pairs(L, merged);
}

/* Replaces the table on top with a read-tracked proxy of it (role 'r' record, 'b' block). */
void hk_make_tracked(lua_State *L, hooks *h, char role)
{
	int data = lua_gettop(L);
	lua_pushinteger(L, role);
	lua_setfield(L, data, "\1role");
	lua_newtable(L);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->trk_mt_ref);
	lua_setmetatable(L, -2);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->trk_ref);
	lua_pushvalue(L, -2);
	lua_pushvalue(L, data);
	lua_rawset(L, -3);
	lua_pop(L, 1);
	lua_replace(L, data);
}

void hk_push_number(lua_State *L, double d)
{
	if (isfinite(d) && d == floor(d) && fabs(d) < 9007199254740992.0)
		lua_pushinteger(L, (lua_Integer)d);
	else
		lua_pushnumber(L, d);
}

/*
 * Converts v into fresh tables (the site model goes level by level instead:
 * convert_level). YAML null is left out of maps (as if absent) and is false
 * in lists (a hole would end ipairs).
 */
void hk_push_value(lua_State *L, hooks *h, const value *v, int depth)
{
	if (depth > MAX_DEPTH)
		luaL_error(L, "data nested deeper than %d levels", MAX_DEPTH);
	luaL_checkstack(L, 6, "data nested too deeply");
	switch (v->kind) {
	case VAL_NULL:
	case VAL_BOOL:
	case VAL_NUMBER:
	case VAL_STRING:
		hk_push_scalar(L, v);
		break;
	case VAL_LIST:
		lua_createtable(L, (int)v->u.list.n, 0);
		for (size_t i = 0; i < v->u.list.n; i++) {
			hk_push_value(L, h, v->u.list.items[i], depth + 1);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		break;
	case VAL_MAP:
		lua_createtable(L, 0, (int)v->u.map.n);
		for (size_t i = 0; i < v->u.map.n; i++) {
			if (v->u.map.vals[i]->kind == VAL_NULL)
				continue;
			lua_pushstring(L, v->u.map.keys[i]);
			hk_push_value(L, h, v->u.map.vals[i], depth + 1);
			lua_rawset(L, -3);
		}
		break;
	}
}

typedef struct kv {
	const char *key;
	size_t len;
	lua_Integer ikey;
	value *val;
} kv;

static int kv_cmp(const void *pa, const void *pb)
{
	const kv *a = pa, *b = pb;
	if (!a->key)
		return a->ikey < b->ikey ? -1 : a->ikey > b->ikey;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->key, b->key, n);
	return c ? c : (a->len > b->len) - (a->len < b->len);
}

/*
 * What to_value() gives for the table convert_level() would make of v (a
 * map or list of the model not converted yet), read from the model itself:
 * to_value() runs outside any protected call, where Lua must not allocate.
 * The same values, the same count against *left and the same messages as
 * converting first would give; map keys are visited in their sorted order.
 */
static value *model_to_value(const value *v, int depth, const char *path, buf *err,
	size_t *left)
{
	if (*left == 0) {
		buf_printf(err, "'%s': the data has more than %d values", path, MAX_PAGE_VALUES);
		return NULL;
	}
	(*left)--;
	if (depth > MAX_DEPTH) {
		buf_printf(err, "'%s' is nested deeper than %d levels", path, MAX_DEPTH);
		return NULL;
	}
	int list = v->kind == VAL_LIST;
	size_t n = 0, total = list ? v->u.list.n : v->u.map.n;
	kv *items = xcalloc(total ? total : 1, sizeof *items);
	for (size_t i = 0; i < total; i++) {
		value *c = list ? v->u.list.items[i] : v->u.map.vals[i];
		if (!list && c->kind == VAL_NULL)
			continue;
		items[n].key = list ? NULL : v->u.map.keys[i];
		items[n].len = list ? 0 : strlen(items[n].key);
		items[n].ikey = (lua_Integer)i + 1;
		items[n++].val = c;
	}
	if (!list)
		qsort(items, n, sizeof *items, kv_cmp);
	value *result = list || n == 0 ? value_list(0) : value_map(0);
	buf sub = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		const value *c = items[i].val;
		value *cv = NULL;
		buf_reset(&sub);
		if (list)
			buf_printf(&sub, "%s[%lld]", path, (long long)items[i].ikey);
		else
			buf_printf(&sub, "%s%s%s", path, path[0] ? "." : "", items[i].key);
		/* the child as to_value() sees it: a scalar, or a proxy and then its data */
		if (*left == 0) {
			buf_printf(err, "'%s': the data has more than %d values", sub.ptr,
				MAX_PAGE_VALUES);
			goto fail;
		}
		(*left)--;
		switch (c->kind) {
		case VAL_NULL:
		case VAL_BOOL:
			cv = value_bool(c->kind == VAL_BOOL && c->u.boolean, 0);
			break;
		case VAL_NUMBER: {
			double d = c->u.number;
			if (!isfinite(d)) {
				buf_printf(err, "'%s' is not a finite number", sub.ptr);
				goto fail;
			}
			/* push_number() made an integer of it: -0 comes back as 0 */
			if (d == floor(d) && fabs(d) < 9007199254740992.0)
				d = (double)(lua_Integer)d;
			cv = value_number(d, 0);
			break;
		}
		case VAL_STRING:
			if (!utf8_valid(c->u.str.ptr, c->u.str.len)) {
				buf_printf(err, "'%s' is not valid UTF-8", sub.ptr);
				goto fail;
			}
			cv = value_stringn(c->u.str.ptr, c->u.str.len, 0);
			break;
		case VAL_LIST:
		case VAL_MAP:
			if (depth + 1 > MAX_DEPTH) {
				buf_printf(err, "'%s' is nested deeper than %d levels", sub.ptr,
					MAX_DEPTH);
				goto fail;
			}
			cv = model_to_value(c, depth + 1, sub.ptr, err, left);
			if (!cv)
				goto fail;
			break;
		}
		if (list)
			value_list_push(result, cv);
		else
			value_map_set(result, items[i].key, cv);
	}
	buf_release(&sub);
	free(items);
	return result;
fail:
	buf_release(&sub);
	free(items);
	value_free(result);
	return NULL;
}

/*
 * A Lua value back to a value tree, for page data. Runs outside any
 * protected call, so it only uses functions that cannot raise (no
 * allocation in Lua): lua_next, lua_type, lua_to* on values of the right
 * type, lua_rawget. Map keys are sorted bytewise, since Lua's own order
 * changes from run to run. Returns NULL with a message in err.
 */
value *hk_to_value(lua_State *L, hooks *h, int idx, int depth, const char *path, buf *err,
	size_t *left)
{
	idx = lua_absindex(L, idx);
	/* A table used many times over is converted as often: bound the whole. */
	if (*left == 0) {
		buf_printf(err, "'%s': the data has more than %d values", path, MAX_PAGE_VALUES);
		return NULL;
	}
	(*left)--;
	switch (lua_type(L, idx)) {
	case LUA_TBOOLEAN:
		return value_bool(lua_toboolean(L, idx), 0);
	case LUA_TNUMBER: {
		if (lua_isinteger(L, idx))
			return value_number((double)lua_tointeger(L, idx), 0);
		double d = lua_tonumber(L, idx);
		if (!isfinite(d)) {
			buf_printf(err, "'%s' is not a finite number", path);
			return NULL;
		}
		return value_number(d, 0);
	}
	case LUA_TSTRING: {
		size_t n;
		const char *s = lua_tolstring(L, idx, &n);
		if (!utf8_valid(s, n) || text_control_at(s, n) != (size_t)-1) {
			buf_printf(err, "'%s' is not valid UTF-8 text (or holds a control "
				"character)", path);
			return NULL;
		}
		return value_stringn(s, n, 0);
	}
	case LUA_TTABLE:
		break;
	default:
		if (hk_is_element(L, idx)) {
			buf_printf(err, "'%s' is an element; page data is data, the templates "
				"write the HTML", path);
			return NULL;
		}
		buf_printf(err, "'%s' is a %s; page data holds strings, numbers, booleans and "
			"tables", path, lua_typename(L, lua_type(L, idx)));
		return NULL;
	}
	if (depth > MAX_DEPTH || !lua_checkstack(L, 6)) {
		buf_printf(err, "'%s' is nested deeper than %d levels", path, MAX_DEPTH);
		return NULL;
	}
	if (hk_is_ro(L, idx)) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, h->p2d_ref);
		lua_pushvalue(L, idx);
		lua_rawget(L, -2);
		lua_remove(L, -2);
		value *v;
		if (lua_istable(L, -1))
			v = hk_to_value(L, h, -1, depth, path, err, left);
		else if (lua_type(L, -1) == LUA_TLIGHTUSERDATA)
			v = model_to_value(lua_touserdata(L, -1), depth, path, err, left);
		else
			v = value_map(0);
		lua_pop(L, 1);
		return v;
	}
	kv *items = NULL;
	size_t n = 0, cap = 0, nint = 0;
	lua_Integer maxint = 0;
	value *result = NULL;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		items = xgrow(items, sizeof *items, n + 1, &cap);
		kv *e = &items[n];
		memset(e, 0, sizeof *e);
		buf sub = BUF_INIT;
		if (lua_type(L, -2) == LUA_TSTRING) {
			e->key = lua_tolstring(L, -2, &e->len);
			buf_printf(&sub, "%s%s%s", path, path[0] ? "." : "", e->key);
		} else if (lua_isinteger(L, -2) && lua_tointeger(L, -2) > 0) {
			e->ikey = lua_tointeger(L, -2);
			nint++;
			if (e->ikey > maxint)
				maxint = e->ikey;
			buf_printf(&sub, "%s[%lld]", path, (long long)e->ikey);
		} else {
			buf_printf(err, "'%s' has a key of type %s; page data keys are strings",
				path, luaL_typename(L, -2));
			buf_release(&sub);
			lua_pop(L, 2);
			goto out;
		}
		n++;
		e->val = hk_to_value(L, h, -1, depth + 1, sub.ptr, err, left);
		buf_release(&sub);
		lua_pop(L, 1);
		if (!e->val) {
			lua_pop(L, 1);
			goto out;
		}
	}
	if (nint && nint != n) {
		buf_printf(err, "'%s' mixes list items and named keys", path);
		goto out;
	}
	if (nint && (size_t)maxint != n) {
		buf_printf(err, "'%s' is a list with holes", path);
		goto out;
	}
	if (n)
		qsort(items, n, sizeof *items, kv_cmp);
	if (nint || n == 0) {  /* {} is an empty list: falsy for a template section */
		result = value_list(0);
		for (size_t i = 0; i < n; i++) {
			value_list_push(result, items[i].val);
			items[i].val = NULL;
		}
	} else {
		result = value_map(0);
		for (size_t i = 0; i < n; i++) {
			if (memchr(items[i].key, '\0', items[i].len)) {
				buf_printf(err, "'%s' has a key with a NUL byte", path);
				value_free(result);
				result = NULL;
				goto out;
			}
			value_map_set(result, items[i].key, items[i].val);
			items[i].val = NULL;
		}
	}
out:
	for (size_t i = 0; i < n; i++)
		if (items[i].val)
			value_free(items[i].val);
	free(items);
	return result;
}
