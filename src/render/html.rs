//! Raw HTML in Markdown → well-formed EPUB 3 XHTML.
//!
//! Two steps. While a chapter is written, each raw HTML snippet is
//! tokenized with html5ever and written back out as plain HTML tags: its
//! `href` and `src` are resolved like Markdown links and images, and every
//! element or attribute EPUB 3 does not allow is reported with the
//! snippet's position ([`rewrite_snippet`]). When the chapter is done, its
//! whole body is parsed as an HTML5 fragment, which repairs nesting
//! (unclosed `<p>`, stray end tags), and serialized as XHTML with the
//! disallowed parts dropped or mapped ([`to_xhtml`]).

use crate::diag::Code;
use crate::xml::{XmlWriter, escape_into, is_ncname};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer};
use html5ever::{LocalName, QualName, ns, parse_fragment};
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

/// What happens to an HTML element in an EPUB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElementRule {
    /// Kept as it is.
    Keep,
    /// Written as another element, with an optional class.
    Map(&'static str, Option<&'static str>),
    /// Dropped with everything inside it.
    Drop,
    /// The tag is dropped, its content kept.
    Unwrap,
    /// Not an HTML element at all: a custom element, which the book's own
    /// preprocessor or script would expand (`<Listing number="2-1">` in
    /// Rust's books). Written as a `<div>` (or a `<span>` in a line of
    /// text) of its name's class, its attributes as `data-*`, so that
    /// nothing it says is lost and a stylesheet can show it.
    Custom,
}

/// HTML elements EPUB 3 does not allow whose content is their fallback
/// (media, forms, obsolete elements): their tag is left out. Any other
/// element that is not HTML's is a custom one ([`ElementRule::Custom`]).
const UNWRAP: &[&str] = &[
    "applet", "audio", "basefont", "bgsound", "body", "button", "canvas", "dialog", "dir",
    "fieldset", "form", "frameset", "html", "image", "isindex", "keygen", "label", "legend", "map",
    "menu", "menuitem", "meter", "multicol", "nobr", "object", "optgroup", "option", "output",
    "picture", "portal", "progress", "rb", "rtc", "search", "slot", "spacer", "video",
];

const KEEP: &[&str] = &[
    "a",
    "abbr",
    "address",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "main",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

const VOID: &[&str] = &["br", "col", "hr", "img", "input", "wbr"];

/// Elements whose content may only be phrasing content.
const PHRASING_ONLY: &[&str] = &[
    "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "i", "kbd", "mark", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span",
    "strong", "sub", "summary", "sup", "time", "u", "var",
];

/// Elements whose content model is their parent's.
const TRANSPARENT: &[&str] = &["a", "del", "ins"];

/// Elements that are flow content but not phrasing content.
const FLOW_ONLY: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "div",
    "dl",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
];

/// The rule for an element of the HTML namespace.
pub fn element_rule(name: &str) -> ElementRule {
    if KEEP.binary_search(&name).is_ok() {
        return ElementRule::Keep;
    }
    match name {
        "center" => ElementRule::Map("div", Some("center")),
        "font" | "blink" | "marquee" => ElementRule::Map("span", None),
        "big" => ElementRule::Map("span", Some("big")),
        "tt" => ElementRule::Map("code", None),
        "strike" => ElementRule::Map("s", None),
        "acronym" => ElementRule::Map("abbr", None),
        "xmp" | "plaintext" => ElementRule::Map("pre", None),
        // `listing` is as old as `xmp`, but today it is the custom element
        // mdBook preprocessors replace (`<Listing number="1-1">` in Rust's
        // books): it is kept as one.
        "listing" => ElementRule::Custom,
        // Scripts, styles and text the reader could not see or use.
        "script" | "style" | "title" | "textarea" | "template" | "iframe" | "noembed"
        | "noframes" | "noscript" | "head" | "select" | "datalist" | "meta" | "link" | "base"
        | "embed" | "param" | "source" | "track" | "area" | "frame" => ElementRule::Drop,
        // Media and forms: their content is their fallback.
        _ if UNWRAP.binary_search(&name).is_ok() => ElementRule::Unwrap,
        _ => ElementRule::Custom,
    }
}

/// Whether an attribute is kept on an HTML element.
fn attribute_allowed(element: &str, name: &str) -> bool {
    if name.starts_with("aria-") || (name.starts_with("data-") && name.len() > 5) {
        return true;
    }
    match name {
        "id" | "class" | "title" | "lang" | "dir" | "role" | "style" | "hidden" | "epub:type"
        | "xml:lang" | "translate" => true,
        "href" | "hreflang" | "rel" => element == "a",
        "src" | "alt" | "width" | "height" => element == "img",
        "colspan" | "rowspan" | "headers" | "scope" | "abbr" => matches!(element, "td" | "th"),
        "start" | "reversed" => element == "ol",
        "type" => matches!(element, "ol" | "input"),
        "value" => matches!(element, "li" | "data"),
        "datetime" => matches!(element, "time" | "del" | "ins"),
        "cite" => matches!(element, "q" | "blockquote" | "del" | "ins"),
        "span" => matches!(element, "col" | "colgroup"),
        "checked" | "disabled" => element == "input",
        "open" => element == "details",
        _ => false,
    }
}

/// What carries over from one snippet of a chapter to the next.
#[derive(Debug, Default)]
pub struct SnippetState {
    /// How many `<svg>` or `<math>` elements are open: inside them, tags
    /// are written as they are and cleaned up when the chapter is
    /// serialized.
    foreign_depth: usize,
    /// Elements opened by inline HTML and not closed yet. They are closed
    /// at the end of their Markdown block: left open, an HTML parser would
    /// carry them into every block after, and swallow the headings.
    inline_open: Vec<String>,
    /// Custom elements open, by name, with the element each was written
    /// as: its end tag closes that one, in whatever snippet it comes.
    custom_open: Vec<(String, &'static str)>,
}

impl SnippetState {
    /// End tags for the elements inline HTML left open, innermost first.
    pub fn close_inline(&mut self) -> String {
        let mut out = String::new();
        // The custom elements written as spans are closed with them.
        self.custom_open.retain(|(_, element)| *element != "span");
        while let Some(name) = self.inline_open.pop() {
            out.push_str("</");
            out.push_str(&name);
            out.push('>');
        }
        out
    }
}

/// What [`rewrite_snippet`] asks of the writer.
pub trait SnippetHost {
    /// Resolves a link's `href`; `None` drops it (an error was reported).
    fn link(&mut self, href: &str) -> Option<String>;
    /// Resolves an image's `src`; `None` drops it (an error was reported).
    fn image(&mut self, src: &str) -> Option<String>;
    /// Reports something bindery changed in the snippet.
    fn warn(&mut self, code: Code, message: String, help: &'static str);
}

#[derive(Default)]
struct Collect {
    tokens: RefCell<Vec<Token>>,
}

impl TokenSink for Collect {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        self.tokens.borrow_mut().push(token);
        TokenSinkResult::Continue
    }
}

fn tokenize(snippet: &str) -> Vec<Token> {
    let tokenizer = Tokenizer::new(Collect::default(), Default::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from(snippet));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    tokenizer.sink.tokens.take()
}

/// The `id`s and `name`s a snippet declares: link targets.
pub fn declared_ids(snippet: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for token in tokenize(snippet) {
        if let Token::TagToken(tag) = token
            && tag.kind == TagKind::StartTag
        {
            for attr in &tag.attrs {
                let name: &str = &attr.name.local;
                if name == "id" || (name == "name" && &*tag.name == "a") {
                    ids.push(attr.value.to_string());
                }
            }
        }
    }
    ids
}

/// Whether a snippet is nothing but comments and white space.
pub fn is_only_comments(snippet: &str) -> bool {
    tokenize(snippet).iter().all(|t| match t {
        Token::CommentToken(_) | Token::EOFToken | Token::ParseError(_) => true,
        Token::CharacterTokens(text) => text.trim().is_empty(),
        _ => false,
    })
}

/// Writes a snippet back out as HTML with resolved references, reporting
/// what will not survive into the EPUB. Elements EPUB 3 does not allow are
/// mapped, dropped or unwrapped here, so that the parser never sees them.
pub fn rewrite_snippet(
    snippet: &str,
    inline: bool,
    state: &mut SnippetState,
    host: &mut dyn SnippetHost,
) -> String {
    let mut out = String::with_capacity(snippet.len());
    let mut warned: BTreeSet<String> = BTreeSet::new();
    let mut once = |host: &mut dyn SnippetHost, key: String, code, message: String, help| {
        if warned.insert(key) {
            host.warn(code, message, help);
        }
    };
    // The dropped element whose content is being skipped.
    let mut skipping: Option<String> = None;
    for token in tokenize(snippet) {
        if let Some(until) = &skipping {
            if let Token::TagToken(tag) = &token
                && tag.kind == TagKind::EndTag
                && &*tag.name == until.as_str()
            {
                skipping = None;
            }
            continue;
        }
        match token {
            Token::CharacterTokens(text) => escape_into(&mut out, &text, false),
            Token::NullCharacterToken => out.push('\u{FFFD}'),
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                let foreign_depth = &mut state.foreign_depth;
                if *foreign_depth > 0 || is_foreign_root(name) {
                    if is_foreign_root(name) {
                        match tag.kind {
                            TagKind::StartTag if !tag.self_closing => *foreign_depth += 1,
                            TagKind::EndTag => *foreign_depth = foreign_depth.saturating_sub(1),
                            _ => {}
                        }
                    }
                    write_tag_raw(&mut out, &tag);
                    continue;
                }
                let rule = element_rule(name);
                let element = match rule {
                    ElementRule::Keep => name,
                    ElementRule::Map(to, _) => to,
                    ElementRule::Custom => {
                        custom_element(&tag, inline, state, host, &mut out);
                        continue;
                    }
                    ElementRule::Drop | ElementRule::Unwrap => {
                        if tag.kind == TagKind::StartTag {
                            let (message, help) = if rule == ElementRule::Drop {
                                (
                                    format!("`<{name}>` is left out with its content"),
                                    "EPUB content cannot hold scripts, styles, frames or form fields; remove the element",
                                )
                            } else {
                                (
                                    format!(
                                        "`<{name}>` is not an element EPUB 3 allows here: its tag is left out, its content kept"
                                    ),
                                    "write it in Markdown, or as an HTML element EPUB 3 allows",
                                )
                            };
                            once(
                                host,
                                format!("<{name}"),
                                Code::DisallowedElement,
                                message,
                                help,
                            );
                            if rule == ElementRule::Drop && !tag.self_closing {
                                skipping = Some(name.to_string());
                            }
                        }
                        continue;
                    }
                };
                let inline_open = &mut state.inline_open;
                if tag.kind == TagKind::EndTag {
                    if let Some(at) = inline_open.iter().rposition(|open| open == element) {
                        inline_open.remove(at);
                    }
                    out.push_str("</");
                    out.push_str(element);
                    out.push('>');
                    continue;
                }
                if inline && !tag.self_closing && !VOID.contains(&element) {
                    inline_open.push(element.to_string());
                }
                if let ElementRule::Map(to, _) = rule {
                    once(
                        host,
                        format!("<{name}"),
                        Code::DisallowedElement,
                        format!("`<{name}>` is not allowed in EPUB 3; it becomes `<{to}>`"),
                        "use CSS or Markdown instead of presentational HTML",
                    );
                }
                out.push('<');
                out.push_str(element);
                if let ElementRule::Map(_, Some(class)) = rule {
                    out.push_str(" class=\"");
                    out.push_str(class);
                    out.push('"');
                }
                let mut has_alt = false;
                let mut has_id = tag.attrs.iter().any(|a| &*a.name.local == "id");
                for attr in &tag.attrs {
                    let attr_name: &str = &attr.name.local;
                    let mut value = attr.value.to_string();
                    let mut attr_out = attr_name.to_string();
                    if attr_name == "name" && name == "a" && !has_id {
                        attr_out = "id".into();
                        has_id = true;
                    } else if attr_name.starts_with("on") {
                        once(
                            host,
                            format!("@{attr_name}"),
                            Code::DisallowedAttribute,
                            format!("event handler `{attr_name}` is left out"),
                            "EPUB content without scripts cannot run event handlers",
                        );
                        continue;
                    } else if !attribute_allowed(element, attr_name) {
                        once(
                            host,
                            format!("@{attr_name}"),
                            Code::DisallowedAttribute,
                            format!(
                                "attribute `{attr_name}` on `<{name}>` is not allowed in EPUB 3 and is left out"
                            ),
                            "use a class and CSS instead",
                        );
                        continue;
                    } else if attr_name == "class" && matches!(rule, ElementRule::Map(_, Some(_))) {
                        continue;
                    } else if attr_name == "href" {
                        match host.link(&value) {
                            Some(href) => value = href,
                            None => continue,
                        }
                    } else if attr_name == "src" {
                        match host.image(&value) {
                            Some(src) => value = src,
                            None => continue,
                        }
                    }
                    has_alt |= attr_out == "alt";
                    out.push(' ');
                    out.push_str(&attr_out);
                    out.push_str("=\"");
                    escape_into(&mut out, &value, true);
                    out.push('"');
                }
                if element == "img" && !has_alt {
                    host.warn(
                        Code::ImageWithoutAlt,
                        "image without alt text".into(),
                        "add an `alt` attribute describing the image, or `alt=\"\"` if it is decoration",
                    );
                }
                if tag.self_closing {
                    out.push('/');
                }
                out.push('>');
            }
            Token::CommentToken(_)
            | Token::DoctypeToken(_)
            | Token::EOFToken
            | Token::ParseError(_) => {}
        }
    }
    out
}

/// Attributes a custom element keeps as they are on the `<div>` or
/// `<span>` it becomes; every other one becomes `data-NAME`.
const CUSTOM_KEPT: &[&str] = &["dir", "hidden", "id", "lang", "role", "title", "translate"];

/// Writes a custom element's tag ([`ElementRule::Custom`]): a `<div>`, or
/// a `<span>` inside a line of text, whose class is the element's name
/// (and its own classes), with its other attributes as `data-*`. Event
/// handlers are left out, as on any element; an attribute whose name
/// cannot follow `data-` too.
fn custom_element(
    tag: &html5ever::tokenizer::Tag,
    inline: bool,
    state: &mut SnippetState,
    host: &mut dyn SnippetHost,
    out: &mut String,
) {
    let name: &str = &tag.name;
    if tag.kind == TagKind::EndTag {
        if let Some(at) = state.custom_open.iter().rposition(|(open, _)| open == name) {
            let (_, element) = state.custom_open.remove(at);
            if let Some(at) = state.inline_open.iter().rposition(|open| open == element) {
                state.inline_open.remove(at);
            }
            out.push_str("</");
            out.push_str(element);
            out.push('>');
        }
        return;
    }
    let element = if inline { "span" } else { "div" };
    // A name that is not one a class can hold gives no class.
    let mut class = if is_ncname(name) {
        name.to_string()
    } else {
        String::new()
    };
    let mut attributes: Vec<(String, String)> = Vec::new();
    for attr in &tag.attrs {
        let attr_name: &str = &attr.name.local;
        let value = attr.value.to_string();
        if attr_name.starts_with("on") {
            host.warn(
                Code::DisallowedAttribute,
                format!("event handler `{attr_name}` is left out"),
                "EPUB content without scripts cannot run event handlers",
            );
        } else if attr_name == "class" {
            for word in value.split_ascii_whitespace() {
                if !class.is_empty() {
                    class.push(' ');
                }
                class.push_str(word);
            }
        } else if CUSTOM_KEPT.contains(&attr_name)
            || attr_name.starts_with("aria-")
            || attr_name.starts_with("data-")
        {
            if is_ncname(attr_name) {
                attributes.push((attr_name.to_string(), value));
            }
        } else {
            let data = format!("data-{attr_name}");
            if is_ncname(&data) && !attr_name.contains(':') {
                attributes.push((data, value));
            }
        }
    }
    if !class.is_empty() {
        attributes.insert(0, ("class".to_string(), class));
    }
    out.push('<');
    out.push_str(element);
    let mut seen = BTreeSet::new();
    for (name, value) in attributes {
        if !seen.insert(name.clone()) {
            continue;
        }
        out.push(' ');
        out.push_str(&name);
        out.push_str("=\"");
        escape_into(out, &value, true);
        out.push('"');
    }
    if tag.self_closing {
        out.push_str("></");
        out.push_str(element);
        out.push('>');
        return;
    }
    out.push('>');
    state.custom_open.push((name.to_string(), element));
    if inline {
        state.inline_open.push(element.to_string());
    }
}

/// Writes a tag of SVG or MathML back out unchanged (values escaped).
fn write_tag_raw(out: &mut String, tag: &html5ever::tokenizer::Tag) {
    out.push('<');
    if tag.kind == TagKind::EndTag {
        out.push('/');
    }
    out.push_str(&tag.name);
    if tag.kind == TagKind::StartTag {
        for attr in &tag.attrs {
            out.push(' ');
            if (&*attr.name.ns == XLINK_NS || attr.name.prefix.is_some())
                && let Some(prefix) = &attr.name.prefix
            {
                out.push_str(prefix);
                out.push(':');
            }
            out.push_str(&attr.name.local);
            out.push_str("=\"");
            escape_into(out, &attr.value, true);
            out.push('"');
        }
        if tag.self_closing {
            out.push('/');
        }
    }
    out.push('>');
}

fn is_foreign_root(name: &str) -> bool {
    matches!(name, "svg" | "math")
}

/// What the XHTML of a chapter contains, for the package's `properties`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Contains {
    /// Inline SVG.
    pub svg: bool,
    /// MathML.
    pub mathml: bool,
}

impl Contains {
    /// What a finished document holds. Exact, because every `<` in text
    /// and attribute values is escaped: only elements start with one.
    pub fn of(xhtml: &str) -> Self {
        Contains {
            svg: xhtml.contains("<svg"),
            mathml: xhtml.contains("<math"),
        }
    }
}

/// The class of the `div` around every table, which lets a table too
/// wide for the page scroll inside it (see `book.css`).
pub const TABLE_WRAPPER: &str = "table";

const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";
const SVG_NS: &str = "http://www.w3.org/2000/svg";
const MATHML_NS: &str = "http://www.w3.org/1998/Math/MathML";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Parses a chapter body as an HTML5 fragment and writes it as XHTML.
pub fn to_xhtml(body: &str) -> (String, Contains) {
    let dom = parse_fragment(
        RcDom::default(),
        Default::default(),
        QualName::new(None, ns!(html), LocalName::from("section")),
        vec![],
        false,
    )
    .one(body);
    let mut writer = Serializer {
        out: XmlWriter::fragment(),
        contains: Contains::default(),
        ids: BTreeSet::new(),
        stack: Vec::new(),
        wrapped: BTreeSet::new(),
    };
    // The fragment parser puts everything under one `html` element.
    let roots: Vec<Handle> = dom.document.children.borrow().clone();
    for root in roots {
        writer.children(&root, Foreign::None, false);
        writer.run();
    }
    (writer.out.finish(), writer.contains)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Foreign {
    None,
    Svg,
    MathMl,
}

/// What is left to write, the next step last.
enum Step {
    /// A node and everything under it.
    Node(Handle, Foreign, bool),
    /// The end tag of an element whose content has been written.
    End(String),
}

struct Serializer {
    out: XmlWriter,
    contains: Contains,
    ids: BTreeSet<String>,
    /// The tree is walked with a stack of its own rather than by
    /// recursion: HTML nests without limit, and ten thousand `<div>`s
    /// would overflow a thread's stack.
    stack: Vec<Step>,
    /// The tables already inside a wrapper, by their node's address.
    wrapped: BTreeSet<*const markup5ever_rcdom::Node>,
}

impl Serializer {
    /// Writes what is on the stack.
    fn run(&mut self) {
        while let Some(step) = self.stack.pop() {
            match step {
                Step::Node(node, foreign, phrasing) => self.node(&node, foreign, phrasing),
                Step::End(name) => self.out.end(&name),
            }
        }
    }

    /// Puts a node's children on the stack, to be written next.
    fn children(&mut self, node: &Handle, foreign: Foreign, phrasing: bool) {
        let children = node.children.borrow();
        self.stack.extend(
            children
                .iter()
                .rev()
                .map(|child| Step::Node(child.clone(), foreign, phrasing)),
        );
    }

    /// Writes an element's start tag, and puts its content and end tag on
    /// the stack.
    fn start(
        &mut self,
        node: &Handle,
        name: &str,
        attrs: &[(&str, &str)],
        foreign: Foreign,
        phrasing: bool,
    ) {
        self.out.start(name, attrs);
        self.stack.push(Step::End(name.to_string()));
        self.children(node, foreign, phrasing);
    }

    /// Writes a node. `phrasing` is true where only phrasing content is
    /// allowed (inside `p`, `pre`, `span`, headings …): a block element
    /// there, which the HTML parser accepts but EPUB's schema does not,
    /// gives up its tag and keeps its content.
    fn node(&mut self, node: &Handle, foreign: Foreign, phrasing: bool) {
        match &node.data {
            NodeData::Text { contents } => self.out.text(&contents.borrow()),
            NodeData::Element { name, attrs, .. } => {
                let namespace: &str = &name.ns;
                let local: &str = &name.local;
                if namespace == SVG_NS || namespace == MATHML_NS {
                    self.foreign(node, local, namespace, &attrs.borrow(), foreign);
                    return;
                }
                let (element, class) = match element_rule(local) {
                    ElementRule::Keep => (local, None),
                    ElementRule::Map(to, class) => (to, class),
                    ElementRule::Drop => return,
                    // Custom elements were written as `div` or `span` by
                    // `rewrite_snippet`; one that was not is unwrapped.
                    ElementRule::Unwrap | ElementRule::Custom => {
                        return self.children(node, foreign, phrasing);
                    }
                };
                if phrasing && FLOW_ONLY.contains(&element) {
                    return self.children(node, foreign, true);
                }
                let phrasing =
                    phrasing && !TRANSPARENT.contains(&element) || PHRASING_ONLY.contains(&element);
                let mut kept: Vec<(String, String)> = Vec::new();
                for attr in attrs.borrow().iter() {
                    let name: &str = &attr.name.local;
                    if !attribute_allowed(element, name) || !is_attribute_name(name) {
                        continue;
                    }
                    if name == "id"
                        && (!is_ncname(&attr.value) || !self.ids.insert(attr.value.to_string()))
                    {
                        continue;
                    }
                    kept.push((name.to_string(), attr.value.to_string()));
                }
                if let Some(class) = class {
                    match kept.iter_mut().find(|(n, _)| n == "class") {
                        Some((_, value)) => value.push_str(&format!(" {class}")),
                        None => kept.push(("class".into(), class.into())),
                    }
                }
                if element == "img" && !kept.iter().any(|(n, _)| n == "src") {
                    // Its source could not be resolved: show the alt text.
                    let alt = kept
                        .iter()
                        .find(|(n, _)| n == "alt")
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default();
                    self.out
                        .element("span", &[("class", "missing-image")], &alt);
                    return;
                }
                // HTML inside SVG's `foreignObject` or MathML's
                // `annotation-xml` is back in the XHTML namespace, which the
                // SVG or MathML element around it changed.
                let foreign = if foreign == Foreign::None {
                    foreign
                } else {
                    kept.insert(0, ("xmlns".into(), XHTML_NS.into()));
                    Foreign::None
                };
                let attrs: Vec<(&str, &str)> =
                    kept.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
                if element == "div" && attrs == [("class", TABLE_WRAPPER)] {
                    self.note_wrapped_tables(node);
                } else if element == "table" && !self.wrapped.contains(&Rc::as_ptr(node)) {
                    // A table written in HTML gets the wrapper a Markdown
                    // table has.
                    self.out.start("div", &[("class", TABLE_WRAPPER)]);
                    self.stack.push(Step::End("div".into()));
                }
                if VOID.contains(&element) {
                    self.out.empty(element, &attrs);
                } else {
                    self.start(node, element, &attrs, foreign, phrasing);
                }
            }
            NodeData::Document | NodeData::Doctype { .. } | NodeData::Comment { .. } => {}
            NodeData::ProcessingInstruction { .. } => {}
        }
    }

    /// Remembers the tables directly inside a table wrapper, which need no
    /// other.
    fn note_wrapped_tables(&mut self, wrapper: &Handle) {
        for child in wrapper.children.borrow().iter() {
            if matches!(&child.data, NodeData::Element { name, .. } if &*name.local == "table") {
                self.wrapped.insert(Rc::as_ptr(child));
            }
        }
    }

    /// SVG and MathML: written with their namespace on the outermost
    /// element, event handlers and external references left out.
    fn foreign(
        &mut self,
        node: &Handle,
        local: &str,
        namespace: &str,
        attrs: &[html5ever::Attribute],
        parent: Foreign,
    ) {
        let this = if namespace == SVG_NS {
            Foreign::Svg
        } else {
            Foreign::MathMl
        };
        match this {
            Foreign::Svg => self.contains.svg = true,
            _ => self.contains.mathml = true,
        }
        let mut kept: Vec<(String, String)> = Vec::new();
        if parent != this {
            kept.push(("xmlns".into(), namespace.into()));
            // HTML puts `xlink:` attributes in the XLink namespace on MathML
            // as well as on SVG. The outermost SVG or MathML element declares
            // the prefix for everything inside it, so that each node is
            // looked at once.
            if parent == Foreign::None && subtree_uses_xlink(node) {
                kept.push(("xmlns:xlink".into(), XLINK_NS.into()));
            }
        }
        for attr in attrs {
            let name: &str = &attr.name.local;
            let Some(qualified) = foreign_attribute_name(attr) else {
                continue;
            };
            let external = (name == "href") && !attr.value.starts_with('#');
            // However HTML told them apart, a name written twice is not XML.
            if name.starts_with("on") || external || kept.iter().any(|(n, _)| *n == qualified) {
                continue;
            }
            if name == "id" && (!is_ncname(&attr.value) || !self.ids.insert(attr.value.to_string()))
            {
                continue;
            }
            kept.push((qualified, attr.value.to_string()));
        }
        // A prefixed name (`xlink:a`) would put the element in another
        // namespace, or in an undeclared one.
        if !is_ncname(local) {
            return self.children(node, this, false);
        }
        let attrs: Vec<(&str, &str)> = kept.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        self.start(node, local, &attrs, this, false);
    }
}

/// Whether an element or one inside it has an XLink attribute. Walked with
/// a stack, not by recursion, like [`Serializer`].
fn subtree_uses_xlink(node: &Handle) -> bool {
    let mut stack = vec![node.clone()];
    while let Some(node) = stack.pop() {
        if let NodeData::Element { attrs, .. } = &node.data
            && attrs.borrow().iter().any(|a| &*a.name.ns == XLINK_NS)
        {
            return true;
        }
        stack.extend(node.children.borrow().iter().cloned());
    }
    false
}

/// The name an attribute of SVG or MathML is written with, or `None` when
/// it is left out. HTML puts the XLink attributes and `xml:lang`,
/// `xml:space` … in their namespaces; namespace declarations are left out,
/// since the serializer writes its own. Any other name must be an NCName or
/// `epub:` one: an unknown `xlink:t` is not in the XLink namespace, and
/// written as it is, would be.
fn foreign_attribute_name(attr: &html5ever::Attribute) -> Option<String> {
    let local: &str = &attr.name.local;
    let name = match &*attr.name.ns {
        XLINK_NS => format!("xlink:{local}"),
        XML_NS => format!("xml:{local}"),
        "" if local.starts_with("epub:") => local.to_string(),
        "" if is_ncname(local) && local != "xmlns" => local.to_string(),
        _ => return None,
    };
    is_attribute_name(&name).then_some(name)
}

/// Whether a name can be written as an XML attribute or element name
/// (one optional known prefix, otherwise an NCName).
fn is_attribute_name(name: &str) -> bool {
    match name.split_once(':') {
        Some((prefix, local)) => matches!(prefix, "epub" | "xml" | "xlink") && is_ncname(local),
        None => is_ncname(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keep_list_is_sorted_for_binary_search() {
        assert!(UNWRAP.windows(2).all(|w| w[0] < w[1]));
        assert!(KEEP.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn broken_html_becomes_well_formed_xhtml() {
        let (xhtml, _) = to_xhtml("<p>one<p>two<br>three &nbsp; <img src=x.png><b><i>x</b></i>");
        assert_eq!(
            xhtml,
            "<p>one</p><p>two<br/>three \u{a0} <img src=\"x.png\"/><b><i>x</i></b></p>"
        );
    }

    #[test]
    fn every_table_is_wrapped_once() {
        let (xhtml, _) = to_xhtml(
            "<table><tr><td>a</td></tr></table>\
             <div class=\"table\"><table><tr><td>b</td></tr></table></div>\
             <p><table><tr><td>c</td></tr></table></p>",
        );
        assert_eq!(
            xhtml,
            "<div class=\"table\"><table><tbody><tr><td>a</td></tr></tbody></table></div>\
             <div class=\"table\"><table><tbody><tr><td>b</td></tr></tbody></table></div>\
             <p></p><div class=\"table\"><table><tbody><tr><td>c</td></tr></tbody></table></div><p></p>"
        );
    }

    #[test]
    fn custom_elements_keep_their_name_as_a_class_and_their_attributes_as_data() {
        let mut state = SnippetState::default();
        let mut host = Host::default();
        let block = rewrite_snippet(
            "<Listing number=\"2-1\" file-name=\"src/main.rs\" caption=\"A <guess> & more\" class=\"x\" id=\"l1\" onclick=\"evil()\" style=\"color:red\" data-n=\"1\">\n",
            false,
            &mut state,
            &mut host,
        );
        assert_eq!(
            block,
            "<div class=\"listing x\" data-number=\"2-1\" data-file-name=\"src/main.rs\" \
             data-caption=\"A &lt;guess&gt; &amp; more\" id=\"l1\" data-style=\"color:red\" data-n=\"1\">\n"
        );
        assert_eq!(host.warnings, ["B254 event handler `onclick` is left out"]);
        // Its end tag, in a snippet of its own, closes the div.
        assert_eq!(
            rewrite_snippet("</Listing>", false, &mut state, &mut host),
            "</div>"
        );
        // In a line of text it is a span, closed at the end of the block
        // when the text leaves it open.
        let inline = rewrite_snippet("<ferris-says mood=\"happy\">", true, &mut state, &mut host);
        assert_eq!(inline, "<span class=\"ferris-says\" data-mood=\"happy\">");
        assert_eq!(state.close_inline(), "</span>");
        assert_eq!(
            rewrite_snippet("</ferris-says>", true, &mut state, &mut host),
            ""
        );
        // Known elements EPUB does not allow still give up their tag.
        assert_eq!(
            rewrite_snippet("<video>v</video>", false, &mut state, &mut host),
            "v"
        );
        let (xhtml, _) = to_xhtml(&block);
        assert!(
            xhtml.starts_with("<div class=\"listing x\" data-number=\"2-1\""),
            "{xhtml}"
        );
    }

    #[test]
    fn disallowed_elements_are_dropped_mapped_or_unwrapped() {
        let (xhtml, _) = to_xhtml(
            "<center>c</center><font color=red>f</font><script>alert(1)</script><video>v</video><xmp>x</xmp>",
        );
        assert_eq!(
            xhtml,
            "<div class=\"center\">c</div><span>f</span>v<pre>x</pre>"
        );
    }

    #[test]
    fn svg_and_mathml_keep_their_namespace() {
        let (xhtml, contains) = to_xhtml(
            "<svg viewBox=\"0 0 10 10\" onload=\"x()\"><circle r=\"4\"/><a xlink:href=\"#c\"/></svg><math><mi>x</mi></math>",
        );
        assert_eq!(
            xhtml,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 10 10\"><circle r=\"4\"></circle><a xlink:href=\"#c\"></a></svg><math xmlns=\"http://www.w3.org/1998/Math/MathML\"><mi>x</mi></math>"
        );
        assert_eq!(
            contains,
            Contains {
                svg: true,
                mathml: true
            }
        );
    }

    #[test]
    fn duplicate_and_invalid_ids_are_dropped() {
        let (xhtml, _) = to_xhtml("<span id=a>1</span><span id=a>2</span><span id=\"9x\">3</span>");
        assert_eq!(xhtml, "<span id=\"a\">1</span><span>2</span><span>3</span>");
    }

    /// The XHTML of `html`, checked to parse as XML inside a `<section>`.
    fn well_formed(html: &str) -> String {
        let (xhtml, _) = to_xhtml(html);
        let document = format!(
            "<section xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\">{xhtml}</section>"
        );
        if let Err(e) = roxmltree::Document::parse(&document) {
            panic!("{html:?} gave {xhtml}, which is not XML: {e}");
        }
        xhtml
    }

    // Found by `cargo fuzz run html`: `xlink:t` is no XLink attribute, so
    // HTML leaves it unprefixed, and it was written with an undeclared
    // prefix.
    #[test]
    fn unknown_xlink_attribute_on_math_is_left_out() {
        assert_eq!(
            well_formed("<math xlink:t>"),
            "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"></math>"
        );
    }

    #[test]
    fn xlink_href_inside_math_declares_the_xlink_namespace() {
        assert_eq!(
            well_formed("<math><mi xlink:href=\"#c\">x</mi></math>"),
            "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><mi xlink:href=\"#c\">x</mi></math>"
        );
    }

    #[test]
    fn html_inside_svg_is_back_in_the_xhtml_namespace() {
        let (xhtml, _) = to_xhtml(
            "<svg viewBox=\"0 0 10 10\"><foreignObject width=\"10\" height=\"10\"><p>Text <b>bold</b></p><svg><circle r=\"1\"/></svg></foreignObject></svg>",
        );
        assert_eq!(
            xhtml,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><foreignObject width=\"10\" height=\"10\">\
             <p xmlns=\"http://www.w3.org/1999/xhtml\">Text <b>bold</b></p>\
             <svg><circle r=\"1\"></circle></svg></foreignObject></svg>"
        );
        let wrapped = format!("<section xmlns=\"http://www.w3.org/1999/xhtml\">{xhtml}</section>");
        let doc = roxmltree::Document::parse(&wrapped).unwrap();
        let p = doc.descendants().find(|n| n.has_tag_name("p")).unwrap();
        assert_eq!(
            p.tag_name().namespace(),
            Some("http://www.w3.org/1999/xhtml")
        );
    }

    #[test]
    fn foreign_attributes_keep_their_prefix_and_prefixed_elements_lose_their_tag() {
        assert_eq!(
            well_formed(
                "<svg lang=en xml:lang=fr xml:space=preserve xmlns:xlink=\"x\" epub:type=figure><xlink:a>t</xlink:a></svg>"
            ),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" lang=\"en\" xml:lang=\"fr\" xml:space=\"preserve\" epub:type=\"figure\">t</svg>"
        );
    }

    #[test]
    fn deeply_nested_elements_do_not_overflow_the_stack() {
        // Written by recursion, ten thousand nested elements overflowed a
        // thread's stack, which aborts the process.
        let depth = 10_000;
        let html = format!(
            "{}<svg>{}<a xlink:href=\"#x\"/>",
            "<span>".repeat(depth),
            "<g>".repeat(depth)
        );
        let xhtml = std::thread::Builder::new()
            .stack_size(512 * 1024)
            .spawn(move || to_xhtml(&html).0)
            .unwrap()
            .join()
            .unwrap();
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">";
        let expected = format!(
            "{}{svg}{}<a xlink:href=\"#x\"></a>{}</svg>{}",
            "<span>".repeat(depth),
            "<g>".repeat(depth),
            "</g>".repeat(depth),
            "</span>".repeat(depth)
        );
        assert!(xhtml == expected, "{}", &xhtml[..200]);
    }

    #[derive(Default)]
    struct Host {
        warnings: Vec<String>,
    }

    impl SnippetHost for Host {
        fn link(&mut self, href: &str) -> Option<String> {
            Some(format!("resolved:{href}"))
        }
        fn image(&mut self, src: &str) -> Option<String> {
            (src != "bad.png").then(|| format!("img:{src}"))
        }
        fn warn(&mut self, code: Code, message: String, _help: &'static str) {
            self.warnings.push(format!("{code} {message}"));
        }
    }

    #[test]
    fn snippets_get_resolved_references_and_warnings() {
        let mut host = Host {
            warnings: Vec::new(),
        };
        let out = rewrite_snippet(
            "<a name=top href=\"b.md\" onclick=\"x()\">A &amp; B</a><img src=\"p.png\"><img src=bad.png alt=x><center align=left>",
            false,
            &mut SnippetState::default(),
            &mut host,
        );
        assert_eq!(
            out,
            "<a id=\"top\" href=\"resolved:b.md\">A &amp; B</a><img src=\"img:p.png\"><img alt=\"x\"><div class=\"center\">"
        );
        assert_eq!(
            host.warnings,
            [
                "B254 event handler `onclick` is left out",
                "B255 image without alt text",
                "B253 `<center>` is not allowed in EPUB 3; it becomes `<div>`",
                "B254 attribute `align` on `<center>` is not allowed in EPUB 3 and is left out",
            ]
        );
    }

    #[test]
    fn ids_and_comments_are_recognised() {
        assert_eq!(
            declared_ids("<div id=\"x\"><a name=y></a></div>"),
            ["x", "y"]
        );
        assert!(is_only_comments("<!-- a -- b -->\n<!-- c -->"));
        assert!(!is_only_comments("<!-- a --><br>"));
    }
}
