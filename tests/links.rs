//! Cross-linking as a reader sees it: every wikilink form, glossary auto-linking and its edge
//! cases, and the typed backlink lists. Snapshots hold `<main>` only.

mod common;

use common::{TempSite, main_of};

fn built() -> TempSite {
    let site = TempSite::from_fixture("sites/links");
    site.build();
    site
}

/// `<main>` without the long `title`/`data-term-name` attributes, to keep snapshots readable.
fn main_plain(site: &TempSite, page: &str) -> String {
    let main = main_of(&site.read(page));
    let mut out = String::with_capacity(main.len());
    let mut rest = main.as_str();
    while let Some(i) = rest
        .find(" title=\"")
        .or_else(|| rest.find(" data-term-name=\""))
    {
        let j = [rest.find(" title=\""), rest.find(" data-term-name=\"")]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(i);
        out.push_str(&rest[..j]);
        let after = &rest[j + 2..];
        let quote = after.find('"').map_or(0, |q| q + 1);
        let end = after[quote..]
            .find('"')
            .map_or(after.len(), |e| quote + e + 1);
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn every_wikilink_form() {
    insta::assert_snapshot!(main_plain(&built(), "essays/forms/index.html"));
}

#[test]
fn auto_links_in_first_mode() {
    insta::assert_snapshot!(main_plain(&built(), "essays/mentions/index.html"));
}

#[test]
fn auto_links_in_all_mode() {
    insta::assert_snapshot!(main_plain(&built(), "essays/all-mode/index.html"));
}

#[test]
fn longest_match_wins_and_inflections_link() {
    let site = built();
    let html = main_plain(&site, "essays/mentions/index.html");
    assert!(html.contains(">Epistemic trust</a> comes before <a href=\"/glossary/trust/\""));
    assert!(
        html.contains("data-term=\"care\">cared</a>"),
        "an inflection links"
    );
    for word in ["Trustee", "distrust", "self-trust", "trustworthy"] {
        assert!(
            html.contains(&format!(" {word}")),
            "{word} is another word and stays unlinked"
        );
    }
}

#[test]
fn nothing_is_auto_linked_in_headings_links_code_or_the_terms_own_page() {
    let site = built();
    let html = main_plain(&site, "essays/mentions/index.html");
    assert!(html.contains("<h2 id=\"a-section-about-trust\">A section about trust</h2>"));
    assert!(html.contains("<a href=\"https://example.org\">A link about trust</a>"));
    assert!(html.contains("<code>trust in code</code>"));
    assert!(html.contains("trust in a block\n"));
    let own = main_plain(&site, "glossary/trust/index.html");
    assert!(!own.contains("data-term=\"trust\""), "{own}");
}

#[test]
fn auto_linking_reaches_quotes_and_table_cells() {
    let site = TempSite::from_fixture("sites/links");
    site.write(
        "site.toml",
        "title = \"Links fixture\"\nbase_url = \"/\"\nautolink = \"all\"\n",
    );
    site.build();
    let html = main_plain(&site, "essays/mentions/index.html");
    assert!(
        html.contains("<p>In a quote, <a href=\"/glossary/care/\""),
        "{html}"
    );
    assert!(
        html.contains("<td>a <a href=\"/glossary/alliance/\""),
        "{html}"
    );
}

#[test]
fn autolink_off_in_site_toml_and_a_page_can_turn_it_back_on() {
    let site = TempSite::from_fixture("sites/links");
    site.write(
        "site.toml",
        "title = \"Links fixture\"\nbase_url = \"/\"\nautolink = false\n",
    );
    site.build();
    assert!(
        !site
            .read("essays/mentions/index.html")
            .contains("term-link auto")
    );
    assert!(
        site.read("essays/all-mode/index.html")
            .contains("term-link auto"),
        "the page's own setting wins"
    );
}

#[test]
fn a_term_shows_what_uses_it_and_its_related_terms() {
    insta::assert_snapshot!(main_plain(&built(), "glossary/trust/index.html"));
}

#[test]
fn a_question_shows_its_essays_terms_and_related_questions() {
    insta::assert_snapshot!(main_plain(&built(), "questions/why-trust/index.html"));
}

#[test]
fn an_essay_shows_its_questions_and_key_terms() {
    let site = built();
    let html = main_plain(&site, "essays/mentions/index.html");
    let relations = &html[html.find("class=\"relations\"").expect("relations")..];
    assert!(relations.contains("Discussion questions"));
    assert!(relations.contains("/questions/why-trust/"));
    assert!(relations.contains("Key terms"));
    for term in ["epistemic-trust", "trust", "alliance", "care"] {
        assert!(
            relations.contains(&format!("/glossary/{term}/")),
            "{term} is a key term"
        );
    }
}

#[test]
fn related_questions_are_shown_both_ways() {
    let site = built();
    assert!(
        site.read("questions/how-care/index.html")
            .contains("Related questions")
    );
    assert!(
        site.read("questions/how-care/index.html")
            .contains("/questions/why-trust/")
    );
}

#[test]
fn a_session_lists_readings_terms_and_questions() {
    insta::assert_snapshot!(main_plain(&built(), "sessions/1/index.html"));
}

#[test]
fn a_term_merely_mentioned_in_another_terms_text_is_not_a_related_term() {
    let site = TempSite::from_fixture("sites/links");
    site.write(
        "content/glossary/care.md",
        "---\nterm: Care\nsummary: Concern for another's good.\n---\n\nCare grows with trust, and see [[epistemic-trust]].\n",
    );
    site.build();
    let care = main_plain(&site, "glossary/care/index.html");
    assert!(
        care.contains("data-term=\"trust\""),
        "trust is auto-linked in the text"
    );
    let related = care.split("Related terms").nth(1).unwrap_or_default();
    assert!(
        related.contains("/glossary/epistemic-trust/"),
        "an explicit link relates terms"
    );
    assert!(
        !related.contains("/glossary/trust/"),
        "an auto-link does not: {related}"
    );
}

#[test]
fn an_essay_listed_by_a_session_is_read_in_it_and_the_session_is_no_discussion_question() {
    let site = TempSite::from_fixture("sites/links");
    site.write(
        "content/sessions/two.md",
        "---\ntitle: Second meeting\nnumber: 2\nessays: [all-mode]\n---\n\nRead it.\n",
    );
    site.build();
    let html = main_plain(&site, "essays/all-mode/index.html");
    let read_in = html.split("Read in").nth(1).expect("a Read in list");
    assert!(read_in.contains("/sessions/2/"), "{html}");
    let questions = html
        .split("Discussion questions")
        .nth(1)
        .unwrap_or_default();
    assert!(
        !questions
            .split("</ul>")
            .next()
            .unwrap_or_default()
            .contains("/sessions/"),
        "{html}"
    );
    assert_eq!(
        html.matches("href=\"/sessions/2/\"").count(),
        1,
        "shown once: {html}"
    );
}

#[test]
fn a_term_link_keeps_the_names_capitals_unless_the_author_wrote_the_plain_name_in_lowercase() {
    let site = TempSite::from_fixture("sites/links");
    for (slug, name) in [
        ("bowlby", "Bowlby attachment"),
        ("et", "Epistemic Trust"),
        ("dbt", "DBT"),
        ("self-trust", "Self-trust"),
    ] {
        site.write(
            &format!("content/glossary/{slug}.md"),
            &format!("---\nterm: {name}\nsummary: S.\nautolink: off\n---\n"),
        );
    }
    site.write(
        "content/essays/labels.md",
        "---\ntitle: Labels\nautolink: off\n---\n\n\
         A [[bowlby]], [[et]], [[dbt]], [[self-trust]], [[Self-trust]] and [[term/et|mine]].\n",
    );
    site.build();
    let html = main_plain(&site, "essays/labels/index.html");
    for label in [
        ">Bowlby attachment</a>",
        ">Epistemic Trust</a>",
        ">DBT</a>",
        ">self-trust</a>",
        ">Self-trust</a>",
        ">mine</a>",
    ] {
        assert!(html.contains(label), "{label} in {html}");
    }
}

#[test]
fn a_sessions_file_name_is_no_link_name() {
    let site = TempSite::from_fixture("sites/links");
    // The session file `forms.md` shares its stem with the essay `forms`.
    site.write(
        "content/sessions/forms.md",
        "---\ntitle: Forms meeting\nnumber: 7\n---\n\nMeet.\n",
    );
    site.write(
        "content/essays/pointer.md",
        "---\ntitle: Pointer\nautolink: off\n---\n\nSee [[forms]] and [[session/7]].\n",
    );
    site.build();
    let html = main_plain(&site, "essays/pointer/index.html");
    assert!(html.contains("href=\"/essays/forms/\""), "{html}");
    assert!(html.contains("href=\"/sessions/7/\""), "{html}");
}

/// A term's name and summary are written once per page for its card: in the page's key terms
/// when they list it, else in the page's data block, never on the links themselves.
#[test]
fn each_summary_is_written_once_per_page() {
    let site = TempSite::from_fixture("sites/links");
    // The home page lists no terms: the summary of the one it links is in its data block.
    site.write(
        "content/_index.md",
        "---\ntitle: Home\n---\n\nWe begin with [[care]].\n",
    );
    site.build();
    let summaries = [
        "The working bond between patient and therapist.",
        "Concern for another&#x27;s good.",
        "Trust in what someone tells you.",
        "Counting on someone who responds to being counted on.",
    ];
    let pages = [
        "index.html",
        "essays/forms/index.html",
        "essays/mentions/index.html",
        "essays/all-mode/index.html",
        "glossary/trust/index.html",
        "glossary/care/index.html",
        "questions/why-trust/index.html",
        "sessions/1/index.html",
    ];
    let mut in_data_block = 0;
    for page in pages {
        let html = site.read(page);
        assert!(
            !html.contains("class=\"term-link auto\" data-term=\"trust\" title="),
            "{page}"
        );
        let data = html
            .split_once("<script type=\"application/json\" id=\"lectern-terms\">")
            .and_then(|(_, rest)| rest.split_once("</script>"))
            .map(|(json, _)| json.to_string());
        if let Some(json) = &data {
            let terms: serde_json::Value = serde_json::from_str(json).expect("term data is JSON");
            for (slug, entry) in terms.as_object().expect("an object by slug") {
                assert!(
                    html.contains(&format!("data-term=\"{slug}\">")),
                    "{page}: {slug}"
                );
                assert!(
                    entry[1].as_str().is_some_and(|s| !s.is_empty()),
                    "{page}: {slug}"
                );
                in_data_block += 1;
            }
        }
        for summary in summaries {
            let escaped = summary.replace("&#x27;", "'");
            // (A term's own page shows its summary as the lede and in its description too.)
            let written = html
                .matches(&format!("<span class=\"relation-note\">{summary}</span>"))
                .count()
                + data.as_deref().map_or(0, |d| d.matches(&escaped).count());
            assert!(
                written <= 1,
                "{page}: {summary:?} is written {written} times"
            );
        }
        // Every linked term's summary is on the page once, for its card.
        for slug in ["trust", "care", "alliance", "epistemic-trust"] {
            if html.contains(&format!("class=\"term-link auto\" data-term=\"{slug}\">"))
                || html.contains(&format!("class=\"term-link\" data-term=\"{slug}\">"))
            {
                let listed = html.contains(&format!("\"{slug}\":["))
                    || html.contains(&format!(
                        "<a href=\"/glossary/{slug}/\" data-term=\"{slug}\">"
                    ));
                assert!(listed, "{page}: {slug} has no summary on the page");
            }
        }
    }
    assert!(
        in_data_block > 0,
        "some page links a term its lists do not show"
    );
}
