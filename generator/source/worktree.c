/*
 * Reading the working tree for previews (`--worktree`), and the memo of the
 * last read that `avoin serve` keeps between builds (repo.h): files whose
 * status is as it was, and ignore decisions while what decides them is.
 */
#include "repo_impl.h"

#include <dirent.h>
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <git2.h>

#include "htab.h"
#include "util.h"
#include "banned.h"

/* ---- bytes held by the memo and a repo at once (repo_impl.h) ---- */

typedef struct shared_bytes {
	atomic_size_t refs;
	char data[];
} shared_bytes;

static shared_bytes *holder_of(char *data)
{
	return (shared_bytes *)(void *)(data - offsetof(shared_bytes, data));
}

char *shared_bytes_new(char *data, size_t len)
{
	shared_bytes *b = xmalloc(sizeof(*b) + len + 1);
	atomic_init(&b->refs, 1);
	memcpy(b->data, data, len);
	b->data[len] = '\0';
	free(data);
	return b->data;
}

char *shared_bytes_ref(char *data)
{
	atomic_fetch_add(&holder_of(data)->refs, 1);
	return data;
}

void shared_bytes_release(char *data)
{
	if (data && atomic_fetch_sub(&holder_of(data)->refs, 1) == 1)
		free(holder_of(data));
}

/* ---- the working files of the last read (repo.h) ---- */

typedef struct memo_file {
	char *path;
	struct stat st;
	char *data;          /* shared bytes (a repo's file may hold them too) */
	size_t len;
	git_oid oid;
} memo_file;

/* An ignore decision: path's, made while what decides it had the fingerprint fp. */
typedef struct memo_ignore {
	char *path;
	uint64_t fp;
	int is_dir, ignored;
} memo_ignore;

struct repo_memo {
	memo_file *f;        /* the last read's, in the order read */
	size_t n;
	htab index;
	memo_file *next;     /* this read's */
	size_t n_next, cap_next;
	time_t now;
	memo_ignore *ig, *ig_next;   /* ignore decisions: the last read's, this read's */
	size_t n_ig, n_ig_next, cap_ig_next, ig_hits;
	htab ig_index;
	uint64_t root_fp;            /* ignore_root_fp() at the last read (0: none) */
	struct timespec now_ts;      /* when the last read began */
};

repo_memo *repo_memo_new(void)
{
	return xcalloc(1, sizeof(repo_memo));
}

static void memo_files_free(memo_file *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(f[i].path);
		shared_bytes_release(f[i].data);
	}
	free(f);
}

static void memo_ignores_free(memo_ignore *g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(g[i].path);
	free(g);
}

void repo_memo_free(repo_memo *m)
{
	if (!m)
		return;
	memo_files_free(m->f, m->n);
	memo_files_free(m->next, m->n_next);
	htab_free(&m->index);
	memo_ignores_free(m->ig, m->n_ig);
	memo_ignores_free(m->ig_next, m->n_ig_next);
	htab_free(&m->ig_index);
	free(m);
}

static int same_status(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
		a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
		a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* The last read's file at path if its status is st; NULL otherwise. */
static memo_file *memo_find(repo_memo *m, const char *path, const struct stat *st)
{
	uint64_t h = str_hash(path);
	htab_iter it;
	for (size_t i = htab_first(&m->index, h, &it); i != HTAB_NONE; i = htab_next(&m->index, h, &it))
		if (strcmp(m->f[i].path, path) == 0)
			return m->f[i].data && same_status(&m->f[i].st, st) ? &m->f[i] : NULL;
	return NULL;
}

/* 1 if a file of this status may be kept for the next read: it did not change just now. */
static int memo_may_keep(const repo_memo *m, const struct stat *st)
{
	return st->st_mtim.tv_sec < m->now - 2;
}

/* Keeps a file of this read for the next: a reference to data (shared bytes). */
static void memo_keep(repo_memo *m, const char *path, const struct stat *st, char *data,
	size_t len, const git_oid *oid)
{
	m->next = xgrow(m->next, sizeof(memo_file), m->n_next + 1, &m->cap_next);
	m->next[m->n_next++] =
		(memo_file){ xstrdup(path), *st, shared_bytes_ref(data), len, *oid };
}

/* This read's files become the memo. */
static void memo_turn(repo_memo *m)
{
	memo_files_free(m->f, m->n);
	m->f = m->next;
	m->n = m->n_next;
	m->next = NULL;
	m->n_next = m->cap_next = 0;
	htab_clear(&m->index);
	htab_reserve(&m->index, m->n ? m->n : 1);
	for (size_t i = 0; i < m->n; i++)
		htab_add(&m->index, str_hash(m->f[i].path), i);
	memo_ignores_free(m->ig, m->n_ig);
	m->ig = m->ig_next;
	m->n_ig = m->n_ig_next;
	m->ig_next = NULL;
	m->n_ig_next = m->cap_ig_next = 0;
	htab_clear(&m->ig_index);
	htab_reserve(&m->ig_index, m->n_ig ? m->n_ig : 1);
	for (size_t i = 0; i < m->n_ig; i++)
		htab_add(&m->ig_index, str_hash(m->ig[i].path), i);
}

/*
 * 1 when a file's time stamp t may share its clock tick with a change after
 * now: within 50 ms where the filesystem keeps nanoseconds (the kernel stamps
 * files with a clock of a few milliseconds' grain), within three seconds
 * where it keeps whole seconds (nanoseconds 0), as git treats a racy entry.
 */
static int racy(const struct timespec *t, const struct timespec *now)
{
	long long ms = (long long)(now->tv_sec - t->tv_sec) * 1000 +
		(now->tv_nsec - t->tv_nsec) / 1000000;
	return ms < (t->tv_nsec ? 50 : 3000);
}

/*
 * Ignore decisions are kept by the fingerprint of everything git reads to
 * make them (ignore_root_fp, then each folder's .gitignore on the way down):
 * asking libgit2 for each of 10,000 files took half of reading a working
 * tree again. 0 is no fingerprint: a file changed so recently that a later
 * change could leave the same status (racy) is not trusted.
 */
static uint64_t fp_file(uint64_t h, const char *path, const struct timespec *now)
{
	struct stat st;
	if (h == 0)
		return 0;
	if (lstat(path, &st) < 0)
		return fnv1a(h, "-", 1);
	if (racy(&st.st_mtim, now) || racy(&st.st_ctim, now))
		return 0;
	long long v[7] = { (long long)st.st_dev, (long long)st.st_ino, (long long)st.st_size,
		(long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec,
		st.st_ctim.tv_nsec };
	h = fnv1a(h, v, sizeof v);
	return h ? h : 1;
}

/* The last read's decision for path, if what decides it is as it was: 0 or 1; else -1. */
static int memo_ignored(repo_memo *m, const char *path, int is_dir, uint64_t fp)
{
	if (!m || !fp)
		return -1;
	uint64_t h = str_hash(path);
	htab_iter it;
	for (size_t i = htab_first(&m->ig_index, h, &it); i != HTAB_NONE;
	     i = htab_next(&m->ig_index, h, &it)) {
		const memo_ignore *g = &m->ig[i];
		if (strcmp(g->path, path) == 0)
			return g->fp == fp && g->is_dir == is_dir ? g->ignored : -1;
	}
	return -1;
}

/* Keeps a decision of this read for the next. */
static void memo_note_ignored(repo_memo *m, const char *path, int is_dir, uint64_t fp, int ignored)
{
	if (!m || !fp)
		return;
	m->ig_next = xgrow(m->ig_next, sizeof(memo_ignore), m->n_ig_next + 1, &m->cap_ig_next);
	m->ig_next[m->n_ig_next++] = (memo_ignore){ xstrdup(path), fp, is_dir, ignored };
}

typedef struct wt_state {
	repo *r;
	diag_list *d;
	repo_memo *memo;    /* may be NULL */
	git_index *index;   /* may be NULL */
	buf full;           /* absolute path being visited */
	buf rel;            /* path relative to the working directory */
	size_t content_len; /* length of rel's content prefix */
	int failed;
	uint64_t fp;        /* what decides ignores in the folder being read (fp_file); 0: none */
} wt_state;

/* What git would leave out of a commit: ignored and not already tracked. */
static int ask_ignored(wt_state *w, int is_dir)
{
	int ignored = 0;
	if (is_dir) {
		buf_putc(&w->rel, '/');
		git_ignore_path_is_ignored(&ignored, w->r->git, w->rel.ptr);
		buf_truncate(&w->rel, w->rel.len - 1);
		return ignored;
	}
	if (git_ignore_path_is_ignored(&ignored, w->r->git, w->rel.ptr) < 0 || !ignored)
		return 0;
	return !(w->index && git_index_get_bypath(w->index, w->rel.ptr, 0));
}

/* ask_ignored, or the last read's answer while what decides it is as it was. */
static int wt_ignored(wt_state *w, int is_dir)
{
	int ignored = memo_ignored(w->memo, w->rel.ptr, is_dir, w->fp);
	if (ignored >= 0)
		w->memo->ig_hits++;
	else
		ignored = ask_ignored(w, is_dir);
	memo_note_ignored(w->memo, w->rel.ptr, is_dir, w->fp, ignored);
	return ignored;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void wt_read_file(wt_state *w, const struct stat *st)
{
	const char *shown = w->rel.ptr;
	const char *path = w->rel.ptr + w->content_len;
	memo_file *known = w->memo ? memo_find(w->memo, w->rel.ptr, st) : NULL;
	if (known) {
		repo_add_shared(w->r, xstrdup(path), shared_bytes_ref(known->data), known->len,
			&known->oid);
		w->r->memo_hits++;
		memo_keep(w->memo, w->rel.ptr, st, known->data, known->len, &known->oid);
		return;
	}
	if (st->st_size > (off_t)REPO_MAX_FILE) {
		diag_error(w->d, shown, 0, "file is too large (%lld bytes; the limit is 16 MiB)",
			(long long)st->st_size);
		w->failed = 1;
		return;
	}
	char *data;
	size_t len;
	if (read_file(w->full.ptr, &data, &len) < 0) {
		diag_error(w->d, shown, 0, "cannot read the file: %s", strerror(errno));
		w->failed = 1;
		return;
	}
	if (len > REPO_MAX_FILE) { /* it grew while we looked */
		diag_error(w->d, shown, 0, "file is too large (%zu bytes; the limit is 16 MiB)",
			len);
		free(data);
		w->failed = 1;
		return;
	}
	git_oid oid;
	git_odb_hash(&oid, data, len, GIT_OBJECT_BLOB);
	if (!w->memo || !memo_may_keep(w->memo, st)) {
		repo_add_file(w->r, xstrdup(path), data, len, &oid);
		return;
	}
	data = shared_bytes_new(data, len);
	memo_keep(w->memo, w->rel.ptr, st, data, len, &oid);
	repo_add_shared(w->r, xstrdup(path), data, len, &oid);
}

static void wt_walk(wt_state *w)
{
	DIR *dir = opendir(w->full.ptr);
	if (!dir) {
		diag_error(w->d, w->rel.ptr, 0, "cannot read the folder: %s", strerror(errno));
		w->failed = 1;
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	uint64_t parent_fp = w->fp;
	while ((de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".gitignore") == 0 && w->fp) {
			size_t len = w->full.len;
			buf_puts(&w->full, "/.gitignore");
			w->fp = fp_file(w->fp, w->full.ptr, &w->memo->now_ts);
			buf_truncate(&w->full, len);
		}
		if (repo_hidden_name(de->d_name))
			continue;
		names = xgrow(names, sizeof(char *), n + 1, &cap);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(dir);
	if (n > 1)
		qsort(names, n, sizeof(char *), cmp_str);
	size_t full_len = w->full.len, rel_len = w->rel.len;
	for (size_t i = 0; i < n; i++) {
		buf_printf(&w->full, "/%s", names[i]);
		if (w->rel.len)
			buf_putc(&w->rel, '/');
		buf_puts(&w->rel, names[i]);
		struct stat st;
		if (lstat(w->full.ptr, &st) < 0) {
			diag_error(w->d, w->rel.ptr, 0, "cannot read the file: %s",
				strerror(errno));
			w->failed = 1;
		} else if (S_ISLNK(st.st_mode)) {
			diag_warning(w->d, w->rel.ptr, 0,
				"skipping a symbolic link (only regular files are read)");
		} else if (S_ISDIR(st.st_mode)) {
			if (!wt_ignored(w, 1))
				wt_walk(w);
		} else if (S_ISREG(st.st_mode)) {
			if (!wt_ignored(w, 0))
				wt_read_file(w, &st);
		}
		buf_truncate(&w->full, full_len);
		buf_truncate(&w->rel, rel_len);
		free(names[i]);
	}
	free(names);
	w->fp = parent_fp;
}

/*
 * The fingerprint of what decides ignores above the content folder: the
 * index (a tracked file is never ignored), info/exclude, the configuration
 * (core.excludesFile and its own file, the user's and the system's files,
 * the default excludes file) and each .gitignore from the working folder down.
 */
static uint64_t ignore_root_fp(const repo *r, const char *workdir, const struct timespec *now)
{
	uint64_t h = FNV1A_INIT;
	buf p = BUF_INIT;
	const char *home = getenv("HOME"), *xdg = getenv("XDG_CONFIG_HOME");
	const char *dirs[] = { git_repository_path(r->git), git_repository_commondir(r->git),
		git_repository_commondir(r->git), home, home, xdg, xdg, "/etc" };
	const char *names[] = { "index", "info/exclude", "config", ".gitconfig",
		".config/git/ignore", "git/ignore", "git/config", "gitconfig" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		buf_reset(&p);
		buf_printf(&p, "%s%s%s", dirs[i] ? dirs[i] : "", dirs[i] && *dirs[i] &&
			dirs[i][strlen(dirs[i]) - 1] != '/' ? "/" : "", names[i]);
		h = fp_file(h, dirs[i] ? p.ptr : "", now);
	}
	git_config *cfg = NULL;
	git_buf ex = { NULL, 0, 0 };
	if (git_repository_config_snapshot(&cfg, r->git) == 0 &&
	    git_config_get_path(&ex, cfg, "core.excludesfile") == 0)
		h = fp_file(h, ex.ptr, now);
	git_buf_dispose(&ex);
	git_config_free(cfg);
	buf_reset(&p);
	buf_puts(&p, workdir);
	for (const char *c = r->content; h && *c;) {
		size_t len = p.len;
		buf_puts(&p, ".gitignore");
		h = fp_file(h, p.ptr, now);
		buf_truncate(&p, len);
		const char *slash = strchr(c, '/');
		if (!slash)
			break;   /* the content folder's own is read with its folder */
		buf_put(&p, c, (size_t)(slash - c) + 1);
		c = slash + 1;
	}
	buf_release(&p);
	return h;
}

int repo_read_worktree(repo *r, repo_memo *memo, diag_list *d)
{
	const char *workdir = git_repository_workdir(r->git);
	if (!workdir) {
		diag_error(d, NULL, 0, "cannot read the working tree: '%s' is a bare repository",
			git_repository_path(r->git));
		return -1;
	}
	wt_state w = { r, d, memo, NULL, BUF_INIT, BUF_INIT, 0, 0, 0 };
	if (memo) {
		memo->now = time(NULL);
		clock_gettime(CLOCK_REALTIME, &memo->now_ts);
		memo->ig_hits = 0;
		w.fp = memo->root_fp = ignore_root_fp(r, workdir, &memo->now_ts);
	}
	buf_puts(&w.full, workdir);
	buf_truncate(&w.full, w.full.len - 1); /* workdir ends with '/' */
	if (*r->content)
		buf_printf(&w.full, "/%s", r->content);
	struct stat st;
	if (stat(w.full.ptr, &st) < 0 || !S_ISDIR(st.st_mode)) {
		diag_error(d, NULL, 0, "'%s' is not a folder in the working tree",
			*r->content ? r->content : ".");
		buf_release(&w.full);
		return -1;
	}
	if (git_repository_index(&w.index, r->git) < 0)
		w.index = NULL;
	buf_puts(&w.rel, r->prefix);
	w.content_len = w.rel.len;
	if (w.rel.len)
		buf_truncate(&w.rel, w.rel.len - 1);
	wt_walk(&w);
	if (memo)
		memo_turn(memo);
	git_index_free(w.index);
	buf_release(&w.full);
	buf_release(&w.rel);
	return w.failed ? -1 : 0;
}

size_t repo_memo_ignore_hits(const repo_memo *m)
{
	return m ? m->ig_hits : 0;
}

int repo_memo_ignores_same(const repo_memo *m, const repo *r)
{
	const char *workdir = git_repository_workdir(r->git);
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	return m && m->root_fp && workdir && ignore_root_fp(r, workdir, &now) == m->root_fp;
}
