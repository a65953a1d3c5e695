/* runner.h: boots VMMs in parallel, feeds their serial output to the parser, decides how each boot ended. */
#ifndef CERTIFY_RUNNER_H
#define CERTIFY_RUNNER_H

#include <stdbool.h>
#include <sys/types.h>

#include "parse.h"
#include "profile.h"

/* One VMM boot of one kernel. The caller fills the inputs. */
struct boot {
	/* inputs */
	char **argv;			/* argv[0] is the VMM binary's path */
	const struct profile *profile;
	char *log_path;			/* serial log */
	char *vmm_log_path;		/* the VMM's own stdout/stderr */
	int timeout_s;
	bool alone;			/* timing-sensitive: nothing else runs meanwhile */
	const char *label;		/* for progress lines, e.g. the kernel name */
	size_t tag;			/* the caller's index */

	/* outputs */
	struct parser parser;
	enum kernel_verdict verdict;
	char *detail;			/* why, for every verdict but complete */
	long duration_ms;

	/* supervision state */
	pid_t pid;
	int out_fd, err_fd;		/* pipes from the VMM, -1 once closed */
	int serial_fd;			/* log file we write (stdout mode) */
	int vmm_fd;			/* VMM output log */
	int tail_fd;			/* log file we read (file mode) */
	long long started_ms;
	struct strbuf vmm_out;		/* recent VMM output, for errors and details */
	size_t scanned;			/* vmm_out bytes already searched for vmm_errors */
	char *vmm_error;		/* the matching line, once seen */
	int exit_status;		/* waitpid status, -1 while running */
	bool running, finished;
};

void boot_free(struct boot *b);

/* Called after each boot finishes, e.g. to print progress. */
typedef void (*boot_done_fn)(const struct boot *b, size_t done, size_t total, void *ctx);

/* Boots all of them, at most jobs at a time. Returns 0, or -1 when
 * interrupted (SIGINT/SIGTERM: every VMM is killed) or unable to start one. */
int runner_run(struct boot **boots, size_t n, int jobs, boot_done_fn done, void *ctx);

/* A command whose output (stdout+stderr) is collected while other work,
 * e.g. the boots, goes on. */
struct capture {
	pid_t pid;		/* -1 when not running */
	int fd;
	long long deadline_ms;
	struct strbuf out;	/* stdout+stderr, at most 64 KiB */
};
/* Starts argv; -1 if it cannot start. */
int capture_start(struct capture *c, char *const *argv, int timeout_s);
/* collect: read the rest of its output until it closes it or the deadline
 * passes; else only stop it. Reaps it either way; c->out stays the caller's. */
void capture_finish(struct capture *c, bool collect);

#endif
