#include "build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "history.h"
#include "hooks.h"
#include "markdown.h"
#include "model.h"
#include "output.h"
#include "pages.h"
#include "repo.h"
#include "theme.h"
#include "util.h"
#include "value.h"
#include "banned.h"

static const char *site_read_file(void *opaque, const char *path, size_t *len)
{
	const model_file *f = site_find_file(opaque, path);
	if (!f)
		return NULL;
	*len = f->len;
	return f->data;
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
}

/* Markdown and summaries for every record; collects every error. */
static int render_records(site *s, hooks *h, const value *site_model, int strict, diag_list *d)
{
	int ret = 0;
	buf html = BUF_INIT, sum = BUF_INIT;
	for (size_t i = 0; i < s->n_records; i++) {
		record *r = s->records[i];
		value *rv = record_value(r);
		hook_ctx cx = { r->file, rv, site_model, site_read_file, s };
		char *root = pages_root_for(r->url);
		markdown_opts mo = { s, h, &cx, root, strict, 0 };
		buf_reset(&html);
		if (markdown_render(r, &mo, &html, d) != 0)
			ret = -1;
		free(r->html);
		r->html = xstrndup(html.ptr, html.len);
		const char *given = value_map_str(r->meta, "summary");
		buf_reset(&sum);
		int got = 0;
		if (given) {
			buf_puts(&sum, given);
			got = 1;
		} else if (h) {
			got = hooks_summary(h, r->body, &cx, &sum, d);
			if (got < 0)
				ret = -1;
		}
		if (got <= 0) {
			buf_reset(&sum);
			markdown_first_paragraph(r->body, r->body_len, 240, &sum);
		}
		free(r->summary);
		r->summary = xstrndup(sum.ptr, sum.len);
		free(root);
		value_free(rv);
	}
	buf_release(&html);
	buf_release(&sum);
	return ret;
}

int build_run(const build_opts *o, diag_list *d, build_result *res)
{
	repo_opts ro = { o->repo_path, o->rev, o->content, o->worktree };
	repo *r = NULL;
	site *s = NULL;
	theme *th = NULL;
	hooks *h = NULL;
	value *model = NULL;
	model_file *files = NULL;
	output *out = NULL;
	history *hist = NULL;
	int status = 1;

	memset(res, 0, sizeof(*res));
	if (repo_open(&r, &ro, d) != 0)
		return 2;
	snprintf(res->commit, sizeof(res->commit), "%s", repo_commit_id(r));
	snprintf(res->rev, sizeof(res->rev), "%s", repo_rev(r));

	size_t n = repo_file_count(r);
	files = xcalloc(n ? n : 1, sizeof(*files));
	for (size_t i = 0; i < n; i++) {
		const repo_file *f = repo_file_at(r, i);
		files[i] = (model_file){ f->path, f->data, f->len, f->oid };
	}
	/* History is read only for writing pages; `check` validates one revision. */
	if (!o->check_only && repo_commit_id(r)[0] && history_build(&hist, r, d) != 0) {
		status = 2;
		goto done;
	}
	model_opts mo = { repo_content_prefix(r), o->strict };
	s = site_load(files, n, &mo, d);
	if (!s)
		goto done;
	th = theme_load(o->theme_dir, s, o->argv0, d);
	if (!th)
		goto done;
	model = site_model_value(s, repo_commit_date(r));
	hooks_limits lim;
	hook_limits_from(s, &lim);
	if (hooks_open(&h, th->hooks, th->n_hooks, th->content_hooks, th->n_content_hooks, &lim, d) != 0)
		h = NULL;
	/* Render even when validation failed, so every error of the build is reported. */
	render_records(s, h, model, o->strict, d);
	if (d->errors)
		goto done;
	for (size_t i = 0; i < s->n_records; i++)
		res->records += !s->records[i]->draft;
	if (o->check_only) {
		status = 0;
		goto done;
	}
	if (output_begin(&out, o->out ? o->out : "public", d) != 0) {
		status = 2;
		goto done;
	}
	pages_env pe = { s, th, h, model, repo_commit_id(r), repo_commit_date(r),
		repo_is_worktree(r), out, hist, r, o->strict };
	if (pages_write_all(&pe, d) != 0 || d->errors) {
		output_abort(out);
		goto done;
	}
	res->files = output_count(out);
	if (output_commit(out, d) != 0) {
		status = 2;
		goto done;
	}
	status = 0;
done:
	hooks_free(h);
	history_free(hist);
	value_free(model);
	theme_free(th);
	site_free(s);
	free(files);
	repo_free(r);
	return status;
}
