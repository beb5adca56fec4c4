#ifndef AVOIN_BUILD_H
#define AVOIN_BUILD_H
/*
 * One build, start to end: read the revision, load and validate the model,
 * render Markdown and hooks, write the pages into a staging folder and swap
 * it in. Nothing is written when any error was found.
 */
#include <stddef.h>

#include "diag.h"
#include "memsite.h"

typedef struct build_state build_state;

typedef struct build_opts {
	const char *repo_path;   /* NULL: discover from the current folder */
	const char *rev;         /* NULL: HEAD */
	const char *content;     /* NULL: "content" */
	const char *out;         /* NULL: "public" */
	const char *theme_dir;   /* NULL: site.yaml's theme, found by name */
	const char *argv0;       /* to find themes beside the binary */
	int worktree;
	int strict;
	int check_only;          /* validate, write nothing */
	int jobs;                /* worker threads; 0: the number of cores */
	int timings;             /* print each phase's wall time to stderr */
	int exiting;             /* the process exits after the build: its memory is not freed */
	int wait;                /* another build holds the output's lock: wait for it (else fail) */
	memsite *memory;         /* `avoin serve`: the site goes here, the cache still beside out */
	int memory_and_disk;     /* with memory: the site goes into out as well */
	struct repo_memo *worktree_memo;   /* serve --worktree: the files of the last read (repo.h) */
	const char *scope;       /* a region's or municipality's own site (site/scope.h); NULL: whole */
	int all_scopes;          /* every region's and municipality's site, each in a folder of out */
	/*
	 * `avoin serve` without --out or scopes: a build that succeeds leaves
	 * its state here (the site model, the hooks, the history, the parts
	 * cache) for build_patch(), instead of freeing it; NULL: none is kept.
	 */
	build_state **keep;
} build_opts;

typedef struct build_result {
	size_t files;            /* files the site has */
	size_t changed;          /* of them new or changed, so written to disk */
	size_t records;          /* records published */
	size_t translations;     /* translations published */
	char commit[41];
	char rev[64];
	int up_to_date;          /* the output was already built from the same inputs */
	char theme_dir[1024];    /* the theme's folder, once it is known */
} build_result;

/*
 * The build stamp: <out>.cache/stamp names what the output folder was last
 * built from (the commit, the theme's fingerprint, the options and the
 * generator's version). A build whose inputs match it writes nothing; a
 * --worktree build never uses it. Deleting <out>.cache forces a full build.
 * <out>.cache/parts holds rendered record bodies from the last build (see
 * cache.h; keys in build.c), reused when every input they depend on is the
 * same. Nothing but the user removes <out>.cache.
 *
 * Returns the exit status: 0 success, 1 content errors, 2 usage or repository errors.
 */
int build_run(const build_opts *o, diag_list *d, build_result *res);

/* Told when a patch's edited pages are served, before the rest of it is written. */
typedef void (*build_shown_fn)(void *ud, const build_result *res);

/*
 * Brings saved edits of record bodies into a kept state and the site in
 * memory (patch.c), when that gives what a build would: every path (absolute,
 * in the working tree) is a record the state has, whose front matter is byte
 * for byte as it was, whose body renders without a message, and whose
 * summary and the files it names stay the same. Then only those records'
 * pages and JSON are written and served (shown(ud, res) is called: may be
 * NULL), and then the tables that hold them and the search index. Returns 1
 * when done (res as build_run's), 0 when a build is needed instead (the
 * state untouched), -1 when a build is needed and the state is spoilt (free
 * it). paths: the files that changed, as the watcher saw them.
 */
int build_patch(build_state *b, const char *const *paths, size_t n, diag_list *d,
	build_result *res, build_shown_fn shown, void *ud);
void build_state_free(build_state *b);

#endif
