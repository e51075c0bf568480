//! Hidden lines in mdBook code blocks: lines that are in the code (so that
//! it compiles and tests) but not shown to the reader.
//!
//! mdBook's HTML renderer wraps them in a span a reader can unfold; an
//! EPUB has no such button, so bindery drops them. Run this on a chapter
//! after [`expand`](super::expand), whose `{{#rustdoc_include}}` writes
//! hidden lines, and before rendering.
//!
//! Which blocks, as in mdBook's `hide_lines`:
//!
//! - a fenced block whose language, the first word of its info string
//!   (words split at spaces, tabs and commas), is exactly `rust`: a line
//!   that is `#` alone or starts with `# `, after any indentation, is
//!   hidden, and a line starting with `##` loses one `#`: that is how a
//!   line starting with `# ` is written so that it shows;
//! - any other fenced block with a prefix: its own `hidelines=PREFIX` word,
//!   or the prefix `[output.html.code.hidelines]` in `book.toml` gives its
//!   language. A line that starts with the prefix after its indentation is
//!   hidden; nothing is unescaped.
//!
//! Blocks without a language, indented blocks and inline code are left
//! alone, as mdBook leaves them.

use super::Expanded;
use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};
use std::collections::BTreeMap;
use std::ops::Range;

/// Drops the hidden lines of the Rust code blocks in `markdown`; every
/// other byte stays as it was.
///
/// ```
/// let markdown = "```rust\n# use std::fmt;\nfn main() {}\n```\n";
/// assert_eq!(bindery::mdbook::strip_hidden_lines(markdown), "```rust\nfn main() {}\n```\n");
/// ```
pub fn strip_hidden_lines(markdown: &str) -> String {
    strip_hidden_lines_with(markdown, &BTreeMap::new())
}

/// Like [`strip_hidden_lines`], with the prefixes of other languages from
/// `[output.html.code.hidelines]` (language to prefix, such as
/// `python = "~"`).
pub fn strip_hidden_lines_with(markdown: &str, prefixes: &BTreeMap<String, String>) -> String {
    apply(markdown, &hidden_cuts(markdown, prefixes))
}

impl Expanded {
    /// Drops the hidden lines of an expanded chapter, as
    /// [`strip_hidden_lines_with`] does, and keeps the map from its
    /// offsets to the files right.
    pub fn strip_hidden_lines(&mut self, prefixes: &BTreeMap<String, String>) {
        let cuts = hidden_cuts(&self.text, prefixes);
        self.cut(&cuts);
    }
}

/// What to cut from `markdown`: hidden lines whole, and the `#` that
/// escapes a Rust line. In order, without overlaps.
fn hidden_cuts(markdown: &str, prefixes: &BTreeMap<String, String>) -> Vec<Range<usize>> {
    let mut cuts: Vec<Range<usize>> = Vec::new();
    let mut rule: Option<Rule<'_>> = None;
    let mut seen_line: Option<usize> = None;
    let events = crate::markdown::events(markdown);
    for (event, span) in events {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                rule = Rule::for_info(&info, prefixes);
            }
            Event::End(TagEnd::CodeBlock) => rule = None,
            Event::Text(_) => {
                if let Some(rule) = &rule {
                    edit_lines(markdown, span, rule, &mut seen_line, &mut cuts);
                }
            }
            _ => {}
        }
    }
    cuts
}

/// How a code block marks its hidden lines.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Rule<'p> {
    /// `#` or `# …` hidden, `##…` unescaped.
    Rust,
    /// Lines starting with this.
    Prefix(std::borrow::Cow<'p, str>),
}

impl<'p> Rule<'p> {
    /// The rule for a fenced block's info string, if it has one.
    fn for_info(info: &str, prefixes: &'p BTreeMap<String, String>) -> Option<Rule<'p>> {
        let mut words = info.split([' ', '\t', ',']).filter(|word| !word.is_empty());
        let language = words.next()?;
        if language == "rust" {
            return Some(Rule::Rust);
        }
        // The block's own prefix wins over the one from book.toml. An empty
        // prefix would hide every line; it is taken for a slip.
        let own = words.find_map(|word| word.strip_prefix("hidelines="));
        let prefix = match own {
            Some(prefix) => std::borrow::Cow::Owned(prefix.to_string()),
            None => std::borrow::Cow::Borrowed(prefixes.get(language)?.as_str()),
        };
        (!prefix.is_empty()).then_some(Rule::Prefix(prefix))
    }
}

/// What becomes of one line of code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineEdit {
    Keep,
    Hide,
    /// Remove the `#` at this offset in the line.
    Unescape(usize),
}

impl Rule<'_> {
    /// What becomes of `line`, without its line break.
    fn judge(&self, line: &str) -> LineEdit {
        let code = line.trim_start();
        let indent = line.len() - code.len();
        match self {
            Rule::Rust => {
                // mdBook's pattern: `^(\s*)#(.?)(.*)$`.
                let Some(after) = code.strip_prefix('#') else {
                    return LineEdit::Keep;
                };
                match after.chars().next() {
                    None | Some(' ') => LineEdit::Hide,
                    Some('#') => LineEdit::Unescape(indent),
                    Some(_) => LineEdit::Keep,
                }
            }
            Rule::Prefix(prefix) if code.starts_with(prefix.as_ref()) => LineEdit::Hide,
            Rule::Prefix(_) => LineEdit::Keep,
        }
    }
}

/// Judges the lines a piece of code text covers, each line once, and
/// records what to cut. The text is read from the source, from the first
/// byte of code on each line, so that the marks of a block quote or list
/// around the block are not taken for code; a hidden line goes whole,
/// marks and line break with it.
fn edit_lines(
    markdown: &str,
    span: Range<usize>,
    rule: &Rule<'_>,
    seen_line: &mut Option<usize>,
    edits: &mut Vec<Range<usize>>,
) {
    let mut at = span.start;
    while at < span.end {
        let line_start = markdown
            .get(..at)
            .and_then(|before| before.rfind('\n'))
            .map_or(0, |i| i + 1);
        let line_end = markdown
            .get(at..)
            .and_then(|rest| rest.find('\n'))
            .map_or(markdown.len(), |i| at + i + 1);
        if *seen_line != Some(line_start) {
            *seen_line = Some(line_start);
            let code = markdown.get(at..line_end).unwrap_or_default();
            let code = code.strip_suffix('\n').unwrap_or(code);
            let code = code.strip_suffix('\r').unwrap_or(code);
            match rule.judge(code) {
                LineEdit::Keep => {}
                LineEdit::Hide => edits.push(line_start..line_end),
                LineEdit::Unescape(offset) => edits.push(at + offset..at + offset + 1),
            }
        }
        at = line_end;
    }
}

/// The text with the ranges cut out. The ranges come in order and do not
/// overlap.
fn apply(markdown: &str, cuts: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut copied_to = 0;
    for cut in cuts {
        if cut.start < copied_to {
            continue;
        }
        out.push_str(markdown.get(copied_to..cut.start).unwrap_or_default());
        copied_to = cut.end;
    }
    out.push_str(markdown.get(copied_to..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_blocks_lose_their_hidden_lines() {
        let markdown = "\
Text # not code.

```rust
# use std::fmt;
#
fn main() {
    # let hidden = 1;
    #[derive(Debug)]
    #![allow(unused)]
    ## escaped
    ##
    #\tkept
    let shown = 2;
}
```
";
        assert_eq!(
            strip_hidden_lines(markdown),
            "\
Text # not code.

```rust
fn main() {
    #[derive(Debug)]
    #![allow(unused)]
    # escaped
    #
    #\tkept
    let shown = 2;
}
```
"
        );
    }

    #[test]
    fn only_blocks_whose_language_is_rust() {
        for markdown in [
            "```\n# shown\n```\n",
            "```python\n# a comment\n```\n",
            "```Rust\n# shown\n```\n",
            "```rusty\n# shown\n```\n",
            "    # indented code\n",
            "`# inline`\n",
            "# A heading\n",
        ] {
            assert_eq!(strip_hidden_lines(markdown), markdown);
        }
        assert_eq!(
            strip_hidden_lines("```rust,ignore\n# a\nb\n```"),
            "```rust,ignore\nb\n```"
        );
        assert_eq!(
            strip_hidden_lines("``` rust editable\n# a\nb\n```"),
            "``` rust editable\nb\n```"
        );
        assert_eq!(
            strip_hidden_lines("~~~rust\n# a\nb\n~~~"),
            "~~~rust\nb\n~~~"
        );
    }

    #[test]
    fn blocks_inside_quotes_and_lists_keep_their_shape() {
        assert_eq!(
            strip_hidden_lines("> ```rust\n> # hidden\n> shown\n> ```\n"),
            "> ```rust\n> shown\n> ```\n"
        );
        assert_eq!(
            strip_hidden_lines("- item\n\n  ```rust\n  # hidden\n  ## one\n  shown\n  ```\n"),
            "- item\n\n  ```rust\n  # one\n  shown\n  ```\n"
        );
        assert_eq!(
            strip_hidden_lines("```rust\r\n# a\r\nb\r\n##c\r\n```\r\n"),
            "```rust\r\nb\r\n#c\r\n```\r\n"
        );
        // An unclosed block runs to the end of the text.
        assert_eq!(
            strip_hidden_lines("```rust\nshown\n# hidden"),
            "```rust\nshown\n"
        );
    }

    #[test]
    fn other_languages_hide_by_prefix() {
        let prefixes = BTreeMap::from([("python".to_string(), "~".to_string())]);
        assert_eq!(
            strip_hidden_lines_with(
                "```python\n~hidden()\nshown():\n~    hidden()\n    ~hidden()\n    shown()\n```\n",
                &prefixes
            ),
            "```python\nshown():\n    shown()\n```\n"
        );
        // The block's own prefix wins; Rust keeps its own rule.
        assert_eq!(
            strip_hidden_lines_with(
                "```python,hidelines=!!!\n!!!hidden()\n~shown()\n```\n",
                &prefixes
            ),
            "```python,hidelines=!!!\n~shown()\n```\n"
        );
        assert_eq!(
            strip_hidden_lines("```sh hidelines=>\n> hidden\n$ shown\n```\n"),
            "```sh hidelines=>\n$ shown\n```\n"
        );
        assert_eq!(
            strip_hidden_lines("```rust,hidelines=~\n~a\n# b\n```\n"),
            "```rust,hidelines=~\n~a\n```\n"
        );
        // As the language itself it is no prefix, as in mdBook.
        assert_eq!(
            strip_hidden_lines("```hidelines=~\n~a\n```\n"),
            "```hidelines=~\n~a\n```\n"
        );
        assert_eq!(
            strip_hidden_lines("```sh hidelines=\n$ a\n```\n"),
            "```sh hidelines=\n$ a\n```\n"
        );
    }

    #[test]
    fn an_expanded_chapter_keeps_its_map() {
        let mut read = |_: &str, _: &str| {
            Ok(crate::mdbook::Included {
                file: "src/x.rs".into(),
                text: "use a;\n// ANCHOR: f\nfn f() {}\n// ANCHOR_END: f\n".into(),
            })
        };
        let text = "Intro\n```rust\n{{#rustdoc_include x.rs:f}}\n```\nEnd\n";
        let mut expanded = crate::mdbook::expand(text, "src/ch.md", &mut read).unwrap();
        assert_eq!(
            expanded.text,
            "Intro\n```rust\n# use a;\nfn f() {}\n```\nEnd\n"
        );
        expanded.strip_hidden_lines(&BTreeMap::new());
        assert_eq!(expanded.text, "Intro\n```rust\nfn f() {}\n```\nEnd\n");
        let at = |needle: &str| expanded.text.find(needle).unwrap();
        assert_eq!(expanded.locate(at("fn f")), Some(("src/x.rs", 20)));
        assert_eq!(
            expanded.locate(at("End")),
            Some(("src/ch.md", text.find("End").unwrap()))
        );
    }

    #[test]
    fn random_input_never_panics() {
        let alphabet: Vec<char> = "`~#rust \n\t>-*,\r=é{}".chars().collect();
        let mut seed = 0x1234_5678_9abc_def1_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..3000 {
            let len = (next() % 80) as usize;
            let text: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let stripped = strip_hidden_lines(&format!("```rust\n{text}"));
            assert!(stripped.len() <= text.len() + 8);
        }
    }
}
