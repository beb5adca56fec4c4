/*
 * The HTML hooks may produce (allow lists, avoin.el, the string sanitiser, numbers as HTML writes them) (see hooks_impl.h).
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

enum { T_HTML = 1, T_SVG = 2, T_VOID = 4 };

typedef struct tag_def {
	const char *name;
	unsigned flags;
} tag_def;

static const tag_def tag_defs[] = {
	{ "a", T_HTML }, { "abbr", T_HTML }, { "b", T_HTML }, { "blockquote", T_HTML },
	{ "br", T_HTML | T_VOID }, { "caption", T_HTML }, { "circle", T_SVG }, { "cite", T_HTML },
	{ "code", T_HTML }, { "col", T_HTML | T_VOID }, { "colgroup", T_HTML }, { "dd", T_HTML },
	{ "defs", T_SVG }, { "desc", T_SVG }, { "details", T_HTML }, { "div", T_HTML },
	{ "dl", T_HTML }, { "dt", T_HTML }, { "ellipse", T_SVG }, { "em", T_HTML },
	{ "figcaption", T_HTML }, { "figure", T_HTML }, { "g", T_SVG }, { "h2", T_HTML },
	{ "h3", T_HTML }, { "h4", T_HTML }, { "h5", T_HTML }, { "h6", T_HTML },
	{ "hr", T_HTML | T_VOID }, { "i", T_HTML }, { "li", T_HTML }, { "line", T_SVG },
	{ "mark", T_HTML }, { "ol", T_HTML }, { "p", T_HTML }, { "path", T_SVG },
	{ "pattern", T_SVG }, { "polygon", T_SVG }, { "polyline", T_SVG }, { "pre", T_HTML },
	{ "q", T_HTML }, { "rect", T_SVG }, { "section", T_HTML }, { "small", T_HTML },
	{ "span", T_HTML }, { "strong", T_HTML }, { "sub", T_HTML }, { "summary", T_HTML },
	{ "sup", T_HTML }, { "svg", T_HTML | T_SVG }, { "table", T_HTML }, { "tbody", T_HTML },
	{ "td", T_HTML }, { "text", T_SVG }, { "tfoot", T_HTML }, { "th", T_HTML },
	{ "thead", T_HTML }, { "time", T_HTML }, { "title", T_SVG }, { "tr", T_HTML },
	{ "tspan", T_SVG }, { "u", T_HTML }, { "ul", T_HTML }, { "wbr", T_HTML | T_VOID },
};

/* A_FOCUS: tabindex, "0" or "-1" only: a hook may make a scroll box reachable by
 * keyboard, never reorder the page's tab order. */
enum { A_URL = 1, A_FOCUS = 2 };

typedef struct attr_def {
	const char *name;
	unsigned flags;
} attr_def;

/* No event handlers, no style, no src: nothing here can run code or fetch anything. */
static const attr_def attr_defs[] = {
	{ "abbr", 0 }, { "cite", A_URL }, { "class", 0 }, { "colspan", 0 }, { "cx", 0 },
	{ "cy", 0 }, { "d", 0 }, { "datetime", 0 }, { "dir", 0 }, { "dominant-baseline", 0 },
	{ "dx", 0 }, { "dy", 0 }, { "fill", 0 }, { "fill-opacity", 0 }, { "focusable", 0 },
	{ "font-family", 0 }, { "font-size", 0 }, { "font-weight", 0 }, { "headers", 0 },
	{ "height", 0 }, { "hidden", 0 }, { "href", A_URL }, { "hreflang", 0 }, { "id", 0 },
	{ "lang", 0 }, { "opacity", 0 }, { "open", 0 }, { "patternTransform", 0 },
	{ "patternUnits", 0 }, { "points", 0 }, { "preserveAspectRatio", 0 }, { "r", 0 },
	{ "rel", 0 }, { "reversed", 0 }, { "role", 0 }, { "rowspan", 0 }, { "rx", 0 },
	{ "ry", 0 }, { "scope", 0 }, { "shape-rendering", 0 }, { "span", 0 }, { "start", 0 },
	{ "stroke", 0 }, { "stroke-dasharray", 0 }, { "stroke-linecap", 0 },
	{ "stroke-linejoin", 0 }, { "stroke-opacity", 0 }, { "stroke-width", 0 },
	{ "tabindex", A_FOCUS }, { "text-anchor", 0 }, { "title", 0 }, { "transform", 0 }, { "vector-effect", 0 },
	{ "viewBox", 0 }, { "width", 0 }, { "x", 0 }, { "x1", 0 }, { "x2", 0 }, { "xmlns", 0 },
	{ "y", 0 }, { "y1", 0 }, { "y2", 0 },
};

/* 1 when name (NUL-terminated) is s[0..n) ignoring ASCII case; cheap on a mismatch. */
/* ASCII lower case: HTML names are case-insensitive in ASCII only, whatever the locale. */
static inline unsigned char ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

/*
 * s[0..n) against name, ignoring ASCII case: <0, 0 or >0 as s sorts before,
 * with or after it. The tables above are sorted so (hooks_allow_lists_sorted,
 * checked by test_hooks), and searched by halves.
 */
static int name_cmp(const char *name, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!name[i])
			return 1;
		unsigned char a = ascii_lower((unsigned char)s[i]),
			      b = ascii_lower((unsigned char)name[i]);
		if (a != b)
			return a < b ? -1 : 1;
	}
	return name[n] ? -1 : 0;
}

/* The index in a sorted table of defs (of size bytes each, name first) of s[0..n), or -1. */
static long find_name(const void *defs, size_t count, size_t size, const char *s, size_t n)
{
	size_t lo = 0, hi = count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *name = *(const char *const *)(const void *)((const char *)defs + mid * size);
		int c = name_cmp(name, s, n);
		if (c == 0)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

static int defs_sorted(const void *defs, size_t count, size_t size)
{
	for (size_t i = 1; i < count; i++) {
		const char *a = *(const char *const *)(const void *)((const char *)defs + (i - 1) * size);
		const char *b = *(const char *const *)(const void *)((const char *)defs + i * size);
		if (name_cmp(a, b, strlen(b)) <= 0)
			return 0;
	}
	return 1;
}

int hooks_allow_lists_sorted(void)
{
	return defs_sorted(tag_defs, sizeof tag_defs / sizeof *tag_defs, sizeof *tag_defs) &&
		defs_sorted(attr_defs, sizeof attr_defs / sizeof *attr_defs, sizeof *attr_defs);
}

static const tag_def *find_tag(const char *s, size_t n)
{
	long i = find_name(tag_defs, sizeof tag_defs / sizeof *tag_defs, sizeof *tag_defs, s, n);
	return i < 0 ? NULL : &tag_defs[i];
}

/* The canonical name of an allowed attribute (aria-* and data-* as written, lower case). */
static int find_attr(const char *s, size_t n, const char **canon, unsigned *flags)
{
	long at = find_name(attr_defs, sizeof attr_defs / sizeof *attr_defs, sizeof *attr_defs, s, n);
	if (at >= 0) {
		*canon = attr_defs[at].name;
		*flags = attr_defs[at].flags;
		return 1;
	}
	if (n > 5 && (!strncmp(s, "aria-", 5) || !strncmp(s, "data-", 5))) {
		for (size_t i = 5; i < n; i++)
			if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) &&
				s[i] != '-')
				return 0;
		*canon = NULL;  /* as written */
		*flags = 0;
		return 1;
	}
	return 0;
}

/* A link target in hook output: the one URL check, relative links allowed. */
static int url_safe(const char *s, size_t n)
{
	return url_check(s, n, URL_WEB | URL_MAILTO | URL_RELATIVE, NULL) == 0;
}

static int focus_ok(const char *s, size_t n)
{
	return (n == 1 && s[0] == '0') || (n == 2 && s[0] == '-' && s[1] == '1');
}

static void bad_focus(lua_State *L, const char *v, size_t vl)
{
	luaL_error(L, "el: 'tabindex' may only be 0 or -1 (got '%s')",
		lua_pushlstring(L, v, vl < 20 ? vl : 20));
}

/* Length of a character reference at s ("&amp;", "&#39;", "&#x27;"), 0 when it is not one. */
static size_t entity_len(const char *s, size_t n)
{
	size_t i = 1;
	if (n < 3 || s[0] != '&')
		return 0;
	if (s[1] == '#') {
		i = 2;
		int hex = i < n && (s[i] == 'x' || s[i] == 'X');
		if (hex)
			i++;
		size_t start = i;
		while (i < n && i - start < 7 &&
			(hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i])))
			i++;
		if (i == start)
			return 0;
	} else {
		if (!isalpha((unsigned char)s[1]))
			return 0;
		while (i < n && i < 33 && isalnum((unsigned char)s[i]))
			i++;
	}
	return i < n && s[i] == ';' ? i + 1 : 0;
}

/*
 * Decodes the character references of an attribute value as a browser
 * would, far enough to check its URL scheme. Returns 0 when the value uses
 * a named reference other than the basic five (&colon; would hide a scheme).
 */
static int decode_for_url(const char *s, size_t n, buf *out)
{
	for (size_t i = 0; i < n; i++) {
		size_t e = s[i] == '&' ? entity_len(s + i, n - i) : 0;
		if (!e) {
			buf_putc(out, s[i]);
			continue;
		}
		if (s[i + 1] == '#') {
			int hex = s[i + 2] == 'x' || s[i + 2] == 'X';
			unsigned long cp = strtoul(s + i + 2 + hex, NULL, hex ? 16 : 10);
			buf_putc(out, cp < 0x80 ? (char)cp : 'x');
		} else {
			static const struct { const char *name; char c; } basic[] = {
				{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
				{ "apos", '\'' },
			};
			size_t k;
			for (k = 0; k < sizeof basic / sizeof *basic; k++)
				if (strlen(basic[k].name) == e - 2 &&
					!strncmp(basic[k].name, s + i + 1, e - 2))
					break;
			if (k == sizeof basic / sizeof *basic)
				return 0;
			buf_putc(out, basic[k].c);
		}
		i += e - 1;
	}
	return 1;
}

/* Raises "<hook>:<line>: the returned HTML <message>" (or element tree), without a traceback. */
int hk_ser_fail(lua_State *L, const ser *s, const char *fmt, ...)
{
	va_list ap;
	lua_pushfstring(L, "%s: the returned %s ", s->where, s->what);
	va_start(ap, fmt);
	lua_pushvfstring(L, fmt, ap);
	va_end(ap);
	lua_concat(L, 2);
	return hk_raise_obj(L, 0);
}

static void ser_check_size(lua_State *L, ser *s)
{
	if (s->out->len > s->max)
		hk_ser_fail(L, s, "is larger than the memory cap (%I bytes); is an element used many "
			"times over?", (lua_Integer)s->max);
}

/* A link the URL check refuses is an error, not a link silently dropped. */
static void bad_url(lua_State *L, ser *s, const char *attr, size_t alen, const char *v, size_t n)
{
	hk_ser_fail(L, s, "has '%s' with an address that is not allowed (got '%s'; expected a "
		"relative link or an http, https or mailto address)", lua_pushlstring(L, attr, alen),
		lua_pushlstring(L, v, n < 60 ? n : 60));
}

/*
 * |k| / 10^dec written with dec decimals ("1234.5" for 12345 and 1), as
 * printf's "%.*f" writes it, into out (at least 32 bytes); the length.
 */
size_t hk_put_scaled(char *out, unsigned long long k, int dec)
{
	char digits[24];
	int n = 0;
	do {
		digits[n++] = (char)('0' + k % 10);
		k /= 10;
	} while (k);
	while (n <= dec)
		digits[n++] = '0';
	size_t o = 0;
	while (n > dec)
		out[o++] = digits[--n];
	if (dec)
		out[o++] = '.';
	while (n)
		out[o++] = digits[--n];
	return o;
}

/*
 * The digits "%.*f" gives for |x| with dec decimals, by hand where that is
 * exact: when x * 10^dec is a whole number below 2^52 (then the nearest
 * number with dec decimals is that one, however x is stored). 0 otherwise.
 */
size_t hk_fixed_fast(char *out, double x, int dec)
{
	static const double pow10[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10 };
	if (dec < 0 || dec > 10)
		return 0;
	double t = fabs(x) * pow10[dec];
	if (!(t < 4503599627370496.0) || t != floor(t))
		return 0;
	return hk_put_scaled(out, (unsigned long long)t, dec);
}

/*
 * A number as hooks write it into HTML: integers as integers, the tenths
 * charts round to by hand (as Lua's "%.14g" writes them: charts print
 * thousands of coordinates), anything else with "%.14g".
 */
static void put_double(buf *b, double d)
{
	char tmp[40];
	size_t n;
	if (d == floor(d) && fabs(d) < 1e15) {
		n = hk_fixed_fast(tmp, d, 0);
	} else {
		double t = d * 10;
		n = fabs(d) < 1e12 && t == floor(t) ? hk_fixed_fast(tmp, d, 1) : 0;
	}
	if (n) {
		if (d < 0 && (n > 1 || tmp[0] != '0'))
			buf_putc(b, '-');
		buf_put(b, tmp, n);
	} else if (d == floor(d) && fabs(d) < 1e15) {
		buf_printf(b, "%.0f", d);
	} else {
		buf_printf(b, "%.14g", d);
	}
}

static void put_number(buf *b, lua_State *L, int idx)
{
	if (lua_isinteger(L, idx)) {
		lua_Integer v = lua_tointeger(L, idx);
		char tmp[32];
		if (v < 0)
			buf_putc(b, '-');
		buf_put(b, tmp, hk_put_scaled(tmp, v < 0 ? 0ULL - (unsigned long long)v :
			(unsigned long long)v, 0));
		return;
	}
	put_double(b, lua_tonumber(L, idx));
}

/*
 * An element made by avoin.el: its HTML, written and checked when it is made,
 * so a hook's tree is serialised once, as it is built, and a refused tag or
 * attribute is an error at the el call's line. Opaque to hooks (a full
 * userdata): what was checked cannot be changed afterwards. bad[c] is the
 * element that may not stand where the element is put in context c (0: in
 * HTML, 1: inside an svg element), or NULL when it may.
 */
typedef struct element {
	const tag_def *bad[2];
	int depth;           /* levels of elements, this one included */
	size_t len;
	char html[];
} element;

static const char *const context_words[2] = {
	"outside an svg element",
	"inside an svg element (only svg elements may be there)",
};

static element *to_element(lua_State *L, int idx)
{
	hooks *h = self(L);
	if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx))
		return NULL;
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->el_mt_ref);
	int r = lua_rawequal(L, -1, -2);
	lua_pop(L, 2);
	return r ? lua_touserdata(L, idx) : NULL;
}

int hk_is_element(lua_State *L, int idx)
{
	return to_element(L, idx) != NULL;
}

/* Indexing an element: it is made whole by avoin.el and never changed. */
int hk_el_frozen(lua_State *L)
{
	return luaL_error(L, "an element cannot be read or changed after avoin.el made it; "
		"give its attributes and children to avoin.el");
}

typedef struct attr_pick {
	const char *key;     /* as the hook wrote it (a Lua string held by the attrs table) */
	size_t key_len;
	const char *canon;   /* what is written out */
	size_t canon_len;
	unsigned flags;
} attr_pick;

static int attr_pick_cmp(const void *pa, const void *pb)
{
	const attr_pick *a = pa, *b = pb;
	size_t n = a->canon_len < b->canon_len ? a->canon_len : b->canon_len;
	int c = memcmp(a->canon, b->canon, n);
	return c ? c : (a->canon_len > b->canon_len) - (a->canon_len < b->canon_len);
}

/*
 * Checks the attribute table at idx and fills picks in a fixed (sorted)
 * order. Returns the count; raises with where and what before the message
 * on a bad attribute.
 */
static size_t collect_attrs(lua_State *L, int idx, attr_pick *picks, const char *where,
	const char *what, int sort)
{
	size_t n = 0;
	idx = lua_absindex(L, idx);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		if (lua_type(L, -2) != LUA_TSTRING)
			luaL_error(L, "%s%sattribute names must be strings (got a %s)", where, what,
				luaL_typename(L, -2));
		size_t len;
		const char *k = lua_tolstring(L, -2, &len);
		const char *canon;
		unsigned flags;
		if (!find_attr(k, len, &canon, &flags))
			luaL_error(L, "%s%sattribute '%s' is not allowed in hook output", where, what,
				k);
		int vt = lua_type(L, -1);
		if (vt != LUA_TSTRING && vt != LUA_TNUMBER && vt != LUA_TBOOLEAN)
			luaL_error(L, "%s%sattribute '%s' must be a string, a number or a "
				"boolean (got a %s)", where, what, k, luaL_typename(L, -1));
		if (n == MAX_ATTRS)
			luaL_error(L, "%s%smore than %d attributes on one element", where, what,
				MAX_ATTRS);
		picks[n].key = k;
		picks[n].key_len = len;
		picks[n].canon = canon ? canon : k;
		picks[n].canon_len = canon ? strlen(canon) : len;
		picks[n].flags = flags;
		n++;
		lua_pop(L, 1);
	}
	if (!sort)
		return n;
	qsort(picks, n, sizeof *picks, attr_pick_cmp);
	for (size_t i = 1; i < n; i++)
		if (!attr_pick_cmp(&picks[i - 1], &picks[i]))
			luaL_error(L, "%s%sattribute '%s' is given twice", where, what,
				picks[i].canon);
	return n;
}

/* A plain list of nodes, not a read-only proxy: anything else in it would be lost. */
static int is_node_list(lua_State *L, int idx)
{
	lua_Integer n = (lua_Integer)lua_rawlen(L, idx), count = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		count++;
	}
	return count == n && !hk_is_ro(L, idx);
}

/*
 * Writes the tree a block hook returned (an element, a list of nodes, a
 * string or a number) into s->out, in context in_svg. Elements come
 * written and checked by avoin.el: only where they stand is checked here.
 */
void hk_ser_node(lua_State *L, ser *s, int idx, int depth, int in_svg)
{
	if (depth > MAX_DEPTH)
		hk_ser_fail(L, s, "is nested deeper than %d levels "
			"(does it contain itself?)", MAX_DEPTH);
	luaL_checkstack(L, 8, "element tree");
	element *e;
	switch (lua_type(L, idx)) {
	case LUA_TNIL:
		return;
	case LUA_TBOOLEAN:
		if (lua_toboolean(L, idx))
			hk_ser_fail(L, s, "holds true; nodes are strings, numbers "
				"and elements (nil and false are skipped)");
		return;
	case LUA_TNUMBER:
		put_number(s->out, L, idx);
		break;
	case LUA_TSTRING: {
		size_t n;
		const char *p = lua_tolstring(L, idx, &n);
		buf_put_html(s->out, p, n);
		break;
	}
	case LUA_TUSERDATA:
		if (!(e = to_element(L, idx)))
			hk_ser_fail(L, s, "holds a userdata");
		if (e->bad[in_svg])
			hk_ser_fail(L, s, "has '%s' %s", e->bad[in_svg]->name, context_words[in_svg]);
		if (depth + e->depth > MAX_DEPTH)
			hk_ser_fail(L, s, "is nested deeper than %d levels", MAX_DEPTH);
		buf_put(s->out, e->html, e->len);
		break;
	case LUA_TTABLE:
		if (!is_node_list(L, idx))
			hk_ser_fail(L, s, "holds a table that is neither an element "
				"(avoin.el) nor a list of nodes");
		lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
		for (lua_Integer i = 1; i <= n; i++) {
			lua_rawgeti(L, idx, i);
			hk_ser_node(L, s, lua_gettop(L), depth + 1, in_svg);
			lua_pop(L, 1);
		}
		break;
	default:
		hk_ser_fail(L, s, "holds a %s", luaL_typename(L, idx));
	}
	ser_check_size(L, s);
}

/*
 * The attributes of the start tag td, from p[*jp] to its '>' (or "/>"),
 * checked and written out again; *jp ends after the tag. 1 when the tag ends
 * in "/>".
 */
static int html_attrs(lua_State *L, ser *s, const char *p, size_t n, size_t *jp,
	const tag_def *td)
{
	buf *o = s->out;
	size_t j = *jp;
	struct { const char *canon; size_t clen; } seen[MAX_ATTRS];
	size_t nseen = 0;
	int self_close = 0;
	for (;;) {
		size_t ws = j;
		while (j < n && isspace((unsigned char)p[j]))
			j++;
		if (j >= n)
			hk_ser_fail(L, s, "has a '<%s' tag that is never closed with '>'",
				td->name);
		if (p[j] == '>') {
			j++;
			break;
		}
		if (p[j] == '/' && j + 1 < n && p[j + 1] == '>') {
			self_close = 1;
			j += 2;
			break;
		}
		if (j == ws)
			hk_ser_fail(L, s, "has no space before an attribute of '<%s'",
				td->name);
		size_t an = j;
		while (j < n && (isalnum((unsigned char)p[j]) || p[j] == '-' ||
			p[j] == '_' || p[j] == ':' || p[j] == '.'))
			j++;
		if (j == an)
			hk_ser_fail(L, s, "has '%c' where an attribute name of '<%s' "
				"was expected", p[j], td->name);
		const char *canon;
		unsigned flags;
		const char *aname = lua_pushlstring(L, p + an, j - an);
		if (!find_attr(p + an, j - an, &canon, &flags))
			hk_ser_fail(L, s, "has attribute '%s' on '%s', which is not "
				"allowed in hook output", aname, td->name);
		lua_pop(L, 1);
		size_t clen = canon ? strlen(canon) : j - an;
		if (!canon)
			canon = p + an;
		for (size_t k = 0; k < nseen; k++)
			if (seen[k].clen == clen &&
				!strncasecmp(seen[k].canon, canon, clen))
				hk_ser_fail(L, s, "gives attribute '%s' twice",
					lua_pushlstring(L, canon, clen));
		if (nseen == MAX_ATTRS)
			hk_ser_fail(L, s, "has more than %d attributes on one element",
				MAX_ATTRS);
		seen[nseen].canon = canon;
		seen[nseen++].clen = clen;
		const char *v = "";
		size_t vl = 0;
		size_t k = j;
		while (k < n && isspace((unsigned char)p[k]))
			k++;
		if (k < n && p[k] == '=') {
			k++;
			while (k < n && isspace((unsigned char)p[k]))
				k++;
			if (k < n && (p[k] == '"' || p[k] == '\'')) {
				char q = p[k];
				const char *end = memchr(p + k + 1, q, n - k - 1);
				if (!end)
					hk_ser_fail(L, s, "has an unterminated value of "
						"attribute '%s'",
						lua_pushlstring(L, canon, clen));
				v = p + k + 1;
				vl = (size_t)(end - v);
				k = (size_t)(end - p) + 1;
			} else {
				v = p + k;
				while (k < n && !isspace((unsigned char)p[k]) && p[k] &&
					!strchr("\"'=<>`", p[k]))
					k++;
				vl = (size_t)(p + k - v);
				if (!vl)
					hk_ser_fail(L, s, "has an empty unquoted value of "
						"attribute '%s'",
						lua_pushlstring(L, canon, clen));
			}
			j = k;
		}
		if (flags & A_URL) {
			buf dec = BUF_INIT;
			int ok = decode_for_url(v, vl, &dec) && url_safe(dec.ptr, dec.len);
			buf_release(&dec);
			if (!ok)
				bad_url(L, s, canon, clen, v, vl);
		}
		if ((flags & A_FOCUS) && !focus_ok(v, vl))
			hk_ser_fail(L, s, "has 'tabindex' other than 0 or -1 (got '%s')",
				lua_pushlstring(L, v, vl < 20 ? vl : 20));
		buf_putc(o, ' ');
		buf_put(o, canon, clen);
		buf_puts(o, "=\"");
		for (size_t m = 0; m < vl; m++) {
			size_t e = v[m] == '&' ? entity_len(v + m, vl - m) : 0;
			if (e) {
				buf_put(o, v + m, e);
				m += e - 1;
			} else if (v[m] == '&') {
				buf_puts(o, "&amp;");
			} else if (v[m] == '"') {
				buf_puts(o, "&quot;");
			} else if (v[m] == '<') {
				buf_puts(o, "&lt;");
			} else if (v[m] == '>') {
				buf_puts(o, "&gt;");
			} else {
				buf_putc(o, v[m]);
			}
		}
		buf_putc(o, '"');
	}
	*jp = j;
	return self_close;
}

/*
 * A string a hook returns as HTML: parsed, checked against the same allow
 * lists and written out again (attribute values quoted, stray '&', '<' and
 * '>' escaped). Anything the parser does not understand as an allowed tag
 * becomes text, so the output never means more to a browser than what was
 * checked.
 */
void hk_html_string(lua_State *L, ser *s, const char *p, size_t n)
{
	const tag_def *stack[256];
	int top = 0, svg_depth = 0;
	buf *o = s->out;
	size_t i = 0;
	while (i < n) {
		char c = p[i];
		ser_check_size(L, s);
		if (c == '&') {
			size_t e = entity_len(p + i, n - i);
			if (e) {
				buf_put(o, p + i, e);
				i += e;
			} else {
				buf_puts(o, "&amp;");
				i++;
			}
			continue;
		}
		if (c == '>') {
			buf_puts(o, "&gt;");
			i++;
			continue;
		}
		if (c != '<') {
			buf_putc(o, c);
			i++;
			continue;
		}
		if (i + 1 < n && (p[i + 1] == '!' || p[i + 1] == '?'))
			hk_ser_fail(L, s, "has a comment, doctype or processing instruction at "
				"byte %I; hooks may return elements and text only", (lua_Integer)i);
		int closing = i + 1 < n && p[i + 1] == '/';
		size_t j = i + 1 + closing;
		if (j >= n || !isalpha((unsigned char)p[j])) {
			buf_puts(o, "&lt;");
			i++;
			continue;
		}
		size_t name = j;
		while (j < n && isalnum((unsigned char)p[j]))
			j++;
		const tag_def *td = find_tag(p + name, j - name);
		if (!td)
			hk_ser_fail(L, s, "has tag '%s', which is not allowed in hook "
				"output", lua_pushlstring(L, p + name, j - name));
		if (closing) {
			while (j < n && isspace((unsigned char)p[j]))
				j++;
			if (j >= n || p[j] != '>')
				hk_ser_fail(L, s, "has an end tag '%s' that does not end in '>'",
					td->name);
			if (!top || stack[top - 1] != td)
				hk_ser_fail(L, s, "closes '%s' but %s%s%s", td->name,
					top ? "'" : "no element is open",
					top ? stack[top - 1]->name : "", top ? "' is open" : "");
			top--;
			if (td == find_tag("svg", 3))
				svg_depth--;
			buf_puts(o, "</");
			buf_puts(o, td->name);
			buf_putc(o, '>');
			i = j + 1;
			continue;
		}
		int in_svg = svg_depth > 0;
		if (!(td->flags & (in_svg ? T_SVG : T_HTML)))
			hk_ser_fail(L, s, "has '%s' %s", td->name,
				in_svg ? "inside an svg element" : "outside an svg element");
		buf_putc(o, '<');
		buf_puts(o, td->name);
		size_t after = j;
		int self_close = html_attrs(L, s, p, n, &after, td);
		j = after;
		buf_putc(o, '>');
		i = j;
		if (td->flags & T_VOID)
			continue;
		if (self_close) {
			/* "<div/>" leaves the div open in HTML; only in svg does it close. */
			if (!in_svg && strcmp(td->name, "svg") != 0)
				hk_ser_fail(L, s, "writes '<%s/>', which does not close it in "
					"HTML; write '<%s></%s>'", td->name, td->name, td->name);
			buf_puts(o, "</");
			buf_puts(o, td->name);
			buf_putc(o, '>');
			continue;
		}
		if (top == (int)(sizeof stack / sizeof *stack))
			hk_ser_fail(L, s, "is nested deeper than %d elements",
				(int)(sizeof stack / sizeof *stack));
		stack[top++] = td;
		if (!strcmp(td->name, "svg"))
			svg_depth++;
	}
	if (top)
		hk_ser_fail(L, s, "leaves '%s' open", stack[top - 1]->name);
	ser_check_size(L, s);
}

/*
 * avoin.el(tag [, attrs], children...): an element. attrs is a table of
 * attribute names; children are strings, numbers, elements or lists of them
 * (nil and false are skipped, so `cond and el(...)` works). Tags and
 * attribute names are checked here, so the error points at the hook's line.
 */
/* What an element is being made of: its HTML so far and what its children need. */
typedef struct el_build {
	const tag_def *td;
	buf *out;
	size_t cap;
	int depth;                 /* the deepest child element */
	const tag_def *cbad[2];    /* the first child that may not stand in each context */
	lua_Integer nth;           /* children so far, for messages */
} el_build;

/* Writes the attributes in the table at idx, sorted by name, checked as they go. */
static void el_attrs(lua_State *L, el_build *eb, int idx)
{
	attr_pick picks[MAX_ATTRS];
	size_t n = collect_attrs(L, idx, picks, "", "el: ", 1);
	buf *o = eb->out;
	for (size_t i = 0; i < n; i++) {
		lua_pushlstring(L, picks[i].key, picks[i].key_len);
		lua_rawget(L, idx);
		int vt = lua_type(L, -1);
		if (vt == LUA_TBOOLEAN && !lua_toboolean(L, -1)) {
			lua_pop(L, 1);
			continue;
		}
		buf_putc(o, ' ');
		buf_put(o, picks[i].canon, picks[i].canon_len);
		buf_puts(o, "=\"");
		size_t at = o->len;
		if (vt == LUA_TSTRING) {
			size_t vl;
			const char *v = lua_tolstring(L, -1, &vl);
			if ((picks[i].flags & A_URL) && !url_safe(v, vl))
				luaL_error(L, "el: '%s' has an address that is not allowed (got '%s'; "
					"expected a relative link or an http, https or mailto address)",
					lua_pushlstring(L, picks[i].canon, picks[i].canon_len),
					lua_pushlstring(L, v, vl < 60 ? vl : 60));
			if ((picks[i].flags & A_FOCUS) && !focus_ok(v, vl))
				bad_focus(L, v, vl);
			buf_put_html(o, v, vl);
		} else if (vt == LUA_TNUMBER) {
			put_number(o, L, -1);
			if ((picks[i].flags & A_URL) && !url_safe(o->ptr + at, o->len - at))
				luaL_error(L, "el: '%s' must be an address, not a number",
					lua_pushlstring(L, picks[i].canon, picks[i].canon_len));
			if ((picks[i].flags & A_FOCUS) && !focus_ok(o->ptr + at, o->len - at))
				bad_focus(L, o->ptr + at, o->len - at);
		}
		buf_putc(o, '"');
		lua_pop(L, 1);
	}
}

/* Writes the child at idx (a string, a number, an element or a list of them). */
static void el_child(lua_State *L, el_build *eb, int idx, int list_depth)
{
	int t = lua_type(L, idx);
	element *e;
	eb->nth += t != LUA_TTABLE;
	if (t == LUA_TNIL || (t == LUA_TBOOLEAN && !lua_toboolean(L, idx)))
		return;
	if (t == LUA_TSTRING) {
		size_t n;
		const char *p = lua_tolstring(L, idx, &n);
		buf_put_html(eb->out, p, n);
	} else if (t == LUA_TNUMBER) {
		put_number(eb->out, L, idx);
	} else if (t == LUA_TUSERDATA && (e = to_element(L, idx))) {
		for (int c = 0; c < 2; c++)
			if (!eb->cbad[c])
				eb->cbad[c] = e->bad[c];
		if (e->depth > eb->depth)
			eb->depth = e->depth;
		buf_put(eb->out, e->html, e->len);
	} else if (t == LUA_TTABLE && list_depth < MAX_DEPTH && is_node_list(L, idx)) {
		luaL_checkstack(L, 4, "element tree");
		lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
		for (lua_Integer i = 1; i <= n; i++) {
			lua_rawgeti(L, idx, i);
			el_child(L, eb, lua_gettop(L), list_depth + 1);
			lua_pop(L, 1);
		}
	} else if (t == LUA_TTABLE) {
		luaL_error(L, list_depth < MAX_DEPTH ? "el: a child of '%s' is a table that is "
			"neither an element nor a list of nodes" : "el: the children of '%s' are "
			"nested deeper than %d levels (does a list contain itself?)", eb->td->name,
			MAX_DEPTH);
	} else {
		luaL_error(L, "el: child %d of '%s' is a %s; children are strings, numbers, "
			"elements and lists of them", (int)eb->nth, eb->td->name,
			luaL_typename(L, idx));
	}
	if (eb->out->len > eb->cap)
		luaL_error(L, "el: '%s' is larger than the memory cap (%d bytes); is an element "
			"used many times over?", eb->td->name, (int)(eb->cap < INT_MAX ? eb->cap : INT_MAX));
}

/* avoin.el(tag [, attrs], children...): the element, written and checked now. */
int hk_av_el(lua_State *L)
{
	hooks *h = self(L);
	size_t tlen;
	const char *tag = luaL_checklstring(L, 1, &tlen);
	const tag_def *td = find_tag(tag, tlen);
	if (!td)
		return luaL_error(L, "el: tag '%s' is not allowed in hook output", tag);
	int nargs = lua_gettop(L);
	el_build eb = { td, &h->value_buf, h->cap, 0, { NULL, NULL }, 0 };
	buf_reset(eb.out);
	buf_putc(eb.out, '<');
	buf_puts(eb.out, td->name);
	int first_child = 2;
	if (nargs >= 2 && lua_type(L, 2) == LUA_TTABLE && lua_rawlen(L, 2) == 0) {
		el_attrs(L, &eb, 2);
		first_child = 3;
	} else if (nargs >= 2 && lua_isnil(L, 2)) {
		first_child = 3;
	}
	buf_putc(eb.out, '>');
	size_t open_len = eb.out->len;
	for (int i = first_child; i <= nargs; i++)
		el_child(L, &eb, i, 0);
	if (td->flags & T_VOID) {
		if (eb.out->len > open_len || eb.depth)
			return luaL_error(L, "el: '%s' cannot have children", td->name);
	} else {
		buf_puts(eb.out, "</");
		buf_puts(eb.out, td->name);
		buf_putc(eb.out, '>');
	}
	if (eb.depth + 1 > MAX_DEPTH)
		return luaL_error(L, "el: the element tree is nested deeper than %d levels",
			MAX_DEPTH);
	const tag_def *bad[2];
	int is_svg = !strcmp(td->name, "svg");
	for (int c = 0; c < 2; c++)
		bad[c] = !(td->flags & (c ? T_SVG : T_HTML)) ? td : eb.cbad[is_svg ? 1 : c];
	if (bad[0] && bad[1]) {
		int c = (td->flags & T_HTML) ? 0 : 1;
		return luaL_error(L, "el: '%s' %s", bad[c]->name, context_words[c]);
	}
	element *e = lua_newuserdatauv(L, sizeof *e + eb.out->len, 0);
	e->bad[0] = bad[0];
	e->bad[1] = bad[1];
	e->depth = eb.depth + 1;
	e->len = eb.out->len;
	memcpy(e->html, eb.out->ptr, eb.out->len);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->el_mt_ref);
	lua_setmetatable(L, -2);
	return 1;
}
