# qemu-microvm: QEMU's minimal microvm machine under KVM, booting the PVH
# entry of the ELF64 image (no firmware: the fast path).
description = QEMU KVM, microvm, PVH boot of <name>.pvh.elf
binary = qemu-system-x86_64
version_args = --version
version_match = QEMU emulator version
accel = kvm
image = pvh
serial = stdout
vmm_error = KVM internal error
vmm_error = emulation failure
args = -machine microvm -accel kvm -cpu host,-arch-capabilities -smp {cpus} -m {memory_mib}
args = -display none -vga none -nodefaults -no-reboot -serial stdio
args = -device isa-debug-exit,iobase=0xf4,iosize=0x04
arg = -kernel
arg = {kernel}
arg = -append
arg = {cmdline}
