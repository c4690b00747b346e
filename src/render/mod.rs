//! Rendering: the resolved `Site` through the theme's Tera templates into output pages.
//! Writes nothing; `build` does that.

mod edition;
pub mod theme;
mod theme_errors;
mod views;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::site::{EntryId, Site};
pub use edition::facilitator_edition;
pub use theme::Theme;
use views::{Obj, Views};
pub use views::{format_date, reading_time};

/// One rendered file of the output.
#[derive(Debug, Clone)]
pub struct Page {
    /// Relative output path with forward slashes: `essays/trust/index.html`.
    pub path: String,
    pub html: String,
}

/// A template to render and what it shows.
struct Job {
    template: &'static str,
    path: String,
    url: String,
    title: String,
    entry: Option<EntryId>,
    listing: Option<Listing>,
}

/// The listing pages, whose extra template variables are computed only when they render.
#[derive(Debug, Clone, Copy)]
enum Listing {
    Essays,
    Glossary,
    Questions,
    Tags,
    /// One tag's page: its place in `Site::tags`.
    Tag(usize),
    References,
}

fn listing_values(
    site: &Site,
    views: &Views,
    listing: Option<Listing>,
) -> Vec<(&'static str, tera::Value)> {
    match listing {
        Some(Listing::Essays) => vec![("items", views.list(&site.essays))],
        Some(Listing::Glossary) => vec![
            ("items", views.list(&site.terms)),
            ("letters", views::glossary_letters(site, views)),
        ],
        Some(Listing::Questions) => vec![("items", views.list(&site.questions))],
        Some(Listing::Tags) => Vec::new(),
        Some(Listing::Tag(i)) => {
            let tag = &site.tags[i];
            vec![
                ("items", views.list(&tag.entries)),
                ("tag", views::tag_value(site, tag)),
            ]
        }
        Some(Listing::References) => views::references(site, views),
        None => Vec::new(),
    }
}

/// Renders every page of the site.
pub fn render_all(site: &Site, theme: &Theme) -> Result<Vec<Page>, Diagnostics> {
    render_each(site, theme, &Values::new(site), &|_| true, &|page| page)
}

/// The output path of every page the site has, rendered or not.
pub fn page_paths(site: &Site) -> Vec<String> {
    jobs(site).into_iter().map(|j| j.path).collect()
}

/// Renders the pages whose output path `want` accepts and hands each to `sink` as soon as it is
/// rendered (in parallel, in no particular order), so that a caller that writes them need not
/// hold them all. Returns what `sink` returned, in page order, or every template error.
pub fn render_each<R: Send>(
    site: &Site,
    theme: &Theme,
    values: &Values,
    want: &(dyn Fn(&str) -> bool + Sync),
    sink: &(dyn Fn(Page) -> R + Sync),
) -> Result<Vec<R>, Diagnostics> {
    let shared = Shared { site, values };
    let jobs: Vec<Job> = jobs(site).into_iter().filter(|j| want(&j.path)).collect();
    let results: Vec<Result<R, Diagnostic>> = jobs
        .par_iter()
        .map(|job| shared.render(theme, job).map(sink))
        .collect();
    gathered(results)
}

/// Renders the pages of the included entries among `ids`, one after another on this thread
/// (a preview's few pages after an edit: no waiting for a pool another task may be using).
pub fn render_entries(
    site: &Site,
    theme: &Theme,
    values: &Values,
    ids: &[EntryId],
) -> Result<Vec<Page>, Diagnostics> {
    let shared = Shared { site, values };
    let results: Vec<Result<Page, Diagnostic>> = ids
        .iter()
        .filter(|id| site.entry(**id).included)
        .map(|&id| shared.render(theme, &entry_job(site, id)))
        .collect();
    gathered(results)
}

/// Every result, or every error.
fn gathered<R>(results: Vec<Result<R, Diagnostic>>) -> Result<Vec<R>, Diagnostics> {
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

/// What every page's template context shares, made once for a site: a preview keeps them while
/// its edits leave them as they are (`still_hold`).
pub struct Values {
    views: Views,
    site_value: tera::Value,
    config_value: tera::Value,
    /// The interface strings, as `t`.
    strings_value: tera::Value,
    /// The scripts' words, as JSON for a data block (`script_words`): the default theme loads
    /// them from `js/words.js`; a base template made before that still finds them here.
    script_words: tera::Value,
}

impl Values {
    pub fn new(site: &Site) -> Values {
        let timer = crate::timing::Timer::start();
        let views = Views::new(site);
        let values = Values {
            site_value: views::site_value(site, &views),
            views,
            config_value: tera::Value::from_serializable(&site.config),
            strings_value: tera::Value::from_serializable(site.config.strings.table()),
            script_words: tera::Value::safe_string(&script_words(site)),
        };
        timer.lap("p:views");
        values
    }

    /// Whether these values, made before the bodies of `edited` changed and nothing else in
    /// `site` did, hold for it still: whether what other pages show of those entries (their
    /// reading time, say) is the same.
    pub fn still_hold(&self, site: &Site, edited: &[EntryId]) -> bool {
        edited.iter().all(|&id| self.views.holds(site, id))
    }
}

/// A page's place in the site, with what every page's context shares.
struct Shared<'a> {
    site: &'a Site,
    values: &'a Values,
}

impl Shared<'_> {
    fn render(&self, theme: &Theme, job: &Job) -> Result<Page, Diagnostic> {
        let html = theme
            .tera
            .render(job.template, &self.context(job))
            .map_err(|e| theme.diagnostic(&e, &job.path))?;
        Ok(Page {
            path: job.path.clone(),
            html: crate::text::strip_indentation(&html),
        })
    }

    fn context(&self, job: &Job) -> tera::Context {
        let site = self.site;
        let values = self.values;
        let mut ctx = tera::Context::new();
        ctx.insert_value("config", values.config_value.clone());
        ctx.insert_value("site", values.site_value.clone());
        ctx.insert_value("t", values.strings_value.clone());
        ctx.insert_value("script_words", values.script_words.clone());
        ctx.insert("base", &site.config.base_path);
        ctx.insert("current_url", &job.url);
        ctx.insert("permalink", &site.config.permalink(&job.url));
        let page = match job.entry {
            Some(id) => views::page_value(site, &values.views, id),
            None => {
                let mut o = Obj::default();
                o.set("title", job.title.as_str())
                    .set("url", job.url.as_str())
                    .set("kind", "listing");
                o.value()
            }
        };
        ctx.insert_value("page", page);
        for (k, v) in listing_values(site, &values.views, job.listing) {
            ctx.insert_value(k, v);
        }
        ctx
    }
}

/// The output path of a page at `url` under the base path.
pub fn page_path(base: &str, url: &str) -> String {
    format!("{}index.html", url.strip_prefix(base).unwrap_or(url))
}

/// The page of entry `id`.
fn entry_job(site: &Site, id: EntryId) -> Job {
    let e = site.entry(id);
    let template = match e.item.kind {
        crate::content::Kind::Essay => "essay.html",
        crate::content::Kind::Term => "term.html",
        crate::content::Kind::Question => "question.html",
        crate::content::Kind::Session => "session.html",
        crate::content::Kind::Page if e.item.is_home() => "home.html",
        crate::content::Kind::Page => "page.html",
    };
    Job {
        template,
        path: page_path(&site.config.base_path, &e.url),
        url: e.url.clone(),
        title: e.item.title.clone(),
        entry: Some(id),
        listing: None,
    }
}

fn jobs(site: &Site) -> Vec<Job> {
    let base = &site.config.base_path;
    let mut jobs: Vec<Job> = site.included().map(|(id, _)| entry_job(site, id)).collect();
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
        ("essays.html", "essays", "essays", Some(Listing::Essays)),
        (
            "glossary.html",
            "glossary",
            "glossary",
            Some(Listing::Glossary),
        ),
        (
            "questions.html",
            "questions",
            "discussion_questions",
            Some(Listing::Questions),
        ),
        ("sessions.html", "sessions", "sessions", None),
        ("search.html", "search", "search", None),
    ];
    let strings = &site.config.strings;
    for (template, dir, title, listing) in listings {
        jobs.push(Job {
            template,
            path: format!("{dir}/index.html"),
            url: format!("{base}{dir}/"),
            title: strings.get(title).into(),
            entry: None,
            listing,
        });
    }
    jobs.extend(tag_jobs(site));
    if site.references.is_some() {
        jobs.push(Job {
            template: "references.html",
            path: "references/index.html".into(),
            url: format!("{base}references/"),
            title: strings.get("references").into(),
            entry: None,
            listing: Some(Listing::References),
        });
    }
    jobs.push(Job {
        template: "404.html",
        path: "404.html".into(),
        url: format!("{base}404.html"),
        title: strings.get("page_not_found").into(),
        entry: None,
        listing: None,
    });
    jobs
}

/// The tag pages: `/tags/` and one per tag, when the essays have tags.
fn tag_jobs(site: &Site) -> Vec<Job> {
    let base = &site.config.base_path;
    let mut jobs = Vec::new();
    if !site.tags.is_empty() {
        jobs.push(Job {
            template: "tags.html",
            path: "tags/index.html".into(),
            url: format!("{base}tags/"),
            title: site.config.strings.get("tags").into(),
            entry: None,
            listing: Some(Listing::Tags),
        });
    }
    for (i, tag) in site.tags.iter().enumerate() {
        jobs.push(Job {
            template: "tag.html",
            path: format!("tags/{}/index.html", tag.slug),
            url: format!("{base}tags/{}/", tag.slug),
            title: tag.name.clone(),
            entry: None,
            listing: Some(Listing::Tag(i)),
        });
    }
    jobs
}

/// The interface strings' `script` table as JSON that can stand inside `<script>`.
pub fn script_words(site: &Site) -> String {
    let words = site.config.strings.table().get("script");
    serde_json::to_string(&words)
        .unwrap_or_default()
        .replace("</", "<\\/")
}
