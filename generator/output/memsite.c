#include "memsite.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "buf.h"
#include "htab.h"
#include "pack.h"
#include "util.h"
#include "banned.h"

struct memfile {
	atomic_size_t refs;
	size_t len;          /* of data */
	size_t raw_len;      /* of the file as written */
	int packed;          /* data is the file packed (pack.h) */
	pack_dict *dict;     /* packed: with this dictionary (a reference) */
	char data[];         /* len bytes and a NUL */
};

/* Files smaller than this stay as written: packing would save little. */
#define COMPACT_MIN 256

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
	/*
	 * What files are packed with: the dictionary trained from the site, once
	 * there is one, else none (plain). A build's writer sets it once; only
	 * the compactor replaces it, between builds, so a writer that loaded it
	 * needs no reference.
	 */
	pack_dict *_Atomic trained;
	pack_dict *plain;
	atomic_int dict_tried;  /* the first files' samples trained it (or could not) */
	int dict_final;         /* the whole site trained it (train_from_site) */
	pack_samples *samples;  /* pieces of the first files written, to train it from */
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

char *memfile_bytes(const memfile *f, size_t *len)
{
	char *out = xmalloc(f->raw_len + 1);
	*len = f->raw_len;
	out[f->raw_len] = '\0';
	if (!f->packed) {
		memcpy(out, f->data, f->raw_len);
		return out;
	}
	if (unpack(f->dict, f->data, f->len, out, f->raw_len) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

int memfile_equals(const memfile *f, const char *data, size_t len)
{
	if (f->raw_len != len)
		return 0;
	return f->packed ? pack_equals(f->dict, f->data, f->len, data, len) :
		memcmp(f->data, data, len) == 0;
}

/* data (len bytes) packed with d, or NULL when that would not be smaller or *stop was set. */
static memfile *packed_file(pack_dict *d, const char *data, size_t len, const atomic_int *stop)
{
	size_t cap = pack_bound(len);
	memfile *g = xmalloc(sizeof(*g) + cap + 1);
	size_t n = pack(d, data, len, g->data, cap, stop);
	if (!n) {
		free(g);
		return NULL;
	}
	memfile *small = xrealloc(g, sizeof(*g) + n + 1);
	atomic_init(&small->refs, 1);
	small->len = n;
	small->raw_len = len;
	small->packed = 1;
	small->dict = pack_dict_ref(d);
	small->data[n] = '\0';
	return small;
}

/* The dictionary files are packed with now. */
static pack_dict *current_dict(memsite *ms)
{
	pack_dict *d = atomic_load(&ms->trained);
	return d ? d : ms->plain;
}

/* Trains the dictionary from the samples, once (the thread whose piece filled them). */
static void train_from_samples(memsite *ms)
{
	pack_dict *d = pack_train(ms->samples);
	atomic_store(&ms->trained, d);
	atomic_store(&ms->dict_tried, 1);
	pack_samples_drop(ms->samples);
}

memfile *memsite_file_new(memsite *ms, const char *data, size_t len)
{
	if (len < COMPACT_MIN)
		return memfile_new(data, len);
	pack_dict *d = atomic_load(&ms->trained);
	memfile *f = d ? packed_file(d, data, len, NULL) : NULL;
	if (f)
		return f;
	if (!d && !atomic_load(&ms->dict_tried) && pack_samples_add(ms->samples, data, len))
		train_from_samples(ms);
	return memfile_new(data, len);
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
		pack_dict_release(f->dict);
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
	ms->plain = pack_dict_new(NULL, 0);
	atomic_init(&ms->trained, NULL);
	ms->samples = pack_samples_new(PACK_SPAN);
	return ms;
}

void memsite_free(memsite *ms)
{
	if (!ms)
		return;
	memsite_compact_stop(ms);
	table_free(ms->cur);
	pack_dict_release(atomic_load(&ms->trained));
	pack_dict_release(ms->plain);
	pack_samples_free(ms->samples);
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

int memsite_trained(memsite *ms)
{
	return pack_dict_trained(atomic_load(&ms->trained));
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

/*
 * The dictionary the site is kept packed with, trained once it has a
 * megabyte to pack, from pieces of files spread over all of it (those
 * packed already are unpacked for it). The one the first build trained
 * from its first files packed them as they were written; this one, from
 * the whole site, packs it a third smaller again (on the benchmark corpus
 * 106 MB instead of 185), and the compactor packs every file with it.
 * Only the compactor calls it, between builds: no writer holds the
 * dictionary it replaces (each file holds its own reference).
 */
static void train_from_site(memsite *ms, const memtable *t)
{
	size_t total = 0;
	for (size_t i = 0; i < t->n; i++)
		if (t->e[i].file->raw_len >= COMPACT_MIN)
			total += t->e[i].file->raw_len;
	if (total < (1u << 20))
		return;
	pack_samples *s = pack_samples_new(SIZE_MAX);
	size_t every = total / PACK_SAMPLES + 1, seen = 0;
	for (size_t i = 0; i < t->n && !atomic_load(&ms->stop); i++) {
		const memfile *f = t->e[i].file;
		if (f->raw_len < COMPACT_MIN || seen++ % every != 0)
			continue;
		size_t len;
		char *raw = f->packed ? memfile_bytes(f, &len) : NULL;
		if (raw || !f->packed)
			pack_samples_add(s, raw ? raw : f->data, raw ? len : f->len);
		free(raw);
	}
	pack_dict *d = atomic_load(&ms->stop) ? NULL : pack_train(s);
	pack_samples_free(s);
	if (!d)
		return;
	pack_dict_release(atomic_load(&ms->trained));
	atomic_store(&ms->trained, d);
	atomic_store(&ms->dict_tried, 1);
	ms->dict_final = 1;
	pack_samples_drop(ms->samples);
}

/* f packed with d: from its bytes as written, or unpacked from another dictionary's. */
static memfile *repacked(pack_dict *d, const memfile *f, const atomic_int *stop)
{
	if (!f->packed)
		return packed_file(d, f->data, f->len, stop);
	size_t len;
	char *raw = memfile_bytes(f, &len);
	memfile *g = raw ? packed_file(d, raw, len, stop) : NULL;
	free(raw);
	return g;
}

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
	if (!ms->dict_final)
		train_from_site(ms, t);
	pack_dict *d = current_dict(ms);
	size_t freed = 0;
	for (size_t i = 0; i < t->n && !atomic_load(&ms->stop); i++) {
		memfile *f = t->e[i].file;
		if (f->raw_len < COMPACT_MIN || (f->packed && f->dict == d))
			continue;
		memfile *g = repacked(d, f, &ms->stop);
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
