/* render.h: turning the report model into text, Markdown, HTML, JSON, JUnit XML or TAP. */
#ifndef CERTIFY_RENDER_H
#define CERTIFY_RENDER_H

#include <stdio.h>

#include "report.h"

enum format { FMT_TEXT, FMT_MD, FMT_HTML, FMT_JSON, FMT_JUNIT, FMT_TAP };

/* -1 with a message naming the valid formats when s is none of them. */
int format_parse(const char *s, enum format *f);
void render_report(const struct report *rep, enum format f, FILE *out);

void render_text(const struct report *rep, FILE *out);
void render_md(const struct report *rep, FILE *out);
void render_html(const struct report *rep, FILE *out);
void render_json(const struct report *rep, FILE *out);
void render_junit(const struct report *rep, FILE *out);
void render_tap(const struct report *rep, FILE *out);

/* Escapers: each writes s so that the target format shows it literally. */
void esc_json(FILE *out, const char *s);	/* with the quotes */
void esc_xml(FILE *out, const char *s);		/* text and attribute values */
void esc_md(FILE *out, const char *s);		/* inside a table cell */

/* A one-line explanation of a row (failure message, skip reason, note,
 * waiver). Caller frees; "" when there is nothing to say. */
char *row_explain(const struct report_row *row);
/* Waiver in one line: "reason [ticket] (expires DATE)". Caller frees. */
char *waiver_text(const struct waiver *w);
const char *kernel_state(const struct report_kernel *k); /* kernel verdict or "not run" */

#endif
