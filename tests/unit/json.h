#ifndef AVOIN_TEST_JSON_H
#define AVOIN_TEST_JSON_H
/*
 * A small JSON reader for tests only (RFC 8259): objects, arrays, strings
 * with every escape (\uXXXX and surrogate pairs become UTF-8), numbers,
 * true, false, null, into value trees. Strict: trailing commas, comments,
 * lone surrogates, raw control characters, invalid UTF-8 and trailing
 * garbage are errors. Object keys keep their order; a repeated key keeps
 * its last value.
 *
 *   buf err = BUF_INIT;
 *   value *v = json_parse(text, len, &err);  // NULL and "line N: ..." in err on error
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"
#include "value.h"

#define JSON_MAX_DEPTH 256

typedef struct json_reader {
	const char *s;
	size_t len, pos;
	int line;
	int depth;
	buf *err;
} json_reader;

static inline value *json_value(json_reader *r);

static inline int json_fail(json_reader *r, const char *what)
{
	if (r->err->len == 0)
		buf_printf(r->err, "line %d: %s", r->line, what);
	return -1;
}

static inline void json_ws(json_reader *r)
{
	while (r->pos < r->len) {
		char c = r->s[r->pos];
		if (c == '\n')
			r->line++;
		else if (c != ' ' && c != '\t' && c != '\r')
			return;
		r->pos++;
	}
}

static inline int json_hex4(json_reader *r, unsigned *out)
{
	if (r->len - r->pos < 4)
		return json_fail(r, "truncated \\u escape");
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = r->s[r->pos++];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return json_fail(r, "bad hex digit in \\u escape");
	}
	*out = v;
	return 0;
}

static inline void json_put_utf8(buf *b, unsigned cp)
{
	if (cp < 0x80) {
		buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		buf_putc(b, (char)(0xc0 | (cp >> 6)));
		buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		buf_putc(b, (char)(0xe0 | (cp >> 12)));
		buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		buf_putc(b, (char)(0xf0 | (cp >> 18)));
		buf_putc(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
		buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

/* Length of the valid UTF-8 sequence at s (n bytes available), 0 when invalid. */
static inline size_t json_utf8_len(const unsigned char *s, size_t n)
{
	unsigned cp;
	size_t len;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		(cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* Reads a string (r->pos at the opening quote) into out. */
static inline int json_string(json_reader *r, buf *out)
{
	r->pos++;
	for (;;) {
		if (r->pos >= r->len)
			return json_fail(r, "unterminated string");
		unsigned char c = (unsigned char)r->s[r->pos];
		if (c == '"') {
			r->pos++;
			return 0;
		}
		if (c < 0x20)
			return json_fail(r, "raw control character in string (expected an escape)");
		if (c != '\\') {
			size_t n = json_utf8_len((const unsigned char *)r->s + r->pos,
				r->len - r->pos);
			if (!n)
				return json_fail(r, "invalid UTF-8 in string");
			buf_put(out, r->s + r->pos, n);
			r->pos += n;
			continue;
		}
		if (++r->pos >= r->len)
			return json_fail(r, "unterminated escape");
		char e = r->s[r->pos++];
		switch (e) {
		case '"': buf_putc(out, '"'); break;
		case '\\': buf_putc(out, '\\'); break;
		case '/': buf_putc(out, '/'); break;
		case 'b': buf_putc(out, '\b'); break;
		case 'f': buf_putc(out, '\f'); break;
		case 'n': buf_putc(out, '\n'); break;
		case 'r': buf_putc(out, '\r'); break;
		case 't': buf_putc(out, '\t'); break;
		case 'u': {
			unsigned cp, lo;
			if (json_hex4(r, &cp))
				return -1;
			if (cp >= 0xdc00 && cp <= 0xdfff)
				return json_fail(r, "lone low surrogate in \\u escape");
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (r->len - r->pos < 2 || r->s[r->pos] != '\\' ||
					r->s[r->pos + 1] != 'u')
					return json_fail(r, "high surrogate without a low one");
				r->pos += 2;
				if (json_hex4(r, &lo))
					return -1;
				if (lo < 0xdc00 || lo > 0xdfff)
					return json_fail(r, "high surrogate without a low one");
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			json_put_utf8(out, cp);
			break;
		}
		default:
			return json_fail(r, "unknown escape in string");
		}
	}
}

static inline int json_digits(json_reader *r)
{
	size_t start = r->pos;
	while (r->pos < r->len && r->s[r->pos] >= '0' && r->s[r->pos] <= '9')
		r->pos++;
	return r->pos > start ? 0 : json_fail(r, "expected a digit in number");
}

static inline value *json_number(json_reader *r)
{
	size_t start = r->pos;
	if (r->s[r->pos] == '-')
		r->pos++;
	if (r->pos < r->len && r->s[r->pos] == '0') {
		r->pos++;
	} else if (json_digits(r)) {
		return NULL;
	}
	if (r->pos < r->len && r->s[r->pos] == '.') {
		r->pos++;
		if (json_digits(r))
			return NULL;
	}
	if (r->pos < r->len && (r->s[r->pos] == 'e' || r->s[r->pos] == 'E')) {
		r->pos++;
		if (r->pos < r->len && (r->s[r->pos] == '+' || r->s[r->pos] == '-'))
			r->pos++;
		if (json_digits(r))
			return NULL;
	}
	char *tmp = xstrndup(r->s + start, r->pos - start);
	double d = strtod(tmp, NULL);
	free(tmp);
	return value_number(d, r->line);
}

static inline int json_word(json_reader *r, const char *w)
{
	size_t n = strlen(w);
	if (r->len - r->pos < n || memcmp(r->s + r->pos, w, n) != 0)
		return json_fail(r, "unexpected character (expected a JSON value)");
	r->pos += n;
	return 0;
}

static inline value *json_array(json_reader *r)
{
	value *l = value_list(r->line);
	r->pos++;
	json_ws(r);
	if (r->pos < r->len && r->s[r->pos] == ']') {
		r->pos++;
		return l;
	}
	for (;;) {
		value *v = json_value(r);
		if (!v)
			goto fail;
		value_list_push(l, v);
		json_ws(r);
		if (r->pos < r->len && r->s[r->pos] == ',') {
			r->pos++;
			continue;
		}
		if (r->pos < r->len && r->s[r->pos] == ']') {
			r->pos++;
			return l;
		}
		json_fail(r, "expected ',' or ']' in array");
		goto fail;
	}
fail:
	value_free(l);
	return NULL;
}

static inline value *json_object(json_reader *r)
{
	value *m = value_map(r->line);
	buf key = BUF_INIT;
	r->pos++;
	json_ws(r);
	if (r->pos < r->len && r->s[r->pos] == '}') {
		r->pos++;
		return m;
	}
	for (;;) {
		json_ws(r);
		if (r->pos >= r->len || r->s[r->pos] != '"') {
			json_fail(r, "expected a string key in object");
			goto fail;
		}
		buf_reset(&key);
		if (json_string(r, &key))
			goto fail;
		json_ws(r);
		if (r->pos >= r->len || r->s[r->pos] != ':') {
			json_fail(r, "expected ':' after key in object");
			goto fail;
		}
		r->pos++;
		value *v = json_value(r);
		if (!v)
			goto fail;
		value_map_set(m, key.ptr, v);
		json_ws(r);
		if (r->pos < r->len && r->s[r->pos] == ',') {
			r->pos++;
			continue;
		}
		if (r->pos < r->len && r->s[r->pos] == '}') {
			r->pos++;
			buf_release(&key);
			return m;
		}
		json_fail(r, "expected ',' or '}' in object");
		goto fail;
	}
fail:
	buf_release(&key);
	value_free(m);
	return NULL;
}

static inline value *json_value(json_reader *r)
{
	json_ws(r);
	if (r->pos >= r->len) {
		json_fail(r, "unexpected end (expected a JSON value)");
		return NULL;
	}
	if (r->depth >= JSON_MAX_DEPTH) {
		json_fail(r, "nested too deeply");
		return NULL;
	}
	char c = r->s[r->pos];
	value *v = NULL;
	r->depth++;
	if (c == '{') {
		v = json_object(r);
	} else if (c == '[') {
		v = json_array(r);
	} else if (c == '"') {
		buf s = BUF_INIT;
		int line = r->line;
		if (json_string(r, &s) == 0) {
			size_t n;
			char *p = buf_detach(&s, &n);
			v = value_string_own(p, n, line);
		}
		buf_release(&s);
	} else if (c == '-' || (c >= '0' && c <= '9')) {
		v = json_number(r);
	} else if (c == 't') {
		v = json_word(r, "true") ? NULL : value_bool(1, r->line);
	} else if (c == 'f') {
		v = json_word(r, "false") ? NULL : value_bool(0, r->line);
	} else if (c == 'n') {
		v = json_word(r, "null") ? NULL : value_null(r->line);
	} else {
		json_fail(r, "unexpected character (expected a JSON value)");
	}
	r->depth--;
	return v;
}

static inline value *json_parse(const char *s, size_t len, buf *err)
{
	json_reader r = { s, len, 0, 1, 0, err };
	buf_reset(err);
	value *v = json_value(&r);
	if (!v)
		return NULL;
	json_ws(&r);
	if (r.pos != r.len) {
		json_fail(&r, "trailing characters after the JSON value");
		value_free(v);
		return NULL;
	}
	return v;
}

#endif
