#define _GNU_SOURCE /* renameat2 */
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "buf.h"
#include "htab.h"
#include "memsite.h"
#include "util.h"
#include "banned.h"

/*
 * A file of the new site: its path, its key (or NULL), whether it was
 * written to disk, and in the incremental mode the number of its file in
 * the staging folder.
 */
typedef struct oentry {
	char *path;
	char *key;
	int changed;
	size_t staged;
	long long size, mtime_ns;   /* of the file as written, to notice edits by hand */
	memfile *mf;                /* its bytes, for a site in memory (a reference), or NULL */
} oentry;

/* The previous build's manifest: path -> key, found by path (old_index). */
/* Its strings point into the manifest's text (output.old_text). */
typedef struct oldfile {
	const char *path;
	const char *key;     /* NULL: written without a key */
	long long size, mtime_ns;
} oldfile;

struct output {
	/* output_view(): paths go under prefix into parent, which holds everything below */
	struct output *parent;
	char *prefix;
	memsite *mem;        /* output_begin_memory(): the site in memory, read and then replaced */
	int disk;            /* 0: the site goes to memory only (the folders below are unused) */
	char *out_dir;
	char *staging;
	char *manifest;      /* <out>.cache/manifest */
	int incremental;
	oldfile *old;        /* the previous manifest, in path order */
	char *old_text;      /* the manifest's text, which old's strings point into */
	size_t n_old;
	htab old_index;      /* positions in old, by path */
	int old_fd;          /* the output folder, for stat()s relative to it; -1: none */
	pthread_mutex_t lock;
	oentry *files;       /* under lock */
	size_t n_files, cap_files;
	atomic_size_t count, changed;
	atomic_size_t next_staged;   /* incremental: the staging folder's next file number */
	/* A full build's folders made so far in the staging tree (see staged_folder). */
	pthread_mutex_t dir_lock;
	htab dirs;           /* the staging tree's folders: offsets in dir_names */
	buf dir_names;       /* the folders' paths, each ending in NUL */
	/* output_begin_patch(): the site in memory's other files stay, but those under drop */
	int patch;
	char **drop;
	size_t n_drop, cap_drop;
};

#define MANIFEST_HEAD "avoin-manifest 1\n"

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	/* gone already is as good: another process may be emptying the same trash */
	int r = flag == FTW_DP ? rmdir(path) : unlink(path);
	return r != 0 && errno == ENOENT ? 0 : r;
}

int remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	return nftw(path, rm_entry, 32, FTW_DEPTH | FTW_PHYS);
}

/* Reads the manifest; 0 when it is there and well formed (sorted, unique, safe paths). */
static int manifest_load(output *o)
{
	char *text = NULL;
	size_t len = 0;
	if (read_file(o->manifest, &text, &len) != 0)
		return -1;
	o->old_text = text;
	size_t hl = strlen(MANIFEST_HEAD);
	if (len < hl || memcmp(text, MANIFEST_HEAD, hl) != 0 || text[len - 1] != '\n' ||
	    memchr(text, '\0', len))
		return -1;
	size_t cap = 0;
	int ok = 1;
	for (char *line = text + hl; ok && line < text + len;) {
		char *nl = strchr(line, '\n');
		*nl = '\0';
		/* "<key or -> <size> <mtime in ns> <path>" */
		char *sp = strchr(line, ' ');
		char *end1 = NULL, *end2 = NULL;
		long long size = -1, mtime = -1;
		if (sp) {
			size = strtoll(sp + 1, &end1, 10);
			if (end1 > sp + 1 && *end1 == ' ')
				mtime = strtoll(end1 + 1, &end2, 10);
		}
		if (!sp || !((sp - line == 1 && line[0] == '-') || sp - line == 40) || size < 0 ||
		    mtime < 0 || !end2 || *end2 != ' ' || end2[1] == '\0' || end2[1] == '/' ||
		    strstr(end2 + 1, "..")) {
			ok = 0;
			break;
		}
		const char *path = end2 + 1;
		if (o->n_old && strcmp(o->old[o->n_old - 1].path, path) >= 0) {
			ok = 0;
			break;
		}
		o->old = xgrow(o->old, sizeof(oldfile), o->n_old + 1, &cap);
		*sp = '\0';
		o->old[o->n_old].path = path;
		o->old[o->n_old].key = line[0] == '-' && sp - line == 1 ? NULL : line;
		o->old[o->n_old].size = size;
		o->old[o->n_old].mtime_ns = mtime;
		o->n_old++;
		line = nl + 1;
	}
	if (!ok)
		return -1;
	htab_reserve(&o->old_index, o->n_old);
	for (size_t i = 0; i < o->n_old; i++)
		htab_add(&o->old_index, str_hash(o->old[i].path), i);
	return 0;
}

static const oldfile *old_find(const output *o, const char *path)
{
	uint64_t h = str_hash(path);
	htab_iter it;
	for (size_t i = htab_first(&o->old_index, h, &it); i != HTAB_NONE;
	     i = htab_next(&o->old_index, h, &it))
		if (strcmp(o->old[i].path, path) == 0)
			return &o->old[i];
	return NULL;
}

static void dirs_release(output *o)
{
	htab_free(&o->dirs);
	buf_release(&o->dir_names);
}

static void output_free(output *o)
{
	free(o->old_text);
	free(o->old);
	htab_free(&o->old_index);
	for (size_t i = 0; i < o->n_files; i++) {
		free(o->files[i].path);
		free(o->files[i].key);
		memfile_release(o->files[i].mf);
	}
	free(o->files);
	pthread_mutex_destroy(&o->lock);
	dirs_release(o);
	pthread_mutex_destroy(&o->dir_lock);
	if (o->old_fd >= 0)
		close(o->old_fd);
	free(o->manifest);
	free(o->out_dir);
	free(o->staging);
	for (size_t i = 0; i < o->n_drop; i++)
		free(o->drop[i]);
	free(o->drop);
	free(o);
}

int output_begin(output **out, const char *out_dir, diag_list *d)
{
	output *o = xcalloc(1, sizeof(*o));
	o->old_fd = -1;
	o->disk = 1;
	size_t n = strlen(out_dir);
	while (n > 1 && out_dir[n - 1] == '/')
		n--;
	o->out_dir = xstrndup(out_dir, n);
	o->staging = xasprintf("%s.staging", o->out_dir);
	o->manifest = xasprintf("%s.cache/manifest", o->out_dir);
	pthread_mutex_init(&o->lock, NULL);
	pthread_mutex_init(&o->dir_lock, NULL);
	o->dir_names = (buf)BUF_INIT;
	/* a swap a stopped build left half done is finished before its staging folder goes */
	output_recover(o->out_dir, d);
	if (remove_tree(o->staging) != 0 || mkdir(o->staging, 0755) != 0) {
		diag_error(d, o->staging, 0, "cannot create the staging folder: %s", strerror(errno));
		output_free(o);
		return -1;
	}
	struct stat st;
	if (stat(o->out_dir, &st) == 0 && S_ISDIR(st.st_mode) && manifest_load(o) == 0) {
		o->incremental = 1;
		o->old_fd = open(o->out_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	} else {
		free(o->old_text);
		o->old_text = NULL;
		free(o->old);
		o->old = NULL;
		o->n_old = 0;
	}
	*out = o;
	return 0;
}

int output_begin_patch(output **out, memsite *ms, diag_list *d)
{
	if (output_begin_memory(out, ms, NULL, d) != 0)
		return -1;
	(*out)->patch = 1;
	return 0;
}

void output_drop_unwritten(output *o, const char *prefix)
{
	o->drop = xgrow(o->drop, sizeof(char *), o->n_drop + 1, &o->cap_drop);
	o->drop[o->n_drop++] = xstrdup(prefix);
}


int output_begin_memory(output **out, memsite *ms, const char *out_dir, diag_list *d)
{
	if (out_dir) {
		if (output_begin(out, out_dir, d) != 0)
			return -1;
		(*out)->mem = ms;
		memsite_compact_stop(ms);
		return 0;
	}
	/* the build reads the site in memory without its lock: nothing else may change it */
	memsite_compact_stop(ms);
	output *o = xcalloc(1, sizeof(*o));
	o->old_fd = -1;
	o->mem = ms;
	pthread_mutex_init(&o->lock, NULL);
	pthread_mutex_init(&o->dir_lock, NULL);
	o->dir_names = (buf)BUF_INIT;
	*out = o;
	return 0;
}


/* Notes that the staging tree has the folder (len bytes); 1 when it was known already. */
static int dir_note(output *o, const char *folder, size_t len)
{
	uint64_t h = fnv1a(FNV1A_INIT, folder, len);
	pthread_mutex_lock(&o->dir_lock);
	int known = 0;
	htab_iter it;
	for (size_t at = htab_first(&o->dirs, h, &it); at != HTAB_NONE && !known;
	     at = htab_next(&o->dirs, h, &it)) {
		const char *name = o->dir_names.ptr + at;
		known = strncmp(name, folder, len) == 0 && name[len] == '\0';
	}
	if (!known) {
		if (!o->dirs.cap)
			htab_reserve(&o->dirs, 512);
		htab_add(&o->dirs, h, o->dir_names.len);
		buf_put(&o->dir_names, folder, len);
		buf_putc(&o->dir_names, '\0');
	}
	pthread_mutex_unlock(&o->dir_lock);
	return known;
}

/*
 * Makes sure that the folder of a full build's staged file (path, under the
 * staging folder, whose own name is rel_len bytes from its end) exists. The
 * staging tree is this build's alone, so a folder made once is there: each
 * new folder costs one mkdir, and no file a failed open first.
 */
static int staged_folder(output *o, char *path, size_t rel_len)
{
	const char *rel = path + strlen(path) - rel_len;
	const char *slash = strrchr(rel, '/');
	if (!slash || dir_note(o, rel, (size_t)(slash - rel)))
		return 0;
	return mkdir_parents(path);
}

static long long mtime_ns(const struct stat *st)
{
	return (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

/* 1 when the file at path holds exactly data; *st is its status. */
static int same_as_file(const char *path, const char *data, size_t len, struct stat *st_out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	struct stat st;
	int same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == len;
	*st_out = st;
	char chunk[16384];
	for (size_t off = 0; same && off < len;) {
		size_t want = len - off < sizeof(chunk) ? len - off : sizeof(chunk);
		ssize_t got = read(fd, chunk, want);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0 || memcmp(chunk, data + off, (size_t)got) != 0)
			same = 0;
		else
			off += (size_t)got;
	}
	close(fd);
	return same;
}

static void note_file(output *o, const char *rel_path, const char *key, int changed,
	size_t staged, const struct stat *st, memfile *mf)
{
	pthread_mutex_lock(&o->lock);
	o->files = xgrow(o->files, sizeof(oentry), o->n_files + 1, &o->cap_files);
	o->files[o->n_files++] = (oentry){ xstrdup(rel_path), key ? xstrdup(key) : NULL, changed,
		staged, (long long)st->st_size, mtime_ns(st), mf };
	pthread_mutex_unlock(&o->lock);
	atomic_fetch_add(&o->count, 1);
	if (changed)
		atomic_fetch_add(&o->changed, 1);
}

/* A relative path that stays inside the output folder. */
static int safe_path(const char *p)
{
	return p[0] && p[0] != '/' && !strstr(p, "..") && !strchr(p, '\n') && !strstr(p, "//") &&
		!strstr(p, "/./") && !str_has_prefix(p, "./");
}

static int safe_rel_path(const char *rel_path, diag_list *d)
{
	if (!safe_path(rel_path)) {
		diag_error(d, rel_path, 0, "refusing to write outside the output folder");
		return 0;
	}
	return 1;
}

/*
 * The bytes of a page for the site in memory: the current site's file when
 * it holds the same bytes (shared, not copied), else a copy, packed once the
 * site has a dictionary (memsite_file_new). *same says which.
 */
static memfile *mem_bytes(output *o, const char *rel_path, const char *data, size_t len, int *same)
{
	memfile *cur = memsite_peek(o->mem, rel_path, NULL);
	*same = cur && memfile_equals(cur, data, len);
	return *same ? memfile_ref(cur) : memsite_file_new(o->mem, data, len);
}

output *output_view(output *o, const char *prefix)
{
	output *v = xcalloc(1, sizeof(*v));
	v->parent = o->parent ? o->parent : o;
	v->prefix = o->parent ? xasprintf("%s%s", o->prefix, prefix) : xstrdup(prefix);
	return v;
}

void output_view_free(output *v)
{
	if (!v)
		return;
	free(v->prefix);
	free(v);
}

/* rel_path as its view's parent names it (a new string). */
static char *in_parent(const output *v, const char *rel_path)
{
	return xasprintf("%s%s", v->prefix, rel_path);
}

int output_write_keyed(output *o, const char *rel_path, const char *key, const char *data,
	size_t len, diag_list *d)
{
	if (o->parent) {
		/* checked as it is, so that no prefix makes a bad path look good */
		if (!safe_rel_path(rel_path, d))
			return -1;
		char *p = in_parent(o, rel_path);
		int ret = output_write_keyed(o->parent, p, key, data, len, d);
		free(p);
		return ret;
	}
	if (!safe_rel_path(rel_path, d))
		return -1;
	int same = 0;
	memfile *mf = o->mem ? mem_bytes(o, rel_path, data, len, &same) : NULL;
	if (!o->disk) {
		struct stat st = { .st_size = (off_t)len };
		note_file(o, rel_path, key, !same, 0, &st, mf);
		return 0;
	}
	if (o->incremental && old_find(o, rel_path)) {
		char *cur = xasprintf("%s/%s", o->out_dir, rel_path);
		struct stat st;
		int on_disk = same_as_file(cur, data, len, &st);
		free(cur);
		if (on_disk) {
			note_file(o, rel_path, key, 0, 0, &st, mf);
			return 0;
		}
	}
	/*
	 * A full build stages the site as it will be. A rebuild stages only what
	 * changed, as numbered files side by side: no folders to create in the
	 * staging folder and to remove again after the renames.
	 */
	size_t staged = o->incremental ? atomic_fetch_add(&o->next_staged, 1) + 1 : 0;
	char *path = staged ? xasprintf("%s/%zu", o->staging, staged) :
		xasprintf("%s/%s", o->staging, rel_path);
	int fd = -1, ret = -1;
	if (!staged && staged_folder(o, path, strlen(rel_path)) != 0)
		goto fail;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 && errno == ENOENT) {
		if (mkdir_parents(path) != 0)
			goto fail;
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	}
	if (fd < 0)
		goto fail;
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		off += (size_t)w;
	}
	struct stat st;
	if (fstat(fd, &st) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	note_file(o, rel_path, key, 1, staged, &st, mf);
	free(path);
	return 0;
fail:
	memfile_release(mf);
	diag_error(d, path, 0, "cannot write: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	free(path);
	return ret;
}

int output_write(output *o, const char *rel_path, const char *data, size_t len, diag_list *d)
{
	return output_write_keyed(o, rel_path, NULL, data, len, d);
}

/* 1 when the site in memory has rel_path with key. */
static int mem_known(const output *o, const char *rel_path, const char *key)
{
	const char *have = NULL;
	return memsite_peek(o->mem, rel_path, &have) && have && strcmp(have, key) == 0;
}

int output_known(const output *o, const char *rel_path, const char *key)
{
	if (o->parent) {
		char *p = in_parent(o, rel_path);
		int ret = output_known(o->parent, p, key);
		free(p);
		return ret;
	}
	if (!key || (o->mem && !mem_known(o, rel_path, key)))
		return 0;
	if (!o->disk)
		return 1;
	if (!o->incremental)
		return 0;
	const oldfile *f = old_find(o, rel_path);
	return f && f->key && strcmp(f->key, key) == 0;
}

int output_intact(const output *o, const char *rel_path)
{
	if (o->parent) {
		char *p = in_parent(o, rel_path);
		int ret = output_intact(o->parent, p);
		free(p);
		return ret;
	}
	/* memory is as the build left it; the disk may have been edited by hand */
	if (o->mem && !memsite_peek(o->mem, rel_path, NULL))
		return 0;
	if (!o->disk)
		return 1;
	const oldfile *f = o->incremental ? old_find(o, rel_path) : NULL;
	if (!f)
		return 0;
	struct stat st;
	int found;
	/* relative to the folder: one walk of its path, not one per file */
	if (o->old_fd >= 0) {
		found = fstatat(o->old_fd, rel_path, &st, 0) == 0;
	} else {
		char *cur = xasprintf("%s/%s", o->out_dir, rel_path);
		found = stat(cur, &st) == 0;
		free(cur);
	}
	return found && S_ISREG(st.st_mode) && (long long)st.st_size == f->size &&
		mtime_ns(&st) == f->mtime_ns;
}

int output_keep(output *o, const char *rel_path, const char *key)
{
	/* a file deleted or edited by hand is written again */
	if (!output_known(o, rel_path, key) || !output_intact(o, rel_path))
		return 0;
	return output_keep_checked(o, rel_path, key);
}

int output_keep_checked(output *o, const char *rel_path, const char *key)
{
	if (o->parent) {
		char *p = in_parent(o, rel_path);
		int ret = output_keep_checked(o->parent, p, key);
		free(p);
		return ret;
	}
	memfile *mf = o->mem ? memsite_peek(o->mem, rel_path, NULL) : NULL;
	if (o->mem && !mf)
		return 0;
	struct stat st;
	memset(&st, 0, sizeof(st));
	if (o->disk) {
		const oldfile *f = o->incremental ? old_find(o, rel_path) : NULL;
		if (!f)
			return 0;
		st.st_size = (off_t)f->size;
		st.st_mtim.tv_sec = (time_t)(f->mtime_ns / 1000000000LL);
		st.st_mtim.tv_nsec = (long)(f->mtime_ns % 1000000000LL);
	} else {
		st.st_size = (off_t)memfile_raw_len(mf);
	}
	note_file(o, rel_path, key, 0, 0, &st, memfile_ref(mf));
	return 1;
}

static int cmp_oentry(const void *a, const void *b)
{
	return strcmp(((const oentry *)a)->path, ((const oentry *)b)->path);
}

/*
 * Writes the manifest of the new site (files sorted) to path, through a
 * temporary file renamed into place. 0, or -1: without it the next build is full.
 */
static int manifest_write_to(output *o, const char *path)
{
	/* written as it goes: the manifest of a large site is megabytes */
	atomic_file a;
	FILE *f = atomic_open(&a, path);
	int ok = f && fputs(MANIFEST_HEAD, f) >= 0;
	for (size_t i = 0; ok && i < o->n_files; i++)
		ok = fprintf(f, "%s %lld %lld %s\n", o->files[i].key ? o->files[i].key : "-",
			o->files[i].size, o->files[i].mtime_ns, o->files[i].path) > 0;
	return atomic_commit(&a, ok, 0);
}

static void manifest_write(output *o)
{
	manifest_write_to(o, o->manifest);
}

/* Removes whatever is in the way of a file at path: a folder there, or a file where a parent folder should be. */
static void clear_way(const char *path)
{
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		remove_tree(path);
		return;
	}
	char *p = xstrdup(path);
	for (char *slash = strchr(p + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (lstat(p, &st) == 0 && !S_ISDIR(st.st_mode))
			unlink(p);
		*slash = '/';
	}
	free(p);
}

/*
 * Moves one new or changed file (number staged in the staging folder) into
 * the site. A file that replaces one is exchanged with it (renameat2's
 * RENAME_EXCHANGE: readers see the old file or the new one, as with a rename):
 * the old one goes to the staging folder, and with it to the trash, rather
 * than being freed here. Freeing a file is the costly part of replacing it on
 * a filesystem mounted with online discard (0.4 ms a file on the project's
 * machine, against 0.02 ms for the rename).
 */
static int put_in_place(output *o, size_t staged, const char *rel_path)
{
	char *from = xasprintf("%s/%zu", o->staging, staged);
	char *to = xasprintf("%s/%s", o->out_dir, rel_path);
	int r = (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, 2 /* RENAME_EXCHANGE */);
	/* no file there yet (ENOENT), or no exchange on this filesystem (EINVAL): a rename */
	if (r != 0)
		r = rename(from, to);
	if (r != 0 && errno == ENOENT && mkdir_parents(to) == 0)
		r = rename(from, to);
	if (r != 0 && (errno == EISDIR || errno == ENOTEMPTY || errno == EEXIST || errno == ENOTDIR ||
		       errno == ENOENT)) {
		clear_way(to);
		if (mkdir_parents(to) == 0)
			r = rename(from, to);
	}
	free(from);
	free(to);
	return r;
}

/*
 * The old files a build replaced wait in <out>.cache/trash for
 * output_empty_trash(), which the command line runs in the background once
 * the build is done: freeing 35,000 files took 9 s on the project's machine
 * (online discard), while the build that replaced them took 4 to 10.
 */
char *output_trash_dir(const char *out_dir)
{
	size_t n = strlen(out_dir);
	while (n > 1 && out_dir[n - 1] == '/')
		n--;
	return xasprintf("%.*s.cache/trash", (int)n, out_dir);
}

/*
 * Moves path (a folder beside the output) into the trash; 0, or -1 when it
 * could not (another filesystem): then the caller deletes it.
 */
static int move_to_trash(output *o, const char *path)
{
	static atomic_uint serial;
	char *trash = output_trash_dir(o->out_dir);
	char *to = xasprintf("%s/%ld-%u", trash, (long)getpid(), atomic_fetch_add(&serial, 1));
	char *cache = xstrndup(trash, strlen(trash) - strlen("/trash"));
	mkdir(cache, 0755);
	mkdir(trash, 0755);
	int r = rename(path, to);
	free(cache);
	free(to);
	free(trash);
	return r;
}

int output_empty_trash(const char *out_dir)
{
	char *trash = output_trash_dir(out_dir);
	buf path = BUF_INIT;
	int r = -1;
	/*
	 * Entry by entry, in rounds: the children of builds run one after the
	 * other may empty the same trash at once, and a folder that another one
	 * removed under nftw() ends that walk, not the others.
	 */
	for (int round = 0; round < 8 && r != 0; round++) {
		DIR *dir = opendir(trash);
		if (!dir) {
			r = errno == ENOENT ? 0 : -1;
			break;
		}
		for (struct dirent *e; (e = readdir(dir));) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			buf_reset(&path);
			buf_printf(&path, "%s/%s", trash, e->d_name);
			remove_tree(path.ptr);
		}
		closedir(dir);
		/* not empty: a build moved more in, or a walk was cut short; another round */
		r = rmdir(trash) == 0 || errno == ENOENT ? 0 : -1;
	}
	buf_release(&path);
	free(trash);
	return r;
}

/* Deletes a file the new site no longer has, and the folders it leaves empty. */
static void remove_stale(output *o, const char *rel_path)
{
	char *p = xasprintf("%s/%s", o->out_dir, rel_path);
	size_t root = strlen(o->out_dir);
	if (unlink(p) == 0 || errno == ENOENT) {
		for (char *slash = strrchr(p, '/'); slash && (size_t)(slash - p) > root;
		     slash = strrchr(p, '/')) {
			*slash = '\0';
			if (rmdir(p) != 0)
				break;
		}
	}
	free(p);
}

/*
 * The swap of a rebuild, made recoverable. Before the first rename, every
 * rename is tried on paper (precheck_swap) and the journal is written
 * (<out>.cache/journal, with the new manifest beside it as manifest.new):
 * each changed file's number in the staging folder, its path and the size
 * and time it was written with, then the files to remove, then "end". A
 * build stopped anywhere in the swap (kill -9, power) leaves the journal,
 * and the next build finishes the swap from it before anything else
 * (output_recover): a file whose target already has the new size and time
 * was moved, one whose staged file still has them is moved now. Only when
 * neither holds (the staging folder was deleted by hand) is the manifest
 * dropped, so that the next build writes the whole site again.
 */
#define JOURNAL_HEAD "avoin-journal 1\n"

static char *journal_path(const char *out_dir)
{
	return xasprintf("%s.cache/journal", out_dir);
}

/* Test hook: AVOIN_TEST_KILL_SWAP=N stops the process (SIGKILL) after N renames of a swap. */
static void swap_step(void)
{
	static long left = -2;
	if (left == -2) {
		const char *e = getenv("AVOIN_TEST_KILL_SWAP");
		left = e && *e ? strtol(e, NULL, 10) : -1;
	}
	if (left >= 0 && left-- == 0)
		raise(SIGKILL);
}

static int journal_write(output *o)
{
	char *path = journal_path(o->out_dir);
	atomic_file a;
	FILE *f = atomic_open(&a, path);
	int ok = f && fputs(JOURNAL_HEAD, f) >= 0;
	for (size_t i = 0; ok && i < o->n_files; i++)
		if (o->files[i].changed)
			ok = fprintf(f, "put %zu %lld %lld %s\n", o->files[i].staged, o->files[i].size,
				o->files[i].mtime_ns, o->files[i].path) > 0;
	size_t k = 0;
	for (size_t i = 0; ok && i < o->n_old; i++) {
		while (k < o->n_files && strcmp(o->files[k].path, o->old[i].path) < 0)
			k++;
		if (k >= o->n_files || strcmp(o->files[k].path, o->old[i].path) != 0)
			ok = fprintf(f, "gone %s\n", o->old[i].path) > 0;
	}
	ok = ok && fputs("end\n", f) >= 0;
	free(path);
	/* synced before the swap starts: the journal is what recovery reads after a crash */
	return atomic_commit(&a, ok, 1);
}

/* 1 when the file at path has the size and time (ns) it was written with. */
static int has_stamp(const char *path, long long size, long long mtime)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode) && (long long)st.st_size == size &&
		mtime_ns(&st) == mtime;
}

/* Ends a swap: manifest.new becomes the manifest, the journal goes. */
static void swap_done(const char *out_dir, const char *manifest)
{
	char *next = xasprintf("%s.new", manifest), *journal = journal_path(out_dir);
	rename(next, manifest);
	unlink(journal);
	free(next);
	free(journal);
}

/*
 * What would make a rename fail, found before the first: a name longer than
 * the filesystem takes, a folder that cannot be written (permissions, an
 * immutable flag), too few free inodes for the new folders. -1 with errors.
 */
static int precheck_swap(output *o, diag_list *d)
{
	long name_max = pathconf(o->out_dir, _PC_NAME_MAX);
	if (name_max <= 0)
		name_max = 255;
	size_t base = strlen(o->out_dir) + 1, new_folders = 0;
	int ret = 0;
	char *last_dir = NULL;
	for (size_t i = 0; i < o->n_files; i++) {
		const char *p = o->files[i].path;
		if (!o->files[i].changed)
			continue;
		for (const char *seg = p; *seg;) {
			const char *slash = strchr(seg, '/');
			size_t len = slash ? (size_t)(slash - seg) : strlen(seg);
			if ((long)len > name_max) {
				diag_error(d, p, 0, "cannot be written: a name of %zu bytes is longer "
					"than the %ld this filesystem takes", len, name_max);
				ret = -1;
			}
			seg += len + (slash != NULL);
		}
		if (base + strlen(p) >= PATH_MAX) {
			diag_error(d, p, 0, "cannot be written: the path is longer than %d bytes",
				PATH_MAX);
			ret = -1;
		}
		/* the nearest folder that exists must take a new entry (files are sorted: each once) */
		char *dir = xasprintf("%s/%s", o->out_dir, p);
		*strrchr(dir, '/') = '\0';
		if (last_dir && strcmp(last_dir, dir) == 0) {
			free(dir);
			continue;
		}
		free(last_dir);
		last_dir = xstrdup(dir);
		/* a file in the way of a folder is cleared (clear_way): up to the nearest folder */
		struct stat st;
		while ((stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) && strlen(dir) > base - 1) {
			new_folders++;
			*strrchr(dir, '/') = '\0';
		}
		if (access(dir, W_OK | X_OK) != 0) {
			diag_error(d, dir, 0, "cannot be written (%s): the new site was not put in place",
				strerror(errno));
			ret = -1;
		}
		free(dir);
	}
	free(last_dir);
	struct statvfs vfs;
	if (ret == 0 && statvfs(o->out_dir, &vfs) == 0 && vfs.f_files > 0 &&
	    vfs.f_favail < new_folders + 16) {
		diag_error(d, o->out_dir, 0, "too few free inodes for %zu new folders", new_folders);
		ret = -1;
	}
	return ret;
}

static int commit_incremental(output *o, diag_list *d)
{
	char *next = xasprintf("%s.new", o->manifest);
	int ready = precheck_swap(o, d) == 0 && manifest_write_to(o, next) == 0 &&
		journal_write(o) == 0;
	free(next);
	if (!ready) {
		if (d->errors == 0)
			diag_error(d, o->manifest, 0, "cannot write the journal of the swap: %s",
				strerror(errno));
		char *j = journal_path(o->out_dir);
		unlink(j);
		free(j);
		remove_tree(o->staging);
		return -1;
	}
	/* from here until the new manifest is in place, the next build must not trust the old one */
	unlink(o->manifest);
	int ret = 0;
	for (size_t i = 0; i < o->n_files; i++) {
		if (!o->files[i].changed)
			continue;
		swap_step();
		if (put_in_place(o, o->files[i].staged, o->files[i].path) != 0) {
			diag_error(d, o->files[i].path, 0, "cannot move the new file in place: %s",
				strerror(errno));
			ret = -1;
		}
	}
	/* both lists are in path order: one merge finds the files that are gone */
	size_t k = 0;
	for (size_t i = 0; i < o->n_old; i++) {
		while (k < o->n_files && strcmp(o->files[k].path, o->old[i].path) < 0)
			k++;
		if (k < o->n_files && strcmp(o->files[k].path, o->old[i].path) == 0)
			continue;
		swap_step();
		remove_stale(o, o->old[i].path);
	}
	/* the staging folder holds the files that were replaced: they go later */
	if (move_to_trash(o, o->staging) != 0 && remove_tree(o->staging) != 0)
		diag_warning(d, o->staging, 0, "cannot remove the staging folder: %s", strerror(errno));
	if (ret == 0) {
		swap_done(o->out_dir, o->manifest);
	} else {
		/* the journal cannot finish what failed: the next build is a full one */
		char *j = journal_path(o->out_dir);
		unlink(j);
		free(j);
	}
	return ret;
}

/* One line of the journal: "put <n> <size> <mtime> <path>" or "gone <path>". */
static int recover_line(output *o, char *line)
{
	if (str_has_prefix(line, "gone ")) {
		if (!safe_path(line + 5))
			return -1;
		remove_stale(o, line + 5);
		return 0;
	}
	size_t staged;
	long long size, mtime;
	int at = 0;
	if (sscanf(line, "put %zu %lld %lld %n", &staged, &size, &mtime, &at) != 3 || !at ||
	    !safe_path(line + at))
		return -1;
	const char *rel = line + at;
	char *to = xasprintf("%s/%s", o->out_dir, rel);
	char *from = xasprintf("%s/%zu", o->staging, staged);
	int rc = 0;
	if (!has_stamp(to, size, mtime))
		rc = has_stamp(from, size, mtime) && put_in_place(o, staged, rel) == 0 ? 0 : -1;
	free(to);
	free(from);
	return rc;
}

int output_recover(const char *out_dir, diag_list *d)
{
	output o;
	memset(&o, 0, sizeof o);
	size_t n = strlen(out_dir);
	while (n > 1 && out_dir[n - 1] == '/')
		n--;
	o.out_dir = xstrndup(out_dir, n);
	o.staging = xasprintf("%s.staging", o.out_dir);
	o.manifest = xasprintf("%s.cache/manifest", o.out_dir);
	char *journal = journal_path(o.out_dir), *text = NULL;
	size_t len = 0;
	int rc = 0;
	if (read_file(journal, &text, &len) != 0)
		goto out;
	size_t hl = strlen(JOURNAL_HEAD);
	int complete = len > hl && !memcmp(text, JOURNAL_HEAD, hl) && !memchr(text, '\0', len) &&
		len >= 4 && !strcmp(text + len - 4, "end\n");
	int ok = complete;
	for (char *line = text + hl; ok && line < text + len;) {
		char *nl = strchr(line, '\n');
		*nl = '\0';
		if (strcmp(line, "end") != 0)
			ok = recover_line(&o, line) == 0;
		line = nl + 1;
	}
	if (ok) {
		swap_done(o.out_dir, o.manifest);
		diag_warning(d, o.out_dir, 0, "finished the swap of a build that was stopped");
	} else {
		/* nothing was moved (the journal is incomplete) or it cannot be finished */
		char *next = xasprintf("%s.new", o.manifest);
		unlink(next);
		free(next);
		if (complete)
			unlink(o.manifest);
		unlink(journal);
		if (complete)
			diag_warning(d, o.out_dir, 0, "a stopped build's swap could not be finished: "
				"this build writes the whole site");
	}
	rc = ok ? 1 : 0;
out:
	free(text);
	free(journal);
	free(o.out_dir);
	free(o.staging);
	free(o.manifest);
	return rc;
}

static int commit_memory(output *o, diag_list *d);
static int commit_disk(output *o, diag_list *d);


int output_commit(output *o, diag_list *d)
{
	int ret = 0;
	dirs_release(o);   /* nothing is written now: its memory goes before the manifest's */
	if (o->n_files > 1)
		qsort(o->files, o->n_files, sizeof(oentry), cmp_oentry);
	/*
	 * Every path is claimed once: two pages (or a page and a file) at one path
	 * would leave the one written last, which depends on the workers' timing.
	 */
	for (size_t i = 1; i < o->n_files; i++)
		if (strcmp(o->files[i - 1].path, o->files[i].path) == 0 &&
		    (i < 2 || strcmp(o->files[i - 2].path, o->files[i].path) != 0)) {
			diag_error(d, o->files[i].path, 0, "two pages or files of the site would be "
				"written here (expected each path once; a record or file whose name the "
				"generator uses for its own pages?)");
			ret = -1;
		}
	if (ret) {
		output_abort(o);
		return -1;
	}
	if (o->mem)
		return commit_memory(o, d);
	return commit_disk(o, d);
}

/*
 * The site in memory takes the new files (references moved out of o); with a
 * folder as well, the folder first, and memory only when it succeeded.
 */
static int commit_memory(output *o, diag_list *d)
{
	memsite *ms = o->mem;
	memsite_entry *e = xcalloc(o->n_files ? o->n_files : 1, sizeof(*e));
	size_t n = o->n_files;
	for (size_t i = 0; i < n; i++) {
		e[i] = (memsite_entry){ o->files[i].path, o->files[i].key, o->files[i].mf };
		o->files[i] = (oentry){ xstrdup(e[i].path), e[i].key ? xstrdup(e[i].key) : NULL,
			o->files[i].changed, o->files[i].staged, o->files[i].size,
			o->files[i].mtime_ns, NULL };
	}
	int ret = 0;
	if (o->patch) {
		/* the rest of the site stays as it is (output_begin_patch) */
		memsite_patch(ms, e, n, o->drop, o->n_drop);
		output_free(o);
		return 0;
	}
	if (o->disk) {
		ret = commit_disk(o, d);
	} else {
		output_free(o);
	}
	if (ret == 0) {
		memsite_replace(ms, e, n);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		free(e[i].path);
		free(e[i].key);
		memfile_release(e[i].file);
	}
	free(e);
	return ret;
}

/* The folder takes the new site (output.h); frees o. */
static int commit_disk(output *o, diag_list *d)
{
	struct stat st;
	int ret = 0;
	if (o->incremental) {
		ret = commit_incremental(o, d);
		output_free(o);
		return ret;
	}
	unlink(o->manifest);
	if (stat(o->out_dir, &st) != 0) {
		if (rename(o->staging, o->out_dir) != 0) {
			diag_error(d, o->out_dir, 0, "cannot move the new site in place: %s", strerror(errno));
			ret = -1;
		}
	} else if (syscall(SYS_renameat2, AT_FDCWD, o->staging, AT_FDCWD, o->out_dir,
			   2 /* RENAME_EXCHANGE */) == 0) {
		/* Atomic exchange: readers see the old site or the new one, never a mix. */
		if (move_to_trash(o, o->staging) != 0 && remove_tree(o->staging) != 0)
			diag_warning(d, o->staging, 0, "cannot remove the previous site: %s", strerror(errno));
	} else {
		/* No exchange on this filesystem: move the old one aside, then swap. */
		char *old = xasprintf("%s.old", o->out_dir);
		remove_tree(old);
		if (rename(o->out_dir, old) != 0 || rename(o->staging, o->out_dir) != 0) {
			diag_error(d, o->out_dir, 0, "cannot move the new site in place: %s",
				strerror(errno));
			rename(old, o->out_dir);
			ret = -1;
		} else {
			remove_tree(old);
		}
		free(old);
	}
	if (ret == 0)
		manifest_write(o);
	output_free(o);
	return ret;
}

void output_abort(output *o)
{
	if (!o)
		return;
	if (o->staging)
		remove_tree(o->staging);
	output_free(o);
}

size_t output_count(const output *o)
{
	if (o->parent)
		o = o->parent;
	return atomic_load(&((output *)o)->count);
}

size_t output_changed(const output *o)
{
	if (o->parent)
		o = o->parent;
	return atomic_load(&((output *)o)->changed);
}

const char *output_dir(const output *o)
{
	return o->out_dir;
}

int output_incremental(const output *o)
{
	return o->incremental;
}

const char *output_staging_dir(const output *o)
{
	return o->staging;
}
