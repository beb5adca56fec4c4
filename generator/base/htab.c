#include "htab.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "banned.h"

static void put(htab *t, uint64_t h, size_t pos1)
{
	size_t mask = t->cap - 1, i = (size_t)h & mask;
	while (t->slots[i].pos1)
		i = (i + 1) & mask;
	t->slots[i] = (htab_slot){ h, pos1 };
}

static void grow(htab *t, size_t cap)
{
	htab old = *t;
	t->slots = xcalloc(cap, sizeof(htab_slot));
	t->cap = cap;
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].pos1)
			put(t, old.slots[i].hash, old.slots[i].pos1);
	free(old.slots);
}

void htab_reserve(htab *t, size_t n)
{
	size_t cap = t->cap ? t->cap : 16;
	while (cap < 2 * n)
		cap *= 2;
	if (cap != t->cap)
		grow(t, cap);
}

void htab_add(htab *t, uint64_t h, size_t pos)
{
	if (2 * (t->n + 1) > t->cap)
		htab_reserve(t, t->n + 1);
	put(t, h, pos + 1);
	t->n++;
}

size_t htab_next(const htab *t, uint64_t h, htab_iter *it)
{
	if (!t->cap)
		return HTAB_NONE;
	size_t mask = t->cap - 1;
	for (;;) {
		const htab_slot *s = &t->slots[it->i];
		if (!s->pos1)
			return HTAB_NONE;
		it->i = (it->i + 1) & mask;
		if (s->hash == h)
			return s->pos1 - 1;
	}
}

size_t htab_first(const htab *t, uint64_t h, htab_iter *it)
{
	it->i = t->cap ? (size_t)h & (t->cap - 1) : 0;
	return htab_next(t, h, it);
}

void htab_clear(htab *t)
{
	if (t->slots)
		memset(t->slots, 0, t->cap * sizeof(htab_slot));
	t->n = 0;
}

void htab_free(htab *t)
{
	free(t->slots);
	*t = (htab){ NULL, 0, 0 };
}
