//! The checks of front matter that need the whole corpus: every slug it names must exist, and
//! aliases must be unique and differ from every slug.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::names::Names;
use crate::content::{Item, Kind, Meta, front_matter};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::markdown::Lookup;
use crate::text::with_article;

/// A front-matter reference from one item to another, checked and resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct MatterRef {
    pub from: usize,
    pub to: usize,
    pub field: Field,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Essays,
    Terms,
    Related,
    Questions,
    Session,
}

impl Field {
    pub fn key(self) -> &'static str {
        match self {
            Field::Essays => "essays",
            Field::Terms => "terms",
            Field::Related => "related",
            Field::Questions => "questions",
            Field::Session => "session",
        }
    }
}

/// Checks every slug named in front matter and returns the references that resolved.
pub fn check_matter_refs(
    items: &[Arc<Item>],
    names: &Names,
    diags: &mut Diagnostics,
) -> Vec<MatterRef> {
    let mut refs = Vec::new();
    for (from, item) in items.iter().enumerate() {
        for (field, kind, slugs) in named_lists(item) {
            for slug in &slugs {
                match names.qualified(kind, slug) {
                    Some(to) if field != Field::Session || items[to].kind == Kind::Session => {
                        if to == from {
                            let (line, col) = front_matter::locate(&item.source, field.key(), slug);
                            diags.push(
                                Diagnostic::error(
                                    &item.path,
                                    line,
                                    col,
                                    format!("`{}` lists the item itself", field.key()),
                                )
                                .with_source(&item.source),
                            );
                        } else {
                            refs.push(MatterRef { from, to, field });
                        }
                    }
                    _ if names.is_unloaded(kind, slug) => {}
                    _ => diags.push(missing_ref(items, names, item, field, kind, slug)),
                }
            }
        }
    }
    refs
}

/// The lists of slugs an item's front matter names, with what each list holds.
fn named_lists(item: &Item) -> Vec<(Field, Kind, Vec<String>)> {
    let session = |n: &Option<u32>| n.map(|n| vec![n.to_string()]).unwrap_or_default();
    match &item.meta {
        Meta::Term { related, .. } => vec![(Field::Related, Kind::Term, related.clone())],
        Meta::Question {
            essays,
            terms,
            related,
            session: number,
            ..
        } => vec![
            (Field::Essays, Kind::Essay, essays.clone()),
            (Field::Terms, Kind::Term, terms.clone()),
            (Field::Related, Kind::Question, related.clone()),
            (Field::Session, Kind::Session, session(number)),
        ],
        Meta::Essay {
            session: number, ..
        } => vec![(Field::Session, Kind::Session, session(number))],
        Meta::Session {
            essays, questions, ..
        } => vec![
            (Field::Essays, Kind::Essay, essays.clone()),
            (Field::Questions, Kind::Question, questions.clone()),
        ],
        Meta::Page { .. } => Vec::new(),
    }
}

fn missing_ref(
    items: &[Arc<Item>],
    names: &Names,
    item: &Item,
    field: Field,
    kind: Kind,
    slug: &str,
) -> Diagnostic {
    let (line, col) = front_matter::locate(&item.source, field.key(), slug);
    let candidates: Vec<&str> = items
        .iter()
        .filter(|i| i.kind == kind)
        .map(|i| {
            if kind == Kind::Session {
                ""
            } else {
                i.slug.as_str()
            }
        })
        .filter(|s| !s.is_empty())
        .collect();
    let message = if field == Field::Session {
        format!("there is no session {slug}")
    } else {
        format!(
            "`{}` names {} `{slug}`, which does not exist",
            field.key(),
            with_article(kind.name())
        )
    };
    // A term's name or alias is a sure answer; a near miss only a guess.
    let found = match names.lookup(items, slug) {
        Lookup::Found(other) => Some(&items[other.index()]),
        _ => None,
    };
    let mut hint = match found {
        Some(other) if other.kind == kind && field != Field::Session => {
            Some(format!("front matter lists slugs: write `{}`", other.slug))
        }
        _ => did_you_mean(slug, candidates.iter().copied()).map(|s| format!("did you mean `{s}`?")),
    };
    if hint.is_none() {
        if field == Field::Session {
            let mut numbers: Vec<u32> = items
                .iter()
                .filter_map(|i| match i.meta {
                    Meta::Session { number, .. } => Some(number),
                    _ => None,
                })
                .collect();
            numbers.sort_unstable();
            let numbers: Vec<String> = numbers.iter().map(u32::to_string).collect();
            hint = Some(if numbers.is_empty() {
                "create the session with `lectern new session \"Title\"`".to_string()
            } else {
                format!("sessions are: {}", numbers.join(", "))
            });
        } else if let Some(o) = found {
            hint = Some(format!(
                "`{slug}` is {}, not {}",
                with_article(o.kind.name()),
                with_article(kind.name())
            ));
        } else {
            hint = Some(format!(
                "{} slugs are file names in content/{}/",
                kind.name(),
                kind.folder()
            ));
        }
    }
    let mut d = Diagnostic::error(&item.path, line, col, message).with_source(&item.source);
    if let Some(h) = hint {
        d = d.with_hint(h);
    }
    d
}

/// Aliases must be unique across terms (case-insensitively) and differ from every slug.
pub fn check_aliases(items: &[Arc<Item>], diags: &mut Diagnostics) {
    let slugs: BTreeMap<String, usize> = items
        .iter()
        .enumerate()
        .filter(|(_, i)| !i.is_home())
        .map(|(n, i)| (i.slug.clone(), n))
        .collect();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    // Items are in path order, so the later file is the one reported.
    for (n, item) in items.iter().enumerate() {
        let Meta::Term { aliases, .. } = &item.meta else {
            continue;
        };
        for alias in aliases {
            let key = alias.trim().to_lowercase();
            let (line, col) = front_matter::locate(&item.source, "aliases", alias);
            let clash = if key.is_empty() {
                Some((
                    "an alias is empty".to_string(),
                    "remove the empty entry".to_string(),
                ))
            } else if let Some(&other) = slugs.get(&key) {
                let o = &items[other];
                Some((
                    format!(
                        "alias `{alias}` is the slug of {} {}",
                        o.kind.name(),
                        o.path.display()
                    ),
                    "an alias must differ from every slug; remove it or rename the file"
                        .to_string(),
                ))
            } else if let Some(&other) = seen.get(&key) {
                let o = &items[other];
                let message = if other == n {
                    format!("alias `{alias}` is listed twice")
                } else {
                    format!(
                        "alias `{alias}` is already an alias of `{}` ({})",
                        o.slug,
                        o.path.display()
                    )
                };
                Some((
                    message,
                    "aliases must be unique across all terms (case does not count)".to_string(),
                ))
            } else {
                None
            };
            match clash {
                Some((message, hint)) => diags.push(
                    Diagnostic::error(&item.path, line, col, message)
                        .with_source(&item.source)
                        .with_hint(hint),
                ),
                None => {
                    seen.insert(key, n);
                }
            }
        }
    }
}
