//! The floor under the search index's growth: `cargo run --release --example word_table -- DIR`
//! reads every `.md` file under DIR into memory, then gives each word a number in one hash table
//! of the distinct words (the table the index's first step fills, with the same hasher) and
//! prints the time that takes per word. Nothing else is done, so how that time grows from one
//! course to a larger one is what a table of the larger course's words costs on this machine,
//! whatever the program around it.

use std::process::ExitCode;
use std::time::Instant;

use ahash::AHashMap as HashMap;

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: word_table DIR");
        return ExitCode::from(2);
    };
    let mut texts = Vec::new();
    for entry in walkdir::WalkDir::new(&dir) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                eprintln!("word_table: {e}");
                return ExitCode::FAILURE;
            }
        };
        if entry.path().extension().is_some_and(|e| e == "md") {
            match std::fs::read_to_string(entry.path()) {
                Ok(text) => texts.push(text),
                Err(e) => {
                    eprintln!("word_table: {}: {e}", entry.path().display());
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    if texts.is_empty() {
        eprintln!("word_table: no .md files under {dir}");
        return ExitCode::FAILURE;
    }
    let start = Instant::now();
    let mut numbers: HashMap<&str, u32> = HashMap::new();
    let mut words = 0u64;
    let mut checksum = 0u64;
    for text in &texts {
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            if word.is_empty() {
                continue;
            }
            let next = numbers.len() as u32;
            checksum += u64::from(*numbers.entry(word).or_insert(next));
            words += 1;
        }
    }
    let took = start.elapsed();
    println!(
        "{} files, {words} words, {} distinct: {:.1} ms, {:.1} ns a word (checksum {checksum})",
        texts.len(),
        numbers.len(),
        took.as_secs_f64() * 1e3,
        took.as_secs_f64() * 1e9 / words as f64,
    );
    ExitCode::SUCCESS
}
