#ifndef AVOIN_HISTPAGES_IMPL_H
#define AVOIN_HISTPAGES_IMPL_H
/*
 * Inside the history pages (histpages.h is their interface): the state of
 * one run, shared by histpages.c (a record's history, versions and removal
 * page, redirects) and changes.c (the lists of changes and the feeds).
 */
#include "histpages.h"
#include "htab.h"

#define PER_PAGE 30     /* commits per "Muutokset" page */
#define FEED_MAX 50     /* entries per Atom feed */
#define TAG_PREFIX PAGES_TAG_PREFIX

typedef struct lineage {
	const char *path;           /* the path now, or when it was deleted */
	const record *rec;          /* the current record; NULL when deleted */
	char *url;                  /* the record's page, or its removal page */
	history_change *const *changes;  /* newest first */
	size_t n;
	value *last_meta;           /* deleted: the last published version's front matter */
	size_t last_idx;            /* deleted: that version's change */
	const char *title;
	const region *region;
	record **munis;             /* borrowed from rec, or owned (deleted) */
	size_t n_munis;
	const char *lang;
	/* deleted, but its URL is a current page's (a removed translation whose original is
	 * there): its history is published, with no removal page */
	int no_removal;
} lineage;

/* What the pages know about one change, found by the change's address. */
typedef struct cinfo {
	const history_change *c;
	lineage *l;
	char *vhref;                /* the version's permalink from the root, or NULL */
} cinfo;

typedef struct histpages {
	const pages_env *e;
	const site *s;
	const history *h;
	int authors;                /* show authors' names */
	lineage *lines;
	size_t n_lines, cap_lines;
	size_t *line_of;            /* a record's index -> its lineage's index + 1; 0: none */
	cinfo *map;                 /* what the pages know of each change */
	size_t n_map;
	htab map_index;             /* positions in map, by the change's address */
} hp;

/* histpages.c: helpers the lists of changes use too */
extern const char *const hp_kind_names[];   /* by change_kind: "added", ... */
int hp_check_url_free(const hp *st, const char *url, const char *what, diag_list *d);
cinfo *hp_cinfo_find(const hp *st, const history_change *c);
char *hp_clean_message(const char *msg);
value *hp_commit_value(const hp *st, const history_commit *c);
void hp_put_xml(buf *out, const char *s);
const region *hp_region_of_path(const site *s, const char *path);
void hp_set_kind(value *m, const value *t, change_kind k, const char *prefix);
void hp_set_source(value *ctx, const history_commit *c);
/* changes.c: the lists of changes ("Muutokset") and their Atom feeds */
int hp_write_changes(hp *st, size_t worker, size_t n_workers, diag_list *d);

#endif
