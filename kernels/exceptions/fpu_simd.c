/* x87 and SSE exceptions: #NM for CR0.TS/EM, #MF for a pending x87
 * exception, #XM or #UD for an unmasked SIMD exception, #UD for SSE
 * without OS support; each checked like any delivery (frames.c). Near the
 * end of the kernel: this host's nested KVM cannot emulate the SSE and
 * waiting x87 cases (a KVM internal error stops the VM). */
#include "exceptions.h"

#include "cpu/cpu.h"
#include "test/test.h"

static void set_cr0(uint64_t set, uint64_t clear) { write_cr0((read_cr0() | set) & ~clear); }
static void set_cr4(uint64_t set, uint64_t clear) { write_cr4((read_cr4() | set) & ~clear); }

static void arrange_cr0_ts(void) { set_cr0(CR0_TS | CR0_MP, CR0_EM); }
static void arrange_cr0_em(void) { set_cr0(CR0_EM, CR0_TS); }
static void arrange_x87_native(void) { set_cr0(CR0_NE, CR0_TS | CR0_EM); }
static void arrange_sse_off(void) { set_cr0(0, CR0_TS | CR0_EM); set_cr4(0, CR4_OSFXSR | CR4_OSXMMEXCPT); }
static void arrange_sse_em(void) { set_cr0(CR0_EM, CR0_TS); set_cr4(CR4_OSFXSR, 0); }
static void arrange_sse_ts(void) { set_cr0(CR0_TS | CR0_MP, CR0_EM); set_cr4(CR4_OSFXSR, 0); }
static void arrange_simd_exceptions(void)
{
    set_cr0(0, CR0_TS | CR0_EM);
    set_cr4(CR4_OSFXSR | CR4_OSXMMEXCPT, 0);
}
static void arrange_simd_without_osxmmexcpt(void)
{
    set_cr0(0, CR0_TS | CR0_EM);
    set_cr4(CR4_OSFXSR, CR4_OSXMMEXCPT);
}

/* SDM Vol. 3A 6.15 Interrupt 7 and 2.5: an x87 instruction with CR0.TS is #NM. */
DELIVERY_CASE(x87_instruction_with_cr0_ts_raises_nm, "SDM Vol. 3A 6.15 Interrupt 7",
              x87, EXINFO(X86_EXC_NM), FAULT, .arrange = arrange_cr0_ts)
/* SDM Vol. 3A 6.15 Interrupt 7: an x87 instruction with CR0.EM is #NM. */
DELIVERY_CASE(x87_instruction_with_cr0_em_raises_nm, "SDM Vol. 3A 6.15 Interrupt 7",
              x87, EXINFO(X86_EXC_NM), FAULT, .arrange = arrange_cr0_em)
/* SDM Vol. 2B WAIT/FWAIT: #NM if CR0.MP and CR0.TS are both set. */
DELIVERY_CASE(fwait_with_cr0_mp_and_ts_raises_nm, "SDM Vol. 2B WAIT/FWAIT",
              fwait, EXINFO(X86_EXC_NM), FAULT, .arrange = arrange_cr0_ts)
/* SDM Vol. 3A 6.15 Interrupt 16: with CR0.NE an unmasked x87 exception is
 * reported as #MF at the next waiting x87 instruction, as a fault on it. */
DELIVERY_CASE(pending_x87_exception_raises_mf_at_the_next_fwait,
              "SDM Vol. 3A 6.15 Interrupt 16", x87_pending_fwait,
              EXINFO(X86_EXC_MF), FAULT, .arrange = arrange_x87_native,
              .cleanup = x87_reset)
/* SDM Vol. 3A 14.1.3 (SSE initialisation) and Vol. 2 Table 2-21: with
 * CR4.OSFXSR clear an SSE instruction is #UD. */
DELIVERY_CASE(sse_instruction_without_cr4_osfxsr_raises_ud, "SDM Vol. 2A 2.5 Table 2-21",
              sse, EXINFO(X86_EXC_UD), FAULT, .arrange = arrange_sse_off)
/* SDM Vol. 2A Table 2-21: CR0.EM makes SSE instructions #UD (not #NM). */
DELIVERY_CASE(sse_instruction_with_cr0_em_raises_ud, "SDM Vol. 2A 2.5 Table 2-21",
              sse, EXINFO(X86_EXC_UD), FAULT, .arrange = arrange_sse_em)
/* SDM Vol. 2A Table 2-21: CR0.TS makes SSE instructions #NM. */
DELIVERY_CASE(sse_instruction_with_cr0_ts_raises_nm, "SDM Vol. 2A 2.5 Table 2-21",
              sse, EXINFO(X86_EXC_NM), FAULT, .arrange = arrange_sse_ts)
/* SDM Vol. 3A 6.15 Interrupt 19: an unmasked SIMD floating-point exception
 * with CR4.OSXMMEXCPT is #XM, a fault on the instruction. */
DELIVERY_CASE(unmasked_simd_exception_raises_xm, "SDM Vol. 3A 6.15 Interrupt 19",
              simd_divide_by_zero, EXINFO(X86_EXC_XM), FAULT,
              .arrange = arrange_simd_exceptions, .cleanup = x87_simd_reset)
/* SDM Vol. 3A 6.15 Interrupt 19: without CR4.OSXMMEXCPT the same
 * exception is #UD. */
DELIVERY_CASE(unmasked_simd_exception_without_cr4_osxmmexcpt_raises_ud,
              "SDM Vol. 3A 6.15 Interrupt 19", simd_divide_by_zero,
              EXINFO(X86_EXC_UD), FAULT, .arrange = arrange_simd_without_osxmmexcpt,
              .cleanup = x87_simd_reset)

