#ifndef AVOIN_DIFF_H
#define AVOIN_DIFF_H
/*
 * Readable differences between two versions of a record, for history pages:
 * the body word by word, the front matter field by field.
 */
#include <stddef.h>

#include "buf.h"
#include "value.h"

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
#define DIFF_MAX_TOKENS 20000
#define DIFF_MAX_EDITS 1000
void diff_text_html(buf *out, const char *old, size_t old_len, const char *new_, size_t new_len);

/*
 * The front matter fields that differ between two versions (either may be
 * NULL: a record added or deleted). Returns a new list (never NULL; empty
 * when nothing changed) of maps {field, old, new}, in the new map's key
 * order, then the removed keys in the old map's order. old is null for an
 * added field, new is null for a removed one; otherwise both are strings:
 * scalars as templates print them (value_put_text), lists and maps as
 * compact JSON. Maps are compared key by key ("approved.date") and lists of
 * maps item by item, numbered from 1 as people count ("outcomes[2].status"),
 * so "status: draft → signed" reads as one row.
 */
value *diff_fields(const value *old_meta, const value *new_meta);

#endif
