/* Local APIC, one API for xAPIC (MMIO) and x2APIC (MSRs)
 * (SDM Vol. 3A chapter 11, "Advanced Programmable Interrupt Controller").
 * Register names are the xAPIC MMIO offsets; in x2APIC mode the MSR is
 * MSR_X2APIC_BASE + (offset >> 4) (SDM Vol. 3A 11.12.1.2). */
#ifndef PLATFORM_DRIVERS_LAPIC_H
#define PLATFORM_DRIVERS_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

#define LAPIC_DEFAULT_BASE       0xfee00000u

#define LAPIC_ID                 0x020
#define  LAPIC_XAPIC_ID_SHIFT    24       /* xAPIC: the 8-bit ID is in 31:24 */
#define LAPIC_VERSION            0x030
#define  LAPIC_VERSION_MASK      0xffu    /* 1xH: integrated APIC (SDM Vol. 3A 11.4.8) */
#define  LAPIC_VERSION_MAX_LVT_SHIFT 16
#define  LAPIC_VERSION_MAX_LVT_MASK  0xffu
#define  LAPIC_VERSION_EOI_BCAST_SUPPRESSION (1u << 24)
#define LAPIC_TPR                0x080
#define  LAPIC_TPR_BLOCK_ALL     0xf0u    /* class 15: holds back every vector (11.8.3.1) */
#define  LAPIC_PRIORITY_CLASS_SHIFT 4   /* TPR, PPR, ISRV, vectors: class = bits 7:4 (SDM Vol. 3A 11.8.3) */
#define  LAPIC_PRIORITY_SUBCLASS_MASK 0xfu
#define LAPIC_APR                0x090
#define LAPIC_PPR                0x0a0
#define LAPIC_EOI                0x0b0
#define LAPIC_RRD                0x0c0
#define LAPIC_LDR                0x0d0
#define  LAPIC_LDR_XAPIC_ID_SHIFT 24      /* xAPIC: logical ID in 31:24, rest reserved */
#define  LAPIC_LDR_X2APIC_CLUSTER_SHIFT 16 /* x2APIC: cluster in 31:16 (SDM 11.12.10.2) */
#define LAPIC_DFR                0x0e0   /* xAPIC only */
#define  LAPIC_DFR_FLAT          0xffffffffu   /* model 1111b; 27:0 reserved, read 1 */
#define  LAPIC_DFR_CLUSTER       0x0fffffffu   /* model 0000b */
#define  LAPIC_LDR_RESET         0u            /* SDM Vol. 3A 11.6.2.2 */
#define LAPIC_SVR                0x0f0
#define  LAPIC_SVR_VECTOR_MASK   0xffu
#define  LAPIC_SVR_ENABLE        (1u << 8)
#define  LAPIC_SVR_FOCUS_DISABLE (1u << 9)
#define  LAPIC_SVR_SUPPRESS_EOI_BCAST (1u << 12)
#define LAPIC_ISR0               0x100   /* 8 registers, 0x10 apart */
#define LAPIC_TMR0               0x180
#define LAPIC_IRR0               0x200
#define LAPIC_ESR                0x280
#define  LAPIC_ESR_SEND_ILLEGAL_VECTOR    (1u << 5)   /* SDM Vol. 3A 11.5.3 */
#define  LAPIC_ESR_RECEIVE_ILLEGAL_VECTOR (1u << 6)
#define  LAPIC_ESR_ILLEGAL_REGISTER       (1u << 7)
#define LAPIC_LVT_CMCI           0x2f0
#define LAPIC_ICR                0x300   /* x2APIC: one 64-bit MSR */
#define LAPIC_ICR_HIGH           0x310   /* xAPIC only */
#define LAPIC_LVT_TIMER          0x320
#define LAPIC_LVT_THERMAL        0x330
#define LAPIC_LVT_PMC            0x340
#define LAPIC_LVT_LINT0          0x350
#define LAPIC_LVT_LINT1          0x360
#define LAPIC_LVT_ERROR          0x370
#define LAPIC_TIMER_INITIAL      0x380
#define LAPIC_TIMER_CURRENT      0x390
#define LAPIC_TIMER_DIVIDE       0x3e0
#define LAPIC_SELF_IPI           0x3f0   /* x2APIC only */

/* LVT and ICR fields (SDM Vol. 3A Figure 11-8, 11-12). */
#define LAPIC_VECTOR_MASK        0xffu
#define LAPIC_FIRST_LEGAL_VECTOR 16       /* 0-15 are illegal (SDM Vol. 3A 11.5.2) */
#define LAPIC_DM_FIXED           (0u << 8)
#define LAPIC_DM_LOWEST          (1u << 8)
#define LAPIC_DM_SMI             (2u << 8)
#define LAPIC_DM_NMI             (4u << 8)
#define LAPIC_DM_INIT            (5u << 8)
#define LAPIC_DM_STARTUP         (6u << 8)
#define LAPIC_DM_EXTINT          (7u << 8)
#define LAPIC_DM_MASK            (7u << 8)
#define LAPIC_DEST_LOGICAL       (1u << 11)
#define LAPIC_DELIVERY_PENDING   (1u << 12)
#define LAPIC_POLARITY_LOW       (1u << 13)
#define LAPIC_REMOTE_IRR         (1u << 14)
#define LAPIC_LEVEL_ASSERT       (1u << 14)   /* ICR */
#define LAPIC_TRIGGER_LEVEL      (1u << 15)
#define LAPIC_LVT_MASKED         (1u << 16)
#define LAPIC_TIMER_ONESHOT      (0u << 17)
#define LAPIC_TIMER_PERIODIC     (1u << 17)
#define LAPIC_TIMER_TSC_DEADLINE (2u << 17)
#define LAPIC_TIMER_MODE_MASK    (3u << 17)
#define LAPIC_SHORTHAND_NONE     (0u << 18)
#define LAPIC_SHORTHAND_SELF     (1u << 18)
#define LAPIC_SHORTHAND_ALL      (2u << 18)
#define LAPIC_SHORTHAND_OTHERS   (3u << 18)
/* Destination IDs that mean "every APIC" (SDM Vol. 3A 11.6.2.1, 11.12.9). */
#define LAPIC_XAPIC_BROADCAST_ID  0xffu
#define LAPIC_X2APIC_BROADCAST_ID 0xffffffffu
/* Logical x2APIC ID from the x2APIC ID (SDM Vol. 3A 11.12.10.2): cluster
 * = ID[19:4] in LDR[31:16], member bit 1 << ID[3:0] in LDR[15:0]. */
#define X2APIC_ID_CLUSTER_SHIFT   4
#define X2APIC_ID_MEMBER_MASK     0xfu

/* Divide configuration register encodings (SDM Vol. 3A Figure 11-10). */
#define LAPIC_DIVIDE_1           0xb
#define LAPIC_DIVIDE_2           0x0
#define LAPIC_DIVIDE_4           0x1
#define LAPIC_DIVIDE_8           0x2
#define LAPIC_DIVIDE_16          0x3
#define LAPIC_DIVIDE_32          0x8
#define LAPIC_DIVIDE_64          0x9
#define LAPIC_DIVIDE_128         0xa
#define LAPIC_DIVIDE_MASK        0xb      /* bits 0, 1 and 3; bit 2 is reserved */

enum lapic_mode {
    LAPIC_MODE_DISABLED,
    LAPIC_MODE_XAPIC,
    LAPIC_MODE_X2APIC,
};

#include "cpu/catch.h"

/* Enables the LAPIC in the mode firmware left it in (x2APIC stays x2APIC),
 * software-enables it with `spurious_vector`. False if there is none. */
bool lapic_init(uint8_t spurious_vector);
bool lapic_present(void);
enum lapic_mode lapic_mode(void);
/* Switches modes along the legal path (SDM Vol. 3A 11.12.5); returns the
 * exception a refused IA32_APIC_BASE write raised. Leaving a mode resets
 * the APIC's registers (the framework restores the boot mode per case). */
exinfo_t lapic_set_mode(enum lapic_mode mode);
/* Re-reads IA32_APIC_BASE after a case wrote it directly. */
void lapic_refresh_mode(void);
uint64_t lapic_base(void);

uint32_t lapic_read(unsigned reg);
void lapic_write(unsigned reg, uint32_t value);
void lapic_eoi(void);
uint32_t lapic_id(void);

/* Sends an IPI: icr holds vector, delivery mode, shorthand; dest is the
 * APIC ID (xAPIC: 8 bits, x2APIC: 32 bits). */
void lapic_send_ipi(uint32_t dest, uint32_t icr);
void lapic_self_ipi(uint8_t vector);

/* Bit `vector` of ISR/IRR/TMR (base = LAPIC_ISR0, LAPIC_IRR0, LAPIC_TMR0). */
bool lapic_vector_bit(unsigned base, uint8_t vector);
/* The highest vector set in ISR or IRR, or -1. */
int lapic_highest_vector(unsigned base);

void lapic_timer_start(uint32_t mode, uint8_t vector, uint32_t initial_count, uint32_t divide);
void lapic_timer_stop(void);

/* Masks every LVT, sets TPR to 0, and EOIs until the ISR is empty (case
 * isolation), after restoring the mode the LAPIC had at boot. */
void lapic_reset_state(void);
/* The same on the calling CPU's LAPIC in its current mode (APs too). */
void lapic_quiesce(void);

#endif
