//! Citations as written in prose, in Pandoc's syntax: `[@key]`, `[@key, p. 12]`, `[@a; @b]`,
//! `[see @key, chap. 2, and passim]`, `[-@key]` (the year alone, the author being named in the
//! sentence), and `@key` in the running text, optionally followed by `[p. 12]`.
//!
//! A key starts with a letter, digit or `_` and may hold `:.#$%&-+?<>~/` between such
//! characters (`@{…}` for anything else). An `@` counts only at the start of a word, so that
//! `name@example.org` is an address, not a citation.

use std::ops::Range;

/// One citation found in a run of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Written<'t> {
    /// Where it is in the text: the brackets and all.
    pub range: Range<usize>,
    pub narrative: bool,
    pub items: Vec<WrittenItem<'t>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct WrittenItem<'t> {
    pub key: &'t str,
    /// Where its `@` is in the text.
    pub at: usize,
    pub prefix: &'t str,
    pub locator: Option<(&'static str, &'t str)>,
    pub suffix: &'t str,
    pub suppress_author: bool,
}

/// Every citation in `text`, in order.
pub(super) fn find(text: &str) -> Vec<Written<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(offset) = text[i..].find(['[', '@']) {
        let at = i + offset;
        let found = if text[at..].starts_with('[') {
            bracketed(text, at)
        } else {
            narrative(text, at)
        };
        match found {
            Some(w) => {
                i = w.range.end;
                out.push(w);
            }
            None => i = at + 1,
        }
    }
    out
}

/// Whether an `@` at `at` starts a word: not inside an address (`a@b.org`), a handle in a path
/// (`/@user`), or another key.
fn starts_word(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric() && !"_.-+@/\\=%&#~:`".contains(c))
}

/// The key after an `@` (whose next byte is `start`), and where it ends.
fn key_at(text: &str, start: usize) -> Option<(&str, usize)> {
    let rest = &text[start..];
    if let Some(braced) = rest.strip_prefix('{') {
        let end = braced.find(['}', '\n'])?;
        let key = braced[..end].trim();
        return (!key.is_empty() && braced[end..].starts_with('}'))
            .then(|| (key, start + 1 + end + 1));
    }
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut chars = rest.char_indices().peekable();
    let mut end = 0;
    while let Some((i, c)) = chars.next() {
        let next_is_word = chars.peek().is_some_and(|&(_, n)| word(n));
        if word(c) || (i > 0 && ":.#$%&-+?<>~/".contains(c) && next_is_word) {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    (end > 0).then(|| (&rest[..end], start + end))
}

/// `@key` in the running text, with `[locator]` after it when there is one.
fn narrative(text: &str, at: usize) -> Option<Written<'_>> {
    if !starts_word(text, at) {
        return None;
    }
    let (key, mut end) = key_at(text, at + 1)?;
    let mut locator = None;
    let mut suffix = "";
    if let Some(inner) = text[end..].strip_prefix(" [")
        && let Some(close) = inner.find(']')
        && !inner[..close].contains(['[', '@'])
    {
        (locator, suffix) = locator_and_suffix(&inner[..close]);
        end += 2 + close + 1;
    }
    Some(Written {
        range: at..end,
        narrative: true,
        items: vec![WrittenItem {
            key,
            at,
            prefix: "",
            locator,
            suffix,
            suppress_author: false,
        }],
    })
}

/// `[…]` at `open`, when every part of it between `;` cites a key.
fn bracketed(text: &str, open: usize) -> Option<Written<'_>> {
    let close = open + 1 + text[open + 1..].find(']')?;
    let inner = &text[open + 1..close];
    if !inner.contains('@') || inner.contains('[') {
        return None;
    }
    let mut items = Vec::new();
    let mut part_start = open + 1;
    for part in inner.split(';') {
        items.push(item(text, part_start..part_start + part.len())?);
        part_start += part.len() + 1;
    }
    Some(Written {
        range: open..close + 1,
        narrative: false,
        items,
    })
}

/// One `;`-separated part of a bracketed citation: `prefix -@key, locator suffix`.
fn item(text: &str, part: Range<usize>) -> Option<WrittenItem<'_>> {
    let mut search = part.start;
    let (at, key, key_end) = loop {
        let at = search + text[search..part.end].find('@')?;
        let before = text[part.start..at].chars().next_back();
        if (before == Some('-') || starts_word(text, at))
            && let Some((key, end)) = key_at(text, at + 1)
            && end <= part.end
        {
            break (at, key, end);
        }
        search = at + 1;
    };
    let before = &text[part.start..at];
    let suppress_author = before.ends_with('-');
    let prefix = before.strip_suffix('-').unwrap_or(before).trim();
    let (locator, suffix) = locator_and_suffix(&text[key_end..part.end]);
    Some(WrittenItem {
        key,
        at,
        prefix,
        locator,
        suffix,
        suppress_author,
    })
}

/// Locator words and the CSL locators they stand for, longest first where one starts another.
const LOCATORS: &[(&str, &str)] = &[
    ("pp.", "page"),
    ("pages", "page"),
    ("page", "page"),
    ("p.", "page"),
    ("chapters", "chapter"),
    ("chapter", "chapter"),
    ("chaps.", "chapter"),
    ("chap.", "chapter"),
    ("ch.", "chapter"),
    ("sections", "section"),
    ("section", "section"),
    ("secs.", "section"),
    ("sec.", "section"),
    ("§§", "section"),
    ("§", "section"),
    ("paragraphs", "paragraph"),
    ("paragraph", "paragraph"),
    ("paras.", "paragraph"),
    ("para.", "paragraph"),
    ("¶¶", "paragraph"),
    ("¶", "paragraph"),
    ("figures", "figure"),
    ("figure", "figure"),
    ("figs.", "figure"),
    ("fig.", "figure"),
    ("volumes", "volume"),
    ("volume", "volume"),
    ("vols.", "volume"),
    ("vol.", "volume"),
    ("lines", "line"),
    ("line", "line"),
    ("ll.", "line"),
    ("l.", "line"),
    ("notes", "note"),
    ("note", "note"),
    ("nn.", "note"),
    ("n.", "note"),
    ("columns", "column"),
    ("column", "column"),
    ("cols.", "column"),
    ("col.", "column"),
    ("books", "book"),
    ("book", "book"),
    ("bk.", "book"),
    ("number", "issue"),
    ("nos.", "issue"),
    ("no.", "issue"),
    ("parts", "part"),
    ("part", "part"),
    ("pts.", "part"),
    ("pt.", "part"),
    ("verses", "verse"),
    ("verse", "verse"),
    ("vv.", "verse"),
    ("v.", "verse"),
    ("s.vv.", "sub verbo"),
    ("s.v.", "sub verbo"),
    ("folios", "folio"),
    ("folio", "folio"),
    ("fols.", "folio"),
    ("fol.", "folio"),
    ("tables", "table"),
    ("table", "table"),
    ("tbl.", "table"),
    ("appendix", "appendix"),
    ("app.", "appendix"),
    ("opus", "opus"),
    ("op.", "opus"),
    ("scene", "scene"),
    ("sc.", "scene"),
];

/// What follows a key: a locator (`, p. 12`; a bare number is a page) and the rest as suffix.
fn locator_and_suffix(rest: &str) -> (Option<(&'static str, &str)>, &str) {
    let trimmed = rest.trim();
    let after_comma = trimmed.strip_prefix(',').unwrap_or(trimmed).trim_start();
    let labelled = LOCATORS.iter().find_map(|&(word, csl)| {
        let head = after_comma.get(..word.len())?;
        let next = after_comma[word.len()..].chars().next();
        (head.eq_ignore_ascii_case(word)
            && next.is_some_and(|c| c.is_whitespace() || c.is_ascii_digit()))
        .then(|| (csl, after_comma[word.len()..].trim_start()))
    });
    let (csl, value) = match labelled {
        Some(found) => found,
        None if after_comma.starts_with(|c: char| c.is_ascii_digit()) => ("page", after_comma),
        None => return (None, trimmed),
    };
    let end = value_end(value);
    (Some((csl, value[..end].trim())), value[end..].trim())
}

/// Where a locator's value ends: at a comma, unless a number follows it (`33–35, 38`).
fn value_end(value: &str) -> usize {
    let mut from = 0;
    while let Some(comma) = value[from..].find(',') {
        let at = from + comma;
        let next = value[at + 1..].trim_start();
        if !next.starts_with(|c: char| c.is_ascii_digit()) {
            return at;
        }
        from = at + 1;
    }
    value.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<(String, bool)> {
        find(text)
            .iter()
            .flat_map(|w| w.items.iter().map(|i| (i.key.to_string(), w.narrative)))
            .collect()
    }

    #[test]
    fn finds_every_form() {
        let w = &find("As shown [@allen2021, p. 12].")[0];
        assert_eq!(
            &"As shown [@allen2021, p. 12]."[w.range.clone()],
            "[@allen2021, p. 12]"
        );
        assert_eq!(w.items[0].locator, Some(("page", "12")));
        let w = &find("[see @a, chap. 3, and passim; -@b]")[0];
        assert_eq!(w.items.len(), 2);
        assert_eq!(w.items[0].prefix, "see");
        assert_eq!(w.items[0].locator, Some(("chapter", "3")));
        assert_eq!(w.items[0].suffix, ", and passim");
        assert!(w.items[1].suppress_author);
        let w = &find("@allen2021 [¶3] argues")[0];
        assert!(w.narrative);
        assert_eq!(w.items[0].locator, Some(("paragraph", "3")));
        assert_eq!(w.range, 0.."@allen2021 [¶3]".len());
        assert_eq!(
            find("[@a, 33–35, 38]")[0].items[0].locator,
            Some(("page", "33–35, 38"))
        );
    }

    #[test]
    fn keys_end_before_trailing_punctuation() {
        assert_eq!(
            keys("By @doe:2020. And (@smith.jones-1999), @{odd key}."),
            [
                ("doe:2020".to_string(), true),
                ("smith.jones-1999".to_string(), true),
                ("odd key".to_string(), true)
            ]
        );
    }

    #[test]
    fn addresses_handles_and_plain_brackets_are_not_citations() {
        assert!(find("Write to guide@example.org or see example.social/@guide.").is_empty());
        assert!(find("[a note] and [an @ sign alone] and [@ a]").is_empty());
        // A bracket that is not a citation may still hold one in the running text.
        assert_eq!(keys("[a note; @a argues]"), [("a".to_string(), true)]);
    }
}
