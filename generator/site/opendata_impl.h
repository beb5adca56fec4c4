#ifndef AVOIN_OPENDATA_IMPL_H
#define AVOIN_OPENDATA_IMPL_H
/*
 * What opendata.c and datatables.c share: the tables of the open data and
 * their columns, each described in Finnish, Swedish and English (the
 * datapackage.json's Table Schemas and the data page both read them).
 */
#include <stddef.h>

#include "diag.h"
#include "model.h"
#include "page.h"
#include "value.h"

typedef enum col_type { T_STRING, T_DATE, T_DATETIME, T_INTEGER, T_LIST, T_URI } col_type;

/* How a row's cell is found. */
typedef enum col_get {
	G_META,        /* key: a front-matter path ("approved.date"); a list's scalars joined by ';' */
	G_ID,          /* the record's address without the slashes ("kainuu/sopimukset/x") */
	G_URL,         /* its page (absolute with base_url) */
	G_TITLE,       /* per language: its title there, "" without a translation */
	G_SUMMARY,     /* per language: the same for its summary */
	G_LANG,
	G_DATE,        /* the record's date (record.date) */
	G_REGION,      /* its region's slug */
	G_MUNIS,       /* the municipalities it concerns, by slug */
	G_THEMES,
	G_FILES,       /* key: file names (or maps with a file) as the URLs they are published at */
	G_COUNT,       /* key: how many items a list has */
	G_AREAS,       /* a region's areas by slug */
	G_CREATED,     /* from the history: its first version's time */
	G_UPDATED,     /* its last change's time */
	G_COMMIT,      /* its last change's commit */
	G_SOURCE,      /* its file in the repository */
	/* rows of the tables that are not one per record (opendata.c fills them) */
	G_PARENT, G_NUMBER, G_ITEM, G_ITEM_TYPE, G_ITEM_MUNI,
} col_get;

typedef struct column {
	const char *name;
	col_type type;
	col_get get;
	const char *key;          /* G_META, G_FILES, G_COUNT, G_ITEM: the key */
	int per_lang;             /* one column per site language: "<name>_<lang>" */
	const char *fi, *sv, *en; /* what the column holds */
} column;

/* Rows that are not records: a negotiation's outcomes, a group's members, a record's municipalities. */
typedef enum table_rows { ROWS_RECORDS, ROWS_OUTCOMES, ROWS_MEMBERS, ROWS_MUNIS } table_rows;

typedef struct data_table {
	const char *name;         /* the resource's name and file: "agreements" -> agreements.csv */
	record_type type;         /* ROWS_RECORDS, ROWS_OUTCOMES, ROWS_MEMBERS: the records' type */
	table_rows rows;
	const column *cols;
	size_t n_cols;
	const char *fi, *sv, *en; /* what a row is */
	const char *pkey[2];      /* the primary key's fields */
	/* foreign keys: this table's field -> the resource's id */
	struct { const char *field, *resource; } fkeys[2];
} data_table;

extern const data_table data_tables[];
extern const size_t n_data_tables;
/* Table Schema's name for a column type. */
const char *data_type_name(col_type t);
/*
 * The column's description in lang (fi, sv, else en); for a column of one
 * language (col_lang, else NULL) with that language's code in it.
 */
void data_col_put(struct buf *out, const column *c, const char *lang, const char *col_lang);
/*
 * A column is one per site language when per_lang: its l-th language (NULL
 * for a column of one), and its name in the CSV ("title_sv") into out.
 */
size_t data_col_count(const column *c, const site *s);
const char *data_col_lang(const column *c, const site *s, size_t l);
void data_col_name(struct buf *out, const column *c, const char *col_lang);
/* The columns that several record tables share, and whether c is one of them. */
extern const column *const data_common_cols;
extern const size_t n_data_common_cols;
int data_col_common(const column *c);
const char *data_table_text(const data_table *t, const char *lang);

/* Room for the tables' offsets in a record's rows. */
#define OD_MAX_TABLES 16

/* What one record gives the tables: its JSON and its CSV rows of each table. */
typedef struct od_row {
	char *json;                       /* as in records.json; NULL: not published */
	size_t json_len;
	char *csv;                        /* table t's rows: csv[off[t], off[t + 1]) */
	size_t off[OD_MAX_TABLES + 1];
	size_t lines[OD_MAX_TABLES];
} od_row;

struct opendata {
	od_row *rows;                     /* by the record's index in the site */
	size_t n;
	/*
	 * A scoped site's reference rows: its region's and municipalities'
	 * records that it links to without holding them (a municipality's site
	 * holds no region), by path, so that every region and municipality its
	 * tables name is in its regions and municipalities tables.
	 */
	const record **refs;
	od_row *ref_rows;
	size_t n_refs;
	/* the scopes as the last opendata_write() left them (opendata_write_rows) */
	struct od_sizes *last;
	size_t n_last;
	int csv_changed;                  /* a record's CSV rows were written again, changed */
};

/* What a scope's files came to: for its data package and the data page. */
typedef struct od_sizes {
	const region *g;                  /* NULL: the whole site */
	size_t bytes[OD_MAX_TABLES], rows[OD_MAX_TABLES];
	size_t json_bytes;
	/* the newest change of its records: the package's version, so that a commit in one
	 * region leaves the others' packages as they were; NULL: none (a worktree build) */
	const struct history_commit *newest;
} od_sizes;

/* datapage.c: a scope's datapackage.json, and the data page in lang. */
value *datapackage_value(const pages_env *e, const od_sizes *sz);
int datapage_write(const pages_env *e, const od_sizes *scopes, size_t n, const char *lang,
	diag_list *d);

#endif
