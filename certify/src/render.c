/* render.c: what all renderers share: format names, escaping, one-line explanations of rows. */
#include "render.h"

#include <stdlib.h>
#include <string.h>

static const char *const format_names[] = { "text", "md", "html", "json", "junit", "tap" };

int format_parse(const char *s, enum format *f)
{
	for (int i = 0; i < 6; i++) {
		if (strcmp(s, format_names[i]) == 0) {
			*f = (enum format)i;
			return 0;
		}
	}
	if (strcmp(s, "markdown") == 0) {
		*f = FMT_MD;
		return 0;
	}
	errorf("unknown format \"%s\": use text, md, html, json, junit or tap", s);
	return -1;
}

void render_report(const struct report *rep, enum format f, FILE *out)
{
	static void (*const renderers[])(const struct report *, FILE *) = {
		render_text, render_md, render_html, render_json, render_junit, render_tap,
	};
	renderers[f](rep, out);
}

void esc_json(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		case '\r': fputs("\\r", out); break;
		default:
			if (*p < 0x20)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

void esc_xml(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		case '\n': fputs("&#10;", out); break;
		case '\t': fputs("&#9;", out); break;
		default:
			/* XML 1.0 forbids other control bytes even as references. */
			if (*p >= 0x20)
				fputc(*p, out);
		}
	}
}

void esc_md(FILE *out, const char *s)
{
	for (const char *p = s; *p; p++) {
		if (*p == '\n') {
			fputs("<br>", out);
		} else if (strchr("|\\`*_[]<>#", *p)) {
			/* Markdown escapes; < and > as entities so no HTML gets through. */
			if (*p == '<')
				fputs("&lt;", out);
			else if (*p == '>')
				fputs("&gt;", out);
			else
				fprintf(out, "\\%c", *p);
		} else {
			fputc(*p, out);
		}
	}
}

char *waiver_text(const struct waiver *w)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, w->reason);
	if (w->ticket)
		sb_addf(&sb, " [%s]", w->ticket);
	if (w->expires)
		sb_addf(&sb, " (expires %s)", w->expires);
	return sb_steal(&sb);
}

char *row_explain(const struct report_row *row)
{
	struct strbuf sb = STRBUF_INIT;
	const struct case_result *c = row->res;
	if (c && (c->verdict == VERDICT_FAIL || c->verdict == VERDICT_SKIP || c->verdict == VERDICT_NOT_RUN)) {
		if (c->reason && c->msg)
			sb_addf(&sb, "%s: %s", c->reason, c->msg);
		else if (c->reason || c->msg)
			sb_adds(&sb, c->reason ? c->reason : c->msg);
	}
	if (c && c->flaky)
		sb_addf(&sb, "%spassed on rerun (%d attempts)", sb.len ? "; " : "", c->attempts);
	if (row->note)
		sb_addf(&sb, "%s%s", sb.len ? "; " : "", row->note);
	if (row->waiver) {
		char *w = waiver_text(row->waiver);
		sb_addf(&sb, "%swaiver: %s", sb.len ? "; " : "", w);
		free(w);
	}
	if (!sb.len)
		sb_add(&sb, "", 0);
	return sb_steal(&sb);
}

const char *kernel_state(const struct report_kernel *k)
{
	return k->k ? kernel_verdict_name(k->k->verdict) : "not run";
}
