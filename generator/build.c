#include "build_impl.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "calendar.h"
#include "markdown.h"
#include "outguard.h"
#include "search.h"
#include "stamp.h"
#include "urls.h"
#include "util.h"
#include "value.h"
#include "msg.h"
#include "banned.h"

/* A file the body being rendered names: kept once in the record's list (site_reader.note). */
static void note_named(void *ud, const model_file *f)
{
	record *r = ud;
	for (size_t i = 0; i < r->n_named; i++)
		if (r->named[i] == f)
			return;
	r->named = xgrow(r->named, sizeof *r->named, r->n_named + 1, &r->cap_named);
	r->named[r->n_named++] = f;
}

/* The part that lists the files a cached body names, under a key of its own. */
static void named_key(const cache_key *body, cache_key *out)
{
	char hex[41];
	buf b = BUF_INIT;
	cache_key_hex(body, hex);
	buf_printf(&b, "named %s", hex);
	cache_key_of(&b, out);
	buf_release(&b);
}


static void hook_limits_from(const site *s, hooks_limits *lim)
{
	lim->memory = 64u << 20;
	lim->instructions = 50000000;
	value *h = value_map_get(s->config, "hooks");
	value *mem = value_map_get(h, "memory_mb");
	value *ins = value_map_get(h, "instructions");
	if (mem && mem->kind == VAL_NUMBER && mem->u.number >= 1 && mem->u.number <= 4096)
		lim->memory = (size_t)mem->u.number << 20;
	if (ins && ins->kind == VAL_NUMBER && ins->u.number >= 1000 && ins->u.number <= 1e12)
		lim->instructions = (long)ins->u.number;
	value *sec = value_map_get(h, "seconds");
	lim->seconds = 10;
	if (sec && sec->kind == VAL_NUMBER && sec->u.number >= 1 && sec->u.number <= 600)
		lim->seconds = (int)sec->u.number;
}


/*
 * The cache key of a record's body HTML. The HTML depends on the record's
 * text (its blob id), its path and URL (relative links, heading ids), the
 * theme and the hooks (cache_inputs: theme fingerprint, content hooks,
 * templates and data files, site.yaml, options, the generator) and where
 * every other record is (links resolve against the "structure" in
 * cache_inputs). A body with a fenced block naming a hook also depends on
 * what the hook is handed: this record as the model sees it, and, when the
 * hook read it, the whole site model: such a render is kept under
 * with_model() of the key (see hooks_site_reads). Hooks are deterministic, so
 * whether a render reads the model is fixed by the key: a lookup tries the
 * key and then its with_model() variant.
 */
static void record_key(const worker *w, const record *r, cache_key *k)
{
	buf b = BUF_INIT;
	cache_key_add(&b, "record-html");
	cache_key_add(&b, w->cache_inputs);
	cache_key_add(&b, r->oid);
	cache_key_add(&b, r->path);
	cache_key_add(&b, r->url);
	cache_key_add(&b, r->lang);
	if (hooks_body_calls(w->h, r->body, r->body_len))
		cache_key_add(&b, r->digest);
	cache_key_of(&b, k);
	buf_release(&b);
}

/* The variant of a key for a result that read the site model: the model is an input too. */
static void with_model(const worker *w, const cache_key *k, cache_key *out)
{
	buf b = BUF_INIT;
	cache_key_add(&b, "with-model");
	cache_key_addn(&b, (const char *)k->b, sizeof(k->b));
	cache_key_add(&b, w->model_hash);
	cache_key_of(&b, out);
	buf_release(&b);
}

/* One thread's share of record_digest(): every step-th record from first. */
typedef struct digest_job {
	site *s;
	const repo *r;
	size_t first, step;
} digest_job;

/* The cache key of a summary made by the summary hook: the hook's inputs (see record_key). */
static void summary_key(const worker *w, const record *r, cache_key *k)
{
	buf b = BUF_INIT;
	cache_key_add(&b, "summary");
	cache_key_add(&b, w->cache_inputs);
	cache_key_add(&b, r->digest);
	cache_key_of(&b, k);
	buf_release(&b);
}

/*
 * r->digest: what the record is to a hook or a page, as one digest. The
 * blob id stands for the front matter and the body (the same bytes parse the
 * same way; the generator itself is in cache_inputs), and the fields the
 * model derives from the rest of the site are added as they are: path, URL,
 * type, region, the municipalities' slugs, date, language, title, draft. A
 * record without a blob id (no repository) is digested whole.
 *
 * r->meta_digest leaves the body out: the text before it (the front matter)
 * stands for the front matter, with the same derived fields. A commit that
 * changes only a body leaves it as it was.
 */
void build_record_digest(record *r, const repo *rp)
{
	buf b = BUF_INIT, derived = BUF_INIT;
	value *rv = record_value(r);
	/* record_value() without the front matter: only what the model adds */
	value *dv = value_map(0);
	static const char *const keys[] = { "path", "file", "url", "slug", "type", "region",
		"municipalities", "date", "lang", "title" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		value_map_set(dv, keys[i], value_ref(value_map_get(rv, keys[i])));
	buf_printf(&derived, "%d ", r->draft);
	value_put_json(&derived, dv);
	value_free(dv);
	const repo_file *f = repo_find(rp, r->path);
	int whole = !r->oid[0] || !f || !f->data || !r->body || r->body < f->data ||
		r->body > f->data + f->len;
	if (whole) {
		buf_printf(&b, "record 0 %d\n", r->draft);
		value_put_json(&b, rv);
		size_t head = b.len;
		buf_putc(&b, '\n');
		buf_put(&b, r->body ? r->body : "", r->body_len);
		cache_key k;
		cache_key_of(&b, &k);
		cache_key_hex(&k, r->digest);
		buf_truncate(&b, head);
		cache_key_of(&b, &k);
		cache_key_hex(&k, r->meta_digest);
	} else {
		cache_key k;
		buf_printf(&b, "record 1 %s\n", r->oid);
		buf_put(&b, derived.ptr, derived.len);
		cache_key_of(&b, &k);
		cache_key_hex(&k, r->digest);
		buf_reset(&b);
		buf_printf(&b, "meta 1 %zu\n", (size_t)(r->body - f->data));
		buf_put(&b, f->data, (size_t)(r->body - f->data));
		buf_put(&b, derived.ptr, derived.len);
		cache_key_of(&b, &k);
		cache_key_hex(&k, r->meta_digest);
	}
	value_free(rv);
	buf_release(&derived);
	buf_release(&b);
}

static void *digest_records(void *arg)
{
	digest_job *j = arg;
	for (size_t i = j->first; i < site_n_texts(j->s); i += j->step)
		build_record_digest(site_text_at(j->s, i), j->r);
	return NULL;
}

/* A cached part under k or its with_model() variant, into out; *used: the key it was under. */
static int cache_get_either(const worker *w, const cache_key *k, buf *out, cache_key *used)
{
	if (cache_get_buf(w->cache, w->index, k, out)) {
		*used = *k;
		return 1;
	}
	buf_reset(out);
	with_model(w, k, used);
	return cache_get_buf(w->cache, w->index, used, out);
}

/* Whether a part is cached under k or its with_model() variant (*used: which), reading none of it. */
static int cache_has_either(const worker *w, const cache_key *k, cache_key *used)
{
	if (cache_has(w->cache, w->index, k)) {
		*used = *k;
		return 1;
	}
	with_model(w, k, used);
	return cache_has(w->cache, w->index, used);
}

/*
 * Keeps a part under k, or under its with_model() variant when a hook read
 * the model since reads; *used: the key it is kept under.
 */
static void cache_put_either(const worker *w, const cache_key *k, unsigned long reads,
	const char *data, size_t len, cache_key *used)
{
	*used = *k;
	if (hooks_site_reads(w->h) != reads)
		with_model(w, k, used);
	cache_put(w->cache, w->index, used, data, len);
}

/*
 * The summary hook's summary of r into sum: 1 made, 0 none (the caller falls
 * back to the first paragraph), -1 an error (in w->d). The hook is handed
 * *rv as the record, made here (and kept in cx) when the hook runs.
 */
static int summary_of(worker *w, const record *r, value **rv, hook_ctx *cx, buf *sum)
{
	cache_key k;
	buf hit = BUF_INIT;
	if (w->cache) {
		summary_key(w, r, &k);
		/* "1" and the summary, or "0" for none */
		cache_key used;
		if (cache_get_either(w, &k, &hit, &used) && hit.len >= 1) {
			int got = hit.ptr[0] == '1';
			buf_put(sum, hit.ptr + 1, hit.len - 1);
			buf_release(&hit);
			return got;
		}
		buf_release(&hit);
	}
	unsigned long reads = hooks_site_reads(w->h);
	size_t before = w->d.n;
	if (!*rv)
		cx->record = *rv = record_value(r);
	int got = hooks_summary(w->h, r->body, cx, sum, &w->d);
	if (got >= 0 && w->cache && w->d.n == before) {
		buf v = BUF_INIT;
		buf_putc(&v, got > 0 ? '1' : '0');
		if (got > 0)
			buf_put(&v, sum->ptr, sum->len);
		cache_key used;
		cache_put_either(w, &k, reads, v.ptr, v.len, &used);
		buf_release(&v);
	}
	return got;
}

static void put_named(const worker *w, const record *r, const cache_key *body)
{
	cache_key k;
	buf b = BUF_INIT;
	named_key(body, &k);
	/* how many URLs the render rooted, for moving the body to another page (markdown_reroot) */
	buf_printf(&b, "rooted %zu\n", r->n_rooted);
	for (size_t i = 0; i < r->n_named; i++)
		buf_printf(&b, "%s\n", r->named[i]->path);
	cache_put(w->cache, w->index, &k, b.ptr, b.len);
	buf_release(&b);
}

/* The files a cached body names, into r->named, and its r->n_rooted: 0, or -1 when not cached. */
static int get_named(const worker *w, record *r, const cache_key *body)
{
	cache_key k;
	buf b = BUF_INIT;
	named_key(body, &k);
	int ok = cache_get_buf(w->cache, w->index, &k, &b);
	r->n_named = 0;
	const char *p = b.ptr;
	char *end = NULL;
	if (ok && str_has_prefix(p, "rooted ")) {
		r->n_rooted = (size_t)strtoull(p + 7, &end, 10);
		p = *end == '\n' ? end + 1 : end;
	} else {
		ok = 0;
	}
	for (; ok && *p;) {
		const char *nl = strchr(p, '\n');
		if (!nl)
			break;
		char *path = xstrndup(p, (size_t)(nl - p));
		const model_file *f = site_find_file(w->s, path);
		free(path);
		if (!f) {
			ok = 0;
			break;
		}
		note_named(r, f);
		p = nl + 1;
	}
	buf_release(&b);
	return ok ? 0 : -1;
}

/* Marks the file that record r names in the front matter value v (a path), if it resolves. */
static void mark_named(const site *s, const record *r, const value *v, unsigned char *pub)
{
	if (!v || v->kind != VAL_STRING)
		return;
	buf why = BUF_INIT;
	const model_file *f = site_resolve_file(s, r->path, v->u.str.ptr, &why);
	if (f)
		pub[f - s->files] = 1;
	buf_release(&why);
}

/*
 * The files that are published: those a published record names (annexes,
 * report indicators, and what its body links to or its blocks read). Nothing
 * else under the content folder is: `check` names the rest as unused.
 */
static unsigned char *files_published(const site *s, int report_unused, diag_list *d)
{
	unsigned char *pub = xcalloc(s->n_files + 1, 1);
	for (size_t i = 0; i < site_n_texts(s); i++) {
		const record *r = site_text_at(s, i);
		if (r->draft)
			continue;
		for (size_t k = 0; k < r->n_named; k++)
			pub[r->named[k] - s->files] = 1;
		const value *annexes = value_map_get(r->meta, "annexes");
		for (size_t k = 0; annexes && annexes->kind == VAL_LIST && k < annexes->u.list.n; k++)
			mark_named(s, r, value_map_get(annexes->u.list.items[k], "file"), pub);
		const value *ind = value_map_get(r->meta, "indicators");
		for (size_t k = 0; ind && ind->kind == VAL_LIST && k < ind->u.list.n; k++)
			mark_named(s, r, ind->u.list.items[k], pub);
	}
	for (size_t i = 0; report_unused && i < s->n_files; i++) {
		const char *p = s->files[i].path;
		if (pub[i] || strcmp(p, "site.yaml") == 0 || str_has_prefix(p, "hooks/") ||
		    str_has_prefix(p, "templates/") || p[0] == '.' || strstr(p, "/."))
			continue;
		diag_warning(d, NULL, 0, "%s%s is named by no published record, so it is not "
			"published (unused)", s->content_prefix, p);
	}
	return pub;
}

/*
 * r's words for the search index: its title (and a region's or municipality's
 * names) weigh most, then its summary, then its body.
 */
static void search_terms_read(record *r, terms_stemmers *st)
{
	terms_doc *td = terms_doc_new();
	const char *names[] = { r->title, value_map_str(r->meta, "name"),
		value_map_str(r->meta, "name_sv") };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (names[i] && (i == 0 || r->type == REC_REGION || r->type == REC_MUNICIPALITY))
			terms_add_text(td, st, r->lang, names[i], strlen(names[i]), 4);
	if (r->summary)
		terms_add_text(td, st, r->lang, r->summary, strlen(r->summary), 2);
	if (r->body)
		terms_add_markdown(td, st, r->lang, r->body, r->body_len, 1);
	size_t n;
	free(r->search_terms);
	r->search_terms = terms_doc_finish(td, &r->search_terms_len, &n, &r->search_length);
}

/*
 * The same, kept in the parts cache: under the record's digest (its blob and
 * what the model derives from it), its summary and the cache inputs (the
 * generator among them). Stored as the length in four bytes, then the terms.
 */
static void search_terms_cached(worker *w, record *r)
{
	cache_key k;
	buf b = BUF_INIT;
	if (w->cache && r->digest[0]) {
		buf_puts(&b, "search-terms 1\n");
		cache_key_add(&b, w->cache_inputs);
		cache_key_add(&b, r->digest);
		cache_key_add(&b, r->summary ? r->summary : "");
		cache_key_of(&b, &k);
		buf_reset(&b);
		if (cache_get_buf(w->cache, w->index, &k, &b) && b.len >= 4) {
			const unsigned char *p = (const unsigned char *)b.ptr;
			r->search_length = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
				(uint32_t)p[3] << 24;
			free(r->search_terms);
			r->search_terms_len = b.len - 4;
			r->search_terms = xmalloc(b.len - 4 + 1);
			memcpy(r->search_terms, b.ptr + 4, b.len - 4);
			buf_release(&b);
			w->terms_cached++;
			return;
		}
	}
	search_terms_read(r, w->stem);
	w->terms_read++;
	if (w->cache && r->digest[0]) {
		buf_reset(&b);
		buf_put_le(&b, r->search_length, 4);
		buf_put(&b, r->search_terms, r->search_terms_len);
		cache_put(w->cache, w->index, &k, b.ptr, b.len);
	}
	buf_release(&b);
}

/* search_terms_cached, timed for --timings. */
static void search_terms_of(worker *w, record *r)
{
	double start = now_s();
	search_terms_cached(w, r);
	w->terms_secs += now_s() - start;
}

/* Renders r's body and summary and reads its words, on worker w; errors go to w->d. */
void build_render_one(worker *w, record *r, buf *html, buf *sum)
{
	site *s = w->s;
	/* the record as hooks see it: made only for a hook that runs (not on a cache hit) */
	value *rv = NULL;
	site_reader rd = { s, r->path, note_named, r, NULL };
	hook_ctx cx = { r->file, NULL, w->site_model, site_reader_read, &rd };
	char *root = url_root_of(r->url);
	markdown_opts mo = { s, w->h, &cx, root, w->strict, 0, &rd, NULL };
	buf_reset(html);
	cache_key key, used;
	int hit = 0, kept = 0;
	if (w->cache) {
		record_key(w, r, &key);
		/* a cached body is read when a page that shows it is written (pages.c) */
		hit = kept = cache_has_either(w, &key, &used) && get_named(w, r, &used) == 0;
	}
	if (!hit) {
		r->n_rooted = 0;
		r->n_named = 0;
		cx.record = rv = record_value(r);
		size_t before = w->d.n;
		unsigned long reads = hooks_site_reads(w->h);
		int failed = markdown_render_counted(r, &mo, html, &r->n_rooted, &w->d) != 0;
		r->html_site = hooks_site_reads(w->h) != reads;
		if (failed)
			w->ret = -1;
		/* only a clean render is kept: a cached one would not repeat its warnings */
		else if (w->cache && w->d.n == before) {
			cache_put_either(w, &key, reads, html->ptr, html->len, &used);
			put_named(w, r, &used);
			kept = 1;
		}
	}
	/* kept in the cache: read from there when a page shows it (after cache_seal) */
	free(r->html);
	r->html = kept ? NULL : xstrndup(html->ptr, html->len);
	/* the key is the HTML's digest for page keys: cheaper than hashing the HTML again */
	if (kept)
		cache_key_hex(&used, r->html_key);
	else
		r->html_key[0] = '\0';
	const char *given = value_map_str(r->meta, "summary");
	buf_reset(sum);
	int got = 0;
	if (given) {
		buf_puts(sum, given);
		got = 1;
	} else if (w->h) {
		got = summary_of(w, r, &rv, &cx, sum);
		if (got < 0)
			w->ret = -1;
	}
	if (got <= 0) {
		buf_reset(sum);
		markdown_first_paragraph(r->body, r->body_len, 240, sum);
	}
	free(r->summary);
	r->summary = xstrndup(sum->ptr, sum->len);
	if (!r->draft)
		search_terms_of(w, r);
	free(root);
	value_free(rv);
}

/* Markdown and summaries for the records that fall to one worker; collects every error. */
static void *render_records(void *arg)
{
	worker *w = arg;
	buf html = BUF_INIT, sum = BUF_INIT;
	for (size_t i; (i = atomic_fetch_add(w->next_record, 1)) < site_n_texts(w->s);)
		build_render_one(w, site_text_at(w->s, i), &html, &sum);
	buf_release(&html);
	buf_release(&sum);
	return NULL;
}

/*
 * The pages that fall to one worker: the few site-wide pages on worker 0,
 * first; then the records as they come, each record's history pages right
 * after its page (its rendered body is at hand), then the lineages of removed
 * records. What a page holds never depends on the worker that wrote it.
 * (Region and municipality pages run page hooks that read the site model:
 * each worker's Lua state converts only the parts they read.)
 */
static void *write_pages(void *arg)
{
	worker *w = arg;
	pages_env *e = &w->pe;
	const site *s = e->s;
	int ret = 0;
	pages_shared_begin(e);
	if (w->index == 0) {
		ret |= pages_write_site(e, &w->d);
		ret |= calendar_write(e, &w->d);
	}
	/* the search index on the last worker, while the first writes the site-wide pages
	 * and the calendars */
	if (w->index + 1 == w->count)
		ret |= pages_write_search(e, &w->d);
	size_t cur = w->index;
	for (size_t i; (i = pages_next(e->queue ? &e->queue->records : NULL, &cur, w->count)) <
	     s->n_records;) {
		record *r = s->records[i];
		if (r->draft)
			continue;
		ret |= pages_write_record(e, r, &w->d);
		ret |= histpages_write_record(e->hp, e, i, &w->d);
		/* its JSON, which links the versions its history pages wrote, and its table rows */
		ret |= opendata_write_record(e, e->od, e->hp, i, &w->d);
		/* nothing else shows the rendered body (unless another site follows): it goes now */
		if (!w->keep_bodies) {
			free(r->html);
			r->html = NULL;
		}
	}
	ret |= histpages_write_lineages(e->hp, e, w->index, w->count, &w->d);
	pages_shared_end(e);
	if (ret)
		w->ret = -1;
	return NULL;
}

/*
 * After write_pages on every worker: the lists of changes, which link what it
 * wrote, and on the last worker the open data's tables, which gather every record's rows.
 */
static void *write_lists(void *arg)
{
	worker *w = arg;
	pages_shared_begin(&w->pe);
	if (histpages_write_lists(w->pe.hp, &w->pe, w->index, w->count, &w->d) != 0)
		w->ret = -1;
	if (w->index + 1 == w->count && opendata_write(&w->pe, w->pe.od, &w->d) != 0)
		w->ret = -1;
	pages_shared_end(&w->pe);
	return NULL;
}

static void *timed(void *arg)
{
	worker *w = arg;
	double t0 = now_s();
	w->fn(w);
	w->busy = now_s() - t0;
	return NULL;
}

/*
 * Runs fn on every worker, on threads when there is more than one. Pages
 * go to whichever worker asks first (pages_queue), but what a page holds
 * never depends on the worker that wrote it, and the diagnostics are merged
 * and then sorted: the output does not depend on the number of jobs.
 */
static int run_workers(worker *ws, size_t n, void *(*fn)(void *), diag_list *d)
{
	for (size_t i = 0; i < n; i++)
		ws[i].fn = fn;
	run_threads(ws, n, sizeof(*ws), timed);
	int ret = 0;
	for (size_t i = 0; i < n; i++) {
		diag_merge(d, &ws[i].d);
		ret |= ws[i].ret;
		ws[i].ret = 0;
	}
	return ret;
}

/*
 * The memo of block-hook results (blockmemo.h), for the whole build and, with
 * the parts cache, for the next one: keyed by everything the hooks' code is
 * (the generator, the theme's fingerprint with its hooks, the content's hooks,
 * the limits). AVOIN_TEST_NO_BLOCK_MEMO=1 runs every call, so that the tests
 * can compare the output with and without it.
 */
static blockmemo *new_block_memo(const theme *th, const hooks_limits *lim, cache *pc)
{
	const char *off = getenv("AVOIN_TEST_NO_BLOCK_MEMO");
	if (off && *off && strcmp(off, "0") != 0)
		return NULL;
	char *gen = stamp_generator_id();
	buf b = BUF_INIT;
	cache_key_add(&b, gen);
	cache_key_add(&b, th->fingerprint);
	for (size_t i = 0; i < th->n_content_hooks; i++) {
		cache_key_add(&b, th->content_hooks[i].name);
		cache_key_addn(&b, th->content_hooks[i].code, th->content_hooks[i].len);
	}
	buf_printf(&b, "%zu %ld", lim->memory, lim->instructions);
	cache_key k;
	cache_key_of(&b, &k);
	char hex[41];
	cache_key_hex(&k, hex);
	buf_release(&b);
	free(gen);
	return blockmemo_new(hex, pc);
}

/* What the output depends on besides the content: see build.h. */
static char *stamp_text(const build_opts *o, const repo *r, const theme *th)
{
	char *gen = stamp_generator_id();
	char *t = xasprintf("%s\ncommit %s\ncontent %s\ntheme %s %s\nstrict %d\nscope %s\n", gen,
		repo_commit_id(r), repo_content_prefix(r), th->dir, th->fingerprint, o->strict,
		o->all_scopes ? "(all)" : o->scope ? o->scope : "");
	free(gen);
	return t;
}

/*
 * What every cached part depends on besides its own inputs: the generator
 * (version and binary), the options, the theme (its fingerprint covers
 * templates, strings, static files and hooks), every file of the content
 * that is not a record (site.yaml, hooks, templates, data files; by blob
 * id), and the structure of the site: every
 * record's path, URL and draft flag, since links resolve against them.
 */
static void cache_inputs(buf *b, const build_opts *o, const repo *r, const site *s,
	const theme *th)
{
	char *gen = stamp_generator_id();
	/* a working tree's pages say so (and show the last commit): worktree */
	buf_printf(b, "%s\nstrict %d\nworktree %d\ncontent %s\ntheme %s %s\n", gen, o->strict,
		o->worktree, repo_content_prefix(r), th->dir, th->fingerprint);
	free(gen);
	/* site.yaml, hooks, templates, and data files: a hook may read any of them (src=) */
	for (size_t i = 0; i < s->n_files; i++) {
		const model_file *f = &s->files[i];
		if (!str_has_suffix(f->path, ".md"))
			buf_printf(b, "file %s %s\n", f->oid ? f->oid : "-", f->path);
	}
	buf sb = BUF_INIT;
	for (size_t i = 0; i < site_n_texts(s); i++)
		buf_printf(&sb, "%s %s %d\n", site_text_at(s, i)->path, site_text_at(s, i)->url,
			site_text_at(s, i)->draft);
	cache_key k;
	cache_key_of(&sb, &k);
	buf_release(&sb);
	char hex[41];
	cache_key_hex(&k, hex);
	buf_printf(b, "structure %s\n", hex);
}

/*
 * The site-wide part of every page key (pages.h): what record and history
 * pages may show of the whole site. Every record's path, URL, draft flag,
 * front matter and summary, and cache_inputs (the generator, options, theme,
 * the content's hooks, templates and site.yaml, the structure). A commit
 * that changes one record's body leaves it the same (unless the summary
 * changes), so only that record's pages are rendered again. The records are
 * digested in BASE_PARTS parts on the workers, and the parts' digests in order.
 */
/* The records are digested in this many parts, whatever the number of threads. */
#define BASE_PARTS 16

typedef struct base_job {
	const site *s;
	cache_key *parts;
	size_t first, step;
} base_job;

static void *digest_base_parts(void *arg)
{
	const base_job *j = arg;
	size_t n = site_n_texts(j->s);
	buf b = BUF_INIT;
	for (size_t p = j->first; p < BASE_PARTS; p += j->step) {
		buf_reset(&b);
		/* the digest stands for the front matter (and path, URL, draft flag, language) */
		for (size_t i = p * n / BASE_PARTS; i < (p + 1) * n / BASE_PARTS; i++) {
			const record *r = site_text_at(j->s, i);
			buf_printf(&b, "\n%s %s\n", r->path, r->meta_digest);
			buf_printf(&b, "%zu %s", r->summary ? strlen(r->summary) : 0,
				r->summary ? r->summary : "");
		}
		cache_key_of(&b, &j->parts[p]);
	}
	buf_release(&b);
	return NULL;
}

static void page_base_of(const site *s, const char *inputs, size_t jobs, char out[41])
{
	cache_key parts[BASE_PARTS];
	base_job js[BASE_PARTS];
	if (jobs < 1)
		jobs = 1;
	if (jobs > BASE_PARTS)
		jobs = BASE_PARTS;
	for (size_t t = 0; t < jobs; t++)
		js[t] = (base_job){ s, parts, t, jobs };
	run_threads(js, jobs, sizeof(*js), digest_base_parts);
	buf b = BUF_INIT;
	buf_puts(&b, "page-base 3\n");
	buf_puts(&b, inputs);
	for (size_t p = 0; p < BASE_PARTS; p++)
		buf_put(&b, (const char *)parts[p].b, sizeof(parts[p].b));
	cache_key k;
	cache_key_of(&b, &k);
	cache_key_hex(&k, out);
	buf_release(&b);
}

/*
 * The digest of the site model: cache_key_of_value(), except that each item of
 * its record list is its record's meta_digest (record_digest(): it stands for
 * the record's values, which hold no body): most of the model is hashed once
 * per build, not twice. A hook sees no other record's body (avoin.read gives
 * no .md file), so a commit that changes only a body leaves this hash, and
 * every part cached with it, as it was.
 */
static void model_digest(const site *s, const value *model, cache_key *out)
{
	buf b = BUF_INIT;
	buf_puts(&b, "model 2\n");
	for (size_t i = 0; model && model->kind == VAL_MAP && i < model->u.map.n; i++) {
		const char *key = model->u.map.keys[i];
		const value *v = model->u.map.vals[i];
		buf_puts(&b, key);
		buf_putc(&b, '\0');
		if (strcmp(key, "records") == 0 && v->kind == VAL_LIST) {
			buf_printf(&b, "R %zu\n", v->u.list.n);
			for (size_t k = 0; k < v->u.list.n; k++) {
				const record *r = site_find_record(s, value_map_str(v->u.list.items[k], "path"));
				buf_puts(&b, r && r->meta_digest[0] ? r->meta_digest : "-");
				buf_putc(&b, '\n');
			}
		} else {
			cache_key c;
			cache_key_of_value(v, 1, &c);
			buf_put(&b, (const char *)c.b, sizeof(c.b));
		}
	}
	cache_key_of(&b, out);
	buf_release(&b);
}


static void *read_history(void *arg)
{
	hist_reader *hr = arg;
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	hr->rc = history_build(&hr->h, hr->r, &hr->ho, &hr->d);
	clock_gettime(CLOCK_MONOTONIC, &b);
	hr->secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	return NULL;
}


static void *open_output(void *arg)
{
	opener *op = arg;
	op->rc = op->o->memory ? output_begin_memory(&op->out, op->o->memory,
			op->o->memory_and_disk ? op->dir : NULL, &op->d) :
		output_begin(&op->out, op->dir, &op->d);
	if (op->cache_dir)
		op->pc = cache_open(op->cache_dir, op->jobs);
	return NULL;
}

/* cache_save() on a thread of its own, with its own diagnostics. */
typedef struct cache_saver {
	cache *c;
	diag_list d;
} cache_saver;

static void *save_cache(void *arg)
{
	cache_saver *cs = arg;
	cache_save(cs->c, &cs->d);
	return NULL;
}


/*
 * --timings: the wall time since the previous mark, with the phase's name,
 * and the CPU time (user and system, all threads) the process spent in it:
 * a phase whose CPU time is near its wall time ran on one core.
 */
static void phase_mark(phase_clock *pc, const char *name)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	struct rusage ru = { 0 };
	double cpu = 0;
	if (pc->on && getrusage(RUSAGE_SELF, &ru) == 0)
		cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
			(double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	if (pc->on && name) {
		/* resident now, from /proc (Linux); the peak from getrusage */
		long pages = 0, page_kb = sysconf(_SC_PAGESIZE) / 1024;
		FILE *f = fopen("/proc/self/statm", "r");
		if (f) {
			long size;
			if (fscanf(f, "%ld %ld", &size, &pages) != 2)
				pages = 0;
			fclose(f);
		}
		fprintf(stderr, "avoin: %-22s %8.3f s  (CPU %.3f s, memory %ld MB, peak so far "
			"%ld MB)\n", name,
			(double)(t.tv_sec - pc->last.tv_sec) + (double)(t.tv_nsec - pc->last.tv_nsec) / 1e9,
			cpu - pc->last_cpu, pages * page_kb / 1024, ru.ru_maxrss / 1024);
		for (size_t i = 0; pc->ws && pc->n_ws > 1 && i < pc->n_ws; i++)
			fprintf(stderr, "%s%.3f%s", i ? ", " : "avoin:   workers busy ", pc->ws[i].busy,
				i + 1 < pc->n_ws ? "" : " s\n");
	}
	pc->ws = NULL;
	pc->last = t;
	pc->last_cpu = cpu;
}

static size_t default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : (n > 64 ? 64 : (size_t)n);
}

/*
 * The output folder may be written (outguard.h): -1 with one error when not.
 * Asked twice: before the repository is read (the repository, its content,
 * the current folder) and, with th, once the theme is known.
 */
static int guard_output(const build_opts *o, const char *out_dir, const repo_opts *ro,
	const theme *th, diag_list *d)
{
	repo_place place;
	if (repo_locate(ro, &place) < 0)
		return 0;   /* no repository: opening it says so */
	/* before the theme is known: every folder a theme could come from */
	char *roots[5];
	size_t n_roots = th ? 0 : theme_search_roots(o->argv0, roots);
	outguard_protect protect[11] = {
		{ place.workdir, N_("the repository"), 1 },
		{ place.gitdir, N_("the repository's .git"), 0 },
		{ place.content, N_("the content folder"), 0 },
		{ ".", N_("the current folder"), 1 },
		{ th ? th->dir : o->theme_dir, N_("the theme"), 0 },
	};
	size_t n = 5;
	for (size_t i = 0; i < n_roots; i++)
		protect[n++] = (outguard_protect){ roots[i], N_("a folder of themes"), 0 };
	int rc = outguard_check(out_dir, protect, n, d);
	for (size_t i = 0; i < n_roots; i++)
		free(roots[i]);
	repo_place_release(&place);
	return rc;
}

/* Takes the output's lock (held until build_run returns): -1 with one error when not. */
static int lock_output(const build_opts *o, const char *out_dir, int *lock_fd, diag_list *d)
{
	int waited = 0;
	*lock_fd = outguard_lock(out_dir, o->wait, &waited, d);
	if (waited && o->timings)
		fprintf(stderr, "avoin:   waited for another build of '%s'\n", out_dir);
	return *lock_fd < 0 ? -1 : 0;
}


/* Guards and locks the output, then reads the revision and starts reading its history. */
static int phase_source(build_state *b)
{
	const build_opts *o = b->o;
	if (!o->check_only && !o->worktree)
		b->blob_cache = stamp_cache_path(b->out_dir, "blobs");
	/* nothing is read or written for the output before it is checked and locked */
	if (!o->check_only && (guard_output(o, b->out_dir, &b->ro, NULL, b->d) < 0 ||
			lock_output(o, b->out_dir, &b->lock_fd, b->d) < 0))
		return b->status = 2;
	if (repo_open_memo(&b->r, &b->ro, b->n_workers, b->blob_cache, o->worktree_memo, b->d) != 0)
		return b->status = 2;
	repo *r = b->r;
	phase_mark(&b->clk, "read revision");
	if (o->timings && b->blob_cache)
		fprintf(stderr, "avoin:   %zu of %zu files from the blob cache, %zu folders from the "
			"tree cache\n", repo_cache_hits(r), repo_file_count(r), repo_tree_hits(r));
	else if (o->timings && o->worktree_memo)
		fprintf(stderr, "avoin:   %zu of %zu working files as found before, %zu ignore "
			"decisions\n", repo_memo_hits(r), repo_file_count(r),
			repo_memo_ignore_hits(o->worktree_memo));
	snprintf(b->res->commit, sizeof(b->res->commit), "%s", repo_commit_id(r));
	snprintf(b->res->rev, sizeof(b->res->rev), "%s", repo_rev(r));
	/*
	 * History is read only for writing pages; `check` validates one
	 * revision. A rebuild (the history's cache is there) that cannot be a
	 * no-op (the stamp names another commit) reads it alongside the loading
	 * of the records, which needs neither it nor libgit2: from its cache, on
	 * one core, while the records load on the others. A first build diffs
	 * every commit on every core instead, after the load: done alongside, its
	 * memory and the load's would add up to a peak 10 MB higher.
	 */
	b->wants_history = !o->check_only && repo_commit_id(r)[0];
	if (b->wants_history) {
		/* each commit's changes, kept in <out>.cache/history (none for a preview) */
		b->hr = (hist_reader){ NULL, r, { b->n_workers, stamp_cache_path(b->out_dir, "history") },
			DIAG_LIST_INIT, 0, 0 };
		if (b->hr.ho.cache_file && access(b->hr.ho.cache_file, R_OK) == 0 &&
		    stamp_other_commit(b->out_dir, repo_commit_id(r)))
			b->reading = pthread_create(&b->reader_thread, NULL, read_history, &b->hr) == 0;
	}
	b->n_files = repo_file_count(r);
	b->files = xcalloc(b->n_files ? b->n_files : 1, sizeof(*b->files));
	for (size_t i = 0; i < b->n_files; i++) {
		const repo_file *f = repo_file_at(r, i);
		b->files[i] = (model_file){ f->path, f->data, f->len, f->oid };
	}
	return 0;
}

/* Loads and validates the site and its theme; a site that is up to date stops here. */
static int phase_model(build_state *b)
{
	const build_opts *o = b->o;
	/* front matter parsed by an earlier build, by blob id (a working file's too; not for a check) */
	if (!o->check_only) {
		char *fm_path = stamp_cache_path(b->out_dir, "frontmatter"), *gen = stamp_generator_id();
		b->fm = fm_cache_open(fm_path, gen);
		free(fm_path);
		free(gen);
	}
	model_opts mo = { repo_content_prefix(b->r), o->strict, b->n_workers, b->fm,
		repo_is_worktree(b->r) };
	b->s = site_load(b->files, b->n_files, &mo, b->d);
	size_t fm_hits = fm_cache_hits(b->fm);
	if (!b->s)
		return -1;
	phase_mark(&b->clk, "load and validate");
	if (o->timings && b->fm)
		fprintf(stderr, "avoin:   %zu of %zu front matters from the cache\n", fm_hits,
			b->s->n_records);
	if (o->scope || o->all_scopes) {
		b->scopes = scope_open(b->s, o->all_scopes ? NULL : o->scope, &b->n_scopes, b->d);
		if (!b->scopes)
			return b->status = 2;
		b->scope_pub = xcalloc(b->n_scopes + 1, sizeof(*b->scope_pub));
	}
	b->th = theme_load(o->theme_dir, b->s, o->argv0, b->d);
	if (!b->th)
		return -1;
	snprintf(b->res->theme_dir, sizeof(b->res->theme_dir), "%s", b->th->dir);
	phase_mark(&b->clk, "load theme");
	if (!o->check_only && guard_output(o, b->out_dir, &b->ro, b->th, b->d) < 0)
		return b->status = 2;
	if (!o->check_only && !o->worktree && !b->d->errors) {
		b->stamp = stamp_text(o, b->r, b->th);
		/* a site in memory starts empty, whatever the folder's stamp says */
		if (!o->memory && stamp_matches(b->out_dir, b->stamp)) {
			for (size_t i = 0; i < b->s->n_records; i++)
				b->res->records += !b->s->records[i]->draft;
			b->res->up_to_date = 1;
			b->status = 0;
			return -1;
		}
	}
	return 0;
}

/*
 * Opens the output alongside (the staging folder is made and the previous
 * build's manifest read on a thread of their own, while the history, the
 * model and the bodies are: a rebuild's are mostly serial work on one core),
 * takes the history and makes the model's value and the cache's inputs.
 */
/* Each text's newest change (record.last_change), for the pages that list records. */
static void note_last_changes(site *s, const history *h)
{
	for (size_t i = 0; h && i < site_n_texts(s); i++) {
		record *r = site_text_at(s, i);
		size_t n = 0;
		history_change *const *ch = history_for_path(h, r->path, &n);
		r->last_change = n ? ch[0]->commit : NULL;
	}
}

static int phase_history(build_state *b)
{
	const build_opts *o = b->o;
	b->op.dir = b->out_dir;
	if (!o->check_only) {
		b->op.cache_dir = stamp_cache_path(b->out_dir, "");
		b->op.jobs = b->n_workers;
	}
	if (!o->check_only && !b->d->errors) {
		b->opening = pthread_create(&b->opener_thread, NULL, open_output, &b->op) == 0;
		if (!b->opening)
			open_output(&b->op);
	}
	if (b->wants_history) {
		int alongside = b->reading;
		if (b->reading)
			pthread_join(b->reader_thread, NULL);
		else
			read_history(&b->hr);
		b->reading = 0;
		diag_merge(b->d, &b->hr.d);
		b->hist = b->hr.h;
		b->hr.h = NULL;
		note_last_changes(b->s, b->hist);
		if (o->timings && alongside)
			fprintf(stderr, "avoin:   the history was read alongside, in %.3f s\n",
				b->hr.secs);
		if (b->hr.rc != 0)
			return b->status = 2;
	}
	phase_mark(&b->clk, "read history");
	b->model = site_model_value(b->s, repo_commit_date(b->r));
	if (!o->check_only) {
		cache_inputs(&b->inputs, o, b->r, b->s, b->th);
		digest_job *dj = xcalloc(b->n_workers, sizeof(*dj));
		for (size_t t = 0; t < b->n_workers; t++)
			dj[t] = (digest_job){ b->s, b->r, t, b->n_workers };
		run_threads(dj, b->n_workers, sizeof(*dj), digest_records);
		free(dj);
		cache_key k;
		model_digest(b->s, b->model, &k);
		cache_key_hex(&k, b->model_hash);
		/* the parts cache, opened alongside by the output's opener */
		if (b->opening) {
			pthread_join(b->opener_thread, NULL);
			b->opening = 0;
		} else if (!b->op.pc) {
			b->op.pc = cache_open(b->op.cache_dir, b->n_workers);
		}
		b->pc = b->op.pc;
		b->op.pc = NULL;
	}
	return 0;
}

/* A worker's hooks: the theme's and the content's, with the block memo. */
static void open_worker_hooks(build_state *b, size_t i, const hooks_limits *lim)
{
	worker *w = &b->ws[i];
	/* a broken hook is reported once, by the first worker */
	diag_list quiet = DIAG_LIST_INIT;
	if (hooks_open(&w->h, b->th->hooks, b->th->n_hooks, b->th->content_hooks,
		       b->th->n_content_hooks, lim, i == 0 ? b->d : &quiet) != 0)
		w->h = NULL;
	diag_release(&quiet);
	const value *lists[] = { value_map_get(b->th->config, "page_hooks"),
		value_map_get(b->s->config, "page_hooks") };
	for (size_t k = 0; w->h && k < 2; k++)
		for (size_t j = 0; j < value_len(lists[k]); j++)
			if (value_at(lists[k], j)->kind == VAL_STRING)
				hooks_mark_not_block(w->h, value_at(lists[k], j)->u.str.ptr);
	if (w->h && b->memo)
		hooks_set_memo(w->h, b->memo, i, b->model_hash);
}

/* Renders every record's body on the workers; `check` stops after it. */
/* What a site publishes, for the summary line. */
static void count_published(const site *s, build_result *res)
{
	res->records = res->translations = 0;
	for (size_t i = 0; i < s->n_records; i++)
		res->records += !s->records[i]->draft;
	for (size_t i = 0; i < s->n_translations; i++)
		res->translations += !s->translations[i]->draft;
}

static int phase_render(build_state *b)
{
	const build_opts *o = b->o;
	hooks_limits lim;
	hook_limits_from(b->s, &lim);
	b->memo = new_block_memo(b->th, &lim, b->pc);
	b->ws = xcalloc(b->n_workers, sizeof(*b->ws));
	for (size_t i = 0; i < b->n_workers; i++) {
		b->ws[i] = (worker){ .index = i, .count = b->n_workers, .s = b->s,
			.site_model = b->model, .strict = o->strict, .cache = b->pc,
			.cache_inputs = b->inputs.ptr, .model_hash = b->model_hash,
			.next_record = &b->next_record };
		open_worker_hooks(b, i, &lim);
	}
	/* Render even when validation failed, so every error of the build is reported. */
	phase_mark(&b->clk, "model and hooks");
	for (size_t i = 0; i < b->n_workers; i++)
		b->ws[i].stem = terms_stemmers_new();
	run_workers(b->ws, b->n_workers, render_records, b->d);
	for (size_t i = 0; i < b->n_workers; i++) {
		terms_stemmers_free(b->ws[i].stem);
		b->ws[i].stem = NULL;
	}
	b->clk.ws = b->ws;
	b->clk.n_ws = b->n_workers;
	phase_mark(&b->clk, "render records");
	if (b->d->errors)
		return -1;
	/* the bodies rendered now are read back from the cache by the pages that show them */
	cache_seal(b->pc);
	/* bodies are rendered and summarised: the sources' bytes go (history reads blobs itself) */
	site_release_bodies(b->s);
	repo_save_blobs(b->r, b->blob_cache);
	if (!repo_is_worktree(b->r)) {
		repo_release_data(b->r);
		for (size_t i = 0; i < b->n_files; i++)
			b->files[i].data = NULL;
	}
	count_published(b->s, b->res);
	b->published = files_published(b->s, o->check_only, b->d);
	for (size_t k = 0; k < b->n_scopes; k++) {
		const site *part = scope_site(b->scopes[k]);
		b->scope_pub[k] = files_published(part, 0, b->d);
		scope_set_files(b->scopes[k], b->scope_pub[k]);
		if (!o->all_scopes)
			count_published(part, b->res);
	}
	if (o->check_only) {
		b->status = 0;
		return -1;
	}
	return 0;
}

/* What --timings says of the hooks once the pages are written. */
static void print_hook_counts(const build_state *b)
{
	if (b->pc) {
		pages_stats sum = { 0, 0, 0, 0 };
		for (size_t i = 0; i < b->n_workers; i++) {
			sum.hook_calls += b->ws[i].stats.hook_calls;
			sum.hook_hits += b->ws[i].stats.hook_hits;
		}
		double terms = 0, index = 0;
		size_t read = 0, cached = 0;
		for (size_t i = 0; i < b->n_workers; i++) {
			terms += b->ws[i].terms_secs;
			index += b->ws[i].stats.search_secs;
			read += b->ws[i].terms_read;
			cached += b->ws[i].terms_cached;
		}
		fprintf(stderr, "avoin:   search index: the words of %zu texts read in %.3f s (and %zu "
			"from the cache; summed over workers), the index written in %.3f s\n", read, terms,
			cached, index);
		fprintf(stderr, "avoin:   %zu of %zu page-hook results from the cache\n",
			sum.hook_hits, sum.hook_calls);
	}
	if (b->memo) {
		size_t ran, from_memo, from_cache;
		blockmemo_counts(b->memo, &ran, &from_memo, &from_cache);
		fprintf(stderr, "avoin:   block-hook calls: %zu ran, %zu from this build's memo, %zu "
			"from the cache\n", ran, from_memo, from_cache);
	}
}

/* Writes every page into the staging folder (or, on a rebuild, the changed ones). */
/*
 * One site's pages into out: the whole site's (sc NULL), or a scope's,
 * published with pub and keyed from page_base. The sites of --all-scopes
 * share everything made before (bodies, hook results, the history); last:
 * the last of them, after which the records' bodies and the parsed front
 * matter go.
 */
void build_worker_env(build_state *b, size_t i, site_scope *sc, output *out,
	const unsigned char *pub, const char *page_base)
{
	repo *r = b->r;
	b->ws[i].pe = (pages_env){ sc ? scope_site(sc) : b->s, b->th, b->ws[i].h, b->model,
		repo_commit_id(r), repo_commit_date(r), repo_is_worktree(r), out, b->hist, r,
		b->o->strict, NULL, b->pc, b->inputs.ptr, b->model_hash,
		page_base[0] ? page_base : NULL, &b->queue, i, &b->ws[i].stats, b->fm, pub, NULL,
		NULL, sc, sc ? scope_newest(sc) : NULL, b->search };
}

static int write_site(build_state *b, site_scope *sc, output *out, const unsigned char *pub,
	const char *page_base, int last)
{
	const build_opts *o = b->o;
	const site *shown = sc ? scope_site(sc) : b->s;
	b->queue = (pages_queue){ 0, 0, 0 };
	for (size_t i = 0; i < b->n_workers; i++) {
		build_worker_env(b, i, sc, out, pub, page_base);
		b->ws[i].keep_bodies = !last;
	}
	b->hplan = histpages_plan(&b->ws[0].pe);
	if (last) {
		fm_cache_save(b->fm);
		fm_cache_free(b->fm);
		b->fm = NULL;
	}
	b->odata = opendata_new(shown);
	for (size_t i = 0; i < b->n_workers; i++) {
		b->ws[i].pe.fm = NULL;
		b->ws[i].pe.hp = b->hplan;
		b->ws[i].pe.od = b->odata;
	}
	phase_mark(&b->clk, "plan history pages");
	int failed = run_workers(b->ws, b->n_workers, write_pages, b->d) != 0 || b->d->errors;
	phase_mark(&b->clk, "write pages");
	if (o->timings)
		print_hook_counts(b);
	failed = failed || run_workers(b->ws, b->n_workers, write_lists, b->d) != 0 ||
		b->d->errors;
	/* the tables are written: the records' rows go (unless build_patch() may write them again) */
	if (!b->keeping) {
		opendata_free(b->odata);
		b->odata = NULL;
		histpages_free(b->hplan);
		b->hplan = NULL;
	}
	phase_mark(&b->clk, "write lists");
	return failed ? -1 : 0;
}

static int phase_pages(build_state *b)
{
	const build_opts *o = b->o;
	/* the old stamp goes first: if the swap happens and the new stamp fails, no false match */
	stamp_remove(b->out_dir);
	if (b->opening)
		pthread_join(b->opener_thread, NULL);
	b->opening = 0;
	diag_merge(b->d, &b->op.d);
	b->out = b->op.out;
	b->op.out = NULL;
	if (b->op.rc != 0)
		return b->status = 2;
	if (b->inputs.ptr)
		page_base_of(b->s, b->inputs.ptr, b->n_workers, b->page_base);
	int failed = 0;
	if (!b->n_scopes)
		failed = write_site(b, NULL, b->out, b->published, b->page_base, 1) != 0;
	for (size_t k = 0; k < b->n_scopes && !failed; k++) {
		site_scope *sc = b->scopes[k];
		char base[41], *folder = o->all_scopes ? xasprintf("%s/", scope_folder(sc)) : NULL;
		output *out = folder ? output_view(b->out, folder) : b->out;
		scope_page_base(sc, b->page_base, base);
		failed = write_site(b, sc, out, b->scope_pub[k], base, k + 1 == b->n_scopes) != 0;
		if (folder)
			output_view_free(out);
		free(folder);
	}
	if (failed) {
		output_abort(b->out);
		b->out = NULL;
		return -1;
	}
	if (o->timings) {
		double data = 0;
		for (size_t i = 0; i < b->n_workers; i++)
			data += b->ws[i].stats.data_secs;
		fprintf(stderr, "avoin:   open data and calendars written in %.3f s (summed over "
			"workers)\n", data);
	}
	b->res->files = output_count(b->out);
	b->res->changed = output_changed(b->out);
	return 0;
}

/*
 * Puts the site in place and saves the cache alongside: both mostly wait for
 * the disk, and neither reads what the other writes. Parts are kept by what
 * they are made of, so they are right to keep even if the swap fails.
 */
static int phase_commit(build_state *b)
{
	cache_saver cs = { b->pc, DIAG_LIST_INIT };
	pthread_t saver;
	int saving = b->pc && pthread_create(&saver, NULL, save_cache, &cs) == 0;
	if (b->pc && !saving)
		save_cache(&cs);
	int committed = output_commit(b->out, b->d);
	if (saving)
		pthread_join(saver, NULL);
	diag_merge(b->d, &cs.d);
	phase_mark(&b->clk, "swap in and save cache");
	if (committed != 0)
		return b->status = 2;
	if (b->stamp)
		stamp_write(b->out_dir, b->stamp);
	b->status = 0;
	return 0;
}

/* Joins what still runs, leaves no staging folder behind and releases the lock. */
static void build_stop(build_state *b)
{
	if (b->reading)
		pthread_join(b->reader_thread, NULL);
	diag_release(&b->hr.d);
	free((char *)b->hr.ho.cache_file);
	/* a build that stopped before writing leaves no staging folder */
	if (b->opening)
		pthread_join(b->opener_thread, NULL);
	output_abort(b->op.out);
	diag_release(&b->op.d);
	cache_free(b->op.pc);
	free(b->op.cache_dir);
	if (b->status != 2)
		fm_cache_save(b->fm);
	fm_cache_free(b->fm);
	/* before the command line forks the trash's child, which must not hold the lock */
	outguard_unlock(b->lock_fd);
}

static void build_free(build_state *b)
{
	for (size_t i = 0; b->ws && i < b->n_workers; i++) {
		hooks_free(b->ws[i].h);
		diag_release(&b->ws[i].d);
	}
	free(b->ws);
	search_keep_free(b->search);
	blockmemo_free(b->memo);
	free(b->published);
	for (size_t k = 0; k < b->n_scopes; k++) {
		free(b->scope_pub[k]);
		scope_free(b->scopes[k]);
	}
	free(b->scope_pub);
	free(b->scopes);
	free(b->stamp);
	free(b->blob_cache);
	cache_free(b->pc);
	buf_release(&b->inputs);
	histpages_free(b->hplan);
	opendata_free(b->odata);
	history_free(b->hist);
	history_free(b->hr.h);
	value_free(b->model);
	theme_free(b->th);
	site_free(b->s);
	free(b->files);
	repo_free(b->r);
}

void build_state_free(build_state *b)
{
	if (!b)
		return;
	build_free(b);
	free(b);
}

int build_run(const build_opts *o, diag_list *d, build_result *res)
{
	build_state *b = xmalloc(sizeof(*b));
	*b = (build_state){ .o = o, .d = d, .res = res, .status = 1, .lock_fd = -1,
		.ro = { o->repo_path, o->rev, o->content, o->worktree },
		.n_workers = o->jobs > 0 ? (size_t)o->jobs : default_jobs(),
		.hr = { NULL, NULL, { 0, NULL }, DIAG_LIST_INIT, 0, 0 },
		.op = { NULL, NULL, o, DIAG_LIST_INIT, 0, NULL, 0, NULL },
		.clk = { o->timings, { 0, 0 }, 0, NULL, 0 },
		.keeping = o->keep && o->memory && !o->memory_and_disk && !o->scope &&
			!o->all_scopes && !o->check_only };
	buf_init(&b->inputs);
	if (b->keeping)
		b->search = search_keep_new();
	memset(res, 0, sizeof(*res));
	b->out_dir = o->out ? o->out : "public";
	phase_mark(&b->clk, NULL);
	/* each phase returns 0 to go on; one that stops the build has set b->status */
	static int (*const phases[])(build_state *) = {
		phase_source, phase_model, phase_history, phase_render, phase_pages, phase_commit,
	};
	for (size_t i = 0; i < sizeof phases / sizeof *phases; i++)
		if (phases[i](b) != 0)
			break;
	build_stop(b);
	int status = b->status;
	if (b->keeping && status == 0) {
		/* for build_patch(), which sets its own diagnostics and result */
		b->last = *res;
		b->d = NULL;
		b->res = NULL;
		repo_trim(b->r);
		*o->keep = b;
		return 0;
	}
	/*
	 * What is left is memory and open files only (the cache's scratch files
	 * are unlinked when made). A process that exits next leaves them to the
	 * system, as compilers do: freeing tens of thousands of values one by one
	 * took 60-80 ms of a build on 10,000 records. Under a sanitizer
	 * everything is freed, so that leak checks still see every allocation.
	 */
#if !defined(__SANITIZE_ADDRESS__)
	if (o->exiting)
		return status;
#endif
	build_state_free(b);
	return status;
}
