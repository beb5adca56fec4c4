#ifndef AVOIN_TERMS_H
#define AVOIN_TERMS_H
/*
 * The words of a text as the search index keeps them (site/search.c), and
 * as the search page's script looks for them (themes/default/static/search.js
 * folds the same way):
 *
 * - a word is a run of letters and digits; it is lower-cased and folded: å,
 *   ä and ö stay letters of their own (Finnish and Swedish sort and stem them
 *   apart), other accents go (é -> e, ü -> u, š -> s, æ -> ä, ø -> ö, ß -> ss);
 * - its term is its Snowball stem in the text's language (Debian's
 *   libstemmer: Finnish, Swedish, English), cut back to the longest common
 *   start with the folded word when the stem is not a prefix of it. So a
 *   term is always the start of the words it stands for, and the script,
 *   which has no stemmer, finds the terms of a query word among the starts
 *   of that word;
 * - words of one letter, and longer than TERMS_MAX_WORD bytes, are left out.
 *
 * A text's terms are counted with a weight per field (title, summary, body)
 * into a terms_doc: the terms sorted, each with its weighted count, and the
 * text's weighted length.
 */
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define TERMS_MAX_WORD 48

/* Per thread: Snowball's stemmers are not thread-safe. */
typedef struct terms_stemmers terms_stemmers;
terms_stemmers *terms_stemmers_new(void);
void terms_stemmers_free(terms_stemmers *st);

/* Lower-cases and folds the UTF-8 word s (n bytes) into out (reset first). */
void terms_fold(const char *s, size_t n, buf *out);
/*
 * The term of a folded word in lang ("fi", "sv", "en"; any other: the word)
 * into out (reset first).
 */
void terms_stem(terms_stemmers *st, const char *lang, const char *word, size_t n, buf *out);

/* A text's terms while it is being read. */
typedef struct terms_doc terms_doc;
terms_doc *terms_doc_new(void);
/* Adds the words of text (UTF-8, n bytes, in lang) with weight w per word. */
void terms_add_text(terms_doc *d, terms_stemmers *st, const char *lang, const char *text, size_t n,
	unsigned w);
/*
 * Adds the words of a Markdown body: its text without fenced code and hook
 * blocks, link and image destinations, HTML tags or entities.
 */
void terms_add_markdown(terms_doc *d, terms_stemmers *st, const char *lang, const char *md,
	size_t n, unsigned w);
/*
 * Ends d (freed): its terms sorted, each as the term, a NUL and its weighted
 * count in two bytes (little-endian, at most 65535), into a new buffer
 * (*len bytes, *n_terms terms); *length: the weighted number of words.
 */
char *terms_doc_finish(terms_doc *d, size_t *len, size_t *n_terms, uint32_t *length);

#endif
