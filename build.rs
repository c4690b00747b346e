// The default theme and the starter site are compiled into the binary with include_dir, which
// cannot tell cargo about files added to those folders; naming the folders here makes cargo
// rebuild when anything inside them changes.
//
// `lectern --version` names the commit it was built from: git's answer in a checkout, else the
// one cargo recorded when the package was made (`.cargo_vcs_info.json`), else "unknown".
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=src/starter");
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/refs");
    println!("cargo:rustc-env=LECTERN_COMMIT={}", commit());
}

fn commit() -> String {
    let from_git = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    from_git
        .or_else(|| {
            let info = std::fs::read_to_string(".cargo_vcs_info.json").ok()?;
            let at = info.find("\"sha1\"")?;
            let rest = &info[at + 6..];
            let start = rest.find('"')? + 1;
            let sha: String = rest[start..].chars().take(12).collect();
            (sha.len() == 12).then_some(sha)
        })
        .unwrap_or_else(|| "unknown".to_string())
}
