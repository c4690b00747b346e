//! The whole pipeline after loading: a fuzzed body resolved, rendered through the built-in theme,
//! with the sitemap. Never a panic, and the same input renders the same bytes twice.

#![no_main]

#[path = "common.rs"]
mod common;

use std::sync::OnceLock;

use lectern::render::{Theme, render_all};
use libfuzzer_sys::fuzz_target;

fn theme() -> &'static Theme {
    static THEME: OnceLock<Theme> = OnceLock::new();
    THEME.get_or_init(|| Theme::load(&common::config(0)).expect("built-in theme loads"))
}

fuzz_target!(|data: &[u8]| {
    let Some((flags, body, aliases, raw)) = common::split(data) else {
        return;
    };
    let config = common::config(flags >> 2);
    let render = || {
        let corpus = common::corpus(&body, &aliases, raw.as_deref());
        let site = lectern::links::resolve(corpus, &config, common::options(flags), None)
            .ok()?
            .value
            .site;
        let pages = render_all(&site, theme()).ok()?;
        let files = lectern::build::site_files(&site);
        Some((
            pages
                .into_iter()
                .map(|p| (p.path, p.html))
                .collect::<Vec<_>>(),
            files
                .into_iter()
                .map(|(path, bytes)| (path, bytes.to_vec()))
                .collect::<Vec<_>>(),
        ))
    };
    let first = render();
    assert!(first == render(), "two renders of the same input differ");
});
