//! A floor under a whole build's growth: `cargo run --release --example build_floor -- COURSE
//! OUT` does only the steps that any generator of the same site has to take, each in the
//! plainest fast way and on every core, and prints how long each took:
//!
//! - `read`: reads every `.md` file under COURSE/content, with its title and summary;
//! - `links`: a table of every item's name, and each item's backlinks: the items whose
//!   `[[name]]` links lead to it;
//! - `glossary`: one automaton of every glossary term's name and alias (aho-corasick);
//! - `mentions`: finds the terms each text mentions with that automaton;
//! - `pages`: turns each `[[name]]` into a link to the item the table finds, converts the
//!   Markdown to HTML with pulldown-cmark, adds the title, address and summary of each backlink
//!   and the title and summary of each term mentioned (for its card), and writes the page to
//!   OUT, unless OUT holds that page already (as a rebuild finds it);
//! - `words`: gives every word of every text a number in its run of 1,024 files' table, and
//!   lists the files each word of the run is in, as a search index must;
//! - `merge`: gives each distinct word of the runs one number for the whole course, and joins
//!   its runs' lists of files into one;
//! - `stems`: stems each distinct word (Snowball, rust-stemmers, as lectern does) and groups the
//!   words by stem, as a stemmed search index must.
//!
//! No templates, listings, ranking, search files or checks. How each step's time grows from one
//! course to a larger one on the same machine is what the step costs done plainly; with the
//! rest of a build growing no faster than the course, the steps set the least growth a build of
//! the same courses can have (`benches/growth-floor.sh` works it out beside lectern's builds).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use ahash::AHashMap as HashMap;
use aho_corasick::{AhoCorasick, MatchKind};
use rayon::prelude::*;

/// Files per word table: the cut with the least growth measured with `word_table`.
const FILES_PER_TABLE: usize = 1024;

/// One Markdown file: where its page goes, its name, its front matter's title and summary, and
/// its text after the front matter.
struct Source {
    url: String,
    name: String,
    front: String,
    title: String,
    summary: String,
    body: String,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [course, out] = args.as_slice() else {
        eprintln!("usage: build_floor COURSE OUT");
        return ExitCode::from(2);
    };
    match run(Path::new(course), Path::new(out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("build_floor: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(course: &Path, out: &Path) -> std::io::Result<()> {
    let start = Instant::now();
    let mut lap = Lap(Instant::now());
    let sources = read(&course.join("content"))?;
    lap.print("read");
    let names: HashMap<&str, u32> = (0..)
        .zip(&sources)
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    let links = links(&sources, &names);
    let backlinks = backlinks(&links);
    lap.print("links");
    let (terms, term_of) = term_names(&sources);
    let automaton = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(true)
        .build(&terms)
        .map_err(std::io::Error::other)?;
    lap.print("glossary");
    let mentioned: Vec<Vec<u32>> = sources
        .par_iter()
        .map(|s| {
            let mut found: Vec<u32> = automaton
                .find_iter(&s.body)
                .map(|m| term_of[m.pattern().as_usize()])
                .collect();
            found.sort_unstable();
            found.dedup();
            found
        })
        .collect();
    lap.print("mentions");
    let site = Site {
        sources: &sources,
        links: &links,
        backlinks: &backlinks,
        mentioned: &mentioned,
    };
    (0..sources.len()).into_par_iter().try_for_each(|i| {
        let folder = out.join(sources[i].url.trim_matches('/'));
        write(&folder, &site.page(i))
    })?;
    lap.print("pages");
    let runs: Vec<Run> = sources
        .par_chunks(FILES_PER_TABLE)
        .enumerate()
        .map(|(i, run)| Run::read(run, (i * FILES_PER_TABLE) as u32))
        .collect();
    lap.print("words");
    let (vocabulary, postings) = merge(&runs);
    lap.print("merge");
    let stems = stems(&vocabulary);
    lap.print("stems");
    println!(
        "{} files, {} links, {} term names, {} terms mentioned, {} distinct words in {} postings, {} stems: {:.0} ms",
        sources.len(),
        backlinks.iter().map(Vec::len).sum::<usize>(),
        terms.len(),
        mentioned.iter().map(Vec::len).sum::<usize>(),
        vocabulary.len(),
        postings.iter().map(Vec::len).sum::<usize>(),
        stems.len(),
        start.elapsed().as_secs_f64() * 1e3
    );
    Ok(())
}

/// Writes `html` as the page in `folder`, unless the page there holds it already: writing a
/// file over itself costs more than reading it back.
fn write(folder: &Path, html: &str) -> std::io::Result<()> {
    let file = folder.join("index.html");
    if std::fs::read(&file).is_ok_and(|old| old == html.as_bytes()) {
        return Ok(());
    }
    std::fs::create_dir_all(folder)?;
    std::fs::write(file, html)
}

/// Prints the time since the last lap.
struct Lap(Instant);

impl Lap {
    fn print(&mut self, step: &str) {
        println!("  {step:7} {:8.1} ms", self.0.elapsed().as_secs_f64() * 1e3);
        self.0 = Instant::now();
    }
}

/// Every `.md` file under `content`, read on every core.
fn read(content: &Path) -> std::io::Result<Vec<Source>> {
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in walkdir::WalkDir::new(content).sort_by_file_name() {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.path().extension().is_some_and(|e| e == "md") {
            paths.push(entry.into_path());
        }
    }
    paths
        .par_iter()
        .map(|path| {
            let text = std::fs::read_to_string(path)?;
            let name = path.file_stem().unwrap_or_default().to_string_lossy();
            let section = path
                .parent()
                .and_then(|p| p.strip_prefix(content).ok())
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            let (front, body) = text
                .strip_prefix("---\n")
                .and_then(|rest| rest.split_once("\n---\n"))
                .unwrap_or(("", &text));
            let field = |key: &str| {
                front
                    .lines()
                    .find_map(|l| l.strip_prefix(key))
                    .map(unquoted)
                    .unwrap_or_default()
            };
            let title = match field("title:") {
                t if t.is_empty() => field("term:"),
                t => t,
            };
            Ok(Source {
                url: format!("/{section}/{name}/"),
                name: name.into_owned(),
                front: front.to_string(),
                title,
                summary: field("summary:"),
                body: body.to_string(),
            })
        })
        .collect()
}

/// A value of the front matter, without its quotes.
fn unquoted(value: &str) -> String {
    value.trim().trim_matches('"').to_string()
}

/// The glossary's names (each term's `term:` and `aliases:`, as written in its front matter),
/// and the file of each name's term.
fn term_names(sources: &[Source]) -> (Vec<String>, Vec<u32>) {
    let mut names = Vec::new();
    let mut term_of = Vec::new();
    for (i, source) in (0..).zip(sources) {
        for line in source.front.lines() {
            if let Some(term) = line.strip_prefix("term:") {
                names.push(unquoted(term));
                term_of.push(i);
            } else if let Some(list) = line.strip_prefix("aliases:") {
                let list = list.trim().trim_start_matches('[').trim_end_matches(']');
                for alias in list.split(',').map(unquoted).filter(|a| !a.is_empty()) {
                    names.push(alias);
                    term_of.push(i);
                }
            }
        }
    }
    (names, term_of)
}

/// The `[[name]]` links of `text`: each name, and the text before and after it.
fn wikilinks(text: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let (before, after) = rest.split_once("[[")?;
        let (name, after) = after.split_once("]]")?;
        rest = after;
        Some((before, name))
    })
}

/// For each file, where its `[[links]]` lead, in order: the file of each name, if any.
fn links(sources: &[Source], names: &HashMap<&str, u32>) -> Vec<Vec<Option<u32>>> {
    sources
        .par_iter()
        .map(|s| {
            wikilinks(&s.body)
                .map(|(_, name)| names.get(name).copied())
                .collect()
        })
        .collect()
}

/// For each file, the files whose links lead to it, in order.
fn backlinks(links: &[Vec<Option<u32>>]) -> Vec<Vec<u32>> {
    let mut backlinks = vec![Vec::new(); links.len()];
    for (from, targets) in (0..).zip(links) {
        for &to in targets.iter().flatten() {
            backlinks[to as usize].push(from);
        }
    }
    backlinks
}

/// What every page is made from.
struct Site<'a> {
    sources: &'a [Source],
    links: &'a [Vec<Option<u32>>],
    backlinks: &'a [Vec<u32>],
    mentioned: &'a [Vec<u32>],
}

impl Site<'_> {
    /// The page of file `i`: its Markdown, with each `[[name]]` made a link to the item the
    /// `links` step found (or left as text), converted to HTML; then a list of the files linking
    /// to it, with their titles and summaries, and the title and summary of each term it
    /// mentions, for its term cards.
    fn page(&self, i: usize) -> String {
        let source = &self.sources[i];
        let mut markdown = String::with_capacity(source.body.len() + 256);
        let mut rest = source.body.as_str();
        for ((before, name), to) in wikilinks(&source.body).zip(&self.links[i]) {
            markdown.push_str(before);
            match to {
                Some(to) => {
                    let to = &self.sources[*to as usize];
                    markdown.push_str(&format!("[{}]({})", to.title, to.url));
                }
                None => markdown.push_str(name),
            }
            rest = &rest[before.len() + name.len() + 4..];
        }
        markdown.push_str(rest);
        let options = pulldown_cmark::Options::ENABLE_TABLES
            | pulldown_cmark::Options::ENABLE_FOOTNOTES
            | pulldown_cmark::Options::ENABLE_SMART_PUNCTUATION;
        let mut html = String::with_capacity(markdown.len() * 5 / 4);
        pulldown_cmark::html::push_html(
            &mut html,
            pulldown_cmark::Parser::new_ext(&markdown, options),
        );
        html.push_str("<ul>");
        for &from in &self.backlinks[i] {
            let from = &self.sources[from as usize];
            html.push_str(&format!(
                "<li><a href=\"{}\">{}</a> {}</li>",
                from.url, from.title, from.summary
            ));
        }
        html.push_str("</ul><script type=\"application/json\">{");
        for &term in &self.mentioned[i] {
            let term = &self.sources[term as usize];
            html.push_str(&format!(
                "{:?}:[{:?},{:?}],",
                term.name, term.title, term.summary
            ));
        }
        html.push_str("}</script>");
        html
    }
}

/// The words of `vocabulary` by their stem (lowercased, then English Snowball).
fn stems(vocabulary: &HashMap<&str, u32>) -> HashMap<String, Vec<u32>> {
    let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    let words: Vec<(&str, u32)> = vocabulary.iter().map(|(w, &n)| (*w, n)).collect();
    let stemmed: Vec<String> = words
        .par_iter()
        .map(|(word, _)| stemmer.stem(&word.to_lowercase()).into_owned())
        .collect();
    let mut by_stem: HashMap<String, Vec<u32>> = HashMap::new();
    for (stem, (_, number)) in stemmed.into_iter().zip(words) {
        by_stem.entry(stem).or_default().push(number);
    }
    by_stem
}

/// A run of files' words: each distinct one numbered in the order met, with the files it is in.
struct Run<'a> {
    numbers: HashMap<&'a str, u32>,
    /// For each word's number, its files, in order.
    postings: Vec<Vec<u32>>,
}

impl<'a> Run<'a> {
    /// The words of `run`, whose first file is file `first` of the course.
    fn read(run: &'a [Source], first: u32) -> Run<'a> {
        let mut numbers: HashMap<&str, u32> = HashMap::new();
        let mut postings: Vec<Vec<u32>> = Vec::new();
        for (file, source) in (first..).zip(run) {
            for word in source.body.split(|c: char| !c.is_alphanumeric()) {
                if word.is_empty() {
                    continue;
                }
                let next = numbers.len() as u32;
                let number = *numbers.entry(word).or_insert(next) as usize;
                if number == postings.len() {
                    postings.push(Vec::new());
                }
                if postings[number].last() != Some(&file) {
                    postings[number].push(file);
                }
            }
        }
        Run { numbers, postings }
    }
}

/// One number for each distinct word of all the runs, and each word's files, in order.
fn merge<'a>(runs: &[Run<'a>]) -> (HashMap<&'a str, u32>, Vec<Vec<u32>>) {
    let mut vocabulary: HashMap<&str, u32> = HashMap::new();
    let mut postings: Vec<Vec<u32>> = Vec::new();
    for run in runs {
        for (word, &number) in &run.numbers {
            let next = vocabulary.len() as u32;
            let global = *vocabulary.entry(word).or_insert(next) as usize;
            if global == postings.len() {
                postings.push(Vec::new());
            }
            postings[global].extend_from_slice(&run.postings[number as usize]);
        }
    }
    (vocabulary, postings)
}
