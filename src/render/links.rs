//! Resolving link targets: other chapters, ids, the web.

use super::error::RenderErrorKind;
use super::ids::IdSet;
use crate::load::{BookPath, BookRoot, MdBookSite};
use crate::url::{encode_url, has_scheme, percent_decode};
use std::collections::BTreeMap;

/// What a link may point at in one chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkTargets {
    /// Shared: a rebuild takes the unchanged chapters' targets as they were.
    chapters: BTreeMap<BookPath, std::sync::Arc<Target>>,
}

impl LinkTargets {
    pub fn insert(&mut self, path: BookPath, target: std::sync::Arc<Target>) {
        self.chapters.insert(path, target);
    }

    pub fn get(&self, path: &BookPath) -> Option<&Target> {
        self.chapters.get(path).map(|t| &**t)
    }
}

/// The link targets as one chapter's writer sees them: its own chapter's
/// ids and every chapter's file, but not the other chapters' ids, which
/// are not known while the chapters are written. A link to a heading in
/// another chapter is then [`Href::Later`], filled in once all are known.
pub struct Lookups<'a> {
    targets: &'a LinkTargets,
    from: BookPath,
    /// The chapter's own target, with its ids.
    own: Target,
}

impl<'a> Lookups<'a> {
    /// Lookups in `targets`, which hold the chapters' files, for the
    /// chapter at `from`, whose own target is `own`.
    pub fn new(targets: &'a LinkTargets, from: &BookPath, own: Target) -> Self {
        Lookups {
            targets,
            from: from.clone(),
            own,
        }
    }

    /// The chapter at `path`.
    pub fn get(&self, path: &BookPath) -> Option<&Target> {
        if *path == self.from {
            Some(&self.own)
        } else {
            self.targets.get(path)
        }
    }

    /// The paths of every chapter.
    fn paths(&self) -> impl Iterator<Item = &'a BookPath> {
        self.targets.chapters.keys()
    }

    /// The chapter's own ids and slugs, given back.
    pub fn into_own(self) -> Target {
        self.own
    }
}

/// Where a link leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Href {
    /// Known now.
    Ready(String),
    /// An id in another chapter, known once that chapter is written.
    Later(Deferred),
}

/// A link to an id in another chapter, waiting for that chapter's ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deferred {
    /// The chapter.
    pub path: BookPath,
    /// The fragment as the link names it (decoded).
    pub fragment: String,
    /// For a link `#id` to an id its own chapter (`path`) lacks: the error
    /// to give when no other chapter has it either. A long document split
    /// into chapters keeps its links between them, as pandoc, which
    /// resolves them across the book, reads them.
    pub anywhere: Option<Box<RenderErrorKind>>,
}

/// Where a deferred link leads: the href, and for a link `#id` found in
/// another chapter than its own, that chapter as the user names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The href, relative to the chapter's file.
    pub href: String,
    /// The chapter the id was found in, when the link did not name it.
    pub elsewhere: Option<String>,
}

impl Deferred {
    /// The href, now that every chapter's ids are in `targets`.
    pub fn resolve(&self, targets: &LinkTargets) -> Result<Found, RenderErrorKind> {
        if let Some(missing) = &self.anywhere {
            return self.resolve_anywhere(targets, missing);
        }
        match targets.get(&self.path) {
            Some(target) => target.find(&self.fragment).map(|id| Found {
                href: format!("{}#{id}", target.file),
                elsewhere: None,
            }),
            // Only links to chapters of the book are deferred.
            None => Err(RenderErrorKind::BrokenAnchor {
                fragment: self.fragment.clone(),
                chapter: self.path.as_str().to_string(),
                nearest: None,
            }),
        }
    }

    /// A link `#id` whose own chapter lacks the id: to the one other
    /// chapter that has it; when none has it, `missing`; when several
    /// have it, an error that names them.
    fn resolve_anywhere(
        &self,
        targets: &LinkTargets,
        missing: &RenderErrorKind,
    ) -> Result<Found, RenderErrorKind> {
        let mut found = targets
            .chapters
            .iter()
            .filter(|(path, _)| **path != self.path)
            .filter_map(|(path, target)| Some((path, target, target.find(&self.fragment).ok()?)));
        let Some((path, target, id)) = found.next() else {
            return Err(missing.clone());
        };
        let others: Vec<&Target> = found.map(|(_, t, _)| &**t).collect();
        if !others.is_empty() {
            let chapters = std::iter::once(&**target)
                .chain(others)
                .map(|t| t.display.clone())
                .collect();
            let relative = path.relative_to(&self.path.parent());
            return Err(RenderErrorKind::AmbiguousAnchor {
                fragment: self.fragment.clone(),
                chapters,
                example: format!("{relative}#{}", self.fragment),
            });
        }
        Ok(Found {
            href: format!("{}#{id}", target.file),
            elsewhere: Some(target.display.clone()),
        })
    }
}

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

/// Resolves a link written in the chapter at `from` to an href relative
/// to that chapter's XHTML file.
pub fn resolve(
    dest: &str,
    from: &BookPath,
    root: &BookRoot,
    targets: &Lookups<'_>,
    mdbook: Option<&MdBookSite>,
) -> Result<Href, RenderErrorKind> {
    if has_scheme(dest) {
        check_external(dest)?;
        return Ok(Href::Ready(encode_url(dest)));
    }
    if dest.starts_with("//") {
        return Err(RenderErrorKind::BadPath {
            path: dest.to_string(),
            problem: crate::load::PathProblem::Absolute,
        });
    }
    let (path_part, fragment) = match dest.split_once('#') {
        Some((path, fragment)) => (path, Some(percent_decode(fragment))),
        None => (dest, None),
    };
    let path_part = path_part.split_once('?').map_or(path_part, |(p, _)| p);
    let own = targets.get(from);
    if path_part.is_empty() {
        return match (fragment, own) {
            (Some(fragment), Some(own)) => match own.find(&fragment) {
                Ok(id) => Ok(Href::Ready(format!("#{id}"))),
                // Perhaps in another chapter, known once all are written.
                Err(missing) => Ok(Href::Later(Deferred {
                    path: from.clone(),
                    fragment,
                    anywhere: Some(Box::new(missing)),
                })),
            },
            (Some(fragment), None) => Ok(Href::Ready(format!("#{fragment}"))),
            (None, _) => Ok(Href::Ready(String::new())),
        };
    }
    let decoded = percent_decode(path_part);
    if let Some(site) = mdbook {
        return resolve_in_mdbook(
            MdBookLink {
                written: path_part,
                decoded: &decoded,
                fragment: fragment.as_deref(),
                raw_fragment: dest.split_once('#').map(|(_, f)| f),
            },
            from,
            root,
            targets,
            site,
        );
    }
    let path =
        root.resolve(&from.parent(), &decoded)
            .map_err(|problem| RenderErrorKind::BadPath {
                path: decoded.clone(),
                problem,
            })?;
    match targets.get(&path) {
        Some(target) => link_to(&path, target, own, fragment.as_deref()),
        None if path.extension() == "md" => Err(broken_link(&decoded, &path, from, targets, false)),
        None => Err(RenderErrorKind::LinkToFile { target: decoded }),
    }
}

/// The href of the chapter at `path`, or of an id in it: later, when the
/// id is in another chapter, whose ids are not known yet.
fn link_to(
    path: &BookPath,
    target: &Target,
    own: Option<&Target>,
    fragment: Option<&str>,
) -> Result<Href, RenderErrorKind> {
    match fragment {
        Some(fragment) if own.is_some_and(|o| o.file == target.file) => target
            .find(fragment)
            .map(|id| Href::Ready(format!("#{id}"))),
        Some(fragment) => Ok(Href::Later(Deferred {
            path: path.clone(),
            fragment: fragment.to_string(),
            anywhere: None,
        })),
        None => Ok(Href::Ready(target.file.clone())),
    }
}

/// A link to a Markdown file that is not a chapter, with the chapter
/// whose path is closest as the author would write it from here.
fn broken_link(
    decoded: &str,
    path: &BookPath,
    from: &BookPath,
    targets: &Lookups<'_>,
    in_mdbook: bool,
) -> RenderErrorKind {
    let here = from.parent();
    let candidates: Vec<String> = targets.paths().map(|p| p.relative_to(&here)).collect();
    RenderErrorKind::BrokenLink {
        target: decoded.to_string(),
        nearest: crate::diag::did_you_mean(
            &path.relative_to(&here),
            candidates.iter().map(String::as_str),
        )
        .map(str::to_string),
        in_mdbook,
    }
}

/// A link written in an mdBook chapter, in its parts.
struct MdBookLink<'a> {
    /// The path as written, still percent-encoded.
    written: &'a str,
    /// The path, decoded.
    decoded: &'a str,
    /// The fragment, decoded.
    fragment: Option<&'a str>,
    /// The fragment as written.
    raw_fragment: Option<&'a str>,
}

/// Resolves a link in an mdBook chapter as mdBook's HTML would have it
/// lead: `x.md` and `x.html` are the chapter `x.md`, `README.md` and
/// `index.md` are each other (mdBook writes both as `index.html`), and a
/// folder is its index. Inside the source folder, which is what mdBook's
/// HTML holds, a link that is not to a chapter is wrong as in any book: a
/// Markdown or HTML page that is not there (B200), or another file
/// (B202). A link that leads out of the source folder leaves the book: it
/// becomes a link to the book's web site when its address is known.
fn resolve_in_mdbook(
    link: MdBookLink<'_>,
    from: &BookPath,
    root: &BookRoot,
    targets: &Lookups<'_>,
    site: &MdBookSite,
) -> Result<Href, RenderErrorKind> {
    let own = targets.get(from);
    let path = match root.resolve(&from.parent(), link.decoded) {
        Ok(path) => path,
        Err(crate::load::PathProblem::EscapesRoot) => {
            return leave_book(&link, from, site).map(Href::Ready);
        }
        Err(problem) => {
            return Err(RenderErrorKind::BadPath {
                path: link.decoded.to_string(),
                problem,
            });
        }
    };
    let candidates = mdbook_candidates(&path, link.decoded.ends_with('/'));
    if let Some((path, target)) = candidates
        .iter()
        .find_map(|c| targets.get(c).map(|t| (c, t)))
    {
        return link_to(path, target, own, link.fragment);
    }
    if candidates.iter().any(|c| site.unlisted.contains(c)) {
        return Err(RenderErrorKind::NotInSummary {
            target: link.decoded.to_string(),
        });
    }
    let src = site.src.as_str();
    let inside = src.is_empty() || path.as_str().starts_with(&format!("{src}/"));
    if !inside {
        return leave_book(&link, from, site).map(Href::Ready);
    }
    match candidates.iter().find(|c| c.extension() == "md") {
        Some(page) => Err(broken_link(link.decoded, page, from, targets, true)),
        None => Err(RenderErrorKind::LinkToFile {
            target: link.decoded.to_string(),
        }),
    }
}

/// The chapters a path may mean in an mdBook.
fn mdbook_candidates(path: &BookPath, folder: bool) -> Vec<BookPath> {
    let parent = path.parent();
    let name = path.file_name();
    if folder || !name.contains('.') {
        let folder = if folder {
            path.clone()
        } else {
            parent.child(name)
        };
        return vec![folder.child("index.md"), folder.child("README.md")];
    }
    let stem = path.stem();
    let mut out = match path.extension().as_str() {
        "md" => vec![path.clone()],
        "html" | "htm" => vec![parent.child(&format!("{stem}.md"))],
        _ => return vec![path.clone()],
    };
    if stem.eq_ignore_ascii_case("index") {
        out.push(parent.child("README.md"));
    } else if stem.eq_ignore_ascii_case("readme") {
        out.push(parent.child("index.md"));
    }
    out
}

/// A link out of the book: to the book's web site when its address is
/// known (where mdBook's HTML would have led), else a warning.
fn leave_book(
    link: &MdBookLink<'_>,
    from: &BookPath,
    site: &MdBookSite,
) -> Result<String, RenderErrorKind> {
    let Some(base) = &site.site_url else {
        return Err(RenderErrorKind::LeavesBook {
            target: link.decoded.to_string(),
        });
    };
    // The chapter's folder inside the site, then the link from there.
    let chapter_folder = from
        .parent()
        .as_str()
        .strip_prefix(site.src.as_str())
        .map(|rest| rest.trim_start_matches('/').to_string())
        .unwrap_or_default();
    let written = link.written;
    let written = match written.rsplit_once('.') {
        Some((stem, "md")) if !stem.ends_with('/') => {
            let name = stem.rsplit('/').next().unwrap_or(stem);
            if name.eq_ignore_ascii_case("readme") {
                format!("{}index.html", &stem[..stem.len() - name.len()])
            } else {
                format!("{stem}.html")
            }
        }
        _ => written.to_string(),
    };
    let url = join_url(base, &chapter_folder, &written);
    let url = match link.raw_fragment {
        Some(fragment) => format!("{url}#{fragment}"),
        None => url,
    };
    check_external(&url)?;
    Ok(encode_url(&url))
}

/// `base` (a whole address ending in `/`), then `folder`, then `relative`
/// resolved against them; `..` stops at the site's root.
fn join_url(base: &str, folder: &str, relative: &str) -> String {
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let origin = &base[..host_end];
    let mut parts: Vec<&str> = base[host_end..]
        .split('/')
        .chain(folder.split('/'))
        .filter(|p| !p.is_empty())
        .collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            name => parts.push(name),
        }
    }
    let mut url = format!("{origin}/{}", parts.join("/"));
    if relative.ends_with('/') && !url.ends_with('/') {
        url.push('/');
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn links_out_of_an_mdbook_join_its_web_address() {
        let base = "https://doc.example.org/book/";
        assert_eq!(
            join_url(base, "", "../std/index.html"),
            "https://doc.example.org/std/index.html"
        );
        assert_eq!(
            join_url(base, "ch01", "../../../../x.html"),
            "https://doc.example.org/x.html"
        );
        assert_eq!(
            join_url(base, "ch01", "listings/"),
            "https://doc.example.org/book/ch01/listings/"
        );
    }

    #[test]
    fn mdbook_links_name_chapters_several_ways() {
        let root = BookRoot::detached(std::path::Path::new("/nowhere"));
        let path = |p: &str| root.resolve(root.book(), p).unwrap();
        assert_eq!(
            mdbook_candidates(&path("src/a/index.html"), false),
            [path("src/a/index.md"), path("src/a/README.md")]
        );
        assert_eq!(
            mdbook_candidates(&path("src/a/README.md"), false),
            [path("src/a/README.md"), path("src/a/index.md")]
        );
        assert_eq!(
            mdbook_candidates(&path("src/a"), true),
            [path("src/a/index.md"), path("src/a/README.md")]
        );
        assert_eq!(
            mdbook_candidates(&path("src/b.html"), false),
            [path("src/b.md")]
        );
    }
}
