/* package.c: package files in memory, SHA256SUMS, and the archive through libarchive (tar, tar.zst). */
#include "package.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto.h"

/* A package holds text and serial logs: far below these. They bound what
 * a hostile archive (a zstd bomb) can make verify hold in memory. */
#define PKG_MAX_FILE (256u << 20)
#define PKG_MAX_TOTAL (1024u << 20)
/* A package holds a log per kernel and a few files; lookups by name are
 * linear, so the count is bounded too. */
#define PKG_MAX_FILES 4096

void problem(str_vec *problems, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	str_vec_vpushf(problems, fmt, ap);
	va_end(ap);
}

void package_take(struct package *p, const char *path, char *data, size_t len)
{
	struct pkg_file f = { xstrdup(path), data, len };
	VEC_PUSH(p->files, f);
}

void package_add(struct package *p, const char *path, const void *data, size_t len)
{
	char *copy = xmalloc(len + 1);
	if (len)
		memcpy(copy, data, len);
	copy[len] = '\0';
	package_take(p, path, copy, len);
}

const struct pkg_file *package_get(const struct package *p, const char *path)
{
	for (size_t i = 0; i < p->files.n; i++)
		if (strcmp(p->files.v[i].path, path) == 0)
			return &p->files.v[i];
	return NULL;
}

void package_free(struct package *p)
{
	for (size_t i = 0; i < p->files.n; i++) {
		free(p->files.v[i].path);
		free(p->files.v[i].data);
	}
	free(p->files.v);
	free(p->top);
	memset(p, 0, sizeof(*p));
}

static int file_cmp(const void *pa, const void *pb)
{
	return strcmp((*(const struct pkg_file *const *)pa)->path, (*(const struct pkg_file *const *)pb)->path);
}

/* Pointers to the files sorted by path (the package keeps its order). */
static const struct pkg_file **sorted(const struct package *p)
{
	const struct pkg_file **v = xcalloc(p->files.n + 1, sizeof(*v));
	for (size_t i = 0; i < p->files.n; i++)
		v[i] = &p->files.v[i];
	qsort(v, p->files.n, sizeof(*v), file_cmp);
	return v;
}

char *package_sums(const struct package *p, size_t *len)
{
	const struct pkg_file **v = sorted(p);
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "");
	for (size_t i = 0; i < p->files.n; i++) {
		if (strcmp(v[i]->path, PKG_SUMS) == 0 || strcmp(v[i]->path, PKG_SIG) == 0)
			continue;
		char hex[65];
		sha256_hex(v[i]->data, v[i]->len, hex);
		/* Two spaces: sha256sum's text mode, which `sha256sum -c` reads. */
		sb_addf(&sb, "%s  %s\n", hex, v[i]->path);
	}
	free(v);
	*len = sb.len;
	return sb_steal(&sb);
}

int package_compression_for(const char *path)
{
	size_t n = strlen(path);
	if (n > 8 && strcmp(path + n - 8, ".tar.zst") == 0)
		return PKG_TAR_ZSTD;
	if (n > 4 && strcmp(path + n - 4, ".tar") == 0)
		return PKG_TAR;
	return -1;
}

static struct archive_entry *entry(const char *top, const char *path, bool dir, size_t size, long long mtime)
{
	struct archive_entry *e = archive_entry_new();
	struct strbuf name = STRBUF_INIT;
	sb_addf(&name, "%s/%s", top, path);
	archive_entry_set_pathname(e, name.buf);
	sb_free(&name);
	archive_entry_set_filetype(e, dir ? AE_IFDIR : AE_IFREG);
	archive_entry_set_perm(e, dir ? 0755 : 0644);
	archive_entry_set_size(e, dir ? 0 : (la_int64_t)size);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	archive_entry_set_mtime(e, (time_t)mtime, 0);
	return e;
}

static int write_entries(struct archive *a, const struct package *p, long long mtime)
{
	const struct pkg_file **v = sorted(p);
	int rc = -1;
	struct archive_entry *e = entry(p->top, "", true, 0, mtime);
	if (archive_write_header(a, e) != ARCHIVE_OK)
		goto out;
	/* A directory entry before the first file in it (logs/). */
	char last_dir[4096] = "";
	for (size_t i = 0; i < p->files.n; i++) {
		const char *slash = strrchr(v[i]->path, '/');
		if (slash) {
			size_t n = (size_t)(slash - v[i]->path) + 1;
			if (n < sizeof(last_dir) && (strlen(last_dir) != n || strncmp(last_dir, v[i]->path, n) != 0)) {
				memcpy(last_dir, v[i]->path, n);
				last_dir[n] = '\0';
				archive_entry_free(e);
				e = entry(p->top, last_dir, true, 0, mtime);
				if (archive_write_header(a, e) != ARCHIVE_OK)
					goto out;
			}
		}
		archive_entry_free(e);
		e = entry(p->top, v[i]->path, false, v[i]->len, mtime);
		if (archive_write_header(a, e) != ARCHIVE_OK ||
		    archive_write_data(a, v[i]->data, v[i]->len) != (la_ssize_t)v[i]->len)
			goto out;
	}
	rc = 0;
out:
	archive_entry_free(e);
	free(v);
	return rc;
}

int package_write(const struct package *p, const char *path, long long mtime)
{
	int comp = package_compression_for(path);
	if (comp < 0) {
		errorf("%s: a package is named NAME.tar or NAME.tar.zst (zstd-compressed)", path);
		return -1;
	}
	if (access(path, F_OK) == 0) {
		errorf("%s exists: certify never replaces a certification package; remove it or choose another name",
		       path);
		return -1;
	}
	/* Written beside the target and linked into place at the end: a
	 * failed or interrupted release never leaves half a package. */
	struct strbuf tmp = STRBUF_INIT;
	sb_addf(&tmp, "%s.XXXXXX", path);
	int fd = mkstemp(tmp.buf);
	if (fd < 0) {
		errorf("cannot create a file beside %s: %s", path, strerror(errno));
		sb_free(&tmp);
		return -1;
	}
	fchmod(fd, 0644);
	struct archive *a = archive_write_new();
	int rc = -1;
	/* pax restricted: plain ustar unless a name needs more, which every
	 * tar reads. */
	if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    (comp == PKG_TAR_ZSTD && archive_write_add_filter_zstd(a) != ARCHIVE_OK) ||
	    archive_write_open_fd(a, fd) != ARCHIVE_OK || write_entries(a, p, mtime) ||
	    archive_write_close(a) != ARCHIVE_OK) {
		errorf("cannot write %s: %s", path, str_or(archive_error_string(a), "libarchive gave no reason"));
		goto out;
	}
	if (fsync(fd) != 0) {
		errorf("cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	if (link(tmp.buf, path) != 0) {
		if (errno == EEXIST)
			errorf("%s appeared while the package was written: not replaced", path);
		else
			errorf("cannot create %s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	archive_write_free(a);
	close(fd);
	unlink(tmp.buf);
	sb_free(&tmp);
	return rc;
}

/* A path inside the package that extracts where it says: relative, no
 * empty, "." or ".." parts, and only characters sha256sum writes as they
 * are (it escapes backslashes and newlines). */
static bool safe_path(const char *s)
{
	if (!*s || *s == '/')
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
			return false;
	for (const char *part = s; part;) {
		const char *slash = strchr(part, '/');
		size_t n = slash ? (size_t)(slash - part) : strlen(part);
		if (n == 0 || (n == 1 && part[0] == '.') || (n == 2 && part[0] == '.' && part[1] == '.'))
			return false;
		part = slash ? slash + 1 : NULL;
	}
	return true;
}

/* Reads one regular entry's bytes; -1 (problem noted) on damage. */
static int read_data(struct archive *a, const char *name, size_t size, char **out, str_vec *problems)
{
	char *buf = xmalloc(size + 1);
	size_t got = 0;
	for (;;) {
		la_ssize_t n = archive_read_data(a, buf + got, size - got + (got == size));
		if (n < 0) {
			problem(problems, "%s: cannot be read from the archive (%s): the archive is damaged or cut short",
				name, str_or(archive_error_string(a), "no reason given"));
			free(buf);
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got > size) {
			problem(problems, "%s: holds more bytes than its header says", name);
			free(buf);
			return -1;
		}
	}
	if (got != size) {
		problem(problems, "%s: holds %zu bytes, its header says %zu: the archive is cut short", name, got, size);
		free(buf);
		return -1;
	}
	buf[size] = '\0';
	*out = buf;
	return 0;
}

/* One entry: its top directory and its place under it. */
static int take_entry(struct package *p, struct archive *a, struct archive_entry *e, size_t *total,
		      str_vec *problems)
{
	const char *name = archive_entry_pathname(e);
	if (!name || !*name) {
		problem(problems, "the archive has an entry without a name");
		return -1;
	}
	while (str_starts(name, "./"))
		name += 2;
	const char *slash = strchr(name, '/');
	size_t top_len = slash ? (size_t)(slash - name) : strlen(name);
	const char *rest = slash ? slash + 1 : "";
	mode_t type = archive_entry_filetype(e);
	if (!p->top) {
		p->top = xstrndup(name, top_len);
		if (!safe_path(p->top)) {
			problem(problems, "%s: not a safe directory name for a package", p->top);
			return -1;
		}
	}
	if (strlen(p->top) != top_len || strncmp(p->top, name, top_len) != 0) {
		problem(problems, "%s: outside the package's directory %s/ (a package has one top directory)", name,
			p->top);
		return 0;
	}
	size_t rest_len = strlen(rest);
	if (type == AE_IFDIR) {
		/* Directories carry nothing a package checks; their names
		 * (with tar's trailing slash) must still be safe. */
		char *dir = xstrndup(rest, rest_len && rest[rest_len - 1] == '/' ? rest_len - 1 : rest_len);
		if (*dir && !safe_path(dir))
			problem(problems, "%s: not a safe name inside a package", name);
		free(dir);
		return 0;
	}
	if (type != AE_IFREG || archive_entry_hardlink(e)) {
		problem(problems, "%s: %s, not a regular file: a package holds regular files only", name,
			archive_entry_hardlink(e) ? "a hard link" : type == AE_IFLNK ? "a symbolic link" : "a special file");
		return 0;
	}
	if (!safe_path(rest) || rest[rest_len - 1] == '/') {
		problem(problems, "%s: not a safe name inside a package", name);
		return 0;
	}
	if (p->files.n >= PKG_MAX_FILES) {
		problem(problems, "the archive holds more than %d files: not a certification package", PKG_MAX_FILES);
		return -1;
	}
	if (package_get(p, rest)) {
		problem(problems, "%s: is in the archive twice", rest);
		return 0;
	}
	la_int64_t size = archive_entry_size(e);
	if (size < 0 || (unsigned long long)size > PKG_MAX_FILE || *total + (size_t)size > PKG_MAX_TOTAL) {
		problem(problems, "%s: %lld bytes, more than a certification package holds (%u MiB a file, %u MiB "
			"in all)", rest, (long long)size, PKG_MAX_FILE >> 20, PKG_MAX_TOTAL >> 20);
		return -1;
	}
	char *data;
	if (read_data(a, rest, (size_t)size, &data, problems))
		return -1;
	*total += (size_t)size;
	package_take(p, rest, data, (size_t)size);
	return 0;
}

int package_read(const char *path, struct package *p, str_vec *problems)
{
	memset(p, 0, sizeof(*p));
	struct archive *a = archive_read_new();
	/* What release writes, tar or tar.zst, and nothing else: other
	 * filters may run external programs (lrzip, lzop) on hostile input. */
	archive_read_support_filter_zstd(a);
	archive_read_support_format_tar(a);
	int rc = -1;
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		problem(problems, "%s: not a readable tar archive (%s)", path,
			str_or(archive_error_string(a), strerror(errno)));
		goto out;
	}
	size_t total = 0;
	for (;;) {
		struct archive_entry *e;
		int r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			problem(problems, "%s: not a readable tar archive (%s)", path,
				str_or(archive_error_string(a), "damaged"));
			goto out;
		}
		if (take_entry(p, a, e, &total, problems))
			goto out;
	}
	if (!p->top) {
		problem(problems, "%s: the archive is empty", path);
		goto out;
	}
	rc = 0;
out:
	archive_read_free(a);
	return rc;
}
