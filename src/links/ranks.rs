//! The orders listings use, computed once per build.

use std::sync::Arc;

use crate::content::Item;
use crate::site::EntryId;
use crate::text::fold;

/// Where a question's kind puts it when no `order` does: the way a discussion usually runs,
/// from an opening question to critique, then any other kind, then questions of no kind.
fn kind_rank(item: &Item) -> usize {
    const ORDER: [&str; 5] = [
        "opening",
        "close reading",
        "reflection",
        "application",
        "critique",
    ];
    match &item.meta {
        crate::content::Meta::Question {
            kind: Some(kind), ..
        } => {
            let kind = kind.trim().to_lowercase();
            ORDER.iter().position(|k| *k == kind).unwrap_or(ORDER.len())
        }
        crate::content::Meta::Question { kind: None, .. } => ORDER.len() + 1,
        _ => 0,
    }
}

/// Every entry's place in the two orders listings use, computed once so that the many sorts
/// of a build compare integers: `listing` (session, order, title) and `alpha` (title A–Z).
#[derive(Debug, Default)]
pub struct Ranks {
    pub listing: Vec<usize>,
    pub alpha: Vec<usize>,
}

impl Ranks {
    pub fn new(items: &[Arc<Item>]) -> Ranks {
        // A–Z as a reader expects it: case and accents aside ("Épée" among the E's), then
        // accents and case deciding between titles that are otherwise the same.
        let titles: Vec<(String, String)> = items
            .iter()
            .map(|item| {
                let lower = item.title.to_lowercase();
                (fold(&lower), lower)
            })
            .collect();
        let rank = |cmp: &dyn Fn(usize, usize) -> std::cmp::Ordering| {
            let mut order: Vec<usize> = (0..items.len()).collect();
            order.sort_by(|&a, &b| cmp(a, b));
            let mut rank = vec![0; items.len()];
            for (r, i) in order.into_iter().enumerate() {
                rank[i] = r;
            }
            rank
        };
        let none_last = |x: Option<i64>| (x.is_none(), x.unwrap_or(0));
        let listing = rank(&|a, b| {
            let (x, y) = (&items[a], &items[b]);
            none_last(x.session().map(i64::from))
                .cmp(&none_last(y.session().map(i64::from)))
                .then_with(|| none_last(x.order()).cmp(&none_last(y.order())))
                .then_with(|| kind_rank(x).cmp(&kind_rank(y)))
                .then_with(|| titles[a].cmp(&titles[b]))
                .then_with(|| x.slug.cmp(&y.slug))
        });
        let alpha = rank(&|a, b| {
            titles[a]
                .cmp(&titles[b])
                .then_with(|| items[a].slug.cmp(&items[b].slug))
        });
        Ranks { listing, alpha }
    }

    /// `ids` in listing order (session, order, title), each once.
    pub fn by_listing(&self, mut ids: Vec<EntryId>) -> Vec<EntryId> {
        ids.sort_by_key(|id| self.listing[id.index()]);
        ids.dedup();
        ids
    }

    /// `ids` A–Z by title, each once.
    pub fn by_title(&self, mut ids: Vec<EntryId>) -> Vec<EntryId> {
        ids.sort_by_key(|id| self.alpha[id.index()]);
        ids.dedup();
        ids
    }
}
