/* fake_vmm.c: a stand-in VMM for run tests: plays a "kernel" script (canned log lines and directives). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Script lines, one per line of the kernel file:
 *   @stderr TEXT          TEXT on the VMM's stderr
 *   @sleep MS             pause
 *   @hang                 never end (like QEMU after a KVM internal error, or Bochs)
 *   @exit N               exit with status N
 *   @abort                die of SIGABRT, like QEMU on a failed assertion
 *   @if-enabled LINE      LINE only when the command line has --enable-testcases=
 *   @if-not-enabled LINE  LINE only when it has not
 *   @cmdline              print "CERTIFY FACT cmdline=..." with the command line received
 *   anything else         a serial line, sent with CR LF like a 16550 console
 * With --version it prints its version (and appends a line to
 * $FAKE_VMM_VERSION_LOG when set).
 */

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
	const char *serial_file = NULL, *config = NULL;
	int i = 1;
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		/* $FAKE_VMM_VERSION_LOG counts the queries (certify remembers answers). */
		const char *count = getenv("FAKE_VMM_VERSION_LOG");
		FILE *f = count ? fopen(count, "a") : NULL;
		if (f) {
			fputs("asked\n", f);
			fclose(f);
		}
		puts("Fake VMM version 1.0 (certify tests)");
		return 0;
	}
	for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i += 2) {
		if (i + 1 >= argc)
			break;
		if (strcmp(argv[i], "--serial-file") == 0)
			serial_file = argv[i + 1];
		else if (strcmp(argv[i], "--config") == 0)
			config = argv[i + 1];
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: fake-vmm [--serial-file F] [--config F] KERNEL CMDLINE\n");
		return 2;
	}
	const char *kernel = argv[i], *cmdline = argv[i + 1];
	if (config && access(config, R_OK) != 0) {
		fprintf(stderr, "fake-vmm: config %s missing\n", config);
		return 3;
	}
	FILE *script = fopen(kernel, "r");
	if (!script) {
		fprintf(stderr, "fake-vmm: could not load kernel %s\n", kernel);
		return 1;
	}
	FILE *out = serial_file ? fopen(serial_file, "w") : stdout;
	if (!out) {
		fprintf(stderr, "fake-vmm: cannot open %s\n", serial_file);
		return 1;
	}
	int enabled = strstr(cmdline, "--enable-testcases=") != NULL;
	char line[4096];
	while (fgets(line, sizeof(line), script)) {
		line[strcspn(line, "\n")] = '\0';
		char *text = line;
		if (strncmp(line, "@if-enabled ", 12) == 0) {
			if (!enabled)
				continue;
			text = line + 12;
		} else if (strncmp(line, "@if-not-enabled ", 16) == 0) {
			if (enabled)
				continue;
			text = line + 16;
		} else if (strncmp(line, "@stderr ", 8) == 0) {
			fprintf(stderr, "%s\n", line + 8);
			fflush(stderr);
			continue;
		} else if (strncmp(line, "@sleep ", 7) == 0) {
			sleep_ms(atol(line + 7));
			continue;
		} else if (strcmp(line, "@hang") == 0) {
			for (;;)
				pause();
		} else if (strncmp(line, "@exit ", 6) == 0) {
			fflush(out);
			return atoi(line + 6);
		} else if (strcmp(line, "@abort") == 0) {
			fflush(out);
			abort();
		} else if (strcmp(line, "@cmdline") == 0) {
			fprintf(out, "CERTIFY FACT cmdline=\"%s\"\r\n", cmdline);
			fflush(out);
			continue;
		}
		fprintf(out, "%s\r\n", text);
		fflush(out);
	}
	fclose(script);
	return 0;
}
