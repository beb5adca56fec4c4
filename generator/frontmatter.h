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

#endif
