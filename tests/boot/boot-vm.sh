#!/usr/bin/env bash
# Boots one kernel by one path and writes its serial log; used by the boot
# tests and the benchmark. Waits for `SOTEST END`, then stops the VMM (the
# exit code of the VMM proves nothing; END does).
#
#   boot-vm.sh PATH ACCEL BUILD_DIR KERNEL LOG [CMDLINE]
#
# PATH:  multiboot1 | pvh | pvh-split (q35, kernel-irqchip=split) | microvm |
#        iso-bios | iso-uefi | bochs
# ACCEL: tcg | kvm          (bochs ignores it)
# Exit: 0 END seen, 1 no END (hang or crash: see the log), 3 the VMM failed before the kernel printed
#       anything (e.g. this host's nested KVM cannot run OVMF), 4 the VMM
#       failed while the kernel ran (KVM internal error), 77 this path
#       cannot run here (no /dev/kvm, no bochs): a visible skip.
# Environment: BOOT_TIMEOUT (seconds), BOOT_VM_CPUS (instead of the
# kernel's cpus), BOOT_VM_FOREGROUND=1 (see below).
set -u
path=$1 accel=$2 build=$3 kernel=$4 log=$5 cmdline=${6-}
timeout_s=${BOOT_TIMEOUT:-150}   # GRUB under SeaBIOS on nested KVM: ~45 s

kvm_usable() {
    [ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
    # Opening is not enough: ask QEMU to start with it.
    timeout 20 qemu-system-x86_64 -machine microvm,accel=kvm -cpu host,-arch-capabilities \
        -display none -serial none -monitor none -S -no-reboot >/dev/null 2>&1 </dev/null &
    local pid=$!
    sleep 0.5
    if kill -0 $pid 2>/dev/null; then kill $pid; wait $pid 2>/dev/null; return 0; fi
    wait $pid 2>/dev/null
    return 1
}

qemu_accel=()
case $accel in
tcg) qemu_accel=(-accel tcg -cpu max) ;;
kvm)
    if ! kvm_usable; then echo "SKIP: /dev/kvm does not work here"; exit 77; fi
    # QEMU 7.2 on this nested KVM aborts with plain -cpu host (MSR 0x10a).
    qemu_accel=(-accel kvm -cpu host,-arch-capabilities) ;;
*) echo "unknown accelerator $accel" >&2; exit 2 ;;
esac

# CPUs and memory come from the kernel's metadata (docs/kernel-metadata.md).
conf_value() {
    local v
    v=$(sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$build/kernels/$kernel.conf" 2>/dev/null | tail -1)
    echo "${v:-$2}"
}
cpus=${BOOT_VM_CPUS:-$(conf_value cpus 1)}   # BOOT_VM_CPUS: a test's own count
memory=$(conf_value memory_mib 128)
qemu_common=(-m "$memory" -smp "$cpus" -display none -monitor none -no-reboot -serial "file:$log"
             -device isa-debug-exit,iobase=0xf4,iosize=0x04)
elf=$build/kernels/$kernel
iso=$build/images/$kernel.iso
rm -f "$log"
: >"$log"

case $path in
multiboot1) cmd=(qemu-system-x86_64 -machine q35 "${qemu_accel[@]}" "${qemu_common[@]}"
                 -kernel "$elf.elf32" -append "$cmdline") ;;
pvh)        cmd=(qemu-system-x86_64 -machine q35 "${qemu_accel[@]}" "${qemu_common[@]}"
                 -kernel "$elf.pvh.elf" -append "$cmdline") ;;
pvh-split)  cmd=(qemu-system-x86_64 -machine q35,kernel-irqchip=split "${qemu_accel[@]}"
                 "${qemu_common[@]}" -kernel "$elf.pvh.elf" -append "$cmdline") ;;
microvm)    cmd=(qemu-system-x86_64 -machine microvm "${qemu_accel[@]}" "${qemu_common[@]}"
                 -kernel "$elf.pvh.elf" -append "$cmdline") ;;
iso-bios)   cmd=(qemu-system-x86_64 -machine q35 "${qemu_accel[@]}" "${qemu_common[@]}"
                 -cdrom "$iso") ;;
iso-uefi)   ovmf=/usr/share/ovmf/OVMF.fd
            [ -r $ovmf ] || { echo "SKIP: no $ovmf (apt-get install ovmf)"; exit 77; }
            cmd=(qemu-system-x86_64 -machine q35 "${qemu_accel[@]}" "${qemu_common[@]}"
                 -bios $ovmf -cdrom "$iso") ;;
bochs)
    command -v bochs >/dev/null || { echo "SKIP: bochs is not installed"; exit 77; }
    dir=$(mktemp -d)
    trap 'rm -rf "$dir"' EXIT
    echo c >"$dir/rc"
    cat >"$dir/bochsrc" <<BOCHSRC
megs: $memory
cpu: model=corei7_sandy_bridge_2600k, count=$cpus, ips=50000000, ignore_bad_msrs=0
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
ata0-master: type=cdrom, path=$iso, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev=$log
port_e9_hack: enabled=1
speaker: enabled=0
display_library: rfb, options="timeout=0"
log: $dir/bochs.log
panic: action=fatal
clock: sync=none, time0=local
BOCHSRC
    cmd=(bochs -q -f "$dir/bochsrc" -rc "$dir/rc") ;;
*) echo "unknown boot path $path" >&2; exit 2 ;;
esac

# BOOT_VM_FOREGROUND=1 (the benchmark): wait for the VMM to exit by itself,
# with no polling between the kernel's power-off and the measurement; only
# for kernels that power off (QEMU's isa-debug-exit), never for Bochs.
if [ "${BOOT_VM_FOREGROUND:-0}" = 1 ] && [ "$path" != bochs ]; then
    timeout "$timeout_s" "${cmd[@]}" >"$log.vmm" 2>&1 </dev/null
    grep -aq "SOTEST END" "$log" && exit 0
    echo "no SOTEST END before the VMM exited"
    exit 1
fi

: >"$log.vmm"   # exists before the wait loop greps it
"${cmd[@]}" >"$log.vmm" 2>&1 </dev/null &
pid=$!
deadline=$((SECONDS + timeout_s))
status=1
while :; do
    if grep -aq "SOTEST END" "$log"; then status=0; break; fi
    if grep -aqE "KVM internal error|emulation failure" "$log.vmm"; then
        echo "VMM error: $(grep -aE 'KVM internal error|emulation failure' "$log.vmm" | head -1)"
        if grep -aq "SOTEST VERSION" "$log"; then status=4; else status=3; fi
        break
    fi
    if ! kill -0 $pid 2>/dev/null; then
        sleep 0.1
        grep -aq "SOTEST END" "$log" && status=0 || echo "VMM exited before SOTEST END (crash)"
        break
    fi
    if [ $SECONDS -ge $deadline ]; then echo "no SOTEST END within ${timeout_s}s (hang)"; break; fi
    sleep 0.05
done
kill $pid 2>/dev/null
wait $pid 2>/dev/null
exit $status
