#!/bin/sh
# cli_test.sh: end-to-end tests of the certify binary, one scenario per
# argument (registered with ctest as certify.cli.NAME). Needs $CERTIFY,
# $CERTIFY_TEST_DATA, $CERTIFY_TEST_PROFILES and $CERTIFY_TMP (set by ctest).
set -u
C="$CERTIFY"
DATA="$CERTIFY_TEST_DATA"
KERNELS="$DATA/kernels"
export CERTIFY_PROFILES="$CERTIFY_TEST_PROFILES"
export CERTIFY_TODAY=2024-05-01
. "$(dirname "$0")/harness.sh"
export CERTIFY_DB="$T/certify.db"

sql() {
	sqlite3 "$CERTIFY_DB" "$1"
}

db_consistent() {
	[ "$(sql 'PRAGMA integrity_check')" = ok ] || fail "integrity_check failed"
	[ -z "$(sql 'PRAGMA foreign_key_check')" ] || fail "foreign_key_check found orphans"
}

test_errors() {
	expect 2 "$C"
	expect 0 "$C" --help
	contains "$T/out" "baseline"
	contains "$T/out" "matrix"
	expect 2 "$C" frobnicate
	contains "$T/err" 'unknown command "frobnicate"'
	for cmd in run import runs report baseline diff compare waive waivers cmdline matrix merge profiles \
		release verify keygen must-pass; do
		expect 0 "$C" $cmd --help
		contains "$T/out" "usage: certify $cmd"
	done
	expect 2 "$C" report latest
	contains "$T/err" "no database at"
	expect 2 "$C" import --provenance bare-metal "$DATA/baseline-run.log"
	contains "$T/err" "--machine NAME is required"
	expect 2 "$C" import --machine m --provenance cloud "$DATA/baseline-run.log"
	expect 2 "$C" import --machine m --provenance vmm "$T/missing.log"
	contains "$T/err" "cannot read"
	head -c 20000 /dev/urandom >"$T/random.bin"
	expect 2 "$C" import --machine m --provenance vmm "$DATA/baseline-run.log" "$T/random.bin"
	contains "$T/err" "nothing was imported"
	[ "$(sql 'SELECT count(*) FROM runs')" = 0 ] || fail "a failed import stored a run"
	expect 0 "$C" import --machine m --provenance vmm "$DATA/baseline-run.log"
	expect 2 "$C" report latest --format yaml
	contains "$T/err" "unknown format"
	expect 2 "$C" report nosuchrun
	expect 2 "$C" report 'x;y'
	expect 2 "$C" diff latest
	contains "$T/err" "--baseline NAME is required"
	expect 2 "$C" diff --baseline nobody latest
	contains "$T/err" "no baseline nobody"
	expect 2 "$C" waive --profile qemu-kvm some_case --reason r --expires 2024-13-01
	contains "$T/err" "YYYY-MM-DD"
	expect 2 "$C" waive --profile qemu-kvm 'bad case' --reason r
	expect 2 "$C" waive --profile qemu-kvm some_case
	expect 2 "$C" compare latest
	expect 2 "$C" baseline
	expect 2 "$C" baseline record --machine m
	printf 'format 1\nname x\nprovenance vmm\nmachine m\ncase a b c\n' >"$T/bad.baseline"
	expect 2 "$C" baseline import "$T/bad.baseline"
	contains "$T/err" "bad.baseline:5"
	expect 2 "$C" run
	expect 2 "$C" run --profile nosuch --kernels "$KERNELS" good
	contains "$T/err" "no profile nosuch"
	expect 2 "$C" run --profiles "$DATA/../profiles-broken" --profile broken --kernels "$KERNELS" good
	contains "$T/err" "unknown placeholder {kernal}"
	expect 2 "$C" run --profile fake --kernels "$KERNELS" badconf
	contains "$T/err" "badconf.conf:2: unknown key"
	expect 2 "$C" run --profile fake --kernels "$KERNELS" nosuchkernel
	expect 2 "$C" run --profile fake --kernels "$KERNELS" -j 0 good
	expect 2 "$C" run --profile fake --kernels "$T/nokernels"
	expect 2 "$C" runs --db "$T/no/such/dir/x.db"
	printf 'not a database at all, but long enough to have a header of a sort.' >"$T/junk.db"
	expect 2 "$C" runs --db "$T/junk.db"
	[ "$(sql 'SELECT count(*) FROM runs')" = 1 ] || fail "error paths changed the database"
	db_consistent
}

test_workflow() {
	# Before any baseline exists, a VMM column is summarised against the
	# manual that every case asserts.
	expect 0 "$C" import --machine vm0 --provenance vmm --profile qemu-kvm --vmm-version "QEMU 7.1" \
		--db "$T/nobase.db" "$DATA/vmm-run.log"
	expect 0 "$C" matrix -o "$T/nobase.md" --db "$T/nobase.db"
	contains "$T/nobase.md" "No bare-metal baseline recorded yet"
	contains "$T/nobase.md" "fail (deviate from the manual)"
	expect 0 "$C" import --machine lab-xeon --provenance bare-metal --label "rack 3" "$DATA/baseline-run.log"
	bare=$(cut -d' ' -f1 "$T/out")
	[ "$(sql "SELECT DISTINCT log_sha256 FROM run_kernels rk JOIN runs r ON r.id = rk.run_id WHERE r.uuid = '$bare'")" = \
		"$(sha256sum "$DATA/baseline-run.log" | cut -c1-64)" ] || fail "import did not store the log's SHA-256"
	expect 0 "$C" baseline record --machine lab-xeon --from "$bare"
	contains "$T/out" "12 cases"
	expect 0 "$C" baseline list
	contains "$T/out" "lab-xeon"
	expect 0 "$C" baseline show lab-xeon
	contains "$T/out" "microcode 0xb000040"
	expect 0 "$C" baseline export lab-xeon -o "$T/lab-xeon.baseline"
	contains "$T/lab-xeon.baseline" "provenance bare-metal"
	contains "$T/lab-xeon.baseline" "case hello-world waits_for_irq pass"
	expect 0 "$C" import --machine vm1 --provenance vmm --profile qemu-kvm --vmm-version "QEMU 7.2" "$DATA/vmm-run.log"
	run_a=$(cut -d' ' -f1 "$T/out")
	expect 0 "$C" import --machine vm1 --provenance vmm --profile qemu-kvm --vmm-version "QEMU 8.0" "$DATA/vmm-run-b.log"
	run_b=$(cut -d' ' -f1 "$T/out")
	expect 0 "$C" runs
	contains "$T/out" "$run_a"
	[ "$(head -1 "$T/out" | cut -d' ' -f1)" = "$run_b" ] || fail "runs does not list the newest first"
	expect 1 "$C" diff --baseline lab-xeon "$run_a"
	contains "$T/out" "deviation"
	contains "$T/out" "missing feature"
	contains "$T/out" "does not conform"
	expect 0 "$C" waive --profile qemu-kvm 'lapic_*' --reason "nested timer" --ticket https://t/1 --expires 2030-01-01
	expect 0 "$C" waive --profile qemu-kvm pit_irq0 --reason "old bug"
	expect 0 "$C" waive --profile qemu-kvm hpet_periodic --reason "expired one" --expires 2024-01-01
	expect 0 "$C" waivers
	contains "$T/out" "EXPIRED"
	expect 1 "$C" diff --baseline lab-xeon "$run_a"
	contains "$T/out" "waived"
	contains "$T/out" "waiver no longer needed"
	contains "$T/out" "waiver expired"
	expect 0 "$C" cmdline --profile qemu-kvm
	contains "$T/out" "--disable-testcases=lapic_timer_fires,pit_irq0"
	for f in text md html json junit tap; do
		expect 1 "$C" diff --baseline lab-xeon "$run_a" --format $f -o "$T/diff.$f"
		expect 0 "$C" report "$run_a" --format $f -o "$T/report.$f"
		[ -s "$T/report.$f" ] || fail "empty $f report"
	done
	if command -v xmllint >/dev/null; then
		xmllint --noout --schema "$DATA/junit.xsd" "$T/diff.junit" "$T/report.junit" 2>"$T/err" || fail "JUnit invalid"
		xmllint --noout "$T/diff.html" || fail "HTML not well-formed"
	fi
	[ "$(sqlite3 :memory: "SELECT json_valid(readfile('$T/diff.json'))" 2>/dev/null || echo 1)" = 1 ] || fail "JSON invalid"
	expect 1 "$C" compare "$run_a" "$run_b"
	contains "$T/out" "regressed"
	contains "$T/out" "fixed"
	expect 0 "$C" compare "$run_b" "$run_b"
	expect 0 "$C" matrix --format html -o "$T/matrix.html"
	expect 0 "$C" matrix -o "$T/matrix.md"
	contains "$T/matrix.md" "| case | lab-xeon | qemu-kvm | qemu-kvm |"
	contains "$T/matrix.md" "conformant ("
	contains "$T/matrix.html" 'title="timeout: no IRQ on vector 0x40 within 20 ms"'
	contains "$T/matrix.html" "QEMU 8.0"
	if grep -qiE '<script|src=|href=' "$T/matrix.html"; then fail "the matrix page loads something"; fi
	if command -v xmllint >/dev/null; then
		xmllint --noout "$T/matrix.html" || fail "matrix HTML not well-formed"
	fi
	expect 0 "$C" matrix --all-runs --baseline lab-xeon
	expect 2 "$C" matrix --format pdf
	# the exported baseline re-imports into a fresh database, same content
	expect 0 "$C" baseline import "$T/lab-xeon.baseline" --db "$T/other.db"
	expect 0 "$C" baseline export lab-xeon --db "$T/other.db" -o "$T/again.baseline"
	cmp -s "$T/lab-xeon.baseline" "$T/again.baseline" || fail "baseline export is not stable across import"
	expect 0 "$C" baseline import "$T/lab-xeon.baseline"
	contains "$T/out" "already in"
	# a baseline of a different machine identity under the same name is refused
	expect 2 "$C" import --machine lab-xeon --provenance bare-metal "$DATA/protocol-example.log"
	contains "$T/err" "already recorded as"
	db_consistent
}

test_verdicts() {
	start=$(date +%s)
	expect 1 "$C" run --profile fake --kernels "$KERNELS" -j 4 --label verdicts \
		good hang crash vmmerr noboot badexit panic reboot vmmabort
	took=$(( $(date +%s) - start ))
	[ "$took" -lt 15 ] || fail "run took ${took}s: a VMM was not stopped at SOTEST END or on its error"
	id=$(sql "SELECT uuid FROM runs")
	for pair in good:complete hang:hang crash:crash vmmerr:vmm-error noboot:no-boot badexit:no-boot \
		panic:crash reboot:crash vmmabort:vmm-error; do
		k=${pair%%:*}
		v=${pair#*:}
		got=$(sql "SELECT verdict FROM run_kernels WHERE name = '$k'")
		[ "$got" = "$v" ] || fail "kernel $k: verdict $got, wanted $v"
	done
	[ "$(sql "SELECT verdict || ':' || reason FROM results WHERE name = 'beta' AND run_kernel_id = (SELECT id FROM run_kernels WHERE name = 'hang')")" = fail:hang ] ||
		fail "the case a kernel hung in is not failed with reason hang"
	contains "$T/out" "vmm-error"
	[ -s "$CERTIFY_DB.logs/$id/good.log" ] || fail "no serial log for good"
	contains "$CERTIFY_DB.logs/$id/vmmerr.vmm.log" "KVM internal error"
	contains "$CERTIFY_DB.logs/$id/good.log" "SOTEST END"
	[ "$(sql "SELECT log_sha256 FROM run_kernels WHERE name = 'good'")" = \
		"$(sha256sum "$CERTIFY_DB.logs/$id/good.log" | cut -c1-64)" ] || fail "the serial log's SHA-256 was not stored"
	expect 0 "$C" report latest
	contains "$T/out" "kernel vmmerr 0.1.0: vmm-error"
	contains "$T/out" "KVM internal error"
	contains "$T/out" "could not load kernel"
	[ "$(sql "SELECT value FROM kernel_facts WHERE key = 'cmdline' AND run_kernel_id = (SELECT id FROM run_kernels WHERE name = 'good')")" = "--serial" ] ||
		fail "the kernel's .conf cmdline was not passed"
	[ "$(sql "SELECT length(sha256) FROM kernels WHERE name = 'good'")" = 64 ] || fail "no image SHA-256"
	[ "$(sql "SELECT count(*) FROM run_facts WHERE key IN ('host.os', 'host.cpu')")" = 2 ] || fail "host facts missing"
	sql "SELECT vmm_version FROM runs" | grep -q "Fake VMM version 1.0" || fail "VMM version not recorded"
	sql "SELECT command FROM run_kernels WHERE name = 'good'" | grep -q "good.elf32 --serial" || fail "command line not recorded"
	expect 0 "$C" run --profile fake --kernels "$KERNELS" --append "--debugcon" good
	[ "$(sql "SELECT value FROM kernel_facts WHERE key = 'cmdline' ORDER BY rowid DESC LIMIT 1")" = "--serial --debugcon" ] ||
		fail "--append was not added to the command line"
	db_consistent
}

test_file_serial() {
	expect 0 "$C" run --profile fake-file --kernels "$KERNELS" good
	id=$(sql "SELECT uuid FROM runs")
	contains "$CERTIFY_DB.logs/$id/good.work/fake.cfg" "generated for good"
	[ "$(sql "SELECT verdict FROM run_kernels")" = complete ] || fail "file-mode serial not read"
	expect 1 "$C" run --profile fake-file --kernels "$KERNELS" hang
}

test_rerun() {
	expect 1 "$C" run --profile fake --kernels "$KERNELS" --rerun 2 flaky
	contains "$T/err" "flaky: flaky/wobbly failed, then passed on rerun 1"
	[ "$(sql "SELECT verdict, flaky, attempts FROM results WHERE name = 'wobbly'")" = "fail|1|2" ] ||
		fail "wobbly not stored as flaky after one rerun"
	expect 0 "$C" report latest --format tap
	contains "$T/out" "not ok 2 - flaky/wobbly (flaky)"
}

test_known_cases() {
	expect 0 "$C" run --profile fake --kernels "$KERNELS" --append "--enable-testcases=alpha,beta,gamma" hangknown
	expect 1 "$C" run --profile fake --kernels "$KERNELS" hangknown
	expect 0 "$C" report latest
	contains "$T/out" "not run                  beta"
	contains "$T/out" "not run                  gamma"
}

test_sigkill() {
	expect 0 "$C" run --profile fake --kernels "$KERNELS" good
	"$C" run --profile fake --kernels "$KERNELS" slow good >"$T/killed.out" 2>&1 &
	pid=$!
	i=0
	while [ $i -lt 100 ] && ! ls "$CERTIFY_DB".logs/*/slow.log >/dev/null 2>&1; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.3
	kill -9 $pid
	wait $pid 2>/dev/null
	sleep 0.3
	if pgrep -f "$KERNELS/slow.elf32" >/dev/null; then
		fail "the VMM outlived a SIGKILLed certify"
	fi
	[ "$(sql 'SELECT count(*) FROM runs')" = 1 ] || fail "a killed run left something in the database"
	db_consistent
	# Kill imports of many runs at random moments: every stored run is whole.
	mkdir -p "$T/logs"
	n=0
	while [ $n -lt 200 ]; do
		cp "$DATA/baseline-run.log" "$T/logs/log$n.log"
		n=$((n + 1))
	done
	for delay in 0.05 0.1 0.2 0.3; do
		"$C" import --split --machine lab --provenance bare-metal "$T"/logs/*.log >/dev/null 2>&1 &
		pid=$!
		sleep $delay
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		db_consistent
		bad=$(sql "SELECT count(*) FROM runs r WHERE r.profile IS NULL AND
			(SELECT count(*) FROM results x JOIN run_kernels rk ON rk.id = x.run_kernel_id WHERE rk.run_id = r.id) != 12")
		[ "$bad" = 0 ] || fail "$bad half-stored run(s) after SIGKILL"
	done
}

test_unavailable() {
	expect 77 "$C" run --profile fake-missing --kernels "$KERNELS" good
	contains "$T/err" "cannot run on this host"
	expect 0 "$C" profiles
	contains "$T/out" "fake-missing"
	contains "$T/out" "unavailable"
	contains "$T/out" "qemu-tcg"
}

test_merge() {
	A="$T/a.db"
	B="$T/b.db"
	expect 0 "$C" import --db "$A" --machine lab-xeon --provenance bare-metal "$DATA/baseline-run.log"
	expect 0 "$C" baseline record --db "$A" --machine lab-xeon --from latest
	expect 0 "$C" waive --db "$A" --profile qemu-kvm 'lapic_*' --reason "known"
	expect 0 "$C" import --db "$B" --machine vm1 --provenance vmm --profile qemu-kvm "$DATA/vmm-run.log"
	expect 0 "$C" merge --db "$B" "$A"
	contains "$T/out" "1 run(s) added, 0 already here, 1 baseline(s), 1 waiver(s)"
	expect 0 "$C" merge --db "$B" "$A"
	contains "$T/out" "0 run(s) added, 1 already here, 0 baseline(s), 0 waiver(s)"
	expect 0 "$C" merge --db "$A" "$B"
	contains "$T/out" "1 run(s) added, 1 already here"
	[ "$(sqlite3 "$A" 'SELECT count(*) FROM runs')" = 2 ] || fail "merge duplicated runs"
	[ "$(sqlite3 "$A" 'SELECT count(*) FROM results')" = "$(sqlite3 "$B" 'SELECT count(*) FROM results')" ] ||
		fail "merged databases differ in results"
	expect 1 "$C" diff --db "$B" --baseline lab-xeon latest
	contains "$T/out" "waived"
	# same baseline name, another recording: kept apart with a warning
	expect 0 "$C" import --db "$T/c.db" --machine lab-xeon --provenance bare-metal "$DATA/baseline-run.log"
	expect 0 "$C" baseline record --db "$T/c.db" --machine lab-xeon --from latest
	expect 0 "$C" merge --db "$B" "$T/c.db"
	contains "$T/err" "baseline lab-xeon differs"
	expect 2 "$C" merge --db "$B" "$B"
	expect 2 "$C" merge --db "$B" "$T/none.db"
	CERTIFY_DB="$B" db_consistent
}

# merge brings the runs' log folders along, from a database that was moved
# (as when it comes from another lab), and never leaves a partial copy.
test_merge_logs() {
	mkdir -p "$T/lab1" "$T/inbox"
	A="$T/lab1/a.db"
	B="$T/b.db"
	expect 0 "$C" run --db "$A" --profile fake-file --kernels "$KERNELS" good
	expect 0 "$C" run --db "$A" --profile fake --kernels "$KERNELS" good
	first=$(sqlite3 "$A" "SELECT uuid FROM runs ORDER BY started LIMIT 1")
	second=$(sqlite3 "$A" "SELECT uuid FROM runs ORDER BY started DESC LIMIT 1")
	[ -s "$A.logs/$first/good.log" ] || fail "the run left no log to merge"
	mv "$A" "$A.logs" "$T/inbox/"
	O="$T/inbox/a.db"
	here=$(cd "$T" && pwd)

	expect 0 "$C" merge --db "$B" "$O"
	contains "$T/out" "2 run(s) added, 0 already here, 0 baseline(s), 0 waiver(s), 2 log folder(s)"
	for id in "$first" "$second"; do
		cmp -s "$O.logs/$id/good.log" "$B.logs/$id/good.log" || fail "the serial log of $id was not copied"
		cmp -s "$O.logs/$id/good.vmm.log" "$B.logs/$id/good.vmm.log" || fail "the VMM log of $id was not copied"
		[ "$(sqlite3 "$B" "SELECT rk.log_path FROM run_kernels rk JOIN runs r ON r.id = rk.run_id WHERE r.uuid = '$id'")" = \
			"$here/b.db.logs/$id/good.log" ] || fail "run $id does not name its copied log"
	done
	contains "$B.logs/$first/good.work/fake.cfg" "generated for good"
	for id in "$first" "$second"; do
		[ "$(sqlite3 "$B" "SELECT rk.log_sha256 FROM run_kernels rk JOIN runs r ON r.id = rk.run_id WHERE r.uuid = '$id'")" = \
			"$(sha256sum "$B.logs/$id/good.log" | cut -c1-64)" ] || fail "merge lost the SHA-256 of run $id's serial log"
	done

	expect 0 "$C" merge --db "$B" "$O"
	contains "$T/out" "0 run(s) added, 2 already here, 0 baseline(s), 0 waiver(s), 0 log folder(s)"
	# A run folder lost here (or never copied) comes back, and the run names it.
	rm -rf "$B.logs/$second"
	sqlite3 "$B" "UPDATE run_kernels SET log_path = '/elsewhere/a.db.logs/$second/good.log'
		WHERE run_id = (SELECT id FROM runs WHERE uuid = '$second')"
	expect 0 "$C" merge --db "$B" "$O"
	contains "$T/out" "0 run(s) added, 2 already here, 0 baseline(s), 0 waiver(s), 1 log folder(s)"
	[ -s "$B.logs/$second/good.log" ] || fail "a lost run folder was not brought back"
	[ "$(sqlite3 "$B" "SELECT count(*) FROM run_kernels WHERE log_path LIKE '$here/b.db.logs/%/good.log'")" = 2 ] ||
		fail "the run brought back does not name its log"

	# The second run's folder cannot be made: nothing is merged, and the
	# folder the first run got is removed again.
	D="$T/d.db"
	mkdir -p "$D.logs"
	: >"$D.logs/$second"
	expect 2 "$C" merge --db "$D" "$O"
	contains "$T/err" "d.db.logs/$second/"
	contains "$T/err" "nothing was merged"
	[ "$(sqlite3 "$D" 'SELECT count(*) FROM runs')" = 0 ] || fail "a failed merge stored runs"
	[ ! -e "$D.logs/$first" ] || fail "a failed merge left a log folder behind"
	[ -f "$D.logs/$second" ] || fail "a failed merge removed what it had not made"

	rm -rf "$T/inbox"
	expect 0 "$C" report --db "$B" "$first"
	CERTIFY_DB="$B" db_consistent
}

# The VMM's version is asked once per binary file, and again when the file
# changes; a script (it may start any VMM) is asked every time.
test_version_cache() {
	mkdir -p "$T/vmm" "$T/profiles"
	fake=$(sed -n 's/^binary = //p' "$CERTIFY_TEST_PROFILES/fake.profile")
	cp "$fake" "$T/vmm/fake-vmm"
	printf '#!/bin/sh\nexec "%s" "$@"\n' "$T/vmm/fake-vmm" >"$T/vmm/wrapper"
	chmod +x "$T/vmm/wrapper"
	for p in copy wrapper; do
		bin=$T/vmm/fake-vmm
		[ $p = wrapper ] && bin=$T/vmm/wrapper
		sed "s|^binary = .*|binary = $bin|" "$CERTIFY_TEST_PROFILES/fake.profile" >"$T/profiles/$p.profile"
	done
	export FAKE_VMM_VERSION_LOG="$T/asked"
	run() {
		expect 0 "$C" run --profiles "$T/profiles" --profile "$1" --kernels "$KERNELS" good
		[ "$(sql "SELECT vmm_version FROM runs ORDER BY id DESC LIMIT 1")" = "Fake VMM version 1.0 (certify tests)" ] ||
			fail "run under $1 did not record the VMM version"
	}
	asked() {
		[ "$(wc -l <"$T/asked" 2>/dev/null || echo 0)" -eq "$1" ] || fail "the VMM was asked its version $(wc -l <"$T/asked") times, wanted $1"
	}
	run copy
	asked 1
	run copy
	asked 1
	[ "$(sql "SELECT count(*) FROM vmm_versions")" = 1 ] || fail "the version was not remembered once"
	touch -d '2001-01-01' "$T/vmm/fake-vmm"
	run copy
	asked 2
	[ "$(sql "SELECT count(*) FROM vmm_versions")" = 1 ] || fail "a changed binary's old answer was kept"
	run wrapper
	run wrapper
	asked 4
	unset FAKE_VMM_VERSION_LOG
	db_consistent
}

case "${1:-}" in
errors | workflow | verdicts | file_serial | rerun | known_cases | sigkill | unavailable | merge | merge_logs | version_cache)
	"test_$1" || fail "test_$1 did not run"
	;;
*)
	echo "usage: cli_test.sh errors|workflow|verdicts|file_serial|rerun|known_cases|sigkill|unavailable|merge|merge_logs|version_cache" >&2
	exit 2
	;;
esac
finish
