/* Unit tests of the rebuild cache: round trip, and a broken file never poisons a build. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void unwritable_cache_is_a_warning(void)
{
	diag_list d = DIAG_LIST_INIT;
	char *dir = xasprintf("%s/ei/ole.cache", top);
	cache *c = cache_open(dir, 1);
	cache_key k;
	key("x", &k);
	cache_put(c, 0, &k, "y", 1);
	CHECK(cache_save(c, &d) == -1);
	CHECK(d.errors == 0 && d.n == 1);
	CHECK(diag_contains(&d, "cannot write the cache"));
	cache_free(c);
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
	RUN(broken_files_are_empty_caches);
	RUN(unwritable_cache_is_a_warning);
	remove_tree(top);
	return test_summary();
}
