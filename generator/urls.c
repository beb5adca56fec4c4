#include "urls.h"

#include <string.h>

#include "util.h"
#include "banned.h"

const char *urls_reserved_for(const char *url)
{
	static const struct { const char *prefix, *what; } tops[] = {
		{ "/teemat/", "the themes pages" },
		{ "/saavutettavuus/", "the accessibility statement" },
		{ "/static/", "the theme's files" },
		{ "/muutokset/", "the site's list of changes" },
	};
	static const struct { const char *segment, *what; } segments[] = {
		{ "/historia/", "a record's history" },
		{ "/muutokset/", "a list of changes" },
		{ "/asiakirjat/", "a region's list of all records" },
	};
	if (strcmp(url, "/") == 0)
		return "the front page";
	for (size_t i = 0; i < sizeof tops / sizeof *tops; i++)
		if (str_has_prefix(url, tops[i].prefix))
			return tops[i].what;
	/* two letters at the top: a language's site (/sv/, /en/) */
	if (url[0] == '/' && url[1] >= 'a' && url[1] <= 'z' && url[2] >= 'a' && url[2] <= 'z' &&
			url[3] == '/')
		return "the site in another language";
	for (size_t i = 0; i < sizeof segments / sizeof *segments; i++)
		if (strstr(url, segments[i].segment))
			return segments[i].what;
	return NULL;
}
