//! Splitting a content file into its YAML front matter and Markdown body, keeping offsets so that
//! every later diagnostic can point at the file's own line and column.

use crate::diagnostics::Diagnostic;

/// A content file's text, normalised (no BOM, LF line ends), and where its parts are.
#[derive(Debug, Clone)]
pub struct Source {
    /// Shared, so that items clone cheaply when a rebuild keeps them.
    pub text: std::sync::Arc<str>,
    /// Byte range of the YAML between the `---` lines.
    pub front_matter: std::ops::Range<usize>,
    /// 1-based line of the YAML's first line.
    pub front_matter_line: usize,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
    /// Where each line starts (byte offsets), so that a position or a line is found in
    /// logarithmic time however many problems a large file has.
    line_starts: std::sync::Arc<[u32]>,
    /// The placeholders `lectern new` writes that the text still holds, each with the byte
    /// offset of its first appearance: found once when the file is read, not on every rebuild.
    pub placeholders: Vec<(usize, &'static str)>,
}

impl Source {
    pub fn yaml(&self) -> &str {
        &self.text[self.front_matter.clone()]
    }

    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// Frees the text once nothing will quote it or report a place in it; what reads it
    /// afterwards reads an empty file.
    pub fn release(&mut self) {
        self.text = "".into();
        self.front_matter = 0..0;
        self.body_start = 0;
        self.line_starts = std::sync::Arc::new([0]);
        self.placeholders = Vec::new();
    }

    /// 1-based line and character column of a byte offset in the text.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self
            .line_starts
            .partition_point(|&start| start as usize <= offset)
            .max(1);
        let start = self.line_starts[line - 1] as usize;
        let mut end = offset;
        while end > start && !self.text.is_char_boundary(end) {
            end -= 1;
        }
        (line, self.text[start..end].chars().count() + 1)
    }

    /// Splits `raw` (a whole file) into front matter and body. `path` is used for diagnostics.
    pub fn parse(path: &std::path::Path, raw: &str) -> Result<Source, Diagnostic> {
        let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
        // CommonMark replaces NUL with U+FFFD; doing it here makes front matter and body agree.
        let replaced;
        let raw = if raw.contains('\0') {
            replaced = raw.replace('\0', "\u{fffd}");
            replaced.as_str()
        } else {
            raw
        };
        // A carriage return alone ends a line too, for YAML and Markdown alike: line numbers
        // agree only if it becomes a line feed here.
        let text = if raw.contains('\r') {
            raw.replace("\r\n", "\n").replace('\r', "\n")
        } else {
            raw.to_string()
        };

        let first_line = text.lines().next().unwrap_or("");
        if first_line.trim_end() != "---" {
            let hint = if first_line.trim_end() == "+++" {
                "lectern uses YAML front matter between `---` lines, not TOML between `+++`"
            } else {
                "start the file with a line `---`, then keys such as `title: …`, then another `---`"
            };
            return Err(Diagnostic::error(path, 1, 1, "missing front matter")
                .with_source(&text)
                .with_hint(hint));
        }
        let yaml_start = first_line.len() + 1;
        let mut line_start = yaml_start.min(text.len());
        while line_start < text.len() {
            let line_end = text[line_start..]
                .find('\n')
                .map_or(text.len(), |i| line_start + i);
            let line = &text[line_start..line_end];
            if line.trim_end() == "---" || line.trim_end() == "..." {
                let body_start = (line_end + 1).min(text.len());
                return Ok(Source {
                    front_matter: yaml_start.min(line_start)..line_start,
                    front_matter_line: 2,
                    body_start,
                    line_starts: line_starts(&text),
                    placeholders: placeholders(&text),
                    text: text.into(),
                });
            }
            line_start = line_end + 1;
        }
        Err(
            Diagnostic::error(path, 1, 1, "front matter is never closed")
                .with_source(&text)
                .with_hint("add a line with just `---` after the last front-matter key"),
        )
    }
}

/// The first place of each placeholder in `text`, in the placeholders' order: one pass over the
/// text for all of them.
fn placeholders(text: &str) -> Vec<(usize, &'static str)> {
    use std::sync::OnceLock;
    static FINDER: OnceLock<Option<aho_corasick::AhoCorasick>> = OnceLock::new();
    let Some(finder) = FINDER
        .get_or_init(|| aho_corasick::AhoCorasick::new(super::PLACEHOLDERS).ok())
        .as_ref()
    else {
        return Vec::new();
    };
    let mut first: [Option<usize>; super::PLACEHOLDERS.len()] = Default::default();
    for m in finder.find_iter(text) {
        first[m.pattern().as_usize()].get_or_insert(m.start());
    }
    first
        .iter()
        .zip(super::PLACEHOLDERS)
        .filter_map(|(at, p)| at.map(|at| (at, p)))
        .collect()
}

/// The byte offset of each line's start. Texts past 4 GiB are not content files a person
/// writes: their later lines all start at the last offset that fits.
fn line_starts(text: &str) -> std::sync::Arc<[u32]> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
        .collect()
}

impl crate::diagnostics::Lines for Source {
    fn line(&self, n: usize) -> Option<&str> {
        let start = *self.line_starts.get(n.checked_sub(1)?)? as usize;
        let end = self
            .line_starts
            .get(n)
            .map_or(self.text.len(), |&next| (next as usize).saturating_sub(1));
        self.text.get(start..end.max(start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// 1-based line of the body's first line.
    fn body_line(s: &Source) -> usize {
        s.text[..s.body_start].matches('\n').count() + 1
    }

    #[test]
    fn lines_and_positions_come_from_the_index() {
        use crate::diagnostics::{Lines, line_col};
        let text = "---\ntitle: é\n---\nab\ncé[[x\n";
        let s = Source::parse(Path::new("a.md"), text).unwrap();
        for offset in 0..=text.len() {
            if text.is_char_boundary(offset) {
                assert_eq!(s.line_col(offset), line_col(text, offset), "{offset}");
            }
        }
        assert_eq!(s.line(2), Some("title: é"));
        assert_eq!(s.line(5), Some("cé[[x"));
        assert_eq!(s.line(6), Some(""));
        assert_eq!(s.line(7), None);
        assert_eq!(s.line(0), None);
    }

    #[test]
    fn splits_front_matter_and_body() {
        let s = Source::parse(Path::new("a.md"), "---\ntitle: A\n---\nHello\n").unwrap();
        assert_eq!(s.yaml(), "title: A\n");
        assert_eq!(s.body(), "Hello\n");
        assert_eq!(body_line(&s), 4);
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let s = Source::parse(
            Path::new("a.md"),
            "\u{feff}---\r\ntitle: A\r\n---\r\nHi\r\n",
        )
        .unwrap();
        assert_eq!(s.yaml(), "title: A\n");
        assert_eq!(s.body(), "Hi\n");
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let text = "---\rtitle: A\rsession: [x\r---\rHi\r";
        let s = Source::parse(Path::new("a.md"), text).unwrap();
        assert_eq!(s.yaml(), "title: A\nsession: [x\n");
        assert_eq!(body_line(&s), 5);
    }

    #[test]
    fn empty_front_matter_and_empty_body() {
        let s = Source::parse(Path::new("a.md"), "---\n---").unwrap();
        assert_eq!(s.yaml(), "");
        assert_eq!(s.body(), "");
    }

    #[test]
    fn unterminated_front_matter_is_an_error() {
        let e = Source::parse(Path::new("a.md"), "---\ntitle: A\nHello\n").unwrap_err();
        assert_eq!(e.message, "front matter is never closed");
    }

    #[test]
    fn missing_front_matter_is_an_error() {
        let e = Source::parse(Path::new("a.md"), "# Hello\n").unwrap_err();
        assert_eq!(e.message, "missing front matter");
    }
}
