# qemu-tcg-iso-uefi: the kernel's GRUB ISO under OVMF (UEFI boot).
# -bios with the combined OVMF image needs no writable variable store.
description = QEMU TCG, q35, GRUB ISO under OVMF (UEFI)
binary = qemu-system-x86_64
version_args = --version
version_match = QEMU emulator version
accel = none
image = iso
cmdline = no
serial = stdout
needs_file = /usr/share/ovmf/OVMF.fd
vmm_error = emulation failure
args = -machine q35 -accel tcg -cpu max -smp {cpus} -m {memory_mib}
args = -display none -vga none -nodefaults -no-reboot -serial stdio
args = -device isa-debug-exit,iobase=0xf4,iosize=0x04
args = -bios /usr/share/ovmf/OVMF.fd -boot d
arg = -cdrom
arg = {iso}
