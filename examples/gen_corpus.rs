//! Writes a synthetic course for benchmarks and size tests:
//! `cargo run --example gen_corpus -- ITEMS DIR [--seed N] [--short] [--steady-vocabulary]
//! [--hugo HUGO_DIR]`. With `--hugo`, the same course is also written as a Hugo site, for
//! side-by-side timing. With `--steady-vocabulary`, every size of course draws its words from
//! one distribution, instead of a vocabulary that grows with the course.

#[path = "../benches/corpus.rs"]
mod corpus;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str =
    "usage: gen_corpus ITEMS DIR [--seed N] [--short] [--steady-vocabulary] [--hugo HUGO_DIR]";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("gen_corpus: {message}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let mut positional = Vec::new();
    let mut options = corpus::Options::default();
    let mut hugo: Option<PathBuf> = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seed" => {
                let value = args.next().ok_or("--seed needs a number")?;
                options.seed = value
                    .parse()
                    .map_err(|_| format!("--seed: `{value}` is not a number"))?;
            }
            "--short" => {
                options = corpus::Options {
                    seed: options.seed,
                    words: options.words,
                    ..corpus::Options::short()
                };
            }
            "--steady-vocabulary" => options.words = corpus::Words::Steady,
            "--hugo" => hugo = Some(PathBuf::from(args.next().ok_or("--hugo needs a folder")?)),
            _ if arg.starts_with("--") => return Err(format!("unknown option `{arg}`")),
            _ => positional.push(arg),
        }
    }
    let [items, dir] = positional.as_slice() else {
        return Err("expected ITEMS and DIR".into());
    };
    let items: usize = items
        .parse()
        .map_err(|_| format!("`{items}` is not a number of items"))?;
    let dir = PathBuf::from(dir);
    let course = corpus::plan(items, &options);
    corpus::write_lectern(&dir, &course)
        .map_err(|e| format!("cannot write {}: {e}", dir.display()))?;
    println!("wrote {items} items to {}", dir.display());
    if let Some(hugo) = hugo {
        corpus::write_hugo(&hugo, &course)
            .map_err(|e| format!("cannot write {}: {e}", hugo.display()))?;
        println!("wrote the same course as a Hugo site to {}", hugo.display());
    }
    Ok(())
}
