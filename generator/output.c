#define _GNU_SOURCE /* renameat2 */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "buf.h"
#include "util.h"
#include "banned.h"

struct output {
	char *out_dir;
	char *staging;
	atomic_size_t count;
};

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

int remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	return nftw(path, rm_entry, 32, FTW_DEPTH | FTW_PHYS);
}

int output_begin(output **out, const char *out_dir, diag_list *d)
{
	output *o = xcalloc(1, sizeof(*o));
	size_t n = strlen(out_dir);
	while (n > 1 && out_dir[n - 1] == '/')
		n--;
	o->out_dir = xstrndup(out_dir, n);
	o->staging = xasprintf("%s.staging", o->out_dir);
	if (remove_tree(o->staging) != 0 || mkdir(o->staging, 0755) != 0) {
		diag_error(d, o->staging, 0, "cannot create the staging folder: %s", strerror(errno));
		free(o->out_dir);
		free(o->staging);
		free(o);
		return -1;
	}
	*out = o;
	return 0;
}

/*
 * mkdir -p for the folder that holds path (path is modified and restored).
 * Deepest first: in a site most folders' parents already exist, so this is
 * one mkdir per new folder rather than one per level per file. Safe against
 * other threads creating the same folders.
 */
static int make_parents(char *path)
{
	char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return 0;
	*slash = '\0';
	int r = mkdir(path, 0755);
	if (r != 0 && errno == ENOENT)
		r = make_parents(path) == 0 ? mkdir(path, 0755) : -1;
	if (r != 0 && errno == EEXIST)
		r = 0;
	*slash = '/';
	return r;
}

int output_write(output *o, const char *rel_path, const char *data, size_t len, diag_list *d)
{
	if (rel_path[0] == '/' || strstr(rel_path, "..")) {
		diag_error(d, rel_path, 0, "refusing to write outside the output folder");
		return -1;
	}
	char *path = xasprintf("%s/%s", o->staging, rel_path);
	int fd = -1, ret = -1;
	/* the folder usually exists already (records' pages come in path order) */
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 && errno == ENOENT) {
		if (make_parents(path) != 0)
			goto fail;
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
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
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	atomic_fetch_add(&o->count, 1);
	free(path);
	return 0;
fail:
	diag_error(d, path, 0, "cannot write: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	free(path);
	return ret;
}

static void output_free(output *o)
{
	free(o->out_dir);
	free(o->staging);
	free(o);
}

int output_commit(output *o, diag_list *d)
{
	struct stat st;
	int ret = 0;
	if (stat(o->out_dir, &st) != 0) {
		if (rename(o->staging, o->out_dir) != 0) {
			diag_error(d, o->out_dir, 0, "cannot move the new site in place: %s", strerror(errno));
			ret = -1;
		}
		output_free(o);
		return ret;
	}
	/* Atomic exchange: readers see the old site or the new one, never a mix. */
	if (syscall(SYS_renameat2, AT_FDCWD, o->staging, AT_FDCWD, o->out_dir, 2 /* RENAME_EXCHANGE */) == 0) {
		if (remove_tree(o->staging) != 0)
			diag_warning(d, o->staging, 0, "cannot remove the previous site: %s", strerror(errno));
		output_free(o);
		return 0;
	}
	/* No exchange on this filesystem: move the old one aside, then swap. */
	char *old = xasprintf("%s.old", o->out_dir);
	remove_tree(old);
	if (rename(o->out_dir, old) != 0 || rename(o->staging, o->out_dir) != 0) {
		diag_error(d, o->out_dir, 0, "cannot move the new site in place: %s", strerror(errno));
		rename(old, o->out_dir);
		ret = -1;
	} else {
		remove_tree(old);
	}
	free(old);
	output_free(o);
	return ret;
}

void output_abort(output *o)
{
	if (!o)
		return;
	remove_tree(o->staging);
	output_free(o);
}

size_t output_count(const output *o)
{
	return atomic_load(&((output *)o)->count);
}

const char *output_staging_dir(const output *o)
{
	return o->staging;
}
