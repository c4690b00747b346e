//! What a reader takes away from the site: the Atom feed, the tags shared links show, the group's
//! calendar, the icons a phone saves, the tag pages and the "Edit this page" link. Feeds and
//! calendars are read back by independent parsers.

mod common;

use common::{TempSite, stderr};

/// The basic fixture course with dated, timed sessions, a time zone and a repository.
fn course() -> TempSite {
    let site = TempSite::from_fixture("sites/basic");
    let toml = std::fs::read_to_string(site.root().join("site.toml")).expect("site.toml");
    site.write(
        "site.toml",
        &format!(
            "{toml}repo_url = \"https://github.com/group/course\"\ntimezone = \"America/New_York\"\n\
             image = \"/img/logo.svg\"\n"
        ),
    );
    site
}

fn build(site: &TempSite) {
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

fn session_with(site: &TempSite, extra: &str) {
    let path = site.root().join("content/sessions/one.md");
    let text = std::fs::read_to_string(&path).expect("session");
    let text = text.replacen("date: 2026-01-14\n", extra, 1);
    std::fs::write(path, text).expect("write");
}

#[test]
fn the_atom_feed_holds_the_newest_fifty_entries() {
    let site = course();
    for n in 0..60 {
        let (month, day) = (n / 28 + 1, n % 28 + 1);
        site.write(
            &format!("content/essays/dated-{n}.md"),
            &format!("---\ntitle: Dated essay {n}\ndate: 2030-{month:02}-{day:02}\n---\nText.\n"),
        );
    }
    build(&site);
    let feed = feed_rs::parser::parse(site.read("atom.xml").as_bytes()).expect("a valid feed");
    assert_eq!(feed.entries.len(), 50);
    let newest = feed.entries[0].title.as_ref().map(|t| t.content.clone());
    assert_eq!(newest.as_deref(), Some("Dated essay 59"));
}

#[test]
fn the_atom_feed_lists_essays_and_sessions_newest_first_with_full_addresses() {
    let site = course();
    build(&site);
    let xml = site.read("atom.xml");
    let feed = feed_rs::parser::parse(xml.as_bytes()).expect("a valid feed");
    let titles: Vec<String> = feed
        .entries
        .iter()
        .map(|e| {
            e.title
                .as_ref()
                .map(|t| t.content.clone())
                .unwrap_or_default()
        })
        .collect();
    assert!(!titles.is_empty(), "{xml}");
    let dates: Vec<_> = feed.entries.iter().map(|e| e.updated).collect();
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {dates:?}"
    );
    for entry in &feed.entries {
        let href = &entry.links[0].href;
        assert!(href.starts_with("https://example.org/course/"), "{href}");
    }
    let essay = site.read("essays/alpha/index.html");
    assert!(
        essay.contains(
            "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/course/atom.xml\""
        ),
        "{essay}"
    );
}

#[test]
fn every_page_carries_sharing_tags_with_the_default_image() {
    let site = course();
    build(&site);
    let essay = site.read("essays/alpha/index.html");
    for tag in [
        "<meta property=\"og:type\" content=\"article\">",
        "<meta property=\"og:url\" content=\"https://example.org/course/essays/alpha/\">",
        "<meta property=\"og:site_name\" content=\"Fixture Course\">",
        "<meta property=\"og:image\" content=\"https://example.org/course/img/logo.svg\">",
        "<meta name=\"twitter:card\" content=\"summary_large_image\">",
    ] {
        assert!(essay.contains(tag), "{tag} in\n{essay}");
    }
    assert!(
        essay.contains("<meta property=\"og:title\" content=\"Alpha"),
        "{essay}"
    );
    let glossary = site.read("glossary/index.html");
    assert!(glossary.contains("<meta property=\"og:type\" content=\"website\">"));
}

#[test]
fn a_page_may_name_its_own_sharing_image() {
    let site = course();
    let path = site.root().join("content/essays/alpha.md");
    let text = std::fs::read_to_string(&path).expect("essay");
    std::fs::write(
        &path,
        text.replacen("---\n", "---\nimage: https://img.example.org/a.png\n", 1),
    )
    .expect("write");
    build(&site);
    let essay = site.read("essays/alpha/index.html");
    assert!(
        essay.contains("<meta property=\"og:image\" content=\"https://img.example.org/a.png\">")
    );
}

#[test]
fn pages_link_to_their_source_only_when_a_repository_is_named() {
    let site = course();
    build(&site);
    let essay = site.read("essays/alpha/index.html");
    assert!(
        essay
            .contains("href=\"https://github.com/group/course/edit/main/content/essays/alpha.md\""),
        "{essay}"
    );
    assert!(!site.read("glossary/index.html").contains("/edit/main/"));

    let plain = TempSite::from_fixture("sites/basic");
    build(&plain);
    assert!(!plain.read("essays/alpha/index.html").contains("edit-link"));
}

#[test]
fn tags_become_pages_and_link_from_the_essays() {
    let site = course();
    let path = site.root().join("content/essays/alpha.md");
    let text = std::fs::read_to_string(&path).expect("essay");
    let text = text.replacen(
        "tags: [trust, reading]",
        "tags: [Common factors, ethics]",
        1,
    );
    std::fs::write(&path, text).expect("write");
    build(&site);
    let tags = site.read("tags/index.html");
    assert!(
        tags.contains("href=\"/course/tags/common-factors/\">Common factors</a>"),
        "{tags}"
    );
    let tag = site.read("tags/common-factors/index.html");
    assert!(tag.contains("href=\"/course/essays/alpha/\""), "{tag}");
    let essay = site.read("essays/alpha/index.html");
    assert!(
        essay.contains("<a class=\"tag\" href=\"/course/tags/ethics/\">ethics</a>"),
        "{essay}"
    );
}

#[test]
fn two_spellings_of_one_tag_are_an_error_naming_both_files() {
    let site = course();
    let alpha = site.root().join("content/essays/alpha.md");
    let text = std::fs::read_to_string(&alpha).expect("essay");
    std::fs::write(
        &alpha,
        text.replacen("[trust, reading]", "[Common factors]", 1),
    )
    .expect("write");
    let beta = site.root().join("content/essays/part-one/beta.md");
    let text = std::fs::read_to_string(&beta).expect("essay");
    std::fs::write(
        &beta,
        text.replacen("---\n", "---\ntags: [common-factors]\n", 1),
    )
    .expect("write");
    let out = site.run(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "content/essays/part-one/beta.md:2:8: error: tag `common-factors` would share the \
             address /tags/common-factors/ with tag `Common factors` of content/essays/alpha.md"
        ),
        "{err}"
    );
}

#[test]
fn the_icons_a_phone_expects_are_made_from_the_favicon() {
    let site = course();
    build(&site);
    let png = std::fs::read(site.out().join("apple-touch-icon.png")).expect("icon");
    let size = imagesize::blob_size(&png).expect("a PNG");
    assert_eq!((size.width, size.height), (180, 180));
    let manifest: serde_json::Value =
        serde_json::from_str(&site.read("manifest.webmanifest")).expect("JSON");
    assert_eq!(manifest["name"], "Fixture Course");
    assert_eq!(manifest["theme_color"], "#7a2e1f");
    assert_eq!(manifest["start_url"], "/course/");
    assert_eq!(manifest["icons"][2]["src"], "/course/icon-512.png");

    // The site's own favicon.svg gives the icons their colour.
    site.write(
        "static/favicon.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\" fill=\"#114477\"/></svg>",
    );
    build(&site);
    assert!(
        site.read("manifest.webmanifest")
            .contains("\"theme_color\": \"#114477\"")
    );

    site.write("static/favicon.svg", "not an svg");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("favicon.svg cannot be read as SVG"),
        "{}",
        stderr(&out)
    );
}

/// The VEVENTs of a calendar, parsed, as (UID, DTSTART, DURATION or DTEND, SUMMARY).
fn events(ics: &str) -> Vec<[String; 4]> {
    let unfolded = icalendar::parser::unfold(ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("a valid calendar");
    calendar
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .map(|c| {
            let prop = |n: &str| {
                c.find_prop(n)
                    .map(|p| p.val.to_string())
                    .unwrap_or_default()
            };
            let end = if prop("DURATION").is_empty() {
                prop("DTEND")
            } else {
                prop("DURATION")
            };
            [prop("UID"), prop("DTSTART"), end, prop("SUMMARY")]
        })
        .collect()
}

#[test]
fn the_calendar_has_an_event_per_dated_session_in_utc_from_the_time_zone() {
    let site = course();
    session_with(&site, "date: 2027-01-13\ntime: \"18:30\"\nduration: 90\n");
    build(&site);
    let ics = site.read("sessions.ics");
    assert!(
        ics.lines().all(|l| l.len() <= 76),
        "lines are folded: {ics}"
    );
    let found = events(&ics);
    assert_eq!(found.len(), 1, "{ics}");
    let [uid, start, length, summary] = &found[0];
    assert_eq!(uid, "session-1-course@example.org");
    // 18:30 in New York in January is 23:30 UTC.
    assert_eq!(start, "20270113T233000Z");
    assert_eq!(length, "PT90M");
    assert!(summary.starts_with("Session 1: "), "{summary}");
    assert!(
        ics.contains("URL:https://example.org/course/sessions/1/"),
        "{ics}"
    );
    let home = site.read("index.html");
    assert!(
        home.contains("href=\"/course/sessions.ics\" download>Add to calendar</a>"),
        "{home}"
    );
}

#[test]
fn a_session_without_a_time_is_an_all_day_event() {
    let site = course();
    session_with(&site, "date: 2027-12-31\n");
    build(&site);
    let found = events(&site.read("sessions.ics"));
    assert_eq!(found[0][1], "20271231");
    assert_eq!(found[0][2], "20280101");
}

#[test]
fn bad_calendar_settings_are_errors_at_their_place() {
    let site = course();
    session_with(&site, "date: 2027-01-13\ntime: \"6.30pm\"\nduration: 0\n");
    let toml = std::fs::read_to_string(site.root().join("site.toml")).expect("site.toml");
    site.write(
        "site.toml",
        &toml.replace("America/New_York", "Europe/Londn"),
    );
    let out = site.run(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/sessions/one.md:5:8: error: `6.30pm` is not a time of day"),
        "{err}"
    );
    assert!(
        err.contains("content/sessions/one.md:6:11: error: a session of 0 minutes"),
        "{err}"
    );
    assert!(
        err.contains("site.toml:7:12: error: timezone `Europe/Londn` is not a time zone name"),
        "{err}"
    );
}

#[test]
fn a_misspelt_reader_key_is_told_the_right_one() {
    let site = course();
    let toml = std::fs::read_to_string(site.root().join("site.toml")).expect("site.toml");
    site.write("site.toml", &toml.replace("repo_url", "repo_ulr"));
    let out = site.run(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("unknown key `repo_ulr`"), "{err}");
    assert!(err.contains("did you mean `repo_url`?"), "{err}");
}
