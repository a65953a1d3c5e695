/* profile.c: reading profile files, checking a profile can run here, expanding its command template. */
#include "profile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

void profile_dirs(const char *option_dir, str_vec *dirs)
{
	char *d;
	if (option_dir) {
		d = xstrdup(option_dir);
		VEC_PUSH(*dirs, d);
	}
	const char *env = getenv("CERTIFY_PROFILES");
	if (env && *env) {
		char *copy = xstrdup(env), *save = NULL;
		for (char *t = strtok_r(copy, ":", &save); t; t = strtok_r(NULL, ":", &save)) {
			d = xstrdup(t);
			VEC_PUSH(*dirs, d);
		}
		free(copy);
	}
	d = xstrdup(CERTIFY_PROFILES_DIR);
	VEC_PUSH(*dirs, d);
}

void profile_free(struct profile *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->path);
	free(p->dir);
	free(p->description);
	free(p->binary);
	str_vec_free(&p->version_args);
	free(p->version_match);
	str_vec_free(&p->needs_files);
	str_vec_free(&p->vmm_errors);
	str_vec_free(&p->args);
	for (size_t i = 0; i < p->generate.n; i++) {
		free(p->generate.v[i].name);
		free(p->generate.v[i].template_path);
	}
	free(p->generate.v);
	free(p);
}

static void split_words(const char *s, str_vec *out)
{
	char *copy = xstrdup(s), *save = NULL;
	for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		char *w = xstrdup(t);
		VEC_PUSH(*out, w);
	}
	free(copy);
}

static int choose(const char *v, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(v, names[i]) == 0)
			return i;
	return -1;
}

struct profile *profile_load(const char *path, const char *name)
{
	size_t len;
	char *text = read_file(path, &len);
	if (!text) {
		errorf("cannot read profile %s: %s", path, strerror(errno));
		return NULL;
	}
	struct profile *p = xcalloc(1, sizeof(*p));
	p->name = xstrdup(name);
	p->path = xstrdup(path);
	const char *slash = strrchr(path, '/');
	p->dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
	p->cmdline = true;
	int lineno = 0, more;
	bool ok = true;
	char *cursor = text, *key, *val;
	while (ok && (more = kv_next_line(&cursor, &lineno, &key, &val)) != 0) {
		if (more < 0) {
			errorf("%s:%d: expected \"key = value\"", path, lineno);
			ok = false;
			break;
		}
		static const char *const images[] = { "elf32", "elf", "iso", "pvh" };
		static const char *const serials[] = { "stdout", "file" };
		static const char *const accels[] = { "none", "kvm" };
		static const char *const yesno[] = { "no", "yes" };
		int x;
		char *copy;
		if (strcmp(key, "description") == 0) {
			free(p->description);
			p->description = xstrdup(val);
		} else if (strcmp(key, "binary") == 0) {
			free(p->binary);
			p->binary = xstrdup(val);
		} else if (strcmp(key, "version_args") == 0) {
			split_words(val, &p->version_args);
		} else if (strcmp(key, "version_match") == 0) {
			free(p->version_match);
			p->version_match = xstrdup(val);
		} else if (strcmp(key, "accel") == 0 && (x = choose(val, accels, 2)) >= 0) {
			p->accel = (enum accel)x;
		} else if (strcmp(key, "image") == 0 && (x = choose(val, images, 4)) >= 0) {
			p->image = (enum image_kind)x;
		} else if (strcmp(key, "serial") == 0 && (x = choose(val, serials, 2)) >= 0) {
			p->serial = (enum serial_mode)x;
		} else if (strcmp(key, "cmdline") == 0 && (x = choose(val, yesno, 2)) >= 0) {
			p->cmdline = x == 1;
		} else if (strcmp(key, "needs_file") == 0) {
			copy = xstrdup(val);
			VEC_PUSH(p->needs_files, copy);
		} else if (strcmp(key, "vmm_error") == 0 && *val) {
			copy = xstrdup(val);
			VEC_PUSH(p->vmm_errors, copy);
		} else if (strcmp(key, "args") == 0) {
			split_words(val, &p->args);
		} else if (strcmp(key, "arg") == 0) {
			copy = xstrdup(val);
			VEC_PUSH(p->args, copy);
		} else if (strcmp(key, "generate") == 0) {
			str_vec w = { 0 };
			split_words(val, &w);
			if (w.n != 2 || strchr(w.v[0], '/')) {
				errorf("%s:%d: generate wants \"NAME TEMPLATE\" (a file name and a template beside the profile)",
				       path, lineno);
				ok = false;
			} else {
				struct generated_file g = { xstrdup(w.v[0]), NULL };
				struct strbuf sb = STRBUF_INIT;
				if (w.v[1][0] == '/')
					sb_adds(&sb, w.v[1]);
				else
					sb_addf(&sb, "%s/%s", p->dir, w.v[1]);
				g.template_path = sb_steal(&sb);
				VEC_PUSH(p->generate, g);
			}
			str_vec_free(&w);
		} else {
			errorf("%s:%d: unknown key \"%s\" or bad value \"%s\" (docs/profiles.md lists them)", path, lineno,
			       key, val);
			ok = false;
		}
	}
	free(text);
	if (ok && (!p->binary || !p->args.n)) {
		errorf("profile %s needs at least a binary and args", path);
		ok = false;
	}
	/* Catch template typos now rather than at the first boot. */
	struct boot_params bp = { "k", "e", "e32", "i", "p", "c", "l", "d", "n", 1, 1 };
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; ok && i < p->args.n; i++)
		ok = profile_expand(p, p->args.v[i], &bp, &sb) == 0;
	sb_free(&sb);
	if (!ok) {
		profile_free(p);
		return NULL;
	}
	if (!p->version_args.n) {
		char *v = xstrdup("--version");
		VEC_PUSH(p->version_args, v);
	}
	return p;
}

static bool valid_profile_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || *s == '_' || *s == '.'))
			return false;
	return true;
}

struct profile *profile_find(const str_vec *dirs, const char *name)
{
	if (!valid_profile_name(name)) {
		errorf("\"%s\" is not a profile name: `certify profiles` lists them", name);
		return NULL;
	}
	for (size_t i = 0; i < dirs->n; i++) {
		struct strbuf sb = STRBUF_INIT;
		sb_addf(&sb, "%s/%s.profile", dirs->v[i], name);
		if (access(sb.buf, F_OK) == 0) {
			struct profile *p = profile_load(sb.buf, name);
			sb_free(&sb);
			return p;
		}
		sb_free(&sb);
	}
	errorf("no profile %s in %s%s: `certify profiles` lists the profiles there", name, dirs->v[0],
	       dirs->n > 1 ? " or the other profile directories" : "");
	return NULL;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void profile_names(const str_vec *dirs, str_vec *names)
{
	for (size_t i = 0; i < dirs->n; i++) {
		DIR *d = opendir(dirs->v[i]);
		if (!d)
			continue;
		struct dirent *e;
		while ((e = readdir(d))) {
			size_t n = strlen(e->d_name);
			if (n <= 8 || strcmp(e->d_name + n - 8, ".profile") != 0)
				continue;
			char *name = xstrndup(e->d_name, n - 8);
			if (str_vec_has(names, name))
				free(name);
			else
				VEC_PUSH(*names, name);
		}
		closedir(d);
	}
	if (names->n)
		qsort(names->v, names->n, sizeof(char *), str_cmp);
}

static char *which(const char *bin)
{
	if (strchr(bin, '/'))
		return access(bin, X_OK) == 0 ? xstrdup(bin) : NULL;
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	char *copy = xstrdup(path), *save = NULL;
	char *found = NULL;
	for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		struct strbuf sb = STRBUF_INIT;
		sb_addf(&sb, "%s/%s", d, bin);
		struct stat st;
		if (stat(sb.buf, &st) == 0 && S_ISREG(st.st_mode) && access(sb.buf, X_OK) == 0)
			found = sb_steal(&sb);
		sb_free(&sb);
	}
	free(copy);
	return found;
}

bool kvm_usable(char **why)
{
	/* Opening read-write is what QEMU does; a readable node is not enough. */
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		struct strbuf sb = STRBUF_INIT;
		sb_addf(&sb, "/dev/kvm cannot be opened read-write: %s", strerror(errno));
		*why = sb_steal(&sb);
		return false;
	}
	int v = ioctl(fd, KVM_GET_API_VERSION, 0);
	close(fd);
	if (v != KVM_API_VERSION) {
		struct strbuf sb = STRBUF_INIT;
		sb_addf(&sb, "/dev/kvm answers API version %d, not %d", v, KVM_API_VERSION);
		*why = sb_steal(&sb);
		return false;
	}
	return true;
}

bool profile_available(const struct profile *p, char **binary_path, char **why)
{
	*binary_path = NULL;
	*why = NULL;
	char *bin = which(p->binary);
	if (!bin) {
		struct strbuf sb = STRBUF_INIT;
		sb_addf(&sb, "VMM binary %s not found%s", p->binary, strchr(p->binary, '/') ? "" : " in PATH");
		*why = sb_steal(&sb);
		return false;
	}
	for (size_t i = 0; i < p->needs_files.n; i++) {
		if (access(p->needs_files.v[i], R_OK) != 0) {
			struct strbuf sb = STRBUF_INIT;
			sb_addf(&sb, "needed file %s is missing: %s", p->needs_files.v[i], strerror(errno));
			*why = sb_steal(&sb);
			free(bin);
			return false;
		}
	}
	if (p->accel == ACCEL_KVM && !kvm_usable(why)) {
		free(bin);
		return false;
	}
	*binary_path = bin;
	return true;
}

int profile_expand(const struct profile *p, const char *tmpl, const struct boot_params *bp, struct strbuf *out)
{
	sb_reset(out);
	sb_add(out, "", 0);
	for (const char *s = tmpl; *s;) {
		if (s[0] == '{' && s[1] == '{') {
			sb_addc(out, '{');
			s += 2;
			continue;
		}
		if (s[0] == '}' && s[1] == '}') {
			sb_addc(out, '}');
			s += 2;
			continue;
		}
		if (*s != '{') {
			sb_addc(out, *s++);
			continue;
		}
		const char *e = strchr(s, '}');
		if (!e) {
			errorf("%s: unclosed { in \"%s\"", p->path, tmpl);
			return -1;
		}
		size_t n = (size_t)(e - s - 1);
		const char *k = s + 1;
#define IS(name) (n == strlen(name) && strncmp(k, name, n) == 0)
		if (IS("kernel"))
			sb_adds(out, bp->kernel);
		else if (IS("elf"))
			sb_adds(out, bp->elf);
		else if (IS("elf32"))
			sb_adds(out, bp->elf32);
		else if (IS("iso"))
			sb_adds(out, bp->iso);
		else if (IS("pvh"))
			sb_adds(out, bp->pvh);
		else if (IS("cmdline"))
			sb_adds(out, bp->cmdline);
		else if (IS("log"))
			sb_adds(out, bp->log);
		else if (IS("dir"))
			sb_adds(out, bp->dir);
		else if (IS("name"))
			sb_adds(out, bp->name);
		else if (IS("profile_dir"))
			sb_adds(out, p->dir);
		else if (IS("cpus"))
			sb_addf(out, "%d", bp->cpus);
		else if (IS("memory_mib"))
			sb_addf(out, "%d", bp->memory_mib);
		else {
			errorf("%s: unknown placeholder {%.*s} (known: kernel elf elf32 iso pvh cmdline log dir name "
			       "profile_dir cpus memory_mib)", p->path, (int)n, k);
			return -1;
		}
#undef IS
		s = e + 1;
	}
	return 0;
}

char **profile_argv(const struct profile *p, const char *binary_path, const struct boot_params *bp)
{
	char **argv = xcalloc(p->args.n + 2, sizeof(char *));
	argv[0] = xstrdup(binary_path);
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < p->args.n; i++) {
		if (profile_expand(p, p->args.v[i], bp, &sb)) {
			sb_free(&sb);
			argv_free(argv);
			return NULL;
		}
		argv[i + 1] = xstrdup(sb.buf);
	}
	sb_free(&sb);
	return argv;
}

int profile_generate(const struct profile *p, const struct boot_params *bp)
{
	for (size_t i = 0; i < p->generate.n; i++) {
		const struct generated_file *g = &p->generate.v[i];
		char *tmpl = read_file(g->template_path, NULL);
		if (!tmpl) {
			errorf("profile %s: cannot read template %s: %s", p->name, g->template_path, strerror(errno));
			return -1;
		}
		struct strbuf text = STRBUF_INIT;
		int rc = profile_expand(p, tmpl, bp, &text);
		free(tmpl);
		if (rc == 0) {
			struct strbuf path = STRBUF_INIT;
			sb_addf(&path, "%s/%s", bp->dir, g->name);
			FILE *f = fopen(path.buf, "w");
			if (!f || fputs(text.buf, f) < 0 || fclose(f) != 0) {
				errorf("cannot write %s: %s", path.buf, strerror(errno));
				rc = -1;
			}
			sb_free(&path);
		}
		sb_free(&text);
		if (rc)
			return -1;
	}
	return 0;
}

void argv_free(char **argv)
{
	if (!argv)
		return;
	for (char **a = argv; *a; a++)
		free(*a);
	free(argv);
}

char *argv_display(char *const *argv)
{
	struct strbuf sb = STRBUF_INIT;
	for (char *const *a = argv; *a; a++) {
		if (a != argv)
			sb_addc(&sb, ' ');
		bool plain = **a && strspn(*a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+=/.,:@%") ==
					     strlen(*a);
		if (plain) {
			sb_adds(&sb, *a);
			continue;
		}
		sb_addc(&sb, '\'');
		for (const char *c = *a; *c; c++) {
			if (*c == '\'')
				sb_adds(&sb, "'\\''");
			else
				sb_addc(&sb, *c);
		}
		sb_addc(&sb, '\'');
	}
	return sb_steal(&sb);
}
