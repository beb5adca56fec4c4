#include "webpath.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "urls.h"
#include "util.h"
#include "banned.h"

/* Percent-decodes url into out; 0, or -1 for a bad escape, NUL, an encoded slash or backslash. */
static int decode(const char *url, char *out, size_t cap, size_t *len)
{
	size_t n = 0;
	for (const char *p = url; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '%') {
			int hi = hex_digit(p[1]), lo = hi < 0 ? -1 : hex_digit(p[2]);
			if (lo < 0)
				return -1;
			c = (unsigned char)(hi * 16 + lo);
			/* an encoded separator would be a second way to spell a folder */
			if (c == '/' || c == '\0')
				return -1;
			p += 2;
		}
		if (c < 0x20 || c == 0x7f || c == '\\' || n + 1 >= cap)
			return -1;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	*len = n;
	return 0;
}

/* 1 when every segment of path (after its first '/') is a plain name. */
static int plain_segments(const char *path, size_t len)
{
	const char *seg = path + 1, *end = path + len;
	while (seg < end) {
		const char *slash = memchr(seg, '/', (size_t)(end - seg));
		size_t n = slash ? (size_t)(slash - seg) : (size_t)(end - seg);
		/* an empty segment is only the trailing one of a folder */
		if ((n == 0 && slash) || (seg[0] == '.' && n > 0))
			return 0;
		if (!slash)
			break;
		seg = slash + 1;
	}
	return 1;
}

webpath_kind webpath_resolve(const char *url, char *out, size_t cap)
{
	size_t ulen = strlen(url);
	if (ulen > WEBPATH_MAX)
		return WEBPATH_TOO_LONG;
	if (cap < WEBPATH_MAX + 12 || url[0] != '/')
		return WEBPATH_BAD;
	size_t len;
	if (decode(url, out, cap, &len) != 0 || !utf8_valid(out, len) ||
	    !plain_segments(out, len))
		return WEBPATH_BAD;
	/* where the site writes the page at that URL (urls.c) */
	int folder = out[len - 1] == '/';
	char *path = folder ? url_output_path(out) : xstrdup(url_href(out));
	snprintf(out, cap, "%s", path);
	free(path);
	return folder ? WEBPATH_FOLDER : WEBPATH_FILE;
}

static const struct {
	const char *ext, *type;
} types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".json", "application/json" },
	{ ".xml", "application/xml" },
	{ ".ics", "text/calendar; charset=utf-8" },
	{ ".csv", "text/csv; charset=utf-8" },
	{ ".tsv", "text/tab-separated-values; charset=utf-8" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".jpg", "image/jpeg" },
	{ ".jpeg", "image/jpeg" },
	{ ".gif", "image/gif" },
	{ ".webp", "image/webp" },
	{ ".ico", "image/x-icon" },
	{ ".pdf", "application/pdf" },
	{ ".woff2", "font/woff2" },
	{ ".woff", "font/woff" },
	{ ".odt", "application/vnd.oasis.opendocument.text" },
	{ ".ods", "application/vnd.oasis.opendocument.spreadsheet" },
	{ ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
	{ ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
};

const char *webpath_type(const char *path)
{
	for (size_t i = 0; i < sizeof types / sizeof *types; i++)
		if (str_has_suffix(path, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}
