//! Conversion from strings: a body converted against a small corpus, with a lookup that knows
//! a few names, so that these tests exercise conversion alone.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use super::*;
use crate::config::Autolink;
use crate::content::{CorpusBuilder, Kind};

/// The corpus every test converts against: item 0 is the body under test.
fn corpus(body: &str) -> Vec<std::sync::Arc<Item>> {
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

    /// A bibliography of `a2021` and `b1986`.
    fn cite(&self, key: &str) -> CiteLookup {
        match key {
            "a2021" => CiteLookup::Found(0),
            "b1986" => CiteLookup::Found(1),
            _ => CiteLookup::Missing {
                suggestion: key.starts_with('a').then(|| "a2021".to_string()),
            },
        }
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
    let assets = test_assets();
    let ctx = LinkContext {
        items: &items,
        targets: &stub,
        urls: &urls,
        included: &included,
        facilitator,
        autolink,
        base_path: "/c/",
        anchors: &anchors,
        assets: &assets,
        strings: &crate::i18n::Strings::default(),
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

/// A PNG's signature and header chunk: enough for its size to be read.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    b.extend(width.to_be_bytes());
    b.extend(height.to_be_bytes());
    b.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
    b
}

fn test_assets() -> Assets {
    let photo = png(640, 480);
    Assets::new([
        ("images/stoa.png", photo.as_slice()),
        ("images/diagram.svg", b"<svg/>".as_slice()),
    ])
}

#[test]
fn local_images_get_their_size_and_all_but_the_first_load_lazily() {
    let c = convert_body(
        "![A stoa](/images/stoa.png \"The stoa\")\n\n![Again](../../static/images/stoa.png)\n\n\
         ![A diagram](/images/diagram.svg) ![Far](https://e.org/x.png)",
    );
    assert!(c.diagnostics.is_empty(), "{:?}", messages(&c));
    assert!(
        c.html.contains(
            "<img src=\"/c/images/stoa.png\" alt=\"A stoa\" title=\"The stoa\" width=\"640\" \
             height=\"480\" decoding=\"async\">"
        ),
        "{}",
        c.html
    );
    assert!(
        c.html.contains(
            "<img src=\"/c/images/stoa.png\" alt=\"Again\" width=\"640\" height=\"480\" \
             loading=\"lazy\""
        ),
        "{}",
        c.html
    );
    assert!(
        c.html
            .contains("src=\"/c/images/diagram.svg\" alt=\"A diagram\" loading=\"lazy\"")
    );
    assert!(
        c.html
            .contains("src=\"https://e.org/x.png\" alt=\"Far\" loading=\"lazy\"")
    );
}

#[test]
fn a_missing_image_is_an_error_with_the_file_it_may_have_meant() {
    let c = convert_body("Text.\n\n![A stoa](/images/stoa.jpg)\n\n![Beside](stoa.png)\n");
    assert_eq!(
        messages(&c),
        [
            "6:1 image `/images/stoa.jpg` does not exist in static/ or the theme",
            "8:1 image `stoa.png` is not in static/, where images live",
        ]
    );
    assert_eq!(
        c.diagnostics[0].hint.as_deref(),
        Some("did you mean `/images/stoa.png`?")
    );
    assert_eq!(
        c.diagnostics[1].hint.as_deref(),
        Some("did you mean `/images/stoa.png`?")
    );
}

#[test]
fn an_image_without_alt_text_is_a_warning() {
    let c = convert_body("![](/images/stoa.png)");
    assert_eq!(
        messages(&c),
        ["4:1 this image has no alt text, so readers who cannot see it learn nothing of it"]
    );
    assert!(c.html.contains("alt=\"\""), "{}", c.html);
}

#[test]
fn citations_become_markers_with_their_works_recorded() {
    use crate::site::cite_marker;
    let c =
        convert_body("As shown [@a2021, p. 3;\n@b1986], and @b1986 agrees; trust [see -@a2021].");
    assert_eq!(messages(&c), Vec::<String>::new());
    assert_eq!(c.citations.len(), 3);
    assert_eq!(
        c.citations[0].items[0].locator,
        Some(("page", "3".to_string()))
    );
    assert_eq!(c.citations[0].items[1].entry, 1);
    assert!(c.citations[1].narrative);
    assert!(c.citations[2].items[0].suppress_author);
    assert_eq!(c.citations[2].items[0].prefix, "see");
    for n in 0..3 {
        assert!(c.html.contains(&cite_marker(n)), "{}", c.html);
        assert!(c.text.contains(&cite_marker(n)), "{}", c.text);
    }
    // The text around citations is the page's, its terms linked as ever.
    assert!(
        c.html.contains("and ") && c.html.contains("data-term=\"trust\""),
        "{}",
        c.html
    );
    assert!(c.text.starts_with("As shown \0"), "{:?}", c.text);
}

#[test]
fn what_is_not_a_citation_stays_text() {
    for body in [
        "Mail guide@example.org.",
        "`[@a2021]` in code.",
        "An escaped \\@a2021.",
        "[A link with @a2021](https://example.org/@a2021).",
        "# A heading [@a2021]",
    ] {
        let c = convert_body(body);
        assert!(c.citations.is_empty(), "{body}: {:?}", c.citations);
        assert_eq!(messages(&c), Vec::<String>::new(), "{body}");
    }
}

#[test]
fn citations_in_hidden_notes_are_checked_and_count_as_cited() {
    let body =
        "Text.\n\n## Facilitator notes\n\nSee [@b1986] and [@a202].\n\n```\n@not-a-key\n```\n";
    let public = convert_body(body);
    assert_eq!(
        messages(&public),
        ["8:19 citation of `a202`, which the bibliography does not have"]
    );
    assert!(public.citations.is_empty());
    assert_eq!(public.cited_unshown, [1]);
    let facilitator = convert_with(body, true, Autolink::First);
    assert_eq!(facilitator.citations.len(), 1);
}

#[test]
fn leaving_out_the_author_is_for_one_work_at_a_time() {
    let c = convert_body("Both [@a2021; -@b1986].");
    assert_eq!(
        messages(&c),
        ["4:16 `-@b1986` leaves out the author in a citation of several works"]
    );
    assert!(c.citations.is_empty());
    assert!(c.html.contains("[@a2021; -@b1986]"), "{}", c.html);
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
