#!/bin/sh
# bench.sh: certify's throughput figures (printed, never asserted):
#   import of synthetic logs, RUNS runs x 50 cases (goal >= 200k case results/s)
#   matrix over 50 runs x 500 cases (goal < 1 s)
# usage: certify/bench/bench.sh [CERTIFY] [RUNS]   (default build/certify/certify, 10000)
set -eu
C=${1:-build/certify/certify}
RUNS=${2:-10000}
C=$(cd "$(dirname "$C")" && pwd)/$(basename "$C")
W=$(mktemp -d /tmp/certify-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc -l; }

# One log: a kernel with $2 cases (mostly pass, some fail/skip), as a kernel prints it.
gen_logs() { # dir count cases kernels-per-log
	awk -v dir="$1" -v count="$2" -v cases="$3" -v kernels="$4" 'BEGIN {
		for (r = 0; r < count; r++) {
			f = sprintf("%s/run%05d.log", dir, r)
			for (k = 0; k < kernels; k++) {
				printf "SOTEST VERSION 1 BEGIN %d\r\nCERTIFY PROTOCOL 1\r\nCERTIFY KERNEL kernel-%02d 0.1.0\r\n", cases, k > f
				printf "CERTIFY FACT cpu.vendor=GenuineIntel\r\nCERTIFY FACT cpu.family=6\r\n" > f
				for (c = 0; c < cases; c++) {
					printf "test case: case_%03d_checks_something\r\n", c > f
					v = (c * 7 + r + k) % 23
					if (v == 0) {
						printf "- ASSERT_EQ failed at kernels/x/main.c:%d\r\n-   expected: 1\r\n-   got: 0\r\n", c > f
						printf "SOTEST FAIL \"case_%03d_checks_something\"\r\n", c > f
						printf "CERTIFY RESULT case_%03d_checks_something fail ms=%d ref=\"SDM Vol. 3A 10.%d\" reason=assert msg=\"expected 1, got 0\"\r\n", c, c % 50, c % 12 > f
					} else if (v == 1) {
						printf "- skipping as condition is NOT met: `x2apic_supported()`\r\nSOTEST SKIP\r\n" > f
						printf "CERTIFY RESULT case_%03d_checks_something skip reason=cond\r\n", c > f
					} else {
						printf "SOTEST SUCCESS \"case_%03d_checks_something\"\r\n", c > f
						printf "CERTIFY RESULT case_%03d_checks_something pass ms=%d ref=\"SDM Vol. 3A 10.%d\"\r\n", c, c % 50, c % 12 > f
					}
				}
				printf "SOTEST BENCHMARK:ticks:ns:%d\r\nSOTEST END\r\n", r * 3 + k > f
			}
			close(f)
		}
	}'
}

echo "certify benchmarks ($C)"
mkdir -p "$W/import"
gen_logs "$W/import" "$RUNS" 50 1
t0=$(now)
"$C" import --db "$W/import.db" --split --machine bench --provenance vmm --profile synthetic "$W"/import/*.log >/dev/null
t1=$(now)
secs=$(elapsed "$t0" "$t1")
results=$((RUNS * 50))
printf 'import: %d runs x 50 cases = %d case results in %.2f s: %.0f results/s (goal >= 200000)\n' \
	"$RUNS" "$results" "$secs" "$(echo "$results / $secs" | bc -l)"

mkdir -p "$W/matrix"
gen_logs "$W/matrix" 50 50 10
"$C" import --db "$W/matrix.db" --machine bench-metal --provenance bare-metal "$W/matrix/run00000.log" >/dev/null
"$C" baseline record --db "$W/matrix.db" --machine bench-metal --from latest >/dev/null
for f in "$W"/matrix/*.log; do
	"$C" import --db "$W/matrix.db" --machine vm --provenance vmm --profile "p-$(basename "$f" .log)" "$f" >/dev/null
done
t0=$(now)
"$C" matrix --db "$W/matrix.db" --format html -o "$W/matrix.html"
t1=$(now)
printf 'matrix: 50 runs x 500 cases (+ baseline) as HTML in %.3f s (goal < 1 s), %d bytes\n' \
	"$(elapsed "$t0" "$t1")" "$(wc -c <"$W/matrix.html")"
t0=$(now)
"$C" diff --db "$W/matrix.db" --baseline bench-metal latest --format json >/dev/null || true
t1=$(now)
printf 'diff: 500 cases against the baseline as JSON in %.3f s\n' "$(elapsed "$t0" "$t1")"
