#include "urls.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"
#include "msg.h"
#include "banned.h"

/* The folder and file names of the scheme: written here and nowhere else. */
#define HISTORY "historia/"
#define CHANGES "muutokset/"
#define FEED "atom.xml"
#define THEMES "/teemat/"
#define ALL_RECORDS "asiakirjat/"
#define PARTNERS "/kumppanuus/"
#define SEARCH "/haku/"
#define DATA "/avoindata/"
#define DEADLINES "/maaraajat/"
#define CALENDAR "kalenteri.ics"
#define RECORD_JSON "index.json"

char *url_of_record(const char *content_path, int is_region_md)
{
	if (is_region_md) {
		const char *slash = strchr(content_path, '/');
		size_t n = slash ? (size_t)(slash - content_path) : strlen(content_path);
		return xasprintf("/%.*s/", (int)n, content_path);
	}
	size_t n = strlen(content_path);
	if (str_has_suffix(content_path, ".md"))
		n -= 3;
	return xasprintf("/%.*s/", (int)n, content_path);
}

char *url_of_slug(const char *slug)
{
	return xasprintf("/%s/", slug);
}

char *url_of_file(const char *content_path)
{
	return xasprintf("/%s", content_path);
}

char *url_of_folder(const char *folder)
{
	return folder[0] ? xasprintf("/%s/", folder) : xstrdup("/");
}

char *url_history(const char *page_url)
{
	return xasprintf("%s" HISTORY, page_url);
}

/*
 * A version's permalink is a file in the history's folder, not a folder of
 * its own: a site has as many versions as records and more, and every folder
 * is one more inode to create.
 */
char *url_version(const char *page_url, const char *short_id)
{
	return xasprintf("%s" HISTORY "%s.html", page_url, short_id);
}

char *url_changes(const char *page_url, size_t k)
{
	return k ? xasprintf("%s" CHANGES "%zu/", page_url, k) : xasprintf("%s" CHANGES, page_url);
}

char *url_changes_feed(const char *page_url)
{
	return xasprintf("%s" CHANGES FEED, page_url);
}

const char *url_feed_file(void)
{
	return FEED;
}

char *url_feed(const char *page_url)
{
	return xasprintf("%s" FEED, page_url);
}

char *url_calendar(const char *page_url)
{
	return xasprintf("%s" CALENDAR, page_url);
}

char *url_record_json(const char *page_url)
{
	return xasprintf("%s" RECORD_JSON, page_url);
}

char *url_data_file(const char *region_slug, const char *name)
{
	return region_slug ? xasprintf(DATA "%s/%s", region_slug, name) : xasprintf(DATA "%s", name);
}

char *url_all_records(const char *page_url)
{
	return xasprintf("%s" ALL_RECORDS, page_url);
}

char *url_theme(const char *slug)
{
	return slug ? xasprintf(THEMES "%s/", slug) : xstrdup(THEMES);
}

char *url_search_file(const char *lang, const char *name)
{
	return xasprintf(SEARCH "%s/%s", lang, name);
}

char *url_partners(url_facet facet, const char *value)
{
	static const char *const words[] = { "", "teema/", "sektori/", "alue/" };
	if (facet == URL_FACET_NONE || !value)
		return xstrdup(PARTNERS);
	buf b = BUF_INIT;
	buf_printf(&b, PARTNERS "%s", words[facet]);
	for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
		if (p[0] == 0xC3 && (p[1] == 0xA4 || p[1] == 0xA5 || p[1] == 0x84 || p[1] == 0x85)) {
			buf_putc(&b, 'a');
			p++;
		} else if (p[0] == 0xC3 && (p[1] == 0xB6 || p[1] == 0x96)) {
			buf_putc(&b, 'o');
			p++;
		} else {
			buf_putc(&b, (char)*p);
		}
	}
	buf_putc(&b, '/');
	return buf_detach(&b, NULL);
}

const char *url_fixed(url_page p)
{
	switch (p) {
	case URL_FRONT:
		return "/";
	case URL_STATEMENT:
		return "/saavutettavuus/";
	case URL_PARITY:
		return "/kieliversiot/";
	case URL_NOT_FOUND:
		return "/404.html";
	case URL_SITEMAP:
		return "/sitemap.xml";
	case URL_ROBOTS:
		return "/robots.txt";
	case URL_STATIC:
		return "/static/";
	case URL_SEARCH:
		return SEARCH;
	case URL_DATA:
		return DATA;
	case URL_DEADLINES:
		return DEADLINES;
	}
	return "/";
}

/* The generator's pages of the whole site (and of a scoped site, at its root). */
static const struct { const char *prefix, *what; } sitewide[] = {
	{ THEMES, "the themes pages" },
	{ PARTNERS, "the partnership directory" },
	{ SEARCH, "the search page" },
	{ DATA, "the open data files" },
	{ DEADLINES, "the upcoming deadlines" },
	{ "/saavutettavuus/", "the accessibility statement" },
	{ "/kieliversiot/", "the report of translations (language parity)" },
	{ "/static/", "the theme's files" },
	{ "/" CHANGES, "the site's list of changes" },
};

/* The site-wide page or folder url is (or is under): what it is for, else NULL. */
static const char *sitewide_page(const char *url)
{
	static const char *const files[] = { "/404.html", "/sitemap.xml", "/robots.txt",
		"/" CALENDAR, "/" RECORD_JSON };
	if (strcmp(url, "/") == 0)
		return "the front page";
	for (size_t i = 0; i < sizeof sitewide / sizeof *sitewide; i++)
		if (str_has_prefix(url, sitewide[i].prefix))
			return sitewide[i].what;
	for (size_t i = 0; i < sizeof files / sizeof *files; i++)
		if (strcmp(url, files[i]) == 0)
			return "a file of the site";
	/* two letters at the top: a language's site (/sv/, /en/) */
	if (url[0] == '/' && url[1] >= 'a' && url[1] <= 'z' && url[2] >= 'a' && url[2] <= 'z' &&
			url[3] == '/')
		return "the site in another language";
	return NULL;
}

const char *urls_reserved_for(const char *url)
{
	static const struct { const char *segment, *what; } segments[] = {
		{ "/" HISTORY, N_("a record's history") },
		{ "/" CHANGES, N_("a list of changes") },
		{ "/" ALL_RECORDS, N_("a region's or municipality's list of all records") },
	};
	const char *top = sitewide_page(url);
	if (top)
		return top;
	for (size_t i = 0; i < sizeof segments / sizeof *segments; i++)
		if (strstr(url, segments[i].segment))
			return segments[i].what;
	return NULL;
}

char *url_page_of(const char *url)
{
	static const char *const under[] = { "/" HISTORY, "/" CHANGES, "/" ALL_RECORDS };
	static const char *const files[] = { "/" RECORD_JSON, "/" CALENDAR, "/" FEED };
	size_t n = strlen(url);
	for (size_t i = 0; i < sizeof under / sizeof *under; i++) {
		const char *p = strstr(url, under[i]);
		if (p && (size_t)(p - url + 1) < n)
			n = (size_t)(p - url + 1);
	}
	for (size_t i = 0; i < sizeof files / sizeof *files; i++)
		if (str_has_suffix(url, files[i]) && strlen(url) - strlen(files[i]) + 1 < n)
			n = strlen(url) - strlen(files[i]) + 1;
	return xasprintf("%.*s", (int)n, url);
}

const char *url_href(const char *url)
{
	return url[0] == '/' ? url + 1 : url;
}

/* A page that is a file ("404.html", "sitemap.xml"), not a folder's index. */
static int is_file_url(const char *url)
{
	size_t n = strlen(url);
	return n > 0 && url[n - 1] != '/';
}

char *url_output_path(const char *url)
{
	if (is_file_url(url))
		return xstrdup(url_href(url));
	return xasprintf("%sindex.html", url_href(url));
}

char *url_root_of(const char *url)
{
	buf b = BUF_INIT;
	for (const char *p = url[0] ? url + 1 : url; *p; p++)
		if (*p == '/')
			buf_puts(&b, "../");
	if (b.len == 0)
		buf_puts(&b, "./");
	return buf_detach(&b, NULL);
}

char *url_relative(const char *from, const char *url)
{
	char *root = url_root_of(from);
	char *out = xasprintf("%s%s", root, url_href(url));
	free(root);
	return out;
}

char *url_absolute(const char *base, const char *url)
{
	return xasprintf("%s%s", base, url_href(url));
}

char *url_place(const url_site *site, const char *lang, const char *url)
{
	const char *scope = site && site->scope ? site->scope : "/";
	const char *home = site ? site->home : NULL;
	const char *rest;
	if (home && str_has_prefix(url, home))
		rest = url + strlen(home);
	else if (str_has_prefix(url, scope))
		rest = url + strlen(scope);     /* after the scope's folder, no '/' */
	else if (sitewide_page(url))
		rest = url + 1;
	else
		return NULL;
	const char *def = site && site->default_lang ? site->default_lang : NULL;
	if (!lang || !*lang || (def && strcmp(lang, def) == 0))
		return xasprintf("/%s", rest);
	return xasprintf("/%s/%s", lang, rest);
}
