#!/usr/bin/env python3
"""Benchmarks `bindery build` on synthetic books against `zip` (and pandoc when installed).

usage: run.py [--sizes small,medium,large,code] [--repeat R] [--keep DIR] [--json FILE]
              [--seed S] [--timeout SECONDS] [--no-pandoc]

Generates the books with gen_book.py, builds bindery with `cargo build --release`,
and for each book times (median of R runs, after one untimed warm-up build that must
report no error and no warning):
  bindery   target/release/bindery build BOOK -o OUT.epub   wall time, peak RSS
  zip       zip -r -6 -q OUT.zip BOOK                       the floor: read once, deflate once
  pandoc    pandoc --to epub3 over the chapters             only when pandoc is on PATH
Each book is also built as a copy whose fences have no language (```rust
becomes ```), so the difference is the cost of syntax highlighting.
Prints Markdown tables to stdout (progress goes to stderr); --json FILE writes the same data.
Python 3 standard library only.
"""
import argparse
import datetime
import json
import os
import platform
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
sys.dont_write_bytecode = True  # no __pycache__ in benches/
import gen_book  # noqa: E402

BOOKS = {
    "small": dict(chapters=20, words=3000, images=10),
    "medium": dict(chapters=300, words=3000, images=50),
    "large": dict(chapters=2000, words=3000, images=200),
    "code": dict(chapters=300, words=3000, images=50, code_heavy=True),
}
MiB = 2**20
NO_PANDOC = False  # set by --no-pandoc


def log(*args):
    print(*args, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- running a child
def measure(cmd, cwd=None, timeout=None):
    """Runs cmd once; returns wall seconds, peak RSS (bytes), CPU seconds, exit code,
    whether it timed out, and its stderr. The child is reaped with os.wait4, so the
    rusage (and so the max RSS) is that one child's (and its waited-for children's)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        killed = threading.Event()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)

        def kill():
            killed.set()
            proc.kill()

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if timer:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return {
            "wall_s": wall,
            "max_rss_bytes": usage.ru_maxrss * 1024,  # KiB on Linux
            "cpu_s": usage.ru_utime + usage.ru_stime,
            "exit": proc.returncode,
            "timed_out": killed.is_set(),
            "stderr": err.read().decode("utf-8", "replace"),
        }


def summary(runs):
    ok = [r for r in runs if r["exit"] == 0 and not r["timed_out"]]
    if not ok:
        return {"runs": [{k: v for k, v in r.items() if k != "stderr"} for r in runs],
                "median_s": None, "min_s": None, "median_rss_mib": None, "median_cpu_s": None}
    return {
        "runs": [{k: v for k, v in r.items() if k != "stderr"} for r in runs],
        "median_s": statistics.median(r["wall_s"] for r in ok),
        "min_s": min(r["wall_s"] for r in ok),
        "median_rss_mib": statistics.median(r["max_rss_bytes"] for r in ok) / MiB,
        "median_cpu_s": statistics.median(r["cpu_s"] for r in ok),
    }


DIAG = re.compile(r"^(warning|error)(\[[A-Z0-9-]+\])?:", re.M)


def check_build(name, result):
    """The warm-up build must succeed with no diagnostics; returns the diagnostic lines."""
    lines = [m.group(0) + result["stderr"][m.end():].split("\n", 1)[0] for m in DIAG.finditer(result["stderr"])]
    if result["exit"] != 0 or lines:
        log(f"  !! {name}: exit {result['exit']}, {len(lines)} diagnostic(s):")
        log("     " + result["stderr"].strip().replace("\n", "\n     ")[:4000])
    return lines


# --------------------------------------------------------------------------- books
def tree_size(path, suffix=None):
    total = files = 0
    for dirpath, _, names in os.walk(path):
        for n in names:
            if suffix is None or n.endswith(suffix):
                total += os.path.getsize(os.path.join(dirpath, n))
                files += 1
    return total, files


def make_book(name, params, books_dir, seed):
    """Generates the book, or reuses one that a --keep run made with the same parameters."""
    path = os.path.join(books_dir, name)
    stamp = os.path.join(books_dir, f"{name}.params.json")
    want = dict(params, seed=seed, generator=file_digest(os.path.join(HERE, "gen_book.py")))
    if os.path.isdir(path) and os.path.exists(stamp):
        with open(stamp) as f:
            if json.load(f) == want:
                log(f"  reusing {path}")
                return path
    start = time.perf_counter()
    gen_book.generate(path, params["chapters"], params["words"], params["images"],
                      params.get("code_heavy", False), seed)
    with open(stamp, "w") as f:
        json.dump(want, f)
    log(f"  generated {path} in {time.perf_counter() - start:.1f} s")
    return path


def file_digest(path):
    import hashlib
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:16]


FENCE = re.compile(r"^```[^\s`]+[ \t]*$", re.M)


def without_languages(src, dst):
    """A copy of the book whose fences carry no language: nothing is highlighted."""
    if os.path.exists(dst):
        shutil.rmtree(dst)
    shutil.copytree(src, dst)
    chapters = os.path.join(dst, "chapters")
    fences = 0
    for n in os.listdir(chapters):
        p = os.path.join(chapters, n)
        with open(p, encoding="utf-8") as f:
            text = f.read()
        text, k = FENCE.subn("```", text)
        fences += k
        with open(p, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    return fences


def natural_key(name):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]


# --------------------------------------------------------------------------- environment
def environment():
    def run(cmd, cwd=ROOT):
        try:
            return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True).stdout.strip()
        except OSError:
            return None

    cpu = None
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    rev = run(["git", "rev-parse", "--short", "HEAD"])
    dirty = bool(run(["git", "status", "--porcelain", "--untracked-files=no", "--", "src", "Cargo.toml", "Cargo.lock"]))
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": cpu or platform.processor(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "rustc": run(["rustc", "--version"]),
        "zip": ((run(["zip", "-v"]) or "").split("\n") + ["", ""])[1].strip(),
        "pandoc": (run(["pandoc", "--version"]) or "").split("\n")[0] if shutil.which("pandoc") else None,
        "git": (rev or "?") + ("+dirty" if dirty else ""),
        "loadavg_at_start": os.getloadavg(),
    }


def build_bindery():
    log("cargo build --release ...")
    proc = subprocess.run(["cargo", "build", "--release", "--message-format=json-render-diagnostics"],
                          cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.exit("cargo build --release failed")
    exe = None
    for line in proc.stdout.splitlines():
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        if msg.get("reason") == "compiler-artifact" and msg.get("executable") \
                and msg["target"]["name"] == "bindery":
            exe = msg["executable"]
    return exe or os.path.join(ROOT, "target", "release", "bindery")


# --------------------------------------------------------------------------- the benchmark
def bench_book(name, params, book, out_dir, exe, repeat, timeout):
    size, files = tree_size(book)
    md_size, _ = tree_size(os.path.join(book, "chapters"), ".md")
    res = {"book": name, "params": params, "sources_bytes": size, "markdown_bytes": md_size,
           "files": files}
    epub = os.path.join(out_dir, f"{name}.epub")
    zipf = os.path.join(out_dir, f"{name}.zip")
    bindery_cmd = [exe, "build", book, "-o", epub]

    log(f"  warm-up build of {name}")
    res["diagnostics"] = check_build(name, measure(bindery_cmd, timeout=timeout))

    # The same book with no language on its fences: the difference is highlighting.
    plain = book + "-nohl"
    res["fences_stripped"] = without_languages(book, plain)
    plain_cmd = [exe, "build", plain, "-o", os.path.join(out_dir, f"{name}-nohl.epub")]
    res["nohl_diagnostics"] = check_build(name + "-nohl", measure(plain_cmd, timeout=timeout))

    pandoc_cmd = None
    if shutil.which("pandoc") and not NO_PANDOC:
        chapters = sorted((n for n in os.listdir(os.path.join(book, "chapters")) if n.endswith(".md")),
                          key=natural_key)
        pandoc_cmd = ["pandoc", "--from", "markdown", "--to", "epub3", "--resource-path", ".",
                      "--metadata", f"title={name}", "--metadata", "lang=en",
                      "-o", os.path.join(out_dir, f"{name}-pandoc.epub")] + chapters

    runs = {"bindery": [], "zip": [], "nohl": [], "pandoc": []}
    for k in range(repeat):
        log(f"  {name}: run {k + 1}/{repeat}")
        runs["bindery"].append(measure(bindery_cmd, timeout=timeout))
        if os.path.exists(zipf):
            os.remove(zipf)  # zip would update an existing archive
        runs["zip"].append(measure(["zip", "-r", "-6", "-q", zipf, os.path.basename(book)],
                                   cwd=os.path.dirname(book), timeout=timeout))
        runs["nohl"].append(measure(plain_cmd, timeout=timeout))
        if pandoc_cmd:
            r = measure(pandoc_cmd, cwd=os.path.join(book, "chapters"), timeout=timeout)
            runs["pandoc"].append(r)
            if r["timed_out"] or r["exit"] != 0:
                log(f"  pandoc: {'timed out' if r['timed_out'] else 'exit ' + str(r['exit'])}; not repeated")
                break
    for tool in ("bindery", "zip"):
        res[tool] = summary(runs[tool])
    res["bindery_epub_bytes"] = os.path.getsize(epub) if os.path.exists(epub) else None
    res["zip_bytes"] = os.path.getsize(zipf) if os.path.exists(zipf) else None
    res["pandoc"] = summary(runs["pandoc"]) if pandoc_cmd else None
    if pandoc_cmd and res["pandoc"]["median_s"] is None:
        res["pandoc"]["failure"] = "timed out" if runs["pandoc"][-1]["timed_out"] else \
            runs["pandoc"][-1]["stderr"][-2000:]
    b, z = res["bindery"]["median_s"], res["zip"]["median_s"]
    res["ratio"] = b / z if b and z else None
    res["bindery_s_per_mib"] = b / (size / MiB) if b else None
    res["bindery_s_per_md_mib"] = b / (md_size / MiB) if b else None
    res["zip_s_per_mib"] = z / (size / MiB) if z else None
    nohl = summary(runs["nohl"])
    res["nohl"] = nohl
    if b and nohl["median_s"]:
        bc, nc = res["bindery"]["median_cpu_s"], nohl["median_cpu_s"]
        res["highlight"] = {
            "with_s": b, "without_s": nohl["median_s"],
            "share_of_wall": (b - nohl["median_s"]) / b,
            "with_cpu_s": bc, "without_cpu_s": nc,
            "share_of_cpu": (bc - nc) / bc,
            "with_rss_mib": res["bindery"]["median_rss_mib"],
            "without_rss_mib": nohl["median_rss_mib"],
        }
    return res


def fmt(x, digits=2):
    return "—" if x is None else f"{x:.{digits}f}"


def report(results, env, repeat):
    out = []
    out.append(f"bindery benchmark, {env['date']}, {env['nproc']} CPU(s): {env['cpu']}, "
               f"git {env['git']}, median of {repeat} run(s), load average "
               f"{env['loadavg_at_start'][0]:.2f} at start, {env['loadavg_at_end'][0]:.2f} at end")
    out.append("")
    out.append("| book | sources MiB | files | bindery s | bindery MiB RSS | zip s | zip MiB | ratio | pandoc s |")
    out.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|")
    for r in results:
        p = r["pandoc"]
        if p is None:
            ps = "not installed"
        elif p["median_s"] is None:
            ps = "failed" if p.get("failure") != "timed out" else "timed out"
        else:
            ps = fmt(p["median_s"])
        out.append(f"| {r['book']} | {r['sources_bytes'] / MiB:.1f} | {r['files']} | "
                   f"{fmt(r['bindery']['median_s'])} | {fmt(r['bindery']['median_rss_mib'], 0)} | "
                   f"{fmt(r['zip']['median_s'])} | {fmt(r['zip']['median_rss_mib'], 1)} | "
                   f"{fmt(r['ratio'], 1)} | {ps} |")
    out.append("")
    out.append("Scaling (seconds per MiB; a flat column means linear cost):")
    out.append("")
    out.append("| book | sources MiB | Markdown MiB | bindery s/MiB | bindery s/MiB of Markdown "
               "| bindery CPU s/MiB | zip s/MiB | bindery RSS / sources |")
    out.append("|---|--:|--:|--:|--:|--:|--:|--:|")
    for r in results:
        rss = r["bindery"]["median_rss_mib"]
        cpu = r["bindery"]["median_cpu_s"]
        out.append(f"| {r['book']} | {r['sources_bytes'] / MiB:.1f} | {r['markdown_bytes'] / MiB:.1f} | "
                   f"{fmt(r['bindery_s_per_mib'], 3)} | {fmt(r['bindery_s_per_md_mib'], 3)} | "
                   f"{fmt(cpu / (r['sources_bytes'] / MiB) if cpu else None, 3)} | "
                   f"{fmt(r['zip_s_per_mib'], 3)} | "
                   f"{fmt(rss / (r['sources_bytes'] / MiB) if rss else None, 1)} |")
    out.append("")
    out.append("Cost of syntax highlighting: the same book built again with its fences' "
               "languages removed (```rust -> ```):")
    out.append("")
    out.append("| book | fences | with s | without s | share of wall time | with CPU s | without CPU s "
               "| share of CPU time | RSS MiB with | RSS MiB without |")
    out.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for r in results:
        h = r.get("highlight")
        if h:
            out.append(f"| {r['book']} | {r['fences_stripped']} | {fmt(h['with_s'])} | "
                       f"{fmt(h['without_s'])} | {h['share_of_wall'] * 100:.0f}% | "
                       f"{fmt(h['with_cpu_s'])} | {fmt(h['without_cpu_s'])} | "
                       f"{h['share_of_cpu'] * 100:.0f}% | {fmt(h['with_rss_mib'], 0)} | "
                       f"{fmt(h['without_rss_mib'], 0)} |")
    if not shutil.which("pandoc") or NO_PANDOC:
        out.append("")
        out.append("pandoc left out (--no-pandoc)" if NO_PANDOC else "pandoc not installed")
    bad = [(r["book"], r["diagnostics"] + r.get("nohl_diagnostics", [])) for r in results
           if r["diagnostics"] or r.get("nohl_diagnostics")]
    for book, lines in bad:
        out.append("")
        out.append(f"{book}: {len(lines)} diagnostic(s) in the warm-up build, e.g. {lines[0]}")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="small,medium,large,code",
                    help=f"comma-separated books to run, from {', '.join(BOOKS)} (default: all)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per tool and book (median)")
    ap.add_argument("--keep", metavar="DIR", help="generate the books into DIR and keep them "
                    "(reused by later runs with the same parameters)")
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=600, help="seconds per run (default 600)")
    ap.add_argument("--no-pandoc", action="store_true", help="leave pandoc out even when installed")
    a = ap.parse_args()
    global NO_PANDOC
    NO_PANDOC = a.no_pandoc
    sizes = [s.strip() for s in a.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in BOOKS]
    if unknown or not sizes or a.repeat < 1:
        ap.error(f"unknown book(s) {', '.join(unknown)}; choose from {', '.join(BOOKS)}"
                 if unknown else "need at least one size and --repeat >= 1")
    for tool in ("cargo", "zip"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is not on PATH")

    exe = build_bindery()
    env = environment()
    tmp = tempfile.mkdtemp(prefix="bindery-bench-")
    books_dir = os.path.abspath(a.keep) if a.keep else os.path.join(tmp, "books")
    out_dir = os.path.join(tmp, "out")
    os.makedirs(books_dir, exist_ok=True)
    os.makedirs(out_dir)
    results = []
    try:
        for name in sizes:
            log(f"{name}: {BOOKS[name]}")
            book = make_book(name, BOOKS[name], books_dir, a.seed)
            results.append(bench_book(name, BOOKS[name], book, out_dir, exe, a.repeat, a.timeout))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    env["loadavg_at_end"] = os.getloadavg()
    print(report(results, env, a.repeat))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"environment": env, "repeat": a.repeat, "books": results}, f, indent=2)
            f.write("\n")
    if any(r["diagnostics"] or r.get("nohl_diagnostics") or r["bindery"]["median_s"] is None
           for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
