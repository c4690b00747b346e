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
    /// The ways a name's first two words can go, to skip it at most of the rest.
    openings: Openings,
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
                openings: Openings::new(sorted.iter().map(|(p, _)| p.as_bytes())),
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
            let rest = &text.as_bytes()[i..];
            if !starts || !self.starts.may_start(rest) || !self.openings.may_open(rest) {
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

/// A set of the first eight bytes of every name (fewer where the name's first word is shorter):
/// a word whose beginning is not in it starts no name, and most words are turned away with a
/// multiplication and a bit test instead of an automaton search.
#[derive(Debug, Default)]
struct Starts(Bits);

impl Starts {
    fn new<'p>(names: impl ExactSizeIterator<Item = &'p [u8]>) -> Starts {
        // One bit in eight set: 2^18 bits (32 KB, in the cache) for a few thousand names, 2^21
        // at most (256 KB), where a glossary of tens of thousands would fill a smaller set.
        let mut bits = Bits::new(names.len() * 8, 18, 21);
        for name in names {
            bits.insert(Starts::key(name));
        }
        Starts(bits)
    }

    fn may_start(&self, text: &[u8]) -> bool {
        self.0.has(Starts::key(text))
    }

    /// The key of the beginning of `bytes`: up to eight ASCII letters or digits, lowercased,
    /// and how many. A name matches only text that begins with the same bytes, up to case, and
    /// has a word boundary (anything but an ASCII letter or digit, from this point of view)
    /// where the name's first word ends, so the two always get the same key.
    fn key(bytes: &[u8]) -> u64 {
        let mut key = 0u64;
        let mut n = 0u64;
        for &b in bytes.iter().take(8) {
            if !b.is_ascii_alphanumeric() {
                break;
            }
            key = key << 8 | u64::from(b.to_ascii_lowercase());
            n += 1;
        }
        key.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ n
    }
}

/// A set of the openings of every name: its first run of ASCII letters and digits, lowercased,
/// and, if more follows, the byte after the run and the run after that byte. A name ends where a
/// word does, so text it matches opens the same way. Checked where `Starts` lets a word through,
/// it turns away most words that begin a name but go on differently ("trust" before "issues"
/// where the glossary has "trust repair"): in a glossary of tens of thousands of names, most
/// words that get past `Starts` do, and each would cost an automaton search.
#[derive(Debug, Default)]
struct Openings(Bits);

impl Openings {
    fn new<'p>(names: impl ExactSizeIterator<Item = &'p [u8]>) -> Openings {
        // One bit in sixteen set, up to 2^24 bits (2 MB): probed far less often than `Starts`.
        let mut bits = Bits::new(names.len() * 16, 12, 24);
        for name in names {
            let (first, after) = split_run(name);
            let key = match after.split_first() {
                None => opening(first, None),
                Some((&byte, rest)) => opening(first, Some((byte, split_run(rest).0))),
            };
            bits.insert(key);
        }
        Openings(bits)
    }

    /// Whether a name can open `text`, up to a hash collision: the text's first run alone, or
    /// with the byte after it and the next run, or with that byte alone (for a name whose second
    /// word does not begin with a letter or digit).
    fn may_open(&self, text: &[u8]) -> bool {
        let (first, after) = split_run(text);
        if self.0.has(opening(first, None)) {
            return true;
        }
        let Some((&byte, rest)) = after.split_first() else {
            return false;
        };
        let next = split_run(rest).0;
        self.0.has(opening(first, Some((byte, next))))
            || !next.is_empty() && self.0.has(opening(first, Some((byte, &[]))))
    }
}

/// The leading run of ASCII letters and digits of `bytes`, and what follows it.
fn split_run(bytes: &[u8]) -> (&[u8], &[u8]) {
    let end = bytes
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(bytes.len());
    bytes.split_at(end)
}

/// The key of a run, lowercased, alone or followed by a byte and a second run.
fn opening(first: &[u8], then: Option<(u8, &[u8])>) -> u64 {
    let fold = |hash: u64, b: &u8| {
        (hash ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x100_0000_01b3)
    };
    let hash = first.iter().fold(0xcbf2_9ce4_8422_2325, fold);
    match then {
        None => hash,
        Some((byte, second)) => {
            let hash = fold(hash.rotate_left(29) ^ 0x9e37_79b9_7f4a_7c15, &byte);
            second.iter().fold(hash.rotate_left(17), fold)
        }
    }
}

/// A set of keys kept as one bit per hash: a collision only lets a key through that is not in
/// it, which costs the search the set is there to spare.
#[derive(Debug, Default)]
struct Bits {
    words: Vec<u64>,
    shift: u32,
}

impl Bits {
    /// Room for `bits` bits, as a power of two from 2^`least` to 2^`most`.
    fn new(bits: usize, least: u32, most: u32) -> Bits {
        let log = bits.next_power_of_two().trailing_zeros().clamp(least, most);
        Bits {
            words: vec![0; 1 << (log - 6)],
            shift: 64 - log,
        }
    }

    fn slot(&self, key: u64) -> usize {
        (key.wrapping_mul(0xff51_afd7_ed55_8ccd) >> self.shift) as usize
    }

    fn insert(&mut self, key: u64) {
        let slot = self.slot(key);
        self.words[slot / 64] |= 1 << (slot % 64);
    }

    fn has(&self, key: u64) -> bool {
        let slot = self.slot(key);
        self.words
            .get(slot / 64)
            .is_some_and(|w| w & (1 << (slot % 64)) != 0)
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

    /// Asserts that `may` lets every text of `through` pass and turns away all but at most one
    /// of `other`.
    fn filters(may: impl Fn(&[u8]) -> bool, through: &[&str], other: &[&str]) {
        for text in through {
            assert!(may(text.as_bytes()), "{text}");
        }
        let passed = other.iter().filter(|w| may(w.as_bytes())).count();
        assert!(passed <= 1, "{passed} of {other:?}");
    }

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
        let through = [
            "AI safety matters",
            "E-mail her",
            "Trust others",
            "trust.",
            "SELF-TRUST grows",
            "ego\u{2019}s pull",
            "\u{e9}motion vive",
        ];
        // Most other words are turned away.
        let other = [
            "aim", "email", "trestle", "egotism", "selfish", "tryst", "motion",
        ];
        filters(|text| starts.may_start(text), &through, &other);
    }

    #[test]
    fn the_opening_filter_lets_every_name_through() {
        let names: [&[u8]; 7] = [
            b"trust repair",
            b"trust",
            b"self-trust",
            b"ai (artificial intelligence)",
            b"c++",
            b"o' brien",
            "\u{e9}motion".as_bytes(),
        ];
        let openings = Openings::new(names.iter().copied());
        let through = [
            "Trust repair takes time",
            "trust.",
            "trust issues",
            "Self-Trust grows",
            "AI (artificial intelligence) here",
            "C++ code",
            "O' Brien said",
            "\u{e9}motion vive",
        ];
        // A name's first word going on differently is mostly turned away.
        let other = [
            "self-reliance",
            "ai-safety",
            "selfish",
            "trusted",
            "self reliance",
            "c# code",
            "trustworthy",
        ];
        filters(|text| openings.may_open(text), &through, &other);
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
