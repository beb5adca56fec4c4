#ifndef AVOIN_URLCHECK_H
#define AVOIN_URLCHECK_H
/*
 * The one check that every URL taken from content passes before it reaches
 * a page: front-matter fields (a municipality's website), site.yaml
 * (base_url, the accessibility statement's contact and authority), contact
 * fields, Markdown links and images, and the HTML that hooks return.
 *
 * Allowed are the schemes http, https and mailto, and where the caller says
 * so relative references and tel: (a phone number in a Markdown link). Everything else is refused: javascript:,
 * vbscript:, data:, file: and every other scheme in any case and with any
 * blanks in front, a protocol-relative "//host", control characters anywhere
 * (browsers drop tabs and newlines inside URLs, so "java\tscript:" would run),
 * blanks, quotes, angle brackets and backslashes (which browsers read as '/'),
 * and user names or passwords in a web address.
 *
 * Lengths travel with the bytes: a NUL inside a value is refused, not a cut.
 */
#include <stddef.h>

enum {
	URL_WEB = 1,        /* http://host... or https://host... */
	URL_MAILTO = 2,     /* mailto:address */
	URL_RELATIVE = 4,   /* a path, query or fragment on the same site */
	URL_TEL = 8,        /* tel:+358... (digits, '+', '-', '.', '(', ')'): a phone number */
};

/*
 * 0 when the n bytes at s may be published where allow permits; else -1, and
 * *why (when not NULL) says what was expected, e.g. "an http or https address".
 */
int url_check(const char *s, size_t n, unsigned allow, const char **why);

/* 1 when the n bytes at s are one e-mail address (local@domain.tld), with nothing else. */
int url_is_email(const char *s, size_t n);

#endif
