//! Broken EPUBs made in code, one per kind of problem.

use super::*;
use crate::diag::render_human;
use ::zip::CompressionMethod;
use ::zip::write::{SimpleFileOptions, ZipWriter};
use std::io::Write;

const CONTAINER_XML: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"##;

const OPF_TEXT: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="uid">urn:uuid:00000000-0000-0000-0000-000000000000</dc:identifier>
    <dc:title>Test</dc:title>
    <dc:language>en</dc:language>
    <meta property="dcterms:modified">2026-01-01T00:00:00Z</meta>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="c1" href="text/one.xhtml" media-type="application/xhtml+xml"/>
    <item id="c2" href="text/two.xhtml" media-type="application/xhtml+xml"/>
    <item id="img" href="media/dot.png" media-type="image/png"/>
  </manifest>
  <spine>
    <itemref idref="c1"/>
    <itemref idref="c2"/>
  </spine>
</package>
"##;

const NAV_TEXT: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="en">
<head><title>Contents</title></head>
<body>
<nav epub:type="toc"><ol><li><a href="text/one.xhtml">One</a></li><li><a href="text/two.xhtml#end">Two</a></li></ol></nav>
</body>
</html>
"##;

const ONE_TEXT: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head><title>One</title></head>
<body>
<h1 id="top">One</h1>
<p><img src="../media/dot.png" alt="a dot"/> <a href="two.xhtml#end">to the end</a> <a href="#top">up</a> <a href="https://example.org/">out</a></p>
</body>
</html>
"##;

const TWO_TEXT: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head><title>Two</title></head>
<body><h1 id="end">Two</h1></body>
</html>
"##;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

/// The entries of a small valid EPUB, which each test breaks one way.
fn good() -> Vec<(String, Vec<u8>)> {
    [
        ("mimetype", b"application/epub+zip".as_slice()),
        ("META-INF/container.xml", CONTAINER_XML.as_bytes()),
        ("EPUB/package.opf", OPF_TEXT.as_bytes()),
        ("EPUB/nav.xhtml", NAV_TEXT.as_bytes()),
        ("EPUB/text/one.xhtml", ONE_TEXT.as_bytes()),
        ("EPUB/text/two.xhtml", TWO_TEXT.as_bytes()),
        ("EPUB/media/dot.png", PNG),
    ]
    .into_iter()
    .map(|(name, data)| (name.to_string(), data.to_vec()))
    .collect()
}

/// The good EPUB with one entry's text changed.
fn with_text(name: &str, from: &str, to: &str) -> Vec<(String, Vec<u8>)> {
    let mut entries = good();
    let entry = entries.iter_mut().find(|(n, _)| n == name).unwrap();
    let text = String::from_utf8(entry.1.clone()).unwrap();
    assert!(text.contains(from), "{from} is not in {name}");
    entry.1 = text.replacen(from, to, 1).into_bytes();
    entries
}

/// Zips entries: `mimetype` stored, the rest deflated.
fn zip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in entries {
        let method = if name == "mimetype" {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        zip.start_file(
            name.as_str(),
            SimpleFileOptions::default().compression_method(method),
        )
        .unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// What is found: code, EPUBCheck id, file and message of each problem.
fn found(bytes: &[u8]) -> Vec<(String, String, String, String)> {
    inspect_bytes(bytes, &Limits::default())
        .to_report()
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code.to_string(),
                d.epubcheck.clone().unwrap_or_default(),
                d.file.clone().unwrap_or_default(),
                d.message.clone(),
            )
        })
        .collect()
}

fn one(
    code: &str,
    epubcheck: &str,
    file: &str,
    message: &str,
) -> Vec<(String, String, String, String)> {
    vec![(
        code.to_string(),
        epubcheck.to_string(),
        file.to_string(),
        message.to_string(),
    )]
}

#[test]
fn a_valid_epub_has_no_problems() {
    assert_eq!(found(&zip(&good())), vec![]);
}

#[test]
fn bytes_that_are_not_a_zip_are_reported() {
    let found = found(b"this is not an EPUB at all");
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].0.as_str(), found[0].1.as_str()),
        ("B311", "PKG-004")
    );
    assert!(
        found[0].3.starts_with("not a zip archive: "),
        "{}",
        found[0].3
    );
}

#[test]
fn mimetype_must_come_first() {
    let mut entries = good();
    entries.rotate_left(1);
    assert_eq!(
        found(&zip(&entries)),
        one(
            "B312",
            "PKG-006",
            "",
            "the first entry of the zip is not `mimetype`"
        )
    );
}

#[test]
fn mimetype_must_be_exact_and_stored() {
    let mut entries = good();
    entries[0].1 = b"application/zip".to_vec();
    assert_eq!(
        found(&zip(&entries)),
        one(
            "B313",
            "PKG-007",
            "mimetype",
            "`mimetype` holds `application/zip`, not `application/epub+zip`"
        )
    );
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in good() {
        zip.start_file(name, SimpleFileOptions::default()).unwrap();
        zip.write_all(&data).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    assert_eq!(
        found(&bytes),
        one("B313", "PKG-007", "mimetype", "`mimetype` is compressed")
    );
}

#[test]
fn entries_that_climb_out_are_reported_not_followed() {
    let mut entries = good();
    entries.push(("../evil".into(), b"gotcha".to_vec()));
    entries.push(("/etc/evil".into(), b"gotcha".to_vec()));
    entries.push(("EPUB\\evil.xhtml".into(), b"gotcha".to_vec()));
    entries.push(("C:/evil".into(), b"gotcha".to_vec()));
    let found = found(&zip(&entries));
    let messages: Vec<&str> = found.iter().map(|f| f.3.as_str()).collect();
    assert_eq!(
        messages,
        [
            "unsafe entry name `../evil`: it climbs out of the container with `..`",
            "unsafe entry name `/etc/evil`: it is an absolute path",
            "unsafe entry name `EPUB\\evil.xhtml`: it holds a backslash",
            "unsafe entry name `C:/evil`: it starts with a drive letter",
        ]
    );
    let ids: Vec<(&str, &str)> = found.iter().map(|f| (f.0.as_str(), f.1.as_str())).collect();
    assert_eq!(
        ids,
        [
            ("B314", ""),
            ("B314", ""),
            ("B314", "PKG-009"),
            ("B314", "PKG-009")
        ]
    );
}

#[test]
fn a_zip_bomb_is_reported_not_inflated() {
    let mut entries = good();
    entries.push(("EPUB/bomb.txt".into(), vec![0; 8 * 1024 * 1024]));
    let bytes = zip(&entries);
    assert!(bytes.len() < 100 * 1024);
    let found = found(&bytes);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("B315", ""));
    assert_eq!(found[0].2, "EPUB/bomb.txt");
    assert!(
        found[0]
            .3
            .starts_with("`EPUB/bomb.txt` inflates to more than 100 times its compressed size of "),
        "{}",
        found[0].3
    );
    // The limit for all entries together stops the reading altogether.
    let limits = Limits {
        entry: 1 << 30,
        total: 4096,
        ratio: 1 << 20,
    };
    let inspection = inspect_bytes(&bytes, &limits);
    assert!(
        inspection.problems.iter().any(|p| matches!(p, InspectError::TooLarge { reason, .. } if reason.contains("4096 bytes inflated"))),
        "{:?}",
        inspection.problems
    );
}

#[test]
fn a_missing_container_is_reported() {
    let mut entries = good();
    entries.retain(|(n, _)| n != "META-INF/container.xml");
    assert_eq!(
        found(&zip(&entries)),
        one("B320", "RSC-002", "", "`META-INF/container.xml` is missing")
    );
    let entries = with_text("META-INF/container.xml", "<rootfile ", "<otherfile ");
    assert_eq!(
        found(&zip(&entries)),
        one(
            "B321",
            "RSC-003",
            "META-INF/container.xml",
            "`META-INF/container.xml` names no package document"
        )
    );
    let entries = with_text("META-INF/container.xml", "EPUB/package.opf", "content.opf");
    assert_eq!(
        found(&zip(&entries)),
        one(
            "B322",
            "OPF-002",
            "META-INF/container.xml",
            "the package document `content.opf` is not in the zip"
        )
    );
}

#[test]
fn xhtml_that_is_not_well_formed_is_reported_with_its_line() {
    let entries = with_text(
        "EPUB/text/two.xhtml",
        "<h1 id=\"end\">Two</h1>",
        "<h1 id=\"end\">Two &nbsp;</h2>",
    );
    let bytes = zip(&entries);
    let report = inspect_bytes(&bytes, &Limits::default()).to_report();
    assert_eq!(report.diagnostics.len(), 1, "{:?}", report.diagnostics);
    assert_eq!(report.diagnostics[0].epubcheck.as_deref(), Some("RSC-016"));
    assert_eq!(
        render_human(&report),
        "error[B323]: `EPUB/text/two.xhtml` is not well-formed XML: unknown entity reference 'nbsp' (EPUBCheck RSC-016)\n --> EPUB/text/two.xhtml:5:24\n  |\n5 | <body><h1 id=\"end\">Two &nbsp;</h2></body>\n  |                        ^\n  = help: XHTML in an EPUB must be XML: close every element, quote every attribute, write `&amp;` for `&`\n"
    );
}

#[test]
fn required_metadata_is_reported() {
    let entries = with_text(
        "EPUB/package.opf",
        "<dc:title>Test</dc:title>\n    <dc:language>en</dc:language>",
        "<dc:title> </dc:title>",
    );
    assert_eq!(
        found(&zip(&entries)),
        [
            one(
                "B326",
                "RSC-005",
                "EPUB/package.opf",
                "the package document has no dc:title"
            ),
            one(
                "B326",
                "RSC-005",
                "EPUB/package.opf",
                "the package document has no dc:language"
            ),
        ]
        .concat()
    );
    let entries = with_text(
        "EPUB/package.opf",
        "<meta property=\"dcterms:modified\">2026-01-01T00:00:00Z</meta>",
        "",
    );
    assert_eq!(
        found(&zip(&entries)),
        one(
            "B326",
            "RSC-005",
            "EPUB/package.opf",
            "the package document has no dcterms:modified"
        )
    );
}

#[test]
fn the_unique_identifier_must_name_an_identifier() {
    let entries = with_text(
        "EPUB/package.opf",
        "unique-identifier=\"uid\"",
        "unique-identifier=\"isbn\"",
    );
    assert_eq!(
        found(&zip(&entries)),
        one(
            "B327",
            "OPF-030",
            "EPUB/package.opf",
            "unique-identifier `isbn` is not the id of a dc:identifier"
        )
    );
}

#[test]
fn manifest_items_must_exist_and_be_what_they_say() {
    let entries = with_text(
        "EPUB/package.opf",
        "media/dot.png\" media-type=\"image/png\"",
        "media/dot.png\" media-type=\"image/jpeg\"",
    );
    assert_eq!(
        found(&zip(&entries)),
        one(
            "B329",
            "OPF-029",
            "EPUB/package.opf",
            "`media/dot.png` is declared as `image/jpeg` but is a PNG image"
        )
    );
    let mut entries = good();
    entries.retain(|(n, _)| n != "EPUB/text/two.xhtml");
    let found = found(&zip(&entries));
    assert!(found.contains(
        &one(
            "B328",
            "RSC-001",
            "EPUB/package.opf",
            "manifest item `text/two.xhtml` is not in the zip"
        )[0]
    ));
    // The links to it are broken too.
    assert!(found.contains(
        &one(
            "B337",
            "RSC-007",
            "EPUB/nav.xhtml",
            "`text/two.xhtml#end` is not in the EPUB"
        )[0]
    ));
}

#[test]
fn ids_and_hrefs_in_the_manifest_are_unique() {
    let entries = with_text(
        "EPUB/package.opf",
        "<item id=\"img\" href=\"media/dot.png\"",
        "<item id=\"c2\" href=\"text/two.xhtml\" media-type=\"application/xhtml+xml\"/>\n    <item id=\"img\" href=\"media/dot.png\"",
    );
    assert_eq!(
        found(&zip(&entries)),
        [
            one(
                "B330",
                "RSC-005",
                "EPUB/package.opf",
                "the id `c2` is used more than once in the package document"
            ),
            one(
                "B331",
                "OPF-074",
                "EPUB/package.opf",
                "`text/two.xhtml` is listed in the manifest more than once"
            ),
        ]
        .concat()
    );
}

#[test]
fn spine_items_must_be_in_the_manifest() {
    let entries = with_text(
        "EPUB/package.opf",
        "<itemref idref=\"c2\"/>",
        "<itemref idref=\"c3\"/>",
    );
    assert_eq!(
        found(&zip(&entries)),
        one(
            "B332",
            "OPF-049",
            "EPUB/package.opf",
            "the spine refers to `c3`, which is not a manifest item"
        )
    );
}

#[test]
fn exactly_one_item_is_the_nav() {
    let entries = with_text("EPUB/package.opf", " properties=\"nav\"", "");
    assert_eq!(
        found(&zip(&entries)),
        one(
            "B333",
            "RSC-005",
            "EPUB/package.opf",
            "0 manifest items have the `nav` property; exactly one must"
        )
    );
}

#[test]
fn content_properties_must_match_the_content() {
    let entries = with_text(
        "EPUB/text/two.xhtml",
        "<h1 id=\"end\">Two</h1>",
        "<h1 id=\"end\">Two</h1><svg xmlns=\"http://www.w3.org/2000/svg\"/><math xmlns=\"http://www.w3.org/1998/Math/MathML\"/><script>go()</script><audio src=\"https://example.org/a.mp3\"/>",
    );
    assert_eq!(
        found(&zip(&entries)),
        [
            one(
                "B334",
                "OPF-014",
                "EPUB/package.opf",
                "`text/two.xhtml` needs the `mathml` property in the manifest"
            ),
            one(
                "B334",
                "OPF-014",
                "EPUB/package.opf",
                "`text/two.xhtml` needs the `remote-resources` property in the manifest"
            ),
            one(
                "B334",
                "OPF-014",
                "EPUB/package.opf",
                "`text/two.xhtml` needs the `scripted` property in the manifest"
            ),
            one(
                "B334",
                "OPF-014",
                "EPUB/package.opf",
                "`text/two.xhtml` needs the `svg` property in the manifest"
            ),
            one(
                "B338",
                "RSC-008",
                "EPUB/text/two.xhtml",
                "`https://example.org/a.mp3` is not listed in the manifest"
            ),
        ]
        .concat()
    );
    let entries = with_text(
        "EPUB/package.opf",
        "media-type=\"application/xhtml+xml\"/>",
        "media-type=\"application/xhtml+xml\" properties=\"svg\"/>",
    );
    assert_eq!(
        found(&zip(&entries)),
        one(
            "B335",
            "OPF-015",
            "EPUB/package.opf",
            "`text/one.xhtml` has the `svg` property but nothing in it needs it"
        )
    );
}

#[test]
fn the_nav_needs_a_toc() {
    let entries = with_text(
        "EPUB/nav.xhtml",
        "epub:type=\"toc\"",
        "epub:type=\"landmarks\"",
    );
    assert_eq!(
        found(&zip(&entries)),
        one(
            "B336",
            "RSC-005",
            "EPUB/nav.xhtml",
            "the navigation document has no `<nav epub:type=\"toc\">` with an `<ol>`"
        )
    );
}

#[test]
fn every_reference_resolves() {
    let entries = with_text(
        "EPUB/text/one.xhtml",
        "<a href=\"#top\">up</a>",
        "<a href=\"three.xhtml\">3</a> <img src=\"../extra.png\" alt=\"\"/> <a href=\"two.xhtml#middle\">m</a> <a href=\"../../../etc/passwd\">p</a>",
    );
    let mut entries = entries;
    entries.push(("EPUB/extra.png".into(), PNG.to_vec()));
    let bytes = zip(&entries);
    assert_eq!(
        found(&bytes),
        [
            one(
                "B337",
                "RSC-007",
                "EPUB/text/one.xhtml",
                "`three.xhtml` is not in the EPUB"
            ),
            one(
                "B338",
                "RSC-008",
                "EPUB/text/one.xhtml",
                "`../extra.png` is not listed in the manifest"
            ),
            one(
                "B339",
                "RSC-012",
                "EPUB/text/one.xhtml",
                "`two.xhtml#middle` points to an id that does not exist"
            ),
            one(
                "B340",
                "RSC-026",
                "EPUB/text/one.xhtml",
                "`../../../etc/passwd` points outside the EPUB"
            ),
        ]
        .concat()
    );
    let human = render_human(&inspect_bytes(&bytes, &Limits::default()).to_report());
    assert!(
        human.starts_with(
            "error[B337]: `three.xhtml` is not in the EPUB (EPUBCheck RSC-007)\n --> EPUB/text/one.xhtml:7:94\n"
        ),
        "{human}"
    );
}

#[test]
fn no_input_makes_it_panic() {
    let bytes = zip(&good());
    for end in (0..bytes.len()).step_by(7) {
        let _ = inspect_bytes(&bytes[..end], &Limits::default());
    }
    let mut state: u32 = 12345;
    for _ in 0..300 {
        let mut broken = bytes.clone();
        for _ in 0..4 {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let at = (state as usize >> 3) % broken.len();
            broken[at] = (state >> 16) as u8;
        }
        let _ = inspect_bytes(&broken, &Limits::default());
    }
    for garbage in [
        &b""[..],
        b"PK",
        b"PK\x03\x04",
        b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
    ] {
        let _ = inspect_bytes(garbage, &Limits::default());
    }
}

#[test]
fn references_resolve_against_their_document() {
    assert_eq!(
        resolve("EPUB/text/one.xhtml", "../media/a%20b.png#x"),
        Some(("EPUB/media/a b.png".to_string(), Some("x".to_string())))
    );
    assert_eq!(
        resolve("EPUB/text/one.xhtml", "#top"),
        Some(("EPUB/text/one.xhtml".to_string(), Some("top".to_string())))
    );
    assert_eq!(resolve("EPUB/one.xhtml", "../../x"), None);
    assert_eq!(resolve("EPUB/one.xhtml", "/x"), None);
    assert!(has_scheme("https://example.org"));
    assert!(has_scheme("mailto:a@b"));
    assert!(!has_scheme("a/b:c"));
    assert!(!has_scheme("#a:b"));
}

#[test]
fn epub_2_needs_no_nav_modified_date_or_properties() {
    let mut entries = with_text("EPUB/package.opf", "version=\"3.0\"", "version=\"2.0\"");
    let opf = String::from_utf8(entries[2].1.clone()).unwrap();
    entries[2].1 = opf
        .replace(" properties=\"nav\"", "")
        .replace(
            "<meta property=\"dcterms:modified\">2026-01-01T00:00:00Z</meta>",
            "",
        )
        .into_bytes();
    assert_eq!(found(&zip(&entries)), vec![]);
}

#[test]
fn ids_used_twice_in_a_document_are_reported_at_the_second() {
    let entries = with_text(
        "EPUB/text/one.xhtml",
        "<h1 id=\"top\">One</h1>",
        "<h1 id=\"top\">One</h1><p id=\"top\">again</p>",
    );
    let report = inspect_bytes(&zip(&entries), &Limits::default()).to_report();
    assert_eq!(
        render_human(&report),
        "error[B342]: the id `top` is used more than once in this document (EPUBCheck RSC-005)\n --> EPUB/text/one.xhtml:6:29\n  |\n6 | <h1 id=\"top\">One</h1><p id=\"top\">again</p>\n  |                             ^^^\n  = help: ids must be unique within a document: rename one of them, and the links to it\n"
    );
}

#[test]
fn blocks_inside_phrasing_content_are_reported_through_transparent_elements() {
    let cases = [
        (
            "<span><div>x</div></span>",
            "`<div>` is not allowed inside `<span>`",
        ),
        (
            "<a href=\"#top\"><ul><li>x</li></ul></a>",
            "`<ul>` is not allowed inside `<p>`",
        ),
        (
            "<em><table><tr><td>x</td></tr></table></em>",
            "`<table>` is not allowed inside `<em>`",
        ),
    ];
    for (inserted, message) in cases {
        let entries = with_text("EPUB/text/one.xhtml", "<p>", &format!("<p>{inserted}"));
        let found = found(&zip(&entries));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "B343");
        assert!(found[0].3.starts_with(message), "{found:?}");
    }
    // A block in a block, in a link that is itself in a block, or in
    // foreign content, is allowed.
    for allowed in [
        "<div><div>x</div></div>",
        "<div><a href=\"#top\"><div>x</div></a></div>",
        "<figure><p>x</p></figure>",
    ] {
        let entries = with_text(
            "EPUB/text/one.xhtml",
            "<h1 id=\"top\">One</h1>",
            &format!("<h1 id=\"top\">One</h1>{allowed}"),
        );
        assert_eq!(found(&zip(&entries)), [], "{allowed}");
    }
}

#[test]
fn language_tags_must_be_well_formed() {
    let entries = with_text(
        "EPUB/package.opf",
        "<dc:language>en</dc:language>",
        "<dc:language> C </dc:language>",
    );
    assert_eq!(
        found(&zip(&entries)),
        one(
            "B344",
            "OPF-092",
            "EPUB/package.opf",
            "the language tag `C` in dc:language is not well-formed"
        )
    );
    let entries = with_text(
        "EPUB/text/one.xhtml",
        "<p>",
        "<p xml:lang=\"en_US\" lang=\"\">",
    );
    assert_eq!(
        found(&zip(&entries)),
        one(
            "B344",
            "RSC-005",
            "EPUB/text/one.xhtml",
            "`xml:lang=\"en_US\"` is not a language tag"
        )
    );
    for good in ["en-GB", "zh-Hant-TW", "x-klingon", "sgn-BE-FR", "qaaa"] {
        let entries = with_text(
            "EPUB/package.opf",
            "<dc:language>en</dc:language>",
            &format!("<dc:language>{good}</dc:language>"),
        );
        assert_eq!(found(&zip(&entries)), [], "{good}");
    }
}
