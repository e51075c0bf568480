#!/usr/bin/env python3
"""Measures `bindery watch`: a rebuild after editing one chapter against a full build.

usage: rebuild.py [--size small|medium|large] [--edits N] [--keep DIR]

Generates the book with gen_book.py (large: 2,000 chapters of about 3,000 words,
200 images), builds bindery with `cargo build --release`, times one full
`bindery build`, then starts `bindery watch` on the book and edits one chapter
N times (appending a paragraph), reading the time of each rebuild from the line
watch prints. Reports the median rebuild and its ratio to the full build, both
measured in this one run. Python 3 standard library only.
"""
import argparse
import os
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import gen_book  # noqa: E402

SIZES = {
    "small": dict(chapters=20, words=3000, images=10),
    "medium": dict(chapters=300, words=3000, images=50),
    "large": dict(chapters=2000, words=3000, images=200),
}
LINE = re.compile(r"^(built|rebuilt) .* in ([0-9.]+) s \((\d+) of (\d+) chapters? rendered\)")


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="large", choices=sorted(SIZES))
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--keep", help="generate the book here and keep it")
    args = parser.parse_args()

    log("cargo build --release ...")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    binary = os.path.join(ROOT, "target", "release", "bindery")
    work = args.keep or tempfile.mkdtemp(prefix="bindery-rebuild-")
    book = os.path.join(work, args.size)
    if os.path.exists(book):
        shutil.rmtree(book)
    shape = SIZES[args.size]
    gen_book.generate(book, shape["chapters"], shape["words"], shape["images"], seed=1)
    out = os.path.join(work, "out.epub")

    start = time.perf_counter()
    subprocess.run([binary, "build", book, "-o", out], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    full = time.perf_counter() - start

    watch = subprocess.Popen([binary, "watch", book, "-o", out],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(l) for l in watch.stderr], daemon=True).start()

    def next_build():
        while True:
            line = lines.get(timeout=300)
            match = LINE.match(line)
            if match:
                return float(match.group(2)), int(match.group(3)), int(match.group(4))
            if line.startswith("error"):
                raise SystemExit(f"watch reported: {line}")

    first, _, chapters = next_build()
    chapter_dir = os.path.join(book, "chapters")
    target = os.path.join(chapter_dir, sorted(os.listdir(chapter_dir))[len(os.listdir(chapter_dir)) // 2])
    rebuilds = []
    try:
        for i in range(args.edits):
            time.sleep(0.5)
            with open(target, "a", encoding="utf-8") as f:
                f.write(f"\nAn edit made while watching, number {i + 1}.\n")
            seconds, rendered, _ = next_build()
            rebuilds.append(seconds)
            log(f"  edit {i + 1}: rebuilt in {seconds:.3f} s, {rendered} chapter(s) rendered")
    finally:
        watch.kill()
        watch.wait()
    median = statistics.median(rebuilds)
    print(f"book: {args.size} ({chapters} chapters)")
    print(f"full build (bindery build): {full:.2f} s; first build in watch: {first:.2f} s")
    print(f"rebuild after editing one chapter, median of {len(rebuilds)}: {median:.3f} s "
          f"= {100 * median / full:.0f}% of the full build")
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
