#!/usr/bin/env bash
# Boot-to-END time of hello-world per boot path and accelerator, next to an
# empty Multiboot/PVH kernel that only prints two lines, on the same VMM and
# machine type. Figures, not verdicts.
#
#   bench/boot-time.sh [BUILD_DIR] [RUNS]
set -u
here=$(dirname "$(readlink -f "$0")")
build=${1:-build}
runs=${2:-5}
boot=$here/../tests/boot/boot-vm.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# hello-world runs its default command line (kernel.conf), serial only.
default_cmdline=$(sed -n 's/^[[:space:]]*cmdline[[:space:]]*=[[:space:]]*//p' "$build/kernels/hello-world.conf")

# median wall time in ms of boot-vm.sh over $runs runs; "-" when it cannot run.
# Both kernels power off at SOTEST END, so the VMM's own exit ends the
# measurement (BOOT_VM_FOREGROUND) instead of the runner's 50 ms log poll.
measure() {
    local times=() t0 t1 status
    for _ in $(seq "$runs"); do
        t0=$(date +%s%N)
        BOOT_VM_FOREGROUND=1 "$boot" "$@" "$tmp/log" "--serial $default_cmdline" >/dev/null 2>&1
        status=$?
        t1=$(date +%s%N)
        [ $status -eq 0 ] || { echo "-"; return; }
        times+=($(( (t1 - t0) / 1000000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}

printf '%-12s %-5s %14s %14s %7s\n' path accel "hello-world ms" "empty ms" ratio
for accel in tcg kvm; do
    for path in multiboot1 pvh microvm iso-bios; do
        hw=$(measure "$path" "$accel" "$build" hello-world)
        case $path in
        iso-bios) empty="-" ;;   # no GRUB image of the empty kernel
        *) empty=$(measure "$path" "$accel" "$build/bench" empty) ;;
        esac
        ratio="-"
        if [ "$hw" != "-" ] && [ "$empty" != "-" ] && [ "$empty" -gt 0 ]; then
            ratio=$(awk -v a="$hw" -v b="$empty" 'BEGIN { printf "%.2f", a / b }')
        fi
        printf '%-12s %-5s %14s %14s %7s\n' "$path" "$accel" "$hw" "$empty" "$ratio"
    done
done
