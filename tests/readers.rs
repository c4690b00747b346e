//! What readers expect of a course site, as the build writes it: essays' headings that link to
//! themselves, the controls and lists behind reading progress, and the service worker of
//! `offline = true` (its cache named by the build's content). The browser side is in
//! tests/browser/readers.test.mjs.

mod common;

use common::{TempSite, main_of};
use lectern::BuildOptions;

fn with_offline(site: &TempSite, on: bool) {
    let path = site.root().join("site.toml");
    let text = std::fs::read_to_string(&path).expect("site.toml");
    std::fs::write(path, format!("{text}offline = {on}\n")).expect("write site.toml");
}

#[test]
fn an_essays_sections_link_to_themselves_beside_their_headings() {
    let site = TempSite::from_fixture("sites/basic");
    site.write(
        "content/essays/levels.md",
        "---\ntitle: Levels\n---\n\n# One\n\n### Three\n\n#### Four\n\n##### Five\n\nText.\n",
    );
    site.write(
        "content/about.md",
        "---\ntitle: About this course\n---\n\n## A page's section\n\nText.\n",
    );
    site.build();
    let html = site.read("essays/alpha/index.html");
    assert!(
        html.contains(
            "<div class=\"heading-anchored anchored-h2\">\n\
             <h2 id=\"markdown-features\">Markdown features</h2>\n\
             <a class=\"heading-anchor\" href=\"#markdown-features\" aria-label=\"Link to this section\">\
             <span aria-hidden=\"true\">#</span></a>\n</div>"
        ),
        "{}",
        main_of(&html)
    );
    // A repeated heading's link goes to its own id, a custom id's to that id.
    assert!(html.contains("href=\"#markdown-features-1\" aria-label"));
    assert!(html.contains("href=\"#custom-id\" aria-label"));
    // The contents list the headings' text alone.
    assert!(html.contains("<a href=\"#markdown-features\">Markdown features</a>"));
    let levels = site.read("essays/levels/index.html");
    assert_eq!(
        levels.matches("class=\"heading-anchor\"").count(),
        2,
        "h3 and h4 only"
    );
    assert!(levels.contains("href=\"#three\"") && levels.contains("href=\"#four\""));
    // Pages, terms and questions keep plain headings.
    assert!(!site.read("about/index.html").contains("heading-anchor"));
    // The search index has the headings' words, not the links'.
    let index = site.read("search/manifest.json");
    assert!(index.contains("Markdown features"));
    assert!(!index.contains("Link to this section"));
}

#[test]
fn the_heading_links_name_is_in_the_sites_language() {
    let site = TempSite::from_fixture("sites/basic");
    let toml = std::fs::read_to_string(site.root().join("site.toml")).expect("site.toml");
    site.write(
        "site.toml",
        &toml.replace("language = \"en\"", "language = \"de\""),
    );
    site.build();
    let html = site.read("essays/alpha/index.html");
    assert!(html.contains("aria-label=\"Link zu diesem Abschnitt\""));
    assert!(html.contains(">Als gelesen markieren</button>"));
}

#[test]
fn essays_and_questions_carry_a_hidden_mark_and_the_home_page_each_sessions_pages() {
    let site = TempSite::from_fixture("sites/basic");
    site.build();
    let essay = site.read("essays/alpha/index.html");
    assert!(essay.contains("<div class=\"progress-mark\" data-progress-mark hidden>"));
    assert!(essay.contains(
        "aria-pressed=\"false\" aria-describedby=\"progress-kept\" data-progress-toggle=\"/course/essays/alpha/\">"
    ));
    assert!(essay.contains("Mark as read</button>"));
    assert!(essay.contains("<script src=\"/course/js/progress.js\" defer></script>"));
    let question = site.read("questions/opening/index.html");
    assert!(question.contains("data-progress-toggle=\"/course/questions/opening/\""));
    assert!(question.contains("Mark as prepared</button>"));
    // Neither a term nor a session is marked.
    assert!(
        !site
            .read("glossary/trust/index.html")
            .contains("data-progress-toggle")
    );
    assert!(
        !site
            .read("sessions/1/index.html")
            .contains("data-progress-toggle")
    );

    let home = site.read("index.html");
    let item = home
        .split("<li class=\"syllabus-item\" data-number=\"1\"")
        .nth(1)
        .and_then(|rest| rest.split("</li>").next())
        .expect("session 1 on the home page");
    assert!(
        item.contains("data-progress-essays=\"/course/essays/alpha/\""),
        "{item}"
    );
    assert!(
        item.contains("data-progress-questions=\"/course/questions/opening/\""),
        "{item}"
    );
    assert!(item.contains("data-progress-count hidden>"), "{item}");
    assert!(home.contains("data-readings-one=\"{done} of {total} reading\""));
    assert!(home.contains("data-questions-other=\"{done} of {total} questions\""));
}

#[test]
fn offline_writes_a_worker_whose_cache_is_named_by_the_builds_content() {
    let site = TempSite::from_fixture("sites/basic");
    with_offline(&site, true);
    site.build();
    let worker = site.read("sw.js");
    assert!(worker.starts_with("const SETTINGS = {"), "{worker}");
    assert!(worker.contains("self.addEventListener(\"fetch\""));
    // The home page, the search index and what every page loads are kept from the start.
    for kept in [
        "\"./\"",
        "\"search/\"",
        "\"search/manifest.json\"",
        "\"style.css\"",
        "\"js/search.js\"",
    ] {
        assert!(worker.contains(kept), "{kept} is kept");
    }
    // The page for a page not kept, in the site's language and under its base path.
    assert!(worker.contains("Not saved for reading offline"));
    assert!(worker.contains("href=\\\"/course/style.css\\\""));
    for page in ["index.html", "essays/alpha/index.html", "404.html"] {
        assert!(
            site.read(page).contains(
                "<script src=\"/course/js/offline.js\" data-worker=\"/course/sw.js\" data-scope=\"/course/\" defer></script>"
            ),
            "{page} registers the worker"
        );
    }

    let version = |worker: &str| {
        let at = worker.find("\"version\":\"").expect("version") + 11;
        worker[at..at + 16].to_string()
    };
    let first = version(&worker);
    assert!(first.chars().all(|c| c.is_ascii_hexdigit()), "{first}");
    site.build();
    assert_eq!(
        site.read("sw.js"),
        worker,
        "an unchanged site, an unchanged worker"
    );

    let path = site.root().join("content/essays/alpha.md");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(
        &path,
        text.replace("Same heading twice.", "Same heading, twice."),
    )
    .expect("write");
    site.build();
    assert_ne!(
        version(&site.read("sw.js")),
        first,
        "a changed page, a new cache"
    );
}

#[test]
fn without_offline_the_worker_only_removes_itself() {
    let site = TempSite::from_fixture("sites/basic");
    site.build();
    let worker = site.read("sw.js");
    assert!(
        worker.contains("self.registration.unregister()"),
        "{worker}"
    );
    assert!(worker.contains("caches.delete"), "{worker}");
    assert!(!worker.contains("\"fetch\""), "it answers no request");
    assert!(!site.read("index.html").contains("offline.js"));

    // A worker of the site's own stays, when lectern has none to write.
    site.write("static/sw.js", "// the author's own\n");
    site.build();
    assert_eq!(site.read("sw.js"), "// the author's own\n");
}

#[test]
fn the_preview_keeps_no_pages_offline() {
    let site = TempSite::from_fixture("sites/basic");
    with_offline(&site, true);
    let mut engine =
        lectern::serve::Engine::new(site.root().to_path_buf(), BuildOptions::default(), None);
    let built = engine
        .rebuild(&[])
        .unwrap_or_else(|f| panic!("{}", f.diagnostics.report()));
    let page = String::from_utf8_lossy(&built.files["essays/alpha/index.html"]).into_owned();
    assert!(
        !page.contains("offline.js"),
        "the preview registers no worker"
    );
    let worker = String::from_utf8_lossy(&built.files["sw.js"]).into_owned();
    assert!(worker.contains("self.registration.unregister()"));
}
