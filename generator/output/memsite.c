#include "memsite.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <zlib.h>

#include "buf.h"
#include "htab.h"
#include "util.h"
#include "banned.h"

struct memfile {
	atomic_size_t refs;
	size_t len;          /* of data */
	size_t raw_len;      /* of the file as written */
	uint64_t digest;     /* gzipped: fnv1a of the file as written, to tell most others apart */
	int gzipped;
	char data[];         /* len bytes and a NUL */
};

/* Files smaller than this stay as written: gzip would save little. */
#define COMPACT_MIN 256

/* One generation of the site: its entries in path order, found by path. */
typedef struct memtable {
	memsite_entry *e;
	size_t n;
	htab index;
} memtable;

struct memsite {
	pthread_mutex_t lock;   /* guards cur (and its files) for readers against the writer */
	memtable *cur;
	unsigned long generation;
	pthread_t compactor;
	int compacting;         /* the compactor runs */
	atomic_int stop;        /* it is asked to stop */
};

memfile *memfile_new(const char *data, size_t len)
{
	memfile *f = xmalloc(sizeof(*f) + len + 1);
	atomic_init(&f->refs, 1);
	f->len = f->raw_len = len;
	f->digest = 0;
	f->gzipped = 0;
	if (len)
		memcpy(f->data, data, len);
	f->data[len] = '\0';
	return f;
}

int memfile_gzipped(const memfile *f)
{
	return f->gzipped;
}

size_t memfile_raw_len(const memfile *f)
{
	return f->raw_len;
}

char *memfile_bytes(const memfile *f, size_t *len)
{
	char *out = xmalloc(f->raw_len + 1);
	*len = f->raw_len;
	out[f->raw_len] = '\0';
	if (!f->gzipped) {
		memcpy(out, f->data, f->raw_len);
		return out;
	}
	z_stream z;
	memset(&z, 0, sizeof(z));
	int ok = inflateInit2(&z, 15 + 16) == Z_OK;
	z.next_in = (Bytef *)f->data;
	z.avail_in = (uInt)f->len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)f->raw_len;
	ok = ok && inflate(&z, Z_FINISH) == Z_STREAM_END && z.total_out == f->raw_len;
	inflateEnd(&z);
	if (!ok) {
		free(out);
		return NULL;
	}
	return out;
}

int memfile_equals(const memfile *f, const char *data, size_t len)
{
	if (f->raw_len != len)
		return 0;
	if (!f->gzipped)
		return memcmp(f->data, data, len) == 0;
	if (f->digest != fnv1a(FNV1A_INIT, data, len))
		return 0;
	size_t n;
	char *raw = memfile_bytes(f, &n);
	int same = raw && memcmp(raw, data, len) == 0;
	free(raw);
	return same;
}

/* Input fed to deflate at a time, so that a stop waits for at most this much of it. */
#define GZIP_STEP (128u << 10)

/*
 * The gzip form of f (as written), or NULL when it would not be smaller or
 * *stop was set meanwhile (checked between steps: a large file does not hold
 * up the next build). z: a deflate stream made by the caller, reset here, so
 * that its tables are not made again for each of tens of thousands of files.
 */
static memfile *gzip_of(z_stream *z, const memfile *f, const atomic_int *stop)
{
	if (deflateReset(z) != Z_OK)
		return NULL;
	size_t cap = deflateBound(z, (uLong)f->len);
	memfile *g = xmalloc(sizeof(*g) + cap + 1);
	z->next_out = (Bytef *)g->data;
	z->avail_out = (uInt)cap;
	int rc = Z_OK;
	for (size_t at = 0; rc == Z_OK && !atomic_load(stop);) {
		size_t step = f->len - at < GZIP_STEP ? f->len - at : GZIP_STEP;
		z->next_in = (Bytef *)f->data + at;
		z->avail_in = (uInt)step;
		at += step;
		rc = deflate(z, at == f->len ? Z_FINISH : Z_NO_FLUSH);
	}
	size_t len = z->total_out;
	if (rc != Z_STREAM_END || len >= f->len) {
		free(g);
		return NULL;
	}
	memfile *small = xrealloc(g, sizeof(*g) + len + 1);
	atomic_init(&small->refs, 1);
	small->len = len;
	small->raw_len = f->raw_len;
	small->digest = fnv1a(FNV1A_INIT, f->data, f->len);
	small->gzipped = 1;
	small->data[len] = '\0';
	return small;
}

memfile *memfile_ref(memfile *f)
{
	if (f)
		atomic_fetch_add(&f->refs, 1);
	return f;
}

void memfile_release(memfile *f)
{
	if (f && atomic_fetch_sub(&f->refs, 1) == 1)
		free(f);
}

const char *memfile_data(const memfile *f)
{
	return f->data;
}

size_t memfile_len(const memfile *f)
{
	return f->len;
}

static void table_free(memtable *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->e[i].path);
		free(t->e[i].key);
		memfile_release(t->e[i].file);
	}
	free(t->e);
	htab_free(&t->index);
	free(t);
}

static const memsite_entry *table_find(const memtable *t, const char *path)
{
	if (!t)
		return NULL;
	uint64_t h = fnv1a(FNV1A_INIT, path, strlen(path));
	htab_iter it;
	for (size_t p = htab_first(&t->index, h, &it); p != HTAB_NONE;
	     p = htab_next(&t->index, h, &it))
		if (strcmp(t->e[p].path, path) == 0)
			return &t->e[p];
	return NULL;
}

memsite *memsite_new(void)
{
	memsite *ms = xcalloc(1, sizeof(*ms));
	pthread_mutex_init(&ms->lock, NULL);
	return ms;
}

void memsite_free(memsite *ms)
{
	if (!ms)
		return;
	memsite_compact_stop(ms);
	table_free(ms->cur);
	pthread_mutex_destroy(&ms->lock);
	free(ms);
}

memfile *memsite_get(memsite *ms, const char *path)
{
	pthread_mutex_lock(&ms->lock);
	const memsite_entry *e = table_find(ms->cur, path);
	memfile *f = e ? memfile_ref(e->file) : NULL;
	pthread_mutex_unlock(&ms->lock);
	return f;
}

size_t memsite_count(memsite *ms)
{
	pthread_mutex_lock(&ms->lock);
	size_t n = ms->cur ? ms->cur->n : 0;
	pthread_mutex_unlock(&ms->lock);
	return n;
}

unsigned long memsite_generation(memsite *ms)
{
	pthread_mutex_lock(&ms->lock);
	unsigned long g = ms->generation;
	pthread_mutex_unlock(&ms->lock);
	return g;
}

char *memsite_listing(memsite *ms, size_t *len)
{
	buf b = BUF_INIT;
	pthread_mutex_lock(&ms->lock);
	for (size_t i = 0; ms->cur && i < ms->cur->n; i++)
		buf_printf(&b, "%s %zu\n", ms->cur->e[i].path, ms->cur->e[i].file->raw_len);
	pthread_mutex_unlock(&ms->lock);
	return buf_detach(&b, len);
}

memfile *memsite_peek(const memsite *ms, const char *path, const char **key)
{
	/* the writer's own thread: cur changes only in memsite_replace, on that thread */
	const memsite_entry *e = table_find(ms->cur, path);
	if (key)
		*key = e ? e->key : NULL;
	return e ? e->file : NULL;
}

void memsite_replace(memsite *ms, memsite_entry *entries, size_t n)
{
	memsite_compact_stop(ms);
	memtable *t = xcalloc(1, sizeof(*t));
	t->e = entries;
	t->n = n;
	htab_reserve(&t->index, n ? n : 1);
	for (size_t i = 0; i < n; i++)
		htab_add(&t->index, fnv1a(FNV1A_INIT, entries[i].path, strlen(entries[i].path)), i);
	pthread_mutex_lock(&ms->lock);
	memtable *old = ms->cur;
	ms->cur = t;
	ms->generation++;
	pthread_mutex_unlock(&ms->lock);
	table_free(old);
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const memsite_entry *)a)->path, ((const memsite_entry *)b)->path);
}

static int under_any(const char *path, char *const *prefixes, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (str_has_prefix(path, prefixes[k]))
			return 1;
	return 0;
}

/* Rebuilds t's index from its entries. */
static void table_index(memtable *t)
{
	htab_clear(&t->index);
	htab_reserve(&t->index, t->n ? t->n : 1);
	for (size_t i = 0; i < t->n; i++)
		htab_add(&t->index, fnv1a(FNV1A_INIT, t->e[i].path, strlen(t->e[i].path)), i);
}

/*
 * The current table with the sorted new entries merged in (the current
 * site's entries in keep order, those not kept released): the entries of
 * the next generation, n of them.
 */
static memsite_entry *merge_entries(const memtable *t, const unsigned char *keep,
	memsite_entry *add, size_t n_add, size_t *n)
{
	memsite_entry *e = xcalloc(t->n + n_add + 1, sizeof(*e));
	size_t i = 0, j = 0, k = 0;
	while (i < t->n || j < n_add) {
		if (i < t->n && !keep[i]) {
			i++;
			continue;
		}
		if (j == n_add || (i < t->n && strcmp(t->e[i].path, add[j].path) < 0))
			e[k++] = t->e[i++];
		else
			e[k++] = add[j++];
	}
	*n = k;
	return e;
}

void memsite_patch(memsite *ms, memsite_entry *entries, size_t n, char *const *drop,
	size_t n_drop)
{
	memsite_compact_stop(ms);
	memtable *t = ms->cur;
	if (!t) {
		qsort(entries, n, sizeof(*entries), cmp_entry);
		memsite_replace(ms, entries, n);
		return;
	}
	unsigned char *named = xcalloc(t->n + 1, 1), *keep = xcalloc(t->n + 1, 1);
	memfile **gone = xcalloc(n + t->n + 1, sizeof(memfile *));
	size_t n_gone = 0, n_add = 0, n_removed = 0;
	pthread_mutex_lock(&ms->lock);
	for (size_t i = 0; i < n; i++) {
		memsite_entry *have = (memsite_entry *)table_find(t, entries[i].path);
		if (!have) {
			entries[n_add++] = entries[i];
			continue;
		}
		named[have - t->e] = 1;
		gone[n_gone++] = have->file;
		have->file = entries[i].file;
		free(have->key);
		have->key = entries[i].key;
		free(entries[i].path);
	}
	for (size_t p = 0; p < t->n; p++) {
		keep[p] = named[p] || !under_any(t->e[p].path, drop, n_drop);
		n_removed += !keep[p];
	}
	if (n_add || n_removed) {
		qsort(entries, n_add, sizeof(*entries), cmp_entry);
		for (size_t p = 0; p < t->n; p++)
			if (!keep[p]) {
				gone[n_gone++] = t->e[p].file;
				free(t->e[p].path);
				free(t->e[p].key);
			}
		size_t total;
		memsite_entry *e = merge_entries(t, keep, entries, n_add, &total);
		free(t->e);
		t->e = e;
		t->n = total;
		table_index(t);
	}
	ms->generation++;
	pthread_mutex_unlock(&ms->lock);
	for (size_t i = 0; i < n_gone; i++)
		memfile_release(gone[i]);
	free(gone);
	free(named);
	free(keep);
	free(entries);
}

/*
 * jemalloc (the generator's allocator: see the Makefile) gives freed pages
 * back to the system only as it allocates again, so a server that gzipped
 * its site and then waits for the next edit kept the pages of every file it
 * had gzipped: 710 MB instead of 500 MB on the benchmark corpus. The
 * compactor asks it to purge every arena (MALLCTL_ARENAS_ALL) when it is
 * done. Without jemalloc (the sanitizer builds) mallctl is not there.
 */
extern int mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen)
	__attribute__((weak));

static void give_back_pages(void)
{
	if (mallctl) {
		mallctl("thread.tcache.flush", NULL, NULL, NULL, 0);
		mallctl("arena.4096.purge", NULL, NULL, NULL, 0);
	}
}

/* A compactor waits this long for the next change before it starts: edits come in bursts. */
#define COMPACT_DELAY_MS 300

/* The compactor: each file as written, gzipped and put in its place under the lock. */
static void *compact(void *arg)
{
	memsite *ms = arg;
	memtable *t = ms->cur;   /* the writer replaces it only after memsite_compact_stop() */
	/* it yields to the builds and to the server's threads (Linux: a thread's own priority) */
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
	for (int waited = 0; waited < COMPACT_DELAY_MS && !atomic_load(&ms->stop); waited += 10)
		nanosleep(&(struct timespec){ 0, 10 * 1000000L }, NULL);
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	for (size_t i = 0; t && i < t->n && !atomic_load(&ms->stop); i++) {
		memfile *f = t->e[i].file;
		if (f->gzipped || f->len < COMPACT_MIN)
			continue;
		memfile *g = gzip_of(&z, f, &ms->stop);
		if (!g)
			continue;
		pthread_mutex_lock(&ms->lock);
		t->e[i].file = g;
		pthread_mutex_unlock(&ms->lock);
		memfile_release(f);
	}
	deflateEnd(&z);
	if (!atomic_load(&ms->stop))
		give_back_pages();
	return NULL;
}

void memsite_compact(memsite *ms)
{
	memsite_compact_stop(ms);
	atomic_store(&ms->stop, 0);
	ms->compacting = pthread_create(&ms->compactor, NULL, compact, ms) == 0;
}

void memsite_compact_stop(memsite *ms)
{
	if (!ms->compacting)
		return;
	atomic_store(&ms->stop, 1);
	pthread_join(ms->compactor, NULL);
	ms->compacting = 0;
}
