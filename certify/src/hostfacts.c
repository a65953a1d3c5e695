/* hostfacts.c: uname, /proc/cpuinfo and /sys/module facts of the host; SHA-256 of images via libcrypto. */
#include "hostfacts.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

/* The value of the first "key : value" line of /proc/cpuinfo. */
static void cpuinfo(fact_vec *facts, const char *key, const char *fact)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return;
	char line[1024];
	size_t n = strlen(key);
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, n) != 0 || (line[n] != ' ' && line[n] != '\t' && line[n] != ':'))
			continue;
		char *v = strchr(line, ':');
		if (!v)
			continue;
		v++;
		while (*v == ' ')
			v++;
		v[strcspn(v, "\n")] = '\0';
		facts_set(facts, fact, v);
		break;
	}
	fclose(f);
}

void host_facts(fact_vec *facts)
{
	struct utsname u;
	if (uname(&u) == 0) {
		char os[sizeof(u) + 8];
		snprintf(os, sizeof(os), "%s %s %s %s", u.sysname, u.release, u.version, u.machine);
		facts_set(facts, "host.os", os);
	}
	cpuinfo(facts, "model name", "host.cpu");
	cpuinfo(facts, "microcode", "host.microcode");
	/* Which KVM modules are loaded says what "KVM" means here (nested kvm_pvm, kvm_intel, ...). */
	DIR *d = opendir("/sys/module");
	if (d) {
		struct strbuf sb = STRBUF_INIT;
		struct dirent *e;
		str_vec names = { 0 };
		while ((e = readdir(d)))
			if (str_starts(e->d_name, "kvm")) {
				char *n = xstrdup(e->d_name);
				VEC_PUSH(names, n);
			}
		closedir(d);
		for (size_t i = 0; i < names.n; i++)
			for (size_t j = i + 1; j < names.n; j++)
				if (strcmp(names.v[i], names.v[j]) > 0) {
					char *t = names.v[i];
					names.v[i] = names.v[j];
					names.v[j] = t;
				}
		for (size_t i = 0; i < names.n; i++)
			sb_addf(&sb, "%s%s", i ? "," : "", names.v[i]);
		facts_set(facts, "host.kvm-modules", names.n ? sb.buf : "none");
		str_vec_free(&names);
		sb_free(&sb);
	}
	facts_set(facts, "certify.version", CERTIFY_VERSION);
}
