//! Formatting citations and the reference list with hayagriva's CSL engine, in the site's
//! citation style, and writing what it makes as HTML of our own (escaped, with links only to
//! web addresses, citations linked to their entries and carrying their hover cards).
//!
//! Every distinct citation of the site goes to one `BibliographyDriver`, with every entry of the
//! bibliography cited unseen after them, so that the list holds them all and the style tells
//! works apart the same way on every page ("Allen, 2021a" and "Allen, 2021b"). The engine's
//! work is kept for a rebuild that cites nothing new.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::str::FromStr;
use std::sync::Arc;

use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::citationberg::{
    Display, FontStyle, FontVariant, FontWeight, IndependentStyle, Locale, LocaleCode, Style,
    TextDecoration, VerticalAlign,
};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, CitePurpose, ElemChild,
    ElemChildren, ElemMeta, Formatting, LocatorPayload, SpecificLocator,
};

use crate::config::Config;
use crate::content::Bibliography;
use crate::site::{Cite, Converted, Reference, References, fragment, reference_id};
use crate::text::escape_attr;

/// The formatted citations of every page and the formatted bibliography.
pub(super) struct Formatted {
    /// By entry: each citation its body shows, as (HTML, plain text), in marker order.
    pub citations: Vec<Vec<(String, String)>>,
    pub references: References,
}

/// The built-in style the configuration names, as the engine reads it. The configuration
/// accepts only built-in styles that stand alone, so this is None only if one did not.
fn style(config: &Config) -> Option<IndependentStyle> {
    match crate::config::citation_style(&config.citation_style).map(|s| s.get()) {
        Ok(Style::Independent(style)) => Some(style),
        _ => None,
    }
}

/// What the engine is asked of one work in a citation: citations asking the same are formatted
/// once.
#[derive(PartialEq, Eq, Hash)]
struct Signature {
    entry: usize,
    locator: Option<(&'static str, String)>,
    prose: bool,
}

/// The locales the engine needs: American English, which every style falls back to, and those
/// of the site's language. hayagriva's archive holds them in the order of their codes, so they
/// are read one by one until both are passed: reading all sixty takes longer than formatting a
/// course's citations.
fn locales(language: &str) -> Vec<Locale> {
    let primary = |code: &str| code.split('-').next().unwrap_or_default().to_lowercase();
    let language = primary(language);
    let mut found = Vec::new();
    let mut american = false;
    for bytes in hayagriva::archive::LOCALES {
        let Ok(locale) = ciborium::de::from_reader::<Locale, _>(*bytes) else {
            continue;
        };
        let code = locale
            .lang
            .as_ref()
            .map(|l| l.0.clone())
            .unwrap_or_default();
        let done = american && primary(&code) > language && primary(&code).as_str() > "en";
        if done {
            break;
        }
        american |= code == "en-US";
        if code == "en-US" || primary(&code) == language {
            found.push(locale);
        }
    }
    found
}

/// What the engine made of a site's distinct citations and its bibliography, kept for the next
/// rebuild: an edit that cites nothing new needs the engine not at all.
#[derive(Debug, Clone)]
pub struct Made {
    key: u64,
    rendered: Arc<hayagriva::Rendered>,
}

impl Made {
    /// Whether both are the one piece of the engine's work.
    #[cfg(test)]
    pub fn same_work(&self, other: &Made) -> bool {
        Arc::ptr_eq(&self.rendered, &other.rendered)
    }
}

/// Formats the citations that `bodies` show (of the entries `shown`) and the whole bibliography,
/// with what the engine made last time when it was asked the same.
pub(super) fn format(
    bibliography: &Bibliography,
    config: &Config,
    bodies: &[Arc<Converted>],
    shown: &[bool],
    kept: Option<&Made>,
) -> Option<(Formatted, Made)> {
    let style = style(config)?;
    let works: Vec<&hayagriva::Entry> = bibliography.library.iter().collect();
    // Each distinct citation goes to the engine once (a course cites its main text on every
    // page); in the order first met, so that numbered styles number works as they first appear.
    let mut index: HashMap<Vec<Signature>, usize> = HashMap::new();
    let mut distinct: Vec<&Cite> = Vec::new();
    let mut cites: Vec<(usize, &Cite, usize)> = Vec::new();
    for (e, body) in bodies.iter().enumerate().filter(|(e, _)| shown[*e]) {
        for cite in &body.citations {
            let next = index.len();
            let request = *index.entry(signature(cite)).or_insert_with(|| {
                distinct.push(cite);
                next
            });
            cites.push((e, cite, request));
        }
    }
    let mut h = DefaultHasher::new();
    for cite in &distinct {
        signature(cite).hash(&mut h);
    }
    let key = h.finish();
    let rendered = match kept {
        Some(made) if made.key == key => Arc::clone(&made.rendered),
        _ => Arc::new(run(&style, &config.language, &works, &distinct)),
    };
    let references = references(&style, &works, rendered.bibliography.as_ref());
    let mut citations = vec![Vec::new(); bodies.len()];
    for (e, cite, request) in cites {
        let done = rendered.citations.get(request).map(|r| &r.citation);
        let form = done.map_or_else(Default::default, |c| citation(cite, c, &works, &references));
        citations[e].push(form);
    }
    let formatted = Formatted {
        citations,
        references,
    };
    Some((formatted, Made { key, rendered }))
}

fn signature(cite: &Cite) -> Vec<Signature> {
    cite.items
        .iter()
        .map(|it| Signature {
            entry: it.entry,
            locator: it.locator.clone(),
            prose: cite.narrative || it.suppress_author,
        })
        .collect()
}

/// The engine's work: the `distinct` citations, then every work of the bibliography cited
/// unseen, so that the list holds them all.
fn run(
    style: &IndependentStyle,
    language: &str,
    works: &[&hayagriva::Entry],
    distinct: &[&Cite],
) -> hayagriva::Rendered {
    let locales = locales(language);
    // An English site keeps the style's own locale (APA's American terms, say).
    let locale = (!language.starts_with("en")).then(|| LocaleCode(language.to_string()));
    let mut driver = BibliographyDriver::new();
    for cite in distinct {
        let items = cite
            .items
            .iter()
            .map(|it| {
                let locator = it.locator.as_ref().map(|(kind, value)| {
                    let kind = Locator::from_str(kind).unwrap_or(Locator::Page);
                    SpecificLocator(kind, LocatorPayload::Str(value))
                });
                let prose = cite.narrative || it.suppress_author;
                let purpose = prose.then_some(CitePurpose::Prose);
                CitationItem::new(works[it.entry], locator, None, false, purpose)
            })
            .collect();
        driver.citation(CitationRequest::new(
            items,
            style,
            locale.clone(),
            &locales,
            None,
        ));
    }
    let everything = works
        .iter()
        .map(|w| CitationItem::new(*w, None, None, true, None))
        .collect();
    driver.citation(CitationRequest::new(
        everything,
        style,
        locale.clone(),
        &locales,
        None,
    ));
    driver.finish(BibliographyRequest::new(style, locale, &locales))
}

/// The bibliography as the style lists it; in the file's order if the style has no list.
fn references(
    style: &IndependentStyle,
    works: &[&hayagriva::Entry],
    list: Option<&hayagriva::RenderedBibliography>,
) -> References {
    let titles: HashMap<&str, String> = works
        .iter()
        .map(|w| {
            (
                w.key(),
                w.title()
                    .map(|t| curled(&t.to_string()))
                    .unwrap_or_default(),
            )
        })
        .collect();
    let title = |key: &str| titles.get(key).cloned().unwrap_or_default();
    let authors: HashMap<&str, Vec<String>> = works
        .iter()
        .map(|w| {
            let names = w
                .authors()
                .unwrap_or_default()
                .iter()
                .map(|p| match &p.given_name {
                    Some(given) => format!("{given} {}", p.name),
                    None => p.name.clone(),
                });
            (w.key(), names.map(|n| curled(&n)).collect())
        })
        .collect();
    let mut references = References {
        style: style.info.title.value.clone(),
        ..References::default()
    };
    let items: Vec<(String, Writer)> = match list {
        Some(list) => {
            references.hanging_indent = list.hanging_indent;
            list.items
                .iter()
                .map(|item| {
                    let mut w = Writer::new(true);
                    if let Some(first) = &item.first_field {
                        w.child(first);
                        w.text(" ", Formatting::default());
                    }
                    w.children(&item.content);
                    (item.key.clone(), w)
                })
                .collect()
        }
        None => works
            .iter()
            .map(|work| {
                let mut w = Writer::new(true);
                w.text(work.key(), Formatting::default());
                (work.key().to_string(), w)
            })
            .collect(),
    };
    for (key, w) in items {
        references
            .by_key
            .insert(key.clone(), references.entries.len());
        references.entries.push(Reference {
            title: title(&key),
            authors: authors.get(key.as_str()).cloned().unwrap_or_default(),
            html: w.html,
            text: w.plain.trim().to_string(),
            key,
            cited_in: Vec::new(),
        });
    }
    references
}

/// One citation as HTML and text, each work in it a link to its entry with its card.
fn citation(
    cite: &Cite,
    children: &ElemChildren,
    works: &[&hayagriva::Entry],
    references: &References,
) -> (String, String) {
    let mut w = Writer::new(false);
    for child in &children.0 {
        let ElemChild::Elem(elem) = child else {
            w.child(child);
            continue;
        };
        let Some(ElemMeta::Entry(i)) = elem.meta else {
            w.child(child);
            continue;
        };
        let Some(item) = cite.items.get(i) else {
            w.children(&elem.children);
            continue;
        };
        if !item.prefix.is_empty() {
            w.text(&format!("{} ", item.prefix), Formatting::default());
        }
        let key = works[item.entry].key();
        let reference = references.get(key);
        let mut inner = Writer::new(false);
        if item.suppress_author {
            inner.children(&without_author(&elem.children));
        } else {
            inner.children(&elem.children);
        }
        // A style that cites without a year names no year in prose ("Holton ()" in MLA).
        let html = inner.html.replace(" ()", "").replace("()", "");
        let plain = inner.plain.replace(" ()", "").replace("()", "");
        if plain.trim().is_empty() {
            continue;
        }
        w.html.push_str(&format!(
            // The card's text is the work's entry in the page's references, which it links to.
            "<a class=\"term-link cite-link\" href=\"#{}\" data-cite=\"{}\" data-term-name=\"{}\">",
            escape_attr(&fragment(&reference_id(key))),
            escape_attr(key),
            escape_attr(reference.map_or(key, |r| r.title.as_str())),
        ));
        w.html.push_str(&html);
        w.plain.push_str(&plain);
        w.html.push_str("</a>");
        if !item.suffix.is_empty() {
            let space = if item.suffix.starts_with(char::is_alphanumeric) {
                " "
            } else {
                ""
            };
            w.text(&format!("{space}{}", item.suffix), Formatting::default());
        }
    }
    (w.html, w.plain)
}

/// A work cited in prose ("Allen (2021)") without the author's name: "(2021)".
fn without_author(children: &ElemChildren) -> ElemChildren {
    let mut out = children.0.clone();
    let names = out.iter().position(
        |c| matches!(c, ElemChild::Elem(e) if matches!(e.meta, Some(ElemMeta::Names(..)))),
    );
    if let Some(at) = names {
        out.remove(at);
        if let Some(ElemChild::Text(t)) = out.get_mut(at) {
            t.text = t.text.trim_start().to_string();
        }
    }
    ElemChildren(out)
}

/// What the engine made, written as HTML and as plain text.
struct Writer {
    html: String,
    plain: String,
    /// Whether web addresses become links (in the reference list, not inside a citation's
    /// own link).
    links: bool,
}

impl Writer {
    fn new(links: bool) -> Writer {
        Writer {
            html: String::new(),
            plain: String::new(),
            links,
        }
    }

    fn children(&mut self, children: &ElemChildren) {
        for child in &children.0 {
            self.child(child);
        }
    }

    fn child(&mut self, child: &ElemChild) {
        match child {
            ElemChild::Text(t) => self.text(&curled(&t.text), t.formatting),
            ElemChild::Elem(e) => {
                let (open, close) = match e.display {
                    Some(Display::Block) => ("<div class=\"csl-block\">", "</div>"),
                    Some(Display::Indent) => ("<div class=\"csl-indent\">", "</div>"),
                    Some(Display::LeftMargin) => ("<span class=\"csl-left-margin\">", "</span>"),
                    Some(Display::RightInline) => ("<span class=\"csl-right-inline\">", "</span>"),
                    None => ("", ""),
                };
                self.html.push_str(open);
                self.children(&e.children);
                self.html.push_str(close);
            }
            ElemChild::Markup(m) => self.text(m, Formatting::default()),
            ElemChild::Link { text, url } => {
                let web = url.starts_with("https://") || url.starts_with("http://");
                if self.links && web {
                    self.html
                        .push_str(&format!("<a href=\"{}\">", escape_attr(url)));
                    self.text(&text.text, text.formatting);
                    self.html.push_str("</a>");
                } else {
                    self.text(&text.text, text.formatting);
                }
            }
            ElemChild::Transparent { .. } => {}
        }
    }

    /// A run of text, escaped, in its formatting. Where the engine's pieces meet, punctuation
    /// is not doubled, as style guides ask: a full stop after a title's own question mark
    /// ("Mechanism?.") or in place of a comma ("ahead of print,."), and one space between words.
    fn text(&mut self, text: &str, formatting: Formatting) {
        let tidied = tidy(text);
        let mut text = tidied.as_str();
        let ends = self
            .plain
            .trim_end_matches(['”', '’', '"', '\''])
            .chars()
            .next_back();
        if let Some(rest) = text.strip_prefix('.') {
            if matches!(ends, Some('.' | '?' | '!')) {
                text = rest;
            } else if self.plain.ends_with(',') && self.html.ends_with(',') {
                self.plain.pop();
                self.html.pop();
            }
        } else if let Some(rest) = text.strip_prefix(',')
            && ends == Some(',')
        {
            text = rest;
        }
        if self.plain.ends_with(' ') {
            text = text.trim_start_matches(' ');
        }
        if text.is_empty() {
            return;
        }
        let tags = tags(formatting);
        for (open, _) in &tags {
            self.html.push_str(open);
        }
        self.html.push_str(&escape_attr(text));
        for (_, close) in tags.iter().rev() {
            self.html.push_str(close);
        }
        self.plain.push_str(text);
    }
}

/// A run of the engine's text with its doubled punctuation and spaces made single.
fn tidy(text: &str) -> String {
    let mut out = text.to_string();
    for (doubled, single) in [
        (",.", "."),
        (",)", ")"),
        ("?.", "?"),
        ("!.", "!"),
        ("  ", " "),
    ] {
        while out.contains(doubled) {
            out = out.replace(doubled, single);
        }
    }
    out
}

/// Text with typographic quotes, as the rest of the site has them: `O'Neill` as `O’Neill`.
fn curled(text: &str) -> String {
    if !text.contains(['\'', '"']) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut previous: Option<char> = None;
    for c in text.chars() {
        let after_word = previous.is_some_and(|p| p.is_alphanumeric() || ".,;:!?)".contains(p));
        out.push(match (c, after_word) {
            ('\'', true) => '’',
            ('\'', false) => '‘',
            ('"', true) => '”',
            ('"', false) => '“',
            _ => c,
        });
        previous = Some(c);
    }
    out
}

/// The elements that give text its formatting.
fn tags(f: Formatting) -> Vec<(&'static str, &'static str)> {
    let mut tags = Vec::new();
    if f.font_style == FontStyle::Italic {
        tags.push(("<i>", "</i>"));
    }
    if f.font_weight == FontWeight::Bold {
        tags.push(("<b>", "</b>"));
    }
    if f.font_variant == FontVariant::SmallCaps {
        tags.push(("<span class=\"small-caps\">", "</span>"));
    }
    if f.text_decoration == TextDecoration::Underline {
        tags.push(("<u>", "</u>"));
    }
    match f.vertical_align {
        VerticalAlign::Sup => tags.push(("<sup>", "</sup>")),
        VerticalAlign::Sub => tags.push(("<sub>", "</sub>")),
        _ => {}
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engine_s_pieces_meet_without_doubled_punctuation() {
        let written = |pieces: &[&str]| {
            let mut w = Writer::new(true);
            for p in pieces {
                w.text(p, Formatting::default());
            }
            (w.plain, w.html)
        };
        // Initials keep the comma that separates names.
        assert_eq!(
            written(&["Safran, J. D.", ", ", "& Muran"]).0,
            "Safran, J. D., & Muran"
        );
        assert_eq!(
            written(&["the linking mechanism?", ". In"]).0,
            "the linking mechanism? In"
        );
        assert_eq!(
            written(&["News, ahead of print,", ". https"]).0,
            "News, ahead of print. https"
        );
        assert_eq!(written(&["(2026,)", "  The"]).0, "(2026) The");
        assert_eq!(written(&["<b>&"]).1, "&lt;b&gt;&amp;");
        assert_eq!(curled("O'Neill's \"trust\""), "O’Neill’s “trust”");
    }

    #[test]
    fn the_archive_keeps_its_locales_in_the_order_of_their_codes() {
        // `locales` stops reading once it has passed the codes it wants.
        let codes: Vec<String> = hayagriva::archive::locales()
            .into_iter()
            .filter_map(|l| l.lang.map(|c| c.0.to_lowercase()))
            .collect();
        let mut sorted = codes.clone();
        sorted.sort();
        assert_eq!(codes, sorted);
        let codes = |language: &str| -> Vec<String> {
            locales(language)
                .into_iter()
                .filter_map(|l| l.lang.map(|c| c.0))
                .collect()
        };
        assert_eq!(codes("en"), ["en-GB", "en-US"]);
        assert_eq!(codes("de"), ["de-AT", "de-CH", "de-DE", "en-US"]);
        assert_eq!(codes("zh"), ["en-US", "zh-CN", "zh-TW"]);
    }
}
