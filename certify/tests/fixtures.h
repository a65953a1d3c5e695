/* fixtures.h: runs, baselines and waivers built from tests/data logs with fixed ids and times. */
#ifndef CERTIFY_FIXTURES_H
#define CERTIFY_FIXTURES_H

#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "store.h"

static inline char *fixture_read(const char *name, size_t *n)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", CERTIFY_TEST_DATA, name);
	char *s = read_file(path, n);
	if (!s) {
		fprintf(stderr, "cannot read %s\n", path);
		exit(1);
	}
	return s;
}

/* A run from one log with the kernel verdict a runner would give it. */
static inline struct run *fixture_run(const char *log, const char *uuid, const char *profile,
				      enum provenance prov, enum kernel_verdict cut)
{
	size_t n;
	char *text = fixture_read(log, &n);
	struct parser p;
	parser_init(&p);
	parse_buffer(&p, text, n);
	free(text);
	struct run *r = run_new();
	snprintf(r->uuid, sizeof(r->uuid), "%s", uuid);
	snprintf(r->started, sizeof(r->started), "2024-05-01T10:00:00Z");
	snprintf(r->finished, sizeof(r->finished), "2024-05-01T10:01:00Z");
	r->provenance = prov;
	r->profile = profile ? xstrdup(profile) : NULL;
	r->vmm_version = profile ? xstrdup("QEMU emulator version 7.2.22") : NULL;
	r->suite_version = xstrdup("0.1.0");
	for (size_t i = 0; i < p.logs.n; i++) {
		struct kresult *k = p.logs.v[i];
		kresult_finish(k, k->end_seen ? KV_COMPLETE : cut, NULL, 0);
		VEC_PUSH(r->kernels, k);
	}
	p.logs.n = 0;
	parser_free(&p);
	return r;
}

static inline struct baseline *fixture_baseline(const struct run *r)
{
	struct baseline *b = baseline_new();
	snprintf(b->uuid, sizeof(b->uuid), "00000000-0000-4000-8000-0000000000b1");
	snprintf(b->created, sizeof(b->created), "2024-04-01T09:00:00Z");
	b->name = xstrdup("lab-xeon");
	b->machine = xstrdup("lab-xeon");
	b->provenance = PROV_BARE_METAL;
	b->source_run = xstrdup(r->uuid);
	for (size_t i = 0; i < r->kernels.v[0]->facts.n; i++)
		facts_set(&b->facts, r->kernels.v[0]->facts.v[i].key, r->kernels.v[0]->facts.v[i].value);
	facts_sort(&b->facts);
	b->identity = machine_identity(&b->facts);
	for (size_t i = 0; i < r->kernels.n; i++) {
		const struct kresult *k = r->kernels.v[i];
		for (size_t j = 0; j < k->cases.n; j++) {
			const struct case_result *c = &k->cases.v[j];
			struct baseline_case bc = { xstrdup(k->kernel), xstrdup(c->name), c->verdict,
						    xstrdup_or_null(c->ref), xstrdup_or_null(c->msg) };
			VEC_PUSH(b->cases, bc);
		}
	}
	return b;
}

static inline void fixture_waivers(waiver_vec *ws)
{
	struct waiver w[] = {
		{ 1, xstrdup("qemu-kvm"), xstrdup("lapic_*"), xstrdup("nested kvm_pvm drops the timer <IRQ>"),
		  xstrdup("https://tracker.example/42"), xstrdup("2030-01-01"), xstrdup("*"), xstrdup("2024-04-01") },
		{ 2, xstrdup("qemu-kvm"), xstrdup("hello-world/pit_irq0"), xstrdup("was broken in 7.1"), NULL, NULL,
		  xstrdup("*"), xstrdup("2024-04-01") },
		{ 3, xstrdup("qemu-kvm"), xstrdup("hpet_periodic"), xstrdup("HPET period rounding"), NULL,
		  xstrdup("2024-01-31"), xstrdup("QEMU*"), xstrdup("2024-01-01") },
		{ 4, xstrdup("qemu-tcg"), xstrdup("*"), xstrdup("other profile: never applies"), NULL, NULL,
		  xstrdup("*"), xstrdup("2024-01-01") },
	};
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		VEC_PUSH(*ws, w[i]);
}

#endif
