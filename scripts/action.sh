#!/usr/bin/env bash
# The steps of bindery's GitHub Action (action.yml at the repository root),
# one per subcommand: install, check, build, publish. action.yml passes the
# action's inputs as environment variables; the test suite runs the same
# steps with a fake release (tests/it/action.rs).
#
# Outputs go to "$GITHUB_OUTPUT" and the installed binary's folder to
# "$GITHUB_PATH", as GitHub's runner reads them.
set -euo pipefail

fail() {
  echo "::error::$1" >&2
  exit 1
}

output() {
  echo "$1=$2" >>"${GITHUB_OUTPUT:-/dev/null}"
}

# The release file for this runner: the Rust target the release workflow
# builds for it.
release_target() {
  case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
    Linux/X64) echo x86_64-unknown-linux-gnu ;;
    Linux/ARM64) echo aarch64-unknown-linux-gnu ;;
    macOS/X64) echo x86_64-apple-darwin ;;
    macOS/ARM64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
    *) fail "bindery publishes no binary for ${RUNNER_OS:-this system} on ${RUNNER_ARCH:-this processor}; build it with cargo install --locked bindery and give its path as the action's bindery input" ;;
  esac
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

install() {
  if [ -n "${BINDERY_BINARY:-}" ]; then
    [ -x "$BINDERY_BINARY" ] || fail "the bindery input names \`$BINDERY_BINARY\`, which is not a program"
    dir=$(cd "$(dirname "$BINDERY_BINARY")" && pwd)
    echo "$dir" >>"${GITHUB_PATH:-/dev/null}"
    output bindery "$dir/$(basename "$BINDERY_BINARY")"
    "$BINDERY_BINARY" --version
    return
  fi
  # An action used at a release tag installs that release; at a branch or
  # a commit, the latest release, unless the version input names one.
  version="${BINDERY_VERSION:-}"
  if [ -z "$version" ]; then
    case "${BINDERY_ACTION_REF:-}" in
      v[0-9]*) version="$BINDERY_ACTION_REF" ;;
      *) version=latest ;;
    esac
  fi
  repository="${BINDERY_ACTION_REPOSITORY:-}"
  releases="${BINDERY_RELEASES:-https://github.com/$repository/releases}"
  target=$(release_target)
  case "$target" in
    *windows*) archive="bindery-$target.zip" exe=bindery.exe ;;
    *) archive="bindery-$target.tar.gz" exe=bindery ;;
  esac
  if [ "$version" = latest ]; then
    base="$releases/latest/download"
  else
    base="$releases/download/$version"
  fi

  work="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/bindery-$version-$target"
  rm -rf "$work"
  mkdir -p "$work"
  for file in "$archive" SHA256SUMS; do
    curl --fail --silent --show-error --location --retry 3 \
      --output "$work/$file" "$base/$file" ||
      fail "cannot download $base/$file: is $version a release of $repository?"
  done
  expected=$(awk -v name="$archive" '$2 == name || $2 == "*" name { print $1 }' "$work/SHA256SUMS")
  [ -n "$expected" ] || fail "the release's SHA256SUMS lists no $archive"
  actual=$(sha256_of "$work/$archive")
  [ "$actual" = "$expected" ] ||
    fail "$archive does not match its checksum (SHA-256 $actual, SHA256SUMS says $expected): it was damaged or changed after the release"

  mkdir -p "$work/bin"
  case "$archive" in
    *.zip) unzip -q "$work/$archive" -d "$work/bin" ;;
    *) tar -xzf "$work/$archive" -C "$work/bin" ;;
  esac
  [ -f "$work/bin/$exe" ] || fail "$archive holds no $exe"
  chmod +x "$work/bin/$exe"
  echo "$work/bin" >>"${GITHUB_PATH:-/dev/null}"
  output bindery "$work/bin/$exe"
  "$work/bin/$exe" --version
}

# `--deny warnings` and `--profile` as the inputs ask.
checks() {
  args=(--profile "${BINDERY_PROFILE:-generic}")
  case "${BINDERY_DENY_WARNINGS:-false}" in
    true) args+=(--deny warnings) ;;
    false) ;;
    *) fail "deny-warnings is \`$BINDERY_DENY_WARNINGS\`; give true or false" ;;
  esac
}

check() {
  checks
  # Annotations on the lines of the pull request; the build's output is
  # the log, so the same problems are not annotated twice.
  bindery check "${BINDERY_BOOK:-.}" --message-format github "${args[@]}"
}

build() {
  checks
  out="${BINDERY_OUT_DIR:-dist}"
  template="${BINDERY_NAME_TEMPLATE:-}"
  [ -n "$template" ] || template='{slug}.epub'
  log="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/bindery-build.log"
  status=0
  bindery build "${BINDERY_BOOK:-.}" --out-dir "$out" --name-template "$template" \
    --checksums "${args[@]}" 2>"$log" || status=$?
  cat "$log" >&2
  [ "$status" = 0 ] || exit "$status"
  epub=$(sed -n 's/^wrote \(.*\) ([0-9][0-9]* chapters*, .*)$/\1/p' "$log" | tail -n 1)
  [ -n "$epub" ] || fail "bindery build did not say which EPUB it wrote"
  output epub "$epub"
  output checksums "$(dirname "$epub")/SHA256SUMS"
  if [ -n "${BINDERY_SITE:-}" ]; then
    bindery site "${BINDERY_BOOK:-.}" --output "$BINDERY_SITE" --name-template "$template" "${args[@]}"
    output site "$BINDERY_SITE"
  fi
}

publish() {
  case "${BINDERY_RELEASE:-auto}" in
    auto) [ "${GITHUB_REF_TYPE:-}" = tag ] || {
      echo "not a tag: the EPUB is not attached to a release"
      return
    } ;;
    true) [ "${GITHUB_REF_TYPE:-}" = tag ] || fail "release is true, but ${GITHUB_REF:-this run} is not a tag" ;;
    false) return ;;
    *) fail "release is \`$BINDERY_RELEASE\`; give auto, true or false" ;;
  esac
  epub="${BINDERY_EPUB:?the build step wrote no EPUB}"
  files=("$epub" "$(dirname "$epub")/SHA256SUMS")
  tag="$GITHUB_REF_NAME"
  if gh release view "$tag" >/dev/null 2>&1; then
    gh release upload "$tag" "${files[@]}" --clobber
  else
    gh release create "$tag" "${files[@]}" --verify-tag --title "$tag" \
      --notes "The EPUB and its SHA-256 checksum, built by bindery."
  fi
  echo "attached $(basename "$epub") and SHA256SUMS to the release $tag"
}

case "${1:-}" in
  install | check | build | publish) "$1" ;;
  *) fail "usage: action.sh install|check|build|publish" ;;
esac
