#ifndef AVOIN_SERVE_H
#define AVOIN_SERVE_H
/*
 * `avoin serve`: builds the site into memory (output_begin_memory), serves
 * it (server.h), and watches for changes (watch.h): with --worktree the
 * content folder and the theme; otherwise the revision's ref and the theme.
 * A change builds again through the same build_run as `avoin build`, the
 * previous site in memory standing for the previous output, so only pages
 * whose keys or bytes changed are made again; a build with errors leaves
 * the last good site served, under an overlay that lists the errors.
 */
#include "build.h"

typedef struct serve_opts {
	build_opts build;        /* build.out: also write the site there (else: memory only) */
	const char *bind;        /* NULL: 127.0.0.1 */
	int port;                /* -1: SERVE_PORT; 0: any free port */
	int quiet;
} serve_opts;

#define SERVE_PORT 8110

/* Runs until SIGINT or SIGTERM: 0; 2 when the first build or the server cannot start. */
int serve_run(const serve_opts *so);

#endif
