# bochs: Bochs 2.x booting the kernel's GRUB ISO from CD-ROM. Its
# configuration is generated per boot from bochs.bochsrc; it starts in its
# debugger, so bochs.rc holds "c" (continue). COM1 goes to the serial log
# file certify reads. Bochs ignores ACPI power-off and never exits by itself:
# certify stops it once SOTEST END is seen.
description = Bochs, corei7_sandy_bridge_2600k, GRUB ISO from CD-ROM
binary = bochs-bin
version_args = --help
version_match = Bochs x86 Emulator
accel = none
image = iso
cmdline = no
serial = file
needs_file = /usr/share/bochs/BIOS-bochs-latest
needs_file = /usr/share/bochs/VGABIOS-lgpl-latest
generate = bochsrc bochs.bochsrc
generate = bochs.rc bochs.rc
args = -q -f {dir}/bochsrc -rc {dir}/bochs.rc
