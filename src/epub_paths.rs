//! Where each part of the book lives inside the EPUB.
//!
//! `render` needs these names for links and images, `package` for the
//! package document, `load` for the stylesheet's references, so they are
//! decided in one place, below all three.

use crate::paths::BookPath;

/// The package document.
pub const PACKAGE: &str = "EPUB/package.opf";
/// The navigation document, relative to the package.
pub const NAV: &str = "nav.xhtml";
/// The NCX, relative to the package.
pub const NCX: &str = "toc.ncx";
/// The stylesheet, relative to the package.
pub const STYLESHEET: &str = "css/book.css";
/// The stylesheet as a chapter links to it.
pub const STYLESHEET_FROM_TEXT: &str = "../css/book.css";
/// The cover page, relative to the package.
pub const COVER_PAGE: &str = "text/cover.xhtml";
/// The title page, relative to the package.
pub const TITLE_PAGE: &str = "text/title.xhtml";
/// The copyright page, relative to the package.
pub const COPYRIGHT_PAGE: &str = "text/copyright.xhtml";

/// The notes chapter, inside `text/`, when footnotes are gathered there.
/// Chapter files start with a number, so no chapter can take this name.
pub const NOTES_FILE: &str = "notes.xhtml";

/// The title page of the `number`th part, inside `text/`. Chapter files
/// start with a digit, so the names never meet.
pub fn part_file(number: usize) -> String {
    format!("part-{number:02}.xhtml")
}

/// The file name of a chapter inside `text/`: its position (so names
/// never collide) and a readable form of its file name.
pub fn chapter_file(index: usize, count: usize, path: &BookPath) -> String {
    let width = count.to_string().len().max(3);
    let mut stem = String::new();
    for c in path.stem().chars() {
        if c.is_ascii_alphanumeric() {
            stem.push(c.to_ascii_lowercase());
        } else if !stem.ends_with('-') {
            stem.push('-');
        }
    }
    let stem = stem.trim_matches('-');
    if stem.is_empty() {
        format!("{:0width$}.xhtml", index + 1)
    } else {
        format!("{:0width$}-{stem}.xhtml", index + 1)
    }
}

/// Where an asset goes, relative to the package: `media/` and its path
/// relative to the book folder (`display`), with every byte other than
/// ASCII letters, digits, `.` and `-` written as `_XX`, and a `..` folder
/// written as `_2E_2E`. The mapping is one-to-one, so two files never
/// share a name, and the result needs no escaping in a URL.
pub fn asset_file(display: &str) -> String {
    let mut out = String::from("media/");
    for (i, part) in display.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        let parent = part == "..";
        for b in part.bytes() {
            if !parent && (b.is_ascii_alphanumeric() || b == b'.' || b == b'-') {
                out.push(char::from(b));
            } else {
                out.push_str(&format!("_{b:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paths::BookRoot;

    fn path(p: &str) -> BookPath {
        let root = BookRoot::discover(std::path::Path::new(".")).unwrap();
        root.resolve(&BookPath::default(), p).unwrap()
    }

    #[test]
    fn chapter_files_are_numbered_and_readable() {
        assert_eq!(
            chapter_file(0, 12, &path("chapters/01 Über Intro.md")),
            "001-01-ber-intro.xhtml"
        );
        assert_eq!(chapter_file(41, 2000, &path("日本.md")), "0042.xhtml");
    }

    #[test]
    fn asset_files_are_escaped_one_to_one() {
        assert_eq!(
            asset_file("assets/my image_1.png"),
            "media/assets/my_20image_5F1.png"
        );
        assert_eq!(asset_file("a/é.svg"), "media/a/_C3_A9.svg");
        assert_eq!(asset_file("../../x.png"), "media/_2E_2E/_2E_2E/x.png");
    }
}
