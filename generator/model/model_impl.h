#ifndef AVOIN_MODEL_IMPL_H
#define AVOIN_MODEL_IMPL_H
/*
 * Inside the model (model.h is its interface): the loading state shared by
 * model.c (loading the site, site.yaml, lookups, the model as a value),
 * resolve.c (paths and the files records name) and validate.c (the content
 * model's rules and the typed getters).
 */
#include <stddef.h>

#include "buf.h"
#include "diag.h"
#include "msg.h"
#include "frontmatter.h"
#include "model.h"
#include "value.h"

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
	size_t errors;            /* errors its checks reported (a translation's are not repeated) */
	int translation;          /* its name is "<slug>.<lang>.md" (translations.c) */
} rinfo;

typedef struct vctx {
	site_priv *sp;
	diag_list *d;
	record *r;                /* NULL while reading site.yaml */
	const char *file;
	int line0;
	int strict;
} vctx;

/* validate.c */
#define URL_EMAIL_OK 0x100   /* mv_get_url: an e-mail address is allowed too */
void __attribute__((format(printf, 3, 4))) mv_err(vctx *c, int line, const char *fmt, ...);
void mv_bad(vctx *c, const char *name, const value *v, const char *want);
void mv_bad_kind(vctx *c, const char *name, const value *v, const char *want);
void mv_put_options(buf *out, const char *const *options);
/*
 * The allowed value got was most likely meant as: the value a Finnish word
 * for it stands for ("allekirjoitettu": "signed"), or one a letter or two
 * away ("signd"); NULL when none is near.
 */
const char *mv_suggest(const char *got, const char *const *options);
/* mv_bad() for a value that must be one of options, with what it was most likely meant as. */
void mv_bad_choice(vctx *c, const char *name, const value *v, const char *want,
	const char *const *options);
value *mv_get(const value *m, const char *key);
void mv_missing(vctx *c, int line, const char *name, const char *want);
const char *mv_get_str(vctx *c, const value *m, const char *key, const char *name, int required,
	int mline);
const char *mv_get_url(vctx *c, const value *m, const char *key, const char *name,
	unsigned allow);
value *mv_get_kind(vctx *c, const value *m, const char *key, const char *name, value_kind k,
	int required, int mline);
value *mv_get_list(vctx *c, const value *m, const char *key, const char *name, int required,
	int mline);
value *mv_get_map(vctx *c, const value *m, const char *key, const char *name, int required,
	int mline);
value *mv_get_str_list(vctx *c, const value *m, const char *key, const char *name);
value *mv_item_map(vctx *c, const char *name, value *it);
void mv_load_areas(vctx *c, region *g);
/* site.yaml's accessibility: what the statement of Act 306/2019 § 9 is made of. */
void mv_check_accessibility(vctx *c, const value *acc);
void mv_check_record(vctx *c, rinfo *ri);

/* translations.c: ti[0..n) the translations read, by_path the originals' rinfo sorted by path */
void mdl_load_translations(vctx *c, rinfo *ti, size_t n, const rinfo *by_path, size_t n_orig);

/* model.c */
/* The index of the record at path in sorted (by path; n records), or n when it is not there. */
size_t mdl_path_index(record *const *sorted, size_t n, const char *path);
extern const char *const mdl_type_names[REC_TYPE_COUNT + 1];
area *mdl_region_find_area(const region *g, const char *slug);
int mdl_is_lang_code(const char *s);
void mdl_add_record_muni(record *r, record *m);
record *mdl_region_muni(const site *s, const region *g, const char *slug);
void mdl_report_unknown_muni(vctx *c, const char *name, const value *it, const region *g);

#endif
