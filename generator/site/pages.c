#include "pages.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cache.h"
#include "history.h"
#include "output.h"
#include "histpages.h"
#include "markdown.h"
#include "partners.h"
#include "statement.h"
#include "urls.h"
#include "util.h"
#include "banned.h"

/* How many records a region or front page lists per section before "all records". */
#define LATEST_MAX 10

static const char *const type_sections[] = {
	"agreement", "negotiation", "minutes", "report", "partnership", "page",
};
static const char *const section_keys[] = {
	"agreements", "negotiations", "minutes", "reports", "partnerships", "pages",
};

/* The string of a scalar meta value (numbers printed), or NULL. */
static char *scalar_text(const value *v)
{
	if (!v || v->kind == VAL_LIST || v->kind == VAL_MAP || v->kind == VAL_NULL)
		return NULL;
	buf b = BUF_INIT;
	value_put_text(&b, v);
	return buf_detach(&b, NULL);
}

static void set_scalar(value *m, const char *key, const value *v)
{
	char *s = scalar_text(v);
	if (s)
		value_map_set(m, key, value_string_own(s, strlen(s), 0));
}

static void add_region_crumbs(value *ctx, const record *r)
{
	if (!r->region)
		return;
	if (r->type == REC_REGION) {
		pages_add_crumb(ctx, region_display_name(r->region), NULL);
		return;
	}
	pages_add_crumb(ctx, region_display_name(r->region), r->region->rec->url);
	/* region → area → municipality, as the navigation promises */
	const record *m = r->type == REC_MUNICIPALITY ? r :
		(r->n_municipalities == 1 ? r->municipalities[0] : NULL);
	if (m) {
		for (size_t i = 0; i < r->region->n_areas; i++) {
			const area *a = &r->region->areas[i];
			/* an area named as its municipality (Kokkola's) would repeat the crumb */
			for (size_t k = 0; k < a->n_municipalities; k++)
				if (a->municipalities[k] == m &&
				    strcmp(a->name, record_display_name(m)) != 0)
					pages_add_crumb(ctx, a->name, r->region->rec->url);
		}
		if (m != r)
			pages_add_crumb(ctx, record_display_name(m), m->url);
	}
	pages_add_crumb(ctx, r->type == REC_MUNICIPALITY ? record_display_name(r) : r->title, NULL);
}

static value *string_list(const value *v)
{
	value *l = value_list(0);
	if (v && v->kind == VAL_LIST) {
		for (size_t i = 0; i < v->u.list.n; i++) {
			char *s = scalar_text(v->u.list.items[i]);
			if (s)
				value_list_push(l, value_string_own(s, strlen(s), 0));
		}
	} else if (v) {
		char *s = scalar_text(v);
		if (s)
			value_list_push(l, value_string_own(s, strlen(s), 0));
	}
	return l;
}

static void set_list(value *m, const char *key, const char *has_key, value *l)
{
	value_map_set_bool(m, has_key, value_len(l) > 0);
	value_map_set(m, key, l);
}

/* A file a record names, as a link from the root: where the one rule found it (published once). */
static char *record_file_href(const pages_env *e, const record *r, const char *file)
{
	buf why = BUF_INIT;
	const model_file *f = site_resolve_file(e->s, r->path, file, &why);
	buf_release(&why);
	return f ? xstrdup(f->path) : NULL;
}

static value *typed_agreement(const pages_env *e, const record *r, const value *t, buf *tmp)
{
	value *a = value_map(0);
	const char *status = value_map_str(r->meta, "status");
	value_map_set_str(a, "status", status);
	value_map_set_str(a, "status_label", pages_tr2(t, "status_", status, tmp));
	value *parties = value_list(0);
	value *pv = value_map_get(r->meta, "parties");
	for (size_t i = 0; i < value_len(pv); i++) {
		const char *p = value_at(pv, i)->kind == VAL_STRING ? value_at(pv, i)->u.str.ptr : NULL;
		if (!p)
			continue;
		value *it = value_map(0);
		const region *g = site_find_region(e->s, p);
		const record *m = site_find_municipality(e->s, p);
		if (g) {
			value_map_set_str(it, "name", g->rec->title);
			value_map_set_str(it, "href", url_href(g->rec->url));
		} else if (m) {
			value_map_set_str(it, "name", record_display_name(m));
			value_map_set_str(it, "href", url_href(m->url));
		} else {
			value_map_set_str(it, "name", p);
		}
		value_list_push(parties, it);
	}
	set_list(a, "parties", "has_parties", parties);
	pages_set_date(a, "signed", value_map_str(r->meta, "signed"));
	pages_set_date(a, "valid_from", value_map_str(r->meta, "valid_from"));
	pages_set_date(a, "valid_until", value_map_str(r->meta, "valid_until"));
	set_scalar(a, "legal_basis", value_map_get(r->meta, "legal_basis"));
	value *annexes = value_list(0);
	value *av = value_map_get(r->meta, "annexes");
	for (size_t i = 0; i < value_len(av); i++) {
		const value *x = value_at(av, i);
		const char *file = value_map_str(x, "file");
		if (!file)
			continue;
		value *it = value_map(0);
		const char *title = value_map_str(x, "title");
		value_map_set_str(it, "title", title ? title : file);
		char *href = record_file_href(e, r, file);
		if (href)
			value_map_set_str(it, "href", href);
		free(href);
		value_list_push(annexes, it);
	}
	set_list(a, "annexes", "has_annexes", annexes);
	return a;
}

static value *typed_minutes(const record *r)
{
	value *m = value_map(0);
	set_scalar(m, "body", value_map_get(r->meta, "body"));
	set_scalar(m, "section", value_map_get(r->meta, "section"));
	set_scalar(m, "diary", value_map_get(r->meta, "diary"));
	set_list(m, "preparers", "has_preparers", string_list(value_map_get(r->meta, "preparers")));
	return m;
}

static value *outcome_list(const record *r, const value *t, buf *tmp)
{
	value *l = value_list(0);
	value *ov = value_map_get(r->meta, "outcomes");
	for (size_t i = 0; i < value_len(ov); i++) {
		const value *o = value_at(ov, i);
		value *it = value_map(0);
		set_scalar(it, "action", value_map_get(o, "action"));
		set_scalar(it, "owner", value_map_get(o, "owner"));
		pages_set_date(it, "due", value_map_str(o, "due"));
		const char *st = value_map_str(o, "status");
		if (st) {
			value_map_set_str(it, "status", st);
			value_map_set_str(it, "status_label", pages_tr2(t, "outcome_", st, tmp));
		}
		value_list_push(l, it);
	}
	return l;
}

static value *typed_negotiation(const record *r, const value *t, buf *tmp)
{
	value *n = value_map(0);
	const char *kind = value_map_str(r->meta, "kind");
	value_map_set_str(n, "kind", kind);
	value_map_set_str(n, "kind_label", pages_tr2(t, "kind_", kind, tmp));
	value_map_set_str(n, "legal_basis", pages_tr2(t, "basis_", kind, tmp));
	set_list(n, "participants", "has_participants", string_list(value_map_get(r->meta, "participants")));
	set_list(n, "outcomes", "has_outcomes", outcome_list(r, t, tmp));
	pages_set_date(n, "next", value_map_str(r->meta, "next"));
	pages_set_date(n, "date", r->date);
	return n;
}

static value *typed_report(const pages_env *e, const record *r, const value *t, buf *tmp)
{
	value *m = value_map(0);
	const char *kind = value_map_str(r->meta, "kind");
	value_map_set_str(m, "kind_label", pages_tr2(t, "kind_", kind, tmp));
	set_scalar(m, "period", value_map_get(r->meta, "period"));
	set_list(m, "priorities", "has_priorities", string_list(value_map_get(r->meta, "priorities")));
	value *ap = value_map_get(r->meta, "approved");
	if (ap && ap->kind == VAL_MAP) {
		value *a = value_map(0);
		set_scalar(a, "by", value_map_get(ap, "by"));
		pages_set_date(a, "date", value_map_str(ap, "date"));
		value_map_set(m, "approved", a);
	}
	value *ind = value_list(0);
	value *iv = value_map_get(r->meta, "indicators");
	for (size_t i = 0; i < value_len(iv); i++) {
		const value *x = value_at(iv, i);
		if (x->kind != VAL_STRING)
			continue;
		value *it = value_map(0);
		char *href = record_file_href(e, r, x->u.str.ptr);
		value_map_set_str(it, "name", x->u.str.ptr);
		if (href)
			value_map_set_str(it, "href", href);
		free(href);
		value_list_push(ind, it);
	}
	set_list(m, "indicators", "has_indicators", ind);
	return m;
}

static const area *find_area(const region *g, const char *slug)
{
	for (size_t i = 0; g && slug && i < g->n_areas; i++)
		if (strcmp(g->areas[i].slug, slug) == 0)
			return &g->areas[i];
	return NULL;
}

static value *typed_partnership(const record *r, const value *t, buf *tmp)
{
	value *p = value_map(0);
	const area *a = find_area(r->region, value_map_str(r->meta, "area"));
	if (a) {
		value *av = value_map(0);
		value_map_set_str(av, "name", a->name);
		value_map_set_str(av, "slug", a->slug);
		value_map_set(p, "area", av);
	}
	set_scalar(p, "meets", value_map_get(r->meta, "meets"));
	value *nm = value_list(0);
	value *nv = value_map_get(r->meta, "next_meetings");
	for (size_t i = 0; i < value_len(nv); i++) {
		if (value_at(nv, i)->kind != VAL_STRING)
			continue;
		value *it = value_map(0);
		pages_set_date(it, "date", value_at(nv, i)->u.str.ptr);
		value_list_push(nm, it);
	}
	set_list(p, "next_meetings", "has_next_meetings", nm);
	partners_contact(p, r);
	/* members by their real sector: the regional council is not a municipality */
	size_t n_members;
	value *secs = partners_sectors(r, t, &n_members);
	value_map_set(p, "sectors", secs);
	value_map_set_bool(p, "has_members", n_members > 0);
	return p;
}

/* The `record` map of a record page: meta, computed fields and the type's facts. */
static value *record_context(const pages_env *e, const record *r, const char *html,
	const value *t)
{
	buf tmp = BUF_INIT;
	value *m = value_copy_top(r->meta);
	value_map_set_str(m, "title", r->title);
	value_map_set_str(m, "type", record_type_name(r->type));
	value_map_set_str(m, "type_label", pages_tr2(t, "type_", record_type_name(r->type), &tmp));
	value_map_set_str(m, "file", r->file);
	value_map_set_str(m, "url", r->url);
	value_map_set_bool(m, "draft", r->draft);
	value_map_set(m, "date", value_null(0));
	pages_set_date(m, "date", r->date);
	value_map_set(m, "html", value_string(html ? html : "", 0));
	if (r->summary)
		value_map_set_str(m, "summary", r->summary);
	if (r->region && r->type != REC_REGION) {
		value *g = value_map(0);
		value_map_set_str(g, "name", region_display_name(r->region));
		value_map_set_str(g, "href", url_href(r->region->rec->url));
		value_map_set(m, "region", g);
	} else {
		value_map_set(m, "region", value_null(0));
	}
	value *munis = value_list(0);
	if (r->type != REC_MUNICIPALITY && r->type != REC_REGION) {
		for (size_t i = 0; i < r->n_municipalities; i++) {
			value *it = value_map(0);
			value_map_set_str(it, "name", record_display_name(r->municipalities[i]));
			value_map_set_str(it, "href", url_href(r->municipalities[i]->url));
			value_list_push(munis, it);
		}
		value_map_set_bool(m, "whole_region", r->region && r->n_municipalities == 0);
	}
	set_list(m, "municipalities", "has_municipalities", munis);
	value *themes = value_list(0);
	value *tv = value_map_get(r->meta, "themes");
	for (size_t i = 0; i < value_len(tv); i++) {
		const value *x = value_at(tv, i);
		const theme_def *td = x->kind == VAL_STRING ? site_find_theme(e->s, x->u.str.ptr) : NULL;
		if (!td)
			continue;
		value *it = value_map(0);
		char *turl = url_theme(td->slug);
		value_map_set_str(it, "name", theme_name(td, r->lang));
		value_map_set_str(it, "href", url_href(turl));
		free(turl);
		value_list_push(themes, it);
	}
	set_list(m, "themes", "has_themes", themes);
	switch (r->type) {
	case REC_AGREEMENT: value_map_set(m, "agreement", typed_agreement(e, r, t, &tmp)); break;
	case REC_MINUTES: value_map_set(m, "minutes", typed_minutes(r)); break;
	case REC_NEGOTIATION: value_map_set(m, "negotiation", typed_negotiation(r, t, &tmp)); break;
	case REC_REPORT: value_map_set(m, "report", typed_report(e, r, t, &tmp)); break;
	case REC_PARTNERSHIP: value_map_set(m, "partnership", typed_partnership(r, t, &tmp)); break;
	default: break;
	}
	/* the source documents a record was written from: one or a list */
	set_list(m, "sources", "has_sources", string_list(value_map_get(r->meta, "source")));
	buf_release(&tmp);
	return m;
}

/*
 * The cache key of a page hook's result: what the hook is handed and what
 * decides what it does. cache_inputs covers the generator, the options, the
 * theme (its hooks and page_hooks among them) and every file of the content
 * that is not a record (its hooks, site.yaml with page_hooks and the hooks'
 * limits); then the hook's name, the page value (kind, lang, root, region,
 * municipality), the record (its meta_digest stands for record_value(),
 * which holds no body: an edit of the page's own body keeps the key) and
 * the site model, which page hooks are always handed. No data files: page
 * hooks get no read_file. Hooks are deterministic (no clock, no randomness,
 * no state kept between calls).
 */
static void page_hook_key(const pages_env *e, const char *name, const buf *page,
	const record *r, cache_key *k)
{
	buf b = BUF_INIT;
	cache_key_add(&b, "page-hook 1");
	cache_key_add(&b, e->cache_inputs);
	cache_key_add(&b, name);
	cache_key_addn(&b, page->ptr, page->len);
	cache_key_add(&b, r ? r->meta_digest : "-");
	cache_key_add(&b, e->model_hash);
	cache_key_of(&b, k);
	buf_release(&b);
}

/*
 * A page hook's result from the cache: 1 and *out (NULL when the hook
 * returned nothing), or 0 for a miss. An entry is "0" for nothing, or "1"
 * and value_serialize() of the result.
 */
static int page_hook_cached(const pages_env *e, const cache_key *k, value **out)
{
	buf hit = BUF_INIT;
	int got = 0;
	*out = NULL;
	if (cache_get_buf(e->cache, e->worker, k, &hit) && hit.len >= 1) {
		if (hit.ptr[0] == '0' && hit.len == 1)
			got = 1;
		else if (hit.ptr[0] == '1' && value_deserialize(hit.ptr + 1, hit.len - 1, out) == 0)
			got = 1;
	}
	buf_release(&hit);
	return got;
}

/*
 * Calls the configured page-data hooks; results go to ctx.hooks.<name>. With
 * a cache, a result is taken from it when nothing the hook is handed changed
 * (page_hook_key), and a new one is kept; a failed call is never kept (page
 * hooks report errors only, so a kept result had no diagnostics to repeat).
 */
static int add_page_hooks(const pages_env *e, value *ctx, const char *kind, const record *r,
	const char *lang, diag_list *d)
{
	if (!e->h)
		return 0;
	value *names = value_list(0);
	const value *lists[] = { value_map_get(e->th->config, "page_hooks"),
		value_map_get(e->s->config, "page_hooks") };
	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; i < value_len(lists[k]); i++)
			if (value_at(lists[k], i)->kind == VAL_STRING)
				value_list_push(names, value_ref(value_at(lists[k], i)));
	value *page = value_map(0);
	value_map_set_str(page, "kind", kind);
	value_map_set_str(page, "lang", lang);
	value_map_set_str(page, "root", value_map_str(ctx, "root"));
	if (r && r->region)
		value_map_set_str(page, "region", r->region->slug);
	if (r && r->type == REC_MUNICIPALITY)
		value_map_set_str(page, "municipality", r->slug);
	/* as for every other cached part, nothing is kept for a --worktree preview */
	int cached = e->cache && !e->worktree && e->cache_inputs && e->model_hash &&
		*e->model_hash;
	buf page_bytes = BUF_INIT, kept = BUF_INIT;
	if (cached)
		value_serialize(&page_bytes, page);
	/* the record as hooks see it: made only for a hook that runs */
	value *rv = NULL;
	hook_ctx cx = { r ? r->file : "site.yaml", NULL, e->site_model, NULL, NULL };
	value *results = value_map(0);
	int ret = 0;
	for (size_t i = 0; i < value_len(names); i++) {
		const char *name = value_at(names, i)->u.str.ptr;
		if (!hooks_has(e->h, name) || value_map_get(results, name))
			continue;
		value *out = NULL;
		cache_key key;
		if (cached) {
			page_hook_key(e, name, &page_bytes, r, &key);
			if (page_hook_cached(e, &key, &out)) {
				if (e->stats) {
					e->stats->hook_calls++;
					e->stats->hook_hits++;
				}
				if (out)
					value_map_set(results, name, out);
				continue;
			}
		}
		if (r && !rv)
			cx.record = rv = record_value(r);
		size_t before = d->n;
		if (hooks_page_data(e->h, name, page, &cx, &out, d) != 0) {
			ret = -1;
			continue;
		}
		if (e->stats)
			e->stats->hook_calls++;
		if (cached && d->n == before) {
			buf_reset(&kept);
			buf_putc(&kept, out ? '1' : '0');
			if (out)
				value_serialize(&kept, out);
			cache_put(e->cache, e->worker, &key, kept.ptr, kept.len);
		}
		if (out)
			value_map_set(results, name, out);
	}
	value_map_set(ctx, "hooks", results);
	buf_release(&page_bytes);
	buf_release(&kept);
	value_free(rv);
	value_free(page);
	value_free(names);
	return ret;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Collects the published records of a region (or all when g is NULL) matching pred. */
static record **collect(const pages_env *e, const region *g,
	int (*pred)(const record *, const void *), const void *arg, size_t *n)
{
	const site *s = e->s;
	record **out = NULL;
	size_t cap = 0;
	*n = 0;
	size_t count;
	record *const *from = pages_sorted(e, g, &count);
	if (from) {
		/* already in order: the result is the same as sorting the matches */
		for (size_t i = 0; i < count; i++) {
			if (!pred(from[i], arg))
				continue;
			out = xgrow(out, sizeof(record *), *n + 1, &cap);
			out[(*n)++] = from[i];
		}
		return out;
	}
	for (size_t i = 0; i < s->n_records; i++) {
		record *r = s->records[i];
		if (r->draft || (g && r->region != g) || !pred(r, arg))
			continue;
		out = xgrow(out, sizeof(record *), *n + 1, &cap);
		out[(*n)++] = r;
	}
	if (*n)
		qsort(out, *n, sizeof(record *), pages_cmp_newest);
	return out;
}

static int pred_type(const record *r, const void *arg)
{
	return strcmp(record_type_name(r->type), (const char *)arg) == 0;
}

static int pred_listed(const record *r, const void *arg)
{
	(void)arg;
	return r->type != REC_REGION && r->type != REC_MUNICIPALITY;
}

static int pred_muni_type(const record *r, const void *arg)
{
	const void *const *a = arg;
	const record *m = a[0];
	return pred_type(r, a[1]) && municipality_shows(m, r->type, r->region, r->municipalities,
		r->n_municipalities, r->meta);
}

static int pred_theme(const record *r, const void *arg)
{
	value *tv = value_map_get(r->meta, "themes");
	for (size_t i = 0; i < value_len(tv); i++)
		if (value_at(tv, i)->kind == VAL_STRING && strcmp(value_at(tv, i)->u.str.ptr, arg) == 0)
			return 1;
	return 0;
}

/* sections: [{id, label, items, more: {href, n}}] for each record type with records. */
static value *sections_for(const pages_env *e, const value *t, const region *g,
	const record *muni, const char *theme_slug, size_t max, const char *more_url)
{
	value *secs = value_list(0);
	/* a theme's records once, not once per section */
	size_t n_themed = 0;
	record **themed = theme_slug && !muni ?
		collect(e, NULL, pred_theme, theme_slug, &n_themed) : NULL;
	for (size_t k = 0; k < sizeof(type_sections) / sizeof(type_sections[0]); k++) {
		size_t n;
		record **recs;
		/* a municipality page shows these above, with outcomes and meetings */
		if (muni && (strcmp(type_sections[k], "negotiation") == 0 ||
			     strcmp(type_sections[k], "partnership") == 0))
			continue;
		/* a theme page shows its partnership groups above, with region and area */
		if (theme_slug && !muni && strcmp(type_sections[k], "partnership") == 0)
			continue;
		if (muni) {
			const void *arg[2] = { muni, type_sections[k] };
			recs = collect(e, g, pred_muni_type, arg, &n);
		} else if (theme_slug) {
			recs = xmalloc((n_themed + 1) * sizeof(record *));
			size_t w = 0;
			for (size_t i = 0; i < n_themed; i++)
				if (pred_type(themed[i], type_sections[k]))
					recs[w++] = themed[i];
			n = w;
		} else {
			recs = collect(e, g, pred_type, type_sections[k], &n);
		}
		if (n > 0) {
			value *sec = value_map(0);
			value_map_set_str(sec, "id", section_keys[k]);
			value_map_set_str(sec, "label", pages_tr(t, section_keys[k]));
			value_map_set(sec, "items", pages_item_list(e, recs, n, max, t, !g && !muni));
			if (n > max && more_url) {
				value *more = value_map(0);
				value_map_set_str(more, "href", url_href(more_url));
				value_map_set_num(more, "n", (double)n);
				value_map_set(sec, "more", more);
			}
			value_list_push(secs, sec);
		}
		free(recs);
	}
	free(themed);
	return secs;
}

/*
 * The key of a record's page (not a region's or municipality's: those carry
 * lists and page hooks, and are always rendered): what it shows of itself
 * (its rendered body, its summary) and of its history, plus the site-wide
 * page_base (every record's front matter and summary, the theme, options).
 * 0 and no key when keys are off.
 */
static int record_page_key(const pages_env *e, const record *r, const history_commit **src,
	char key[41])
{
	*src = NULL;
	if (!e->page_base || e->worktree || r->type == REC_REGION || r->type == REC_MUNICIPALITY)
		return 0;
	buf b = BUF_INIT;
	buf_printf(&b, "record\n%s\n%s\n", r->path, r->url);
	/* the key the body was cached under stands for it; else the body itself */
	if (r->html_key[0])
		buf_printf(&b, "html-key %s", r->html_key);
	else
		buf_printf(&b, "html %zu\n%s", r->html ? strlen(r->html) : 0, r->html ? r->html : "");
	buf_printf(&b, "\n%zu\n", r->summary ? strlen(r->summary) : 0);
	buf_puts(&b, r->summary ? r->summary : "");
	size_t n = 0;
	history_change *const *ch = e->hist ? history_for_path(e->hist, r->path, &n) : NULL;
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "\n%s %d %s", ch[i]->commit->id, (int)ch[i]->kind, ch[i]->path);
	if (n)
		*src = ch[0]->commit;
	pages_key(e, &b, key);
	buf_release(&b);
	return 1;
}

static int write_record(const pages_env *e, const record *r, diag_list *d)
{
	char key[41];
	const history_commit *src = NULL;
	int keyed = record_page_key(e, r, &src, key);
	char *path = url_output_path(r->url);
	if (keyed && output_keep(e->out, path, key)) {
		free(path);
		return 0;
	}
	buf cached = BUF_INIT;
	const char *html = pages_record_html(e, r, &cached, d);
	if (!html) {
		free(path);
		buf_release(&cached);
		return -1;
	}
	const value *t = theme_strings(e->th, r->lang);
	const char *title = r->type == REC_MUNICIPALITY ? record_display_name(r) :
		(r->type == REC_REGION ? region_display_name(r->region) : r->title);
	value *ctx = pages_base_context(e, r->lang, r->url, title);
	value *page = value_map_get(ctx, "page");
	if (r->type == REC_MINUTES) {
		char *full = pages_full_title(r);
		pages_set_head_title(e, ctx, full);
		free(full);
	}
	if (r->summary && *r->summary)
		value_map_set_str(page, "description", r->summary);
	add_region_crumbs(ctx, r);
	if (keyed && src) {
		buf date = BUF_INIT;
		format_date(&date, src->time, src->offset);
		pages_set_source(ctx, src->id, date.ptr);
		buf_release(&date);
	}
	value_map_set(ctx, "record", record_context(e, r, html, t));
	buf_release(&cached);
	if (e->hist) {
		value *hs = histpages_record_summary(e, r);
		if (hs)
			value_map_set(ctx, "history", hs);
		const region *g = r->region;
		const record *m = r->type == REC_MUNICIPALITY ? r :
			(r->n_municipalities == 1 ? r->municipalities[0] : NULL);
		value *feeds = histpages_feeds(e, g, m);
		if (feeds)
			value_map_set(ctx, "feeds", feeds);
	}
	const char *tmpl = "record";
	int ret = 0;
	if (r->type == REC_REGION) {
		tmpl = "region";
		const region *g = r->region;
		value *areas = value_list(0);
		for (size_t i = 0; i < g->n_areas; i++) {
			value *a = value_map(0);
			value_map_set_str(a, "name", g->areas[i].name);
			value_map_set_str(a, "slug", g->areas[i].slug);
			value *ms = value_list(0);
			for (size_t k = 0; k < g->areas[i].n_municipalities; k++) {
				value *it = value_map(0);
				value_map_set_str(it, "name", record_display_name(g->areas[i].municipalities[k]));
				value_map_set_str(it, "href", url_href(g->areas[i].municipalities[k]->url));
				value_list_push(ms, it);
			}
			value_map_set(a, "municipalities", ms);
			value_list_push(areas, a);
		}
		set_list(ctx, "areas", "has_areas", areas);
		value *ms = value_list(0);
		for (size_t k = 0; k < g->n_municipalities; k++) {
			value *it = value_map(0);
			value_map_set_str(it, "name", record_display_name(g->municipalities[k]));
			value_map_set_str(it, "href", url_href(g->municipalities[k]->url));
			value_list_push(ms, it);
		}
		value_map_set(ctx, "municipalities", ms);
		char *all = url_all_records(r->url);
		value_map_set(ctx, "sections", sections_for(e, t, g, NULL, NULL, LATEST_MAX, all));
		value_map_set_str(ctx, "all_href", url_href(all));
		free(all);
		ret |= add_page_hooks(e, ctx, "region", r, r->lang, d);
	} else if (r->type == REC_MUNICIPALITY) {
		tmpl = "municipality";
		const region *g = r->region;
		value *gv = value_map(0);
		value_map_set_str(gv, "name", region_display_name(g));
		value_map_set_str(gv, "href", url_href(g->rec->url));
		value_map_set(ctx, "region", gv);
		const area *my_area = NULL;
		for (size_t i = 0; i < g->n_areas; i++)
			for (size_t k = 0; k < g->areas[i].n_municipalities; k++)
				if (g->areas[i].municipalities[k] == r)
					my_area = &g->areas[i];
		if (my_area) {
			value *av = value_map(0);
			value_map_set_str(av, "name", my_area->name);
			value_map_set(ctx, "area", av);
		}
		size_t n;
		const void *arg[2] = { r, "partnership" };
		record **ps = collect(e, g, pred_muni_type, arg, &n);
		value *pl = value_list(0);
		for (size_t i = 0; i < n; i++) {
			value *it = pages_record_item(e, ps[i], t);
			set_scalar(it, "meets", value_map_get(ps[i]->meta, "meets"));
			value_list_push(pl, it);
		}
		free(ps);
		set_list(ctx, "partnerships", "has_partnerships", pl);
		const void *arg2[2] = { r, "negotiation" };
		record **ns = collect(e, g, pred_muni_type, arg2, &n);
		value *nl = value_list(0);
		buf tmp = BUF_INIT;
		for (size_t i = 0; i < n; i++) {
			value *it = pages_record_item(e, ns[i], t);
			const char *kind = value_map_str(ns[i]->meta, "kind");
			value_map_set_str(it, "kind_label", pages_tr2(t, "kind_", kind, &tmp));
			value_map_set_str(it, "legal_basis", pages_tr2(t, "basis_", kind, &tmp));
			set_list(it, "outcomes", "has_outcomes", outcome_list(ns[i], t, &tmp));
			value_list_push(nl, it);
		}
		buf_release(&tmp);
		free(ns);
		set_list(ctx, "negotiations", "has_negotiations", nl);
		value *secs = sections_for(e, t, g, r, NULL, (size_t)-1, NULL);
		value_map_set(ctx, "sections", secs);
		ret |= add_page_hooks(e, ctx, "municipality", r, r->lang, d);
	}
	ret |= pages_render_keyed(e, tmpl, ctx, path, keyed ? key : NULL, d);
	free(path);
	value_free(ctx);
	return ret ? -1 : 0;
}

static int write_region_all(const pages_env *e, const region *g, diag_list *d)
{
	const char *lang = e->s->languages[0];
	const value *t = theme_strings(e->th, lang);
	char *url = url_all_records(g->rec->url);
	char *title = xasprintf("%s: %s", region_display_name(g), pages_tr(t, "all_records"));
	value *ctx = pages_base_context(e, lang, url, title);
	pages_add_crumb(ctx, region_display_name(g), g->rec->url);
	pages_add_crumb(ctx, pages_tr(t, "all_records"), NULL);
	value *th = value_map(0);
	value_map_set_str(th, "name", title);
	/* above the heading: the theme template says "Teema" unless the page names its kind */
	value_map_set_str(th, "kind", pages_tr(t, "region"));
	value_map_set(ctx, "theme", th);
	value_map_set(ctx, "sections", sections_for(e, t, g, NULL, NULL, (size_t)-1, NULL));
	char *path = url_output_path(url);
	int ret = pages_render(e, "theme", ctx, path, d);
	free(path);
	free(title);
	free(url);
	value_free(ctx);
	return ret;
}

typedef struct az_entry {
	const char *name, *lang, *fi_name, *region, *href;
} az_entry;

static int cmp_az(const void *a, const void *b)
{
	const az_entry *x = a, *y = b;
	int c = fi_cmp(x->name, y->name);
	return c ? c : strcmp(x->href, y->href);
}

/* The first letter of a name, upper case ("Ä" for "ähtäri"), into out (at least 3 bytes). */
static void first_letter(const char *name, char out[3])
{
	unsigned char c = (unsigned char)name[0];
	if (c == 0xC3 && name[1]) {
		out[0] = name[0];
		out[1] = (char)((unsigned char)name[1] & ~0x20);  /* å ä ö -> Å Ä Ö */
		out[2] = 0;
	} else {
		out[0] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
		out[1] = 0;
	}
}

/*
 * Every municipality from A to Ö under its first letter, with its region, so that a
 * resident finds it without knowing its wellbeing services county; a Swedish name
 * is listed too, in its own place, leading to the same page.
 */
static value *az_list(const site *s)
{
	size_t n = 0, cap = 0;
	az_entry *es = NULL;
	for (size_t i = 0; i < s->n_regions; i++) {
		const region *g = &s->regions[i];
		for (size_t k = 0; k < g->n_municipalities; k++) {
			const record *m = g->municipalities[k];
			if (m->draft)
				continue;
			const char *sv = value_map_str(m->meta, "name_sv");
			es = xgrow(es, sizeof(*es), n + 2, &cap);
			es[n++] = (az_entry){ record_display_name(m), NULL, NULL, region_display_name(g),
				url_href(m->url) };
			if (sv && *sv && strcmp(sv, record_display_name(m)) != 0)
				es[n++] = (az_entry){ sv, "sv", record_display_name(m),
					region_display_name(g), url_href(m->url) };
		}
	}
	qsort(es, n, sizeof(*es), cmp_az);
	value *groups = value_list(0), *items = NULL;
	char cur[3] = "";
	for (size_t i = 0; i < n; i++) {
		char l[3];
		first_letter(es[i].name, l);
		if (!items || strcmp(l, cur) != 0) {
			memcpy(cur, l, sizeof(cur));
			value *gv = value_map(0);
			value_map_set_str(gv, "letter", l);
			items = value_list(0);
			value_map_set(gv, "items", items);
			value_list_push(groups, gv);
		}
		value *it = value_map(0);
		value_map_set_str(it, "name", es[i].name);
		value_map_set_str(it, "href", es[i].href);
		value_map_set_str(it, "region", es[i].region);
		/* false, not absent: a section would find the page's own lang instead */
		if (es[i].lang) {
			value_map_set_str(it, "lang", es[i].lang);
			value_map_set_str(it, "fi_name", es[i].fi_name);
		} else {
			value_map_set_bool(it, "lang", 0);
		}
		value_list_push(items, it);
	}
	free(es);
	return groups;
}

static int write_front(const pages_env *e, diag_list *d)
{
	const site *s = e->s;
	const char *lang = s->languages[0];
	const value *t = theme_strings(e->th, lang);
	value *ctx = pages_base_context(e, lang, "/", s->title);
	const char *intro = value_map_str(s->config, "description");
	if (intro) {
		value_map_set_str(ctx, "intro", intro);
		value_map_set_str(value_map_get(ctx, "page"), "description", intro);
	}
	value *regions = value_list(0);
	for (size_t i = 0; i < s->n_regions; i++) {
		const region *g = &s->regions[i];
		value *it = value_map(0);
		value_map_set_str(it, "name", region_display_name(g));
		value_map_set_str(it, "href", url_href(g->rec->url));
		set_scalar(it, "name_sv", value_map_get(g->rec->meta, "name_sv"));
		set_scalar(it, "organisation", value_map_get(g->rec->meta, "organisation"));
		value_map_set_num(it, "n_municipalities", (double)g->n_municipalities);
		size_t n = 0;
		for (size_t k = 0; k < s->n_records; k++)
			if (s->records[k]->region == g && !s->records[k]->draft &&
			    pred_listed(s->records[k], NULL))
				n++;
		value_map_set_num(it, "n_records", (double)n);
		char *cm = pages_count(t, "count_municipalities", g->n_municipalities);
		char *cr = pages_count(t, "count_records", n);
		value_map_set_str(it, "count_municipalities", cm);
		value_map_set_str(it, "count_records", cr);
		free(cm);
		free(cr);
		value_list_push(regions, it);
	}
	value_map_set(ctx, "regions", regions);
	value *az = az_list(s);
	value_map_set_bool(ctx, "has_az", value_len(az) > 0);
	value_map_set(ctx, "az", az);
	size_t n;
	record **recs = collect(e, NULL, pred_listed, NULL, &n);
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (recs[i]->region)
			recs[w++] = recs[i];
	value *latest = value_map(0);
	value_map_set(latest, "items", pages_item_list(e, recs, w, LATEST_MAX, t, 1));
	value_map_set(ctx, "latest", latest);
	free(recs);
	value *pages = value_list(0);
	for (size_t i = 0; i < s->n_records; i++) {
		const record *r = s->records[i];
		if (!r->region && !r->draft) {
			value *it = value_map(0);
			value_map_set_str(it, "title", r->title);
			value_map_set_str(it, "href", url_href(r->url));
			value_list_push(pages, it);
		}
	}
	set_list(ctx, "pages", "has_pages", pages);
	if (e->hist) {
		value *feeds = histpages_feeds(e, NULL, NULL);
		if (feeds)
			value_map_set(ctx, "feeds", feeds);
	}
	int ret = add_page_hooks(e, ctx, "front", NULL, lang, d);
	char *front = url_output_path(url_fixed(URL_FRONT));
	ret |= pages_render(e, "index", ctx, front, d);
	free(front);
	value_free(ctx);
	return ret ? -1 : 0;
}

static int write_themes(const pages_env *e, diag_list *d)
{
	const site *s = e->s;
	const char *lang = s->languages[0];
	const value *t = theme_strings(e->th, lang);
	int ret = 0;
	value *list = value_list(0);
	for (size_t i = 0; i < s->n_themes; i++) {
		const theme_def *td = &s->themes[i];
		char *url = url_theme(td->slug);
		char *themes_url = url_theme(NULL);
		value *ctx = pages_base_context(e, lang, url, theme_name(td, lang));
		value_map_set_bool(value_map_get(ctx, "page"), "is_themes", 1);
		pages_add_crumb(ctx, pages_tr(t, "themes"), themes_url);
		free(themes_url);
		pages_add_crumb(ctx, theme_name(td, lang), NULL);
		value *th = value_map(0);
		value_map_set_str(th, "name", theme_name(td, lang));
		value_map_set_str(th, "slug", td->slug);
		value_map_set(ctx, "theme", th);
		value *secs = sections_for(e, t, NULL, NULL, td->slug, (size_t)-1, NULL);
		size_t n_records = 0;
		for (size_t k = 0; k < value_len(secs); k++)
			n_records += value_len(value_map_get(value_at(secs, k), "items"));
		/* partnership groups across regions, with their region and area */
		size_t n;
		const void *arg = td->slug;
		record **ps = collect(e, NULL, pred_theme, arg, &n);
		value *pl = value_list(0);
		for (size_t k = 0; k < n; k++) {
			if (ps[k]->type != REC_PARTNERSHIP)
				continue;
			value *it = pages_record_item(e, ps[k], t);
			if (ps[k]->region)
				value_map_set_str(it, "region_name", region_display_name(ps[k]->region));
			const area *a = find_area(ps[k]->region, value_map_str(ps[k]->meta, "area"));
			if (a)
				value_map_set_str(it, "area_name", a->name);
			value_list_push(pl, it);
		}
		free(ps);
		n_records += value_len(pl);
		set_list(ctx, "partnerships", "has_partnerships", pl);
		value_map_set(ctx, "sections", secs);
		char *path = url_output_path(url);
		ret |= pages_render(e, "theme", ctx, path, d);
		free(path);
		value_free(ctx);
		value *it = value_map(0);
		value_map_set_str(it, "name", theme_name(td, lang));
		value_map_set_str(it, "href", url_href(url));
		value_map_set_num(it, "n_records", (double)n_records);
		char *cr = pages_count(t, "count_records", n_records);
		value_map_set_str(it, "count_records", cr);
		free(cr);
		free(url);
		value_list_push(list, it);
	}
	char *themes_url = url_theme(NULL), *themes_path = url_output_path(themes_url);
	value *ctx = pages_base_context(e, lang, themes_url, pages_tr(t, "themes"));
	value_map_set_bool(value_map_get(ctx, "page"), "is_themes", 1);
	pages_add_crumb(ctx, pages_tr(t, "themes"), NULL);
	value_map_set(ctx, "themes", list);
	ret |= pages_render(e, "themes", ctx, themes_path, d);
	free(themes_path);
	free(themes_url);
	value_free(ctx);
	return ret ? -1 : 0;
}

static int write_misc(const pages_env *e, diag_list *d)
{
	const site *s = e->s;
	const char *lang = s->languages[0];
	const value *t = theme_strings(e->th, lang);
	int ret = 0;
	/* 404 is served from anywhere: links must not be relative, so use the base path */
	value *ctx = pages_base_context(e, lang, "/", pages_tr(t, "not_found_title"));
	value_map_set_bool(value_map_get(ctx, "page"), "is_home", 0);
	value_map_set_bool(value_map_get(ctx, "page"), "noindex", 1);
	value_map_set(value_map_get(ctx, "page"), "canonical", value_null(0));
	if (s->base_url && *s->base_url)
		value_map_set_str(ctx, "root", s->base_url);
	char *path = url_output_path(url_fixed(URL_NOT_FOUND));
	ret |= pages_render(e, "404", ctx, path, d);
	free(path);
	value_free(ctx);

	ret |= statement_write(e, lang, d);
	return ret ? -1 : 0;
}

static int write_sitemap(const pages_env *e, diag_list *d)
{
	const site *s = e->s;
	const char *base = s->base_url && *s->base_url ? s->base_url : "/";
	char **urls = NULL;
	size_t n = 0, cap = 0;
	urls = xgrow(urls, sizeof(char *), n + 3, &cap);
	urls[n++] = xstrdup(url_href(url_fixed(URL_FRONT)));
	urls[n++] = url_theme(NULL);
	urls[n++] = xstrdup(url_href(url_fixed(URL_STATEMENT)));
	for (size_t i = 0; i < s->n_themes; i++) {
		urls = xgrow(urls, sizeof(char *), n + 1, &cap);
		urls[n++] = url_theme(s->themes[i].slug);
	}
	for (size_t i = 0; i < s->n_records; i++) {
		if (s->records[i]->type == REC_PARTNERSHIP && !s->records[i]->draft) {
			urls = xgrow(urls, sizeof(char *), n + 1, &cap);
			urls[n++] = url_partners(URL_FACET_NONE, NULL);
			break;
		}
	}
	for (size_t i = 0; i < s->n_regions; i++) {
		urls = xgrow(urls, sizeof(char *), n + 1, &cap);
		urls[n++] = url_all_records(s->regions[i].rec->url);
	}
	for (size_t i = 0; i < s->n_records; i++) {
		if (s->records[i]->draft)
			continue;
		urls = xgrow(urls, sizeof(char *), n + 1, &cap);
		urls[n++] = xstrdup(s->records[i]->url);
	}
	/* as links from the root */
	for (size_t i = 0; i < n; i++)
		memmove(urls[i], url_href(urls[i]), strlen(url_href(urls[i])) + 1);
	qsort(urls, n, sizeof(char *), cmp_str);
	buf b = BUF_INIT;
	buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	for (size_t i = 0; i < n; i++) {
		buf_puts(&b, "<url><loc>");
		buf_puts_xml(&b, base);
		buf_puts_xml(&b, urls[i]);
		buf_puts(&b, "</loc></url>\n");
		free(urls[i]);
	}
	free(urls);
	buf_puts(&b, "</urlset>\n");
	char *path = url_output_path(url_fixed(URL_SITEMAP));
	int ret = output_write(e->out, path, b.ptr, b.len, d);
	free(path);
	buf_reset(&b);
	buf_puts(&b, "User-agent: *\nAllow: /\n");
	if (s->base_url && *s->base_url)
		buf_printf(&b, "Sitemap: %s%s\n", s->base_url, url_href(url_fixed(URL_SITEMAP)));
	path = url_output_path(url_fixed(URL_ROBOTS));
	ret |= output_write(e->out, path, b.ptr, b.len, d);
	free(path);
	buf_release(&b);
	return ret ? -1 : 0;
}

/* The theme's static files and the content's files that records name (annexes, data, images). */
static int write_files(const pages_env *e, diag_list *d)
{
	int ret = 0;
	/* the theme's static/ folder is the site's /static/ (url_fixed(URL_STATIC)), file for file */
	for (size_t i = 0; i < e->th->n_statics; i++)
		ret |= output_write(e->out, e->th->statics[i].path, e->th->statics[i].data,
			e->th->statics[i].len, d);
	/* a file is published only when a published record names it (build.c's files_named) */
	for (size_t i = 0; e->published && i < e->s->n_files; i++) {
		const model_file *f = &e->s->files[i];
		if (!e->published[i])
			continue;
		char *url = url_of_file(f->path), *path = url_output_path(url);
		ret |= output_write(e->out, path, f->data, f->len, d);
		free(path);
		free(url);
	}
	return ret ? -1 : 0;
}

int pages_write_site(const pages_env *e, diag_list *d)
{
	int ret = 0;
	for (size_t i = 0; i < e->s->n_regions; i++)
		ret |= write_region_all(e, &e->s->regions[i], d);
	ret |= write_front(e, d);
	ret |= write_themes(e, d);
	ret |= partners_write(e, d);
	ret |= write_misc(e, d);
	ret |= write_sitemap(e, d);
	ret |= write_files(e, d);
	return ret ? -1 : 0;
}

int pages_write_record(const pages_env *e, const record *r, diag_list *d)
{
	return write_record(e, r, d);
}
