#ifndef AVOIN_HOOKS_H
#define AVOIN_HOOKS_H
/*
 * Lua hooks in a sandbox. A hook file is a Lua chunk that returns one
 * function. Hooks come from the theme's hooks/ folder and the content's
 * hooks/ folder; a content hook replaces the theme's hook of the same name.
 * Each hooks object owns one Lua state (use one per worker thread).
 *
 * The sandbox: only base (without load, loadfile, dofile, require,
 * collectgarbage, print), string, table, math, utf8; text chunks only; a
 * memory cap through the state's allocator, an instruction budget and a
 * time limit per call; data handed to a hook is read-only; no clock, no
 * randomness.
 */
#include <stddef.h>

#include "buf.h"
#include "diag.h"
#include "value.h"

typedef struct hooks hooks;

typedef struct hook_source {
	const char *name;    /* the hook's name: file name without .lua */
	const char *file;    /* for messages: "themes/default/hooks/indicator.lua" */
	const char *code;
	size_t len;
} hook_source;

typedef struct hooks_limits {
	size_t memory;       /* bytes the state may hold; default 64 MiB */
	long instructions;   /* VM instructions per hook call; default 50 million */
	/*
	 * Wall-clock seconds per hook call; default 10. Checked every thousand
	 * instructions; a call stuck in one long library function (a pattern that
	 * backtracks) is caught by a watchdog thread a second later, which stops
	 * the process with the record's file and line: before anything is written.
	 */
	int seconds;
} hooks_limits;

/*
 * Loads the hooks: theme sources first, then content sources (which
 * override by name). A syntax error is an error naming the file and line.
 * Returns 0 or -1.
 */
int hooks_open(hooks **out, const hook_source *theme, size_t n_theme,
	const hook_source *content, size_t n_content, const hooks_limits *lim, diag_list *d);
void hooks_free(hooks *h);
int hooks_has(const hooks *h, const char *name);
/*
 * Block hooks are the hooks a fenced block may call: every hook but
 * "summary" and those marked as page-data hooks with hooks_mark_not_block().
 */
void hooks_mark_not_block(hooks *h, const char *name);
int hooks_is_block(const hooks *h, const char *name);

/*
 * 1 when a Markdown body may call a hook: some fence (``` or ~~~, anywhere,
 * so also in lists and quotes) is followed by the name of a hook. Errs on
 * the side of yes (callers use it to make cache keys stricter); 0 when h is NULL.
 */
int hooks_body_calls(const hooks *h, const char *body, size_t len);

/*
 * How many hook calls (block, summary or page data) so far read the site
 * model; compare before and after rendering something. Calls that did not
 * depend only on their own arguments, the hook's code and the data files
 * they read: what they returned may be cached without the model in the key.
 * (Hooks are deterministic: the sandbox has no clock, no randomness and no
 * state kept between calls.) 0 when h is NULL.
 */
unsigned long hooks_site_reads(const hooks *h);
/* Counts one call that read the site model, for a result reused instead of a call. */
void hooks_count_site_read(hooks *h);

/*
 * How many maps and lists of the current site model have been converted to
 * Lua so far: the model reaches hooks level by level, as they read it. For
 * tests. 0 when h is NULL.
 */
unsigned long hooks_site_converted(const hooks *h);

/* What a hook is running for, used in error messages and handed to Lua. */
typedef struct hook_ctx {
	const char *record_file;   /* "content/x/y.md" */
	const value *record;       /* record_value() of the record, read-only */
	const value *site;         /* site_model_value(), read-only */
	/*
	 * Reads a file the record names, for avoin.read (`src=`): written as the
	 * hook was given it, found by the model's one rule (site_resolve_file);
	 * its bytes and *path, or NULL with what is wrong in why. May be NULL.
	 */
	const char *(*read_file)(void *opaque, const char *written, size_t *len, const char **path,
		buf *why);
	void *opaque;
} hook_ctx;

/*
 * Calls block hook name as f(block, record, site) with block = {text, attrs,
 * line} and appends the HTML it returns (a string or an element tree) to out.
 * Any failure (Lua error, budget, memory cap, wrong return type) adds an
 * error naming the hook file and line, the record and the traceback, and
 * returns -1.
 */
int hooks_block(hooks *h, const char *name, const char *text, const value *attrs, int line,
	const hook_ctx *cx, buf *out, diag_list *d);
/*
 * The same for the nth hook block of a body (1, 2, ...), which the hook sees
 * as block.index: a name for the block that stays when edits above it move
 * its line (the default indicator names its chart by it).
 */
int hooks_block_nth(hooks *h, const char *name, const char *text, const value *attrs, int line,
	int nth, const hook_ctx *cx, buf *out, diag_list *d);

/*
 * Calls the "summary" hook as f(record, site) with the record's body text in
 * record.body; appends the summary text (plain text) to out. Returns 1 when
 * a summary was produced, 0 when there is no summary hook or it returned nil,
 * -1 on error.
 */
int hooks_summary(hooks *h, const char *body, const hook_ctx *cx, buf *out, diag_list *d);

/*
 * Calls every page-data hook for a page kind ("front", "region",
 * "municipality"): the hook named "page_<kind>" and "obligations" style
 * hooks registered as page hooks are called as f(page, site) where page is
 * the page's value (read-only) and may return a table, which becomes
 * *out (a map value, or NULL when the hook returned nil). Returns 0 or -1.
 */
int hooks_page_data(hooks *h, const char *hook_name, const value *page, const hook_ctx *cx,
	value **out, diag_list *d);

/*
 * Block calls go through memo (blockmemo.h) from now on: a block whose text,
 * attributes and everything the call read are as in an earlier call is not
 * run again. worker: this state's slot in the parts cache; model_hash: stands
 * for the site model in the memo's keys ("" or NULL: calls that read it run
 * every time). memo NULL: every call runs.
 */
struct blockmemo;
void hooks_set_memo(hooks *h, struct blockmemo *memo, size_t worker, const char *model_hash);

/* 1 when the allowed tags and attributes are sorted as their search needs (for the tests). */
int hooks_allow_lists_sorted(void);

#endif
