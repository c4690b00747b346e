//! The facilitator's edition: every session with its readings, terms and questions, notes
//! included, as one self-contained HTML file (styles and fonts inside it, no scripts) that a
//! facilitator can open or print without a web server.

use base64::Engine as _;
use tera::Value;

use super::Theme;
use super::views::{Obj, Views, site_value};
use crate::content::{Kind, Meta};
use crate::diagnostics::Diagnostics;
use crate::site::{EntryId, Site, reference_id};

/// The edition's HTML, from the theme's `facilitator-edition.html`. The site should be
/// resolved with facilitator notes included.
pub fn facilitator_edition(site: &Site, theme: &Theme) -> Result<String, Diagnostics> {
    let views = Views::new(site);
    let mut ctx = tera::Context::new();
    ctx.insert_value("config", Value::from_serializable(&site.config));
    ctx.insert_value("site", site_value(site, &views));
    ctx.insert_value("sessions", sessions(site, &views));
    ctx.insert_value("pages", pages(site));
    ctx.insert_value("references", references(site));
    ctx.insert_value("fonts", fonts(theme));
    ctx.insert_value("t", Value::from_serializable(site.config.strings.table()));
    theme
        .tera
        .render("facilitator-edition.html", &ctx)
        .map_err(|e| theme.diagnostic(&e, "the facilitator's edition").into())
}

/// An entry's HTML for a file that stands alone: links into the site point at the published
/// site (or stay as they are when the base URL has no host).
fn standalone_html(site: &Site, id: EntryId) -> Value {
    let html = &site.entry(id).body.html;
    let config = &site.config;
    let html = if config.has_host() {
        html.replace(
            &format!("href=\"{}", config.base_path),
            &format!("href=\"{}", config.base_url),
        )
    } else {
        html.clone()
    };
    Value::safe_string(&html)
}

fn sessions(site: &Site, views: &Views) -> Value {
    let sessions: Vec<Value> = site
        .sessions
        .iter()
        .map(|s| {
            let mut o = views.with_summary(s.entry);
            let essays: Vec<Value> = s
                .essays
                .iter()
                .map(|&e| {
                    let mut o = views.with_summary(e);
                    let entry = site.entry(e);
                    let author = match &entry.item.meta {
                        Meta::Essay { author, .. } => author.clone(),
                        _ => None,
                    };
                    o.set("author", author)
                        .set("permalink", site.config.permalink(&entry.url));
                    o.value()
                })
                .collect();
            let questions: Vec<Value> = s
                .questions
                .iter()
                .map(|&q| {
                    let mut o = views.with_summary(q);
                    o.set("content", standalone_html(site, q));
                    o.value()
                })
                .collect();
            o.set("content", standalone_html(site, s.entry))
                .set("essays", essays)
                .set("questions", questions)
                .set("terms", views.list(&s.terms));
            o.value()
        })
        .collect();
    Value::from(sessions)
}

/// The site's pages (about, a facilitators' introduction, …), after the sessions.
fn pages(site: &Site) -> Value {
    let pages: Vec<Value> = site
        .pages
        .iter()
        .filter(|&&p| site.entry(p).item.kind == Kind::Page)
        .map(|&p| {
            let e = site.entry(p);
            let mut o = Obj::default();
            o.set("slug", e.item.slug.as_str())
                .set("title", e.item.title.as_str())
                .set("content", standalone_html(site, p));
            o.value()
        })
        .collect();
    Value::from(pages)
}

/// The works the edition's sessions, questions and pages cite, in the bibliography's order,
/// each with the id its citations link to.
fn references(site: &Site) -> Value {
    let Some(references) = &site.references else {
        return Value::from(Vec::<Value>::new());
    };
    let shown = site
        .sessions
        .iter()
        .flat_map(|s| std::iter::once(s.entry).chain(s.questions.iter().copied()));
    let pages = site
        .pages
        .iter()
        .copied()
        .filter(|&p| site.entry(p).item.kind == Kind::Page);
    let cited: std::collections::BTreeSet<usize> = shown
        .chain(pages)
        .flat_map(|id| site.entry(id).cites.iter().copied())
        .collect();
    let list: Vec<Value> = cited
        .into_iter()
        .filter_map(|p| references.entries.get(p))
        .map(|r| {
            let mut o = Obj::default();
            o.set("id", reference_id(&r.key))
                .set("html", Value::safe_string(&r.html));
            o.value()
        })
        .collect();
    Value::from(list)
}

/// The theme's text fonts as `data:` URLs.
fn fonts(theme: &Theme) -> Value {
    let data_url = |name: &str| {
        theme.statics.get(name).map_or_else(String::new, |f| {
            format!(
                "data:font/woff2;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(&f.bytes)
            )
        })
    };
    let mut o = Obj::default();
    o.set(
        "normal",
        data_url("fonts/source-serif-4-latin-wght-normal.woff2"),
    )
    .set(
        "italic",
        data_url("fonts/source-serif-4-latin-wght-italic.woff2"),
    );
    o.value()
}
