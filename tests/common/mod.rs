//! Helpers shared by the integration tests: fixture sites copied to temporary folders, builds
//! through the library and through the real binary.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use lectern::{BuildOptions, Config, Warned};

pub mod served;

pub fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// Copies `src` into `dst` recursively.
pub fn copy_tree(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(src).expect("prefix");
        let target = dst.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A fixture site copied into a fresh temporary folder.
pub struct TempSite {
    pub dir: tempfile::TempDir,
}

impl TempSite {
    pub fn from_fixture(name: &str) -> TempSite {
        let dir = tempfile::tempdir().expect("tempdir");
        copy_tree(&fixture(name), dir.path());
        TempSite { dir }
    }

    /// An invalid case: the shared minimal site with the case's files laid over it.
    pub fn invalid(case: &str) -> TempSite {
        let site = TempSite::from_fixture("invalid/_base");
        copy_tree(&fixture(&format!("invalid/{case}")), site.root());
        let _ = std::fs::remove_file(site.root().join("expected.txt"));
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.root().join(rel)).expect("remove");
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn config(&self) -> Warned<Config> {
        Config::load(self.root()).expect("site.toml loads")
    }

    /// Builds through the library into `public/`, panicking with the diagnostics on failure.
    pub fn build(&self) -> Warned<lectern::BuildReport> {
        self.build_with(BuildOptions::default())
    }

    pub fn build_with(&self, options: BuildOptions) -> Warned<lectern::BuildReport> {
        match lectern::build(&self.config(), options, &self.out()) {
            Ok(r) => r,
            Err(d) => panic!("build failed:\n{}", render(&d)),
        }
    }

    pub fn read(&self, rel: &str) -> String {
        let path = self.out().join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    /// Runs the real binary in the site folder.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(args)
            .current_dir(self.root())
            .output()
            .expect("run lectern")
    }
}

/// The site at `config`'s root, loaded and resolved (the pipeline up to rendering), panicking
/// with the diagnostics on failure.
pub fn resolved(config: &Warned<Config>) -> lectern::Site {
    match lectern::build::pipeline::load_and_prepare(config, BuildOptions::default()) {
        Ok(p) => p.value.site,
        Err(d) => panic!("{}", render(&d)),
    }
}

pub fn render(d: &lectern::Diagnostics) -> String {
    d.clone().sorted().iter().map(ToString::to_string).collect()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The `<main>` element of a page, for snapshots that do not churn with the theme's frame.
pub fn main_of(html: &str) -> String {
    let start = html.find("<main").expect("page has <main>");
    let end = html.find("</main>").expect("page has </main>") + "</main>".len();
    html[start..end]
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every file under `dir`, relative path → bytes.
pub fn snapshot_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// Values of `attr="…"` in `html`.
pub fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

/// Checks that the elements that must nest in `html` do: every one closed, in order, and no
/// link inside a link. Void elements, comments, scripts and styles are skipped.
pub fn check_nesting(html: &str) -> Result<(), String> {
    const CHECKED: &[&str] = &[
        "a",
        "p",
        "ul",
        "ol",
        "li",
        "blockquote",
        "section",
        "nav",
        "main",
        "div",
        "table",
        "thead",
        "tbody",
        "tr",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "sup",
        "em",
        "strong",
        "del",
        "code",
        "pre",
        "header",
        "footer",
        "article",
        "aside",
        "dl",
        "dt",
        "dd",
    ];
    let mut open: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let skipped = [
            ("!--", "-->"),
            ("script", "</script>"),
            ("style", "</style>"),
        ]
        .into_iter()
        .find(|(start, _)| rest.starts_with(start));
        if let Some((_, end)) = skipped {
            rest = rest.find(end).map_or("", |j| &rest[j + end.len()..]);
            continue;
        }
        let closing = rest.starts_with('/');
        let name: String = rest
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if !CHECKED.contains(&name.as_str()) {
            continue;
        }
        if closing {
            match open.pop() {
                Some(top) if top == name => {}
                top => return Err(format!("</{name}> closes {top:?}; open: {open:?}")),
            }
        } else {
            if name == "a" && open.iter().any(|t| t == "a") {
                return Err("a link inside a link".into());
            }
            open.push(name);
        }
    }
    if open.is_empty() {
        Ok(())
    } else {
        Err(format!("never closed: {open:?}"))
    }
}

/// Ids used more than once in `html`.
pub fn duplicate_ids(html: &str) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    let mut twice: Vec<String> = attr_values(html, "id")
        .into_iter()
        .filter(|id| !seen.insert(id.clone()))
        .collect();
    twice.dedup();
    twice
}
