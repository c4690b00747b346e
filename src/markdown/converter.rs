//! The walk over one body's events: each event group has its method, and the state of the walk
//! (what is open, what text waits for glossary matching) lives in the `Converter`.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::LinkContext;
use super::footnotes::Footnotes;
use super::images::OpenImage;
use super::layout::{Layout, THEME_IDS};
use crate::config::Autolink;
use crate::content::{Item, Kind};
use crate::site::{Converted, EntryId, FragmentRef, Heading, LinkSpan, OutLink};
use crate::text::escape_attr;

/// How to close a link that is open in the output.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum OpenLink {
    /// An ordinary Markdown link: the parser's own end tag.
    Parser,
    /// A resolved wikilink: we wrote `<a …>`, so we write `</a>`.
    Raw,
    /// A wikilink rendered as plain text: nothing to close.
    Plain,
}

/// Where the pieces of a run of text came from: (offset in the text, range in the body).
pub(super) type Pieces = Vec<(usize, Range<usize>)>;

pub(super) struct Converter<'a, 'c> {
    pub(super) ctx: &'c LinkContext<'c>,
    layout: &'c Layout,
    pub(super) me: EntryId,
    pub(super) item: &'c Item,
    pub(super) out: Vec<Event<'a>>,
    pub(super) result: Converted,
    pub(super) linked_terms: HashSet<EntryId>,
    autolink: Autolink,
    footnotes: Footnotes<'a>,
    /// This page's heading ids and texts, to label `[[#id]]` links by their heading.
    pub(super) own_headings: Vec<(String, String)>,
    /// Markdown links to `#id` on this page, checked once the page's HTML is known.
    pub(super) local_refs: Vec<FragmentRef>,
    /// Inside headings, links, images, code and raw HTML nothing is auto-linked.
    pub(super) suppress: usize,
    /// Text waiting for glossary matching and citations, merged across the parser's splits so
    /// that a term or a citation is seen whole.
    pub(super) pending: Option<CowStr<'a>>,
    /// Where each piece of `pending` came from: (offset in `pending`, range in the body).
    pub(super) pieces: Pieces,
    /// The length of `result.text` before `pending` began.
    pub(super) text_start: usize,
    /// Text a public build does not show (facilitator notes), waiting to have its citations
    /// checked, with its pieces.
    pub(super) hidden: Option<(String, Pieces)>,
    /// How deep hidden text is inside code, links and headings.
    pub(super) hidden_depth: usize,
    open_links: Vec<OpenLink>,
    /// While set, the events of an unpiped wikilink's raw target are dropped.
    skip_inner: bool,
    /// The text of the heading being read.
    heading_text: Option<String>,
    /// Where in `result.text` the text of the open link began, and the page it links to, when
    /// that is another page.
    link_text_from: Option<(usize, EntryId)>,
    /// `<a>` elements the author wrote as HTML and that are open: no link may go inside one.
    raw_anchors: usize,
    /// While inside a footnote definition, `out` collects it and the flow waits here.
    flow: Option<(String, Vec<Event<'a>>)>,
    /// The last position asked for: (byte offset in the file, line, column).
    pub(super) cursor: std::cell::Cell<(usize, usize, usize)>,
    /// The image whose alt text is being read, and how many came before it.
    pub(super) image: Option<OpenImage>,
    pub(super) images: usize,
}

impl<'a, 'c> Converter<'a, 'c> {
    pub(super) fn new(ctx: &'c LinkContext<'c>, me: EntryId, layout: &'c Layout) -> Self {
        let item = ctx.item(me);
        let result = Converted {
            ids: layout.headings.iter().map(|h| h.id.clone()).collect(),
            has_notes: !layout.notes.is_empty(),
            note_ids: layout
                .headings
                .iter()
                .filter(|h| layout.in_notes(h))
                .map(|h| h.id.clone())
                .collect(),
            ..Default::default()
        };
        Converter {
            ctx,
            layout,
            me,
            item,
            out: Vec::new(),
            footnotes: Footnotes::new(&result.ids),
            result,
            linked_terms: HashSet::new(),
            autolink: item.autolink.unwrap_or(ctx.autolink),
            own_headings: layout
                .headings
                .iter()
                .map(|h| (h.id.clone(), h.text.clone()))
                .collect(),
            local_refs: Vec::new(),
            suppress: 0,
            pending: None,
            pieces: Vec::new(),
            text_start: 0,
            hidden: None,
            hidden_depth: 0,
            open_links: Vec::new(),
            skip_inner: false,
            heading_text: None,
            link_text_from: None,
            raw_anchors: 0,
            flow: None,
            cursor: std::cell::Cell::new((0, 1, 1)),
            image: None,
            images: 0,
        }
    }

    pub(super) fn run(mut self, events: Vec<(Event<'a>, Range<usize>)>) -> Converted {
        let layout = self.layout;
        let len = events.len();
        self.out.reserve(len);
        let facilitator = self.ctx.facilitator;
        for (i, (event, range)) in events.into_iter().enumerate() {
            let in_notes = layout.in_notes[i];
            let hidden = in_notes && !facilitator;
            if facilitator {
                self.section_boundary(layout, i, in_notes);
            }
            if self.skip_inner && !matches!(event, Event::End(TagEnd::Link)) {
                continue;
            }
            if self.image.is_some() && !hidden {
                self.inside_image(&event);
                continue;
            }
            if let Event::Text(t) = &event {
                if hidden {
                    self.hidden_text(t, &range);
                } else {
                    self.text(t, &range);
                }
                continue;
            }
            if matches!(event, Event::SoftBreak) && !hidden && self.citation_open() {
                // A citation's brackets may span lines: the break joins its text.
                self.join_break(&range);
                continue;
            }
            self.flush_text(in_notes);
            self.check_hidden_citations();
            if hidden {
                self.check_hidden(&event, &range);
                continue;
            }
            self.event(i, event, &range, in_notes);
        }
        let notes_at_end = layout.notes_end[len];
        self.flush_text(notes_at_end);
        self.check_hidden_citations();
        if facilitator && notes_at_end {
            self.out.push(Event::Html("</section>\n".into()));
        }
        self.finish()
    }

    /// Closes and opens the sections that wrap facilitator notes in a facilitator build: closed
    /// before the first event after the section, whatever the last one inside was.
    fn section_boundary(&mut self, layout: &Layout, i: usize, in_notes: bool) {
        if layout.notes_end[i] {
            self.flush_text(true);
            self.out.push(Event::Html("</section>\n".into()));
        }
        if layout.notes_start[i] {
            self.flush_text(in_notes);
            let label = escape_attr(self.ctx.strings.get("facilitator_notes"));
            self.out.push(Event::Html(
                format!("<section class=\"facilitator-notes\" aria-label=\"{label}\">\n").into(),
            ));
        }
    }

    fn text(&mut self, t: &CowStr<'a>, range: &Range<usize>) {
        if self.pending.is_none() {
            self.text_start = self.result.text.len();
            self.pieces.clear();
        }
        let at = self.pending.as_ref().map_or(0, |p| p.len());
        self.pieces.push((at, range.clone()));
        self.result.text.push_str(t);
        if let Some(h) = self.heading_text.as_mut() {
            h.push_str(t);
        }
        self.pending = Some(match self.pending.take() {
            Some(p) => format!("{p}{t}").into(),
            None => t.clone(),
        });
    }

    /// Links and images inside notes a public build hides are still checked, so that it fails
    /// the same.
    fn check_hidden(&mut self, event: &Event<'a>, range: &Range<usize>) {
        // Code, links and headings hold no citations, hidden or not.
        match event {
            Event::Start(
                Tag::CodeBlock(_)
                | Tag::HtmlBlock
                | Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::Heading { .. },
            ) => self.hidden_depth += 1,
            Event::End(
                TagEnd::CodeBlock
                | TagEnd::HtmlBlock
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Heading(_),
            ) => self.hidden_depth = self.hidden_depth.saturating_sub(1),
            _ => {}
        }
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) => {
                let _ = self.wikilink(dest_url, *has_pothole, range, true, true);
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let _ = self.rewrite_link(dest_url, range, true);
            }
            Event::Start(Tag::Image { dest_url, .. }) => self.check_hidden_image(dest_url, range),
            _ => {}
        }
    }

    fn event(&mut self, i: usize, event: Event<'a>, range: &Range<usize>, in_notes: bool) {
        let layout = self.layout;
        match event {
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                if let Some((key, _)) = attrs.first() {
                    self.refuse_heading_attribute(key, range);
                }
                let id = layout.heading(i).map(|h| h.id.clone()).unwrap_or_default();
                if self.anchors_heading(level) {
                    let class = format!("<div class=\"heading-anchored anchored-{level}\">\n");
                    self.out.push(Event::Html(class.into()));
                }
                self.start_heading(Tag::Heading {
                    level,
                    id: Some(id.into()),
                    classes,
                    attrs: Vec::new(),
                });
            }
            Event::End(TagEnd::Heading(level)) => {
                let id = layout.heading(i).map(|h| h.id.clone()).unwrap_or_default();
                self.end_heading(level, id);
            }
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) => {
                let (links, from) = (self.result.links.len(), self.result.text.len());
                self.start_wikilink(&dest_url, has_pothole, range, in_notes);
                self.mark_link_text(links, from);
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.suppress += 1;
                let links = self.result.links.len();
                let rewritten = self.rewrite_link(&dest_url, range, in_notes);
                self.mark_link_text(links, self.result.text.len());
                match rewritten {
                    Some(dest) => {
                        self.open_links.push(OpenLink::Parser);
                        self.out.push(Event::Start(Tag::Link {
                            link_type,
                            dest_url: dest,
                            title,
                            id,
                        }));
                    }
                    // A link to a draft left out of this build: its text stays, as text.
                    None => self.open_links.push(OpenLink::Plain),
                }
            }
            Event::End(TagEnd::Link) => self.end_link(),
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => self.start_image(&dest_url, &title, range),
            other => self.block_or_inline(other),
        }
    }

    /// A heading's `{…}` may give an id and classes; any other attribute (`onclick=…`, say)
    /// could carry script or styles into the page.
    fn refuse_heading_attribute(&mut self, key: &str, range: &Range<usize>) {
        let (line, col) = self.position(range.start);
        let d = self
            .error(
                line,
                col,
                format!("a heading's `{{…}}` may set only an id and classes, not `{key}`"),
            )
            .with_hint("write `{#an-id .a-class}` after the heading, or remove the attribute");
        self.result.diagnostics.push(d);
    }

    fn start_heading(&mut self, tag: Tag<'a>) {
        self.suppress += 1;
        self.heading_text = Some(String::new());
        self.result.heading_offsets.push(self.result.text.len());
        self.out.push(Event::Start(tag));
    }

    fn end_heading(&mut self, level: pulldown_cmark::HeadingLevel, id: String) {
        self.suppress = self.suppress.saturating_sub(1);
        let text = self
            .heading_text
            .take()
            .unwrap_or_default()
            .trim()
            .to_string();
        self.result.headings.push(Heading {
            level: level as u8,
            id,
            text,
        });
        self.result.text.push('\n');
        self.out.push(Event::End(TagEnd::Heading(level)));
        if self.anchors_heading(level) {
            let id = escape_attr(self.result.headings.last().map_or("", |h| h.id.as_str()));
            let label = escape_attr(self.ctx.strings.get("link_to_section"));
            self.out.push(Event::Html(
                format!(
                    "<a class=\"heading-anchor\" href=\"#{id}\" aria-label=\"{label}\"><span aria-hidden=\"true\">#</span></a>\n</div>\n"
                )
                .into(),
            ));
        }
    }

    /// Whether a heading gets a link to itself: an essay's sections and subsections (h2–h4),
    /// which readers cite and share. The link stands beside the heading, not inside it, so
    /// that the heading's name (read by screen readers, listed in the contents, indexed for
    /// search) is its text alone.
    fn anchors_heading(&self, level: pulldown_cmark::HeadingLevel) -> bool {
        use pulldown_cmark::HeadingLevel::{H2, H3, H4};
        self.item.kind == Kind::Essay && matches!(level, H2 | H3 | H4)
    }

    /// Events that need no resolving: code, raw HTML, footnotes, breaks and block ends.
    fn block_or_inline(&mut self, event: Event<'a>) {
        match event {
            Event::Start(tag @ (Tag::CodeBlock(_) | Tag::HtmlBlock)) => {
                self.suppress += 1;
                self.out.push(Event::Start(tag));
            }
            Event::End(end @ (TagEnd::CodeBlock | TagEnd::HtmlBlock)) => {
                self.suppress = self.suppress.saturating_sub(1);
                self.result.text.push('\n');
                self.out.push(Event::End(end));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                self.flow = Some((name.to_string(), std::mem::take(&mut self.out)));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((name, main)) = self.flow.take() {
                    let def = std::mem::replace(&mut self.out, main);
                    self.footnotes.define(name, def);
                }
            }
            Event::InlineHtml(html) => {
                match raw_anchor(&html) {
                    Some(true) => {
                        self.raw_anchors += 1;
                        self.suppress += 1;
                    }
                    Some(false) if self.raw_anchors > 0 => {
                        self.raw_anchors -= 1;
                        self.suppress = self.suppress.saturating_sub(1);
                    }
                    _ => {}
                }
                self.out.push(Event::InlineHtml(html));
            }
            Event::FootnoteReference(name) => {
                if self.layout.shown_footnotes.contains(name.as_ref()) {
                    let html = self.footnotes.reference(&name);
                    self.out.push(Event::Html(html.into()));
                }
            }
            Event::Code(code) => {
                self.result.text.push_str(&code);
                if let Some(h) = self.heading_text.as_mut() {
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
                    TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::BlockQuote(_)
                ) {
                    self.result.text.push('\n');
                }
                self.out.push(Event::End(end));
            }
            other => self.out.push(other),
        }
    }

    fn start_wikilink(&mut self, dest: &str, piped: bool, range: &Range<usize>, in_notes: bool) {
        self.suppress += 1;
        let written = self.out.len();
        let (mut open, label) = self.wikilink(dest, piped, range, in_notes, false);
        if self.raw_anchors > 0 && open == OpenLink::Raw {
            // Inside the author's own `<a>`, the link shows as its text.
            self.out.remove(written);
            open = OpenLink::Plain;
        }
        if let Some(label) = label {
            self.result.text.push_str(&label);
            if let Some(h) = self.heading_text.as_mut() {
                h.push_str(&label);
            }
            self.skip_inner = true;
        }
        self.open_links.push(open);
    }

    /// Starts a link's text span when the link just opened (whose `OutLink`s start at `links`)
    /// goes to another page.
    fn mark_link_text(&mut self, links: usize, from: usize) {
        let me = self.me;
        let elsewhere = self.result.links[links..]
            .iter()
            .find(|l| !l.auto && l.target != me);
        self.link_text_from = elsewhere.map(|l| (from, l.target));
    }

    fn end_link(&mut self) {
        self.suppress = self.suppress.saturating_sub(1);
        self.skip_inner = false;
        if let Some((start, target)) = self.link_text_from.take()
            && self.result.text.len() > start
        {
            let end = self.result.text.len();
            self.result.link_spans.push(LinkSpan { start, end, target });
        }
        match self.open_links.pop() {
            Some(OpenLink::Raw) => self.out.push(Event::Html("</a>".into())),
            Some(OpenLink::Plain) => {}
            Some(OpenLink::Parser) | None => self.out.push(Event::End(TagEnd::Link)),
        }
    }

    /// Writes the waiting text, with its citations marked for formatting and glossary terms
    /// linked where this page links them.
    fn flush_text(&mut self, in_notes: bool) {
        let Some(text) = self.pending.take() else {
            return;
        };
        if self.suppress > 0 {
            self.out.push(Event::Text(text));
            return;
        }
        if text.contains('@') {
            self.cite_and_link(text, in_notes);
        } else {
            self.link_terms(text, in_notes);
        }
    }

    /// Writes `text` with glossary terms linked where this page links them.
    pub(super) fn link_terms(&mut self, text: CowStr<'a>, in_notes: bool) {
        if text.is_empty() {
            return;
        }
        if self.autolink == Autolink::Off {
            self.out.push(Event::Text(text));
            return;
        }
        let mut last = 0;
        for (range, term) in self.ctx.targets.mentions(&text) {
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
                    card: true,
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

    fn finish(mut self) -> Converted {
        let mut html = String::with_capacity(self.item.source.body().len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, std::mem::take(&mut self.out).into_iter());
        std::mem::replace(&mut self.footnotes, Footnotes::new(&[]))
            .render(&mut html, self.ctx.strings);
        // A link to `#id` on the same page needs the id: a heading's (checked with the links
        // to other pages' headings, facilitator notes and all), or one the page or its theme
        // gives an element. `#top` is the top of any page.
        if !self.local_refs.is_empty() {
            let given = crate::text::element_ids(&html);
            for f in std::mem::take(&mut self.local_refs) {
                let elsewhere = f.id == "top"
                    || THEME_IDS.contains(&f.id.as_str())
                    || given.contains(escape_attr(&f.id).as_str());
                if self.result.ids.contains(&f.id) || !elsewhere {
                    self.result.fragments.push(f);
                }
            }
        }
        // Every page's body stays in memory until the site is written: keep no spare capacity.
        html.shrink_to_fit();
        self.result.html = html;
        self.result.text.shrink_to_fit();
        self.result
    }
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
