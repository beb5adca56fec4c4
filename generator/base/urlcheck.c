#include "urlcheck.h"

#include <string.h>
#include <strings.h>

#include "msg.h"
#include "banned.h"

static int is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Bytes that never belong in a published URL: controls, blanks, quotes, <>, backslash, backtick. */
static int forbidden(unsigned char c)
{
	return c < 0x21 || c == 0x7f || c == '"' || c == '\'' || c == '<' || c == '>' ||
		c == '\\' || c == '`';
}

/* Length of the scheme at s (letters, digits, + - . after a letter) when a ':' ends it, else 0. */
static size_t scheme_len(const char *s, size_t n)
{
	if (n == 0 || !is_alpha((unsigned char)s[0]))
		return 0;
	for (size_t i = 1; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ':')
			return i;
		if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.')
			return 0;
	}
	return 0;
}

/* 1 when a ':' comes before the first '/', '?' or '#': "1x:y" is no path a browser keeps as one. */
static int colon_first(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ':')
			return 1;
		if (s[i] == '/' || s[i] == '?' || s[i] == '#')
			return 0;
	}
	return 0;
}

/* The host (and port) of "//host:port/...": non-empty, no user name or password. */
static int web_authority_ok(const char *s, size_t n)
{
	if (n < 2 || s[0] != '/' || s[1] != '/')
		return 0;
	size_t i = 2, start = 2;
	while (i < n && s[i] != '/' && s[i] != '?' && s[i] != '#') {
		unsigned char c = (unsigned char)s[i];
		if (!(is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == ':' || c == '[' ||
				c == ']' || c >= 0x80))
			return 0;   /* '@' (user:password@host), '%' and the rest */
		i++;
	}
	return i > start && s[start] != ':' && s[start] != '.';
}

static int set_why(const char **why, const char *text)
{
	if (why)
		*why = text;
	return -1;
}

int url_check(const char *s, size_t n, unsigned allow, const char **why)
{
	static const char *const wants[8] = {
		N_("nothing"), N_("an http or https address"), N_("a mailto address"),
		N_("an http, https or mailto address"), N_("a relative link"),
		N_("a relative link or an http or https address"),
		N_("a relative link or a mailto address"),
		N_("a relative link or an http, https or mailto address"),
	};
	const char *want = wants[allow & 7];
	if (why)
		*why = want;
	if (!s)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (forbidden((unsigned char)s[i]))
			return set_why(why, s[i] == ' ' || s[i] == '\t' ?
				N_("an address without blanks") : (unsigned char)s[i] < 0x20 ||
				s[i] == 0x7f ? N_("an address without control characters") :
				N_("an address without quotes, angle brackets or backslashes"));
	size_t k = scheme_len(s, n);
	if (k == 0) {
		if (n >= 2 && s[0] == '/' && s[1] == '/')
			return set_why(why, N_("an address that starts with https:// (not //)"));
		if (colon_first(s, n))
			return -1;
		return (allow & URL_RELATIVE) ? 0 : -1;
	}
	if ((k == 4 && !strncasecmp(s, "http", 4)) || (k == 5 && !strncasecmp(s, "https", 5))) {
		if (!(allow & URL_WEB))
			return -1;
		return web_authority_ok(s + k + 1, n - k - 1) ? 0 :
			set_why(why, N_("an http or https address with a host name and no user name "
				"or password"));
	}
	if (k == 6 && !strncasecmp(s, "mailto", 6) && (allow & URL_MAILTO)) {
		const char *a = s + 7;
		size_t an = n - 7;
		const char *q = memchr(a, '?', an);
		return url_is_email(a, q ? (size_t)(q - a) : an) ? 0 :
			set_why(why, N_("mailto: followed by one e-mail address"));
	}
	if (k == 3 && !strncasecmp(s, "tel", 3) && (allow & URL_TEL)) {
		size_t digits = 0;
		for (size_t i = 4; i < n; i++) {
			if (is_digit((unsigned char)s[i]))
				digits++;
			else if (!strchr("+-.()", s[i]))
				return set_why(why, N_("tel: followed by a phone number"));
		}
		return digits ? 0 : set_why(why, N_("tel: followed by a phone number"));
	}
	return -1;
}

static int local_char(unsigned char c)
{
	return is_alpha(c) || is_digit(c) || c == '.' || c == '_' || c == '%' || c == '+' ||
		c == '-';
}

int url_is_email(const char *s, size_t n)
{
	const char *at = s ? memchr(s, '@', n) : NULL;
	if (!at || at == s)
		return 0;
	for (const char *p = s; p < at; p++)
		if (!local_char((unsigned char)*p))
			return 0;
	/* the domain: labels of letters, digits and '-' (not at either end), dot-separated */
	const char *p = at + 1, *end = s + n;
	size_t labels = 0, label = 0;
	int tld_alpha = 1;
	for (;; p++) {
		if (p == end || *p == '.') {
			if (label == 0 || p[-1] == '-' || p[-(long)label] == '-')
				return 0;
			labels++;
			if (p == end)
				break;
			label = 0;
			tld_alpha = 1;
			continue;
		}
		unsigned char c = (unsigned char)*p;
		if (!(is_alpha(c) || is_digit(c) || c == '-' || c >= 0x80))
			return 0;
		if (!is_alpha(c) && c < 0x80)
			tld_alpha = 0;
		label++;
	}
	return labels >= 2 && label >= 2 && tld_alpha;
}
