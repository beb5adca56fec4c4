#include "outguard.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "urls.h"
#include "util.h"
#include "msg.h"
#include "banned.h"

/*
 * The absolute path of p with symbolic links resolved as far as it exists:
 * the deepest existing folder through realpath(), the rest as written with
 * "." and ".." applied. malloc'd; NULL when the current folder is unknown.
 */
static char *canonical(const char *p)
{
	char *abs;
	if (p[0] == '/') {
		abs = xstrdup(p);
	} else {
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof cwd))
			return NULL;
		abs = xasprintf("%s/%s", cwd, p);
	}
	char *real = realpath(abs, NULL);
	if (real) {
		free(abs);
		return real;
	}
	/* not there (yet): the parent's canonical form and the last part */
	size_t n = strlen(abs);
	while (n > 1 && abs[n - 1] == '/')
		abs[--n] = '\0';
	char *slash = strrchr(abs, '/');
	if (!slash || slash == abs) {
		char *r = xasprintf("/%s", slash ? slash + 1 : abs);
		free(abs);
		return r;
	}
	*slash = '\0';
	char *parent = canonical(abs);
	const char *base = slash + 1;
	char *r = NULL;
	if (parent && strcmp(base, "..") == 0) {
		char *up = strrchr(parent, '/');
		r = up && up != parent ? xstrndup(parent, (size_t)(up - parent)) : xstrdup("/");
	} else if (parent && (strcmp(base, ".") == 0 || !*base)) {
		r = xstrdup(parent);
	} else if (parent) {
		r = xasprintf("%s%s%s", parent, strcmp(parent, "/") ? "/" : "", base);
	}
	free(parent);
	free(abs);
	return r;
}

/* 1 when b is a or lies inside it (both canonical). */
static int holds(const char *a, const char *b)
{
	size_t n = strlen(a);
	if (strcmp(a, "/") == 0)
		return 1;
	return strncmp(a, b, n) == 0 && (b[n] == '\0' || b[n] == '/');
}

/* 1 when the folder has anything in it. */
static int not_empty(const char *dir)
{
	DIR *dp = opendir(dir);
	if (!dp)
		return 1;
	struct dirent *e;
	int any = 0;
	while (!any && (e = readdir(dp)))
		any = strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(dp);
	return any;
}

/* 1 when the folder holds a site that Avoin wrote (its manifest, or its marked front page). */
static int written_by_avoin(const char *out_dir)
{
	char *manifest = xasprintf("%s.cache/manifest", out_dir);
	int ours = access(manifest, F_OK) == 0;
	free(manifest);
	if (ours)
		return 1;
	char *front = url_output_path(url_fixed(URL_FRONT));
	char *index = xasprintf("%s/%s", out_dir, front);
	free(front);
	int fd = open(index, O_RDONLY | O_CLOEXEC);
	free(index);
	if (fd < 0)
		return 0;
	char head[4097];
	ssize_t n = read(fd, head, sizeof head - 1);
	close(fd);
	if (n <= 0)
		return 0;
	head[n] = '\0';
	return strstr(head, "<meta name=\"generator\" content=\"Avoin") != NULL;
}

static int refuse(diag_list *d, const char *out_dir, const char *why)
{
	diag_error(d, NULL, 0, "refusing to write the site into '%s': %s (choose an output folder "
		"of its own with --out, e.g. public)", out_dir, tr(why));
	return -1;
}

int outguard_check(const char *out_dir, const outguard_protect *protect, size_t n, diag_list *d)
{
	char *out = canonical(out_dir);
	if (!out)
		return refuse(d, out_dir, N_("the current folder cannot be read"));
	int rc = 0;
	buf why = BUF_INIT;
	if (strcmp(out, "/") == 0) {
		rc = refuse(d, out_dir, N_("it is the root folder"));
		goto done;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		if (!protect[i].path)
			continue;
		char *p = canonical(protect[i].path);
		if (p && holds(out, p)) {
			buf_printf(&why, strcmp(out, p) ? tr("it contains %s") : tr("it is %s"),
				tr(protect[i].name));
			rc = refuse(d, out_dir, why.ptr);
		} else if (p && !protect[i].inside_ok && holds(p, out)) {
			buf_printf(&why, tr("it is inside %s"), tr(protect[i].name));
			rc = refuse(d, out_dir, why.ptr);
		}
		free(p);
	}
	struct stat st;
	if (!rc && lstat(out, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			rc = refuse(d, out_dir, N_("it is a file, not a folder"));
		else if (not_empty(out) && !written_by_avoin(out_dir))
			rc = refuse(d, out_dir, N_("it is a folder that is not empty and that Avoin "
				"did not write (no manifest in its .cache, no front page of Avoin's)"));
	}
done:
	buf_release(&why);
	free(out);
	return rc;
}

int outguard_lock(const char *out_dir, int wait, int *waited, diag_list *d)
{
	char *dir = xasprintf("%s.cache", out_dir);
	char *path = xasprintf("%s/lock", dir);
	int fd = -1;
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		diag_error(d, NULL, 0, "cannot make '%s': %s", dir, strerror(errno));
		goto done;
	}
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0) {
		diag_error(d, NULL, 0, "cannot open the lock '%s': %s", path, strerror(errno));
		goto done;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		goto done;
	if (errno == EWOULDBLOCK && wait) {
		*waited = 1;
		int r;
		while ((r = flock(fd, LOCK_EX)) != 0 && errno == EINTR)
			;
		if (r == 0)
			goto done;
	}
	if (errno == EWOULDBLOCK)
		diag_error(d, NULL, 0, "another build is writing to '%s' (it holds '%s'); run this "
			"one when it has finished, or with --wait to wait for it", out_dir, path);
	else
		diag_error(d, NULL, 0, "cannot lock '%s': %s", path, strerror(errno));
	close(fd);
	fd = -1;
done:
	free(path);
	free(dir);
	return fd;
}

void outguard_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}
