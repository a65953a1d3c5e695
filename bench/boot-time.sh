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

# "MEDIAN MIN" wall time in ms of boot-vm.sh over $runs runs; "- -" when it
# cannot run. Both kernels power off at SOTEST END, so the VMM's own exit
# ends the measurement (BOOT_VM_FOREGROUND) instead of the runner's 50 ms
# log poll. The minimum is the least disturbed run on a noisy host.
measure() {
    local times=() t0 t1 status
    for _ in $(seq "$runs"); do
        t0=$(date +%s%N)
        BOOT_VM_FOREGROUND=1 "$boot" "$@" "$tmp/log" "--serial $default_cmdline" >/dev/null 2>&1
        status=$?
        t1=$(date +%s%N)
        [ $status -eq 0 ] || { echo "- -"; return; }
        times+=($(( (t1 - t0) / 1000000 )))
    done
    local sorted
    sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    echo "$(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p") $(echo "$sorted" | head -1)"
}

ratio() {
    if [ "$1" != "-" ] && [ "$2" != "-" ] && [ "$2" -gt 0 ]; then
        awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
    else
        echo "-"
    fi
}

# The platform's own start-up in the last hello-world log: calibration and
# discovery, up to the first case (its SOTEST BENCHMARK line), in ms.
discovery_ms() {
    sed -n 's/^SOTEST BENCHMARK:platform_discovery:us:\([0-9]*\).*/\1/p' "$tmp/log" |
        awk '{ printf "%.1f", $1 / 1000 }'
}

printf '%-10s %-5s %22s %22s %13s %12s\n' path accel "hello-world ms (med/min)" \
    "empty ms (med/min)" "ratio med/min" "platform ms"
for accel in tcg kvm; do
    for path in multiboot1 pvh microvm iso-bios; do
        read -r hw hw_min < <(measure "$path" "$accel" "$build" hello-world)
        discovery=$(discovery_ms)
        case $path in
        iso-bios) empty="-" empty_min="-" ;;   # no GRUB image of the empty kernel
        *) read -r empty empty_min < <(measure "$path" "$accel" "$build/bench" empty) ;;
        esac
        printf '%-10s %-5s %22s %22s %13s %12s\n' "$path" "$accel" "$hw / $hw_min" \
            "$empty / $empty_min" "$(ratio "$hw" "$empty") / $(ratio "$hw_min" "$empty_min")" \
            "${discovery:--}"
    done
done
