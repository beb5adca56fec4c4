/* Unit tests of the repo module: reading a revision's content folder and the working tree. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "repo.h"
#include "test.h"
#include "util.h"

static char top[] = "/tmp/avoin-test-repo-XXXXXX";

#include "shell_fixture.h"

/* Commits what is staged. */
static int commit_staged(const char *dir, const char *date, const char *msg)
{
	return sh(dir, "GIT_AUTHOR_DATE='%s' GIT_COMMITTER_DATE='%s' "
		"git -c user.name='Testi Tekijä' -c user.email=testi@example.org commit -q -m '%s'",
		date, date, msg);
}

static int commit(const char *dir, const char *date, const char *msg)
{
	return sh(dir, "git add -A") || commit_staged(dir, date, msg);
}

static char *path_in(const char *dir)
{
	return xasprintf("%s/%s", top, dir);
}

/* The fixture: two commits; the second edits a.md and adds a-b.md. */
static int make_repo(void)
{
	static int made = -1;
	if (made >= 0)
		return made;
	made = 0;
	if (sh(".", "git init -q -b main r"))
		return 0;
	write_at("r", "content/a.md", "---\ntitle: A\n---\nEnsimmäinen.\n");
	write_at("r", "content/sub/b.md", "B\n");
	write_at("r", "content/.mailmap", "X <x@example.org> <y@example.org>\n");
	write_at("r", "other/x.md", "not content\n");
	if (commit("r", "2023-05-01T10:00:00+03:00", "first"))
		return 0;
	write_at("r", "content/a.md", "---\ntitle: A\n---\nToinen.\n");
	write_at("r", "content/a-b.md", "AB\n");
	/* late at night west of Greenwich: the date is the 1st there, the 2nd in UTC */
	if (commit("r", "2023-06-01T23:30:00-05:00", "second"))
		return 0;
	made = 1;
	return made;
}

static repo *open_at(const char *dir, const char *rev, const char *content, int worktree,
	diag_list *d)
{
	char *path = path_in(dir);
	repo_opts o = { path, rev, content, worktree };
	repo *r = NULL;
	int rc = repo_open(&r, &o, d);
	free(path);
	CHECK((rc == 0) == (r != NULL));
	return r;
}

static void reads_head_in_path_order(void)
{
	if (!make_repo())
		SKIP("git cannot create the fixture");
	diag_list d = DIAG_LIST_INIT;
	repo *r = open_at("r", NULL, NULL, 0, &d);
	CHECK(r && d.n == 0);
	if (!r)
		return;
	CHECK(repo_file_count(r) == 3);
	/* byte order of whole paths ("a-b.md" < "a.md" < "sub/b.md"); dot-files are not content */
	CHECK_STR(repo_file_at(r, 0)->path, "a-b.md");
	CHECK_STR(repo_file_at(r, 1)->path, "a.md");
	CHECK_STR(repo_file_at(r, 2)->path, "sub/b.md");
	CHECK(repo_file_at(r, 3) == NULL);
	const repo_file *f = repo_find(r, "a.md");
	CHECK(f && f->len == strlen(f->data));
	CHECK_STR(f ? f->data : NULL, "---\ntitle: A\n---\nToinen.\n");
	char *oid = sh_out("r", "git rev-parse HEAD:content/a.md");
	CHECK_STR(f ? f->oid : NULL, oid);
	free(oid);
	CHECK(repo_find(r, "other/x.md") == NULL);
	CHECK(repo_find(r, ".mailmap") == NULL);
	CHECK(repo_find(r, "zzz") == NULL);
	char *head = sh_out("r", "git rev-parse HEAD");
	CHECK_STR(repo_commit_id(r), head);
	free(head);
	CHECK_STR(repo_content_prefix(r), "content/");
	CHECK_STR(repo_rev(r), "HEAD");
	CHECK(!repo_is_worktree(r));
	CHECK(repo_commit_offset(r) == -300);
	CHECK(repo_commit_time(r) == 1685680200);
	CHECK_STR(repo_commit_date(r), "2023-06-01");
	CHECK(repo_git(r) != NULL && repo_commit(r) != NULL);
	buf b = BUF_INIT;
	CHECK(repo_read_blob(r, repo_find(r, "sub/b.md")->oid, &b) == 0);
	CHECK_STR(b.ptr, "B\n");
	CHECK(repo_read_blob(r, "0123456789012345678901234567890123456789", &b) == -1);
	CHECK(repo_read_blob(r, "nope", &b) == -1);
	buf_release(&b);
	repo_free(r);
	diag_release(&d);
}

static void reads_an_older_revision(void)
{
	if (!make_repo())
		SKIP("git cannot create the fixture");
	diag_list d = DIAG_LIST_INIT;
	repo *r = open_at("r", "HEAD~1", "./content/", 0, &d);
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK(repo_file_count(r) == 2);
	CHECK(repo_find(r, "a-b.md") == NULL);
	CHECK_STR(repo_find(r, "a.md")->data, "---\ntitle: A\n---\nEnsimmäinen.\n");
	CHECK_STR(repo_rev(r), "HEAD~1");
	CHECK_STR(repo_commit_date(r), "2023-05-01");
	CHECK(repo_commit_offset(r) == 180);
	repo_free(r);
	/* the whole repository as the content folder */
	r = open_at("r", "HEAD~1", ".", 0, &d);
	CHECK(r && repo_file_count(r) == 3);
	CHECK(r && repo_find(r, "other/x.md") && repo_find(r, "content/a.md"));
	CHECK_STR(r ? repo_content_prefix(r) : NULL, "");
	repo_free(r);
	CHECK(d.n == 0);
	diag_release(&d);
}

static void discovers_the_repository_from_the_current_folder(void)
{
	if (!make_repo())
		SKIP("git cannot create the fixture");
	char cwd[4096];
	char *sub = xasprintf("%s/r/content/sub", top);
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	CHECK(chdir(sub) == 0);
	diag_list d = DIAG_LIST_INIT;
	repo_opts o = { NULL, NULL, NULL, 0 };
	repo *r = NULL;
	CHECK(repo_open(&r, &o, &d) == 0);
	CHECK(r && repo_file_count(r) == 3);
	repo_free(r);
	CHECK(chdir(cwd) == 0);
	free(sub);
	diag_release(&d);
}

static void worktree_sees_uncommitted_edits(void)
{
	if (sh(".", "git init -q -b main w"))
		SKIP("git cannot create the fixture");
	write_at("w", "content/a.md", "vanha\n");
	write_at("w", "content/tracked.tmp", "force-added\n");
	write_at("w", ".gitignore", "*.tmp\nignored-dir/\n");
	CHECK(sh("w", "git add content/a.md .gitignore && git add -f content/tracked.tmp") == 0);
	CHECK(commit("w", "2024-01-02T03:04:05+02:00", "one") == 0);
	write_at("w", "content/a.md", "uusi <muokkaus>\n");
	write_at("w", "content/new/b.md", "b\n");
	write_at("w", "content/scratch.tmp", "ignored\n");
	write_at("w", "content/ignored-dir/c.md", "ignored\n");
	write_at("w", "content/.hidden", "dot-file\n");
	CHECK(sh("w", "ln -s a.md content/link.md") == 0);
	diag_list d = DIAG_LIST_INIT;
	repo *r = open_at("w", NULL, NULL, 1, &d);
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK(repo_is_worktree(r));
	CHECK(repo_file_count(r) == 3);
	CHECK_STR(repo_file_at(r, 0)->path, "a.md");
	CHECK_STR(repo_file_at(r, 1)->path, "new/b.md");
	CHECK_STR(repo_file_at(r, 2)->path, "tracked.tmp");
	CHECK_STR(repo_find(r, "a.md")->data, "uusi <muokkaus>\n");
	char *oid = sh_out("w", "git hash-object content/a.md");
	CHECK_STR(repo_find(r, "a.md")->oid, oid);
	free(oid);
	/* the history still comes from HEAD */
	char *head = sh_out("w", "git rev-parse HEAD");
	CHECK_STR(repo_commit_id(r), head);
	free(head);
	CHECK_STR(repo_commit_date(r), "2024-01-02");
	CHECK(diag_contains(&d, "content/link.md: warning: skipping a symbolic link"));
	CHECK(d.errors == 0);
	/* a working file's id is not in the object database, yet it can be read by it */
	buf b = BUF_INIT;
	CHECK(repo_read_blob(r, repo_find(r, "a.md")->oid, &b) == 0);
	CHECK_STR(b.ptr, "uusi <muokkaus>\n");
	buf_release(&b);
	repo_free(r);
	diag_release(&d);
}

/* A read with a memo: what is as it was comes from the memo, what changed is read again. */
static void worktree_memo_rereads_only_what_changed(void)
{
	if (sh(".", "git init -q -b main m"))
		SKIP("git cannot create the fixture");
	write_at("m", "content/a.md", "A\n");
	write_at("m", "content/b.md", "B\n");
	write_at("m", "content/c.md", "C\n");
	CHECK(commit("m", "2024-01-02T03:04:05+02:00", "one") == 0);
	/* changed long ago: not racy */
	CHECK(sh("m", "touch -d '2020-01-01 12:00' content/a.md content/b.md content/c.md") == 0);
	char *path = path_in("m");
	repo_opts o = { path, NULL, NULL, 1 };
	repo_memo *memo = repo_memo_new();
	diag_list d = DIAG_LIST_INIT;
	repo *r = NULL;
	CHECK(repo_open_memo(&r, &o, 1, NULL, memo, &d) == 0 && repo_memo_hits(r) == 0);
	repo_free(r);
	CHECK(repo_open_memo(&r, &o, 1, NULL, memo, &d) == 0 && repo_memo_hits(r) == 3);
	if (r) {
		/* as read_file() gives them: the bytes, then a NUL */
		const repo_file *f = repo_find(r, "b.md");
		CHECK(f && f->len == 2 && memcmp(f->data, "B\n", 3) == 0);
		repo_free(r);
	}
	/* an edit (now: racy, not kept), a file gone, a file renamed */
	write_at("m", "content/a.md", "A2\n");
	CHECK(sh("m", "rm content/b.md && mv content/c.md content/d.md") == 0);
	CHECK(repo_open_memo(&r, &o, 1, NULL, memo, &d) == 0 && repo_memo_hits(r) == 0);
	if (r) {
		CHECK(repo_file_count(r) == 2);
		CHECK_STR(repo_find(r, "a.md")->data, "A2\n");
		CHECK_STR(repo_find(r, "d.md")->data, "C\n");
		char *oid = sh_out("m", "git hash-object content/a.md");
		CHECK_STR(repo_find(r, "a.md")->oid, oid);
		free(oid);
		repo_free(r);
	}
	/* the same size and times as an earlier read, but another file (inode): read again */
	CHECK(sh("m", "touch -d '2020-01-01 12:00' content/a.md content/d.md") == 0);
	CHECK(repo_open_memo(&r, &o, 1, NULL, memo, &d) == 0);
	repo_free(r);
	CHECK(repo_open_memo(&r, &o, 1, NULL, memo, &d) == 0 && repo_memo_hits(r) == 2);
	repo_free(r);
	CHECK(sh("m", "cp content/a.md x && printf 'Z\\n' >x && touch -d '2020-01-01 12:00' x && "
		"mv x content/a.md") == 0);
	CHECK(repo_open_memo(&r, &o, 1, NULL, memo, &d) == 0 && repo_memo_hits(r) == 1);
	if (r)
		CHECK_STR(repo_find(r, "a.md")->data, "Z\n");
	repo_free(r);
	CHECK(d.errors == 0);
	repo_memo_free(memo);
	free(path);
	diag_release(&d);
}

static void worktree_without_commits(void)
{
	if (sh(".", "git init -q -b main e"))
		SKIP("git cannot create the fixture");
	write_at("e", "content/x.md", "x\n");
	diag_list d = DIAG_LIST_INIT;
	repo *r = open_at("e", NULL, NULL, 1, &d);
	CHECK(r && repo_file_count(r) == 1 && d.n == 0);
	CHECK_STR(r ? repo_commit_id(r) : NULL, "");
	CHECK(r && repo_commit_time(r) == 0 && repo_commit(r) == NULL);
	repo_free(r);
	/* without --worktree there is nothing to build */
	r = open_at("e", NULL, NULL, 0, &d);
	CHECK(r == NULL);
	CHECK(diag_contains(&d, "revision 'HEAD' does not resolve to a commit"));
	diag_release(&d);
}

static void errors_are_one_line(void)
{
	if (!make_repo())
		SKIP("git cannot create the fixture");
	diag_list d = DIAG_LIST_INIT;
	char *plain = path_in("plain");
	mkdir(plain, 0755);
	repo *r = open_at("plain", NULL, NULL, 0, &d);
	CHECK(r == NULL && d.errors == 1);
	buf want = BUF_INIT;
	buf_printf(&want, "cannot open repository '%s': ", plain);
	CHECK(diag_contains(&d, want.ptr));
	buf_release(&want);
	free(plain);
	diag_release(&d);

	/* an explicit path is that repository, never a parent of it */
	CHECK(open_at("r/content", NULL, NULL, 0, &d) == NULL);
	CHECK(diag_contains(&d, "cannot open repository"));
	diag_release(&d);

	CHECK(open_at("r", "nope", NULL, 0, &d) == NULL);
	CHECK(d.n == 1 && diag_contains(&d, "revision 'nope' does not resolve to a commit"));
	diag_release(&d);
	CHECK(open_at("r", "HEAD^{tree}", NULL, 0, &d) == NULL);
	CHECK(diag_contains(&d, "revision 'HEAD^{tree}' does not resolve to a commit"));
	diag_release(&d);

	char *shorthead = sh_out("r", "git rev-parse --short=7 HEAD");
	buf msg = BUF_INIT;
	buf_printf(&msg, "'other/x.md' is not a folder at revision HEAD (%s)", shorthead);
	CHECK(open_at("r", NULL, "other/x.md", 0, &d) == NULL);
	CHECK(d.n == 1 && diag_contains(&d, msg.ptr));
	diag_release(&d);
	buf_release(&msg);
	free(shorthead);
	CHECK(open_at("r", "HEAD~1", "missing", 0, &d) == NULL);
	CHECK(diag_contains(&d, "'missing' is not a folder at revision HEAD~1 ("));
	diag_release(&d);
	CHECK(open_at("r", NULL, "../r", 0, &d) == NULL);
	CHECK(diag_contains(&d, "content folder '../r' must be a path inside the repository"));
	diag_release(&d);
	CHECK(open_at("r", NULL, "missing", 1, &d) == NULL);
	CHECK(diag_contains(&d, "'missing' is not a folder in the working tree"));
	diag_release(&d);

	if (sh(".", "git clone -q --bare r bare.git") == 0) {
		CHECK(open_at("bare.git", NULL, NULL, 1, &d) == NULL);
		CHECK(diag_contains(&d, "cannot read the working tree: '"));
		CHECK(diag_contains(&d, "bare.git/' is a bare repository"));
		diag_release(&d);
		/* but its revisions can be read */
		r = open_at("bare.git", NULL, NULL, 0, &d);
		CHECK(r && repo_file_count(r) == 3 && d.n == 0);
		repo_free(r);
	}
}

static void large_files_and_odd_entries(void)
{
	if (sh(".", "git init -q -b main big"))
		SKIP("git cannot create the fixture");
	write_at("big", "content/ok.md", "ok\n");
	CHECK(sh("big", "truncate -s 17M content/huge.pdf && ln -s ok.md content/link.md") == 0);
	/* a submodule entry, without fetching anything */
	CHECK(sh("big", "git add -A && git update-index --add --cacheinfo "
		"160000,0123456789abcdef0123456789abcdef01234567,content/vendor") == 0);
	CHECK(commit_staged("big", "2024-02-01T12:00:00+02:00", "big") == 0);
	diag_list d = DIAG_LIST_INIT;
	CHECK(open_at("big", NULL, NULL, 0, &d) == NULL);
	CHECK(d.errors == 1);
	CHECK(diag_contains(&d,
		"content/huge.pdf: file is too large (17825792 bytes; the limit is 16 MiB)"));
	CHECK(diag_contains(&d, "content/link.md: warning: skipping a symbolic link"));
	CHECK(diag_contains(&d, "content/vendor: warning: skipping a submodule"));
	diag_release(&d);
	CHECK(open_at("big", NULL, NULL, 1, &d) == NULL);
	CHECK(diag_contains(&d, "content/huge.pdf: file is too large"));
	diag_release(&d);
	CHECK(sh("big", "git rm -q --cached content/huge.pdf && rm content/huge.pdf") == 0);
	CHECK(commit_staged("big", "2024-02-02T12:00:00+02:00", "smaller") == 0);
	repo *r = open_at("big", NULL, NULL, 0, &d);
	CHECK(r && repo_file_count(r) == 1 && d.errors == 0 && d.n == 2);
	repo_free(r);
	diag_release(&d);
}

static void dates_in_the_commits_own_zone(void)
{
	buf b = BUF_INIT;
	format_rfc3339(&b, 1700000000, 0);
	CHECK_STR(b.ptr, "2023-11-14T22:13:20Z");
	buf_reset(&b);
	format_rfc3339(&b, 1700000000, 120);
	CHECK_STR(b.ptr, "2023-11-15T00:13:20+02:00");
	buf_reset(&b);
	format_rfc3339(&b, 1700000000, -330);
	CHECK_STR(b.ptr, "2023-11-14T16:43:20-05:30");
	buf_reset(&b);
	format_rfc3339(&b, -1, 0);
	CHECK_STR(b.ptr, "1969-12-31T23:59:59Z");
	buf_reset(&b);
	format_date(&b, 951782400, 0); /* a leap day */
	CHECK_STR(b.ptr, "2000-02-29");
	buf_reset(&b);
	format_date(&b, 1685680200, -300);
	CHECK_STR(b.ptr, "2023-06-01");
	buf_reset(&b);
	format_date(&b, 1685680200, 0);
	CHECK_STR(b.ptr, "2023-06-02");
	buf_release(&b);
}

/* Every file of r1 and r2, in order: path, bytes and blob id. */
static int same_files(const repo *r1, const repo *r2)
{
	if (repo_file_count(r1) != repo_file_count(r2))
		return 0;
	for (size_t i = 0; i < repo_file_count(r1); i++) {
		const repo_file *a = repo_file_at(r1, i), *b = repo_file_at(r2, i);
		if (strcmp(a->path, b->path) != 0 || a->len != b->len ||
		    memcmp(a->data, b->data, a->len) != 0 || b->data[b->len] != '\0' ||
		    strcmp(a->oid, b->oid) != 0)
			return 0;
	}
	return 1;
}

/* The diagnostics of a and b, formatted, in order. */
static int same_diags(const diag_list *a, const diag_list *b)
{
	if (a->n != b->n || a->errors != b->errors)
		return 0;
	int same = 1;
	buf x = BUF_INIT, y = BUF_INIT;
	for (size_t i = 0; i < a->n && same; i++) {
		buf_reset(&x);
		buf_reset(&y);
		diag_format(&x, &a->items[i]);
		diag_format(&y, &b->items[i]);
		same = strcmp(x.ptr, y.ptr) == 0;
	}
	buf_release(&x);
	buf_release(&y);
	return same;
}

/*
 * Hundreds of files, packed with deltas: read on one thread and on several,
 * the files, their order and their ids are the same; so are the errors when
 * blobs are missing, in tree order.
 */
static void parallel_read_equals_serial(void)
{
	if (sh(".", "git init -q -b main many"))
		SKIP("git cannot create the fixture");
	/* one awk for all the files: a process per file would make the fixture slow */
	CHECK(sh("many", "mkdir -p content/k0 content/k1 content/k2 content/k3 content/k4 "
		"content/k5 content/k6 && : > content/empty.md && awk 'BEGIN { "
		"for (i = 1; i <= 300; i++) { f = \"content/k\" i %% 7 \"/r\" i \".md\"; "
		"printf \"---\\ntitle: T%%d\\n---\\n\", i > f; "
		"for (j = 1; j <= i %% 50; j++) print j > f; close(f) } }'") == 0);
	CHECK(commit("many", "2024-03-01T12:00:00+02:00", "many") == 0);
	CHECK(sh("many", "awk 'BEGIN { for (i = 1; i <= 300; i += 5) "
		"print \"muutos\" >> (\"content/k\" i %% 7 \"/r\" i \".md\") }'") == 0);
	CHECK(commit("many", "2024-03-02T12:00:00+02:00", "edits") == 0);
	/* packed, so that threads share pack files and delta chains */
	CHECK(sh("many", "git repack -adq") == 0);
	diag_list d1 = DIAG_LIST_INIT, d4 = DIAG_LIST_INIT;
	char *path = path_in("many");
	repo_opts o = { path, NULL, NULL, 0 };
	repo *r1 = NULL, *r4 = NULL, *r64 = NULL;
	CHECK(repo_open_jobs(&r1, &o, 1, &d1) == 0 && repo_open_jobs(&r4, &o, 4, &d4) == 0);
	/* more threads than there is work for: still the same */
	CHECK(repo_open_jobs(&r64, &o, 64, &d4) == 0);
	CHECK(r1 && r4 && r64 && repo_file_count(r1) == 301 && d1.n == 0 && d4.n == 0);
	if (r1 && r4 && r64) {
		CHECK(same_files(r1, r4));
		CHECK(same_files(r1, r64));
		CHECK(repo_find(r4, "k3/r3.md") && repo_find(r4, "empty.md")->len == 0);
	}
	repo_free(r1);
	repo_free(r4);
	repo_free(r64);

	/* two blobs that the object database does not have, far apart in the tree */
	CHECK(sh("many", "git update-index --add --cacheinfo "
		"100644,0123456789abcdef0123456789abcdef01234567,content/a-missing.md && "
		"git update-index --add --cacheinfo "
		"100644,89abcdef0123456789abcdef0123456789abcdef,content/k6/zz-missing.md && "
		"c=$(git -c user.name=T -c user.email=t@example.org commit-tree -p HEAD -m missing "
		"$(git write-tree --missing-ok)) && "
		"git update-ref refs/heads/main $c") == 0);
	CHECK(repo_open_jobs(&r1, &o, 1, &d1) == -1 && r1 == NULL);
	CHECK(repo_open_jobs(&r4, &o, 4, &d4) == -1 && r4 == NULL);
	CHECK(d1.errors == 2 && same_diags(&d1, &d4));
	CHECK(d4.n == 2 && strstr(d4.items[0].msg, "cannot read 'content/a-missing.md' at "
		"revision HEAD: ") && strstr(d4.items[1].msg, "'content/k6/zz-missing.md'"));
	free(path);
	diag_release(&d1);
	diag_release(&d4);
}

static repo *open_cached(const char *dir, const char *cache, diag_list *d)
{
	char *path = path_in(dir);
	repo_opts o = { path, NULL, NULL, 0 };
	repo *r = NULL;
	CHECK(repo_open_cached(&r, &o, 2, cache, d) == 0 && r);
	free(path);
	return r;
}

/* The blob cache: files come from it when their ids match, and a damaged one is not used. */
static void blob_cache_gives_the_same_files(void)
{
	if (sh(".", "git init -q -b main bc"))
		SKIP("git cannot create the fixture");
	write_at("bc", "content/a.md", "---\ntitle: A\n---\nYksi.\n");
	write_at("bc", "content/b.md", "B\n");
	write_at("bc", "content/same.md", "B\n");        /* the same blob as b.md */
	write_at("bc", "content/k/data.tsv", "x\t1\n");
	CHECK(commit("bc", "2024-03-01T12:00:00+02:00", "first") == 0);
	diag_list d = DIAG_LIST_INIT;
	char *cache = xasprintf("%s/bc-out.cache/blobs", top);
	repo *plain = open_at("bc", NULL, NULL, 0, &d);
	repo *r = open_cached("bc", cache, &d);          /* no cache yet */
	CHECK(plain && r && repo_cache_hits(r) == 0 && same_files(plain, r));
	repo_save_blobs(r, cache);                        /* makes its folder too */
	repo_free(r);
	r = open_cached("bc", cache, &d);
	CHECK(r && repo_cache_hits(r) == 4 && same_files(plain, r));
	struct stat st1, st2;
	CHECK(stat(cache, &st1) == 0);
	repo_save_blobs(r, cache);                        /* nothing new: not written again */
	CHECK(stat(cache, &st2) == 0 && st1.st_ino == st2.st_ino);
	/* what the cache holds after a release stays out of free() */
	repo_release_data(r);
	CHECK(repo_file_at(r, 0)->data == NULL);
	repo_free(r);
	repo_free(plain);

	/* one file changed: the others still come from the cache */
	write_at("bc", "content/a.md", "---\ntitle: A\n---\nKaksi.\n");
	CHECK(commit("bc", "2024-03-02T12:00:00+02:00", "second") == 0);
	plain = open_at("bc", NULL, NULL, 0, &d);
	r = open_cached("bc", cache, &d);
	CHECK(plain && r && repo_cache_hits(r) == 3 && same_files(plain, r));
	repo_save_blobs(r, cache);
	repo_free(r);
	r = open_cached("bc", cache, &d);
	CHECK(r && repo_cache_hits(r) == 4 && same_files(plain, r));
	repo_free(r);

	/* a few files missing from a large enough cache: read from the repository, no rewrite */
	for (int i = 0; i < 30; i++) {
		char name[32], text[32];
		snprintf(name, sizeof(name), "content/m/r%d.md", i);
		snprintf(text, sizeof(text), "R%d\n", i);
		write_at("bc", name, text);
	}
	CHECK(commit("bc", "2024-03-03T12:00:00+02:00", "many") == 0);
	r = open_cached("bc", cache, &d);
	repo_save_blobs(r, cache);                        /* 30 of 34 missed: rewritten */
	repo_free(r);
	write_at("bc", "content/m/r7.md", "R7 muutettu\n");
	CHECK(commit("bc", "2024-03-04T12:00:00+02:00", "one") == 0);
	repo_free(plain);
	plain = open_at("bc", NULL, NULL, 0, &d);
	r = open_cached("bc", cache, &d);
	CHECK(r && repo_cache_hits(r) == 33 && same_files(plain, r));
	CHECK(stat(cache, &st1) == 0);
	repo_save_blobs(r, cache);                        /* 1 of 34 missed: kept as it is */
	CHECK(stat(cache, &st2) == 0 && st1.st_ino == st2.st_ino);
	repo_free(r);
	r = open_cached("bc", cache, &d);
	CHECK(r && repo_cache_hits(r) == 33 && same_files(plain, r));
	repo_free(r);

	/* cut short, or not a cache at all: read from the repository, as if there were none */
	CHECK(truncate(cache, 40) == 0);
	r = open_cached("bc", cache, &d);
	CHECK(r && repo_cache_hits(r) == 0 && same_files(plain, r));
	repo_free(r);
	write_at("bc-out.cache", "blobs", "avoin-blobs 1\nnot an entry\n");
	r = open_cached("bc", cache, &d);
	CHECK(r && repo_cache_hits(r) == 0 && same_files(plain, r));
	repo_free(r);
	CHECK(d.n == 0);
	repo_free(plain);
	free(cache);
	diag_release(&d);
}

/* The first letter of "deep.md" changed in the trees file itself: one folder damaged in place. */
#define TREES_FLIP "off=$(grep -obUa deep.md tc-out.cache/trees | head -n 1 | cut -d: -f1) && " \
	"printf X | dd of=tc-out.cache/trees bs=1 seek=$off conv=notrunc status=none"

/*
 * The tree cache: folders whose bytes hash to their ids come from it, and
 * the files, their order and the warnings are what the repository gives.
 */
static void tree_cache_gives_the_same_files(void)
{
	if (sh(".", "git init -q -b main tc"))
		SKIP("git cannot create the fixture");
	write_at("tc", "content/a.md", "A\n");
	write_at("tc", "content/k/data.tsv", "x\t1\n");
	write_at("tc", "content/k/.piilo/x.md", "X\n");
	write_at("tc", "content/l/m/deep.md", "D\n");
	write_at("tc", "content/z.md", "Z\n");
	CHECK(sh("tc", "ln -s a.md content/link.md") == 0);
	CHECK(commit("tc", "2024-04-01T12:00:00+02:00", "first") == 0);
	char *cache = xasprintf("%s/tc-out.cache/blobs", top);
	char *trees = xasprintf("%s/tc-out.cache/trees", top);
	diag_list d0 = DIAG_LIST_INIT, d1 = DIAG_LIST_INIT, d2 = DIAG_LIST_INIT;
	repo *plain = open_at("tc", NULL, NULL, 0, &d0);
	repo *r = open_cached("tc", cache, &d1);           /* no cache yet: written */
	struct stat st1, st2;
	/* content, k, l and l/m: the hidden folder is not read */
	CHECK(plain && r && repo_tree_hits(r) == 0 && same_files(plain, r));
	CHECK(same_diags(&d0, &d1) && d1.n == 1 && diag_contains(&d1, "content/link.md"));
	CHECK(stat(trees, &st1) == 0);
	repo_free(r);
	r = open_cached("tc", cache, &d2);
	CHECK(r && repo_tree_hits(r) == 4 && same_files(plain, r) && same_diags(&d0, &d2));
	CHECK(stat(trees, &st2) == 0 && st1.st_ino == st2.st_ino);   /* not written again */
	repo_free(r);
	repo_free(plain);

	/* a file deep down changed: content, l and l/m are read again, k is not */
	write_at("tc", "content/l/m/deep.md", "D2\n");
	CHECK(commit("tc", "2024-04-02T12:00:00+02:00", "second") == 0);
	plain = open_at("tc", NULL, NULL, 0, &d0);
	r = open_cached("tc", cache, &d1);
	CHECK(plain && r && repo_tree_hits(r) == 1 && same_files(plain, r));
	repo_free(r);
	r = open_cached("tc", cache, &d1);
	CHECK(r && repo_tree_hits(r) == 4 && same_files(plain, r));
	repo_free(r);

	/* one folder's bytes damaged: that one comes from the repository */
	CHECK(sh(".", TREES_FLIP) == 0);
	r = open_cached("tc", cache, &d1);
	CHECK(r && repo_tree_hits(r) == 3 && same_files(plain, r));
	repo_free(r);
	/* cut short, or not a cache at all: none of it is used */
	CHECK(truncate(trees, 30) == 0);
	r = open_cached("tc", cache, &d1);
	CHECK(r && repo_tree_hits(r) == 0 && same_files(plain, r));
	repo_free(r);
	write_at("tc-out.cache", "trees", "avoin-trees 1\nnot an entry\n");
	r = open_cached("tc", cache, &d1);
	CHECK(r && repo_tree_hits(r) == 0 && same_files(plain, r));
	repo_free(r);
	CHECK(d1.errors == 0);
	repo_free(plain);
	free(cache);
	free(trees);
	diag_release(&d0);
	diag_release(&d1);
	diag_release(&d2);
}

/* "Kaksi" to "Kolme" in the saved file itself (sed -i would make a new file). */
#define SWAP_IN_PLACE "off=$(grep -obUa Kaksi bs-out.cache/blobs | head -n 1 | cut -d: -f1) && " \
	"printf Kolme | dd of=bs-out.cache/blobs bs=1 seek=$off conv=notrunc status=none"

/* 1 when repo_read_blob() gives the bytes of path as the revision has them. */
static int reads_as(const repo *r, const char *path, const char *want)
{
	buf b = BUF_INIT;
	const repo_file *f = repo_find(r, path);
	int ok = f && repo_read_blob(r, f->oid, &b) == 0 && b.len == strlen(want) &&
		memcmp(b.ptr, want, b.len) == 0;
	buf_release(&b);
	return ok;
}

/*
 * After repo_save_blobs() and repo_release_data(), blobs are read from the
 * saved file (whether it was rewritten or kept); a damaged file reads as a
 * miss, and the blob comes from the repository.
 */
static void released_blobs_come_from_the_saved_cache(void)
{
	if (sh(".", "git init -q -b main bs"))
		SKIP("git cannot create the fixture");
	write_at("bs", "content/a.md", "---\ntitle: A\n---\nYksi.\n");
	write_at("bs", "content/b.md", "Kaksi\n");
	CHECK(commit("bs", "2024-03-01T12:00:00+02:00", "first") == 0);
	diag_list d = DIAG_LIST_INIT;
	char *cache = xasprintf("%s/bs-out.cache/blobs", top);
	repo *r = open_cached("bs", cache, &d);
	repo_save_blobs(r, cache);                        /* written */
	repo_release_data(r);
	CHECK(reads_as(r, "a.md", "---\ntitle: A\n---\nYksi.\n"));
	CHECK(reads_as(r, "b.md", "Kaksi\n"));
	/* where the bytes come from: an entry changed in the file is what is read */
	CHECK(sh(".", SWAP_IN_PLACE) == 0);
	CHECK(reads_as(r, "b.md", "Kolme\n"));
	/* cut short: a miss, read from the repository */
	CHECK(truncate(cache, 30) == 0);
	CHECK(reads_as(r, "b.md", "Kaksi\n"));
	CHECK(reads_as(r, "a.md", "---\ntitle: A\n---\nYksi.\n"));
	repo_free(r);
	/* kept as it is (every file a hit): the same */
	r = open_cached("bs", cache, &d);
	repo_save_blobs(r, cache);
	repo_free(r);
	r = open_cached("bs", cache, &d);
	CHECK(r && repo_cache_hits(r) == 2);
	repo_save_blobs(r, cache);
	repo_release_data(r);
	CHECK(sh(".", SWAP_IN_PLACE) == 0);
	CHECK(reads_as(r, "b.md", "Kolme\n"));
	CHECK(reads_as(r, "a.md", "---\ntitle: A\n---\nYksi.\n"));
	repo_free(r);
	CHECK(d.n == 0);
	free(cache);
	diag_release(&d);
}

int main(void)
{
	if (fixture_begin() != 0) {
		perror("mkdtemp");
		return 1;
	}
	RUN(dates_in_the_commits_own_zone);
	RUN(reads_head_in_path_order);
	RUN(reads_an_older_revision);
	RUN(discovers_the_repository_from_the_current_folder);
	RUN(worktree_sees_uncommitted_edits);
	RUN(worktree_memo_rereads_only_what_changed);
	RUN(worktree_without_commits);
	RUN(errors_are_one_line);
	RUN(large_files_and_odd_entries);
	RUN(parallel_read_equals_serial);
	RUN(blob_cache_gives_the_same_files);
	RUN(tree_cache_gives_the_same_files);
	RUN(released_blobs_come_from_the_saved_cache);
	char *rm = xasprintf("rm -rf '%s'", top);
	if (system(rm) != 0)
		printf("  could not remove %s\n", top);
	free(rm);
	return test_summary();
}
