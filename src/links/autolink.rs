//! Glossary auto-linking: one Aho-Corasick automaton over every term name and alias (with simple
//! inflections), tried at each word start and reading no further than the longest name, so
//! matching stays linear in the size of the text whatever the glossary's size.

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};

use crate::content::{Item, Meta};

#[derive(Debug, Default)]
pub struct Autolinker {
    automaton: Option<AhoCorasick>,
    /// Pattern number → index of the term's item.
    targets: Vec<usize>,
}

impl Autolinker {
    /// Builds the matcher over the terms that `included` says are part of this build.
    pub fn new(items: &[Item], included: &[bool]) -> Autolinker {
        // Pattern text → (item, is the uninflected form). An exact name beats an inflection of
        // another term that happens to spell the same.
        let mut patterns: HashMap<String, (usize, bool)> = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            let Meta::Term { aliases, .. } = &item.meta else {
                continue;
            };
            if !included[i] {
                continue;
            }
            let names =
                std::iter::once(item.title.as_str()).chain(aliases.iter().map(String::as_str));
            for name in names {
                let name = name.trim().to_lowercase();
                if name.is_empty() {
                    continue;
                }
                for (n, form) in inflections(&name).into_iter().enumerate() {
                    let exact = n == 0;
                    match patterns.get(&form) {
                        Some((_, true)) => {}
                        Some((_, false)) if !exact => {}
                        _ => {
                            patterns.insert(form, (i, exact));
                        }
                    }
                }
            }
        }
        let mut sorted: Vec<(String, usize)> =
            patterns.into_iter().map(|(p, (i, _))| (p, i)).collect();
        sorted.sort();
        if sorted.is_empty() {
            return Autolinker::default();
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            // Tried only where a word starts (see `find`).
            .start_kind(StartKind::Anchored)
            .build(sorted.iter().map(|(p, _)| p.as_bytes()));
        match automaton {
            Ok(a) => Autolinker {
                automaton: Some(a),
                targets: sorted.into_iter().map(|(_, i)| i).collect(),
            },
            Err(_) => Autolinker::default(),
        }
    }

    /// Whole-word mentions of terms in `text`: byte range and the term's item index. The
    /// automaton is tried only where a word can start (after a character that is not part of a
    /// word), for the longest name starting there: most of the text is never looked at twice,
    /// and nothing inside a word is.
    pub fn find(&self, text: &str) -> Vec<(Range<usize>, usize)> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut at = 0;
        let mut previous: Option<char> = None;
        for (i, c) in text.char_indices() {
            let starts = i >= at && !c.is_whitespace() && !previous.is_some_and(is_word_char);
            previous = Some(c);
            if !starts {
                continue;
            }
            let input = Input::new(text).span(i..text.len()).anchored(Anchored::Yes);
            if let Ok(Some(m)) = automaton.try_find(input)
                && is_word_boundary(text, m.start(), m.end())
            {
                out.push((m.range(), self.targets[m.pattern().as_usize()]));
                at = m.end();
            }
        }
        out
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

fn is_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let word = is_word_char;
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    // A hyphen glued to the word makes a compound ("self-trust"), which is a different term.
    !before.is_some_and(word) && !after.is_some_and(word)
}

/// The name itself, then its inflected forms; for several words, only the last word inflects.
pub fn inflections(name: &str) -> Vec<String> {
    let (head, last) = match name.rfind(' ') {
        Some(i) => (&name[..=i], &name[i + 1..]),
        None => ("", name),
    };
    let mut forms = vec![name.to_string()];
    let mut add = |w: String| {
        let form = format!("{head}{w}");
        if !forms.contains(&form) {
            forms.push(form);
        }
    };
    if last.chars().count() < 3 || !last.chars().all(|c| c.is_alphabetic()) {
        return forms;
    }
    let ends_with_sibilant = ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|e| last.ends_with(e));
    if let Some(stem) = last
        .strip_suffix('y')
        .filter(|s| !s.ends_with(['a', 'e', 'i', 'o', 'u']))
    {
        add(format!("{stem}ies"));
        add(format!("{stem}ied"));
        add(format!("{last}ing"));
    } else if let Some(stem) = last.strip_suffix('e') {
        add(format!("{last}s"));
        add(format!("{last}d"));
        add(format!("{stem}ing"));
    } else {
        add(format!(
            "{last}{}",
            if ends_with_sibilant { "es" } else { "s" }
        ));
        add(format!("{last}ed"));
        add(format!("{last}ing"));
    }
    forms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflects_the_last_word() {
        assert_eq!(
            inflections("trust"),
            ["trust", "trusts", "trusted", "trusting"]
        );
        assert_eq!(inflections("care"), ["care", "cares", "cared", "caring"]);
        assert_eq!(inflections("epistemic trust")[1], "epistemic trusts");
        assert_eq!(inflections("dependency")[1], "dependencies");
        assert_eq!(inflections("bias")[1], "biases");
    }
}
