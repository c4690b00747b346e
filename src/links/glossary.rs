//! Glossary auto-linking: one Aho-Corasick automaton over every term name and alias (with simple
//! inflections), tried at each word start and reading no further than the longest name, so
//! matching stays linear in the size of the text whatever the glossary's size.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};

use crate::content::{Item, Meta};
use crate::site::EntryId;

/// The glossary as a matcher of mentions.
#[derive(Debug, Default)]
pub struct Glossary {
    automaton: Option<AhoCorasick>,
    /// The ways a name can begin, to skip the automaton at most words.
    starts: Starts,
    /// Pattern number → index of the term's item.
    targets: Vec<usize>,
}

impl Glossary {
    /// Builds the matcher over the terms that `included` says are part of this build.
    pub fn new(items: &[Arc<Item>], included: &[bool]) -> Glossary {
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
            return Glossary::default();
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            // Tried only where a word starts (see `find`).
            .start_kind(StartKind::Anchored)
            .build(sorted.iter().map(|(p, _)| p.as_bytes()));
        match automaton {
            Ok(a) => Glossary {
                automaton: Some(a),
                starts: Starts::new(sorted.iter().map(|(p, _)| p.as_bytes())),
                targets: sorted.into_iter().map(|(_, i)| i).collect(),
            },
            Err(_) => Glossary::default(),
        }
    }

    /// Whole-word mentions of terms in `text`: byte range and the term's item index. The
    /// automaton is tried only where a word can start (after a character that is not part of a
    /// word), for the longest name starting there: most of the text is never looked at twice,
    /// and nothing inside a word is.
    pub fn find(&self, text: &str) -> Vec<(Range<usize>, EntryId)> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut at = 0;
        let mut previous: Option<char> = None;
        for (i, c) in text.char_indices() {
            let starts = i >= at && !c.is_whitespace() && !previous.is_some_and(is_word_char);
            previous = Some(c);
            if !starts || !self.starts.may_start(&text.as_bytes()[i..]) {
                continue;
            }
            let input = Input::new(text).span(i..text.len()).anchored(Anchored::Yes);
            if let Ok(Some(m)) = automaton.try_find(input)
                && is_word_boundary(text, m.start(), m.end())
            {
                out.push((m.range(), EntryId(self.targets[m.pattern().as_usize()])));
                at = m.end();
            }
        }
        out
    }
}

/// A set of the first eight bytes of every name (fewer where the name's first word is shorter),
/// kept as one bit per hash: a word whose beginning is not in it starts no name, and most words
/// are turned away with a multiplication and a bit test instead of an automaton search. A hash
/// collision only costs that search.
#[derive(Debug, Default)]
struct Starts(Vec<u64>);

/// Bits in the set: 2^18 (32 KB, in the cache) for a few thousand beginnings.
const STARTS_BITS: u32 = 18;

impl Starts {
    fn new<'p>(names: impl Iterator<Item = &'p [u8]>) -> Starts {
        let mut bits = vec![0u64; 1 << (STARTS_BITS - 6)];
        for name in names {
            let slot = Starts::slot(name);
            bits[slot / 64] |= 1 << (slot % 64);
        }
        Starts(bits)
    }

    fn may_start(&self, text: &[u8]) -> bool {
        let slot = Starts::slot(text);
        self.0
            .get(slot / 64)
            .is_some_and(|b| b & (1 << (slot % 64)) != 0)
    }

    /// The bit for the beginning of `bytes`: up to eight ASCII letters or digits, lowercased,
    /// and how many. A name matches only text that begins with the same bytes, up to case, and
    /// has a word boundary (anything but an ASCII letter or digit, from this point of view)
    /// where the name's first word ends, so the two always get the same bit.
    fn slot(bytes: &[u8]) -> usize {
        let mut key = 0u64;
        let mut n = 0u64;
        for &b in bytes.iter().take(8) {
            if !b.is_ascii_alphanumeric() {
                break;
            }
            key = key << 8 | u64::from(b.to_ascii_lowercase());
            n += 1;
        }
        let hash =
            (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ n).wrapping_mul(0xff51_afd7_ed55_8ccd);
        (hash >> (64 - STARTS_BITS)) as usize
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
    fn the_start_filter_lets_every_name_through() {
        let names: [&[u8]; 6] = [
            b"ai safety",
            b"e-mail",
            b"trust",
            b"self-trust",
            b"ego",
            "\u{e9}motion".as_bytes(),
        ];
        let starts = Starts::new(names.iter().copied());
        for text in [
            "AI safety matters",
            "E-mail her",
            "Trust others",
            "trust.",
            "SELF-TRUST grows",
            "ego\u{2019}s pull",
            "\u{e9}motion vive",
        ] {
            assert!(starts.may_start(text.as_bytes()), "{text}");
        }
        // Most other words are turned away.
        let other = [
            "aim", "email", "trestle", "egotism", "selfish", "tryst", "motion",
        ];
        let through = other
            .iter()
            .filter(|w| starts.may_start(w.as_bytes()))
            .count();
        assert!(through <= 1, "{through} of {other:?}");
    }

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
