/* certification.c: the conformance of a run for a release: diff against the baseline, must-pass cases, waivers, one verdict. */
#include "certification.h"

#include <stdlib.h>
#include <string.h>

const char *cert_verdict_name(enum cert_verdict v)
{
	switch (v) {
	case CERT_CONFORMANT: return "CONFORMANT";
	case CERT_CONFORMANT_WITH_WAIVERS: return "CONFORMANT WITH WAIVERS";
	default: return "NOT CONFORMANT";
	}
}

const char *cert_outcome_name(enum cert_outcome o)
{
	switch (o) {
	case OUTCOME_OK: return "ok";
	case OUTCOME_WAIVED: return "waived";
	default: return "deviation";
	}
}

/* The baseline the run is held to: b, with every must-pass case as pass.
 * A must-pass case passes on every recorded bare-metal machine, so it is
 * judged as if this baseline passed it too, whatever b says (b may be one
 * machine with a broken feature, or lack the case). */
static struct baseline *effective_baseline(const struct baseline *b, const struct must_pass *mp)
{
	struct baseline *e = baseline_new();
	memcpy(e->uuid, b->uuid, sizeof(e->uuid));
	e->name = xstrdup(b->name);
	e->provenance = b->provenance;
	e->machine = xstrdup_or_null(b->machine);
	e->identity = xstrdup_or_null(b->identity);
	for (size_t i = 0; i < b->cases.n; i++) {
		const struct baseline_case *c = &b->cases.v[i];
		bool must = mp && must_pass_has(mp, c->kernel, c->name);
		struct baseline_case x = { xstrdup(c->kernel), xstrdup(c->name), must ? VERDICT_PASS : c->verdict,
					   xstrdup_or_null(c->ref), xstrdup_or_null(c->msg) };
		VEC_PUSH(e->cases, x);
	}
	for (size_t i = 0; mp && i < mp->cases.n; i++) {
		const struct must_pass_case *m = &mp->cases.v[i];
		if (baseline_case(b, m->kernel, m->name))
			continue;
		struct baseline_case x = { xstrdup(m->kernel), xstrdup(m->name), VERDICT_PASS, NULL, NULL };
		VEC_PUSH(e->cases, x);
	}
	return e;
}

static int row_cmp(const void *pa, const void *pb)
{
	const struct cert_row *a = pa, *b = pb;
	int c = strcmp(a->kernel, b->kernel);
	return c ? c : strcmp(a->name, b->name);
}

static void count_waiver(struct cert_eval *e, const struct waiver *w, enum category cat)
{
	for (size_t i = 0; i < e->waivers.n; i++)
		if (e->waivers.v[i].w == w) {
			e->waivers.v[i].waived += cat == CAT_WAIVED;
			e->waivers.v[i].expired += cat == CAT_WAIVER_EXPIRED;
			e->waivers.v[i].unneeded += cat == CAT_WAIVER_UNNEEDED;
			return;
		}
}

void cert_evaluate(struct cert_eval *e, const struct run *run, const struct baseline *b,
		   const struct must_pass *mp, const waiver_vec *ws, const char *date)
{
	memset(e, 0, sizeof(*e));
	e->effective = effective_baseline(b, mp);
	/* One way to judge conformance: the rows are `certify diff`'s. */
	report_diff_suite(&e->rep, run, e->effective, ws, date);
	for (size_t i = 0; ws && i < ws->n; i++) {
		struct cert_waiver_use u = { &ws->v[i], 0, 0, 0 };
		VEC_PUSH(e->waivers, u);
	}
	for (size_t i = 0; i < e->rep.rows.n; i++) {
		const struct report_row *x = &e->rep.rows.v[i];
		const struct baseline_case *orig = baseline_case(b, x->kernel, x->name);
		struct cert_row r = { 0 };
		r.kernel = x->kernel;
		r.name = x->name;
		r.baseline = orig ? orig->verdict : VERDICT_NONE;
		r.run = x->verdict;
		r.reason = x->res ? x->res->reason : NULL;
		r.flaky = x->res && x->res->flaky;
		r.must_pass = mp && must_pass_has(mp, x->kernel, x->name);
		r.cat = x->cat;
		r.waiver = x->waiver;
		r.note = x->note;
		if (category_info(x->cat)->bad) {
			r.outcome = OUTCOME_DEVIATION;
			e->deviations++;
		} else if (x->cat == CAT_WAIVED) {
			r.outcome = OUTCOME_WAIVED;
			e->waived++;
		} else {
			r.outcome = OUTCOME_OK;
		}
		if (r.must_pass && r.baseline != VERDICT_PASS && r.outcome != OUTCOME_OK)
			r.note = "on the must-pass list: it must pass, whatever this baseline says";
		if (x->waiver)
			count_waiver(e, x->waiver, x->cat);
		VEC_PUSH(e->rows, r);
	}
	if (e->rows.n)
		qsort(e->rows.v, e->rows.n, sizeof(*e->rows.v), row_cmp);
	/* Keep the waivers that matched a case, in their order. */
	size_t kept = 0;
	for (size_t i = 0; i < e->waivers.n; i++) {
		struct cert_waiver_use *u = &e->waivers.v[i];
		if (u->waived || u->expired || u->unneeded)
			e->waivers.v[kept++] = *u;
	}
	e->waivers.n = kept;
	e->verdict = e->deviations ? CERT_NOT_CONFORMANT
		     : e->waived   ? CERT_CONFORMANT_WITH_WAIVERS
				   : CERT_CONFORMANT;
}

void cert_eval_free(struct cert_eval *e)
{
	report_free(&e->rep);
	baseline_free(e->effective);
	free(e->rows.v);
	free(e->waivers.v);
	memset(e, 0, sizeof(*e));
}

char *cert_row_line(const struct cert_row *r)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s/%s: %s (baseline %s, run %s", r->kernel, r->name, category_info(r->cat)->title,
		r->baseline == VERDICT_NONE ? "-" : verdict_name(r->baseline),
		r->run == VERDICT_NONE ? "no result" : verdict_name(r->run));
	if (r->reason)
		sb_addf(&sb, ", reason %s", r->reason);
	if (r->flaky)
		sb_adds(&sb, ", flaky");
	if (r->must_pass)
		sb_adds(&sb, ", must-pass");
	sb_adds(&sb, ")");
	if (r->waiver) {
		const struct waiver *w = r->waiver;
		sb_addf(&sb, " waiver #%ld: %s", w->id, w->reason);
		if (w->ticket)
			sb_addf(&sb, ", ticket %s", w->ticket);
		sb_addf(&sb, ", expires %s", str_or(w->expires, "never"));
	}
	if (r->note)
		sb_addf(&sb, ": %s", r->note);
	return sb_steal(&sb);
}
