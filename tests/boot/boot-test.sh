#!/usr/bin/env bash
# One boot test: boot a kernel by one path (boot-vm.sh) and compare the
# protocol lines of its log with an expected log.
#
#   boot-test.sh PATH ACCEL BUILD_DIR KERNEL EXPECTED [CMDLINE]
#
# Compared: `SOTEST ...`, `test case: ...`, `- skipping ...` and
# `CERTIFY RESULT ...` lines (durations and messages, which carry RIPs and
# timings, are left out), plus the boot protocol fact and the ACPI facts
# protocol-lines.sh names.
set -u
here=$(dirname "$(readlink -f "$0")")
path=$1 accel=$2 build=$3 kernel=$4 expected=$5 cmdline=${6-}
# One log per expected file: two tests may boot the same kernel by the
# same path at once (ctest -j) with different command lines.
log=$build/test-logs/$path.$accel.$(basename "$expected" .expected).log
mkdir -p "$(dirname "$log")"

"$here/boot-vm.sh" "$path" "$accel" "$build" "$kernel" "$log" "$cmdline"
status=$?
[ $status -eq 77 ] && exit 77
if [ $status -eq 3 ]; then
    # Not a verdict on the kernel: the VMM died in firmware, before it.
    echo "SKIP: the VMM failed before $kernel started (see $log.vmm); a limitation of this host, not of the kernel"
    exit 77
fi
if [ $status -ne 0 ]; then
    echo "FAIL: $kernel by $path ($accel) did not reach SOTEST END; log: $log"
    tail -n 20 "$log"
    exit 1
fi

"$here/protocol-lines.sh" "$log" >"$log.lines"
if ! diff -u "$expected" "$log.lines"; then
    echo "FAIL: $kernel by $path ($accel): log differs from $expected (above: - expected, + got)"
    exit 1
fi
echo "ok: $kernel by $path ($accel): $(grep -c '^CERTIFY RESULT' "$log.lines") results as expected"
