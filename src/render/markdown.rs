//! Markdown → HTML for one item, with every reference resolved: wikilinks, links to content
//! files, glossary auto-links, heading ids, facilitator notes. Records what the item links to,
//! so that backlinks are known before any page is rendered.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::config::Autolink;
use crate::content::{Item, Kind, Meta};
use crate::diagnostics::{Diagnostic, line_col};
use crate::links::autolink::Autolinker;
use crate::links::index::{Index, Lookup};

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
    pub words: usize,
    pub has_notes: bool,
    /// The ids of headings inside facilitator notes: public text must not link to them.
    pub note_ids: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutLink {
    pub target: usize,
    /// Made by glossary auto-linking rather than written by the author.
    pub auto: bool,
}

/// A `#heading-id` on a link to another item, checked once every item's headings are known.
#[derive(Debug, Clone)]
pub struct FragmentRef {
    pub target: usize,
    pub id: String,
    pub line: usize,
    pub col: usize,
    /// Written inside facilitator notes, where a link to another note's heading is fine.
    pub in_notes: bool,
}

/// Everything conversion needs to know about the rest of the site.
pub struct LinkContext<'a> {
    pub items: &'a [Item],
    pub index: &'a Index,
    pub autolinker: &'a Autolinker,
    pub urls: &'a [String],
    /// Whether each item is part of this build (drafts are not, without --drafts).
    pub included: &'a [bool],
    pub facilitator: bool,
    pub autolink: Autolink,
    pub base_path: &'a str,
    /// Each item's link attributes, escaped once when first needed (`anchors()` makes the
    /// empty cells): a glossary term is linked from thousands of pages.
    pub anchors: &'a [OnceLock<Anchor>],
}

/// The escaped parts of a link to one item: its URL, and its attributes after the class.
#[derive(Debug)]
pub struct Anchor {
    href: String,
    attrs: String,
}

/// One empty cell per item, for `LinkContext::anchors`.
pub fn anchors(items: usize) -> Vec<OnceLock<Anchor>> {
    (0..items).map(|_| OnceLock::new()).collect()
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}

struct HeadingInfo {
    start: usize,
    end: usize,
    level: HeadingLevel,
    text: String,
    id: String,
}

/// Converts item `me` of `ctx.items`.
pub fn convert(me: usize, ctx: &LinkContext) -> Converted {
    let item = &ctx.items[me];
    let body = item.source.body();
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();
    let events = drop_repeated_definitions(events);
    let headings = heading_info(&events);
    let notes = notes_ranges(&headings, &events);
    // A note defined inside facilitator notes is not in a public build: nor are references to it.
    let shown_notes: HashSet<String> = events
        .iter()
        .enumerate()
        .filter(|(i, _)| ctx.facilitator || !notes.iter().any(|r| r.contains(i)))
        .filter_map(|(_, (e, _))| match e {
            Event::Start(Tag::FootnoteDefinition(name)) => Some(name.to_string()),
            _ => None,
        })
        .collect();
    let mut conv = Converter {
        ctx,
        me,
        item,
        out: Vec::with_capacity(events.len()),
        result: Converted {
            ids: headings.iter().map(|h| h.id.clone()).collect(),
            has_notes: !notes.is_empty(),
            note_ids: headings
                .iter()
                .filter(|h| notes.iter().any(|r| r.contains(&h.start)))
                .map(|h| h.id.clone())
                .collect(),
            ..Default::default()
        },
        linked_terms: HashSet::new(),
        autolink: item.autolink.unwrap_or(ctx.autolink),
        footnote_refs: Vec::new(),
        footnote_defs: Vec::new(),
        footnote_ids: Vec::new(),
        shown_notes,
        own_headings: headings
            .iter()
            .map(|h| (h.id.clone(), h.text.clone()))
            .collect(),
        local_refs: Vec::new(),
    };
    conv.run(events, &headings, &notes);
    let mut result = conv.finish();
    result.words = result.text.split_whitespace().count();
    result
}

/// Ids the built-in theme gives elements of the pages that show a body: a heading must not take
/// one, or the page would have two elements with the same id.
const THEME_IDS: &[&str] = &[
    "main",
    "lectern-toc",
    "relations-heading",
    "session-readings",
    "session-questions",
    "session-terms",
    "syllabus-heading",
    "site-search-input",
    "search-page-input",
];

fn heading_info(events: &[(Event, Range<usize>)]) -> Vec<HeadingInfo> {
    let mut used: HashSet<String> = THEME_IDS.iter().map(|s| s.to_string()).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i].0 {
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                    text.push_str(t);
                }
                j += 1;
            }
            // A custom id given twice gets a suffix like any other repeat: ids must be unique.
            let id = match id {
                Some(custom) => unique_id(custom, &used),
                None => unique_id(&heading_id(&text), &used),
            };
            used.insert(id.clone());
            out.push(HeadingInfo {
                start: i,
                end: j,
                level: *level,
                text: text.trim().to_string(),
                id,
            });
            i = j;
        }
        i += 1;
    }
    out
}

/// Lowercase; Unicode letters and digits kept; runs of anything else become `-`, trimmed.
pub fn heading_id(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !id.is_empty() {
                id.push('-');
            }
            dash = false;
            id.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    if id.is_empty() {
        "section".to_string()
    } else {
        id
    }
}

fn unique_id(base: &str, used: &HashSet<String>) -> String {
    if !used.contains(base) {
        return base.to_string();
    }
    (1..)
        .map(|n| format!("{base}-{n}"))
        .find(|c| !used.contains(c))
        .unwrap_or_default()
}

fn is_notes_heading(text: &str) -> bool {
    text.trim()
        .trim_end_matches(':')
        .eq_ignore_ascii_case("facilitator notes")
}

/// Event ranges covered by "Facilitator notes" sections: from the heading to the next heading
/// of the same or a higher level in the same container (a list item, a quote, the page), or to
/// the end of that container, so that a section never takes half of a list or a quote with it.
fn notes_ranges(headings: &[HeadingInfo], events: &[(Event, Range<usize>)]) -> Vec<Range<usize>> {
    let depth = nesting_depths(events);
    let mut out: Vec<Range<usize>> = Vec::new();
    for h in headings {
        if !is_notes_heading(&h.text) || out.last().is_some_and(|r| r.contains(&h.start)) {
            continue;
        }
        let level = depth[h.start];
        let end = (h.end + 1..events.len())
            .find(|&j| match &events[j].0 {
                Event::Start(Tag::Heading { level: l, .. }) => depth[j] == level && *l <= h.level,
                Event::End(_) => depth[j] < level,
                _ => false,
            })
            .unwrap_or(events.len());
        out.push(h.start..end);
    }
    out
}

/// How many elements enclose each event (for a start or end tag: the elements around it).
fn nesting_depths(events: &[(Event, Range<usize>)]) -> Vec<usize> {
    let mut depth = 0usize;
    events
        .iter()
        .map(|(event, _)| match event {
            Event::Start(_) => {
                depth += 1;
                depth - 1
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                depth
            }
            _ => depth,
        })
        .collect()
}

/// A footnote defined twice keeps its first definition, as a link reference would: the events
/// of a later one are dropped before anything counts its headings, links or references.
fn drop_repeated_definitions<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
) -> Vec<(Event<'a>, Range<usize>)> {
    let mut defined: HashSet<String> = HashSet::new();
    let mut dropping = false;
    events
        .into_iter()
        .filter(|(event, _)| match event {
            Event::Start(Tag::FootnoteDefinition(name)) => {
                dropping = !defined.insert(name.to_string());
                !dropping
            }
            Event::End(TagEnd::FootnoteDefinition) if dropping => {
                dropping = false;
                false
            }
            _ => !dropping,
        })
        .collect()
}

/// Whether a piece of inline HTML opens (`Some(true)`) or closes (`Some(false)`) an `<a>`.
fn raw_anchor(html: &str) -> Option<bool> {
    let tag = html.trim().to_ascii_lowercase();
    if tag.starts_with("</a>") || tag.starts_with("</a ") {
        Some(false)
    } else if tag.starts_with("<a>") || tag.starts_with("<a ") || tag.starts_with("<a\n") {
        Some(true)
    } else {
        None
    }
}

/// How to close a link that is open in the output.
#[derive(Clone, Copy, PartialEq, Eq)]
enum OpenLink {
    /// An ordinary Markdown link: the parser's own end tag.
    Parser,
    /// A resolved wikilink: we wrote `<a …>`, so we write `</a>`.
    Raw,
    /// A wikilink rendered as plain text: nothing to close.
    Plain,
}

struct Converter<'a, 'c> {
    ctx: &'c LinkContext<'c>,
    me: usize,
    item: &'c Item,
    out: Vec<Event<'a>>,
    result: Converted,
    linked_terms: HashSet<usize>,
    autolink: Autolink,
    /// Footnote names in order of first reference, with how often each was referenced.
    footnote_refs: Vec<(String, usize)>,
    /// Footnote definitions, rendered apart from the flow and listed at the end.
    footnote_defs: Vec<(String, Vec<Event<'a>>)>,
    /// Footnote names with the ids given to them, unique on the page.
    footnote_ids: Vec<(String, String)>,
    /// Footnotes whose definitions this build shows.
    shown_notes: HashSet<String>,
    /// This page's heading ids and texts, to label `[[#id]]` links by their heading.
    own_headings: Vec<(String, String)>,
    /// Markdown links to `#id` on this page, checked once the page's HTML is known.
    local_refs: Vec<FragmentRef>,
}

impl<'a, 'c> Converter<'a, 'c> {
    fn run(
        &mut self,
        events: Vec<(Event<'a>, Range<usize>)>,
        headings: &[HeadingInfo],
        notes: &[Range<usize>],
    ) {
        // Inside headings, links, images, code and raw HTML nothing is auto-linked.
        let mut suppress = 0usize;
        let mut pending: Option<CowStr<'a>> = None;
        let mut open_links: Vec<OpenLink> = Vec::new();
        // While set, the events of an unpiped wikilink's raw target are dropped.
        let mut skip_inner = false;
        let mut heading_text: Option<String> = None;
        // `<a>` elements the author wrote as HTML and that are open: no link may go inside one.
        let mut raw_anchors = 0usize;
        // While inside a footnote definition, `self.out` collects it and the flow waits here.
        let mut flow: Option<(String, Vec<Event<'a>>)> = None;

        let len = events.len();
        for (i, (event, range)) in events.into_iter().enumerate() {
            let in_notes = notes.iter().any(|r| r.contains(&i));
            let hidden = in_notes && !self.ctx.facilitator;
            // Closed before the first event after the section, whatever the last one inside was.
            if self.ctx.facilitator && notes.iter().any(|r| r.end == i) {
                self.flush_text(&mut pending, suppress > 0, true);
                self.out.push(Event::Html("</section>\n".into()));
            }
            if self.ctx.facilitator && notes.iter().any(|r| r.start == i) {
                self.flush_text(&mut pending, suppress > 0, in_notes);
                self.out.push(Event::Html(
                    "<section class=\"facilitator-notes\" aria-label=\"Facilitator notes\">\n"
                        .into(),
                ));
            }
            if skip_inner && !matches!(event, Event::End(TagEnd::Link)) {
                continue;
            }
            if let Event::Text(t) = &event {
                if !hidden {
                    self.result.text.push_str(t);
                    if let Some(h) = heading_text.as_mut() {
                        h.push_str(t);
                    }
                    // Merged across the parser's splits so that a term is seen whole.
                    pending = Some(match pending.take() {
                        Some(p) => format!("{p}{t}").into(),
                        None => t.clone(),
                    });
                }
                continue;
            }
            self.flush_text(&mut pending, suppress > 0, in_notes);
            if hidden {
                // Links inside hidden notes are still checked, so a public build fails the same.
                if let Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    ..
                }) = &event
                {
                    if let LinkType::WikiLink { has_pothole } = link_type {
                        let _ = self.wikilink(dest_url, *has_pothole, &range, true, true);
                    } else {
                        let _ = self.rewrite_link(dest_url, &range, true, true);
                    }
                }
                continue;
            }
            match event {
                Event::Start(Tag::Heading {
                    level,
                    classes,
                    attrs,
                    ..
                }) => {
                    suppress += 1;
                    let id = headings
                        .iter()
                        .find(|h| h.start == i)
                        .map(|h| h.id.clone())
                        .unwrap_or_default();
                    heading_text = Some(String::new());
                    self.result.heading_offsets.push(self.result.text.len());
                    self.out.push(Event::Start(Tag::Heading {
                        level,
                        id: Some(id.into()),
                        classes,
                        attrs,
                    }));
                }
                Event::End(TagEnd::Heading(level)) => {
                    suppress = suppress.saturating_sub(1);
                    let id = headings
                        .iter()
                        .find(|h| h.end == i)
                        .map(|h| h.id.clone())
                        .unwrap_or_default();
                    let text = heading_text.take().unwrap_or_default().trim().to_string();
                    self.result.headings.push(Heading {
                        level: level as u8,
                        id,
                        text,
                    });
                    self.result.text.push('\n');
                    self.out.push(Event::End(TagEnd::Heading(level)));
                }
                Event::Start(Tag::Link {
                    link_type: LinkType::WikiLink { has_pothole },
                    dest_url,
                    ..
                }) => {
                    suppress += 1;
                    let written = self.out.len();
                    let (mut open, label) =
                        self.wikilink(&dest_url, has_pothole, &range, in_notes, false);
                    if raw_anchors > 0 && open == OpenLink::Raw {
                        // Inside the author's own `<a>`, the link shows as its text.
                        self.out.remove(written);
                        open = OpenLink::Plain;
                    }
                    if let Some(label) = label {
                        self.result.text.push_str(&label);
                        if let Some(h) = heading_text.as_mut() {
                            h.push_str(&label);
                        }
                        skip_inner = true;
                    }
                    open_links.push(open);
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    suppress += 1;
                    match self.rewrite_link(&dest_url, &range, in_notes, true) {
                        Some(dest) => {
                            open_links.push(OpenLink::Parser);
                            self.out.push(Event::Start(Tag::Link {
                                link_type,
                                dest_url: dest,
                                title,
                                id,
                            }));
                        }
                        // A link to a draft left out of this build: its text stays, as text.
                        None => open_links.push(OpenLink::Plain),
                    }
                }
                Event::End(TagEnd::Link) => {
                    suppress = suppress.saturating_sub(1);
                    skip_inner = false;
                    match open_links.pop() {
                        Some(OpenLink::Raw) => self.out.push(Event::Html("</a>".into())),
                        Some(OpenLink::Plain) => {}
                        Some(OpenLink::Parser) | None => self.out.push(Event::End(TagEnd::Link)),
                    }
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    suppress += 1;
                    let dest = self
                        .rewrite_link(&dest_url, &range, in_notes, false)
                        .unwrap_or(dest_url);
                    self.out.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url: dest,
                        title,
                        id,
                    }));
                }
                Event::Start(tag @ (Tag::CodeBlock(_) | Tag::HtmlBlock)) => {
                    suppress += 1;
                    self.out.push(Event::Start(tag));
                }
                Event::End(end @ (TagEnd::Image | TagEnd::CodeBlock | TagEnd::HtmlBlock)) => {
                    suppress = suppress.saturating_sub(1);
                    self.result.text.push('\n');
                    self.out.push(Event::End(end));
                }
                Event::Start(Tag::FootnoteDefinition(name)) => {
                    flow = Some((name.to_string(), std::mem::take(&mut self.out)));
                }
                Event::End(TagEnd::FootnoteDefinition) => {
                    if let Some((name, main)) = flow.take() {
                        let def = std::mem::replace(&mut self.out, main);
                        self.footnote_defs.push((name, def));
                    }
                }
                Event::InlineHtml(html) => {
                    match raw_anchor(&html) {
                        Some(true) => {
                            raw_anchors += 1;
                            suppress += 1;
                        }
                        Some(false) if raw_anchors > 0 => {
                            raw_anchors -= 1;
                            suppress = suppress.saturating_sub(1);
                        }
                        _ => {}
                    }
                    self.out.push(Event::InlineHtml(html));
                }
                Event::FootnoteReference(name) => {
                    if self.shown_notes.contains(name.as_ref()) {
                        let html = self.footnote_reference(&name);
                        self.out.push(Event::Html(html.into()));
                    }
                }
                Event::Code(code) => {
                    self.result.text.push_str(&code);
                    if let Some(h) = heading_text.as_mut() {
                        h.push_str(&code);
                    }
                    self.out.push(Event::Code(code));
                }
                Event::SoftBreak | Event::HardBreak => {
                    self.result.text.push(' ');
                    self.out.push(event);
                }
                Event::End(end) => {
                    if matches!(
                        end,
                        TagEnd::Paragraph
                            | TagEnd::Item
                            | TagEnd::TableCell
                            | TagEnd::BlockQuote(_)
                    ) {
                        self.result.text.push('\n');
                    }
                    self.out.push(Event::End(end));
                }
                other => self.out.push(other),
            }
        }
        let notes_at_end = notes.iter().any(|r| r.end == len);
        self.flush_text(&mut pending, suppress > 0, notes_at_end);
        if self.ctx.facilitator && notes_at_end {
            self.out.push(Event::Html("</section>\n".into()));
        }
    }

    fn finish(mut self) -> Converted {
        let mut html = String::with_capacity(self.item.source.body().len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, std::mem::take(&mut self.out).into_iter());
        self.push_footnotes(&mut html);
        // A link to `#id` on the same page needs the id: a heading's (checked with the links
        // to other pages' headings, facilitator notes and all), or one the page or its theme
        // gives an element. `#top` is the top of any page.
        for f in std::mem::take(&mut self.local_refs) {
            let elsewhere = f.id == "top"
                || THEME_IDS.contains(&f.id.as_str())
                || html.contains(&format!(" id=\"{}\"", escape_attr(&f.id)))
                || html.contains(&format!(" id='{}'", escape_attr(&f.id)));
            if self.result.ids.contains(&f.id) || !elsewhere {
                self.result.fragments.push(f);
            }
        }
        self.result.html = html;
        self.result
    }

    /// `<sup>` for a footnote reference, numbered in order of first reference.
    fn footnote_reference(&mut self, name: &str) -> String {
        let (number, count) = match self.footnote_refs.iter().position(|(n, _)| n == name) {
            Some(p) => {
                self.footnote_refs[p].1 += 1;
                (p + 1, self.footnote_refs[p].1)
            }
            None => {
                self.footnote_refs.push((name.to_string(), 1));
                (self.footnote_refs.len(), 1)
            }
        };
        let id = self.footnote_id(name);
        let ref_id = if count == 1 {
            format!("fnref-{id}")
        } else {
            format!("fnref-{id}-{count}")
        };
        format!(
            "<sup class=\"footnote-ref\"><a href=\"#fn-{id}\" id=\"{ref_id}\" role=\"doc-noteref\">{number}</a></sup>"
        )
    }

    /// The id shared by a footnote's `fn-` and `fnref-` ids: from its name, with a suffix when
    /// another name or a heading already gives the same.
    fn footnote_id(&mut self, name: &str) -> String {
        if let Some((_, id)) = self.footnote_ids.iter().find(|(n, _)| n == name) {
            return id.clone();
        }
        let base = heading_id(name);
        let taken = |id: &str| {
            self.footnote_ids.iter().any(|(_, i)| i == id)
                || self
                    .result
                    .ids
                    .iter()
                    .any(|h| *h == format!("fn-{id}") || *h == format!("fnref-{id}"))
        };
        let id = std::iter::once(base.clone())
            .chain((1..).map(|n| format!("{base}-{n}")))
            .find(|c| !taken(c))
            .unwrap_or(base);
        self.footnote_ids.push((name.to_string(), id.clone()));
        id
    }

    /// The footnotes section: referenced notes in order, each with links back to its references.
    fn push_footnotes(&mut self, html: &mut String) {
        if self.footnote_defs.is_empty() {
            return;
        }
        let mut defs = std::mem::take(&mut self.footnote_defs);
        let rank = |name: &str| {
            self.footnote_refs
                .iter()
                .position(|(n, _)| n == name)
                .unwrap_or(usize::MAX)
        };
        defs.sort_by_key(|(name, _)| rank(name));
        html.push_str(
            "<section class=\"footnotes\" role=\"doc-endnotes\" aria-label=\"Notes\">\n<ol>\n",
        );
        for (name, events) in defs {
            let id = self.footnote_id(&name);
            let mut body = String::new();
            pulldown_cmark::html::push_html(&mut body, events.into_iter());
            let count = self
                .footnote_refs
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(0, |(_, c)| *c);
            let backrefs: String = (1..=count)
                .map(|k| {
                    let target = if k == 1 { format!("fnref-{id}") } else { format!("fnref-{id}-{k}") };
                    format!(" <a href=\"#{target}\" class=\"footnote-backref\" role=\"doc-backlink\" aria-label=\"Back to reference\">↩</a>")
                })
                .collect();
            let body = body.trim_end();
            let body = match body.strip_suffix("</p>") {
                Some(head) => format!("{head}{backrefs}</p>"),
                None => format!("{body}{backrefs}"),
            };
            html.push_str(&format!("<li id=\"fn-{id}\">\n{body}\n</li>\n"));
        }
        html.push_str("</ol>\n</section>\n");
    }

    fn flush_text(&mut self, pending: &mut Option<CowStr<'a>>, suppressed: bool, in_notes: bool) {
        let Some(text) = pending.take() else { return };
        if suppressed || self.autolink == Autolink::Off {
            self.out.push(Event::Text(text));
            return;
        }
        let mut last = 0;
        for (range, term) in self.ctx.autolinker.find(&text) {
            if term == self.me
                || (self.autolink == Autolink::First && self.linked_terms.contains(&term))
            {
                continue;
            }
            self.linked_terms.insert(term);
            if range.start > last {
                self.out
                    .push(Event::Text(text[last..range.start].to_string().into()));
            }
            self.out
                .push(Event::Html(self.anchor_open(term, None, true).into()));
            self.out
                .push(Event::Text(text[range.clone()].to_string().into()));
            self.out.push(Event::Html("</a>".into()));
            if !in_notes || self.ctx.facilitator {
                self.result.links.push(OutLink {
                    target: term,
                    auto: true,
                });
            }
            last = range.end;
        }
        if last == 0 {
            self.out.push(Event::Text(text));
        } else if last < text.len() {
            self.out.push(Event::Text(text[last..].to_string().into()));
        }
    }

    /// The opening `<a>` of a link to item `target`, with a term's summary for its card.
    fn anchor_open(&self, target: usize, fragment: Option<&str>, auto: bool) -> String {
        let t = &self.ctx.items[target];
        let anchor = self.ctx.anchors[target].get_or_init(|| Anchor {
            href: escape_attr(&self.ctx.urls[target]),
            attrs: match &t.meta {
                Meta::Term { summary, .. } => format!(
                    " data-term=\"{}\" data-term-name=\"{}\" title=\"{}\"",
                    escape_attr(&t.slug),
                    escape_attr(&t.title),
                    escape_attr(summary)
                ),
                _ => format!(" class=\"xref xref-{}\"", t.kind.name()),
            },
        });
        let mut a = String::with_capacity(anchor.href.len() + anchor.attrs.len() + 64);
        a.push_str("<a href=\"");
        a.push_str(&anchor.href);
        if let Some(f) = fragment {
            a.push('#');
            a.push_str(&escape_attr(f));
        }
        a.push('"');
        if matches!(t.meta, Meta::Term { .. }) {
            a.push_str(if auto {
                " class=\"term-link auto\""
            } else {
                " class=\"term-link\""
            });
        }
        a.push_str(&anchor.attrs);
        a.push('>');
        a
    }

    /// Resolves `[[…]]`, writing the opening of the link (or plain text when it cannot be made).
    /// Returns how to close it, and the label written when the raw target text is to be skipped.
    fn wikilink(
        &mut self,
        dest: &str,
        piped: bool,
        range: &Range<usize>,
        in_notes: bool,
        hidden: bool,
    ) -> (OpenLink, Option<String>) {
        let (reference, fragment) = match dest.split_once('#') {
            Some((r, f)) => (r, Some(f)),
            None => (dest, None),
        };
        let (line, col) = self.position(range.start);
        let found = if reference.trim().is_empty() {
            Lookup::Found(self.me)
        } else {
            self.ctx.index.lookup(self.ctx.items, reference)
        };
        let target = match found {
            Lookup::Found(t) => t,
            Lookup::Missing { suggestion } => {
                let d = self
                    .error(
                        line,
                        col,
                        format!("link to `{reference}`, which does not exist"),
                    )
                    .with_hint(match suggestion {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => {
                            "link by file name (slug), `kind/slug`, a term's alias, or `session/N`"
                                .to_string()
                        }
                    });
                self.result.diagnostics.push(d);
                return self.plain(dest, piped, hidden);
            }
            Lookup::Unloaded => return self.plain(dest, piped, hidden),
            Lookup::Ambiguous(candidates) => {
                let list = candidates
                    .iter()
                    .map(|c| format!("`[[{c}]]`"))
                    .collect::<Vec<_>>()
                    .join(" or ");
                let d = self
                    .error(
                        line,
                        col,
                        format!(
                            "`[[{reference}]]` is ambiguous: several items are called `{reference}`"
                        ),
                    )
                    .with_hint(format!("write {list}"));
                self.result.diagnostics.push(d);
                return self.plain(dest, piped, hidden);
            }
        };
        if let Some(id) = fragment {
            self.result.fragments.push(FragmentRef {
                target,
                id: id.to_string(),
                line,
                col,
                in_notes,
            });
        }
        let own_heading = (target == self.me)
            .then(|| fragment.and_then(|f| self.own_headings.iter().find(|(id, _)| id == f)))
            .flatten();
        let label = match own_heading {
            Some((_, text)) => text.clone(),
            None => link_label(&self.ctx.items[target], reference),
        };
        if !self.ctx.included[target] {
            self.warn_draft(line, col, target);
            return self.plain(&label, piped, hidden);
        }
        if !in_notes || self.ctx.facilitator {
            self.result.links.push(OutLink {
                target,
                auto: false,
            });
        }
        if self.ctx.items[target].kind == Kind::Term {
            self.linked_terms.insert(target);
        }
        if hidden {
            return (OpenLink::Plain, None);
        }
        self.out.push(Event::Html(
            self.anchor_open(target, fragment, false).into(),
        ));
        if piped {
            (OpenLink::Raw, None)
        } else {
            self.out.push(Event::Text(label.clone().into()));
            (OpenLink::Raw, Some(label))
        }
    }

    /// A link that cannot be made shows as its label: the author's for piped links, else `label`.
    fn plain(&mut self, label: &str, piped: bool, hidden: bool) -> (OpenLink, Option<String>) {
        if piped || hidden {
            return (OpenLink::Plain, None);
        }
        self.out.push(Event::Text(label.to_string().into()));
        (OpenLink::Plain, Some(label.to_string()))
    }

    /// Warns that a link to `target`, a draft left out of this build, shows as plain text.
    fn warn_draft(&mut self, line: usize, col: usize, target: usize) {
        let d = Diagnostic::warning(
            &self.item.path,
            line,
            col,
            format!(
                "link to draft `{}` is shown as plain text",
                self.ctx.items[target].slug
            ),
        )
        .with_source(&self.item.source.text)
        .with_hint("build with --drafts to include drafts, or remove `draft: true`");
        self.result.diagnostics.push(d);
    }

    /// Rewrites a Markdown link or image target: `x.md` files to their URLs, root-relative paths
    /// under the base path. Anything else is left alone. None for a link to a draft that this
    /// build leaves out, which shows as its text.
    fn rewrite_link(
        &mut self,
        dest: &CowStr<'a>,
        range: &Range<usize>,
        in_notes: bool,
        is_link: bool,
    ) -> Option<CowStr<'a>> {
        let d: &str = dest;
        if is_link && let Some(id) = d.strip_prefix('#').filter(|id| !id.is_empty()) {
            let (line, col) = self.position(range.start);
            self.local_refs.push(FragmentRef {
                target: self.me,
                id: crate::links::index::percent_decode(id),
                line,
                col,
                in_notes,
            });
        }
        if d.starts_with("//")
            || d.contains("://")
            || d.starts_with("mailto:")
            || d.starts_with('#')
            || d.is_empty()
        {
            return Some(dest.clone());
        }
        let (path, fragment) = match d.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (d, None),
        };
        if is_link && path.to_ascii_lowercase().ends_with(".md") {
            let (line, col) = self.position(range.start);
            return match self.ctx.index.lookup_path(&self.item.path, path) {
                Some(target) if !self.ctx.included[target] => {
                    self.warn_draft(line, col, target);
                    None
                }
                Some(target) => {
                    if let Some(id) = fragment {
                        self.result.fragments.push(FragmentRef {
                            target,
                            id: id.to_string(),
                            line,
                            col,
                            in_notes,
                        });
                    }
                    if !in_notes || self.ctx.facilitator {
                        self.result.links.push(OutLink {
                            target,
                            auto: false,
                        });
                    }
                    let mut url = self.ctx.urls[target].clone();
                    if let Some(f) = fragment {
                        url.push('#');
                        url.push_str(f);
                    }
                    Some(url.into())
                }
                None if self.ctx.index.is_unloaded_path(&self.item.path, path) => {
                    Some(dest.clone())
                }
                None => {
                    let paths: Vec<String> = self
                        .ctx
                        .index
                        .paths()
                        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                        .collect();
                    let name = std::path::Path::new(path)
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned());
                    let hint = name
                        .and_then(|n| {
                            crate::diagnostics::did_you_mean(&n, paths.iter().map(String::as_str))
                        })
                        .map(|s| format!("did you mean `{s}`? Paths are relative to this file"))
                        .unwrap_or_else(|| {
                            "paths are relative to this file, e.g. `../glossary/trust.md`"
                                .to_string()
                        });
                    let d = self
                        .error(
                            line,
                            col,
                            format!("link to `{path}`, which is not a content file"),
                        )
                        .with_hint(hint);
                    self.result.diagnostics.push(d);
                    Some(dest.clone())
                }
            };
        }
        if let Some(rest) = d.strip_prefix('/')
            && !d.starts_with(self.ctx.base_path)
        {
            return Some(format!("{}{rest}", self.ctx.base_path).into());
        }
        Some(dest.clone())
    }

    fn position(&self, body_offset: usize) -> (usize, usize) {
        line_col(
            &self.item.source.text,
            self.item.source.body_start + body_offset,
        )
    }

    fn error(&self, line: usize, col: usize, message: String) -> Diagnostic {
        Diagnostic::error(&self.item.path, line, col, message).with_source(&self.item.source.text)
    }
}

/// The text of an unpiped wikilink: the target's title. A term named in lowercase mid-sentence
/// keeps the author's case (`[[reliance]]` reads "reliance", not "Reliance") when the reference is
/// the term's name and the name is a plain phrase; an alias shows as written.
fn link_label(target: &Item, reference: &str) -> String {
    let title = &target.title;
    let written = match reference.split_once('/') {
        Some((kind, name)) if Kind::from_name(kind.trim()).is_some() => name.trim(),
        _ => reference.trim(),
    };
    let Meta::Term { aliases, .. } = &target.meta else {
        return title.clone();
    };
    let lower = written.to_lowercase();
    if aliases.iter().any(|a| a.to_lowercase() == lower) {
        return written.to_string();
    }
    let mut chars = title.chars();
    let Some(first) = chars.next() else {
        return title.clone();
    };
    let written_lower = written.chars().next().is_some_and(char::is_lowercase);
    // "Bowlby attachment" named by `[[bowlby]]`, or "DBT", or "Epistemic Trust": a proper noun,
    // an acronym or a title-cased name keeps its capitals.
    let names_it = lower.replace('-', " ") == title.to_lowercase().replace('-', " ");
    let plain = !chars.any(char::is_uppercase);
    if written_lower && names_it && plain && first.is_uppercase() {
        first.to_lowercase().chain(title.chars().skip(1)).collect()
    } else {
        title.clone()
    }
}

pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
