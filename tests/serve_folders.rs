//! The preview's rebuilds when the watcher reports a folder rather than the files in it (a folder
//! moved, replaced or made): everything in it is read again, nothing is read as a file, and the
//! result is what a full build gives.

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

/// Rebuilds after `changed`, and checks the files against a full build of the site as it is.
fn rebuild_matches_a_full_build(site: &TempSite, engine: &mut Engine, changed: &[&str]) {
    let paths: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
    if let Err(f) = engine.rebuild(&paths) {
        panic!(
            "rebuild after {changed:?} failed:\n{}",
            f.diagnostics.report()
        );
    }
    let files = engine.update_search().expect("search index");
    let full = full_build(site);
    let keys = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    let incremental: BTreeMap<String, Vec<u8>> =
        files.iter().map(|(k, v)| (k.clone(), v.to_vec())).collect();
    assert_eq!(
        keys(&incremental),
        keys(&full),
        "{changed:?}: file lists differ"
    );
    for (path, bytes) in &full {
        assert!(
            incremental[path] == *bytes,
            "{changed:?}: {path} differs from a full build"
        );
    }
}

fn replace_in(site: &TempSite, rel: &str, from: &str, to: &str) {
    let path = site.root().join(rel);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{rel} lacks {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

fn new_engine(site: &TempSite) -> Engine {
    let mut engine = Engine::new(site.root().to_path_buf(), BuildOptions::default(), None);
    if let Err(f) = engine.rebuild(&[]) {
        panic!("first build failed:\n{}", f.diagnostics.report());
    }
    engine
}

#[test]
fn a_content_folder_replaced_is_read_again_whole() {
    let site = TempSite::from_fixture("sites/basic");
    let mut engine = new_engine(&site);
    // `rm -rf content; cp -r backup content`, with edits in the copy: only `content` is reported.
    let backup = tempfile::tempdir().expect("tempdir");
    common::copy_tree(&site.root().join("content"), backup.path());
    std::fs::remove_dir_all(site.root().join("content")).expect("rm -rf");
    common::copy_tree(backup.path(), &site.root().join("content"));
    replace_in(
        &site,
        "content/essays/alpha.md",
        "Trust is where we begin.",
        "Trust is where we begin, RESTORED.",
    );
    site.write(
        "content/glossary/new-term.md",
        "---\nterm: New term\nsummary: Copied in.\n---\n\nHello.\n",
    );
    rebuild_matches_a_full_build(&site, &mut engine, &["content"]);
}

#[test]
fn a_folder_moved_away_takes_its_pages_and_one_moved_in_brings_them() {
    let site = TempSite::from_fixture("sites/basic");
    site.write(
        "content/essays/extra/solo.md",
        "---\ntitle: Solo\n---\n\nAlone, see [[alpha]].\n",
    );
    let mut engine = new_engine(&site);
    let root = site.root();
    // Moved out of the site: reported as the folder alone, which no longer exists.
    std::fs::rename(root.join("content/essays/extra"), root.join("away")).expect("move out");
    rebuild_matches_a_full_build(&site, &mut engine, &["content/essays/extra"]);
    // Moved back in under another name, edited on the way.
    std::fs::rename(root.join("away"), root.join("content/essays/extra-two")).expect("move in");
    replace_in(
        &site,
        "content/essays/extra-two/solo.md",
        "Alone",
        "Back again",
    );
    rebuild_matches_a_full_build(&site, &mut engine, &["content/essays/extra-two"]);
}

#[test]
fn a_removed_file_that_was_no_content_is_no_error() {
    let site = TempSite::from_fixture("sites/basic");
    site.write("content/essays/diagram.png", "not really a picture");
    site.write("content/essays/empty/.keep", "");
    let mut engine = new_engine(&site);
    site.remove("content/essays/diagram.png");
    rebuild_matches_a_full_build(&site, &mut engine, &["content/essays/diagram.png"]);
    std::fs::remove_dir_all(site.root().join("content/essays/empty")).expect("rm");
    rebuild_matches_a_full_build(&site, &mut engine, &["content/essays/empty"]);
}

#[test]
fn a_themes_folder_made_after_the_start_rerenders_every_page() {
    let site = TempSite::from_fixture("sites/basic");
    let mut engine = new_engine(&site);
    site.write(
        "themes/default/templates/partials/footer.html",
        "<footer>THEME-FOOTER</footer>",
    );
    rebuild_matches_a_full_build(&site, &mut engine, &["themes"]);
    site.write("themes/default/static/extra.css", "body { color: red }");
    rebuild_matches_a_full_build(&site, &mut engine, &["themes/default"]);
    std::fs::remove_dir_all(site.root().join("themes")).expect("rm themes");
    rebuild_matches_a_full_build(&site, &mut engine, &["themes"]);
}
