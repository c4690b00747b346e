//! The glossary matcher over fuzzed term names, aliases and text: never a panic, and matches are
//! whole words, in order, without overlaps, on character boundaries.

#![no_main]

use std::path::Path;

use lectern::content::{Kind, Meta, parse_item};
use lectern::links::Glossary;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (names, prose) = text
        .split_once('\u{1}')
        .unwrap_or(("trust|epistemic trust", text));
    let mut items = Vec::new();
    for (i, name) in names.split('|').take(8).enumerate() {
        let raw = "---\nterm: T\nsummary: S\n---\n";
        let Ok(mut item) = parse_item(
            Path::new(&format!("content/glossary/t{i}.md")),
            Kind::Term,
            raw,
        ) else {
            return;
        };
        let mut parts = name.split(',');
        item.title = parts.next().unwrap_or_default().to_string();
        if let Meta::Term { aliases, .. } = &mut item.meta {
            aliases.extend(parts.take(3).map(str::to_string));
        }
        items.push(item);
    }
    let included = vec![true; items.len()];
    let linker = Glossary::new(&items, &included);
    let found = linker.find(prose);
    let mut last = 0;
    for (range, target) in found {
        assert!(target.index() < items.len());
        assert!(range.start >= last && range.start < range.end && range.end <= prose.len());
        assert!(prose.is_char_boundary(range.start) && prose.is_char_boundary(range.end));
        let word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
        assert!(!prose[..range.start].chars().next_back().is_some_and(word));
        assert!(!prose[range.end..].chars().next().is_some_and(word));
        last = range.end;
    }
});
