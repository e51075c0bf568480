//! What a release needs beside the EPUB: file names made from a template,
//! and `SHA256SUMS`.
//!
//! [`file_name`] expands `--name-template` with the manifest's values;
//! [`sha256_hex`] and [`write_sha256sums`] make the checksum file that
//! `sha256sum -c SHA256SUMS` verifies.

use crate::diag::{Code, Diagnostic, ToDiagnostic};
use crate::manifest::BookMeta;
use std::path::Path;

/// A name template that needs a value the book's manifest does not set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct NameError(pub String);

impl ToDiagnostic for NameError {
    fn code(&self) -> Code {
        Code::TemplateKeyMissing
    }

    fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::new(self.code(), self.0.clone())
            .in_file(crate::manifest::FILE_NAME)
            .with_help("add the key to [book], or change --name-template")
    }
}

/// The placeholders a name template may hold.
pub const PLACEHOLDERS: &[&str] = &["slug", "version", "language", "date", "year"];

/// The template when none is given.
pub const DEFAULT_TEMPLATE: &str = "{slug}.epub";

/// Checks a template without a book: every `{…}` must be a known
/// placeholder, and the result a file name, not a path.
///
/// ```
/// assert!(bindery::release::check_template("{slug}-{version}.epub").is_ok());
/// assert!(bindery::release::check_template("{titel}.epub").is_err());
/// ```
pub fn check_template(template: &str) -> Result<(), String> {
    if template.contains(['/', '\\']) {
        return Err(format!(
            "the name template `{template}` holds a path separator; give the folder with --out-dir"
        ));
    }
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(format!(
                "the name template `{template}` has an unclosed `{{`"
            ));
        };
        let name = &after[..close];
        if !PLACEHOLDERS.contains(&name) {
            let hint = crate::diag::did_you_mean(name, PLACEHOLDERS.iter().copied())
                .map(|s| format!("; did you mean `{{{s}}}`?"))
                .unwrap_or_default();
            return Err(format!(
                "unknown placeholder `{{{name}}}` in the name template{hint} (known: {})",
                PLACEHOLDERS
                    .iter()
                    .map(|p| format!("{{{p}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        rest = &after[close + 1..];
    }
    if template.trim().is_empty() {
        return Err("the name template is empty".into());
    }
    Ok(())
}

/// Expands a template with the book's values. `Err` names what is missing
/// (a `{version}` with no `[book] version`, a `{date}` with no date).
///
/// ```
/// let mut warnings = Vec::new();
/// let manifest = bindery::manifest::parse(
///     "[book]\ntitle = \"Borders and Belts\"\nlanguage = \"en\"\nversion = \"1.2\"\n",
///     &mut warnings,
/// )
/// .unwrap();
/// let name = bindery::release::file_name("{slug}-{version}.epub", &manifest.book);
/// assert_eq!(name.as_deref(), Ok("borders-and-belts-1.2.epub"));
/// ```
pub fn file_name(template: &str, book: &BookMeta) -> Result<String, String> {
    check_template(template)?;
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').unwrap_or(after.len());
        let name = &after[..close];
        let value = match name {
            "slug" => slug_of_title(&book.title),
            "version" => book.version.clone().ok_or_else(|| {
                "the name template uses `{version}`, but [book] has no `version`".to_string()
            })?,
            "language" => book.language.clone(),
            "date" => book.date.map(|d| d.to_string()).ok_or_else(|| {
                "the name template uses `{date}`, but [book] has no `date`".to_string()
            })?,
            _ => book.date.map(|d| format!("{:04}", d.year)).ok_or_else(|| {
                "the name template uses `{year}`, but [book] has no `date`".to_string()
            })?,
        };
        out.push_str(&value);
        rest = after.get(close + 1..).unwrap_or("");
    }
    out.push_str(rest);
    // A value could still make a name no file system takes.
    if out.contains(['/', '\\']) || out == "." || out == ".." {
        return Err(format!(
            "the name template gives `{out}`, which is not a file name"
        ));
    }
    Ok(out)
}

/// The SHA-256 of `bytes`, as 64 lower-case hexadecimal digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest.iter() {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

/// The lines of a `SHA256SUMS` file, as `sha256sum` writes them (two
/// spaces, then the name), sorted by name.
pub fn sha256sums(entries: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = entries.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    sorted.dedup_by(|a, b| a.0 == b.0);
    sorted
        .iter()
        .map(|(name, digest)| format!("{digest}  {name}\n"))
        .collect()
}

/// Adds `name`'s checksum to `dir/SHA256SUMS`, replacing an older line for
/// the same name and keeping the others, so that several builds into one
/// folder share one file.
pub fn write_sha256sums(dir: &Path, name: &str, digest: &str) -> std::io::Result<()> {
    let path = dir.join("SHA256SUMS");
    // Beside a default output, the folder is inside the book: a link
    // there would have an outside file read into this one, and replaced.
    if std::fs::symlink_metadata(&path).is_ok_and(|meta| meta.file_type().is_symlink()) {
        return Err(std::io::Error::other(
            "it is a symbolic link, which bindery neither reads nor writes through",
        ));
    }
    let mut entries: Vec<(String, String)> = match std::fs::read_to_string(&path) {
        Ok(text) => text
            .lines()
            .filter_map(|line| line.split_once("  "))
            .map(|(d, n)| (n.to_string(), d.to_string()))
            .filter(|(n, _)| n != name)
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e),
    };
    entries.push((name.to_string(), digest.to_string()));
    std::fs::write(path, sha256sums(&entries))
}

/// The most bytes a slug may have. File systems take names of 255 bytes;
/// the EPUB's temporary file adds about 25 to its name, a name template
/// may add more, and 90 CJK characters are already 270 bytes.
pub const MAX_SLUG: usize = 100;

/// A file name made from a title: lower case, letters and digits joined
/// by hyphens; "book" when nothing is left. A slug longer than
/// [`MAX_SLUG`] bytes is cut at a character boundary and ends with eight
/// hexadecimal digits of the title's SHA-256, so that it stays the same
/// from build to build and two long titles that begin alike still get
/// names of their own.
pub fn slug_of_title(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        return "book".to_string();
    }
    if slug.len() <= MAX_SLUG {
        return slug.to_string();
    }
    let digest = sha256_hex(title.as_bytes());
    let suffix = &digest[..8];
    let mut cut = MAX_SLUG - suffix.len() - 1;
    while !slug.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}-{suffix}", slug[..cut].trim_end_matches('-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_make_file_names() {
        assert_eq!(
            slug_of_title("Borders and Belts: Essays!"),
            "borders-and-belts-essays"
        );
        assert_eq!(slug_of_title("The bindery Guide"), "the-bindery-guide");
        assert_eq!(slug_of_title("Ελληνικά"), "ελληνικά");
        assert_eq!(slug_of_title("?!"), "book");
    }

    #[test]
    fn long_titles_make_short_stable_distinct_names_cut_between_characters() {
        let ascii = "A".repeat(232);
        let slug = slug_of_title(&ascii);
        assert_eq!(slug.len(), MAX_SLUG);
        assert_eq!(
            slug,
            format!("{}-{}", "a".repeat(91), &sha256_hex(ascii.as_bytes())[..8])
        );
        assert_eq!(slug_of_title(&ascii), slug);
        assert_ne!(slug_of_title(&format!("{ascii}B")), slug);
        let cjk = "漢".repeat(90);
        let slug = slug_of_title(&cjk);
        assert!(slug.len() <= MAX_SLUG, "{slug}");
        assert!(slug.starts_with(&"漢".repeat(30)), "{slug}");
        // Cut where a hyphen would end the cut part: no `--`.
        let words = "ab ".repeat(100);
        assert!(!slug_of_title(&words).contains("--"));
        assert!(slug_of_title(&"é".repeat(60)).len() <= MAX_SLUG);
    }

    #[test]
    fn sha256_of_known_input() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn sums_are_sorted_and_formatted_like_sha256sum() {
        let text = sha256sums(&[
            ("b.epub".into(), "22".into()),
            ("a.epub".into(), "11".into()),
        ]);
        assert_eq!(text, "11  a.epub\n22  b.epub\n");
    }

    #[test]
    fn templates_reject_unknown_placeholders_and_paths() {
        assert!(check_template("{slug}.epub").is_ok());
        let error = check_template("{verison}.epub").unwrap_err();
        assert!(error.contains("did you mean `{version}`"), "{error}");
        assert!(check_template("out/{slug}.epub").is_err());
        assert!(check_template("{slug.epub").is_err());
    }
}
