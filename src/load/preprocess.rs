//! mdBook's preprocessor protocol: programs named in `book.toml` that
//! rewrite the chapters before they are rendered.
//!
//! For each preprocessor, in mdBook's order, bindery runs
//! `COMMAND supports epub` (exit 0: it does), then `COMMAND` with the JSON
//! array `[context, book]` on standard input, and reads the changed book
//! from standard output. Running a program a book names is the user's
//! choice, never a default: without `--preprocessors` (or
//! `preprocessors = true` in `[output.bindery]`) each configured
//! preprocessor is a warning instead.

use super::{Book, SourceChapter};
use crate::diag::Diagnostic;
use crate::manifest::mdbook::{BUILT_IN_PREPROCESSORS, Preprocessor};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;

/// The renderer name bindery gives preprocessors: what mdBook's EPUB
/// renderer calls itself, so preprocessors that know EPUB treat it so.
pub const RENDERER: &str = "epub";

/// The mdBook version the JSON follows (the 0.4 book format).
const MDBOOK_VERSION: &str = "0.4.52";

/// Runs the book's preprocessors when `allowed`, else warns about each.
/// Errors (a preprocessor that fails or answers nonsense) are returned.
pub fn run_preprocessors(
    book: &mut Book,
    manifest_text: &str,
    allowed: bool,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(), Vec<Diagnostic>> {
    let Some(config) = book.manifest.mdbook.clone() else {
        return Ok(());
    };
    let allowed = allowed || config.run_preprocessors;
    let order = ordered(&config.preprocessors);
    let mut errors = Vec::new();
    for preprocessor in order {
        let for_us = preprocessor
            .renderers
            .as_ref()
            .is_none_or(|list| list.iter().any(|r| r == RENDERER || r == "bindery"));
        if !for_us {
            continue;
        }
        let at = |d: Diagnostic| {
            d.in_file(crate::manifest::FILE_NAME)
                .at(preprocessor.span.clone())
        };
        if !allowed {
            warnings.push(at(Diagnostic::warning(
                "B177",
                format!(
                    "the preprocessor `{}` is not run: what it would change stays in the chapters as written",
                    preprocessor.name
                ),
            ))
            .with_help(format!(
                "to run `{}`, build with `--preprocessors`, or set `preprocessors = true` in [output.bindery]",
                preprocessor.command
            )));
            continue;
        }
        let Some(words) = split_command(&preprocessor.command) else {
            errors.push(
                at(Diagnostic::error(
                    "B178",
                    format!(
                        "the command of the preprocessor `{}` cannot be read",
                        preprocessor.name
                    ),
                ))
                .with_help(
                    "write the command as a program and its arguments, with matching quotes",
                ),
            );
            continue;
        };
        let root = book.root.book_dir().to_path_buf();
        let supports = Command::new(&words[0])
            .args(&words[1..])
            .args(["supports", RENDERER])
            .current_dir(&root)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        match supports {
            Err(_) => {
                warnings.push(at(Diagnostic::warning(
                    "B177",
                    format!(
                        "the preprocessor `{}` is not installed: what it would change stays in the chapters as written",
                        preprocessor.name
                    ),
                ))
                .with_help(format!("install `{}`, or remove its table", words[0])));
                continue;
            }
            Ok(status) if !status.success() => {
                warnings.push(at(Diagnostic::warning(
                    "B177",
                    format!(
                        "the preprocessor `{}` does not support EPUB: what it would change stays in the chapters as written",
                        preprocessor.name
                    ),
                ))
                .with_help("limit it to mdBook's HTML with `renderers = [\"html\"]` in its table"));
                continue;
            }
            Ok(_) => {}
        }
        let input = json!([context(book, manifest_text), book_json(book)]);
        match run_one(&words, &root, &input) {
            Ok(output) => {
                if let Err(message) = apply(book, &output) {
                    errors.push(
                        at(Diagnostic::error(
                            "B178",
                            format!(
                                "the preprocessor `{}` answered with {message}",
                                preprocessor.name
                            ),
                        ))
                        .with_help("check that it speaks mdBook's preprocessor protocol"),
                    );
                }
            }
            Err(message) => errors.push(
                at(Diagnostic::error(
                    "B178",
                    format!("the preprocessor `{}` failed: {message}", preprocessor.name),
                ))
                .with_help("run the book with mdBook to see the preprocessor's own messages"),
            ),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// mdBook's order: a topological sort by `before` and `after`, ties
/// by name. The built-in `links` and `index` already ran when the
/// chapters were read.
fn ordered(preprocessors: &[Preprocessor]) -> Vec<&Preprocessor> {
    let external: BTreeMap<&str, &Preprocessor> = preprocessors
        .iter()
        .filter(|p| !BUILT_IN_PREPROCESSORS.contains(&p.name.as_str()))
        .map(|p| (p.name.as_str(), p))
        .collect();
    // An edge a → b: a runs before b.
    let mut before: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut incoming: BTreeMap<&str, usize> = external.keys().map(|k| (*k, 0)).collect();
    for p in external.values() {
        let edges = p
            .before
            .iter()
            .map(|b| (p.name.as_str(), b.as_str()))
            .chain(p.after.iter().map(|a| (a.as_str(), p.name.as_str())));
        for (first, then) in edges {
            if external.contains_key(first) && external.contains_key(then) && first != then {
                before.entry(first).or_default().push(then);
                *incoming.entry(then).or_default() += 1;
            }
        }
    }
    let mut out = Vec::new();
    while let Some(next) = incoming.iter().find(|(_, n)| **n == 0).map(|(k, _)| *k) {
        incoming.remove(next);
        for then in before.get(next).into_iter().flatten() {
            if let Some(n) = incoming.get_mut(then) {
                *n = n.saturating_sub(1);
            }
        }
        out.extend(external.get(next));
    }
    // A cycle: the rest by name, as mdBook would refuse to order them.
    out.extend(incoming.keys().filter_map(|k| external.get(k)));
    out
}

/// A command line split into words: spaces separate, quotes group.
fn split_command(command: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    for c in command.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => word.push(c),
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                in_word = true;
            }
            None if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            None => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if quote.is_some() {
        return None;
    }
    if in_word {
        words.push(word);
    }
    (!words.is_empty()).then_some(words)
}

fn run_one(words: &[String], root: &std::path::Path, input: &Value) -> Result<Value, String> {
    let mut child = Command::new(&words[0])
        .args(&words[1..])
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let bytes = serde_json::to_vec(input).map_err(|e| e.to_string())?;
    // Written from a thread, so a preprocessor that answers before it has
    // read everything cannot block both sides.
    let mut stdin = child.stdin.take().ok_or("no standard input")?;
    let writer = std::thread::spawn(move || stdin.write_all(&bytes));
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    let _ = writer.join();
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        return Err(format!("it exited with {}: {}", output.status, last.trim()));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| format!("output that is not a book: {e}"))
}

/// mdBook's `PreprocessorContext`.
fn context(book: &Book, manifest_text: &str) -> Value {
    let config = toml::from_str::<toml::Table>(manifest_text)
        .ok()
        .and_then(|t| serde_json::to_value(t).ok())
        .unwrap_or_else(|| json!({}));
    json!({
        "root": book.root.book_dir().to_string_lossy(),
        "config": config,
        "renderer": RENDERER,
        "mdbook_version": MDBOOK_VERSION,
    })
}

/// The chapters as mdBook's `Book`: nested `Chapter` items with their
/// paths relative to the source folder.
fn book_json(book: &Book) -> Value {
    let src = book
        .mdbook
        .as_ref()
        .map(|m| m.src.clone())
        .unwrap_or_default();
    let mut top: Vec<Value> = Vec::new();
    // (depth, chapter) of the chapters still open, to nest the next.
    let mut open: Vec<(u8, Value)> = Vec::new();
    let mut part: Option<&str> = None;
    let close = |open: &mut Vec<(u8, Value)>, top: &mut Vec<Value>| {
        if let Some((_, done)) = open.pop() {
            match open.last_mut() {
                Some((_, parent)) => {
                    if let Some(items) = parent["Chapter"]["sub_items"].as_array_mut() {
                        items.push(done);
                    }
                }
                None => top.push(done),
            }
        }
    };
    for chapter in &book.chapters {
        if chapter.part.as_deref() != part {
            while !open.is_empty() {
                close(&mut open, &mut top);
            }
            if let Some(title) = &chapter.part {
                top.push(json!({ "PartTitle": title }));
            }
            part = chapter.part.as_deref();
        }
        while open
            .last()
            .is_some_and(|(depth, _)| *depth >= chapter.depth)
        {
            close(&mut open, &mut top);
        }
        let parent_names: Vec<Value> = open
            .iter()
            .map(|(_, c)| c["Chapter"]["name"].clone())
            .collect();
        let (name, number) = book
            .mdbook
            .as_ref()
            .and_then(|m| m.names.get(&chapter.path))
            .cloned()
            .unwrap_or_else(|| (chapter.title.clone().unwrap_or_default(), None));
        let path = chapter.path.relative_to(&src);
        open.push((
            chapter.depth,
            json!({ "Chapter": {
                "name": name,
                "content": &*chapter.markdown,
                "number": number,
                "sub_items": [],
                "path": path,
                "source_path": path,
                "parent_names": parent_names,
            }}),
        ));
    }
    while !open.is_empty() {
        close(&mut open, &mut top);
    }
    json!({ "sections": top, "__non_exhaustive": null })
}

/// Takes the changed chapters from a preprocessor's answer.
fn apply(book: &mut Book, answer: &Value) -> Result<(), String> {
    let sections = answer
        .get("sections")
        .or_else(|| answer.get("items"))
        .and_then(Value::as_array)
        .ok_or("JSON without `sections`")?;
    let mut contents: BTreeMap<String, String> = BTreeMap::new();
    collect(sections, &mut contents)?;
    let src = book
        .mdbook
        .as_ref()
        .map(|m| m.src.clone())
        .unwrap_or_default();
    for chapter in &mut book.chapters {
        let path = chapter.path.relative_to(&src);
        if let Some(content) = contents.get(&path)
            && content.as_str() != &*chapter.markdown
        {
            changed(chapter, content);
        }
    }
    Ok(())
}

fn collect(items: &[Value], out: &mut BTreeMap<String, String>) -> Result<(), String> {
    for item in items {
        let Some(chapter) = item.get("Chapter") else {
            continue;
        };
        let content = chapter
            .get("content")
            .and_then(Value::as_str)
            .ok_or("a chapter without `content`")?;
        if let Some(path) = chapter.get("path").and_then(Value::as_str) {
            out.insert(path.to_string(), content.to_string());
        }
        if let Some(sub) = chapter.get("sub_items").and_then(Value::as_array) {
            collect(sub, out)?;
        }
    }
    Ok(())
}

/// A chapter a preprocessor rewrote: messages point into the new text,
/// which is what was rendered.
fn changed(chapter: &mut SourceChapter, content: &str) {
    let text: Arc<str> = Arc::from(content);
    chapter.markdown = text.clone();
    chapter.text = text;
    chapter.trace = None;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preprocessor(name: &str, before: &[&str], after: &[&str]) -> Preprocessor {
        Preprocessor {
            name: name.into(),
            command: format!("mdbook-{name}"),
            before: before.iter().map(|s| s.to_string()).collect(),
            after: after.iter().map(|s| s.to_string()).collect(),
            renderers: None,
            span: 0..0,
        }
    }

    #[test]
    fn preprocessors_run_in_mdbooks_order() {
        let list = [
            preprocessor("zeta", &[], &[]),
            preprocessor("alpha", &[], &["zeta"]),
            preprocessor("links", &[], &[]),
            preprocessor("mid", &["alpha"], &[]),
        ];
        let names: Vec<&str> = ordered(&list).iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["mid", "zeta", "alpha"]);
    }

    #[test]
    fn commands_split_like_a_shell() {
        assert_eq!(
            split_command("python3 'my pre.py' --x").unwrap(),
            ["python3", "my pre.py", "--x"]
        );
        assert_eq!(split_command("  "), None);
        assert_eq!(split_command("a 'b"), None);
    }

    #[test]
    fn an_answer_without_sections_is_refused() {
        let manifest = crate::manifest::mdbook::parse("[book]\n", "x", &mut Vec::new()).unwrap();
        let mut book = Book {
            manifest,
            root: super::super::BookRoot::detached(std::path::Path::new("/nowhere")),
            chapters: Vec::new(),
            cover: None,
            cover_svg: None,
            style: Default::default(),
            mdbook: None,
            extra_sources: Default::default(),
            notes: Vec::new(),
        };
        assert!(apply(&mut book, &json!({"x": 1})).is_err());
        assert!(apply(&mut book, &json!({"sections": []})).is_ok());
    }
}
