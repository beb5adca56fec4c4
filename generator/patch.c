/*
 * `avoin serve --worktree`: a saved edit of record bodies brought into the
 * kept state of the last build and the site in memory (build.h: build_patch),
 * instead of a build that reads, validates and keys all of the site again.
 *
 * A body reaches only what shows it: the record's pages (in every
 * language), its JSON and its rows of the open data, and the search index.
 * Everything else a page shows of a record is its front matter and its
 * summary, which page_base covers (build.c), and the files it names, which
 * decide what is published. So a patch is taken only when each edited file
 * is a record the state has, its front matter is byte for byte as it was, the
 * new body renders without a message, and its summary and the files it
 * names are as before. Anything else (a new, renamed or deleted file, a
 * changed front matter, an error, a theme change) is a build, which also
 * reports the errors as a build does. tests/e2e/t0022 compares the site
 * served after patches with a fresh build.
 */
#include "build_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <git2.h>

#include "search.h"
#include "urls.h"
#include "util.h"
#include "banned.h"

/* One saved file that a patch can take: its record and the file's new bytes. */
typedef struct edit {
	record *r;
	char *old_terms;          /* its words before the edit (terms.h), for search_patch */
	size_t old_terms_len;
	size_t index;             /* of r in the site's records */
	model_file *f;            /* the build's view of the file */
	char *data;
	size_t len;
	const char *body;
	size_t body_len;
	int body_line;
} edit;

static void edits_free(edit *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(e[i].data);
		free(e[i].old_terms);
	}
	free(e);
}

static model_file *file_of(build_state *b, const char *path)
{
	for (size_t i = 0; i < b->n_files; i++)
		if (strcmp(b->files[i].path, path) == 0)
			return &b->files[i];
	return NULL;
}

static int record_index(const site *s, const record *r, size_t *at)
{
	for (size_t i = 0; i < s->n_records; i++)
		if (s->records[i] == r) {
			*at = i;
			return 0;
		}
	return -1;
}

/*
 * What a saved path is to a patch: 1 an edit (into e), 0 nothing to do (the
 * same bytes, or a file that came and went and the site never had), -1 a
 * build is needed.
 */
static int take_path(build_state *b, const char *content_dir, const char *path, edit *e)
{
	size_t cl = strlen(content_dir);
	if (strncmp(path, content_dir, cl) != 0)
		return -1;
	const char *rel = path + cl;
	/* a dot-file (.gitignore) decides what is read: a build reads it again */
	if (rel[0] == '.' || strstr(rel, "/."))
		return -1;
	struct stat st;
	if (lstat(path, &st) != 0)
		return file_of(b, rel) ? -1 : 0;
	record *r = site_find_record(b->s, rel);
	model_file *f = file_of(b, rel);
	if (!S_ISREG(st.st_mode) || !r || !f || !f->data || st.st_size > (off_t)REPO_MAX_FILE ||
	    record_index(b->s, r, &e->index) != 0)
		return -1;
	if (read_file(path, &e->data, &e->len) != 0 || e->len > REPO_MAX_FILE)
		return -1;
	char oid[41];
	repo_blob_id(e->data, e->len, oid);
	if (strcmp(oid, r->oid) == 0)
		return 0;
	const char *old_body;
	size_t old_len;
	int old_line;
	if (frontmatter_body(f->data, f->len, &old_body, &old_len, &old_line) != 0 ||
	    frontmatter_body(e->data, e->len, &e->body, &e->body_len, &e->body_line) != 0)
		return -1;
	size_t head = (size_t)(old_body - f->data);
	/* the front matter byte for byte, and a body that the model would take as it is */
	if ((size_t)(e->body - e->data) != head || memcmp(e->data, f->data, head) != 0 ||
	    e->body_line != old_line || text_control_at(e->body, e->body_len) != (size_t)-1)
		return -1;
	e->r = r;
	e->f = f;
	return 1;
}

/* The edits the changed paths make; NULL with *n 0 when there are none, *n -1 for a build. */
static edit *take_paths(build_state *b, const char *const *paths, size_t n, long *n_edits)
{
	const char *workdir = git_repository_workdir(repo_git(b->r));
	char *content_dir = xasprintf("%s%s", workdir ? workdir : "", repo_content_prefix(b->r));
	edit *e = xcalloc(n ? n : 1, sizeof(*e));
	size_t k = 0;
	int ok = workdir != NULL;
	for (size_t i = 0; ok && i < n; i++) {
		int t = take_path(b, content_dir, paths[i], &e[k]);
		ok = t >= 0;
		if (t == 1)
			k++;
		else {
			free(e[k].data);
			e[k] = (edit){ 0 };
		}
	}
	for (size_t i = 0; ok && i < k; i++)
		for (size_t j = 0; j < i; j++)
			ok = ok && e[i].r != e[j].r;
	free(content_dir);
	*n_edits = ok ? (long)k : -1;
	if (!ok || !k) {
		edits_free(e, k);
		return NULL;
	}
	return e;
}

/* 1 when the two lists of named files hold the same files. */
static int same_named(const model_file *const *a, size_t na, const model_file *const *b2, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++) {
		int found = 0;
		for (size_t j = 0; j < nb && !found; j++)
			found = a[i] == b2[j];
		if (!found)
			return 0;
	}
	return 1;
}

/*
 * Puts the edit's bytes into the state and renders its body on worker 0:
 * 0 when the result is as a build would have it (no message, the summary
 * and named files as before), -1 otherwise.
 */
static int apply_edit(build_state *b, edit *e, buf *html, buf *sum)
{
	record *r = e->r;
	const repo_file *rf = repo_replace_data(b->r, e->f->path, e->data, e->len);
	e->data = NULL;
	if (!rf)
		return -1;
	e->f->data = rf->data;
	e->f->len = rf->len;
	free(r->oid);
	r->oid = xstrdup(rf->oid);
	r->body = e->body;   /* the bytes moved into the repository as they are */
	r->body_len = e->body_len;
	r->body_line = e->body_line;
	build_record_digest(r, b->r);
	char *summary = r->summary ? xstrdup(r->summary) : NULL;
	size_t n_named = r->n_named;
	const model_file **named = xmalloc((n_named + 1) * sizeof(*named));
	if (n_named)
		memcpy(named, r->named, n_named * sizeof(*named));
	e->old_terms_len = r->search_terms_len;
	e->old_terms = xmalloc(r->search_terms_len + 1);
	if (r->search_terms_len)
		memcpy(e->old_terms, r->search_terms, r->search_terms_len);
	worker *w = &b->ws[0];
	diag_release(&w->d);
	w->d = (diag_list)DIAG_LIST_INIT;
	w->ret = 0;
	w->stem = terms_stemmers_new();
	build_render_one(w, r, html, sum);
	terms_stemmers_free(w->stem);
	w->stem = NULL;
	int same = w->ret == 0 && w->d.n == 0 && r->summary && summary &&
		strcmp(r->summary, summary) == 0 &&
		same_named(named, n_named, r->named, r->n_named);
	free(summary);
	free(named);
	/* as after a build's render: the pages show the HTML, the history reads blobs itself */
	r->body = NULL;
	r->body_len = 0;
	return same ? 0 : -1;
}

/* The search index of each language: its shards that the edits change, or whole (*whole). */
static int patch_search(const pages_env *pe, const edit *e, size_t n, size_t *whole,
	diag_list *d)
{
	const record **rs = xcalloc(n, sizeof(*rs));
	const char **olds = xcalloc(n, sizeof(*olds));
	size_t *lens = xcalloc(n, sizeof(*lens));
	for (size_t i = 0; i < n; i++) {
		rs[i] = e[i].r;
		olds[i] = e[i].old_terms;
		lens[i] = e[i].old_terms_len;
	}
	int ret = 0;
	for (size_t l = 0; l < pe->s->n_languages; l++) {
		const char *lang = pe->s->languages[l];
		int rc = search_patch(pe, lang, rs, olds, lens, n, d);
		if (rc == 1) {
			rc = search_write(pe, lang, d);
			(*whole)++;
		}
		ret |= rc;
	}
	free(rs);
	free(olds);
	free(lens);
	return ret ? -1 : 0;
}

/* A patch of the site in memory: output_begin_patch() and the workers' env on it. */
static output *begin_patch(build_state *b, diag_list *d)
{
	output *out;
	if (output_begin_patch(&out, b->o->memory, d) != 0)
		return NULL;
	b->ws[0].pe.out = out;
	return out;
}

/* Commits out; its count of new or changed files added to *changed. 0 or -1. */
static int commit_patch(output *out, int failed, size_t *changed, diag_list *d)
{
	if (failed || d->errors) {
		output_abort(out);
		return -1;
	}
	*changed += output_changed(out);
	return output_commit(out, d);
}

/*
 * The edited records' pages, history pages and JSON first, in a patch of
 * their own, so that the page the publisher looks at is served as soon as
 * it is rendered (shown() is told); then the tables and the search index,
 * in a second patch, after which the site is what a build would write.
 */
static int write_patch(build_state *b, edit *e, size_t n, diag_list *d, build_result *res,
	build_shown_fn shown, void *ud)
{
	b->queue = (pages_queue){ 0, 0, 0 };
	build_worker_env(b, 0, NULL, NULL, b->published, b->page_base);
	pages_env *pe = &b->ws[0].pe;
	pe->hp = b->hplan;
	pe->od = b->odata;
	output *out = begin_patch(b, d);
	if (!out)
		return -1;
	pages_shared_begin(pe);
	int ret = 0;
	size_t *idx = xcalloc(n, sizeof(*idx)), n_idx = 0, changed = 0;
	for (size_t i = 0; i < n; i++) {
		record *r = e[i].r;
		if (r->draft)
			continue;
		ret |= pages_write_record(pe, r, d);
		ret |= histpages_write_record(b->hplan, pe, e[i].index, d);
		ret |= opendata_write_record(pe, b->odata, b->hplan, e[i].index, d);
		idx[n_idx++] = e[i].index;
		free(r->html);
		r->html = NULL;
	}
	ret = commit_patch(out, ret, &changed, d);
	*res = b->last;
	res->files = memsite_count(b->o->memory);
	res->changed = changed;
	if (ret == 0 && shown)
		shown(ud, res);
	out = ret == 0 ? begin_patch(b, d) : NULL;
	/* the index's files are named by their content: the ones not written again go */
	for (size_t l = 0; out && l < b->s->n_languages; l++) {
		char *u = url_search_file(b->s->languages[l], "");
		output_drop_unwritten(out, url_href(u));
		free(u);
	}
	size_t whole = 0;
	if (out) {
		ret |= opendata_write_rows(pe, b->odata, idx, n_idx, d);
		ret |= patch_search(pe, e, n, &whole, d);
		ret = commit_patch(out, ret, &changed, d);
	}
	pages_shared_end(pe);
	free(idx);
	if (!out || ret)
		return -1;
	if (b->o->timings)
		fprintf(stderr, "avoin:   search index: patched in %zu of %zu languages, written "
			"whole in %zu\n", b->s->n_languages - whole, b->s->n_languages, whole);
	res->files = memsite_count(b->o->memory);
	res->changed = changed;
	b->last = *res;
	return 0;
}

int build_patch(build_state *b, const char *const *paths, size_t n, diag_list *d,
	build_result *res, build_shown_fn shown, void *ud)
{
	if (!b || !b->o->worktree || !paths || !b->hplan || !b->odata ||
	    !repo_memo_ignores_same(b->o->worktree_memo, b->r))
		return 0;
	long k;
	edit *e = take_paths(b, paths, n, &k);
	if (k < 0)
		return 0;
	if (k == 0) {
		/* saved as it was: the site is the same */
		*res = b->last;
		res->changed = 0;
		return 1;
	}
	buf html = BUF_INIT, sum = BUF_INIT;
	int ok = 1;
	for (size_t i = 0; ok && i < (size_t)k; i++)
		ok = apply_edit(b, &e[i], &html, &sum) == 0;
	buf_release(&html);
	buf_release(&sum);
	if (ok)
		cache_seal(b->pc);   /* the bodies just rendered are read back from the cache */
	ok = ok && write_patch(b, e, (size_t)k, d, res, shown, ud) == 0;
	edits_free(e, (size_t)k);
	return ok ? 1 : -1;
}
