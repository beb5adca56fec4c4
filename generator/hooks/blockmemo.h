#ifndef AVOIN_BLOCKMEMO_H
#define AVOIN_BLOCKMEMO_H
/*
 * A block hook's result is computed once per distinct block, however many
 * records, versions and pages show it, and kept in <out>.cache/parts for the
 * next build.
 *
 * What a call depends on: the hooks' code (and the generator and the limits:
 * code_id), the hook's name, the block's attributes and text (together the
 * block's "first key"), and whatever else the call read, which the sandbox
 * records as it runs (hooks.c): keys of the record, the block's line, files
 * through avoin.read (their resolved path and blob id), the site model (its
 * hash). Hooks are deterministic, so a call that reads the same names and
 * finds the same values takes the same path and returns the same HTML. The
 * memo therefore keeps, per first key, the lists of names calls read
 * ("variants"), and per first key, names and their values (the "second
 * key") the HTML. A lookup computes the values of each known variant's names
 * for the call at hand and looks for its second key.
 *
 * In memory for the build (shared by the workers, under a lock), and in the
 * parts cache (cache.h): the first variant of a first key under one key, each
 * result under its second key. Counters for --timings.
 */
#include <stddef.h>

#include "buf.h"
#include "cache.h"

typedef struct blockmemo blockmemo;

/* code_id: a digest of everything the hooks' code and limits are; pc may be NULL (no cache). */
blockmemo *blockmemo_new(const char *code_id, cache *pc);
void blockmemo_free(blockmemo *m);

/* The first key of a block: code, hook name, attributes (JSON) and text. */
void blockmemo_first_key(const blockmemo *m, const char *hook, const char *attrs_json,
	const char *text, cache_key *out);

/*
 * The name lists known for first key k (in memory and from the cache), each
 * a string of '\n'-ended names, appended to *lists (malloc'd strings, the
 * caller frees them and the array); returns how many.
 */
size_t blockmemo_variants(blockmemo *m, const cache_key *k, size_t worker, char ***lists);

/* The second key: the first key, the names and their values as the call at hand has them. */
void blockmemo_second_key(const cache_key *k, const char *names, const char *values,
	cache_key *out);

/* 1 and the HTML appended to out when a call with second key k2 ran before; else 0. */
int blockmemo_get(blockmemo *m, const cache_key *k2, size_t worker, buf *out);

/* Keeps the HTML a call returned, with the names it read and the second key of their values. */
void blockmemo_put(blockmemo *m, const cache_key *k, const char *names, const cache_key *k2,
	const char *html, size_t len, size_t worker);

/* For --timings: calls that ran, results taken from this build's memo, and from the cache. */
void blockmemo_counts(const blockmemo *m, size_t *ran, size_t *memo, size_t *cached);
void blockmemo_count_ran(blockmemo *m);

#endif
