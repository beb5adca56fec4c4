#ifndef AVOIN_MARKDOWN_H
#define AVOIN_MARKDOWN_H
/*
 * Markdown bodies to HTML with cmark, safe by default: CMARK_OPT_UNSAFE is
 * never passed, so raw HTML is not published and javascript:, vbscript:,
 * file: and data: links are dropped by cmark itself.
 *
 * On top of cmark:
 * - links to records (relative .md paths or site paths) are rewritten to
 *   the target's URL relative to the page (root + url); a link to a record
 *   or file that does not exist is an error naming the file and line; a link
 *   to a draft record becomes plain text with a warning (an error when strict);
 *   links to data files/annexes of the site are rewritten the same way;
 * - headings get stable ids (slug of their text, -2, -3 … for repeats),
 *   and body headings are shifted one level down (the record's title is h1);
 * - a fenced code block whose info string starts with a hook's name is given
 *   to that hook and its HTML replaces the block.
 */
#include "buf.h"
#include "diag.h"
#include "hooks.h"
#include "model.h"

typedef struct markdown_opts {
	const site *site;
	hooks *hooks;            /* may be NULL: fenced blocks stay code */
	const hook_ctx *hook_cx; /* for block hooks */
	const char *root;        /* relative path from the page to the site root, e.g. "../../" */
	int strict;
	/*
	 * For old versions of a record (history pages): links that do not resolve
	 * and links to drafts become plain text, with no diagnostic.
	 */
	int lenient;
	/* when set, each file the body names (links, images) is handed to reader->note */
	const site_reader *reader;
	/*
	 * From the page to the site's root for links to files (annexes, images),
	 * where that is not root: a page in another language than the default
	 * lies one folder deeper than the tree of pages its root leads to. NULL: root.
	 */
	const char *file_root;
} markdown_opts;

/* Renders rec's body into out. Returns 0, or -1 after adding errors to d. */
int markdown_render(const record *rec, const markdown_opts *o, buf *out, diag_list *d);
/* The same; *rooted: how many link and image URLs it made of o->root and a path. */
int markdown_render_counted(const record *rec, const markdown_opts *o, buf *out, size_t *rooted,
	diag_list *d);

/*
 * The same body for a page elsewhere: html (len bytes) as rendered with root
 * from and rooted URLs made of it, with to in place of from at the start of
 * each of those URLs. -1 (out untouched) when the html's href and src values
 * starting with from are not exactly rooted: then something else (a hook's
 * HTML) wrote such a URL too, and only a new render is right.
 */
int markdown_reroot(const char *html, size_t len, const char *from, const char *to,
	size_t rooted, buf *out);
/*
 * The same, with links to pages (their path ends in '/') moved to to_pages
 * and links to files to to_files: for a page in another language, whose
 * pages are under the language's folder and whose files are not.
 */
int markdown_reroot_split(const char *html, size_t len, const char *from, const char *to_pages,
	const char *to_files, size_t rooted, buf *out);
/*
 * The same, with each rooted URL's rest (after from, up to its closing
 * quote: a site path without its leading '/', HTML-escaped, perhaps with a
 * fragment) handed to map, which writes the whole URL that replaces it; page
 * is 1 for a page (its path ends in '/'), 0 for a file. For a scoped site
 * (site/scope.h), where each link is placed on its own.
 */
typedef void (*markdown_url_map)(void *ud, const char *rest, size_t len, int page, buf *out);
int markdown_reroot_map(const char *html, size_t len, const char *from, size_t rooted,
	markdown_url_map map, void *ud, buf *out);

/*
 * Renders a small Markdown string (no record links, no hooks) safely,
 * e.g. a `join` instruction in front matter.
 */
void markdown_render_inline(const char *text, buf *out);

/* The slug for a heading id: lower-case, ä->a, ö->o, å->a, other runs -> '-'. */
void markdown_slugify(const char *text, buf *out);

/*
 * Plain text of the first paragraph of a body (for summaries and meta
 * descriptions), at most max bytes cut at a word boundary with an ellipsis
 * (the ellipsis counts towards max; max 0 means no limit).
 */
void markdown_first_paragraph(const char *body, size_t len, size_t max, buf *out);

/*
 * What a reader reads of a body, block by block, for history pages: each
 * heading, paragraph, list item, quoted paragraph, table row (a paragraph of
 * lines starting with '|') and code block as plain text, with links and
 * images as their text, line breaks as spaces, raw HTML left out. Each block
 * is appended to out as its kind (one of MD_BLOCK_*), then its text, then a
 * NUL byte; *n counts them.
 */
enum { MD_BLOCK_PARA = 'p', MD_BLOCK_HEADING = 'h', MD_BLOCK_ITEM = 'l', MD_BLOCK_QUOTE = 'q',
	MD_BLOCK_ROW = 'r', MD_BLOCK_CODE = 'c' };
void markdown_blocks(const char *body, size_t len, buf *out, size_t *n);

#endif
