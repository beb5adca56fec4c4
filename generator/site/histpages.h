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
#include "page.h"
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
value *histpages_feeds(const pages_env *e, const char *lang, const region *g, const record *muni);

/*
 * The history pages in parallel. histpages_plan() (one thread) decides which
 * records get history pages and where every version's permalink is; then
 * the workers call histpages_write_record() for each published record
 * (index i in the site), right after its page and while its rendered body is
 * at hand (history page and version permalinks; the current version's body
 * is the record's), and histpages_write_lineages() for their share of the
 * deleted records (history pages, version permalinks, removal pages), and
 * only when all of them are done, histpages_write_lists() for its share of
 * the redirects, "Muutokset" pages and feeds (which link the permalinks the
 * first phase found). Each worker passes its own env (its hooks) and
 * diag_list; the plan is only read, except for the permalink of each change,
 * written by the one worker that owns its lineage. NULL plan: no history.
 */
typedef struct histpages histpages;
histpages *histpages_plan(const pages_env *e);
int histpages_write_record(histpages *p, const pages_env *e, size_t i, diag_list *d);
int histpages_write_lineages(histpages *p, const pages_env *e, size_t worker, size_t n_workers,
	diag_list *d);
int histpages_write_lists(histpages *p, const pages_env *e, size_t worker, size_t n_workers,
	diag_list *d);
void histpages_free(histpages *p);
/*
 * After histpages_write_record(p, e, i): record i's changes, newest first,
 * each with its version's permalink from the site's root (href NULL where it
 * has none: a deletion, a draft or a blob the repository lacks). A new
 * array, NULL with *n 0 when the record has no history.
 */
typedef struct hp_version {
	const history_change *c;
	const char *href;
} hp_version;
hp_version *histpages_versions(const histpages *p, size_t i, size_t *n);

/* All of the above on one thread: every history-related page and feed. 0, or -1 after errors. */
int histpages_write_all(const pages_env *e, diag_list *d);

#endif
