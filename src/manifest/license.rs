//! SPDX licence ids that books commonly use, with their names and the
//! address of their text, so `dc:rights` can say more than an id.

/// A licence bindery can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownLicense {
    /// The SPDX id, as SPDX spells it.
    pub id: &'static str,
    /// Its full name.
    pub name: &'static str,
    /// Where its text is.
    pub url: &'static str,
}

const fn lic(id: &'static str, name: &'static str, url: &'static str) -> KnownLicense {
    KnownLicense { id, name, url }
}

/// The table, sorted by id.
pub const LICENSES: &[KnownLicense] = &[
    lic(
        "Apache-2.0",
        "Apache License 2.0",
        "https://www.apache.org/licenses/LICENSE-2.0",
    ),
    lic(
        "BSD-2-Clause",
        "BSD 2-Clause License",
        "https://opensource.org/licenses/BSD-2-Clause",
    ),
    lic(
        "BSD-3-Clause",
        "BSD 3-Clause License",
        "https://opensource.org/licenses/BSD-3-Clause",
    ),
    lic(
        "CC-BY-1.0",
        "Creative Commons Attribution 1.0 Generic",
        "https://creativecommons.org/licenses/by/1.0/",
    ),
    lic(
        "CC-BY-2.0",
        "Creative Commons Attribution 2.0 Generic",
        "https://creativecommons.org/licenses/by/2.0/",
    ),
    lic(
        "CC-BY-2.5",
        "Creative Commons Attribution 2.5 Generic",
        "https://creativecommons.org/licenses/by/2.5/",
    ),
    lic(
        "CC-BY-3.0",
        "Creative Commons Attribution 3.0 Unported",
        "https://creativecommons.org/licenses/by/3.0/",
    ),
    lic(
        "CC-BY-4.0",
        "Creative Commons Attribution 4.0 International",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    lic(
        "CC-BY-NC-3.0",
        "Creative Commons Attribution-NonCommercial 3.0 Unported",
        "https://creativecommons.org/licenses/by-nc/3.0/",
    ),
    lic(
        "CC-BY-NC-4.0",
        "Creative Commons Attribution-NonCommercial 4.0 International",
        "https://creativecommons.org/licenses/by-nc/4.0/",
    ),
    lic(
        "CC-BY-NC-ND-3.0",
        "Creative Commons Attribution-NonCommercial-NoDerivs 3.0 Unported",
        "https://creativecommons.org/licenses/by-nc-nd/3.0/",
    ),
    lic(
        "CC-BY-NC-ND-4.0",
        "Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 International",
        "https://creativecommons.org/licenses/by-nc-nd/4.0/",
    ),
    lic(
        "CC-BY-NC-SA-3.0",
        "Creative Commons Attribution-NonCommercial-ShareAlike 3.0 Unported",
        "https://creativecommons.org/licenses/by-nc-sa/3.0/",
    ),
    lic(
        "CC-BY-NC-SA-4.0",
        "Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International",
        "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    ),
    lic(
        "CC-BY-ND-3.0",
        "Creative Commons Attribution-NoDerivs 3.0 Unported",
        "https://creativecommons.org/licenses/by-nd/3.0/",
    ),
    lic(
        "CC-BY-ND-4.0",
        "Creative Commons Attribution-NoDerivatives 4.0 International",
        "https://creativecommons.org/licenses/by-nd/4.0/",
    ),
    lic(
        "CC-BY-SA-3.0",
        "Creative Commons Attribution-ShareAlike 3.0 Unported",
        "https://creativecommons.org/licenses/by-sa/3.0/",
    ),
    lic(
        "CC-BY-SA-4.0",
        "Creative Commons Attribution-ShareAlike 4.0 International",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    lic(
        "CC0-1.0",
        "Creative Commons Zero v1.0 Universal",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    lic(
        "GFDL-1.3-or-later",
        "GNU Free Documentation License v1.3 or later",
        "https://www.gnu.org/licenses/fdl-1.3.html",
    ),
    lic(
        "GPL-3.0-or-later",
        "GNU General Public License v3.0 or later",
        "https://www.gnu.org/licenses/gpl-3.0.html",
    ),
    lic("MIT", "MIT License", "https://opensource.org/licenses/MIT"),
    lic(
        "OFL-1.1",
        "SIL Open Font License 1.1",
        "https://openfontlicense.org/",
    ),
    lic("Unlicense", "The Unlicense", "https://unlicense.org/"),
];

/// Looks an id up; SPDX ids are matched without regard to case.
pub fn find(id: &str) -> Option<&'static KnownLicense> {
    LICENSES.iter().find(|l| l.id.eq_ignore_ascii_case(id))
}

/// Whether a string has the shape of an SPDX licence expression:
/// ids made of letters, digits, `.`, `-` and `+`, joined by AND, OR or
/// WITH, with parentheses.
pub fn is_expression(text: &str) -> bool {
    let spaced = text.replace('(', " ( ").replace(')', " ) ");
    let mut expect_id = true;
    let mut depth = 0i32;
    let mut any = false;
    for token in spaced.split_whitespace() {
        any = true;
        match token {
            "(" if expect_id => depth += 1,
            ")" if !expect_id => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            "AND" | "OR" | "WITH" if !expect_id => expect_id = true,
            id if expect_id
                && id.bytes().all(|b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+' | b':')
                }) =>
            {
                expect_id = false
            }
            _ => return false,
        }
    }
    any && !expect_id && depth == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_ids_are_found_in_any_case() {
        assert!(LICENSES.windows(2).all(|w| w[0].id < w[1].id));
        assert_eq!(find("cc-by-4.0").map(|l| l.id), Some("CC-BY-4.0"));
        assert_eq!(find("CC-BY-9.0"), None);
    }

    #[test]
    fn expressions() {
        assert!(is_expression("MIT"));
        assert!(is_expression("MIT OR Apache-2.0"));
        assert!(is_expression("(MIT OR Apache-2.0) AND CC-BY-4.0"));
        assert!(!is_expression(""));
        assert!(!is_expression("MIT OR"));
        assert!(!is_expression("Creative Commons, please"));
    }
}
