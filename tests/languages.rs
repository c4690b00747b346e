//! The interface speaks the site's language: its words from the theme's `i18n/<language>.toml`
//! (built in for en, de, fr, es and nl; a site's own file replaces or adds one), its dates written
//! the language's way, and its search stemmed and stop-worded for it.

mod common;

use common::{TempSite, stderr};

/// A small course written in German, with every kind of page.
fn german_course() -> TempSite {
    let site = TempSite::from_fixture("sites/basic");
    for dir in ["content", "static"] {
        std::fs::remove_dir_all(site.root().join(dir)).expect("clear");
    }
    site.write(
        "site.toml",
        "title = \"Vertrauen in der Psychotherapie\"\ndescription = \"Ein Lesekurs\"\n\
         base_url = \"https://example.org/kurs/\"\nlanguage = \"de\"\n",
    );
    site.write(
        "content/_index.md",
        "---\ntitle: Willkommen\n---\n\nEin Kurs über Vertrauen.\n",
    );
    site.write(
        "content/essays/vertrauen.md",
        "---\ntitle: Was Vertrauen ist\nauthor: A. Autorin\ndate: 2027-03-03\nsession: 1\n---\n\n\
         ## Erster Teil\n\nVertrauen heißt, sich auf andere zu verlassen.[^1]\n\n## Zweiter Teil\n\n\
         Mehr dazu.\n\n[^1]: Eine Anmerkung.\n",
    );
    site.write(
        "content/glossary/vertrauen.md",
        "---\nterm: Vertrauen\nsummary: Sich auf jemanden verlassen.\naliases: [Zutrauen]\n---\n\nText.\n",
    );
    site.write(
        "content/questions/warum.md",
        "---\ntitle: Warum vertrauen wir?\nsession: 1\nkind: Reflexion\nessays: [vertrauen]\n---\n\nDenken Sie nach.\n",
    );
    site.write(
        "content/sessions/eins.md",
        "---\ntitle: Der Anfang\nnumber: 1\ndate: 2027-03-10\n---\n\nWir beginnen.\n",
    );
    site
}

/// Words of the English interface that no German page may show.
const ENGLISH: &[&str] = &[
    "Session",
    "Sessions",
    "Glossary",
    "Questions",
    "Search",
    "min read",
    "Key terms",
    "Contents",
    "Readings",
    "Previous",
    "Next",
    "Skip to content",
    "Terms to know",
    "Used in",
    "Discussed in",
    "Related",
    "Page not found",
    "Switch",
    "March",
    "Made with",
    "Read in",
    "Discussion",
    "Notes",
    "Back to reference",
    "Footer",
    "Main",
    "At a glance",
    "Also:",
    "Source",
    "draft",
];

/// The text a reader meets in `html`: the text between tags, and the attributes read aloud or
/// shown (aria-label, placeholder, title, alt).
fn interface_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        out.push('\n');
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open..open + close];
        for attr in [
            "aria-label=\"",
            "placeholder=\"",
            "title=\"",
            "alt=\"",
            "data-label-dark=\"",
            "data-label-light=\"",
        ] {
            if let Some(at) = tag.find(attr) {
                let value = &tag[at + attr.len()..];
                out.push_str(value.split('"').next().unwrap_or_default());
                out.push('\n');
            }
        }
        rest = &rest[open + close + 1..];
        if tag.starts_with("<script") || tag.starts_with("<style") {
            let end = if tag.starts_with("<script") {
                "</script>"
            } else {
                "</style>"
            };
            rest = rest.find(end).map_or("", |e| &rest[e..]);
        }
    }
    out
}

#[test]
fn a_course_in_german_shows_no_english_interface_word() {
    let site = german_course();
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(site.out()) {
        let entry = entry.expect("walk");
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        pages += 1;
        let html = std::fs::read_to_string(entry.path()).expect("read");
        let text = interface_text(&html);
        for word in ENGLISH {
            let found = text.match_indices(word).any(|(at, _)| {
                let before = text[..at].chars().next_back();
                let after = text[at + word.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            });
            assert!(
                !found,
                "{}: English {word:?} in\n{text}",
                entry.path().display()
            );
        }
        assert!(
            html.contains("<html lang=\"de\">"),
            "{}",
            entry.path().display()
        );
    }
    assert!(pages >= 9, "{pages} pages");
    let essay = site.read("essays/vertrauen/index.html");
    assert!(essay.contains(">3. März 2027</time>"), "{essay}");
    assert!(essay.contains("1 Min. Lesezeit"), "{essay}");
    assert!(essay.contains("aria-label=\"Anmerkungen\""), "{essay}");
    let home = site.read("index.html");
    assert!(home.contains("Die Sitzungen im Überblick"), "{home}");
    assert!(home.contains("<strong>1</strong> Sitzung<"), "{home}");
}

#[test]
fn the_search_of_a_german_course_stems_and_drops_german_words() {
    let site = german_course();
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let manifest = site.read("search/manifest.json");
    assert!(
        manifest.contains("\"und\""),
        "German stop words are listed: {manifest}"
    );
    assert!(!manifest.contains("\"the\""), "{manifest}");
}

#[test]
fn an_unsupported_language_is_an_error_listing_the_supported_ones() {
    let site = TempSite::from_fixture("sites/basic");
    let toml = std::fs::read_to_string(site.root().join("site.toml"))
        .expect("site.toml")
        .replace("language = \"en\"", "language = \"xx\"");
    site.write("site.toml", &toml);
    let out = site.run(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("site.toml:4:12: error: lectern has no interface text for language `xx`"),
        "{err}"
    );
    assert!(
        err.contains(
            "the supported languages are de, en, es, fr, nl; add themes/default/i18n/xx.toml"
        ),
        "{err}"
    );
}

#[test]
fn a_site_may_replace_a_language_file_or_add_a_language() {
    let site = TempSite::from_fixture("sites/basic");
    let english = include_str!("../themes/default/i18n/en.toml");
    site.write(
        "themes/default/i18n/en.toml",
        &english.replace(
            "min_read = \"min read\"",
            "min_read = \"minutes of reading\"",
        ),
    );
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        site.read("essays/alpha/index.html")
            .contains("minutes of reading")
    );

    // A language lectern does not ship, added by the site.
    let toml = std::fs::read_to_string(site.root().join("site.toml"))
        .expect("site.toml")
        .replace("language = \"en\"", "language = \"it\"");
    site.write("site.toml", &toml);
    site.write(
        "themes/default/i18n/it.toml",
        &english.replace("search = \"Search\"", "search = \"Cerca\""),
    );
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.read("search/index.html").contains("<h1>Cerca</h1>"));
}

#[test]
fn a_language_file_missing_a_string_or_naming_an_unknown_one_is_an_error() {
    let site = TempSite::from_fixture("sites/basic");
    let english = include_str!("../themes/default/i18n/en.toml");
    site.write(
        "themes/default/i18n/en.toml",
        &english
            .replace("min_read = \"min read\"\n", "")
            .replace("search = \"Search\"", "serch = \"Search\""),
    );
    let out = site.run(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "themes/default/i18n/en.toml:1:1: error: the interface string `min_read` is missing"
        ),
        "{err}"
    );
    assert!(
        err.contains("error: unknown interface string `serch`"),
        "{err}"
    );
    assert!(err.contains("did you mean `search`?"), "{err}");
}
