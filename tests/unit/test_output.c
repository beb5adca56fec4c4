/* Unit tests of output: staging folder, atomic swap, abort leaves the old site. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "output.h"
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
	remove_tree(top);
	return test_summary();
}
