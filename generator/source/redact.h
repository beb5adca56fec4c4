#ifndef AVOIN_REDACT_H
#define AVOIN_REDACT_H
/*
 * No e-mail address from a commit is published. Everything the history takes
 * from commits (author names after .mailmap, subjects, message bodies and
 * their trailers) passes redact_emails() once, when it is read, so no page,
 * feed or cache downstream ever holds an address.
 *
 * An address is any run of address characters around an '@' with something
 * on both sides: "maija@example.fi", "<rev@example.fi>", "mailto:a@b.fi",
 * the credentials of "https://user:pass@host", "root@localhost". The run is
 * replaced by REDACTED_EMAIL; an '@' with nothing before or after it
 * ("@kunta", "klo 12 @ kaupungintalo") is left as it is.
 */
#include <stddef.h>

#define REDACTED_EMAIL "[osoite poistettu]"

/* A copy of the n bytes at s with every address-like run replaced (malloc'd, NUL-terminated). */
char *redact_emails(const char *s, size_t n);

#endif
