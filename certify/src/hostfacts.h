/* hostfacts.h: the run manifest's facts about the host certify runs on, and image hashes. */
#ifndef CERTIFY_HOSTFACTS_H
#define CERTIFY_HOSTFACTS_H

#include "result.h"

/* host.os, host.cpu, host.microcode, host.kvm-modules, certify.version. */
void host_facts(fact_vec *facts);
/* SHA-256 of a file as 64 hex digits; -1 with a message on error. */
int sha256_file(const char *path, char out[65]);

#endif
