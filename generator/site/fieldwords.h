#ifndef AVOIN_FIELDWORDS_H
#define AVOIN_FIELDWORDS_H
/*
 * What changed in a record's front matter, in words a reader reads: each
 * field under its label in the page's language, each value as the site shows
 * it (a municipality's name for its slug, "Allekirjoitettu" for signed,
 * 1.12.2025 for 2025-12-01, "kyllä" for true), lists as the items added and
 * removed, and items of a list of maps (outcomes, members) matched by what
 * names them (action, organisation, title), so that an outcome whose status
 * changed reads "Toimenpiteet: X – Tila: Suunniteltu → Tehty".
 */
#include "model.h"
#include "value.h"

/*
 * The rows for a history entry, from old_meta to new_meta (either may be
 * NULL), labelled with t (the theme's strings in the page's language) and
 * values named from s in lang. A new list of maps:
 *   {label, has_old, old, has_new, new}                 a value changed, added or removed
 *   {label, is_list, has_added, added, has_removed, removed}   a list's items
 * in the new front matter's key order, then the removed keys in the old one's.
 */
value *fieldwords_rows(const site *s, const value *t, const char *lang, const value *old_meta,
	const value *new_meta);

#endif
