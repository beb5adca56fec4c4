/*
 * Validation: every rule of the content model for front matter, with errors
 * that name the file, the line and what was expected; the typed getters that
 * site.yaml and records are read with (model_impl.h).
 */
#include "model_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "msg.h"
#include "urlcheck.h"
#include "urls.h"
#include "util.h"
#include "banned.h"

static const char *const common_keys[] = {
	"type", "title", "date", "municipalities", "themes", "lang", "summary", "draft", NULL,
};

/* Keys each type knows besides the common ones; anything else is kept and, when strict, named. */
static const char *const type_keys[REC_TYPE_COUNT][10] = {
	[REC_REGION] = { "name", "name_sv", "organisation", "areas", "base_url" },
	[REC_MUNICIPALITY] = { "name", "name_sv", "languages", "website", "base_url" },
	[REC_AGREEMENT] = { "parties", "status", "signed", "valid_from", "valid_until",
		"legal_basis", "annexes" },
	[REC_MINUTES] = { "body", "section", "diary", "preparers" },
	[REC_NEGOTIATION] = { "kind", "participants", "outcomes", "next" },
	[REC_REPORT] = { "kind", "period", "priorities", "approved", "indicators" },
	[REC_PARTNERSHIP] = { "area", "members", "meets", "next_meetings", "contact", "join" },
	[REC_PAGE] = { NULL },
};

static const char *const agreement_status[] = { "draft", "approved", "signed", "expired", NULL };
static const char *const negotiation_kinds[] = { "hyte", "cooperation", NULL };
static const char *const outcome_status[] = { "planned", "in-progress", "done", "cancelled", NULL };
static const char *const report_kinds[] = {
	"wellbeing-report", "wellbeing-plan", "annual-report", NULL,
};
static const char *const member_sectors[] = {
	"kunta", "hyvinvointialue", "järjestö", "seurakunta", "yritys", "oppilaitos", "valtio",
	NULL,
};
/* ---- messages ---- */

static void __attribute__((format(printf, 4, 0))) verr(vctx *c, diag_level level, int line,
	const char *fmt, va_list ap)
{
	diag_vadd(c->d, level, c->file, line, fmt, ap);
}

void __attribute__((format(printf, 3, 4))) mv_err(vctx *c, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verr(c, DIAG_ERROR, line, fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 3, 4))) warn(vctx *c, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verr(c, DIAG_WARNING, line, fmt, ap);
	va_end(ap);
}

/* What was written, for "(got ...)": a string quoted (cut at 60 bytes), else its kind. */
static void put_got(buf *out, const value *v)
{
	if (!v || v->kind != VAL_STRING) {
		buf_puts(out, value_kind_article(v ? v->kind : VAL_NULL));
		return;
	}
	size_t n = strlen(v->u.str.ptr);
	int cut = 0;
	if (n > 60) {
		n = 60;
		while (n > 0 && ((unsigned char)v->u.str.ptr[n] & 0xC0) == 0x80)
			n--;
		cut = 1;
	}
	buf_putc(out, '\'');
	buf_put(out, v->u.str.ptr, n);
	buf_puts(out, cut ? "...'" : "'");
}

/* "'name' must be WANT (got ...)" at the value's line. */
void mv_bad(vctx *c, const char *name, const value *v, const char *want)
{
	buf got = BUF_INIT;
	put_got(&got, v);
	mv_err(c, v && v->line ? v->line : c->line0, "'%s' must be %s (got %s)", name, tr(want),
		got.ptr);
	buf_release(&got);
}

/* A value of the wrong kind: "'name' must be a list (got a string)". */
void mv_bad_kind(vctx *c, const char *name, const value *v, const char *want)
{
	mv_err(c, v && v->line ? v->line : c->line0, "'%s' must be %s (got %s)", name, tr(want),
		value_kind_article(v ? v->kind : VAL_NULL));
}

/*
 * The words publishers write for the content model's values: Finnish,
 * Swedish and a few English words, each with the value it means. A value that
 * is one of them, or a letter or two away from an allowed value, gets a
 * "did you mean" in its message.
 */
static const struct { const char *word, *value; } value_words[] = {
	/* agreements' status */
	{ "luonnos", "draft" }, { "hyväksytty", "approved" }, { "allekirjoitettu", "signed" },
	{ "päättynyt", "expired" }, { "vanhentunut", "expired" }, { "voimassa", "signed" },
	/* outcomes' status */
	{ "suunniteltu", "planned" }, { "käynnissä", "in-progress" }, { "kesken", "in-progress" },
	{ "tehty", "done" }, { "valmis", "done" }, { "peruttu", "cancelled" },
	{ "canceled", "cancelled" },
	/* negotiations' and reports' kinds */
	{ "hyte-neuvottelu", "hyte" }, { "yhteistyöneuvottelu", "cooperation" },
	{ "yhteistyö", "cooperation" }, { "hyvinvointikertomus", "wellbeing-report" },
	{ "hyvinvointisuunnitelma", "wellbeing-plan" }, { "vuosiraportti", "annual-report" },
	{ "vuosikertomus", "annual-report" },
	/* record types */
	{ "alue", "region" }, { "hyvinvointialue", "region" }, { "kunta", "municipality" },
	{ "sopimus", "agreement" }, { "pöytäkirja", "minutes" }, { "neuvottelu", "negotiation" },
	{ "raportti", "report" }, { "kertomus", "report" }, { "kumppanuusryhmä", "partnership" },
	{ "kumppanuuspöytä", "partnership" }, { "sivu", "page" },
	/* partnership members' sectors, written without the Finnish letters or in English */
	{ "jarjesto", "järjestö" }, { "yhdistys", "järjestö" }, { "association", "järjestö" },
	{ "kaupunki", "kunta" }, { "municipality", "kunta" }, { "company", "yritys" },
	{ "parish", "seurakunta" }, { "school", "oppilaitos" }, { "state", "valtio" },
	/* the same in Swedish */
	{ "utkast", "draft" }, { "godkänt", "approved" }, { "godkänd", "approved" },
	{ "undertecknat", "signed" }, { "undertecknad", "signed" }, { "upphört", "expired" },
	{ "planerad", "planned" }, { "pågår", "in-progress" }, { "klar", "done" },
	{ "inställd", "cancelled" }, { "välfärdsområde", "region" }, { "kommun", "municipality" },
	{ "avtal", "agreement" }, { "protokoll", "minutes" }, { "förhandling", "negotiation" },
	{ "rapport", "report" }, { "partnerskapsgrupp", "partnership" }, { "sida", "page" },
	{ "kommun", "kunta" }, { "välfärdsområde", "hyvinvointialue" },
	{ "organisation", "järjestö" }, { "förening", "järjestö" }, { "församling", "seurakunta" },
	{ "företag", "yritys" }, { "läroanstalt", "oppilaitos" }, { "staten", "valtio" },
};

const char *mv_suggest(const char *got, const char *const *options)
{
	for (size_t i = 0; i < sizeof value_words / sizeof *value_words; i++)
		if (strcmp(got, value_words[i].word) == 0)
			for (size_t k = 0; options[k]; k++)
				if (strcmp(options[k], value_words[i].value) == 0)
					return options[k];
	/* a typo: one or two letters off, in a word long enough that it is not another word */
	const char *best = NULL;
	size_t best_d = 3, n = strlen(got);
	for (size_t k = 0; options[k] && n >= 4; k++) {
		size_t d = str_distance(got, options[k]);
		if (d < best_d && d * 3 <= strlen(options[k])) {
			best_d = d;
			best = options[k];
		}
	}
	return best;
}

void mv_bad_choice(vctx *c, const char *name, const value *v, const char *want,
	const char *const *options)
{
	const char *hint = v && v->kind == VAL_STRING ? mv_suggest(v->u.str.ptr, options) : NULL;
	if (!hint) {
		mv_bad(c, name, v, want);
		return;
	}
	buf got = BUF_INIT;
	put_got(&got, v);
	mv_err(c, v->line ? v->line : c->line0, "'%s' must be %s (got %s; did you mean '%s'?)", name,
		tr(want), got.ptr, hint);
	buf_release(&got);
}

void mv_put_options(buf *out, const char *const *options)
{
	for (size_t i = 0; options[i]; i++)
		buf_printf(out, "%s%s", i ? ", " : "", options[i]);
}
/* ---- typed getters: each reports what is wrong and returns NULL for a bad value ---- */

/* A key given as null ("website:") counts as not given. */
value *mv_get(const value *m, const char *key)
{
	value *v = value_map_get(m, key);
	return v && v->kind != VAL_NULL ? v : NULL;
}

void mv_missing(vctx *c, int line, const char *name, const char *want)
{
	mv_err(c, line, "'%s' is required (expected %s)", name, tr(want));
}

const char *mv_get_str(vctx *c, const value *m, const char *key, const char *name, int required,
	int mline)
{
	value *v = mv_get(m, key);
	if (!v) {
		if (required)
			mv_missing(c, mline, name, "a string");
		return NULL;
	}
	if (v->kind != VAL_STRING) {
		mv_bad_kind(c, name, v, "a string");
		return NULL;
	}
	return v->u.str.ptr;
}

/*
 * A string that is published as a link: it passes url_check() with allow, or
 * (URL_EMAIL_OK) is an e-mail address. NULL, with an error at its line, when not.
 */
const char *mv_get_url(vctx *c, const value *m, const char *key, const char *name,
	unsigned allow)
{
	const char *s = mv_get_str(c, m, key, name, 0, 0);
	if (!s)
		return NULL;
	value *v = mv_get(m, key);
	size_t n = v->u.str.len;
	const char *why = NULL;
	if ((allow & URL_EMAIL_OK) && url_is_email(s, n))
		return s;
	if (url_check(s, n, allow & ~(unsigned)URL_EMAIL_OK, &why) == 0)
		return s;
	buf want = BUF_INIT;
	buf_printf(&want, "%s%s", (allow & URL_EMAIL_OK) ? tr("an e-mail address or ") : "",
		tr(why));
	mv_bad(c, name, v, want.ptr);
	buf_release(&want);
	return NULL;
}

static const char *get_date(vctx *c, const value *m, const char *key, const char *name,
	int required, int mline)
{
	value *v = mv_get(m, key);
	if (!v) {
		if (required)
			mv_missing(c, mline, name, "an ISO date YYYY-MM-DD");
		return NULL;
	}
	if (v->kind != VAL_STRING || !is_iso_date(v->u.str.ptr)) {
		mv_bad(c, name, v, "an ISO date YYYY-MM-DD");
		return NULL;
	}
	return v->u.str.ptr;
}

static const char *get_enum(vctx *c, const value *m, const char *key, const char *name,
	const char *const *options, int required, int mline)
{
	value *v = mv_get(m, key);
	buf want = BUF_INIT;
	msg_put_choices(&want, options);
	const char *res = NULL;
	if (!v) {
		if (required)
			mv_missing(c, mline, name, want.ptr);
	} else if (v->kind == VAL_STRING) {
		for (size_t i = 0; options[i] && !res; i++)
			if (strcmp(v->u.str.ptr, options[i]) == 0)
				res = v->u.str.ptr;
		if (!res)
			mv_bad_choice(c, name, v, want.ptr, options);
	} else {
		mv_bad(c, name, v, want.ptr);
	}
	buf_release(&want);
	return res;
}

value *mv_get_kind(vctx *c, const value *m, const char *key, const char *name, value_kind k,
	int required, int mline)
{
	value *v = mv_get(m, key);
	if (!v) {
		if (required)
			mv_missing(c, mline, name, value_kind_article(k));
		return NULL;
	}
	if (v->kind != k) {
		mv_bad_kind(c, name, v, value_kind_article(k));
		return NULL;
	}
	return v;
}

value *mv_get_list(vctx *c, const value *m, const char *key, const char *name, int required,
	int mline)
{
	return mv_get_kind(c, m, key, name, VAL_LIST, required, mline);
}

value *mv_get_map(vctx *c, const value *m, const char *key, const char *name, int required,
	int mline)
{
	return mv_get_kind(c, m, key, name, VAL_MAP, required, mline);
}

/* A list whose every item is a string; the list itself, or NULL. */
value *mv_get_str_list(vctx *c, const value *m, const char *key, const char *name)
{
	value *l = mv_get_list(c, m, key, name, 0, 0);
	if (!l)
		return NULL;
	int ok = 1;
	for (size_t i = 0; i < l->u.list.n; i++) {
		value *it = l->u.list.items[i];
		if (it->kind != VAL_STRING) {
			mv_bad_kind(c, name, it, "a list of strings");
			ok = 0;
		}
	}
	return ok ? l : NULL;
}

/* A list of maps: items that are not maps are reported and skipped by the callers' loop. */
value *mv_item_map(vctx *c, const char *name, value *it)
{
	if (it->kind != VAL_MAP) {
		mv_bad_kind(c, name, it, "a list of maps");
		return NULL;
	}
	return it;
}

static int in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

static void check_unknown_keys(vctx *c, const record *r)
{
	const value *m = r->meta;
	for (size_t i = 0; i < m->u.map.n; i++) {
		const char *k = m->u.map.keys[i];
		if (in_list(common_keys, k) || in_list(type_keys[r->type], k))
			continue;
		warn(c, m->u.map.vals[i]->line, "unknown key '%s' for type '%s' (kept for "
			"templates and hooks)", k, mdl_type_names[r->type]);
	}
}

/* The `municipalities` key: each a municipality of the record's region. */
static void check_municipalities(vctx *c, record *r)
{
	value *l = mv_get_str_list(c, r->meta, "municipalities", "municipalities");
	for (size_t i = 0; l && i < l->u.list.n; i++) {
		value *it = l->u.list.items[i];
		record *m = mdl_region_muni(&c->sp->pub, r->region, it->u.str.ptr);
		if (!m)
			mdl_report_unknown_muni(c, "municipalities", it, r->region);
		else
			mdl_add_record_muni(r, m);
	}
}

static void check_themes(vctx *c, const value *m, const char *key)
{
	const site *s = &c->sp->pub;
	value *l = mv_get_str_list(c, m, key, key);
	for (size_t i = 0; l && i < l->u.list.n; i++) {
		value *it = l->u.list.items[i];
		if (site_find_theme(s, it->u.str.ptr))
			continue;
		buf want = BUF_INIT;
		const char **slugs = xcalloc(s->n_themes + 1, sizeof(*slugs));
		for (size_t j = 0; j < s->n_themes; j++) {
			buf_printf(&want, "%s%s", j ? ", " : "", s->themes[j].slug);
			slugs[j] = s->themes[j].slug;
		}
		const char *hint = mv_suggest(it->u.str.ptr, slugs);
		if (!s->n_themes)
			mv_err(c, it->line, "'%s' names '%s', but site.yaml defines no themes (expected "
				"the theme under 'themes' in site.yaml)", key, it->u.str.ptr);
		else if (hint)
			mv_err(c, it->line, "'%s' names '%s', which is not a theme of site.yaml "
				"(expected one of %s; did you mean '%s'?)", key, it->u.str.ptr, want.ptr,
				hint);
		else
			mv_err(c, it->line, "'%s' names '%s', which is not a theme of site.yaml "
				"(expected one of %s)", key, it->u.str.ptr, want.ptr);
		free(slugs);
		buf_release(&want);
	}
}

/*
 * A file a record names (an annex, an indicator file): found by the one rule,
 * or an error; what is its message, e.g. "annex %s", %s saying what is wrong.
 */
static void check_site_file(vctx *c, const record *r, const value *v, const char *what)
{
	buf why = BUF_INIT;
	if (!site_resolve_file(&c->sp->pub, r->path, v->u.str.ptr, &why))
		mv_err(c, v->line, tr(what), why.ptr);
	buf_release(&why);
}

static void check_agreement(vctx *c, record *r)
{
	const value *m = r->meta;
	const site *s = &c->sp->pub;
	get_enum(c, m, "status", "status", agreement_status, 1, c->line0);
	get_date(c, m, "signed", "signed", 0, 0);
	const char *from = get_date(c, m, "valid_from", "valid_from", 0, 0);
	const char *until = get_date(c, m, "valid_until", "valid_until", 0, 0);
	if (from && until && strcmp(until, from) < 0)
		mv_err(c, mv_get(m, "valid_until")->line,
			"'valid_until' (%s) is before 'valid_from' (%s)", until, from);
	value *parties = mv_get_str_list(c, m, "parties", "parties");
	for (size_t i = 0; parties && i < parties->u.list.n; i++) {
		value *it = parties->u.list.items[i];
		const char *p = it->u.str.ptr;
		if (is_slug(p) && !site_find_region(s, p) && !site_find_municipality(s, p))
			mv_err(c, it->line, "'parties' names '%s', which is neither a region nor a "
				"municipality (expected a region or municipality slug, or an "
				"organisation's name)", p);
	}
	mv_get_str(c, m, "legal_basis", "legal_basis", 0, 0);
	value *annexes = mv_get_list(c, m, "annexes", "annexes", 0, 0);
	for (size_t i = 0; annexes && i < annexes->u.list.n; i++) {
		value *a = mv_item_map(c, "annexes", annexes->u.list.items[i]);
		if (!a)
			continue;
		mv_get_str(c, a, "title", "annexes.title", 0, a->line);
		if (mv_get_str(c, a, "file", "annexes.file", 1, a->line))
			check_site_file(c, r, mv_get(a, "file"), N_("annex %s"));
	}
}

static void check_minutes(vctx *c, record *r)
{
	const value *m = r->meta;
	mv_get_str(c, m, "body", "body", 0, 0);
	value *sec = mv_get(m, "section");
	if (sec && sec->kind != VAL_NUMBER && sec->kind != VAL_STRING)
		mv_bad(c, "section", sec, "a number or a string");
	mv_get_str(c, m, "diary", "diary", 0, 0);
	value *prep = mv_get(m, "preparers");
	if (prep && prep->kind != VAL_STRING)
		mv_get_str_list(c, m, "preparers", "preparers");
}

static void check_negotiation(vctx *c, record *r)
{
	const value *m = r->meta;
	get_enum(c, m, "kind", "kind", negotiation_kinds, 0, 0);
	mv_get_str_list(c, m, "participants", "participants");
	value *outcomes = mv_get_list(c, m, "outcomes", "outcomes", 0, 0);
	for (size_t i = 0; outcomes && i < outcomes->u.list.n; i++) {
		value *o = mv_item_map(c, "outcomes", outcomes->u.list.items[i]);
		if (!o)
			continue;
		mv_get_str(c, o, "action", "outcomes.action", 1, o->line);
		mv_get_str(c, o, "owner", "outcomes.owner", 0, 0);
		get_date(c, o, "due", "outcomes.due", 0, 0);
		get_enum(c, o, "status", "outcomes.status", outcome_status, 0, 0);
	}
	get_date(c, m, "next", "next", 0, 0);
}

static int is_year(const char *s, size_t n)
{
	if (n != 4)
		return 0;
	for (size_t i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static void check_report(vctx *c, record *r)
{
	const value *m = r->meta;
	get_enum(c, m, "kind", "kind", report_kinds, 0, 0);
	value *period = mv_get(m, "period");
	if (period) {
		int ok = 0;
		if (period->kind == VAL_STRING) {
			const char *p = period->u.str.ptr;
			size_t n = strlen(p);
			ok = is_year(p, n) || (n == 9 && is_year(p, 4) && p[4] == '-'
				&& is_year(p + 5, 4) && strncmp(p, p + 5, 4) <= 0);
		} else if (period->kind == VAL_NUMBER) {
			/* "period: 2024" is read as a number; a year is what was meant. */
			double y = period->u.number;
			ok = y >= 1000 && y <= 9999 && y == (double)(long)y;
		}
		if (!ok)
			mv_bad(c, "period", period, "a year YYYY or a span YYYY-YYYY");
	}
	mv_get_str_list(c, m, "priorities", "priorities");
	value *ap = mv_get_map(c, m, "approved", "approved", 0, 0);
	if (ap) {
		mv_get_str(c, ap, "by", "approved.by", 0, 0);
		get_date(c, ap, "date", "approved.date", 0, 0);
	}
	value *ind = mv_get_str_list(c, m, "indicators", "indicators");
	for (size_t i = 0; ind && i < ind->u.list.n; i++)
		check_site_file(c, r, ind->u.list.items[i], N_("indicator %s"));
}

static void check_partnership(vctx *c, record *r)
{
	const value *m = r->meta;
	const site *s = &c->sp->pub;
	const char *a = mv_get_str(c, m, "area", "area", 0, 0);
	area *ar = NULL;
	if (a) {
		ar = mdl_region_find_area(r->region, a);
		if (!ar && r->region) {
			buf want = BUF_INIT;
			for (size_t i = 0; i < r->region->n_areas; i++)
				buf_printf(&want, "%s%s", i ? ", " : "", r->region->areas[i].slug);
			const char *none = "the areas of its region.md: it has none";
			mv_err(c, mv_get(m, "area")->line, "'area' names '%s', which is not an area of "
				"region '%s' (expected one of %s)", a, r->region->slug,
				r->region->n_areas ? want.ptr : none);
			buf_release(&want);
		}
	}
	value *members = mv_get_list(c, m, "members", "members", 0, 0);
	for (size_t i = 0; members && i < members->u.list.n; i++) {
		value *mb = mv_item_map(c, "members", members->u.list.items[i]);
		if (!mb)
			continue;
		mv_get_str(c, mb, "organisation", "members.organisation", 1, mb->line);
		get_enum(c, mb, "sector", "members.sector", member_sectors, 0, 0);
		mv_get_str(c, mb, "role", "members.role", 0, 0);
		if (mv_get_str(c, mb, "municipality", "members.municipality", 0, 0)) {
			value *it = mv_get(mb, "municipality");
			if (!mdl_region_muni(s, r->region, it->u.str.ptr))
				mdl_report_unknown_muni(c, "members.municipality", it, r->region);
		}
	}
	mv_get_str(c, m, "meets", "meets", 0, 0);
	value *nm = mv_get_list(c, m, "next_meetings", "next_meetings", 0, 0);
	for (size_t i = 0; nm && i < nm->u.list.n; i++) {
		value *it = nm->u.list.items[i];
		char day[11], start[6], end[6];
		if (it->kind != VAL_STRING || !meeting_when_parse(it->u.str.ptr, day, start, end))
			mv_bad(c, "next_meetings", it, "a list of dates YYYY-MM-DD, each with its time "
				"where known: YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM-HH:MM (Finnish time)");
	}
	value *ct = mv_get_map(c, m, "contact", "contact", 0, 0);
	if (ct) {
		mv_get_str(c, ct, "name", "contact.name", 0, 0);
		const char *em = mv_get_str(c, ct, "email", "contact.email", 0, 0);
		if (em && !url_is_email(em, mv_get(ct, "email")->u.str.len))
			mv_bad(c, "contact.email", mv_get(ct, "email"), "one e-mail address "
				"(e.g. etunimi.sukunimi@kunta.fi)");
	}
	mv_get_str(c, m, "join", "join", 0, 0);
	/* Without its own list, a partnership concerns the municipalities of its area. */
	if (ar && !mv_get(m, "municipalities"))
		for (size_t i = 0; i < ar->n_municipalities; i++)
			mdl_add_record_muni(r, ar->municipalities[i]);
}

/* base_url of a region or municipality: the address its own site (site/scope.h) is served from. */
static void check_base_url(vctx *c, const value *m)
{
	const char *bu = mv_get_url(c, m, "base_url", "base_url", URL_WEB);
	if (bu && strpbrk(bu, "?#"))
		mv_bad(c, "base_url", mv_get(m, "base_url"),
			"the address of its own site without '?' or '#' (e.g. https://hyte.kokkola.fi/)");
}

static void check_municipality(vctx *c, record *r)
{
	const value *m = r->meta;
	mv_get_str(c, m, "name", "name", 1, c->line0);
	mv_get_str(c, m, "name_sv", "name_sv", 0, 0);
	value *l = mv_get_str_list(c, m, "languages", "languages");
	for (size_t i = 0; l && i < l->u.list.n; i++)
		if (!mdl_is_lang_code(l->u.list.items[i]->u.str.ptr))
			mv_bad(c, "languages", l->u.list.items[i],
				"a list of two-letter language codes (fi, sv, en)");
	mv_get_url(c, m, "website", "website", URL_WEB);
	check_base_url(c, m);
}

/* Builds the region's areas from its region.md; needs every municipality known. */
/* A text in one language, or in several: a string, or a map of strings by language. */
static void check_texts(vctx *c, const value *v, const char *name)
{
	if (!v || v->kind == VAL_STRING)
		return;
	if (v->kind != VAL_MAP) {
		mv_bad_kind(c, name, v, "a text, or texts by language ({fi: ..., sv: ...})");
		return;
	}
	for (size_t i = 0; i < v->u.map.n; i++)
		if (v->u.map.vals[i]->kind != VAL_STRING)
			mv_bad_kind(c, name, v->u.map.vals[i], "a text");
}

void mv_check_accessibility(vctx *c, const value *acc)
{
	static const char *const status[] = { "full", "partial", "none", NULL };
	static const char *const assessment[] = { "self", "external", NULL };
	mv_get_url(c, acc, "contact", "accessibility.contact", URL_WEB | URL_EMAIL_OK);
	get_date(c, acc, "date", "accessibility.date", 0, acc->line);
	get_date(c, acc, "reviewed", "accessibility.reviewed", 0, acc->line);
	get_enum(c, acc, "status", "accessibility.status", status, 0, acc->line);
	const char *as = get_enum(c, acc, "assessment", "accessibility.assessment", assessment, 0,
		acc->line);
	if (as && strcmp(as, "external") == 0)
		mv_get_str(c, acc, "assessor", "accessibility.assessor", 1,
			mv_get(acc, "assessment")->line);
	value *auth = mv_get_map(c, acc, "authority", "accessibility.authority", 0, 0);
	if (auth) {
		mv_get_str(c, auth, "name", "accessibility.authority.name", 1, auth->line);
		mv_get_url(c, auth, "url", "accessibility.authority.url", URL_WEB);
	}
	value *ki = mv_get_list(c, acc, "known_issues", "accessibility.known_issues", 0, 0);
	for (size_t i = 0; ki && i < ki->u.list.n; i++) {
		value *it = mv_item_map(c, "accessibility.known_issues", ki->u.list.items[i]);
		if (!it)
			continue;
		/* the issue's text by language, and why and how to get the content otherwise */
		for (size_t k = 0; k < it->u.map.n; k++) {
			const char *key = it->u.map.keys[k];
			if (!strcmp(key, "reason") || !strcmp(key, "alternative"))
				check_texts(c, it->u.map.vals[k], "accessibility.known_issues.reason");
			else if (it->u.map.vals[k]->kind != VAL_STRING)
				mv_bad_kind(c, "accessibility.known_issues", it->u.map.vals[k], "a text");
		}
	}
}

void mv_load_areas(vctx *c, region *g)
{
	record *r = g->rec;
	const site *s = &c->sp->pub;
	value *areas = mv_get_list(c, r->meta, "areas", "areas", 0, 0);
	g->areas = xcalloc(value_len(areas) + 1, sizeof(*g->areas));
	for (size_t i = 0; areas && i < areas->u.list.n; i++) {
		value *a = mv_item_map(c, "areas", areas->u.list.items[i]);
		if (!a)
			continue;
		const char *slug = mv_get_str(c, a, "slug", "areas.slug", 1, a->line);
		const char *name = mv_get_str(c, a, "name", "areas.name", 1, a->line);
		value *ml = mv_get_str_list(c, a, "municipalities", "areas.municipalities");
		if (!slug)
			continue;
		if (!is_slug(slug)) {
			mv_err(c, mv_get(a, "slug")->line, "'%s' is not a valid slug (expected "
				"lower-case letters a-z, digits and '-')", slug);
			continue;
		}
		if (mdl_region_find_area(g, slug)) {
			mv_err(c, mv_get(a, "slug")->line, "area '%s' is defined twice in region '%s'",
				slug, g->slug);
			continue;
		}
		area *ar = &g->areas[g->n_areas++];
		ar->slug = xstrdup(slug);
		ar->name = xstrdup(name ? name : slug);
		for (size_t j = 0; ml && j < ml->u.list.n; j++) {
			value *it = ml->u.list.items[j];
			record *m = mdl_region_muni(s, g, it->u.str.ptr);
			if (!m) {
				mdl_report_unknown_muni(c, "areas.municipalities", it, g);
				continue;
			}
			const area *other = NULL;
			for (size_t k = 0; k < g->n_areas && !other; k++)
				for (size_t x = 0; x < g->areas[k].n_municipalities; x++)
					if (g->areas[k].municipalities[x] == m)
						other = &g->areas[k];
			if (other) {
				mv_err(c, it->line, "municipality '%s' is in two areas, '%s' and "
					"'%s' (expected at most one area)", m->slug, other->slug,
					ar->slug);
				continue;
			}
			ar->municipalities = xrealloc(ar->municipalities,
				(ar->n_municipalities + 1) * sizeof(record *));
			ar->municipalities[ar->n_municipalities++] = m;
		}
	}
}

void mv_check_record(vctx *c, rinfo *ri)
{
	record *r = ri->r;
	const site *s = &c->sp->pub;
	const value *m = r->meta;
	c->r = r;
	c->file = r->file;
	c->line0 = ri->line0;

	value *t = mv_get(m, "title");
	if (!t)
		mv_missing(c, ri->line0, "title", "the record's title");
	else if (t->kind != VAL_STRING || !t->u.str.ptr[0])
		mv_bad(c, "title", t, "a non-empty string");
	else
		r->title = t->u.str.ptr;

	int date_required = ri->type_ok && (r->type == REC_MINUTES || r->type == REC_NEGOTIATION);
	const char *date = get_date(c, m, "date", "date", date_required, ri->line0);

	value *lang = mv_get(m, "lang");
	if (lang) {
		size_t i = 0;
		if (lang->kind == VAL_STRING)
			while (i < s->n_languages && strcmp(s->languages[i], lang->u.str.ptr) != 0)
				i++;
		if (lang->kind != VAL_STRING || i == s->n_languages) {
			buf want = BUF_INIT, have = BUF_INIT;
			mv_put_options(&have, s->languages);
			buf_printf(&want, tr("one of the site's languages %s"), have.ptr);
			mv_bad(c, "lang", lang, want.ptr);
			buf_release(&want);
			buf_release(&have);
		} else {
			r->lang = s->languages[i];
		}
	}
	mv_get_str(c, m, "summary", "summary", 0, 0);
	value *draft = mv_get(m, "draft");
	if (draft && draft->kind != VAL_BOOL)
		mv_bad(c, "draft", draft, "true or false");
	r->draft = draft && draft->kind == VAL_BOOL && draft->u.boolean;

	check_themes(c, m, "themes");
	if (!ri->type_ok) {
		check_municipalities(c, r);
		r->date = date;
		return;
	}
	if (c->strict)
		check_unknown_keys(c, r);

	if (r->type == REC_MUNICIPALITY) {
		check_municipality(c, r);
		mdl_add_record_muni(r, r);
	} else {
		check_municipalities(c, r);
	}
	switch (r->type) {
	case REC_REGION:
		/* Areas were read before the records (partnerships need them). */
		mv_get_str(c, m, "name", "name", 1, ri->line0);
		mv_get_str(c, m, "name_sv", "name_sv", 0, 0);
		mv_get_str(c, m, "organisation", "organisation", 0, 0);
		check_base_url(c, m);
		break;
	case REC_AGREEMENT: check_agreement(c, r); break;
	case REC_MINUTES: check_minutes(c, r); break;
	case REC_NEGOTIATION: check_negotiation(c, r); break;
	case REC_REPORT: check_report(c, r); break;
	case REC_PARTNERSHIP: check_partnership(c, r); break;
	default: break;
	}

	/* The record's date, as lists and feeds sort by it; only valid dates count. */
	const char *eff = date;
	if (r->type == REC_AGREEMENT) {
		const char *sg = value_map_str(m, "signed"), *vf = value_map_str(m, "valid_from");
		eff = is_iso_date(sg) ? sg : is_iso_date(vf) ? vf : NULL;
	} else if (r->type == REC_REPORT) {
		value *ad = value_get_path(m, "approved.date");
		int ok = ad && ad->kind == VAL_STRING && is_iso_date(ad->u.str.ptr);
		eff = ok ? ad->u.str.ptr : NULL;
	}
	r->date = eff;
}
