//! What search knows of each page: its kind, title, URL, summary and aliases, and its text cut
//! into passages under their headings. A passage is what a result shows as its excerpt and links
//! to (`url#heading-id`), so it is short: a few sentences.

use std::collections::HashMap;

use crate::content::{Kind, Meta};
use crate::site::{Converted, Entry, EntryId, Site, entry_id};

/// Passages close once they reach this many words, at a sentence or block boundary.
const PASSAGE_MIN_WORDS: usize = 24;
/// And are never longer than this, so that an excerpt fits a phone screen without trimming much.
const PASSAGE_MAX_WORDS: usize = 56;
/// Mark where the text of a link to another page starts and ends while a section is cut into
/// passages (characters of Unicode's private use area, taken out of the text beforehand).
const LINK_OPEN: char = '\u{E000}';
const LINK_CLOSE: char = '\u{E001}';

/// What a search result is: a page of one of the content kinds, or a work of the bibliography.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Content(Kind),
    Reference,
}

impl DocKind {
    /// The name the client filters by: `essay`, …, `reference`.
    pub fn name(self) -> &'static str {
        match self {
            DocKind::Content(kind) => kind.name(),
            DocKind::Reference => "reference",
        }
    }
}

impl From<Kind> for DocKind {
    fn from(kind: Kind) -> DocKind {
        DocKind::Content(kind)
    }
}

impl PartialEq<Kind> for DocKind {
    fn eq(&self, kind: &Kind) -> bool {
        *self == DocKind::Content(*kind)
    }
}

/// One searchable page, or one work of the bibliography.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    pub kind: DocKind,
    /// A question's kind ("opening", "critique"), offered as a filter.
    pub question_kind: Option<String>,
    pub title: String,
    /// Under the base path, without it: `glossary/trust/`; the home page is ``.
    pub url: String,
    /// A term's aliases.
    pub aliases: Vec<String>,
    /// An essay's tags: searched (never shown), and those of several words as phrases, as
    /// glossary names are.
    pub tags: Vec<String>,
    /// The text of the links to the page from other pages: what they call it. Searched, never
    /// shown.
    pub anchors: Vec<String>,
    /// Never empty: a page without text has one empty passage, so a title match has somewhere to
    /// point.
    pub passages: Vec<Passage>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// The heading this passage falls under (``: before the first heading).
    pub heading_id: String,
    pub heading: String,
    pub text: String,
    /// Whether this passage is the item's summary (weighted above body text).
    pub is_summary: bool,
    /// Whether this is the first passage under its heading (where the heading's words count).
    pub opens_section: bool,
    /// Where the text of links to other pages is in `text` (byte ranges, in order): words that
    /// count for less than the passage's own.
    pub links: Vec<(u32, u32)>,
}

/// The included entries of `site` as search documents, in a stable order: grouped by kind (and
/// questions by their kind), so that a kind filter is a range of document numbers.
pub fn documents(site: &Site) -> Vec<Doc> {
    let base = site.config.base_path.as_str();
    use rayon::prelude::*;
    let entries: Vec<(EntryId, &Entry)> = site.included().collect();
    let anchors = anchors(site, &entries);
    let mut docs: Vec<((usize, String), Doc)> = entries
        .par_iter()
        .map(|&(id, e)| document(e, base, anchors.get(&id).map_or(&[][..], Vec::as_slice)))
        .chain(references(site).into_par_iter())
        .map(|d| (group_key(&d), d))
        .collect();
    // Works of the bibliography share their page's URL: their entries' ids tell them apart.
    let id = |d: &Doc| d.passages.first().map(|p| p.heading_id.clone());
    docs.par_sort_unstable_by(|(a, da), (b, db)| {
        a.cmp(b)
            .then_with(|| da.url.cmp(&db.url))
            .then_with(|| id(da).cmp(&id(db)))
    });
    docs.into_iter().map(|(_, d)| d).collect()
}

/// The text of the links to each entry from the others, each text once for each page it is on:
/// what other pages call a page says what it is about.
fn anchors<'s>(site: &'s Site, entries: &[(EntryId, &'s Entry)]) -> HashMap<EntryId, Vec<&'s str>> {
    let mut out: HashMap<EntryId, Vec<&str>> = HashMap::new();
    for (_, e) in entries {
        let mut seen: std::collections::HashSet<(EntryId, &str)> = Default::default();
        for span in &e.body.link_spans {
            let Some(text) = e.body.text.get(span.start..span.end).map(str::trim) else {
                continue;
            };
            if text.is_empty()
                || !site.entry(span.target).included
                || !seen.insert((span.target, text))
            {
                continue;
            }
            out.entry(span.target).or_default().push(text);
        }
    }
    out
}

/// A document's kind's place, then its question kind (lowercase): computed once per document.
fn group_key(d: &Doc) -> (usize, String) {
    let kind = KIND_ORDER.iter().position(|k| *k == d.kind).unwrap_or(0);
    // Questions without a kind sort after the labelled ones.
    let qkind = d
        .question_kind
        .as_deref()
        .map_or_else(|| "\u{10ffff}".to_string(), str::to_lowercase);
    (kind, qkind)
}

/// The order of kinds in the index; the client reads the ranges from the manifest.
pub const KIND_ORDER: [DocKind; 6] = [
    DocKind::Content(Kind::Term),
    DocKind::Content(Kind::Essay),
    DocKind::Content(Kind::Question),
    DocKind::Content(Kind::Session),
    DocKind::Content(Kind::Page),
    DocKind::Reference,
];

/// Each work of the bibliography, found by its authors, title and the rest of its reference,
/// and pointing at its entry on /references/.
fn references(site: &Site) -> Vec<Doc> {
    let Some(references) = &site.references else {
        return Vec::new();
    };
    references
        .entries
        .iter()
        .map(|r| Doc {
            kind: DocKind::Reference,
            question_kind: None,
            title: if r.title.is_empty() {
                r.key.clone()
            } else {
                r.title.clone()
            },
            url: "references/".to_string(),
            // Found by its authors almost as by its title.
            aliases: r.authors.clone(),
            anchors: Vec::new(),
            tags: Vec::new(),
            passages: vec![Passage {
                heading_id: entry_id(&r.key),
                heading: String::new(),
                text: r.text.clone(),
                is_summary: true,
                opens_section: false,
                links: Vec::new(),
            }],
        })
        .collect()
}

fn document(e: &Entry, base: &str, anchors: &[&str]) -> Doc {
    let item = &e.item;
    let (aliases, question_kind) = match &item.meta {
        Meta::Term { aliases, .. } => (aliases.clone(), None),
        Meta::Question { kind, .. } => (Vec::new(), kind.clone()),
        _ => (Vec::new(), None),
    };
    let tags = match &item.meta {
        Meta::Essay { tags, .. } => tags.clone(),
        _ => Vec::new(),
    };
    let mut passages = Vec::new();
    if let Some(summary) = item.summary().filter(|s| !s.trim().is_empty()) {
        passages.push(Passage {
            heading_id: String::new(),
            heading: String::new(),
            text: summary.trim().to_string(),
            is_summary: true,
            opens_section: false,
            links: Vec::new(),
        });
    }
    for (id, heading, text) in sections(&e.body) {
        let mut first = true;
        let marked = mark_links(&e.body, text);
        let mut in_link = false;
        for text in split_passages(&marked) {
            let (text, links) = unmark(text, &mut in_link);
            passages.push(Passage {
                heading_id: id.to_string(),
                heading: heading.to_string(),
                text,
                is_summary: false,
                opens_section: first && !id.is_empty(),
                links,
            });
            first = false;
        }
        // A heading with no text under it still needs a passage for its words to point to.
        if first && !id.is_empty() {
            passages.push(Passage {
                heading_id: id.to_string(),
                heading: heading.to_string(),
                text: String::new(),
                is_summary: false,
                opens_section: true,
                links: Vec::new(),
            });
        }
    }
    if passages.is_empty() {
        passages.push(Passage {
            heading_id: String::new(),
            heading: String::new(),
            text: String::new(),
            is_summary: false,
            opens_section: false,
            links: Vec::new(),
        });
    }
    Doc {
        kind: item.kind.into(),
        question_kind,
        title: item.title.clone(),
        url: e.url.strip_prefix(base).unwrap_or(&e.url).to_string(),
        aliases,
        tags,
        anchors: anchors.iter().map(|a| a.to_string()).collect(),
        passages,
    }
}

/// The body's text cut at its headings: (heading id, heading text, text under it). The text
/// before the first heading has an empty id.
fn sections(body: &Converted) -> Vec<(&str, &str, &str)> {
    let text = body.text.as_str();
    let offsets = &body.heading_offsets;
    // Both are filled together; if they ever disagree, searching the text whole beats panicking.
    if offsets.len() != body.headings.len()
        || offsets.windows(2).any(|w| w[0] > w[1])
        || offsets.last().is_some_and(|&o| o > text.len())
        || offsets.iter().any(|&o| !text.is_char_boundary(o))
    {
        return vec![("", "", text)];
    }
    let mut out = vec![(
        "",
        "",
        &text[..offsets.first().copied().unwrap_or(text.len())],
    )];
    for (n, h) in body.headings.iter().enumerate() {
        let start = offsets[n];
        let end = offsets.get(n + 1).copied().unwrap_or(text.len());
        let section = &text[start..end];
        // The section starts with the heading's own line.
        let under = section.split_once('\n').map_or("", |(_, rest)| rest);
        out.push((h.id.as_str(), h.text.as_str(), under));
    }
    out
}

/// A section's text (a slice of `body.text`) with the text of its links to other pages between
/// `LINK_OPEN` and `LINK_CLOSE`.
fn mark_links<'t>(body: &'t Converted, section: &'t str) -> std::borrow::Cow<'t, str> {
    let marks = [LINK_OPEN, LINK_CLOSE];
    let start = (section.as_ptr() as usize).wrapping_sub(body.text.as_ptr() as usize);
    let end = start.wrapping_add(section.len());
    let inside = start <= body.text.len() && end <= body.text.len();
    let mut spans = body
        .link_spans
        .iter()
        .map(|l| (l.start.max(start), l.end.min(end)))
        .filter(|&(a, b)| a < b && body.text.is_char_boundary(a) && body.text.is_char_boundary(b))
        .peekable();
    // The author's text holds no marks but by the rarest chance: look once.
    let dirty = inside && section.contains(marks);
    if !inside || (spans.peek().is_none() && !dirty) {
        return section.into();
    }
    let clean = |text: &'t str| {
        if dirty {
            without_marks(text)
        } else {
            text.into()
        }
    };
    let mut marked = String::with_capacity(section.len() + 16);
    let mut last = start;
    for (a, b) in spans {
        if a < last {
            continue;
        }
        marked.push_str(&clean(&body.text[last..a]));
        marked.push(LINK_OPEN);
        marked.push_str(&clean(&body.text[a..b]));
        marked.push(LINK_CLOSE);
        last = b;
    }
    marked.push_str(&clean(&body.text[last..end]));
    marked.into()
}

/// `text` without link marks, which the author's text might hold (they are private-use
/// characters).
fn without_marks(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains([LINK_OPEN, LINK_CLOSE]) {
        text.replace([LINK_OPEN, LINK_CLOSE], "").into()
    } else {
        text.into()
    }
}

/// A passage without its link marks, and where its link text is. `in_link` says whether a link's
/// text runs on from the passage before, and is left saying whether one runs on to the next.
fn unmark(passage: String, in_link: &mut bool) -> (String, Vec<(u32, u32)>) {
    if !*in_link && !passage.contains([LINK_OPEN, LINK_CLOSE]) {
        return (passage, Vec::new());
    }
    let mut text = String::with_capacity(passage.len());
    let mut links = Vec::new();
    let mut from = in_link.then_some(0);
    let mut last = 0;
    for (i, mark) in passage.match_indices([LINK_OPEN, LINK_CLOSE]) {
        text.push_str(&passage[last..i]);
        last = i + mark.len();
        if mark.starts_with(LINK_OPEN) {
            from = Some(text.len());
        } else if let Some(a) = from.take() {
            links.push((a as u32, text.len() as u32));
        }
    }
    text.push_str(&passage[last..]);
    *in_link = from.is_some();
    if let Some(a) = from {
        links.push((a as u32, text.len() as u32));
    }
    links.retain(|(a, b)| a < b);
    (text, links)
}

/// A word without the link marks around it.
fn bare(mut word: &str) -> &str {
    // Called for every word: plain byte compares, not a pattern search.
    while let Some(rest) = word
        .strip_prefix(LINK_OPEN)
        .or_else(|| word.strip_prefix(LINK_CLOSE))
    {
        word = rest;
    }
    while let Some(rest) = word
        .strip_suffix(LINK_CLOSE)
        .or_else(|| word.strip_suffix(LINK_OPEN))
    {
        word = rest;
    }
    word
}

/// Cuts a section's text into passages of about PASSAGE_MIN_WORDS..PASSAGE_MAX_WORDS words,
/// at sentence or block boundaries where it can. Blocks (paragraphs, list items, table cells)
/// that do not end a sentence are joined with " · " so that excerpts stay readable. Words are
/// joined by single spaces. One pass over each block's words: this runs over every word of
/// the site.
pub fn split_passages(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut count = 0;
    let mut words: Vec<&str> = Vec::new();
    for block in text.lines() {
        words.clear();
        words.extend(block.split_whitespace());
        let mut block_start = true;
        let mut start = 0;
        while start < words.len() {
            let mut end = start;
            while end + 1 < words.len() && !ends_sentence(words[end], words[end + 1]) {
                end += 1;
            }
            let sentence = &words[start..=end];
            start = end + 1;
            // A sentence longer than a passage is cut into passage-sized runs of words.
            let run = if sentence.len() <= PASSAGE_MAX_WORDS {
                sentence.len()
            } else {
                PASSAGE_MAX_WORDS - 8
            };
            for piece in sentence.chunks(run) {
                if count > 0 && count + piece.len() > PASSAGE_MAX_WORDS {
                    out.push(current.as_str().to_owned());
                    current.clear();
                    count = 0;
                }
                if !current.is_empty() {
                    let ends = bare(&current).ends_with(['.', '!', '?', ':', ';', '…', '"', '”']);
                    current.push_str(if block_start && !ends { " · " } else { " " });
                }
                push_words(&mut current, block, piece);
                count += piece.len();
                block_start = false;
                if count >= PASSAGE_MIN_WORDS {
                    // Copied at its length: every passage of the site is held until the index
                    // is written, and `current` keeps its room for the next.
                    out.push(current.as_str().to_owned());
                    current.clear();
                    count = 0;
                }
            }
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Appends `words` (consecutive words of `block`) joined by single spaces: as one slice of the
/// block where they already are, else word by word.
fn push_words(out: &mut String, block: &str, words: &[&str]) {
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return;
    };
    let start = first.as_ptr() as usize - block.as_ptr() as usize;
    let end = last.as_ptr() as usize - block.as_ptr() as usize + last.len();
    let span = &block[start..end];
    let letters: usize = words.iter().map(|w| w.len()).sum();
    // One byte between words, and that byte a space: the span is the words joined.
    if span.len() == letters + words.len() - 1
        && span.bytes().filter(|&b| b == b' ').count() == words.len() - 1
    {
        out.push_str(span);
        return;
    }
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// Whether a sentence ends between `word` and `next`: after `.`, `?`, `!` or `…` when the next
/// word starts with an uppercase letter, a digit or a quote. Good enough for excerpts, and never
/// splits "e.g. this".
fn ends_sentence(word: &str, next: &str) -> bool {
    let (word, next) = (bare(word), bare(next));
    word.ends_with(['.', '?', '!', '…'])
        && next
            .chars()
            .next()
            .is_some_and(|n| n.is_uppercase() || n.is_numeric() || matches!(n, '"' | '“' | '‘'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_one_passage() {
        assert_eq!(
            split_passages("One sentence. Another one.\n"),
            ["One sentence. Another one."]
        );
    }

    #[test]
    fn long_text_is_cut_at_sentences_within_the_limits() {
        let sentence = "Trust grows slowly between people who keep their word to each other.";
        let text = vec![sentence; 20].join(" ");
        let passages = split_passages(&text);
        assert!(passages.len() > 3);
        for p in &passages {
            let n = p.split_whitespace().count();
            assert!(n <= PASSAGE_MAX_WORDS, "{n} words");
            assert!(p.ends_with('.'), "{p}");
        }
        assert_eq!(
            passages.join(" ").split_whitespace().count(),
            text.split_whitespace().count()
        );
    }

    #[test]
    fn a_sentence_longer_than_a_passage_is_cut_at_words() {
        let text = vec!["word"; 200].join(" ");
        let passages = split_passages(&text);
        assert!(
            passages
                .iter()
                .all(|p| p.split_whitespace().count() <= PASSAGE_MAX_WORDS)
        );
        assert_eq!(passages.join(" ").split_whitespace().count(), 200);
    }

    #[test]
    fn blocks_without_full_stops_are_joined_with_a_dot() {
        assert_eq!(
            split_passages("Col A\nCol B\nEnd.\n"),
            ["Col A · Col B · End."]
        );
    }

    #[test]
    fn words_are_joined_by_single_spaces_whatever_separated_them() {
        assert_eq!(
            split_passages("One  two\tthree\u{a0}four five.\n"),
            ["One two three four five."]
        );
        assert_eq!(
            split_passages("  Already single spaced.  "),
            ["Already single spaced."]
        );
    }

    #[test]
    fn link_text_is_found_again_in_the_passages_it_falls_in() {
        use crate::site::{EntryId, LinkSpan};
        let text = "Read Trust and its limits. Then the notes on it.\n".to_string();
        let start = text.find("Trust").unwrap();
        let end = start + "Trust and its limits".len();
        let target = EntryId(0);
        let body = Converted {
            text,
            link_spans: vec![LinkSpan { start, end, target }],
            ..Converted::default()
        };
        let marked = mark_links(&body, &body.text);
        let mut in_link = false;
        let passages: Vec<(String, Vec<(u32, u32)>)> = split_passages(&marked)
            .into_iter()
            .map(|p| unmark(p, &mut in_link))
            .collect();
        let expected = "Read Trust and its limits. Then the notes on it.".to_string();
        assert_eq!(passages, [(expected, vec![(5, 25)])]);
        // A link's text may run from one passage into the next.
        let mut in_link = false;
        assert_eq!(unmark("a \u{E000}b c".into(), &mut in_link).1, [(2, 5)]);
        assert_eq!(
            unmark("d\u{E001} e".into(), &mut in_link),
            ("d e".into(), vec![(0, 1)])
        );
        assert!(!in_link);
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        assert!(ends_sentence("this.", "Then"));
        assert!(ends_sentence("this?", "“Quoted"));
        assert!(!ends_sentence("e.g.", "this"));
        assert!(!ends_sentence("this", "Then"));
        // A passage cut between sentences keeps the abbreviation's sentence whole.
        let long = format!(
            "See e.g. this {}. Then That.",
            "word ".repeat(30).trim_end()
        );
        let passages = split_passages(&long);
        assert_eq!(passages.len(), 2, "{passages:?}");
        assert!(passages[0].starts_with("See e.g. this word"));
        assert_eq!(passages[1], "Then That.");
    }
}
