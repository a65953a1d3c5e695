#!/bin/sh
# e2e_test.sh: certify with the real hello-world kernel. `e2e_test.sh boot P`
# boots it under profile P; `e2e_test.sh workflow` runs, records a baseline,
# runs under another profile, diffs, compares and renders the matrix;
# `e2e_test.sh release` writes and verifies a certification package.
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
release)
	# A certification package of the real kernel: the baseline from one
	# qemu-tcg boot (provenance vmm: no hardware here), the release boots
	# the "whole suite" of a folder holding hello-world only, and verify
	# parses the real serial log again.
	run qemu-tcg || exit 1
	"$C" baseline record --machine tcg-reference --from latest || exit 1
	mkdir -p "$T/suite"
	for f in "$K"/hello-world.*; do ln -s "$f" "$T/suite/"; done
	"$C" release --profile qemu-tcg --baseline tcg-reference --kernels "$T/suite" -o "$T/tcg.tar.zst" \
		>"$T/out" 2>"$T/err"
	rc=$?
	cat "$T/out" "$T/err"
	[ $rc = 77 ] && exit 77
	[ $rc = 0 ] || { echo "FAIL: release exited $rc"; exit 1; }
	grep -q "tcg.tar.zst: CONFORMANT" "$T/out" || { echo "FAIL: release is not CONFORMANT"; exit 1; }
	"$C" verify "$T/tcg.tar.zst" >"$T/out" 2>&1 || { cat "$T/out"; echo "FAIL: verify rejects it"; exit 1; }
	cat "$T/out"
	grep -q "1 kernel log(s) parsed again" "$T/out" || { echo "FAIL: verify did not parse the log"; exit 1; }
	mkdir -p "$T/x"
	tar -xf "$T/tcg.tar.zst" -C "$T/x" || { echo "FAIL: tar cannot read the package"; exit 1; }
	d=$(find "$T/x" -mindepth 1 -maxdepth 1 -type d)
	grep -q "SOTEST END" "$d/logs/hello-world.log" || { echo "FAIL: no serial log in the package"; exit 1; }
	grep -q "recorded under a VMM, not on real hardware" "$d/STATEMENT.md" ||
		{ echo "FAIL: the statement hides that the baseline is no hardware"; exit 1; }
	(cd "$d" && sha256sum --quiet -c SHA256SUMS) || { echo "FAIL: sha256sum -c"; exit 1; }
	;;
*)
	echo "usage: e2e_test.sh boot PROFILE | workflow | release" >&2
	exit 2
	;;
esac
echo ok
