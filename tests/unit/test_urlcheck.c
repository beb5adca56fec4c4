/*
 * Unit tests of the one URL check (urlcheck.c) and the text checks it relies on.
 * The check sees URLs as a browser will: character references already decoded
 * (the hook sanitiser decodes them first; values from content are escaped).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "redact.h"
#include "urlcheck.h"
#include "util.h"

#define ALL (URL_WEB | URL_MAILTO | URL_RELATIVE)

static int ok(const char *s, unsigned allow)
{
	return url_check(s, strlen(s), allow, NULL) == 0;
}

static void allowed_forms_pass(void)
{
	static const char *const good[] = {
		"https://www.kokkola.fi/", "http://x.fi", "HTTPS://X.FI/a?b=1#c",
		"https://[::1]:8080/x", "https://kärsämäki.fi/", "mailto:a.b@kunta.fi",
		"mailto:a@b.fi?subject=x", "../a/", "/x/?a=1&b", "#osio", "a.pdf", "?q=1", "",
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		if (!ok(good[i], ALL))
			printf("  refused: '%s'\n", good[i]);
		CHECK(ok(good[i], ALL));
	}
}

static void hostile_forms_are_refused(void)
{
	static const char *const bad[] = {
		"javascript:alert(1)", " JaVaScRiPt:alert(1)", "JAVASCRIPT:x", "java\tscript:x",
		"java\nscript:x", "vbscript:x", "data:text/html,x",
		"data:image/svg+xml,x", "file:///etc/passwd", "//evil.example/", "\\\\evil/x",
		"https://user:pass@host.fi/", "https://@host.fi/", "https://", "http:x.fi",
		"https:///x", "ftp://x.fi/", "tel:+358", "mailto:", "mailto:javascript:x",
		"mailto:a@b", "a\"onmouseover=x", "a'b", "a<b", "a b", "x:y", "1x:y",
		"https://x.fi/\x7f", "\x01https://x.fi/",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (ok(bad[i], ALL))
			printf("  passed: '%s'\n", bad[i]);
		CHECK(!ok(bad[i], ALL));
	}
	/* a NUL inside the value is refused, never a cut */
	CHECK(url_check("https://x.fi/\0javascript:", 25, ALL, NULL) == -1);
	CHECK(url_check("/x\0", 3, ALL, NULL) == -1);
}

static void the_caller_chooses_what_is_allowed(void)
{
	const char *why = NULL;
	CHECK(url_check("/x/", 3, URL_WEB, &why) == -1);
	CHECK_STR(why, "an http or https address");
	CHECK(url_check("mailto:a@b.fi", 13, URL_WEB, &why) == -1);
	CHECK(url_check("https://x.fi/", 13, URL_RELATIVE, &why) == -1);
	CHECK_STR(why, "a relative link");
	CHECK(url_check("https://u@x.fi/", 15, URL_WEB, &why) == -1);
	CHECK_STR(why, "an http or https address with a host name and no user name or password");
	CHECK(url_check("//x.fi/", 7, URL_WEB, &why) == -1);
	CHECK_STR(why, "an address that starts with https:// (not //)");
	CHECK(url_check("https://x.fi/a b", 16, URL_WEB, &why) == -1);
	CHECK_STR(why, "an address without blanks");
}

static void e_mail_addresses(void)
{
	static const char *const good[] = {
		"a@b.fi", "etunimi.sukunimi@kunta.fi", "kirjaamo+hyte@siunsote.fi", "x@ä.fi",
	};
	static const char *const bad[] = {
		"", "@b.fi", "a@", "a@b", "a@b.", "a@.fi", "a@-b.fi", "a@b-.fi", "a b@c.fi",
		"a@b.f", "a@b.12", "<a@b.fi>", "a@b.fi\"", "a@@b.fi", "mailto:a@b.fi",
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		CHECK(url_is_email(good[i], strlen(good[i])));
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (url_is_email(bad[i], strlen(bad[i])))
			printf("  passed: '%s'\n", bad[i]);
		CHECK(!url_is_email(bad[i], strlen(bad[i])));
	}
}

static void control_characters_in_text(void)
{
	CHECK(text_control_at("a\tb\r\nc", 6) == (size_t)-1);
	CHECK(text_control_at("ab\0c", 4) == 2);
	CHECK(text_control_at("\x1b[31m", 5) == 0);
	CHECK(text_control_at("x\x7f", 2) == 1);
	CHECK(utf8_valid("\xc3\xa4", 2));
	CHECK(!utf8_valid("\xc3", 1));
	CHECK(!utf8_valid("\xed\xa0\x80", 3));
}

static void addresses_in_commits_are_redacted(void)
{
	static const struct { const char *in, *out; } forms[] = {
		{ "kysy maija.bare@example.fi", "kysy " REDACTED_EMAIL },
		{ "Reviewed-by: Rev Iewer <rev@example.fi>", "Reviewed-by: Rev Iewer <" REDACTED_EMAIL ">" },
		{ "Signed-off-by: a@b.fi\nCo-authored-by: X <x+y@sub.kunta.fi>",
			"Signed-off-by: " REDACTED_EMAIL "\nCo-authored-by: X <" REDACTED_EMAIL ">" },
		{ "katso mailto:kirjaamo@siunsote.fi.", "katso " REDACTED_EMAIL "." },
		{ "https://user:pass@host/x", "https://" REDACTED_EMAIL "/x" },
		{ "root@localhost kirjoitti", REDACTED_EMAIL " kirjoitti" },
		{ "maija@example.fi", REDACTED_EMAIL },
		{ "\"maija@x.fi\" ja (b@c.fi)", "\"" REDACTED_EMAIL "\" ja (" REDACTED_EMAIL ")" },
		{ "tapaaminen klo 12 @ kaupungintalo", "tapaaminen klo 12 @ kaupungintalo" },
		{ "@kunta ja x@", "@kunta ja x@" },
		{ "äö@åå.fi", REDACTED_EMAIL },
		{ "a@b@c", REDACTED_EMAIL "@c" },
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
		char *got = redact_emails(forms[i].in, strlen(forms[i].in));
		CHECK_STR(got, forms[i].out);
		free(got);
	}
}

int main(void)
{
	RUN(addresses_in_commits_are_redacted);
	RUN(allowed_forms_pass);
	RUN(hostile_forms_are_refused);
	RUN(the_caller_chooses_what_is_allowed);
	RUN(e_mail_addresses);
	RUN(control_characters_in_text);
	return test_summary();
}
