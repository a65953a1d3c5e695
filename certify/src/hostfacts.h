/* hostfacts.h: the run manifest's facts about the host certify runs on. */
#ifndef CERTIFY_HOSTFACTS_H
#define CERTIFY_HOSTFACTS_H

#include "result.h"

/* host.os, host.cpu, host.microcode, host.kvm-modules, certify.version. */
void host_facts(fact_vec *facts);

#endif
