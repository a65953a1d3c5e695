#!/usr/bin/env bash
# Regenerates the published compliance matrix and the VMM reference runs:
#   reports/matrix.md, reports/matrix.html   (certify matrix)
#   reports/matrix.png                        (the HTML in headless Chromium)
#   baselines/vmm/<profile>.baseline          (each profile's run, exported;
#                                              provenance "vmm", never hardware)
# by running every kernel under every VMM profile that can run here.
#
#   scripts/make-matrix.sh [BUILD_DIR]        (default: build)
#
# Bare-metal baselines (baselines/*.baseline, docs/bare-metal.md) are
# imported first, so the matrix's reference columns are real hardware
# wherever a lab has recorded one.
set -euo pipefail
top=$(dirname "$(readlink -f "$0")")/..
cd "$top"
build=${1:-build}
certify=$build/certify/certify
[ -x "$certify" ] || { echo "make-matrix: $certify is missing: build first (README)" >&2; exit 2; }

work=$build/matrix
rm -rf "$work"
mkdir -p "$work" reports baselines/vmm
db=$work/matrix.db

shopt -s nullglob
for baseline in baselines/*.baseline; do
    "$certify" baseline import "$baseline" --db "$db"
done

profiles=$("$certify" profiles | awk '$2 == "available" { print $1 }')
for profile in $profiles; do
    echo "== $profile" >&2
    # Exit 1 means some case failed or a kernel hung: that is the data.
    "$certify" run --profile "$profile" --db "$db" -j 2 --label matrix || [ $? -eq 1 ]
done

# The VMM runs as reference exports, recorded in a scratch copy so they
# never count as baselines in the matrix itself.
cp "$db" "$work/references.db"
for profile in $profiles; do
    run=$("$certify" runs --db "$work/references.db" | awk -v p="$profile" '$2 == p { print $1; exit }')
    [ -n "$run" ] || continue
    "$certify" baseline record --machine "vmm-$profile" --from "$run" --db "$work/references.db" >/dev/null
    "$certify" baseline export "vmm-$profile" -o "baselines/vmm/$profile.baseline" --db "$work/references.db"
done

"$certify" matrix --format md -o reports/matrix.md --db "$db"
"$certify" matrix --format html -o reports/matrix.html --db "$db"
if command -v chromium >/dev/null; then
    profile_dir=$(mktemp -d)
    timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile_dir" \
        --window-size=1400,1000 --screenshot=reports/matrix.png "file://$PWD/reports/matrix.html" \
        >/dev/null 2>&1 || echo "make-matrix: no screenshot (chromium failed)" >&2
    rm -rf "$profile_dir"
fi
echo "wrote reports/matrix.{md,html,png} and baselines/vmm/ from $db" >&2
