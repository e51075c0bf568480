//! A small copy of a PNG or SVG cover for the download page and the
//! catalogue.
//!
//! The cover is decoded with the `png` crate, scaled down by averaging the
//! source pixels each target pixel covers (a box filter, which is what
//! shrinking by a large factor needs), and encoded again. Integer
//! arithmetic only, so the bytes are the same on every machine. An SVG
//! cover is rendered at the thumbnail's size by resvg, as the drawn cover is.

/// The thumbnail's width in pixels; its height keeps the cover's aspect.
pub const WIDTH: u32 = 400;

/// A thumbnail and its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thumbnail {
    /// The PNG.
    pub png: Vec<u8>,
    /// In pixels.
    pub width: u32,
    /// In pixels.
    pub height: u32,
}

/// Scales a PNG down to [`WIDTH`] pixels wide. `None` when the PNG cannot
/// be decoded, is too large to decode safely, or is already that narrow:
/// then the page shows the cover itself.
pub fn thumbnail(png_bytes: &[u8]) -> Option<Thumbnail> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    // A hostile cover could claim a huge canvas: cap what is allocated.
    // The decoder's limit covers its own buffers, not the frame it is
    // given, so the frame's size is checked here before it is allocated.
    const MAX_DECODED: usize = 256 * 1024 * 1024;
    decoder.set_limits(png::Limits { bytes: MAX_DECODED });
    let mut reader = decoder.read_info().ok()?;
    let size = reader.output_buffer_size()?;
    if size > MAX_DECODED {
        return None;
    }
    let mut buffer = vec![0; size];
    let info = reader.next_frame(&mut buffer).ok()?;
    let (width, height) = (info.width, info.height);
    if width <= WIDTH || height == 0 {
        return None;
    }
    let channels = match info.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => return None,
    };
    let stride = info.line_size;
    let pixel = |x: u32, y: u32| -> [u32; 4] {
        let at = y as usize * stride + x as usize * channels;
        let p = buffer.get(at..at + channels).unwrap_or(&[0, 0, 0, 255]);
        match *p {
            [g] => [g.into(), g.into(), g.into(), 255],
            [g, a] => [g.into(), g.into(), g.into(), a.into()],
            [r, g, b] => [r.into(), g.into(), b.into(), 255],
            [r, g, b, a] => [r.into(), g.into(), b.into(), a.into()],
            _ => [0, 0, 0, 255],
        }
    };
    let new_width = WIDTH;
    let new_height = ((u64::from(height) * u64::from(WIDTH) + u64::from(width) / 2)
        / u64::from(width))
    .max(1) as u32;
    let mut out = Vec::with_capacity(new_width as usize * new_height as usize * 4);
    for ty in 0..new_height {
        let y0 = (u64::from(ty) * u64::from(height) / u64::from(new_height)) as u32;
        let y1 = ((u64::from(ty + 1) * u64::from(height) / u64::from(new_height)) as u32)
            .max(y0 + 1)
            .min(height);
        for tx in 0..new_width {
            let x0 = (u64::from(tx) * u64::from(width) / u64::from(new_width)) as u32;
            let x1 = ((u64::from(tx + 1) * u64::from(width) / u64::from(new_width)) as u32)
                .max(x0 + 1)
                .min(width);
            let mut sum = [0u64; 4];
            for y in y0..y1 {
                for x in x0..x1 {
                    let p = pixel(x, y);
                    // Weight colour by alpha, so transparent pixels do not
                    // darken the edges.
                    for c in 0..3 {
                        sum[c] += u64::from(p[c] * p[3]);
                    }
                    sum[3] += u64::from(p[3]);
                }
            }
            let count = u64::from((y1 - y0) * (x1 - x0)).max(1);
            let alpha = sum[3];
            for c in sum.iter().take(3) {
                let value = (c + alpha / 2).checked_div(alpha).unwrap_or(0);
                out.push(u8::try_from(value).unwrap_or(u8::MAX));
            }
            out.push(((alpha + count / 2) / count) as u8);
        }
    }
    Some(Thumbnail {
        png: encode(&out, new_width, new_height)?,
        width: new_width,
        height: new_height,
    })
}

/// Renders an SVG cover [`WIDTH`] pixels wide with resvg. `None` when it
/// does not parse or has no size. The SVG's own references are not
/// followed: usvg reads no files unless told where to look.
pub fn svg_thumbnail(svg: &[u8]) -> Option<Thumbnail> {
    use resvg::{tiny_skia, usvg};
    let tree = usvg::Tree::from_data(svg, &usvg::Options::default()).ok()?;
    let size = tree.size();
    if !(size.width() > 0.0 && size.height() > 0.0) {
        return None;
    }
    let scale = WIDTH as f32 / size.width();
    // Bound the canvas, whatever aspect the SVG claims.
    let height = (size.height() * scale)
        .round()
        .clamp(1.0, 8.0 * WIDTH as f32) as u32;
    let mut pixmap = tiny_skia::Pixmap::new(WIDTH, height)?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    // tiny-skia's pixels are premultiplied; PNG's are not.
    let rgba: Vec<u8> = pixmap
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        })
        .collect();
    Some(Thumbnail {
        png: encode(&rgba, WIDTH, height)?,
        width: WIDTH,
        height,
    })
}

fn encode(rgba: &[u8], width: u32, height: u32) -> Option<Vec<u8>> {
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Balanced);
    let mut writer = encoder.write_header().ok()?;
    writer.write_image_data(rgba).ok()?;
    writer.finish().ok()?;
    Some(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_of(width: u32, height: u32, rgb: [u8; 3]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        let mut writer = encoder.write_header().unwrap();
        let data: Vec<u8> = (0..width * height).flat_map(|_| rgb).collect();
        writer.write_image_data(&data).unwrap();
        writer.finish().unwrap();
        out
    }

    #[test]
    fn a_png_claiming_a_huge_canvas_gets_no_thumbnail_and_no_allocation() {
        // The encoder writes the header of a 100,000 × 100,000 image; the
        // pixels never follow.
        let mut png = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut png, 100_000, 100_000);
            encoder.set_color(png::ColorType::Rgb);
            drop(encoder.write_header().unwrap());
        }
        assert!(png.starts_with(b"\x89PNG"));
        assert_eq!(thumbnail(&png), None);
    }

    #[test]
    fn a_cover_is_scaled_to_the_thumbnail_width_keeping_its_colour() {
        let thumb = thumbnail(&png_of(1600, 2560, [200, 30, 40])).unwrap();
        assert_eq!((thumb.width, thumb.height), (400, 640));
        let mut decoder = png::Decoder::new(std::io::Cursor::new(&thumb.png));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut buffer).unwrap();
        assert_eq!(&buffer[..4], &[200, 30, 40, 255]);
    }

    #[test]
    fn an_svg_cover_is_rendered_at_the_thumbnail_width() {
        let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" width="800" height="1200"><rect width="800" height="1200" fill="#102030"/></svg>"##;
        let thumb = svg_thumbnail(svg).unwrap();
        assert_eq!((thumb.width, thumb.height), (400, 600));
        assert!(thumb.png.starts_with(b"\x89PNG"));
        assert!(svg_thumbnail(b"<svg").is_none());
    }

    #[test]
    fn small_or_broken_images_get_no_thumbnail() {
        assert!(thumbnail(&png_of(300, 400, [0, 0, 0])).is_none());
        assert!(thumbnail(b"\x89PNG\r\n\x1a\nnot really").is_none());
        assert!(thumbnail(&[]).is_none());
    }
}
