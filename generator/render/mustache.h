#ifndef AVOIN_MUSTACHE_H
#define AVOIN_MUSTACHE_H
/*
 * Mustache templates (https://mustache.github.io/mustache.5.html), all
 * required modules of the spec: variables (HTML-escaped by default, raw with
 * {{{x}}} or {{&x}}), sections, inverted sections, partials with standalone
 * indentation, comments and set delimiters; plus inheritance ({{<parent}},
 * {{$block}}). Templates are compiled once when added; rendering never
 * modifies the set, so one set can be shared by several threads.
 *
 * Context lookup follows the spec: dotted names, the implicit iterator ".",
 * walking up the context stack. Falsy values (see value_truthy) skip a
 * section; lists repeat it; other values push themselves as context.
 */
#include <stddef.h>

#include "buf.h"
#include "diag.h"
#include "value.h"

typedef struct tmpl_set tmpl_set;

tmpl_set *tmpl_set_new(void);
void tmpl_set_free(tmpl_set *ts);

/*
 * Compiles src under name (a later add of the same name replaces it, which
 * is how a content repository overrides a theme template). file is used in
 * messages: "file:line: unclosed section 'x'". Sections, parents and blocks
 * nest at most 100 levels in one source. Returns 0 or -1; on -1 the set is
 * unchanged (an earlier template of that name stays).
 */
int tmpl_set_add(tmpl_set *ts, const char *name, const char *src, size_t len, const char *file,
	diag_list *d);
/*
 * The same for a template that comes from the content (templates/ in the
 * content folder), whose authors are not trusted as the theme's are: it may
 * write unescaped only the generator's own HTML (content, record.html, html,
 * diff, join_html), may not put a value inside a tag outside an attribute's
 * quotes or in an on*, style or srcdoc attribute, and its text may not hold
 * script, frame, object, embed or base elements, http-equiv, event-handler
 * attributes, or javascript:, vbscript: or data:text/html. Refused: -1 with
 * file and line, the set unchanged.
 */
int tmpl_set_add_untrusted(tmpl_set *ts, const char *name, const char *src, size_t len,
	const char *file, diag_list *d);
int tmpl_set_has(const tmpl_set *ts, const char *name);

/*
 * Renders template name with ctx as the bottom of the context stack.
 * A missing partial renders as nothing (as the spec says). Partial and
 * inheritance nesting is capped (64 levels); past it rendering fails.
 * So that no template can hang or exhaust a build, rendering also fails past
 * 1000 levels of any nesting, 16 million nodes visited or 64 MiB written.
 * Returns 0, or -1 with an error in d (out is then left as it was).
 */
int tmpl_render(const tmpl_set *ts, const char *name, const value *ctx, buf *out, diag_list *d);

#endif
