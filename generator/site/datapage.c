/*
 * The data package of the open data (datapackage.json, Frictionless Data
 * Package v2: a Table Schema per CSV, its primary and foreign keys, the
 * licence of site.yaml) and the page in every language that explains every
 * column (opendata.h).
 */
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "history.h"
#include "opendata_impl.h"
#include "repo.h"
#include "theme.h"
#include "urls.h"
#include "util.h"
#include "banned.h"

/* A Table Schema field: the column in its l-th language. */
static value *field_value(const site *s, const data_table *t, const column *col, size_t l)
{
	static const char *const keys[][2] = { { "description", "en" },
		{ "description_fi", "fi" }, { "description_sv", "sv" } };
	value *f = value_map(0);
	buf b = BUF_INIT;
	data_col_name(&b, col, data_col_lang(col, s, l));
	value_map_set_str(f, "name", b.ptr);
	value_map_set_str(f, "type", data_type_name(col->type));
	if (col->type == T_URI)
		value_map_set_str(f, "format", "uri");
	if (col->type == T_LIST) {
		value_map_set_str(f, "delimiter", ";");
		value_map_set_str(f, "itemType", "string");
	}
	for (size_t k = 0; k < 3; k++) {
		buf_reset(&b);
		data_col_put(&b, col, keys[k][1], data_col_lang(col, s, l));
		value_map_set_str(f, keys[k][0], b.ptr);
	}
	buf_release(&b);
	for (size_t k = 0; k < 2; k++)
		if (t->pkey[k] && strcmp(t->pkey[k], col->name) == 0) {
			value *cs = value_map(0);
			value_map_set_bool(cs, "required", 1);
			value_map_set(f, "constraints", cs);
		}
	return f;
}

/* The Table Schema of a table. */
static value *schema_value(const site *s, const data_table *t)
{
	value *sch = value_map(0), *fields = value_list(0);
	for (size_t i = 0; i < t->n_cols; i++)
		for (size_t l = 0; l < data_col_count(&t->cols[i], s); l++)
			value_list_push(fields, field_value(s, t, &t->cols[i], l));
	value_map_set(sch, "fields", fields);
	value *pk = value_list(0);
	for (size_t k = 0; k < 2 && t->pkey[k]; k++)
		value_list_push(pk, value_string(t->pkey[k], 0));
	value_map_set(sch, "primaryKey", pk);
	value *fks = value_list(0);
	for (size_t k = 0; k < 2 && t->fkeys[k].field; k++) {
		value *fk = value_map(0), *ref = value_map(0);
		value_map_set_str(fk, "fields", t->fkeys[k].field);
		value_map_set_str(ref, "resource", t->fkeys[k].resource);
		value_map_set_str(ref, "fields", "id");
		value_map_set(fk, "reference", ref);
		value_list_push(fks, fk);
	}
	value_map_set(sch, "foreignKeys", fks);
	value *missing = value_list(0);
	value_list_push(missing, value_string("", 0));
	value_map_set(sch, "missingValues", missing);
	return sch;
}

/* The licence of site.yaml as Data Package's licenses: name, path, title. */
static value *licenses_value(const site *s)
{
	static const struct { const char *id, *path, *title; } known[] = {
		{ "CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/",
		  "Creative Commons Attribution 4.0 International" },
		{ "CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/",
		  "Creative Commons Zero v1.0 Universal" },
		{ "CC-BY-SA-4.0", "https://creativecommons.org/licenses/by-sa/4.0/",
		  "Creative Commons Attribution Share Alike 4.0 International" },
		{ "ODbL-1.0", "https://opendatacommons.org/licenses/odbl/1-0/",
		  "Open Data Commons Open Database License v1.0" },
	};
	value *l = value_list(0);
	if (!s->license)
		return l;
	value *m = value_map(0);
	value_map_set_str(m, "name", s->license);
	const char *path = s->license_url, *title = s->license_title;
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		if (strcmp(known[i].id, s->license) == 0) {
			path = path ? path : known[i].path;
			title = title ? title : known[i].title;
		}
	if (path)
		value_map_set_str(m, "path", path);
	if (title)
		value_map_set_str(m, "title", title);
	value_list_push(l, m);
	return l;
}

static value *csv_resource(const site *s, const data_table *t, size_t bytes)
{
	value *r = value_map(0);
	buf b = BUF_INIT;
	value_map_set_str(r, "name", t->name);
	buf_printf(&b, "%s.csv", t->name);
	value_map_set_str(r, "path", b.ptr);
	buf_release(&b);
	value_map_set_str(r, "type", "table");
	value_map_set_str(r, "format", "csv");
	value_map_set_str(r, "mediatype", "text/csv");
	value_map_set_str(r, "encoding", "utf-8");
	value_map_set_num(r, "bytes", (double)bytes);
	value_map_set_str(r, "description", t->en);
	value_map_set_str(r, "description_fi", t->fi);
	value_map_set_str(r, "description_sv", t->sv);
	value *dialect = value_map(0);
	value_map_set_bool(dialect, "header", 1);
	value_map_set_str(dialect, "delimiter", ",");
	value_map_set_str(dialect, "lineTerminator", "\r\n");
	value_map_set_str(dialect, "quoteChar", "\"");
	value_map_set(r, "dialect", dialect);
	value_map_set(r, "schema", schema_value(s, t));
	return r;
}

value *datapackage_value(const pages_env *e, const od_sizes *sc)
{
	const site *s = e->s;
	value *p = value_map(0);
	buf b = BUF_INIT;
	value_map_set_str(p, "$schema", "https://datapackage.org/profiles/2.0/datapackage.json");
	buf_printf(&b, "avoin%s%s", sc->g ? "-" : "", sc->g ? sc->g->slug : "");
	value_map_set_str(p, "name", b.ptr);
	buf_reset(&b);
	if (sc->g)
		buf_printf(&b, "%s – %s", region_display_name(sc->g), s->title);
	else
		buf_puts(&b, s->title);
	value_map_set_str(p, "title", b.ptr);
	if (s->base_url && *s->base_url)
		value_map_set_str(p, "homepage", s->base_url);
	buf_reset(&b);
	if (sc->newest) {
		format_rfc3339(&b, sc->newest->time, sc->newest->offset);
		value_map_set_str(p, "created", b.ptr);
		value_map_set_str(p, "version", sc->newest->id);
	}
	buf_release(&b);
	value_map_set(p, "licenses", licenses_value(s));
	value *res = value_list(0);
	for (size_t t = 0; t < n_data_tables; t++)
		value_list_push(res, csv_resource(s, &data_tables[t], sc->bytes[t]));
	value *rj = value_map(0);
	value_map_set_str(rj, "name", "records");
	value_map_set_str(rj, "path", "records.json");
	value_map_set_str(rj, "format", "json");
	value_map_set_str(rj, "mediatype", "application/json");
	value_map_set_str(rj, "encoding", "utf-8");
	value_map_set_num(rj, "bytes", (double)sc->json_bytes);
	value_map_set_str(rj, "description", "Every record as in its own index.json, with its "
		"region, municipalities and themes by their ids (the tables name them) and without "
		"its versions");
	value_map_set_str(rj, "description_fi", "Jokainen asiakirja kuten sen omassa "
		"index.json-tiedostossa, mutta viittaukset hyvinvointialueeseen, kuntiin ja "
		"teemoihin tunnisteina (taulukot nimeävät ne) ja ilman versioita");
	value_map_set_str(rj, "description_sv", "Varje handling som i dess egen index.json, men "
		"välfärdsområdet, kommunerna och temana som identifierare (tabellerna namnger dem) "
		"och utan versioner");
	value_list_push(res, rj);
	value_map_set(p, "resources", res);
	return p;
}

/* "12,3 kt" / "12.3 kB": a size as the page's language writes it. */
static void put_size(buf *out, size_t bytes, const char *lang)
{
	int fi = strcmp(lang, "fi") == 0, mega = bytes >= 1000000;
	char sep = strcmp(lang, "en") == 0 ? '.' : ',';
	size_t tenths = (bytes + (mega ? 50000 : 50)) / (mega ? 100000 : 100);
	buf_printf(out, "%zu%c%zu %s", tenths / 10, sep, tenths % 10,
		mega ? (fi ? "Mt" : "MB") : (fi ? "kt" : "kB"));
}

static value *file_item(const pages_env *e, const char *name, const char *region_slug, size_t bytes, const char *lang)
{
	value *f = value_map(0);
	char *url = url_data_file(region_slug, name);
	value_map_set_str(f, "name", name);
	pages_link(e, lang, f, "href", url);
	if (bytes) {
		buf b = BUF_INIT;
		put_size(&b, bytes, lang);
		value_map_set_str(f, "size", b.ptr);
		buf_release(&b);
	}
	free(url);
	return f;
}

/* A column's rows on the data page: one per language for a column of each language. */
static void push_columns(value *cols, const site *s, const column *col, const char *lang)
{
	for (size_t l = 0; l < data_col_count(col, s); l++) {
		value *c = value_map(0);
		buf n = BUF_INIT;
		data_col_name(&n, col, data_col_lang(col, s, l));
		value_map_set_str(c, "name", n.ptr);
		buf_reset(&n);
		data_col_put(&n, col, lang, data_col_lang(col, s, l));
		value_map_set_str(c, "text", n.ptr);
		buf_release(&n);
		value_map_set_str(c, "type", data_type_name(col->type));
		value_list_push(cols, c);
	}
}

/* A table on the data page: its file, what a row is, its own columns and the common ones it has. */
static value *table_item(const pages_env *e, const data_table *t, const od_sizes *sc, size_t ti,
	const char *lang)
{
	const site *s = e->s;
	buf b = BUF_INIT;
	buf_printf(&b, "%s.csv", t->name);
	value *it = value_map(0);
	value_map_set_str(it, "name", t->name);
	value_map_set(it, "file", file_item(e, b.ptr, NULL, sc->bytes[ti], lang));
	value_map_set_str(it, "text", data_table_text(t, lang));
	char *rows = pages_count(theme_strings(e->th, lang), "data_rows",
		sc->rows[ti]);
	value_map_set_str(it, "rows", rows);
	free(rows);
	value *cols = value_list(0), *common = value_list(0);
	for (size_t i = 0; i < t->n_cols; i++) {
		if (!data_col_common(&t->cols[i])) {
			push_columns(cols, s, &t->cols[i], lang);
			continue;
		}
		value *c = value_map(0);
		value_map_set_str(c, "name", t->cols[i].name);
		value_list_push(common, c);
	}
	value_map_set_bool(it, "has_columns", value_len(cols) > 0);
	value_map_set(it, "columns", cols);
	value_map_set_bool(it, "has_common", value_len(common) > 0);
	value_map_set(it, "common", common);
	buf_release(&b);
	return it;
}

int datapage_write(const pages_env *e, const od_sizes *scopes, size_t n_scopes, const char *lang,
	diag_list *d)
{
	const value *t = theme_strings(e->th, lang);
	const char *url = url_fixed(URL_DATA);
	value *ctx = pages_base_context(e, lang, url, pages_tr(t, "data_title"));
	pages_add_crumb(e, ctx, pages_tr(t, "data_title"), NULL);
	const od_sizes *site_sc = &scopes[0];
	value *files = value_list(0);
	value_list_push(files, file_item(e, "datapackage.json", NULL, 0, lang));
	value_list_push(files, file_item(e, "records.json", NULL, site_sc->json_bytes, lang));
	value *tables = value_list(0);
	for (size_t i = 0; i < n_data_tables; i++)
		value_list_push(tables, table_item(e, &data_tables[i], site_sc, i, lang));
	value *common = value_list(0);
	for (size_t i = 0; i < n_data_common_cols; i++)
		push_columns(common, e->s, &data_common_cols[i], lang);
	value_map_set(ctx, "common", common);
	value_map_set(ctx, "files", files);
	value_map_set(ctx, "tables", tables);
	value *regions = value_list(0);
	for (size_t i = 1; i < n_scopes; i++) {
		value *g = file_item(e, "datapackage.json", scopes[i].g->slug, 0, lang);
		value_map_set_str(g, "name", pages_region_name(scopes[i].g, lang));
		value_list_push(regions, g);
	}
	value_map_set(ctx, "regions", regions);
	value *lic = licenses_value(e->s);
	if (value_len(lic))
		value_map_set(ctx, "license", value_ref(value_at(lic, 0)));
	value_free(lic);
	value_map_set(ctx, "calendar", calendar_links(e, lang, url_fixed(URL_FRONT)));
	pages_link(e, lang, ctx, "deadlines_href", url_fixed(URL_DEADLINES));
	char *path = pages_out_path(e, lang, url);
	int ret = pages_render(e, "data", ctx, path, d);
	free(path);
	value_free(ctx);
	return ret;
}

