//! Heading ids from any text: never empty, never with whitespace (which HTML ids forbid), never
//! starting or ending with `-`, never with two `-` in a row.

#![no_main]

use lectern::text::heading_id;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let id = heading_id(text);
    assert!(!id.is_empty());
    assert!(!id.contains(|c: char| c.is_ascii_whitespace()), "{id:?}");
    assert!(!id.starts_with('-') && !id.ends_with('-'), "{id:?}");
    assert!(!id.contains("--"), "{id:?}");
});
