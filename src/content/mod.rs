//! Loading content/: every Markdown file becomes a typed `Item` with its front matter checked.
//! Nothing here knows about links or HTML.

pub mod front_matter;
pub mod source;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

pub use front_matter::Citation;
use front_matter::{EssayMatter, PageMatter, QuestionMatter, SessionMatter, TermMatter};
pub use source::Source;

use crate::config::{Autolink, Config};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};

pub const CONTENT_DIR: &str = "content";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Essay,
    Term,
    Question,
    Session,
    Page,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Essay,
        Kind::Term,
        Kind::Question,
        Kind::Session,
        Kind::Page,
    ];

    /// The folder under content/ that holds this kind (pages live in content/ itself).
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Essay => "essays",
            Kind::Term => "glossary",
            Kind::Question => "questions",
            Kind::Session => "sessions",
            Kind::Page => "",
        }
    }

    /// The name used in `[[kind/slug]]` and in messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Essay => "essay",
            Kind::Term => "term",
            Kind::Question => "question",
            Kind::Session => "session",
            Kind::Page => "page",
        }
    }

    pub fn noun(self) -> &'static str {
        self.name()
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// What each kind carries beyond the common fields.
#[derive(Debug, Clone)]
pub enum Meta {
    Essay {
        author: Option<String>,
        date: Option<(i32, u32, u32)>,
        summary: Option<String>,
        session: Option<u32>,
        order: Option<i64>,
        tags: Vec<String>,
        source: Option<Citation>,
    },
    Term {
        summary: String,
        aliases: Vec<String>,
        related: Vec<String>,
    },
    Question {
        essays: Vec<String>,
        terms: Vec<String>,
        related: Vec<String>,
        session: Option<u32>,
        order: Option<i64>,
        kind: Option<String>,
    },
    Session {
        number: u32,
        date: Option<(i32, u32, u32)>,
        summary: Option<String>,
        essays: Vec<String>,
        questions: Vec<String>,
    },
    Page {
        is_home: bool,
    },
}

/// One content file, its front matter checked for shape (not yet for references).
#[derive(Debug, Clone)]
pub struct Item {
    pub kind: Kind,
    pub slug: String,
    /// Relative to the site root, e.g. `content/essays/trust.md`.
    pub path: PathBuf,
    pub source: Source,
    pub title: String,
    pub draft: bool,
    pub autolink: Option<Autolink>,
    pub meta: Meta,
}

impl Item {
    pub fn session(&self) -> Option<u32> {
        match &self.meta {
            Meta::Essay { session, .. } | Meta::Question { session, .. } => *session,
            Meta::Session { number, .. } => Some(*number),
            _ => None,
        }
    }

    pub fn order(&self) -> Option<i64> {
        match &self.meta {
            Meta::Essay { order, .. } | Meta::Question { order, .. } => *order,
            _ => None,
        }
    }

    pub fn summary(&self) -> Option<&str> {
        match &self.meta {
            Meta::Essay { summary, .. } | Meta::Session { summary, .. } => summary.as_deref(),
            Meta::Term { summary, .. } => Some(summary),
            _ => None,
        }
    }

    pub fn is_home(&self) -> bool {
        matches!(self.meta, Meta::Page { is_home: true })
    }

    /// The key this item is stored under: the slug, or the number for sessions.
    pub fn key(&self) -> String {
        match &self.meta {
            Meta::Session { number, .. } => number.to_string(),
            _ => self.slug.clone(),
        }
    }
}

/// The folders of the generated listings and the search page: a page of the same name would
/// overwrite them.
const RESERVED_PAGE_SLUGS: [&str; 5] = ["essays", "glossary", "questions", "sessions", "search"];

/// Every content file of a site, in path order.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    pub items: Vec<Item>,
    /// The files that failed to load, by the names they would have had.
    pub unloaded: Vec<Unloaded>,
}

/// The names of a content file that failed to load: enough to recognise references to it, so
/// that one mistake in a file is reported once, not again at every link to the file.
#[derive(Debug, Clone)]
pub struct Unloaded {
    pub path: PathBuf,
    pub kind: Kind,
    pub slug: String,
    /// A session's `number`, as written.
    pub number: Option<String>,
    /// A term's name and aliases, lowercased.
    pub names: Vec<String>,
}

impl Unloaded {
    /// What can be read of the names of `rel` from its `source` (when it has front matter at
    /// all), whatever else is wrong with the file.
    fn of(rel: &Path, kind: Kind, source: Option<&Source>) -> Unloaded {
        let slug = rel
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let matter: Option<serde_yaml::Value> =
            source.and_then(|source| serde_yaml::from_str(source.yaml()).ok());
        let field = |key: &str| matter.as_ref().and_then(|m| m.get(key));
        let text = |v: &serde_yaml::Value| match v {
            serde_yaml::Value::String(s) => Some(s.clone()),
            serde_yaml::Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let mut names = Vec::new();
        if kind == Kind::Term {
            // As `Index::new` names a term: its smartened name and its aliases as written.
            names.extend(field("term").and_then(text).map(|t| smarten(&t)));
            if let Some(aliases) = field("aliases").and_then(|a| a.as_sequence()) {
                names.extend(aliases.iter().filter_map(text));
            }
        }
        Unloaded {
            path: rel.to_path_buf(),
            kind,
            slug,
            number: field("number").and_then(text),
            names: names.iter().map(|n| n.to_lowercase()).collect(),
        }
    }
}

/// Walks content/ and parses every file. Problems are returned alongside whatever did load, so
/// that later stages can report their own problems too.
pub fn load(config: &Config) -> (Corpus, Diagnostics) {
    let mut diags = Diagnostics::new();
    let files = find_files(&config.root, &mut diags);
    let parsed: Vec<Result<Item, Failed>> = files
        .par_iter()
        .map(|(path, kind)| read_item(&config.root, path, *kind))
        .collect();
    let mut items = Vec::with_capacity(parsed.len());
    let mut unloaded = Vec::new();
    for result in parsed {
        match result {
            Ok(item) => items.push(item),
            Err(failed) => {
                diags.extend(failed.problems);
                match failed.partial {
                    Partial::Item(item) => items.push(*item),
                    Partial::Names(names) => unloaded.push(*names),
                }
            }
        }
    }
    check_duplicates(&items, &mut diags);
    (Corpus { items, unloaded }, diags)
}

/// A content file that did not load cleanly: every problem found in it, and what the rest of
/// the site can still know of it.
#[derive(Debug, Clone)]
pub struct Failed {
    /// At least one.
    pub problems: Vec<Diagnostic>,
    pub partial: Partial,
}

/// What is left of a file that did not load cleanly.
#[derive(Debug, Clone)]
pub enum Partial {
    /// The item without its front-matter keys in error: its body and the links to it are still
    /// checked with the rest of the site.
    Item(Box<Item>),
    /// Not even that: only the names it would have had.
    Names(Box<Unloaded>),
}

impl Failed {
    /// A file known only by the names that can be read of it.
    fn names(problems: Vec<Diagnostic>, rel: &Path, kind: Kind, source: Option<&Source>) -> Failed {
        Failed {
            problems,
            partial: Partial::Names(Box::new(Unloaded::of(rel, kind, source))),
        }
    }
}

/// Parses one file's text; used by `load` and by tests that never touch the disk.
pub fn parse_item(path: &Path, kind: Kind, raw: &str) -> Result<Item, Failed> {
    let source = Source::parse(path, raw).map_err(|d| Failed::names(vec![d], path, kind, None))?;
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let is_home = kind == Kind::Page && stem == "_index";
    if !is_home && !is_valid_slug(&stem) && kind != Kind::Session {
        let d = Diagnostic::error(path, 1, 1, format!("`{stem}` is not a valid slug")).with_hint(
            format!(
                "file names become URLs: use lowercase ASCII letters, digits and `-`, e.g. `{}.md`",
                slugify(&stem)
            ),
        );
        return Err(Failed::names(vec![d], path, kind, Some(&source)));
    }
    if kind == Kind::Page && RESERVED_PAGE_SLUGS.contains(&stem.as_str()) {
        let d = Diagnostic::error(
            path,
            1,
            1,
            format!("a page called `{stem}` would take the place of the site's /{stem}/ page"),
        )
        .with_hint(format!(
            "rename the file, e.g. `content/about-{stem}.md`; pages may not be called {}",
            RESERVED_PAGE_SLUGS.map(|s| format!("`{s}`")).join(", ")
        ));
        return Err(Failed::names(vec![d], path, kind, Some(&source)));
    }
    let mut problems = Vec::new();
    let date = |d: &Option<String>, problems: &mut Vec<Diagnostic>| match d {
        None => None,
        Some(text) => {
            let date = front_matter::parse_date(text.trim());
            if date.is_none() {
                let (line, col) = front_matter::locate(&source, "date", text);
                problems.push(
                    Diagnostic::error(path, line, col, format!("`{text}` is not a date"))
                        .with_source(&source.text)
                        .with_hint("write dates as YYYY-MM-DD, e.g. 2026-01-14"),
                );
            }
            date
        }
    };
    // The front matter as `T`, or the file's problems when not even a partial item can be had.
    fn matter<T: serde::de::DeserializeOwned>(
        kind: Kind,
        path: &Path,
        source: &Source,
        problems: &mut Vec<Diagnostic>,
    ) -> Result<T, Failed> {
        front_matter::parse(kind, path, source, problems)
            .ok_or_else(|| Failed::names(std::mem::take(problems), path, kind, Some(source)))
    }
    let (title, draft, autolink, meta) = match kind {
        Kind::Essay => {
            let m: EssayMatter = matter(kind, path, &source, &mut problems)?;
            let meta = Meta::Essay {
                author: m.author,
                date: date(&m.date, &mut problems),
                summary: m.summary,
                session: m.session,
                order: m.order,
                tags: m.tags,
                source: m.source,
            };
            (m.title, m.draft, m.autolink, meta)
        }
        Kind::Term => {
            let m: TermMatter = matter(kind, path, &source, &mut problems)?;
            let meta = Meta::Term {
                summary: m.summary,
                aliases: m.aliases,
                related: m.related,
            };
            (m.term, m.draft, m.autolink, meta)
        }
        Kind::Question => {
            let m: QuestionMatter = matter(kind, path, &source, &mut problems)?;
            let meta = Meta::Question {
                essays: m.essays,
                terms: m.terms,
                related: m.related,
                session: m.session,
                order: m.order,
                kind: m.kind.filter(|k| !k.trim().is_empty()),
            };
            (m.title, m.draft, m.autolink, meta)
        }
        Kind::Session => {
            let m: SessionMatter = matter(kind, path, &source, &mut problems)?;
            let meta = Meta::Session {
                number: m.number,
                date: date(&m.date, &mut problems),
                summary: m.summary,
                essays: m.essays,
                questions: m.questions,
            };
            (m.title, false, m.autolink, meta)
        }
        Kind::Page => {
            let m: PageMatter = matter(kind, path, &source, &mut problems)?;
            (m.title, m.draft, m.autolink, Meta::Page { is_home })
        }
    };
    // Titles and summaries get the same typographic quotes and dashes as the bodies, so that
    // cards, listings and term matching agree with the prose.
    let title = smarten(&title);
    let meta = match meta {
        Meta::Essay {
            author,
            date,
            summary,
            session,
            order,
            tags,
            source,
        } => Meta::Essay {
            author,
            date,
            summary: summary.map(|s| smarten(&s)),
            session,
            order,
            tags,
            source,
        },
        Meta::Term {
            summary,
            aliases,
            related,
        } => Meta::Term {
            summary: smarten(&summary),
            aliases,
            related,
        },
        Meta::Session {
            number,
            date,
            summary,
            essays,
            questions,
        } => Meta::Session {
            number,
            date,
            summary: summary.map(|s| smarten(&s)),
            essays,
            questions,
        },
        other => other,
    };
    if title.trim().is_empty() {
        let key = if kind == Kind::Term { "term" } else { "title" };
        let (line, col) = front_matter::locate(&source, key, "");
        problems.push(
            Diagnostic::error(path, line, col, format!("`{key}` is empty"))
                .with_source(&source.text),
        );
        // Nothing can link to an item without a name.
        return Err(Failed::names(problems, path, kind, Some(&source)));
    }
    let item = Item {
        kind,
        slug: if is_home { String::new() } else { stem },
        path: path.to_path_buf(),
        source,
        title,
        draft,
        autolink,
        meta,
    };
    if problems.is_empty() {
        Ok(item)
    } else {
        Err(Failed {
            problems,
            partial: Partial::Item(Box::new(item)),
        })
    }
}

pub fn read_item(root: &Path, rel: &Path, kind: Kind) -> Result<Item, Failed> {
    let unreadable = |d: Diagnostic| Failed::names(vec![d], rel, kind, None);
    let bytes = std::fs::read(root.join(rel)).map_err(|e| {
        unreadable(Diagnostic::error(
            rel,
            1,
            1,
            format!("cannot read file: {e}"),
        ))
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        let (line, col) = crate::diagnostics::line_col(&prefix, prefix.len());
        unreadable(
            Diagnostic::error(rel, line, col, "file is not valid UTF-8")
                .with_hint("save the file as UTF-8"),
        )
    })?;
    parse_item(rel, kind, &text)
}

/// Lists content files with their kind; reports Markdown in the wrong place.
pub fn find_files(root: &Path, diags: &mut Diagnostics) -> Vec<(PathBuf, Kind)> {
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(CONTENT_DIR, 1, 1, "the site has no content/ folder").with_hint(
                "create content/_index.md for the home page, or start from `lectern init DIR`",
            ),
        );
        return Vec::new();
    }
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if let Err(d) = check_inside(&canonical_root, &content, Path::new(CONTENT_DIR)) {
        diags.push(d);
        return Vec::new();
    }
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e
                    .path()
                    .map(|p| relative(root, p))
                    .unwrap_or_else(|| PathBuf::from(CONTENT_DIR));
                diags.push(Diagnostic::error(p, 1, 1, format!("cannot read: {e}")));
                continue;
            }
        };
        let rel = relative(root, entry.path());
        if entry.path_is_symlink()
            && let Err(d) = check_inside(&canonical_root, entry.path(), &rel)
        {
            diags.push(d);
            continue;
        }
        if !entry.path().is_file() {
            continue;
        }
        let is_markdown = entry
            .path()
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"));
        if !is_markdown {
            continue;
        }
        let inner = rel.strip_prefix(CONTENT_DIR).unwrap_or(&rel);
        let mut parts = inner.components();
        let first = parts
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        let is_top = parts.next().is_none();
        let kind = match first.as_deref() {
            Some(_) if is_top => Some(Kind::Page),
            Some(folder) => Kind::ALL
                .into_iter()
                .find(|k| k.folder() == folder && *k != Kind::Page),
            None => None,
        };
        match kind {
            Some(kind) => files.push((rel, kind)),
            None => {
                let folder = first.unwrap_or_default();
                let folders = ["essays", "glossary", "questions", "sessions"];
                let hint = match did_you_mean(&folder, folders) {
                    Some(s) => format!("did you mean content/{s}/? Markdown belongs in content/essays/, content/glossary/, content/questions/, content/sessions/ or content/ itself"),
                    None => "Markdown belongs in content/essays/, content/glossary/, content/questions/, content/sessions/ or content/ itself (pages)".to_string(),
                };
                diags.push(
                    Diagnostic::error(
                        &rel,
                        1,
                        1,
                        format!("`content/{folder}/` is not a content folder"),
                    )
                    .with_hint(hint),
                );
            }
        }
    }
    files
}

/// Refuses a path that symbolic links lead outside the site (`canonical_root`) or to nothing.
/// `shown` is the path as messages name it.
pub fn check_inside(canonical_root: &Path, path: &Path, shown: &Path) -> Result<(), Diagnostic> {
    match path.canonicalize() {
        Ok(target) if target.starts_with(canonical_root) => Ok(()),
        Ok(_) => Err(
            Diagnostic::error(shown, 1, 1, "symbolic link points outside the site").with_hint(
                "lectern reads only files inside the site folder; copy the files in instead",
            ),
        ),
        Err(_) => Err(
            Diagnostic::error(shown, 1, 1, "symbolic link points to nothing")
                .with_hint("remove it, or point it at a file inside the site"),
        ),
    }
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

pub fn check_duplicates(items: &[Item], diags: &mut Diagnostics) {
    let mut seen: BTreeMap<(Kind, String), &Path> = BTreeMap::new();
    for item in items {
        if item.is_home() {
            continue;
        }
        let key = (item.kind, item.key());
        if let Some(first) = seen.get(&key) {
            let (message, hint) = match item.kind {
                Kind::Session => (
                    format!(
                        "session number {} is already used by {}",
                        key.1,
                        first.display()
                    ),
                    "give each session its own `number`".to_string(),
                ),
                _ => (
                    format!(
                        "duplicate {} slug `{}`: {} has it too",
                        item.kind.name(),
                        key.1,
                        first.display()
                    ),
                    "slugs come from file names and must be unique within a kind; rename one file"
                        .to_string(),
                ),
            };
            let (line, col) = if item.kind == Kind::Session {
                front_matter::locate(&item.source, "number", &key.1)
            } else {
                (1, 1)
            };
            diags.push(
                Diagnostic::error(&item.path, line, col, message)
                    .with_source(&item.source.text)
                    .with_hint(hint),
            );
        } else {
            seen.insert(key, &item.path);
        }
    }
}

/// Plain text with typographic punctuation: straight quotes curled, `--` as a dash, `...` as an
/// ellipsis. Markdown markup in front-matter text is dropped, not rendered.
pub fn smarten(text: &str) -> String {
    if !text.contains(['\'', '"', '-', '.', '*', '_', '`', '[', '<', '&', '\\']) {
        return text.to_string();
    }
    use pulldown_cmark::{Event, Options, Parser};
    // Escape what would start a heading, list or quote, so the text stays one paragraph.
    let trimmed = text.trim_start();
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    let escaped = if trimmed.starts_with(['#', '-', '+', '*', '>', '=']) {
        format!("\\{trimmed}")
    } else if digits > 0 && trimmed[digits..].starts_with(['.', ')']) {
        format!("{}\\{}", &trimmed[..digits], &trimmed[digits..])
    } else {
        trimmed.to_string()
    };
    let mut out = String::with_capacity(text.len());
    for event in Parser::new_ext(&escaped, Options::ENABLE_SMART_PUNCTUATION) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    if out.trim().is_empty() {
        text.to_string()
    } else {
        out.trim().to_string()
    }
}

/// Lowercase ASCII letters, digits and single `-`s between them.
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// Turns a title into a slug: "Trust & Trustworthiness" → "trust-trustworthiness".
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    for c in title
        .chars()
        .flat_map(char::to_lowercase)
        .flat_map(fold_accent)
    {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "untitled".to_string()
    } else {
        out
    }
}

fn fold_accent(c: char) -> Vec<char> {
    let folded = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'æ' => "ae",
        'ç' => "c",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => "o",
        'œ' => "oe",
        'ß' => "ss",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ý' | 'ÿ' => "y",
        _ => return c.to_lowercase().collect(),
    };
    folded.chars().collect()
}

/// Listing order: by session, then `order`, then title (case-insensitive); items without a
/// session or order come after those with one.
pub fn listing_order(a: &Item, b: &Item) -> std::cmp::Ordering {
    let none_last = |x: Option<i64>| (x.is_none(), x.unwrap_or(0));
    none_last(a.session().map(i64::from))
        .cmp(&none_last(b.session().map(i64::from)))
        .then_with(|| none_last(a.order()).cmp(&none_last(b.order())))
        .then_with(|| a.title.to_lowercase().cmp(&b.title.to_lowercase()))
        .then_with(|| a.slug.cmp(&b.slug))
}

/// `path` with `.` dropped and each `..` taking away the part before it, without asking the file
/// system (a `..` at the top goes nowhere).
pub(crate) fn lexical(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_makes_url_safe_names() {
        assert_eq!(slugify("Trust & Trustworthiness"), "trust-trustworthiness");
        assert_eq!(slugify("  Épistémic trust?! "), "epistemic-trust");
        assert_eq!(slugify("???"), "untitled");
    }

    #[test]
    fn smarten_curls_quotes_and_makes_dashes() {
        assert_eq!(
            smarten("A person's \"trust\" -- and more..."),
            "A person’s “trust” – and more…"
        );
        assert_eq!(smarten("Plain"), "Plain");
        assert_eq!(smarten("- 1"), "- 1");
        assert_eq!(smarten("1. First"), "1. First");
        assert_eq!(smarten("# Not a heading"), "# Not a heading");
    }

    #[test]
    fn slugs_are_checked() {
        assert!(is_valid_slug("week-1"));
        assert!(!is_valid_slug("Week-1"));
        assert!(!is_valid_slug("a_b"));
    }

    #[test]
    fn parses_an_essay() {
        let item = parse_item(
            Path::new("content/essays/a.md"),
            Kind::Essay,
            "---\ntitle: A\ndate: 2026-01-14\nsession: 2\ntags: [x]\n---\nBody\n",
        )
        .unwrap();
        assert_eq!(item.title, "A");
        assert_eq!(item.session(), Some(2));
    }

    #[test]
    fn bad_date_points_at_the_value() {
        let e = parse_item(
            Path::new("content/essays/a.md"),
            Kind::Essay,
            "---\ntitle: A\ndate: 14/01/2026\n---\n",
        )
        .unwrap_err();
        let e = &e.problems[0];
        assert_eq!((e.line, e.col), (3, 7));
        assert_eq!(e.message, "`14/01/2026` is not a date");
    }
}
