#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "util.h"
#include "banned.h"

void diag_add(diag_list *d, diag_level level, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(d, level, file, line, fmt, ap);
	va_end(ap);
}

void diag_vadd(diag_list *d, diag_level level, const char *file, int line, const char *fmt,
	va_list ap)
{
	buf msg = BUF_INIT;
	buf_vprintf(&msg, tr(fmt), ap);
	d->items = xgrow(d->items, sizeof(diag), d->n + 1, &d->cap);
	diag *e = &d->items[d->n++];
	e->level = level;
	e->file = file ? xstrdup(file) : NULL;
	e->line = line;
	e->msg = buf_detach(&msg, NULL);
	if (level == DIAG_ERROR)
		d->errors++;
}

void diag_merge(diag_list *dst, diag_list *src)
{
	if (src->n == 0)
		return;
	dst->items = xgrow(dst->items, sizeof(diag), dst->n + src->n, &dst->cap);
	memcpy(dst->items + dst->n, src->items, src->n * sizeof(diag));
	dst->n += src->n;
	dst->errors += src->errors;
	free(src->items);
	src->items = NULL;
	src->n = src->cap = src->errors = 0;
}

static int diag_cmp(const diag *a, const diag *b)
{
	int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
	if (c)
		return c;
	return (a->line > b->line) - (a->line < b->line);
}

void diag_sort(diag_list *d)
{
	/* insertion sort: stable, and lists are short */
	for (size_t i = 1; i < d->n; i++) {
		diag tmp = d->items[i];
		size_t j = i;
		while (j > 0 && diag_cmp(&d->items[j - 1], &tmp) > 0) {
			d->items[j] = d->items[j - 1];
			j--;
		}
		d->items[j] = tmp;
	}
}

void diag_format(buf *out, const diag *e)
{
	if (e->file) {
		buf_puts(out, e->file);
		if (e->line > 0)
			buf_printf(out, ":%d", e->line);
		buf_puts(out, ": ");
	}
	if (e->level == DIAG_WARNING)
		buf_puts(out, "warning: ");
	buf_puts(out, e->msg);
}

/* Control characters as \xNN; lines: 0 escapes line feeds too, 1 keeps them as indented lines. */
static void put_for_terminal(buf *out, const char *s, int lines)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\n' && lines)
			buf_puts(out, s[1] == '\t' ? "\n" : "\n\t");
		else if ((c < 0x20 && c != '\t') || c == 0x7f)
			buf_printf(out, "\\x%02X", c);
		else
			buf_putc(out, (char)c);
	}
}

void diag_format_terminal(buf *out, const diag *e)
{
	if (e->file) {
		put_for_terminal(out, e->file, 0);
		if (e->line > 0)
			buf_printf(out, ":%d", e->line);
		buf_puts(out, ": ");
	}
	if (e->level == DIAG_WARNING)
		buf_puts(out, "warning: ");
	put_for_terminal(out, e->msg, 1);
}

void diag_print(FILE *f, diag_list *d)
{
	buf line = BUF_INIT;
	diag_sort(d);
	for (size_t i = 0; i < d->n; i++) {
		buf_reset(&line);
		diag_format_terminal(&line, &d->items[i]);
		fprintf(f, "%s\n", line.ptr);
	}
	buf_release(&line);
}

int diag_contains(const diag_list *d, const char *needle)
{
	buf tmp = BUF_INIT;
	int found = 0;
	for (size_t i = 0; i < d->n && !found; i++) {
		buf_reset(&tmp);
		diag_format(&tmp, &d->items[i]);
		found = strstr(tmp.ptr, needle) != NULL;
	}
	buf_release(&tmp);
	return found;
}

void diag_release(diag_list *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i].file);
		free(d->items[i].msg);
	}
	free(d->items);
	d->items = NULL;
	d->n = d->cap = d->errors = 0;
}
