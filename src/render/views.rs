//! What templates see: the site's collections and each page's values, as Tera values built once
//! per render and shared by reference-counted clones.

use rayon::prelude::*;
use tera::Value;

use crate::content::{Citation, Date, EssaySource, Kind, Meta};
use crate::i18n::Strings;
use crate::site::{Entry, EntryId, Site, Tag, entry_id, fragment, reference_id};
use crate::text::fold;

/// A Tera map under construction.
#[derive(Default)]
pub(super) struct Obj(tera::Map);

impl Obj {
    pub(super) fn set(&mut self, key: &'static str, value: impl Into<Value>) -> &mut Obj {
        self.0.insert(key.into(), value.into());
        self
    }

    pub(super) fn value(self) -> Value {
        Value::from(self.0)
    }
}

/// Every included entry's summary (what listings and relation lists show of it).
pub(super) struct Views {
    summaries: Vec<Value>,
    /// Each tag's value by slug, for the tag links of essays.
    tags: std::collections::HashMap<String, Value>,
    /// Each essay's place among the essays and each question's among the questions (listing
    /// order), for their previous and next.
    places: Vec<Option<usize>>,
}

impl Views {
    pub(super) fn new(site: &Site) -> Views {
        let strings = &site.config.strings;
        let summaries = site
            .entries
            .par_iter()
            .map(|e| {
                if e.included {
                    summary(e, strings)
                } else {
                    Value::none()
                }
            })
            .collect();
        let tags = site
            .tags
            .iter()
            .map(|t| (t.slug.clone(), tag_value(site, t)))
            .collect();
        let mut places = vec![None; site.entries.len()];
        for list in [&site.essays, &site.questions] {
            for (place, id) in list.iter().enumerate() {
                places[id.index()] = Some(place);
            }
        }
        Views {
            summaries,
            tags,
            places,
        }
    }

    /// Whether entry `id`'s summary is still the one made for it.
    pub(super) fn holds(&self, site: &Site, id: EntryId) -> bool {
        let e = site.entry(id);
        let now = if e.included {
            summary(e, &site.config.strings)
        } else {
            Value::none()
        };
        self.summaries.get(id.index()) == Some(&now)
    }

    pub(super) fn of(&self, id: EntryId) -> Value {
        self.summaries[id.index()].clone()
    }

    pub(super) fn list(&self, list: &[EntryId]) -> Value {
        Value::from(list.iter().map(|&i| self.of(i)).collect::<Vec<_>>())
    }

    /// A new map holding the summary of entry `id`, to add fields to.
    pub(super) fn with_summary(&self, id: EntryId) -> Obj {
        Obj(self.summaries[id.index()]
            .as_map()
            .cloned()
            .unwrap_or_default())
    }
}

/// What a listing shows of an entry.
fn summary(e: &Entry, strings: &Strings) -> Value {
    let (question_kind, number) = match &e.item.meta {
        Meta::Session { number, .. } => (None, Some(*number)),
        Meta::Question { kind, .. } => (kind.as_deref(), None),
        _ => (None, None),
    };
    let date = e.item.date();
    let mut o = Obj::default();
    o.set("kind", e.item.kind.name())
        .set("slug", e.item.slug.as_str())
        .set("title", e.item.title.as_str())
        .set("url", e.url.as_str())
        .set("summary", e.item.summary())
        .set("session", e.item.session())
        .set("order", e.item.order())
        .set("question_kind", question_kind)
        .set("date", date.map(|d| d.to_string()))
        .set("date_display", date.map(|d| format_date(strings, d)))
        .set("number", number)
        .set("reading_time", reading_time(e.body.words))
        .set("draft", e.item.draft);
    o.value()
}

/// A date the site's language's way: "14 January 2026", "14. Januar 2026".
pub fn format_date(strings: &Strings, date: Date) -> String {
    let month = u8::try_from(date.month).unwrap_or(0);
    let day = u8::try_from(date.day).unwrap_or(0);
    strings.date(date.year, month, day)
}

/// Minutes at a reading pace of 220 words a minute, at least one.
pub fn reading_time(words: usize) -> usize {
    words.div_ceil(220).max(1)
}

/// The collections every template can use, built once per render.
pub(super) fn site_value(site: &Site, views: &Views) -> Value {
    let sessions: Vec<Value> = site
        .sessions
        .iter()
        .map(|s| {
            let mut o = views.with_summary(s.entry);
            o.set("essays", views.list(&s.essays))
                .set("questions", views.list(&s.questions))
                .set("terms", views.list(&s.terms));
            o.value()
        })
        .collect();
    let mut question_kinds: Vec<&str> = site
        .questions
        .iter()
        .filter_map(|&q| match &site.entry(q).item.meta {
            Meta::Question { kind, .. } => kind.as_deref(),
            _ => None,
        })
        .collect();
    question_kinds.sort_by_key(|k| k.to_lowercase());
    question_kinds.dedup_by_key(|k| k.to_lowercase());
    let mut o = Obj::default();
    o.set("essays", views.list(&site.essays))
        .set("terms", views.list(&site.terms))
        .set("questions", views.list(&site.questions))
        .set("pages", views.list(&site.pages))
        .set("sessions", sessions)
        .set(
            "question_kinds",
            question_kinds
                .into_iter()
                .map(String::from)
                .collect::<Vec<_>>(),
        )
        .set(
            "tags",
            site.tags
                .iter()
                .map(|t| tag_value(site, t))
                .collect::<Vec<_>>(),
        )
        .set(
            "feed_url",
            site.has_feed()
                .then(|| format!("{}atom.xml", site.config.base_path)),
        )
        .set(
            "calendar_url",
            site.has_calendar()
                .then(|| format!("{}sessions.ics", site.config.base_path)),
        )
        .set("has_references", site.references.is_some())
        .set("facilitator", site.options.facilitator)
        .set("drafts", site.options.drafts)
        .set("generator", concat!("lectern ", env!("CARGO_PKG_VERSION")));
    o.value()
}

/// The full view of one entry for its own page.
pub(super) fn page_value(site: &Site, views: &Views, id: EntryId) -> Value {
    let e = site.entry(id);
    let strings = &site.config.strings;
    let mut v = views.with_summary(id);
    let toc: Vec<Value> = e
        .body
        .headings
        .iter()
        .filter(|h| h.level == 2 || h.level == 3)
        .map(|h| {
            let mut o = Obj::default();
            o.set("level", h.level)
                .set("id", h.id.as_str())
                .set("text", h.text.as_str());
            o.value()
        })
        .collect();
    let relations: Vec<Value> = e
        .relations
        .iter()
        .map(|r| {
            let mut o = Obj::default();
            o.set("key", r.key)
                .set("label", strings.get(&format!("relations.{}", r.label)))
                .set("items", views.list(&r.entries));
            o.value()
        })
        .collect();
    v.set("content", Value::safe_string(&e.body.html))
        .set("words", e.body.words)
        .set("toc", toc)
        .set("has_notes", e.body.has_notes && site.options.facilitator)
        .set("relations", relations)
        .set("source_path", crate::paths::output_key(&e.item.path))
        .set(
            "image_url",
            e.item
                .image
                .as_deref()
                .or(site.config.image.as_deref())
                .map(|i| image_url(site, i)),
        );
    v.set("references", page_references(site, e)).set(
        "term_data",
        term_data(site, e).map(|j| Value::safe_string(&j)),
    );
    kind_values(&mut v, site, views, e);
    session_values(&mut v, site, views, id);
    listing_neighbours(&mut v, site, views, id);
    v.value()
}

/// The name and summary of each term the page's text links to that its relation lists do not
/// show with its summary, by slug, as JSON for the page's data block: term cards read a term
/// there or in the lists, so that a summary is written once per page, not on every link. (A
/// template that shows a relation's terms marks each link `data-term`, its summary beside it.)
fn term_data(site: &Site, e: &Entry) -> Option<String> {
    let listed: std::collections::HashSet<EntryId> = e
        .relations
        .iter()
        .flat_map(|r| r.entries.iter().copied())
        .collect();
    let mut seen = std::collections::HashSet::new();
    let mut terms = serde_json::Map::new();
    for link in &e.body.links {
        if !link.card || listed.contains(&link.target) || !seen.insert(link.target) {
            continue;
        }
        let t = site.entry(link.target);
        if let Meta::Term { summary, .. } = &t.item.meta {
            terms.insert(
                t.item.slug.clone(),
                serde_json::json!([t.item.title, summary]),
            );
        }
    }
    (!terms.is_empty()).then(|| {
        serde_json::to_string(&terms)
            .unwrap_or_default()
            .replace("</", "<\\/")
    })
}

/// The works a page cites, for its list of references: each with the id its citations link to.
fn page_references(site: &Site, e: &Entry) -> Value {
    let Some(references) = &site.references else {
        return Value::from(Vec::<Value>::new());
    };
    let list: Vec<Value> = e
        .cites
        .iter()
        .filter_map(|&p| references.entries.get(p))
        .map(|r| {
            let mut o = Obj::default();
            o.set("key", r.key.as_str())
                .set("id", reference_id(&r.key))
                .set("html", Value::safe_string(&r.html))
                .set("text", r.text.as_str())
                .set(
                    "url",
                    format!(
                        "{}references/#{}",
                        site.config.base_path,
                        fragment(&entry_id(&r.key))
                    ),
                );
            o.value()
        })
        .collect();
    Value::from(list)
}

/// The fields only some kinds have.
fn kind_values(v: &mut Obj, site: &Site, views: &Views, e: &Entry) {
    match &e.item.meta {
        Meta::Essay {
            author,
            tags,
            source,
            ..
        } => {
            let links: Vec<Value> = tags
                .iter()
                .filter_map(|t| views.tags.get(&crate::text::slugify(t)).cloned())
                .collect();
            v.set("author", author.clone())
                .set("tags", tags.clone())
                .set("tag_links", links)
                .set("source", source.as_ref().map(|s| source_value(site, s)));
        }
        Meta::Term { aliases, .. } => {
            v.set("aliases", aliases.clone());
        }
        _ => {}
    }
}

/// The session an entry belongs to; for a session, its lists and the sessions either side.
fn session_values(v: &mut Obj, site: &Site, views: &Views, id: EntryId) {
    let Some(pos) = site.session_place(id) else {
        return;
    };
    let s = &site.sessions[pos];
    v.set("in_session", views.of(s.entry));
    if site.entry(id).item.kind != Kind::Session {
        return;
    }
    v.set("essays", views.list(&s.essays))
        .set("questions", views.list(&s.questions))
        .set("terms", views.list(&s.terms));
    let neighbour = |p: Option<usize>| {
        p.and_then(|p| site.sessions.get(p))
            .map(|s| views.of(s.entry))
    };
    v.set("previous", neighbour(pos.checked_sub(1)))
        .set("next", neighbour(Some(pos + 1)));
}

/// Items of a listing get previous/next within it, to read straight through.
fn listing_neighbours(v: &mut Obj, site: &Site, views: &Views, id: EntryId) {
    let list = match site.entry(id).item.kind {
        Kind::Essay => &site.essays,
        Kind::Question => &site.questions,
        _ => return,
    };
    let Some(pos) = views.places[id.index()] else {
        return;
    };
    let at = |p: Option<usize>| p.and_then(|p| list.get(p)).map(|&x| views.of(x));
    v.set("previous", at(pos.checked_sub(1)))
        .set("next", at(Some(pos + 1)));
}

/// An essay's source: the work as written, or the bibliography's entry its key names.
fn source_value(site: &Site, source: &EssaySource) -> Value {
    let key = match source {
        EssaySource::Work(work) => return citation(work),
        EssaySource::Key(key) => key,
    };
    let mut o = Obj::default();
    o.set("key", key.as_str());
    if let Some(r) = site.references.as_ref().and_then(|r| r.get(key)) {
        o.set("title", r.title.as_str())
            .set("reference", Value::safe_string(&r.html))
            .set(
                "references_url",
                format!(
                    "{}references/#{}",
                    site.config.base_path,
                    fragment(&entry_id(key))
                ),
            );
    }
    o.value()
}

fn citation(c: &Citation) -> Value {
    let mut o = Obj::default();
    o.set("title", c.title.as_str())
        .set("author", c.author.clone())
        .set("url", c.url.clone())
        .set("year", c.year);
    o.value()
}

/// The glossary grouped by first letter, A–Z.
pub(super) fn glossary_letters(site: &Site, views: &Views) -> Value {
    let mut groups: Vec<(String, Vec<EntryId>)> = Vec::new();
    for &t in &site.terms {
        // Grouped as sorted: an accented initial files under its plain letter.
        let first = site
            .entry(t)
            .item
            .title
            .chars()
            .next()
            .map(|c| fold(&c.to_string()).to_uppercase())
            .unwrap_or_default();
        let letter = if !first.is_empty() && first.chars().all(char::is_alphabetic) {
            first
        } else {
            "#".to_string()
        };
        match groups.last_mut() {
            Some((l, v)) if *l == letter => v.push(t),
            _ => groups.push((letter, vec![t])),
        }
    }
    let groups: Vec<Value> = groups
        .into_iter()
        .map(|(l, v)| {
            let mut o = Obj::default();
            o.set("letter", l).set("items", views.list(&v));
            o.value()
        })
        .collect();
    Value::from(groups)
}

/// A tag as templates see it: `name`, `slug`, `url` and how many entries carry it.
pub(super) fn tag_value(site: &Site, tag: &Tag) -> Value {
    let mut o = Obj::default();
    o.set("name", tag.name.as_str())
        .set("slug", tag.slug.as_str())
        .set(
            "url",
            format!("{}tags/{}/", site.config.base_path, tag.slug),
        )
        .set("count", tag.entries.len());
    o.value()
}

/// The full address of the image a shared link to `image` shows (a path from the site root,
/// or a web address as it is).
pub(super) fn image_url(site: &Site, image: &str) -> String {
    match image.strip_prefix('/') {
        Some(rest) => site
            .config
            .permalink(&format!("{}{rest}", site.config.base_path)),
        None => image.to_string(),
    }
}

/// The bibliography for /references/: every entry in the style's order, with the pages that
/// cite it.
pub(super) fn references(site: &Site, views: &Views) -> Vec<(&'static str, Value)> {
    let Some(references) = &site.references else {
        return Vec::new();
    };
    let entries: Vec<Value> = references
        .entries
        .iter()
        .map(|r| {
            let mut o = Obj::default();
            o.set("key", r.key.as_str())
                .set("id", entry_id(&r.key))
                .set("html", Value::safe_string(&r.html))
                .set("text", r.text.as_str())
                .set("title", r.title.as_str())
                .set("cited_in", views.list(&r.cited_in));
            o.value()
        })
        .collect();
    vec![
        ("references", Value::from(entries)),
        ("citation_style", Value::from(references.style.as_str())),
        ("hanging_indent", Value::from(references.hanging_indent)),
    ]
}
