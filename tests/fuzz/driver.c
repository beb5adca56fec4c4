/*
 * Standalone driver for the fuzz targets (after libgit2's
 * fuzzers/standalone_driver.c): replays every file of a corpus folder
 * through LLVMFuzzerTestOneInput, so the normal test run (and ASan) covers
 * what the fuzzer found. `make fuzz` builds the same targets with libFuzzer.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS-FOLDER\n", argv[0]);
		return 2;
	}
	DIR *dh = opendir(argv[1]);
	if (!dh) {
		printf("skip %s: no corpus folder\n0 passed, 0 failed, 1 skipped\n", argv[1]);
		return 0;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(dh))) {
		if (e->d_name[0] == '.')
			continue;
		names = xgrow(names, sizeof(char *), n + 1, &cap);
		names[n++] = xasprintf("%s/%s", argv[1], e->d_name);
	}
	closedir(dh);
	if (n)
		qsort(names, n, sizeof(char *), cmp);
	int failed = 0;
	for (size_t i = 0; i < n; i++) {
		char *data;
		size_t len;
		if (read_file(names[i], &data, &len) != 0) {
			printf("not ok %s: cannot read\n", names[i]);
			failed++;
		} else {
			/* a crash or sanitizer report ends the process: reaching here is a pass */
			LLVMFuzzerTestOneInput((const uint8_t *)data, len);
			printf("ok %s\n", names[i]);
			free(data);
		}
		free(names[i]);
	}
	free(names);
	printf("%zu passed, %d failed, 0 skipped\n", n - (size_t)failed, failed);
	return failed ? 1 : 0;
}
