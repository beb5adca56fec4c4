#ifndef AVOIN_MEMSITE_H
#define AVOIN_MEMSITE_H
/*
 * A site held in memory, for `avoin serve`: path -> bytes (and the page key
 * the build wrote it with). A build writes into an output opened with
 * output_begin_memory() (output.h), which reads the current site to keep
 * what has not changed and, on output_commit(), replaces it as a whole with
 * memsite_replace(): a reader sees the old site or the new one, never a mix.
 *
 * Readers (the HTTP threads) take a reference to one file with memsite_get()
 * and release it when they have sent it, so a file outlives the site it was
 * part of for as long as someone sends it. One writer at a time (the builds
 * are serial); any number of readers.
 *
 * Files are packed (pack.h: zstd, with a dictionary trained once from the
 * site): by the build's writers as they write, once the first 4 MB written
 * have trained the dictionary, and between builds by memsite_compact() in
 * the background, which packs what is left. On the benchmark corpus the
 * site takes an eighth of its size then, and the first build never holds
 * all its pages as written. A file is either as written or packed
 * (memfile_packed); memfile_bytes() gives the bytes as written either way.
 */
#include <stddef.h>

typedef struct memsite memsite;
typedef struct memfile memfile;

memsite *memsite_new(void);
void memsite_free(memsite *ms);

/* The file at path ("a/b/index.html"), with a reference; NULL when there is none. */
memfile *memsite_get(memsite *ms, const char *path);
/* How many files the site has; each change of the site counts one generation. */
size_t memsite_count(memsite *ms);
unsigned long memsite_generation(memsite *ms);
/* The bytes the site's files hold in memory, and how many of them are packed. */
size_t memsite_held(memsite *ms, size_t *packed);
/* 1 when files are packed with a dictionary trained from the site. */
int memsite_trained(memsite *ms);
/* Every path, sorted, one per line, each followed by a space and its size (for tests). */
char *memsite_listing(memsite *ms, size_t *len);
/*
 * Starts packing the current site's files on a thread of its own; stops
 * (and waits for the thread) with memsite_compact_stop(), which the writer
 * calls before it opens the next build. The site is the same either way.
 */
void memsite_compact(memsite *ms);
void memsite_compact_stop(memsite *ms);

memfile *memfile_new(const char *data, size_t len);
memfile *memfile_ref(memfile *f);
void memfile_release(memfile *f);
/* What the file holds: its bytes as written, or a zstd frame of them (memfile_packed). */
const char *memfile_data(const memfile *f);
size_t memfile_len(const memfile *f);
int memfile_packed(const memfile *f);
/* The length of the file as written. */
size_t memfile_raw_len(const memfile *f);
/* The file as written, in a new allocation with a NUL after it; NULL when zstd fails. */
char *memfile_bytes(const memfile *f, size_t *len);
/* 1 when f holds exactly data (len bytes). */
int memfile_equals(const memfile *f, const char *data, size_t len);

/* ---- for the output layer (output.c), on the writer's thread ---- */

/*
 * A file of data (len bytes) for the site: packed when the site has a
 * dictionary; until it has one, as written, and a piece of it goes to the
 * samples the dictionary is trained from (the writer whose piece fills
 * them trains it, once). Any of the build's threads may call it.
 */
memfile *memsite_file_new(memsite *ms, const char *data, size_t len);

/* The current site's file at path and its key (NULL when it had none); no reference is taken. */
memfile *memsite_peek(const memsite *ms, const char *path, const char **key);

typedef struct memsite_entry {
	char *path;        /* owned */
	char *key;         /* owned, or NULL */
	memfile *file;     /* a reference */
} memsite_entry;

/*
 * Puts entries (n, sorted by path, each path once; taken over with the
 * array) in place of the current site, which is released.
 */
void memsite_replace(memsite *ms, memsite_entry *entries, size_t n);
/*
 * Patches the current site in one generation (output_begin_patch): each of
 * the n entries (taken over with the array; each path once) replaces the
 * file at its path or is added, and every file under one of the n_drop
 * prefixes that no entry names goes; every other file stays.
 */
void memsite_patch(memsite *ms, memsite_entry *entries, size_t n, char *const *drop,
	size_t n_drop);

#endif
