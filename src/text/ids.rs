//! Heading ids: made from a heading's words, unique on their page.

use std::collections::{HashMap, HashSet};

/// Lowercase; Unicode letters and digits kept; runs of anything else become `-`, trimmed.
pub fn heading_id(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !id.is_empty() {
                id.push('-');
            }
            dash = false;
            id.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    if id.is_empty() {
        "section".to_string()
    } else {
        id
    }
}

/// The ids given out on one page. A repeat gets the first free suffix `-1`, `-2`, …; each base
/// remembers where its search stopped, so that a page of thousands of equal headings costs
/// time in proportion to their number, not its square.
#[derive(Debug, Default)]
pub struct IdSet {
    used: HashSet<String>,
    next_suffix: HashMap<String, usize>,
}

impl IdSet {
    /// A set holding `taken` already (ids the page has elsewhere).
    pub fn with_taken<'a>(taken: impl IntoIterator<Item = &'a str>) -> IdSet {
        IdSet {
            used: taken.into_iter().map(str::to_string).collect(),
            next_suffix: HashMap::new(),
        }
    }

    /// `base`, or `base-N` for the first N ≥ 1 not yet given out; recorded as given.
    pub fn claim(&mut self, base: &str) -> String {
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        // Suffixes below the remembered one were all found taken, and ids are never released.
        let mut n = self.next_suffix.get(base).copied().unwrap_or(1);
        let id = loop {
            let candidate = format!("{base}-{n}");
            n += 1;
            if !self.used.contains(&candidate) {
                break candidate;
            }
        };
        self.next_suffix.insert(base.to_string(), n);
        self.used.insert(id.clone());
        id
    }

    pub fn contains(&self, id: &str) -> bool {
        self.used.contains(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_keep_letters_and_digits() {
        assert_eq!(
            heading_id("Épistémic Ünïcode & more!"),
            "épistémic-ünïcode-more"
        );
        assert_eq!(heading_id("?!"), "section");
    }

    #[test]
    fn repeats_take_the_first_free_suffix() {
        let mut ids = IdSet::with_taken(["main"]);
        assert_eq!(ids.claim("main"), "main-1");
        assert_eq!(ids.claim("a"), "a");
        assert_eq!(ids.claim("a-1"), "a-1");
        assert_eq!(ids.claim("a"), "a-2");
        assert_eq!(ids.claim("a"), "a-3");
        assert_eq!(ids.claim("a-2"), "a-2-1");
    }
}
