//! Checks that need every body converted: links to headings of other pages, and front matter
//! naming drafts that this build leaves out.

use std::collections::HashMap;
use std::sync::Arc;

use super::matter::MatterRef;
use crate::content::{Item, front_matter};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::site::{Converted, EntryId, FragmentRef};

/// A site with a bibliography has a /references/ page: no page of its own may take its place.
pub fn check_references_page(items: &[Arc<Item>], diags: &mut Diagnostics) {
    for item in items {
        if item.kind == crate::content::Kind::Page && item.slug == "references" {
            diags.push(
                Diagnostic::error(
                    &item.path,
                    1,
                    1,
                    "a page called `references` would take the place of the bibliography's /references/ page",
                )
                .with_hint("rename the file, e.g. content/reading-list.md; /references/ lists every entry of the bibliography"),
            );
        }
    }
}

/// The checks that need every body converted: fragments, drafts named, placeholders left,
/// and the essays' tags.
pub fn after_conversion(
    items: &[Arc<Item>],
    bodies: &[Arc<Converted>],
    matter_refs: &[MatterRef],
    included: &[bool],
    diags: &mut Diagnostics,
) {
    check_fragments(items, bodies, 0..bodies.len(), diags);
    warn_drafts_named(items, matter_refs, included, diags);
    warn_placeholders(items, included, diags);
    super::tags::check(items, included, diags);
}

/// Every `#id` a link names must be a heading (or, on the same page, an element) of its target:
/// checked for the links of the bodies `from` (by entry).
pub fn check_fragments(
    items: &[Arc<Item>],
    bodies: &[Arc<Converted>],
    from: impl Iterator<Item = usize>,
    diags: &mut Diagnostics,
) {
    // One hint for each missing id of each target, however often it is linked; each target's
    // element ids read once.
    let mut hints: HashMap<(EntryId, &str), String> = HashMap::new();
    let mut elements: HashMap<EntryId, std::collections::HashSet<&str>> = HashMap::new();
    for (from, body) in from.map(|i| (i, &bodies[i])) {
        for f in &body.fragments {
            let target = &bodies[f.target.index()];
            if target.ids.iter().any(|id| id == &f.id) {
                // The heading would be missing from the public page, and its id, made from the
                // heading's words, would carry them into public text.
                if !f.in_notes && target.note_ids.contains(&f.id) {
                    diags.push(note_heading(&items[from], &items[f.target.index()], f));
                }
                continue;
            }
            // An element the target's own HTML gives the id (an anchor in a list, say).
            let given = elements
                .entry(f.target)
                .or_insert_with(|| crate::text::element_ids(&target.html));
            if f.target.index() != from && given.contains(crate::text::escape_attr(&f.id).as_str())
            {
                continue;
            }
            let hint = hints
                .entry((f.target, f.id.as_str()))
                .or_insert_with(|| fragment_hint(&items[f.target.index()], target, &f.id));
            diags.push(missing_fragment(items, from, f, hint));
        }
    }
}

fn note_heading(item: &Item, target: &Item, f: &FragmentRef) -> Diagnostic {
    Diagnostic::error(
        &item.path,
        f.line,
        f.col,
        format!(
            "`#{}` is a heading in the facilitator notes of {}, which public pages do not show",
            f.id,
            target.path.display()
        ),
    )
    .with_source(&item.source)
    .with_hint("link to it from inside facilitator notes, or move the heading out of them")
}

/// What to suggest for a link to `#id` of `target`, whose body is `body`: the closest heading,
/// or the first headings it has.
fn fragment_hint(target: &Item, body: &Converted, id: &str) -> String {
    const LISTED: usize = 12;
    let ids = &body.ids;
    match did_you_mean(id, ids.iter().map(String::as_str)) {
        Some(s) => format!("did you mean `#{s}`?"),
        None if ids.is_empty() => format!("{} has no headings", target.path.display()),
        None => {
            let mut listed: Vec<String> =
                ids.iter().take(LISTED).map(|i| format!("#{i}")).collect();
            if ids.len() > LISTED {
                listed.push(format!("and {} more", ids.len() - LISTED));
            }
            format!(
                "headings in {}: {}",
                target.path.display(),
                listed.join(", ")
            )
        }
    }
}

fn missing_fragment(items: &[Arc<Item>], from: usize, f: &FragmentRef, hint: &str) -> Diagnostic {
    let item = &items[from];
    let target = &items[f.target.index()];
    let message = if f.target.index() == from {
        format!(
            "this page has no heading or element with the id `#{}`",
            f.id
        )
    } else {
        format!("`{}` has no heading `#{}`", target.slug, f.id)
    };
    Diagnostic::error(&item.path, f.line, f.col, message)
        .with_source(&item.source)
        .with_hint(hint)
}

/// Warns where `lectern new`'s placeholder text is still in a file, and where a summary is
/// empty: both would reach cards, listings and search as they are.
pub fn warn_placeholders(items: &[Arc<Item>], included: &[bool], diags: &mut Diagnostics) {
    for (item, _) in items.iter().zip(included).filter(|(_, inc)| **inc) {
        for &(at, placeholder) in &item.source.placeholders {
            let (line, col) = item.source.line_col(at);
            diags.push(
                Diagnostic::warning(
                    &item.path,
                    line,
                    col,
                    format!("“{placeholder}” is the placeholder `lectern new` wrote"),
                )
                .with_source(&item.source)
                .with_hint("replace it with your own text"),
            );
        }
        if item.summary().is_some_and(|s| s.trim().is_empty()) {
            let (line, col) = front_matter::locate(&item.source, "summary", "");
            diags.push(
                Diagnostic::warning(&item.path, line, col, "`summary` is empty")
                    .with_source(&item.source)
                    .with_hint("write one plain sentence, or remove the key"),
            );
        }
    }
}

/// Warns where included front matter names a draft that this build leaves out.
pub fn warn_drafts_named(
    items: &[Arc<Item>],
    matter_refs: &[MatterRef],
    included: &[bool],
    diags: &mut Diagnostics,
) {
    for r in matter_refs {
        if included[r.from] && !included[r.to] {
            let item = &items[r.from];
            let (line, col) = front_matter::locate(&item.source, r.field.key(), &items[r.to].key());
            diags.push(
                Diagnostic::warning(
                    &item.path,
                    line,
                    col,
                    format!(
                        "`{}` is a draft and is left out of this build",
                        items[r.to].slug
                    ),
                )
                .with_source(&item.source)
                .with_hint("build with --drafts to include drafts"),
            );
        }
    }
}
