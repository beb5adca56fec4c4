#include "terms.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

#include "htab.h"
#include "util.h"
#include "banned.h"

/* U+00C0..U+00FF, folded (NULL: not a letter); generated from Unicode's decompositions */
static const char *const fold_latin1[64] = {
	"a", "a", "a", "a", "ä", "å", "ä", "c",
	"e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "ö", NULL,
	"ö", "u", "u", "u", "u", "y", "th", "ss",
	"a", "a", "a", "a", "ä", "å", "ä", "c",
	"e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "ö", NULL,
	"ö", "u", "u", "u", "u", "y", "th", "y",
};
/* U+0100..U+017F (Latin Extended-A), folded */
static const char *const fold_ext_a[128] = {
	"a", "a", "a", "a", "a", "a", "c", "c",
	"c", "c", "c", "c", "c", "c", "d", "d",
	"d", "d", "e", "e", "e", "e", "e", "e",
	"e", "e", "e", "e", "g", "g", "g", "g",
	"g", "g", "g", "g", "h", "h", "h", "h",
	"i", "i", "i", "i", "i", "i", "i", "i",
	"i", "i", "ij", "ij", "j", "j", "k", "k",
	"k", "l", "l", "l", "l", "l", "l", "l",
	"l", "l", "l", "n", "n", "n", "n", "n",
	"n", "n", "n", "n", "o", "o", "o", "o",
	"o", "o", "oe", "oe", "r", "r", "r", "r",
	"r", "r", "s", "s", "s", "s", "s", "s",
	"s", "s", "t", "t", "t", "t", "t", "t",
	"u", "u", "u", "u", "u", "u", "u", "u",
	"u", "u", "u", "u", "w", "w", "y", "y",
	"y", "z", "z", "z", "z", "z", "z", "s",
};

/*
 * The code point at s (n bytes left) and its length in *len; a byte that
 * does not start well-formed UTF-8 is returned as itself, length 1.
 */
static unsigned decode(const unsigned char *s, size_t n, size_t *len)
{
	*len = 1;
	if (s[0] < 0x80 || n < 2 || (s[1] & 0xC0) != 0x80)
		return s[0];
	if ((s[0] & 0xE0) == 0xC0) {
		*len = 2;
		return ((unsigned)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
	}
	if (n < 3 || (s[2] & 0xC0) != 0x80)
		return s[0];
	if ((s[0] & 0xF0) == 0xE0) {
		*len = 3;
		return ((unsigned)(s[0] & 0x0F) << 12) | ((unsigned)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
	}
	if (n < 4 || (s[3] & 0xC0) != 0x80)
		return s[0];
	*len = 4;
	return ((unsigned)(s[0] & 0x07) << 18) | ((unsigned)(s[1] & 0x3F) << 12) |
		((unsigned)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
}

/*
 * What the code point c is in a word: its folded form (a string), "" for a
 * letter kept as it is (Greek, Cyrillic and on), NULL for a separator.
 */
static const char *fold_of(unsigned c, char ascii[2])
{
	if (c < 0x80) {
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			ascii[0] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			ascii[1] = '\0';
			return ascii;
		}
		return NULL;
	}
	if (c >= 0xC0 && c < 0x100)
		return fold_latin1[c - 0xC0];
	if (c >= 0x100 && c < 0x180)
		return fold_ext_a[c - 0x100];
	if (c >= 0x370 && c < 0x2000)
		return "";
	return NULL;
}

void terms_fold(const char *s, size_t n, buf *out)
{
	buf_reset(out);
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0, len; i < n; i += len) {
		char ascii[2];
		const char *f = fold_of(decode(p + i, n - i, &len), ascii);
		if (f && *f)
			buf_puts(out, f);
		else if (f)
			buf_put(out, p + i, len);
	}
	if (!out->ptr)
		buf_puts(out, "");
}

/* ---- stems ---- */

static const char *const stem_langs[][2] = {
	{ "fi", "finnish" }, { "sv", "swedish" }, { "en", "english" },
};
#define N_STEM_LANGS (sizeof stem_langs / sizeof stem_langs[0])

/* A word's term, remembered: texts repeat their words, and stemming is most of the cost. */
typedef struct memo_entry {
	size_t word, term;        /* offsets in names: the language's index and the word, the term */
	size_t word_len, term_len;
} memo_entry;

#define MEMO_MAX 65536        /* entries before the memo starts over */

struct terms_stemmers {
	struct sb_stemmer *s[N_STEM_LANGS];
	buf names;
	memo_entry *e;
	size_t n, cap;
	htab index;
};

terms_stemmers *terms_stemmers_new(void)
{
	return xcalloc(1, sizeof(terms_stemmers));
}

void terms_stemmers_free(terms_stemmers *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < N_STEM_LANGS; i++)
		if (st->s[i])
			sb_stemmer_delete(st->s[i]);
	buf_release(&st->names);
	free(st->e);
	htab_free(&st->index);
	free(st);
}

/* The remembered term of word in lang (a NUL-free key: lang, a space, the word), or NULL. */
static const memo_entry *memo_find(const terms_stemmers *st, const char *key, size_t n, uint64_t h)
{
	htab_iter it;
	for (size_t p = htab_first(&st->index, h, &it); p != HTAB_NONE; p = htab_next(&st->index, h, &it))
		if (st->e[p].word_len == n && memcmp(st->names.ptr + st->e[p].word, key, n) == 0)
			return &st->e[p];
	return NULL;
}

static void memo_add(terms_stemmers *st, const char *key, size_t n, uint64_t h, const buf *term)
{
	if (st->n >= MEMO_MAX) {
		st->n = 0;
		buf_reset(&st->names);
		htab_clear(&st->index);
	}
	st->e = xgrow(st->e, sizeof(memo_entry), st->n + 1, &st->cap);
	memo_entry *m = &st->e[st->n];
	m->word = st->names.len;
	m->word_len = n;
	buf_put(&st->names, key, n);
	m->term = st->names.len;
	m->term_len = term->len;
	buf_put(&st->names, term->ptr, term->len);
	htab_add(&st->index, h, st->n++);
}

static struct sb_stemmer *stemmer_for(terms_stemmers *st, const char *lang)
{
	for (size_t i = 0; lang && i < N_STEM_LANGS; i++) {
		if (strcmp(lang, stem_langs[i][0]) != 0)
			continue;
		if (!st->s[i])
			st->s[i] = sb_stemmer_new(stem_langs[i][1], "UTF_8");
		return st->s[i];
	}
	return NULL;
}

/* The length of the common start of a and b, backed off to a character's start. */
static size_t common_start(const char *a, size_t an, const char *b, size_t bn)
{
	size_t k = 0;
	while (k < an && k < bn && a[k] == b[k])
		k++;
	while (k > 0 && k < bn && ((unsigned char)b[k] & 0xC0) == 0x80)
		k--;
	return k;
}

static void stem_word(terms_stemmers *st, const char *lang, const char *word, size_t n, buf *out);

void terms_stem(terms_stemmers *st, const char *lang, const char *word, size_t n, buf *out)
{
	char key[TERMS_MAX_WORD + 8];
	size_t ln = lang ? strlen(lang) : 0;
	if (n > TERMS_MAX_WORD || ln > 3) {
		stem_word(st, lang, word, n, out);
		return;
	}
	memcpy(key, lang ? lang : "", ln);
	key[ln] = ' ';
	memcpy(key + ln + 1, word, n);
	size_t kn = ln + 1 + n;
	uint64_t h = fnv1a(FNV1A_INIT, key, kn);
	const memo_entry *m = memo_find(st, key, kn, h);
	if (m) {
		buf_reset(out);
		buf_put(out, st->names.ptr + m->term, m->term_len);
		if (!out->ptr)
			buf_puts(out, "");
		return;
	}
	stem_word(st, lang, word, n, out);
	memo_add(st, key, kn, h, out);
}

static void stem_word(terms_stemmers *st, const char *lang, const char *word, size_t n, buf *out)
{
	buf_reset(out);
	struct sb_stemmer *sb = stemmer_for(st, lang);
	const sb_symbol *s = sb ? sb_stemmer_stem(sb, (const sb_symbol *)word, (int)n) : NULL;
	size_t sn = s ? (size_t)sb_stemmer_length(sb) : 0;
	if (!s || sn == 0) {
		buf_put(out, word, n);
	} else {
		/* the stem when it starts the word, else what they have in common, else the word */
		size_t k = common_start((const char *)s, sn, word, n);
		buf_put(out, word, k == sn ? sn : k >= 3 ? k : n);
	}
	if (!out->ptr)
		buf_puts(out, "");
}

/* ---- a text's terms ---- */

typedef struct tentry {
	size_t off;         /* the term in names */
	uint32_t count;     /* weighted */
} tentry;

struct terms_doc {
	buf names;          /* the terms, each ending in NUL */
	tentry *e;
	size_t n, cap;
	htab index;         /* positions in e, by the term's hash */
	uint32_t length;
	buf word, folded, term;
};

terms_doc *terms_doc_new(void)
{
	terms_doc *d = xcalloc(1, sizeof(*d));
	return d;
}

static void count_term(terms_doc *d, const char *t, size_t n, unsigned w)
{
	uint64_t h = fnv1a(FNV1A_INIT, t, n);
	htab_iter it;
	for (size_t p = htab_first(&d->index, h, &it); p != HTAB_NONE; p = htab_next(&d->index, h, &it)) {
		const char *x = d->names.ptr + d->e[p].off;
		if (strlen(x) == n && memcmp(x, t, n) == 0) {
			d->e[p].count += w;
			return;
		}
	}
	d->e = xgrow(d->e, sizeof(tentry), d->n + 1, &d->cap);
	d->e[d->n] = (tentry){ d->names.len, w };
	buf_put(&d->names, t, n);
	buf_putc(&d->names, '\0');
	htab_add(&d->index, h, d->n++);
}

/* A word ends: counted when it has two letters or more and fits. */
static void end_word(terms_doc *d, terms_stemmers *st, const char *lang, unsigned w)
{
	buf *f = &d->folded;
	if (f->len >= 2 && f->len <= TERMS_MAX_WORD) {
		terms_stem(st, lang, f->ptr, f->len, &d->term);
		count_term(d, d->term.ptr, d->term.len, w);
		d->length += w;
	}
	buf_reset(f);
}

void terms_add_text(terms_doc *d, terms_stemmers *st, const char *lang, const char *text, size_t n,
	unsigned w)
{
	const unsigned char *p = (const unsigned char *)text;
	buf_reset(&d->folded);
	for (size_t i = 0, len; i < n; i += len) {
		char ascii[2];
		const char *f = fold_of(decode(p + i, n - i, &len), ascii);
		if (!f) {
			end_word(d, st, lang, w);
			continue;
		}
		if (*f)
			buf_puts(&d->folded, f);
		else
			buf_put(&d->folded, p + i, len);
	}
	end_word(d, st, lang, w);
}

/* The end of a fence line's marker: "```" or "~~~" (three or more) after up to 3 spaces, else NULL. */
static const char *fence_at(const char *line, const char *end)
{
	const char *p = line;
	while (p < end && *p == ' ' && p - line < 3)
		p++;
	if (end - p < 3 || (*p != '`' && *p != '~') || p[1] != *p || p[2] != *p)
		return NULL;
	return p;
}

/* One line of prose: its text, without link destinations, HTML tags and entities. */
static void add_line(terms_doc *d, terms_stemmers *st, const char *lang, const char *s,
	const char *end, unsigned w)
{
	const char *run = s;
	for (const char *p = s; p < end;) {
		const char *skip_to = NULL;
		if (p[0] == ']' && p + 1 < end && p[1] == '(')
			skip_to = memchr(p, ')', (size_t)(end - p));
		else if (p[0] == '<')
			skip_to = memchr(p, '>', (size_t)(end - p));
		else if (p[0] == '&' && p + 1 < end && p[1] != ' ')
			skip_to = memchr(p, ';', (size_t)(end - p) < 12 ? (size_t)(end - p) : 12);
		if (!skip_to) {
			p++;
			continue;
		}
		terms_add_text(d, st, lang, run, (size_t)(p - run), w);
		p = run = skip_to + 1;
	}
	terms_add_text(d, st, lang, run, (size_t)(end - run), w);
}

/* A link reference definition, "[label]: destination": no words of its own. */
static int is_link_definition(const char *line, const char *end)
{
	if (line >= end || line[0] != '[')
		return 0;
	for (const char *p = line + 1; p + 1 < end; p++)
		if (p[0] == ']')
			return p[1] == ':';
	return 0;
}

void terms_add_markdown(terms_doc *d, terms_stemmers *st, const char *lang, const char *md,
	size_t n, unsigned w)
{
	const char *end = md + n, *fence = NULL;
	size_t fence_len = 0;
	for (const char *line = md; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *le = nl ? nl : end;
		const char *f = fence_at(line, le);
		if (fence) {
			/* a fence closes on a line of at least as many of its marks */
			size_t k = 0;
			while (f && f + k < le && f[k] == *fence)
				k++;
			if (f && k >= fence_len)
				fence = NULL;
		} else if (f) {
			fence = f;
			fence_len = 0;
			while (f + fence_len < le && f[fence_len] == *f)
				fence_len++;
		} else if (!is_link_definition(line, le)) {
			add_line(d, st, lang, line, le, w);
		}
		line = nl ? nl + 1 : end;
	}
}

/* qsort has no argument for the names: each thread sorts its own */
static _Thread_local const char *sort_names;

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(sort_names + ((const tentry *)a)->off, sort_names + ((const tentry *)b)->off);
}

char *terms_doc_finish(terms_doc *d, size_t *len, size_t *n_terms, uint32_t *length)
{
	buf out = BUF_INIT;
	sort_names = d->names.ptr;
	if (d->n)
		qsort(d->e, d->n, sizeof(tentry), cmp_entry);
	for (size_t i = 0; i < d->n; i++) {
		buf_puts(&out, d->names.ptr + d->e[i].off);
		buf_putc(&out, '\0');
		buf_put_le(&out, d->e[i].count > 65535 ? 65535 : d->e[i].count, 2);
	}
	*n_terms = d->n;
	*length = d->length;
	buf_release(&d->names);
	buf_release(&d->word);
	buf_release(&d->folded);
	buf_release(&d->term);
	htab_free(&d->index);
	free(d->e);
	free(d);
	if (!out.ptr)
		buf_puts(&out, "");
	return buf_detach(&out, len);
}
