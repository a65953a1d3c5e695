/* fuzz_parse.c: libFuzzer target: any bytes through the parser (in chunks), then the report renderers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "render.h"
#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The first byte picks the chunk size, so line ends fall across
	 * chunk boundaries the way serial reads deliver them. */
	size_t chunk = size ? (size_t)data[0] % 64 + 1 : 1;
	struct parser p;
	parser_init(&p);
	for (size_t at = 0; at < size; at += chunk)
		parser_feed(&p, (const char *)data + at, size - at < chunk ? size - at : chunk);
	parser_finish(&p);

	struct run *r = run_new();
	for (size_t i = 0; i < p.logs.n; i++) {
		struct kresult *k = p.logs.v[i];
		if (!k->kernel)
			k->kernel = xstrdup("fuzzed");
		kresult_finish(k, k->end_seen ? KV_COMPLETE : KV_HANG, NULL, 0);
		VEC_PUSH(r->kernels, k);
	}
	p.logs.n = 0;
	parser_free(&p);

	FILE *null = fopen("/dev/null", "w");
	struct report rep;
	report_for_run(&rep, r);
	for (int f = FMT_TEXT; f <= FMT_TAP; f++)
		render_report(&rep, (enum format)f, null);
	report_free(&rep);
	fclose(null);
	run_free(r);

	/* Values: whatever is read back must write and read again the same. */
	char *text = xstrndup((const char *)data, size);
	const char *s = text;
	struct strbuf v = STRBUF_INIT, w = STRBUF_INIT, back = STRBUF_INIT;
	value_read(&s, &v);
	if (strlen(sb_str(&v)) == v.len) {
		value_write(&w, sb_str(&v));
		const char *t = sb_str(&w);
		value_read(&t, &back);
		if (strcmp(sb_str(&back), sb_str(&v)) != 0)
			__builtin_trap();
	}
	sb_free(&v);
	sb_free(&w);
	sb_free(&back);
	free(text);
	return 0;
}
