use super::*;

#[test]
fn every_label_file_parses() {
    assert_eq!(labels::broken_files(), Vec::<(&str, String)>::new());
    assert!(files().len() >= 30, "{} files", files().len());
}

#[test]
fn english_has_exactly_the_labels_bindery_uses() {
    let english = labels::english();
    let keys: Vec<&str> = english.keys().filter(|k| !k.starts_with("role-")).collect();
    let mut wanted: Vec<&str> = Label::KEYS.to_vec();
    wanted.sort_unstable();
    assert_eq!(keys, wanted);
}

#[test]
fn every_language_gives_every_label_and_no_other() {
    let english: Vec<&str> = labels::english().keys().collect();
    for file in files() {
        let keys: Vec<&str> = file.keys().collect();
        assert_eq!(keys, english, "{}.toml", file.tag);
    }
}

#[test]
fn plural_labels_give_the_other_form_and_only_cldr_forms() {
    for file in files() {
        for key in file.keys() {
            if let Some(forms) = file.forms(key) {
                assert!(forms.contains(&"other"), "{}.toml {key}", file.tag);
                for form in forms {
                    assert!(
                        ["zero", "one", "two", "few", "many", "other"].contains(&form),
                        "{}.toml {key}: {form}",
                        file.tag
                    );
                }
            }
        }
    }
}

#[test]
fn placeholders_in_translations_are_those_of_english() {
    fn placeholders(text: &str) -> Vec<String> {
        let mut names: Vec<String> = text
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
            .collect();
        names.sort();
        names.dedup();
        names
    }
    let english = labels::english();
    for file in files() {
        for key in file.keys() {
            for form in ["zero", "one", "two", "few", "many", "other"] {
                let (Some(text), Some(base)) =
                    (file.text(key, Some(form)), english.text(key, Some("other")))
                else {
                    continue;
                };
                let found = placeholders(text);
                let wanted = placeholders(base);
                // A form for one thing may say "one" instead of {count}.
                assert!(
                    found.iter().all(|p| wanted.contains(p)),
                    "{}.toml {key} ({form}): {found:?} not in {wanted:?}",
                    file.tag
                );
                if form == "other" {
                    assert_eq!(found, wanted, "{}.toml {key}", file.tag);
                }
            }
        }
    }
}

#[test]
fn scripts_and_directions_come_from_cldr() {
    for (tag, script, direction) in [
        ("en", "Latn", TextDirection::Ltr),
        ("de", "Latn", TextDirection::Ltr),
        ("ja", "Jpan", TextDirection::Ltr),
        ("zh", "Hans", TextDirection::Ltr),
        ("zh-TW", "Hant", TextDirection::Ltr),
        ("zh-Hant", "Hant", TextDirection::Ltr),
        ("ko", "Kore", TextDirection::Ltr),
        ("ar", "Arab", TextDirection::Rtl),
        ("he", "Hebr", TextDirection::Rtl),
        ("fa", "Arab", TextDirection::Rtl),
        ("ur", "Arab", TextDirection::Rtl),
        ("yi", "Hebr", TextDirection::Rtl),
        ("dv", "Thaa", TextDirection::Rtl),
        ("sd", "Arab", TextDirection::Rtl),
        ("uz-Arab", "Arab", TextDirection::Rtl),
        ("az", "Latn", TextDirection::Ltr),
        ("sr", "Cyrl", TextDirection::Ltr),
    ] {
        let facts = LanguageFacts::of(tag);
        assert_eq!(
            (facts.script.as_str(), facts.direction),
            (script, direction),
            "{tag}"
        );
    }
    // Tags ICU4X does not read are left to right.
    assert_eq!(LanguageFacts::of("i-klingon").direction, TextDirection::Ltr);
    assert_eq!(LanguageFacts::of("x-private").direction, TextDirection::Ltr);
}

#[test]
fn a_tag_finds_the_file_of_its_language_and_script() {
    let file = |tag: &str| Locale::new(tag, BTreeMap::new()).file().map(|f| f.tag);
    assert_eq!(file("de-CH"), Some("de"));
    assert_eq!(file("zh"), Some("zh-Hans"));
    assert_eq!(file("zh-CN"), Some("zh-Hans"));
    assert_eq!(file("zh-TW"), Some("zh-Hant"));
    assert_eq!(file("zh-HK"), Some("zh-Hant"));
    assert_eq!(file("zh-Hant"), Some("zh-Hant"));
    assert_eq!(file("no"), Some("nb"));
    assert_eq!(file("pt-BR"), Some("pt"));
    assert_eq!(file("sw"), None);
}

#[test]
fn a_language_without_labels_falls_back_to_english() {
    let swahili = Locale::new("sw", BTreeMap::new());
    assert_eq!(swahili.label(Label::Contents), "Contents");
    assert!(!swahili.has_labels());
    assert!(Locale::new("de", BTreeMap::new()).has_labels());
    let all: BTreeMap<String, String> = Label::KEYS
        .iter()
        .map(|k| (k.to_string(), "x".to_string()))
        .collect();
    assert!(Locale::new("sw", all).has_labels());
}

#[test]
fn overrides_win_over_the_language_file() {
    let overrides = [("notes".to_string(), "Endnoten".to_string())].into();
    let de = Locale::new("de", overrides);
    assert_eq!(de.label(Label::Notes), "Endnoten");
    assert_eq!(de.label(Label::Contents), "Inhalt");
}

#[test]
fn plurals_follow_cldr_rules() {
    let pl = Locale::new("pl", BTreeMap::new());
    let text = |n| pl.plural(Label::A11yImagesDescribed, n, &[]);
    assert_eq!(text(1), "Jej ilustracja ma tekst alternatywny.");
    assert_eq!(text(3), "Wszystkie 3 ilustracje mają tekst alternatywny.");
    assert_eq!(text(5), "Wszystkie 5 ilustracji ma tekst alternatywny.");
    let en = Locale::new("en", BTreeMap::new());
    assert_eq!(
        en.plural(Label::A11yImagesMissing, 2, &[("total", "7")]),
        "2 of 7 images have no alt text."
    );
}

#[test]
fn dates_are_written_out_in_the_language() {
    let written = |tag: &str, month, day| {
        Locale::new(tag, BTreeMap::new())
            .date(2026, month, day)
            .unwrap_or_default()
    };
    assert_eq!(written("en", Some(11), Some(27)), "November 27, 2026");
    assert_eq!(written("en-GB", Some(11), Some(27)), "27 November 2026");
    assert_eq!(written("de", Some(11), Some(27)), "27. November 2026");
    assert_eq!(written("fr", Some(11), Some(27)), "27 novembre 2026");
    assert_eq!(written("ja", Some(11), Some(27)), "2026年11月27日");
    assert_eq!(written("zh-Hant", Some(11), Some(27)), "2026年11月27日");
    assert_eq!(written("de", Some(11), None), "November 2026");
    assert_eq!(written("ja", None, None), "2026年");
    // A day that does not exist is not written out.
    assert_eq!(written("en", Some(2), Some(30)), "");
}

#[test]
fn roles_are_translated_where_a_label_names_them() {
    let de = Locale::new("de", BTreeMap::new());
    assert_eq!(de.role("edt").as_deref(), Some("Herausgeber"));
    assert_eq!(de.role("abr"), None);
    let mine = Locale::new(
        "de",
        [("role-abr".to_string(), "Kürzung".to_string())].into(),
    );
    assert_eq!(mine.role("abr").as_deref(), Some("Kürzung"));
}

#[test]
fn placeholders_are_filled_and_strangers_kept() {
    assert_eq!(fill("a {x} b {y} {", &[("x", "1")]), "a 1 b {y} {");
}
