//! Resolving link targets: other chapters, ids, the web.

use super::error::RenderErrorKind;
use super::ids::IdSet;
use crate::load::{BookPath, BookRoot};
use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};
use std::collections::BTreeMap;

/// What a link may point at in one chapter.
pub struct Target {
    /// Its file name in `text/`.
    pub file: String,
    /// Its path as the user names it.
    pub display: String,
    /// Every id in it.
    pub ids: IdSet,
    /// Slugs and explicit ids to element ids.
    pub slugs: BTreeMap<String, String>,
}

impl Target {
    /// The element id a fragment names: an id, or a GitHub-style slug.
    fn find(&self, fragment: &str) -> Result<String, RenderErrorKind> {
        if let Some(id) = self.slugs.get(fragment) {
            return Ok(id.clone());
        }
        if self.ids.contains(fragment) {
            return Ok(fragment.to_string());
        }
        Err(RenderErrorKind::BrokenAnchor {
            fragment: fragment.to_string(),
            chapter: self.display.clone(),
            nearest: crate::diag::did_you_mean(fragment, self.slugs.keys().map(String::as_str))
                .map(str::to_string),
        })
    }
}

/// Every chapter, by path.
#[derive(Default)]
pub struct LinkTargets {
    chapters: BTreeMap<BookPath, Target>,
}

impl LinkTargets {
    pub fn insert(&mut self, path: BookPath, target: Target) {
        self.chapters.insert(path, target);
    }

    pub fn get(&self, path: &BookPath) -> Option<&Target> {
        self.chapters.get(path)
    }
}

/// Whether a link starts with a URL scheme (`https:`, `mailto:` …). A
/// single letter before the colon is a Windows drive, not a scheme.
pub fn has_scheme(dest: &str) -> bool {
    match dest.split_once(':') {
        Some((scheme, _)) => {
            scheme.len() > 1
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// What a URL cannot hold as it is: controls, space, non-ASCII (always
/// encoded) and the characters RFC 3986 leaves out. `%` stays, so an
/// address that is already encoded is not encoded twice.
const NOT_IN_URL: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}')
    .add(b'[')
    .add(b']');

/// The URL schemes a link may use: those EPUBCheck knows (the IANA
/// permanent schemes as EPUBCheck lists them); a link with any other
/// scheme draws its warning HTM-025. `javascript` is left out on purpose:
/// a book without scripts cannot follow such a link.
const SCHEMES: &[&str] = &[
    "aaa",
    "aaas",
    "acap",
    "afs",
    "cap",
    "cid",
    "crid",
    "data",
    "dav",
    "dict",
    "dns",
    "dtn",
    "fax",
    "file",
    "ftp",
    "go",
    "gopher",
    "h323",
    "http",
    "https",
    "iax",
    "icap",
    "im",
    "imap",
    "info",
    "ipp",
    "irc",
    "iris",
    "iris.beep",
    "iris.lwz",
    "iris.xpc",
    "iris.xpcs",
    "ldap",
    "mailserver",
    "mailto",
    "mid",
    "modem",
    "msrp",
    "msrps",
    "mtqp",
    "mupdate",
    "news",
    "nfs",
    "nntp",
    "opaquelocktoken",
    "pack",
    "pop",
    "pres",
    "prospero",
    "rtsp",
    "service",
    "shttp",
    "sip",
    "sips",
    "snews",
    "snmp",
    "soap.beep",
    "soap.beeps",
    "tag",
    "tel",
    "telnet",
    "tftp",
    "thismessage",
    "tip",
    "tn3270",
    "tv",
    "urn",
    "vemmi",
    "videotex",
    "wais",
    "xmlrpc.beep",
    "xmlrpc.beeps",
    "xmpp",
    "z39.50r",
    "z39.50s",
];

/// Checks an external address: a scheme a reading system knows, and for
/// addresses with a host, a host that is a name or an IP address.
fn check_external(url: &str) -> Result<(), RenderErrorKind> {
    let (scheme, rest) = url.split_once(':').unwrap_or((url, ""));
    let scheme = scheme.to_ascii_lowercase();
    if !SCHEMES.contains(&scheme.as_str()) {
        return Err(RenderErrorKind::BadUrl {
            url: url.to_string(),
            reason: format!("`{scheme}:` is not a URL scheme reading systems know"),
        });
    }
    if let Some(authority) = rest.strip_prefix("//") {
        let authority = authority.split(['/', '?', '#']).next().unwrap_or("");
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = if host_port.starts_with('[') {
            host_port
        } else {
            host_port.rsplit_once(':').map_or(host_port, |(h, _)| h)
        };
        let labels: Vec<&str> = host.strip_suffix('.').unwrap_or(host).split('.').collect();
        let valid = !host.is_empty()
            && (host.starts_with('[')
                || labels.iter().all(|l| {
                    !l.is_empty()
                        && l.bytes().all(|b| {
                            b.is_ascii_alphanumeric() || b == b'-' || b == b'%' || b >= 0x80
                        })
                }));
        if !valid && scheme != "file" {
            return Err(RenderErrorKind::BadUrl {
                url: url.to_string(),
                reason: format!("`{host}` is not a host name"),
            });
        }
    }
    Ok(())
}

/// An external address made valid as a URL.
pub fn encode_url(url: &str) -> String {
    utf8_percent_encode(url, NOT_IN_URL).to_string()
}

/// Percent-decodes a path or fragment as UTF-8.
pub fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// Resolves a link written in the chapter at `from` to an href relative
/// to that chapter's XHTML file.
pub fn resolve(
    dest: &str,
    from: &BookPath,
    root: &BookRoot,
    targets: &LinkTargets,
) -> Result<String, RenderErrorKind> {
    if has_scheme(dest) {
        check_external(dest)?;
        return Ok(encode_url(dest));
    }
    if dest.starts_with("//") {
        return Err(RenderErrorKind::BadPath {
            path: dest.to_string(),
            problem: crate::load::PathProblem::Absolute,
        });
    }
    let (path_part, fragment) = match dest.split_once('#') {
        Some((path, fragment)) => (path, Some(decode(fragment))),
        None => (dest, None),
    };
    let path_part = path_part.split_once('?').map_or(path_part, |(p, _)| p);
    let own = targets.get(from);
    if path_part.is_empty() {
        return match (fragment, own) {
            (Some(fragment), Some(own)) => own.find(&fragment).map(|id| format!("#{id}")),
            (Some(fragment), None) => Ok(format!("#{fragment}")),
            (None, _) => Ok(String::new()),
        };
    }
    let decoded = decode(path_part);
    let path =
        root.resolve(&from.parent(), &decoded)
            .map_err(|problem| RenderErrorKind::BadPath {
                path: decoded.clone(),
                problem,
            })?;
    match targets.get(&path) {
        Some(target) => {
            let base = if own.is_some_and(|o| o.file == target.file) {
                String::new()
            } else {
                target.file.clone()
            };
            match fragment {
                Some(fragment) => target.find(&fragment).map(|id| format!("{base}#{id}")),
                None => Ok(target.file.clone()),
            }
        }
        None if path.extension() == "md" => Err(RenderErrorKind::BrokenLink {
            target: decoded.clone(),
            nearest: {
                // Suggested as the author would write it, from this chapter.
                let here = from.parent();
                let candidates: Vec<String> = targets
                    .chapters
                    .keys()
                    .map(|p| p.relative_to(&here))
                    .collect();
                crate::diag::did_you_mean(
                    &path.relative_to(&here),
                    candidates.iter().map(String::as_str),
                )
                .map(str::to_string)
            },
        }),
        None => Err(RenderErrorKind::LinkToFile { target: decoded }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_addresses_are_encoded_once() {
        assert_eq!(
            encode_url("https://x.org/a b/föö?q=\"1\""),
            "https://x.org/a%20b/f%C3%B6%C3%B6?q=%221%22"
        );
        assert_eq!(encode_url("https://x.org/f%C3%B6"), "https://x.org/f%C3%B6");
        assert_eq!(
            encode_url("https://x.org/?q=[a]"),
            "https://x.org/?q=%5Ba%5D"
        );
    }

    #[test]
    fn unknown_schemes_and_bad_hosts_are_refused() {
        assert!(check_external("https://example.org/x").is_ok());
        assert!(check_external("HTTP://例え.jp").is_ok());
        assert!(check_external("mailto:a@b.c").is_ok());
        assert!(check_external("urn:isbn:123").is_ok());
        assert!(check_external("made-up-scheme://foo").is_err());
        assert!(check_external("javascript:alert(1)").is_err());
        assert!(check_external("https://../").is_err());
        assert!(check_external("https://").is_err());
        assert!(check_external("http://[::1]:80/").is_ok());
    }

    #[test]
    fn schemes_need_two_letters() {
        assert!(has_scheme("https://x"));
        assert!(has_scheme("mailto:a@b"));
        assert!(!has_scheme("C:/x"));
        assert!(!has_scheme("a/b:c"));
        assert!(!has_scheme("#x"));
    }
}
