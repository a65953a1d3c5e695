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

# Wall time in ms of one boot-vm.sh run of KERNEL from DIR; "-" when it
# cannot run. Both kernels power off at SOTEST END, so the VMM's own exit
# ends the measurement (BOOT_VM_FOREGROUND) instead of the runner's 50 ms
# log poll.
boot_ms() {
    local path=$1 accel=$2 dir=$3 kernel=$4 log=$5 t0 t1
    t0=$(date +%s%N)
    BOOT_VM_FOREGROUND=1 "$boot" "$path" "$accel" "$dir" "$kernel" "$log" \
        "--serial $default_cmdline" >/dev/null 2>&1 || { echo -; return; }
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000000 ))
}

# "MEDIAN MIN" of the times on stdin; "- -" if any run failed. The minimum
# is the least disturbed run on a noisy host.
median_min() {
    local sorted count
    sorted=$(sort -n)
    count=$(echo "$sorted" | wc -l)
    if echo "$sorted" | grep -qx -- -; then
        echo "- -"
    else
        echo "$(echo "$sorted" | sed -n "$(( (count + 1) / 2 ))p") $(echo "$sorted" | head -1)"
    fi
}

# "HW_MEDIAN HW_MIN EMPTY_MEDIAN EMPTY_MIN" over $runs runs of hello-world
# and, where the path has an image of it, the empty kernel. The two boot
# by turns, so a drift of the host (load, clock, caches) falls on both.
measure() {
    local path=$1 accel=$2 with_empty=$3 hw=() empty=()
    for _ in $(seq "$runs"); do
        hw+=("$(boot_ms "$path" "$accel" "$build" hello-world "$tmp/log")")
        $with_empty && empty+=("$(boot_ms "$path" "$accel" "$build/bench" empty "$tmp/empty.log")")
    done
    echo "$(printf '%s\n' "${hw[@]}" | median_min)" \
         "$($with_empty && printf '%s\n' "${empty[@]}" | median_min || echo "- -")"
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
        with_empty=true
        [ "$path" = iso-bios ] && with_empty=false   # no GRUB image of the empty kernel
        read -r hw hw_min empty empty_min < <(measure "$path" "$accel" "$with_empty")
        discovery=$(discovery_ms)
        printf '%-10s %-5s %22s %22s %13s %12s\n' "$path" "$accel" "$hw / $hw_min" \
            "$empty / $empty_min" "$(ratio "$hw" "$empty") / $(ratio "$hw_min" "$empty_min")" \
            "${discovery:--}"
    done
done
