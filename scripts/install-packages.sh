#!/usr/bin/env bash
# Installs the Debian packages of scripts/debian-packages.txt (as root).
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
export DEBIAN_FRONTEND=noninteractive
apt-get update
grep -v '^#' "$here/debian-packages.txt" | xargs apt-get install -y --no-install-recommends
