#ifndef AVOIN_BUF_H
#define AVOIN_BUF_H
/*
 * A growable byte buffer, after git's strbuf. Invariants: ptr is never NULL
 * and ptr[len] is always '\0', so ptr can be used as a C string at any time.
 * A buffer initialised with BUF_INIT owns no memory until something is added.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct buf {
	char *ptr;
	size_t len;
	size_t cap;
} buf;

extern char buf_empty[];
#define BUF_INIT { buf_empty, 0, 0 }

void buf_init(buf *b);
void buf_grow(buf *b, size_t extra);
void buf_put(buf *b, const void *data, size_t len);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
/* The n low bytes (at most 8) of v, least significant first. */
void buf_put_le(buf *b, uint64_t v, size_t n);
/* v in decimal, without printf (for the many numbers of an index). */
void buf_put_uint(buf *b, unsigned long long v);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends form with its first "{n}" replaced by n: a count in a language's own words. */
void buf_put_count(buf *b, const char *form, size_t n);
void buf_vprintf(buf *b, const char *fmt, va_list ap);
void buf_truncate(buf *b, size_t len);
/* Empty the buffer but keep its memory. */
void buf_reset(buf *b);
/* Free the contents; the buffer is BUF_INIT again. */
void buf_release(buf *b);
/* Hand the contents to the caller (always malloc'd); the buffer is BUF_INIT again. */
char *buf_detach(buf *b, size_t *len);

/* Append s escaped for HTML text and attribute values (& < > " '). */
void buf_put_html(buf *b, const char *s, size_t len);
void buf_puts_html(buf *b, const char *s);
/* Append s escaped for XML (same set as HTML, numeric entity for the quote). */
#define buf_puts_xml buf_puts_html

#endif
