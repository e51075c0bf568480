#!/usr/bin/env bash
# Runs DAISY Ace, the accessibility checker for EPUB, on the books bindery
# builds: the guide (the repository root) and each fixture book under
# tests/books/. Prints a Markdown table per book (violations by impact, and
# the rule ids of critical/serious ones), then the details of each critical or
# serious violation, and exits 1 if any book has one (2 if something broke).
#
# Usage:
#   scripts/ace.sh                 # the guide and every tests/books/* book
#   scripts/ace.sh tests/books/minimal .   # only the named book folders
#
# Environment:
#   ACE_KEEP=DIR   write the EPUBs and Ace reports (report.json, report.html)
#                  to DIR instead of a temporary folder that is removed
#   PUPPETEER_EXECUTABLE_PATH   the Chromium to use (default: `chromium`)
#
# Installs Ace on first use (scripts/install-ace.sh). The test suite runs
# Ace on the same books (tests/it/accessibility.rs); this script is for
# reading Ace's full reports. Needs Node.js/npm, Chromium, Python 3 and
# cargo; installs Chromium and Node.js with apt-get when missing and running
# as root.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

apt_install() {
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "installing $* with apt-get" >&2
    apt-get update -qq && apt-get install -y -qq "$@" >/dev/null
  else
    echo "error: $* is needed; install it and run again" >&2
    exit 2
  fi
}

if [ -z "${PUPPETEER_EXECUTABLE_PATH:-}" ]; then
  command -v chromium >/dev/null 2>&1 || apt_install chromium
  PUPPETEER_EXECUTABLE_PATH="$(command -v chromium)"
fi
export PUPPETEER_EXECUTABLE_PATH
ace_bin="$(scripts/install-ace.sh)"

if [ $# -gt 0 ]; then
  books=("$@")
else
  books=(.)
  for d in tests/books/*/; do
    [ -f "$d/book.toml" ] && books+=("${d%/}")
  done
fi

if [ -n "${ACE_KEEP:-}" ]; then
  work="$ACE_KEEP"
  mkdir -p "$work"
else
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
fi

reports=()
status=0
for book in "${books[@]}"; do
  if [ "$book" = . ]; then name=guide; else name="$(basename "$book")"; fi
  epub="$work/$name.epub"
  out="$work/ace-$name"
  echo "building $book" >&2
  if ! cargo run --release -q -- build "$book" -o "$epub" >/dev/null; then
    echo "error: bindery failed to build $book" >&2
    status=2
    continue
  fi
  echo "running Ace on $name.epub" >&2
  rm -rf "$out"
  if ! "$ace_bin" --silent --force --outdir "$out" "$epub" || [ ! -f "$out/report.json" ]; then
    echo "error: Ace failed on $name.epub" >&2
    status=2
    continue
  fi
  reports+=("$name=$out/report.json")
done

summary=0
if [ ${#reports[@]} -gt 0 ]; then
  python3 scripts/ace-summary.py "${reports[@]}" || summary=$?
fi
if [ "$status" -ne 0 ]; then exit "$status"; fi
exit "$summary"
