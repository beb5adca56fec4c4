#ifndef AVOIN_TEST_H
#define AVOIN_TEST_H
/*
 * A minimal unit-test harness. Each test is a function; a test passes when
 * none of its CHECKs failed. main() runs them with RUN() and ends with
 * test_summary(), which prints the line tests/run.sh reads:
 *   N passed, M failed, K skipped
 */
#include <stdio.h>
#include <string.h>

static int test_passed, test_failed, test_skipped;
static int test_cur_failed, test_cur_skipped;
static const char *test_cur_name;

#define CHECK(cond) do { \
	if (!(cond)) { \
		test_cur_failed = 1; \
		printf("  %s:%d: %s: check failed: %s\n", __FILE__, __LINE__, test_cur_name, #cond); \
	} \
} while (0)

#define CHECK_STR(got, want) do { \
	const char *g_ = (got), *w_ = (want); \
	if (!g_ || !w_ || strcmp(g_, w_) != 0) { \
		test_cur_failed = 1; \
		printf("  %s:%d: %s: got  '%s'\n  %*s  want '%s'\n", __FILE__, __LINE__, test_cur_name, \
			g_ ? g_ : "(null)", (int)strlen(__FILE__) + 8, "", w_ ? w_ : "(null)"); \
	} \
} while (0)

#define CHECK_CONTAINS(hay, needle) do { \
	const char *h_ = (hay), *n_ = (needle); \
	if (!h_ || !strstr(h_, n_)) { \
		test_cur_failed = 1; \
		printf("  %s:%d: %s: '%s' not found in:\n%s\n", __FILE__, __LINE__, test_cur_name, n_, h_ ? h_ : "(null)"); \
	} \
} while (0)

#define CHECK_NOT_CONTAINS(hay, needle) do { \
	const char *h_ = (hay), *n_ = (needle); \
	if (h_ && strstr(h_, n_)) { \
		test_cur_failed = 1; \
		printf("  %s:%d: %s: '%s' unexpectedly found in:\n%s\n", __FILE__, __LINE__, test_cur_name, n_, h_); \
	} \
} while (0)

/* Marks the running test as skipped (with a reason) instead of passed. */
#define SKIP(why) do { test_cur_skipped = 1; printf("skip %s: %s\n", test_cur_name, (why)); return; } while (0)

static inline void test_run(const char *name, void (*fn)(void))
{
	test_cur_name = name;
	test_cur_failed = test_cur_skipped = 0;
	fn();
	if (test_cur_skipped && !test_cur_failed) {
		test_skipped++;
	} else if (test_cur_failed) {
		test_failed++;
		printf("not ok %s\n", name);
	} else {
		test_passed++;
		printf("ok %s\n", name);
	}
}
#define RUN(fn) test_run(#fn, fn)

/* Counts a named check that is not a C function (e.g. one spec case). */
static inline void test_record(const char *name, int ok, int skipped)
{
	if (skipped) {
		test_skipped++;
	} else if (ok) {
		test_passed++;
		printf("ok %s\n", name);
	} else {
		test_failed++;
		printf("not ok %s\n", name);
	}
}

static inline int test_summary(void)
{
	printf("%d passed, %d failed, %d skipped\n", test_passed, test_failed, test_skipped);
	return test_failed ? 1 : 0;
}

#endif
