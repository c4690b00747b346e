//! A small site built in memory around fuzzed text, shared by the fuzz targets.

#![allow(dead_code)]

use std::path::Path;

use lectern::config::{Autolink, Config};
use lectern::content::{Corpus, CorpusBuilder, Kind, Meta};
use lectern::{BuildOptions, Diagnostic};

/// The fixed part of the site: a term with aliases, another term, essays with headings, a
/// question, a session, a draft and the home page, so that every link form has a target.
const FILES: &[(&str, Kind, &str)] = &[
    (
        "content/_index.md",
        Kind::Page,
        "---\ntitle: Home\n---\n\nWelcome, [[trust]].\n",
    ),
    (
        "content/about.md",
        Kind::Page,
        "---\ntitle: About\n---\n\n# About\n",
    ),
    (
        "content/essays/b.md",
        Kind::Essay,
        "---\ntitle: Bee\nsession: 1\n---\n\n## First part\n\n## Facilitator notes\n\nSecret.\n\n## First part\n",
    ),
    (
        "content/essays/draft.md",
        Kind::Essay,
        "---\ntitle: Draft\ndraft: true\n---\n\nLater.\n",
    ),
    (
        "content/glossary/trust.md",
        Kind::Term,
        "---\nterm: Trust\nsummary: Counting on someone.\naliases: [reliance on others]\n---\n\nBody.\n",
    ),
    (
        "content/glossary/epistemic-trust.md",
        Kind::Term,
        "---\nterm: Epistemic trust\nsummary: Trust in \"what\" <others> tell you.\n---\n",
    ),
    (
        "content/questions/q.md",
        Kind::Question,
        "---\ntitle: Why?\nessays: [b]\nterms: [trust]\nsession: 1\n---\n\n[[essay/b#first-part]]\n",
    ),
    (
        "content/sessions/one.md",
        Kind::Session,
        "---\ntitle: One\nnumber: 1\n---\n",
    ),
];

pub fn config(autolink: u8) -> Config {
    let mut config = Config::parse("title = \"Fuzz\"\nbase_url = \"https://x.org/course/\"\n")
        .expect("fixed site.toml parses")
        .value;
    config.autolink = match autolink % 3 {
        0 => Autolink::First,
        1 => Autolink::All,
        _ => Autolink::Off,
    };
    config.root = Path::new("/nonexistent-lectern-fuzz-root").to_path_buf();
    config
}

pub fn options(flags: u8) -> BuildOptions {
    BuildOptions {
        drafts: flags & 1 != 0,
        facilitator: flags & 2 != 0,
        strict: false,
        clean: false,
    }
}

/// The fixed files plus an essay whose body is `body`, the term `trust` with `aliases`, and, if
/// it parses, a file `content/essays/raw.md` whose whole text is `raw`.
pub fn corpus(body: &str, aliases: &[String], raw: Option<&str>) -> Corpus {
    let mut builder = FILES
        .iter()
        .fold(CorpusBuilder::new(), |b, (path, _, text)| b.file(*path, *text))
        .item(Kind::Essay, "a", "title: Fuzzed\nsession: 1", body);
    if let Some(raw) = raw {
        builder = builder.file("content/essays/raw.md", raw);
    }
    let mut corpus = builder.build().value;
    // Aliases go straight into the term, past YAML: any text at all.
    for item in &mut corpus.items {
        if let Meta::Term { aliases: a, .. } = &mut item.meta
            && item.slug == "trust"
        {
            a.extend(aliases.iter().cloned());
        }
    }
    corpus
}

/// Splits fuzz input into flags, a body, aliases and an optional raw file.
pub fn split(data: &[u8]) -> Option<(u8, String, Vec<String>, Option<String>)> {
    let (&flags, rest) = data.split_first()?;
    let text = std::str::from_utf8(rest).ok()?;
    let mut parts = text.splitn(3, '\u{1}');
    let body = parts.next().unwrap_or_default().to_string();
    let aliases = parts
        .next()
        .map(|a| a.split('|').take(4).map(str::to_string).collect())
        .unwrap_or_default();
    let raw = parts.next().map(str::to_string);
    Some((flags, body, aliases, raw))
}

/// A diagnostic must render, and point at a line of the file it names.
pub fn check_diagnostic(d: &Diagnostic, texts: &[(&Path, &str)]) {
    let _ = d.to_string();
    let Some(at) = &d.location else {
        return;
    };
    assert!(at.line >= 1 && at.col >= 1);
    if let Some((_, text)) = texts.iter().find(|(p, _)| *p == at.path.as_path()) {
        let lines = text.split('\n').count();
        assert!(
            at.line <= lines,
            "{}:{} beyond {lines} lines",
            at.path.display(),
            at.line
        );
    }
}
