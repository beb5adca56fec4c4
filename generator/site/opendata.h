#ifndef AVOIN_OPENDATA_H
#define AVOIN_OPENDATA_H
/*
 * The records as open data. Beside each record's page its JSON
 * ("<page>index.json"): the front matter as typed values, the references
 * resolved (region, municipalities, parties, themes with their names in
 * every language, annexes and data files as the URLs they are published
 * at), its summary, translations and pages in every language, and from the
 * history its first and last change and every version with its permalink.
 * Under /avoindata/ the whole site's data, and under /avoindata/<region>/
 * each region's subset: a CSV per table (opendata_impl.h: one row per record
 * of a type, and rows of outcomes, members and record-municipality pairs),
 * records.json, and datapackage.json (Frictionless Data Package v2, a Table
 * Schema per CSV with descriptions in Finnish, Swedish and English, primary
 * and foreign keys, the licence of site.yaml). A page about them in every
 * language explains every column.
 *
 * CSV files follow RFC 4180: UTF-8, a header row, CRLF, a field quoted when
 * it holds a quote, comma or line break; lists joined by ';'. A cell that
 * starts with '=', '+', '-', '@', a tab or a carriage return is written with
 * an apostrophe in front, so that a spreadsheet shows it as text and never
 * evaluates it.
 */
#include "buf.h"
#include "diag.h"
#include "page.h"

struct histpages;

/*
 * What the records give the tables, gathered while their pages are written
 * (each record's by the worker that writes it) and written out at the end.
 */
typedef struct opendata opendata;
opendata *opendata_new(const site *s);
void opendata_free(opendata *od);
/*
 * Record i's JSON file, after histpages_write_record() (its versions'
 * links), and its part of the tables into od.
 */
int opendata_write_record(const pages_env *e, opendata *od, const struct histpages *hp, size_t i,
	diag_list *d);
/*
 * After every record's opendata_write_record(): the site's and every region's
 * tables, records.json and datapackage.json, and the data page.
 */
int opendata_write(const pages_env *e, opendata *od, diag_list *d);

/*
 * After opendata_write() and opendata_write_record() again for the n
 * records idx (build_patch): what those records changed. When their CSV rows
 * are as they were, only records.json of the scopes that hold them (and,
 * when its size changed, their datapackage.json and the data page); else
 * everything, as opendata_write().
 */
int opendata_write_rows(const pages_env *e, opendata *od, const size_t *idx, size_t n,
	diag_list *d);
/* One CSV field as written: quoted where it must be, a formula's start made inert. */
void csv_put_cell(buf *out, const char *s, size_t len);

#endif
