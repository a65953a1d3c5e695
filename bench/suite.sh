#!/usr/bin/env bash
# suite.sh: the whole suite under every VMM profile that can run here, timed:
# wall time per profile (all kernels, as `certify run` schedules them), per
# kernel (booted alone), VMM start to SOTEST END per kernel and the time spent
# inside its cases (both from certify's stored results), then certify's own
# import, baseline, diff, compare and matrix on those runs. Figures, never
# verdicts: a profile whose kernels fail still gets its times.
#
#   bench/suite.sh -o FILE.md [-b BUILD_DIR] [-p PROFILE]... [-k KERNEL]... [-j N] [-r RUNS]
#
#   -o FILE    write the Markdown report there (kept as reports/bench.md)
#   -b DIR     build directory (default: build): DIR/certify/certify, DIR/kernels
#   -p NAME    only this profile (repeatable; default: every available one)
#   -k NAME    only this kernel (repeatable; default: every DIR/kernels/*.conf)
#   -j N       parallel boots of the whole-suite run (default: certify's: online CPUs)
#   -r RUNS    boot each kernel alone RUNS times and report the median (default 1)
set -u

out="" build=build jobs="" runs=1
profiles=() kernels=()
usage() {
	sed -n '2,17s/^# \{0,1\}//p' "$0" >&2
	exit 2
}
while getopts "o:b:p:k:j:r:h" opt; do
	case $opt in
	o) out=$OPTARG ;;
	b) build=$OPTARG ;;
	p) profiles+=("$OPTARG") ;;
	k) kernels+=("$OPTARG") ;;
	j) jobs=$OPTARG ;;
	r) runs=$OPTARG ;;
	*) usage ;;
	esac
done
[ -n "$out" ] || { echo "suite.sh: -o FILE is required" >&2; usage; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "suite.sh: -r wants a count" >&2; exit 2; }
C=$(readlink -f "$build/certify/certify" 2>/dev/null || true)
K=$(readlink -f "$build/kernels" 2>/dev/null || true)
[ -x "$C" ] || { echo "suite.sh: no $build/certify/certify: build first (cmake --build $build)" >&2; exit 2; }
ls "$K"/*.conf >/dev/null 2>&1 || { echo "suite.sh: no kernels in $build/kernels: build first" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "suite.sh: needs sqlite3 (Debian: sqlite3)" >&2; exit 2; }
if [ ${#kernels[@]} -eq 0 ]; then
	for f in "$K"/*.conf; do kernels+=("$(basename "$f" .conf)"); done
fi

W=$(mktemp -d "${TMPDIR:-/tmp}/suite-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
DB=$W/bench.db
export CERTIFY_TODAY=${CERTIFY_TODAY:-$(date -u +%F)}

now_ms() { echo $(($(date +%s%N) / 1000000)); }
secs() { awk -v ms="$1" 'BEGIN { printf "%.2f", ms / 1000 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : "") }'; }
sql() { sqlite3 -separator ' ' "$DB" "$1"; }
# The run certify just stored (the newest).
latest_run() { sql "SELECT uuid FROM runs ORDER BY started DESC, id DESC LIMIT 1"; }

# Which profiles, and why the others are left out.
declare -A why_not
available=()
while read -r name state rest; do
	[ -n "$name" ] || continue
	if [ ${#profiles[@]} -gt 0 ] && [[ ! " ${profiles[*]} " == *" $name "* ]]; then
		continue
	fi
	if [ "$state" = available ]; then
		available+=("$name")
	else
		why_not[$name]="$state: ${rest#*: }"
	fi
done < <("$C" profiles 2>&1)
for p in "${profiles[@]}"; do
	[[ " ${available[*]} ${!why_not[*]} " == *" $p "* ]] || why_not[$p]="no such profile"
done
[ ${#available[@]} -gt 0 ] || { echo "suite.sh: no profile can run here" >&2; "$C" profiles >&2; exit 1; }

suite_rows="" kernel_rows="" suite_runs=()
for p in "${available[@]}"; do
	echo "== $p: whole suite" >&2
	t0=$(now_ms)
	"$C" run --db "$DB" --profile "$p" --kernels "$K" ${jobs:+-j "$jobs"} "${kernels[@]}" >"$W/run.out" 2>&1
	status=$?
	t1=$(now_ms)
	if [ $status = 77 ]; then
		why_not[$p]="could not start here (exit 77)"
		continue
	fi
	run=$(latest_run)
	suite_runs+=("$run")
	vmm=$(sql "SELECT coalesce(vmm_version, '') FROM runs WHERE uuid = '$run'")
	read -r nk ncomplete < <(sql "SELECT count(*), sum(verdict = 'complete') FROM run_kernels k
		JOIN runs r ON r.id = k.run_id WHERE r.uuid = '$run'")
	suite_rows+="| $p | ${vmm:--} | $nk | $ncomplete | $(secs $((t1 - t0))) |"$'\n'

	for k in "${kernels[@]}"; do
		echo "== $p: $k alone (x$runs)" >&2
		walls=() ends=() owns=() incases=()
		for _ in $(seq "$runs"); do
			t0=$(now_ms)
			"$C" run --db "$DB" --profile "$p" --kernels "$K" "$k" >/dev/null 2>&1
			t1=$(now_ms)
			kr=$(latest_run)
			walls+=($((t1 - t0)))
			read -r verdict end_ms own_ms case_ms counts < <(sql "SELECT k.verdict, coalesce(k.duration_ms, 0),
				(SELECT coalesce(max(value), -1) FROM benchmarks WHERE run_kernel_id = k.id AND name = 'kernel_run'),
				(SELECT coalesce(sum(duration_ms), 0) FROM results WHERE run_kernel_id = k.id),
				(SELECT sum(verdict = 'pass') || '/' || sum(verdict = 'fail') || '/' || sum(verdict = 'skip')
				 || '/' || sum(verdict = 'not-run') FROM results WHERE run_kernel_id = k.id)
				FROM run_kernels k JOIN runs r ON r.id = k.run_id WHERE r.uuid = '$kr' AND k.name = '$k'")
			ends+=("${end_ms:-0}")
			owns+=("${own_ms:--1}")
			incases+=("${case_ms:-0}")
		done
		wall=$(printf '%s\n' "${walls[@]}" | median)
		end=$(printf '%s\n' "${ends[@]}" | median)
		inc=$(printf '%s\n' "${incases[@]}" | median)
		own=$(printf '%s\n' "${owns[@]}" | median)
		[ "${own:--1}" -ge 0 ] && own=$(secs "$own") || own="-"   # no END, no figure
		kernel_rows+="| $p | $k | ${verdict:-?} | $(secs "$wall") | $(secs "$end") | $own | $(secs "$inc") | ${counts:--} |"$'\n'
	done
done

# certify itself, on what the runs left: every serial log, the runs, baselines.
echo "== certify: import, baseline, diff, compare, matrix" >&2
tool_rows=""
timed() { # LABEL WHAT CMD...
	local label=$1 what=$2 t0 t1 status
	shift 2
	t0=$(now_ms)
	"$@" >"$W/tool.out" 2>&1
	status=$?
	t1=$(now_ms)
	if [ $status -le 1 ]; then
		tool_rows+="| $label | $what | $(secs $((t1 - t0))) |"$'\n'
	else
		echo "suite.sh: $label failed:" >&2
		cat "$W/tool.out" >&2
		tool_rows+="| $label | $what | failed (exit $status) |"$'\n'
	fi
}
# Logs of boots that never started a kernel (vmm-error, no-boot) hold no run.
mapfile -t logs < <(find "$DB.logs" -name '*.log' ! -name '*.vmm.log' -exec grep -l 'SOTEST VERSION' {} + 2>/dev/null | sort)
if [ ${#logs[@]} -gt 0 ]; then
	timed "import --split" "${#logs[@]} serial logs, one run each" \
		"$C" import --db "$W/import.db" --split --machine bench --provenance vmm --profile bench "${logs[@]}"
fi
# The reference for diff: the suite run with the most complete kernels.
first=""
[ ${#suite_runs[@]} -gt 0 ] && first=$(sql "SELECT r.uuid FROM runs r JOIN run_kernels k ON k.run_id = r.id
	WHERE r.uuid IN ($(printf "'%s'," "${suite_runs[@]}" | sed 's/,$//'))
	GROUP BY r.id ORDER BY sum(k.verdict = 'complete') DESC, r.id LIMIT 1")
if [ -n "$first" ]; then
	# A baseline from a VMM run, only to time the commands; never exported.
	timed "baseline record" "from the $(sql "SELECT profile FROM runs WHERE uuid = '$first'") suite run" \
		"$C" baseline record --db "$DB" --machine bench-reference --from "$first"
	for r in "${suite_runs[@]}"; do
		timed "diff" "$(sql "SELECT profile FROM runs WHERE uuid = '$r'") against it" \
			"$C" diff --db "$DB" --baseline bench-reference "$r" --format text -o "$W/diff.txt"
	done
	[ ${#suite_runs[@]} -ge 2 ] && timed "compare" "first two profiles' suite runs" \
		"$C" compare --db "$DB" "${suite_runs[0]}" "${suite_runs[1]}" -o "$W/compare.txt"
	nruns=$(sql "SELECT count(*) FROM runs")
	timed "matrix md" "$nruns runs, newest per profile" "$C" matrix --db "$DB" --format md -o "$W/matrix.md"
	timed "matrix html" "$nruns runs, every run" "$C" matrix --db "$DB" --format html --all-runs -o "$W/matrix.html"
fi

cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -1)
microcode=$(sed -n 's/^microcode[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -1)
# What "KVM" means here (e.g. kvm_pvm, nested): certify's run manifest knows.
kvm_modules=$(sql "SELECT value FROM run_facts WHERE key = 'host.kvm-modules' LIMIT 1" 2>/dev/null)
kvm="no usable /dev/kvm"
[ -r /dev/kvm ] && [ -w /dev/kvm ] && kvm="/dev/kvm usable${kvm_modules:+, modules $kvm_modules}"
commit=$(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null || echo "-")
{
	echo "# Suite benchmark"
	echo
	echo "Figures, not verdicts: written by \`bench/suite.sh\` on the machine below."
	echo "Times in seconds. \"alone\" boots one kernel per \`certify run\`; \"to END\" is"
	echo "certify's stored duration from starting the VMM until it had the kernel's"
	echo "\`SOTEST END\` (or gave up); \"own run\" is the kernel's own time from its"
	echo "first protocol line to \`SOTEST END\` (its \`kernel_run\` benchmark line: no"
	echo "firmware, no VMM start; the figure kept under 3 s); \"in cases\" adds the"
	echo "cases' own \`ms=\`."
	echo
	echo "| | |"
	echo "|---|---|"
	echo "| date | $(date -u '+%Y-%m-%d %H:%M UTC') |"
	echo "| machine | \`$(uname -a)\` |"
	echo "| CPU | ${cpu:-unknown}${microcode:+, microcode $microcode}, $(nproc) online |"
	echo "| KVM | $kvm |"
	echo "| suite | commit $commit, $("$C" --version) |"
	echo "| kernels | ${kernels[*]} |"
	[ "$runs" -gt 1 ] && echo "| per-kernel figures | median of $runs boots |"
	echo
	echo "## Whole suite per profile"
	echo
	echo "| profile | VMM | kernels | complete | wall |"
	echo "|---|---|---:|---:|---:|"
	printf '%s' "$suite_rows"
	for p in "${!why_not[@]}"; do echo "| $p | not run: ${why_not[$p]} | | | |"; done | sort
	echo
	echo "## Per kernel"
	echo
	echo "| profile | kernel | verdict | wall alone | to END | own run | in cases | pass/fail/skip/not-run |"
	echo "|---|---|---|---:|---:|---:|---:|---|"
	printf '%s' "$kernel_rows"
	echo
	echo "## certify"
	echo
	echo "| command | on | wall |"
	echo "|---|---|---:|"
	printf '%s' "$tool_rows"
} >"$out"
echo "wrote $out" >&2
