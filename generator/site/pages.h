#ifndef AVOIN_PAGES_H
#define AVOIN_PAGES_H
/*
 * The pages of the site: for each page, its context (a value tree) is built
 * here and rendered with the theme's templates (page.h), first the page
 * kind's template, then layout.mustache around it. Pages: front page, a page
 * per region, municipality and record, a list of all records per region, a
 * page per theme and a theme index, the accessibility statement, 404, the
 * sitemap, the theme's static files and the content's data files; each
 * record's history pages after its page (histpages.h).
 */
#include "diag.h"
#include "page.h"

/*
 * Writes the pages that fall to one worker of n_workers (records striped by
 * index, site-wide pages on worker 0); calling it for every worker, in any
 * order or at once from different threads, writes every page. Each worker
 * has its own pages_env (its own hooks) and diag_list.
 * Returns 0, or -1 after adding errors.
 */
int pages_write_all(pages_env *e, size_t worker, size_t n_workers, diag_list *d);
/*
 * The second phase, once every worker's pages_write_all() has returned: the
 * pages that link what the first phase found (history's changes pages and
 * feeds, e->hp). Same striping and calling rules. 0, or -1 after errors.
 */
int pages_write_lists(pages_env *e, size_t worker, size_t n_workers, diag_list *d);

#endif
