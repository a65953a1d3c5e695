/* kconf.c: reading a kernel's metadata file; unknown keys are errors so typos are not ignored. */
#include "kconf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int kconf_load(const char *path, struct kconf *c)
{
	memset(c, 0, sizeof(*c));
	c->cpus = 1;
	c->memory_mib = 128;
	c->timeout_s = 30;
	size_t len;
	char *text = read_file(path, &len);
	if (!text) {
		errorf("cannot read kernel metadata %s: %s", path, strerror(errno));
		return -1;
	}
	int lineno = 0, rc = 0, more;
	char *cursor = text, *key, *val;
	while (rc == 0 && (more = kv_next_line(&cursor, &lineno, &key, &val)) != 0) {
		if (more < 0) {
			errorf("%s:%d: expected \"key = value\"", path, lineno);
			rc = -1;
			break;
		}
		if (strcmp(key, "description") == 0) {
			free(c->description);
			c->description = xstrdup(val);
		} else if (strcmp(key, "cmdline") == 0) {
			free(c->cmdline);
			c->cmdline = xstrdup(val);
		} else if (strcmp(key, "devices") == 0) {
			free(c->devices);
			c->devices = xstrdup(val);
		} else if (strcmp(key, "cpus") == 0) {
			if (!parse_int(val, 1, 256, &c->cpus))
				rc = -1;
		} else if (strcmp(key, "memory_mib") == 0) {
			if (!parse_int(val, 1, 1 << 20, &c->memory_mib))
				rc = -1;
		} else if (strcmp(key, "timeout_s") == 0) {
			if (!parse_int(val, 1, 86400, &c->timeout_s))
				rc = -1;
		} else if (strcmp(key, "timing_sensitive") == 0) {
			if (strcmp(val, "yes") != 0 && strcmp(val, "no") != 0)
				rc = -1;
			c->timing_sensitive = strcmp(val, "yes") == 0;
		} else {
			errorf("%s:%d: unknown key \"%s\" (docs/kernel-metadata.md lists the keys)", path, lineno, key);
			rc = -1;
			break;
		}
		if (rc)
			errorf("%s:%d: bad value \"%s\" for %s", path, lineno, val, key);
	}
	free(text);
	if (rc == 0 && !c->description) {
		errorf("%s: the description key is required", path);
		rc = -1;
	}
	if (!c->cmdline)
		c->cmdline = xstrdup("");
	if (rc)
		kconf_free(c);
	return rc;
}

void kconf_free(struct kconf *c)
{
	free(c->description);
	free(c->cmdline);
	free(c->devices);
	memset(c, 0, sizeof(*c));
}
