//! Bad input: every kind gives `path:line:col: error: …` with a hint where one helps, exit
//! status 1, and leaves the previous output untouched. Each case is a small site under
//! tests/fixtures/invalid/<case>/ laid over invalid/_base/, with the expected lines in
//! expected.txt.

mod common;

use common::{TempSite, fixture, stderr};

fn assert_case(case: &str) {
    let expected = std::fs::read_to_string(fixture(&format!("invalid/{case}/expected.txt")))
        .expect("expected.txt");
    let site = TempSite::invalid(case);
    // A previous good output must survive the failed build untouched. Every build writes
    // `.lectern-manifest`, listing what it wrote: that is how a build knows the folder is one it
    // may replace.
    std::fs::create_dir_all(site.out()).expect("mkdir");
    std::fs::write(site.out().join("index.html"), "previous build").expect("write");
    std::fs::write(site.out().join(".lectern-manifest"), "index.html\n").expect("write");

    let out = site.run(&["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{case}: exit status\n{err}");
    for line in expected.lines() {
        assert!(err.contains(line), "{case}: expected\n  {line}\nin\n{err}");
    }
    assert!(err.contains("nothing was written"), "{case}: {err}");
    assert!(!err.contains("panicked"), "{case}: {err}");
    assert_eq!(
        std::fs::read_to_string(site.out().join("index.html")).expect("kept"),
        "previous build"
    );
    assert_eq!(
        std::fs::read_dir(site.out()).expect("out").count(),
        2,
        "{case}: output changed"
    );

    // `check` finds the same problem and writes nothing.
    let checked = site.run(&["check"]);
    assert_eq!(checked.status.code(), Some(1), "{case}: check exit status");
    assert!(
        stderr(&checked).contains(expected.lines().next().unwrap_or_default()),
        "{case}: check output"
    );
}

macro_rules! invalid_cases {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                assert_case(stringify!($name));
            }
        )*

        #[test]
        fn every_invalid_fixture_has_a_test() {
            let listed = [$(stringify!($name)),*];
            for entry in std::fs::read_dir(fixture("invalid")).expect("fixtures") {
                let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
                assert!(name == "_base" || listed.contains(&name.as_str()), "no test for fixture {name}");
            }
        }
    };
}

invalid_cases!(
    bad_yaml,
    unknown_key,
    missing_required,
    wrong_type,
    list_given_string,
    bad_date,
    duplicate_slug,
    duplicate_session,
    unknown_slug,
    unknown_session,
    unterminated,
    no_front_matter,
    stray_folder,
    invalid_slug,
    reserved_page_slug,
    template_syntax,
    template_render,
    template_missing_parent,
    template_runtime,
    site_toml_unknown_key,
    site_toml_syntax,
    site_toml_bad_value,
    missing_wikilink,
    missing_heading,
    ambiguous_wikilink,
    alias_clash,
    alias_is_slug,
    bad_markdown_link,
    not_utf8,
    empty_title,
    not_a_mapping,
    yaml_too_deep,
    yaml_alias_bomb,
    unsafe_source_url,
    script_link,
    heading_attribute,
    site_toml_bad_cname,
    site_toml_offline_not_a_flag,
    static_worker_clash,
    static_page_clash,
    template_include_cycle,
    missing_image,
    unknown_citation_key,
    citation_without_bibliography,
    bibliography_syntax,
    bibliography_yaml_error,
    two_bibliographies,
    unknown_citation_style,
    unknown_source_key,
    references_page_clash,
);

#[test]
fn the_base_of_the_invalid_fixtures_is_valid() {
    let site = TempSite::from_fixture("invalid/_base");
    site.build();
}

#[test]
fn all_errors_of_a_build_are_reported_at_once_sorted_by_file() {
    let site = TempSite::from_fixture("invalid/_base");
    site.write("content/essays/b.md", "---\ntitle: B\nsumary: x\n---\n");
    site.write(
        "content/questions/a.md",
        "---\ntitle: A?\nterms: [nope]\n---\n\nSee [[missing]].\n",
    );
    site.write("content/glossary/c.md", "---\nterm: C\n---\n");
    site.write("themes/default/templates/page.html", "{% if %}");
    let out = site.run(&["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1));
    let positions: Vec<usize> = [
        "content/essays/b.md:3:1: error",
        "content/glossary/c.md:2:1: error",
        "content/questions/a.md:3:9: error",
        "content/questions/a.md:6:5: error",
    ]
    .iter()
    .map(|l| {
        err.find(l)
            .unwrap_or_else(|| panic!("missing {l} in\n{err}"))
    })
    .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "sorted by file and line:\n{err}"
    );
    assert!(
        err.contains("themes/default/templates/page.html:1:"),
        "{err}"
    );
    assert!(
        err.contains("\n5 errors found; nothing was written"),
        "{err}"
    );
}

#[test]
fn a_file_that_fails_to_load_is_one_error_not_one_per_link_to_it() {
    let site = TempSite::from_fixture("invalid/_base");
    // Each of these has a misspelt key (the term's a required one, so it cannot load at all),
    // and every other file names it in every way a reference can: by slug, qualified, by a term's name and alias, by session number, in front
    // matter and by a Markdown link to the file.
    site.write(
        "content/essays/broken.md",
        "---\ntitle: Broken\nsesion: 1\n---\n\nBody.\n",
    );
    site.write(
        "content/glossary/rupture.md",
        "---\nterm: Rupture\nsumary: x\naliases: [alliance rupture]\n---\n",
    );
    site.write(
        "content/sessions/two.md",
        "---\ntitle: Two\nnumber: 2\nesays: [broken]\n---\n",
    );
    site.write(
        "content/questions/q.md",
        "---\ntitle: Q?\nessays: [broken]\nterms: [rupture]\nsession: 2\n---\n\n\
         See [[broken]], [[essay/broken|it]], [[rupture]], [[Alliance rupture]], \
         [[term/rupture]], [[session/2]] and [the essay](../essays/broken.md).\n",
    );
    let out = site.run(&["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/essays/broken.md:3:1: error: unknown front-matter key `sesion`"),
        "{err}"
    );
    assert!(
        err.contains("content/glossary/rupture.md:3:1: error: unknown front-matter key `sumary`"),
        "{err}"
    );
    assert!(
        err.contains("content/sessions/two.md:4:1: error: unknown front-matter key `esays`"),
        "{err}"
    );
    assert_eq!(err.matches(": error: ").count(), 3, "{err}");
    assert!(
        err.contains("\n3 errors found; nothing was written"),
        "{err}"
    );

    // A name that no file has is still an error, next to the broken file's own.
    site.write(
        "content/questions/q.md",
        "---\ntitle: Q?\n---\n\nSee [[brokn]].\n",
    );
    let err = stderr(&site.run(&["build"]));
    assert!(
        err.contains("content/questions/q.md:5:5: error: link to `brokn`, which does not exist"),
        "{err}"
    );
    assert_eq!(err.matches(": error: ").count(), 4, "{err}");
}

#[test]
fn every_problem_of_one_file_is_reported_not_only_its_first() {
    let site = TempSite::from_fixture("invalid/_base");
    site.write(
        "content/questions/q.md",
        "---\ntitle: Q?\nterms: [trust, epistemic-trsut]\ntitel: x\nsession: one\n\
         date: 2026-01-01\n---\n\nSee [[nope]].\n",
    );
    let err = stderr(&site.run(&["check"]));
    for line in [
        "content/questions/q.md:3:16: error: `terms` names a term `epistemic-trsut`, which does not exist",
        "content/questions/q.md:4:1: error: unknown front-matter key `titel` for a question",
        "content/questions/q.md:5:10: error: `session`: the text",
        "content/questions/q.md:6:1: error: unknown front-matter key `date` for a question",
        "content/questions/q.md:9:5: error: link to `nope`, which does not exist",
    ] {
        assert!(err.contains(line), "{line}\nin\n{err}");
    }
    assert!(err.contains("\n5 errors found"), "{err}");
}

#[test]
fn site_toml_problems_come_with_the_contents_not_instead_of_them() {
    let site = TempSite::from_fixture("invalid/_base");
    site.write(
        "site.toml",
        "title = \"Course\"\nbase_ur = \"/\"\nautolink = \"sometimes\"\n",
    );
    site.write(
        "content/about.md",
        "---\ntitle: About\n---\n\nSee [[nope]].\n",
    );
    let out = site.run(&["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for line in [
        "site.toml:2:1: error: unknown key `base_ur`",
        "site.toml:3:12: error: autolink must be",
        "content/about.md:5:5: error: link to `nope`, which does not exist",
    ] {
        assert!(err.contains(line), "{line}\nin\n{err}");
    }
    assert!(
        err.contains("\n3 errors found; nothing was written"),
        "{err}"
    );
    assert!(!site.out().exists(), "nothing written");
}

#[test]
fn a_link_to_an_id_on_the_same_page_is_checked() {
    let site = TempSite::from_fixture("invalid/_base");
    site.write(
        "content/essays/local.md",
        "---\ntitle: Local\n---\n\n## Methods\n\n## Épreuve\n\n\
         <div id=\"figure-1\">A figure.</div>\n\n\
         See [methods](#methods), [the test](#%C3%A9preuve), [the figure](#figure-1), \
         [a note](#fn-n), [the top](#top) and [the text](#main).[^n]\n\n\
         Then [typo](#methdos).\n\n[^n]: A note.\n",
    );
    let out = site.run(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/essays/local.md:13:6: error: this page has no heading or element with the id `#methdos`"),
        "{err}"
    );
    assert!(err.contains("hint: did you mean `#methods`?"), "{err}");
    assert!(err.contains("\n1 error found"), "{err}");
}

#[test]
fn front_matter_naming_a_term_by_its_alias_is_told_the_slug() {
    let site = TempSite::from_fixture("invalid/_base");
    site.write(
        "content/questions/q.md",
        "---\ntitle: Q?\nterms: [trusting relationship]\n---\n",
    );
    let err = stderr(&site.run(&["build"]));
    assert!(
        err.contains("content/questions/q.md:3:9: error: `terms` names a term `trusting relationship`, which does not exist"),
        "{err}"
    );
    assert!(
        err.contains("hint: front matter lists slugs: write `trust`"),
        "{err}"
    );
}

#[test]
fn errors_show_the_source_line_and_a_caret() {
    let site = TempSite::invalid("missing_wikilink");
    let err = stderr(&site.run(&["build"]));
    assert!(
        err.contains("  |\n5 | Read about [[epistemic-trus]] today.\n  |            ^\n"),
        "{err}"
    );
}

#[test]
fn a_missing_site_toml_says_how_to_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["build"])
        .current_dir(dir.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("site.toml:1:1: error: there is no site.toml here"),
        "{err}"
    );
    assert!(err.contains("lectern init"), "{err}");
}

#[test]
fn a_symlink_out_of_the_site_is_refused() {
    let site = TempSite::from_fixture("invalid/_base");
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: Secret\n---\n",
    )
    .expect("write");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            outside.path().join("secret.md"),
            site.root().join("content/essays/secret.md"),
        )
        .expect("symlink");
        let out = site.run(&["build"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains(
            "content/essays/secret.md:1:1: error: symbolic link points outside the site"
        ));
    }
}

#[test]
fn usage_errors_exit_with_status_2() {
    let site = TempSite::from_fixture("invalid/_base");
    for args in [
        &["build", "--no-such-flag"][..],
        &["frobnicate"],
        &["new", "poem", "Title"],
        &["build", "--base-url", "not a url"],
        &["build", "--base-url", "https://"],
        &[],
    ] {
        let out = site.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
    let err = stderr(&site.run(&["build", "--base-url", "ftp://x/"]));
    assert!(
        err.contains("must start with http://, https:// or /"),
        "{err}"
    );
    let out = site.run(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
}
