// The search engine: reads the static index under /search/ (see src/search/files.rs for its
// format) and answers queries. Nothing is fetched until it is first asked; then only the
// manifest, the dictionary shard a word falls in, that word's best postings and the passages of
// the results to show. Words are split and folded exactly as the build does
// (src/search/tokenize.rs).
//
// No page is needed: this module touches no DOM, so it runs in Node as well as in the browser
// (give `SearchIndex` a function that loads a file, or let it use the global `fetch`). The page
// around it is js/search.js.

const VERSION = 2;
/** How a candidate word counts, by how it matched what was typed. */
const WEIGHT = { exact: 1, inflection: 0.85, prefix: 0.7, typo: 0.55, typoPrefix: 0.4 };
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
const WORD = /[\p{Alphabetic}\p{N}]+(?:['’][\p{Alphabetic}\p{N}]+)*/gu;
/** Sorts after every key: `[w, w + LAST]` holds the keys that begin with `w`. */
const LAST = "\u{10ffff}";

/** Lowercase, accents removed, typographic apostrophes made plain: as the build folds words. */
export function fold(word) {
  return word.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "").replace(/’/g, "'");
}

/** The query's words: folded, stop words dropped (except a last word still being typed). */
export function parseQuery(query, stopWords = []) {
  const raw = query.match(WORD) || [];
  const typing = raw.length > 0 && !/[\s\p{P}]$/u.test(query);
  const stop = new Set(stopWords);
  const words = [];
  raw.forEach((w, i) => {
    const text = fold(w);
    const prefix = typing && i === raw.length - 1;
    if (charCount(text) > 40) return;
    if (stop.has(text) && !prefix) return;
    words.push({ text, prefix });
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
  /** `root`: URL of the /search/ folder. `load(url)` → parsed JSON (fetch by default). */
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
    return this.file(`${encodeURI(name)}.json?v=${m.id}`, name);
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
   * words it begins (when still being typed), a stem it inflects, or a near spelling. */
  async candidates(word) {
    const w = word.text;
    const found = new Matches(this);
    const near = await this.range(prefixOf(w, Math.max(3, charCount(w) - 3)), word.prefix ? w + LAST : w);
    await found.add(near.filter((r) => r.key === w), "exact");
    // A form the course never uses: "rupturing" still finds the stem "ruptur".
    if (!found.size) await found.add(near.filter((r) => inflects(w, r)), "inflection");
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
    const per = m.passages_per_file;
    const file = await this.part(`f/${doc}-${Math.floor(n / per)}`);
    if (!file) return null;
    let heading = ["", ""];
    let found = null;
    file.passages.forEach((p, i) => {
      if (p.length === 3) heading = [p[0], p[1]];
      if (i === n % per) found = { headingId: heading[0], heading: heading[1], text: p[p.length - 1] };
    });
    const fallback = { headingId: "", heading: "", text: "" };
    return { title: file.doc[0], url: file.doc[1], ...(found || fallback) };
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
   * how many results the caller will show. Returns `{words, candidates, card, results, more,
   * partial}`; each result is `{doc, kind, questionKind, score, matched, passage}`, best first;
   * results have every word of the query unless none does (`partial`: then they have some);
   * `more` says whether there may be results beyond them. `early` says the query is one or two
   * letters of a first word: too little to search for yet.
   */
  async search(query, options = {}) {
    const m = await this.manifest();
    const words = parseQuery(query, m.stop_words);
    const early = words.length === 1 && words[0].prefix && charCount(words[0].text) < MIN_PREFIX;
    if (!words.length || early) return { words: [], candidates: [], card: null, results: [], more: false, early };
    const candidates = await Promise.all(words.map((w) => this.candidates(w)));
    const wanted = (doc) => this.isWanted(m, doc, options);
    const { ranked, more } = await this.readPostings(candidates, options.limit || DEFAULT_LIMIT, wanted);
    // Pages with every word are the results; only when there are none do pages with some of
    // them stand in (`partial`), so that a count means pages that match the query.
    const complete = ranked.filter((r) => r.matched === words.length);
    const partial = !complete.length && ranked.length > 0;
    const results = (partial ? ranked : complete).map((r) => ({ ...r, kind: this.kindOf(m, r.doc), questionKind: this.questionKindOf(m, r.doc) }));
    const card = options.kind && options.kind !== "term" ? null : this.card(words, candidates);
    return { words, candidates, card, results, more, partial };
  }

  /** Whether document `doc` passes the filters of `options` (see `search`). */
  isWanted(m, doc, options) {
    if (options.kind && this.kindOf(m, doc) !== options.kind) return false;
    if (options.questionKind && this.questionKindOf(m, doc) !== options.questionKind) return false;
    return true;
  }

  /** Reads the candidates' postings a chunk at a time until more than `limit` wanted
   * documents have every word (or nothing is left, or enough rounds were read); ranks them.
   * `more` says whether postings were left unread, so that there may be results beyond. */
  async readPostings(candidates, limit, wanted) {
    const loaded = candidates.map((list) => list.map(() => []));
    let rounds = 0;
    let ranked = [];
    for (let round = 0; round <= MAX_EXTRA_ROUNDS; round++) {
      const jobs = [];
      candidates.forEach((list, i) =>
        list.forEach((c, j) => {
          if (round < c.stem.chunks) jobs.push(this.chunk(c.stem, round).then((p) => loaded[i][j].push(...p)));
        }),
      );
      if (!jobs.length) break;
      await Promise.all(jobs);
      rounds = round + 1;
      ranked = rank(loaded, candidates).filter((r) => wanted(r.doc));
      if (ranked.filter((r) => r.matched === candidates.length).length >= limit + 1) break;
    }
    const more = candidates.some((list) => list.some((c) => c.stem.chunks > rounds));
    return { ranked, more };
  }

  /** The glossary term the whole query names, by its title or an alias, if any. */
  card(words, candidates) {
    let best = null;
    // A guess from a few letters is not yet a name: "ru" does not mean "rupture".
    const named = (c, word) => c.how !== "typoPrefix" && (c.how !== "prefix" || charCount(word.text) >= 4);
    for (const c of candidates[0]) {
      if (!named(c, words[0])) continue;
      for (const phrase of c.stem.phrases) {
        if (phrase.rest.length !== words.length - 1) continue;
        let weight = WEIGHT[c.how];
        const ok = phrase.rest.every((stem, j) => {
          const hit = candidates[j + 1].find((d) => d.stem.key === stem && named(d, words[j + 1]));
          if (hit) weight *= WEIGHT[hit.how];
          return Boolean(hit);
        });
        if (ok && (!best || weight > best.weight)) best = { doc: phrase.doc, weight };
      }
    }
    return best;
  }

  /** Every form a result's excerpt should highlight, as a test of a word: the words typed, the
   * stems matched and their words. */
  highlighter(words, candidates) {
    const exact = new Set();
    const prefixes = [];
    const stems = [];
    words.forEach((w, i) => {
      exact.add(w.text);
      if (w.prefix && charCount(w.text) >= MIN_PREFIX) prefixes.push(w.text);
      for (const c of candidates[i] || []) {
        exact.add(c.stem.key);
        for (const s of c.stem.surfaces) exact.add(s);
        if (charCount(c.stem.key) >= 4) stems.push(c.stem.key);
      }
    });
    return (token) => {
      const t = fold(token);
      if (exact.has(t)) return true;
      if (prefixes.some((p) => t.startsWith(p))) return true;
      // Forms the dictionary's short list of surfaces left out.
      return stems.some((s) => t.startsWith(s) && charCount(t) - charCount(s) <= 3);
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

async function fetchJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
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
      phrases: (t[5] || []).map(([doc, rest]) => ({ doc, rest: rest ? rest.split(" ") : [] })),
    };
  });
}

/** Documents by how many query words they match, then by score; each with its best passage. */
function rank(loaded, candidates) {
  const out = [];
  for (const d of documentWords(loaded, candidates)) {
    const words = d.words.filter(Boolean);
    const score = words.reduce((sum, w) => sum + w.score, 0);
    out.push({ doc: d.doc, score, matched: words.length, passage: bestPassage(words) });
  }
  return out.sort((a, b) => b.matched - a.matched || b.score - a.score || a.doc - b.doc);
}

/** Each document in the postings, with its best match of each query word: `{doc, words}`,
 * `words[i]` being `{score, passages}` for word `i` or absent. */
function documentWords(loaded, candidates) {
  const docs = new Map();
  loaded.forEach((lists, i) =>
    lists.forEach((postings, j) => {
      const weight = WEIGHT[candidates[i][j].how];
      for (const p of postings) {
        let d = docs.get(p[0]);
        if (!d) docs.set(p[0], (d = { doc: p[0], words: [] }));
        const score = p[1] * weight;
        const known = d.words[i];
        if (!known || score > known.score) d.words[i] = { score, passages: p.slice(2) };
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

/** A passage's text as words (`match` by `isMatch`) and the text between them. */
function excerptTokens(text, isMatch) {
  const tokens = [];
  let last = 0;
  for (const m of text.matchAll(WORD)) {
    if (m.index > last) tokens.push({ text: text.slice(last, m.index), word: false });
    tokens.push({ text: m[0], word: true, match: isMatch(m[0]) });
    last = m.index + m[0].length;
  }
  if (last < text.length) tokens.push({ text: text.slice(last), word: false });
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
