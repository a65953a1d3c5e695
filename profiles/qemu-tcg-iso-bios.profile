# qemu-tcg-iso-bios: the kernel's GRUB ISO under SeaBIOS (legacy BIOS boot).
# The command line is the one baked into the ISO's GRUB menu.
description = QEMU TCG, q35, GRUB ISO under SeaBIOS
binary = qemu-system-x86_64
version_args = --version
version_match = QEMU emulator version
accel = none
image = iso
cmdline = no
serial = stdout
vmm_error = emulation failure
args = -machine q35 -accel tcg -cpu max -smp {cpus} -m {memory_mib}
args = -display none -vga none -nodefaults -no-reboot -serial stdio
args = -device isa-debug-exit,iobase=0xf4,iosize=0x04
args = -boot d
arg = -cdrom
arg = {iso}
