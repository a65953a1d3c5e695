/* result.c: the in-memory run model: construction, lookup, verdict names, finishing a cut-off kernel. */
#include "result.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

static const char *const verdict_names[] = { "pass", "fail", "skip", "not-run" };
static const char *const kernel_verdict_names[] = {
	"complete", "hang", "crash", "vmm-error", "no-boot", "incomplete",
};

const char *verdict_name(enum verdict v)
{
	return v >= VERDICT_PASS && v <= VERDICT_NOT_RUN ? verdict_names[v] : "none";
}

enum verdict verdict_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, verdict_names[i]) == 0)
			return (enum verdict)i;
	return VERDICT_NONE;
}

const char *kernel_verdict_name(enum kernel_verdict v)
{
	return kernel_verdict_names[v];
}

int kernel_verdict_parse(const char *s)
{
	for (int i = 0; i < 6; i++)
		if (strcmp(s, kernel_verdict_names[i]) == 0)
			return i;
	return -1;
}

const char *provenance_name(enum provenance p)
{
	return p == PROV_BARE_METAL ? "bare-metal" : "vmm";
}

int provenance_parse(const char *s)
{
	if (strcmp(s, "bare-metal") == 0)
		return PROV_BARE_METAL;
	if (strcmp(s, "vmm") == 0)
		return PROV_VMM;
	return -1;
}

void facts_set(fact_vec *facts, const char *key, const char *value)
{
	for (size_t i = 0; i < facts->n; i++) {
		if (strcmp(facts->v[i].key, key) == 0) {
			free(facts->v[i].value);
			facts->v[i].value = xstrdup(value);
			return;
		}
	}
	struct fact f = { xstrdup(key), xstrdup(value) };
	VEC_PUSH(*facts, f);
}

const char *facts_get(const fact_vec *facts, const char *key)
{
	for (size_t i = 0; i < facts->n; i++)
		if (strcmp(facts->v[i].key, key) == 0)
			return facts->v[i].value;
	return NULL;
}

void facts_free(fact_vec *facts)
{
	for (size_t i = 0; i < facts->n; i++) {
		free(facts->v[i].key);
		free(facts->v[i].value);
	}
	free(facts->v);
	facts->v = NULL;
	facts->n = facts->cap = 0;
}

static int fact_cmp(const void *a, const void *b)
{
	return strcmp(((const struct fact *)a)->key, ((const struct fact *)b)->key);
}

void facts_sort(fact_vec *facts)
{
	if (facts->n)
		qsort(facts->v, facts->n, sizeof(*facts->v), fact_cmp);
}

char *rerun_log_stem(const char *kernel, const char *case_name, int round)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s.rerun-%s-%d", kernel, case_name, round);
	return sb_steal(&sb);
}

struct kresult *kresult_new(void)
{
	struct kresult *k = xcalloc(1, sizeof(*k));
	k->begin_count = -1;
	k->list_count = -1;
	k->current = -1;
	k->verdict = KV_INCOMPLETE;
	k->duration_ms = -1;
	return k;
}

void kresult_free(struct kresult *k)
{
	if (!k)
		return;
	free(k->kernel);
	free(k->suite_version);
	facts_free(&k->facts);
	for (size_t i = 0; i < k->cases.n; i++) {
		struct case_result *c = &k->cases.v[i];
		free(c->name);
		free(c->ref);
		free(c->reason);
		free(c->msg);
		free(c->detail);
	}
	free(k->cases.v);
	free(k->case_index);
	for (size_t i = 0; i < k->benchmarks.n; i++) {
		free(k->benchmarks.v[i].name);
		free(k->benchmarks.v[i].unit);
	}
	free(k->benchmarks.v);
	for (size_t i = 0; i < k->listed.n; i++) {
		free(k->listed.v[i].name);
		free(k->listed.v[i].ref);
	}
	free(k->listed.v);
	sb_free(&k->notes);
	free(k->detail);
	free(k->sha256);
	free(k->cmdline);
	free(k->command);
	free(k->log_path);
	free(k->log_sha256);
	free(k);
}

/* FNV-1a: short identifiers, no adversary to fear (names are C identifiers
 * from a log, and a collision only costs a probe). */
static size_t name_hash(const char *s)
{
	size_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void index_insert(struct kresult *k, size_t pos)
{
	size_t mask = k->case_index_cap - 1;
	size_t i = name_hash(k->cases.v[pos].name) & mask;
	while (k->case_index[i])
		i = (i + 1) & mask;
	k->case_index[i] = (unsigned)pos + 1;
}

struct case_result *kresult_case(struct kresult *k, const char *name)
{
	/* The open case is nearly always the one asked for. */
	if (k->current >= 0 && strcmp(k->cases.v[k->current].name, name) == 0)
		return &k->cases.v[k->current];
	if (!k->case_index)
		return NULL;
	size_t mask = k->case_index_cap - 1;
	for (size_t i = name_hash(name) & mask; k->case_index[i]; i = (i + 1) & mask) {
		struct case_result *c = &k->cases.v[k->case_index[i] - 1];
		if (strcmp(c->name, name) == 0)
			return c;
	}
	return NULL;
}

struct case_result *kresult_add_case(struct kresult *k, const char *name)
{
	struct case_result c = { 0 };
	c.name = xstrdup(name);
	c.verdict = VERDICT_NONE;
	c.ms = -1;
	c.attempts = 1;
	VEC_PUSH(k->cases, c);
	if (k->cases.n * 2 > k->case_index_cap) {
		free(k->case_index);
		k->case_index_cap = k->case_index_cap ? k->case_index_cap * 2 : 64;
		k->case_index = xcalloc(k->case_index_cap, sizeof(*k->case_index));
		for (size_t i = 0; i < k->cases.n; i++)
			index_insert(k, i);
	} else {
		index_insert(k, k->cases.n - 1);
	}
	return &k->cases.v[k->cases.n - 1];
}

void kresult_note(struct kresult *k, const char *fmt, ...)
{
	/* A flood of identical warnings from a broken log helps nobody. */
	if (k->notes.len > 16384)
		return;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&k->notes, fmt, ap);
	va_end(ap);
	sb_addc(&k->notes, '\n');
}

void kresult_finish(struct kresult *k, enum kernel_verdict verdict,
		    const char *const *known, size_t n_known)
{
	k->verdict = verdict;
	for (size_t i = 0; i < k->cases.n; i++) {
		struct case_result *c = &k->cases.v[i];
		if (c->verdict != VERDICT_NONE)
			continue;
		/* The case the kernel was in when a VMM run ended is the likely
		 * culprit: a failure of that case, not merely "not run". An
		 * imported log that stops is only a cut capture. */
		if (verdict == KV_HANG || verdict == KV_CRASH || verdict == KV_VMM_ERROR) {
			c->verdict = VERDICT_FAIL;
			free(c->reason);
			c->reason = xstrdup(kernel_verdict_name(verdict));
			if (!c->msg)
				c->msg = xstrdup(verdict == KV_HANG ? "the kernel hung in this case"
							    : verdict == KV_CRASH ? "the kernel crashed in this case"
										  : "the VMM failed in this case");
		} else {
			c->verdict = VERDICT_NOT_RUN;
			if (!c->msg)
				c->msg = xstrdup("the log ends inside this case");
		}
	}
	k->current = -1;
	for (size_t i = 0; i < n_known; i++) {
		if (kresult_case(k, known[i]))
			continue;
		struct case_result *c = kresult_add_case(k, known[i]);
		c->verdict = VERDICT_NOT_RUN;
		c->attempts = 0;
		c->msg = xstrdup("never reported: the kernel stopped before this case");
	}
	if (verdict != KV_COMPLETE && k->begin_count > (long)k->cases.n)
		kresult_note(k, "%ld of %ld registered cases never reported and their names are unknown",
			     k->begin_count - (long)k->cases.n, k->begin_count);
}

struct run *run_new(void)
{
	struct run *r = xcalloc(1, sizeof(*r));
	run_make_uuid(r->uuid);
	iso_time_now(r->started);
	memcpy(r->finished, r->started, sizeof(r->finished));
	return r;
}

void run_free(struct run *r)
{
	if (!r)
		return;
	free(r->profile);
	free(r->vmm_version);
	free(r->vmm_binary);
	free(r->machine);
	facts_free(&r->machine_facts);
	free(r->label);
	free(r->suite_version);
	facts_free(&r->host_facts);
	for (size_t i = 0; i < r->kernels.n; i++)
		kresult_free(r->kernels.v[i]);
	free(r->kernels.v);
	free(r);
}

void run_make_uuid(char out[40])
{
	unsigned char b[16];
	ssize_t got = getrandom(b, sizeof(b), 0);
	if (got != (ssize_t)sizeof(b)) {
		/* Without entropy fall back to time and pid: unique enough for ids. */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		unsigned long long x = (unsigned long long)ts.tv_nsec ^ ((unsigned long long)ts.tv_sec << 20) ^
				       ((unsigned long long)getpid() << 40);
		for (int i = 0; i < 16; i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			b[i] = (unsigned char)(x >> 56);
		}
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 40,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
		 b[14], b[15]);
}

struct kresult *run_kernel(struct run *r, const char *name)
{
	for (size_t i = 0; i < r->kernels.n; i++)
		if (str_eq(r->kernels.v[i]->kernel, name))
			return r->kernels.v[i];
	return NULL;
}

struct verdict_counts run_counts(const struct run *r)
{
	struct verdict_counts c = { 0 };
	for (size_t i = 0; i < r->kernels.n; i++) {
		const struct kresult *k = r->kernels.v[i];
		for (size_t j = 0; j < k->cases.n; j++) {
			switch (k->cases.v[j].verdict) {
			case VERDICT_PASS: c.pass++; break;
			case VERDICT_FAIL: c.fail++; break;
			case VERDICT_SKIP: c.skip++; break;
			default: c.not_run++; break;
			}
			if (k->cases.v[j].flaky)
				c.flaky++;
		}
	}
	return c;
}

char *machine_identity(const fact_vec *facts)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s family %s model %s stepping %s microcode %s",
		str_or(facts_get(facts, "cpu.vendor"), "?"), str_or(facts_get(facts, "cpu.family"), "?"),
		str_or(facts_get(facts, "cpu.model"), "?"), str_or(facts_get(facts, "cpu.stepping"), "?"),
		str_or(facts_get(facts, "cpu.microcode"), "?"));
	/* Firmware facts are whatever the log has under firmware.* or acpi.oem. */
	for (size_t i = 0; i < facts->n; i++)
		if (str_starts(facts->v[i].key, "firmware"))
			sb_addf(&sb, " %s %s", facts->v[i].key, facts->v[i].value);
	const char *oem = facts_get(facts, "acpi.oem");
	if (oem)
		sb_addf(&sb, " acpi.oem %s", oem);
	return sb_steal(&sb);
}
