/*
 * The history pages. Everything comes from one history (history.h) and the
 * blobs of the versions: a record's versions are walked oldest first, so
 * the "before" of each change is almost always the version just read, and
 * each blob is read and parsed once per build.
 *
 * The unit everything hangs on is a lineage: one record followed through
 * its renames, named by the path it has now (or had when it was deleted).
 * Only published lineages get pages: a current record that is not a draft,
 * or a deleted record of which some version was published. Their changes
 * are then indexed by pointer, so that the "Muutokset" pages and feeds can
 * be built in one pass over the commits without asking which record each
 * change belongs to (no commits × records loop).
 */
#include "histpages_impl.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cache.h"
#include "diff.h"
#include "fieldwords.h"
#include "frontmatter.h"
#include "hooks.h"
#include "markdown.h"
#include "output.h"
#include "repo.h"
#include "htab.h"
#include "scope.h"
#include "urls.h"
#include "util.h"
#include "msg.h"
#include "banned.h"

#define SHORT_MIN 7     /* hex digits of a version permalink */

/* ---- small helpers ---- */

static int meta_draft(const value *m)
{
	const value *v = value_map_get(m, "draft");
	return v && v->kind == VAL_BOOL && v->u.boolean;
}

/* The region of a content path: its first folder, when that is a region. */
const region *hp_region_of_path(const site *s, const char *path)
{
	const char *slash = path ? strchr(path, '/') : NULL;
	if (!slash)
		return NULL;
	char *top = xstrndup(path, (size_t)(slash - path));
	const region *g = site_find_region(s, top);
	free(top);
	return g;
}

/* The URL a record at path had (url_of_record, as the model names them). */
static char *url_for_path(const char *path)
{
	const char *slash = strchr(path, '/');
	return url_of_record(path, slash && strcmp(slash, "/region.md") == 0);
}

/* url of one of L's pages, placed in L's language, from the site's root (for {{site_root}}). */
static char *site_href(const hp *st, const lineage *L, const char *url)
{
	char *placed = pages_place(st->e, L->lang, url);
	char *href = xstrdup(url_href(placed));
	free(placed);
	return href;
}

/* 1 when url is one of the generator's own pages, so a removed record may not take it. */
static int url_reserved(const char *url)
{
	return urls_reserved_for(url) != NULL;
}

/*
 * A commit message as published: e-mail addresses in angle brackets (as in
 * "Co-authored-by: Name <a@b>" trailers) are dropped, because no address
 * from the repository may appear on the site.
 */
char *hp_clean_message(const char *msg)
{
	buf b = BUF_INIT;
	for (const char *p = msg; *p;) {
		/* the text up to the next '<' as it is, in one piece */
		const char *lt = strchr(p, '<');
		if (!lt) {
			buf_puts(&b, p);
			break;
		}
		buf_put(&b, p, (size_t)(lt - p));
		p = lt;
		const char *q = p + 1;
		int at = 0;
		while (*q && *q != '>' && *q != '<' && *q != '\n' && *q != ' ')
			at |= *q++ == '@';
		if (*q == '>' && at) {
			/* "Name <a@b>": the space before the address goes too */
			if (b.len && b.ptr[b.len - 1] == ' ')
				buf_truncate(&b, b.len - 1);
			p = q + 1;
			continue;
		}
		buf_putc(&b, *p++);
	}
	return buf_detach(&b, NULL);
}

/* The paragraphs of a commit message after its first line, each joined into one line. */
static value *message_paragraphs(const char *message)
{
	value *l = value_list(0);
	const char *nl = strchr(message, '\n');
	if (!nl)
		return l;
	buf para = BUF_INIT;
	const char *p = nl + 1;
	for (;;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		size_t a = 0;
		while (a < n && (p[a] == ' ' || p[a] == '\t' || p[a] == '\r'))
			a++;
		size_t z = n;
		while (z > a && (p[z - 1] == ' ' || p[z - 1] == '\t' || p[z - 1] == '\r'))
			z--;
		if (z == a) {
			if (para.len)
				value_list_push(l, value_stringn(para.ptr, para.len, 0));
			buf_reset(&para);
		} else {
			if (para.len)
				buf_putc(&para, ' ');
			buf_put(&para, p + a, z - a);
		}
		if (!e)
			break;
		p = e + 1;
	}
	if (para.len)
		value_list_push(l, value_stringn(para.ptr, para.len, 0));
	buf_release(&para);
	return l;
}

/*
 * XML text: escaped, and what XML 1.0 cannot hold (control characters,
 * broken UTF-8, e.g. a Latin-1 author name from an old commit) replaced, so
 * that every feed parses.
 */
void hp_put_xml(buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned char c = *p;
		size_t n = 0;
		if (c < 0x80) {
			/* a run of plain ASCII at once */
			const unsigned char *q = p;
			while (*q && *q < 0x80 && (*q >= 0x20 || *q == '\t' || *q == '\n' || *q == '\r'))
				q++;
			if (q > p) {
				buf_put_html(out, (const char *)p, (size_t)(q - p));
				p = q;
			} else {
				buf_putc(out, ' ');
				p++;
			}
			continue;
		}
		unsigned cp = 0;
		if (c >= 0xc2 && c <= 0xdf) {
			n = 2;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 3;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 4;
			cp = c & 0x07;
		}
		size_t k = 1;
		while (n && k < n && (p[k] & 0xc0) == 0x80) {
			cp = cp << 6 | (p[k] & 0x3f);
			k++;
		}
		int ok = n && k == n && !(n == 3 && cp < 0x800) && !(n == 4 && cp < 0x10000) &&
			cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) &&
			cp != 0xfffe && cp != 0xffff;
		if (ok) {
			buf_put(out, (const char *)p, n);
			p += n;
		} else {
			buf_puts(out, "\xef\xbf\xbd");
			p += k;
		}
	}
}

/* ---- the state of one run ---- */

static uint64_t ptr_hash(const void *p)
{
	uint64_t x = (uint64_t)(uintptr_t)p;
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdu;
	x ^= x >> 33;
	return x;
}

cinfo *hp_cinfo_find(const hp *st, const history_change *c)
{
	uint64_t h = ptr_hash(c);
	htab_iter it;
	for (size_t p = htab_first(&st->map_index, h, &it); p != HTAB_NONE;
	     p = htab_next(&st->map_index, h, &it))
		if (st->map[p].c == c)
			return &st->map[p];
	return NULL;
}

static int show_authors(const site *s)
{
	const value *v = value_get_path(s->config, "history.authors");
	return !(v && v->kind == VAL_BOOL && !v->u.boolean);
}

/* date, date_fi, datetime (RFC 3339) of a commit. */
static void set_commit_dates(value *m, const history_commit *c)
{
	buf b = BUF_INIT, fi = BUF_INIT;
	format_date(&b, c->time, c->offset);
	pages_date_fi(&fi, b.ptr);
	value_map_set_str(m, "date", b.ptr);
	value_map_set_str(m, "date_fi", fi.ptr);
	buf_reset(&b);
	format_rfc3339(&b, c->time, c->offset);
	value_map_set_str(m, "datetime", b.ptr);
	buf_release(&b);
	buf_release(&fi);
}

/* A commit as templates see it: short, id, dates, author (when shown), summary, paragraphs. */
value *hp_commit_value(const hp *st, const history_commit *c)
{
	value *m = value_map(0);
	value_map_set_str(m, "short", c->short_id);
	value_map_set_str(m, "id", c->id);
	set_commit_dates(m, c);
	if (st->authors && c->author && *c->author)
		value_map_set_str(m, "author", c->author);
	char *sum = hp_clean_message(c->summary ? c->summary : "");
	char *msg = hp_clean_message(c->message ? c->message : "");
	value_map_set_str(m, "summary", sum);
	value *paras = message_paragraphs(msg);
	value_map_set_bool(m, "has_paragraphs", value_len(paras) > 0);
	value_map_set(m, "paragraphs", paras);
	free(sum);
	free(msg);
	return m;
}

const char *const hp_kind_names[] = {
	[CHANGE_ADDED] = "added",
	[CHANGE_MODIFIED] = "modified",
	[CHANGE_RENAMED] = "renamed",
	[CHANGE_DELETED] = "deleted",
};

void hp_set_kind(value *m, const value *t, change_kind k, const char *prefix)
{
	buf key = BUF_INIT;
	value_map_set_str(m, "kind", hp_kind_names[k]);
	value_map_set_bool(m, hp_kind_names[k], 1);
	buf_puts(&key, prefix);
	buf_puts(&key, hp_kind_names[k]);
	value_map_set_str(m, "kind_label", pages_tr(t, key.ptr));
	buf_release(&key);
}

/* ---- versions of one lineage ---- */

typedef struct ver {
	char oid[41];
	int ok;                     /* the blob could be read */
	char *text;
	size_t len;
	value *meta;                /* NULL: the front matter does not parse */
	int borrowed;               /* meta is the current record's own (not freed here) */
	const char *body;
	size_t body_len;
	int body_line;
	buf blocks;                 /* markdown_blocks() of the body, once it is compared */
	size_t n_blocks;
	int has_blocks;
} ver;

typedef struct vcache {
	ver **v;
	size_t n, cap;
} vcache;

/*
 * Reads the version with blob oid. When that is the current record's own
 * blob (rec), its front matter was parsed when the site was loaded, from
 * the same bytes: the version borrows that tree instead of parsing it again.
 */
/* Reads and parses the version with blob oid; fm: parses kept by blob id (may be NULL). */
static void ver_load(const hp *st, ver *v, const char *oid, const record *rec, fm_cache *fm)
{
	buf b = BUF_INIT;
	memcpy(v->oid, oid, sizeof(v->oid));
	if (repo_read_blob(st->e->repo, oid, &b) == 0) {
		v->ok = 1;
		v->text = buf_detach(&b, &v->len);
		if (rec && rec->meta && strcmp(rec->oid, oid) == 0 &&
		    frontmatter_body(v->text, v->len, &v->body, &v->body_len, &v->body_line) == 0) {
			v->meta = rec->meta;
			v->borrowed = 1;
		} else {
			diag_list dl = DIAG_LIST_INIT;
			if (frontmatter_split_cached(fm, oid, v->text, v->len, "version", &v->meta,
					&v->body, &v->body_len, &v->body_line, &dl) != 0)
				v->meta = NULL;
			diag_release(&dl);
		}
	}
	buf_release(&b);
}

static void ver_release(ver *v)
{
	buf_release(&v->blocks);
	free(v->text);
	if (!v->borrowed)
		value_free(v->meta);
}

/* The version with blob oid, read on first use; the newest read is checked first. */
static ver *vc_get(const hp *st, vcache *vc, const char *oid, const record *rec)
{
	for (size_t i = vc->n; i-- > 0;)
		if (strcmp(vc->v[i]->oid, oid) == 0)
			return vc->v[i];
	vc->v = xgrow(vc->v, sizeof(ver *), vc->n + 1, &vc->cap);
	ver *v = xcalloc(1, sizeof(*v));
	ver_load(st, v, oid, rec, NULL);
	vc->v[vc->n++] = v;
	return v;
}

static void vc_release(vcache *vc)
{
	for (size_t i = 0; i < vc->n; i++) {
		ver_release(vc->v[i]);
		free(vc->v[i]);
	}
	free(vc->v);
}

typedef struct idref {
	const char *id;
	size_t i;
} idref;

static int cmp_idref(const void *a, const void *b)
{
	return strcmp(((const idref *)a)->id, ((const idref *)b)->id);
}

static size_t common_prefix(const char *a, const char *b)
{
	size_t n = 0;
	while (a[n] && a[n] == b[n])
		n++;
	return n;
}

/* Each change's permalink id: 7 hex digits, more where two commits of the lineage share them. */
static char **short_ids(history_change *const *ch, size_t n)
{
	idref *ids = xcalloc(n ? n : 1, sizeof(idref));
	char **out = xcalloc(n ? n : 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		ids[i] = (idref){ ch[i]->commit->id, i };
	qsort(ids, n, sizeof(idref), cmp_idref);
	for (size_t k = 0; k < n; k++) {
		size_t len = SHORT_MIN;
		if (k > 0 && common_prefix(ids[k].id, ids[k - 1].id) + 1 > len)
			len = common_prefix(ids[k].id, ids[k - 1].id) + 1;
		if (k + 1 < n && common_prefix(ids[k].id, ids[k + 1].id) + 1 > len)
			len = common_prefix(ids[k].id, ids[k + 1].id) + 1;
		out[ids[k].i] = xstrndup(ids[k].id, len);
	}
	free(ids);
	return out;
}

/* ---- a version's content, as it was published ---- */

/* Front-matter keys shown on an old version, labelled with the theme's strings. */
static const char *const fact_keys[] = {
	"date", "status", "parties", "signed", "valid_from", "valid_until", "legal_basis",
	"annexes", "body", "section", "diary", "preparers", "kind", "participants", "outcomes",
	"next", "period", "priorities", "approved", "indicators", "area", "members", "meets",
	"next_meetings", "contact", "join", "municipalities", "themes", "summary", "organisation",
	"website", "areas",
};

static const char *fact_label(const value *t, const char *key)
{
	for (size_t i = 0; i < sizeof(fact_keys) / sizeof(fact_keys[0]); i++)
		if (strcmp(fact_keys[i], key) == 0)
			return pages_tr(t, key);
	return key;
}

/* A front-matter value as one line of text: lists joined, maps as "key: value". */
static void put_fact(buf *out, const value *v, int depth)
{
	if (depth > 8) {
		value_put_json(out, v);
		return;
	}
	if (v->kind == VAL_LIST) {
		int maps = 0;
		for (size_t i = 0; i < v->u.list.n; i++)
			maps |= v->u.list.items[i]->kind == VAL_MAP;
		for (size_t i = 0; i < v->u.list.n; i++) {
			if (i)
				buf_puts(out, maps ? "; " : ", ");
			put_fact(out, v->u.list.items[i], depth + 1);
		}
	} else if (v->kind == VAL_MAP) {
		for (size_t i = 0; i < v->u.map.n; i++) {
			if (i)
				buf_puts(out, ", ");
			buf_puts(out, v->u.map.keys[i]);
			buf_puts(out, ": ");
			put_fact(out, v->u.map.vals[i], depth + 1);
		}
	} else {
		value_put_text(out, v);
	}
}

/*
 * Sets in ctx what the version partial shows: vtitle, type_label, facts,
 * html, or raw (the text as it is, when its front matter does not parse).
 */
static void version_content(const hp *st, const lineage *L, const history_change *c,
	const ver *v, int current, const char *page_url, value *ctx, const value *t)
{
	const site *s = st->s;
	if (!v->meta) {
		value_map_set_str(ctx, "vtitle", L->title);
		value_map_set(ctx, "raw", value_stringn(v->text, v->len, 0));
		return;
	}
	const char *title = value_map_str(v->meta, "title");
	value_map_set_str(ctx, "vtitle", title && *title ? title : L->title);
	const char *type = value_map_str(v->meta, "type");
	if (type) {
		char *key = xasprintf("type_%s", type);
		value_map_set_str(ctx, "type_label", pages_tr(t, key));
		free(key);
	}
	value *facts = value_list(0);
	buf b = BUF_INIT;
	for (size_t i = 0; i < v->meta->u.map.n; i++) {
		const char *k = v->meta->u.map.keys[i];
		const value *x = v->meta->u.map.vals[i];
		if (strcmp(k, "title") == 0 || strcmp(k, "type") == 0 || x->kind == VAL_NULL)
			continue;
		buf_reset(&b);
		put_fact(&b, x, 0);
		value *f = value_map(0);
		value_map_set_str(f, "label", fact_label(t, k));
		value_map_set_str(f, "key", k);
		value_map_set_str(f, "value", b.ptr);
		value_list_push(facts, f);
	}
	buf_release(&b);
	value_map_set_bool(ctx, "has_facts", value_len(facts) > 0);
	value_map_set(ctx, "facts", facts);

	/*
	 * The current version is the record's body as its own page has it, one
	 * folder up: when the record was rendered in this build, its links are
	 * moved to this page's root instead of rendering (and running its hooks)
	 * again. Its hooks' reading the site model counts as if they ran here.
	 */
	char *root = url_root_of(page_url);
	/* a page in another language than the default: its files are one folder further up */
	char *file_root = pages_site_root(st->e, L->lang, page_url);
	const record *cur = L->rec;
	if (current && cur && (cur->html || cur->html_key[0]) && strcmp(v->oid, cur->oid) == 0 &&
	    strcmp(c->path, cur->path) == 0) {
		char *from = url_root_of(cur->url);
		buf html = BUF_INIT, spare = BUF_INIT;
		diag_list quiet = DIAG_LIST_INIT;   /* not in the cache: rendered again below */
		const char *body = pages_record_html(st->e, cur, &spare, &quiet);
		int ok = body && pages_move_body(st->e, L->lang, page_url, body, from, cur->n_rooted,
			&html) == 0;
		buf_release(&spare);
		diag_release(&quiet);
		if (ok) {
			if (cur->html_site)
				hooks_count_site_read(st->e->h);
			value_map_set(ctx, "html", value_stringn(html.ptr, html.len, 0));
		}
		buf_release(&html);
		free(from);
		if (ok) {
			free(root);
			free(file_root);
			return;
		}
	}

	/* The record as it was: this version's text at the path it had then. */
	record tmp;
	if (L->rec) {
		tmp = *L->rec;
	} else {
		memset(&tmp, 0, sizeof(tmp));
		tmp.url = L->url;
		tmp.region = (struct region *)L->region;
		tmp.municipalities = L->munis;
		tmp.n_municipalities = L->n_munis;
		tmp.lang = L->lang;
		tmp.type = REC_PAGE;
	}
	const char *slash = strrchr(c->path, '/');
	char *slug = xstrdup(slash ? slash + 1 : c->path);
	if (str_has_suffix(slug, ".md"))
		slug[strlen(slug) - 3] = '\0';
	tmp.path = (char *)c->path;
	tmp.file = xasprintf("%s%s", s->content_prefix ? s->content_prefix : "", c->path);
	tmp.slug = slug;
	tmp.oid = (char *)v->oid;
	tmp.meta = v->meta;
	tmp.title = value_map_str(v->meta, "title");
	if (!tmp.title)
		tmp.title = L->title;
	if (type)
		record_type_parse(type, &tmp.type);
	/* the date hooks see is this version's, picked as the model picks it */
	const char *dates[2] = { value_map_str(v->meta, "date"), NULL };
	if (tmp.type == REC_AGREEMENT) {
		dates[0] = value_map_str(v->meta, "signed");
		dates[1] = value_map_str(v->meta, "valid_from");
	} else if (tmp.type == REC_REPORT) {
		dates[0] = value_map_str(value_map_get(v->meta, "approved"), "date");
	}
	tmp.date = NULL;
	for (size_t i = 0; i < 2 && !tmp.date; i++)
		if (dates[i] && is_iso_date(dates[i]))
			tmp.date = dates[i];
	const char *lang = value_map_str(v->meta, "lang");
	if (lang)
		tmp.lang = lang;
	tmp.draft = meta_draft(v->meta);
	tmp.body = (char *)v->body;
	tmp.body_len = v->body_len;
	tmp.body_line = v->body_line;
	tmp.html = tmp.summary = NULL;

	value *rv = record_value(&tmp);
	/* an old version links and reads only the files the current site publishes */
	/* links resolved on the whole site; on a scoped site rendered at the whole site's place
	 * and then each placed */
	const site *whole = pages_whole(st->e);
	if (st->e->scope) {
		free(file_root);
		file_root = xstrdup(root);
	}
	site_reader rd = { whole, tmp.path, NULL, NULL, st->e->published };
	hook_ctx cx = { tmp.file, rv, st->e->site_model, site_reader_read, &rd };
	markdown_opts mo = { whole, st->e->h, &cx, root, 0, 1, &rd, file_root };
	buf html = BUF_INIT;
	diag_list dl = DIAG_LIST_INIT;
	size_t rooted = 0;
	int rc = markdown_render_counted(&tmp, &mo, &html, &rooted, &dl);
	if (rc != 0 && mo.hooks) {
		/* a hook failing on old data must not lose the version: its blocks stay code */
		diag_release(&dl);
		buf_reset(&html);
		mo.hooks = NULL;
		rc = markdown_render_counted(&tmp, &mo, &html, &rooted, &dl);
	}
	diag_release(&dl);
	if (rc == 0 && st->e->scope) {
		buf placed = BUF_INIT;
		rc = pages_move_body(st->e, L->lang, page_url, html.ptr ? html.ptr : "", root, rooted,
			&placed);
		buf_release(&html);
		html = placed;
	}
	if (rc == 0)
		value_map_set(ctx, "html", value_stringn(html.ptr, html.len, 0));
	else
		value_map_set(ctx, "raw", value_stringn(v->body, v->body_len, 0));
	buf_release(&html);
	free(root);
	free(file_root);
	value_free(rv);
	free(tmp.file);
	free(slug);
}

/*
 * A record whose URL is one of the history's pages (e.g. a file named
 * "muutokset.md" in a region folder) would be overwritten without a word:
 * that is an error naming the record.
 */
int hp_check_url_free(const hp *st, const char *url, const char *what, diag_list *d)
{
	const record *r = site_find_url(st->s, url);
	if (!r || r->draft)
		return 0;
	diag_error(d, r->file, 0, "the URL '%s' is reserved for %s (expected another file name)",
		url, tr(what));
	return -1;
}

/* Breadcrumbs up to a lineage's own page (linked). */
static void lineage_crumbs(const pages_env *e, value *ctx, const lineage *L)
{
	if (L->region && L->region->rec && !L->region->rec->draft &&
	    strcmp(L->region->rec->url, L->url) != 0)
		pages_add_crumb(e, ctx, pages_region_name(L->region, L->lang), L->region->rec->url);
	pages_add_crumb(e, ctx, L->title, L->url);
}

/* The footer's "content from version": the commit a history page shows. */
void hp_set_source(value *ctx, const history_commit *c)
{
	buf date = BUF_INIT;
	format_date(&date, c->time, c->offset);
	pages_set_source(ctx, c->id, date.ptr);
	buf_release(&date);
}

/* key + what -> the key of one page of a lineage. */
static void sub_key(const char *key, const char *what, char out[41])
{
	buf b = BUF_INIT;
	buf_printf(&b, "%s\n%s", key, what);
	cache_key k;
	cache_key_of(&b, &k);
	buf_release(&b);
	cache_key_hex(&k, out);
}

/*
 * The key of a lineage's pages (history page, version pages, removal page):
 * page_base and everything of the lineage the pages show: its paths, title
 * and language, and every change (commit, kind, paths, blob ids, author's
 * name after .mailmap). What a commit id names (date, message) never changes.
 * 0 when keys are off.
 */
static int lineage_key(const hp *st, const lineage *L, char key[41])
{
	if (!st->e->page_base || !L->n)
		return 0;
	buf b = BUF_INIT;
	buf_printf(&b, "lineage 1\n%s\n%s\n%s\n%s\n%d %zu\n", L->path, L->url, L->title,
		L->lang ? L->lang : "", L->rec != NULL, L->last_idx);
	for (size_t i = 0; i < L->n; i++) {
		const history_change *c = L->changes[i];
		buf_printf(&b, "%s %d %s %s %s %s %s\n", c->commit->id, (int)c->kind, c->path,
			c->old_path ? c->old_path : "-", c->old_oid[0] ? c->old_oid : "-",
			c->new_oid[0] ? c->new_oid : "-", c->commit->author ? c->commit->author : "");
	}
	pages_key(st->e, &b, key);
	buf_release(&b);
	return 1;
}

/* The key of the history page: the lineage's, and which versions have pages. */
static void history_page_key(const char *key, char **shorts, const int *published, size_t n,
	char out[41])
{
	buf b = BUF_INIT;
	buf_puts(&b, "history");
	for (size_t k = 0; k < n; k++)
		if (published[k])
			buf_printf(&b, " %s", shorts[k]);
	sub_key(key, b.ptr, out);
	buf_release(&b);
}

/*
 * 1 when the previous build wrote this lineage's pages with key and every one
 * of them is still there: they count as written, and the versions' links are
 * set as write_lineage() sets them. 0: nothing was kept, render them all.
 */
static int lineage_kept(hp *st, lineage *L, const char *key, const char *hist_url, char **shorts)
{
	output *o = st->e->out;
	int *published = xcalloc(L->n ? L->n : 1, sizeof(int));
	char **paths = xcalloc(L->n + 2, sizeof(char *));
	char **keys = xcalloc(L->n + 2, sizeof(char *));
	size_t n_paths = 0;
	int ok = 1;
	for (size_t k = 0; k < L->n; k++) {
		char vkey[41], *url = url_version(L->url, shorts[k]);
		char *path = pages_out_path(st->e, L->lang, url);
		sub_key(key, shorts[k], vkey);
		if (output_known(o, path, vkey)) {
			published[k] = 1;
			paths[n_paths] = path;
			keys[n_paths++] = xstrdup(vkey);
		} else {
			free(path);
		}
		free(url);
	}
	char hkey[41];
	history_page_key(key, shorts, published, L->n, hkey);
	paths[n_paths] = pages_out_path(st->e, L->lang, hist_url);
	keys[n_paths++] = xstrdup(hkey);
	if (!L->rec && !L->no_removal) {
		char rkey[41];
		sub_key(key, "removed", rkey);
		paths[n_paths] = pages_out_path(st->e, L->lang, L->url);
		keys[n_paths++] = xstrdup(rkey);
	}
	for (size_t i = 0; ok && i < n_paths; i++)
		ok = output_known(o, paths[i], keys[i]);
	/* kept only as a whole: a page missing from the output renders them all again */
	for (size_t i = 0; ok && i < n_paths; i++)
		ok = output_intact(o, paths[i]);
	for (size_t i = 0; ok && i < n_paths; i++)
		output_keep_checked(o, paths[i], keys[i]);
	for (size_t k = 0; ok && k < L->n; k++) {
		if (!published[k])
			continue;
		char *url = url_version(L->url, shorts[k]);
		cinfo *ci = hp_cinfo_find(st, L->changes[k]);
		if (ci && ci->l == L) {
			free(ci->vhref);
			ci->vhref = site_href(st, L, url);
		}
		free(url);
	}
	for (size_t i = 0; i < n_paths; i++) {
		free(paths[i]);
		free(keys[i]);
	}
	free(paths);
	free(keys);
	free(published);
	return ok;
}

static int write_version(const hp *st, const lineage *L, const history_change *c, const ver *v,
	const char *url, const char *hist_url, int current, int keyed, buf *out, diag_list *d)
{
	const value *t = theme_strings(st->e->th, L->lang);
	value *cv = hp_commit_value(st, c->commit);
	/* the commit tells two versions of one day apart */
	char *full = L->rec ? pages_full_title(L->rec) : xstrdup(L->title);
	char *title = xasprintf("%s – %s %s (%s)", full, pages_tr(t, "hist_version"),
		value_map_str(cv, "date_fi"), value_map_str(cv, "short"));
	free(full);
	value *ctx = pages_base_context(st->e, L->lang, url, title);
	pages_single_language(ctx);
	value *page = value_map_get(ctx, "page");
	/* an old version is a copy: search engines should send people to the current one */
	value_map_set_bool(page, "noindex", 1);
	lineage_crumbs(st->e, ctx, L);
	pages_add_crumb(st->e, ctx, pages_tr(t, "hist_history"), hist_url);
	pages_add_crumb(st->e, ctx, c->commit->short_id, NULL);
	value_map_set(ctx, "version", cv);
	value *rv = value_map(0);
	value_map_set_str(rv, "title", L->title);
	pages_link(st->e, L->lang, rv, "href", L->url);
	pages_link(st->e, L->lang, rv, "history_href", hist_url);
	value_map_set_bool(rv, "removed", L->rec == NULL && !L->no_removal);
	value_map_set(ctx, "record", rv);
	value_map_set_bool(ctx, "current", current);
	if (keyed)
		hp_set_source(ctx, c->commit);
	version_content(st, L, c, v, current, url, ctx, t);
	int ret = pages_render_buf(st->e, "version", ctx, out, d);
	value_free(ctx);
	free(title);
	return ret;
}

/* The removal page of a deleted record, at the URL it had. */
static int write_removal(const hp *st, const lineage *L, const ver *last, const char *last_href,
	const char *hist_url, int keyed, buf *out, diag_list *d)
{
	const value *t = theme_strings(st->e->th, L->lang);
	const history_change *del = L->changes[0];
	char *title = xasprintf("%s %s", L->title, pages_tr(t, "hist_removed_suffix"));
	value *ctx = pages_base_context(st->e, L->lang, L->url, title);
	pages_single_language(ctx);
	if (L->region && L->region->rec && !L->region->rec->draft)
		pages_add_crumb(st->e, ctx, pages_region_name(L->region, L->lang), L->region->rec->url);
	pages_add_crumb(st->e, ctx, L->title, NULL);
	value_map_set(ctx, "removal", hp_commit_value(st, del->commit));
	value *rv = value_map(0);
	value_map_set_str(rv, "title", L->title);
	const char *prefix = st->s->content_prefix ? st->s->content_prefix : "";
	char *file = xasprintf("%s%s", prefix, del->path);
	value_map_set_str(rv, "file", file);
	free(file);
	pages_link(st->e, L->lang, rv, "history_href", hist_url);
	value_map_set(ctx, "record", rv);
	value *lv = hp_commit_value(st, L->changes[L->last_idx]->commit);
	if (last_href)
		value_map_set_str(lv, "href", last_href);
	value_map_set(ctx, "version", lv);
	if (keyed)
		hp_set_source(ctx, del->commit);
	version_content(st, L, L->changes[L->last_idx], last, 0, L->url, ctx, t);
	int ret = pages_render_buf(st->e, "removed", ctx, out, d);
	value_free(ctx);
	free(title);
	return ret;
}

/* A version's blocks as read, parsed once: each version is the old side of the next change. */
static const buf *ver_blocks(ver *v)
{
	if (!v->has_blocks) {
		buf_init(&v->blocks);
		markdown_blocks(v->body, v->body_len, &v->blocks, &v->n_blocks);
		v->has_blocks = 1;
	}
	return &v->blocks;
}

/* The diff's hidden labels and counts in the page's language (t). */
static diff_words words_of(const value *t)
{
	diff_words w = diff_words_fi;
	const char *s;
	if ((s = value_map_str(t, "hist_items_removed")))
		w.deleted = s;
	if ((s = value_map_str(t, "hist_items_added")))
		w.inserted = s;
	if ((s = value_map_str(t, "diff_same_one")))
		w.same_one = s;
	if ((s = value_map_str(t, "diff_same_other")))
		w.same_other = s;
	return w;
}

/* The text as readers read it, block by block: never the Markdown source. */
static void blocks_diff(buf *out, ver *ov, ver *nv, const diff_words *w)
{
	const buf *a = ver_blocks(ov), *b = ver_blocks(nv);
	diff_blocks_html(out, a->ptr, a->len, ov->n_blocks, b->ptr, b->len, nv->n_blocks, w);
}

/* What a change changed, on its history entry: the fields, and the text as a word diff. */
static void entry_diff(const hp *st, const value *t, const char *lang, value *en,
	const history_change *c, ver *ov, ver *nv)
{
	if (ov && nv && ov->ok && nv->ok) {
		buf diff = BUF_INIT;
		diff_words w = words_of(t);
		if (ov->meta && nv->meta) {
			value *rows = fieldwords_rows(st->s, t, lang, ov->meta, nv->meta);
			value_map_set_bool(en, "has_fields", value_len(rows) > 0);
			value_map_set(en, "fields", rows);
			if (ov->body_len == nv->body_len &&
			    memcmp(ov->body, nv->body, nv->body_len) == 0)
				value_map_set_bool(en, "same_text", 1);
			else
				blocks_diff(&diff, ov, nv, &w);
		} else {
			diff_text_html(&diff, ov->text, ov->len, nv->text, nv->len, &w);
		}
		if (diff.len)
			value_map_set(en, "diff", value_stringn(diff.ptr, diff.len, 0));
		buf_release(&diff);
	} else if (c->kind == CHANGE_RENAMED && strcmp(c->old_oid, c->new_oid) == 0) {
		value_map_set_bool(en, "same_content", 1);
	}
}

/*
 * One lineage: a permalink per published version, the history page, and
 * for a deleted record its removal page.
 */
static int write_lineage(hp *st, lineage *L, diag_list *d)
{
	const value *t = theme_strings(st->e->th, L->lang);
	char *hist_url = url_history(L->url);
	if (hp_check_url_free(st, hist_url, N_("a record's change history"), d) != 0) {
		free(hist_url);
		return -1;
	}
	char **shorts = short_ids(L->changes, L->n);
	char key0[41], key[41], with_hooks[41];
	int keyed = lineage_key(st, L, key0);
	if (keyed) {
		/* the key says whether the versions ran hooks: then the site model is an input too */
		char *what = xasprintf("hooks %s", st->e->model_hash ? st->e->model_hash : "");
		sub_key(key0, what, with_hooks);
		free(what);
		if (lineage_kept(st, L, key0, hist_url, shorts) ||
		    lineage_kept(st, L, with_hooks, hist_url, shorts)) {
			for (size_t k = 0; k < L->n; k++)
				free(shorts[k]);
			free(shorts);
			free(hist_url);
			return 0;
		}
	}
	vcache vc = { NULL, 0, 0 };
	value **entries = xcalloc(L->n ? L->n : 1, sizeof(value *));
	int *published = xcalloc(L->n ? L->n : 1, sizeof(int));
	char *last_href = NULL;
	int ret = 0;
	size_t newest = (size_t)-1;
	for (size_t i = 0; i < L->n && newest == (size_t)-1; i++)
		if (L->changes[i]->kind != CHANGE_DELETED)
			newest = i;
	/*
	 * The pages are rendered first and written at the end: their keys depend
	 * on whether a hook read the site model while rendering them.
	 */
	buf *pages = xcalloc(L->n + 2, sizeof(buf));
	char **page_paths = xcalloc(L->n + 2, sizeof(char *));
	unsigned long reads_before = hooks_site_reads(st->e->h);

	/* oldest first, so that each change's "before" is the version just read */
	for (size_t k = L->n; k-- > 0;) {
		const history_change *c = L->changes[k];
		value *en = hp_commit_value(st, c->commit);
		hp_set_kind(en, t, c->kind, "hist_change_");
		value_map_set_str(en, "path", c->path);
		if (c->kind == CHANGE_RENAMED && c->old_path) {
			value_map_set_str(en, "from", c->old_path);
			value_map_set_str(en, "to", c->path);
		}
		ver *nv = NULL, *ov = NULL;
		if (c->kind != CHANGE_DELETED && c->new_oid[0])
			nv = vc_get(st, &vc, c->new_oid, L->rec);
		if ((c->kind == CHANGE_MODIFIED || c->kind == CHANGE_RENAMED) && c->old_oid[0] &&
		    strcmp(c->old_oid, c->new_oid) != 0)
			ov = vc_get(st, &vc, c->old_oid, L->rec);
		entry_diff(st, t, L->lang, en, c, ov, nv);
		if (nv && !nv->ok) {
			/* said on the page, and to the publisher: the repository lacks an object */
			value_map_set_bool(en, "unavailable", 1);
			diag_warning(d, L->rec ? L->rec->file : c->path, 0, "the version of %.7s (blob "
				"%.12s) is missing from the repository: its history page says it cannot "
				"be shown", c->commit->id, c->new_oid);
		} else if (nv && nv->meta && meta_draft(nv->meta)) {
			/* never published: listed, but no permalink */
			value_map_set_bool(en, "draft", 1);
		} else if (nv) {
			char *url = url_version(L->url, shorts[k]);
			published[k] = 1;
			page_paths[k] = pages_out_path(st->e, L->lang, url);
			ret |= write_version(st, L, c, nv, url, hist_url, L->rec && k == newest, keyed,
				&pages[k], d);
			pages_link(st->e, L->lang, en, "version_href", url);
			/* a change's entry belongs to one lineage: only its worker writes it */
			cinfo *ci = hp_cinfo_find(st, c);
			if (ci && ci->l == L) {
				free(ci->vhref);
				ci->vhref = site_href(st, L, url);
			}
			if (!L->rec && k == L->last_idx)
				last_href = pages_href(st->e, L->lang, url);
			free(url);
		}
		entries[k] = en;
	}

	char *full = L->rec ? pages_full_title(L->rec) : xstrdup(L->title);
	/* what tells it apart first, the kind of page last: "X – Muutoshistoria" */
	char *title = xasprintf("%s – %s", full, pages_tr(t, "hist_history"));
	free(full);
	value *ctx = pages_base_context(st->e, L->lang, hist_url, title);
	lineage_crumbs(st->e, ctx, L);
	pages_add_crumb(st->e, ctx, pages_tr(t, "hist_history"), NULL);
	value *rv = value_map(0);
	value_map_set_str(rv, "title", L->title);
	pages_link(st->e, L->lang, rv, "href", L->url);
	value_map_set_bool(rv, "removed", L->rec == NULL && !L->no_removal);
	value_map_set_str(rv, "file", L->path);
	value_map_set(ctx, "record", rv);
	value *list = value_list(0);
	for (size_t k = 0; k < L->n; k++)
		value_list_push(list, entries[k]);
	value_map_set(ctx, "entries", list);
	if (keyed)
		hp_set_source(ctx, L->changes[0]->commit);
	pages_single_language(ctx);
	page_paths[L->n] = pages_out_path(st->e, L->lang, hist_url);
	ret |= pages_render_buf(st->e, "history", ctx, &pages[L->n], d);
	value_free(ctx);
	free(title);

	if (!L->rec && !L->no_removal) {
		ver *last = vc_get(st, &vc, L->changes[L->last_idx]->new_oid, L->rec);
		page_paths[L->n + 1] = pages_out_path(st->e, L->lang, L->url);
		ret |= write_removal(st, L, last, last_href, hist_url, keyed, &pages[L->n + 1], d);
	}
	if (keyed)
		memcpy(key, hooks_site_reads(st->e->h) != reads_before ? with_hooks : key0,
			sizeof(key));
	for (size_t k = 0; k < L->n + 2; k++) {
		if (!page_paths[k])
			continue;
		char pkey[41];
		if (keyed && k < L->n)
			sub_key(key, shorts[k], pkey);
		else if (keyed && k == L->n)
			history_page_key(key, shorts, published, L->n, pkey);
		else if (keyed)
			sub_key(key, "removed", pkey);
		if (!ret)
			ret |= output_write_keyed(st->e->out, page_paths[k], keyed ? pkey : NULL,
				pages[k].ptr ? pages[k].ptr : "", pages[k].len, d);
		free(page_paths[k]);
		buf_release(&pages[k]);
	}
	free(pages);
	free(page_paths);
	free(published);
	free(last_href);
	for (size_t k = 0; k < L->n; k++)
		free(shorts[k]);
	free(shorts);
	free(entries);
	vc_release(&vc);
	free(hist_url);
	return ret ? -1 : 0;
}

/* ---- which lineages get pages ---- */

static lineage *add_lineage(hp *st)
{
	st->lines = xgrow(st->lines, sizeof(lineage), st->n_lines + 1, &st->cap_lines);
	lineage *L = &st->lines[st->n_lines++];
	memset(L, 0, sizeof(*L));
	return L;
}

/* A removed record's type, by its last version's front matter (a page when it names none). */
static record_type deleted_type(const value *meta)
{
	record_type t = REC_PAGE;
	const char *name = value_map_str(meta, "type");
	if (name)
		record_type_parse(name, &t);
	return t;
}

/*
 * A deleted record gets a removal page when some version of it was
 * published (parses and is not a draft) and its old URL is free.
 */
static void add_deleted(hp *st, const char *path)
{
	const site *s = st->s;
	if (!str_has_suffix(path, ".md"))
		return;
	/*
	 * A removed translation is under its original's URL in its language: with a removal
	 * page when the original went too, else its history alone (the page in its language
	 * now shows the original's text).
	 */
	char *orig = NULL, tl[4];
	const char *lang = s->languages[0];
	const record *orig_rec = NULL;
	if (site_translation_name(path, &orig, tl)) {
		lang = NULL;
		for (size_t i = 1; i < s->n_languages; i++)
			if (strcmp(s->languages[i], tl) == 0)
				lang = s->languages[i];
		orig_rec = site_find_record(s, orig);
		if (orig_rec && orig_rec->draft)
			orig_rec = NULL;
		if (!lang) {
			free(orig);
			return;
		}
	}
	char *url = url_for_path(orig ? orig : path);
	free(orig);
	size_t n;
	history_change *const *ch = history_for_path(st->h, path, &n);
	const record *at_url = site_find_url(pages_whole(st->e), url);
	if (!n || (at_url && at_url != orig_rec) || url_reserved(url)) {
		free(url);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (ch[i]->kind == CHANGE_DELETED || !ch[i]->new_oid[0])
			continue;
		/*
		 * Only the front matter is needed: from the cache by blob id when an
		 * earlier build parsed it, which spares reading the blob too.
		 */
		value *meta = NULL;
		if (fm_cache_meta(st->e->fm, ch[i]->new_oid, &meta) != 0) {
			ver v;
			memset(&v, 0, sizeof(v));
			ver_load(st, &v, ch[i]->new_oid, NULL, st->e->fm);
			if (v.ok) {
				meta = v.meta;
				v.meta = NULL;
			}
			ver_release(&v);
		}
		if (!meta || meta_draft(meta)) {
			value_free(meta);
			continue;
		}
		if (orig_rec) {
			/* the translation's keys over its original's, as when it was published */
			value *merged = value_copy_top(orig_rec->meta);
			for (size_t k = 0; meta->kind == VAL_MAP && k < meta->u.map.n; k++)
				value_map_set(merged, meta->u.map.keys[k], value_ref(meta->u.map.vals[k]));
			value_free(meta);
			meta = merged;
		}
		lineage *L = add_lineage(st);
		L->path = path;
		L->url = url;
		L->changes = ch;
		L->n = n;
		L->no_removal = orig_rec != NULL;
		L->last_meta = meta;
		L->last_idx = i;
		const char *title = value_map_str(L->last_meta, "title");
		L->title = title && *title ? title : path;
		/* its region and municipalities as the whole site has them, for a scope to ask */
		const site *whole = pages_whole(st->e);
		L->region = hp_region_of_path(whole, path);
		L->lang = lang;
		const value *ms = value_map_get(L->last_meta, "municipalities");
		size_t cap = 0;
		for (size_t k = 0; k < value_len(ms); k++) {
			const value *m = value_at(ms, k);
			record *r = m->kind == VAL_STRING ?
				site_find_municipality(whole, m->u.str.ptr) : NULL;
			if (!r || r->draft)
				continue;
			L->munis = xgrow(L->munis, sizeof(record *), L->n_munis + 1, &cap);
			L->munis[L->n_munis++] = r;
		}
		if (st->e->scope && !scope_holds(st->e->scope, L->region, deleted_type(meta), L->munis,
		    L->n_munis, meta)) {
			value_free(L->last_meta);
			free(L->munis);
			free(L->url);
			st->n_lines--;
		}
		return;
	}
	free(url);
}

static void collect_lineages(hp *st)
{
	const site *s = st->s;
	/* records, then translations (site_text_at): each its own file with its own history */
	st->line_of = xcalloc(site_n_texts(s) + 1, sizeof(size_t));
	for (size_t i = 0; i < site_n_texts(s); i++) {
		const record *r = site_text_at(s, i);
		size_t n;
		history_change *const *ch = history_for_path(st->h, r->path, &n);
		if (r->draft || !n)
			continue;
		lineage *L = add_lineage(st);
		st->line_of[i] = st->n_lines;
		L->path = r->path;
		L->rec = r;
		L->url = xstrdup(r->url);
		L->changes = ch;
		L->n = n;
		L->lang = r->lang ? r->lang : s->languages[0];
		/* a region's or municipality's name in the history's language (Karleby for Kokkola) */
		L->title = r->type == REC_MUNICIPALITY || r->type == REC_REGION ?
			pages_name(r->original ? r->original : r, L->lang) : r->title;
		if (!L->title || !*L->title)
			L->title = r->path;
		L->region = r->region;
		L->munis = r->municipalities;
		L->n_munis = r->n_municipalities;
	}
	for (size_t i = 0, n = history_deleted_count(st->h); i < n; i++)
		add_deleted(st, history_deleted_at(st->h, i));

	size_t total = 0;
	for (size_t i = 0; i < st->n_lines; i++)
		total += st->lines[i].n;
	st->map = xcalloc(total ? total : 1, sizeof(cinfo));
	htab_reserve(&st->map_index, total);
	for (size_t i = 0; i < st->n_lines; i++) {
		lineage *L = &st->lines[i];
		for (size_t k = 0; k < L->n; k++) {
			/* a change in two lineages belongs to the later one */
			cinfo *ci = hp_cinfo_find(st, L->changes[k]);
			if (!ci) {
				ci = &st->map[st->n_map];
				htab_add(&st->map_index, ptr_hash(L->changes[k]), st->n_map++);
			}
			ci->c = L->changes[k];
			ci->l = L;
		}
	}
}

/* ---- redirects from renamed records' old URLs ---- */

/* The page at a renamed record's old URL in lang, leading to where it is now. */
static int write_redirect(hp *st, const char *lang, const char *old_url, const char *old_path,
	const char *new_path, const char *to_url, const char *to_title, diag_list *d)
{
	const site *s = st->s;
	const value *t = theme_strings(st->e->th, lang);
	char *moved = xasprintf("%s: %s", pages_tr(t, "hist_moved"), to_title);
	value *ctx = pages_base_context(st->e, lang, old_url, moved);
	free(moved);
	value *page = value_map_get(ctx, "page");
	/* from the old page's language root, as {{root}} leads */
	char *old_at = pages_place(st->e, s->languages[0], old_url);
	char *root = url_root_of(old_at), *href = pages_href(st->e, lang, to_url);
	char *rel = pages_href_leaves(href) ? xstrdup(href) : xasprintf("%s%s", root, href);
	char *canon = pages_address(st->e, lang, to_url);
	if (!pages_href_leaves(canon) && !(s->base_url && *s->base_url)) {
		free(canon);
		canon = xstrdup(rel);
	}
	free(old_at);
	free(href);
	value_map_set_str(page, "canonical", canon);
	value_map_set_str(page, "refresh", rel);
	value_map_set_bool(page, "noindex", 1);
	pages_add_crumb(st->e, ctx, pages_tr(t, "hist_moved_title"), NULL);
	value *tv = value_map(0);
	value_map_set_str(tv, "title", to_title);
	pages_link(st->e, lang, tv, "href", to_url);
	value_map_set_str(tv, "from", old_path);
	value_map_set_str(tv, "to", new_path);
	value_map_set(ctx, "target", tv);
	size_t n_ch = 0;
	history_change *const *ch = history_for_path(st->h, new_path, &n_ch);
	if (st->e->page_base && n_ch)
		hp_set_source(ctx, ch[0]->commit);
	char *path = pages_out_path(st->e, lang, old_url);
	int ret = pages_render(st->e, "redirect", ctx, path, d);
	free(path);
	free(canon);
	free(rel);
	free(root);
	value_free(ctx);
	return ret;
}

/* Every language's page at a renamed record's old URL (a translation moves with its original). */
static int write_redirects(hp *st, diag_list *d)
{
	const site *s = st->s;
	int ret = 0;
	for (size_t i = 0, n = history_renamed_count(st->h); i < n; i++) {
		const char *old_path, *new_path;
		char tl[4];
		history_renamed_at(st->h, i, &old_path, &new_path);
		if (!old_path || !new_path || !str_has_suffix(old_path, ".md") ||
		    site_translation_name(old_path, NULL, tl))
			continue;
		char *old_url = url_for_path(old_path);
		const char *to_url = NULL, *to_title = NULL;
		const record *r = site_find_record(s, new_path);
		if (r && !r->draft) {
			to_url = r->url;
			to_title = r->title;
		} else {
			/* moved, then deleted: the removal page is where the record is now */
			for (size_t k = 0; k < st->n_lines; k++)
				if (!st->lines[k].rec && strcmp(st->lines[k].path, new_path) == 0) {
					to_url = st->lines[k].url;
					to_title = st->lines[k].title;
				}
		}
		int taken = site_find_url(pages_whole(st->e), old_url) != NULL || url_reserved(old_url);
		for (size_t k = 0; k < st->n_lines && !taken; k++)
			taken = strcmp(st->lines[k].url, old_url) == 0;
		if (!to_url || taken || strcmp(to_url, old_url) == 0) {
			free(old_url);
			continue;
		}
		for (size_t l = 0; l < s->n_languages; l++) {
			const record *x = r ? record_in_lang(r, s->languages[l]) : NULL;
			ret |= write_redirect(st, s->languages[l], old_url, old_path, new_path, to_url,
				x ? x->title : to_title, d);
		}
		free(old_url);
	}
	return ret ? -1 : 0;
}

/* ---- the interface ---- */

value *histpages_record_summary(const pages_env *e, const record *r)
{
	if (!e->hist || !r || r->draft)
		return NULL;
	size_t n;
	history_change *const *ch = history_for_path(e->hist, r->path, &n);
	if (!n)
		return NULL;
	size_t versions = 0;
	for (size_t i = 0; i < n; i++)
		versions += ch[i]->kind != CHANGE_DELETED;
	value *m = value_map(0);
	buf b = BUF_INIT, fi = BUF_INIT;
	const history_commit *first = ch[n - 1]->commit, *last = ch[0]->commit;
	format_date(&b, first->time, first->offset);
	pages_date_fi(&fi, b.ptr);
	value_map_set_str(m, "created", b.ptr);
	value_map_set_str(m, "created_fi", fi.ptr);
	buf_reset(&b);
	buf_reset(&fi);
	format_date(&b, last->time, last->offset);
	pages_date_fi(&fi, b.ptr);
	value_map_set_str(m, "changed", b.ptr);
	value_map_set_str(m, "changed_fi", fi.ptr);
	value_map_set_num(m, "versions", (double)versions);
	value_map_set_bool(m, "one_version", versions == 1);
	buf_reset(&b);
	/* the history of r's file, in its language: from the site's root, for {{site_root}} */
	char *hist = url_history(r->url);
	pages_link_site(e, r->lang, m, "href", hist);
	free(hist);
	buf_release(&b);
	buf_release(&fi);
	return m;
}

/* The feed of the changes of the page at owner ("/", a region's, a municipality's). */
static value *feed_item(const pages_env *e, const char *lang, const value *t, const char *owner,
	const char *name)
{
	value *it = value_map(0);
	char *title = name ? xasprintf("%s: %s", pages_tr(t, "hist_changes"), name) :
		xasprintf("%s – %s", pages_tr(t, "hist_changes"), e->s->title);
	char *feed = url_changes_feed(owner), *url = url_changes(owner, 0);
	value_map_set_str(it, "title", title);
	pages_link(e, lang, it, "href", feed);
	pages_link(e, lang, it, "changes_href", url);
	free(feed);
	free(url);
	free(title);
	return it;
}

value *histpages_feeds(const pages_env *e, const char *lang, const region *g, const record *muni)
{
	if (!e->hist)
		return NULL;
	const value *t = theme_strings(e->th, lang);
	value *l = value_list(0);
	value_list_push(l, feed_item(e, lang, t, url_fixed(URL_FRONT), NULL));
	if (g && g->rec && !g->rec->draft) {
		value_list_push(l, feed_item(e, lang, t, g->rec->url, pages_region_name(g, lang)));
	}
	if (muni && muni->type == REC_MUNICIPALITY && !muni->draft) {
		value_list_push(l, feed_item(e, lang, t, muni->url, pages_name(muni, lang)));
	}
	/* the most specific one is the page's own: templates link its changes page */
	value_map_set_bool(value_at(l, value_len(l) - 1), "own", 1);
	return l;
}

histpages *histpages_plan(const pages_env *e)
{
	if (!e->hist)
		return NULL;
	hp *st = xcalloc(1, sizeof(*st));
	st->e = e;
	st->s = e->s;
	st->h = e->hist;
	st->authors = show_authors(e->s);
	collect_lineages(st);
	return st;
}

void histpages_free(histpages *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->n_map; i++)
		free(st->map[i].vhref);
	free(st->map);
	htab_free(&st->map_index);
	for (size_t i = 0; i < st->n_lines; i++) {
		lineage *L = &st->lines[i];
		free(L->url);
		value_free(L->last_meta);
		if (!L->rec)
			free(L->munis);
	}
	free(st->lines);
	free(st->line_of);
	free(st);
}

int histpages_write_record(histpages *p, const pages_env *e, size_t i, diag_list *d)
{
	if (!p || i >= p->s->n_records)
		return 0;
	/* this worker's view: its own env (its hooks), the plan's shared read-only tables */
	hp st = *p;
	st.e = e;
	int ret = 0;
	if (p->line_of[i])
		ret |= write_lineage(&st, &st.lines[p->line_of[i] - 1], d);
	/* its translations' histories too, each in its own language */
	const record *r = p->s->records[i];
	for (size_t k = 0; k < r->n_translations; k++) {
		const record *tr = r->translations[k];
		size_t ti = p->s->n_records + site_translation_index(p->s, tr);
		if (p->line_of[ti])
			ret |= write_lineage(&st, &st.lines[p->line_of[ti] - 1], d);
	}
	return ret ? -1 : 0;
}

hp_version *histpages_versions(const histpages *p, size_t i, size_t *n)
{
	*n = 0;
	if (!p || i >= p->s->n_records || !p->line_of[i])
		return NULL;
	const lineage *L = &p->lines[p->line_of[i] - 1];
	hp_version *v = xcalloc(L->n + 1, sizeof(hp_version));
	for (size_t k = 0; k < L->n; k++) {
		const cinfo *ci = hp_cinfo_find(p, L->changes[k]);
		v[k] = (hp_version){ L->changes[k], ci && ci->l == L ? ci->vhref : NULL };
	}
	*n = L->n;
	return v;
}

int histpages_write_lineages(histpages *p, const pages_env *e, size_t worker, size_t n_workers,
	diag_list *d)
{
	if (!p)
		return 0;
	hp st = *p;
	st.e = e;
	int ret = 0;
	size_t cur = worker;
	for (size_t i; (i = pages_next(e->queue ? &e->queue->lineages : NULL, &cur, n_workers)) <
	     st.n_lines;)
		if (!st.lines[i].rec)
			ret |= write_lineage(&st, &st.lines[i], d);
	return ret ? -1 : 0;
}

int histpages_write_lists(histpages *p, const pages_env *e, size_t worker, size_t n_workers,
	diag_list *d)
{
	if (!p)
		return 0;
	hp st = *p;
	st.e = e;
	int ret = 0;
	if (worker == 0)
		ret |= write_redirects(&st, d);
	ret |= hp_write_changes(&st, worker, n_workers, d);
	return ret ? -1 : 0;
}

int histpages_write_all(const pages_env *e, diag_list *d)
{
	histpages *p = histpages_plan(e);
	if (!p)
		return 0;
	int ret = 0;
	for (size_t i = 0; i < e->s->n_records; i++)
		ret |= histpages_write_record(p, e, i, d);
	ret |= histpages_write_lineages(p, e, 0, 1, d);
	ret |= histpages_write_lists(p, e, 0, 1, d);
	histpages_free(p);
	return ret ? -1 : 0;
}
