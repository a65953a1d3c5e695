#!/bin/sh
# e2e_test.sh: certify with the real hello-world kernel. `e2e_test.sh boot P`
# boots it under profile P; `e2e_test.sh workflow` runs, records a baseline,
# runs under another profile, diffs, compares and renders the matrix.
# Exit 77 (ctest SKIP) when the kernel is not built or P cannot run here.
set -u
C="$CERTIFY"
K="$CERTIFY_KERNELS_DIR"
T="$CERTIFY_TMP"
rm -rf "$T"
mkdir -p "$T"
export CERTIFY_DB="$T/certify.db"
if [ ! -f "$K/hello-world.conf" ]; then
	echo "SKIP: $K/hello-world.conf is not built yet"
	exit 77
fi

run() {
	"$C" run --profile "$1" --kernels "$K" --label e2e hello-world >"$T/out" 2>"$T/err"
	rc=$?
	cat "$T/out" "$T/err"
	return $rc
}

case "$1" in
boot)
	run "$2"
	rc=$?
	[ $rc = 77 ] && exit 77
	# The VMM failing on this host (e.g. QEMU 7.2 aborting with
	# kernel-irqchip=off on nested kvm_pvm) is a finding about the VMM,
	# stored as vmm-error, not a failure of certify: reported as a skip.
	if grep -q "hello-world *vmm-error" "$T/out"; then
		echo "SKIP: the VMM itself failed under $2 on this host"
		exit 77
	fi
	[ $rc = 0 ] || { echo "FAIL: run under $2 exited $rc"; exit 1; }
	grep -q "hello-world *complete" "$T/out" || { echo "FAIL: hello-world did not complete"; exit 1; }
	;;
workflow)
	run qemu-tcg || exit 1
	first=$("$C" runs | head -1 | cut -d' ' -f1)
	"$C" baseline record --machine tcg-reference --from "$first" || exit 1
	other=qemu-tcg-pc
	"$C" profiles | grep -q "^qemu-kvm  *available" && other=qemu-kvm
	run $other || exit 1
	"$C" diff --baseline tcg-reference latest; rc=$?
	[ $rc = 0 ] || [ $rc = 1 ] || { echo "FAIL: diff exited $rc"; exit 1; }
	"$C" compare "$first" latest --format tap; rc=$?
	[ $rc = 0 ] || [ $rc = 1 ] || { echo "FAIL: compare exited $rc"; exit 1; }
	"$C" matrix --format html -o "$T/matrix.html" || exit 1
	grep -q "tcg-reference" "$T/matrix.html" || { echo "FAIL: no baseline column"; exit 1; }
	grep -q "boots_into_long_mode" "$T/matrix.html" || { echo "FAIL: no case rows"; exit 1; }
	"$C" report latest --format junit >"$T/report.xml" || exit 1
	;;
*)
	echo "usage: e2e_test.sh boot PROFILE | workflow" >&2
	exit 2
	;;
esac
echo ok
