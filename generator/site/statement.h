#ifndef AVOIN_STATEMENT_H
#define AVOIN_STATEMENT_H
/*
 * The accessibility statement that Act 306/2019 § 9 requires, from the
 * `accessibility` keys of site.yaml (checked in model/validate.c): whether the
 * site complies, the content that is not accessible and why, how to get it
 * another way, when the statement was prepared and last reviewed, whether the
 * assessment was the publisher's own or external, the feedback channel with
 * its 14-day answer, and how to reach the supervisory authority.
 */
#include "diag.h"
#include "page.h"

/* The statement in language lang at its URL. 0, or -1 after adding to d. */
int statement_write(const pages_env *e, const char *lang, diag_list *d);

#endif
