#!/usr/bin/env bash
# Installs DAISY Ace, the accessibility checker for EPUB, into the
# git-ignored .tools/ace/ folder (a pinned version, from npm) unless it is
# there already, and prints the path of its command. Used by scripts/ace.sh
# and scripts/test.sh.
#
# Ace's Electron runner is not used (its binary cannot be downloaded here),
# only its Puppeteer runner driving the system Chromium, which Ace already
# launches with --no-sandbox, so running as root works. Installs Node.js
# with apt-get when npm is missing and running as root.
set -euo pipefail
cd "$(dirname "$0")/.."

ACE_VERSION=1.4.6
ace_dir="$PWD/.tools/ace"
ace_bin="$ace_dir/node_modules/.bin/ace-puppeteer"

if ! command -v npm >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "installing Node.js for DAISY Ace" >&2
    apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "error: DAISY Ace needs Node.js and npm; install them and run again" >&2
    exit 2
  fi
fi

installed_version() {
  node -p "require('$ace_dir/node_modules/@daisy/ace/package.json').version" 2>/dev/null || true
}
if [ ! -x "$ace_bin" ] || [ "$(installed_version)" != "$ACE_VERSION" ]; then
  echo "installing DAISY Ace $ACE_VERSION into .tools/ace/" >&2
  mkdir -p "$ace_dir"
  # No browser downloads: Puppeteer uses the system Chromium, and the
  # Electron binary (for Ace's default runner) is not needed.
  (cd "$ace_dir" &&
    PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 \
    ELECTRON_SKIP_BINARY_DOWNLOAD=1 \
    npm install --silent --no-audit --no-fund --save-exact \
      "@daisy/ace@$ACE_VERSION" >/dev/null)
fi
echo "$ace_bin"
