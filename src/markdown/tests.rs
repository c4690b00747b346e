//! Conversion from strings: a body converted against a small corpus, with a lookup that knows
//! a few names, so that these tests exercise conversion alone.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use super::*;
use crate::config::Autolink;
use crate::content::{CorpusBuilder, Kind};

/// The corpus every test converts against: item 0 is the body under test.
fn corpus(body: &str) -> Vec<Item> {
    let corpus = CorpusBuilder::new()
        .item(Kind::Essay, "a", "title: A", body)
        .essay("b", "Bee", "## First part\n")
        .term("trust", "Trust", "Counting on someone.", "")
        .item(Kind::Essay, "draft", "title: Draft\ndraft: true", "")
        .build();
    assert!(
        !corpus.diagnostics.has_errors(),
        "{}",
        corpus.diagnostics.report()
    );
    // Path order puts the essays first: a, b, draft; then the term.
    corpus.value.items
}

/// Knows each item by slug, "twin" as ambiguous, "gone" as a file that failed to load, and
/// finds "trust" as a whole word.
struct Stub {
    slugs: HashMap<String, EntryId>,
}

impl Targets for Stub {
    fn lookup(&self, reference: &str) -> Lookup {
        match reference {
            "twin" => Lookup::Ambiguous(vec!["essay/twin".into(), "term/twin".into()]),
            "gone" => Lookup::Unloaded,
            r => match self.slugs.get(r) {
                Some(&id) => Lookup::Found(id),
                None => Lookup::Missing {
                    suggestion: (r == "trus").then(|| "trust".to_string()),
                },
            },
        }
    }

    fn lookup_path(&self, _from: &Path, dest: &str) -> Lookup {
        let slug = dest
            .trim_start_matches("../essays/")
            .trim_end_matches(".md");
        self.lookup(slug)
    }

    fn mentions(&self, text: &str) -> Vec<(Range<usize>, EntryId)> {
        let trust = self.slugs["trust"];
        text.match_indices("trust")
            .filter(|(at, _)| {
                let before = text[..*at].chars().next_back();
                let after = text[at + 5..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            })
            .map(|(at, _)| (at..at + 5, trust))
            .collect()
    }
}

/// Converts item `a` with `body`; `facilitator` and `autolink` as a build would set them.
fn convert_with(body: &str, facilitator: bool, autolink: Autolink) -> Converted {
    let items = corpus(body);
    let stub = Stub {
        slugs: items
            .iter()
            .enumerate()
            .map(|(i, item)| (item.slug.clone(), EntryId(i)))
            .collect(),
    };
    let urls: Vec<String> = items.iter().map(|i| format!("/c/{}/", i.slug)).collect();
    let included: Vec<bool> = items.iter().map(|i| !i.draft).collect();
    let anchors = anchors(items.len());
    let ctx = LinkContext {
        items: &items,
        targets: &stub,
        urls: &urls,
        included: &included,
        facilitator,
        autolink,
        base_path: "/c/",
        anchors: &anchors,
    };
    convert(EntryId(0), &ctx)
}

fn convert_body(body: &str) -> Converted {
    convert_with(body, false, Autolink::First)
}

fn messages(c: &Converted) -> Vec<String> {
    c.diagnostics
        .iter()
        .map(|d| format!("{}:{} {}", d.at().0, d.at().1, d.message))
        .collect()
}

#[test]
fn wikilinks_become_links_labelled_by_their_target() {
    let table: &[(&str, &str)] = &[
        (
            "[[b]]",
            "<a href=\"/c/b/\" class=\"xref xref-essay\">Bee</a>",
        ),
        (
            "[[b|the bee]]",
            "<a href=\"/c/b/\" class=\"xref xref-essay\">the bee</a>",
        ),
        (
            "[[b#first-part]]",
            "<a href=\"/c/b/#first-part\" class=\"xref xref-essay\">Bee</a>",
        ),
        ("[[trust]]", "class=\"term-link\" data-term=\"trust\""),
        ("[[draft]]", "<p>Draft</p>"),
        ("[[gone]]", "<p>gone</p>"),
        ("`[[b]]`", "<code>[[b]]</code>"),
    ];
    for (body, expected) in table {
        let c = convert_body(body);
        assert!(c.html.contains(expected), "{body}: {}", c.html);
    }
}

#[test]
fn references_that_cannot_be_made_are_located_problems() {
    let c = convert_body("Text.\n\nSee [[trus]] and [[twin]] and [[draft]].\n");
    let found = messages(&c);
    // The body starts on line 4 of the file, after the front matter.
    assert_eq!(
        found,
        [
            "6:5 link to `trus`, which does not exist",
            "6:18 `[[twin]]` is ambiguous: several items are called `twin`",
            "6:31 link to draft `draft` is shown as plain text",
        ]
    );
    assert_eq!(
        c.diagnostics[0].hint.as_deref(),
        Some("did you mean `trust`?")
    );
    assert!(!c.diagnostics[2].is_error());
}

#[test]
fn markdown_links_to_content_files_and_root_paths_are_rewritten() {
    let c = convert_body("[x](../essays/b.md#first-part) [y](/images/a.png) [z](https://e.org/)");
    assert!(c.html.contains("href=\"/c/b/#first-part\""), "{}", c.html);
    assert!(c.html.contains("href=\"/c/images/a.png\""), "{}", c.html);
    assert!(c.html.contains("href=\"https://e.org/\""), "{}", c.html);
    assert_eq!(c.fragments.len(), 1);
    assert_eq!(c.links.len(), 1);
}

#[test]
fn headings_get_unique_ids_and_custom_ones() {
    let c = convert_body("## Part\n\n## Part\n\n## Other {#part-1}\n\n## Main\n");
    let ids: Vec<&str> = c.headings.iter().map(|h| h.id.as_str()).collect();
    // `main` is the theme's, and `part-1` is taken by the custom id after it was given out.
    assert_eq!(ids, ["part", "part-1", "part-1-1", "main-1"]);
}

#[test]
fn glossary_mentions_are_linked_once_per_page_outside_headings_links_and_code() {
    let body = "## trust\n\ntrust and trust, `trust`, [trust](https://e.org/).\n";
    let first = convert_with(body, false, Autolink::First);
    assert_eq!(
        first.html.matches("term-link auto").count(),
        1,
        "{}",
        first.html
    );
    assert!(
        first.html.contains("<h2 id=\"trust\">trust</h2>"),
        "{}",
        first.html
    );
    let all = convert_with(body, false, Autolink::All);
    assert_eq!(
        all.html.matches("term-link auto").count(),
        2,
        "{}",
        all.html
    );
    let off = convert_with(body, false, Autolink::Off);
    assert!(!off.html.contains("term-link"), "{}", off.html);
}

#[test]
fn facilitator_notes_show_only_in_facilitator_builds_but_are_always_checked() {
    let body = "Intro.\n\n## Facilitator notes\n\nAsk about [[nowhere]].\n\n## After\n\nMore.\n";
    let public = convert_with(body, false, Autolink::First);
    assert!(!public.html.contains("Ask about"), "{}", public.html);
    assert!(public.html.contains("More."));
    assert_eq!(
        messages(&public),
        ["8:11 link to `nowhere`, which does not exist"]
    );
    assert_eq!(public.note_ids, ["facilitator-notes"]);
    let facilitator = convert_with(body, true, Autolink::First);
    assert!(
        facilitator
            .html
            .contains("<section class=\"facilitator-notes\" aria-label=\"Facilitator notes\">"),
        "{}",
        facilitator.html
    );
    assert!(facilitator.html.contains("Ask about"));
}

#[test]
fn footnotes_are_numbered_by_first_reference_and_link_back() {
    let c = convert_body("One[^b] two[^a] three[^b].\n\n[^a]: Note a.\n[^b]: Note b.\n");
    assert!(
        c.html
            .contains("href=\"#fn-b\" id=\"fnref-b\" role=\"doc-noteref\">1</a>")
    );
    assert!(c.html.contains("id=\"fnref-b-2\""));
    let b = c.html.find("<li id=\"fn-b\">").expect("note b listed");
    let a = c.html.find("<li id=\"fn-a\">").expect("note a listed");
    assert!(b < a, "{}", c.html);
    assert_eq!(c.html.matches("footnote-backref").count(), 3);
}

#[test]
fn same_page_fragments_are_checked_against_ids_the_page_has() {
    let c =
        convert_body("## Here\n\n[a](#here) [b](#nope) [c](#top) <span id=\"x\"></span>[d](#x)\n");
    let checked: Vec<&str> = c.fragments.iter().map(|f| f.id.as_str()).collect();
    // `#here` is a heading's, checked with the rest; `#nope` is no id at all; `#top` and the
    // raw HTML's `#x` are the page's own.
    assert_eq!(checked, ["here", "nope"]);
}

#[test]
fn text_for_search_follows_the_visible_words() {
    let c = convert_body("## Head\n\nSee [[b]] and `code`.\n\n## Facilitator notes\n\nHidden.\n");
    assert!(c.text.contains("Head\n"), "{:?}", c.text);
    assert!(c.text.contains("See Bee and code."), "{:?}", c.text);
    assert!(!c.text.contains("Hidden"), "{:?}", c.text);
    assert_eq!(c.heading_offsets.len(), c.headings.len());
    assert_eq!(c.words, 5);
}

#[test]
fn the_text_of_links_to_other_pages_is_located_in_the_text() {
    let c = convert_body(
        "Read [[b]], [[b|the other essay]] and [Bee](../essays/b.md); trust [[#top|here]].\n",
    );
    let spans: Vec<&str> = c
        .link_spans
        .iter()
        .map(|l| &c.text[l.start..l.end])
        .collect();
    // Not the glossary's automatic link, nor a link to the page itself.
    assert_eq!(spans, ["Bee", "the other essay", "Bee"]);
    assert!(c.link_spans.iter().all(|l| l.target == EntryId(1)));
}
