// The search engine: reads the static index under /search/ (see src/search/files.rs for its
// format) and answers queries. Nothing is fetched until it is first asked; then only the
// manifest, the dictionary shard a word falls in, that word's best postings and the passages of
// the results to show. Words are split and folded exactly as the build does
// (src/search/tokenize.rs): a hyphenated word is one word, its parts joined.
//
// No page is needed: this module touches no DOM, so it runs in Node as well as in the browser
// (give `SearchIndex` a function that loads a file, or let it use the global `fetch`). The page
// around it is js/search.js.

const VERSION = 4;
/** How a candidate word counts, by how it matched what was typed. */
const WEIGHT = { exact: 1, inflection: 0.85, prefix: 0.7, typo: 0.55, typoPrefix: 0.4 };
/** Matches that take the word as written (or a form of it); the others guess. */
const TAKEN_AS_WRITTEN = new Set(["exact", "inflection"]);
/** A last word shorter than this is not expanded as a prefix: two letters match too much to
 * help, and each would fetch its own results' passages while the reader is still typing. */
const MIN_PREFIX = 3;
/** Words a prefix or a typo may stand for, most frequent first. */
const MAX_EXPANSIONS = 8;
/** Dictionary shards a misspelt word may fetch to find what was meant. */
const MAX_TYPO_SHARDS = 4;
/** Further postings chunks fetched at most, for filters and multi-word queries. */
const MAX_EXTRA_ROUNDS = 3;
/** Results a search is for when the caller does not say. */
const DEFAULT_LIMIT = 20;
const WORD_CHARS = "[\\p{Alphabetic}\\p{N}]+(?:['’][\\p{Alphabetic}\\p{N}]+)*";
const WORD = new RegExp(WORD_CHARS, "gu");
/** A word, or words joined each to the next by one hyphen ("well-being"). */
const RUN = new RegExp(`${WORD_CHARS}(?:[-\u2010\u2011]${WORD_CHARS})*`, "gu");
const HYPHEN = /[-\u2010\u2011]/;
/** Joins the stems of a glossary name or tag of several words into the key it is indexed under. */
const PHRASE_JOIN = "_";
/** A query of this many words or more finds pages that lack one of them (see `enough`). */
const QUORUM_WORDS = 3;
/** Words of the longest name looked up from consecutive query words. */
const MAX_PHRASE_WORDS = 4;
/** Sorts after every key: `[w, w + LAST]` holds the keys that begin with `w`. */
const LAST = "\u{10ffff}";
/** Endings by which a word of the text may be a form of a matched stem that the dictionary's
 * short list of its words left out ("repairs" of "repair"), for highlighting. */
const INFLECTIONS = ["s", "es", "ed", "d", "ing", "'s"];

/** Lowercase, accents removed, typographic apostrophes made plain: as the build folds words. */
export function fold(word) {
  return word.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "").replace(/’/g, "'");
}

/**
 * The query's words, folded: `{text, prefix, stop, parts}`. A hyphenated word is one word, its
 * parts joined (`parts` lists them). `stop` marks a stop word. `prefix` marks the last word when
 * `typing` says it is still being typed (the query does not end with a space or punctuation).
 */
export function parseQuery(query, stopWords = [], typing = false) {
  const runs = query.match(RUN) || [];
  const open = typing && runs.length > 0 && !/[\s\p{P}]$/u.test(query);
  const stop = new Set(stopWords);
  const words = [];
  runs.forEach((run, i) => {
    const parts = (run.match(WORD) || []).map(fold);
    const text = parts.join("");
    if (charCount(text) > 40) return;
    const joined = parts.length > 1;
    words.push({ text, prefix: open && i === runs.length - 1, stop: !joined && stop.has(text), parts: joined ? parts : null });
  });
  return words;
}

/** Optimal string alignment distance, giving up past `max`. */
export function editDistance(a, b, max) {
  a = Array.from(a);
  b = Array.from(b);
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2 = null;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length];
}

/**
 * The excerpt of a passage to show, as runs of text: `{cut, parts}`, each part `{text, match}`
 * with the matched words (by `isMatch`, see `SearchIndex.highlighter`) in runs of their own.
 * Text well before the first match is left out (`cut`), keeping about eight words before it.
 */
export function excerptParts(text, isMatch) {
  const tokens = excerptTokens(text, isMatch);
  const start = excerptStart(tokens);
  const parts = [];
  let plain = "";
  for (const t of tokens.slice(start)) {
    if (t.match) {
      if (plain) parts.push({ text: plain, match: false });
      plain = "";
      parts.push({ text: t.text, match: true });
    } else {
      plain += t.text;
    }
  }
  if (plain) parts.push({ text: plain, match: false });
  return { cut: start > 0, parts };
}

/** Thrown by a gate (see `SearchIndex.gate`) to give a query up. */
export class Superseded extends Error {}

/** The index: files fetched on demand and kept for the page's lifetime. */
export class SearchIndex {
  /** `root`: URL of the /search/ folder. `load(url)` → parsed JSON (fetch by default; a
   * loader of its own may hand the file's bytes to `readJson`). */
  constructor(root, load) {
    this.root = String(root);
    this.load = load || fetchJson;
    this.files = new Map();
    this.shards = new Map();
    /** Called with a part's name before fetching it; may wait, or throw `Superseded`. */
    this.gate = null;
  }

  async manifest() {
    if (!this.manifestValue) {
      const m = await this.file("manifest.json");
      if (!m || m.version !== VERSION) throw new Error("the search index is from another version of lectern");
      this.manifestValue = m;
    }
    return this.manifestValue;
  }

  async file(path, name = path) {
    let p = this.files.get(path);
    if (!p) {
      if (this.gate) await this.gate(name);
      p = this.files.get(path);
      if (!p) {
        p = this.load(this.root + path);
        this.files.set(path, p);
        p.catch(() => this.files.delete(path));
      }
    }
    return p;
  }

  async part(name) {
    const m = await this.manifest();
    if (m.single) return m.index[name];
    // Names may hold any letter a stem does (`x/épist-1`); the id keeps caches from mixing builds.
    return this.file(`${encodeURI(name)}.json.gz?v=${m.id}`, name);
  }

  shardOf(m, key) {
    let lo = 0;
    let hi = m.dict.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (compare(m.dict[mid], key) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Dictionary shard `n` as records (see `parseShard`). */
  async shard(n) {
    // Parsed once; the file's own promise is what concurrent queries share, so that a query
    // given up while it waited never fails another that needs the same shard.
    if (!this.shards.has(n)) {
      const raw = await this.part(`d/${n}`);
      if (!this.shards.has(n)) this.shards.set(n, parseShard(raw));
    }
    return this.shards.get(n);
  }

  /** Records whose keys fall between `lo` and `hi`, inclusive. */
  async range(lo, hi) {
    const m = await this.manifest();
    const first = this.shardOf(m, lo);
    const last = this.shardOf(m, hi);
    const shards = [];
    for (let n = first; n <= last; n++) shards.push(this.shard(n));
    const out = [];
    for (const records of await Promise.all(shards)) {
      for (const r of records) if (compare(r.key, lo) >= 0 && compare(r.key, hi) <= 0) out.push(r);
    }
    return out;
  }

  /** Records that might be a misspelling of `w`: those with its first letter, or on a large
   * site (where that is many shards) its first two letters either way round. */
  async near(w) {
    const m = await this.manifest();
    const [a, b] = Array.from(w);
    if (this.shardOf(m, a + LAST) - this.shardOf(m, a) < MAX_TYPO_SHARDS) return this.range(a, a + LAST);
    const out = await Promise.all([a + b, b + a].map((p) => this.range(p, p + LAST)));
    return out.flat();
  }

  async stem(key) {
    const m = await this.manifest();
    const records = await this.shard(this.shardOf(m, key));
    return records.find((r) => r.key === key && r.id !== undefined) || null;
  }

  /** The stems `word` may mean, each with how it matched: the word itself (or a form of it),
   * words it begins (when still being typed), a stem it inflects, or a near spelling. With
   * `asWritten`, only the word itself or a form of it. */
  async candidates(word, asWritten = false) {
    const w = word.text;
    const found = new Matches(this);
    const near = await this.range(prefixOf(w, Math.max(3, charCount(w) - 3)), word.prefix ? w + LAST : w);
    await found.add(near.filter((r) => r.key === w), "exact");
    // A form the course never uses: "rupturing" still finds the stem "ruptur".
    if (!found.size) await found.add(near.filter((r) => inflects(w, r)), "inflection");
    if (asWritten) return found.best();
    if (word.prefix && charCount(w) >= MIN_PREFIX) await found.add(near.filter((r) => r.key !== w && r.key.startsWith(w)), "prefix");
    if (!found.size && typoLimit(w) > 0) await this.addTypos(word, found);
    return found.best();
  }

  /** Adds to `found` the stems `word` may be a misspelling of. */
  async addTypos(word, found) {
    const w = word.text;
    const limit = typoLimit(w);
    const alike = await this.near(w);
    await found.add(alike.filter((r) => editDistance(w, r.key, limit) <= limit), "typo");
    // Only while no whole word is near: "trsu" may be becoming "trust" or "trustworthy".
    if (word.prefix && !found.size) {
      const n = charCount(w);
      await found.add(alike.filter((r) => editDistance(w, prefixOf(r.key, n), limit) <= limit), "typoPrefix");
    }
  }

  /** Postings chunk `k` of a stem: `[document, score, passage…]`, best first. A short last
   * chunk is in a tail file shared with other stems. */
  async chunk(stem, k) {
    if (k === 0) return (await this.part(`p/${stem.group}`))[stem.id] || [];
    const m = await this.manifest();
    if (k === stem.chunks - 1 && hasTail(m, stem.df)) {
      return ((await this.part(`t/${tailOf(stem.key, m.tails)}`)) || {})[stem.key] || [];
    }
    return (await this.part(`x/${stem.key}-${k}`)) || [];
  }

  /** Passage `n` of document `doc`: `{title, url, headingId, heading, text}`. */
  async passage(doc, n) {
    const m = await this.manifest();
    const { name, entry, index } = fragmentOf(m, doc, n);
    const file = await this.part(name);
    const found = file && file[entry];
    if (!found) return null;
    const [title, url, passages] = found;
    let heading = ["", ""];
    let text = null;
    for (let i = 0; i <= index && i < passages.length; i++) {
      const p = passages[i];
      if (p.length === 3) heading = [p[0], p[1]];
      if (i === index) text = p[p.length - 1];
    }
    if (text === null) return { title, url, headingId: "", heading: "", text: "" };
    return { title, url, headingId: heading[0], heading: heading[1], text };
  }

  kindOf(m, doc) {
    for (const [kind, [start, end]] of Object.entries(m.kinds)) if (doc >= start && doc < end) return kind;
    return "page";
  }

  questionKindOf(m, doc) {
    const hit = m.question_kinds.find(([, start, end]) => doc >= start && doc < end);
    return hit ? hit[0] : null;
  }

  /**
   * Searches. `options.kind` ("essay", …) and `options.questionKind` filter; `options.limit` is
   * how many results the caller will show; `options.typing` says the last word is still being
   * typed (it then stands for the words it begins as well). Returns `{words, candidates, card,
   * results, more, partial}`: `words` are the words searched for and `candidates` the stems each
   * may mean; each result is `{doc, kind, questionKind, score, matched, passage}`, best first.
   * Results have every word of the query (all but one in a query of three words or more)
   * unless no page has (`partial`: then they have some); so a filter that leaves nothing while
   * other kinds have every word gives no results. `more`
   * says whether there may be results beyond them. `early` says the query is one or two
   * letters of a first word: too little to search for yet.
   */
  async search(query, options = {}) {
    const m = await this.manifest();
    const q = await this.read(query, options.typing);
    if (!q.words.length || q.early) return { words: [], candidates: [], card: null, results: [], more: false, early: q.early };
    const named = this.card(q.sequence, q.words.map((word, i) => ({ word, candidates: q.candidates[i] })));
    const wanted = (doc) => this.isWanted(m, doc, options);
    const limit = options.limit || DEFAULT_LIMIT;
    let { ranked, more } = await this.readPostings(q.candidates, q.phrases, limit, wanted);
    let { words, candidates } = q;
    // A query that names a term by an alias also finds the pages that use the term's name
    // (unless the name holds every word of the alias: "rupture" for "alliance rupture").
    const inName = (w) => parseQuery(named.name).some((n) => n.text === w.text || (w.prefix && n.text.startsWith(w.text)));
    if (named?.name && !q.words.every(inName)) {
      const also = await this.read(named.name, false);
      const found = await this.readPostings(also.candidates, also.phrases, limit, wanted);
      ranked = merge(ranked, words.length, found.ranked, also.words.length);
      more ||= found.more;
      words = [...words, ...also.words];
      candidates = [...candidates, ...also.candidates];
    }
    // Pages with every word (all but one, in a longer query: see `enough`) are the results;
    // only when no page of any kind has them do pages with fewer stand in (`partial`), so that
    // a count means pages that match.
    const partial = !ranked.some((r) => r.complete);
    const shown = ranked.filter((r) => wanted(r.doc) && (partial || r.complete));
    const results = shown.map((r) => ({ ...r, kind: this.kindOf(m, r.doc), questionKind: this.questionKindOf(m, r.doc) }));
    const card = options.kind && options.kind !== "term" ? null : named;
    return { words, candidates, card, results, more, partial: partial && results.length > 0 };
  }

  /** A query read: its words to search for (`words`, with the stems each may mean in
   * `candidates`), every word with its stems, stop words included (`sequence`), and the
   * glossary names of several words it holds (`phrases`). */
  async read(query, typing) {
    const m = await this.manifest();
    const all = parseQuery(query, m.stop_words, typing);
    // Stop words are searched only in a query made of nothing else; otherwise they help name a
    // phrase or a term, and a page need not have them.
    let words = all.some((w) => !w.stop) ? all.filter((w) => !w.stop) : all;
    const early = all.length === 1 && words[0].prefix && charCount(words[0].text) < MIN_PREFIX;
    if (!words.length || early) return { words: [], early };
    let candidates = await Promise.all(words.map((w) => this.candidates(w)));
    // A hyphenated word the site never writes is searched as its words.
    if (words.some((w, i) => w.parts && !candidates[i].length)) {
      words = words.flatMap((w, i) => (w.parts && !candidates[i].length ? partsOf(w, m.stop_words) : [w]));
      candidates = await Promise.all(words.map((w) => this.candidates(w)));
    }
    const sequence = await Promise.all(all.map(async (w) => {
      const i = words.indexOf(w);
      return { word: w, candidates: i >= 0 ? candidates[i] : w.parts ? [] : await this.candidates(w, true) };
    }));
    return { words, candidates, sequence, phrases: await this.phrases(sequence), early: false };
  }

  /** Whether document `doc` passes the filters of `options` (see `search`). */
  isWanted(m, doc, options) {
    if (options.kind && this.kindOf(m, doc) !== options.kind) return false;
    if (options.questionKind && this.questionKindOf(m, doc) !== options.questionKind) return false;
    return true;
  }

  /** The names of several words (glossary names, tags) that the query holds, word for word in
   * order, as dictionary records of their phrase keys. `sequence` is every word of the query
   * with its candidates, stop words included. A glossary name is found from the phrases its
   * first word's record lists; any other name by looking up the key that consecutive words make
   * (in the shard of their first word, which is already loaded). */
  async phrases(sequence) {
    const keys = new Set();
    const usable = (c) => c.how !== "typoPrefix";
    sequence.forEach(({ candidates }, i) => {
      for (const c of candidates.filter(usable)) {
        for (const { rest } of c.stem.phrases) {
          if (!rest.length || i + rest.length >= sequence.length) continue;
          const follows = rest.every((stem, j) => sequence[i + 1 + j].candidates.some((d) => d.stem.key === stem && usable(d)));
          if (follows) keys.add([c.stem.key, ...rest].join(PHRASE_JOIN));
        }
      }
      const run = [];
      for (let j = i; j < Math.min(sequence.length, i + MAX_PHRASE_WORDS); j++) {
        const best = sequence[j].candidates.find(usable);
        if (!best) break;
        run.push(best.stem.key);
        if (run.length > 1) keys.add(run.join(PHRASE_JOIN));
      }
    });
    const records = await Promise.all([...keys].map((key) => this.stem(key)));
    return records.filter(Boolean).map((stem) => ({ stem, how: "exact" }));
  }

  /** Reads the candidates' postings, and the phrases', a chunk at a time until more than
   * `limit` wanted documents have enough of the words (see `enough`; or nothing is left, or
   * enough rounds were read); ranks every document read. `more` says whether postings were left unread, so that there
   * may be results beyond. */
  async readPostings(candidates, phrases, limit, wanted) {
    const lists = [...candidates, phrases];
    const loaded = lists.map((list) => list.map(() => []));
    let rounds = 0;
    let ranked = [];
    for (let round = 0; round <= MAX_EXTRA_ROUNDS; round++) {
      const jobs = [];
      lists.forEach((list, i) =>
        list.forEach((c, j) => {
          if (round < c.stem.chunks) jobs.push(this.chunk(c.stem, round).then((p) => loaded[i][j].push(...p)));
        }),
      );
      if (!jobs.length) break;
      await Promise.all(jobs);
      rounds = round + 1;
      ranked = rank(loaded, lists);
      if (ranked.filter((r) => r.complete && wanted(r.doc)).length >= limit + 1) break;
    }
    const more = lists.some((list) => list.some((c) => c.stem.chunks > rounds));
    return { ranked, more };
  }

  /** The glossary term the whole query names, by its title or an alias, if any: the query word
   * for word (`sequence`, stop words included), or its words without stop words (`words`). */
  card(sequence, words) {
    let best = null;
    // A guess from a few letters is not yet a name: "ru" does not mean "rupture".
    const named = (c, word) => c.how !== "typoPrefix" && (c.how !== "prefix" || charCount(word.text) >= 4);
    for (const list of [sequence, words]) {
      if (!list.length) continue;
      for (const c of list[0].candidates) {
        if (!named(c, list[0].word)) continue;
        for (const phrase of c.stem.phrases) {
          if (phrase.rest.length !== list.length - 1) continue;
          let weight = WEIGHT[c.how];
          const ok = phrase.rest.every((stem, j) => {
            const { word, candidates } = list[j + 1];
            const hit = candidates.find((d) => d.stem.key === stem && named(d, word));
            if (hit) weight *= WEIGHT[hit.how];
            return Boolean(hit);
          });
          if (ok && (!best || weight > best.weight)) best = { doc: phrase.doc, weight, name: phrase.name };
        }
      }
    }
    return best;
  }

  /** A test of a word of an excerpt: whether it is one of the forms of the stems the search
   * matched (the words the dictionary lists for them, or a stem with an inflection added). A
   * hyphenated word is tested whole, its parts joined. */
  highlighter(words, candidates) {
    const forms = new Set();
    const stems = [];
    words.forEach((w, i) => {
      for (const c of candidates[i] || []) {
        forms.add(c.stem.key);
        for (const s of c.stem.surfaces) forms.add(s);
        stems.push(c.stem.key);
      }
    });
    return (token) => {
      const t = fold(token).replace(new RegExp(HYPHEN.source, "g"), "");
      if (forms.has(t)) return true;
      return stems.some((s) => t.startsWith(s) && INFLECTIONS.includes(t.slice(s.length)));
    };
  }

  /** Loads what the first `count` of a search's results show: `{card, items}`, the card's
   * summary (its first passage) and each result with its passage, the card's page left out. */
  async details(found, count) {
    const shown = found.results.filter((r) => !found.card || r.doc !== found.card.doc).slice(0, count);
    const [card, passages] = await Promise.all([
      found.card ? this.passage(found.card.doc, 0) : null,
      Promise.all(shown.map((r) => this.passage(r.doc, r.passage))),
    ]);
    return { card, items: shown.map((r, i) => ({ ...r, ...passages[i] })) };
  }
}

/** The stems one word may mean, each kept with the best way it matched. */
class Matches {
  constructor(index) {
    this.index = index;
    this.byId = new Map();
  }

  get size() {
    return this.byId.size;
  }

  /** Adds dictionary records as matches of kind `how`; a word that stems to another key
   * stands for that key's stem. */
  async add(records, how) {
    for (const record of records) {
      const stem = record.to !== undefined ? await this.index.stem(record.to) : record;
      if (!stem) continue;
      const known = this.byId.get(stem.id);
      if (!known || WEIGHT[how] > WEIGHT[known.how]) this.byId.set(stem.id, { stem, how });
    }
  }

  /** The best matches: by how they matched, then the most frequent. */
  best() {
    return [...this.byId.values()]
      .sort((a, b) => WEIGHT[b.how] - WEIGHT[a.how] || b.stem.df - a.stem.df || compare(a.stem.key, b.stem.key))
      .slice(0, MAX_EXPANSIONS);
  }
}

/** The passages file holding passage `n` of document `doc`, the document's entry in it and the
 * passage's place in that entry (the manifest's `fragments`: see src/search/fragments.rs). */
export function fragmentOf(m, doc, n) {
  let segment = m.fragments[0];
  for (const s of m.fragments) {
    if (s[0] > doc) break;
    segment = s;
  }
  const [start, docs, passages] = segment;
  const first = start + Math.floor((doc - start) / docs) * docs;
  const k = passages ? Math.floor(n / passages) : 0;
  return { name: `f/${first}-${k}`, entry: doc - first, index: passages ? n % passages : n };
}

async function fetchJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return readJson(new Uint8Array(await response.arrayBuffer()));
}

/** A file's bytes as JSON: gzip-compressed as the build writes the index's parts, or already
 * decompressed by a host that sent them with `Content-Encoding: gzip`. */
export async function readJson(bytes) {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return JSON.parse(await new Response(stream).text());
  }
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** Compares as Rust compares strings (by code point), which is how the dictionary is sorted. */
function compare(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    if (sx !== sy) return sx ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** A hyphenated word's parts as words of their own: the last still being typed if the word
 * was, and stop words left out unless nothing else is left. */
function partsOf(word, stopWords) {
  const parts = word.parts.map((text, i) => ({ text, prefix: word.prefix && i === word.parts.length - 1, stop: stopWords.includes(text), parts: null }));
  return parts.some((p) => !p.stop) ? parts.filter((p) => !p.stop) : parts;
}

/** Letters, not UTF-16 units. */
function charCount(word) {
  return Array.from(word).length;
}

function prefixOf(word, n) {
  return Array.from(word).slice(0, n).join("");
}

function typoLimit(word) {
  const n = charCount(word);
  return n >= 8 ? 2 : n >= 4 ? 1 : 0;
}

/** Whether `w` is a form of the stem `record` (a few more letters after it). */
function inflects(w, record) {
  const n = charCount(record.key);
  return record.id !== undefined && n >= 3 && charCount(w) - n <= 3 && w.startsWith(record.key);
}

/** Whether a stem found in `df` documents has its last postings chunk in a tail file. */
function hasTail(m, df) {
  const [first, next] = m.chunk_postings;
  return df > first && (df - first - 1) % next < m.tail_postings;
}

/** The tail file of a stem: 32-bit FNV-1a of its UTF-8 bytes, modulo the number of files. */
function tailOf(key, tails) {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(key)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash % Math.max(tails, 1);
}

/** Dictionary shard records: stems `{key, id, df, group, chunks, surfaces, phrases}`, and words
 * that stem to another key `{key, to}`. */
function parseShard(raw) {
  let id = raw.first;
  return raw.terms.map((t) => {
    if (t.length === 2) return { key: t[0], to: t[1] };
    return {
      key: t[0],
      id: id++,
      df: t[1],
      group: t[2],
      chunks: t[3],
      surfaces: t[4] ? t[4].split(" ") : [],
      phrases: (t[5] || []).map(([doc, rest, name]) => ({ doc, rest: rest ? rest.split(" ") : [], name: name || null })),
    };
  });
}

/** Documents ranked: those with enough of the query's words first (see `enough`; below that,
 * more words first), then those that hold a phrase the query names, then those that match
 * every word as written (not as a prefix or a misspelling), then by score; each marked
 * `complete` when it has enough words, and with its best passage. `lists` are each query
 * word's candidates and, last, the phrases. */
function rank(loaded, lists) {
  const out = [];
  const words = lists.length - 1;
  const need = enough(words);
  for (const d of documentWords(loaded, lists)) {
    const matched = d.words.slice(0, words).filter(Boolean);
    const phrase = d.words[words];
    const sum = matched.reduce((total, w) => total + w.score, 0) + (phrase ? phrase.score : 0);
    // A page that lacks a word of a longer query counts for less, by the square of its share.
    const score = sum * (matched.length / words) ** 2;
    const exact = matched.filter((w) => w.exact).length;
    const complete = matched.length >= need;
    out.push({ doc: d.doc, score, matched: matched.length, complete, phrase: Boolean(phrase), exact, passage: bestPassage(phrase ? [phrase, ...matched] : matched) });
  }
  // Below the words a page must have, more of them come first.
  const tier = (r) => (r.complete ? need : r.matched);
  // Then pages that match every word as written before those where a word is only guessed.
  const guessed = (r) => r.matched - r.exact;
  return out.sort((a, b) => tier(b) - tier(a) || b.phrase - a.phrase || guessed(a) - guessed(b) || b.score - a.score || a.doc - b.doc);
}

/** How many of a query's `words` a page must have to be a result: all of them, or all but one
 * in a query of `QUORUM_WORDS` or more (a question rarely uses every word of the page that
 * answers it). */
function enough(words) {
  return words >= QUORUM_WORDS ? words - 1 : words;
}

/** Two rankings of the same documents for two queries of `n` and `k` words (a term's alias and
 * its name) as one: each document where it ranks better, by whether it is `complete` for
 * either query, then whether it has its words all as written, then score per word (a query of
 * more words adds more scores up). */
function merge(a, n, b, k) {
  const docs = new Map();
  const better = (x, y) => y.complete - x.complete || (y.exact === y.matched) - (x.exact === x.matched) || y.perWord - x.perWord || x.doc - y.doc;
  for (const [list, words] of [[a, n], [b, k]]) {
    for (const r of list) {
      const entry = { ...r, perWord: r.score / words };
      const known = docs.get(r.doc);
      if (!known || better(entry, known) < 0) docs.set(r.doc, entry);
    }
  }
  return [...docs.values()].sort(better);
}

/** Each document in the postings, with its best match of each list: `{doc, words}`, `words[i]`
 * being `{score, passages, exact}` for list `i` or absent. A match of the word as written
 * stands, whatever a prefix or a misspelling of it would score. */
function documentWords(loaded, lists) {
  const docs = new Map();
  loaded.forEach((postingLists, i) =>
    postingLists.forEach((postings, j) => {
      const how = lists[i][j].how;
      const exact = TAKEN_AS_WRITTEN.has(how);
      for (const p of postings) {
        let d = docs.get(p[0]);
        if (!d) docs.set(p[0], (d = { doc: p[0], words: [] }));
        const score = p[1] * WEIGHT[how];
        const known = d.words[i];
        if (!known || (exact && !known.exact) || (exact === known.exact && score > known.score)) d.words[i] = { score, passages: p.slice(2), exact };
      }
    }),
  );
  return docs.values();
}

/** The passage the words' best passages vote for (a word's best counts most); the first on a
 * tie. */
function bestPassage(words) {
  const votes = new Map();
  for (const w of words) w.passages.forEach((n, k) => votes.set(n, (votes.get(n) || 0) + 10 - k));
  let passage = 0;
  let best = -1;
  for (const [n, v] of votes) if (v > best || (v === best && n < passage)) [passage, best] = [n, v];
  return passage;
}

/** A passage's text as words (`match` by `isMatch`) and the text between them. A hyphenated
 * word that matches whole is one word; otherwise its parts are tested one by one. */
function excerptTokens(text, isMatch) {
  const tokens = [];
  let last = 0;
  const between = (end) => {
    if (end > last) tokens.push({ text: text.slice(last, end), word: false });
  };
  for (const m of text.matchAll(RUN)) {
    const run = m[0];
    if (!HYPHEN.test(run) || isMatch(run)) {
      between(m.index);
      tokens.push({ text: run, word: true, match: isMatch(run) });
      last = m.index + run.length;
      continue;
    }
    for (const w of run.matchAll(WORD)) {
      between(m.index + w.index);
      tokens.push({ text: w[0], word: true, match: isMatch(w[0]) });
      last = m.index + w.index + w[0].length;
    }
  }
  between(text.length);
  return tokens;
}

/** Where an excerpt starts: about eight words before the first match. */
function excerptStart(tokens) {
  const firstMatch = tokens.findIndex((t) => t.match);
  let words = 0;
  for (let i = firstMatch - 1; i >= 0; i--) {
    if (tokens[i].word && ++words > 8) return i + 1;
  }
  return 0;
}
