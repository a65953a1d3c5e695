/* profile.h: VMM profiles: data files that say how to boot a kernel under one VMM (docs/profiles.md). */
#ifndef CERTIFY_PROFILE_H
#define CERTIFY_PROFILE_H

#include <stdbool.h>

#include "util.h"

/* elf32: <name>.elf32 (Multiboot 1, QEMU -kernel); elf: <name>.elf (ELF64,
 * Multiboot 1/2 + PVH); iso: ../images/<name>.iso (GRUB); pvh: <name>.pvh.elf
 * (ELF64 QEMU boots by PVH). */
enum image_kind { IMAGE_ELF32, IMAGE_ELF, IMAGE_ISO, IMAGE_PVH };
enum serial_mode { SERIAL_STDOUT, SERIAL_FILE };
enum accel { ACCEL_NONE, ACCEL_KVM };

struct generated_file {
	char *name;	/* file name inside the kernel's work dir */
	char *template_path;
};

struct profile {
	char *name;
	char *path;		/* the .profile file */
	char *dir;		/* its directory, for templates */
	char *description;
	char *binary;		/* as written: a name searched in PATH, or a path */
	str_vec version_args;
	char *version_match;	/* the line of the version output to keep */
	enum accel accel;
	enum image_kind image;
	bool cmdline;		/* can pass a kernel command line (ISO boots cannot) */
	enum serial_mode serial;
	str_vec needs_files;
	str_vec vmm_errors;	/* output that means the VMM itself failed */
	str_vec args;		/* one argv element each, placeholders unexpanded */
	VEC(struct generated_file) generate;
};

/* Where profiles are looked up, first match wins: --profiles DIR, each
 * directory of $CERTIFY_PROFILES (colon-separated), the built-in one. */
void profile_dirs(const char *option_dir, str_vec *dirs);
/* Loads P from the first dir that has P.profile; prints why not. */
struct profile *profile_find(const str_vec *dirs, const char *name);
struct profile *profile_load(const char *path, const char *name);
void profile_free(struct profile *p);
/* Names of all profiles in dirs, sorted, duplicates removed. */
void profile_names(const str_vec *dirs, str_vec *names);

/* Can this profile run here? On false, *why says what is missing. The
 * binary's resolved path goes to *binary_path (caller frees). */
bool profile_available(const struct profile *p, char **binary_path, char **why);
/* Is /dev/kvm usable (opened read-write, API version 12)? */
bool kvm_usable(char **why);

/* Values of the template placeholders for one boot. */
struct boot_params {
	const char *kernel;	/* the image of the profile's kind */
	const char *elf, *elf32, *iso, *pvh;
	const char *cmdline;
	const char *log;	/* serial log path */
	const char *dir;	/* the boot's work directory */
	const char *name;	/* kernel name */
	int cpus;
	int memory_mib;
};

/* Expand one template string; -1 with a message on an unknown placeholder. */
int profile_expand(const struct profile *p, const char *tmpl, const struct boot_params *bp, struct strbuf *out);
/* argv for one boot (argv[0] = binary_path), NULL-terminated. */
char **profile_argv(const struct profile *p, const char *binary_path, const struct boot_params *bp);
/* Write the profile's generated files into bp->dir. */
int profile_generate(const struct profile *p, const struct boot_params *bp);
void argv_free(char **argv);
/* argv as one line a person can paste into a shell (display only). */
char *argv_display(char *const *argv);

#endif
