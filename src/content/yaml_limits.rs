//! Limits on what front matter may make the YAML reader do: nesting past a sensible depth, and
//! aliases that stand for more text than any front matter needs (each `*name` repeats the whole
//! value its `&name` anchors, so a few lines can stand for gigabytes). Checked on the text
//! before YAML reads it, in one pass.

/// Flow nesting (`[` and `{`) deeper than this is an error at the bracket that passes it.
pub const MAX_DEPTH: usize = 64;
/// The most text the aliases of one front matter may stand for, once expanded.
pub const ALIAS_BUDGET: usize = 1 << 20;

/// What is wrong with `yaml`, and the byte offset to point at.
#[derive(Debug, PartialEq, Eq)]
pub enum Limit {
    TooDeep(usize),
    AliasesTooLarge(usize),
}

/// An anchored value: where its text starts and ends, and how much its aliases add to it.
struct Anchor<'a> {
    name: &'a str,
    start: usize,
    end: usize,
    added: usize,
}

/// Checks `yaml` against both limits.
pub fn check(yaml: &str) -> Result<(), Limit> {
    let bytes = yaml.as_bytes();
    let mut depth = 0usize;
    let mut anchors: Vec<Anchor> = Vec::new();
    // Anchors whose value is still being read, innermost last.
    let mut open: Vec<usize> = Vec::new();
    let mut expanded = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        while open.last().is_some_and(|&a| anchors[a].end <= i) {
            open.pop();
        }
        match bytes[i] {
            b'"' | b'\'' => i = end_of_quoted(bytes, i),
            b'#' if i == 0 || bytes[i - 1].is_ascii_whitespace() => {
                i = yaml[i..].find('\n').map_or(bytes.len(), |n| i + n);
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(Limit::TooDeep(i));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'&' if starts_token(bytes, i) => {
                let name = name_at(yaml, i + 1);
                let end = value_end(yaml, i + 1 + name.len(), depth);
                anchors.push(Anchor {
                    name,
                    start: i,
                    end,
                    added: 0,
                });
                open.push(anchors.len() - 1);
                i += name.len();
            }
            b'*' if starts_token(bytes, i) => {
                let name = name_at(yaml, i + 1);
                // The latest anchor of that name, as YAML resolves it.
                if let Some(a) = anchors.iter().rev().find(|a| a.name == name && a.end <= i) {
                    let size = a.end - a.start + a.added;
                    expanded += size;
                    for &o in &open {
                        anchors[o].added += size;
                    }
                    if expanded > ALIAS_BUDGET {
                        return Err(Limit::AliasesTooLarge(i));
                    }
                }
                i += name.len();
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// Whether a `&` or `*` at `i` starts a token (an anchor or alias), not a character of text.
fn starts_token(bytes: &[u8], i: usize) -> bool {
    i == 0
        || matches!(
            bytes[i - 1],
            b' ' | b'\t' | b'\n' | b'[' | b'{' | b',' | b':' | b'-'
        )
}

fn name_at(yaml: &str, start: usize) -> &str {
    let rest = &yaml[start.min(yaml.len())..];
    let len = rest
        .find(|c: char| c.is_whitespace() || ",[]{}".contains(c))
        .unwrap_or(rest.len());
    &rest[..len]
}

/// The byte after a quoted scalar starting at `i` (or the end of the text).
fn end_of_quoted(bytes: &[u8], i: usize) -> usize {
    let quote = bytes[i];
    let mut j = i + 1;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' if quote == b'"' => j += 1,
            b'\'' if quote == b'\'' && bytes.get(j + 1) == Some(&b'\'') => j += 1,
            c if c == quote => return j,
            _ => {}
        }
        j += 1;
    }
    bytes.len()
}

/// Where the value anchored just before `after` ends: a bracketed collection at its closing
/// bracket, a quoted scalar at its closing quote, a block value where the indentation comes back
/// to the anchor's line's, a plain scalar at the end of its line (or at `,`, `]`, `}` inside
/// brackets).
fn value_end(yaml: &str, after: usize, depth: usize) -> usize {
    let bytes = yaml.as_bytes();
    let mut i = after;
    while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
        i += 1;
    }
    match bytes.get(i) {
        Some(b'[' | b'{') => {
            let mut level = 0usize;
            let mut j = i;
            while j < bytes.len() {
                match bytes[j] {
                    b'"' | b'\'' => j = end_of_quoted(bytes, j),
                    b'[' | b'{' => level += 1,
                    b']' | b'}' => {
                        level -= 1;
                        if level == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            bytes.len()
        }
        Some(b'"' | b'\'') => (end_of_quoted(bytes, i) + 1).min(bytes.len()),
        None | Some(b'\n' | b'#') => block_end(yaml, after),
        Some(_) if depth > 0 => yaml[i..]
            .find([',', ']', '}', '\n'])
            .map_or(bytes.len(), |n| i + n),
        Some(_) => yaml[i..].find('\n').map_or(bytes.len(), |n| i + n),
    }
}

/// The end of a block value anchored on the line holding `at`: the start of the next line
/// that is not blank and is indented no deeper than that line.
fn block_end(yaml: &str, at: usize) -> usize {
    let line_start = yaml[..at].rfind('\n').map_or(0, |n| n + 1);
    let indent = |line: &str| line.len() - line.trim_start_matches([' ', '-']).len();
    let own = indent(&yaml[line_start..]);
    let mut next = yaml[at..].find('\n').map_or(yaml.len(), |n| at + n + 1);
    while next < yaml.len() {
        let end = yaml[next..].find('\n').map_or(yaml.len(), |n| next + n);
        let line = &yaml[next..end];
        if !line.trim().is_empty() && indent(line) <= own {
            return next;
        }
        next = end + 1;
    }
    yaml.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_front_matter_passes() {
        let yaml = "title: \"A [b] {c}\"\ntags: [a, b]\nsource: {title: T, url: 'x'}\n# [[[\n";
        assert_eq!(check(yaml), Ok(()));
        assert_eq!(check("a: &x [1, 2]\nb: *x\n"), Ok(()));
    }

    #[test]
    fn deep_nesting_is_refused_at_the_bracket_past_the_limit() {
        let yaml = format!("title: {}", "[".repeat(100_000));
        assert_eq!(check(&yaml), Err(Limit::TooDeep(7 + MAX_DEPTH)));
    }

    #[test]
    fn aliases_that_stand_for_too_much_are_refused_at_the_first_that_crosses() {
        // One large value repeated.
        let big = "x".repeat(100_000);
        let yaml = format!("tags: [&a \"{big}\", {}]\n", "*a, ".repeat(50));
        let Err(Limit::AliasesTooLarge(at)) = check(&yaml) else {
            panic!("passed");
        };
        assert_eq!(&yaml[at..at + 2], "*a");
        // Aliases of aliases: ten times ten times ten … of a small value.
        let mut yaml = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut previous = 'a';
        for name in ['b', 'c', 'd', 'e', 'f', 'g'] {
            let refs = vec![format!("*{previous}"); 10].join(", ");
            yaml.push_str(&format!("{name}: &{name} [{refs}]\n"));
            previous = name;
        }
        assert!(
            matches!(check(&yaml), Err(Limit::AliasesTooLarge(_))),
            "{yaml}"
        );
    }
}
