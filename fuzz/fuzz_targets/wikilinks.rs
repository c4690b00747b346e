//! Wikilinks, Markdown links, heading ids, footnotes and facilitator notes: a fuzzed body (and a
//! fuzzed whole file) resolved against a small site. Never a panic; every diagnostic points at a
//! line of its file; every link points at an item that exists.

#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((flags, body, aliases, raw)) = common::split(data) else {
        return;
    };
    let corpus = common::corpus(&body, &aliases, raw.as_deref());
    let texts: Vec<(std::path::PathBuf, String)> = corpus
        .items
        .iter()
        .map(|i| (i.path.clone(), i.source.text.to_string()))
        .collect();
    let config = common::config(flags >> 2);
    let (site, diags) = match lectern::links::resolve(corpus, &config, common::options(flags), None) {
        Ok(resolved) => (Some(resolved.value.site), resolved.diagnostics),
        Err(diags) => (None, diags),
    };
    let texts: Vec<(&std::path::Path, &str)> = texts
        .iter()
        .map(|(p, t)| (p.as_path(), t.as_str()))
        .collect();
    for d in diags.iter() {
        common::check_diagnostic(d, &texts);
    }
    if let Some(site) = site {
        for e in &site.entries {
            for l in &e.body.links {
                assert!(site.entry(l.target).included || !e.included);
            }
        }
    }
});
