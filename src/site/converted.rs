//! An item's body after conversion: its HTML and what it links to, headings, text and problems.

use serde::Serialize;

use super::EntryId;
use crate::diagnostics::Diagnostic;

/// What an item's body links to and where, plus its HTML.
#[derive(Debug, Clone, Default)]
pub struct Converted {
    pub html: String,
    /// Every heading in the output, in order.
    pub headings: Vec<Heading>,
    /// Every heading id, including those in facilitator notes of a public build, so that links to
    /// them validate the same in every build.
    pub ids: Vec<String>,
    pub links: Vec<OutLink>,
    pub fragments: Vec<FragmentRef>,
    pub diagnostics: Vec<Diagnostic>,
    /// The visible text, for search and word counts.
    pub text: String,
    /// Where each of `headings` starts in `text` (byte offsets), so search can split the text
    /// into sections.
    pub heading_offsets: Vec<usize>,
    /// Where the text of each link to another page is in `text` (byte ranges, in order) and
    /// the page it links to, so search can tell a page's own words from the titles it links to,
    /// and read what other pages call a page.
    pub link_spans: Vec<LinkSpan>,
    pub words: usize,
    pub has_notes: bool,
    /// The ids of headings inside facilitator notes: public text must not link to them.
    pub note_ids: Vec<String>,
    /// The citations the page shows, in order: the `n`th is written into `html` and `text` as
    /// `cite_marker(n)`, for `links` to replace with the citation formatted.
    pub citations: Vec<Cite>,
    /// The entries cited where this build shows nothing (facilitator notes of a public build):
    /// cited all the same, though no page shows it.
    pub cited_unshown: Vec<usize>,
}

/// What stands in a converted body for its `n`th citation until it is formatted. Content never
/// holds a NUL (it is replaced as a file is read), so no text can be taken for a marker.
pub fn cite_marker(n: usize) -> String {
    format!("\0{n}\0")
}

/// A citation as written: `[@a, p. 12; @b]`, or `@a` in the running text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cite {
    pub items: Vec<CiteItem>,
    /// `@key` in the running text ("Allen (2021) argues"), not `[@key]`.
    pub narrative: bool,
}

/// One work in a citation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteItem {
    /// The entry's place in the bibliography (the file's order).
    pub entry: usize,
    /// Text before the key: `see` in `[see @a]`.
    pub prefix: String,
    /// A CSL locator and its value: `p. 12` is ("page", "12").
    pub locator: Option<(&'static str, String)>,
    /// Text after the locator: `, emphasis added`.
    pub suffix: String,
    /// `[-@a]`: the year without the author, who is named in the sentence.
    pub suppress_author: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// The text of a link to another page: `text[start..end]` links to `target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkSpan {
    pub start: usize,
    pub end: usize,
    pub target: EntryId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutLink {
    pub target: EntryId,
    /// Made by glossary auto-linking rather than written by the author.
    pub auto: bool,
    /// Written as a wikilink or auto-link, which a term's card opens from; a Markdown link is
    /// an ordinary link.
    pub card: bool,
}

/// A `#heading-id` on a link to an item, checked once every item's headings are known.
#[derive(Debug, Clone)]
pub struct FragmentRef {
    pub target: EntryId,
    pub id: String,
    pub line: usize,
    pub col: usize,
    /// Written inside facilitator notes, where a link to another note's heading is fine.
    pub in_notes: bool,
}
