//! Fitting a piece of text into a box: the largest size at which it wraps
//! into the allowed lines, with the lines evened out.
//!
//! A word is never broken while a smaller size would fit it; only at the
//! smallest size is an over-long word split between characters, and text
//! that still does not fit loses its end to an ellipsis. Whatever the input,
//! every line is at most the box's width and the block at most its height.

use super::font::{GLUE, Shaper, is_mark};

/// How a piece of text may be set.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// The size tried first, in pixels per em.
    pub largest: f64,
    /// The size below which the text is cut instead.
    pub smallest: f64,
    /// Baseline to baseline, in ems.
    pub leading: f64,
    /// The most lines allowed.
    pub max_lines: usize,
}

/// Text set in lines at one size.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Pixels per em.
    pub size: f64,
    /// Baseline to baseline, in pixels.
    pub line_height: f64,
    /// Each line's words.
    pub lines: Vec<Vec<String>>,
    /// Above the first baseline, in pixels.
    pub ascent: f64,
    /// Below the last baseline, in pixels.
    pub descent: f64,
}

impl Block {
    /// From the top of the first line to the bottom of the last.
    pub fn height(&self) -> f64 {
        self.height_of(self.lines.len())
    }

    fn height_of(&self, lines: usize) -> f64 {
        match lines {
            0 => 0.0,
            n => self.ascent + (n - 1) as f64 * self.line_height + self.descent,
        }
    }
}

/// Each size tried is this much smaller than the one before.
const SIZE_STEP: f64 = 0.94;

/// Sets `text` (already cleaned: single spaces, trimmed) as large as it fits
/// in `width` × `height` pixels.
pub fn fit(
    shaper: &mut Shaper<'_, '_>,
    text: &str,
    width: f64,
    height: f64,
    style: Style,
) -> Block {
    let pieces = pieces(text);
    let words: Vec<&str> = pieces.iter().map(String::as_str).collect();
    let mut size = style.largest;
    while size > style.smallest {
        let block = block_at(shaper, size, style);
        let max = units(shaper, width, size);
        if let Some(lines) = wrap(shaper, &words, max, false)
            && lines.len() <= style.max_lines
            && block.fits(lines.len(), height)
        {
            let lines = balance(shaper, &words, max, lines.len());
            return block.with(lines);
        }
        size *= SIZE_STEP;
    }
    cut_to_fit(shaper, &words, width, height, style)
}

/// At the smallest size: wrap, breaking words if need be, keep the lines
/// that fit, and end the last with an ellipsis if any text was left out.
fn cut_to_fit(
    shaper: &mut Shaper<'_, '_>,
    words: &[&str],
    width: f64,
    height: f64,
    style: Style,
) -> Block {
    let size = style.smallest;
    let block = block_at(shaper, size, style);
    let max = units(shaper, width, size);
    let mut lines = wrap(shaper, words, max, true).unwrap_or_default();
    let room = (1..=style.max_lines)
        .take_while(|&n| block.fits(n, height))
        .last()
        .unwrap_or(1);
    if lines.len() > room {
        lines.truncate(room);
        if let Some(last) = lines.last_mut() {
            *last = with_ellipsis(shaper, last, max);
        }
    }
    block.with(lines)
}

/// An empty block with the metrics of `size`.
fn block_at(shaper: &Shaper<'_, '_>, size: f64, style: Style) -> Block {
    let font = shaper.font();
    let scale = size / f64::from(font.units_per_em());
    Block {
        size,
        line_height: size * style.leading,
        lines: Vec::new(),
        ascent: f64::from(font.ascender()) * scale,
        descent: f64::from(font.descender()) * scale,
    }
}

impl Block {
    fn fits(&self, lines: usize, height: f64) -> bool {
        self.height_of(lines) <= height
    }

    fn with(self, lines: Vec<Vec<String>>) -> Block {
        Block { lines, ..self }
    }
}

/// The words of a text, and the places a line may break inside a word of
/// Chinese, Japanese or Korean characters, which are not separated by
/// spaces: there the word is split, and the piece before the break ends in
/// [`GLUE`] so that no space is set after it. A line may break between
/// two such characters, but not before closing punctuation or a small
/// kana, nor after opening punctuation (the rules of JIS X 4051 and
/// UAX #14, simplified).
pub fn pieces(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let mut piece = String::new();
        let mut previous: Option<char> = None;
        for c in word.chars() {
            if let Some(before) = previous
                && (is_wide(before) || is_wide(c))
                && !is_mark(c)
                && !no_break_before(c)
                && !no_break_after(before)
            {
                piece.push(GLUE);
                out.push(std::mem::take(&mut piece));
            }
            piece.push(c);
            previous = Some(c);
        }
        if !piece.is_empty() {
            out.push(piece);
        }
    }
    out
}

/// Whether a character is one of those Chinese, Japanese and Korean set
/// without spaces between words.
fn is_wide(c: char) -> bool {
    matches!(
        u32::from(c),
        0x2E80..=0x2FFF | 0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
            | 0xF900..=0xFAFF | 0xFF00..=0xFF60 | 0x20000..=0x3FFFF
    )
}

/// Closing punctuation, iteration marks and small kana: never at the
/// start of a line.
fn no_break_before(c: char) -> bool {
    "、。，．・：；？！ー…‥」』）〕］｝〉》】〙〗’”ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々〻ゝゞヽヾ!),.:;?]}".contains(c)
}

/// Opening punctuation: never at the end of a line.
fn no_break_after(c: char) -> bool {
    "「『（〔［｛〈《【〘〖‘“([{".contains(c)
}

/// `pixels` at `size`, in font units (rounded down, so never wider).
fn units(shaper: &Shaper<'_, '_>, pixels: f64, size: f64) -> i32 {
    let units = pixels * f64::from(shaper.font().units_per_em()) / size;
    units.floor().clamp(0.0, f64::from(i32::MAX)) as i32
}

/// Greedy wrapping at `max` font units. A word wider than a line gives
/// `None`, unless `break_words`, when it is split between characters.
fn wrap(
    shaper: &mut Shaper<'_, '_>,
    words: &[&str],
    max: i32,
    break_words: bool,
) -> Option<Vec<Vec<String>>> {
    let mut lines = Vec::new();
    let mut line: Vec<&str> = Vec::new();
    for &word in words {
        line.push(word);
        if shaper.width(&line) <= max {
            continue;
        }
        line.pop();
        if !line.is_empty() {
            lines.push(owned(&line));
            line.clear();
        }
        if shaper.width(&[word]) <= max {
            line.push(word);
            continue;
        }
        if !break_words {
            return None;
        }
        lines.extend(
            split_word(shaper, word, max)
                .into_iter()
                .map(|piece| vec![piece]),
        );
    }
    if !line.is_empty() {
        lines.push(owned(&line));
    }
    Some(lines)
}

fn owned(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| (*w).to_string()).collect()
}

/// Splits a word too wide for a line into pieces that each fit, never
/// separating a mark from its letter. A piece is at least one character,
/// even if that alone is too wide (no single glyph of the font is).
fn split_word(shaper: &mut Shaper<'_, '_>, word: &str, max: i32) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut rest = word;
    while !rest.is_empty() {
        let breaks = break_points(rest);
        // The longest prefix that fits, found by bisection over the places
        // the word may break.
        let (mut low, mut high) = (0, breaks.len());
        while low < high {
            let middle = (low + high).div_ceil(2);
            let end = breaks.get(middle - 1).copied().unwrap_or(rest.len());
            let prefix = rest.get(..end).unwrap_or(rest);
            if shaper.width(&[prefix]) <= max {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        let end = match low {
            0 => breaks.first().copied().unwrap_or(rest.len()),
            n => breaks.get(n - 1).copied().unwrap_or(rest.len()),
        };
        let (piece, after) = rest.split_at_checked(end).unwrap_or((rest, ""));
        pieces.push(piece.to_string());
        rest = after;
    }
    pieces
}

/// Byte offsets after each character of `word` that a line may end at
/// (not before a combining mark), the end of the word included.
fn break_points(word: &str) -> Vec<usize> {
    let mut points: Vec<usize> = word
        .char_indices()
        .skip(1)
        .filter(|&(_, c)| !is_mark(c))
        .map(|(i, _)| i)
        .collect();
    points.push(word.len());
    points
}

/// Wraps into `lines` lines that are as even as possible: the narrowest
/// width that still needs no more lines. A two-line title then breaks near
/// its middle instead of leaving one word alone on the second line.
fn balance(
    shaper: &mut Shaper<'_, '_>,
    words: &[&str],
    max: i32,
    lines: usize,
) -> Vec<Vec<String>> {
    let mut best = wrap(shaper, words, max, false).unwrap_or_default();
    if lines < 2 {
        return best;
    }
    let (mut low, mut high) = (max / 2, max);
    while high - low > 8 {
        let middle = low + (high - low) / 2;
        match wrap(shaper, words, middle, false) {
            Some(wrapped) if wrapped.len() <= lines => {
                best = wrapped;
                high = middle;
            }
            _ => low = middle,
        }
    }
    best
}

/// `line`, shortened from its end until it fits with "…" after it.
fn with_ellipsis(shaper: &mut Shaper<'_, '_>, line: &[String], max: i32) -> Vec<String> {
    let mut text = line.join(" ");
    loop {
        let candidate = format!("{}…", text.trim_end().trim_end_matches(GLUE));
        let words: Vec<&str> = candidate.split(' ').collect();
        if text.is_empty() || shaper.width(&words) <= max {
            return words.iter().map(|w| (*w).to_string()).collect();
        }
        text.pop();
        // Drop marks with the letter they sit on.
        while text.ends_with(is_mark) {
            text.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::font::Font;
    use super::*;

    const STYLE: Style = Style {
        largest: 200.0,
        smallest: 40.0,
        leading: 1.1,
        max_lines: 6,
    };

    fn font() -> Font<'static> {
        match Font::bundled() {
            Ok(font) => font,
            Err(e) => panic!("{e}"),
        }
    }

    fn widest(shaper: &mut Shaper<'_, '_>, block: &Block) -> f64 {
        let scale = block.size / f64::from(shaper.font().units_per_em());
        block
            .lines
            .iter()
            .map(|line| {
                let words: Vec<&str> = line.iter().map(String::as_str).collect();
                f64::from(shaper.width(&words)) * scale
            })
            .fold(0.0, f64::max)
    }

    #[test]
    fn a_short_title_is_set_large_on_one_line() {
        let font = font();
        let mut shaper = Shaper::new(&font);
        let block = fit(&mut shaper, "Dune", 1200.0, 1000.0, STYLE);
        assert_eq!(block.lines, vec![vec!["Dune".to_string()]]);
        assert!((block.size - 200.0).abs() < 1e-9);
    }

    #[test]
    fn long_text_shrinks_and_stays_inside_the_box() {
        let font = font();
        let mut shaper = Shaper::new(&font);
        let text = "word ".repeat(80);
        let block = fit(&mut shaper, text.trim(), 1200.0, 900.0, STYLE);
        assert!(block.size < 200.0);
        assert!(widest(&mut shaper, &block) <= 1200.0);
        assert!(block.height() <= 900.0);
        assert!(block.lines.len() <= STYLE.max_lines);
    }

    #[test]
    fn text_that_cannot_fit_ends_in_an_ellipsis() {
        let font = font();
        let mut shaper = Shaper::new(&font);
        let text = "lorem ipsum ".repeat(200);
        let block = fit(&mut shaper, text.trim(), 1200.0, 300.0, STYLE);
        assert!((block.size - STYLE.smallest).abs() < 1e-9);
        assert!(block.height() <= 300.0);
        let last = block.lines.last().and_then(|l| l.last());
        assert!(last.is_some_and(|w| w.ends_with('…')), "{last:?}");
        assert!(widest(&mut shaper, &block) <= 1200.0);
    }

    #[test]
    fn an_overlong_word_is_broken_at_the_smallest_size() {
        let font = font();
        let mut shaper = Shaper::new(&font);
        let word = "Ω".repeat(300);
        let block = fit(&mut shaper, &word, 1200.0, 2000.0, STYLE);
        assert!(block.lines.len() > 1);
        assert!(widest(&mut shaper, &block) <= 1200.0);
    }

    #[test]
    fn two_lines_are_balanced() {
        let font = font();
        let mut shaper = Shaper::new(&font);
        let style = Style {
            max_lines: 2,
            ..STYLE
        };
        let text = "The Remarkable Adventures of a Very Small Bookbinder";
        let block = fit(&mut shaper, text, 1200.0, 1000.0, style);
        assert_eq!(block.lines.len(), 2);
        let lengths: Vec<usize> = block.lines.iter().map(|l| l.join(" ").len()).collect();
        assert!(lengths[0].abs_diff(lengths[1]) < 15, "{lengths:?}");
    }

    #[test]
    fn marks_stay_with_their_letters() {
        assert_eq!(break_points("e\u{301}a"), vec![3, 4]);
    }
}
