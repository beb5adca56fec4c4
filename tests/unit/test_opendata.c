/*
 * The formats the open data and calendars are written in: RFC 5545 content
 * lines (folding, TEXT escaping), RFC 4180 CSV fields (quoting, formulas made
 * inert), and the meeting times records may give.
 */
#include <string.h>

#include "buf.h"
#include "calendar.h"
#include "opendata.h"
#include "test.h"
#include "util.h"

static void lines_fold_at_75_octets_never_inside_a_character(void)
{
	buf b = BUF_INIT, line = BUF_INIT;
	for (int i = 0; i < 30; i++)
		buf_puts(&line, "ä€x");          /* 2 + 3 + 1 octets */
	ics_put_line(&b, line.ptr, line.len);
	/* every physical line at most 75 octets, continuation lines start with a space */
	size_t start = 0, lines = 0;
	for (size_t i = 0; i + 1 < b.len; i++) {
		if (b.ptr[i] != '\r' || b.ptr[i + 1] != '\n')
			continue;
		CHECK(i - start <= 75);
		if (lines++)
			CHECK(b.ptr[start] == ' ');
		/* the octet before the break ends a character */
		CHECK(((unsigned char)b.ptr[i - 1] & 0xC0) != 0xC0);
		start = i + 2;
	}
	CHECK(start == b.len);
	CHECK(lines >= 3);
	/* unfolded, it is the line again */
	buf un = BUF_INIT;
	for (size_t i = 0; i < b.len; i++) {
		if (b.ptr[i] == '\r' && i + 2 < b.len && b.ptr[i + 2] == ' ') {
			i += 2;
			continue;
		}
		if (b.ptr[i] == '\r')
			break;
		buf_putc(&un, b.ptr[i]);
	}
	CHECK(un.len == line.len && memcmp(un.ptr, line.ptr, line.len) == 0);
	buf_release(&un);
	buf_release(&b);
	buf_release(&line);
}

static void text_values_escape_what_rfc5545_says(void)
{
	buf b = BUF_INIT;
	ics_put_text(&b, "a;b,c\\d\ne\rf\x01g");
	CHECK_STR(b.ptr, "a\\;b\\,c\\\\d\\nef" "g");
	buf_release(&b);
}

static void csv_fields_are_quoted_and_formulas_inert(void)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "plain", "plain" },
		{ "", "" },
		{ "a,b", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "two\nlines", "\"two\nlines\"" },
		{ "=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"" },
		{ "+1", "\"'+1\"" },
		{ "-2", "\"'-2\"" },
		{ "@SUM(A1)", "\"'@SUM(A1)\"" },
		{ "\tx", "\"'\tx\"" },
		{ "a=b", "a=b" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		buf b = BUF_INIT;
		csv_put_cell(&b, cases[i].in, strlen(cases[i].in));
		CHECK_STR(b.ptr ? b.ptr : "", cases[i].out);
		buf_release(&b);
	}
}

static void meetings_are_dates_with_a_time_where_known(void)
{
	char d[11], s[6], e[6];
	CHECK(meeting_when_parse("2025-03-12", d, s, e) && !strcmp(d, "2025-03-12") && !s[0] && !e[0]);
	CHECK(meeting_when_parse("2025-03-12 14:00", d, s, e) && !strcmp(s, "14:00") && !e[0]);
	CHECK(meeting_when_parse("2025-03-12 09:30-11:00", d, s, e) && !strcmp(s, "09:30") &&
		!strcmp(e, "11:00"));
	static const char *const bad[] = { "2025-02-30", "2025-03-12 25:00", "2025-03-12 14:00-13:00",
		"2025-03-12T14:00", "2025-03-12 14:0", "12.3.2025", "", "2025-03-12 14:00-", };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK(!meeting_when_parse(bad[i], d, s, e));
}

static void calendars_start_a_year_back_at_a_months_turn(void)
{
	char out[11];
	CHECK_STR(calendar_since("2026-12-07", out), "2025-12-01");
	CHECK_STR(calendar_since("2024-01-31", out), "2023-01-01");
	CHECK(calendar_since("", out) == NULL);
	CHECK(calendar_since(NULL, out) == NULL);
}

int main(void)
{
	RUN(lines_fold_at_75_octets_never_inside_a_character);
	RUN(text_values_escape_what_rfc5545_says);
	RUN(csv_fields_are_quoted_and_formulas_inert);
	RUN(meetings_are_dates_with_a_time_where_known);
	RUN(calendars_start_a_year_back_at_a_months_turn);
	return test_summary();
}
