use super::*;
use crate::diag::ToDiagnostic;
use crate::load::{Book, BookRoot};
use crate::manifest::{self, Manifest};

/// A book of chapters held in memory: `(path, markdown)`.
fn book(chapters: &[(&str, &str)]) -> Book {
    let manifest: Manifest = manifest::parse(
        "[book]\ntitle = \"T\"\nlanguage = \"fr\"\n",
        &mut Vec::new(),
    )
    .unwrap();
    Book::in_memory(manifest, chapters)
}

fn render_one(markdown: &str) -> (RenderedChapter, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    let mut chapters = render_book(&book(&[("chapters/one.md", markdown)]), &mut warnings).unwrap();
    (chapters.remove(0), warnings)
}

/// The chapter's body: what is inside its `<section>`.
fn body(markdown: &str) -> String {
    let xhtml = render_one(markdown).0.xhtml;
    let start = xhtml
        .find("<section")
        .and_then(|i| xhtml[i..].find('>').map(|j| i + j + 2))
        .unwrap();
    let end = xhtml.rfind("</section>").unwrap();
    xhtml[start..end].to_string()
}

fn errors(chapters: &[(&str, &str)]) -> Vec<String> {
    render_book(&book(chapters), &mut Vec::new())
        .unwrap_err()
        .iter()
        .map(|e| format!("{} {}:{:?} {}", e.code(), e.file, e.span, e.kind))
        .collect()
}

#[test]
fn document_is_xhtml_with_language_and_stylesheet() {
    let (chapter, _) = render_one("# Hello\n\nText.\n");
    assert!(
        chapter
            .xhtml
            .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n")
    );
    assert!(chapter.xhtml.contains(r#"xml:lang="fr" lang="fr""#));
    assert!(
        chapter
            .xhtml
            .contains(r#"<link rel="stylesheet" type="text/css" href="../css/book.css"/>"#)
    );
    assert!(chapter.xhtml.contains("<title>Hello</title>"));
    assert_eq!(chapter.file, "001-one.xhtml");
}

#[test]
fn text_is_escaped_and_void_elements_closed() {
    assert_eq!(
        body("a < b & c > d \"q\"  \nnext\n\n---\n"),
        "<p>a &lt; b &amp; c &gt; d «\u{202f}q\u{202f}»<br/>\nnext</p>\n<hr/>\n"
    );
    // A control character that XML cannot hold becomes U+FFFD.
    assert_eq!(body("bell \u{7}\n"), "<p>bell \u{FFFD}</p>\n");
}

#[test]
fn smart_punctuation_strikethrough_and_task_lists() {
    assert_eq!(
        body("\"Quote\" -- it's --- done...\n"),
        "<p>«\u{202f}Quote\u{202f}» – it’s — done…</p>\n"
    );
    assert_eq!(body("~~gone~~\n"), "<p><del>gone</del></p>\n");
    assert_eq!(
        body("- [x] done\n- [ ] open\n"),
        "<ul>\n<li><input type=\"checkbox\" disabled=\"disabled\" checked=\"checked\" aria-label=\"fait\"/> done</li>\n<li><input type=\"checkbox\" disabled=\"disabled\" aria-label=\"à faire\"/> open</li>\n</ul>\n"
    );
}

#[test]
fn headings_get_github_ids_and_keep_explicit_ones() {
    let html = body(
        "# Intro\n\n## Same\n\n## Same\n\n## Custom {#mine .wide}\n\n## 2. Numbers first\n\n## ?!\n",
    );
    assert_eq!(
        html,
        "<h1 id=\"intro\">Intro</h1>\n<h2 id=\"same\">Same</h2>\n<h2 id=\"same-1\">Same</h2>\n\
         <h2 id=\"mine\" class=\"wide\">Custom</h2>\n<h2 id=\"h-2-numbers-first\">2. Numbers first</h2>\n\
         <h2 id=\"section\">?!</h2>\n"
            .replace("id=\"section\"", "id=\"h\"")
    );
}

#[test]
fn heading_ids_ignore_smart_punctuation_as_github_does() {
    let html = body("## Before -- after\n\n## Don't \"quote\" me...\n\n## 🦀 Rust & C++\n");
    assert_eq!(
        html,
        "<h2 id=\"before----after\">Before – after</h2>\n\
         <h2 id=\"dont-quote-me\">Don’t «\u{202f}quote\u{202f}» me…</h2>\n\
         <h2 id=\"h--rust--c\">🦀 Rust &amp; C++</h2>\n"
    );
}

#[test]
fn links_to_slugs_reach_ids_that_had_to_change() {
    let chapters = [
        (
            "chapters/a.md",
            "# A\n\nSee [numbers](b.md#2-numbers) and [top](b.md).\n",
        ),
        ("chapters/b.md", "# B\n\n## 2. Numbers\n"),
    ];
    let rendered = render_book(&book(&chapters), &mut Vec::new()).unwrap();
    assert!(
        rendered[0]
            .xhtml
            .contains(r#"<a href="002-b.xhtml#h-2-numbers">numbers</a>"#)
    );
    assert!(
        rendered[0]
            .xhtml
            .contains(r#"<a href="002-b.xhtml">top</a>"#)
    );
}

#[test]
fn links_in_every_form_resolve() {
    let chapters = [
        (
            "chapters/a.md",
            "# A\n\n## Here\n\n[1](b%20c.md) [2](<b c.md#sub-part>) [3](#here) [4](./b%20c.md#Sub-Part) [5](https://x.org/a?b=1) [6](mailto:a@b.c) <a@b.org>\n",
        ),
        ("chapters/b c.md", "# B\n\n## Sub part\n"),
    ];
    let rendered = render_book(&book(&chapters), &mut Vec::new());
    let errors: Vec<String> = match &rendered {
        Ok(_) => Vec::new(),
        Err(e) => e.iter().map(|e| e.kind.to_string()).collect(),
    };
    // Fragments are matched exactly: `Sub-Part` is not `sub-part`.
    assert_eq!(
        errors,
        ["link to `#Sub-Part`, which is not an id in `chapters/b c.md`"]
    );
    let chapters = [
        (
            "chapters/a.md",
            "# A\n\n## Here\n\n[1](b%20c.md) [2](<b c.md#sub-part>) [3](#here) [5](https://x.org/a?b=1) [6](mailto:a@b.c) <a@b.org>\n",
        ),
        ("chapters/b c.md", "# B\n\n## Sub part\n"),
    ];
    let rendered = render_book(&book(&chapters), &mut Vec::new()).unwrap();
    let html = &rendered[0].xhtml;
    for expected in [
        r#"<a href="002-b-c.xhtml">1</a>"#,
        r#"<a href="002-b-c.xhtml#sub-part">2</a>"#,
        r##"<a href="#here">3</a>"##,
        r#"<a href="https://x.org/a?b=1">5</a>"#,
        r#"<a href="mailto:a@b.c">6</a>"#,
        r#"<a href="mailto:a@b.org">a@b.org</a>"#,
    ] {
        assert!(html.contains(expected), "{expected} in {html}");
    }
}

#[test]
fn broken_links_and_anchors_are_errors_with_a_hint() {
    assert_eq!(
        errors(&[("chapters/a.md", "# A\n\n[x](b.md) [y](#ehre)\n\n## Here\n")]),
        [
            "B200 chapters/a.md:5..14 link to `b.md`, which is not a chapter of this book",
            "B201 chapters/a.md:15..25 link to `#ehre`, which is not an id in `chapters/a.md`",
        ]
    );
    let error = render_book(
        &book(&[("chapters/a.md", "[y](#heer)\n\n## Here\n")]),
        &mut Vec::new(),
    )
    .unwrap_err();
    assert_eq!(
        error[0].to_diagnostic().help.as_deref(),
        Some("did you mean `#here`?")
    );
}

#[test]
fn a_fragment_missing_from_its_chapter_leads_to_the_one_other_chapter_that_has_it() {
    let book = book(&[
        (
            "chapters/a.md",
            "# A\n\nSee [the method](#method) and [here](#a).\n",
        ),
        ("chapters/b.md", "# B\n\n## Method\n"),
        ("chapters/c.md", "# C\n\n## Notes\n"),
    ]);
    let mut warnings = Vec::new();
    let chapters = render_book(&book, &mut warnings).unwrap();
    assert!(
        chapters[0]
            .xhtml
            .contains("<a href=\"002-b.xhtml#method\">the method</a> and <a href=\"#a\">here</a>"),
        "{}",
        chapters[0].xhtml
    );
    // Not a warning of the build: a note that `bindery check` gives.
    assert!(warnings.is_empty(), "{warnings:?}");
    let notes: Vec<String> = chapters[0]
        .elsewhere
        .iter()
        .map(|d| format!("{} {:?} {}", d.code, d.span, d.message))
        .collect();
    assert_eq!(
        notes,
        ["B216 Some(9..30) link to `#method` leads to `chapters/b.md`"]
    );
}

#[test]
fn a_fragment_in_several_other_chapters_is_an_error_that_names_them() {
    let chapters = [
        (
            "chapters/a.md",
            "# A\n\n[n](#notes) [m](#nowhere)\n\n## Now here\n",
        ),
        ("chapters/b.md", "# B\n\n## Notes\n"),
        ("chapters/c.md", "# C\n\n## Notes\n"),
    ];
    assert_eq!(
        errors(&chapters),
        [
            "B215 chapters/a.md:5..16 link to `#notes`, which is not an id in this chapter but is one in `chapters/b.md` and `chapters/c.md`",
            "B201 chapters/a.md:17..30 link to `#nowhere`, which is not an id in `chapters/a.md`",
        ]
    );
    let error = render_book(&book(&chapters), &mut Vec::new()).unwrap_err();
    assert_eq!(
        error[0].to_diagnostic().help.as_deref(),
        Some(
            "name the chapter in the link, such as `b.md#notes`, or give the headings ids of their own with `{#id}`"
        )
    );
    assert_eq!(
        error[1].to_diagnostic().help.as_deref(),
        Some("did you mean `#now-here`?")
    );
}

#[test]
fn images_are_resolved_relative_to_the_chapter_and_requested_from_load() {
    let (chapter, _) = render_one("See ![A *map*](../assets/my%20map.png \"The map\").\n");
    assert_eq!(chapter.assets.len(), 1);
    assert_eq!(chapter.assets[0].path.as_str(), "assets/my map.png");
    assert!(
        chapter
            .xhtml
            .contains(r#"<img src="../media/assets/my_20map.png" alt="A map" title="The map"/>"#)
    );
}

#[test]
fn remote_images_and_escaping_paths_are_errors() {
    assert_eq!(
        errors(&[(
            "chapters/a.md",
            "![x](https://e.org/x.png)\n\n![y](../../../etc/passwd)\n"
        )]),
        [
            "B203 chapters/a.md:0..25 remote image `https://e.org/x.png`",
            "B204 chapters/a.md:27..52 `../../../etc/passwd` points outside the book",
        ]
    );
}

#[test]
fn duplicate_and_invalid_explicit_ids_are_errors() {
    assert_eq!(
        errors(&[("chapters/a.md", "# A {#x}\n\n# B {#x}\n\n# C {#1x}\n")]),
        [
            "B205 chapters/a.md:10..19 the id `x` is used twice in this chapter",
            "B206 chapters/a.md:20..30 `1x` is not a valid id",
        ]
    );
}

#[test]
fn footnotes_are_numbered_by_first_reference() {
    let html = body("Text[^b] and[^a] again[^b].\n\n[^a]: Note A.\n[^b]: Note B.\n\n    more B\n");
    assert!(html.starts_with(
        "<p>Text<sup><a epub:type=\"noteref\" role=\"doc-noteref\" id=\"fnref-b\" href=\"#fn-b\">1</a></sup> and<sup><a epub:type=\"noteref\" role=\"doc-noteref\" id=\"fnref-a\" href=\"#fn-a\">2</a></sup> again<sup><a epub:type=\"noteref\" role=\"doc-noteref\" id=\"fnref-b-1\" href=\"#fn-b\">1</a></sup>.</p>\n"
    ), "{html}");
    let b = html.find("id=\"fn-b\"").unwrap();
    let a = html.find("id=\"fn-a\"").unwrap();
    assert!(b < a, "notes follow reference order: {html}");
    // Numbered by the list; the back-links end the last paragraph.
    assert!(
        html.contains(
            "<div class=\"footnotes\">\n<hr/>\n<ol class=\"footnote-list\">\n<li><aside \
             epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn-b\">\n<p>Note B.</p>\n<p>more B\u{a0}\
             <a href=\"#fnref-b\" role=\"doc-backlink\" aria-label=\"Retour à l’appel de note 1\">↩\u{fe0e}</a> \
             <a href=\"#fnref-b-1\" role=\"doc-backlink\" aria-label=\"Retour à l’appel de note 2\">↩\u{fe0e}2</a>\
             </p>\n</aside></li>\n"
        ),
        "{html}"
    );
}

#[test]
fn back_links_after_a_last_block_that_is_no_paragraph_have_one_of_their_own() {
    let html = body("Text[^a].\n\n[^a]: A list:\n\n    - one\n    - two\n");
    assert!(
        html.contains(
            "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<p>\u{a0}<a href=\"#fnref-a\" \
             role=\"doc-backlink\" aria-label=\"Retour à l’appel de note 1\">↩\u{fe0e}</a></p>\n</aside></li>"
        ),
        "{html}"
    );
}

#[test]
fn unreferenced_footnotes_are_a_warning() {
    let (_, warnings) = render_one("Text.\n\n[^lost]: Nobody cites me.\n");
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].code, "B252");
    assert_eq!(warnings[0].message, "footnote `lost` is never referred to");
}

#[test]
fn words_of_inline_code_with_hyphens_are_kept_on_one_line() {
    assert_eq!(
        body(
            "Run `bindery build --preprocessors -o x.epub` or `a - b` or `--a-very-long-option-name-indeed-x`.\n"
        ),
        "<p>Run <code>bindery build <span class=\"nobreak\">--preprocessors</span> \
         <span class=\"nobreak\">-o</span> x.epub</code> or <code>a - b</code> or \
         <code>--a-very-long-option-name-indeed-x</code>.</p>\n"
    );
}

#[test]
fn tables_have_head_body_and_alignment() {
    assert_eq!(
        body("| a | b |\n|:--|--:|\n| 1 | 2 |\n"),
        "<div class=\"table\">\n<table>\n<thead>\n<tr><th class=\"align-left\">a</th><th class=\"align-right\">b</th></tr>\n</thead>\n<tbody>\n<tr><td class=\"align-left\">1</td><td class=\"align-right\">2</td></tr>\n</tbody>\n</table>\n</div>\n"
    );
}

#[test]
fn every_word_of_an_info_string_is_a_class_and_failing_code_is_labelled() {
    // The test book is in French: the labels are too.
    assert_eq!(
        body("```rust,ignore,does_not_compile\nx\n```\n"),
        "<p class=\"code-label does-not-compile\">Ne compile pas</p>\n\
         <pre class=\"does-not-compile\"><code class=\"language-rust ignore does_not_compile\">x\n</code></pre>\n"
    );
    assert!(
        body("```rust,should_panic\nx\n```\n")
            .starts_with("<p class=\"code-label panics\">S’arrête sur une erreur</p>\n<pre class=\"panics\"><code class=\"language-rust should_panic\">")
    );
    assert!(
        body("```rust,not_desired_behavior\nx\n```\n")
            .contains(">Ne fait pas ce qu’il devrait</p>")
    );
    // Marks about running the code keep their class and get no label.
    assert_eq!(
        body("```rust,editable,no_run\nx\n```\n"),
        "<pre><code class=\"language-rust editable no_run\">x\n</code></pre>\n"
    );
    // Attributes after `{` and words that cannot be class names are left out.
    assert_eq!(
        body("```text ok\" onload=x {.a}\nx\n```\n"),
        "<pre><code class=\"language-text\">x\n</code></pre>\n"
    );
}

#[test]
fn code_blocks_keep_their_language_as_a_class_and_are_highlighted() {
    assert_eq!(
        body("```rust ignore\nfn main() { a < b }\n```\n"),
        "<pre><code class=\"language-rust ignore\"><b class=\"hl-keyword\">fn</b> \
         <span class=\"hl-function\">main</span>() { a <span class=\"hl-operator\">&lt;</span> b }\n\
         </code></pre>\n"
    );
    // An unknown language, and no language, stay plain text.
    assert_eq!(
        body("```klingon\nfn main() { a < b }\n```\n"),
        "<pre><code class=\"language-klingon\">fn main() { a &lt; b }\n</code></pre>\n"
    );
    assert_eq!(
        body("    let x = 1;\n"),
        "<pre><code>let x = 1;\n</code></pre>\n"
    );
}

#[test]
fn formulas_become_mathml_and_dollar_amounts_stay_text() {
    let (chapter, _) = render_one("Prices: $5 and $10. A formula: $x^2$.\n\n$$\\frac{a}{b}$$\n");
    assert!(chapter.contains.mathml);
    assert!(
        chapter.xhtml.contains(
            "<p>Prices: $5 and $10. A formula: <math xmlns=\"http://www.w3.org/1998/Math/MathML\" \
             alttext=\"x^2\"><msup><mi>x</mi><mn>2</mn></msup></math>.</p>"
        ),
        "{}",
        chapter.xhtml
    );
    assert!(chapter.xhtml.contains("display=\"block\""));
    let (chapter, _) = render_one("Only $5 and $10 here.\n");
    assert!(!chapter.contains.mathml);
}

#[test]
fn raw_html_is_parsed_and_written_as_xhtml() {
    let (chapter, warnings) = render_one(
        "<div class=\"note\">\n<p>Unclosed <br> paragraph &nbsp; &bogus;\n</div>\n\nA <b>bold *and* more</b> <em>x.\n\n<!-- a comment -- with dashes -->\n",
    );
    assert!(
        chapter.xhtml.contains(
            "<div class=\"note\">\n<p>Unclosed <br/> paragraph \u{a0} &amp;bogus;\n</p></div>\n<p>A <b>bold <em>and</em> more</b> <em>x.</em></p>"
        ),
        "{}",
        chapter.xhtml
    );
    assert!(!chapter.xhtml.contains("comment"));
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn raw_html_references_resolve_like_markdown() {
    let chapters = [
        (
            "chapters/a.md",
            "# A\n\n<a name=\"here\"></a>\n\n[back](#here) <a href=\"b.md#part\">b</a>\n\n<img src=\"../assets/p.png\" alt=\"P\">\n",
        ),
        ("chapters/b.md", "# B\n\n## Part\n"),
    ];
    let rendered = render_book(&book(&chapters), &mut Vec::new()).unwrap();
    let html = &rendered[0].xhtml;
    assert!(html.contains("<a id=\"here\"></a>"), "{html}");
    assert!(html.contains("<a href=\"#here\">back</a>"), "{html}");
    assert!(
        html.contains("<a href=\"002-b.xhtml#part\">b</a>"),
        "{html}"
    );
    assert!(
        html.contains("<img src=\"../media/assets/p.png\" alt=\"P\"/>"),
        "{html}"
    );
    assert_eq!(rendered[0].assets[0].path.as_str(), "assets/p.png");
    let errors = errors(&[("chapters/a.md", "x\n\n<a href=\"nope.md\">n</a>\n")]);
    assert_eq!(
        errors,
        ["B200 chapters/a.md:3..21 link to `nope.md`, which is not a chapter of this book"]
    );
}

#[test]
fn disallowed_html_is_reported_where_it_is_written() {
    let (chapter, warnings) =
        render_one("Intro.\n\n<center onclick=\"go()\">Hi</center>\n\n<script>alert(1)</script>\n");
    assert!(
        chapter.xhtml.contains("<div class=\"center\">Hi</div>"),
        "{}",
        chapter.xhtml
    );
    assert!(!chapter.xhtml.contains("alert"));
    let found: Vec<String> = warnings
        .iter()
        .map(|w| format!("{} {:?} {}", w.code, w.span, w.message))
        .collect();
    assert_eq!(
        found,
        [
            "B253 Some(8..43) `<center>` is not allowed in EPUB 3; it becomes `<div>`",
            "B254 Some(8..43) event handler `onclick` is left out",
            "B253 Some(44..70) `<script>` is left out with its content",
        ]
    );
}

#[test]
fn inline_svg_is_marked_for_the_package() {
    let (chapter, _) =
        render_one("<svg width=\"10\" height=\"10\"><rect width=\"5\" height=\"5\"/></svg>\n");
    assert!(chapter.contains.svg);
    assert!(chapter.xhtml.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"5\" height=\"5\"></rect></svg>"), "{}", chapter.xhtml);
}

#[test]
fn images_without_alt_text_are_a_warning() {
    let (chapter, warnings) = render_one("![](pic.png)\n");
    // Not described, and not said to be decoration either.
    assert!(
        chapter
            .xhtml
            .contains("<img src=\"../media/chapters/pic.png\"/>"),
        "{}",
        chapter.xhtml
    );
    assert_eq!(
        warnings.iter().map(|w| w.code).collect::<Vec<_>>(),
        ["B255"]
    );
}

#[test]
fn chapter_title_falls_back_to_the_file_name() {
    let (chapter, _) = render_one("Just text.\n");
    assert_eq!(chapter.title, "One");
    assert!(!chapter.first_heading_is_title);
    let path = BookRoot::detached(std::path::Path::new("/x"))
        .resolve(&Default::default(), "chapters/03-the_long-road.md")
        .unwrap();
    assert_eq!(title_from_file_name(&path), "The long road");
}

#[test]
fn bom_free_crlf_text_renders_like_lf() {
    assert_eq!(
        body("# T\r\n\r\nLine one\r\nline two\r\n"),
        body("# T\n\nLine one\nline two\n")
    );
}

#[test]
fn a_lone_image_with_a_title_is_a_figure_with_a_caption() {
    let chapters = [(
        "chapters/one.md",
        "![A kite](kite.png \"The red kite\")\n\n![Inline](kite.png \"Not alone\") with text.\n\n![No title](kite.png)\n",
    )];
    let rendered = render_book(&book(&chapters), &mut Vec::new()).unwrap();
    let xhtml = &rendered[0].xhtml;
    assert!(
        xhtml.contains(
            "<figure><img src=\"../media/chapters/kite.png\" alt=\"A kite\"/>\
             <figcaption>The red kite</figcaption></figure>"
        ),
        "{xhtml}"
    );
    assert!(xhtml.contains("<p><img src=\"../media/chapters/kite.png\" alt=\"Inline\" title=\"Not alone\"/> with text.</p>"), "{xhtml}");
    assert!(
        xhtml.contains("<p><img src=\"../media/chapters/kite.png\" alt=\"No title\"/></p>"),
        "{xhtml}"
    );
}

#[test]
fn page_markers_become_page_breaks_unless_escaped_or_in_code() {
    let (chapter, _) = render_one(
        "Text {{page 12}} goes on.\n\n{{page xiii}}\n\nNot: \\{{page 14}}, `{{page 15}}`, {{page}}, {{page 1 2}}.\n",
    );
    assert_eq!(
        chapter.pages,
        [
            ("12".to_string(), "page-12".to_string()),
            ("xiii".to_string(), "page-xiii".to_string())
        ]
    );
    assert!(chapter.xhtml.contains(
        "<p>Text <span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"page-12\" aria-label=\"12\"/> goes on.</p>"
    ));
    assert!(
        chapter
            .xhtml
            .contains("<p>Not: {{page 14}}, <code>{{page 15}}</code>, {{page}}, {{page 1 2}}.</p>"),
        "{}",
        chapter.xhtml
    );
}

/// Renders `chapters` with `cache` and from nothing, checks that both give
/// the same chapters and warnings, and returns the chapters rendered.
fn render_again(cache: &mut RenderCache, chapters: &[(&str, &str)]) -> Vec<String> {
    let book = book(chapters);
    let (mut cached_warnings, mut fresh_warnings) = (Vec::new(), Vec::new());
    let cached = render_book_cached(&book, &|_| false, &mut cached_warnings, Some(cache));
    let fresh = render_book(&book, &mut fresh_warnings);
    let xhtml = |r: Result<Vec<RenderedChapter>, Vec<RenderError>>| match r {
        Ok(chapters) => Ok(chapters
            .into_iter()
            .map(|c| (c.file, c.xhtml, c.notes))
            .collect::<Vec<_>>()),
        Err(errors) => Err(format!("{errors:?}")),
    };
    assert_eq!(xhtml(cached), xhtml(fresh));
    assert_eq!(
        format!("{cached_warnings:?}"),
        format!("{fresh_warnings:?}")
    );
    cache.rendered_chapters.clone()
}

#[test]
fn the_cache_renders_again_only_the_chapters_whose_link_targets_changed() {
    let mut cache = RenderCache::default();
    let a = "# A\n\n## Kept\n";
    let b = "# B\n\n[to A](a.md) and [its section](a.md#kept).\n";
    let c = "# C\n\n## Aside\n";
    let book = |a, c| [("a.md", a), ("b.md", b), ("c.md", c)];
    assert_eq!(
        render_again(&mut cache, &book(a, c)),
        ["a.md", "b.md", "c.md"]
    );
    assert_eq!(render_again(&mut cache, &book(a, c)), [""; 0]);
    // A's text, not its ids: A alone.
    let a2 = "# A\n\nMore.\n\n## Kept\n";
    assert_eq!(render_again(&mut cache, &book(a2, c)), ["a.md"]);
    // A new heading in A: A alone, as B's links lead where they did.
    let a3 = "# A\n\nMore.\n\n## Kept\n\n## New\n";
    assert_eq!(render_again(&mut cache, &book(a3, c)), ["a.md"]);
    // A heading nobody links to renamed: C alone.
    assert_eq!(
        render_again(&mut cache, &book(a3, "# C\n\n## Beside\n")),
        ["c.md"]
    );
    // B's link leads elsewhere when the id its slug names is taken first:
    // A, and B, whose link is filled in again.
    let b2 = "# B\n\n[numbers](a.md#2-numbers).\n";
    let numbers = "# A\n\n## 2. Numbers\n";
    let taken = "# A\n\n<a id=\"h-2-numbers\"></a>\n\n## 2. Numbers\n";
    let book = |a, b| [("a.md", a), ("b.md", b), ("c.md", c)];
    render_again(&mut cache, &book(numbers, b2));
    assert_eq!(render_again(&mut cache, &book(taken, b2)), ["a.md", "b.md"]);
    assert_eq!(render_again(&mut cache, &book(taken, b2)), [""; 0]);
}

#[test]
fn the_cache_fills_in_again_a_link_that_may_lead_into_any_chapter() {
    let mut cache = RenderCache::default();
    let a = "# A\n\n[the method](#method).\n";
    let book = |b, c| [("a.md", a), ("b.md", b), ("c.md", c)];
    render_again(&mut cache, &book("# B\n\n## Method\n", "# C\n"));
    // The heading moves from B to C: A's link follows it.
    let moved = render_again(&mut cache, &book("# B\n", "# C\n\n## Method\n"));
    assert_eq!(moved, ["a.md", "b.md", "c.md"]);
    // Now in both: an error, as from nothing.
    render_again(
        &mut cache,
        &book("# B\n\n## Method\n", "# C\n\n## Method\n"),
    );
}

#[test]
fn the_cache_renders_again_a_chapter_whose_link_failed() {
    let mut cache = RenderCache::default();
    let b = "# B\n\n[later](a.md#later).\n";
    let failed = render_again(&mut cache, &[("a.md", "# A\n"), ("b.md", b)]);
    assert_eq!(failed, ["a.md", "b.md"]);
    // The failed chapter is not kept: fixing the other renders both again.
    let fixed = render_again(&mut cache, &[("a.md", "# A\n\n## Later\n"), ("b.md", b)]);
    assert_eq!(fixed, ["a.md", "b.md"]);
    assert_eq!(
        render_again(&mut cache, &[("a.md", "# A\n\n## Later\n"), ("b.md", b)]),
        [""; 0]
    );
}

/// Links to headings in other chapters are filled in after every chapter
/// is written: in Markdown, raw HTML and footnotes (also in the notes
/// chapter), both ways between two chapters, and in a chapter whose own
/// text holds what could pass for a marker, which stays text.
#[test]
fn links_to_other_chapters_ids_are_filled_in_wherever_they_are() {
    let look_alike = "\u{FDD0}0\u{FDD1}";
    let a = "# A\n\n## Start\n\nOn to [b](b.md#end) and <a href=\"b.md#end\">raw</a>.[^n]\n\n[^n]: See [b](b.md#end).\n";
    let b = "# B\n\n## End\n\nBack to [a](a.md#start).\n";
    let c = format!("# C\n\nText {look_alike}, and [b](b.md#end).\n");
    for placement in ["chapter", "book"] {
        let manifest = format!(
            "[book]\ntitle = \"T\"\nlanguage = \"en\"\n[notes]\nplacement = \"{placement}\"\n"
        );
        let manifest = manifest::parse(&manifest, &mut Vec::new()).unwrap();
        let book = Book::in_memory(
            manifest,
            &[
                ("chapters/a.md", a),
                ("chapters/b.md", b),
                ("chapters/c.md", &c),
            ],
        );
        let rendered = render_book(&book, &mut Vec::new()).unwrap();
        let a_html = &rendered[0].xhtml;
        assert!(
            a_html.contains("<a href=\"002-b.xhtml#end\">b</a>"),
            "{a_html}"
        );
        assert!(
            a_html.contains("<a href=\"002-b.xhtml#end\">raw</a>"),
            "{a_html}"
        );
        let c_html = &rendered[2].xhtml;
        assert!(
            c_html.contains(&format!(
                "Text {look_alike}, and <a href=\"002-b.xhtml#end\">b</a>."
            )),
            "{c_html}"
        );
        assert!(
            rendered[1]
                .xhtml
                .contains("<a href=\"001-a.xhtml#start\">a</a>")
        );
        let notes: String = rendered.iter().map(|c| &*c.xhtml).collect();
        // In the text and in the footnote, wherever the footnote goes; and in C.
        assert_eq!(
            notes.matches("002-b.xhtml#end\">b</a>").count(),
            3,
            "{notes}"
        );
        assert_eq!(notes.matches('\u{FDD0}').count(), 1, "{notes}");
    }
}

/// With `broken-links = "warn"`, a link to an id another chapter lacks
/// loses its target, in Markdown and in raw HTML, with a warning each.
#[test]
fn a_lenient_broken_anchor_in_another_chapter_leaves_a_link_without_target() {
    let manifest =
        "[book]\ntitle = \"T\"\nlanguage = \"en\"\n[markdown]\nbroken-links = \"warn\"\n";
    let manifest = manifest::parse(manifest, &mut Vec::new()).unwrap();
    let a = "# A\n\n[md](b.md#nope \"t\") and <a class=\"x\" href=\"b.md#nope\">raw</a>.\n";
    let book = Book::in_memory(
        manifest,
        &[("chapters/a.md", a), ("chapters/b.md", "# B\n")],
    );
    let mut warnings = Vec::new();
    let rendered = render_book(&book, &mut warnings).unwrap();
    let html = &rendered[0].xhtml;
    assert!(html.contains("<a title=\"t\">md</a>"), "{html}");
    assert!(html.contains("<a class=\"x\">raw</a>"), "{html}");
    let codes: Vec<String> = warnings.iter().map(|w| w.code.to_string()).collect();
    assert_eq!(codes, ["B201", "B201"]);
}

/// Text that spells a marker with character references is text: it is
/// neither filled in nor taken for an attribute to remove.
#[test]
fn marker_look_alikes_written_as_references_stay_text() {
    let b = "# B\n\n## End\n";
    let a = "# A\n\n[b](b.md#end). Literal &#xFDD0;0&#xFDD1;. [t](#a \"&#xFDD0;0&#xFDD1;\")\n";
    let rendered = render_book(
        &book(&[("chapters/a.md", a), ("chapters/b.md", b)]),
        &mut Vec::new(),
    )
    .unwrap();
    let html = &rendered[0].xhtml;
    assert!(
        html.contains("<a href=\"002-b.xhtml#end\">b</a>. Literal \u{FDD0}0\u{FDD1}."),
        "{html}"
    );
    assert!(html.contains("title=\"\u{FDD0}0\u{FDD1}\""), "{html}");

    let manifest =
        "[book]\ntitle = \"T\"\nlanguage = \"en\"\n[markdown]\nbroken-links = \"warn\"\n";
    let manifest = manifest::parse(manifest, &mut Vec::new()).unwrap();
    let a = "# A\n\n[x](b.md#nope)\n\n<p>Some <em>a=\"&#xFDD0;0&#xFDD1;\"</em></p>\n";
    let book = Book::in_memory(manifest, &[("chapters/a.md", a), ("chapters/b.md", b)]);
    let rendered = render_book(&book, &mut Vec::new()).unwrap();
    let html = &rendered[0].xhtml;
    assert!(html.contains("<p><a>x</a></p>"), "{html}");
    assert!(
        html.contains("<p>Some <em>a=\"\u{FDD0}0\u{FDD1}\"</em></p>"),
        "{html}"
    );
}

#[test]
fn pandoc_markdown_that_cannot_be_read_as_pandoc_does_is_a_warning() {
    let (chapter, warnings) =
        render_one("# A\n\n:::\n\n::: note\nOpen.\n\nAn inline^[note] here.\n");
    let found: Vec<String> = warnings
        .iter()
        .map(|d| format!("{} {:?} {}", d.code, d.span, d.message))
        .collect();
    assert_eq!(
        found,
        [
            "B265 Some(5..8) a closing `:::` without a fenced div to close is left out",
            "B265 Some(10..18) this fenced div is never closed; it ends with the chapter",
            "B265 Some(35..36) an inline note `^[…]` is kept as text",
        ]
    );
    assert!(
        chapter
            .xhtml
            .contains("<div class=\"note\">\n<p>Open.</p>\n<p>An inline^[note] here.</p>\n</div>"),
        "{}",
        chapter.xhtml
    );
}

#[test]
fn pandoc_markdown_leaves_code_alone() {
    let html = body("```\n::: note\n2^10^ and [x]{.y}\n```\n\n`H~2~O`\n");
    assert!(html.contains("::: note\n2^10^ and [x]{.y}\n"), "{html}");
    assert!(html.contains("<code>H~2~O</code>"), "{html}");
}
