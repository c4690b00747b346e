//! Text in the small: folding for comparison, slugs, typographic punctuation, HTML escaping and
//! heading ids. The bottom layer: nothing here knows about files, sites or diagnostics.

mod ids;

use std::collections::HashSet;

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

pub use ids::{IdSet, heading_id};

/// Lowercase, without accents, with typographic apostrophes made plain: what a reader might
/// type for a word. Search folds every word and query this way, and A–Z ordering compares
/// titles folded.
pub fn fold(word: &str) -> String {
    // Most words are ASCII, which has nothing to decompose: the search index folds every word.
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    word.to_lowercase()
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| if c == '’' { '\'' } else { c })
        .collect()
}

/// Lowercase ASCII letters, digits and single `-`s between them.
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// Turns a title into a slug: "Trust & Trustworthiness" → "trust-trustworthiness". Accents are
/// folded away and the letters that do not decompose are spelt out ("Æsop" → "aesop").
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    for c in fold(title).chars() {
        let spelt = match c {
            'æ' => "ae",
            'œ' => "oe",
            'ß' => "ss",
            'ø' => "o",
            'đ' => "d",
            'ł' => "l",
            'þ' => "th",
            _ => "",
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !spelt.is_empty() {
            out.push_str(spelt);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        return "untitled".to_string();
    }
    // File names have limits (255 bytes on most systems): a long title's slug stops at the
    // last word that fits.
    if out.len() > MAX_SLUG {
        let cut = out[..=MAX_SLUG]
            .rfind('-')
            .filter(|&i| i > 0)
            .unwrap_or(MAX_SLUG);
        out.truncate(cut);
    }
    out
}

/// The longest slug `slugify` makes, in bytes.
pub const MAX_SLUG: usize = 80;

/// Plain text with typographic punctuation: straight quotes curled, `--` as a dash, `...` as an
/// ellipsis. Everything else is kept literally: front-matter text is text, not Markdown or HTML,
/// so `Why <em> matters` or `*trust*` shows those characters.
pub fn smarten(text: &str) -> String {
    if !text.contains(['\'', '"', '-', '.']) {
        return text.to_string();
    }
    use pulldown_cmark::{Event, Options, Parser};
    // Every character Markdown could read as markup is escaped, so that the parser does nothing
    // but the punctuation; dashes and dots are escaped only where they would start a block.
    let trimmed = text.trim_start();
    let mut escaped = String::with_capacity(trimmed.len() * 2);
    for (i, c) in trimmed.char_indices() {
        let starts_block = i == 0 && matches!(c, '-' | '+' | '=');
        let numbered = matches!(c, '.' | ')') && trimmed[..i].bytes().all(|b| b.is_ascii_digit());
        if "\\`*_{}[]<>()#!|~^&".contains(c) || starts_block || (numbered && i > 0) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
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

/// Text made safe inside an HTML attribute value or element: `&`, `<`, `>` and both quotes
/// escaped.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `%XX` escapes decoded; anything that is not a valid escape is kept as written.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The scheme of a URL (`https`, `javascript`), lowercased, as a browser reads it: tabs, line
/// breaks and leading spaces or control characters are ignored. None for a relative URL.
pub fn url_scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let colon = cleaned.find(':')?;
    let scheme = &cleaned[..colon];
    let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// Whether a URL from front matter or site.toml may be written into a page: a web address,
/// `mailto:`, or a relative one.
pub fn is_safe_url(url: &str) -> bool {
    url_scheme(url).is_none_or(|s| matches!(s.as_str(), "http" | "https" | "mailto"))
}

/// The values of every ` id="…"` and ` id='…'` attribute in `html`, as written.
pub fn element_ids(html: &str) -> HashSet<&str> {
    let mut ids = HashSet::new();
    for quote in ['"', '\''] {
        let marker = format!(" id={quote}");
        let mut rest = html;
        while let Some(at) = rest.find(&marker) {
            rest = &rest[at + marker.len()..];
            if let Some(end) = rest.find(quote) {
                ids.insert(&rest[..end]);
            }
        }
    }
    ids
}

/// "an essay", "a term": the article a noun takes.
pub fn with_article(noun: &str) -> String {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {noun}")
    } else {
        format!("a {noun}")
    }
}

/// The text with its first letter in upper case.
pub fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or(String::new(), |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

/// `html` without the indentation of its lines or its blank lines, except inside `<pre>` and
/// `<textarea>`, where whitespace is content. A browser collapses whitespace between words and
/// tags to one space, and each line keeps its line break, so the page reads and lays out the
/// same in fewer bytes. One pass over the page, finding the preformatted parts as it goes.
pub fn strip_indentation(html: &str) -> String {
    use std::sync::OnceLock;
    const KEPT: [(&str, &str); 2] = [("<pre", "</pre>"), ("<textarea", "</textarea>")];
    // Both openers in one pass over the page, with the automaton's vectorised prefilter: a
    // page is searched once, however long.
    static OPENERS: OnceLock<Option<aho_corasick::AhoCorasick>> = OnceLock::new();
    let Some(openers) = OPENERS
        .get_or_init(|| aho_corasick::AhoCorasick::new(KEPT.map(|(open, _)| open)).ok())
        .as_ref()
    else {
        return html.to_string();
    };
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    let mut line_start = true;
    while let Some(m) = openers.find(&html[at..]) {
        let start = at + m.start();
        strip_lines(&html[at..start], line_start, &mut out);
        let close = KEPT[m.pattern().as_usize()].1;
        let end = html[start..]
            .find(close)
            .map_or(html.len(), |e| start + e + close.len());
        out.push_str(&html[start..end]);
        at = end;
        line_start = false;
    }
    strip_lines(&html[at..], line_start, &mut out);
    out
}

/// Appends `text` with each line's indentation and the blank lines removed; its first line is
/// left whole when it continues a line (after preformatted text).
fn strip_lines(text: &str, line_start: bool, out: &mut String) {
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i == 0 && !line_start {
            out.push_str(line);
            continue;
        }
        let kept = line.trim_start_matches([' ', '\t']);
        if !kept.trim_end_matches(['\r', '\n']).is_empty() {
            out.push_str(kept);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indentation_goes_but_preformatted_text_stays() {
        let html = "<ul>\n    <li>a</li>\n\n    <li>b</li>\n</ul>\n<pre><code>fn x() {\n    y\n\n}\n</code></pre>\n  <p>z</p>\n";
        assert_eq!(
            strip_indentation(html),
            "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<pre><code>fn x() {\n    y\n\n}\n</code></pre>\n<p>z</p>\n"
        );
        let area = "<textarea>\n  kept\n</textarea>  <p>\n    x</p>";
        assert_eq!(
            strip_indentation(area),
            "<textarea>\n  kept\n</textarea>  <p>\nx</p>"
        );
    }

    #[test]
    fn slugify_makes_url_safe_names() {
        assert_eq!(slugify("Trust & Trustworthiness"), "trust-trustworthiness");
        assert_eq!(slugify("  Épistémic trust?! "), "epistemic-trust");
        assert_eq!(slugify("Æsop's Straße"), "aesop-s-strasse");
        assert_eq!(slugify("???"), "untitled");
        let long = slugify(&"word ".repeat(100));
        assert!(long.len() <= MAX_SLUG && long.ends_with("word"), "{long}");
        assert_eq!(slugify(&"x".repeat(500)).len(), MAX_SLUG);
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
        assert_eq!(smarten("Why <em> matters"), "Why <em> matters");
        assert_eq!(
            smarten("*trust* & [care](x) -- \\n"),
            "*trust* & [care](x) – \\n"
        );
        assert_eq!(
            smarten("\"Trust\" (a note) isn't 'it'"),
            "“Trust” (a note) isn’t ‘it’"
        );
        assert_eq!(smarten("2) Second"), "2) Second");
    }

    #[test]
    fn slugs_are_checked() {
        assert!(is_valid_slug("week-1"));
        assert!(!is_valid_slug("Week-1"));
        assert!(!is_valid_slug("a_b"));
    }

    #[test]
    fn folding_drops_case_and_accents() {
        assert_eq!(fold("Épistémic"), "epistemic");
        assert_eq!(fold("Über"), "uber");
        assert_eq!(fold("Therapist’s"), "therapist's");
    }

    #[test]
    fn url_schemes_are_read_as_a_browser_reads_them() {
        assert_eq!(url_scheme("https://x.org").as_deref(), Some("https"));
        assert_eq!(
            url_scheme(" JavaScript:alert(1)").as_deref(),
            Some("javascript")
        );
        assert_eq!(url_scheme("java\tscript:x").as_deref(), Some("javascript"));
        assert_eq!(url_scheme("../a.md#b:c"), None);
        assert_eq!(url_scheme("/x:y"), None);
        assert!(is_safe_url("mailto:a@b.org") && is_safe_url("essays/a/"));
        assert!(!is_safe_url("javascript:alert(1)") && !is_safe_url("data:text/html,x"));
    }

    #[test]
    fn escapes_and_decodes() {
        assert_eq!(
            escape_attr("a<b>\"c\"&'d'"),
            "a&lt;b&gt;&quot;c&quot;&amp;&#39;d&#39;"
        );
        assert_eq!(percent_decode("a%20b%zz%4"), "a b%zz%4");
        assert_eq!(with_article("essay"), "an essay");
        assert_eq!(capitalize("term"), "Term");
    }
}
