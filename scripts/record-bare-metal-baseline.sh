#!/bin/sh
# record-bare-metal-baseline.sh: from serial captures of the suite on one real
# machine to baselines/<machine>.baseline (baselines/README.md):
# certify import --provenance bare-metal, baseline record, baseline export.
#
#   scripts/record-bare-metal-baseline.sh [options] MACHINE LOG...
#
#   --db FILE           certify database (default: $CERTIFY_DB, else a
#                       temporary one: the baseline file is what is kept)
#   --certify PATH      the certify binary (default: $CERTIFY, else
#                       build/certify/certify, else certify in PATH)
#   --out FILE          where to write (default baselines/MACHINE.baseline)
#   --replace           re-record: replace the baseline of that name in the
#                       database and overwrite the file
#   --allow-incomplete  keep a log that stops before SOTEST END (its missing
#                       cases are recorded as not-run)
#
# LOG is a capture of COM1 (picocom, ipmitool sol, conserver, ...) or a LAVA
# job log. The script never records a run that saw a hypervisor.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
die() {
	echo "record-bare-metal-baseline: error: $*" >&2
	exit 2
}
usage() {
	sed -n '2,21s/^# \{0,1\}//p' "$0"
	exit "${1:-2}"
}

db=${CERTIFY_DB:-}
certify=${CERTIFY:-}
out=""
replace=""
allow_incomplete=""
while [ $# -gt 0 ]; do
	case $1 in
	--db) [ $# -ge 2 ] || die "--db needs a file"; db=$2; shift 2 ;;
	--certify) [ $# -ge 2 ] || die "--certify needs a path"; certify=$2; shift 2 ;;
	--out) [ $# -ge 2 ] || die "--out needs a file"; out=$2; shift 2 ;;
	--replace) replace=--replace; shift ;;
	--allow-incomplete) allow_incomplete=yes; shift ;;
	-h | --help) usage 0 ;;
	--) shift; break ;;
	-*) die "unknown option $1 (see --help)" ;;
	*) break ;;
	esac
done
[ $# -ge 2 ] || usage

machine=$1
shift
# The name goes into file names and the database: keep it plain.
case $machine in
'' | *[!A-Za-z0-9._-]* | [.-]*) die "machine name \"$machine\" must be letters, digits, '.', '_' or '-' (e.g. xeon-e5-2680v4)" ;;
esac

if [ -z "$certify" ]; then
	if [ -x "$here/build/certify/certify" ]; then
		certify=$here/build/certify/certify
	else
		certify=$(command -v certify || true)
	fi
fi
[ -n "$certify" ] && [ -x "$certify" ] ||
	die "no certify binary: build it (cmake -B build && cmake --build build) or give --certify PATH"

# Check the captures before anything is stored, and say what is wrong.
for log in "$@"; do
	[ -f "$log" ] || die "$log: no such file"
	[ -r "$log" ] || die "$log: not readable"
	[ -s "$log" ] || die "$log: empty (was the capture running while the machine booted?)"
	grep -aq 'SOTEST VERSION' "$log" ||
		die "$log: no SOTEST VERSION line: no suite kernel started (check the serial port, 115200 8N1, and that GRUB booted a kernel)"
	# A hypervisor signature means the capture is a VM's, not hardware's.
	hv=$(grep -a 'CERTIFY FACT cpu\.hypervisor=' "$log" | sed 's/.*CERTIFY FACT cpu\.hypervisor=//; s/\r$//; s/"}$//; s/^\\*"//; s/\\*"$//' |
		grep -v -e '^none$' -e '^$' | head -1 || true)
	[ -z "$hv" ] ||
		die "$log: captured under a hypervisor (cpu.hypervisor=$hv): a VMM run is never a bare-metal baseline; import it with certify import --provenance vmm"
	if ! grep -aq 'SOTEST END' "$log"; then
		[ -n "$allow_incomplete" ] ||
			die "$log: no SOTEST END: the kernel hung, crashed or the capture stopped early; on real hardware that is a bug in a case: fix it, or record anyway with --allow-incomplete"
		echo "record-bare-metal-baseline: warning: $log stops before SOTEST END; its missing cases become not-run" >&2
	fi
done

[ -n "$out" ] || out=$here/baselines/$machine.baseline
if [ -e "$out" ] && [ -z "$replace" ]; then
	die "$out exists: give --replace to re-record it (git diff then shows what changed)"
fi
mkdir -p "$(dirname "$out")" || die "cannot create $(dirname "$out")"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/baseline.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
[ -n "$db" ] || db=$tmp/certify.db

echo "== import ($machine, bare metal)"
"$certify" import --db "$db" --machine "$machine" --provenance bare-metal --label "bare-metal baseline capture" "$@" >"$tmp/import.out" ||
	die "certify import refused the logs (message above); nothing was recorded"
cat "$tmp/import.out"
run=$(head -1 "$tmp/import.out" | cut -d' ' -f1)
[ -n "$run" ] || die "certify import printed no run id"

echo "== record baseline $machine from run $run"
"$certify" baseline record --db "$db" --machine "$machine" --from "$run" $replace ||
	die "certify baseline record failed (message above); with an existing baseline of that name give --replace"

echo "== export to $out"
"$certify" baseline export --db "$db" "$machine" -o "$out.tmp" || { rm -f "$out.tmp"; die "certify baseline export failed"; }
mv "$out.tmp" "$out"
grep -q '^provenance bare-metal$' "$out" || die "$out does not say provenance bare-metal: not committing a mislabelled baseline"
echo "wrote $out; review it and commit: git add $out"
