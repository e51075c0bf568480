//! Every diagnostic code bindery gives, as one type.
//!
//! A code names one kind of problem for good: it is what `bindery
//! explain` explains, what CI filters on and what the guide lists. Each
//! is a variant of [`Code`], with its usual severity and a summary here
//! and its long explanation in `explain.txt`; a test checks that the two
//! agree, so a code cannot be given without being explained.

use super::Severity;
use std::fmt;

/// Declares [`Code`]: for each code its variant, its text, its usual
/// severity and what it is about in a few words.
macro_rules! codes {
    ($($name:ident = $code:literal, $severity:ident, $summary:literal;)*) => {
        /// A diagnostic code, such as `B003` ([`Code::UnknownKey`]).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(
                #[doc = concat!("`", $code, "`: ", $summary, ".")]
                $name,
            )*
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &[Code] = &[$(Code::$name),*];

            /// The code as users see it: `B` and three digits.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$name => $code,)*
                }
            }

            /// How bad a problem of this kind usually is. A book's policy
            /// can change it (see [`super::Policy`]); nothing else does.
            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$name => Severity::$severity,)*
                }
            }

            /// What the code is about, in a few words.
            pub fn summary(self) -> &'static str {
                match self {
                    $(Code::$name => $summary,)*
                }
            }
        }
    };
}

codes! {
    TomlSyntax = "B001", Error, "book.toml is not valid TOML";
    MissingKey = "B002", Error, "a required key is missing";
    UnknownKey = "B003", Error, "a key bindery does not know";
    WrongType = "B004", Error, "a value of the wrong type";
    BadLanguageTag = "B005", Error, "a malformed language tag";
    BadDate = "B006", Error, "a date that is not a valid date";
    UnknownRole = "B007", Error, "a role that is not a MARC relator code";
    BadMatter = "B008", Error, "not a kind of matter";
    BadLicence = "B009", Error, "not an SPDX licence id";
    TocDepthOutOfRange = "B010", Error, "a table of contents depth out of range";
    EmptyValue = "B011", Error, "an empty value";
    BadBrokenLinks = "B012", Error, "not a way to treat broken links";
    BadDirection = "B013", Error, "not a text direction";
    BadNotesPlacement = "B014", Error, "not a place for notes";
    BadIsbn = "B015", Error, "not a valid ISBN";
    BadDoi = "B016", Error, "not a DOI";
    NotAWebAddress = "B017", Error, "not a web address";
    BadSeriesPosition = "B018", Error, "not a position in a series";
    UnknownAccessibilityValue = "B019", Error, "an accessibility value bindery does not know";
    UnknownChapterKind = "B020", Error, "not a kind of chapter bindery knows";
    BadFontStyle = "B021", Error, "not a font weight or style";
    BadWritingMode = "B022", Error, "not a writing mode";
    BadVersion = "B025", Error, "a version that cannot be part of a file name";
    DonationWithoutPage = "B026", Error, "a donation prompt without a donation page";
    TemplateKeyMissing = "B027", Error, "a file name template that needs a key the book does not set";
    LabelsInEnglish = "B028", Note, "no labels in the book's language";
    UnknownSpdxId = "B050", Warning, "an SPDX licence id bindery does not know";
    LanguageTagCase = "B051", Warning, "a language tag not written in its usual case";
    UnmetAccessibilityClaim = "B060", Warning, "an accessibility claim the book does not meet";
    CoverRefusedByStore = "B070", Warning, "a cover the store does not accept";
    FontNotEmbeddable = "B071", Warning, "a font whose licence does not allow embedding";
    TooLargeForKdp = "B072", Warning, "an EPUB larger than KDP accepts";
    NoDescription = "B080", Warning, "a book without a description";
    NoStableIdentifier = "B081", Warning, "a book without an identifier of its own";
    NoCoverImage = "B082", Warning, "a book without a cover image";
    NoAuthor = "B083", Warning, "a book without an author";
    NoManifest = "B100", Error, "no book.toml in the folder";
    CannotRead = "B101", Error, "a file that cannot be read";
    FileNotFound = "B102", Error, "file not found";
    BadPath = "B103", Error, "a path that cannot be used";
    NotUtf8 = "B104", Error, "a file that is not UTF-8";
    NoChapters = "B105", Error, "a book without chapters";
    NotAnImage = "B106", Error, "not an image bindery knows";
    DuplicateChapter = "B107", Error, "a chapter listed twice";
    UnclosedFrontMatter = "B108", Error, "front matter that is not closed";
    DamagedImage = "B109", Error, "a damaged image";
    NotAFont = "B110", Error, "not a font";
    UnusableStylesheet = "B111", Error, "a stylesheet bindery cannot use";
    CoverNotDrawn = "B112", Error, "the cover could not be drawn";
    FileTooLarge = "B113", Error, "a file larger than bindery reads";
    CoverGlyphsMissing = "B114", Error, "no font has the characters of the drawn cover";
    NotAChapter = "B115", Warning, "a file in chapters/ that cannot be a chapter";
    UnusedAsset = "B120", Warning, "an asset that no part of the book uses";
    ChapterNotInBook = "B121", Warning, "a chapter file that is not in the book";
    SmallCover = "B150", Warning, "a cover smaller than stores accept";
    SummaryItemNotALink = "B160", Error, "a SUMMARY.md item that is not a link";
    MissingTitle = "B161", Error, "a chapter or part without a title";
    NumberedAfterSuffix = "B162", Error, "numbered chapters after the suffix chapters";
    NestedAffixChapters = "B163", Error, "nested prefix or suffix chapters";
    LinkAfterPartTitle = "B164", Error, "a plain link after a part title";
    ListedTwiceInSummary = "B165", Error, "a file listed twice in SUMMARY.md";
    SummaryTooDeep = "B166", Error, "chapters nested too deeply";
    SummaryLineSwallowed = "B167", Warning, "a SUMMARY.md line read as part of the item above";
    IncludeUnreadable = "B170", Error, "an included file that cannot be read";
    IncludeCycle = "B171", Error, "a file that includes itself";
    IncludesTooDeep = "B172", Error, "includes nested too deeply";
    MissingIncludeAnchor = "B173", Error, "an include anchor that is not in the file";
    BadDirective = "B174", Error, "a malformed include or title directive";
    IgnoredByMdBook = "B175", Warning, "a bindery key or table where an mdBook project does not read it";
    DraftChapterLeftOut = "B176", Note, "a draft chapter that is left out";
    PreprocessorNotRun = "B177", Warning, "a preprocessor that is not run";
    PreprocessorFailed = "B178", Error, "a preprocessor that failed";
    LinkNotInSummary = "B179", Warning, "a link to a Markdown file that SUMMARY.md leaves out";
    LinkLeavesBook = "B180", Warning, "a link out of an mdBook";
    PreprocessorCycle = "B181", Error, "preprocessors whose order is a circle";
    BookAsksForPreprocessors = "B182", Warning, "a book that asks to run its preprocessors";
    IncludesTooLarge = "B183", Error, "a chapter whose includes come to too much text";
    MdBookEpubKeyNotUsed = "B184", Warning, "an mdbook-epub setting bindery does not follow";
    BrokenLink = "B200", Error, "a link to a Markdown file that is not a chapter";
    BrokenAnchor = "B201", Error, "a link to an id that does not exist";
    LinkToFile = "B202", Error, "a link to a file that is not a chapter";
    RemoteImage = "B203", Error, "an image on the web";
    BadChapterPath = "B204", Error, "a path in a chapter that cannot be used";
    DuplicateId = "B205", Error, "an id used twice in a chapter";
    InvalidId = "B206", Error, "an id that is not valid";
    UnusableAddress = "B207", Error, "an address reading systems cannot follow";
    BadMath = "B208", Error, "a formula that is not valid TeX math";
    HtmlTooDeep = "B209", Error, "raw HTML in a chapter that nests too deeply";
    AmbiguousAnchor = "B215", Error, "a link to an id that several other chapters have";
    AnchorInOtherChapter = "B216", Note, "a link to an id found in another chapter";
    HeadingAttributeLeftOut = "B251", Warning, "a heading attribute that is left out";
    UnusedFootnote = "B252", Warning, "a footnote nothing refers to";
    DisallowedElement = "B253", Warning, "an HTML element EPUB 3 does not allow";
    DisallowedAttribute = "B254", Warning, "an HTML attribute EPUB 3 does not allow";
    ImageWithoutAlt = "B255", Warning, "an image without alt text";
    EmptyChapter = "B260", Warning, "a chapter without text";
    SkippedHeadingLevel = "B261", Warning, "a heading that skips a level";
    PandocMarkdown = "B265", Warning, "pandoc Markdown that bindery cannot read as pandoc does";
    WriteFailed = "B300", Error, "the EPUB could not be written";
    ImageChanged = "B301", Error, "an image changed while the book was built";
    OutputThroughLink = "B302", Error, "a symbolic link where the default output goes";
    OutputIsInput = "B303", Error, "an output that is a file of the book";
    EpubUnreadable = "B310", Error, "an EPUB that cannot be read";
    NotAZip = "B311", Error, "a file that is not a zip archive";
    MimetypeNotFirst = "B312", Error, "a zip whose first entry is not `mimetype`";
    MimetypeWrong = "B313", Error, "a `mimetype` entry that is compressed or wrong";
    UnsafeEntryName = "B314", Error, "an entry name that is not a safe relative path";
    EntryTooLarge = "B315", Error, "an entry that inflates too far";
    EntryUnreadable = "B316", Error, "an entry that cannot be read";
    DuplicateEntry = "B317", Error, "two entries with the same name";
    NoContainer = "B320", Error, "an EPUB without `META-INF/container.xml`";
    NoRootfile = "B321", Error, "a container that names no package document";
    RootfileMissing = "B322", Error, "a package document that is not in the zip";
    NotWellFormed = "B323", Error, "a file that is not well-formed XML";
    XmlNotUtf8 = "B324", Error, "an XML file that is not UTF-8";
    NotAPackage = "B325", Error, "a package document that is not one";
    MissingMetadata = "B326", Error, "a package document without required metadata";
    BadUniqueIdentifier = "B327", Error, "a unique-identifier that names no dc:identifier";
    ItemMissing = "B328", Error, "a manifest item that is not in the zip";
    MediaTypeMismatch = "B329", Error, "an item that is not what its media type says";
    DuplicatePackageId = "B330", Error, "an id used twice in the package document";
    DuplicateHref = "B331", Error, "a file listed in the manifest twice";
    UnknownIdref = "B332", Error, "a spine itemref that names no manifest item";
    NavCount = "B333", Error, "not exactly one navigation document";
    PropertyMissing = "B334", Error, "content that needs a manifest property";
    PropertyExtra = "B335", Error, "a manifest property the content does not need";
    NoTocNav = "B336", Error, "a navigation document without a table of contents";
    LinkMissing = "B337", Error, "a reference to a file that is not in the EPUB";
    LinkUndeclared = "B338", Error, "a reference to a file that is not in the manifest";
    FragmentMissing = "B339", Error, "a link to an id that does not exist";
    LinkOutside = "B340", Error, "a reference that points outside the EPUB";
    EntryNameNotUtf8 = "B341", Error, "an entry name that is not UTF-8";
    DuplicateDocumentId = "B342", Error, "an id used twice in a document of an EPUB";
    MisplacedElement = "B343", Error, "an element where XHTML does not allow it";
    MalformedLanguageTag = "B344", Error, "a language tag in an EPUB that is not well-formed";
    EpubcheckNotInstalled = "B397", Warning, "EPUBCheck is not installed";
    EpubcheckFailed = "B398", Error, "EPUBCheck could not be run";
    EpubcheckMessage = "B399", Error, "a message from EPUBCheck";
    FolderNotEmpty = "B400", Error, "the folder for a new book is not empty";
    NewBookFailed = "B401", Error, "the new book could not be created";
    SameIdentifierInCatalogue = "B410", Error, "two books in a catalogue with the same identifier";
}

impl Code {
    /// The code written `text`, whatever its case and surrounding space
    /// (`b003` is `B003`).
    ///
    /// ```
    /// use bindery::diag::Code;
    /// assert_eq!(Code::parse(" b003"), Some(Code::UnknownKey));
    /// assert_eq!(Code::parse("B999"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Code> {
        let text = text.trim();
        Code::ALL
            .iter()
            .copied()
            .find(|code| code.as_str().eq_ignore_ascii_case(text))
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_in_order() {
        for pair in Code::ALL.windows(2) {
            assert!(
                pair[0].as_str() < pair[1].as_str(),
                "{} then {}",
                pair[0],
                pair[1]
            );
        }
        for code in Code::ALL {
            let text = code.as_str();
            assert!(
                text.len() == 4
                    && text.starts_with('B')
                    && text[1..].bytes().all(|b| b.is_ascii_digit()),
                "{text}"
            );
            assert_eq!(Code::parse(text), Some(*code));
            assert!(!code.summary().is_empty(), "{text} has no summary");
        }
    }
}
