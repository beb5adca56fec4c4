#include "stamp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "banned.h"

char *stamp_generator_id(void)
{
	struct stat st;
	long long exe_size = 0, exe_mtime = 0;
	if (stat("/proc/self/exe", &st) == 0) {
		exe_size = (long long)st.st_size;
		exe_mtime = (long long)st.st_mtime;
	}
	return xasprintf("avoin %s %lld %lld", AVOIN_VERSION, exe_size, exe_mtime);
}

char *stamp_cache_path(const char *out, const char *name)
{
	size_t n = strlen(out);
	while (n > 1 && out[n - 1] == '/')
		n--;
	return xasprintf("%.*s.cache%s%s", (int)n, out, *name ? "/" : "", name);
}

int stamp_matches(const char *out, const char *want)
{
	struct stat st;
	char *p = stamp_cache_path(out, "stamp"), *have = NULL;
	int same = stat(out, &st) == 0 && S_ISDIR(st.st_mode) && read_file(p, &have, NULL) == 0 &&
		strcmp(have, want) == 0;
	free(have);
	free(p);
	return same;
}

int stamp_other_commit(const char *out, const char *commit)
{
	char *p = stamp_cache_path(out, "stamp"), *have = NULL;
	char *line = xasprintf("\ncommit %s\n", commit);
	int other = read_file(p, &have, NULL) != 0 || !strstr(have, line);
	free(have);
	free(line);
	free(p);
	return other;
}

void stamp_write(const char *out, const char *text)
{
	char *p = stamp_cache_path(out, "stamp");
	atomic_file a;
	FILE *f = atomic_open(&a, p);
	atomic_commit(&a, f && fputs(text, f) >= 0, 0);
	free(p);
}

void stamp_remove(const char *out)
{
	char *p = stamp_cache_path(out, "stamp");
	unlink(p);
	free(p);
}
