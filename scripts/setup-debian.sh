#!/usr/bin/env bash
# One command on a fresh Debian 12 machine: install what the suite needs,
# build it, and run every kernel under the embedded default VMM profile
# (QEMU TCG), printing the conformance of that run. Run as root.
set -euo pipefail
top=$(dirname "$(readlink -f "$0")")/..
cd "$top"
export DEBIAN_FRONTEND=noninteractive
apt-get update
grep -v '^#' scripts/debian-packages.txt | xargs apt-get install -y --no-install-recommends
cmake -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
# Exit status 1 means some case failed or a kernel hung under this VMM:
# that is the result to read, not an error of this script.
build/certify/certify run --profile qemu-tcg --db build/certify.db || [ $? -eq 1 ]
build/certify/certify report latest --format text --db build/certify.db
