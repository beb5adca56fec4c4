#ifndef AVOIN_HTAB_H
#define AVOIN_HTAB_H
/*
 * The one internal hash table: open addressing with linear probing over a
 * power-of-two array of (hash, position) slots, grown at half full. It holds
 * the positions of items kept elsewhere (an array, a buffer), so the caller
 * keeps its items as it likes and compares the ones a probe finds:
 *
 *   htab_iter it;
 *   for (size_t p = htab_first(&t, h, &it); p != HTAB_NONE; p = htab_next(&t, h, &it))
 *           if (same(items[p], key))
 *                   return p;
 *
 * Only slots whose stored hash equals h are returned. Not thread-safe: one
 * writer, or readers only.
 */
#include <stddef.h>
#include <stdint.h>

#define HTAB_NONE ((size_t)-1)

typedef struct htab_slot {
	uint64_t hash;
	size_t pos1;       /* position + 1; 0: empty */
} htab_slot;

typedef struct htab {
	htab_slot *slots;
	size_t cap, n;     /* cap: 0 or a power of two */
} htab;

typedef struct htab_iter {
	size_t i;          /* the next slot to look at */
} htab_iter;

/* Makes room for n items in all (no growing until then). */
void htab_reserve(htab *t, size_t n);
/* Adds pos under h; an equal item already there is the caller's business. */
void htab_add(htab *t, uint64_t h, size_t pos);
/* The first position stored under h, then the next ones; HTAB_NONE at the end. */
size_t htab_first(const htab *t, uint64_t h, htab_iter *it);
size_t htab_next(const htab *t, uint64_t h, htab_iter *it);
/* Empties t, keeping its memory. */
void htab_clear(htab *t);
void htab_free(htab *t);

#endif
