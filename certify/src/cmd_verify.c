/* cmd_verify.c: `certify verify`: checks a certification package and prints its verdict, or rejects it with every reason. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certification.h"
#include "cli.h"

static const char usage[] =
	"usage: certify verify PKG [--pubkey KEY.pub]\n"
	"\n"
	"Checks a certification package written by `certify release`:\n"
	"  * every file against SHA256SUMS: none changed, added or removed;\n"
	"  * the signature SHA256SUMS.sig, if there is one: with --pubkey, that it\n"
	"    was made with that key; without, only that it matches the key inside\n"
	"    the package, which says nothing about who signed;\n"
	"  * every serial log parsed again: verdicts.tsv must follow from them;\n"
	"  * the conformance recomputed from those verdicts, the baseline, the\n"
	"    must-pass list and the waivers inside (waivers judged on the release\n"
	"    date), against verdicts.tsv, manifest.json, waivers.json and\n"
	"    STATEMENT.md;\n"
	"then prints the verdict, the deviations and the waived cases.\n"
	"\n"
	"  --pubkey KEY.pub   the Ed25519 public key the package must be signed with\n"
	"                     (`certify keygen` wrote it beside the private key)\n"
	"\n"
	"Exit status: 0 CONFORMANT or CONFORMANT WITH WAIVERS, 1 NOT CONFORMANT,\n"
	"2 the package is rejected (every problem is named) or cannot be read.\n";

static void print_result(const char *path, const struct package *p, const struct cert_check *c, bool pubkey)
{
	printf("%s: package %s/ intact: %zu files, every SHA-256 matches %s\n", path, p->top, c->files, PKG_SUMS);
	if (!c->signed_pkg)
		printf("signature: none (the package is not signed)\n");
	else if (pubkey)
		printf("signature: good, made with the key given with --pubkey, %s\n", c->signer);
	else
		printf("signature: matches the key inside the package, %s; the signer is NOT authenticated: pass "
		       "--pubkey KEY.pub to check who signed\n",
		       c->signer);
	printf("logs: %zu kernel log(s) parsed again, every case verdict agrees\n", c->kernels);
	printf("conformance: %zu case(s) recomputed from baseline %s, the must-pass list of suite %s (%d case(s), %d bare-metal "
	       "baseline(s)) and the waivers as of %s: agrees\n",
	       c->cases, c->baseline, str_or(c->suite, "?"), c->must_pass_cases, c->must_pass_baselines, c->date);
	printf("%s: profile %s, VMM %s\n", cert_verdict_name(c->verdict), c->profile, str_or(c->vmm, "unknown"));
	for (size_t i = 0; i < c->deviations.n; i++)
		printf("  deviation: %s\n", c->deviations.v[i]);
	for (size_t i = 0; i < c->waived.n; i++)
		printf("  waived: %s\n", c->waived.v[i]);
	for (size_t i = 0; i < c->expired.n; i++)
		printf("  expired: %s\n", c->expired.v[i]);
}

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "pubkey", required_argument, NULL, 'k' },
		{ 0 },
	};
	struct cli_common c = { .db = cli_default_db(), .usage = usage };
	const char *pubkey_path = NULL;
	int opt;
	while ((opt = cli_next_option(&c, argc, argv, "h", opts)) > 0) {
		if (opt == 'k')
			pubkey_path = optarg;
	}
	if (opt == CLI_STOP)
		return c.exit_code;
	if (argc - optind != 1)
		return cli_usage_error(&c, "give exactly one package, PKG");
	const char *path = argv[optind];
	if (access(path, R_OK) != 0)
		return cli_usage_error(&c, "cannot read %s: %s", path, strerror(errno));
	EVP_PKEY *key = NULL;
	if (pubkey_path && !(key = ed25519_load_public(pubkey_path)))
		return EXIT_USAGE;

	struct package pkg;
	str_vec problems = { 0 };
	struct cert_check check = { 0 };
	int status = EXIT_USAGE;
	if (package_read(path, &pkg, &problems) == 0 && problems.n == 0 &&
	    cert_check_package(&pkg, key, &check, &problems) == 0) {
		print_result(path, &pkg, &check, key != NULL);
		status = check.verdict == CERT_NOT_CONFORMANT ? EXIT_NOT_CONFORMING : EXIT_OK;
	} else {
		for (size_t i = 0; i < problems.n; i++)
			errorf("%s", problems.v[i]);
		errorf("%s: REJECTED: %zu problem(s); the package is not the one that was released, or not a "
		       "certification package at all",
		       path, problems.n);
		printf("%s: REJECTED\n", path);
	}
	cert_check_free(&check);
	str_vec_free(&problems);
	package_free(&pkg);
	EVP_PKEY_free(key);
	return status;
}
