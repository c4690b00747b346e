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
