#!/bin/sh
# release_test.sh: `certify release`, `verify`, `keygen` and `must-pass`
# end to end with the fake VMM, one scenario per argument (registered with
# ctest as certify.release.NAME). Needs $CERTIFY, $CERTIFY_TEST_DATA,
# $CERTIFY_TEST_PROFILES, $CERTIFY_TMP and $CERTIFY_MUST_PASS_DIR (the
# shipped lists), set by ctest.
set -u
C="$CERTIFY"
DATA="$CERTIFY_TEST_DATA"
REL="$DATA/release"
export CERTIFY_PROFILES="$CERTIFY_TEST_PROFILES"
export CERTIFY_TODAY=2024-05-01
. "$(dirname "$0")/harness.sh"
export CERTIFY_DB="$T/certify.db"

# Two suites of fake kernels: "ok" (good, which conforms) and "dev" (good
# and dev, whose case two fails under the fake VMM but passes on the
# fixture hardware).
mkdir -p "$T/suite-ok" "$T/suite-dev"
cp "$DATA/kernels/good.conf" "$DATA/kernels/good.elf32" "$T/suite-ok/"
cp "$DATA/kernels/good.conf" "$DATA/kernels/good.elf32" "$REL/dev.conf" "$REL/dev.elf32" "$T/suite-dev/"

# Baselines from bare-metal captures: hw (good and dev), hw-good (good only).
baselines() {
	expect 0 "$C" import --machine hw --provenance bare-metal "$REL/hw-good.log" "$REL/hw-dev.log"
	expect 0 "$C" baseline record --machine hw --from latest
	expect 0 "$C" import --machine hw --provenance bare-metal "$REL/hw-good.log"
	expect 0 "$C" baseline record --machine hw --from latest --name hw-good
}

# extract PKG DIR: unpack; $PKGDIR is the package's top directory.
extract() {
	rm -rf "$2"
	mkdir -p "$2"
	tar -xf "$1" -C "$2" || fail "tar cannot extract $1"
	PKGDIR=$(find "$2" -mindepth 1 -maxdepth 1 -type d)
}

# repack DIR OUT: the extracted package as a tar again.
repack() {
	rm -f "$2"
	tar -C "$1" -cf "$2" "$(basename "$(find "$1" -mindepth 1 -maxdepth 1 -type d)")" || fail "tar cannot pack $2"
}

# resum: SHA256SUMS of $PKGDIR made again, as a forger without the key would.
resum() {
	(cd "$PKGDIR" && find . -type f ! -name 'SHA256SUMS*' | sed 's|^\./||' | LC_ALL=C sort |
		while read -r f; do sha256sum "$f"; done >SHA256SUMS)
}

# flip FILE: change one byte in the middle of FILE.
flip() {
	size=$(wc -c <"$1")
	off=$((size / 2))
	byte=$(dd if="$1" bs=1 skip=$off count=1 2>/dev/null)
	new=X
	[ "$byte" = X ] && new=Y
	printf '%s' "$new" | dd of="$1" bs=1 seek=$off conv=notrunc 2>/dev/null
}

# rejected PKG TEXT [verify args]: verify exits 2 and names the problem.
rejected() {
	pkg=$1
	text=$2
	shift 2
	expect 2 "$C" verify "$pkg" "$@"
	contains "$T/err" "$text"
	contains "$T/out" "REJECTED"
}

test_roundtrip() {
	baselines
	expect 0 "$C" release --profile fake --baseline hw-good --kernels "$T/suite-ok" -o "$T/ok.tar"
	contains "$T/out" "$T/ok.tar: CONFORMANT"
	expect 0 "$C" verify "$T/ok.tar"
	contains "$T/out" "intact"
	contains "$T/out" "signature: none"
	contains "$T/out" "every case verdict agrees"
	contains "$T/out" "CONFORMANT: profile fake"
	extract "$T/ok.tar" "$T/x"
	(cd "$PKGDIR" && sha256sum --quiet -c SHA256SUMS) >"$T/sums.out" 2>&1 || fail "sha256sum -c rejects the package"
	for f in STATEMENT.md manifest.json verdicts.tsv waivers.json baseline.txt must-pass.list logs/good.log; do
		[ -f "$PKGDIR/$f" ] || fail "the package lacks $f"
	done
	contains "$PKGDIR/STATEMENT.md" "**CONFORMANT**"
	contains "$PKGDIR/STATEMENT.md" "resting on 0 bare-metal baseline(s)"
	contains "$PKGDIR/manifest.json" '"vmm_version": "Fake VMM version 1.0 (certify tests)"'
	contains "$PKGDIR/manifest.json" '"image_sha256": "'
	contains "$PKGDIR/manifest.json" '"host.os"'
	contains "$PKGDIR/verdicts.tsv" "good	alpha	pass	pass	-	no	no	conformant	ok	-"
	cmp -s "$PKGDIR/logs/good.log" "$CERTIFY_DB.logs/$(sqlite3 "$CERTIFY_DB" "SELECT uuid FROM runs WHERE profile = 'fake'")/good.log" ||
		fail "the packaged log is not the run's serial log"
	# The baseline inside reads back with `baseline import`.
	expect 0 "$C" baseline import "$PKGDIR/baseline.txt" --db "$T/other.db"
	contains "$T/out" "baseline hw-good imported: 3 cases"
	# Deterministic: the same run makes the same bytes.
	expect 0 "$C" release --profile fake --baseline hw-good --run latest -o "$T/again.tar"
	cmp -s "$T/ok.tar" "$T/again.tar" || fail "the same run gave a different package"
	# zstd, chosen by the name.
	expect 0 "$C" release --profile fake --baseline hw-good --run latest -o "$T/ok.tar.zst"
	[ "$(head -c 4 "$T/ok.tar.zst" | od -An -tx1 | tr -d ' ')" = 28b52ffd ] || fail "ok.tar.zst is not zstd"
	expect 0 "$C" verify "$T/ok.tar.zst"
	contains "$T/out" "CONFORMANT: profile fake"
	if command -v zstd >/dev/null; then
		zstd -dc "$T/ok.tar.zst" >"$T/unz.tar" 2>/dev/null || fail "zstd cannot read ok.tar.zst"
		cmp -s "$T/unz.tar" "$T/ok.tar" || fail "ok.tar.zst does not hold the same tar as ok.tar"
	fi
	# A package is never replaced.
	expect 2 "$C" release --profile fake --baseline hw-good --run latest -o "$T/ok.tar"
	contains "$T/err" "exists"
}

test_deviation() {
	baselines
	expect 1 "$C" release --profile fake --baseline hw --kernels "$T/suite-dev" -o "$T/dev.tar"
	contains "$T/out" "NOT CONFORMANT"
	contains "$T/out" "deviation: dev/two: deviation (baseline pass, run fail, reason assert)"
	expect 1 "$C" verify "$T/dev.tar"
	contains "$T/out" "NOT CONFORMANT"
	contains "$T/out" "deviation: dev/two"
	extract "$T/dev.tar" "$T/x"
	contains "$PKGDIR/STATEMENT.md" "**NOT CONFORMANT**"
	contains "$PKGDIR/STATEMENT.md" "dev/two: deviation"
	contains "$PKGDIR/verdicts.tsv" "dev	two	pass	fail	assert	no	no	deviation	deviation	-"
	# The whole suite counts: a baseline kernel the run lacks is not run.
	expect 1 "$C" release --profile fake --baseline hw --kernels "$T/suite-ok" -o "$T/partial.tar"
	contains "$T/out" "deviation: dev/one: not run"
	expect 1 "$C" verify "$T/partial.tar"
	contains "$T/out" "deviation: dev/one"

	# With a waiver: CONFORMANT WITH WAIVERS, listing it.
	run=$(sqlite3 "$CERTIFY_DB" "SELECT uuid FROM runs WHERE profile = 'fake' ORDER BY id LIMIT 1")
	expect 0 "$C" waive --profile fake dev/two --reason "fake VMM bug" --ticket https://tracker/7 --expires 2030-01-01
	expect 0 "$C" release --profile fake --baseline hw --run "$run" -o "$T/waived.tar"
	contains "$T/out" "CONFORMANT WITH WAIVERS"
	contains "$T/out" "waived: dev/two: waived (baseline pass, run fail, reason assert) waiver #1: fake VMM bug, ticket https://tracker/7, expires 2030-01-01"
	expect 0 "$C" verify "$T/waived.tar"
	contains "$T/out" "CONFORMANT WITH WAIVERS"
	contains "$T/out" "waived: dev/two"
	extract "$T/waived.tar" "$T/w"
	contains "$PKGDIR/waivers.json" '"reason": "fake VMM bug"'
	contains "$PKGDIR/waivers.json" '"ticket": "https://tracker/7"'
	contains "$PKGDIR/waivers.json" '"expires": "2030-01-01"'
	contains "$PKGDIR/STATEMENT.md" "**CONFORMANT WITH WAIVERS**"

	# An expired waiver does not count, and the statement says it expired.
	expect 0 "$C" waivers --remove 1
	expect 0 "$C" waive --profile fake dev/two --reason "fake VMM bug" --expires 2024-04-30
	expect 1 "$C" release --profile fake --baseline hw --run "$run" -o "$T/expired.tar"
	contains "$T/out" "NOT CONFORMANT"
	contains "$T/out" "deviation: dev/two: waiver expired"
	contains "$T/out" "expired on 2024-04-30, before the release date 2024-05-01"
	expect 1 "$C" verify "$T/expired.tar"
	extract "$T/expired.tar" "$T/e"
	contains "$PKGDIR/STATEMENT.md" "EXPIRED on the release date"
	# Expiry is judged on the release date: a package made while the
	# waiver held keeps its verdict when checked later.
	expect 0 env CERTIFY_TODAY=2024-04-01 "$C" release --profile fake --baseline hw --run "$run" -o "$T/before.tar"
	contains "$T/out" "CONFORMANT WITH WAIVERS"
	expect 0 env CERTIFY_TODAY=2031-01-01 "$C" verify "$T/before.tar"
	contains "$T/out" "CONFORMANT WITH WAIVERS"
}

# Every kernel verdict (hang, crash, vmm-error, no-boot, reset, panic) and
# flaky cases: the logs parsed again give the stored verdicts.
test_verdicts() {
	baselines
	expect 1 "$C" run --profile fake --kernels "$DATA/kernels" --timeout 2 --rerun 1 \
		good hang crash vmmerr noboot panic reboot flaky
	expect 0 "$C" release --profile fake --baseline hw-good --run latest -o "$T/all.tar"
	contains "$T/out" "CONFORMANT"
	expect 0 "$C" verify "$T/all.tar"
	contains "$T/out" "8 kernel log(s) parsed again, every case verdict agrees"
	extract "$T/all.tar" "$T/x"
	contains "$PKGDIR/verdicts.tsv" "flaky	wobbly	-	fail	timeout	yes	no	baseline-untested	ok	-"
	contains "$PKGDIR/verdicts.tsv" "hang	beta	-	fail	hang	no"
	contains "$PKGDIR/manifest.json" '"verdict": "vmm-error"'
	# The rerun that made wobbly flaky is packaged, and flaky rests on it.
	[ -f "$PKGDIR/logs/flaky.rerun-wobbly-1.log" ] || fail "the rerun log is not in the package"
	contains "$PKGDIR/manifest.json" '"log": "logs/flaky.rerun-wobbly-1.log"'
	(cd "$PKGDIR" && sed -i 's/SUCCESS "wobbly"/FAIL "wobbly"/; s/RESULT wobbly pass.*/RESULT wobbly fail reason=timeout/' \
		logs/flaky.rerun-wobbly-1.log)
	resum
	repack "$T/x" "$T/noflaky.tar"
	rejected "$T/noflaky.tar" "verdicts.tsv: case flaky/wobbly recorded flaky but no rerun log shows it passing after a failure"
	# A stored log changed after the run: release refuses to package it.
	log=$(sqlite3 "$CERTIFY_DB" "SELECT log_path FROM run_kernels WHERE name = 'good' ORDER BY id DESC LIMIT 1")
	sed -i 's/alpha pass/alpha fail/' "$log"
	expect 2 "$C" release --profile fake --baseline hw-good --run latest -o "$T/edited.tar"
	contains "$T/err" "kernel good: its serial log $log changed after the run was stored"
	[ ! -e "$T/edited.tar" ] || fail "a refused release left a package"
	# A run stored before certify kept log hashes: the log is re-parsed,
	# and one that disagrees with the stored verdicts is refused.
	sqlite3 "$CERTIFY_DB" "UPDATE run_kernels SET log_sha256 = NULL"
	expect 2 "$C" release --profile fake --baseline hw-good --run latest -o "$T/edited.tar"
	contains "$T/err" "verdicts.tsv: case good/alpha recorded pass but its log says fail"
	contains "$T/err" "nothing written"
	[ ! -e "$T/edited.tar" ] || fail "a refused release left a package"
	# An imported VMM capture (here a LAVA job log) packages as it was
	# captured, and verify reads it the way import did.
	expect 0 "$C" import --machine board --provenance vmm --profile lava-board --vmm-version "board 1" \
		"$DATA/lava/job-2024.yaml"
	expect 1 "$C" release --profile lava-board --baseline hw-good --run latest -o "$T/lava.tar"
	expect 1 "$C" verify "$T/lava.tar"
	contains "$T/out" "1 kernel log(s) parsed again, every case verdict agrees"
	contains "$T/out" "deviation: good/alpha: not run"
	extract "$T/lava.tar" "$T/l"
	cmp -s "$PKGDIR/logs/hello-world.log" "$DATA/lava/job-2024.yaml" || fail "the LAVA log was not packaged as captured"
}

test_sign() {
	baselines
	expect 0 "$C" keygen "$T/key"
	contains "$T/out" "fingerprint SHA256:"
	[ "$(stat -c %a "$T/key")" = 600 ] || fail "the private key is not mode 0600"
	contains "$T/key" "BEGIN PRIVATE KEY"
	contains "$T/key.pub" "BEGIN PUBLIC KEY"
	cp "$T/key" "$T/key.saved"
	expect 2 "$C" keygen "$T/key"
	contains "$T/err" "exists: certify never overwrites a key"
	cmp -s "$T/key" "$T/key.saved" || fail "keygen changed an existing key"
	rm "$T/key.pub"
	expect 2 "$C" keygen "$T/key"
	[ ! -e "$T/key.pub" ] || fail "keygen wrote half a pair"
	expect 0 "$C" keygen -o "$T/key2"
	rm "$T/key"
	expect 0 "$C" keygen "$T/key"

	expect 1 "$C" release --profile fake --baseline hw --kernels "$T/suite-dev" --sign "$T/key" -o "$T/signed.tar"
	fp=$(sed -n 's/.*signed by \(SHA256:[0-9a-f]*\).*/\1/p' "$T/out")
	[ -n "$fp" ] || fail "release does not name the signing key"
	expect 1 "$C" verify "$T/signed.tar" --pubkey "$T/key.pub"
	contains "$T/out" "signature: good, made with the key given with --pubkey, $fp"
	expect 1 "$C" verify "$T/signed.tar"
	contains "$T/out" "the signer is NOT authenticated"
	rejected "$T/signed.tar" "wrong key: the package was signed with key $fp, not with the --pubkey key" --pubkey "$T/key2.pub"
	contains "$T/err" "signature does not verify"
	extract "$T/signed.tar" "$T/x"
	contains "$PKGDIR/STATEMENT.md" "$fp"
	contains "$PKGDIR/manifest.json" "\"signer\": \"$fp\""
	if command -v openssl >/dev/null; then
		(cd "$PKGDIR" && openssl pkeyutl -verify -pubin -inkey "$T/key.pub" -rawin -in SHA256SUMS \
			-sigfile SHA256SUMS.sig) >"$T/ossl.out" 2>&1 || fail "openssl does not verify the signature"
	fi
	# Changed and hashed again without the key: the signature fails.
	sed -i 's/deviation	deviation/conformant	ok/' "$PKGDIR/verdicts.tsv"
	resum
	repack "$T/x" "$T/forged.tar"
	rejected "$T/forged.tar" "SHA256SUMS.sig: signature does not verify with key $fp"
	# Signed again with another key: only --pubkey tells.
	(cd "$PKGDIR" && openssl pkeyutl -sign -inkey "$T/key2" -rawin -in SHA256SUMS -out SHA256SUMS.sig &&
		openssl pkey -in "$T/key2" -pubout -out signer.pub.pem) 2>/dev/null
	repack "$T/x" "$T/resigned.tar"
	rejected "$T/resigned.tar" "wrong key" --pubkey "$T/key.pub"
	# Unsigned package, but a signature asked for.
	expect 1 "$C" release --profile fake --baseline hw --run latest -o "$T/unsigned.tar"
	rejected "$T/unsigned.tar" "the package is not signed" --pubkey "$T/key.pub"
	# Keys that are not Ed25519 keys.
	printf 'not a key\n' >"$T/bad.key"
	expect 2 "$C" release --profile fake --baseline hw --run latest --sign "$T/bad.key" -o "$T/bad.tar"
	contains "$T/err" "is not a PEM private key"
	expect 2 "$C" verify "$T/signed.tar" --pubkey "$T/bad.key"
	contains "$T/err" "is not a PEM public key"
	if command -v openssl >/dev/null; then
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/ec.key" 2>/dev/null
		expect 2 "$C" release --profile fake --baseline hw --run latest --sign "$T/ec.key" -o "$T/bad.tar"
		contains "$T/err" "not Ed25519"
	fi
}

test_tamper() {
	baselines
	expect 1 "$C" release --profile fake --baseline hw --kernels "$T/suite-dev" -o "$T/pkg.tar"
	# tamper NAME EDIT TEXT: extract, EDIT (a shell command in $PKGDIR),
	# repack, and verify must reject it naming TEXT.
	tamper() {
		extract "$T/pkg.tar" "$T/t-$1"
		(cd "$PKGDIR" && eval "$2")
		repack "$T/t-$1" "$T/t-$1.tar"
		rejected "$T/t-$1.tar" "$3"
	}
	tamper log 'flip logs/dev.log' "logs/dev.log: SHA-256 mismatch"
	tamper verdicts 'flip verdicts.tsv' "verdicts.tsv: SHA-256 mismatch"
	tamper manifest 'flip manifest.json' "manifest.json: SHA-256 mismatch"
	tamper statement 'flip STATEMENT.md' "STATEMENT.md: SHA-256 mismatch"
	tamper deleted 'rm waivers.json' "waivers.json: listed in SHA256SUMS but missing from the package"
	tamper added 'echo hello >extra.txt' "extra file not in SHA256SUMS: extra.txt"
	tamper addedlog 'cp logs/dev.log logs/other.log' "extra file not in SHA256SUMS: logs/other.log"
	tamper nosums 'rm SHA256SUMS' "no SHA256SUMS in the package"
	tamper badsums 'echo "nonsense" >>SHA256SUMS' "SHA256SUMS line 9: not"
	# Changed and hashed again (an unsigned package has no other seal):
	# the content checks still find it.
	tamper relog 'sed -i "s/RESULT two fail/RESULT two pass/" logs/dev.log; resum' \
		"logs/dev.log: not the log the run stored (its SHA-256 differs from log_sha256 in manifest.json)"
	# ... and the manifest's log hash forged too: the log parsed again
	# disagrees with the verdicts.
	tamper relog2 'sed -i "s/RESULT two fail.*/RESULT two pass/; s/SOTEST FAIL \"two\"/SOTEST SUCCESS \"two\"/" logs/dev.log
		sed -i "s/\"log_sha256\": \"$(sed -n "s/.*\"log_sha256\": \"\([0-9a-f]*\)\".*/\1/p" manifest.json | head -1)\"/\"log_sha256\": \"$(sha256sum logs/dev.log | cut -c1-64)\"/" manifest.json
		resum' \
		"verdicts.tsv: case dev/two recorded fail but its log says pass"
	tamper reverdict 'sed -i "s/deviation	deviation/conformant	ok/" verdicts.tsv; resum' \
		"verdicts.tsv line 3: says \"dev	two	pass	fail	assert	no	no	conformant	ok	-\" but the logs, baseline, must-pass list and waivers give \"dev	two	pass	fail	assert	no	no	deviation	deviation	-\""
	tamper reverdict2 'sed -i "s/NOT CONFORMANT/CONFORMANT/" manifest.json; resum' \
		"manifest.json conformance: line"
	tamper restatement 'sed -i "s/NOT CONFORMANT/CONFORMANT/" STATEMENT.md; resum' \
		"STATEMENT.md line 3: says"
	tamper rebaseline 'sed -i "s/case dev two pass/case dev two fail/" baseline.txt; resum' \
		"verdicts.tsv line 3"
	tamper remustpass 'echo "# more" >>must-pass.list; resum' \
		"must_pass.sha256 is not the SHA-256 of must-pass.list"
	tamper readded 'echo hello >extra.txt; resum' \
		"extra.txt: not part of a certification package"
	tamper relogdeleted 'rm logs/dev.log; resum' \
		"logs/dev.log: missing, but manifest.json names it"
	tamper rekernel 'sed -i "s/\"verdict\": \"complete\"/\"verdict\": \"hang\"/" manifest.json; resum' \
		"kernel dev is recorded hang but its log reaches SOTEST END"
}

test_bad_input() {
	baselines
	expect 2 "$C" release --profile fake --baseline nosuch --kernels "$T/suite-ok" -o "$T/a.tar"
	contains "$T/err" "no baseline nosuch"
	[ "$(sqlite3 "$CERTIFY_DB" "SELECT count(*) FROM runs WHERE profile = 'fake'")" = 0 ] ||
		fail "a release with a missing baseline booted the suite"
	expect 2 "$C" release --profile fake --baseline hw --run 0000dead -o "$T/a.tar"
	contains "$T/err" "0000dead"
	expect 2 "$C" release --profile fake --baseline hw --run latest -o "$T/a.tar"
	contains "$T/err" "is a bare-metal capture, not a VMM run"
	expect 2 "$C" release --profile fake --baseline hw -o "$T/a.zip"
	contains "$T/err" "NAME.tar, or NAME.tar.zst"
	expect 2 "$C" release --profile fake -o "$T/a.tar"
	contains "$T/err" "--baseline B is required"
	expect 2 "$C" release --baseline hw -o "$T/a.tar"
	contains "$T/err" "--profile P is required"
	expect 2 "$C" release --profile fake --baseline hw
	contains "$T/err" "-o PKG is required"
	expect 2 "$C" release --profile fake --baseline hw --run latest -j 2 -o "$T/a.tar"
	contains "$T/err" "--run takes a stored run"
	expect 2 "$C" release --profile fake --baseline hw --run latest --must-pass "$T/none.list" -o "$T/a.tar"
	expect 0 "$C" run --profile fake --kernels "$T/suite-ok"
	expect 2 "$C" release --profile other --baseline hw --run latest -o "$T/a.tar"
	contains "$T/err" "ran under profile fake, not other"
	expect 2 "$C" release --profile fake --baseline hw --run latest --vmm-version 2.0 -o "$T/a.tar"
	contains "$T/err" "--vmm-version 2.0 does not occur in the version the VMM reported"
	expect 1 "$C" release --profile fake --baseline hw --run latest --vmm-version 1.0 -o "$T/v.tar"
	contains "$T/out" "VMM 1.0"
	expect 2 "$C" release --profile fake --baseline hw --run latest --must-pass "$T/none.list" -o "$T/a.tar"
	contains "$T/err" "cannot read the must-pass list"
	"$C" must-pass --suite 9.9 >"$T/other-suite.list"
	expect 2 "$C" release --profile fake --baseline hw --run latest --must-pass "$T/other-suite.list" -o "$T/a.tar"
	contains "$T/err" "is for suite 9.9, but the run's kernels are suite 0.1.0"
	expect 2 "$C" release --profile fake --baseline hw --run latest --sign "$T/nokey" -o "$T/a.tar"
	contains "$T/err" "cannot read the signing key"
	[ ! -e "$T/a.tar" ] || fail "a failed release left a package"
	expect 2 "$C" release --profile fake --baseline hw --run latest --db "$T/none.db" -o "$T/a.tar"
	contains "$T/err" "no database at"

	expect 2 "$C" verify
	contains "$T/err" "give exactly one package"
	expect 2 "$C" verify "$T/missing.tar"
	contains "$T/err" "cannot read"
	head -c 20000 /dev/urandom >"$T/random.tar"
	rejected "$T/random.tar" "random.tar: not a readable tar archive"
	printf 'just some text, not an archive at all\n' >"$T/text.tar"
	rejected "$T/text.tar" "text.tar: not a readable tar archive"
	head -c 3000 "$T/v.tar" >"$T/cut.tar"
	rejected "$T/cut.tar" "cut short"
	mkdir -p "$T/stray/a" "$T/stray/b"
	echo x >"$T/stray/a/f"
	echo y >"$T/stray/b/g"
	tar -C "$T/stray" -cf "$T/two-tops.tar" a b
	rejected "$T/two-tops.tar" "b/g: outside the package's directory a/"
	ln -s /etc/passwd "$T/stray/a/link"
	tar -C "$T/stray" -cf "$T/link.tar" a
	rejected "$T/link.tar" "a/link: a symbolic link, not a regular file"
	: >"$T/empty.tar"
	rejected "$T/empty.tar" "empty.tar"
	if command -v zstd >/dev/null; then
		zstd -q -c "$T/v.tar" | head -c 1500 >"$T/cut.tar.zst"
		rejected "$T/cut.tar.zst" "cut.tar.zst"
	fi
}

test_must_pass() {
	expect 0 "$C" must-pass -o "$T/two.list" "$REL/lab-a.baseline" "$REL/lab-b.baseline"
	contains "$T/out" "from 2 bare-metal baseline(s)"
	contains "$T/two.list" "baselines 2"
	contains "$T/two.list" "baseline lab-a machine=lab-a"
	[ "$(grep '^case ' "$T/two.list")" = "case dev one
case dev two
case good alpha" ] || fail "must-pass of lab-a and lab-b is not the cases passing on both"
	expect 2 "$C" must-pass "$REL/lab-a.baseline" "$REL/qemu-ref.baseline"
	contains "$T/err" "baseline qemu-ref was recorded under a VMM (provenance vmm)"
	expect 2 "$C" must-pass "$REL/lab-a.baseline" "$REL/lab-old.baseline"
	contains "$T/err" "baseline lab-old was recorded with suite 0.0.9, not 0.1.0"
	expect 2 "$C" must-pass "$REL/lab-a.baseline" "$REL/lab-a.baseline"
	contains "$T/err" "given twice"
	expect 2 "$C" must-pass "$T/nothing.baseline"
	# The shipped list is what the command makes from the baselines
	# recorded so far: none.
	expect 0 "$C" must-pass -o "$T/none.list"
	contains "$T/none.list" "baselines 0"
	contains "$T/none.list" "No bare-metal baseline"
	[ -z "$(grep '^case ' "$T/none.list")" ] || fail "a list resting on no baseline holds cases"
	cmp -s "$T/none.list" "$CERTIFY_MUST_PASS_DIR/0.1.0.list" ||
		fail "must-pass/0.1.0.list is not what \`certify must-pass\` makes from no baseline"
	# A hand-made list that claims cases without a baseline is refused.
	{ cat "$T/none.list"; echo "case good alpha"; } >"$T/forged.list"

	# lab-c fails dev/two: against lab-c alone the fake VMM conforms; the
	# must-pass list (dev/two passes on lab-a and lab-b) makes it deviate.
	expect 0 "$C" baseline import "$REL/lab-c.baseline"
	expect 0 "$C" release --profile fake --baseline lab-c --kernels "$T/suite-dev" -o "$T/lab-c.tar"
	contains "$T/out" "$T/lab-c.tar: CONFORMANT"
	contains "$T/out" "0.1.0.list (0 cases, 0 baseline(s))"
	expect 1 "$C" release --profile fake --baseline lab-c --run latest --must-pass "$T/two.list" -o "$T/mp.tar"
	contains "$T/out" "NOT CONFORMANT"
	contains "$T/out" "deviation: dev/two: deviation (baseline fail, run fail, reason assert, must-pass): on the must-pass list"
	contains "$T/out" "two.list (3 cases, 2 baseline(s))"
	expect 1 "$C" verify "$T/mp.tar"
	contains "$T/out" "the must-pass list of suite 0.1.0 (3 case(s), 2 bare-metal baseline(s))"
	extract "$T/mp.tar" "$T/x"
	contains "$PKGDIR/STATEMENT.md" "The must-pass list rests on 2 bare-metal baseline(s) and holds 3 case(s)."
	contains "$PKGDIR/manifest.json" '"source": "two.list"'
	contains "$PKGDIR/must-pass.list" "case dev two"
	contains "$PKGDIR/verdicts.tsv" "dev	two	fail	fail	assert	no	yes	deviation	deviation	-"
	expect 2 "$C" release --profile fake --baseline lab-c --run latest --must-pass "$T/forged.list" -o "$T/f.tar"
	contains "$T/err" "rests on no baseline"
	# A package whose must-pass list was swapped for another, hashed again.
	(cd "$PKGDIR" && cp "$T/none.list" must-pass.list && resum)
	repack "$T/x" "$T/swapped.tar"
	rejected "$T/swapped.tar" "must_pass.sha256 is not the SHA-256 of must-pass.list"
}

case "${1:-}" in
roundtrip | deviation | verdicts | sign | tamper | bad_input | must_pass)
	"test_$1" || fail "test_$1 did not run"
	;;
*)
	echo "usage: release_test.sh roundtrip|deviation|verdicts|sign|tamper|bad_input|must_pass" >&2
	exit 2
	;;
esac
finish
