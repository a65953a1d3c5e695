/* kconf.h: per-kernel metadata files (<name>.conf, docs/kernel-metadata.md). */
#ifndef CERTIFY_KCONF_H
#define CERTIFY_KCONF_H

#include <stdbool.h>

struct kconf {
	char *description;
	char *cmdline;
	int cpus;
	int memory_mib;
	int timeout_s;
	bool timing_sensitive;
	char *devices;
};

/* Parses path into c (defaults filled in); prints file:line and returns -1 on errors. */
int kconf_load(const char *path, struct kconf *c);
void kconf_free(struct kconf *c);

#endif
