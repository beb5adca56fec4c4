#include "cache.h"

#include <errno.h>
#include <git2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "banned.h"

/*
 * The file: MAGIC, the entry count (8 bytes, little endian), the entries
 * (key, length as 4 bytes little endian, bytes), then a checksum (8 bytes)
 * of everything before it. Entries are sorted by key, so the same entries
 * give the same file.
 */
#define MAGIC "avoin-cache 1\n"
#define MAGIC_LEN (sizeof(MAGIC) - 1)
#define ENTRY_MAX (256u << 20)

typedef struct entry {
	cache_key k;
	const char *data;   /* into the loaded file, or owned (puts) */
	size_t len;
} entry;

typedef struct slot {
	size_t *hits;       /* indices into the loaded entries */
	size_t n_hits, cap_hits;
	entry *puts;        /* owned copies */
	size_t n_puts, cap_puts;
} slot;

struct cache {
	char *dir;
	char *file;         /* the loaded file's bytes */
	entry *ents;
	size_t n_ents;
	size_t *table;      /* open addressing: index + 1, 0 empty */
	size_t table_cap;
	slot *slots;
	size_t n_slots;
};

void cache_key_addn(buf *b, const char *data, size_t len)
{
	/* length-prefixed, so that no two lists of fields give the same bytes */
	buf_printf(b, "%zu:", len);
	buf_put(b, data, len);
}

void cache_key_add(buf *b, const char *field)
{
	cache_key_addn(b, field ? field : "", field ? strlen(field) : 0);
}

void cache_key_of(const buf *b, cache_key *out)
{
	git_oid id;
	/* SHA-1 through libgit2, which every build links already */
	if (git_odb_hash(&id, b->ptr, b->len, GIT_OBJECT_BLOB) != 0)
		memset(&id, 0, sizeof(id));
	memcpy(out->b, id.id, sizeof(out->b));
}

/* A fast 64-bit checksum against truncation and garbage (not against malice). */
static uint64_t checksum(const unsigned char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15u ^ n;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 29;
	}
	for (; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3u;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53u;
	h ^= h >> 33;
	return h;
}

static uint64_t get_le(const unsigned char *p, size_t n)
{
	uint64_t v = 0;
	for (size_t i = n; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

static void put_le(buf *b, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_putc(b, (char)(v >> (8 * i) & 0xff));
}

static size_t key_hash(const cache_key *k)
{
	uint64_t h;
	memcpy(&h, k->b, sizeof(h));
	return (size_t)h;
}

static void table_build(cache *c)
{
	c->table_cap = 16;
	while (c->table_cap < c->n_ents * 2)
		c->table_cap *= 2;
	c->table = xcalloc(c->table_cap, sizeof(size_t));
	for (size_t i = 0; i < c->n_ents; i++) {
		size_t j = key_hash(&c->ents[i].k) & (c->table_cap - 1);
		while (c->table[j])
			j = (j + 1) & (c->table_cap - 1);
		c->table[j] = i + 1;
	}
}

/* Parses the loaded file; 0, or -1 when anything is off (the caller empties the cache). */
static int parse(cache *c, size_t len)
{
	const unsigned char *p = (const unsigned char *)c->file;
	if (len < MAGIC_LEN + 16 || memcmp(p, MAGIC, MAGIC_LEN) != 0)
		return -1;
	if (checksum(p, len - 8) != get_le(p + len - 8, 8))
		return -1;
	size_t end = len - 8, off = MAGIC_LEN;
	uint64_t n = get_le(p + off, 8);
	off += 8;
	if (n > (end - off) / (sizeof(cache_key) + 4))
		return -1;
	c->ents = xcalloc(n ? n : 1, sizeof(entry));
	for (uint64_t i = 0; i < n; i++) {
		if (end - off < sizeof(cache_key) + 4)
			return -1;
		entry *e = &c->ents[i];
		memcpy(e->k.b, p + off, sizeof(cache_key));
		off += sizeof(cache_key);
		e->len = (size_t)get_le(p + off, 4);
		off += 4;
		if (e->len > end - off)
			return -1;
		e->data = c->file + off;
		off += e->len;
	}
	if (off != end)
		return -1;
	c->n_ents = (size_t)n;
	return 0;
}

cache *cache_open(const char *dir, size_t n_workers)
{
	git_libgit2_init();
	cache *c = xcalloc(1, sizeof(*c));
	c->dir = xstrdup(dir);
	c->n_slots = n_workers ? n_workers : 1;
	c->slots = xcalloc(c->n_slots, sizeof(slot));
	char *path = xasprintf("%s/parts", dir);
	size_t len = 0;
	if (read_file(path, &c->file, &len) == 0 && parse(c, len) != 0) {
		free(c->ents);
		c->ents = NULL;
		c->n_ents = 0;
	}
	free(path);
	table_build(c);
	return c;
}

static size_t find(const cache *c, const cache_key *k)
{
	size_t j = key_hash(k) & (c->table_cap - 1);
	while (c->table[j]) {
		size_t i = c->table[j] - 1;
		if (memcmp(c->ents[i].k.b, k->b, sizeof(k->b)) == 0)
			return i;
		j = (j + 1) & (c->table_cap - 1);
	}
	return (size_t)-1;
}

const char *cache_get(cache *c, size_t worker, const cache_key *k, size_t *len)
{
	if (!c || worker >= c->n_slots)
		return NULL;
	size_t i = find(c, k);
	if (i == (size_t)-1)
		return NULL;
	slot *s = &c->slots[worker];
	s->hits = xgrow(s->hits, sizeof(size_t), s->n_hits + 1, &s->cap_hits);
	s->hits[s->n_hits++] = i;
	*len = c->ents[i].len;
	return c->ents[i].data;
}

void cache_put(cache *c, size_t worker, const cache_key *k, const char *data, size_t len)
{
	if (!c || worker >= c->n_slots || len > ENTRY_MAX)
		return;
	slot *s = &c->slots[worker];
	s->puts = xgrow(s->puts, sizeof(entry), s->n_puts + 1, &s->cap_puts);
	char *copy = xmalloc(len + 1);
	memcpy(copy, data, len);
	copy[len] = '\0';
	s->puts[s->n_puts++] = (entry){ *k, copy, len };
}

size_t cache_loaded(const cache *c)
{
	return c ? c->n_ents : 0;
}

static int cmp_entry(const void *a, const void *b)
{
	const entry *x = *(entry *const *)a, *y = *(entry *const *)b;
	return memcmp(x->k.b, y->k.b, sizeof(x->k.b));
}

int cache_save(cache *c, diag_list *d)
{
	if (!c)
		return 0;
	size_t n = 0;
	for (size_t w = 0; w < c->n_slots; w++)
		n += c->slots[w].n_hits + c->slots[w].n_puts;
	const entry **all = xcalloc(n ? n : 1, sizeof(entry *));
	size_t k = 0;
	for (size_t w = 0; w < c->n_slots; w++) {
		for (size_t i = 0; i < c->slots[w].n_hits; i++)
			all[k++] = &c->ents[c->slots[w].hits[i]];
		for (size_t i = 0; i < c->slots[w].n_puts; i++)
			all[k++] = &c->slots[w].puts[i];
	}
	qsort(all, n, sizeof(entry *), cmp_entry);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (u == 0 || memcmp(all[u - 1]->k.b, all[i]->k.b, sizeof(cache_key)) != 0)
			all[u++] = all[i];
	buf b = BUF_INIT;
	buf_put(&b, MAGIC, MAGIC_LEN);
	put_le(&b, u, 8);
	for (size_t i = 0; i < u; i++) {
		buf_put(&b, (const char *)all[i]->k.b, sizeof(cache_key));
		put_le(&b, all[i]->len, 4);
		buf_put(&b, all[i]->data, all[i]->len);
	}
	put_le(&b, checksum((const unsigned char *)b.ptr, b.len), 8);
	free(all);

	mkdir(c->dir, 0755);
	char *path = xasprintf("%s/parts", c->dir);
	char *tmp = xasprintf("%s/parts.tmp", c->dir);
	FILE *f = fopen(tmp, "wb");
	int ok = f != NULL;
	if (f) {
		ok = fwrite(b.ptr, 1, b.len, f) == b.len;
		ok &= fclose(f) == 0;
	}
	if (!ok || rename(tmp, path) != 0) {
		diag_warning(d, path, 0, "cannot write the cache: %s", strerror(errno));
		unlink(tmp);
		ok = 0;
	}
	free(tmp);
	free(path);
	buf_release(&b);
	return ok ? 0 : -1;
}

void cache_free(cache *c)
{
	if (!c)
		return;
	for (size_t w = 0; w < c->n_slots; w++) {
		slot *s = &c->slots[w];
		for (size_t i = 0; i < s->n_puts; i++)
			free((char *)s->puts[i].data);
		free(s->puts);
		free(s->hits);
	}
	free(c->slots);
	free(c->table);
	free(c->ents);
	free(c->file);
	free(c->dir);
	free(c);
	git_libgit2_shutdown();
}
