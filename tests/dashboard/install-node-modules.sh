#!/usr/bin/env bash
# Installs tests/dashboard/node_modules (playwright-core, the only package) with `npm ci` from the
# committed package-lock.json and the package's tarball in vendor/ (the one the npm registry serves,
# same integrity hash), so it needs no network. Does nothing when node_modules already matches the
# lock. Never downloads a browser: the test drives Debian's /usr/bin/chromium.
# Run by ctest before the dashboard end-to-end test (fixture dashboard_node_modules); safe to run
# by hand and from several build directories at once.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

command -v npm >/dev/null || { echo "error: npm is missing: run infra/deps.sh" >&2; exit 1; }
want=$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)
stamp=node_modules/.carebridge-lock-sha256

exec 9<.
flock 9  # one npm ci at a time in this directory
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f node_modules/playwright-core/package.json ]; then
  exit 0
fi
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --offline --ignore-scripts --no-audit --no-fund
echo "$want" >"$stamp"
