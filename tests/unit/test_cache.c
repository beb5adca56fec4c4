/* Unit tests of the rebuild cache: round trip, and a broken file never poisons a build. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cache.h"
#include "diag.h"
#include "output.h"
#include "test.h"
#include "util.h"

static char top[] = "/tmp/avoin-test-cache.XXXXXX";

static void key(const char *s, cache_key *k)
{
	buf b = BUF_INIT;
	cache_key_add(&b, s);
	cache_key_of(&b, k);
	buf_release(&b);
}

static void write_bytes(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
}

static void keys_separate_fields(void)
{
	buf a = BUF_INIT, b = BUF_INIT;
	cache_key ka, kb;
	cache_key_add(&a, "ab");
	cache_key_add(&a, "c");
	cache_key_add(&b, "a");
	cache_key_add(&b, "bc");
	cache_key_of(&a, &ka);
	cache_key_of(&b, &kb);
	CHECK(memcmp(ka.b, kb.b, sizeof(ka.b)) != 0);
	buf_release(&a);
	buf_release(&b);
}

static void round_trip_keeps_what_was_used(void)
{
	diag_list d = DIAG_LIST_INIT;
	char *dir = xasprintf("%s/rt.cache", top);
	cache_key k1, k2, k3;
	key("yksi", &k1);
	key("kaksi", &k2);
	key("kolme", &k3);
	cache *c = cache_open(dir, 2);
	CHECK(cache_loaded(c) == 0);
	size_t len = 0;
	CHECK(cache_get(c, 0, &k1, &len) == NULL);
	cache_put(c, 0, &k1, "<p>1</p>", 8);
	cache_put(c, 1, &k2, "", 0);
	cache_put(c, 1, &k3, "kolme", 5);
	CHECK(cache_save(c, &d) == 0);
	cache_free(c);

	c = cache_open(dir, 1);
	CHECK(cache_loaded(c) == 3);
	const char *v = cache_get(c, 0, &k1, &len);
	CHECK(v && len == 8 && memcmp(v, "<p>1</p>", 8) == 0);
	v = cache_get(c, 0, &k2, &len);
	CHECK(v && len == 0);
	/* a worker index out of range is a miss, never a crash */
	CHECK(cache_get(c, 5, &k3, &len) == NULL);
	CHECK(cache_save(c, &d) == 0);
	cache_free(c);

	/* only what the last build used is kept */
	c = cache_open(dir, 1);
	CHECK(cache_loaded(c) == 2);
	CHECK(cache_get(c, 0, &k3, &len) == NULL);
	cache_free(c);
	CHECK(d.n == 0);
	free(dir);
	diag_release(&d);
}

/* cache_has: a hit that reads nothing, and keeps the entry like one that does */
static void has_keeps_the_entry(void)
{
	diag_list d = DIAG_LIST_INIT;
	char *dir = xasprintf("%s/has.cache", top);
	cache_key k1, k2, back;
	key("yksi", &k1);
	key("kaksi", &k2);
	char hex[41];
	cache_key_hex(&k1, hex);
	CHECK(cache_key_parse(hex, &back) == 0 && memcmp(back.b, k1.b, sizeof(k1.b)) == 0);
	CHECK(cache_key_parse("12", &back) == -1);
	hex[7] = 'G';
	CHECK(cache_key_parse(hex, &back) == -1);
	cache *c = cache_open(dir, 2);
	cache_put(c, 0, &k1, "yksi", 4);
	cache_put(c, 1, &k2, "kaksi", 5);
	CHECK(!cache_has(c, 0, &k1));                 /* put in this build: not loaded yet */
	CHECK(cache_save(c, &d) == 0);
	cache_free(c);
	c = cache_open(dir, 2);
	CHECK(cache_has(c, 1, &k1) && !cache_has(c, 7, &k1));
	CHECK(cache_save(c, &d) == 0);                /* k1 was only asked for: still kept */
	cache_free(c);
	c = cache_open(dir, 1);
	buf b = BUF_INIT;
	CHECK(cache_loaded(c) == 1 && cache_get_buf(c, 0, &k1, &b) && strcmp(b.ptr, "yksi") == 0);
	CHECK(!cache_has(c, 0, &k2));
	cache_free(c);
	buf_release(&b);
	CHECK(d.n == 0);
	free(dir);
	diag_release(&d);
}

static void broken_files_are_empty_caches(void)
{
	diag_list d = DIAG_LIST_INIT;
	char *dir = xasprintf("%s/bad.cache", top);
	char *parts = xasprintf("%s/parts", dir);
	cache_key k;
	key("avain", &k);
	cache *c = cache_open(dir, 1);
	cache_put(c, 0, &k, "arvo", 4);
	CHECK(cache_save(c, &d) == 0);
	cache_free(c);
	char *good = NULL;
	size_t len = 0;
	CHECK(read_file(parts, &good, &len) == 0);

	/* truncated at every length: always empty, never a crash */
	int all_empty = 1;
	for (size_t n = 0; n < len; n++) {
		write_bytes(parts, good, n);
		c = cache_open(dir, 1);
		all_empty &= cache_loaded(c) == 0;
		cache_free(c);
	}
	CHECK(all_empty);
	/* one flipped byte anywhere: empty */
	int flipped_empty = 1;
	for (size_t n = 0; n < len; n++) {
		good[n] ^= 0x5a;
		write_bytes(parts, good, len);
		good[n] ^= 0x5a;
		c = cache_open(dir, 1);
		size_t l = 0;
		flipped_empty &= cache_loaded(c) == 0 && cache_get(c, 0, &k, &l) == NULL;
		cache_free(c);
	}
	CHECK(flipped_empty);
	write_bytes(parts, "garbage", 7);
	c = cache_open(dir, 1);
	CHECK(cache_loaded(c) == 0);
	cache_free(c);
	/* the intact file still loads */
	write_bytes(parts, good, len);
	c = cache_open(dir, 1);
	CHECK(cache_loaded(c) == 1);
	cache_free(c);
	free(good);
	free(parts);
	free(dir);
	diag_release(&d);
}

/* The checksum as the format defines it, in one pass over the whole file (as 569ca9b wrote it). */
static uint64_t whole_checksum(const unsigned char *p, size_t n)
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

/* n bytes that differ from entry to entry */
static char *pattern(size_t n, unsigned seed)
{
	char *p = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++)
		p[i] = (char)('a' + (i * 7 + seed * 13 + i / 97) % 26);
	p[n] = '\0';
	return p;
}

/* Names in dir that start with prefix. */
static int count_names(const char *dir, const char *prefix)
{
	DIR *dh = opendir(dir);
	int n = 0;
	struct dirent *e;
	while (dh && (e = readdir(dh)) != NULL)
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	if (dh)
		closedir(dh);
	return n;
}

/*
 * Entries of every size around the writer's and reader's chunk (64 KiB)
 * and the checksum's word (8 bytes), from several workers: written by
 * streaming, they read back byte for byte, the file has the format's
 * checksum, and the scratch files left nothing behind.
 */
static void streamed_save_reads_back_the_same(void)
{
	diag_list d = DIAG_LIST_INIT;
	char *dir = xasprintf("%s/big.cache", top);
	static const size_t sizes[] = { 0, 1, 7, 8, 9, 4095, 65535, 65536, 65537, 200003, 3 };
	enum { N = sizeof(sizes) / sizeof(sizes[0]) };
	cache_key k[N];
	char *data[N];
	cache *c = cache_open(dir, 3);
	for (size_t i = 0; i < N; i++) {
		char name[16];
		snprintf(name, sizeof(name), "osa-%zu", i);
		key(name, &k[i]);
		data[i] = pattern(sizes[i], (unsigned)i);
		cache_put(c, i % 3, &k[i], data[i], sizes[i]);
	}
	/* the same key again from another worker: stored once, the first one wins */
	cache_put(c, 2, &k[0], "toinen", 6);
	CHECK(cache_save(c, &d) == 0);
	cache_free(c);
	CHECK(d.n == 0);
	CHECK(count_names(top, ".avoin-cache.tmp-") == 0 && count_names(dir, "parts.") == 0);

	char *parts = xasprintf("%s/parts", dir), *file = NULL;
	size_t len = 0;
	CHECK(read_file(parts, &file, &len) == 0 && len > 8);
	uint64_t stored = 0;
	for (size_t i = 0; file && i < 8; i++)
		stored |= (uint64_t)(unsigned char)file[len - 8 + i] << (8 * i);
	CHECK(file && stored == whole_checksum((const unsigned char *)file, len - 8));
	free(file);

	c = cache_open(dir, 2);
	CHECK(cache_loaded(c) == N);
	int all_same = 1;
	buf b = BUF_INIT;
	for (size_t i = 0; i < N; i++) {
		buf_reset(&b);
		buf_puts(&b, "<");
		all_same &= cache_get_buf(c, i % 2, &k[i], &b) == 1 && b.len == sizes[i] + 1 &&
			memcmp(b.ptr + 1, data[i], sizes[i]) == 0 && b.ptr[b.len] == '\0';
	}
	CHECK(all_same);
	size_t l = 0;
	const char *v = cache_get(c, 1, &k[9], &l);
	CHECK(v && l == sizes[9] && memcmp(v, data[9], l) == 0);
	/* a miss leaves the buffer alone */
	cache_key none;
	key("ei ole", &none);
	buf_reset(&b);
	buf_puts(&b, "x");
	CHECK(cache_get_buf(c, 0, &none, &b) == 0 && strcmp(b.ptr, "x") == 0);
	/* hits are copied from the old file into the new one */
	CHECK(cache_save(c, &d) == 0);
	cache_free(c);
	c = cache_open(dir, 1);
	CHECK(cache_loaded(c) == N);
	buf_reset(&b);
	CHECK(cache_get_buf(c, 0, &k[8], &b) == 1 && b.len == sizes[8] &&
		memcmp(b.ptr, data[8], b.len) == 0);
	cache_free(c);
	buf_release(&b);
	for (size_t i = 0; i < N; i++)
		free(data[i]);
	free(parts);
	free(dir);
	diag_release(&d);
}

/* A hit is read from the file as it was when opened, even after a save replaced it. */
static void hits_come_from_the_file_that_was_checked(void)
{
	diag_list d = DIAG_LIST_INIT;
	char *dir = xasprintf("%s/pin.cache", top);
	cache_key k1, k2;
	key("eka", &k1);
	key("toka", &k2);
	cache *c = cache_open(dir, 1);
	cache_put(c, 0, &k1, "ensimmäinen", strlen("ensimmäinen"));
	cache_put(c, 0, &k2, "toinen", 6);
	CHECK(cache_save(c, &d) == 0);
	cache_free(c);

	cache *old = cache_open(dir, 1);
	CHECK(cache_loaded(old) == 2);
	/* another build saves an empty cache over it meanwhile */
	c = cache_open(dir, 1);
	CHECK(cache_save(c, &d) == 0);
	cache_free(c);
	c = cache_open(dir, 1);
	CHECK(cache_loaded(c) == 0);
	cache_free(c);
	buf b = BUF_INIT;
	CHECK(cache_get_buf(old, 0, &k2, &b) == 1 && strcmp(b.ptr, "toinen") == 0);
	CHECK(cache_save(old, &d) == 0);
	cache_free(old);
	c = cache_open(dir, 1);
	CHECK(cache_loaded(c) == 1);
	buf_reset(&b);
	CHECK(cache_get_buf(c, 0, &k2, &b) == 1 && strcmp(b.ptr, "toinen") == 0);
	cache_free(c);
	buf_release(&b);
	CHECK(d.n == 0);
	free(dir);
	diag_release(&d);
}

/* Files that are not a cache at all: empty caches, and a build goes on. */
static void odd_files_are_empty_caches(void)
{
	diag_list d = DIAG_LIST_INIT;
	char *dir = xasprintf("%s/odd.cache", top);
	char *parts = xasprintf("%s/parts", dir);
	mkdir(dir, 0755);
	/* a folder where the file should be */
	mkdir(parts, 0755);
	cache *c = cache_open(dir, 1);
	CHECK(cache_loaded(c) == 0);
	cache_key k;
	key("k", &k);
	cache_put(c, 0, &k, "v", 1);
	/* it cannot be replaced by a file: a warning, never an error */
	CHECK(cache_save(c, &d) == -1 && d.errors == 0 && d.n == 1);
	cache_free(c);
	rmdir(parts);
	/* the right magic, an entry count far beyond the file, and a valid checksum */
	unsigned char f[14 + 8 + 8];
	memcpy(f, "avoin-cache 2\n", 14);
	memset(f + 14, 0xff, 8);
	uint64_t sum = whole_checksum(f, 22);
	for (size_t i = 0; i < 8; i++)
		f[22 + i] = (unsigned char)(sum >> (8 * i));
	write_bytes(parts, (const char *)f, sizeof(f));
	c = cache_open(dir, 1);
	CHECK(cache_loaded(c) == 0);
	cache_free(c);
	/* an entry longer than what follows it */
	unsigned char g[14 + 8 + 24 + 2 + 8];
	memcpy(g, "avoin-cache 2\n", 14);
	memset(g + 14, 0, sizeof(g) - 14);
	g[14] = 1;
	g[14 + 8 + 20] = 9;
	sum = whole_checksum(g, sizeof(g) - 8);
	for (size_t i = 0; i < 8; i++)
		g[sizeof(g) - 8 + i] = (unsigned char)(sum >> (8 * i));
	write_bytes(parts, (const char *)g, sizeof(g));
	c = cache_open(dir, 1);
	CHECK(cache_loaded(c) == 0);
	cache_free(c);
	/* and the same with the length right: one entry */
	g[14 + 8 + 20] = 2;
	sum = whole_checksum(g, sizeof(g) - 8);
	for (size_t i = 0; i < 8; i++)
		g[sizeof(g) - 8 + i] = (unsigned char)(sum >> (8 * i));
	write_bytes(parts, (const char *)g, sizeof(g));
	c = cache_open(dir, 1);
	CHECK(cache_loaded(c) == 1);
	cache_free(c);
	free(parts);
	free(dir);
	diag_release(&d);
}

static void unwritable_cache_is_a_warning(void)
{
	diag_list d = DIAG_LIST_INIT;
	char *dir = xasprintf("%s/ei/ole.cache", top);
	cache *c = cache_open(dir, 1);
	cache_key k;
	key("x", &k);
	cache_put(c, 0, &k, "y", 1);
	/* no scratch file could be made for the put: dropped, not a crash */
	size_t len = 0;
	CHECK(cache_get(c, 0, &k, &len) == NULL);
	CHECK(cache_save(c, &d) == -1);
	CHECK(d.errors == 0 && d.n == 1);
	CHECK(diag_contains(&d, "cannot write the cache"));
	cache_free(c);
	free(dir);
	diag_release(&d);
}

/* After cache_seal every worker finds what any worker put, and saving keeps it once. */
static void sealed_puts_are_found_by_every_worker(void)
{
	diag_list d = DIAG_LIST_INIT;
	char *dir = xasprintf("%s/seal.cache", top);
	cache_key k1, k2, k3;
	key("yksi", &k1);
	key("kaksi", &k2);
	key("kolme", &k3);
	cache *c = cache_open(dir, 2);
	cache_put(c, 0, &k1, "yksi", 4);
	cache_put(c, 1, &k2, "kaksi", 5);
	cache_put(c, 1, &k1, "toinen", 6);        /* the same key again: the first one wins */
	buf b = BUF_INIT;
	CHECK(!cache_get_buf(c, 1, &k1, &b) && !cache_has(c, 0, &k2));
	cache_seal(c);
	CHECK(cache_get_buf(c, 1, &k1, &b) && strcmp(b.ptr, "yksi") == 0);
	buf_reset(&b);
	CHECK(cache_has(c, 0, &k2) && cache_get_buf(c, 0, &k2, &b) && strcmp(b.ptr, "kaksi") == 0);
	/* a put after the seal is found after the next one */
	cache_put(c, 0, &k3, "kolme", 5);
	CHECK(!cache_has(c, 1, &k3));
	cache_seal(c);
	buf_reset(&b);
	CHECK(cache_get_buf(c, 1, &k3, &b) && strcmp(b.ptr, "kolme") == 0);
	CHECK(cache_save(c, &d) == 0);
	cache_free(c);
	c = cache_open(dir, 1);
	buf_reset(&b);
	CHECK(cache_loaded(c) == 3 && cache_get_buf(c, 0, &k1, &b) && strcmp(b.ptr, "yksi") == 0);
	cache_free(c);
	buf_release(&b);
	CHECK(d.n == 0);
	free(dir);
	diag_release(&d);
}

int main(void)
{
	if (!mkdtemp(top)) {
		printf("cannot make a temporary folder\n");
		return 1;
	}
	RUN(keys_separate_fields);
	RUN(round_trip_keeps_what_was_used);
	RUN(has_keeps_the_entry);
	RUN(sealed_puts_are_found_by_every_worker);
	RUN(broken_files_are_empty_caches);
	RUN(streamed_save_reads_back_the_same);
	RUN(hits_come_from_the_file_that_was_checked);
	RUN(odd_files_are_empty_caches);
	RUN(unwritable_cache_is_a_warning);
	remove_tree(top);
	return test_summary();
}
