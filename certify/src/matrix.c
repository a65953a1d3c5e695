/* matrix.c: building the compliance matrix from the database: which runs are columns, conformance per column. */
#include "matrix.h"

#include <stdlib.h>
#include <string.h>

static int row_cmp(const void *pa, const void *pb)
{
	const struct matrix_row *a = pa, *b = pb;
	int c = strcmp(a->kernel, b->kernel);
	return c ? c : strcmp(a->name, b->name);
}

/* The runs to show: every VMM run, or the newest per (profile, VMM version). */
static int pick_runs(struct store *s, bool all_runs, str_vec *uuids)
{
	sqlite3_stmt *st = store_prepare(s,
		"SELECT uuid, coalesce(profile, '') || char(1) || coalesce(vmm_version, '') || char(1) ||"
		" CASE WHEN profile IS NULL THEN coalesce((SELECT name FROM machines m WHERE m.id = machine_id), '') ELSE '' END"
		" FROM runs WHERE provenance = 'vmm' ORDER BY started DESC, id DESC");
	if (!st)
		return -1;
	str_vec keys = { 0 };
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *key = col_text(st, 1);
		if (!all_runs && str_vec_has(&keys, key))
			continue;
		char *k = xstrdup(key), *u = col_dup(st, 0);
		VEC_PUSH(keys, k);
		VEC_PUSH(*uuids, u);
	}
	sqlite3_finalize(st);
	str_vec_free(&keys);
	/* Oldest first reads left to right as history. */
	for (size_t i = 0; i < uuids->n / 2; i++) {
		char *t = uuids->v[i];
		uuids->v[i] = uuids->v[uuids->n - 1 - i];
		uuids->v[uuids->n - 1 - i] = t;
	}
	return 0;
}

static void add_row(struct matrix *m, const char *kernel, const char *name)
{
	struct matrix_row r = { kernel, name };
	VEC_PUSH(m->rows, r);
}

int matrix_build(struct matrix *m, struct store *s, const char *baseline, bool all_runs, const char *today)
{
	memset(m, 0, sizeof(*m));
	str_vec names = { 0 }, uuids = { 0 };
	waiver_vec ws = { 0 };
	int rc = -1;
	if (baseline) {
		char *n = xstrdup(baseline);
		VEC_PUSH(names, n);
	} else if (store_list_baseline_names(s, &names)) {
		goto out;
	}
	for (size_t i = 0; i < names.n; i++) {
		struct matrix_col c = { 0 };
		c.base = store_load_baseline(s, names.v[i]);
		if (!c.base)
			goto out;
		c.title = xstrdup(c.base->name);
		struct strbuf sb = STRBUF_INIT;
		sb_addf(&sb, "baseline, %s, %s", provenance_name(c.base->provenance), c.base->identity);
		c.subtitle = sb_steal(&sb);
		VEC_PUSH(m->cols, c);
	}
	m->n_baselines = m->cols.n;
	if (pick_runs(s, all_runs, &uuids) || store_list_waivers(s, NULL, &ws))
		goto out;
	const struct baseline *ref = m->n_baselines ? m->cols.v[0].base : NULL;
	for (size_t i = 0; i < uuids.n; i++) {
		struct matrix_col c = { 0 };
		c.run = store_load_run(s, uuids.v[i]);
		if (!c.run)
			goto out;
		c.title = xstrdup(c.run->profile ? c.run->profile : str_or(c.run->machine, "vmm"));
		struct strbuf sb = STRBUF_INIT;
		sb_addf(&sb, "%s, run %.8s, %.10s", str_or(c.run->vmm_version, "VMM version unknown"), c.run->uuid,
			c.run->started);
		const char *kvm = facts_get(&c.run->host_facts, "host.kvm-modules");
		if (kvm && strcmp(kvm, "none") != 0)
			sb_addf(&sb, ", host %s", kvm);
		c.subtitle = sb_steal(&sb);
		if (ref) {
			report_diff(&c.diff, c.run, ref, &ws, today);
			c.has_diff = true;
			const int *n = c.diff.counts;
			c.conformant = n[CAT_CONFORMANT] + n[CAT_WAIVED] + n[CAT_WAIVER_UNNEEDED];
			c.deviations = n[CAT_DEVIATION] + n[CAT_WAIVER_EXPIRED] + n[CAT_FLAKY];
			c.missing = n[CAT_MISSING_FEATURE];
			c.not_run = n[CAT_NOT_RUN];
			c.compared = c.conformant + c.deviations + c.missing + c.not_run;
		}
		VEC_PUSH(m->cols, c);
	}
	/* Rows: every (kernel, case) any column has, sorted, once. */
	for (size_t i = 0; i < m->cols.n; i++) {
		const struct matrix_col *c = &m->cols.v[i];
		if (c->base)
			for (size_t j = 0; j < c->base->cases.n; j++)
				add_row(m, c->base->cases.v[j].kernel, c->base->cases.v[j].name);
		for (size_t k = 0; c->run && k < c->run->kernels.n; k++)
			for (size_t j = 0; j < c->run->kernels.v[k]->cases.n; j++)
				add_row(m, c->run->kernels.v[k]->kernel, c->run->kernels.v[k]->cases.v[j].name);
	}
	if (m->rows.n)
		qsort(m->rows.v, m->rows.n, sizeof(*m->rows.v), row_cmp);
	size_t out = 0;
	for (size_t i = 0; i < m->rows.n; i++)
		if (out == 0 || row_cmp(&m->rows.v[out - 1], &m->rows.v[i]) != 0)
			m->rows.v[out++] = m->rows.v[i];
	m->rows.n = out;
	rc = 0;
out:
	str_vec_free(&names);
	str_vec_free(&uuids);
	/* The diffs point at the waivers only while building; drop those links. */
	for (size_t i = 0; i < m->cols.n; i++)
		for (size_t j = 0; j < m->cols.v[i].diff.rows.n; j++)
			m->cols.v[i].diff.rows.v[j].waiver = NULL;
	waivers_free(&ws);
	return rc;
}

void matrix_free(struct matrix *m)
{
	for (size_t i = 0; i < m->cols.n; i++) {
		struct matrix_col *c = &m->cols.v[i];
		free(c->title);
		free(c->subtitle);
		run_free(c->run);
		baseline_free(c->base);
		if (c->has_diff)
			report_free(&c->diff);
	}
	free(m->cols.v);
	free(m->rows.v);
	memset(m, 0, sizeof(*m));
}

const char *matrix_cell(const struct matrix *m, size_t col, size_t row, const char **detail, char *buf, size_t n)
{
	const struct matrix_col *c = &m->cols.v[col];
	const struct matrix_row *r = &m->rows.v[row];
	*detail = NULL;
	if (c->base) {
		const struct baseline_case *bc = baseline_case(c->base, r->kernel, r->name);
		if (!bc)
			return "-";
		*detail = bc->msg;
		return verdict_name(bc->verdict);
	}
	struct kresult *k = run_kernel(c->run, r->kernel);
	const struct case_result *cr = k ? kresult_case(k, r->name) : NULL;
	if (!cr)
		return "-";
	if (cr->reason && cr->msg)
		snprintf(buf, n, "%s: %s", cr->reason, cr->msg);
	else
		snprintf(buf, n, "%s", cr->reason ? cr->reason : cr->msg ? cr->msg : "");
	*detail = *buf ? buf : NULL;
	if (cr->flaky)
		return "flaky";
	return verdict_name(cr->verdict);
}
