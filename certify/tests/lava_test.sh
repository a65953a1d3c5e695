#!/bin/sh
# lava_test.sh: certify and LAVA (docs/bare-metal.md), one scenario per
# argument, registered with ctest as certify.lava.NAME:
#   import  LAVA job logs (old and new quoting, cut off, not LAVA) import
#           like the plain serial capture they hold
#   job     `certify lava-job` options and errors, and every boot method's
#           job checked against LAVA's own schema (lava-common; else 77)
# Needs $CERTIFY, $CERTIFY_TEST_DATA and $CERTIFY_TMP (set by ctest).
set -u
C="$CERTIFY"
DATA="$CERTIFY_TEST_DATA/lava"
. "$(dirname "$0")/harness.sh"

# results DB: what a run stored, in a form two imports can be compared by.
results() {
	sqlite3 "$1" "SELECT k.name, k.verdict, k.begin_count FROM run_kernels k;
		SELECT name, verdict, duration_ms, reference, reason, msg, detail FROM results ORDER BY run_kernel_id, seq;
		SELECT key, value FROM kernel_facts ORDER BY key;
		SELECT name, unit, value FROM benchmarks ORDER BY seq;"
}

test_import() {
	command -v sqlite3 >/dev/null || { echo "SKIP: sqlite3 not installed"; exit 77; }
	expect 0 "$C" import --db "$T/serial.db" --machine lab-x11 --provenance bare-metal "$DATA/serial.log"
	results "$T/serial.db" >"$T/serial.res"
	contains "$T/serial.res" 'expected "binary", got "bcd"'
	contains "$T/serial.res" 'Supermicro "X11" \ BIOS'
	# LAVA up to 2023.01 logged each quote of a device line as \" and
	# dropped CRs; later versions log the line as it came. Both import as
	# the capture itself, UTF-8 (\xB5 in the YAML) included.
	for log in job-2023 job-2024; do
		expect 0 "$C" import --db "$T/$log.db" --machine lab-x11 --provenance bare-metal "$DATA/$log.yaml"
		contains "$T/out" "2 pass, 1 fail, 2 skip"
		[ -s "$T/err" ] && fail "$log: warnings: $(cat "$T/err")"
		results "$T/$log.db" >"$T/$log.res"
		cmp -s "$T/serial.res" "$T/$log.res" || {
			fail "$log.yaml did not import like serial.log"
			diff "$T/serial.res" "$T/$log.res" | head -20 >&2
		}
	done
	# A log cut off mid-entry keeps what came before; the kernel is incomplete.
	expect 0 "$C" import --db "$T/cut.db" --machine lab-x11 --provenance bare-metal "$DATA/job-cut.yaml"
	contains "$T/err" "job-cut.yaml:53: the LAVA log is damaged or cut off here"
	[ "$(sqlite3 "$T/cut.db" 'SELECT verdict FROM run_kernels')" = incomplete ] || fail "cut log: not incomplete"
	[ "$(sqlite3 "$T/cut.db" "SELECT count(*) FROM results WHERE verdict != 'not-run'")" = 3 ] ||
		fail "cut log: wanted the 3 cases before the cut"
	# Several files, LAVA and plain, make one run as usual.
	expect 0 "$C" import --db "$T/mixed.db" --split --machine lab-x11 --provenance bare-metal \
		"$DATA/job-2024.yaml" "$DATA/serial.log"
	[ "$(sqlite3 "$T/mixed.db" 'SELECT count(*) FROM runs')" = 2 ] || fail "--split of a LAVA and a plain log"
	# Looks like LAVA, is not: refused, nothing stored.
	printf -- '- dt: [1, 2\n' >"$T/broken.yaml"
	expect 2 "$C" import --db "$T/broken.db" --machine m --provenance bare-metal "$T/broken.yaml"
	contains "$T/err" "broken.yaml:"
	contains "$T/err" "not a LAVA job log"
	printf -- '- {"dt": "2024-05-01T10:00:00", "lvl": "info", "msg": "only the dispatcher spoke"}\n' >"$T/quiet.yaml"
	expect 2 "$C" import --db "$T/quiet.db" --machine m --provenance bare-metal "$T/quiet.yaml"
	contains "$T/err" "no device output"
	contains "$T/err" "nothing was imported"
	# A serial log whose first line is a detail line is still a serial log.
	printf -- '- detail line\nSOTEST VERSION 1 BEGIN 0\nSOTEST END\n' >"$T/plain.log"
	expect 0 "$C" import --db "$T/plain.db" --machine m --provenance vmm "$T/plain.log"
}

# A kernels directory as the build lays it out: <name>.conf, ../images/<name>.iso.
make_kernels() {
	mkdir -p "$T/build/kernels" "$T/build/images"
	printf 'description = a\ntimeout_s = 20\ncpus = 2\nmemory_mib = 256\n' >"$T/build/kernels/alpha.conf"
	printf 'description = b\ntimeout_s = 700\n' >"$T/build/kernels/beta.conf"
	printf 'not really an ISO\n' >"$T/build/images/alpha.iso"
	printf 'not really the suite\n' >"$T/build/images/suite.iso"
}

test_job() {
	make_kernels
	K="$T/build/kernels"
	URL=http://images.lab.example/suite/alpha.iso
	expect 0 "$C" lava-job --help
	contains "$T/out" "usage: certify lava-job"
	expect 2 "$C" lava-job --image-url "$URL" --kernels "$K" alpha
	contains "$T/err" "--device-type TYPE is required"
	expect 2 "$C" lava-job --device-type x86 --kernels "$K" alpha
	contains "$T/err" "--image-url URL"
	expect 2 "$C" lava-job --device-type x86 --image-url /local/path.iso --kernels "$K" alpha
	expect 2 "$C" lava-job --device-type x86 --image-url "$URL" --kernels "$K"
	contains "$T/err" "give one KERNEL"
	expect 2 "$C" lava-job --device-type x86 --image-url "$URL" --kernels "$K" --boot pxe alpha
	contains "$T/err" "--boot must be"
	expect 2 "$C" lava-job --device-type x86 --image-url "$URL" --kernels "$K" --priority urgent alpha
	expect 2 "$C" lava-job --device-type x86 --image-url "$URL" --kernels "$K" --sha256 abc alpha
	expect 2 "$C" lava-job --device-type x86 --image-url "$URL" --kernels "$K" gamma
	contains "$T/err" "gamma.conf"
	expect 2 "$C" lava-job --device-type x86 --image-url "$URL" --kernels "$K" 'Bad Name'

	# The ISO's hash goes into the job so LAVA boots exactly what certify knows.
	expect 0 "$C" lava-job --device-type x86 --image-url "$URL" --kernels "$K" -o "$T/x86-ipxe.yaml" alpha
	sum=$(sha256sum "$T/build/images/alpha.iso" | cut -d' ' -f1)
	contains "$T/x86-ipxe.yaml" "sha256sum: $sum"
	contains "$T/x86-ipxe.yaml" "sanboot --no-describe http://{SERVER_IP}/tmp/{KERNEL}"
	contains "$T/x86-ipxe.yaml" "device_type: x86"
	contains "$T/x86-ipxe.yaml" "provenance bare-metal"
	# The test action allows the kernel's timeout_s and the boot around it.
	contains "$T/x86-ipxe.yaml" "minutes: 6"
	expect 0 "$C" lava-job --device-type qemu --image-url "$URL" --kernels "$K" -o "$T/qemu.yaml" alpha
	contains "$T/qemu.yaml" "image_arg: -cdrom {iso}"
	contains "$T/qemu.yaml" "memory: 256"
	contains "$T/qemu.yaml" "-smp 2"
	contains "$T/qemu.yaml" "provenance vmm"
	expect 0 "$C" lava-job --device-type x86 --boot grub --image-url "$URL" --kernels "$K" -o "$T/x86-grub.yaml" alpha
	contains "$T/x86-grub.yaml" "loopback loop (tftp,{SERVER_IP})/{KERNEL}"
	expect 0 "$C" lava-job --device-type up2 --boot grub-efi --image-url "$URL" --kernels "$K" \
		--tag serial-cable --tag 10 --priority 80 --visibility personal --job-name "nightly: alpha" \
		-o "$T/up2-grub-efi.yaml" alpha
	contains "$T/up2-grub-efi.yaml" '- "10"'
	contains "$T/up2-grub-efi.yaml" "priority: 80"
	expect 0 "$C" lava-job --device-type x86 --boot minimal --kernels "$K" -o "$T/x86-minimal.yaml" beta
	grep -q deploy "$T/x86-minimal.yaml" && fail "minimal boot: the job downloads something"
	# beta has no ISO here: a warning, and LAVA then cannot check the download.
	expect 0 "$C" lava-job --device-type x86 --image-url "$URL" --kernels "$K" -o "$T/no-sum.yaml" beta
	contains "$T/err" "will not verify the download"
	expect 0 "$C" lava-job --device-type x86 --image-url "$URL" --kernels "$K" --sha256 none -o "$T/none.yaml" alpha
	grep -q sha256sum "$T/none.yaml" && fail "--sha256 none still wrote a checksum"
	# suite.iso: allows for the slowest kernel (beta, 700 s).
	expect 0 "$C" lava-job --device-type x86 --image-url "$URL" --kernels "$K" -o "$T/suite.yaml" suite
	contains "$T/suite.yaml" "minutes: 17"

	py=/usr/bin/python3
	[ -x "$py" ] || py=python3
	if [ "$failures" = 0 ]; then
		"$py" "$CERTIFY_TEST_SOURCE/lava_validate.py" "$DATA/serial.log" "$T"/x86-*.yaml "$T/qemu.yaml" \
			"$T/up2-grub-efi.yaml" "$T/no-sum.yaml" "$T/none.yaml" "$T/suite.yaml"
		rc=$?
		[ "$rc" = 77 ] && exit 77
		[ "$rc" = 0 ] || fail "LAVA's schema or monitor check refused a job"
	fi
}

case "${1:-}" in
import) test_import ;;
job) test_job ;;
*)
	echo "usage: lava_test.sh import|job" >&2
	exit 2
	;;
esac
finish
