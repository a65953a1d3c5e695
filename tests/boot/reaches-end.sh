#!/usr/bin/env bash
# Boots a kernel with its default command line (build/kernels/<name>.conf)
# and checks that it reaches SOTEST END.
#   reaches-end.sh PATH ACCEL BUILD_DIR KERNEL
# A VMM that fails by itself (this host's nested KVM prints "KVM internal
# error" on some instructions and freezes) is reported as a VMM error and
# skipped visibly: it is a verdict on the VMM, which certify records, not on
# the kernel. A hang or a crash fails.
set -u
here=$(dirname "$(readlink -f "$0")")
path=$1 accel=$2 build=$3 kernel=$4
log=$build/test-logs/$kernel.end.$path.$accel.log
mkdir -p "$(dirname "$log")"
cmdline=$(sed -n 's/^[[:space:]]*cmdline[[:space:]]*=[[:space:]]*//p' "$build/kernels/$kernel.conf")
# Cases this VMM cannot get past (tests/boot/vmm-workarounds.conf).
vmm=qemu-$accel
[ "$path" = bochs ] && vmm=bochs
workaround=$(awk -v k="$kernel" -v v="$vmm" '$1 == k && $2 == v { print $3 }' "$here/vmm-workarounds.conf")
if [ -n "$workaround" ]; then
    echo "note: disabling on $vmm (tests/boot/vmm-workarounds.conf): $workaround"
    case $cmdline in
    *--disable-testcases=*) cmdline=$(echo "$cmdline" | sed "s/--disable-testcases=/--disable-testcases=$workaround,/") ;;
    *) cmdline="$cmdline --disable-testcases=$workaround" ;;
    esac
fi
"$here/boot-vm.sh" "$path" "$accel" "$build" "$kernel" "$log" "--serial $cmdline"
case $? in
0)  echo "ok: $kernel reached SOTEST END by $path ($accel):" \
         "$(grep -ac '^SOTEST SUCCESS' "$log") pass, $(grep -ac '^SOTEST FAIL' "$log") fail," \
         "$(grep -ac '^SOTEST SKIP' "$log") skip"
    exit 0 ;;
3)  echo "SKIP: the VMM failed before $kernel started (firmware); see $log.vmm"; exit 77 ;;
4)  echo "SKIP: VMM error while $kernel ran, in case $(grep -a '^test case:' "$log" | tail -1 | cut -d' ' -f3-): $(grep -aE 'KVM internal error|emulation failure' "$log.vmm" | head -1)"
    exit 77 ;;
77) exit 77 ;;
*)  echo "FAIL: $kernel did not reach SOTEST END by $path ($accel); last lines of $log:"
    tail -n 15 "$log"
    exit 1 ;;
esac
