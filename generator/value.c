#include "value.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "banned.h"

static value *value_new(value_kind kind, int line)
{
	value *v = xcalloc(1, sizeof(*v));
	v->kind = kind;
	v->line = line;
	atomic_init(&v->refs, 1);
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
	return value_string_own(xstrndup(s, len), len, line);
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
		free(v->u.str.ptr);
		break;
	case VAL_LIST:
		for (size_t i = 0; i < v->u.list.n; i++)
			value_free(v->u.list.items[i]);
		free(v->u.list.items);
		break;
	case VAL_MAP:
		for (size_t i = 0; i < v->u.map.n; i++) {
			free(v->u.map.keys[i]);
			value_free(v->u.map.vals[i]);
		}
		free(v->u.map.keys);
		free(v->u.map.vals);
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

void value_list_push(value *l, value *v)
{
	l->u.list.items = xgrow(l->u.list.items, sizeof(value *), l->u.list.n + 1, &l->u.list.cap);
	l->u.list.items[l->u.list.n++] = v;
}

void value_map_set(value *m, const char *key, value *v)
{
	for (size_t i = 0; i < m->u.map.n; i++) {
		if (strcmp(m->u.map.keys[i], key) == 0) {
			value_free(m->u.map.vals[i]);
			m->u.map.vals[i] = v;
			return;
		}
	}
	size_t cap = m->u.map.cap;
	m->u.map.keys = xgrow(m->u.map.keys, sizeof(char *), m->u.map.n + 1, &cap);
	m->u.map.vals = xgrow(m->u.map.vals, sizeof(value *), m->u.map.n + 1, &m->u.map.cap);
	m->u.map.keys[m->u.map.n] = xstrdup(key);
	m->u.map.vals[m->u.map.n++] = v;
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
	for (size_t i = 0; i < m->u.map.n; i++)
		if (strcmp(m->u.map.keys[i], key) == 0)
			return m->u.map.vals[i];
	return NULL;
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
		if (cur->kind == VAL_MAP) {
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
	case VAL_NULL: return "an empty value";
	case VAL_BOOL: return "a boolean";
	case VAL_NUMBER: return "a number";
	case VAL_STRING: return "a string";
	case VAL_LIST: return "a list";
	case VAL_MAP: return "a map";
	}
	return "a value";
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
