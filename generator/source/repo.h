#ifndef AVOIN_REPO_H
#define AVOIN_REPO_H
/*
 * Reading the content of one revision straight from git's object database
 * with libgit2 (or, for previews, from the working tree).
 */
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"

struct git_repository;
struct git_commit;

typedef struct repo repo;

/* The largest file read (16 MiB): a larger one is an error. */
#define REPO_MAX_FILE (16u << 20)

typedef struct repo_file {
	char *path;       /* relative to the content root, '/'-separated */
	char *data;       /* the bytes, NUL-terminated */
	size_t len;
	char oid[41];     /* git blob id in hex (for --worktree: as `git hash-object` would give) */
	int shared;       /* data is shared with the working-tree memo (repo.c frees it so) */
} repo_file;

typedef struct repo_opts {
	const char *repo_path;   /* NULL: the repository containing the current folder */
	const char *rev;         /* NULL: "HEAD" */
	const char *content;     /* NULL: "content"; a folder path inside the repository */
	int worktree;            /* read the working files instead of the revision's tree */
} repo_opts;

/*
 * Opens the repository, resolves the revision and reads every file below
 * the content folder (sorted by path). A repository that cannot be opened,
 * a revision that does not resolve or a content path that is not a folder
 * at that revision adds one error to d and returns -1 (exit status 2).
 * Files larger than 16 MiB are refused with an error naming them.
 */
int repo_open(repo **out, const repo_opts *o, diag_list *d);

/* Where the repository of o is on disk, before anything is read (malloc'd; NULL when none). */
typedef struct repo_place {
	char *workdir;    /* "/a/b/", NULL for a bare repository */
	char *gitdir;     /* "/a/b/.git/" */
	char *content;    /* the content folder in the working folder */
} repo_place;
/* 0, or -1 when there is no repository there (repo_open then says why). */
int repo_locate(const repo_opts *o, repo_place *place);
void repo_place_release(repo_place *place);
/*
 * Makes dir a git repository and commits every file under it as its first
 * commit, with message, by git's configured author (else "Avoin"), for
 * `avoin init`. 0, or -1 with an error in d.
 */
int repo_create(const char *dir, const char *message, diag_list *d);
/*
 * One file of the content folder as o would read it (name relative to the
 * content root), without reading the rest: for what must be known before a
 * build, such as the language of its messages. 0, or -1 when it is not
 * there or is larger than max bytes.
 */
int repo_peek_file(const repo_opts *o, const char *name, size_t max, buf *out);
/* The commit o's revision names now, as 40 hex digits; 0, or -1 when it names none. */
int repo_revision_id(const repo_opts *o, char out[41]);
/*
 * The same, reading the revision's files on up to jobs threads (0 or 1: the
 * calling thread alone); the result does not depend on jobs. (Not a field of
 * repo_opts: callers initialise that by position, and -Wextra would reject a
 * missing field.)
 */
int repo_open_jobs(repo **out, const repo_opts *o, size_t jobs, diag_list *d);
/*
 * The same, taking the files whose blob ids are in the blob cache file (NULL:
 * none; as repo_save_blobs() wrote it; a missing or damaged file is not used)
 * from there instead of the object database. Not for a working tree.
 */
int repo_open_cached(repo **out, const repo_opts *o, size_t jobs, const char *blob_cache,
	diag_list *d);
/*
 * The working files one read of a working tree found, for the next read of
 * the same tree (`avoin serve --worktree`): a file whose status (inode,
 * size, modification and change times) is as it was is taken from here, not
 * read and hashed again. A file changed less than two seconds before it was
 * read is not kept: a filesystem with coarse timestamps could hide a second
 * change within the same tick.
 */
typedef struct repo_memo repo_memo;
repo_memo *repo_memo_new(void);
void repo_memo_free(repo_memo *m);
/* repo_open_cached() for a working tree, with m (may be NULL) as above. */
int repo_open_memo(repo **out, const repo_opts *o, size_t jobs, const char *blob_cache,
	repo_memo *m, diag_list *d);
/* How many files the last read took from its memo. */
size_t repo_memo_hits(const repo *r);
/* How many ignore decisions the last working-tree read took from m. */
size_t repo_memo_ignore_hits(const repo_memo *m);
/*
 * 1 when what decides ignores above the content folder (the index, the
 * excludes files, the configuration, .gitignore files above it) is as the
 * last read of r's working tree found it; 0 when it changed or is not known.
 */
int repo_memo_ignores_same(const repo_memo *m, const repo *r);
/*
 * Writes the revision's files to the blob cache file (best effort, through a
 * temporary file and a rename), unless it is close enough: at most a
 * sixteenth of the files missed it and at most a sixteenth of its entries
 * went unused. Call it before repo_release_data(). The file stays open for
 * repo_read_blob().
 */
void repo_save_blobs(repo *r, const char *path);
/* How many of the revision's files came from the blob cache. */
size_t repo_cache_hits(const repo *r);
/*
 * How many of the revision's folders came from the tree cache: "trees"
 * beside the blob cache, the raw folders of the last revision read, each
 * used only when its bytes hash to its id (see repo.c).
 */
size_t repo_tree_hits(const repo *r);
void repo_free(repo *r);

/*
 * Frees the files' bytes once nothing reads them any more (their data becomes
 * NULL; paths, lengths and ids stay). Not for a working tree, whose edited
 * files' bytes stand in for blobs the database lacks (repo_blob_append).
 */
void repo_release_data(repo *r);
/*
 * Opens r's repository again, so that libgit2 lets go of the objects, delta
 * bases and pack windows it cached while a build read history (about 25 MB
 * on 10,000 records): for a state kept between builds. Left as it was when
 * reopening fails.
 */
void repo_trim(repo *r);

size_t repo_file_count(const repo *r);
const repo_file *repo_file_at(const repo *r, size_t i);
const repo_file *repo_find(const repo *r, const char *path);
/* The blob id git gives len bytes of data (`git hash-object`), in hex. */
void repo_blob_id(const char *data, size_t len, char out[41]);
/*
 * Puts data (taken over; NUL after len bytes) in place of the bytes of the
 * file at path, with its blob id: a working file saved again (build_patch).
 * The file, or NULL (data freed) when there is none at path.
 */
const repo_file *repo_replace_data(repo *r, const char *path, char *data, size_t len);

/* The content folder as written in messages, with a final '/', e.g. "content/". */
const char *repo_content_prefix(const repo *r);
/* The built commit: full hex id ("" when there is none, e.g. a worktree without commits). */
const char *repo_commit_id(const repo *r);
/* Commit time (seconds since the epoch) and its UTC offset in minutes. */
int64_t repo_commit_time(const repo *r);
int repo_commit_offset(const repo *r);
/* The commit's date as YYYY-MM-DD in its own time zone. */
const char *repo_commit_date(const repo *r);
int repo_is_worktree(const repo *r);
/* The revision as the user gave it ("HEAD"). */
const char *repo_rev(const repo *r);

/* For the history module: the libgit2 handles (owned by the repo). */
struct git_repository *repo_git(const repo *r);
struct git_commit *repo_commit(const repo *r);
/*
 * Reads a blob by hex id into out; 0 or -1. Safe from several threads. After
 * repo_save_blobs(), a blob the cache file holds is read from there (no
 * inflating, no lock).
 */
int repo_read_blob(const repo *r, const char *oid, buf *out);

/* Formats seconds + offset (minutes) as YYYY-MM-DD, and as RFC 3339. */
void format_date(buf *out, int64_t t, int offset);
void format_rfc3339(buf *out, int64_t t, int offset);

/* The message of libgit2's last error on this thread, or "unknown error": for every module's messages. */
const char *repo_git_error(void);

#endif
