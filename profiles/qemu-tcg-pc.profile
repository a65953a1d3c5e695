# qemu-tcg-pc: QEMU TCG on the older i440FX "pc" machine (PIIX, no PCIe).
description = QEMU TCG, pc (i440FX) machine, -cpu max
binary = qemu-system-x86_64
version_args = --version
version_match = QEMU emulator version
accel = none
image = elf32
serial = stdout
vmm_error = emulation failure
args = -machine pc -accel tcg -cpu max -smp {cpus} -m {memory_mib}
args = -display none -vga none -nodefaults -no-reboot -serial stdio
args = -device isa-debug-exit,iobase=0xf4,iosize=0x04
arg = -kernel
arg = {kernel}
arg = -append
arg = {cmdline}
