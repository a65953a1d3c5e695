/* The interrupt vectors the platform itself uses. Cases pick theirs from
 * the rest (VECTOR_TEST_FIRST..VECTOR_TEST_LAST). */
#ifndef PLATFORM_CPU_VECTORS_H
#define PLATFORM_CPU_VECTORS_H

#define VECTOR_PIC_MASTER     0x20   /* 0x20-0x27: 8259 master after pic_init */
#define VECTOR_PIC_SLAVE      0x28   /* 0x28-0x2f: 8259 slave */
#define VECTOR_TEST_FIRST     0x30
#define VECTOR_TEST_LAST      0xef
#define VECTOR_TIMER_SERVICE  0xfd   /* LAPIC timer: watchdog and HLT wake-up */
#define VECTOR_SPURIOUS       0xff   /* LAPIC spurious vector (low nibble 0xf) */

#endif
