/* lava_log.h: the serial output inside a LAVA job log (docs/bare-metal.md). */
#ifndef CERTIFY_LAVA_LOG_H
#define CERTIFY_LAVA_LOG_H

#include <stdbool.h>
#include <stddef.h>

/* True when buf looks like a LAVA job log: YAML whose first entry is a
 * {dt, lvl, msg} mapping (`- {"dt": ...`), as LAVA stores and serves it. */
bool lava_log_detect(const char *buf, size_t n);

/* The messages of the entries with `lvl: target` (the device's serial
 * output), one line each, as a serial capture: *len gets its length. A
 * truncated or damaged log (a job still running, cut off) keeps the lines
 * before the damage, with a warning. NULL with a message when the log
 * holds no entries at all. path is for messages. */
char *lava_log_serial(const char *buf, size_t n, const char *path, size_t *len);

struct parser;
/* Parse a capture as `import` reads it: a LAVA job log's serial part, or
 * the bytes themselves. -1 with a message when a LAVA log holds nothing. */
int parse_capture(struct parser *p, const char *buf, size_t n, const char *path);

#endif
