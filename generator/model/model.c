/*
 * The site model: site.yaml, every record read and validated (validate.c),
 * regions, municipalities and their lookups, and the model as a value tree
 * for templates and hooks (model.h).
 */
#include "model_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "msg.h"
#include "frontmatter.h"
#include "urlcheck.h"
#include "urls.h"
#include "util.h"
#include "banned.h"

const char *const mdl_type_names[REC_TYPE_COUNT + 1] = {
	"region", "municipality", "agreement", "minutes", "negotiation", "report", "partnership",
	"page",
};

const char *record_type_name(record_type t)
{
	return (unsigned)t < REC_TYPE_COUNT ? mdl_type_names[t] : NULL;
}

int record_type_parse(const char *s, record_type *out)
{
	for (int i = 0; s && i < REC_TYPE_COUNT; i++) {
		if (strcmp(s, mdl_type_names[i]) == 0) {
			*out = (record_type)i;
			return 0;
		}
	}
	return -1;
}

int record_type_guess(const char *word, record_type *out)
{
	if (record_type_parse(word, out) == 0)
		return 0;
	const char *name = mv_suggest(word, mdl_type_names);
	return name ? record_type_parse(name, out) : -1;
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

int fi_cmp(const char *a, const char *b)
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

size_t mdl_path_index(record *const *sorted, size_t n, const char *path)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(sorted[mid]->path, path);
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return n;
}

record *site_find_record(const site *s, const char *path)
{
	if (!s || !path)
		return NULL;
	size_t i = mdl_path_index(s->records, s->n_records, path);
	return i < s->n_records ? s->records[i] : NULL;
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

int municipality_shows(const record *m, record_type type, const region *g,
	record *const *munis, size_t n_munis, const value *meta)
{
	if (!m->region || g != m->region)
		return 0;
	for (size_t i = 0; i < n_munis; i++)
		if (munis[i] == m)
			return 1;
	if (type == REC_REGION || type == REC_MUNICIPALITY)
		return 0;
	if (n_munis == 0)
		return 1;   /* for the whole region */
	const value *parties = type == REC_AGREEMENT ? value_map_get(meta, "parties") : NULL;
	for (size_t i = 0; i < value_len(parties); i++) {
		const value *p = value_at(parties, i);
		if (p->kind == VAL_STRING && strcmp(p->u.str.ptr, m->slug) == 0)
			return 1;
	}
	return 0;
}

size_t site_region_index(const site *s, const region *g)
{
	for (size_t i = 0; i < s->n_regions; i++)
		if (&s->regions[i] == g)
			return i;
	return s->n_regions;
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

area *mdl_region_find_area(const region *g, const char *slug)
{
	for (size_t i = 0; g && slug && i < g->n_areas; i++)
		if (strcmp(g->areas[i].slug, slug) == 0)
			return &g->areas[i];
	return NULL;
}
/* ---- site.yaml ---- */

int mdl_is_lang_code(const char *s)
{
	return s && strlen(s) == 2 && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z';
}

static void check_license(vctx *c, site *s, value *cfg);

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
			mv_err(&c, cfg->line ? cfg->line : 1, "site settings must be a map of keys "
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
		value *t = mv_get(cfg, "title");
		if (!t)
			mv_missing(&c, 1, "title", "the site's title");
		else if (t->kind != VAL_STRING || !t->u.str.ptr[0])
			mv_bad(&c, "title", t, "a non-empty string");
		else
			s->title = t->u.str.ptr;
	}

	const char *bu = mv_get_url(&c, cfg, "base_url", "base_url", URL_WEB);
	if (bu && strpbrk(bu, "?#")) {
		mv_bad(&c, "base_url", mv_get(cfg, "base_url"),
			"the site's address without '?' or '#' (e.g. https://avoin.example.fi/)");
		bu = NULL;
	}
	if (bu && bu[0]) {
		sp->base_url = str_has_suffix(bu, "/") ? xstrdup(bu) : xasprintf("%s/", bu);
		s->base_url = sp->base_url;
	}

	value *langs = mv_get_list(&c, cfg, "languages", "languages", 0, 1);
	size_t nl = 0;
	/* Room for the default and a NULL end, so the array also serves as an option list. */
	s->languages = xcalloc(value_len(langs) + 2, sizeof(*s->languages));
	for (size_t i = 0; langs && i < langs->u.list.n; i++) {
		value *l = langs->u.list.items[i];
		if (l->kind != VAL_STRING || !mdl_is_lang_code(l->u.str.ptr)) {
			mv_bad(&c, "languages", l, "a list of two-letter language codes (fi, sv, en)");
			continue;
		}
		int dup = 0;
		for (size_t j = 0; j < nl; j++)
			dup |= strcmp(s->languages[j], l->u.str.ptr) == 0;
		if (dup)
			mv_err(&c, l->line, "'languages' names '%s' twice", l->u.str.ptr);
		else
			s->languages[nl++] = l->u.str.ptr;
	}
	if (nl == 0)
		s->languages[nl++] = "fi";
	s->n_languages = nl;

	value *themes = mv_get_list(&c, cfg, "themes", "themes", 0, 1);
	s->themes = xcalloc(value_len(themes) + 1, sizeof(*s->themes));
	for (size_t i = 0; themes && i < themes->u.list.n; i++) {
		value *t = mv_item_map(&c, "themes", themes->u.list.items[i]);
		if (!t)
			continue;
		const char *slug = mv_get_str(&c, t, "slug", "themes.slug", 1, t->line);
		value *name = mv_get_map(&c, t, "name", "themes.name", 1, t->line);
		for (size_t j = 0; name && j < name->u.map.n; j++)
			if (name->u.map.vals[j]->kind != VAL_STRING)
				mv_bad_kind(&c, "themes.name", name->u.map.vals[j],
					"a map of names by language");
		if (!slug)
			continue;
		if (!is_slug(slug)) {
			mv_err(&c, mv_get(t, "slug")->line, "'%s' is not a valid slug (expected "
				"lower-case letters a-z, digits and '-')", slug);
			continue;
		}
		if (site_find_theme(s, slug)) {
			mv_err(&c, mv_get(t, "slug")->line, "theme '%s' is defined twice", slug);
			continue;
		}
		s->themes[s->n_themes].slug = xstrdup(slug);
		s->themes[s->n_themes].name = name ? value_ref(name) : value_map(0);
		s->n_themes++;
	}

	value *acc = mv_get_map(&c, cfg, "accessibility", "accessibility", 0, 1);
	if (acc)
		mv_check_accessibility(&c, acc);
	value *hk = mv_get_map(&c, cfg, "hooks", "hooks", 0, 1);
	if (hk) {
		/* the ranges build.c's hook_limits_from() takes: nothing out of them is ignored */
		static const struct { const char *key, *want; double lo, hi; } limits[] = {
			{ "memory_mb", N_("a whole number of MiB from 1 to 4096"), 1, 4096 },
			{ "instructions", N_("a whole number from 1000 to 1000000000000"), 1000,
				1e12 },
			{ "seconds", N_("a whole number of seconds from 1 to 600"), 1, 600 },
		};
		for (size_t i = 0; i < sizeof limits / sizeof *limits; i++) {
			value *v = mv_get(hk, limits[i].key);
			char name[32];
			snprintf(name, sizeof(name), "hooks.%s", limits[i].key);
			if (v && (v->kind != VAL_NUMBER || v->u.number < limits[i].lo ||
					v->u.number > limits[i].hi || v->u.number != (double)(long long)v->u.number))
				mv_bad(&c, name, v, limits[i].want);
		}
	}
	mv_get_str_list(&c, cfg, "page_hooks", "page_hooks");
	check_license(&c, s, cfg);
	value *raw = mv_get_kind(&c, cfg, "raw_files", "raw_files", VAL_BOOL, 0, 1);
	s->raw_files = raw && raw->u.boolean;
	free(file);
}
/*
 * The open data's licence: an SPDX identifier ("CC-BY-4.0"), or a map of
 * name, url and title for another one.
 */
static void check_license(vctx *c, site *s, value *cfg)
{
	value *lic = mv_get(cfg, "license");
	if (!lic)
		return;
	if (lic->kind == VAL_MAP) {
		s->license = mv_get_str(c, lic, "name", "license.name", 1, lic->line);
		s->license_url = mv_get_url(c, lic, "url", "license.url", URL_WEB);
		s->license_title = mv_get_str(c, lic, "title", "license.title", 0, 0);
	} else if (lic->kind == VAL_STRING) {
		s->license = lic->u.str.ptr;
	} else {
		mv_bad(c, "license", lic, "an SPDX licence identifier (e.g. CC-BY-4.0), or a map "
			"of name, url and title");
		return;
	}
	for (const char *p = s->license; p && *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '.' || *p == '-' || *p == '+')) {
			mv_bad(c, lic->kind == VAL_MAP ? "license.name" : "license",
				lic->kind == VAL_MAP ? mv_get(lic, "name") : lic,
				"an SPDX licence identifier: letters, digits, '.', '-' and '+' (e.g. CC-BY-4.0)");
			s->license = NULL;
			break;
		}
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

void mdl_add_record_muni(record *r, record *m)
{
	for (size_t i = 0; i < r->n_municipalities; i++)
		if (r->municipalities[i] == m)
			return;
	r->municipalities = xrealloc(r->municipalities,
		(r->n_municipalities + 1) * sizeof(record *));
	r->municipalities[r->n_municipalities++] = m;
}

/* A municipality of region g (any municipality of the site when g is NULL), or NULL. */
record *mdl_region_muni(const site *s, const region *g, const char *slug)
{
	record *m = site_find_municipality(s, slug);
	if (m && g && m->region != g)
		return NULL;
	return m;
}

void mdl_report_unknown_muni(vctx *c, const char *name, const value *it, const region *g)
{
	if (g)
		mv_err(c, it->line, "'%s' names '%s', which is not a municipality of region '%s'",
			name, it->u.str.ptr, g->slug);
	else
		mv_err(c, it->line, "'%s' names '%s', which is not a municipality of this site", name,
			it->u.str.ptr);
}

/* Reads one record: front matter, path rules and type. NULL when it cannot be a record. */
static record *record_read(site_priv *sp, const model_file *f, rinfo *ri, diag_list *d)
{
	site *s = &sp->pub;
	char *file = xasprintf("%s%s", s->content_prefix, f->path);
	vctx c = { sp, d, NULL, file, 1, 0 };
	if (strcmp(f->path, "index.md") == 0) {
		mv_err(&c, 1, "'index.md' is not allowed at the content root (the front page is "
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
		mv_err(&c, line, "the text holds the control character U+%04X (expected text; "
			"remove the character)", (unsigned char)body[ctl]);
	}
	r->title = "";
	r->lang = s->languages[0];
	r->type = REC_PAGE;
	c.r = r;
	/* a translation "x.sv.md" is read as "x.md" would be: translations.c does the rest */
	char *orig = NULL, tlang[4];
	ri->translation = site_translation_name(f->path, &orig, tlang);
	const char *path = ri->translation ? orig : f->path;

	char *seg = bad_segment(path);
	if (seg) {
		mv_err(&c, 1, "'%s' is not a valid slug (expected lower-case letters a-z, digits "
			"and '-')", seg);
		free(seg);
	}

	char *top = path_top_folder(path);
	int is_region_md = 0;
	if (top) {
		r->region = site_find_region(s, top);
		char *rmd = xasprintf("%s/region.md", top);
		is_region_md = r->region && strcmp(path, rmd) == 0;
		free(rmd);
	}
	r->slug = is_region_md ? xstrdup(top) : path_slug(path);
	r->url = url_of_record(path, is_region_md);
	const char *kept = ri->translation ? NULL : urls_reserved_for(r->url);
	if (kept)
		mv_err(&c, 1, "the URL '%s' is kept for %s (expected another file or folder name)",
			r->url, tr(kept));
	free(orig);

	value *tv = value_map_get(meta, "type");
	ri->r = r;
	ri->line0 = tv && tv->line ? tv->line : (meta->line ? meta->line : 2);
	c.line0 = ri->line0;
	if (ri->translation) {
		free(top);
		return r;
	}
	buf want = BUF_INIT;
	msg_put_choices(&want, mdl_type_names);
	if (!tv || tv->kind == VAL_NULL) {
		mv_missing(&c, ri->line0, "type", want.ptr);
	} else if (tv->kind != VAL_STRING || record_type_parse(tv->u.str.ptr, &r->type) < 0) {
		mv_bad_choice(&c, "type", tv, want.ptr, mdl_type_names);
	} else {
		ri->type_ok = 1;
	}
	buf_release(&want);

	if (ri->type_ok) {
		if (!top && r->type != REC_PAGE) {
			mv_err(&c, ri->line0, "a record at the content root must be of type 'page' "
				"(got '%s')", mdl_type_names[r->type]);
			ri->type_ok = 0;
		} else if (is_region_md && r->type != REC_REGION) {
			mv_err(&c, ri->line0, "'type' must be 'region' in a region's region.md "
				"(got '%s')", mdl_type_names[r->type]);
			ri->type_ok = 0;
		} else if (!is_region_md && r->type == REC_REGION) {
			mv_err(&c, ri->line0, "type 'region' is only allowed in a region folder's "
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
	for (size_t i = 0; s && i < site_n_texts(s); i++) {
		site_text_at(s, i)->body = NULL;
		site_text_at(s, i)->body_len = 0;
	}
}

site *site_load(const model_file *files, size_t n, const model_opts *o, diag_list *d)
{
	site_priv *sp = xcalloc(1, sizeof(*sp));
	site *s = &sp->pub;
	s->content_prefix = xstrdup(o && o->content_prefix ? o->content_prefix : "");
	int strict = o ? o->strict : 0;
	s->worktree = o && o->worktree;

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
	/* translations to the end of ri (in path order too), apart from the records */
	rinfo *ti = xcalloc(nr + 1, sizeof(*ti));
	size_t nt = 0, no = 0;
	for (size_t i = 0; i < nr; i++) {
		if (ri[i].translation)
			ti[nt++] = ri[i];
		else
			ri[no++] = ri[i];
	}
	memcpy(ri + no, ti, nt * sizeof(*ti));
	free(ti);
	nr = no;
	s->records = xcalloc(nr + 1, sizeof(*s->records));
	for (size_t i = 0; i < nr; i++)
		s->records[i] = ri[i].r;
	s->n_records = nr;
	s->translations = xcalloc(nt + 1, sizeof(*s->translations));
	for (size_t i = 0; i < nt; i++)
		s->translations[i] = ri[nr + i].r;
	s->n_translations = nt;

	/* One error per top folder without a region.md, on its first record by path. */
	char *last_unhomed = NULL;
	for (size_t i = 0; i < nr; i++) {
		record *r = s->records[i];
		char *top = path_top_folder(r->path);
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
		mv_load_areas(&c, r->region);
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

	for (size_t i = 0; i < nr; i++) {
		size_t before = d->errors;
		mv_check_record(&c, &ri[i]);
		ri[i].errors = d->errors - before;
	}
	mdl_load_translations(&c, ri + nr, nt, ri, nr);
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
	free(r->search_terms);
	free(r->named);
	free(r->translations);
	free(r);
}

site *site_part(const site *s, const unsigned char *keep, const region *regions, size_t n_regions,
	const char *base_url)
{
	const site_priv *sp = (const site_priv *)s;
	site_priv *pp = xcalloc(1, sizeof(*pp));
	pp->pub = *s;
	site *p = &pp->pub;
	p->records = xcalloc(s->n_records + 1, sizeof(*p->records));
	p->n_records = 0;
	for (size_t i = 0; i < s->n_records; i++)
		if (keep[i])
			p->records[p->n_records++] = s->records[i];
	p->translations = xcalloc(s->n_translations + 1, sizeof(*p->translations));
	p->n_translations = 0;
	for (size_t i = 0; i < s->n_translations; i++) {
		size_t o = mdl_path_index(s->records, s->n_records, s->translations[i]->original->path);
		if (o < s->n_records && keep[o])
			p->translations[p->n_translations++] = s->translations[i];
	}
	p->regions = (region *)regions;
	p->n_regions = n_regions;
	pp->by_url = xcalloc(p->n_records + 1, sizeof(*pp->by_url));
	for (size_t i = 0, k = 0; i < s->n_records; i++) {
		size_t o = mdl_path_index(s->records, s->n_records, sp->by_url[i]->path);
		if (keep[o])
			pp->by_url[k++] = sp->by_url[i];
	}
	pp->munis = xcalloc(sp->n_munis + 1, sizeof(*pp->munis));
	for (size_t i = 0; i < sp->n_munis; i++) {
		size_t o = mdl_path_index(s->records, s->n_records, sp->munis[i]->path);
		if (keep[o])
			pp->munis[pp->n_munis++] = sp->munis[i];
	}
	pp->base_url = xstrdup(base_url);
	p->base_url = pp->base_url;
	pp->jobs = sp->jobs;
	pp->fm = NULL;
	return p;
}

void site_part_free(site *part)
{
	if (!part)
		return;
	site_priv *pp = (site_priv *)part;
	free(part->records);
	free(part->translations);
	free(pp->by_url);
	free(pp->munis);
	free(pp->base_url);
	free(pp);
}

void site_free(site *s)
{
	if (!s)
		return;
	site_priv *sp = (site_priv *)s;
	for (size_t i = 0; i < s->n_records; i++)
		record_free(s->records[i]);
	free(s->records);
	for (size_t i = 0; i < s->n_translations; i++)
		record_free(s->translations[i]);
	free(s->translations);
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
	value_map_set_str(v, "type", mdl_type_names[r->type]);
	value_map_set(v, "region", str_or_null(r->region ? r->region->slug : NULL));
	value *ms = value_list(0);
	for (size_t i = 0; i < r->n_municipalities; i++)
		value_list_push(ms, value_string(r->municipalities[i]->slug, 0));
	value_map_set(v, "municipalities", ms);
	value_map_set(v, "date", str_or_null(r->date));
	value_map_set(v, "lang", str_or_null(r->lang));
	value_map_set(v, "title", value_string(r->title ? r->title : "", 0));
	/* the title in each language it has one in (its own and its translations'), for hooks */
	if (r->n_translations) {
		value *titles = value_map(0);
		value_map_set_str(titles, r->lang, r->title ? r->title : "");
		for (size_t i = 0; i < r->n_translations; i++)
			if (!r->translations[i]->draft)
				value_map_set_str(titles, r->translations[i]->lang, r->translations[i]->title);
		value_map_set(v, "titles", titles);
	}
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
		char *url = url_of_slug(g->slug);
		value_map_set_str(rv, "url", url);
		free(url);
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
