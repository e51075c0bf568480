//! Headings → table of contents and landmarks: the fourth stage.
//!
//! Takes the rendered chapters and returns plain trees; `package` writes
//! them as the navigation document and the NCX.

use crate::epub_paths;
use crate::locale::{Label, Locale};
use crate::manifest::Matter;
use crate::render::RenderedChapter;

/// One entry of the table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocEntry {
    /// What the entry says.
    pub title: String,
    /// Where it leads, relative to the package document.
    pub href: String,
    /// Entries below it.
    pub children: Vec<TocEntry>,
}

/// One landmark (EPUB 3.3, section 5.4.2.2 of the nav document rules).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Landmark {
    /// `cover`, `titlepage`, `toc` or `bodymatter`.
    pub epub_type: &'static str,
    /// What it says.
    pub title: String,
    /// Where it leads, relative to the package document.
    pub href: String,
}

/// The table of contents: every chapter, and its sections down to
/// `depth` levels in all (1 lists chapters only). An entry without text
/// says `untitled`.
///
/// ```
/// use bindery::outline::build_toc;
/// assert!(build_toc(&[], 2, "Untitled").is_empty());
/// ```
pub fn build_toc(chapters: &[RenderedChapter], depth: u8, untitled: &str) -> Vec<TocEntry> {
    let entries = chapters.iter().map(|chapter| {
        let href = format!("text/{}", chapter.file);
        let sections = if chapter.first_heading_is_title {
            chapter.headings.get(1..).unwrap_or(&[])
        } else {
            &chapter.headings[..]
        };
        // A stack of (level, entry) builds the tree in one pass.
        let mut stack: Vec<(u8, TocEntry)> =
            vec![(0, entry(&chapter.title, href.clone(), untitled))];
        for heading in sections {
            while stack.len() > 1
                && stack
                    .last()
                    .is_some_and(|(level, _)| *level >= heading.level)
            {
                close(&mut stack);
            }
            if stack.len() < usize::from(depth) {
                stack.push((
                    heading.level,
                    entry(&heading.text, format!("{href}#{}", heading.id), untitled),
                ));
            }
        }
        while stack.len() > 1 {
            close(&mut stack);
        }
        stack
            .pop()
            .map(|(_, e)| e)
            .unwrap_or_else(|| entry(&chapter.title, href, untitled))
    });
    // A part's chapters go below its title page's entry, and a chapter
    // nested in the summary of an mdBook below the chapter before it.
    let mut stack: Vec<(usize, TocEntry)> = Vec::new();
    let mut toc: Vec<TocEntry> = Vec::new();
    let mut open_part: Option<&str> = None;
    for (chapter, entry) in chapters.iter().zip(entries) {
        let level = if chapter.kind.name == "part" {
            open_part = chapter.part.as_deref();
            0
        } else if open_part.is_some() && chapter.part.as_deref() == open_part {
            1 + usize::from(chapter.depth)
        } else {
            open_part = None;
            usize::from(chapter.depth)
        };
        while stack.last().is_some_and(|(open, _)| *open >= level) {
            close_level(&mut stack, &mut toc);
        }
        stack.push((level, entry));
    }
    while !stack.is_empty() {
        close_level(&mut stack, &mut toc);
    }
    toc
}

/// Closes the innermost open entry: into its parent, or the top level.
fn close_level(stack: &mut Vec<(usize, TocEntry)>, toc: &mut Vec<TocEntry>) {
    if let Some((_, done)) = stack.pop() {
        match stack.last_mut() {
            Some((_, parent)) => parent.children.push(done),
            None => toc.push(done),
        }
    }
}

fn entry(title: &str, href: String, untitled: &str) -> TocEntry {
    let title = title.trim();
    TocEntry {
        title: if title.is_empty() {
            untitled.to_string()
        } else {
            title.to_string()
        },
        href,
        children: Vec::new(),
    }
}

fn close(stack: &mut Vec<(u8, TocEntry)>) {
    if let Some((_, done)) = stack.pop()
        && let Some((_, parent)) = stack.last_mut()
    {
        parent.children.push(done);
    }
}

/// The landmarks: cover (when there is one), title page, table of
/// contents and the start of reading (the first body chapter), named in
/// the book's language. Never empty.
pub fn landmarks(
    chapters: &[RenderedChapter],
    has_cover: bool,
    locale: &Locale,
    toc_title: &str,
) -> Vec<Landmark> {
    let mut out = Vec::new();
    if has_cover {
        out.push(Landmark {
            epub_type: "cover",
            title: locale.label(Label::Cover),
            href: epub_paths::COVER_PAGE.into(),
        });
    }
    out.push(Landmark {
        epub_type: "titlepage",
        title: locale.label(Label::TitlePage),
        href: epub_paths::TITLE_PAGE.into(),
    });
    out.push(Landmark {
        epub_type: "toc",
        title: toc_title.to_string(),
        href: format!("{}#toc", epub_paths::NAV),
    });
    let start = chapters
        .iter()
        .find(|c| c.matter == Matter::Body)
        .or_else(|| chapters.first());
    if let Some(start) = start {
        out.push(Landmark {
            epub_type: "bodymatter",
            title: locale.label(Label::StartOfReading),
            href: format!("text/{}", start.file),
        });
    }
    // The back matter a reader looks things up in.
    for epub_type in ["bibliography", "glossary", "index"] {
        if let Some(chapter) = chapters.iter().find(|c| c.kind.name == epub_type) {
            out.push(Landmark {
                epub_type,
                title: chapter.title.clone(),
                href: format!("text/{}", chapter.file),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Heading;

    fn english() -> Locale {
        Locale::new("en", Default::default())
    }

    fn chapter(file: &str, headings: &[(u8, &str)], matter: Matter) -> RenderedChapter {
        RenderedChapter {
            file: file.into(),
            title: headings.first().map_or("T".into(), |h| h.1.to_string()),
            matter,
            headings: headings
                .iter()
                .map(|(level, text)| Heading {
                    level: *level,
                    id: text.to_lowercase(),
                    text: text.to_string(),
                })
                .collect(),
            first_heading_is_title: headings.first().is_some_and(|h| h.0 == 1),
            xhtml: "".into(),
            assets: Vec::new(),
            missing_images: Vec::new(),
            contains: Default::default(),
            notes: String::new(),
            language: None,
            kind: crate::manifest::kind::ChapterKind::chapter(),
            facts: Default::default(),
            pages: Vec::new(),
            part: None,
            depth: 0,
            elsewhere: Vec::new(),
        }
    }

    #[test]
    fn sections_nest_under_their_chapter_to_the_depth_asked() {
        let chapters = [chapter(
            "1.xhtml",
            &[(1, "One"), (2, "A"), (3, "A1"), (2, "B")],
            Matter::Body,
        )];
        let toc = build_toc(&chapters, 2, "Untitled");
        assert_eq!(toc.len(), 1);
        let titles: Vec<_> = toc[0].children.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, ["A", "B"]);
        assert!(toc[0].children[0].children.is_empty());
        assert_eq!(toc[0].children[1].href, "text/1.xhtml#b");

        let deep = build_toc(&chapters, 3, "Untitled");
        assert_eq!(deep[0].children[0].children[0].title, "A1");
        let flat = build_toc(&chapters, 1, "Untitled");
        assert!(flat[0].children.is_empty());
    }

    #[test]
    fn nested_chapters_go_below_the_chapter_before_them() {
        let mut chapters = vec![
            chapter("1.xhtml", &[(1, "One")], Matter::Body),
            chapter("2.xhtml", &[(1, "One.A")], Matter::Body),
            chapter("3.xhtml", &[(1, "One.A.i")], Matter::Body),
            chapter("4.xhtml", &[(1, "One.B")], Matter::Body),
            chapter("5.xhtml", &[(1, "Two")], Matter::Body),
        ];
        for (chapter, depth) in chapters.iter_mut().zip([0, 1, 2, 1, 0]) {
            chapter.depth = depth;
        }
        let toc = build_toc(&chapters, 1, "Untitled");
        let titles: Vec<_> = toc.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["One", "Two"]);
        let below: Vec<_> = toc[0].children.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(below, ["One.A", "One.B"]);
        assert_eq!(toc[0].children[0].children[0].title, "One.A.i");
    }

    #[test]
    fn landmarks_start_reading_at_the_first_body_chapter() {
        let chapters = [
            chapter("1.xhtml", &[(1, "Preface")], Matter::Front),
            chapter("2.xhtml", &[(1, "One")], Matter::Body),
        ];
        let marks = landmarks(&chapters, false, &english(), "Contents");
        let types: Vec<_> = marks.iter().map(|l| l.epub_type).collect();
        assert_eq!(types, ["titlepage", "toc", "bodymatter"]);
        assert_eq!(marks[2].href, "text/2.xhtml");
        assert_eq!(
            landmarks(&chapters, true, &english(), "C")[0].epub_type,
            "cover"
        );
    }
}
