#ifndef AVOIN_MODEL_H
#define AVOIN_MODEL_H
/*
 * The content model of the handbook (doc/handbook.md): site settings, regions,
 * municipalities and the records, loaded from the files of one revision and
 * validated. The model owns every record; other modules borrow them.
 */
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
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
/* The type a publisher meant by word: its name, a Finnish word for it ("pöytäkirja") or a near miss ("minute"). 0 or -1. */
int record_type_guess(const char *word, record_type *out);

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
	const char *lang;   /* record language (meta or site default; a translation's: its name's) */
	int draft;
	/*
	 * Translations (doc/handbook.md, "Languages and translations"): a file
	 * "<slug>.<lang>.md" beside the original. A translation is a record of
	 * its own (path, file, oid, body, its own history) with the original's
	 * URL, type, region and municipalities, and as meta the original's front
	 * matter with the translation's keys over it; it is not in site.records.
	 * original: the original of a translation, NULL for an original;
	 * translations: an original's, in site.languages order.
	 */
	struct record *original;
	struct record **translations;
	size_t n_translations;
	int lang_index;     /* a translation's lang's place in site.languages */
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
	/* build.c: its words for the search index (terms.h's format: sorted terms with their
	 * weighted counts) and its weighted length; NULL when it has none */
	char *search_terms;
	size_t search_terms_len;
	uint32_t search_length;
	/* build.c: the newest commit that changed it (history.h), NULL: none or no history */
	const struct history_commit *last_change;
	/* build.c: the files the body names (links, images, block hooks' src=), each once */
	const struct model_file **named;
	size_t n_named, cap_named;
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
	record **translations;       /* every translation incl. drafts, sorted by path */
	size_t n_translations;
	char *content_prefix;        /* "content/" */
	/* data files (.tsv/.csv/annexes, anything not .md): path -> file */
	model_file *files;
	size_t n_files;
	int raw_files;               /* site.yaml raw_files: true: records may name files of any type */
	int worktree;                /* read from the working tree: messages name it, not a revision */
	/* site.yaml license: the open data's licence (an SPDX id), its address and title; or NULL */
	const char *license, *license_url, *license_title;
} site;

typedef struct model_opts {
	const char *content_prefix;  /* prefix for messages, e.g. "content/" */
	int strict;                  /* unknown keys and draft links are errors */
	size_t jobs;                 /* threads that parse the records; 0 or 1: one */
	struct fm_cache *fm;         /* parsed front matter by blob id (frontmatter.h), or NULL */
	int worktree;                /* the files are the working tree's, not a revision's */
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
/*
 * A part of s, for a scoped site (site/scope.h): the records keep marks (per
 * index of s->records) and their translations, the run of n_regions regions
 * at regions (of s->regions), and base_url ("" for none, else ending in
 * '/'); the rest (site.yaml, themes, files, the records themselves) is s's,
 * borrowed. Lookups on the part find only what it holds.
 */
site *site_part(const site *s, const unsigned char *keep, const region *regions, size_t n_regions,
	const char *base_url);
void site_part_free(site *part);

record *site_find_record(const site *s, const char *path);      /* content-relative .md path */
/* The translation at a content-relative path ("x/y.sv.md"), or NULL. */
record *site_find_translation(const site *s, const char *path);
/* tr's place in site.translations (n_translations when it is not there). */
size_t site_translation_index(const site *s, const record *tr);
/* r's translation into lang (r itself when lang is r's own), or NULL; drafts are not given. */
const record *record_in_lang(const record *r, const char *lang);
/*
 * Records and translations as one run of indexes, for passes over every file
 * that is rendered (bodies, digests): [0, n_records) the records, then the
 * translations.
 */
size_t site_n_texts(const site *s);
record *site_text_at(const site *s, size_t i);
/*
 * A record file's name as a translation's: "a/x.sv.md" -> 1, *orig "a/x.md"
 * (new string) and lang "sv". 0 for any other name (no second suffix of two
 * or three lower-case letters).
 */
int site_translation_name(const char *path, char **orig, char lang[4]);
record *site_find_url(const site *s, const char *url);          /* "/a/b/" */
record *site_find_municipality(const site *s, const char *slug);
region *site_find_region(const site *s, const char *slug);
/* g's place in s->regions; s->n_regions when g is not one of them (a part of the site). */
size_t site_region_index(const site *s, const region *g);
/*
 * 1 when the page of municipality m lists a record of type type in region
 * g with the municipalities munis and the front matter meta (given apart,
 * so that a removed record's last version can be asked too): m's own
 * record; a record of m's region that names m in `municipalities` or, an
 * agreement, among its `parties`; a record of m's region for all of it (no
 * `municipalities`). Pages and the lists and feeds of changes both ask this.
 */
int municipality_shows(const record *m, record_type type, const struct region *g,
	struct record *const *munis, size_t n_munis, const value *meta);
const theme_def *site_find_theme(const site *s, const char *slug);
const model_file *site_find_file(const site *s, const char *path);
/* The name people know a region or a record by: its `name` key, else its title. */
/* Finnish alphabetical order without the locale: å, ä, ö after z (as strcmp returns). */
int fi_cmp(const char *a, const char *b);
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
/*
 * Files that records name (doc/handbook.md, "Files that records name"): an
 * annex's file, a report's indicators, a block's src=, a Markdown link or
 * image to a file. written is looked up relative to the folder of the record
 * at from_path ("r/raportit/x.md"), then relative to its region's folder
 * ("r/"); "/x" is taken from the content root. Only files that may be
 * published are found: not records, site.yaml, hooks/, templates/ or hidden
 * files, and (unless site.yaml says raw_files: true) only the types of
 * site_publishable_type(). NULL, with what is wrong in why (e.g. "'x.pdf'
 * does not exist at this revision (looked for 'r/a/x.pdf' and 'r/x.pdf')"),
 * when it names nothing of that kind or leaves the content folder.
 */
const model_file *site_resolve_file(const site *s, const char *from_path, const char *written,
	buf *why);
/* 1 for the types published as they are: PDF, office documents, images but SVG, CSV, TSV, text. */
int site_publishable_type(const char *path);

/*
 * A reader of files for hooks (hook_ctx.read_file, avoin.read): opaque is a
 * site_reader; each file found is handed to note (may be NULL), so that the
 * caller knows what the record named.
 */
typedef struct site_reader {
	const site *s;
	const char *from;       /* the record's content path */
	void (*note)(void *ud, const model_file *f);
	void *ud;
	/* per file of s->files, 1 when it is published: an old version's Markdown links only
	 * to those (reads are not limited: reading publishes nothing); NULL: no limit */
	const unsigned char *published;
} site_reader;
const char *site_reader_read(void *opaque, const char *written, size_t *len, const char **path,
	buf *why);

/* Normalises "a/b/../c.md" relative to dir into a content path (malloc'd), NULL when it leaves the root. */
char *path_join_normalize(const char *dir, const char *rel);
/* The first folder of a content path ("kainuu" of "kainuu/x.md"), or NULL for a file at the top. */
char *path_top_folder(const char *path);

/*
 * The site as one value tree, as Lua hooks see it (records borrowed as
 * their meta plus computed keys: url, path, type, region, slug). Built
 * once after validation; the caller frees it.
 */
value *site_model_value(const site *s, const char *build_date);
/* One record as a value: its meta plus url, path, type, region, slug, file. */
value *record_value(const record *r);

#endif
