#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "banned.h"

#define WATCH_MASK (IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | \
	IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ATTRIB)

/* A watched folder: its descriptor, its path, and whether folders under it are watched. */
typedef struct wdir {
	int wd;
	char *path;
	int tree;
	unsigned tag;
} wdir;

/* At most this many paths are told apart (watch_changed); more is as good as unknown. */
#define WATCH_PATHS_MAX 64

struct watch {
	int fd;
	unsigned all_tags;
	wdir *dirs;
	size_t n, cap;
	char *changed[WATCH_PATHS_MAX];   /* what the last watch_wait saw change, each once */
	size_t n_changed;
	int unknown;                      /* ... or not known */
	void (*on_change)(void *);        /* watch_on_change() */
	void *on_change_ud;
};

watch *watch_new(void)
{
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0)
		return NULL;
	watch *w = xcalloc(1, sizeof(*w));
	w->fd = fd;
	return w;
}

static void forget_changes(watch *w)
{
	for (size_t i = 0; i < w->n_changed; i++)
		free(w->changed[i]);
	w->n_changed = 0;
	w->unknown = 0;
}

/* Notes that the file name in d changed (an event without a name or on a folder: unknown). */
static void note_change(watch *w, const wdir *d, const struct inotify_event *ev)
{
	if (!ev->len || (ev->mask & (IN_ISDIR | IN_DELETE_SELF | IN_MOVE_SELF))) {
		w->unknown = 1;
		return;
	}
	char *p = xasprintf("%s/%s", d->path, ev->name);
	for (size_t i = 0; i < w->n_changed; i++)
		if (strcmp(w->changed[i], p) == 0) {
			free(p);
			return;
		}
	if (w->n_changed == WATCH_PATHS_MAX) {
		w->unknown = 1;
		free(p);
		return;
	}
	w->changed[w->n_changed++] = p;
}

const char *const *watch_changed(const watch *w, size_t *n)
{
	*n = w->unknown ? 0 : w->n_changed;
	return w->unknown ? NULL : (const char *const *)w->changed;
}

void watch_free(watch *w)
{
	if (!w)
		return;
	forget_changes(w);
	close(w->fd);
	for (size_t i = 0; i < w->n; i++)
		free(w->dirs[i].path);
	free(w->dirs);
	free(w);
}

static const wdir *find_wd(const watch *w, int wd)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->dirs[i].wd == wd)
			return &w->dirs[i];
	return NULL;
}

static int add_one(watch *w, const char *dir, int tree, unsigned tag)
{
	int wd = inotify_add_watch(w->fd, dir, WATCH_MASK | IN_ONLYDIR);
	if (wd < 0)
		return -1;
	for (size_t i = 0; i < w->n; i++)
		if (w->dirs[i].wd == wd) {
			w->dirs[i].tree |= tree;
			w->dirs[i].tag |= tag;
			return 0;
		}
	w->dirs = xgrow(w->dirs, sizeof(wdir), w->n + 1, &w->cap);
	w->dirs[w->n++] = (wdir){ wd, xstrdup(dir), tree, tag };
	w->all_tags |= tag;
	return 0;
}

int watch_add(watch *w, const char *dir, int tree, unsigned tag)
{
	if (add_one(w, dir, tree, tag) != 0)
		return -1;
	if (!tree)
		return 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;   /* ., .., and hidden folders such as .git */
		char *sub = xasprintf("%s/%s", dir, e->d_name);
		struct stat st;
		if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			watch_add(w, sub, 1, tag);
		free(sub);
	}
	closedir(d);
	return 0;
}

/* 1 for a name an editor keeps beside the file it saves. */
static int editor_litter(const char *name)
{
	size_t n = strlen(name);
	return str_has_suffix(name, ".swp") || str_has_suffix(name, ".swx") ||
		str_has_suffix(name, ".swo") || (n && name[n - 1] == '~') || name[0] == '#' ||
		str_has_prefix(name, ".#") || strcmp(name, "4913") == 0;
}

/* Reads what is queued: the tags of what changed. New folders in a tree are watched. */
static unsigned drain(watch *w)
{
	char chunk[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	unsigned changed = 0;
	for (;;) {
		ssize_t got = read(w->fd, chunk, sizeof(chunk));
		if (got <= 0)
			return changed;
		for (char *p = chunk; p < chunk + got;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			p += sizeof(*ev) + ev->len;
			const wdir *d = find_wd(w, ev->wd);
			if (ev->mask & IN_Q_OVERFLOW) {
				changed |= w->all_tags;
				w->unknown = 1;
				continue;
			}
			if (!d || (ev->len && editor_litter(ev->name)))
				continue;
			changed |= d->tag;
			note_change(w, d, ev);
			if (d->tree && (ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO)) &&
			    ev->len && ev->name[0] != '.') {
				char *sub = xasprintf("%s/%s", d->path, ev->name);
				watch_add(w, sub, 1, d->tag);
				free(sub);
			}
		}
	}
}

int watch_wait(watch *w, int stop_fd, int quiet_ms, int timeout_ms)
{
	unsigned seen = 0;
	forget_changes(w);
	for (;;) {
		struct pollfd p[2] = { { w->fd, POLLIN, 0 }, { stop_fd, POLLIN, 0 } };
		int r = poll(p, stop_fd >= 0 ? 2 : 1, seen ? quiet_ms : timeout_ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (stop_fd >= 0 && (p[1].revents & POLLIN))
			return 0;
		if (r == 0)
			return (int)seen;
		if (p[0].revents & POLLIN) {
			unsigned was = seen;
			seen |= drain(w);
			if (!was && seen && w->on_change)
				w->on_change(w->on_change_ud);
		}
	}
}

void watch_on_change(watch *w, void (*fn)(void *), void *ud)
{
	w->on_change = fn;
	w->on_change_ud = ud;
}
