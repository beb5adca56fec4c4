/*
 * The avoin.* library (see hooks_impl.h).
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

/*
 * What hooks get besides the standard libraries, in a read-only table:
 *   avoin.el(tag [, attrs], children...)   an element of an HTML tree (below)
 *   avoin.escape(s)                        s with & < > " ' escaped
 *   avoin.format_number(n [, decimals [, lang]])
 *                                          "1 234,5" for fi and sv (U+00A0 between
 *                                          thousands, decimal comma, U+2212 minus),
 *                                          "1,234.5" for en; decimals default to as many
 *                                          as the number has
 *   avoin.format_date(iso [, lang])        "20.11.2023" (fi, sv), "20 November 2023" (en)
 *   avoin.parse_number(s)                  a number as people paste it, and its decimals
 *   avoin.points({x1, y1, ...})            "x1,y1 x2,y2": svg points, rounded to tenths
 *   avoin.where(list, key, value)          the items whose [key] is value
 *   avoin.read(path)                       a data file of the record's region (src=)
 *   avoin.error(message)                   stop the build: the record's data is wrong
 */

static int av_escape(lua_State *L)
{
	size_t n;
	const char *s = luaL_checklstring(L, 1, &n);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': luaL_addstring(&b, "&amp;"); break;
		case '<': luaL_addstring(&b, "&lt;"); break;
		case '>': luaL_addstring(&b, "&gt;"); break;
		case '"': luaL_addstring(&b, "&quot;"); break;
		case '\'': luaL_addstring(&b, "&#39;"); break;
		default: luaL_addchar(&b, s[i]);
		}
	}
	luaL_pushresult(&b);
	return 1;
}

static int lang_is_en(lua_State *L, int idx)
{
	const char *lang = luaL_optstring(L, idx, "fi");
	return !strcmp(lang, "en");
}

/*
 * fi and sv: no-break space (U+00A0) between thousands, decimal comma,
 * minus sign U+2212, as CLDR has them; en: "1,234.5" with a hyphen-minus.
 */
static int av_format_number(lua_State *L)
{
	lua_Number x = luaL_checknumber(L, 1);
	int dec = (int)luaL_optinteger(L, 2, -1);
	int en = lang_is_en(L, 3);
	luaL_argcheck(L, isfinite(x), 1, "expected a finite number");
	luaL_argcheck(L, dec >= -1 && dec <= 10, 2, "decimals must be between 0 and 10");
	luaL_argcheck(L, fabs(x) < 1e300, 1, "number too large to format");
	char tmp[400];
	if (dec < 0 && x == floor(x) && fabs(x) < 1e15)
		dec = 0;
	if (dec < 0) {
		/* as many decimals as the number has, up to 10 */
		snprintf(tmp, sizeof tmp, "%.10f", fabs(x));
		char *dot = strchr(tmp, '.');
		size_t len = strlen(tmp);
		while (len > 0 && tmp[len - 1] == '0')
			len--;
		dec = dot ? (int)(len - (size_t)(dot - tmp) - 1) : 0;
		if (dec < 0)
			dec = 0;
	}
	size_t fast = hk_fixed_fast(tmp, x, dec);
	if (fast)
		tmp[fast] = '\0';
	else
		snprintf(tmp, sizeof tmp, "%.*f", dec, fabs(x));
	int zero = 1;
	for (const char *q = tmp; *q; q++)
		if (*q >= '1' && *q <= '9')
			zero = 0;
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	if (x < 0 && !zero)
		luaL_addstring(&b, en ? "-" : "\xe2\x88\x92");
	const char *dot = strchr(tmp, '.');
	size_t ilen = dot ? (size_t)(dot - tmp) : strlen(tmp);
	for (size_t i = 0; i < ilen; i++) {
		if (i > 0 && (ilen - i) % 3 == 0)
			luaL_addstring(&b, en ? "," : "\xc2\xa0");
		luaL_addchar(&b, tmp[i]);
	}
	if (dot) {
		luaL_addchar(&b, en ? '.' : ',');
		luaL_addstring(&b, dot + 1);
	}
	luaL_pushresult(&b);
	return 1;
}

/*
 * avoin.points({x1, y1, x2, y2, ...}): "x1,y1 x2,y2 ...", each coordinate
 * rounded to a tenth (whole numbers without ".0"), for the points of an svg
 * polyline or polygon: what a chart prints most of, written without Lua's
 * number-to-string conversions.
 */
static int av_points(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_Integer n = (lua_Integer)lua_rawlen(L, 1);
	if (n % 2)
		return luaL_error(L, "points: expected x and y pairs (got %d numbers)", (int)n);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, 1, i);
		int ok;
		double v = lua_tonumberx(L, -1, &ok);
		lua_pop(L, 1);
		if (!ok || !isfinite(v) || fabs(v) > 1e12)
			return luaL_error(L, "points: item %d is not a finite number below 10^12",
				(int)i);
		double k = floor(v * 10 + 0.5);
		char tmp[40];
		size_t len = 0;
		if (i > 1)
			tmp[len++] = i % 2 ? ' ' : ',';
		if (k < 0)
			tmp[len++] = '-';
		unsigned long long u = (unsigned long long)fabs(k);
		len += hk_put_scaled(tmp + len, u % 10 ? u : u / 10, u % 10 ? 1 : 0);
		luaL_addlstring(&b, tmp, len);
	}
	luaL_pushresult(&b);
	return 1;
}

/* "2023-11-20" -> fi, sv: "20.11.2023", en: "20 November 2023". */
static int av_format_date(lua_State *L)
{
	size_t n;
	const char *s = luaL_checklstring(L, 1, &n);
	int en = lang_is_en(L, 2);
	char d[11];
	if (n < 10 || (n > 10 && s[10] != 'T' && s[10] != ' '))
		return luaL_error(L, "format_date: '%s' is not a date (expected YYYY-MM-DD)", s);
	memcpy(d, s, 10);
	d[10] = '\0';
	if (!is_iso_date(d))
		return luaL_error(L, "format_date: '%s' is not a date (expected YYYY-MM-DD)", s);
	int y = atoi(d), m = atoi(d + 5), day = atoi(d + 8);
	static const char *const months[] = { "January", "February", "March", "April", "May",
		"June", "July", "August", "September", "October", "November", "December" };
	if (en)
		lua_pushfstring(L, "%d %s %d", day, months[m - 1], y);
	else
		lua_pushfstring(L, "%d.%d.%d", day, m, y);
	return 1;
}

/* Length of a space that may separate thousands at s: ' ', U+00A0, U+2009, U+202F. */
static size_t space_len(const char *s, size_t n)
{
	if (n >= 1 && s[0] == ' ')
		return 1;
	if (n >= 2 && !memcmp(s, "\xc2\xa0", 2))
		return 2;
	if (n >= 3 && (!memcmp(s, "\xe2\x80\x89", 3) || !memcmp(s, "\xe2\x80\xaf", 3)))
		return 3;
	return 0;
}

/*
 * A number as people paste it: "1 234,5", "-3.25", "−7" (U+2212), "+12".
 * Returns the number and how many decimals it was written with, or nil.
 */
static int av_parse_number(lua_State *L)
{
	size_t n;
	const char *s = luaL_checklstring(L, 1, &n);
	size_t i = 0, k;
	while (i < n && ((k = space_len(s + i, n - i)) || s[i] == '\t')) {
		i += k ? k : 1;
	}
	while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	while (n >= i + 2 && !memcmp(s + n - 2, "\xc2\xa0", 2))
		n -= 2;
	char norm[64];
	size_t o = 0;
	if (i < n && (s[i] == '-' || s[i] == '+')) {
		if (s[i] == '-')
			norm[o++] = '-';
		i++;
	} else if (n - i >= 3 && !memcmp(s + i, "\xe2\x88\x92", 3)) {
		norm[o++] = '-';
		i += 3;
	}
	int digits = 0, decimals = 0, sep = 0;
	while (i < n) {
		if (o + 2 >= sizeof norm) {
			lua_pushnil(L);
			return 1;
		}
		if (isdigit((unsigned char)s[i])) {
			norm[o++] = s[i++];
			digits++;
			if (sep)
				decimals++;
		} else if ((s[i] == ',' || s[i] == '.') && !sep && i + 1 < n &&
			isdigit((unsigned char)s[i + 1])) {
			norm[o++] = '.';
			sep = 1;
			i++;
		} else if (!sep && digits && (k = space_len(s + i, n - i)) && i + k < n &&
			isdigit((unsigned char)s[i + k])) {
			i += k;  /* a thousands separator between digits */
		} else {
			lua_pushnil(L);
			return 1;
		}
	}
	if (!digits) {
		lua_pushnil(L);
		return 1;
	}
	norm[o] = '\0';
	double d = strtod(norm, NULL);
	if (!sep && fabs(d) < 9007199254740992.0)
		lua_pushinteger(L, (lua_Integer)d);
	else
		lua_pushnumber(L, d);
	lua_pushinteger(L, decimals);
	return 2;
}

/*
 * Pushes what to read of the table at idx: the data behind a read-only
 * proxy (a table, or the model's value as a light userdata while its level
 * is not converted), else the table itself.
 */
static void push_readable(lua_State *L, int idx, int p2d, int ro_mt)
{
	if (lua_getmetatable(L, idx)) {
		int ro = lua_rawequal(L, -1, ro_mt);
		lua_pop(L, 1);
		if (ro) {
			lua_pushvalue(L, idx);
			lua_rawget(L, p2d);
			return;
		}
	}
	lua_pushvalue(L, idx);
}

/*
 * Whether c (from model_get) is rawequal to the Lua value at idx, as its
 * conversion would be. Strings are compared in place, so that a scan
 * allocates nothing; a map or list would become a new proxy, equal to
 * nothing a hook holds.
 */
static int model_equal(lua_State *L, const value *c, int idx)
{
	int t = lua_type(L, idx);
	if (!c)
		return t == LUA_TNIL;
	switch (c->kind) {
	case VAL_NULL:
		return t == LUA_TBOOLEAN && !lua_toboolean(L, idx);
	case VAL_BOOL:
		return t == LUA_TBOOLEAN && !lua_toboolean(L, idx) == !c->u.boolean;
	case VAL_NUMBER: {
		if (t != LUA_TNUMBER)
			return 0;
		hk_push_number(L, c->u.number);
		int eq = lua_rawequal(L, -1, idx);
		lua_pop(L, 1);
		return eq;
	}
	case VAL_STRING: {
		if (t != LUA_TSTRING)
			return 0;
		size_t len;
		const char *s = lua_tolstring(L, idx, &len);
		return len == c->u.str.len && !memcmp(s, c->u.str.ptr, len);
	}
	default:
		return 0;
	}
}

static int is_nan(lua_State *L, int idx)
{
	return lua_type(L, idx) == LUA_TNUMBER && lua_tonumber(L, idx) != lua_tonumber(L, idx);
}

/* A value avoin.where's index groups by: a string, a boolean or a number but NaN. A table
 * is looked up by a scan (a proxy made after the index was built would be missing from it). */
static int indexable(lua_State *L, int idx)
{
	int t = lua_type(L, idx);
	return t == LUA_TSTRING || t == LUA_TBOOLEAN || (t == LUA_TNUMBER && !is_nan(L, idx));
}

/*
 * avoin.where(list, key, value [, key, value...]): a new list of the items
 * of list whose item[key] equals value for every pair, e.g. the records of
 * one type in one region. Done in C over
 * the data behind the proxies, so that a page hook can filter the whole
 * site's records without paying for a metamethod call per record, and
 * without converting every record to Lua: items whose level is not
 * converted yet are read from the model itself.
 */
/*
 * The items of the shared, read-only list (the proxy at index list, its data
 * at index data) grouped by item[key] (key at index key), built on the first
 * call and kept while the list lives: the site model never changes, so every
 * later call is a lookup. A group is such a list too (it lives as long), so
 * a search by several keys indexes each group it goes through by the next
 * key. The index is the generator's data, not the hook's: the memory cap
 * does not count it. Pushes the group table (value -> items in list order).
 */
static void push_where_index(lua_State *L, hooks *h, int list, int data, int key, int p2d,
	int ro_mt)
{
	shared_mark m;
	hk_shared_begin(h, &m);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->where_ref);
	int idx = lua_gettop(L);
	lua_pushvalue(L, list);
	if (lua_rawget(L, idx) != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, list);
		lua_pushvalue(L, -2);
		lua_rawset(L, idx);
	}
	int per_key = lua_gettop(L);
	lua_pushvalue(L, key);
	if (lua_rawget(L, per_key) == LUA_TTABLE) {
		lua_replace(L, idx);
		lua_settop(L, idx);
		hk_shared_end(h, &m);
		return;
	}
	lua_pop(L, 1);
	lua_newtable(L);
	int groups = lua_gettop(L);
	lua_Integer n = (lua_Integer)lua_rawlen(L, data);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, data, i);                     /* the item */
		int item = lua_gettop(L);
		if (lua_type(L, item) == LUA_TTABLE) {
			push_readable(L, item, p2d, ro_mt);
			int rt = lua_type(L, -1);
			if (rt == LUA_TLIGHTUSERDATA) {
				const value *c = hk_model_get(L, lua_touserdata(L, -1), key);
				if (c && !hk_is_container(c))
					hk_push_scalar(L, c);
				else
					lua_pushnil(L);
			} else if (rt == LUA_TTABLE) {
				lua_pushvalue(L, key);
				lua_rawget(L, -2);           /* item[key] */
			} else {
				lua_pushnil(L);
			}
			if (indexable(L, -1)) {
				lua_pushvalue(L, -1);
				if (lua_rawget(L, groups) != LUA_TTABLE) {
					lua_pop(L, 1);
					lua_newtable(L);
					lua_pushvalue(L, -2);
					lua_pushvalue(L, -2);
					lua_rawset(L, groups);
				}
				lua_pushvalue(L, item);
				lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
			}
		}
		lua_settop(L, groups);
	}
	lua_pushvalue(L, key);
	lua_pushvalue(L, groups);
	lua_rawset(L, per_key);
	lua_replace(L, idx);
	lua_settop(L, idx);
	hk_shared_end(h, &m);
}

/* Whether item (at idx) matches every key (at 2, 4, ...) and value (3, 5, ...) up to top. */
static int where_match(lua_State *L, int item, int top, int p2d, int ro_mt)
{
	if (lua_type(L, item) != LUA_TTABLE)
		return 0;
	push_readable(L, item, p2d, ro_mt);
	int readable = lua_gettop(L), rt = lua_type(L, readable), match = 1;
	for (int k = 2; match && k < top; k += 2) {
		if (rt == LUA_TLIGHTUSERDATA) {
			match = model_equal(L, hk_model_get(L, lua_touserdata(L, readable), k), k + 1);
		} else {
			if (rt == LUA_TTABLE) {
				lua_pushvalue(L, k);
				lua_rawget(L, readable);
			} else {
				lua_pushnil(L);
			}
			match = lua_rawequal(L, -1, k + 1);
			lua_pop(L, 1);
		}
	}
	lua_settop(L, readable - 1);
	return match;
}

static int av_where(lua_State *L)
{
	hooks *h = self(L);
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_checkany(L, 2);
	luaL_checkany(L, 3);
	/* key, value, key, value...: a key without its value is an error, as with one key */
	int top = lua_gettop(L);
	if ((top - 1) % 2)
		luaL_checkany(L, ++top);
	lua_settop(L, top);
	luaL_checkstack(L, top + 16, "too many keys");
	int p2d = top + 1, ro_mt = top + 2, data = top + 3, out = top + 4;
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->p2d_ref);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->ro_mt_ref);
	/* shared data (a read-only proxy): its own level converted, not its items' */
	int shared = hk_is_ro(L, 1);
	if (shared)
		hk_proxy_data(L, p2d, 1);
	else
		lua_pushvalue(L, 1);
	lua_newtable(L);
	lua_Integer n = lua_istable(L, data) ? (lua_Integer)lua_rawlen(L, data) : 0, k = 0;
	/* searched by usable keys and values: through the index, key by key */
	int usable = shared && n > 32;
	for (int a = 2; usable && a < top; a += 2)
		usable = !lua_isnil(L, a) && !is_nan(L, a) && indexable(L, a + 1);
	if (usable) {
		int list = 1, items = data;
		for (int a = 2; a < top; a += 2) {
			push_where_index(L, h, list, items, a, p2d, ro_mt);
			lua_pushvalue(L, a + 1);
			if (lua_rawget(L, -2) != LUA_TTABLE) {
				lua_settop(L, out);
				return 1;
			}
			list = items = lua_gettop(L);
		}
		/* a copy: the hook may change it */
		lua_Integer m = (lua_Integer)lua_rawlen(L, items);
		for (lua_Integer i = 1; i <= m; i++) {
			lua_rawgeti(L, items, i);
			lua_rawseti(L, out, i);
		}
		lua_settop(L, out);
		return 1;
	}
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, data, i);
		if (where_match(L, lua_gettop(L), top, p2d, ro_mt))
			lua_rawseti(L, out, ++k);
		else
			lua_pop(L, 1);
	}
	return 1;
}

/* avoin.error(message): bad data; the build stops naming the record, without a traceback. */
static int av_error(lua_State *L)
{
	luaL_checkstring(L, 1);
	lua_settop(L, 1);
	return hk_raise_obj(L, 1);
}

/*
 * avoin.read(path): a data file of the record's region (for src=), relative
 * to the record's folder, else to the region's folder; "/a/b.tsv" is from
 * the content root. Returns its text and content path, or nil and the path
 * that was looked for. Records (.md) are not data files: nil. So a hook's
 * result never depends on another record's body, and a commit that changes
 * only a body leaves every other record's cached parts (and the site model's
 * hash, build.c) valid.
 */
static int av_read(lua_State *L)
{
	hooks *h = self(L);
	const char *rel = luaL_checkstring(L, 1);
	const hook_ctx *cx = h->cx;
	if (!cx || !cx->read_file) {
		lua_pushnil(L);
		lua_pushfstring(L, "'%s': no files can be read here", rel);
		return 2;
	}
	size_t len = 0;
	const char *path = NULL;
	hk_note_read(h, 'f', rel, strlen(rel));
	buf_reset(&h->path);
	const char *data = cx->read_file(cx->opaque, rel, &len, &path, &h->path);
	if (!data) {
		lua_pushnil(L);
		lua_pushlstring(L, h->path.ptr, h->path.len);
		return 2;
	}
	size_t at = text_control_at(data, len);
	if (at != (size_t)-1) {
		int line = 1;
		for (size_t k = 0; k < at; k++)
			line += data[k] == '\n';
		char cp[8];
		snprintf(cp, sizeof cp, "%04X", (unsigned)(unsigned char)data[at]);
		return hk_raise_plain(L, "data file '%s' holds the control character U+%s on its "
			"line %d (expected text)", path, cp, line);
	}
	lua_pushlstring(L, data, len);
	lua_pushstring(L, path);
	return 2;
}

/* Pushes a new table of the avoin.* functions (the sandbox makes it read-only). */
void hk_push_avoin(lua_State *L)
{
	static const luaL_Reg avoin[] = {
		{ "el", hk_av_el }, { "error", av_error }, { "escape", av_escape },
		{ "format_date", av_format_date }, { "format_number", av_format_number },
		{ "parse_number", av_parse_number }, { "points", av_points }, { "read", av_read },
		{ "where", av_where }, { NULL, NULL },
	};
	luaL_newlib(L, avoin);
}
