//! Rendering: the resolved `Site` through the theme's Tera templates into output pages.
//! Writes nothing; `build` does that.

pub mod markdown;
pub mod theme;

use rayon::prelude::*;
use tera::Value;

use crate::content::{Citation, Kind, Meta, front_matter::format_date};
use crate::diagnostics::Diagnostics;
use crate::site::{Entry, Site};
pub use theme::Theme;

/// One rendered file of the output.
#[derive(Debug, Clone)]
pub struct Page {
    /// Relative output path with forward slashes: `essays/trust/index.html`.
    pub path: String,
    pub html: String,
}

/// A Tera map under construction.
#[derive(Default)]
struct Obj(tera::Map);

impl Obj {
    fn set(&mut self, key: &'static str, value: impl Into<Value>) -> &mut Obj {
        self.0.insert(key.into(), value.into());
        self
    }

    fn value(self) -> Value {
        Value::from(self.0)
    }
}

/// Every included entry's summary (what listings and relation lists show of it), built once per
/// render and shared by reference-counted clones.
struct Views {
    summaries: Vec<Value>,
}

impl Views {
    fn new(site: &Site) -> Views {
        let summaries = site
            .entries
            .par_iter()
            .map(|e| {
                if e.included {
                    summary(e)
                } else {
                    Value::none()
                }
            })
            .collect();
        Views { summaries }
    }

    fn list(&self, list: &[usize]) -> Value {
        Value::from(
            list.iter()
                .map(|&i| self.summaries[i].clone())
                .collect::<Vec<_>>(),
        )
    }
}

/// What a listing shows of an entry.
fn summary(e: &Entry) -> Value {
    let (date, question_kind, number) = match &e.item.meta {
        Meta::Essay { date, .. } => (*date, None, None),
        Meta::Session { date, number, .. } => (*date, None, Some(*number)),
        Meta::Question { kind, .. } => (None, kind.as_deref(), None),
        _ => (None, None, None),
    };
    let mut o = Obj::default();
    o.set("kind", e.item.kind.name())
        .set("slug", e.item.slug.as_str())
        .set("title", e.item.title.as_str())
        .set("url", e.url.as_str())
        .set("summary", e.item.summary())
        .set("session", e.item.session())
        .set("order", e.item.order())
        .set("question_kind", question_kind)
        .set(
            "date",
            date.map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        )
        .set("date_display", date.map(format_date))
        .set("number", number)
        .set("reading_time", reading_time(e.body.words))
        .set("draft", e.item.draft);
    o.value()
}

/// Minutes at a reading pace of 220 words a minute, at least one.
pub fn reading_time(words: usize) -> usize {
    words.div_ceil(220).max(1)
}

/// The collections every template can use, built once per render.
fn site_value(site: &Site, views: &Views) -> Value {
    let sessions: Vec<Value> = site
        .sessions
        .iter()
        .map(|s| {
            let mut o = with_summary(views, s.entry);
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
        .set("facilitator", site.options.facilitator)
        .set("drafts", site.options.drafts)
        .set("generator", concat!("lectern ", env!("CARGO_PKG_VERSION")));
    o.value()
}

/// A new map holding the summary of entry `i`, to add fields to.
fn with_summary(views: &Views, i: usize) -> Obj {
    Obj(views.summaries[i].as_map().cloned().unwrap_or_default())
}

/// The full view of one entry for its own page.
fn page_value(site: &Site, views: &Views, i: usize) -> Value {
    let e = site.entry(i);
    let mut v = with_summary(views, i);
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
                .set("label", r.label)
                .set("items", views.list(&r.entries));
            o.value()
        })
        .collect();
    v.set("content", Value::safe_string(&e.body.html))
        .set("words", e.body.words)
        .set("toc", toc)
        .set("has_notes", e.body.has_notes && site.options.facilitator)
        .set("relations", relations);
    match &e.item.meta {
        Meta::Essay {
            author,
            tags,
            source,
            ..
        } => {
            v.set("author", author.clone())
                .set("tags", tags.clone())
                .set("source", source.as_ref().map(citation));
        }
        Meta::Term { aliases, .. } => {
            v.set("aliases", aliases.clone());
        }
        _ => {}
    }
    if let Some(s) = site.session_of(i) {
        v.set("in_session", views.summaries[s.entry].clone());
        if e.item.kind == Kind::Session {
            v.set("essays", views.list(&s.essays))
                .set("questions", views.list(&s.questions))
                .set("terms", views.list(&s.terms));
            let pos = site.sessions.iter().position(|x| x.entry == i).unwrap_or(0);
            let neighbour = |p: Option<usize>| {
                p.and_then(|p| site.sessions.get(p))
                    .map(|s| views.summaries[s.entry].clone())
            };
            v.set("previous", neighbour(pos.checked_sub(1)))
                .set("next", neighbour(Some(pos + 1)));
        }
    }
    // Items of a listing get previous/next within it, to read straight through.
    let list = match e.item.kind {
        Kind::Essay => Some(&site.essays),
        Kind::Question => Some(&site.questions),
        _ => None,
    };
    if let Some(list) = list
        && let Some(pos) = list.iter().position(|&x| x == i)
    {
        let at = |p: Option<usize>| {
            p.and_then(|p| list.get(p))
                .map(|&x| views.summaries[x].clone())
        };
        v.set("previous", at(pos.checked_sub(1)))
            .set("next", at(Some(pos + 1)));
    }
    v.value()
}

fn citation(c: &Citation) -> Value {
    let mut o = Obj::default();
    o.set("title", c.title.as_str())
        .set("author", c.author.clone())
        .set("url", c.url.clone())
        .set("year", c.year);
    o.value()
}

/// A template to render and what it shows.
struct Job {
    template: &'static str,
    path: String,
    url: String,
    title: String,
    entry: Option<usize>,
    listing: Option<Listing>,
}

/// The listing pages, whose extra template variables are computed only when they render.
#[derive(Debug, Clone, Copy)]
enum Listing {
    Essays,
    Glossary,
    Questions,
}

fn listing_values(
    site: &Site,
    views: &Views,
    listing: Option<Listing>,
) -> Vec<(&'static str, Value)> {
    match listing {
        Some(Listing::Essays) => vec![("items", views.list(&site.essays))],
        Some(Listing::Glossary) => vec![
            ("items", views.list(&site.terms)),
            ("letters", glossary_letters(site, views)),
        ],
        Some(Listing::Questions) => vec![("items", views.list(&site.questions))],
        None => Vec::new(),
    }
}

/// Renders every page of the site.
pub fn render_all(site: &Site, theme: &Theme) -> Result<Vec<Page>, Diagnostics> {
    render_pages(site, theme, &|_| true)
}

/// The output path of every page the site has, rendered or not.
pub fn page_paths(site: &Site) -> Vec<String> {
    jobs(site).into_iter().map(|j| j.path).collect()
}

/// Renders the pages whose output path `want` accepts.
pub fn render_pages(
    site: &Site,
    theme: &Theme,
    want: &(dyn Fn(&str) -> bool + Sync),
) -> Result<Vec<Page>, Diagnostics> {
    render_each(site, theme, want, &|page| page)
}

/// Renders the pages whose output path `want` accepts and hands each to `sink` as soon as it is
/// rendered (in parallel, in no particular order), so that a caller that writes them need not
/// hold them all. Returns what `sink` returned, in page order, or every template error.
pub fn render_each<R: Send>(
    site: &Site,
    theme: &Theme,
    want: &(dyn Fn(&str) -> bool + Sync),
    sink: &(dyn Fn(Page) -> R + Sync),
) -> Result<Vec<R>, Diagnostics> {
    let timer = crate::timing::Timer::start();
    let base = &site.config.base_path;
    let views = Views::new(site);
    let site_value = site_value(site, &views);
    let config_value = Value::from_serializable(&site.config);
    let jobs: Vec<Job> = jobs(site).into_iter().filter(|j| want(&j.path)).collect();
    timer.lap("p:views");
    let results: Vec<Result<R, crate::diagnostics::Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let mut ctx = tera::Context::new();
            ctx.insert_value("config", config_value.clone());
            ctx.insert_value("site", site_value.clone());
            ctx.insert("base", base);
            ctx.insert("current_url", &job.url);
            ctx.insert("permalink", &site.config.permalink(&job.url));
            let page = match job.entry {
                Some(i) => page_value(site, &views, i),
                None => {
                    let mut o = Obj::default();
                    o.set("title", job.title.as_str())
                        .set("url", job.url.as_str())
                        .set("kind", "listing");
                    o.value()
                }
            };
            ctx.insert_value("page", page);
            for (k, v) in listing_values(site, &views, job.listing) {
                ctx.insert_value(k, v);
            }
            theme
                .tera
                .render(job.template, &ctx)
                .map(|html| {
                    sink(Page {
                        path: job.path.clone(),
                        html,
                    })
                })
                .map_err(|e| theme.diagnostic(&e, &job.path))
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut diags = Diagnostics::new();
    for r in results {
        match r {
            Ok(p) => pages.push(p),
            Err(d) => diags.push(d),
        }
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(pages)
    }
}

fn jobs(site: &Site) -> Vec<Job> {
    let base = &site.config.base_path;
    let mut jobs = Vec::new();
    let output_path = |url: &str| {
        format!(
            "{}index.html",
            url.strip_prefix(base.as_str()).unwrap_or(url)
        )
    };
    for (i, e) in site.included() {
        let template = match e.item.kind {
            Kind::Essay => "essay.html",
            Kind::Term => "term.html",
            Kind::Question => "question.html",
            Kind::Session => "session.html",
            Kind::Page if e.item.is_home() => "home.html",
            Kind::Page => "page.html",
        };
        jobs.push(Job {
            template,
            path: output_path(&e.url),
            url: e.url.clone(),
            title: e.item.title.clone(),
            entry: Some(i),
            listing: None,
        });
    }
    if site.home.is_none() {
        jobs.push(Job {
            template: "home.html",
            path: "index.html".into(),
            url: base.clone(),
            title: site.config.title.clone(),
            entry: None,
            listing: None,
        });
    }
    let listings = [
        ("essays.html", "essays", "Essays", Some(Listing::Essays)),
        (
            "glossary.html",
            "glossary",
            "Glossary",
            Some(Listing::Glossary),
        ),
        (
            "questions.html",
            "questions",
            "Discussion questions",
            Some(Listing::Questions),
        ),
        ("sessions.html", "sessions", "Sessions", None),
        ("search.html", "search", "Search", None),
    ];
    for (template, dir, title, listing) in listings {
        let url = format!("{base}{dir}/");
        jobs.push(Job {
            template,
            path: format!("{dir}/index.html"),
            url,
            title: title.into(),
            entry: None,
            listing,
        });
    }
    jobs.push(Job {
        template: "404.html",
        path: "404.html".into(),
        url: format!("{base}404.html"),
        title: "Page not found".into(),
        entry: None,
        listing: None,
    });
    jobs
}

/// The glossary grouped by first letter, A–Z.
fn glossary_letters(site: &Site, views: &Views) -> Value {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for &t in &site.terms {
        // Grouped as sorted: an accented initial files under its plain letter.
        let first = site
            .entry(t)
            .item
            .title
            .chars()
            .next()
            .map(|c| crate::search::tokenize::fold(&c.to_string()).to_uppercase())
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
