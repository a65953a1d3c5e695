/* package.h: a certification package as named files in memory, its SHA256SUMS, and its tar / tar.zst archive. */
#ifndef CERTIFY_PACKAGE_H
#define CERTIFY_PACKAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

#define PKG_SUMS "SHA256SUMS"
#define PKG_SIG "SHA256SUMS.sig"

struct pkg_file {
	char *path;	/* relative to the package's top directory */
	char *data;	/* NUL-terminated for convenience; len is the size */
	size_t len;
};

struct package {
	char *top;	/* the one top directory of the archive */
	VEC(struct pkg_file) files;
};

/* Adds a copy of data, or takes data over (it must have a byte to spare
 * for the NUL, as strbuf and read_file give). */
void package_add(struct package *p, const char *path, const void *data, size_t len);
void package_take(struct package *p, const char *path, char *data, size_t len);
const struct pkg_file *package_get(const struct package *p, const char *path);
void package_free(struct package *p);

/* The SHA256SUMS text (`sha256sum -c` reads it): every file but SHA256SUMS
 * and SHA256SUMS.sig, sorted by path. */
char *package_sums(const struct package *p, size_t *len);

enum pkg_compression { PKG_TAR, PKG_TAR_ZSTD };
/* The compression a file name asks for (.tar or .tar.zst); -1 for others. */
int package_compression_for(const char *path);
/* Writes the archive: the top directory, then every file sorted by path,
 * all with mtime, owner 0 and fixed modes, so equal packages are equal
 * bytes. Never replaces an existing file; -1 with a message. */
int package_write(const struct package *p, const char *path, long long mtime);
/* Reads an archive into p. Anything that keeps it from being a package
 * (not a tar archive, damaged, more than one top directory, links or
 * devices, unsafe or repeated names) is added to problems; -1 when the
 * archive could not be read at all. */
int package_read(const char *path, struct package *p, str_vec *problems);

/* A problem message, added to a list (the checks report every problem). */
void problem(str_vec *problems, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
