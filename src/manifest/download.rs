//! The `[download]` table and `[book] version`: what `bindery site` puts
//! on the download page beside the EPUB.

use super::walk::{Table, Walker};
use super::{Located, ManifestError, publishing};
use crate::diag::Code;

/// The `[download]` table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DownloadConfig {
    /// The public address of the folder the site's files will live in;
    /// gives the page its canonical link and the web metadata absolute
    /// addresses.
    pub url: Option<String>,
    /// A prompt to donate, shown before the download link.
    pub donation: Option<Donation>,
    /// Other formats of the book, linked under the download button.
    pub formats: Vec<Format>,
}

/// A donation prompt. The page always adds that donating is voluntary and
/// not required to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Donation {
    /// The address of the donation page.
    pub url: String,
    /// The prompt; default: the `donation-text` label in the book's
    /// language.
    pub text: Option<String>,
    /// The link's text; default: the `donation-label` label.
    pub label: Option<String>,
}

/// Another format of the book, hosted elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Format {
    /// What it is called, such as `PDF`.
    pub name: String,
    /// Where it is.
    pub url: String,
}

const DOWNLOAD_KEYS: &[&str] = &[
    "url",
    "donation-url",
    "donation-text",
    "donation-label",
    "formats",
];
const FORMAT_KEYS: &[&str] = &["name", "url"];

/// Reads the `[download]` table.
pub fn read_download(walker: &mut Walker, table: &Table<'_, '_>) -> DownloadConfig {
    walker.check_keys(table, DOWNLOAD_KEYS);
    let url = walker
        .string(table, "url")
        .and_then(|u| publishing::web_address(walker, u));
    let donation_url = walker.string(table, "donation-url");
    let text = walker.string(table, "donation-text");
    let label = walker.string(table, "donation-label");
    let donation = match donation_url {
        Some(written) => publishing::web_address(walker, written).map(|url| Donation {
            url,
            text: text.map(|t| t.value),
            label: label.map(|l| l.value),
        }),
        None => {
            // A prompt without a link would ask for money with no way to give it.
            if let Some(orphan) = text.or(label) {
                walker.errors.push(ManifestError::InvalidValue {
                    code: Code::DonationWithoutPage,
                    message: "a donation prompt needs `donation-url`".into(),
                    help: "add `donation-url = \"https://…\"`, the address of the donation page, or remove the prompt".into(),
                    span: orphan.span,
                });
            }
            None
        }
    };
    let formats = walker
        .array_of_tables(table, "formats")
        .unwrap_or_default()
        .iter()
        .filter_map(|format| {
            walker.check_keys(format, FORMAT_KEYS);
            let name = walker.required_string(format, "name");
            let url = walker
                .required_string(format, "url")
                .and_then(|u| publishing::web_address(walker, u));
            Some(Format {
                name: name?.value,
                url: url?,
            })
        })
        .collect();
    DownloadConfig {
        url,
        donation,
        formats,
    }
}

/// Reads `[book] version`: it goes into file names, so it may not hold
/// white space or path separators.
pub fn read_version(walker: &mut Walker, table: &Table<'_, '_>) -> Option<String> {
    let Located { value, span } = walker.string(table, "version")?;
    let value = value.trim().to_string();
    if value
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '+'))
    {
        Some(value)
    } else {
        walker.errors.push(ManifestError::InvalidValue {
            code: Code::BadVersion,
            message: format!("`{value}` is not a version"),
            help: "use letters, digits, `.`, `-`, `_` and `+` only, such as `1.2.0` or `2026-rc1`"
                .into(),
            span,
        });
        None
    }
}
