#ifndef AVOIN_HISTPAGES_H
#define AVOIN_HISTPAGES_H
/*
 * The pages reviewers use to trace every change through git history: a
 * history page per record (every version with field changes and a word
 * diff), a permalink per version, removal pages for deleted records,
 * redirects from renamed records' old URLs, "Muutokset" (changes) pages and
 * Atom feeds for the site, each region and each municipality.
 */
#include "diag.h"
#include "history.h"
#include "pages.h"
#include "value.h"

/*
 * For a record page: {created, created_fi, changed, changed_fi, versions,
 * href} (href = the history page, relative to the root), or NULL when the
 * record has no history (e.g. a --worktree build of an uncommitted file).
 */
value *histpages_record_summary(const pages_env *e, const record *r);

/*
 * The feeds a page links with <link rel="alternate">: a list of {title, href}
 * for the page at url: the site's feed, plus the region's and the
 * municipality's when the page belongs to one. NULL when there is no history.
 */
value *histpages_feeds(const pages_env *e, const region *g, const record *muni);

/* Writes every history-related page and feed. Returns 0, or -1 after adding errors. */
int histpages_write_all(const pages_env *e, diag_list *d);

#endif
