#include "parity.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "history.h"
#include "repo.h"
#include "urls.h"
#include "util.h"
#include "banned.h"

/*
 * Language parity (the Language Act 423/2003): what concerns a bilingual
 * municipality should exist in each of its languages. For each such
 * municipality, the published records its page shows, which of them lack a
 * translation into one of its languages, since when, and the share that has
 * every one; per region, the same summed over its bilingual municipalities.
 */

typedef struct gap {
	const record *r;
	const char *missing[8];   /* the municipality's languages r has no text in */
	size_t n_missing;
	char since[11];           /* YYYY-MM-DD: since when it has lacked one, "" unknown */
} gap;

typedef struct muni_parity {
	const record *m;
	const char *langs[8];     /* its languages that the site has */
	size_t n_langs;
	size_t total;             /* published records its page shows */
	gap *gaps;                /* those lacking a translation */
	size_t n_gaps;
} muni_parity;

static void commit_day(const history_commit *c, char out[11])
{
	buf b = BUF_INIT;
	format_date(&b, c->time, c->offset);
	snprintf(out, 11, "%s", b.ptr ? b.ptr : "");
	buf_release(&b);
}

/*
 * Since when r has lacked a text in lang: the deletion of its translation
 * when there was one, else the day r was first committed; "" without history.
 */
static void lacking_since(const pages_env *e, const record *r, const char *lang, char out[11])
{
	out[0] = '\0';
	if (!e->hist)
		return;
	size_t n = 0;
	char *tpath = xasprintf("%.*s.%s.md", (int)(strlen(r->path) - 3), r->path, lang);
	history_change *const *ch = history_for_path(e->hist, tpath, &n);
	free(tpath);
	if (n && ch[0]->kind == CHANGE_DELETED) {
		commit_day(ch[0]->commit, out);
		return;
	}
	ch = history_for_path(e->hist, r->path, &n);
	if (n)
		commit_day(ch[n - 1]->commit, out);
}

/* m's languages that the site has; 0 when m is not bilingual (fewer than two). */
static size_t muni_langs(const site *s, const record *m, const char **out)
{
	const value *l = value_map_get(m->meta, "languages");
	size_t n = 0;
	for (size_t i = 0; i < value_len(l) && n < 8; i++) {
		const value *x = value_at(l, i);
		for (size_t k = 0; x->kind == VAL_STRING && k < s->n_languages; k++)
			if (strcmp(s->languages[k], x->u.str.ptr) == 0)
				out[n++] = s->languages[k];
	}
	return value_len(l) >= 2 ? n : 0;
}

static void muni_parity_of(const pages_env *e, const record *m, muni_parity *p)
{
	const site *s = e->s;
	memset(p, 0, sizeof(*p));
	p->m = m;
	p->n_langs = muni_langs(s, m, p->langs);
	if (!p->n_langs)
		return;
	size_t cap = 0;
	for (size_t i = 0; i < s->n_records; i++) {
		const record *r = s->records[i];
		if (r->draft || !municipality_shows(m, r->type, r->region, r->municipalities,
				r->n_municipalities, r->meta))
			continue;
		p->total++;
		gap g;
		memset(&g, 0, sizeof(g));
		g.r = r;
		for (size_t k = 0; k < p->n_langs; k++)
			if (!record_in_lang(r, p->langs[k]))
				g.missing[g.n_missing++] = p->langs[k];
		if (!g.n_missing)
			continue;
		lacking_since(e, r, g.missing[0], g.since);
		p->gaps = xgrow(p->gaps, sizeof(gap), p->n_gaps + 1, &cap);
		p->gaps[p->n_gaps++] = g;
	}
}

/* "4/5 (80 %)" as the page's language writes a share. */
static char *share_text(const value *t, size_t done, size_t total)
{
	char *pct = pages_count(t, "parity_percent", total ? done * 100 / total : 100);
	char *out = xasprintf("%zu/%zu (%s)", done, total, pct);
	free(pct);
	return out;
}

static value *summary_value(const pages_env *e, const char *lang, const value *t, size_t done, size_t total)
{
	value *v = value_map(0);
	char *share = share_text(t, done, total);
	value_map_set_str(v, "share", share);
	free(share);
	value_map_set_num(v, "missing", (double)(total - done));
	value_map_set_bool(v, "complete", done == total);
	pages_link(e, lang, v, "href", url_fixed(URL_PARITY));
	return v;
}

void parity_municipality_summary(const pages_env *e, value *ctx, const record *m, const value *t,
	const char *lang)
{
	if (e->s->n_languages < 2)
		return;
	muni_parity p;
	muni_parity_of(e, m, &p);
	if (p.n_langs)
		value_map_set(ctx, "parity", summary_value(e, lang, t, p.total - p.n_gaps, p.total));
	free(p.gaps);
}

void parity_region_summary(const pages_env *e, value *ctx, const region *g, const value *t,
	const char *lang)
{
	if (e->s->n_languages < 2)
		return;
	size_t done = 0, total = 0, bilingual = 0;
	for (size_t i = 0; i < g->n_municipalities; i++) {
		if (g->municipalities[i]->draft)
			continue;
		muni_parity p;
		muni_parity_of(e, g->municipalities[i], &p);
		bilingual += p.n_langs > 0;
		total += p.total;
		done += p.total - p.n_gaps;
		free(p.gaps);
	}
	if (bilingual)
		value_map_set(ctx, "parity", summary_value(e, lang, t, done, total));
}

/* One untranslated record as the report's table row shows it. */
static value *gap_value(const pages_env *e, const gap *g, const value *t, const char *lang)
{
	value *it = pages_record_item(e, g->r, t, lang);
	buf k = BUF_INIT, names = BUF_INIT;
	for (size_t i = 0; i < g->n_missing; i++) {
		buf_reset(&k);
		buf_printf(&k, "langname_%s", g->missing[i]);
		buf_printf(&names, "%s%s", i ? ", " : "", pages_tr(t, k.ptr));
	}
	value_map_set_str(it, "missing", names.ptr);
	buf_release(&names);
	buf_release(&k);
	if (g->since[0]) {
		pages_set_date(it, "since", g->since);
		const char *today = e->commit_date && *e->commit_date ? e->commit_date : g->since;
		long days = iso_days(today) - iso_days(g->since);
		char *dt = pages_count(t, "parity_days", days > 0 ? (size_t)days : 0);
		value_map_set_str(it, "days", dt);
		free(dt);
	}
	return it;
}

/* The report's part for one region: its bilingual municipalities, or NULL when it has none. */
static value *region_value(const pages_env *e, const region *g, const value *t, const char *lang)
{
	value *munis = value_list(0);
	for (size_t i = 0; i < g->n_municipalities; i++) {
		muni_parity p;
		if (g->municipalities[i]->draft)
			continue;
		muni_parity_of(e, g->municipalities[i], &p);
		if (!p.n_langs)
			continue;
		value *mv = value_map(0);
		value_map_set_str(mv, "name", pages_name(p.m, lang));
		pages_link(e, lang, mv, "href", p.m->url);
		buf names = BUF_INIT;
		for (size_t k = 0; k < p.n_langs; k++) {
			char *key = xasprintf("langname_%s", p.langs[k]);
			buf_printf(&names, "%s%s", k ? ", " : "", pages_tr(t, key));
			free(key);
		}
		value_map_set_str(mv, "languages", names.ptr);
		buf_release(&names);
		char *share = share_text(t, p.total - p.n_gaps, p.total);
		value_map_set_str(mv, "share", share);
		free(share);
		value *gaps = value_list(0);
		for (size_t k = 0; k < p.n_gaps; k++)
			value_list_push(gaps, gap_value(e, &p.gaps[k], t, lang));
		value_map_set_bool(mv, "has_gaps", p.n_gaps > 0);
		value_map_set(mv, "gaps", gaps);
		value_list_push(munis, mv);
		free(p.gaps);
	}
	if (!value_len(munis)) {
		value_free(munis);
		return NULL;
	}
	value *rv = value_map(0);
	value_map_set_str(rv, "name", pages_region_name(g, lang));
	pages_link(e, lang, rv, "href", g->rec->url);
	value_map_set(rv, "municipalities", munis);
	return rv;
}

int parity_write(const pages_env *e, const char *lang, diag_list *d)
{
	const site *s = e->s;
	if (s->n_languages < 2)
		return 0;
	const value *t = theme_strings(e->th, lang);
	const char *url = url_fixed(URL_PARITY);
	value *ctx = pages_base_context(e, lang, url, pages_tr(t, "parity_title"));
	pages_add_crumb(e, ctx, pages_tr(t, "parity_title"), NULL);
	value *regions = value_list(0);
	for (size_t i = 0; i < s->n_regions; i++) {
		if (s->regions[i].rec->draft)
			continue;
		value *rv = region_value(e, &s->regions[i], t, lang);
		if (rv)
			value_list_push(regions, rv);
	}
	value_map_set_bool(ctx, "has_regions", value_len(regions) > 0);
	value_map_set(ctx, "regions", regions);
	char *path = pages_out_path(e, lang, url);
	int ret = pages_render(e, "parity", ctx, path, d);
	free(path);
	value_free(ctx);
	return ret;
}
