#ifndef AVOIN_HISTORY_H
#define AVOIN_HISTORY_H
/*
 * The history of the content folder, from one revision walk: every commit
 * reachable from the built commit (first parents of merges are what each
 * commit is diffed against), restricted to the content path, with renames
 * followed. Cost: one tree diff per commit, never a per-file log.
 */
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "repo.h"

typedef enum change_kind {
	CHANGE_ADDED,
	CHANGE_MODIFIED,
	CHANGE_RENAMED,      /* may also have modified the content */
	CHANGE_DELETED,
} change_kind;

typedef struct history_commit {
	char id[41];
	char short_id[8];    /* 7 hex digits */
	char *author;        /* the author's name after .mailmap; never the e-mail */
	int64_t time;        /* author time */
	int offset;          /* minutes */
	size_t seq;          /* its place among history_commit_at: 0 is the newest */
	char *summary;       /* first line of the message */
	char *message;       /* the whole message, trailing newline trimmed */
	struct history_change **changes;  /* content files this commit touched, by path */
	size_t n_changes;
} history_commit;

typedef struct history_change {
	history_commit *commit;
	change_kind kind;
	char *path;          /* content-relative path after the change (the old path for a deletion) */
	char *old_path;      /* before a rename, else NULL */
	char old_oid[41];    /* "" when added */
	char new_oid[41];    /* "" when deleted */
} history_change;

typedef struct history history;

typedef struct history_opts {
	size_t jobs;             /* threads that diff commits (0 or 1: the calling thread only) */
	/*
	 * The changes of each commit against its first parent, kept between builds
	 * (e.g. "<out>.cache/history"); NULL: no cache. Only tree data is stored,
	 * never authors or messages. A file that is missing, damaged or made for
	 * another content folder is ignored, never an error.
	 */
	const char *cache_file;
} history_opts;

/*
 * Walks the history from the repository's built commit (o may be NULL: one
 * thread, no cache). The result is the same whatever o says. A shallow clone
 * is reported as a warning in d naming what is missing, not an error.
 * Returns 0 or -1 (an error in d).
 */
int history_build(history **out, repo *r, const history_opts *o, diag_list *d);
void history_free(history *h);

/* Every commit that touched the content folder, newest first. */
size_t history_commit_count(const history *h);
const history_commit *history_commit_at(const history *h, size_t i);

/*
 * The changes of the file now (or last) at path, newest first, following
 * renames back to its earlier paths. NULL with *n = 0 when unknown.
 */
history_change *const *history_for_path(const history *h, const char *path, size_t *n);

/*
 * Paths that existed in some commit but not at the built commit and were
 * not renamed away: deleted records and files, sorted by path. The last
 * change of each (the deletion) is history_for_path(path)[0].
 */
size_t history_deleted_count(const history *h);
const char *history_deleted_at(const history *h, size_t i);

/*
 * Renames: old path -> the path the file has now (following chains), for
 * old paths that do not exist at the built commit. Sorted by old path.
 */
size_t history_renamed_count(const history *h);
void history_renamed_at(const history *h, size_t i, const char **old_path, const char **new_path);

#endif
