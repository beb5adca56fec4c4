/*
 * Paths and the files records name: the content model's one rule for a file
 * a record names (its folder, then its region's, "/" for the content root),
 * links between records, and which files a site may publish (model.h).
 */
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "msg.h"
#include "urls.h"
#include "util.h"
#include "banned.h"

char *path_join_normalize(const char *dir, const char *rel)
{
	buf joined = BUF_INIT, out = BUF_INIT;
	/* A leading '/' means the content root, whatever the folder. */
	if (rel[0] != '/' && dir)
		buf_printf(&joined, "%s/", dir);
	buf_puts(&joined, rel);
	size_t *starts = NULL, n = 0, cap = 0;
	const char *p = joined.ptr;
	int ok = 1;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		if (len == 0 || (len == 1 && p[0] == '.')) {
			/* nothing: "a//b" and "a/./b" are "a/b" */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (n == 0) {
				ok = 0;
				break;
			}
			buf_truncate(&out, starts[--n]);
		} else {
			starts = xgrow(starts, sizeof(*starts), n + 1, &cap);
			starts[n++] = out.len;
			if (out.len)
				buf_putc(&out, '/');
			buf_put(&out, p, len);
		}
		p += len;
		if (*p == '/')
			p++;
	}
	free(starts);
	buf_release(&joined);
	if (!ok) {
		buf_release(&out);
		return NULL;
	}
	return buf_detach(&out, NULL);
}

/* The folder of a content path ("a/b/c.md" -> "a/b", "c.md" -> ""), malloc'd. */
static char *path_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup("");
}

char *path_top_folder(const char *path)
{
	const char *slash = strchr(path, '/');
	return slash ? xstrndup(path, (size_t)(slash - path)) : NULL;
}

/* Files of the site's own machinery, never published: site.yaml, hooks, templates, hidden files. */
static int site_machinery(const char *path)
{
	return strcmp(path, "site.yaml") == 0 || str_has_prefix(path, "hooks/") ||
		str_has_prefix(path, "templates/") || path[0] == '.' || strstr(path, "/.") != NULL;
}

int site_publishable_type(const char *path)
{
	static const char *const types[] = {
		".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp",
		".rtf", ".txt", ".csv", ".tsv", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif",
	};
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash : path, '.');
	if (!dot)
		return 0;
	for (size_t i = 0; i < sizeof types / sizeof *types; i++)
		if (strcasecmp(dot, types[i]) == 0)
			return 1;
	return 0;
}

/* The file at content path p, if it is one a record may name (nothing of the machinery, no record). */
static const model_file *nameable(const site *s, const char *p)
{
	return p && !site_machinery(p) && !str_has_suffix(p, ".md") ? site_find_file(s, p) : NULL;
}

const model_file *site_resolve_file(const site *s, const char *from_path, const char *written,
	buf *why)
{
	buf_reset(why);
	if (!written || !*written) {
		buf_puts(why, tr("an empty file name"));
		return NULL;
	}
	char *dir = path_dir(from_path ? from_path : "");
	char *top = path_top_folder(from_path ? from_path : "");
	const char *rdir = top && site_find_region(s, top) ? top : NULL;
	char *tries[2] = { NULL, NULL };
	tries[0] = path_join_normalize(written[0] == '/' ? "" : dir, written);
	if (written[0] != '/' && rdir && strcmp(dir, rdir) != 0)
		tries[1] = path_join_normalize(rdir, written);
	const model_file *f = NULL;
	for (int i = 0; i < 2 && !f; i++)
		f = nameable(s, tries[i]);
	if (f && !s->raw_files && !site_publishable_type(f->path)) {
		buf_printf(why, tr("'%s' is of a type that is not published (expected PDF, office "
			"documents, images other than SVG, CSV, TSV or text; SVG, HTML and scripts can "
			"run code in a reader's browser: see raw_files in site.yaml)"), written);
		f = NULL;
	} else if (!f && !tries[0]) {
		buf_printf(why, tr("'%s' leaves the content folder"), written);
	} else if (!f && site_machinery(tries[0])) {
		buf_printf(why, tr("'%s' is one of the site's own files (site.yaml, hooks, "
			"templates, hidden files), which are not published"), written);
	} else if (!f) {
		if (tries[1])
			buf_printf(why, s->worktree ? tr("'%s' does not exist in the working tree "
				"(looked for '%s' and '%s')") : tr("'%s' does not exist at this revision "
				"(looked for '%s' and '%s')"), written, tries[0], tries[1]);
		else
			buf_printf(why, s->worktree ? tr("'%s' does not exist in the working tree "
				"(looked for '%s')") : tr("'%s' does not exist at this revision (looked "
				"for '%s')"), written, tries[0]);
	}
	free(tries[0]);
	free(tries[1]);
	free(top);
	free(dir);
	return f;
}

const char *site_reader_read(void *opaque, const char *written, size_t *len, const char **path,
	buf *why)
{
	const site_reader *rd = opaque;
	const model_file *f = site_resolve_file(rd->s, rd->from, written, why);
	if (!f || !f->data)
		return NULL;
	if (rd->note)
		rd->note(rd->ud, f);
	*len = f->len;
	*path = f->path;
	return f->data;
}

static int has_scheme(const char *t)
{
	/* "http:", "mailto:", "javascript:" ...: letters, then ':' before any '/'. */
	const char *p = t;
	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return 0;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')
			|| *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':';
}

record *site_resolve_link(const site *s, const record *from, const char *target,
	const char **fragment)
{
	if (fragment)
		*fragment = NULL;
	if (!s || !target)
		return NULL;
	const char *hash = strchr(target, '#');
	size_t n = hash ? (size_t)(hash - target) : strlen(target);
	if (hash && fragment)
		*fragment = hash + 1;
	if (n == 0 || has_scheme(target) || (n >= 2 && target[0] == '/' && target[1] == '/'))
		return NULL;
	char *t = xstrndup(target, n);
	/* A query string has no meaning for a static page. */
	char *q = strchr(t, '?');
	if (q)
		*q = '\0';
	record *r = NULL;
	if (t[0] == '/') {
		char *norm = path_join_normalize("", t);
		if (norm && str_has_suffix(norm, ".md")) {
			r = site_find_record(s, norm);
		} else if (norm && norm[0]) {
			char *url = url_of_folder(norm);
			r = site_find_url(s, url);
			free(url);
		}
		free(norm);
	} else if (str_has_suffix(t, ".md")) {
		char *dir = path_dir(from ? from->path : "");
		char *norm = path_join_normalize(dir, t);
		if (norm)
			r = site_find_record(s, norm);
		free(norm);
		free(dir);
	}
	free(t);
	return r;
}
