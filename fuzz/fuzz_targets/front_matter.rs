//! Splitting and parsing a content file of any kind: never a panic, and every error points at
//! a line that exists.

#![no_main]

#[path = "common.rs"]
mod common;

use std::path::Path;

use lectern::content::{Kind, parse_item};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&k, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let kind = Kind::ALL[k as usize % Kind::ALL.len()];
    let path = match kind {
        Kind::Page if k & 0x80 != 0 => "content/_index.md".to_string(),
        Kind::Page => "content/about.md".to_string(),
        Kind::Session => "content/sessions/week.md".to_string(),
        kind => format!("content/{}/a.md", kind.folder()),
    };
    let path = Path::new(&path);
    match parse_item(path, kind, text) {
        Ok(item) => {
            let _ = (item.source.yaml(), item.source.body());
            assert!(!item.title.trim().is_empty());
        }
        Err(failed) => {
            let normalised = text
                .strip_prefix('\u{feff}')
                .unwrap_or(text)
                .replace("\r\n", "\n")
                .replace('\r', "\n");
            assert!(!failed.problems.is_empty());
            for d in &failed.problems {
                common::check_diagnostic(d, &[(path, &normalised)]);
            }
        }
    }
});
