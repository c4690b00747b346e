//! The code's shape, checked: each module imports only from the layers below it (the order in
//! src/lib.rs's documentation), and no source file grows past what a reader can hold.

use std::path::Path;

/// The layers, bottom to top. Modules in one layer may import each other.
const LAYERS: &[&[&str]] = &[
    &["timing"],
    &["text", "paths"],
    &["diagnostics"],
    &["i18n"],
    &["config"],
    &["content"],
    &["site"],
    &["markdown"],
    &["links"],
    &["render"],
    &["search"],
    &["scaffold"],
    &["build"],
    &["serve"],
];

/// Lines a source file may have, tests included.
const MAX_FILE_LINES: usize = 600;

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// Every `crate::<module>` a file's code (before its tests) names, with the line it is on.
fn imports(text: &str) -> Vec<(usize, String)> {
    let code = text.split("#[cfg(test)]").next().unwrap_or(text);
    let mut out = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // `use crate::{a, b::c}`: every top-level name in the group.
                let inner = group.split('}').next().unwrap_or_default();
                out.extend(inner.split(',').filter_map(|part| {
                    let name = part.trim().split("::").next()?.trim();
                    (!name.is_empty()).then(|| (n + 1, name.to_string()))
                }));
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                out.push((n + 1, name));
            }
        }
    }
    out
}

fn source_files() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    walkdir::WalkDir::new(&src)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| {
            let rel = e.path().strip_prefix(&src).expect("under src");
            let rel = rel.to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(e.path()).expect("read source");
            (rel, text)
        })
        .collect()
}

#[test]
fn modules_import_only_from_layers_below_their_own() {
    let mut upward = Vec::new();
    for (rel, text) in source_files() {
        let module = rel
            .split('/')
            .next()
            .unwrap_or_default()
            .trim_end_matches(".rs");
        let Some(own) = layer_of(module) else {
            continue;
        };
        for (line, name) in imports(&text) {
            if layer_of(&name).is_some_and(|theirs| theirs > own) {
                upward.push(format!("src/{rel}:{line}: `{module}` imports `{name}`"));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports reaching up a layer:\n{}",
        upward.join("\n")
    );
}

#[test]
fn every_module_of_the_crate_has_a_layer() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs"))
        .expect("lib.rs");
    let unplaced: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .map(|m| m.trim_end_matches(';'))
        .filter(|m| layer_of(m).is_none())
        .collect();
    assert!(unplaced.is_empty(), "modules with no layer: {unplaced:?}");
}

#[test]
fn source_files_stay_short_enough_to_read() {
    let long: Vec<String> = source_files()
        .into_iter()
        .filter(|(_, text)| text.lines().count() > MAX_FILE_LINES)
        .map(|(rel, text)| format!("src/{rel}: {} lines", text.lines().count()))
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_FILE_LINES} lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_import_reader_sees_groups_and_paths() {
    let text = "use crate::{config::Config, text};\nlet x = crate::render::page_path(a);\n#[cfg(test)]\nuse crate::serve;";
    let names: Vec<String> = imports(text).into_iter().map(|(_, n)| n).collect();
    assert_eq!(names, ["config", "text", "render"]);
}
