#!/usr/bin/env bash
# What `certify run` costs on top of the VMM. Per kernel: the wall time of
# `certify run --profile P KERNEL` next to the very same VMM command line run
# bare (the argv certify recorded for the boot, from the run's manifest),
# medians of RUNS alternating runs; then all kernels in one `certify run -j 1`
# against the sum of the bare boots. Figures, not verdicts (goal: < 10%).
#
#   bench/certify-run-overhead.sh [BUILD_DIR] [PROFILE] [RUNS] [KERNEL...]
#
# Defaults: build, qemu-tcg, 5, every kernel in BUILD_DIR/kernels. A kernel
# that does not complete under the profile is left out (its bare boot would
# only end at the timeout). Needs sqlite3 (to read the recorded command line).
set -u
build=${1:-build}
profile=${2:-qemu-tcg}
runs=${3:-5}
shift $(($# < 3 ? $# : 3))
certify=$build/certify/certify
kernels=$build/kernels
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/bench.db

[ -x "$certify" ] || { echo "no $certify: build the certify target first" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "needs sqlite3 (Debian: sqlite3)" >&2; exit 2; }

now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "-" }'; }
percent() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f", (a - b) * 100 / b }'; }
sql() { sqlite3 "$db" "$1"; }

if [ $# -gt 0 ]; then
	names=("$@")
else
	names=()
	for conf in "$kernels"/*.conf; do
		[ -e "$conf" ] && names+=("$(basename "$conf" .conf)")
	done
fi
[ ${#names[@]} -gt 0 ] || { echo "no kernels in $kernels: build them first" >&2; exit 2; }

echo "certify run overhead: profile $profile, $runs runs each, medians ($certify)"
printf '%-20s %9s %11s %9s %8s\n' kernel "bare ms" "certify ms" "extra ms" "extra"
sum_bare=0
sum_certify=0
measured=()
for k in "${names[@]}"; do
	# The first boot records the command line (and warms the page cache).
	"$certify" run --db "$db" --profile "$profile" --kernels "$kernels" "$k" >/dev/null 2>"$tmp/err"
	status=$?
	if [ $status -eq 77 ]; then
		echo "profile $profile cannot run here: $(head -1 "$tmp/err")"
		exit 77
	fi
	last="SELECT %s FROM run_kernels WHERE name = '$k' ORDER BY id DESC LIMIT 1"
	# shellcheck disable=SC2059
	verdict=$(sql "$(printf "$last" verdict)")
	if [ "$verdict" != complete ]; then
		printf '%-20s %s\n' "$k" "left out: $verdict under $profile"
		continue
	fi
	# The recorded command is shell-quoted: this is exactly its argv.
	# shellcheck disable=SC2059
	eval "vmm=($(sql "$(printf "$last" command)"))"
	# shellcheck disable=SC2059
	limit=$(($(sql "$(printf "$last" duration_ms)") / 1000 * 4 + 30))
	bare=()
	cert=()
	for _ in $(seq "$runs"); do
		t0=$(now_ms)
		timeout -s KILL "$limit" "${vmm[@]}" </dev/null >"$tmp/bare.log" 2>/dev/null
		t1=$(now_ms)
		grep -q "SOTEST END" "$tmp/bare.log" && bare+=($((t1 - t0)))
		t0=$(now_ms)
		"$certify" run --db "$db" --profile "$profile" --kernels "$kernels" "$k" >/dev/null 2>&1
		t1=$(now_ms)
		[ "$(sql "$(printf "$last" verdict)")" = complete ] && cert+=($((t1 - t0)))
	done
	if [ ${#bare[@]} -eq 0 ] || [ ${#cert[@]} -eq 0 ]; then
		printf '%-20s %s\n' "$k" "left out: the bare VMM did not reach SOTEST END and exit"
		continue
	fi
	b=$(printf '%s\n' "${bare[@]}" | median)
	c=$(printf '%s\n' "${cert[@]}" | median)
	printf '%-20s %9d %11d %9d %7s%%\n' "$k" "$b" "$c" $((c - b)) "$(percent "$c" "$b")"
	sum_bare=$((sum_bare + b))
	sum_certify=$((sum_certify + c))
	measured+=("$k")
done
[ ${#measured[@]} -gt 0 ] || exit 0
printf '%-20s %9d %11d %9d %7s%%\n' "sum, one run each" "$sum_bare" "$sum_certify" \
	$((sum_certify - sum_bare)) "$(percent "$sum_certify" "$sum_bare")"

# The usual use: one certify run for all kernels, one at a time.
all=()
for _ in $(seq "$runs"); do
	t0=$(now_ms)
	"$certify" run --db "$db" --profile "$profile" --kernels "$kernels" -j 1 "${measured[@]}" >/dev/null 2>&1
	t1=$(now_ms)
	all+=($((t1 - t0)))
done
a=$(printf '%s\n' "${all[@]}" | median)
printf '%-20s %9d %11d %9d %7s%%\n' "all in one run -j 1" "$sum_bare" "$a" $((a - sum_bare)) \
	"$(percent "$a" "$sum_bare")"
