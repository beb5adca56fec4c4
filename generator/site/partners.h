#ifndef AVOIN_PARTNERS_H
#define AVOIN_PARTNERS_H
/*
 * Partnership groups for organisations that want to take part: members by
 * their real sector, and the directory of every group (partners_write): one
 * page with all of them and a static page per theme, sector and area, so that
 * the groups can be filtered without JavaScript. Each group shows its region
 * and area, themes, sectors, when it meets and its next meeting, whom to
 * contact and how to join.
 */
#include "diag.h"
#include "model.h"
#include "page.h"
#include "value.h"

/*
 * A group's members by sector, in the content model's order: [{key, label,
 * members: [{organisation, role}]}]. Members of sector kunta that are not one
 * of the region's municipalities (a joint authority, the regional council)
 * are "other municipal-sector bodies" (key kunta-muu), not municipalities.
 * *n_members: how many there are in all.
 */
value *partners_sectors(const record *r, const value *t, size_t *n_members);

/* Whom to contact (contact: {name, email}) and how to join (join_html), set in into when given. */
void partners_contact(value *into, const record *r);

/* The directory and its pages per theme, sector and area. 0, or -1 after adding to d. */
int partners_write(const pages_env *e, const char *lang, diag_list *d);

#endif
