//! The author's stylesheets and fonts (`[style]`): read, checked, and
//! joined into the book's one stylesheet.
//!
//! The author's CSS goes after bindery's, so it wins. Every `url(…)` in it
//! is resolved against the stylesheet's own folder, the file it names is
//! copied into the EPUB like an image, and the reference is rewritten to
//! the copy. Fonts listed in `fonts` get an `@font-face` rule each.

use super::{Asset, BookRoot, LoadError, Origin, StyleProblem, media};
use crate::epub_paths;
use crate::manifest::StyleConfig;
use std::ops::Range;
use std::sync::Arc;

/// The author's part of the book's stylesheet, and the files it uses.
#[derive(Debug, Clone, Default)]
pub struct Style {
    /// CSS to append to bindery's stylesheet.
    pub css: String,
    /// Fonts and images the CSS refers to.
    pub assets: Vec<Asset>,
    /// The stylesheets it was read from.
    pub sheets: Vec<super::BookPath>,
}

/// Reads `[style]`: every stylesheet and font, with every problem found.
pub fn load_style(root: &BookRoot, config: &StyleConfig) -> Result<Style, Vec<LoadError>> {
    let mut style = Style::default();
    let mut errors = Vec::new();
    for font in &config.fonts {
        let origin = Origin::manifest(font.file.span.clone());
        let Some(asset) = read_file(
            root,
            root.book(),
            &font.file.value,
            origin.clone(),
            &mut errors,
        ) else {
            continue;
        };
        if !asset.media_type.is_font() {
            errors.push(LoadError::NotAFont {
                path: root.display(&asset.path),
                origin,
            });
            continue;
        }
        let src = format!("../{}", epub_paths::asset_file(&root.display(&asset.path)));
        style.css.push_str(&format!(
            "@font-face {{\n  font-family: \"{}\";\n  src: url(\"{}\") format(\"{}\");\n  font-weight: {};\n  font-style: {};\n}}\n\n",
            css_string(&font.family),
            css_string(&src),
            asset.media_type.font_format(),
            font.weight,
            font.style,
        ));
        push_asset(&mut style.assets, asset);
    }
    for sheet in &config.css {
        let origin = Origin::manifest(sheet.span.clone());
        let path = match root.resolve(root.book(), &sheet.value) {
            Ok(path) => path,
            Err(problem) => {
                errors.push(LoadError::BadPath {
                    path: sheet.value.clone(),
                    problem,
                    origin,
                });
                continue;
            }
        };
        let display = root.display(&path);
        let text = match root.read(&path) {
            Ok(bytes) => match super::decode_text(&display, &bytes) {
                Ok(text) => text,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            },
            Err(problem) => {
                errors.push(LoadError::from_read(problem, display, origin));
                continue;
            }
        };
        style.sheets.push(path.clone());
        let here = path.parent();
        let mut css = String::with_capacity(text.len());
        let mut written = 0;
        for reference in references(&text) {
            match reference {
                Reference::Import(span) => {
                    errors.push(style_error(&display, &text, span, StyleProblem::Import))
                }
                Reference::Url { span, url } => {
                    let at = Origin::chapter(&display, span.clone());
                    if url.starts_with("data:") || url.starts_with('#') {
                        continue;
                    }
                    if crate::url::has_scheme(&url) || url.starts_with("//") {
                        errors.push(style_error(
                            &display,
                            &text,
                            span,
                            StyleProblem::Remote { url: url.clone() },
                        ));
                        continue;
                    }
                    let decoded = crate::url::percent_decode(&url);
                    let Some(asset) = read_file(root, &here, &decoded, at.clone(), &mut errors)
                    else {
                        continue;
                    };
                    let href = format!("../{}", epub_paths::asset_file(&root.display(&asset.path)));
                    css.push_str(&text[written..span.start]);
                    css.push_str(&format!("url(\"{}\")", css_string(&href)));
                    written = span.end;
                    push_asset(&mut style.assets, asset);
                }
            }
        }
        css.push_str(&text[written..]);
        style.css.push_str(&format!("/* {display} */\n{css}\n"));
    }
    if errors.is_empty() {
        Ok(style)
    } else {
        Err(errors)
    }
}

fn style_error(
    file: &str,
    text: &Arc<str>,
    span: Range<usize>,
    problem: StyleProblem,
) -> LoadError {
    LoadError::Style {
        file: file.to_string(),
        text: text.clone(),
        span,
        problem,
    }
}

/// Reads a file a stylesheet or the manifest names: an image or a font.
fn read_file(
    root: &BookRoot,
    base: &super::BookPath,
    relative: &str,
    origin: Origin,
    errors: &mut Vec<LoadError>,
) -> Option<Asset> {
    let path = match root.resolve(base, relative) {
        Ok(path) => path,
        Err(problem) => {
            errors.push(LoadError::BadPath {
                path: relative.to_string(),
                problem,
                origin,
            });
            return None;
        }
    };
    let display = root.display(&path);
    // Only the start is read: the file is streamed into the EPUB later.
    let (file, size, head) = match root.peek_binary(&path, media::SNIFF_HEAD) {
        Ok(peeked) => peeked,
        Err(problem) => {
            errors.push(LoadError::from_read(problem, display, origin));
            return None;
        }
    };
    match media::sniff_font(&head).or_else(|| media::sniff_image(&head)) {
        Some(media_type) => Some(Asset {
            motion: super::motion_of(root, &path, media_type, &head, size),
            path,
            content: super::Content::OnDisk { file, size },
            media_type,
        }),
        None => {
            errors.push(LoadError::NotAFont {
                path: display,
                origin,
            });
            None
        }
    }
}

fn push_asset(assets: &mut Vec<Asset>, asset: Asset) {
    if !assets.iter().any(|a| a.path == asset.path) {
        assets.push(asset);
    }
}

/// A string for inside CSS double quotes.
fn css_string(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\a ")
}

/// What a stylesheet refers to.
#[derive(Debug, PartialEq, Eq)]
enum Reference {
    /// `@import …`.
    Import(Range<usize>),
    /// `url(…)`: the whole of it, and the address inside.
    Url { span: Range<usize>, url: String },
}

/// The `url(…)`s and `@import`s of a stylesheet, outside comments and strings.
fn references(css: &str) -> Vec<Reference> {
    let bytes = css.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let rest = &css[at..];
        if rest.starts_with("/*") {
            at += rest.find("*/").map_or(rest.len(), |end| end + 2);
        } else if rest.starts_with('"') || rest.starts_with('\'') {
            at += string_length(rest);
        } else if starts_with_ignoring_case(rest, "@import") {
            let end = rest.find(';').map_or(rest.len(), |e| e + 1);
            found.push(Reference::Import(at..at + end));
            at += end;
        } else if starts_with_ignoring_case(rest, "url(") {
            let inner = &rest[4..];
            let trimmed = inner.trim_start();
            let lead = inner.len() - trimmed.len();
            let (url, used) = if trimmed.starts_with('"') || trimmed.starts_with('\'') {
                let len = string_length(trimmed);
                // An unclosed string ends at the line break, with no quote to drop.
                let body = &trimmed[1..len];
                let quote_free = body.strip_suffix(&trimmed[..1]).unwrap_or(body);
                (quote_free.to_string(), len)
            } else {
                let len = trimmed.find(')').unwrap_or(trimmed.len());
                (trimmed[..len].trim_end().to_string(), len)
            };
            let after = &trimmed[used..];
            let close = after.find(')').map_or(after.len(), |c| c + 1);
            let end = at + 4 + lead + used + close;
            found.push(Reference::Url { span: at..end, url });
            at = end;
        } else {
            at += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    found
}

/// Whether `text` starts with the ASCII `prefix`, in any case. Compared as
/// bytes: slicing `text` at the prefix's length could cut a character.
fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// The length of a quoted CSS string at the start of `text`, quotes included.
fn string_length(text: &str) -> usize {
    let quote = text.as_bytes()[0];
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate().skip(1) {
        match b {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            _ if b == quote => return i + 1,
            b'\n' => return i,
            _ => {}
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_imports_are_found_outside_comments_and_strings() {
        let css = "/* url(no.png) */ a { background: url( \"a b.png\" ) } \
                   b::after { content: \"url(no)\" } @import 'x.css';\n\
                   @font-face { src: url(fonts/x.woff2) format('woff2') }";
        let found = references(css);
        assert_eq!(found.len(), 3, "{found:?}");
        let Reference::Url { span, url } = &found[0] else {
            panic!()
        };
        assert_eq!(url, "a b.png");
        assert_eq!(&css[span.clone()], "url( \"a b.png\" )");
        assert!(
            matches!(&found[1], Reference::Import(span) if css[span.clone()].starts_with("@import 'x.css';"))
        );
        let Reference::Url { url, .. } = &found[2] else {
            panic!()
        };
        assert_eq!(url, "fonts/x.woff2");
    }

    #[test]
    fn an_unclosed_quoted_url_ends_at_the_line_break_without_cutting_a_character() {
        let found = references("a { background: url(\"é\n) }");
        let Some(Reference::Url { url, .. }) = found.first() else {
            panic!("{found:?}")
        };
        assert_eq!(url, "é");
    }

    proptest::proptest! {
        #[test]
        fn references_of_any_text_lie_on_character_boundaries_in_order(css in crate::test_text::any_text()) {
            let mut end = 0;
            for reference in references(&css) {
                let span = match reference {
                    Reference::Import(span) | Reference::Url { span, .. } => span,
                };
                proptest::prop_assert!(end <= span.start && span.start <= span.end && span.end <= css.len());
                proptest::prop_assert!(css.is_char_boundary(span.start) && css.is_char_boundary(span.end));
                end = span.end;
            }
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        for css in ["url(", "url(\"", "/*", "'", "@import", "url()", "é url(é)"] {
            let _ = references(css);
        }
    }
}
