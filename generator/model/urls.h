#ifndef AVOIN_URLS_H
#define AVOIN_URLS_H
/*
 * The site's URL scheme, whole: every page's URL and output path come from
 * here, and no other module writes a site path. A site URL is a path from the
 * site's root: "/" (the front page), "/kainuu/sopimukset/x/" (a page that is
 * a folder's index.html) or "/kainuu/x/historia/1a2b3c4.html" (a page that is
 * a file). Functions returning char * return a new string.
 *
 *   /                               the front page
 *   /<region>/                      a region (content/<region>/region.md)
 *   /<municipality>/                a municipality's page
 *   /<path>/                        a record (content/<path>.md)
 *   /<path of a file>               an annex or data file a record names, at its own path
 *   <page>historia/                 a record's history
 *   <page>historia/<commit>.html    one version of it
 *   <page>muutokset/ [<n>/]         the changes of the site ("/"), a region or a
 *                                   municipality, newest first, then numbered archive pages
 *   <page>muutokset/atom.xml        the same as a feed
 *   <page>index.json                a record as data (beside its page)
 *   <page>kalenteri.ics             the calendar of the site ("/"), a region, a
 *                                   municipality, a theme or a partnership group
 *   <page>atom.xml                  a theme's or a partnership group's changes as a feed
 *   /avoindata/ [<region>/]<file>   the open data (CSV, JSON, datapackage.json) of the
 *                                   site or a region; /avoindata/ is also the page about it
 *   /maaraajat/, .../atom.xml       the upcoming deadlines, and their feed
 *   /<region>/asiakirjat/           a region's list of all its records
 *   /teemat/, /teemat/<slug>/       the themes
 *   /saavutettavuus/                the accessibility statement
 *   /kieliversiot/                  which records lack a translation (the parity report)
 *   /static/<file>                  the theme's files
 *   /404.html, /sitemap.xml, /robots.txt
 *   /<lang>/...                     the same pages in another language of the site
 *
 * Two things place a URL on a published site (url_place): its language (the
 * site's default language at the root, the others under /<lang>/, as the
 * content model fixes) and its scope (the whole site, or one region's or one
 * municipality's site, which has its own base URL: its pages' URLs lose the
 * scope's folder). Every other function here gives the URL in the default
 * language on the whole site.
 */
#include <stddef.h>

/* A content path ("kainuu/sopimukset/x.md"; "kainuu/region.md" is the region) as a URL. */
char *url_of_record(const char *content_path, int is_region_md);
/* A region's or a municipality's page: "/<slug>/". */
char *url_of_slug(const char *slug);
/* A file a record names ("kainuu/liitteet/x.pdf"), published at its own path. */
char *url_of_file(const char *content_path);
/* A folder of the content as a URL: "kainuu/kunnat" -> "/kainuu/kunnat/" ("" is "/"). */
char *url_of_folder(const char *folder);

/* A record's history, "<page>historia/", and one version of it. */
char *url_history(const char *page_url);
char *url_version(const char *page_url, const char *short_id);
/* The changes of the site (page_url "/"), a region or a municipality; k > 0: archive page k. */
char *url_changes(const char *page_url, size_t k);
char *url_changes_feed(const char *page_url);
/* The feed's file name: the link to it from its changes page, and its own, without a base URL. */
const char *url_feed_file(void);
/* A theme's or a partnership group's feed of changes: "<page>atom.xml". */
char *url_feed(const char *page_url);
/* The calendar (iCalendar) of a page's events: "<page>kalenteri.ics" ("/kalenteri.ics": the site's). */
char *url_calendar(const char *page_url);
/* A record as data, beside its page: "<page>index.json". */
char *url_record_json(const char *page_url);
/* A file of the open data: "/avoindata/<name>", or of a region's subset "/avoindata/<region>/<name>". */
char *url_data_file(const char *region_slug, const char *name);
/* A region's or municipality's list of all its records: "<page>asiakirjat/". */
char *url_all_records(const char *page_url);
/* The themes' index (slug NULL) or one theme's page. */
char *url_theme(const char *slug);
/*
 * The partnership directory ("/kumppanuus/") and its filtered pages, one per
 * value of a facet ("/kumppanuus/teema/liikunta/", "/kumppanuus/sektori/jarjesto/",
 * "/kumppanuus/alue/pohjois-karjala-keskinen/"); å, ä and ö of a value become a, a, o.
 */
typedef enum url_facet { URL_FACET_NONE, URL_FACET_THEME, URL_FACET_SECTOR, URL_FACET_AREA } url_facet;
char *url_partners(url_facet facet, const char *value);
/* The generator's pages that have one place: the front page, the statement, 404, ... */
typedef enum url_page {
	URL_FRONT,
	URL_STATEMENT,
	URL_PARITY,
	URL_NOT_FOUND,
	URL_SITEMAP,
	URL_ROBOTS,
	URL_STATIC,
	URL_SEARCH,
	URL_DATA,        /* the page about the open data, beside its files */
	URL_DEADLINES,   /* the upcoming deadlines */
} url_page;
const char *url_fixed(url_page p);
/*
 * A file of the search index of a language (site/search.c), at the site's
 * root: "/haku/<lang>/<name>".
 */
char *url_search_file(const char *lang, const char *name);

/*
 * The page url belongs to: url less the generator's pages under a page
 * ("/x/historia/1a2b.html", "/x/muutokset/2/", "/x/index.json" -> "/x/"),
 * else url itself. A new string.
 */
char *url_page_of(const char *url);
/* A record at url would take a generator's page: what for ("the themes pages"), else NULL. */
const char *urls_reserved_for(const char *url);

/*
 * Where url's page is written, relative to the output folder: "/a/b/" ->
 * "a/b/index.html", "/a/b.html" -> "a/b.html", "/" -> "index.html".
 */
char *url_output_path(const char *url);
/* url relative to the site's root, for a page's {{root}} to go before: "/a/b/" -> "a/b/". */
const char *url_href(const char *url);
/* From a page at url back to the site's root: "/" -> "./", "/a/b/" and "/a/b.html" -> "../../", "../". */
char *url_root_of(const char *url);
/* A link from the page at from to url: url_root_of(from) then url_href(url) ("../../c/"). */
char *url_relative(const char *from, const char *url);
/* url as an absolute address under base ("https://x.fi/" + "a/b/"). */
char *url_absolute(const char *base, const char *url);

/* Where a URL is published on a site: its language and its scope. */
typedef struct url_site {
	const char *default_lang;  /* "fi": pages in it have no prefix; NULL: the same */
	const char *scope;         /* "/" or NULL: the whole site; "/kainuu/": that region's site */
	const char *home;          /* a municipality's site: its page ("/kokkola/"); else NULL */
} url_site;
/*
 * url (in the default language, on the whole site) as published on site in
 * lang: "/kainuu/x/" in "sv" -> "/sv/kainuu/x/". On a scoped site the
 * scope's folder is the root: on the site scoped to "/kainuu/", "/kainuu/x/"
 * -> "/x/" and the region's page "/kainuu/" -> "/"; on a municipality's site
 * (scope "/kainuu/", home "/kajaani/") its page "/kajaani/" -> "/" and its
 * region's records too ("/kainuu/x/" -> "/x/"); the generator's site-wide
 * pages ("/teemat/", "/404.html") keep their place. NULL when url lies
 * outside the scope's folders; which records inside them a scope holds is
 * not the scheme's to say (site/scope.h).
 */
char *url_place(const url_site *site, const char *lang, const char *url);

#endif
