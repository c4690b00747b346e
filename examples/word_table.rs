//! The floor under the search index's growth: `cargo run --release --example word_table -- DIR
//! [FILES]` reads every `.md` file under DIR into memory, then gives each word a number in one
//! hash table of the distinct words (the table the index's first step fills, with the same
//! hasher) and prints the time that takes per word. With FILES, each run of that many files gets
//! a table of its own, as each thread's run of documents does in the index. Nothing else is done,
//! so how that time grows from one course to a larger one is what tables of the larger course's
//! words cost on this machine, whatever the program around it.

use std::process::ExitCode;
use std::time::Instant;

use ahash::AHashMap as HashMap;

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: word_table DIR [FILES]");
        return ExitCode::from(2);
    };
    let per_table = match std::env::args().nth(2).map(|n| n.parse::<usize>()) {
        None => usize::MAX,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("word_table: FILES must be a whole number above 0");
            return ExitCode::from(2);
        }
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
    let (mut words, mut distinct, mut checksum) = (0u64, 0, 0u64);
    for run in texts.chunks(per_table) {
        let mut numbers: HashMap<&str, u32> = HashMap::new();
        for text in run {
            for word in text.split(|c: char| !c.is_alphanumeric()) {
                if word.is_empty() {
                    continue;
                }
                let next = numbers.len() as u32;
                checksum += u64::from(*numbers.entry(word).or_insert(next));
                words += 1;
            }
        }
        distinct += numbers.len();
    }
    let took = start.elapsed();
    let tables = texts.len().div_ceil(per_table);
    println!(
        "{} files, {words} words, {distinct} distinct in {tables} table(s): {:.1} ms, {:.1} ns a word (checksum {checksum})",
        texts.len(),
        took.as_secs_f64() * 1e3,
        took.as_secs_f64() * 1e9 / words as f64,
    );
    ExitCode::SUCCESS
}
