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
static void add_parts(sindex *x)
{
	size_t n = x->n, *part = xmalloc((n + 1) * sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		part[i] = HTAB_NONE;
		const term *t = &x->t[i];
		for (size_t k = 3; t->len >= 8 && k + 5 <= t->len && part[i] == HTAB_NONE; k++)
			if (((unsigned char)t->s[k] & 0xC0) != 0x80)
				part[i] = find_term(x, t->s + k, t->len - k);
	}
	for (size_t i = 0; i < n; i++)
		if (part[i] != HTAB_NONE && part[i] != i) {
			/* merge from a copy: the part may itself have been merged into */
			term from = x->t[i];
			merge_part(&x->t[part[i]], &from);
		}
	free(part);
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

/*
 * The shards: one per two first letters, split by the third letter when it
 * would be larger than SEARCH_SHARD_MAX; their files into files.
 */
static int write_shards(sindex *x, value *files, diag_list *d)
{
	qsort(x->t, x->n, sizeof(term), cmp_term);
	buf data = BUF_INIT;
	int ret = 0;
	for (size_t i = 0; i < x->n;) {
		size_t k2 = key_len(&x->t[i], 2), j = i;
		while (j < x->n && key_len(&x->t[j], 2) == k2 && same_key(&x->t[j], k2, &x->t[i]))
			j++;
		shard_json(x, i, j, &data);
		if (data.len <= SEARCH_SHARD_MAX) {
			ret |= write_shard(x, i, j, k2, files, &data, d);
			i = j;
			continue;
		}
		/* terms of two letters first (they sort first), then one shard per third letter */
		size_t a = i;
		while (a < j && key_len(&x->t[a], 3) == k2)
			a++;
		if (a > i)
			ret |= write_shard(x, i, a, k2, files, &data, d);
		while (a < j) {
			size_t k3 = key_len(&x->t[a], 3), b = a;
			while (b < j && key_len(&x->t[b], 3) == k3 && same_key(&x->t[b], k3, &x->t[a]))
				b++;
			ret |= write_shard(x, a, b, k3, files, &data, d);
			a = b;
		}
		i = j;
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

int search_write(const pages_env *e, const char *lang, diag_list *d)
{
	if (write_page(e, lang, d) != 0)
		return -1;
	double start = now_s();
	sindex x = { .e = e, .lang = lang };
	read_docs(&x);
	add_parts(&x);
	value *meta = value_map(0), *shards = value_map(0), *docs = value_list(0);
	value *labels = value_map(0);
	buf name = BUF_INIT;
	int ret = write_shards(&x, shards, d);
	ret |= write_docs(&x, docs, d);
	ret |= write_filters(&x, labels, &name, d);
	buf lengths = BUF_INIT;
	double avg = 0;
	ret |= write_lengths(&x, &lengths, &avg, d);
	value_map_set_num(meta, "version", 1);
	value_map_set_str(meta, "lang", lang);
	value_map_set_num(meta, "n", (double)x.n_docs);
	value_map_set_num(meta, "chunk", SEARCH_CHUNK);
	value_map_set(meta, "shards", shards);
	value_map_set(meta, "docs", docs);
	value_map_set_str(meta, "filters", name.ptr);
	value_map_set_str(meta, "lengths", lengths.ptr);
	value_map_set_num(meta, "avg", round(avg * 10) / 10);
	buf_release(&lengths);
	value_map_set(meta, "labels", labels);
	buf data = BUF_INIT;
	value_put_json(&data, meta);
	buf_putc(&data, '\n');
	char *url = url_search_file(lang, "meta.json");
	ret |= output_write(e->out, url_href(url), data.ptr, data.len, d);
	free(url);
	buf_release(&data);
	buf_release(&name);
	value_free(meta);
	for (size_t i = 0; i < x.n; i++)
		free(x.t[i].p);
	free(x.t);
	htab_free(&x.map);
	free(x.docs);
	if (e->stats)
		e->stats->search_secs += now_s() - start;
	return ret ? -1 : 0;
}
