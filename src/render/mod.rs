//! Rendering: the resolved `Site` through the theme's Tera templates into output pages.
//! Writes nothing; `build` does that.

pub mod markdown;
pub mod theme;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value as Json, json};

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

/// What a listing shows of an entry.
#[derive(Debug, Clone, Serialize)]
struct Summary<'a> {
    kind: Kind,
    slug: &'a str,
    title: &'a str,
    url: &'a str,
    summary: Option<&'a str>,
    session: Option<u32>,
    order: Option<i64>,
    /// A question's kind ("opening", "close reading", …).
    question_kind: Option<&'a str>,
    date: Option<String>,
    date_display: Option<String>,
    number: Option<u32>,
    reading_time: usize,
    draft: bool,
}

fn summary(e: &Entry) -> Summary<'_> {
    let (date, question_kind, number) = match &e.item.meta {
        Meta::Essay { date, .. } => (*date, None, None),
        Meta::Session { date, number, .. } => (*date, None, Some(*number)),
        Meta::Question { kind, .. } => (None, kind.as_deref(), None),
        _ => (None, None, None),
    };
    Summary {
        kind: e.item.kind,
        slug: &e.item.slug,
        title: &e.item.title,
        url: &e.url,
        summary: e.item.summary(),
        session: e.item.session(),
        order: e.item.order(),
        question_kind,
        date: date.map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        date_display: date.map(format_date),
        number,
        reading_time: reading_time(e.body.words),
        draft: e.item.draft,
    }
}

/// Minutes at a reading pace of 220 words a minute, at least one.
pub fn reading_time(words: usize) -> usize {
    words.div_ceil(220).max(1)
}

fn summaries(site: &Site, list: &[usize]) -> Json {
    Json::Array(
        list.iter()
            .map(|&i| json!(summary(site.entry(i))))
            .collect(),
    )
}

/// The collections every template can use, built once per build.
fn site_value(site: &Site) -> Json {
    let sessions: Vec<Json> = site
        .sessions
        .iter()
        .map(|s| {
            let mut v = json!(summary(site.entry(s.entry)));
            v["essays"] = summaries(site, &s.essays);
            v["questions"] = summaries(site, &s.questions);
            v["terms"] = summaries(site, &s.terms);
            v
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
    json!({
        "essays": summaries(site, &site.essays),
        "terms": summaries(site, &site.terms),
        "questions": summaries(site, &site.questions),
        "pages": summaries(site, &site.pages),
        "sessions": sessions,
        "question_kinds": question_kinds,
        "facilitator": site.options.facilitator,
        "drafts": site.options.drafts,
        "generator": concat!("lectern ", env!("CARGO_PKG_VERSION")),
    })
}

/// The full view of one entry for its own page.
fn page_value(site: &Site, i: usize) -> Json {
    let e = site.entry(i);
    let mut v = json!(summary(e));
    v["words"] = json!(e.body.words);
    v["toc"] = json!(
        e.body
            .headings
            .iter()
            .filter(|h| h.level == 2 || h.level == 3)
            .collect::<Vec<_>>()
    );
    v["has_notes"] = json!(e.body.has_notes && site.options.facilitator);
    v["relations"] = Json::Array(
        e.relations
            .iter()
            .map(|r| json!({"key": r.key, "label": r.label, "items": summaries(site, &r.entries)}))
            .collect(),
    );
    match &e.item.meta {
        Meta::Essay {
            author,
            tags,
            source,
            ..
        } => {
            v["author"] = json!(author);
            v["tags"] = json!(tags);
            v["source"] = json!(source.as_ref().map(citation));
        }
        Meta::Term { aliases, .. } => v["aliases"] = json!(aliases),
        _ => {}
    }
    if let Some(s) = site.session_of(i) {
        v["in_session"] = json!(summary(site.entry(s.entry)));
        if e.item.kind == Kind::Session {
            v["essays"] = summaries(site, &s.essays);
            v["questions"] = summaries(site, &s.questions);
            v["terms"] = summaries(site, &s.terms);
            let pos = site.sessions.iter().position(|x| x.entry == i).unwrap_or(0);
            let neighbour = |p: Option<usize>| {
                p.and_then(|p| site.sessions.get(p))
                    .map(|s| json!(summary(site.entry(s.entry))))
            };
            v["previous"] = json!(neighbour(pos.checked_sub(1)));
            v["next"] = json!(neighbour(Some(pos + 1)));
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
                .map(|&x| json!(summary(site.entry(x))))
        };
        v["previous"] = json!(at(pos.checked_sub(1)));
        v["next"] = json!(at(Some(pos + 1)));
    }
    v
}

fn citation(c: &Citation) -> Json {
    json!({"title": c.title, "author": c.author, "url": c.url, "year": c.year})
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

fn listing_values(site: &Site, listing: Option<Listing>) -> Vec<(&'static str, Json)> {
    match listing {
        Some(Listing::Essays) => vec![("items", summaries(site, &site.essays))],
        Some(Listing::Glossary) => vec![
            ("items", summaries(site, &site.terms)),
            ("letters", glossary_letters(site)),
        ],
        Some(Listing::Questions) => vec![("items", summaries(site, &site.questions))],
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
    let base = &site.config.base_path;
    let site_json = tera::Value::from_serializable(&site_value(site));
    let config_json = tera::Value::from_serializable(&site.config);
    let jobs: Vec<Job> = jobs(site).into_iter().filter(|j| want(&j.path)).collect();
    let results: Vec<Result<Page, crate::diagnostics::Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let mut ctx = tera::Context::new();
            ctx.insert_value("config", config_json.clone());
            ctx.insert_value("site", site_json.clone());
            ctx.insert("base", base);
            ctx.insert("current_url", &job.url);
            ctx.insert("permalink", &site.config.permalink(&job.url));
            let mut page = match job.entry {
                Some(i) => page_value(site, i),
                None => json!({"title": job.title, "url": job.url, "kind": "listing"}),
            };
            if let Some(i) = job.entry {
                page["content"] = Json::Null;
                let mut value = tera::Value::from_serializable(&page);
                let html = tera::Value::safe_string(&site.entry(i).body.html);
                value = with_key(value, "content", html);
                ctx.insert_value("page", value);
            } else {
                ctx.insert("page", &page);
            }
            for (k, v) in listing_values(site, job.listing) {
                ctx.insert(k, &v);
            }
            theme
                .tera
                .render(job.template, &ctx)
                .map(|html| Page {
                    path: job.path.clone(),
                    html,
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

/// Sets `key` on a map value (Tera values are immutable once built, so rebuild the map).
fn with_key(value: tera::Value, key: &str, v: tera::Value) -> tera::Value {
    match value.as_map() {
        Some(map) => {
            let mut map = map.clone();
            map.insert(key.to_string().into(), v);
            tera::Value::from(map)
        }
        None => value,
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
fn glossary_letters(site: &Site) -> Json {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for &t in &site.terms {
        let first = site
            .entry(t)
            .item
            .title
            .chars()
            .next()
            .map(|c| c.to_uppercase().collect::<String>())
            .unwrap_or_default();
        let letter = if first.chars().all(char::is_alphabetic) {
            first
        } else {
            "#".to_string()
        };
        match groups.last_mut() {
            Some((l, v)) if *l == letter => v.push(t),
            _ => groups.push((letter, vec![t])),
        }
    }
    Json::Array(
        groups
            .into_iter()
            .map(|(l, v)| json!({"letter": l, "items": summaries(site, &v)}))
            .collect(),
    )
}
