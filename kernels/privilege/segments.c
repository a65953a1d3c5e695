/* Segment loads at CPL 3 that the privilege rules refuse (SDM Vol. 2B MOV,
 * Vol. 3A 5.7): #GP(selector) for a DPL 0 segment, #GP(0) for a null SS. */
#include "privilege.h"

#include "cpu/cpu.h"
#include "cpu/gdt.h"
#include "cpu/usermode.h"
#include "test/test.h"

static void load_ss(void *selector)
{
    __asm__ volatile("mov %w0, %%ss" : : "r"((uint16_t)(uint64_t)selector));
}

static void load_ds(void *selector)
{
    __asm__ volatile("mov %w0, %%ds" : : "r"((uint16_t)(uint64_t)selector));
}

static void check_load(void (*load)(void *), uint16_t selector, exinfo_t expected)
{
    ASSERT_EXCEPTION(run_in_user_mode(load, (void *)(uint64_t)selector), expected);
}

/* SS: "#GP(selector) If ... the segment selector's RPL and the segment
 * descriptor's DPL are not equal to the CPL". */
TEST_CASE(ss_load_of_the_kernel_data_segment_in_ring3_raises_gp_selector, "SDM Vol. 2B MOV")
{
    check_load(load_ss, GDT_KERNEL_DS | SELECTOR_RPL3, EXINFO_EC(X86_EXC_GP, GDT_KERNEL_DS));
}

/* DS: "#GP(selector) If ... the segment is a data ... segment and both the
 * RPL and the CPL are greater than the DPL". */
TEST_CASE(ds_load_of_the_kernel_data_segment_in_ring3_raises_gp_selector, "SDM Vol. 2B MOV")
{
    check_load(load_ds, GDT_KERNEL_DS | SELECTOR_RPL3, EXINFO_EC(X86_EXC_GP, GDT_KERNEL_DS));
}

/* 64-bit mode: "#GP(0) If an attempt is made to load SS register with NULL
 * segment selector when CPL = 3". */
TEST_CASE(ss_load_of_null_in_ring3_raises_gp_zero, "SDM Vol. 2B MOV")
{
    check_load(load_ss, SELECTOR_RPL3, EXINFO_EC(X86_EXC_GP, 0));
}

/* The user data segment is fine at CPL 3. */
TEST_CASE(ds_load_of_the_user_data_segment_in_ring3_is_allowed, "SDM Vol. 2B MOV")
{
    check_load(load_ds, GDT_USER_DS | SELECTOR_RPL3, EXINFO_NONE);
}
