#ifndef AVOIN_OUTPUT_H
#define AVOIN_OUTPUT_H
/*
 * Writing the site. Nothing touches the output folder before
 * output_commit(); a failed build calls output_abort() and leaves the
 * previous site exactly as it was. output_write() and output_keep() may be
 * called from several threads at once.
 *
 * Two modes, chosen by output_begin():
 *  - full: everything is written into a staging folder beside the output
 *    (<out>.staging), which output_commit() swaps in with one atomic
 *    exchange where the system has it. Used for the first build and
 *    whenever the manifest below is missing.
 *  - incremental: the output folder holds the site of the last build and
 *    <out>.cache/manifest lists its files. A page whose bytes equal the file
 *    already there is not written again; new and changed files go into the
 *    staging folder as numbered files side by side (no folders to make there
 *    and remove again), and output_commit() renames each into place (each file
 *    is replaced atomically) and deletes the files the new site no longer
 *    has. So a rebuild writes what changed, not the whole site, and does not
 *    delete and recreate tens of thousands of files. The manifest is removed
 *    before the first rename and written again after the last: a build
 *    stopped in between leaves no manifest, and the next build is full.
 *
 * Keys: a page may be written with a key, a digest of everything the page's
 * bytes depend on. output_keep() tells a caller that the previous build
 * wrote the same path with the same key, so the page need not be rendered.
 */
#include <stddef.h>

#include "diag.h"
#include "memsite.h"

typedef struct output output;

/* Creates a fresh staging folder for out_dir (removing a stale one). 0 or -1. */
int output_begin(output **out, const char *out_dir, diag_list *d);
/*
 * The same for a site in memory (memsite.h), the previous build being what
 * ms holds: a page whose key or bytes are unchanged keeps its bytes, and
 * output_commit() replaces ms's site. With out_dir, the site also goes into
 * that folder as output_begin() would write it.
 */
int output_begin_memory(output **out, memsite *ms, const char *out_dir, diag_list *d);
/*
 * A patch of the site in memory (build_patch): the files written or kept
 * replace theirs, and every other file stays as it is, but those under a
 * prefix given to output_drop_unwritten() (whose files the patch writes or
 * keeps all of: the search index, named by content). output_count() and
 * output_changed() count what the patch wrote or kept; memsite_count() the site.
 */
int output_begin_patch(output **out, memsite *ms, diag_list *d);
void output_drop_unwritten(output *o, const char *prefix);
/*
 * A view of o whose paths lie under prefix ("kainuu/", ending in '/'): each
 * scope's site of --all-scopes is written through one, into the one output.
 * Writes and keeps go to o, which the view must not outlive; commit and
 * abort o, and free the view with output_view_free() (it frees nothing else).
 */
output *output_view(output *o, const char *prefix);
void output_view_free(output *v);
/* Writes data at rel_path (e.g. "a/b/index.html"), creating folders. 0 or -1. */
int output_write(output *o, const char *rel_path, const char *data, size_t len, diag_list *d);
/* The same, remembering key (40 hex digits, or NULL) for output_keep() in the next build. */
int output_write_keyed(output *o, const char *rel_path, const char *key, const char *data,
	size_t len, diag_list *d);
/*
 * 1 when the previous build wrote rel_path with the same key and the file is
 * still there as written (same size and modification time): the page counts
 * as written, unchanged, and the caller skips it. 0 when the caller must write it (always 0 in the full mode).
 */
int output_keep(output *o, const char *rel_path, const char *key);
/* output_keep() for a file the caller has just checked with output_known() and output_intact(). */
int output_keep_checked(output *o, const char *rel_path, const char *key);
/* 1 when the previous build's manifest has rel_path with key (whether or not the file is still there). */
int output_known(const output *o, const char *rel_path, const char *key);
/* 1 when the file at rel_path is still as the previous build wrote it (size and modification time). */
int output_intact(const output *o, const char *rel_path);
/*
 * Puts the new site in place and removes what the old one had and the new
 * one has not; writes the manifest; frees o. 0 or -1.
 */
int output_commit(output *o, diag_list *d);
/*
 * The files a committed build replaced (the previous site of a full build,
 * the old versions of a rebuild's changed files) are moved to
 * output_trash_dir() rather than freed while the build waits: freeing files
 * is slow on some filesystems. output_empty_trash() deletes them (0 or -1).
 */
char *output_trash_dir(const char *out_dir);
int output_empty_trash(const char *out_dir);
/*
 * Finishes the swap of a rebuild that was stopped halfway (kill -9, power),
 * from the journal it wrote before its first rename (see output.c), so that
 * the site is the new one as a whole; or, when that cannot be done, drops the
 * manifest so that this build writes the whole site. output_begin() calls it
 * first; it needs the output's lock (outguard.h). 1 when a swap was finished,
 * 0 when there was none to finish. Warnings in d say what was done.
 */
int output_recover(const char *out_dir, diag_list *d);
/* Removes the staging folder; frees o. */
void output_abort(output *o);
/* How many files the new site has so far (written or kept). */
size_t output_count(const output *o);
/* How many of them were new or changed, so written to disk (all of them in the full mode). */
size_t output_changed(const output *o);
/* The output folder (without a trailing slash). */
const char *output_dir(const output *o);
/* 1 in the incremental mode. */
int output_incremental(const output *o);
/* The staging folder (for reading back what was written, e.g. by the cache). */
const char *output_staging_dir(const output *o);

/* Removes a folder tree (like rm -rf); 0 or -1. */
int remove_tree(const char *path);

#endif
