#!/usr/bin/env bash
# Builds the kernels with another compiler (clang by default) in a scratch
# directory and boots hello-world from it: "clang must also work".
#   build-kernels-with.sh SOURCE_DIR SCRATCH_DIR [COMPILER]
set -eu
src=$1 scratch=$2 cc=${3:-clang}
command -v "$cc" >/dev/null || { echo "SKIP: $cc is not installed"; exit 77; }
rm -rf "$scratch"
CC=$cc cmake -S "$src" -B "$scratch" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build "$scratch" -j2 --target kernel-hello-world
"$src/tests/boot/boot-vm.sh" multiboot1 tcg "$scratch" hello-world "$scratch/hello-world.log" --serial
"$src/tests/boot/protocol-lines.sh" "$scratch/hello-world.log" |
    diff -u "$src/tests/boot/expected/hello-world.all.multiboot1.expected" -
echo "ok: the kernels build with $cc and hello-world runs as expected"
