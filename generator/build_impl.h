#ifndef AVOIN_BUILD_IMPL_H
#define AVOIN_BUILD_IMPL_H
/*
 * What build.c and patch.c share: the state of one build, which `avoin
 * serve` keeps between builds (build_opts.keep) so that patch.c can bring a
 * saved edit of one body into it. No other module includes it.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "blockmemo.h"
#include "buf.h"
#include "build.h"
#include "cache.h"
#include "frontmatter.h"
#include "histpages.h"
#include "history.h"
#include "hooks.h"
#include "model.h"
#include "opendata.h"
#include "output.h"
#include "pages.h"
#include "repo.h"
#include "scope.h"
#include "terms.h"
#include "theme.h"

/* What one worker thread needs: its own Lua state and its own diagnostics. */
typedef struct worker {
	size_t index, count;
	site *s;
	hooks *h;
	const value *site_model;
	int strict;
	pages_env pe;
	cache *cache;
	const char *cache_inputs;
	const char *model_hash;
	diag_list d;
	int ret;
	pages_stats stats;      /* --timings: page-hook results, and how many came from the cache */
	terms_stemmers *stem;   /* render_records: the search index's stemmers (not thread-safe) */
	double terms_secs;      /* --timings: reading records' words for the index, wall */
	size_t terms_read, terms_cached;
	/* render_records: the next record, for whichever worker asks first (bodies differ in cost) */
	atomic_size_t *next_record;
	/* --timings: the phase's function, and the wall time the worker spent in it */
	void *(*fn)(void *);
	double busy;
	int keep_bodies;        /* write_pages: another site (--all-scopes) shows the bodies too */
} worker;

/* history_build() on a thread of its own, with its own diagnostics; secs: its wall time. */
typedef struct hist_reader {
	history *h;
	repo *r;
	history_opts ho;
	diag_list d;
	int rc;
	double secs;
} hist_reader;

/* output_begin() on a thread of its own, with its own diagnostics */
typedef struct opener {      /* output_begin() on a thread of its own, with its own diagnostics */
	output *out;
	const char *dir;
	const build_opts *o;
	diag_list d;
	int rc;
	char *cache_dir;     /* and, when set, the parts cache: opened into pc */
	size_t jobs;
	cache *pc;
} opener;

/*
 * --timings: the wall time since the previous mark, with the phase's name,
 * and the CPU time (user and system, all threads) the process spent in it:
 * a phase whose CPU time is near its wall time ran on one core.
 */
typedef struct phase_clock {
	int on;
	struct timespec last;
	double last_cpu;
	const worker *ws;       /* the workers' busy times follow a phase that ran on them */
	size_t n_ws;
} phase_clock;

/* What one build holds from its first phase to its last (build_run). */
struct build_state {
	const build_opts *o;
	int keeping;               /* a successful build is kept (build_opts.keep) */
	build_result last;         /* kept: the result of the build or patch that made it */
	struct search_keep *search;   /* kept: the search index, for search_patch() */
	diag_list *d;
	build_result *res;
	const char *out_dir;
	int status;                /* what build_run returns when a phase stops it */
	int lock_fd;
	repo_opts ro;
	repo *r;
	char *blob_cache;
	model_file *files;
	size_t n_files;
	site *s;
	theme *th;
	size_t n_workers;
	worker *ws;
	value *model;
	char model_hash[41];
	buf inputs;
	cache *pc;
	blockmemo *memo;
	atomic_size_t next_record;
	/* --scope: one scoped site, --all-scopes: each (site/scope.h); none: the whole site */
	site_scope **scopes;
	unsigned char **scope_pub;   /* files_published() of each scope's part */
	size_t n_scopes;
	unsigned char *published;
	output *out;
	history *hist;
	histpages *hplan;
	opendata *odata;
	char *stamp;
	char page_base[41];
	pages_queue queue;
	phase_clock clk;
	/* the history, read on a thread of its own while the records load */
	hist_reader hr;
	pthread_t reader_thread;
	int reading;
	int wants_history;
	/* front matter parsed by earlier builds: for the records, then for removed ones */
	fm_cache *fm;
	/* the output, opened on a thread of its own */
	opener op;
	pthread_t opener_thread;
	int opening;
};

/* Renders r's body and summary and reads its words on worker w (render_records' step). */
void build_render_one(worker *w, record *r, buf *html, buf *sum);
/* r->digest and r->meta_digest (see build.c). */
void build_record_digest(record *r, const repo *rp);
/* Worker i's pages_env for writing one site (the whole one: sc NULL) into out. */
void build_worker_env(build_state *b, size_t i, site_scope *sc, output *out,
	const unsigned char *pub, const char *page_base);

#endif
