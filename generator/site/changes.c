/*
 * The lists of changes ("Muutokset") of the site, of each region and of each
 * municipality, newest first with numbered archive pages, and the same as
 * Atom feeds; and the feeds alone of each theme and partnership group:
 * built in one pass over the commits from the changes the history pages
 * indexed (histpages_impl.h).
 */
#include "histpages_impl.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cache.h"
#include "output.h"
#include "urls.h"
#include "util.h"
#include "msg.h"
#include "banned.h"

/* ---- "Muutokset" pages and Atom feeds ---- */

typedef struct sitem {
	size_t ci;                  /* commit index, newest first */
	const history_change *c;
	const cinfo *info;          /* NULL: a file that is not a record */
} sitem;

typedef struct scope {
	char *owner;                /* the page whose changes these are: "/", a region's, ... */
	char *url;                  /* the changes page (url_changes) */
	const char *name;           /* region or municipality name; NULL for the site */
	char *feed;                 /* its feed */
	const region *g;
	const record *muni;
	const theme_def *theme;     /* a theme's feed: the changes of its records */
	const record *group;        /* a partnership group's feed: its own changes */
	int feed_only;              /* a theme's or group's: a feed, no pages; url is owner's page */
	sitem *items;
	size_t n, cap;
	size_t n_commits;
} scope;

static void scope_add(scope *sc, size_t ci, const history_change *c, const cinfo *info)
{
	if (sc->n && sc->items[sc->n - 1].ci == ci && sc->items[sc->n - 1].c == c)
		return;
	if (!sc->n || sc->items[sc->n - 1].ci != ci)
		sc->n_commits++;
	sc->items = xgrow(sc->items, sizeof(sitem), sc->n + 1, &sc->cap);
	sc->items[sc->n++] = (sitem){ ci, c, info };
}

/* The scope's name in lang: its region's or municipality's, NULL for the whole site. */
static const char *scope_name(const scope *sc, const char *lang)
{
	if (sc->theme)
		return theme_name(sc->theme, lang);
	if (sc->group) {
		const record *tr = record_in_lang(sc->group, lang);
		return tr ? tr->title : sc->group->title;
	}
	return sc->muni ? pages_name(sc->muni, lang) : sc->g ? pages_region_name(sc->g, lang) : NULL;
}

static char *scope_title(const scope *sc, const value *t, const char *lang)
{
	const char *name = scope_name(sc, lang);
	if (!name)
		return xstrdup(pages_tr(t, "hist_changes"));
	return xasprintf("%s: %s", pages_tr(t, "hist_changes"), name);
}

static value *item_value(const hp *st, const sitem *it, const value *t, const char *lang)
{
	value *m = value_map(0);
	const history_change *c = it->c;
	hp_set_kind(m, t, c->kind, "hist_change_");
	if (c->kind == CHANGE_RENAMED && c->old_path)
		value_map_set_str(m, "from", c->old_path);
	value_map_set_str(m, "path", c->path);
	if (!it->info) {
		value_map_set_bool(m, "file", 1);
		return m;
	}
	const lineage *L = it->info->l;
	value_map_set_str(m, "title", L->title);
	if (L->rec || L->no_removal)
		pages_link(st->e, lang, m, "href", L->url);
	else   /* a removed record's page is in its own language only: from the site's root */
		pages_link_site(st->e, L->lang, m, "site_href", L->url);
	/* a history is in its file's language: from the site's root, for {{site_root}} */
	char *hist = url_history(L->url);
	pages_link_site(st->e, L->lang, m, "history_href", hist);
	free(hist);
	if (it->info->vhref)
		value_map_set_str(m, "version_href", it->info->vhref);
	return m;
}

/*
 * What one page of a scope's changes shows, as a digest the same in every
 * language, for its page key (changes_page_key), from what the page shows rather
 * than from its context (building every page's context only to find it
 * unchanged would cost a rebuild as much as writing them): the scope and its
 * name, the page's number and the number of pages, and of each commit on it
 * what hp_commit_value() and item_value() show. Names of regions and
 * municipalities, record titles and URLs, the theme's strings and settings
 * such as whether authors are shown are in page_base.
 */
static void changes_page_digest(const hp *st, const scope *sc, const size_t *first,
	size_t from, size_t to, size_t k, size_t archive, char digest[41])
{
	buf b = BUF_INIT;
	buf_printf(&b, "changes 3\n%s\n%s\n%zu %zu %d\n", sc->url, sc->name ? sc->name : "",
		k, archive, st->authors);
	for (size_t j = from; j < to; j++) {
		const history_commit *c = history_commit_at(st->h, sc->items[first[j]].ci);
		/* strings go in with their lengths, not through printf: this runs for every page */
		buf_printf(&b, "commit %s %lld %d\n", c->id, (long long)c->time, c->offset);
		const char *strs[3] = { c->author, c->message, c->summary };
		for (size_t x = 0; x < 3; x++) {
			size_t n = strs[x] ? strlen(strs[x]) : 0;
			buf_printf(&b, "%zu ", n);
			buf_put(&b, strs[x] ? strs[x] : "", n);
			buf_putc(&b, '\n');
		}
		for (size_t i = first[j]; i < first[j + 1]; i++) {
			const sitem *it = &sc->items[i];
			buf_printf(&b, "item %d ", (int)it->c->kind);
			const char *parts[5] = { it->c->path, it->c->old_path,
				it->info ? it->info->l->title : NULL, it->info ? it->info->l->url : NULL,
				it->info ? it->info->vhref : NULL };
			for (size_t x = 0; x < 5; x++) {
				buf_puts(&b, parts[x] ? parts[x] : "");
				buf_putc(&b, '\n');
			}
		}
	}
	cache_key ck;
	cache_key_of(&b, &ck);
	cache_key_hex(&ck, digest);
	buf_release(&b);
}

/* The page key of a page of changes in lang: its digest (the same in every language) and lang. */
static void changes_page_key(const hp *st, const char *lang, const char *digest, char key[41])
{
	buf b = BUF_INIT;
	buf_printf(&b, "changes %s %s", lang, digest);
	pages_key(st->e, &b, key);
	buf_release(&b);
}

/* The front page (k = 0) or archive page k. */
static char *page_url(const scope *sc, size_t k)
{
	return url_changes(sc->owner, k);
}

/* Where one page of a scope's list of changes is, in the scope's commits: k, [from, to). */
typedef struct changes_page {
	const size_t *first;      /* the index of the first item of the j-th newest commit */
	size_t from, to;          /* commits j in [from, to), newest first */
	size_t k, archive;        /* the page (0: the newest) and the number of archive pages */
	const char *digest;       /* changes_page_digest(), NULL: no page key */
} changes_page;

/* One page of a scope's changes in lang. */
static int write_changes_page(const hp *st, const scope *sc, const char *lang,
	const changes_page *pg, diag_list *d)
{
	const value *t = theme_strings(st->e->th, lang);
	size_t k = pg->k, archive = pg->archive;
	char *url = page_url(sc, k);
	char key[41] = "", *path = pages_out_path(st->e, lang, url);
	if (pg->digest) {
		changes_page_key(st, lang, pg->digest, key);
		if (output_keep(st->e->out, path, key)) {
			free(path);
			free(url);
			return 0;
		}
	}
	char *title = scope_title(sc, t, lang);
	char *ptitle = k ? xasprintf("%s (%s %zu)", title, pages_tr(t, "hist_page"), k) :
		xstrdup(title);
	value *ctx = pages_base_context(st->e, lang, url, ptitle);
	if (sc->g && !sc->g->rec->draft)
		pages_add_crumb(st->e, ctx, pages_region_name(sc->g, lang), sc->g->rec->url);
	if (sc->muni)
		pages_add_crumb(st->e, ctx, pages_name(sc->muni, lang), sc->muni->url);
	if (k) {
		pages_add_crumb(st->e, ctx, pages_tr(t, "hist_changes"), sc->url);
		char *pl = xasprintf("%s %zu", pages_tr(t, "hist_page"), k);
		pages_add_crumb(st->e, ctx, pl, NULL);
		free(pl);
	} else {
		pages_add_crumb(st->e, ctx, pages_tr(t, "hist_changes"), NULL);
	}
	value *feeds = histpages_feeds(st->e, lang, sc->g, sc->muni);
	if (feeds)
		value_map_set(ctx, "feeds", feeds);
	value *ch = value_map(0);
	value_map_set_str(ch, "title", title);
	if (sc->name)
		value_map_set_str(ch, "name", scope_name(sc, lang));
	pages_link(st->e, lang, ch, "feed_href", sc->feed);
	value_map_set(ctx, "changes", ch);

	value *commits = value_list(0);
	for (size_t j = pg->from; j < pg->to; j++) {
		size_t ci = sc->items[pg->first[j]].ci;
		value *cv = hp_commit_value(st, history_commit_at(st->h, ci));
		value *items = value_list(0);
		for (size_t i = pg->first[j]; i < pg->first[j + 1]; i++)
			value_list_push(items, item_value(st, &sc->items[i], t, lang));
		value_map_set(cv, "items", items);
		value_list_push(commits, cv);
	}
	if (st->e->page_base && pg->from < pg->to)
		hp_set_source(ctx, history_commit_at(st->h, sc->items[pg->first[pg->from]].ci));
	value_map_set_bool(ctx, "has_commits", value_len(commits) > 0);
	value_map_set(ctx, "commits", commits);
	if (archive) {
		value *pv = value_map(0);
		if (k) {
			value_map_set_num(pv, "page", (double)k);
			value_map_set_num(pv, "pages", (double)archive);
			char *u = page_url(sc, k == archive ? 0 : k + 1);
			pages_link(st->e, lang, pv, "newer_href", u);
			free(u);
		} else {
			value_map_set_bool(pv, "latest", 1);
		}
		if (k != 1) {
			char *u = page_url(sc, k == 0 ? archive : k - 1);
			pages_link(st->e, lang, pv, "older_href", u);
			free(u);
		}
		value_map_set(ctx, "pager", pv);
	}
	int ret = pages_render_keyed(st->e, "changes", ctx, path, pg->digest ? key : NULL, d);
	free(path);
	value_free(ctx);
	free(ptitle);
	free(title);
	free(url);
	return ret;
}

/*
 * The list of changes of one scope. The front page shows the newest PER_PAGE
 * commits; the older ones are on archive pages numbered from the oldest:
 * page 1 always holds the first PER_PAGE commits, page 2 the next, and so on.
 * So a new commit changes the front page and the newest archive page, and a
 * link to an archive page keeps showing the same commits. Each page is in every language
 * of the site.
 */
static int write_scope_pages(const hp *st, const scope *sc, diag_list *d)
{
	if (hp_check_url_free(st, sc->url, N_("the list of changes"), d) != 0)
		return -1;
	size_t n = sc->n_commits, *first = xcalloc(n + 1, sizeof(size_t));
	for (size_t i = 0, j = 0; i < sc->n && j < n; j++) {
		first[j] = i;
		size_t ci = sc->items[i].ci;
		while (i < sc->n && sc->items[i].ci == ci)
			i++;
	}
	first[n] = sc->n;
	size_t older = n > PER_PAGE ? n - PER_PAGE : 0;      /* commits on archive pages */
	size_t archive = (older + PER_PAGE - 1) / PER_PAGE;  /* archive pages */
	int ret = 0;
	for (size_t k = 0; k <= archive; k++) {
		changes_page pg = { first, 0, 0, k, archive, NULL };
		if (k == 0) {
			pg.to = n < PER_PAGE ? n : PER_PAGE;
		} else {
			size_t lo = (k - 1) * PER_PAGE, hi = k * PER_PAGE < older ? k * PER_PAGE : older;
			pg.from = n - hi;
			pg.to = n - lo;
		}
		/* a page with no commits shows the built commit: no key (pages_render_keyed's rule) */
		char digest[41];
		if (st->e->page_base && pg.from < pg.to) {
			changes_page_digest(st, sc, first, pg.from, pg.to, k, archive, digest);
			pg.digest = digest;
		}
		for (size_t l = 0; l < st->s->n_languages; l++)
			ret |= write_changes_page(st, sc, st->s->languages[l], &pg, d);
	}
	free(first);
	return ret ? -1 : 0;
}

/* An absolute URL for a site path when base_url is set, else one relative to from_url's folder. */
static char *link_for(const site *s, const char *from_url, const char *url)
{
	if (s->base_url && *s->base_url)
		return xasprintf("%s%s", s->base_url, url_href(url));
	char *root = url_root_of(from_url);
	char *out = strcmp(url, "/") == 0 ? xstrdup(root) : xasprintf("%s%s", root, url_href(url));
	free(root);
	return out;
}

/* From *at on, the scope's next item that a feed shows (a published record's change), or NULL. */
static const sitem *feed_entry(const scope *sc, size_t *at)
{
	for (; *at < sc->n; (*at)++)
		if (sc->items[*at].info)
			return &sc->items[(*at)++];
	return NULL;
}

/*
 * A feed's key: its entries (the commits and changes it shows, with their
 * records' titles and URLs) and lang; the scope's name, base_url and the
 * theme's strings are in page_base. 0 when keys are off or the feed has no
 * entries (then it is as new as the built commit).
 */
static int feed_key(const hp *st, const scope *sc, const char *lang, char key[41])
{
	if (!st->e->page_base)
		return 0;
	buf b = BUF_INIT;
	buf_printf(&b, "feed 1\n%s\n%s\n", sc->url, lang);
	size_t n = 0, at = 0;
	for (const sitem *it; n < FEED_MAX && (it = feed_entry(sc, &at)); n++) {
		const history_commit *c = history_commit_at(st->h, it->ci);
		buf_printf(&b, "%s %d %s\n%s\n%s\n%s\n", c->id, (int)it->c->kind, it->c->path,
			c->author ? c->author : "", it->info->l->title, it->info->l->url);
	}
	if (n)
		pages_key(st->e, &b, key);
	buf_release(&b);
	return n > 0;
}

static int write_feed(const hp *st, const scope *sc, const char *lang, diag_list *d)
{
	char key[41];
	int keyed = feed_key(st, sc, lang, key);
	if (keyed) {
		char *placed = pages_place(st->e, lang, sc->feed);
		int kept = output_keep(st->e->out, url_href(placed), key);
		free(placed);
		if (kept)
			return 0;
	}
	const site *s = st->s;
	const value *t = theme_strings(st->e->th, lang);
	char *feed_url = pages_place(st->e, lang, sc->feed);
	char *scope_url = pages_place(st->e, lang, sc->url);
	char *title = scope_title(sc, t, lang);
	buf b = BUF_INIT, tmp = BUF_INIT;

	/* the feed is as new as its newest entry; an empty one as the built commit */
	const history_commit *newest = NULL;
	for (size_t i = 0; i < sc->n && !newest; i++)
		if (sc->items[i].info)
			newest = history_commit_at(st->h, sc->items[i].ci);
	if (newest)
		format_rfc3339(&tmp, newest->time, newest->offset);
	else {
		int64_t when;
		int off;
		pages_built_time(st->e, &when, &off);
		format_rfc3339(&tmp, when, off);
	}

	buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
	buf_puts(&b, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
	hp_put_xml(&b, lang);
	buf_puts(&b, "\">\n<id>");
	if (s->base_url && *s->base_url) {
		hp_put_xml(&b, s->base_url);
		hp_put_xml(&b, url_href(feed_url));
	} else {
		buf_puts(&b, TAG_PREFIX);
		hp_put_xml(&b, url_href(feed_url));
	}
	buf_puts(&b, "</id>\n<title>");
	hp_put_xml(&b, title);
	buf_puts(&b, " – ");
	hp_put_xml(&b, s->title);
	buf_puts(&b, "</title>\n<updated>");
	buf_puts(&b, tmp.ptr);
	buf_puts(&b, "</updated>\n");
	/* without base_url, links are relative to the feed's own folder */
	int abs = s->base_url && *s->base_url;
	char *self = abs ? xasprintf("%s%s", s->base_url, url_href(feed_url)) : xstrdup(url_feed_file());
	char *alt = abs ? xasprintf("%s%s", s->base_url, url_href(scope_url)) : xstrdup("./");
	buf_puts(&b, "<link rel=\"self\" type=\"application/atom+xml\" href=\"");
	hp_put_xml(&b, self);
	buf_puts(&b, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	hp_put_xml(&b, alt);
	buf_puts(&b, "\"/>\n<author><name>");
	hp_put_xml(&b, s->title);
	buf_puts(&b, "</name></author>\n<generator>Avoin</generator>\n");
	free(self);
	free(alt);

	size_t at = 0, n_entries = 0;
	for (const sitem *it; n_entries < FEED_MAX && (it = feed_entry(sc, &at)); n_entries++) {
		const history_commit *c = history_commit_at(st->h, it->ci);
		const lineage *L = it->info->l;
		buf_puts(&b, "<entry>\n<id>" TAG_PREFIX);
		hp_put_xml(&b, c->id);
		buf_putc(&b, '/');
		hp_put_xml(&b, it->c->path);
		buf_puts(&b, "</id>\n<title>");
		buf_reset(&tmp);
		buf_printf(&tmp, "hist_feed_%s", hp_kind_names[it->c->kind]);
		hp_put_xml(&b, pages_tr(t, tmp.ptr));
		buf_puts(&b, ": ");
		hp_put_xml(&b, L->title);
		buf_puts(&b, "</title>\n<updated>");
		buf_reset(&tmp);
		format_rfc3339(&tmp, c->time, c->offset);
		buf_puts(&b, tmp.ptr);
		buf_puts(&b, "</updated>\n");
		if (st->authors && c->author && *c->author) {
			buf_puts(&b, "<author><name>");
			hp_put_xml(&b, c->author);
			buf_puts(&b, "</name></author>\n");
		}
		/* the record's page in the feed's language (a removed record's: in its own) */
		char *page = pages_place(st->e, L->rec || L->no_removal ? lang : L->lang, L->url);
		char *href = link_for(s, feed_url, page);
		free(page);
		buf_puts(&b, "<link rel=\"alternate\" type=\"text/html\" href=\"");
		hp_put_xml(&b, href);
		buf_puts(&b, "\"/>\n<summary type=\"text\">");
		char *msg = hp_clean_message(c->message ? c->message : "");
		hp_put_xml(&b, msg);
		free(msg);
		buf_puts(&b, "</summary>\n</entry>\n");
		free(href);
	}
	buf_puts(&b, "</feed>\n");
	char *path = xasprintf("%s", url_href(feed_url));
	int ret = output_write_keyed(st->e->out, path, keyed ? key : NULL, b.ptr, b.len, d);
	free(path);
	buf_release(&b);
	buf_release(&tmp);
	free(title);
	free(feed_url);
	free(scope_url);
	return ret;
}

/* The scopes besides the site's and the regions' that a lineage's changes go to, by index. */
typedef struct lineage_scopes {
	size_t *scopes;
	size_t n;
	int done;
} lineage_scopes;

/* Scopes found by a record's address: municipalities and partnership groups. */
typedef struct rec_ref {
	const record *r;
	size_t scope;
} rec_ref;

static int cmp_rec_ref(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const rec_ref *)a)->r, y = (uintptr_t)((const rec_ref *)b)->r;
	return x < y ? -1 : x > y;
}

/* Every scope of the changes: the site, regions, municipalities; themes and groups (feeds). */
typedef struct scopes {
	scope *sc;
	size_t n;
	size_t *region_scope;        /* by region index; (size_t)-1: none */
	rec_ref *munis, *groups;     /* sorted by address */
	size_t n_munis, n_groups;
	size_t first_theme;          /* the themes' scopes: [first_theme, first_theme + n_themes) */
} scopes;

static void lineage_add(lineage_scopes *out, size_t *cap, size_t at)
{
	out->scopes = xgrow(out->scopes, sizeof(size_t), out->n + 1, cap);
	out->scopes[out->n++] = at;
}

/*
 * Every municipality whose page shows the lineage's record (municipality_shows:
 * its own, named in `municipalities` or among an agreement's `parties`, or one
 * for the whole region), every theme it names and, a partnership group, its
 * own feed; asked of the record as it is or as it last was.
 */
static void find_scopes(const site *s, const lineage *L, const scopes *all, lineage_scopes *out)
{
	const value *meta = L->rec ? L->rec->meta : L->last_meta;
	record_type type = L->rec ? L->rec->type : REC_PAGE;
	const char *written = L->rec ? NULL : value_map_str(meta, "type");
	if (!L->rec && (!written || record_type_parse(written, &type) != 0))
		type = REC_PAGE;
	size_t cap = 0;
	for (size_t i = 0; i < all->n_munis; i++)
		if (municipality_shows(all->munis[i].r, type, L->region, L->munis, L->n_munis, meta))
			lineage_add(out, &cap, all->munis[i].scope);
	const value *th = value_map_get(meta, "themes");
	for (size_t i = 0; i < value_len(th); i++) {
		const theme_def *td = value_at(th, i)->kind == VAL_STRING ?
			site_find_theme(s, value_at(th, i)->u.str.ptr) : NULL;
		if (td)
			lineage_add(out, &cap, all->first_theme + (size_t)(td - s->themes));
	}
	const record *g = L->rec ? (L->rec->original ? L->rec->original : L->rec) : NULL;
	rec_ref key = { g, 0 }, *found = g && g->type == REC_PARTNERSHIP && all->n_groups ?
		bsearch(&key, all->groups, all->n_groups, sizeof(rec_ref), cmp_rec_ref) : NULL;
	if (found)
		lineage_add(out, &cap, found->scope);
	out->done = 1;
}

static scope *new_scope(scopes *all, const char *owner, int feed_only)
{
	scope *sc = &all->sc[all->n++];
	sc->owner = xstrdup(owner);
	sc->feed_only = feed_only;
	sc->url = feed_only ? xstrdup(owner) : url_changes(owner, 0);
	sc->feed = feed_only ? url_feed(owner) : url_changes_feed(owner);
	return sc;
}

/* home: a scoped site's home page (page.h, pages_scope_home), whose changes are the site's. */
static void make_scopes(const site *s, const char *home, scopes *all)
{
	all->sc = xcalloc(1 + s->n_regions + s->n_themes + s->n_records, sizeof(scope));
	all->region_scope = xcalloc(s->n_regions + 1, sizeof(size_t));
	all->munis = xcalloc(s->n_records + 1, sizeof(rec_ref));
	all->groups = xcalloc(s->n_records + 1, sizeof(rec_ref));
	new_scope(all, url_fixed(URL_FRONT), 0);
	for (size_t i = 0; i < s->n_regions; i++) {
		const region *g = &s->regions[i];
		all->region_scope[i] = (size_t)-1;
		if (g->rec->draft || (home && strcmp(g->rec->url, home) == 0))
			continue;
		all->region_scope[i] = all->n;
		scope *sc = new_scope(all, g->rec->url, 0);
		sc->g = g;
		sc->name = region_display_name(g);
	}
	all->first_theme = all->n;
	for (size_t i = 0; i < s->n_themes; i++) {
		char *u = url_theme(s->themes[i].slug);
		scope *sc = new_scope(all, u, 1);
		sc->theme = &s->themes[i];
		sc->name = s->themes[i].slug;
		free(u);
	}
	for (size_t i = 0; i < s->n_records; i++) {
		const record *r = s->records[i];
		if (r->draft || (r->type != REC_MUNICIPALITY && r->type != REC_PARTNERSHIP) ||
		    (home && strcmp(r->url, home) == 0))
			continue;
		int muni = r->type == REC_MUNICIPALITY;
		if (muni)
			all->munis[all->n_munis++] = (rec_ref){ r, all->n };
		else
			all->groups[all->n_groups++] = (rec_ref){ r, all->n };
		scope *sc = new_scope(all, r->url, !muni);
		sc->g = muni ? r->region : NULL;
		sc->muni = muni ? r : NULL;
		sc->group = muni ? NULL : r;
		sc->name = record_display_name(r);
	}
	qsort(all->munis, all->n_munis, sizeof(rec_ref), cmp_rec_ref);
	qsort(all->groups, all->n_groups, sizeof(rec_ref), cmp_rec_ref);
}

static void free_scopes(scopes *all)
{
	for (size_t i = 0; i < all->n; i++) {
		free(all->sc[i].url);
		free(all->sc[i].owner);
		free(all->sc[i].feed);
		free(all->sc[i].items);
	}
	free(all->sc);
	free(all->region_scope);
	free(all->munis);
	free(all->groups);
}

/* One pass over the commits: each change goes to every scope it belongs to. */
static void fill_scopes(hp *st, scopes *all, lineage_scopes *per_line)
{
	const site *s = st->s;
	scope *sc = all->sc;
	for (size_t ci = 0, nc = history_commit_count(st->h); ci < nc; ci++) {
		const history_commit *hc = history_commit_at(st->h, ci);
		for (size_t j = 0; j < hc->n_changes; j++) {
			const history_change *c = hc->changes[j];
			const cinfo *info = hp_cinfo_find(st, c);
			if (!info && (str_has_suffix(c->path, ".md") ||
			    (c->old_path && str_has_suffix(c->old_path, ".md"))))
				continue; /* a draft, or a record never published */
			scope_add(&sc[0], ci, c, info);
			const region *gs[2] = { hp_region_of_path(s, c->path),
				c->old_path ? hp_region_of_path(s, c->old_path) : NULL };
			for (size_t x = 0; x < 2; x++) {
				if (!gs[x] || (x == 1 && gs[1] == gs[0]))
					continue;
				size_t ri = (size_t)(gs[x] - s->regions);
				if (all->region_scope[ri] != (size_t)-1)
					scope_add(&sc[all->region_scope[ri]], ci, c, info);
			}
			if (!info)
				continue;
			lineage_scopes *ls = &per_line[info->l - st->lines];
			if (!ls->done)
				find_scopes(s, info->l, all, ls);
			for (size_t m = 0; m < ls->n; m++)
				scope_add(&sc[ls->scopes[m]], ci, c, info);
		}
	}
}

int hp_write_changes(hp *st, size_t worker, size_t n_workers, diag_list *d)
{
	const site *s = st->s;
	scopes all = { 0 };
	make_scopes(s, pages_scope_home(st->e), &all);
	lineage_scopes *per_line = xcalloc(st->n_lines + 1, sizeof(lineage_scopes));
	fill_scopes(st, &all, per_line);
	int ret = 0;
	/* without a queue, striped from the last worker down: worker 0 has the redirects */
	size_t cur = n_workers - 1 - worker;
	for (size_t i; (i = pages_next(st->e->queue ? &st->e->queue->scopes : NULL, &cur,
		n_workers)) < all.n;) {
		if (!all.sc[i].feed_only)
			ret |= write_scope_pages(st, &all.sc[i], d);
		for (size_t l = 0; l < s->n_languages; l++)
			ret |= write_feed(st, &all.sc[i], s->languages[l], d);
	}
	free_scopes(&all);
	for (size_t i = 0; i < st->n_lines; i++)
		free(per_line[i].scopes);
	free(per_line);
	return ret ? -1 : 0;
}
