/* The hpet kernel's shared helpers; see hpet-case.h. */
#include "hpet-case.h"

#include "../ioapic/delivery.h"

bool hpet_timer_with(uint64_t cap_bits, unsigned *timer)
{
    if (!hpet_available())
        return false;
    for (unsigned t = 0; t < hpet_timer_count(); t++)
        if ((hpet_timer_config(t) & cap_bits) == cap_bits) {
            *timer = t;
            return true;
        }
    return false;
}

bool hpet_and_ioapic(void)
{
    return hpet_available() && ioapic_usable();
}
