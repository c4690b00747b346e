//! The HTML of awkward but valid Markdown: facilitator notes inside lists and quotes, footnote
//! names that collide, ids given twice, headings named like parts of the theme, links inside
//! the author's own HTML links. Every page is well nested and every id is unique, in the public
//! build and the facilitator build; the same fixture passes the Nu HTML Checker in CI.

mod common;

use common::{TempSite, check_nesting, duplicate_ids, main_of, snapshot_dir};
use lectern::BuildOptions;

fn built(facilitator: bool) -> TempSite {
    let site = TempSite::from_fixture("sites/markup");
    site.build_with(BuildOptions {
        facilitator,
        drafts: false,
        ..BuildOptions::default()
    });
    site
}

#[test]
fn every_page_is_well_nested_with_unique_ids_in_both_builds() {
    for facilitator in [false, true] {
        let site = built(facilitator);
        for (path, bytes) in snapshot_dir(&site.out()) {
            if !path.ends_with(".html") {
                continue;
            }
            let html = String::from_utf8_lossy(&bytes);
            if let Err(e) = check_nesting(&html) {
                panic!("{path} (facilitator: {facilitator}): {e}");
            }
            assert_eq!(duplicate_ids(&html), Vec::<String>::new(), "{path}");
        }
    }
}

#[test]
fn notes_inside_a_list_or_a_quote_hide_only_their_own_part() {
    let public = built(false);
    let html = main_of(&public.read("essays/markup/index.html"));
    for shown in ["First item", "Third item", "After the list", "Between."] {
        assert!(html.contains(shown), "{shown} is public:\n{html}");
    }
    for hidden in ["Hidden in a list", "Quoted notes", "Top-level notes"] {
        assert!(!html.contains(hidden), "{hidden} is for facilitators");
    }
    let facilitator = built(true);
    let html = main_of(&facilitator.read("essays/markup/index.html"));
    assert!(html.contains(
        "<li><section class=\"facilitator-notes\" aria-label=\"Facilitator notes\">\n\
         <div class=\"heading-anchored anchored-h2\">\n<h2 id=\"facilitator-notes\">Facilitator notes</h2>\n\
         <a class=\"heading-anchor\" href=\"#facilitator-notes\" aria-label=\"Link to this section\">\
         <span aria-hidden=\"true\">#</span></a>\n</div>\nHidden in a list.</section>\n</li>"
    ));
}

#[test]
fn a_footnote_defined_in_facilitator_notes_leaves_no_reference_in_public() {
    let public = built(false);
    let html = public.read("essays/notes-last/index.html");
    assert!(html.contains("<p>Public text with a note.</p>"), "{html}");
    assert!(!html.contains("fn-hidden") && !html.contains("Defined inside"));
    let facilitator = built(true);
    let html = facilitator.read("essays/notes-last/index.html");
    assert!(html.contains("href=\"#fn-hidden\""));
    assert!(html.contains("<li id=\"fn-hidden\">"));
}

#[test]
fn colliding_footnote_names_and_repeated_ids_get_their_own_ids() {
    let site = built(false);
    let html = site.read("essays/markup/index.html");
    // `a b` and `a-b` both read `a-b`; a heading already has `fn-a-b`.
    assert!(
        html.contains("<li id=\"fn-a-b-1\">\n<p>First note"),
        "{html}"
    );
    assert!(
        html.contains("<li id=\"fn-a-b-2\">\n<p>Second note"),
        "{html}"
    );
    assert_eq!(
        html.matches("<li id=\"fn-dup\">").count(),
        1,
        "first definition wins"
    );
    assert!(html.contains("<p>One."));
    assert!(!html.contains("<p>Two."));
    assert!(html.contains("<h2 id=\"same\">Same</h2>"));
    assert!(html.contains("<h2 id=\"same-1\">Same again</h2>"));
}

#[test]
fn headings_never_take_an_id_the_theme_uses() {
    let site = built(false);
    let html = site.read("sessions/1/index.html");
    assert!(html.contains("<h2 id=\"session-readings-1\">Session readings</h2>"));
    assert!(html.contains("<h2 id=\"main-1\">Main</h2>"));
    assert_eq!(duplicate_ids(&html), Vec::<String>::new());
}

#[test]
fn links_inside_an_html_link_show_as_text() {
    let site = built(false);
    let html = site.read("essays/markup/index.html");
    assert!(
        html.contains("<p><a href=\"https://example.org\">raw trust html</a></p>"),
        "{html}"
    );
}
