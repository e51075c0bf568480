//! mdBook's preprocessor protocol: programs named in `book.toml` that
//! rewrite the chapters before they are rendered.
//!
//! Takes a loaded mdBook; changes its chapters in place. The
//! preprocessors run in mdBook's order
//! ([`MdBookConfig::preprocessor_order`]), in which mdBook's own `links`
//! (the includes) and `index` have their turn like the book's: a
//! preprocessor that comes before `links` sees the `{{#include}}`
//! directives as written. Includes are expanded as the chapters are read
//! when no such preprocessor is configured, which is the common case, and
//! else here, in their turn. Last come hidden lines and MathJax
//! delimiters, the work of mdBook's HTML renderer, so every preprocessor
//! sees them as mdBook's do.
//!
//! For each of the book's preprocessors, bindery runs
//! `COMMAND supports epub` (exit 0: it does), then `COMMAND` with the JSON
//! array `[context, book]` on standard input, and reads the changed book
//! from standard output. Running a program a book names is the user's
//! choice, never a default and never the book's: without
//! `--preprocessors` (or `BINDERY_PREPROCESSORS=1` in the environment)
//! each configured preprocessor is a warning instead. A book that asks
//! for them to run (`preprocessors = true` in `[output.bindery]`) is
//! told that only the user can allow it: a book built in CI may come from
//! anyone.

use super::{Book, LoadError, PreprocessorProblem, SourceChapter};
use crate::diag::{Code, Diagnostic};
use crate::manifest::mdbook::{MdBookConfig, Step};
use crate::mdbook::Expanded;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;

/// The renderer name bindery gives preprocessors: what mdBook's EPUB
/// renderer calls itself, so preprocessors that know EPUB treat it so.
pub const RENDERER: &str = "epub";

/// The mdBook version the context names. The book is sent in the 0.4
/// format (`sections`) and, for preprocessors built for mdBook 0.5, in
/// its format (`items`) too.
const MDBOOK_VERSION: &str = "0.4.52";

/// How the person running bindery allows a book's preprocessors to run.
pub const HOW_TO_ALLOW: &str = "build with `--preprocessors`, or set BINDERY_PREPROCESSORS=1";

/// Runs the book's preprocessors when `allowed`, else warns about each,
/// and finishes the chapters of an mdBook as its HTML renderer would
/// (hidden lines, MathJax); a book that is not an mdBook is left as it
/// is. Errors (an include that cannot be expanded, a preprocessor that
/// fails or answers nonsense) are returned.
pub fn run_preprocessors(
    book: &mut Book,
    manifest_text: &str,
    allowed: bool,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(), Vec<LoadError>> {
    let Some(config) = book.manifest.mdbook.clone() else {
        return Ok(());
    };
    if let Some(span) = config.asks_for_preprocessors.clone()
        && !allowed
    {
        warnings.push(
            Diagnostic::new(
                Code::BookAsksForPreprocessors,
                "the book asks to run its preprocessors, which only the person running bindery can allow",
            )
            .in_file(crate::manifest::FILE_NAME)
            .at(span)
            .with_help(format!(
                "if you trust the programs it names, {HOW_TO_ALLOW}; `preprocessors = true` in book.toml is not read"
            )),
        );
    }
    let includes_expanded = includes_at_load(&config);
    // A parsed manifest has no cycle (it is error B181).
    let order = config.preprocessor_order().unwrap_or_default();
    let mut index_done = false;
    let mut errors = Vec::new();
    for step in &order {
        if !runs_for_epub(step, &config) {
            continue;
        }
        if step.is_built_in() {
            match step.name {
                "links" if !includes_expanded => {
                    if let Err(found) = expand_includes(book) {
                        errors.extend(found);
                        return Err(errors);
                    }
                }
                "index" => index_done = true,
                _ => {}
            }
            continue;
        }
        let Some(preprocessor) = step.table else {
            continue;
        };
        let at = |d: Diagnostic| {
            d.in_file(crate::manifest::FILE_NAME)
                .at(preprocessor.span.clone())
        };
        if !allowed {
            warnings.push(at(Diagnostic::new(Code::PreprocessorNotRun,
                format!(
                    "the preprocessor `{}` is not run: what it would change stays in the chapters as written{}",
                    preprocessor.name,
                    left_as_written(book)
                ),
            ))
            .with_help(format!(
                "to run `{}`, if you trust it: {HOW_TO_ALLOW}",
                preprocessor.command
            )));
            continue;
        }
        let failed = |problem| LoadError::Preprocessor {
            name: preprocessor.name.clone(),
            span: preprocessor.span.clone(),
            problem,
        };
        let Some(words) = split_command(&preprocessor.command) else {
            errors.push(failed(PreprocessorProblem::Command));
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
                warnings.push(at(Diagnostic::new(Code::PreprocessorNotRun,
                    format!(
                        "the preprocessor `{}` is not installed: what it would change stays in the chapters as written{}",
                        preprocessor.name,
                        left_as_written(book)
                    ),
                ))
                .with_help(format!("install `{}`, or remove its table", words[0])));
                continue;
            }
            Ok(status) if !status.success() => {
                warnings.push(at(Diagnostic::new(Code::PreprocessorNotRun,
                    format!(
                        "the preprocessor `{}` does not support EPUB: what it would change stays in the chapters as written{}",
                        preprocessor.name,
                        left_as_written(book)
                    ),
                ))
                .with_help("limit it to mdBook's HTML with `renderers = [\"html\"]` in its table"));
                continue;
            }
            Ok(_) => {}
        }
        let input = json!([context(book, manifest_text), book_json(book, index_done)]);
        match run_one(&words, &root, &input) {
            Ok(output) => {
                if let Err(message) = apply(book, &output, index_done) {
                    errors.push(failed(PreprocessorProblem::Answer(message)));
                }
            }
            Err(message) => errors.push(failed(PreprocessorProblem::Failed(message))),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    for chapter in &mut book.chapters {
        let mut expanded = match chapter.trace.take() {
            Some(trace) => Arc::unwrap_or_clone(trace),
            None => Expanded::unchanged(&chapter.markdown, &chapter.display),
        };
        super::mdbook::finish(&config, &mut expanded);
        chapter.markdown = Arc::from(expanded.text.as_str());
        chapter.trace = Some(Arc::new(expanded));
    }
    Ok(())
}

/// Whether a preprocessor in the order runs for bindery's EPUB. mdBook's
/// own run unless `use-default-preprocessors = false` (then only with a
/// table, as any other); any one with a `renderers` list only when it
/// names `epub` or `bindery`. Whether one of the book's is run at all is
/// decided later.
fn runs_for_epub(step: &Step<'_>, config: &MdBookConfig) -> bool {
    if step.is_built_in() && config.default_preprocessors {
        return true;
    }
    step.table
        .and_then(|table| table.renderers.as_ref())
        .is_none_or(|list| list.iter().any(|r| r == RENDERER || r == "bindery"))
}

/// Whether the includes are expanded as the chapters are read: when
/// mdBook's `links` runs before every preprocessor of the book that may
/// run for EPUB. Else they wait for their turn in [`run_preprocessors`];
/// and when `links` does not run at all, nothing is expanded.
pub(super) fn includes_at_load(config: &MdBookConfig) -> bool {
    let order = config.preprocessor_order().unwrap_or_default();
    for step in order.iter().filter(|step| runs_for_epub(step, config)) {
        if step.name == "links" {
            return true;
        }
        if !step.is_built_in() {
            return false;
        }
    }
    false
}

/// mdBook's `links` in its turn, after a preprocessor of the book: every
/// chapter's includes, in the text as it now is.
fn expand_includes(book: &mut Book) -> Result<(), Vec<LoadError>> {
    let mut errors: Vec<LoadError> = Vec::new();
    for chapter in &mut book.chapters {
        match super::mdbook::expand_includes(
            &book.root,
            &chapter.path,
            &chapter.display,
            &chapter.markdown,
            &[],
            &mut book.extra_sources,
        ) {
            Ok(expanded) => {
                chapter.markdown = Arc::from(expanded.text.as_str());
                chapter.trace = Some(Arc::new(expanded));
            }
            Err(found) => errors.extend(found),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
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

/// A chapter's `path` in the JSON: relative to the source folder, and
/// once mdBook's `index` has run, `README.md` named `index.md`, as mdBook
/// names it.
fn json_path(chapter: &SourceChapter, src: &super::BookPath, index_done: bool) -> String {
    let path = chapter.path.relative_to(src);
    if index_done && chapter.path.stem().eq_ignore_ascii_case("readme") {
        let folder = path.len() - chapter.path.file_name().len();
        return format!("{}index.md", &path[..folder]);
    }
    path
}

/// The chapters as mdBook's `Book`: nested `Chapter` items with their
/// paths relative to the source folder, under `sections` (mdBook 0.4)
/// and `items` (mdBook 0.5).
fn book_json(book: &Book, index_done: bool) -> Value {
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
        let source_path = chapter.path.relative_to(&src);
        open.push((
            chapter.depth,
            json!({ "Chapter": {
                "name": name,
                "content": &*chapter.markdown,
                "number": number,
                "sub_items": [],
                "path": json_path(chapter, &src, index_done),
                "source_path": source_path,
                "parent_names": parent_names,
            }}),
        ));
    }
    while !open.is_empty() {
        close(&mut open, &mut top);
    }
    json!({ "sections": top.clone(), "items": top, "__non_exhaustive": null })
}

/// Takes the changed chapters from a preprocessor's answer.
fn apply(book: &mut Book, answer: &Value, index_done: bool) -> Result<(), String> {
    // A preprocessor that knows one of the two lists passes the other on
    // as it came, so of the two, the changed one counts.
    let mut lists: Vec<BTreeMap<String, String>> = Vec::new();
    for key in ["sections", "items"] {
        if let Some(list) = answer.get(key) {
            let list = list
                .as_array()
                .ok_or_else(|| format!("`{key}` that is not a list"))?;
            let mut contents = BTreeMap::new();
            collect(list, &mut contents)?;
            lists.push(contents);
        }
    }
    if lists.is_empty() {
        return Err("JSON without `sections` or `items`".into());
    }
    let src = book
        .mdbook
        .as_ref()
        .map(|m| m.src.clone())
        .unwrap_or_default();
    for chapter in &mut book.chapters {
        let path = json_path(chapter, &src, index_done);
        let content = lists
            .iter()
            .filter_map(|contents| contents.get(&path))
            .find(|content| content.as_str() != &*chapter.markdown);
        if let Some(content) = content {
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
/// which is what was rendered. A `{{#title}}` already read still names
/// the page.
fn changed(chapter: &mut SourceChapter, content: &str) {
    let text: Arc<str> = Arc::from(content);
    let mut trace = Expanded::unchanged(content, &chapter.display);
    trace.title = chapter.trace.as_ref().and_then(|t| t.title.clone());
    chapter.markdown = text.clone();
    chapter.text = text;
    chapter.trace = Some(Arc::new(trace));
}

/// What a preprocessor that is not run leaves behind, when it can be
/// seen: the first `{{…}}` directive that bindery does not expand itself
/// (its own are `{{#include}}`, `{{#rustdoc_include}}` and `{{#title}}`),
/// and the chapters that hold such directives. Empty when there is none:
/// a preprocessor may change text that has no mark of its own.
fn left_as_written(book: &Book) -> String {
    const OWN: [&str; 3] = ["{{#include", "{{#rustdoc_include", "{{#title"];
    let first_directive = |text: &str| -> Option<String> {
        let mut search = 0;
        while let Some(at) = text[search..].find("{{").map(|i| search + i) {
            search = at + 2;
            let escaped = text[..at].ends_with('\\');
            if escaped || OWN.iter().any(|own| text[at..].starts_with(own)) {
                continue;
            }
            let end = text[at..].find("}}").map_or(text.len(), |i| at + i + 2);
            let directive: String = text[at..end].chars().take(40).collect();
            if !directive.contains('\n') {
                return Some(directive);
            }
        }
        None
    };
    let found: Vec<(&str, String)> = book
        .chapters
        .iter()
        .filter_map(|c| Some((c.display.as_str(), first_directive(&c.markdown)?)))
        .collect();
    match found.as_slice() {
        [] => String::new(),
        [(file, directive)] => format!(", such as `{directive}` in `{file}`"),
        [(file, directive), rest @ ..] => format!(
            ", such as `{directive}` in `{file}` and directives in {} more chapter{}",
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_preprocessor_would_change_is_named_when_it_shows() {
        let manifest = crate::manifest::parse(
            "[book]\ntitle = \"T\"\nlanguage = \"en\"\n",
            &mut Vec::new(),
        )
        .unwrap();
        let book = |chapters: &[(&str, &str)]| Book::in_memory(manifest.clone(), chapters);
        assert_eq!(
            left_as_written(&book(&[("a.md", "{{#include x.rs}} \\{{kept}} text")])),
            ""
        );
        assert_eq!(
            left_as_written(&book(&[("a.md", "Say {{shout hi}}."), ("b.md", "plain")])),
            ", such as `{{shout hi}}` in `a.md`"
        );
        assert_eq!(
            left_as_written(&book(&[
                ("a.md", "{{#title T}} {{a}}"),
                ("b.md", "{{b}}"),
                ("c.md", "{{c}}")
            ])),
            ", such as `{{a}}` in `a.md` and directives in 2 more chapters"
        );
    }

    fn mdbook(manifest: &str, chapters: &[(&str, &str)]) -> Book {
        let manifest = crate::manifest::mdbook::parse(manifest, "x", &mut Vec::new()).unwrap();
        let paths: Vec<(String, &str)> = chapters
            .iter()
            .map(|(path, text)| (format!("src/{path}"), *text))
            .collect();
        let paths: Vec<(&str, &str)> = paths.iter().map(|(p, t)| (p.as_str(), *t)).collect();
        let mut book = Book::in_memory(manifest, &paths);
        for chapter in &mut book.chapters {
            let expanded = Expanded::unchanged(&chapter.text, &chapter.display);
            chapter.trace = Some(Arc::new(expanded));
        }
        book.mdbook = Some(super::super::MdBookSite {
            src: book.root.resolve(book.root.book(), "src").unwrap(),
            ..Default::default()
        });
        book
    }

    fn config(manifest: &str) -> MdBookConfig {
        crate::manifest::mdbook::parse(manifest, "x", &mut Vec::new())
            .unwrap()
            .mdbook
            .unwrap()
    }

    #[test]
    fn includes_wait_for_a_preprocessor_that_runs_first() {
        assert!(includes_at_load(&config(
            "[book]
"
        )));
        // `admonish` and `links` wait for nothing: `admonish` comes first by name.
        assert!(!includes_at_load(&config(
            "[book]
[preprocessor.admonish]
"
        )));
        assert!(includes_at_load(&config(
            "[book]
[preprocessor.admonish]
after = [\"links\"]
"
        )));
        assert!(includes_at_load(&config(
            "[book]
[preprocessor.zebra]
"
        )));
        // Not for EPUB: it never runs, so it cannot come first.
        assert!(includes_at_load(&config(
            "[book]
[preprocessor.admonish]
renderers = [\"html\"]
"
        )));
        // Without the default preprocessors, nothing is expanded, unless
        // `links` has a table of its own.
        assert!(!includes_at_load(&config(
            "[book]
[build]
use-default-preprocessors = false
"
        )));
        assert!(includes_at_load(&config(
            "[book]
[build]
use-default-preprocessors = false
[preprocessor.links]
"
        )));
    }

    #[test]
    fn the_book_goes_out_for_mdbook_0_4_and_0_5() {
        let book = mdbook(
            "[book]
",
            &[("README.md", "# Hi\n"), ("a/README.md", "x")],
        );
        let json = book_json(&book, false);
        assert_eq!(json["sections"], json["items"]);
        assert_eq!(json["items"][0]["Chapter"]["path"], "README.md");
        // After mdBook's `index`, README.md is index.md; where it was read stays.
        let json = book_json(&book, true);
        assert_eq!(json["items"][0]["Chapter"]["path"], "index.md");
        assert_eq!(json["items"][1]["Chapter"]["path"], "a/index.md");
        assert_eq!(json["items"][1]["Chapter"]["source_path"], "a/README.md");
    }

    #[test]
    fn the_changed_list_of_an_answer_counts() {
        let mut book = mdbook(
            "[book]
",
            &[("one.md", "one"), ("README.md", "two")],
        );
        let chapter = |path: &str, content: &str| json!({"Chapter": {"name": "", "content": content, "path": path, "sub_items": []}});
        // A preprocessor for mdBook 0.5 changed `items` and passed `sections` on.
        let answer = json!({
            "sections": [chapter("one.md", "one"), chapter("index.md", "two")],
            "items": [chapter("one.md", "ONE"), chapter("index.md", "TWO")],
        });
        apply(&mut book, &answer, true).unwrap();
        assert_eq!(&*book.chapters[0].markdown, "ONE");
        assert_eq!(&*book.chapters[1].markdown, "TWO");
        // One for 0.4 answers with `sections` alone.
        let answer = json!({"sections": [chapter("one.md", "uno")]});
        apply(&mut book, &answer, false).unwrap();
        assert_eq!(&*book.chapters[0].markdown, "uno");
    }

    #[test]
    fn a_rewritten_chapter_keeps_its_title() {
        let mut book = mdbook(
            "[book]
",
            &[("one.md", "one")],
        );
        let mut trace = Expanded::unchanged("one", "src/one.md");
        trace.title = Some("The Page".into());
        book.chapters[0].trace = Some(Arc::new(trace));
        changed(&mut book.chapters[0], "new text");
        let trace = book.chapters[0].trace.as_ref().unwrap();
        assert_eq!(trace.text, "new text");
        assert_eq!(trace.title.as_deref(), Some("The Page"));
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
        let mut book = mdbook(
            "[book]
",
            &[],
        );
        assert!(apply(&mut book, &json!({"x": 1}), false).is_err());
        assert!(apply(&mut book, &json!({"items": 1}), false).is_err());
        assert!(apply(&mut book, &json!({"sections": []}), false).is_ok());
        assert!(apply(&mut book, &json!({"items": []}), false).is_ok());
    }
}
