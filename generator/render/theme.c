#include "theme.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "frontmatter.h"
#include "util.h"
#include "banned.h"

#ifndef AVOIN_DATADIR
#define AVOIN_DATADIR "/usr/local/share/avoin"
#endif

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in a folder, sorted (readdir order is not stable); NULL-terminated. */
static char **list_dir(const char *dir, size_t *n)
{
	DIR *dh = opendir(dir);
	char **names = NULL;
	size_t cap = 0;
	*n = 0;
	if (!dh)
		return NULL;
	struct dirent *e;
	while ((e = readdir(dh))) {
		if (e->d_name[0] == '.')
			continue;
		names = xgrow(names, sizeof(char *), *n + 1, &cap);
		names[(*n)++] = xstrdup(e->d_name);
	}
	closedir(dh);
	if (*n)
		qsort(names, *n, sizeof(char *), cmp_str);
	return names;
}

static void free_list(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* FNV-1a over everything that shapes the output, for the build cache. */
static void fp_add(uint64_t *h, const char *data, size_t len)
{
	*h = fnv1a(*h, data, len);
	*h = fnv1a(*h, "\xff", 1); /* a separator, so "ab"+"c" differs from "a"+"bc" */
}

static void read_statics(theme *t, const char *dir, const char *rel, diag_list *d)
{
	size_t n;
	char **names = list_dir(dir, &n);
	size_t cap = t->n_statics;
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		char *relpath = xasprintf("%s/%s", rel, names[i]);
		if (is_dir(path)) {
			read_statics(t, path, relpath, d);
			free(relpath);
		} else {
			char *data;
			size_t len;
			if (read_file(path, &data, &len) != 0) {
				diag_error(d, path, 0, "cannot read: %s", strerror(errno));
				free(relpath);
			} else {
				t->statics = xgrow(t->statics, sizeof(theme_file), t->n_statics + 1, &cap);
				t->statics[t->n_statics++] = (theme_file){ relpath, data, len };
			}
		}
		free(path);
	}
	free_list(names, n);
}

/*
 * Reads every file of dir whose name ends in suffix, in name order, adds it
 * to the fingerprint and hands it to fn, which owns path and data from then
 * on. Returns -1 when a file could not be read or fn failed.
 */
typedef int (*file_fn)(theme *t, const char *name, char *path, char *data, size_t len,
	diag_list *d);

static int for_each_file(theme *t, uint64_t *fp, const char *dir, const char *suffix, file_fn fn,
	diag_list *d)
{
	size_t n;
	char **names = list_dir(dir, &n);
	int ret = 0;
	for (size_t i = 0; i < n; i++) {
		if (!str_has_suffix(names[i], suffix))
			continue;
		char *path = xasprintf("%s/%s", dir, names[i]);
		char *data;
		size_t len;
		if (read_file(path, &data, &len) != 0) {
			diag_error(d, path, 0, "cannot read: %s", strerror(errno));
			free(path);
			ret = -1;
			continue;
		}
		fp_add(fp, names[i], strlen(names[i]));
		fp_add(fp, data, len);
		char *name = xstrndup(names[i], strlen(names[i]) - strlen(suffix));
		if (fn(t, name, path, data, len, d) != 0)
			ret = -1;
		free(name);
	}
	free_list(names, n);
	return ret;
}

static int add_template(theme *t, const char *name, char *path, char *data, size_t len,
	diag_list *d)
{
	int ret = tmpl_set_add(t->templates, name, data, len, path, d);
	free(path);
	free(data);
	return ret;
}

static int add_strings(theme *t, const char *lang, char *path, char *data, size_t len,
	diag_list *d)
{
	value *v = yaml_parse(data, len, path, 1, d);
	int ret = 0;
	if (!v || v->kind != VAL_MAP) {
		if (v)
			diag_error(d, path, 1, "UI strings must be a map of keys");
		value_free(v);
		ret = -1;
	} else {
		value_map_set(t->strings, lang, v);
	}
	free(path);
	free(data);
	return ret;
}

static int add_hook(theme *t, const char *name, char *path, char *data, size_t len,
	diag_list *d)
{
	(void)d;
	size_t cap = t->n_hooks; /* grown one at a time: capacity equals the count */
	t->hooks = xgrow(t->hooks, sizeof(hook_source), t->n_hooks + 1, &cap);
	t->hooks[t->n_hooks++] = (hook_source){ xstrdup(name), path, data, len };
	return 0;
}

/*
 * Finnish is the reference: a key missing in another language falls back to
 * it, with a warning naming the file and the key (a page would otherwise mix
 * languages without anyone noticing).
 */
static int complete_strings(theme *t, const char *dir, diag_list *d)
{
	value *fi = value_map_get(t->strings, "fi");
	for (size_t i = 0; fi && i < t->strings->u.map.n; i++) {
		value *m = t->strings->u.map.vals[i];
		for (size_t k = 0; m != fi && k < fi->u.map.n; k++) {
			if (value_map_get(m, fi->u.map.keys[k]))
				continue;
			char *file = xasprintf("%s/%s.yaml", dir, t->strings->u.map.keys[i]);
			diag_warning(d, file, 0, "UI string '%s' is missing (expected it, as in fi.yaml); "
				"the Finnish one is shown", fi->u.map.keys[k]);
			free(file);
			value_map_set(m, fi->u.map.keys[k], value_ref(fi->u.map.vals[k]));
		}
	}
	if (value_len(t->strings) == 0) {
		diag_error(d, dir, 0, "theme has no UI strings (expected i18n/fi.yaml)");
		return -1;
	}
	return 0;
}

size_t theme_search_roots(const char *argv0, char *roots[5])
{
	size_t n = 0;
	roots[n++] = xstrdup("themes");
	if (argv0 && strchr(argv0, '/')) {
		const char *slash = strrchr(argv0, '/');
		int len = (int)(slash - argv0);
		roots[n++] = xasprintf("%.*s/themes", len, argv0);
		roots[n++] = xasprintf("%.*s/../share/avoin/themes", len, argv0);
		roots[n++] = xasprintf("%.*s/../themes", len, argv0);
	}
	roots[n++] = xasprintf("%s/themes", AVOIN_DATADIR);
	return n;
}

static char *find_theme_dir(const char *explicit_dir, const site *s, const char *argv0, diag_list *d)
{
	if (explicit_dir) {
		if (is_dir(explicit_dir))
			return xstrdup(explicit_dir);
		diag_error(d, explicit_dir, 0, "theme folder does not exist");
		return NULL;
	}
	const char *name = s ? value_map_str(s->config, "theme") : NULL;
	if (!name)
		name = "default";
	if (!is_slug(name)) {
		diag_error(d, "site.yaml", 0, "'theme' must be a theme name (got '%s')", name);
		return NULL;
	}
	char *cand = xasprintf("themes/%s", name);
	if (is_dir(cand))
		return cand;
	free(cand);
	if (argv0 && strchr(argv0, '/')) {
		const char *slash = strrchr(argv0, '/');
		cand = xasprintf("%.*s/themes/%s", (int)(slash - argv0), argv0, name);
		if (is_dir(cand))
			return cand;
		free(cand);
		cand = xasprintf("%.*s/../share/avoin/themes/%s", (int)(slash - argv0), argv0, name);
		if (is_dir(cand))
			return cand;
		free(cand);
		/* a binary in a build folder of the source tree (build-asan/avoin) */
		cand = xasprintf("%.*s/../themes/%s", (int)(slash - argv0), argv0, name);
		if (is_dir(cand))
			return cand;
		free(cand);
	}
	cand = xasprintf("%s/themes/%s", AVOIN_DATADIR, name);
	if (is_dir(cand))
		return cand;
	free(cand);
	diag_error(d, NULL, 0, "theme '%s' not found (looked in ./themes, beside the binary and in %s)",
		name, AVOIN_DATADIR);
	return NULL;
}

theme *theme_load(const char *explicit_dir, const site *s, const char *argv0, diag_list *d)
{
	char *dir = find_theme_dir(explicit_dir, s, argv0, d);
	if (!dir)
		return NULL;
	theme *t = xcalloc(1, sizeof(*t));
	t->dir = dir;
	t->templates = tmpl_set_new();
	t->strings = value_map(0);
	size_t errors = d->errors;

	char *p = xasprintf("%s/theme.yaml", dir);
	char *data;
	size_t len;
	if (read_file(p, &data, &len) == 0) {
		t->config = yaml_parse(data, len, p, 1, d);
		free(data);
	}
	if (!t->config || t->config->kind != VAL_MAP) {
		value_free(t->config);
		t->config = value_map(0);
	}
	free(p);
	uint64_t fp = FNV1A_INIT;
	p = xasprintf("%s/templates", dir);
	if (!is_dir(p))
		diag_error(d, p, 0, "theme has no templates folder");
	else
		for_each_file(t, &fp, p, ".mustache", add_template, d);
	free(p);
	p = xasprintf("%s/i18n", dir);
	for_each_file(t, &fp, p, ".yaml", add_strings, d);
	complete_strings(t, p, d);
	free(p);
	p = xasprintf("%s/static", dir);
	if (is_dir(p))
		read_statics(t, p, "static", d);
	free(p);
	for (size_t i = 0; i < t->n_statics; i++) {
		fp_add(&fp, t->statics[i].path, strlen(t->statics[i].path));
		fp_add(&fp, t->statics[i].data, t->statics[i].len);
	}
	p = xasprintf("%s/hooks", dir);
	for_each_file(t, &fp, p, ".lua", add_hook, d);
	free(p);
	buf cfg = BUF_INIT; /* theme.yaml: its page_hooks shape pages too */
	value_put_json(&cfg, t->config);
	fp_add(&fp, cfg.ptr, cfg.len);
	buf_release(&cfg);
	t->fingerprint = xasprintf("%016llx", (unsigned long long)fp);

	/*
	 * The content's overrides: templates/<name>.mustache and hooks/<name>.lua at its root.
	 * A refused content template is an error of the content, not of the theme: the
	 * theme's template stays, and the build goes on to report every other error too.
	 */
	if (d->errors > errors) {
		theme_free(t);
		return NULL;
	}
	size_t cap = 0;
	for (size_t i = 0; s && i < s->n_files; i++) {
		const model_file *f = &s->files[i];
		const char *base = strrchr(f->path, '/');
		if (str_has_prefix(f->path, "templates/") && str_has_suffix(f->path, ".mustache") &&
		    base == f->path + strlen("templates/") - 1) {
			char *name = xstrndup(base + 1, strlen(base + 1) - strlen(".mustache"));
			char *file = xasprintf("%s%s", s->content_prefix, f->path);
			tmpl_set_add_untrusted(t->templates, name, f->data, f->len, file, d);
			free(file);
			free(name);
		} else if (str_has_prefix(f->path, "hooks/") && str_has_suffix(f->path, ".lua") &&
			   base == f->path + strlen("hooks/") - 1) {
			t->content_hooks = xgrow(t->content_hooks, sizeof(hook_source),
				t->n_content_hooks + 1, &cap);
			t->content_hooks[t->n_content_hooks++] = (hook_source){
				xstrndup(base + 1, strlen(base + 1) - 4),
				xasprintf("%s%s", s->content_prefix, f->path), f->data, f->len };
		}
	}

	return t;
}

void theme_free(theme *t)
{
	if (!t)
		return;
	free(t->dir);
	value_free(t->config);
	tmpl_set_free(t->templates);
	value_free(t->strings);
	for (size_t i = 0; i < t->n_statics; i++) {
		free(t->statics[i].path);
		free(t->statics[i].data);
	}
	free(t->statics);
	for (size_t i = 0; i < t->n_hooks; i++) {
		free((char *)t->hooks[i].name);
		free((char *)t->hooks[i].file);
		free((char *)t->hooks[i].code);
	}
	free(t->hooks);
	for (size_t i = 0; i < t->n_content_hooks; i++) {
		free((char *)t->content_hooks[i].name);
		free((char *)t->content_hooks[i].file);
	}
	free(t->content_hooks);
	free(t->fingerprint);
	free(t);
}

const value *theme_strings(const theme *t, const char *lang)
{
	const value *v = lang ? value_map_get(t->strings, lang) : NULL;
	if (!v)
		v = value_map_get(t->strings, "fi");
	if (!v && value_len(t->strings))
		v = t->strings->u.map.vals[0];
	return v;
}
