#ifndef AVOIN_WEBPATH_H
#define AVOIN_WEBPATH_H
/*
 * The one check between a request's path and the site in memory: what
 * `avoin serve` is asked for, as the client sent it (percent-encoded), made
 * into a path of the site ("kainuu/x/index.html"), or refused. Nothing that
 * leaves the site gets through: "..", "." and empty segments, an encoded
 * slash, backslash or NUL, control characters, bytes that are not UTF-8,
 * and paths longer than WEBPATH_MAX.
 */
#include <stddef.h>

#define WEBPATH_MAX 2048

typedef enum webpath_kind {
	WEBPATH_FILE,       /* out: the site path of a file */
	WEBPATH_FOLDER,     /* out: a folder's index.html ("" + "index.html" for "/") */
	WEBPATH_BAD,        /* 400: malformed or leaving the site */
	WEBPATH_TOO_LONG,   /* 414 */
} webpath_kind;

/*
 * Decodes url (the path of the request line, without the query) into out
 * (cap bytes, at least WEBPATH_MAX + 12).
 */
webpath_kind webpath_resolve(const char *url, char *out, size_t cap);

/* The Content-Type of a site path, by its extension. */
const char *webpath_type(const char *path);

#endif
