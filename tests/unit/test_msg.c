/* Messages in the publisher's language (msg.c, msgcat.c, and diag.c writing them). */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "msg.h"
#include "test.h"

static void every_translation_takes_the_english_arguments(void)
{
	buf problems = BUF_INIT;
	size_t bad = msg_catalog_problems(&problems);
	CHECK(bad == 0);
	if (bad)
		printf("# %s", problems.ptr);
	CHECK(msg_catalog_count > 200);
	buf_release(&problems);
}

static void a_language_is_read_from_its_usual_spellings(void)
{
	msg_lang l = MSG_EN;
	CHECK(msg_lang_parse("fi", &l) == 0 && l == MSG_FI);
	CHECK(msg_lang_parse("sv_FI.UTF-8", &l) == 0 && l == MSG_SV);
	CHECK(msg_lang_parse("fi-FI", &l) == 0 && l == MSG_FI);
	CHECK(msg_lang_parse("en_GB.UTF-8@euro", &l) == 0 && l == MSG_EN);
	CHECK(msg_lang_parse("SV", &l) == 0 && l == MSG_SV);
	/* C and POSIX choose no language; neither do others, nor a longer word */
	CHECK(msg_lang_parse("C.UTF-8", &l) != 0);
	CHECK(msg_lang_parse("POSIX", &l) != 0);
	CHECK(msg_lang_parse("de_DE.UTF-8", &l) != 0);
	CHECK(msg_lang_parse("finnish", &l) != 0);
	CHECK(msg_lang_parse("", &l) != 0);
	CHECK(msg_lang_parse(NULL, &l) != 0);
}

static void the_environment_chooses_as_setlocale_would(void)
{
	msg_lang l = MSG_EN;
	unsetenv("LC_ALL");
	setenv("LC_MESSAGES", "sv_FI.UTF-8", 1);
	setenv("LANG", "fi_FI.UTF-8", 1);
	CHECK(msg_lang_from_env(&l) == 0 && l == MSG_SV);
	setenv("LC_ALL", "fi_FI.UTF-8", 1);
	CHECK(msg_lang_from_env(&l) == 0 && l == MSG_FI);
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	CHECK(msg_lang_from_env(&l) == 0 && l == MSG_FI);
	setenv("LANG", "C.UTF-8", 1);
	CHECK(msg_lang_from_env(&l) != 0);
	unsetenv("LANG");
	CHECK(msg_lang_from_env(&l) != 0);
}

static void a_diagnostic_is_written_in_the_chosen_language(void)
{
	static const char *const want[MSG_LANG_COUNT] = {
		"x.md:3: 'draft' must be true or false (got 'joo')",
		"x.md:3: 'draft' pitää olla true (kyllä) tai false (ei); nyt 'joo'",
		"x.md:3: 'draft' ska vara true (ja) eller false (nej); nu 'joo'",
	};
	for (int l = 0; l < MSG_LANG_COUNT; l++) {
		msg_set_lang((msg_lang)l);
		diag_list d = DIAG_LIST_INIT;
		diag_error(&d, "x.md", 3, "'%s' must be %s (got %s)", "draft", tr("true or false"),
			"'joo'");
		buf line = BUF_INIT;
		diag_format(&line, &d.items[0]);
		CHECK_STR(line.ptr, want[l]);
		buf_release(&line);
		diag_release(&d);
	}
	msg_set_lang(MSG_EN);
}

static void allowed_values_are_named_with_their_words(void)
{
	static const char *const status[] = { "draft", "approved", "signed", "expired", NULL };
	static const char *const sectors[] = { "kunta", "järjestö", NULL };
	static const char *const want[MSG_LANG_COUNT][2] = {
		{ "one of draft, approved, signed, expired",
		  "one of kunta (municipality), järjestö (association)" },
		{ "draft (luonnos), approved (hyväksytty), signed (allekirjoitettu) tai expired "
		  "(päättynyt)", "kunta tai järjestö" },
		{ "draft (utkast), approved (godkänt), signed (undertecknat) eller expired (upphört)",
		  "kunta (kommun) eller järjestö (organisation)" },
	};
	for (int l = 0; l < MSG_LANG_COUNT; l++) {
		msg_set_lang((msg_lang)l);
		buf a = BUF_INIT, b = BUF_INIT;
		msg_put_choices(&a, status);
		msg_put_choices(&b, sectors);
		CHECK_STR(a.ptr, want[l][0]);
		CHECK_STR(b.ptr, want[l][1]);
		buf_release(&a);
		buf_release(&b);
	}
	msg_set_lang(MSG_EN);
}

static void a_text_not_in_the_catalog_stays_as_it_is(void)
{
	msg_set_lang(MSG_FI);
	const char *own = "already in the reader's language: %s";
	CHECK(tr(own) == own);
	CHECK_STR(tr("a list"), "lista");
	CHECK_STR(tr_in(MSG_SV, "a list"), "en lista");
	CHECK_STR(tr_in(MSG_EN, "a list"), "a list");
	msg_set_lang(MSG_EN);
	CHECK_STR(tr("a list"), "a list");
}

int main(void)
{
	RUN(every_translation_takes_the_english_arguments);
	RUN(a_language_is_read_from_its_usual_spellings);
	RUN(the_environment_chooses_as_setlocale_would);
	RUN(a_diagnostic_is_written_in_the_chosen_language);
	RUN(allowed_values_are_named_with_their_words);
	RUN(a_text_not_in_the_catalog_stays_as_it_is);
	return test_summary();
}
