//! Media types, detected from a file's bytes rather than its name.

/// The image types an EPUB 3.3 may hold as core media types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MediaType {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// GIF.
    Gif,
    /// WebP.
    Webp,
    /// SVG.
    Svg,
    /// TrueType font.
    Ttf,
    /// OpenType font with CFF outlines.
    Otf,
    /// WOFF font.
    Woff,
    /// WOFF 2 font.
    Woff2,
}

impl MediaType {
    /// The MIME type, as the package document lists it.
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Png => "image/png",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Gif => "image/gif",
            MediaType::Webp => "image/webp",
            MediaType::Svg => "image/svg+xml",
            MediaType::Ttf => "font/ttf",
            MediaType::Otf => "font/otf",
            MediaType::Woff => "font/woff",
            MediaType::Woff2 => "font/woff2",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            MediaType::Png => "png",
            MediaType::Jpeg => "jpg",
            MediaType::Gif => "gif",
            MediaType::Webp => "webp",
            MediaType::Svg => "svg",
            MediaType::Ttf => "ttf",
            MediaType::Otf => "otf",
            MediaType::Woff => "woff",
            MediaType::Woff2 => "woff2",
        }
    }

    /// Whether this is a font rather than an image.
    pub fn is_font(self) -> bool {
        matches!(
            self,
            MediaType::Ttf | MediaType::Otf | MediaType::Woff | MediaType::Woff2
        )
    }

    /// The name CSS's `format()` gives the font's format.
    pub fn font_format(self) -> &'static str {
        match self {
            MediaType::Otf => "opentype",
            MediaType::Woff => "woff",
            MediaType::Woff2 => "woff2",
            _ => "truetype",
        }
    }

    /// Whether the format is already compressed, so deflating it again
    /// would cost time for nothing.
    pub fn is_compressed(self) -> bool {
        !matches!(self, MediaType::Svg | MediaType::Ttf | MediaType::Otf)
    }
}

/// The width and height in pixels a raster image declares in its header,
/// or `None` for SVG and for a header that is cut short or malformed.
pub fn dimensions(media_type: MediaType, bytes: &[u8]) -> Option<(u32, u32)> {
    let le16 = |at: usize| Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?) as u32);
    let be32 = |at: usize| Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?));
    let le24 = |at: usize| {
        let b = bytes.get(at..at + 3)?;
        Some(u32::from(b[0]) | u32::from(b[1]) << 8 | u32::from(b[2]) << 16)
    };
    let size = match media_type {
        // The IHDR chunk comes first.
        MediaType::Png if bytes.get(12..16) == Some(b"IHDR") => (be32(16)?, be32(20)?),
        MediaType::Png => return None,
        MediaType::Gif => (le16(6)?, le16(8)?),
        MediaType::Jpeg => jpeg_dimensions(bytes)?,
        MediaType::Webp => match bytes.get(12..16)? {
            b"VP8 " => (le16(26)? & 0x3FFF, le16(28)? & 0x3FFF),
            b"VP8L" => {
                let bits = u32::from_le_bytes(bytes.get(21..25)?.try_into().ok()?);
                ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
            }
            b"VP8X" => (le24(24)? + 1, le24(27)? + 1),
            _ => return None,
        },
        MediaType::Svg | MediaType::Ttf | MediaType::Otf | MediaType::Woff | MediaType::Woff2 => {
            return None;
        }
    };
    (size.0 > 0 && size.1 > 0).then_some(size)
}

/// A JPEG's size, from its first start-of-frame segment.
fn jpeg_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    let mut at = 2;
    loop {
        // Segments: 0xFF, a marker, a big-endian length that counts itself.
        while *bytes.get(at)? == 0xFF && bytes.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        let length = u16::from_be_bytes(bytes.get(at + 2..at + 4)?.try_into().ok()?) as usize;
        let is_frame = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_frame {
            let height = u16::from_be_bytes(bytes.get(at + 5..at + 7)?.try_into().ok()?);
            let width = u16::from_be_bytes(bytes.get(at + 7..at + 9)?.try_into().ok()?);
            return Some((u32::from(width), u32::from(height)));
        }
        if length < 2 {
            return None;
        }
        at += 2 + length;
    }
}

/// Detects a font type from the first bytes of a file.
pub fn sniff_font(bytes: &[u8]) -> Option<MediaType> {
    match bytes.get(..4)? {
        [0, 1, 0, 0] | b"true" => Some(MediaType::Ttf),
        b"OTTO" => Some(MediaType::Otf),
        b"wOFF" => Some(MediaType::Woff),
        b"wOF2" => Some(MediaType::Woff2),
        _ => None,
    }
}

/// Detects an image type from the first bytes of a file.
pub fn sniff_image(bytes: &[u8]) -> Option<MediaType> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(MediaType::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(MediaType::Jpeg)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(MediaType::Gif)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(MediaType::Webp)
    } else if is_svg(bytes) {
        Some(MediaType::Svg)
    } else {
        None
    }
}

/// An SVG file is XML whose first element is `svg`: skip a BOM, the XML
/// declaration, comments, processing instructions and a doctype.
/// How much of a file [`sniff_image`] looks at, at most: an SVG's root
/// element may come after an XML declaration, comments and a doctype.
pub const SNIFF_HEAD: usize = 4096;

fn is_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_HEAD)];
    let Ok(text) =
        std::str::from_utf8(head).or_else(|e| std::str::from_utf8(&head[..e.valid_up_to()]))
    else {
        return false;
    };
    let mut rest = text.trim_start_matches('\u{FEFF}');
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("<?") {
            match after.find("?>") {
                Some(end) => rest = &after[end + 2..],
                None => return false,
            }
        } else if let Some(after) = rest.strip_prefix("<!--") {
            match after.find("-->") {
                Some(end) => rest = &after[end + 3..],
                None => return false,
            }
        } else if let Some(after) = rest.strip_prefix("<!") {
            match after.find('>') {
                Some(end) => rest = &after[end + 1..],
                None => return false,
            }
        } else {
            let name_end = rest
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .unwrap_or(rest.len());
            let name = &rest[..name_end];
            return name == "<svg" || name.ends_with(":svg") && name.starts_with('<');
        }
    }
}

/// Whether an image moves, as far as its bytes tell: what the book's
/// accessibility hazards (flashing, motion) depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Motion {
    /// One frame, no animation: it cannot flash.
    #[default]
    Still,
    /// An animated GIF, PNG or WebP, or an SVG with animation.
    Moving,
    /// The bytes read do not tell: an animation may begin after them, or
    /// the file is not laid out as its type says.
    Unknown,
}

/// Whether the image in `bytes` moves. `whole` says the bytes are the
/// whole file; when they are only its start and it ends before they tell,
/// the answer is [`Motion::Unknown`].
pub fn motion(media_type: MediaType, bytes: &[u8], whole: bool) -> Motion {
    let answer = match media_type {
        MediaType::Gif => gif_motion(bytes),
        MediaType::Png => png_motion(bytes),
        MediaType::Webp => webp_motion(bytes),
        MediaType::Svg => svg_motion(bytes),
        _ => Some(Motion::Still),
    };
    match answer {
        Some(motion) => motion,
        None if whole && media_type == MediaType::Svg => Motion::Still,
        None => Motion::Unknown,
    }
}

/// A GIF moves when it has a second frame. `None` when the bytes end, or
/// stop making sense, before the trailer or a second frame.
fn gif_motion(b: &[u8]) -> Option<Motion> {
    // A colour table of 2^(n+1) entries of three bytes follows a packed
    // byte whose top bit is set.
    let table = |packed: u8| {
        if packed & 0x80 != 0 {
            3usize << ((packed & 7) + 1)
        } else {
            0
        }
    };
    // Data sub-blocks: a length byte, that many bytes, until a length of 0.
    let skip_blocks = |mut at: usize| -> Option<usize> {
        loop {
            let len = usize::from(*b.get(at)?);
            at += 1 + len;
            if len == 0 {
                return Some(at);
            }
        }
    };
    // The header (6 bytes) and the logical screen descriptor (7).
    let mut at = 13 + table(*b.get(10)?);
    let mut frames = 0;
    loop {
        match *b.get(at)? {
            0x2C => {
                frames += 1;
                if frames > 1 {
                    return Some(Motion::Moving);
                }
                at += 10 + table(*b.get(at + 9)?);
                // The LZW code size, then the image data.
                at = skip_blocks(at + 1)?;
            }
            0x21 => at = skip_blocks(at + 2)?,
            0x3B => return Some(Motion::Still),
            _ => return None,
        }
    }
}

/// A PNG moves when an `acTL` chunk, which must come before the image data,
/// announces more than one frame.
fn png_motion(b: &[u8]) -> Option<Motion> {
    let mut at = 8;
    loop {
        let len = u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?) as usize;
        let kind = b.get(at + 4..at + 8)?;
        match kind {
            b"acTL" => {
                let frames = u32::from_be_bytes(b.get(at + 8..at + 12)?.try_into().ok()?);
                return Some(if frames > 1 {
                    Motion::Moving
                } else {
                    Motion::Still
                });
            }
            b"IDAT" | b"IEND" => return Some(Motion::Still),
            _ => at = at.checked_add(12)?.checked_add(len)?,
        }
    }
}

/// A WebP moves when its extended header says it is animated.
fn webp_motion(b: &[u8]) -> Option<Motion> {
    match b.get(12..16)? {
        b"VP8X" => Some(if b.get(20)? & 0x02 != 0 {
            Motion::Moving
        } else {
            Motion::Still
        }),
        _ => Some(Motion::Still),
    }
}

/// An SVG moves when it holds SMIL animation or CSS animation. `None`
/// when none is seen, since the rest of the file is not known here.
fn svg_motion(b: &[u8]) -> Option<Motion> {
    let text = String::from_utf8_lossy(b).to_ascii_lowercase();
    let moving = [
        "<animate",
        "<set ",
        "<set\n",
        "<set/",
        "@keyframes",
        "animation",
    ]
    .iter()
    .any(|mark| text.contains(mark));
    moving.then_some(Motion::Moving)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content_not_name() {
        assert_eq!(sniff_image(b"\x89PNG\r\n\x1a\n...."), Some(MediaType::Png));
        assert_eq!(
            sniff_image(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(MediaType::Jpeg)
        );
        assert_eq!(sniff_image(b"GIF89a.."), Some(MediaType::Gif));
        assert_eq!(sniff_image(b"RIFF\0\0\0\0WEBPVP8 "), Some(MediaType::Webp));
        assert_eq!(
            sniff_image(b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- c -->\n<!DOCTYPE svg>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            Some(MediaType::Svg)
        );
        assert_eq!(sniff_image(b"<html><svg/></html>"), None);
        assert_eq!(sniff_image(b"just text"), None);
        assert_eq!(sniff_image(b""), None);
    }
}

#[cfg(test)]
mod dimension_tests {
    use super::*;

    fn fixture(path: &str) -> Vec<u8> {
        std::fs::read(
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/books/full-metadata/").to_string() + path,
        )
        .unwrap_or_default()
    }

    #[test]
    fn raster_headers_give_their_size() {
        let jpeg = fixture("assets/cover.jpg");
        assert_eq!(dimensions(MediaType::Jpeg, &jpeg), Some((1600, 2400)));
        let gif = fixture("assets/ornament.gif");
        assert_eq!(dimensions(MediaType::Gif, &gif), Some((64, 48)));
        let png = fixture("chapters/figures/text-block.png");
        assert_eq!(sniff_image(&png), Some(MediaType::Png));
        assert!(dimensions(MediaType::Png, &png).is_some());
        // A lossless WebP of 3 × 2: 14 bits width-1, 14 bits height-1.
        let mut webp = b"RIFF\0\0\0\0WEBPVP8L\0\0\0\0\x2f".to_vec();
        webp.extend_from_slice(&(2u32 | (1 << 14)).to_le_bytes());
        assert_eq!(dimensions(MediaType::Webp, &webp), Some((3, 2)));
    }

    #[test]
    fn cut_headers_give_none() {
        let jpeg = fixture("assets/cover.jpg");
        assert_eq!(dimensions(MediaType::Jpeg, &jpeg[..40]), None);
        assert_eq!(dimensions(MediaType::Png, b"\x89PNG\r\n\x1a\n\0\0"), None);
        assert_eq!(dimensions(MediaType::Gif, b"GIF89a\0"), None);
        assert_eq!(dimensions(MediaType::Svg, b"<svg/>"), None);
    }
}

#[cfg(test)]
mod motion_tests {
    use super::*;

    /// A GIF of 1×1 pixel with `frames` frames.
    fn gif(frames: usize, end: bool) -> Vec<u8> {
        let mut b = b"GIF89a\x01\x00\x01\x00\x80\x00\x00".to_vec();
        b.extend([0, 0, 0, 255, 255, 255]); // the global colour table
        // The looping extension that animated GIFs carry.
        b.extend(b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00");
        for _ in 0..frames {
            b.extend(b"\x21\xf9\x04\x00\x0a\x00\x00\x00");
            b.extend(b"\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00");
            b.extend(b"\x02\x02\x44\x01\x00");
        }
        if end {
            b.push(0x3B);
        }
        b
    }

    #[test]
    fn a_gif_moves_when_it_has_a_second_frame() {
        assert_eq!(motion(MediaType::Gif, &gif(1, true), true), Motion::Still);
        assert_eq!(motion(MediaType::Gif, &gif(2, true), true), Motion::Moving);
        assert_eq!(
            motion(MediaType::Gif, &gif(3, false), false),
            Motion::Moving
        );
        // The start of a file that has not yet said: not known.
        assert_eq!(
            motion(MediaType::Gif, &gif(1, false), false),
            Motion::Unknown
        );
        assert_eq!(motion(MediaType::Gif, b"GIF89a", false), Motion::Unknown);
    }

    #[test]
    fn a_png_moves_when_it_announces_frames_before_its_image_data() {
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut c = (data.len() as u32).to_be_bytes().to_vec();
            c.extend(kind);
            c.extend(data);
            c.extend([0; 4]);
            c
        };
        let png = |chunks: &[Vec<u8>]| {
            let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
            b.extend(chunk(b"IHDR", &[0; 13]));
            for c in chunks {
                b.extend(c);
            }
            b
        };
        let still = png(&[chunk(b"IDAT", &[1, 2, 3])]);
        let moving = png(&[
            chunk(b"acTL", &[0, 0, 0, 4, 0, 0, 0, 0]),
            chunk(b"IDAT", &[1]),
        ]);
        assert_eq!(motion(MediaType::Png, &still, true), Motion::Still);
        assert_eq!(motion(MediaType::Png, &moving, true), Motion::Moving);
        assert_eq!(
            motion(MediaType::Png, &moving[..30], false),
            Motion::Unknown
        );
    }

    #[test]
    fn a_webp_or_svg_moves_when_it_says_so() {
        let mut webp = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\x02\0\0\0".to_vec();
        assert_eq!(motion(MediaType::Webp, &webp, true), Motion::Moving);
        webp[20] = 0;
        assert_eq!(motion(MediaType::Webp, &webp, true), Motion::Still);
        let svg = b"<svg><circle r=\"1\"><animate attributeName=\"r\"/></circle></svg>";
        assert_eq!(motion(MediaType::Svg, svg, true), Motion::Moving);
        assert_eq!(
            motion(MediaType::Svg, b"<svg><circle r=\"1\"/></svg>", true),
            Motion::Still
        );
        assert_eq!(
            motion(MediaType::Svg, b"<svg><circle", false),
            Motion::Unknown
        );
        assert_eq!(motion(MediaType::Jpeg, b"\xff\xd8", false), Motion::Still);
    }
}
