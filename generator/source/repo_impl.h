#ifndef AVOIN_REPO_IMPL_H
#define AVOIN_REPO_IMPL_H
/* What repo.c and worktree.c share; no other module includes it. */
#include <pthread.h>
#include <stdint.h>

#include <git2.h>

#include "diag.h"
#include "repo.h"

struct repo {
	git_repository *git;
	git_commit *commit;          /* NULL: a working tree without commits */
	repo_file *files;
	size_t n_files, cap_files;
	char *content;               /* "content", or "" for the whole repository */
	char *prefix;                /* "content/", or "" */
	char *rev;
	char commit_id[41];
	char date[16];
	int64_t time;
	int offset;
	int worktree;
	size_t memo_hits;            /* working files taken from a repo_memo */
	size_t jobs;                 /* threads for reading the revision's blobs */
	/*
	 * The blob cache (repo_open_cached): the file's bytes, and its entries
	 * sorted by id. Files read from it point into buf and are not freed one
	 * by one. dirty: the revision has blobs the file lacks, or lacks some of it.
	 */
	char *cache_buf;
	size_t cache_len;
	struct cached_blob *cached;
	size_t n_cached, cache_hits;
	int cache_dirty;
	char *tree_cache;            /* <out>.cache/trees beside the blob cache, or NULL */
	size_t tree_hits;            /* folders taken from it */
	/*
	 * The blob cache as repo_save_blobs() left it, open for reading: its
	 * entries' offsets sorted by id. repo_read_blob() takes a blob from
	 * here (one pread, no lock) before inflating it from the database: a
	 * history page of the current version reads the file the build read.
	 */
	int saved_fd;
	struct saved_blob *saved;
	size_t n_saved;
	/*
	 * libgit2 documents its objects as not safe for simultaneous use; page
	 * workers may read old blobs in parallel, so reads go through this lock.
	 */
	pthread_mutex_t lock;
};

/* Adds a file the repository takes ownership of (path and data). */
void repo_add_file(repo *r, char *path, char *data, size_t len, const git_oid *oid);
/*
 * Bytes that a repo's files and the working-tree memo hold at once
 * (worktree.c): `avoin serve` keeps both, and one copy of 10,000 records is
 * 28 MB. Each holder takes a reference; the last to let go frees them.
 */
char *shared_bytes_new(char *data, size_t len);   /* takes data (read_file's), one holder */
char *shared_bytes_ref(char *data);
void shared_bytes_release(char *data);
/* repo_add_file() for shared bytes: the repository takes the reference given. */
void repo_add_shared(repo *r, char *path, char *data, size_t len, const git_oid *oid);
/* 1 for a dot-file or dot-folder, which is never content. */
int repo_hidden_name(const char *name);
/* Reads the content folder of the working tree into r (memo may be NULL). 0 or -1. */
int repo_read_worktree(repo *r, repo_memo *memo, diag_list *d);

#endif
