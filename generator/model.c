#include "model.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "frontmatter.h"
#include "urlcheck.h"
#include "urls.h"
#include "util.h"
#include "banned.h"

/*
 * The public struct site is the first member, so a site * handed out by
 * site_load() is also a site_priv *: the lookup indexes stay private.
 */
typedef struct site_priv {
	site pub;
	record **by_url;          /* every record, sorted by url (then path) */
	record **munis;           /* municipality records, sorted by slug, first of each slug */
	size_t n_munis;
	char *base_url;           /* owned storage behind pub.base_url */
	size_t jobs;              /* model_opts.jobs: threads for whole-site passes */
	fm_cache *fm;             /* model_opts.fm, while the records are read */
} site_priv;

/* Per-record state that only loading needs. */
typedef struct rinfo {
	record *r;
	int type_ok;              /* type parsed: type-specific rules apply */
	int line0;                /* where a missing key is reported: the `type` line */
} rinfo;

typedef struct vctx {
	site_priv *sp;
	diag_list *d;
	record *r;                /* NULL while reading site.yaml */
	const char *file;
	int line0;
	int strict;
} vctx;

static const char *const type_names[REC_TYPE_COUNT + 1] = {
	"region", "municipality", "agreement", "minutes", "negotiation", "report", "partnership",
	"page",
};

static const char *const common_keys[] = {
	"type", "title", "date", "municipalities", "themes", "lang", "summary", "draft", NULL,
};

/* Keys each type knows besides the common ones; anything else is kept and, when strict, named. */
static const char *const type_keys[REC_TYPE_COUNT][10] = {
	[REC_REGION] = { "name", "name_sv", "organisation", "areas" },
	[REC_MUNICIPALITY] = { "name", "name_sv", "languages", "website" },
	[REC_AGREEMENT] = { "parties", "status", "signed", "valid_from", "valid_until",
		"legal_basis", "annexes" },
	[REC_MINUTES] = { "body", "section", "diary", "preparers" },
	[REC_NEGOTIATION] = { "kind", "participants", "outcomes", "next" },
	[REC_REPORT] = { "kind", "period", "priorities", "approved", "indicators" },
	[REC_PARTNERSHIP] = { "area", "members", "meets", "next_meetings", "contact", "join" },
	[REC_PAGE] = { NULL },
};

static const char *const agreement_status[] = { "draft", "approved", "signed", "expired", NULL };
static const char *const negotiation_kinds[] = { "hyte", "cooperation", NULL };
static const char *const outcome_status[] = { "planned", "in-progress", "done", "cancelled", NULL };
static const char *const report_kinds[] = {
	"wellbeing-report", "wellbeing-plan", "annual-report", NULL,
};
static const char *const member_sectors[] = {
	"kunta", "hyvinvointialue", "järjestö", "seurakunta", "yritys", "oppilaitos", "valtio",
	NULL,
};

const char *record_type_name(record_type t)
{
	return (unsigned)t < REC_TYPE_COUNT ? type_names[t] : NULL;
}

int record_type_parse(const char *s, record_type *out)
{
	for (int i = 0; s && i < REC_TYPE_COUNT; i++) {
		if (strcmp(s, type_names[i]) == 0) {
			*out = (record_type)i;
			return 0;
		}
	}
	return -1;
}

/* ---- messages ---- */

static void verr(vctx *c, diag_level level, int line, const char *fmt, va_list ap)
{
	buf msg = BUF_INIT;
	buf_vprintf(&msg, fmt, ap);
	diag_add(c->d, level, c->file, line, "%s", msg.ptr);
	buf_release(&msg);
}

static void __attribute__((format(printf, 3, 4))) err(vctx *c, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verr(c, DIAG_ERROR, line, fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 3, 4))) warn(vctx *c, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verr(c, DIAG_WARNING, line, fmt, ap);
	va_end(ap);
}

/* What was written, for "(got ...)": a string quoted (cut at 60 bytes), else its kind. */
static void put_got(buf *out, const value *v)
{
	if (!v || v->kind != VAL_STRING) {
		buf_puts(out, value_kind_article(v ? v->kind : VAL_NULL));
		return;
	}
	size_t n = strlen(v->u.str.ptr);
	int cut = 0;
	if (n > 60) {
		n = 60;
		while (n > 0 && ((unsigned char)v->u.str.ptr[n] & 0xC0) == 0x80)
			n--;
		cut = 1;
	}
	buf_putc(out, '\'');
	buf_put(out, v->u.str.ptr, n);
	buf_puts(out, cut ? "...'" : "'");
}

/* "'name' must be WANT (got ...)" at the value's line. */
static void bad(vctx *c, const char *name, const value *v, const char *want)
{
	buf got = BUF_INIT;
	put_got(&got, v);
	err(c, v && v->line ? v->line : c->line0, "'%s' must be %s (got %s)", name, want, got.ptr);
	buf_release(&got);
}

/* A value of the wrong kind: "'name' must be a list (got a string)". */
static void bad_kind(vctx *c, const char *name, const value *v, const char *want)
{
	err(c, v && v->line ? v->line : c->line0, "'%s' must be %s (got %s)", name, want,
		value_kind_article(v ? v->kind : VAL_NULL));
}

static void put_options(buf *out, const char *const *options)
{
	for (size_t i = 0; options[i]; i++)
		buf_printf(out, "%s%s", i ? ", " : "", options[i]);
}

/* ---- typed getters: each reports what is wrong and returns NULL for a bad value ---- */

/* A key given as null ("website:") counts as not given. */
static value *get(const value *m, const char *key)
{
	value *v = value_map_get(m, key);
	return v && v->kind != VAL_NULL ? v : NULL;
}

static void missing(vctx *c, int line, const char *name, const char *want)
{
	err(c, line, "'%s' is required (expected %s)", name, want);
}

static const char *get_str(vctx *c, const value *m, const char *key, const char *name, int required,
	int mline)
{
	value *v = get(m, key);
	if (!v) {
		if (required)
			missing(c, mline, name, "a string");
		return NULL;
	}
	if (v->kind != VAL_STRING) {
		bad_kind(c, name, v, "a string");
		return NULL;
	}
	return v->u.str.ptr;
}

/*
 * A string that is published as a link: it passes url_check() with allow, or
 * (URL_EMAIL_OK) is an e-mail address. NULL, with an error at its line, when not.
 */
#define URL_EMAIL_OK 0x100
static const char *get_url(vctx *c, const value *m, const char *key, const char *name,
	unsigned allow)
{
	const char *s = get_str(c, m, key, name, 0, 0);
	if (!s)
		return NULL;
	value *v = get(m, key);
	size_t n = v->u.str.len;
	const char *why = NULL;
	if ((allow & URL_EMAIL_OK) && url_is_email(s, n))
		return s;
	if (url_check(s, n, allow & ~(unsigned)URL_EMAIL_OK, &why) == 0)
		return s;
	buf want = BUF_INIT;
	buf_printf(&want, "%s%s", (allow & URL_EMAIL_OK) ? "an e-mail address or " : "", why);
	bad(c, name, v, want.ptr);
	buf_release(&want);
	return NULL;
}

static const char *get_date(vctx *c, const value *m, const char *key, const char *name,
	int required, int mline)
{
	value *v = get(m, key);
	if (!v) {
		if (required)
			missing(c, mline, name, "an ISO date YYYY-MM-DD");
		return NULL;
	}
	if (v->kind != VAL_STRING || !is_iso_date(v->u.str.ptr)) {
		bad(c, name, v, "an ISO date YYYY-MM-DD");
		return NULL;
	}
	return v->u.str.ptr;
}

static const char *get_enum(vctx *c, const value *m, const char *key, const char *name,
	const char *const *options, int required, int mline)
{
	value *v = get(m, key);
	buf want = BUF_INIT;
	buf_puts(&want, "one of ");
	put_options(&want, options);
	const char *res = NULL;
	if (!v) {
		if (required)
			missing(c, mline, name, want.ptr);
	} else if (v->kind == VAL_STRING) {
		for (size_t i = 0; options[i] && !res; i++)
			if (strcmp(v->u.str.ptr, options[i]) == 0)
				res = v->u.str.ptr;
		if (!res)
			bad(c, name, v, want.ptr);
	} else {
		bad(c, name, v, want.ptr);
	}
	buf_release(&want);
	return res;
}

static value *get_kind(vctx *c, const value *m, const char *key, const char *name, value_kind k,
	int required, int mline)
{
	value *v = get(m, key);
	if (!v) {
		if (required)
			missing(c, mline, name, value_kind_article(k));
		return NULL;
	}
	if (v->kind != k) {
		bad_kind(c, name, v, value_kind_article(k));
		return NULL;
	}
	return v;
}

static value *get_list(vctx *c, const value *m, const char *key, const char *name, int required,
	int mline)
{
	return get_kind(c, m, key, name, VAL_LIST, required, mline);
}

static value *get_map(vctx *c, const value *m, const char *key, const char *name, int required,
	int mline)
{
	return get_kind(c, m, key, name, VAL_MAP, required, mline);
}

/* A list whose every item is a string; the list itself, or NULL. */
static value *get_str_list(vctx *c, const value *m, const char *key, const char *name)
{
	value *l = get_list(c, m, key, name, 0, 0);
	if (!l)
		return NULL;
	int ok = 1;
	for (size_t i = 0; i < l->u.list.n; i++) {
		value *it = l->u.list.items[i];
		if (it->kind != VAL_STRING) {
			bad_kind(c, name, it, "a list of strings");
			ok = 0;
		}
	}
	return ok ? l : NULL;
}

/* A list of maps: items that are not maps are reported and skipped by the callers' loop. */
static value *item_map(vctx *c, const char *name, value *it)
{
	if (it->kind != VAL_MAP) {
		bad_kind(c, name, it, "a list of maps");
		return NULL;
	}
	return it;
}

static int in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

/* ---- ordering ---- */

/*
 * Finnish order without the locale (strcoll would make the output depend on
 * the machine): letters case-folded in ASCII order, then å, ä, ö after z,
 * other bytes after those; byte order breaks ties.
 */
static int fi_weight(const unsigned char **p)
{
	const unsigned char *s = *p;
	int c = s[0];
	if (c == 0xC3 && s[1]) {
		int w = -1;
		switch (s[1]) {
		case 0xA5: case 0x85: w = 'z' * 4 + 1; break;  /* å Å */
		case 0xA4: case 0x84: w = 'z' * 4 + 2; break;  /* ä Ä */
		case 0xB6: case 0x96: w = 'z' * 4 + 3; break;  /* ö Ö */
		}
		if (w >= 0) {
			*p = s + 2;
			return w;
		}
	}
	*p = s + 1;
	if (c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	return c < 0x80 ? c * 4 : 1024 + c;
}

static int fi_cmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
	while (*p && *q) {
		int wa = fi_weight(&p), wb = fi_weight(&q);
		if (wa != wb)
			return wa < wb ? -1 : 1;
	}
	if (*p || *q)
		return *p ? 1 : -1;
	return strcmp(a, b);
}

static const char *muni_name(const record *r)
{
	const char *n = value_map_str(r->meta, "name");
	return n ? n : r->title;
}

static int cmp_rinfo_path(const void *a, const void *b)
{
	return strcmp(((const rinfo *)a)->r->path, ((const rinfo *)b)->r->path);
}

static int cmp_rec_url(const void *a, const void *b)
{
	const record *x = *(record *const *)a, *y = *(record *const *)b;
	int c = strcmp(x->url, y->url);
	return c ? c : strcmp(x->path, y->path);
}

static int cmp_rec_slug(const void *a, const void *b)
{
	const record *x = *(record *const *)a, *y = *(record *const *)b;
	int c = strcmp(x->slug, y->slug);
	return c ? c : strcmp(x->path, y->path);
}

static int cmp_rec_name(const void *a, const void *b)
{
	const record *x = *(record *const *)a, *y = *(record *const *)b;
	int c = fi_cmp(muni_name(x), muni_name(y));
	return c ? c : strcmp(x->slug, y->slug);
}

static int cmp_region(const void *a, const void *b)
{
	return strcmp(((const region *)a)->slug, ((const region *)b)->slug);
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const model_file *)a)->path, ((const model_file *)b)->path);
}

/* qsort() must not be given a NULL array, even an empty one. */
static void sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

/* ---- lookups ---- */

record *site_find_record(const site *s, const char *path)
{
	if (!s || !path)
		return NULL;
	size_t lo = 0, hi = s->n_records;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->records[mid]->path, path);
		if (c == 0)
			return s->records[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

record *site_find_url(const site *s, const char *url)
{
	if (!s || !url)
		return NULL;
	const site_priv *sp = (const site_priv *)s;
	size_t lo = 0, hi = s->n_records;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(sp->by_url[mid]->url, url);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n_records && strcmp(sp->by_url[lo]->url, url) == 0 ? sp->by_url[lo] : NULL;
}

record *site_find_municipality(const site *s, const char *slug)
{
	if (!s || !slug)
		return NULL;
	const site_priv *sp = (const site_priv *)s;
	size_t lo = 0, hi = sp->n_munis;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(sp->munis[mid]->slug, slug);
		if (c == 0)
			return sp->munis[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

region *site_find_region(const site *s, const char *slug)
{
	if (!s || !slug)
		return NULL;
	size_t lo = 0, hi = s->n_regions;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->regions[mid].slug, slug);
		if (c == 0)
			return &s->regions[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const theme_def *site_find_theme(const site *s, const char *slug)
{
	for (size_t i = 0; s && slug && i < s->n_themes; i++)
		if (strcmp(s->themes[i].slug, slug) == 0)
			return &s->themes[i];
	return NULL;
}

const model_file *site_find_file(const site *s, const char *path)
{
	if (!s || !path)
		return NULL;
	size_t lo = 0, hi = s->n_files;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->files[mid].path, path);
		if (c == 0)
			return &s->files[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *theme_name(const theme_def *t, const char *lang)
{
	if (!t)
		return NULL;
	const char *n = lang ? value_map_str(t->name, lang) : NULL;
	if (!n)
		n = value_map_str(t->name, "fi");
	return n ? n : t->slug;
}

static area *region_find_area(const region *g, const char *slug)
{
	for (size_t i = 0; g && slug && i < g->n_areas; i++)
		if (strcmp(g->areas[i].slug, slug) == 0)
			return &g->areas[i];
	return NULL;
}

/* ---- paths and links ---- */

char *path_join_normalize(const char *dir, const char *rel)
{
	buf joined = BUF_INIT, out = BUF_INIT;
	/* A leading '/' means the content root, whatever the folder. */
	if (rel[0] != '/' && dir)
		buf_printf(&joined, "%s/", dir);
	buf_puts(&joined, rel);
	size_t *starts = NULL, n = 0, cap = 0;
	const char *p = joined.ptr;
	int ok = 1;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		if (len == 0 || (len == 1 && p[0] == '.')) {
			/* nothing: "a//b" and "a/./b" are "a/b" */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (n == 0) {
				ok = 0;
				break;
			}
			buf_truncate(&out, starts[--n]);
		} else {
			starts = xgrow(starts, sizeof(*starts), n + 1, &cap);
			starts[n++] = out.len;
			if (out.len)
				buf_putc(&out, '/');
			buf_put(&out, p, len);
		}
		p += len;
		if (*p == '/')
			p++;
	}
	free(starts);
	buf_release(&joined);
	if (!ok) {
		buf_release(&out);
		return NULL;
	}
	return buf_detach(&out, NULL);
}

/* The folder of a content path ("a/b/c.md" -> "a/b", "c.md" -> ""), malloc'd. */
static char *path_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup("");
}

static char *top_folder(const char *path)
{
	const char *slash = strchr(path, '/');
	return slash ? xstrndup(path, (size_t)(slash - path)) : NULL;
}

/* Files of the site's own machinery, never published: site.yaml, hooks, templates, hidden files. */
static int site_machinery(const char *path)
{
	return strcmp(path, "site.yaml") == 0 || str_has_prefix(path, "hooks/") ||
		str_has_prefix(path, "templates/") || path[0] == '.' || strstr(path, "/.") != NULL;
}

int site_publishable_type(const char *path)
{
	static const char *const types[] = {
		".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp",
		".rtf", ".txt", ".csv", ".tsv", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif",
	};
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash : path, '.');
	if (!dot)
		return 0;
	for (size_t i = 0; i < sizeof types / sizeof *types; i++)
		if (strcasecmp(dot, types[i]) == 0)
			return 1;
	return 0;
}

/* The file at content path p, if it is one a record may name (nothing of the machinery, no record). */
static const model_file *nameable(const site *s, const char *p)
{
	return p && !site_machinery(p) && !str_has_suffix(p, ".md") ? site_find_file(s, p) : NULL;
}

const model_file *site_resolve_file(const site *s, const char *from_path, const char *written,
	buf *why)
{
	buf_reset(why);
	if (!written || !*written) {
		buf_puts(why, "an empty file name");
		return NULL;
	}
	char *dir = path_dir(from_path ? from_path : "");
	char *top = top_folder(from_path ? from_path : "");
	const char *rdir = top && site_find_region(s, top) ? top : NULL;
	char *tries[2] = { NULL, NULL };
	tries[0] = path_join_normalize(written[0] == '/' ? "" : dir, written);
	if (written[0] != '/' && rdir && strcmp(dir, rdir) != 0)
		tries[1] = path_join_normalize(rdir, written);
	const model_file *f = NULL;
	for (int i = 0; i < 2 && !f; i++)
		f = nameable(s, tries[i]);
	if (f && !s->raw_files && !site_publishable_type(f->path)) {
		buf_printf(why, "'%s' is of a type that is not published (expected PDF, office "
			"documents, images other than SVG, CSV, TSV or text; SVG, HTML and scripts can "
			"run code in a reader's browser: see raw_files in site.yaml)", written);
		f = NULL;
	} else if (!f && !tries[0]) {
		buf_printf(why, "'%s' leaves the content folder", written);
	} else if (!f && site_machinery(tries[0])) {
		buf_printf(why, "'%s' is one of the site's own files (site.yaml, hooks, templates, "
			"hidden files), which are not published", written);
	} else if (!f) {
		buf_printf(why, "'%s' does not exist at this revision (looked for '%s'", written,
			tries[0]);
		if (tries[1])
			buf_printf(why, " and '%s'", tries[1]);
		buf_putc(why, ')');
	}
	free(tries[0]);
	free(tries[1]);
	free(top);
	free(dir);
	return f;
}

const char *site_reader_read(void *opaque, const char *written, size_t *len, const char **path,
	buf *why)
{
	const site_reader *rd = opaque;
	const model_file *f = site_resolve_file(rd->s, rd->from, written, why);
	if (!f || !f->data)
		return NULL;
	if (rd->note)
		rd->note(rd->ud, f);
	*len = f->len;
	*path = f->path;
	return f->data;
}

static int has_scheme(const char *t)
{
	/* "http:", "mailto:", "javascript:" ...: letters, then ':' before any '/'. */
	const char *p = t;
	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return 0;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')
			|| *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':';
}

record *site_resolve_link(const site *s, const record *from, const char *target,
	const char **fragment)
{
	if (fragment)
		*fragment = NULL;
	if (!s || !target)
		return NULL;
	const char *hash = strchr(target, '#');
	size_t n = hash ? (size_t)(hash - target) : strlen(target);
	if (hash && fragment)
		*fragment = hash + 1;
	if (n == 0 || has_scheme(target) || (n >= 2 && target[0] == '/' && target[1] == '/'))
		return NULL;
	char *t = xstrndup(target, n);
	/* A query string has no meaning for a static page. */
	char *q = strchr(t, '?');
	if (q)
		*q = '\0';
	record *r = NULL;
	if (t[0] == '/') {
		char *norm = path_join_normalize("", t);
		if (norm && str_has_suffix(norm, ".md")) {
			r = site_find_record(s, norm);
		} else if (norm && norm[0]) {
			char *url = xasprintf("/%s/", norm);
			r = site_find_url(s, url);
			free(url);
		}
		free(norm);
	} else if (str_has_suffix(t, ".md")) {
		char *dir = path_dir(from ? from->path : "");
		char *norm = path_join_normalize(dir, t);
		if (norm)
			r = site_find_record(s, norm);
		free(norm);
		free(dir);
	}
	free(t);
	return r;
}

/* ---- site.yaml ---- */

static int is_lang_code(const char *s)
{
	return s && strlen(s) == 2 && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z';
}

static void load_config(site_priv *sp, const model_file *f, const model_opts *o, diag_list *d)
{
	site *s = &sp->pub;
	char *file = xasprintf("%ssite.yaml", s->content_prefix);
	vctx c = { sp, d, NULL, file, 1, o ? o->strict : 0 };
	value *cfg = NULL;
	if (!f) {
		diag_error(d, file, 0, "missing site settings (expected a file 'site.yaml' at the "
			"content root)");
	} else {
		cfg = yaml_parse(f->data, f->len, file, 1, d);
		if (cfg && cfg->kind != VAL_MAP) {
			err(&c, cfg->line ? cfg->line : 1, "site settings must be a map of keys "
				"(got %s)", value_kind_article(cfg->kind));
			value_free(cfg);
			cfg = NULL;
		}
	}
	int valid = cfg != NULL;
	if (!cfg)
		cfg = value_map(1);
	s->config = cfg;

	/* Defaults first, so that a broken site.yaml still lets every record be checked. */
	s->title = "";
	s->base_url = "";
	if (valid) {
		value *t = get(cfg, "title");
		if (!t)
			missing(&c, 1, "title", "the site's title");
		else if (t->kind != VAL_STRING || !t->u.str.ptr[0])
			bad(&c, "title", t, "a non-empty string");
		else
			s->title = t->u.str.ptr;
	}

	const char *bu = get_url(&c, cfg, "base_url", "base_url", URL_WEB);
	if (bu && strpbrk(bu, "?#")) {
		bad(&c, "base_url", get(cfg, "base_url"),
			"the site's address without '?' or '#' (e.g. https://avoin.example.fi/)");
		bu = NULL;
	}
	if (bu && bu[0]) {
		sp->base_url = str_has_suffix(bu, "/") ? xstrdup(bu) : xasprintf("%s/", bu);
		s->base_url = sp->base_url;
	}

	value *langs = get_list(&c, cfg, "languages", "languages", 0, 1);
	size_t nl = 0;
	/* Room for the default and a NULL end, so the array also serves as an option list. */
	s->languages = xcalloc(value_len(langs) + 2, sizeof(*s->languages));
	for (size_t i = 0; langs && i < langs->u.list.n; i++) {
		value *l = langs->u.list.items[i];
		if (l->kind != VAL_STRING || !is_lang_code(l->u.str.ptr)) {
			bad(&c, "languages", l, "a list of two-letter language codes (fi, sv, en)");
			continue;
		}
		int dup = 0;
		for (size_t j = 0; j < nl; j++)
			dup |= strcmp(s->languages[j], l->u.str.ptr) == 0;
		if (dup)
			err(&c, l->line, "'languages' names '%s' twice", l->u.str.ptr);
		else
			s->languages[nl++] = l->u.str.ptr;
	}
	if (nl == 0)
		s->languages[nl++] = "fi";
	s->n_languages = nl;

	value *themes = get_list(&c, cfg, "themes", "themes", 0, 1);
	s->themes = xcalloc(value_len(themes) + 1, sizeof(*s->themes));
	for (size_t i = 0; themes && i < themes->u.list.n; i++) {
		value *t = item_map(&c, "themes", themes->u.list.items[i]);
		if (!t)
			continue;
		const char *slug = get_str(&c, t, "slug", "themes.slug", 1, t->line);
		value *name = get_map(&c, t, "name", "themes.name", 1, t->line);
		for (size_t j = 0; name && j < name->u.map.n; j++)
			if (name->u.map.vals[j]->kind != VAL_STRING)
				bad_kind(&c, "themes.name", name->u.map.vals[j],
					"a map of names by language");
		if (!slug)
			continue;
		if (!is_slug(slug)) {
			err(&c, get(t, "slug")->line, "'%s' is not a valid slug (expected "
				"lower-case letters a-z, digits and '-')", slug);
			continue;
		}
		if (site_find_theme(s, slug)) {
			err(&c, get(t, "slug")->line, "theme '%s' is defined twice", slug);
			continue;
		}
		s->themes[s->n_themes].slug = xstrdup(slug);
		s->themes[s->n_themes].name = name ? value_ref(name) : value_map(0);
		s->n_themes++;
	}

	value *acc = get_map(&c, cfg, "accessibility", "accessibility", 0, 1);
	if (acc) {
		get_url(&c, acc, "contact", "accessibility.contact", URL_WEB | URL_EMAIL_OK);
		value *auth = get_map(&c, acc, "authority", "accessibility.authority", 0, 0);
		if (auth) {
			get_str(&c, auth, "name", "accessibility.authority.name", 0, 0);
			get_url(&c, auth, "url", "accessibility.authority.url", URL_WEB);
		}
	}
	value *hk = get_map(&c, cfg, "hooks", "hooks", 0, 1);
	if (hk) {
		/* the ranges build.c's hook_limits_from() takes: nothing out of them is ignored */
		static const struct { const char *key, *want; double lo, hi; } limits[] = {
			{ "memory_mb", "a whole number of MiB from 1 to 4096", 1, 4096 },
			{ "instructions", "a whole number from 1000 to 1000000000000", 1000, 1e12 },
			{ "seconds", "a whole number of seconds from 1 to 600", 1, 600 },
		};
		for (size_t i = 0; i < sizeof limits / sizeof *limits; i++) {
			value *v = get(hk, limits[i].key);
			char name[32];
			snprintf(name, sizeof(name), "hooks.%s", limits[i].key);
			if (v && (v->kind != VAL_NUMBER || v->u.number < limits[i].lo ||
					v->u.number > limits[i].hi || v->u.number != (double)(long long)v->u.number))
				bad(&c, name, v, limits[i].want);
		}
	}
	get_str_list(&c, cfg, "page_hooks", "page_hooks");
	value *raw = get_kind(&c, cfg, "raw_files", "raw_files", VAL_BOOL, 0, 1);
	s->raw_files = raw && raw->u.boolean;
	free(file);
}

/* ---- records ---- */

/* "a/b/c.md" -> "c" */
static char *path_slug(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (n >= 3 && strcmp(base + n - 3, ".md") == 0)
		n -= 3;
	return xstrndup(base, n);
}

/* The first path segment (folder or file name without .md) that is not a slug, malloc'd. */
static char *bad_segment(const char *path)
{
	const char *p = path;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (!slash && n >= 3 && strcmp(p + n - 3, ".md") == 0)
			n -= 3;
		char *seg = xstrndup(p, n);
		if (!is_slug(seg))
			return seg;
		free(seg);
		if (!slash)
			return NULL;
		p = slash + 1;
	}
}


static void add_record_muni(record *r, record *m)
{
	for (size_t i = 0; i < r->n_municipalities; i++)
		if (r->municipalities[i] == m)
			return;
	r->municipalities = xrealloc(r->municipalities,
		(r->n_municipalities + 1) * sizeof(record *));
	r->municipalities[r->n_municipalities++] = m;
}

/* A municipality of region g (any municipality of the site when g is NULL), or NULL. */
static record *region_muni(const site *s, const region *g, const char *slug)
{
	record *m = site_find_municipality(s, slug);
	if (m && g && m->region != g)
		return NULL;
	return m;
}

static void report_unknown_muni(vctx *c, const char *name, const value *it, const region *g)
{
	if (g)
		err(c, it->line, "'%s' names '%s', which is not a municipality of region '%s'",
			name, it->u.str.ptr, g->slug);
	else
		err(c, it->line, "'%s' names '%s', which is not a municipality of this site", name,
			it->u.str.ptr);
}

/* Reads one record: front matter, path rules and type. NULL when it cannot be a record. */
static record *record_read(site_priv *sp, const model_file *f, rinfo *ri, diag_list *d)
{
	site *s = &sp->pub;
	char *file = xasprintf("%s%s", s->content_prefix, f->path);
	vctx c = { sp, d, NULL, file, 1, 0 };
	if (strcmp(f->path, "index.md") == 0) {
		err(&c, 1, "'index.md' is not allowed at the content root (the front page is "
			"generated; expected another file name)");
		free(file);
		return NULL;
	}
	value *meta;
	const char *body;
	size_t body_len;
	int body_line;
	if (frontmatter_split_cached(sp->fm, f->oid, f->data, f->len, file, &meta, &body, &body_len,
			&body_line, d) < 0) {
		free(file);
		return NULL;
	}
	record *r = xcalloc(1, sizeof(*r));
	r->path = xstrdup(f->path);
	r->file = file;
	r->oid = xstrdup(f->oid ? f->oid : "");
	r->meta = meta;
	r->body = body;
	r->body_len = body_len;
	r->body_line = body_line;
	size_t ctl = text_control_at(body, body_len);
	if (ctl != (size_t)-1) {
		int line = body_line;
		for (size_t i = 0; i < ctl; i++)
			line += body[i] == '\n';
		err(&c, line, "the text holds the control character U+%04X (expected text; "
			"remove the character)", (unsigned char)body[ctl]);
	}
	r->title = "";
	r->lang = s->languages[0];
	r->type = REC_PAGE;
	c.r = r;

	char *seg = bad_segment(f->path);
	if (seg) {
		err(&c, 1, "'%s' is not a valid slug (expected lower-case letters a-z, digits "
			"and '-')", seg);
		free(seg);
	}

	char *top = top_folder(f->path);
	int is_region_md = 0;
	if (top) {
		r->region = site_find_region(s, top);
		char *rmd = xasprintf("%s/region.md", top);
		is_region_md = r->region && strcmp(f->path, rmd) == 0;
		free(rmd);
	}
	if (is_region_md) {
		r->slug = xstrdup(top);
		r->url = xasprintf("/%s/", top);
	} else {
		r->slug = path_slug(f->path);
		r->url = xasprintf("/%.*s/", (int)(strlen(f->path) - 3), f->path);
	}
	const char *kept = urls_reserved_for(r->url);
	if (kept)
		err(&c, 1, "the URL '%s' is kept for %s (expected another file or folder name)",
			r->url, kept);

	value *tv = value_map_get(meta, "type");
	ri->r = r;
	ri->line0 = tv && tv->line ? tv->line : (meta->line ? meta->line : 2);
	c.line0 = ri->line0;
	buf want = BUF_INIT;
	buf_puts(&want, "one of ");
	put_options(&want, type_names);
	if (!tv || tv->kind == VAL_NULL) {
		missing(&c, ri->line0, "type", want.ptr);
	} else if (tv->kind != VAL_STRING || record_type_parse(tv->u.str.ptr, &r->type) < 0) {
		bad(&c, "type", tv, want.ptr);
	} else {
		ri->type_ok = 1;
	}
	buf_release(&want);

	if (ri->type_ok) {
		if (!top && r->type != REC_PAGE) {
			err(&c, ri->line0, "a record at the content root must be of type 'page' "
				"(got '%s')", type_names[r->type]);
			ri->type_ok = 0;
		} else if (is_region_md && r->type != REC_REGION) {
			err(&c, ri->line0, "'type' must be 'region' in a region's region.md "
				"(got '%s')", type_names[r->type]);
			ri->type_ok = 0;
		} else if (!is_region_md && r->type == REC_REGION) {
			err(&c, ri->line0, "type 'region' is only allowed in a region folder's "
				"region.md (expected %s/region.md)", top ? top : "<region>");
			ri->type_ok = 0;
		}
	}
	free(top);
	return r;
}

/* Reading and parsing records is independent per file: done on several threads. */
typedef struct read_job {
	site_priv *sp;
	const model_file *files;
	size_t n, index, count;
	rinfo *ri;
	diag_list *ds;           /* one list per file, merged in file order */
} read_job;

static int is_record_file(const char *p)
{
	return strcmp(p, "site.yaml") != 0 && !str_has_prefix(p, "hooks/") && str_has_suffix(p, ".md");
}

static void *read_records(void *arg)
{
	read_job *j = arg;
	for (size_t i = j->index; i < j->n; i += j->count)
		if (is_record_file(j->files[i].path))
			record_read(j->sp, &j->files[i], &j->ri[i], &j->ds[i]);
	return NULL;
}

/*
 * ri[i] for files[i]: its record (ri[i].r NULL for other files and for files
 * that cannot be read). Diagnostics are added in file order, as one thread would.
 */
static void read_all_records(site_priv *sp, const model_file *files, size_t n, rinfo *ri,
	size_t jobs, diag_list *d)
{
	if (jobs < 1)
		jobs = 1;
	if (jobs > 64)
		jobs = 64;
	diag_list *ds = xcalloc(n + 1, sizeof(diag_list));
	read_job js[64];
	for (size_t k = 0; k < jobs; k++)
		js[k] = (read_job){ sp, files, n, k, jobs, ri, ds };
	run_threads(js, jobs, sizeof(*js), read_records);
	for (size_t i = 0; i < n; i++)
		diag_merge(d, &ds[i]);
	free(ds);
}

static void check_unknown_keys(vctx *c, const record *r)
{
	const value *m = r->meta;
	for (size_t i = 0; i < m->u.map.n; i++) {
		const char *k = m->u.map.keys[i];
		if (in_list(common_keys, k) || in_list(type_keys[r->type], k))
			continue;
		warn(c, m->u.map.vals[i]->line, "unknown key '%s' for type '%s' (kept for "
			"templates and hooks)", k, type_names[r->type]);
	}
}

/* The `municipalities` key: each a municipality of the record's region. */
static void check_municipalities(vctx *c, record *r)
{
	value *l = get_str_list(c, r->meta, "municipalities", "municipalities");
	for (size_t i = 0; l && i < l->u.list.n; i++) {
		value *it = l->u.list.items[i];
		record *m = region_muni(&c->sp->pub, r->region, it->u.str.ptr);
		if (!m)
			report_unknown_muni(c, "municipalities", it, r->region);
		else
			add_record_muni(r, m);
	}
}

static void check_themes(vctx *c, const value *m, const char *key)
{
	const site *s = &c->sp->pub;
	value *l = get_str_list(c, m, key, key);
	for (size_t i = 0; l && i < l->u.list.n; i++) {
		value *it = l->u.list.items[i];
		if (site_find_theme(s, it->u.str.ptr))
			continue;
		buf want = BUF_INIT;
		for (size_t j = 0; j < s->n_themes; j++)
			buf_printf(&want, "%s%s", j ? ", " : "", s->themes[j].slug);
		err(c, it->line, "'%s' names '%s', which is not a theme of site.yaml (expected "
			"one of %s)", key, it->u.str.ptr,
			s->n_themes ? want.ptr : "no themes: none are defined");
		buf_release(&want);
	}
}

/* A file a record names (an annex, an indicator file): found by the one rule, or an error. */
static void check_site_file(vctx *c, const record *r, const value *v, const char *what)
{
	buf why = BUF_INIT;
	if (!site_resolve_file(&c->sp->pub, r->path, v->u.str.ptr, &why))
		err(c, v->line, "%s %s", what, why.ptr);
	buf_release(&why);
}

static void check_agreement(vctx *c, record *r)
{
	const value *m = r->meta;
	const site *s = &c->sp->pub;
	get_enum(c, m, "status", "status", agreement_status, 1, c->line0);
	get_date(c, m, "signed", "signed", 0, 0);
	const char *from = get_date(c, m, "valid_from", "valid_from", 0, 0);
	const char *until = get_date(c, m, "valid_until", "valid_until", 0, 0);
	if (from && until && strcmp(until, from) < 0)
		err(c, get(m, "valid_until")->line,
			"'valid_until' (%s) is before 'valid_from' (%s)", until, from);
	value *parties = get_str_list(c, m, "parties", "parties");
	for (size_t i = 0; parties && i < parties->u.list.n; i++) {
		value *it = parties->u.list.items[i];
		const char *p = it->u.str.ptr;
		if (is_slug(p) && !site_find_region(s, p) && !site_find_municipality(s, p))
			err(c, it->line, "'parties' names '%s', which is neither a region nor a "
				"municipality (expected a region or municipality slug, or an "
				"organisation's name)", p);
	}
	get_str(c, m, "legal_basis", "legal_basis", 0, 0);
	value *annexes = get_list(c, m, "annexes", "annexes", 0, 0);
	for (size_t i = 0; annexes && i < annexes->u.list.n; i++) {
		value *a = item_map(c, "annexes", annexes->u.list.items[i]);
		if (!a)
			continue;
		get_str(c, a, "title", "annexes.title", 0, a->line);
		if (get_str(c, a, "file", "annexes.file", 1, a->line))
			check_site_file(c, r, get(a, "file"), "annex");
	}
}

static void check_minutes(vctx *c, record *r)
{
	const value *m = r->meta;
	get_str(c, m, "body", "body", 0, 0);
	value *sec = get(m, "section");
	if (sec && sec->kind != VAL_NUMBER && sec->kind != VAL_STRING)
		bad(c, "section", sec, "a number or a string");
	get_str(c, m, "diary", "diary", 0, 0);
	value *prep = get(m, "preparers");
	if (prep && prep->kind != VAL_STRING)
		get_str_list(c, m, "preparers", "preparers");
}

static void check_negotiation(vctx *c, record *r)
{
	const value *m = r->meta;
	get_enum(c, m, "kind", "kind", negotiation_kinds, 0, 0);
	get_str_list(c, m, "participants", "participants");
	value *outcomes = get_list(c, m, "outcomes", "outcomes", 0, 0);
	for (size_t i = 0; outcomes && i < outcomes->u.list.n; i++) {
		value *o = item_map(c, "outcomes", outcomes->u.list.items[i]);
		if (!o)
			continue;
		get_str(c, o, "action", "outcomes.action", 1, o->line);
		get_str(c, o, "owner", "outcomes.owner", 0, 0);
		get_date(c, o, "due", "outcomes.due", 0, 0);
		get_enum(c, o, "status", "outcomes.status", outcome_status, 0, 0);
	}
	get_date(c, m, "next", "next", 0, 0);
}

static int is_year(const char *s, size_t n)
{
	if (n != 4)
		return 0;
	for (size_t i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static void check_report(vctx *c, record *r)
{
	const value *m = r->meta;
	get_enum(c, m, "kind", "kind", report_kinds, 0, 0);
	value *period = get(m, "period");
	if (period) {
		int ok = 0;
		if (period->kind == VAL_STRING) {
			const char *p = period->u.str.ptr;
			size_t n = strlen(p);
			ok = is_year(p, n) || (n == 9 && is_year(p, 4) && p[4] == '-'
				&& is_year(p + 5, 4) && strncmp(p, p + 5, 4) <= 0);
		} else if (period->kind == VAL_NUMBER) {
			/* "period: 2024" is read as a number; a year is what was meant. */
			double y = period->u.number;
			ok = y >= 1000 && y <= 9999 && y == (double)(long)y;
		}
		if (!ok)
			bad(c, "period", period, "a year YYYY or a span YYYY-YYYY");
	}
	get_str_list(c, m, "priorities", "priorities");
	value *ap = get_map(c, m, "approved", "approved", 0, 0);
	if (ap) {
		get_str(c, ap, "by", "approved.by", 0, 0);
		get_date(c, ap, "date", "approved.date", 0, 0);
	}
	value *ind = get_str_list(c, m, "indicators", "indicators");
	for (size_t i = 0; ind && i < ind->u.list.n; i++)
		check_site_file(c, r, ind->u.list.items[i], "indicator");
}

static void check_partnership(vctx *c, record *r)
{
	const value *m = r->meta;
	const site *s = &c->sp->pub;
	const char *a = get_str(c, m, "area", "area", 0, 0);
	area *ar = NULL;
	if (a) {
		ar = region_find_area(r->region, a);
		if (!ar && r->region) {
			buf want = BUF_INIT;
			for (size_t i = 0; i < r->region->n_areas; i++)
				buf_printf(&want, "%s%s", i ? ", " : "", r->region->areas[i].slug);
			const char *none = "the areas of its region.md: it has none";
			err(c, get(m, "area")->line, "'area' names '%s', which is not an area of "
				"region '%s' (expected one of %s)", a, r->region->slug,
				r->region->n_areas ? want.ptr : none);
			buf_release(&want);
		}
	}
	value *members = get_list(c, m, "members", "members", 0, 0);
	for (size_t i = 0; members && i < members->u.list.n; i++) {
		value *mb = item_map(c, "members", members->u.list.items[i]);
		if (!mb)
			continue;
		get_str(c, mb, "organisation", "members.organisation", 1, mb->line);
		get_enum(c, mb, "sector", "members.sector", member_sectors, 0, 0);
		get_str(c, mb, "role", "members.role", 0, 0);
		if (get_str(c, mb, "municipality", "members.municipality", 0, 0)) {
			value *it = get(mb, "municipality");
			if (!region_muni(s, r->region, it->u.str.ptr))
				report_unknown_muni(c, "members.municipality", it, r->region);
		}
	}
	get_str(c, m, "meets", "meets", 0, 0);
	value *nm = get_list(c, m, "next_meetings", "next_meetings", 0, 0);
	for (size_t i = 0; nm && i < nm->u.list.n; i++) {
		value *it = nm->u.list.items[i];
		if (it->kind != VAL_STRING || !is_iso_date(it->u.str.ptr))
			bad(c, "next_meetings", it, "a list of ISO dates YYYY-MM-DD");
	}
	value *ct = get_map(c, m, "contact", "contact", 0, 0);
	if (ct) {
		get_str(c, ct, "name", "contact.name", 0, 0);
		const char *em = get_str(c, ct, "email", "contact.email", 0, 0);
		if (em && !url_is_email(em, get(ct, "email")->u.str.len))
			bad(c, "contact.email", get(ct, "email"), "one e-mail address "
				"(e.g. etunimi.sukunimi@kunta.fi)");
	}
	get_str(c, m, "join", "join", 0, 0);
	/* Without its own list, a partnership concerns the municipalities of its area. */
	if (ar && !get(m, "municipalities"))
		for (size_t i = 0; i < ar->n_municipalities; i++)
			add_record_muni(r, ar->municipalities[i]);
}

static void check_municipality(vctx *c, record *r)
{
	const value *m = r->meta;
	get_str(c, m, "name", "name", 1, c->line0);
	get_str(c, m, "name_sv", "name_sv", 0, 0);
	value *l = get_str_list(c, m, "languages", "languages");
	for (size_t i = 0; l && i < l->u.list.n; i++)
		if (!is_lang_code(l->u.list.items[i]->u.str.ptr))
			bad(c, "languages", l->u.list.items[i],
				"a list of two-letter language codes (fi, sv, en)");
	get_url(c, m, "website", "website", URL_WEB);
}

/* Builds the region's areas from its region.md; needs every municipality known. */
static void load_areas(vctx *c, region *g)
{
	record *r = g->rec;
	const site *s = &c->sp->pub;
	value *areas = get_list(c, r->meta, "areas", "areas", 0, 0);
	g->areas = xcalloc(value_len(areas) + 1, sizeof(*g->areas));
	for (size_t i = 0; areas && i < areas->u.list.n; i++) {
		value *a = item_map(c, "areas", areas->u.list.items[i]);
		if (!a)
			continue;
		const char *slug = get_str(c, a, "slug", "areas.slug", 1, a->line);
		const char *name = get_str(c, a, "name", "areas.name", 1, a->line);
		value *ml = get_str_list(c, a, "municipalities", "areas.municipalities");
		if (!slug)
			continue;
		if (!is_slug(slug)) {
			err(c, get(a, "slug")->line, "'%s' is not a valid slug (expected "
				"lower-case letters a-z, digits and '-')", slug);
			continue;
		}
		if (region_find_area(g, slug)) {
			err(c, get(a, "slug")->line, "area '%s' is defined twice in region '%s'",
				slug, g->slug);
			continue;
		}
		area *ar = &g->areas[g->n_areas++];
		ar->slug = xstrdup(slug);
		ar->name = xstrdup(name ? name : slug);
		for (size_t j = 0; ml && j < ml->u.list.n; j++) {
			value *it = ml->u.list.items[j];
			record *m = region_muni(s, g, it->u.str.ptr);
			if (!m) {
				report_unknown_muni(c, "areas.municipalities", it, g);
				continue;
			}
			const area *other = NULL;
			for (size_t k = 0; k < g->n_areas && !other; k++)
				for (size_t x = 0; x < g->areas[k].n_municipalities; x++)
					if (g->areas[k].municipalities[x] == m)
						other = &g->areas[k];
			if (other) {
				err(c, it->line, "municipality '%s' is in two areas, '%s' and "
					"'%s' (expected at most one area)", m->slug, other->slug,
					ar->slug);
				continue;
			}
			ar->municipalities = xrealloc(ar->municipalities,
				(ar->n_municipalities + 1) * sizeof(record *));
			ar->municipalities[ar->n_municipalities++] = m;
		}
	}
}

static void check_record(vctx *c, rinfo *ri)
{
	record *r = ri->r;
	const site *s = &c->sp->pub;
	const value *m = r->meta;
	c->r = r;
	c->file = r->file;
	c->line0 = ri->line0;

	value *t = get(m, "title");
	if (!t)
		missing(c, ri->line0, "title", "the record's title");
	else if (t->kind != VAL_STRING || !t->u.str.ptr[0])
		bad(c, "title", t, "a non-empty string");
	else
		r->title = t->u.str.ptr;

	int date_required = ri->type_ok && (r->type == REC_MINUTES || r->type == REC_NEGOTIATION);
	const char *date = get_date(c, m, "date", "date", date_required, ri->line0);

	value *lang = get(m, "lang");
	if (lang) {
		size_t i = 0;
		if (lang->kind == VAL_STRING)
			while (i < s->n_languages && strcmp(s->languages[i], lang->u.str.ptr) != 0)
				i++;
		if (lang->kind != VAL_STRING || i == s->n_languages) {
			buf want = BUF_INIT;
			buf_puts(&want, "one of the site's languages ");
			put_options(&want, s->languages);
			bad(c, "lang", lang, want.ptr);
			buf_release(&want);
		} else {
			r->lang = s->languages[i];
		}
	}
	get_str(c, m, "summary", "summary", 0, 0);
	value *draft = get(m, "draft");
	if (draft && draft->kind != VAL_BOOL)
		bad(c, "draft", draft, "true or false");
	r->draft = draft && draft->kind == VAL_BOOL && draft->u.boolean;

	check_themes(c, m, "themes");
	if (!ri->type_ok) {
		check_municipalities(c, r);
		r->date = date;
		return;
	}
	if (c->strict)
		check_unknown_keys(c, r);

	if (r->type == REC_MUNICIPALITY) {
		check_municipality(c, r);
		add_record_muni(r, r);
	} else {
		check_municipalities(c, r);
	}
	switch (r->type) {
	case REC_REGION:
		/* Areas were read before the records (partnerships need them). */
		get_str(c, m, "name", "name", 1, ri->line0);
		get_str(c, m, "name_sv", "name_sv", 0, 0);
		get_str(c, m, "organisation", "organisation", 0, 0);
		break;
	case REC_AGREEMENT: check_agreement(c, r); break;
	case REC_MINUTES: check_minutes(c, r); break;
	case REC_NEGOTIATION: check_negotiation(c, r); break;
	case REC_REPORT: check_report(c, r); break;
	case REC_PARTNERSHIP: check_partnership(c, r); break;
	default: break;
	}

	/* The record's date, as lists and feeds sort by it; only valid dates count. */
	const char *eff = date;
	if (r->type == REC_AGREEMENT) {
		const char *sg = value_map_str(m, "signed"), *vf = value_map_str(m, "valid_from");
		eff = is_iso_date(sg) ? sg : is_iso_date(vf) ? vf : NULL;
	} else if (r->type == REC_REPORT) {
		value *ad = value_get_path(m, "approved.date");
		int ok = ad && ad->kind == VAL_STRING && is_iso_date(ad->u.str.ptr);
		eff = ok ? ad->u.str.ptr : NULL;
	}
	r->date = eff;
}

static void copy_file(model_file *dst, const model_file *src)
{
	char *data = xmalloc(src->len + 1);
	memcpy(data, src->data, src->len);
	data[src->len] = '\0';
	dst->path = xstrdup(src->path);
	dst->data = data;
	dst->len = src->len;
	dst->oid = xstrdup(src->oid ? src->oid : "");
}

void site_release_bodies(site *s)
{
	for (size_t i = 0; s && i < s->n_records; i++) {
		s->records[i]->body = NULL;
		s->records[i]->body_len = 0;
	}
}

site *site_load(const model_file *files, size_t n, const model_opts *o, diag_list *d)
{
	site_priv *sp = xcalloc(1, sizeof(*sp));
	site *s = &sp->pub;
	s->content_prefix = xstrdup(o && o->content_prefix ? o->content_prefix : "");
	int strict = o ? o->strict : 0;

	const model_file *cfg = NULL;
	size_t cap = 0;
	for (size_t i = 0; i < n; i++) {
		const char *p = files[i].path;
		if (strcmp(p, "site.yaml") == 0) {
			cfg = &files[i];
			continue;
		}
		/* Regions first: a record's region must exist, and never move, when it is read. */
		const char *slash = strchr(p, '/');
		if (slash && strcmp(slash, "/region.md") == 0 && !str_has_prefix(p, "hooks/")) {
			s->regions = xgrow(s->regions, sizeof(*s->regions), s->n_regions + 1, &cap);
			memset(&s->regions[s->n_regions], 0, sizeof(*s->regions));
			s->regions[s->n_regions++].slug = xstrndup(p, (size_t)(slash - p));
		}
		if (str_has_prefix(p, "hooks/") || !str_has_suffix(p, ".md"))
			s->n_files++;
	}
	sort(s->regions, s->n_regions, sizeof(*s->regions), cmp_region);
	load_config(sp, cfg, o, d);

	s->files = xcalloc(s->n_files + 1, sizeof(*s->files));
	rinfo *ri = xcalloc(n + 1, sizeof(*ri));
	size_t nf = 0, nr = 0;
	sp->jobs = o && o->jobs > 1 ? o->jobs : 1;
	sp->fm = o ? o->fm : NULL;
	read_all_records(sp, files, n, ri, sp->jobs, d);
	sp->fm = NULL;
	for (size_t i = 0; i < n; i++) {
		const char *p = files[i].path;
		if (strcmp(p, "site.yaml") == 0)
			continue;
		if (str_has_prefix(p, "hooks/") || !str_has_suffix(p, ".md")) {
			copy_file(&s->files[nf++], &files[i]);
			continue;
		}
		if (ri[i].r)
			ri[nr++] = ri[i];
	}
	s->n_files = nf;
	sort(s->files, nf, sizeof(*s->files), cmp_file);

	sort(ri, nr, sizeof(*ri), cmp_rinfo_path);
	s->records = xcalloc(nr + 1, sizeof(*s->records));
	for (size_t i = 0; i < nr; i++)
		s->records[i] = ri[i].r;
	s->n_records = nr;

	/* One error per top folder without a region.md, on its first record by path. */
	char *last_unhomed = NULL;
	for (size_t i = 0; i < nr; i++) {
		record *r = s->records[i];
		char *top = top_folder(r->path);
		if (top && !r->region && (!last_unhomed || strcmp(last_unhomed, top) != 0)) {
			diag_error(d, r->file, 1, "'%s' is not in a region folder (expected "
				"%s/region.md)", r->path, top);
			free(last_unhomed);
			last_unhomed = top;
			top = NULL;
		}
		free(top);
	}
	free(last_unhomed);

	/* Municipalities: one slug each across the whole site. */
	sp->munis = xcalloc(nr + 1, sizeof(*sp->munis));
	for (size_t i = 0; i < nr; i++)
		if (ri[i].type_ok && ri[i].r->type == REC_MUNICIPALITY)
			sp->munis[sp->n_munis++] = ri[i].r;
	sort(sp->munis, sp->n_munis, sizeof(*sp->munis), cmp_rec_slug);
	size_t kept = 0;
	for (size_t i = 0; i < sp->n_munis; i++) {
		record *m = sp->munis[i];
		if (kept && strcmp(sp->munis[kept - 1]->slug, m->slug) == 0) {
			diag_error(d, m->file, 1, "municipality '%s' is defined twice: in %s and "
				"in %s (expected one file per municipality)", m->slug,
				sp->munis[kept - 1]->file, m->file);
			continue;
		}
		sp->munis[kept++] = m;
	}
	sp->n_munis = kept;

	vctx c = { sp, d, NULL, NULL, 1, strict };
	for (size_t i = 0; i < nr; i++) {
		record *r = ri[i].r;
		if (!ri[i].type_ok || r->type != REC_REGION || !r->region)
			continue;
		r->region->rec = r;
		c.r = r;
		c.file = r->file;
		c.line0 = ri[i].line0;
		load_areas(&c, r->region);
	}
	for (size_t g = 0; g < s->n_regions; g++) {
		region *rg = &s->regions[g];
		for (size_t i = 0; i < sp->n_munis; i++)
			if (sp->munis[i]->region == rg) {
				rg->municipalities = xrealloc(rg->municipalities,
					(rg->n_municipalities + 1) * sizeof(record *));
				rg->municipalities[rg->n_municipalities++] = sp->munis[i];
			}
	}

	for (size_t i = 0; i < nr; i++)
		check_record(&c, &ri[i]);
	/* Names are checked now: sort by them only after that. */
	for (size_t g = 0; g < s->n_regions; g++)
		sort(s->regions[g].municipalities, s->regions[g].n_municipalities, sizeof(record *),
			cmp_rec_name);

	sp->by_url = xcalloc(nr + 1, sizeof(*sp->by_url));
	memcpy(sp->by_url, s->records, nr * sizeof(*sp->by_url));
	sort(sp->by_url, nr, sizeof(*sp->by_url), cmp_rec_url);
	for (size_t i = 1; i < nr; i++)
		if (strcmp(sp->by_url[i - 1]->url, sp->by_url[i]->url) == 0)
			diag_error(d, sp->by_url[i]->file, 1, "url '%s' is also the url of %s "
				"(expected one record per url)", sp->by_url[i]->url,
				sp->by_url[i - 1]->file);
	free(ri);
	return s;
}

static void record_free(record *r)
{
	if (!r)
		return;
	free(r->path);
	free(r->file);
	free(r->url);
	free(r->slug);
	free(r->oid);
	value_free(r->meta);
	free(r->municipalities);
	free(r->html);
	free(r->summary);
	free(r->named);
	free(r);
}

void site_free(site *s)
{
	if (!s)
		return;
	site_priv *sp = (site_priv *)s;
	for (size_t i = 0; i < s->n_records; i++)
		record_free(s->records[i]);
	free(s->records);
	for (size_t i = 0; i < s->n_regions; i++) {
		region *g = &s->regions[i];
		for (size_t j = 0; j < g->n_areas; j++) {
			free(g->areas[j].slug);
			free(g->areas[j].name);
			free(g->areas[j].municipalities);
		}
		free(g->areas);
		free(g->municipalities);
		free(g->slug);
	}
	free(s->regions);
	for (size_t i = 0; i < s->n_themes; i++) {
		free(s->themes[i].slug);
		value_free(s->themes[i].name);
	}
	free(s->themes);
	for (size_t i = 0; i < s->n_files; i++) {
		free((char *)s->files[i].path);
		free((char *)s->files[i].data);
		free((char *)s->files[i].oid);
	}
	free(s->files);
	free(s->languages);
	free(s->content_prefix);
	value_free(s->config);
	free(sp->by_url);
	free(sp->munis);
	free(sp->base_url);
	free(sp);
}

/* ---- the model as a value ---- */

static value *str_or_null(const char *s)
{
	return s ? value_string(s, 0) : value_null(0);
}

value *record_value(const record *r)
{
	/* the front matter's values are shared: nothing changes them after loading */
	value *v = value_copy_top(r->meta);
	value_map_set_str(v, "path", r->path);
	value_map_set_str(v, "file", r->file);
	value_map_set_str(v, "url", r->url);
	value_map_set_str(v, "slug", r->slug);
	value_map_set_str(v, "type", type_names[r->type]);
	value_map_set(v, "region", str_or_null(r->region ? r->region->slug : NULL));
	value *ms = value_list(0);
	for (size_t i = 0; i < r->n_municipalities; i++)
		value_list_push(ms, value_string(r->municipalities[i]->slug, 0));
	value_map_set(v, "municipalities", ms);
	value_map_set(v, "date", str_or_null(r->date));
	value_map_set(v, "lang", str_or_null(r->lang));
	value_map_set(v, "title", value_string(r->title ? r->title : "", 0));
	return v;
}

static const area *muni_area(const record *m)
{
	const region *g = m->region;
	for (size_t i = 0; g && i < g->n_areas; i++)
		for (size_t j = 0; j < g->areas[i].n_municipalities; j++)
			if (g->areas[i].municipalities[j] == m)
				return &g->areas[i];
	return NULL;
}

/* One thread's share of the records' values: every step-th published record from first. */
typedef struct value_job {
	const site *s;
	value **out;
	size_t first, step;
} value_job;

static void *record_values(void *arg)
{
	value_job *j = arg;
	for (size_t i = j->first; i < j->s->n_records; i += j->step)
		if (!j->s->records[i]->draft)
			j->out[i] = record_value(j->s->records[i]);
	return NULL;
}

value *site_model_value(const site *s, const char *build_date)
{
	const site_priv *sp = (const site_priv *)s;
	value *v = value_map(0);
	value_map_set_str(v, "title", s->title);
	value_map_set_str(v, "base_url", s->base_url);
	value *langs = value_list(0);
	for (size_t i = 0; i < s->n_languages; i++)
		value_list_push(langs, value_string(s->languages[i], 0));
	value_map_set(v, "languages", langs);
	value_map_set(v, "build_date", str_or_null(build_date));

	value *themes = value_list(0);
	for (size_t i = 0; i < s->n_themes; i++) {
		value *t = value_map(0);
		value_map_set_str(t, "slug", s->themes[i].slug);
		value_map_set(t, "name", value_clone(s->themes[i].name));
		value_list_push(themes, t);
	}
	value_map_set(v, "themes", themes);

	/* Drafts are validated but not published: they appear in no list. */
	value *regions = value_list(0);
	for (size_t i = 0; i < s->n_regions; i++) {
		const region *g = &s->regions[i];
		const value *meta = g->rec ? g->rec->meta : NULL;
		value *rv = value_map(0);
		value_map_set_str(rv, "slug", g->slug);
		value_map_set_str(rv, "title", g->rec ? g->rec->title : g->slug);
		const char *name = value_map_str(meta, "name");
		value_map_set_str(rv, "name", name ? name : g->rec ? g->rec->title : g->slug);
		value_map_set(rv, "name_sv", str_or_null(value_map_str(meta, "name_sv")));
		value_map_set(rv, "organisation", str_or_null(value_map_str(meta, "organisation")));
		value *url = value_string_own(xasprintf("/%s/", g->slug), strlen(g->slug) + 2, 0);
		value_map_set(rv, "url", url);
		value *areas = value_list(0);
		for (size_t j = 0; j < g->n_areas; j++) {
			value *av = value_map(0);
			value_map_set_str(av, "slug", g->areas[j].slug);
			value_map_set_str(av, "name", g->areas[j].name);
			value *ms = value_list(0);
			for (size_t k = 0; k < g->areas[j].n_municipalities; k++) {
				const record *m = g->areas[j].municipalities[k];
				if (!m->draft)
					value_list_push(ms, value_string(m->slug, 0));
			}
			value_map_set(av, "municipalities", ms);
			value_list_push(areas, av);
		}
		value_map_set(rv, "areas", areas);
		value *ms = value_list(0);
		for (size_t k = 0; k < g->n_municipalities; k++)
			if (!g->municipalities[k]->draft)
				value_list_push(ms, value_string(g->municipalities[k]->slug, 0));
		value_map_set(rv, "municipalities", ms);
		value_list_push(regions, rv);
	}
	value_map_set(v, "regions", regions);

	record **ms = xcalloc(sp->n_munis + 1, sizeof(*ms));
	size_t nm = 0;
	for (size_t i = 0; i < sp->n_munis; i++)
		if (!sp->munis[i]->draft)
			ms[nm++] = sp->munis[i];
	sort(ms, nm, sizeof(*ms), cmp_rec_name);
	value *munis = value_list(0);
	for (size_t i = 0; i < nm; i++) {
		const record *m = ms[i];
		value *mv = value_map(0);
		value_map_set_str(mv, "slug", m->slug);
		value_map_set_str(mv, "name", muni_name(m));
		value_map_set(mv, "name_sv", str_or_null(value_map_str(m->meta, "name_sv")));
		value_map_set_str(mv, "title", m->title);
		value_map_set_str(mv, "url", m->url);
		value_map_set(mv, "region", str_or_null(m->region ? m->region->slug : NULL));
		const area *a = muni_area(m);
		value_map_set(mv, "area", str_or_null(a ? a->slug : NULL));
		value *ml = value_map_get(m->meta, "languages");
		if (ml && ml->kind == VAL_LIST) {
			value_map_set(mv, "languages", value_clone(ml));
		} else {
			/* Not written: the municipality speaks the site's default language. */
			value *dl = value_list(0);
			value_list_push(dl, value_string(s->languages[0], 0));
			value_map_set(mv, "languages", dl);
		}
		value_list_push(munis, mv);
	}
	free(ms);
	value_map_set(v, "municipalities", munis);

	/* the records' values on every thread (10,000 of them are most of the model), in order */
	size_t jobs = sp->jobs < s->n_records ? sp->jobs : 1;
	value **rvs = xcalloc(s->n_records + 1, sizeof(*rvs));
	value_job *vj = xcalloc(jobs, sizeof(*vj));
	for (size_t t = 0; t < jobs; t++)
		vj[t] = (value_job){ s, rvs, t, jobs };
	run_threads(vj, jobs, sizeof(*vj), record_values);
	value *recs = value_list(0);
	for (size_t i = 0; i < s->n_records; i++)
		if (rvs[i])
			value_list_push(recs, rvs[i]);
	value_map_set(v, "records", recs);
	free(vj);
	free(rvs);
	return v;
}

const char *region_display_name(const region *g)
{
	return record_display_name(g->rec);
}

const char *record_display_name(const record *r)
{
	const char *n = value_map_str(r->meta, "name");
	return n ? n : r->title;
}
