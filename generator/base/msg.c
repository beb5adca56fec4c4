#include "msg.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "htab.h"
#include "util.h"
#include "banned.h"

static msg_lang current = MSG_EN;
/* The catalog by English text, and the translations that passed the check. */
static htab by_text;
static unsigned char *usable;       /* usable[i * MSG_LANG_COUNT + lang] */
static int ready;

/*
 * What a printf format takes from its arguments, "%%" left out: for each
 * conversion its '*'s, length and conversion letter ("%-5.*s" gives "*s|").
 * Flags, widths and precisions may differ between languages ("%.0s" takes a
 * plural's "s" and writes nothing); what is read from the arguments may not.
 */
static void conversions(buf *out, const char *fmt)
{
	for (const char *p = fmt; *p; p++) {
		if (*p != '%')
			continue;
		if (p[1] == '%') {
			p++;
			continue;
		}
		const char *q = p + 1;
		for (; *q && !strchr("diouxXeEfFgGaAcspn", *q); q++)
			if (*q == '*' || strchr("hlLqjzt$", *q))
				buf_putc(out, *q);
		buf_putc(out, *q ? *q : '?');
		buf_putc(out, '|');
		if (!*q)
			break;
		p = q;
	}
}

static int same_conversions(const char *a, const char *b)
{
	buf ca = BUF_INIT, cb = BUF_INIT;
	conversions(&ca, a);
	conversions(&cb, b);
	int same = strcmp(ca.ptr ? ca.ptr : "", cb.ptr ? cb.ptr : "") == 0;
	buf_release(&ca);
	buf_release(&cb);
	return same;
}

static void build_catalog(void)
{
	if (ready)
		return;
	ready = 1;
	htab_reserve(&by_text, msg_catalog_count);
	usable = xcalloc(msg_catalog_count * MSG_LANG_COUNT, 1);
	for (size_t i = 0; i < msg_catalog_count; i++) {
		const msg_entry *e = &msg_catalog[i];
		htab_add(&by_text, str_hash(e->text[MSG_EN]), i);
		for (int l = 1; l < MSG_LANG_COUNT; l++)
			usable[i * MSG_LANG_COUNT + (size_t)l] = e->text[l] && *e->text[l] &&
				same_conversions(e->text[MSG_EN], e->text[l]);
	}
}

void msg_set_lang(msg_lang lang)
{
	build_catalog();
	current = lang;
}

msg_lang msg_get_lang(void)
{
	return current;
}

const char *msg_lang_code(msg_lang lang)
{
	static const char *const codes[MSG_LANG_COUNT] = { "en", "fi", "sv" };
	return codes[lang < MSG_LANG_COUNT ? lang : MSG_EN];
}

int msg_lang_parse(const char *s, msg_lang *out)
{
	if (!s || strlen(s) < 2 || (s[2] && !strchr("_-.@", s[2])))
		return -1;
	for (int l = 0; l < MSG_LANG_COUNT; l++)
		if (!strncasecmp(s, msg_lang_code((msg_lang)l), 2)) {
			*out = (msg_lang)l;
			return 0;
		}
	return -1;
}

int msg_lang_from_env(msg_lang *out)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)   /* the first one set decides, as setlocale() has it */
			return msg_lang_parse(v, out);
	}
	return -1;   /* "C", "POSIX" or another language: no choice among ours */
}

const char *tr_in(msg_lang lang, const char *en)
{
	if (lang == MSG_EN || lang >= MSG_LANG_COUNT || !en || !ready)
		return en;
	uint64_t h = str_hash(en);
	htab_iter it;
	for (size_t p = htab_first(&by_text, h, &it); p != HTAB_NONE; p = htab_next(&by_text, h, &it))
		if (strcmp(msg_catalog[p].text[MSG_EN], en) == 0)
			return usable[p * MSG_LANG_COUNT + lang] ? msg_catalog[p].text[lang] : en;
	return en;
}

const char *tr(const char *en)
{
	return tr_in(current, en);
}

const char *msg_value_word(msg_lang lang, const char *value)
{
	for (size_t i = 0; i < msg_value_word_count; i++)
		if (strcmp(msg_value_words[i].value, value) == 0)
			return msg_value_words[i].word[lang < MSG_LANG_COUNT ? lang : MSG_EN];
	return NULL;
}

void msg_put_choices(buf *out, const char *const *options)
{
	size_t n = 0;
	while (options[n])
		n++;
	if (current == MSG_EN)
		buf_puts(out, "one of ");
	for (size_t i = 0; i < n; i++) {
		const char *sep = i == 0 ? "" : current == MSG_EN || i + 1 < n ? ", " :
			current == MSG_FI ? " tai " : " eller ";
		buf_printf(out, "%s%s", sep, options[i]);
		const char *w = msg_value_word(current, options[i]);
		if (w && strcmp(w, options[i]) != 0)
			buf_printf(out, " (%s)", w);
	}
}

size_t msg_catalog_problems(buf *problems)
{
	size_t bad = 0;
	build_catalog();
	for (size_t i = 0; i < msg_catalog_count; i++)
		for (int l = 1; l < MSG_LANG_COUNT; l++)
			if (!usable[i * MSG_LANG_COUNT + (size_t)l]) {
				bad++;
				buf_printf(problems, "%s: '%s' has %s\n", msg_lang_code((msg_lang)l),
					msg_catalog[i].text[MSG_EN], msg_catalog[i].text[l] ?
					"other conversions" : "no text");
			}
	return bad;
}
