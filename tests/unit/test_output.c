/*
 * Unit tests of output: staging folder, atomic swap, abort leaves the old
 * site; the site in memory of `avoin serve` (memsite), alone and with a folder.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "memsite.h"
#include "output.h"
#include "pack.h"
#include "test.h"
#include "util.h"

static char top[] = "/tmp/avoin-test-output-XXXXXX";

static char *slurp(const char *dir, const char *rel)
{
	char *p = xasprintf("%s/%s/%s", top, dir, rel), *data = NULL;
	if (read_file(p, &data, NULL) != 0)
		data = NULL;
	free(p);
	return data;
}

static int exists(const char *rel)
{
	struct stat st;
	char *p = xasprintf("%s/%s", top, rel);
	int r = stat(p, &st) == 0;
	free(p);
	return r;
}

/* How many entries folder rel (under top) holds; -1 when it is not there. */
static int count_entries(const char *rel)
{
	char *p = xasprintf("%s/%s", top, rel);
	DIR *dir = opendir(p);
	free(p);
	if (!dir)
		return -1;
	int n = 0;
	for (struct dirent *e; (e = readdir(dir));)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(dir);
	return n;
}

static void put(const char *rel, const char *text)
{
	char *p = xasprintf("%s/%s", top, rel);
	FILE *f = fopen(p, "wb");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	free(p);
}

static void make_dir(const char *rel)
{
	char *p = xasprintf("%s/%s", top, rel);
	CHECK(mkdir(p, 0755) == 0);
	free(p);
}

static void first_build_moves_staging_in_place(void)
{
	diag_list d = DIAG_LIST_INIT;
	output *o;
	char *out = xasprintf("%s/public", top);
	CHECK(output_begin(&o, out, &d) == 0);
	CHECK(exists("public.staging"));
	CHECK(output_write(o, "a/b/index.html", "uusi", 4, &d) == 0);
	CHECK(output_write(o, "index.html", "etusivu", 7, &d) == 0);
	CHECK(output_count(o) == 2);
	CHECK(!exists("public"));
	CHECK(output_commit(o, &d) == 0);
	CHECK(!exists("public.staging"));
	char *s = slurp("public", "a/b/index.html");
	CHECK_STR(s, "uusi");
	free(s);
	CHECK(d.n == 0);
	free(out);
	diag_release(&d);
}

static void second_build_replaces_the_whole_site(void)
{
	diag_list d = DIAG_LIST_INIT;
	output *o;
	char *out = xasprintf("%s/public/", top); /* a trailing slash is fine */
	CHECK(output_begin(&o, out, &d) == 0);
	CHECK(output_write(o, "index.html", "toinen", 6, &d) == 0);
	CHECK(output_commit(o, &d) == 0);
	char *s = slurp("public", "index.html");
	CHECK_STR(s, "toinen");
	free(s);
	CHECK(!exists("public/a/b/index.html")); /* pages of the old site do not linger */
	CHECK(!exists("public.staging"));
	/* the old site waits in the trash, whole, until output_empty_trash() */
	char *trash = output_trash_dir(out), *want = xasprintf("%s/public.cache/trash", top);
	CHECK_STR(trash, want); /* beside the output, whatever its trailing slash */
	free(trash);
	free(want);
	CHECK(count_entries("public.cache/trash") == 1);
	CHECK(output_empty_trash(out) == 0);
	CHECK(!exists("public.cache/trash"));
	CHECK(exists("public.cache/manifest"));
	CHECK(output_empty_trash(out) == 0); /* nothing to delete is no error */
	/* several entries, folders and files, however deep */
	make_dir("public.cache/trash");
	make_dir("public.cache/trash/1-0");
	make_dir("public.cache/trash/1-0/a");
	put("public.cache/trash/1-0/a/b", "x");
	put("public.cache/trash/2-0", "y");
	CHECK(count_entries("public.cache/trash") == 2);
	CHECK(output_empty_trash(out) == 0);
	CHECK(!exists("public.cache/trash"));
	free(out);
	diag_release(&d);
}

static void abort_leaves_the_previous_site_untouched(void)
{
	diag_list d = DIAG_LIST_INIT;
	output *o;
	char *out = xasprintf("%s/public", top);
	CHECK(output_begin(&o, out, &d) == 0);
	CHECK(output_write(o, "index.html", "keskeneräinen", 14, &d) == 0);
	output_abort(o);
	char *s = slurp("public", "index.html");
	CHECK_STR(s, "toinen");
	free(s);
	CHECK(!exists("public.staging"));
	free(out);
	diag_release(&d);
}

static void paths_outside_the_output_are_refused(void)
{
	diag_list d = DIAG_LIST_INIT;
	output *o;
	char *out = xasprintf("%s/public", top);
	CHECK(output_begin(&o, out, &d) == 0);
	CHECK(output_write(o, "../karkuri.html", "x", 1, &d) == -1);
	CHECK(output_write(o, "/etc/karkuri", "x", 1, &d) == -1);
	CHECK(d.errors == 2);
	CHECK(!exists("karkuri.html"));
	output_abort(o);
	free(out);
	diag_release(&d);
}

static void unwritable_output_is_an_error(void)
{
	diag_list d = DIAG_LIST_INIT;
	output *o = NULL;
	char *out = xasprintf("%s/ei/ole/olemassa", top);
	CHECK(output_begin(&o, out, &d) == -1);
	CHECK(d.errors == 1);
	CHECK(diag_contains(&d, "cannot create the staging folder"));
	free(out);
	diag_release(&d);
}

static ino_t inode_of(const char *rel)
{
	struct stat st;
	char *p = xasprintf("%s/%s", top, rel);
	ino_t r = stat(p, &st) == 0 ? st.st_ino : 0;
	free(p);
	return r;
}

/* A site of three pages (full mode the first time); the manifest is written. */
static void full_build_of(const char *name)
{
	diag_list d = DIAG_LIST_INIT;
	output *o;
	char *out = xasprintf("%s/%s", top, name);
	CHECK(output_begin(&o, out, &d) == 0);
	CHECK(output_write_keyed(o, "a/index.html", "0123456789012345678901234567890123456789",
		"A1", 2, &d) == 0);
	CHECK(output_write(o, "b/index.html", "B1", 2, &d) == 0);
	CHECK(output_write(o, "c/d/index.html", "C1", 2, &d) == 0);
	CHECK(output_commit(o, &d) == 0);
	CHECK(d.n == 0);
	free(out);
	diag_release(&d);
}

/* The regular files directly in a folder; -1 when it holds anything else (a folder). */
static int staged_files(const char *rel)
{
	char *p = xasprintf("%s/%s", top, rel);
	DIR *dir = opendir(p);
	int n = dir ? 0 : -1;
	for (struct dirent *e; dir && (e = readdir(dir));) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		struct stat st;
		char *f = xasprintf("%s/%s", p, e->d_name);
		if (lstat(f, &st) == 0 && S_ISREG(st.st_mode) && n >= 0)
			n++;
		else
			n = -1;
		free(f);
	}
	if (dir)
		closedir(dir);
	free(p);
	return n;
}

static void rebuild_writes_only_what_changed(void)
{
	full_build_of("inc");
	ino_t a = inode_of("inc/a/index.html"), b = inode_of("inc/b/index.html");
	CHECK(exists("inc.cache/manifest"));
	diag_list d = DIAG_LIST_INIT;
	output *o;
	char *out = xasprintf("%s/inc", top);
	CHECK(output_begin(&o, out, &d) == 0);
	CHECK(output_incremental(o));
	CHECK(output_write(o, "a/index.html", "A1", 2, &d) == 0);     /* same bytes */
	CHECK(output_write(o, "b/index.html", "B2", 2, &d) == 0);     /* changed */
	CHECK(output_write(o, "e/f/index.html", "E1", 2, &d) == 0);   /* new */
	/* c/d/index.html is not written: the new site has no such page */
	CHECK(output_count(o) == 3);
	CHECK(output_changed(o) == 2);
	/* nothing is in place before the commit */
	CHECK(!exists("inc/e/f/index.html"));
	/* a rebuild stages its two files side by side: no folders to make and remove */
	CHECK(staged_files("inc.staging") == 2);
	char *s = slurp("inc", "b/index.html");
	CHECK_STR(s, "B1");
	free(s);
	CHECK(output_commit(o, &d) == 0);
	CHECK(d.n == 0);
	CHECK(inode_of("inc/a/index.html") == a); /* not rewritten */
	CHECK(inode_of("inc/b/index.html") != b);
	s = slurp("inc", "b/index.html");
	CHECK_STR(s, "B2");
	free(s);
	s = slurp("inc", "e/f/index.html");
	CHECK_STR(s, "E1");
	free(s);
	CHECK(!exists("inc/c/d/index.html"));
	CHECK(!exists("inc/c")); /* folders left empty go too */
	CHECK(!exists("inc.staging"));
	/* the replaced version of b/index.html went to the trash, not freed during the commit */
	CHECK(count_entries("inc.cache/trash") == 1);
	CHECK(output_empty_trash(out) == 0 && !exists("inc.cache/trash"));
	char *m = slurp("inc.cache", "manifest");
	CHECK(m && strstr(m, " b/index.html\n") && strstr(m, " e/f/index.html\n") &&
		!strstr(m, "c/d/index.html"));
	free(m);
	free(out);
	diag_release(&d);
}

static void kept_pages_need_the_same_key_and_the_file(void)
{
	full_build_of("keep");
	const char *k1 = "0123456789012345678901234567890123456789";
	const char *k2 = "1123456789012345678901234567890123456789";
	diag_list d = DIAG_LIST_INIT;
	output *o;
	char *out = xasprintf("%s/keep", top);
	CHECK(output_begin(&o, out, &d) == 0);
	CHECK(output_known(o, "a/index.html", k1));
	CHECK(!output_known(o, "a/index.html", k2));
	CHECK(!output_known(o, "b/index.html", k1)); /* written without a key */
	CHECK(!output_keep(o, "a/index.html", k2));
	CHECK(output_keep(o, "a/index.html", k1));
	CHECK(output_count(o) == 1 && output_changed(o) == 0);
	CHECK(output_commit(o, &d) == 0);
	char *s = slurp("keep", "a/index.html");
	CHECK_STR(s, "A1");
	free(s);
	CHECK(!exists("keep/b/index.html"));
	/* the key is remembered again; a file edited or deleted by hand is not kept */
	CHECK(output_begin(&o, out, &d) == 0);
	CHECK(output_intact(o, "a/index.html"));
	put("keep/a/index.html", "A9");
	CHECK(!output_intact(o, "a/index.html"));
	CHECK(!output_keep(o, "a/index.html", k1));
	char *p = xasprintf("%s/keep/a/index.html", top);
	unlink(p);
	free(p);
	CHECK(output_known(o, "a/index.html", k1));
	CHECK(!output_keep(o, "a/index.html", k1));
	CHECK(!output_keep_checked(o, "c/index.html", k1)); /* never written: nothing to keep */
	output_abort(o);
	/* kept after the caller's own checks: counted once, unchanged, and still there after */
	full_build_of("keep2");
	char *out2 = xasprintf("%s/keep2", top);
	CHECK(output_begin(&o, out2, &d) == 0);
	CHECK(output_known(o, "a/index.html", k1) && output_intact(o, "a/index.html"));
	CHECK(output_keep_checked(o, "a/index.html", k1));
	CHECK(output_count(o) == 1 && output_changed(o) == 0);
	CHECK(output_commit(o, &d) == 0);
	s = slurp("keep2", "a/index.html");
	CHECK_STR(s, "A1");
	free(s);
	CHECK(output_begin(&o, out2, &d) == 0);
	CHECK(output_known(o, "a/index.html", k1));      /* remembered with its key */
	output_abort(o);
	free(out2);
	free(out);
	diag_release(&d);
}

static void incremental_abort_leaves_the_site_untouched(void)
{
	full_build_of("abort");
	diag_list d = DIAG_LIST_INIT;
	output *o;
	char *out = xasprintf("%s/abort", top);
	CHECK(output_begin(&o, out, &d) == 0);
	CHECK(output_write(o, "b/index.html", "B2", 2, &d) == 0);
	output_abort(o);
	char *s = slurp("abort", "b/index.html");
	CHECK_STR(s, "B1");
	free(s);
	CHECK(exists("abort/c/d/index.html"));
	CHECK(exists("abort.cache/manifest"));
	free(out);
	diag_release(&d);
}

static void a_bad_manifest_means_a_full_build(void)
{
	const char *bad[] = {
		"",                                           /* empty */
		"avoin-manifest 1\n- 2 1 b/index.html\n- 2 1 a/index.html\n", /* not sorted */
		"avoin-manifest 1\n- 2 1 ../karkuri\n",     /* outside */
		"avoin-manifest 1\nxyz 2 1 a/index.html\n", /* a key of the wrong size */
		"avoin-manifest 1\n- x 1 a/index.html\n",   /* no size */
		"avoin-manifest 1\n- 2 a/index.html\n",     /* no time */
		"avoin-manifest 9\n- 2 1 a/index.html\n",   /* another format */
		"avoin-manifest 1\n- 2 1 a/index.html",      /* truncated */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		full_build_of("bad");
		put("bad.cache/manifest", bad[i]);
		diag_list d = DIAG_LIST_INIT;
		output *o;
		char *out = xasprintf("%s/bad", top);
		CHECK(output_begin(&o, out, &d) == 0);
		CHECK(!output_incremental(o));
		CHECK(output_write(o, "x/index.html", "X", 1, &d) == 0);
		CHECK(output_commit(o, &d) == 0);
		CHECK(exists("bad/x/index.html") && !exists("bad/a/index.html"));
		free(out);
		diag_release(&d);
	}
}

static void a_file_and_a_folder_may_trade_places(void)
{
	full_build_of("trade");
	diag_list d = DIAG_LIST_INIT;
	output *o;
	char *out = xasprintf("%s/trade", top);
	CHECK(output_begin(&o, out, &d) == 0);
	CHECK(output_write(o, "b/index.html/x.html", "X", 1, &d) == 0); /* a file becomes a folder */
	CHECK(output_write(o, "c", "C", 1, &d) == 0);                   /* a folder becomes a file */
	CHECK(output_commit(o, &d) == 0);
	CHECK(d.errors == 0);
	char *s = slurp("trade", "b/index.html/x.html");
	CHECK_STR(s, "X");
	free(s);
	s = slurp("trade", "c");
	CHECK_STR(s, "C");
	free(s);
	free(out);
	diag_release(&d);
}

/* The file at path in ms as a string (freed by the caller), or NULL. */
static char *mem_text(memsite *ms, const char *path)
{
	memfile *f = memsite_get(ms, path);
	size_t len;
	char *t = f ? memfile_bytes(f, &len) : NULL;
	memfile_release(f);
	return t;
}

#define KEY_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define KEY_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static void a_site_in_memory_keeps_what_did_not_change(void)
{
	diag_list d = DIAG_LIST_INIT;
	memsite *ms = memsite_new();
	output *o = NULL;
	CHECK(output_begin_memory(&o, ms, NULL, &d) == 0);
	CHECK(output_keep(o, "a/index.html", KEY_A) == 0);       /* nothing to keep yet */
	CHECK(output_write_keyed(o, "a/index.html", KEY_A, "A1", 2, &d) == 0);
	CHECK(output_write(o, "b.css", "B", 1, &d) == 0);
	CHECK(output_write(o, "gone.txt", "G", 1, &d) == 0);
	CHECK(output_commit(o, &d) == 0);
	CHECK(memsite_count(ms) == 3);
	unsigned long g = memsite_generation(ms);
	memfile *held = memsite_get(ms, "gone.txt");             /* a reader still sending it */

	CHECK(output_begin_memory(&o, ms, NULL, &d) == 0);
	CHECK(output_known(o, "a/index.html", KEY_A) && output_intact(o, "a/index.html"));
	CHECK(!output_known(o, "a/index.html", KEY_B));
	CHECK(output_keep(o, "a/index.html", KEY_A) == 1);
	CHECK(output_write(o, "b.css", "B", 1, &d) == 0);       /* the same bytes */
	CHECK(output_write(o, "c.js", "C", 1, &d) == 0);        /* new */
	CHECK(output_count(o) == 3 && output_changed(o) == 1);
	CHECK(output_commit(o, &d) == 0);
	CHECK(memsite_generation(ms) == g + 1);
	char *t = mem_text(ms, "a/index.html");
	CHECK_STR(t, "A1");
	free(t);
	t = mem_text(ms, "c.js");
	CHECK_STR(t, "C");
	free(t);
	CHECK(memsite_get(ms, "gone.txt") == NULL);
	CHECK(memfile_raw_len(held) == 1 && memfile_data(held)[0] == 'G');
	memfile_release(held);
	size_t len;
	char *list = memsite_listing(ms, &len);
	CHECK_STR(list, "a/index.html 2\nb.css 1\nc.js 1\n");
	free(list);
	CHECK(d.errors == 0);
	memsite_free(ms);
	diag_release(&d);
}

static void a_failed_build_leaves_the_site_in_memory_as_it_was(void)
{
	diag_list d = DIAG_LIST_INIT;
	memsite *ms = memsite_new();
	output *o = NULL;
	CHECK(output_begin_memory(&o, ms, NULL, &d) == 0);
	CHECK(output_write(o, "x.html", "X", 1, &d) == 0);
	CHECK(output_commit(o, &d) == 0);
	CHECK(output_begin_memory(&o, ms, NULL, &d) == 0);
	CHECK(output_write(o, "x.html", "Y", 1, &d) == 0);
	output_abort(o);
	CHECK(output_begin_memory(&o, ms, NULL, &d) == 0);
	CHECK(output_write(o, "y.html", "1", 1, &d) == 0);
	CHECK(output_write(o, "y.html", "2", 1, &d) == 0);      /* one path twice */
	CHECK(output_write(o, "../z", "Z", 1, &d) != 0);        /* outside the site */
	CHECK(output_commit(o, &d) != 0);
	CHECK(d.errors == 2);
	char *t = mem_text(ms, "x.html");
	CHECK_STR(t, "X");
	free(t);
	CHECK(memsite_count(ms) == 1);
	memsite_free(ms);
	diag_release(&d);
}

static void a_site_in_memory_and_in_a_folder(void)
{
	diag_list d = DIAG_LIST_INIT;
	memsite *ms = memsite_new();
	char *out = xasprintf("%s/tee", top);
	output *o = NULL;
	for (int round = 0; round < 2; round++) {
		CHECK(output_begin_memory(&o, ms, out, &d) == 0);
		CHECK(output_write_keyed(o, "p/index.html", KEY_A, round ? "P2" : "P1", 2, &d) == 0);
		if (!round)
			CHECK(output_write(o, "old.txt", "O", 1, &d) == 0);
		CHECK(output_commit(o, &d) == 0);
	}
	char *disk = slurp("tee", "p/index.html"), *mem = mem_text(ms, "p/index.html");
	CHECK_STR(disk, "P2");
	CHECK_STR(mem, "P2");
	free(disk);
	free(mem);
	CHECK(!exists("tee/old.txt") && memsite_get(ms, "old.txt") == NULL);
	/* a page kept must be in both: a file deleted by hand is written again */
	CHECK(output_begin_memory(&o, ms, out, &d) == 0);
	CHECK(output_known(o, "p/index.html", KEY_A));
	char *p = xasprintf("%s/p/index.html", out);
	unlink(p);
	free(p);
	CHECK(output_keep(o, "p/index.html", KEY_A) == 0);
	output_abort(o);
	CHECK(d.errors == 0);
	free(out);
	memsite_free(ms);
	diag_release(&d);
}

/* Waits (5 s at most) until the file at path is packed in memory; 1 when it is. */
static int packed_soon(memsite *ms, const char *path)
{
	for (int i = 0; i < 500; i++) {
		memfile *f = memsite_get(ms, path);
		int z = f && memfile_packed(f);
		memfile_release(f);
		if (z)
			return 1;
		usleep(10000);
	}
	return 0;
}

static void a_packed_site_is_the_same_site(void)
{
	diag_list d = DIAG_LIST_INIT;
	memsite *ms = memsite_new();
	buf page = BUF_INIT;
	for (int i = 0; i < 200; i++)
		buf_printf(&page, "<p>Kappale %d, sama kuin muut.</p>\n", i);
	output *o = NULL;
	CHECK(output_begin_memory(&o, ms, NULL, &d) == 0);
	CHECK(output_write(o, "big.html", page.ptr, page.len, &d) == 0);
	CHECK(output_write(o, "small.txt", "S", 1, &d) == 0);
	CHECK(output_commit(o, &d) == 0);
	memsite_compact(ms);
	CHECK(packed_soon(ms, "big.html"));
	memfile *f = memsite_get(ms, "big.html");
	CHECK(f && memfile_len(f) < page.len / 4 && memfile_raw_len(f) == page.len);
	size_t len = 0;
	char *raw = f ? memfile_bytes(f, &len) : NULL;
	CHECK(raw && len == page.len && memcmp(raw, page.ptr, len) == 0);
	free(raw);
	memfile_release(f);
	f = memsite_get(ms, "small.txt");
	CHECK(f && !memfile_packed(f));
	memfile_release(f);
	/* the next build compares with the packed bytes: the same page is no change */
	CHECK(output_begin_memory(&o, ms, NULL, &d) == 0);
	CHECK(output_write(o, "big.html", page.ptr, page.len, &d) == 0);
	page.ptr[page.len - 3] = 'X';
	CHECK(output_write(o, "other.html", page.ptr, page.len, &d) == 0);
	CHECK(output_changed(o) == 1);
	CHECK(output_commit(o, &d) == 0);
	char *t = mem_text(ms, "other.html");
	CHECK(t && strcmp(t, page.ptr) == 0);
	free(t);
	memsite_compact(ms);
	memsite_free(ms);   /* stops the compactor */
	buf_release(&page);
	CHECK(d.errors == 0);
	diag_release(&d);
}

/* Page i of a site whose pages share their markup, as a theme's do; its own words differ. */
static void shared_markup_page(buf *b, int i)
{
	buf_truncate(b, 0);
	buf_puts(b, "<!DOCTYPE html><html lang=\"fi\"><head><meta charset=\"utf-8\">"
		"<link rel=\"stylesheet\" href=\"/tyyli.css\"></head><body><header class=\"sivu\">");
	for (int k = 0; k < 40; k++)
		buf_printf(b, "<li class=\"valikko\"><a href=\"/alue-%d/\">Hyvinvointialue %d</a></li>",
			k, k);
	buf_printf(b, "</header><main><h1>Asiakirja %d</h1>", i);
	for (int k = 0; k < 30; k++)
		buf_printf(b, "<p>Sivun %d kappale %d: %u.</p>", i, k,
			(unsigned)(i * 2654435761u + (unsigned)k * 40503u));
	buf_puts(b, "</main><footer>Avoin – yhteistyön asiakirjat</footer></body></html>\n");
}

/*
 * A site large enough for a dictionary: every page comes back byte for
 * byte, the site holds a small part of its size, and a page a reader still
 * holds reads back after the site is gone (it keeps the dictionary).
 */
static void a_large_site_is_packed_with_a_dictionary(void)
{
	diag_list d = DIAG_LIST_INIT;
	memsite *ms = memsite_new();
	output *o = NULL;
	buf page = BUF_INIT;
	size_t total = 0;
	char path[64];
	CHECK(output_begin_memory(&o, ms, NULL, &d) == 0);
	for (int i = 0; i < 400; i++) {
		shared_markup_page(&page, i);
		snprintf(path, sizeof path, "s%03d/index.html", i);
		CHECK(output_write(o, path, page.ptr, page.len, &d) == 0);
		total += page.len;
	}
	CHECK(output_commit(o, &d) == 0);
	memsite_compact(ms);
	CHECK(packed_soon(ms, "s399/index.html"));
	size_t packed = 0, held = memsite_held(ms, &packed);
	CHECK(packed == 400 && held < total / 8);
	for (int i = 0; i < 400; i += 57) {
		shared_markup_page(&page, i);
		snprintf(path, sizeof path, "s%03d/index.html", i);
		char *t = mem_text(ms, path);
		CHECK(t && strcmp(t, page.ptr) == 0);
		free(t);
	}
	memfile *kept = memsite_get(ms, "s123/index.html");
	memsite_free(ms);
	size_t len = 0;
	char *raw = memfile_bytes(kept, &len);
	shared_markup_page(&page, 123);
	CHECK(raw && len == page.len && memcmp(raw, page.ptr, len) == 0);
	free(raw);
	memfile_release(kept);
	buf_release(&page);
	CHECK(d.errors == 0);
	diag_release(&d);
}

/*
 * A build that writes more than the samples hold: the writer whose piece
 * fills them trains the dictionary, and the files written after it are
 * packed as they are written, before any compactor runs; every file reads
 * back as written.
 */
static void a_build_packs_as_it_writes_once_trained(void)
{
	diag_list d = DIAG_LIST_INIT;
	memsite *ms = memsite_new();
	output *o = NULL;
	buf page = BUF_INIT;
	char path[64];
	int n = 0;
	size_t written = 0;
	CHECK(output_begin_memory(&o, ms, NULL, &d) == 0);
	while (written < PACK_SPAN + (8u << 20)) {   /* a sixth more than the samples' span */
		shared_markup_page(&page, n);
		snprintf(path, sizeof path, "p%05d/index.html", n++);
		CHECK(output_write(o, path, page.ptr, page.len, &d) == 0);
		written += page.len;
	}
	CHECK(output_commit(o, &d) == 0);
	memfile *first = memsite_get(ms, "p00000/index.html");
	snprintf(path, sizeof path, "p%05d/index.html", n - 1);
	memfile *last = memsite_get(ms, path);
	CHECK(first && !memfile_packed(first));
	CHECK(last && memfile_packed(last) && memfile_len(last) < memfile_raw_len(last) / 8);
	memfile_release(first);
	memfile_release(last);
	for (int i = 0; i < n; i += 997) {
		shared_markup_page(&page, i);
		snprintf(path, sizeof path, "p%05d/index.html", i);
		char *t = mem_text(ms, path);
		CHECK(t && strcmp(t, page.ptr) == 0);
		free(t);
	}
	memsite_free(ms);
	buf_release(&page);
	CHECK(d.errors == 0);
	diag_release(&d);
}

int main(void)
{
	if (!mkdtemp(top)) {
		printf("cannot make a temporary folder\n");
		return 1;
	}
	RUN(first_build_moves_staging_in_place);
	RUN(second_build_replaces_the_whole_site);
	RUN(abort_leaves_the_previous_site_untouched);
	RUN(paths_outside_the_output_are_refused);
	RUN(unwritable_output_is_an_error);
	RUN(rebuild_writes_only_what_changed);
	RUN(kept_pages_need_the_same_key_and_the_file);
	RUN(incremental_abort_leaves_the_site_untouched);
	RUN(a_bad_manifest_means_a_full_build);
	RUN(a_file_and_a_folder_may_trade_places);
	RUN(a_site_in_memory_keeps_what_did_not_change);
	RUN(a_failed_build_leaves_the_site_in_memory_as_it_was);
	RUN(a_site_in_memory_and_in_a_folder);
	RUN(a_packed_site_is_the_same_site);
	RUN(a_large_site_is_packed_with_a_dictionary);
	RUN(a_build_packs_as_it_writes_once_trained);
	remove_tree(top);
	return test_summary();
}
