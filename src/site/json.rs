//! A small JSON writer for the page's JSON-LD.
//!
//! The JSON sits inside `<script>` in a page that must also parse as XML,
//! so besides JSON's own escapes, `<`, `>` and `&` are written as `\u003c`,
//! `\u003e` and `\u0026`: no user text can close the script element
//! (`</script>`) or start markup. U+2028 and U+2029 are escaped too, for
//! old JavaScript parsers.

/// A JSON value; objects keep their keys in the order given.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `true` or `false`.
    Bool(bool),
    /// A string.
    Str(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, keys in order.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// An empty object.
    pub fn object() -> Json {
        Json::Object(Vec::new())
    }

    /// Adds a key to an object (nothing on other values).
    pub fn set(&mut self, key: &str, value: Json) {
        if let Json::Object(entries) = self {
            entries.push((key.to_string(), value));
        }
    }

    /// Adds a string, when there is one.
    pub fn set_str(&mut self, key: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.set(key, Json::Str(value.to_string()));
        }
    }

    /// Adds an array of strings, when it is not empty.
    pub fn set_strs<S: AsRef<str>>(&mut self, key: &str, values: &[S]) {
        if !values.is_empty() {
            self.set(
                key,
                Json::Array(
                    values
                        .iter()
                        .map(|v| Json::Str(v.as_ref().to_string()))
                        .collect(),
                ),
            );
        }
    }

    /// The value as indented JSON.
    pub fn write(&self, out: &mut String, indent: usize) {
        match self {
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Str(s) => write_string(out, s),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write(out, indent);
                }
                out.push(']');
            }
            Json::Object(entries) => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push('\n');
                    out.push_str(&"  ".repeat(indent + 1));
                    write_string(out, key);
                    out.push_str(": ");
                    value.write(out, indent + 1);
                }
                out.push('\n');
                out.push_str(&"  ".repeat(indent));
                out.push('}');
            }
        }
    }
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            // Characters XML forbids cannot appear even escaped in the
            // page's text, and JSON needs controls escaped.
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_end_tags_and_markup_cannot_escape_the_json() {
        let mut o = Json::object();
        o.set_str("name", Some("</script><b>\"&\"\n\u{1}"));
        let mut out = String::new();
        o.write(&mut out, 0);
        assert_eq!(
            out,
            "{\n  \"name\": \"\\u003c/script\\u003e\\u003cb\\u003e\\\"\\u0026\\\"\\n\\u0001\"\n}"
        );
    }

    #[test]
    fn booleans_are_json_literals() {
        let mut o = Json::object();
        o.set("free", Json::Bool(true));
        o.set(
            "list",
            Json::Array(vec![Json::Bool(false), Json::Str("x".into())]),
        );
        let mut out = String::new();
        o.write(&mut out, 0);
        assert_eq!(out, "{\n  \"free\": true,\n  \"list\": [false, \"x\"]\n}");
    }
}
