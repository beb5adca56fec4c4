#ifndef AVOIN_PAGE_H
#define AVOIN_PAGE_H
/*
 * The page layer, under every page family (pages.h: records, regions,
 * municipalities, the front page, themes; histpages.h: histories,
 * versions, changes and feeds): the environment a worker writes pages in,
 * each page's base context and breadcrumbs, list items, rendering a page
 * kind's template inside the layout (keyed, so that a rebuild skips a page
 * whose inputs did not change), and dates as the site shows them.
 */
#include <stdatomic.h>
#include <stdint.h>

#include "diag.h"
#include "hooks.h"
#include "model.h"
#include "output.h"
#include "theme.h"
#include "value.h"

struct cache;
struct histpages;
struct site_scope;

/* The start of an Atom entry's or feed's id when the site has no base_url (RFC 4151). */
#define PAGES_TAG_PREFIX "tag:avoin,2021:"
typedef struct page_shared page_shared;
struct history;
struct repo;

/*
 * Work handed out while the workers run: each counter gives the next item to
 * whichever worker asks first, so a worker with slow pages (page hooks, long
 * histories) does not hold the others up. What a page contains never depends
 * on which worker wrote it, and the diagnostics are sorted afterwards.
 */
typedef struct pages_queue {
	atomic_size_t records;    /* the record pages (build.c: write_pages) */
	atomic_size_t lineages;   /* histpages_write_lineages */
	atomic_size_t scopes;     /* histpages_write_lists: the lists of changes */
} pages_queue;

/* The next item for a worker: from the shared counter, or (no queue) every step-th from *cur. */
static inline size_t pages_next(atomic_size_t *counter, size_t *cur, size_t step)
{
	if (counter)
		return atomic_fetch_add(counter, 1);
	size_t i = *cur;
	*cur += step;
	return i;
}

/* What a worker's pages did, for --timings. */
typedef struct pages_stats {
	size_t hook_calls;           /* page-hook results used (cached or not; not failed calls) */
	size_t hook_hits;            /* of them, taken from the cache */
	double search_secs;          /* writing the search index (search.c), wall */
	double data_secs;            /* writing the open data and calendars (opendata.c, calendar.c) */
} pages_stats;

typedef struct pages_env {
	const site *s;
	const theme *th;
	hooks *h;                  /* for page-data hooks; may be NULL */
	const value *site_model;   /* site_model_value() */
	const char *commit_id;     /* full id, "" when none */
	const char *commit_date;   /* YYYY-MM-DD, "" when none */
	int worktree;
	output *out;
	const struct history *hist;  /* NULL: no history pages (e.g. no commits) */
	const struct repo *repo;     /* for reading old versions' blobs */
	int strict;
	struct histpages *hp;        /* histpages_plan(), shared by the workers; NULL: none */
	struct cache *cache;         /* rendered parts from earlier builds; may be NULL */
	const char *cache_inputs;    /* what every cached part depends on (see build.c) */
	const char *model_hash;      /* a hash of site_model_value(), for parts that ran hooks */
	/*
	 * Page keys (see output.h): a digest of the site-wide inputs every
	 * record's and history page depends on (cache_inputs and every record's
	 * path, URL, front matter and summary), or NULL for no keys (e.g. a
	 * --worktree build). A page's key adds what only that page depends on.
	 */
	const char *page_base;
	pages_queue *queue;          /* shared by the workers; NULL: items striped by worker */
	size_t worker;               /* this worker's index (its slot in the cache) */
	pages_stats *stats;          /* this worker's counts (--timings); NULL: not counted */
	/* parsed front matter by blob id, for removed records' last versions; may be NULL */
	struct fm_cache *fm;
	/* per file of s->files: 1 when a published record names it (build.c); NULL: none is */
	const unsigned char *published;
	/*
	 * What this worker's pages share while pages_shared_begin() holds
	 * (the parts of the base context that are the same on every page,
	 * list items, the published records newest first); NULL: built per page.
	 */
	struct page_shared *shared;
	/* what the records give the open data's tables (opendata.h); NULL: none */
	struct opendata *od;
	/* a scoped site (scope.h): s is its part of the whole site; NULL: the whole site */
	const struct site_scope *scope;
	/*
	 * A scoped site's newest change among its records, which its pages name
	 * instead of the built commit (so that a commit elsewhere leaves them as
	 * they were); NULL: the built commit.
	 */
	const struct history_commit *scope_newest;
	/* `avoin serve`: the search index is kept here for patches (search.h); NULL: not kept */
	struct search_keep *search;
} pages_env;

/*
 * A worker's shared parts for the pages it writes from now until
 * pages_shared_end(): e->shared. Pages hold references to the shared values
 * and only read them.
 */
void pages_shared_begin(pages_env *e);
void pages_shared_end(pages_env *e);
/* The published records newest first (of region g, or all), when shared; else NULL. */
record *const *pages_sorted(const pages_env *e, const region *g, size_t *n);
/* Newest first; undated last; then by title and path, so that the order is total. */
int pages_cmp_newest(const void *a, const void *b);

/*
 * The base context of a page (lang, UI strings, root, site, page, nav,
 * build, breadcrumbs) for a page at url ("/a/b/"), and rendering a kind
 * template inside the layout to a file.
 */
value *pages_base_context(const pages_env *e, const char *lang, const char *url, const char *title);
/*
 * Pages are named by their URL in the site's default language ("/kainuu/x/");
 * a page in another language is published under its prefix (urls.h,
 * url_place): the URL and the output path of url's page in lang. In the
 * base context, root leads from the page to its language's root (so that
 * {{root}}{{href}} links stay in the page's language) and site_root to the
 * site's root (static files and the files records name). New strings.
 */
char *pages_place(const pages_env *e, const char *lang, const char *url);
char *pages_out_path(const pages_env *e, const char *lang, const char *url);
/*
 * Links: url's href for {{root}} (the page's language root) to go before:
 * url_href() of its place. On a scoped site, a page or file the scope does
 * not hold has its absolute address on the site that does (scope.h) instead.
 * pages_link sets m's key to it, and for such an address also m's root to ""
 * (so that {{root}}{{href}} inside m is the address) and leaves to true (so
 * that the theme marks the link as leaving the site).
 */
char *pages_href(const pages_env *e, const char *lang, const char *url);
int pages_href_leaves(const char *href);
void pages_link(const pages_env *e, const char *lang, value *m, const char *key, const char *url);
/*
 * A body rendered at a page of the whole site whose root was from (with
 * rooted URLs made of it: markdown_render_counted), as the page at url in
 * lang shows it: its links to pages from lang's root, to files from the
 * site's, each placed by the scope on a scoped site. -1 (out untouched) when
 * the html has other URLs of that shape (markdown_reroot): render it again.
 */
int pages_move_body(const pages_env *e, const char *lang, const char *url, const char *html,
	const char *from, size_t rooted, buf *out);
/*
 * url in lang as data names it: its absolute address under the site's
 * base_url (a page a scoped site does not hold: on the site that does), else
 * its place on the site ("/sv/x/").
 */
char *pages_address(const pages_env *e, const char *lang, const char *url);
/*
 * The time an empty feed or a record without history is stamped with: the
 * built commit's, or on a scoped site its newest change's (scope_newest).
 */
void pages_built_time(const pages_env *e, int64_t *time, int *offset);
/* Where a file of the site (a URL in no language: "/x/index.json") is written. */
char *pages_file_path(const pages_env *e, const char *url);
/*
 * A scoped site's home (its region's or municipality's page, at its root),
 * whose lists of changes and calendar are the site's own; NULL on the whole site.
 */
const char *pages_scope_home(const pages_env *e);
/* The whole site, where links in bodies are resolved (e->s on the whole site). */
const site *pages_whole(const pages_env *e);
/* The same for {{site_root}} to go before: url placed in lang (a history is in its file's). */
void pages_link_site(const pages_env *e, const char *lang, value *m, const char *key,
	const char *url);
/* From url's page in lang to the site's root ("../../../" for "/sv/kainuu/x/"). */
char *pages_site_root(const pages_env *e, const char *lang, const char *url);
/* A page that exists in one language only (a history traces one file): no alternates. */
void pages_single_language(value *ctx);
/*
 * Sets page.head_title, the <title>: title and the site's short name (its
 * title before " – "), at most PAGES_TITLE_MAX characters. Where both do not
 * fit, the title alone; where the title alone does not, it is cut at a word
 * with "…", keeping its last " – " part when that is at most
 * PAGES_TITLE_TAIL characters (a version's date, a meeting's organ and §).
 * pages_base_context() sets it from the page's title.
 */
#define PAGES_TITLE_MAX 70
#define PAGES_TITLE_TAIL 50
void pages_set_head_title(const pages_env *e, value *ctx, const char *title);
/*
 * A record's title for <title> and history pages, told apart from others of
 * the same title: minutes lead with their date, organ and § ("20.11.2023
 * Kaupunginhallitus § 285: Edustajien nimeäminen"), the date first since
 * titles are cut at their end. A new string.
 */
char *pages_full_title(const record *r);
void pages_add_crumb(const pages_env *e, value *ctx, const char *title, const char *url);
int pages_render(const pages_env *e, const char *tmpl, value *ctx, const char *out_path, diag_list *d);
/* Renders tmpl inside the layout into out, without writing it. 0 or -1. */
int pages_render_buf(const pages_env *e, const char *tmpl, value *ctx, buf *out, diag_list *d);
/* The same, written with a page key (NULL: none). */
int pages_render_keyed(const pages_env *e, const char *tmpl, value *ctx, const char *out_path,
	const char *key, diag_list *d);
/* A page key: e->page_base and parts, as 40 hex digits into out. */
void pages_key(const pages_env *e, const buf *parts, char out[41]);
/*
 * Pages that show one record or its history name the commit their content
 * comes from (ctx "source": short, id, date, date_fi) instead of the built
 * commit, so that a commit rewrites only the pages it changes.
 */
void pages_set_source(value *ctx, const char *commit_id, const char *date);
/*
 * A page that lists records names the newest commit among them (and their
 * translations into lang) as its source: pages_list_newest finds it (NULL
 * when keys are off, as in a worktree build, or no record has a history),
 * pages_set_list_source sets it with "listed", so that the layout says what
 * it is: the newest change of the records the page lists.
 */
struct history_commit;
const struct history_commit *pages_list_newest(const pages_env *e, const record *const *recs,
	size_t n, const char *lang);
void pages_set_list_source(value *ctx, const struct history_commit *c);
/*
 * The key of such a page, known before its context is built: what a list
 * shows of its records is their front matter and summaries (in page_base),
 * so the page's template, URL and language, the newest commit and extra
 * (what else it shows: NULL for nothing) stand for it. 0 when newest is NULL.
 */
int pages_list_key(const pages_env *e, const char *tmpl, const char *url, const char *lang,
	const struct history_commit *newest, const char *extra, char out[41]);
/*
 * The record's rendered body: in memory, or read from the cache (where the
 * render kept it) into spare. NULL with an error in d when the cache cannot
 * give it back.
 */
const char *pages_record_html(const pages_env *e, const record *r, buf *spare, diag_list *d);
/* "20.11.2023" for "2023-11-20" (anything else is copied as it is). */
void pages_date_fi(buf *out, const char *iso);
/*
 * A list item for a record, in lang (t: its UI strings): title (the
 * translation's, else the original's with title_lang its language), href,
 * type_label, date, date_fi, summary, region_name, status.
 */
value *pages_record_item(const pages_env *e, const record *r, const value *t, const char *lang);
/* A region's or a municipality's name in lang (name_sv in Swedish, a translation's name); else a title. */
const char *pages_name(const record *r, const char *lang);
const char *pages_region_name(const region *g, const char *lang);
/* The language of r's text on a page in lang: NULL when a translation (or r) is in lang. */
const char *pages_text_lang(const record *r, const char *lang);

/* m[key] = iso and m[key "_fi"] = its Finnish form; nothing when iso is NULL. */
void pages_set_date(value *m, const char *key, const char *iso);
/* The items of recs (at most max) as the record-list partial shows them; with_region: their region. */
value *pages_item_list(const pages_env *e, record **recs, size_t n, size_t max, const value *t,
	const char *lang, int with_region);
/*
 * n things as the page's language says them: the UI string word "_one" for
 * 1, else word "_other", with "{n}" replaced by n ("8 kuntaa", "1 asiakirja",
 * "8 kommuner"). A new string.
 */
char *pages_count(const value *t, const char *word, size_t n);
/* UI string key -> text, or the key itself, so that a missing string shows up. */
const char *pages_tr(const value *t, const char *key);
/* The same for prefix and key joined ("type_" "agreement"), built in tmp. */
const char *pages_tr2(const value *t, const char *prefix, const char *key, buf *tmp);

#endif
