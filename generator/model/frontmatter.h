#ifndef AVOIN_FRONTMATTER_H
#define AVOIN_FRONTMATTER_H
/*
 * Front matter and YAML. A record is "---\n<YAML>\n---\n<CommonMark body>".
 * YAML is read with libyaml into the generic value tree. Scalars are typed
 * after the YAML 1.2 core schema, not 1.1: unquoted true/false are booleans,
 * null/~/empty are null, decimal numbers are numbers, everything else
 * (dates, "no", "on", 0755, 1:20) is a string; quoted scalars are strings.
 * Every value carries its source line. Anchors and aliases are refused (a
 * public site's records do not need them, and they allow billion-laughs).
 */
#include <stddef.h>

#include "diag.h"
#include "value.h"

/*
 * Parses YAML text into a value. first_line is the file line of text's
 * first line (so front matter lines match the file). file names the file in
 * diagnostics. An empty document is an empty map. Returns NULL after adding
 * an error "file:line: invalid YAML: <problem>" to d.
 */
value *yaml_parse(const char *text, size_t len, const char *file, int first_line, diag_list *d);

/*
 * Splits a record. On success *meta is the front matter map, *body points
 * into text after the closing '---' line and *body_line is the file line
 * where the body starts. Missing front matter, an unterminated block or
 * front matter that is not a map are errors naming file and line.
 * Returns 0 or -1.
 */
int frontmatter_split(const char *text, size_t len, const char *file, value **meta,
	const char **body, size_t *body_len, int *body_line, diag_list *d);
/*
 * Only finds the body, as frontmatter_split() would, without parsing the
 * YAML: for text whose front matter was parsed before. 0, or -1 when the
 * front matter is missing or not closed.
 */
int frontmatter_body(const char *text, size_t len, const char **body, size_t *body_len,
	int *body_line);

/*
 * The parsed front matter of the last build, by blob id, so that a rebuild
 * parses only the files a commit changed (<out>.cache/frontmatter). Only
 * clean parses are kept: a file whose parse warned is parsed again, so the
 * warning repeats. Safe to use from several threads at once.
 */
typedef struct fm_cache fm_cache;

/*
 * Loads the cache at path, written by the generator named gen (any other
 * generator's file is not read: its parser may differ). A missing, stale or
 * damaged file is an empty cache. Never NULL.
 */
fm_cache *fm_cache_open(const char *path, const char *gen);
/*
 * frontmatter_split() through the cache: oid is text's blob id (40 hex
 * digits; anything else is not cached). c may be NULL.
 */
int frontmatter_split_cached(fm_cache *c, const char *oid, const char *text, size_t len,
	const char *file, value **meta, const char **body, size_t *body_len, int *body_line,
	diag_list *d);
/*
 * The front matter of blob oid alone, when the cache has it (the blob itself
 * need not be read): 0 and *meta, or -1 (*meta NULL). Counts as a hit.
 */
int fm_cache_meta(fm_cache *c, const char *oid, value **meta);
/* How many splits the cache answered. */
size_t fm_cache_hits(const fm_cache *c);
/*
 * Writes the file again when this build used other entries than it held:
 * then it holds exactly the entries used or added. 0, or -1 when it could
 * not be written (the next build just parses more).
 */
int fm_cache_save(fm_cache *c);
void fm_cache_free(fm_cache *c);

#endif
