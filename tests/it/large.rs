//! A large book, made at test time: hundreds of chapters with images,
//! footnotes, tables, code, cross-links and non-Latin scripts.

use crate::books::check_epub_structure;
use crate::support::{Epub, assert_epubcheck_clean, bindery};
use std::fmt::Write;
use std::path::Path;

/// A small deterministic generator (xorshift64*), so the book is the same
/// on every run without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "archive", "border", "bridge", "ledger", "margin", "river", "garden", "season", "letter",
    "signal", "quiet", "hidden", "early", "distant", "narrow", "patient", "careful", "simple",
    "bright", "common", "holds", "keeps", "finds", "brings", "writes", "reads", "builds", "draws",
    "the", "a", "of", "and", "to", "in", "with", "from", "between", "through", "after", "before",
];
const FOREIGN: &[&str] = &[
    "Zürich",
    "Łódź",
    "naïve",
    "Straße",
    "λόγος",
    "книга",
    "日本語の本",
    "中文电子书",
    "한국어 텍스트",
    "الكتاب",
    "ספר",
    "Hà Nội",
    "crème brûlée",
];
const LANGUAGES: &[&str] = &["rust", "python", "toml", "json", "sh", "c", "go", ""];

fn sentence(rng: &mut Rng) -> String {
    let n = 6 + rng.below(10);
    let mut words: Vec<String> = (0..n).map(|_| rng.pick(WORDS).to_string()).collect();
    if rng.below(4) == 0 {
        words.insert(rng.below(n), rng.pick(FOREIGN).to_string());
    }
    let mut s = words.join(" ");
    if let Some(first) = s.get(..1) {
        s = first.to_uppercase() + &s[1..];
    }
    s + "."
}

/// Writes a book of `chapters` chapters and `images` PNG images into `dir`.
pub fn generate(dir: &Path, chapters: usize, images: usize, seed: u64) {
    let mut rng = Rng(seed.max(1));
    std::fs::create_dir_all(dir.join("chapters")).unwrap();
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"A Large Generated Book\"\nauthors = [\"Generator\"]\nlanguage = \"en\"\ndate = \"2026-01-01\"\n",
    )
    .unwrap();
    for i in 0..images {
        std::fs::write(
            dir.join(format!("assets/fig-{i:03}.png")),
            png(16 + i as u32 % 16, 12, i as u8),
        )
        .unwrap();
    }
    let width = chapters.to_string().len();
    let file = |i: usize| format!("{:0width$}-chapter.md", i + 1);
    for i in 0..chapters {
        let mut md = String::new();
        let _ = writeln!(
            md,
            "# Chapter {}: {}\n",
            i + 1,
            sentence(&mut rng).trim_end_matches('.')
        );
        for section in 0..3 {
            let _ = writeln!(md, "## Section {section}\n");
            for _ in 0..2 {
                let _ = writeln!(
                    md,
                    "{} *{}* **{}** `code`\n",
                    sentence(&mut rng),
                    rng.pick(WORDS),
                    rng.pick(WORDS)
                );
            }
            match rng.below(6) {
                0 => {
                    let _ = writeln!(
                        md,
                        "| a | b | c |\n|:--|:-:|--:|\n| {} | {} | {} |\n",
                        rng.pick(WORDS),
                        rng.pick(FOREIGN),
                        rng.below(100)
                    );
                }
                1 => {
                    let lang = rng.pick(LANGUAGES);
                    let _ = writeln!(
                        md,
                        "```{lang}\nlet x = {};\nprint(\"<{}>\")\n```\n",
                        rng.below(1000),
                        rng.pick(WORDS)
                    );
                }
                2 => {
                    let _ = writeln!(
                        md,
                        "- {}\n  - {}\n    1. {}\n- [x] done\n- [ ] open\n",
                        rng.pick(WORDS),
                        rng.pick(WORDS),
                        rng.pick(FOREIGN)
                    );
                }
                3 if images > 0 => {
                    let _ = writeln!(
                        md,
                        "![Figure of {}](../assets/fig-{:03}.png \"A figure\")\n",
                        rng.pick(WORDS),
                        rng.below(images)
                    );
                }
                4 => {
                    let _ = writeln!(
                        md,
                        "> {}\n>\n> > {}\n",
                        sentence(&mut rng),
                        sentence(&mut rng)
                    );
                }
                _ => {
                    let _ = writeln!(
                        md,
                        "{}[^n{section}]\n\n[^n{section}]: {}\n",
                        sentence(&mut rng),
                        sentence(&mut rng)
                    );
                }
            }
            if chapters > 1 {
                let other = rng.below(chapters);
                let _ = writeln!(
                    md,
                    "See [chapter {}]({}#section-{}) and [its start]({}).\n",
                    other + 1,
                    file(other),
                    rng.below(3),
                    file(other)
                );
            }
        }
        std::fs::write(dir.join("chapters").join(file(i)), md).unwrap();
    }
}

/// A PNG of `width` × `height` pixels of 8 bits in colour type `colour`
/// (0 grey, 2 RGB), with `zlib` as its one IDAT chunk, whatever that holds.
pub fn png_from_chunks(width: u32, height: u32, colour: u8, zlib: &[u8]) -> Vec<u8> {
    fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc32(&body).to_be_bytes());
    };
    let mut header = Vec::new();
    header.extend(width.to_be_bytes());
    header.extend(height.to_be_bytes());
    header.extend([8, colour, 0, 0, 0]);
    chunk(b"IHDR", &header);
    chunk(b"IDAT", zlib);
    chunk(b"IEND", &[]);
    out
}

/// A valid grey-scale PNG, written by hand: zlib stored blocks and
/// Adler-32 computed here.
fn png(width: u32, height: u32, shade: u8) -> Vec<u8> {
    let mut raw = Vec::new();
    for y in 0..height {
        raw.push(0); // filter: none
        raw.extend((0..width).map(|x| shade.wrapping_add((x * 8 + y * 4) as u8)));
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &raw {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    let mut zlib = vec![0x78, 0x01];
    for (i, block) in raw.chunks(65_535).enumerate() {
        let last = (i + 1) * 65_535 >= raw.len();
        zlib.push(u8::from(last));
        let len = block.len() as u16;
        zlib.extend(len.to_le_bytes());
        zlib.extend((!len).to_le_bytes());
        zlib.extend(block);
    }
    zlib.extend(((b << 16) | a).to_be_bytes());
    // 8-bit grey, no interlace
    png_from_chunks(width, height, 0, &zlib)
}

#[test]
fn a_book_of_hundreds_of_chapters_builds_valid_and_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("large");
    generate(&book, 300, 40, 7);
    let build = |out: &Path| {
        let output = bindery()
            .arg("build")
            .arg(&book)
            .arg("-o")
            .arg(out)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    let first = dir.path().join("first.epub");
    let second = dir.path().join("second.epub");
    build(&first);
    build(&second);
    assert_eq!(
        std::fs::read(&first).unwrap(),
        std::fs::read(&second).unwrap()
    );
    let epub = Epub::open(&first);
    assert_eq!(
        epub.names
            .iter()
            .filter(|n| n.starts_with("EPUB/text/") && n.ends_with("-chapter.xhtml"))
            .count(),
        300
    );
    check_epub_structure(&epub);
    assert_epubcheck_clean(&first);
}
