#!/usr/bin/env python3
"""Benchmarks `bindery build` on synthetic books against `zip` (and pandoc when installed).

usage: run.py [--sizes small,medium,large,code] [--repeat R] [--keep DIR] [--json FILE]
              [--seed S] [--timeout SECONDS] [--no-pandoc]
              [--shared | --no-shared] [--shared-gen PATH]

Generates the books with gen_book.py, builds bindery with `cargo build --release`,
and for each book times (median of R runs, after one untimed warm-up build that must
report no error and no warning):
  bindery   target/release/bindery build BOOK -o OUT.epub   wall time, peak RSS
  zip       zip -r -6 -q OUT.zip BOOK                       the floor: read once, deflate once
  pandoc    pandoc --to epub3 over the chapters             only when pandoc is on PATH
Each book is also built as a copy whose fences have no language (```rust
becomes ```), so the difference is the cost of syntax highlighting.

When ../shared/tools/gen-book.py exists (or --shared-gen PATH is given), the small,
medium and large books are also generated with that script (--bindery-only, same
chapters, words and images) and measured the same way in the same run, as the rows
shared-small, shared-medium and shared-large (bindery and zip, no pandoc). Their builds
may warn (e.g. images without alt text): warnings are counted, errors still fail.
--no-shared leaves them out; --shared fails if the script is missing.

Prints Markdown tables to stdout (progress goes to stderr), then one line per target
of issue 7 saying whether it is met; --json FILE writes the same data.
Python 3 standard library only; bindery does not need ../shared.
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
SHARED_SIZES = ("small", "medium", "large")  # the sizes also made with ../shared's gen-book.py
SHARED_GEN = os.path.normpath(os.path.join(ROOT, "..", "shared", "tools", "gen-book.py"))
MiB = 2**20
NO_PANDOC = False  # set by --no-pandoc
# The targets of issue 7 (2 cores): large bindery wall <= 1.0x zip -r -6 in the same run,
# medium pandoc >= 100x bindery, large peak memory < 200 MiB.
TARGET_ZIP_RATIO = 1.0
TARGET_PANDOC_RATIO = 100.0
TARGET_RSS_MIB = 200.0


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
                "median_s": None, "min_s": None, "median_rss_mib": None, "max_rss_mib": None,
                "median_cpu_s": None}
    return {
        "runs": [{k: v for k, v in r.items() if k != "stderr"} for r in runs],
        "median_s": statistics.median(r["wall_s"] for r in ok),
        "min_s": min(r["wall_s"] for r in ok),
        "median_rss_mib": statistics.median(r["max_rss_bytes"] for r in ok) / MiB,
        "max_rss_mib": max(r["max_rss_bytes"] for r in ok) / MiB,  # the highest peak of the runs
        "median_cpu_s": statistics.median(r["cpu_s"] for r in ok),
    }


DIAG = re.compile(r"^(warning|error)(\[[A-Z0-9-]+\])?:", re.M)
SUMMARY_LINE = re.compile(r"^error: could not (build|check) ")


def check_build(name, result, allow_warnings=False):
    """The warm-up build must exit 0 with no diagnostics (with allow_warnings: with no
    error; warnings are counted). Returns the exit code and the diagnostic lines."""
    lines = [m.group(0) + result["stderr"][m.end():].split("\n", 1)[0] for m in DIAG.finditer(result["stderr"])]
    lines = [x for x in lines if not SUMMARY_LINE.match(x)]  # "error: could not build `X` (3 errors)"
    warnings = [x for x in lines if x.startswith("warning")]
    if result["exit"] != 0 or len(warnings) < len(lines) or (warnings and not allow_warnings):
        log(f"  !! {name}: exit {result['exit']}, {len(lines)} diagnostic(s):")
        log("     " + result["stderr"].strip().replace("\n", "\n     ")[:4000])
    elif warnings:
        log(f"  {name}: {len(warnings)} warning(s), allowed for this book ({code_counts(warnings)})")
    return {"exit": result["exit"], "timed_out": result["timed_out"], "lines": lines}


def code_counts(lines):
    """'B255 ×12, B120 ×1' for diagnostic lines such as 'warning[B255]: ...'."""
    counts = {}
    for x in lines:
        m = re.match(r"\w+(?:\[([A-Z0-9-]+)\])?:", x)
        code = (m.group(1) if m else None) or "no code"
        counts[code] = counts.get(code, 0) + 1
    return ", ".join(f"{c} ×{n}" for c, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


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


def make_shared_book(name, params, books_dir, seed, script):
    """The same size of book written by ../shared/tools/gen-book.py (its bindery view only),
    or one that a --keep run made with the same parameters and the same script."""
    path = os.path.join(books_dir, "shared-" + name)
    stamp = os.path.join(books_dir, f"shared-{name}.params.json")
    want = dict(params, seed=seed, generator=file_digest(script))
    if os.path.isdir(path) and os.path.exists(stamp):
        with open(stamp) as f:
            if json.load(f) == want:
                log(f"  reusing {path}")
                return path
    if os.path.exists(path):
        shutil.rmtree(path)
    cmd = [sys.executable, script, "--out", path, "--chapters", str(params["chapters"]),
           "--words-per-chapter", str(params["words"]), "--images", str(params["images"]),
           "--seed", str(seed), "--bindery-only", "--force"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed (exit {proc.returncode}):\n{proc.stderr.strip()[-2000:]}")
    with open(stamp, "w") as f:
        json.dump(want, f)
    log(f"  generated {path} with {script} in {time.perf_counter() - start:.1f} s")
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
def bench_book(name, params, book, out_dir, exe, repeat, timeout, shared=False):
    """Times one book. shared: a book of ../shared's gen-book.py, whose builds may warn
    (the warnings are counted; an error still fails) and which pandoc is not run on."""
    size, files = tree_size(book)
    md_size, _ = tree_size(os.path.join(book, "chapters"), ".md")
    res = {"book": name, "generator": "shared/tools/gen-book.py" if shared else "benches/gen_book.py",
           "params": params, "sources_bytes": size, "markdown_bytes": md_size, "files": files}
    epub = os.path.join(out_dir, f"{name}.epub")
    zipf = os.path.join(out_dir, f"{name}.zip")
    bindery_cmd = [exe, "build", book, "-o", epub]

    log(f"  warm-up build of {name}")
    warm = check_build(name, measure(bindery_cmd, timeout=timeout), allow_warnings=shared)
    res["diagnostics"] = warm["lines"]

    # The same book with no language on its fences: the difference is highlighting.
    plain = book + "-nohl"
    res["fences_stripped"] = without_languages(book, plain)
    plain_cmd = [exe, "build", plain, "-o", os.path.join(out_dir, f"{name}-nohl.epub")]
    warm_nohl = check_build(name + "-nohl", measure(plain_cmd, timeout=timeout), allow_warnings=shared)
    res["nohl_diagnostics"] = warm_nohl["lines"]
    both = res["diagnostics"] + res["nohl_diagnostics"]
    res["warnings"] = sum(1 for x in res["diagnostics"] if x.startswith("warning"))
    res["errors"] = len(res["diagnostics"]) - res["warnings"]
    res["nohl_warnings"] = sum(1 for x in res["nohl_diagnostics"] if x.startswith("warning"))
    res["nohl_errors"] = len(res["nohl_diagnostics"]) - res["nohl_warnings"]
    res["warning_codes"] = code_counts([x for x in res["diagnostics"] if x.startswith("warning")])
    res["warm_up_exit"] = warm["exit"]
    res["nohl_warm_up_exit"] = warm_nohl["exit"]
    warm_ok = warm["exit"] == 0 and warm_nohl["exit"] == 0 and not warm["timed_out"] \
        and not warm_nohl["timed_out"]
    # Our own books must build cleanly; shared books may warn but not fail.
    res["warm_up_ok"] = warm_ok and (res["errors"] + res["nohl_errors"] == 0 if shared else not both)

    pandoc_cmd = None
    if shutil.which("pandoc") and not NO_PANDOC and not shared:
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
    # pandoc's rounds come after the others: a build right after pandoc
    # (a gigabyte of memory handed back to the system) runs slower, which
    # would charge pandoc's cost to bindery.
    for k in range(repeat if pandoc_cmd else 0):
        log(f"  {name}: pandoc run {k + 1}/{repeat}")
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
    res["pandoc_not_run"] = None if pandoc_cmd else (
        "not run on shared books" if shared else "left out (--no-pandoc)" if NO_PANDOC else "not installed")
    if pandoc_cmd and res["pandoc"]["median_s"] is None:
        res["pandoc"]["failure"] = "timed out" if runs["pandoc"][-1]["timed_out"] else \
            runs["pandoc"][-1]["stderr"][-2000:]
    b, z = res["bindery"]["median_s"], res["zip"]["median_s"]
    res["ratio"] = b / z if b and z else None  # bindery ÷ zip
    res["bindery_over_zip"] = res["ratio"]
    p = res["pandoc"]["median_s"] if res["pandoc"] else None
    res["pandoc_over_bindery"] = p / b if p and b else None
    res["pandoc_rss_over_bindery"] = res["pandoc"]["median_rss_mib"] / res["bindery"]["median_rss_mib"] \
        if p and res["bindery"]["median_rss_mib"] else None
    res["failed"] = not res["warm_up_ok"] or b is None
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
    out.append("| book | sources MiB | files | warnings | bindery s | bindery MiB RSS | zip s | zip MiB "
               "| bindery ÷ zip | pandoc s | pandoc MiB RSS | pandoc ÷ bindery |")
    out.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for r in results:
        p = r["pandoc"]
        if p is None:
            ps = {"not run on shared books": "not run", "left out (--no-pandoc)": "--no-pandoc"}.get(
                r["pandoc_not_run"], r["pandoc_not_run"])
            pm = "—"
        elif p["median_s"] is None:
            ps, pm = ("failed" if p.get("failure") != "timed out" else "timed out"), "—"
        else:
            ps, pm = fmt(p["median_s"]), fmt(p["median_rss_mib"], 0)
        out.append(f"| {r['book']} | {r['sources_bytes'] / MiB:.1f} | {r['files']} | {r['warnings']} | "
                   f"{fmt(r['bindery']['median_s'])} | {fmt(r['bindery']['median_rss_mib'], 0)} | "
                   f"{fmt(r['zip']['median_s'])} | {fmt(r['zip']['median_rss_mib'], 1)} | "
                   f"{fmt(r['ratio'], 2)} | {ps} | {pm} | {fmt(r['pandoc_over_bindery'], 1)} |")
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
    notes = []
    if not shutil.which("pandoc") or NO_PANDOC:
        notes.append("pandoc left out (--no-pandoc)." if NO_PANDOC else "pandoc not installed.")
    if any(r["generator"].startswith("shared") for r in results):
        notes.append(f"shared-* rows: books written by {env.get('shared_gen')} (--bindery-only), "
                     "bindery and zip only; their warnings are counted, not failures.")
    for r in results:
        lines = r["diagnostics"] + r.get("nohl_diagnostics", [])
        if not lines and r["warm_up_ok"]:
            continue
        if r["warm_up_ok"]:  # a shared book with warnings only
            notes.append(f"{r['book']}: {r['warnings']} warning(s) in the warm-up build "
                         f"({r['warning_codes']}), e.g. {lines[0]}")
        else:
            first = next((x for x in lines if x.startswith("error")), lines[0] if lines else None)
            notes.append(f"{r['book']}: FAILED: warm-up build exit {r['warm_up_exit']} "
                         f"(without highlighting: {r['nohl_warm_up_exit']}), {r['errors']} error(s) and "
                         f"{r['warnings']} warning(s)" + (f", e.g. {first}" if first else ""))
    if notes:
        out.append("")
        out.extend(notes)
    out.append("")
    out.append("Targets (issue 7; 2 cores; wall times are medians of the same run):")
    out.append("")
    out.extend("- " + t["text"] for t in targets(results))
    return "\n".join(out)


def targets(results):
    """One entry per target of issue 7 and book it applies to: met True/False, or None
    when it was not measured."""
    by = {r["book"]: r for r in results}
    out = []

    def add(target, book, value, met, text):
        out.append({"target": target, "book": book, "value": value, "met": met,
                    "text": f"{text}: " + {True: "met", False: "NOT MET", None: "not measured"}[met]})

    large = [n for n in ("large", "shared-large") if n in by] or [None]
    for n in large:
        t = f"large bindery wall ≤ {TARGET_ZIP_RATIO:.1f}× zip -r -6 (same run)"
        if n is None:
            add("bindery_over_zip", "large", None, None, f"{t} (large not in --sizes)")
            continue
        r = by[n]
        b, z = r["bindery"]["median_s"], r["zip"]["median_s"]
        if b is None or z is None:
            add("bindery_over_zip", n, None, None, f"{t}, {n} (a build failed)")
        else:
            add("bindery_over_zip", n, b / z, b / z <= TARGET_ZIP_RATIO,
                f"{t}, {n}: {b:.2f} s ÷ {z:.2f} s = {b / z:.2f}×")

    t = f"medium pandoc ≥ {TARGET_PANDOC_RATIO:.0f}× bindery"
    r = by.get("medium")
    if r is None:
        add("pandoc_over_bindery", "medium", None, None, f"{t} (medium not in --sizes)")
    elif r["pandoc"] is None:
        why = {"left out (--no-pandoc)": "pandoc left out with --no-pandoc"}.get(
            r["pandoc_not_run"], f"pandoc {r['pandoc_not_run']}")
        add("pandoc_over_bindery", "medium", None, None, f"{t} ({why})")
    else:
        b, p = r["bindery"]["median_s"], r["pandoc"]["median_s"]
        if b is None:
            add("pandoc_over_bindery", "medium", None, None, f"{t} (the bindery build failed)")
        elif p is None and r["pandoc"].get("failure") == "timed out":
            # pandoc took at least the timeout
            lo = max(x["wall_s"] for x in r["pandoc"]["runs"]) / b
            add("pandoc_over_bindery", "medium", lo, True if lo >= TARGET_PANDOC_RATIO else None,
                f"{t}: pandoc timed out, so at least {lo:.0f}× ({b:.2f} s for bindery)")
        elif p is None:
            add("pandoc_over_bindery", "medium", None, None, f"{t} (pandoc failed)")
        else:
            add("pandoc_over_bindery", "medium", p / b, p / b >= TARGET_PANDOC_RATIO,
                f"{t}: {p:.2f} s ÷ {b:.2f} s = {p / b:.0f}×")

    for n in large:
        t = f"large peak memory < {TARGET_RSS_MIB:.0f} MiB"
        if n is None:
            add("peak_rss_mib", "large", None, None, f"{t} (large not in --sizes)")
            continue
        m = by[n]["bindery"]["max_rss_mib"]
        if m is None:
            add("peak_rss_mib", n, None, None, f"{t}, {n} (a build failed)")
        else:
            add("peak_rss_mib", n, m, m < TARGET_RSS_MIB,
                f"{t}, {n}: {m:.0f} MiB (highest of the timed runs)")
    return out


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
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--shared", action="store_true", help="also run the small/medium/large books of "
                   "../shared/tools/gen-book.py as shared-* rows; fail if it is missing "
                   "(default: on when it exists)")
    g.add_argument("--no-shared", action="store_true", help="leave the shared-* books out")
    ap.add_argument("--shared-gen", metavar="PATH", default=SHARED_GEN,
                    help="the shared generator (default: ../shared/tools/gen-book.py beside the repository)")
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
    shared_gen = os.path.abspath(a.shared_gen)
    explicit = a.shared or a.shared_gen != SHARED_GEN
    use_shared = not a.no_shared and (explicit or os.path.isfile(shared_gen))
    if use_shared and not os.path.isfile(shared_gen):
        sys.exit(f"--shared: {shared_gen} does not exist")
    if not use_shared:
        log("shared books left out" + (" (--no-shared)" if a.no_shared else f" ({shared_gen} not found)"))

    exe = build_bindery()
    env = environment()
    env["shared_gen"] = shared_gen if use_shared else None
    env["shared_gen_sha256_16"] = file_digest(shared_gen) if use_shared else None
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
            if use_shared and name in SHARED_SIZES:
                # right after ours, so that both see about the same load
                log(f"shared-{name}: {BOOKS[name]} with {shared_gen}")
                book = make_shared_book(name, BOOKS[name], books_dir, a.seed, shared_gen)
                results.append(bench_book("shared-" + name, BOOKS[name], book, out_dir, exe,
                                          a.repeat, a.timeout, shared=True))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    # our books first, then the shared ones, each in the order of --sizes
    results.sort(key=lambda r: r["generator"].startswith("shared"))
    env["loadavg_at_end"] = os.getloadavg()
    print(report(results, env, a.repeat))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"environment": env, "repeat": a.repeat, "books": results,
                       "targets": targets(results)}, f, indent=2, ensure_ascii=False)
            f.write("\n")
    if any(r["failed"] for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
