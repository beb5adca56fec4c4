#include "blockmemo.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "value.h"
#include "banned.h"

/*
 * The results' bytes go to an unlinked scratch file, not the heap: a build of
 * 10,000 records with 12,000 distinct charts would hold 100 MB of HTML until
 * it ends. Memory keeps where each one is ("offset length"); without a scratch
 * file (none can be made) the bytes themselves. Writes are gathered in
 * pending and go to the file a megabyte at a time, not a system call per result.
 */
struct blockmemo {
	char *code_id;
	cache *pc;
	pthread_mutex_t lock;
	value *variants;     /* first key (hex) -> list of name lists */
	value *results;      /* second key (hex) -> "offset length" in the scratch file, or HTML */
	FILE *scratch;       /* NULL: results hold the HTML */
	uint64_t scratch_len;   /* bytes in the file and in pending */
	buf pending;         /* the last bytes, not in the file yet: from scratch_len - pending.len */
	atomic_size_t ran, memo, cached;
};

#define PENDING_MAX ((size_t)1 << 20)

/* Keeps html for hex (under the lock). */
static void store(blockmemo *m, const char *hex, const char *html, size_t len)
{
	if (value_map_get(m->results, hex))
		return;
	if (m->scratch && m->pending.len + len > PENDING_MAX && m->pending.len) {
		uint64_t at = m->scratch_len - m->pending.len;
		if (pwrite(fileno(m->scratch), m->pending.ptr, m->pending.len, (off_t)at) !=
			(ssize_t)m->pending.len) {
			fclose(m->scratch);     /* the results kept there are lost: they run again */
			m->scratch = NULL;
			value_free(m->results);
			m->results = value_map(0);
		}
		buf_reset(&m->pending);
	}
	if (m->scratch) {
		buf_put(&m->pending, html, len);
		char where[48];
		snprintf(where, sizeof where, "%llu %zu", (unsigned long long)m->scratch_len, len);
		m->scratch_len += len;
		value_map_set(m->results, hex, value_string(where, 0));
		return;
	}
	value_map_set(m->results, hex, value_stringn(html, len, 0));
}

/* Appends the result kept for hex to out (the lock is held; the file read needs none). */
static int fetch(blockmemo *m, const value *v, buf *out)
{
	if (!m->scratch) {
		buf_put(out, v->u.str.ptr, v->u.str.len);
		return 1;
	}
	unsigned long long off = 0;
	size_t len = 0;
	if (sscanf(v->u.str.ptr, "%llu %zu", &off, &len) != 2)
		return 0;
	size_t old = out->len;
	uint64_t in_file = m->scratch_len - m->pending.len;
	if (off >= in_file) {
		if (off - in_file + len > m->pending.len)
			return 0;
		buf_put(out, m->pending.ptr + (off - in_file), len);
		return 1;
	}
	buf_grow(out, len);
	if (pread_all(fileno(m->scratch), out->ptr + old, len, off) != 0)
		return 0;
	out->len = old + len;
	out->ptr[out->len] = '\0';
	return 1;
}

blockmemo *blockmemo_new(const char *code_id, cache *pc)
{
	blockmemo *m = xcalloc(1, sizeof *m);
	m->code_id = xstrdup(code_id ? code_id : "");
	m->pc = pc;
	pthread_mutex_init(&m->lock, NULL);
	m->variants = value_map(0);
	m->results = value_map(0);
	m->scratch = tmpfile();
	buf_init(&m->pending);
	return m;
}

void blockmemo_free(blockmemo *m)
{
	if (!m)
		return;
	value_free(m->variants);
	value_free(m->results);
	if (m->scratch)
		fclose(m->scratch);
	buf_release(&m->pending);
	pthread_mutex_destroy(&m->lock);
	free(m->code_id);
	free(m);
}

void blockmemo_first_key(const blockmemo *m, const char *hook, const char *attrs_json,
	const char *text, cache_key *out)
{
	buf b = BUF_INIT;
	cache_key_add(&b, "block 1");
	cache_key_add(&b, m->code_id);
	cache_key_add(&b, hook);
	cache_key_add(&b, attrs_json);
	cache_key_add(&b, text);
	cache_key_of(&b, out);
	buf_release(&b);
}

/* A key made of a tag, key k and up to two more fields (NULL: none). */
static void derived_key(const char *tag, const cache_key *k, const char *a, const char *b,
	cache_key *out)
{
	char hex[41];
	buf kb = BUF_INIT;
	cache_key_hex(k, hex);
	cache_key_add(&kb, tag);
	cache_key_add(&kb, hex);
	if (a)
		cache_key_add(&kb, a);
	if (b)
		cache_key_add(&kb, b);
	cache_key_of(&kb, out);
	buf_release(&kb);
}

void blockmemo_second_key(const cache_key *k, const char *names, const char *values,
	cache_key *out)
{
	derived_key("block 2", k, names, values, out);
}

/* Where the parts cache keeps the first name list of a first key. */
static void variant_key(const cache_key *k, cache_key *out)
{
	derived_key("block names 1", k, NULL, NULL, out);
}

/* Adds names to the list of first key hex (under the lock); 1 when it was not there. */
static int add_variant(blockmemo *m, const char *hex, const char *names)
{
	value *l = value_map_get(m->variants, hex);
	if (!l) {
		l = value_list(0);
		value_map_set(m->variants, hex, l);
	}
	for (size_t i = 0; i < l->u.list.n; i++)
		if (strcmp(l->u.list.items[i]->u.str.ptr, names) == 0)
			return 0;
	value_list_push(l, value_string(names, 0));
	return 1;
}

size_t blockmemo_variants(blockmemo *m, const cache_key *k, size_t worker, char ***lists)
{
	char hex[41];
	cache_key_hex(k, hex);
	pthread_mutex_lock(&m->lock);
	int known = value_map_get(m->variants, hex) != NULL;
	pthread_mutex_unlock(&m->lock);
	if (!known && m->pc) {
		/* the first time this build sees the block: the list an earlier build kept */
		cache_key vk;
		buf b = BUF_INIT;
		variant_key(k, &vk);
		if (cache_get_buf(m->pc, worker, &vk, &b) && !memchr(b.ptr, '\0', b.len)) {
			pthread_mutex_lock(&m->lock);
			add_variant(m, hex, b.ptr);
			pthread_mutex_unlock(&m->lock);
		}
		buf_release(&b);
	}
	pthread_mutex_lock(&m->lock);
	const value *l = value_map_get(m->variants, hex);
	size_t n = l ? l->u.list.n : 0;
	*lists = xcalloc(n + 1, sizeof **lists);
	for (size_t i = 0; i < n; i++)
		(*lists)[i] = xstrdup(l->u.list.items[i]->u.str.ptr);
	pthread_mutex_unlock(&m->lock);
	return n;
}

int blockmemo_get(blockmemo *m, const cache_key *k2, size_t worker, buf *out)
{
	char hex[41];
	cache_key_hex(k2, hex);
	pthread_mutex_lock(&m->lock);
	const value *v = value_map_get(m->results, hex);
	int got = v && fetch(m, v, out);
	pthread_mutex_unlock(&m->lock);
	if (got) {
		atomic_fetch_add(&m->memo, 1);
		return 1;
	}
	size_t start = out->len;
	if (!m->pc || !cache_get_buf(m->pc, worker, k2, out))
		return 0;
	pthread_mutex_lock(&m->lock);
	store(m, hex, out->ptr + start, out->len - start);
	pthread_mutex_unlock(&m->lock);
	atomic_fetch_add(&m->cached, 1);
	return 1;
}

void blockmemo_put(blockmemo *m, const cache_key *k, const char *names, const cache_key *k2,
	const char *html, size_t len, size_t worker)
{
	char hex[41], hex2[41];
	cache_key_hex(k, hex);
	cache_key_hex(k2, hex2);
	pthread_mutex_lock(&m->lock);
	int first = !value_map_get(m->variants, hex);
	add_variant(m, hex, names);
	store(m, hex2, html, len);
	pthread_mutex_unlock(&m->lock);
	if (!m->pc)
		return;
	cache_put(m->pc, worker, k2, html, len);
	if (first) {
		cache_key vk;
		variant_key(k, &vk);
		cache_put(m->pc, worker, &vk, names, strlen(names));
	}
}

void blockmemo_counts(const blockmemo *m, size_t *ran, size_t *memo, size_t *cached)
{
	*ran = m ? atomic_load(&((blockmemo *)m)->ran) : 0;
	*memo = m ? atomic_load(&((blockmemo *)m)->memo) : 0;
	*cached = m ? atomic_load(&((blockmemo *)m)->cached) : 0;
}

void blockmemo_count_ran(blockmemo *m)
{
	atomic_fetch_add(&m->ran, 1);
}
