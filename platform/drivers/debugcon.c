/* The debug console; see debugcon.h. */
#include "drivers/debugcon.h"

#include "cpu/cpu.h"

bool debugcon_present(uint16_t port)
{
    return inb(port) == DEBUGCON_PRESENT_VALUE;
}
