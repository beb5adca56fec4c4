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
 */
#include "history.h"

#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "util.h"
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
	pentry **slots;         /* open addressing, power-of-two size */
	size_t n_slots, n_paths;
	pentry **deleted;
	size_t n_deleted;
	pentry **renamed;
	size_t n_renamed;
};

static const char *git_msg(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "unknown error";
}

/* ---- the path table ---- */

static pentry **slot_for(pentry **slots, size_t n_slots, const char *path)
{
	size_t i = (size_t)str_hash(path) & (n_slots - 1);
	while (slots[i] && strcmp(slots[i]->path, path) != 0)
		i = (i + 1) & (n_slots - 1);
	return &slots[i];
}

static pentry *path_find(const history *h, const char *path)
{
	if (!h->n_slots)
		return NULL;
	return *slot_for(h->slots, h->n_slots, path);
}

static pentry *path_get(history *h, const char *path)
{
	if ((h->n_paths + 1) * 2 > h->n_slots) {
		size_t n = h->n_slots ? h->n_slots * 2 : 1024;
		pentry **slots = xcalloc(n, sizeof(pentry *));
		for (size_t i = 0; i < h->n_slots; i++)
			if (h->slots[i])
				*slot_for(slots, n, h->slots[i]->path) = h->slots[i];
		free(h->slots);
		h->slots = slots;
		h->n_slots = n;
	}
	pentry **s = slot_for(h->slots, h->n_slots, path);
	if (!*s) {
		*s = xcalloc(1, sizeof(pentry));
		(*s)->path = xstrdup(path);
		h->n_paths++;
	}
	return *s;
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

/* The content folder's tree in a commit, or NULL when it has none. */
static int content_tree(git_tree **out, git_repository *git, git_commit *c, const char *content)
{
	git_tree *root;
	git_tree_entry *e = NULL;
	*out = NULL;
	if (git_commit_tree(&root, c) < 0)
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

static char *author_name(const mailmaps *mm, const git_signature *sig)
{
	const char *name = sig->name, *email = sig->email;
	if (mm->content &&
	    git_mailmap_resolve(&name, &email, mm->content, sig->name, sig->email) == 0 &&
	    (name != sig->name || email != sig->email))
		return xstrdup(name);
	name = sig->name;
	if (mm->repo && git_mailmap_resolve(&name, &email, mm->repo, sig->name, sig->email) < 0)
		name = sig->name;
	return xstrdup(name);
}

static char *trim_end(const char *s, size_t n)
{
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
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

/*
 * Pairs deletions with additions into renames, by libgit2's rename detection
 * (similarity 50%, as git's). It diffs only the deepest folder that holds
 * every added and deleted file, usually one record's folder.
 */
static int pair_renames(git_repository *git, git_tree *old_root, git_tree *new_root, rawlist *l,
	const git_diff_options *dopts, const git_diff_find_options *fopts)
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
	int ret = -1;
	if (!ta || !tb || git_diff_tree_to_tree(&diff, git, ta, tb, dopts) < 0 ||
	    git_diff_find_similar(diff, fopts) < 0)
		goto out;
	qsort(l->v, l->n, sizeof(rawc), cmp_raw);
	buf op = BUF_INIT, np = BUF_INIT;
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
	buf_release(&op);
	buf_release(&np);
	ret = 0;
out:
	git_diff_free(diff);
	git_tree_free(ta);
	git_tree_free(tb);
	buf_release(&dir);
	return ret;
}

static void collect_changes(history_commit *hc, rawlist *l)
{
	size_t cap = 0;
	for (size_t i = 0; i < l->n; i++) {
		rawc *c = &l->v[i];
		if (c->gone)
			continue;
		history_change *ch = xcalloc(1, sizeof(*ch));
		ch->commit = hc;
		ch->kind = c->kind;
		ch->path = c->path;
		ch->old_path = c->old_path;
		c->path = c->old_path = NULL;
		if (ch->kind != CHANGE_ADDED)
			git_oid_tostr(ch->old_oid, sizeof(ch->old_oid), &c->old_id);
		if (ch->kind != CHANGE_DELETED)
			git_oid_tostr(ch->new_oid, sizeof(ch->new_oid), &c->new_id);
		hc->changes = xgrow(hc->changes, sizeof(history_change *), hc->n_changes + 1, &cap);
		hc->changes[hc->n_changes++] = ch;
	}
	if (hc->n_changes > 1)
		qsort(hc->changes, hc->n_changes, sizeof(history_change *), cmp_change);
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

static int walk(history *h, repo *r, diag_list *d)
{
	git_repository *git = repo_git(r);
	char *content = xstrdup(repo_content_prefix(r));
	if (*content)
		content[strlen(content) - 1] = '\0';
	mailmaps mm = { NULL, NULL };
	load_mailmaps(&mm, r);
	git_diff_options dopts;
	git_diff_find_options fopts;
	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	git_diff_find_options_init(&fopts, GIT_DIFF_FIND_OPTIONS_VERSION);
	fopts.flags = GIT_DIFF_FIND_RENAMES;
	int shallow = git_repository_is_shallow(git) == 1;
	int ret = -1;

	git_commit *c = NULL, *parent = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	if (git_commit_dup(&c, repo_commit(r)) < 0 || content_tree(&tree, git, c, content) < 0) {
		diag_error(d, NULL, 0, "cannot read commit %s: %s", repo_commit_id(r), git_msg());
		goto out;
	}
	while (c) {
		parent = NULL;
		ptree = NULL;
		if (git_commit_parentcount(c) > 0 && git_commit_parent(&parent, c, 0) < 0) {
			if (!shallow) {
				diag_error(d, NULL, 0, "cannot read the parent of commit %s: %s",
					git_oid_tostr_s(git_commit_id(c)), git_msg());
				goto out;
			}
			shallow_warning(d, c);
			parent = NULL; /* the grafted commit acts as a root */
		}
		if (parent && content_tree(&ptree, git, parent, content) < 0) {
			diag_error(d, NULL, 0, "cannot read commit %s: %s",
				git_oid_tostr_s(git_commit_id(parent)), git_msg());
			goto out;
		}
		int same = (!tree && !ptree) ||
			(tree && ptree && git_oid_equal(git_tree_id(tree), git_tree_id(ptree)));
		if (!same) {
			rawlist l = { NULL, 0, 0, 0, 0 };
			buf path = BUF_INIT;
			int failed = tree_compare(git, ptree, tree, &path, &l) < 0 ||
				pair_renames(git, ptree, tree, &l, &dopts, &fopts) < 0;
			buf_release(&path);
			if (failed) {
				diag_error(d, NULL, 0, "cannot diff commit %s: %s",
					git_oid_tostr_s(git_commit_id(c)), git_msg());
				raw_release(&l);
				goto out;
			}
			history_commit *hc = commit_new(c, &mm);
			collect_changes(hc, &l);
			raw_release(&l);
			if (hc->n_changes) {
				h->commits = xgrow(h->commits, sizeof(history_commit *),
					h->n_commits + 1, &h->cap_commits);
				h->commits[h->n_commits++] = hc;
				index_commit(h, hc);
			} else {
				commit_free(hc);
			}
		}
		git_commit_free(c);
		git_tree_free(tree);
		c = parent;
		tree = ptree;
		parent = NULL;
		ptree = NULL;
	}
	ret = 0;
out:
	git_commit_free(c);
	git_commit_free(parent);
	git_tree_free(tree);
	git_tree_free(ptree);
	git_mailmap_free(mm.content);
	git_mailmap_free(mm.repo);
	free(content);
	return ret;
}

static int cmp_pentry(const void *a, const void *b)
{
	return strcmp((*(pentry *const *)a)->path, (*(pentry *const *)b)->path);
}

int history_build(history **out, repo *r, diag_list *d)
{
	history *h = xcalloc(1, sizeof(*h));
	*out = NULL;
	if (repo_commit(r) && walk(h, r, d) < 0) {
		history_free(h);
		return -1;
	}
	size_t cap_d = 0, cap_r = 0;
	for (size_t i = 0; i < h->n_slots; i++) {
		pentry *p = h->slots[i];
		if (!p)
			continue;
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
	for (size_t i = 0; i < h->n_slots; i++) {
		if (!h->slots[i])
			continue;
		free(h->slots[i]->path);
		free(h->slots[i]->changes);
		free(h->slots[i]);
	}
	free(h->slots);
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
