/* Unit tests of the history module, on repositories made with the git command line. */
#include <stdarg.h>
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
	if (*r && history_build(&h, *r, d) < 0)
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
	CHECK(r && history_build(&h, r, &d) == 0 && d.n == 0);
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
	CHECK(r && history_build(&h, r, &d) == 0 && h);
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
		CHECK(history_build(&h, r, &d) == -1 && h == NULL);
		char *want = xasprintf("cannot read the parent of commit %s: ", ids[7]);
		CHECK(diag_contains(&d, want));
		free(want);
	}
	history_free(h);
	repo_free(r);
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
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		free(ids[i]);
	char *rm = xasprintf("rm -rf '%s'", top);
	if (system(rm) != 0)
		printf("  could not remove %s\n", top);
	free(rm);
	return test_summary();
}
