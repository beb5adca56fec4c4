#include "scope.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cache.h"
#include "history.h"
#include "util.h"
#include "banned.h"

struct site_scope {
	char *name;                  /* "kainuu", "kainuu/kajaani" */
	const site *whole;
	site *part;
	const region *g;
	const record *home;          /* region.md or the municipality */
	char *folder, *home_url;     /* "/kainuu/"; "/kajaani/" or NULL */
	char *title;                 /* the site's title: its home's name first */
	url_site us;
	const unsigned char *files;  /* per file of whole: published here; NULL: not known yet */
};

/* An address ends in '/': "" for none. */
static char *base_of(const record *r)
{
	const char *b = r ? value_map_str(r->meta, "base_url") : NULL;
	if (!b || !*b)
		return xstrdup("");
	return str_has_suffix(b, "/") ? xstrdup(b) : xasprintf("%s/", b);
}

int scope_holds(const site_scope *sc, const region *g, record_type type, record *const *munis,
	size_t n_munis, const value *meta)
{
	if (g != sc->g)
		return 0;
	if (!sc->home_url)
		return 1;
	if (type == REC_REGION)
		return 0;
	return municipality_shows(sc->home, type, g, munis, n_munis, meta);
}

/* 1 when the scope holds whole's record r (translations: their original). */
static int holds(const site_scope *sc, const record *r)
{
	if (r->original)
		r = r->original;
	return scope_holds(sc, r->region, r->type, r->municipalities, r->n_municipalities, r->meta);
}

site_scope *scope_new(const site *whole, const char *spec, diag_list *d)
{
	char *slug = xstrdup(spec);
	char *muni = strchr(slug, '/');
	if (muni)
		*muni++ = '\0';
	const region *g = site_find_region(whole, slug);
	const record *m = muni ? site_find_municipality(whole, muni) : NULL;
	if (!g || (muni && (!m || m->region != g))) {
		if (!g)
			diag_error(d, NULL, 0, "--scope '%s' names no region of the content (expected a "
				"region's folder, e.g. 'kainuu', or a region and one of its "
				"municipalities, e.g. 'kainuu/kajaani')", spec);
		else
			diag_error(d, NULL, 0, "--scope '%s' names no municipality of that region "
				"(expected a region's folder, e.g. 'kainuu', or a region and one of its "
				"municipalities, e.g. 'kainuu/kajaani')", spec);
		free(slug);
		return NULL;
	}
	if (!whole->base_url || !*whole->base_url) {
		diag_error(d, "site.yaml", 1, "a scoped site needs the whole site's base_url "
			"(expected base_url: https://..., the address its links to other regions go to)");
		free(slug);
		return NULL;
	}
	site_scope *sc = xcalloc(1, sizeof(*sc));
	sc->name = xstrdup(spec);
	sc->whole = whole;
	sc->g = g;
	sc->home = m ? m : g->rec;
	sc->folder = url_of_slug(g->slug);
	sc->home_url = m ? xstrdup(m->url) : NULL;
	sc->us = (url_site){ whole->languages[0], sc->folder, sc->home_url };
	unsigned char *keep = xcalloc(whole->n_records + 1, 1);
	for (size_t i = 0; i < whole->n_records; i++)
		keep[i] = (unsigned char)holds(sc, whole->records[i]);
	char *base = base_of(sc->home);
	/* a region's municipalities are on its site; a municipality's site shows no region */
	sc->part = site_part(whole, keep, m ? NULL : g, m ? 0 : 1, base);
	/* "Joensuu – Avoin": its home's name, then the whole site's short name (before its " – ") */
	const char *wt = whole->title ? whole->title : "", *dash = strstr(wt, " – ");
	sc->title = xasprintf("%s – %.*s", record_display_name(sc->home),
		(int)(dash ? (size_t)(dash - wt) : strlen(wt)), wt);
	sc->part->title = sc->title;
	free(base);
	free(keep);
	free(slug);
	return sc;
}

void scope_free(site_scope *sc)
{
	if (!sc)
		return;
	site_part_free(sc->part);
	free(sc->name);
	free(sc->title);
	free(sc->folder);
	free(sc->home_url);
	free(sc);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **scope_list(const site *whole, size_t *n)
{
	size_t cap = 0;
	char **v = NULL;
	*n = 0;
	for (size_t i = 0; i < whole->n_regions; i++) {
		const region *g = &whole->regions[i];
		if (g->rec->draft)
			continue;
		v = xgrow(v, sizeof(*v), *n + 1, &cap);
		v[(*n)++] = xstrdup(g->slug);
		size_t first = *n;
		for (size_t k = 0; k < g->n_municipalities; k++) {
			if (g->municipalities[k]->draft)
				continue;
			v = xgrow(v, sizeof(*v), *n + 1, &cap);
			v[(*n)++] = xasprintf("%s/%s", g->slug, g->municipalities[k]->slug);
		}
		qsort(v + first, *n - first, sizeof(*v), cmp_str);
	}
	return v;
}

const char *scope_name(const site_scope *sc) { return sc->name; }
const char *scope_folder(const site_scope *sc) { return sc->home_url ? sc->home->slug : sc->g->slug; }
const site *scope_site(const site_scope *sc) { return sc->part; }
const site *scope_whole(const site_scope *sc) { return sc->whole; }
const record *scope_home(const site_scope *sc) { return sc->home; }
const url_site *scope_url_site(const site_scope *sc) { return &sc->us; }

void scope_set_files(site_scope *sc, const unsigned char *published)
{
	sc->files = published;
}

/*
 * 1 when the scope holds url, which lies in its folders: a page of a record
 * it holds (or one of the generator's pages under it), or a file one of them
 * names. A page of no current record (a removed or renamed one's) is the
 * history's to give or not (histpages.c asks scope_holds()).
 */
static int holds_url(const site_scope *sc, const char *url)
{
	const model_file *f = url[0] == '/' ? site_find_file(sc->whole, url + 1) : NULL;
	if (f)
		return !sc->files || sc->files[f - sc->whole->files];
	char *page = url_page_of(url);
	const record *o = site_find_url(sc->whole, page);
	free(page);
	return !o || site_find_url(sc->part, o->url) != NULL;
}

char *scope_place(const site_scope *sc, const char *lang, const char *url)
{
	char *p = url_place(&sc->us, lang, url);
	if (!p)
		return NULL;
	int in_folders = str_has_prefix(url, sc->folder) ||
		(sc->home_url && str_has_prefix(url, sc->home_url));
	if (in_folders && !holds_url(sc, url)) {
		free(p);
		return NULL;
	}
	return p;
}

char *scope_outside(const site_scope *sc, const char *lang, const char *url)
{
	const site *s = sc->whole;
	/* on its region's own site where that has an address */
	char *top = url[0] == '/' ? path_top_folder(url + 1) : NULL;
	const region *g = top ? site_find_region(s, top) : NULL;
	char *base = g ? base_of(g->rec) : xstrdup("");
	char *out = NULL;
	if (*base) {
		char *folder = url_of_slug(g->slug);
		url_site us = { s->languages[0], folder, NULL };
		char *p = url_place(&us, lang, url);
		if (p)
			out = url_absolute(base, p);
		free(p);
		free(folder);
	}
	if (!out) {
		url_site us = { s->languages[0], NULL, NULL };
		char *p = url_place(&us, lang, url);
		out = url_absolute(s->base_url, p);
		free(p);
	}
	free(base);
	free(top);
	return out;
}

site_scope **scope_open(const site *whole, const char *spec, size_t *n, diag_list *d)
{
	size_t want = 1;
	char **names = spec ? NULL : scope_list(whole, &want);
	site_scope **v = xcalloc(want + 1, sizeof(*v));
	int ok = 1;
	*n = 0;
	for (size_t k = 0; k < want && ok; k++) {
		site_scope *sc = scope_new(whole, names ? names[k] : spec, d);
		if (!sc)
			break;
		v[(*n)++] = sc;
		for (size_t j = 0; names && j + 1 < *n; j++)
			if (strcmp(scope_folder(v[j]), scope_folder(sc)) == 0) {
				diag_error(d, NULL, 0, "--all-scopes would write the sites of '%s' and '%s' "
					"into one folder '%s' (expected a municipality's slug that is no "
					"region's folder)", v[j]->name, sc->name, scope_folder(sc));
				ok = 0;
			}
	}
	ok = ok && *n == want;
	for (size_t k = 0; names && k < want; k++)
		free(names[k]);
	free(names);
	if (!ok) {
		for (size_t k = 0; k < *n; k++)
			scope_free(v[k]);
		free(v);
		*n = 0;
		return NULL;
	}
	return v;
}

const history_commit *scope_newest(const site_scope *sc)
{
	const history_commit *newest = NULL;
	for (size_t i = 0; i < site_n_texts(sc->part); i++) {
		const record *r = site_text_at(sc->part, i);
		if (!r->draft && r->last_change && (!newest || r->last_change->seq < newest->seq))
			newest = r->last_change;
	}
	return newest;
}

void scope_page_base(const site_scope *sc, const char *base, char out[41])
{
	out[0] = '\0';
	if (!base[0])
		return;
	buf in = BUF_INIT;
	buf_printf(&in, "%s\nscope %s\n", base, sc->name);
	cache_key k;
	cache_key_of(&in, &k);
	cache_key_hex(&k, out);
	buf_release(&in);
}
