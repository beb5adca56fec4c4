#ifndef AVOIN_SHELL_FIXTURE_H
#define AVOIN_SHELL_FIXTURE_H
/*
 * Shell helpers for unit tests that build git repositories with the git
 * command line. The including file defines `static char top[]`: the test's
 * mkdtemp() folder, which every dir argument is relative to.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "util.h"

/*
 * Makes the test's folder and isolates git from the user's configuration,
 * so nobody's own settings change what the tests see. 0 or -1.
 */
static inline int fixture_begin(void)
{
	if (!mkdtemp(top))
		return -1;
	setenv("HOME", top, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
	return 0;
}

/* Runs a shell command in folder dir (relative to top); 0 when it exited 0. */
static inline int sh(const char *dir, const char *fmt, ...)
{
	buf cmd = BUF_INIT;
	buf_printf(&cmd, "cd '%s/%s' && (", top, dir);
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	buf_puts(&cmd, ") >/dev/null 2>&1");
	int rc = system(cmd.ptr);
	buf_release(&cmd);
	return rc;
}

/* The first line a command prints. */
static inline char *sh_out(const char *dir, const char *cmd)
{
	char *full = xasprintf("cd '%s/%s' && %s", top, dir, cmd);
	FILE *p = popen(full, "r");
	free(full);
	char line[256] = "";
	if (p) {
		if (!fgets(line, sizeof(line), p))
			line[0] = '\0';
		pclose(p);
	}
	line[strcspn(line, "\n")] = '\0';
	return xstrdup(line);
}

/* Writes text at dir/path, creating folders. */
static inline void write_at(const char *dir, const char *path, const char *text)
{
	char *full = xasprintf("%s/%s/%s", top, dir, path);
	for (char *s = strchr(full + strlen(top) + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(full, 0755);
		*s = '/';
	}
	FILE *f = fopen(full, "wb");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	free(full);
}

#endif
