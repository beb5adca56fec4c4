#include "redact.h"

#include <string.h>

#include "buf.h"
#include "banned.h"

/* What may stand before an '@': a local part, and a URL's "user:password". */
static int left_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c >= 0x80 || (c && strchr(".!#$%&'*+=?^_`{|}~-:", c));
}

/*
 * What may stand after it: a domain or a host, with a port. Not '[': the
 * redaction itself starts with one, and redacting twice must change nothing.
 */
static int right_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c >= 0x80 || c == '.' || c == '-' || c == '_' || c == ':';
}

char *redact_emails(const char *s, size_t n)
{
	buf out = BUF_INIT;
	size_t done = 0;   /* bytes of s already copied or replaced */
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '@')
			continue;
		size_t a = i, b = i + 1;
		while (a > done && left_char((unsigned char)s[a - 1]))
			a--;
		/* "https://user:pass@host": the scheme's slashes end the run, so keep "https://" */
		while (a < i && (s[a] == '/' || s[a] == ':'))
			a++;
		while (b < n && right_char((unsigned char)s[b]))
			b++;
		/* a sentence may end right after an address */
		while (b > i + 1 && (s[b - 1] == '.' || s[b - 1] == ':' || s[b - 1] == '-'))
			b--;
		if (a == i || b == i + 1)
			continue;
		/* "mailto:" before the address goes with it */
		if (a >= done + 7 && strncmp(s + a - 7, "mailto:", 7) == 0)
			a -= 7;
		buf_put(&out, s + done, a - done);
		buf_puts(&out, REDACTED_EMAIL);
		done = b;
		i = b - 1;
	}
	buf_put(&out, s + done, n - done);
	return buf_detach(&out, NULL);
}
