#include "pages.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cache.h"
#include "calendar.h"
#include "history.h"
#include "output.h"
#include "histpages.h"
#include "frontmatter.h"
#include "markdown.h"
#include "repo.h"
#include "parity.h"
#include "partners.h"
#include "search.h"
#include "statement.h"
#include "urls.h"
#include "util.h"
#include "banned.h"

/* How many records a region, municipality or front page lists per section before "all records". */
#define LATEST_MAX 10
/* How many negotiations (with their outcomes) a municipality page shows before "all records". */
#define NEGOTIATIONS_MAX 5

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

/* r's crumbs in lang; title: what the page shows as r's title, linked to title_url (NULL: not) */
static void add_region_crumbs(const pages_env *e, value *ctx, const record *r, const char *lang, const char *title,
	const char *title_url)
{
	if (!r->region)
		return;
	if (r->type == REC_REGION) {
		pages_add_crumb(e, ctx, pages_region_name(r->region, lang), NULL);
		return;
	}
	pages_add_crumb(e, ctx, pages_region_name(r->region, lang), r->region->rec->url);
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
					pages_add_crumb(e, ctx, a->name, r->region->rec->url);
		}
		if (m != r)
			pages_add_crumb(e, ctx, pages_name(m, lang), m->url);
	}
	pages_add_crumb(e, ctx, title, title_url);
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
	if (!f)
		return NULL;
	/* from the site's root, in no language */
	char *url = url_of_file(f->path), *href = pages_href(e, e->s->languages[0], url);
	free(url);
	return href;
}

static value *typed_agreement(const pages_env *e, const record *r, const value *t,
	const char *lang, buf *tmp)
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
		/* a party outside a scoped site is linked where it is */
		const region *g = site_find_region(pages_whole(e), p);
		const record *m = site_find_municipality(pages_whole(e), p);
		if (g) {
			value_map_set_str(it, "name", pages_name(g->rec, lang));
			pages_link(e, lang, it, "href", g->rec->url);
		} else if (m) {
			value_map_set_str(it, "name", pages_name(m, lang));
			pages_link(e, lang, it, "href", m->url);
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

/*
 * The subscribe links of the page at url: its calendar and, for a theme or a
 * partnership group (own_feed), its own feed of changes.
 */
static void set_subscribe(const pages_env *e, value *ctx, const char *lang, const char *url,
	int own_feed)
{
	value *sub = value_map(0);
	value_map_set(sub, "calendar", calendar_links(e, lang, url));
	if (own_feed && e->hist) {
		value *f = value_map(0);
		char *feed = url_feed(url);
		pages_link(e, lang, f, "href", feed);
		value_map_set(sub, "feed", f);
		/* and for the page's head, beside the site's and region's feeds */
		value *feeds = value_map_get(ctx, "feeds");
		if (!feeds) {
			feeds = value_list(0);
			value_map_set(ctx, "feeds", feeds);
		}
		value *hf = value_map(0);
		const value *t = theme_strings(e->th, lang);
		value_map_set_str(hf, "title", pages_tr(t, "feed_subscribe"));
		pages_link(e, lang, hf, "href", feed);
		value_list_push(feeds, hf);
		free(feed);
	}
	value_map_set(ctx, "subscribe", sub);
}

/* The `record` map of a record page: meta, computed fields and the type's facts. */
static value *record_context(const pages_env *e, const record *r, const char *html,
	const value *t, const char *lang)
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
		value_map_set_str(g, "name", pages_region_name(r->region, lang));
		pages_link(e, lang, g, "href", r->region->rec->url);
		value_map_set(m, "region", g);
	} else {
		value_map_set(m, "region", value_null(0));
	}
	value *munis = value_list(0);
	if (r->type != REC_MUNICIPALITY && r->type != REC_REGION) {
		for (size_t i = 0; i < r->n_municipalities; i++) {
			value *it = value_map(0);
			value_map_set_str(it, "name", pages_name(r->municipalities[i], lang));
			pages_link(e, lang, it, "href", r->municipalities[i]->url);
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
		value_map_set_str(it, "name", theme_name(td, lang));
		pages_link(e, lang, it, "href", turl);
		free(turl);
		value_list_push(themes, it);
	}
	set_list(m, "themes", "has_themes", themes);
	switch (r->type) {
	case REC_AGREEMENT: value_map_set(m, "agreement", typed_agreement(e, r, t, lang, &tmp)); break;
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
 * Page hooks link with site paths of the whole site, as the model's URLs
 * without their leading '/' ({{root}}{{href}}): on a scoped site each map's
 * href is placed as pages_link() places the generator's own links.
 */
static void place_hook_links(const pages_env *e, const char *lang, value *v, int depth)
{
	if (!v || depth > 32)
		return;
	if (v->kind == VAL_LIST) {
		for (size_t i = 0; i < v->u.list.n; i++)
			place_hook_links(e, lang, v->u.list.items[i], depth + 1);
		return;
	}
	if (v->kind != VAL_MAP)
		return;
	const char *href = value_map_str(v, "href");
	if (href && *href && href[0] != '#' && !strchr(href, ':')) {
		char *url = xasprintf("/%s", href);
		pages_link(e, lang, v, "href", url);
		free(url);
	}
	for (size_t i = 0; i < v->u.map.n; i++)
		if (strcmp(v->u.map.keys[i], "href") != 0)
			place_hook_links(e, lang, v->u.map.vals[i], depth + 1);
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
	int cached = e->cache && e->cache_inputs && e->model_hash && *e->model_hash;
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
	if (e->scope)
		place_hook_links(e, lang, results, 0);
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

/* What sections_for lists, and where. */
typedef struct section_opts {
	const region *g;           /* a region's records; NULL: every region's */
	const record *muni;        /* a municipality's records (g is its region) */
	const char *theme_slug;    /* a theme's records */
	size_t max;                /* items per section before "all records" */
	const char *more_url;      /* that link's page (NULL: none) */
	int all_types;             /* also the types a municipality page shows above the sections */
} section_opts;

/* The records of section type ty that o lists (themed: the theme's records, collected once). */
static record **section_records(const pages_env *e, const section_opts *o, const char *ty,
	record **themed, size_t n_themed, size_t *n)
{
	if (o->muni) {
		const void *arg[2] = { o->muni, ty };
		return collect(e, o->g, pred_muni_type, arg, n);
	}
	if (o->theme_slug) {
		record **recs = xmalloc((n_themed + 1) * sizeof(record *));
		size_t w = 0;
		for (size_t i = 0; i < n_themed; i++)
			if (pred_type(themed[i], ty))
				recs[w++] = themed[i];
		*n = w;
		return recs;
	}
	return collect(e, o->g, pred_type, ty, n);
}

/* sections: [{id, label, items, more: {href, n}}] for each record type with records. */
static value *sections_for(const pages_env *e, const value *t, const char *lang,
	const section_opts *o)
{
	value *secs = value_list(0);
	/* a theme's records once, not once per section */
	size_t n_themed = 0;
	record **themed = o->theme_slug && !o->muni ?
		collect(e, NULL, pred_theme, o->theme_slug, &n_themed) : NULL;
	for (size_t k = 0; k < sizeof(type_sections) / sizeof(type_sections[0]); k++) {
		const char *ty = type_sections[k];
		int is_group = strcmp(ty, "partnership") == 0;
		/* a municipality page shows these above, with outcomes and meetings */
		if (o->muni && !o->all_types && (is_group || strcmp(ty, "negotiation") == 0))
			continue;
		/* a theme page shows its partnership groups above, with region and area */
		if (o->theme_slug && !o->muni && is_group)
			continue;
		size_t n;
		record **recs = section_records(e, o, ty, themed, n_themed, &n);
		if (n > 0) {
			value *sec = value_map(0);
			value_map_set_str(sec, "id", section_keys[k]);
			value_map_set_str(sec, "label", pages_tr(t, section_keys[k]));
			value_map_set(sec, "items", pages_item_list(e, recs, n, o->max, t, lang,
				!o->g && !o->muni));
			if (n > o->max && o->more_url) {
				value *more = value_map(0);
				pages_link(e, lang, more, "href", o->more_url);
				value_map_set_num(more, "n", (double)n);
				value_map_set(sec, "more", more);
			} else {
				value_map_set_bool(sec, "more", 0);
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
static int record_page_key(const pages_env *e, const record *r, const char *lang,
	const history_commit **src, char key[41])
{
	*src = NULL;
	if (!e->page_base || r->type == REC_REGION || r->type == REC_MUNICIPALITY)
		return 0;
	buf b = BUF_INIT;
	buf_printf(&b, "record\n%s\n%s\n%s\n", r->path, r->url, lang);
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

/* 1 when a rendered body shows anything: not only white space. */
static int html_has_text(const char *html)
{
	for (; html && *html; html++)
		if (!strchr(" \t\r\n", *html))
			return 1;
	return 0;
}

/* A region page's own parts: its areas and municipalities, its latest records, its hooks. */
static int region_parts(const pages_env *e, value *ctx, const record *r, const value *t,
	const char *lang, diag_list *d)
{
	const region *g = r->region;
	value *areas = value_list(0);
	for (size_t i = 0; i < g->n_areas; i++) {
		value *a = value_map(0);
		value_map_set_str(a, "name", g->areas[i].name);
		value_map_set_str(a, "slug", g->areas[i].slug);
		value *ms = value_list(0);
		for (size_t k = 0; k < g->areas[i].n_municipalities; k++) {
			value *it = value_map(0);
			value_map_set_str(it, "name", pages_name(g->areas[i].municipalities[k], lang));
			pages_link(e, lang, it, "href", g->areas[i].municipalities[k]->url);
			value_list_push(ms, it);
		}
		value_map_set(a, "municipalities", ms);
		value_list_push(areas, a);
	}
	set_list(ctx, "areas", "has_areas", areas);
	value *ms = value_list(0);
	for (size_t k = 0; k < g->n_municipalities; k++) {
		value *it = value_map(0);
		value_map_set_str(it, "name", pages_name(g->municipalities[k], lang));
		pages_link(e, lang, it, "href", g->municipalities[k]->url);
		value_list_push(ms, it);
	}
	value_map_set(ctx, "municipalities", ms);
	char *all = url_all_records(r->url);
	section_opts o = { .g = g, .max = LATEST_MAX, .more_url = all };
	value_map_set(ctx, "sections", sections_for(e, t, lang, &o));
	pages_link(e, lang, ctx, "all_href", all);
	free(all);
	parity_region_summary(e, ctx, g, t, lang);
	return add_page_hooks(e, ctx, "region", r, lang, d);
}

/* A municipality page's own parts: its region and area, groups, negotiations, records, hooks. */
static int municipality_parts(const pages_env *e, value *ctx, const record *r, const value *t,
	const char *lang, diag_list *d)
{
	const region *g = r->region;
	value *gv = value_map(0);
	value_map_set_str(gv, "name", pages_region_name(g, lang));
	pages_link(e, lang, gv, "href", g->rec->url);
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
		value *it = pages_record_item(e, ps[i], t, lang);
		set_scalar(it, "meets", value_map_get(ps[i]->meta, "meets"));
		value_list_push(pl, it);
	}
	free(ps);
	set_list(ctx, "partnerships", "has_partnerships", pl);
	char *all = url_all_records(r->url);
	const void *arg2[2] = { r, "negotiation" };
	record **ns = collect(e, g, pred_muni_type, arg2, &n);
	value *nl = value_list(0);
	buf tmp = BUF_INIT;
	for (size_t i = 0; i < n && i < NEGOTIATIONS_MAX; i++) {
		value *it = pages_record_item(e, ns[i], t, lang);
		const record *x = record_in_lang(ns[i], lang);
		const char *kind = value_map_str(ns[i]->meta, "kind");
		value_map_set_str(it, "kind_label", pages_tr2(t, "kind_", kind, &tmp));
		value_map_set_str(it, "legal_basis", pages_tr2(t, "basis_", kind, &tmp));
		set_list(it, "outcomes", "has_outcomes", outcome_list(x ? x : ns[i], t, &tmp));
		value_list_push(nl, it);
	}
	buf_release(&tmp);
	free(ns);
	set_list(ctx, "negotiations", "has_negotiations", nl);
	value_map_set_bool(ctx, "negotiations_more", 0);
	if (n > NEGOTIATIONS_MAX) {
		value *more = value_map(0);
		pages_link(e, lang, more, "href", all);
		value_map_set_num(more, "n", (double)n);
		value_map_set(ctx, "negotiations_more", more);
	}
	section_opts o = { .g = g, .muni = r, .max = LATEST_MAX, .more_url = all };
	value_map_set(ctx, "sections", sections_for(e, t, lang, &o));
	free(all);
	parity_municipality_summary(e, ctx, r, t, lang);
	return add_page_hooks(e, ctx, "municipality", r, lang, d);
}

/*
 * shown's body rendered at a page whose links to files go to site_root: its
 * text read again from its blob (the bodies read for the first render are
 * gone by now). 0, or -1 after adding to d.
 */
static int render_again(const pages_env *e, const record *shown, const char *lang, buf *out,
	diag_list *d)
{
	buf text = BUF_INIT, at_whole = BUF_INIT;
	record tmp = *shown;
	if (!tmp.body) {
		if (!e->repo || repo_read_blob(e->repo, shown->oid, &text) != 0 ||
		    frontmatter_body(text.ptr, text.len, &tmp.body, &tmp.body_len, &tmp.body_line) != 0) {
			diag_error(d, shown->file, 0, "its text could not be read again from the "
				"repository (blob %.12s) for its page in another language", shown->oid);
			buf_release(&text);
			return -1;
		}
	}
	/* on a scoped site: rendered as on the whole site, then each link placed */
	char *root = url_root_of(shown->url);
	char *site_root = e->scope ? xstrdup(root) : pages_site_root(e, lang, shown->url);
	site_reader rd = { pages_whole(e), shown->path, NULL, NULL, e->published };
	value *rv = record_value(shown);
	hook_ctx cx = { shown->file, rv, e->site_model, site_reader_read, &rd };
	markdown_opts mo = { pages_whole(e), e->h, &cx, root, e->strict, 0, &rd, site_root };
	buf_reset(out);
	size_t rooted = 0;
	int ret = markdown_render_counted(&tmp, &mo, e->scope ? &at_whole : out, &rooted, d);
	if (ret == 0 && e->scope &&
	    pages_move_body(e, lang, shown->url, at_whole.ptr ? at_whole.ptr : "", root, rooted,
	    out) != 0) {
		diag_error(d, shown->file, 0, "its hooks' HTML has links of the shape of its own, so "
			"they cannot be placed on the site of %s", e->s->title);
		ret = -1;
	}
	free(root);
	free(site_root);
	value_free(rv);
	buf_release(&text);
	buf_release(&at_whole);
	return ret;
}

/*
 * The body of shown for its page in lang: its links to pages stay in lang's
 * tree, its links to files go to the site's root, one folder further up when
 * lang is not the default. A body whose hook HTML holds URLs of that shape
 * too is rendered again at the page's place instead. NULL on an error.
 */
static const char *body_in(const pages_env *e, const record *shown, const char *lang, buf *spare,
	buf *moved, diag_list *d)
{
	const char *html = pages_record_html(e, shown, spare, d);
	if (!html || (!e->scope && strcmp(lang, e->s->languages[0]) == 0))
		return html;
	char *from = url_root_of(shown->url);
	int ok = pages_move_body(e, lang, shown->url, html, from, shown->n_rooted, moved) == 0;
	if (!ok)
		ok = render_again(e, shown, lang, moved, d) == 0;
	free(from);
	return ok ? moved->ptr ? moved->ptr : "" : NULL;
}

/*
 * r's page in lang: its translation into lang where there is one, else the
 * original's text marked with its language under a notice that it exists
 * only in that language; the UI, names and lists in lang either way.
 */
static int write_record_in(const pages_env *e, const record *r, const char *lang, diag_list *d)
{
	const record *tr = record_in_lang(r, lang), *shown = tr ? tr : r;
	char key[41];
	const history_commit *src = NULL;
	int keyed = record_page_key(e, shown, lang, &src, key);
	char *path = pages_out_path(e, lang, r->url);
	if (keyed && output_keep(e->out, path, key)) {
		free(path);
		return 0;
	}
	buf cached = BUF_INIT, moved = BUF_INIT;
	const char *html = body_in(e, shown, lang, &cached, &moved, d);
	if (!html) {
		free(path);
		buf_release(&cached);
		buf_release(&moved);
		return -1;
	}
	const value *t = theme_strings(e->th, lang);
	const char *title = r->type == REC_MUNICIPALITY || r->type == REC_REGION ?
		pages_name(r, lang) : shown->title;
	value *ctx = pages_base_context(e, lang, r->url, title);
	value *page = value_map_get(ctx, "page");
	if (r->type == REC_MINUTES) {
		char *full = pages_full_title(shown);
		pages_set_head_title(e, ctx, full);
		free(full);
	}
	if (shown->summary && *shown->summary)
		value_map_set_str(page, "description", shown->summary);
	add_region_crumbs(e, ctx, r, lang, title, NULL);
	if (keyed && src) {
		buf date = BUF_INIT;
		format_date(&date, src->time, src->offset);
		pages_set_source(ctx, src->id, date.ptr);
		buf_release(&date);
	}
	value *rc = record_context(e, shown, html, t, lang);
	if (r->type == REC_REGION || r->type == REC_MUNICIPALITY) {
		/* the name in the page's language first, the other one beside it with its lang */
		value_map_set_str(rc, "name", title);
		const char *sv = value_map_str(r->meta, "name_sv"), *fi = record_display_name(r);
		int other = sv && *sv && strcmp(sv, fi) != 0, in_sv = other && strcmp(title, sv) == 0;
		value_map_set_str(rc, "alt_name", other ? (in_sv ? fi : sv) : "");
		value_map_set_str(rc, "alt_lang", in_sv ? r->lang : "sv");
	}
	value_map_set(ctx, "record", rc);
	int has_text = html_has_text(html);
	buf_release(&cached);
	buf_release(&moved);
	if (!tr && has_text) {
		/* the text exists only in its own language: said, and marked for screen readers */
		buf k = BUF_INIT;
		buf_printf(&k, "only_in_%s", r->lang);
		value_map_set_str(ctx, "text_lang", r->lang);
		value_map_set_str(ctx, "untranslated", pages_tr(t, k.ptr));
		buf_release(&k);
	} else {
		value_map_set_bool(ctx, "text_lang", 0);
	}
	if (e->hist) {
		value *hs = histpages_record_summary(e, shown);
		if (hs)
			value_map_set(ctx, "history", hs);
		const record *m = r->type == REC_MUNICIPALITY ? r :
			(r->n_municipalities == 1 ? r->municipalities[0] : NULL);
		value *feeds = histpages_feeds(e, lang, r->region, m);
		if (feeds)
			value_map_set(ctx, "feeds", feeds);
	}
	if (r->type == REC_REGION || r->type == REC_MUNICIPALITY || r->type == REC_PARTNERSHIP)
		set_subscribe(e, ctx, lang, r->url, r->type == REC_PARTNERSHIP);
	const char *tmpl = r->type == REC_REGION ? "region" :
		r->type == REC_MUNICIPALITY ? "municipality" : "record";
	int ret = 0;
	if (r->type == REC_REGION)
		ret |= region_parts(e, ctx, r, t, lang, d);
	else if (r->type == REC_MUNICIPALITY)
		ret |= municipality_parts(e, ctx, r, t, lang, d);
	ret |= pages_render_keyed(e, tmpl, ctx, path, keyed ? key : NULL, d);
	free(path);
	value_free(ctx);
	return ret ? -1 : 0;
}

/* A record that some section lists: of a type that has a section. */
static int pred_sectioned(const record *r, const void *arg)
{
	(void)arg;
	for (size_t k = 0; k < sizeof(type_sections) / sizeof(type_sections[0]); k++)
		if (pred_type(r, type_sections[k]))
			return 1;
	return 0;
}

/* A record that a municipality's list of all records shows (arg: the municipality). */
static int pred_muni_sectioned(const record *r, const void *arg)
{
	const record *m = arg;
	return pred_sectioned(r, NULL) && municipality_shows(m, r->type, r->region,
		r->municipalities, r->n_municipalities, r->meta);
}

/*
 * A region's or a municipality's list of all its records (owner: the region's
 * or municipality's record). Its source is the newest change among them, so
 * that a commit elsewhere leaves it as it is.
 */
static int write_all_records(const pages_env *e, const record *owner, const char *lang,
	diag_list *d)
{
	const region *g = owner->region;
	int is_muni = owner->type == REC_MUNICIPALITY;
	char *url = url_all_records(owner->url), *path = pages_out_path(e, lang, url);
	size_t n;
	record **recs = collect(e, g, is_muni ? pred_muni_sectioned : pred_sectioned,
		is_muni ? (const void *)owner : NULL, &n);
	const history_commit *newest = pages_list_newest(e, (const record *const *)recs, n, lang);
	free(recs);
	char key[41];
	int keyed = pages_list_key(e, "theme", url, lang, newest, NULL, key);
	if (keyed && output_keep(e->out, path, key)) {
		free(path);
		free(url);
		return 0;
	}
	const value *t = theme_strings(e->th, lang);
	const char *name = pages_name(owner, lang);
	char *title = xasprintf("%s: %s", name, pages_tr(t, "all_records"));
	value *ctx = pages_base_context(e, lang, url, title);
	if (is_muni)
		add_region_crumbs(e, ctx, owner, lang, name, owner->url);
	else
		pages_add_crumb(e, ctx, name, owner->url);
	pages_add_crumb(e, ctx, pages_tr(t, "all_records"), NULL);
	value *th = value_map(0);
	value_map_set_str(th, "name", title);
	/* above the heading: the theme template says "Teema" unless the page names its kind */
	value_map_set_str(th, "kind", pages_tr(t, is_muni ? "municipality" : "region"));
	value_map_set(ctx, "theme", th);
	section_opts o = { .g = g, .muni = is_muni ? owner : NULL, .max = (size_t)-1,
		.all_types = 1 };
	value_map_set(ctx, "sections", sections_for(e, t, lang, &o));
	pages_set_list_source(ctx, newest);
	set_subscribe(e, ctx, lang, owner->url, 0);
	int ret = pages_render_keyed(e, "theme", ctx, path, keyed ? key : NULL, d);
	free(path);
	free(title);
	free(url);
	value_free(ctx);
	return ret;
}

static int write_record(const pages_env *e, const record *r, diag_list *d)
{
	int ret = 0;
	for (size_t l = 0; l < e->s->n_languages; l++) {
		ret |= write_record_in(e, r, e->s->languages[l], d);
		if (r->type == REC_REGION || r->type == REC_MUNICIPALITY)
			ret |= write_all_records(e, r, e->s->languages[l], d);
	}
	return ret ? -1 : 0;
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
static value *az_list(const site *s, const char *lang)
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
			const char *in_sv = strcmp(lang, "sv") == 0 ? "sv" : NULL;
			es[n++] = (az_entry){ record_display_name(m), in_sv ? m->lang : NULL, NULL,
				pages_region_name(g, lang), url_href(m->url) };
			/* the name in the page's language leads; the other one is marked with its */
			if (sv && *sv && strcmp(sv, record_display_name(m)) != 0)
				es[n++] = (az_entry){ sv, in_sv ? NULL : "sv",
					in_sv ? NULL : record_display_name(m), pages_region_name(g, lang),
					url_href(m->url) };
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

static int write_front(const pages_env *e, const char *lang, diag_list *d)
{
	const site *s = e->s;
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
		value_map_set_str(it, "name", pages_region_name(g, lang));
		pages_link(e, lang, it, "href", g->rec->url);
		if (strcmp(lang, "sv") != 0)
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
	value *az = az_list(s, lang);
	value_map_set_bool(ctx, "has_az", value_len(az) > 0);
	value_map_set(ctx, "az", az);
	size_t n;
	record **recs = collect(e, NULL, pred_listed, NULL, &n);
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (recs[i]->region)
			recs[w++] = recs[i];
	value *latest = value_map(0);
	value_map_set(latest, "items", pages_item_list(e, recs, w, LATEST_MAX, t, lang, 1));
	value_map_set(ctx, "latest", latest);
	free(recs);
	value *pages = value_list(0);
	for (size_t i = 0; i < s->n_records; i++) {
		const record *r = s->records[i];
		if (!r->region && !r->draft)
			value_list_push(pages, pages_record_item(e, r, t, lang));
	}
	set_list(ctx, "pages", "has_pages", pages);
	if (e->hist) {
		value *feeds = histpages_feeds(e, lang, NULL, NULL);
		if (feeds)
			value_map_set(ctx, "feeds", feeds);
	}
	set_subscribe(e, ctx, lang, url_fixed(URL_FRONT), 0);
	int ret = add_page_hooks(e, ctx, "front", NULL, lang, d);
	char *front = pages_out_path(e, lang, url_fixed(URL_FRONT));
	ret |= pages_render(e, "index", ctx, front, d);
	free(front);
	value_free(ctx);
	return ret ? -1 : 0;
}

/* A theme's page: its records by type, its partnership groups with region and area. */
static int write_theme(const pages_env *e, const theme_def *td, const char *lang,
	size_t *n_records, diag_list *d)
{
	const value *t = theme_strings(e->th, lang);
	char *url = url_theme(td->slug), *path = pages_out_path(e, lang, url);
	size_t n;
	record **themed = collect(e, NULL, pred_theme, td->slug, &n);
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (pred_sectioned(themed[i], NULL))
			themed[w++] = themed[i];
	*n_records = w;
	const history_commit *newest = pages_list_newest(e, (const record *const *)themed, w, lang);
	char key[41];
	int keyed = pages_list_key(e, "theme", url, lang, newest, NULL, key);
	if (keyed && output_keep(e->out, path, key)) {
		free(themed);
		free(path);
		free(url);
		return 0;
	}
	char *themes_url = url_theme(NULL);
	value *ctx = pages_base_context(e, lang, url, theme_name(td, lang));
	value_map_set_bool(value_map_get(ctx, "page"), "is_themes", 1);
	pages_add_crumb(e, ctx, pages_tr(t, "themes"), themes_url);
	free(themes_url);
	pages_add_crumb(e, ctx, theme_name(td, lang), NULL);
	value *th = value_map(0);
	value_map_set_str(th, "name", theme_name(td, lang));
	value_map_set_str(th, "slug", td->slug);
	value_map_set(ctx, "theme", th);
	section_opts o = { .theme_slug = td->slug, .max = (size_t)-1 };
	value_map_set(ctx, "sections", sections_for(e, t, lang, &o));
	/* partnership groups across regions, with their region and area */
	value *pl = value_list(0);
	for (size_t k = 0; k < w; k++) {
		if (themed[k]->type != REC_PARTNERSHIP)
			continue;
		value *it = pages_record_item(e, themed[k], t, lang);
		if (themed[k]->region)
			value_map_set_str(it, "region_name", pages_region_name(themed[k]->region, lang));
		const area *a = find_area(themed[k]->region, value_map_str(themed[k]->meta, "area"));
		if (a)
			value_map_set_str(it, "area_name", a->name);
		value_list_push(pl, it);
	}
	free(themed);
	set_list(ctx, "partnerships", "has_partnerships", pl);
	pages_set_list_source(ctx, newest);
	set_subscribe(e, ctx, lang, url, 1);
	int ret = pages_render_keyed(e, "theme", ctx, path, keyed ? key : NULL, d);
	free(path);
	free(url);
	value_free(ctx);
	return ret;
}

static int write_themes(const pages_env *e, const char *lang, diag_list *d)
{
	const site *s = e->s;
	const value *t = theme_strings(e->th, lang);
	int ret = 0;
	value *list = value_list(0);
	for (size_t i = 0; i < s->n_themes; i++) {
		const theme_def *td = &s->themes[i];
		size_t n_records = 0;
		ret |= write_theme(e, td, lang, &n_records, d);
		char *url = url_theme(td->slug);
		value *it = value_map(0);
		value_map_set_str(it, "name", theme_name(td, lang));
		pages_link(e, lang, it, "href", url);
		value_map_set_num(it, "n_records", (double)n_records);
		char *cr = pages_count(t, "count_records", n_records);
		value_map_set_str(it, "count_records", cr);
		free(cr);
		free(url);
		value_list_push(list, it);
	}
	char *themes_url = url_theme(NULL), *themes_path = pages_out_path(e, lang, themes_url);
	value *ctx = pages_base_context(e, lang, themes_url, pages_tr(t, "themes"));
	value_map_set_bool(value_map_get(ctx, "page"), "is_themes", 1);
	pages_add_crumb(e, ctx, pages_tr(t, "themes"), NULL);
	value_map_set(ctx, "themes", list);
	ret |= pages_render(e, "themes", ctx, themes_path, d);
	free(themes_path);
	free(themes_url);
	value_free(ctx);
	return ret ? -1 : 0;
}

static int write_misc(const pages_env *e, const char *lang, diag_list *d)
{
	const site *s = e->s;
	const value *t = theme_strings(e->th, lang);
	int ret = 0;
	/* 404 is served from anywhere: links must not be relative, so use the base path */
	value *ctx = pages_base_context(e, lang, "/", pages_tr(t, "not_found_title"));
	value_map_set_bool(value_map_get(ctx, "page"), "is_home", 0);
	value_map_set_bool(value_map_get(ctx, "page"), "noindex", 1);
	value_map_set(value_map_get(ctx, "page"), "canonical", value_null(0));
	if (s->base_url && *s->base_url) {
		char *home = pages_place(e, lang, "/");
		char *lroot = url_absolute(s->base_url, home);
		value_map_set_str(ctx, "root", lroot);
		value_map_set_str(ctx, "site_root", s->base_url);
		free(lroot);
		free(home);
	}
	char *path = pages_out_path(e, lang, url_fixed(URL_NOT_FOUND));
	ret |= pages_render(e, "404", ctx, path, d);
	free(path);
	value_free(ctx);

	ret |= statement_write(e, lang, d);
	ret |= parity_write(e, lang, d);
	return ret ? -1 : 0;
}

/* The page at href (from the root) in lang, with its alternates in every language. */
static void sitemap_entry(const pages_env *e, buf *b, const char *base, const char *href,
	const char *lang)
{
	const site *s = e->s;
	char *url = xasprintf("/%s", href), *placed = pages_place(e, lang, url);
	buf_puts(b, "<url><loc>");
	buf_puts_xml(b, base);
	buf_puts_xml(b, url_href(placed));
	buf_puts(b, "</loc>");
	for (size_t l = 0; s->n_languages > 1 && l <= s->n_languages; l++) {
		char *alt = pages_place(e, l < s->n_languages ? s->languages[l] : s->languages[0], url);
		buf_puts(b, "<xhtml:link rel=\"alternate\" hreflang=\"");
		buf_puts_xml(b, l < s->n_languages ? s->languages[l] : "x-default");
		buf_puts(b, "\" href=\"");
		buf_puts_xml(b, base);
		buf_puts_xml(b, url_href(alt));
		buf_puts(b, "\"/>");
		free(alt);
	}
	buf_puts(b, "</url>\n");
	free(placed);
	free(url);
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
	urls = xgrow(urls, sizeof(char *), n + 2, &cap);
	urls[n++] = xstrdup(url_fixed(URL_DATA));
	urls[n++] = xstrdup(url_fixed(URL_DEADLINES));
	if (s->n_languages > 1) {
		urls = xgrow(urls, sizeof(char *), n + 1, &cap);
		urls[n++] = xstrdup(url_href(url_fixed(URL_PARITY)));
	}
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
	const char *home = pages_scope_home(e);
	for (size_t i = 0; i < s->n_records; i++) {
		if (s->records[i]->draft || (home && strcmp(s->records[i]->url, home) == 0))
			continue;
		urls = xgrow(urls, sizeof(char *), n + 2, &cap);
		urls[n++] = xstrdup(s->records[i]->url);
		if (s->records[i]->type == REC_MUNICIPALITY)
			urls[n++] = url_all_records(s->records[i]->url);
	}
	/* as links from the root */
	for (size_t i = 0; i < n; i++)
		memmove(urls[i], url_href(urls[i]), strlen(url_href(urls[i])) + 1);
	qsort(urls, n, sizeof(char *), cmp_str);
	buf b = BUF_INIT;
	buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"");
	if (s->n_languages > 1)
		buf_puts(&b, " xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
	buf_puts(&b, ">\n");
	for (size_t i = 0; i < n; i++) {
		for (size_t l = 0; l < s->n_languages; l++)
			sitemap_entry(e, &b, base, urls[i], s->languages[l]);
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
		char *url = url_of_file(f->path), *path = pages_file_path(e, url);
		ret |= output_write(e->out, path, f->data, f->len, d);
		free(path);
		free(url);
	}
	return ret ? -1 : 0;
}

int pages_write_search(const pages_env *e, diag_list *d)
{
	int ret = 0;
	for (size_t l = 0; l < e->s->n_languages; l++)
		ret |= search_write(e, e->s->languages[l], d);
	return ret ? -1 : 0;
}

int pages_write_site(const pages_env *e, diag_list *d)
{
	int ret = 0;
	for (size_t l = 0; l < e->s->n_languages; l++) {
		const char *lang = e->s->languages[l];
		/* a scoped site's front page is its home's: the record's page at its root */
		if (!e->scope)
			ret |= write_front(e, lang, d);
		ret |= write_themes(e, lang, d);
		ret |= partners_write(e, lang, d);
		ret |= write_misc(e, lang, d);
	}
	ret |= write_sitemap(e, d);
	ret |= write_files(e, d);
	return ret ? -1 : 0;
}

int pages_write_record(const pages_env *e, const record *r, diag_list *d)
{
	return write_record(e, r, d);
}
