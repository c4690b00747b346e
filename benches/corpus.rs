//! A deterministic synthetic course for size tests and benchmarks: `generate(dir, items, options)`
//! writes a complete lectern site (site.toml + content/) of `items` essays, terms and questions
//! (about 55 %, 25 % and 20 %), plus one session per ~50 items, a home page and an about page.
//! Essays have headings, lists, tables, footnotes and quotes; terms have aliases and related
//! terms; questions name essays and terms; prose mentions glossary terms and links items with
//! `[[slug]]`. The same seed always gives the same bytes.
//!
//! Words come from a Zipf distribution over a vocabulary of real words and made-up ones, so the
//! number of distinct words grows with the corpus: by default faster than in real text, since
//! the vocabulary itself grows with the course; `Words::Steady` keeps one distribution. `plan`
//! builds the course in memory and `write_lectern` writes it, so that another writer (e.g. a Hugo
//! site of the same content) can reuse the plan. Included by path from examples, tests and benches:
//! `#[path = "../benches/corpus.rs"] mod corpus;`

#![allow(dead_code)]

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// What to generate besides the number of items.
#[derive(Debug, Clone)]
pub struct Options {
    pub seed: u64,
    /// Words in an essay body, inclusive.
    pub essay_words: (usize, usize),
    /// Words in a term's or question's body, inclusive.
    pub short_words: (usize, usize),
    pub words: Words,
}

/// How the prose's content words are drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Words {
    /// Zipf's law (exponent 1.05) over 2,000 made-up words plus 4 an item: each text of a
    /// larger course draws on a larger vocabulary, and distinct words grow 7–9 times for ten
    /// times the items.
    #[default]
    Growing,
    /// One distribution at every size of course, over a million words: exponent 1 up to rank
    /// 5,000 and 2 past it, the two regimes measured in large corpora. Distinct words grow about
    /// 3.5 times for ten times the items, close to Heaps' law for English text.
    Steady,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            seed: 0x001e_c7e2,
            essay_words: (600, 2500),
            short_words: (60, 300),
            words: Words::Growing,
        }
    }
}

impl Options {
    /// Shorter bodies, for tests that need many items quickly.
    pub fn short() -> Options {
        Options {
            essay_words: (120, 400),
            short_words: (30, 90),
            ..Options::default()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Essay,
    Term,
    Question,
    Session,
}

/// One generated item, in terms any site generator understands. Bodies are Markdown whose
/// links are `[[slug]]`, `[[slug|label]]` or `[[session/N]]`.
#[derive(Debug, Clone)]
pub struct Item {
    pub kind: Kind,
    pub slug: String,
    pub title: String,
    pub summary: Option<String>,
    pub author: Option<String>,
    /// (year, month, day)
    pub date: Option<(u32, u32, u32)>,
    pub session: Option<u32>,
    pub order: Option<u32>,
    pub tags: Vec<String>,
    pub aliases: Vec<String>,
    pub related: Vec<String>,
    pub essays: Vec<String>,
    pub terms: Vec<String>,
    pub question_kind: Option<String>,
    pub number: Option<u32>,
    pub body: String,
}

impl Item {
    /// An item of `kind` with only its slug, title and body set.
    fn new(kind: Kind, slug: String, title: String, body: String) -> Item {
        Item {
            kind,
            slug,
            title,
            summary: None,
            author: None,
            date: None,
            session: None,
            order: None,
            tags: Vec::new(),
            aliases: Vec::new(),
            related: Vec::new(),
            essays: Vec::new(),
            terms: Vec::new(),
            question_kind: None,
            number: None,
            body,
        }
    }
}

/// A generated course.
#[derive(Debug, Clone)]
pub struct Course {
    pub title: String,
    pub items: Vec<Item>,
    pub home: String,
    pub about: String,
}

/// Writes a lectern site of `items` items into `dir` (created if needed).
pub fn generate(dir: &Path, items: usize, options: &Options) -> io::Result<()> {
    write_lectern(dir, &plan(items, options))
}

/// SplitMix64: tiny, fast and good enough for text that only has to look varied.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Uniform in lo..=hi.
    fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const FUNCTION_WORDS: &[&str] = &[
    "the", "of", "and", "to", "a", "in", "is", "that", "it", "as", "for", "with", "on", "not",
    "be", "by", "this", "are", "or", "but", "from", "at", "which", "what", "can", "when", "one",
    "their", "they", "we", "more", "so", "about", "how", "if", "who", "has", "have", "may", "than",
    "other", "each", "does", "into", "also", "only", "most", "some", "there", "our",
];

const TOPICAL_WORDS: &[&str] = &[
    "trust",
    "therapist",
    "patient",
    "relationship",
    "therapy",
    "rupture",
    "repair",
    "attachment",
    "reliance",
    "betrayal",
    "alliance",
    "session",
    "experience",
    "feeling",
    "question",
    "care",
    "competence",
    "vulnerability",
    "dependence",
    "distrust",
    "safety",
    "listening",
    "empathy",
    "understanding",
    "change",
    "history",
    "memory",
    "childhood",
    "parent",
    "friend",
    "group",
    "meeting",
    "reading",
    "practice",
    "training",
    "evidence",
    "research",
    "outcome",
    "method",
    "treatment",
    "problem",
    "pain",
    "shame",
    "hope",
    "fear",
    "anger",
    "silence",
    "conversation",
    "promise",
    "commitment",
    "responsibility",
    "judgment",
    "knowledge",
    "belief",
    "doubt",
    "confidence",
    "authority",
    "honesty",
    "openness",
    "mistake",
    "apology",
    "recognition",
    "acceptance",
    "respect",
    "warmth",
    "distance",
    "boundary",
    "threat",
    "protection",
    "risk",
    "courage",
    "growth",
    "recovery",
    "trauma",
    "stress",
    "support",
    "help",
    "advice",
    "teacher",
    "student",
    "clinician",
    "client",
    "doctor",
    "nurse",
    "family",
    "community",
    "culture",
    "society",
    "language",
    "meaning",
    "purpose",
    "goal",
    "task",
    "bond",
    "work",
    "life",
    "world",
    "mind",
    "body",
    "heart",
    "voice",
    "story",
    "moment",
    "time",
    "place",
    "room",
    "door",
    "bridge",
    "road",
    "path",
    "step",
    "ground",
    "ethics",
    "virtue",
    "duty",
    "freedom",
    "choice",
    "decision",
    "reason",
    "emotion",
    "thought",
    "attention",
    "presence",
    "absence",
    "loss",
    "grief",
    "joy",
    "comfort",
    "tension",
    "conflict",
    "agreement",
    "difference",
    "similarity",
    "pattern",
    "habit",
    "skill",
    "effort",
    "patience",
    "persistence",
    "failure",
    "success",
    "example",
    "case",
    "account",
    "theory",
    "model",
    "idea",
    "concept",
    "claim",
    "argument",
    "objection",
    "response",
    "answer",
    "view",
    "perspective",
    "insight",
    "surprise",
    "curiosity",
    "interest",
    "wonder",
    "caution",
    "vigilance",
    "discernment",
    "generalization",
    "mentalizing",
    "responsiveness",
    "authenticity",
    "trustworthiness",
    "wellbeing",
    "epistemic",
    "cooperative",
    "joint",
    "mutual",
    "secure",
    "anxious",
    "avoidant",
    "reliable",
    "honest",
    "careful",
    "gentle",
    "difficult",
    "important",
    "ordinary",
    "particular",
    "common",
    "simple",
    "complex",
    "early",
    "late",
    "slow",
    "quick",
    "deep",
    "shallow",
    "open",
    "closed",
    "safe",
    "fragile",
    "strong",
    "weak",
    "clear",
    "hidden",
    "shared",
    "personal",
    "professional",
];

const SYLLABLES: &[&str] = &[
    "ba", "be", "bi", "bo", "bu", "ca", "ce", "co", "da", "de", "di", "do", "fa", "fe", "fi", "ga",
    "ge", "go", "ha", "he", "hi", "ka", "ke", "ki", "la", "le", "li", "lo", "lu", "ma", "me", "mi",
    "mo", "mu", "na", "ne", "ni", "no", "pa", "pe", "pi", "po", "ra", "re", "ri", "ro", "ru", "sa",
    "se", "si", "so", "ta", "te", "ti", "to", "tu", "va", "ve", "vi", "vo", "za", "ze", "bran",
    "cor", "dren", "fal", "gar", "hol", "lin", "mar", "nor", "pel", "quin", "ros", "sten", "tal",
    "ver", "wil", "tion", "ment", "ness", "ful", "ous", "ive", "ble", "ism",
];

const ENDINGS: &[&str] = &["", "", "", "", "s", "ed", "ing", "ly", "er"];

const QUESTION_KINDS: &[&str] = &[
    "opening",
    "close reading",
    "application",
    "critique",
    "reflection",
];

const AUTHORS: &[&str] = &[
    "Ada Morrow",
    "B. Lindqvist",
    "Carmen Ortiz",
    "Dev Raman",
    "Elif Sahin",
    "F. Okafor",
];

/// Distinct content words of a steady vocabulary, at every size of course.
const STEADY_WORDS: usize = 1_000_000;
/// A steady vocabulary's words up to this rank follow Zipf's law with exponent 1, rarer ones 2.
const ZIPF_KERNEL: f64 = 5_000.0;

/// The words text is made of: function words uniformly common, content words by Zipf's law.
struct Vocabulary {
    content: Vec<String>,
    /// Cumulative Zipf weights over `content`.
    cumulative: Vec<f64>,
}

impl Vocabulary {
    /// `growing`: the distinct words of a course of that many items, for [`Words::Growing`].
    fn new(rng: &mut Rng, words: Words, growing: usize) -> Vocabulary {
        let size = match words {
            Words::Growing => growing,
            Words::Steady => STEADY_WORDS,
        };
        let mut seen: HashSet<String> = TOPICAL_WORDS.iter().map(|w| w.to_string()).collect();
        seen.extend(FUNCTION_WORDS.iter().map(|w| w.to_string()));
        let mut content: Vec<String> = TOPICAL_WORDS.iter().map(|w| w.to_string()).collect();
        while content.len() < size {
            let syllables = rng.between(2, 4);
            let word: String = (0..syllables).map(|_| *rng.pick(SYLLABLES)).collect();
            if seen.insert(word.clone()) {
                content.push(word);
            }
        }
        let mut total = 0.0;
        let cumulative = (1..=content.len())
            .map(|rank| {
                let rank = rank as f64;
                total += match words {
                    Words::Growing => 1.0 / rank.powf(1.05),
                    Words::Steady if rank <= ZIPF_KERNEL => 1.0 / rank,
                    Words::Steady => ZIPF_KERNEL / (rank * rank),
                };
                total
            })
            .collect();
        Vocabulary {
            content,
            cumulative,
        }
    }

    fn content_word(&self, rng: &mut Rng) -> &str {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let target = rng.unit() * total;
        let i = self.cumulative.partition_point(|&c| c < target);
        &self.content[i.min(self.content.len() - 1)]
    }

    fn word(&self, rng: &mut Rng) -> String {
        if rng.chance(45) {
            rng.pick(FUNCTION_WORDS).to_string()
        } else {
            let w = self.content_word(rng);
            let ending = if rng.chance(25) {
                *rng.pick(ENDINGS)
            } else {
                ""
            };
            format!("{w}{ending}")
        }
    }
}

/// Writes prose: sentences with glossary mentions and links to other items mixed in.
struct Writer<'a> {
    rng: Rng,
    vocab: &'a Vocabulary,
    /// Glossary names that prose mentions (and lectern auto-links).
    term_names: &'a [String],
    /// Slugs prose may link to with `[[slug]]`.
    link_targets: &'a [String],
    sessions: u32,
}

impl Writer<'_> {
    fn sentence(&mut self, words: usize) -> String {
        let mut out: Vec<String> = Vec::with_capacity(words + 2);
        for _ in 0..words {
            out.push(self.vocab.word(&mut self.rng));
        }
        if !self.term_names.is_empty() && self.rng.chance(30) {
            let at = self.rng.below(out.len());
            out[at] = self.rng.pick(self.term_names).to_lowercase();
        }
        if !self.link_targets.is_empty() && self.rng.chance(4) {
            let at = self.rng.below(out.len());
            out.insert(at, format!("[[{}]]", self.rng.pick(self.link_targets)));
        } else if self.sessions > 0 && self.rng.chance(1) {
            let n = self.rng.between(1, self.sessions as usize);
            out.push(format!("(see [[session/{n}]])"));
        }
        let mut s = out.join(" ");
        capitalise(&mut s);
        s.push(if self.rng.chance(8) { '?' } else { '.' });
        s
    }

    fn paragraph(&mut self, budget: &mut usize) -> String {
        let mut sentences = Vec::new();
        for _ in 0..self.rng.between(2, 6) {
            if *budget == 0 {
                break;
            }
            let n = self.rng.between(8, 24).min(*budget).max(3);
            *budget = budget.saturating_sub(n);
            sentences.push(self.sentence(n));
        }
        sentences.join(" ")
    }

    fn title(&mut self, words: usize) -> String {
        let mut parts = Vec::new();
        while parts.len() < words {
            let w = self.vocab.content_word(&mut self.rng).to_string();
            parts.push(w);
        }
        let mut s = parts.join(" ");
        capitalise(&mut s);
        s
    }

    fn list(&mut self, budget: &mut usize) -> String {
        let mut out = String::new();
        for _ in 0..self.rng.between(3, 5) {
            let n = self.rng.between(4, 12).min((*budget).max(3));
            *budget = budget.saturating_sub(n);
            let _ = writeln!(out, "- {}", self.sentence(n));
        }
        out
    }

    fn table(&mut self, budget: &mut usize) -> String {
        let cols = self.rng.between(2, 4);
        let header: Vec<String> = (0..cols).map(|_| self.title(1)).collect();
        let mut out = format!("| {} |\n|{}\n", header.join(" | "), "---|".repeat(cols));
        for _ in 0..self.rng.between(2, 4) {
            let cells: Vec<String> = (0..cols)
                .map(|_| {
                    let n = self.rng.between(1, 4);
                    (0..n)
                        .map(|_| self.vocab.word(&mut self.rng))
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            *budget = budget.saturating_sub(cols * 2);
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out
    }

    /// An essay body of about `words` words: sections under `##` headings, with a list, a
    /// table, a quote and footnotes among the paragraphs.
    fn essay(&mut self, words: usize) -> String {
        let mut budget = words;
        let mut out = String::new();
        let mut footnotes = Vec::new();
        let mut section_left = self.rng.between(150, 350);
        let mut table_done = false;
        out.push_str(&self.paragraph(&mut budget));
        out.push_str("\n\n");
        while budget > 0 {
            if section_left == 0 || section_left > budget + 400 {
                let level = if self.rng.chance(20) { "###" } else { "##" };
                let n = self.rng.between(2, 5);
                let _ = write!(out, "{level} {}\n\n", self.title(n));
                section_left = self.rng.between(150, 350);
            }
            let before = budget;
            let roll = self.rng.below(100);
            if roll < 10 {
                out.push_str(&self.list(&mut budget));
            } else if roll < 14 && !table_done {
                out.push_str(&self.table(&mut budget));
                table_done = true;
            } else if roll < 18 {
                let _ = writeln!(out, "> {}", self.paragraph(&mut budget));
            } else {
                let mut p = self.paragraph(&mut budget);
                if self.rng.chance(12) {
                    let n = footnotes.len() + 1;
                    p.push_str(&format!("[^{n}]"));
                    let words = self.rng.between(6, 14);
                    footnotes.push(self.sentence(words));
                }
                out.push_str(&p);
                out.push('\n');
            }
            out.push('\n');
            section_left = section_left.saturating_sub(before - budget);
        }
        for (n, note) in footnotes.iter().enumerate() {
            let _ = writeln!(out, "[^{}]: {note}", n + 1);
        }
        out
    }

    fn short(&mut self, words: usize) -> String {
        let mut budget = words;
        let mut out = String::new();
        while budget > 0 {
            out.push_str(&self.paragraph(&mut budget));
            out.push_str("\n\n");
        }
        out
    }
}

fn capitalise(s: &mut String) {
    if let Some(first) = s.chars().next() {
        let upper: String = first.to_uppercase().collect();
        s.replace_range(..first.len_utf8(), &upper);
    }
}

fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The slugs of a course's items, by kind.
struct Names {
    essay_slugs: Vec<String>,
    term_slugs: Vec<String>,
    question_slugs: Vec<String>,
}

/// The session of the `n`th of `count` items, spread evenly over `sessions`.
fn session_of(n: usize, count: usize, sessions: u32) -> u32 {
    (n * sessions as usize / count.max(1)) as u32 + 1
}

fn plan_essays(w: &mut Writer, names: &Names, options: &Options) -> Vec<Item> {
    let count = names.essay_slugs.len();
    let mut out = Vec::with_capacity(count);
    for (n, slug) in names.essay_slugs.iter().enumerate() {
        let words = w.rng.between(options.essay_words.0, options.essay_words.1);
        let title_words = w.rng.between(3, 6);
        let tags = (0..w.rng.between(0, 3))
            .map(|_| w.rng.pick(TOPICAL_WORDS).to_string())
            .collect();
        let summary_words = w.rng.between(10, 22);
        let title = w.title(title_words);
        let summary = Some(w.sentence(summary_words)).map(|s| strip_links(&s));
        let author = Some(w.rng.pick(AUTHORS).to_string());
        let body = w.essay(words);
        out.push(Item {
            summary,
            author,
            date: Some((2026, 1 + (n % 12) as u32, 1 + (n % 28) as u32)),
            session: Some(session_of(n, count, w.sessions)),
            order: Some((n % 50) as u32 + 1),
            tags,
            ..Item::new(Kind::Essay, slug.clone(), title, body)
        });
    }
    out
}

fn plan_terms(
    w: &mut Writer,
    names: &Names,
    terms: &[(String, Vec<String>)],
    options: &Options,
) -> Vec<Item> {
    let term_slugs = &names.term_slugs;
    let mut out = Vec::with_capacity(terms.len());
    for (n, (name, aliases)) in terms.iter().enumerate() {
        let related = (0..w.rng.between(0, 3))
            .map(|_| w.rng.pick(term_slugs).clone())
            .filter(|s| *s != term_slugs[n])
            .collect::<HashSet<_>>();
        let mut related: Vec<String> = related.into_iter().collect();
        related.sort();
        let words = w.rng.between(options.short_words.0, options.short_words.1);
        let summary_words = w.rng.between(10, 20);
        let summary = Some(strip_links(&w.sentence(summary_words)));
        let body = w.short(words);
        out.push(Item {
            summary,
            aliases: aliases.clone(),
            related,
            ..Item::new(Kind::Term, term_slugs[n].clone(), name.clone(), body)
        });
    }
    out
}

fn plan_questions(w: &mut Writer, names: &Names, options: &Options) -> Vec<Item> {
    let count = names.question_slugs.len();
    let pick_some = |rng: &mut Rng, from: &[String], max: usize| {
        let mut v: Vec<String> = (0..rng.between(1, max))
            .filter(|_| !from.is_empty())
            .map(|_| rng.pick(from).clone())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let mut out = Vec::with_capacity(count);
    for (n, slug) in names.question_slugs.iter().enumerate() {
        let essays = pick_some(&mut w.rng, &names.essay_slugs, 2);
        let terms = pick_some(&mut w.rng, &names.term_slugs, 3);
        let related = if n > 0 && w.rng.chance(40) {
            vec![names.question_slugs[w.rng.below(n)].clone()]
        } else {
            Vec::new()
        };
        let title_words = w.rng.between(6, 14);
        let mut title = strip_links(&w.sentence(title_words));
        title.pop();
        title.push('?');
        let words = w.rng.between(options.short_words.0, options.short_words.1);
        let mut body = w.short(words);
        if w.rng.chance(30) {
            body.push_str("## Facilitator notes\n\n");
            let words = w.rng.between(20, 60);
            body.push_str(&w.short(words));
        }
        let question_kind = Some(w.rng.pick(QUESTION_KINDS).to_string());
        out.push(Item {
            session: Some(session_of(n, count, w.sessions)),
            order: Some((n % 50) as u32 + 1),
            related,
            essays,
            terms,
            question_kind,
            ..Item::new(Kind::Question, slug.clone(), title, body)
        });
    }
    out
}

fn plan_sessions(w: &mut Writer, sessions: u32) -> Vec<Item> {
    (1..=sessions)
        .map(|n| {
            let title_words = w.rng.between(2, 4);
            let title = format!("Week {n}: {}", w.title(title_words));
            let summary_words = w.rng.between(10, 18);
            let words = w.rng.between(40, 120);
            let summary = Some(strip_links(&w.sentence(summary_words)));
            let body = w.short(words);
            Item {
                summary,
                date: Some((2026, 1 + (n % 12), 1 + (n % 28))),
                number: Some(n),
                ..Item::new(Kind::Session, format!("week-{n}"), title, body)
            }
        })
        .collect()
}

/// The course in memory: `items` essays, terms and questions, and the sessions that group them.
pub fn plan(items: usize, options: &Options) -> Course {
    let mut rng = Rng(options.seed);
    // Made-up words grow with the course, as new texts bring new words; a larger glossary
    // defines rarer ones.
    let growing = TOPICAL_WORDS.len() + 2_000 + items * 4;
    let vocab = Vocabulary::new(&mut rng, options.words, growing);
    let terms_count = items / 4;
    let questions_count = items / 5;
    let essays_count = items - terms_count - questions_count;
    let sessions = items.div_ceil(50).max(1) as u32;

    let terms = term_names(&mut rng, &vocab, terms_count, growing);
    let names = Names {
        term_slugs: terms.iter().map(|(name, _)| slugify(name)).collect(),
        essay_slugs: (0..essays_count)
            .map(|n| format!("essay-{}", n + 1))
            .collect(),
        question_slugs: (0..questions_count)
            .map(|n| format!("question-{}", n + 1))
            .collect(),
    };
    let term_names: Vec<String> = terms.iter().map(|(name, _)| name.clone()).collect();
    let mut link_targets: Vec<String> = names.essay_slugs.clone();
    link_targets.extend(names.term_slugs.iter().cloned());
    link_targets.extend(names.question_slugs.iter().cloned());

    let mut w = Writer {
        rng: Rng(rng.next()),
        vocab: &vocab,
        term_names: &term_names,
        link_targets: &link_targets,
        sessions,
    };
    let mut out = Vec::with_capacity(items + sessions as usize);
    out.extend(plan_essays(&mut w, &names, options));
    out.extend(plan_terms(&mut w, &names, &terms, options));
    out.extend(plan_questions(&mut w, &names, options));
    out.extend(plan_sessions(&mut w, sessions));
    let home = format!(
        "A generated course of {items} items. Start with [[session/1]].\n\n{}\n",
        w.short(60)
    );
    let about = format!("About this generated course.\n\n{}\n", w.short(80));
    Course {
        title: format!("Generated course ({items} items)"),
        items: out,
        home,
        about,
    }
}

/// Glossary names, unique ignoring case, each with up to two aliases that differ from every
/// name, alias and slug.
/// How many of the most frequent content words are too common to name a glossary term.
const COMMON_RANKS: usize = 300;

/// Names come from the vocabulary's first `ranks` words.
fn term_names(
    rng: &mut Rng,
    vocab: &Vocabulary,
    count: usize,
    ranks: usize,
) -> Vec<(String, Vec<String>)> {
    let mut used: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(count);
    // A glossary defines specialised words, not the commonest ones: names come from the rarer
    // part of the vocabulary (uniformly, past the most frequent words), so that prose meets them
    // about as often as a real course's prose meets its glossary, mostly where it means to.
    let ranks = ranks.min(vocab.content.len());
    let common = COMMON_RANKS.min(ranks / 2);
    let name_of = |rng: &mut Rng, words: usize| {
        let parts: Vec<&str> = (0..words)
            .map(|_| vocab.content[rng.between(common, ranks - 1)].as_str())
            .collect();
        let mut name = parts.join(" ");
        capitalise(&mut name);
        name
    };
    while out.len() < count {
        let words = if rng.chance(40) { 1 } else { 2 };
        let name = name_of(rng, words);
        let key = name.to_lowercase();
        if used.contains(&key) || used.contains(&slugify(&name)) {
            continue;
        }
        used.insert(key);
        used.insert(slugify(&name));
        let mut aliases = Vec::new();
        for _ in 0..rng.between(0, 2) {
            // Two words, so never equal to a slug.
            let alias = name_of(rng, 2).to_lowercase();
            if used.insert(alias.clone()) {
                aliases.push(alias);
            }
        }
        out.push((name, aliases));
    }
    out
}

/// Front matter summaries and titles are plain text.
fn strip_links(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find("[[") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("]]") {
            Some(end) => {
                let inner = &after[..end];
                let label = inner.split('|').next_back().unwrap_or(inner);
                out.push_str(label.rsplit('/').next().unwrap_or(label));
                rest = &after[end + 2..];
            }
            None => {
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.replace(" (see )", "").replace('"', "")
}

fn yaml_list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

/// Writes `course` as a lectern site.
pub fn write_lectern(dir: &Path, course: &Course) -> io::Result<()> {
    let content = dir.join("content");
    for sub in ["essays", "glossary", "questions", "sessions"] {
        std::fs::create_dir_all(content.join(sub))?;
    }
    std::fs::write(
        dir.join("site.toml"),
        format!(
            "title = \"{}\"\ndescription = \"A synthetic course for tests and benchmarks\"\nbase_url = \"https://example.org/course/\"\nlanguage = \"en\"\n",
            course.title
        ),
    )?;
    std::fs::write(
        content.join("_index.md"),
        format!("---\ntitle: \"{}\"\n---\n\n{}", course.title, course.home),
    )?;
    std::fs::write(
        content.join("about.md"),
        format!("---\ntitle: \"About\"\n---\n\n{}", course.about),
    )?;
    for item in &course.items {
        let (folder, front) = front_matter(item);
        let path = content.join(folder).join(format!("{}.md", item.slug));
        std::fs::write(path, format!("---\n{front}---\n\n{}", item.body))?;
    }
    Ok(())
}

fn front_matter(item: &Item) -> (&'static str, String) {
    let mut f = String::new();
    let date = |(y, m, d): (u32, u32, u32)| format!("{y:04}-{m:02}-{d:02}");
    match item.kind {
        Kind::Essay => {
            let _ = writeln!(f, "title: \"{}\"", item.title);
            if let Some(a) = &item.author {
                let _ = writeln!(f, "author: \"{a}\"");
            }
            if let Some(d) = item.date {
                let _ = writeln!(f, "date: {}", date(d));
            }
            if let Some(s) = &item.summary {
                let _ = writeln!(f, "summary: \"{s}\"");
            }
            if let Some(s) = item.session {
                let _ = writeln!(f, "session: {s}");
            }
            if let Some(o) = item.order {
                let _ = writeln!(f, "order: {o}");
            }
            if !item.tags.is_empty() {
                let _ = writeln!(f, "tags: {}", yaml_list(&item.tags));
            }
            ("essays", f)
        }
        Kind::Term => {
            let _ = writeln!(f, "term: \"{}\"", item.title);
            let _ = writeln!(f, "summary: \"{}\"", item.summary.as_deref().unwrap_or(""));
            if !item.aliases.is_empty() {
                let quoted: Vec<String> = item.aliases.iter().map(|a| format!("\"{a}\"")).collect();
                let _ = writeln!(f, "aliases: {}", yaml_list(&quoted));
            }
            if !item.related.is_empty() {
                let _ = writeln!(f, "related: {}", yaml_list(&item.related));
            }
            ("glossary", f)
        }
        Kind::Question => {
            let _ = writeln!(f, "title: \"{}\"", item.title);
            if !item.essays.is_empty() {
                let _ = writeln!(f, "essays: {}", yaml_list(&item.essays));
            }
            if !item.terms.is_empty() {
                let _ = writeln!(f, "terms: {}", yaml_list(&item.terms));
            }
            if !item.related.is_empty() {
                let _ = writeln!(f, "related: {}", yaml_list(&item.related));
            }
            if let Some(s) = item.session {
                let _ = writeln!(f, "session: {s}");
            }
            if let Some(o) = item.order {
                let _ = writeln!(f, "order: {o}");
            }
            if let Some(k) = &item.question_kind {
                let _ = writeln!(f, "kind: {k}");
            }
            ("questions", f)
        }
        Kind::Session => {
            let _ = writeln!(f, "title: \"{}\"", item.title);
            let _ = writeln!(f, "number: {}", item.number.unwrap_or(1));
            if let Some(d) = item.date {
                let _ = writeln!(f, "date: {}", date(d));
            }
            if let Some(s) = &item.summary {
                let _ = writeln!(f, "summary: \"{s}\"");
            }
            ("sessions", f)
        }
    }
}

/// Writes `course` as a Hugo site with the same content: YAML front matter, links as
/// `[label](/section/slug/)`, and minimal layouts that render every page's body, so that the two
/// generators can be timed on the same work.
pub fn write_hugo(dir: &Path, course: &Course) -> io::Result<()> {
    let content = dir.join("content");
    for sub in ["essays", "glossary", "questions", "sessions"] {
        std::fs::create_dir_all(content.join(sub))?;
    }
    std::fs::write(
        dir.join("hugo.yaml"),
        format!(
            "baseURL: https://example.org/course/\ntitle: \"{}\"\nlanguageCode: en\ndisableKinds: [taxonomy, term, RSS]\nmarkup:\n  goldmark:\n    extensions:\n      typographer: true\n    renderer:\n      unsafe: false\n",
            course.title
        ),
    )?;
    let layouts = dir.join("layouts/_default");
    std::fs::create_dir_all(&layouts)?;
    let page = |main: &str| {
        format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{{{ .Title }}}} · {{{{ .Site.Title }}}}</title></head><body><header><a href=\"{{{{ .Site.Home.RelPermalink }}}}\">{{{{ .Site.Title }}}}</a></header><main>{main}</main></body></html>\n"
        )
    };
    std::fs::write(
        layouts.join("single.html"),
        page(
            "<h1>{{ .Title }}</h1>{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}{{ .TableOfContents }}{{ .Content }}",
        ),
    )?;
    std::fs::write(
        layouts.join("list.html"),
        page(
            "<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>",
        ),
    )?;
    std::fs::write(
        dir.join("layouts/index.html"),
        page("<h1>{{ .Title }}</h1>{{ .Content }}"),
    )?;

    let section = |kind: Kind| match kind {
        Kind::Essay => "essays",
        Kind::Term => "glossary",
        Kind::Question => "questions",
        Kind::Session => "sessions",
    };
    let mut urls: std::collections::HashMap<String, (String, String)> =
        std::collections::HashMap::new();
    for item in &course.items {
        let url = match item.kind {
            Kind::Session => format!("/sessions/{}/", item.number.unwrap_or(1)),
            kind => format!("/{}/{}/", section(kind), item.slug),
        };
        if let Some(n) = item.number.filter(|_| item.kind == Kind::Session) {
            urls.insert(format!("session/{n}"), (url.clone(), item.title.clone()));
        }
        urls.insert(item.slug.clone(), (url, item.title.clone()));
    }
    let home = hugo_links(&course.home, &urls);
    std::fs::write(
        content.join("_index.md"),
        format!("---\ntitle: \"{}\"\n---\n\n{home}", course.title),
    )?;
    std::fs::write(
        content.join("about.md"),
        format!(
            "---\ntitle: \"About\"\n---\n\n{}",
            hugo_links(&course.about, &urls)
        ),
    )?;
    for item in &course.items {
        let (folder, mut front) = front_matter(item);
        if item.kind == Kind::Session {
            let _ = writeln!(front, "url: /sessions/{}/", item.number.unwrap_or(1));
        }
        if item.kind == Kind::Term {
            // Hugo pages need a title; lectern calls it `term`.
            front = front.replacen("term: ", "title: ", 1);
        }
        let body = hugo_links(&item.body, &urls);
        std::fs::write(
            content.join(folder).join(format!("{}.md", item.slug)),
            format!("---\n{front}---\n\n{body}"),
        )?;
    }
    Ok(())
}

/// `[[slug]]`, `[[slug|label]]` and `[[session/N]]` as Markdown links.
fn hugo_links(body: &str, urls: &std::collections::HashMap<String, (String, String)>) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("[[") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("]]") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = &after[..end];
        let (target, label) = inner
            .split_once('|')
            .map_or((inner, None), |(t, l)| (t, Some(l)));
        let (slug, fragment) = target
            .split_once('#')
            .map_or((target, None), |(s, f)| (s, Some(f)));
        match urls.get(slug) {
            Some((url, title)) => {
                let href = fragment.map_or_else(|| url.clone(), |f| format!("{url}#{f}"));
                let _ = write!(out, "[{}]({href})", label.unwrap_or(title));
            }
            None => out.push_str(label.unwrap_or(target)),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}
