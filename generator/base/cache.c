#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "htab.h"
#include "util.h"
#include "value.h"
#include "banned.h"

/*
 * The file: MAGIC, the entry count (8 bytes, little endian), the entries
 * (key, length as 4 bytes little endian, bytes), then a checksum (8 bytes)
 * of everything before it. Entries are sorted by key, so the same entries
 * give the same file.
 *
 * Memory: a cache of every rendered record is as large as the records
 * themselves, and the build reads a rendered body from here when a page
 * needs it rather than keeping it, so neither the loaded file nor the puts
 * stay in memory. The loaded file stays open (its
 * descriptor pins the checked version even when a later save renames a new
 * one over it) and a hit is read from it with pread; the bytes put go to an
 * unlinked scratch file per worker. cache_save copies both into the new file.
 */
#define MAGIC "avoin-cache 2\n"  /* 2: keys are SHA-256 */
#define MAGIC_LEN (sizeof(MAGIC) - 1)
#define ENTRY_HEAD (sizeof(cache_key) + 4)
#define ENTRY_MAX (256u << 20)
#define CHUNK (64u << 10)

typedef struct entry {
	cache_key k;
	int fd;             /* where the bytes are: the loaded file or a scratch file */
	uint64_t off;
	size_t len;
} entry;

typedef struct slot {
	size_t *hits;       /* indices into the loaded entries */
	size_t n_hits, cap_hits;
	entry *puts;        /* bytes in the scratch file */
	size_t n_puts, cap_puts;
	FILE *scratch;      /* NULL until the first put */
	uint64_t scratch_len;
	int scratch_failed; /* no scratch file could be made: puts are dropped */
	char **copies;      /* what cache_get handed out */
	size_t n_copies, cap_copies;
	size_t n_sealed;    /* of puts, how many the last cache_seal found in sealed */
} slot;

struct cache {
	char *dir;
	int fd;             /* the loaded file, -1 when none */
	entry *ents;
	size_t n_ents;
	htab table;         /* positions in ents, by key */
	slot *slots;
	size_t n_slots;
	/* this build's puts up to the last cache_seal, found like loaded entries */
	entry *sealed;
	size_t n_sealed;
	htab sealed_table;
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

/*
 * Keys are SHA-256 from OpenSSL's libcrypto (which libgit2's SSH transport
 * loads into every build already), cut to 160 bits. It hashes 2.5 to 4 times
 * as fast here as libgit2's collision-detecting SHA-1 did, from keys of a
 * hundred bytes to whole pages' contexts, and a build makes hundreds of
 * thousands of keys.
 */
static EVP_MD *sha256;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void sha256_fetch(void)
{
	sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
}

void cache_key_of(const buf *b, cache_key *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	pthread_once(&sha256_once, sha256_fetch);
	if (!sha256 || EVP_Digest(b->ptr, b->len, md, &n, sha256, NULL) != 1 || n < sizeof(out->b)) {
		/* a key must never stand for other inputs: no fallback that could collide */
		fputs("avoin: SHA-256 from OpenSSL's libcrypto is not available\n", stderr);
		abort();
	}
	memcpy(out->b, md, sizeof(out->b));
}

int cache_key_parse(const char *s, cache_key *k)
{
	for (size_t i = 0; i < sizeof(k->b); i++) {
		int v = 0;
		for (int j = 0; j < 2; j++) {
			char ch = s[2 * i + (size_t)j];
			int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
			if (d < 0)
				return -1;
			v = v * 16 + d;
		}
		k->b[i] = (unsigned char)v;
	}
	return s[2 * sizeof(k->b)] == '\0' ? 0 : -1;
}

void cache_key_hex(const cache_key *k, char out[41])
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < sizeof(k->b); i++) {
		out[2 * i] = digits[k->b[i] >> 4];
		out[2 * i + 1] = digits[k->b[i] & 15];
	}
	out[2 * sizeof(k->b)] = '\0';
}

/*
 * A fast 64-bit checksum against truncation and garbage (not against
 * malice), fed piecewise so that neither reading nor writing needs the
 * whole file in memory: 8-byte words from the start, then the last bytes
 * one by one. n, the total length, must be known at the start.
 */
typedef struct sum {
	uint64_t h;
	unsigned char pend[8];
	size_t n_pend;
} sum;

static void sum_init(sum *s, uint64_t n)
{
	s->h = 0x9e3779b97f4a7c15u ^ n;
	s->n_pend = 0;
}

static void sum_word(sum *s, const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	s->h = (s->h ^ w) * 0xff51afd7ed558ccdu;
	s->h ^= s->h >> 29;
}

static void sum_add(sum *s, const void *data, size_t n)
{
	const unsigned char *p = data;
	if (s->n_pend) {
		size_t take = 8 - s->n_pend < n ? 8 - s->n_pend : n;
		memcpy(s->pend + s->n_pend, p, take);
		s->n_pend += take;
		p += take;
		n -= take;
		if (s->n_pend < 8)
			return;
		sum_word(s, s->pend);
		s->n_pend = 0;
	}
	for (; n >= 8; p += 8, n -= 8)
		sum_word(s, p);
	memcpy(s->pend, p, n);
	s->n_pend = n;
}

static uint64_t sum_end(sum *s)
{
	uint64_t h = s->h;
	for (size_t i = 0; i < s->n_pend; i++)
		h = (h ^ s->pend[i]) * 0x100000001b3u;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53u;
	h ^= h >> 33;
	return h;
}

static uint64_t key_hash(const cache_key *k)
{
	uint64_t h;
	memcpy(&h, k->b, sizeof(h));
	return (size_t)h;
}

static size_t find_in(const entry *ents, const htab *t, const cache_key *k)
{
	uint64_t h = key_hash(k);
	htab_iter it;
	for (size_t i = htab_first(t, h, &it); i != HTAB_NONE; i = htab_next(t, h, &it))
		if (memcmp(ents[i].k.b, k->b, sizeof(k->b)) == 0)
			return i;
	return (size_t)-1;
}

/* Indexes ents by key into t; of equal keys the first is found. */
static void index_entries(htab *t, const entry *ents, size_t n)
{
	htab_reserve(t, n);
	for (size_t i = 0; i < n; i++)
		if (find_in(ents, t, &ents[i].k) == (size_t)-1)
			htab_add(t, key_hash(&ents[i].k), i);
}

static void table_build(cache *c)
{
	index_entries(&c->table, c->ents, c->n_ents);
}

/* Reading the loaded file front to back through a small window, summing as it goes. */
typedef struct reader {
	int fd;
	unsigned char *win;
	size_t pos, len;
	uint64_t left;      /* bytes of the file not yet in the window */
	sum s;
} reader;

/* The next n bytes into dst (NULL: skipped), summed unless raw; -1 at the end or on an error. */
static int rd_get(reader *r, void *dst, size_t n, int raw)
{
	unsigned char *out = dst;
	while (n) {
		if (r->pos == r->len) {
			size_t want = r->left < CHUNK ? (size_t)r->left : CHUNK;
			ssize_t got = want ? read(r->fd, r->win, want) : 0;
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0)
				return -1;
			r->pos = 0;
			r->len = (size_t)got;
			r->left -= (uint64_t)got;
		}
		size_t take = r->len - r->pos < n ? r->len - r->pos : n;
		if (!raw)
			sum_add(&r->s, r->win + r->pos, take);
		if (out) {
			memcpy(out, r->win + r->pos, take);
			out += take;
		}
		r->pos += take;
		n -= take;
	}
	return 0;
}

/* Checks the open file and indexes its entries; 0, or -1 when anything is off. */
static int parse(cache *c, int fd)
{
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < (off_t)(MAGIC_LEN + 16))
		return -1;
	uint64_t size = (uint64_t)st.st_size, end = size - 8;
	reader r = { fd, xmalloc(CHUNK), 0, 0, size, { 0, { 0 }, 0 } };
	sum_init(&r.s, end);
	unsigned char head[ENTRY_HEAD];
	int ret = -1;
	if (rd_get(&r, head, MAGIC_LEN, 0) != 0 || memcmp(head, MAGIC, MAGIC_LEN) != 0 ||
	    rd_get(&r, head, 8, 0) != 0)
		goto out;
	uint64_t off = MAGIC_LEN + 8, n = le_get(head, 8);
	if (n > (end - off) / ENTRY_HEAD)
		goto out;
	c->ents = xcalloc(n ? n : 1, sizeof(entry));
	for (uint64_t i = 0; i < n; i++) {
		if (end - off < ENTRY_HEAD || rd_get(&r, head, ENTRY_HEAD, 0) != 0)
			goto out;
		off += ENTRY_HEAD;
		entry *e = &c->ents[i];
		memcpy(e->k.b, head, sizeof(cache_key));
		e->len = (size_t)le_get(head + sizeof(cache_key), 4);
		e->fd = fd;
		e->off = off;
		if (e->len > end - off || rd_get(&r, NULL, e->len, 0) != 0)
			goto out;
		off += e->len;
	}
	if (off != end || rd_get(&r, head, 8, 1) != 0 || sum_end(&r.s) != le_get(head, 8))
		goto out;
	c->n_ents = (size_t)n;
	ret = 0;
out:
	free(r.win);
	return ret;
}

cache *cache_open(const char *dir, size_t n_workers)
{
	git_libgit2_init();
	cache *c = xcalloc(1, sizeof(*c));
	c->dir = xstrdup(dir);
	c->fd = -1;
	c->n_slots = n_workers ? n_workers : 1;
	c->slots = xcalloc(c->n_slots, sizeof(slot));
	char *path = xasprintf("%s/parts", dir);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && parse(c, fd) != 0) {
		free(c->ents);
		c->ents = NULL;
		c->n_ents = 0;
	}
	if (c->n_ents)
		c->fd = fd;
	else if (fd >= 0)
		close(fd);
	free(path);
	table_build(c);
	return c;
}

static size_t find(const cache *c, const cache_key *k)
{
	return find_in(c->ents, &c->table, k);
}

/*
 * Makes what the workers put so far findable by cache_get_buf and
 * cache_has, from any worker: between two phases of the build, when no
 * worker puts. Their scratch files are flushed, so the bytes can be read.
 */
void cache_seal(cache *c)
{
	if (!c)
		return;
	size_t n = 0;
	int again = 0;   /* a slot lost puts since the last seal: the sealed table is made anew */
	for (size_t w = 0; w < c->n_slots; w++) {
		slot *s = &c->slots[w];
		if (s->scratch && fflush(s->scratch) != 0)
			s->n_puts = 0;  /* cannot be read back: found by nobody (nor saved, below) */
		n += s->n_puts;
		again |= s->n_puts < s->n_sealed;
	}
	if (again || !c->sealed) {
		free(c->sealed);
		htab_free(&c->sealed_table);
		c->sealed = NULL;
		c->n_sealed = 0;
		for (size_t w = 0; w < c->n_slots; w++)
			c->slots[w].n_sealed = 0;
	}
	/* the puts since the last seal go after the ones it found (a patch seals a few more) */
	c->sealed = xrealloc(c->sealed, (n ? n : 1) * sizeof(entry));
	size_t first = c->n_sealed;
	for (size_t w = 0; w < c->n_slots; w++) {
		slot *s = &c->slots[w];
		for (size_t i = s->n_sealed; i < s->n_puts; i++)
			c->sealed[c->n_sealed++] = s->puts[i];
		s->n_sealed = s->n_puts;
	}
	htab_reserve(&c->sealed_table, c->n_sealed ? c->n_sealed : 1);
	for (size_t i = first; i < c->n_sealed; i++)
		if (find_in(c->sealed, &c->sealed_table, &c->sealed[i].k) == (size_t)-1)
			htab_add(&c->sealed_table, key_hash(&c->sealed[i].k), i);
}

static void note_hit(cache *c, size_t worker, size_t i)
{
	slot *s = &c->slots[worker];
	s->hits = xgrow(s->hits, sizeof(size_t), s->n_hits + 1, &s->cap_hits);
	s->hits[s->n_hits++] = i;
}

int cache_has(cache *c, size_t worker, const cache_key *k)
{
	if (!c || worker >= c->n_slots)
		return 0;
	size_t i = find(c, k);
	if (i == (size_t)-1)
		return find_in(c->sealed, &c->sealed_table, k) != (size_t)-1;
	note_hit(c, worker, i);
	return 1;
}

/* The entry under k (loaded, else sealed), read into out; not -1, or -1 for a miss. */
static size_t lookup(cache *c, size_t worker, const cache_key *k, buf *out)
{
	if (!c || worker >= c->n_slots)
		return (size_t)-1;
	size_t i = find(c, k);
	const entry *e = i != (size_t)-1 ? &c->ents[i] : NULL;
	if (!e) {
		size_t j = find_in(c->sealed, &c->sealed_table, k);
		if (j == (size_t)-1)
			return j;
		e = &c->sealed[j];
	}
	size_t old = out->len;
	buf_grow(out, e->len);
	/* the file was checked whole when it was opened; a failed read now is only a miss */
	if (pread_all(e->fd, out->ptr + old, e->len, e->off) != 0) {
		buf_truncate(out, old);
		return (size_t)-1;
	}
	out->len = old + e->len;
	out->ptr[out->len] = '\0';
	if (i == (size_t)-1)
		return 0;       /* put by this build: kept by cache_save anyway */
	note_hit(c, worker, i);
	return i;
}

const char *cache_get(cache *c, size_t worker, const cache_key *k, size_t *len)
{
	buf b = BUF_INIT;
	if (lookup(c, worker, k, &b) == (size_t)-1)
		return NULL;
	slot *s = &c->slots[worker];
	s->copies = xgrow(s->copies, sizeof(char *), s->n_copies + 1, &s->cap_copies);
	*len = b.len;
	/* detach gives malloc'd memory even for an empty entry */
	return s->copies[s->n_copies++] = buf_detach(&b, NULL);
}

int cache_get_buf(cache *c, size_t worker, const cache_key *k, buf *out)
{
	return lookup(c, worker, k, out) != (size_t)-1;
}

/*
 * A scratch file for one worker's puts, unlinked at once so that nothing is
 * left behind whatever happens: in the cache folder when it exists, else in
 * the folder that holds it (and the output folder).
 */
static FILE *scratch_open(const cache *c)
{
	size_t n = strlen(c->dir);
	while (n > 1 && c->dir[n - 1] == '/')
		n--;
	size_t slash = n;
	while (slash > 0 && c->dir[slash - 1] != '/')
		slash--;
	char *tmpl[2] = {
		xasprintf("%.*s/parts.tmp-XXXXXX", (int)n, c->dir),
		slash ? xasprintf("%.*s/.avoin-cache.tmp-XXXXXX", (int)slash - 1, c->dir)
		      : xstrdup(".avoin-cache.tmp-XXXXXX"),
	};
	FILE *f = NULL;
	for (size_t i = 0; i < 2 && !f; i++) {
		int fd = mkstemp(tmpl[i]);
		if (fd < 0)
			continue;
		unlink(tmpl[i]);
		f = fdopen(fd, "w+b");
		if (!f)
			close(fd);
	}
	free(tmpl[0]);
	free(tmpl[1]);
	return f;
}

void cache_put(cache *c, size_t worker, const cache_key *k, const char *data, size_t len)
{
	if (!c || worker >= c->n_slots || len > ENTRY_MAX)
		return;
	slot *s = &c->slots[worker];
	if (!s->scratch && !s->scratch_failed) {
		s->scratch = scratch_open(c);
		s->scratch_failed = !s->scratch;
	}
	/* without a scratch file the entry is not kept: only the next build is slower */
	if (!s->scratch || fwrite(data, 1, len, s->scratch) != len)
		return;
	s->puts = xgrow(s->puts, sizeof(entry), s->n_puts + 1, &s->cap_puts);
	s->puts[s->n_puts++] = (entry){ *k, fileno(s->scratch), s->scratch_len, len };
	s->scratch_len += len;
}

size_t cache_loaded(const cache *c)
{
	return c ? c->n_ents : 0;
}

/* Sorted by key; among equal keys the first gathered wins, as the order of gathering is fixed. */
typedef struct ref {
	const entry *e;
	size_t order;
} ref;

static int cmp_ref(const void *a, const void *b)
{
	const ref *x = a, *y = b;
	int c = memcmp(x->e->k.b, y->e->k.b, sizeof(x->e->k.b));
	return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* Writing the new file through stdio's buffer, summing as it goes. */
typedef struct writer {
	FILE *f;
	sum s;
	int err;            /* errno of the first failure, 0 while all is well */
} writer;

static void wr_fail(writer *w)
{
	if (!w->err)
		w->err = errno ? errno : EIO;
}

static void wr_put(writer *w, const void *p, size_t n)
{
	sum_add(&w->s, p, n);
	if (fwrite(p, 1, n, w->f) != n)
		wr_fail(w);
}

static void write_entries(writer *w, const ref *all, size_t n)
{
	unsigned char head[ENTRY_HEAD], *chunk = xmalloc(CHUNK);
	le_put(head, n, 8);
	wr_put(w, MAGIC, MAGIC_LEN);
	wr_put(w, head, 8);
	for (size_t i = 0; i < n && !w->err; i++) {
		const entry *e = all[i].e;
		memcpy(head, e->k.b, sizeof(cache_key));
		le_put(head + sizeof(cache_key), e->len, 4);
		wr_put(w, head, ENTRY_HEAD);
		for (size_t done = 0; done < e->len && !w->err; done += CHUNK) {
			size_t take = e->len - done < CHUNK ? e->len - done : CHUNK;
			if (pread_all(e->fd, chunk, take, e->off + done) != 0)
				wr_fail(w);
			else
				wr_put(w, chunk, take);
		}
	}
	le_put(head, sum_end(&w->s), 8);
	if (fwrite(head, 1, 8, w->f) != 8)
		wr_fail(w);
	free(chunk);
}

int cache_save(cache *c, diag_list *d)
{
	if (!c)
		return 0;
	size_t n = 0;
	writer w = { NULL, { 0, { 0 }, 0 }, 0 };
	for (size_t i = 0; i < c->n_slots; i++) {
		n += c->slots[i].n_hits + c->slots[i].n_puts;
		/* the puts are read back with pread: stdio's buffer must be out first */
		if (c->slots[i].scratch && fflush(c->slots[i].scratch) != 0)
			wr_fail(&w);
	}
	ref *all = xcalloc(n ? n : 1, sizeof(ref));
	size_t k = 0;
	for (size_t i = 0; i < c->n_slots; i++) {
		const slot *s = &c->slots[i];
		for (size_t j = 0; j < s->n_hits; j++, k++)
			all[k] = (ref){ &c->ents[s->hits[j]], k };
		for (size_t j = 0; j < s->n_puts; j++, k++)
			all[k] = (ref){ &s->puts[j], k };
	}
	qsort(all, n, sizeof(ref), cmp_ref);
	size_t u = 0;
	uint64_t size = MAGIC_LEN + 8;
	for (size_t i = 0; i < n; i++) {
		if (u == 0 || memcmp(all[u - 1].e->k.b, all[i].e->k.b, sizeof(cache_key)) != 0) {
			all[u++] = all[i];
			size += ENTRY_HEAD + all[i].e->len;
		}
	}

	char *path = xasprintf("%s/parts", c->dir);
	atomic_file a = { NULL, NULL, NULL, NULL };
	if (!w.err && !(w.f = atomic_open(&a, path)))
		wr_fail(&w);
	if (w.f) {
		sum_init(&w.s, size);
		write_entries(&w, all, u);
	}
	errno = 0;
	if (w.f && atomic_commit(&a, !w.err, 0) != 0 && !w.err)
		w.err = errno ? errno : EIO;
	if (w.err)
		diag_warning(d, path, 0, "cannot write the cache: %s", strerror(w.err));
	free(all);
	free(path);
	return w.err ? -1 : 0;
}

void cache_free(cache *c)
{
	if (!c)
		return;
	for (size_t w = 0; w < c->n_slots; w++) {
		slot *s = &c->slots[w];
		for (size_t i = 0; i < s->n_copies; i++)
			free(s->copies[i]);
		free(s->copies);
		if (s->scratch)
			fclose(s->scratch);
		free(s->puts);
		free(s->hits);
	}
	if (c->fd >= 0)
		close(c->fd);
	free(c->slots);
	free(c->sealed);
	htab_free(&c->sealed_table);
	htab_free(&c->table);
	free(c->ents);
	free(c->dir);
	free(c);
	git_libgit2_shutdown();
}

/*
 * A digest of a value tree, without its whole JSON in memory at once (the
 * site model's is tens of megabytes): the top two levels and any long list or
 * map are the digest of their children's digests, anything else the digest
 * of its JSON.
 */
void cache_key_of_value(const value *v, int depth, cache_key *out)
{
	buf b = BUF_INIT;
	size_t n = !v ? 0 : v->kind == VAL_LIST ? v->u.list.n : v->kind == VAL_MAP ? v->u.map.n : 0;
	if (n && (depth < 2 || n > 256)) {
		buf_printf(&b, "%c %zu\n", v->kind == VAL_LIST ? 'L' : 'M', n);
		for (size_t i = 0; i < n; i++) {
			cache_key c;
			if (v->kind == VAL_MAP) {
				buf_puts(&b, v->u.map.keys[i]);
				buf_putc(&b, '\0');
			}
			cache_key_of_value(v->kind == VAL_LIST ? v->u.list.items[i] : v->u.map.vals[i], depth + 1,
				&c);
			buf_put(&b, (const char *)c.b, sizeof(c.b));
		}
	} else {
		buf_puts(&b, "J ");
		value_put_json(&b, v);
	}
	cache_key_of(&b, out);
	buf_release(&b);
}
