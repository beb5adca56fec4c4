#ifndef AVOIN_DIFF_H
#define AVOIN_DIFF_H
/*
 * Readable differences between two versions of a record's text, for history
 * pages, word by word (front-matter changes: site/fieldwords.h).
 */
#include <stddef.h>

#include "buf.h"

/*
 * Appends to out an HTML rendering of the change from old to new_ (Markdown
 * bodies; either may be NULL with length 0). The texts are compared
 * paragraph by paragraph (blocks separated by blank lines, aligned with
 * Myers' algorithm); within a changed paragraph word by word (runs of
 * letters and digits, whitespace runs and single punctuation marks; UTF-8
 * sequences are never split). Output, all text escaped with buf_put_html:
 *
 *   <p class="diff-para">same <del><span class="visually-hidden">Poistettu: </span>old</del>
 *     <ins><span class="visually-hidden">Lisätty: </span>new</ins> same</p>
 *   <p class="diff-para"><ins>...whole added paragraph...</ins></p>
 *   <p class="diff-unchanged">… 3 muuttumatonta kappaletta</p>
 *
 * Runs of unchanged paragraphs are replaced by the last form (Finnish, as
 * the visually hidden labels are). Bounded: above DIFF_MAX_TOKENS tokens
 * per side, or DIFF_MAX_EDITS edits, a paragraph pair is shown as the whole
 * old paragraph deleted and the whole new one added; the paragraph
 * alignment degrades the same way. Identical texts give one
 * "diff-unchanged" line (nothing for two empty texts).
 */
/*
 * The words of the page's language: the hidden labels of deletions and
 * insertions ("Poistettu", "Lisätty": ": " follows) and the line for runs of
 * unchanged paragraphs, one and more ("{n}" stands for the number). NULL
 * where a function takes them: diff_words_fi.
 */
typedef struct diff_words {
	const char *deleted, *inserted, *same_one, *same_other;
} diff_words;
extern const diff_words diff_words_fi;

#define DIFF_MAX_TOKENS 20000
#define DIFF_MAX_EDITS 1000
void diff_text_html(buf *out, const char *old, size_t old_len, const char *new_, size_t new_len,
	const diff_words *w);

/*
 * The same over blocks as a reader reads them (markdown_blocks(): a kind
 * byte, the block's plain text, a NUL; old_n and new_n of them): blocks are
 * aligned, a changed pair is marked word by word, and each block's element
 * carries its kind as a class (diff-heading, diff-item, diff-quote,
 * diff-row, diff-code; plain paragraphs none), so that a list item reads as
 * one and markup never shows.
 */
void diff_blocks_html(buf *out, const char *old, size_t old_len, size_t old_n, const char *new_,
	size_t new_len, size_t new_n, const diff_words *w);


#endif
