//! BCP 47 (RFC 5646) language tags: well-formedness, and a hint for the
//! usual mistakes (a language's English name, an underscore).

/// Checks that a tag is well-formed per RFC 5646 section 2.1, with the
/// primary language subtag limited to the 2–3 letters that are actually
/// registered. Case is not significant.
pub fn is_well_formed(tag: &str) -> bool {
    let lower = tag.to_ascii_lowercase();
    if IRREGULAR.contains(&lower.as_str()) {
        return true;
    }
    let subtags: Vec<&str> = lower.split('-').collect();
    if subtags
        .iter()
        .any(|s| s.is_empty() || s.len() > 8 || !s.bytes().all(|b| b.is_ascii_alphanumeric()))
    {
        return false;
    }
    let mut rest = subtags.as_slice();
    if rest.first() == Some(&"x") {
        return rest.len() > 1;
    }
    // language: 2*3ALPHA, then up to three extlang subtags of 3ALPHA
    match rest.split_first() {
        Some((lang, tail)) if is_alpha(lang) && (2..=3).contains(&lang.len()) => rest = tail,
        _ => return false,
    }
    let mut extlangs = 0;
    while let Some((s, tail)) = rest.split_first() {
        if extlangs < 3 && s.len() == 3 && is_alpha(s) {
            extlangs += 1;
            rest = tail;
        } else {
            break;
        }
    }
    if let Some((s, tail)) = rest.split_first()
        && s.len() == 4
        && is_alpha(s)
    {
        rest = tail;
    }
    if let Some((s, tail)) = rest.split_first()
        && ((s.len() == 2 && is_alpha(s))
            || (s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit())))
    {
        rest = tail;
    }
    while let Some((s, tail)) = rest.split_first() {
        let variant =
            (5..=8).contains(&s.len()) || (s.len() == 4 && s.as_bytes()[0].is_ascii_digit());
        if variant {
            rest = tail;
        } else {
            break;
        }
    }
    // extensions and private use: a singleton followed by subtags
    while let Some((singleton, tail)) = rest.split_first() {
        if singleton.len() != 1 {
            return false;
        }
        let min = if *singleton == "x" { 1 } else { 2 };
        let count = tail
            .iter()
            .take_while(|s| s.len() >= min && (*singleton == "x" || s.len() > 1))
            .count();
        if count == 0 {
            return false;
        }
        rest = &tail[count..];
        if *singleton == "x" {
            return rest.is_empty();
        }
    }
    true
}

fn is_alpha(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphabetic())
}

/// Irregular grandfathered tags (RFC 5646 section 2.2.8), which do not
/// follow the general syntax.
const IRREGULAR: &[&str] = &[
    "en-gb-oed",
    "i-ami",
    "i-bnn",
    "i-default",
    "i-enochian",
    "i-hak",
    "i-klingon",
    "i-lux",
    "i-mingo",
    "i-navajo",
    "i-pwn",
    "i-tao",
    "i-tay",
    "i-tsu",
    "sgn-be-fr",
    "sgn-be-nl",
    "sgn-ch-de",
];

/// English names of common languages and their tags, for hints and for
/// [`name`].
const NAMES: &[(&str, &str)] = &[
    ("afrikaans", "af"),
    ("arabic", "ar"),
    ("basque", "eu"),
    ("bengali", "bn"),
    ("bulgarian", "bg"),
    ("catalan", "ca"),
    ("chinese", "zh"),
    ("croatian", "hr"),
    ("czech", "cs"),
    ("danish", "da"),
    ("dutch", "nl"),
    ("english", "en"),
    ("esperanto", "eo"),
    ("estonian", "et"),
    ("finnish", "fi"),
    ("french", "fr"),
    ("galician", "gl"),
    ("german", "de"),
    ("greek", "el"),
    ("hebrew", "he"),
    ("hindi", "hi"),
    ("hungarian", "hu"),
    ("icelandic", "is"),
    ("indonesian", "id"),
    ("irish", "ga"),
    ("italian", "it"),
    ("japanese", "ja"),
    ("korean", "ko"),
    ("latin", "la"),
    ("latvian", "lv"),
    ("lithuanian", "lt"),
    ("malay", "ms"),
    ("norwegian", "no"),
    ("norwegian bokmål", "nb"),
    ("norwegian nynorsk", "nn"),
    ("persian", "fa"),
    ("polish", "pl"),
    ("portuguese", "pt"),
    ("romanian", "ro"),
    ("russian", "ru"),
    ("serbian", "sr"),
    ("slovak", "sk"),
    ("slovenian", "sl"),
    ("spanish", "es"),
    ("swahili", "sw"),
    ("swedish", "sv"),
    ("tamil", "ta"),
    ("thai", "th"),
    ("turkish", "tr"),
    ("ukrainian", "uk"),
    ("urdu", "ur"),
    ("vietnamese", "vi"),
    ("welsh", "cy"),
];

/// The English name of a tag's language, from its primary subtag, when
/// bindery knows it.
///
/// ```
/// use bindery::manifest::language::name;
/// assert_eq!(name("en").as_deref(), Some("English"));
/// assert_eq!(name("nb-NO").as_deref(), Some("Norwegian Bokmål"));
/// assert_eq!(name("tlh"), None);
/// ```
pub fn name(tag: &str) -> Option<String> {
    let primary = tag.split('-').next().unwrap_or("").to_ascii_lowercase();
    let (name, _) = NAMES.iter().find(|(_, code)| *code == primary)?;
    let words: Vec<String> = name
        .split(' ')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
                .unwrap_or_default()
        })
        .collect();
    Some(words.join(" "))
}

/// The error for a tag that is not well-formed, with a suggestion.
pub(super) fn invalid(tag: &str, span: std::ops::Range<usize>) -> super::ManifestError {
    let help = match suggest(tag) {
        Some(tag) => format!("did you mean `{tag}`?"),
        None => "use a BCP 47 language tag such as `en`, `en-GB`, `fr` or `zh-Hant`".into(),
    };
    super::ManifestError::InvalidValue {
        code: crate::diag::Code::BadLanguageTag,
        message: format!("`{tag}` is not a valid BCP 47 language tag"),
        help,
        span,
    }
}

/// Whether text in this language is written right to left (Arabic,
/// Hebrew, Persian, Urdu and the other languages written in their scripts),
/// from the tag's script subtag if it has one, else the script CLDR says
/// the language is likely written in.
pub fn is_right_to_left(tag: &str) -> bool {
    crate::locale::LanguageFacts::of(tag).direction == crate::locale::TextDirection::Rtl
}

/// What to suggest for a malformed tag, if there is an obvious fix.
pub fn suggest(tag: &str) -> Option<String> {
    let lower = tag.trim().to_ascii_lowercase();
    if let Some((_, code)) = NAMES.iter().find(|(name, _)| *name == lower) {
        return Some((*code).to_string());
    }
    let hyphenated = tag.trim().replace('_', "-");
    (hyphenated != tag && is_well_formed(&hyphenated)).then(|| canonical_case(&hyphenated))
}

/// A well-formed tag in the case RFC 5646 section 2.1.1 recommends: the
/// language and everything after a singleton in lower case, a script in
/// title case (`Hant`), a region of two letters in upper case (`GB`).
///
/// ```
/// use bindery::manifest::language::canonical_case;
/// assert_eq!(canonical_case("EN-us"), "en-US");
/// assert_eq!(canonical_case("zh-hant-tw"), "zh-Hant-TW");
/// ```
pub fn canonical_case(tag: &str) -> String {
    let mut out = Vec::new();
    let mut after_singleton = false;
    for (i, subtag) in tag.split('-').enumerate() {
        let lower = subtag.to_ascii_lowercase();
        let alpha = is_alpha(subtag);
        out.push(if i == 0 || after_singleton {
            lower
        } else if subtag.len() == 1 {
            after_singleton = true;
            lower
        } else if subtag.len() == 4 && alpha {
            let mut chars = lower.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        } else if subtag.len() == 2 && alpha {
            subtag.to_ascii_uppercase()
        } else {
            lower
        });
        if i == 0 && subtag.len() == 1 {
            after_singleton = true;
        }
    }
    out.join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_well_formed_tags() {
        for tag in [
            "en",
            "en-GB",
            "zh-Hant-TW",
            "sr-Latn-RS",
            "de-CH-1996",
            "es-419",
            "ar",
            "x-private",
            "en-US-x-twain",
            "i-klingon",
            "zh-yue-HK",
            "sl-rozaj-biske",
            "en-a-bbb-x-a-ccc",
        ] {
            assert!(is_well_formed(tag), "{tag}");
        }
    }

    #[test]
    fn rejects_malformed_tags() {
        for tag in [
            "", "english", "en_US", "e", "en-", "-en", "en--gb", "123", "en-a", "en-x",
        ] {
            assert!(!is_well_formed(tag), "{tag}");
        }
    }

    #[test]
    fn canonical_case_follows_rfc_5646() {
        for (tag, canonical) in [
            ("en", "en"),
            ("EN", "en"),
            ("en-gb", "en-GB"),
            ("ZH-HANT-tw", "zh-Hant-TW"),
            ("sr-latn-rs", "sr-Latn-RS"),
            ("es-419", "es-419"),
            ("de-ch-1996", "de-CH-1996"),
            ("en-US-x-Twain", "en-US-x-twain"),
            ("en-a-BB-x-Ab", "en-a-bb-x-ab"),
            ("x-Private", "x-private"),
            ("i-Klingon", "i-klingon"),
            ("en-GB-oed", "en-GB-oed"),
        ] {
            assert_eq!(canonical_case(tag), canonical, "{tag}");
        }
    }

    #[test]
    fn suggests_codes_for_names_and_underscores() {
        assert_eq!(suggest("English").as_deref(), Some("en"));
        assert_eq!(suggest("en_US").as_deref(), Some("en-US"));
        assert_eq!(suggest("en_us").as_deref(), Some("en-US"));
        assert_eq!(suggest("qqqqqqq"), None);
    }

    #[test]
    fn names_are_found_from_the_primary_subtag() {
        assert_eq!(name("EN-gb").as_deref(), Some("English"));
        assert_eq!(name("zh-Hant-TW").as_deref(), Some("Chinese"));
        assert_eq!(name("x-private"), None);
        assert_eq!(name(""), None);
        // Every name leads back to its tag, and no tag has two names.
        for (english, code) in NAMES {
            assert_eq!(suggest(english).as_deref(), Some(*code));
            assert_eq!(NAMES.iter().filter(|(_, c)| c == code).count(), 1, "{code}");
        }
    }
}
