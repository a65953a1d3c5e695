#!/bin/sh
# fuzz_ci.sh: the bounded libFuzzer run of ctest's certify.fuzz.parse: builds
# the fuzz target with clang when not given one, fuzzes the parser for a fixed
# time seeded with the test logs and the saved regressions, and keeps any
# input that crashed, leaked or timed out in certify/fuzz/regressions/ (where
# certify.fuzz_regressions replays it on every build, with or without clang).
#
#   fuzz_ci.sh CERTIFY_SOURCE_DIR WORK_DIR [FUZZER]
#
# Without FUZZER, certify is configured alone with clang and CERTIFY_FUZZ=ON
# in WORK_DIR/build (kept, so the next run only rebuilds what changed).
# Exit 77 (ctest: skipped) when clang or its libFuzzer is missing.
# Environment: CMAKE (default cmake), CERTIFY_FUZZ_CC (default clang),
# CERTIFY_FUZZ_SECONDS (default 60), CERTIFY_FUZZ_JOBS (build jobs, default 1:
# ctest runs other tests beside this one).
set -u
src=$(cd "$1" && pwd)
work=$2
fuzzer=${3:-}
seconds=${CERTIFY_FUZZ_SECONDS:-60}
cmake=${CMAKE:-cmake}
mkdir -p "$work"
work=$(cd "$work" && pwd)

if [ -z "$fuzzer" ]; then
	cc=${CERTIFY_FUZZ_CC:-clang}
	if ! command -v "$cc" >/dev/null 2>&1; then
		echo "skipped: no $cc to build the libFuzzer target (Debian: apt-get install clang)"
		exit 77
	fi
	# libFuzzer comes with clang's compiler-rt, which not every clang has.
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
		>"$work/probe.c"
	if ! "$cc" -fsanitize=fuzzer,address,undefined "$work/probe.c" -o "$work/probe" >"$work/probe.log" 2>&1; then
		echo "skipped: $cc cannot link -fsanitize=fuzzer,address,undefined (libFuzzer missing):"
		sed 's/^/  /' "$work/probe.log" | head -5
		exit 77
	fi
	if ! "$cmake" -S "$src" -B "$work/build" -DCMAKE_C_COMPILER="$cc" -DCERTIFY_FUZZ=ON \
		-DBUILD_TESTING=OFF >"$work/configure.log" 2>&1; then
		echo "FAIL: configuring certify with $cc and CERTIFY_FUZZ=ON:"
		tail -30 "$work/configure.log"
		exit 1
	fi
	t0=$(date +%s)
	if ! "$cmake" --build "$work/build" --target certify-fuzz-parse -j "${CERTIFY_FUZZ_JOBS:-1}" \
		>"$work/build.log" 2>&1; then
		echo "FAIL: building the fuzz target:"
		tail -40 "$work/build.log"
		exit 1
	fi
	echo "built $work/build/fuzz/certify-fuzz-parse in $(($(date +%s) - t0)) s"
	fuzzer=$work/build/fuzz/certify-fuzz-parse
fi

# The first directory collects what the fuzzer finds (kept between runs);
# the others only seed it.
corpus=$work/corpus
artifacts=$work/artifacts
regressions=$src/fuzz/regressions
rm -rf "$artifacts"
mkdir -p "$corpus" "$artifacts"
echo "fuzzing for $seconds s: $fuzzer"
# libFuzzer's own exit code for a finding is 77, which ctest would read as
# "skipped": ask for 1 instead.
"$fuzzer" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	-error_exitcode=1 -timeout_exitcode=1 -print_final_stats=1 \
	-artifact_prefix="$artifacts/" "$corpus" "$src/tests/data" "$regressions" >"$work/fuzz.log" 2>&1
status=$?

kept=0
for f in "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-*; do
	[ -f "$f" ] || continue
	cp "$f" "$regressions/"
	echo "kept $(basename "$f") in certify/fuzz/regressions/: add it to git; certify.fuzz_regressions replays it"
	kept=$((kept + 1))
done
if [ "$status" -ne 0 ] || [ "$kept" -ne 0 ]; then
	echo "FAIL: the fuzzer stopped with status $status, $kept input(s) kept; its output ($work/fuzz.log) ends:"
	tail -60 "$work/fuzz.log"
	exit 1
fi
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$work/fuzz.log"
echo "ok: no crash in $seconds s ($(ls "$corpus" | wc -l) inputs in the corpus)"
