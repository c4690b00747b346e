//! The shape of a body before conversion: its headings with their ids, and the spans that
//! facilitator notes cover. Computed once, so that conversion asks per event in constant time.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use crate::text::{IdSet, heading_id};

/// Ids the built-in theme gives elements of the pages that show a body: a heading must not take
/// one, or the page would have two elements with the same id.
pub const THEME_IDS: &[&str] = &[
    "main",
    "lectern-toc",
    "relations-heading",
    "references-heading",
    "session-readings",
    "session-questions",
    "session-terms",
    "syllabus-heading",
    "site-search-input",
    "search-page-input",
];

pub struct HeadingInfo {
    /// Event indices of the heading's start and end tags.
    pub start: usize,
    pub end: usize,
    pub level: HeadingLevel,
    pub text: String,
    pub id: String,
}

pub struct Layout {
    pub headings: Vec<HeadingInfo>,
    /// Event ranges covered by "Facilitator notes" sections, in order, not overlapping.
    pub notes: Vec<Range<usize>>,
    /// For each event (and one past the last): whether it is inside notes, whether a notes
    /// section starts or ends there, and the heading whose start or end tag it is.
    pub in_notes: Vec<bool>,
    pub notes_start: Vec<bool>,
    pub notes_end: Vec<bool>,
    pub heading_at: Vec<Option<usize>>,
    /// Footnotes whose definitions this build shows (one inside hidden notes is not shown, nor
    /// are references to it).
    pub shown_footnotes: HashSet<String>,
}

impl Layout {
    pub fn of(events: &[(Event, Range<usize>)], facilitator: bool) -> Layout {
        let headings = heading_info(events);
        let notes = notes_ranges(&headings, events);
        let n = events.len();
        let mut in_notes = vec![false; n + 1];
        let mut notes_start = vec![false; n + 1];
        let mut notes_end = vec![false; n + 1];
        for r in &notes {
            in_notes[r.clone()].fill(true);
            notes_start[r.start] = true;
            notes_end[r.end] = true;
        }
        let mut heading_at = vec![None; n + 1];
        for (k, h) in headings.iter().enumerate() {
            heading_at[h.start] = Some(k);
            heading_at[h.end] = Some(k);
        }
        let shown_footnotes = events
            .iter()
            .enumerate()
            .filter(|(i, _)| facilitator || !in_notes[*i])
            .filter_map(|(_, (e, _))| match e {
                Event::Start(Tag::FootnoteDefinition(name)) => Some(name.to_string()),
                _ => None,
            })
            .collect();
        Layout {
            headings,
            notes,
            in_notes,
            notes_start,
            notes_end,
            heading_at,
            shown_footnotes,
        }
    }

    /// The heading whose start or end tag is event `i`.
    pub fn heading(&self, i: usize) -> Option<&HeadingInfo> {
        self.heading_at[i].map(|k| &self.headings[k])
    }

    /// Whether heading `h` is inside facilitator notes.
    pub fn in_notes(&self, h: &HeadingInfo) -> bool {
        self.in_notes[h.start]
    }
}

fn heading_info(events: &[(Event, Range<usize>)]) -> Vec<HeadingInfo> {
    let mut used = IdSet::with_taken(THEME_IDS.iter().copied());
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
                Some(custom) => used.claim(custom),
                None => used.claim(&heading_id(&text)),
            };
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
    // A heading inside a section found already is skipped, so sections do not overlap and no
    // event is searched twice.
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
