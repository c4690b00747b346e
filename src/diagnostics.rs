//! Diagnostics: every problem found in a site, with where it is and what to do about it.
//!
//! Problems are collected, never thrown one at a time, so that a build reports every bad file at
//! once. The rendering follows the compiler convention `path:line:col: error: message`, which
//! editors and terminals turn into clickable locations, followed by the source line, a caret and
//! an optional hint. A problem that belongs to no file (a command-line option, a port) prints
//! as `error: message`, with no invented location.
//!
//! Every stage returns the same shape, `Result<Warned<T>, Diagnostics>`: `Err` when nothing
//! usable was made, else the value with what was found while making it (see `Warned`).

use std::fmt;
use std::path::{Path, PathBuf};

pub use crate::paths::display_path;
use crate::paths::{PathProblem, Unreadable};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// Where in which file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The file, relative to the site root where possible.
    pub path: PathBuf,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub col: usize,
}

/// One problem, at one place in one file where it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub location: Option<Location>,
    pub message: String,
    /// The offending line of source, shown under the message with a caret; of a long line
    /// (a whole paragraph, say), only a window around the column.
    pub source_line: Option<String>,
    pub hint: Option<String>,
    /// Where the caret goes under `source_line`, 1-based: within the window, so small (and
    /// small enough that a `Diagnostic` stays the size it was).
    caret: u16,
}

impl Diagnostic {
    pub fn error(
        path: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            location: Some(Location {
                path: path.into(),
                line: line.max(1),
                col: col.max(1),
            }),
            ..Diagnostic::general(message)
        }
    }

    /// An error that belongs to no file: a command-line option, the network, the output folder.
    pub fn general(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location: None,
            message: message.into(),
            source_line: None,
            hint: None,
            caret: 1,
        }
    }

    /// The file this is about, if any.
    pub fn path(&self) -> Option<&Path> {
        self.location.as_ref().map(|l| l.path.as_path())
    }

    /// Line and column, `(0, 0)` for a problem with no location.
    pub fn at(&self) -> (usize, usize) {
        self.location.as_ref().map_or((0, 0), |l| (l.line, l.col))
    }

    pub fn warning(
        path: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, col, message)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Attaches the source line the diagnostic points at, taken from the file's lines. Only the
    /// window that is shown is kept: a site with thousands of errors in long paragraphs would
    /// otherwise hold every paragraph once per error.
    pub fn with_source(mut self, lines: &(impl Lines + ?Sized)) -> Self {
        let Some(Location { line, col, .. }) = self.location else {
            return self;
        };
        if let Some(line) = lines.line(line) {
            let (shown, caret) = excerpt(line.trim_end_matches('\r'), col);
            self.source_line = Some(shown);
            self.caret = u16::try_from(caret).unwrap_or(u16::MAX);
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A file's text, by line: what `with_source` shows. A plain `str` finds a line by reading up
/// to it; a content file's `Source` keeps an index, so that many problems in one large file cost
/// no more than one each.
pub trait Lines {
    /// Line `n`, 1-based, without its line break.
    fn line(&self, n: usize) -> Option<&str>;
}

impl Lines for str {
    fn line(&self, n: usize) -> Option<&str> {
        self.lines().nth(n.checked_sub(1)?)
    }
}

impl Lines for String {
    fn line(&self, n: usize) -> Option<&str> {
        self.as_str().line(n)
    }
}

impl Lines for std::sync::Arc<str> {
    fn line(&self, n: usize) -> Option<&str> {
        (**self).line(n)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match &self.location {
            Some(at) => writeln!(
                f,
                "{}:{}:{}: {label}: {}",
                display_path(&at.path),
                at.line,
                at.col,
                self.message
            )?,
            None => writeln!(f, "{label}: {}", self.message)?,
        }
        if let (Some(source), Some(at)) = (&self.source_line, &self.location) {
            let number = at.line.to_string();
            let gutter = " ".repeat(number.len());
            let col = usize::from(self.caret);
            // Tabs are kept as they are so the caret lines up under them in a terminal.
            let pad: String = source
                .chars()
                .take(col.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(f, "{gutter} |")?;
            writeln!(f, "{number} | {source}")?;
            writeln!(f, "{gutter} | {pad}^")?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "  = hint: {hint}")?;
        }
        Ok(())
    }
}

/// A long line (a whole paragraph, say) is cut to a window around the column, so the caret
/// stays on screen. Returns the excerpt and the column within it.
fn excerpt(line: &str, col: usize) -> (String, usize) {
    const WIDTH: usize = 100;
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= WIDTH {
        return (line.to_string(), col);
    }
    let at = col.saturating_sub(1).min(chars.len());
    let start = at.saturating_sub(WIDTH / 3);
    let end = (start + WIDTH).min(chars.len());
    let mut text: String = chars[start..end].iter().collect();
    let mut col = at - start + 1;
    if start > 0 {
        text.insert(0, '…');
        col += 1;
    }
    if end < chars.len() {
        text.push('…');
    }
    (text, col)
}

impl From<PathProblem> for Diagnostic {
    fn from(problem: PathProblem) -> Self {
        let (message, hint) = match problem.why {
            Unreadable::OutsideSite => (
                "symbolic link points outside the site".to_string(),
                Some("lectern reads only files inside the site folder; copy the files in instead"),
            ),
            Unreadable::Dangling => (
                "symbolic link points to nothing".to_string(),
                Some("remove it, or point it at a file inside the site"),
            ),
            Unreadable::Io(e) => (format!("cannot read: {e}"), None),
        };
        let d = Diagnostic::error(problem.path, 1, 1, message);
        match hint {
            Some(h) => d.with_hint(h),
            None => d,
        }
    }
}

/// A stage's value with the diagnostics found while making it. Warnings never stop a build.
/// Errors among them mean the value is partial: good enough for later stages to check their
/// own part against (so that one run reports every problem), never to be written out;
/// `into_result` turns such a value into the `Err` it is.
#[derive(Debug, Clone)]
pub struct Warned<T> {
    pub value: T,
    pub diagnostics: Diagnostics,
}

impl<T> Warned<T> {
    pub fn new(value: T, diagnostics: Diagnostics) -> Warned<T> {
        Warned { value, diagnostics }
    }

    /// A value with nothing to report.
    pub fn clean(value: T) -> Warned<T> {
        Warned::new(value, Diagnostics::new())
    }

    /// `Err` with every diagnostic when there are errors among them.
    pub fn into_result(self) -> Result<Warned<T>, Diagnostics> {
        if self.diagnostics.has_errors() {
            Err(self.diagnostics)
        } else {
            Ok(self)
        }
    }

    /// The value, its diagnostics added to `into`.
    pub fn take(self, into: &mut Diagnostics) -> T {
        into.extend(self.diagnostics);
        self.value
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Warned<U> {
        Warned::new(f(self.value), self.diagnostics)
    }
}

/// The diagnostics of one run, errors and warnings together.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// Every warning made an error, for `--strict`.
    pub fn strict(self) -> Diagnostics {
        self.items
            .into_iter()
            .map(|mut d| {
                if d.severity == Severity::Warning {
                    d.severity = Severity::Error;
                    d.message
                        .push_str(" (a warning; --strict makes it an error)");
                }
                d
            })
            .collect()
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by file, then position, so output is stable whatever order the work ran in.
    /// Problems without a file come first.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(order);
        self.items.dedup();
        self.items
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Every diagnostic, sorted, then a closing count: what the terminal shows. A file's first
    /// `PER_FILE` problems are shown, then how many more it has: a generated or mangled file can
    /// have thousands, all alike.
    pub fn report(&self) -> String {
        self.report_ending("")
    }

    /// `report` for a build, which says that its errors left the output as it was.
    pub fn report_for_build(&self) -> String {
        self.report_ending("; nothing was written")
    }

    fn report_ending(&self, after_errors: &str) -> String {
        // Sorted by reference: a report of thousands of errors need not copy them all.
        let mut sorted: Vec<&Diagnostic> = self.items.iter().collect();
        sorted.sort_by(|a, b| order(a, b));
        sorted.dedup();
        let mut out = String::new();
        let mut shown_in_file = 0;
        let mut unshown_in_file = 0;
        for (i, d) in sorted.iter().enumerate() {
            shown_in_file += 1;
            if shown_in_file <= PER_FILE || d.location.is_none() {
                out.push_str(&d.to_string());
            } else {
                unshown_in_file += 1;
            }
            let next_file = sorted.get(i + 1).map(|n| n.path());
            if next_file != Some(d.path()) {
                if unshown_in_file > 0 {
                    out.push_str(&format!(
                        "{}: … and {unshown_in_file} more like these (the first {PER_FILE} are shown)\n",
                        d.path().map(display_path).unwrap_or_default()
                    ));
                }
                shown_in_file = 0;
                unshown_in_file = 0;
            }
        }
        let errors = sorted.iter().filter(|d| d.is_error()).count();
        let warnings = sorted.len() - errors;
        let plural = |n: usize, w: &str| {
            if n == 1 {
                format!("1 {w}")
            } else {
                format!("{n} {w}s")
            }
        };
        if errors > 0 {
            out.push_str(&format!(
                "{} found{after_errors}\n",
                plural(errors, "error")
            ));
        } else if warnings > 0 {
            out.push_str(&format!("{}\n", plural(warnings, "warning")));
        }
        out
    }
}

/// Problems shown for one file before the rest are counted instead.
pub const PER_FILE: usize = 100;

fn order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    (&a.location, a.severity, &a.message).cmp(&(&b.location, b.severity, &b.message))
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics { items: vec![d] }
    }
}

/// Suggests the candidate closest to `name`, if any is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let lower = name.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c.to_string())
}

/// 1-based line and character column of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Sets aside the top-level entry of a config or front-matter `text` that holds byte `offset`
/// (where a parser found a value in error), so that the rest can be read again for its own
/// problems: the entry's lines become spaces, which keeps every later position where it was.
/// An entry runs from the line that `starts_entry` accepts at or above `offset` to the next
/// such line; `key_end` ends its key. Returns the key, or None when no entry holds `offset`.
pub(crate) fn set_aside_entry(
    text: &mut String,
    offset: usize,
    starts_entry: impl Fn(&str) -> bool,
    key_end: char,
) -> Option<String> {
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        lines.push((at, line));
        at += line.len();
    }
    let offset = offset.min(text.len().saturating_sub(1));
    let here = lines.iter().rposition(|&(start, _)| start <= offset)?;
    let first = (0..=here).rev().find(|&i| starts_entry(lines[i].1))?;
    let (start, line) = lines[first];
    let key = line.split_once(key_end)?.0.trim().trim_matches(['"', '\'']);
    let key = key.to_string();
    let end = lines[first + 1..]
        .iter()
        .find(|(_, line)| starts_entry(line))
        .map_or(text.len(), |&(start, _)| start);
    let blank: String = text[start..end]
        .chars()
        .map(|c| if c == '\n' { '\n' } else { ' ' })
        .collect();
    text.replace_range(start..end, &blank);
    Some(key)
}

/// Whether one of the keys set aside for their own errors is the required key `missing`, or a
/// misspelling of it (closest to it among `known`): then its absence is already reported.
pub(crate) fn stands_for(set_aside: &[String], known: &[&str], missing: &str) -> bool {
    set_aside
        .iter()
        .any(|k| k == missing || did_you_mean(k, known.iter().copied()).as_deref() == Some(missing))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_source_caret_and_hint() {
        let d = Diagnostic::error("content/essays/a.md", 2, 5, "unknown field `titel`")
            .with_source("---\ntitel: x\n---\n")
            .with_hint("did you mean `title`?");
        let text = d.to_string();
        assert_eq!(
            text,
            "content/essays/a.md:2:5: error: unknown field `titel`\n  |\n2 | titel: x\n  |     ^\n  = hint: did you mean `title`?\n"
        );
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        assert_eq!(line_col("ab\ncé[[x", 6), (2, 3));
        assert_eq!(line_col("é[[x", 2), (1, 2));
    }

    #[test]
    fn did_you_mean_finds_close_names_only() {
        assert_eq!(
            did_you_mean("epistemic-trus", ["epistemic-trust", "trust"]).as_deref(),
            Some("epistemic-trust")
        );
        assert_eq!(did_you_mean("zebra", ["epistemic-trust", "trust"]), None);
    }
}
