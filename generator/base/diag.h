#ifndef AVOIN_DIAG_H
#define AVOIN_DIAG_H
/*
 * Diagnostics: library code never prints, it adds to a diag_list that the
 * command-line driver prints at the end. Each entry names the file (its
 * path in the repository), the line (0 when unknown) and what is wrong and
 * what was expected, in git's style: lower case, no final period, the
 * subject quoted, e.g.
 *   content/x/y.md:7: 'status' must be one of draft, approved, signed, expired (got 'valmis')
 *
 * The format is English and stays the key: diag_add() writes the message in
 * the publisher's language (msg.h), the file and line as they are.
 *
 * A diag_list is not thread-safe; parallel workers each use their own and
 * the driver merges them in a deterministic order.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "msg.h"   /* tr(), N_(): the parts of messages */

typedef enum diag_level { DIAG_WARNING, DIAG_ERROR } diag_level;

typedef struct diag {
	diag_level level;
	char *file;     /* may be NULL */
	int line;       /* 0 when unknown */
	char *msg;
} diag;

typedef struct diag_list {
	diag *items;
	size_t n, cap;
	size_t errors;  /* how many of the items are errors */
} diag_list;

#define DIAG_LIST_INIT { NULL, 0, 0, 0 }

void diag_add(diag_list *d, diag_level level, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* The same with a va_list. fmt is English; the message is written in msg_get_lang()'s language. */
void diag_vadd(diag_list *d, diag_level level, const char *file, int line, const char *fmt,
	va_list ap) __attribute__((format(printf, 5, 0)));
#define diag_error(d, file, line, ...) diag_add((d), DIAG_ERROR, (file), (line), __VA_ARGS__)
#define diag_warning(d, file, line, ...) diag_add((d), DIAG_WARNING, (file), (line), __VA_ARGS__)
/* Moves all entries of src to the end of dst; src is empty afterwards. */
void diag_merge(diag_list *dst, diag_list *src);
/* Sorts by file, then line, keeping the order of entries that compare equal. */
void diag_sort(diag_list *d);
/* One entry as a line (without newline): "file:line: msg", "warning: " prefixed for warnings. */
void diag_format(buf *out, const diag *e);
/*
 * The same for a terminal: file names and messages carry text from content,
 * so control characters are written as \x1B (an ESC would recolour the
 * terminal, a CR or LF in a file name forge a line); a message's own line
 * breaks (a hook's traceback) stay, each next line indented with a tab.
 */
void diag_format_terminal(buf *out, const diag *e);
/* Sorts d and writes each entry to f as diag_format_terminal() has it, a line each. */
void diag_print(FILE *f, diag_list *d);
/* 1 when some entry's formatted text contains needle (for tests). */
int diag_contains(const diag_list *d, const char *needle);
void diag_release(diag_list *d);

#endif
