//! The command line as a user runs it: `init`, `new`, `check`, `build`.

mod common;

use common::{TempSite, stderr};

fn lectern(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run lectern")
}

#[test]
fn init_writes_a_site_that_builds_with_no_further_step() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = lectern(dir.path(), &["init", "course"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let site = dir.path().join("course");
    for file in [
        "site.toml",
        "content/_index.md",
        ".github/workflows/pages.yml",
    ] {
        assert!(site.join(file).is_file(), "init did not write {file}");
    }
    // The built-in theme applies, so the course keeps receiving its fixes.
    assert!(!site.join("themes").exists(), "init copies no theme files");
    let out = lectern(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        site.join("public/essays/first-reading/index.html")
            .is_file()
    );
    let essay = std::fs::read_to_string(site.join("public/essays/first-reading/index.html"))
        .expect("essay");
    assert!(
        essay.contains("href=\"/glossary/reliance/\""),
        "the starter's links resolve"
    );
    let ignored = std::fs::read_to_string(site.join(".gitignore")).expect(".gitignore");
    assert!(
        ignored.contains("/public/") && ignored.contains("/.public.lectern-spare/"),
        "the output and its spare are kept out of version control: {ignored}"
    );
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("keep.txt"), "mine").expect("write");
    let out = lectern(dir.path(), &["init", "."]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("exists and is not empty"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("keep.txt")).expect("kept"),
        "mine"
    );
}

#[test]
fn new_writes_each_kind_with_its_front_matter_and_the_site_still_builds() {
    let site = TempSite::from_fixture("sites/basic");
    for (kind, title, path, needle) in [
        (
            "essay",
            "On Trust & Doubt",
            "content/essays/on-trust-doubt.md",
            "title: \"On Trust & Doubt\"",
        ),
        (
            "term",
            "Epistemic vigilance",
            "content/glossary/epistemic-vigilance.md",
            "term: \"Epistemic vigilance\"",
        ),
        (
            "question",
            "Whom do you trust?",
            "content/questions/whom-do-you-trust.md",
            "title: \"Whom do you trust?\"",
        ),
        (
            "session",
            "Week 3: Repair",
            "content/sessions/week-3-repair.md",
            "number: 3",
        ),
    ] {
        let out = site.run(&["new", kind, title]);
        assert!(out.status.success(), "{kind}: {}", stderr(&out));
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            format!("created {path}")
        );
        let text = std::fs::read_to_string(site.root().join(path)).expect("written");
        assert!(text.contains(needle), "{kind}: {text}");
    }
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.out().join("sessions/3/index.html").is_file());

    let again = site.run(&["new", "essay", "On Trust & Doubt"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already exists"));
}

#[test]
fn check_validates_and_writes_nothing() {
    let site = TempSite::from_fixture("sites/basic");
    let out = site.run(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("ok:"));
    assert!(!site.out().exists());
}

#[test]
fn build_reports_what_it_wrote() {
    let site = TempSite::from_fixture("sites/basic");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("built 20 pages"), "{err}");
    assert!(err.contains("warning: link to draft"), "{err}");
}

#[test]
fn output_folder_is_relative_to_the_current_folder_and_output_dir_to_the_root() {
    let site = TempSite::from_fixture("sites/basic");
    let out = lectern(
        site.root().parent().expect("parent"),
        &["build", "--root", site.root().to_str().expect("utf-8 path")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.root().join("public/index.html").is_file());
}

#[test]
fn a_build_leaves_no_staging_folder_behind() {
    let site = TempSite::from_fixture("sites/basic");
    site.build();
    site.build();
    let names: Vec<String> = std::fs::read_dir(site.root())
        .expect("read")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.contains("lectern-staging") && !n.contains("lectern-old")),
        "{names:?}"
    );
}

#[test]
fn a_site_without_a_host_gets_no_sitemap_and_one_warning_saying_so() {
    let site = TempSite::from_fixture("invalid/_base");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.matches("warning:").count(), 1, "{err}");
    assert!(
        err.contains(
            "site.toml:2:12: warning: base_url `/` has no host, so no sitemap.xml is written"
        ),
        "{err}"
    );
    assert!(err.contains("--base-url"), "{err}");
    assert!(!site.out().join("sitemap.xml").exists());
    let robots = std::fs::read_to_string(site.out().join("robots.txt")).expect("robots.txt");
    assert!(!robots.contains("Sitemap:"), "{robots}");

    let out = site.run(&["build", "--base-url", "https://u.github.io/course/"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    assert!(site.out().join("sitemap.xml").is_file());
    let robots = std::fs::read_to_string(site.out().join("robots.txt")).expect("robots.txt");
    assert!(
        robots.contains("Sitemap: https://u.github.io/course/sitemap.xml"),
        "{robots}"
    );
}

#[test]
fn strict_makes_warnings_errors_and_writes_nothing() {
    let site = TempSite::from_fixture("invalid/_base");
    let out = site.run(&["build", "--base-url", "https://u.github.io/c/"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let before = std::fs::read_to_string(site.out().join("index.html")).expect("built");
    site.write(
        "content/essays/later.md",
        "---\ntitle: Later\ndraft: true\n---\n",
    );
    site.write(
        "content/essays/now.md",
        "---\ntitle: Now\n---\nSee [[later]].\n",
    );
    let out = site.run(&["build", "--strict", "--base-url", "https://u.github.io/c/"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("content/essays/now.md:4:5: error: link to draft `later` is shown as plain text (a warning; --strict makes it an error)"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(site.out().join("index.html")).expect("kept"),
        before,
        "the previous output stays"
    );
    let out = site.run(&["check", "--strict"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let out = site.run(&["check"]);
    assert!(out.status.success(), "without --strict a warning passes");
}

#[test]
fn new_with_a_very_long_title_writes_a_short_file_name() {
    let site = TempSite::from_fixture("invalid/_base");
    let title = "Trust ".repeat(90);
    let out = site.run(&["new", "essay", title.trim()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let created = String::from_utf8_lossy(&out.stdout).into_owned();
    let name = created
        .trim()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(name.len() <= 83 && name.ends_with("trust.md"), "{name}");
    assert!(site.root().join("content/essays").join(&name).is_file());
}

#[test]
fn the_facilitators_edition_is_one_file_with_every_note_and_never_in_the_public_output() {
    let site = TempSite::from_fixture("sites/basic");
    let out = site.run(&["build", "--base-url", "https://u.github.io/c/"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let public = common::snapshot_dir(&site.out());
    let out = site.run(&["build", "--facilitator-edition", "guide.html"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("wrote the facilitator's edition to guide.html"));
    let html = std::fs::read_to_string(site.root().join("guide.html")).expect("edition");
    assert!(
        html.contains("class=\"facilitator-notes\""),
        "the notes are in it"
    );
    assert!(html.contains("<style>") && html.contains("data:font/woff2;base64,"));
    assert!(!html.contains("<script") && !html.contains("rel=\"stylesheet\""));
    let one = html.find("id=\"session-1\"").expect("session 1");
    let two = html.find("id=\"session-2\"").expect("session 2");
    assert!(one < two, "sessions in order");
    assert_eq!(
        common::snapshot_dir(&site.out()),
        public,
        "the public output is untouched"
    );
    let out = site.run(&["build", "--facilitator-edition", "public/guide.html"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("would be inside the public output folder"));
    assert!(!site.out().join("guide.html").exists());
}

#[test]
fn placeholders_from_new_are_warnings_and_strict_refuses_them() {
    let site = TempSite::from_fixture("invalid/_base");
    let out = site.run(&["new", "term", "Safe harbour"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = site.run(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("content/glossary/safe-harbour.md:3:11: warning: “One plain sentence that defines the term.” is the placeholder `lectern new` wrote"),
        "{err}"
    );
    assert!(
        err.contains("content/glossary/safe-harbour.md:8:1: warning: “Explain the term here.”"),
        "{err}"
    );
    let out = site.run(&["new", "essay", "On harbours"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&site.run(&["check"]));
    assert!(
        err.contains("content/essays/on-harbours.md:4:1: warning: `summary` is empty"),
        "{err}"
    );
    let out = site.run(&["check", "--strict"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn theme_eject_copies_what_you_name_and_diff_says_what_you_changed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = lectern(dir.path(), &["init", "course"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let site = dir.path().join("course");
    let out = lectern(&site, &["theme", "diff"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("overrides nothing"));
    let out = lectern(&site, &["theme", "eject", "essay.html", "static/style.css"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let made = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        made.contains("created themes/default/templates/essay.html"),
        "{made}"
    );
    assert!(
        made.contains("created themes/default/static/style.css"),
        "{made}"
    );
    let css = site.join("themes/default/static/style.css");
    let mut text = std::fs::read_to_string(&css).expect("css");
    text.push_str("\n.course-own { color: teal; }\n");
    std::fs::write(&css, text).expect("edit");
    let out = lectern(&site, &["theme", "diff"]);
    let listed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        listed.contains("changed  themes/default/static/style.css"),
        "{listed}"
    );
    assert!(
        listed.contains("same     themes/default/templates/essay.html"),
        "{listed}"
    );
    // A second eject leaves the edited copy alone; an unknown name is an error with a hint.
    let out = lectern(&site, &["theme", "eject", "style.css"]);
    assert!(out.status.success());
    assert!(
        std::fs::read_to_string(&css)
            .expect("css")
            .contains("course-own")
    );
    let out = lectern(&site, &["theme", "eject", "bas.html"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("did you mean `base.html`?"),
        "{}",
        stderr(&out)
    );
    let out = lectern(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let built = std::fs::read_to_string(site.join("public/style.css")).expect("built css");
    assert!(built.contains("course-own"), "the site's copy wins");
}
