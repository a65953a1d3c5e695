# qemu-kvm-irqchip-off: QEMU with KVM on q35, irqchip off (LAPIC, IOAPIC and PIC in QEMU).
# -cpu host,-arch-capabilities: plain "host" fails on hosts whose KVM cannot
# expose IA32_ARCH_CAPABILITIES (e.g. nested kvm_pvm). Results describe the
# QEMU version on this host's KVM (see host.kvm-modules in the run), not
# "KVM" in general.
description = QEMU KVM, q35,kernel-irqchip=off, -cpu host,-arch-capabilities
binary = qemu-system-x86_64
version_args = --version
version_match = QEMU emulator version
accel = kvm
image = elf32
serial = stdout
# After these QEMU freezes instead of exiting: certify stops it.
vmm_error = KVM internal error
vmm_error = emulation failure
args = -machine q35,kernel-irqchip=off -accel kvm -cpu host,-arch-capabilities -smp {cpus} -m {memory_mib}
args = -display none -vga none -nodefaults -no-reboot -serial stdio
args = -device isa-debug-exit,iobase=0xf4,iosize=0x04
arg = -kernel
arg = {kernel}
arg = -append
arg = {cmdline}
