//! Drawing the cover as SVG: background, ornament, and the text as outlines.
//!
//! The canvas is 1600 × 2560 pixels. From the top: a small ornament, the
//! title with a rule under it and the subtitle, the authors, and the
//! publisher at the foot, all centred inside a thin double frame. Each
//! piece of text has its own box and is fitted into it by [`fitting::fit`],
//! so nothing can run into its neighbour or off the cover.

use super::fitting::{self, Block, Style};
use super::font::{Font, Number, Shaper};
use super::palette::{Palette, Rgb};
use super::{CoverText, Seed};
use crate::locale::{TextDirection, direction_of};
use crate::xml::XmlWriter;

/// The canvas width, in pixels.
pub const WIDTH: u32 = 1600;
/// The canvas height: 1.6 times the width, the ratio stores ask for.
pub const HEIGHT: u32 = 2560;

const CENTRE: f64 = WIDTH as f64 / 2.0;
/// The width every line of text must fit in.
const TEXT_WIDTH: f64 = 1248.0;
/// Where the outer frame runs, from each edge.
const FRAME_INSET: f64 = 64.0;
/// The room left between the outer and the inner frame.
const FRAME_GAP: f64 = 20.0;

/// Title, rule and subtitle share this band, top to bottom.
const TITLE_ZONE: (f64, f64) = (470.0, 1760.0);
const AUTHORS_ZONE: (f64, f64) = (1880.0, 2200.0);
const PUBLISHER_ZONE: (f64, f64) = (2320.0, 2430.0);
/// The centre of the ornament above the title.
const ORNAMENT_Y: f64 = 300.0;

/// The rule between title and subtitle: its length, thickness, and the
/// space above and below it.
const RULE: (f64, f64, f64) = (240.0, 5.0, 64.0);
/// The subtitle may take at most this share of the title band.
const SUBTITLE_SHARE: f64 = 0.35;

const TITLE: Style = Style {
    largest: 210.0,
    smallest: 60.0,
    leading: 1.08,
    max_lines: 9,
};
const SUBTITLE: Style = Style {
    largest: 84.0,
    smallest: 44.0,
    leading: 1.22,
    max_lines: 4,
};
const AUTHORS: Style = Style {
    largest: 80.0,
    smallest: 44.0,
    leading: 1.2,
    max_lines: 3,
};
const PUBLISHER: Style = Style {
    largest: 50.0,
    smallest: 34.0,
    leading: 1.2,
    max_lines: 1,
};

/// The cleaned texts, ready to set: empty parts are `None`.
struct Texts {
    title: String,
    subtitle: Option<String>,
    authors: Option<String>,
    publisher: Option<String>,
}

/// Draws the whole cover.
pub fn draw(font: &Font<'_>, text: &CoverText<'_>, seed: &mut Seed) -> String {
    let palette = Palette::from_seed(seed);
    let texts = clean(font, text);
    let mut w = XmlWriter::new();
    w.start(
        "svg",
        &[
            ("xmlns", "http://www.w3.org/2000/svg"),
            ("version", "1.1"),
            ("width", &WIDTH.to_string()),
            ("height", &HEIGHT.to_string()),
            ("viewBox", &format!("0 0 {WIDTH} {HEIGHT}")),
        ],
    );
    w.newline();
    describe(&mut w, text);
    rect(
        &mut w,
        (0.0, 0.0, f64::from(WIDTH), f64::from(HEIGHT)),
        palette.background,
    );
    backdrop(&mut w, seed, palette.tint);
    frame(&mut w, palette.accent);
    ornament(&mut w, seed, palette.accent);
    lettering(&mut w, font, &texts, &palette);
    w.end("svg");
    w.newline();
    w.finish()
}

/// `<title>` holds the book's title as given, for screen readers and
/// for whoever opens the file; `<desc>` the rest of the cover's text.
fn describe(w: &mut XmlWriter, text: &CoverText<'_>) {
    w.element("title", &[], text.title.trim());
    w.newline();
    let authors = text.authors.join(", ");
    let parts: Vec<&str> = [text.subtitle, Some(authors.as_str()), text.publisher]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect();
    if !parts.is_empty() {
        w.element("desc", &[], &parts.join(". "));
        w.newline();
    }
}

/// More characters than any box holds even at its smallest size (nine
/// lines of about fifty): the rest is cut before fitting, which keeps the
/// work bounded however long the text, and still ends in an ellipsis.
const MAX_CHARS: usize = 1000;

fn clean(font: &Font<'_>, text: &CoverText<'_>) -> Texts {
    let clean = |s: &str| {
        let mut cleaned = font.clean(s);
        if let Some((cut, _)) = cleaned.char_indices().nth(MAX_CHARS) {
            cleaned.truncate(cut);
        }
        cleaned
    };
    let present = |s: String| (!s.is_empty()).then_some(s);
    let authors: Vec<String> = text
        .authors
        .iter()
        .map(|a| clean(a))
        .filter(|a| !a.is_empty())
        .collect();
    Texts {
        title: clean(text.title),
        subtitle: text.subtitle.map(clean).and_then(present),
        authors: present(clean(&authors.join(", "))),
        publisher: text.publisher.map(clean).and_then(present),
    }
}

/// A large quiet disc rising from one of the bottom corners.
fn backdrop(w: &mut XmlWriter, seed: &mut Seed, tint: Rgb) {
    let left = seed.below(2) == 0;
    let reach = 200.0 + seed.below(300) as f64;
    let cx = if left {
        reach
    } else {
        f64::from(WIDTH) - reach
    };
    let radius = 820.0 + seed.below(260) as f64;
    let cy = f64::from(HEIGHT) + radius * 0.2;
    circle(w, (cx, cy, radius), &fill(tint));
}

/// A thin double frame, like the rules of a printed title page.
fn frame(w: &mut XmlWriter, accent: Rgb) {
    for (inset, stroke) in [(FRAME_INSET, 4.0), (FRAME_INSET + FRAME_GAP, 1.5)] {
        let size = (
            f64::from(WIDTH) - 2.0 * inset,
            f64::from(HEIGHT) - 2.0 * inset,
        );
        w.empty(
            "rect",
            &[
                ("x", &Number(inset).to_string()),
                ("y", &Number(inset).to_string()),
                ("width", &Number(size.0).to_string()),
                ("height", &Number(size.1).to_string()),
                ("fill", "none"),
                ("stroke", &accent.to_string()),
                ("stroke-width", &Number(stroke).to_string()),
            ],
        );
        w.newline();
    }
}

/// One of three small ornaments above the title, its proportions varied
/// by the seed.
fn ornament(w: &mut XmlWriter, seed: &mut Seed, accent: Rgb) {
    match seed.below(3) {
        0 => rings(w, seed, accent),
        1 => rules(w, seed, accent),
        _ => dots(w, seed, accent),
    }
}

/// Concentric rings around a dot.
fn rings(w: &mut XmlWriter, seed: &mut Seed, accent: Rgb) {
    let count = 2 + seed.below(3);
    let spacing = 22.0 + seed.below(12) as f64;
    circle(w, (CENTRE, ORNAMENT_Y, 10.0), &fill(accent));
    for ring in 1..=count {
        let attrs = stroke(accent, 4.0);
        circle(w, (CENTRE, ORNAMENT_Y, spacing * ring as f64), &attrs);
    }
}

/// A stack of centred rules, long and heavy to short and light.
fn rules(w: &mut XmlWriter, seed: &mut Seed, accent: Rgb) {
    let longest = 420.0 + seed.below(200) as f64;
    let mut y = ORNAMENT_Y - 40.0;
    for (share, thickness) in [(1.0, 10.0), (0.7, 4.0), (0.4, 2.0)] {
        let length = longest * share;
        rect(w, (CENTRE - length / 2.0, y, length, thickness), accent);
        y += thickness + 26.0;
    }
}

/// A row of dots, the middle one larger.
fn dots(w: &mut XmlWriter, seed: &mut Seed, accent: Rgb) {
    let each_side = 1 + seed.below(3);
    let spacing = 50.0 + seed.below(20) as f64;
    circle(w, (CENTRE, ORNAMENT_Y, 20.0), &fill(accent));
    for i in 1..=each_side {
        let dx = spacing * i as f64;
        let r = 12.0 - 2.0 * (i - 1) as f64;
        circle(w, (CENTRE - dx, ORNAMENT_Y, r), &fill(accent));
        circle(w, (CENTRE + dx, ORNAMENT_Y, r), &fill(accent));
    }
}

/// All the text: title, rule, subtitle, authors and publisher.
fn lettering(w: &mut XmlWriter, font: &Font<'_>, texts: &Texts, palette: &Palette) {
    let mut shaper = Shaper::new(font);
    let (top, bottom) = TITLE_ZONE;
    let band = bottom - top;
    let subtitle = texts
        .subtitle
        .as_deref()
        .map(|s| fitting::fit(&mut shaper, s, TEXT_WIDTH, band * SUBTITLE_SHARE, SUBTITLE));
    let (rule_length, rule_thickness, rule_gap) = RULE;
    let below_title =
        rule_gap + rule_thickness + subtitle.as_ref().map_or(0.0, |s| rule_gap + s.height());
    let title = fitting::fit(
        &mut shaper,
        &texts.title,
        TEXT_WIDTH,
        band - below_title,
        TITLE,
    );

    // The group sits a little above the middle of its band, where the eye
    // expects a title.
    let group = title.height() + below_title;
    let mut y = top + (band - group) * 0.45;
    w.start("g", &[("fill", &palette.ink.to_string())]);
    w.newline();
    set(w, &mut shaper, &title, y);
    y += title.height() + rule_gap;
    let rule = (CENTRE - rule_length / 2.0, y, rule_length, rule_thickness);
    if let Some(subtitle) = &subtitle {
        set(w, &mut shaper, subtitle, y + rule_thickness + rule_gap);
    }
    if let Some(authors) = &texts.authors {
        set_in_zone(w, &mut shaper, authors, AUTHORS_ZONE, AUTHORS);
    }
    if let Some(publisher) = &texts.publisher {
        set_in_zone(w, &mut shaper, publisher, PUBLISHER_ZONE, PUBLISHER);
    }
    w.end("g");
    w.newline();
    rect(w, rule, palette.accent);
}

/// Fits `text` into a band and centres it there vertically.
fn set_in_zone(
    w: &mut XmlWriter,
    shaper: &mut Shaper<'_, '_>,
    text: &str,
    zone: (f64, f64),
    style: Style,
) {
    let (top, bottom) = zone;
    let block = fitting::fit(shaper, text, TEXT_WIDTH, bottom - top, style);
    set(
        w,
        shaper,
        &block,
        top + (bottom - top - block.height()) / 2.0,
    );
}

/// Writes a block's lines, centred, as one path each, from `top` down.
fn set(w: &mut XmlWriter, shaper: &mut Shaper<'_, '_>, block: &Block, top: f64) {
    let font = shaper.font();
    let scale = block.size / f64::from(font.units_per_em());
    for (i, line) in block.lines.iter().enumerate() {
        let words: Vec<&str> = line.iter().map(String::as_str).collect();
        let width = f64::from(shaper.width(&words)) * scale;
        let baseline = top + block.ascent + i as f64 * block.line_height;
        let mut d = String::new();
        let mut pen = 0;
        for (word, gap) in visual_order(&words, font) {
            let run = shaper.run(word);
            font.outline(&run.glyphs, pen, &mut d);
            pen = pen.saturating_add(run.advance).saturating_add(gap);
        }
        if d.is_empty() {
            continue;
        }
        // The outlines stay in font units, mostly whole numbers, and the
        // transform scales them: shorter than pixel coordinates, and exact.
        let transform = format!(
            "translate({} {}) scale({})",
            Number(CENTRE - width / 2.0),
            Number(baseline),
            Fine(scale),
        );
        w.empty("path", &[("transform", &transform), ("d", &d)]);
        w.newline();
    }
}

/// The words of a line from left to right, each with the space after
/// it. A line whose first strong letter is right to left (Arabic, Hebrew)
/// reads from the right: its words are drawn in the opposite order, but a
/// run of left-to-right words inside it (a Latin name) keeps its order,
/// as the bidirectional algorithm sets them.
pub(super) fn visual_order<'w>(words: &[&'w str], font: &Font<'_>) -> Vec<(&'w str, i32)> {
    let gaps: Vec<i32> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i + 1 < words.len() {
                font.gap_after(w)
            } else {
                0
            }
        })
        .collect();
    let line = words.join(" ");
    if direction_of(&line) != Some(TextDirection::Rtl) {
        return words.iter().copied().zip(gaps).collect();
    }
    // Runs of words that read left to right (neutral words join the run
    // they sit in), in logical order; then the runs from right to left.
    let mut runs: Vec<Vec<usize>> = Vec::new();
    let mut run_is_ltr = false;
    for (i, word) in words.iter().enumerate() {
        let ltr = match direction_of(word) {
            Some(TextDirection::Ltr) => true,
            Some(TextDirection::Rtl) => false,
            None => run_is_ltr,
        };
        match runs.last_mut() {
            Some(run) if ltr && run_is_ltr => run.push(i),
            _ => runs.push(vec![i]),
        }
        run_is_ltr = ltr;
    }
    let space = font.space();
    let mut out = Vec::with_capacity(words.len());
    for run in runs.iter().rev() {
        for &i in run {
            if let Some(word) = words.get(i) {
                out.push((*word, space));
            }
        }
    }
    if let Some(last) = out.last_mut() {
        last.1 = 0;
    }
    out
}

fn rect(w: &mut XmlWriter, (x, y, width, height): (f64, f64, f64, f64), colour: Rgb) {
    w.empty(
        "rect",
        &[
            ("x", &Number(x).to_string()),
            ("y", &Number(y).to_string()),
            ("width", &Number(width).to_string()),
            ("height", &Number(height).to_string()),
            ("fill", &colour.to_string()),
        ],
    );
    w.newline();
}

fn circle(w: &mut XmlWriter, (cx, cy, r): (f64, f64, f64), paint: &[(&str, String)]) {
    let mut attrs = vec![
        ("cx", Number(cx).to_string()),
        ("cy", Number(cy).to_string()),
        ("r", Number(r).to_string()),
    ];
    attrs.extend(paint.iter().map(|(k, v)| (*k, v.clone())));
    let attrs: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    w.empty("circle", &attrs);
    w.newline();
}

fn fill(colour: Rgb) -> Vec<(&'static str, String)> {
    vec![("fill", colour.to_string())]
}

fn stroke(colour: Rgb, width: f64) -> Vec<(&'static str, String)> {
    vec![
        ("fill", "none".to_string()),
        ("stroke", colour.to_string()),
        ("stroke-width", Number(width).to_string()),
    ]
}

/// A scale factor: five decimals, since it multiplies font units.
struct Fine(f64);

impl std::fmt::Display for Fine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = format!("{:.5}", self.0);
        match text.trim_end_matches('0').trim_end_matches('.') {
            "" | "-" | "-0" => f.write_str("0"),
            short => f.write_str(short),
        }
    }
}
