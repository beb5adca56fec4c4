#include "page.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cache.h"
#include "history.h"
#include "htab.h"
#include "markdown.h"
#include "repo.h"
#include "scope.h"
#include "urls.h"
#include "util.h"
#include "banned.h"

/*
 * The page layer: what every page family (pages.c: records, regions,
 * municipalities, the front page, themes; histpages.c: histories, versions,
 * changes, feeds) builds a page with: the base context, breadcrumbs, list
 * items, rendering through the theme, page keys and dates.
 */

const char *pages_tr(const value *t, const char *key)
{
	const char *s = value_map_str(t, key);
	return s ? s : key;
}

char *pages_count(const value *t, const char *word, size_t n)
{
	buf key = BUF_INIT, out = BUF_INIT;
	buf_printf(&key, "%s_%s", word, n == 1 ? "one" : "other");
	const char *form = value_map_str(t, key.ptr);
	if (!form)
		form = key.ptr;    /* a missing string shows up, as pages_tr's do */
	buf_put_count(&out, form, n);
	buf_release(&key);
	return buf_detach(&out, NULL);
}

const char *pages_tr2(const value *t, const char *prefix, const char *key, buf *tmp)
{
	buf_reset(tmp);
	buf_puts(tmp, prefix);
	buf_puts(tmp, key ? key : "");
	const char *s = value_map_str(t, tmp->ptr);
	return s ? s : (key ? key : "");
}

void pages_date_fi(buf *out, const char *iso)
{
	if (iso && is_iso_date(iso)) {
		/* "%d.%d.%.4s" by hand: every list item has a date, printf is slow */
		char tmp[10];
		size_t k = 0;
		if (iso[8] != '0')
			tmp[k++] = iso[8];
		tmp[k++] = iso[9];
		tmp[k++] = '.';
		if (iso[5] != '0')
			tmp[k++] = iso[5];
		tmp[k++] = iso[6];
		tmp[k++] = '.';
		buf_put(out, tmp, k);
		buf_put(out, iso, 4);
	} else if (iso) {
		buf_puts(out, iso);
	}
}

void pages_set_date(value *m, const char *key, const char *iso)
{
	if (!iso)
		return;
	buf b = BUF_INIT;
	char day[11], start[6], end[6];
	if (strlen(iso) > 10 && meeting_when_parse(iso, day, start, end)) {
		/* a meeting's time: the date for datetime=, "12.3.2025 14.00–16.00" to read */
		value_map_set_str(m, key, day);
		pages_date_fi(&b, day);
		buf_printf(&b, " %.2s.%.2s", start, start + 3);
		if (end[0])
			buf_printf(&b, "–%.2s.%.2s", end, end + 3);
	} else {
		value_map_set_str(m, key, iso);
		pages_date_fi(&b, iso);
	}
	size_t n = b.len;
	buf_puts(&b, key);
	buf_puts(&b, "_fi");
	/* one buffer: the date, then its key */
	value_map_set(m, b.ptr + n, value_stringn(b.ptr, n, 0));
	buf_release(&b);
}

/* Newest first; undated last; then by title and path so the order is total. */
int pages_cmp_newest(const void *a, const void *b)
{
	const record *x = *(record *const *)a, *y = *(record *const *)b;
	const char *dx = x->date ? x->date : "", *dy = y->date ? y->date : "";
	int c = strcmp(dy, dx);
	if (c)
		return c;
	c = strcmp(x->title ? x->title : "", y->title ? y->title : "");
	return c ? c : strcmp(x->path, y->path);
}

/* List items kept per worker and language; the cache is emptied when it holds this many per
 * language, which bounds its memory while the municipality pages of a region, listing mostly
 * the same records, hit it (a record's pages in each language are written one after the other,
 * so every language's items of a region have to fit). */
#define ITEM_MAX 2048

typedef struct item_slot {
	const record *r;
	const value *t;
	value *it[2];           /* the list item without and with the region's name */
} item_slot;

/*
 * What the pages of one worker share, set up by pages_shared_begin() for
 * the length of a phase of the driver's workers (so one per thread): the
 * parts of the base context that are the same on every page, list items, and
 * the published records newest first, per region too, so that listing
 * records filters a sorted array instead of scanning and sorting the whole
 * site for every page. Pages hold references to the shared values and only
 * read them. Without it (a caller outside those two), all is built per page.
 */
struct page_shared {
	const pages_env *e;
	item_slot *items;       /* item_max; NULL until used */
	size_t item_max;        /* ITEM_MAX per language of the site */
	size_t n_items;
	htab item_index;        /* positions in items, by record and strings */
	value *site, *build;
	value **nav;            /* per language n_regions + 1 lists: [0] no region current, [i + 1] region i */
	value *home;            /* the home breadcrumb in home_lang */
	char *home_lang;
	record **sorted;        /* published records, pages_cmp_newest order */
	size_t n_sorted;
	record **by_region;     /* the same grouped by region: region i at [start[i], start[i + 1]) */
	size_t *start;
};


static page_shared *shared_for(const pages_env *e)
{
	return e->shared;
}

const char *pages_name(const record *r, const char *lang)
{
	if (r->type != REC_REGION && r->type != REC_MUNICIPALITY)
		return r->title;
	const char *sv = strcmp(lang, "sv") == 0 ? value_map_str(r->meta, "name_sv") : NULL;
	if (sv && *sv)
		return sv;
	const record *x = record_in_lang(r, lang);
	return record_display_name(x ? x : r);
}

const char *pages_region_name(const region *g, const char *lang)
{
	return g->rec ? pages_name(g->rec, lang) : region_display_name(g);
}

const char *pages_text_lang(const record *r, const char *lang)
{
	return record_in_lang(r, lang) ? NULL : r->lang;
}

value *pages_record_item(const pages_env *e, const record *r, const value *t, const char *lang)
{
	buf tmp = BUF_INIT;
	value *it = value_map(0);
	/* the title in the list's language, or the original's, marked with its language */
	const record *x = record_in_lang(r, lang);
	value_map_set_str(it, "title", x ? x->title : r->title);
	if (x)
		value_map_set_bool(it, "title_lang", 0);
	else
		value_map_set_str(it, "title_lang", r->lang);
	pages_link(e, lang, it, "href", r->url);
	value_map_set_str(it, "type", record_type_name(r->type));
	value_map_set_str(it, "type_label", pages_tr2(t, "type_", record_type_name(r->type), &tmp));
	pages_set_date(it, "date", r->date);
	const char *summary = x ? x->summary : r->summary;
	if (summary && *summary)
		value_map_set_str(it, "summary", summary);
	if (r->region && e->s->n_regions > 1)
		value_map_set_str(it, "region_name", pages_region_name(r->region, lang));
	if (r->region && r->n_municipalities == 0 && r->type != REC_REGION)
		value_map_set_bool(it, "whole_region", 1);
	const char *status = value_map_str(r->meta, "status");
	if (r->type == REC_AGREEMENT && status) {
		value_map_set_str(it, "status", status);
		value_map_set_str(it, "status_label", pages_tr2(t, "status_", status, &tmp));
	}
	buf_release(&tmp);
	return it;
}

static value *list_item(const pages_env *e, const record *r, const value *t, const char *lang,
	int with_region)
{
	value *it = pages_record_item(e, r, t, lang);
	if (!with_region) /* on a region's own pages the region goes without saying */
		value_map_set(it, "region_name", value_null(0));
	return it;
}

static void items_clear(page_shared *sh)
{
	for (size_t i = 0; i < sh->n_items; i++) {
		value_free(sh->items[i].it[0]);
		value_free(sh->items[i].it[1]);
	}
	htab_clear(&sh->item_index);
	sh->n_items = 0;
}

/* A list item shared by every list of this worker that shows it (lists only read it). */
static value *cached_item(page_shared *sh, const pages_env *e, const record *r, const value *t,
	const char *lang, int with_region)
{
	if (!sh->items)
		sh->items = xcalloc(sh->item_max, sizeof(item_slot));
	uint64_t x = (uint64_t)(uintptr_t)r ^ ((uint64_t)(uintptr_t)t << 7);
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdu;
	x ^= x >> 33;
	item_slot *sl = NULL;
	htab_iter it;
	for (size_t p = htab_first(&sh->item_index, x, &it); p != HTAB_NONE && !sl;
	     p = htab_next(&sh->item_index, x, &it))
		if (sh->items[p].r == r && sh->items[p].t == t)
			sl = &sh->items[p];
	if (!sl) {
		if (sh->n_items == sh->item_max)
			items_clear(sh);
		sl = &sh->items[sh->n_items];
		*sl = (item_slot){ r, t, { NULL, NULL } };
		htab_add(&sh->item_index, x, sh->n_items++);
	}
	value **slot = &sl->it[!!with_region];
	if (!*slot)
		*slot = list_item(e, r, t, lang, with_region);
	return value_ref(*slot);
}

/* {items: [...], root} for the record-list partial. */
value *pages_item_list(const pages_env *e, record **recs, size_t n, size_t max, const value *t,
	const char *lang, int with_region)
{
	page_shared *sh = shared_for(e);
	value *l = value_list(0);
	for (size_t i = 0; i < n && i < max; i++)
		value_list_push(l, sh ? cached_item(sh, e, recs[i], t, lang, with_region) :
			list_item(e, recs[i], t, lang, with_region));
	return l;
}

static value *site_value(const site *s)
{
	value *sv = value_map(0);
	value_map_set_str(sv, "title", s->title);
	value_map_set_str(sv, "base_url", s->base_url);
	/* the partnership directory exists where a partnership group is published (partners.c) */
	int partners = 0;
	for (size_t i = 0; i < s->n_records && !partners; i++)
		partners = s->records[i]->type == REC_PARTNERSHIP && !s->records[i]->draft;
	value_map_set_bool(sv, "has_partners", partners);
	return sv;
}

/* lang's place in the site's languages (0, the default, for one it does not list). */
static size_t lang_at(const site *s, const char *lang)
{
	for (size_t i = 0; i < s->n_languages; i++)
		if (strcmp(s->languages[i], lang) == 0)
			return i;
	return 0;
}

/* The regions for the navigation; current: those url is in, or (url NULL) region only. */
static value *nav_value(const pages_env *e, const char *lang, const char *url, size_t only)
{
	const site *s = e->s;
	value *nav = value_list(0);
	/* a scoped site is one region's or less: no menu of regions */
	for (size_t i = 0; !e->scope && i < s->n_regions; i++) {
		const region *g = &s->regions[i];
		value *it = value_map(0);
		value_map_set_str(it, "name", pages_region_name(g, lang));
		pages_link(e, lang, it, "href", g->rec->url);
		/* Always set, or a page's own "current" would show through. */
		value_map_set_bool(it, "current",
				   url ? str_has_prefix(url, g->rec->url) : i == only);
		value_list_push(nav, it);
	}
	return nav;
}

static value *build_value(const pages_env *e)
{
	value *b = value_map(0);
	value_map_set_str(b, "id", e->commit_id);
	char short_id[8] = "";
	if (e->commit_id && strlen(e->commit_id) >= 7)
		memcpy(short_id, e->commit_id, 7);
	value_map_set_str(b, "short", short_id);
	if (e->commit_date && *e->commit_date)
		pages_set_date(b, "date", e->commit_date);
	if (e->worktree)
		value_map_set_bool(b, "worktree", 1);
	return b;
}

static value *home_crumb(const pages_env *e, const char *lang)
{
	value *home = value_map(0);
	/* a scoped site's crumbs start at its home, named as it is */
	value_map_set_str(home, "title", e->scope ? pages_name(scope_home(e->scope), lang) :
		pages_tr(theme_strings(e->th, lang), "home"));
	value_map_set_str(home, "href", "");
	value_map_set_bool(home, "link", 1);
	return home;
}

/* m's links go to another site: {{root}} and {{site_root}} inside m are empty. */
static void mark_leaving(value *m)
{
	value_map_set_str(m, "root", "");
	value_map_set_str(m, "site_root", "");
	value_map_set_bool(m, "leaves", 1);
}

/*
 * A scoped site's way back up, at its address: a municipality's to its
 * region's page, a region's to the whole site's front page.
 */
static value *scope_up(const pages_env *e, const char *lang)
{
	const record *home = scope_home(e->scope);
	const value *t = theme_strings(e->th, lang);
	value *up = value_map(0);
	if (home->type == REC_MUNICIPALITY) {
		value_map_set_str(up, "label", pages_tr(t, "scope_up_region"));
		value_map_set_str(up, "name", pages_region_name(home->region, lang));
		pages_link(e, lang, up, "href", home->region->rec->url);
	} else {
		value_map_set_str(up, "label", pages_tr(t, "scope_up_all"));
		value_map_set_str(up, "name", scope_whole(e->scope)->title);
		/* the whole site's front page, which the scope's own "/" is not */
		char *front = scope_outside(e->scope, lang, url_fixed(URL_FRONT));
		value_map_set_str(up, "href", front);
		mark_leaving(up);
		free(front);
	}
	return up;
}

void pages_shared_begin(pages_env *e)
{
	const site *s = e->s;
	page_shared *sh = xcalloc(1, sizeof(*sh));
	e->shared = sh;
	sh->e = e;
	sh->item_max = ITEM_MAX * s->n_languages;
	sh->site = site_value(s);
	sh->build = build_value(e);
	/* per language, n_regions + 1 lists */
	sh->nav = xmalloc(s->n_languages * (s->n_regions + 1) * sizeof(value *));
	for (size_t l = 0; l < s->n_languages; l++)
		for (size_t i = 0; i <= s->n_regions; i++)
			sh->nav[l * (s->n_regions + 1) + i] = nav_value(e, s->languages[l], NULL, i - 1);
	sh->sorted = xmalloc((s->n_records + 1) * sizeof(record *));
	for (size_t i = 0; i < s->n_records; i++)
		if (!s->records[i]->draft)
			sh->sorted[sh->n_sorted++] = s->records[i];
	if (sh->n_sorted)
		qsort(sh->sorted, sh->n_sorted, sizeof(record *), pages_cmp_newest);
	/* a counting sort by region keeps the order within each region */
	sh->start = xcalloc(s->n_regions + 2, sizeof(size_t));
	sh->by_region = xmalloc((sh->n_sorted + 1) * sizeof(record *));
	/* (a record of a region the site does not list, as on a municipality's site, in none) */
	size_t *gi = xmalloc((sh->n_sorted + 1) * sizeof(size_t));
	for (size_t i = 0; i < sh->n_sorted; i++) {
		gi[i] = sh->sorted[i]->region ? site_region_index(s, sh->sorted[i]->region) :
			s->n_regions;
		if (gi[i] < s->n_regions)
			sh->start[gi[i] + 2]++;
	}
	for (size_t i = 2; i < s->n_regions + 2; i++)
		sh->start[i] += sh->start[i - 1];
	for (size_t i = 0; i < sh->n_sorted; i++)
		if (gi[i] < s->n_regions)
			sh->by_region[sh->start[gi[i] + 1]++] = sh->sorted[i];
	free(gi);
}

void pages_shared_end(pages_env *e)
{
	page_shared *sh = e->shared;
	if (!sh)
		return;
	e->shared = NULL;
	items_clear(sh);
	free(sh->items);
	htab_free(&sh->item_index);
	value_free(sh->site);
	value_free(sh->build);
	for (size_t i = 0; i < sh->e->s->n_languages * (sh->e->s->n_regions + 1); i++)
		value_free(sh->nav[i]);
	free(sh->nav);
	value_free(sh->home);
	free(sh->home_lang);
	free(sh->sorted);
	free(sh->by_region);
	free(sh->start);
	free(sh);
}

record *const *pages_sorted(const pages_env *e, const region *g, size_t *n)
{
	const page_shared *sh = e->shared;
	if (!sh)
		return NULL;
	size_t gi = g ? site_region_index(e->s, g) : e->s->n_regions;
	/* the whole site, or a municipality's, all of whose records are of its region */
	if (gi == e->s->n_regions) {
		*n = sh->n_sorted;
		return sh->sorted;
	}
	*n = sh->start[gi + 1] - sh->start[gi];
	return sh->by_region + sh->start[gi];
}

/* Characters (UTF-8 code points) in s[0..n). */
static size_t chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* The byte length of the longest prefix of s with at most max characters, cut at a space. */
static size_t cut_at_word(const char *s, size_t max)
{
	size_t c = 0, last_space = 0, i = 0;
	for (; s[i]; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80 && ++c > max)
			break;
		if (s[i] == ' ')
			last_space = i;
	}
	if (!s[i])
		return i;
	while (last_space && strchr(" ,;:–-", s[last_space - 1]))
		last_space--;
	return last_space;
}

/* The site's name in titles: the part of its title before " – ", when there is one. */
static size_t short_site_name(const char *site_title)
{
	const char *dash = strstr(site_title, " – ");
	return dash && dash - site_title >= 3 ? (size_t)(dash - site_title) : strlen(site_title);
}

char *pages_full_title(const record *r)
{
	if (r->type != REC_MINUTES)
		return xstrdup(r->title);
	const char *organ = value_map_str(r->meta, "body");
	const char *date = value_map_str(r->meta, "date");
	const value *sec = value_map_get(r->meta, "section");
	buf b = BUF_INIT;
	if (date)
		pages_date_fi(&b, date);
	if (organ)
		buf_printf(&b, "%s%s", b.len ? " " : "", organ);
	if (sec && sec->kind != VAL_NULL) {
		buf_puts(&b, " § ");
		value_put_text(&b, sec);
	}
	buf_printf(&b, "%s%s", b.len ? ": " : "", r->title);
	return buf_detach(&b, NULL);
}

void pages_set_head_title(const pages_env *e, value *ctx, const char *title)
{
	const char *st = e->s->title ? e->s->title : "";
	size_t sn = short_site_name(st), tl = strlen(title), tc = chars(title, tl);
	buf b = BUF_INIT;
	buf_puts(&b, title);
	if (tc + 3 + chars(st, sn) <= PAGES_TITLE_MAX) {
		buf_puts(&b, " – ");
		buf_put(&b, st, sn);
	} else if (tc > PAGES_TITLE_MAX) {
		/* the site's name goes first; then the title is cut, keeping a short last part
		 * ("Versio 20.11.2023", "Kaupunginhallitus 20.11.2023 § 285"): it tells pages apart */
		const char *tail = NULL;
		for (const char *p = strstr(title, " – "); p; p = strstr(p + 1, " – "))
			tail = p;
		if (tail && chars(tail, strlen(tail)) > PAGES_TITLE_TAIL)
			tail = NULL;
		size_t keep = tail ? chars(tail, strlen(tail)) : 0;
		buf_reset(&b);
		buf_put(&b, title, cut_at_word(title, PAGES_TITLE_MAX - keep - 1));
		buf_puts(&b, "…");
		if (tail)
			buf_puts(&b, tail);
	}
	value_map_set_str(value_map_get(ctx, "page"), "head_title", b.ptr);
	buf_release(&b);
}

char *pages_place(const pages_env *e, const char *lang, const char *url)
{
	char *p = NULL;
	if (e->scope) {
		/* a page the scope does not hold is not written; its place is still its folder's */
		p = scope_place(e->scope, lang, url);
		if (!p)
			p = url_place(scope_url_site(e->scope), lang, url);
	} else {
		url_site us = { e->s->languages[0], NULL, NULL };
		p = url_place(&us, lang, url);
	}
	return p ? p : xstrdup(url);
}

char *pages_href(const pages_env *e, const char *lang, const char *url)
{
	if (!e->scope)
		return xstrdup(url_href(url));
	char *p = scope_place(e->scope, e->s->languages[0], url);
	if (!p)
		return scope_outside(e->scope, lang, url);
	char *h = xstrdup(url_href(p));
	free(p);
	return h;
}

int pages_href_leaves(const char *href)
{
	return strstr(href, "://") != NULL;
}

/* Placing a body's links on a scoped site: the page's roots in lang. */
typedef struct body_map {
	const pages_env *e;
	const char *lang;
	const char *root, *site_root;
} body_map;

static void place_link(void *ud, const char *rest, size_t len, int page, buf *out)
{
	const body_map *m = ud;
	const char *hash = memchr(rest, '#', len);
	size_t plen = hash ? (size_t)(hash - rest) : len;
	char *url = xasprintf("/%.*s", (int)plen, rest);
	/* placed in the default language: {{root}} leads to lang's root, and files are in none */
	const char *in = m->e->s->languages[0];
	char *p = scope_place(m->e->scope, in, url);
	if (p) {
		buf_puts(out, page ? m->root : m->site_root);
		buf_puts(out, url_href(p));
		if (!*url_href(p))
			buf_puts(out, "./");
	} else {
		char *abs = scope_outside(m->e->scope, page ? m->lang : in, url);
		buf_puts(out, abs);
		free(abs);
	}
	buf_put(out, rest + plen, len - plen);
	free(p);
	free(url);
}

char *pages_address(const pages_env *e, const char *lang, const char *url)
{
	char *p = e->scope ? scope_place(e->scope, lang, url) : pages_place(e, lang, url);
	if (!p)
		return scope_outside(e->scope, lang, url);
	if (!e->s->base_url || !*e->s->base_url)
		return p;
	char *abs = url_absolute(e->s->base_url, p);
	free(p);
	return abs;
}

void pages_built_time(const pages_env *e, int64_t *time, int *offset)
{
	if (e->scope_newest) {
		*time = e->scope_newest->time;
		*offset = e->scope_newest->offset;
	} else {
		*time = e->repo ? repo_commit_time(e->repo) : 0;
		*offset = e->repo ? repo_commit_offset(e->repo) : 0;
	}
}

char *pages_file_path(const pages_env *e, const char *url)
{
	return pages_out_path(e, e->s->languages[0], url);
}

const char *pages_scope_home(const pages_env *e)
{
	return e->scope ? scope_home(e->scope)->url : NULL;
}

const site *pages_whole(const pages_env *e)
{
	return e->scope ? scope_whole(e->scope) : e->s;
}

int pages_move_body(const pages_env *e, const char *lang, const char *url, const char *html,
	const char *from, size_t rooted, buf *out)
{
	char *placed = pages_place(e, lang, url);
	char *in_default = pages_place(e, e->s->languages[0], url);
	char *root = url_root_of(in_default), *site_root = url_root_of(placed);
	int ret;
	if (e->scope) {
		body_map m = { e, lang, root, site_root };
		ret = markdown_reroot_map(html, strlen(html), from, rooted, place_link, &m, out);
	} else {
		ret = markdown_reroot_split(html, strlen(html), from, root, site_root, rooted, out);
	}
	free(placed);
	free(in_default);
	free(root);
	free(site_root);
	return ret;
}


void pages_link(const pages_env *e, const char *lang, value *m, const char *key, const char *url)
{
	char *h = pages_href(e, lang, url);
	if (pages_href_leaves(h))
		mark_leaving(m);
	value_map_set_str(m, key, h);
	free(h);
}

void pages_link_site(const pages_env *e, const char *lang, value *m, const char *key,
	const char *url)
{
	char *p = e->scope ? scope_place(e->scope, lang, url) : pages_place(e, lang, url);
	char *h = p ? xstrdup(url_href(p)) : scope_outside(e->scope, lang, url);
	if (!p)
		mark_leaving(m);
	value_map_set_str(m, key, h);
	free(h);
	free(p);
}

char *pages_out_path(const pages_env *e, const char *lang, const char *url)
{
	char *placed = pages_place(e, lang, url);
	char *path = url_output_path(placed);
	free(placed);
	return path;
}

char *pages_site_root(const pages_env *e, const char *lang, const char *url)
{
	char *placed = pages_place(e, lang, url);
	char *root = url_root_of(placed);
	free(placed);
	return root;
}

/*
 * The page in each of the site's languages, for the hreflang links and the
 * language switcher: [{code, name, href, current}], href from the site's
 * root (the page's site_root goes before it), or absolute under the base URL.
 */
static value *alternates(const pages_env *e, const char *lang, const char *url)
{
	const site *s = e->s;
	value *l = value_list(0);
	for (size_t i = 0; i < s->n_languages; i++) {
		value *it = value_map(0);
		char *placed = pages_place(e, s->languages[i], url);
		value_map_set_str(it, "code", s->languages[i]);
		value_map_set_str(it, "name", pages_tr(theme_strings(e->th, s->languages[i]),
			"lang_name"));
		pages_link_site(e, s->languages[i], it, "href", url);
		if (s->base_url && *s->base_url) {
			char *abs = url_absolute(s->base_url, placed);
			value_map_set_str(it, "abs", abs);
			free(abs);
		}
		value_map_set_bool(it, "current", strcmp(s->languages[i], lang) == 0);
		value_list_push(l, it);
		free(placed);
	}
	return l;
}

void pages_single_language(value *ctx)
{
	value_map_set(ctx, "alternates", value_null(0));
	value_map_set(ctx, "x_default", value_null(0));
	value_map_set_bool(ctx, "multilingual", 0);
}

value *pages_base_context(const pages_env *e, const char *lang, const char *url, const char *title)
{
	const site *s = e->s;
	page_shared *sh = shared_for(e);
	if (sh && sh->e != e)
		sh = NULL;
	value *ctx = value_map(0);
	/* links between pages go from the language's root, files and static/ from the site's */
	char *placed = pages_place(e, lang, url);
	char *in_default = pages_place(e, s->languages[0], url);
	char *root = url_root_of(in_default), *site_root = url_root_of(placed);
	free(in_default);
	value_map_set_str(ctx, "lang", lang);
	value_map_set(ctx, "t", value_ref((value *)theme_strings(e->th, lang)));
	value_map_set_str(ctx, "root", root);
	value_map_set_str(ctx, "site_root", site_root);
	free(root);
	free(site_root);

	value_map_set(ctx, "site", sh ? value_ref(sh->site) : site_value(s));

	value *page = value_map(0);
	value_map_set_str(page, "title", title);
	value_map_set_str(page, "url", placed);
	if (s->base_url && *s->base_url) {
		char *canon = url_absolute(s->base_url, placed);
		value_map_set_str(page, "canonical", canon);
		free(canon);
	}
	value_map_set(ctx, "page", page);
	value_map_set_bool(ctx, "has_languages", s->n_languages > 1);
	if (s->n_languages > 1) {
		value *alt = alternates(e, lang, url);
		value_map_set(ctx, "x_default", value_ref(value_at(alt, 0)));
		value_map_set(ctx, "alternates", alt);
		value_map_set_bool(ctx, "multilingual", 1);
	}
	free(placed);
	/* a scoped site's home is its region's or municipality's page */
	int home = strcmp(url, "/") == 0 || (e->scope && strcmp(url, pages_scope_home(e)) == 0);
	if (home) {
		value_map_set_bool(page, "is_home", 1);
		value_map_set_str(page, "head_title", title);
	} else {
		pages_set_head_title(e, ctx, title);
	}

	size_t cur = 0, n_cur = 0;
	for (size_t i = 0; sh && i < s->n_regions; i++) {
		if (str_has_prefix(url, s->regions[i].rec->url)) {
			cur = i + 1;
			n_cur++;
		}
	}
	value_map_set(ctx, "nav", sh && n_cur <= 1 ?
		value_ref(sh->nav[lang_at(s, lang) * (s->n_regions + 1) + cur]) :
		nav_value(e, lang, url, 0));
	value_map_set(ctx, "build", sh ? value_ref(sh->build) : build_value(e));

	if (e->scope) {
		value_map_set(ctx, "scope_up", scope_up(e, lang));
		if (e->scope_newest) {
			pages_set_list_source(ctx, e->scope_newest);
			value *src = value_map_get(ctx, "source");
			value_map_set_bool(src, "listed", 0);
			value_map_set_bool(src, "scoped", 1);
		}
	}
	value *crumbs = value_list(0);
	if (!home) {
		if (sh && (!sh->home_lang || strcmp(sh->home_lang, lang) != 0)) {
			value_free(sh->home);
			free(sh->home_lang);
			sh->home = home_crumb(e, lang);
			sh->home_lang = xstrdup(lang);
		}
		value_list_push(crumbs, sh ? value_ref(sh->home) : home_crumb(e, lang));
	}
	value_map_set(ctx, "breadcrumbs", crumbs);
	value_map_set_bool(ctx, "has_breadcrumbs", value_len(crumbs) > 0);
	return ctx;
}

/* Adds a breadcrumb; url NULL marks the current page (no link). */
void pages_add_crumb(const pages_env *e, value *ctx, const char *title, const char *url)
{
	const char *lang = value_map_str(ctx, "lang");
	if (e->scope) {
		/* the home crumb stands for the scope's home; nothing leads above it */
		if (value_truthy(value_map_get(value_map_get(ctx, "page"), "is_home")))
			return;
		char *p = url ? scope_place(e->scope, e->s->languages[0], url) : NULL;
		int skip = url && (!p || strcmp(p, "/") == 0);
		free(p);
		if (skip)
			return;
	}
	value *crumbs = value_map_get(ctx, "breadcrumbs");
	value *c = value_map(0);
	value_map_set_str(c, "title", title);
	if (url) {
		pages_link(e, lang, c, "href", url);
		value_map_set_bool(c, "link", 1);
	}
	value_list_push(crumbs, c);
	value_map_set_bool(ctx, "has_breadcrumbs", 1);
}

void pages_key(const pages_env *e, const buf *parts, char out[41])
{
	buf b = BUF_INIT;
	buf_puts(&b, e->page_base ? e->page_base : "");
	buf_putc(&b, '\n');
	buf_put(&b, parts->ptr, parts->len);
	cache_key k;
	cache_key_of(&b, &k);
	buf_release(&b);
	cache_key_hex(&k, out);
}

void pages_set_source(value *ctx, const char *commit_id, const char *date)
{
	value *m = value_map(0);
	char short_id[8] = "";
	if (commit_id && strlen(commit_id) >= 7)
		memcpy(short_id, commit_id, 7);
	value_map_set_str(m, "id", commit_id ? commit_id : "");
	value_map_set_str(m, "short", short_id);
	value_map_set_bool(m, "listed", 0);
	if (date && *date)
		pages_set_date(m, "date", date);
	value_map_set(ctx, "source", m);
}

/* The newer of c and r's last change (commits are numbered newest first). */
static const history_commit *newer_of(const history_commit *c, const record *r)
{
	const history_commit *x = r->last_change;
	return x && (!c || x->seq < c->seq) ? x : c;
}

const history_commit *pages_list_newest(const pages_env *e, const record *const *recs, size_t n,
	const char *lang)
{
	/* a working tree's lists name no version: their records may differ from every commit */
	if (!e->hist || e->worktree || !e->page_base)
		return NULL;
	const history_commit *c = NULL;
	for (size_t i = 0; i < n; i++) {
		c = newer_of(c, recs[i]);
		const record *tr = record_in_lang(recs[i], lang);
		if (tr && tr != recs[i])
			c = newer_of(c, tr);
	}
	return c;
}

void pages_set_list_source(value *ctx, const history_commit *c)
{
	if (!c)
		return;
	buf date = BUF_INIT;
	format_date(&date, c->time, c->offset);
	pages_set_source(ctx, c->id, date.ptr);
	value_map_set_bool(value_map_get(ctx, "source"), "listed", 1);
	buf_release(&date);
}

int pages_list_key(const pages_env *e, const char *tmpl, const char *url, const char *lang,
	const history_commit *newest, const char *extra, char out[41])
{
	if (!newest)
		return 0;
	buf b = BUF_INIT;
	buf_printf(&b, "list %s\n%s\n%s\n%s\n", tmpl, url, lang, newest->id);
	buf_puts(&b, extra ? extra : "");
	pages_key(e, &b, out);
	buf_release(&b);
	return 1;
}

int pages_render(const pages_env *e, const char *tmpl, value *ctx, const char *out_path, diag_list *d)
{
	return pages_render_keyed(e, tmpl, ctx, out_path, NULL, d);
}

int pages_render_buf(const pages_env *e, const char *tmpl, value *ctx, buf *out, diag_list *d)
{
	buf content = BUF_INIT;
	int ret = -1;
	/* room for a usual page from the start, rather than doubling up to it from 64 bytes */
	buf_grow(&content, 4000);
	buf_grow(out, 8000);
	if (tmpl_render(e->th->templates, tmpl, ctx, &content, d) != 0)
		goto out;
	size_t len;
	char *html = buf_detach(&content, &len);
	value_map_set(ctx, "content", value_string_own(html, len, 0));
	if (tmpl_render(e->th->templates, "layout", ctx, out, d) != 0)
		goto out;
	ret = 0;
out:
	buf_release(&content);
	return ret;
}

/*
 * A page without a key of its own gets one from its context: the page's
 * bytes are the templates' output for this context, and the templates are in
 * page_base (the theme's fingerprint and the content's templates). The
 * strings ("t") are the theme's too; the built commit is left out when the
 * page names its source instead (the layout then does not show it).
 */
static void context_key(const pages_env *e, const char *tmpl, const value *ctx, char out[41])
{
	buf b = BUF_INIT;
	buf_printf(&b, "context %s\n", tmpl);
	int has_source = value_map_get(ctx, "source") != NULL;
	for (size_t i = 0; ctx->kind == VAL_MAP && i < ctx->u.map.n; i++) {
		const char *k = ctx->u.map.keys[i];
		if (strcmp(k, "t") == 0 || (has_source && strcmp(k, "build") == 0))
			continue;
		buf_printf(&b, "%s=", k);
		value_put_json(&b, ctx->u.map.vals[i]);
		buf_putc(&b, '\n');
	}
	pages_key(e, &b, out);
	buf_release(&b);
}

int pages_render_keyed(const pages_env *e, const char *tmpl, value *ctx, const char *out_path,
	const char *key, diag_list *d)
{
	char ckey[41];
	/* a page that shows the built commit changes with every commit: no key is worth its cost */
	int shows_build = value_map_get(ctx, "build") && !value_map_get(ctx, "source");
	if (!key && e->page_base && !shows_build) {
		context_key(e, tmpl, ctx, ckey);
		key = ckey;
		if (output_keep(e->out, out_path, key))
			return 0;
	}
	buf page = BUF_INIT;
	int ret = pages_render_buf(e, tmpl, ctx, &page, d);
	if (ret == 0)
		ret = output_write_keyed(e->out, out_path, key, page.ptr, page.len, d);
	buf_release(&page);
	return ret;
}

/*
 * The record's rendered body: held in memory, or (rendered in this build or
 * an earlier one and kept in the cache) read from the cache into spare.
 * NULL with an error when the cache cannot give it back.
 */
const char *pages_record_html(const pages_env *e, const record *r, buf *spare, diag_list *d)
{
	if (r->html || !r->html_key[0])
		return r->html ? r->html : "";
	cache_key hk;
	if (cache_key_parse(r->html_key, &hk) != 0 || !cache_get_buf(e->cache, e->worker, &hk, spare)) {
		diag_error(d, r->file, 0, "cannot read its rendered body from the cache (expected "
			"a readable cache; delete the '.cache' folder beside the output to render "
			"it again)");
		return NULL;
	}
	return spare->ptr;
}
