#include "memsite.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <zdict.h>
#include <zstd.h>

#include "buf.h"
#include "htab.h"
#include "util.h"
#include "banned.h"

/*
 * The dictionary the compactor trained from the site (zstd): the markup every
 * page shares is in it, so a page packed with it holds little more than its
 * own text. Each file packed with it holds a reference, so it outlives the
 * site as long as a file is being sent.
 */
typedef struct memdict {
	atomic_size_t refs;
	ZSTD_CDict *cdict;       /* NULL: files are packed without a dictionary */
	ZSTD_DDict *ddict;
	pthread_mutex_t lock;    /* guards the idle contexts */
	ZSTD_DCtx *idle[4];      /* for unpacking: made once, not for each file */
	size_t n_idle;
} memdict;

struct memfile {
	atomic_size_t refs;
	size_t len;          /* of data */
	size_t raw_len;      /* of the file as written */
	int packed;          /* data is a zstd frame of the file */
	memdict *dict;       /* packed: with this dictionary (a reference) */
	char data[];         /* len bytes and a NUL */
};

/* Files smaller than this stay as written: packing would save little. */
#define COMPACT_MIN 256
/* zstd's level for packing: its default, 300 MB/s here with the dictionary */
#define PACK_LEVEL 3

/* One generation of the site: its entries in path order, found by path. */
typedef struct memtable {
	memsite_entry *e;
	size_t n;
	htab index;
	size_t held, packed;    /* the bytes its files hold, and how many are packed */
} memtable;

/* Counts f in t's totals (sign 1) or takes it out (-1). */
static void table_count(memtable *t, const memfile *f, int sign)
{
	if (sign > 0) {
		t->held += f->len;
		t->packed += (size_t)f->packed;
	} else {
		t->held -= f->len;
		t->packed -= (size_t)f->packed;
	}
}

struct memsite {
	pthread_mutex_t lock;   /* guards cur (and its files) for readers against the writer */
	memtable *cur;
	unsigned long generation;
	pthread_t compactor;
	int compacting;         /* the compactor runs */
	atomic_int stop;        /* it is asked to stop */
	memdict *dict;          /* what the compactor packs with (trained, when the site was large
	                         * enough the first time it was tried) */
	int dict_tried;
};

memfile *memfile_new(const char *data, size_t len)
{
	memfile *f = xmalloc(sizeof(*f) + len + 1);
	atomic_init(&f->refs, 1);
	f->len = f->raw_len = len;
	f->packed = 0;
	f->dict = NULL;
	if (len)
		memcpy(f->data, data, len);
	f->data[len] = '\0';
	return f;
}

int memfile_packed(const memfile *f)
{
	return f->packed;
}

size_t memfile_raw_len(const memfile *f)
{
	return f->raw_len;
}

static memdict *memdict_ref(memdict *d)
{
	if (d)
		atomic_fetch_add(&d->refs, 1);
	return d;
}

static void memdict_release(memdict *d)
{
	if (!d || atomic_fetch_sub(&d->refs, 1) != 1)
		return;
	ZSTD_freeCDict(d->cdict);
	ZSTD_freeDDict(d->ddict);
	for (size_t i = 0; i < d->n_idle; i++)
		ZSTD_freeDCtx(d->idle[i]);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

/* A dictionary of len bytes (none when len is 0), with one reference; NULL when zstd fails. */
static memdict *memdict_new(const void *bytes, size_t len)
{
	memdict *d = xcalloc(1, sizeof(*d));
	atomic_init(&d->refs, 1);
	pthread_mutex_init(&d->lock, NULL);
	if (len) {
		d->cdict = ZSTD_createCDict(bytes, len, PACK_LEVEL);
		d->ddict = ZSTD_createDDict(bytes, len);
		if (!d->cdict || !d->ddict) {
			memdict_release(d);
			return NULL;
		}
	}
	return d;
}

/*
 * A context for unpacking files packed with d: an idle one, or a new one.
 * (Making one for each file allocated 100 KB each time: comparing a build's
 * 65,000 files with the site's took seconds in page faults.)
 */
static ZSTD_DCtx *dctx_take(memdict *d)
{
	ZSTD_DCtx *z = NULL;
	pthread_mutex_lock(&d->lock);
	if (d->n_idle)
		z = d->idle[--d->n_idle];
	pthread_mutex_unlock(&d->lock);
	if (z)
		return z;
	z = ZSTD_createDCtx();
	if (z && d->ddict && ZSTD_isError(ZSTD_DCtx_refDDict(z, d->ddict))) {
		ZSTD_freeDCtx(z);
		z = NULL;
	}
	return z;
}

static void dctx_give(memdict *d, ZSTD_DCtx *z)
{
	ZSTD_DCtx_reset(z, ZSTD_reset_session_only);
	pthread_mutex_lock(&d->lock);
	if (d->n_idle < sizeof d->idle / sizeof *d->idle) {
		d->idle[d->n_idle++] = z;
		z = NULL;
	}
	pthread_mutex_unlock(&d->lock);
	ZSTD_freeDCtx(z);
}

char *memfile_bytes(const memfile *f, size_t *len)
{
	char *out = xmalloc(f->raw_len + 1);
	*len = f->raw_len;
	out[f->raw_len] = '\0';
	if (!f->packed) {
		memcpy(out, f->data, f->raw_len);
		return out;
	}
	ZSTD_DCtx *z = dctx_take(f->dict);
	size_t n = z ? ZSTD_decompressDCtx(z, out, f->raw_len, f->data, f->len) : 0;
	if (z)
		dctx_give(f->dict, z);
	if (!z || ZSTD_isError(n) || n != f->raw_len) {
		free(out);
		return NULL;
	}
	return out;
}

/* 1 when packed f unpacks to data (len bytes), compared a window at a time as it unpacks. */
static int packed_equals(const memfile *f, const char *data, size_t len)
{
	ZSTD_DCtx *z = dctx_take(f->dict);
	if (!z)
		return 0;
	char window[16384];
	ZSTD_inBuffer in = { f->data, f->len, 0 };
	size_t at = 0, left = 1;
	int same = 1;
	while (same && left != 0) {
		ZSTD_outBuffer out = { window, sizeof window, 0 };
		left = ZSTD_decompressStream(z, &out, &in);
		same = !ZSTD_isError(left) && out.pos <= len - at &&
			memcmp(window, data + at, out.pos) == 0 && (out.pos > 0 || left == 0 ||
			in.pos < in.size);
		at += out.pos;
	}
	dctx_give(f->dict, z);
	return same && at == len;
}

int memfile_equals(const memfile *f, const char *data, size_t len)
{
	if (f->raw_len != len)
		return 0;
	return f->packed ? packed_equals(f, data, len) : memcmp(f->data, data, len) == 0;
}

/* Input fed to zstd at a time, so that a stop waits for at most this much of it. */
#define PACK_STEP (128u << 10)

/* Feeds all of in to z (mode: continue, or end the frame); 0, or -1 on an error or no room. */
static int pack_step(ZSTD_CCtx *z, ZSTD_outBuffer *out, ZSTD_inBuffer *in,
	ZSTD_EndDirective mode)
{
	for (;;) {
		size_t left = ZSTD_compressStream2(z, out, in, mode);
		if (ZSTD_isError(left))
			return -1;
		int done = mode == ZSTD_e_end ? left == 0 : in->pos == in->size;
		if (done)
			return 0;
		if (out->pos == out->size)
			return -1;
	}
}

/*
 * f (as written) packed with dict, or NULL when it would not be
 * smaller or *stop was set meanwhile (checked between steps: a large file
 * does not hold up the next build). z: a context made by the caller and
 * reset here, so that its tables are not made again for each of tens of
 * thousands of files.
 */
static memfile *pack_of(ZSTD_CCtx *z, memdict *dict, const memfile *f, const atomic_int *stop)
{
	ZSTD_CCtx_reset(z, ZSTD_reset_session_only);
	if (ZSTD_isError(ZSTD_CCtx_refCDict(z, dict->cdict)) ||
	    ZSTD_isError(ZSTD_CCtx_setPledgedSrcSize(z, f->len)))
		return NULL;
	size_t cap = ZSTD_compressBound(f->len);
	memfile *g = xmalloc(sizeof(*g) + cap + 1);
	ZSTD_outBuffer out = { g->data, cap, 0 };
	int rc = 0;
	for (size_t at = 0; rc == 0 && at < f->len && !atomic_load(stop);) {
		size_t step = f->len - at < PACK_STEP ? f->len - at : PACK_STEP;
		ZSTD_inBuffer in = { f->data + at, step, 0 };
		at += step;
		rc = pack_step(z, &out, &in, at == f->len ? ZSTD_e_end : ZSTD_e_continue);
		if (rc == 0 && at == f->len)
			rc = 1;
	}
	if (rc != 1 || out.pos >= f->len) {
		free(g);
		return NULL;
	}
	size_t len = out.pos;
	memfile *small = xrealloc(g, sizeof(*g) + len + 1);
	atomic_init(&small->refs, 1);
	small->len = len;
	small->raw_len = f->raw_len;
	small->packed = 1;
	small->dict = memdict_ref(dict);
	small->data[len] = '\0';
	return small;
}

/* What the dictionary is trained from: pieces of files spread over the site. */
#define DICT_SIZE (112u << 10)
#define DICT_SAMPLES (4u << 20)
#define DICT_PIECE (32u << 10)

/*
 * A dictionary trained from pieces of t's files as written (zstd's trainer:
 * 0.2 s for 4 MB here), or NULL when the site is too small to give one (the
 * files are then packed without).
 */
static memdict *train_dict(const memtable *t, int *tried)
{
	size_t total = 0;
	for (size_t i = 0; i < t->n; i++)
		if (!t->e[i].file->packed && t->e[i].file->len >= COMPACT_MIN)
			total += t->e[i].file->len;
	if (total < 8 * DICT_SIZE)
		return NULL;
	*tried = 1;
	size_t every = total / DICT_SAMPLES + 1, seen = 0, at = 0, n = 0;
	char *samples = xmalloc(DICT_SAMPLES + DICT_PIECE);
	size_t *sizes = xcalloc(t->n + 1, sizeof(*sizes));
	for (size_t i = 0; i < t->n && at < DICT_SAMPLES; i++) {
		const memfile *f = t->e[i].file;
		if (f->packed || f->len < COMPACT_MIN || seen++ % every != 0)
			continue;
		size_t k = f->len < DICT_PIECE ? f->len : DICT_PIECE;
		memcpy(samples + at, f->data, k);
		at += k;
		sizes[n++] = k;
	}
	char *bytes = xmalloc(DICT_SIZE);
	size_t len = ZDICT_trainFromBuffer(bytes, DICT_SIZE, samples, sizes, (unsigned)n);
	memdict *d = ZDICT_isError(len) ? NULL : memdict_new(bytes, len);
	free(bytes);
	free(sizes);
	free(samples);
	return d;
}

memfile *memfile_ref(memfile *f)
{
	if (f)
		atomic_fetch_add(&f->refs, 1);
	return f;
}

void memfile_release(memfile *f)
{
	if (f && atomic_fetch_sub(&f->refs, 1) == 1) {
		memdict_release(f->dict);
		free(f);
	}
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
	memdict_release(ms->dict);
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

size_t memsite_held(memsite *ms, size_t *packed)
{
	pthread_mutex_lock(&ms->lock);
	size_t held = ms->cur ? ms->cur->held : 0;
	*packed = ms->cur ? ms->cur->packed : 0;
	pthread_mutex_unlock(&ms->lock);
	return held;
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
	for (size_t i = 0; i < n; i++) {
		htab_add(&t->index, fnv1a(FNV1A_INIT, entries[i].path, strlen(entries[i].path)), i);
		table_count(t, entries[i].file, 1);
	}
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
		table_count(t, have->file, -1);
		table_count(t, entries[i].file, 1);
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
		for (size_t j = 0; j < n_add; j++)
			table_count(t, entries[j].file, 1);
		for (size_t p = 0; p < t->n; p++)
			if (!keep[p]) {
				table_count(t, t->e[p].file, -1);
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
 * back to the system only as it allocates again, so a server that packed
 * its site and then waits for the next edit kept the pages of every file it
 * had packed: 710 MB instead of 500 MB on the benchmark corpus. The
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

/*
 * The compactor gives freed pages back each time it has freed this much:
 * jemalloc left them to be purged by whichever thread allocated next, and a
 * patch that began while the first compaction went on paid for it (madvise
 * of tens of megabytes, each page's mapping flushed on both cores).
 */
#define GIVE_BACK_EVERY (32u << 20)

/* A compactor waits this long for the next change before it starts: edits come in bursts. */
#define COMPACT_DELAY_MS 300

/* The compactor: each file as written, packed and put in its place under the lock. */
static void *compact(void *arg)
{
	memsite *ms = arg;
	memtable *t = ms->cur;   /* the writer replaces it only after memsite_compact_stop() */
	/* it yields to the builds and to the server's threads (Linux: a thread's own priority) */
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
	for (int waited = 0; waited < COMPACT_DELAY_MS && !atomic_load(&ms->stop); waited += 10)
		nanosleep(&(struct timespec){ 0, 10 * 1000000L }, NULL);
	if (!t || atomic_load(&ms->stop))
		return NULL;
	if (!ms->dict_tried) {
		memdict *d = train_dict(t, &ms->dict_tried);
		if (d) {
			memdict_release(ms->dict);
			ms->dict = d;
		}
	}
	if (!ms->dict && !(ms->dict = memdict_new(NULL, 0)))
		return NULL;
	ZSTD_CCtx *z = ZSTD_createCCtx();
	if (!z || ZSTD_isError(ZSTD_CCtx_setParameter(z, ZSTD_c_compressionLevel, PACK_LEVEL))) {
		ZSTD_freeCCtx(z);
		return NULL;
	}
	size_t freed = 0;
	for (size_t i = 0; i < t->n && !atomic_load(&ms->stop); i++) {
		memfile *f = t->e[i].file;
		if (f->packed || f->len < COMPACT_MIN)
			continue;
		memfile *g = pack_of(z, ms->dict, f, &ms->stop);
		if (!g)
			continue;
		pthread_mutex_lock(&ms->lock);
		t->e[i].file = g;
		table_count(t, f, -1);
		table_count(t, g, 1);
		pthread_mutex_unlock(&ms->lock);
		freed += f->len;
		memfile_release(f);
		if (freed >= GIVE_BACK_EVERY) {
			give_back_pages();
			freed = 0;
		}
	}
	ZSTD_freeCCtx(z);
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
