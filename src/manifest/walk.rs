//! Typed reads from toml's spanned document, collecting every error.

use super::{Located, ManifestError, PubDate};
use crate::diag::Code;
use std::ops::Range;
use toml::de::{DeTable, DeValue};

/// A table with its dotted name and span, for messages.
pub struct Table<'a, 'i> {
    pub entries: &'a DeTable<'i>,
    pub name: String,
    pub span: Range<usize>,
}

impl<'a, 'i> Table<'a, 'i> {
    pub fn new(entries: &'a DeTable<'i>, name: &str, span: Range<usize>) -> Self {
        Table {
            entries,
            name: name.to_string(),
            span,
        }
    }

    fn get(&self, key: &str) -> Option<(&'a DeValue<'i>, Range<usize>)> {
        self.entries.get(key).map(|v| (v.get_ref(), v.span()))
    }

    fn path(&self, key: &str) -> String {
        if self.name == "top level" || self.name == "front matter" {
            key.to_string()
        } else {
            format!("{}.{key}", self.name)
        }
    }
}

/// Walks tables, pushing every problem it finds.
#[derive(Default)]
pub struct Walker {
    pub errors: Vec<ManifestError>,
}

fn type_with_article(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

impl Walker {
    /// Reports every key of `table` that is not in `known`.
    pub fn check_keys(&mut self, table: &Table<'_, '_>, known: &'static [&'static str]) {
        self.check_keys_of(table, &[known]);
    }

    /// Reports every key of `table` that is in none of the lists.
    pub fn check_keys_of(&mut self, table: &Table<'_, '_>, lists: &[&'static [&'static str]]) {
        let known = || lists.iter().flat_map(|list| list.iter().copied());
        for (key, _) in table.entries.iter() {
            let name: &str = key.get_ref();
            if !known().any(|k| k == name) {
                self.errors.push(ManifestError::UnknownKey {
                    key: name.to_string(),
                    table: table.name.clone(),
                    span: key.span(),
                    suggestion: crate::diag::did_you_mean(name, known()),
                });
            }
        }
    }

    fn wrong_type(
        &mut self,
        table: &Table<'_, '_>,
        key: &str,
        expected: &'static str,
        value: &DeValue<'_>,
        span: Range<usize>,
    ) {
        self.errors.push(ManifestError::WrongType {
            key: table.path(key),
            expected,
            found: type_with_article(value),
            span,
        });
    }

    /// A string with something in it besides white space: an empty value
    /// would give the EPUB an empty element, which is invalid.
    pub fn string(&mut self, table: &Table<'_, '_>, key: &str) -> Option<Located<String>> {
        let located = self.any_string(table, key)?;
        if located.value.trim().is_empty() {
            self.empty(table, key, located.span);
            return None;
        }
        Some(located)
    }

    /// A value that must be one of a few words: what the word stands for,
    /// or `None` and an error with `code` saying that the value "is not
    /// {what}" and listing the words, each with what it means where
    /// `choices` says (`("error", BrokenLinks::Error, "the default")`).
    pub fn one_of<T: Copy>(
        &mut self,
        value: Located<String>,
        code: Code,
        what: &str,
        choices: &[(&str, T, &str)],
    ) -> Option<T> {
        if let Some(&(_, found, _)) = choices.iter().find(|(word, ..)| *word == value.value) {
            return Some(found);
        }
        let words: Vec<String> = choices
            .iter()
            .map(|(word, _, note)| match *note {
                "" => format!("`{word}`"),
                note => format!("`{word}` ({note})"),
            })
            .collect();
        let listed = match words.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        };
        self.errors.push(ManifestError::InvalidValue {
            code,
            message: format!("`{}` is not {what}", value.value),
            help: format!("use {listed}"),
            span: value.span,
        });
        None
    }

    fn empty(&mut self, table: &Table<'_, '_>, key: &str, span: Range<usize>) {
        self.errors.push(ManifestError::InvalidValue {
            code: Code::EmptyValue,
            message: format!("`{}` is empty", table.path(key)),
            help: format!("give `{key}` a value"),
            span,
        });
    }

    fn any_string(&mut self, table: &Table<'_, '_>, key: &str) -> Option<Located<String>> {
        let (value, span) = table.get(key)?;
        match value {
            DeValue::String(s) => Some(Located {
                value: s.to_string(),
                span,
            }),
            other => {
                self.wrong_type(table, key, "a string", other, span);
                None
            }
        }
    }

    pub fn required_string(
        &mut self,
        table: &Table<'_, '_>,
        key: &'static str,
    ) -> Option<Located<String>> {
        if table.get(key).is_none() {
            self.errors.push(ManifestError::MissingKey {
                key,
                table: table.name.clone(),
                span: Some(table.span.clone()),
            });
            return None;
        }
        self.string(table, key)
    }

    pub fn boolean(&mut self, table: &Table<'_, '_>, key: &str) -> Option<bool> {
        self.located_boolean(table, key).map(|b| b.value)
    }

    /// [`Walker::boolean`], with where it is written.
    pub fn located_boolean(&mut self, table: &Table<'_, '_>, key: &str) -> Option<Located<bool>> {
        let (value, span) = table.get(key)?;
        match value {
            DeValue::Boolean(b) => Some(Located { value: *b, span }),
            other => {
                self.wrong_type(table, key, "true or false", other, span);
                None
            }
        }
    }

    pub fn integer(&mut self, table: &Table<'_, '_>, key: &str) -> Option<Located<i64>> {
        let (value, span) = table.get(key)?;
        match value {
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(value) => Some(Located { value, span }),
                Err(_) => {
                    self.wrong_type(table, key, "a small integer", value, span);
                    None
                }
            },
            other => {
                self.wrong_type(table, key, "an integer", other, span);
                None
            }
        }
    }

    pub fn string_array(&mut self, table: &Table<'_, '_>, key: &str) -> Vec<Located<String>> {
        let Some((value, span)) = table.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value else {
            self.wrong_type(table, key, "an array of strings", value, span);
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) if s.trim().is_empty() => self.empty(table, key, item.span()),
                DeValue::String(s) => out.push(Located {
                    value: s.to_string(),
                    span: item.span(),
                }),
                other => self.wrong_type(table, key, "an array of strings", other, item.span()),
            }
        }
        out
    }

    pub fn table<'a, 'i>(&mut self, table: &Table<'a, 'i>, key: &str) -> Option<Table<'a, 'i>> {
        let (value, span) = table.get(key)?;
        match value {
            DeValue::Table(entries) => Some(Table::new(entries, &table.path(key), span)),
            other => {
                self.wrong_type(table, key, "a table", other, span);
                None
            }
        }
    }

    pub fn array_of_tables<'a, 'i>(
        &mut self,
        table: &Table<'a, 'i>,
        key: &str,
    ) -> Option<Vec<Table<'a, 'i>>> {
        let (value, span) = table.get(key)?;
        let DeValue::Array(items) = value else {
            self.wrong_type(table, key, "an array of tables", value, span);
            return None;
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Table(entries) => {
                    out.push(Table::new(entries, &table.path(key), item.span()))
                }
                other => self.wrong_type(table, key, "an array of tables", other, item.span()),
            }
        }
        Some(out)
    }

    /// A date as a string (`2026`, `2026-11`, `2026-11-27`) or a TOML local date.
    pub fn date(&mut self, table: &Table<'_, '_>, key: &str) -> Option<PubDate> {
        let (value, span) = table.get(key)?;
        let parsed = match value {
            DeValue::String(s) => parse_date(s),
            DeValue::Datetime(dt) => match (dt.date, dt.time) {
                (Some(d), None) => valid_date(d.year, Some(d.month), Some(d.day)),
                _ => None,
            },
            other => {
                self.wrong_type(table, key, "a date", other, span);
                return None;
            }
        };
        if parsed.is_none() {
            let shown = match value {
                DeValue::String(s) => s.to_string(),
                DeValue::Datetime(dt) => dt.to_string(),
                _ => String::new(),
            };
            self.errors.push(ManifestError::InvalidValue {
                code: Code::BadDate,
                message: format!("`{shown}` is not a valid date"),
                help: "write the date as YYYY-MM-DD, YYYY-MM or YYYY, for example `2026-11-27`"
                    .into(),
                span,
            });
        }
        parsed
    }
}

/// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<PubDate> {
    let parts: Vec<&str> = text.split('-').collect();
    let number = |s: &str, len: usize| -> Option<u16> {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
    };
    match parts.as_slice() {
        [y] => valid_date(number(y, 4)?, None, None),
        [y, m] => valid_date(number(y, 4)?, Some(u8::try_from(number(m, 2)?).ok()?), None),
        [y, m, d] => valid_date(
            number(y, 4)?,
            Some(u8::try_from(number(m, 2)?).ok()?),
            Some(u8::try_from(number(d, 2)?).ok()?),
        ),
        _ => None,
    }
}

fn valid_date(year: u16, month: Option<u8>, day: Option<u8>) -> Option<PubDate> {
    if year == 0 || year > 9999 {
        return None;
    }
    if let Some(m) = month
        && !(1..=12).contains(&m)
    {
        return None;
    }
    if let (Some(m), Some(d)) = (month, day) {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match m {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if d == 0 || d > days {
            return None;
        }
    }
    Some(PubDate { year, month, day })
}
