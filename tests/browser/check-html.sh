#!/bin/sh
# check-html.sh: certify's HTML pages (the compliance matrix, a conformance
# report) loaded in a real browser, headless Chromium: they must load with no
# console message at all (no scripts, nothing fetched: any message is an
# error), the browser's DOM must hold every cell of the page's source (no cell
# lost to bad nesting), and a screenshot must show a rendered page.
# Exit 77 (ctest SKIP) without Chromium (Debian package chromium).
#
#   tests/browser/check-html.sh CERTIFY DATA_DIR WORK_DIR
set -u
C=$1
DATA=$2
W=$3

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
	echo "SKIP: no chromium (Debian: apt-get install chromium)"
	exit 77
fi
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }

rm -rf "$W"
mkdir -p "$W"
export CERTIFY_DB="$W/certify.db"
export CERTIFY_TODAY=2024-05-01
failures=0
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}
run() {
	"$@" >"$W/out" 2>&1 || { fail "$*"; sed 's/^/  | /' "$W/out" >&2; }
}

# A small database: a bare-metal baseline, two VMM runs, a waiver, a LAVA log.
run "$C" import --machine lab-xeon --provenance bare-metal "$DATA/baseline-run.log"
run "$C" baseline record --machine lab-xeon --from latest
run "$C" import --machine vm1 --provenance vmm --profile qemu-kvm --vmm-version "QEMU 7.2" "$DATA/vmm-run.log"
run "$C" import --machine vm1 --provenance vmm --profile qemu-tcg --vmm-version "QEMU <8.0> & \"co\"" "$DATA/vmm-run-b.log"
run "$C" import --machine lab-x11 --provenance bare-metal "$DATA/lava/job-2024.yaml"
run "$C" baseline record --machine lab-x11 --from latest
run "$C" waive --profile qemu-kvm 'lapic_*' --reason "nested <timer> & friends" --ticket "https://tracker/42?a=1&b=2"
run "$C" matrix --format html -o "$W/matrix.html"
"$C" diff --baseline lab-xeon latest --format html -o "$W/diff.html" >/dev/null 2>&1
[ -s "$W/diff.html" ] || fail "certify diff wrote no HTML"
[ "$failures" = 0 ] || exit 1

# One browser run: a fresh profile each time, nothing from the network.
browse() { # OUT_PREFIX ARGS...
	out=$1
	shift
	rm -rf "$W/profile"
	mkdir -p "$W/profile"
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --no-default-browser-check \
		--user-data-dir="$W/profile" --host-resolver-rules="MAP * ~NOTFOUND" \
		--enable-logging=stderr --v=0 "$@" >"$out.stdout" 2>"$out.log"
}

# Console messages Chromium logs (as INFO:CONSOLE or ERROR:CONSOLE lines).
console_messages() {
	grep -E ':CONSOLE|Uncaught' "$1" | sort -u
}

# The check must see an error where there is one, or it proves nothing.
printf '<!DOCTYPE html><html><head><title>t</title></head><body><table><tr><td>x</td></tr></table><script>no_such_function();</script><img src="http://example.invalid/x.png"></body></html>' >"$W/broken.html"
browse "$W/broken" --dump-dom "file://$W/broken.html"
if [ -z "$(console_messages "$W/broken.log")" ]; then
	fail "the browser check does not see a script error on a broken page"
	grep -v dbus "$W/broken.log" | head -20 >&2
fi

# count FILE TAG: elements <TAG ...> in FILE.
count() {
	grep -o "<$2[ >]" "$1" | wc -l
}

for page in matrix diff; do
	html="$W/$page.html"
	grep -qiE '<script|<link|<img|<iframe|src=' "$html" && fail "$page.html is not self-contained (script, link or src)"
	browse "$W/$page" --dump-dom "file://$html"
	[ $? = 0 ] || fail "$page: chromium --dump-dom failed"
	msgs=$(console_messages "$W/$page.log")
	[ -z "$msgs" ] || fail "$page: console messages: $msgs"
	dom="$W/$page.stdout"
	for tag in table tr th td; do
		src_n=$(count "$html" "$tag")
		dom_n=$(count "$dom" "$tag")
		[ "$src_n" = "$dom_n" ] || fail "$page: $src_n <$tag> in the page, $dom_n in the browser's DOM"
	done
	[ "$(count "$dom" td)" -gt 10 ] || fail "$page: hardly any cells in the DOM"
	grep -q '<title>' "$dom" || fail "$page: no title in the DOM"
	# Text that needs escaping comes through as text, not markup.
	if [ "$page" = matrix ]; then
		grep -qF 'QEMU &lt;8.0&gt; &amp; "co"' "$dom" || fail "matrix: the escaped VMM version is not text in the DOM"
		grep -qF 'lab-x11' "$dom" || fail "matrix: the LAVA-imported baseline machine is missing"
	fi

	browse "$W/$page.shot" --window-size=1280,900 --hide-scrollbars --screenshot="$W/$page.png" "file://$html"
	[ $? = 0 ] || fail "$page: chromium --screenshot failed"
	# A page that rendered differs from a blank one: PNG of many colours.
	python3 - "$W/$page.png" <<'EOF' || fail "$page: the screenshot does not show a rendered page"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, width, height, bpp = 8, b"", 0, 0, 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
        bpp = {2: 3, 6: 4}[ctype] * depth // 8
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
stride = width * bpp
prev = bytearray(stride)
colours = set()
for y in range(height):                # undo the PNG row filters (RFC 2083 6)
    f, row = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = row[i - bpp] if i >= bpp else 0
        b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
        if f == 1:
            row[i] = (row[i] + a) & 255
        elif f == 2:
            row[i] = (row[i] + b) & 255
        elif f == 3:
            row[i] = (row[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y % 9 == 0:
        colours.update(bytes(row[i:i + 3]) for i in range(0, stride, bpp * 3))
    prev = row
print("screenshot %dx%d, %d colours sampled" % (width, height, len(colours)))
sys.exit(0 if width >= 800 and len(colours) >= 4 else 1)
EOF
done

if [ "$failures" != 0 ]; then
	echo "$failures failure(s); pages and browser logs in $W" >&2
	exit 1
fi
echo "ok: matrix.html and diff.html load cleanly in $("$browser" --version 2>/dev/null | head -1)"
