/* runner.c: fork/exec of VMMs (never a shell), a poll loop over their output, timeouts, kills and verdicts. */
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define VMM_OUT_KEEP (64 * 1024)

/* A signal handler can only reach static storage: this flag is the one
 * piece of global state, set on SIGINT/SIGTERM and read by the loop. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

void boot_free(struct boot *b)
{
	if (!b)
		return;
	argv_free(b->argv);
	free(b->log_path);
	free(b->vmm_log_path);
	parser_free(&b->parser);
	free(b->detail);
	sb_free(&b->vmm_out);
	free(b->vmm_error);
	free(b);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* fork + execv with the VMM in its own process group (so all of it can be
 * killed) and killed with us if certify dies (PR_SET_PDEATHSIG), even by SIGKILL. */
static pid_t spawn(char *const *argv, int out_fd, int err_fd, int *exec_errno)
{
	int status_pipe[2];
	if (pipe2(status_pipe, O_CLOEXEC) != 0)
		return -1;
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		close(status_pipe[0]);
		close(status_pipe[1]);
		return -1;
	}
	if (pid == 0) {
		/* Only async-signal-safe calls from here to execv. */
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		int null = open("/dev/null", O_RDONLY);
		if (null >= 0)
			dup2(null, 0);
		dup2(out_fd, 1);
		dup2(err_fd, 2);
		signal(SIGPIPE, SIG_DFL);
		execv(argv[0], argv);
		int e = errno;
		if (write(status_pipe[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	setpgid(pid, pid);
	close(status_pipe[1]);
	int e = 0;
	ssize_t n;
	do
		n = read(status_pipe[0], &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(status_pipe[0]);
	if (n == (ssize_t)sizeof(e)) {
		waitpid(pid, NULL, 0);
		*exec_errno = e;
		return -1;
	}
	return pid;
}

static void kill_and_reap(pid_t pid, int *status)
{
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	/* SIGKILL cannot be ignored; a process stuck in the kernel (D state)
	 * may take a moment. Do not wait forever for it. A VMM is usually gone
	 * within a few ms, and each boot waits for this: look again soon, and
	 * less often after the first 100 ms. */
	for (long waited_us = 0; waited_us < 5 * 1000 * 1000;) {
		pid_t r = waitpid(pid, status, WNOHANG);
		if (r == pid || (r < 0 && errno == ECHILD))
			return;
		long step_us = waited_us < 100 * 1000 ? 500 : 10 * 1000;
		struct timespec ts = { 0, step_us * 1000 };
		nanosleep(&ts, NULL);
		waited_us += step_us;
	}
	warnf("VMM process %d did not die after SIGKILL; left behind", (int)pid);
}

static int open_log(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		errorf("cannot create %s: %s", path, strerror(errno));
	return fd;
}

static void write_all(int fd, const char *buf, size_t n)
{
	while (fd >= 0 && n) {
		ssize_t w = write(fd, buf, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return; /* a full disk loses log bytes, not the run */
		}
		buf += w;
		n -= (size_t)w;
	}
}

static int start(struct boot *b)
{
	int out[2], err[2];
	b->out_fd = b->err_fd = b->serial_fd = b->vmm_fd = b->tail_fd = -1;
	b->exit_status = -1;
	parser_init(&b->parser);
	if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) {
		errorf("cannot create pipes: %s", strerror(errno));
		return -1;
	}
	b->vmm_fd = open_log(b->vmm_log_path);
	if (b->profile->serial == SERIAL_STDOUT)
		b->serial_fd = open_log(b->log_path);
	else
		unlink(b->log_path); /* the VMM creates it; never read a stale one */
	if (b->vmm_fd < 0 || (b->profile->serial == SERIAL_STDOUT && b->serial_fd < 0)) {
		close(out[0]), close(out[1]), close(err[0]), close(err[1]);
		return -1;
	}
	int e = 0;
	b->started_ms = mono_ms();
	b->pid = spawn(b->argv, out[1], err[1], &e);
	close(out[1]);
	close(err[1]);
	if (b->pid < 0) {
		close(out[0]);
		close(err[0]);
		errorf("cannot start %s: %s", b->argv[0], strerror(e ? e : errno));
		return -1;
	}
	b->out_fd = out[0];
	b->err_fd = err[0];
	fcntl(b->out_fd, F_SETFL, O_NONBLOCK);
	fcntl(b->err_fd, F_SETFL, O_NONBLOCK);
	b->running = true;
	return 0;
}

static void scan_vmm_errors(struct boot *b)
{
	size_t longest = 0;
	for (size_t i = 0; i < b->profile->vmm_errors.n; i++)
		if (strlen(b->profile->vmm_errors.v[i]) > longest)
			longest = strlen(b->profile->vmm_errors.v[i]);
	size_t from = b->scanned > longest ? b->scanned - longest : 0;
	for (size_t i = 0; !b->vmm_error && i < b->profile->vmm_errors.n; i++) {
		const char *hit = strstr(b->vmm_out.buf + from, b->profile->vmm_errors.v[i]);
		if (!hit)
			continue;
		const char *s = hit, *e = hit;
		while (s > b->vmm_out.buf && s[-1] != '\n')
			s--;
		while (*e && *e != '\n' && *e != '\r')
			e++;
		b->vmm_error = xstrndup(s, (size_t)(e - s));
	}
	b->scanned = b->vmm_out.len;
	if (b->vmm_out.len > VMM_OUT_KEEP) {
		/* Keep the newer half: the tail is what explains an ending. */
		size_t drop = b->vmm_out.len - VMM_OUT_KEEP / 2;
		memmove(b->vmm_out.buf, b->vmm_out.buf + drop, b->vmm_out.len - drop + 1);
		b->vmm_out.len -= drop;
		b->scanned = b->vmm_out.len;
	}
}

/* VMM output that is not the serial console. */
static void on_vmm_output(struct boot *b, const char *buf, size_t n)
{
	write_all(b->vmm_fd, buf, n);
	/* NULs would hide the rest from strstr. */
	for (size_t i = 0; i < n; i++)
		sb_addc(&b->vmm_out, buf[i] ? buf[i] : ' ');
	scan_vmm_errors(b);
}

/* Read what is there; returns false at EOF or error (fd closed). */
static bool drain(struct boot *b, int *fd, bool serial)
{
	char buf[65536];
	for (;;) {
		ssize_t n = read(*fd, buf, sizeof(buf));
		if (n > 0) {
			if (serial) {
				write_all(b->serial_fd, buf, (size_t)n);
				parser_feed(&b->parser, buf, (size_t)n);
			} else {
				on_vmm_output(b, buf, (size_t)n);
			}
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return true;
		close_fd(fd);
		return false;
	}
}

static void tail_serial_file(struct boot *b)
{
	if (b->tail_fd < 0) {
		b->tail_fd = open(b->log_path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (b->tail_fd < 0)
			return;
	}
	char buf[65536];
	ssize_t n;
	while ((n = read(b->tail_fd, buf, sizeof(buf))) > 0)
		parser_feed(&b->parser, buf, (size_t)n);
}

static void set_detail(struct boot *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_detail(struct boot *b, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	free(b->detail);
	b->detail = sb_steal(&sb);
}

/* The last few lines of VMM output, appended to the detail. */
static void add_vmm_tail(struct boot *b)
{
	if (!b->vmm_out.len)
		return;
	const char *s = b->vmm_out.buf + b->vmm_out.len;
	int lines = 0;
	while (s > b->vmm_out.buf && lines < 6) {
		s--;
		if (*s == '\n' && s + 1 < b->vmm_out.buf + b->vmm_out.len)
			lines++;
	}
	if (*s == '\n')
		s++;
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, b->detail ? b->detail : "");
	sb_adds(&sb, "\nVMM output (last lines):\n");
	sb_adds(&sb, s);
	while (sb.len && (sb.buf[sb.len - 1] == '\n' || sb.buf[sb.len - 1] == '\r'))
		sb.buf[--sb.len] = '\0';
	free(b->detail);
	b->detail = sb_steal(&sb);
}

static void describe_exit(struct strbuf *sb, int status)
{
	if (WIFEXITED(status))
		sb_addf(sb, "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		sb_addf(sb, "signal %d", WTERMSIG(status));
	else
		sb_adds(sb, "unknown status");
}

/* Reads whatever output is still buffered into the log and lets the parser
 * see the end of it. */
static void collect_remaining_output(struct boot *b)
{
	if (b->out_fd >= 0)
		drain(b, &b->out_fd, b->profile->serial == SERIAL_STDOUT);
	if (b->err_fd >= 0)
		drain(b, &b->err_fd, false);
	if (b->profile->serial == SERIAL_FILE)
		tail_serial_file(b);
	parser_finish(&b->parser);
}

static void finish(struct boot *b, enum kernel_verdict v)
{
	if (b->exit_status == -1)
		kill_and_reap(b->pid, &b->exit_status);
	collect_remaining_output(b);
	close_fd(&b->out_fd);
	close_fd(&b->err_fd);
	close_fd(&b->serial_fd);
	close_fd(&b->vmm_fd);
	close_fd(&b->tail_fd);
	b->verdict = v;
	b->duration_ms = (long)(mono_ms() - b->started_ms);
	b->running = false;
	b->finished = true;
}

/* Has this boot reached an end? Decides the verdict if so. */
static bool check(struct boot *b)
{
	struct kresult *k = parser_current(&b->parser);
	if (b->parser.logs.n && b->parser.logs.v[0]->end_seen) {
		finish(b, KV_COMPLETE);
		return true;
	}
	if (b->parser.logs.n > 1 && b->parser.logs.v[1]->version_seen) {
		finish(b, KV_CRASH);
		set_detail(b, "the kernel started again before SOTEST END: the VM reset (triple fault?)");
		return true;
	}
	if (k && k->panic) {
		finish(b, KV_CRASH);
		set_detail(b, "the kernel panicked (CERTIFY PANIC) before SOTEST END");
		return true;
	}
	if (b->vmm_error) {
		finish(b, KV_VMM_ERROR);
		set_detail(b, "the VMM reported its own failure: %s", b->vmm_error);
		add_vmm_tail(b);
		return true;
	}
	bool version = b->parser.logs.n && b->parser.logs.v[0]->version_seen;
	if (b->exit_status == -1) {
		int status;
		if (waitpid(b->pid, &status, WNOHANG) == b->pid)
			b->exit_status = status;
	}
	if (b->exit_status != -1) {
		/* Collect the last output before judging: END may be in it. */
		collect_remaining_output(b);
		if (b->parser.logs.n && b->parser.logs.v[0]->end_seen) {
			finish(b, KV_COMPLETE);
			return true;
		}
		version = b->parser.logs.n && b->parser.logs.v[0]->version_seen;
		int status = b->exit_status;
		finish(b, version ? KV_CRASH : KV_NO_BOOT);
		struct strbuf sb = STRBUF_INIT;
		sb_adds(&sb, version ? "the VMM exited before SOTEST END (" : "no SOTEST VERSION line: the VMM exited (");
		describe_exit(&sb, status);
		sb_adds(&sb, ")");
		free(b->detail);
		b->detail = sb_steal(&sb);
		if (b->vmm_error) {
			b->verdict = KV_VMM_ERROR;
			set_detail(b, "the VMM reported its own failure: %s", b->vmm_error);
		} else if (WIFSIGNALED(status)) {
			/* Nobody killed it yet: the VMM crashed (an abort() on a failed
			 * assertion, a segfault), which is the VMM's failure. */
			b->verdict = KV_VMM_ERROR;
			set_detail(b, "the VMM died of signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
		}
		add_vmm_tail(b);
		return true;
	}
	if (mono_ms() - b->started_ms >= (long long)b->timeout_s * 1000) {
		finish(b, version ? KV_HANG : KV_NO_BOOT);
		if (version)
			set_detail(b, "no SOTEST END within %d s: VMM killed", b->timeout_s);
		else
			set_detail(b, "no SOTEST VERSION line within %d s: VMM killed", b->timeout_s);
		add_vmm_tail(b);
		return true;
	}
	return false;
}

int runner_run(struct boot **boots, size_t n, int jobs, boot_done_fn done, void *ctx)
{
	struct sigaction sa = { 0 }, old_int, old_term, old_pipe;
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &old_pipe);
	interrupted = 0;

	size_t next = 0, running = 0, finished = 0;
	bool alone_running = false;
	int rc = 0;
	struct pollfd *fds = xcalloc(2 * n + 1, sizeof(*fds));
	struct boot **owners = xcalloc(2 * n + 1, sizeof(*owners));
	while (finished < n) {
		if (interrupted) {
			errorf("interrupted: every VMM was killed and nothing is stored");
			rc = -1;
			break;
		}
		/* Start what fits; a timing-sensitive boot waits for an empty
		 * machine and keeps it to itself. */
		while (next < n && running < (size_t)jobs && !alone_running) {
			if (boots[next]->alone && running > 0)
				break;
			if (start(boots[next])) {
				rc = -1;
				break;
			}
			alone_running = boots[next]->alone;
			running++;
			next++;
		}
		if (rc)
			break;
		nfds_t nf = 0;
		for (size_t i = 0; i < n; i++) {
			struct boot *b = boots[i];
			if (!b->running)
				continue;
			if (b->out_fd >= 0) {
				fds[nf] = (struct pollfd){ b->out_fd, POLLIN, 0 };
				owners[nf++] = b;
			}
			if (b->err_fd >= 0) {
				fds[nf] = (struct pollfd){ b->err_fd, POLLIN, 0 };
				owners[nf++] = b;
			}
		}
		/* 50 ms bounds how late a timeout, an exit or a file-mode log is seen. */
		int ready = poll(fds, nf, 50);
		if (ready < 0 && errno != EINTR) {
			errorf("poll failed: %s", strerror(errno));
			rc = -1;
			break;
		}
		for (nfds_t i = 0; ready > 0 && i < nf; i++) {
			if (!fds[i].revents)
				continue;
			struct boot *b = owners[i];
			bool serial = fds[i].fd == b->out_fd && b->profile->serial == SERIAL_STDOUT;
			drain(b, fds[i].fd == b->out_fd ? &b->out_fd : &b->err_fd, serial);
		}
		for (size_t i = 0; i < n; i++) {
			struct boot *b = boots[i];
			if (!b->running)
				continue;
			if (b->profile->serial == SERIAL_FILE)
				tail_serial_file(b);
			if (check(b)) {
				running--;
				finished++;
				if (b->alone)
					alone_running = false;
				if (done)
					done(b, finished, n, ctx);
			}
		}
	}
	if (rc) {
		for (size_t i = 0; i < n; i++)
			if (boots[i]->running)
				finish(boots[i], KV_HANG);
	}
	free(fds);
	free(owners);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);
	return rc;
}

int capture_start(struct capture *c, char *const *argv, int timeout_s)
{
	int p[2];
	c->pid = -1;
	c->fd = -1;
	if (pipe2(p, O_CLOEXEC))
		return -1;
	int e = 0;
	pid_t pid = spawn(argv, p[1], p[1], &e);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -1;
	}
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	c->pid = pid;
	c->fd = p[0];
	c->deadline_ms = mono_ms() + (long long)timeout_s * 1000;
	return 0;
}

void capture_finish(struct capture *c, bool collect)
{
	if (c->pid < 0)
		return;
	char buf[4096];
	while (collect) {
		/* Read what is there first: after other work, the deadline may
		 * have passed while everything sits in the pipe. */
		ssize_t n = read(c->fd, buf, sizeof(buf));
		if (n > 0) {
			if (c->out.len < 65536)
				sb_add(&c->out, buf, (size_t)n);
			continue;
		}
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			break;
		long long left = c->deadline_ms - mono_ms();
		if (left <= 0)
			break;
		struct pollfd pfd = { c->fd, POLLIN, 0 };
		poll(&pfd, 1, (int)left);
	}
	close(c->fd);
	int status;
	kill_and_reap(c->pid, &status);
	c->pid = -1;
	c->fd = -1;
}
