#include "value.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "htab.h"
#include "msg.h"
#include "util.h"
#include "banned.h"

/*
 * A map's entries live in one block, so that a small map is one allocation
 * and its keys are not one each:
 *   mhead | vals[cap] | keys[cap] | the keys' bytes (kcap)
 * u.map.vals points at vals[], u.map.keys at keys[], whose strings are in
 * the bytes at the end. The block moves when it grows (keys[] with it).
 *
 * Maps of at least INDEX_MIN keys also get a hash index (htab.h: open addressing, at
 * most half full), built and kept up to date by value_map_set(), so that a
 * map shared read-only between threads is never written by a lookup. The
 * index only speeds up finding a key: the order of the keys is still the
 * insertion order of keys[].
 */
#define INDEX_MIN 16

typedef struct mhead {
	size_t kcap, kused;
} mhead;

struct value_index {
	htab t;                 /* positions in keys[], by key_hash() */
};

/* str_hash() without the strlen: FNV-1a over the bytes of a C string. */
static uint64_t key_hash(const char *s)
{
	uint64_t h = FNV1A_INIT;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	return h;
}

/* Only for a map that has a block (vals != NULL). */
static mhead *map_head(const value *m)
{
	return (mhead *)(void *)((char *)m->u.map.vals - sizeof(mhead));
}

static char *map_bytes(const value *m)
{
	return (char *)(m->u.map.keys + m->u.map.cap);
}

/* Moves m's entries into a block of cap entries and kcap key bytes; returns the old
 * block, which the caller frees once it no longer needs a key from it. */
static void *map_move(value *m, size_t cap, size_t kcap)
{
	char *blk = xmalloc(sizeof(mhead) + cap * (sizeof(value *) + sizeof(char *)) + kcap);
	mhead *h = (mhead *)(void *)blk;
	value **vals = (value **)(void *)(blk + sizeof(mhead));
	char **keys = (char **)(void *)(vals + cap);
	char *bytes = (char *)(keys + cap);
	void *old = NULL;
	h->kcap = kcap;
	h->kused = 0;
	if (m->u.map.vals) {
		const mhead *oh = map_head(m);
		const char *ob = map_bytes(m);
		size_t n = m->u.map.n;
		memcpy(vals, m->u.map.vals, n * sizeof(value *));
		memcpy(bytes, ob, oh->kused);
		for (size_t i = 0; i < n; i++)
			keys[i] = bytes + (m->u.map.keys[i] - ob);
		h->kused = oh->kused;
		old = (void *)oh;
	}
	m->u.map.vals = vals;
	m->u.map.keys = keys;
	m->u.map.cap = cap;
	return old;
}

/* The index of a map that reaches INDEX_MIN keys: its first n keys. */
static struct value_index *index_new(const value *m, size_t n)
{
	struct value_index *ix = xcalloc(1, sizeof(*ix));
	htab_reserve(&ix->t, 2 * INDEX_MIN);
	for (size_t i = 0; i < n; i++)
		htab_add(&ix->t, key_hash(m->u.map.keys[i]), i);
	return ix;
}

/* Where key is in m (a map), or SIZE_MAX; its hash is only needed with an index. */
static size_t map_find(const value *m, const char *key, uint64_t hash)
{
	const struct value_index *ix = m->u.map.index;
	char *const *keys = m->u.map.keys;
	if (!ix) {
		for (size_t i = 0; i < m->u.map.n; i++)
			if (keys[i][0] == key[0] && strcmp(keys[i], key) == 0)
				return i;
		return SIZE_MAX;
	}
	htab_iter it;
	for (size_t p = htab_first(&ix->t, hash, &it); p != HTAB_NONE; p = htab_next(&ix->t, hash, &it))
		if (strcmp(keys[p], key) == 0)
			return p;
	return SIZE_MAX;
}

/* The same without a hash: hashed only when there is an index to use it. */
static size_t map_find_key(const value *m, const char *key)
{
	return map_find(m, key, m->u.map.index ? key_hash(key) : 0);
}

static value *value_new(value_kind kind, int line)
{
	/* malloc and set every field: calloc costs more than the few stores */
	value *v = xmalloc(sizeof(*v));
	memset(&v->u, 0, sizeof(v->u));
	v->kind = kind;
	v->line = line;
	atomic_init(&v->refs, 1);
	v->packed = 0;
	return v;
}

value *value_null(int line) { return value_new(VAL_NULL, line); }

value *value_bool(int b, int line)
{
	value *v = value_new(VAL_BOOL, line);
	v->u.boolean = !!b;
	return v;
}

value *value_number(double d, int line)
{
	value *v = value_new(VAL_NUMBER, line);
	v->u.number = d;
	return v;
}

value *value_string_own(char *s, size_t len, int line)
{
	value *v = value_new(VAL_STRING, line);
	v->u.str.ptr = s;
	v->u.str.len = len;
	return v;
}

value *value_stringn(const char *s, size_t len, int line)
{
	/* the value and its bytes in one block: half the allocations of a page context */
	value *v = xmalloc(sizeof(*v) + len + 1);
	v->kind = VAL_STRING;
	v->line = line;
	atomic_init(&v->refs, 1);
	v->packed = 1;
	v->u.str.ptr = (char *)(v + 1);
	v->u.str.len = len;
	memcpy(v->u.str.ptr, s, len);
	v->u.str.ptr[len] = '\0';
	return v;
}

value *value_string(const char *s, int line)
{
	return value_stringn(s, strlen(s), line);
}

value *value_list(int line) { return value_new(VAL_LIST, line); }
value *value_map(int line) { return value_new(VAL_MAP, line); }

value *value_ref(value *v)
{
	if (v)
		atomic_fetch_add(&v->refs, 1);
	return v;
}

void value_free(value *v)
{
	if (!v || atomic_fetch_sub(&v->refs, 1) != 1)
		return;
	switch (v->kind) {
	case VAL_STRING:
		if (!v->packed)
			free(v->u.str.ptr);
		break;
	case VAL_LIST:
		for (size_t i = 0; i < v->u.list.n; i++)
			value_free(v->u.list.items[i]);
		free(v->u.list.items);
		break;
	case VAL_MAP:
		for (size_t i = 0; i < v->u.map.n; i++)
			value_free(v->u.map.vals[i]);
		if (v->u.map.vals)
			free(map_head(v));
		if (v->u.map.index)
			htab_free(&v->u.map.index->t);
		free(v->u.map.index);
		break;
	default:
		break;
	}
	free(v);
}

value *value_clone(const value *v)
{
	if (!v)
		return NULL;
	switch (v->kind) {
	case VAL_NULL: return value_null(v->line);
	case VAL_BOOL: return value_bool(v->u.boolean, v->line);
	case VAL_NUMBER: return value_number(v->u.number, v->line);
	case VAL_STRING: return value_stringn(v->u.str.ptr, v->u.str.len, v->line);
	case VAL_LIST: {
		value *l = value_list(v->line);
		for (size_t i = 0; i < v->u.list.n; i++)
			value_list_push(l, value_clone(v->u.list.items[i]));
		return l;
	}
	case VAL_MAP: {
		value *m = value_map(v->line);
		for (size_t i = 0; i < v->u.map.n; i++)
			value_map_set(m, v->u.map.keys[i], value_clone(v->u.map.vals[i]));
		return m;
	}
	}
	return NULL;
}

value *value_copy_top(const value *v)
{
	if (!v || (v->kind != VAL_LIST && v->kind != VAL_MAP))
		return value_clone(v);
	value *c;
	if (v->kind == VAL_LIST) {
		c = value_list(v->line);
		for (size_t i = 0; i < v->u.list.n; i++)
			value_list_push(c, value_ref(v->u.list.items[i]));
	} else {
		c = value_map(v->line);
		for (size_t i = 0; i < v->u.map.n; i++)
			value_map_set(c, v->u.map.keys[i], value_ref(v->u.map.vals[i]));
	}
	return c;
}

void value_list_push(value *l, value *v)
{
	l->u.list.items = xgrow(l->u.list.items, sizeof(value *), l->u.list.n + 1, &l->u.list.cap);
	l->u.list.items[l->u.list.n++] = v;
}

void value_map_set(value *m, const char *key, value *v)
{
	size_t n = m->u.map.n;
	uint64_t hash = m->u.map.index || n + 1 >= INDEX_MIN ? key_hash(key) : 0;
	size_t i = map_find(m, key, hash);
	if (i != SIZE_MAX) {
		value_free(m->u.map.vals[i]);
		m->u.map.vals[i] = v;
		return;
	}
	size_t klen = strlen(key) + 1;
	void *old = NULL;
	if (!m->u.map.vals) {
		old = map_move(m, 8, klen > 64 ? klen : 64);
	} else {
		const mhead *h = map_head(m);
		if (n == m->u.map.cap || h->kused + klen > h->kcap) {
			size_t kcap = h->kused + klen > h->kcap ? 2 * h->kcap : h->kcap;
			if (kcap < h->kused + klen)
				kcap = h->kused + klen;
			old = map_move(m, n == m->u.map.cap ? 2 * n : m->u.map.cap, kcap);
		}
	}
	mhead *h = map_head(m);
	char *k = map_bytes(m) + h->kused;
	memcpy(k, key, klen);   /* key may be in the old block: freed only now */
	free(old);
	h->kused += klen;
	m->u.map.keys[n] = k;
	m->u.map.vals[n] = v;
	m->u.map.n = n + 1;
	if (!m->u.map.index && n + 1 >= INDEX_MIN)
		m->u.map.index = index_new(m, n);
	if (m->u.map.index)
		htab_add(&m->u.map.index->t, hash, n);
}

void value_map_set_str(value *m, const char *key, const char *s)
{
	value_map_set(m, key, s ? value_string(s, 0) : value_null(0));
}

void value_map_set_bool(value *m, const char *key, int b)
{
	value_map_set(m, key, value_bool(b, 0));
}

void value_map_set_num(value *m, const char *key, double d)
{
	value_map_set(m, key, value_number(d, 0));
}

value *value_map_get(const value *m, const char *key)
{
	if (!m || m->kind != VAL_MAP)
		return NULL;
	size_t i = map_find_key(m, key);
	return i == SIZE_MAX ? NULL : m->u.map.vals[i];
}

value *value_map_get_h(const value *m, const char *key, uint64_t hash)
{
	if (!m || m->kind != VAL_MAP)
		return NULL;
	if (!m->u.map.index) {
		/* map_find()'s scan written out: templates call this for every name and frame */
		char *const *keys = m->u.map.keys;
		for (size_t i = 0, n = m->u.map.n; i < n; i++)
			if (keys[i][0] == key[0] && strcmp(keys[i], key) == 0)
				return m->u.map.vals[i];
		return NULL;
	}
	size_t i = map_find(m, key, hash);
	return i == SIZE_MAX ? NULL : m->u.map.vals[i];
}

const char *value_map_str(const value *m, const char *key)
{
	value *v = value_map_get(m, key);
	return v && v->kind == VAL_STRING ? v->u.str.ptr : NULL;
}

value *value_get_path(const value *m, const char *dotted)
{
	const value *cur = m;
	const char *p = dotted;
	while (cur && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		const value *next = NULL;
		if (cur->kind == VAL_MAP && cur->u.map.index) {
			const htab *t = &cur->u.map.index->t;
			uint64_t h = fnv1a(FNV1A_INIT, p, n);
			htab_iter it;
			for (size_t at = htab_first(t, h, &it); at != HTAB_NONE && !next;
			     at = htab_next(t, h, &it)) {
				const char *k = cur->u.map.keys[at];
				if (strncmp(k, p, n) == 0 && k[n] == '\0')
					next = cur->u.map.vals[at];
			}
		} else if (cur->kind == VAL_MAP) {
			for (size_t i = 0; i < cur->u.map.n; i++)
				if (strlen(cur->u.map.keys[i]) == n && memcmp(cur->u.map.keys[i], p, n) == 0)
					next = cur->u.map.vals[i];
		}
		cur = next;
		p += n;
		if (*p == '.')
			p++;
	}
	return (value *)cur;
}

size_t value_len(const value *v)
{
	if (!v)
		return 0;
	if (v->kind == VAL_LIST)
		return v->u.list.n;
	if (v->kind == VAL_MAP)
		return v->u.map.n;
	return 0;
}

value *value_at(const value *l, size_t i)
{
	if (!l || l->kind != VAL_LIST || i >= l->u.list.n)
		return NULL;
	return l->u.list.items[i];
}

int value_truthy(const value *v)
{
	if (!v)
		return 0;
	switch (v->kind) {
	case VAL_NULL: return 0;
	case VAL_BOOL: return v->u.boolean;
	case VAL_STRING: return v->u.str.len > 0;
	case VAL_LIST: return v->u.list.n > 0;
	default: return 1;
	}
}

const char *value_kind_name(value_kind k)
{
	static const char *names[] = { "null", "boolean", "number", "string", "list", "map" };
	return names[k];
}

const char *value_kind_article(value_kind k)
{
	switch (k) {
	case VAL_NULL: return tr("an empty value");
	case VAL_BOOL: return tr("a boolean");
	case VAL_NUMBER: return tr("a number");
	case VAL_STRING: return tr("a string");
	case VAL_LIST: return tr("a list");
	case VAL_MAP: return tr("a map");
	}
	return tr("a value");
}

static void put_number(buf *out, double d)
{
	char tmp[64];
	if (isnan(d) || isinf(d)) {
		buf_puts(out, isnan(d) ? "nan" : (d < 0 ? "-inf" : "inf"));
		return;
	}
	if (d == floor(d) && fabs(d) < 1e15) {
		snprintf(tmp, sizeof(tmp), "%.0f", d);
	} else {
		/* shortest precision that reads back to the same double */
		for (int prec = 1; prec <= 17; prec++) {
			snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
			if (strtod(tmp, NULL) == d)
				break;
		}
	}
	if (strcmp(tmp, "-0") == 0)
		snprintf(tmp, sizeof(tmp), "0");
	buf_puts(out, tmp);
}

void value_put_text(buf *out, const value *v)
{
	if (!v)
		return;
	switch (v->kind) {
	case VAL_BOOL: buf_puts(out, v->u.boolean ? "true" : "false"); break;
	case VAL_NUMBER: put_number(out, v->u.number); break;
	case VAL_STRING: buf_put(out, v->u.str.ptr, v->u.str.len); break;
	default: break;
	}
}

static void put_json_string(buf *out, const char *s, size_t len)
{
	buf_putc(out, '"');
	for (size_t i = 0; i < len; i++) {
		/* the run of bytes that need no escape, at once */
		size_t j = i;
		while (j < len && (unsigned char)s[j] >= 0x20 && s[j] != '"' && s[j] != '\\' &&
		       s[j] != '<')
			j++;
		if (j > i) {
			buf_put(out, s + i, j - i);
			i = j;
			if (i == len)
				break;
		}
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': buf_puts(out, "\\\""); break;
		case '\\': buf_puts(out, "\\\\"); break;
		case '\n': buf_puts(out, "\\n"); break;
		case '\r': buf_puts(out, "\\r"); break;
		case '\t': buf_puts(out, "\\t"); break;
		case '<': buf_puts(out, "\\u003c"); break; /* safe inside <script> */
		default:
			if (c < 0x20)
				buf_printf(out, "\\u%04x", c);
			else
				buf_putc(out, (char)c);
		}
	}
	buf_putc(out, '"');
}

void value_put_json(buf *out, const value *v)
{
	if (!v) {
		buf_puts(out, "null");
		return;
	}
	switch (v->kind) {
	case VAL_NULL: buf_puts(out, "null"); break;
	case VAL_BOOL: buf_puts(out, v->u.boolean ? "true" : "false"); break;
	case VAL_NUMBER:
		if (isnan(v->u.number) || isinf(v->u.number))
			buf_puts(out, "null");
		else
			put_number(out, v->u.number);
		break;
	case VAL_STRING: put_json_string(out, v->u.str.ptr, v->u.str.len); break;
	case VAL_LIST:
		buf_putc(out, '[');
		for (size_t i = 0; i < v->u.list.n; i++) {
			if (i)
				buf_putc(out, ',');
			value_put_json(out, v->u.list.items[i]);
		}
		buf_putc(out, ']');
		break;
	case VAL_MAP:
		buf_putc(out, '{');
		for (size_t i = 0; i < v->u.map.n; i++) {
			if (i)
				buf_putc(out, ',');
			put_json_string(out, v->u.map.keys[i], strlen(v->u.map.keys[i]));
			buf_putc(out, ':');
			value_put_json(out, v->u.map.vals[i]);
		}
		buf_putc(out, '}');
		break;
	}
}

int value_equal(const value *a, const value *b)
{
	if (!a || !b)
		return a == b;
	if (a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case VAL_NULL: return 1;
	case VAL_BOOL: return a->u.boolean == b->u.boolean;
	case VAL_NUMBER: return a->u.number == b->u.number;
	case VAL_STRING:
		return a->u.str.len == b->u.str.len && memcmp(a->u.str.ptr, b->u.str.ptr, a->u.str.len) == 0;
	case VAL_LIST:
		if (a->u.list.n != b->u.list.n)
			return 0;
		for (size_t i = 0; i < a->u.list.n; i++)
			if (!value_equal(a->u.list.items[i], b->u.list.items[i]))
				return 0;
		return 1;
	case VAL_MAP:
		if (a->u.map.n != b->u.map.n)
			return 0;
		for (size_t i = 0; i < a->u.map.n; i++)
			if (!value_equal(a->u.map.vals[i], value_map_get(b, a->u.map.keys[i])))
				return 0;
		return 1;
	}
	return 0;
}

/* ---- the binary form ------------------------------------------------------------ */

enum {
	SER_NULL = 'n', SER_FALSE = 'f', SER_TRUE = 't', SER_NUMBER = 'd', SER_STRING = 's',
	SER_LIST = 'l', SER_MAP = 'm',
};

static void put_uleb(buf *out, size_t n)
{
	unsigned char tmp[10];
	size_t k = 0;
	do {
		unsigned char byte = n & 0x7f;
		n >>= 7;
		tmp[k++] = byte | (n ? 0x80 : 0);
	} while (n);
	buf_put(out, (const char *)tmp, k);
}

static void serialize_rest(buf *out, const value *v, int lines);

/* The kind byte, with lines its line (0 when made by code), then what the kind holds. */
static void serialize(buf *out, const value *v, int lines)
{
	static const char kinds[] = { [VAL_NULL] = SER_NULL, [VAL_BOOL] = SER_FALSE,
		[VAL_NUMBER] = SER_NUMBER, [VAL_STRING] = SER_STRING, [VAL_LIST] = SER_LIST,
		[VAL_MAP] = SER_MAP };
	buf_putc(out, !v ? SER_NULL : v->kind == VAL_BOOL && v->u.boolean ? SER_TRUE : kinds[v->kind]);
	if (lines)
		put_uleb(out, v && v->line > 0 ? (size_t)v->line : 0);
	if (v)
		serialize_rest(out, v, lines);
}

/* What follows the kind byte (and the line). */
static void serialize_rest(buf *out, const value *v, int lines)
{
	switch (v->kind) {
	case VAL_NULL:
	case VAL_BOOL:
		break;
	case VAL_NUMBER: {
		/* the bits, little-endian whatever the host: the same bytes everywhere */
		uint64_t bits;
		memcpy(&bits, &v->u.number, sizeof bits);
		buf_put_le(out, bits, 8);
		break;
	}
	case VAL_STRING:
		put_uleb(out, v->u.str.len);
		buf_put(out, v->u.str.ptr, v->u.str.len);
		break;
	case VAL_LIST:
		put_uleb(out, v->u.list.n);
		for (size_t i = 0; i < v->u.list.n; i++)
			serialize(out, v->u.list.items[i], lines);
		break;
	case VAL_MAP:
		put_uleb(out, v->u.map.n);
		for (size_t i = 0; i < v->u.map.n; i++) {
			size_t klen = strlen(v->u.map.keys[i]);
			put_uleb(out, klen);
			buf_put(out, v->u.map.keys[i], klen);
			serialize(out, v->u.map.vals[i], lines);
		}
		break;
	}
}

void value_serialize(buf *out, const value *v)
{
	serialize(out, v, 0);
}

void value_serialize_lines(buf *out, const value *v)
{
	serialize(out, v, 1);
}

typedef breader reader;

/* A length: not larger than what is left (at least one byte each, so no count in a
 * garbled input makes us allocate more than the input's size). */
static int get_uleb(reader *r, size_t *n)
{
	uint64_t v;
	if (br_uleb(r, UINT64_MAX, &v) != 0)
		return -1;
	/* what is left after the length's own bytes */
	if (v > (uint64_t)(r->end - r->p)) {
		r->bad = 1;
		return -1;
	}
	*n = (size_t)v;
	return 0;
}

/* A line number, up to INT_MAX (not bounded by what is left, as lengths are). */
static int get_line(reader *r, int *line)
{
	uint64_t v;
	if (br_uleb(r, INT_MAX, &v) != 0)
		return -1;
	*line = (int)v;
	return 0;
}

/* Lists and maps are sized for their count up to this many items, then grow as usual. */
#define PRESIZE_MAX 256

static value *get_value(reader *r, int depth, int lines)
{
	size_t n;
	int line = 0;
	int kind = br_byte(r);
	if (kind < 0)
		return NULL;
	if (lines && get_line(r, &line) != 0)
		return NULL;
	switch (kind) {
	case SER_NULL: return value_null(line);
	case SER_FALSE: return value_bool(0, line);
	case SER_TRUE: return value_bool(1, line);
	case SER_NUMBER: {
		uint64_t bits = br_le(r, 8);
		if (r->bad)
			return NULL;
		double d;
		memcpy(&d, &bits, sizeof d);
		return value_number(d, line);
	}
	case SER_STRING: {
		if (get_uleb(r, &n) != 0)
			return NULL;
		value *s = value_stringn((const char *)r->p, n, line);
		r->p += n;
		return s;
	}
	case SER_LIST: {
		if (depth >= VALUE_SERIAL_MAX_DEPTH || get_uleb(r, &n) != 0)
			return NULL;
		value *l = value_list(line);
		if (n) {
			/* sized once, not grown item by item; a garbled count reserves little */
			size_t pre = n < PRESIZE_MAX ? n : PRESIZE_MAX;
			l->u.list.items = xmalloc(pre * sizeof(value *));
			l->u.list.cap = pre;
		}
		for (size_t i = 0; i < n; i++) {
			value *it = get_value(r, depth + 1, lines);
			if (!it) {
				value_free(l);
				return NULL;
			}
			value_list_push(l, it);
		}
		return l;
	}
	case SER_MAP: {
		if (depth >= VALUE_SERIAL_MAX_DEPTH || get_uleb(r, &n) != 0)
			return NULL;
		value *m = value_map(line);
		if (n) {
			/* room for n keys of 15 bytes: most maps never grow */
			size_t pre = n < PRESIZE_MAX ? n : PRESIZE_MAX;
			free(map_move(m, pre, 16 * pre));
		}
		buf key = BUF_INIT;
		for (size_t i = 0; i < n; i++) {
			size_t klen;
			value *it = NULL;
			if (get_uleb(r, &klen) != 0 || memchr(r->p, '\0', klen))
				goto bad;
			buf_reset(&key);
			buf_put(&key, (const char *)r->p, klen);
			r->p += klen;
			if (map_find_key(m, key.ptr) != SIZE_MAX ||
			    !(it = get_value(r, depth + 1, lines)))
				goto bad;
			value_map_set(m, key.ptr, it);
			continue;
bad:
			buf_release(&key);
			value_free(m);
			return NULL;
		}
		buf_release(&key);
		return m;
	}
	default:
		return NULL;
	}
}

static int deserialize(const char *data, size_t len, value **out, int lines)
{
	reader r = { (const unsigned char *)data, (const unsigned char *)data + len, 0 };
	*out = NULL;
	if (!data)
		return -1;
	value *v = get_value(&r, 0, lines);
	if (!v || r.p != r.end) {
		value_free(v);
		return -1;
	}
	*out = v;
	return 0;
}

int value_deserialize(const char *data, size_t len, value **out)
{
	return deserialize(data, len, out, 0);
}

int value_deserialize_lines(const char *data, size_t len, value **out)
{
	return deserialize(data, len, out, 1);
}
