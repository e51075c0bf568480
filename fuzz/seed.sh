#!/usr/bin/env bash
# Seeds fuzz/corpus/TARGET with inputs from the repository: the chapters
# and book.toml files of tests/books and tests/bad, a few raw HTML
# fragments, and small EPUBs built from tests/books/minimal. Run it from the
# repository root; it needs cargo and python3. The corpus is git-ignored.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=fuzz/corpus
mkdir -p "$corpus"/{markdown,manifest,html,inspect,include}

# A file's path, made into a flat file name.
flat() { printf '%s' "$1" | tr '/ ' '__'; }

find tests/books chapters -name '*.md' -print0 |
    while IFS= read -r -d '' f; do cp "$f" "$corpus/markdown/$(flat "$f")"; done
find tests/books tests/bad -name book.toml -print0 |
    while IFS= read -r -d '' f; do cp "$f" "$corpus/manifest/$(flat "$f")"; done

printf '%s' '<p>one<p>two<br>three &nbsp; <img src=x.png><b><i>x</b></i>' >"$corpus/html/broken"
printf '%s' '<center>c</center><font color=red>f</font><script>alert(1)</script><Listing>l</Listing><custom-el>k</custom-el><xmp>x</xmp>' >"$corpus/html/disallowed"
printf '%s' '<svg viewBox="0 0 10 10" onload="x()"><circle r="4"/><a xlink:href="#c"/><foreignObject><div>x</div></foreignObject></svg><math><mi>x</mi><mtext><b>t</b></mtext></math>' >"$corpus/html/foreign"
printf '%s' '<table><tr><td>a<td>b</table><span id=a>1</span><span id=a>2</span><a name=top href="b.md" onclick="x()">A &amp; B</a>' >"$corpus/html/table"

# Includes: a chapter and its files, separated by NUL bytes; a path that is
# a number names the file of that number.
printf '# A\n\n{{#include 0}}\n> {{#include 1:2:3}}\n\0line\n{{#include 1}}\n\0ANCHOR: a\nx\nANCHOR_END: a\n{{#include 0:a}}\n' >"$corpus/include/chain"
printf '```rust\n{{#rustdoc_include 0:2}}\n```\n{{#playground "1" editable}}\n{{#title T}}\n\{{#include 0}}\n\0fn main() {\n    let x = 1;\n}\n\0fn f() {}\n' >"$corpus/include/kinds"
printf '{{#include 0}}{{#include 0}}{{#include 0}}\n\0{{#include 1}}{{#include 1}}{{#include 1}}\n\0{{#include 2}}{{#include 2}}\n\0words words words\n' >"$corpus/include/multiply"
find tests/books/mdbook -name '*.md' -print0 |
    while IFS= read -r -d '' f; do cp "$f" "$corpus/include/$(flat "$f")"; done

# The minimal book, and two small EPUBs made from it without the cover and
# stylesheet (one stored, one deflated), which the fuzzer mutates faster.
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
SOURCE_DATE_EPOCH=0 cargo run --quiet -- build tests/books/minimal -o "$out/minimal.epub"
cp "$out/minimal.epub" "$corpus/inspect/minimal.epub"
python3 - "$out/minimal.epub" "$corpus/inspect" <<'PY'
import re, sys, zipfile
source = zipfile.ZipFile(sys.argv[1])
dropped = ("EPUB/css/", "EPUB/media/", "EPUB/text/cover.xhtml")
for name, method in (("small-stored.epub", zipfile.ZIP_STORED), ("small-deflated.epub", zipfile.ZIP_DEFLATED)):
    with zipfile.ZipFile(f"{sys.argv[2]}/{name}", "w") as epub:
        epub.writestr("mimetype", source.read("mimetype"), zipfile.ZIP_STORED)
        for entry in source.namelist():
            if entry == "mimetype" or entry.startswith(dropped):
                continue
            text = source.read(entry).decode()
            text = re.sub(r'\s*<(item|itemref|meta name="cover")[^>]*(cover|css)[^>]*/>', "", text)
            text = re.sub(r'\s*<link rel="stylesheet"[^>]*/>', "", text)
            text = re.sub(r'\s*<li><a epub:type="cover"[^>]*>Cover</a></li>', "", text)
            epub.writestr(entry, text, method)
PY
ls "$corpus"/* | wc -l
