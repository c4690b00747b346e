//! Words for search: how text splits into words and hyphenated words, how a word is folded
//! (case, accents, apostrophes), which words are too common to index on their own, and stemming.
//! The client applies the same splitting and folding to a query (see `js/search-index.js`), so
//! the two must change together.

use rust_stemmers::{Algorithm, Stemmer};

use crate::text::fold;

/// Words longer than this are not words a reader types (URLs, hashes) and are not indexed.
const MAX_WORD_CHARS: usize = 40;

/// One word: as folded from the text, its stem (the key it is indexed under), and whether it is
/// a stop word. A hyphenated word ("well-being") is also a word of its own, its parts joined
/// ("wellbeing"), and never a stop word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub surface: String,
    pub stem: String,
    pub stop: bool,
}

/// Splitting, stop words and stemming for one language.
pub struct Analyzer {
    stemmer: Option<Stemmer>,
    stop_words: &'static [&'static str],
}

impl Analyzer {
    /// The analyzer for a site.toml `language` such as `en` or `en-GB`. Languages without a
    /// Snowball stemmer are indexed word for word; English, German, French, Spanish and Dutch
    /// have stop-word lists.
    pub fn new(language: &str) -> Analyzer {
        let primary = language
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let algorithm = match primary.as_str() {
            "ar" => Some(Algorithm::Arabic),
            "da" => Some(Algorithm::Danish),
            "nl" => Some(Algorithm::Dutch),
            "en" => Some(Algorithm::English),
            "fi" => Some(Algorithm::Finnish),
            "fr" => Some(Algorithm::French),
            "de" => Some(Algorithm::German),
            "el" => Some(Algorithm::Greek),
            "hu" => Some(Algorithm::Hungarian),
            "it" => Some(Algorithm::Italian),
            "no" | "nb" | "nn" => Some(Algorithm::Norwegian),
            "pt" => Some(Algorithm::Portuguese),
            "ro" => Some(Algorithm::Romanian),
            "ru" => Some(Algorithm::Russian),
            "es" => Some(Algorithm::Spanish),
            "sv" => Some(Algorithm::Swedish),
            "ta" => Some(Algorithm::Tamil),
            "tr" => Some(Algorithm::Turkish),
            _ => None,
        };
        Analyzer {
            stemmer: algorithm.map(Stemmer::create),
            stop_words: match primary.as_str() {
                "en" => super::stop_words::ENGLISH,
                "de" => super::stop_words::GERMAN,
                "fr" => super::stop_words::FRENCH,
                "es" => super::stop_words::SPANISH,
                "nl" => super::stop_words::DUTCH,
                _ => &[],
            },
        }
    }

    /// Whether words are stemmed (false for languages without a Snowball stemmer).
    pub fn stems(&self) -> bool {
        self.stemmer.is_some()
    }

    pub fn stop_words(&self) -> &'static [&'static str] {
        self.stop_words
    }

    pub fn is_stop_word(&self, folded: &str) -> bool {
        self.stop_words.binary_search(&folded).is_ok()
    }

    /// The words of `text` indexed in running text, in order: every word but stop words, and
    /// every part of a hyphenated word (the "being" of "well-being" included).
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        for run in runs(text) {
            let mut parts = words(run).filter_map(|w| self.token(w)).peekable();
            let Some(first) = parts.next() else { continue };
            let joined = parts.peek().is_some();
            out.extend(
                std::iter::once(first)
                    .chain(parts)
                    .filter(|t| joined || !t.stop),
            );
        }
        out
    }

    /// The words of `text` as a query reads them: a hyphenated word is one word (its parts
    /// joined), and stop words are kept, marked.
    pub fn terms(&self, text: &str) -> Vec<Token> {
        runs(text).filter_map(|run| self.token(run)).collect()
    }

    /// A word of `words(text)`, or a hyphenated word of `runs(text)`, analysed; None when it is
    /// not indexed at all (overlong, or nothing left once folded).
    pub fn token(&self, word: &str) -> Option<Token> {
        let joined: String;
        let (word, compound) = if word.contains(is_hyphen) {
            joined = word.chars().filter(|c| !is_hyphen(*c)).collect();
            (joined.as_str(), true)
        } else {
            (word, false)
        };
        if word.chars().count() > MAX_WORD_CHARS {
            return None;
        }
        let lower = word.to_lowercase().replace('’', "'");
        let surface = fold(&lower);
        if surface.is_empty() {
            return None;
        }
        // Stemmers expect the language's own accents, so stem first and fold the result.
        let stem = match &self.stemmer {
            Some(s) => fold(&s.stem(&lower)),
            None => surface.clone(),
        };
        let stem = if stem.is_empty() {
            surface.clone()
        } else {
            stem
        };
        let stop = !compound && self.is_stop_word(&surface);
        Some(Token {
            surface,
            stem,
            stop,
        })
    }
}

/// The words of `text`: runs of letters and digits, with apostrophes kept between letters
/// ("therapist's"); everything else separates words, hyphens included ("self-reliance").
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let start = rest.find(char::is_alphanumeric)?;
        let tail = &rest[start..];
        let mut end = tail.len();
        let mut chars = tail.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c.is_alphanumeric() {
                continue;
            }
            let joins = is_apostrophe(c) && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric());
            if !joins {
                end = i;
                break;
            }
        }
        let word = &tail[..end];
        rest = &tail[end..];
        Some(word)
    })
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// A hyphen that joins two words into one ("well-being"): the ASCII one, Unicode's hyphen and
/// its non-breaking form. Dashes separate words.
pub fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// The words of `text` with hyphenated words kept whole: each item is a word of `words`, or
/// several of them joined each to the next by a single hyphen ("self-reliance", "up-to-date").
pub fn runs(text: &str) -> impl Iterator<Item = &str> {
    marked_runs(text).map(|(run, _)| run)
}

/// `runs(text)`, each with whether it is hyphenated (several words).
pub fn marked_runs(text: &str) -> impl Iterator<Item = (&str, bool)> {
    let at = |word: &str| word.as_ptr() as usize - text.as_ptr() as usize;
    let mut words = words(text).peekable();
    std::iter::from_fn(move || {
        let first = words.next()?;
        let start = at(first);
        let mut end = start + first.len();
        let mut joined = false;
        while let Some(next) = words.peek() {
            // One hyphen, and the next word right after it.
            let Some(c) = text[end..].chars().next().filter(|&c| is_hyphen(c)) else {
                break;
            };
            if at(next) != end + c.len_utf8() {
                break;
            }
            end = at(next) + next.len();
            joined = true;
            words.next();
        }
        Some((&text[start..end], joined))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(a: &Analyzer, text: &str) -> Vec<String> {
        a.tokens(text).into_iter().map(|t| t.stem).collect()
    }

    #[test]
    fn words_split_on_hyphens_and_keep_inner_apostrophes() {
        let w: Vec<&str> = words("Self-reliance: the therapist’s 'own' trust, 2021.").collect();
        assert_eq!(
            w,
            [
                "Self",
                "reliance",
                "the",
                "therapist’s",
                "own",
                "trust",
                "2021"
            ]
        );
    }

    #[test]
    fn english_inflections_share_a_stem() {
        let a = Analyzer::new("en");
        let s = stems(&a, "rupture ruptures ruptured trusting trusted trusts");
        assert_eq!(s[0], s[1]);
        assert_eq!(s[1], s[2]);
        assert_eq!(s[3], "trust");
        assert_eq!(s[4], "trust");
        assert_eq!(s[5], "trust");
    }

    #[test]
    fn stop_words_are_not_indexed_but_their_neighbours_are() {
        let a = Analyzer::new("en-GB");
        let t = a.tokens("The trust of the group");
        let surfaces: Vec<&str> = t.iter().map(|t| t.surface.as_str()).collect();
        assert_eq!(surfaces, ["trust", "group"]);
    }

    #[test]
    fn hyphenated_words_are_runs_and_their_stop_word_parts_are_indexed() {
        let r: Vec<&str> = runs("Well-being, self‑reliance - and up-to-date-").collect();
        assert_eq!(r, ["Well-being", "self‑reliance", "and", "up-to-date"]);
        let a = Analyzer::new("en");
        let surfaces = |ts: Vec<Token>| ts.into_iter().map(|t| t.surface).collect::<Vec<_>>();
        assert_eq!(
            surfaces(a.tokens("The well-being of us")),
            ["well", "being", "us"]
        );
        let terms = a.terms("The well-being of us");
        assert_eq!(surfaces(terms.clone()), ["the", "wellbeing", "of", "us"]);
        let stops: Vec<bool> = terms.iter().map(|t| t.stop).collect();
        assert_eq!(stops, [true, false, true, false]);
        assert_eq!(a.token("well-being"), a.token("wellbeing"));
    }

    #[test]
    fn possessives_stem_to_the_noun() {
        let a = Analyzer::new("en");
        let t = a.tokens("the therapist’s trust");
        assert_eq!(t[0].surface, "therapist's");
        assert_eq!(t[0].stem, "therapist");
    }

    #[test]
    fn unknown_languages_index_words_as_written() {
        let a = Analyzer::new("xx");
        assert!(!a.stems());
        assert_eq!(stems(&a, "Ruptures the"), ["ruptures", "the"]);
    }

    #[test]
    fn other_languages_stem_with_their_own_rules() {
        let a = Analyzer::new("fr");
        let s = stems(&a, "confiance confiances");
        assert_eq!(s[0], s[1]);
        assert!(
            a.is_stop_word("etre"),
            "folded, as the words it is given are"
        );
        assert!(Analyzer::new("it").stop_words().is_empty());
    }
}
