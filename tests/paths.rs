//! Path safety: nothing an author writes (a link, a file name, a front-matter or site.toml value,
//! a symbolic link) makes lectern read outside the site's folder or write outside its output
//! folder, and no output folder can be one whose replacement would delete the site or the user's
//! files.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{copy_tree, fixture, snapshot_dir, stderr};

const SECRET: &str = "TOP-SECRET-OUTSIDE";

/// A valid site at `<tmp>/site`, with secrets beside it at `<tmp>/secret.md` and
/// `<tmp>/secret.txt` that nothing may ever read.
struct Nest {
    dir: tempfile::TempDir,
}

impl Nest {
    fn new() -> Nest {
        let dir = tempfile::tempdir().expect("tempdir");
        copy_tree(&fixture("invalid/_base"), &dir.path().join("site"));
        let secret = format!("---\ntitle: {SECRET}\n---\n\n{SECRET}\n");
        std::fs::write(dir.path().join("secret.md"), &secret).expect("write");
        std::fs::write(dir.path().join("secret.txt"), SECRET).expect("write");
        let outside = dir.path().join("outside/static");
        std::fs::create_dir_all(&outside).expect("mkdir");
        std::fs::write(outside.join("leak.txt"), SECRET).expect("write");
        std::fs::write(dir.path().join("outside/note.md"), &secret).expect("write");
        Nest { dir }
    }

    fn top(&self) -> &Path {
        self.dir.path()
    }

    fn root(&self) -> PathBuf {
        self.top().join("site")
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_in(&self.root(), args)
    }

    fn run_in(&self, dir: &Path, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(args)
            .current_dir(dir)
            .env("HOME", self.top().join("home"))
            .output()
            .expect("run lectern")
    }

    /// Every file under the nest, for before/after comparisons.
    fn files(&self) -> std::collections::BTreeMap<String, Vec<u8>> {
        snapshot_dir(self.top())
    }

    /// Asserts that no output file anywhere carries a secret.
    fn assert_no_leak(&self) {
        for (path, bytes) in self.files() {
            if path.starts_with("secret.") || path.starts_with("outside/") {
                continue;
            }
            assert!(
                !String::from_utf8_lossy(&bytes).contains(SECRET),
                "{path} carries a secret from outside the site"
            );
        }
    }
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) {
    std::fs::create_dir_all(link.parent().expect("parent")).expect("mkdir");
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

#[test]
fn markdown_links_that_climb_out_of_content_are_errors_at_their_line() {
    let nest = Nest::new();
    let links = [
        "../../../secret.md",
        "../../../../../../../../secret.md",
        "/../secret.md",
        "/etc/passwd.md",
        "..\\..\\..\\secret.md",
        "%2e%2e/%2e%2e/%2e%2e/secret.md",
        "..%2f..%2f..%2fsecret.md",
        "%252e%252e/secret.md",
        "..／..／..／secret.md",
        "..∕..∕..∕secret.md",
        "․․/․․/․․/secret.md",
        "../../../outside/note.md",
    ];
    // Markdown reads `\\` as `\`, so backslashes are doubled in the file to reach the link.
    let body: String = links
        .iter()
        .map(|l| format!("See [this]({}).\n\n", l.replace('\\', "\\\\")))
        .collect();
    nest.write(
        "content/essays/climb.md",
        &format!("---\ntitle: Climb\n---\n\n{body}"),
    );
    let out = nest.run(&["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for (n, link) in links.iter().enumerate() {
        let line = 5 + 2 * n;
        assert!(
            err.contains(&format!(
                "content/essays/climb.md:{line}:5: error: link to `{link}`, which is not a content file"
            )),
            "{link} at line {line}:\n{err}"
        );
    }
    assert!(!err.contains(SECRET));
    assert!(!nest.root().join("public").exists(), "nothing was written");
}

#[test]
fn wikilinks_and_front_matter_slugs_are_names_not_paths() {
    let nest = Nest::new();
    nest.write(
        "content/questions/q.md",
        "---\ntitle: Q?\nessays: [../../secret, /etc/passwd]\nterms: ['..\\..\\secret']\n---\n\n\
         [[../../../secret]] [[essay/../../secret]] [[/etc/passwd]] [[..／secret]]\n",
    );
    let out = nest.run(&["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for needle in [
        "content/questions/q.md:3:10: error: `essays` names an essay `../../secret`, which does not exist",
        "content/questions/q.md:3:24: error: `essays` names an essay `/etc/passwd`, which does not exist",
        "content/questions/q.md:4:10: error: `terms` names a term `..\\..\\secret`, which does not exist",
        "content/questions/q.md:7:1: error: link to `../../../secret`, which does not exist",
        "content/questions/q.md:7:21: error: link to `essay/../../secret`, which does not exist",
        "content/questions/q.md:7:44: error: link to `/etc/passwd`, which does not exist",
        "content/questions/q.md:7:60: error: link to `..／secret`, which does not exist",
    ] {
        assert!(err.contains(needle), "missing {needle}:\n{err}");
    }
    assert!(!err.contains(SECRET));
}

#[test]
fn file_names_that_look_like_paths_are_not_valid_slugs() {
    let nest = Nest::new();
    let refused = ["․․.md", "a／b.md", "a\\..\\b.md", "%2e%2e.md"];
    // Hidden files and files without the `.md` extension are not content at all.
    let ignored = ["..\\secret.md", "..．md"];
    for name in refused.iter().chain(&ignored) {
        nest.write(
            &format!("content/essays/{name}"),
            &format!("---\ntitle: {SECRET}\n---\n"),
        );
    }
    let out = nest.run(&["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for name in refused {
        assert!(
            err.contains(&format!("content/essays/{name}:1:1: error: `")),
            "{name}: {err}"
        );
    }
    assert_eq!(err.matches("is not a valid slug").count(), 4, "{err}");
    assert!(!nest.root().join("public").exists());
}

#[test]
fn links_to_other_files_stay_urls_and_nothing_outside_is_read() {
    let nest = Nest::new();
    nest.write(
        "content/essays/urls.md",
        "---\ntitle: Urls\n---\n\n[text](../../../secret.txt) \
         [abs](/../../secret.txt) [win](..\\..\\secret.txt) [enc](%2e%2e/secret.txt) \
         [file](file:///etc/passwd)\n",
    );
    let out = nest.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html =
        std::fs::read_to_string(nest.root().join("public/essays/urls/index.html")).expect("page");
    // Relative targets are left for the browser, which resolves them under the site's URL.
    assert!(html.contains("href=\"../../../secret.txt\""), "{html}");
    assert!(html.contains("href=\"/../../secret.txt\""), "{html}");
    nest.assert_no_leak();

    // An image must be one of the static files: a path out of the site is not one.
    nest.write(
        "content/essays/urls.md",
        "---\ntitle: Urls\n---\n\n![img](../../../secret.txt) ![abs](/../../secret.txt)\n",
    );
    let out = nest.run(&["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("5:1: error: image `../../../secret.txt` is not in static/"),
        "{err}"
    );
    assert!(
        err.contains("5:29: error: image `/../../secret.txt` does not exist"),
        "{err}"
    );
    nest.assert_no_leak();
}

#[test]
fn a_theme_named_by_a_path_is_refused() {
    let nest = Nest::new();
    std::fs::create_dir_all(nest.top().join("outside/templates")).expect("mkdir");
    for theme in ["../../outside", "../outside", "/etc", "..\\..\\outside"] {
        nest.write(
            "site.toml",
            &format!(
                "title = \"T\"\ntheme = \"{}\"\n",
                theme.replace('\\', "\\\\")
            ),
        );
        let out = nest.run(&["build"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{theme}: {err}");
        assert!(
            err.contains(&format!(
                "site.toml:2:1: error: theme `{theme}` is not a folder name"
            )),
            "{theme}: {err}"
        );
    }
    nest.assert_no_leak();
}

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_the_site_are_refused_wherever_they_are() {
    let cases: [(&str, &str); 7] = [
        ("content/essays/secret.md", "secret.md"),
        ("content/essays/linked", "outside"),
        ("content/notes.md", "outside/note.md"),
        ("static/leak.txt", "secret.txt"),
        ("static/linked", "outside/static"),
        ("static", "outside/static"),
        ("themes/default", "outside"),
    ];
    for (link, target) in cases {
        let nest = Nest::new();
        let at = nest.root().join(link);
        if at.is_dir() {
            std::fs::remove_dir_all(&at).expect("rm");
        }
        symlink(&nest.top().join(target), &at);
        let out = nest.run(&["build"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{link}: {err}");
        assert!(
            err.contains("error: symbolic link points outside the site"),
            "{link}: {err}"
        );
        assert!(err.contains(link), "{link} is named: {err}");
        nest.assert_no_leak();
    }
}

#[cfg(unix)]
#[test]
fn the_content_folder_itself_may_not_be_a_link_out_of_the_site() {
    let nest = Nest::new();
    let elsewhere = nest.top().join("outside/content");
    copy_tree(&nest.root().join("content"), &elsewhere);
    std::fs::write(
        elsewhere.join("essays/leak.md"),
        format!("---\ntitle: Leak\n---\n{SECRET}\n"),
    )
    .expect("write");
    std::fs::remove_dir_all(nest.root().join("content")).expect("rm");
    symlink(&elsewhere, &nest.root().join("content"));
    let out = nest.run(&["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content:1:1: error: symbolic link points outside the site"),
        "{err}"
    );
    nest.assert_no_leak();
}

#[cfg(unix)]
#[test]
fn links_inside_the_site_are_followed_and_broken_ones_are_named() {
    let nest = Nest::new();
    nest.write("shared/logo.txt", "inside");
    symlink(
        &nest.root().join("shared"),
        &nest.root().join("static/shared"),
    );
    symlink(
        &nest.root().join("shared/logo.txt"),
        &nest.root().join("static/logo.txt"),
    );
    let out = nest.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(nest.root().join("public/logo.txt")).expect("copied"),
        "inside"
    );
    symlink(
        &nest.root().join("no-such-file.md"),
        &nest.root().join("content/essays/gone.md"),
    );
    let out = nest.run(&["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/essays/gone.md:1:1: error: symbolic link points to nothing"),
        "{err}"
    );
}

#[test]
fn static_file_names_with_odd_characters_are_written_inside_the_output() {
    let nest = Nest::new();
    let names = [
        "..\\..\\escape.txt",
        "․․／escape.txt",
        "%2e%2e%2fescape.txt",
    ];
    #[cfg(unix)]
    for name in names {
        nest.write(&format!("static/{name}"), "odd");
    }
    let before: Vec<String> = nest
        .files()
        .into_keys()
        .filter(|p| !p.starts_with("site/"))
        .collect();
    let out = nest.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let after: Vec<String> = nest
        .files()
        .into_keys()
        .filter(|p| !p.starts_with("site/"))
        .collect();
    assert_eq!(before, after, "nothing was written outside the site");
    #[cfg(unix)]
    for name in names {
        assert!(nest.root().join("public").join(name).is_file(), "{name}");
    }
}

/// Runs `lectern build` with `args` and asserts it is refused with `message`, leaving every
/// file where it was.
fn assert_refused(nest: &Nest, dir: &Path, args: &[&str], message: &str) -> String {
    let before = nest.files();
    let out = nest.run_in(dir, args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
    assert!(
        err.contains(message),
        "{args:?}: expected {message:?} in\n{err}"
    );
    assert!(err.contains("hint:"), "{args:?}: {err}");
    assert_eq!(nest.files(), before, "{args:?} changed files");
    err
}

#[test]
fn an_output_folder_that_would_delete_the_site_is_refused() {
    let nest = Nest::new();
    let root = nest.root();
    let top = nest.top().to_path_buf();
    let s = |p: &Path| p.to_str().expect("utf-8").to_string();
    for (output, message) in [
        (".".to_string(), "is the site's own folder"),
        (s(&root), "is the site's own folder"),
        (format!("{}/", s(&root)), "is the site's own folder"),
        ("public/..".to_string(), "is the site's own folder"),
        ("..".to_string(), "holds the site's folder"),
        (s(&top), "holds the site's folder"),
        ("/".to_string(), "is the root of the file system"),
        (
            "content".to_string(),
            "is inside the site's `content/` folder",
        ),
        (
            "content/essays".to_string(),
            "is inside the site's `content/` folder",
        ),
        (
            "static/out".to_string(),
            "is inside the site's `static/` folder",
        ),
        (
            "themes".to_string(),
            "is inside the site's `themes/` folder",
        ),
        ("site.toml".to_string(), "is a file, not a folder"),
    ] {
        let err = assert_refused(&nest, &root, &["build", "--output", &output], message);
        // Given on the command line, the folder belongs to no file: no location is invented.
        assert!(err.starts_with("error: the output folder `"), "{err}");
    }
}

#[test]
fn output_dir_in_site_toml_is_checked_the_same_and_pointed_at() {
    let nest = Nest::new();
    let root = nest.root();
    for (value, message) in [
        (".", "is the site's own folder"),
        ("", "is the site's own folder"),
        ("..", "holds the site's folder"),
        ("../..", "holds the site's folder"),
        ("content", "is inside the site's `content/` folder"),
        ("/", "is the root of the file system"),
    ] {
        nest.write(
            "site.toml",
            &format!("title = \"T\"\noutput_dir = \"{value}\"\n"),
        );
        let err = assert_refused(&nest, &root, &["build"], message);
        assert!(err.starts_with("site.toml:2:14: error: "), "{err}");
        assert!(
            err.contains(&format!("2 | output_dir = \"{value}\"")),
            "{err}"
        );
    }
    // Beside the site is a legitimate place for a build.
    nest.write("site.toml", "title = \"T\"\noutput_dir = \"../beside\"\n");
    let out = nest.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(nest.top().join("beside/index.html").is_file());
    // And a second build replaces it.
    let out = nest.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn the_home_folder_and_folders_of_other_files_are_never_replaced() {
    let nest = Nest::new();
    let home = nest.top().join("home");
    std::fs::create_dir_all(home.join("Documents")).expect("mkdir");
    std::fs::write(home.join("Documents/thesis.txt"), "years of work").expect("write");
    let root = nest.root();
    let h = home.to_str().expect("utf-8");
    assert_refused(
        &nest,
        &root,
        &["build", "--output", h],
        "is or holds your home folder",
    );
    assert_refused(
        &nest,
        &root,
        &["build", "--output", &format!("{h}/Documents")],
        "holds files that lectern did not write",
    );
    // A folder lectern wrote before is replaced, and an empty one is fine.
    std::fs::create_dir_all(home.join("empty")).expect("mkdir");
    for dir in ["empty", "empty"] {
        let out = nest.run(&["build", "--output", &format!("{h}/{dir}")]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert!(home.join("empty/index.html").is_file());
}

#[cfg(unix)]
#[test]
fn an_output_folder_that_is_a_link_to_the_site_is_refused() {
    let nest = Nest::new();
    symlink(&nest.root(), &nest.root().join("public"));
    let root = nest.root();
    assert_refused(&nest, &root, &["build"], "is the site's own folder");
    symlink(&nest.root().join("content"), &nest.top().join("to-content"));
    let out = nest.top().join("to-content");
    assert_refused(
        &nest,
        &root,
        &["build", "--output", out.to_str().expect("utf-8")],
        "is inside the site's `content/` folder",
    );
}

#[cfg(feature = "serve")]
#[test]
fn serve_refuses_the_same_output_folders() {
    let nest = Nest::new();
    let root = nest.root();
    for (output, message) in [
        (".", "is the site's own folder"),
        ("content", "is inside the site's `content/` folder"),
    ] {
        let before = nest.files();
        let out = nest.run_in(&root, &["serve", "--port", "0", "--output", output]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(message), "{err}");
        assert_eq!(nest.files(), before);
    }
}

/// Asks a running `lectern serve` for `paths` over raw HTTP; returns (path, status, body).
#[cfg(feature = "serve")]
fn serve_requests(nest: &Nest, paths: &[&str]) -> Vec<(String, u16, String)> {
    use std::io::{BufRead, BufReader, Read, Write};
    let mut child = Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["serve", "--port", "0"])
        .current_dir(nest.root())
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start lectern serve");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(url) = line.split(" at http://").nth(1) {
                let _ = tx.send(url.split('/').next().unwrap_or_default().to_string());
            }
        }
    });
    let addr = rx.recv_timeout(std::time::Duration::from_secs(30));
    let mut out = Vec::new();
    if let Ok(addr) = &addr {
        for path in paths {
            let mut s = std::net::TcpStream::connect(addr).expect("connect");
            s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
                .expect("timeout");
            let _ = s.write_all(
                format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            );
            let mut response = Vec::new();
            let _ = s.read_to_end(&mut response);
            let response = String::from_utf8_lossy(&response).into_owned();
            let status = response
                .split(' ')
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            out.push((path.to_string(), status, response));
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(addr.is_ok(), "the server started");
    out
}

#[cfg(feature = "serve")]
#[test]
fn the_preview_server_serves_nothing_from_outside_the_build() {
    let nest = Nest::new();
    let paths = [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/%252e%252e/secret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/．．/secret.txt",
        "/%EF%BC%8E%EF%BC%8E/secret.txt",
        "/..／secret.txt",
        "/..%EF%BC%8Fsecret.txt",
        "/..%E2%88%95secret.txt",
        "/%E2%80%A4%E2%80%A4/secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "//secret.txt",
        "/site.toml",
        "/content/essays/ok.md",
        "/static/",
        "/public/",
        "/%00../secret.txt",
        "/essays/ok/../../../secret.txt",
    ];
    for (path, status, response) in serve_requests(&nest, &paths) {
        assert!(!response.contains(SECRET), "{path} leaked: {response}");
        assert!(
            status == 400 || status == 404 || status == 302,
            "{path}: status {status}"
        );
        assert!(
            !response.contains("title = \"Invalid fixture\""),
            "{path} served site.toml"
        );
    }
}

#[test]
fn a_new_item_named_like_a_path_lands_in_its_kind_folder() {
    let nest = Nest::new();
    let before: Vec<String> = nest
        .files()
        .into_keys()
        .filter(|p| !p.starts_with("site/"))
        .collect();
    for title in [
        "../../../etc/passwd",
        "..\\..\\secret",
        "／etc／shadow",
        "/",
    ] {
        let out = nest.run(&["new", "essay", title]);
        assert!(out.status.success(), "{title}: {}", stderr(&out));
        let created = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            created.starts_with("created ./content/essays/")
                || created.starts_with("created content/essays/"),
            "{title}: {created}"
        );
    }
    let after: Vec<String> = nest
        .files()
        .into_keys()
        .filter(|p| !p.starts_with("site/"))
        .collect();
    assert_eq!(before, after, "nothing was written outside the site");
}
