# qemu-tcg-pvh: QEMU TCG on q35 booting the kernel by PVH (the ELF64 <name>.pvh.elf).
description = QEMU TCG, q35, -cpu max, PVH boot of <name>.pvh.elf
binary = qemu-system-x86_64
version_args = --version
version_match = QEMU emulator version
accel = none
image = pvh
serial = stdout
vmm_error = emulation failure
args = -machine q35 -accel tcg -cpu max -smp {cpus} -m {memory_mib}
args = -display none -vga none -nodefaults -no-reboot -serial stdio
args = -device isa-debug-exit,iobase=0xf4,iosize=0x04
arg = -kernel
arg = {kernel}
arg = -append
arg = {cmdline}
