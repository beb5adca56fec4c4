/* The records as open data: JSON per record, CSV tables, records.json, datapackage.json (opendata.h). */
#include "opendata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "histpages.h"
#include "history.h"
#include "opendata_impl.h"
#include "output.h"
#include "repo.h"
#include "scope.h"
#include "theme.h"
#include "urls.h"
#include "util.h"
#include "banned.h"

typedef struct od_ctx {
	const pages_env *e;
	const site *s;
	buf tmp;
} od_ctx;

/* ---- cells ---- */

void csv_put_cell(buf *out, const char *s, size_t len)
{
	int inert = len && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
		s[0] == '\t' || s[0] == '\r');
	int quote = inert || memchr(s, '"', len) || memchr(s, ',', len) || memchr(s, '\n', len) ||
		memchr(s, '\r', len);
	if (!quote) {
		buf_put(out, s, len);
		return;
	}
	buf_putc(out, '"');
	if (inert)
		buf_putc(out, '\'');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			buf_putc(out, '"');
		buf_putc(out, s[i]);
	}
	buf_putc(out, '"');
}

/* url (a site path) as published: absolute under base_url, else as it is. */
static char *abs_url(const od_ctx *c, const char *url)
{
	return pages_address(c->e, c->s->languages[0], url);
}

/*
 * A record's id: a municipality's slug (what records name it by), else its
 * address without the slashes ("kainuu/sopimukset/x", a region's "kainuu").
 */
static void put_id(buf *out, const record *r)
{
	if (r->type == REC_MUNICIPALITY) {
		buf_puts(out, r->slug);
		return;
	}
	size_t n = strlen(r->url);
	buf_put(out, r->url + 1, n > 2 ? n - 2 : 0);
}

/* A scalar as text; a list's scalars joined by ';' (maps in it are left out). */
static void put_meta_text(buf *out, const value *v)
{
	if (!v)
		return;
	if (v->kind != VAL_LIST) {
		value_put_text(out, v);
		return;
	}
	for (size_t i = 0, k = 0; i < value_len(v); i++) {
		const value *it = value_at(v, i);
		if (it->kind == VAL_LIST || it->kind == VAL_MAP)
			continue;
		if (k++)
			buf_putc(out, ';');
		value_put_text(out, it);
	}
}

/* The published address of each file key names (a list of names, or of maps with a file). */
static void put_files(od_ctx *c, buf *out, const record *r, const char *key)
{
	const value *l = value_map_get(r->meta, key);
	size_t k = 0;
	for (size_t i = 0; i < value_len(l); i++) {
		const value *it = value_at(l, i);
		const char *name = it->kind == VAL_STRING ? it->u.str.ptr : value_map_str(it, "file");
		buf_reset(&c->tmp);
		const model_file *f = name ? site_resolve_file(c->s, r->path, name, &c->tmp) : NULL;
		if (!f)
			continue;
		char *url = url_of_file(f->path), *abs = abs_url(c, url);
		if (k++)
			buf_putc(out, ';');
		buf_puts(out, abs);
		free(abs);
		free(url);
	}
}

static void put_time(buf *out, const history_commit *hc)
{
	if (hc)
		format_rfc3339(out, hc->time, hc->offset);
}

/* The commit that added r (the oldest change of its file, renames followed), or NULL. */
static const history_commit *first_change(const od_ctx *c, const record *r)
{
	size_t n = 0;
	history_change *const *ch = c->e->hist ? history_for_path(c->e->hist, r->path, &n) : NULL;
	return n ? ch[n - 1]->commit : NULL;
}

static void put_joined_munis(buf *out, const record *r)
{
	for (size_t i = 0; i < r->n_municipalities; i++) {
		if (i)
			buf_putc(out, ';');
		buf_puts(out, r->municipalities[i]->slug);
	}
}

/* A record's cell of column col (lang: a per-language column's language). */
static void record_cell(od_ctx *c, const record *r, const column *col, const char *lang, buf *out)
{
	const record *tr = lang ? record_in_lang(r, lang) : NULL;
	switch (col->get) {
	case G_META:
		put_meta_text(out, value_get_path(r->meta, col->key));
		break;
	case G_ID:
		put_id(out, r);
		break;
	case G_URL: {
		char *u = abs_url(c, r->url);
		buf_puts(out, u);
		free(u);
		break;
	}
	case G_TITLE:
		buf_puts(out, tr ? tr->title : "");
		break;
	case G_SUMMARY:
		buf_puts(out, tr && tr->summary ? tr->summary : "");
		break;
	case G_LANG:
		buf_puts(out, r->lang);
		break;
	case G_DATE:
		buf_puts(out, r->date ? r->date : "");
		break;
	case G_REGION:
		buf_puts(out, r->region ? r->region->slug : "");
		break;
	case G_MUNIS:
		put_joined_munis(out, r);
		break;
	case G_THEMES:
		put_meta_text(out, value_map_get(r->meta, "themes"));
		break;
	case G_FILES:
		put_files(c, out, r, col->key);
		break;
	case G_COUNT:
		buf_put_uint(out, value_len(value_map_get(r->meta, col->key)));
		break;
	case G_AREAS:
		for (size_t i = 0; r->region && i < r->region->n_areas; i++)
			buf_printf(out, "%s%s", i ? ";" : "", r->region->areas[i].slug);
		break;
	case G_CREATED:
		put_time(out, first_change(c, r));
		break;
	case G_UPDATED:
		put_time(out, r->last_change);
		break;
	case G_COMMIT:
		buf_puts(out, r->last_change ? r->last_change->id : "");
		break;
	case G_SOURCE:
		buf_puts(out, r->file);
		break;
	default:
		break;
	}
}

/* ---- CSV ---- */

static void csv_header(const site *s, const data_table *t, buf *out)
{
	for (size_t i = 0; i < t->n_cols; i++) {
		const column *col = &t->cols[i];
		for (size_t l = 0; l < data_col_count(col, s); l++) {
			if (out->len && out->ptr[out->len - 1] != '\n')
				buf_putc(out, ',');
			data_col_name(out, col, data_col_lang(col, s, l));
		}
	}
	buf_puts(out, "\r\n");
}

static void csv_record_row(od_ctx *c, const data_table *t, const record *r, buf *out, buf *cell)
{
	int first = 1;
	for (size_t i = 0; i < t->n_cols; i++) {
		const column *col = &t->cols[i];
		for (size_t l = 0; l < data_col_count(col, c->s); l++) {
			buf_reset(cell);
			record_cell(c, r, col, data_col_lang(col, c->s, l), cell);
			if (!first)
				buf_putc(out, ',');
			first = 0;
			csv_put_cell(out, cell->ptr ? cell->ptr : "", cell->len);
		}
	}
	buf_puts(out, "\r\n");
}

/* The rows a record gives a table that is not one row per record: outcomes, members, pairs. */
static void csv_item_rows(const data_table *t, const record *r, buf *out, buf *cell)
{
	const value *items = t->rows == ROWS_OUTCOMES ? value_map_get(r->meta, "outcomes") :
		t->rows == ROWS_MEMBERS ? value_map_get(r->meta, "members") : NULL;
	size_t n = t->rows == ROWS_MUNIS ? r->n_municipalities : value_len(items);
	for (size_t k = 0; k < n; k++) {
		const value *it = items ? value_at(items, k) : NULL;
		if (items && it->kind != VAL_MAP)
			continue;
		for (size_t i = 0; i < t->n_cols; i++) {
			const column *col = &t->cols[i];
			buf_reset(cell);
			if (col->get == G_PARENT)
				put_id(cell, r);
			else if (col->get == G_NUMBER)
				buf_put_uint(cell, k + 1);
			else if (col->get == G_ITEM)
				put_meta_text(cell, value_map_get(it, col->key));
			else if (col->get == G_ITEM_TYPE)
				buf_puts(cell, record_type_name(r->type));
			else if (col->get == G_ITEM_MUNI)
				buf_puts(cell, r->municipalities[k]->slug);
			if (i)
				buf_putc(out, ',');
			csv_put_cell(out, cell->ptr ? cell->ptr : "", cell->len);
		}
		buf_puts(out, "\r\n");
	}
}

/* ---- a record as JSON ---- */

static value *str_or_null(const char *s)
{
	return s ? value_string(s, 0) : value_null(0);
}

static void set_url(const od_ctx *c, value *m, const char *key, const char *url)
{
	char *abs = abs_url(c, url);
	value_map_set_str(m, key, abs);
	free(abs);
}

/* A region or a municipality as a Popolo Organization: id, name, other_names, url. */
static value *org_value(const od_ctx *c, const record *r, const char *classification)
{
	value *o = value_map(0);
	buf id = BUF_INIT;
	put_id(&id, r);
	value_map_set_str(o, "id", id.ptr ? id.ptr : "");
	buf_release(&id);
	value_map_set_str(o, "classification", classification);
	value_map_set_str(o, "name", record_display_name(r));
	const char *sv = value_map_str(r->meta, "name_sv");
	if (sv) {
		value *names = value_list(0), *n = value_map(0);
		value_map_set_str(n, "name", sv);
		value_map_set_str(n, "lang", "sv");
		value_list_push(names, n);
		value_map_set(o, "other_names", names);
	}
	set_url(c, o, "url", r->url);
	return o;
}

/* The record's themes: with their names in every language and their pages, or their ids. */
static value *themes_value(const od_ctx *c, const record *r, int resolved)
{
	value *l = value_list(0);
	const value *th = value_map_get(r->meta, "themes");
	for (size_t i = 0; i < value_len(th); i++) {
		const theme_def *td = value_at(th, i)->kind == VAL_STRING ?
			site_find_theme(c->s, value_at(th, i)->u.str.ptr) : NULL;
		if (!td)
			continue;
		if (!resolved) {
			value_list_push(l, value_string(td->slug, 0));
			continue;
		}
		value *t = value_map(0), *names = value_map(0);
		value_map_set_str(t, "id", td->slug);
		for (size_t k = 0; k < c->s->n_languages; k++)
			value_map_set_str(names, c->s->languages[k], theme_name(td, c->s->languages[k]));
		value_map_set(t, "name", names);
		char *u = url_theme(td->slug);
		set_url(c, t, "url", u);
		free(u);
		value_list_push(l, t);
	}
	return l;
}

/* An agreement's parties: regions and municipalities as organisations, others by name. */
static value *parties_value(const od_ctx *c, const record *r)
{
	value *l = value_list(0);
	const value *pv = value_map_get(r->meta, "parties");
	for (size_t i = 0; i < value_len(pv); i++) {
		const value *p = value_at(pv, i);
		if (p->kind != VAL_STRING)
			continue;
		const region *g = site_find_region(c->s, p->u.str.ptr);
		const record *m = site_find_municipality(c->s, p->u.str.ptr);
		if (g && g->rec) {
			value_list_push(l, org_value(c, g->rec, "region"));
		} else if (m) {
			value_list_push(l, org_value(c, m, "municipality"));
		} else {
			value *o = value_map(0);
			value_map_set_str(o, "name", p->u.str.ptr);
			value_list_push(l, o);
		}
	}
	return l;
}

/* Annexes and data files as api-paatos' attachments: name, file, url. */
static value *attachments_value(od_ctx *c, const record *r, const char *key)
{
	value *l = value_list(0);
	const value *av = value_map_get(r->meta, key);
	for (size_t i = 0; i < value_len(av); i++) {
		const value *it = value_at(av, i);
		const char *name = it->kind == VAL_STRING ? it->u.str.ptr : value_map_str(it, "file");
		buf_reset(&c->tmp);
		const model_file *f = name ? site_resolve_file(c->s, r->path, name, &c->tmp) : NULL;
		if (!f)
			continue;
		value *a = value_map(0);
		const char *title = it->kind == VAL_MAP ? value_map_str(it, "title") : NULL;
		value_map_set_str(a, "name", title ? title : name);
		value_map_set_str(a, "file", f->path);
		char *u = url_of_file(f->path);
		set_url(c, a, "url", u);
		free(u);
		value_list_push(l, a);
	}
	return l;
}

static value *translations_value(const od_ctx *c, const record *r)
{
	value *l = value_list(0);
	for (size_t i = 0; i < c->s->n_languages; i++) {
		const record *tr = record_in_lang(r, c->s->languages[i]);
		if (!tr || tr == r)
			continue;
		value *t = value_map(0);
		value_map_set_str(t, "lang", c->s->languages[i]);
		value_map_set_str(t, "title", tr->title);
		value_map_set(t, "summary", str_or_null(tr->summary));
		value_map_set_str(t, "source", tr->file);
		value_list_push(l, t);
	}
	return l;
}

/* The record's page in every language of the site. */
static value *pages_value(const od_ctx *c, const record *r)
{
	value *pages = value_map(0);
	for (size_t i = 0; i < c->s->n_languages; i++) {
		char *placed = pages_place(c->e, c->s->languages[i], r->url);
		set_url(c, pages, c->s->languages[i], placed);
		free(placed);
	}
	return pages;
}

/* What only some types have, by the names of the 6Aika decision API and Popolo where they fit. */
static void typed_fields(od_ctx *c, const record *r, value *m)
{
	if (r->type == REC_AGREEMENT) {
		value_map_set(m, "parties", parties_value(c, r));
		value_map_set(m, "attachments", attachments_value(c, r, "annexes"));
	} else if (r->type == REC_MINUTES) {
		value_map_set(m, "organization", str_or_null(value_map_str(r->meta, "body")));
		value_map_set(m, "register_id", str_or_null(value_map_str(r->meta, "diary")));
	} else if (r->type == REC_REPORT) {
		value_map_set(m, "attachments", attachments_value(c, r, "indicators"));
	}
}

/*
 * A record as data, as records.json has it: its region, municipalities and
 * themes by their ids, beside the tables that name them.
 */
static value *record_data(od_ctx *c, const record *r)
{
	value *m = value_map(0);
	buf b = BUF_INIT;
	put_id(&b, r);
	value_map_set_str(m, "id", b.ptr ? b.ptr : "");
	value_map_set_str(m, "type", record_type_name(r->type));
	set_url(c, m, "url", r->url);
	value_map_set_str(m, "title", r->title);
	value_map_set_str(m, "lang", r->lang);
	value_map_set(m, "summary", str_or_null(r->summary));
	value_map_set(m, "date", str_or_null(r->date));
	value_map_set(m, "region", r->region ? value_string(r->region->slug, 0) : value_null(0));
	value *munis = value_list(0);
	for (size_t i = 0; i < r->n_municipalities; i++)
		value_list_push(munis, value_string(r->municipalities[i]->slug, 0));
	value_map_set(m, "municipalities", munis);
	value_map_set(m, "themes", themes_value(c, r, 0));
	typed_fields(c, r, m);
	value_map_set(m, "translations", translations_value(c, r));
	value_map_set(m, "front_matter", value_ref(r->meta));
	buf_reset(&b);
	put_time(&b, first_change(c, r));
	value_map_set(m, "created_at", str_or_null(b.len ? b.ptr : NULL));
	buf_reset(&b);
	put_time(&b, r->last_change);
	value_map_set(m, "updated_at", str_or_null(b.len ? b.ptr : NULL));
	value_map_set(m, "commit", str_or_null(r->last_change ? r->last_change->id : NULL));
	value *src = value_map(0);
	value_map_set_str(src, "path", r->file);
	value_map_set_str(src, "blob", r->oid ? r->oid : "");
	value_map_set(m, "source", src);
	buf_release(&b);
	return m;
}

/*
 * The same as its own index.json has it: the region, municipalities and
 * themes as objects with their names and addresses, and its page in every
 * language.
 */
static void resolve_refs(od_ctx *c, const record *r, value *m)
{
	if (r->region && r->region->rec)
		value_map_set(m, "region", org_value(c, r->region->rec, "region"));
	value *munis = value_list(0);
	for (size_t i = 0; i < r->n_municipalities; i++)
		value_list_push(munis, org_value(c, r->municipalities[i], "municipality"));
	value_map_set(m, "municipalities", munis);
	value_map_set(m, "themes", themes_value(c, r, 1));
	value_map_set(m, "pages", pages_value(c, r));
}

/* Every change of the record's file, newest first, with its version's permalink. */
static value *versions_value(od_ctx *c, const hp_version *v, size_t n)
{
	static const char *const kinds[] = { "added", "modified", "renamed", "deleted" };
	value *l = value_list(0);
	buf b = BUF_INIT;
	for (size_t k = 0; k < n; k++) {
		value *it = value_map(0);
		value_map_set_str(it, "commit", v[k].c->commit->id);
		buf_reset(&b);
		put_time(&b, v[k].c->commit);
		value_map_set_str(it, "date", b.ptr);
		value_map_set_str(it, "change", kinds[v[k].c->kind]);
		value_map_set_str(it, "path", v[k].c->path);
		if (v[k].href) {
			buf_reset(&b);
			buf_printf(&b, "/%s", v[k].href);
			set_url(c, it, "url", b.ptr);
		} else {
			value_map_set(it, "url", value_null(0));
		}
		value_list_push(l, it);
	}
	buf_release(&b);
	return l;
}

/* The key of a record's JSON: its versions and translations' last changes (the rest is in page_base). */
static int record_json_key(const pages_env *e, const record *r, const hp_version *v, size_t n,
	char key[41])
{
	if (!e->page_base)
		return 0;
	buf b = BUF_INIT;
	buf_printf(&b, "record json 1\n%s\n%s\n", r->url, r->oid ? r->oid : "");
	for (size_t k = 0; k < n; k++)
		buf_printf(&b, "%s %d %s %s\n", v[k].c->commit->id, (int)v[k].c->kind, v[k].c->path,
			v[k].href ? v[k].href : "-");
	for (size_t k = 0; k < r->n_translations; k++) {
		const record *tr = r->translations[k];
		buf_printf(&b, "%s %s\n", tr->path, tr->last_change ? tr->last_change->id : "-");
	}
	pages_key(e, &b, key);
	buf_release(&b);
	return 1;
}

/* A record's CSV rows of every table, and how many rows each table has of it. */
static void record_rows(od_ctx *c, const record *r, od_row *row)
{
	buf csv = BUF_INIT, cell = BUF_INIT;
	for (size_t t = 0; t < n_data_tables; t++) {
		const data_table *dt = &data_tables[t];
		row->off[t] = csv.len;
		if (dt->rows != ROWS_MUNIS && dt->type != r->type)
			continue;
		if (dt->rows == ROWS_RECORDS)
			csv_record_row(c, dt, r, &csv, &cell);
		else
			csv_item_rows(dt, r, &csv, &cell);
		for (size_t k = row->off[t]; k < csv.len; k++)
			row->lines[t] += csv.ptr[k] == '\n';
	}
	row->off[n_data_tables] = csv.len;
	row->csv = buf_detach(&csv, NULL);
	buf_release(&cell);
}

/* The record's own file: m resolved, with its versions. */
static int write_record_json(od_ctx *c, const record *r, value *m, const char *path,
	const char *key, const hp_version *v, size_t n, diag_list *d)
{
	buf out = BUF_INIT;
	resolve_refs(c, r, m);
	value_map_set(m, "versions", versions_value(c, v, n));
	value_put_json(&out, m);
	buf_putc(&out, '\n');
	int ret = output_write_keyed(c->e->out, path, key, out.ptr, out.len, d);
	buf_release(&out);
	return ret;
}

opendata *opendata_new(const site *s)
{
	opendata *od = xcalloc(1, sizeof(*od));
	od->rows = xcalloc(s->n_records + 1, sizeof(od_row));
	od->n = s->n_records;
	return od;
}

void opendata_free(opendata *od)
{
	if (!od)
		return;
	for (size_t i = 0; i < od->n; i++) {
		free(od->rows[i].json);
		free(od->rows[i].csv);
	}
	free(od->rows);
	for (size_t i = 0; i < od->n_refs; i++)
		free(od->ref_rows[i].csv);
	free(od->refs);
	free(od->ref_rows);
	free(od->last);
	free(od);
}

int opendata_write_record(const pages_env *e, opendata *od, const struct histpages *hp, size_t i,
	diag_list *d)
{
	const record *r = e->s->records[i];
	if (r->draft || !od || i >= od->n)
		return 0;
	double start = now_s();
	od_ctx c = { e, e->s, BUF_INIT };
	od_row *row = &od->rows[i];
	/* written again (build_patch): the record's earlier rows go, their CSV compared */
	od_row was = *row;
	*row = (od_row){ NULL, 0, NULL, { 0 }, { 0 } };
	value *m = record_data(&c, r);
	buf json = BUF_INIT;
	value_put_json(&json, m);
	row->json = buf_detach(&json, &row->json_len);
	record_rows(&c, r, row);
	if (was.csv && (was.off[n_data_tables] != row->off[n_data_tables] ||
			memcmp(was.csv, row->csv, row->off[n_data_tables]) != 0))
		od->csv_changed = 1;
	free(was.json);
	free(was.csv);
	size_t n;
	hp_version *v = histpages_versions(hp, i, &n);
	char key[41], *url = url_record_json(r->url), *path = pages_file_path(e, url);
	int keyed = record_json_key(e, r, v, n, key), ret = 0;
	if (!keyed || !output_keep(e->out, path, key))
		ret = write_record_json(&c, r, m, path, keyed ? key : NULL, v, n, d);
	value_free(m);
	buf_release(&c.tmp);
	free(v);
	free(url);
	free(path);
	if (e->stats)
		e->stats->data_secs += now_s() - start;
	return ret;
}

/* ---- the files of a scope: the site, or one region ---- */

static int in_data_scope(const record *r, const region *g)
{
	return !r->draft && (!g || r->region == g);
}

static int write_file(const pages_env *e, const region *g, const char *name, const buf *data,
	diag_list *d)
{
	char *url = url_data_file(g ? g->slug : NULL, name), *path = pages_file_path(e, url);
	int ret = output_write(e->out, path, data->ptr ? data->ptr : "", data->len, d);
	free(path);
	free(url);
	return ret;
}

/* The reference rows of a scoped site (struct opendata), made once. */
static void make_ref_rows(const pages_env *e, opendata *od)
{
	const site *whole = pages_whole(e);
	const record *home = scope_home(e->scope);
	od->refs = xcalloc(whole->n_records + 1, sizeof(*od->refs));
	for (size_t i = 0; i < whole->n_records; i++) {
		const record *r = whole->records[i];
		if (!r->draft && r->region == home->region &&
		    (r->type == REC_REGION || r->type == REC_MUNICIPALITY) &&
		    !site_find_record(e->s, r->path))
			od->refs[od->n_refs++] = r;
	}
	od->ref_rows = xcalloc(od->n_refs + 1, sizeof(od_row));
	od_ctx c = { e, e->s, BUF_INIT };
	for (size_t i = 0; i < od->n_refs; i++)
		record_rows(&c, od->refs[i], &od->ref_rows[i]);
	buf_release(&c.tmp);
}

/* The rows of table t in the site's order (by path), reference rows among them. */
static void put_table_rows(const pages_env *e, const opendata *od, od_sizes *sz, size_t t, buf *out)
{
	const site *s = e->s;
	const data_table *dt = &data_tables[t];
	int refs = dt->rows == ROWS_RECORDS && (dt->type == REC_REGION || dt->type == REC_MUNICIPALITY);
	size_t k = refs ? 0 : od->n_refs;
	for (size_t i = 0; i <= s->n_records; i++) {
		for (; k < od->n_refs && (i == s->n_records ||
		       strcmp(od->refs[k]->path, s->records[i]->path) < 0); k++) {
			const od_row *row = &od->ref_rows[k];
			buf_put(out, row->csv + row->off[t], row->off[t + 1] - row->off[t]);
			sz->rows[t] += row->lines[t];
		}
		const od_row *row = i < s->n_records ? &od->rows[i] : NULL;
		if (!row || !in_data_scope(s->records[i], sz->g) || !row->csv)
			continue;
		buf_put(out, row->csv + row->off[t], row->off[t + 1] - row->off[t]);
		sz->rows[t] += row->lines[t];
	}
}

/* A table of the scope: its header, then each record's rows in the site's order. */
static int write_table(const pages_env *e, const opendata *od, od_sizes *sz, size_t t,
	diag_list *d)
{
	const site *s = e->s;
	buf out = BUF_INIT, name = BUF_INIT;
	csv_header(s, &data_tables[t], &out);
	size_t total = out.len;
	for (size_t i = 0; i < s->n_records; i++)
		if (in_data_scope(s->records[i], sz->g))
			total += od->rows[i].off[t + 1] - od->rows[i].off[t];
	buf_grow(&out, total - out.len);
	put_table_rows(e, od, sz, t, &out);
	sz->bytes[t] = out.len;
	buf_printf(&name, "%s.csv", data_tables[t].name);
	int ret = write_file(e, sz->g, name.ptr, &out, d);
	buf_release(&out);
	buf_release(&name);
	return ret;
}

static int write_records_json(const pages_env *e, const opendata *od, od_sizes *sz, diag_list *d)
{
	const site *s = e->s;
	size_t total = 4, k = 0;
	for (size_t i = 0; i < s->n_records; i++)
		if (in_data_scope(s->records[i], sz->g))
			total += od->rows[i].json_len + 2;
	buf out = BUF_INIT;
	buf_grow(&out, total);
	buf_putc(&out, '[');
	for (size_t i = 0; i < s->n_records; i++) {
		if (!in_data_scope(s->records[i], sz->g) || !od->rows[i].json)
			continue;
		buf_puts(&out, k++ ? ",\n" : "\n");
		buf_put(&out, od->rows[i].json, od->rows[i].json_len);
	}
	buf_puts(&out, k ? "\n]\n" : "]\n");
	sz->json_bytes = out.len;
	int ret = write_file(e, sz->g, "records.json", &out, d);
	buf_release(&out);
	return ret;
}

/* A scope's datapackage.json, from what its files came to. */
static int write_package(const pages_env *e, const od_sizes *sz, diag_list *d)
{
	buf out = BUF_INIT;
	value *p = datapackage_value(e, sz);
	value_put_json(&out, p);
	buf_putc(&out, '\n');
	value_free(p);
	int ret = write_file(e, sz->g, "datapackage.json", &out, d);
	buf_release(&out);
	return ret;
}

static int write_scope(const pages_env *e, const opendata *od, od_sizes *sz, diag_list *d)
{
	int ret = 0;
	for (size_t i = 0; !e->worktree && i < e->s->n_records; i++) {
		const record *r = e->s->records[i];
		for (size_t k = 0; in_data_scope(r, sz->g) && k <= r->n_translations; k++) {
			const history_commit *c = k ? r->translations[k - 1]->last_change : r->last_change;
			if (c && (!sz->newest || c->seq < sz->newest->seq))
				sz->newest = c;
		}
	}
	for (size_t t = 0; t < n_data_tables; t++)
		ret |= write_table(e, od, sz, t, d);
	ret |= write_records_json(e, od, sz, d);
	ret |= write_package(e, sz, d);
	return ret ? -1 : 0;
}

int opendata_write(const pages_env *e, opendata *od, diag_list *d)
{
	const site *s = e->s;
	if (!od)
		return 0;
	double start = now_s();
	if (e->scope && !od->ref_rows)
		make_ref_rows(e, od);
	od_sizes *sz = xcalloc(1 + s->n_regions, sizeof(od_sizes));
	size_t n = 1;
	/* a scoped site's data is its scope's: no subsets by region */
	for (size_t i = 0; !e->scope && i < s->n_regions; i++)
		if (!s->regions[i].rec->draft)
			sz[n++].g = &s->regions[i];
	int ret = 0;
	for (size_t k = 0; k < n; k++)
		ret |= write_scope(e, od, &sz[k], d);
	for (size_t l = 0; l < s->n_languages; l++)
		ret |= datapage_write(e, sz, n, s->languages[l], d);
	free(od->last);
	od->last = sz;
	od->n_last = n;
	od->csv_changed = 0;
	if (e->stats)
		e->stats->data_secs += now_s() - start;
	return ret ? -1 : 0;
}

int opendata_write_rows(const pages_env *e, opendata *od, const size_t *idx, size_t n,
	diag_list *d)
{
	if (!od)
		return 0;
	if (od->csv_changed || !od->last || e->scope)
		return opendata_write(e, od, d);
	const site *s = e->s;
	int ret = 0, sizes = 0;
	for (size_t k = 0; k < od->n_last; k++) {
		od_sizes *sz = &od->last[k];
		int holds = 0;
		for (size_t i = 0; i < n && !holds; i++)
			holds = in_data_scope(s->records[idx[i]], sz->g);
		if (!holds)
			continue;
		size_t was = sz->json_bytes;
		ret |= write_records_json(e, od, sz, d);
		if (sz->json_bytes == was)
			continue;
		/* the package names each file's size */
		ret |= write_package(e, sz, d);
		sizes = 1;
	}
	for (size_t l = 0; sizes && l < s->n_languages; l++)
		ret |= datapage_write(e, od->last, od->n_last, s->languages[l], d);
	return ret ? -1 : 0;
}
