/* baseline_file.h: the text form of a baseline for baselines/ in git (stable order, one fact or case per line). */
#ifndef CERTIFY_BASELINE_FILE_H
#define CERTIFY_BASELINE_FILE_H

#include <stdio.h>

#include "store.h"

void baseline_write(const struct baseline *b, FILE *out);
/* Parses a file written by baseline_write; prints file:line on errors. */
struct baseline *baseline_read(const char *path);
/* The same from text in memory; path names it in messages. */
struct baseline *baseline_parse(const char *text, size_t n, const char *path);

#endif
