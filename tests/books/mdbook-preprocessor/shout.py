"""An mdBook preprocessor: `{{shout words}}` becomes WORDS."""
import json
import re
import sys

if len(sys.argv) > 1 and sys.argv[1] == "supports":
    sys.exit(0)

context, book = json.load(sys.stdin)


def visit(items):
    for item in items:
        if isinstance(item, dict) and "Chapter" in item:
            chapter = item["Chapter"]
            chapter["content"] = re.sub(
                r"\{\{shout ([^}]*)\}\}", lambda m: m.group(1).upper(), chapter["content"]
            )
            visit(chapter["sub_items"])


visit(book["sections"])
json.dump(book, sys.stdout)
