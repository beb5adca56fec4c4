/* The words of a text as the search index keeps them (terms.c): folding, stems, counts. */
#include <stdlib.h>
#include <string.h>

#include "terms.h"
#include "test.h"

static char *folded(const char *s)
{
	buf b = BUF_INIT;
	terms_fold(s, strlen(s), &b);
	return buf_detach(&b, NULL);
}

static char *stem(terms_stemmers *st, const char *lang, const char *word)
{
	buf f = BUF_INIT, b = BUF_INIT;
	terms_fold(word, strlen(word), &f);
	terms_stem(st, lang, f.ptr, f.len, &b);
	buf_release(&f);
	return buf_detach(&b, NULL);
}

#define CHECK_OWN(expr, want) do { \
	char *got_ = (expr); \
	CHECK_STR(got_, want); \
	free(got_); \
} while (0)

static void words_are_lower_cased_and_folded_but_aao_stay(void)
{
	CHECK_OWN(folded("Pöytäkirja"), "pöytäkirja");
	CHECK_OWN(folded("ÅLAND"), "åland");
	CHECK_OWN(folded("Café"), "cafe");
	CHECK_OWN(folded("Škoda"), "skoda");
	CHECK_OWN(folded("Ærø"), "ärö");
	CHECK_OWN(folded("straße"), "strasse");
	CHECK_OWN(folded("Müller"), "muller");
	CHECK_OWN(folded("Москва"), "Москва");
}

static void a_term_is_its_stem_and_always_a_start_of_the_word(void)
{
	terms_stemmers *st = terms_stemmers_new();
	CHECK_OWN(stem(st, "fi", "sopimuksen"), "sopimuks");
	CHECK_OWN(stem(st, "fi", "neuvotteluissa"), "neuvottelu");
	CHECK_OWN(stem(st, "fi", "Kuntien"), "kunt");
	CHECK_OWN(stem(st, "fi", "pöytäkirjan"), "pöytäkirj");
	CHECK_OWN(stem(st, "sv", "förhandlingarna"), "förhandling");
	CHECK_OWN(stem(st, "sv", "avtalen"), "avtal");
	CHECK_OWN(stem(st, "en", "negotiations"), "negoti");
	/* English "happy" stems to "happi": the term is what they have in common */
	CHECK_OWN(stem(st, "en", "happy"), "happ");
	/* no stemmer for the language: the word */
	CHECK_OWN(stem(st, "de", "verhandlungen"), "verhandlungen");
	terms_stemmers_free(st);
}

/* The terms of a finished doc as "term=count" lines. */
static char *listed(terms_doc *d, uint32_t *length)
{
	size_t len, n;
	char *t = terms_doc_finish(d, &len, &n, length);
	buf out = BUF_INIT;
	for (size_t off = 0; off < len;) {
		size_t k = strlen(t + off);
		const unsigned char *c = (const unsigned char *)t + off + k + 1;
		buf_printf(&out, "%s=%u\n", t + off, (unsigned)(c[0] | c[1] << 8));
		off += k + 3;
	}
	free(t);
	if (!out.ptr)
		buf_puts(&out, "");
	return buf_detach(&out, NULL);
}

static void fields_are_weighted_and_counted_once_per_term(void)
{
	terms_stemmers *st = terms_stemmers_new();
	terms_doc *d = terms_doc_new();
	const char *title = "Sopimus";
	const char *body = "Sopimuksen neuvottelut. Sopimus – a b";
	terms_add_text(d, st, "fi", title, strlen(title), 4);
	terms_add_markdown(d, st, "fi", body, strlen(body), 1);
	uint32_t length;
	char *got = listed(d, &length);
	CHECK_STR(got, "neuvottelu=1\nsopimuks=1\nsopimus=5\n");
	CHECK(length == 7);
	free(got);
	terms_stemmers_free(st);
}

static void markdown_leaves_out_code_links_tags_and_entities(void)
{
	terms_stemmers *st = terms_stemmers_new();
	terms_doc *d = terms_doc_new();
	const char *md =
		"Katso [liite](liitteet/tiedosto.pdf) ja <https://esimerkki.fi/sivu>.\n"
		"```indicator src=data/ktt.tsv\n"
		"vuosi\tarvo\n"
		"```\n"
		"~~~~\n"
		"koodia ``` ei lopu\n"
		"~~~~\n"
		"[viite]: https://osoite.example/polku\n"
		"Loppu&nbsp;tässä <b>lihava</b>\n";
	terms_add_markdown(d, st, "xx", md, strlen(md), 1);
	uint32_t length;
	char *got = listed(d, &length);
	CHECK_STR(got, "ja=1\nkatso=1\nlihava=1\nliite=1\nloppu=1\ntässä=1\n");
	free(got);
	terms_stemmers_free(st);
}

int main(void)
{
	RUN(words_are_lower_cased_and_folded_but_aao_stay);
	RUN(a_term_is_its_stem_and_always_a_start_of_the_word);
	RUN(fields_are_weighted_and_counted_once_per_term);
	RUN(markdown_leaves_out_code_links_tags_and_entities);
	return test_summary();
}
