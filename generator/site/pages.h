#ifndef AVOIN_PAGES_H
#define AVOIN_PAGES_H
/*
 * The pages of the site: for each page, its context (a value tree) is built
 * here and rendered with the theme's templates (page.h), first the page
 * kind's template, then layout.mustache around it. Pages: front page, a page
 * per region, municipality and record, a list of all records per region, a
 * page per theme and a theme index, the accessibility statement, 404, the
 * sitemap, the theme's static files and the content's data files. The
 * driver (build.c) calls these and the history pages' (histpages.h) in turn.
 */
#include "diag.h"
#include "page.h"

/*
 * The site-wide pages: regions' lists of all records, the front page, the
 * themes, the statement, 404, the sitemap and robots.txt, the theme's static
 * files and the files records name. Page hooks run here: e's hooks are
 * used. 0, or -1 after adding errors.
 */
/* The search page and index of every language (search.h): one worker's, beside the others' pages. */
int pages_write_search(const pages_env *e, diag_list *d);
int pages_write_site(const pages_env *e, diag_list *d);
/* The page of one published record (its history pages are histpages.h's). 0 or -1. */
int pages_write_record(const pages_env *e, const record *r, diag_list *d);

#endif
