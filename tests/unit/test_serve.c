/*
 * The preview's pieces that need no server: the request path check
 * (webpath.c) and the types it gives, and the inotify watcher (watch.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "output.h"
#include "test.h"
#include "util.h"
#include "watch.h"
#include "webpath.h"

static webpath_kind resolve(const char *url, char *out)
{
	return webpath_resolve(url, out, WEBPATH_MAX + 16);
}

static void paths_map_to_the_site(void)
{
	char out[WEBPATH_MAX + 16];
	CHECK(resolve("/", out) == WEBPATH_FOLDER);
	CHECK_STR(out, "index.html");
	CHECK(resolve("/kainuu/x/", out) == WEBPATH_FOLDER);
	CHECK_STR(out, "kainuu/x/index.html");
	CHECK(resolve("/static/style.css", out) == WEBPATH_FILE);
	CHECK_STR(out, "static/style.css");
	CHECK(resolve("/kainuu/liitteet/liite%20%C3%A4.pdf", out) == WEBPATH_FILE);
	CHECK_STR(out, "kainuu/liitteet/liite \xc3\xa4.pdf");
	CHECK(resolve("/kainuu/kunnat/kajaani", out) == WEBPATH_FILE);
	CHECK_STR(out, "kainuu/kunnat/kajaani");
}

static void what_leaves_the_site_is_refused(void)
{
	static const char *bad[] = {
		"/..", "/../etc/passwd", "/a/../../etc/passwd", "/%2e%2e/etc/passwd",
		"/%2E%2E/etc/passwd", "/a/%2e%2e/%2e%2e/x", "/..%2fetc", "/a%2Fb", "/a%00b",
		"/a\\..\\b", "/a%5c..%5cb", "//etc/passwd", "/a//b", "/./x", "/a/./x", "/.git/config",
		"/a/.hidden", "/%", "/%4", "/%zz", "/a%0d%0aSet-Cookie:x", "/\x01", "/%7f",
		"/%C0%AE%C0%AE/x", "/%ff", "relative", "",
	};
	char out[WEBPATH_MAX + 16];
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		webpath_kind k = resolve(bad[i], out);
		if (k != WEBPATH_BAD)
			printf("  accepted: '%s'\n", bad[i]);
		CHECK(k == WEBPATH_BAD);
	}
}

static void long_paths_are_refused_and_a_small_buffer_too(void)
{
	char out[WEBPATH_MAX + 16];
	char *url = xmalloc(WEBPATH_MAX + 2);
	url[0] = '/';
	memset(url + 1, 'a', WEBPATH_MAX);
	url[WEBPATH_MAX + 1] = '\0';
	CHECK(resolve(url, out) == WEBPATH_TOO_LONG);
	url[WEBPATH_MAX] = '\0';
	CHECK(resolve(url, out) == WEBPATH_FILE);
	free(url);
	char small[16];
	CHECK(webpath_resolve("/", small, sizeof small) == WEBPATH_BAD);
}

static void types_by_extension(void)
{
	CHECK_STR(webpath_type("a/index.html"), "text/html; charset=utf-8");
	CHECK_STR(webpath_type("kalenteri.ics"), "text/calendar; charset=utf-8");
	CHECK_STR(webpath_type("x.csv"), "text/csv; charset=utf-8");
	CHECK_STR(webpath_type("x.json"), "application/json");
	CHECK_STR(webpath_type("x.bin"), "application/octet-stream");
	CHECK_STR(webpath_type("html"), "application/octet-stream");
}

static int put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static void count_call(void *arg)
{
	(*(int *)arg)++;
}

static void the_watcher_sees_changes_under_a_tree(void)
{
	char dir[] = "/tmp/avoin-test-watch-XXXXXX";
	if (!mkdtemp(dir))
		SKIP("no temporary folder");
	watch *w = watch_new();
	if (!w) {
		rmdir(dir);
		SKIP("no inotify");
	}
	char *sub = xasprintf("%s/a", dir), *file = xasprintf("%s/a/x.md", dir),
	     *swp = xasprintf("%s/a/.x.md.swp", dir), *newdir = xasprintf("%s/a/b", dir),
	     *deep = xasprintf("%s/a/b/y.md", dir);
	CHECK(mkdir(sub, 0755) == 0);
	CHECK(watch_add(w, dir, 1, 4) == 0);
	int seen = 0;
	watch_on_change(w, count_call, &seen);
	CHECK(watch_wait(w, -1, 10, 50) == 0);              /* nothing yet */
	CHECK(put_file(swp, "s") == 0);
	CHECK(watch_wait(w, -1, 10, 100) == 0);             /* an editor's swap file */
	CHECK(seen == 0);
	CHECK(put_file(file, "x") == 0);
	CHECK(put_file(file, "xx") == 0);
	CHECK(watch_wait(w, -1, 10, 1000) == 4);            /* a file in a folder below */
	CHECK(seen == 1);                                   /* told once, at the first change */
	CHECK(mkdir(newdir, 0755) == 0);
	CHECK(watch_wait(w, -1, 10, 1000) == 4);            /* a new folder ... */
	CHECK(put_file(deep, "y") == 0);
	CHECK(watch_wait(w, -1, 10, 1000) == 4);            /* ... is watched too */
	int fds[2];
	CHECK(pipe(fds) == 0);
	CHECK(write(fds[1], "x", 1) == 1);
	CHECK(watch_wait(w, fds[0], 10, 1000) == 0);        /* stop */
	close(fds[0]);
	close(fds[1]);
	watch_free(w);
	remove_tree(dir);
	free(sub);
	free(file);
	free(swp);
	free(newdir);
	free(deep);
}

int main(void)
{
	RUN(paths_map_to_the_site);
	RUN(what_leaves_the_site_is_refused);
	RUN(long_paths_are_refused_and_a_small_buffer_too);
	RUN(types_by_extension);
	RUN(the_watcher_sees_changes_under_a_tree);
	return test_summary();
}
