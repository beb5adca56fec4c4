#ifndef AVOIN_CALENDAR_H
#define AVOIN_CALENDAR_H
/*
 * The dates records give, as calendars (RFC 5545) and as the upcoming
 * deadlines: partnership groups' `next_meetings`, negotiations' `next`,
 * outcomes' `due` and minutes' meeting dates. A calendar per site language
 * for the site, each region, each municipality (what its page lists), each
 * theme and each partnership group (its own meetings); the deadlines
 * (outcomes due and negotiations to come, from the built commit's date on)
 * as a page and an Atom feed.
 *
 * A calendar holds what is to come and the past year: the events from the
 * first day of the month a year before the built commit's date on
 * (calendar_since), and at least the 20 newest before that, so that a
 * subscribed calendar stays the size people use (the bench corpus's site
 * calendar was 6 MB and 9,000 events with every minutes' meeting since 2019)
 * and a quiet one still shows its latest meetings; the whole record is in the
 * open data and on the pages. It changes at a month's turn, not every day.
 *
 * A calendar holds what is to come and the past year: the events from the
 * first day of the month a year before the built commit's date on
 * (calendar_since), and at least the 20 newest before that, so that a
 * subscribed calendar stays the size people use (the bench corpus's site
 * calendar was 6 MB and 9,000 events with every minutes' meeting since 2019)
 * and a quiet one still shows its latest meetings; the whole record is in the
 * open data and on the pages. It changes at a month's turn, not every day.
 *
 * An event's UID is made of its record's path, its kind and date (and an
 * outcome's number), so that a calendar application updates an event rather
 * than adding it twice; its DTSTAMP is the time of the commit that last
 * changed the record, never the clock, so a commit elsewhere leaves a
 * calendar byte-identical. A meeting without a time is an all-day event; one
 * with a time ("2025-03-12 14:00", "2025-03-12 14:00-16:00") is in Finnish
 * time (Europe/Helsinki, whose rules the calendar carries).
 */
#include "buf.h"
#include "diag.h"
#include "page.h"
#include "value.h"

/* Every calendar of the site in every language, and the deadlines' page and feed. 0 or -1. */
int calendar_write(const pages_env *e, diag_list *d);
/*
 * What a page's subscribe links need for the calendar of the page at url
 * ("/", a region's, a municipality's, a theme's, a partnership group's) in
 * lang: href (from the root), webcal (the address after "webcal://", when
 * the site has a base_url) and title.
 */
value *calendar_links(const pages_env *e, const char *lang, const char *url);

/* The first day a calendar holds, for a build on today ("2026-12-07" -> "2025-12-01"); NULL: all. */
const char *calendar_since(const char *today, char out[11]);

/* The first day a calendar holds, for a build on today ("2026-12-07" -> "2025-12-01"); NULL: all. */
const char *calendar_since(const char *today, char out[11]);

/* ---- the format, for the tests ---- */
/* One content line: folded at 75 octets (never inside a UTF-8 character), ended by CRLF. */
void ics_put_line(buf *out, const char *line, size_t len);
/* A TEXT value (RFC 5545 3.3.11): \\, \; \, and \n escaped; other control characters dropped. */
void ics_put_text(buf *out, const char *s);
#endif
