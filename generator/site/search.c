/* The search index of a site language (search.h). */
#include "search.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "cache.h"
#include "htab.h"
#include "urls.h"
#include "util.h"
#include "banned.h"

/* A compound's postings count for its last part at this share of their weight. */
#define PART_SHARE 0.7

typedef struct posting {
	uint32_t doc;
	uint32_t w;          /* 1..255 */
} posting;

typedef struct term {
	const char *s;       /* in a record's search_terms */
	size_t len;
	posting *p;
	size_t n, cap;
} term;

typedef struct sindex {
	const pages_env *e;
	const char *lang;
	const record **docs;     /* the records, in site order */
	size_t n_docs;
	term *t;
	size_t n, cap;
	htab map;                /* places in t, by the term's hash */
} sindex;

static size_t find_term(const sindex *x, const char *s, size_t len)
{
	uint64_t h = fnv1a(FNV1A_INIT, s, len);
	htab_iter it;
	for (size_t p = htab_first(&x->map, h, &it); p != HTAB_NONE; p = htab_next(&x->map, h, &it))
		if (x->t[p].len == len && memcmp(x->t[p].s, s, len) == 0)
			return p;
	return HTAB_NONE;
}

static void add_posting(sindex *x, const char *s, size_t len, uint32_t doc, uint32_t w)
{
	size_t p = find_term(x, s, len);
	if (p == HTAB_NONE) {
		x->t = xgrow(x->t, sizeof(term), x->n + 1, &x->cap);
		x->t[x->n] = (term){ s, len, NULL, 0, 0 };
		htab_add(&x->map, fnv1a(FNV1A_INIT, s, len), x->n);
		p = x->n++;
	}
	term *t = &x->t[p];
	t->p = xgrow(t->p, sizeof(posting), t->n + 1, &t->cap);
	t->p[t->n++] = (posting){ doc, w };
}

/* A term's weight in a document: its weighted count, at most 255. */
static uint32_t weight(unsigned count)
{
	return count < 1 ? 1 : count > 255 ? 255 : count;
}

/* Every published record's words, shown in lang: its translation's, else its own. */
static void read_docs(sindex *x)
{
	const site *s = x->e->s;
	x->docs = xcalloc(s->n_records + 1, sizeof(record *));
	for (size_t i = 0; i < s->n_records; i++) {
		const record *r = s->records[i];
		if (r->draft)
			continue;
		const record *tr = record_in_lang(r, x->lang), *shown = tr ? tr : r;
		uint32_t doc = (uint32_t)x->n_docs;
		x->docs[x->n_docs++] = r;
		const char *p = shown->search_terms, *end = p + shown->search_terms_len;
		while (p && p < end) {
			size_t len = strlen(p);
			const unsigned char *c = (const unsigned char *)p + len + 1;
			add_posting(x, p, len, doc, weight((unsigned)(c[0] | c[1] << 8)));
			p += len + 3;
		}
	}
}

/* to's postings with from's added at PART_SHARE of their weight (both in document order). */
static void merge_part(term *to, const term *from)
{
	posting *out = xmalloc((to->n + from->n + 1) * sizeof(posting));
	size_t i = 0, j = 0, n = 0;
	while (i < to->n || j < from->n) {
		if (j == from->n || (i < to->n && to->p[i].doc < from->p[j].doc)) {
			out[n++] = to->p[i++];
			continue;
		}
		uint32_t w = (uint32_t)lround(from->p[j].w * PART_SHARE);
		if (i < to->n && to->p[i].doc == from->p[j].doc)
			w += to->p[i++].w;
		out[n++] = (posting){ from->p[j++].doc, w < 1 ? 1 : w > 255 ? 255 : w };
	}
	free(to->p);
	to->p = out;
	to->n = to->cap = n;
}

/*
 * A compound also counts for its last part: the longest end of the term, of
 * five bytes or more after at least three, that is a term of its own. The
 * parts are found first and merged after, so a part's own parts do not count.
 */
static size_t *find_parts(const sindex *x)
{
	size_t n = x->n, *part = xmalloc((n + 1) * sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		part[i] = HTAB_NONE;
		const term *t = &x->t[i];
		for (size_t k = 3; t->len >= 8 && k + 5 <= t->len && part[i] == HTAB_NONE; k++)
			if (((unsigned char)t->s[k] & 0xC0) != 0x80)
				part[i] = find_term(x, t->s + k, t->len - k);
	}
	return part;
}

static void merge_parts(sindex *x, const size_t *part)
{
	for (size_t i = 0; i < x->n; i++)
		if (part[i] != HTAB_NONE && part[i] != i) {
			/* merge from a copy: the part may itself have been merged into */
			term from = x->t[i];
			merge_part(&x->t[part[i]], &from);
		}
}

static int cmp_term(const void *a, const void *b)
{
	const term *x = a, *y = b;
	int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* The bytes of a term's first n letters. */
static size_t key_len(const term *t, int n)
{
	size_t k = 0;
	for (int ch = 0; ch < n && k < t->len; ch++) {
		k++;
		while (k < t->len && ((unsigned char)t->s[k] & 0xC0) == 0x80)
			k++;
	}
	return k;
}

/* 1 when t has exactly the first kl bytes of key. */
static int same_key(const term *t, size_t kl, const term *key)
{
	return t->len >= kl && memcmp(t->s, key->s, kl) == 0;
}

/* Writes data as <prefix><hash>.json under lang's folder; its name into name. 0 or -1. */
static int write_hashed(const sindex *x, const char *prefix, const buf *data, buf *name,
	diag_list *d)
{
	cache_key k;
	cache_key_of(data, &k);
	char hex[41];
	cache_key_hex(&k, hex);
	buf_reset(name);
	buf_printf(name, "%s%.12s.json", prefix, hex);
	char *url = url_search_file(x->lang, name->ptr);
	int ret = output_write(x->e->out, url_href(url), data->ptr ? data->ptr : "", data->len, d);
	free(url);
	return ret;
}

/* A shard's JSON: terms [from, to), postings with each doc as its distance from the one before. */
static void shard_json(const sindex *x, size_t from, size_t to, buf *data)
{
	buf_reset(data);
	buf_putc(data, '{');
	/* terms are letters and digits: nothing in them to escape in JSON */
	for (size_t j = from; j < to; j++) {
		const term *t = &x->t[j];
		buf_printf(data, "%s\"%.*s\":[", j > from ? "," : "", (int)t->len, t->s);
		for (size_t p = 0; p < t->n; p++) {
			if (p)
				buf_putc(data, ',');
			buf_put_uint(data, t->p[p].doc - (p ? t->p[p - 1].doc : 0));
			buf_putc(data, ',');
			buf_put_uint(data, t->p[p].w);
		}
		buf_putc(data, ']');
	}
	buf_puts(data, "}\n");
}

/* Writes the shard of terms [from, to) under the key of their first kl bytes; into files. */
static int write_shard(const sindex *x, size_t from, size_t to, size_t kl, value *files,
	buf *data, diag_list *d)
{
	buf name = BUF_INIT, key = BUF_INIT;
	shard_json(x, from, to, data);
	buf_puts(&key, "t-");
	for (size_t b = 0; b < kl; b++)
		buf_printf(&key, "%02x", (unsigned char)x->t[from].s[b]);
	buf_putc(&key, '-');
	int ret = write_hashed(x, key.ptr, data, &name, d);
	char *k = xstrndup(x->t[from].s, kl);
	value_map_set_str(files, k, name.ptr);
	free(k);
	buf_release(&name);
	buf_release(&key);
	return ret;
}

/* The end of the group of terms that starts at i: those with the same two first letters. */
static size_t group_end(const term *t, size_t n, size_t i)
{
	size_t k2 = key_len(&t[i], 2), j = i;
	while (j < n && key_len(&t[j], 2) == k2 && same_key(&t[j], k2, &t[i]))
		j++;
	return j;
}

/*
 * The shards of the terms [i, j) of x (sorted, the same two first letters):
 * one, or split by the third letter when it would be larger than
 * SEARCH_SHARD_MAX; their files into files.
 */
static int write_group(const sindex *x, size_t i, size_t j, value *files, buf *data, diag_list *d)
{
	size_t k2 = key_len(&x->t[i], 2);
	shard_json(x, i, j, data);
	if (data->len <= SEARCH_SHARD_MAX)
		return write_shard(x, i, j, k2, files, data, d);
	/* terms of two letters first (they sort first), then one shard per third letter */
	int ret = 0;
	size_t a = i;
	while (a < j && key_len(&x->t[a], 3) == k2)
		a++;
	if (a > i)
		ret |= write_shard(x, i, a, k2, files, data, d);
	while (a < j) {
		size_t k3 = key_len(&x->t[a], 3), b = a;
		while (b < j && key_len(&x->t[b], 3) == k3 && same_key(&x->t[b], k3, &x->t[a]))
			b++;
		ret |= write_shard(x, a, b, k3, files, data, d);
		a = b;
	}
	return ret;
}

/* The shards, group by group; their files into files. */
static int write_shards(sindex *x, value *files, diag_list *d)
{
	qsort(x->t, x->n, sizeof(term), cmp_term);
	buf data = BUF_INIT;
	int ret = 0;
	for (size_t i = 0, j; i < x->n; i = j) {
		j = group_end(x->t, x->n, i);
		ret |= write_group(x, i, j, files, &data, d);
	}
	buf_release(&data);
	return ret;
}

/* The document table in parts of SEARCH_CHUNK; their files into files. */
static int write_docs(const sindex *x, value *files, diag_list *d)
{
	const value *t = theme_strings(x->e->th, x->lang);
	buf data = BUF_INIT, name = BUF_INIT, prefix = BUF_INIT;
	int ret = 0;
	for (size_t first = 0, k = 0; first < x->n_docs; first += SEARCH_CHUNK, k++) {
		value *part = value_list(0);
		for (size_t i = first; i < x->n_docs && i < first + SEARCH_CHUNK; i++) {
			value *it = pages_record_item(x->e, x->docs[i], t, x->lang);
			value *row = value_list(0);
			static const char *const keys[] = { "title", "href", "type_label", "region_name",
				"date_fi", "summary", "title_lang" };
			for (size_t f = 0; f < sizeof keys / sizeof *keys; f++) {
				const char *v = value_map_str(it, keys[f]);
				value_list_push(row, value_string(v ? v : "", 0));
			}
			/* the municipalities it names, in the list's language */
			buf ms = BUF_INIT;
			const record *r = x->docs[i];
			for (size_t m = 0; m < r->n_municipalities && r->type != REC_MUNICIPALITY; m++)
				buf_printf(&ms, "%s%s", m ? ", " : "", pages_name(r->municipalities[m], x->lang));
			value_list_push(row, value_string(ms.ptr ? ms.ptr : "", 0));
			buf_release(&ms);
			value_list_push(part, row);
			value_free(it);
		}
		buf_reset(&data);
		value_put_json(&data, part);
		buf_putc(&data, '\n');
		value_free(part);
		buf_reset(&prefix);
		buf_printf(&prefix, "d-%zu-", k);
		ret |= write_hashed(x, prefix.ptr, &data, &name, d);
		value_list_push(files, value_string(name.ptr, 0));
	}
	buf_release(&data);
	buf_release(&name);
	buf_release(&prefix);
	return ret;
}

/* Each document's weighted length, written as l-<hash>.json; their average into *avg. */
static int write_lengths(const sindex *x, buf *name, double *avg, diag_list *d)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	buf data = BUF_INIT;
	double sum = 0;
	buf_putc(&data, '"');
	for (size_t i = 0; i < x->n_docs; i++) {
		const record *tr = record_in_lang(x->docs[i], x->lang);
		uint32_t n = (tr ? tr : x->docs[i])->search_length;
		n = n > 4095 ? 4095 : n;
		sum += n;
		buf_putc(&data, b64[n >> 6]);
		buf_putc(&data, b64[n & 63]);
	}
	buf_puts(&data, "\"\n");
	*avg = x->n_docs ? sum / (double)x->n_docs : 0;
	int ret = write_hashed(x, "l-", &data, name, d);
	buf_release(&data);
	return ret;
}

/* A list of labels, each [key, name], with the places of their keys. */
typedef struct label_list {
	value *list;
	htab at;
} label_list;

/* The place of key in the labels, added with name when new (one lookup a record, not a scan). */
static double label_of(label_list *l, const char *key, const char *name)
{
	uint64_t h = str_hash(key);
	htab_iter it;
	for (size_t p = htab_first(&l->at, h, &it); p != HTAB_NONE; p = htab_next(&l->at, h, &it))
		if (strcmp(value_at(value_at(l->list, p), 0)->u.str.ptr, key) == 0)
			return (double)p;
	value *e = value_list(0);
	value_list_push(e, value_string(key, 0));
	value_list_push(e, value_string(name, 0));
	value_list_push(l->list, e);
	htab_add(&l->at, h, value_len(l->list) - 1);
	return (double)(value_len(l->list) - 1);
}

/* Each document's filters, as places in the labels (a map of lists), written as f-<hash>.json. */
static int write_filters(const sindex *x, value *labels_out, buf *name, diag_list *d)
{
	const value *t = theme_strings(x->e->th, x->lang);
	static const char *const kinds[] = { "type", "region", "municipality", "theme" };
	label_list lab[4];
	for (size_t i = 0; i < 4; i++) {
		lab[i] = (label_list){ value_list(0), { NULL, 0, 0 } };
		value_map_set(labels_out, kinds[i], lab[i].list);
	}
	value *rows = value_list(0);
	buf tmp = BUF_INIT;
	for (size_t i = 0; i < x->n_docs; i++) {
		const record *r = x->docs[i];
		value *row = value_list(0);
		const char *ty = record_type_name(r->type);
		value_list_push(row, value_number(label_of(&lab[0], ty, pages_tr2(t, "type_", ty, &tmp)), 0));
		value_list_push(row, value_number(r->region ? label_of(&lab[1], r->region->slug,
			pages_region_name(r->region, x->lang)) : -1, 0));
		value_list_push(row, value_number(r->date ? atoi(r->date) : 0, 0));
		value *ms = value_list(0);
		for (size_t k = 0; k < r->n_municipalities; k++)
			value_list_push(ms, value_number(label_of(&lab[2], r->municipalities[k]->url,
				pages_name(r->municipalities[k], x->lang)), 0));
		if (r->type == REC_MUNICIPALITY && !r->n_municipalities)
			value_list_push(ms, value_number(label_of(&lab[2], r->url, pages_name(r, x->lang)), 0));
		value_list_push(row, ms);
		value *ths = value_list(0);
		const value *tv = value_map_get(r->meta, "themes");
		for (size_t k = 0; k < value_len(tv); k++) {
			const theme_def *td = value_at(tv, k)->kind == VAL_STRING ?
				site_find_theme(x->e->s, value_at(tv, k)->u.str.ptr) : NULL;
			if (td)
				value_list_push(ths, value_number(label_of(&lab[3], td->slug,
					theme_name(td, x->lang)), 0));
		}
		value_list_push(row, ths);
		value_list_push(rows, row);
	}
	buf_release(&tmp);
	for (size_t i = 0; i < 4; i++)
		htab_free(&lab[i].at);
	buf data = BUF_INIT;
	value_put_json(&data, rows);
	buf_putc(&data, '\n');
	value_free(rows);
	int ret = write_hashed(x, "f-", &data, name, d);
	buf_release(&data);
	return ret;
}

/* The search page's other filters: municipalities (A-Ö), themes, and the years records are dated. */
static void page_filters(const pages_env *e, value *sv, const char *lang)
{
	const site *s = e->s;
	value *ml = value_list(0), *tl = value_list(0), *yl = value_list(0);
	for (size_t i = 0; i < s->n_regions; i++)
		for (size_t k = 0; k < s->regions[i].n_municipalities; k++) {
			const record *m = s->regions[i].municipalities[k];
			value *o = value_map(0);
			value_map_set_str(o, "key", m->url);
			value_map_set_str(o, "label", pages_name(m, lang));
			value_list_push(ml, o);
		}
	for (size_t i = 0; i < s->n_themes; i++) {
		value *o = value_map(0);
		value_map_set_str(o, "key", s->themes[i].slug);
		value_map_set_str(o, "label", theme_name(&s->themes[i], lang));
		value_list_push(tl, o);
	}
	char seen[10000] = { 0 };
	for (size_t i = 0; i < s->n_records; i++) {
		const char *d = s->records[i]->date;
		int y = d && !s->records[i]->draft ? atoi(d) : 0;
		if (y > 0 && y < 10000)
			seen[y] = 1;
	}
	for (int y = 9999; y > 0; y--) {
		if (!seen[y])
			continue;
		char key[16];
		snprintf(key, sizeof key, "%d", y);
		value *o = value_map(0);
		value_map_set_str(o, "key", key);
		value_list_push(yl, o);
	}
	value_map_set_bool(sv, "has_municipalities", value_len(ml) > 0);
	value_map_set(sv, "municipalities", ml);
	value_map_set_bool(sv, "has_themes", value_len(tl) > 0);
	value_map_set(sv, "themes", tl);
	value_map_set_bool(sv, "has_years", value_len(yl) > 0);
	value_map_set(sv, "years", yl);
}

/* The search page in lang: the form (which works without the script, as a plain GET), the filters. */
static int write_page(const pages_env *e, const char *lang, diag_list *d)
{
	const value *t = theme_strings(e->th, lang);
	const site *s = e->s;
	value *ctx = pages_base_context(e, lang, url_fixed(URL_SEARCH), pages_tr(t, "search_title"));
	value_map_set_bool(value_map_get(ctx, "page"), "is_search", 1);
	pages_add_crumb(e, ctx, pages_tr(t, "search_title"), NULL);
	value *sv = value_map(0);
	char *folder = url_search_file(lang, "");
	pages_link(e, lang, sv, "index", folder);
	free(folder);
	static const char *const types[] = { "agreement", "negotiation", "minutes", "report",
		"partnership", "page", "municipality", "region" };
	value *tl = value_list(0);
	buf tmp = BUF_INIT;
	for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
		value *o = value_map(0);
		value_map_set_str(o, "key", types[i]);
		value_map_set_str(o, "label", pages_tr2(t, "type_", types[i], &tmp));
		value_list_push(tl, o);
	}
	buf_release(&tmp);
	value_map_set(sv, "types", tl);
	value *rl = value_list(0);
	for (size_t i = 0; i < s->n_regions; i++) {
		value *o = value_map(0);
		value_map_set_str(o, "key", s->regions[i].slug);
		value_map_set_str(o, "label", pages_region_name(&s->regions[i], lang));
		value_list_push(rl, o);
	}
	value_map_set_bool(sv, "has_regions", s->n_regions > 1);
	value_map_set(sv, "regions", rl);
	page_filters(e, sv, lang);
	value_map_set(ctx, "search", sv);
	char *path = pages_out_path(e, lang, url_fixed(URL_SEARCH));
	int ret = pages_render(e, "search", ctx, path, d);
	free(path);
	value_free(ctx);
	return ret;
}

/* meta.json: what the script reads first (search.h). Takes shards, docs and labels. */
static int write_meta(const pages_env *e, const char *lang, size_t n_docs, value *shards,
	value *docs, const char *filters, const char *lengths, double avg, value *labels,
	diag_list *d)
{
	value *meta = value_map(0);
	value_map_set_num(meta, "version", 1);
	value_map_set_str(meta, "lang", lang);
	value_map_set_num(meta, "n", (double)n_docs);
	value_map_set_num(meta, "chunk", SEARCH_CHUNK);
	value_map_set(meta, "shards", shards);
	value_map_set(meta, "docs", docs);
	value_map_set_str(meta, "filters", filters);
	value_map_set_str(meta, "lengths", lengths);
	value_map_set_num(meta, "avg", round(avg * 10) / 10);
	value_map_set(meta, "labels", labels);
	buf data = BUF_INIT;
	value_put_json(&data, meta);
	buf_putc(&data, '\n');
	char *url = url_search_file(lang, "meta.json");
	int ret = output_write(e->out, url_href(url), data.ptr, data.len, d);
	free(url);
	buf_release(&data);
	value_free(meta);
	return ret;
}

/* ---- the index kept between builds, for search_patch (search.h) ---- */

/* A group of shards (the terms of the same two first letters) and its files (key -> name). */
typedef struct kgroup {
	size_t first, end;       /* positions in klang.order */
	value *files;
} kgroup;

/* A language's index as its last search_write left it, before parts were merged. */
typedef struct klang {
	char *lang;
	sindex raw;              /* terms in the order read_docs found them, strings in arena */
	char *arena;
	size_t *part;            /* find_parts() */
	size_t *kid_at, *kids;   /* the compounds whose part each term is, ascending */
	size_t *order;           /* the terms as the shards sort them */
	size_t *group_of;        /* each term's group */
	kgroup *groups;
	size_t n_groups;
	value *docs, *labels;    /* meta.json's, as written */
	char *filters;
} klang;

struct search_keep {
	klang *l;
	size_t n, cap;
};

search_keep *search_keep_new(void)
{
	return xcalloc(1, sizeof(search_keep));
}

static void klang_free(klang *k)
{
	for (size_t i = 0; i < k->raw.n; i++)
		free(k->raw.t[i].p);
	free(k->raw.t);
	htab_free(&k->raw.map);
	free(k->raw.docs);
	free(k->arena);
	free(k->part);
	free(k->kid_at);
	free(k->kids);
	free(k->order);
	free(k->group_of);
	for (size_t g = 0; g < k->n_groups; g++)
		value_free(k->groups[g].files);
	free(k->groups);
	value_free(k->docs);
	value_free(k->labels);
	free(k->filters);
	free(k->lang);
}

void search_keep_free(search_keep *sk)
{
	if (!sk)
		return;
	for (size_t i = 0; i < sk->n; i++)
		klang_free(&sk->l[i]);
	free(sk->l);
	free(sk);
}

/* lang's kept index, made empty (new: added). */
static klang *keep_lang(search_keep *sk, const char *lang)
{
	for (size_t i = 0; i < sk->n; i++)
		if (strcmp(sk->l[i].lang, lang) == 0) {
			klang_free(&sk->l[i]);
			memset(&sk->l[i], 0, sizeof(klang));
			sk->l[i].lang = xstrdup(lang);
			return &sk->l[i];
		}
	sk->l = xgrow(sk->l, sizeof(klang), sk->n + 1, &sk->cap);
	memset(&sk->l[sk->n], 0, sizeof(klang));
	sk->l[sk->n].lang = xstrdup(lang);
	return &sk->l[sk->n++];
}

static const klang *kept_lang(const search_keep *sk, const char *lang)
{
	for (size_t i = 0; sk && i < sk->n; i++)
		if (strcmp(sk->l[i].lang, lang) == 0)
			return &sk->l[i];
	return NULL;
}

static const klang *sort_ctx;

static int cmp_order(const void *a, const void *b)
{
	return cmp_term(&sort_ctx->raw.t[*(const size_t *)a], &sort_ctx->raw.t[*(const size_t *)b]);
}

/* x's terms and raw postings (before merge_parts), their parts, order and groups, into k. */
static void keep_raw(klang *k, const sindex *x, size_t *part)
{
	size_t bytes = 0;
	for (size_t i = 0; i < x->n; i++)
		bytes += x->t[i].len + 1;
	k->arena = xmalloc(bytes + 1);
	k->raw = (sindex){ NULL, k->lang, NULL, x->n_docs, xcalloc(x->n + 1, sizeof(term)), x->n,
		x->n + 1, { NULL, 0, 0 } };
	k->raw.docs = xcalloc(x->n_docs + 1, sizeof(record *));
	memcpy(k->raw.docs, x->docs, x->n_docs * sizeof(record *));
	htab_reserve(&k->raw.map, x->n ? x->n : 1);
	char *a = k->arena;
	for (size_t i = 0; i < x->n; i++) {
		const term *t = &x->t[i];
		memcpy(a, t->s, t->len);
		a[t->len] = '\0';
		posting *p = xmalloc((t->n + 1) * sizeof(posting));
		memcpy(p, t->p, t->n * sizeof(posting));
		k->raw.t[i] = (term){ a, t->len, p, t->n, t->n };
		htab_add(&k->raw.map, fnv1a(FNV1A_INIT, a, t->len), i);
		a += t->len + 1;
	}
	k->part = part;
	size_t n = x->n;
	k->kid_at = xcalloc(n + 2, sizeof(size_t));
	for (size_t i = 0; i < n; i++)
		if (part[i] != HTAB_NONE && part[i] != i)
			k->kid_at[part[i] + 1]++;
	for (size_t i = 0; i < n; i++)
		k->kid_at[i + 1] += k->kid_at[i];
	k->kids = xcalloc(k->kid_at[n] + 1, sizeof(size_t));
	size_t *fill = xcalloc(n + 1, sizeof(size_t));
	for (size_t i = 0; i < n; i++)
		if (part[i] != HTAB_NONE && part[i] != i)
			k->kids[k->kid_at[part[i]] + fill[part[i]]++] = i;
	free(fill);
	k->order = xmalloc((n + 1) * sizeof(size_t));
	for (size_t i = 0; i < n; i++)
		k->order[i] = i;
	sort_ctx = k;
	qsort(k->order, n, sizeof(size_t), cmp_order);
	sort_ctx = NULL;
}

/* The groups of k's sorted terms, as write_shards() makes them, each with no files yet. */
static void keep_groups(klang *k)
{
	size_t n = k->raw.n, cap = 0;
	k->group_of = xcalloc(n + 1, sizeof(size_t));
	for (size_t i = 0, j; i < n; i = j) {
		const term *first = &k->raw.t[k->order[i]];
		size_t k2 = key_len(first, 2);
		for (j = i; j < n; j++) {
			const term *t = &k->raw.t[k->order[j]];
			if (key_len(t, 2) != k2 || !same_key(t, k2, first))
				break;
			k->group_of[k->order[j]] = k->n_groups;
		}
		k->groups = xgrow(k->groups, sizeof(kgroup), k->n_groups + 1, &cap);
		k->groups[k->n_groups++] = (kgroup){ i, j, value_map(0) };
	}
}

/* Adds every file of a group (key -> name) to the shards map. */
static void add_files(value *shards, const value *files)
{
	for (size_t i = 0; i < files->u.map.n; i++)
		value_map_set(shards, files->u.map.keys[i], value_ref(files->u.map.vals[i]));
}

/* The shards as write_shards() writes them, each group's files also kept in k. */
static int write_kept_shards(sindex *x, klang *k, value *shards, diag_list *d)
{
	qsort(x->t, x->n, sizeof(term), cmp_term);
	buf data = BUF_INIT;
	int ret = 0;
	for (size_t g = 0; g < k->n_groups; g++) {
		ret |= write_group(x, k->groups[g].first, k->groups[g].end, k->groups[g].files,
			&data, d);
		add_files(shards, k->groups[g].files);
	}
	buf_release(&data);
	return ret;
}

int search_write(const pages_env *e, const char *lang, diag_list *d)
{
	if (write_page(e, lang, d) != 0)
		return -1;
	double start = now_s();
	sindex x = { .e = e, .lang = lang };
	read_docs(&x);
	size_t *part = find_parts(&x);
	klang *k = e->search ? keep_lang(e->search, lang) : NULL;
	if (k) {
		keep_raw(k, &x, part);
		keep_groups(k);
	}
	merge_parts(&x, part);
	if (!k)
		free(part);
	value *shards = value_map(0), *docs = value_list(0), *labels = value_map(0);
	buf name = BUF_INIT;
	int ret = k ? write_kept_shards(&x, k, shards, d) : write_shards(&x, shards, d);
	ret |= write_docs(&x, docs, d);
	ret |= write_filters(&x, labels, &name, d);
	buf lengths = BUF_INIT;
	double avg = 0;
	ret |= write_lengths(&x, &lengths, &avg, d);
	if (k) {
		k->docs = value_ref(docs);
		k->labels = value_ref(labels);
		k->filters = xstrdup(name.ptr ? name.ptr : "");
	}
	ret |= write_meta(e, lang, x.n_docs, shards, docs, name.ptr, lengths.ptr, avg, labels, d);
	buf_release(&lengths);
	buf_release(&name);
	for (size_t i = 0; i < x.n; i++)
		free(x.t[i].p);
	free(x.t);
	htab_free(&x.map);
	free(x.docs);
	if (e->stats)
		e->stats->search_secs += now_s() - start;
	return ret ? -1 : 0;
}

/* ---- a patch of the kept index ---- */

/*
 * Term i's postings as merge_parts() leaves them: its raw ones with those of
 * each compound whose part it is, in the order merge_parts() merges them,
 * each compound as it stood when it was merged (with its own compounds that
 * came before it). upto: only compounds before it (SIZE_MAX: all). Into out.
 */
static void postings_at(const klang *k, size_t i, size_t upto, term *out)
{
	const term *r = &k->raw.t[i];
	*out = (term){ r->s, r->len, xmalloc((r->n + 1) * sizeof(posting)), r->n, r->n };
	memcpy(out->p, r->p, r->n * sizeof(posting));
	for (size_t q = k->kid_at[i]; q < k->kid_at[i + 1] && k->kids[q] < upto; q++) {
		term from;
		postings_at(k, k->kids[q], k->kids[q], &from);
		merge_part(out, &from);
		free(from.p);
	}
}

/* The place of doc in t's postings (sorted by doc), or where it would go. */
static size_t posting_at(const term *t, uint32_t doc)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->p[mid].doc < doc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Takes doc's postings of the terms in list (terms.h's format) out (add 0)
 * or puts them in (add 1), marking their groups and their parts' dirty.
 * -1 when a term is new; terms_left() says whether one is gone after. Either
 * changes the set of terms, which decides the parts: the index is written whole.
 */
static int patch_postings(klang *k, uint32_t doc, const char *list, size_t len, int add,
	unsigned char *dirty)
{
	for (const char *p = list, *end = list + len; p && p < end;) {
		size_t n = strlen(p);
		const unsigned char *c = (const unsigned char *)p + n + 1;
		size_t i = find_term(&k->raw, p, n);
		if (i == HTAB_NONE)
			return -1;
		term *t = &k->raw.t[i];
		size_t at = posting_at(t, doc);
		int there = at < t->n && t->p[at].doc == doc;
		if (!add && there) {
			memmove(&t->p[at], &t->p[at + 1], (t->n - at - 1) * sizeof(posting));
			t->n--;   /* a term left without postings is found by terms_left() */
		} else if (add && !there) {
			t->p = xgrow(t->p, sizeof(posting), t->n + 1, &t->cap);
			memmove(&t->p[at + 1], &t->p[at], (t->n - at) * sizeof(posting));
			t->p[at] = (posting){ doc, weight((unsigned)(c[0] | c[1] << 8)) };
			t->n++;
		}
		for (size_t x = i; x != HTAB_NONE; x = k->part[x] == x ? HTAB_NONE : k->part[x])
			dirty[k->group_of[x]] = 1;
		p += n + 3;
	}
	return 0;
}

/* The weight of term s (n bytes) in list (terms.h's format), or 0 when it has none there. */
static uint32_t weight_in(const htab *at, const char *const *terms, const char *s, size_t n)
{
	htab_iter it;
	uint64_t h = fnv1a(FNV1A_INIT, s, n);
	for (size_t p = htab_first(at, h, &it); p != HTAB_NONE; p = htab_next(at, h, &it))
		if (strlen(terms[p]) == n && memcmp(terms[p], s, n) == 0) {
			const unsigned char *c = (const unsigned char *)terms[p] + n + 1;
			return weight((unsigned)(c[0] | c[1] << 8));
		}
	return 0;
}

/*
 * The terms of a (terms.h's format) whose weight b does not give them (b
 * lacks them or weighs them otherwise), into out in the same format: the
 * postings an edit from a to b takes out, or (a and b swapped) puts in.
 */
static void terms_differing(const char *a, size_t a_len, const char *b, size_t b_len, buf *out)
{
	htab at = { NULL, 0, 0 };
	const char **terms = NULL;
	size_t n = 0, cap = 0;
	for (const char *p = b, *end = b + b_len; p && p < end; p += strlen(p) + 3) {
		terms = xgrow(terms, sizeof(char *), n + 1, &cap);
		terms[n] = p;
		htab_add(&at, fnv1a(FNV1A_INIT, p, strlen(p)), n++);
	}
	buf_reset(out);
	for (const char *p = a, *end = a + a_len; p && p < end;) {
		size_t len = strlen(p);
		const unsigned char *c = (const unsigned char *)p + len + 1;
		if (weight_in(&at, terms, p, len) != weight((unsigned)(c[0] | c[1] << 8)))
			buf_put(out, p, len + 3);
		p += len + 3;
	}
	free(terms);
	htab_free(&at);
}

/* 1 when each term of list (terms.h's format) still has postings. */
static int terms_left(const klang *k, const char *list, size_t len)
{
	for (const char *p = list, *end = list + len; p && p < end;) {
		size_t n = strlen(p), i = find_term(&k->raw, p, n);
		if (i == HTAB_NONE || k->raw.t[i].n == 0)
			return 0;
		p += n + 3;
	}
	return 1;
}

/* Writes group g again, its postings merged as search_write() would have them. */
static int write_kept_group(const pages_env *e, klang *k, size_t g, buf *data, diag_list *d)
{
	kgroup *gr = &k->groups[g];
	size_t n = gr->end - gr->first;
	sindex y = { .e = e, .lang = k->lang, .t = xcalloc(n + 1, sizeof(term)), .n = n };
	for (size_t j = 0; j < n; j++)
		postings_at(k, k->order[gr->first + j], SIZE_MAX, &y.t[j]);
	value_free(gr->files);
	gr->files = value_map(0);
	int ret = write_group(&y, 0, n, gr->files, data, d);
	for (size_t j = 0; j < n; j++)
		free(y.t[j].p);
	free(y.t);
	return ret;
}

/* Keeps a file of the index as the last build wrote it. */
static void keep_file(const pages_env *e, const char *lang, const char *name)
{
	char *url = url_search_file(lang, name);
	output_keep_checked(e->out, url_href(url), NULL);
	free(url);
}

int search_patch(const pages_env *e, const char *lang, const record *const *rs,
	const char *const *olds, const size_t *old_lens, size_t n, diag_list *d)
{
	klang *k = (klang *)kept_lang(e->search, lang);
	if (!k)
		return 1;
	unsigned char *dirty = xcalloc(k->n_groups + 1, 1);
	int ok = 1;
	buf gone = BUF_INIT, come = BUF_INIT;
	for (size_t i = 0; ok && i < n; i++) {
		const record *r = rs[i];
		size_t doc = 0;
		while (doc < k->raw.n_docs && k->raw.docs[doc] != r)
			doc++;
		/* a draft is in no index; a translation in lang shows its own words */
		const record *tr = record_in_lang(r, lang);
		if (doc < k->raw.n_docs && (!tr || tr == r)) {
			/* only the terms whose weight the edit changed: a few of the record's */
			terms_differing(olds[i], old_lens[i], r->search_terms, r->search_terms_len,
				&gone);
			terms_differing(r->search_terms, r->search_terms_len, olds[i], old_lens[i],
				&come);
			ok = patch_postings(k, (uint32_t)doc, gone.ptr, gone.len, 0, dirty) == 0 &&
				patch_postings(k, (uint32_t)doc, come.ptr, come.len, 1, dirty) == 0 &&
				terms_left(k, gone.ptr, gone.len);
		}
		else if (!r->draft && doc == k->raw.n_docs)
			ok = 0;
	}
	buf_release(&gone);
	buf_release(&come);
	if (!ok) {
		free(dirty);
		return 1;   /* nothing written: search_write() makes the index and its state anew */
	}
	value *shards = value_map(0);
	buf data = BUF_INIT, lengths = BUF_INIT;
	int ret = 0;
	for (size_t g = 0; g < k->n_groups; g++) {
		const value *files = k->groups[g].files;
		if (dirty[g])
			ret |= write_kept_group(e, k, g, &data, d);
		else
			for (size_t f = 0; f < files->u.map.n; f++)
				keep_file(e, lang, files->u.map.vals[f]->u.str.ptr);
		add_files(shards, k->groups[g].files);
	}
	for (size_t f = 0; f < value_len(k->docs); f++)
		keep_file(e, lang, value_at(k->docs, f)->u.str.ptr);
	keep_file(e, lang, k->filters);
	double avg = 0;
	k->raw.e = e;
	ret |= write_lengths(&k->raw, &lengths, &avg, d);
	ret |= write_meta(e, lang, k->raw.n_docs, shards, value_ref(k->docs), k->filters,
		lengths.ptr, avg, value_ref(k->labels), d);
	buf_release(&data);
	buf_release(&lengths);
	free(dirty);
	return ret ? -1 : 0;
}
