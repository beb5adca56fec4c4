/* Unit tests of the diff module: word diff markup and front matter changes. */
#include <stdlib.h>

#include "buf.h"
#include "diff.h"
#include "test.h"
#include "util.h"
#include "value.h"

#define DEL "<del><span class=\"visually-hidden\">Poistettu: </span>"
#define INS "<ins><span class=\"visually-hidden\">Lisätty: </span>"

static char *diff_str(const char *a, const char *b)
{
	buf out = BUF_INIT;
	diff_text_html(&out, a, a ? strlen(a) : 0, b, b ? strlen(b) : 0, NULL);
	return buf_detach(&out, NULL);
}

static void word_change_is_marked(void)
{
	char *s = diff_str("Sopimus on luonnos.\n", "Sopimus on allekirjoitettu.\n");
	CHECK_STR(s, "<p class=\"diff-para\">Sopimus on " DEL "luonnos</del>"
		INS "allekirjoitettu</ins>.</p>\n");
	free(s);
}

static void whitespace_between_changes_joins_them(void)
{
	char *s = diff_str("Kunta ja alue sopivat asiasta.",
		"Kunta sekä hyvinvointialue sopivat asiasta.");
	CHECK_STR(s, "<p class=\"diff-para\">Kunta " DEL "ja alue</del>"
		INS "sekä hyvinvointialue</ins> sopivat asiasta.</p>\n");
	free(s);
}

static void text_is_escaped(void)
{
	char *s = diff_str("a <b> & c", "a <i> & c");
	CHECK_CONTAINS(s, "a &lt;" DEL "b</del>" INS "i</ins>&gt; &amp; c");
	CHECK_NOT_CONTAINS(s, "<b>");
	CHECK_NOT_CONTAINS(s, "<i>");
	free(s);
	s = diff_str("", "<script>alert(1)</script>");
	CHECK_STR(s, "<p class=\"diff-para\">" INS
		"&lt;script&gt;alert(1)&lt;/script&gt;</ins></p>\n");
	free(s);
}

static void utf8_words_are_not_split(void)
{
	/* ä and ö share their first UTF-8 byte: a byte-level diff would cut a character in two */
	char *s = diff_str("Pääsy", "Pöösy");
	CHECK_STR(s, "<p class=\"diff-para\">" DEL "Pääsy</del></p>\n<p class=\"diff-para\">" INS
		"Pöösy</ins></p>\n");
	free(s);
	s = diff_str("Yhteistyö Äänekosken kanssa", "Yhteistyö Jyväskylän kanssa");
	CHECK_STR(s, "<p class=\"diff-para\">Yhteistyö " DEL "Äänekosken</del>"
		INS "Jyväskylän</ins> kanssa</p>\n");
	free(s);
}

static void paragraphs_added_and_removed(void)
{
	const char *a = "Eka kappale.\n\nToka kappale.\n\nKolmas kappale.\n";
	const char *b = "Eka kappale.\n\nKolmas kappale.\n\nNeljäs kappale,\nkahdella rivillä.\n";
	char *s = diff_str(a, b);
	CHECK_STR(s,
		"<p class=\"diff-unchanged\">… 1 muuttumaton kappale</p>\n"
		"<p class=\"diff-para\">" DEL "Toka kappale.</del></p>\n"
		"<p class=\"diff-unchanged\">… 1 muuttumaton kappale</p>\n"
		"<p class=\"diff-para\">" INS "Neljäs kappale,\nkahdella rivillä.</ins></p>\n");
	free(s);
}

static void unchanged_paragraphs_are_counted(void)
{
	const char *a = "A.\n\nB.\n\nC.\n\nD on vanha.\n\nE.\n";
	const char *b = "A.\n\n  \nB.\n\nC.\n\nD on uusi.\n\nE.\r\n";
	char *s = diff_str(a, b);
	CHECK_STR(s,
		"<p class=\"diff-unchanged\">… 3 muuttumatonta kappaletta</p>\n"
		"<p class=\"diff-para\">D on " DEL "vanha</del>" INS "uusi</ins>.</p>\n"
		"<p class=\"diff-unchanged\">… 1 muuttumaton kappale</p>\n");
	free(s);
	s = diff_str(a, a);
	CHECK_STR(s, "<p class=\"diff-unchanged\">… 5 muuttumatonta kappaletta</p>\n");
	free(s);
	s = diff_str(NULL, "");
	CHECK_STR(s, "");
	free(s);
}

static void unrelated_paragraphs_are_shown_whole(void)
{
	char *s = diff_str("Kokous pidettiin.", "Uusi teksti tähän");
	CHECK_STR(s, "<p class=\"diff-para\">" DEL "Kokous pidettiin.</del></p>\n"
		"<p class=\"diff-para\">" INS "Uusi teksti tähän</ins></p>\n");
	free(s);
}

static void large_paragraphs_fall_back(void)
{
	/* more than DIFF_MAX_EDITS word edits in one paragraph: shown as whole del + ins */
	buf a = BUF_INIT, b = BUF_INIT;
	for (int i = 0; i < 3000; i++) {
		buf_printf(&a, "sana%d ", i);
		buf_printf(&b, "%s%d ", i % 2 ? "sana" : "toinen", i);
	}
	buf_puts(&a, "loppu");
	buf_puts(&b, "loppu");
	buf out = BUF_INIT;
	diff_text_html(&out, a.ptr, a.len, b.ptr, b.len, NULL);
	CHECK(str_has_prefix(out.ptr, "<p class=\"diff-para\">" DEL "sana0 sana1 "));
	CHECK_CONTAINS(out.ptr, "loppu</del></p>\n<p class=\"diff-para\">" INS "toinen0 sana1 ");
	buf_reset(&out);
	/* a small change in a long paragraph is still shown word by word */
	buf_reset(&b);
	buf_put(&b, a.ptr, a.len);
	memcpy(strstr(b.ptr, "sana1500 "), "muutos99 ", 9);
	diff_text_html(&out, a.ptr, a.len, b.ptr, b.len, NULL);
	CHECK_CONTAINS(out.ptr, "sana1499 " DEL "sana1500</del>" INS "muutos99</ins> sana1501");
	buf_release(&out);
	buf_release(&a);
	buf_release(&b);
}

/* Removes the markup of one side: what is left must be that side's text. */
static void strip_side(buf *out, const char *html, const char *drop_open, const char *keep_open)
{
	const char *p = html;
	while (*p) {
		if (str_has_prefix(p, drop_open)) {
			p = strstr(p, drop_open[1] == 'd' ? "</del>" : "</ins>") + 6;
		} else if (str_has_prefix(p, keep_open)) {
			p += strlen(keep_open);
		} else if (str_has_prefix(p, "</del>") || str_has_prefix(p, "</ins>")) {
			p += 6;
		} else if (str_has_prefix(p, "<p class=\"diff-para\">")) {
			p += strlen("<p class=\"diff-para\">");
		} else if (str_has_prefix(p, "</p>\n")) {
			p += 5;
		} else {
			buf_putc(out, *p++);
		}
	}
}

static void random_edits_reconstruct_both_sides(void)
{
	static const char *words[] = { "kunta", "alue", "ja", "sopimus", "ä", "1", ",", "." };
	unsigned seed = 12345;
	int bad = 0;
	for (int round = 0; round < 300 && !bad; round++) {
		buf a = BUF_INIT, b = BUF_INIT, out = BUF_INIT, got = BUF_INIT;
		int n = 1 + round % 40;
		for (int i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			const char *w = words[(seed >> 16) % 8];
			buf_printf(&a, "%s%s", i ? " " : "", w);
			seed = seed * 1103515245u + 12345u;
			if ((seed >> 16) % 4 == 0)
				w = words[(seed >> 8) % 8];
			if ((seed >> 16) % 7 != 1)
				buf_printf(&b, "%s%s", i ? " " : "", w);
		}
		if (!b.len)
			buf_puts(&b, "x");
		diff_text_html(&out, a.ptr, a.len, b.ptr, b.len, NULL);
		if (strcmp(a.ptr, b.ptr) != 0) {
			strip_side(&got, out.ptr, DEL, INS);
			bad |= strcmp(got.ptr, b.ptr) != 0;
			buf_reset(&got);
			strip_side(&got, out.ptr, INS, DEL);
			bad |= strcmp(got.ptr, a.ptr) != 0;
			if (bad)
				printf("  old '%s'\n  new '%s'\n  html %s\n", a.ptr, b.ptr,
					out.ptr);
		}
		buf_release(&a);
		buf_release(&b);
		buf_release(&out);
		buf_release(&got);
	}
	CHECK(!bad);
}

/* blocks as markdown_blocks() writes them: "p" + text + NUL per block */
static void blocks(buf *out, size_t *n, const char *const *list)
{
	*n = 0;
	for (; *list; list++, (*n)++) {
		buf_puts(out, *list);
		buf_putc(out, '\0');
	}
}

static void blocks_keep_their_kind(void)
{
	static const char *const a[] = { "hTilanne", "pSopimus on luonnos.", "lEnsimmäinen kohta",
		"lToinen kohta", NULL };
	static const char *const b[] = { "hTilanne", "pSopimus on allekirjoitettu.",
		"lEnsimmäinen kohta", "lToinen kohta", "lKolmas kohta", NULL };
	buf x = BUF_INIT, y = BUF_INIT, out = BUF_INIT;
	size_t nx, ny;
	blocks(&x, &nx, a);
	blocks(&y, &ny, b);
	diff_blocks_html(&out, x.ptr, x.len, nx, y.ptr, y.len, ny, NULL);
	CHECK(strstr(out.ptr, "<p class=\"diff-unchanged\">… 1 muuttumaton kappale</p>") != NULL);
	CHECK(strstr(out.ptr, "<p class=\"diff-para\">Sopimus on <del>") != NULL);
	CHECK(strstr(out.ptr, "Lisätty: </span>allekirjoitettu</ins>.</p>") != NULL);
	CHECK(strstr(out.ptr, "<p class=\"diff-para diff-item\"><ins><span class=\"visually-hidden\">"
		"Lisätty: </span>Kolmas kohta</ins></p>") != NULL);
	/* the same text as another kind of block is a change: a paragraph became a heading */
	static const char *const c[] = { "pTilanne", NULL };
	static const char *const d[] = { "hTilanne", NULL };
	buf_reset(&x);
	buf_reset(&y);
	buf_reset(&out);
	blocks(&x, &nx, c);
	blocks(&y, &ny, d);
	diff_blocks_html(&out, x.ptr, x.len, nx, y.ptr, y.len, ny, NULL);
	CHECK(strstr(out.ptr, "diff-heading") != NULL);
	CHECK(strstr(out.ptr, "diff-unchanged") == NULL);
	buf_release(&x);
	buf_release(&y);
	buf_release(&out);
}

/* The hidden labels and counts are in the page's language. */
static void words_of_the_page_s_language(void)
{
	static const diff_words sv = { "Borttaget", "Tillagt", "… 1 oförändrat stycke",
		"… {n} oförändrade stycken" };
	const char *a = "Ett.\n\nTvå.\n\nTre gamla.\n", *b = "Ett.\n\nTvå.\n\nTre nya.\n";
	buf out = BUF_INIT;
	diff_text_html(&out, a, strlen(a), b, strlen(b), &sv);
	CHECK_CONTAINS(out.ptr, "<p class=\"diff-unchanged\">… 2 oförändrade stycken</p>");
	CHECK_CONTAINS(out.ptr, "<del><span class=\"visually-hidden\">Borttaget: </span>gamla</del>");
	CHECK_CONTAINS(out.ptr, "<ins><span class=\"visually-hidden\">Tillagt: </span>nya</ins>");
	CHECK(strstr(out.ptr, "Lisätty") == NULL && strstr(out.ptr, "muuttuma") == NULL);
	buf_release(&out);
}

int main(void)
{
	RUN(word_change_is_marked);
	RUN(whitespace_between_changes_joins_them);
	RUN(text_is_escaped);
	RUN(utf8_words_are_not_split);
	RUN(paragraphs_added_and_removed);
	RUN(unchanged_paragraphs_are_counted);
	RUN(unrelated_paragraphs_are_shown_whole);
	RUN(large_paragraphs_fall_back);
	RUN(random_edits_reconstruct_both_sides);
	RUN(blocks_keep_their_kind);
	RUN(words_of_the_page_s_language);
	return test_summary();
}
