//! The book's language: everything bindery writes itself, in it.
//!
//! A [`Locale`] is made once per build from the manifest's `language`
//! and `[labels]` table, and handed to the stages that write text of
//! their own (`render`, `outline`, `package`, `site`). It knows:
//!
//! - the labels: "Contents", "Start of reading", the footnotes'
//!   back-links, admonition titles, the accessibility summary … They are
//!   data, one TOML file per language in `labels/` beside this file;
//!   a book overrides any of them in `[labels]`, and a language without a
//!   file gets English, with a note ([`Locale::fallback_note`]);
//! - the script and direction of the language, from CLDR's likely
//!   subtags through ICU4X (`ja` is written in `Jpan`, `he` right to
//!   left), never from a list kept here;
//! - quotation marks and the spaces some languages put around
//!   punctuation (French `« … »`, `; ! ?`), from the label file;
//! - dates written out (CLDR's long date format, through ICU4X) and
//!   plural forms (CLDR plural rules).
//!
//! Nothing here reads files or the environment: the label files are
//! compiled into bindery.

mod labels;
pub mod quotes;

pub use labels::{Label, LanguageFile, files, find_file};
pub use quotes::Quotes;

use icu_locale::{LanguageIdentifier, LocaleDirectionality, LocaleExpander};
use std::collections::BTreeMap;

/// The direction text runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextDirection {
    /// Left to right: Latin, Cyrillic, Greek, CJK, Indic …
    #[default]
    Ltr,
    /// Right to left: Arabic, Hebrew, Syriac, Thaana …
    Rtl,
}

impl TextDirection {
    /// The value of an HTML `dir` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            TextDirection::Ltr => "ltr",
            TextDirection::Rtl => "rtl",
        }
    }
}

/// What bindery knows of a language tag from CLDR: its script and
/// direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageFacts {
    /// The primary language subtag, lower case (`zh`).
    pub language: String,
    /// The ISO 15924 script, written or likely (`Hant` for `zh-TW`,
    /// `Jpan` for `ja`); `Zyyy` when CLDR does not know.
    pub script: String,
    /// The region, written or likely (`TW`), when CLDR knows one.
    pub region: Option<String>,
    /// The direction of the script.
    pub direction: TextDirection,
}

impl LanguageFacts {
    /// The facts of a BCP 47 tag. A tag ICU4X cannot parse (an irregular
    /// grandfathered tag, a private-use tag) is left to right in an
    /// unknown script.
    ///
    /// ```
    /// use bindery::locale::{LanguageFacts, TextDirection};
    /// let facts = LanguageFacts::of("zh-TW");
    /// assert_eq!(facts.script, "Hant");
    /// assert_eq!(LanguageFacts::of("he").direction, TextDirection::Rtl);
    /// assert_eq!(LanguageFacts::of("az-Arab").direction, TextDirection::Rtl);
    /// assert_eq!(LanguageFacts::of("az").direction, TextDirection::Ltr);
    /// ```
    pub fn of(tag: &str) -> LanguageFacts {
        let Some(mut id) = parse(tag) else {
            return LanguageFacts {
                language: tag.split('-').next().unwrap_or("").to_ascii_lowercase(),
                script: "Zyyy".into(),
                region: None,
                direction: TextDirection::Ltr,
            };
        };
        // The direction is the script's: of the script written in the
        // tag, else the likely one.
        let direction = if LocaleDirectionality::new_extended().is_right_to_left(&id) {
            TextDirection::Rtl
        } else {
            TextDirection::Ltr
        };
        LocaleExpander::new_extended().maximize(&mut id);
        LanguageFacts {
            language: id.language.as_str().to_string(),
            script: id
                .script
                .map_or_else(|| "Zyyy".to_string(), |s| s.as_str().to_string()),
            region: id.region.map(|r| r.as_str().to_string()),
            direction,
        }
    }

    /// Whether the script is one of those set in vertical lines as well
    /// as horizontal ones: Chinese, Japanese and Korean.
    pub fn can_be_vertical(&self) -> bool {
        matches!(
            self.script.as_str(),
            "Hani" | "Hans" | "Hant" | "Jpan" | "Hira" | "Kana" | "Kore" | "Hang"
        )
    }
}

/// The direction of a piece of text, from its first letter of a strong
/// direction (Unicode's bidirectional algorithm, rules P2 and P3); `None`
/// when it has none (digits, punctuation).
pub fn direction_of(text: &str) -> Option<TextDirection> {
    match unicode_bidi::get_base_direction_full(text) {
        unicode_bidi::Direction::Ltr => Some(TextDirection::Ltr),
        unicode_bidi::Direction::Rtl => Some(TextDirection::Rtl),
        unicode_bidi::Direction::Mixed => None,
    }
}

/// The `dir` a piece of text needs to display right among text of
/// direction `base`: its own direction, when that is the other one. A
/// Latin name on a Hebrew title page, or an Arabic title in an English
/// book, is then laid out on its own, and the punctuation at its ends
/// stays where it belongs.
///
/// ```
/// use bindery::locale::{isolate, TextDirection};
/// assert_eq!(isolate("Sefer (2nd ed.)", TextDirection::Rtl), Some(TextDirection::Ltr));
/// assert_eq!(isolate("ספר", TextDirection::Rtl), None);
/// assert_eq!(isolate("2026", TextDirection::Rtl), None);
/// ```
pub fn isolate(text: &str, base: TextDirection) -> Option<TextDirection> {
    direction_of(text).filter(|d| *d != base)
}

/// A tag as ICU4X reads it, with its extensions and private use dropped.
fn parse(tag: &str) -> Option<LanguageIdentifier> {
    let locale = icu_locale::Locale::try_from_str(tag).ok()?;
    Some(locale.id)
}

/// The book's language, with the labels a book overrides.
#[derive(Debug, Clone)]
pub struct Locale {
    tag: String,
    facts: LanguageFacts,
    /// The label file the tag found, if any.
    file: Option<&'static LanguageFile>,
    /// `[labels]` of the manifest.
    overrides: BTreeMap<String, String>,
}

impl Locale {
    /// The locale of a language tag, with a book's `[labels]` overrides.
    ///
    /// ```
    /// use bindery::locale::{Label, Locale};
    /// let de = Locale::new("de-AT", Default::default());
    /// assert_eq!(de.label(Label::Contents), "Inhalt");
    /// let mine = Locale::new("de", [("contents".to_string(), "Übersicht".to_string())].into());
    /// assert_eq!(mine.label(Label::Contents), "Übersicht");
    /// ```
    pub fn new(tag: &str, overrides: BTreeMap<String, String>) -> Locale {
        let facts = LanguageFacts::of(tag);
        Locale {
            tag: tag.to_string(),
            file: find_file(&facts),
            facts,
            overrides,
        }
    }

    /// The locale of a chapter or span in another language than the
    /// book: its labels, without the book's overrides.
    pub fn other(&self, tag: &str) -> Locale {
        if tag.eq_ignore_ascii_case(&self.tag) {
            return self.clone();
        }
        Locale::new(tag, BTreeMap::new())
    }

    /// The tag, as the manifest writes it.
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// Script and direction.
    pub fn facts(&self) -> &LanguageFacts {
        &self.facts
    }

    /// The direction of the language's script.
    pub fn direction(&self) -> TextDirection {
        self.facts.direction
    }

    /// The label file used, if the language has one.
    pub fn file(&self) -> Option<&'static LanguageFile> {
        self.file
    }

    /// A label, from `[labels]`, else the language's file, else English.
    pub fn label(&self, label: Label) -> String {
        self.lookup(label.key(), None)
    }

    /// A label with its `{name}` placeholders filled in.
    ///
    /// ```
    /// use bindery::locale::{Label, Locale};
    /// let fr = Locale::new("fr", Default::default());
    /// assert_eq!(
    ///     fr.format(Label::BackToReference, &[("number", "2")]),
    ///     "Retour à l’appel de note 2"
    /// );
    /// ```
    pub fn format(&self, label: Label, values: &[(&str, &str)]) -> String {
        fill(&self.label(label), values)
    }

    /// A label that depends on a number (`{count}`), in the plural form
    /// CLDR's rules give the language for it. `{count}` is the number in
    /// digits, unless `values` gives it written otherwise.
    pub fn plural(&self, label: Label, count: usize, values: &[(&str, &str)]) -> String {
        let category = self.plural_category(count);
        let count_text = count.to_string();
        let mut all = values.to_vec();
        all.push(("count", count_text.as_str()));
        fill(&self.lookup(label.key(), Some(category)), &all)
    }

    /// A term and what it names, as the language sets them apart: "ISBN:
    /// 978…", "ISBN\u{a0}: 978…" in French, "ISBN：978…" in Chinese and
    /// Japanese. With an empty `text`, the term and its colon, for text
    /// that follows in an element of its own.
    ///
    /// ```
    /// use bindery::locale::Locale;
    /// let fr = Locale::new("fr", Default::default());
    /// assert_eq!(fr.term("Éditeur", "Open Press"), "Éditeur\u{a0}: Open Press");
    /// ```
    pub fn term(&self, term: &str, text: &str) -> String {
        // Chinese and Japanese set a full-width colon, which has its
        // space built in.
        if matches!(
            self.facts.script.as_str(),
            "Hans" | "Hant" | "Hani" | "Jpan"
        ) {
            return format!("{term}：{text}");
        }
        let before = self.quotes().before_colon.unwrap_or_default();
        format!("{term}{before}: {text}")
    }

    /// The term for a MARC relator role on the title page ("Editor" for
    /// `edt`): `[labels]` `role-edt`, else the language's, else English;
    /// `None` for a role no label file names (the caller falls back on the
    /// relator list's term).
    pub fn role(&self, code: &str) -> Option<String> {
        let key = format!("role-{code}");
        if let Some(text) = self.overrides.get(&key) {
            return Some(text.clone());
        }
        self.file
            .and_then(|f| f.text(&key, None))
            .or_else(|| labels::english().text(&key, None))
            .map(str::to_string)
    }

    /// The quotation marks and punctuation spaces of the language.
    pub fn quotes(&self) -> Quotes {
        self.file
            .map_or_else(|| labels::english().quotes(), LanguageFile::quotes)
    }

    /// A Gregorian date written out as the language writes it:
    /// "27 November 2026", "27. November 2026", "2026年11月27日"; a month
    /// and year, or a year alone, when that is all the date says. `None`
    /// when CLDR cannot write it (a tag ICU4X does not read, a day that
    /// does not exist).
    pub fn date(&self, year: u16, month: Option<u8>, day: Option<u8>) -> Option<String> {
        dates::long(&self.tag, year, month, day)
    }

    /// Names or items joined as the language joins a list of them:
    /// "A, B and C", "A, B et C", "A、B、C" (CLDR's list patterns, through
    /// ICU4X); commas and "and" in English where CLDR cannot say.
    ///
    /// ```
    /// use bindery::locale::Locale;
    /// let es = Locale::new("es", Default::default());
    /// assert_eq!(es.list(&["España", "Suiza", "Italia"]), "España, Suiza e Italia");
    /// ```
    pub fn list(&self, items: &[&str]) -> String {
        use icu_list::ListFormatter;
        use icu_list::options::{ListFormatterOptions, ListLength};
        let formatter = parse(&self.tag).and_then(|id| {
            let locale = icu_locale::Locale::from(id);
            let options = ListFormatterOptions::default().with_length(ListLength::Wide);
            ListFormatter::try_new_and((&locale).into(), options).ok()
        });
        match (formatter, items) {
            (Some(formatter), _) => formatter.format(items.iter()).to_string(),
            (None, [rest @ .., last]) if !rest.is_empty() => {
                format!("{} and {last}", rest.join(", "))
            }
            (None, _) => items.join(""),
        }
    }

    /// A number written as the language writes it, with its grouping
    /// separators ("1,234,567", "1.234.567", "1 234 567"), and `decimals`
    /// digits after the decimal separator: `number(12, 1)` is "1.2" in
    /// English and "1,2" in German.
    ///
    /// ```
    /// use bindery::locale::Locale;
    /// let de = Locale::new("de", Default::default());
    /// assert_eq!(de.number(1234567, 0), "1.234.567");
    /// assert_eq!(de.number(12, 1), "1,2");
    /// ```
    pub fn number(&self, value: u64, decimals: i16) -> String {
        use icu_decimal::DecimalFormatter;
        use icu_decimal::input::Decimal;
        let mut decimal = Decimal::from(value);
        decimal.multiply_pow10(-decimals);
        let formatter = parse(&self.tag).and_then(|id| {
            let locale = icu_locale::Locale::from(id);
            DecimalFormatter::try_new((&locale).into(), Default::default()).ok()
        });
        match formatter {
            Some(formatter) => formatter.format(&decimal).to_string(),
            None => decimal.to_string(),
        }
    }

    /// Whether every label is in the book's language: the language has
    /// a label file, or the book gives every label in `[labels]`. When not,
    /// the labels are English, and the book should be told.
    pub fn has_labels(&self) -> bool {
        self.file.is_some()
            || Label::ALL
                .iter()
                .all(|l| self.overrides.contains_key(l.key()))
    }

    fn plural_category(&self, count: usize) -> &'static str {
        use icu_plurals::{PluralCategory, PluralRules};
        let Some(id) = parse(&self.tag) else {
            return if count == 1 { "one" } else { "other" };
        };
        let locale = icu_locale::Locale::from(id);
        match PluralRules::try_new_cardinal((&locale).into()) {
            Ok(rules) => match rules.category_for(count) {
                PluralCategory::Zero => "zero",
                PluralCategory::One => "one",
                PluralCategory::Two => "two",
                PluralCategory::Few => "few",
                PluralCategory::Many => "many",
                PluralCategory::Other => "other",
            },
            Err(_) => "other",
        }
    }

    fn lookup(&self, key: &str, category: Option<&str>) -> String {
        if let Some(text) = self.overrides.get(key) {
            return text.clone();
        }
        self.file
            .and_then(|f| f.text(key, category))
            .or_else(|| labels::english().text(key, category))
            .unwrap_or(key)
            .to_string()
    }
}

/// Fills in `{name}` placeholders. A brace that names no value is left
/// as it is.
fn fill(pattern: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

mod dates {
    use icu_datetime::DateTimeFormatter;
    use icu_datetime::fieldsets::{Y, YM, YMD};
    use icu_datetime::input::Date;

    /// CLDR's long format of a date in the language of `tag`, in the
    /// Gregorian calendar the date was given in.
    pub fn long(tag: &str, year: u16, month: Option<u8>, day: Option<u8>) -> Option<String> {
        let id = super::parse(tag)?;
        // The calendar is the manifest's: a Gregorian date stays one, also
        // for languages whose default calendar is another.
        let locale: icu_locale::Locale = format!("{id}-u-ca-gregory").parse().ok()?;
        let value =
            Date::try_new_gregorian(i32::from(year), month.unwrap_or(1), day.unwrap_or(1)).ok()?;
        let text = match (month, day) {
            (Some(_), Some(_)) => DateTimeFormatter::try_new((&locale).into(), YMD::long())
                .ok()?
                .format(&value)
                .to_string(),
            (Some(_), None) => DateTimeFormatter::try_new((&locale).into(), YM::long())
                .ok()?
                .format(&value)
                .to_string(),
            _ => DateTimeFormatter::try_new((&locale).into(), Y::long())
                .ok()?
                .format(&value)
                .to_string(),
        };
        Some(text)
    }
}

#[cfg(test)]
mod tests;
