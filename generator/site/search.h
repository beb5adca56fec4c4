#ifndef AVOIN_SEARCH_H
#define AVOIN_SEARCH_H
/*
 * The search index of one site language, built from the records' words
 * (record.search_terms, render/terms.h) as the pages are written, and read
 * by the search page's script (themes/default/static/search.js). Under
 * url_search_file(lang, ...):
 *
 *   meta.json            what the script reads first: the number of documents,
 *                        the file of each shard, of each part of the document
 *                        table and of the filters, and the filters' labels
 *   t-<key>-<hash>.json  the terms that start with the two letters key (their
 *                        UTF-8 bytes in hex), or with three when the two
 *                        letters' shard would be larger than SEARCH_SHARD_MAX
 *                        (then the two-letter shard keeps the terms of two
 *                        letters only): {"term": [doc, weight, ...]}, each
 *                        doc given as its distance from the one before
 *   d-<k>-<hash>.json    documents k*SEARCH_CHUNK and on: [title, href, type,
 *                        region, date, summary, title's language or "",
 *                        the municipalities it names]
 *   f-<hash>.json        each document's filters: [type, region, year,
 *                        [municipalities], [themes]] as places in the labels
 *   l-<hash>.json        each document's length (its words, weighted by field,
 *                        at most 4095) as two characters of base64url, in a
 *                        JSON string
 *
 * A weight is the term's count in that document, weighted by field (title,
 * summary, body; terms.h), at most 255; the script ranks with BM25 from the
 * weights, the lengths and meta's "avg". So a commit that adds words to a
 * record changes the shards of those words, the lengths and meta.json, not
 * every shard the record has words in. A Finnish or Swedish compound
 * ("yhteistyösopimus") is also found under its last part when that is a term
 * of its own ("sopimus").
 * File names carry their content's hash: a rebuild rewrites only the files
 * whose contents changed, and no cache serves a stale one.
 */
#include "diag.h"
#include "page.h"

#define SEARCH_CHUNK 64
/* A shard of two letters larger than this is split into shards of three. */
#define SEARCH_SHARD_MAX 24000

/*
 * Writes lang's index. 0, or -1 with an error in d. With e->search (a
 * search_keep, for `avoin serve`), the index is also kept there as written,
 * before compounds are merged into their parts, for search_patch().
 */
int search_write(const pages_env *e, const char *lang, diag_list *d);

/*
 * Saved edits of the n records rs' bodies (build_patch): the words of each
 * were olds[i] (terms.h's format, old_lens[i] bytes) and are now its
 * search_terms. Takes them out of and
 * puts them into the kept index, writes again only the groups of shards
 * whose postings that changes (a term's and, through compounds, its parts'),
 * the lengths and meta.json, and keeps every other file of the index as it
 * was. 0 done; 1 nothing written, because the edit adds a term the index
 * has not or takes the last posting of one (the set of terms decides how
 * compounds count for their parts): call search_write(); -1 with an error in d.
 */
int search_patch(const pages_env *e, const char *lang, const record *const *rs,
	const char *const *olds, const size_t *old_lens, size_t n, diag_list *d);

typedef struct search_keep search_keep;
search_keep *search_keep_new(void);
void search_keep_free(search_keep *sk);

#endif
