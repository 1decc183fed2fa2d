/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * A main() that feeds files to a harness's LLVMFuzzerTestOneInput, one
 * TAP line per file, so that every committed corpus entry (and every past
 * crash added to it) runs as a regression test under the sanitizers.
 *
 *   fuzz_NAME FILE|DIR...
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#define INPUT_MAX (1u << 20)

static unsigned n;

static void run_file(const char *path)
{
	static unsigned char buf[INPUT_MAX];
	size_t len;
	unsigned char *copy;
	FILE *f = fopen(path, "rb");

	if (f == NULL) {
		printf("not ok %u - %s: cannot open\n", ++n, path);
		return;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	/* An exact-size copy, so ASan sees reads past the input. */
	copy = malloc(len ? len : 1);
	memcpy(copy, buf, len);
	LLVMFuzzerTestOneInput(copy, len);
	free(copy);
	printf("ok %u - %s\n", ++n, path);
}

static void run_path(const char *path)
{
	struct dirent **names;
	char child[4096];
	struct stat st;
	int count;

	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		run_file(path);
		return;
	}
	count = scandir(path, &names, NULL, alphasort);
	for (int i = 0; i < count; i++) {
		if (names[i]->d_name[0] != '.') {
			snprintf(child, sizeof(child), "%s/%s", path,
				 names[i]->d_name);
			run_path(child);
		}
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		run_path(argv[i]);
	printf("1..%u\n", n);
	return 0;
}
