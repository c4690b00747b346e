//! Resolving again after edits to bodies alone, when front matter, heading and element ids and
//! citations stay as they were. Only the edited bodies are converted; the rest of the site
//! (sessions, tags, references) is the previous one. When an edit changes where a body links,
//! every entry's relations are drawn again from the links, and the entries whose backlinks
//! changed are revised too. Anything more (a session's terms to know, say) and `revise`
//! declines, for `resolve` to do the whole work.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::{LinkCache, Resolved, checks, citations};
use crate::content::Item;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::site::{Assets, Converted, Entry, EntryId, Site};

/// A site resolved again after body edits, with how the edited files' warnings changed.
pub struct Revision {
    pub resolved: Resolved,
    /// The entries whose bodies were converted again.
    pub edited: Vec<EntryId>,
    /// The entries whose relations changed with the edits' links.
    pub related: Vec<EntryId>,
    /// The warnings the edited files had, and those they have now.
    pub gone: Vec<Diagnostic>,
    pub new: Vec<Diagnostic>,
}

/// The previous resolution (`site`, `cache`) with the files of `edited` read again, or None
/// when an edit reaches further than its own page and the relations its links make (or has
/// errors, which a whole resolution reports with the rest).
pub fn revise(
    site: &Site,
    cache: &LinkCache,
    edited: &[Arc<Item>],
    assets: &Assets,
) -> Option<Revision> {
    let timer = crate::timing::Timer::start();
    let (items, ids) = with_edits(site, edited)?;
    let urls: Vec<String> = site.entries.iter().map(|e| e.url.clone()).collect();
    let included: Vec<bool> = site.entries.iter().map(|e| e.included).collect();
    let converted = cache
        .lookups
        .bodies(&items, &cache.keys, &urls, &included, assets)
        .convert_only(&site.config, site.options, &ids);
    timer.lap("v:convert");
    let mut bodies = cache.bodies.clone();
    for (id, body) in ids.iter().zip(converted) {
        bodies[id.index()] = body;
    }
    if ids
        .iter()
        .any(|id| !named_the_same(&cache.bodies[id.index()], &bodies[id.index()]))
    {
        return None;
    }
    let relinked = ids
        .iter()
        .any(|id| cache.bodies[id.index()].links != bodies[id.index()].links);
    let (gone, new) = warnings(site, cache, &items, &bodies, &ids)?;
    timer.lap("v:check");
    let mut revised = site.clone();
    for &id in &ids {
        let i = id.index();
        let mut entry = Entry::clone(&revised.entries[i]);
        entry.item = Arc::clone(&items[i]);
        entry.body = citations::written(Arc::clone(&bodies[i]), &cache.forms[i]);
        revised.entries[i] = Arc::new(entry);
    }
    let related = match relinked {
        true => relate_again(&mut revised, cache)?,
        false => Vec::new(),
    };
    let cache = cache.with_bodies(bodies);
    timer.lap("v:site");
    Some(Revision {
        resolved: Resolved {
            site: revised,
            cache,
        },
        edited: ids,
        related,
        gone,
        new,
    })
}

/// Draws every entry's relations again from the links `site` has now, and gives the entries
/// whose relations changed; None when the sessions changed (a session's terms to know come from
/// its page's links), which a whole resolution redraws.
fn relate_again(site: &mut Site, cache: &LinkCache) -> Option<Vec<EntryId>> {
    let (sessions, relations) = super::connect(
        &site.entries,
        &cache.matter_refs,
        &cache.lookups.ranks,
        &site.essays,
        &site.questions,
    );
    if sessions != site.sessions {
        return None;
    }
    let mut related = Vec::new();
    for (i, relations) in relations.into_iter().enumerate() {
        if site.entries[i].relations != relations {
            let mut entry = Entry::clone(&site.entries[i]);
            entry.relations = relations;
            site.entries[i] = Arc::new(entry);
            related.push(EntryId(i));
        }
    }
    Some(related)
}

/// Every item of `site` with those of `edited` in their places, and those places; None when an
/// edited file is not among them or its front matter changed.
fn with_edits(site: &Site, edited: &[Arc<Item>]) -> Option<(Vec<Arc<Item>>, Vec<EntryId>)> {
    let by_path: HashMap<&Path, &Arc<Item>> =
        edited.iter().map(|i| (i.path.as_path(), i)).collect();
    let mut ids = Vec::with_capacity(edited.len());
    let mut items = Vec::with_capacity(site.entries.len());
    for (i, e) in site.entries.iter().enumerate() {
        match by_path.get(e.item.path.as_path()) {
            Some(item) if item.source.yaml() != e.item.source.yaml() => return None,
            Some(item) => {
                ids.push(EntryId(i));
                items.push(Arc::clone(item));
            }
            None => items.push(Arc::clone(&e.item)),
        }
    }
    (ids.len() == by_path.len()).then_some((items, ids))
}

/// Whether a body converted anew keeps what other pages read of it but its links: what links to
/// it may name (heading and element ids), what it cites (the references and their numbering).
fn named_the_same(old: &Converted, new: &Converted) -> bool {
    old.ids == new.ids
        && old.note_ids == new.note_ids
        && old.citations == new.citations
        && old.cited_unshown == new.cited_unshown
        && crate::text::element_ids(&old.html) == crate::text::element_ids(&new.html)
}

/// The warnings the edited files had and have now (those of their bodies and their text), or
/// None if one has an error now, or any warning in a strict build.
fn warnings(
    site: &Site,
    cache: &LinkCache,
    items: &[Arc<Item>],
    bodies: &[Arc<Converted>],
    ids: &[EntryId],
) -> Option<(Vec<Diagnostic>, Vec<Diagnostic>)> {
    let included: Vec<bool> = ids.iter().map(|id| site.entry(*id).included).collect();
    let of = |files: Vec<(Arc<Item>, &Converted)>| {
        let mut diags = Diagnostics::new();
        for (_, body) in &files {
            diags.extend(body.diagnostics.iter().cloned());
        }
        let items: Vec<Arc<Item>> = files.into_iter().map(|(item, _)| item).collect();
        checks::warn_placeholders(&items, &included, &mut diags);
        diags
    };
    let gone = of(ids
        .iter()
        .map(|&id| (Arc::clone(&site.entry(id).item), &*cache.bodies[id.index()]))
        .collect());
    let mut new = of(ids
        .iter()
        .map(|&id| (Arc::clone(&items[id.index()]), &*bodies[id.index()]))
        .collect());
    checks::check_fragments(items, bodies, ids.iter().map(|id| id.index()), &mut new);
    let refused = new.has_errors() || (site.options.strict && !new.is_empty());
    (!refused).then(|| (gone.into_iter().collect(), new.into_iter().collect()))
}
