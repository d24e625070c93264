#!/usr/bin/env bash
# Installs the Debian 12 packages CareBridge needs to build, test and run, if any are missing.
# Checks each with dpkg-query first, so on a prepared machine it does nothing (and needs no
# network or root). Otherwise: one `apt-get update`, then one `apt-get install -y`, through sudo
# when not root.
set -euo pipefail

# shellcheck source=infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PACKAGES=(
  # build
  cmake ninja-build g++ pkg-config clang-format
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler grpc-proto
  golang-github-grpc-ecosystem-grpc-gateway-dev # google/api and google/rpc protos
  libabsl-dev libpqxx-dev libhiredis-dev libboost-dev libcurl4-openssl-dev libsodium-dev
  googletest libgtest-dev libgmock-dev
  # run (the local stack and the integration tests start their own servers)
  postgresql-15 postgresql-contrib redis-server redis-tools python3-aiosmtpd python3-uvloop curl ca-certificates
  tzdata # IANA time zones for scheduling (absl reads /usr/share/zoneinfo)
  # tests: the iCalendar feed is read back by a real RFC 5545 parser
  python3-icalendar
  # tests: the browser end-to-end test (tests/dashboard) drives Debian's Chromium with
  # playwright-core, which ctest installs from tests/dashboard/package-lock.json with npm ci;
  # a small Japanese font, so that its screenshots of the Japanese form are legible
  chromium nodejs npm fonts-vlgothic
  # benchmarks
  wrk
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  # An npm on PATH will do: another build of nodejs (NodeSource's) ships its own npm and conflicts
  # with Debian's npm package.
  if [ "$pkg" = npm ] && command -v npm >/dev/null; then continue; fi
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || die "not root and no sudo: install these packages as root: ${missing[*]}"
  sudo=(sudo)
fi

info "installing ${#missing[@]} missing Debian packages: ${missing[*]}"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
