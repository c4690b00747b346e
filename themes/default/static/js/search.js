// Site search, in the browser, from the static index under /search/ (see src/search/files.rs for
// its format). Nothing is fetched until search is first used; then only the manifest, the
// dictionary shard a word falls in, that word's best postings and the passages of the results on
// screen. Words are split and folded exactly as the build does (src/search/tokenize.rs).
//
// Two front ends share the engine: the header box (an ARIA combobox with a dropdown of results)
// and the /search/ page (`?q=`, filters by kind). The engine is exported so tests can drive it
// without a page.

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
/** Wait this long before fetching a file a query needs, so fast typing fetches only the last
 * query's; longer for passages, which are most of what a query fetches on a large site. */
const FETCH_DELAY = 50;
const PASSAGE_DELAY = 180;
const DROPDOWN_RESULTS = 8;
const PAGE_RESULTS = 20;
const WORD = /[\p{Alphabetic}\p{N}]+(?:['’][\p{Alphabetic}\p{N}]+)*/gu;
const KIND_LABELS = { term: "Term", essay: "Essay", question: "Question", session: "Session", page: "Page" };
const KIND_PLURALS = { term: "Terms", essay: "Essays", question: "Questions", session: "Sessions", page: "Pages" };

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
    if (Array.from(text).length > 40) return;
    if (stop.has(text) && !prefix) return;
    words.push({ text, prefix, stop: stop.has(text) });
  });
  return words;
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

function typoLimit(word) {
  const n = Array.from(word).length;
  return n >= 8 ? 2 : n >= 4 ? 1 : 0;
}

function prefixOf(word, n) {
  return Array.from(word).slice(0, n).join("");
}

export class Superseded extends Error {}

/** The index: files fetched on demand and kept for the page's lifetime. */
export class SearchIndex {
  /** `root`: URL of the /search/ folder. `load(url)` → parsed JSON (fetch by default). */
  constructor(root, load) {
    this.root = String(root);
    this.load = load || (async (url) => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      return response.json();
    });
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
    const span = (p) => [p, p + "\u{10ffff}"];
    const [lo, hi] = span(a);
    if (this.shardOf(m, hi) - this.shardOf(m, lo) < MAX_TYPO_SHARDS) return this.range(lo, hi);
    const out = await Promise.all([span(a + b), span(b + a)].map(([l, h]) => this.range(l, h)));
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
    const chars = Array.from(w).length;
    const found = new Map();
    const add = async (record, how) => {
      const stem = record.to !== undefined ? await this.stem(record.to) : record;
      if (!stem) return;
      const known = found.get(stem.id);
      if (!known || WEIGHT[how] > WEIGHT[known.how]) found.set(stem.id, { stem, how });
    };
    const near = await this.range(prefixOf(w, Math.max(3, chars - 3)), word.prefix ? w + "\u{10ffff}" : w);
    for (const r of near) if (r.key === w) await add(r, "exact");
    if (!found.size) {
      // A form the course never uses: "rupturing" still finds the stem "ruptur".
      for (const r of near) {
        const n = Array.from(r.key).length;
        if (r.id !== undefined && n >= 3 && chars - n <= 3 && w.startsWith(r.key)) await add(r, "inflection");
      }
    }
    if (word.prefix && chars >= MIN_PREFIX) {
      const starts = near.filter((r) => r.key !== w && r.key.startsWith(w));
      for (const r of starts) await add(r, "prefix");
    }
    if (!found.size && typoLimit(w) > 0) {
      const limit = typoLimit(w);
      const alike = await this.near(w);
      for (const r of alike) if (editDistance(w, r.key, limit) <= limit) await add(r, "typo");
      // Only while no whole word is near: "trsu" may be becoming "trust" or "trustworthy".
      if (word.prefix && !found.size) {
        for (const r of alike) if (editDistance(w, prefixOf(r.key, chars), limit) <= limit) await add(r, "typoPrefix");
      }
    }
    return [...found.values()]
      .sort((a, b) => WEIGHT[b.how] - WEIGHT[a.how] || b.stem.df - a.stem.df || compare(a.stem.key, b.stem.key))
      .slice(0, MAX_EXPANSIONS);
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
   * `more` says whether there may be results beyond them.
   */
  async search(query, options = {}) {
    const m = await this.manifest();
    const limit = options.limit || PAGE_RESULTS;
    const words = parseQuery(query, m.stop_words).filter((w) => !w.stop || w.prefix);
    // One or two letters of a first word say too little to search for yet.
    const early = words.length === 1 && words[0].prefix && Array.from(words[0].text).length < MIN_PREFIX;
    if (!words.length || early) return { words: [], candidates: [], card: null, results: [], more: false, early };
    const candidates = await Promise.all(words.map((w) => this.candidates(w)));
    const wanted = (doc) => {
      if (options.kind && this.kindOf(m, doc) !== options.kind) return false;
      if (options.questionKind && this.questionKindOf(m, doc) !== options.questionKind) return false;
      return true;
    };
    const loaded = candidates.map((list) => list.map(() => []));
    let fetchedChunks = 0;
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
      fetchedChunks = round + 1;
      ranked = rank(loaded, candidates).filter((r) => wanted(r.doc));
      const complete = ranked.filter((r) => r.matched === words.length).length;
      if (complete >= limit + 1) break;
    }
    // Whether postings were left unread, so that there may be results beyond these.
    const more = candidates.some((list) => list.some((c) => c.stem.chunks > fetchedChunks));
    // Pages with every word are the results; only when there are none do pages with some of
    // them stand in (`partial`), so that a count means pages that match the query.
    const complete = ranked.filter((r) => r.matched === words.length);
    const partial = !complete.length && ranked.length > 0;
    const results = (partial ? ranked : complete).map((r) => ({ ...r, kind: this.kindOf(m, r.doc), questionKind: this.questionKindOf(m, r.doc) }));
    const card = options.kind && options.kind !== "term" ? null : this.card(words, candidates);
    return { words, candidates, card, results, more, partial };
  }

  /** The glossary term the whole query names, by its title or an alias, if any. */
  card(words, candidates) {
    let best = null;
    // A guess from a few letters is not yet a name: "ru" does not mean "rupture".
    const named = (c, word) => c.how !== "typoPrefix" && (c.how !== "prefix" || Array.from(word.text).length >= 4);
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

  /** Every form a result's excerpt should highlight: the stems matched and their words. */
  highlighter(words, candidates) {
    const exact = new Set();
    const prefixes = [];
    const stems = [];
    words.forEach((w, i) => {
      exact.add(w.text);
      if (w.prefix && Array.from(w.text).length >= MIN_PREFIX) prefixes.push(w.text);
      for (const c of candidates[i] || []) {
        exact.add(c.stem.key);
        for (const s of c.stem.surfaces) exact.add(s);
        if (Array.from(c.stem.key).length >= 4) stems.push(c.stem.key);
      }
    });
    return (token) => {
      const t = fold(token);
      if (exact.has(t)) return true;
      if (prefixes.some((p) => t.startsWith(p))) return true;
      // Forms the dictionary's short list of surfaces left out.
      return stems.some((s) => t.startsWith(s) && Array.from(t).length - Array.from(s).length <= 3);
    };
  }
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
  const out = [];
  for (const d of docs.values()) {
    let score = 0;
    let matched = 0;
    const votes = new Map();
    d.words.forEach((w) => {
      if (!w) return;
      score += w.score;
      matched++;
      w.passages.forEach((n, k) => votes.set(n, (votes.get(n) || 0) + 10 - k));
    });
    let passage = 0;
    let best = -1;
    for (const [n, v] of votes) if (v > best || (v === best && n < passage)) [passage, best] = [n, v];
    out.push({ doc: d.doc, score, matched, passage });
  }
  return out.sort((a, b) => b.matched - a.matched || b.score - a.score || a.doc - b.doc);
}

// ---------------------------------------------------------------------------------------------
// The page: header combobox, /search/ page, `/` shortcut.

/** The excerpt as nodes: matched words in <mark>, trimmed so the first match shows. */
function excerpt(text, isMatch) {
  const frag = document.createDocumentFragment();
  const tokens = [];
  let last = 0;
  for (const m of text.matchAll(WORD)) {
    if (m.index > last) tokens.push({ text: text.slice(last, m.index), word: false });
    tokens.push({ text: m[0], word: true, match: isMatch(m[0]) });
    last = m.index + m[0].length;
  }
  if (last < text.length) tokens.push({ text: text.slice(last), word: false });
  const firstMatch = tokens.findIndex((t) => t.match);
  let start = 0;
  if (firstMatch > 0) {
    // Keep about eight words before the first match.
    let words = 0;
    for (let i = firstMatch - 1; i >= 0; i--) {
      if (tokens[i].word && ++words > 8) {
        start = i + 1;
        break;
      }
    }
  }
  if (start > 0) frag.append("… ");
  let plain = "";
  for (const t of tokens.slice(start)) {
    if (t.match) {
      if (plain) frag.append(plain);
      plain = "";
      const mark = document.createElement("mark");
      mark.textContent = t.text;
      frag.append(mark);
    } else {
      plain += t.text;
    }
  }
  if (plain) frag.append(plain);
  return frag;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

/** Base path of the site: this module lives at `<base>js/search.js`. */
const BASE = new URL("../", import.meta.url);

function href(url, headingId) {
  return BASE.pathname + url + (headingId ? `#${encodeURIComponent(headingId)}` : "");
}

function kindLabel(r) {
  return r.questionKind ? `${KIND_LABELS[r.kind]} · ${r.questionKind}` : KIND_LABELS[r.kind] || r.kind;
}

/** A query in quotation marks, once: `"a b"` shows as “a b”, not “"a b"”. */
function quoted(query) {
  const q = query.trim();
  const inner = /^["“].*["”]$/.test(q) && q.length > 1 ? q.slice(1, -1) : q;
  return `“${inner}”`;
}

function resultCountText(n, more, query, partial = false) {
  if (!n) return `No results for ${quoted(query)}`;
  const count = `${n}${more ? "+" : ""} result${n === 1 && !more ? "" : "s"}`;
  if (partial) return `No page has every word of ${quoted(query)}: ${count} with some of them`;
  return `${count} for ${quoted(query)}`;
}

/** Loads what a set of results shows: each one's passage, and the card's summary. */
async function details(index, found, count) {
  const shown = found.results.filter((r) => !found.card || r.doc !== found.card.doc).slice(0, count);
  const [card, passages] = await Promise.all([
    found.card ? index.passage(found.card.doc, 0) : null,
    Promise.all(shown.map((r) => index.passage(r.doc, r.passage))),
  ]);
  return { card, items: shown.map((r, i) => ({ ...r, ...passages[i] })) };
}

/** A gate for `SearchIndex`: waits before a fetch, then lets `check` give the query up. */
function waitUnless(check) {
  return (name) => {
    const delay = name.startsWith("f/") ? PASSAGE_DELAY : FETCH_DELAY;
    return new Promise((ok) => setTimeout(ok, delay)).then(check);
  };
}

let uid = 0;

class HeaderSearch {
  constructor(index, input) {
    this.index = index;
    this.input = input;
    this.form = input.closest("form");
    this.token = 0;
    this.active = -1;
    const id = `site-search-${++uid}`;
    this.list = el("div", { id: `${id}-listbox`, role: "listbox", class: "search-dropdown", "aria-label": "Search results", hidden: true });
    this.status = el("div", { class: "visually-hidden", role: "status", "aria-live": "polite", "aria-atomic": "true" });
    this.form.append(this.list, this.status);
    this.form.classList.add("has-dropdown");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.list.id);
    input.addEventListener("focus", () => this.index.manifest().catch(() => {}), { once: true });
    input.addEventListener("input", () => this.update());
    input.addEventListener("keydown", (e) => this.key(e));
    input.addEventListener("blur", () => setTimeout(() => this.close(), 0));
    input.addEventListener("focus", () => this.list.childElementCount && input.value.trim() && this.open());
    // Keep focus in the box while a result is clicked, so the click lands on the link.
    this.list.addEventListener("mousedown", (e) => e.preventDefault());
  }

  options() {
    return Array.from(this.list.querySelectorAll('[role="option"]'));
  }

  open() {
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  }

  close() {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.select(-1);
  }

  select(n) {
    const options = this.options();
    this.active = n;
    options.forEach((o, i) => o.setAttribute("aria-selected", String(i === n)));
    if (n >= 0 && options[n]) {
      this.input.setAttribute("aria-activedescendant", options[n].id);
      options[n].scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  }

  key(e) {
    const options = this.options();
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!options.length) return;
      e.preventDefault();
      if (this.list.hidden) this.open();
      const step = e.key === "ArrowDown" ? 1 : -1;
      const next = this.active < 0 ? (step > 0 ? 0 : options.length - 1) : (this.active + step + options.length) % options.length;
      this.select(next);
    } else if (e.key === "Enter") {
      const option = !this.list.hidden && options[this.active];
      if (option) {
        e.preventDefault();
        window.location.assign(option.href);
      }
    } else if (e.key === "Escape") {
      if (!this.list.hidden) {
        e.preventDefault();
        this.close();
      } else if (this.input.value) {
        e.preventDefault();
        this.input.value = "";
        this.update();
      }
    }
  }

  async update() {
    const token = ++this.token;
    const query = this.input.value;
    if (!query.trim()) {
      this.list.replaceChildren();
      this.close();
      this.status.textContent = "";
      return;
    }
    const current = () => {
      if (token !== this.token) throw new Superseded();
    };
    this.index.gate = waitUnless(current);
    try {
      const started = performance.now();
      const found = await this.index.search(query, { limit: DROPDOWN_RESULTS });
      const shown = await details(this.index, found, DROPDOWN_RESULTS);
      current();
      if (found.early) {
        this.list.replaceChildren();
        this.list.dataset.query = query;
        this.close();
        return;
      }
      this.render(query, found, shown);
      this.input.dataset.searchMs = String(Math.round(performance.now() - started));
    } catch (err) {
      if (err instanceof Superseded) return;
      this.list.replaceChildren(el("p", { class: "search-message" }, "Search is unavailable: the index could not be loaded."));
      this.open();
      console.error(err);
    }
  }

  render(query, found, shown) {
    const isMatch = this.index.highlighter(found.words, found.candidates || []);
    const options = [];
    let n = 0;
    const id = () => `${this.list.id}-${n++}`;
    if (shown.card) {
      options.push(
        el("a", { class: "search-card", role: "option", id: id(), href: href(shown.card.url, ""), tabindex: "-1" },
          el("span", { class: "search-kind" }, "Definition"),
          el("span", { class: "search-title" }, shown.card.title),
          el("span", { class: "search-excerpt" }, shown.card.text)),
      );
    }
    for (const r of shown.items) {
      options.push(
        el("a", { class: "search-option", role: "option", id: id(), href: href(r.url, r.headingId), tabindex: "-1" },
          el("span", { class: "search-meta" },
            el("span", { class: "search-kind" }, kindLabel(r)),
            r.heading ? el("span", { class: "search-heading" }, r.heading) : null),
          el("span", { class: "search-title" }, r.title),
          r.text ? el("span", { class: "search-excerpt" }, excerpt(r.text, isMatch)) : null),
      );
    }
    const total = found.results.length;
    if (total || found.card) {
      const all = `${BASE.pathname}search/?q=${encodeURIComponent(query)}`;
      options.push(el("a", { class: "search-all", role: "option", id: id(), href: all, tabindex: "-1" }, `All results for ${quoted(query)}`));
    } else {
      options.push(el("p", { class: "search-message" }, `No results for ${quoted(query)}`));
    }
    this.list.replaceChildren(...options);
    this.list.dataset.query = query;
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.open();
    clearTimeout(this.announce);
    // Announced once typing pauses, not on every keystroke.
    this.announce = setTimeout(() => {
      this.status.textContent = resultCountText(total, found.more, query, found.partial) + (found.card ? `, with the definition of ${shown.card.title}` : "");
    }, 500);
  }
}

class SearchPage {
  constructor(index, input, results) {
    this.index = index;
    this.input = input;
    this.results = results;
    this.token = 0;
    this.limit = PAGE_RESULTS;
    const params = new URLSearchParams(window.location.search);
    this.kind = params.get("kind") || "";
    this.questionKind = params.get("qkind") || "";
    input.value = params.get("q") || "";
    this.filters = el("div", { class: "search-filters" });
    this.summary = el("p", { class: "search-summary", role: "status", "aria-live": "polite" });
    this.list = el("div", { class: "search-page-results" });
    results.removeAttribute("aria-live");
    results.replaceChildren(this.filters, this.summary, this.list);
    input.addEventListener("input", () => {
      this.limit = PAGE_RESULTS;
      this.update();
    });
    input.form?.addEventListener("submit", (e) => {
      e.preventDefault();
      this.update();
    });
    this.results.addEventListener("keydown", (e) => this.key(e));
    input.addEventListener("keydown", (e) => this.key(e));
    this.index.manifest().then((m) => this.renderFilters(m), () => {});
    if (input.value.trim()) this.update();
  }

  links() {
    return Array.from(this.list.querySelectorAll("a.search-result-link"));
  }

  /** Arrow keys move between results, from the box or a result. */
  key(e) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    const links = this.links();
    if (!links.length) return;
    const at = links.indexOf(document.activeElement);
    if (at < 0 && e.target !== this.input) return;
    e.preventDefault();
    if (e.key === "ArrowUp" && at <= 0) {
      this.input.focus();
      return;
    }
    links[Math.min(links.length - 1, at + (e.key === "ArrowDown" ? 1 : -1))].focus();
  }

  renderFilters(m) {
    const group = el("fieldset", { class: "search-kinds" }, el("legend", { class: "visually-hidden" }, "Show"));
    const kinds = ["", ...["term", "essay", "question", "session", "page"].filter((k) => m.kinds[k])];
    for (const k of kinds) {
      const radio = el("input", { type: "radio", name: "kind", value: k, checked: this.kind === k });
      radio.addEventListener("change", () => {
        const focused = document.activeElement === radio;
        this.kind = k;
        this.questionKind = "";
        this.limit = PAGE_RESULTS;
        this.renderFilters(m);
        // The filters were drawn again: the arrow keys go on from the new one.
        if (focused) this.filters.querySelector(`input[name="kind"][value="${k}"]`)?.focus();
        this.update();
      });
      group.append(el("label", { class: "search-chip" }, radio, k ? KIND_PLURALS[k] : "All"));
    }
    const parts = [group];
    if (this.kind === "question" && m.question_kinds.length) {
      const select = el("select", { id: "search-question-kind" }, el("option", { value: "" }, "Any kind"));
      for (const [label] of m.question_kinds) select.append(el("option", { value: label, selected: label === this.questionKind }, label));
      select.addEventListener("change", () => {
        this.questionKind = select.value;
        this.limit = PAGE_RESULTS;
        this.update();
      });
      parts.push(el("p", { class: "search-qkind" }, el("label", { for: "search-question-kind" }, "Kind of question "), select));
    }
    this.filters.replaceChildren(...parts);
  }

  syncUrl(query) {
    const params = new URLSearchParams();
    if (query) params.set("q", query);
    if (this.kind) params.set("kind", this.kind);
    if (this.questionKind) params.set("qkind", this.questionKind);
    const search = params.toString();
    history.replaceState(null, "", search ? `?${search}` : window.location.pathname);
  }

  async update() {
    const token = ++this.token;
    const query = this.input.value.trim();
    this.syncUrl(query);
    if (!query) {
      this.summary.textContent = "";
      this.list.replaceChildren();
      return;
    }
    this.index.gate = waitUnless(() => {
      if (token !== this.token) throw new Superseded();
    });
    try {
      const found = await this.index.search(this.input.value, { kind: this.kind, questionKind: this.questionKind, limit: this.limit });
      if (!found.results.length && !found.card && (this.kind || this.questionKind)) {
        // Nothing of this kind: say what the other kinds have.
        found.elsewhere = (await this.index.search(this.input.value, { limit: this.limit })).results.length;
      }
      const shown = await details(this.index, found, this.limit);
      if (token !== this.token) return;
      this.render(query, found, shown);
    } catch (err) {
      if (err instanceof Superseded) return;
      this.summary.textContent = "Search is unavailable: the index could not be loaded.";
      console.error(err);
    }
  }

  render(query, found, shown) {
    const isMatch = this.index.highlighter(found.words, found.candidates || []);
    const nodes = [];
    if (shown.card) {
      nodes.push(
        el("aside", { class: "search-card search-card-page", "aria-label": "Definition" },
          el("p", { class: "search-kind" }, "Definition"),
          el("h2", { class: "search-title" }, el("a", { class: "search-result-link", href: href(shown.card.url, "") }, shown.card.title)),
          el("p", { class: "search-excerpt" }, shown.card.text)),
      );
    }
    const list = el("ol", { class: "search-result-list" });
    for (const r of shown.items) {
      list.append(
        el("li", { class: "search-result" },
          el("p", { class: "search-meta" },
            el("span", { class: "search-kind" }, kindLabel(r)),
            r.heading ? el("span", { class: "search-heading" }, r.heading) : null),
          el("h2", { class: "search-title" }, el("a", { class: "search-result-link", href: href(r.url, r.headingId) }, r.title)),
          r.text ? el("p", { class: "search-excerpt" }, excerpt(r.text, isMatch)) : null),
      );
    }
    nodes.push(list);
    const total = found.results.length;
    if (found.more || total > shown.items.length + (shown.card ? 1 : 0)) {
      const button = el("button", { type: "button", class: "search-more" }, "Show more results");
      button.addEventListener("click", () => {
        const focusAt = this.links().length;
        this.limit += PAGE_RESULTS;
        this.update().then(() => this.links()[focusAt]?.focus());
      });
      nodes.push(button);
    }
    if (found.elsewhere === undefined) {
      this.summary.textContent = resultCountText(total, found.more, query, found.partial);
    } else {
      const what = this.questionKind ? `${this.questionKind} questions` : KIND_PLURALS[this.kind].toLowerCase();
      this.summary.textContent = `No ${what} for ${quoted(query)}`;
      if (found.elsewhere) {
        const button = el("button", { type: "button", class: "search-more" }, `Show all kinds: ${found.elsewhere} result${found.elsewhere === 1 ? "" : "s"}`);
        // "All" is drawn again when chosen: the new one takes the focus.
        const all = () => this.filters.querySelector('input[name="kind"][value=""]');
        button.addEventListener("click", () => {
          all()?.click();
          all()?.focus();
        });
        nodes.push(button);
      }
    }
    this.list.replaceChildren(...nodes);
  }
}

function editable(target) {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

function start() {
  const index = new SearchIndex(new URL("search/", BASE));
  const header = document.querySelector("[data-search-input]");
  if (header) new HeaderSearch(index, header);
  const pageInput = document.querySelector("[data-search-page]");
  const pageResults = document.querySelector("[data-search-results]");
  if (pageInput && pageResults) new SearchPage(index, pageInput, pageResults);
  // `/` goes to the search page's own box there, else to the header's.
  const box = pageInput || header;
  document.addEventListener("keydown", (e) => {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || editable(e.target) || !box) return;
    e.preventDefault();
    box.focus();
    box.select();
  });
}

if (typeof document !== "undefined") start();
