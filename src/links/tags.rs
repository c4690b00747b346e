//! Essays' tags. Each tag becomes a page under `/tags/`, at its slug; two spellings with the same
//! slug would share one address, so they are an error naming both files.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use crate::content::{Item, Meta, front_matter};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::site::{Entry, EntryId, Tag};
use crate::text::{fold, slugify};

fn tags_of(item: &Item) -> &[String] {
    match &item.meta {
        Meta::Essay { tags, .. } => tags,
        _ => &[],
    }
}

/// Every tag of the included essays must have a slug, and one spelling per slug.
pub fn check(items: &[Arc<Item>], included: &[bool], diags: &mut Diagnostics) {
    let mut first: HashMap<String, (&str, &Path)> = HashMap::new();
    for (item, _) in items.iter().zip(included).filter(|(_, inc)| **inc) {
        for tag in tags_of(item) {
            let slug = slugify(tag);
            let at = || front_matter::locate(&item.source, "tags", tag);
            if slug.is_empty() {
                let (line, col) = at();
                let message = format!("tag `{tag}` has no letter or digit to make its address of");
                diags.push(
                    Diagnostic::error(&item.path, line, col, message)
                        .with_source(&item.source)
                        .with_hint("a tag is a word or a few, e.g. `tags: [ethics, alliance]`"),
                );
                continue;
            }
            match first.get(&slug) {
                Some((name, _)) if *name == tag.as_str() => {}
                Some((name, path)) => {
                    let (line, col) = at();
                    let message = format!(
                        "tag `{tag}` would share the address /tags/{slug}/ with tag `{name}` of {}",
                        path.display()
                    );
                    diags.push(
                        Diagnostic::error(&item.path, line, col, message)
                            .with_source(&item.source)
                            .with_hint(format!(
                                "spell the tag one way in both files, e.g. `{name}`"
                            )),
                    );
                }
                None => {
                    first.insert(slug, (tag, &item.path));
                }
            }
        }
    }
}

/// The tags of `essays` (in listing order), each with the essays that carry it, A–Z.
pub fn gather(entries: &[Arc<Entry>], essays: &[EntryId]) -> Vec<Tag> {
    let mut by_slug: BTreeMap<String, Tag> = BTreeMap::new();
    for &id in essays {
        for name in tags_of(&entries[id.index()].item) {
            let slug = slugify(name);
            if slug.is_empty() {
                continue;
            }
            let tag = by_slug.entry(slug.clone()).or_insert_with(|| Tag {
                name: name.clone(),
                slug,
                entries: Vec::new(),
            });
            if tag.entries.last() != Some(&id) {
                tag.entries.push(id);
            }
        }
    }
    let mut tags: Vec<Tag> = by_slug.into_values().collect();
    tags.sort_by_cached_key(|t| (fold(&t.name), t.slug.clone()));
    tags
}
