#!/usr/bin/env python3
"""Summarise DAISY Ace reports (report.json) as Markdown; used by scripts/ace.sh.

Usage: ace-summary.py NAME=PATH/report.json [NAME=PATH/report.json ...]

Prints a table of failed assertions by impact per book, then, for each
critical or serious one, its rule, Ace's message, the file and the element.
Exits 1 if any book has a critical or serious violation, else 0.

In report.json, "assertions" holds one earl:assertion per checked file (its
"earl:testSubject" has the file's "url"), each with its own "assertions": the
individual checks, whose "earl:test" has the rule id ("dct:title"), the
"earl:impact" and the rule's description, and whose "earl:result" has the
outcome, what failed ("dct:description"), "earl:pointer" (CSS selectors, CFIs)
and the element's "html".
"""
import json
import sys

IMPACTS = ["critical", "serious", "moderate", "minor"]
BLOCKING = {"critical", "serious"}


def failures(node, subject=None):
    """Yield (file url, assertion) for every failed leaf assertion."""
    subject = (node.get("earl:testSubject") or {}).get("url", subject)
    children = node.get("assertions") or []
    if not children and node.get("earl:test"):
        if (node.get("earl:result") or {}).get("earl:outcome") == "fail":
            yield subject, node
    for child in children:
        yield from failures(child, subject)


def one_line(text, limit=200):
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cell(text):
    return str(text).replace("|", "\\|")


def main(args):
    if not args:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    rows, details, blocking = [], [], False
    for arg in args:
        name, _, path = arg.partition("=")
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
        counts = dict.fromkeys(IMPACTS, 0)
        rules = {}
        for url, a in failures(report):
            test = a["earl:test"]
            impact = test.get("earl:impact", "unknown")
            counts[impact] = counts.get(impact, 0) + 1
            if impact in BLOCKING:
                rule = test.get("dct:title", "?")
                rules[rule] = rules.get(rule, 0) + 1
                details.append((name, impact, rule, url, test, a["earl:result"]))
        blocking = blocking or bool(rules)
        outcome = (report.get("earl:result") or {}).get("earl:outcome", "?")
        extra = sorted(k for k in counts if k not in IMPACTS)
        rows.append(
            [name, outcome]
            + [str(counts[i]) for i in IMPACTS + extra]
            + [", ".join(f"{r} ({n})" for r, n in sorted(rules.items())) or "—"]
        )

    print("| Book | Ace outcome | Critical | Serious | Moderate | Minor | Critical/serious rules |")
    print("| --- | --- | ---: | ---: | ---: | ---: | --- |")
    for row in rows:
        print("| " + " | ".join(cell(c) for c in row[:6] + row[-1:]) + " |")

    if details:
        # One entry per book, rule and file: the elements it flags there.
        groups = {}
        for name, impact, rule, url, test, result in details:
            groups.setdefault((name, rule, impact, url), []).append((test, result))
        print("\n### Critical and serious violations\n")
        for (name, rule, impact, url), found in groups.items():
            test, result = found[0]
            where = []
            for _, r in found:
                pointer = r.get("earl:pointer") or {}
                where += pointer.get("css") or pointer.get("cfi") or []
            print(f"- **{name}** · `{rule}` ({impact}) · `{url}` · {len(found)} element(s)")
            print(f"  - rule: {one_line(test.get('dct:description'))}")
            if result.get("dct:description"):
                print(f"  - failed: {one_line(result['dct:description'])}")
            if where:
                print(f"  - at: {one_line(', '.join(f'`{w}`' for w in where), 400)}")
            if result.get("html"):
                print(f"  - e.g.: `{one_line(result['html'])}`")
    return 1 if blocking else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
