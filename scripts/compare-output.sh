#!/usr/bin/env bash
# Compares what two versions of bindery write, byte for byte: for a change
# that must not change the output (a refactoring), run it before landing.
#
#   scripts/compare-output.sh [REV]      (REV default: main)
#
# Builds REV (exported with `git archive`, so nothing in this checkout
# changes) and the working tree, then runs both binaries over the same
# inputs: every book in tests/books and the guide (the EPUB, the human and
# JSON diagnostics, `check`), every broken book in tests/bad (exit code and
# every message format), the download page and catalogue of two books, a
# generated benchmark book, and `bindery explain` for every code. Prints
# the differences and exits 1 when there are any.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
rev="${1:-main}"
work="${BINDERY_COMPARE_DIR:-${TMPDIR:-/tmp}/bindery-compare}"

rm -rf "$work/base-src" "$work/out-base" "$work/out-head" "$work/books"
mkdir -p "$work/base-src"
git archive "$rev" | tar -x -C "$work/base-src"
echo "building $rev" >&2
(cd "$work/base-src" && CARGO_TARGET_DIR="$work/target-base" cargo build --quiet --bin bindery)
echo "building the working tree" >&2
cargo build --quiet --bin bindery
base_bin="$work/target-base/debug/bindery"
head_bin="${CARGO_TARGET_DIR:-$repo/target}/debug/bindery"

# The inputs, copied once so that neither run writes into the repository.
books="$work/books"
mkdir -p "$books/good" "$books/bad"
for dir in tests/books/*/; do
  cp -r "$dir" "$books/good/$(basename "$dir")"
done
mkdir -p "$books/good/guide"
cp -r book.toml README.md chapters assets "$books/good/guide/" 2>/dev/null || true
python3 benches/gen_book.py "$books/good/generated" --chapters 40 --words 600 --images 4 --seed 7 >/dev/null
# Links and images that lead nowhere, let through by `broken-links = "warn"`.
lenient="$books/good/lenient"
mkdir -p "$lenient/chapters" "$lenient/assets"
printf '[book]\ntitle = "Lenient"\nlanguage = "en"\n\n[markdown]\nbroken-links = "warn"\n' >"$lenient/book.toml"
printf '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>\n' >"$lenient/assets/here.svg"
printf '# One\n\n![here](../assets/here.svg) ![gone](../assets/gone.png) ![](gone.png)\n\n<p><img src="../assets/gone.svg" alt="raw"> <img src="../assets/here.svg" alt="raw here"></p>\n\n[nowhere](3-x.md) and [no id](2-two.md#none).\n' >"$lenient/chapters/1-one.md"
printf '# Two\n\n![again](../assets/gone.png) and ![remote](https://example.org/x.png)\n' >"$lenient/chapters/2-two.md"
# Windows line ends, tabs and control characters in code and math.
crlf="$books/good/crlf"
mkdir -p "$crlf/chapters"
printf '[book]\ntitle = "CRLF"\nlanguage = "en"\n' >"$crlf/book.toml"
printf '# One\r\n\r\nText\r\nmore\ttext.\r\n\r\n```rust\r\nfn main() {\r\n\tlet s = "a\x0cb";\r\n}\r\n```\r\n\r\n    indented\r\n    code\r\n\r\n$$\r\na <\tb\r\n= c\r\n$$\r\n\r\nInline $x\t<\ty$ and `co\tde`.\r\n' >"$crlf/chapters/1-one.md"
for dir in tests/bad/*/; do
  cp -r "$dir" "$books/bad/$(basename "$dir")"
done

run_all() {
  local bin="$1" out="$2"
  mkdir -p "$out"
  local tree="$out/tree"
  cp -r "$books" "$tree"
  cd "$tree"
  export SOURCE_DATE_EPOCH=1700000000 NO_COLOR=1
  for dir in good/*/; do
    local name
    name="$(basename "$dir")"
    set +e
    "$bin" build "good/$name" -o "../epub/$name.epub" >"$out/$name.build.out" 2>"$out/$name.build.err"
    echo "exit $?" >>"$out/$name.build.err"
    "$bin" check "good/$name" --message-format json >"$out/$name.check.json" 2>"$out/$name.check.err"
    echo "exit $?" >>"$out/$name.check.err"
    "$bin" check "good/$name" >"$out/$name.check.out" 2>>"$out/$name.check.err"
    echo "exit $?" >>"$out/$name.check.err"
    set -e
  done
  for dir in bad/*/; do
    local name
    name="$(basename "$dir")"
    set +e
    for format in human json github sarif; do
      "$bin" build "bad/$name" -o "../bad-epub/$name.epub" --message-format "$format" \
        >"$out/bad-$name.$format.out" 2>"$out/bad-$name.$format.err"
      echo "exit $?" >>"$out/bad-$name.$format.err"
    done
    set -e
  done
  set +e
  "$bin" build 'good/m*' good/full-metadata --out-dir ../many >"$out/many.out" 2>&1
  echo "exit $?" >>"$out/many.out"
  "$bin" build good/minimal ./good/minimal >"$out/clash.out" 2>&1
  echo "exit $?" >>"$out/clash.out"
  "$bin" site good/full-metadata -o "../site-one" >"$out/site-one.out" 2>&1
  "$bin" site good/full-metadata good/minimal -o "../site-many" >"$out/site-many.out" 2>&1
  for code in $(grep -o '^@B[0-9]*' "$repo/src/diag/explain.txt" | tr -d @); do
    "$bin" explain "$code" >>"$out/explain.out" 2>&1
  done
  set -e
  cd "$out"
  rm -rf "$tree"
}

(run_all "$base_bin" "$work/out-base")
(run_all "$head_bin" "$work/out-head")

if diff -r "$work/out-base" "$work/out-head"; then
  echo "no difference: $rev and the working tree write the same bytes" >&2
else
  echo "the output differs (above: < $rev, > working tree)" >&2
  exit 1
fi
