//! TeX math → MathML, for the formulas of a chapter: part of the render stage.
//!
//! When the Markdown of a chapter has inline math (`$…$`) or display math
//! (`$$…$$`), the renderer hands the TeX between the dollars to
//! [`to_mathml`], which gives back one `<math>` element as a string, ready
//! to go into the chapter's XHTML as it is, or a [`MathError`] saying what is
//! wrong with the formula. A document that holds such an element needs
//! `properties="mathml"` on its manifest item.
//!
//! The TeX is parsed by the `pulldown-latex` crate; the MathML is written
//! here, from the parser's events. The crate has a MathML writer of its own,
//! but it aims at browsers (MathML Core plus its style sheet) and its output
//! is not always XML (an unescaped `<` in `a < b`, `&nbsp;`) nor valid
//! MathML 3 (`displaystyle` on `mrow`, lengths in `mu`), which is what
//! EPUBCheck validates. Everything written here is Presentation MathML 3,
//! and every piece of text goes through one escaping function.

use std::any::Any;
use std::error::Error as _;
use std::fmt;
use std::panic;
use std::thread;

use pulldown_latex::event::{
    ArrayColumn, ColorChange, ColorTarget, ColumnAlignment, Content, DelimiterSize, DelimiterType,
    Dimension, DimensionUnit, EnvironmentFlow, Font, Grouping, Line, ScriptPosition, ScriptType,
    StateChange, Style, Visual,
};
use pulldown_latex::{Event, Parser, ParserError, Storage};

/// Most `\`, `^`, `_` and `{` a formula may have.
///
/// Each can open one level of nesting, and running out of stack aborts the
/// whole program. pulldown-latex parses an argument given without braces
/// (`\sqrt\sqrt x`) by recursion, at up to 17 KiB of stack a level in a
/// debug build, and the writer here takes up to 4 KiB a level: this bound
/// keeps the deepest case well inside [`STACK_SIZE`].
const MAX_OPENERS: usize = 2000;

/// Formulas with at most this many `\`, `^`, `_` and `{` are converted on
/// the caller's thread: they need under 0.5 MiB of stack, which any thread
/// has. Larger ones get a thread of their own, which costs some 50 µs.
const SMALL: usize = 16;

/// Stack of the thread a large formula is converted on (only what is used
/// of it is ever allocated).
const STACK_SIZE: usize = 64 << 20;

/// Deepest nesting of elements written, as TeX limits groups to 255 levels.
const MAX_NESTING: usize = 255;

/// TeX's thin space, which it puts between an operator name and what it
/// applies to; MathML renderers put none.
const THIN_SPACE: &str = "<mspace width=\"0.1667em\"/>";

/// A formula that could not be turned into MathML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MathError {
    /// What is wrong, lower case, no full stop (e.g. "unknown command `\\fracc`").
    pub message: String,
    /// Byte offset inside the formula's TeX source where the problem is, if known.
    pub offset: Option<usize>,
}

impl MathError {
    fn new(message: impl Into<String>, offset: Option<usize>) -> Self {
        Self {
            message: message.into(),
            offset,
        }
    }

    /// For event streams the writer does not expect. The parser promises
    /// never to produce them, so they would be a bug in pulldown-latex.
    fn unexpected() -> Self {
        Self::new(
            "the tex parser produced a structure that cannot be written as mathml",
            None,
        )
    }
}

impl fmt::Display for MathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for MathError {}

/// TeX source → one `<math xmlns="http://www.w3.org/1998/Math/MathML" …>` element as a string,
/// with `display="block"` when `display` is true, and an `alttext` attribute holding the TeX source
/// (escaped) for accessibility.
pub fn to_mathml(tex: &str, display: bool) -> Result<String, MathError> {
    let openers = tex
        .bytes()
        .filter(|b| matches!(b, b'\\' | b'^' | b'_' | b'{'))
        .count();
    if openers > MAX_OPENERS {
        return Err(MathError::new(
            format!("formula too long: more than {MAX_OPENERS} commands, scripts and braces"),
            None,
        ));
    }
    // pulldown-latex 0.8 panics on `\char` followed by a non-ASCII
    // character, and, in debug builds, on integer overflow in
    // `\char"FFFFFFFFFFFFFFFFFFFF` or `\begin{alignat}{40000}`: the panic is
    // caught (the default hook still prints it) and becomes an error.
    if openers <= SMALL {
        return panic::catch_unwind(|| convert(tex, display)).unwrap_or_else(crashed);
    }
    // On a thread of its own, whose `join` catches panics too.
    thread::scope(|scope| {
        let worker = thread::Builder::new()
            .name("tex-to-mathml".into())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, || convert(tex, display))
            .map_err(|err| MathError::new(format!("cannot start the tex parser: {err}"), None))?;
        worker.join().unwrap_or_else(crashed)
    })
}

fn crashed(_panic: Box<dyn Any + Send>) -> Result<String, MathError> {
    Err(MathError::new(
        "the tex parser crashed on this formula",
        None,
    ))
}

fn convert(tex: &str, display: bool) -> Result<String, MathError> {
    let storage = Storage::new();
    let mut events = Vec::new();
    for event in Parser::new(tex, &storage) {
        // The parser goes on after an error, but what follows is guesswork.
        events.push(event.map_err(|err| parse_error(tex, &err))?);
    }

    let mut out = String::with_capacity(64 + tex.len() * 8);
    out.push_str("<math xmlns=\"http://www.w3.org/1998/Math/MathML\"");
    if display {
        out.push_str(" display=\"block\"");
    }
    out.push_str(" alttext=\"");
    crate::xml::escape_into(&mut out, tex, true);
    out.push_str("\">");
    let mut writer = Writer {
        events: &events,
        pos: 0,
        depth: 0,
    };
    let state = State {
        font: None,
        display_style: display,
    };
    match writer.row(state, &mut out)? {
        Stop::Eof => {}
        Stop::End | Stop::Flow(_) => return Err(MathError::unexpected()),
    }
    out.push_str("</math>");
    Ok(out)
}

/// What applies to the elements that follow in a group.
#[derive(Debug, Clone, Copy)]
struct State {
    /// Set by `\mathbf` and the like; applied by changing the characters.
    font: Option<Font>,
    /// Whether large operators take their limits above and below.
    display_style: bool,
}

impl State {
    /// The state of a fraction's parts, a script, or a root's index: TeX
    /// sets them in text style or smaller.
    fn inner(self) -> Self {
        Self {
            display_style: false,
            ..self
        }
    }

    /// Applies a change to the rest of the group. Colours and styles are
    /// written as an `<mstyle>` that the caller closes at the end of the
    /// group; returns whether one was opened.
    fn change(&mut self, change: &StateChange, out: &mut String) -> bool {
        match *change {
            StateChange::Font(font) => {
                self.font = font;
                false
            }
            StateChange::Color(ColorChange {
                color: (r, g, b),
                target,
            }) => {
                let hex = format!("#{r:02x}{g:02x}{b:02x}");
                out.push_str(&match target {
                    ColorTarget::Text => format!("<mstyle mathcolor=\"{hex}\">"),
                    ColorTarget::Background => format!("<mstyle mathbackground=\"{hex}\">"),
                    // `\fcolorbox`: MathML 3 has no border colour, CSS does.
                    ColorTarget::Border => format!("<mstyle style=\"border: 0.06em solid {hex}\">"),
                });
                true
            }
            StateChange::Style(style) => {
                let (display, level) = match style {
                    Style::Display => (true, 0),
                    Style::Text => (false, 0),
                    Style::Script => (false, 1),
                    Style::ScriptScript => (false, 2),
                };
                self.display_style = display;
                out.push_str(&format!(
                    "<mstyle displaystyle=\"{display}\" scriptlevel=\"{level}\">"
                ));
                true
            }
        }
    }
}

/// Why a row of elements ended.
enum Stop<'e> {
    /// End of the formula.
    Eof,
    /// End of a group.
    End,
    /// `&`, `\\` or `\hline` in an environment.
    Flow(&'e EnvironmentFlow),
}

/// How an element takes part in TeX's spacing around operator names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `\sin`, `\lim`, `\operatorname{…}`, with or without scripts.
    Function,
    /// An opening delimiter or a `\left…\right` group.
    Open,
    /// Operators, relations, punctuation and closing delimiters.
    Operator,
    /// Everything else.
    Ordinary,
}

/// Writes the parser's events as MathML. Every element of the event
/// stream (a token, a group, a fraction with its two parts, a base with
/// its scripts, …) becomes exactly one MathML element, so fractions,
/// roots and scripts always get the number of children MathML requires.
struct Writer<'e, 'a> {
    events: &'e [Event<'a>],
    pos: usize,
    depth: usize,
}

impl<'e> Writer<'e, '_> {
    /// Writes elements and state changes up to the end of the group, cell
    /// or formula.
    fn row(&mut self, mut state: State, out: &mut String) -> Result<Stop<'e>, MathError> {
        let mut open_styles = 0;
        let mut previous = None;
        let events = self.events;
        let stop = loop {
            let Some(event) = events.get(self.pos) else {
                break Stop::Eof;
            };
            match event {
                Event::End => {
                    self.pos += 1;
                    break Stop::End;
                }
                Event::EnvironmentFlow(flow) => {
                    self.pos += 1;
                    break Stop::Flow(flow);
                }
                Event::StateChange(change) => {
                    self.pos += 1;
                    if state.change(change, out) {
                        open_styles += 1;
                    }
                }
                _ => {
                    let next = self.kind_at(self.pos);
                    if previous == Some(Kind::Function)
                        && matches!(next, Kind::Ordinary | Kind::Open | Kind::Function)
                    {
                        // U+2061 FUNCTION APPLICATION: says, to speech
                        // output too, that `sin` applies to what follows.
                        out.push_str("<mo>\u{2061}</mo>");
                        if next != Kind::Open {
                            out.push_str(THIN_SPACE);
                        }
                    } else if next == Kind::Function && previous == Some(Kind::Ordinary) {
                        out.push_str(THIN_SPACE);
                    }
                    self.element(state, out)?;
                    previous = Some(next);
                }
            }
        };
        for _ in 0..open_styles {
            out.push_str("</mstyle>");
        }
        Ok(stop)
    }

    /// Like [`Writer::row`], for a group that must end with [`Event::End`].
    fn group_row(&mut self, state: State, out: &mut String) -> Result<(), MathError> {
        match self.row(state, out)? {
            Stop::End => Ok(()),
            Stop::Eof | Stop::Flow(_) => Err(MathError::unexpected()),
        }
    }

    /// The kind of the element starting at `pos`: a script takes its base's.
    fn kind_at(&self, mut pos: usize) -> Kind {
        while let Some(Event::Script { .. } | Event::Visual(Visual::Negation)) =
            self.events.get(pos)
        {
            pos += 1;
        }
        match self.events.get(pos) {
            Some(Event::Content(Content::Function(_))) => Kind::Function,
            Some(
                Event::Begin(Grouping::LeftRight(..))
                | Event::Content(Content::Delimiter {
                    ty: DelimiterType::Open,
                    ..
                }),
            ) => Kind::Open,
            Some(Event::Content(
                Content::Delimiter { .. }
                | Content::Punctuation(_)
                | Content::BinaryOp { .. }
                | Content::Relation { .. }
                | Content::LargeOp { .. },
            )) => Kind::Operator,
            _ => Kind::Ordinary,
        }
    }

    /// Writes one element.
    fn element(&mut self, state: State, out: &mut String) -> Result<(), MathError> {
        if self.depth >= MAX_NESTING {
            return Err(MathError::new(
                format!("formula nested too deeply (more than {MAX_NESTING} levels)"),
                None,
            ));
        }
        self.depth += 1;
        let written = self.element_unchecked(state, out);
        self.depth -= 1;
        written
    }

    fn element_unchecked(&mut self, state: State, out: &mut String) -> Result<(), MathError> {
        let event = self
            .events
            .get(self.pos)
            .ok_or_else(MathError::unexpected)?;
        self.pos += 1;
        match event {
            Event::Content(content) => token(*content, state, false, out),
            Event::Begin(grouping) => self.group(grouping, state, out)?,
            Event::Visual(visual) => self.visual(*visual, state, out)?,
            Event::Script { ty, position } => self.script(*ty, *position, state, out)?,
            Event::Space {
                width,
                height,
                depth,
            } => {
                out.push_str("<mspace");
                for (name, size) in [("width", width), ("height", height), ("depth", depth)] {
                    if let Some(size) = size.and_then(length) {
                        out.push_str(&format!(" {name}=\"{size}\""));
                    }
                }
                out.push_str("/>");
            }
            // Where an argument is expected (`\frac\displaystyle ab`), TeX
            // takes the switch as the whole argument: an empty one.
            Event::StateChange(_) => out.push_str("<mrow/>"),
            Event::End | Event::EnvironmentFlow(_) => return Err(MathError::unexpected()),
        }
        Ok(())
    }

    fn visual(&mut self, visual: Visual, state: State, out: &mut String) -> Result<(), MathError> {
        match visual {
            Visual::SquareRoot => {
                out.push_str("<msqrt>");
                self.element(state, out)?;
                out.push_str("</msqrt>");
            }
            Visual::Root => {
                // The events give the radicand first, as MathML wants it.
                out.push_str("<mroot>");
                self.element(state, out)?;
                self.element(state.inner(), out)?;
                out.push_str("</mroot>");
            }
            Visual::Fraction(thickness) => {
                out.push_str("<mfrac");
                if let Some(thickness) = thickness.and_then(length) {
                    out.push_str(&format!(" linethickness=\"{thickness}\""));
                }
                out.push('>');
                self.element(state.inner(), out)?;
                self.element(state.inner(), out)?;
                out.push_str("</mfrac>");
            }
            Visual::Negation => match self.events.get(self.pos) {
                // `\not=`: a combining long solidus on the symbol, as in ≠.
                Some(Event::Content(
                    content @ (Content::Ordinary { .. }
                    | Content::BinaryOp { .. }
                    | Content::Relation { .. }
                    | Content::LargeOp { .. }
                    | Content::Delimiter { .. }
                    | Content::Punctuation(_)),
                )) => {
                    self.pos += 1;
                    token(*content, state, true, out);
                }
                _ => {
                    out.push_str("<menclose notation=\"updiagonalstrike\">");
                    self.element(state, out)?;
                    out.push_str("</menclose>");
                }
            },
        }
        Ok(())
    }

    fn script(
        &mut self,
        ty: ScriptType,
        position: ScriptPosition,
        state: State,
        out: &mut String,
    ) -> Result<(), MathError> {
        let above_below = match position {
            ScriptPosition::Right => false,
            ScriptPosition::AboveBelow => true,
            // `\sum`, `\lim`: limits go above and below in display style only.
            ScriptPosition::Movable => state.display_style,
        };
        let (tag, scripts) = match (ty, above_below) {
            (ScriptType::Subscript, false) => ("msub", 1),
            (ScriptType::Superscript, false) => ("msup", 1),
            (ScriptType::SubSuperscript, false) => ("msubsup", 2),
            (ScriptType::Subscript, true) => ("munder", 1),
            (ScriptType::Superscript, true) => ("mover", 1),
            (ScriptType::SubSuperscript, true) => ("munderover", 2),
        };
        let mut base = String::new();
        self.element(state, &mut base)?;
        // `\hat{x}`, `\vec{x}`, `\overline{x}`, `\underbrace{x}`: a lone
        // symbol over or under is an accent, set close to the base and at
        // full size.
        let accent = match self.events.get(self.pos) {
            Some(&Event::Content(Content::Ordinary { content, stretchy }))
                if above_below && (stretchy || is_accent(content)) =>
            {
                Some((content, stretchy))
            }
            _ => None,
        };
        if let (Some((content, stretchy)), 1) = (accent, scripts) {
            self.pos += 1;
            let attribute = if ty == ScriptType::Subscript {
                "accentunder"
            } else {
                "accent"
            };
            out.push_str(&format!("<{tag} {attribute}=\"true\">{base}"));
            // The parser gives `\overline` as `\bar`, which must stretch.
            let stretchy = if stretchy || content == '‾' {
                " stretchy=\"true\""
            } else {
                " stretchy=\"false\""
            };
            leaf(out, "mo", stretchy, content.encode_utf8(&mut [0; 4]), false);
        } else {
            out.push_str(&format!("<{tag}>{base}"));
            for _ in 0..scripts {
                self.element(state.inner(), out)?;
            }
        }
        out.push_str(&format!("</{tag}>"));
        Ok(())
    }

    fn group(
        &mut self,
        grouping: &Grouping,
        state: State,
        out: &mut String,
    ) -> Result<(), MathError> {
        match grouping {
            Grouping::Normal => {
                out.push_str("<mrow>");
                self.group_row(state, out)?;
                out.push_str("</mrow>");
            }
            Grouping::LeftRight(open, close) => {
                out.push_str("<mrow>");
                fence(*open, out);
                self.group_row(state, out)?;
                fence(*close, out);
                out.push_str("</mrow>");
            }
            Grouping::Cases { left } => {
                out.push_str("<mrow>");
                if *left {
                    fence(Some('{'), out);
                }
                self.table(Columns::All("left"), false, out)?;
                if !*left {
                    fence(Some('}'), out);
                }
                out.push_str("</mrow>");
            }
            Grouping::Array(columns) => self.table(Columns::Spec(columns), false, out)?,
            Grouping::Matrix { alignment } | Grouping::SubArray { alignment } => {
                self.table(Columns::All(align_name(*alignment)), false, out)?;
            }
            Grouping::Align { .. }
            | Grouping::Aligned
            | Grouping::Alignat { .. }
            | Grouping::Alignedat { .. }
            | Grouping::Split => self.table(Columns::Pairs, true, out)?,
            Grouping::Equation { .. }
            | Grouping::Gather { .. }
            | Grouping::Gathered
            | Grouping::Multline => self.table(Columns::All("center"), true, out)?,
        }
        Ok(())
    }

    /// Writes an environment's cells as an `<mtable>`. Equation numbers
    /// are not written: a book's formulas are not numbered automatically.
    fn table(
        &mut self,
        columns: Columns,
        display: bool,
        out: &mut String,
    ) -> Result<(), MathError> {
        let cell_state = State {
            font: None,
            display_style: display,
        };
        let mut rows: Vec<Vec<String>> = vec![Vec::new()];
        // The rule under each row but the last.
        let mut rules: Vec<&str> = Vec::new();
        loop {
            let mut cell = String::new();
            let stop = self.row(cell_state, &mut cell)?;
            // A rule above the first row (`\hline` first) has no MathML 3
            // equivalent short of a frame on all sides: dropped.
            if let Stop::Flow(EnvironmentFlow::StartLines { .. }) = stop {
                continue;
            }
            if let Some(row) = rows.last_mut() {
                row.push(cell);
            }
            match stop {
                Stop::End => break,
                Stop::Flow(EnvironmentFlow::Alignment) => {}
                Stop::Flow(EnvironmentFlow::NewLine {
                    horizontal_lines, ..
                }) => {
                    rules.push(horizontal_lines.first().map_or("none", line_name));
                    rows.push(Vec::new());
                }
                Stop::Flow(EnvironmentFlow::StartLines { .. }) => {}
                Stop::Eof => return Err(MathError::unexpected()),
            }
        }
        // `a \\ b \\` ends with an empty row in the events, not in TeX.
        if rows.len() > 1
            && rows
                .last()
                .is_some_and(|row| row.len() == 1 && row[0].is_empty())
        {
            rows.pop();
            rules.pop();
        }

        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        out.push_str("<mtable");
        if display {
            out.push_str(" displaystyle=\"true\"");
        }
        match columns {
            Columns::All("center") => {}
            Columns::All(align) => out.push_str(&format!(" columnalign=\"{align}\"")),
            Columns::Pairs => {
                // `align`: right-aligned then left-aligned columns, each pair
                // touching (`x &= 1`), the pairs set apart.
                let align: Vec<&str> = (0..width).map(|i| ["right", "left"][i % 2]).collect();
                let spacing: Vec<&str> = (1..width).map(|i| ["2em", "0em"][i % 2]).collect();
                out.push_str(&format!(" columnalign=\"{}\"", align.join(" ")));
                if !spacing.is_empty() {
                    out.push_str(&format!(" columnspacing=\"{}\"", spacing.join(" ")));
                }
            }
            Columns::Spec(spec) => {
                let mut align = Vec::new();
                let mut lines = Vec::new();
                let mut line = None;
                for column in spec {
                    match column {
                        ArrayColumn::Column(alignment) => {
                            if !align.is_empty() {
                                lines.push(line.map_or("none", line_name));
                            }
                            align.push(align_name(*alignment));
                            line = None;
                        }
                        ArrayColumn::Separator(kind) => line = line.or(Some(kind)),
                    }
                }
                out.push_str(&format!(" columnalign=\"{}\"", align.join(" ")));
                if lines.iter().any(|line| *line != "none") {
                    out.push_str(&format!(" columnlines=\"{}\"", lines.join(" ")));
                }
            }
        }
        if rules.iter().any(|rule| *rule != "none") {
            out.push_str(&format!(" rowlines=\"{}\"", rules.join(" ")));
        }
        out.push('>');
        for row in rows {
            out.push_str("<mtr>");
            for cell in row {
                out.push_str("<mtd>");
                out.push_str(&cell);
                out.push_str("</mtd>");
            }
            out.push_str("</mtr>");
        }
        out.push_str("</mtable>");
        Ok(())
    }
}

/// How an environment aligns its columns.
enum Columns<'e> {
    /// Every column the same way.
    All(&'static str),
    /// Alternately right and left, as in `align`.
    Pairs,
    /// As an `array`'s column specification says.
    Spec(&'e [ArrayColumn]),
}

fn align_name(alignment: ColumnAlignment) -> &'static str {
    match alignment {
        ColumnAlignment::Left => "left",
        ColumnAlignment::Center => "center",
        ColumnAlignment::Right => "right",
    }
}

fn line_name(line: &Line) -> &'static str {
    match line {
        Line::Solid => "solid",
        Line::Dashed => "dashed",
    }
}

/// The delimiter of `\left(` or `\right)`, which grows with what it
/// encloses; `\left.` has none.
fn fence(delimiter: Option<char>, out: &mut String) {
    if let Some(delimiter) = delimiter {
        leaf(
            out,
            "mo",
            " fence=\"true\" stretchy=\"true\" symmetric=\"true\"",
            delimiter.encode_utf8(&mut [0; 4]),
            false,
        );
    }
}

/// Writes a token element; `negate` adds a long solidus over it (`\not`).
fn token(content: Content<'_>, state: State, negate: bool, out: &mut String) {
    let font = state.font;
    match content {
        Content::Text(text) => {
            // `~` and `\ ` come out of the parser as this HTML entity.
            let text = if text == "&nbsp;" { "\u{a0}" } else { text };
            // Readers drop spaces at the ends of `<mtext>`; TeX keeps them.
            let trimmed = text.trim();
            let mut shown = String::new();
            if trimmed.len() < text.len() && text.starts_with(char::is_whitespace) {
                shown.push('\u{a0}');
            }
            shown.extend(
                trimmed
                    .chars()
                    .map(|c| font.map_or(c, |font| styled(font, c))),
            );
            if !trimmed.is_empty() && text.ends_with(char::is_whitespace) {
                shown.push('\u{a0}');
            }
            leaf(out, "mtext", "", &shown, negate);
        }
        Content::Number(number) => {
            let number: String = number
                .chars()
                .map(|c| font.map_or(c, |font| styled(font, c)))
                .collect();
            leaf(out, "mn", "", &number, negate);
        }
        Content::Function(name) => {
            // A one-letter `<mi>` would be italic.
            let attributes = if name.chars().count() == 1 {
                " mathvariant=\"normal\""
            } else {
                ""
            };
            leaf(out, "mi", attributes, name, negate);
        }
        // Accents and braces over or under something (`\overbrace`).
        Content::Ordinary {
            content,
            stretchy: true,
        } => leaf(
            out,
            "mo",
            " stretchy=\"true\"",
            content.encode_utf8(&mut [0; 4]),
            negate,
        ),
        Content::Ordinary { content, .. } => {
            // MathML sets one-letter identifiers in italic; TeX does too,
            // except capital Greek letters, and except when a font is set.
            let (shown, attributes) = match font {
                Some(Font::UpRight) => (content, " mathvariant=\"normal\""),
                None if upright_by_default(content) => (content, " mathvariant=\"normal\""),
                None => (content, ""),
                Some(font) => (styled(font, content), ""),
            };
            leaf(
                out,
                "mi",
                attributes,
                shown.encode_utf8(&mut [0; 4]),
                negate,
            );
        }
        Content::LargeOp { content, small } => {
            // Where the limits go was decided by `script`; the reader must
            // not move them again.
            let attributes = if small {
                " largeop=\"false\" movablelimits=\"false\""
            } else {
                " movablelimits=\"false\""
            };
            leaf(
                out,
                "mo",
                attributes,
                content.encode_utf8(&mut [0; 4]),
                negate,
            );
        }
        Content::BinaryOp { content, .. } => {
            leaf(out, "mo", "", content.encode_utf8(&mut [0; 4]), negate);
        }
        Content::Relation { content, .. } => {
            let mut buffer = [0; 8];
            let text = std::str::from_utf8(content.encode_utf8_to_buf(&mut buffer)).unwrap_or("");
            leaf(out, "mo", "", text, negate);
        }
        Content::Delimiter { content, size, ty } => {
            let attributes = match (ty, size) {
                // `\middle|`: grows with the `\left…\right` group around it.
                (DelimiterType::Fence, _) => " stretchy=\"true\" symmetric=\"true\"",
                // A bare `(` keeps its size in TeX; MathML would stretch it.
                (_, None) => " stretchy=\"false\"",
                (_, Some(DelimiterSize::Big)) => {
                    " stretchy=\"true\" symmetric=\"true\" minsize=\"1.2em\" maxsize=\"1.2em\""
                }
                (_, Some(DelimiterSize::BIG)) => {
                    " stretchy=\"true\" symmetric=\"true\" minsize=\"1.8em\" maxsize=\"1.8em\""
                }
                (_, Some(DelimiterSize::Bigg)) => {
                    " stretchy=\"true\" symmetric=\"true\" minsize=\"2.4em\" maxsize=\"2.4em\""
                }
                (_, Some(DelimiterSize::BIGG)) => {
                    " stretchy=\"true\" symmetric=\"true\" minsize=\"3em\" maxsize=\"3em\""
                }
            };
            leaf(
                out,
                "mo",
                attributes,
                content.encode_utf8(&mut [0; 4]),
                negate,
            );
        }
        Content::Punctuation(content) => {
            leaf(out, "mo", "", content.encode_utf8(&mut [0; 4]), negate);
        }
    }
}

/// `<tag attributes>text</tag>`, with the text escaped.
fn leaf(out: &mut String, tag: &str, attributes: &str, text: &str, negate: bool) {
    out.push('<');
    out.push_str(tag);
    out.push_str(attributes);
    out.push('>');
    crate::xml::escape_into(out, text, false);
    if negate {
        out.push('\u{338}');
    }
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}

/// The symbols pulldown-latex puts over a base for `\hat`, `\vec` and the
/// like; its stretchy ones (`\widehat`, `\overbrace`) are all accents too.
fn is_accent(c: char) -> bool {
    matches!(
        c,
        '^' | '`' | '~' | '¨' | '´' | 'ˇ' | '˘' | '˙' | '˚' | '‾' | '→'
    )
}

/// TeX sets capital Greek letters and ∇ upright, where MathML would make
/// them italic.
fn upright_by_default(c: char) -> bool {
    (c.is_uppercase() && !c.is_ascii_uppercase()) || c == '∇'
}

/// The character in the given font, from Unicode's Mathematical
/// Alphanumeric Symbols, which is how MathML Core readers expect
/// `\mathbb{R}` (ℝ) or `\mathbf{x}` (𝐱); `c` itself if the font has no
/// such character.
fn styled(font: Font, c: char) -> char {
    // The code points of A, a, 0, Α and α in each font; 0 where Unicode has none.
    let [upper, lower, digit, greek_upper, greek_lower]: [u32; 5] = match font {
        Font::Bold => [0x1D400, 0x1D41A, 0x1D7CE, 0x1D6A8, 0x1D6C2],
        Font::Italic => [0x1D434, 0x1D44E, 0, 0x1D6E2, 0x1D6FC],
        Font::BoldItalic => [0x1D468, 0x1D482, 0, 0x1D71C, 0x1D736],
        Font::Script => [0x1D49C, 0x1D4B6, 0, 0, 0],
        Font::BoldScript => [0x1D4D0, 0x1D4EA, 0, 0, 0],
        Font::Fraktur => [0x1D504, 0x1D51E, 0, 0, 0],
        Font::BoldFraktur => [0x1D56C, 0x1D586, 0, 0, 0],
        Font::DoubleStruck => [0x1D538, 0x1D552, 0x1D7D8, 0, 0],
        Font::SansSerif => [0x1D5A0, 0x1D5BA, 0x1D7E2, 0, 0],
        Font::BoldSansSerif => [0x1D5D4, 0x1D5EE, 0x1D7EC, 0x1D756, 0x1D770],
        Font::SansSerifItalic => [0x1D608, 0x1D622, 0, 0, 0],
        Font::SansSerifBoldItalic => [0x1D63C, 0x1D656, 0, 0x1D790, 0x1D7AA],
        Font::Monospace => [0x1D670, 0x1D68A, 0x1D7F6, 0, 0],
        Font::DoubleStruckItalic => {
            return match c {
                'D' => 'ⅅ',
                'd' => 'ⅆ',
                'e' => 'ⅇ',
                'i' => 'ⅈ',
                'j' => 'ⅉ',
                _ => c,
            };
        }
        // `\boldsymbol` keeps upright what is upright.
        Font::BoldSymbol if upright_by_default(c) || c.is_ascii_digit() => {
            return styled(Font::Bold, c);
        }
        Font::BoldSymbol => return styled(Font::BoldItalic, c),
        Font::UpRight => return c,
    };
    // Letters that Unicode had before (ℝ, ℎ, …) are not repeated in the block.
    let older = match (font, c) {
        (Font::Italic, 'h') => Some('ℎ'),
        (Font::Script, 'B') => Some('ℬ'),
        (Font::Script, 'E') => Some('ℰ'),
        (Font::Script, 'F') => Some('ℱ'),
        (Font::Script, 'H') => Some('ℋ'),
        (Font::Script, 'I') => Some('ℐ'),
        (Font::Script, 'L') => Some('ℒ'),
        (Font::Script, 'M') => Some('ℳ'),
        (Font::Script, 'R') => Some('ℛ'),
        (Font::Script, 'e') => Some('ℯ'),
        (Font::Script, 'g') => Some('ℊ'),
        (Font::Script, 'o') => Some('ℴ'),
        (Font::Fraktur, 'C') => Some('ℭ'),
        (Font::Fraktur, 'H') => Some('ℌ'),
        (Font::Fraktur, 'I') => Some('ℑ'),
        (Font::Fraktur, 'R') => Some('ℜ'),
        (Font::Fraktur, 'Z') => Some('ℨ'),
        (Font::DoubleStruck, 'C') => Some('ℂ'),
        (Font::DoubleStruck, 'H') => Some('ℍ'),
        (Font::DoubleStruck, 'N') => Some('ℕ'),
        (Font::DoubleStruck, 'P') => Some('ℙ'),
        (Font::DoubleStruck, 'Q') => Some('ℚ'),
        (Font::DoubleStruck, 'R') => Some('ℝ'),
        (Font::DoubleStruck, 'Z') => Some('ℤ'),
        _ => None,
    };
    if let Some(older) = older {
        return older;
    }
    // Each Greek alphabet in the block runs Α…Ω (with ϴ where U+03A2,
    // unassigned, would be), ∇, α…ω, then ∂ϵϑϰϕϱϖ.
    let (base, index) = match c {
        'A'..='Z' => (upper, c as u32 - 'A' as u32),
        'a'..='z' => (lower, c as u32 - 'a' as u32),
        '0'..='9' => (digit, c as u32 - '0' as u32),
        'Α'..='Ω' if c != '\u{3A2}' => (greek_upper, c as u32 - 'Α' as u32),
        'ϴ' => (greek_upper, 17),
        '∇' => (greek_upper, 25),
        'α'..='ω' => (greek_lower, c as u32 - 'α' as u32),
        '∂' => (greek_lower, 25),
        'ϵ' => (greek_lower, 26),
        'ϑ' => (greek_lower, 27),
        'ϰ' => (greek_lower, 28),
        'ϕ' => (greek_lower, 29),
        'ϱ' => (greek_lower, 30),
        'ϖ' => (greek_lower, 31),
        _ => return c,
    };
    if base == 0 {
        return c;
    }
    char::from_u32(base + index).unwrap_or(c)
}

/// A TeX dimension as a MathML length, or `None` if it is not a number.
fn length(size: Dimension) -> Option<String> {
    // A TeX point is 1/72.27 inch; a MathML (CSS) point is 1/72 inch.
    const PT: f32 = 72.0 / 72.27;
    const DD: f32 = 1238.0 / 1157.0 * PT;
    let value = size.value;
    let (value, unit) = match size.unit {
        DimensionUnit::Em => (value, "em"),
        // 18 mu make an em; MathML has no mu.
        DimensionUnit::Mu => (value / 18.0, "em"),
        DimensionUnit::Ex => (value, "ex"),
        DimensionUnit::Pt => (value * PT, "pt"),
        DimensionUnit::Pc => (value * PT, "pc"),
        DimensionUnit::In => (value, "in"),
        DimensionUnit::Bp => (value, "pt"),
        DimensionUnit::Cm => (value, "cm"),
        DimensionUnit::Mm => (value, "mm"),
        DimensionUnit::Dd => (value * DD, "pt"),
        DimensionUnit::Cc => (value * 12.0 * DD, "pt"),
        DimensionUnit::Sp => (value / 65536.0 * PT, "pt"),
    };
    if !value.is_finite() {
        return None;
    }
    // Four decimals at most, and no exponent: MathML lengths have none.
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    let text = if text == "-0" { "0" } else { text };
    Some(format!("{text}{unit}"))
}

/// Turns pulldown-latex's error into a [`MathError`]: its message, in
/// better words where they are known, and where in `tex` it is.
fn parse_error(tex: &str, err: &ParserError) -> MathError {
    // The error's `Display` adds a drawing of the context; its source is
    // the bare description.
    let kind = err
        .source()
        .map_or_else(|| err.to_string(), |source| source.to_string());
    let offset = locate(tex, &kind);
    // What comes before the error, to name the command or environment.
    let before = offset
        .and_then(|at| tex.get(..at))
        .unwrap_or_default()
        .trim_end();
    let at_end = offset == Some(tex.len());

    match kind.as_str() {
        "unknown primitive command found" => match last_command(before) {
            Some(start) => MathError::new(
                format!("unknown command `{}`", &before[start..]),
                Some(start),
            ),
            None => MathError::new("unknown command", offset),
        },
        // (sic) in pulldown-latex 0.8; the second spelling is for a fixed version.
        "unkown mathematical environment found" | "unknown mathematical environment found" => {
            match before.rfind("\\begin{") {
                Some(start) => {
                    let name = &before[start + "\\begin{".len()..];
                    let name = name.split('}').next().unwrap_or(name);
                    MathError::new(format!("unknown environment `{name}`"), Some(start))
                }
                None => MathError::new("unknown environment", offset),
            }
        }
        "alignment not allowed in current environment" => MathError::new(
            "`&` is only allowed inside an environment such as `aligned` or `matrix`",
            offset,
        ),
        "new line command not allowed in current environment" => MathError::new(
            "`\\\\` is only allowed inside an environment such as `aligned` or `matrix`",
            offset,
        ),
        "unexpected math `$` (math shift) character - this character cannot be used inside math mode" => {
            MathError::new("unexpected `$` inside math", offset)
        }
        "unexpected hash sign `#` character - this character can only be used in macro definitions" => {
            MathError::new("unexpected `#` outside a macro definition", offset)
        }
        "expected a token" | "expected an argument" if at_end => {
            MathError::new("missing argument at the end of the formula", offset)
        }
        "expected a token" | "expected an argument" => MathError::new("missing argument", offset),
        "unbalanced group found, unexpected group closing found" => {
            let message = if before.ends_with('}') && !before.contains("\\end") {
                "unbalanced braces: `}` without `{`"
            } else {
                "unbalanced group: closed without being opened"
            };
            MathError::new(message, offset)
        }
        _ => {
            if let Some(closing) = kind
                .strip_prefix("unbalanced group found, expected it to be closed with `")
                .and_then(|rest| rest.strip_suffix('`'))
            {
                let what = if closing == "}" { "braces" } else { "group" };
                return MathError::new(format!("unbalanced {what}: missing `{closing}`"), offset);
            }
            MathError::new(tidy(&kind), offset)
        }
    }
}

/// Where the control word at the end of `text` starts (`\fracc` in `a+\fracc`).
fn last_command(text: &str) -> Option<usize> {
    let start = text.rfind('\\')?;
    let name = &text[start + 1..];
    let word = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic());
    let symbol = name.chars().count() == 1;
    (word || symbol).then_some(start)
}

/// pulldown-latex's description, lower case and without typos.
fn tidy(kind: &str) -> String {
    let text = kind
        .replace("unkown", "unknown")
        .replace("{{", "{")
        .replace("}}", "}")
        .replace(". colors", ": colors");
    let text = text.trim_end_matches('.');
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "invalid formula".into(),
    }
}

/// The byte offset in `tex` of pulldown-latex's error, if it can be told.
///
/// The crate keeps the position to itself: its message only shows the
/// input from 12 bytes before it to 12 bytes after. Parsing again with
/// spaces in front, which TeX ignores, makes that window never start at
/// the beginning, so where the window starts in the input, plus 12, is the
/// position. A window that is found twice in the input tells nothing.
fn locate(tex: &str, kind: &str) -> Option<usize> {
    const PAD: usize = 16;
    const REACH: usize = 12;
    let padded = format!("{}{tex}", " ".repeat(PAD));
    let storage = Storage::new();
    let err = Parser::new(&padded, &storage).find_map(Result::err)?;
    if err.source().map(ToString::to_string).as_deref() != Some(kind) {
        return None;
    }
    let window = last_window(&err.to_string())?;
    // The message has lost the CR of CR LF line ends.
    let crlf = window.replace('\n', "\r\n");
    let mut starts: Vec<usize> = padded.match_indices(&window).map(|(at, _)| at).collect();
    if crlf != window {
        starts.extend(padded.match_indices(&crlf).map(|(at, _)| at));
    }
    let [start] = starts[..] else {
        return None;
    };
    let mut at = (start + REACH).min(padded.len());
    while !padded.is_char_boundary(at) {
        at += 1;
    }
    Some(at.saturating_sub(PAD).min(tex.len()))
}

/// The input shown by the last (outermost) context block of a
/// `ParserError` message:
///
/// ```text
/// ╭─► context:
/// │
/// │…e + f + {a
/// │ ^^^^^^^^^^^
/// ╰────────────
/// ```
fn last_window(message: &str) -> Option<String> {
    let lines: Vec<&str> = message.lines().collect();
    let opening = lines.iter().rposition(|line| *line == "│")?;
    let closing = lines.iter().rposition(|line| line.starts_with('╰'))?;
    // Between them: the input's lines, then the line of carets.
    let shown = lines.get(opening + 1..closing.checked_sub(1)?)?;
    let (first, rest) = shown.split_first()?;
    // "…" says the window does not start at the beginning, as the padding ensures.
    let mut window = first.strip_prefix("│…")?.to_string();
    for line in rest {
        window.push('\n');
        window.push_str(line.strip_prefix("│ ")?);
    }
    Some(window)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPEN_INLINE: &str = "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" alttext=\"";
    const OPEN_BLOCK: &str =
        "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"block\" alttext=\"";

    /// Converts, checks the result is well-formed, and returns the content
    /// of the `<math>` element.
    fn inner(tex: &str, display: bool) -> String {
        let xml = to_mathml(tex, display).unwrap_or_else(|err| panic!("{tex:?}: {err:?}"));
        assert_well_formed(&xml);
        let start = xml.find("\">").map_or(0, |at| at + 2);
        xml[start..xml.len() - "</math>".len()].to_string()
    }

    fn error(tex: &str) -> MathError {
        match to_mathml(tex, false) {
            Ok(xml) => panic!("{tex:?} was accepted: {xml}"),
            Err(err) => err,
        }
    }

    /// A small XML well-formedness check: one root element, tags nested
    /// and matching, attributes quoted, no raw `<` or `&` in text, only
    /// characters XML allows.
    fn assert_well_formed(xml: &str) {
        let mut stack: Vec<&str> = Vec::new();
        let mut roots = 0;
        let mut rest = xml;
        while !rest.is_empty() {
            if let Some(tag) = rest.strip_prefix('<') {
                let end = tag
                    .find('>')
                    .unwrap_or_else(|| not_well_formed("unclosed tag", xml));
                let body = &tag[..end];
                rest = &tag[end + 1..];
                if let Some(name) = body.strip_prefix('/') {
                    if stack.pop() != Some(name) {
                        not_well_formed("mismatched end tag", xml);
                    }
                    continue;
                }
                let empty = body.ends_with('/');
                let body = body.trim_end_matches('/');
                let (name, mut attributes) = body.split_once(' ').unwrap_or((body, ""));
                if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
                    not_well_formed("bad element name", xml);
                }
                while !attributes.trim().is_empty() {
                    let (attribute, value) = attributes
                        .trim_start()
                        .split_once("=\"")
                        .unwrap_or_else(|| not_well_formed("attribute", xml));
                    if !attribute.chars().all(|c| c.is_ascii_alphabetic()) {
                        not_well_formed("bad attribute name", xml);
                    }
                    let close = value
                        .find('"')
                        .unwrap_or_else(|| not_well_formed("unquoted attribute", xml));
                    check_text(&value[..close], xml);
                    attributes = &value[close + 1..];
                }
                if stack.is_empty() {
                    roots += 1;
                }
                if !empty {
                    stack.push(name);
                }
            } else {
                let end = rest.find('<').unwrap_or(rest.len());
                if stack.is_empty() {
                    not_well_formed("text outside the root", xml);
                }
                check_text(&rest[..end], xml);
                rest = &rest[end..];
            }
        }
        if !stack.is_empty() || roots != 1 {
            not_well_formed("unbalanced", xml);
        }
    }

    fn not_well_formed(why: &str, xml: &str) -> ! {
        panic!("not well-formed ({why}): {xml}")
    }

    fn check_text(text: &str, xml: &str) {
        for (at, c) in text.char_indices() {
            let allowed = matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..);
            if !allowed || c == '<' || c == '>' {
                not_well_formed("character not allowed", xml);
            }
            if c == '&' {
                let entity = &text[at..text[at..].find(';').map_or(at, |end| at + end + 1)];
                let numeric = entity
                    .strip_prefix("&#")
                    .is_some_and(|n| n.trim_end_matches(';').chars().all(|c| c.is_ascii_digit()));
                if !numeric && !["&amp;", "&lt;", "&gt;", "&quot;"].contains(&entity) {
                    not_well_formed("bad entity", xml);
                }
            }
        }
    }

    #[test]
    fn inline_superscript() {
        assert_eq!(
            to_mathml("x^2", false),
            Ok(format!(
                "{OPEN_INLINE}x^2\"><msup><mi>x</mi><mn>2</mn></msup></math>"
            ))
        );
    }

    #[test]
    fn display_fraction() {
        assert_eq!(
            to_mathml(r"\frac{a}{b}", true),
            Ok(format!(
                "{OPEN_BLOCK}\\frac{{a}}{{b}}\"><mfrac><mrow><mi>a</mi></mrow><mrow><mi>b</mi></mrow></mfrac></math>"
            ))
        );
    }

    #[test]
    fn square_root_and_root() {
        assert_eq!(
            inner(r"\sqrt{2}", false),
            "<msqrt><mrow><mn>2</mn></mrow></msqrt>"
        );
        assert_eq!(
            inner(r"\sqrt[3]{x}", false),
            "<mroot><mrow><mi>x</mi></mrow><mn>3</mn></mroot>"
        );
    }

    #[test]
    fn greek_letters() {
        // Capital Greek is upright in TeX, lower case italic.
        assert_eq!(
            inner(r"\alpha\beta\Gamma", false),
            "<mi>α</mi><mi>β</mi><mi mathvariant=\"normal\">Γ</mi>"
        );
    }

    #[test]
    fn sum_limits_depend_on_display() {
        let limits = "<mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi>";
        let sum = "<mo movablelimits=\"false\">∑</mo>";
        assert_eq!(
            inner(r"\sum_{i=1}^n i", false),
            format!("<msubsup>{sum}{limits}</msubsup><mi>i</mi>")
        );
        assert_eq!(
            inner(r"\sum_{i=1}^n i", true),
            format!("<munderover>{sum}{limits}</munderover><mi>i</mi>")
        );
    }

    #[test]
    fn matrices() {
        assert_eq!(
            inner(r"\begin{pmatrix}1&2\\3&4\end{pmatrix}", true),
            "<mrow><mo fence=\"true\" stretchy=\"true\" symmetric=\"true\">(</mo>\
             <mtable><mtr><mtd><mn>1</mn></mtd><mtd><mn>2</mn></mtd></mtr>\
             <mtr><mtd><mn>3</mn></mtd><mtd><mn>4</mn></mtd></mtr></mtable>\
             <mo fence=\"true\" stretchy=\"true\" symmetric=\"true\">)</mo></mrow>"
        );
        // A trailing `\\` makes no empty row; rules become MathML attributes.
        let array = inner(r"\begin{array}{c|l}a&b\\\hline c&d\\\end{array}", false);
        assert!(array.starts_with(
            "<mtable columnalign=\"center left\" columnlines=\"solid\" rowlines=\"solid\">"
        ));
        assert_eq!(array.matches("<mtr>").count(), 2);
        let align = inner(r"\begin{align}a&=b\\c&=d\end{align}", true);
        assert!(align.starts_with(
            "<mtable displaystyle=\"true\" columnalign=\"right left\" columnspacing=\"0em\">"
        ));
    }

    #[test]
    fn escaping() {
        let xml = to_mathml(r"a < b \& c > d", false).unwrap_or_default();
        assert!(
            xml.contains("alttext=\"a &lt; b \\&amp; c &gt; d\""),
            "{xml}"
        );
        assert!(
            xml.contains("<mo>&lt;</mo>") && xml.contains("<mi>&amp;</mi>"),
            "{xml}"
        );
        assert_well_formed(&xml);
        assert_eq!(
            inner(r#"\text{"<&>"}"#, false),
            "<mtext>\"&lt;&amp;&gt;\"</mtext>"
        );
        assert_eq!(inner(r"\operatorname{a<b}", false), "<mi>a&lt;b</mi>");
        let xml = to_mathml("x\n\"\t\u{1}", false).unwrap_or_default();
        assert!(
            xml.contains("alttext=\"x&#10;&quot;&#9;\u{FFFD}\""),
            "{xml}"
        );
        assert_well_formed(&xml);
    }

    #[test]
    fn text_and_spaces() {
        assert_eq!(
            inner(r"a~b\,c\text{ if }", false),
            "<mi>a</mi><mtext>\u{a0}</mtext><mi>b</mi><mspace width=\"0.1667em\"/><mi>c</mi>\
             <mtext>\u{a0}if\u{a0}</mtext>"
        );
        // mu are not MathML units; non-finite sizes are left out.
        assert_eq!(inner(r"\kern9mu", false), "<mspace width=\"0.5em\"/>");
        assert_eq!(
            inner(r"\kern 99999999999999999999999999999999999999999pt", false),
            "<mspace/>"
        );
    }

    #[test]
    fn fonts_use_mathematical_alphanumerics() {
        assert_eq!(
            inner(r"\mathbb{R}\mathbf{x}\mathrm{d}\mathbf{1}", false),
            "<mrow><mi>ℝ</mi></mrow><mrow><mi>𝐱</mi></mrow>\
             <mrow><mi mathvariant=\"normal\">d</mi></mrow><mrow><mn>𝟏</mn></mrow>"
        );
        assert_eq!(styled(Font::Fraktur, 'g'), '𝔤');
        assert_eq!(styled(Font::SansSerifItalic, 'A'), '𝘈');
        assert_eq!(styled(Font::BoldSymbol, 'α'), '𝜶');
        assert_eq!(styled(Font::BoldSymbol, 'Γ'), '𝚪');
        assert_eq!(styled(Font::Script, '+'), '+');
        assert_eq!(styled(Font::Bold, '∇'), '𝛁');
        assert_eq!(styled(Font::Italic, 'ϕ'), '𝜙');
        assert_eq!(inner(r"\nabla", false), "<mi mathvariant=\"normal\">∇</mi>");
    }

    #[test]
    fn accents() {
        assert_eq!(
            inner(r"\vec{x}", false),
            "<mover accent=\"true\"><mrow><mi>x</mi></mrow><mo stretchy=\"false\">→</mo></mover>"
        );
        assert_eq!(
            inner(r"\overline{AB}", false),
            "<mover accent=\"true\"><mrow><mi>A</mi><mi>B</mi></mrow>\
             <mo stretchy=\"true\">‾</mo></mover>"
        );
        assert_eq!(
            inner(r"\underbrace{a}_n", false),
            "<munder><munder accentunder=\"true\"><mrow><mi>a</mi></mrow>\
             <mo stretchy=\"true\">⏟</mo></munder><mi>n</mi></munder>"
        );
        // Limits are no accents, nor is a script of more than one symbol.
        assert_eq!(
            inner(r"\lim_n", true),
            "<munder><mi>lim</mi><mi>n</mi></munder>"
        );
        assert_eq!(
            inner(r"\overset{!}{=}", false),
            "<mover><mrow><mo>=</mo></mrow><mrow><mi>!</mi></mrow></mover>"
        );
    }

    #[test]
    fn functions_and_negation() {
        assert_eq!(
            inner(r"2\sin x", false),
            "<mn>2</mn><mspace width=\"0.1667em\"/><mi>sin</mi><mo>\u{2061}</mo>\
             <mspace width=\"0.1667em\"/><mi>x</mi>"
        );
        assert_eq!(
            inner(r"\sin(x)", false),
            "<mi>sin</mi><mo>\u{2061}</mo><mo stretchy=\"false\">(</mo><mi>x</mi>\
             <mo stretchy=\"false\">)</mo>"
        );
        assert_eq!(
            inner(r"a\not=b", false),
            "<mi>a</mi><mo>=\u{338}</mo><mi>b</mi>"
        );
    }

    #[test]
    fn styles_and_colors_become_mstyle() {
        assert_eq!(
            inner(r"\color{red} x \displaystyle y", false),
            "<mstyle mathcolor=\"#ff0000\"><mi>x</mi><mstyle displaystyle=\"true\" \
             scriptlevel=\"0\"><mi>y</mi></mstyle></mstyle>"
        );
        // A switch where an argument is expected is an empty argument.
        assert_eq!(
            inner(r"\frac\displaystyle ab", false),
            "<mfrac><mrow/><mi>a</mi></mfrac><mi>b</mi>"
        );
    }

    #[test]
    fn parse_errors() {
        assert_eq!(
            error(r"a + \fracc{a}{b}"),
            MathError::new("unknown command `\\fracc`", Some(4))
        );
        assert_eq!(
            error(r"\frac{a}"),
            MathError::new("missing argument at the end of the formula", Some(8))
        );
        assert_eq!(error("{a").message, "unbalanced braces: missing `}`");
        assert_eq!(error("a}").message, "unbalanced braces: `}` without `{`");
        assert_eq!(
            error(r"\left( x").message,
            "unbalanced group: missing `\\right`"
        );
        assert_eq!(
            error(r"x + \begin{foo} a \end{foo}"),
            MathError::new("unknown environment `foo`", Some(4))
        );
        assert_eq!(
            error("x^2^3").message,
            "trying to add a superscript twice to the same element"
        );
        assert_eq!(
            error(r"\color{nope}{x}").message.get(..13),
            Some("unknown color")
        );
        assert_eq!(
            error("a & b").message,
            "`&` is only allowed inside an environment such as `aligned` or `matrix`"
        );
        assert_eq!(
            error(r"a \\ b").message,
            "`\\\\` is only allowed inside an environment such as `aligned` or `matrix`"
        );
    }

    #[test]
    fn error_offsets_past_the_start_and_in_repetitive_input() {
        // Far from the start, and with multi-byte characters before.
        let tex = r"αβγδεζηθ + x + y + z + \nope + w";
        let err = error(tex);
        assert_eq!(err.message, "unknown command `\\nope`");
        assert_eq!(err.offset, tex.find(r"\nope"));
        // The same context twice: no guess.
        let twice = r"a+b+c+d+e+f+\nope+g+h+i+j+k+l+m a+b+c+d+e+f+\nope+g+h+i+j+k+l+m";
        assert_eq!(error(twice), MathError::new("unknown command", None));
        // Windows line ends.
        assert_eq!(
            error("\\nope + b\r\n+ c"),
            MathError::new("unknown command `\\nope`", Some(0))
        );
        assert_eq!(error("a\r\n+ \\nope").offset, Some(5));
    }

    #[test]
    fn library_panics_are_contained() {
        // Small formulas are converted in place, large ones on a thread.
        let large = r"\sqrt{x}".repeat(SMALL);
        for tex in [
            r"\char é",
            "\\char\"FFFFFFFFFFFFFFFFFFFF",
            r"\begin{alignat}{é}a\end{alignat}",
            &format!(r"{large}\char é"),
        ] {
            assert_eq!(
                to_mathml(tex, false),
                Err(MathError::new(
                    "the tex parser crashed on this formula",
                    None
                )),
                "{tex:?}"
            );
        }
    }

    #[test]
    fn deep_input_is_refused_not_a_crash() {
        let err = error(&r"\sqrt".repeat(MAX_OPENERS + 1));
        assert!(err.message.starts_with("formula too long"), "{err:?}");
        let deep = format!("{}x{}", "{".repeat(1000), "}".repeat(1000));
        assert!(
            error(&deep)
                .message
                .starts_with("formula nested too deeply")
        );
        // As deep as allowed still works.
        let chain = format!("{}x", r"\sqrt ".repeat(MAX_NESTING - 1));
        assert!(to_mathml(&chain, false).is_ok());
    }

    #[test]
    fn random_input_gives_well_formed_xml_or_an_error() {
        const PIECES: &[&str] = &[
            r"\frac",
            r"\sqrt",
            "{",
            "}",
            "[",
            "]",
            "^",
            "_",
            "&",
            r"\\",
            r"\left(",
            r"\right)",
            r"\begin{matrix}",
            r"\end{matrix}",
            r"\begin{array}{|c|l}",
            r"\end{array}",
            r"\hline",
            r"\begin{cases}",
            r"\end{cases}",
            "x",
            "2",
            "<",
            ">",
            "\"",
            "&",
            r"\alpha",
            r"\text{",
            r"\mathbf",
            r"\mathbb",
            r"\color{red}",
            r"\displaystyle",
            r"\not",
            r"\sum",
            r"\lim",
            r"\limits",
            r"\kern",
            "pt",
            "mu",
            "-",
            r"\operatorname",
            r"\overbrace",
            r"\middle|",
            r"\big(",
            r"\binom",
            r"\substack",
            r"\def",
            r"\x",
            "#1",
            " ",
            "\n",
            "é",
            "\u{1}",
            r"\,",
            "~",
            r"\ ",
            "'",
            r"\sin",
            r"\fcolorbox{red}{blue}",
            r"\begin{align}",
            r"\end{align}",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..3000 {
            let mut tex = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut bits = seed;
            for _ in 0..bits % 12 {
                bits = bits.rotate_left(6) ^ 0x2545_F491_4F6C_DD1D;
                tex.push_str(PIECES[(bits % PIECES.len() as u64) as usize]);
            }
            match to_mathml(&tex, seed.is_multiple_of(2)) {
                Ok(xml) => assert_well_formed(&xml),
                Err(err) => {
                    assert!(!err.message.is_empty());
                    assert!(
                        err.offset.is_none_or(|at| tex.is_char_boundary(at)),
                        "{tex:?} {err:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn deterministic() {
        let tex = r"\int_0^\infty e^{-x^2}\,dx = \frac{\sqrt\pi}{2}";
        assert_eq!(to_mathml(tex, true), to_mathml(tex, true));
    }

    proptest::proptest! {
        #[test]
        fn any_tex_gives_mathml_that_parses_or_an_error_inside_it(tex in crate::test_text::any_text()) {
            match to_mathml(&tex, false) {
                Ok(xml) => proptest::prop_assert!(roxmltree::Document::parse(&xml).is_ok(), "{}", xml),
                Err(error) => proptest::prop_assert!(error.offset.is_none_or(|at| tex.is_char_boundary(at))),
            }
        }
    }
}
