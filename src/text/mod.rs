//! Text in the small: folding for comparison, slugs, typographic punctuation, HTML escaping and
//! heading ids. The bottom layer: nothing here knows about files, sites or diagnostics.

mod ids;

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

pub use ids::{IdSet, heading_id};

/// Lowercase, without accents, with typographic apostrophes made plain: what a reader might
/// type for a word. Search folds every word and query this way, and A–Z ordering compares
/// titles folded.
pub fn fold(word: &str) -> String {
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
        "untitled".to_string()
    } else {
        out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_makes_url_safe_names() {
        assert_eq!(slugify("Trust & Trustworthiness"), "trust-trustworthiness");
        assert_eq!(slugify("  Épistémic trust?! "), "epistemic-trust");
        assert_eq!(slugify("Æsop's Straße"), "aesop-s-strasse");
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
    fn folding_drops_case_and_accents() {
        assert_eq!(fold("Épistémic"), "epistemic");
        assert_eq!(fold("Über"), "uber");
        assert_eq!(fold("Therapist’s"), "therapist's");
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
