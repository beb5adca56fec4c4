/*
 * libFuzzer target: the one URL check, the e-mail check and the redaction of
 * addresses from commits. Properties, not just "no crash":
 *  - a URL that url_check() allows has no control character, blank, quote,
 *    angle bracket or backslash, does not start with "//", and has no scheme
 *    but http, https, mailto and tel (what a browser would run is refused);
 *  - an allowed http(s) URL has a host and no user name or password;
 *  - redact_emails() leaves no '@' with address characters on both sides,
 *    and redacting its output again changes nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "redact.h"
#include "urlcheck.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static void check_allowed(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c == 0x7f || strchr("\"'<>\\`", c))
			abort();
	}
	if (n >= 2 && s[0] == '/' && s[1] == '/')
		abort();
	size_t k = 0;
	while (k < n && s[k] != ':' && s[k] != '/' && s[k] != '?' && s[k] != '#')
		k++;
	if (k < n && s[k] == ':') {
		int web = (k == 4 && !strncasecmp(s, "http", 4)) || (k == 5 && !strncasecmp(s, "https", 5));
		int ok = web || (k == 6 && !strncasecmp(s, "mailto", 6)) ||
			(k == 3 && !strncasecmp(s, "tel", 3));
		if (!ok)
			abort();
		if (web) {
			if (n < k + 4 || s[k + 1] != '/' || s[k + 2] != '/')
				abort();
			for (size_t i = k + 3; i < n && s[i] != '/' && s[i] != '?' && s[i] != '#'; i++)
				if (s[i] == '@')
					abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	for (unsigned allow = 0; allow < 16; allow++)
		if (url_check(s, size, allow, NULL) == 0)
			check_allowed(s, size);
	url_is_email(s, size);
	char *r = redact_emails(s, size);
	size_t rn = strlen(r);
	for (size_t i = 1; i + 1 < rn; i++)
		if (r[i] == '@' && word_char((unsigned char)r[i - 1]) &&
		    word_char((unsigned char)r[i + 1]))
			abort();
	char *again = redact_emails(r, rn);
	if (strcmp(again, r) != 0)
		abort();
	free(again);
	free(r);
	return 0;
}
