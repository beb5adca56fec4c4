/* Unit tests of the basic modules: buf, value, diag, util. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <dirent.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "htab.h"
#include "test.h"
#include "util.h"
#include "value.h"

static void buf_grows_and_stays_terminated(void)
{
	buf b = BUF_INIT;
	CHECK(b.ptr != NULL && b.ptr[0] == '\0');
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	CHECK(b.len == strlen(b.ptr));
	CHECK(str_has_prefix(b.ptr, "0,1,2,"));
	buf_truncate(&b, 2);
	CHECK_STR(b.ptr, "0,");
	char *s = buf_detach(&b, NULL);
	CHECK_STR(s, "0,");
	CHECK(b.ptr == buf_empty);
	free(s);
	s = buf_detach(&b, NULL); /* detaching an empty buffer gives a fresh empty string */
	CHECK_STR(s, "");
	free(s);
}

static void buf_escapes_html(void)
{
	buf b = BUF_INIT;
	buf_puts_html(&b, "<script>alert(\"x\" & 'y')</script>");
	CHECK_STR(b.ptr, "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;");
	/* every special at every place of a long text (the scan goes 16 bytes at a time) */
	const char *specials = "&<>\"'";
	const char *reps[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" };
	for (size_t k = 0; k < 5; k++) {
		for (size_t at = 0; at < 40; at++) {
			char in[41];
			memset(in, 'x', 40);
			in[40] = '\0';
			in[at] = specials[k];
			buf_reset(&b);
			buf_put_html(&b, in, 40);
			buf want = BUF_INIT;
			buf_put(&want, in, at);
			buf_puts(&want, reps[k]);
			buf_put(&want, in + at + 1, 39 - at);
			CHECK_STR(b.ptr, want.ptr);
			buf_release(&want);
		}
	}
	/* NUL bytes and bytes above 0x7f pass as they are */
	buf_reset(&b);
	buf_put_html(&b, "a\0b\xc3\xa4<", 6);
	CHECK(b.len == 9 && memcmp(b.ptr, "a\0b\xc3\xa4&lt;", 9) == 0);
	buf_reset(&b);
	buf_put_html(&b, "", 0);
	CHECK(b.len == 0 && b.ptr[0] == '\0');
	buf_release(&b);
}

static void buf_printf_long_and_empty(void)
{
	buf b = BUF_INIT;
	buf_printf(&b, "%s", "");
	CHECK(b.len == 0 && b.ptr[0] == '\0');
	char big[1000];
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_puts(&b, "ab");
	buf_printf(&b, "<%s>%d", big, 42); /* does not fit the room there is */
	CHECK(b.len == 2 + 1 + 999 + 1 + 2);
	CHECK(b.len == strlen(b.ptr));
	CHECK(str_has_suffix(b.ptr, "y>42"));
	buf_printf(&b, "%c", 'z'); /* fits */
	CHECK(str_has_suffix(b.ptr, "42z"));
	char *s = xasprintf("%s%s", big, big);
	CHECK(strlen(s) == 2 * 999);
	free(s);
	s = xasprintf("%d-%s", 7, "short");
	CHECK_STR(s, "7-short");
	free(s);
	buf_release(&b);
}

static void buf_put_uint_writes_decimals(void)
{
	buf b = BUF_INIT;
	buf_put_uint(&b, 0);
	buf_putc(&b, ' ');
	buf_put_uint(&b, 7);
	buf_putc(&b, ' ');
	buf_put_uint(&b, 4294967295ULL);
	buf_putc(&b, ' ');
	buf_put_uint(&b, 18446744073709551615ULL);
	CHECK_STR(b.ptr, "0 7 4294967295 18446744073709551615");
	buf_release(&b);
}

static void value_map_keeps_order_and_replaces(void)
{
	value *m = value_map(1);
	value_map_set_str(m, "b", "1");
	value_map_set_str(m, "a", "2");
	value_map_set_str(m, "b", "3");
	CHECK(value_len(m) == 2);
	CHECK_STR(m->u.map.keys[0], "b");
	CHECK_STR(value_map_str(m, "b"), "3");
	value *inner = value_map(2);
	value_map_set_num(inner, "date", 2023);
	value_map_set(m, "approved", inner);
	CHECK(value_get_path(m, "approved.date")->u.number == 2023);
	CHECK(value_get_path(m, "approved.nope") == NULL);
	buf j = BUF_INIT;
	value_put_json(&j, m);
	CHECK_STR(j.ptr, "{\"b\":\"3\",\"a\":\"2\",\"approved\":{\"date\":2023}}");
	value *c = value_clone(m);
	CHECK(value_equal(m, c));
	value_map_set_bool(c, "a", 0);
	CHECK(!value_equal(m, c));
	value_free(c);
	value_free(value_ref(m));
	value_free(m);
	buf_release(&j);
}

/* A top-level copy shares the items: changing the copy's top level leaves the original alone. */
static void value_copy_top_shares_items(void)
{
	value *m = value_map(0);
	value *inner = value_list(0);
	value_list_push(inner, value_string("x", 0));
	value_map_set(m, "list", inner);
	value_map_set_str(m, "title", "T");
	value *c = value_copy_top(m);
	CHECK(value_equal(m, c));
	CHECK(value_map_get(c, "list") == inner);          /* shared, not copied */
	CHECK(atomic_load(&inner->refs) == 2);
	value_map_set_str(c, "title", "U");
	value_map_set_str(c, "path", "p");
	CHECK_STR(value_map_str(m, "title"), "T");
	CHECK(value_map_get(m, "path") == NULL);
	value_free(m);                                      /* the copy keeps the item alive */
	CHECK(atomic_load(&inner->refs) == 1);
	CHECK_STR(value_at(value_map_get(c, "list"), 0)->u.str.ptr, "x");
	value *l = value_copy_top(inner);
	CHECK(value_len(l) == 1 && value_at(l, 0) == value_at(inner, 0));
	value *s = value_copy_top(value_at(inner, 0));      /* a scalar: a clone */
	CHECK(s != value_at(inner, 0) && value_equal(s, value_at(inner, 0)));
	value_free(s);
	value_free(l);
	value_free(c);
	CHECK(value_copy_top(NULL) == NULL);
}

/* Maps of 16 keys and more are indexed: every way in must still find every key. */
static void value_big_map_is_indexed(void)
{
	value *m = value_map(0);
	char key[32];
	for (int i = 0; i < 300; i++) {
		snprintf(key, sizeof(key), "key_%d", i);
		value_map_set_num(m, key, i);
	}
	CHECK(value_len(m) == 300);
	CHECK(m->u.map.index != NULL);
	for (int i = 0; i < 300; i++) {
		snprintf(key, sizeof(key), "key_%d", i);
		const value *v = value_map_get(m, key);
		CHECK(v && v->u.number == i);
		CHECK(value_map_get_h(m, key, str_hash(key)) == v);
		CHECK(value_get_path(m, key) == v);
		CHECK_STR(m->u.map.keys[i], key); /* insertion order, keys moved with the block */
	}
	CHECK(value_map_get(m, "key_300") == NULL);
	CHECK(value_map_get_h(m, "key_300", str_hash("key_300")) == NULL);
	CHECK(value_map_get(m, "") == NULL);
	/* replacing keeps the place and the count */
	value_map_set_str(m, "key_7", "seven");
	CHECK(value_len(m) == 300);
	CHECK_STR(value_map_str(m, "key_7"), "seven");
	CHECK_STR(m->u.map.keys[7], "key_7");
	/* a key passed from the map itself, while the map grows */
	value *n = value_map(0);
	for (int i = 0; i < 300; i++)
		value_map_set(n, m->u.map.keys[i], value_ref(m->u.map.vals[i]));
	CHECK(value_equal(m, n));
	value_map_set(m, m->u.map.keys[299], value_null(0));
	CHECK(value_len(m) == 300);
	CHECK(!value_equal(m, n));
	/* an empty key and a dotted path through an indexed map */
	value_map_set_str(n, "", "empty");
	CHECK_STR(value_map_str(n, ""), "empty");
	value *inner = value_map(0);
	value_map_set_str(inner, "x", "deep");
	value_map_set(n, "key_5x", inner);
	CHECK_STR(value_get_path(n, "key_5x.x")->u.str.ptr, "deep");
	CHECK(value_get_path(n, "key_5.x") == NULL);
	value *c = value_clone(n);
	CHECK(value_equal(c, n));
	value_free(c);
	value_free(n);
	value_free(m);
}

/* Small maps, strings stored with their value, and the hashed lookup. */
static void value_small_maps_and_strings(void)
{
	value *m = value_map(0);
	CHECK(value_map_get(m, "a") == NULL);
	CHECK(value_map_get_h(m, "a", str_hash("a")) == NULL);
	CHECK(value_map_get_h(NULL, "a", str_hash("a")) == NULL);
	value_map_set_str(m, "title", "T");
	value_map_set_str(m, "type", "agreement");
	value_map_set_str(m, "type_label", "Sopimus");
	/* a long key makes the key bytes grow before the entries do */
	char long_key[200];
	memset(long_key, 'k', sizeof(long_key) - 1);
	long_key[sizeof(long_key) - 1] = '\0';
	value_map_set_bool(m, long_key, 1);
	CHECK(value_map_get(m, long_key)->u.boolean == 1);
	CHECK_STR(value_map_str(m, "type"), "agreement");
	CHECK_STR(value_map_get_h(m, "type_label", str_hash("type_label"))->u.str.ptr, "Sopimus");
	CHECK(value_map_get_h(m, "typ", str_hash("typ")) == NULL);
	value *notmap = value_string("x", 0);
	CHECK(value_map_get(notmap, "x") == NULL);
	CHECK(value_map_get_h(notmap, "x", str_hash("x")) == NULL);
	value_free(notmap);
	value *s = value_stringn("a\0b", 3, 4);
	CHECK(s->u.str.len == 3 && s->u.str.ptr[2] == 'b' && s->u.str.ptr[3] == '\0');
	CHECK(s->line == 4);
	value *o = value_string_own(xstrdup("own"), 3, 0);
	value *c = value_clone(s);
	CHECK(value_equal(s, c));
	value_map_set(m, "s", s);
	value_map_set(m, "o", o);
	value_map_set(m, "c", c);
	buf j = BUF_INIT;
	value_put_json(&j, value_map_get(m, "o"));
	CHECK_STR(j.ptr, "\"own\"");
	value_free(m);
	buf_release(&j);
}

static void value_json_escapes_in_runs(void)
{
	buf j = BUF_INIT;
	value *v = value_string("plain text, \"quoted\" \\ back\nline\ttab\r<b>\x01 \xc3\xa4 end", 0);
	value_put_json(&j, v);
	CHECK_STR(j.ptr, "\"plain text, \\\"quoted\\\" \\\\ back\\nline\\ttab\\r"
		"\\u003cb>\\u0001 \xc3\xa4 end\"");
	value_free(v);
	buf_release(&j);
}

static void value_numbers_print_shortest(void)
{
	buf b = BUF_INIT;
	double nums[] = { 1.21, 85, -3, 0.1, 1e20, -0.0 };
	const char *want[] = { "1.21", "85", "-3", "0.1", "1e+20", "0" };
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		value *v = value_number(nums[i], 0);
		buf_reset(&b);
		value_put_text(&b, v);
		CHECK_STR(b.ptr, want[i]);
		value_free(v);
	}
	buf_release(&b);
}

static void value_truthiness(void)
{
	value *v = value_string("", 0);
	CHECK(!value_truthy(v));
	value_free(v);
	v = value_list(0);
	CHECK(!value_truthy(v));
	value_list_push(v, value_null(0));
	CHECK(value_truthy(v));
	value_free(v);
	v = value_number(0, 0);
	CHECK(value_truthy(v));
	value_free(v);
	CHECK(!value_truthy(NULL));
}

static void diag_sorts_and_formats(void)
{
	diag_list d = DIAG_LIST_INIT;
	diag_error(&d, "content/b.md", 3, "'%s' is required", "title");
	diag_warning(&d, "content/a.md", 9, "unknown key 'x'");
	diag_error(&d, "content/a.md", 2, "bad");
	diag_sort(&d);
	CHECK(d.errors == 2);
	buf b = BUF_INIT;
	diag_format(&b, &d.items[0]);
	CHECK_STR(b.ptr, "content/a.md:2: bad");
	buf_reset(&b);
	diag_format(&b, &d.items[1]);
	CHECK_STR(b.ptr, "content/a.md:9: warning: unknown key 'x'");
	CHECK(diag_contains(&d, "b.md:3: 'title' is required"));
	buf_release(&b);
	diag_release(&d);
}

static void util_slugs_and_dates(void)
{
	CHECK(is_slug("pohjois-karjala"));
	CHECK(is_slug("2023-10-12-lautakunta"));
	CHECK(!is_slug("Joensuu"));
	CHECK(!is_slug("rääkkylä"));
	CHECK(!is_slug(""));
	CHECK(is_iso_date("2024-02-29"));
	CHECK(!is_iso_date("2023-02-29"));
	CHECK(!is_iso_date("2023-13-01"));
	CHECK(!is_iso_date("20.11.2023"));
}

/* What reaches a terminal carries no control character from content. */
static void diag_escapes_for_the_terminal(void)
{
	diag e = { DIAG_ERROR, "content/a\nb\x1b[31m.md", 3,
		"'title' is bad (got 'x\ry\x1b]0;pwned\x07')\nstack traceback:\n\tx.lua:1" };
	buf b = BUF_INIT;
	diag_format_terminal(&b, &e);
	CHECK_STR(b.ptr, "content/a\\x0Ab\\x1B[31m.md:3: 'title' is bad (got "
		"'x\\x0Dy\\x1B]0;pwned\\x07')\n\tstack traceback:\n\tx.lua:1");
	buf_release(&b);
}

/* A file written whole or not at all: a failed write leaves the old file and no temporary one. */
static void atomic_files_replace_whole(void)
{
	char dir[] = "/tmp/avoin-atomic-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *path = xasprintf("%s/sub/file", dir);
	atomic_file a;
	FILE *f = atomic_open(&a, path);          /* makes sub/ */
	CHECK(f && fputs("yksi\n", f) >= 0);
	CHECK(atomic_commit(&a, 1, 1) == 0);
	f = atomic_open(&a, path);
	CHECK(f && fputs("kaksi\n", f) >= 0);
	CHECK(atomic_commit(&a, 0, 0) == -1);    /* the writer saw a failure: nothing replaced */
	size_t len = 0;
	char *text = NULL;
	CHECK(read_file(path, &text, &len) == 0);
	CHECK_STR(text, "yksi\n");
	free(text);
	char *sub = xasprintf("%s/sub", dir);
	DIR *dh = opendir(sub);
	int entries = 0;
	for (struct dirent *e; dh && (e = readdir(dh)) != NULL;)
		entries += e->d_name[0] != '.';
	if (dh)
		closedir(dh);
	CHECK(entries == 1);
	unlink(path);
	rmdir(sub);
	rmdir(dir);
	free(sub);
	free(path);
}

/* Bounded reads: what is not there fails, and so does everything after it. */
static void breader_stays_in_bounds(void)
{
	static const unsigned char data[] = { 0x01, 0x02, 0x03, 0x80, 0x01, 0x80, 0x00, 0xff };
	breader r = { data, data + sizeof data, 0 };
	CHECK(br_le(&r, 2) == 0x0201 && br_byte(&r) == 3);
	uint64_t v = 0;
	CHECK(br_uleb(&r, 1000, &v) == 0 && v == 128);       /* 0x80 0x01 */
	CHECK(br_uleb(&r, 1000, &v) == -1 && r.bad);         /* 0x80 0x00: not the shortest form */
	CHECK(br_byte(&r) == -1 && br_bytes(&r, 0) == NULL);  /* and nothing after it */
	breader s = { data + 3, data + 5, 0 };
	CHECK(br_uleb(&s, 100, &v) == -1);                    /* 128 is more than 100 */
	breader t = { data, data + 2, 0 };
	CHECK(br_le(&t, 4) == 0 && t.bad && br_bytes(&t, 1) == NULL);
}

/* The one hash table: every position comes back under its hash, equal hashes included,
 * across growth and after a clear. */
static void htab_finds_every_position(void)
{
	htab t = { NULL, 0, 0 };
	htab_iter it;
	CHECK(htab_first(&t, 7, &it) == HTAB_NONE);      /* empty: nothing, no crash */
	for (size_t i = 0; i < 5000; i++)
		htab_add(&t, i % 1000, i);                   /* five positions under each hash */
	int ok = 1;
	for (uint64_t h = 0; h < 1000 && ok; h++) {
		size_t seen = 0, sum = 0;
		for (size_t p = htab_first(&t, h, &it); p != HTAB_NONE; p = htab_next(&t, h, &it)) {
			ok &= p % 1000 == h;
			seen++;
			sum += p;
		}
		ok &= seen == 5 && sum == 5 * h + 10000;
	}
	CHECK(ok);
	CHECK(t.n == 5000 && t.cap >= 10000 && (t.cap & (t.cap - 1)) == 0);
	CHECK(htab_first(&t, 1000, &it) == HTAB_NONE);
	htab_clear(&t);
	CHECK(t.n == 0 && htab_first(&t, 5, &it) == HTAB_NONE);
	htab_add(&t, 5, 42);
	CHECK(htab_first(&t, 5, &it) == 42 && htab_next(&t, 5, &it) == HTAB_NONE);
	htab_free(&t);
}

static void counts_in_words(void)
{
	buf b = BUF_INIT;
	buf_put_count(&b, "{n} kuntaa", 8);
	buf_puts(&b, "|");
	buf_put_count(&b, "… {n} oförändrade stycken", 12);
	buf_puts(&b, "|");
	buf_put_count(&b, "ei lukua", 3);
	CHECK_STR(b.ptr, "8 kuntaa|… 12 oförändrade stycken|ei lukua");
	buf_release(&b);
}

static void near_misses_and_folders(void)
{
	CHECK(str_distance("minutes", "minutes") == 0);
	CHECK(str_distance("minute", "minutes") == 1);
	CHECK(str_distance("agrement", "agreement") == 1);
	CHECK(str_distance("signd", "signed") == 1);
	CHECK(str_distance("", "abc") == 3);
	CHECK(str_distance("kokous", "minutes") > 2);
	char tmpl[] = "/tmp/avoin-test-XXXXXX";
	char *dir = mkdtemp(tmpl);
	CHECK(dir && dir_is_empty(dir));
	char *deep = xasprintf("%s/a/b/c.txt", dir);
	CHECK(mkdir_parents(deep) == 0);
	CHECK(strcmp(deep + strlen(dir), "/a/b/c.txt") == 0);
	CHECK(!dir_is_empty(dir));
	char *ab = xasprintf("%s/a/b", dir), *a = xasprintf("%s/a", dir);
	CHECK(dir_is_empty(ab) && !dir_is_empty(a));
	CHECK(!dir_is_empty(deep));
	rmdir(ab);
	rmdir(a);
	rmdir(dir);
	free(deep);
	free(ab);
	free(a);
}

int main(void)
{
	RUN(counts_in_words);
	RUN(diag_escapes_for_the_terminal);
	RUN(buf_grows_and_stays_terminated);
	RUN(buf_escapes_html);
	RUN(buf_printf_long_and_empty);
	RUN(value_big_map_is_indexed);
	RUN(value_copy_top_shares_items);
	RUN(value_small_maps_and_strings);
	RUN(value_json_escapes_in_runs);
	RUN(buf_put_uint_writes_decimals);
	RUN(value_map_keeps_order_and_replaces);
	RUN(value_numbers_print_shortest);
	RUN(value_truthiness);
	RUN(diag_sorts_and_formats);
	RUN(util_slugs_and_dates);
	RUN(atomic_files_replace_whole);
	RUN(breader_stays_in_bounds);
	RUN(htab_finds_every_position);
	RUN(near_misses_and_folders);
	return test_summary();
}
