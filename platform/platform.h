/* What every kernel may ask of the platform about its own start. */
#ifndef PLATFORM_PLATFORM_H
#define PLATFORM_PLATFORM_H

#include "boot/bootinfo.h"

const struct boot_info *platform_boot_info(void);

static inline enum boot_protocol boot_protocol(void)
{
    return platform_boot_info()->protocol;
}

#endif
