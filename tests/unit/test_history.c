/* Unit tests of the history module, on repositories made with the git command line. */
#define _GNU_SOURCE /* memmem */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "history.h"
#include "repo.h"
#include "test.h"
#include "util.h"

static char top[] = "/tmp/avoin-test-history-XXXXXX";

#include "shell_fixture.h"

/* Commits everything as author "who <email>" at date (author and committer date). */
static int commit(const char *dir, const char *date, const char *who, const char *email,
	const char *msg)
{
	return sh(dir, "git add -A && GIT_AUTHOR_NAME='%s' GIT_AUTHOR_EMAIL='%s' "
		"GIT_AUTHOR_DATE='%s' GIT_COMMITTER_DATE='%s' git -c user.name=Committer "
		"-c user.email=committer@example.org commit -q -m '%s'",
		who, email, date, date, msg);
}

/* A text long enough for rename detection to see its edits as small. */
static char *body(const char *last_line)
{
	buf b = BUF_INIT;
	buf_puts(&b, "---\ntitle: Sopimus\n---\n");
	for (int i = 0; i < 20; i++)
		buf_printf(&b, "Kappale %d hyvinvoinnin ja terveyden edistämisestä.\n", i);
	buf_puts(&b, last_line);
	return buf_detach(&b, NULL);
}

static void write_body(const char *dir, const char *path, const char *last_line)
{
	char *t = body(last_line);
	write_at(dir, path, t);
	free(t);
}

static char *ids[16]; /* commit ids of the fixture, by step */

static char *head_of(const char *dir)
{
	return sh_out(dir, "git rev-parse HEAD");
}

/*
 * The story of repository "h" (content in content/):
 *  0 add r/a.md, r/d.md, r/e.md, r/f.md, r/m.md (Maija, mailmapped by content/.mailmap)
 *  1 edit a.md (Pekka, mailmapped by the repository's .mailmap)
 *  - a commit outside the content folder, and one changing only content/.mailmap
 *  2 edit a.md (Someone)
 *  3 rename m.md -> n.md   4 edit n.md   5 rename n.md -> p.md with an edit
 *  6 delete d.md
 *  branch "side": edit e.md; main: 7 edit f.md; 8 merge side
 */
static int make_repo(void)
{
	static int made = -1;
	if (made >= 0)
		return made;
	made = 0;
	const char *M = "Maija Meikäläinen", *Me = "maija@old.example";
	if (sh(".", "git init -q -b main h"))
		return 0;
	write_body("h", "content/r/a.md", "v1\n");
	write_body("h", "content/r/d.md", "d\n");
	write_body("h", "content/r/e.md", "e\n");
	write_body("h", "content/r/f.md", "f\n");
	write_body("h", "content/r/m.md", "m\n");
	write_at("h", "content/.mailmap",
		"Maija Virtanen <maija@new.example> <maija@old.example>\n");
	write_at("h", ".mailmap", "Pekka Oikea <pekka@example.org> <pekka@vanha.example>\n"
		"Ei Tämä <x@example.org> <maija@old.example>\n");
	if (commit("h", "2023-01-10T12:00:00+02:00", M, Me, "Ensimmäinen versio"))
		return 0;
	ids[0] = head_of("h");
	write_body("h", "content/r/a.md", "v2\n");
	if (commit("h", "2023-02-10T12:00:00+02:00", "Pekka Väärä", "pekka@vanha.example",
		"Toinen"))
		return 0;
	ids[1] = head_of("h");
	write_at("h", "other/x.txt", "outside\n");
	if (commit("h", "2023-02-11T12:00:00+02:00", M, Me, "Ei sisältöä"))
		return 0;
	write_at("h", "content/.mailmap",
		"Maija Virtanen <maija@new.example> <maija@old.example>\n\n");
	if (commit("h", "2023-02-12T12:00:00+02:00", M, Me, "Vain mailmap"))
		return 0;
	write_body("h", "content/r/a.md", "v3\n");
	if (commit("h", "2023-03-10T23:30:00-05:00", "Someone Else", "s@example.org",
		"Kolmas\n\nPitkä selitys.\n"))
		return 0;
	ids[2] = head_of("h");
	if (sh("h", "git mv content/r/m.md content/r/n.md") ||
	    commit("h", "2023-04-01T12:00:00+03:00", M, Me, "Nimi n"))
		return 0;
	ids[3] = head_of("h");
	write_body("h", "content/r/n.md", "n\n");
	if (commit("h", "2023-04-02T12:00:00+03:00", M, Me, "Muokkaus n"))
		return 0;
	ids[4] = head_of("h");
	if (sh("h", "git mv content/r/n.md content/r/p.md"))
		return 0;
	write_body("h", "content/r/p.md", "p\n");
	if (commit("h", "2023-04-03T12:00:00+03:00", M, Me, "Nimi p"))
		return 0;
	ids[5] = head_of("h");
	if (sh("h", "git rm -q content/r/d.md") ||
	    commit("h", "2023-05-01T12:00:00+03:00", M, Me, "Poisto"))
		return 0;
	ids[6] = head_of("h");
	if (sh("h", "git checkout -q -b side"))
		return 0;
	write_body("h", "content/r/e.md", "e side\n");
	if (commit("h", "2023-05-02T12:00:00+03:00", M, Me, "Sivuhaara"))
		return 0;
	ids[9] = head_of("h");
	if (sh("h", "git checkout -q main"))
		return 0;
	write_body("h", "content/r/f.md", "f main\n");
	if (commit("h", "2023-05-03T12:00:00+03:00", M, Me, "Päähaara"))
		return 0;
	ids[7] = head_of("h");
	if (sh("h", "GIT_AUTHOR_DATE='2023-05-04T12:00:00+03:00' GIT_COMMITTER_DATE="
		"'2023-05-04T12:00:00+03:00' git -c user.name=Yhdistäjä "
		"-c user.email=y@example.org merge -q --no-ff -m Yhdistys side"))
		return 0;
	ids[8] = head_of("h");
	made = 1;
	return made;
}

static repo *open_repo(const char *dir, const char *content, int worktree, diag_list *d)
{
	char *path = xasprintf("%s/%s", top, dir);
	repo_opts o = { path, NULL, content, worktree };
	repo *r = NULL;
	repo_open(&r, &o, d);
	free(path);
	return r;
}

static history *build(const char *dir, repo **r, diag_list *d)
{
	history *h = NULL;
	*r = open_repo(dir, NULL, 0, d);
	if (*r && history_build(&h, *r, NULL, d) < 0)
		h = NULL;
	return h;
}

static void record_edits_newest_first(void)
{
	if (!make_repo())
		SKIP("git cannot create the fixture");
	diag_list d = DIAG_LIST_INIT;
	repo *r;
	history *h = build("h", &r, &d);
	CHECK(h != NULL && d.n == 0);
	if (!h) {
		repo_free(r);
		diag_release(&d);
		return;
	}
	size_t n;
	history_change *const *c = history_for_path(h, "r/a.md", &n);
	CHECK(n == 3);
	if (n == 3) {
		CHECK_STR(c[0]->commit->id, ids[2]);
		CHECK(c[0]->kind == CHANGE_MODIFIED);
		CHECK_STR(c[0]->commit->author, "Someone Else");
		CHECK(c[0]->commit->time == 1678509000 && c[0]->commit->offset == -300);
		CHECK_STR(c[0]->commit->summary, "Kolmas");
		CHECK_STR(c[0]->commit->message, "Kolmas\n\nPitkä selitys.");
		CHECK(strlen(c[0]->commit->short_id) == 7);
		CHECK(!strncmp(c[0]->commit->short_id, ids[2], 7));
		CHECK_STR(c[1]->commit->id, ids[1]);
		/* the repository's .mailmap */
		CHECK_STR(c[1]->commit->author, "Pekka Oikea");
		CHECK(c[1]->commit->time == 1676023200 && c[1]->commit->offset == 120);
		CHECK_STR(c[2]->commit->id, ids[0]);
		/* content/.mailmap comes first */
		CHECK_STR(c[2]->commit->author, "Maija Virtanen");
		CHECK(c[2]->kind == CHANGE_ADDED && c[2]->old_oid[0] == '\0');
		CHECK(c[1]->old_oid[0] && !strcmp(c[1]->old_oid, c[2]->new_oid));
		CHECK_STR(c[2]->path, "r/a.md");
		CHECK(c[2]->old_path == NULL);
	}
	/* commits outside the content folder and dot-file-only commits are not listed */
	CHECK(history_commit_count(h) == 9);
	for (size_t i = 0; i < history_commit_count(h); i++) {
		const history_commit *hc = history_commit_at(h, i);
		CHECK(strchr(hc->author, '@') == NULL);
		CHECK(strcmp(hc->summary, "Ei sisältöä") != 0);
		CHECK(strcmp(hc->summary, "Vain mailmap") != 0);
		CHECK(hc->n_changes > 0);
		if (i)
			CHECK(hc->time <= history_commit_at(h, i - 1)->time);
	}
	CHECK(history_commit_at(h, 9) == NULL);
	const history_commit *first = history_commit_at(h, 8);
	CHECK(first->n_changes == 5);
	CHECK_STR(first->changes[0]->path, "r/a.md");
	CHECK_STR(first->changes[4]->path, "r/m.md");
	CHECK(history_for_path(h, "r/nothing.md", &n) == NULL && n == 0);
	history_free(h);
	repo_free(r);
	diag_release(&d);
}

static void renames_are_followed(void)
{
	if (!make_repo())
		SKIP("git cannot create the fixture");
	diag_list d = DIAG_LIST_INIT;
	repo *r;
	history *h = build("h", &r, &d);
	CHECK(h != NULL);
	if (!h) {
		repo_free(r);
		diag_release(&d);
		return;
	}
	size_t n;
	history_change *const *c = history_for_path(h, "r/p.md", &n);
	CHECK(n == 4);
	if (n == 4) {
		CHECK(c[0]->kind == CHANGE_RENAMED);
		CHECK_STR(c[0]->path, "r/p.md");
		CHECK_STR(c[0]->old_path, "r/n.md");
		CHECK(strcmp(c[0]->old_oid, c[0]->new_oid) != 0); /* renamed and edited */
		CHECK_STR(c[0]->commit->id, ids[5]);
		CHECK(c[1]->kind == CHANGE_MODIFIED);
		CHECK_STR(c[1]->path, "r/n.md");
		CHECK(c[2]->kind == CHANGE_RENAMED);
		CHECK_STR(c[2]->old_path, "r/m.md");
		CHECK_STR(c[2]->old_oid, c[2]->new_oid);
		CHECK(c[3]->kind == CHANGE_ADDED);
		CHECK_STR(c[3]->path, "r/m.md");
		CHECK_STR(c[3]->commit->id, ids[0]);
	}
	/* an old path leads to the file's history too */
	size_t n2;
	CHECK(history_for_path(h, "r/m.md", &n2) == c && n2 == 4);
	CHECK(history_renamed_count(h) == 2);
	const char *o, *nw;
	history_renamed_at(h, 0, &o, &nw);
	CHECK_STR(o, "r/m.md");
	CHECK_STR(nw, "r/p.md");
	history_renamed_at(h, 1, &o, &nw);
	CHECK_STR(o, "r/n.md");
	CHECK_STR(nw, "r/p.md");
	history_renamed_at(h, 2, &o, &nw);
	CHECK(o == NULL && nw == NULL);
	history_free(h);
	repo_free(r);
	diag_release(&d);
}

static void deletions_are_listed(void)
{
	if (!make_repo())
		SKIP("git cannot create the fixture");
	diag_list d = DIAG_LIST_INIT;
	repo *r;
	history *h = build("h", &r, &d);
	CHECK(h != NULL);
	if (!h) {
		repo_free(r);
		diag_release(&d);
		return;
	}
	CHECK(history_deleted_count(h) == 1);
	CHECK_STR(history_deleted_at(h, 0), "r/d.md");
	CHECK(history_deleted_at(h, 1) == NULL);
	size_t n;
	history_change *const *c = history_for_path(h, "r/d.md", &n);
	CHECK(n == 2);
	if (n == 2) {
		CHECK(c[0]->kind == CHANGE_DELETED);
		CHECK_STR(c[0]->commit->id, ids[6]);
		CHECK(c[0]->new_oid[0] == '\0' && c[0]->old_oid[0] != '\0');
		CHECK(c[1]->kind == CHANGE_ADDED);
	}
	history_free(h);
	repo_free(r);
	diag_release(&d);
}

static void merges_do_not_duplicate(void)
{
	if (!make_repo())
		SKIP("git cannot create the fixture");
	diag_list d = DIAG_LIST_INIT;
	repo *r;
	history *h = build("h", &r, &d);
	CHECK(h != NULL);
	if (!h) {
		repo_free(r);
		diag_release(&d);
		return;
	}
	size_t n;
	history_change *const *c = history_for_path(h, "r/e.md", &n);
	CHECK(n == 2);
	if (n == 2) {
		CHECK_STR(c[0]->commit->id, ids[8]); /* the merge brings the branch's edit, once */
		CHECK_STR(c[0]->commit->author, "Yhdistäjä");
		CHECK(c[0]->commit->n_changes == 1);
		CHECK_STR(c[1]->commit->id, ids[0]);
	}
	c = history_for_path(h, "r/f.md", &n);
	CHECK(n == 2 && !strcmp(c[0]->commit->id, ids[7]));
	for (size_t i = 0; i < history_commit_count(h); i++)
		CHECK(strcmp(history_commit_at(h, i)->id, ids[9]) != 0);
	CHECK_STR(history_commit_at(h, 0)->id, ids[8]);
	history_free(h);
	repo_free(r);
	diag_release(&d);
}

static void shallow_clone_warns(void)
{
	if (!make_repo())
		SKIP("git cannot create the fixture");
	char *url = xasprintf("git clone -q --depth 2 file://%s/h shallow", top);
	if (sh(".", "%s", url)) {
		free(url);
		SKIP("git cannot make a shallow clone");
	}
	free(url);
	diag_list d = DIAG_LIST_INIT;
	repo *r;
	history *h = build("shallow", &r, &d);
	CHECK(h != NULL && d.errors == 0 && d.n == 1);
	char *want = xasprintf("warning: shallow clone: history before %.7s (2023-05-03) "
		"is missing; record dates may be wrong (run 'git fetch --unshallow')", ids[7]);
	CHECK(diag_contains(&d, want));
	free(want);
	if (h) {
		/* the grafted commit acts as a root: everything is "added" there */
		CHECK(history_commit_count(h) == 2);
		size_t n;
		history_change *const *c = history_for_path(h, "r/a.md", &n);
		CHECK(n == 1 && c[0]->kind == CHANGE_ADDED && !strcmp(c[0]->commit->id, ids[7]));
	}
	history_free(h);
	repo_free(r);
	diag_release(&d);
}

static void whole_repository_as_content(void)
{
	/* content = the whole repository: its own .mailmap is the content's; a path deleted and
	 * added again has one history and is not deleted */
	if (sh(".", "git init -q -b main w"))
		SKIP("git cannot create the fixture");
	write_at("w", ".mailmap", "Oikea Nimi <o@example.org> <vanha@example.org>\n");
	write_at("w", "x.md", "eka\n");
	CHECK(commit("w", "2024-01-01T10:00:00Z", "Vanha", "vanha@example.org", "x") == 0);
	CHECK(sh("w", "git rm -q x.md") == 0);
	CHECK(commit("w", "2024-01-02T10:00:00Z", "Vanha", "vanha@example.org", "pois") == 0);
	write_at("w", "x.md", "toka, aivan eri\n");
	CHECK(commit("w", "2024-01-03T10:00:00Z", "Vanha", "vanha@example.org", "takaisin") == 0);
	write_at("w", "x.md", "kolmas\n");
	diag_list d = DIAG_LIST_INIT;
	repo *r = open_repo("w", ".", 1, &d); /* the working tree: history still from HEAD */
	history *h = NULL;
	CHECK(r && history_build(&h, r, NULL, &d) == 0 && d.n == 0);
	if (h) {
		size_t n;
		history_change *const *c = history_for_path(h, "x.md", &n);
		CHECK(n == 3);
		CHECK(n == 3 && c[0]->kind == CHANGE_ADDED && c[1]->kind == CHANGE_DELETED &&
			c[2]->kind == CHANGE_ADDED);
		CHECK(n && !strcmp(c[0]->commit->author, "Oikea Nimi"));
		CHECK(history_deleted_count(h) == 0 && history_renamed_count(h) == 0);
		CHECK(history_commit_count(h) == 3);
	}
	history_free(h);
	repo_free(r);
	diag_release(&d);
}

static void no_commits_no_history(void)
{
	if (sh(".", "git init -q -b main empty"))
		SKIP("git cannot create the fixture");
	write_at("empty", "content/x.md", "x\n");
	diag_list d = DIAG_LIST_INIT;
	repo *r = open_repo("empty", NULL, 1, &d);
	history *h = NULL;
	CHECK(r && history_build(&h, r, NULL, &d) == 0 && h);
	if (h) {
		size_t n = 9;
		CHECK(history_commit_count(h) == 0 && history_commit_at(h, 0) == NULL);
		CHECK(history_for_path(h, "x.md", &n) == NULL && n == 0);
		CHECK(history_deleted_count(h) == 0 && history_renamed_count(h) == 0);
	}
	history_free(h);
	repo_free(r);
	diag_release(&d);
}

static void missing_parent_is_an_error(void)
{
	/* not shallow, yet a parent is missing: a broken repository, an error and not a warning */
	if (!make_repo() || sh(".", "cp -R h broken"))
		SKIP("git cannot create the fixture");
	/* the fixture's objects are loose: one file per object */
	char *obj = xasprintf(".git/objects/%.2s/%s", ids[6], ids[6] + 2);
	int ok = sh("broken", "test -f %s && rm -f %s", obj, obj) == 0;
	free(obj);
	if (!ok)
		SKIP("the commit is not a loose object");
	diag_list d = DIAG_LIST_INIT;
	history *h = NULL;
	repo *r = open_repo("broken", NULL, 0, &d);
	CHECK(r != NULL);
	if (r) {
		CHECK(history_build(&h, r, NULL, &d) == -1 && h == NULL);
		char *want = xasprintf("cannot read the parent of commit %s: ", ids[7]);
		CHECK(diag_contains(&d, want));
		free(want);
	}
	history_free(h);
	repo_free(r);
	diag_release(&d);
}

/* ---- threads and the cache ---- */

static const char *kind_name(change_kind k)
{
	return k == CHANGE_ADDED ? "added" : k == CHANGE_MODIFIED ? "modified" :
		k == CHANGE_RENAMED ? "renamed" : "deleted";
}

/* The whole history as text: commits, changes, every path's lineage, deletions, renames. */
static char *dump(const history *h)
{
	buf b = BUF_INIT;
	for (size_t i = 0; i < history_commit_count(h); i++) {
		const history_commit *c = history_commit_at(h, i);
		buf_printf(&b, "commit %s %s %s %lld %d %s\n%s\n", c->id, c->short_id, c->author,
			(long long)c->time, c->offset, c->summary, c->message);
		for (size_t j = 0; j < c->n_changes; j++) {
			const history_change *x = c->changes[j];
			buf_printf(&b, "  %s %s %s %s %s %d\n", kind_name(x->kind), x->path,
				x->old_path ? x->old_path : "-", x->old_oid, x->new_oid,
				x->commit == c);
			const char *paths[2] = { x->path, x->old_path };
			for (int k = 0; k < 2 && paths[k]; k++) {
				size_t n;
				history_change *const *v = history_for_path(h, paths[k], &n);
				buf_printf(&b, "    %s:", paths[k]);
				for (size_t m = 0; m < n; m++)
					buf_printf(&b, " %s/%s/%s", v[m]->commit->short_id,
						kind_name(v[m]->kind), v[m]->path);
				buf_putc(&b, '\n');
			}
		}
	}
	for (size_t i = 0; i < history_deleted_count(h); i++)
		buf_printf(&b, "deleted %s\n", history_deleted_at(h, i));
	for (size_t i = 0; i < history_renamed_count(h); i++) {
		const char *o, *n;
		history_renamed_at(h, i, &o, &n);
		buf_printf(&b, "renamed %s %s\n", o, n);
	}
	return buf_detach(&b, NULL);
}

/*
 * Walks dir at rev (NULL: HEAD) with content folder content (NULL: "content")
 * and options o; the dump, or NULL when the walk failed (see d).
 */
static char *walk_dump(const char *dir, const char *content, const char *rev,
	const history_opts *o, diag_list *d)
{
	char *path = xasprintf("%s/%s", top, dir);
	repo_opts ro = { path, rev, content, 0 };
	repo *r = NULL;
	history *h = NULL;
	char *out = NULL;
	if (repo_open(&r, &ro, d) == 0 && history_build(&h, r, o, d) == 0)
		out = dump(h);
	history_free(h);
	repo_free(r);
	free(path);
	return out;
}

/* A file below top: its bytes (NULL when it cannot be read). */
static char *slurp(const char *name, size_t *len)
{
	char *path = xasprintf("%s/%s", top, name), *data = NULL;
	if (read_file(path, &data, len) != 0)
		data = NULL;
	free(path);
	return data;
}

static void spill(const char *name, const char *data, size_t len)
{
	char *path = xasprintf("%s/%s", top, name);
	FILE *f = fopen(path, "wb");
	if (f) {
		if (len)
			fwrite(data, 1, len, f);
		fclose(f);
	}
	free(path);
}

static int same_file(const char *name, const char *data, size_t len)
{
	size_t n;
	char *now = slurp(name, &n);
	int same = now && n == len && memcmp(now, data, len) == 0;
	free(now);
	return same;
}

/*
 * Repository "many": ~90 commits (several chunks for the threads) adding,
 * editing, renaming (with and without edits, across folders) and deleting
 * files, touching dot-files and files outside the content folder, with a
 * merged branch.
 */
static int make_many(void)
{
	static int made = -1;
	if (made >= 0)
		return made;
	made = sh(".", "git init -q -b main many && cd many && "
		"mkdir -p content/a content/b other && "
		"body() { k=0; while [ $k -lt 20 ]; do k=$((k+1)); "
		"echo \"Rivi $k tiedostossa $1: hyvinvoinnin edistäminen\"; done; } && "
		"ci() { git add -A && GIT_AUTHOR_NAME=\"Tekijä $1\" "
		"GIT_AUTHOR_EMAIL=t$1@example.org "
		"GIT_AUTHOR_DATE=\"$((1700000000 + $1 * 600)) +0200\" "
		"GIT_COMMITTER_DATE=\"$((1700000000 + $1 * 600)) +0200\" "
		"git -c user.name=C -c user.email=c@example.org "
		"commit -q --allow-empty -m \"Muutos $1\"; } && "
		"i=0; while [ $i -lt 88 ]; do i=$((i+1)); "
		"body $i > content/a/f$i.md; "
		"if [ $((i % 3)) -eq 0 ] && [ -f content/a/f$((i-2)).md ]; then "
		"  echo lisäys >> content/a/f$((i-2)).md; fi; "
		"if [ $((i % 4)) -eq 0 ] && [ -f content/a/f$((i-3)).md ]; then "
		"  mv content/a/f$((i-3)).md content/b/g$i.md; "
		"  if [ $((i % 8)) -eq 0 ]; then echo muokattu >> content/b/g$i.md; fi; fi; "
		"if [ $((i % 5)) -eq 0 ] && [ -f content/a/f$((i-4)).md ]; then "
		"  rm content/a/f$((i-4)).md; fi; "
		"if [ $((i % 10)) -eq 0 ]; then echo $i > content/.piilo; echo $i > other/x$i; fi; "
		"if [ $((i % 17)) -eq 0 ]; then echo $i > other/vain$i; fi; "
		"ci $i || exit 1; "
		"if [ $i -eq 50 ]; then git checkout -q -b side && "
		"  body s1 > content/a/s1.md && ci 501 && "
		"  echo sivu >> content/a/f49.md && ci 502 && git checkout -q main && "
		"  GIT_AUTHOR_DATE=\"1700100000 +0200\" GIT_COMMITTER_DATE=\"1700100000 +0200\" "
		"  git -c user.name=Y -c user.email=y@example.org "
		"  merge -q --no-ff -m Yhdistys side "
		"  || exit 1; fi; "
		"done") == 0;
	return made;
}

static void threads_give_the_same_history(void)
{
	if (!make_repo() || !make_many())
		SKIP("git cannot create the fixture");
	const char *dirs[] = { "h", "many" };
	for (size_t k = 0; k < 2; k++) {
		diag_list d = DIAG_LIST_INIT;
		history_opts one = { 1, NULL }, four = { 4, NULL }, two = { 2, NULL };
		char *a = walk_dump(dirs[k], NULL, NULL, &one, &d);
		char *b = walk_dump(dirs[k], NULL, NULL, &four, &d);
		char *c = walk_dump(dirs[k], NULL, NULL, &two, &d);
		char *n = walk_dump(dirs[k], NULL, NULL, NULL, &d);
		CHECK(a && b && c && n && d.n == 0);
		if (a && b && c && n) {
			CHECK_STR(b, a);
			CHECK_STR(c, a);
			CHECK_STR(n, a);
			CHECK_CONTAINS(a, "  added ");
			CHECK_CONTAINS(a, "  modified ");
			CHECK_CONTAINS(a, "  renamed ");
			CHECK_CONTAINS(a, "  deleted ");
			CHECK_CONTAINS(a, "\nrenamed ");
			CHECK_CONTAINS(a, "\ndeleted ");
		}
		if (k == 1 && a) {
			/* enough commits for several chunks; the merge brings the branch's edits */
			CHECK_CONTAINS(a, "Muutos 88");
			CHECK_CONTAINS(a, " Yhdistys\n");
			CHECK_NOT_CONTAINS(a, "Muutos 501");
			CHECK_CONTAINS(a, "  renamed b/g16.md a/f13.md ");
		}
		free(a);
		free(b);
		free(c);
		free(n);
		diag_release(&d);
	}
}

static void cache_warm_equals_cold(void)
{
	if (!make_many())
		SKIP("git cannot create the fixture");
	diag_list d = DIAG_LIST_INIT;
	/* the folder of the file does not exist yet: it is made */
	char *file = xasprintf("%s/many-out.cache/history", top);
	history_opts none = { 2, NULL }, cached = { 2, file };
	char *want = walk_dump("many", NULL, NULL, &none, &d);
	char *cold = walk_dump("many", NULL, NULL, &cached, &d);
	size_t len = 0, len2 = 0;
	char *bytes = slurp("many-out.cache/history", &len);
	struct stat st1, st2;
	CHECK(stat(file, &st1) == 0);
	char *warm = walk_dump("many", NULL, NULL, &cached, &d);
	CHECK(stat(file, &st2) == 0);
	CHECK(want && cold && warm && bytes && d.n == 0);
	if (want && cold && warm) {
		CHECK_STR(cold, want);
		CHECK_STR(warm, want);
	}
	/* a cache that covers the walk is not written again */
	CHECK(st1.st_ino == st2.st_ino && st1.st_mtime == st2.st_mtime);
	if (bytes) {
		/* tree data only: no names, no e-mail addresses, no messages */
		CHECK(memmem(bytes, len, "Tekij", 5) == NULL);
		CHECK(memmem(bytes, len, "example.org", 11) == NULL);
		CHECK(memmem(bytes, len, "Muutos", 6) == NULL);
		CHECK(memmem(bytes, len, "a/f1.md", 7) != NULL);
	}
	/* the same input gives the same bytes */
	CHECK(unlink(file) == 0);
	history_opts one = { 1, file };
	char *again = walk_dump("many", NULL, NULL, &one, &d);
	char *bytes2 = slurp("many-out.cache/history", &len2);
	CHECK(again && bytes2 && len2 == len && bytes && memcmp(bytes, bytes2, len) == 0);
	free(again);
	free(bytes2);
	free(bytes);
	free(want);
	free(cold);
	free(warm);
	free(file);
	diag_release(&d);
}

static void cache_of_an_older_head(void)
{
	if (!make_many())
		SKIP("git cannot create the fixture");
	diag_list d = DIAG_LIST_INIT;
	char *file = xasprintf("%s/older-history", top);
	history_opts none = { 1, NULL }, cached = { 3, file };
	char *want_old = walk_dump("many", NULL, "HEAD~30", &none, &d);
	char *want_new = walk_dump("many", NULL, NULL, &none, &d);
	/* written for an older HEAD, then new commits on top */
	char *old = walk_dump("many", NULL, "HEAD~30", &cached, &d);
	char *neu = walk_dump("many", NULL, NULL, &cached, &d);
	/* and back: the cache now holds more commits than this walk needs */
	char *old2 = walk_dump("many", NULL, "HEAD~30", &cached, &d);
	CHECK(want_old && want_new && old && neu && old2 && d.n == 0);
	if (want_old && want_new && old && neu && old2) {
		CHECK(strcmp(want_old, want_new) != 0);
		CHECK_STR(old, want_old);
		CHECK_STR(neu, want_new);
		CHECK_STR(old2, want_old);
	}
	free(want_old);
	free(want_new);
	free(old);
	free(neu);
	free(old2);
	free(file);
	diag_release(&d);
}

static void cache_is_used(void)
{
	/* a tree the walk needs is removed after the cache was written: only the cache knows
	 * that commit's changes now */
	if (!make_repo() || sh(".", "cp -R h hc"))
		SKIP("git cannot create the fixture");
	diag_list d = DIAG_LIST_INIT;
	char *file = xasprintf("%s/hc-history", top);
	history_opts none = { 1, NULL }, cached = { 4, file };
	char *want = walk_dump("hc", NULL, NULL, &none, &d);
	char *cold = walk_dump("hc", NULL, NULL, &cached, &d);
	CHECK(want && cold && d.n == 0);
	char *tree = sh_out("hc", "git rev-parse HEAD~3:content/r");
	/* the fixture's objects are loose: one file per object */
	int ok = strlen(tree) == 40 &&
		sh("hc", "test -f .git/objects/%.2s/%s && rm -f .git/objects/%.2s/%s", tree,
			tree + 2, tree, tree + 2) == 0;
	free(tree);
	if (!ok) {
		free(want);
		free(cold);
		free(file);
		diag_release(&d);
		SKIP("the tree is not a loose object");
	}
	char *warm = walk_dump("hc", NULL, NULL, &cached, &d);
	CHECK(warm && d.n == 0);
	if (want && warm)
		CHECK_STR(warm, want);
	diag_list d2 = DIAG_LIST_INIT;
	CHECK(walk_dump("hc", NULL, NULL, &none, &d2) == NULL && d2.errors == 1);
	CHECK(diag_contains(&d2, "cannot diff commit "));
	free(want);
	free(cold);
	free(warm);
	free(file);
	diag_release(&d);
	diag_release(&d2);
}

/* x, with its last 8 bytes made the FNV-1a of the rest again. */
static void fix_checksum(char *x, size_t len)
{
	uint64_t h = fnv1a(FNV1A_INIT, x, len - 8);
	for (int i = 0; i < 8; i++)
		x[len - 8 + i] = (char)(h >> (8 * i) & 0xff);
}

static void damaged_cache_is_ignored(void)
{
	if (!make_repo())
		SKIP("git cannot create the fixture");
	diag_list d = DIAG_LIST_INIT;
	char *file = xasprintf("%s/damaged", top);
	history_opts none = { 1, NULL }, cached = { 2, file };
	char *want = walk_dump("h", NULL, NULL, &none, &d);
	char *cold = walk_dump("h", NULL, NULL, &cached, &d);
	size_t len = 0;
	char *good = slurp("damaged", &len);
	CHECK(want && cold && good && len > 100 && d.n == 0);
	if (!want || !cold || !good || len <= 100) {
		free(want);
		free(cold);
		free(good);
		free(file);
		diag_release(&d);
		return;
	}
	CHECK_STR(cold, want);
	char *x = xmalloc(len + 4096);
	int bad = 0;
	size_t tries = 0;
	/* truncated anywhere, bytes changed anywhere (checksum then fails), garbage */
	for (size_t cut = 0; cut < len; cut += cut < 64 ? 1 : 29) {
		spill("damaged", good, cut);
		char *got = walk_dump("h", NULL, NULL, &cached, &d);
		bad += !got || strcmp(got, want) != 0;
		tries++;
		free(got);
	}
	for (size_t i = 0; i < len; i += 17) {
		memcpy(x, good, len);
		x[i] ^= 0x41;
		spill("damaged", x, len);
		char *got = walk_dump("h", NULL, NULL, &cached, &d);
		bad += !got || strcmp(got, want) != 0;
		tries++;
		free(got);
	}
	uint32_t seed = 12345;
	for (size_t i = 0; i < len + 4096; i++) {
		seed = seed * 1103515245u + 12345u;
		x[i] = (char)(seed >> 16);
	}
	memcpy(x, good, 16); /* the right magic and version, then garbage */
	spill("damaged", x, len + 4096);
	char *got = walk_dump("h", NULL, NULL, &cached, &d);
	bad += !got || strcmp(got, want) != 0;
	free(got);
	fix_checksum(x, len + 4096);
	spill("damaged", x, len + 4096);
	got = walk_dump("h", NULL, NULL, &cached, &d);
	bad += !got || strcmp(got, want) != 0;
	free(got);
	CHECK(bad == 0 && d.n == 0 && tries > 120);
	/* after each of those the file was written whole again */
	CHECK(same_file("damaged", good, len));

	/* changed bytes with a matching checksum: lengths, kinds, counts out of range are caught
	 * by the reader; whatever it accepts must not crash or fail the walk */
	int failed = 0;
	for (size_t i = 8; i + 8 < len; i += 1 + (i > 200) * 4) {
		memcpy(x, good, len);
		x[i] = (char)(x[i] ^ 0xff);
		fix_checksum(x, len);
		spill("damaged", x, len);
		got = walk_dump("h", NULL, NULL, &cached, &d);
		failed += got == NULL;
		free(got);
	}
	CHECK(failed == 0 && d.n == 0);
	/* a folder where the file should be: neither read nor written, and no error */
	unlink(file);
	CHECK(mkdir(file, 0755) == 0);
	got = walk_dump("h", NULL, NULL, &cached, &d);
	CHECK(got && !strcmp(got, want) && d.n == 0);
	free(got);
	rmdir(file);
	free(x);
	free(good);
	free(want);
	free(cold);
	free(file);
	diag_release(&d);
}

static void cache_of_another_content_folder(void)
{
	if (!make_repo())
		SKIP("git cannot create the fixture");
	diag_list d = DIAG_LIST_INIT;
	char *file = xasprintf("%s/prefix-history", top);
	history_opts none = { 1, NULL }, cached = { 2, file };
	char *want = walk_dump("h", "content/r", NULL, &none, &d);
	char *other = walk_dump("h", NULL, NULL, &cached, &d);
	size_t len = 0;
	char *before = slurp("prefix-history", &len);
	/* the same commits and parents, but paths relative to another folder */
	char *got = walk_dump("h", "content/r", NULL, &cached, &d);
	CHECK(want && other && got && before && d.n == 0);
	if (want && got) {
		CHECK_STR(got, want);
		CHECK_CONTAINS(got, " a.md ");
	}
	/* written again, for the new key */
	CHECK(before && !same_file("prefix-history", before, len));
	free(before);
	before = slurp("prefix-history", &len);
	CHECK(before && memmem(before, len, "content content/r/\n", 19) != NULL);
	free(before);
	free(want);
	free(other);
	free(got);
	free(file);
	diag_release(&d);
}

static void shallow_clone_with_cache(void)
{
	if (!make_repo())
		SKIP("git cannot create the fixture");
	char *url = xasprintf("git clone -q --depth 3 file://%s/h shallow3", top);
	int rc = sh(".", "%s", url);
	free(url);
	if (rc)
		SKIP("git cannot make a shallow clone");
	char *file = xasprintf("%s/shallow-history", top);
	history_opts none = { 1, NULL }, cached = { 4, file };
	diag_list d0 = DIAG_LIST_INIT, d1 = DIAG_LIST_INIT, d2 = DIAG_LIST_INIT;
	char *want = walk_dump("shallow3", NULL, NULL, &none, &d0);
	char *cold = walk_dump("shallow3", NULL, NULL, &cached, &d1);
	char *warm = walk_dump("shallow3", NULL, NULL, &cached, &d2);
	CHECK(want && cold && warm);
	if (want && cold && warm) {
		CHECK_STR(cold, want);
		CHECK_STR(warm, want);
	}
	/* the warning each time, whether the changes came from the cache or not */
	char *w = xasprintf("warning: shallow clone: history before %.7s ", ids[6]);
	CHECK(d0.n == 1 && d1.n == 1 && d2.n == 1 && d0.errors == 0);
	CHECK(diag_contains(&d0, w) && diag_contains(&d1, w) && diag_contains(&d2, w));
	free(w);
	free(want);
	free(cold);
	free(warm);
	free(file);
	diag_release(&d0);
	diag_release(&d1);
	diag_release(&d2);
}

static void errors_with_threads_and_cache(void)
{
	/* the serial walk's error, and no cache written for a failed walk */
	if (!make_repo() || sh(".", "cp -R h broken2"))
		SKIP("git cannot create the fixture");
	char *obj = xasprintf(".git/objects/%.2s/%s", ids[6], ids[6] + 2);
	int ok = sh("broken2", "test -f %s && rm -f %s", obj, obj) == 0;
	free(obj);
	if (!ok)
		SKIP("the commit is not a loose object");
	char *file = xasprintf("%s/broken-history", top);
	history_opts o = { 4, file };
	diag_list d = DIAG_LIST_INIT;
	CHECK(walk_dump("broken2", NULL, NULL, &o, &d) == NULL);
	char *want = xasprintf("cannot read the parent of commit %s: ", ids[7]);
	CHECK(d.n == 1 && d.errors == 1 && diag_contains(&d, want));
	free(want);
	struct stat st;
	CHECK(stat(file, &st) != 0);
	free(file);
	diag_release(&d);
}

int main(void)
{
	if (fixture_begin() != 0) {
		perror("mkdtemp");
		return 1;
	}
	RUN(record_edits_newest_first);
	RUN(renames_are_followed);
	RUN(deletions_are_listed);
	RUN(merges_do_not_duplicate);
	RUN(shallow_clone_warns);
	RUN(whole_repository_as_content);
	RUN(no_commits_no_history);
	RUN(missing_parent_is_an_error);
	RUN(threads_give_the_same_history);
	RUN(cache_warm_equals_cold);
	RUN(cache_of_an_older_head);
	RUN(cache_is_used);
	RUN(damaged_cache_is_ignored);
	RUN(cache_of_another_content_folder);
	RUN(shallow_clone_with_cache);
	RUN(errors_with_threads_and_cache);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		free(ids[i]);
	char *rm = xasprintf("rm -rf '%s'", top);
	if (system(rm) != 0)
		printf("  could not remove %s\n", top);
	free(rm);
	return test_summary();
}
