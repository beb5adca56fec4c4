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

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <git2.h>

#include "urls.h"
#include "util.h"
#include "banned.h"

/* One saved file that a patch can take: its record and the file's new bytes. */
typedef struct edit {
	record *r;
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
	for (size_t i = 0; i < n; i++)
		free(e[i].data);
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

/*
 * The edited records' pages, JSON and rows, the tables and the search
 * index, into a patch of the site in memory (output_begin_patch): the rest
 * of the site stays as the last build left it.
 */
static int write_patch(build_state *b, edit *e, size_t n, diag_list *d, build_result *res)
{
	output *out;
	if (output_begin_patch(&out, b->o->memory, d) != 0)
		return -1;
	/* the index's files are named by their content: the ones not written again go */
	for (size_t l = 0; l < b->s->n_languages; l++) {
		char *u = url_search_file(b->s->languages[l], "");
		output_drop_unwritten(out, url_href(u));
		free(u);
	}
	b->queue = (pages_queue){ 0, 0, 0 };
	build_worker_env(b, 0, NULL, out, b->published, b->page_base);
	pages_env *pe = &b->ws[0].pe;
	pe->hp = b->hplan;
	pe->od = b->odata;
	pages_shared_begin(pe);
	int ret = 0;
	for (size_t i = 0; i < n; i++) {
		record *r = e[i].r;
		if (r->draft)
			continue;
		ret |= pages_write_record(pe, r, d);
		ret |= histpages_write_record(b->hplan, pe, e[i].index, d);
		ret |= opendata_write_record(pe, b->odata, b->hplan, e[i].index, d);
		free(r->html);
		r->html = NULL;
	}
	ret |= opendata_write(pe, b->odata, d);
	ret |= pages_write_search(pe, d);
	pages_shared_end(pe);
	if (ret || d->errors) {
		output_abort(out);
		return -1;
	}
	size_t changed = output_changed(out);
	if (output_commit(out, d) != 0)
		return -1;
	*res = b->last;
	res->files = memsite_count(b->o->memory);
	res->changed = changed;
	b->last = *res;
	return 0;
}

int build_patch(build_state *b, const char *const *paths, size_t n, diag_list *d,
	build_result *res)
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
	ok = ok && write_patch(b, e, (size_t)k, d, res) == 0;
	edits_free(e, (size_t)k);
	return ok ? 1 : -1;
}
