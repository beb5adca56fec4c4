/* Calendars of the dates records give, and the upcoming deadlines (calendar.h). */
#include "calendar.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "output.h"
#include "repo.h"
#include "theme.h"
#include "urls.h"
#include "util.h"
#include "banned.h"

#define ICS_LINE_MAX 75
#define TZID "Europe/Helsinki"
/* A calendar keeps at least this many events before its first day (calendar_since). */
#define CAL_PAST_MIN 20
/* The deadlines' feed shows this many, the soonest first. */
#define DEADLINES_FEED_MAX 100

typedef enum ev_kind { EV_MEETING, EV_NEGOTIATION, EV_DUE, EV_MINUTES } ev_kind;
static const char *const ev_names[] = { "meeting", "negotiation", "due", "minutes" };

typedef struct event {
	const record *r;
	ev_kind kind;
	char date[11], start[6], end[6];
	size_t n;                /* an outcome's number (1-based), else 0 */
	const value *outcome;    /* EV_DUE */
} event;

typedef struct events {
	event *v;
	size_t n, cap;
} events;

/* ---- the format ---- */

void ics_put_line(buf *out, const char *line, size_t len)
{
	/* each physical line up to 75 octets (a continuation's space counts), cut before a
	 * character's first octet */
	for (size_t i = 0, room = ICS_LINE_MAX; i < len; room = ICS_LINE_MAX - 1) {
		size_t n = len - i <= room ? len - i : room;
		if (i + n < len)
			while (n > 0 && ((unsigned char)line[i + n] & 0xC0) == 0x80)
				n--;
		if (i)
			buf_puts(out, "\r\n ");
		buf_put(out, line + i, n);
		i += n;
	}
	buf_puts(out, "\r\n");
}

void ics_put_text(buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		const unsigned char *q = p;
		while (*q && *q != '\\' && *q != ';' && *q != ',' && *q >= 0x20 && *q != 0x7F)
			q++;
		buf_put(out, p, (size_t)(q - p));
		if (!*q)
			break;
		if (*q == '\n')
			buf_puts(out, "\\n");
		else if (*q == '\\' || *q == ';' || *q == ',')
			buf_printf(out, "\\%c", *q);
		p = q + 1;
	}
}

/* ---- the events ---- */

static void add_event(events *ev, const record *r, ev_kind kind, const char *when, size_t n,
	const value *outcome)
{
	event e = { .r = r, .kind = kind, .n = n, .outcome = outcome };
	if (!when || !meeting_when_parse(when, e.date, e.start, e.end))
		return;
	ev->v = xgrow(ev->v, sizeof(event), ev->n + 1, &ev->cap);
	ev->v[ev->n++] = e;
}

static int cmp_event(const void *a, const void *b)
{
	const event *x = a, *y = b;
	int c = strcmp(x->date, y->date);
	if (!c)
		c = strcmp(x->start, y->start);
	if (!c)
		c = strcmp(x->r->path, y->r->path);
	if (!c)
		c = (int)x->kind - (int)y->kind;
	if (!c)
		c = x->n < y->n ? -1 : x->n > y->n;
	return c;
}

/* Every published record's dates, by date, time, path, kind and number. */
static void collect_events(const site *s, events *ev)
{
	for (size_t i = 0; i < s->n_records; i++) {
		const record *r = s->records[i];
		if (r->draft)
			continue;
		if (r->type == REC_PARTNERSHIP) {
			const value *nm = value_map_get(r->meta, "next_meetings");
			for (size_t k = 0; k < value_len(nm); k++)
				if (value_at(nm, k)->kind == VAL_STRING)
					add_event(ev, r, EV_MEETING, value_at(nm, k)->u.str.ptr, k + 1, NULL);
		} else if (r->type == REC_NEGOTIATION) {
			add_event(ev, r, EV_NEGOTIATION, value_map_str(r->meta, "next"), 0, NULL);
			const value *ov = value_map_get(r->meta, "outcomes");
			for (size_t k = 0; k < value_len(ov); k++)
				add_event(ev, r, EV_DUE, value_map_str(value_at(ov, k), "due"), k + 1,
					value_at(ov, k));
		} else if (r->type == REC_MINUTES) {
			add_event(ev, r, EV_MINUTES, r->date, 0, NULL);
		}
	}
	if (ev->n)
		qsort(ev->v, ev->n, sizeof(event), cmp_event);
}

/* A calendar: the page it belongs to and which events it holds. */
typedef struct cal_scope {
	char *url;                   /* "/", a region's, a municipality's, a theme's, a group's page */
	const region *g;
	const record *muni;
	const theme_def *theme;
	const record *group;
	size_t *ev;                  /* its events, by index, in order */
	size_t n_ev, cap_ev;
	int timed;                   /* one of them has a time: the calendar carries the time zone */
} cal_scope;

static void scope_add(cal_scope *sc, const events *ev, size_t i)
{
	if (sc->n_ev && sc->ev[sc->n_ev - 1] == i)
		return;
	sc->ev = xgrow(sc->ev, sizeof(size_t), sc->n_ev + 1, &sc->cap_ev);
	sc->ev[sc->n_ev++] = i;
	sc->timed |= ev->v[i].start[0] != '\0';
}

/* ---- writing a calendar ---- */

typedef struct cal_ctx {
	const pages_env *e;
	const char *lang;
	const value *t;
	const char *host;            /* for UIDs: base_url's host, else "avoin" */
	buf line, tmp;
} cal_ctx;

static void put_prop(cal_ctx *c, buf *out, const char *name, const char *text)
{
	buf_reset(&c->line);
	buf_puts(&c->line, name);
	buf_putc(&c->line, ':');
	ics_put_text(&c->line, text);
	ics_put_line(out, c->line.ptr, c->line.len);
}

static void put_raw(cal_ctx *c, buf *out, const char *fmt_name, const char *text)
{
	buf_reset(&c->line);
	buf_printf(&c->line, "%s:%s", fmt_name, text);
	ics_put_line(out, c->line.ptr, c->line.len);
}

/* "20250312" of "2025-03-12" (and the day after it, when next). */
static void compact_date(buf *out, const char *iso, int next)
{
	buf d = BUF_INIT;
	if (next)
		format_date(&d, (int64_t)(iso_days(iso) + 1) * 86400, 0);
	else
		buf_puts(&d, iso);
	for (size_t i = 0; i < d.len; i++)
		if (d.ptr[i] != '-')
			buf_putc(out, d.ptr[i]);
	buf_release(&d);
}

static int64_t built_time(const cal_ctx *c)
{
	int64_t t;
	int off;
	pages_built_time(c->e, &t, &off);
	return t;
}

/* The commit that last changed r, as a UTC stamp; the built commit's when none did. */
static void put_stamp(cal_ctx *c, buf *out, const record *r)
{
	int64_t t = r->last_change ? r->last_change->time : built_time(c);
	buf_reset(&c->tmp);
	format_rfc3339(&c->tmp, t, 0);
	buf_reset(&c->line);
	buf_puts(&c->line, "DTSTAMP:");
	for (size_t i = 0; i < c->tmp.len; i++)
		if (c->tmp.ptr[i] != '-' && c->tmp.ptr[i] != ':')
			buf_putc(&c->line, c->tmp.ptr[i]);
	ics_put_line(out, c->line.ptr, c->line.len);
}

static void put_when(cal_ctx *c, buf *out, const event *ev)
{
	for (int end = 0; end < 2; end++) {
		const char *hhmm = end ? ev->end : ev->start;
		buf_reset(&c->line);
		if (!ev->start[0]) {
			buf_puts(&c->line, end ? "DTEND;VALUE=DATE:" : "DTSTART;VALUE=DATE:");
			compact_date(&c->line, ev->date, end);
		} else if (hhmm[0]) {
			buf_puts(&c->line, end ? "DTEND;TZID=" TZID ":" : "DTSTART;TZID=" TZID ":");
			compact_date(&c->line, ev->date, 0);
			buf_printf(&c->line, "T%.2s%.2s00", hhmm, hhmm + 3);
		} else {
			continue;   /* a start time alone: the event ends where it starts (RFC 5545) */
		}
		ics_put_line(out, c->line.ptr, c->line.len);
	}
}

/* A record's title in lang (its translation's), and its page there as an absolute URL or NULL. */
static const char *title_in(const record *r, const char *lang)
{
	const record *tr = record_in_lang(r, lang);
	return tr ? tr->title : r->title;
}

static char *page_abs(const pages_env *e, const record *r, const char *lang)
{
	if (!e->s->base_url || !*e->s->base_url)
		return NULL;
	char *placed = pages_place(e, lang, r->url);
	char *abs = url_absolute(e->s->base_url, placed);
	free(placed);
	return abs;
}

/* What an event is called in lang: "Määräaika: <action>", "Kumppanuusryhmän kokous: <title>". */
static void event_summary(cal_ctx *c, const event *ev, buf *out)
{
	const char *title = title_in(ev->r, c->lang);
	if (ev->kind == EV_DUE) {
		const char *action = value_map_str(ev->outcome, "action");
		buf_printf(out, "%s: %s", pages_tr(c->t, "cal_due"), action ? action : title);
	} else if (ev->kind == EV_MINUTES && value_map_str(ev->r->meta, "body")) {
		/* the organ, unless the title names it already */
		const char *body = value_map_str(ev->r->meta, "body");
		if (str_has_prefix(title, body))
			buf_puts(out, title);
		else
			buf_printf(out, "%s: %s", body, title);
	} else {
		buf_printf(out, "%s: %s", pages_tr2(c->t, "cal_", ev_names[ev->kind], &c->tmp), title);
	}
}

/* An outcome's record, owner and status; a meeting's or negotiation's summary in lang. */
static void event_description(cal_ctx *c, const event *ev, buf *out)
{
	const record *tr = record_in_lang(ev->r, c->lang);
	const char *summary = tr && tr->summary ? tr->summary : ev->r->summary;
	/* a meeting that minutes record is told by its organ and title (SUMMARY) and its page */
	if (ev->kind == EV_MINUTES)
		return;
	if (ev->kind != EV_DUE) {
		buf_puts(out, summary ? summary : "");
		return;
	}
	buf_puts(out, title_in(ev->r, c->lang));
	const char *owner = value_map_str(ev->outcome, "owner");
	if (owner)
		buf_printf(out, "\n%s: %s", pages_tr(c->t, "owner"), owner);
	const char *st = value_map_str(ev->outcome, "status");
	if (st)
		buf_printf(out, "\n%s: %s", pages_tr(c->t, "status"),
			pages_tr2(c->t, "outcome_", st, &c->tmp));
}

static void put_uid(cal_ctx *c, buf *out, const event *ev)
{
	buf_reset(&c->line);
	buf_printf(&c->line, "UID:%s-%s", ev_names[ev->kind], ev->date);
	if (ev->n)
		buf_printf(&c->line, "-%zu", ev->n);
	/* the record's path: slugs and '/', nothing to escape */
	buf_printf(&c->line, "-%.*s@%s", (int)(strlen(ev->r->path) - 3), ev->r->path, c->host);
	ics_put_line(out, c->line.ptr, c->line.len);
}

static void put_event(cal_ctx *c, buf *out, const event *ev)
{
	buf text = BUF_INIT;
	buf_puts(out, "BEGIN:VEVENT\r\n");
	put_uid(c, out, ev);
	put_stamp(c, out, ev->r);
	put_when(c, out, ev);
	event_summary(c, ev, &text);
	put_prop(c, out, "SUMMARY", text.ptr ? text.ptr : "");
	buf_reset(&text);
	event_description(c, ev, &text);
	if (text.len)
		put_prop(c, out, "DESCRIPTION", text.ptr);
	put_prop(c, out, "CATEGORIES", pages_tr2(c->t, "type_", record_type_name(ev->r->type), &c->tmp));
	char *abs = page_abs(c->e, ev->r, c->lang);
	if (abs)
		put_raw(c, out, "URL", abs);
	free(abs);
	const char *st = ev->outcome ? value_map_str(ev->outcome, "status") : NULL;
	if (st && strcmp(st, "cancelled") == 0)
		put_raw(c, out, "STATUS", "CANCELLED");
	/* a deadline does not make anyone busy (OPAQUE, busy, is the default) */
	if (ev->kind == EV_DUE)
		put_raw(c, out, "TRANSP", "TRANSPARENT");
	buf_puts(out, "END:VEVENT\r\n");
	buf_release(&text);
}

static const char vtimezone[] =
	"BEGIN:VTIMEZONE\r\nTZID:" TZID "\r\n"
	"BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0300\r\nTZNAME:EEST\r\n"
	"DTSTART:19700329T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
	"BEGIN:STANDARD\r\nTZOFFSETFROM:+0300\r\nTZOFFSETTO:+0200\r\nTZNAME:EET\r\n"
	"DTSTART:19701025T040000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n"
	"END:VTIMEZONE\r\n";

/* The scope's name in lang, for the calendar's name. */
static const char *scope_name(const cal_ctx *c, const cal_scope *sc)
{
	if (sc->group)
		return title_in(sc->group, c->lang);
	if (sc->theme)
		return theme_name(sc->theme, c->lang);
	if (sc->muni)
		return pages_name(sc->muni, c->lang);
	if (sc->g)
		return pages_region_name(sc->g, c->lang);
	return c->e->s->title;
}

/*
 * Each event as its calendars show it in one language: rendered when the
 * first calendar that holds it is written, then copied into the others.
 */
typedef struct ev_texts {
	buf text;
	size_t *off, *len;           /* event i: text[off[i], off[i] + len[i]); off SIZE_MAX: not yet */
} ev_texts;

static const char *event_text(cal_ctx *c, const events *ev, ev_texts *et, size_t i, size_t *len)
{
	if (et->off[i] == SIZE_MAX) {
		et->off[i] = et->text.len;
		put_event(c, &et->text, &ev->v[i]);
		et->len[i] = et->text.len - et->off[i];
	}
	*len = et->len[i];
	return et->text.ptr + et->off[i];
}

/*
 * A calendar's key: its language, page and first day, and of each event what
 * it shows beyond the front matter and summaries (in page_base): its record,
 * kind, date and time, and the commit that last changed the record and its
 * translation (its DTSTAMP, its title in the language). 0 when keys are off.
 */
static int calendar_key(cal_ctx *c, const cal_scope *sc, const events *ev, const char *since,
	char key[41])
{
	if (!c->e->page_base)
		return 0;
	buf b = BUF_INIT;
	buf_printf(&b, "calendar 1\n%s\n%s\n%s\n", c->lang, sc->url, since ? since : "");
	for (size_t k = 0; k < sc->n_ev; k++) {
		const event *e = &ev->v[sc->ev[k]];
		const record *tr = record_in_lang(e->r, c->lang);
		const history_commit *lc = e->r->last_change, *tc = tr ? tr->last_change : NULL;
		buf_printf(&b, "%s %d %s %s %s %zu %s %s\n", e->r->path, (int)e->kind, e->date, e->start,
			e->end, e->n, lc ? lc->id : "-", tc ? tc->id : "-");
	}
	pages_key(c->e, &b, key);
	buf_release(&b);
	return 1;
}

static int write_calendar(cal_ctx *c, const cal_scope *sc, const events *ev, ev_texts *et,
	const char *since, buf *out, diag_list *d)
{
	char key[41], *url = url_calendar(sc->url), *path = pages_out_path(c->e, c->lang, url);
	int keyed = calendar_key(c, sc, ev, since, key), ret = 0;
	free(url);
	if (keyed && output_keep(c->e->out, path, key)) {
		free(path);
		return 0;
	}
	buf name = BUF_INIT;
	buf_reset(out);
	buf_puts(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
	buf_printf(out, "PRODID:-//Avoin//Avoin//%c%c\r\n", c->lang[0] - 32, c->lang[1] - 32);
	buf_puts(out, "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n");
	buf_printf(&name, "%s: %s", pages_tr(c->t, "cal_title"), scope_name(c, sc));
	put_prop(c, out, "NAME", name.ptr);
	put_prop(c, out, "X-WR-CALNAME", name.ptr);
	buf_puts(out, "REFRESH-INTERVAL;VALUE=DURATION:P1D\r\n");
	if (sc->timed)
		buf_puts(out, vtimezone);
	for (size_t k = 0; k < sc->n_ev; k++) {
		size_t len;
		const char *text = event_text(c, ev, et, sc->ev[k], &len);
		buf_put(out, text, len);
	}
	buf_puts(out, "END:VCALENDAR\r\n");
	ret = output_write_keyed(c->e->out, path, keyed ? key : NULL, out->ptr, out->len, d);
	free(path);
	buf_release(&name);
	return ret;
}

/* A scope found by a record's address: a municipality's or a partnership group's. */
typedef struct rec_scope {
	const record *r;
	size_t scope;
} rec_scope;

static int cmp_rec_scope(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const rec_scope *)a)->r, y = (uintptr_t)((const rec_scope *)b)->r;
	return x < y ? -1 : x > y;
}

typedef struct cal_scopes {
	cal_scope *v;
	size_t n;
	size_t *region_scope;        /* by region index */
	size_t first_theme;          /* themes' scopes: [first_theme, first_theme + n_themes) */
	rec_scope *by_rec;           /* municipalities and groups, by address */
	size_t n_by_rec;
} cal_scopes;

static size_t scope_of(const cal_scopes *cs, const record *r)
{
	rec_scope key = { r, 0 };
	const rec_scope *f = cs->n_by_rec ? bsearch(&key, cs->by_rec, cs->n_by_rec,
		sizeof(rec_scope), cmp_rec_scope) : NULL;
	return f ? f->scope : (size_t)-1;
}

/* Every calendar's scope: the site, regions, themes, municipalities, partnership groups. */
/* home: a scoped site's home (page.h, pages_scope_home), whose calendar is the site's. */
static void make_scopes(const site *s, const char *home, cal_scopes *cs)
{
	cs->v = xcalloc(1 + s->n_regions + s->n_themes + s->n_records, sizeof(cal_scope));
	cs->region_scope = xcalloc(s->n_regions + 1, sizeof(size_t));
	cs->by_rec = xcalloc(s->n_records + 1, sizeof(rec_scope));
	cal_scope *v = cs->v;
	size_t k = 0;
	v[k++] = (cal_scope){ .url = xstrdup(url_fixed(URL_FRONT)) };
	for (size_t i = 0; i < s->n_regions; i++) {
		cs->region_scope[i] = (size_t)-1;
		if (s->regions[i].rec->draft || (home && strcmp(s->regions[i].rec->url, home) == 0))
			continue;
		cs->region_scope[i] = k;
		v[k++] = (cal_scope){ .url = xstrdup(s->regions[i].rec->url), .g = &s->regions[i] };
	}
	cs->first_theme = k;
	for (size_t i = 0; i < s->n_themes; i++)
		v[k++] = (cal_scope){ .url = url_theme(s->themes[i].slug), .theme = &s->themes[i] };
	for (size_t i = 0; i < s->n_records; i++) {
		const record *r = s->records[i];
		if (r->draft || (r->type != REC_MUNICIPALITY && r->type != REC_PARTNERSHIP) ||
		    (home && strcmp(r->url, home) == 0))
			continue;
		cs->by_rec[cs->n_by_rec++] = (rec_scope){ r, k };
		if (r->type == REC_MUNICIPALITY)
			v[k++] = (cal_scope){ .url = xstrdup(r->url), .g = r->region, .muni = r };
		else
			v[k++] = (cal_scope){ .url = xstrdup(r->url), .group = r };
	}
	cs->n = k;
	qsort(cs->by_rec, cs->n_by_rec, sizeof(rec_scope), cmp_rec_scope);
}

/*
 * Each event into every calendar that holds it, once: the site's, its
 * region's, each municipality whose page lists its record, its themes', and
 * a group's own.
 */
static void assign_events(const site *s, cal_scopes *cs, const events *ev)
{
	for (size_t i = 0; i < ev->n; i++) {
		const record *r = ev->v[i].r;
		scope_add(&cs->v[0], ev, i);
		const region *g = r->region;
		size_t gi = g ? site_region_index(s, g) : s->n_regions;
		if (gi < s->n_regions && cs->region_scope[gi] != (size_t)-1)
			scope_add(&cs->v[cs->region_scope[gi]], ev, i);
		for (size_t m = 0; g && m < g->n_municipalities; m++) {
			const record *mr = g->municipalities[m];
			size_t k = mr->draft ? (size_t)-1 : scope_of(cs, mr);
			if (k != (size_t)-1 && municipality_shows(mr, r->type, g, r->municipalities,
				r->n_municipalities, r->meta))
				scope_add(&cs->v[k], ev, i);
		}
		const value *th = value_map_get(r->meta, "themes");
		for (size_t t = 0; t < value_len(th); t++) {
			const theme_def *td = value_at(th, t)->kind == VAL_STRING ?
				site_find_theme(s, value_at(th, t)->u.str.ptr) : NULL;
			if (td)
				scope_add(&cs->v[cs->first_theme + (size_t)(td - s->themes)], ev, i);
		}
		size_t k = r->type == REC_PARTNERSHIP ? scope_of(cs, r) : (size_t)-1;
		if (k != (size_t)-1)
			scope_add(&cs->v[k], ev, i);
	}
}

/*
 * What a calendar keeps of the past: the events from since on, and at least
 * the CAL_PAST_MIN newest before it, so that a quiet calendar still shows its
 * latest meetings.
 */
static void keep_recent(cal_scope *sc, const events *ev, const char *since)
{
	size_t k = 0;
	while (k < sc->n_ev && strcmp(ev->v[sc->ev[k]].date, since) < 0)
		k++;
	size_t from = k > CAL_PAST_MIN ? k - CAL_PAST_MIN : 0;
	if (from) {
		memmove(sc->ev, sc->ev + from, (sc->n_ev - from) * sizeof(size_t));
		sc->n_ev -= from;
	}
	sc->timed = 0;
	for (size_t i = 0; i < sc->n_ev; i++)
		sc->timed |= ev->v[sc->ev[i]].start[0] != '\0';
}

static void free_scopes(cal_scopes *cs)
{
	for (size_t i = 0; i < cs->n; i++) {
		free(cs->v[i].url);
		free(cs->v[i].ev);
	}
	free(cs->v);
	free(cs->region_scope);
	free(cs->by_rec);
}

static char *base_host(const site *s)
{
	const char *b = s->base_url ? strstr(s->base_url, "://") : NULL;
	if (!b)
		return xstrdup("avoin");
	b += 3;
	return xstrndup(b, strcspn(b, "/:"));
}

/* ---- the upcoming deadlines ---- */

static int upcoming(const event *ev, const char *today)
{
	if (ev->kind != EV_DUE && ev->kind != EV_NEGOTIATION)
		return 0;
	const char *st = ev->outcome ? value_map_str(ev->outcome, "status") : NULL;
	if (st && (strcmp(st, "done") == 0 || strcmp(st, "cancelled") == 0))
		return 0;
	return !today || !*today || strcmp(ev->date, today) >= 0;
}

static value *deadline_item(cal_ctx *c, const event *ev)
{
	value *it = pages_record_item(c->e, ev->r, c->t, c->lang);
	buf b = BUF_INIT;
	event_summary(c, ev, &b);
	value_map_set_str(it, "what", b.ptr);
	buf_reset(&b);
	pages_set_date(it, "when", ev->date);
	const char *owner = ev->outcome ? value_map_str(ev->outcome, "owner") : NULL;
	if (owner)
		value_map_set_str(it, "owner", owner);
	if (ev->r->region)
		value_map_set_str(it, "region_name", pages_region_name(ev->r->region, c->lang));
	buf_release(&b);
	return it;
}

static void put_xml(buf *b, const char *s)
{
	buf_put_html(b, s, strlen(s));
}

static void feed_entry(cal_ctx *c, buf *out, const event *ev, const char *feed_url)
{
	buf b = BUF_INIT;
	buf_puts(out, "<entry>\n<id>" PAGES_TAG_PREFIX);
	buf_printf(&b, "%s/%s/%s", ev->r->path, ev_names[ev->kind], ev->date);
	if (ev->n)
		buf_printf(&b, "/%zu", ev->n);
	put_xml(out, b.ptr);
	buf_reset(&b);
	pages_date_fi(&b, ev->date);
	buf_puts(&b, " – ");
	event_summary(c, ev, &b);
	buf_puts(out, "</id>\n<title>");
	put_xml(out, b.ptr);
	buf_reset(&b);
	const history_commit *hc = ev->r->last_change;
	format_rfc3339(&b, hc ? hc->time : 0, hc ? hc->offset : 0);
	buf_printf(out, "</title>\n<updated>%s</updated>\n", b.ptr);
	buf_reset(&b);
	char *abs = page_abs(c->e, ev->r, c->lang), *placed = pages_place(c->e, c->lang, ev->r->url);
	char *href = abs ? abs : url_relative(feed_url, placed);
	buf_puts(out, "<link rel=\"alternate\" type=\"text/html\" href=\"");
	put_xml(out, href);
	buf_puts(out, "\"/>\n<summary type=\"text\">");
	event_description(c, ev, &b);
	put_xml(out, b.ptr ? b.ptr : "");
	buf_puts(out, "</summary>\n</entry>\n");
	free(href);
	free(placed);
	buf_release(&b);
}

static int write_deadlines_feed(cal_ctx *c, const event *const *up, size_t n, diag_list *d)
{
	const site *s = c->e->s;
	char *page = pages_place(c->e, c->lang, url_fixed(URL_DEADLINES));
	char *feed0 = url_feed(url_fixed(URL_DEADLINES)), *feed = pages_place(c->e, c->lang, feed0);
	int abs = s->base_url && *s->base_url;
	buf out = BUF_INIT, b = BUF_INIT;
	buf_puts(&out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		"<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
	put_xml(&out, c->lang);
	buf_puts(&out, "\">\n<id>");
	buf_printf(&b, "%s%s", abs ? s->base_url : PAGES_TAG_PREFIX, url_href(feed));
	put_xml(&out, b.ptr);
	buf_printf(&out, "</id>\n<title>%s – ", pages_tr(c->t, "deadlines_title"));
	put_xml(&out, s->title);
	/* as new as the newest change among its entries' records */
	const history_commit *newest = NULL;
	for (size_t i = 0; i < n && i < DEADLINES_FEED_MAX; i++)
		if (up[i]->r->last_change && (!newest || up[i]->r->last_change->seq < newest->seq))
			newest = up[i]->r->last_change;
	buf_reset(&b);
	if (newest)
		format_rfc3339(&b, newest->time, newest->offset);
	else
		format_rfc3339(&b, built_time(c), 0);
	buf_printf(&out, "</title>\n<updated>%s</updated>\n", b.ptr);
	buf_reset(&b);
	if (abs)
		buf_printf(&b, "%s%s", s->base_url, url_href(feed));
	else
		buf_puts(&b, url_feed_file());
	buf_puts(&out, "<link rel=\"self\" type=\"application/atom+xml\" href=\"");
	put_xml(&out, b.ptr);
	buf_reset(&b);
	if (abs)
		buf_printf(&b, "%s%s", s->base_url, url_href(page));
	else
		buf_puts(&b, "./");
	buf_puts(&out, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	put_xml(&out, b.ptr);
	buf_puts(&out, "\"/>\n<author><name>");
	put_xml(&out, s->title);
	buf_puts(&out, "</name></author>\n<generator>Avoin</generator>\n");
	for (size_t i = 0; i < n && i < DEADLINES_FEED_MAX; i++)
		feed_entry(c, &out, up[i], feed);
	buf_puts(&out, "</feed>\n");
	int ret = output_write(c->e->out, url_href(feed), out.ptr, out.len, d);
	buf_release(&out);
	buf_release(&b);
	free(page);
	free(feed0);
	free(feed);
	return ret;
}

static int write_deadlines(cal_ctx *c, const events *ev, diag_list *d)
{
	const event **up = xcalloc(ev->n + 1, sizeof(event *));
	size_t n = 0;
	for (size_t i = 0; i < ev->n; i++)
		if (upcoming(&ev->v[i], c->e->commit_date))
			up[n++] = &ev->v[i];
	const char *url = url_fixed(URL_DEADLINES);
	value *ctx = pages_base_context(c->e, c->lang, url, pages_tr(c->t, "deadlines_title"));
	pages_add_crumb(c->e, ctx, pages_tr(c->t, "deadlines_title"), NULL);
	value *items = value_list(0);
	for (size_t i = 0; i < n; i++)
		value_list_push(items, deadline_item(c, up[i]));
	value_map_set_bool(ctx, "has_deadlines", n > 0);
	value_map_set(ctx, "deadlines", items);
	pages_set_date(ctx, "today", c->e->commit_date && *c->e->commit_date ? c->e->commit_date : NULL);
	value_map_set(ctx, "calendar", calendar_links(c->e, c->lang, url_fixed(URL_FRONT)));
	value *feeds = value_list(0), *f = value_map(0);
	char *feed = url_feed(url);
	value_map_set_str(f, "title", pages_tr(c->t, "deadlines_title"));
	pages_link(c->e, c->lang, f, "href", feed);
	value_list_push(feeds, f);
	value_map_set(ctx, "feeds", feeds);
	char *path = pages_out_path(c->e, c->lang, url);
	int ret = pages_render(c->e, "deadlines", ctx, path, d);
	ret |= write_deadlines_feed(c, up, n, d);
	free(path);
	free(feed);
	value_free(ctx);
	free(up);
	return ret ? -1 : 0;
}

value *calendar_links(const pages_env *e, const char *lang, const char *url)
{
	const value *t = theme_strings(e->th, lang);
	value *m = value_map(0);
	char *cal = url_calendar(url), *placed = pages_place(e, lang, cal);
	pages_link(e, lang, m, "href", cal);
	const char *b = e->s->base_url ? strstr(e->s->base_url, "://") : NULL;
	if (b) {
		char *w = xasprintf("%s%s", b + 3, url_href(placed));
		value_map_set_str(m, "webcal", w);
		free(w);
	}
	value_map_set_str(m, "title", pages_tr(t, "cal_title"));
	free(cal);
	free(placed);
	return m;
}

const char *calendar_since(const char *today, char out[11])
{
	if (!today || !is_iso_date(today))
		return NULL;
	/* the year before: its four digits less one, the month as written */
	int y = atoi(today) - 1;
	if (y < 1000)
		return NULL;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	memcpy(out + 4, today + 4, 4);       /* "-MM-" */
	memcpy(out + 8, "01", 3);
	return out;
}

int calendar_write(const pages_env *e, diag_list *d)
{
	const site *s = e->s;
	double start = now_s();
	events ev = { NULL, 0, 0 };
	char since[11];
	const char *since_ok = calendar_since(e->commit_date, since);
	collect_events(s, &ev);
	cal_scopes cs = { 0 };
	make_scopes(s, pages_scope_home(e), &cs);
	assign_events(s, &cs, &ev);
	for (size_t i = 0; since_ok && i < cs.n; i++)
		keep_recent(&cs.v[i], &ev, since_ok);
	char *host = base_host(s);
	int ret = 0;
	buf out = BUF_INIT;
	for (size_t l = 0; l < s->n_languages; l++) {
		cal_ctx c = { e, s->languages[l], theme_strings(e->th, s->languages[l]), host,
			BUF_INIT, BUF_INIT };
		ev_texts et = { BUF_INIT, xcalloc(ev.n + 1, sizeof(size_t)),
			xcalloc(ev.n + 1, sizeof(size_t)) };
		for (size_t i = 0; i < ev.n; i++)
			et.off[i] = SIZE_MAX;
		for (size_t i = 0; i < cs.n; i++)
			ret |= write_calendar(&c, &cs.v[i], &ev, &et, since_ok, &out, d);
		ret |= write_deadlines(&c, &ev, d);
		buf_release(&et.text);
		free(et.off);
		free(et.len);
		buf_release(&c.line);
		buf_release(&c.tmp);
	}
	buf_release(&out);
	free(host);
	free_scopes(&cs);
	free(ev.v);
	if (e->stats)
		e->stats->data_secs += now_s() - start;
	return ret ? -1 : 0;
}
