#ifndef AVOIN_MODEL_H
#define AVOIN_MODEL_H
/*
 * The content model of ../shared/CONTENT-MODEL.md: site settings, regions,
 * municipalities and the records, loaded from the files of one revision and
 * validated. The model owns every record; other modules borrow them.
 */
#include <stddef.h>

#include "diag.h"
#include "value.h"

typedef enum record_type {
	REC_REGION,
	REC_MUNICIPALITY,
	REC_AGREEMENT,
	REC_MINUTES,
	REC_NEGOTIATION,
	REC_REPORT,
	REC_PARTNERSHIP,
	REC_PAGE,
	REC_TYPE_COUNT
} record_type;

/* "region", "municipality", ... as in front matter; NULL for an unknown type. */
const char *record_type_name(record_type t);
int record_type_parse(const char *s, record_type *out);

/* One input file, as handed to the model by whoever read the repository. */
typedef struct model_file {
	const char *path;   /* relative to the content root, e.g. "pohjois-karjala/region.md" */
	const char *data;   /* NUL-terminated */
	size_t len;
	const char *oid;    /* git blob id (hex), may be "" */
} model_file;

typedef struct record {
	char *path;         /* content-relative path of the .md file */
	char *file;         /* path for messages: content prefix + path, e.g. "content/x/y.md" */
	char *url;          /* site path, e.g. "/pohjois-karjala/poytakirjat/x/" ("/x/" for a root page) */
	char *slug;         /* file name without .md */
	char *oid;          /* blob id of the source */
	record_type type;
	value *meta;        /* the front matter map, as written */
	const char *title;  /* borrowed from meta */
	const char *date;   /* "YYYY-MM-DD" or NULL; minutes/negotiation date, else signed/approved.date */
	const char *lang;   /* record language (meta or site default) */
	int draft;
	/*
	 * The CommonMark body: borrowed from the model_file's bytes, which must
	 * outlive every use of it (rendering); NULL after site_release_bodies().
	 */
	const char *body;
	size_t body_len;
	int body_line;      /* file line where the body starts */
	struct region *region;            /* NULL for root pages */
	struct record **municipalities;   /* resolved `municipalities` (or a municipality record: itself) */
	size_t n_municipalities;
	/* Filled in by later stages (markdown, hooks); owned by the record. */
	char *html;         /* rendered body; NULL when it is in the cache under html_key */
	/* build.c: how many URLs in html are the page's root and a path (markdown_reroot) */
	size_t n_rooted;
	int html_site;      /* a hook read the site model while html was rendered */
	/* the cache key html was kept under (build.c), standing for it in page keys; "" when none */
	char html_key[41];
	/* build.c: a digest of the record as hooks and pages see it (its blob id and what the
	 * model derives from it), standing for it in cache and page keys; "" when none */
	char digest[41];
	/* the same without the body: the front matter and the derived fields (page keys) */
	char meta_digest[41];
	char *summary;      /* plain-text summary (meta summary or the summary hook's) */
} record;

typedef struct area {
	char *slug;
	char *name;
	struct record **municipalities;
	size_t n_municipalities;
} area;

typedef struct region {
	char *slug;                  /* the folder name */
	record *rec;                 /* its region.md */
	area *areas;
	size_t n_areas;
	record **municipalities;     /* every municipality record of the region, by name */
	size_t n_municipalities;
} region;

typedef struct theme_def {
	char *slug;
	value *name;                 /* {fi, sv, en} map */
} theme_def;

typedef struct site {
	value *config;               /* site.yaml */
	const char *title;
	const char *base_url;        /* always ends in '/', "" when unset */
	const char **languages;      /* at least one; [0] is the default */
	size_t n_languages;
	theme_def *themes;
	size_t n_themes;
	region *regions;             /* sorted by slug */
	size_t n_regions;
	record **records;            /* every record incl. drafts, sorted by path */
	size_t n_records;
	char *content_prefix;        /* "content/" */
	/* data files (.tsv/.csv/annexes, anything not .md): path -> file */
	model_file *files;
	size_t n_files;
} site;

typedef struct model_opts {
	const char *content_prefix;  /* prefix for messages, e.g. "content/" */
	int strict;                  /* unknown keys and draft links are errors */
	size_t jobs;                 /* threads that parse the records; 0 or 1: one */
	struct fm_cache *fm;         /* parsed front matter by blob id (frontmatter.h), or NULL */
} model_opts;

/*
 * Loads and validates every file. Returns the site (also when there were
 * validation errors, so that every error of a build is reported); the
 * caller checks d->errors. The site copies non-.md files; the records'
 * bodies point into the .md files' bytes, which must stay until the bodies
 * are no longer read (rendering and summaries done: site_release_bodies).
 */
site *site_load(const model_file *files, size_t n, const model_opts *o, diag_list *d);
/* Forgets the borrowed bodies (body NULL, body_len 0): their bytes may be freed. */
void site_release_bodies(site *s);
void site_free(site *s);

record *site_find_record(const site *s, const char *path);      /* content-relative .md path */
record *site_find_url(const site *s, const char *url);          /* "/a/b/" */
record *site_find_municipality(const site *s, const char *slug);
region *site_find_region(const site *s, const char *slug);
const theme_def *site_find_theme(const site *s, const char *slug);
const model_file *site_find_file(const site *s, const char *path);
/* The name people know a region or a record by: its `name` key, else its title. */
const char *region_display_name(const region *g);
const char *record_display_name(const record *r);
/* The name of a theme in a language (falls back to fi, then the slug). */
const char *theme_name(const theme_def *t, const char *lang);

/*
 * Resolves a link target written in a record (relative .md path, site path
 * "/a/b/", with optional "#fragment") against the record's folder. Returns
 * the target record or NULL; *fragment (may be NULL) points into target.
 */
record *site_resolve_link(const site *s, const record *from, const char *target, const char **fragment);
/* Normalises "a/b/../c.md" relative to dir into a content path (malloc'd), NULL when it leaves the root. */
char *path_join_normalize(const char *dir, const char *rel);

/*
 * The site as one value tree, as Lua hooks see it (records borrowed as
 * their meta plus computed keys: url, path, type, region, slug). Built
 * once after validation; the caller frees it.
 */
value *site_model_value(const site *s, const char *build_date);
/* One record as a value: its meta plus url, path, type, region, slug, file. */
value *record_value(const record *r);

#endif
