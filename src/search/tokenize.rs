//! Words for search: how text splits into words, how a word is folded (case, accents,
//! apostrophes), which words are too common to index, and stemming. The client applies the same
//! splitting and folding to a query (see `js/search-index.js`), so the two must change together.

use rust_stemmers::{Algorithm, Stemmer};

use crate::text::fold;

/// Words longer than this are not words a reader types (URLs, hashes) and are not indexed.
const MAX_WORD_CHARS: usize = 40;

/// One indexed word: as folded from the text, and its stem (the key it is indexed under).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub surface: String,
    pub stem: String,
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
                "en" => ENGLISH_STOP_WORDS,
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

    /// The indexed words of `text`, in order; stop words and overlong words are left out.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        words(text).filter_map(|w| self.token(w)).collect()
    }

    /// One word of `words(text)` analysed, or None when it is not indexed.
    pub fn token(&self, word: &str) -> Option<Token> {
        if word.chars().count() > MAX_WORD_CHARS {
            return None;
        }
        let lower = word.to_lowercase().replace('’', "'");
        let surface = fold(&lower);
        if surface.is_empty() || self.is_stop_word(&surface) {
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
        Some(Token { surface, stem })
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

/// Sorted, for binary search; folded like any word. Words a query is unlikely to mean, whose
/// postings would otherwise be the largest files of the index.
const ENGLISH_STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "it's",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(a: &Analyzer, text: &str) -> Vec<String> {
        a.tokens(text).into_iter().map(|t| t.stem).collect()
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        use super::super::stop_words::{DUTCH, FRENCH, GERMAN, SPANISH};
        for list in [ENGLISH_STOP_WORDS, GERMAN, FRENCH, SPANISH, DUTCH] {
            assert!(list.windows(2).all(|w| w[0] < w[1]));
            assert!(list.iter().all(|w| crate::text::fold(w) == *w));
        }
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
