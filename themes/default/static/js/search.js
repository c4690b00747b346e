// Site search on the page: the header box (an ARIA combobox with a dropdown of results), the
// /search/ page (`?q=`, filters by kind) and the `/` shortcut. The index itself is read by the
// engine in js/search-index.js, which this module imports; it touches no DOM.

import { SearchIndex, Superseded, excerptParts } from "./search-index.js";

/** Wait this long before fetching a file a query needs, so fast typing fetches only the last
 * query's; longer for passages, which are most of what a query fetches on a large site. */
const FETCH_DELAY = 50;
const PASSAGE_DELAY = 180;
const DROPDOWN_RESULTS = 8;
const PAGE_RESULTS = 20;

/** The words search shows, in the site's language: from js/words.js (or, in a base template
 * made before it, the page's data block of script words). */
const WORDS = (() => {
  try {
    return (window.lecternWords || JSON.parse(document.getElementById("lectern-words")?.textContent || "{}"))?.search || {};
  } catch (e) {
    return {};
  }
})();
const KIND_LABELS = WORDS.kinds || {};
const KIND_PLURALS = WORDS.kinds_plural || {};

/** A phrase of WORDS with its `{name}`s filled in. */
function say(key, vars = {}) {
  return (WORDS[key] || "").replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : ""));
}

/** "1 result", "3 results", "20+ results". */
function results(n, more = false) {
  const forms = WORDS.results || ["{count}", "{count}"];
  return forms[n === 1 && !more ? 0 : 1].replace("{count}", `${n}${more ? "+" : ""}`);
}

/** Base path of the site: this module lives at `<base>js/search.js`. */
const BASE = new URL("../", import.meta.url);

/** The excerpt as nodes: matched words in <mark>, trimmed so the first match shows. */
function excerpt(text, isMatch) {
  const { cut, parts } = excerptParts(text, isMatch);
  const frag = document.createDocumentFragment();
  if (cut) frag.append("… ");
  for (const part of parts) frag.append(part.match ? el("mark", {}, part.text) : part.text);
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
  if (!n) return say("no_results", { query: quoted(query) });
  const count = results(n, more);
  if (partial) return say("partial", { query: quoted(query), results: count });
  return say("results_for", { query: quoted(query), results: count });
}

/** A result's kind and the section its passage is in. */
function resultMeta(tag, r) {
  return el(tag, { class: "search-meta" },
    el("span", { class: "search-kind" }, kindLabel(r)),
    r.heading ? el("span", { class: "search-heading" }, r.heading) : null);
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
    this.list = el("div", { id: `${id}-listbox`, role: "listbox", class: "search-dropdown", "aria-label": say("listbox_label"), hidden: true });
    this.status = el("div", { class: "visually-hidden", role: "status", "aria-live": "polite", "aria-atomic": "true" });
    this.form.append(this.list, this.status);
    this.form.classList.add("has-dropdown");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.list.id);
    this.listen();
  }

  listen() {
    const input = this.input;
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
    if (e.key === "ArrowDown" || e.key === "ArrowUp") this.move(e);
    else if (e.key === "Enter") this.follow(e);
    else if (e.key === "Escape") this.escape(e);
  }

  /** The arrow keys: the next or previous result, round the ends. */
  move(e) {
    const options = this.options();
    if (!options.length) return;
    e.preventDefault();
    if (this.list.hidden) this.open();
    const step = e.key === "ArrowDown" ? 1 : -1;
    const next = this.active < 0 ? (step > 0 ? 0 : options.length - 1) : (this.active + step + options.length) % options.length;
    this.select(next);
  }

  /** Enter on a chosen result goes there; else the form is sent as usual. */
  follow(e) {
    const option = !this.list.hidden && this.options()[this.active];
    if (option) {
      e.preventDefault();
      window.location.assign(option.href);
    }
  }

  /** Escape closes the results, and again empties the box. */
  escape(e) {
    if (!this.list.hidden) {
      e.preventDefault();
      this.close();
    } else if (this.input.value) {
      e.preventDefault();
      this.input.value = "";
      this.update();
    }
  }

  async update() {
    const token = ++this.token;
    const query = this.input.value;
    if (!query.trim()) {
      this.clear();
      this.status.textContent = "";
      return;
    }
    const current = () => {
      if (token !== this.token) throw new Superseded();
    };
    this.index.gate = waitUnless(current);
    try {
      const started = performance.now();
      // Results as you type: the last word stands for the words it begins as well.
      const found = await this.index.search(query, { limit: DROPDOWN_RESULTS, typing: true });
      const shown = await this.index.details(found, DROPDOWN_RESULTS);
      current();
      // The time of this keystroke's search (and render), whether it showed results or found the
      // query too short to search yet.
      const took = () => String(Math.round(performance.now() - started));
      if (found.early) {
        this.list.replaceChildren();
        this.list.dataset.query = query;
        this.input.dataset.searchMs = took();
        this.close();
        return;
      }
      this.render(query, found, shown);
      this.input.dataset.searchMs = took();
    } catch (err) {
      if (err instanceof Superseded) return;
      this.list.replaceChildren(el("p", { class: "search-message" }, say("unavailable")));
      this.open();
      console.error(err);
    }
  }

  clear() {
    this.list.replaceChildren();
    this.close();
  }

  render(query, found, shown) {
    const isMatch = this.index.highlighter(found.words, found.candidates);
    let n = 0;
    const id = () => `${this.list.id}-${n++}`;
    const options = [];
    if (shown.card) options.push(this.cardOption(shown.card, id()));
    for (const r of shown.items) options.push(this.resultOption(r, id(), isMatch));
    const total = found.results.length;
    if (total || found.card) {
      const all = `${BASE.pathname}search/?q=${encodeURIComponent(query)}`;
      options.push(el("a", { class: "search-all", role: "option", id: id(), href: all, tabindex: "-1" }, say("all_results_for", { query: quoted(query) })));
    } else {
      options.push(el("p", { class: "search-message" }, say("no_results", { query: quoted(query) })));
    }
    this.list.replaceChildren(...options);
    this.list.dataset.query = query;
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.open();
    clearTimeout(this.announce);
    // Announced once typing pauses, not on every keystroke.
    this.announce = setTimeout(() => {
      this.status.textContent = resultCountText(total, found.more, query, found.partial) + (found.card ? say("with_definition", { title: shown.card.title }) : "");
    }, 500);
  }

  cardOption(card, id) {
    return el("a", { class: "search-card", role: "option", id, href: href(card.url, ""), tabindex: "-1" },
      el("span", { class: "search-kind" }, say("definition")),
      el("span", { class: "search-title" }, card.title),
      el("span", { class: "search-excerpt" }, card.text));
  }

  resultOption(r, id, isMatch) {
    return el("a", { class: "search-option", role: "option", id, href: href(r.url, r.headingId), tabindex: "-1" },
      resultMeta("span", r),
      el("span", { class: "search-title" }, r.title),
      r.text ? el("span", { class: "search-excerpt" }, excerpt(r.text, isMatch)) : null);
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
    /** Whether the query is being typed (the last word may be unfinished) rather than sent. */
    this.typing = false;
    this.filters = el("div", { class: "search-filters" });
    this.summary = el("p", { class: "search-summary", role: "status", "aria-live": "polite" });
    this.list = el("div", { class: "search-page-results" });
    results.removeAttribute("aria-live");
    results.replaceChildren(this.filters, this.summary, this.list);
    this.listen();
    this.index.manifest().then((m) => this.renderFilters(m), () => {});
    if (input.value.trim()) this.update();
  }

  listen() {
    this.input.addEventListener("input", () => {
      this.limit = PAGE_RESULTS;
      this.typing = true;
      this.update();
    });
    this.input.form?.addEventListener("submit", (e) => {
      e.preventDefault();
      this.typing = false;
      this.update();
    });
    this.results.addEventListener("keydown", (e) => this.key(e));
    this.input.addEventListener("keydown", (e) => this.key(e));
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
    const parts = [this.kindChips(m)];
    if (this.kind === "question" && m.question_kinds.length) parts.push(this.questionKindSelect(m));
    this.filters.replaceChildren(...parts);
  }

  /** A radio button for each kind the site has, and "All". */
  kindChips(m) {
    const group = el("fieldset", { class: "search-kinds" }, el("legend", { class: "visually-hidden" }, say("show")));
    const kinds = ["", ...["term", "essay", "question", "session", "page", "reference"].filter((k) => m.kinds[k])];
    for (const k of kinds) {
      const radio = el("input", { type: "radio", name: "kind", value: k, checked: this.kind === k });
      radio.addEventListener("change", () => this.chooseKind(m, k, document.activeElement === radio));
      group.append(el("label", { class: "search-chip" }, radio, k ? KIND_PLURALS[k] : say("all")));
    }
    return group;
  }

  chooseKind(m, kind, focused) {
    this.kind = kind;
    this.questionKind = "";
    this.limit = PAGE_RESULTS;
    this.renderFilters(m);
    // The filters were drawn again: the arrow keys go on from the new one.
    if (focused) this.filters.querySelector(`input[name="kind"][value="${kind}"]`)?.focus();
    this.update();
  }

  questionKindSelect(m) {
    const select = el("select", { id: "search-question-kind" }, el("option", { value: "" }, say("any_kind")));
    for (const [label] of m.question_kinds) select.append(el("option", { value: label, selected: label === this.questionKind }, label));
    select.addEventListener("change", () => {
      this.questionKind = select.value;
      this.limit = PAGE_RESULTS;
      this.update();
    });
    return el("p", { class: "search-qkind" }, el("label", { for: "search-question-kind" }, `${say("kind_of_question")} `), select);
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
      const options = { limit: this.limit, typing: this.typing };
      const found = await this.index.search(this.input.value, { ...options, kind: this.kind, questionKind: this.questionKind });
      if (!found.results.length && !found.card && (this.kind || this.questionKind)) {
        // Nothing of this kind: say what the other kinds have.
        found.elsewhere = (await this.index.search(this.input.value, options)).results.length;
      }
      const shown = await this.index.details(found, this.limit);
      if (token !== this.token) return;
      this.render(query, found, shown);
    } catch (err) {
      if (err instanceof Superseded) return;
      this.summary.textContent = say("unavailable");
      console.error(err);
    }
  }

  render(query, found, shown) {
    const isMatch = this.index.highlighter(found.words, found.candidates);
    const nodes = [];
    if (shown.card) nodes.push(this.cardAside(shown.card));
    nodes.push(el("ol", { class: "search-result-list" }, ...shown.items.map((r) => this.resultItem(r, isMatch))));
    const total = found.results.length;
    if (found.more || total > shown.items.length + (shown.card ? 1 : 0)) nodes.push(this.moreButton());
    if (found.elsewhere === undefined) {
      this.summary.textContent = resultCountText(total, found.more, query, found.partial);
    } else {
      const what = this.questionKind
        ? say("kind_questions", { kind: this.questionKind })
        : (KIND_PLURALS[this.kind] || "").toLowerCase();
      this.summary.textContent = say("no_kind_for", { what, query: quoted(query) });
      if (found.elsewhere) nodes.push(this.allKindsButton(found.elsewhere));
    }
    this.list.replaceChildren(...nodes);
  }

  cardAside(card) {
    return el("aside", { class: "search-card search-card-page", "aria-label": say("definition") },
      el("p", { class: "search-kind" }, say("definition")),
      el("h2", { class: "search-title" }, el("a", { class: "search-result-link", href: href(card.url, "") }, card.title)),
      el("p", { class: "search-excerpt" }, card.text));
  }

  resultItem(r, isMatch) {
    return el("li", { class: "search-result" },
      resultMeta("p", r),
      el("h2", { class: "search-title" }, el("a", { class: "search-result-link", href: href(r.url, r.headingId) }, r.title)),
      r.text ? el("p", { class: "search-excerpt" }, excerpt(r.text, isMatch)) : null);
  }

  /** Shows the next page of results, and moves the focus to the first of them. */
  moreButton() {
    const button = el("button", { type: "button", class: "search-more" }, say("show_more"));
    button.addEventListener("click", () => {
      const focusAt = this.links().length;
      this.limit += PAGE_RESULTS;
      this.update().then(() => this.links()[focusAt]?.focus());
    });
    return button;
  }

  /** When a filter leaves nothing: how many results the other kinds have, and a way to them. */
  allKindsButton(count) {
    const button = el("button", { type: "button", class: "search-more" }, say("show_all_kinds", { results: results(count) }));
    // "All" is drawn again when chosen: the new one takes the focus.
    const all = () => this.filters.querySelector('input[name="kind"][value=""]');
    button.addEventListener("click", () => {
      all()?.click();
      all()?.focus();
    });
    return button;
  }
}

function editable(target) {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

/** `/` goes to the search page's own box there, else to the header's. */
function focusOnSlash(box) {
  document.addEventListener("keydown", (e) => {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || editable(e.target) || !box) return;
    e.preventDefault();
    box.focus();
    box.select();
  });
}

function start() {
  const index = new SearchIndex(new URL("search/", BASE));
  const header = document.querySelector("[data-search-input]");
  if (header) new HeaderSearch(index, header);
  const pageInput = document.querySelector("[data-search-page]");
  const pageResults = document.querySelector("[data-search-results]");
  if (pageInput && pageResults) new SearchPage(index, pageInput, pageResults);
  focusOnSlash(pageInput || header);
}

start();
