//! The preview's incremental rebuilds must give exactly the files a full build gives, after
//! every kind of edit a writer makes.

#![cfg(feature = "serve")]

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::TempSite;
use lectern::BuildOptions;
use lectern::serve::Engine;

fn full_build(site: &TempSite) -> BTreeMap<String, Vec<u8>> {
    match lectern::generate(&site.config(), BuildOptions::default()) {
        Ok(o) => o.value.files,
        Err(diags) => panic!("full build failed:\n{}", diags.report()),
    }
}

fn rebuild(engine: &mut Engine, changed: &[&str]) -> (BTreeMap<String, Vec<u8>>, usize) {
    let changed: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
    let rendered = match engine.rebuild(&changed) {
        Ok(built) => built.rendered,
        Err(f) => panic!("rebuild failed:\n{}", f.diagnostics.report()),
    };
    let files = engine.update_search().expect("search index");
    (
        files.iter().map(|(k, v)| (k.clone(), v.to_vec())).collect(),
        rendered,
    )
}

fn replace_in(site: &TempSite, rel: &str, from: &str, to: &str) {
    let text = source(site, rel);
    assert!(text.contains(from), "{rel} lacks {from:?}");
    site.write(rel, &text.replacen(from, to, 1));
}

/// Makes one edit (see `replace_in`), rebuilds with the edited file as the change, checks the
/// files against a full build's, and returns how many pages the rebuild rendered.
fn edit_and_check(
    site: &TempSite,
    engine: &mut Engine,
    rel: &str,
    from: &str,
    to: &str,
    step: &str,
) -> usize {
    replace_in(site, rel, from, to);
    let (files, rendered) = rebuild(engine, &[rel]);
    assert_same(site, &files, step);
    rendered
}

#[test]
fn link_edits_give_what_a_full_build_gives() {
    let site = TempSite::from_fixture("sites/basic");
    let mut engine = Engine::new(site.root().to_path_buf(), BuildOptions::default(), None);
    rebuild(&mut engine, &[]);
    let rendered = edit_and_check(
        &site,
        &mut engine,
        "content/essays/alpha.md",
        "Same heading twice.",
        "Same heading twice, and [[reliance]] now.",
        "body edit adding a link",
    );
    assert_eq!(
        rendered, 2,
        "a new link re-renders its page and the page it links to"
    );

    // A session's page that links a term makes it a term to know: the session changes.
    edit_and_check(
        &site,
        &mut engine,
        "content/sessions/one.md",
        "Plan for the first meeting.",
        "Plan for the first meeting: [[reliance]].",
        "a session's new term to know",
    );

    edit_and_check(
        &site,
        &mut engine,
        "content/essays/alpha.md",
        "Same heading twice, and [[reliance]] now.",
        "Same heading twice.",
        "body edit removing a link",
    );
}

fn source(site: &TempSite, rel: &str) -> String {
    std::fs::read_to_string(site.root().join(rel)).expect("read")
}

fn assert_same(site: &TempSite, incremental: &BTreeMap<String, Vec<u8>>, step: &str) {
    let full = full_build(site);
    let keys = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(incremental), keys(&full), "{step}: file lists differ");
    for (path, bytes) in &full {
        assert!(
            incremental[path] == *bytes,
            "{step}: {path} differs from a full build"
        );
    }
}

#[test]
fn every_kind_of_edit_gives_what_a_full_build_gives() {
    let site = TempSite::from_fixture("sites/basic");
    let mut engine = Engine::new(site.root().to_path_buf(), BuildOptions::default(), None);
    let (files, _) = rebuild(&mut engine, &[]);
    assert_same(&site, &files, "first build");

    let rendered = edit_and_check(
        &site,
        &mut engine,
        "content/essays/alpha.md",
        "Trust is where we begin.",
        "Trust is where we begin, again.",
        "body edit",
    );
    assert_eq!(
        rendered, 1,
        "an edit that changes no other page renders its own alone"
    );

    // Long enough to change its reading time, which its session's page shows.
    let longer = "More words to read. ".repeat(300);
    edit_and_check(
        &site,
        &mut engine,
        "content/essays/alpha.md",
        "Trust is where we begin, again.",
        &format!("Trust is where we begin, again. {longer}"),
        "body edit changing the reading time",
    );

    edit_and_check(
        &site,
        &mut engine,
        "content/glossary/trust.md",
        "Counting on someone",
        "Relying on someone",
        "term summary edit",
    );

    site.write(
        "content/questions/third.md",
        "---\ntitle: A new question?\nterms: [reliance]\nsession: 2\n---\n\nBody [[alpha]].\n",
    );
    let (files, _) = rebuild(&mut engine, &["content/questions/third.md"]);
    assert_same(&site, &files, "new file");

    site.remove("content/questions/second.md");
    let (files, _) = rebuild(&mut engine, &["content/questions/second.md"]);
    assert_same(&site, &files, "deleted file");

    site.write(
        "themes/default/templates/partials/footer.html",
        "<footer>Changed footer</footer>",
    );
    let (files, _) = rebuild(
        &mut engine,
        &["themes/default/templates/partials/footer.html"],
    );
    assert_same(&site, &files, "template edit");

    site.write(
        "static/img/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let (files, rendered) = rebuild(&mut engine, &["static/img/logo.svg"]);
    assert_same(&site, &files, "static edit");
    assert!(rendered < 17);

    site.write(
        "site.toml",
        "title = \"Renamed\"\nbase_url = \"https://example.org/other/\"\n",
    );
    let (files, _) = rebuild(&mut engine, &["site.toml"]);
    assert_same(&site, &files, "site.toml edit");
}

#[test]
fn citation_edits_give_what_a_full_build_gives() {
    let site = TempSite::from_fixture("sites/citations");
    let mut engine = Engine::new(site.root().to_path_buf(), BuildOptions::default(), None);
    let (files, _) = rebuild(&mut engine, &[]);
    assert_same(&site, &files, "first build");
    let edit = |rel: &str, from: &str, to: &str| replace_in(&site, rel, from, to);

    // Text around citations changes; what they cite does not.
    let rendered = edit_and_check(
        &site,
        &mut engine,
        "content/glossary/trust.md",
        "the classic one",
        "the classic account",
        "body edit around a citation",
    );
    assert_eq!(rendered, 1, "its citations are written as before");

    // A citation of a work no page cited before: the references page lists a new page for it.
    edit_and_check(
        &site,
        &mut engine,
        "content/questions/why-trust.md",
        "say?",
        "say? And Gilbert [-@gilbert1989social]?",
        "body edit citing another work",
    );

    // The bibliography itself: every page's citations and references follow it.
    edit(
        "content/references.bib",
        "Baier, Annette",
        "Baier, Annette C.",
    );
    edit(
        "content/references.bib",
        "year    = {1986}",
        "year    = {1987}",
    );
    let (files, _) = rebuild(&mut engine, &["content/references.bib"]);
    assert_same(&site, &files, "bibliography edit");
    assert!(
        files["glossary/trust/index.html"]
            .windows(4)
            .any(|w| w == b"1987")
    );

    // A numbered style numbers works as a site first cites them: a citation moved changes
    // numbers on other pages.
    site.write(
        "site.toml",
        "title = \"Citations fixture\"\nbase_url = \"/\"\ncitation_style = \"ieee\"\n",
    );
    rebuild(&mut engine, &["site.toml"]);
    edit(
        "content/_index.md",
        "[@allen2021trusting]",
        "[@holton1994deciding]",
    );
    let (files, _) = rebuild(&mut engine, &["content/_index.md"]);
    assert_same(
        &site,
        &files,
        "a numbered style after an edit that renumbers",
    );
}

#[test]
fn a_failed_rebuild_keeps_the_last_good_state_for_the_next_one() {
    let site = TempSite::from_fixture("sites/basic");
    let mut engine = Engine::new(site.root().to_path_buf(), BuildOptions::default(), None);
    rebuild(&mut engine, &[]);
    site.write(
        "content/essays/alpha.md",
        "---\ntitle: Broken\nsumary: x\n---\n",
    );
    let failure = engine
        .rebuild(&[PathBuf::from("content/essays/alpha.md")])
        .err()
        .expect("fails");
    let report = failure.diagnostics.report();
    assert!(
        report.contains("content/essays/alpha.md:3:1: error"),
        "{report}"
    );
    site.write(
        "content/essays/alpha.md",
        "---\ntitle: Fixed\n---\n\nFixed body.\n",
    );
    let (files, _) = rebuild(&mut engine, &["content/essays/alpha.md"]);
    assert_same(&site, &files, "after the fix");
}

/// A PNG header of the given size: enough for lectern to read it.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    b.extend(width.to_be_bytes());
    b.extend(height.to_be_bytes());
    b.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
    b
}

#[test]
fn adding_or_resizing_an_image_rebuilds_the_pages_that_show_it() {
    let site = TempSite::from_fixture("sites/basic");
    let mut engine = Engine::new(site.root().to_path_buf(), BuildOptions::default(), None);
    rebuild(&mut engine, &[]);
    site.write(
        "content/essays/alpha.md",
        "---\ntitle: Alpha\n---\n\n![A stoa](/images/stoa.png)\n",
    );
    let failure = engine
        .rebuild(&[PathBuf::from("content/essays/alpha.md")])
        .err()
        .expect("the image is missing");
    let report = failure.diagnostics.report();
    assert!(
        report.contains("content/essays/alpha.md:5:1: error: image `/images/stoa.png`"),
        "{report}"
    );

    let image = site.root().join("static/images/stoa.png");
    std::fs::create_dir_all(image.parent().expect("parent")).expect("mkdir");
    std::fs::write(&image, png(40, 30)).expect("write");
    let (files, _) = rebuild(&mut engine, &["static/images/stoa.png"]);
    assert_same(&site, &files, "image added");
    let page = String::from_utf8_lossy(&files["essays/alpha/index.html"]).into_owned();
    assert!(page.contains("width=\"40\" height=\"30\""), "{page}");

    std::fs::write(&image, png(80, 60)).expect("write");
    let (files, _) = rebuild(&mut engine, &["static/images/stoa.png"]);
    assert_same(&site, &files, "image resized");
    let page = String::from_utf8_lossy(&files["essays/alpha/index.html"]).into_owned();
    assert!(page.contains("width=\"80\" height=\"60\""), "{page}");
}

/// A build on disk takes another road to its files than the preview does (it writes the pages
/// first and frees the bodies before it builds the search index): it must write the same files.
#[test]
fn a_build_on_disk_writes_what_the_preview_holds() {
    for fixture in ["sites/basic", "sites/citations", "sites/links"] {
        let site = TempSite::from_fixture(fixture);
        site.write(
            "site.toml",
            &format!(
                "{}\noffline = true\n",
                std::fs::read_to_string(site.root().join("site.toml")).expect("site.toml")
            ),
        );
        site.build();
        let mut written = common::snapshot_dir(&site.out());
        // The build's record of the files it wrote, for the next build: not part of the site.
        written.remove(".lectern-manifest");
        let held = full_build(&site);
        let keys = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&written), keys(&held), "{fixture}: file lists differ");
        for (path, bytes) in &held {
            assert!(written[path] == *bytes, "{fixture}: {path} differs");
        }
    }
}

#[test]
fn a_body_edit_that_breaks_a_link_into_its_page_is_reported() {
    let site = TempSite::from_fixture("sites/basic");
    let mut engine = Engine::new(site.root().to_path_buf(), BuildOptions::default(), None);
    rebuild(&mut engine, &[]);
    let beta = "content/essays/part-one/beta.md";
    let text = source(&site, beta);
    // alpha.md links to `beta#second-part`.
    site.write(beta, &text.replace("## Second part", "## Another part"));
    let failure = engine
        .rebuild(&[PathBuf::from(beta)])
        .err()
        .expect("the link from alpha.md is broken");
    let report = failure.diagnostics.report();
    assert!(
        report.contains("content/essays/alpha.md:36:") && report.contains("#second-part"),
        "{report}"
    );
    site.write(
        beta,
        &text.replace("Reliance is not", "Reliance is still not"),
    );
    let (files, _) = rebuild(&mut engine, &[beta]);
    assert_same(&site, &files, "after the fix");
}

#[test]
fn a_body_edit_brings_and_takes_away_its_own_warnings_and_keeps_the_others() {
    let site = TempSite::from_fixture("sites/basic");
    // A warning in another file, which the edits below must leave alone.
    site.write(
        "content/questions/second.md",
        &source(&site, "content/questions/second.md")
            .replace("Discuss.", "Context and follow-up prompts for the group."),
    );
    let mut engine = Engine::new(site.root().to_path_buf(), BuildOptions::default(), None);
    rebuild(&mut engine, &[]);
    let warnings =
        |engine: &mut Engine, changed: &str| match engine.rebuild(&[PathBuf::from(changed)]) {
            Ok(built) => built.warnings.report(),
            Err(f) => panic!("rebuild failed:\n{}", f.diagnostics.report()),
        };
    let alpha = "content/essays/alpha.md";
    let text = source(&site, alpha);
    let placeholder = "Write the essay here.";
    site.write(alpha, &text.replace("Same heading twice.", placeholder));
    let report = warnings(&mut engine, alpha);
    assert!(
        report.contains("alpha.md:") && report.contains(placeholder),
        "{report}"
    );
    assert!(report.contains("second.md:"), "{report}");
    site.write(alpha, &text);
    let report = warnings(&mut engine, alpha);
    assert!(!report.contains("alpha.md:"), "{report}");
    assert!(report.contains("second.md:"), "{report}");
}

#[test]
fn a_file_left_broken_stays_reported_while_other_files_change() {
    let site = TempSite::from_fixture("sites/basic");
    let mut engine = Engine::new(site.root().to_path_buf(), BuildOptions::default(), None);
    rebuild(&mut engine, &[]);
    let (alpha, beta) = ("content/essays/alpha.md", "content/essays/part-one/beta.md");
    let text = source(&site, alpha);
    site.write(
        alpha,
        &text.replace("Same heading twice.", "See [[nowhere]]."),
    );
    let failed =
        |engine: &mut Engine, changed: &str| match engine.rebuild(&[PathBuf::from(changed)]) {
            Ok(_) => panic!("alpha.md still links to a page that does not exist"),
            Err(f) => f.diagnostics.report(),
        };
    assert!(failed(&mut engine, alpha).contains("nowhere"));
    let other = source(&site, beta);
    site.write(
        beta,
        &other.replace("Reliance is not", "Reliance is still not"),
    );
    let report = failed(&mut engine, beta);
    assert!(
        report.contains("alpha.md") && report.contains("nowhere"),
        "{report}"
    );
    site.write(alpha, &text);
    let (files, _) = rebuild(&mut engine, &[alpha]);
    assert_same(&site, &files, "after the fix");
}

#[test]
fn a_revision_serves_the_latest_search_index() {
    let site = TempSite::from_fixture("sites/basic");
    let mut engine = Engine::new(site.root().to_path_buf(), BuildOptions::default(), None);
    assert!(engine.rebuild(&[]).is_ok(), "first build");
    // As the preview does: the index is built away from the rebuilds, after the pages.
    let (_, index) = engine.search_job().expect("a good build").run();
    assert!(!index.is_empty());
    let alpha = "content/essays/alpha.md";
    site.write(
        alpha,
        &source(&site, alpha).replace("Same heading twice.", "Same heading twice, still."),
    );
    let Ok(built) = engine.rebuild(&[PathBuf::from(alpha)]) else {
        panic!("a body edit fails");
    };
    assert_eq!(built.rendered, 1, "a revision");
    for (path, bytes) in &index {
        assert!(
            built.files.get(path) == Some(bytes),
            "{path} of the latest index is not served"
        );
    }
}

/// A run of small edits of the kinds a writer makes, in a fixed pseudo-random order over several
/// files: after each, the preview holds exactly what a full build writes.
#[test]
fn a_run_of_mixed_edits_gives_what_a_full_build_gives() {
    mixed_edits(
        "sites/basic",
        &[
            "content/essays/alpha.md",
            "content/essays/part-one/beta.md",
            "content/questions/second.md",
            "content/glossary/reliance.md",
            "content/sessions/two.md",
            "content/about.md",
        ],
        &[
            "Plain words to read.",
            "A link to [[reliance]].",
            "A link to [[epistemic-trust]] and [[alpha]].",
            "A link to [[beta#second-part]].",
            "## A heading of its own",
            "Trust, mentioned in passing.",
            "Write the essay here.",
            "Longer words. Longer words. Longer words. Longer words. Longer words. Longer words.",
        ],
    );
}

/// The same with citations, in a numbered style, where a work's number is the order the site
/// first cites it in.
#[test]
fn a_run_of_mixed_edits_with_citations_gives_what_a_full_build_gives() {
    mixed_edits_with(
        "sites/citations",
        "citation_style = \"ieee\"\n",
        &[
            "content/essays/forms.md",
            "content/essays/with-notes.md",
            "content/questions/why-trust.md",
            "content/glossary/trust.md",
            "content/_index.md",
        ],
        &[
            "Plain words to read.",
            "As cited before [@allen2021trusting].",
            "A work cited anew [@gilbert1989social, p. 4].",
            "A link to [[trust]].",
            "## A heading of its own",
            "Two works [@holton1994deciding; @baier1986trust].",
        ],
    );
}

fn mixed_edits(fixture: &str, files: &[&str], additions: &[&'static str]) {
    mixed_edits_with(fixture, "", files, additions);
}

/// `mixed_edits` with `settings` added to the fixture's site.toml.
fn mixed_edits_with(fixture: &str, settings: &str, files: &[&str], additions: &[&'static str]) {
    let site = TempSite::from_fixture(fixture);
    let toml = source(&site, "site.toml");
    site.write("site.toml", &format!("{toml}{settings}"));
    let originals: Vec<String> = files.iter().map(|f| source(&site, f)).collect();
    let mut engine = Engine::new(site.root().to_path_buf(), BuildOptions::default(), None);
    rebuild(&mut engine, &[]);
    let mut added: Vec<Vec<&str>> = vec![Vec::new(); files.len()];
    let mut state: u64 = 0x5eed;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        (state >> 33) as usize % n
    };
    for step in 0..40 {
        let f = next(files.len());
        // One step in four takes back the file's last addition.
        if next(4) == 0 {
            added[f].pop();
        } else {
            added[f].push(additions[next(additions.len())]);
        }
        let text = format!("{}\n\n{}\n", originals[f], added[f].join("\n\n"));
        site.write(files[f], &text);
        let (files_now, _) = rebuild(&mut engine, &[files[f]]);
        assert_same(
            &site,
            &files_now,
            &format!("step {step}: {} now ends {:?}", files[f], added[f].last()),
        );
    }
}
