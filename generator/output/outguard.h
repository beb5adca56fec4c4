#ifndef AVOIN_OUTGUARD_H
#define AVOIN_OUTGUARD_H
/*
 * Before a build writes anything, the output folder is checked and locked.
 *
 * outguard_check() refuses (a usage error: exit 2, one line) an output folder
 * that a build would destroy or that is not Avoin's to replace:
 *  - the root folder, a file, a folder inside the repository's .git, the
 *    content folder or the theme;
 *  - a folder that is or contains the repository, the content folder, the
 *    theme or the current folder;
 *  - an existing folder that is not empty and that Avoin did not write: its
 *    own output has <out>.cache/manifest or an index.html that Avoin's
 *    layout marked (<meta name="generator" content="Avoin ...">).
 * There is no --force for these: a wrong --out is a typo, not a wish.
 *
 * outguard_lock() takes an exclusive lock on <out>.cache/lock (flock), so
 * that two builds into the same output never both proceed: the second fails
 * at once, or waits for the first when asked to. The lock goes with the
 * file descriptor (outguard_unlock, or the process's end).
 */
#include "diag.h"

/* A folder the output must not be or hold; nor lie inside when inside is 0. */
typedef struct outguard_protect {
	const char *path;    /* any form; NULL is skipped */
	const char *name;    /* for the message: "the repository" */
	int inside_ok;       /* the output may lie inside it (a repository's public/) */
} outguard_protect;

/* 0, or -1 with one error in d. */
int outguard_check(const char *out_dir, const outguard_protect *protect, size_t n, diag_list *d);

/*
 * The lock's descriptor (>= 0). When another build holds it: -1 with an error in d
 * (wait == 0), or *waited set to 1 and blocks until it is free (wait == 1).
 */
int outguard_lock(const char *out_dir, int wait, int *waited, diag_list *d);
void outguard_unlock(int fd);

#endif
