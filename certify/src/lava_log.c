/* lava_log.c: extracting the device's serial output from a LAVA job log so import reads it like any capture. */
#include "lava_log.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "parse.h"
#include "util.h"

bool lava_log_detect(const char *buf, size_t n)
{
	size_t i = 0;
	if (n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
		i++;
	/* LAVA dumps each entry with sorted keys, so "dt" comes first, in
	 * flow style (`- {"dt": ...}`); accept the block style of a re-dump. */
	static const char *const starts[] = { "- {\"dt\":", "- {dt:", "- {'dt':", "- dt:", "- \"dt\":" };
	for (size_t s = 0; s < sizeof(starts) / sizeof(starts[0]); s++) {
		size_t l = strlen(starts[s]);
		if (n - i >= l && memcmp(buf + i, starts[s], l) == 0)
			return true;
	}
	return false;
}

/* LAVA up to about 2023 escaped every `"` of a serial line as `\"` before
 * logging it (its ShellLogger did, for a YAML it no longer writes by hand),
 * so the stored message has a backslash before each quote; later versions
 * store the line as it came. A line whose every quote has a backslash
 * before it is of the first kind: drop exactly those backslashes, which
 * restores the line (a `\"` sent by the device was logged as `\\"`). */
static void add_target_line(struct strbuf *out, const char *s, size_t n)
{
	bool quotes = false, escaped = true;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '"') {
			quotes = true;
			if (i == 0 || s[i - 1] != '\\')
				escaped = false;
		}
	if (quotes && escaped) {
		for (size_t i = 0; i < n; i++)
			if (!(s[i] == '\\' && i + 1 < n && s[i + 1] == '"'))
				sb_addc(out, s[i]);
	} else {
		sb_add(out, s, n);
	}
	sb_addc(out, '\n');
}

/* Parser state: where in the [ {key: value} ... ] structure an event is. */
struct lava_reader {
	int depth;		/* 1: in the list, 2: in an entry, deeper: inside a value */
	bool want_key;		/* at depth 2: the next scalar is a key */
	char key[8];		/* the current key at depth 2, if short enough to matter */
	struct strbuf lvl, msg;
	bool has_msg;
	size_t entries, targets;
};

static void entry_end(struct lava_reader *r, struct strbuf *out)
{
	r->entries++;
	if (r->has_msg && str_eq(sb_str(&r->lvl), "target")) {
		add_target_line(out, r->msg.buf ? r->msg.buf : "", r->msg.len);
		r->targets++;
	}
	sb_reset(&r->lvl);
	sb_reset(&r->msg);
	r->has_msg = false;
}

static void on_scalar(struct lava_reader *r, const yaml_event_t *e)
{
	if (r->depth != 2)
		return; /* a value's insides (results entries carry mappings) */
	const char *v = (const char *)e->data.scalar.value;
	size_t len = e->data.scalar.length;
	if (r->want_key) {
		snprintf(r->key, sizeof(r->key), "%.*s", (int)(len < sizeof(r->key) ? len : 0), v);
		r->want_key = false;
		return;
	}
	if (strcmp(r->key, "lvl") == 0) {
		sb_reset(&r->lvl);
		sb_add(&r->lvl, v, len);
	} else if (strcmp(r->key, "msg") == 0) {
		sb_reset(&r->msg);
		sb_add(&r->msg, v, len);
		r->has_msg = true;
	}
	r->want_key = true;
}

char *lava_log_serial(const char *buf, size_t n, const char *path, size_t *len)
{
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser)) {
		errorf("cannot start the YAML parser for %s", path);
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, n);
	struct lava_reader r = { 0 };
	struct strbuf out = STRBUF_INIT;
	bool done = false, damaged = false, shape = true;
	while (!done) {
		yaml_event_t e;
		if (!yaml_parser_parse(&parser, &e)) {
			damaged = true;
			break;
		}
		switch (e.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (r.depth == 0 && e.type != YAML_SEQUENCE_START_EVENT)
				shape = false;
			if (r.depth == 1 && e.type != YAML_MAPPING_START_EVENT)
				shape = false;
			if (r.depth == 2 && r.want_key)
				shape = false; /* a complex key: not LAVA's */
			r.depth++;
			if (r.depth == 2)
				r.want_key = true;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			r.depth--;
			if (r.depth == 1)
				entry_end(&r, &out);
			else if (r.depth == 2)
				r.want_key = true; /* a nested value ended */
			break;
		case YAML_SCALAR_EVENT:
			if (r.depth < 2)
				shape = false;
			on_scalar(&r, &e);
			break;
		default:
			break;
		}
		yaml_event_delete(&e);
		if (!shape) {
			damaged = true;
			break;
		}
	}
	if (damaged) {
		size_t line = parser.problem ? parser.problem_mark.line + 1 : parser.mark.line + 1;
		const char *why = parser.problem ? parser.problem : "not a list of {dt, lvl, msg} entries";
		if (r.entries == 0) {
			errorf("%s:%zu: not a LAVA job log (%s)", path, line, why);
			yaml_parser_delete(&parser);
			sb_free(&r.lvl);
			sb_free(&r.msg);
			sb_free(&out);
			return NULL;
		}
		warnf("%s:%zu: the LAVA log is damaged or cut off here (%s); read the %zu entries before it",
		      path, line, why, r.entries);
	}
	yaml_parser_delete(&parser);
	sb_free(&r.lvl);
	sb_free(&r.msg);
	if (r.targets == 0)
		warnf("%s: a LAVA log with no device output (no lvl: target entries)", path);
	*len = out.len;
	if (!out.buf)
		sb_add(&out, "", 0);
	return sb_steal(&out);
}

int parse_capture(struct parser *p, const char *buf, size_t n, const char *path)
{
	if (!lava_log_detect(buf, n)) {
		parse_buffer(p, buf, n);
		return 0;
	}
	size_t len;
	char *serial = lava_log_serial(buf, n, path, &len);
	if (!serial)
		return -1;
	parse_buffer(p, serial, len);
	free(serial);
	return 0;
}
