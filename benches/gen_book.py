#!/usr/bin/env python3
"""Writes a synthetic bindery book for benchmarks (Python 3 standard library only).

usage: gen_book.py OUT_DIR --chapters N --words W --images K [--code-heavy] [--seed S]

OUT_DIR gets book.toml, chapters/NNNN-slug.md (no [[chapters]]: bindery takes
chapters/*.md in natural order) and assets/img-NNNN.png. The same arguments
always give the same bytes.

Each chapter has an h1 and several h2/h3 headings (plain ASCII words, unique in
the chapter, so their ids are the text lower-cased with spaces as hyphens),
paragraphs with emphasis, strong, inline code, strikethrough, external links
and links to headings of other chapters (`[text](0002-x.md#some-heading)`),
footnotes, bullet, nested and ordered lists, tables, block quotes, paragraphs
in Greek, Cyrillic, Arabic, Chinese and Devanagari, fenced code in a dozen
languages, and images. With --code-heavy about half of the text (by bytes) is
fenced code. The prose never contains `$` (TeX math to bindery), `<`, `&` or
raw HTML, and every footnote definition is referred to and every image has
alt text, so a generated book builds with no warning.
"""
import argparse
import os
import random
import shutil
import struct
import sys
import zlib

# Prose vocabulary: lower-case ASCII letters only, so nothing in it is markup.
PROSE = """
the the the the of of of and and and to to to in in a a a is was that it for on with as
by at from this which but not be are or have had one all were when there an their been
would what so if out about more into than them could time only other some these two may
then first any new like now such our over most also made after did many before must
through back years where much your way well down should because each just those people
how too little state good very make world still own see men work long get here between
both life being under never day same another know while last might great old year off
come since against go came right used take three himself few house use during without
again place around however home small found thought went say part once general high
upon school every family until always side water quite number whole light voice river
garden letter window morning evening harbour margin ledger archive bridge lantern orchard
compass engine signal pattern witness measure border season method result answer reader
writer printer binder paper ink press folio quire spine cover page line word sentence
chapter volume index catalogue shelf library street market city valley mountain island
forest field meadow winter summer spring autumn north south east west quiet careful
narrow distant golden silver hollow bright restless patient simple common secret final
early late slowly often rarely nearly almost perhaps certainly clearly gently suddenly
carries keeps holds writes reads binds folds sews prints sends finds leaves brings turns
opens closes follows crosses reaches returns remembers forgets measures gathers shows
""".split()

HEADING_ADJ = """quiet hidden early late northern southern silver broken distant final open
narrow golden patient careful restless simple hollow bright common secret second last
winter summer western eastern upper lower inner outer small large plain""".split()
HEADING_NOUN = """harbour ledger archive margin river garden method result season border
bridge letter engine compass lantern signal orchard threshold witness measure pattern
account quarry meadow station library printer binding folio index chart map voyage
record notebook""".split()

SCRIPTS = {
    # name: (words, joiner, sentence end)
    "Greek": ("""λόγος βιβλίο θάλασσα ήλιος φως χρόνος άνθρωπος πόλη νερό δρόμος ουρανός
                 καρδιά μνήμη γράμμα σελίδα νύχτα ημέρα βουνό ποτάμι κήπος""".split(), " ", "."),
    "Cyrillic": ("""книга море время город дорога свет слово человек вода небо сердце память
                    письмо страница ночь день гора река сад окно""".split(), " ", "."),
    "Arabic": ("""كتاب بحر وقت مدينة طريق نور كلمة إنسان ماء سماء قلب ذاكرة رسالة صفحة ليل
                  نهار جبل نهر حديقة نافذة""".split(), " ", "."),
    "Chinese": ("""书 海 时间 城市 道路 光 词语 人 水 天空 心 记忆 信 页 夜 白天 山 河 花园
                   窗户""".split(), "", "。"),
    "Devanagari": ("""किताब समुद्र समय शहर रास्ता प्रकाश शब्द मनुष्य पानी आकाश हृदय स्मृति पत्र
                      पृष्ठ रात दिन पहाड़ नदी बगीचा खिड़की""".split(), " ", "।"),
}


# --------------------------------------------------------------------------- code samples
# Each language has snippets; @N@ is an identifier, @K@ a number, @W@ a word.
# Snippets are repeated with fresh names to make longer blocks.
CODE = {
    "rust": [
        """/// Reads @W@ records and keeps the valid ones.
pub fn @N@(input: &[u8], limit: usize) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(input.len().min(limit));
    for (i, &b) in input.iter().enumerate() {
        if b == b'<' || i > @K@ {
            continue; // skip "markup" & noise
        }
        out.push(b.to_ascii_lowercase());
    }
    Ok(out)
}""",
        """#[derive(Debug, Clone, PartialEq, Eq)]
pub struct @N@ {
    pub id: u32,
    pub title: String,
    pub tags: Vec<&'static str>,
}

impl @N@ {
    pub const MAX: usize = @K@;
    pub fn new(id: u32) -> Self {
        Self { id, title: String::from("@W@"), tags: vec!["a", "b"] }
    }
}""",
        """match @N@.get(&key) {
    Some(v) if *v > @K@ => println!("{key}: {v:>8.2}"),
    Some(_) => {}
    None => return Err(format!("no {key:?} in @W@").into()),
}""",
    ],
    "python": [
        '''def @N@(items, limit=@K@):
    """Return the @W@ items below limit."""
    out = []
    for i, x in enumerate(items):
        if x < limit and i % 2 == 0:  # every other one
            out.append(x * 2)
    return out''',
        """class @N@:
    count = @K@

    def __init__(self, name: str) -> None:
        self.name = name
        self.seen = {}

    def __repr__(self):
        return f"@N@({self.name!r}, {len(self.seen)})\"""",
        """with open("@W@.txt", encoding="utf-8") as f:
    lines = [line.rstrip() for line in f if line.strip()]
print(len(lines), sum(map(len, lines)) / max(1, len(lines)))""",
    ],
    "js": [
        """export async function @N@(url, retries = @K@) {
  for (let i = 0; i < retries; i++) {
    const res = await fetch(url, { headers: { Accept: "application/json" } });
    if (res.ok) return res.json();
    await new Promise((r) => setTimeout(r, 100 * i)); // back off
  }
  throw new Error(`@W@: gave up after ${retries} tries`);
}""",
        """const @N@ = items
  .filter((x) => x.size > @K@ && !x.hidden)
  .map(({ name, size }) => ({ name: name.toUpperCase(), size }))
  .sort((a, b) => b.size - a.size);""",
    ],
    "c": [
        """#include <stdio.h>
#include <string.h>

/* Counts the @W@ bytes in s. */
static int @N@(const char *s, size_t n) {
    int count = 0;
    for (size_t i = 0; i < n && s[i] != '\\0'; i++) {
        if (s[i] == '&' || s[i] > @K@) count++;
    }
    return count;
}""",
        """struct @N@ {
    unsigned id;
    char name[@K@];
    double weight; // in grams
};

int main(void) {
    struct @N@ x = { .id = 1, .weight = 2.5 };
    printf("%u %s %.2f\\n", x.id, x.name, x.weight);
    return 0;
}""",
    ],
    "go": [
        """// @N@ sums the @W@ values in range.
func @N@(xs []int) (sum int, err error) {
	for i, x := range xs {
		if x < 0 {
			return 0, fmt.Errorf("negative value %d at %d", x, i)
		}
		if x > @K@ {
			continue
		}
		sum += x
	}
	return sum, nil
}""",
        """type @N@ struct {
	Name  string `json:"name"`
	Count int    `json:"count,omitempty"`
}

func (v *@N@) String() string { return fmt.Sprintf("%s=%d", v.Name, v.Count) }""",
    ],
    "bash": [
        """#!/usr/bin/env bash
set -euo pipefail
# build every @W@ book
for dir in books/*/; do
  name="$(basename "$dir")"
  if [[ -f "$dir/book.toml" ]]; then
    bindery build "$dir" -o "out/$name.epub" || echo "failed: $name" >&2
  fi
done
echo "done: @K@"
""",
        """@N@() {
  local count=0
  while read -r line; do
    count=$((count + ${#line}))
  done < "${1:-/dev/stdin}"
  printf '%d\\n' "$count"
}""",
    ],
    "json": [
        """{
  "@N@": @K@,
  "title": "The @W@ book",
  "tags": ["alpha", "beta", "gamma"],
  "nested": { "ok": true, "value": null, "ratio": 0.25 }
}""",
    ],
    "toml": [
        """[book]
title = "The @W@"
authors = ["A. Writer", "B. Editor"]
language = "en"

[toc]
depth = 2  # @N@
""",
        """[@N@]
count = @K@
enabled = true
names = ["one", "two", "three"]
when = 2024-05-01""",
    ],
    "yaml": [
        """@N@:
  count: @K@
  items: [one, two, "three: four"]
  enabled: true
  text: |
    a @W@ in a block""",
    ],
    "sql": [
        """-- the @W@ report
SELECT @N@.name, count(*) AS n, avg(words) AS mean
FROM chapters AS @N@
WHERE words > @K@ AND title <> ''
GROUP BY @N@.name
ORDER BY n DESC
LIMIT 10;""",
    ],
    "java": [
        """public final class @N@ {
    private static final int LIMIT = @K@;

    public static void main(String[] args) {
        for (String a : args) {
            if (a.length() > LIMIT) {
                System.out.println("long: " + a); // @W@
            }
        }
    }
}""",
    ],
    "typescript": [
        """interface @N@ {
  id: number;
  name: string;
  tags?: readonly string[];
}

export function make@N@(id: number, name = "@W@"): @N@ {
  return { id, name, tags: id > @K@ ? ["big"] : [] };
}""",
    ],
    "css": [
        """.@N@ > p:first-child::first-letter {
  font-size: 2.5em; /* @W@ */
  float: left;
  margin: 0 0.1em 0 0;
  color: #@K@;
}""",
    ],
    "html": [
        """<section id="@N@">
  <h2>The @W@ section</h2>
  <p>Text with <em>emphasis</em> &amp; a <a href="#top">link</a>.</p>
  <img src="fig-@K@.png" alt="a figure">
</section>""",
    ],
}
CODE_LANGS = sorted(CODE)


def heading_id(text):
    """The id bindery gives a plain ASCII heading: lower case, spaces as hyphens."""
    return text.lower().replace(" ", "-")


# --------------------------------------------------------------------------- PNG images
def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def make_png(rng):
    """A small valid PNG: a gradient with bands of noise; a few KB to ~100 KB."""
    w = rng.randint(64, 400)
    h = rng.randint(64, 300)
    color_type, channels = rng.choice([(2, 3), (2, 3), (0, 1), (6, 4)])
    a = [rng.randrange(256) for _ in range(channels)]
    b = [rng.randrange(256) for _ in range(channels)]
    band = rng.choice([8, 16, 32])  # the gradient comes in flat bands, which deflate likes
    base = bytearray()
    for x in range(w):
        xb = x - x % band
        for c in range(channels):
            base.append((a[c] * (w - 1 - xb) + b[c] * xb) // max(1, w - 1))
    base = bytes(base)
    step = rng.randint(1, 3)
    # noise: on average up to ~60 KB of random bytes, which deflate cannot shrink
    # (a noisy row has about half of its bytes replaced)
    noise_rows = min(1.0, rng.uniform(0, 60_000) / (h * len(base) * 0.52))
    tables = {}
    rows = []
    for y in range(h):
        shift = (y * step) & 255
        table = tables.get(shift)
        if table is None:
            table = tables[shift] = bytes((v + shift) & 255 for v in range(256))
        row = base.translate(table)
        if rng.random() < noise_rows:
            n = len(row) // rng.randint(1, 4)
            at = rng.randrange(len(row) - n + 1)
            row = row[:at] + rng.randbytes(n) + row[at + n:]
        rows.append(b"\x00" + row)
    ihdr = struct.pack(">IIBBBBB", w, h, 8, color_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
            + png_chunk(b"IDAT", zlib.compress(b"".join(rows), 6)) + png_chunk(b"IEND", b""))


# --------------------------------------------------------------------------- the book plan
class Plan:
    """File names and headings of every chapter, decided before any is written,
    so that links can point at headings of chapters not yet written."""

    def __init__(self, n, words, seed):
        self.files, self.titles, self.headings = [], [], []
        width = max(4, len(str(n)))
        n_sections = max(2, min(12, words // 500))
        for i in range(n):
            r = random.Random(f"{seed}/plan/{i}")
            seen = set()

            def fresh(r=r, seen=seen):
                while True:
                    t = f"{r.choice(HEADING_ADJ).capitalize()} {r.choice(HEADING_NOUN)}"
                    if r.random() < 0.4:
                        t += f" and {r.choice(HEADING_NOUN)}"
                    if r.random() < 0.2:
                        t = "The " + t[0].lower() + t[1:]
                    if heading_id(t) not in seen:
                        seen.add(heading_id(t))
                        return t

            title = fresh()
            sections = []
            for _ in range(n_sections):
                sections.append((fresh(), [fresh() for _ in range(r.randint(0, 2))]))
            self.titles.append(title)
            self.files.append(f"{i + 1:0{width}d}-{heading_id(title)}.md")
            self.headings.append((title, sections))

    def all_headings(self, i):
        title, sections = self.headings[i]
        return [title] + [h for s, subs in sections for h in [s] + subs]


# --------------------------------------------------------------------------- one chapter
class Chapter:
    def __init__(self, plan, i, words, images, code_heavy, seed):
        self.plan, self.i, self.goal = plan, i, words
        self.images = images
        self.code_heavy = code_heavy
        self.r = random.Random(f"{seed}/chapter/{i}")
        self.notes = []
        self.words = 0
        self.prose_bytes = 0
        self.code_bytes = 0
        self.out = []

    # -- inline
    def link(self):
        r, plan = self.r, self.plan
        n = len(plan.files)
        text = " ".join(r.choices(PROSE, k=r.randint(1, 3)))
        c = r.random()
        if c < 0.15:
            target = "#" + heading_id(r.choice(plan.all_headings(self.i)))
        elif c < 0.25 or n == 1:
            target = f"https://example.org/{r.choice(HEADING_NOUN)}/{r.randint(1, 999)}"
        else:
            j = r.randrange(n - 1)
            j = j + 1 if j >= self.i else j
            target = plan.files[j]
            if r.random() < 0.8:
                target += "#" + heading_id(r.choice(plan.all_headings(j)))
        return f"[{text}]({target})"

    def footnote(self):
        r = self.r
        k = len(self.notes) + 1
        label = str(k) if r.random() < 0.7 else f"note{k}"
        self.notes.append((label, self.sentence(5, 14)))
        return f"[^{label}]"

    def sentence(self, lo=6, hi=20):
        r = self.r
        ws = r.choices(PROSE, k=r.randint(lo, hi))
        self.words += len(ws)
        ws[0] = ws[0].capitalize()
        if len(ws) > 9 and r.random() < 0.4:
            ws[r.randrange(3, len(ws) - 4)] += ","
        return " ".join(ws) + r.choice("....?!")

    def decorated_sentence(self):
        r = self.r
        ws = r.choices(PROSE, k=r.randint(6, 20))
        self.words += len(ws)
        ws[0] = ws[0].capitalize()
        for _ in range(r.randint(0, 2)):
            k = r.randrange(1, len(ws))
            c = r.random()
            if c < 0.25:
                ws[k] = f"*{ws[k]}*"
            elif c < 0.4:
                ws[k] = f"**{ws[k]}**"
            elif c < 0.5:
                ws[k] = f"`{ws[k]}_{r.randint(0, 99)}()`"
            elif c < 0.55:
                ws[k] = f"~~{ws[k]}~~"
            elif c < 0.8:
                ws[k] = self.link()
            elif c < 0.9:
                _, (vocab, joiner, _end) = r.choice(list(SCRIPTS.items()))
                ws[k] += " " + joiner.join(r.choices(vocab, k=2))
            else:
                ws[k] = f"_{ws[k]}_"
        s = " ".join(ws) + r.choice("....?!")
        if r.random() < 0.1:
            s += self.footnote()
        return s

    def paragraph(self):
        r = self.r
        return wrap(" ".join(self.decorated_sentence() for _ in range(r.randint(2, 6))))

    def foreign_paragraph(self):
        r = self.r
        _, (vocab, joiner, end) = r.choice(list(SCRIPTS.items()))
        sentences = []
        for _ in range(r.randint(2, 5)):
            ws = r.choices(vocab, k=r.randint(5, 14))
            self.words += len(ws)
            sentences.append(joiner.join(ws) + end)
        return wrap(joiner.join(sentences) if joiner == "" else " ".join(sentences))

    # -- blocks
    def bullet_list(self, depth=0):
        r = self.r
        lines = []
        marker = r.choice("-*") if depth == 0 else "-"
        for _ in range(r.randint(2, 6)):
            lines.append("  " * depth + f"{marker} {self.decorated_sentence()}")
            if depth < 2 and r.random() < 0.2:
                lines.extend(self.bullet_list(depth + 1))
        return lines

    def ordered_list(self):
        r = self.r
        return [f"{k}. {self.decorated_sentence()}" for k in range(1, r.randint(3, 7))]

    def table(self):
        r = self.r
        cols = r.randint(3, 5)
        head = [r.choice(HEADING_NOUN).capitalize() for _ in range(cols)]
        align = [r.choice([":--", "--:", ":-:", "---"]) for _ in range(cols)]
        rows = ["| " + " | ".join(head) + " |", "|" + "|".join(align) + "|"]
        for _ in range(r.randint(3, 8)):
            cells = []
            for c in range(cols):
                if c and r.random() < 0.4:
                    cells.append(str(r.randint(0, 99999)))
                else:
                    ws = r.choices(PROSE, k=r.randint(1, 4))
                    self.words += len(ws)
                    cells.append(" ".join(ws))
            rows.append("| " + " | ".join(cells) + " |")
        return rows

    def quote(self):
        text = self.paragraph()
        return ["> " + line for line in text.split("\n")]

    def code(self):
        r = self.r
        lang = r.choice(CODE_LANGS)
        pieces = []
        for _ in range(r.randint(2, 5) if self.code_heavy else r.randint(1, 2)):
            s = r.choice(CODE[lang])
            s = s.replace("@N@", r.choice(HEADING_NOUN) + "_" + r.choice(HEADING_NOUN)
                          if lang not in ("java", "typescript", "go", "rust") else
                          r.choice(HEADING_NOUN).capitalize() + r.choice(HEADING_NOUN).capitalize())
            s = s.replace("@K@", str(r.randint(1, 9999))).replace("@W@", r.choice(PROSE))
            pieces.append(s.strip("\n"))
        body = "\n\n".join(pieces)
        self.words += len(body.split())
        return ["```" + lang] + body.split("\n") + ["```"]

    def image(self, j):
        r = self.r
        alt = " ".join(r.choices(PROSE, k=r.randint(3, 8))).capitalize()
        if r.random() < 0.4:
            return [f'![{alt}](../assets/img-{j + 1:04d}.png "Figure {j + 1}")']
        return [f"![{alt}](../assets/img-{j + 1:04d}.png)"]

    def block(self):
        r = self.r
        if self.code_heavy and self.code_bytes < self.prose_bytes:
            return self.code()
        kind = r.choices(
            ["p", "ul", "ol", "table", "quote", "foreign", "code", "hr"],
            [60, 7, 5, 4, 4, 5, 0 if self.code_heavy else 6, 1])[0]
        lines = {"p": lambda: [self.paragraph()], "ul": self.bullet_list,
                 "ol": self.ordered_list, "table": self.table, "quote": self.quote,
                 "foreign": lambda: [self.foreign_paragraph()], "code": self.code,
                 "hr": lambda: ["* * *"]}[kind]()
        return lines

    def emit(self, lines):
        size = sum(len(x) + 1 for x in lines)
        if lines[0].startswith("```"):
            self.code_bytes += size
        else:
            self.prose_bytes += size
        self.out.extend(lines)
        self.out.append("")

    def build(self):
        r = self.r
        title, sections = self.plan.headings[self.i]
        self.emit([f"# {title}"])
        self.emit([self.paragraph()])
        # images spread over the sections
        pending = {}
        for j in self.images:
            pending.setdefault(r.randrange(len(sections)), []).append(j)
        per_section = self.goal / len(sections)
        for s, (heading, subs) in enumerate(sections):
            self.emit([f"## {heading}"])
            goal = per_section * (s + 1)
            parts = [None] + subs  # None: the section's own text before its first h3
            per_part = (goal - self.words) / len(parts)
            for p, sub in enumerate(parts):
                if sub is not None:
                    self.emit([f"### {sub}"])
                self.emit([self.paragraph()])
                if p == 0:
                    for j in pending.get(s, []):
                        self.emit(self.image(j))
                part_goal = goal - per_part * (len(parts) - p - 1)
                while self.words < part_goal:
                    self.emit(self.block())
        for label, text in self.notes:
            self.emit([f"[^{label}]: {text}"])
        return "\n".join(self.out).rstrip("\n") + "\n"


def wrap(text, width=80):
    """Wraps at spaces outside link destinations; no line starts with a marker."""
    lines, line = [], ""
    for token in text.split(" "):
        if line and len(line) + 1 + len(token) > width and token[0].isalpha() and not token[0].isdigit():
            lines.append(line)
            line = token
        else:
            line = f"{line} {token}" if line else token
    if line:
        lines.append(line)
    return "\n".join(lines)


def generate(out, chapters, words, images, code_heavy=False, seed=1):
    """Writes the book; returns (total bytes of sources, number of files)."""
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "chapters"))
    os.makedirs(os.path.join(out, "assets"))
    total, files = 0, 0
    kind = "code-heavy " if code_heavy else ""
    toml = "\n".join([
        "[book]",
        f'title = "Synthetic {kind}book: {chapters} chapters, seed {seed}"',
        'authors = ["The bindery benchmark"]',
        'language = "en"',
        "",
    ])
    with open(os.path.join(out, "book.toml"), "w", encoding="utf-8", newline="\n") as f:
        f.write(toml)
    total += len(toml.encode())
    files += 1
    for j in range(images):
        data = make_png(random.Random(f"{seed}/image/{j}"))
        with open(os.path.join(out, "assets", f"img-{j + 1:04d}.png"), "wb") as f:
            f.write(data)
        total += len(data)
        files += 1
    plan = Plan(chapters, words, seed)
    by_chapter = {}
    for j in range(images):
        by_chapter.setdefault(j * chapters // max(1, images), []).append(j)
    for i in range(chapters):
        text = Chapter(plan, i, words, by_chapter.get(i, []), code_heavy, seed).build()
        data = text.encode("utf-8")
        with open(os.path.join(out, "chapters", plan.files[i]), "wb") as f:
            f.write(data)
        total += len(data)
        files += 1
    return total, files


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", metavar="OUT_DIR", help="the book folder to write (replaced if it exists)")
    ap.add_argument("--chapters", type=int, default=20)
    ap.add_argument("--words", type=int, default=3000, help="words per chapter (about)")
    ap.add_argument("--images", type=int, default=10)
    ap.add_argument("--code-heavy", action="store_true", help="about half of the text is code")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.chapters < 1 or a.words < 1 or a.images < 0:
        ap.error("--chapters and --words must be >= 1, --images >= 0")
    total, files = generate(a.out, a.chapters, a.words, a.images, a.code_heavy, a.seed)
    print(f"{a.out}: {a.chapters} chapters, {a.images} images, {files} files, "
          f"{total / 2**20:.1f} MiB", file=sys.stderr)


if __name__ == "__main__":
    main()
