#ifndef AVOIN_SCOPE_H
#define AVOIN_SCOPE_H
/*
 * A scoped site: the part of the whole site that one region or one
 * municipality publishes on its own address (avoin build --scope). A
 * region's site holds every record of its folder; a municipality's holds
 * its own page and the records of its region that concern it
 * (municipality_shows: for all of the region, naming it, or with it as a
 * party). Its pages are the whole site's, placed with the scope's folder at
 * the root (urls.h, url_place), its home is the region's or the
 * municipality's page, and a link to a page it does not hold goes to that
 * page's address on the site that holds it: the region's own where that
 * has a base_url, else the whole site's.
 */
#include "diag.h"
#include "model.h"
#include "urls.h"

typedef struct site_scope site_scope;

/*
 * The scope named spec ("kainuu" or "kainuu/kajaani") of whole, which
 * outlives it. NULL with an error in d when spec names no region or no
 * municipality of it, or when whole has no base_url for links leaving it.
 */
site_scope *scope_new(const site *whole, const char *spec, diag_list *d);
void scope_free(site_scope *sc);
/* Every scope of whole, for --all-scopes: each region, then its municipalities by slug. */
char **scope_list(const site *whole, size_t *n);
/*
 * The scopes a build writes: the one spec names, or (spec NULL) every one of
 * scope_list(), each of which must have a folder of its own (scope_folder).
 * *n of them, or NULL with errors in d.
 */
site_scope **scope_open(const site *whole, const char *spec, size_t *n, diag_list *d);

/* Its name ("kainuu/kajaani"), as --scope takes it. */
const char *scope_name(const site_scope *sc);
/* Its folder under --all-scopes: the region's folder name, or the municipality's slug. */
const char *scope_folder(const site_scope *sc);
/* What it holds: a part of the whole site (model.h, site_part). */
const site *scope_site(const site_scope *sc);
const site *scope_whole(const site_scope *sc);
/* Its home: the region's region.md or the municipality's record. */
const record *scope_home(const site_scope *sc);
/* Where its pages are placed (url_place). */
const url_site *scope_url_site(const site_scope *sc);
/*
 * url (a page or file of the whole site, in the default language) on the
 * scoped site in lang, when the scope holds it; else NULL.
 */
char *scope_place(const site_scope *sc, const char *lang, const char *url);
/* url in lang where the scope does not hold it: an absolute address. */
char *scope_outside(const site_scope *sc, const char *lang, const char *url);
/*
 * 1 when the scope holds a record of type in region g with the municipalities
 * munis and the front matter meta (given apart, so that a removed record's
 * last version can be asked too).
 */
int scope_holds(const site_scope *sc, const region *g, record_type type, record *const *munis,
	size_t n_munis, const value *meta);
/*
 * The newest change among its published records and translations (their
 * last_change), which its pages name instead of the built commit, so that a
 * commit elsewhere leaves them as they were; NULL when none has one.
 */
struct history_commit;
const struct history_commit *scope_newest(const site_scope *sc);
/* Its pages' key base (pages_env.page_base): the whole site's base with its name; "" for "". */
void scope_page_base(const site_scope *sc, const char *base, char out[41]);
/* Marks which of whole's files the scope publishes (per index of files), for scope_place. */
void scope_set_files(site_scope *sc, const unsigned char *published);

#endif
