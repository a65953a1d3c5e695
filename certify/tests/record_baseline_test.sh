#!/bin/sh
# record_baseline_test.sh: scripts/record-bare-metal-baseline.sh from capture
# to baselines/<machine>.baseline, and every capture it must refuse.
# Needs $CERTIFY, $CERTIFY_TEST_DATA, $CERTIFY_TMP and $RECORD_SCRIPT (ctest).
set -u
S="$RECORD_SCRIPT"
DATA="$CERTIFY_TEST_DATA"
. "$(dirname "$0")/harness.sh"
unset CERTIFY_DB
# expect_script STATUS TEXT ARGS...: run the script, check status and that its output has TEXT.
expect_script() {
	want=$1 text=$2
	shift 2
	sh "$S" "$@" >"$T/out" 2>&1
	got=$?
	[ "$got" = "$want" ] || fail "exit $got, wanted $want: $*"
	grep -qF -- "$text" "$T/out" || fail "no \"$text\" from: $*"
	[ "$got" = "$want" ] && grep -qF -- "$text" "$T/out" || sed 's/^/  | /' "$T/out" >&2
}

expect_script 0 "wrote $T/b/lab-x11.baseline" --out "$T/b/lab-x11.baseline" lab-x11 "$DATA/lava/serial.log"
grep -q '^provenance bare-metal$' "$T/b/lab-x11.baseline" || fail "the file does not say bare-metal"
grep -q '^case hello-world reads_rtc_mode fail' "$T/b/lab-x11.baseline" || fail "a case is missing"
"$CERTIFY" baseline import --db "$T/check.db" "$T/b/lab-x11.baseline" >/dev/null || fail "certify cannot read the export back"
expect_script 2 "exists: give --replace" --out "$T/b/lab-x11.baseline" lab-x11 "$DATA/lava/serial.log"
expect_script 0 "wrote" --replace --out "$T/b/lab-x11.baseline" lab-x11 "$DATA/lava/serial.log"
expect_script 0 "wrote" --db "$T/keep.db" --out "$T/b/lava.baseline" lab-lava "$DATA/lava/job-2023.yaml"
[ -s "$T/keep.db" ] || fail "--db was not used"
# Never a VM's run as hardware: a hypervisor signature, bare or quoted, or in a LAVA log.
expect_script 2 "captured under a hypervisor (cpu.hypervisor=KVMKVMKVM)" --out "$T/b/x" vm "$DATA/vmm-run.log"
sed 's/cpu.hypervisor=none/cpu.hypervisor="Microsoft Hv"/' "$DATA/lava/serial.log" >"$T/hv.log"
expect_script 2 "cpu.hypervisor=Microsoft Hv" --out "$T/b/x" vm "$T/hv.log"
sed 's/cpu.hypervisor=none/cpu.hypervisor=\\\\\\"Microsoft Hv\\\\\\"/' "$DATA/lava/job-2023.yaml" >"$T/hv.yaml"
expect_script 2 "cpu.hypervisor=Microsoft Hv" --out "$T/b/x" vm "$T/hv.yaml"
[ -e "$T/b/x" ] && fail "a refused capture left a baseline file"
head -20 "$DATA/lava/serial.log" >"$T/cut.log"
expect_script 2 "no SOTEST END" --out "$T/b/c" m "$T/cut.log"
expect_script 0 "become not-run" --allow-incomplete --out "$T/b/c" m "$T/cut.log"
: >"$T/empty.log"
expect_script 2 "empty" m "$T/empty.log"
echo "GRUB loading." >"$T/grub.log"
expect_script 2 "no SOTEST VERSION line" m "$T/grub.log"
expect_script 2 "no such file" m "$T/missing.log"
expect_script 2 "must be letters" 'rack 3/slot 4' "$DATA/lava/serial.log"
expect_script 2 "unknown option" --frobnicate m "$DATA/lava/serial.log"
CERTIFY=/nonexistent expect_script 2 "no certify binary" --certify /nonexistent m "$DATA/lava/serial.log"
finish
