/* Parsing of the kernel command line (docs/protocol.md, "Kernel command
 * line"). Builds hosted too, for unit tests. */
#ifndef PLATFORM_LIB_CMDLINE_H
#define PLATFORM_LIB_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CMDLINE_MAX_ERRORS      8
#define CMDLINE_ERROR_LENGTH    160
#define CMDLINE_DEFAULT_SERIAL  0x3f8
#define CMDLINE_DEFAULT_DEBUGCON 0xe9

/* A comma-separated list of case names, pointing into the command line. */
struct name_list {
    const char *text;
    size_t length;
    bool present;
};

struct cmdline {
    bool serial, debugcon;            /* consoles; both when neither is named */
    uint16_t serial_port, debugcon_port;
    bool list;                        /* --list: print the cases, run none */
    struct name_list disabled, enabled;
    unsigned error_count;             /* may exceed CMDLINE_MAX_ERRORS */
    char errors[CMDLINE_MAX_ERRORS][CMDLINE_ERROR_LENGTH];
};

/* Parses text (which must outlive *out). Problems are collected in
 * out->errors; parsing never fails and always yields usable options. */
void cmdline_parse(const char *text, struct cmdline *out);

/* Records one more problem (also used for problems found later, such as an
 * unknown case name). */
void cmdline_error(struct cmdline *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Iterates a name list: returns false at the end. *pos starts at 0. */
bool name_list_next(const struct name_list *l, size_t *pos,
                    const char **name, size_t *length);

bool name_list_contains(const struct name_list *l, const char *name);

#endif
