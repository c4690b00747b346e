//! Bad input at scale: a site with a thousand broken files reports every error in one run,
//! sorted by file and position, quickly and without a panic.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{TempSite, stderr};

/// One broken file of each sort, by number: its path, its text and where its error is.
fn broken(i: usize) -> (String, String, (usize, usize)) {
    let n = format!("{i:04}");
    match i % 10 {
        0 => (
            format!("content/essays/unknown-key-{n}.md"),
            "---\ntitle: A\nsumary: typo\n---\n".into(),
            (3, 1),
        ),
        1 => (
            format!("content/essays/missing-link-{n}.md"),
            "---\ntitle: B\n---\n\nSee [[no-such-thing]].\n".into(),
            (5, 5),
        ),
        2 => (
            format!("content/essays/bad-date-{n}.md"),
            "---\ntitle: C\ndate: 14/01/2026\n---\n".into(),
            (3, 7),
        ),
        3 => (
            format!("content/questions/unknown-slug-{n}.md"),
            "---\ntitle: D?\nterms: [trust, nope]\n---\n".into(),
            (3, 16),
        ),
        4 => (
            format!("content/glossary/missing-summary-{n}.md"),
            "---\nterm: Term {n}\n---\n".into(),
            (2, 1),
        ),
        5 => (
            format!("content/essays/no-front-matter-{n}.md"),
            "# Just a heading\n".into(),
            (1, 1),
        ),
        6 => (
            format!("content/essays/bad-yaml-{n}.md"),
            "---\ntitle: [unclosed\n---\n".into(),
            (2, 8),
        ),
        7 => (
            format!("content/essays/Bad_Slug_{n}.md"),
            "---\ntitle: E\n---\n".into(),
            (1, 1),
        ),
        8 => (
            format!("content/questions/wrong-type-{n}.md"),
            "---\ntitle: F?\nsession: soon\n---\n".into(),
            (3, 10),
        ),
        _ => (
            format!("content/essays/missing-heading-{n}.md"),
            "---\ntitle: G\n---\n\nSee [[ok#no-such-heading]].\n".into(),
            (5, 5),
        ),
    }
}

/// `path:line:col: error: …` headers in the order they were printed.
fn error_headers(stderr: &str) -> Vec<(String, usize, usize)> {
    stderr
        .lines()
        .filter_map(|l| {
            let (head, _) = l.split_once(": error: ")?;
            let mut parts = head.rsplitn(3, ':');
            let col = parts.next()?.parse().ok()?;
            let line = parts.next()?.parse().ok()?;
            Some((parts.next()?.to_string(), line, col))
        })
        .collect()
}

#[test]
fn a_thousand_broken_files_are_all_reported_in_one_sorted_run() {
    let site = TempSite::from_fixture("invalid/_base");
    site.build();
    let before = common::snapshot_dir(&site.out());
    let mut expected = Vec::new();
    for i in 0..1000 {
        let (path, text, (line, col)) = broken(i);
        site.write(&path, &text);
        expected.push((path, line, col));
    }
    let started = Instant::now();
    let out = site.run(&["build"]);
    let elapsed = started.elapsed();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.ends_with("1000 errors found; nothing was written\n"),
        "{}",
        &err[err.len().saturating_sub(500)..]
    );
    let reported = error_headers(&err);
    assert_eq!(reported.len(), 1000);
    expected.sort_by(|a, b| (Path::new(&a.0), a.1, a.2).cmp(&(Path::new(&b.0), b.1, b.2)));
    for (got, want) in reported.iter().zip(&expected) {
        assert_eq!(got, want, "reported in file and position order");
    }
    assert_eq!(common::snapshot_dir(&site.out()), before);
    // A debug build on a slow machine; a release build takes a small fraction of this.
    assert!(elapsed < Duration::from_secs(30), "took {elapsed:?}");
}

/// Inputs that once cost time in the square of their size (benches/attacks.sh times them):
/// a page of thousands of equal headings gets its ids in order, and thousands of broken links
/// in one file give a report of the first hundred and a count, not megabytes.
#[test]
fn many_equal_headings_and_many_broken_links_stay_cheap_and_short() {
    let site = TempSite::from_fixture("invalid/_base");
    site.write(
        "content/essays/many.md",
        &format!(
            "---\ntitle: Many\n---\n{}",
            "## Heading\n\ntext\n\n".repeat(20_000)
        ),
    );
    let out = site.run(&["build", "--base-url", "https://x.org/"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(site.out().join("essays/many/index.html")).expect("page");
    assert!(
        html.contains("<h2 id=\"heading-19999\">"),
        "ids run on in order"
    );
    assert!(!html.contains("id=\"heading-20000\""));

    for (name, body, more) in [
        ("line", "[[nope]] ".repeat(20_000), 19_900),
        ("fragments", "[[many#nope]]\n".repeat(20_000), 19_900),
    ] {
        site.write(
            &format!("content/essays/{name}.md"),
            &format!("---\ntitle: {name}\n---\n{body}\n"),
        );
        let out = site.run(&["check"]);
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        assert!(
            err.contains(&format!(
                "content/essays/{name}.md: … and {more} more like these (the first 100 are shown)"
            )),
            "{}",
            &err[err.len().saturating_sub(400)..]
        );
        assert!(err.len() < 100_000, "{} bytes of report", err.len());
        site.remove(&format!("content/essays/{name}.md"));
    }
}
