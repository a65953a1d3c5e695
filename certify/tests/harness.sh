# harness.sh: what the certify shell tests share (sourced, not run): a fresh
# scratch directory $T from $CERTIFY_TMP, and fail / expect / contains /
# finish.
T="$CERTIFY_TMP"
rm -rf "$T"
mkdir -p "$T"
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# expect STATUS CMD...: run CMD, check its exit status; output in $T/out, $T/err.
expect() {
	want=$1
	shift
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" != "$want" ]; then
		fail "exit $got, wanted $want: $*"
		sed 's/^/  stdout: /' "$T/out" | head -20 >&2
		sed 's/^/  stderr: /' "$T/err" | head -20 >&2
	fi
}

# contains FILE TEXT: FILE has TEXT.
contains() {
	grep -qF -- "$2" "$1" || { fail "$1 lacks \"$2\""; sed 's/^/  | /' "$1" | head -30 >&2; }
}

# finish: the test's exit status from the checks that failed.
finish() {
	if [ "$failures" != 0 ]; then
		echo "$failures check(s) failed" >&2
		exit 1
	fi
	echo "ok"
}
