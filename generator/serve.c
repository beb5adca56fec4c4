/*
 * `avoin serve` (serve.h): the command line's other loop, so it prints, as
 * main.c does.
 */
#include "serve.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "build.h"
#include "msg.h"
#include "output.h"
#include "repo.h"
#include "server.h"
#include "util.h"
#include "watch.h"
#include "banned.h"

enum { TAG_CONTENT = 1, TAG_REFS = 2, TAG_THEME = 4 };

static int stop_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
	(void)sig;
	int saved = errno;
	if (write(stop_pipe[1], "x", 1) < 0) {
		/* the pipe is full: a stop is queued already */
	}
	errno = saved;
}

static int catch_signals(void)
{
	if (pipe(stop_pipe) != 0)
		return -1;
	for (int i = 0; i < 2; i++)
		fcntl(stop_pipe[i], F_SETFD, FD_CLOEXEC);
	fcntl(stop_pipe[1], F_SETFL, O_NONBLOCK);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

/* What the loop holds between builds. */
typedef struct serving {
	const serve_opts *so;
	build_opts bo;
	memsite *ms;
	server *srv;
	watch *w;
	char *tmp;               /* the private folder of the cache, without --out */
	char commit[41];         /* what the last build read */
	build_state *kept;       /* the last good build's state, for build_patch() */
	int reloaded;            /* the patch under way has had open pages reload */
	char theme[1024];        /* the theme folder being watched */
} serving;

static double seconds_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The errors as the overlay lists them; n of them. */
static char **error_lines(const diag_list *d, size_t *n)
{
	char **lines = xcalloc(d->n ? d->n : 1, sizeof(char *));
	buf b = BUF_INIT;
	*n = 0;
	for (size_t i = 0; i < d->n; i++) {
		if (d->items[i].level != DIAG_ERROR)
			continue;
		buf_reset(&b);
		diag_format_terminal(&b, &d->items[i]);
		lines[(*n)++] = xstrdup(b.ptr);
	}
	buf_release(&b);
	return lines;
}

/* A build's or a patch's outcome, printed and handed to the server. */
static void report(serving *sv, int status, diag_list *d, const build_result *res, double secs,
	int patched)
{
	const char *where = sv->bo.worktree ? tr(" (working tree)") : "";
	if (status != 0 && sv->bo.worktree)
		fprintf(stderr, "%s", tr("avoin: errors in the working tree (the files as saved); the "
			"last good site stays served:\n"));
	else if (status != 0 && res->commit[0])
		fprintf(stderr, tr("avoin: errors in %s (%.7s); the last good site stays served:\n"),
			res->rev, res->commit);
	diag_print(stderr, d);
	if (status == 0 && !sv->so->quiet && patched)
		printf(tr("avoin: brought the saved text of %.7s%s in without a build in %.3f s: "
			"%zu files, %zu new or changed\n"), res->commit, where, secs, res->files,
			res->changed);
	else if (status == 0 && !sv->so->quiet)
		printf(tr("avoin: built %.7s%s in %.2f s: %zu files, %zu new or changed\n"),
			res->commit, where, secs, res->files, res->changed);
	fflush(stdout);
	/* until the next change, the site in memory is packed in the background */
	memsite_compact(sv->ms);
	if (sv->srv) {
		size_t n;
		char **lines = error_lines(d, &n);
		/* a patch's pages had them reload already (patch_shown) */
		server_update(sv->srv, (const char *const *)lines, n, res->commit,
			status == 0 && res->changed > 0 && !(patched && sv->reloaded));
		for (size_t i = 0; i < n; i++)
			free(lines[i]);
		free(lines);
	}
}

/* One build into memory, its outcome printed and handed to the server: the build's status. */
static int build_once(serving *sv)
{
	diag_list d = DIAG_LIST_INIT;
	build_result res;
	/* the kept state goes first: two at once would double the server's memory */
	build_state_free(sv->kept);
	sv->kept = NULL;
	double t0 = seconds_now();
	int status = build_run(&sv->bo, &d, &res);
	double secs = seconds_now() - t0;
	snprintf(sv->commit, sizeof(sv->commit), "%s", res.commit);
	if (sv->bo.memory_and_disk)
		output_empty_trash(sv->bo.out);
	if (res.theme_dir[0] && strcmp(res.theme_dir, sv->theme) != 0 && sv->w &&
	    watch_add(sv->w, res.theme_dir, 1, TAG_THEME) == 0)
		snprintf(sv->theme, sizeof(sv->theme), "%s", res.theme_dir);
	report(sv, status, &d, &res, secs, 0);
	diag_release(&d);
	return status;
}

/* A patch's pages are served: open pages reload (the build is counted when it ends). */
static void patch_shown(void *ud, const build_result *res)
{
	serving *sv = ud;
	if (sv->srv && res->changed) {
		server_reload(sv->srv);
		sv->reloaded = 1;
	}
}

/*
 * Saved edits of record bodies brought into the kept state (build_patch):
 * 1 when that was done, 0 when a build is needed.
 */
static int patch_once(serving *sv)
{
	size_t n;
	const char *const *paths = watch_changed(sv->w, &n);
	if (!sv->kept || !paths)
		return 0;
	diag_list d = DIAG_LIST_INIT;
	build_result res;
	double t0 = seconds_now();
	sv->reloaded = 0;
	int done = build_patch(sv->kept, paths, n, &d, &res, patch_shown, sv);
	double secs = seconds_now() - t0;
	if (done == 1)
		report(sv, 0, &d, &res, secs, 1);
	diag_release(&d);
	if (done < 0) {
		build_state_free(sv->kept);
		sv->kept = NULL;
	}
	return done == 1;
}

/*
 * A change was seen: the compactor stops now rather than when the build's
 * output opens, so that it does not take memory bandwidth and a core from
 * the patch or build that follows (on the benchmark corpus a saved edit
 * was served 40-50 ms later while the first compaction went on).
 */
static void change_seen(void *arg)
{
	memsite_compact_stop(arg);
}

/* Watches what a change can come from; -1 with a message when nothing can be watched. */
static int watch_sources(serving *sv)
{
	repo_opts ro = { sv->bo.repo_path, sv->bo.rev, sv->bo.content, sv->bo.worktree };
	repo_place place;
	if (repo_locate(&ro, &place) != 0)
		return 0;   /* the build says why */
	sv->w = watch_new();
	int ok = sv->w != NULL;
	if (ok)
		watch_on_change(sv->w, change_seen, sv->ms);
	if (ok && sv->bo.worktree)
		ok = place.content && watch_add(sv->w, place.content, 1, TAG_CONTENT) == 0;
	if (ok) {
		/*
		 * HEAD and packed-refs in .git, every ref under .git/refs: the
		 * revision, and for a working tree the history its pages show
		 */
		char *refs = xasprintf("%srefs", place.gitdir);
		ok = watch_add(sv->w, place.gitdir, 0, TAG_REFS) == 0 &&
			watch_add(sv->w, refs, 1, TAG_REFS) == 0;
		free(refs);
	}
	if (ok && sv->bo.theme_dir && watch_add(sv->w, sv->bo.theme_dir, 1, TAG_THEME) == 0)
		snprintf(sv->theme, sizeof(sv->theme), "%s", sv->bo.theme_dir);
	if (!ok)
		fprintf(stderr, tr("avoin: cannot watch %s for changes: %s\n"),
			sv->bo.worktree ? (place.content ? place.content : tr("the content folder")) :
			place.gitdir, errno ? strerror(errno) : tr("no inotify"));
	repo_place_release(&place);
	return ok ? 0 : -1;
}

/* 1 when the revision names another commit than the last build read. */
static int commit_moved(serving *sv)
{
	repo_opts ro = { sv->bo.repo_path, sv->bo.rev, sv->bo.content, 0 };
	char now[41];
	repo_revision_id(&ro, now);
	return strcmp(now, sv->commit) != 0;
}

/*
 * What to do about what changed (tags): 0 nothing, 1 a build, 2 a patch
 * if the files allow (only working files changed). .git changes for many
 * reasons (the index, a fetch); only a new commit counts.
 */
static int wants_build(serving *sv, int tags)
{
	int moved = (tags & TAG_REFS) && commit_moved(sv);
	if (moved || (tags & TAG_THEME))
		return 1;
	return (tags & TAG_CONTENT) ? 2 : 0;
}

static int is_loopback(const char *addr)
{
	return str_has_prefix(addr, "127.") || strcmp(addr, "::1") == 0;
}

static int serve_start(serving *sv)
{
	const serve_opts *so = sv->so;
	const char *bind = so->bind ? so->bind : "127.0.0.1";
	char err[256];
	unsigned port = so->port < 0 ? SERVE_PORT : (unsigned)so->port;
	sv->srv = server_start(sv->ms, bind, port, err, sizeof(err));
	if (!sv->srv) {
		fprintf(stderr, tr("avoin: %s (try another --port)\n"), err);
		return -1;
	}
	int v6 = strchr(bind, ':') != NULL;
	printf(tr("avoin: serving http://%s%s%s:%u/ %s; Ctrl-C stops\n"), v6 ? "[" : "", bind,
		v6 ? "]" : "", server_port(sv->srv), is_loopback(bind) ?
		tr("(only this machine can reach it; --bind ADDR to change that)") :
		tr("(anyone who can reach this address can read the preview, drafts and errors "
		"included)"));
	fflush(stdout);
	return 0;
}

static void serving_free(serving *sv)
{
	server_stop(sv->srv);
	build_state_free(sv->kept);
	watch_free(sv->w);
	memsite_free(sv->ms);
	repo_memo_free(sv->bo.worktree_memo);
	if (sv->tmp) {
		remove_tree(sv->tmp);
		free(sv->tmp);
	}
}

int serve_run(const serve_opts *so)
{
	serving sv = { .so = so, .bo = so->build };
	if (catch_signals() != 0)
		return 2;
	sv.ms = memsite_new();
	sv.bo.memory = sv.ms;
	sv.bo.memory_and_disk = so->build.out != NULL;
	sv.bo.exiting = 0;
	if (sv.bo.worktree) {
		sv.bo.worktree_memo = repo_memo_new();
		sv.bo.keep = &sv.kept;
	}
	sv.bo.wait = 1;
	char *cache_base = NULL;
	if (!so->build.out) {
		/* the cache of a preview without --out: a private folder, removed at the end */
		const char *t = getenv("TMPDIR");
		sv.tmp = xasprintf("%s/avoin-serve-XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(sv.tmp)) {
			fprintf(stderr, tr("avoin: cannot make a folder in %s: %s\n"),
				t && *t ? t : "/tmp", strerror(errno));
			free(sv.tmp);
			sv.tmp = NULL;
			serving_free(&sv);
			return 2;
		}
		cache_base = xasprintf("%s/site", sv.tmp);
		sv.bo.out = cache_base;
	}
	int rc = 0;
	if (watch_sources(&sv) != 0 || serve_start(&sv) != 0 || build_once(&sv) == 2) {
		rc = 2;
	} else {
		for (;;) {
			int tags = watch_wait(sv.w, stop_pipe[0], 40, -1);
			if (tags <= 0)
				break;
			int what = wants_build(&sv, tags);
			if (what == 2 && patch_once(&sv))
				continue;
			if (what)
				build_once(&sv);
			else
				memsite_compact(sv.ms);   /* change_seen() stopped it */
		}
		if (!so->quiet)
			printf("%s", tr("avoin: stopped\n"));
	}
	serving_free(&sv);
	free(cache_base);
	return rc;
}
