#ifndef AVOIN_OUTPUT_H
#define AVOIN_OUTPUT_H
/*
 * Writing the site. Everything goes into a staging folder beside the
 * output folder (<out>.staging); only output_commit() swaps it in, with
 * one atomic exchange where the system has it. A failed build calls
 * output_abort() and leaves the previous site exactly as it was.
 * output_write() may be called from several threads at once.
 */
#include <stddef.h>

#include "diag.h"

typedef struct output output;

/* Creates a fresh staging folder for out_dir (removing a stale one). 0 or -1. */
int output_begin(output **out, const char *out_dir, diag_list *d);
/* Writes data at rel_path (e.g. "a/b/index.html"), creating folders. 0 or -1. */
int output_write(output *o, const char *rel_path, const char *data, size_t len, diag_list *d);
/* Swaps the staging folder in as out_dir and removes the old site; frees o. 0 or -1. */
int output_commit(output *o, diag_list *d);
/* Removes the staging folder; frees o. */
void output_abort(output *o);
/* How many files were written so far. */
size_t output_count(const output *o);
/* The staging folder (for reading back what was written, e.g. by the cache). */
const char *output_staging_dir(const output *o);

/* Removes a folder tree (like rm -rf); 0 or -1. */
int remove_tree(const char *path);

#endif
