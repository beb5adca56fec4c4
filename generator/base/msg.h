#ifndef AVOIN_MSG_H
#define AVOIN_MSG_H
/*
 * Messages in the publisher's language. Every error and warning is written
 * in the code in English; the catalog (msgcat.c) holds its Finnish and
 * Swedish text, keyed by the English one, as gettext keys by msgid. The
 * language is chosen once, before any thread starts (main.c: --lang, else
 * LC_ALL, LC_MESSAGES or LANG, else the site's first language), and
 * diag_add() and every message part read it:
 *
 *   diag_error(d, file, line, "'%s' must be %s (got %s)", name, tr("a list"), got);
 *
 * diag_add() translates its format itself; a part put into a message as an
 * argument goes through tr(), a literal kept for later through N_(). The
 * suite's lint (tests/lint/messages.py) finds every such literal and checks
 * that the catalog has it in all three languages with the same conversions.
 * A translation whose conversions differ from the English ones (which
 * printf would read as other arguments) is never used: the English is.
 */
#include <stddef.h>

#include "buf.h"

typedef enum msg_lang { MSG_EN, MSG_FI, MSG_SV, MSG_LANG_COUNT } msg_lang;

/* Marks a literal as a message part for the lint, without translating it. */
#define N_(s) (s)

/* Sets the language of all later messages. Call before starting threads. */
void msg_set_lang(msg_lang lang);
msg_lang msg_get_lang(void);
/* "fi", "sv", "en", "fi_FI.UTF-8", "sv-FI", "en_GB"...: 0 and *out, or -1 (also for "C"). */
int msg_lang_parse(const char *s, msg_lang *out);
/*
 * The language the environment asks for: the first of LC_ALL, LC_MESSAGES
 * and LANG that is set. -1 when none is, or it names none of ours ("C",
 * "C.UTF-8" or "POSIX" is no choice of language: servers set it by default).
 */
int msg_lang_from_env(msg_lang *out);
/* The two-letter code: "en", "fi", "sv". */
const char *msg_lang_code(msg_lang lang);

/* The text of an English message or message part in the current language. */
const char *tr(const char *en) __attribute__((format_arg(1)));
/* The same in a given language. */
const char *tr_in(msg_lang lang, const char *en) __attribute__((format_arg(2)));

/*
 * A list of allowed values as a message says it: "one of draft, approved,
 * signed, expired" in English, "draft (luonnos), approved (hyväksytty),
 * signed (allekirjoitettu) tai expired (päättynyt)" in Finnish: each value
 * with the word for it in the current language, where the catalog has one.
 */
void msg_put_choices(buf *out, const char *const *options);
/* The word for an allowed value in lang (luonnos for draft), or NULL. */
const char *msg_value_word(msg_lang lang, const char *value);

/*
 * The catalog's own check, for the unit test: how many translations were
 * set aside because their conversions differ from the English text's; each
 * is written to problems, a line each.
 */
size_t msg_catalog_problems(buf *problems);

/* The catalog (msgcat.c): { English, Finnish, Swedish } texts. */
typedef struct msg_entry {
	const char *text[MSG_LANG_COUNT];
} msg_entry;
extern const msg_entry msg_catalog[];
extern const size_t msg_catalog_count;
/* An allowed value and the word for it in each language (NULL: the value says it). */
typedef struct msg_value_word_entry {
	const char *value;
	const char *word[MSG_LANG_COUNT];
} msg_value_word_entry;
extern const msg_value_word_entry msg_value_words[];
extern const size_t msg_value_word_count;

#endif
