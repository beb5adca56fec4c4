#include "frontmatter.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <yaml.h>

#include "buf.h"
#include "util.h"
#include "banned.h"

/* Deeper trees are refused: no record needs them, and recursion must stay bounded. */
#define YAML_MAX_DEPTH 64

typedef struct yctx {
	yaml_parser_t parser;
	const char *file;
	int first_line;
	diag_list *d;
	int failed;
} yctx;

static int mark_line(const yctx *c, yaml_mark_t m)
{
	return (int)m.line + c->first_line;
}

/* Reports the parser's own error: its problem, then the context it was in. */
static void parser_error(yctx *c)
{
	yaml_parser_t *p = &c->parser;
	buf msg = BUF_INIT;
	int line = mark_line(c, p->problem_mark);
	if (p->error == YAML_MEMORY_ERROR)
		buf_puts(&msg, "out of memory");
	else
		buf_puts(&msg, p->problem ? p->problem : "unknown error");
	if (p->context) {
		buf_printf(&msg, " %s", p->context);
		int cl = mark_line(c, p->context_mark);
		if (cl != line)
			buf_printf(&msg, " that started on line %d", cl);
	}
	/* Reader errors (bad UTF-8, control characters) have no line mark, only an offset. */
	if (p->error == YAML_READER_ERROR)
		line = c->first_line;
	diag_error(c->d, c->file, line, "invalid YAML: %s", msg.ptr);
	buf_release(&msg);
	c->failed = 1;
}

static int next_event(yctx *c, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&c->parser, ev)) {
		parser_error(c);
		return -1;
	}
	return 0;
}

static int is_number_text(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && s[i] == '-')
		i++;
	if (i >= n || s[i] < '0' || s[i] > '9')
		return 0;
	if (s[i] == '0') {
		i++;
	} else {
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < n && s[i] == '.') {
		i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	return i == n;
}

/*
 * strtod() follows LC_NUMERIC, and the driver may run under a locale whose
 * decimal point is ','; the text has been checked to be a plain decimal, so
 * the '.' is swapped for the locale's decimal point before converting.
 */
static double parse_number(const char *s, size_t n)
{
	const char *dp = localeconv()->decimal_point;
	buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.' && dp && strcmp(dp, ".") != 0)
			buf_puts(&b, dp);
		else
			buf_putc(&b, s[i]);
	}
	double d = strtod(b.ptr, NULL);
	buf_release(&b);
	return d;
}

static int word_is(const char *s, size_t n, const char *const *words)
{
	for (; *words; words++)
		if (strlen(*words) == n && memcmp(*words, s, n) == 0)
			return 1;
	return 0;
}

/* YAML 1.2 core schema for plain scalars; anything quoted, block or tagged !!str is text. */
static value *scalar_value(const yaml_event_t *ev, int line)
{
	static const char *const trues[] = { "true", "True", "TRUE", NULL };
	static const char *const falses[] = { "false", "False", "FALSE", NULL };
	static const char *const nulls[] = { "null", "Null", "NULL", "~", "", NULL };
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	const char *tag = (const char *)ev->data.scalar.tag;
	int plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE
		&& !(tag && strcmp(tag, YAML_STR_TAG) == 0);
	if (plain) {
		if (word_is(s, n, trues))
			return value_bool(1, line);
		if (word_is(s, n, falses))
			return value_bool(0, line);
		if (word_is(s, n, nulls))
			return value_null(line);
		if (is_number_text(s, n)) {
			double d = parse_number(s, n);
			if (isfinite(d))
				return value_number(d, line);
		}
	}
	return value_stringn(s, n, line);
}

static int refuse_anchor(yctx *c, const yaml_char_t *anchor, int line)
{
	if (!anchor)
		return 0;
	diag_error(c->d, c->file, line,
		"invalid YAML: anchors are not allowed (got '&%s'; write the value out)",
		(const char *)anchor);
	c->failed = 1;
	return -1;
}

/*
 * A scalar may not hold a control character other than tab and line ends:
 * YAML's escapes ("\0", "\e", "\x07") write them, a C string would end at a
 * NUL, and a terminal or page would show the rest as something else.
 */
static int refuse_control(yctx *c, const yaml_event_t *ev, int line)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t at = text_control_at(s, ev->data.scalar.length);
	if (at == (size_t)-1)
		return 0;
	diag_error(c->d, c->file, line, "a value holds the control character U+%04X "
		"(expected text; remove the character or its escape)", (unsigned char)s[at]);
	c->failed = 1;
	return -1;
}

static value *parse_node(yctx *c, yaml_event_t *ev, int depth);

static value *parse_sequence(yctx *c, int line, int depth)
{
	value *l = value_list(line);
	for (;;) {
		yaml_event_t ev;
		if (next_event(c, &ev) < 0)
			break;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return l;
		}
		value *item = parse_node(c, &ev, depth);
		yaml_event_delete(&ev);
		if (!item)
			break;
		value_list_push(l, item);
	}
	value_free(l);
	return NULL;
}

static value *parse_mapping(yctx *c, int line, int depth)
{
	value *m = value_map(line);
	for (;;) {
		yaml_event_t ev;
		if (next_event(c, &ev) < 0)
			break;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			return m;
		}
		int kline = mark_line(c, ev.start_mark);
		if (ev.type != YAML_SCALAR_EVENT) {
			/* Aliases get their own message from parse_node(). */
			if (ev.type == YAML_ALIAS_EVENT) {
				value_free(parse_node(c, &ev, depth));
			} else {
				diag_error(c->d, c->file, kline,
					"invalid YAML: a key must be plain text (got %s)",
					ev.type == YAML_SEQUENCE_START_EVENT ? "a list" : "a map");
				c->failed = 1;
			}
			yaml_event_delete(&ev);
			break;
		}
		if (refuse_anchor(c, ev.data.scalar.anchor, kline) < 0 ||
				refuse_control(c, &ev, kline) < 0) {
			yaml_event_delete(&ev);
			break;
		}
		/* Keys are text as written: "2023: x" has the key "2023", not a number. */
		buf k = BUF_INIT;
		buf_put(&k, ev.data.scalar.value, ev.data.scalar.length);
		yaml_event_delete(&ev);
		value *old = value_map_get(m, k.ptr);
		if (old) {
			diag_error(c->d, c->file, kline,
				"duplicate key '%s' (first given on line %d)", k.ptr, old->line);
			c->failed = 1;
			buf_release(&k);
			break;
		}
		if (next_event(c, &ev) < 0) {
			buf_release(&k);
			break;
		}
		value *v = parse_node(c, &ev, depth);
		yaml_event_delete(&ev);
		if (!v) {
			buf_release(&k);
			break;
		}
		value_map_set(m, k.ptr, v);
		buf_release(&k);
	}
	value_free(m);
	return NULL;
}

/* Builds the value of one node whose first event is ev (ev stays owned by the caller). */
static value *parse_node(yctx *c, yaml_event_t *ev, int depth)
{
	int line = mark_line(c, ev->start_mark);
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		diag_error(c->d, c->file, line,
			"invalid YAML: aliases are not allowed (got '*%s'; write the value out)",
			(const char *)ev->data.alias.anchor);
		c->failed = 1;
		return NULL;
	case YAML_SCALAR_EVENT:
		if (refuse_anchor(c, ev->data.scalar.anchor, line) < 0 ||
				refuse_control(c, ev, line) < 0)
			return NULL;
		return scalar_value(ev, line);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		int seq = ev->type == YAML_SEQUENCE_START_EVENT;
		if (refuse_anchor(c, seq ? ev->data.sequence_start.anchor
				: ev->data.mapping_start.anchor, line) < 0)
			return NULL;
		if (depth >= YAML_MAX_DEPTH) {
			diag_error(c->d, c->file, line,
				"invalid YAML: nesting deeper than %d levels (expected a flatter "
				"structure)", YAML_MAX_DEPTH);
			c->failed = 1;
			return NULL;
		}
		return seq ? parse_sequence(c, line, depth + 1) : parse_mapping(c, line, depth + 1);
	}
	default:
		diag_error(c->d, c->file, line, "invalid YAML: unexpected event");
		c->failed = 1;
		return NULL;
	}
}

value *yaml_parse(const char *text, size_t len, const char *file, int first_line, diag_list *d)
{
	yctx c;
	memset(&c, 0, sizeof(c));
	c.file = file;
	c.first_line = first_line;
	c.d = d;
	if (!yaml_parser_initialize(&c.parser)) {
		diag_error(d, file, first_line, "invalid YAML: cannot initialise the parser");
		return NULL;
	}
	yaml_parser_set_input_string(&c.parser, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&c.parser, YAML_UTF8_ENCODING);

	value *root = NULL;
	int docs = 0;
	yaml_event_t ev;
	for (;;) {
		if (next_event(&c, &ev) < 0)
			break;
		yaml_event_type_t t = ev.type;
		int line = mark_line(&c, ev.start_mark);
		if (t == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (t == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
			diag_error(d, file, line,
				"invalid YAML: more than one document (expected a single map of "
				"keys)");
			c.failed = 1;
			yaml_event_delete(&ev);
			break;
		}
		if (t == YAML_STREAM_START_EVENT || t == YAML_DOCUMENT_START_EVENT
				|| t == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&ev);
			continue;
		}
		root = parse_node(&c, &ev, 0);
		yaml_event_delete(&ev);
		if (!root)
			break;
	}
	yaml_parser_delete(&c.parser);
	if (c.failed) {
		value_free(root);
		return NULL;
	}
	/* An empty document (nothing, or only comments) is an empty map. */
	if (!root || root->kind == VAL_NULL) {
		int line = root ? root->line : first_line;
		value_free(root);
		root = value_map(line);
	}
	return root;
}

/* Length of the line at p (without its end of line) and the offset of the next line. */
static size_t line_span(const char *p, const char *end, const char **next)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	const char *stop = nl ? nl : end;
	*next = nl ? nl + 1 : end;
	if (stop > p && stop[-1] == '\r')
		stop--;
	return (size_t)(stop - p);
}

static int is_marker(const char *p, size_t n, const char *marker)
{
	/* Trailing blanks are invisible in an editor, so they do not change the meaning. */
	while (n > 3 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return n == 3 && memcmp(p, marker, 3) == 0;
}

/*
 * Finds the front matter's YAML (*yaml, *yaml_len) and the body after it.
 * Returns 0; or -1 with *line the line to name: 1 when the first line is not
 * '---', else one past the last line (the front matter is not closed).
 */
static int split_text(const char *text, size_t len, const char **yaml, size_t *yaml_len,
	const char **body, size_t *body_len, int *body_line, int *line_out)
{
	const char *p = text, *end = text + len, *next;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	size_t n = line_span(p, end, &next);
	if (p == end || !is_marker(p, n, "---")) {
		*line_out = 1;
		return -1;
	}
	const char *yaml_start = next;
	int line = 2;
	for (p = next; p < end; p = next, line++) {
		n = line_span(p, end, &next);
		if (is_marker(p, n, "---") || is_marker(p, n, "..."))
			break;
	}
	*line_out = line;
	if (p >= end)
		return -1;
	*yaml = yaml_start;
	*yaml_len = (size_t)(p - yaml_start);
	*body = next;
	*body_len = (size_t)(end - next);
	*body_line = line + 1;
	return 0;
}

int frontmatter_body(const char *text, size_t len, const char **body, size_t *body_len,
	int *body_line)
{
	const char *yaml;
	size_t yaml_len;
	int line;
	return split_text(text, len, &yaml, &yaml_len, body, body_len, body_line, &line);
}

int frontmatter_split(const char *text, size_t len, const char *file, value **meta,
	const char **body, size_t *body_len, int *body_line, diag_list *d)
{
	const char *yaml, *after;
	size_t yaml_len, after_len;
	int after_line, line;
	*meta = NULL;
	if (split_text(text, len, &yaml, &yaml_len, &after, &after_len, &after_line, &line) != 0) {
		if (line == 1)
			diag_error(d, file, 1,
				"missing front matter (expected '---' on the first line)");
		else
			/* line is one past the last line here: point at the last line of the file. */
			diag_error(d, file, line > 2 ? line - 1 : 1,
				"front matter is not closed (expected a line '---')");
		return -1;
	}
	value *v = yaml_parse(yaml, yaml_len, file, 2, d);
	if (!v)
		return -1;
	if (v->kind != VAL_MAP) {
		diag_error(d, file, v->line ? v->line : 2,
			"front matter must be a map of keys (got %s)", value_kind_article(v->kind));
		value_free(v);
		return -1;
	}
	*meta = v;
	*body = after;
	*body_len = after_len;
	*body_line = after_line;
	return 0;
}

/* ---- the cache of parsed front matter ---- */

/*
 * Layout: the line "avoin-frontmatter 1 <generator>", then per entry, sorted
 * by blob id: the id's 40 hex digits, the payload's length as 8 bytes
 * (little-endian), the payload. A payload is the body's offset in the file
 * (8 bytes) and its first line (4 bytes), then the tree with its lines
 * (value_serialize_lines). A file that does not read as a whole is not used.
 * The file is mapped, not read: a build decodes only the entries it uses.
 */
#define FM_CACHE_HEAD "avoin-frontmatter 1 "
#define FM_ENTRY_HEAD 48 /* id and length */
#define FM_FIXED 12      /* offset and line before the tree */

/* A parse made in this build: its bytes at off in the cache's added_bytes. */
typedef struct fm_added {
	char oid[41];
	size_t off, len;
} fm_added;

struct fm_cache {
	char *path, *gen;
	char *map;                  /* the mapped file, NULL when there is none */
	size_t map_len;
	uint64_t *off;              /* where each entry starts, sorted by id as the file is */
	size_t n_old;
	atomic_uchar *used;         /* per entry: this build used it */
	/*
	 * This build's new parses, under lock: their bytes in one buffer, not a
	 * block each, so that the 10,000 of a first build go back to the system
	 * at once when the cache is freed instead of leaving holes in the heap.
	 */
	fm_added *added;
	size_t n_added, cap_added;
	buf added_bytes;
	atomic_size_t hits;
	int intact;                 /* the file was mapped and read as a whole */
	pthread_mutex_t lock;
};

/* 1 when s starts with 40 lower-case hex digits (it stops at the first other byte, a NUL too). */
static int is_oid_bytes(const char *s)
{
	for (size_t n = 0; n < 40; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
			return 0;
	return 1;
}

/* 1 when the string s is a blob id: 40 lower-case hex digits and nothing more. */
static int is_oid(const char *s)
{
	return is_oid_bytes(s) && s[40] == '\0';
}

/* The entries of the mapped file, or -1 (and none) when it is not exactly what fm_cache_save() writes. */
static int fm_parse(fm_cache *c)
{
	size_t hl = strlen(FM_CACHE_HEAD), gl = strlen(c->gen), head = hl + gl + 1;
	const char *p = c->map, *end = c->map + c->map_len;
	if (c->map_len < head || memcmp(p, FM_CACHE_HEAD, hl) != 0 ||
	    memcmp(p + hl, c->gen, gl) != 0 || p[head - 1] != '\n')
		return -1;
	size_t cap = 0;
	for (p += head; p < end;) {
		if ((size_t)(end - p) < FM_ENTRY_HEAD)
			return -1;
		uint64_t n = le_get((const unsigned char *)p + 40, 8);
		if (n < FM_FIXED || n > (uint64_t)(end - p - FM_ENTRY_HEAD) || !is_oid_bytes(p) ||
		    (c->n_old && memcmp(c->map + c->off[c->n_old - 1], p, 40) >= 0))
			return -1;
		c->off = xgrow(c->off, sizeof(*c->off), c->n_old + 1, &cap);
		c->off[c->n_old++] = (uint64_t)(p - c->map);
		p += FM_ENTRY_HEAD + n;
	}
	return 0;
}

fm_cache *fm_cache_open(const char *path, const char *gen)
{
	fm_cache *c = xcalloc(1, sizeof(*c));
	buf_init(&c->added_bytes);
	c->path = path ? xstrdup(path) : NULL;
	c->gen = xstrdup(gen ? gen : "");
	atomic_init(&c->hits, 0);
	pthread_mutex_init(&c->lock, NULL);
	if (c->path && map_file(c->path, &c->map, &c->map_len) == 0) {
		c->intact = fm_parse(c) == 0;
		if (!c->intact) {
			free(c->off);
			c->off = NULL;
			c->n_old = 0;
		}
		c->used = xcalloc(c->n_old + 1, sizeof(*c->used));
	}
	return c;
}

/* The entry for oid, or SIZE_MAX. */
static size_t fm_find(const fm_cache *c, const char *oid)
{
	size_t lo = 0, hi = c->n_old;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = memcmp(oid, c->map + c->off[mid], 40);
		if (cmp == 0)
			return mid;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return SIZE_MAX;
}

/* The split entry i holds, for text (the blob's bytes); -1 when it does not fit them. */
static int fm_decode(const fm_cache *c, size_t i, const char *text, size_t len, value **meta,
	const char **body, size_t *body_len, int *body_line)
{
	const unsigned char *e = (const unsigned char *)c->map + c->off[i];
	size_t n = (size_t)le_get(e + 40, 8);
	const unsigned char *p = e + FM_ENTRY_HEAD;
	uint64_t off = le_get(p, 8), line = le_get(p + 8, 4);
	value *v;
	if (off > len || line < 1 || line > INT32_MAX ||
	    value_deserialize_lines((const char *)p + FM_FIXED, n - FM_FIXED, &v) != 0)
		return -1;
	if (v->kind != VAL_MAP) {
		value_free(v);
		return -1;
	}
	*meta = v;
	*body = text + off;
	*body_len = len - (size_t)off;
	*body_line = (int)line;
	return 0;
}

int frontmatter_split_cached(fm_cache *c, const char *oid, const char *text, size_t len,
	const char *file, value **meta, const char **body, size_t *body_len, int *body_line,
	diag_list *d)
{
	int cacheable = c && oid && is_oid(oid);
	size_t i = cacheable ? fm_find(c, oid) : SIZE_MAX;
	if (i != SIZE_MAX && fm_decode(c, i, text, len, meta, body, body_len, body_line) == 0) {
		atomic_store(&c->used[i], 1);
		atomic_fetch_add(&c->hits, 1);
		return 0;
	}
	size_t before = d->n;
	int rc = frontmatter_split(text, len, file, meta, body, body_len, body_line, d);
	if (!cacheable || rc != 0 || d->n != before)
		return rc;
	buf b = BUF_INIT;
	buf_put_le(&b, (uint64_t)(*body - text), 8);
	buf_put_le(&b, (uint64_t)*body_line, 4);
	value_serialize_lines(&b, *meta);
	pthread_mutex_lock(&c->lock);
	c->added = xgrow(c->added, sizeof(*c->added), c->n_added + 1, &c->cap_added);
	fm_added *a = &c->added[c->n_added++];
	memcpy(a->oid, oid, sizeof(a->oid));
	a->off = c->added_bytes.len;
	a->len = b.len;
	buf_put(&c->added_bytes, b.ptr, b.len);
	pthread_mutex_unlock(&c->lock);
	buf_release(&b);
	return 0;
}

int fm_cache_meta(fm_cache *c, const char *oid, value **meta)
{
	*meta = NULL;
	size_t i = c && oid && is_oid(oid) ? fm_find(c, oid) : SIZE_MAX;
	if (i == SIZE_MAX)
		return -1;
	const unsigned char *e = (const unsigned char *)c->map + c->off[i];
	size_t n = (size_t)le_get(e + 40, 8);
	value *v;
	if (value_deserialize_lines((const char *)e + FM_ENTRY_HEAD + FM_FIXED, n - FM_FIXED,
		    &v) != 0)
		return -1;
	if (v->kind != VAL_MAP) {
		value_free(v);
		return -1;
	}
	atomic_store(&c->used[i], 1);
	atomic_fetch_add(&c->hits, 1);
	*meta = v;
	return 0;
}

size_t fm_cache_hits(const fm_cache *c)
{
	return c ? atomic_load(&c->hits) : 0;
}

/* What goes into the new file: an entry of the old one, or a parse of this build. */
typedef struct fm_out {
	const char *oid;            /* 40 hex digits */
	const char *data;
	size_t len;
} fm_out;

static int cmp_out(const void *a, const void *b)
{
	return memcmp(((const fm_out *)a)->oid, ((const fm_out *)b)->oid, 40);
}

int fm_cache_save(fm_cache *c)
{
	if (!c || !c->path)
		return 0;
	size_t used = 0;
	for (size_t i = 0; i < c->n_old; i++)
		used += atomic_load(&c->used[i]) != 0;
	/*
	 * Entries are right whatever revision they came from, so a file that
	 * lacks a few (a commit's worth) or holds a few unused is good enough:
	 * it is rewritten only when a sixteenth of the records missed it or a
	 * sixteenth of its entries went unused. A missed record is parsed again.
	 */
	size_t stale = c->n_old - used;
	if (c->intact && c->n_old && c->n_added * 16 <= used + c->n_added && stale * 16 <= c->n_old)
		return 0;
	if (c->intact && c->n_added == 0 && stale == 0)
		return 0;
	fm_out *all = xcalloc(used + c->n_added + 1, sizeof(*all));
	size_t n = 0;
	for (size_t i = 0; i < c->n_old; i++) {
		if (!atomic_load(&c->used[i]))
			continue;
		const char *e = c->map + c->off[i];
		all[n++] = (fm_out){ e, e + FM_ENTRY_HEAD,
			(size_t)le_get((const unsigned char *)e + 40, 8) };
	}
	for (size_t i = 0; i < c->n_added; i++)
		all[n++] = (fm_out){ c->added[i].oid, c->added_bytes.ptr + c->added[i].off,
			c->added[i].len };
	qsort(all, n, sizeof(*all), cmp_out);
	atomic_file a;
	FILE *f = atomic_open(&a, c->path);
	int ok = f && fprintf(f, "%s%s\n", FM_CACHE_HEAD, c->gen) > 0;
	for (size_t i = 0; ok && i < n; i++) {
		/* the same blob at two paths is parsed once per path: one entry */
		if (i && memcmp(all[i - 1].oid, all[i].oid, 40) == 0)
			continue;
		unsigned char len[8];
		le_put(len, all[i].len, 8);
		ok = fwrite(all[i].oid, 1, 40, f) == 40 && fwrite(len, 1, 8, f) == 8 &&
			fwrite(all[i].data, 1, all[i].len, f) == all[i].len;
	}
	free(all);
	return atomic_commit(&a, ok, 0);
}

void fm_cache_free(fm_cache *c)
{
	if (!c)
		return;
	free(c->added);
	buf_release(&c->added_bytes);
	free(c->off);
	free((void *)c->used);
	if (c->map)
		munmap(c->map, c->map_len);
	free(c->gen);
	free(c->path);
	pthread_mutex_destroy(&c->lock);
	free(c);
}
