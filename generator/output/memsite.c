#include "memsite.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "htab.h"
#include "util.h"
#include "banned.h"

struct memfile {
	atomic_size_t refs;
	size_t len;
	char data[];        /* len bytes and a NUL */
};

/* One generation of the site: its entries in path order, found by path. */
typedef struct memtable {
	memsite_entry *e;
	size_t n;
	htab index;
} memtable;

struct memsite {
	pthread_mutex_t lock;   /* guards cur for readers against memsite_replace */
	memtable *cur;
	unsigned long generation;
};

memfile *memfile_new(const char *data, size_t len)
{
	memfile *f = xmalloc(sizeof(*f) + len + 1);
	atomic_init(&f->refs, 1);
	f->len = len;
	if (len)
		memcpy(f->data, data, len);
	f->data[len] = '\0';
	return f;
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
		buf_printf(&b, "%s %zu\n", ms->cur->e[i].path, ms->cur->e[i].file->len);
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
