/*
 * The history of the content folder from one walk down the first-parent
 * chain of the built commit.
 *
 * Why first parents only: a merge is diffed against its first parent, so a
 * change merged from a branch shows up once, at the merge. Visiting the
 * branch's own commits as well would list the same change twice (once at
 * the branch commit, once in the merge's diff). This is what
 * git_revwalk_simplify_first_parent() with GIT_SORT_TOPOLOGICAL would visit;
 * on a first-parent chain that order is simply "follow parent 0". The chain
 * is followed by hand because libgit2 1.5's revwalk fails outright in a
 * shallow clone (it loads the missing parent while sorting), whereas here a
 * missing parent just ends the walk, the grafted commit acting as a root.
 *
 * Each step compares the two content subtrees (content-relative paths;
 * nothing outside the content folder is looked at), skipping every folder
 * whose tree id did not change, so a commit costs what it touched. Only
 * when a commit both adds and deletes files does libgit2 diff the smallest
 * folder holding them and find the renames (git_diff_find_similar, git's
 * 50% similarity). Blob contents are never read here, except by that
 * rename detection for the added/deleted pairs.
 *
 * Renames are followed per path with an alias table kept while walking
 * backwards in time: once past "a -> b", earlier changes at "a" belong to
 * the file that is now wherever "b"'s changes go; once past the addition of
 * a path, earlier changes at it belong to a different (earlier) file again.
 *
 * The walk has three steps. The chain of first parents is read first, on
 * the calling thread (a commit object each: cheap). Then every commit's
 * changes against its first parent are computed, on up to `jobs` threads,
 * each with its own git_repository opened on the same git folder (libgit2
 * objects are not to be shared between threads; only the oids in the chain
 * are). Last, on the calling thread again, the results are taken in chain
 * order: diagnostics, commit metadata (author through .mailmap, message)
 * and the path index, exactly as one serial walk would have produced them.
 *
 * The changes of a commit against a given first parent never change (both
 * ids name immutable objects), so a cache file keeps them between builds:
 * see the cache section below. It stores only what comes from the trees.
 */
#include "history.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "buf.h"
#include "htab.h"
#include "redact.h"
#include "util.h"
#include "msg.h"
#include "banned.h"

enum fate { FATE_NONE, FATE_PRESENT, FATE_DELETED, FATE_RENAMED };

/* One path seen anywhere in the history. */
typedef struct pentry {
	char *path;
	/* The lineage that earlier changes at this path belong to; NULL: this path's own. */
	struct pentry *alias;
	/* Changes of the lineage whose newest path is this one, newest first. */
	history_change **changes;
	size_t n, cap;
	/* Decided by the newest change that touches the path. */
	enum fate fate;
	struct pentry *target;  /* whose changes history_for_path() returns */
} pentry;

struct history {
	history_commit **commits;
	size_t n_commits, cap_commits;
	pentry **paths;         /* every path seen, in the order first seen */
	size_t n_paths, cap_paths;
	htab path_index;        /* positions in paths, by path */
	pentry **deleted;
	size_t n_deleted;
	pentry **renamed;
	size_t n_renamed;
};

/* ---- the path table ---- */

static pentry *path_find(const history *h, const char *path)
{
	uint64_t hash = str_hash(path);
	htab_iter it;
	for (size_t p = htab_first(&h->path_index, hash, &it); p != HTAB_NONE;
	     p = htab_next(&h->path_index, hash, &it))
		if (strcmp(h->paths[p]->path, path) == 0)
			return h->paths[p];
	return NULL;
}

static pentry *path_get(history *h, const char *path)
{
	pentry *p = path_find(h, path);
	if (p)
		return p;
	if (!h->path_index.cap)
		htab_reserve(&h->path_index, 512);
	p = xcalloc(1, sizeof(pentry));
	p->path = xstrdup(path);
	h->paths = xgrow(h->paths, sizeof(pentry *), h->n_paths + 1, &h->cap_paths);
	h->paths[h->n_paths] = p;
	htab_add(&h->path_index, str_hash(path), h->n_paths++);
	return p;
}

static pentry *lineage(pentry *p)
{
	return p->alias ? p->alias : p;
}

static void lineage_add(pentry *p, history_change *c)
{
	p->changes = xgrow(p->changes, sizeof(history_change *), p->n + 1, &p->cap);
	p->changes[p->n++] = c;
}

static void touch(pentry *p, enum fate f, pentry *target)
{
	if (p->fate != FATE_NONE)
		return;
	p->fate = f;
	p->target = target;
}

/*
 * Files one commit changed, newest commit first. Two passes so that one
 * commit's changes see the state after it: first every change is given to
 * its lineage, then the aliases are moved to the state before the commit
 * (this keeps "a -> b plus a new a" and "a <-> b" swaps right).
 */
static void index_commit(history *h, history_commit *hc)
{
	pentry **keys = xmalloc(hc->n_changes * sizeof(pentry *) + 1);
	for (size_t i = 0; i < hc->n_changes; i++) {
		history_change *c = hc->changes[i];
		pentry *p = path_get(h, c->path);
		keys[i] = lineage(p);
		lineage_add(keys[i], c);
		/* Paths present after the commit first: within one commit "created" wins. */
		if (c->kind != CHANGE_DELETED)
			touch(p, FATE_PRESENT, keys[i]);
	}
	for (size_t i = 0; i < hc->n_changes; i++) {
		history_change *c = hc->changes[i];
		if (c->kind == CHANGE_DELETED)
			touch(path_get(h, c->path), FATE_DELETED, keys[i]);
		else if (c->kind == CHANGE_RENAMED)
			touch(path_get(h, c->old_path), FATE_RENAMED, keys[i]);
	}
	for (size_t i = 0; i < hc->n_changes; i++) {
		history_change *c = hc->changes[i];
		if (c->kind == CHANGE_ADDED || c->kind == CHANGE_RENAMED)
			path_get(h, c->path)->alias = NULL;
	}
	for (size_t i = 0; i < hc->n_changes; i++) {
		history_change *c = hc->changes[i];
		if (c->kind == CHANGE_RENAMED)
			path_get(h, c->old_path)->alias = keys[i];
	}
	free(keys);
}

/* ---- reading commits ---- */

static int is_file_mode(uint16_t mode)
{
	return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

static int cmp_change(const void *a, const void *b)
{
	return strcmp((*(history_change *const *)a)->path, (*(history_change *const *)b)->path);
}

static void commit_free(history_commit *hc)
{
	if (!hc)
		return;
	for (size_t i = 0; i < hc->n_changes; i++) {
		free(hc->changes[i]->path);
		free(hc->changes[i]->old_path);
		free(hc->changes[i]);
	}
	free(hc->changes);
	free(hc->author);
	free(hc->summary);
	free(hc->message);
	free(hc);
}

/* The content folder's tree in the root tree root_id, or NULL when it has none. */
static int content_tree(git_tree **out, git_repository *git, const git_oid *root_id,
	const char *content)
{
	git_tree *root;
	git_tree_entry *e = NULL;
	*out = NULL;
	if (git_tree_lookup(&root, git, root_id) < 0)
		return -1;
	if (!*content) {
		*out = root;
		return 0;
	}
	int ret = 0;
	if (git_tree_entry_bypath(&e, root, content) == 0 &&
	    git_tree_entry_type(e) == GIT_OBJECT_TREE)
		ret = git_tree_lookup(out, git, git_tree_entry_id(e));
	git_tree_entry_free(e);
	git_tree_free(root);
	return ret;
}

typedef struct mailmaps {
	git_mailmap *content;   /* the content folder's own .mailmap, applied first */
	git_mailmap *repo;      /* what git itself would use */
} mailmaps;

/* The author's name after .mailmap, with any address in it (a name that is one) redacted. */
static char *author_name(const mailmaps *mm, const git_signature *sig)
{
	const char *name = sig->name, *email = sig->email;
	if (mm->content &&
	    git_mailmap_resolve(&name, &email, mm->content, sig->name, sig->email) == 0 &&
	    (name != sig->name || email != sig->email))
		return redact_emails(name, strlen(name));
	name = sig->name;
	if (mm->repo && git_mailmap_resolve(&name, &email, mm->repo, sig->name, sig->email) < 0)
		name = sig->name;
	return redact_emails(name, strlen(name));
}

/*
 * Text from a commit, trailing blanks trimmed, every address redacted and
 * control characters (an ESC that would colour a terminal) shown as U+FFFD.
 */
static char *trim_end(const char *s, size_t n)
{
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	char *r = redact_emails(s, n);
	if (text_control_at(r, strlen(r)) == (size_t)-1)
		return r;
	buf b = BUF_INIT;
	for (const char *p = r; *p; p++) {
		if (text_control_at(p, 1) == 0)
			buf_puts(&b, "\xEF\xBF\xBD");
		else
			buf_putc(&b, *p);
	}
	free(r);
	return buf_detach(&b, NULL);
}

static history_commit *commit_new(git_commit *c, const mailmaps *mm)
{
	history_commit *hc = xcalloc(1, sizeof(*hc));
	git_oid_tostr(hc->id, sizeof(hc->id), git_commit_id(c));
	memcpy(hc->short_id, hc->id, 7);
	hc->short_id[7] = '\0';
	const git_signature *sig = git_commit_author(c);
	hc->author = author_name(mm, sig);
	hc->time = (int64_t)sig->when.time;
	hc->offset = sig->when.offset;
	const char *msg = git_commit_message(c);
	if (!msg)
		msg = "";
	const char *nl = strchr(msg, '\n');
	hc->summary = trim_end(msg, nl ? (size_t)(nl - msg) : strlen(msg));
	hc->message = trim_end(msg, strlen(msg));
	return hc;
}

/* ---- comparing two content trees ---- */

/* One file changed between two trees, before renames are paired. */
typedef struct rawc {
	char *path;
	char *old_path;     /* set when paired into a rename */
	change_kind kind;
	git_oid old_id, new_id;
	int gone;           /* a deletion that became half of a rename */
} rawc;

typedef struct rawlist {
	rawc *v;
	size_t n, cap;
	size_t n_added, n_deleted;
} rawlist;

static void raw_add(rawlist *l, const char *path, change_kind kind, const git_oid *old_id,
	const git_oid *new_id)
{
	l->v = xgrow(l->v, sizeof(rawc), l->n + 1, &l->cap);
	rawc *c = &l->v[l->n++];
	memset(c, 0, sizeof(*c));
	c->path = xstrdup(path);
	c->kind = kind;
	if (old_id)
		git_oid_cpy(&c->old_id, old_id);
	if (new_id)
		git_oid_cpy(&c->new_id, new_id);
	l->n_added += kind == CHANGE_ADDED;
	l->n_deleted += kind == CHANGE_DELETED;
}

static void raw_release(rawlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].path);
		free(l->v[i].old_path);
	}
	free(l->v);
}

static int is_tree_entry(const git_tree_entry *e)
{
	return git_tree_entry_filemode(e) == GIT_FILEMODE_TREE;
}

/* git's order of tree entries: a folder sorts as if its name ended in '/'. */
static int entry_cmp(const git_tree_entry *a, const git_tree_entry *b)
{
	const char *na = git_tree_entry_name(a), *nb = git_tree_entry_name(b);
	size_t la = strlen(na), lb = strlen(nb), len = la < lb ? la : lb;
	int c = memcmp(na, nb, len);
	if (c)
		return c;
	unsigned char ca = la > len ? (unsigned char)na[len] : is_tree_entry(a) ? '/' : 0;
	unsigned char cb = lb > len ? (unsigned char)nb[len] : is_tree_entry(b) ? '/' : 0;
	return (int)ca - (int)cb;
}

static void path_push(buf *path, const char *name)
{
	if (path->len)
		buf_putc(path, '/');
	buf_puts(path, name);
}

static int tree_compare(git_repository *git, const git_tree *a, const git_tree *b, buf *path,
	rawlist *out);

/* Every file below one side's entry, as added or deleted. */
static int side_only(git_repository *git, const git_tree_entry *e, change_kind kind, buf *path,
	rawlist *out)
{
	if (git_tree_entry_name(e)[0] == '.')
		return 0;
	size_t len = path->len;
	int ret = 0;
	path_push(path, git_tree_entry_name(e));
	if (is_tree_entry(e)) {
		git_tree *t;
		if (git_tree_lookup(&t, git, git_tree_entry_id(e)) < 0) {
			ret = -1;
		} else {
			ret = kind == CHANGE_ADDED ? tree_compare(git, NULL, t, path, out) :
				tree_compare(git, t, NULL, path, out);
			git_tree_free(t);
		}
	} else if (is_file_mode(git_tree_entry_filemode(e))) {
		raw_add(out, path->ptr, kind, kind == CHANGE_DELETED ? git_tree_entry_id(e) : NULL,
			kind == CHANGE_ADDED ? git_tree_entry_id(e) : NULL);
	}
	buf_truncate(path, len);
	return ret;
}

/*
 * The files that differ between trees a and b (either may be NULL), in path
 * order. Unlike git_diff_tree_to_tree() this skips every subtree whose id is
 * the same on both sides, so a commit costs what it changed, not the size
 * of the content folder. Dot-files, symlinks and submodules are left out.
 */
static int tree_compare(git_repository *git, const git_tree *a, const git_tree *b, buf *path,
	rawlist *out)
{
	size_t na = a ? git_tree_entrycount(a) : 0, nb = b ? git_tree_entrycount(b) : 0;
	size_t i = 0, j = 0;
	while (i < na || j < nb) {
		const git_tree_entry *ea = i < na ? git_tree_entry_byindex(a, i) : NULL;
		const git_tree_entry *eb = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		int c = !ea ? 1 : !eb ? -1 : entry_cmp(ea, eb);
		if (c < 0) {
			if (side_only(git, ea, CHANGE_DELETED, path, out) < 0)
				return -1;
			i++;
			continue;
		}
		if (c > 0) {
			if (side_only(git, eb, CHANGE_ADDED, path, out) < 0)
				return -1;
			j++;
			continue;
		}
		i++;
		j++;
		/* same name, and so both folders or both not */
		if (git_tree_entry_name(ea)[0] == '.')
			continue;
		int same = git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb));
		uint16_t ma = (uint16_t)git_tree_entry_filemode(ea);
		uint16_t mb = (uint16_t)git_tree_entry_filemode(eb);
		size_t len = path->len;
		path_push(path, git_tree_entry_name(ea));
		if (is_tree_entry(ea)) {
			git_tree *ta = NULL, *tb = NULL;
			int ret = 0;
			if (!same) {
				ret = git_tree_lookup(&ta, git, git_tree_entry_id(ea)) < 0 ||
					git_tree_lookup(&tb, git, git_tree_entry_id(eb)) < 0 ||
					tree_compare(git, ta, tb, path, out) < 0 ? -1 : 0;
			}
			git_tree_free(ta);
			git_tree_free(tb);
			if (ret < 0)
				return -1;
		} else if (is_file_mode(ma) && is_file_mode(mb)) {
			/* a mode-only change (chmod +x) is not a change of the content */
			if (!same)
				raw_add(out, path->ptr, CHANGE_MODIFIED, git_tree_entry_id(ea),
					git_tree_entry_id(eb));
		} else if (is_file_mode(ma)) {
			raw_add(out, path->ptr, CHANGE_DELETED, git_tree_entry_id(ea), NULL);
		} else if (is_file_mode(mb)) {
			raw_add(out, path->ptr, CHANGE_ADDED, NULL, git_tree_entry_id(eb));
		}
		buf_truncate(path, len);
	}
	return 0;
}

static int cmp_raw(const void *a, const void *b)
{
	return strcmp(((const rawc *)a)->path, ((const rawc *)b)->path);
}

static rawc *raw_find(rawlist *l, const char *path, change_kind kind)
{
	rawc key = { (char *)path, NULL, kind, { { 0 } }, { { 0 } }, 0 };
	rawc *c = bsearch(&key, l->v, l->n, sizeof(rawc), cmp_raw);
	return c && c->kind == kind && !c->gone ? c : NULL;
}

/* The tree at folder dir ("" = root itself) of root, or NULL. */
static git_tree *subtree(git_repository *git, git_tree *root, const char *dir)
{
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	if (!*dir)
		return git_tree_dup(&t, root) < 0 ? NULL : t;
	if (git_tree_entry_bypath(&e, root, dir) == 0 && is_tree_entry(e))
		git_tree_lookup(&t, git, git_tree_entry_id(e));
	git_tree_entry_free(e);
	return t;
}

typedef struct strlist {
	char **v;
	size_t n, cap;
} strlist;

static void strlist_release(strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/*
 * Every path below trees a and b (either may be NULL) whose entry differs,
 * whatever it is (dot-files, links and submodules too): the paths that
 * git_diff_tree_to_tree() reports, found the same way as tree_compare().
 */
static int leaf_diffs(git_repository *git, const git_tree *a, const git_tree *b, buf *path,
	strlist *out)
{
	size_t na = a ? git_tree_entrycount(a) : 0, nb = b ? git_tree_entrycount(b) : 0;
	size_t i = 0, j = 0;
	while (i < na || j < nb) {
		const git_tree_entry *ea = i < na ? git_tree_entry_byindex(a, i) : NULL;
		const git_tree_entry *eb = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		int c = !ea ? 1 : !eb ? -1 : entry_cmp(ea, eb);
		const git_tree_entry *e = c > 0 ? eb : ea;
		i += c <= 0;
		j += c >= 0;
		/* same name (and so both folders or both not), same object, same mode */
		if (c == 0 && git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)) &&
		    git_tree_entry_filemode(ea) == git_tree_entry_filemode(eb))
			continue;
		size_t len = path->len;
		path_push(path, git_tree_entry_name(e));
		int ret = 0;
		if (is_tree_entry(e)) {
			git_tree *ta = NULL, *tb = NULL;
			ret = (c <= 0 && git_tree_lookup(&ta, git, git_tree_entry_id(ea)) < 0) ||
				(c >= 0 && git_tree_lookup(&tb, git, git_tree_entry_id(eb)) < 0) ||
				leaf_diffs(git, ta, tb, path, out) < 0 ? -1 : 0;
			git_tree_free(ta);
			git_tree_free(tb);
		} else {
			out->v = xgrow(out->v, sizeof(char *), out->n + 1, &out->cap);
			out->v[out->n++] = xstrdup(path->ptr);
		}
		buf_truncate(path, len);
		if (ret < 0)
			return -1;
	}
	return 0;
}

/*
 * Pairs deletions with additions into renames, by libgit2's rename detection
 * (similarity 50%, as git's). It diffs only the deepest folder that holds
 * every added and deleted file, usually one record's folder, and there only
 * the paths that differ (given as a literal path list, which lets libgit2's
 * tree iterators skip every other folder): the deltas are the same as a
 * diff of the whole folder, and rename detection only looks at deltas.
 */
static int pair_renames(git_repository *git, git_tree *old_root, git_tree *new_root, rawlist *l,
	const git_diff_find_options *fopts)
{
	if (!l->n_added || !l->n_deleted)
		return 0;
	buf dir = BUF_INIT;
	int have = 0;
	for (size_t i = 0; i < l->n; i++) {
		const char *p = l->v[i].path;
		if (l->v[i].kind == CHANGE_MODIFIED)
			continue;
		if (!have) {
			const char *slash = strrchr(p, '/');
			buf_put(&dir, p, slash ? (size_t)(slash - p) : 0);
			have = 1;
		}
		while (dir.len && !(strncmp(p, dir.ptr, dir.len) == 0 && p[dir.len] == '/')) {
			char *slash = strrchr(dir.ptr, '/');
			buf_truncate(&dir, slash ? (size_t)(slash - dir.ptr) : 0);
		}
	}
	git_tree *ta = subtree(git, old_root, dir.ptr), *tb = subtree(git, new_root, dir.ptr);
	git_diff *diff = NULL;
	strlist paths = { NULL, 0, 0 };
	buf op = BUF_INIT, np = BUF_INIT;
	int ret = -1;
	if (!ta || !tb || leaf_diffs(git, ta, tb, &op, &paths) < 0)
		goto out;
	git_diff_options dopts;
	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	dopts.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	dopts.pathspec.strings = paths.v;
	dopts.pathspec.count = paths.n;
	if (git_diff_tree_to_tree(&diff, git, ta, tb, &dopts) < 0 ||
	    git_diff_find_similar(diff, fopts) < 0)
		goto out;
	qsort(l->v, l->n, sizeof(rawc), cmp_raw);
	for (size_t i = 0, n = git_diff_num_deltas(diff); i < n; i++) {
		const git_diff_delta *dl = git_diff_get_delta(diff, i);
		if (dl->status != GIT_DELTA_RENAMED)
			continue;
		buf_reset(&op);
		buf_reset(&np);
		buf_put(&op, dir.ptr, dir.len);
		buf_put(&np, dir.ptr, dir.len);
		path_push(&op, dl->old_file.path);
		path_push(&np, dl->new_file.path);
		rawc *del = raw_find(l, op.ptr, CHANGE_DELETED);
		rawc *add = raw_find(l, np.ptr, CHANGE_ADDED);
		if (!del || !add)
			continue; /* a dot-file, a symlink: not ours */
		add->kind = CHANGE_RENAMED;
		add->old_path = xstrdup(op.ptr);
		git_oid_cpy(&add->old_id, &del->old_id);
		del->gone = 1;
	}
	ret = 0;
out:
	buf_release(&op);
	buf_release(&np);
	strlist_release(&paths);
	git_diff_free(diff);
	git_tree_free(ta);
	git_tree_free(tb);
	buf_release(&dir);
	return ret;
}

static void changes_free(history_change **v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i]->path);
		free(v[i]->old_path);
		free(v[i]);
	}
	free(v);
}

/* The changes of one commit, by path; their commit is set when the commit is read. */
static void collect_changes(rawlist *l, history_change ***out, size_t *n_out)
{
	history_change **v = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < l->n; i++) {
		rawc *c = &l->v[i];
		if (c->gone)
			continue;
		history_change *ch = xcalloc(1, sizeof(*ch));
		ch->kind = c->kind;
		ch->path = c->path;
		ch->old_path = c->old_path;
		c->path = c->old_path = NULL;
		if (ch->kind != CHANGE_ADDED)
			git_oid_tostr(ch->old_oid, sizeof(ch->old_oid), &c->old_id);
		if (ch->kind != CHANGE_DELETED)
			git_oid_tostr(ch->new_oid, sizeof(ch->new_oid), &c->new_id);
		v = xgrow(v, sizeof(history_change *), n + 1, &cap);
		v[n++] = ch;
	}
	if (n > 1)
		qsort(v, n, sizeof(history_change *), cmp_change);
	*out = v;
	*n_out = n;
}

static void load_mailmaps(mailmaps *mm, repo *r)
{
	git_repository *git = repo_git(r);
	if (git_mailmap_from_repository(&mm->repo, git) < 0)
		mm->repo = NULL;
	buf path = BUF_INIT, data = BUF_INIT;
	buf_printf(&path, "%s.mailmap", repo_content_prefix(r));
	const char *workdir = git_repository_workdir(git);
	int found = 0;
	if (repo_is_worktree(r) && workdir) {
		char *full = xasprintf("%s%s", workdir, path.ptr);
		char *bytes;
		size_t len;
		if (read_file(full, &bytes, &len) == 0) {
			buf_put(&data, bytes, len);
			free(bytes);
			found = 1;
		}
		free(full);
	} else {
		git_tree *root = NULL;
		git_tree_entry *e = NULL;
		if (git_commit_tree(&root, repo_commit(r)) == 0 &&
		    git_tree_entry_bypath(&e, root, path.ptr) == 0 &&
		    git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
			char hex[41];
			git_oid_tostr(hex, sizeof(hex), git_tree_entry_id(e));
			found = repo_read_blob(r, hex, &data) == 0;
		}
		git_tree_entry_free(e);
		git_tree_free(root);
	}
	if (!found || git_mailmap_from_buffer(&mm->content, data.ptr, data.len) < 0)
		mm->content = NULL;
	buf_release(&path);
	buf_release(&data);
}

static void shallow_warning(diag_list *d, git_commit *c)
{
	char id[8];
	buf date = BUF_INIT;
	git_oid_tostr(id, sizeof(id), git_commit_id(c));
	const git_signature *sig = git_commit_author(c);
	format_date(&date, (int64_t)sig->when.time, sig->when.offset);
	diag_warning(d, NULL, 0, "shallow clone: history before %s (%s) is missing; "
		"record dates may be wrong (run 'git fetch --unshallow')", id, date.ptr);
	buf_release(&date);
}

/* ---- the first-parent chain ---- */

enum fail { FAIL_NONE, FAIL_OWN_TREE, FAIL_PARENT_TREE, FAIL_DIFF };

/* One commit of the chain, newest first; items[i + 1] is items[i]'s parent. */
typedef struct item {
	git_commit *commit;      /* in the caller's repository, read on the calling thread only */
	git_oid id, tree_id;     /* the commit and its root tree */
	git_oid parent_id, parent_tree_id;  /* when has_parent */
	int has_parent;          /* else diffed against nothing: a root, or a shallow graft */
	int shallow;             /* the parent is missing in a shallow clone: warn */
	char *chain_error;       /* the parent cannot be read: the walk ends in an error here */
	/* the result, from a worker or from the cache */
	enum fail failed;
	char *error;
	history_change **changes;
	size_t n_changes;
	int cached;
	history_commit *hc;      /* the changes' owner once listed */
} item;

typedef struct chain {
	item *v;
	size_t n, cap;
} chain;

static void chain_release(chain *c)
{
	for (size_t i = 0; i < c->n; i++) {
		git_commit_free(c->v[i].commit);
		free(c->v[i].chain_error);
		free(c->v[i].error);
		changes_free(c->v[i].changes, c->v[i].n_changes);
	}
	free(c->v);
}

/*
 * The first parents from the built commit down to a root, a shallow graft or
 * a parent that cannot be read. Diagnostics wait in the items, so that they
 * come out in the serial walk's order.
 */
static int read_chain(chain *ch, repo *r, diag_list *d)
{
	git_repository *git = repo_git(r);
	int shallow = git_repository_is_shallow(git) == 1;
	git_commit *c = NULL;
	if (git_commit_dup(&c, repo_commit(r)) < 0) {
		diag_error(d, NULL, 0, "cannot read commit %s: %s", repo_commit_id(r), repo_git_error());
		return -1;
	}
	while (c) {
		ch->v = xgrow(ch->v, sizeof(item), ch->n + 1, &ch->cap);
		item *it = &ch->v[ch->n++];
		memset(it, 0, sizeof(*it));
		it->commit = c;
		git_oid_cpy(&it->id, git_commit_id(c));
		git_oid_cpy(&it->tree_id, git_commit_tree_id(c));
		git_commit *parent = NULL;
		if (git_commit_parentcount(c) > 0 && git_commit_parent(&parent, c, 0) < 0) {
			parent = NULL;
			if (!shallow)
				it->chain_error = xasprintf(
					tr("cannot read the parent of commit %s: %s"),
					git_oid_tostr_s(&it->id), repo_git_error());
			else
				it->shallow = 1; /* the grafted commit acts as a root */
		}
		if (parent) {
			it->has_parent = 1;
			git_oid_cpy(&it->parent_id, git_commit_id(parent));
			git_oid_cpy(&it->parent_tree_id, git_commit_tree_id(parent));
		}
		c = parent;
	}
	return 0;
}

/* ---- diffing commits, on several threads ---- */

typedef struct runner {
	item *items;
	size_t *start, *end;     /* the chunks of items to diff */
	size_t n_chunks, next;
	pthread_mutex_t lock;
	const char *content;     /* the content folder, no final '/' ("" = the whole tree) */
	const char *git_path;    /* for each thread's own repository */
	const git_diff_find_options *fopts;
} runner;

static void item_fail(item *it, enum fail f, const char *fmt, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof(hex), id);
	it->failed = f;
	it->error = xasprintf(tr(fmt), hex, repo_git_error());
}

/* The changes between two content trees (either may be NULL) into it; 0 or -1. */
static int diff_trees(git_repository *git, git_tree *ptree, git_tree *tree,
	const git_diff_find_options *fopts, item *it)
{
	if ((!tree && !ptree) ||
	    (tree && ptree && git_oid_equal(git_tree_id(tree), git_tree_id(ptree))))
		return 0;
	rawlist l = { NULL, 0, 0, 0, 0 };
	buf path = BUF_INIT;
	int failed = tree_compare(git, ptree, tree, &path, &l) < 0 ||
		pair_renames(git, ptree, tree, &l, fopts) < 0;
	buf_release(&path);
	if (!failed)
		collect_changes(&l, &it->changes, &it->n_changes);
	raw_release(&l);
	return failed ? -1 : 0;
}

/*
 * Items a..b-1, a run of parents: the parent's tree of one item is the next
 * item's own tree, so it is read once.
 */
static void diff_run(const runner *rn, git_repository *git, size_t a, size_t b)
{
	git_tree *tree = NULL;
	int have = 0;
	for (size_t i = a; i < b; i++) {
		item *it = &rn->items[i];
		if (!have && content_tree(&tree, git, &it->tree_id, rn->content) < 0) {
			item_fail(it, FAIL_OWN_TREE, N_("cannot read commit %s: %s"), &it->id);
			continue;
		}
		have = 0;
		git_tree *ptree = NULL;
		if (it->chain_error) {
			/* the walk ends here */
		} else if (it->has_parent &&
		    content_tree(&ptree, git, &it->parent_tree_id, rn->content) < 0) {
			item_fail(it, FAIL_PARENT_TREE, N_("cannot read commit %s: %s"),
				&it->parent_id);
		} else if (diff_trees(git, ptree, tree, rn->fopts, it) < 0) {
			item_fail(it, FAIL_DIFF, N_("cannot diff commit %s: %s"), &it->id);
		} else {
			have = it->has_parent;
		}
		git_tree_free(tree);
		tree = have ? ptree : NULL;
		if (!have)
			git_tree_free(ptree);
	}
	git_tree_free(tree);
}

static void take_chunks(runner *rn, git_repository *git)
{
	for (;;) {
		pthread_mutex_lock(&rn->lock);
		size_t k = rn->next < rn->n_chunks ? rn->next++ : rn->n_chunks;
		pthread_mutex_unlock(&rn->lock);
		if (k == rn->n_chunks)
			return;
		diff_run(rn, git, rn->start[k], rn->end[k]);
	}
}

static void *diff_thread(void *arg)
{
	runner *rn = arg;
	git_repository *git = NULL;
	/* a repository that does not open leaves the work to the other threads */
	if (git_repository_open_ext(&git, rn->git_path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0)
		take_chunks(rn, git);
	git_repository_free(git);
	return NULL;
}

/* Items per chunk: big enough to share trees along a run, small enough to balance. */
#define CHUNK 16

/* Diffs every item that has no result yet, on up to jobs threads (this one included). */
static void diff_items(chain *ch, git_repository *git, size_t jobs, const char *content,
	const git_diff_find_options *fopts)
{
	runner rn = { ch->v, NULL, NULL, 0, 0, PTHREAD_MUTEX_INITIALIZER, content,
		git_repository_path(git), fopts };
	size_t cap_s = 0, cap_e = 0;
	for (size_t i = 0; i < ch->n;) {
		if (ch->v[i].cached) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < ch->n && !ch->v[j].cached && j - i < CHUNK)
			j++;
		rn.start = xgrow(rn.start, sizeof(size_t), rn.n_chunks + 1, &cap_s);
		rn.end = xgrow(rn.end, sizeof(size_t), rn.n_chunks + 1, &cap_e);
		rn.start[rn.n_chunks] = i;
		rn.end[rn.n_chunks++] = j;
		i = j;
	}
	if (!(git_libgit2_features() & GIT_FEATURE_THREADS) || !rn.git_path)
		jobs = 1;
	size_t n_threads = jobs < rn.n_chunks ? jobs : rn.n_chunks;
	pthread_t *th = n_threads > 1 ? xcalloc(n_threads - 1, sizeof(pthread_t)) : NULL;
	size_t started = 0;
	for (size_t t = 1; t < n_threads; t++)
		if (pthread_create(&th[started], NULL, diff_thread, &rn) == 0)
			started++;
	take_chunks(&rn, git);
	for (size_t t = 0; t < started; t++)
		pthread_join(th[t], NULL);
	free(th);
	free(rn.start);
	free(rn.end);
	pthread_mutex_destroy(&rn.lock);
}

/* ---- the cache file ----
 *
 * What each commit changed against its first parent, for the next build:
 * only what comes from the trees (kinds, paths, blob ids), never authors or
 * messages (the .mailmap may change; e-mail addresses are never stored).
 * Layout, integers little-endian:
 *   "AVOINHST", u32 version, u32 key length, key (what the data depends on),
 *   u32 commits, for each: commit id (20 bytes), u8 has parent, parent id
 *   (20), u32 changes, for each: u8 kind, u32 path length, path, u32 old
 *   path length (0: none), old path, old blob id (20), new blob id (20);
 *   then u64 FNV-1a of everything before it.
 * A file that is missing, truncated, garbled or made for another key is
 * ignored as a whole; it is written whole to a temporary file and renamed.
 */

#define CACHE_MAGIC "AVOINHST"
/* Bump when what is stored, or how it is computed, changes. */
#define CACHE_VERSION 1
#define OID_RAW 20

typedef struct hcache {
	char *data;
	size_t len;
	htab records;       /* offset of each commit's record in data, by commit id */
	size_t n_entries;
} hcache;

typedef breader reader;

static uint64_t rd_le(reader *rd, int bytes)
{
	return br_le(rd, (size_t)bytes);
}

static const unsigned char *get_bytes(reader *rd, size_t n)
{
	return br_bytes(rd, n);
}

static uint64_t oid_hash(const unsigned char *raw)
{
	uint64_t h;
	memcpy(&h, raw, sizeof(h));
	return h;
}

/* The record of the commit whose raw id is raw, or NULL. */
static const unsigned char *hcache_record(const hcache *c, const unsigned char *raw)
{
	uint64_t h = oid_hash(raw);
	htab_iter it;
	for (size_t off = htab_first(&c->records, h, &it); off != HTAB_NONE;
	     off = htab_next(&c->records, h, &it))
		if (memcmp(c->data + off, raw, OID_RAW) == 0)
			return (const unsigned char *)c->data + off;
	return NULL;
}

/* A path of a cached change: non-empty and without NUL bytes. */
static const unsigned char *get_path(reader *rd, size_t *len)
{
	*len = (size_t)rd_le(rd, 4);
	const unsigned char *p = get_bytes(rd, *len);
	if (p && (!*len || memchr(p, '\0', *len)))
		rd->bad = 1;
	return rd->bad ? NULL : p;
}

/* Byte order (strcmp's order for strings without NUL). */
static int path_cmp(const unsigned char *a, size_t la, const unsigned char *b, size_t lb)
{
	int c = memcmp(a, b, la < lb ? la : lb);
	return c ? c : la < lb ? -1 : la > lb;
}

/* One commit's record, checked; 0 or -1. With out set, its changes too. */
static int read_record(reader *rd, git_oid *id, int *has_parent, git_oid *parent,
	history_change ***out, size_t *n_out)
{
	const unsigned char *raw = get_bytes(rd, OID_RAW);
	uint64_t hp = rd_le(rd, 1);
	const unsigned char *praw = get_bytes(rd, OID_RAW);
	uint64_t n = rd_le(rd, 4);
	if (rd->bad || hp > 1 || n > (size_t)(rd->end - rd->p) / (1 + 4 + 1 + 4 + 2 * OID_RAW))
		return -1;
	git_oid_fromraw(id, raw);
	git_oid_fromraw(parent, praw);
	*has_parent = (int)hp;
	history_change **v = out ? xcalloc(n ? n : 1, sizeof(history_change *)) : NULL;
	const unsigned char *prev = NULL;
	size_t prev_len = 0, i;
	for (i = 0; i < n; i++) {
		uint64_t kind = rd_le(rd, 1);
		size_t len, old_len = 0;
		const unsigned char *path = get_path(rd, &len);
		const unsigned char *old = NULL;
		if (!rd->bad && kind == CHANGE_RENAMED)
			old = get_path(rd, &old_len);
		else if (rd_le(rd, 4) != 0)
			rd->bad = 1;
		const unsigned char *ids = get_bytes(rd, 2 * OID_RAW);
		if (rd->bad || kind > CHANGE_DELETED ||
		    (prev && path_cmp(prev, prev_len, path, len) >= 0))
			break;
		prev = path;
		prev_len = len;
		if (!v)
			continue;
		history_change *ch = xcalloc(1, sizeof(*ch));
		ch->kind = (change_kind)kind;
		ch->path = xstrndup((const char *)path, len);
		ch->old_path = old ? xstrndup((const char *)old, old_len) : NULL;
		git_oid o;
		if (kind != CHANGE_ADDED) {
			git_oid_fromraw(&o, ids);
			git_oid_tostr(ch->old_oid, sizeof(ch->old_oid), &o);
		}
		if (kind != CHANGE_DELETED) {
			git_oid_fromraw(&o, ids + OID_RAW);
			git_oid_tostr(ch->new_oid, sizeof(ch->new_oid), &o);
		}
		v[i] = ch;
	}
	if (i < n) {
		if (v)
			changes_free(v, i);
		return -1;
	}
	if (out) {
		*out = v;
		*n_out = (size_t)n;
	}
	return 0;
}

static void hcache_release(hcache *c)
{
	free(c->data);
	htab_free(&c->records);
	memset(c, 0, sizeof(*c));
}

/* Loads file when it is whole and made for key; otherwise c stays empty. */
static void hcache_load(hcache *c, const char *file, const char *key)
{
	struct stat st;
	memset(c, 0, sizeof(*c));
	if (stat(file, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (off_t)1 << 31 ||
	    read_file(file, &c->data, &c->len) != 0)
		return;
	const unsigned char *u = (const unsigned char *)c->data;
	size_t klen = strlen(key);
	reader rd = { u, u + c->len, 0 }, sum = { u + c->len - 8, u + c->len, 0 };
	if (c->len < 8 + 4 + 4 + 4 + 8 || rd_le(&sum, 8) != fnv1a(FNV1A_INIT, u, c->len - 8))
		goto bad;
	rd.end -= 8;
	const unsigned char *magic = get_bytes(&rd, 8);
	if (memcmp(magic, CACHE_MAGIC, 8) != 0 || rd_le(&rd, 4) != CACHE_VERSION ||
	    rd_le(&rd, 4) != klen)
		goto bad;
	const unsigned char *k = get_bytes(&rd, klen);
	uint64_t n = rd_le(&rd, 4);
	if (rd.bad || memcmp(k, key, klen) != 0 || n > (size_t)(rd.end - rd.p) / (2 * OID_RAW + 5))
		goto bad;
	htab_reserve(&c->records, (size_t)n);
	for (uint64_t i = 0; i < n; i++) {
		const unsigned char *rec = rd.p;
		git_oid id, parent;
		int hp;
		if (read_record(&rd, &id, &hp, &parent, NULL, NULL) < 0)
			goto bad;
		if (!hcache_record(c, rec)) /* a repeated commit: the first record counts */
			htab_add(&c->records, oid_hash(rec), (size_t)(rec - (const unsigned char *)c->data));
	}
	if (rd.p != rd.end)
		goto bad;
	c->n_entries = (size_t)n;
	return;
bad:
	hcache_release(c);
}

/* it's changes from the cache, when it has them for the same commit and parent. */
static void hcache_apply(const hcache *c, item *it)
{
	const unsigned char *rec = c->n_entries ? hcache_record(c, it->id.id) : NULL;
	if (!rec)
		return;
	reader rd = { rec, (const unsigned char *)c->data + c->len - 8, 0 };
	git_oid id, parent;
	int hp;
	history_change **v;
	size_t n;
	if (read_record(&rd, &id, &hp, &parent, &v, &n) < 0)
		return;
	if (hp != it->has_parent || (hp && !git_oid_equal(&parent, &it->parent_id))) {
		changes_free(v, n);
		return;
	}
	it->changes = v;
	it->n_changes = n;
	it->cached = 1;
}

static void put_oid_hex(buf *b, const char *hex)
{
	git_oid o;
	if (!*hex || git_oid_fromstr(&o, hex) < 0)
		memset(&o, 0, sizeof(o));
	buf_put(b, o.id, OID_RAW);
}

/* Best effort: a cache that cannot be written only costs the next build its shortcut. */
static void hcache_save(const char *file, const char *key, const chain *ch)
{
	buf b = BUF_INIT;
	buf_put(&b, CACHE_MAGIC, 8);
	buf_put_le(&b, CACHE_VERSION, 4);
	buf_put_le(&b, strlen(key), 4);
	buf_puts(&b, key);
	buf_put_le(&b, ch->n, 4);
	for (size_t i = 0; i < ch->n; i++) {
		const item *it = &ch->v[i];
		history_change **v = it->hc ? it->hc->changes : it->changes;
		size_t n = it->hc ? it->hc->n_changes : it->n_changes;
		buf_put(&b, it->id.id, OID_RAW);
		buf_put_le(&b, (uint64_t)it->has_parent, 1);
		static const unsigned char none[OID_RAW];
		buf_put(&b, it->has_parent ? it->parent_id.id : none, OID_RAW);
		buf_put_le(&b, n, 4);
		for (size_t j = 0; j < n; j++) {
			buf_put_le(&b, (uint64_t)v[j]->kind, 1);
			buf_put_le(&b, strlen(v[j]->path), 4);
			buf_puts(&b, v[j]->path);
			const char *old = v[j]->old_path ? v[j]->old_path : "";
			buf_put_le(&b, strlen(old), 4);
			buf_puts(&b, old);
			put_oid_hex(&b, v[j]->old_oid);
			put_oid_hex(&b, v[j]->new_oid);
		}
	}
	buf_put_le(&b, fnv1a(FNV1A_INIT, b.ptr, b.len), 8);

	atomic_file a;
	FILE *f = atomic_open(&a, file);
	atomic_commit(&a, f && fwrite(b.ptr, 1, b.len, f) == b.len, 0);
	buf_release(&b);
}

/* What the cached changes depend on besides the two commits. */
static char *cache_key_text(repo *r)
{
	int major = 0, minor = 0, rev = 0;
	git_libgit2_version(&major, &minor, &rev);
	int32_t limit = 0;
	git_config *cfg = NULL;
	if (git_repository_config_snapshot(&cfg, repo_git(r)) < 0 ||
	    git_config_get_int32(&limit, cfg, "diff.renamelimit") < 0)
		limit = 0;
	git_config_free(cfg);
	return xasprintf("content %s\nlibgit2 %d.%d.%d\nrenamelimit %ld\n", repo_content_prefix(r),
		major, minor, rev, (long)limit);
}

/* ---- the walk ---- */

static int walk(history *h, repo *r, const history_opts *o, diag_list *d)
{
	git_repository *git = repo_git(r);
	char *content = xstrdup(repo_content_prefix(r));
	if (*content)
		content[strlen(content) - 1] = '\0';
	mailmaps mm = { NULL, NULL };
	git_diff_find_options fopts;
	git_diff_find_options_init(&fopts, GIT_DIFF_FIND_OPTIONS_VERSION);
	fopts.flags = GIT_DIFF_FIND_RENAMES;
	chain ch = { NULL, 0, 0 };
	hcache hc = { NULL, 0, { NULL, 0, 0 }, 0 };
	char *key = NULL;
	int ret = -1;

	if (read_chain(&ch, r, d) < 0)
		goto out;
	size_t n_cached = 0;
	if (o->cache_file) {
		key = cache_key_text(r);
		hcache_load(&hc, o->cache_file, key);
		for (size_t i = 0; i < ch.n; i++) {
			if (!ch.v[i].chain_error)
				hcache_apply(&hc, &ch.v[i]);
			n_cached += ch.v[i].cached;
		}
	}
	if (n_cached < ch.n)
		diff_items(&ch, git, o->jobs ? o->jobs : 1, content, &fopts);

	/* in chain order, as the serial walk met them */
	load_mailmaps(&mm, r);
	for (size_t i = 0; i < ch.n; i++) {
		item *it = &ch.v[i];
		if (it->failed == FAIL_OWN_TREE || it->chain_error) {
			diag_error(d, NULL, 0, "%s", it->failed == FAIL_OWN_TREE ? it->error :
				it->chain_error);
			goto out;
		}
		if (it->shallow)
			shallow_warning(d, it->commit);
		if (it->failed) {
			diag_error(d, NULL, 0, "%s", it->error);
			goto out;
		}
		if (!it->n_changes)
			continue;
		history_commit *c = commit_new(it->commit, &mm);
		c->changes = it->changes;
		c->n_changes = it->n_changes;
		it->changes = NULL;
		it->n_changes = 0;
		for (size_t j = 0; j < c->n_changes; j++)
			c->changes[j]->commit = c;
		it->hc = c;
		c->seq = h->n_commits;
		h->commits = xgrow(h->commits, sizeof(history_commit *), h->n_commits + 1,
			&h->cap_commits);
		h->commits[h->n_commits++] = c;
		index_commit(h, c);
	}
	if (o->cache_file && (n_cached < ch.n || hc.n_entries != ch.n))
		hcache_save(o->cache_file, key, &ch);
	ret = 0;
out:
	chain_release(&ch);
	hcache_release(&hc);
	free(key);
	git_mailmap_free(mm.content);
	git_mailmap_free(mm.repo);
	free(content);
	return ret;
}

static int cmp_pentry(const void *a, const void *b)
{
	return strcmp((*(pentry *const *)a)->path, (*(pentry *const *)b)->path);
}

int history_build(history **out, repo *r, const history_opts *o, diag_list *d)
{
	static const history_opts serial = { 1, NULL };
	history *h = xcalloc(1, sizeof(*h));
	*out = NULL;
	if (repo_commit(r) && walk(h, r, o ? o : &serial, d) < 0) {
		history_free(h);
		return -1;
	}
	size_t cap_d = 0, cap_r = 0;
	for (size_t i = 0; i < h->n_paths; i++) {
		pentry *p = h->paths[i];
		if (p->fate == FATE_DELETED) {
			h->deleted = xgrow(h->deleted, sizeof(pentry *), h->n_deleted + 1, &cap_d);
			h->deleted[h->n_deleted++] = p;
		} else if (p->fate == FATE_RENAMED) {
			h->renamed = xgrow(h->renamed, sizeof(pentry *), h->n_renamed + 1, &cap_r);
			h->renamed[h->n_renamed++] = p;
		}
	}
	/* sorted, so that nothing depends on the hash table's order */
	if (h->n_deleted > 1)
		qsort(h->deleted, h->n_deleted, sizeof(pentry *), cmp_pentry);
	if (h->n_renamed > 1)
		qsort(h->renamed, h->n_renamed, sizeof(pentry *), cmp_pentry);
	*out = h;
	return 0;
}

void history_free(history *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n_commits; i++)
		commit_free(h->commits[i]);
	free(h->commits);
	for (size_t i = 0; i < h->n_paths; i++) {
		free(h->paths[i]->path);
		free(h->paths[i]->changes);
		free(h->paths[i]);
	}
	free(h->paths);
	htab_free(&h->path_index);
	free(h->deleted);
	free(h->renamed);
	free(h);
}

size_t history_commit_count(const history *h)
{
	return h->n_commits;
}

const history_commit *history_commit_at(const history *h, size_t i)
{
	return i < h->n_commits ? h->commits[i] : NULL;
}

history_change *const *history_for_path(const history *h, const char *path, size_t *n)
{
	pentry *p = path_find(h, path);
	*n = 0;
	if (!p || !p->target || !p->target->n)
		return NULL;
	*n = p->target->n;
	return p->target->changes;
}

size_t history_deleted_count(const history *h)
{
	return h->n_deleted;
}

const char *history_deleted_at(const history *h, size_t i)
{
	return i < h->n_deleted ? h->deleted[i]->path : NULL;
}

size_t history_renamed_count(const history *h)
{
	return h->n_renamed;
}

void history_renamed_at(const history *h, size_t i, const char **old_path, const char **new_path)
{
	*old_path = *new_path = NULL;
	if (i >= h->n_renamed)
		return;
	*old_path = h->renamed[i]->path;
	*new_path = h->renamed[i]->target->path;
}
