/*
 * The command line: the only code that prints. Exit status: 0 success,
 * 1 content errors, 2 usage or repository errors.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "serve.h"   /* and build.h */
#include "buf.h"
#include "diag.h"
#include "frontmatter.h"
#include "msg.h"
#include "output.h"
#include "repo.h"
#include "starter.h"
#include "util.h"
#include "banned.h"

#ifndef AVOIN_VERSION
#define AVOIN_VERSION "dev"
#endif

static const char *const usage = N_(
	"usage: avoin <command> [options]\n"
	"\n"
	"Publishes the cooperation records of wellbeing services counties and their\n"
	"municipalities as a static site, read from one git revision.\n"
	"\n"
	"commands:\n"
	"  build           validate and write the site (into a staging folder, swapped in at the end)\n"
	"  check           validate only; write nothing\n"
	"  init DIR        make a new content repository in DIR, with an example of every record type\n"
	"  new TYPE PATH   write a new record of TYPE (minutes, agreement, ...) at PATH under the\n"
	"                  content folder, every key present and commented in Finnish\n"
	"  serve           build into memory, serve the site over HTTP and build again on every\n"
	"                  change (with --worktree: a saved file; else: a new commit on --rev)\n"
	"\n"
	"options:\n"
	"  --repo PATH     the git repository (default: the one containing the current folder)\n"
	"  --rev REV       the revision to build (default: HEAD)\n"
	"  --content PATH  the content folder inside the repository (default: content)\n"
	"  --worktree      read the working files instead of the revision (preview uncommitted edits)\n"
	"  --out DIR       the output folder (default: public)\n"
	"  --theme DIR     the theme folder (default: site.yaml's theme, else themes/default)\n"
	"  --scope REGION[/MUNICIPALITY]\n"
	"                  write the site of one region or municipality only, its page as the\n"
	"                  front page, for its own address (region.md's or the municipality's base_url)\n"
	"  --all-scopes    write the site of every region and municipality, each into its own\n"
	"                  folder of the output (default: public-sites): <region>/, <municipality>/\n"
	"  --jobs N        worker threads (default: the number of cores)\n"
	"  --strict        name unknown keys (warnings); links to drafts are errors\n"
	"  --wait          when another build is writing the same output, wait for it (else: exit 2)\n"
	"  -q, --quiet     print errors only\n"
	"  --lang fi|sv|en the language of errors and warnings (default: LC_ALL, LC_MESSAGES\n"
	"                  or LANG, else the site's first language)\n"
	"  --port N        serve: the port (default: 8110; 0: any free one)\n"
	"  --bind ADDR     serve: the address to listen on (default: 127.0.0.1, this machine only)\n"
	"                  serve writes the site to --out only when it is given\n"
	"  --timings       print each build phase's wall time, CPU time and memory (and the\n"
	"                  workers' busy time) to stderr\n"
	"  -h, --help      this help\n"
	"  --version       the version\n"
	"\n"
	"exit status: 0 success, 1 content errors, 2 usage or repository errors\n"
	"content format and every error message: the publisher's handbook, doc/kasikirja.md\n"
	"(suomeksi), doc/handbok.md (på svenska) and doc/handbook.md (in English); manual: man avoin\n");

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "avoin: ");
	fprintf(stderr, tr(fmt), arg);
	fprintf(stderr, "%s", tr("\n(see 'avoin --help')\n"));
	return 2;
}

/* The first of site.yaml's languages, read from the revision (or working tree) o builds. */
static int site_first_lang(const build_opts *o, msg_lang *out)
{
	repo_opts ro = { o->repo_path, o->rev, o->content, o->worktree };
	buf text = BUF_INIT;
	int rc = -1;
	if (repo_peek_file(&ro, "site.yaml", 1 << 20, &text) == 0) {
		diag_list ignored = DIAG_LIST_INIT;
		value *cfg = yaml_parse(text.ptr ? text.ptr : "", text.len, "site.yaml", 1, &ignored);
		const value *l = cfg ? value_map_get(cfg, "languages") : NULL;
		if (l && l->kind == VAL_LIST && l->u.list.n && l->u.list.items[0]->kind == VAL_STRING)
			rc = msg_lang_parse(l->u.list.items[0]->u.str.ptr, out);
		else if (cfg && !l)
			rc = msg_lang_parse("fi", out);   /* a site's languages are [fi] unless it says */
		value_free(cfg);
		diag_release(&ignored);
	}
	buf_release(&text);
	return rc;
}

/* The language of usage errors: --lang or the environment's, before the options are read. */
static void early_lang(int argc, char **argv)
{
	msg_lang l;
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--lang") == 0 && strlen(argv[i + 1]) == 2 &&
		    msg_lang_parse(argv[i + 1], &l) == 0) {
			msg_set_lang(l);
			return;
		}
	if (msg_lang_from_env(&l) == 0)
		msg_set_lang(l);
}

/*
 * The language of messages, before anything else is said: --lang, else the
 * environment's, else the site's first language, else English.
 */
static int choose_lang(const char *flag, const build_opts *o)
{
	msg_lang l = MSG_EN;
	if (flag) {
		if (strlen(flag) != 2 || msg_lang_parse(flag, &l) != 0)
			return usage_error("'--lang' must be fi, sv or en (got '%s')", flag);
	} else if (msg_lang_from_env(&l) != 0 && site_first_lang(o, &l) != 0) {
		l = MSG_EN;
	}
	msg_set_lang(l);
	return 0;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Deletes the files the build replaced (output_trash_dir) in a child process
 * of low priority that outlives this one, as git's `gc --auto` runs in the
 * background: the site is in place and the command returns, while the disk
 * frees the old files. Its output goes nowhere, so that nothing waits on a
 * pipe it holds. When no child can be made, the deletion is done here.
 */
static void empty_trash(const char *out)
{
	char *trash = output_trash_dir(out);
	struct stat st;
	int have = stat(trash, &st) == 0;
	free(trash);
	if (!have)
		return;
	fflush(NULL);
	pid_t pid = fork();
	if (pid != 0) {
		if (pid < 0)
			output_empty_trash(out);
		return;
	}
	setsid();
	int null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (null > 2)
			close(null);
	}
	setpriority(PRIO_PROCESS, 0, 19);
	_exit(output_empty_trash(out) == 0 ? 0 : 1);
}

/* " (and 5 translations)" for `avoin check`: a static buffer, as main prints it at once. */
static const char *translations_text(size_t n)
{
	static char text[64];
	snprintf(text, sizeof(text), tr(" (and %zu translation%s)"), n, n == 1 ? "" : "s");
	return text;
}

/* `avoin init DIR` and `avoin new TYPE PATH` (starter.h). */
static int run_starter(const char *cmd, const char *const *args, int n, const build_opts *o,
	int quiet)
{
	int init = strcmp(cmd, "init") == 0;
	if (n != (init ? 1 : 2))
		return usage_error(init ? N_("'init' takes one folder (got %s)") :
			N_("'new' takes a record type and a path (got %s)"),
			n ? tr("more or fewer") : tr("none"));
	diag_list d = DIAG_LIST_INIT;
	int ret;
	if (init) {
		ret = starter_init(args[0], &d);
	} else {
		repo_opts ro = { o->repo_path, NULL, o->content, 0 };
		repo_place place;
		if (repo_locate(&ro, &place) != 0 || !place.content) {
			diag_error(&d, NULL, 0, "no git repository with a working folder here (expected "
				"to be run in a content repository, or --repo PATH; 'avoin init DIR' makes one)");
			ret = -1;
		} else {
			ret = starter_new(place.content, args[0], args[1], &d);
			repo_place_release(&place);
		}
	}
	diag_print(stderr, &d);
	diag_release(&d);
	if (ret == 0 && !quiet) {
		if (init)
			printf(tr("avoin: a new content repository in %s; see it with: cd %s && avoin "
				"build\n"), args[0], args[0]);
		else
			printf(tr("avoin: wrote %s%s (a draft until 'draft: true' is removed)\n"), args[1],
				str_has_suffix(args[1], ".md") ? "" : ".md");
	}
	return ret == 0 ? 0 : 2;
}

int main(int argc, char **argv)
{
	build_opts o = { 0 };
	int quiet = 0, port = -1;
	const char *bind = NULL, *lang = NULL;
	const char *cmd = NULL, *args[2] = { NULL, NULL };
	int n_args = 0;
	o.argv0 = argv[0];
	early_lang(argc, argv);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **target = NULL;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(tr(usage), stdout);
			return 0;
		} else if (strcmp(a, "--version") == 0) {
			printf("avoin %s\n", AVOIN_VERSION);
			return 0;
		} else if (strcmp(a, "--worktree") == 0) {
			o.worktree = 1;
		} else if (strcmp(a, "--strict") == 0) {
			o.strict = 1;
		} else if (strcmp(a, "--wait") == 0) {
			o.wait = 1;
		} else if (strcmp(a, "--timings") == 0) {
			o.timings = 1;
		} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			quiet = 1;
		} else if (strcmp(a, "--repo") == 0) {
			target = &o.repo_path;
		} else if (strcmp(a, "--rev") == 0) {
			target = &o.rev;
		} else if (strcmp(a, "--content") == 0) {
			target = &o.content;
		} else if (strcmp(a, "--out") == 0) {
			target = &o.out;
		} else if (strcmp(a, "--theme") == 0) {
			target = &o.theme_dir;
		} else if (strcmp(a, "--scope") == 0) {
			target = &o.scope;
		} else if (strcmp(a, "--all-scopes") == 0) {
			o.all_scopes = 1;
		} else if (strcmp(a, "--bind") == 0) {
			target = &bind;
		} else if (strcmp(a, "--lang") == 0) {
			target = &lang;
		} else if (strcmp(a, "--port") == 0) {
			if (i + 1 >= argc)
				return usage_error("'%s' needs a value", a);
			char *end;
			long p = strtol(argv[++i], &end, 10);
			if (*end || end == argv[i] || p < 0 || p > 65535)
				return usage_error("'--port' must be a number from 0 to 65535 (got '%s')", argv[i]);
			port = (int)p;
		} else if (strcmp(a, "--jobs") == 0 || strcmp(a, "-j") == 0) {
			if (i + 1 >= argc)
				return usage_error("'%s' needs a value", a);
			char *end;
			long j = strtol(argv[++i], &end, 10);
			if (*end || j < 1 || j > 256)
				return usage_error("'--jobs' must be a number from 1 to 256 (got '%s')", argv[i]);
			o.jobs = (int)j;
		} else if (a[0] == '-') {
			return usage_error("unknown option '%s'", a);
		} else if (!cmd) {
			cmd = a;
		} else if (n_args < 2) {
			args[n_args++] = a;
		} else {
			return usage_error("unexpected argument '%s'", a);
		}
		if (target) {
			if (i + 1 >= argc || argv[i + 1][0] == '\0')
				return usage_error("'%s' needs a value", a);
			*target = argv[++i];
		}
	}
	if (!cmd) {
		fputs(tr(usage), stderr);
		return 2;
	}
	if (choose_lang(lang, &o) != 0)
		return 2;
	if (strcmp(cmd, "init") == 0 || strcmp(cmd, "new") == 0)
		return run_starter(cmd, args, n_args, &o, quiet);
	if (n_args)
		return usage_error("unexpected argument '%s'", args[0]);
	if (o.scope && o.all_scopes)
		return usage_error("'--scope' and '--all-scopes' exclude each other (got '%s' and both)",
			o.scope);
	if (strcmp(cmd, "serve") == 0) {
		if (o.scope || o.all_scopes)
			return usage_error("'%s' is an option of 'build' and 'check' (serve shows the whole "
				"site)", o.scope ? "--scope" : "--all-scopes");
		serve_opts so = { o, bind, port, quiet };
		return serve_run(&so);
	}
	if (port >= 0 || bind)
		return usage_error("'--port' and '--bind' are options of 'serve' (the command is '%s')",
			cmd);
	if (strcmp(cmd, "check") == 0)
		o.check_only = 1;
	else if (strcmp(cmd, "build") != 0)
		return usage_error("unknown command '%s'", cmd);

	if (o.all_scopes && !o.out)
		o.out = "public-sites";
	diag_list d = DIAG_LIST_INIT;
	build_result res;
	double t0 = now_seconds();
	o.exiting = 1;
	int status = build_run(&o, &d, &res);
	double secs = now_seconds() - t0;
	size_t warnings = d.n - d.errors;
	if (status == 1 && res.commit[0])
		fprintf(stderr, o.worktree ? tr("avoin: errors in the working tree (the files as "
			"saved; %s is %.7s):\n") : tr("avoin: errors in %s (%.7s):\n"), res.rev,
			res.commit);
	diag_print(stderr, &d);
	if (status == 1) {
		fprintf(stderr, tr("avoin: %zu error%s, %zu warning%s%s\n"), d.errors,
			d.errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s",
			o.check_only ? "" : tr("; the previous output was left untouched"));
	} else if (status == 0 && !quiet) {
		if (o.check_only)
			printf(tr("avoin: %zu records valid%s at %.7s%s, %zu warning%s\n"), res.records,
				res.translations ? translations_text(res.translations) : "", res.commit,
				o.worktree ? tr(" (working tree)") : "", warnings, warnings == 1 ? "" : "s");
		else if (res.up_to_date)
			printf(tr("avoin: %s is up to date with %.7s (%zu records); nothing to write\n"),
				o.out ? o.out : "public", res.commit, res.records);
		else
			printf(tr("avoin: %zu files written (%zu new or changed; %zu records) to %s from "
				"%.7s%s in %.2f s\n"), res.files, res.changed, res.records,
				o.out ? o.out : "public", res.commit, o.worktree ? tr(" (working tree)") : "",
				secs);
	}
	diag_release(&d);
	if (!o.check_only)
		empty_trash(o.out ? o.out : "public");
	return status;
}
