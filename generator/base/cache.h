#ifndef AVOIN_CACHE_H
#define AVOIN_CACHE_H
/*
 * Rendered parts of earlier builds, for rebuilds: <out>.cache/parts holds
 * entries (a 20-byte key, the bytes) in one file, written atomically at the
 * end of a successful build and checked whole at the start of the next one.
 * Only the keys stay in memory: the bytes of a hit are read from the file
 * when asked for, and the bytes put are kept in an unlinked scratch file,
 * so the cache costs a build almost no memory however large it grows. The
 * folder is removed by nothing but the user; deleting it forces a full
 * build. A cache must never crash or poison a build: a missing, truncated or
 * garbled file is treated as empty (the whole file carries a checksum).
 *
 * What a key covers is the caller's business (see build.c and histpages.c):
 * every input the cached bytes depend on goes into the key.
 *
 * Threads: the loaded table is only read during a build; each worker
 * records its hits and new entries in its own slot, so cache_get and
 * cache_put are safe from worker threads as long as each passes its own
 * worker index; cache_seal (between phases) lets every worker find them. cache_save keeps what this build used or added, nothing else.
 */
#include <stddef.h>

#include "buf.h"
#include "diag.h"

typedef struct cache cache;

typedef struct cache_key {
	unsigned char b[20];
} cache_key;

/* A key for the fields in b (the caller appends them with cache_key_add). */
void cache_key_add(buf *b, const char *field);
void cache_key_addn(buf *b, const char *data, size_t len);
void cache_key_of(const buf *b, cache_key *out);
/* k as 40 lower-case hex digits and a NUL into out. */
void cache_key_hex(const cache_key *k, char out[41]);

/* Loads dir/parts (anything unusable: an empty cache). Never fails. */
cache *cache_open(const char *dir, size_t n_workers);
/* The bytes stored under k, or NULL; valid until cache_free (the cache keeps a copy). */
const char *cache_get(cache *c, size_t worker, const cache_key *k, size_t *len);
/* Appends the bytes stored under k to out and returns 1, or returns 0 (out untouched);
 * keeps no copy, so this is the one to use for many or large parts. */
int cache_get_buf(cache *c, size_t worker, const cache_key *k, buf *out);
/* 1 when the cache loaded an entry under k (kept by cache_save, like a hit), else 0;
 * reads none of its bytes. */
int cache_has(cache *c, size_t worker, const cache_key *k);
/* k from its 40 hex digits (cache_key_hex); -1 when s is not such. */
int cache_key_parse(const char *s, cache_key *k);
/* Stores a copy of data under k (a later put of the same key is ignored). */
void cache_put(cache *c, size_t worker, const cache_key *k, const char *data, size_t len);
/*
 * Makes the entries put so far findable by cache_get_buf and cache_has from
 * any worker (until then a worker's puts are found by nobody). Call between
 * two phases, when no worker puts; later puts are not findable until the
 * next cache_seal, which adds them to those sealed before (a patch of
 * `avoin serve` seals a few more at a time).
 */
void cache_seal(cache *c);
/* Writes the entries used or added by this build to dir/parts, atomically. 0 or -1. */
int cache_save(cache *c, diag_list *d);
/* Entries loaded, hits and puts so far (for tests and statistics). */
size_t cache_loaded(const cache *c);
void cache_free(cache *c);

/*
 * A digest of a value tree (depth: its level, 0 at the top), without its
 * whole JSON in memory at once (the site model's is tens of megabytes): the
 * top two levels and any long list or map are the digest of their
 * children's digests, anything else the digest of its JSON.
 */
struct value;
void cache_key_of_value(const struct value *v, int depth, cache_key *out);

#endif
