/* Unit tests of the basic modules: buf, value, diag, util. */
#include <stdlib.h>

#include "buf.h"
#include "diag.h"
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

int main(void)
{
	RUN(buf_grows_and_stays_terminated);
	RUN(buf_escapes_html);
	RUN(value_map_keeps_order_and_replaces);
	RUN(value_numbers_print_shortest);
	RUN(value_truthiness);
	RUN(diag_sorts_and_formats);
	RUN(util_slugs_and_dates);
	return test_summary();
}
