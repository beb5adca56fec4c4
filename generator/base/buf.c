#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "util.h"
#include "banned.h"

char buf_empty[1];

void buf_init(buf *b)
{
	b->ptr = buf_empty;
	b->len = b->cap = 0;
}

void buf_grow(buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	if (b->cap == 0) {
		b->ptr = xmalloc(cap);
		b->ptr[0] = '\0';
	} else {
		b->ptr = xrealloc(b->ptr, cap);
	}
	b->cap = cap;
}

void buf_put(buf *b, const void *data, size_t len)
{
	if (len == 0)
		return;
	if (b->len + len >= b->cap)
		buf_grow(b, len);
	memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void buf_puts(buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void buf_putc(buf *b, char c)
{
	if (b->len + 1 >= b->cap)
		buf_grow(b, 1);
	b->ptr[b->len++] = c;
	b->ptr[b->len] = '\0';
}

void buf_vprintf(buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	if (!fmt) /* never; tells GCC's -Wformat-truncation under UBSan so */
		return;
	/* one vsnprintf into the room there is; a second only when it did not fit */
	buf_grow(b, 32);
	size_t room = b->cap - b->len;
	va_copy(cp, ap);
	int n = vsnprintf(b->ptr + b->len, room, fmt, cp);
	va_end(cp);
	if (n <= 0) {
		b->ptr[b->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		buf_grow(b, (size_t)n);
		vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void buf_printf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_truncate(buf *b, size_t len)
{
	if (len >= b->len)
		return;
	b->len = len;
	b->ptr[len] = '\0';
}

void buf_reset(buf *b)
{
	buf_truncate(b, 0);
}

void buf_release(buf *b)
{
	if (b->cap)
		free(b->ptr);
	buf_init(b);
}

char *buf_detach(buf *b, size_t *len)
{
	char *p = b->cap ? b->ptr : xstrdup("");
	if (len)
		*len = b->len;
	buf_init(b);
	return p;
}

/* 1 for the bytes buf_put_html() replaces. */
static const unsigned char html_special[256] = {
	['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1,
};

/* The first byte at or after i that needs escaping, or len. */
static size_t html_scan(const char *s, size_t i, size_t len)
{
#ifdef __SSE2__
	/* sixteen bytes at a time: pages are mostly text without these five */
	const __m128i amp = _mm_set1_epi8('&'), lt = _mm_set1_epi8('<'), gt = _mm_set1_epi8('>');
	const __m128i quot = _mm_set1_epi8('"'), apos = _mm_set1_epi8('\'');
	for (; i + 16 <= len; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, amp), _mm_cmpeq_epi8(x, lt)),
			_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, gt), _mm_cmpeq_epi8(x, quot)),
				_mm_cmpeq_epi8(x, apos)));
		unsigned mask = (unsigned)_mm_movemask_epi8(hit);
		if (mask)
			return i + (size_t)__builtin_ctz(mask);
	}
#endif
	while (i < len && !html_special[(unsigned char)s[i]])
		i++;
	return i;
}

void buf_put_html(buf *b, const char *s, size_t len)
{
	size_t start = 0;
	for (size_t i = html_scan(s, 0, len); i < len; i = html_scan(s, start, len)) {
		const char *rep;
		size_t rlen;
		switch (s[i]) {
		case '&': rep = "&amp;"; rlen = 5; break;
		case '<': rep = "&lt;"; rlen = 4; break;
		case '>': rep = "&gt;"; rlen = 4; break;
		case '"': rep = "&quot;"; rlen = 6; break;
		default: rep = "&#39;"; rlen = 5; break;
		}
		buf_put(b, s + start, i - start);
		buf_put(b, rep, rlen);
		start = i + 1;
	}
	buf_put(b, s + start, len - start);
}

void buf_puts_html(buf *b, const char *s)
{
	buf_put_html(b, s, strlen(s));
}

void buf_put_le(buf *b, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_putc(b, (char)(unsigned char)(v >> (8 * i)));
}

void buf_put_count(buf *b, const char *form, size_t n)
{
	const char *at = strstr(form, "{n}");
	if (!at) {
		buf_puts(b, form);
		return;
	}
	buf_put(b, form, (size_t)(at - form));
	buf_printf(b, "%zu", n);
	buf_puts(b, at + 3);
}

void buf_put_uint(buf *b, unsigned long long v)
{
	char tmp[24];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		buf_putc(b, tmp[--n]);
}
