#ifndef AVOIN_PARITY_H
#define AVOIN_PARITY_H
/*
 * The parity report (the Language Act 423/2003): per region and per
 * bilingual municipality (its `languages` lists two), which published
 * records that concern it lack a translation into one of its languages,
 * since when (from the history), and the share that has every one; on its
 * own page in each language, and as a summary on the municipality's and the
 * region's pages. Nothing when the site has one language.
 */
#include "diag.h"
#include "page.h"

/* ctx.parity = {share, missing, complete, href} when m is bilingual. */
void parity_municipality_summary(const pages_env *e, value *ctx, const record *m, const value *t,
	const char *lang);
/* The same summed over g's bilingual municipalities, when it has any. */
void parity_region_summary(const pages_env *e, value *ctx, const region *g, const value *t,
	const char *lang);
/* The report in lang at its URL. 0, or -1 after adding to d. */
int parity_write(const pages_env *e, const char *lang, diag_list *d);

#endif
