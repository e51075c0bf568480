use super::*;
use crate::typeface::uncovered;

fn cover(
    title: &str,
    subtitle: Option<&str>,
    authors: &[&str],
    publisher: Option<&str>,
) -> GeneratedCover {
    let authors: Vec<String> = authors.iter().map(|a| (*a).to_string()).collect();
    let text = CoverText {
        title,
        subtitle,
        authors: &authors,
        publisher,
    };
    match generate(&text) {
        Ok(cover) => cover,
        Err(e) => panic!("no cover for {title:?}: {e}"),
    }
}

fn plain(title: &str) -> GeneratedCover {
    cover(title, None, &["Jane Doe"], None)
}

/// The decoded PNG: width, height and RGBA pixels.
fn pixels(png: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = ::png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = match decoder.read_info() {
        Ok(reader) => reader,
        Err(e) => panic!("the PNG does not decode: {e}"),
    };
    let mut buffer = vec![0; reader.output_buffer_size().unwrap_or(0)];
    let info = match reader.next_frame(&mut buffer) {
        Ok(info) => info,
        Err(e) => panic!("the PNG does not decode: {e}"),
    };
    assert_eq!(info.color_type, ::png::ColorType::Rgba);
    buffer.truncate(info.buffer_size());
    (info.width, info.height, buffer)
}

/// Columns that hold a pixel of exactly `colour` (the inside of a letter).
fn columns_with(colour: Rgb, (width, _, rgba): &(u32, u32, Vec<u8>)) -> Vec<u32> {
    let mut columns = std::collections::BTreeSet::new();
    for (i, pixel) in rgba.chunks_exact(4).enumerate() {
        if pixel == [colour.r, colour.g, colour.b, 255] {
            columns.insert(i as u32 % width);
        }
    }
    columns.into_iter().collect()
}

fn svg_document(svg: &str) -> roxmltree::Document<'_> {
    match roxmltree::Document::parse(svg) {
        Ok(doc) => doc,
        Err(e) => panic!("the SVG is not XML: {e}\n{svg}"),
    }
}

/// How many lines of text were drawn (one path each).
fn text_paths(svg: &str) -> usize {
    let doc = svg_document(svg);
    doc.descendants().filter(|n| n.has_tag_name("path")).count()
}

/// The outlines of the drawn text, in order.
fn path_data(svg: &str) -> Vec<String> {
    let doc = svg_document(svg);
    doc.descendants()
        .filter(|n| n.has_tag_name("path"))
        .filter_map(|n| n.attribute("d").map(str::to_string))
        .collect()
}

#[test]
fn the_cover_is_1600_by_2560() {
    let cover = plain("Dimensions");
    assert_eq!((cover.width, cover.height), (1600, 2560));
    assert_eq!(cover.height * 10, cover.width * 16);
    let doc = svg_document(&cover.svg);
    let root = doc.root_element();
    assert_eq!(root.attribute("width"), Some("1600"));
    assert_eq!(root.attribute("height"), Some("2560"));
    assert_eq!(root.attribute("viewBox"), Some("0 0 1600 2560"));
}

#[test]
fn the_png_has_the_signature_and_size_in_its_header() {
    let png = plain("A Header Check").png;
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    // IHDR is always the first chunk: length, type, then width and height.
    assert_eq!(png.get(12..16), Some(&b"IHDR"[..]));
    let be = |range: std::ops::Range<usize>| {
        png.get(range)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map(u32::from_be_bytes)
    };
    assert_eq!(be(16..20), Some(1600));
    assert_eq!(be(20..24), Some(2560));
    let (width, height, rgba) = pixels(&png);
    assert_eq!((width, height), (1600, 2560));
    assert_eq!(rgba.len(), 1600 * 2560 * 4);
    // Opaque everywhere, so premultiplied and plain colours agree.
    assert!(rgba.chunks_exact(4).all(|p| p.get(3) == Some(&255)));
}

#[test]
fn the_same_text_gives_the_same_bytes_on_any_thread() {
    let title = "Determinism: Ἀρχή and Начало";
    let first = cover(
        title,
        Some("A subtitle"),
        &["A. Author", "B. Author"],
        Some("Press"),
    );
    let second = cover(
        title,
        Some("A subtitle"),
        &["A. Author", "B. Author"],
        Some("Press"),
    );
    assert_eq!(first, second);
    let elsewhere = std::thread::spawn(move || {
        cover(
            title,
            Some("A subtitle"),
            &["A. Author", "B. Author"],
            Some("Press"),
        )
    })
    .join();
    match elsewhere {
        Ok(third) => assert_eq!(first, third),
        Err(_) => panic!("the other thread panicked"),
    }
}

#[test]
fn different_titles_get_different_colours() {
    let palettes: std::collections::BTreeSet<String> =
        ["Emma", "Ulysses", "Beloved", "Middlemarch"]
            .iter()
            .map(|t| palette(t).background.to_string())
            .collect();
    assert!(palettes.len() > 1);
}

#[test]
fn text_contrasts_with_the_background_by_at_least_4_5() {
    const { assert!(MIN_CONTRAST >= 4.5) };
    for title in ["Emma", "Ulysses", "Dracula", "Война и мир", "Ὀδύσσεια", ""] {
        let p = palette(title);
        assert!(
            contrast_ratio(p.ink, p.background) >= MIN_CONTRAST,
            "{title}: {p:?}"
        );
        assert!(
            contrast_ratio(p.ink, p.tint) >= MIN_CONTRAST,
            "{title}: {p:?}"
        );
    }
    // And the text is really drawn in that ink.
    let cover = plain("Emma");
    let ink = palette("Emma").ink;
    assert!(cover.svg.contains(&format!("<g fill=\"{ink}\">")));
    assert!(!columns_with(ink, &pixels(&cover.png)).is_empty());
}

#[test]
fn the_svg_is_self_contained_xml_with_a_title() {
    let cover = cover(
        "Fish & <Chips> \"Ltd\"",
        Some("On frying"),
        &["Jane Doe"],
        Some("Grease & Sons"),
    );
    let doc = svg_document(&cover.svg);
    let root = doc.root_element();
    assert!(root.has_tag_name(("http://www.w3.org/2000/svg", "svg")));
    assert_eq!(root.attribute("version"), Some("1.1"));
    let title = root.children().find(|n| n.has_tag_name("title"));
    assert_eq!(title.and_then(|t| t.text()), Some("Fish & <Chips> \"Ltd\""));
    let desc = root.children().find(|n| n.has_tag_name("desc"));
    assert_eq!(
        desc.and_then(|d| d.text()),
        Some("On frying. Jane Doe. Grease & Sons")
    );
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        assert!(
            ["svg", "title", "desc", "rect", "circle", "g", "path"].contains(&name),
            "unexpected <{name}>"
        );
        assert!(
            node.attributes()
                .all(|a| a.name() != "href" && a.name() != "style")
        );
    }
}

#[test]
fn a_200_character_title_shrinks_and_stays_on_the_cover() {
    let title = "The Extraordinary and Thoroughly Documented Account of a Journey Across \
                 Seven Seas, Three Deserts and One Remarkably Stubborn Mountain Range, \
                 Told at Great Length by Its Only Surviving and Deeply Reluctant Chronicler";
    assert!(title.chars().count() >= 200);
    let cover = cover(
        title,
        Some("Being a true history"),
        &["A. Traveller"],
        Some("Press"),
    );
    assert!(text_paths(&cover.svg) >= 5);
    let ink = palette(title).ink;
    let columns = columns_with(ink, &pixels(&cover.png));
    // Text keeps inside its 1248-pixel measure, well within the frame.
    assert!(columns.first().is_some_and(|&c| c >= 160), "{columns:?}");
    assert!(columns.last().is_some_and(|&c| c <= 1440), "{columns:?}");
}

#[test]
fn an_unbroken_200_character_title_is_split_and_cut() {
    let title = "Ж".repeat(400);
    let cover = plain(&title);
    let columns = columns_with(palette(&title).ink, &pixels(&cover.png));
    assert!(columns.first().is_some_and(|&c| c >= 160), "{columns:?}");
    assert!(columns.last().is_some_and(|&c| c <= 1440), "{columns:?}");
}

#[test]
fn a_huge_title_is_cut_before_it_is_set() {
    let title = "Ω".repeat(200_000);
    let cover = plain(&title);
    let columns = columns_with(palette(&title).ink, &pixels(&cover.png));
    assert!(columns.first().is_some_and(|&c| c >= 160), "{columns:?}");
    assert!(columns.last().is_some_and(|&c| c <= 1440), "{columns:?}");
    // The end of a title no cover can hold is dropped before the text is
    // set: the title cut to its first thousand characters draws the same.
    let cut: String = title.chars().take(1_001).collect();
    assert_eq!(path_data(&plain(&cut).svg), path_data(&cover.svg));
}

#[test]
fn greek_and_cyrillic_titles_are_drawn() {
    for title in [
        "Ἡ Ὀδύσσεια",
        "Преступление и наказание",
        "Ελληνικά και Русский",
    ] {
        let cover = cover(
            title,
            Some("Подзаголовок"),
            &["Λέων Τολστόι"],
            Some("Αθήνα"),
        );
        // Title, subtitle, author and publisher: at least one line each.
        assert!(text_paths(&cover.svg) >= 4, "{title}");
        let doc = svg_document(&cover.svg);
        let shown = doc.descendants().find(|n| n.has_tag_name("title"));
        assert_eq!(shown.and_then(|t| t.text()), Some(title));
    }
}

#[test]
fn characters_the_font_lacks_do_not_panic() {
    let cover = plain("漢字 🚀 עברית \u{200D}\u{FFFF}\u{1}");
    assert!(text_paths(&cover.svg) >= 1);
    svg_document(&cover.svg);
}

#[test]
fn empty_parts_are_left_out() {
    let full = cover("Title", Some("Subtitle"), &["Author"], Some("Publisher"));
    let bare = cover("Title", Some("  "), &[], Some(""));
    assert_eq!(text_paths(&full.svg), 4);
    assert_eq!(text_paths(&bare.svg), 1);
    assert!(!bare.svg.contains("<desc>"));
    let blank_authors = cover("Title", None, &["", " "], None);
    assert_eq!(text_paths(&blank_authors.svg), 1);
}

#[test]
fn an_empty_title_still_makes_a_cover() {
    let cover = cover("", None, &[], None);
    assert_eq!(text_paths(&cover.svg), 0);
    assert!(cover.png.starts_with(b"\x89PNG"));
}

/// `cargo test --release --lib cover::tests::time -- --ignored --nocapture`
#[test]
#[ignore = "a timing, not a test; run it in release"]
fn time_generate() {
    let authors = vec!["Jane Doe".to_string(), "John Roe".to_string()];
    let long = "The Timing of Typographic Covers, ".repeat(6);
    for title in ["The Timing of Typographic Covers", long.trim()] {
        let text = CoverText {
            title,
            subtitle: Some("Measured in a release build"),
            authors: &authors,
            publisher: Some("Bindery Press"),
        };
        let runs = 10;
        let start = std::time::Instant::now();
        for _ in 0..runs {
            let _ = generate(&text);
        }
        let each = start.elapsed() / runs;
        let size = generate(&text).map(|c| (c.svg.len(), c.png.len()));
        let chars = title.chars().count();
        println!("{chars}-character title: {each:?} per cover; SVG and PNG bytes {size:?}");
    }
}

/// Font subsets the fixture books carry (SIL Open Font License 1.1, with
/// their licences beside them).
fn fixture_font(path: &str) -> FontFile {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/books")
        .join(path);
    match std::fs::read(&file) {
        Ok(data) => FontFile {
            name: path.to_string(),
            data: data.into(),
            index: 0,
        },
        Err(e) => panic!("{}: {e}", file.display()),
    }
}

fn drawn_with(title: &str, authors: &[&str], fonts: &[FontFile]) -> GeneratedCover {
    let authors: Vec<String> = authors.iter().map(|a| (*a).to_string()).collect();
    let text = CoverText {
        title,
        subtitle: None,
        authors: &authors,
        publisher: None,
    };
    match generate_with(&text, fonts) {
        Ok(cover) => cover,
        Err(e) => panic!("no cover for {title:?}: {e}"),
    }
}

#[test]
fn a_title_in_a_font_that_has_it_differs_from_the_same_title_with_missing_glyphs() {
    let japanese = fixture_font("lang-ja/assets/fonts/NotoSerifJP-cover.otf");
    let title = "製本の手引き";
    let missing = drawn_with(title, &["渡辺健二"], &[FontFile::bundled()]);
    let drawn = drawn_with(
        title,
        &["渡辺健二"],
        &[FontFile::bundled(), japanese.clone()],
    );
    // Same palette and ornament (they come from the title), other letters.
    assert_ne!(pixels(&missing.png).2, pixels(&drawn.png).2);
    // Without the font, every character is the same placeholder glyph.
    let placeholder = drawn_with(
        "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}",
        &["\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"],
        &[FontFile::bundled()],
    );
    let shapes = |svg: &str| -> Vec<String> {
        let doc = svg_document(svg);
        doc.descendants()
            .filter(|n| n.has_tag_name("path") && n.attribute("transform").is_some())
            .filter_map(|n| n.attribute("d").map(str::to_string))
            .collect()
    };
    assert_eq!(shapes(&missing.svg), shapes(&placeholder.svg));
    assert_ne!(shapes(&drawn.svg), shapes(&placeholder.svg));
    assert!(uncovered([title, "渡辺健二"], &[FontFile::bundled(), japanese]).is_empty());
}

#[test]
fn a_long_japanese_title_breaks_between_characters_not_before_closing_marks() {
    let pieces = fitting::pieces("製本の手引き（縦書き）。Rust 入門");
    let shown: Vec<String> = pieces.iter().map(|p| p.replace(font::GLUE, "|")).collect();
    assert_eq!(
        shown,
        [
            "製|",
            "本|",
            "の|",
            "手|",
            "引|",
            "き|",
            "（縦|",
            "書|",
            "き）。|",
            "Rust",
            "入|",
            "門"
        ]
    );
}

#[test]
fn a_hebrew_title_is_set_right_to_left() {
    let hebrew = fixture_font("lang-he/assets/fonts/NotoSerifHebrew-cover.ttf");
    let font = match font::Font::chain(&[(crate::typeface::BUNDLED, 0), (&hebrew.data[..], 0)]) {
        Ok(font) => font,
        Err(e) => panic!("{e}"),
    };
    // Shaped right to left: the first letter is drawn rightmost.
    let word = font.shape("אמ");
    let first = font.shape("א");
    let last_glyph = word.glyphs.last().map(|g| g.id);
    assert_eq!(last_glyph, first.glyphs.first().map(|g| g.id));
    // Whole words read from the right, a Latin name among them in its order.
    let words = ["אמנות", "Margarethe", "Falz", "כריכה"];
    let order: Vec<&str> = svg::visual_order(&words, &font)
        .into_iter()
        .map(|(w, _)| w)
        .collect();
    assert_eq!(order, ["כריכה", "Margarethe", "Falz", "אמנות"]);
}
