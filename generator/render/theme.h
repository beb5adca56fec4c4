#ifndef AVOIN_THEME_H
#define AVOIN_THEME_H
/*
 * A theme on disk: templates/<name>.mustache (compiled once), i18n/<lang>.yaml
 * (UI strings), static/ (copied to the site's static/), hooks/<name>.lua and
 * theme.yaml. A content repository overrides single templates with files
 * in its templates/ folder and hooks with files in its hooks/ folder.
 */
#include <stddef.h>

#include "diag.h"
#include "hooks.h"
#include "model.h"
#include "mustache.h"
#include "value.h"

typedef struct theme_file {
	char *path;   /* relative to the theme folder, e.g. "static/style.css" */
	char *data;
	size_t len;
} theme_file;

typedef struct theme {
	char *dir;
	value *config;          /* theme.yaml (an empty map when absent) */
	tmpl_set *templates;
	value *strings;         /* map lang -> map of UI strings (fi filled in for missing keys) */
	theme_file *statics;    /* sorted by path */
	size_t n_statics;
	hook_source *hooks;     /* the theme's hooks, sorted by name */
	size_t n_hooks;
	hook_source *content_hooks;  /* the content's hooks/ (borrowing the site's files) */
	size_t n_content_hooks;
	char *fingerprint;      /* a hash of everything the theme contributes, for caches */
} theme;

/*
 * Finds the theme: an explicit folder (--theme), else site.yaml's `theme`
 * (a name, default "default") looked up in ./themes/, beside the binary,
 * and in the installed data folder. Then loads it and applies the content's
 * overrides. Returns NULL after adding errors.
 */
theme *theme_load(const char *explicit_dir, const site *s, const char *argv0, diag_list *d);
/*
 * The folders theme_load() looks for a theme by name in (malloc'd, into roots;
 * returns how many, at most 5): what a build must not write into before it
 * knows which theme site.yaml names.
 */
size_t theme_search_roots(const char *argv0, char *roots[5]);
void theme_free(theme *t);
/* The UI strings for a language (falls back to the first one loaded). */
const value *theme_strings(const theme *t, const char *lang);

#endif
