#ifndef AVOIN_UTIL_H
#define AVOIN_UTIL_H
/*
 * Memory wrappers: out of memory is not an error path. Each x* function
 * aborts with one message when the allocator fails, so callers never check.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a newly allocated string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow *items (of elem_size each) so that it holds at least need elements. */
void *xgrow(void *items, size_t elem_size, size_t need, size_t *cap);

/* Read a whole file from disk; returns 0 or -1 (errno set). *out is NUL-terminated. */
int read_file(const char *path, char **out, size_t *len);
/* pread() of all n bytes at off (again after EINTR and short reads); 0, or -1 with errno set. */
int pread_all(int fd, void *dst, size_t n, uint64_t off);
/*
 * Maps the regular file at path read-only (private): only the pages used
 * are read from disk, and none is copied. -1 for an empty or missing file.
 * Undo with munmap(data, len).
 */
int map_file(const char *path, char **data, size_t *len);
/*
 * fopen(path, "wb") with a buffer of 256 KiB, stored in *buffer: a cache
 * file of tens of megabytes goes out in a hundred writes, not thousands of
 * 4 KiB ones. Close with fclose_buffered (also when this returned NULL).
 */
FILE *fopen_buffered(const char *path, char **buffer);
/* fclose(f) (0 when f is NULL), then frees the buffer fopen_buffered gave it. */
int fclose_buffered(FILE *f, char *buffer);
/* Creates the folder that holds path (one level: its parent must exist); errors are left to the caller's write. */
void mkdir_parent(const char *path);
/*
 * mkdir -p for the folder that holds path (path is modified and restored).
 * Deepest first: in a site most folders' parents already exist, so this is
 * one mkdir per new folder rather than one per level per file. Safe against
 * other threads creating the same folders. 0 or -1 (errno set).
 */
int mkdir_parents(char *path);
/* 1 for a folder with nothing in it; 0 for anything else (or none). */
int dir_is_empty(const char *path);
/* The edit distance (Levenshtein, in bytes) of a and b: for near-miss suggestions. */
size_t str_distance(const char *a, const char *b);

/*
 * A file written whole or not at all: atomic_open() opens "<path>.<pid>.tmp"
 * (making its folder), buffered; atomic_commit() closes it and renames it
 * over path when ok and every write and the close succeeded (after an fsync
 * when sync), else removes it. Readers see the old file or the new one,
 * never part of one. 0, or -1. When atomic_open() returns NULL there is
 * nothing to release (atomic_commit() then returns -1).
 */
typedef struct atomic_file {
	FILE *f;
	char *path, *tmp, *buffer;
} atomic_file;
FILE *atomic_open(atomic_file *a, const char *path);
int atomic_commit(atomic_file *a, int ok, int sync);
/* The unsigned number in the n bytes (at most 8) at p, least significant first; and back. */
uint64_t le_get(const unsigned char *p, size_t n);

/*
 * Reading bytes that may be garbled (a cache file, a serialised value):
 * every read checks what is left, and once one fails every later one fails
 * too (bad is set), so a reader checks once, at the end.
 */
typedef struct breader {
	const unsigned char *p, *end;
	int bad;
} breader;
/* n bytes (1 to 8) little endian; 0 when they are not there. */
uint64_t br_le(breader *r, size_t n);
/* The next n bytes, or NULL when they are not there. */
const unsigned char *br_bytes(breader *r, size_t n);
/* The next byte, or -1. */
int br_byte(breader *r);
/* A LEB128 number in its one shortest form, at most max; 0, or -1 (bad set). */
int br_uleb(breader *r, uint64_t max, uint64_t *out);
void le_put(unsigned char *p, uint64_t v, size_t n);

/* 1 when s is a slug: non-empty, lower-case ASCII letters, digits and '-'. */
int is_slug(const char *s);
/* 1 when s is an ISO date YYYY-MM-DD that exists in the calendar. */
int is_iso_date(const char *s);
/* Days from 1970-01-01 to the ISO date at s (its first ten characters; H. Hinnant's algorithm). */
long iso_days(const char *s);
/* Seconds on the monotonic clock, for timings. */
double now_s(void);
/*
 * A meeting's date as written: "YYYY-MM-DD", optionally followed by " HH:MM"
 * and "-HH:MM" (a later time). 1 when s is one, with date, start and end
 * ("" when not given) filled in; else 0.
 */
int meeting_when_parse(const char *s, char date[11], char start[6], char end[6]);
/* FNV-1a: a small, stable hash for in-memory tables and fingerprints (never for security). */
#define FNV1A_INIT 1469598103934665603ULL
uint64_t fnv1a(uint64_t h, const void *data, size_t len);
uint64_t str_hash(const char *s);

/* 1 when the n bytes at s are well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF). */
int utf8_valid(const char *s, size_t n);
/*
 * The offset of the first control character in the n bytes at s that text
 * may not hold (C0 controls other than tab, line feed and carriage return,
 * NUL among them, and DEL); (size_t)-1 when there is none.
 */
size_t text_control_at(const char *s, size_t n);

int str_has_suffix(const char *s, const char *suffix);
/* The value of a hexadecimal digit (either case), or -1. */
int hex_digit(char c);
int str_has_prefix(const char *s, const char *prefix);

/*
 * Calls fn(items + i * size) for i in 0..n-1, item 0 on this thread and the
 * others on their own threads; an item whose thread cannot start is run
 * here afterwards. Returns when every call has returned.
 */
void run_threads(void *items, size_t n, size_t size, void *(*fn)(void *));

#endif
