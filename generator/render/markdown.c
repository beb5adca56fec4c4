#include "markdown.h"

#include <cmark.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "htab.h"
#include "urlcheck.h"
#include "urls.h"
#include "util.h"
#include "banned.h"

/*
 * Never CMARK_OPT_UNSAFE: cmark then omits raw HTML and empties javascript:,
 * vbscript:, file: and data: URLs itself. VALIDATE_UTF8 replaces broken
 * sequences so that everything we hand on (ids, hook text) is valid UTF-8.
 */
#define PARSE_OPTS CMARK_OPT_VALIDATE_UTF8
#define RENDER_OPTS CMARK_OPT_DEFAULT

/*
 * A hook's HTML is not put into the tree: its custom block holds this
 * marker, which the single pass over cmark's output swaps for the HTML.
 * Markdown text can never produce it (cmark escapes every '<' of text and
 * omits raw HTML), and a "<h2>" inside a hook's HTML is never taken for a
 * body heading that needs an id.
 */
#define HOOK_MARK "<!--avoin-hook:"
#define HOOK_MARK_END "-->"

/* --- heading ids: a set of the ids so far that also remembers each one's next suffix --- */

typedef struct id_set {
	htab t;            /* positions in md_state.ids */
	unsigned *next;    /* by position: the next -N suffix to try for that id */
	size_t cap;
} id_set;

static size_t id_set_find(const id_set *set, char *const *ids, const char *id)
{
	uint64_t h = str_hash(id);
	htab_iter it;
	for (size_t p = htab_first(&set->t, h, &it); p != HTAB_NONE; p = htab_next(&set->t, h, &it))
		if (strcmp(ids[p], id) == 0)
			return p;
	return HTAB_NONE;
}

static void id_set_add(id_set *set, const char *id, size_t pos)
{
	set->next = xgrow(set->next, sizeof(unsigned), pos + 1, &set->cap);
	set->next[pos] = 2;
	htab_add(&set->t, str_hash(id), pos);
}

/* --- one rendering --- */

typedef struct md_state {
	const record *rec;
	const markdown_opts *o;
	diag_list *d;
	char *dir;                 /* the record's folder, "" at the content root */
	char **ids;                /* heading ids in document order */
	size_t n_ids, cap_ids;
	id_set seen;
	cmark_node **unwrap;       /* links to drafts, to be replaced by their text */
	size_t n_unwrap, cap_unwrap;
	cmark_node **blocks;       /* fenced blocks a hook rendered, with hook_html[i] */
	buf *hook_html;            /* lengths travel with the bytes: never cut at a NUL */
	int block_seq;             /* hook blocks handed to hooks so far: the next one's block.index */
	size_t n_blocks, cap_blocks, cap_html;
	const char *scan_pos;      /* raw_info()'s place in the body: start of scan_line */
	int scan_line;
	int heading_shift;         /* added to every heading level: the top body level becomes h2 */
	size_t n_rooted;           /* URLs set to root + a path (markdown_render_counted) */
} md_state;

static int node_line(const md_state *st, cmark_node *n)
{
	/* soft breaks and a few other inlines carry no position: use the parent's */
	while (n && cmark_node_get_start_line(n) <= 0)
		n = cmark_node_parent(n);
	int l = n ? cmark_node_get_start_line(n) : 1;
	return st->rec->body_line + l - 1;
}

/*
 * The text of a heading or paragraph without markup (raw HTML is not
 * published, so it is not part of the text either). An iterator, not
 * recursion: "*****…" nests emphasis as deep as the input is long.
 */
static void plain_text(cmark_node *n, buf *out)
{
	cmark_iter *it = cmark_iter_new(n);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *c = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			buf_puts(out, cmark_node_get_literal(c));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_putc(out, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

static void heading_id(md_state *st, cmark_node *h)
{
	buf text = BUF_INIT, slug = BUF_INIT;
	plain_text(h, &text);
	markdown_slugify(text.ptr, &slug);
	size_t p = id_set_find(&st->seen, st->ids, slug.ptr);
	if (p != HTAB_NONE) {
		/* "x" seen: take x-2, x-3 … skipping any that a heading spelled out */
		buf cand = BUF_INIT;
		unsigned k = st->seen.next[p];
		for (;; k++) {
			buf_reset(&cand);
			buf_printf(&cand, "%s-%u", slug.ptr, k);
			if (id_set_find(&st->seen, st->ids, cand.ptr) == HTAB_NONE)
				break;
		}
		st->seen.next[p] = k + 1;
		buf_release(&slug);
		slug = cand;
	}
	char *id = buf_detach(&slug, NULL);
	st->ids = xgrow(st->ids, sizeof(char *), st->n_ids + 1, &st->cap_ids);
	st->ids[st->n_ids++] = id;
	id_set_add(&st->seen, id, st->n_ids - 1);
	buf_release(&text);

	int level = cmark_node_get_heading_level(h) + st->heading_shift;
	cmark_node_set_heading_level(h, level < 2 ? 2 : (level > 6 ? 6 : level));
}

/* 1 when url starts with a scheme ("https:", "mailto:", "javascript:" …). */
static int has_scheme(const char *url)
{
	const char *p = url;
	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return 0;
	for (p++; *p; p++) {
		if (*p == ':')
			return 1;
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
				(*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.'))
			return 0;
	}
	return 0;
}

/*
 * A link's path names a file: "liite%20a.pdf" is "liite a.pdf" (cmark
 * percent-encodes it again when it writes the href). NULL for "%00".
 */
static char *percent_decode(const char *s, size_t len)
{
	buf out = BUF_INIT;
	for (size_t i = 0; i < len; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < len && (hi = hex_digit(s[i + 1])) >= 0 &&
				(lo = hex_digit(s[i + 2])) >= 0) {
			char c = (char)(hi * 16 + lo);
			if (c == '\0') {
				buf_release(&out);
				return NULL;
			}
			buf_putc(&out, c);
			i += 2;
		} else {
			buf_putc(&out, s[i]);
		}
	}
	return buf_detach(&out, NULL);
}

static void set_url(md_state *st, cmark_node *n, const char *path, const char *frag, int file)
{
	const char *root = file && st->o->file_root ? st->o->file_root :
		st->o->root ? st->o->root : "";
	buf u = BUF_INIT;
	st->n_rooted++;
	buf_puts(&u, root);
	buf_puts(&u, path);
	if (u.len == 0)
		buf_puts(&u, "./"); /* the site root seen from the root itself */
	buf_puts(&u, frag);
	cmark_node_set_url(n, u.ptr);
	buf_release(&u);
}

/*
 * A link or image to another site passes the one URL check (http, https,
 * mailto and tel for links; http and https for images): anything else is an error at
 * its line, not a link cmark quietly empties. Old versions lose the link.
 */
static void check_absolute(md_state *st, cmark_node *n, const char *url)
{
	int image = cmark_node_get_type(n) == CMARK_NODE_IMAGE;
	const char *why = NULL;
	if (url_check(url, strlen(url), image ? URL_WEB : URL_WEB | URL_MAILTO | URL_TEL, &why) == 0)
		return;
	if (!st->o->lenient) {
		buf shown = BUF_INIT;
		size_t len = strlen(url);
		for (size_t i = 0; i < len && i < 60; i++)
			buf_putc(&shown, (unsigned char)url[i] < 0x20 ? '?' : url[i]);
		diag_error(st->d, st->rec->file, node_line(st, n), "%s to '%s%s' is not allowed "
			"(expected %s)", image ? tr("an image") : tr("a link"), shown.ptr,
			len > 60 ? "..." : "", tr(why));
		buf_release(&shown);
		return;
	}
	st->unwrap = xgrow(st->unwrap, sizeof(cmark_node *), st->n_unwrap + 1, &st->cap_unwrap);
	st->unwrap[st->n_unwrap++] = n;
}

/* A link to nothing: named as at this revision, or in the working tree when that was read. */
static void no_target(md_state *st, cmark_node *n, const char *url)
{
	if (st->o->site->worktree)
		diag_error(st->d, st->rec->file, node_line(st, n), "link to '%s' does not resolve to "
			"a record or file in the working tree", url);
	else
		diag_error(st->d, st->rec->file, node_line(st, n), "link to '%s' does not resolve to "
			"a record or file at this revision", url);
}

static void fix_link(md_state *st, cmark_node *n)
{
	const char *url = cmark_node_get_url(n);
	if (!url || !*url || url[0] == '#')
		return;
	if (has_scheme(url) || (url[0] == '/' && url[1] == '/') || url[0] == '\\') {
		check_absolute(st, n, url);
		return;
	}
	const char *hash = strchr(url, '#');
	size_t plen = hash ? (size_t)(hash - url) : strlen(url);
	/* a copy: cmark_node_set_url() frees url */
	char *frag = xstrdup(hash ? hash : "");
	char *path = percent_decode(url, plen);
	char *file = NULL;
	const model_file *f = NULL;
	if (!path)
		goto missing;
	if (strcmp(path, "/") == 0) {
		set_url(st, n, "", frag, 0);
		goto done;
	}
	if (path[0] == '/' || str_has_suffix(path, ".md")) {
		record *t = site_resolve_link(st->o->site, st->rec, path, NULL);
		if (t && t->draft) {
			if (!st->o->lenient) {
				diag_level lv = st->o->strict ? DIAG_ERROR : DIAG_WARNING;
				diag_add(st->d, lv, st->rec->file, node_line(st, n),
					"link to draft record '%s' published as plain text", url);
			}
			goto unwrap;
		}
		if (t) {
			set_url(st, n, url_href(t->url), frag, 0);
			goto done;
		}
	}
	buf why = BUF_INIT;
	f = site_resolve_file(st->o->site, st->rec->path, path, &why);
	/* an old version's link to a file no current record names: the file is not published */
	if (f && st->o->lenient && st->o->reader && st->o->reader->published &&
	    !st->o->reader->published[f - st->o->site->files])
		f = NULL;
	if (f) {
		buf_release(&why);
		if (st->o->reader && st->o->reader->note)
			st->o->reader->note(st->o->reader->ud, f);
		char *furl = url_of_file(f->path);
		set_url(st, n, url_href(furl), frag, 1);
		free(furl);
		goto done;
	}
	if (!st->o->lenient) {
		/* a path that looks like a record's (".md", "/a/b/") is reported as a link */
		if (str_has_suffix(path, ".md") || str_has_suffix(path, "/") || !why.len)
			no_target(st, n, url);
		else
			diag_error(st->d, st->rec->file, node_line(st, n), "link to %s", why.ptr);
		buf_release(&why);
		goto done;
	}
	buf_release(&why);
	goto unwrap;
missing:
	if (!st->o->lenient) {
		no_target(st, n, url);
		goto done;
	}
	/* an old version's link to something gone: its text stays, the link does not */
unwrap:
	st->unwrap = xgrow(st->unwrap, sizeof(cmark_node *), st->n_unwrap + 1, &st->cap_unwrap);
	st->unwrap[st->n_unwrap++] = n;
done:
	free(file);
	free(path);
	free(frag);
}

/* --- fenced blocks for hooks --- */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}


/*
 * The info string as the author typed it. cmark has already applied
 * backslash escapes and entities to cmark_node_get_fence_info(), which would
 * turn title="a \"b\"" into title="a "b"", so the attributes are read from
 * the fence line of the body itself. The container prefixes before a fence
 * ('>', list markers, spaces) never contain '`' or '~', so the first run of
 * three fence characters on the line is the fence.
 */
static char *raw_info(md_state *st, cmark_node *n)
{
	/* blocks come in document order: scan on from the previous one's line */
	int want = cmark_node_get_start_line(n);
	const char *s = st->scan_pos, *end = st->rec->body + st->rec->body_len;
	if (want < st->scan_line)
		return NULL;
	for (; st->scan_line < want && s < end; st->scan_line++) {
		/* line ends as cmark counts them: "\n", "\r\n" or a lone "\r" */
		while (s < end && *s != '\n' && *s != '\r')
			s++;
		if (s + 1 < end && s[0] == '\r' && s[1] == '\n')
			s += 2;
		else if (s < end)
			s++;
	}
	st->scan_pos = s;
	const char *eol = s;
	while (eol < end && *eol != '\n' && *eol != '\r')
		eol++;
	for (const char *p = s; p + 3 <= eol; p++) {
		if ((*p == '`' || *p == '~') && p[1] == *p && p[2] == *p) {
			char fc = *p;
			while (p < eol && *p == fc)
				p++;
			while (p < eol && is_space(*p))
				p++;
			const char *q = eol;
			while (q > p && is_space(q[-1]))
				q--;
			return xstrndup(p, (size_t)(q - p));
		}
	}
	return NULL;
}

static int is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c == '_' || c == '-';
}

/* Parses `key="value" key=value …` into attrs; adds an error and returns -1 on bad syntax. */
static int parse_attrs(md_state *st, const char *hook, const char *s, int line, value *attrs)
{
	buf val = BUF_INIT;
	char *key = NULL;
	int rc = 0;
	for (;;) {
		while (is_space(*s))
			s++;
		if (!*s)
			break;
		const char *at = s;
		while (is_key_char(*s))
			s++;
		if (s == at || *s != '=')
			goto bad;
		free(key);
		key = xstrndup(at, (size_t)(s - at));
		s++;
		buf_reset(&val);
		if (*s == '"') {
			for (s++; *s && *s != '"'; s++) {
				if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
					s++;
				buf_putc(&val, *s);
			}
			if (*s != '"') {
				diag_error(st->d, st->rec->file, line,
					"unterminated value of attribute '%s' of block '%s': "
					"expected a closing '\"'", key, hook);
				rc = -1;
				break;
			}
			s++;
			if (*s && !is_space(*s))
				goto bad;
		} else {
			while (*s && !is_space(*s) && *s != '"')
				buf_putc(&val, *s++);
			if (val.len == 0 || *s == '"')
				goto bad;
		}
		if (value_map_get(attrs, key)) {
			diag_error(st->d, st->rec->file, line,
				"attribute '%s' of block '%s' is given twice", key, hook);
			rc = -1;
			break;
		}
		if (!utf8_valid(val.ptr, val.len)) {
			diag_error(st->d, st->rec->file, line,
				"attribute '%s' of block '%s' is not valid UTF-8", key, hook);
			rc = -1;
			break;
		}
		value_map_set(attrs, key, value_stringn(val.ptr, val.len, line));
		continue;
bad:
		diag_error(st->d, st->rec->file, line,
			"cannot parse the attributes of block '%s' at '%.40s': "
			"expected key=\"value\" or key=value", hook, at);
		rc = -1;
		break;
	}
	free(key);
	buf_release(&val);
	return rc;
}

static void hook_block(md_state *st, cmark_node *n)
{
	const char *info = cmark_node_get_fence_info(n);
	if (!st->o->hooks || !info || !*info)
		return;
	size_t nlen = 0;
	while (info[nlen] && !is_space(info[nlen]))
		nlen++;
	char *name = xstrndup(info, nlen);
	if (!hooks_is_block(st->o->hooks, name)) {
		free(name);
		return;
	}
	int line = node_line(st, n);
	char *raw = raw_info(st, n);
	/* should never differ; if it does, cmark's unescaped text is the safer guess */
	if (!raw || strncmp(raw, name, nlen) != 0 || (raw[nlen] && !is_space(raw[nlen]))) {
		free(raw);
		raw = xstrdup(info);
	}
	value *attrs = value_map(line);
	buf html = BUF_INIT;
	const char *text = cmark_node_get_literal(n);
	if (parse_attrs(st, name, raw + nlen, line, attrs) == 0 &&
			hooks_block_nth(st->o->hooks, name, text ? text : "", attrs, line, ++st->block_seq,
				st->o->hook_cx, &html, st->d) == 0) {
		size_t need = st->n_blocks + 1;
		st->blocks = xgrow(st->blocks, sizeof(cmark_node *), need, &st->cap_blocks);
		st->hook_html = xgrow(st->hook_html, sizeof(buf), need, &st->cap_html);
		st->blocks[st->n_blocks] = n;
		st->hook_html[st->n_blocks++] = html;
	} else {
		buf_release(&html);
	}
	value_free(attrs);
	free(raw);
	free(name);
}

/* --- the single pass over cmark's HTML --- */

/*
 * Adds ` id="…"` to each "<hN>" and swaps each hook marker for its HTML.
 * cmark writes a body heading as exactly "<hN>" and escapes every '<' of
 * text, so each "<hN>" is one heading of the tree, in document order.
 */
static int splice(md_state *st, const char *html, buf *out)
{
	size_t heads = 0, blocks = 0, mlen = strlen(HOOK_MARK);
	const char *start = html, *p = html;
	/* sized once: the ids and the hooks' tables add to the HTML, which it holds */
	size_t more = 0;
	for (size_t i = 0; i < st->n_ids; i++)
		more += 6 + 6 * strlen(st->ids[i]);
	for (size_t i = 0; i < st->n_blocks; i++)
		more += st->hook_html[i].len;
	buf_grow(out, strlen(html) + more);
	while ((p = strchr(p, '<'))) {
		if (p[1] == 'h' && p[2] >= '1' && p[2] <= '6' && p[3] == '>') {
			if (heads == st->n_ids)
				return -1;
			buf_put(out, start, (size_t)(p + 3 - start));
			buf_puts(out, " id=\"");
			buf_puts_html(out, st->ids[heads++]);
			buf_puts(out, "\">");
			p += 4;
			start = p;
		} else if (strncmp(p, HOOK_MARK, mlen) == 0) {
			char *e;
			unsigned long i = strtoul(p + mlen, &e, 10);
			if (i != blocks || i >= st->n_blocks || !str_has_prefix(e, HOOK_MARK_END))
				return -1;
			buf_put(out, start, (size_t)(p - start));
			buf_put(out, st->hook_html[blocks].ptr, st->hook_html[blocks].len);
			blocks++;
			p = e + strlen(HOOK_MARK_END);
			start = p;
		} else {
			p++;
		}
	}
	buf_puts(out, start);
	return heads == st->n_ids && blocks == st->n_blocks ? 0 : -1;
}

static char *record_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup("");
}

int markdown_render(const record *rec, const markdown_opts *o, buf *out, diag_list *d)
{
	return markdown_render_counted(rec, o, out, NULL, d);
}

int markdown_render_counted(const record *rec, const markdown_opts *o, buf *out, size_t *rooted,
	diag_list *d)
{
	md_state st = { 0 };
	st.rec = rec;
	st.o = o;
	st.d = d;
	st.dir = record_dir(rec->path ? rec->path : "");
	size_t errors = d->errors;
	record empty;
	if (!rec->body) {
		empty = *rec;
		empty.body = (char *)"";
		empty.body_len = 0;
		st.rec = rec = &empty;
	}
	st.scan_pos = rec->body;
	st.scan_line = 1;
	cmark_node *doc = cmark_parse_document(rec->body, rec->body_len, PARSE_OPTS);

	/*
	 * The record's title is the page's h1: the body's top heading level
	 * becomes h2, whatever the author started with, so levels never skip.
	 */
	int min_level = 7;
	for (cmark_node *c = cmark_node_first_child(doc); c; c = cmark_node_next(c))
		if (cmark_node_get_type(c) == CMARK_NODE_HEADING &&
		    cmark_node_get_heading_level(c) < min_level)
			min_level = cmark_node_get_heading_level(c);
	st.heading_shift = min_level < 7 ? 2 - min_level : 0;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *n = cmark_iter_get_node(it);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_HEADING:
			heading_id(&st, n);
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			fix_link(&st, n);
			break;
		case CMARK_NODE_CODE_BLOCK:
			hook_block(&st, n);
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);

	/* The tree changes shape only now: an iterator must not see nodes vanish. */
	for (size_t i = 0; i < st.n_blocks; i++) {
		cmark_node *cb = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
		char mark[64];
		snprintf(mark, sizeof(mark), "%s%zu%s", HOOK_MARK, i, HOOK_MARK_END);
		cmark_node_set_on_enter(cb, mark);
		cmark_node_replace(st.blocks[i], cb);
		cmark_node_free(st.blocks[i]);
	}
	for (size_t i = 0; i < st.n_unwrap; i++) {
		cmark_node *link = st.unwrap[i], *c;
		while ((c = cmark_node_first_child(link)))
			if (!cmark_node_insert_before(link, c))
				break; /* cannot happen: a link's parent holds inlines */
		cmark_node_free(link);
	}

	char *html = cmark_render_html(doc, RENDER_OPTS);
	buf tmp = BUF_INIT;
	if (splice(&st, html, &tmp) < 0)
		diag_error(d, rec->file, rec->body_line,
			"internal error: rendered headings or hook blocks do not match the "
			"document");
	if (d->errors == errors)
		buf_put(out, tmp.ptr, tmp.len);
	if (rooted)
		*rooted = st.n_rooted;
	buf_release(&tmp);
	free(html);
	cmark_node_free(doc);

	for (size_t i = 0; i < st.n_ids; i++)
		free(st.ids[i]);
	for (size_t i = 0; i < st.n_blocks; i++)
		buf_release(&st.hook_html[i]);
	free(st.ids);
	htab_free(&st.seen.t);
	free(st.seen.next);
	free(st.unwrap);
	free(st.blocks);
	free(st.hook_html);
	free(st.dir);
	return d->errors == errors ? 0 : -1;
}

void markdown_render_inline(const char *text, buf *out)
{
	cmark_node *doc = cmark_parse_document(text, strlen(text), PARSE_OPTS);
	char *html = cmark_render_html(doc, RENDER_OPTS);
	size_t len = strlen(html);
	cmark_node *first = cmark_node_first_child(doc);
	if (first && !cmark_node_next(first) &&
			cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH &&
			str_has_prefix(html, "<p>") && str_has_suffix(html, "</p>\n"))
		buf_put(out, html + 3, len - 3 - 5);
	else
		buf_put(out, html, len);
	free(html);
	cmark_node_free(doc);
}

/* --- slugs --- */

/* ASCII for U+00C0..U+00FF; NULL where the character separates words (×, ÷). */
static const char *const latin1[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "y",
};

void markdown_slugify(const char *text, buf *out)
{
	size_t start = out->len;
	int sep = 0;
	const unsigned char *s = (const unsigned char *)text;
	while (*s) {
		const char *rep = NULL;
		char one[2] = { 0, 0 };
		unsigned c = *s;
		size_t n = 1;
		if (c < 0x80) {
			if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
				one[0] = (char)c;
			else if (c >= 'A' && c <= 'Z')
				one[0] = (char)(c - 'A' + 'a');
			rep = one[0] ? one : NULL;
		} else {
			/* length of the sequence; a stray byte counts as one */
			if ((c & 0xE0) == 0xC0)
				n = 2;
			else if ((c & 0xF0) == 0xE0)
				n = 3;
			else if ((c & 0xF8) == 0xF0)
				n = 4;
			for (size_t k = 1; k < n; k++)
				if ((s[k] & 0xC0) != 0x80)
					n = k;
			if (n == 2) {
				unsigned cp = ((c & 0x1F) << 6) | (s[1] & 0x3F);
				if (cp >= 0xC0 && cp <= 0xFF)
					rep = latin1[cp - 0xC0];
				else if (cp == 0x160 || cp == 0x161)
					rep = "s"; /* Š š */
				else if (cp == 0x17D || cp == 0x17E)
					rep = "z"; /* Ž ž */
			}
		}
		s += n;
		if (!rep) {
			sep = 1;
			continue;
		}
		if (sep && out->len > start)
			buf_putc(out, '-');
		sep = 0;
		buf_puts(out, rep);
	}
	if (out->len == start)
		buf_puts(out, "otsikko");
}

/* --- first paragraph --- */

static cmark_node *first_paragraph(cmark_node *doc)
{
	for (cmark_node *c = cmark_node_first_child(doc); c; c = cmark_node_next(c))
		if (cmark_node_get_type(c) == CMARK_NODE_PARAGRAPH)
			return c;
	/* a body that is only a list: its first item's paragraph */
	cmark_node *found = NULL;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH)
			continue;
		for (cmark_node *a = cmark_node_parent(n); a; a = cmark_node_parent(a))
			if (cmark_node_get_type(a) == CMARK_NODE_LIST)
				found = n;
	}
	cmark_iter_free(it);
	return found;
}

void markdown_first_paragraph(const char *body, size_t len, size_t max, buf *out)
{
	static const char ellipsis[] = "\xe2\x80\xa6";
	const size_t elen = sizeof(ellipsis) - 1;
	cmark_node *doc = cmark_parse_document(body, len, PARSE_OPTS);
	cmark_node *p = first_paragraph(doc);
	buf raw = BUF_INIT, text = BUF_INIT;
	if (p)
		plain_text(p, &raw);
	cmark_node_free(doc);

	for (size_t i = 0; i < raw.len; i++) {
		if (is_space(raw.ptr[i])) {
			if (text.len && text.ptr[text.len - 1] != ' ')
				buf_putc(&text, ' ');
		} else {
			buf_putc(&text, raw.ptr[i]);
		}
	}
	if (text.len && text.ptr[text.len - 1] == ' ')
		buf_truncate(&text, text.len - 1);

	if (max == 0 || text.len <= max) {
		buf_put(out, text.ptr, text.len);
	} else {
		/* the ellipsis counts towards max; cut after the last whole word that fits */
		size_t lim = max >= elen ? max - elen : max, n = 0;
		for (size_t i = lim; i > 0; i--) {
			if (text.ptr[i] == ' ') {
				n = i;
				break;
			}
		}
		if (n == 0) {
			n = lim; /* one long word: cut it, but never inside a UTF-8 sequence */
			while (n > 0 && ((unsigned char)text.ptr[n] & 0xC0) == 0x80)
				n--;
		}
		while (n > 0 && (text.ptr[n - 1] == ' ' || text.ptr[n - 1] == ',' ||
				text.ptr[n - 1] == ';' || text.ptr[n - 1] == ':'))
			n--;
		buf_put(out, text.ptr, n);
		if (max >= elen)
			buf_puts(out, ellipsis);
	}
	buf_release(&raw);
	buf_release(&text);
}

/* ---- blocks as read, for history pages ---- */

static void put_block(buf *out, size_t *n, int kind, const char *text, size_t len)
{
	while (len && is_space(*text)) {
		text++;
		len--;
	}
	while (len && is_space(text[len - 1]))
		len--;
	if (!len)
		return;
	buf_putc(out, (char)kind);
	for (size_t i = 0; i < len; i++)
		buf_putc(out, text[i] ? text[i] : ' ');
	buf_putc(out, '\0');
	(*n)++;
}

/* A paragraph's lines, split at its soft breaks: the rows of a pipe table. */
static int put_table_rows(cmark_node *para, buf *out, size_t *n)
{
	buf line = BUF_INIT, all = BUF_INIT;
	int table = 1;
	for (cmark_node *c = cmark_node_first_child(para); ; c = cmark_node_next(c)) {
		int end = !c || cmark_node_get_type(c) == CMARK_NODE_SOFTBREAK ||
			cmark_node_get_type(c) == CMARK_NODE_LINEBREAK;
		if (!end) {
			plain_text(c, &line);
			continue;
		}
		size_t i = 0;
		while (i < line.len && is_space(line.ptr[i]))
			i++;
		if (i == line.len || line.ptr[i] != '|')
			table = 0;
		/* the row's cells, "a · b"; the |---| line under the header row says nothing */
		int rule = 1, first = 1;
		size_t cell = all.len;
		for (size_t k = i + 1; k <= line.len && table; k++) {
			if (k < line.len && line.ptr[k] != '|')
				continue;
			size_t a = i + 1, b = k;
			while (a < b && is_space(line.ptr[a]))
				a++;
			while (b > a && is_space(line.ptr[b - 1]))
				b--;
			for (size_t q = a; q < b; q++)
				rule &= line.ptr[q] == '-' || line.ptr[q] == ':';
			if (b > a || k < line.len) {
				buf_puts(&all, first ? "" : " · ");
				buf_put(&all, line.ptr + a, b - a);
				first = 0;
			}
			i = k;
		}
		if (table && !rule)
			buf_putc(&all, '\n');
		else if (table)
			buf_truncate(&all, cell);
		buf_reset(&line);
		if (!c || !table)
			break;
	}
	if (table) {
		size_t a = 0;
		for (size_t i = 0; i < all.len; i++)
			if (all.ptr[i] == '\n') {
				put_block(out, n, MD_BLOCK_ROW, all.ptr + a, i - a);
				a = i + 1;
			}
	}
	buf_release(&line);
	buf_release(&all);
	return table;
}

/* The kind of a paragraph by where it stands: in a list item, a quote, or neither. */
static int para_kind(cmark_node *p)
{
	for (cmark_node *up = cmark_node_parent(p); up; up = cmark_node_parent(up)) {
		cmark_node_type t = cmark_node_get_type(up);
		if (t == CMARK_NODE_ITEM)
			return MD_BLOCK_ITEM;
		if (t == CMARK_NODE_BLOCK_QUOTE)
			return MD_BLOCK_QUOTE;
	}
	return MD_BLOCK_PARA;
}

void markdown_blocks(const char *body, size_t len, buf *out, size_t *n)
{
	cmark_node *doc = cmark_parse_document(body, len, PARSE_OPTS);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	buf text = BUF_INIT;
	*n = 0;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *c = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node_type t = cmark_node_get_type(c);
		if (t == CMARK_NODE_CODE_BLOCK) {
			const char *lit = cmark_node_get_literal(c);
			put_block(out, n, MD_BLOCK_CODE, lit, strlen(lit));
			continue;
		}
		if (t != CMARK_NODE_PARAGRAPH && t != CMARK_NODE_HEADING)
			continue;
		if (t == CMARK_NODE_PARAGRAPH && put_table_rows(c, out, n))
			continue;
		buf_reset(&text);
		plain_text(c, &text);
		int kind = t == CMARK_NODE_HEADING ? MD_BLOCK_HEADING : para_kind(c);
		/* an item's later paragraphs continue it: one block per paragraph still */
		put_block(out, n, kind, text.ptr, text.len);
	}
	buf_release(&text);
	cmark_iter_free(it);
	cmark_node_free(doc);
}

/*
 * 1 when the quote at q opens an href or src value that starts with from
 * (flen bytes): a URL markdown_render() made of the root, or one of the
 * same shape.
 */
static int rooted_at(const char *html, const char *end, const char *q, const char *from,
	size_t flen)
{
	static const char *const names[] = { " href=", " src=" };
	if ((size_t)(end - q - 1) < flen || memcmp(q + 1, from, flen) != 0)
		return 0;
	for (size_t i = 0; i < 2; i++) {
		size_t n = strlen(names[i]);
		if ((size_t)(q - html) >= n && memcmp(q - n, names[i], n) == 0)
			return 1;
	}
	return 0;
}

/* 1 when the URL at u (its value's first byte, after from) names a page: its path ends in '/'. */
static int names_page(const char *u, const char *end)
{
	const char *p = u;
	while (p < end && *p != '"' && *p != '#' && *p != '?')
		p++;
	return p == u || p[-1] == '/';
}

int markdown_reroot(const char *html, size_t len, const char *from, const char *to,
	size_t rooted, buf *out)
{
	return markdown_reroot_split(html, len, from, to, to, rooted, out);
}

/* How many href and src values in html start with from: rooted_at() over every quote. */
static size_t count_rooted(const char *html, size_t len, const char *from)
{
	size_t flen = strlen(from), count = 0;
	const char *end = html + len;
	for (const char *q = html; (q = memchr(q, '"', (size_t)(end - q))); q++)
		count += rooted_at(html, end, q, from, flen);
	return count;
}

int markdown_reroot_map(const char *html, size_t len, const char *from, size_t rooted,
	markdown_url_map map, void *ud, buf *out)
{
	size_t flen = strlen(from);
	const char *end = html + len;
	if (count_rooted(html, len, from) != rooted)
		return -1;
	const char *start = html;
	for (const char *q = html; (q = memchr(q, '"', (size_t)(end - q))); q++) {
		if (!rooted_at(html, end, q, from, flen))
			continue;
		buf_put(out, start, (size_t)(q + 1 - start));
		const char *u = q + 1 + flen, *close = memchr(u, '"', (size_t)(end - u));
		if (!close)
			close = end;
		map(ud, u, (size_t)(close - u), names_page(u, end), out);
		start = close;
		q = close - 1;
	}
	buf_put(out, start, (size_t)(end - start));
	return 0;
}

/* markdown_reroot_split() as a map: the new root before the URL's rest. */
typedef struct split_roots {
	const char *to_pages, *to_files;
} split_roots;

static void put_split_root(void *ud, const char *rest, size_t len, int page, buf *out)
{
	const split_roots *r = ud;
	buf_puts(out, page ? r->to_pages : r->to_files);
	buf_put(out, rest, len);
}

int markdown_reroot_split(const char *html, size_t len, const char *from, const char *to_pages,
	const char *to_files, size_t rooted, buf *out)
{
	split_roots r = { to_pages, to_files };
	return markdown_reroot_map(html, len, from, rooted, put_split_root, &r, out);
}
