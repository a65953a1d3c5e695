# qemu-tcg: QEMU with TCG on q35, every CPU feature TCG emulates (-cpu max).
# The reference VMM profile: works on any host, no /dev/kvm needed.
description = QEMU TCG, q35, -cpu max, multiboot ELF32 via -kernel
binary = qemu-system-x86_64
version_args = --version
version_match = QEMU emulator version
accel = none
image = elf32
serial = stdout
vmm_error = emulation failure
args = -machine q35 -accel tcg -cpu max -smp {cpus} -m {memory_mib}
args = -display none -vga none -nodefaults -no-reboot -serial stdio
args = -device isa-debug-exit,iobase=0xf4,iosize=0x04
arg = -kernel
arg = {kernel}
arg = -append
arg = {cmdline}
