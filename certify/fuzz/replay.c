/* replay.c: runs the fuzz target over saved inputs (fuzz/regressions, seeds) without libFuzzer, for plain CI. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	int files = 0;
	for (int i = 1; i < argc; i++) {
		DIR *d = opendir(argv[i]);
		if (!d) {
			fprintf(stderr, "cannot open %s\n", argv[i]);
			return 1;
		}
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			char path[4096];
			snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
			size_t n;
			char *data = read_file(path, &n);
			if (!data)
				continue;
			LLVMFuzzerTestOneInput((const uint8_t *)data, n);
			free(data);
			files++;
		}
		closedir(d);
	}
	printf("replayed %d input(s)\n", files);
	return 0;
}
