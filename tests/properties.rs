//! Properties over random input: whatever Markdown a body holds and whatever a front-matter
//! block says, lectern never panics; a site that resolves renders, and renders the same bytes
//! every time; every page is well nested with unique ids; every internal link and fragment
//! points at something the output has.
//!
//! `cargo test` tries a hundred or so cases per property. For a long run:
//! `PROPTEST_CASES=20000 cargo test --release --test properties`.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use lectern::build;
use lectern::config::{Autolink, Config};
use lectern::content::{Corpus, CorpusBuilder, Kind, Partial, parse_item};
use lectern::render::{Theme, render_all};
use lectern::{BuildOptions, Site};
use proptest::prelude::*;

use common::{attr_values, check_nesting, duplicate_ids};

fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("regressions"),
        )),
        ..ProptestConfig::default()
    }
}

const BASE: &str = "/course/";

/// Files every random site has, so that each link form has something to point at.
const FILES: &[(&str, Kind, &str)] = &[
    (
        "content/_index.md",
        Kind::Page,
        "---\ntitle: Home\n---\n\nWelcome.\n",
    ),
    (
        "content/essays/b.md",
        Kind::Essay,
        "---\ntitle: Bee\nsession: 1\n---\n\n## First part\n\nTrust.\n\n## Facilitator notes\n\nSecret.\n",
    ),
    (
        "content/essays/later.md",
        Kind::Essay,
        "---\ntitle: Later\ndraft: true\n---\n\nNot yet.\n",
    ),
    (
        "content/glossary/trust.md",
        Kind::Term,
        "---\nterm: Trust\nsummary: Counting on \"someone\" <really>.\naliases: [reliance on others]\n---\n\nBody.\n",
    ),
    (
        "content/glossary/epistemic-trust.md",
        Kind::Term,
        "---\nterm: Epistemic trust\nsummary: Trust in what others tell you.\n---\n",
    ),
    (
        "content/questions/q.md",
        Kind::Question,
        "---\ntitle: Why?\nessays: [b]\nterms: [trust]\nsession: 1\n---\n\nSee [[essay/b#first-part]].\n",
    ),
];

fn config(autolink: Autolink) -> Config {
    let mut config = Config::parse(&format!(
        "title = \"Random\"\nbase_url = \"https://example.org{BASE}\"\n"
    ))
    .expect("site.toml")
    .value;
    config.autolink = autolink;
    config.root = Path::new("/nonexistent-site-root").to_path_buf();
    config
}

fn theme() -> &'static Theme {
    static THEME: OnceLock<Theme> = OnceLock::new();
    THEME.get_or_init(|| Theme::load(&config(Autolink::First)).expect("built-in theme"))
}

/// The fixed files, plus an essay, a term and a session whose bodies are random.
fn corpus(essay: &str, term: &str, session: &str) -> Corpus {
    let mut builder = FILES
        .iter()
        .fold(CorpusBuilder::new(), |b, (path, _, text)| {
            b.file(*path, *text)
        });
    builder = builder
        .item(Kind::Essay, "a", "title: A\nsession: 1", essay)
        .item(
            Kind::Term,
            "care",
            "term: Care\nsummary: Looking after.",
            term,
        )
        .item(Kind::Session, "one", "title: One\nnumber: 1", session);
    let corpus = builder.build();
    assert!(
        !corpus.diagnostics.has_errors(),
        "random bodies parse: {}",
        corpus.diagnostics.report()
    );
    corpus.value
}

/// Every output file of a resolved site, as a build would write it.
fn output(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let pages = match render_all(site, theme()) {
        Ok(pages) => pages,
        Err(d) => panic!("a site that resolved failed to render:\n{}", d.report()),
    };
    let mut files: BTreeMap<String, Vec<u8>> = build::static_files(&site.config, theme())
        .expect("static files")
        .into_iter()
        .map(|(path, bytes)| (path, bytes.to_vec()))
        .collect();
    for page in pages {
        files.insert(page.path, page.html.into_bytes());
    }
    let generated = build::site_files(site)
        .into_iter()
        .chain(build::search_files(site));
    files.extend(generated.map(|(path, bytes)| (path, bytes.to_vec())));
    files
}

/// The resolved site, or the report of its errors.
fn resolve(corpus: Corpus, autolink: Autolink, options: BuildOptions) -> Result<Site, String> {
    lectern::links::resolve(
        corpus,
        &config(autolink),
        options,
        None,
        &lectern::site::Assets::unknown(),
    )
    .map(|resolved| resolved.value.site)
    .map_err(|d| d.report())
}

/// Asserts that the page at `path` is sound and its internal links reach the output. Nesting is
/// checked only where the author's own HTML cannot have been unbalanced by an escape.
fn check_page(path: &str, html: &str, files: &BTreeMap<String, Vec<u8>>, nesting: bool) {
    if let Err(e) = check_nesting(html)
        && nesting
    {
        panic!("{path}: {e}\n{html}");
    }
    assert_eq!(duplicate_ids(html), Vec::<String>::new(), "{path}:\n{html}");
    let ids = attr_values(html, "id");
    for url in attr_values(html, "href")
        .into_iter()
        .chain(attr_values(html, "src"))
    {
        // `![[…]]` makes an image whose source is the link's text, left as written.
        if let Some(fragment) = url.strip_prefix('#')
            && !html.contains(&format!("src=\"{url}\""))
        {
            assert!(
                fragment.is_empty() || ids.iter().any(|id| id == fragment),
                "{path}: `{url}` names no element of the page"
            );
            continue;
        }
        let Some(tail) = url.strip_prefix(BASE) else {
            continue;
        };
        let (tail, fragment) = tail.split_once('#').unwrap_or((tail, ""));
        let key = if tail.is_empty() || tail.ends_with('/') {
            format!("{tail}index.html")
        } else {
            tail.to_string()
        };
        let Some(target) = files.get(&key) else {
            panic!("{path}: `{url}` points at nothing ({key})");
        };
        if !fragment.is_empty() {
            let target = String::from_utf8_lossy(target);
            assert!(
                attr_values(&target, "id").iter().any(|id| id == fragment),
                "{path}: `{url}` names no element of {key}"
            );
        }
    }
}

/// The pieces `snippet` puts together.
const SNIPPETS: &[&str] = &[
    "trust",
    "Trust",
    "epistemic trust",
    "reliance on others",
    "trusting",
    "care",
    "words",
    "and",
    " ",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "[[trust]]",
    "[[Trust|the trust]]",
    "[[reliance on others]]",
    "[[essay/b#first-part]]",
    "[[session/1]]",
    "[[later]]",
    "[[q]]",
    "[a](../essays/b.md)",
    "[a](../glossary/trust.md)",
    "[a](/essays/)",
    "[a](https://example.org/x)",
    "![img](/favicon.svg)",
    "## First part",
    "## Heading",
    "## Main",
    "### Sub {#custom}",
    "## Again {#custom}",
    "## Facilitator notes",
    "### Facilitator notes",
    "# Facilitator Notes:",
    "- ",
    "  - ",
    "1. ",
    "> ",
    "> > ",
    "    ",
    "```\n[[trust]] code\n```",
    "`trust`",
    "*trust*",
    "**strong**",
    "~~gone~~",
    // Raw HTML comes whole: an author's unbalanced tags are the author's to balance.
    "<a href=\"https://example.org\">trust and [[trust]]</a>",
    "<!-- comment -->",
    "<b>trust</b>",
    "[^n]",
    "[^a b]",
    "[^a-b]",
    "\n\n[^n]: a note about trust",
    "\n\n[^a b]: another",
    "\n\n[^a-b]: third",
    "\n\n| trust | b |\n|---|---|\n| c | [[trust]] |\n\n",
    "- [ ] task",
    "---",
    "***",
    "&amp;",
    "\"quoted\"",
];

/// Pieces of Markdown that exercise links, notes, footnotes, ids and nesting, put together at
/// random, with some random characters among them. With `risky`, also references that do not
/// resolve and characters that make new Markdown syntax, so that some sites have errors.
fn snippet(risky: bool) -> impl Strategy<Value = String> {
    let fixed = prop::sample::select(SNIPPETS.to_vec()).prop_map(str::to_string);
    let errors = prop::sample::select(vec![
        "[[b#facilitator-notes]]",
        "[[#first-part]]",
        "[[nowhere]]",
        "[[essay/trust]]",
        "[x](../nowhere.md)",
        "[x](../essays/b.md#nope)",
        "[[",
        "]]",
        "{#",
        "\\",
        "<",
    ])
    .prop_map(str::to_string);
    let syntax = |c: &char| "[](){}#<>!`\\^|*_~:".contains(*c);
    let random = prop::collection::vec(any::<char>(), 0..6).prop_map(move |cs| {
        cs.into_iter()
            .filter(|c| risky || !syntax(c))
            .collect::<String>()
    });
    let errors_weight = if risky { 2 } else { 0 };
    prop_oneof![16 => fixed, 2 => random, errors_weight => errors]
}

fn body(risky: bool) -> impl Strategy<Value = String> {
    prop::collection::vec(snippet(risky), 0..60).prop_map(|parts| parts.concat())
}

fn autolink() -> impl Strategy<Value = Autolink> {
    prop::sample::select(vec![Autolink::First, Autolink::All, Autolink::Off])
}

proptest! {
    #![proptest_config(cases(96))]

    #[test]
    fn any_markdown_renders_sound_pages_deterministically(
        essay in body(false),
        term in body(false),
        session in body(false),
        autolink in autolink(),
        drafts in any::<bool>(),
        facilitator in any::<bool>(),
    ) {
        let options = BuildOptions { drafts, facilitator, strict: false, clean: false };
        let site = match resolve(corpus(&essay, &term, &session), autolink, options) {
            Ok(site) => site,
            Err(report) => panic!("references that exist did not resolve:\n{report}"),
        };
        let files = output(&site);
        for (path, bytes) in &files {
            if path.ends_with(".html") {
                check_page(path, &String::from_utf8_lossy(bytes), &files, true);
            }
        }
        if !facilitator {
            for (path, bytes) in &files {
                let text = String::from_utf8_lossy(bytes);
                prop_assert!(!text.contains("Secret."), "{} shows facilitator notes", path);
            }
        }
        let again = resolve(corpus(&essay, &term, &session), autolink, options)
            .expect("the same input resolves again");
        prop_assert!(output(&again) == files, "two builds of the same input differ");
    }

    #[test]
    fn markdown_with_broken_references_reports_them_at_lines_of_the_file(
        essay in body(true),
        term in body(true),
        autolink in autolink(),
        facilitator in any::<bool>(),
    ) {
        let corpus = corpus(&essay, &term, "");
        let texts: BTreeMap<_, _> = corpus
            .items
            .iter()
            .map(|i| (i.path.clone(), i.source.text.to_string()))
            .collect();
        let options = BuildOptions { drafts: false, facilitator, strict: false, clean: false };
        let (site, diags) = match lectern::links::resolve(corpus, &config(autolink), options, None, &lectern::site::Assets::unknown()) {
            Ok(resolved) => (Some(resolved.value.site), resolved.diagnostics),
            Err(d) => (None, d),
        };
        for d in diags.iter() {
            let path = d.path().expect("a body's problem names its file");
            let lines = texts[path].split('\n').count();
            let (line, _) = d.at();
            prop_assert!(line >= 1 && line <= lines, "{}", d);
        }
        prop_assert_eq!(site.is_some(), !diags.has_errors());
        if let Some(site) = site {
            let files = output(&site);
            for (path, bytes) in &files {
                if path.ends_with(".html") {
                    check_page(path, &String::from_utf8_lossy(bytes), &files, false);
                }
            }
        }
    }
}

/// Front-matter lines: known keys and unknown ones, values of every YAML shape.
fn front_matter_line() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "title",
        "term",
        "summary",
        "author",
        "date",
        "session",
        "order",
        "tags",
        "source",
        "draft",
        "autolink",
        "aliases",
        "related",
        "essays",
        "terms",
        "questions",
        "kind",
        "number",
        "titel",
        "",
        "- ",
        "  ",
    ]);
    let value = prop::sample::select(vec![
        "x",
        "Trust and \"care\"",
        "[a, b]",
        "[trust]",
        "[]",
        "3",
        "-1",
        "99999999999999999999",
        "true",
        "off",
        "all",
        "2026-01-14",
        "2026-02-30",
        "14/01/2026",
        "{title: T, year: 2020}",
        "{a: 1}",
        "|\n  block",
        "'single'",
        "null",
        "~",
        "&anchor x",
        "*anchor",
        "!!binary aGVsbG8=",
        "\"unclosed",
        "[unclosed",
        ": :",
        "\t",
        "é—ü",
    ]);
    let random = prop::collection::vec(any::<char>(), 0..8).prop_map(String::from_iter);
    (
        key,
        prop_oneof![6 => value.prop_map(str::to_string), 1 => random],
    )
        .prop_map(|(k, v)| format!("{k}: {v}"))
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn any_front_matter_is_accepted_or_reported_at_a_line_of_the_file(
        kind in prop::sample::select(Kind::ALL.to_vec()),
        lines in prop::collection::vec(front_matter_line(), 0..8),
        opening in prop::sample::select(vec!["---\n", "---\r\n", "\u{feff}---\n", "+++\n", ""]),
        closing in prop::sample::select(vec!["---\n", "...\n", "---", ""]),
        body in body(true),
    ) {
        let text = format!("{opening}{}\n{closing}{body}", lines.join("\n"));
        let path = match kind {
            Kind::Page => "content/about.md".to_string(),
            Kind::Session => "content/sessions/week.md".to_string(),
            kind => format!("content/{}/a.md", kind.folder()),
        };
        match parse_item(Path::new(&path), kind, &text) {
            Ok(item) => prop_assert!(!item.title.trim().is_empty()),
            Err(failed) => {
                prop_assert!(!failed.problems.is_empty());
                let lines = text
                    .trim_start_matches('\u{feff}')
                    .replace("\r\n", "\n")
                    .replace('\r', "\n")
                    .split('\n')
                    .count();
                for d in &failed.problems {
                    let shown = d.to_string();
                    let (line, col) = d.at();
                    prop_assert!(line >= 1 && line <= lines, "line {} of {}: {}", line, lines, shown);
                    let head = format!("{path}:{line}:{col}: error: ");
                    prop_assert!(shown.starts_with(&head), "{}", shown);
                }
                if let Partial::Item(item) = failed.partial {
                    prop_assert!(!item.title.trim().is_empty());
                }
            }
        }
    }
}
