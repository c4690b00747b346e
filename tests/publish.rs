//! Publishing as a new course does it: the Pages workflow that `lectern init` writes, its shell
//! steps taken from the YAML and run as GitHub would run them, with the release archive served
//! from a local HTTP server; the course must build under a subpath with every link resolving.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_yaml::Value;

const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Serves the files under `root` over HTTP on loopback until the process ends; returns the
/// server's address (`http://127.0.0.1:port`).
fn serve_files(root: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            // The rest of the head, up to the blank line.
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/");
            let file = root.join(path.trim_start_matches('/'));
            let mut out = &stream;
            let _ = match std::fs::read(&file) {
                Ok(bytes) if !path.contains("..") => out
                    .write_all(
                        format!(
                            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            bytes.len()
                        )
                        .as_bytes(),
                    )
                    .and_then(|()| out.write_all(&bytes)),
                _ => out.write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                ),
            };
        }
    });
    address
}

/// The Rust target whose archive the workflow downloads on this machine.
fn target() -> &'static str {
    if cfg!(target_arch = "aarch64") {
        "aarch64-unknown-linux-musl"
    } else {
        "x86_64-unknown-linux-musl"
    }
}

/// A release of this lectern as the release workflow lays it out: under
/// `<root>/releases/download/v<version>/`, `lectern-<target>.tar.gz` and its `.sha256`.
fn fake_release(root: &Path) {
    let dir = root.join(format!("releases/download/v{VERSION}"));
    std::fs::create_dir_all(&dir).expect("release folder");
    let stage = root.join("stage");
    std::fs::create_dir_all(&stage).expect("stage");
    std::fs::copy(env!("CARGO_BIN_EXE_lectern"), stage.join("lectern")).expect("binary");
    let archive = format!("lectern-{}.tar.gz", target());
    let status = Command::new("tar")
        .args(["-czf"])
        .arg(dir.join(&archive))
        .args(["-C"])
        .arg(&stage)
        .arg("lectern")
        .status()
        .expect("tar");
    assert!(status.success());
    let sum = Command::new("sha256sum")
        .arg(&archive)
        .current_dir(&dir)
        .output()
        .expect("sha256sum");
    std::fs::write(dir.join(format!("{archive}.sha256")), sum.stdout).expect("sum");
}

/// A job's steps as GitHub runs them: `run:` scripts with `${{ … }}` expressions filled in
/// from `values`, and the `uses:` steps by name.
#[derive(Debug)]
enum Step {
    Run { name: String, script: String },
    Uses(String),
}

fn steps(workflow: &Value, job: &str, values: &BTreeMap<&str, String>) -> Vec<Step> {
    let steps = workflow["jobs"][job]["steps"]
        .as_sequence()
        .expect("the job has steps");
    steps
        .iter()
        .map(|step| {
            if let Some(uses) = step["uses"].as_str() {
                return Step::Uses(uses.to_string());
            }
            let name = step["name"].as_str().unwrap_or("(unnamed)").to_string();
            let script = step["run"].as_str().expect("a step runs or uses");
            Step::Run {
                name,
                script: fill(script, values),
            }
        })
        .collect()
}

/// `${{ expr }}` replaced by `values[expr]`; an expression the test does not know fails it, so
/// that a new one in the workflow is noticed here.
fn fill(script: &str, values: &BTreeMap<&str, String>) -> String {
    let mut out = String::new();
    let mut rest = script;
    while let Some(at) = rest.find("${{") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find("}}").expect("closed expression") + at;
        let expr = rest[at + 3..end].trim();
        let value = values
            .get(expr)
            .unwrap_or_else(|| panic!("the test does not know `${{{{ {expr} }}}}`"));
        out.push_str(value);
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Runs the build job's steps in `course` as a runner would: bash with `-eo pipefail`, the
/// workflow's `env`, `$GITHUB_PATH` honoured between steps. Returns each step's output.
fn run_job(course: &Path, home: &Path, releases: &str, fake_bin: &Path) -> Vec<(String, String)> {
    let text =
        std::fs::read_to_string(course.join(".github/workflows/pages.yml")).expect("workflow");
    let workflow: Value = serde_yaml::from_str(&text).expect("the workflow is YAML");
    let mut env: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in workflow["env"].as_mapping().expect("env") {
        env.insert(
            k.as_str().expect("key").to_string(),
            v.as_str().expect("value").to_string(),
        );
    }
    let values: BTreeMap<&str, String> = [(
        "steps.pages.outputs.base_url",
        "https://course.example.org/course".to_string(),
    )]
    .into();
    let github_path = home.join("github_path");
    std::fs::write(&github_path, "").expect("GITHUB_PATH");
    let mut outputs = Vec::new();
    for step in steps(&workflow, "build", &values) {
        let Step::Run { name, script } = step else {
            continue;
        };
        let added: String = std::fs::read_to_string(&github_path)
            .expect("GITHUB_PATH")
            .lines()
            .map(|l| format!("{l}:"))
            .collect();
        let path = format!(
            "{added}{}:{}",
            fake_bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let out = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &script])
            .current_dir(course)
            .envs(&env)
            .env("HOME", home)
            .env("GITHUB_PATH", &github_path)
            .env("LECTERN_RELEASES", releases)
            .env("PATH", path)
            .output()
            .expect("bash");
        let shown = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "step `{name}` failed:\n{shown}");
        outputs.push((name, shown));
    }
    outputs
}

/// A `cargo` that records being called and fails: the normal path must not compile.
fn fake_cargo(dir: &Path) -> PathBuf {
    let bin = dir.join("fake-bin");
    std::fs::create_dir_all(&bin).expect("fake bin");
    let cargo = bin.join("cargo");
    std::fs::write(
        &cargo,
        format!(
            "#!/bin/sh\necho \"$@\" >> '{}'\nexit 1\n",
            dir.join("cargo-calls").display()
        ),
    )
    .expect("fake cargo");
    let status = Command::new("chmod")
        .arg("+x")
        .arg(&cargo)
        .status()
        .expect("chmod");
    assert!(status.success());
    bin
}

/// Every `href` and `src` under `/course/` in the output's pages names a file of the output.
fn broken_links(public: &Path) -> Vec<String> {
    let mut broken = Vec::new();
    for entry in walkdir::WalkDir::new(public).into_iter().flatten() {
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).expect("page");
        for attr in ["href=\"/course/", "src=\"/course/"] {
            for (at, _) in html.match_indices(attr) {
                let rest = &html[at + attr.len()..];
                let target = &rest[..rest.find('"').unwrap_or(0)];
                let target = target.split(['#', '?']).next().unwrap_or_default();
                let file = public.join(target);
                let found = if target.is_empty() || target.ends_with('/') {
                    file.join("index.html").is_file()
                } else {
                    file.is_file()
                };
                if !found {
                    broken.push(format!("{}: /course/{target}", entry.path().display()));
                }
            }
        }
    }
    broken
}

fn init_course(dir: &Path) -> PathBuf {
    let out = Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["init", "course"])
        .current_dir(dir)
        .output()
        .expect("init");
    assert!(out.status.success(), "{}", common::stderr(&out));
    dir.join("course")
}

#[test]
fn a_new_course_publishes_with_the_release_archive_and_no_compile() {
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("tempdir");
    let course = init_course(dir.path());
    let workflow =
        std::fs::read_to_string(course.join(".github/workflows/pages.yml")).expect("workflow");
    assert!(!workflow.contains("cargo install lectern"), "{workflow}");
    assert!(workflow.contains(&format!("LECTERN_VERSION: \"{VERSION}\"")));
    let server_root = dir.path().join("server");
    fake_release(&server_root);
    let releases = format!("{}/releases/download", serve_files(server_root));
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).expect("home");
    let fake_bin = fake_cargo(dir.path());

    let text = std::fs::read_to_string(course.join(".github/workflows/pages.yml")).expect("yml");
    let parsed: Value = serde_yaml::from_str(&text).expect("yaml");
    let values = [("steps.pages.outputs.base_url", String::new())].into();
    let actions: Vec<String> = steps(&parsed, "build", &values)
        .into_iter()
        .chain(steps(&parsed, "deploy", &values))
        .filter_map(|s| match s {
            Step::Uses(action) => Some(action.split('@').next().unwrap_or_default().to_string()),
            Step::Run { .. } => None,
        })
        .collect();
    assert_eq!(
        actions,
        [
            "actions/checkout",
            "actions/configure-pages",
            "actions/cache",
            "actions/upload-artifact",
            "actions/upload-pages-artifact",
            "actions/deploy-pages"
        ]
    );
    let outputs = run_job(&course, &home, &releases, &fake_bin);
    let names: Vec<&str> = outputs.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "Install lectern",
            "Check the course",
            "Build the site",
            "Write the facilitator's edition"
        ]
    );
    assert!(course.join("facilitator-edition.html").is_file());
    assert!(
        outputs[0].1.contains(&format!("lectern {VERSION} (")),
        "the installed lectern says its version: {}",
        outputs[0].1
    );
    assert!(
        !dir.path().join("cargo-calls").exists(),
        "cargo was called on the normal path"
    );
    let public = course.join("public");
    let home_page = std::fs::read_to_string(public.join("index.html")).expect("home page");
    assert!(
        home_page.contains("href=\"/course/"),
        "built under the subpath"
    );
    assert!(
        public.join("sitemap.xml").is_file(),
        "a base URL with a host has a sitemap"
    );
    let robots = std::fs::read_to_string(public.join("robots.txt")).expect("robots.txt");
    assert!(robots.contains("Sitemap: https://course.example.org/course/sitemap.xml"));
    let broken = broken_links(&public);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));

    // A second run finds lectern in the cache folder and downloads nothing.
    std::fs::remove_dir_all(public).expect("clean");
    let again = run_job(&course, &home, "http://127.0.0.1:9/nothing", &fake_bin);
    assert!(again[0].1.contains("is cached"), "{}", again[0].1);
    eprintln!(
        "simulated publish of a new course: {} ms",
        started.elapsed().as_millis()
    );
}

#[test]
fn without_a_release_archive_the_workflow_builds_that_tag_from_source() {
    let dir = tempfile::tempdir().expect("tempdir");
    let course = init_course(dir.path());
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).expect("home");
    let fake_bin = fake_cargo(dir.path());
    // No server: the download fails, and the (fake) cargo is asked to build the tag.
    let text = std::fs::read_to_string(course.join(".github/workflows/pages.yml")).expect("yml");
    let workflow: Value = serde_yaml::from_str(&text).expect("yaml");
    let values = [(
        "steps.pages.outputs.base_url",
        "https://x.org/c".to_string(),
    )]
    .into();
    let Some(Step::Run { script, .. }) = steps(&workflow, "build", &values)
        .into_iter()
        .find(|s| matches!(s, Step::Run { name, .. } if name == "Install lectern"))
    else {
        panic!("no install step");
    };
    let out = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &script])
        .current_dir(&course)
        .env("HOME", &home)
        .env("GITHUB_PATH", home.join("github_path"))
        .env("LECTERN_VERSION", VERSION)
        .env("LECTERN_REPOSITORY", REPOSITORY)
        .env("LECTERN_RELEASES", "http://127.0.0.1:9/nothing")
        .env(
            "PATH",
            format!(
                "{}:{}",
                fake_bin.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .output()
        .expect("bash");
    assert!(
        !out.status.success(),
        "the fake cargo fails, and so does the step"
    );
    let calls = std::fs::read_to_string(dir.path().join("cargo-calls")).expect("cargo was called");
    assert!(
        calls.contains(&format!(
            "install --locked --git {REPOSITORY} --tag v{VERSION}"
        )),
        "{calls}"
    );
}

#[test]
fn the_repository_publishes_with_the_same_workflow_template() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let template = std::fs::read_to_string(root.join("src/starter/github/workflows/pages.yml"))
        .expect("template");
    let own = std::fs::read_to_string(root.join(".github/workflows/pages.yml")).expect("own");
    let version_line = own
        .lines()
        .find(|l| l.trim_start().starts_with("LECTERN_VERSION:"))
        .expect("the repository's workflow names a version");
    let version = version_line.split('"').nth(1).expect("a quoted version");
    let rendered = template
        .replace("@LECTERN_VERSION@", version)
        .replace("@LECTERN_REPOSITORY@", REPOSITORY);
    assert_eq!(
        own, rendered,
        "regenerate .github/workflows/pages.yml from the template"
    );
}

#[test]
fn the_readme_names_the_repository_that_cargo_toml_names() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README");
    assert!(
        readme.contains(REPOSITORY),
        "README does not name {REPOSITORY}"
    );
    assert!(
        readme.contains("cargo install lectern-ssg"),
        "README's install line"
    );
}

/// Every `run:` script of every workflow passes shellcheck, as actionlint's own check would.
/// CI installs shellcheck; elsewhere the test says it was not run.
#[test]
fn every_workflow_script_passes_shellcheck() {
    let Ok(version) = Command::new("shellcheck").arg("--version").output() else {
        assert!(std::env::var_os("CI").is_none(), "CI must have shellcheck");
        eprintln!("shellcheck is not installed: not run");
        return;
    };
    assert!(version.status.success());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(".github/workflows"))
        .expect("workflows")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.push(root.join("src/starter/github/workflows/pages.yml"));
    let mut problems = Vec::new();
    for file in files {
        let workflow: Value =
            serde_yaml::from_str(&std::fs::read_to_string(&file).expect("read")).expect("yaml");
        let jobs = workflow["jobs"].as_mapping().expect("jobs");
        for job in jobs.values() {
            for step in job["steps"].as_sequence().into_iter().flatten() {
                let Some(script) = step["run"].as_str() else {
                    continue;
                };
                // Expressions are filled in before the shell sees the script: a plain word here.
                let mut script = script.to_string();
                while let Some(at) = script.find("${{") {
                    let end = script[at..].find("}}").expect("closed") + at + 2;
                    script.replace_range(at..end, "expression");
                }
                let mut child = Command::new("shellcheck")
                    .args(["-s", "bash", "-"])
                    .stdin(std::process::Stdio::piped())
                    .stdout(std::process::Stdio::piped())
                    .spawn()
                    .expect("shellcheck");
                child
                    .stdin
                    .take()
                    .expect("stdin")
                    .write_all(script.as_bytes())
                    .expect("write");
                let out = child.wait_with_output().expect("shellcheck");
                if !out.status.success() {
                    problems.push(format!(
                        "{}: {}",
                        file.display(),
                        String::from_utf8_lossy(&out.stdout)
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
