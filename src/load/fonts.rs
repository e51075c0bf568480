//! The fonts the drawn cover is set in, read for `cover`: the font
//! `[style] cover-font` names, the bundled EB Garamond, then, only for
//! characters these lack, the book's own fonts and, last, fonts installed
//! on the system, found through fontdb.
//!
//! Only a book without a cover image needs them. Whether a font has a
//! character is looked up in its character map (ttf-parser), so a Latin
//! title reads no font but the one the manifest names, and the system's
//! fonts are listed only when a character is left that no font of the
//! book has: ordinary builds never scan the machine. System fonts make a
//! cover depend on the machine it is built on; a book that names its
//! cover font, or embeds fonts that cover its title, gets the same cover
//! everywhere.

use super::{LoadError, Origin};
use crate::manifest::Manifest;
use crate::paths::{BookRoot, MAX_BINARY_FILE, read_limited};
use crate::typeface::{FontFile, uncovered};
use std::sync::Arc;

/// The chain of fonts for the drawn cover, in the order a character is
/// looked for in them; empty when the book has a cover image. A text no
/// font covers is an error naming its characters.
pub fn cover_fonts(root: &BookRoot, manifest: &Manifest) -> Result<Vec<FontFile>, LoadError> {
    let named = match &manifest.style.cover_font {
        Some(named) => Some(named_font(root, &named.value, named.span.clone())?),
        None => None,
    };
    let meta = &manifest.book;
    if meta.cover.is_some() {
        return Ok(Vec::new());
    }
    let mut chain: Vec<FontFile> = named.into_iter().collect();
    chain.push(FontFile::bundled());
    let mut tried: Vec<String> = chain.iter().map(|f| f.name.clone()).collect();
    let mut missing = uncovered(meta.on_cover(), &chain);
    // The book's own fonts, each read only while characters are left, and
    // kept only when it has one of them. One that cannot be read is
    // reported where the stylesheet is loaded; a WOFF font is skipped.
    for entry in &manifest.style.fonts {
        if missing.is_empty() {
            break;
        }
        let Ok(path) = root.resolve(root.book(), &entry.file.value) else {
            continue;
        };
        let Ok(data) = root.read_binary(&path) else {
            continue;
        };
        let font = FontFile {
            name: root.display(&path),
            data: Arc::from(data),
            index: 0,
        };
        if font.face().is_none() || chain.iter().any(|f| f.data == font.data) {
            continue;
        }
        tried.push(font.name.clone());
        if missing.iter().any(|&c| font.has(c)) {
            chain.push(font);
            missing = uncovered(meta.on_cover(), &chain);
        }
    }
    if !missing.is_empty() {
        tried.push("the fonts installed on this machine".to_string());
        chain.extend(system_fonts(&missing));
        missing = uncovered(meta.on_cover(), &chain);
    }
    if missing.is_empty() {
        Ok(chain)
    } else {
        Err(LoadError::CoverGlyphs {
            missing,
            tried,
            span: meta.title_span.clone(),
        })
    }
}

/// The font `[style] cover-font` names, which must be a TrueType or
/// OpenType font.
fn named_font(
    root: &BookRoot,
    relative: &str,
    span: std::ops::Range<usize>,
) -> Result<FontFile, LoadError> {
    let origin = Origin::manifest(span);
    let path = root
        .resolve(root.book(), relative)
        .map_err(|problem| LoadError::BadPath {
            path: relative.to_string(),
            problem,
            origin: origin.clone(),
        })?;
    let display = root.display(&path);
    let data = root
        .read_binary(&path)
        .map_err(|problem| LoadError::from_read(problem, display.clone(), origin.clone()))?;
    let font = FontFile {
        name: display.clone(),
        data: Arc::from(data),
        index: 0,
    };
    match font.face() {
        Some(_) => Ok(font),
        None => Err(LoadError::NotAFont {
            path: display,
            origin,
        }),
    }
}

/// System fonts that have the `missing` characters: for each character, the first face that has it, faces
/// taken in a fixed order (upright and regular weight first, then by
/// family, file and index), so that the same machine always picks the
/// same ones.
fn system_fonts(missing: &[char]) -> Vec<FontFile> {
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    let mut faces: Vec<&fontdb::FaceInfo> = db.faces().collect();
    faces.sort_by_key(|face| {
        let path = match &face.source {
            fontdb::Source::File(path) => path.display().to_string(),
            _ => String::new(),
        };
        (
            face.style != fontdb::Style::Normal,
            face.weight.0.abs_diff(400),
            face.families.first().map(|(name, _)| name.clone()),
            path,
            face.index,
        )
    });
    let mut chosen: Vec<FontFile> = Vec::new();
    let mut left: Vec<char> = missing.to_vec();
    // The file last read, kept for the next face, which is often in the
    // same collection; only the files chosen stay in memory.
    let mut last: Option<(std::path::PathBuf, Option<Arc<[u8]>>)> = None;
    for face in faces {
        if left.is_empty() {
            break;
        }
        let fontdb::Source::File(path) = &face.source else {
            continue;
        };
        let data = match &last {
            Some((p, data)) if p == path => data.clone(),
            _ => {
                let data = read_limited(path, MAX_BINARY_FILE).ok().map(Arc::from);
                last = Some((path.clone(), data.clone()));
                data
            }
        };
        let Some(data) = data else { continue };
        let font = FontFile {
            name: face
                .families
                .first()
                .map_or_else(|| path.display().to_string(), |(name, _)| name.clone()),
            data,
            index: face.index,
        };
        let before = left.len();
        left.retain(|&c| !font.has(c));
        if left.len() < before {
            chosen.push(font);
        }
    }
    chosen
}
