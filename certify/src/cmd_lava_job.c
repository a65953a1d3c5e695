/* cmd_lava_job.c: `certify lava-job`: a LAVA job definition that boots a kernel's GRUB image on a lab board. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "crypto.h"
#include "kconf.h"
#include "value.h"
#include "yaml_out.h"

static const char usage[] =
	"usage: certify lava-job --device-type TYPE --image-url URL [options] KERNEL\n"
	"\n"
	"Writes a LAVA job definition (YAML) that boots KERNEL's GRUB image\n"
	"(DIR/../images/KERNEL.iso; KERNEL suite: suite.iso, which boots its first\n"
	"menu entry) on a board of device type TYPE and watches its serial line\n"
	"until SOTEST END. Submit it with lavacli, then import the job's log:\n"
	"certify import --machine BOARD --provenance bare-metal JOB-LOG.yaml\n"
	"\n"
	"  --device-type TYPE    LAVA device type of the board (x86, qemu, ...)\n"
	"  --image-url URL       where LAVA downloads the ISO (http/https)\n"
	"  --boot METHOD         ipxe (default: iPXE sanboots the ISO from the\n"
	"                        dispatcher), grub or grub-efi (the lab's GRUB\n"
	"                        loop-mounts the ISO over TFTP), minimal (the board\n"
	"                        boots what it has, e.g. a USB stick; no download),\n"
	"                        qemu (LAVA's QEMU; default for device type qemu)\n"
	"  --kernels DIR         built kernels and their .conf (default build/kernels)\n"
	"  --job-name TEXT       (default: certify KERNEL on TYPE)\n"
	"  --priority P          high, medium (default), low or 0..100\n"
	"  --visibility V        public (default) or personal\n"
	"  --tag TAG             a device tag the board must have (repeatable)\n"
	"  --sha256 HEX|none     checksum LAVA verifies (default: of the local ISO)\n"
	"  -o, --output FILE     write the job there (default: standard output)\n";

enum boot_method { BOOT_IPXE, BOOT_GRUB, BOOT_GRUB_EFI, BOOT_MINIMAL, BOOT_QEMU };
static const char *const boot_names[] = { "ipxe", "grub", "grub-efi", "minimal", "qemu" };

struct job_opts {
	const char *device_type, *image_url, *kernels_dir, *job_name, *priority, *visibility, *sha256;
	const char *kernel;
	str_vec tags;
	int boot;
};

/* What the job needs to know about the kernel(s) on the image. */
struct job_kernel {
	int timeout_s;		/* the kernel's own run time bound (kernel.conf timeout_s) */
	int cpus, memory_mib;
	char iso[4096];
	char sha256[65];
};

/* suite.iso boots its default entry, which is one kernel; which one depends
 * on the menu, so the job allows for the slowest kernel of the directory. */
static int load_suite(const char *dir, struct job_kernel *jk)
{
	DIR *d = opendir(dir);
	if (!d) {
		errorf("cannot read the kernels directory %s: %s (give --kernels DIR)", dir, strerror(errno));
		return -1;
	}
	int found = 0, rc = 0;
	struct dirent *e;
	while ((e = readdir(d)) && rc == 0) {
		size_t l = strlen(e->d_name);
		if (l <= 5 || strcmp(e->d_name + l - 5, ".conf") != 0)
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		struct kconf c;
		if (kconf_load(path, &c)) {
			rc = -1;
			break;
		}
		if (c.timeout_s > jk->timeout_s)
			jk->timeout_s = c.timeout_s;
		if (c.cpus > jk->cpus)
			jk->cpus = c.cpus;
		if (c.memory_mib > jk->memory_mib)
			jk->memory_mib = c.memory_mib;
		kconf_free(&c);
		found++;
	}
	closedir(d);
	if (rc == 0 && !found) {
		errorf("no <kernel>.conf in %s: build the kernels first or give --kernels DIR", dir);
		rc = -1;
	}
	return rc;
}

static int load_kernel(const struct job_opts *o, struct job_kernel *jk)
{
	memset(jk, 0, sizeof(*jk));
	if (strcmp(o->kernel, "suite") == 0) {
		if (load_suite(o->kernels_dir, jk))
			return -1;
	} else {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s.conf", o->kernels_dir, o->kernel);
		struct kconf c;
		if (kconf_load(path, &c))
			return -1;
		jk->timeout_s = c.timeout_s;
		jk->cpus = c.cpus;
		jk->memory_mib = c.memory_mib;
		kconf_free(&c);
	}
	snprintf(jk->iso, sizeof(jk->iso), "%s/../images/%s.iso", o->kernels_dir, o->kernel);
	if (o->sha256) {
		if (strcmp(o->sha256, "none") != 0)
			snprintf(jk->sha256, sizeof(jk->sha256), "%s", o->sha256);
		return 0;
	}
	struct stat st;
	if (o->boot == BOOT_MINIMAL)
		return 0; /* nothing is downloaded */
	if (stat(jk->iso, &st) != 0) {
		warnf("no %s to hash: LAVA will not verify the download (give --sha256 HEX, or none)", jk->iso);
		return 0;
	}
	return sha256_file(jk->iso, jk->sha256);
}

/* Timeouts in seconds per action; the job's is their sum and a margin. */
struct job_timeouts {
	int deploy, boot, test, job;
};

static struct job_timeouts timeouts_for(const struct job_opts *o, const struct job_kernel *jk)
{
	struct job_timeouts t;
	/* The test action waits for SOTEST VERSION first, so it also covers
	 * what happens after the boot action handed over: iPXE fetching the
	 * ISO, GRUB, and with minimal the whole power-on self test (minutes on
	 * a server). */
	switch (o->boot) {
	case BOOT_QEMU:
		t.deploy = 300, t.boot = 120, t.test = jk->timeout_s + 120;
		break;
	case BOOT_MINIMAL:
		t.deploy = 0, t.boot = 300, t.test = jk->timeout_s + 900;
		break;
	default:
		t.deploy = 600, t.boot = 600, t.test = jk->timeout_s + 300;
		break;
	}
	t.job = t.deploy + t.boot + t.test + 300;
	return t;
}

/* LAVA timeouts are {minutes: N} or {seconds: N}; whole minutes (rounded up) read best. */
static void y_timeout(struct yout *y, const char *key, int seconds)
{
	y_str(y, key);
	y_map(y);
	y_str(y, "minutes");
	y_int(y, (seconds + 59) / 60);
	y_end_map(y);
}

static void y_url(struct yout *y, const char *key, const struct job_opts *o, const struct job_kernel *jk,
		  const char *image_arg)
{
	y_str(y, key);
	y_map(y);
	y_kv(y, "url", o->image_url);
	if (image_arg)
		y_kv(y, "image_arg", image_arg);
	if (jk->sha256[0])
		y_kv(y, "sha256sum", jk->sha256);
	y_end_map(y);
}

static void write_deploy(struct yout *y, const struct job_opts *o, const struct job_kernel *jk,
			 const struct job_timeouts *t)
{
	if (o->boot == BOOT_MINIMAL)
		return;
	y_map(y);
	y_str(y, "deploy");
	y_map(y);
	y_timeout(y, "timeout", t->deploy);
	if (o->boot == BOOT_QEMU) {
		y_kv(y, "to", "tmpfs");
		y_str(y, "images");
		y_map(y);
		y_url(y, "iso", o, jk, "-cdrom {iso}");
		y_end_map(y);
	} else {
		/* The dispatcher keeps TFTP downloads under a directory its
		 * web server also serves as /tmp/ (lava-dispatcher's apache2
		 * configuration), which is how iPXE reads the ISO by HTTP. */
		y_kv(y, "to", "tftp");
		y_url(y, "kernel", o, jk, NULL);
	}
	y_end_map(y);
	y_end_map(y);
}

static void write_boot(struct yout *y, const struct job_opts *o, const struct job_timeouts *t)
{
	y_map(y);
	y_str(y, "boot");
	y_map(y);
	y_timeout(y, "timeout", t->boot);
	y_kv(y, "method", boot_names[o->boot]);
	switch (o->boot) {
	case BOOT_QEMU:
		y_kv(y, "media", "tmpfs");
		break;
	case BOOT_IPXE:
		/* iPXE attaches the ISO as a SAN disk read by HTTP range
		 * requests and boots it like a CD (El Torito, BIOS or UEFI):
		 * GRUB from the image then boots the kernel with its cmdline. */
		y_str(y, "commands");
		y_seq(y);
		y_str(y, "dhcp");
		y_str(y, "sanboot --no-describe http://{SERVER_IP}/tmp/{KERNEL}");
		y_end_seq(y);
		break;
	case BOOT_GRUB:
	case BOOT_GRUB_EFI:
		/* The lab's GRUB mounts the ISO and runs the image's own menu,
		 * which holds the kernel's command line. */
		y_str(y, "commands");
		y_seq(y);
		y_str(y, "net_bootp");
		y_str(y, "loopback loop (tftp,{SERVER_IP})/{KERNEL}");
		y_str(y, "set root=(loop)");
		y_str(y, "configfile /boot/grub/grub.cfg");
		y_end_seq(y);
		break;
	case BOOT_MINIMAL:
		break;
	}
	y_end_map(y);
	y_end_map(y);
}

static void write_test(struct yout *y, const struct job_opts *o, const struct job_timeouts *t)
{
	y_map(y);
	y_str(y, "test");
	y_map(y);
	y_timeout(y, "timeout", t->test);
	y_str(y, "monitors");
	y_seq(y);
	y_map(y);
	y_kv(y, "name", o->kernel);
	/* docs/protocol.md: a run starts with SOTEST VERSION; SOTEST END
	 * proves it complete; CERTIFY PANIC means no END will come. Each
	 * case's CERTIFY RESULT line gives LAVA its own per-case results. */
	y_kv(y, "start", "SOTEST VERSION 1 BEGIN");
	y_kv(y, "end", "SOTEST END|CERTIFY PANIC");
	y_kv(y, "pattern", "CERTIFY RESULT (?P<test_case_id>[A-Za-z0-9_]+) (?P<result>pass|fail|skip)");
	y_end_map(y);
	y_end_seq(y);
	y_end_map(y);
	y_end_map(y);
}

static int write_job(FILE *out, const struct job_opts *o, const struct job_kernel *jk)
{
	struct job_timeouts t = timeouts_for(o, jk);
	struct strbuf name = STRBUF_INIT;
	if (o->job_name)
		sb_adds(&name, o->job_name);
	else
		sb_addf(&name, "certify %s on %s (%s)", o->kernel, o->device_type, boot_names[o->boot]);

	fprintf(out, "# LAVA job written by certify lava-job (docs/bare-metal.md). Import its log with\n"
		     "#   certify import --machine BOARD --provenance %s JOB-LOG.yaml\n",
		o->boot == BOOT_QEMU ? "vmm" : "bare-metal");
	fflush(out);
	struct yout y;
	if (!yout_begin(&y, out)) {
		sb_free(&name);
		return -1;
	}
	y_map(&y);
	y_kv(&y, "job_name", name.buf);
	y_kv(&y, "device_type", o->device_type);
	y_kv(&y, "visibility", o->visibility);
	y_str(&y, "priority");
	char *end;
	long prio = strtol(o->priority, &end, 10);
	if (*o->priority && !*end)
		y_int(&y, prio);
	else
		y_str(&y, o->priority);
	if (o->tags.n) {
		y_str(&y, "tags");
		y_seq(&y);
		for (size_t i = 0; i < o->tags.n; i++)
			y_str(&y, o->tags.v[i]);
		y_end_seq(&y);
	}
	y_str(&y, "timeouts");
	y_map(&y);
	y_timeout(&y, "job", t.job);
	y_end_map(&y);
	y_str(&y, "metadata");
	y_map(&y);
	y_kv(&y, "certify.kernel", o->kernel);
	if (o->boot != BOOT_MINIMAL) {
		const char *base = strrchr(jk->iso, '/');
		y_kv(&y, "certify.image", base ? base + 1 : jk->iso);
	}
	if (jk->sha256[0])
		y_kv(&y, "certify.image-sha256", jk->sha256);
	y_str(&y, "certify.kernel-timeout-s");
	y_int(&y, jk->timeout_s);
	y_end_map(&y);
	if (o->boot == BOOT_QEMU) {
		/* LAVA's qemu device type builds the command line from these. */
		char smp[32];
		snprintf(smp, sizeof(smp), "-smp %d", jk->cpus);
		y_str(&y, "context");
		y_map(&y);
		y_kv(&y, "arch", "amd64");
		y_str(&y, "memory");
		y_int(&y, jk->memory_mib);
		y_str(&y, "extra_options");
		y_seq(&y);
		y_str(&y, smp);
		y_str(&y, "-no-reboot");
		y_str(&y, "-boot d");
		y_end_seq(&y);
		y_end_map(&y);
	}
	y_str(&y, "actions");
	y_seq(&y);
	write_deploy(&y, o, jk, &t);
	write_boot(&y, o, &t);
	write_test(&y, o, &t);
	y_end_seq(&y);
	y_end_map(&y);
	sb_free(&name);
	return yout_end(&y);
}

static bool valid_priority(const char *p)
{
	if (strcmp(p, "high") == 0 || strcmp(p, "medium") == 0 || strcmp(p, "low") == 0)
		return true;
	char *end;
	long v = strtol(p, &end, 10);
	return *p && !*end && v >= 0 && v <= 100;
}

static bool valid_sha256(const char *s)
{
	if (strcmp(s, "none") == 0)
		return true;
	if (strlen(s) != 64)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

int cmd_lava_job(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "device-type", required_argument, NULL, 'd' },
		{ "image-url", required_argument, NULL, 'u' },
		{ "boot", required_argument, NULL, 'b' },
		{ "kernels", required_argument, NULL, 'k' },
		{ "job-name", required_argument, NULL, 'n' },
		{ "priority", required_argument, NULL, 'p' },
		{ "visibility", required_argument, NULL, 'v' },
		{ "tag", required_argument, NULL, 't' },
		{ "sha256", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ 0 },
	};
	struct cli_common c = { .db = cli_default_db(), .usage = usage };
	struct job_opts o = { .kernels_dir = "build/kernels", .priority = "medium", .visibility = "public",
			      .boot = -1 };
	const char *out_path = NULL;
	int opt, status = EXIT_USAGE;
	while ((opt = cli_next_option(&c, argc, argv, "ho:", opts)) > 0) {
		switch (opt) {
		case 'd': o.device_type = optarg; break;
		case 'u': o.image_url = optarg; break;
		case 'k': o.kernels_dir = optarg; break;
		case 'n': o.job_name = optarg; break;
		case 'o': out_path = optarg; break;
		case 't': VEC_PUSH(o.tags, xstrdup(optarg)); break;
		case 'b':
			for (size_t i = 0; i < sizeof(boot_names) / sizeof(boot_names[0]); i++)
				if (strcmp(optarg, boot_names[i]) == 0)
					o.boot = (int)i;
			if (o.boot < 0) {
				status = cli_usage_error(&c, "--boot must be ipxe, grub, grub-efi, minimal or qemu, not \"%s\"",
							 optarg);
				goto out;
			}
			break;
		case 'p':
			if (!valid_priority(optarg)) {
				status = cli_usage_error(&c, "--priority must be high, medium, low or 0..100");
				goto out;
			}
			o.priority = optarg;
			break;
		case 'v':
			if (strcmp(optarg, "public") != 0 && strcmp(optarg, "personal") != 0) {
				status = cli_usage_error(&c, "--visibility must be public or personal");
				goto out;
			}
			o.visibility = optarg;
			break;
		case 's':
			if (!valid_sha256(optarg)) {
				status = cli_usage_error(&c, "--sha256 takes 64 lower-case hex digits, or none");
				goto out;
			}
			o.sha256 = optarg;
			break;
		}
	}
	if (opt == CLI_STOP) {
		status = c.exit_code;
		goto out;
	}
	if (!o.device_type || !*o.device_type) {
		status = cli_usage_error(&c, "--device-type TYPE is required (the LAVA device type of the board)");
		goto out;
	}
	if (o.boot < 0)
		o.boot = strcmp(o.device_type, "qemu") == 0 ? BOOT_QEMU : BOOT_IPXE;
	if (o.boot != BOOT_MINIMAL && (!o.image_url || !str_starts(o.image_url, "http"))) {
		status = cli_usage_error(&c, "--image-url URL (http or https) is required: LAVA downloads the ISO from it");
		goto out;
	}
	if (optind != argc - 1) {
		status = cli_usage_error(&c, "give one KERNEL (a kernel's name, or suite for suite.iso)");
		goto out;
	}
	if (o.job_name && (!*o.job_name || strlen(o.job_name) > 200)) {
		status = cli_usage_error(&c, "--job-name must be 1 to 200 characters (LAVA's limit)");
		goto out;
	}
	o.kernel = argv[optind];
	if (strcmp(o.kernel, "suite") != 0 && !is_kernel_name(o.kernel)) {
		status = cli_usage_error(&c, "\"%s\" is not a kernel name", o.kernel);
		goto out;
	}
	struct job_kernel jk;
	if (load_kernel(&o, &jk))
		goto out;
	FILE *out = cli_open_output(out_path);
	if (!out)
		goto out;
	int rc = write_job(out, &o, &jk);
	if (cli_close_output(out, out_path) == 0 && rc == 0)
		status = EXIT_OK;
out:
	str_vec_free(&o.tags);
	return status;
}
