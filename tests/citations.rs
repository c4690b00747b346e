//! Citations as a reader sees them: every form of Pandoc's syntax, the styles, each page's own
//! references and /references/ with what cites each work, cards, notes that only facilitators
//! see, the facilitator's edition, a YAML bibliography, and `--strict` on works nothing cites.
//! Snapshots hold `<main>` only, without the cards' long attributes.

mod common;

use common::{TempSite, attr_values, check_nesting, duplicate_ids, main_of, stderr};
use lectern::BuildOptions;

fn built() -> TempSite {
    let site = TempSite::from_fixture("sites/citations");
    site.build();
    site
}

/// `html` without the attributes that carry a card's text (`title`, `data-term-name`).
fn without_cards(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let next = [" title=\"", " data-term-name=\""]
            .iter()
            .filter_map(|a| rest.find(a).map(|i| (i, a.len())))
            .min();
        let Some((i, len)) = next else {
            break;
        };
        out.push_str(&rest[..i]);
        let after = &rest[i + len..];
        rest = after.find('"').map_or("", |end| &after[end + 1..]);
    }
    out.push_str(rest);
    out
}

fn main_plain(site: &TempSite, page: &str) -> String {
    without_cards(&main_of(&site.read(page)))
}

#[test]
fn every_citation_form() {
    insta::assert_snapshot!(main_plain(&built(), "essays/forms/index.html"));
}

#[test]
fn the_references_page_lists_every_work_with_what_cites_it() {
    insta::assert_snapshot!(main_plain(&built(), "references/index.html"));
}

#[test]
fn each_citation_links_to_its_entry_in_the_page_and_carries_its_card() {
    let site = built();
    for page in [
        "essays/forms/index.html",
        "glossary/trust/index.html",
        "questions/why-trust/index.html",
        "sessions/1/index.html",
        "about/index.html",
        "index.html",
    ] {
        let html = site.read(page);
        let ids = attr_values(&html, "id");
        let cites: Vec<String> = attr_values(&html, "href")
            .into_iter()
            .filter(|h| h.starts_with("#ref-"))
            .collect();
        assert!(!cites.is_empty(), "{page} cites");
        for href in cites {
            assert!(
                ids.contains(&href[1..].to_string()),
                "{page}: {href} has no entry"
            );
        }
        assert_eq!(check_nesting(&html), Ok(()), "{page}");
        assert_eq!(duplicate_ids(&html), Vec::<String>::new(), "{page}");
    }
    let html = site.read("glossary/trust/index.html");
    // The card names the work and reads its full reference from the entry the link goes to,
    // which the page writes once.
    assert!(html.contains(
        "class=\"term-link cite-link\" href=\"#ref-baier1986trust\" data-cite=\"baier1986trust\" \
         data-term-name=\"Trust and Antitrust\">"
    ));
    assert!(!html.contains("title=\"Baier, A. (1986)"), "{html}");
    // A citation is not a glossary mention: its page lists the work, not a term.
    assert!(
        html.contains("<li id=\"ref-baier1986trust\">Baier, A. (1986)."),
        "{html}"
    );
}

#[test]
fn a_web_address_or_doi_is_a_link_and_nothing_else_is() {
    let html = built().read("references/index.html");
    assert!(
        html.contains(
            "<a href=\"https://doi.org/10.1086/292745\">https://doi.org/10.1086/292745</a>"
        )
    );
    assert!(!html.contains("href=\"javascript:"), "{html}");
    assert!(
        html.contains("Guilford Press. javascript:alert(1)</p>"),
        "{html}"
    );
}

#[test]
fn an_essay_source_may_name_a_key() {
    let html = main_of(&built().read("essays/from-a-source/index.html"));
    let source = html.split("<h2>Source</h2>").nth(1).unwrap_or_default();
    assert!(
        source.trim_start().starts_with(
            "<p>Allen, J. G. (2021b). Trustworthiness: A Cornerstone of Effective Psychotherapy. <i>Psychiatric News</i>."
        ),
        "{html}"
    );
    // Naming a work as the source cites it.
    let references = built().read("references/index.html");
    let entry = references
        .split("<li id=\"allen2021cornerstone\">")
        .nth(1)
        .and_then(|s| s.split("</li>").next())
        .unwrap_or_default();
    assert!(
        entry.contains("<a href=\"/essays/from-a-source/\">From a source</a>"),
        "{entry}"
    );
}

/// The first paragraph of the forms essay and the essay's references, in `style`.
fn in_style(style: &str) -> String {
    let site = TempSite::from_fixture("sites/citations");
    site.write(
        "site.toml",
        &format!("title = \"Citations fixture\"\nbase_url = \"/\"\ncitation_style = \"{style}\"\n"),
    );
    site.build();
    let html = main_plain(&site, "essays/forms/index.html");
    let prose = html
        .split("<div class=\"prose\">")
        .nth(1)
        .unwrap_or_default();
    let first = prose.split("</p>").next().unwrap_or_default().trim();
    let list = html
        .split("<ul class=\"reference-list\">")
        .nth(1)
        .and_then(|s| s.split("</ul>").next())
        .unwrap_or_default();
    format!("{first}\n---\n{list}")
}

#[test]
fn the_style_comes_from_site_toml() {
    insta::assert_snapshot!("style_chicago_author_date", in_style("chicago-author-date"));
    insta::assert_snapshot!("style_mla", in_style("mla"));
    insta::assert_snapshot!("style_harvard", in_style("harvard"));
    insta::assert_snapshot!("style_ieee", in_style("ieee"));
}

#[test]
fn notes_cite_only_where_they_are_shown() {
    let public = built();
    let html = public.read("essays/with-notes/index.html");
    assert!(!html.contains("gilbert1989social"), "{html}");
    let references = public.read("references/index.html");
    assert!(references.contains("Gilbert, M. (1989)."));
    assert!(references.contains("Not cited on any page"));

    let facilitator = TempSite::from_fixture("sites/citations");
    facilitator.build_with(BuildOptions {
        facilitator: true,
        ..BuildOptions::default()
    });
    let html = facilitator.read("essays/with-notes/index.html");
    assert!(html.contains("<li id=\"ref-gilbert1989social\">"), "{html}");
    let references = facilitator.read("references/index.html");
    assert!(
        !references.contains("Not cited on any page"),
        "{references}"
    );
}

#[test]
fn the_facilitator_edition_ends_with_the_works_it_cites() {
    let site = TempSite::from_fixture("sites/citations");
    let file = site.root().join("edition.html");
    let out = site.run(&["build", "--facilitator-edition", "edition.html"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let html = std::fs::read_to_string(file).expect("edition written");
    // Session 1 cites the book, the question Holton, the about page O'Neill.
    for key in [
        "allen2021trusting",
        "holton1994deciding",
        "oneill2002question",
    ] {
        assert!(html.contains(&format!("href=\"#ref-{key}\"")), "{key}");
        assert!(html.contains(&format!("<li id=\"ref-{key}\">")), "{key}");
    }
    assert_eq!(duplicate_ids(&html), Vec::<String>::new());
}

#[test]
fn a_yaml_bibliography_cites_the_same() {
    let site = TempSite::from_fixture("sites/citations");
    site.remove("content/references.bib");
    site.write(
        "content/references.yaml",
        "baier1986trust:\n  type: article\n  title: Trust and Antitrust\n  author: Baier, Annette\n  date: 1986\n  page-range: 231-260\n  parent:\n    type: periodical\n    title: Ethics\n    volume: 96\n    issue: 2\n",
    );
    for page in [
        "essays/forms.md",
        "essays/with-notes.md",
        "essays/from-a-source.md",
    ] {
        site.remove(&format!("content/{page}"));
    }
    for page in [
        "_index.md",
        "about.md",
        "questions/why-trust.md",
        "sessions/one.md",
    ] {
        site.write(
            &format!("content/{page}"),
            &std::fs::read_to_string(site.root().join("content").join(page))
                .expect("read")
                .replace("[@allen2021trusting, chap. 1]", "")
                .replace("[@allen2021trusting]", "")
                .replace("[@oneill2002question]", "")
                .replace("@holton1994deciding", "Holton"),
        );
    }
    site.build();
    let html = site.read("glossary/trust/index.html");
    assert!(html.contains(">Baier, 1986</a>)"), "{html}");
    assert!(
        html.contains(
            "Baier, A. (1986). Trust and Antitrust. <i>Ethics</i>, <i>96</i>(2), 231–260."
        )
    );
}

#[test]
fn strict_makes_a_work_nothing_cites_an_error_at_its_key() {
    let site = TempSite::from_fixture("sites/citations");
    let bib = std::fs::read_to_string(site.root().join("content/references.bib")).expect("bib");
    site.write(
        "content/references.bib",
        &format!("{bib}\n@book{{tronto1993moral,\n  author = {{Tronto, Joan C.}},\n  title = {{Moral Boundaries}},\n  publisher = {{Routledge}},\n  year = {{1993}}\n}}\n"),
    );
    let line = bib.lines().count() + 2;
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("never cited"));
    let out = site.run(&["check", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!(
            "content/references.bib:{line}:7: error: `tronto1993moral` is in the bibliography but never cited"
        )),
        "{}",
        stderr(&out)
    );
    // A work cited only in facilitator notes is cited.
    assert!(!stderr(&out).contains("gilbert1989social"));
}

#[test]
fn a_site_without_a_bibliography_has_no_references_page() {
    let site = TempSite::from_fixture("sites/links");
    site.build();
    assert!(!site.out().join("references").exists());
    assert!(!site.read("index.html").contains("/references/"));
}
